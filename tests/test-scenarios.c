/* test-scenarios.c: every worked scenario, through the real command line
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Runs each file of the scenarios folder (../shared/scenarios from the
 * project's root, or $CUSTODY_CLOCK_SCENARIOS) and of tests/scenarios: a
 * fresh database, `custody-clock import` of its events, then
 * `custody-clock timeline RECORD --at AT --json` for each check, compared
 * field by field.  A scenario that fails names the file, the check and the
 * field.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cc-test-util.h"

static char *
show (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("(absent)");
}

static JsonObject *
find_clock (JsonArray  *clocks,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (clocks); i++)
    {
      JsonObject *clock = json_array_get_object_element (clocks, i);
      if (g_strcmp0 (json_object_get_string_member (clock, "clock"), name) == 0)
        return clock;
    }
  return NULL;
}

static void
run_check (const char *path,
           guint       index,
           JsonObject *check,
           const char *db,
           const char *policy_path)
{
  const char *record_id = json_object_get_string_member (check, "record_id");
  const char *at = json_object_get_string_member (check, "at");
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) members = json_object_get_members (check);
  g_autofree char *where = g_strdup_printf ("%s: check %u (%s at %s)", path, index + 1, record_id, at);
  JsonObject      *out;

  run = cc_test_run (NULL, NULL, cc_test_cli_path (), "timeline", record_id, "--at", at, "--json",
                     "--db", db, "--policy", policy_path, NULL);
  if (run->status != 0)
    g_error ("%s: timeline exited %d: %s", where, run->status, run->err);
  if (!json_parser_load_from_data (parser, run->out, -1, &error))
    g_error ("%s: timeline printed no JSON: %s", where, error->message);
  out = json_node_get_object (json_parser_get_root (parser));

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode   *want = json_object_get_member (check, key);

      if (g_str_equal (key, "record_id") || g_str_equal (key, "at"))
        continue;

      if (g_str_equal (key, "clocks"))
        {
          JsonObject *clocks = json_node_get_object (want);
          g_autoptr (GList) names = json_object_get_members (clocks);

          for (GList *n = names; n != NULL; n = n->next)
            {
              JsonObject *want_clock = json_object_get_object_member (clocks, n->data);
              JsonObject *got_clock = find_clock (json_object_get_array_member (out, "clocks"), n->data);
              g_autoptr (GList) fields = json_object_get_members (want_clock);

              if (got_clock == NULL)
                g_error ("%s: clock %s missing from the output", where, (const char *) n->data);
              for (GList *f = fields; f != NULL; f = f->next)
                {
                  JsonNode *w = json_object_get_member (want_clock, f->data);
                  JsonNode *g = json_object_get_member (got_clock, f->data);
                  if (g == NULL || !json_node_equal (w, g))
                    {
                      g_autofree char *ws = show (w), *gs = show (g);
                      g_error ("%s: clocks.%s.%s: expected %s, got %s (explain: %s)", where,
                               (const char *) n->data, (const char *) f->data, ws, gs,
                               json_object_get_string_member (got_clock, "explain"));
                    }
                }
            }
          continue;
        }

      {
        JsonNode *got = json_object_get_member (out, key);
        if (got == NULL || !json_node_equal (want, got))
          {
            g_autofree char *ws = show (want), *gs = show (got);
            g_error ("%s: %s: expected %s, got %s", where, key, ws, gs);
          }
      }
    }
  g_test_message ("%s: ok", where);
}

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

  /* Only init creates a log (issue 14 item 6). */
  run = cc_test_cli (db, NULL, "init", NULL);
  if (run->status != 0)
    g_error ("%s: init: exit %d (stderr: %s)", path, run->status, run->err);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (db, NULL, "import", events_path, NULL);
  expected = g_strdup_printf ("imported %u, duplicates 0, rejected 0\n", json_array_get_length (events));
  if (run->status != 0 || g_strcmp0 (run->out, expected) != 0)
    g_error ("%s: import: expected exit 0 and '%s', got exit %d and '%s' (stderr: %s)",
             path, expected, run->status, run->out, run->err);

  {
    const char      *policy_text = json_object_get_string_member_with_default (scenario, "policy", "");
    JsonArray       *checks = json_object_get_array_member (scenario, "checks");
    g_autofree char *policy_path = g_build_filename (dir, "policy.ini", NULL);

    cc_test_write_file (policy_path, policy_text);
    for (guint i = 0; i < json_array_get_length (checks); i++)
      run_check (path, i, json_array_get_object_element (checks, i), db, policy_path);
  }

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
  /* The project's own scenarios (tests/scenarios) pin the readings of
   * clocks.md that the shared ones do not show: a folder that cannot be
   * read would otherwise pass in silence. */
  {
    guint shared_count = paths->len;
    add_folder (own, paths);
    if (paths->len == shared_count)
      g_error ("no scenarios found in %s", own);
  }

  for (guint i = 0; i < paths->len; i++)
    {
      const char      *path = g_ptr_array_index (paths, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test_path = g_strdup_printf ("/scenarios/%s", base);
      g_test_add_data_func (test_path, path, run_scenario);
    }

  return g_test_run ();
}
