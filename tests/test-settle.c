/* test-settle.c: which records a reader may pass by (record_unsettled,
 * record_stay: schema step 10, cc-settle.c)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The promise under test: a record leaves record_unsettled only when the
 * engine has found it settled, and any row written afterwards, by any
 * writer, brings it back; the stays a board reads at T are exactly the
 * settled records in custody at T.
 */
#include "config.h"

#include <sqlite3.h>

#include "cc-settle.h"
#include "cc-test-util.h"

typedef CcTestDb Fixture;

/* 2023-01-01T00:00:00Z: the test's "now"; the log is of March 2022. */
#define NOW ((CcInstant) 1672531200)

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  cc_test_db_open (f, "custody.db", NULL);
}

/* R-OPEN arrives at 14:00 and is still in custody; R-GONE arrives at 14:00
 * and is released at 20:00. */
static const char two_records[] =
  "{\"event_id\":\"o1\",\"record_id\":\"R-OPEN\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
  "\"data\":{\"suite\":\"S\",\"child\":\"C-O\",\"age\":15}}\n"
  "{\"event_id\":\"g1\",\"record_id\":\"R-GONE\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
  "\"data\":{\"suite\":\"S\",\"child\":\"C-G\",\"age\":15}}\n"
  "{\"event_id\":\"g2\",\"record_id\":\"R-GONE\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T20:00:00Z\"}\n";

static GPtrArray *
candidates (Fixture  *f,
            CcInstant at)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *ids = NULL;

  g_assert_true (cc_store_list_board_candidates (f->store, at, &ids, &error));
  g_assert_no_error (error);
  return ids;
}

static gboolean
has_id (GPtrArray  *ids,
        const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return TRUE;
  return FALSE;
}

static void
backlog (Fixture *f,
         guint    expect_read,
         guint    expect_settled)
{
  g_autoptr (GError) error = NULL;
  guint n_read = 0, n_settled = 0;

  g_assert_true (cc_settle_backlog (f->store, f->policy, NOW, &n_read, &n_settled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_read, ==, expect_read);
  g_assert_cmpuint (n_settled, ==, expect_settled);
}

static void
test_settle_and_unsettle (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (GPtrArray) ids = NULL;
  CcInstant during, after;

  g_assert_true (cc_time_parse ("2022-03-08T17:00:00Z", NULL, &during, NULL));
  g_assert_true (cc_time_parse ("2022-03-08T21:00:00Z", NULL, &after, NULL));

  cc_test_import (f->store, two_records, NOW);
  /* The trigger put both records in, whoever wrote them. */
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_unsettled WHERE on_board = 1"), ==, 2);

  backlog (f, 2, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT on_board FROM record_unsettled WHERE record_id = 'R-GONE'"), ==, 0);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT on_board FROM record_unsettled WHERE record_id = 'R-OPEN'"), ==, 1);
  /* Nothing new: a second pass reads only the open record. */
  backlog (f, 1, 0);

  ids = candidates (f, during);
  g_assert_true (has_id (ids, "R-GONE"));
  g_assert_true (has_id (ids, "R-OPEN"));
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = candidates (f, after);
  g_assert_false (has_id (ids, "R-GONE"));
  g_assert_true (has_id (ids, "R-OPEN"));
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* A late correction written with plain SQL by a custody system: the
   * release was at 22:00.  The record is back, its old stay gone. */
  cc_test_sql_exec (f->path, "INSERT INTO custody_event (event_id, record_id, type, occurred_at, supersedes) "
                             "VALUES ('g3', 'R-GONE', 'released', '2022-03-08T22:00:00Z', 'g2')");
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT on_board FROM record_unsettled WHERE record_id = 'R-GONE'"), ==, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 0);
  ids = candidates (f, after);
  g_assert_true (has_id (ids, "R-GONE"));
  g_clear_pointer (&ids, g_ptr_array_unref);

  backlog (f, 2, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT closed_at FROM record_stay WHERE record_id = 'R-GONE'"), ==,
                   after + CC_HOUR);
  ids = candidates (f, after);
  g_assert_true (has_id (ids, "R-GONE"));
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* An update or delete, which the contract forbids, unsettles too. */
  cc_test_sql_exec (f->path, "UPDATE custody_event SET officer = 'PS 9' WHERE event_id = 'g1'");
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT on_board FROM record_unsettled WHERE record_id = 'R-GONE'"), ==, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 0);
  /* R-OPEN's row is now the log's highest: R-GONE must settle all the same. */
  cc_test_sql_exec (f->path, "INSERT INTO custody_event (event_id, record_id, type, occurred_at) "
                             "VALUES ('o2', 'R-OPEN', 'review', '2022-03-08T20:00:00Z')");
  cc_test_sql_exec (f->path, "UPDATE custody_event SET officer = 'PS 8' WHERE event_id = 'g1'");
  backlog (f, 2, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 1);
  cc_test_sql_exec (f->path, "DELETE FROM custody_event WHERE event_id = 'g3'");
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 0);
  backlog (f, 2, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT closed_at FROM record_stay WHERE record_id = 'R-GONE'"), ==,
                   after - CC_HOUR);
}

/* A row committed between a reader's read and its settle wins. */
static void
test_seq_guard (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  CcStoreSettled item = { "R-GONE", 0, 0, 0 };
  guint          settled = 0;

  cc_test_import (f->store, two_records, NOW);
  g_assert_true (cc_ledger_load_record (ledger, f->store, "R-GONE", NOW, &error));
  g_assert_no_error (error);
  item.seq = cc_ledger_get_record_last_seq (ledger, "R-GONE");
  g_assert_cmpint (item.seq, ==, 3);

  cc_test_sql_exec (f->path, "INSERT INTO custody_event (event_id, record_id, type, occurred_at, supersedes) "
                             "VALUES ('g3', 'R-GONE', 'void', '2022-03-08T22:00:00Z', 'g2')");
  g_assert_true (cc_settle_records (f->store, ledger, f->policy, NULL, NOW, CC_STORE_SETTLE_AGENT, &settled, &error));
  g_assert_no_error (error);
  /* Judged settled on what was read, but the write did not hold. */
  g_assert_cmpuint (settled, ==, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay"), ==, 0);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_unsettled WHERE record_id = 'R-GONE'"), ==, 1);

  /* The agent lets a record go for good; a board only clears on_board. */
  item.arrived_at = NOW - CC_DAY;
  item.closed_at = NOW - CC_HOUR;
  item.seq = 4;
  g_assert_true (cc_store_settle (f->store, &item, 1, CC_STORE_SETTLE_AGENT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_unsettled WHERE record_id = 'R-GONE'"), ==, 0);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 1);
}

/* What can still change without a new row is not settled. */
static void
test_not_settled (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (GString) log = g_string_new (two_records);

  /* Released, but a review is keyed for later than now. */
  g_string_append (log,
                   "{\"event_id\":\"f1\",\"record_id\":\"R-LATER\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                   "\"data\":{\"suite\":\"S\",\"child\":\"C-L\",\"age\":15}}\n"
                   "{\"event_id\":\"f2\",\"record_id\":\"R-LATER\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T20:00:00Z\"}\n"
                   /* a correction whose target is not (yet) in the log */
                   "{\"event_id\":\"p1\",\"record_id\":\"R-PEND\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                   "\"data\":{\"suite\":\"S\",\"child\":\"C-P\",\"age\":15}}\n"
                   "{\"event_id\":\"p2\",\"record_id\":\"R-PEND\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T20:00:00Z\"}\n"
                   "{\"event_id\":\"p3\",\"record_id\":\"R-PEND\",\"type\":\"void\",\"occurred_at\":\"2022-03-08T21:00:00Z\","
                   "\"supersedes\":\"not-yet\"}\n"
                   /* no arrival */
                   "{\"event_id\":\"h1\",\"record_id\":\"R-HELD\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T20:00:00Z\"}\n");
  cc_test_import (f->store, log->str, NOW);
  /* Ahead of the machine's clock: refused as a bad row now, counted later. */
  cc_test_sql_exec (f->path, "INSERT INTO custody_event (event_id, record_id, type, occurred_at) "
                             "VALUES ('f3', 'R-LATER', 'review', '2099-01-01T00:00:00Z')");

  backlog (f, 5, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay"), ==, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_stay WHERE record_id = 'R-GONE'"), ==, 1);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_unsettled WHERE on_board = 1"), ==, 4);
}

/* A backlog larger than a batch is read a batch at a time, all of it. */
static void
test_backlog_batches (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (GString) log = g_string_new (NULL);
  guint n = CC_SETTLE_BATCH + 7;

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (log,
                              "{\"event_id\":\"a%u\",\"record_id\":\"R-%05u\",\"type\":\"arrival\","
                              "\"occurred_at\":\"2022-03-08T14:00:00Z\",\"data\":{\"suite\":\"S\",\"child\":\"C-%u\",\"age\":15}}\n",
                              i, i, i);
      if (i % 3 != 0)
        g_string_append_printf (log,
                                "{\"event_id\":\"r%u\",\"record_id\":\"R-%05u\",\"type\":\"released\","
                                "\"occurred_at\":\"2022-03-08T20:00:00Z\"}\n",
                                i, i);
    }
  cc_test_import (f->store, log->str, NOW);
  backlog (f, n, n - (n + 2) / 3);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_unsettled WHERE on_board = 1"), ==, (n + 2) / 3);
}

/* A log of schema 9 is seeded: every record unsettled, once. */
static void
test_migration_seed (Fixture      *f,
                     gconstpointer data)
{
  cc_test_import (f->store, two_records, NOW);
  g_clear_pointer (&f->store, cc_store_free);
  cc_test_sql_exec (f->path, "DROP TRIGGER custody_event_unsettles; DROP TRIGGER custody_event_unsettles_update; "
                             "DROP TRIGGER custody_event_unsettles_delete; DROP TABLE record_unsettled; DROP TABLE record_stay; "
                             "DELETE FROM schema_version WHERE version >= 10; "
                             "INSERT INTO custody_event (event_id, record_id, type, occurred_at) "
                             "VALUES ('g9', 'R-GONE', 'review', '2022-03-08T19:00:00Z')");
  f->store = cc_store_open (f->path, CC_STORE_OPEN_NONE, NULL);
  g_assert_nonnull (f->store);
  g_assert_cmpint (cc_store_get_schema_version (f->store), ==, CC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT count(*) FROM record_unsettled WHERE on_board = 1"), ==, 2);
  g_assert_cmpint (cc_test_sql_int (f->path, "SELECT seq FROM record_unsettled WHERE record_id = 'R-GONE'"), ==, 4);
  backlog (f, 2, 1);
}

/* doctor's check: the triggers are there, and their removal is named. */
static void
test_missing_triggers (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) missing = cc_store_list_missing_unsettle_triggers (f->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (missing->len, ==, 0);
  g_clear_pointer (&missing, g_ptr_array_unref);
  cc_test_sql_exec (f->path, "DROP TRIGGER custody_event_unsettles");
  missing = cc_store_list_missing_unsettle_triggers (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (missing, 0), ==, "custody_event_unsettles");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, cc_test_db_close)
  ADD ("/settle/settle-and-unsettle", test_settle_and_unsettle);
  ADD ("/settle/seq-guard", test_seq_guard);
  ADD ("/settle/not-settled", test_not_settled);
  ADD ("/settle/backlog-batches", test_backlog_batches);
  ADD ("/settle/migration-seed", test_migration_seed);
  ADD ("/settle/missing-triggers", test_missing_triggers);
#undef ADD

  return g_test_run ();
}
