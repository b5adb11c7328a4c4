/* test-scenarios.c: every worked scenario, through the real command line
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Runs each file of the scenarios folder (../shared/scenarios from the
 * project's root, or $CUSTODY_CLOCK_SCENARIOS) and of tests/scenarios: a
 * fresh database, then `custody-clock import` of its events.  A scenario
 * that fails names the file and what differed.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cc-test-util.h"

static void
run_scenario (gconstpointer data)
{
  const char *path = data;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) jsonl = g_string_new (NULL);
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *dir = cc_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "custody.db", NULL);
  g_autofree char *events_path = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *expected = NULL;
  JsonObject      *scenario;
  JsonArray       *events;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  scenario = json_node_get_object (json_parser_get_root (parser));
  events = json_object_get_array_member (scenario, "events");
  g_assert_nonnull (events);
  g_test_message ("%s: %s", path, json_object_get_string_member (scenario, "title"));

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      g_autofree char *line = json_to_string (json_array_get_element (events, i), FALSE);
      g_string_append_printf (jsonl, "%s\n", line);
    }
  cc_test_write_file (events_path, jsonl->str);

  run = cc_test_cli (db, NULL, "import", events_path, NULL);
  expected = g_strdup_printf ("imported %u, duplicates 0, rejected 0\n", json_array_get_length (events));
  if (run->status != 0 || g_strcmp0 (run->out, expected) != 0)
    g_error ("%s: import: expected exit 0 and '%s', got exit %d and '%s' (stderr: %s)",
             path, expected, run->status, run->out, run->err);

  cc_test_rm_rf (dir);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
add_folder (const char *folder,
            GPtrArray  *paths)
{
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_strdup (g_ptr_array_index (names, i)));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char      *shared = g_getenv ("CUSTODY_CLOCK_SCENARIOS");
  g_autofree char *own = NULL;

  g_test_init (&argc, &argv, NULL);
  own = g_test_build_filename (G_TEST_DIST, "scenarios", NULL);

  g_assert_nonnull (shared);
  add_folder (shared, paths);
  /* The shared scenarios are part of the specification: their absence is a
   * broken checkout, not a pass. */
  if (paths->len == 0)
    g_error ("no scenarios found in %s", shared);
  add_folder (own, paths);

  for (guint i = 0; i < paths->len; i++)
    {
      const char      *path = g_ptr_array_index (paths, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test_path = g_strdup_printf ("/scenarios/%s", base);
      g_test_add_data_func (test_path, path, run_scenario);
    }

  return g_test_run ();
}
