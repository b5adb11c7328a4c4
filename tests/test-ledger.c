/* test-ledger.c: corrections, arrivals and held events
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "cc-ledger.h"
#include "cc-test-util.h"

#define T0 1643709600 /* 2022-02-01T10:00:00Z */

static CcEvent *
ev (gint64      seq,
    const char *event_id,
    const char *record_id,
    CcEventType type,
    gint64      minutes,
    const char *supersedes)
{
  g_autoptr (JsonObject) data = json_object_new ();
  CcEvent *event;

  if (type == CC_EVENT_ARRIVAL)
    {
      json_object_set_string_member (data, "suite", "South");
      json_object_set_string_member (data, "child", "C-1");
    }
  event = cc_event_new (type, event_id, record_id, T0 + minutes * 60, CC_INSTANT_NONE, NULL, data, supersedes);
  event->seq = seq;
  return event;
}

static void
add (CcLedger *ledger,
     CcEvent  *event /* (transfer full) */)
{
  cc_ledger_add_event (ledger, event);
  cc_event_unref (event);
}

/* The events that count, as "type@minutes" in order. */
static char *
describe (const CcRecord *record)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < record->events->len; i++)
    {
      CcEvent *event = g_ptr_array_index (record->events, i);
      g_string_append_printf (s, "%s%s@%" G_GINT64_FORMAT, i ? " " : "",
                              cc_event_type_to_string (event->type), (event->occurred_at - T0) / 60);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_plain (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autofree char *got = NULL;
  const CcRecord  *record;

  /* Keyed out of time order: the record lists them by event time. */
  add (ledger, ev (1, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (2, "b", "R", CC_EVENT_AA_ARRIVED, 90, NULL));
  add (ledger, ev (3, "c", "R", CC_EVENT_DETENTION_AUTHORISED, 10, NULL));

  record = cc_ledger_get_record (ledger, "R");
  g_assert_nonnull (record);
  g_assert_nonnull (record->arrival);
  g_assert_cmpstr (record->arrival->event_id, ==, "a");
  got = describe (record);
  g_assert_cmpstr (got, ==, "arrival@0 detention_authorised@10 aa_arrived@90");
  g_assert_null (cc_ledger_get_record (ledger, "nope"));
}

/* custody-log.md scenario 06: a void, and a correction that moves an event. */
static void
test_void_and_supersede (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autofree char *got = NULL;
  const CcRecord  *record;

  add (ledger, ev (1, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (2, "hcp", "R", CC_EVENT_HCP_SEEN, 40, NULL));
  add (ledger, ev (3, "aa", "R", CC_EVENT_AA_ARRIVED, 60, NULL));
  add (ledger, ev (4, "v", "R", CC_EVENT_VOID, 90, "hcp"));
  add (ledger, ev (5, "aa2", "R", CC_EVENT_AA_ARRIVED, 300, "aa"));

  record = cc_ledger_get_record (ledger, "R");
  got = describe (record);
  g_assert_cmpstr (got, ==, "arrival@0 aa_arrived@300");
  g_assert_cmpuint (record->n_corrections, ==, 2);
  g_assert_cmpuint (record->n_voids, ==, 1);
  g_assert_cmpuint (record->n_pending, ==, 0);
}

static void
test_chain_and_latest_wins (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autofree char *got = NULL;

  add (ledger, ev (1, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (2, "r1", "R", CC_EVENT_REVIEW, 100, NULL));
  add (ledger, ev (3, "r2", "R", CC_EVENT_REVIEW, 110, "r1")); /* corrects r1 */
  add (ledger, ev (4, "r3", "R", CC_EVENT_REVIEW, 120, "r2")); /* corrects the correction */
  add (ledger, ev (5, "w1", "R", CC_EVENT_WELFARE_INFORMED, 20, NULL));
  add (ledger, ev (6, "w2", "R", CC_EVENT_WELFARE_INFORMED, 25, "w1"));
  add (ledger, ev (7, "w3", "R", CC_EVENT_WELFARE_INFORMED, 30, "w1")); /* later correction of w1 wins */

  got = describe (cc_ledger_get_record (ledger, "R"));
  g_assert_cmpstr (got, ==, "arrival@0 welfare_informed@30 review@120");
}

static void
test_pending_then_resolved (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) pending = NULL;
  g_autofree char *got = NULL;
  const CcRecord  *record;

  add (ledger, ev (1, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (2, "fix", "R", CC_EVENT_AA_ARRIVED, 200, "late"));

  record = cc_ledger_get_record (ledger, "R");
  got = describe (record);
  g_assert_cmpstr (got, ==, "arrival@0");
  g_assert_cmpuint (record->n_pending, ==, 1);
  pending = cc_ledger_get_pending (ledger);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((CcEvent *) g_ptr_array_index (pending, 0))->event_id, ==, "fix");
  g_clear_pointer (&pending, g_ptr_array_unref);
  g_clear_pointer (&got, g_free);

  /* The target turns up (from a slow writer): the correction applies. */
  add (ledger, ev (3, "late", "R", CC_EVENT_AA_ARRIVED, 100, NULL));
  record = cc_ledger_get_record (ledger, "R");
  got = describe (record);
  g_assert_cmpstr (got, ==, "arrival@0 aa_arrived@200");
  g_assert_cmpuint (record->n_pending, ==, 0);
  pending = cc_ledger_get_pending (ledger);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
test_problems (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) bad = g_error_new_literal (CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON, "data is not JSON");
  g_autofree char *got = NULL;
  CcLedgerProblem *problem;

  add (ledger, ev (1, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (2, "a2", "R", CC_EVENT_ARRIVAL, 5, NULL));         /* second arrival */
  add (ledger, ev (3, "early", "R", CC_EVENT_CELL_VISIT, -30, NULL)); /* before arrival */
  add (ledger, ev (4, "b", "S", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (5, "x", "S", CC_EVENT_VOID, 10, "a")); /* reaches into R */
  cc_ledger_add_bad_row (ledger, 6, NULL, "S", bad);

  got = describe (cc_ledger_get_record (ledger, "R"));
  g_assert_cmpstr (got, ==, "arrival@0");
  problems = cc_ledger_get_problems (ledger);
  g_assert_cmpuint (problems->len, ==, 4);

  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->seq, ==, 2);
  g_assert_cmpint (problem->code, ==, CC_EVENT_ERROR_SECOND_ARRIVAL);
  problem = g_ptr_array_index (problems, 1);
  g_assert_cmpint (problem->seq, ==, 3);
  g_assert_cmpint (problem->code, ==, CC_EVENT_ERROR_BEFORE_ARRIVAL);
  problem = g_ptr_array_index (problems, 2);
  g_assert_cmpint (problem->seq, ==, 5);
  g_assert_cmpint (problem->code, ==, CC_EVENT_ERROR_CROSS_RECORD);
  g_assert_nonnull (strstr (problem->reason, "belongs to record R"));
  problem = g_ptr_array_index (problems, 3);
  g_assert_cmpint (problem->seq, ==, 6);
  g_assert_cmpint (problem->code, ==, CC_EVENT_ERROR_INVALID_JSON);
  g_assert_cmpint (cc_ledger_get_last_seq (ledger), ==, 6);
}

/* A corrected arrival is not a second arrival, and moves the record's start. */
static void
test_corrected_arrival (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autofree char *got = NULL;

  add (ledger, ev (1, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  add (ledger, ev (2, "v", "R", CC_EVENT_CELL_VISIT, -20, NULL));
  add (ledger, ev (3, "a2", "R", CC_EVENT_ARRIVAL, -30, "a"));

  got = describe (cc_ledger_get_record (ledger, "R"));
  g_assert_cmpstr (got, ==, "arrival@-30 cell_visit@-20");
  problems = cc_ledger_get_problems (ledger);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_held (void)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autofree char *got = NULL;
  const CcRecord  *record;

  add (ledger, ev (1, "v", "R", CC_EVENT_CELL_VISIT, 20, NULL));
  record = cc_ledger_get_record (ledger, "R");
  g_assert_null (record->arrival);
  g_assert_cmpuint (record->events->len, ==, 0);

  add (ledger, ev (2, "a", "R", CC_EVENT_ARRIVAL, 0, NULL));
  record = cc_ledger_get_record (ledger, "R");
  g_assert_nonnull (record->arrival);
  got = describe (record);
  g_assert_cmpstr (got, ==, "arrival@0 cell_visit@20");
}

/* The same rows in any order give the same records. */
static void
test_order_independent (void)
{
  const struct
  {
    gint64      seq;
    const char *id;
    CcEventType type;
    gint64      min;
    const char *sup;
  } rows[] = {
    { 1, "a", CC_EVENT_ARRIVAL, 0, NULL },
    { 2, "w1", CC_EVENT_WELFARE_INFORMED, 20, NULL },
    { 3, "w2", CC_EVENT_WELFARE_INFORMED, 25, "w1" },
    { 4, "w3", CC_EVENT_WELFARE_INFORMED, 30, "w1" },
    { 5, "h", CC_EVENT_HCP_SEEN, 40, NULL },
    { 6, "hv", CC_EVENT_VOID, 50, "h" },
    { 7, "r", CC_EVENT_REVIEW, 300, NULL },
  };
  g_autofree char *expected = NULL;

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr (CcLedger) ledger = cc_ledger_new ();
      g_autofree char *got = NULL;
      guint            order[G_N_ELEMENTS (rows)];

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        order[i] = i;
      for (guint i = G_N_ELEMENTS (rows) - 1; round > 0 && i > 0; i--)
        {
          guint j = g_test_rand_int_range (0, i + 1);
          guint t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        {
          guint k = order[i];
          add (ledger, ev (rows[k].seq, rows[k].id, "R", rows[k].type, rows[k].min, rows[k].sup));
        }
      got = describe (cc_ledger_get_record (ledger, "R"));
      if (expected == NULL)
        expected = g_steal_pointer (&got);
      else
        g_assert_cmpstr (got, ==, expected);
    }
  g_assert_cmpstr (expected, ==, "arrival@0 welfare_informed@30 review@300");
}

/* A record read alone with the store set (cc_ledger_set_store()) judges a
 * correction whose target is elsewhere exactly as a ledger of the whole
 * log: a valid event of another record is the cross-record problem; a row
 * that is not a valid event (bad data, ahead of the clock) or no row
 * leaves it pending.  Without the store, all are pending. */
static char *
record_summary (CcLedger   *ledger,
                const char *record_id)
{
  const CcRecord *record = cc_ledger_get_record (ledger, record_id);
  g_autoptr (GPtrArray) problems = cc_ledger_get_problems (ledger);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "events %u pending %u corrections %u;", record->events->len, record->n_pending,
                          record->n_corrections);
  for (guint i = 0; i < problems->len; i++)
    {
      CcLedgerProblem *problem = g_ptr_array_index (problems, i);
      if (g_strcmp0 (problem->record_id, record_id) == 0 && problem->code == CC_EVENT_ERROR_CROSS_RECORD)
        g_string_append_printf (out, " %s: %s;", problem->event_id, problem->reason);
    }
  return g_string_free (out, FALSE);
}

static void
test_alone_as_whole (void)
{
  g_autofree char *dir = cc_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "custody.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (CcLedger) whole = cc_ledger_new ();
  g_autoptr (CcLedger) alone = cc_ledger_new ();
  g_autoptr (CcLedger) pure = cc_ledger_new ();
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *got_pure = NULL;
  const CcInstant  now = T0 + CC_DAY;
  sqlite3         *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
    sqlite3_exec (db,
                  "INSERT INTO custody_event (event_id, record_id, type, occurred_at, data, supersedes) VALUES\n"
                  " ('b1', 'R-2', 'arrival', '2022-02-01T10:00:00Z', '{\"suite\":\"S\",\"child\":\"C-2\"}', NULL),\n"
                  " ('b2', 'R-2', 'cell_visit', '2022-02-01T11:00:00Z', '{}', NULL),\n"
                  " ('b3', 'R-2', 'cell_visit', '2022-02-01T11:30:00Z', '{\"roused\":\"yes\"}', NULL),\n"
                  " ('b4', 'R-2', 'cell_visit', '2022-02-05T11:30:00Z', '{}', NULL),\n"
                  " ('a1', 'R-1', 'arrival', '2022-02-01T10:00:00Z', '{\"suite\":\"S\",\"child\":\"C-1\"}', NULL),\n"
                  " ('a2', 'R-1', 'cell_visit', '2022-02-01T11:00:00Z', '{}', 'b2'),\n"
                  " ('a3', 'R-1', 'cell_visit', '2022-02-01T11:10:00Z', '{}', 'b3'),\n"
                  " ('a4', 'R-1', 'cell_visit', '2022-02-01T11:20:00Z', '{}', 'b4'),\n"
                  " ('a5', 'R-1', 'cell_visit', '2022-02-01T11:30:00Z', '{}', 'nowhere')",
                  NULL, NULL, NULL),
    ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (cc_ledger_load (whole, store, now, &error));
  cc_ledger_set_store (alone, store, now);
  g_assert_true (cc_ledger_load_record (alone, store, "R-1", now, &error));
  g_assert_true (cc_ledger_load_record (pure, store, "R-1", now, &error));
  g_assert_no_error (error);

  expected = record_summary (whole, "R-1");
  got = record_summary (alone, "R-1");
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (cc_ledger_get_record (alone, "R-1")->n_pending, ==, 3);
  g_assert_nonnull (strstr (got, "a2: supersedes b2, which belongs to record R-2, not R-1"));
  got_pure = record_summary (pure, "R-1");
  g_assert_cmpstr (got_pure, !=, expected);
  g_assert_cmpuint (cc_ledger_get_record (pure, "R-1")->n_pending, ==, 4);

  g_clear_pointer (&store, cc_store_free);
  cc_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ledger/plain", test_plain);
  g_test_add_func ("/ledger/void-and-supersede", test_void_and_supersede);
  g_test_add_func ("/ledger/chain-and-latest-wins", test_chain_and_latest_wins);
  g_test_add_func ("/ledger/pending-then-resolved", test_pending_then_resolved);
  g_test_add_func ("/ledger/problems", test_problems);
  g_test_add_func ("/ledger/corrected-arrival", test_corrected_arrival);
  g_test_add_func ("/ledger/held", test_held);
  g_test_add_func ("/ledger/order-independent", test_order_independent);
  g_test_add_func ("/ledger/alone-as-whole", test_alone_as_whole);

  return g_test_run ();
}
