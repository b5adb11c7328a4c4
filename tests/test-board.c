/* test-board.c: the board's order and what the board and the timeline say
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cc-board.h"
#include "cc-test-util.h"

typedef struct
{
  char     *dir;
  CcStore  *store;
  CcLedger *ledger;
  CcPolicy *policy;
} Fixture;

static CcInstant
instant (const char *text)
{
  g_autoptr (GError) error = NULL;
  CcInstant at = 0;

  g_assert_true (cc_time_parse (text, NULL, &at, &error));
  g_assert_no_error (error);
  return at;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = cc_test_tmpdir ();
  db = g_build_filename (f->dir, "custody.db", NULL);
  f->store = cc_store_open (db, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->policy = cc_policy_new_default ();
  f->ledger = cc_ledger_new ();
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_pointer (&f->ledger, cc_ledger_free);
  g_clear_pointer (&f->store, cc_store_free);
  g_clear_pointer (&f->policy, cc_policy_unref);
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* Imports @jsonl and loads the ledger as the commands do. */
static void
load (Fixture    *f,
      const char *jsonl)
{
  g_autoptr (GError) error = NULL;
  CcInstant now = instant ("2026-12-01T00:00:00Z");

  cc_test_import (f->store, jsonl, now);
  g_assert_true (cc_ledger_load (f->ledger, f->store, now, &error));
  g_assert_no_error (error);
}

static CcEvaluation *
evaluate (Fixture    *f,
          const char *record_id,
          const char *at)
{
  const CcRecord *record = cc_ledger_get_record (f->ledger, record_id);

  g_assert_nonnull (record);
  return cc_engine_evaluate (record, f->policy, instant (at));
}

#define ARRIVAL(ev, rec, at, child)                                                                     \
  "{\"event_id\":\"" ev "\",\"record_id\":\"" rec "\",\"type\":\"arrival\",\"occurred_at\":\"" at "\"," \
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"" child "\",\"dob\":\"2011-09-01\"}}\n"
#define EVENT(ev, rec, type, at) \
  "{\"event_id\":\"" ev "\",\"record_id\":\"" rec "\",\"type\":\"" type "\",\"occurred_at\":\"" at "\"}\n"

/* A missing authorisation must not silence a child's clocks: they run from
 * arrival, breach, and the board and the timeline say they are provisional. */
static void
test_authorisation_missing (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GString) board = g_string_new (NULL);
  g_autoptr (GString) timeline = g_string_new (NULL);
  g_autoptr (CcEvaluation) ev = NULL;
  CcInstant at = instant ("2026-11-02T02:00:00Z");

  load (f, ARRIVAL ("n1", "NOAUTH", "2026-11-01T14:00:00Z", "C-9"));
  open = cc_board_collect (f->ledger, f->policy, at, NULL);
  g_assert_cmpuint (open->len, ==, 1);
  ev = g_steal_pointer (&g_ptr_array_index (open, 0));
  g_ptr_array_remove_index (open, 0);
  g_assert_true (ev->authorisation_missing);
  g_assert_cmpint (ev->authorised_at, ==, ev->arrived_at);
  g_assert_cmpint (ev->clocks[CC_CLOCK_REVIEW].current.state, ==, CC_STATE_BREACHED);
  g_assert_cmpint (ev->clocks[CC_CLOCK_REVIEW].current.due_at, ==, ev->arrived_at + 6 * CC_HOUR);
  g_assert_cmpuint (ev->breaches->len, >, 0);

  g_ptr_array_add (open, g_steal_pointer (&ev));
  cc_board_format_status (board, open, at, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (board->str, "    detention authorisation not recorded: clocks run from arrival\n"));
  cc_board_format_timeline (timeline, g_ptr_array_index (open, 0), NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (timeline->str, "detention authorisation not recorded: clocks run from arrival\n"));
}

/* The data-quality counts appear on the timeline only when non-zero, and in
 * the JSON as a "data_quality" object. */
static void
test_data_quality (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autoptr (GString) before = g_string_new (NULL);
  g_autoptr (GString) after = g_string_new (NULL);
  g_autoptr (JsonNode) node = NULL;
  JsonObject *dq;

  load (f, cc_test_one_child);
  ev = evaluate (f, "R-1", "2022-03-08T15:00:00Z");
  cc_board_format_timeline (before, ev, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_null (strstr (before->str, "not counted by the clocks"));

  /* The engine fills these (clocks.md); set here to test the display alone. */
  ev->dq_after_close = 2;
  ev->dq_rest_started_twice = 1;
  cc_board_format_timeline (after, ev, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (after->str, "2 events after the child left custody: not counted by the clocks\n"));
  g_assert_nonnull (strstr (after->str, "1 rest started while a rest was running: not counted by the clocks\n"));
  g_assert_null (strstr (after->str, "hospital departure"));

  node = cc_evaluation_to_json (ev, TRUE);
  dq = json_object_get_object_member (json_node_get_object (node), "data_quality");
  g_assert_nonnull (dq);
  g_assert_cmpint (json_object_get_int_member (dq, "after_close"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (dq, "hospital_left_twice"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (dq, "rest_started_twice"), ==, 1);

  /* The latest departure counts (clocks.md), so the line says so. */
  ev->dq_hospital_left_twice = 1;
  g_string_truncate (after, 0);
  cc_board_format_timeline (after, ev, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (after->str, "1 hospital departure with no return since the last one: the latest departure's purpose is used\n"));
}

/* Five children at 2026-11-02T10:00Z (the board's order, the inspector's
 * list). */
static const char order_events[] =
  /* X: the AA called 29 min late, nothing else breached */
  ARRIVAL ("x1", "R-X", "2026-11-02T09:01:00Z", "C-X")
    EVENT ("x2", "R-X", "detention_authorised", "2026-11-02T09:01:00Z")
  /* Y: the record: the PACE review 3 h 34 min overdue (and its
         * cell visits, a code-of-practice clock, overdue longer) */
  ARRIVAL ("y1", "R-Y", "2026-11-02T00:26:00Z", "C-Y")
    EVENT ("y2", "R-Y", "detention_authorised", "2026-11-02T00:26:00Z")
      EVENT ("y3", "R-Y", "welfare_informed", "2026-11-02T00:30:00Z")
        EVENT ("y4", "R-Y", "aa_requested", "2026-11-02T00:35:00Z")
          EVENT ("y5", "R-Y", "aa_arrived", "2026-11-02T01:00:00Z")
            EVENT ("y6", "R-Y", "hcp_seen", "2026-11-02T01:00:00Z")
  /* Z: the AA not called for 2 h: longer overdue than X */
  ARRIVAL ("z1", "R-Z", "2026-11-02T07:30:00Z", "C-Z")
    EVENT ("z2", "R-Z", "detention_authorised", "2026-11-02T07:30:00Z")
  /* W: nothing breached, the review in warning (due 10:15) */
  ARRIVAL ("w1", "R-W", "2026-11-02T04:15:00Z", "C-W")
    EVENT ("w2", "R-W", "detention_authorised", "2026-11-02T04:15:00Z")
      EVENT ("w3", "R-W", "welfare_informed", "2026-11-02T04:20:00Z")
        EVENT ("w4", "R-W", "aa_requested", "2026-11-02T04:25:00Z")
          EVENT ("w5", "R-W", "aa_arrived", "2026-11-02T05:00:00Z")
            EVENT ("w6", "R-W", "hcp_seen", "2026-11-02T05:00:00Z")
              EVENT ("w7", "R-W", "cell_visit", "2026-11-02T05:10:00Z")
                EVENT ("w8", "R-W", "cell_visit", "2026-11-02T06:10:00Z")
                  EVENT ("w9", "R-W", "cell_visit", "2026-11-02T07:10:00Z")
                    EVENT ("w10", "R-W", "cell_visit", "2026-11-02T08:10:00Z")
                      EVENT ("w11", "R-W", "cell_visit", "2026-11-02T09:10:00Z")
  /* U: nothing breached, healthcare in warning and due sooner (10:10)
         * than W's review: a code-of-practice clock, so below W */
  ARRIVAL ("u1", "R-U", "2026-11-02T08:10:00Z", "C-U")
    EVENT ("u2", "R-U", "detention_authorised", "2026-11-02T08:10:00Z")
      EVENT ("u3", "R-U", "welfare_informed", "2026-11-02T08:15:00Z")
        EVENT ("u4", "R-U", "aa_requested", "2026-11-02T08:20:00Z")
          EVENT ("u5", "R-U", "cell_visit", "2026-11-02T09:05:00Z");

/* Issue 11: an AA called 29 min late was put above a PACE review 3 h 34 min
 * overdue.  The board's order: breached before warning before running;
 * then records whose statutory clock (review, detention limit) is in that
 * state; then the longest overdue or the soonest due. */
static void
test_order (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GString) board = g_string_new (NULL);
  const char *expected[] = { "R-Y", "R-Z", "R-X", "R-W", "R-U" };
  CcInstant   at = instant ("2026-11-02T10:00:00Z");
  const char *y, *review, *cell;

  load (f, order_events);

  open = cc_board_collect (f->ledger, f->policy, at, NULL);
  g_assert_cmpuint (open->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < open->len; i++)
    {
      const CcEvaluation *ev = g_ptr_array_index (open, i);
      g_assert_cmpstr (ev->record_id, ==, expected[i]);
    }
  g_assert_cmpint (((CcEvaluation *) g_ptr_array_index (open, 0))->clocks[CC_CLOCK_REVIEW].current.state, ==,
                   CC_STATE_BREACHED);
  g_assert_cmpint (((CcEvaluation *) g_ptr_array_index (open, 3))->clocks[CC_CLOCK_REVIEW].current.state, ==,
                   CC_STATE_WARNING);
  g_assert_cmpint (((CcEvaluation *) g_ptr_array_index (open, 4))->clocks[CC_CLOCK_HEALTHCARE].current.state, ==,
                   CC_STATE_WARNING);

  /* Within Y, the review's line comes before the cell visit's, though the
   * cell visits have been overdue longer. */
  cc_board_format_status (board, open, at, NULL, f->policy->tz, CC_BOARD_NONE);
  y = strstr (board->str, "R-Y");
  g_assert_nonnull (y);
  review = strstr (y, "3 h 34 min overdue");
  cell = strstr (y, "Cell visit");
  g_assert_nonnull (review);
  g_assert_nonnull (cell);
  g_assert_true (review < cell);
  g_assert_true (strstr (board->str, "R-Y") < strstr (board->str, "R-X"));
}

/* The inspector's list: every child's next PACE review and detention limit,
 * in time order, overdue first. */
static void
test_reviews (Fixture      *f,
              gconstpointer data)
{
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (JsonNode) node = NULL;
  const char *expected[][2] = {
    { "R-Y", "review" },
    { "R-W", "review" },
    { "R-Z", "review" },
    { "R-U", "review" },
    { "R-X", "review" },
    { "R-Y", "detention_limit" },
    { "R-W", "detention_limit" },
    { "R-Z", "detention_limit" },
    { "R-U", "detention_limit" },
    { "R-X", "detention_limit" },
  };
  CcInstant   at = instant ("2026-11-02T10:00:00Z");
  JsonArray  *array;
  JsonObject *first;
  const char *line;

  load (f, order_events);
  open = cc_board_collect (f->ledger, f->policy, at, NULL);
  node = cc_board_reviews_to_json (open);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (o, "record_id"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (o, "clock"), ==, expected[i][1]);
    }
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "breached");
  g_assert_cmpstr (json_object_get_string_member (first, "due_at"), ==, "2026-11-02T06:26:00Z");
  g_assert_cmpstr (json_object_get_string_member (first, "warn_at"), ==, "2026-11-02T05:56:00Z");
  g_assert_cmpint (json_object_get_int_member (first, "occurrence"), ==, 1);
  g_assert_false (json_object_get_boolean_member (first, "authorisation_missing"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "state"), ==, "warning");

  cc_board_format_reviews (text, open, at, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_true (g_str_has_prefix (text->str, "PACE reviews and detention limits · all suites · Mon 2 Nov 2026 10:00 GMT\n"));
  line = strstr (text->str, "\n    06:26 ");
  g_assert_nonnull (line);
  g_assert_true (line == strstr (text->str, "\n    "));
  g_assert_nonnull (strstr (line, "BREACHED  R-Y Swindon PACE review (1)"));
  g_assert_nonnull (strstr (line, "3 h 34 min overdue\n"));
  g_assert_nonnull (strstr (text->str, "Tue 3 Nov 09:01  due       R-X Swindon Detention time limit          23 h 1 min left\n"));
  g_assert_null (strstr (text->str, "C-Y"));
  g_assert_null (strstr (text->str, "2011-09-01"));

  /* Nobody in custody: said, not an empty page. */
  g_string_truncate (text, 0);
  g_ptr_array_set_size (open, 0);
  cc_board_format_reviews (text, open, at, "Melksham", f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (text->str, "· Melksham ·"));
  g_assert_nonnull (strstr (text->str, "\n    no child in custody\n"));
}

/* Why an extension is invalid (CcBreach.faults): on the timeline, one line a
 * reason under the breach, and in the JSON as "faults". */
static void
test_extension_faults (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (JsonNode) node = NULL;
  JsonArray *breaches;
  JsonArray *extensions;
  guint      seen = 0;

  load (f,
        "{\"event_id\":\"e1\",\"record_id\":\"R-E\",\"type\":\"arrival\",\"occurred_at\":\"2026-11-01T00:00:00Z\","
        "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-E\",\"dob\":\"2010-09-01\",\"indictable\":false}}\n" EVENT ("e2", "R-E", "detention_authorised", "2026-11-01T00:00:00Z") "{\"event_id\":\"e3\",\"record_id\":\"R-E\",\"type\":\"extension_authorised\",\"occurred_at\":\"2026-11-01T20:00:00Z\","
                                                                                                                                                                                "\"data\":{\"rank\":\"inspector\",\"until\":\"2026-11-01T12:00:00Z\"}}\n"
                                                                                                                                                                                "{\"event_id\":\"e4\",\"record_id\":\"R-E\",\"type\":\"extension_authorised\",\"occurred_at\":\"2026-11-02T01:00:00Z\","
                                                                                                                                                                                "\"data\":{\"rank\":\"superintendent\",\"until\":\"2026-11-02T12:00:00Z\"}}\n");
  ev = evaluate (f, "R-E", "2026-11-02T02:00:00Z");
  cc_board_format_timeline (text, ev, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (text->str,
                            "  Invalid s.42 extension (extension_invalid 1)\n"
                            "                             extension invalid: authorised at the rank of inspector; it must be a superintendent or above\n"
                            "                             extension invalid: fewer than two PACE reviews were done before it\n"
                            "                             extension invalid: the offence is recorded as not indictable\n"));
  g_assert_nonnull (strstr (text->str,
                            "  Invalid s.42 extension (extension_invalid 2)\n"
                            "                             extension invalid: fewer than two PACE reviews were done before it\n"
                            "                             extension invalid: authorised after the detention limit had passed\n"
                            "                             extension invalid: the offence is recorded as not indictable\n"));

  node = cc_evaluation_to_json (ev, TRUE);
  /* The breaches keep interfaces.md's shape; the reasons are beside them. */
  breaches = json_object_get_array_member (json_node_get_object (node), "breaches");
  for (guint i = 0; i < json_array_get_length (breaches); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (breaches, i), "faults"));
  extensions = json_object_get_array_member (json_node_get_object (node), "extension_faults");
  g_assert_cmpuint (json_array_get_length (extensions), ==, 2);
  for (guint i = 0; i < json_array_get_length (extensions); i++)
    {
      JsonObject *x = json_array_get_object_element (extensions, i);
      JsonArray  *faults = json_object_get_array_member (x, "faults");

      g_assert_cmpint (json_object_get_int_member (x, "occurrence"), ==, i + 1);
      g_assert_cmpuint (json_array_get_length (faults), ==, 3);
      if (i == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (x, "event_id"), ==, "e3");
          g_assert_cmpstr (json_object_get_string_member (x, "at"), ==, "2026-11-01T20:00:00Z");
          g_assert_cmpstr (json_array_get_string_element (faults, 0), ==, "rank");
          g_assert_cmpstr (json_array_get_string_element (faults, 1), ==, "reviews");
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (x, "event_id"), ==, "e4");
          g_assert_cmpstr (json_array_get_string_element (faults, 0), ==, "reviews");
          g_assert_cmpstr (json_array_get_string_element (faults, 1), ==, "after_limit");
        }
      g_assert_cmpstr (json_array_get_string_element (faults, 2), ==, "not_indictable");
      seen++;
    }
  g_assert_cmpuint (seen, ==, 2);
}

/* The timeline shows every event's id (what a correction names), marks the
 * events that were corrected or voided and the corrections themselves, and
 * names the clocks that have not started, so that no two lines read the
 * same. */
static void
test_timeline_corrections (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) plain = g_string_new (NULL);
  g_autoptr (GPtrArray) history = NULL;
  g_auto (GStrv) lines = NULL;

  load (f, ARRIVAL ("k1", "R-K", "2026-11-01T08:00:00Z", "C-K")
             EVENT ("k2", "R-K", "detention_authorised", "2026-11-01T08:00:00Z")
        /* keyed at the wrong time, then corrected twice: the latest wins */
        "{\"event_id\":\"k3\",\"record_id\":\"R-K\",\"type\":\"hcp_seen\",\"occurred_at\":\"2026-11-01T08:20:00Z\"}\n"
        "{\"event_id\":\"k4\",\"record_id\":\"R-K\",\"type\":\"hcp_seen\",\"occurred_at\":\"2026-11-01T08:30:00Z\",\"supersedes\":\"k3\"}\n"
        "{\"event_id\":\"k5\",\"record_id\":\"R-K\",\"type\":\"hcp_seen\",\"occurred_at\":\"2026-11-01T08:40:00Z\",\"supersedes\":\"k3\",\"officer\":\"PS 7\"}\n"
        /* keyed on the wrong record: voided */
        EVENT ("k6", "R-K", "cell_visit", "2026-11-01T08:50:00Z") "{\"event_id\":\"k7\",\"record_id\":\"R-K\",\"type\":\"void\",\"occurred_at\":\"2026-11-01T09:00:00Z\",\"supersedes\":\"k6\"}\n"
                                                                  /* a correction of an event not in the log */
                                                                  "{\"event_id\":\"k8\",\"record_id\":\"R-K\",\"type\":\"welfare_informed\",\"occurred_at\":\"2026-11-01T09:05:00Z\",\"supersedes\":\"k99\"}\n");
  ev = evaluate (f, "R-K", "2026-11-01T10:00:00Z");
  history = cc_ledger_get_history (f->ledger, "R-K");
  g_assert_nonnull (history);
  g_assert_cmpuint (history->len, ==, 8);
  g_assert_null (cc_ledger_get_history (f->ledger, "R-NONE"));

  cc_board_format_timeline (text, ev, history, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (text->str, "\n    [ID]: custody-clock record R-K TYPE --supersedes ID corrects an event; TYPE void removes it\n"));
  g_assert_nonnull (strstr (text->str, "\n    08:00            arrival  [k1]\n"));
  g_assert_nonnull (strstr (text->str, "\n    08:20            seen by a healthcare professional  [k3]  corrected by k5: not counted\n"));
  g_assert_nonnull (strstr (text->str, "\n    08:30            seen by a healthcare professional  [k4]  replaced by k5, a later correction of k3: not counted\n"));
  g_assert_nonnull (strstr (text->str, "\n    08:40            seen by a healthcare professional — PS 7  [k5]  corrects k3\n"));
  g_assert_nonnull (strstr (text->str, "\n    08:50            cell visit  [k6]  voided by k7: not counted\n"));
  g_assert_nonnull (strstr (text->str, "  [k7]  removes k6\n"));
  g_assert_nonnull (strstr (text->str, "  [k8]  corrects k99, which is not in this record: not counted (see custody-clock doctor)\n"));

  /* No two clock lines alike; the two bail clocks are named. */
  g_assert_nonnull (strstr (text->str, "not started Local authority accommodation requested: starts if bail is refused after charge\n"));
  g_assert_nonnull (strstr (text->str, "not started Transfer to local authority accommodation: starts if bail is refused after charge\n"));
  lines = g_strsplit (strstr (text->str, "\nClocks\n"), "\n", -1);
  for (guint i = 0; lines[i] != NULL && !g_str_equal (lines[i], "Breaches"); i++)
    for (guint j = i + 1; lines[j] != NULL && !g_str_equal (lines[j], "Breaches"); j++)
      if (*lines[i] != '\0')
        g_assert_cmpstr (lines[i], !=, lines[j]);

  /* Without the history, the events that count, with their ids. */
  cc_board_format_timeline (plain, ev, NULL, f->policy->tz, CC_BOARD_NONE);
  g_assert_nonnull (strstr (plain->str, "  [k5]  corrects k3\n"));
  g_assert_null (strstr (plain->str, "[k3]"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/board/authorisation-missing", test_authorisation_missing);
  ADD ("/board/data-quality", test_data_quality);
  ADD ("/board/order", test_order);
  ADD ("/board/reviews", test_reviews);
  ADD ("/board/extension-faults", test_extension_faults);
  ADD ("/board/timeline-corrections", test_timeline_corrections);
#undef ADD

  return g_test_run ();
}
