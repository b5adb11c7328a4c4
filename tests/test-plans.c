/* test-plans.c: no hot path reads a whole table of the log (issue 15)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each case runs the real library functions of one hot path on a
 * simulated log, with the store recording the EXPLAIN QUERY PLAN of every
 * statement they run (cc_store_record_plans()), and fails on a plan line
 * that reads all of custody_event, escalation, quarantine, or the
 * record_stay and record_summary tables others are adding: a SCAN of one
 * (under its name or an alias), a SCAN of one of their indexes, or an
 * automatic index built from one (which reads all of it first).  The
 * statements are the ones the code runs, not a copy kept here, so a new
 * statement on a path is checked without anyone listing it.
 *
 * Every case runs twice, on the log as written and after ANALYZE: the
 * statistics in sqlite_stat1 can change SQLite's plans either way.
 *
 * The board (`status`, now and at a past instant, with a suite) reads
 * what may be open then and the agent's start-up what may still change:
 * neither may read the log by a range of seq either, which SQLite calls a
 * SEARCH.  To add a case: record, run the path, and hand
 * cc_store_take_plans() to check_plans().
 *
 * The report is built with one thread: shares on other threads read
 * through connections of their own, which this store cannot see.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cc-agent.h"
#include "cc-board.h"
#include "cc-importer.h"
#include "cc-ledger.h"
#include "cc-notifier.h"
#include "cc-report.h"
#include "cc-simulator.h"
#include "cc-test-util.h"

/* 2026-09-21T00:00:00Z: 400 records at 20 a day run to mid-October, so
 * October is the report's month with September before it in the trend. */
#define START ((CcInstant) 1789948800)
#define DAYS 20
#define END (START + DAYS * CC_DAY)
#define MONTH "2026-10"

/* The log's big tables: these must never be read whole on a hot path.
 * record_stay and record_summary are the tables issue 15 adds. */
#define BIG_TABLES "custody_event|escalation|quarantine|record_stay|record_summary"
#define BIG_INDEXES "custody_event_|record_stay|record_summary"
/* Partial indexes of what is open: escalations not resolved, quarantined
 * rows not mended, records no board has found settled. */
#define ALLOWED_PARTIAL "escalation_open|quarantine_open|record_unsettled_board"

typedef struct
{
  char     *dir;
  char     *path;
  CcPolicy *policy;
  CcStore  *store;
  char     *record_id; /* one of October's records, held by the agent */
  char     *suite;
} Fixture;

/* ---- the check --------------------------------------------------------- */

/* The table an alias in @sql stands for: "custody_event AS e" makes "SCAN
 * e" a scan of custody_event.  Extra entries (a keyword after a table
 * name) are harmless: SQLite never scans a keyword. */
static GHashTable *
aliases_of (const char *sql)
{
  static GRegex *alias_re; /* the tests run on one thread */
  GHashTable    *aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GMatchInfo) match = NULL;

  if (alias_re == NULL)
    alias_re = g_regex_new ("\\b(" BIG_TABLES ")\\s+(?:AS\\s+)?(\\w+)", G_REGEX_CASELESS, 0, NULL);
  g_regex_match (alias_re, sql, 0, &match);
  while (g_match_info_matches (match))
    {
      g_hash_table_replace (aliases, g_match_info_fetch (match, 2), g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
  return aliases;
}

/* Whether a plan line reads a whole big table; @out_why says which. */
static gboolean
line_scans (const char *line,
            GHashTable *aliases,
            char      **out_why)
{
  static GRegex *scan_re, *index_re, *auto_re, *alias_re;
  g_autoptr (GMatchInfo) match = NULL;
  const char *table;

  if (scan_re == NULL)
    {
      scan_re = g_regex_new ("SCAN (" BIG_TABLES ")\\b", 0, 0, NULL);
      index_re = g_regex_new ("SCAN \\w+ USING (COVERING )?INDEX (" BIG_INDEXES ")", 0, 0, NULL);
      auto_re = g_regex_new ("(SCAN|SEARCH) (\\w+) USING AUTOMATIC", 0, 0, NULL);
      alias_re = g_regex_new ("SCAN (\\w+)\\b", 0, 0, NULL);
    }

  /* A partial index of what is still open is sized by that, not by the
   * log: reading it whole is what it is for. */
  if (g_regex_match_simple ("USING (COVERING )?INDEX (" ALLOWED_PARTIAL ")\\b", line, 0, 0))
    return FALSE;
  if (g_regex_match (scan_re, line, 0, NULL))
    {
      *out_why = g_strdup ("a scan of the table");
      return TRUE;
    }
  if (g_regex_match (index_re, line, 0, NULL))
    {
      *out_why = g_strdup ("a scan of the table's index");
      return TRUE;
    }
  if (g_regex_match (auto_re, line, 0, &match))
    {
      g_autofree char *name = g_match_info_fetch (match, 2);

      table = g_hash_table_lookup (aliases, name);
      if (table != NULL || g_regex_match_simple ("^(" BIG_TABLES ")$", name, 0, 0))
        {
          *out_why = g_strdup_printf ("an automatic index, built by reading all of %s", table != NULL ? table : name);
          return TRUE;
        }
    }
  g_clear_pointer (&match, g_match_info_unref);
  if (g_regex_match (alias_re, line, 0, &match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);

      table = g_hash_table_lookup (aliases, name);
      if (table != NULL)
        {
          *out_why = g_strdup_printf ("a scan of %s (as %s)", table, name);
          return TRUE;
        }
    }
  return FALSE;
}

/* Checks every plan of one hot path (@label).  Each line that reads a
 * whole big table is printed with its statement; with @hard the case then
 * fails, naming them all, and without it the case is marked incomplete
 * (@incomplete says why), so that a path known to scan still runs and
 * shows what does.  Returns how many lines scan. */
static guint
check_plans (const char *label,
             GPtrArray  *plans,
             gboolean    hard,
             const char *incomplete)
{
  g_autoptr (GString) found = g_string_new (NULL);
  guint n = 0;

  g_assert_nonnull (plans);
  g_test_message ("%s: %u statements", label, plans->len);
  for (guint i = 0; i < plans->len; i++)
    {
      CcStorePlan *plan = g_ptr_array_index (plans, i);
      g_autoptr (GHashTable) aliases = aliases_of (plan->sql);

      if (g_test_verbose ())
        {
          g_autofree char *lines = g_strjoinv ("\n  ", plan->lines);
          g_test_message ("%s: %s\n  %s", label, plan->sql, lines);
        }
      for (char **line = plan->lines; *line != NULL; line++)
        {
          g_autofree char *why = NULL;
          g_autofree char *detail = NULL;

          if (!line_scans (*line, aliases, &why))
            continue;
          n++;
          detail = g_strstrip (g_strdup (*line));
          g_string_append_printf (found, "\n%s: %s: plan line \"%s\" in:\n%s\n", label, why, detail, plan->sql);
          g_test_message ("%s: SCANS (%s): %s\n  in: %s", label, why, *line, plan->sql);
        }
    }

  if (n > 0)
    {
      if (hard)
        g_test_fail_printf ("%s: %u plan line(s) read a whole table:%s", label, n, found->str);
      else
        g_test_incomplete_printf ("%s: %u plan line(s) read a whole table (%s)", label, n, incomplete);
    }
  return n;
}

/* Whether some statement of @plans holds @text: the path ran what the
 * case means to check. */
static gboolean
plans_hold (GPtrArray  *plans,
            const char *text)
{
  for (guint i = 0; i < plans->len; i++)
    if (strstr (((CcStorePlan *) g_ptr_array_index (plans, i))->sql, text) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- the log ------------------------------------------------------------ */

static CcStore *
open_store (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  CcStore *store = cc_store_open (f->path, CC_STORE_OPEN_NONE, &error);

  g_assert_no_error (error);
  return store;
}

/* A few hundred records over some weeks, some of them bad rows; input
 * lines refused by the importer; and the escalation records and
 * quarantined rows of an agent's first pass.  @data: whether to ANALYZE. */
static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) suites = NULL;
  CcSimulatorOptions options;

  f->dir = cc_test_tmpdir ();
  f->path = g_build_filename (f->dir, "custody.db", NULL);
  f->policy = cc_test_policy ("");
  f->store = cc_store_open (f->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  cc_simulator_options_init (&options);
  options.seed = 15;
  options.n_records = 400;
  options.start = START;
  options.n_suites = 2;
  options.adults_ratio = 0.2;
  options.per_day = 400.0 / DAYS;
  options.not_after = END;
  options.bad_row_every = 100;
  {
    g_autoptr (CcSimulator) sim = cc_simulator_new (&options);

    g_assert_true (cc_simulator_write (sim, f->store, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (cc_simulator_get_stats (sim)->bad_rows, >, 0);
    g_assert_cmpuint (cc_simulator_get_stats (sim)->open_records, >, 0);
  }

  g_assert_true (cc_store_list_month_records (f->store, "2026-10-08", "2026-10-12", &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >, 0);
  f->record_id = g_strdup (g_ptr_array_index (ids, 0));
  suites = cc_store_list_suites (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (suites->len, >, 0);
  f->suite = g_strdup (g_ptr_array_index (suites, 0));

  /* Refused input: a line of a known record, and one of nobody's. */
  {
    g_autoptr (CcImporter) importer = cc_importer_new (f->store, "test", END);
    g_autofree char *known = g_strdup_printf ("{\"record_id\": \"%s\", \"type\": \"no_such_type\"}", f->record_id);
    const char      *nobody = "{\"type\": \"arrival\"";

    g_assert_true (cc_importer_import_line (importer, known, strlen (known), &error));
    g_assert_true (cc_importer_import_line (importer, nobody, strlen (nobody), &error));
    g_assert_true (cc_importer_finish (importer, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (cc_importer_get_stats (importer)->rejected, ==, 2);
  }

  /* An agent's first pass writes the escalations and keeps the bad rows. */
  {
    g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
    g_autoptr (CcAgent) agent = cc_agent_new (f->store, f->policy, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
    g_autoptr (GPtrArray) escalations = NULL;
    g_autoptr (GPtrArray) quarantine = NULL;

    g_assert_true (cc_agent_process (agent, END, &error));
    g_assert_no_error (error);
    escalations = cc_store_list_escalations (f->store, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (escalations->len, >, 0);
    quarantine = cc_store_list_quarantine (f->store, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (quarantine->len, >, 2);
  }

  if (GPOINTER_TO_INT (data))
    {
      g_clear_pointer (&f->store, cc_store_free);
      cc_test_sql_exec (f->path, "ANALYZE");
      f->store = open_store (f);
    }
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_pointer (&f->store, cc_store_free);
  g_clear_pointer (&f->policy, cc_policy_unref);
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->record_id);
  g_free (f->suite);
}

/* ---- the hot paths ------------------------------------------------------ */

/* `custody-clock record`: one record's timeline. */
static void
test_record_timeline (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (CcStore) store = open_store (f);
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GError) error = NULL;

  cc_store_record_plans (store, TRUE);
  g_assert_true (cc_ledger_load_record (ledger, store, f->record_id, END, &error));
  g_assert_no_error (error);
  g_assert_nonnull (cc_ledger_get_record (ledger, f->record_id));
  plans = cc_store_take_plans (store);
  check_plans ("record timeline", plans, TRUE, NULL);
  g_assert_true (plans_hold (plans, "FROM custody_event WHERE record_id = ?2"));
}

/* The agent's pass on a timer tick or a database change, with nothing
 * new: the real pass after a first one, then the reads it is made of,
 * called once more by themselves so that each is checked even if the
 * pass stops needing one. */
static void
test_agent_pass (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (CcStore) store = open_store (f);
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = cc_agent_new (store, f->policy, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) escalations = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  g_autoptr (GError) error = NULL;
  gint64 max_seq = 0, checkpoint = 0, last_seq = 0, version = 0;

  g_assert_true (cc_agent_process (agent, END, &error)); /* start-up: the case below */
  g_assert_no_error (error);
  g_assert_cmpuint (cc_agent_get_n_held (agent), >, 0);

  cc_store_record_plans (store, TRUE);
  g_assert_true (cc_agent_process (agent, END + CC_MINUTE, &error));
  g_assert_no_error (error);
  g_assert_true (cc_agent_process (agent, END + 2 * CC_MINUTE, &error));
  g_assert_no_error (error);

  g_assert_true (cc_store_get_data_version (store, &version, &error));
  g_assert_true (cc_store_get_max_seq (store, &max_seq, &error));
  g_assert_true (cc_store_get_checkpoint (store, &checkpoint, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checkpoint, ==, max_seq);
  g_assert_true (cc_ledger_load_record (ledger, store, f->record_id, END, &error));
  g_assert_true (cc_ledger_load_held (ledger, store, checkpoint, END, unknown, &last_seq, &error));
  g_assert_true (cc_store_list_record_escalations (store, f->record_id, escalations, &error));
  g_assert_no_error (error);

  plans = cc_store_take_plans (store);
  check_plans ("agent pass", plans, TRUE, NULL);
  g_assert_true (plans_hold (plans, "FROM custody_event WHERE seq > ?1"));
  g_assert_true (plans_hold (plans, "FROM escalation WHERE record_id = ?1"));
  g_assert_true (plans_hold (plans, "FROM monitor_checkpoint"));
}

/* `custody-clock report --month`: the month and its trend, with the cache
 * cold and then warm, for all suites and for one. */
static void
test_report_month (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (CcStore) store = open_store (f);
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GError) error = NULL;
  CcReportOptions options = { MONTH, NULL, END + 30 * CC_DAY, CC_INSTANT_NONE, FALSE, 1 };
  g_autoptr (JsonObject) cold = NULL;
  g_autoptr (JsonObject) warm = NULL;
  g_autoptr (JsonObject) suite = NULL;

  cc_store_record_plans (store, TRUE);
  cold = cc_report_build (store, f->policy, &options, &error);
  g_assert_no_error (error);
  /* A row since the cache was written: its months are looked at again. */
  {
    CcStoreRow row = { 0, NULL, f->record_id, "note", "2026-10-20T10:00:00Z", NULL, "PC 1", NULL, NULL };

    g_assert_true (cc_store_insert_row (store, &row, NULL, &error));
    g_assert_no_error (error);
  }
  warm = cc_report_build (store, f->policy, &options, &error);
  g_assert_no_error (error);
  options.suite = f->suite;
  suite = cc_report_build (store, f->policy, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cold);
  g_assert_nonnull (warm);
  g_assert_nonnull (suite);

  plans = cc_store_take_plans (store);
  check_plans ("report month", plans, TRUE, NULL);
  g_assert_true (plans_hold (plans, "FROM report_cache"));
  g_assert_true (plans_hold (plans, "WHERE seq > ?3 AND +record_id IN"));
  g_assert_true (plans_hold (plans, "escalation.record_id = m.month_record"));
  g_assert_true (plans_hold (plans, "quarantine.record_id = m.month_record"));
}

/* Whether a plan of @plans reads custody_event by a range of seq from the
 * start: the whole log, by its rowid, which the patterns above do not see
 * as a scan (SQLite calls it a SEARCH).  The agent's pass reads rows above
 * what it has read, which is small; the board must read no such range. */
static gboolean
plans_read_log_by_seq (GPtrArray *plans)
{
  for (guint i = 0; i < plans->len; i++)
    {
      CcStorePlan *plan = g_ptr_array_index (plans, i);

      for (char **line = plan->lines; *line != NULL; line++)
        if (strstr (*line, "custody_event USING INTEGER PRIMARY KEY (rowid>") != NULL)
          {
            g_test_message ("reads the log by seq: %s\n  in: %s", *line, plan->sql);
            return TRUE;
          }
    }
  return FALSE;
}

/* `custody-clock status --suite S` at @at: settling the backlog, the
 * suite's name resolved as a person typed it (in another case, so that it
 * is looked up in the log), the candidates and their records. */
static void
check_board (Fixture    *f,
             const char *label,
             CcInstant   at)
{
  g_autoptr (CcStore) store = open_store (f);
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GPtrArray) board = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *typed = g_utf8_strdown (f->suite, -1);
  g_autofree char *suite = NULL;
  CcInstant        now = g_get_real_time () / G_USEC_PER_SEC;

  cc_store_record_plans (store, TRUE);
  g_assert_true (cc_store_resolve_suite (store, typed, &suite, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (suite, ==, f->suite);
  board = cc_board_read (store, f->policy, at, now, suite, &error);
  g_assert_no_error (error);
  g_assert_nonnull (board);
  plans = cc_store_take_plans (store);
  check_plans (label, plans, TRUE, NULL);
  g_assert_false (plans_read_log_by_seq (plans));
  g_assert_true (plans_hold (plans, "FROM record_stay"));
  g_assert_true (plans_hold (plans, "record_id = ?"));
}

/* `custody-clock status`: the board now (every record of the log closed
 * long ago) and at an instant in the middle of the log, with children in
 * custody. */
static void
test_board_status (Fixture      *f,
                   gconstpointer data)
{
  check_board (f, "board now", g_get_real_time () / G_USEC_PER_SEC);
  check_board (f, "board at T", START + DAYS / 2 * CC_DAY);
}

/* The agent's first pass: its working set (cc_store_list_live_records()):
 * what is unsettled, escalations not resolved, quarantined rows not
 * mended.  Those are partial indexes sized by what is still open, which
 * it reads whole, and the patterns allow (ALLOWED_PARTIAL). */
static void
test_agent_start (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (CcStore) store = open_store (f);
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = cc_agent_new (store, f->policy, notifier, "desk-2", NULL, CC_LEVEL_SERGEANT);
  g_autoptr (GPtrArray) plans = NULL;
  g_autoptr (GError) error = NULL;

  cc_store_record_plans (store, TRUE);
  g_assert_true (cc_agent_process (agent, END + CC_HOUR, &error));
  g_assert_no_error (error);
  plans = cc_store_take_plans (store);
  check_plans ("agent start-up", plans, TRUE, NULL);
  g_assert_false (plans_read_log_by_seq (plans));
  g_assert_true (plans_hold (plans, "FROM record_unsettled"));
  g_assert_true (plans_hold (plans, "FROM escalation WHERE resolved_at IS NULL"));
}

/* ---- the recorder itself ------------------------------------------------ */

/* A statement cached before recording began is recorded when reused; each
 * text once per take; nothing once recording is off. */
static void
test_recorder (Fixture      *f,
               gconstpointer data)
{
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (cc_store_get_max_seq (f->store, &seq, &error)); /* now cached */
  cc_store_record_plans (f->store, TRUE);
  g_assert_true (cc_store_get_max_seq (f->store, &seq, &error));
  g_assert_true (cc_store_get_max_seq (f->store, &seq, &error));
  g_assert_no_error (error);
  first = cc_store_take_plans (f->store);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpstr (((CcStorePlan *) g_ptr_array_index (first, 0))->sql, ==,
                   "SELECT coalesce(max(seq), 0) FROM custody_event");
  g_assert_nonnull (((CcStorePlan *) g_ptr_array_index (first, 0))->lines[0]);

  g_assert_true (cc_store_get_max_seq (f->store, &seq, &error));
  second = cc_store_take_plans (f->store);
  g_assert_cmpuint (second->len, ==, 1);

  /* The check finds a scan under an alias, and says where. */
  {
    g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_store_plan_free);
    g_autoptr (GHashTable) aliases = aliases_of ("SELECT 1 FROM custody_event AS e JOIN quarantine q");
    g_autofree char *why = NULL;

    g_assert_true (line_scans ("SCAN e", aliases, &why));
    g_assert_cmpstr (why, ==, "a scan of custody_event (as e)");
    g_clear_pointer (&why, g_free);
    g_assert_true (line_scans ("  SCAN custody_event USING COVERING INDEX custody_event_arrival", aliases, &why));
    g_clear_pointer (&why, g_free);
    g_assert_true (line_scans ("SEARCH q USING AUTOMATIC COVERING INDEX (record_id=?)", aliases, &why));
    g_clear_pointer (&why, g_free);
    g_assert_false (line_scans ("SEARCH e USING INDEX custody_event_record (record_id=?)", aliases, &why));
    g_assert_false (line_scans ("SCAN m", aliases, &why));
    g_assert_false (line_scans ("SCAN report_cache", aliases, &why));
  }

  cc_store_record_plans (f->store, FALSE);
  g_assert_true (cc_store_get_max_seq (f->store, &seq, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *name;
    void (*func) (Fixture *, gconstpointer);
  } cases[] = {
    { "record-timeline", test_record_timeline },
    { "agent-pass", test_agent_pass },
    { "report-month", test_report_month },
    { "board-status", test_board_status },
    { "agent-start", test_agent_start },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/plans/recorder", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_recorder, fixture_tear_down);
  for (guint analyzed = 0; analyzed <= 1; analyzed++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/plans/%s/%s", cases[i].name, analyzed ? "analyzed" : "as-written");

        g_test_add (path, Fixture, GINT_TO_POINTER (analyzed), fixture_set_up, cases[i].func, fixture_tear_down);
      }
  return g_test_run ();
}
