/* test-scale-report.c: the report's cache and summaries never change a figure
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A simulated force (about 1,500 records over three months, a fixed seed)
 * is reported month by month three ways: the reference with neither the
 * months' cache nor the records' summaries, cold (both empty, then
 * filled), and warm (filled: from the cache, and with the cache off from
 * the summaries alone).  The JSON must be the same bytes every time.
 * Then rows are written with plain SQL, the way a custody system writes
 * them, to records whose summaries are kept: a void of a closing event, a
 * superseded arrival time (moving the record to the month before), a late
 * review after release, a closing row whose data is not valid, a row
 * after the report's instant, and a record whose arrival is voided.
 * After each, every month is compared with the reference again.
 *
 * Decisions: the simulator rather than fixtures, because the summaries
 * must meet every kind of record the engine knows (adults, suites,
 * post-charge, corrections, the simulator's bad rows); the months are
 * reported at one instant well after the last arrival, so that most
 * records are settled and summaries exist to be invalidated.
 */
#include "config.h"

#include <sqlite3.h>

#include "cc-policy.h"
#include "cc-report.h"
#include "cc-simulator.h"
#include "cc-store.h"
#include "cc-test-util.h"

#define START 1736121600 /* 2025-01-06T00:00:00Z, a Monday */
#define AT (START + (CcInstant) 120 * CC_DAY)
#define N_RECORDS 1500

static const char *const months[] = { "2025-01", "2025-02", "2025-03", "2025-04" };

typedef CcTestDb Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcSimulator) sim = NULL;
  CcSimulatorOptions options;

  cc_test_db_open (f, "scale.db", NULL);
  cc_simulator_options_init (&options);
  options.seed = 15;
  options.n_records = N_RECORDS;
  options.start = START;
  options.per_day = N_RECORDS / 90.0;
  options.bad_row_every = 2000;
  sim = cc_simulator_new (&options);
  g_assert_true (cc_simulator_write (sim, f->store, &error));
  g_assert_no_error (error);
}

static char *
report_full (Fixture    *f,
             const char *month,
             const char *suite,
             gboolean    no_cache,
             gboolean    no_summaries,
             CcInstant   now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) object = NULL;
  CcReportOptions options = {
    .month = month,
    .suite = suite,
    .at = AT,
    .stamp_at = CC_INSTANT_NONE,
    .no_cache = no_cache,
    .no_summaries = no_summaries,
    .now = now,
  };

  object = cc_report_build (f->store, f->policy, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  return cc_report_render_json (object);
}

static char *
report (Fixture    *f,
        const char *month,
        gboolean    no_cache,
        gboolean    no_summaries)
{
  return report_full (f, month, NULL, no_cache, no_summaries, 0);
}

/* Months [@first, @last], warm from the cache and warm from the
 * summaries alone, against the reference; @what names the moment in a
 * failure. */
static void
compare_months (Fixture    *f,
                gsize       first,
                gsize       last,
                const char *what)
{
  for (gsize i = first; i <= last; i++)
    {
      g_autofree char *reference = report (f, months[i], TRUE, TRUE);
      g_autofree char *from_summaries = report (f, months[i], TRUE, FALSE);
      g_autofree char *from_both = report (f, months[i], FALSE, FALSE);

      if (g_strcmp0 (reference, from_summaries) != 0)
        g_error ("%s: %s from the summaries differs from the reference", what, months[i]);
      if (g_strcmp0 (reference, from_both) != 0)
        g_error ("%s: %s from the cache and summaries differs from the reference", what, months[i]);
    }
}

/* Cold (nothing kept) and warm, month by month. */
static void
test_cold_warm (Fixture      *f,
                gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (months); i++)
    {
      g_autofree char *reference = report (f, months[i], TRUE, TRUE);
      g_autofree char *cold = NULL;
      g_autofree char *warm = NULL;
      g_autofree char *summaries = NULL;

      g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_summary"), ==, 0);
      cold = report (f, months[i], FALSE, FALSE);
      g_assert_cmpstr (cold, ==, reference);
      g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_summary"), >, N_RECORDS / 5);
      /* The month's settled children keep their figures (record_figures),
       * which the warm reports count instead of reading their rows. */
      g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_figures"), >, N_RECORDS / 10);
      warm = report (f, months[i], FALSE, FALSE);
      g_assert_cmpstr (warm, ==, reference);
      summaries = report (f, months[i], TRUE, FALSE);
      g_assert_cmpstr (summaries, ==, reference);
      cc_test_sql_exec (f->path, "DELETE FROM record_summary; DELETE FROM record_figures; DELETE FROM report_cache");
    }

  /* Told the machine's time (after the instant), the report settles for
   * the board what it summarises; the figures stay the same. */
  {
    g_autofree char *reference = report (f, "2025-03", TRUE, TRUE);
    g_autofree char *settling = NULL;
    gint64           stays = cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay");

    settling = report_full (f, "2025-03", NULL, FALSE, FALSE, AT + CC_DAY);
    g_assert_cmpstr (settling, ==, reference);
    g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay"), >, stays + N_RECORDS / 5);
    g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay s JOIN record_summary m "
                                               "ON m.record_id = s.record_id WHERE s.closed_at != m.closed_at"),
                     ==, 0);
  }
}

/* A settled record (with a summary) of @month whose row of @type
 * matches, as "record_id|event_id". */
#define SETTLED_ROW(types, from)                                       \
  "FROM custody_event WHERE type IN " types " AND supersedes IS NULL " \
  "AND occurred_at >= '" from "' AND record_id IN "                    \
  "(SELECT record_id FROM record_summary WHERE monitored = 1) "        \
  "ORDER BY record_id LIMIT 1"

static const struct
{
  const char *name;
  const char *sql;
} injections[] = {
  { "void of a closing event",
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, data, supersedes) "
    "SELECT 'inj-void-close', record_id, 'void', occurred_at, '{}', event_id " SETTLED_ROW (
      "('released', 'transferred_to_la', 'left_for_court')",
      "2025-02-10") },
  { "superseded arrival time",
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, officer, data, supersedes) "
    "SELECT 'inj-arrival', record_id, 'arrival', strftime('%Y-%m-%dT%H:%M:%SZ', occurred_at, '-20 days'), "
    "officer, data, event_id " SETTLED_ROW ("('arrival')", "2025-03-05") },
  { "late review after release",
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, officer, data) "
    "SELECT 'inj-review', record_id, 'review', strftime('%Y-%m-%dT%H:%M:%SZ', occurred_at, '+3 hours'), officer, "
    "(SELECT data FROM custody_event WHERE type = 'review' ORDER BY seq LIMIT 1) " SETTLED_ROW ("('released')",
                                                                                                "2025-02-01") },
  { "closing row with invalid data",
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, officer, data) "
    "SELECT 'inj-bad-close', record_id, 'released', occurred_at, officer, '{\"outcome\": 5' " SETTLED_ROW (
      "('arrival')",
      "2025-02-20") },
  { "row after the report's instant",
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, officer, data) "
    "SELECT 'inj-future', record_id, 'review', '2025-06-20T10:00:00Z', officer, "
    "(SELECT data FROM custody_event WHERE type = 'review' ORDER BY seq LIMIT 1) " SETTLED_ROW ("('arrival')",
                                                                                                "2025-03-15") },
  { "record without arrival",
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, officer, data) "
    "SELECT 'inj-orphan', 'R-INJ-ORPHAN', 'arrival', '2025-02-14T10:00:00Z', officer, data "
    "FROM custody_event WHERE type = 'arrival' ORDER BY seq LIMIT 1; "
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, data, supersedes) "
    "VALUES ('inj-orphan-void', 'R-INJ-ORPHAN', 'void', '2025-02-14T10:05:00Z', '{}', 'inj-orphan'); "
    "INSERT INTO custody_event (event_id, record_id, type, occurred_at, officer, data) "
    "SELECT 'inj-orphan-review', 'R-INJ-ORPHAN', 'review', '2025-02-14T16:00:00Z', officer, data "
    "FROM custody_event WHERE type = 'review' ORDER BY seq LIMIT 1" },
};

/* Each row written by another process invalidates what it touches and
 * nothing else; the figures stay the reference's. */
static void
test_injected_rows (Fixture      *f,
                    gconstpointer data)
{
  /* Fill the cache and summaries. */
  for (gsize i = 0; i < G_N_ELEMENTS (months); i++)
    g_free (report (f, months[i], FALSE, FALSE));
  compare_months (f, 0, G_N_ELEMENTS (months) - 1, "before any row");

  for (gsize i = 0; i < G_N_ELEMENTS (injections); i++)
    {
      gint64 before = cc_test_sql_int (f->path, "SELECT count(*) FROM custody_event");

      cc_test_sql_exec (f->path, injections[i].sql);
      g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM custody_event"), >, before);
      /* The months the rows touch (February and March: the trend of
       * March has February's headline); all of them at the end. */
      compare_months (f, 1, 2, injections[i].name);
    }
  compare_months (f, 0, G_N_ELEMENTS (months) - 1, "after every row");

  /* One suite: the summaries' suite decides, as the arrival's does. */
  {
    g_autofree char *suite = cc_test_sql_text (f->path, "SELECT json_extract(data, '$.suite') FROM custody_event "
                                                        "WHERE type = 'arrival' ORDER BY seq LIMIT 1");

    g_assert_nonnull (suite);
    for (int pass = 0; pass < 2; pass++)
      {
        g_autofree char *reference = report_full (f, "2025-03", suite, TRUE, TRUE, 0);
        g_autofree char *kept = report_full (f, "2025-03", suite, pass == 0, FALSE, 0);

        g_assert_cmpstr (kept, ==, reference);
      }
  }
  /* The touched records' summaries went with their rows; the reports
   * since kept new ones only where the engine settles the record again at
   * the instant (not the one with a row after it). */
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_summary s JOIN custody_event e "
                                             "ON e.record_id = s.record_id WHERE e.event_id = 'inj-future'"),
                   ==, 0);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_summary WHERE record_id = 'R-INJ-ORPHAN'"), ==, 0);
}

/* A summary is written only if no row of the record came in after it was
 * read: the trigger deletes on write, the guard covers the gap. */
static void
test_summary_guard (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) rows = NULL;
  CcStoreRecordSummary s = { 0 };
  g_autofree char     *record_id = NULL;
  gint64               seq;

  g_free (report (f, "2025-02", TRUE, FALSE));
  g_assert_true (cc_store_list_month_summaries (f->store, "2025-02-01", "2025-03-01", "k", FALSE, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);
  record_id = g_strdup (g_array_index (rows, CcStoreRecordSummary, 0).record_id);
  g_assert_false (g_array_index (rows, CcStoreRecordSummary, 0).found);
  seq = cc_test_sql_int (f->path, "SELECT max(seq) FROM custody_event");

  s.record_id = record_id;
  s.arrived_at = START;
  s.checked_seq = seq;
  g_assert_true (cc_store_save_record_summaries (f->store, "k", &s, 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_array_unref);
  g_assert_true (cc_store_list_month_summaries (f->store, "2025-02-01", "2025-03-01", "k", FALSE, &rows, &error));
  g_assert_true (g_array_index (rows, CcStoreRecordSummary, 0).found);

  /* A row of the record: the trigger takes the summary away ... */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO custody_event (event_id, record_id, type, occurred_at, data) "
                                            "VALUES ('guard-1', '%s', 'void', '2025-02-02T00:00:00Z', '{}')",
                                            record_id);
    cc_test_sql_exec (f->path, sql);
  }
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_summary WHERE policy = 'k'"), ==, 0);
  /* ... and a summary read before it is not written. */
  g_assert_true (cc_store_save_record_summaries (f->store, "k", &s, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_summary WHERE policy = 'k'"), ==, 0);
}

static void
skip_under_valgrind (void)
{
  g_test_skip ("too slow under valgrind and AddressSanitizer: run in the default setup");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Under valgrind, and under AddressSanitizer with its full stacks on
   * every allocation, the comparisons over a simulated log of 1,500
   * records run past the test's time limit (over 360 s).  They compare
   * outputs, which the default setup does; the code they run is checked
   * for memory errors by the smaller tests in those setups. */
  if (g_getenv ("CUSTODY_CLOCK_UNDER_VALGRIND") != NULL || g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_test_add_func ("/scale-report/skipped-where-slow", skip_under_valgrind);
      return g_test_run ();
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, cc_test_db_close)
  ADD ("/scale-report/cold-warm", test_cold_warm);
  ADD ("/scale-report/injected-rows", test_injected_rows);
  ADD ("/scale-report/summary-guard", test_summary_guard);
#undef ADD

  return g_test_run ();
}
