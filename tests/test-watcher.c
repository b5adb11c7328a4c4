/* test-watcher.c: another process's commit heard through the database's
 * folder (cc-watcher.c)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What cc-watcher.c promises: a write to the database or its -wal file by
 * anyone is one CC_WATCH_WRITTEN per batch; the file deleted, moved away or
 * replaced by another is CC_WATCH_GONE; other files in the folder are not
 * heard of; a database that is not there cannot be watched.  The writer is
 * the sqlite3 program, a process of its own writing a real WAL database as
 * a custody system does; the test waits in a GMainLoop, as the agent does,
 * and a deadline fails the test instead of letting it hang.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cc-test-util.h"
#include "cc-watcher.h"

/* Far longer than inotify takes (microseconds), for a loaded machine. */
#define DEADLINE_MS 10000
/* How long silence is listened for: events are queued by the kernel as
 * the write happens, so anything there is to hear is there by then. */
#define QUIET_MS 200

typedef struct
{
  char      *dir;
  char      *path;
  CcWatcher *watcher;
  GMainLoop *loop;
  guint      n_written;
  guint      n_gone;
  gboolean   timed_out;
} Fixture;

static void
on_watch (CcWatchEvent event,
          gpointer     user_data)
{
  Fixture *f = user_data;

  if (event == CC_WATCH_WRITTEN)
    f->n_written++;
  else
    f->n_gone++;
  g_main_loop_quit (f->loop);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = cc_test_tmpdir ();
  f->path = g_build_filename (f->dir, "custody.db", NULL);
  /* A WAL database, as the store makes it; closing it checkpoints and
   * removes the -wal file, so the folder is quiet when the watch begins. */
  cc_test_sql_exec (f->path, "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)");
  f->loop = g_main_loop_new (NULL, FALSE);
  f->watcher = cc_watcher_new (f->path, on_watch, f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->watcher);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_pointer (&f->watcher, cc_watcher_free);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gboolean
on_timeout (gpointer user_data)
{
  Fixture *f = user_data;

  f->timed_out = TRUE;
  g_main_loop_quit (f->loop);
  return G_SOURCE_REMOVE;
}

/* Runs the loop until the watcher says something; the deadline fails the
 * test rather than letting it hang. */
static void
wait_for_event (Fixture *f)
{
  guint id;

  f->timed_out = FALSE;
  id = g_timeout_add (DEADLINE_MS, on_timeout, f);
  g_main_loop_run (f->loop);
  if (f->timed_out)
    g_error ("the watcher said nothing within %d ms", DEADLINE_MS);
  g_source_remove (id);
}

/* Runs the loop for QUIET_MS, hearing whatever the watcher says. */
static void
listen_quietly (Fixture *f)
{
  f->timed_out = FALSE;
  g_timeout_add (QUIET_MS, on_timeout, f);
  while (!f->timed_out)
    g_main_loop_run (f->loop);
}

/* Another process commits to the database with plain SQL. */
static void
commit_from_another_process (Fixture    *f,
                             const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) writer = NULL;

  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sqlite3", "-cmd", ".timeout 5000", f->path, sql, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (writer, NULL, &error));
  g_assert_no_error (error);
}

static void
test_commit (Fixture      *f,
             gconstpointer data)
{
  commit_from_another_process (f, "INSERT INTO t VALUES (1)");
  wait_for_event (f);
  g_assert_cmpuint (f->n_written, ==, 1);
  g_assert_cmpuint (f->n_gone, ==, 0);
  /* One call for the commit's batch of writes (the -wal file created,
   * written, checkpointed into the database and removed), not one each. */
  listen_quietly (f);
  g_assert_cmpuint (f->n_written, ==, 1);

  /* The next commit is heard as well: the watch goes on. */
  commit_from_another_process (f, "INSERT INTO t VALUES (2)");
  wait_for_event (f);
  g_assert_cmpuint (f->n_written, ==, 2);
  g_assert_cmpuint (f->n_gone, ==, 0);
}

/* Other files in the folder are not the database, even by a prefix. */
static void
test_unrelated_files (Fixture      *f,
                      gconstpointer data)
{
  const char *const names[] = { "notes.txt", "custody.db.bak", "custody", "other.db", "other.db-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *other = g_build_filename (f->dir, names[i], NULL);
      g_autofree char *moved = g_strconcat (other, ".old", NULL);

      cc_test_write_file (other, "written");
      g_assert_cmpint (g_rename (other, moved), ==, 0);
      g_assert_cmpint (g_unlink (moved), ==, 0);
    }
  listen_quietly (f);
  g_assert_cmpuint (f->n_written, ==, 0);
  g_assert_cmpuint (f->n_gone, ==, 0);

  /* The control: the watcher was listening all along. */
  commit_from_another_process (f, "INSERT INTO t VALUES (1)");
  wait_for_event (f);
  g_assert_cmpuint (f->n_written, ==, 1);
  g_assert_cmpuint (f->n_gone, ==, 0);
}

/* The file deleted, moved away, or replaced by another file of the same
 * name (a restore from a backup): the agent must not go on with a
 * connection to a file nobody else writes. */
static void
test_gone (Fixture      *f,
           gconstpointer data)
{
  const char      *how = data;
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere.db", NULL);

  if (g_str_equal (how, "deleted"))
    g_assert_cmpint (g_unlink (f->path), ==, 0);
  else if (g_str_equal (how, "moved"))
    g_assert_cmpint (g_rename (f->path, elsewhere), ==, 0);
  else
    {
      cc_test_sql_exec (elsewhere, "CREATE TABLE u (y INTEGER)");
      g_assert_cmpint (g_rename (elsewhere, f->path), ==, 0);
    }
  wait_for_event (f);
  g_assert_cmpuint (f->n_gone, ==, 1);
  g_assert_cmpuint (f->n_written, ==, 0);
}

static void
never_called (CcWatchEvent event,
              gpointer     user_data)
{
  g_assert_not_reached ();
}

static void
test_missing (void)
{
  g_autofree char *dir = cc_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "custody.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcWatcher) watcher = NULL;

  watcher = cc_watcher_new (path, never_called, NULL, &error);
  g_assert_null (watcher);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  cc_test_rm_rf (dir);
}

static void
skip_without_sqlite3 (void)
{
  g_test_skip ("no sqlite3 program to write as another process");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sqlite3 = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/watcher/missing", test_missing);
  sqlite3 = g_find_program_in_path ("sqlite3");
  if (sqlite3 == NULL)
    {
      /* The writer is the sqlite3 program (build-aux/install-deps --tests). */
      g_test_add_func ("/watcher/skipped-without-sqlite3", skip_without_sqlite3);
      return g_test_run ();
    }

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/watcher/commit", NULL, test_commit);
  ADD ("/watcher/unrelated-files", NULL, test_unrelated_files);
  ADD ("/watcher/gone/deleted", "deleted", test_gone);
  ADD ("/watcher/gone/moved", "moved", test_gone);
  ADD ("/watcher/gone/replaced", "replaced", test_gone);
#undef ADD

  return g_test_run ();
}
