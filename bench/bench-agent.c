/* bench-agent.c: how fast the running agent reacts, and what its passes cost
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   bench-agent latency DB N           commit-to-escalation-record, N commits
 *   bench-agent lateness DB N          breach-instant-to-record, N breaches
 *   bench-agent restart DB N [POLICY]  the start-up after the first, N times
 *   bench-agent pass DB N [POLICY]     a pass with nothing new, N times
 *
 * latency and lateness: the agent (custody-clockd) must already run on DB
 * with bench/agent.ini.  This program is the custody system: its own
 * SQLite connection commits rows, and a second connection watches for the
 * agent's records, every millisecond.
 *
 * restart and pass (issue 15) run the agent's own code in this process,
 * with no custody-clockd: restart opens DB and makes a new agent's first
 * pass (cc_agent_process(), the catch-up: what a restart of custody-clockd
 * does before "Ready", less the process's start), N times, each on a
 * connection of its own; pass makes that first pass once and then times N
 * passes with nothing new (what every file event and alarm costs).  On a
 * log after the migration to schema 10 the first start reads every record
 * once: it is reported on stderr, like the records held.  The
 * notifications go nowhere (the log notifier, its messages dropped).
 *
 * Every mode prints its samples in milliseconds, one per line.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "cc-agent.h"
#include "cc-time-source.h"
#include "cc-notifier.h"
#include "cc-policy.h"
#include "cc-store.h"

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("%s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gboolean
has_record (sqlite3    *db,
            const char *record_id)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found;

  sqlite3_prepare_v2 (db, "SELECT 1 FROM escalation WHERE record_id = ?1", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* Commits a child at @arrival; with the bench policy the AA must be called
 * within 1 s of it, so the breach falls at @arrival + 1 s. */
static void
commit_child (sqlite3    *db,
              const char *record_id,
              gint64      arrival)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (arrival);
  g_autofree char *when = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
    "('%s', 'arrival', '%s', '{\"suite\":\"Bench\",\"child\":\"C-%s\",\"appears_under_18\":true}')",
    record_id, when, record_id);

  exec (db, sql);
}

static double
wait_for (sqlite3    *watch,
          const char *record_id,
          gint64      since_us)
{
  gint64 limit = g_get_real_time () + 10 * G_USEC_PER_SEC;

  while (!has_record (watch, record_id))
    {
      if (g_get_real_time () > limit)
        g_error ("no escalation record for %s after 10 s: is custody-clockd running?", record_id);
      g_usleep (1000);
    }
  return (g_get_real_time () - since_us) / 1000.0;
}

/* The log notifier's lines and the agent's journal: not this program's
 * output.  Warnings and worse still show. */
static GLogWriterOutput
quiet_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static CcAgent *
first_pass (CcStore    *store,
            CcPolicy   *policy,
            CcNotifier *notifier,
            double     *out_ms)
{
  g_autoptr (GError) error = NULL;
  CcAgent *agent = cc_agent_new (store, policy, notifier, "bench", NULL, CC_LEVEL_SERGEANT);
  gint64   start = g_get_monotonic_time ();

  if (!cc_agent_process (agent, cc_time_source_machine_now (), &error))
    g_error ("the first pass failed: %s", error->message);
  *out_ms = (g_get_monotonic_time () - start) / 1000.0;
  return agent;
}

/* restart and pass: the agent's code, timed in this process. */
static int
run_agent_mode (const char *mode,
                const char *db,
                int         n,
                const char *policy_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = cc_policy_load (policy_path, NULL, &error);
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();

  if (policy == NULL)
    g_error ("%s", error->message);
  g_log_set_writer_func (quiet_writer, NULL, NULL);

  if (g_str_equal (mode, "restart"))
    {
      for (int i = 0; i < n; i++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr (CcStore) store = cc_store_open (db, CC_STORE_OPEN_NONE, &error);
          g_autoptr (CcAgent) agent = NULL;
          double pass_ms;

          if (store == NULL)
            g_error ("%s", error->message);
          agent = first_pass (store, policy, notifier, &pass_ms);
          fprintf (stderr, "start %d: %.1f ms (open %.1f ms), %u records held\n", i + 1,
                   (g_get_monotonic_time () - start) / 1000.0, (g_get_monotonic_time () - start) / 1000.0 - pass_ms,
                   cc_agent_get_n_held (agent));
          printf ("%.2f\n", (g_get_monotonic_time () - start) / 1000.0);
          fflush (stdout);
        }
    }
  else
    {
      g_autoptr (CcStore) store = cc_store_open (db, CC_STORE_OPEN_NONE, &error);
      g_autoptr (CcAgent) agent = NULL;
      double first_ms;

      if (store == NULL)
        g_error ("%s", error->message);
      agent = first_pass (store, policy, notifier, &first_ms);
      fprintf (stderr, "first pass: %.1f ms, %u records held\n", first_ms, cc_agent_get_n_held (agent));
      for (int i = 0; i < n; i++)
        {
          gint64 start = g_get_monotonic_time ();

          if (!cc_agent_process (agent, cc_time_source_machine_now (), &error))
            g_error ("a pass failed: %s", error->message);
          printf ("%.3f\n", (g_get_monotonic_time () - start) / 1000.0);
        }
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  sqlite3 *writer, *watch;
  int      n;

  if (argc == 4 || argc == 5)
    if (g_str_equal (argv[1], "restart") || g_str_equal (argv[1], "pass"))
      return run_agent_mode (argv[1], argv[2], atoi (argv[3]), argc == 5 ? argv[4] : NULL);
  if (argc != 4)
    {
      fprintf (stderr, "usage: bench-agent latency|lateness DB N\n"
                       "       bench-agent restart|pass DB N [POLICY]\n");
      return 2;
    }
  writer = open_db (argv[2]);
  watch = open_db (argv[2]);
  n = atoi (argv[3]);

  if (g_str_equal (argv[1], "latency"))
    {
      /* Each child arrived an hour ago: already in breach when committed. */
      for (int i = 0; i < n; i++)
        {
          g_autofree char *id = g_strdup_printf ("LAT-%d-%" G_GINT64_FORMAT, i, g_get_real_time ());
          gint64           committed;

          commit_child (writer, id, g_get_real_time () / G_USEC_PER_SEC - 3600);
          committed = g_get_real_time ();
          printf ("%.2f\n", wait_for (watch, id, committed));
          fflush (stdout);
        }
    }
  else if (g_str_equal (argv[1], "lateness"))
    {
      /* Children arriving now, their breaches a second or more ahead, one
       * per second: the agent's alarm must write each at its instant. */
      gint64 base = g_get_real_time () / G_USEC_PER_SEC + 1;
      g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      for (int i = 0; i < n; i++)
        {
          char *id = g_strdup_printf ("LATE-%d-%" G_GINT64_FORMAT, i, base);
          g_ptr_array_add (ids, id);
          commit_child (writer, id, base + i);
        }
      for (int i = 0; i < n; i++)
        {
          gint64 breach_us = (base + i + 1) * G_USEC_PER_SEC;
          printf ("%.2f\n", wait_for (watch, g_ptr_array_index (ids, i), breach_us));
          fflush (stdout);
        }
    }
  else
    return 2;

  sqlite3_close (writer);
  sqlite3_close (watch);
  return 0;
}
