/* test-agentd-faults.c: the agent (custody-clockd, and its pass) under faults
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Kills at random moments, a writer holding the lock, the database file
 * deleted, moved or replaced, four agents on one database, and the
 * machine's clock jumping.  The real custody-clockd runs where a user would
 * run it, on real SQLite files that another connection writes with plain
 * SQL, as a custody system does; the library, with injected time, where the
 * fault is the machine's clock, which a test cannot set.
 *
 * The judge is always the engine: every breach it shows at the end must
 * have its escalation records, once each, and every escalation record must
 * be of a breach it shows, unless a late entry withdrew it.
 *
 * The kills take their seed from $CC_FAULTS_SEED when it is set, else from
 * the test framework's seed (--seed); it is printed, so that a failing run
 * can be repeated.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>

#include "cc-agent.h"
#include "cc-alarm.h"
#include "cc-engine.h"
#include "cc-ledger.h"
#include "cc-notifier.h"
#include "cc-test-util.h"

/* Every clock a few seconds long, so that breaches fall due while the test
 * runs; no climb (ack_timeout 1 h), so each breach has exactly one record. */
static const char kill_policy[] =
  "[welfare_informed]\nbreach_after=1s\n"
  "[aa_requested]\nwarn_after=1s\nbreach_after=2s\n"
  "[healthcare]\nwarn_after=1s\nbreach_after=2s\n"
  "[aa_arrived]\nwarn_after=2s\nbreach_after=3s\n"
  "[escalation]\nack_timeout=1h\n"
  "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n";

/* The same clocks, and the ladder climbing every second to the top. */
static const char climb_policy[] =
  "[welfare_informed]\nbreach_after=1s\n"
  "[aa_requested]\nwarn_after=1s\nbreach_after=2s\n"
  "[healthcare]\nwarn_after=1s\nbreach_after=2s\n"
  "[aa_arrived]\nwarn_after=2s\nbreach_after=3s\n"
  "[escalation]\nack_timeout=1s\n"
  "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n";

/* One clock: the AA to be called within 2 s. */
static const char one_clock_policy[] =
  "[aa_requested]\nwarn_after=1s\nbreach_after=2s\n[escalation]\nack_timeout=1h\n"
  "[welfare_informed]\nenabled=false\n[aa_arrived]\nenabled=false\n[healthcare]\nenabled=false\n"
  "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n";

typedef struct
{
  char      *dir;
  char      *db;
  char      *policy;
  GPtrArray *agents; /* (element-type GSubprocess): stopped at tear-down */
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = cc_test_tmpdir ();
  f->db = g_build_filename (f->dir, "custody.db", NULL);
  f->policy = g_build_filename (f->dir, "policy.ini", NULL);
  f->agents = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  for (guint i = 0; i < f->agents->len; i++)
    {
      GSubprocess *agent = g_ptr_array_index (f->agents, i);

      if (g_subprocess_get_identifier (agent) != NULL)
        g_subprocess_force_exit (agent);
      g_subprocess_wait (agent, NULL, NULL);
    }
  g_ptr_array_unref (f->agents);
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->policy);
}

static double
seconds_since (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;
}

/* ---- the real agent ---- */

static void
init_database (Fixture *f)
{
  g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "init", NULL);

  g_assert_cmpint (run->status, ==, 0);
}

/* Starts custody-clockd on the fixture's database, its log in @log.
 * Returns: (transfer none): the agent, which the fixture holds */
static GSubprocess *
start_agent (Fixture    *f,
             const char *log,
             const char *agent_id,
             const char *busy_timeout_ms)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GError) error = NULL;
  const char  *path = g_getenv ("CUSTODY_CLOCKD_BIN");
  GSubprocess *agent;

  g_assert_nonnull (path);
  /* GSubprocess opens the file without truncating it: a log from an
   * earlier run must not be read as this one's. */
  g_unlink (log);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  if (busy_timeout_ms != NULL)
    g_subprocess_launcher_setenv (launcher, "CUSTODY_CLOCK_BUSY_TIMEOUT_MS", busy_timeout_ms, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "CUSTODY_CLOCK_BUSY_TIMEOUT_MS");
  agent = g_subprocess_launcher_spawn (launcher, &error, path, "--db", f->db, "--policy", f->policy, "--no-notify",
                                       "--agent-id", agent_id, NULL);
  g_assert_no_error (error);
  g_ptr_array_add (f->agents, agent); /* the fixture owns it */
  return agent;
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, NULL);
  return text != NULL ? text : g_strdup ("");
}

static gboolean
wait_for_text (const char *path,
               const char *needle,
               double      seconds)
{
  gint64 start = g_get_monotonic_time ();

  do
    {
      g_autofree char *text = read_text (path);
      if (strstr (text, needle) != NULL)
        return TRUE;
      g_usleep (10 * 1000);
    }
  while (seconds_since (start) < seconds);
  return FALSE;
}

/* GSubprocess reaps its child on GLib's worker thread: no main loop is
 * needed to see it go. */
static gboolean
wait_for_exit (GSubprocess *process,
               double       seconds)
{
  gint64 start = g_get_monotonic_time ();

  while (g_subprocess_get_identifier (process) != NULL)
    {
      if (seconds_since (start) > seconds)
        return FALSE;
      g_usleep (5 * 1000);
    }
  g_subprocess_wait (process, NULL, NULL);
  return TRUE;
}

/* Stops an agent with SIGTERM: it must exit 0 within a few seconds. */
static void
stop_agent (GSubprocess *agent,
            const char  *log)
{
  g_subprocess_send_signal (agent, SIGTERM);
  if (!wait_for_exit (agent, 30))
    {
      g_autofree char *text = read_text (log);
      g_error ("the agent did not stop on SIGTERM; its log:\n%s", text);
    }
  g_assert_true (g_subprocess_get_if_exited (agent));
  g_assert_cmpint (g_subprocess_get_exit_status (agent), ==, 0);
}

/* ---- SQLite, as another program sees the file ---- */

static sqlite3 *
db_open (const char *path,
         int         flags)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, flags, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static void
db_exec (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The first column of the first row of @sql, as text, on a connection of
 * its own. */
static char *
db_text (const char *path,
         const char *sql)
{
  sqlite3      *db = db_open (path, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static gint64
db_count (const char *path,
          const char *sql)
{
  g_autofree char *text = db_text (path, sql);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static gboolean
wait_for_count (const char *path,
                const char *sql,
                gint64      n,
                double      seconds)
{
  gint64 start = g_get_monotonic_time ();

  do
    {
      if (db_count (path, sql) >= n)
        return TRUE;
      g_usleep (20 * 1000);
    }
  while (seconds_since (start) < seconds);
  return FALSE;
}

static void
assert_integrity_ok (const char *path)
{
  g_autofree char *result = db_text (path, "PRAGMA integrity_check");

  g_assert_cmpstr (result, ==, "ok");
}

/* A third party's INSERT, with the event time given. */
static void
insert_event (sqlite3    *db,
              const char *record_id,
              const char *type,
              CcInstant   at,
              const char *data)
{
  g_autofree char *when = cc_time_format_utc (at);
  sqlite3_stmt    *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, when, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
insert_child (sqlite3    *db,
              const char *record_id,
              CcInstant   at)
{
  g_autofree char *data = g_strdup_printf ("{\"suite\":\"North\",\"child\":\"C-%s\",\"appears_under_18\":true}", record_id);

  insert_event (db, record_id, "arrival", at, data);
  insert_event (db, record_id, "detention_authorised", at, "{}");
}

/* ---- the judge ---- */

typedef struct
{
  guint records;   /* monitored records evaluated */
  guint breaches;  /* breaches the engine shows */
  guint rows;      /* escalation records */
  guint withdrawn; /* records of breaches a late entry withdrew */
} Figures;

static char *
breach_key (const char *record_id,
            const char *rule,
            int         occurrence)
{
  return g_strdup_printf ("%s/%s/%d", record_id, rule, occurrence);
}

/* Judges the escalation records against the engine at @at.  Each breach
 * has one record at its first level and, when @climbed, one at every level
 * above it too; every record is of a breach the engine shows, or was
 * withdrawn by a late entry.  Every problem is listed before failing. */
static void
check_escalations (CcStore  *store,
                   CcPolicy *policy,
                   CcInstant at,
                   gboolean  climbed,
                   Figures  *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GHashTable) by_breach = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GString) problems = g_string_new (NULL);
  guint   n_problems = 0;
  Figures figures = { 0 };

#define PROBLEM(...)                                           \
  G_STMT_START                                                 \
  {                                                            \
    if (n_problems++ < 20)                                     \
      {                                                        \
        g_string_append_printf (problems, "\n  " __VA_ARGS__); \
      }                                                        \
  }                                                            \
  G_STMT_END

  g_assert_true (cc_ledger_load (ledger, store, at, &error));
  g_assert_no_error (error);
  rows = cc_store_list_escalations (store, FALSE, &error);
  g_assert_no_error (error);
  figures.rows = rows->len;
  for (guint i = 0; i < rows->len; i++)
    {
      CcEscalation    *row = g_ptr_array_index (rows, i);
      g_autofree char *key = breach_key (row->record_id, row->rule, row->occurrence);
      GPtrArray       *levels = g_hash_table_lookup (by_breach, key);

      if (levels == NULL)
        {
          levels = g_ptr_array_new ();
          g_hash_table_insert (by_breach, g_strdup (key), levels);
        }
      g_ptr_array_add (levels, row);
    }

  ids = cc_ledger_get_record_ids (ledger);
  for (guint i = 0; i < ids->len; i++)
    {
      const CcRecord *record = cc_ledger_get_record (ledger, g_ptr_array_index (ids, i));
      g_autoptr (CcEvaluation) ev = NULL;

      if (record->arrival == NULL)
        {
          PROBLEM ("%s: no arrival (held)", record->record_id);
          continue;
        }
      ev = cc_engine_evaluate (record, policy, at);
      if (!ev->monitored)
        continue;
      figures.records++;
      for (guint j = 0; j < ev->breaches->len; j++)
        {
          const CcBreach  *b = &g_array_index (ev->breaches, CcBreach, j);
          g_autofree char *key = breach_key (ev->record_id, b->rule, b->occurrence);
          GPtrArray       *levels = g_hash_table_lookup (by_breach, key);
          guint            n_at[CC_N_LEVELS] = { 0 };

          figures.breaches++;
          g_hash_table_add (shown, g_strdup (key));
          if (levels == NULL)
            {
              PROBLEM ("%s: breach with no escalation record", key);
              continue;
            }
          for (guint k = 0; k < levels->len; k++)
            n_at[((CcEscalation *) g_ptr_array_index (levels, k))->level]++;
          for (int level = 0; level < CC_N_LEVELS; level++)
            {
              guint expected = level == (int) b->first_level || (climbed && level > (int) b->first_level);

              if (n_at[level] != expected)
                PROBLEM ("%s: %u record(s) at %s, expected %u", key, n_at[level], cc_level_to_string (level), expected);
            }
        }
    }

  /* Every record is of a breach the engine shows, or withdrawn. */
  for (guint i = 0; i < rows->len; i++)
    {
      CcEscalation    *row = g_ptr_array_index (rows, i);
      g_autofree char *key = breach_key (row->record_id, row->rule, row->occurrence);

      if (g_hash_table_contains (shown, key))
        continue;
      if (row->resolution == CC_RESOLUTION_WITHDRAWN_LATE_ENTRY)
        figures.withdrawn++;
      else
        PROBLEM ("%s at %s: a record of a breach the engine does not show, resolution %s", key,
                 cc_level_to_string (row->level),
                 row->resolution != CC_RESOLUTION_NONE ? cc_resolution_to_string (row->resolution) : "none");
    }
#undef PROBLEM

  if (n_problems > 0)
    g_error ("%u problem(s) with the escalation records (the first 20):%s", n_problems, problems->str);
  if (out != NULL)
    *out = figures;
}

static void
check_database (const char *path,
                CcPolicy   *policy,
                gboolean    climbed,
                Figures    *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (path, CC_STORE_OPEN_NONE, &error);

  g_assert_no_error (error);
  check_escalations (store, policy, cc_time_source_machine_now (), climbed, out);
}

/* ---- 1. SIGKILL at random moments while another process writes ---- */

/* A custody system: records opened every 50–150 ms, each with its own
 * story (below), every event one plain autocommit INSERT, on its own
 * connection and thread. */
typedef struct
{
  char     *db;
  guint32   seed;
  gint      stop;   /* (atomic): open no more records, close the open ones */
  guint     n_rows; /* rows committed */
  guint     n_records;
  CcInstant last_at; /* the latest event time written */
  char     *failure; /* (nullable) */
} Writer;

typedef struct
{
  char     *record_id;
  CcInstant t0;
  int       story;
  gboolean  told; /* the story's middle event is written */
} OpenRecord;

static void
open_record_free (OpenRecord *r)
{
  g_free (r->record_id);
  g_free (r);
}

static gboolean
writer_insert (Writer     *w,
               sqlite3    *db,
               const char *record_id,
               const char *type,
               CcInstant   at,
               const char *data)
{
  g_autofree char *when = cc_time_format_utc (at);
  sqlite3_stmt    *stmt = NULL;
  int              rc;

  rc = sqlite3_prepare_v2 (db, "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, when, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, data, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      w->failure = g_strdup_printf ("writing %s %s: %s", record_id, type, sqlite3_errmsg (db));
      return FALSE;
    }
  w->n_rows++;
  w->last_at = MAX (w->last_at, at);
  return TRUE;
}

/* The stories, so that every kind of escalation record is made:
 *  0  nothing done, released at 4 s: four clocks breached, and
 *     cp_referral_missing at the release; records resolved "closed";
 *  1  welfare told at once; charged at 3 s with no AA (charged_without_aa);
 *  2  at 3 s a late entry: the AA was called at 1 s, in time, so the
 *     aa_requested breach is withdrawn if it was written;
 *  3  the AA called at 3 s, late: resolved "satisfied";
 *  4  released at 1 s, before most clocks fall due. */
static gpointer
writer_thread (gpointer user_data)
{
  Writer *w = user_data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (w->seed);
  g_autoptr (GPtrArray) open = g_ptr_array_new_with_free_func ((GDestroyNotify) open_record_free);
  sqlite3 *db = NULL;
  gint64   next_open = 0;

  if (sqlite3_open_v2 (w->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      w->failure = g_strdup_printf ("opening %s: %s", w->db, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 20000);

  for (;;)
    {
      gint64    now_us = g_get_real_time ();
      CcInstant now = now_us / G_USEC_PER_SEC;
      gboolean  stopping = g_atomic_int_get (&w->stop);

      if (!stopping && now_us >= next_open)
        {
          OpenRecord      *r = g_new0 (OpenRecord, 1);
          g_autofree char *arrival = NULL;

          r->record_id = g_strdup_printf ("K-%04u", ++w->n_records);
          r->t0 = now;
          r->story = g_rand_int_range (rand, 0, 5);
          g_ptr_array_add (open, r);
          arrival = g_strdup_printf ("{\"suite\":\"North\",\"child\":\"C-%u\",\"appears_under_18\":true}", w->n_records);
          if (!writer_insert (w, db, r->record_id, "arrival", now, arrival) ||
              !writer_insert (w, db, r->record_id, "detention_authorised", now, "{}") ||
              (r->story == 1 && !writer_insert (w, db, r->record_id, "welfare_informed", now, "{}")))
            break;
          next_open = now_us + g_rand_int_range (rand, 50, 150) * 1000;
        }

      for (guint i = open->len; i > 0; i--)
        {
          OpenRecord *r = g_ptr_array_index (open, i - 1);
          CcInstant   age = now - r->t0;
          gboolean    ok = TRUE;

          if (!r->told && age >= 3)
            {
              r->told = TRUE;
              if (r->story == 1)
                ok = writer_insert (w, db, r->record_id, "charged", now, "{}");
              else if (r->story == 2)
                ok = writer_insert (w, db, r->record_id, "aa_requested", r->t0 + 1, "{}");
              else if (r->story == 3)
                ok = writer_insert (w, db, r->record_id, "aa_requested", now, "{}");
            }
          if (ok && age >= (r->story == 4 ? 1 : 4))
            {
              ok = writer_insert (w, db, r->record_id, "released", now, "{\"outcome\":\"nfa\"}");
              g_ptr_array_remove_index (open, i - 1);
            }
          if (!ok)
            goto out;
        }
      if (stopping && open->len == 0)
        break;
      g_usleep (20 * 1000);
    }
out:
  sqlite3_close (db);
  return NULL;
}

#define N_KILLS 60

static void
test_kills (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (CcPolicy) policy = cc_test_policy (kill_policy);
  g_autofree char *log = g_build_filename (f->dir, "agent.log", NULL);
  g_autofree char *final_log = g_build_filename (f->dir, "final.log", NULL);
  g_autofree char *text = NULL;
  const char      *seed_env = g_getenv ("CC_FAULTS_SEED");
  guint32          seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : (guint32) g_test_rand_int ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  Writer       writer = { 0 };
  GThread     *thread;
  GSubprocess *agent;
  guint        kills_ready = 0;
  gint64       start = g_get_monotonic_time ();
  gint64       kill_phase_rows;
  double       kill_phase_s;
  Figures      figures;

  g_test_message ("seed %" G_GUINT32_FORMAT " (repeat with CC_FAULTS_SEED=%" G_GUINT32_FORMAT ")", seed, seed);
  cc_test_write_file (f->policy, kill_policy);
  init_database (f);

  writer.db = f->db;
  writer.seed = g_rand_int (rand);
  thread = g_thread_new ("writer", writer_thread, &writer);

  for (guint i = 0; i < N_KILLS; i++)
    {
      /* A third of the kills in the first 15 ms, while it starts, opens the
       * log and catches up; the rest while it watches and the alarm goes
       * off. */
      guint delay_ms = g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 0, 15) : g_rand_int_range (rand, 15, 500);

      agent = start_agent (f, log, "desk", NULL);
      g_usleep (delay_ms * 1000); /* the fault: a random moment */
      if (g_subprocess_get_identifier (agent) == NULL)
        {
          g_clear_pointer (&text, g_free);
          text = read_text (log);
          g_error ("run %u: the agent exited by itself before the kill; its log:\n%s", i, text);
        }
      g_clear_pointer (&text, g_free);
      text = read_text (log);
      kills_ready += strstr (text, "Ready;") != NULL;
      g_subprocess_force_exit (agent);
      g_assert_true (wait_for_exit (agent, 30));
      g_assert_true (g_subprocess_get_if_signaled (agent));
      g_assert_cmpint (g_subprocess_get_term_sig (agent), ==, SIGKILL);
      g_ptr_array_remove (f->agents, agent);
    }

  /* The custody system closes what it has open and stops. */
  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);
  if (writer.failure != NULL)
    g_error ("the writer failed: %s", writer.failure);
  kill_phase_s = seconds_since (start);
  kill_phase_rows = db_count (f->db, "SELECT count(*) FROM escalation");
  /* Every record is closed, so every breach happened by its last event. */
  g_assert_cmpint (cc_time_source_machine_now (), >=, writer.last_at);

  /* One agent to completion: its first pass catches up; then it stops. */
  agent = start_agent (f, final_log, "desk", NULL);
  if (!wait_for_text (final_log, "Ready;", 120))
    {
      g_clear_pointer (&text, g_free);
      text = read_text (final_log);
      g_error ("the last agent did not finish its first pass; its log:\n%s", text);
    }
  stop_agent (agent, final_log);
  g_clear_pointer (&text, g_free);
  text = read_text (final_log);
  g_assert_null (strstr (text, "Could not read or write"));

  /* No event lost; every breach escalated once, nothing else. */
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM custody_event"), ==, writer.n_rows);
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM quarantine"), ==, 0);
  check_database (f->db, policy, FALSE, &figures);
  /* Every record is closed: every escalation record is resolved. */
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM escalation WHERE resolved_at IS NULL"), ==, 0);
  assert_integrity_ok (f->db);

  g_test_message ("kills survived: %u (%u after the first pass, %u during start-up or catch-up), in %.1f s",
                  N_KILLS, kills_ready, N_KILLS - kills_ready, kill_phase_s);
  g_test_message ("writer: %u records, %u rows, all present", writer.n_records, writer.n_rows);
  g_test_message ("records checked: %u; breaches: %u, each with exactly one escalation record; "
                  "%" G_GINT64_FORMAT " written between kills, %" G_GINT64_FORMAT " by the last agent; "
                  "%u withdrawn by a late entry",
                  figures.records, figures.breaches, kill_phase_rows, (gint64) figures.rows - kill_phase_rows,
                  figures.withdrawn);
  /* The test has teeth only if breaches happened and the killed agents
   * wrote some of them. */
  g_assert_cmpuint (figures.breaches, >=, 100);
  g_assert_cmpint (kill_phase_rows, >, 0);
  g_free (writer.failure);
}

/* ---- 2. A writer holding the lock for seconds ---- */

/* Another connection holding the write lock from a thread of its own,
 * until released or for a set time. */
typedef struct
{
  char    *db;
  char    *begin;    /* BEGIN IMMEDIATE or BEGIN EXCLUSIVE */
  char    *record;   /* (nullable): a record to write inside the transaction */
  gboolean rollback; /* abandon the transaction rather than commit it */
  gint64   hold_us;  /* 0: until released */
  GMutex   mutex;
  GCond    cond;
  gboolean locked;
  gboolean release;
  gint64   released_at; /* real time, µs */
  GThread *thread;
} LockHolder;

static gpointer
lock_thread (gpointer user_data)
{
  LockHolder *h = user_data;
  sqlite3    *db = db_open (h->db, SQLITE_OPEN_READWRITE);
  gint64      end;

  db_exec (db, h->begin);
  if (h->record != NULL)
    insert_child (db, h->record, cc_time_source_machine_now ());
  g_mutex_lock (&h->mutex);
  h->locked = TRUE;
  g_cond_broadcast (&h->cond);
  end = g_get_monotonic_time () + h->hold_us;
  while (!h->release)
    {
      if (h->hold_us > 0)
        {
          if (!g_cond_wait_until (&h->cond, &h->mutex, end))
            break;
        }
      else
        g_cond_wait (&h->cond, &h->mutex);
    }
  g_mutex_unlock (&h->mutex);
  db_exec (db, h->rollback ? "ROLLBACK" : "COMMIT");
  h->released_at = g_get_real_time ();
  sqlite3_close (db);
  return NULL;
}

static LockHolder *
lock_hold (const char *db,
           const char *begin,
           const char *record,
           double      seconds,
           gboolean    rollback)
{
  LockHolder *h = g_new0 (LockHolder, 1);

  h->db = g_strdup (db);
  h->begin = g_strdup (begin);
  h->record = g_strdup (record);
  h->rollback = rollback;
  h->hold_us = (gint64) (seconds * G_USEC_PER_SEC);
  g_mutex_init (&h->mutex);
  g_cond_init (&h->cond);
  h->thread = g_thread_new ("lock", lock_thread, h);
  g_mutex_lock (&h->mutex);
  while (!h->locked)
    g_cond_wait (&h->cond, &h->mutex);
  g_mutex_unlock (&h->mutex);
  return h;
}

/* Releases the lock (at once, or when its time is up) and frees @h;
 * returns when it was released (real time, µs). */
static gint64
lock_release (LockHolder *h,
              gboolean    now)
{
  gint64 released_at;

  g_mutex_lock (&h->mutex);
  h->release |= now;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->mutex);
  g_thread_join (h->thread);
  released_at = h->released_at;
  g_mutex_clear (&h->mutex);
  g_cond_clear (&h->cond);
  g_free (h->db);
  g_free (h->begin);
  g_free (h->record);
  g_free (h);
  return released_at;
}

#define LOCK_HOLD_S 4.0

/* The custody system holds an exclusive lock for seconds, writing a batch,
 * while a breach falls due: the agent's pass fails past its busy timeout,
 * it says so and tries again each second, and when the lock goes it writes
 * the escalation record of the breach that fell due, and those of the
 * batch.  "commit": the batch is committed, which the agent hears of;
 * "rollback": it is abandoned, nothing is written, and only the agent's
 * own retry brings it back. */
static void
test_locked_agent (Fixture      *f,
                   gconstpointer data)
{
  gboolean         rollback = g_str_equal (data, "rollback");
  g_autofree char *log = g_build_filename (f->dir, "agent.log", NULL);
  g_autofree char *text = NULL;
  const char      *count_sql = "SELECT count(*) FROM escalation WHERE rule = 'aa_requested'";
  GSubprocess     *agent;
  LockHolder      *lock;
  sqlite3         *db;
  gint64           locked_at;
  gint64           locked_real;
  gint64           released_at;
  gint64           caught_up;
  gboolean         retried = FALSE;

  cc_test_write_file (f->policy, one_clock_policy);
  init_database (f);
  agent = start_agent (f, log, "desk", "1000");
  g_assert_true (wait_for_text (log, "Ready;", 30));

  db = db_open (f->db, SQLITE_OPEN_READWRITE);
  insert_child (db, "TP-L", cc_time_source_machine_now ()); /* due in 2 s */
  sqlite3_close (db);

  locked_real = g_get_real_time ();
  lock = lock_hold (f->db, "BEGIN EXCLUSIVE", "TP-M", 0, rollback);
  locked_at = g_get_monotonic_time ();
  /* Hold it at least LOCK_HOLD_S, and until the agent has given up once
   * and retried; nothing is written meanwhile. */
  while (seconds_since (locked_at) < LOCK_HOLD_S || !retried)
    {
      g_clear_pointer (&text, g_free);
      text = read_text (log);
      retried = strstr (text, "trying again in 1 s") != NULL;
      g_assert_cmpint (db_count (f->db, count_sql), ==, 0);
      g_assert_cmpfloat (seconds_since (locked_at), <, 30);
      g_usleep (50 * 1000);
    }
  g_assert_nonnull (strstr (text, "is locked by another program"));
  released_at = lock_release (lock, TRUE);
  g_test_message ("lock held %.1f s", seconds_since (locked_at));

  /* Caught up: the breaches, once each, written after the release. */
  g_assert_true (wait_for_count (f->db, count_sql, rollback ? 1 : 2, 15));
  caught_up = g_get_real_time ();
  g_test_message ("escalations written %.2f s after the release", (caught_up - released_at) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM escalation WHERE rule = 'aa_requested' AND record_id = 'TP-L'"), ==, 1);
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM escalation WHERE rule = 'aa_requested' AND record_id = 'TP-M'"), ==, rollback ? 0 : 1);
  /* TP-L's breach fell due while the lock was held. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM escalation WHERE record_id = 'TP-L' AND "
                                            "CAST(strftime('%%s', breached_at) AS INTEGER) BETWEEN %" G_GINT64_FORMAT
                                            " AND %" G_GINT64_FORMAT,
                                            locked_real / G_USEC_PER_SEC, released_at / G_USEC_PER_SEC);
    g_assert_cmpint (db_count (f->db, sql), ==, 1);
  }
  g_assert_nonnull (g_subprocess_get_identifier (agent)); /* still running */
  stop_agent (agent, log);
  assert_integrity_ok (f->db);
}

static CcTestRun *
run_cli_timed (const char *const *env,
               double            *out_seconds,
               const char        *first_arg,
               ...) G_GNUC_NULL_TERMINATED;

static CcTestRun *
run_cli_timed (const char *const *env,
               double            *out_seconds,
               const char        *first_arg,
               ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list     args;
  gint64      start = g_get_monotonic_time ();
  CcTestRun  *run;

  g_ptr_array_add (argv, (gpointer) cc_test_cli_path ());
  g_ptr_array_add (argv, (gpointer) first_arg);
  va_start (args, first_arg);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  run = cc_test_run_argv (env, NULL, (const char *const *) argv->pdata);
  *out_seconds = seconds_since (start);
  return run;
}

static void
assert_locked_message (const CcTestRun *run,
                       const char      *db)
{
  g_auto (GStrv) lines = g_strsplit (run->err, "\n", -1);

  /* The first line says what and where; import adds a hint. */
  g_assert_cmpint (run->status, ==, 75);
  g_assert_nonnull (strstr (lines[0], "locked"));
  g_assert_nonnull (strstr (lines[0], db));
}

/* The CLI waits for the lock up to its busy timeout (5 s, or
 * $CUSTODY_CLOCK_BUSY_TIMEOUT_MS), then exits 75 with one clear line and
 * writes nothing; a lock released within the wait costs only the wait. */
static void
test_locked_cli (Fixture      *f,
                 gconstpointer data)
{
  const char      *short_wait[] = { "CUSTODY_CLOCK_BUSY_TIMEOUT_MS=1500", NULL };
  const char      *default_wait[] = { "CUSTODY_CLOCK_BUSY_TIMEOUT_MS", NULL };
  g_autofree char *file = g_build_filename (f->dir, "night.jsonl", NULL);
  g_autofree char *now = cc_time_format_utc (cc_time_source_machine_now ());
  g_autofree char *line = g_strdup_printf ("{\"event_id\":\"i1\",\"record_id\":\"TP-I\",\"type\":\"arrival\",\"occurred_at\":\"%s\","
                                           "\"data\":{\"suite\":\"North\",\"child\":\"C-I\",\"appears_under_18\":true}}\n",
                                           now);
  LockHolder      *lock;
  double           seconds;

  cc_test_write_file (file, line);
  init_database (f);

  lock = lock_hold (f->db, "BEGIN IMMEDIATE", NULL, 0, FALSE);
  {
    g_autoptr (CcTestRun) run = run_cli_timed (short_wait, &seconds, "import", file, "--db", f->db, NULL);
    g_test_message ("import with a 1.5 s busy timeout: exit %d after %.2f s: %s", run->status, seconds, run->err);
    assert_locked_message (run, f->db);
    g_assert_cmpfloat (seconds, >=, 1.4);
    g_assert_cmpfloat (seconds, <, 4.5); /* not the default 5 s */
  }
  {
    g_autoptr (CcTestRun) run = run_cli_timed (default_wait, &seconds, "record", "TP-X", "arrival", "suite=North", "child=C-X",
                                               "appears_under_18=true", "--db", f->db, NULL);
    g_test_message ("record with the default busy timeout: exit %d after %.2f s", run->status, seconds);
    assert_locked_message (run, f->db);
    g_assert_cmpint (cc_test_count_lines (run->err, ""), ==, 2); /* one line, then the empty rest */
    g_assert_cmpfloat (seconds, >=, 4.9);
    g_assert_cmpfloat (seconds, <, 15);
  }
  lock_release (lock, TRUE);

  /* Released within the wait: the command waits, then succeeds. */
  lock = lock_hold (f->db, "BEGIN IMMEDIATE", NULL, 2.0, FALSE);
  {
    g_autoptr (CcTestRun) run = run_cli_timed (default_wait, &seconds, "record", "TP-Y", "arrival", "suite=North", "child=C-Y",
                                               "appears_under_18=true", "--db", f->db, NULL);
    g_test_message ("record while a 2 s lock is held: exit %d after %.2f s", run->status, seconds);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpfloat (seconds, >=, 1.5);
  }
  lock_release (lock, FALSE);

  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM custody_event WHERE record_id = 'TP-I'"), ==, 0);
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM custody_event WHERE record_id = 'TP-X'"), ==, 0);
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM custody_event WHERE record_id = 'TP-Y'"), ==, 1);
  assert_integrity_ok (f->db);
}

/* ---- 3. The database file deleted, moved or replaced ---- */

static void
test_database_gone (Fixture      *f,
                    gconstpointer data)
{
  const char      *how = data;
  g_autofree char *log = g_build_filename (f->dir, "agent.log", NULL);
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere", NULL);
  g_autofree char *moved = g_build_filename (elsewhere, "custody.db", NULL);
  g_autofree char *replacement = g_build_filename (elsewhere, "new.db", NULL);
  g_autofree char *text = NULL;
  GSubprocess     *agent;
  sqlite3         *db;
  gint64           start;

  cc_test_write_file (f->policy, one_clock_policy);
  init_database (f);
  g_assert_cmpint (g_mkdir (elsewhere, 0700), ==, 0);
  /* A child waiting an hour for an AA: escalated by the first pass. */
  db = db_open (f->db, SQLITE_OPEN_READWRITE);
  insert_child (db, "TP-G", cc_time_source_machine_now () - 3600);
  sqlite3_close (db);
  if (g_str_equal (how, "replaced"))
    {
      /* Made elsewhere, complete and closed, then renamed over the log:
       * how a restore from backup or a migration tool swaps a file. */
      g_autoptr (CcTestRun) run = cc_test_cli (replacement, NULL, "init", NULL);
      g_assert_cmpint (run->status, ==, 0);
      db = db_open (replacement, SQLITE_OPEN_READWRITE);
      insert_child (db, "NEW-1", cc_time_source_machine_now ());
      sqlite3_close (db);
    }

  agent = start_agent (f, log, "desk", NULL);
  g_assert_true (wait_for_text (log, "Ready;", 30));
  g_assert_cmpint (db_count (f->db, "SELECT count(*) FROM escalation"), ==, 1);

  start = g_get_monotonic_time ();
  if (g_str_equal (how, "deleted"))
    g_assert_cmpint (g_unlink (f->db), ==, 0);
  else if (g_str_equal (how, "moved"))
    g_assert_cmpint (g_rename (f->db, moved), ==, 0);
  else
    g_assert_cmpint (g_rename (replacement, f->db), ==, 0);

  /* It notices, says so, and exits 1 (systemd restarts it): it never
   * keeps running on a dead file. */
  if (!wait_for_exit (agent, 10))
    {
      text = read_text (log);
      g_error ("the agent kept running on a %s database; its log:\n%s", how, text);
    }
  g_test_message ("database %s: the agent exited %.0f ms later", how, seconds_since (start) * 1000);
  g_assert_true (g_subprocess_get_if_exited (agent));
  g_assert_cmpint (g_subprocess_get_exit_status (agent), ==, 1);
  text = read_text (log);
  g_assert_nonnull (strstr (text, "was deleted, moved or replaced"));

  if (g_str_equal (how, "deleted"))
    {
      g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS)); /* not made again, empty */
      return;
    }

  /* What is left must be whole.  Moved: the file at its new place has its
   * rows and the record the agent committed.  Replaced: the replacement
   * has its own rows, none of the old log's and no record the old agent
   * wrote.  Both hold because the agent checkpoints its -wal file before
   * it stops (SQLite does not on close a file that has moved). */
  {
    const char      *path = g_str_equal (how, "moved") ? moved : f->db;
    g_autofree char *integrity = db_text (path, "PRAGMA integrity_check");
    gint64           old_rows = db_count (path, "SELECT count(*) FROM custody_event WHERE record_id = 'TP-G'");
    gint64           new_rows = db_count (path, "SELECT count(*) FROM custody_event WHERE record_id = 'NEW-1'");
    gint64           escalations = db_count (path, "SELECT count(*) FROM escalation");
    gboolean         whole;

    g_test_message ("%s: integrity %s; TP-G rows %" G_GINT64_FORMAT ", NEW-1 rows %" G_GINT64_FORMAT
                    ", escalation records %" G_GINT64_FORMAT,
                    path, integrity, old_rows, new_rows, escalations);
    if (g_str_equal (how, "moved"))
      whole = g_strcmp0 (integrity, "ok") == 0 && old_rows == 2 && new_rows == 0 && escalations == 1;
    else
      whole = g_strcmp0 (integrity, "ok") == 0 && old_rows == 0 && new_rows == 2 && escalations == 0;
    g_assert_true (whole);
    if (g_str_equal (how, "moved"))
      g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  }
}

/* ---- 4. Four agents on one database ---- */

#define N_AGENTS 4
#define N_RECORDS 200

/* 200 children committed in one batch, each breaching four clocks, every
 * breach climbing the ladder each second to the superintendent: four
 * agents race to write every record at the same instants. */
static void
test_four_agents (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (CcPolicy) policy = cc_test_policy (climb_policy);
  GSubprocess *agents[N_AGENTS];
  char        *logs[N_AGENTS];
  gint64       start;
  gint64       expected = 0;
  gint64       total = 0;
  Figures      figures;
  sqlite3     *db;
  g_autoptr (GString) shares = g_string_new (NULL);

  cc_test_write_file (f->policy, climb_policy);
  init_database (f);
  for (int i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("desk-%d", i + 1);

      logs[i] = g_strdup_printf ("%s/agent-%d.log", f->dir, i + 1);
      /* A minute's wait for the write lock, not the default 5 s: the
       * three other agents' passes over the batch come first, and under
       * AddressSanitizer or valgrind each holds the lock for seconds.
       * What this test asserts is that a conflict between agents fails
       * no pass; a wait that merely ran out on a slow machine is the
       * busy timeout's business (test_locked_agent), not this test's. */
      agents[i] = start_agent (f, logs[i], id, "60000");
    }
  for (int i = 0; i < N_AGENTS; i++)
    g_assert_true (wait_for_text (logs[i], "Ready;", 30));

  db = db_open (f->db, SQLITE_OPEN_READWRITE);
  db_exec (db, "BEGIN");
  {
    CcInstant now = cc_time_source_machine_now ();

    for (int r = 0; r < N_RECORDS; r++)
      {
        g_autofree char *id = g_strdup_printf ("F-%03d", r + 1);
        insert_child (db, id, now);
      }
  }
  db_exec (db, "COMMIT");
  sqlite3_close (db);
  start = g_get_monotonic_time ();

  /* Three levels for the welfare, AA-called and healthcare clocks, two
   * for AA arrived (it starts at inspector). */
  expected = N_RECORDS * (3 + 3 + 3 + 2);
  if (!wait_for_count (f->db, "SELECT count(*) FROM escalation", expected, 60))
    g_error ("%" G_GINT64_FORMAT " escalation records of %" G_GINT64_FORMAT " after 60 s",
             db_count (f->db, "SELECT count(*) FROM escalation"), expected);
  g_test_message ("%" G_GINT64_FORMAT " escalation records complete %.1f s after the batch", expected, seconds_since (start));

  for (int i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *text = NULL;
      g_auto (GStrv) lines = NULL;
      gint64 wrote = 0;

      stop_agent (agents[i], logs[i]);
      text = read_text (logs[i]);
      /* A conflict with another agent is no failure: no pass failed. */
      if (strstr (text, "Could not read or write") != NULL)
        g_error ("agent %d had a failed pass:\n%s", i + 1, text);
      lines = g_strsplit (text, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          const char *summary = strstr (lines[l], " escalation records written");

          if (summary == NULL)
            summary = strstr (lines[l], " escalation record written");

          if (strstr (lines[l], "Escalation ") != NULL && strstr (lines[l], ": record ") != NULL)
            wrote++;
          else if (summary != NULL)
            {
              const char *p = summary;
              while (p > lines[l] && g_ascii_isdigit (p[-1]))
                p--;
              wrote += g_ascii_strtoll (p, NULL, 10);
            }
        }
      total += wrote;
      g_string_append_printf (shares, "%s%" G_GINT64_FORMAT, i ? ", " : "", wrote);
      g_free (logs[i]);
    }
  g_test_message ("records written by each agent: %s", shares->str);
  /* Each record was written by exactly one of them. */
  g_assert_cmpint (total, ==, expected);

  check_database (f->db, policy, TRUE, &figures);
  g_assert_cmpuint (figures.breaches, ==, N_RECORDS * 4);
  g_assert_cmpuint (figures.rows, ==, expected);
  g_test_message ("%u breaches, %u escalation records: one per breach per level", figures.breaches, figures.rows);
  assert_integrity_ok (f->db);
}

/* ---- 5. The machine's clock jumping ---- */

#define T0 1646748000 /* 2022-03-08T14:00:00Z */
#define M(minutes) ((CcInstant) T0 + (minutes) *60)

/* cc_test_one_child, never visited either: aa_requested falls due at
 * 14:30, aa_arrived at 18:00, the first review at 20:00, and a cell visit
 * every hour. */

typedef struct
{
  CcStore    *store;
  CcPolicy   *policy;
  CcNotifier *notifier;
  CcAgent    *agent;
} Desk;

static void
desk_open (Desk    *d,
           Fixture *f)
{
  g_autoptr (GError) error = NULL;

  d->store = cc_store_open (f->db, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  d->policy = cc_test_policy ("[rest]\nenabled=false\n");
  cc_test_import (d->store, cc_test_one_child, M (60 * 24 * 30));
  d->notifier = cc_notifier_log_new ();
  d->agent = cc_agent_new (d->store, d->policy, d->notifier, "desk", NULL, CC_LEVEL_SERGEANT);
}

static void
desk_close (Desk *d)
{
  cc_agent_free (d->agent);
  g_object_unref (d->notifier);
  cc_policy_unref (d->policy);
  cc_store_free (d->store);
}

static void
desk_pass (Desk     *d,
           CcInstant now)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_agent_process (d->agent, now, &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The escalation records, as "rule/occurrence:level[:late][:resolution]"
 * by id. */
static char *
describe_rows (CcStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = cc_store_list_escalations (store, FALSE, &error);
  g_autoptr (GString) s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      CcEscalation *e = g_ptr_array_index (rows, i);
      g_string_append_printf (s, "%s%s/%d:%s%s%s%s", i ? " " : "", e->rule, e->occurrence, cc_level_to_string (e->level),
                              e->late ? ":late" : "", e->resolution != CC_RESOLUTION_NONE ? ":" : "",
                              e->resolution != CC_RESOLUTION_NONE ? cc_resolution_to_string (e->resolution) : "");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* (c) A resume after ten hours asleep, or the clock set ten hours on: the
 * next pass writes every breach that fell due in the gap, once each, all
 * marked late; passes after it add nothing. */
static void
test_forward_jump (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Desk             d;
  Figures          figures;

  desk_open (&d, f);
  desk_pass (&d, M (20));
  g_assert_cmpint (cc_agent_get_next_wakeup (d.agent), ==, M (30));
  rows = cc_store_list_escalations (d.store, FALSE, &error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  desk_pass (&d, M (620)); /* 14:20 → 00:20 */
  check_escalations (d.store, d.policy, M (620), FALSE, &figures);
  rows = cc_store_list_escalations (d.store, FALSE, &error);
  g_assert_cmpuint (rows->len, ==, figures.breaches);
  for (guint i = 0; i < rows->len; i++)
    {
      CcEscalation *e = g_ptr_array_index (rows, i);
      g_assert_true (e->late);
      g_assert_cmpint (e->raised_at, ==, M (620));
    }
  before = describe_rows (d.store);
  g_test_message ("after a 10 h jump: %u breaches written once each, late: %s", figures.breaches, before);
  /* aa_requested, aa_arrived, the first review, and ten cell visits. */
  g_assert_cmpuint (figures.breaches, ==, 13);

  desk_pass (&d, M (620));
  desk_pass (&d, M (621));
  after = describe_rows (d.store);
  g_assert_cmpstr (after, ==, before);
  desk_close (&d);
}

/* (b) The clock set back nine hours after the agent had written records
 * at the later time: a pass at the earlier time writes nothing, withdraws
 * nothing and resolves nothing; when the time comes round again nothing is
 * written twice. */
static void
test_backward_jump (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *at_ten = NULL;
  g_autofree char *got = NULL;
  Desk             d;

  desk_open (&d, f);
  desk_pass (&d, M (600));
  at_ten = describe_rows (d.store);
  g_assert_cmpstr (at_ten, !=, "");

  desk_pass (&d, M (60)); /* 00:00 → 15:00 the day before */
  got = describe_rows (d.store);
  g_assert_cmpstr (got, ==, at_ten);
  g_clear_pointer (&got, g_free);
  /* The alarm is armed for something still to come at the new time. */
  g_assert_cmpint (cc_agent_get_next_wakeup (d.agent), >, M (60));

  desk_pass (&d, M (61));
  desk_pass (&d, M (600));
  desk_pass (&d, M (601));
  got = describe_rows (d.store);
  g_assert_cmpstr (got, ==, at_ten);
  check_escalations (d.store, d.policy, M (601), FALSE, NULL);
  desk_close (&d);
}

/* (a) The kernel cancels the timerfd when the clock is set: the alarm
 * re-arms an instant still ahead, and its owner is called to look again.
 * Here the owner does what custody-clockd's on_alarm() does, one pass at
 * the clock's time (injected: ten hours on, as after the change) and the
 * alarm armed for the next wake-up. */
typedef struct
{
  CcAlarm  *alarm;
  Desk     *desk;
  CcInstant now;
  guint     calls;
  gboolean  changed;
} Probe;

static void
on_probe_alarm (gboolean clock_changed,
                gpointer user_data)
{
  Probe *p = user_data;

  p->calls++;
  p->changed = clock_changed;
  if (p->desk != NULL)
    {
      CcInstant next;

      desk_pass (p->desk, p->now);
      next = cc_agent_get_next_wakeup (p->desk->agent);
      if (next == CC_INSTANT_NONE)
        cc_alarm_disarm (p->alarm);
      else
        cc_alarm_arm (p->alarm, next * G_USEC_PER_SEC);
    }
}

static void
test_clock_set (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (CcTimeSource) clock = cc_time_source_new ();
  g_autoptr (CcTimeSource) then = NULL;
  g_autoptr (CcAlarm) alarm = NULL;
  Probe  probe = { 0 };
  gint64 in_an_hour = g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC;
  gint64 start;
  Desk   d;

  /* The real timerfd: an instant in the past goes off at once, as an
   * expiry, not a clock change. */
  alarm = cc_alarm_new (clock, on_probe_alarm, &probe);
  cc_alarm_arm (alarm, g_get_real_time () - G_USEC_PER_SEC);
  start = g_get_monotonic_time ();
  while (probe.calls == 0 && seconds_since (start) < 10)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_false (probe.changed);
  g_assert_cmpint (cc_alarm_get_armed (alarm), ==, 0);

  /* ECANCELED with the instant still ahead: re-armed for it, and the owner
   * is told the clock changed. */
  cc_alarm_arm (alarm, in_an_hour);
  cc_alarm_handle_clock_change (alarm);
  g_assert_cmpuint (probe.calls, ==, 2);
  g_assert_true (probe.changed);
  g_assert_cmpint (cc_alarm_get_armed (alarm), ==, in_an_hour);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (probe.calls, ==, 2); /* the re-armed timer has not gone off */
  g_clear_pointer (&alarm, cc_alarm_free);

  /* ECANCELED after a jump past the instant: not re-armed for it; the
   * owner's pass arms the alarm for what is due next.  The agent lives on
   * a clock showing 14:20 on the day of the data, armed for 14:30; the
   * clock is set ten hours on. */
  desk_open (&d, f);
  then = cc_time_source_new_scaled (M (20) * G_USEC_PER_SEC, 1.0, g_get_real_time ());
  alarm = cc_alarm_new (then, on_probe_alarm, &probe);
  probe = (Probe){ .alarm = alarm, .desk = &d, .now = M (20) };
  on_probe_alarm (FALSE, &probe);
  g_assert_cmpint (cc_alarm_get_armed (alarm), ==, M (30) * G_USEC_PER_SEC);
  {
    g_autofree char *none = describe_rows (d.store);
    g_assert_cmpstr (none, ==, "");
  }

  probe.now = M (620);
  cc_alarm_handle_clock_change (alarm);
  g_assert_cmpuint (probe.calls, ==, 2);
  g_assert_true (probe.changed);
  /* The pass after the change wrote what fell due in the gap... */
  check_escalations (d.store, d.policy, M (620), FALSE, NULL);
  /* ...and the alarm is armed for the next step after it, not the 14:30
   * that the jump passed. */
  g_assert_cmpint (cc_alarm_get_armed (alarm), >, M (620) * G_USEC_PER_SEC);
  g_assert_cmpint (cc_alarm_get_armed (alarm), ==, cc_agent_get_next_wakeup (d.agent) * G_USEC_PER_SEC);
  g_clear_pointer (&alarm, cc_alarm_free);
  desk_close (&d);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/agentd-faults/clock/set", NULL, test_clock_set);
  ADD ("/agentd-faults/clock/backward-jump", NULL, test_backward_jump);
  ADD ("/agentd-faults/clock/forward-jump", NULL, test_forward_jump);
  ADD ("/agentd-faults/gone/deleted", "deleted", test_database_gone);
  ADD ("/agentd-faults/gone/moved", "moved", test_database_gone);
  ADD ("/agentd-faults/gone/replaced", "replaced", test_database_gone);
  ADD ("/agentd-faults/locked/cli", NULL, test_locked_cli);
  ADD ("/agentd-faults/locked/agent-commit", "commit", test_locked_agent);
  ADD ("/agentd-faults/locked/agent-rollback", "rollback", test_locked_agent);
  ADD ("/agentd-faults/four-agents", NULL, test_four_agents);
  ADD ("/agentd-faults/kills", NULL, test_kills);
#undef ADD

  return g_test_run ();
}
