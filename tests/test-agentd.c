/* test-agentd.c: the real custody-clockd, with another process writing
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * End to end on the real binary: a temporary database, the agent started on
 * it with --no-notify, and the sqlite3 program inserting rows with plain SQL
 * the way a custody system does.  Thresholds of one or two seconds keep the
 * waits short; how fast the agent reacts is measured in bench/, not judged
 * here (the machines are shared and noisy), so the limits below are wide.
 * (It was test-agent.c; "agentd" because it tests the daemon, its options,
 * signals, alarm and watcher wiring in src/agent/, where test-agent-pass.c
 * tests the library's pass, cc-agent.c, with injected time.)
 *
 * The working set (issue 15): a start reads record_unsettled, open
 * escalations and quarantined rows, never the log; the tests at the end
 * check that what the agent let go comes back whenever a row could change
 * it, whoever settled it first, with two desks on one log, and that a
 * SIGTERM during the first start's catch-up is heard between batches.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>

#include "cc-time-source.h"
#include "cc-policy.h"
#include "cc-settle.h"
#include "cc-test-util.h"

typedef struct
{
  char        *dir;
  char        *db;
  char        *policy;
  char        *log;
  GSubprocess *agent;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  f->dir = cc_test_tmpdir ();
  f->db = g_build_filename (f->dir, "custody.db", NULL);
  f->policy = g_build_filename (f->dir, "policy.ini", NULL);
  f->log = g_build_filename (f->dir, "agent.log", NULL);
  /* AA to be called within 2 s; everything else quiet. */
  cc_test_write_file (f->policy,
                      "[aa_requested]\nwarn_after=1s\nbreach_after=2s\n[escalation]\nack_timeout=1h\n"
                      "[welfare_informed]\nenabled=false\n[aa_arrived]\nenabled=false\n[healthcare]\nenabled=false\n"
                      "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n");
  run = cc_test_cli (f->db, NULL, "init", NULL);
  g_assert_cmpint (run->status, ==, 0);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  if (f->agent != NULL)
    {
      g_subprocess_force_exit (f->agent);
      g_subprocess_wait (f->agent, NULL, NULL);
      g_clear_object (&f->agent);
    }
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->policy);
  g_free (f->log);
}

static const char *
agent_path (void)
{
  const char *path = g_getenv ("CUSTODY_CLOCKD_BIN");

  g_assert_nonnull (path);
  return path;
}

/* An agent dies with the test, even when a failed assertion skips the
 * tear-down. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn_agent (Fixture    *f,
             const char *agent_id,
             const char *log)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GError) error = NULL;
  GSubprocess *agent;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  agent = g_subprocess_launcher_spawn (launcher, &error, agent_path (), "--db", f->db, "--policy", f->policy,
                                       "--no-notify", "--agent-id", agent_id, NULL);
  g_assert_no_error (error);
  return agent;
}

static void
start_agent (Fixture *f)
{
  f->agent = spawn_agent (f, "test-desk", f->log);
}

static char *
read_log (Fixture *f)
{
  char *text = NULL;

  g_file_get_contents (f->log, &text, NULL, NULL);
  return text != NULL ? text : g_strdup ("");
}

/* Waits (iterating, never sleeping for a deadline it could compute) until
 * the log says @needle or @seconds pass. */
static gboolean
wait_for_log (Fixture    *f,
              const char *needle,
              double      seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *text = read_log (f);
      if (strstr (text, needle) != NULL)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

/* How many escalation records match @where, read by a separate connection. */
static int
count_rows (Fixture    *f,
            const char *rule)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int           n = -1;

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 2000);
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM escalation WHERE rule = ?1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, rule, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gint64
wait_for_rows (Fixture    *f,
               const char *rule,
               int         n,
               double      seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      if (count_rows (f, rule) >= n)
        return g_get_monotonic_time () - start;
      g_usleep (5 * 1000);
    }
  return -1;
}

static void
insert_sql (Fixture    *f,
            const char *sql)
{
  /* Another writer (the agent) may hold the lock for a moment: wait for
   * it, as a custody system's connection would. */
  g_autoptr (CcTestRun) run = cc_test_run (NULL, NULL, "sqlite3", "-cmd", ".timeout 5000", f->db, sql, NULL);

  g_assert_cmpint (run->status, ==, 0);
}

static char *
iso_now (gint64 offset_seconds)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = g_date_time_add_seconds (now, offset_seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* A custody system commits a child who has been waiting an hour for an
 * AA to be called: the agent notices the commit and writes the record. */
static void
test_commit_to_record (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *an_hour_ago = iso_now (-3600);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
    "('TP-1', 'arrival', '%s', '{\"suite\":\"North\",\"child\":\"C-1\",\"dob\":\"2010-01-01\"}'),"
    "('TP-1', 'cp_referral', '%s', '{}');",
    an_hour_ago, an_hour_ago);
  g_autofree char *log = NULL;
  gint64           latency;

  start_agent (f);
  g_assert_true (wait_for_log (f, "Watching", 10));
  insert_sql (f, sql);
  latency = wait_for_rows (f, "aa_requested", 1, 10);
  g_assert_cmpint (latency, >=, 0);
  g_test_message ("commit to record: %.1f ms (measured in bench/, not judged here)", latency / 1000.0);

  /* The notice follows the record's commit, asynchronously. */
  g_assert_true (wait_for_log (f, "TP-1: Appropriate adult called — missed", 10));
  log = read_log (f);
  g_assert_null (strstr (log, "2010-01-01"));
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 1);
}

/* A third party's bad row costs that row only: it is quarantined, and the
 * child committed with it is watched as ever. */
static void
test_bad_row (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *an_hour_ago = iso_now (-3600);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
    "('TP-3', 'arrival', '%s', '{\"suite\":\"North\",\"child\":\"C-3\",\"appears_under_18\":true}'),"
    "('TP-3', 'cell_visit', '2022-03-08 16:00', '{}'),"
    "('TP-3', 'review', '%s', 'rank=inspector');",
    an_hour_ago, an_hour_ago);
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *log = NULL;

  start_agent (f);
  g_assert_true (wait_for_log (f, "Watching", 10));
  insert_sql (f, sql);
  g_assert_cmpint (wait_for_rows (f, "aa_requested", 1, 10), >=, 0);
  g_assert_true (wait_for_log (f, "2 rows of the custody log cannot count", 10));
  log = read_log (f);
  g_assert_null (strstr (log, "rank=inspector")); /* no event data in the log */

  run = cc_test_run (NULL, NULL, "sqlite3", f->db, "SELECT count(*) FROM quarantine WHERE origin = 'custody_event'", NULL);
  g_assert_cmpstr (run->out, ==, "2\n");
}

/* A breach that falls due while the agent runs is written on time, by the
 * one alarm, with no new row to prompt it. */
static void
test_breach_on_time (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *now = iso_now (0);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
    "('TP-2', 'arrival', '%s', '{\"suite\":\"North\",\"child\":\"C-2\",\"appears_under_18\":true}');",
    now);
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;

  start_agent (f);
  g_assert_true (wait_for_log (f, "Watching", 10));
  insert_sql (f, sql);
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 0);
  g_assert_cmpint (wait_for_rows (f, "aa_requested", 1, 10), >=, 0);

  /* Written at the breach, not late: raised_at within a second of it. */
  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT strftime('%s', raised_at) - strftime('%s', breached_at), late "
                                           "FROM escalation WHERE rule = 'aa_requested'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), <=, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* SIGHUP with a broken policy keeps the old one; SIGTERM stops cleanly. */
static void
test_signals (Fixture      *f,
              gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  start_agent (f);
  g_assert_true (wait_for_log (f, "Watching", 10));
  cc_test_write_file (f->policy, "[review]\nenabled=false\n");
  g_subprocess_send_signal (f->agent, SIGHUP);
  g_assert_true (wait_for_log (f, "the new policy is refused and the old one stays", 10));
  g_assert_true (g_subprocess_get_identifier (f->agent) != NULL); /* still running */

  g_subprocess_send_signal (f->agent, SIGTERM);
  g_assert_true (g_subprocess_wait (f->agent, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->agent));
  g_assert_cmpint (g_subprocess_get_exit_status (f->agent), ==, 0);
  g_clear_object (&f->agent);
}

/* The database deleted under a running agent: it says so and exits
 * non-zero, so that systemd restarts it; it never watches a dead file. */
static void
test_database_gone (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  start_agent (f);
  g_assert_true (wait_for_log (f, "Watching", 10));
  g_assert_cmpint (g_unlink (f->db), ==, 0);
  g_assert_true (g_subprocess_wait (f->agent, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (f->agent));
  g_assert_cmpint (g_subprocess_get_exit_status (f->agent), !=, 0);
  g_assert_true (wait_for_log (f, "was deleted, moved or replaced", 1));
  g_clear_object (&f->agent);
}

/* The agent's log (the journal, which administrators and their tools read
 * widely) holds record numbers and event types, never event data: no date
 * of birth, no person reference, no appropriate adult's name, no suite,
 * no officer, not even in a breach, a warning or a quarantined bad row. */
static void
test_log_has_no_event_data (Fixture      *f,
                            gconstpointer data)
{
  g_autofree char *an_hour_ago = iso_now (-3600);
  g_autofree char *now = iso_now (0);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO custody_event (record_id, type, occurred_at, officer, data) VALUES "
    "('PRIV-1', 'arrival', '%s', 'PS 4471 Zanzibar', "
    " '{\"suite\":\"Quokkaville\",\"child\":\"C-XYLOPHONE-88\",\"dob\":\"2011-07-23\",\"offence\":\"Jabberwock theft\"}'),"
    "('PRIV-1', 'aa_arrived', '%s', 'PS 4471 Zanzibar', '{\"name\":\"Persephone Quibble\"}'),"
    "('PRIV-1', 'aa_arrived', 'last Tuesday', NULL, '{\"name\":\"Persephone Quibble\"}'),"
    "('PRIV-2', 'arrival', '%s', 'PS 4471 Zanzibar', "
    " '{\"suite\":\"Quokkaville\",\"child\":\"C-XYLOPHONE-89\",\"dob\":\"2011-07-24\"}');",
    an_hour_ago, an_hour_ago, now);
  g_autofree char *log = NULL;
  const char      *secrets[] = { "2011-07-2", "XYLOPHONE", "Persephone", "Quibble", "Quokkaville", "Zanzibar", "4471",
                                 "Jabberwock", "last Tuesday" };

  start_agent (f);
  /* After its first pass: the sqlite3 program waits for no lock. */
  g_assert_true (wait_for_log (f, "Ready", 10));
  insert_sql (f, sql);
  /* PRIV-1 missed at once; PRIV-2 warned after 1 s and missed after 2. */
  g_assert_cmpint (wait_for_rows (f, "aa_requested", 2, 10), >=, 0);
  g_assert_true (wait_for_log (f, "PRIV-2: Appropriate adult called — missed", 10));
  g_assert_true (wait_for_log (f, "cannot count and was quarantined", 10));

  log = read_log (f);
  /* What it does say: record numbers and what is missed (and, for PRIV-2,
   * most likely its warning first: whatever was logged is checked). */
  g_assert_nonnull (strstr (log, "PRIV-1: Appropriate adult called — missed"));
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (log, secrets[i]) != NULL)
      g_error ("the agent's log holds event data (%s):\n%s", secrets[i], log);
}

/* How many rows are in @table, read by a separate connection. */
static int
count_table (Fixture    *f,
             const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  g_autoptr (CcTestRun) run = cc_test_run (NULL, NULL, "sqlite3", "-cmd", ".timeout 5000", f->db, sql, NULL);

  g_assert_cmpint (run->status, ==, 0);
  return (int) g_ascii_strtoll (run->out, NULL, 10);
}

/* --start without --speed set the agent's clock hours back at real speed,
 * and then valid rows written now were quarantined for good as "ahead of
 * this machine's clock".  The combination is refused, and nothing is
 * written to the log. */
static void
test_start_needs_speed (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *earlier = iso_now (-2 * 3600);
  g_autoptr (CcTestRun) run = NULL;

  insert_sql (f, "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
                 "('S-1', 'arrival', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '{\"suite\":\"North\",\"child\":\"C-1\",\"dob\":\"2010-01-01\"}')");
  run = cc_test_run (NULL, NULL, agent_path (), "--db", f->db, "--policy", f->policy, "--no-notify", "--start",
                     earlier, NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "--start needs --speed"));
  g_assert_cmpint (count_table (f, "quarantine"), ==, 0);
  g_assert_cmpint (count_table (f, "escalation"), ==, 0);
}

/* A demonstration's clock set two hours back: a row written now is two
 * hours ahead of that clock but not of the machine's, so it is a valid
 * event and is not quarantined; a row ahead of the machine's clock still
 * is.  "In the future" is never judged against a simulated clock. */
static void
test_future_judged_by_machine_clock (Fixture      *f,
                                     gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GError) error = NULL;
  g_autofree char *earlier = iso_now (-2 * 3600);
  g_autofree char *now = iso_now (0);
  g_autofree char *ahead = iso_now (3 * 3600);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
    "('F-1', 'arrival', '%s', '{\"suite\":\"North\",\"child\":\"C-1\",\"dob\":\"2010-01-01\"}'),"
    "('F-2', 'arrival', '%s', '{\"suite\":\"North\",\"child\":\"C-2\",\"dob\":\"2010-01-01\"}')",
    now, ahead);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, f->log);
  f->agent = g_subprocess_launcher_spawn (launcher, &error, agent_path (), "--db", f->db, "--policy", f->policy,
                                          "--no-notify", "--agent-id", "test-demo", "--start", earlier, "--speed",
                                          "1", NULL);
  g_assert_no_error (error);
  g_assert_true (wait_for_log (f, "Ready", 10));
  insert_sql (f, sql);
  g_assert_true (wait_for_log (f, "cannot count and was quarantined", 10));
  g_assert_cmpint (count_table (f, "quarantine"), ==, 1);
  {
    g_autoptr (CcTestRun) run = cc_test_run (NULL, NULL, "sqlite3", "-cmd", ".timeout 5000", f->db,
                                             "SELECT q.record_id FROM quarantine q", NULL);
    g_assert_cmpstr (g_strstrip (run->out), ==, "F-2");
  }
}

/* A --suite that matches no suite in the log stops the agent at start,
 * naming the suites there are, instead of watching nobody (issue 14 item
 * 8).  timeout(1) bounds the run: before, the agent ran on. */
static void
test_unknown_suite (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  insert_sql (f, "INSERT INTO custody_event (event_id, record_id, type, occurred_at, data) VALUES "
                 "('s1', 'R-S', 'arrival', '2022-03-08T14:00:00Z', '{\"suite\":\"Swindon\",\"child\":\"C-S\"}'), "
                 "('m1', 'R-M', 'arrival', '2022-03-08T14:00:00Z', '{\"suite\":\"Melksham\",\"child\":\"C-M\"}');");
  run = cc_test_run (NULL, NULL, "timeout", "20", agent_path (), "--db", f->db, "--policy", f->policy, "--no-notify",
                     "--suite", "swindn", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "no suite named swindn; suites in the log: Melksham, Swindon"));
}

/* An integer from plain SQL, by a separate connection. */
static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr (CcTestRun) run = cc_test_run (NULL, NULL, "sqlite3", "-cmd", ".timeout 5000", f->db, sql, NULL);

  g_assert_cmpint (run->status, ==, 0);
  return g_ascii_strtoll (run->out, NULL, 10);
}

/* Polls until @sql gives @expected or @seconds pass. */
static gboolean
wait_for_int (Fixture    *f,
              const char *sql,
              gint64      expected,
              double      seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      if (query_int (f, sql) == expected)
        return TRUE;
      g_usleep (20 * 1000);
    }
  return FALSE;
}

/* Events into the log the way the custody system's export does: the
 * fixture made the log with `init`, this is `import`. */
static void
import_events (Fixture    *f,
               const char *jsonl)
{
  g_autofree char *file = g_build_filename (f->dir, "events.jsonl", NULL);
  g_autoptr (CcTestRun) run = NULL;

  cc_test_write_file (file, jsonl);
  run = cc_test_cli (f->db, NULL, "import", file, NULL);
  g_assert_cmpint (run->status, ==, 0);
}

/* A child who came in three hours ago, had the AA called at once and was
 * released two hours ago: nothing was missed, and the record is settled. */
static char *
released_child (const char *record_id)
{
  g_autofree char *arrived = iso_now (-3 * 3600);
  g_autofree char *left = iso_now (-2 * 3600);

  return g_strdup_printf (
    "{\"event_id\":\"%1$s-a\",\"record_id\":\"%1$s\",\"type\":\"arrival\",\"occurred_at\":\"%2$s\","
    "\"data\":{\"suite\":\"North\",\"child\":\"C-%1$s\",\"dob\":\"2010-01-01\"}}\n"
    "{\"event_id\":\"%1$s-aa\",\"record_id\":\"%1$s\",\"type\":\"aa_requested\",\"occurred_at\":\"%2$s\"}\n"
    "{\"event_id\":\"%1$s-r\",\"record_id\":\"%1$s\",\"type\":\"released\",\"occurred_at\":\"%3$s\","
    "\"data\":{\"outcome\":\"nfa\"}}\n",
    record_id, arrived, left);
}

/* A late correction by the custody system's own SQL: the AA request of
 * @record_id was keyed in error.  The AA was then called after no one:
 * a breach two seconds after arrival, found after the fact. */
static void
void_aa_request (Fixture    *f,
                 const char *record_id)
{
  g_autofree char *now = iso_now (0);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO custody_event (record_id, type, occurred_at, supersedes) "
                                          "VALUES ('%1$s', 'void', '%2$s', '%1$s-aa')",
                                          record_id, now);

  insert_sql (f, sql);
}

static void
stop_agent (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (f->agent, SIGTERM);
  g_assert_true (g_subprocess_wait (f->agent, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->agent));
  g_assert_cmpint (g_subprocess_get_exit_status (f->agent), ==, 0);
  g_clear_object (&f->agent);
}

static void
start_agent_until_ready (Fixture *f)
{
  g_unlink (f->log);
  start_agent (f);
  g_assert_true (wait_for_log (f, "Ready", 20));
}

/* A board or report (`status`) that settles a record first clears only
 * its on_board mark: a late entry it read with the record still reaches
 * the agent's next start, which escalates what the entry reveals (issue
 * 15: a start reads record_unsettled whatever on_board says, and only the
 * agent deletes there). */
static void
test_late_entry_after_board_settle (Fixture      *f,
                                    gconstpointer data)
{
  g_autofree char *events = released_child ("R-LATE");
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcPolicy) policy = NULL;
  guint n_read = 0, n_settled = 0;

  import_events (f, events);
  start_agent_until_ready (f);
  stop_agent (f);
  /* Nothing missed; the agent let the record go and settled it. */
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_unsettled"), ==, 0);

  /* The late entry, then a board at the machine's time settles it. */
  void_aa_request (f, "R-LATE");
  store = cc_store_open (f->db, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  policy = cc_policy_load (f->policy, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_settle_backlog (store, policy, cc_time_source_machine_now (), &n_read, &n_settled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_settled, ==, 1);
  g_clear_pointer (&store, cc_store_free);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_unsettled WHERE record_id = 'R-LATE' AND on_board = 0"),
                   ==, 1);

  /* The next start reads it, writes the breach (late, resolved: the child
   * has left) and lets it go for good. */
  start_agent_until_ready (f);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM escalation WHERE record_id = 'R-LATE' AND rule = 'aa_requested' "
                                 "AND late = 1 AND resolution = 'closed'"),
                   ==, 1);
  stop_agent (f);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_unsettled"), ==, 0);

  /* And a start after that reads nothing and writes nothing again. */
  start_agent_until_ready (f);
  stop_agent (f);
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 1);
}

/* The agent keeps what a report would keep of the records it lets go
 * (cc_report_summarise_settled()): on a log only a custody system wrote
 * (here: imported, then everything the import kept for reports deleted)
 * the first report finds every settled record's summary, the children's
 * with their figures, and gives the same bytes as a report that reads
 * every row (--no-cache). */
static void
test_keeps_summaries (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (GString) events = g_string_new (NULL);
  g_autofree char *at = iso_now (0);
  g_autofree char *month = g_strndup (at, 7);
  g_autoptr (CcTestRun) kept = NULL;
  g_autoptr (CcTestRun) reference = NULL;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("R-KEEP-%d", i);
      g_autofree char *child = released_child (id);

      g_string_append (events, child);
    }
  import_events (f, events->str);
  insert_sql (f, "DELETE FROM record_summary; DELETE FROM record_figures; DELETE FROM report_cache");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_unsettled"), ==, 5);

  start_agent_until_ready (f);
  stop_agent (f);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_unsettled"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_summary WHERE monitored = 1"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_figures WHERE figures LIKE 'f1 %'"), ==, 5);

  kept = cc_test_cli (f->db, NULL, "report", "--policy", f->policy, "--month", month, "--at", at, "--format", "json",
                      NULL);
  reference = cc_test_cli (f->db, NULL, "report", "--policy", f->policy, "--month", month, "--at", at, "--format",
                           "json", "--no-cache", NULL);
  g_assert_cmpint (kept->status, ==, 0);
  g_assert_cmpint (reference->status, ==, 0);
  g_assert_cmpstr (kept->out, ==, reference->out);
  g_assert_nonnull (strstr (kept->out, "\"record_id\" : \"R-KEEP-4\""));
  /* The report found them all kept: it wrote no summary of its own. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM record_summary"), ==, 5);
}

/* A record the running agent let go (and settled) comes back with a late
 * correction: the agent reads it whole, escalates, and lets it go again. */
static void
test_let_go_comes_back (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *events = released_child ("R-BACK");

  start_agent_until_ready (f);
  import_events (f, events);
  g_assert_true (wait_for_int (f, "SELECT count(*) FROM record_unsettled", 0, 10));
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 0);

  void_aa_request (f, "R-BACK");
  g_assert_cmpint (wait_for_rows (f, "aa_requested", 1, 10), >=, 0);
  g_assert_true (wait_for_int (f, "SELECT count(*) FROM record_unsettled", 0, 10));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM escalation WHERE record_id = 'R-BACK' AND rule = 'aa_requested' "
                                 "AND late = 1 "
                                 "AND resolution = 'closed'"),
                   ==, 1);
  stop_agent (f);

  /* A restart finds nothing more to do about it. */
  start_agent_until_ready (f);
  stop_agent (f);
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 1);
}

/* Two desks on one log share record_unsettled: what one lets go the other
 * does not read at its next start, so nothing may be lost by that.  A
 * breach written by one desk while the other was stopped is shown by the
 * other when it starts (its open escalation, and its open record, bring
 * it), and each breach is written once. */
static void
test_two_agents (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *log2 = g_build_filename (f->dir, "agent2.log", NULL);
  g_autofree char *an_hour_ago = iso_now (-3600);
  g_autofree char *settled = released_child ("R-DONE");
  g_autofree char *open = g_strdup_printf (
    "{\"event_id\":\"R-OPEN-a\",\"record_id\":\"R-OPEN\",\"type\":\"arrival\",\"occurred_at\":\"%1$s\","
    "\"data\":{\"suite\":\"North\",\"child\":\"C-OPEN\",\"dob\":\"2010-01-01\"}}\n"
    "{\"event_id\":\"R-OPEN-aa\",\"record_id\":\"R-OPEN\",\"type\":\"aa_requested\",\"occurred_at\":\"%1$s\"}\n",
    an_hour_ago);
  g_autoptr (GSubprocess) desk2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  /* Both running: the settled record is let go by both, settled once. */
  start_agent_until_ready (f);
  desk2 = spawn_agent (f, "desk-2", log2);
  {
    gint64           end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    g_autofree char *text2 = NULL;

    while (g_get_monotonic_time () < end)
      {
        g_free (text2);
        if (g_file_get_contents (log2, &text2, NULL, NULL) && strstr (text2, "Ready") != NULL)
          break;
        g_usleep (10 * 1000);
      }
  }
  import_events (f, settled);
  g_assert_true (wait_for_int (f, "SELECT count(*) FROM record_unsettled", 0, 10));

  /* This desk stops; the other sees a late correction of the open record
   * and writes its breach. */
  stop_agent (f);
  import_events (f, open);
  g_assert_true (wait_for_int (f, "SELECT count(*) FROM record_unsettled WHERE record_id = 'R-OPEN'", 1, 10));
  void_aa_request (f, "R-OPEN");
  g_assert_cmpint (wait_for_rows (f, "aa_requested", 1, 10), >=, 0);

  /* Back: the breach is this desk's to be shown too, once; nothing is
   * written twice. */
  start_agent_until_ready (f);
  g_assert_true (wait_for_log (f, "R-OPEN: Appropriate adult called — missed", 10));
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM delivery WHERE key LIKE 'breach/%'"), ==, 2);
  text = read_log (f);
  g_assert_null (strstr (text, "R-DONE"));
  stop_agent (f);

  g_subprocess_send_signal (desk2, SIGTERM);
  g_assert_true (g_subprocess_wait (desk2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (desk2), ==, 0);
  g_assert_cmpint (count_rows (f, "aa_requested"), ==, 1);
}

/* What the agent wrote, without the times of writing. */
static char *
escalation_digest (const char *db)
{
  g_autoptr (CcTestRun) run = cc_test_run (NULL, NULL, "sqlite3", "-cmd", ".timeout 5000", db,
                                           "SELECT record_id, rule, occurrence, level, breached_at, late, "
                                           "coalesce(resolution, '') FROM escalation ORDER BY 1, 2, 3, 4, 5",
                                           NULL);

  g_assert_cmpint (run->status, ==, 0);
  return g_strdup (run->out);
}

/* SIGTERM during the first start's catch-up (a log of 4,000 records no
 * agent has seen: two batches) is heard between batches: the agent stops
 * within a second or two, exit 0, before "Ready"; what the first batch
 * wrote is kept, and the next start carries on from there and ends with
 * what one uninterrupted start writes. */
static void
test_sigterm_during_catch_up (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) month_ago = g_date_time_add_days (now, -40);
  g_autofree char *start = g_date_time_format (month_ago, "%Y-%m-%d");
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *text = NULL;
  /* Eight steps of the catch-up; under AddressSanitizer, whose full
   * stacks on every allocation make the simulate alone take minutes,
   * three (a step there is slow enough for the signal to land in one). */
  const char *records = g_getenv ("ASAN_OPTIONS") != NULL ? "1500" : "4000";
  gint64      before, after, sent;

  run = cc_test_cli (f->db, NULL, "simulate", "--append", "--records", records, "--start", start, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  {
    g_autofree char *backup = g_strdup_printf (".backup '%s'", copy);

    run = cc_test_run (NULL, NULL, "sqlite3", f->db, backup, NULL);
    g_assert_cmpint (run->status, ==, 0);
  }
  before = query_int (f, "SELECT count(*) FROM record_unsettled");
  g_assert_cmpint (before, ==, g_ascii_strtoll (records, NULL, 10));

  start_agent (f);
  g_assert_true (wait_for_log (f, "Watching", 20));
  sent = g_get_monotonic_time ();
  g_subprocess_send_signal (f->agent, SIGTERM);
  g_assert_true (g_subprocess_wait (f->agent, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("stopped %.0f ms after SIGTERM", (g_get_monotonic_time () - sent) / 1000.0);
  /* Within a step (500 records): a fraction of a second in a real build;
   * under the sanitizers and valgrind a step takes seconds. */
  g_assert_cmpint (g_get_monotonic_time () - sent, <,
                   (g_getenv ("ASAN_OPTIONS") != NULL || g_getenv ("CUSTODY_CLOCK_UNDER_VALGRIND") != NULL ? 20 : 3) *
                     G_USEC_PER_SEC);
  g_assert_true (g_subprocess_get_if_exited (f->agent));
  g_assert_cmpint (g_subprocess_get_exit_status (f->agent), ==, 0);
  g_clear_object (&f->agent);
  text = read_log (f);
  g_assert_nonnull (strstr (text, "Stopping"));
  g_assert_null (strstr (text, "Ready"));
  /* The first batch let its records go; the rest wait for the next start. */
  after = query_int (f, "SELECT count(*) FROM record_unsettled");
  g_test_message ("unsettled: %" G_GINT64_FORMAT " before, %" G_GINT64_FORMAT " after", before, after);
  g_assert_cmpint (after, <, before);
  g_assert_cmpint (after, >, 0);

  start_agent_until_ready (f);
  stop_agent (f);
  got = escalation_digest (f->db);

  /* One start, not stopped, on the copy. */
  g_free (f->db);
  f->db = g_steal_pointer (&copy);
  start_agent_until_ready (f);
  stop_agent (f);
  expected = escalation_digest (f->db);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpstr (got, !=, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/agentd/commit-to-record", test_commit_to_record);
  ADD ("/agentd/breach-on-time", test_breach_on_time);
  ADD ("/agentd/bad-row", test_bad_row);
  ADD ("/agentd/signals", test_signals);
  ADD ("/agentd/database-gone", test_database_gone);
  ADD ("/agentd/log-has-no-event-data", test_log_has_no_event_data);
  ADD ("/agentd/start-needs-speed", test_start_needs_speed);
  ADD ("/agentd/future-judged-by-machine-clock", test_future_judged_by_machine_clock);
  ADD ("/agentd/unknown-suite", test_unknown_suite);
  ADD ("/agentd/late-entry-after-board-settle", test_late_entry_after_board_settle);
  ADD ("/agentd/let-go-comes-back", test_let_go_comes_back);
  ADD ("/agentd/keeps-summaries", test_keeps_summaries);
  ADD ("/agentd/two-agents", test_two_agents);
  ADD ("/agentd/sigterm-during-catch-up", test_sigterm_during_catch_up);
#undef ADD

  return g_test_run ();
}
