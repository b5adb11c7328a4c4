/* cc-test-util.c: helpers shared by the tests
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cc-importer.h"
#include "cc-test-util.h"

void
cc_test_run_free (CcTestRun *run)
{
  if (run == NULL)
    return;
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/* A fresh private folder for one test; remove it with cc_test_rm_rf(). */
char *
cc_test_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("custody-clock-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
cc_test_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            cc_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
cc_test_write_file (const char *path,
                    const char *contents)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

const char *
cc_test_cli_path (void)
{
  const char *bin = g_getenv ("CUSTODY_CLOCK_BIN");

  g_assert_nonnull (bin);
  return bin;
}

/**
 * cc_test_run_argv:
 * @envp_extra: (nullable): NAME=VALUE strings added to the environment
 * @stdin_text: (nullable): written to the program's standard input
 *
 * Runs a program to completion and collects its output.
 */
CcTestRun *
cc_test_run_argv (const char *const *envp_extra,
                  const char        *stdin_text,
                  const char *const *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  CcTestRun *run = g_new0 (CcTestRun, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (gsize i = 0; envp_extra != NULL && envp_extra[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (envp_extra[i], "=", 2);
      if (pair[1] == NULL)
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
      else
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;

  if (g_test_verbose ())
    g_test_message ("%s → %d\nstdout:\n%s\nstderr:\n%s", argv[0], run->status, run->out, run->err);
  return run;
}

CcTestRun *
cc_test_run (const char *const *envp_extra,
             const char        *stdin_text,
             const char        *program,
             ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list     args;

  g_ptr_array_add (argv, (gpointer) program);
  va_start (args, program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return cc_test_run_argv (envp_extra, stdin_text, (const char *const *) argv->pdata);
}

/**
 * cc_test_cli:
 * @db_path: (nullable): passed as `--db PATH` after the other arguments
 *
 * Runs the real custody-clock binary.
 */
CcTestRun *
cc_test_cli (const char *db_path,
             const char *stdin_text,
             const char *first_arg,
             ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list     args;

  g_ptr_array_add (argv, (gpointer) cc_test_cli_path ());
  if (first_arg != NULL)
    {
      g_ptr_array_add (argv, (gpointer) first_arg);
      va_start (args, first_arg);
      while ((arg = va_arg (args, const char *)) != NULL)
        g_ptr_array_add (argv, (gpointer) arg);
      va_end (args);
    }
  if (db_path != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, (gpointer) db_path);
    }
  g_ptr_array_add (argv, NULL);
  return cc_test_run_argv (NULL, stdin_text, (const char *const *) argv->pdata);
}

/* Lines of @text that contain @needle. */
int
cc_test_count_lines (const char *text,
                     const char *needle)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  int n = 0;

  for (gsize i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* A child authorised at 14:00 on 8 March 2022, welfare informed, seen by
 * healthcare and referred, whose appropriate adult is never called. */
const char cc_test_one_child[] =
  "{\"event_id\":\"a1\",\"record_id\":\"R-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-1\",\"dob\":\"2010-09-01\"}}\n"
  "{\"event_id\":\"a2\",\"record_id\":\"R-1\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:00:00Z\"}\n"
  "{\"event_id\":\"a3\",\"record_id\":\"R-1\",\"type\":\"welfare_informed\",\"occurred_at\":\"2022-03-08T14:05:00Z\"}\n"
  "{\"event_id\":\"a4\",\"record_id\":\"R-1\",\"type\":\"hcp_seen\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n"
  "{\"event_id\":\"a5\",\"record_id\":\"R-1\",\"type\":\"cp_referral\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n";

/**
 * cc_test_import:
 * @jsonl: JSON Lines, every line of which must be accepted
 * @now: the importer's "now" (events after it are in the future)
 *
 * Imports @jsonl into @store through the real importer, as `custody-clock
 * import` would, and fails the test if anything is refused.
 */
void
cc_test_import (CcStore    *store,
                const char *jsonl,
                CcInstant   now)
{
  g_autoptr (CcImporter) importer = cc_importer_new (store, "test", now);
  g_autoptr (GInputStream) input = g_memory_input_stream_new_from_data (g_strdup (jsonl), strlen (jsonl), g_free);
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_importer_import_stream (importer, input, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cc_importer_get_stats (importer)->rejected, ==, 0);
}

/**
 * cc_test_sql_exec:
 * @path: a database file
 * @sql: statements
 *
 * Runs @sql on its own connection, as a custody system writing with plain
 * SQL would; a failure fails the test, naming the statement.
 */
void
cc_test_sql_exec (const char *path,
                  const char *sql)
{
  sqlite3 *db = NULL;
  char    *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* A custody system waits for the agent's lock rather than failing. */
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/**
 * cc_test_sql_int:
 * @path: a database file
 * @sql: a query of one row whose first column is an integer
 *
 * Returns: that integer; no row fails the test, naming the query
 */
gint64
cc_test_sql_int (const char *path,
                 const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: no row", sql);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/**
 * cc_test_sql_text:
 * @path: a database file
 * @sql: a query
 *
 * Returns: (transfer full) (nullable): the first column of the first row,
 *   as text, or %NULL when there is no row or it is NULL; a query that
 *   does not prepare fails the test, naming it
 */
char *
cc_test_sql_text (const char *path,
                  const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/**
 * cc_test_policy:
 * @overlay: (nullable): a policy file's text, laid over the defaults
 *
 * Returns: (transfer full): the built-in defaults with @overlay applied;
 *   a refused overlay fails the test
 */
CcPolicy *
cc_test_policy (const char *overlay)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  CcPolicy *policy;

  if (overlay == NULL)
    return g_steal_pointer (&defaults);
  policy = cc_policy_load_data (defaults, overlay, -1, "test", NULL, &error);
  g_assert_no_error (error);
  return policy;
}

/**
 * cc_test_db_open:
 * @db: the fixture to fill
 * @file_name: the database's name in its new folder
 * @policy_overlay: (nullable): for cc_test_policy()
 *
 * Creates the database (its schema migrated) in a new temporary folder,
 * and the policy.  Undo it with cc_test_db_close().
 */
void
cc_test_db_open (CcTestDb   *db,
                 const char *file_name,
                 const char *policy_overlay)
{
  g_autoptr (GError) error = NULL;

  db->dir = cc_test_tmpdir ();
  db->path = g_build_filename (db->dir, file_name, NULL);
  db->store = cc_store_open (db->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  db->policy = cc_test_policy (policy_overlay);
}

/**
 * cc_test_db_close:
 * @db: a fixture cc_test_db_open() filled
 * @unused: so that it is a GTest tear-down for a fixture that is a CcTestDb
 *
 * Closes the store (if it is still open) and removes the folder.
 */
void
cc_test_db_close (CcTestDb     *db,
                  gconstpointer unused)
{
  g_clear_pointer (&db->store, cc_store_free);
  g_clear_pointer (&db->policy, cc_policy_unref);
  cc_test_rm_rf (db->dir);
  g_clear_pointer (&db->dir, g_free);
  g_clear_pointer (&db->path, g_free);
}
