/* test-scale-board.c: the board read from its candidates is the board of
 * the whole log (issue 15)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `status` reads only the records that may be open at T (cc_board_read():
 * the backlog settled at the machine's time, then the settled stays
 * covering T and the unsettled records).  The promise is that nobody can
 * tell: the JSON is byte for byte the one the old path makes, a ledger of
 * the whole log through cc_board_collect(), which this test keeps as the
 * reference.
 *
 * Decisions:
 *  - A simulated force (1,500 records over about 40 days, fixed seed) and
 *    then the rows a custody system writes with its own SQL that could
 *    catch a settled record out: a void of its closing event, its arrival
 *    superseded nine days earlier (a stay over seven days: the long-stay
 *    arm of the candidates), a review after release, a correction keyed
 *    on the wrong record, a closing row with invalid data, a row from a
 *    clock ahead, a record without its arrival.  After each, the boards
 *    are compared every 6 h of the period and at its end.
 *  - Before any settle the candidates are every record
 *    (cc_board_read_candidates(), which does not settle); after, the
 *    settled stays.  A write lock held by another connection (the settle
 *    cannot be written) must still give the same board.
 *  - The test was seen to fail with a candidate query missing its
 *    long-stay arm (HACKING.md "Reads cost what they show").
 */
#include "config.h"

#include <sqlite3.h>

#include "cc-board.h"
#include "cc-settle.h"
#include "cc-simulator.h"
#include "cc-test-util.h"

#define START ((CcInstant) 1736121600) /* 2025-01-06T00:00:00Z */
#define DAYS 40
/* The machine's time: the end of the simulated period. */
#define NOW (START + (CcInstant) DAYS * CC_DAY)
#define STEP (6 * CC_HOUR)

typedef struct
{
  CcTestDb db;
  guint    n_compared;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcSimulator) sim = NULL;
  CcSimulatorOptions options;

  cc_test_db_open (&f->db, "custody.db", NULL);

  cc_simulator_options_init (&options);
  options.seed = 15;
  /* More than arrive by the end: the last ones are still in custody. */
  options.n_records = 1700;
  options.start = START;
  options.per_day = 1500.0 / DAYS;
  options.not_after = NOW;
  sim = cc_simulator_new (&options);
  g_assert_true (cc_simulator_write (sim, f->db.store, &error));
  g_assert_no_error (error);
  /* Some records still in custody at the end, some bad rows. */
  g_assert_cmpuint (cc_simulator_get_stats (sim)->open_records, >, 0);
  g_assert_cmpuint (cc_simulator_get_stats (sim)->records, >, 1400);
  g_assert_cmpuint (cc_simulator_get_stats (sim)->records, <, 1700);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  cc_test_db_close (&f->db, NULL);
}

static gboolean
on_board (Fixture    *f,
          const char *record_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM record_unsettled WHERE record_id = '%s' AND on_board = 1",
                                          record_id);
  g_autofree char *n = cc_test_sql_text (f->db.path, sql);

  return g_str_equal (n, "1");
}

static char *
board_text (GPtrArray *open)
{
  g_autoptr (JsonNode) node = cc_board_to_json (open);

  return json_to_string (node, TRUE);
}

typedef enum
{
  READ_CANDIDATES, /* as they stand: nothing settled by the read */
  READ_BOARD,      /* cc_board_read(): settles the backlog first */
} ReadMode;

static void
compare_at (Fixture    *f,
            CcLedger   *whole,
            CcInstant   at,
            ReadMode    mode,
            const char *label)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) reference = cc_board_collect (whole, f->db.policy, at, NULL);
  g_autoptr (GPtrArray) read = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;

  if (mode == READ_CANDIDATES)
    read = cc_board_read_candidates (f->db.store, f->db.policy, at, NOW, NULL, &error);
  else
    read = cc_board_read (f->db.store, f->db.policy, at, NOW, NULL, &error);
  g_assert_no_error (error);
  expected = board_text (reference);
  got = board_text (read);
  if (!g_str_equal (expected, got))
    {
      g_autofree char *when = cc_time_format_utc (at);
      g_test_message ("%s: the board at %s differs (%u children from the whole log, %u read)", label, when,
                      reference->len, read->len);
      g_assert_cmpstr (got, ==, expected);
    }
  f->n_compared++;
}

/* Every @step from @from to @to on the grid of the period (6 h from its
 * start), the end of the period and a little after (the machine's time),
 * against a ledger of the whole log as it stands. */
static void
compare_window (Fixture    *f,
                ReadMode    mode,
                const char *label,
                CcInstant   from,
                CcInstant   to,
                CcInstant   step)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcLedger) whole = cc_ledger_new ();
  gint64 started = g_get_monotonic_time ();
  guint  before = f->n_compared;

  g_assert_true (cc_ledger_load (whole, f->db.store, NOW, &error));
  g_assert_no_error (error);
  for (CcInstant at = START; at <= NOW; at += step)
    if (at >= from && at <= to)
      compare_at (f, whole, at, mode, label);
  compare_at (f, whole, NOW - 1, mode, label);
  compare_at (f, whole, NOW + 5 * CC_MINUTE, mode, label);
  g_test_message ("%s: %u boards in %.1f s", label, f->n_compared - before,
                  (g_get_monotonic_time () - started) / 1e6);
}

/* Every 6 h of the whole period. */
static void
compare_period (Fixture    *f,
                ReadMode    mode,
                const char *label)
{
  compare_window (f, mode, label, START, NOW, STEP);
}

/* After a row of @record_id: every 6 h of its stay (@from to @to, as it
 * stood before or after the row, whichever is wider) and a day either
 * side.  The whole period for every row would be minutes of the whole
 * log's evaluation; the final state is compared over the whole period. */
static void
compare_record (Fixture    *f,
                const char *label,
                CcInstant   from,
                CcInstant   to)
{
  compare_window (f, READ_BOARD, label, from - CC_DAY, to + CC_DAY, STEP);
}

/* A row of the log at @at as a custody system would write it. */
static void
insert_row (Fixture    *f,
            const char *event_id,
            const char *record_id,
            const char *type,
            CcInstant   at,
            const char *data,
            const char *supersedes)
{
  g_autofree char *when = cc_time_format_utc (at);
  g_autofree char *target = supersedes != NULL ? g_strdup_printf ("'%s'", supersedes) : g_strdup ("NULL");
  g_autofree char *sql = g_strdup_printf ("INSERT INTO custody_event (event_id, record_id, type, occurred_at, "
                                          "recorded_at, officer, data, supersedes)\n"
                                          "VALUES ('%s', '%s', '%s', '%s', '%s', 'PS 1515', '%s', %s)",
                                          event_id, record_id, type, when, when, data, target);

  cc_test_sql_exec (f->db.path, sql);
}

static CcInstant
raw_instant (Fixture    *f,
             const char *sql)
{
  g_autofree char *text = cc_test_sql_text (f->db.path, sql);
  CcInstant        at = CC_INSTANT_NONE;

  g_assert_nonnull (text);
  g_assert_true (cc_time_parse (text, NULL, &at, NULL));
  return at;
}

static CcInstant
stay_bound (Fixture    *f,
            const char *record_id,
            gboolean    closing)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s (occurred_at) FROM custody_event WHERE record_id = '%s'",
                                          closing ? "max" : "min", record_id);

  return raw_instant (f, sql);
}

/* A settled record with one closing row, picked by @offset, whose arrival
 * is at least @after into the period. */
static char *
settled_record (Fixture  *f,
                guint     offset,
                CcInstant after)
{
  g_autofree char *sql = g_strdup_printf ("SELECT s.record_id FROM record_stay AS s\n"
                                          "WHERE s.arrived_at >= %lld AND (SELECT count(*) FROM custody_event AS e\n"
                                          "  WHERE e.record_id = s.record_id\n"
                                          "    AND e.type IN ('released', 'transferred_to_la', 'left_for_court')) = 1\n"
                                          "  AND NOT EXISTS (SELECT 1 FROM custody_event AS e WHERE e.record_id = s.record_id\n"
                                          "    AND e.supersedes IS NOT NULL)\n"
                                          "ORDER BY s.record_id LIMIT 1 OFFSET %u",
                                          (long long) (START + after), offset);
  char            *id = cc_test_sql_text (f->db.path, sql);

  g_assert_nonnull (id);
  return id;
}

static char *
closing_event (Fixture    *f,
               const char *record_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT event_id FROM custody_event WHERE record_id = '%s'\n"
                                          "AND type IN ('released', 'transferred_to_la', 'left_for_court')",
                                          record_id);
  char            *id = cc_test_sql_text (f->db.path, sql);

  g_assert_nonnull (id);
  return id;
}

static CcInstant
closing_time (Fixture    *f,
              const char *record_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT occurred_at FROM custody_event WHERE record_id = '%s'\n"
                                          "AND type IN ('released', 'transferred_to_la', 'left_for_court')",
                                          record_id);

  return raw_instant (f, sql);
}

static void
test_board_is_the_whole_logs (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *voided = NULL, *moved = NULL, *reviewed = NULL, *wrong = NULL, *target_record = NULL;
  g_autofree char *target = NULL, *open_id = NULL, *ahead = NULL, *closing = NULL;
  gint64           unsettled = 0;
  guint            n_read = 0, n_settled = 0;
  CcInstant        at;

  /* Before any settle: every record is a candidate. */
  g_assert_true (cc_store_count_unsettled (f->db.store, &unsettled, NULL, &error));
  g_assert_cmpint (unsettled, >, 1400);
  /* Every record is read for each board: every 8 days, not 6 h. */
  compare_window (f, READ_CANDIDATES, "before settling", START, NOW, 8 * CC_DAY);
  g_assert_true (cc_store_count_unsettled (f->db.store, &unsettled, NULL, &error));
  g_assert_cmpint (unsettled, >, 1400);

  /* Settled: the board reads the stays covering T and the few open. */
  g_assert_true (cc_settle_backlog (f->db.store, f->db.policy, NOW, &n_read, &n_settled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_read, ==, unsettled);
  g_assert_cmpuint (n_settled, >, 1300);
  g_assert_true (cc_store_count_unsettled (f->db.store, &unsettled, NULL, &error));
  g_assert_cmpint (unsettled, <, 100);
  compare_period (f, READ_BOARD, "after settling");

  /* A void of a settled record's closing event: it is open again, from
   * its arrival to now. */
  voided = settled_record (f, 10, 30 * CC_DAY);
  closing = closing_event (f, voided);
  insert_row (f, "inj-void", voided, "void", closing_time (f, voided), "{}", closing);
  g_assert_true (on_board (f, voided));
  compare_record (f, "a void of a closing event", stay_bound (f, voided, FALSE), NOW);
  g_assert_true (on_board (f, voided));

  /* A settled record's arrival superseded nine days earlier: a stay over
   * seven days (record_stay_long). */
  moved = settled_record (f, 3, 12 * CC_DAY);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO custody_event (event_id, record_id, type, occurred_at, "
                                            "recorded_at, officer, data, supersedes)\n"
                                            "SELECT 'inj-arrival', record_id, 'arrival',\n"
                                            "  strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', occurred_at, '-9 days'), recorded_at,\n"
                                            "  officer, data, event_id\n"
                                            "FROM custody_event WHERE record_id = '%s' AND type = 'arrival'",
                                            moved);
    cc_test_sql_exec (f->db.path, sql);
  }
  compare_record (f, "an arrival superseded", stay_bound (f, moved, FALSE), stay_bound (f, moved, TRUE));
  g_assert_false (on_board (f, moved));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT long_stay FROM record_stay WHERE record_id = '%s'", moved);
    g_autofree char *long_stay = cc_test_sql_text (f->db.path, sql);
    g_assert_cmpstr (long_stay, ==, "1");
  }

  /* A review keyed after release: no clock takes it, the record settles
   * again. */
  reviewed = settled_record (f, 20, 0);
  insert_row (f, "inj-review", reviewed, "review", closing_time (f, reviewed) + 2 * CC_HOUR,
              "{\"rank\":\"inspector\"}", NULL);
  compare_record (f, "a review after release", stay_bound (f, reviewed, FALSE), stay_bound (f, reviewed, TRUE));
  g_assert_false (on_board (f, reviewed));

  /* A correction keyed on the wrong record: the problem the whole log
   * sees, not a correction waiting, so the record settles. */
  wrong = settled_record (f, 30, 0);
  target_record = settled_record (f, 31, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT event_id FROM custody_event WHERE record_id = '%s'\n"
                                            "AND type = 'cell_visit' ORDER BY seq LIMIT 1",
                                            target_record);
    g_autofree char *arrived = g_strdup_printf ("SELECT occurred_at FROM custody_event WHERE record_id = '%s'\n"
                                                "AND type = 'arrival'",
                                                wrong);
    target = cc_test_sql_text (f->db.path, sql);
    g_assert_nonnull (target);
    insert_row (f, "inj-cross", wrong, "cell_visit", raw_instant (f, arrived) + CC_HOUR,
                "{\"roused\":true}", target);
  }
  compare_record (f, "a cross-record correction", stay_bound (f, wrong, FALSE), stay_bound (f, wrong, TRUE));
  g_assert_false (on_board (f, wrong));
  {
    g_autoptr (CcLedger) alone = cc_ledger_new ();
    g_autoptr (GPtrArray) problems = NULL;
    gboolean found = FALSE;

    cc_ledger_set_store (alone, f->db.store, NOW);
    g_assert_true (cc_ledger_load_record (alone, f->db.store, wrong, NOW, &error));
    g_assert_cmpuint (cc_ledger_get_record (alone, wrong)->n_pending, ==, 0);
    problems = cc_ledger_get_problems (alone);
    for (guint i = 0; i < problems->len; i++)
      {
        CcLedgerProblem *problem = g_ptr_array_index (problems, i);
        found |= problem->code == CC_EVENT_ERROR_CROSS_RECORD && g_str_equal (problem->event_id, "inj-cross");
      }
    g_assert_true (found);
  }
  {
    /* Without a store the ledger judges only what it holds: pending. */
    g_autoptr (CcLedger) pure = cc_ledger_new ();

    g_assert_true (cc_ledger_load_record (pure, f->db.store, wrong, NOW, &error));
    g_assert_cmpuint (cc_ledger_get_record (pure, wrong)->n_pending, ==, 1);
  }

  /* A closing row with invalid data on a record in custody: it does not
   * close, and the record stays on the board. */
  open_id = cc_test_sql_text (f->db.path, "SELECT u.record_id FROM record_unsettled AS u WHERE u.on_board = 1\n"
                                          "AND EXISTS (SELECT 1 FROM custody_event AS e WHERE e.record_id = u.record_id AND e.type = 'arrival')\n"
                                          "AND u.record_id NOT IN ('inj-none') ORDER BY u.record_id LIMIT 1");
  g_assert_nonnull (open_id);
  insert_row (f, "inj-bad-close", open_id, "released", NOW - CC_HOUR, "{\"outcome\":42}", NULL);
  compare_record (f, "a closing row with invalid data", stay_bound (f, open_id, FALSE), NOW);
  g_assert_true (on_board (f, open_id));

  /* A row from a clock two days ahead: it counts only then, so its
   * record is not settled. */
  ahead = settled_record (f, 40, 0);
  insert_row (f, "inj-ahead", ahead, "cell_visit", NOW + 2 * CC_DAY, "{\"roused\":true}",
              NULL);
  compare_record (f, "a row ahead of the clock", stay_bound (f, ahead, FALSE), closing_time (f, ahead));
  g_assert_true (on_board (f, ahead));

  /* A record without its arrival: held, never on the board, not settled. */
  insert_row (f, "inj-held", "SIM-HELD-0001", "cell_visit", NOW - 2 * CC_HOUR,
              "{\"roused\":true}", NULL);
  compare_record (f, "a record without arrival", NOW - 2 * CC_HOUR, NOW);
  g_assert_true (on_board (f, "SIM-HELD-0001"));

  /* Another writer holds the lock: the settle cannot be written, and the
   * board is the same (the changed record is simply a candidate). */
  insert_row (f, "inj-review-2", reviewed, "review", closing_time (f, reviewed) + 3 * CC_HOUR,
              "{\"rank\":\"inspector\"}", NULL);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->db.path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
    cc_store_set_busy_timeout (f->db.store, 0);
    compare_record (f, "a lock held", stay_bound (f, reviewed, FALSE), stay_bound (f, reviewed, TRUE));
    g_assert_true (on_board (f, reviewed));
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close (db);
  }
  at = NOW;
  {
    g_autoptr (GPtrArray) open = cc_board_read (f->db.store, f->db.policy, at, NOW, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_false (on_board (f, reviewed));
  compare_period (f, READ_BOARD, "all the rows in");
  g_test_message ("%u boards compared", f->n_compared);
}

static void
skip_under_valgrind (void)
{
  g_test_skip ("too slow under valgrind and AddressSanitizer: run in the default setup");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Under valgrind, and under AddressSanitizer with its full stacks on
   * every allocation, the comparisons over a simulated log of 1,500
   * records run past the test's time limit (over 360 s).  They compare
   * outputs, which the default setup does; the code they run is checked
   * for memory errors by the smaller tests in those setups. */
  if (g_getenv ("CUSTODY_CLOCK_UNDER_VALGRIND") != NULL || g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_test_add_func ("/scale-board/skipped-where-slow", skip_under_valgrind);
      return g_test_run ();
    }
  g_test_add ("/scale-board/whole-log", Fixture, NULL, fixture_set_up, test_board_is_the_whole_logs, fixture_tear_down);
  return g_test_run ();
}
