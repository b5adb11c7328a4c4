/* test-report.c: the monthly breach report, figure by figure
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * October 2026 is built by hand (below), and every figure asserted here was
 * worked out on paper from it.  Times are UTC; the display zone is
 * Europe/London, which left summer time at 01:00 UTC on Sunday 25 October.
 * The report is made at 2026-11-01T06:00:00Z, when one child is still in
 * custody.  The test policy switches off the cell_visit and rest clocks and
 * the cp_referral_missing rule, so that the figures stay countable by hand;
 * /report/recurring counts those with the default policy.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "cc-i18n.h"
#include "cc-importer.h"
#include "cc-report.h"
#include "cc-test-util.h"

#define AT "2026-11-01T06:00:00Z"

typedef struct
{
  const char *record_id;
  const char *type;
  const char *occurred_at;
  const char *data;        /* NULL: none */
  const char *recorded_at; /* NULL: as occurred_at */
  const char *event_id;    /* NULL: made from the record and line */
  const char *supersedes;
} Line;

static const Line october[] = {
  /* OCT-01: arrives 00:30 BST on the 1st (23:30 UTC on 30 September), so
   * in October; held 5 h 30 min overnight; every duty in time. */
  { "OCT-01", "arrival", "2026-09-30T23:30:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-1\",\"dob\":\"2010-01-17\"}" },
  { "OCT-01", "detention_authorised", "2026-09-30T23:40:00Z" },
  { "OCT-01", "welfare_informed", "2026-09-30T23:50:00Z" },
  { "OCT-01", "aa_requested", "2026-09-30T23:55:00Z" },
  { "OCT-01", "cell_visit", "2026-10-01T00:30:00Z", "{\"voice_recorded\":true}" },
  { "OCT-01", "hcp_seen", "2026-10-01T00:40:00Z" },
  { "OCT-01", "aa_arrived", "2026-10-01T01:40:00Z", "{\"name\":\"Alice Appropriate\"}" },
  { "OCT-01", "interview_started", "2026-10-01T02:00:00Z", "{\"aa_present\":true}" },
  { "OCT-01", "interview_ended", "2026-10-01T03:00:00Z" },
  { "OCT-01", "released", "2026-10-01T05:00:00Z", "{\"outcome\":\"nfa\"}" },

  /* OCT-02: charged, refused bail, the local authority refuses, court
   * from the cell without a certificate. */
  { "OCT-02", "arrival", "2026-10-10T18:00:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-2\",\"dob\":\"2009-05-17\"}" },
  { "OCT-02", "detention_authorised", "2026-10-10T18:00:00Z" },
  { "OCT-02", "welfare_informed", "2026-10-10T18:30:00Z" },
  { "OCT-02", "aa_requested", "2026-10-10T19:00:00Z" },
  { "OCT-02", "hcp_seen", "2026-10-10T21:00:00Z" },
  { "OCT-02", "review", "2026-10-10T23:00:00Z", "{\"rank\":\"inspector\"}" },
  { "OCT-02", "aa_arrived", "2026-10-11T00:00:00Z", "{\"name\":\"Bob Guardian\"}" },
  { "OCT-02", "charged", "2026-10-11T02:00:00Z", "{\"aa_present\":true}" },
  { "OCT-02", "bail_refused", "2026-10-11T02:30:00Z" },
  { "OCT-02", "la_requested", "2026-10-11T03:30:00Z", "{\"secure\":false}" },
  { "OCT-02", "la_response", "2026-10-11T05:00:00Z", "{\"outcome\":\"refused\"}" },
  { "OCT-02", "review", "2026-10-11T07:30:00Z", "{\"rank\":\"sergeant\"}" },
  { "OCT-02", "left_for_court", "2026-10-11T09:00:00Z", "{\"court\":\"Swindon Youth Court\"}" },

  /* OCT-03 (Melksham): strip searched without the AA, never seen by
   * healthcare; the AA's arrival corrected, the correction keyed late. */
  { "OCT-03", "arrival", "2026-10-20T10:00:00Z", "{\"suite\":\"Melksham\",\"child\":\"C-3\",\"appears_under_18\":true}" },
  { "OCT-03", "detention_authorised", "2026-10-20T10:30:00Z" },
  { "OCT-03", "aa_requested", "2026-10-20T10:40:00Z" },
  { "OCT-03", "welfare_informed", "2026-10-20T11:00:00Z" },
  { "OCT-03", "strip_search", "2026-10-20T11:00:00Z", "{\"aa_present\":false,\"authorised_rank\":\"inspector\"}" },
  { "OCT-03", "moved", "2026-10-20T11:10:00Z", "{\"room\":\"cell\",\"reason\":\"violent\"}" },
  { "OCT-03", "cell_visit", "2026-10-20T11:30:00Z", "{\"voice_recorded\":false}" },
  { "OCT-03", "aa_arrived", "2026-10-20T12:40:00Z", NULL, NULL, "OCT-03-aa-wrong" },
  { "OCT-03", "aa_arrived", "2026-10-20T12:00:00Z", NULL, "2026-10-20T14:00:00Z", "OCT-03-aa-right", "OCT-03-aa-wrong" },
  { "OCT-03", "released", "2026-10-20T13:00:00Z" },

  /* OCT-04: an adult, with breaches of every kind: never counted. */
  { "OCT-04", "arrival", "2026-10-15T10:00:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-4\",\"dob\":\"1990-01-17\"}" },
  { "OCT-04", "strip_search", "2026-10-15T10:30:00Z", "{\"aa_present\":false}" },
  { "OCT-04", "released", "2026-10-15T12:00:00Z" },

  /* SEP-05: 23:30 BST on 30 September: September's. */
  { "SEP-05", "arrival", "2026-09-30T22:30:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-5\",\"dob\":\"2010-02-17\"}" },
  { "SEP-05", "released", "2026-10-01T02:00:00Z" },

  /* NOV-06: 00:30 GMT on 1 November: November's. */
  { "NOV-06", "arrival", "2026-11-01T00:30:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-6\",\"dob\":\"2010-03-17\"}" },
  { "NOV-06", "detention_authorised", "2026-11-01T00:30:00Z" },

  /* OCT-07: the night the clocks went back; interviewed and charged
   * without the AA; a meal keyed by mistake and voided. */
  { "OCT-07", "arrival", "2026-10-25T00:30:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-7\",\"dob\":\"2009-07-17\"}" },
  { "OCT-07", "detention_authorised", "2026-10-25T00:30:00Z" },
  { "OCT-07", "aa_requested", "2026-10-25T00:45:00Z" },
  { "OCT-07", "welfare_informed", "2026-10-25T01:00:00Z" },
  { "OCT-07", "hcp_seen", "2026-10-25T01:30:00Z" },
  { "OCT-07", "meal_offered", "2026-10-25T02:00:00Z", NULL, NULL, "OCT-07-meal" },
  { "OCT-07", "void", "2026-10-25T02:10:00Z", NULL, NULL, "OCT-07-void", "OCT-07-meal" },
  { "OCT-07", "aa_arrived", "2026-10-25T03:30:00Z" },
  { "OCT-07", "interview_started", "2026-10-25T04:00:00Z", "{\"aa_present\":false}" },
  { "OCT-07", "interview_ended", "2026-10-25T05:00:00Z" },
  { "OCT-07", "review", "2026-10-25T06:00:00Z", "{\"rank\":\"inspector\"}" },
  { "OCT-07", "charged", "2026-10-25T07:00:00Z", "{\"aa_present\":false}" },
  { "OCT-07", "released", "2026-10-25T08:30:00Z", "{\"outcome\":\"charged_bail\"}" },

  /* OCT-08: 23:30 GMT on 31 October, still in custody at the report; no
   * AA yet; a visit keyed for after the report's instant. */
  { "OCT-08", "arrival", "2026-10-31T23:30:00Z", "{\"suite\":\"Swindon\",\"child\":\"C-8\",\"dob\":\"2011-03-17\"}" },
  { "OCT-08", "detention_authorised", "2026-10-31T23:45:00Z" },
  { "OCT-08", "aa_requested", "2026-10-31T23:50:00Z" },
  { "OCT-08", "welfare_informed", "2026-11-01T00:15:00Z" },
  { "OCT-08", "hcp_seen", "2026-11-01T00:45:00Z" },
  { "OCT-08", "cell_visit", "2026-11-01T07:00:00Z", "{\"voice_recorded\":false}" },

  /* OCT-09 (Melksham): the same child as OCT-01, age unknown, no
   * detention authorised; an entry keyed exactly 15 min late (not late);
   * a line before the arrival (refused by import). */
  { "OCT-09", "arrival", "2026-10-05T12:00:00Z", "{\"suite\":\"Melksham\",\"child\":\"C-1\"}" },
  { "OCT-09", "aa_requested", "2026-10-05T12:10:00Z" },
  { "OCT-09", "welfare_informed", "2026-10-05T12:30:00Z" },
  { "OCT-09", "aa_arrived", "2026-10-05T12:40:00Z" },
  { "OCT-09", "hcp_seen", "2026-10-05T13:00:00Z", NULL, "2026-10-05T13:15:00Z" },
  { "OCT-09", "released", "2026-10-05T14:00:00Z" },
  { "OCT-09", "interview_started", "2026-10-05T11:00:00Z", "{\"aa_present\":true}" },
};

static const char test_policy[] =
  "[cell_visit]\nenabled=false\n"
  "[rest]\nenabled=false\n"
  "[cp_referral_missing]\nenabled=false\n";

typedef struct
{
  char     *dir;
  char     *db;
  CcStore  *store;
  CcPolicy *policy;
} Fixture;

static CcInstant
instant (const char *text)
{
  CcInstant t;

  g_assert_true (cc_time_parse (text, NULL, &t, NULL));
  return t;
}

static char *
line_text (const Line *l,
           guint       n)
{
  g_autofree char *id = l->event_id != NULL ? g_strdup (l->event_id) : g_strdup_printf ("%s-%02u", l->record_id, n);
  g_autofree char *supersedes = l->supersedes != NULL ? g_strdup_printf (",\"supersedes\":\"%s\"", l->supersedes) : g_strdup ("");

  return g_strdup_printf ("{\"event_id\":\"%s\",\"record_id\":\"%s\",\"type\":\"%s\",\"occurred_at\":\"%s\","
                          "\"recorded_at\":\"%s\",\"officer\":\"PS 1\",\"data\":%s%s}",
                          id, l->record_id, l->type, l->occurred_at,
                          l->recorded_at != NULL ? l->recorded_at : l->occurred_at,
                          l->data != NULL ? l->data : "{}", supersedes);
}

/* Imports the lines of @records (all when NULL). */
static void
import_lines (CcStore           *store,
              const char *const *records)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcImporter) importer = cc_importer_new (store, "october.jsonl", instant ("2026-11-10T00:00:00Z"));

  for (gsize i = 0; i < G_N_ELEMENTS (october); i++)
    {
      g_autofree char *text = NULL;

      if (records != NULL && !g_strv_contains (records, october[i].record_id))
        continue;
      text = line_text (&october[i], i);
      g_assert_true (cc_importer_import_line (importer, text, strlen (text), &error));
      g_assert_no_error (error);
    }
  g_assert_true (cc_importer_finish (importer, &error));
  g_assert_no_error (error);
}

static gint64
escalate (CcStore    *store,
          const char *record_id,
          const char *rule,
          CcLevel     level,
          const char *breached_at,
          const char *raised_at,
          gboolean    late)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEscalation) e = cc_escalation_new (record_id, rule, 1, level, instant (breached_at), instant (raised_at));
  gboolean inserted = FALSE;

  e->late = late;
  g_assert_true (cc_store_insert_escalation (store, e, &inserted, &error));
  g_assert_no_error (error);
  g_assert_true (inserted);
  return e->id;
}

static void
acknowledge (CcStore    *store,
             gint64      id,
             const char *officer,
             const char *at)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_store_acknowledge (store, id, officer, NULL, instant (at), &error));
  g_assert_no_error (error);
}

static void
resolve (CcStore    *store,
         gint64      id,
         const char *resolution,
         const char *at)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_store_resolve_escalation (store, id, cc_resolution_from_string (resolution), instant (at), &error));
  g_assert_no_error (error);
}

static void
quarantine (CcStore    *store,
            const char *record_id,
            const char *raw,
            const char *at)
{
  g_autoptr (GError) error = NULL;
  CcQuarantineEntry entry = {
    .origin = (char *) "import",
    .source = (char *) "other.jsonl",
    .line = 1,
    .record_id = (char *) record_id,
    .reason_code = (char *) "invalid_json",
    .reason = (char *) "not JSON",
    .raw = (char *) raw,
    .quarantined_at = instant (at),
    .resolved_at = CC_INSTANT_NONE,
  };

  g_assert_true (cc_store_add_quarantine (store, &entry, NULL, &error));
  g_assert_no_error (error);
}

/* The escalation records and quarantine of October (see the top). */
static void
add_history (CcStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEvent) second = NULL;
  gint64 id;

  id = escalate (store, "OCT-02", "aa_arrived", CC_LEVEL_INSPECTOR, "2026-10-10T22:00:00Z", "2026-10-10T22:00:30Z", FALSE);
  acknowledge (store, id, "PS 101", "2026-10-10T22:10:30Z");
  resolve (store, id, "satisfied", "2026-10-11T00:00:00Z");
  id = escalate (store, "OCT-02", "la_refused", CC_LEVEL_INSPECTOR, "2026-10-11T05:00:00Z", "2026-10-11T05:00:20Z", FALSE);
  resolve (store, id, "closed", "2026-10-11T09:00:00Z");
  id = escalate (store, "OCT-02", "la_refused", CC_LEVEL_SUPERINTENDENT, "2026-10-11T05:00:00Z", "2026-10-11T05:15:20Z", FALSE);
  acknowledge (store, id, "SUPT 9", "2026-10-11T05:20:20Z");
  resolve (store, id, "closed", "2026-10-11T09:00:00Z");
  id = escalate (store, "OCT-02", "certificate_missing", CC_LEVEL_INSPECTOR, "2026-10-11T09:00:00Z", "2026-10-11T09:05:00Z", TRUE);
  resolve (store, id, "closed", "2026-10-11T09:05:00Z");
  id = escalate (store, "OCT-07", "interview_without_aa", CC_LEVEL_INSPECTOR, "2026-10-25T04:00:00Z", "2026-10-25T04:00:10Z", FALSE);
  resolve (store, id, "closed", "2026-10-25T08:30:00Z");
  /* Acknowledged after the report's instant: not yet, in the report. */
  id = escalate (store, "OCT-08", "aa_arrived", CC_LEVEL_INSPECTOR, "2026-11-01T03:45:00Z", "2026-11-01T03:45:30Z", FALSE);
  acknowledge (store, id, "PS 202", "2026-11-01T07:00:00Z");
  /* Written after the report's instant: not counted at all. */
  escalate (store, "OCT-08", "review", CC_LEVEL_INSPECTOR, "2026-11-01T05:45:00Z", "2026-11-01T06:30:00Z", FALSE);
  /* A breach a late entry withdrew: the record still counts. */
  id = escalate (store, "OCT-01", "welfare_informed", CC_LEVEL_SERGEANT, "2026-10-01T00:40:00Z", "2026-10-01T00:40:05Z", FALSE);
  resolve (store, id, "withdrawn_late_entry", "2026-10-01T01:00:00Z");
  /* September's and an adult's: not October's. */
  escalate (store, "SEP-05", "aa_requested", CC_LEVEL_SERGEANT, "2026-09-30T23:00:00Z", "2026-09-30T23:00:10Z", FALSE);

  /* A second arrival written by a third party: the ledger refuses it. */
  second = cc_event_new (CC_EVENT_ARRIVAL, "OCT-09-again", "OCT-09", instant ("2026-10-05T12:05:00Z"), CC_INSTANT_NONE,
                         NULL, NULL, NULL);
  g_assert_true (cc_store_insert_event (store, second, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Input that belongs to no record: October's counts, December's not. */
  quarantine (store, NULL, "garbage in October", "2026-10-12T10:00:00Z");
  quarantine (store, NULL, "garbage in December", "2026-12-12T10:00:00Z");
  /* An adult's, and one of OCT-09's already put right. */
  quarantine (store, "OCT-04", "an adult's line", "2026-10-15T10:00:00Z");
  {
    CcQuarantineEntry entry = {
      .origin = (char *) "custody_event",
      .seq = 99999,
      .record_id = (char *) "OCT-09",
      .reason_code = (char *) "missing_field",
      .reason = (char *) "held",
      .quarantined_at = instant ("2026-10-05T12:00:00Z"),
      .resolved_at = CC_INSTANT_NONE,
    };
    g_assert_true (cc_store_add_quarantine (store, &entry, NULL, &error));
    g_assert_true (cc_store_resolve_quarantine (store, 99999, instant ("2026-10-06T00:00:00Z"), &error));
    g_assert_no_error (error);
  }
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();

  f->dir = cc_test_tmpdir ();
  f->db = g_build_filename (f->dir, "custody.db", NULL);
  f->store = cc_store_open (f->db, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->policy = cc_policy_load_data (defaults, test_policy, -1, "test.ini", NULL, &error);
  g_assert_no_error (error);
  if (data == NULL)
    {
      import_lines (f->store, NULL);
      add_history (f->store);
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
  g_free (f->db);
}

static JsonObject *
build_full (Fixture    *f,
            const char *month,
            const char *suite,
            gboolean    no_cache)
{
  g_autoptr (GError) error = NULL;
  CcReportOptions options = {
    .month = month,
    .suite = suite,
    .at = instant (AT),
    .stamp_at = CC_INSTANT_NONE,
    .no_cache = no_cache,
  };
  JsonObject *report = cc_report_build (f->store, f->policy, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static JsonObject *
build (Fixture    *f,
       const char *suite)
{
  return build_full (f, "2026-10", suite, FALSE);
}

/* ---- reading the object ------------------------------------------------- */

/* "a.b.3.c": members by name, array elements by number. */
static JsonNode *
node_at (JsonObject *root,
         const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode   *node = NULL;
  JsonObject *o = root;

  for (gsize i = 0; parts[i] != NULL; i++)
    {
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);
          guint      index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

          if (index >= json_array_get_length (a))
            g_error ("%s: no element %s", path, parts[i]);
          node = json_array_get_element (a, index);
        }
      else
        {
          if (o == NULL || !json_object_has_member (o, parts[i]))
            g_error ("%s: no member %s", path, parts[i]);
          node = json_object_get_member (o, parts[i]);
        }
      o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

#define assert_int(root, path, expected)                                       \
  G_STMT_START                                                                 \
  {                                                                            \
    JsonNode *n_ = node_at ((root), (path));                                   \
    if (json_node_get_value_type (n_) != G_TYPE_INT64)                         \
      g_error ("%s is not a whole number", (path));                            \
    if (json_node_get_int (n_) != (expected))                                  \
      g_error ("%s: %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, (path), \
               json_node_get_int (n_), (gint64) (expected));                   \
  }                                                                            \
  G_STMT_END

#define assert_str(root, path, expected) \
  g_assert_cmpstr (json_node_get_string (node_at ((root), (path))), ==, (expected))

#define assert_null(root, path) \
  g_assert_true (JSON_NODE_HOLDS_NULL (node_at ((root), (path))))

#define assert_bool(root, path, expected) \
  g_assert_cmpint (json_node_get_boolean (node_at ((root), (path))), ==, (expected))

/* A stat: median, p90 and n (median < 0: the empty set, nulls). */
static void
assert_stat (JsonObject *root,
             const char *path,
             gint64      median,
             gint64      p90,
             gint64      n)
{
  g_autofree char *m = g_strconcat (path, ".median", NULL);
  g_autofree char *p = g_strconcat (path, ".p90", NULL);
  g_autofree char *c = g_strconcat (path, ".n", NULL);

  if (median < 0)
    {
      assert_null (root, m);
      assert_null (root, p);
    }
  else
    {
      assert_int (root, m, median);
      assert_int (root, p, p90);
    }
  assert_int (root, c, n);
}

static void
assert_clock (JsonObject *root,
              const char *clock,
              gint64      started,
              gint64      met,
              gint64      met_late,
              gint64      breached,
              gint64      ended,
              gint64      running,
              gint64      breaches)
{
  const char *names[] = { "started", "met", "met_late", "breached", "ended", "running", "breaches" };
  gint64      values[] = { started, met, met_late, breached, ended, running, breaches };

  /* The report.md invariant, on the expectations themselves. */
  g_assert_cmpint (started, ==, met + met_late + breached + ended + running);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strdup_printf ("clocks.%s.%s", clock, names[i]);
      assert_int (root, path, values[i]);
    }
}

static char *
render_json (JsonObject *report)
{
  return cc_report_render_json (report);
}

/* ---- the figures ---------------------------------------------------------- */

static void
test_header (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);

  assert_str (r, "month", "2026-10");
  assert_null (r, "suite");
  assert_str (r, "timezone", "Europe/London");
  assert_str (r, "at", AT);
  g_assert_false (json_object_has_member (r, "generated_at"));
  /* Midnight BST on the 1st to midnight GMT on 1 November. */
  assert_str (r, "period.start", "2026-09-30T23:00:00Z");
  assert_str (r, "period.end", "2026-11-01T00:00:00Z");
}

static void
test_summary (Fixture      *f,
              gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);

  /* OCT-01, -02, -03, -07, -08, -09: not the adult, not September's or
   * November's; OCT-01 and OCT-09 are the same child. */
  assert_int (r, "summary.children", 5);
  assert_int (r, "summary.detentions", 6);
  assert_int (r, "summary.still_in_custody", 1);
  /* OCT-01 5 h 30 min, OCT-02 8 h, OCT-07 7 h 30 min (a 9-hour night),
   * OCT-08 6 h so far. */
  assert_int (r, "summary.overnight", 4);
  /* OCT-02: bail refused 03:30 BST, in the cell until 08:00: 4 h 30 min. */
  assert_int (r, "summary.overnight_post_charge", 1);
  assert_int (r, "summary.charged", 2);
  assert_int (r, "summary.bail_refused", 1);
  /* 7200 10800 19800 23400 28800 54000: rank 3 and rank 6 */
  assert_stat (r, "summary.custody_seconds", 19800, 54000, 6);
}

static void
test_headline (Fixture      *f,
               gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  const gint64 bins[] = { 1, 1, 2, 0, 1, 0, 1 };
  const char  *ids[] = { "lt1h", "1h_2h", "2h_4h", "4h_6h", "6h_12h", "12h_plus", "not_arrived" };

  /* 2400 5400 7200 10800 21600 (OCT-03 by the correction: 1 h 30 min) */
  assert_stat (r, "headline.aa_arrival_seconds", 7200, 21600, 5);
  assert_int (r, "headline.aa_never_arrived", 1);
  for (gsize i = 0; i < G_N_ELEMENTS (bins); i++)
    {
      g_autofree char *id = g_strdup_printf ("headline.aa_arrival_bins.%" G_GSIZE_FORMAT ".id", i);
      g_autofree char *count = g_strdup_printf ("headline.aa_arrival_bins.%" G_GSIZE_FORMAT ".count", i);
      assert_str (r, id, ids[i]);
      assert_int (r, count, bins[i]);
    }
  assert_int (r, "headline.aa_arrival_bins.2.from", 7200);
  assert_null (r, "headline.aa_arrival_bins.5.to");
  assert_int (r, "headline.healthcare_seen", 5);
  assert_int (r, "headline.healthcare_of", 6);
  g_assert_cmpfloat (json_node_get_double (node_at (r, "headline.healthcare_share")), ==, 5.0 / 6.0);
  assert_stat (r, "headline.healthcare_seconds", 3600, 10800, 5);
  assert_stat (r, "headline.post_charge_seconds", 23400, 23400, 1);
}

static void
test_clocks (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autoptr (GList) names = json_object_get_members (json_node_get_object (node_at (r, "clocks")));
  GList *l = names;

  /* Every clock, in clocks.md's order. */
  for (int c = 0; c < CC_N_CLOCKS; c++, l = l->next)
    g_assert_cmpstr (l->data, ==, cc_clock_to_string (c));

  assert_clock (r, "welfare_informed", 6, 6, 0, 0, 0, 0, 0);
  assert_stat (r, "clocks.welfare_informed.seconds_to_satisfy", 1800, 1800, 6);
  assert_clock (r, "aa_requested", 6, 5, 1, 0, 0, 0, 1);
  assert_stat (r, "clocks.aa_requested.seconds_to_satisfy", 600, 3600, 6);
  assert_clock (r, "aa_arrived", 6, 4, 1, 1, 0, 0, 2);
  assert_stat (r, "clocks.aa_arrived.seconds_to_satisfy", 7200, 21600, 5);
  assert_clock (r, "healthcare", 6, 4, 1, 1, 0, 0, 2);
  assert_stat (r, "clocks.healthcare.seconds_to_satisfy", 3600, 10800, 5);
  /* Reviews: OCT-02 two met and one ended by court, OCT-07 one met and one
   * ended, OCT-01, -03, -09 ended before the first was due, OCT-08 missed
   * its first (05:45) and the second runs. */
  assert_clock (r, "review", 10, 3, 0, 1, 5, 1, 1);
  assert_null (r, "clocks.review.seconds_to_satisfy");
  /* OCT-08's limit runs: charged or released in the other five. */
  assert_clock (r, "detention_limit", 6, 5, 0, 0, 0, 1, 0);
  assert_stat (r, "clocks.detention_limit.seconds_to_satisfy", 19800, 28800, 5);
  assert_clock (r, "cell_visit", 0, 0, 0, 0, 0, 0, 0);
  assert_bool (r, "clocks.cell_visit.enabled", FALSE);
  assert_clock (r, "rest", 0, 0, 0, 0, 0, 0, 0);
  assert_clock (r, "accommodation_requested", 1, 0, 1, 0, 0, 0, 1);
  assert_stat (r, "clocks.accommodation_requested.seconds_to_satisfy", 3600, 3600, 1);
  assert_clock (r, "post_charge_transfer", 1, 0, 0, 1, 0, 0, 1);
  assert_stat (r, "clocks.post_charge_transfer.seconds_to_satisfy", -1, -1, 0);
  assert_bool (r, "clocks.post_charge_transfer.enabled", TRUE);
}

static void
test_rules (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  const gint64 expected[CC_N_RULES] = {
    [CC_RULE_INTERVIEW_WITHOUT_AA] = 1,
    [CC_RULE_STRIP_SEARCH_WITHOUT_AA] = 1,
    [CC_RULE_CHARGED_WITHOUT_AA] = 1,
    [CC_RULE_LA_REFUSED] = 1,
    [CC_RULE_CERTIFICATE_MISSING] = 1,
  };
  g_autoptr (GList) names = json_object_get_members (json_node_get_object (node_at (r, "rules")));
  GList *l = names;

  for (int i = 0; i < CC_N_RULES; i++, l = l->next)
    {
      g_autofree char *path = g_strconcat ("rules.", cc_rule_to_string (i), NULL);
      g_assert_cmpstr (l->data, ==, cc_rule_to_string (i));
      assert_int (r, path, expected[i]);
    }
}

static void
test_post_charge (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);

  assert_int (r, "post_charge.bail_refused", 1);
  assert_int (r, "post_charge.requested_secure", 0);
  assert_int (r, "post_charge.requested_non_secure", 1);
  assert_int (r, "post_charge.responses.accepted", 0);
  assert_int (r, "post_charge.responses.refused", 1);
  assert_int (r, "post_charge.responses.no_bed", 0);
  assert_int (r, "post_charge.responses.no_response", 0);
  assert_int (r, "post_charge.transferred", 0);
  assert_int (r, "post_charge.certificates", 0);
  assert_int (r, "post_charge.court_without_certificate", 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "post_charge.children"))), ==, 1);
  assert_str (r, "post_charge.children.0.record_id", "OCT-02");
  assert_str (r, "post_charge.children.0.suite", "Swindon");
  assert_str (r, "post_charge.children.0.bail_refused_at", "2026-10-11T02:30:00Z");
  assert_str (r, "post_charge.children.0.ended_at", "2026-10-11T09:00:00Z");
  assert_str (r, "post_charge.children.0.outcome", "court");
  assert_int (r, "post_charge.children.0.seconds", 23400);
}

static void
test_escalations (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);

  /* Not OCT-08's review (written after the instant), nor September's. */
  assert_int (r, "escalations.raised", 7);
  assert_int (r, "escalations.by_level.sergeant", 1);
  assert_int (r, "escalations.by_level.inspector", 5);
  assert_int (r, "escalations.by_level.superintendent", 1);
  /* OCT-08's was acknowledged after the instant. */
  assert_int (r, "escalations.acknowledged", 2);
  assert_stat (r, "escalations.ack_seconds", 300, 600, 2);
  assert_int (r, "escalations.climbed", 1);
  assert_int (r, "escalations.resolutions.satisfied", 1);
  assert_int (r, "escalations.resolutions.closed", 4);
  assert_int (r, "escalations.resolutions.withdrawn_late_entry", 1);
  assert_int (r, "escalations.resolutions.open", 1);
  assert_int (r, "escalations.late_written", 1);
  /* First record of each breach: 5 10 20 30 30 300 */
  assert_stat (r, "escalations.write_delay_seconds", 20, 300, 6);
}

/* A breach a policy reload withdrew (the escalator's policy_changed) is
 * its own resolution: before issue 14 it was counted as open. */
static void
test_resolution_policy_changed (Fixture      *f,
                                gconstpointer data)
{
  g_autoptr (JsonObject) r = NULL;
  g_autofree char *md = NULL;
  gint64           id;

  id = escalate (f->store, "OCT-07", "aa_requested", CC_LEVEL_SERGEANT, "2026-10-25T01:15:00Z", "2026-10-25T01:15:05Z", FALSE);
  resolve (f->store, id, "policy_changed", "2026-10-25T01:20:00Z");
  r = build (f, NULL);
  assert_int (r, "escalations.raised", 8);
  assert_int (r, "escalations.resolutions.policy_changed", 1);
  assert_int (r, "escalations.resolutions.withdrawn_late_entry", 1);
  assert_int (r, "escalations.resolutions.open", 1);
  md = cc_report_render_md (r);
  g_assert_nonnull (strstr (md, "| Withdrawn: the policy changed | 1 |"));
}

typedef struct
{
  const char *record_id, *rule, *at;
  gint64      late; /* -1: null */
  gboolean    satisfied;
  const char *escalated_to, *acknowledged_by, *acknowledged_at;
} ExpectedCase;

static void
test_cases (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  static const ExpectedCase expected[] = {
    { "OCT-02", "aa_requested", "2026-10-10T18:30:00Z", 1800, TRUE },
    { "OCT-02", "healthcare", "2026-10-10T20:00:00Z", 3600, TRUE },
    { "OCT-02", "aa_arrived", "2026-10-10T22:00:00Z", 7200, TRUE, "inspector", "PS 101", "2026-10-10T22:10:30Z" },
    { "OCT-02", "accommodation_requested", "2026-10-11T03:00:00Z", 1800, TRUE },
    { "OCT-02", "la_refused", "2026-10-11T05:00:00Z", -1, FALSE, "superintendent", "SUPT 9", "2026-10-11T05:20:20Z" },
    { "OCT-02", "post_charge_transfer", "2026-10-11T06:30:00Z", 9000, FALSE },
    { "OCT-02", "certificate_missing", "2026-10-11T09:00:00Z", -1, FALSE, "inspector" },
    { "OCT-03", "strip_search_without_aa", "2026-10-20T11:00:00Z", -1, FALSE },
    { "OCT-03", "healthcare", "2026-10-20T12:30:00Z", 1800, FALSE },
    { "OCT-07", "interview_without_aa", "2026-10-25T04:00:00Z", -1, FALSE, "inspector" },
    { "OCT-07", "charged_without_aa", "2026-10-25T07:00:00Z", -1, FALSE },
    { "OCT-08", "aa_arrived", "2026-11-01T03:45:00Z", 8100, FALSE, "inspector" },
    { "OCT-08", "review", "2026-11-01T05:45:00Z", 900, FALSE },
  };
  JsonArray *cases = json_node_get_array (node_at (r, "cases"));

  g_assert_cmpuint (json_array_get_length (cases), ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const ExpectedCase *e = &expected[i];
      JsonObject         *c = json_array_get_object_element (cases, i);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s %s", i, e->record_id, e->rule);
      assert_str (c, "record_id", e->record_id);
      assert_str (c, "suite", g_str_equal (e->record_id, "OCT-03") ? "Melksham" : "Swindon");
      assert_str (c, "rule", e->rule);
      assert_int (c, "occurrence", 1);
      assert_str (c, "at", e->at);
      if (e->late < 0)
        assert_null (c, "late_seconds");
      else
        assert_int (c, "late_seconds", e->late);
      assert_bool (c, "satisfied", e->satisfied);
      if (e->escalated_to != NULL)
        assert_str (c, "escalated_to", e->escalated_to);
      else
        assert_null (c, "escalated_to");
      if (e->acknowledged_by != NULL)
        {
          assert_str (c, "acknowledged_by", e->acknowledged_by);
          assert_str (c, "acknowledged_at", e->acknowledged_at);
        }
      else
        {
          assert_null (c, "acknowledged_by");
          assert_null (c, "acknowledged_at");
        }
    }
}

static void
test_weeks (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  JsonArray *weeks = json_node_get_array (node_at (r, "breaches_by_week"));
  g_autoptr (GList) rules = NULL;
  static const char *const mondays[] = { "2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26" };
  static const gint64      totals[] = { 0, 7, 0, 4, 2 };

  g_assert_cmpuint (json_array_get_length (weeks), ==, G_N_ELEMENTS (mondays));
  for (gsize i = 0; i < G_N_ELEMENTS (mondays); i++)
    {
      g_autofree char *week = g_strdup_printf ("breaches_by_week.%" G_GSIZE_FORMAT ".week", i);
      g_autofree char *total = g_strdup_printf ("breaches_by_week.%" G_GSIZE_FORMAT ".total", i);
      assert_str (r, week, mondays[i]);
      assert_int (r, total, totals[i]);
    }
  /* Sunday 25 October is in the week of the 19th; only non-zero rules,
   * clocks first, in clocks.md's order. */
  rules = json_object_get_members (json_node_get_object (node_at (r, "breaches_by_week.3.rules")));
  g_assert_cmpuint (g_list_length (rules), ==, 4);
  g_assert_cmpstr (g_list_nth_data (rules, 0), ==, "healthcare");
  g_assert_cmpstr (g_list_nth_data (rules, 1), ==, "interview_without_aa");
  g_assert_cmpstr (g_list_nth_data (rules, 2), ==, "strip_search_without_aa");
  g_assert_cmpstr (g_list_nth_data (rules, 3), ==, "charged_without_aa");
  assert_int (r, "breaches_by_week.1.rules.post_charge_transfer", 1);
  assert_int (r, "breaches_by_week.4.rules.review", 1);
  assert_int (r, "breaches_by_week.4.rules.aa_arrived", 1);
}

static void
test_data_quality (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);

  /* OCT-03's correction, keyed 2 h late; OCT-09's entry at exactly 15 min
   * is not late. */
  assert_int (r, "data_quality.late_entries", 1);
  assert_int (r, "data_quality.corrections", 2);
  assert_int (r, "data_quality.voids", 1);
  /* OCT-09's line before arrival (import) and second arrival (the ledger),
   * and October's line that belongs to no record. */
  assert_int (r, "data_quality.quarantined", 3);
  assert_int (r, "data_quality.age_unknown", 1);
  assert_int (r, "data_quality.missing_authorisation", 1);
  /* OCT-03's; OCT-08's is after the instant. */
  assert_int (r, "data_quality.cell_visits_without_voice", 1);
}

static void
test_trend (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autoptr (JsonObject) september = build_full (f, "2026-09", NULL, FALSE);
  JsonArray *trend = json_node_get_array (node_at (r, "trend"));

  g_assert_cmpuint (json_array_get_length (trend), ==, 12);
  assert_str (r, "trend.0.month", "2025-11");
  assert_int (r, "trend.0.detentions", 0);
  assert_null (r, "trend.0.aa_arrival_median");
  assert_null (r, "trend.0.healthcare_share");
  assert_int (r, "trend.0.breaches", 0);
  /* SEP-05: no AA, never seen by healthcare; welfare, AA call and
   * healthcare missed. */
  assert_str (r, "trend.10.month", "2026-09");
  assert_int (r, "trend.10.detentions", 1);
  assert_null (r, "trend.10.aa_arrival_median");
  g_assert_cmpfloat (json_node_get_double (node_at (r, "trend.10.healthcare_share")), ==, 0.0);
  assert_null (r, "trend.10.post_charge_median");
  assert_int (r, "trend.10.breaches", 3);
  assert_str (r, "trend.11.month", "2026-10");
  assert_int (r, "trend.11.detentions", 6);
  assert_int (r, "trend.11.aa_arrival_median", 7200);
  g_assert_cmpfloat (json_node_get_double (node_at (r, "trend.11.healthcare_share")), ==, 5.0 / 6.0);
  assert_int (r, "trend.11.post_charge_median", 23400);
  assert_int (r, "trend.11.breaches", 13);

  /* The trend's September is September's own report. */
  assert_int (september, "summary.detentions", 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (september, "cases"))), ==, 3);
  assert_int (september, "trend.11.breaches", 3);
}

static const char *
definition (JsonObject *report,
            const char *measure)
{
  JsonArray *definitions = json_node_get_array (node_at (report, "definitions"));

  for (guint i = 0; i < json_array_get_length (definitions); i++)
    {
      JsonObject *d = json_array_get_object_element (definitions, i);
      if (g_str_equal (json_object_get_string_member (d, "measure"), measure))
        return json_object_get_string_member (d, "text");
    }
  g_error ("no definition of %s", measure);
}

static void
test_definitions (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  JsonArray       *definitions = json_node_get_array (node_at (r, "definitions"));
  g_autofree char *policy = cc_policy_to_string (f->policy);
  const char      *wanted[] = { "summary.overnight", "stat", "clocks.aa_arrived", "clocks.cell_visit", "rules.review_rank",
                                "escalations.write_delay_seconds", "data_quality.late_entries", "trend" };

  for (gsize w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (definitions); i++)
        {
          JsonObject *d = json_array_get_object_element (definitions, i);

          if (!g_str_equal (json_object_get_string_member (d, "measure"), wanted[w]))
            continue;
          found = TRUE;
          g_assert_cmpuint (strlen (json_object_get_string_member (d, "text")), >, 20);
          /* The thresholds in force are in the sentences. */
          if (g_str_equal (wanted[w], "clocks.aa_arrived"))
            g_assert_nonnull (strstr (json_object_get_string_member (d, "text"), "4 h"));
          if (g_str_equal (wanted[w], "clocks.cell_visit"))
            g_assert_nonnull (strstr (json_object_get_string_member (d, "text"), "Switched off"));
          if (g_str_equal (wanted[w], "summary.overnight"))
            g_assert_nonnull (strstr (json_object_get_string_member (d, "text"), "00:00 and 08:00"));
        }
      if (!found)
        g_error ("no definition of %s", wanted[w]);
    }
  assert_str (r, "policy", policy);
}

/* The definitions are read beside the tables: each is headed by the words
 * the page shows, and says nothing in JSON names or seconds (issue 14
 * item 16); the measure stays for programs. */
static void
test_definition_terms (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  JsonArray       *definitions = json_node_get_array (node_at (r, "definitions"));
  g_autofree char *md = cc_report_render_md (r);
  g_autofree char *html = cc_report_render_html (r, NULL);

  for (guint i = 0; i < json_array_get_length (definitions); i++)
    {
      JsonObject *d = json_array_get_object_element (definitions, i);
      const char *measure = json_object_get_string_member (d, "measure");
      const char *term = json_object_get_string_member_with_default (d, "term", NULL);
      const char *text = json_object_get_string_member (d, "text");

      g_test_message ("definition of %s", measure);
      g_assert_nonnull (term);
      g_assert_cmpstr (term, !=, measure);
      /* No identifier such as met_late or healthcare_seen in a sentence. */
      g_assert_null (strchr (text, '_'));
      g_assert_null (strstr (text, "Times are in seconds"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (definitions, 0), "measure"), ==,
                   "month");
  g_assert_nonnull (strstr (md, "- **Children detained (distinct children)**: "));
  g_assert_null (strstr (md, "- **summary.children**"));
  g_assert_nonnull (strstr (html, "<dt>Children detained (distinct children)</dt>"));
  g_assert_null (strstr (html, "<code>summary.children</code>"));
}

static void
test_suite (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, "Melksham");

  assert_str (r, "suite", "Melksham");
  assert_int (r, "summary.children", 2);
  assert_int (r, "summary.detentions", 2);
  assert_int (r, "summary.overnight", 0);
  assert_stat (r, "summary.custody_seconds", 7200, 10800, 2);
  assert_clock (r, "healthcare", 2, 1, 0, 1, 0, 0, 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "cases"))), ==, 2);
  assert_str (r, "cases.0.record_id", "OCT-03");
  assert_int (r, "escalations.raised", 0);
  /* OCT-09's two; the line of no record belongs to no suite. */
  assert_int (r, "data_quality.quarantined", 2);
  assert_int (r, "data_quality.late_entries", 1);
  assert_int (r, "trend.10.detentions", 0);
  assert_int (r, "trend.11.detentions", 2);
}

static GPtrArray *csv_parse (const char *text);

/* An all-suites report splits its figures by suite, in JSON, CSV (the
 * suite column), Markdown and HTML; a suite report has its one entry
 * (issue 14 item 16). */
static void
test_suites (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autoptr (JsonObject) melksham = build (f, "Melksham");
  g_autofree char *csv = cc_report_render_csv (r, FALSE);
  g_autoptr (GPtrArray) rows = csv_parse (csv);
  g_autofree char *md = cc_report_render_md (r);
  g_autofree char *html = cc_report_render_html (r, NULL);
  guint            suite_rows = 0;

  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "suites"))), ==, 2);
  /* OCT-03 and OCT-09: two children, one of them OCT-01's child too. */
  assert_str (r, "suites.0.suite", "Melksham");
  assert_int (r, "suites.0.children", 2);
  assert_int (r, "suites.0.detentions", 2);
  assert_int (r, "suites.0.breaches", 2);
  assert_int (r, "suites.0.rules.healthcare", 1);
  assert_int (r, "suites.0.rules.strip_search_without_aa", 1);
  assert_str (r, "suites.1.suite", "Swindon");
  assert_int (r, "suites.1.children", 4);
  assert_int (r, "suites.1.detentions", 4);
  assert_int (r, "suites.1.breaches", 11);
  assert_int (r, "suites.1.rules.aa_arrived", 2);
  assert_int (r, "suites.1.rules.healthcare", 1);
  /* Only the duties with breaches are listed. */
  g_assert_false (json_object_has_member (json_node_get_object (node_at (r, "suites.1.rules")), "strip_search_without_aa"));
  /* The splits add up to the whole. */
  assert_int (r, "summary.detentions", 6);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "cases"))), ==, 13);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (melksham, "suites"))), ==, 1);
  assert_int (melksham, "suites.0.breaches", 2);

  /* CSV: every row names its suite; the whole month's rows say "all". */
  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray  *row = g_ptr_array_index (rows, i);
      const char *suite = g_ptr_array_index (row, 2);

      g_assert_cmpuint (row->len, ==, 4);
      if (g_str_equal (g_ptr_array_index (row, 0), "suites"))
        {
          suite_rows++;
          g_assert_true (g_str_equal (suite, "Melksham") || g_str_equal (suite, "Swindon"));
          if (g_str_equal (suite, "Swindon") && g_str_equal (g_ptr_array_index (row, 1), "breaches"))
            g_assert_cmpstr (g_ptr_array_index (row, 3), ==, "11");
        }
      else
        g_assert_cmpstr (suite, ==, "all");
    }
  g_assert_cmpuint (suite_rows, >, 6);
  g_assert_nonnull (strstr (md, "### By suite"));
  g_assert_nonnull (strstr (md, "| Melksham | 2 | 2 | 2 |"));
  g_assert_nonnull (strstr (html, "<caption>By suite</caption>"));
  g_assert_nonnull (strstr (html, "<th scope=\"row\">Swindon</th>"));
}

/* cc_store_resolve_suite(): the suites the log's arrivals name, matched
 * whatever the case, the log's spelling back; none matching is an error
 * listing them (issue 14 item 8). */
static void
test_resolve_suite (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) suites = cc_store_list_suites (f->store, &error);
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (suites->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (suites, 0), ==, "Melksham");
  g_assert_cmpstr (g_ptr_array_index (suites, 1), ==, "Swindon");
  g_assert_true (cc_store_resolve_suite (f->store, "sWINDON", &found, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "Swindon");
  g_assert_false (cc_store_resolve_suite (f->store, "Northgate", &found, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, "no suite named Northgate; suites in the log: Melksham, Swindon");
}

/* The default policy, on OCT-01 alone: cell visits, rest and the
 * child-protection referral are counted. */
static void
test_recurring (Fixture      *f,
                gconstpointer data)
{
  const char *const only[] = { "OCT-01", NULL };
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  g_autoptr (JsonObject) r = NULL;
  g_autoptr (GError) error = NULL;
  CcReportOptions options = { "2026-10", NULL, instant (AT), CC_INSTANT_NONE, FALSE };

  import_lines (f->store, only);
  r = cc_report_build (f->store, policy, &options, &error);
  g_assert_no_error (error);
  /* A visit at 00:30 in time; 01:30 missed; the interview (02:00–03:00)
   * suspends the third; 04:00 missed; the fifth ends at release. */
  assert_clock (r, "cell_visit", 5, 1, 0, 2, 2, 0, 2);
  assert_null (r, "clocks.cell_visit.seconds_to_satisfy");
  assert_clock (r, "rest", 1, 0, 0, 0, 1, 0, 0);
  assert_int (r, "rules.cp_referral_missing", 1);
  assert_int (r, "data_quality.cell_visits_without_voice", 0);
  /* No visit after the one at 00:30: the visit missed at 01:30 stood
   * until release at 05:00. */
  assert_str (r, "cases.0.rule", "cell_visit");
  assert_int (r, "cases.0.late_seconds", 3 * 3600 + 30 * 60);
  assert_bool (r, "cases.0.satisfied", FALSE);
  /* The two missed visits are one line for the child: two breaches, the
   * worst 3 h 30 min late, neither made up (issue 14 item 16). */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "cases"))), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "case_groups"))), ==, 2);
  assert_str (r, "case_groups.0.record_id", "OCT-01");
  assert_str (r, "case_groups.0.rule", "cell_visit");
  assert_int (r, "case_groups.0.breaches", 2);
  assert_str (r, "case_groups.0.first_at", "2026-10-01T01:30:00Z");
  assert_int (r, "case_groups.0.worst_late_seconds", 3 * 3600 + 30 * 60);
  assert_int (r, "case_groups.0.never_met", 2);
  assert_null (r, "case_groups.0.escalated_to");
  assert_str (r, "case_groups.1.rule", "cp_referral_missing");
  assert_int (r, "case_groups.1.breaches", 1);
  assert_null (r, "case_groups.1.worst_late_seconds");
}

static void
test_month_syntax (void)
{
  const char *bad[] = { "2026-13", "2026-00", "2026-1", "oct", "2026/10", "", "20261-0", "0001-05" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (cc_report_parse_month (bad[i], NULL, NULL, &error));
      g_assert_error (error, CC_TIME_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
  {
    int y = 0, m = 0;
    g_assert_true (cc_report_parse_month ("2026-10", &y, &m, NULL));
    g_assert_cmpint (y, ==, 2026);
    g_assert_cmpint (m, ==, 10);
  }
}

/* An empty log still gives every section, with nulls where nothing can be
 * said. */
static void
test_empty (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);

  assert_int (r, "summary.detentions", 0);
  assert_stat (r, "summary.custody_seconds", -1, -1, 0);
  assert_null (r, "headline.healthcare_share");
  assert_int (r, "clocks.review.started", 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "cases"))), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node_at (r, "trend"))), ==, 12);
}

/* ---- privacy, determinism, the cache ---------------------------------------- */

static void
assert_private (const char *text)
{
  const char *never[] = { "Alice Appropriate", "Bob Guardian", "2010-01-17", "2009-05-17", "2011-03-17",
                          "2009-07-17", "1990-01-17", "C-1", "C-8", "OCT-04", "SEP-05", "NOV-06" };

  for (gsize i = 0; i < G_N_ELEMENTS (never); i++)
    if (strstr (text, never[i]) != NULL)
      g_error ("the report shows %s", never[i]);
}

static void
test_private (Fixture      *f,
              gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autofree char *json = render_json (r);
  g_autofree char *csv = cc_report_render_csv (r, TRUE);
  g_autofree char *md = cc_report_render_md (r);

  assert_private (json);
  assert_private (csv);
  assert_private (md);
}

static void
test_deterministic (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (JsonObject) cold = build_full (f, "2026-10", NULL, TRUE);
  g_autoptr (JsonObject) first = build (f, NULL);  /* writes the cache */
  g_autoptr (JsonObject) second = build (f, NULL); /* reads it */
  g_autofree char *a = render_json (cold);
  g_autofree char *b = render_json (first);
  g_autofree char *c = render_json (second);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);
  {
    g_autofree char *csv1 = cc_report_render_csv (cold, TRUE);
    g_autofree char *csv2 = cc_report_render_csv (second, TRUE);
    g_autofree char *md1 = cc_report_render_md (cold);
    g_autofree char *md2 = cc_report_render_md (second);
    g_assert_cmpstr (csv1, ==, csv2);
    g_assert_cmpstr (md1, ==, md2);
  }
}

/* A month read in shares on threads adds up to the same report, whatever
 * the split: 6 records in 1, 2, 3, 4 and 6 shares (and 9 asked for). */
static void
test_threads (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *one = NULL;
  const guint      splits[] = { 2, 3, 4, 6, 9 };

  for (gsize i = 0; i <= G_N_ELEMENTS (splits); i++)
    {
      g_autoptr (GError) error = NULL;
      CcReportOptions options = { "2026-10", NULL, instant (AT), CC_INSTANT_NONE, TRUE, i == 0 ? 1 : splits[i - 1] };
      g_autoptr (JsonObject) r = cc_report_build (f->store, f->policy, &options, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = render_json (r);
      if (one == NULL)
        one = g_steal_pointer (&text);
      else
        g_assert_cmpstr (text, ==, one);
    }
  /* And the figures are the right ones. */
  g_assert_nonnull (strstr (one, "\"detentions\" : 6,"));
}

static gint64
sql_int (const char *db_path,
         const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
sql_exec (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The cache holds only settled months, is read while their rows stay the
 * same, and is passed over as soon as a row is added. */
static void
test_cache (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) first = build (f, NULL);
  g_autoptr (JsonObject) tampered = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autoptr (JsonObject) uncached = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEvent) referral = NULL;

  /* Eleven settled earlier months; October has a child in custody. */
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM report_cache"), ==, 11);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM report_cache WHERE month = '2026-10'"), ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT settled_at FROM report_cache WHERE month = '2026-09'"), ==,
                   instant ("2026-10-01T02:00:00Z"));

  /* Prove it is read: a figure changed in the cache comes out. */
  sql_exec (f->db, "UPDATE report_cache SET figures = replace(figures, '\"detentions\" : 1,', '\"detentions\" : 99,') "
                   "WHERE month = '2026-09'");
  tampered = build (f, NULL);
  assert_int (tampered, "trend.10.detentions", 99);
  /* Not by an instant before the month settled (SEP-05 left at 02:00). */
  {
    CcReportOptions options = { "2026-10", NULL, instant ("2026-10-01T00:00:00Z"), CC_INSTANT_NONE, FALSE };
    g_autoptr (JsonObject) early = cc_report_build (f->store, f->policy, &options, &error);
    g_assert_no_error (error);
    assert_int (early, "trend.10.detentions", 1);
    assert_int (early, "trend.10.breaches", 2); /* healthcare not due until 00:30 */
  }

  /* A row added to September's record: the entry no longer matches. */
  referral = cc_event_new (CC_EVENT_CP_REFERRAL, "SEP-05-cp", "SEP-05", instant ("2026-10-01T01:00:00Z"),
                           CC_INSTANT_NONE, NULL, NULL, NULL);
  g_assert_true (cc_store_insert_event (f->store, referral, NULL, NULL, &error));
  g_assert_no_error (error);
  after = build (f, NULL);
  uncached = build_full (f, "2026-10", NULL, TRUE);
  assert_int (after, "trend.10.detentions", 1);
  {
    g_autofree char *a = render_json (after);
    g_autofree char *b = render_json (uncached);
    g_assert_cmpstr (a, ==, b);
  }
}

/* The records' summaries (schema step 11) are read when the months'
 * cache is not, and a later row of a record takes its summaries away. */
static void
test_summaries (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEvent) referral = NULL;
  g_autoptr (JsonObject) first = build_full (f, "2026-10", NULL, TRUE);
  g_autoptr (JsonObject) tampered = NULL;
  g_autoptr (JsonObject) after = NULL;
  CcReportOptions options = {
    .month = "2026-10", .at = instant (AT), .stamp_at = CC_INSTANT_NONE, .no_cache = TRUE, .no_summaries = TRUE
  };
  g_autoptr (JsonObject) reference = NULL;

  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_summary WHERE record_id = 'SEP-05'"), ==, 1);
  /* Prove it is read: a value changed in the summary comes out. */
  sql_exec (f->db, "UPDATE record_summary SET breaches = breaches + 10 WHERE record_id = 'SEP-05'");
  tampered = build_full (f, "2026-10", NULL, TRUE);
  assert_int (tampered, "trend.10.breaches", json_node_get_int (node_at (first, "trend.10.breaches")) + 10);

  /* A row of the record: the trigger deletes its summaries. */
  referral = cc_event_new (CC_EVENT_CP_REFERRAL, "SEP-05-cp", "SEP-05", instant ("2026-10-01T01:00:00Z"),
                           CC_INSTANT_NONE, NULL, NULL, NULL);
  g_assert_true (cc_store_insert_event (f->store, referral, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_summary WHERE record_id = 'SEP-05'"), ==, 0);
  after = build_full (f, "2026-10", NULL, TRUE);
  reference = cc_report_build (f->store, f->policy, &options, &error);
  g_assert_no_error (error);
  {
    g_autofree char *a = render_json (after);
    g_autofree char *b = render_json (reference);
    g_assert_cmpstr (a, ==, b);
  }
  /* Read again, settled again: a new summary. */
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_summary WHERE record_id = 'SEP-05'"), ==, 1);
}

/* The key of what is kept is the policy's settings, not its translated
 * text: a report in Welsh finds what one in English kept. */
/* The report's own month counts its settled records from their kept
 * figures (record_figures) and gives the same bytes as reading them.
 * Proved read: a suite changed in one record's figures comes out.
 * Figures that cannot be read (malformed, or of another format) are not
 * used: the record is read, the report is the same, and the figures are
 * kept again. */
static void
test_figures (Fixture      *f,
              gconstpointer data)
{
  g_autoptr (JsonObject) reference = NULL;
  g_autoptr (JsonObject) first = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  CcReportOptions options = {
    .month = "2026-10", .at = instant (AT), .stamp_at = CC_INSTANT_NONE, .no_cache = TRUE, .no_summaries = TRUE
  };
  static const char *const spoilt[] = {
    "UPDATE record_figures SET figures = 'f1 1 2 3'",
    "UPDATE record_figures SET figures = replace (figures, 'f1 ', 'f9 ')",
    "UPDATE record_figures SET figures = figures || ' 7'",
    "UPDATE record_figures SET figures = substr (figures, 1, length (figures) - 2)",
  };

  reference = cc_report_build (f->store, f->policy, &options, &error);
  g_assert_no_error (error);
  expected = render_json (reference);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_figures"), ==, 0);
  first = build_full (f, "2026-10", NULL, TRUE);
  {
    g_autofree char *text = render_json (first);
    g_assert_cmpstr (text, ==, expected);
  }
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_figures WHERE record_id LIKE 'OCT-%'"), >=, 4);
  {
    g_autoptr (JsonObject) again = build_full (f, "2026-10", NULL, TRUE);
    g_autofree char *text = render_json (again);
    g_assert_cmpstr (text, ==, expected);
  }

  sql_exec (f->db, "UPDATE record_figures SET figures = replace (figures, ' sSwindon ', ' sKept%20here ') "
                   "WHERE record_id = 'OCT-01'");
  {
    g_autoptr (JsonObject) tampered = build_full (f, "2026-10", NULL, TRUE);
    g_autofree char *text = render_json (tampered);
    g_assert_nonnull (strstr (text, "\"suite\" : \"Kept here\""));
  }

  for (gsize i = 0; i < G_N_ELEMENTS (spoilt); i++)
    {
      g_autoptr (JsonObject) read = NULL;
      g_autofree char *text = NULL;
      gint64           kept = sql_int (f->db, "SELECT count(*) FROM record_figures");

      sql_exec (f->db, "DELETE FROM record_figures WHERE record_id = 'OCT-01'");
      read = build_full (f, "2026-10", NULL, TRUE); /* OCT-01's figures again */
      sql_exec (f->db, spoilt[i]);
      g_clear_pointer (&read, json_object_unref);
      read = build_full (f, "2026-10", NULL, TRUE);
      text = render_json (read);
      g_assert_cmpstr (text, ==, expected);
      g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_figures"), ==, kept);
      /* The month's own (another month's records are read by theirs). */
      g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM record_figures WHERE record_id LIKE 'OCT-%' AND "
                                       "(figures NOT LIKE 'f1 %' OR figures LIKE '% 7' OR figures = 'f1 1 2 3')"),
                       ==, 0);
    }
}

static void
test_digest_languages (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *english = NULL;
  g_autofree char *welsh = NULL;
  g_autofree char *text_en = NULL;
  g_autofree char *text_cy = NULL;
  g_autofree char *other = NULL;
  g_autoptr (CcPolicy) stricter = NULL;
  g_autoptr (GError) error = NULL;

  cc_i18n_init ();
  g_assert_true (cc_i18n_set_language ("en", NULL));
  english = cc_policy_digest (f->policy, "test");
  text_en = cc_policy_to_string (f->policy);
  g_assert_true (cc_i18n_set_language ("cy", NULL));
  welsh = cc_policy_digest (f->policy, "test");
  text_cy = cc_policy_to_string (f->policy);
  g_assert_true (cc_i18n_set_language ("en", NULL));
  if (g_strcmp0 (text_en, text_cy) == 0)
    g_test_message ("the Welsh catalogue was not found: the texts are the same");
  g_assert_cmpstr (english, ==, welsh);
  /* Another purpose or another setting is another digest. */
  other = cc_policy_digest (f->policy, "test 2");
  g_assert_cmpstr (english, !=, other);
  stricter = cc_policy_load_data (f->policy, "[report]\nlate_entry=5m\n", -1, "stricter.ini", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&other, g_free);
  other = cc_policy_digest (stricter, "test");
  g_assert_cmpstr (english, !=, other);
}

/* ---- the formats ------------------------------------------------------------ */

/* A small RFC 4180 reader: rows of fields; asserts CRLF line ends. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray  *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray  *row = g_ptr_array_new_with_free_func (g_free);
  GString    *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++;; p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
          g_assert_true (*p == ',' || *p == '\r');
          continue;
        }
      if (*p == ',')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
          continue;
        }
      if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          p += 2;
          continue;
        }
      g_assert_cmpint (*p, !=, '\n'); /* a bare LF outside quotes */
      g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (row->len, ==, 0); /* the last line ended with CRLF */
  g_assert_cmpuint (field->len, ==, 0);
  g_ptr_array_unref (row);
  g_string_free (field, TRUE);
  return rows;
}

static const char *
csv_value (GPtrArray  *rows,
           const char *section,
           const char *measure)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (rows, i);
      if (row->len == 4 && g_str_equal (g_ptr_array_index (row, 0), section) &&
          g_str_equal (g_ptr_array_index (row, 1), measure))
        return g_ptr_array_index (row, 3);
    }
  g_error ("no CSV row %s,%s", section, measure);
}

static void
test_csv (Fixture      *f,
          gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, "Swindon");
  g_autofree char *text = cc_report_render_csv (r, FALSE);
  g_autofree char *with_cases = cc_report_render_csv (r, TRUE);
  g_autoptr (GPtrArray) rows = csv_parse (text);
  g_autoptr (GPtrArray) all = csv_parse (with_cases);
  GPtrArray *header = g_ptr_array_index (rows, 0);
  guint      blank = 0;

  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "section");
  g_assert_cmpstr (g_ptr_array_index (header, 1), ==, "measure");
  g_assert_cmpstr (g_ptr_array_index (header, 2), ==, "suite");
  g_assert_cmpstr (g_ptr_array_index (header, 3), ==, "value");
  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (rows, i);
      g_assert_cmpuint (row->len, ==, 4);
      g_assert_cmpstr (g_ptr_array_index (row, 2), ==, "Swindon");
    }
  g_assert_cmpstr (csv_value (rows, "report", "month"), ==, "2026-10");
  g_assert_cmpstr (csv_value (rows, "summary", "detentions"), ==, "4");
  g_assert_cmpstr (csv_value (rows, "summary", "custody_seconds.median"), ==, "23400");
  g_assert_cmpstr (csv_value (rows, "clocks", "aa_arrived.met"), ==, "2");
  g_assert_cmpstr (csv_value (rows, "clocks", "review.seconds_to_satisfy"), ==, "");
  g_assert_cmpstr (csv_value (rows, "headline", "aa_arrival_bins.2h_4h"), ==, "2");
  g_assert_cmpstr (csv_value (rows, "headline", "healthcare_share"), ==, "1.0000");
  g_assert_cmpstr (csv_value (rows, "post_charge", "children.OCT-02.seconds"), ==, "23400");
  g_assert_cmpstr (csv_value (rows, "rules", "la_refused"), ==, "1");
  g_assert_cmpstr (csv_value (rows, "escalations", "resolutions.open"), ==, "1");
  g_assert_cmpstr (csv_value (rows, "breaches_by_week", "2026-10-05.total"), ==, "7");
  g_assert_cmpstr (csv_value (rows, "trend", "2026-10.detentions"), ==, "4");
  g_assert_cmpstr (csv_value (rows, "policy", "aa_arrived.breach_after"), ==, "4h");
  g_assert_cmpstr (csv_value (rows, "policy", "cell_visit.enabled"), ==, "false");
  /* Definitions hold commas and come back whole. */
  g_assert_nonnull (strchr (csv_value (rows, "definitions", "summary.overnight"), ','));
  g_assert_cmpstr (csv_value (rows, "definitions", "summary.overnight"), ==, definition (r, "summary.overnight"));

  /* With --cases: the same rows, an empty line, then one row per breach. */
  g_assert_true (g_str_has_prefix (with_cases, text));
  for (guint i = 0; i < all->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (all, i);
      if (row->len == 1 && *(const char *) g_ptr_array_index (row, 0) == '\0')
        {
          blank = i;
          break;
        }
    }
  g_assert_cmpuint (blank, ==, rows->len);
  g_assert_cmpstr (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (all, blank + 1), 0), ==, "record_id");
  g_assert_cmpuint (all->len - blank - 2, ==, 11); /* Swindon's: OCT-02's 7, OCT-07's 2, OCT-08's 2 */
}

/* Quoting, on an object made to need it. */
static void
test_csv_quoting (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"month\":\"2026-10\",\"suite\":\"North, \\\"old\\\" suite\","
                                             "\"summary\":{\"note\":\"two\\r\\nlines\",\"plain\":3,\"none\":null},"
                                             "\"cases\":[{\"record_id\":\"R,1\",\"suite\":\"S\\\"\",\"rule\":\"x\"}]}",
                                             -1, NULL));
  text = cc_report_render_csv (json_node_get_object (json_parser_get_root (parser)), TRUE);
  g_assert_nonnull (strstr (text, "summary,note,\"North, \"\"old\"\" suite\",\"two\r\nlines\"\r\n"));
  rows = csv_parse (text);
  g_assert_cmpstr (csv_value (rows, "summary", "note"), ==, "two\r\nlines");
  g_assert_cmpstr (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, 2), 2), ==, "North, \"old\" suite");
  g_assert_cmpstr (csv_value (rows, "summary", "plain"), ==, "3");
  g_assert_cmpstr (csv_value (rows, "summary", "none"), ==, "");
  /* The cases table: its own header and a row per case. */
  g_assert_cmpstr (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, rows->len - 1), 0), ==, "R,1");
  g_assert_cmpstr (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, rows->len - 1), 1), ==, "S\"");
}

static void
test_json_keys (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autofree char *text = render_json (r);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *back;
  /* report.md's keys, and docs/REPORT.md's order of the top level. */
  const char *keys[] = {
    "month",
    "suite",
    "timezone",
    "summary.children",
    "summary.detentions",
    "summary.overnight",
    "summary.overnight_post_charge",
    "summary.bail_refused",
    "summary.custody_seconds.median",
    "summary.custody_seconds.p90",
    "clocks.aa_arrived.started",
    "clocks.aa_arrived.met",
    "clocks.aa_arrived.met_late",
    "clocks.aa_arrived.breached",
    "clocks.aa_arrived.ended",
    "clocks.aa_arrived.breaches",
    "clocks.aa_arrived.seconds_to_satisfy.median",
    "clocks.aa_arrived.seconds_to_satisfy.p90",
    "rules.interview_without_aa",
    "post_charge.bail_refused",
    "post_charge.requested_secure",
    "post_charge.requested_non_secure",
    "post_charge.transferred",
    "post_charge.certificates",
    "post_charge.court_without_certificate",
    "escalations.raised",
    "escalations.acknowledged",
    "data_quality.late_entries",
    "data_quality.corrections",
    "data_quality.quarantined",
  };
  const char *order[] = { "month", "suite", "timezone", "at", "period", "summary", "suites", "headline", "clocks", "rules",
                          "post_charge", "escalations", "breaches_by_week", "cases", "case_groups", "data_quality", "trend",
                          "definitions", "policy" };
  g_autoptr (GList) members = NULL;
  GList *l;

  g_assert_true (g_str_has_suffix (text, "}\n"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  back = json_node_get_object (json_parser_get_root (parser));
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    node_at (back, keys[i]);
  members = json_object_get_members (back);
  l = members;
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++, l = l->next)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_null (l);
}

static void
test_stamp (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  CcReportOptions options = { "2026-10", NULL, instant (AT), instant ("2026-11-02T09:00:00Z"), FALSE };
  g_autoptr (JsonObject) r = cc_report_build (f->store, f->policy, &options, &error);
  g_autoptr (GList) members = json_object_get_members (r);

  g_assert_no_error (error);
  assert_str (r, "generated_at", "2026-11-02T09:00:00Z");
  g_assert_cmpstr (g_list_nth_data (members, 4), ==, "generated_at");
}

static void
test_md (Fixture      *f,
         gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autofree char *md = cc_report_render_md (r);
  const char      *headings[] = { "# Custody Clock: breach report for 2026-10", "\n## Summary\n", "\n## Headline measures\n",
                                  "\n## Per clock\n", "\n## Post-charge (Concordat principle 7)\n", "\n## Instant rules\n",
                                  "\n## Escalations\n", "\n## Breaches by week\n", "\n## Cases\n", "\n## Data quality\n",
                                  "\n## Trend: the last 12 months\n", "\n## Definitions\n", "\n### Policy in force\n" };
  const char      *previous = md;

  /* In this order. */
  for (gsize i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      const char *at = strstr (previous, headings[i]);
      if (at == NULL)
        g_error ("no %s after the previous heading", headings[i]);
      previous = at;
    }
  g_assert_nonnull (strstr (md, "| Held overnight | 4 |"));
  g_assert_nonnull (strstr (md, "| Detention authorised to appropriate adult's arrival | median 2 h, 90th percentile 6 h (n = 5) |"));
  g_assert_nonnull (strstr (md, "83.3 % (5 of 6)"));
  /* The cases one line per child and clock or rule. */
  g_assert_nonnull (strstr (md, "| OCT-02 | Swindon | la_refused | 1 | Sun 11 Oct 2026 06:00 | — | 0 | superintendent | 1 |"));
  g_assert_nonnull (strstr (md, "*Overnight*: "));
  g_assert_nonnull (strstr (md, "timezone=Europe/London"));
  g_assert_cmpint (cc_test_count_lines (md, "| OCT-"), ==, 13 + 1);
}

/* ---- the command ------------------------------------------------------------ */

static void
test_cli (Fixture      *f,
          gconstpointer data)
{
  g_autoptr (JsonObject) r = build (f, NULL);
  g_autofree char *expected = render_json (r);
  g_autofree char *out = g_build_filename (f->dir, "october.json", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such.db", NULL);
  g_autofree char *policy = g_build_filename (f->dir, "policy.ini", NULL);
  g_autofree char *contents = NULL;
  struct stat      st;

  cc_test_write_file (policy, test_policy);
  g_clear_pointer (&f->store, cc_store_free);

  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", AT, "--format", "json",
                                             "--policy", policy, NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpstr (run->out, ==, expected);
  }
  {
    mode_t old_umask = umask (0);
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", AT, "--format", "json",
                                             "--policy", policy, "-o", out, NULL);
    umask (old_umask);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpstr (run->out, ==, "");
    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, expected);
    g_assert_cmpint (stat (out, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  {
    g_autoptr (CcTestRun) run = NULL;

    /* Overwriting a file another program made readable: still 0600. */
    g_assert_cmpint (g_chmod (out, 0644), ==, 0);
    run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", AT, "--format", "md", "--policy", policy,
                       "--output", out, NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpint (stat (out, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", AT, "--format", "csv",
                                             "--cases", "--suite", "Melksham", "--policy", policy, NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_true (g_str_has_prefix (run->out, "section,measure,suite,value\r\n"));
    g_assert_nonnull (strstr (run->out, "\r\n\r\nrecord_id,suite,rule,"));
    g_assert_nonnull (strstr (run->out, "summary,detentions,Melksham,2\r\n"));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", AT, "--stamp",
                                             "--format", "json", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "\"generated_at\""));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", AT, "--format", "html",
                                             NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpuint (strlen (run->out), >, 0);
  }
  /* Usage errors name the value; a missing database is 66. */
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-13", NULL);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "2026-13"));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "October", NULL);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "October"));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", NULL);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "--month"));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--format", "pdf", NULL);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "pdf"));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (f->db, NULL, "report", "--month", "2026-10", "--at", "yesterday", NULL);
    g_assert_cmpint (run->status, ==, 2);
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (missing, NULL, "report", "--month", "2026-10", NULL);
    g_assert_cmpint (run->status, ==, 66);
    g_assert_nonnull (strstr (run->err, missing));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (NULL, NULL, "report", "--help", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "--month"));
  }
}

/* Events after the child left are no input to any figure, as to no clock
 * (clocks.md, "Events after close"): a local-authority response and a
 * visit without the child's voice keyed after release count for nothing
 * and are counted as data quality, with the engine's other findings. */
static void
test_after_close (Fixture      *f,
                  gconstpointer data)
{
  const char *lines[] = {
    "{\"event_id\":\"x1\",\"record_id\":\"AFT-1\",\"type\":\"arrival\",\"occurred_at\":\"2026-10-03T10:00:00Z\","
    "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-A\",\"dob\":\"2010-01-17\"}}",
    "{\"event_id\":\"x2\",\"record_id\":\"AFT-1\",\"type\":\"detention_authorised\",\"occurred_at\":\"2026-10-03T10:00:00Z\"}",
    "{\"event_id\":\"x3\",\"record_id\":\"AFT-1\",\"type\":\"rest_started\",\"occurred_at\":\"2026-10-03T10:30:00Z\"}",
    "{\"event_id\":\"x4\",\"record_id\":\"AFT-1\",\"type\":\"rest_started\",\"occurred_at\":\"2026-10-03T10:40:00Z\"}",
    "{\"event_id\":\"x5\",\"record_id\":\"AFT-1\",\"type\":\"released\",\"occurred_at\":\"2026-10-03T12:00:00Z\"}",
    "{\"event_id\":\"x6\",\"record_id\":\"AFT-1\",\"type\":\"la_response\",\"occurred_at\":\"2026-10-03T13:00:00Z\","
    "\"data\":{\"outcome\":\"refused\"}}",
    "{\"event_id\":\"x7\",\"record_id\":\"AFT-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2026-10-03T13:30:00Z\","
    "\"data\":{\"voice_recorded\":false}}",
  };
  g_autoptr (CcImporter) importer = cc_importer_new (f->store, "after.jsonl", instant ("2026-11-10T00:00:00Z"));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) r = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_assert_true (cc_importer_import_line (importer, lines[i], strlen (lines[i]), &error));
      g_assert_no_error (error);
    }
  g_assert_true (cc_importer_finish (importer, &error));
  g_assert_no_error (error);

  r = build (f, NULL);
  assert_int (r, "summary.detentions", 1);
  assert_int (r, "post_charge.responses.refused", 0);
  assert_int (r, "data_quality.cell_visits_without_voice", 0);
  assert_int (r, "data_quality.events_after_close", 2);
  assert_int (r, "data_quality.rest_started_twice", 1);
  assert_int (r, "data_quality.hospital_left_twice", 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_EMPTY(path, func) g_test_add (path, Fixture, "empty", fixture_set_up, func, fixture_tear_down)
  ADD ("/report/header", test_header);
  ADD ("/report/summary", test_summary);
  ADD ("/report/headline", test_headline);
  ADD ("/report/clocks", test_clocks);
  ADD ("/report/rules", test_rules);
  ADD ("/report/post-charge", test_post_charge);
  ADD ("/report/escalations", test_escalations);
  ADD ("/report/resolution-policy-changed", test_resolution_policy_changed);
  ADD ("/report/cases", test_cases);
  ADD ("/report/weeks", test_weeks);
  ADD ("/report/data-quality", test_data_quality);
  ADD_EMPTY ("/report/after-close", test_after_close);
  ADD ("/report/trend", test_trend);
  ADD ("/report/definitions", test_definitions);
  ADD ("/report/definition-terms", test_definition_terms);
  ADD ("/report/suite", test_suite);
  ADD ("/report/suites", test_suites);
  ADD ("/report/resolve-suite", test_resolve_suite);
  ADD_EMPTY ("/report/recurring", test_recurring);
  ADD_EMPTY ("/report/empty", test_empty);
  g_test_add_func ("/report/month-syntax", test_month_syntax);
  ADD ("/report/private", test_private);
  ADD ("/report/deterministic", test_deterministic);
  ADD ("/report/cache", test_cache);
  ADD ("/report/summaries", test_summaries);
  ADD ("/report/figures", test_figures);
  ADD ("/report/digest-languages", test_digest_languages);
  ADD ("/report/threads", test_threads);
  ADD ("/report/csv", test_csv);
  g_test_add_func ("/report/csv-quoting", test_csv_quoting);
  ADD ("/report/json-keys", test_json_keys);
  ADD ("/report/stamp", test_stamp);
  ADD ("/report/md", test_md);
  ADD ("/report/cli", test_cli);
  return g_test_run ();
}
