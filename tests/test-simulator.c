/* test-simulator.c: the custody simulator
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The figures checked here are those docs/SIMULATOR.md gives, with the
 * tolerances it states; change them together.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "cc-engine.h"
#include "cc-ledger.h"
#include "cc-simulator.h"
#include "cc-store.h"
#include "cc-test-util.h"

#define START 1736121600 /* 2025-01-06T00:00:00Z, a Monday, midnight in London */
#define FAR_FUTURE (START + (CcInstant) 20 * 365 * CC_DAY)

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = cc_test_tmpdir ();
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
options_for (CcSimulatorOptions *options,
             guint64             seed,
             guint               n_records)
{
  cc_simulator_options_init (options);
  options->seed = seed;
  options->n_records = n_records;
  options->start = START;
}

/* Simulates into a new database file in @dir. */
static CcStore *
simulate (const char               *dir,
          const char               *name,
          const CcSimulatorOptions *options,
          CcSimulatorStats         *out_stats)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcSimulator) sim = cc_simulator_new (options);
  CcStore *store = cc_store_open (path, CC_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_true (cc_simulator_write (sim, store, &error));
  g_assert_no_error (error);
  if (out_stats != NULL)
    *out_stats = *cc_simulator_get_stats (sim);
  return store;
}

static void
checksum_text (GChecksum  *checksum,
               const char *text)
{
  /* NULL and "" must not look alike. */
  if (text == NULL)
    g_checksum_update (checksum, (const guchar *) "\1", 1);
  else
    g_checksum_update (checksum, (const guchar *) text, strlen (text) + 1);
}

static gboolean
checksum_row (const CcStoreRow *row,
              gpointer          user_data,
              GError          **error)
{
  GChecksum *checksum = user_data;
  char       seq[32];

  g_snprintf (seq, sizeof seq, "%" G_GINT64_FORMAT, row->seq);
  checksum_text (checksum, seq);
  checksum_text (checksum, row->event_id);
  checksum_text (checksum, row->record_id);
  checksum_text (checksum, row->type);
  checksum_text (checksum, row->occurred_at);
  checksum_text (checksum, row->recorded_at);
  checksum_text (checksum, row->officer);
  checksum_text (checksum, row->data);
  checksum_text (checksum, row->supersedes);
  return TRUE;
}

/* Every column of every row, in seq order. */
static char *
table_checksum (CcStore *store)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_store_foreach_event_row (store, 0, NULL, checksum_row, checksum, &error));
  g_assert_no_error (error);
  return g_strdup (g_checksum_get_string (checksum));
}

static CcLedger *
load_ledger (CcStore *store)
{
  g_autoptr (GError) error = NULL;
  CcLedger *ledger = cc_ledger_new ();

  g_assert_true (cc_ledger_load (ledger, store, FAR_FUTURE, &error));
  g_assert_no_error (error);
  return ledger;
}

static void
test_deterministic (Fixture      *f,
                    gconstpointer data)
{
  CcSimulatorOptions options;
  CcSimulatorStats   stats_a, stats_b;
  g_autoptr (CcStore) a = NULL;
  g_autoptr (CcStore) b = NULL;
  g_autoptr (CcStore) c = NULL;
  g_autofree char *sum_a = NULL;
  g_autofree char *sum_b = NULL;
  g_autofree char *sum_c = NULL;

  options_for (&options, 42, 300);
  options.n_suites = 3;
  options.adults_ratio = 0.2;
  a = simulate (f->dir, "a.db", &options, &stats_a);
  b = simulate (f->dir, "b.db", &options, &stats_b);
  sum_a = table_checksum (a);
  sum_b = table_checksum (b);
  g_assert_cmpstr (sum_a, ==, sum_b);
  g_assert_cmpuint (stats_a.rows, ==, stats_b.rows);
  g_assert_cmpuint (stats_a.records, ==, 300);
  g_assert_cmpuint (stats_a.rows, >, 300 * 20);
  g_assert_cmpuint (stats_a.inserted, ==, stats_a.rows);

  options.seed = 43;
  c = simulate (f->dir, "c.db", &options, NULL);
  sum_c = table_checksum (c);
  g_assert_cmpstr (sum_a, !=, sum_c);
}

/* cc_simulator_next_record(): rows lent until the next call, sorted by
 * occurred_at, the same as cc_simulator_write() puts in the table (there
 * in the order they were keyed). */
static void
test_next_record (void)
{
  CcSimulatorOptions options;
  g_autoptr (CcSimulator) sim = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_records = 0;

  options_for (&options, 7, 50);
  options.bad_row_every = 0;
  sim = cc_simulator_new (&options);
  while (cc_simulator_next_record (sim, rows))
    {
      CcInstant        previous = G_MININT64;
      g_autofree char *prefix = NULL;

      n_records++;
      g_assert_cmpuint (rows->len, >, 5);
      g_assert_cmpstr (((CcStoreRow *) g_ptr_array_index (rows, 0))->type, ==, "arrival");
      prefix = g_strdup_printf ("sim-7-%07u-", n_records);
      for (guint i = 0; i < rows->len; i++)
        {
          const CcStoreRow *row = g_ptr_array_index (rows, i);
          CcInstant         at;
          g_autoptr (GError) error = NULL;

          g_assert_cmpint (row->seq, ==, 0);
          g_assert_true (g_str_has_prefix (row->event_id, prefix));
          g_assert_true (cc_time_parse (row->occurred_at, NULL, &at, &error));
          g_assert_no_error (error);
          g_assert_cmpint (at, >=, previous);
          previous = at;
          g_assert_true (g_hash_table_add (ids, g_strdup (row->event_id)));
          /* Pseudonymous: no AA is ever named. */
          if (g_str_equal (row->type, "aa_arrived") || g_str_equal (row->type, "aa_left"))
            g_assert_null (strstr (row->data, "name"));
        }
      g_ptr_array_set_size (rows, 0);
    }
  g_assert_cmpuint (n_records, ==, 50);
  g_assert_false (cc_simulator_next_record (sim, rows));
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpuint (cc_simulator_get_stats (sim)->bad_rows, ==, 0);
}

typedef struct
{
  CcInstant not_after;
  guint     rows;
  guint     late;
} BoundData;

static gboolean
check_bound (const CcStoreRow *row,
             gpointer          user_data,
             GError          **error)
{
  BoundData *bound = user_data;
  g_autoptr (GTimeZone) london = cc_time_zone_new (CC_DEFAULT_TIMEZONE, NULL);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  CcInstant occurred, recorded;

  /* Bad rows may lack an offset: read those as London time. */
  g_assert_true (cc_time_parse (row->occurred_at, london, &occurred, NULL));
  g_assert_true (cc_time_parse (row->recorded_at, utc, &recorded, NULL));
  g_assert_cmpint (occurred, <=, bound->not_after);
  g_assert_cmpint (recorded, <=, bound->not_after);
  g_assert_cmpint (recorded, >=, occurred);
  if (recorded - occurred > 15 * CC_MINUTE)
    bound->late++;
  bound->rows++;
  return TRUE;
}

static gboolean
copy_row_texts (const CcStoreRow *row,
                gpointer          user_data,
                GError          **error)
{
  GHashTable *texts = user_data;

  g_hash_table_insert (texts, g_strdup (row->event_id),
                       g_strjoin ("|", row->record_id, row->type, row->occurred_at, row->recorded_at,
                                  row->officer, row->data, row->supersedes ? row->supersedes : "-", NULL));
  return TRUE;
}

/* Nothing after not_after; records in progress stay open; a later
 * not_after writes the same rows and more (a live log, later). */
static void
test_not_after (Fixture      *f,
                gconstpointer data)
{
  CcSimulatorOptions options;
  CcSimulatorStats   stats, later_stats;
  BoundData          bound = { 0 };
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcStore) later = NULL;
  g_autoptr (CcLedger) ledger = NULL;
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GHashTable) first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) second = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  gpointer       key, value;
  guint          open = 0;

  options_for (&options, 9, 1000);
  options.not_after = START + 3 * CC_DAY + 5 * CC_HOUR;
  store = simulate (f->dir, "a.db", &options, &stats);
  g_assert_cmpuint (stats.records, <, 1000);
  g_assert_cmpuint (stats.records, >, 300);
  g_assert_cmpuint (stats.open_records, >, 0);

  bound.not_after = options.not_after;
  g_assert_true (cc_store_foreach_event_row (store, 0, NULL, check_bound, &bound, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bound.rows, ==, stats.rows);
  g_assert_cmpuint (bound.late, ==, stats.late_entries);
  g_assert_cmpuint (bound.late, >, 0);

  ledger = load_ledger (store);
  ids = cc_ledger_get_record_ids (ledger);
  g_assert_cmpuint (ids->len, ==, stats.records);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (CcEvaluation) ev = cc_engine_evaluate (cc_ledger_get_record (ledger, g_ptr_array_index (ids, i)),
                                                        policy, options.not_after);
      open += cc_evaluation_is_open (ev);
    }
  g_assert_cmpuint (open, ==, stats.open_records);

  /* A day later: every row already written is written again unchanged. */
  options.not_after += CC_DAY;
  later = simulate (f->dir, "b.db", &options, &later_stats);
  g_assert_cmpuint (later_stats.rows, >, stats.rows);
  g_assert_true (cc_store_foreach_event_row (store, 0, NULL, copy_row_texts, first, &error));
  g_assert_true (cc_store_foreach_event_row (later, 0, NULL, copy_row_texts, second, &error));
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==, g_hash_table_lookup (second, key));
}

typedef struct
{
  char      child[32];
  CcInstant arrived;
  CcInstant closed;
} Stay;

static int
compare_stays (gconstpointer a,
               gconstpointer b)
{
  const Stay *sa = *(const Stay *const *) a, *sb = *(const Stay *const *) b;
  int         c = strcmp (sa->child, sb->child);

  if (c != 0)
    return c;
  return sa->arrived < sb->arrived ? -1 : (sa->arrived > sb->arrived ? 1 : 0);
}

static const char *const expected_bad_codes[] = {
  "unknown_type", "invalid_json", "cross_record", "no_offset", "wrong_type", "missing_field", NULL
};

/* The project's own readers accept every row but the deliberately bad
 * ones, and quarantine exactly those. */
static void
test_ledger_accepts (Fixture      *f,
                     gconstpointer data)
{
  CcSimulatorOptions options;
  CcSimulatorStats   stats;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcLedger) ledger = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  g_autoptr (GPtrArray) stays = g_ptr_array_new_with_free_func (g_free);
  guint corrections = 0, voids = 0, cross = 0, children = 0, repeats = 0;

  options_for (&options, 5, 500);
  store = simulate (f->dir, "a.db", &options, &stats);
  g_assert_cmpuint (stats.records, ==, 500);
  /* About one in 5,000 rows (docs/SIMULATOR.md). */
  g_assert_cmpuint (stats.bad_rows, >=, 1);
  g_assert_cmpuint (stats.bad_rows, >=, (stats.rows - stats.bad_rows) / CC_SIMULATOR_DEFAULT_BAD_ROW_EVERY);
  g_assert_cmpuint (stats.bad_rows, <=, (stats.rows - stats.bad_rows) / CC_SIMULATOR_DEFAULT_BAD_ROW_EVERY + 1);

  ledger = load_ledger (store);
  problems = cc_ledger_get_problems (ledger);
  g_assert_cmpuint (problems->len, ==, stats.bad_rows);
  for (guint i = 0; i < problems->len; i++)
    {
      CcLedgerProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("bad row %" G_GINT64_FORMAT ": %s", problem->seq, problem->reason);
      g_assert_true (g_strv_contains (expected_bad_codes, cc_event_error_code_name (problem->code)));
      cross += problem->code == CC_EVENT_ERROR_CROSS_RECORD;
    }
  pending = cc_ledger_get_pending (ledger);
  g_assert_cmpuint (pending->len, ==, 0);

  ids = cc_ledger_get_record_ids (ledger);
  g_assert_cmpuint (ids->len, ==, 500);
  for (guint i = 0; i < ids->len; i++)
    {
      const CcRecord *record = cc_ledger_get_record (ledger, g_ptr_array_index (ids, i));
      g_autoptr (CcEvaluation) ev = NULL;

      g_assert_nonnull (record->arrival);
      corrections += record->n_corrections;
      voids += record->n_voids;
      ev = cc_engine_evaluate (record, policy, FAR_FUTURE);
      g_assert_true (ev->monitored);
      g_assert_false (ev->age_unknown);
      g_assert_false (cc_evaluation_is_open (ev));
      {
        Stay *stay = g_new0 (Stay, 1);
        g_strlcpy (stay->child, ev->child, sizeof stay->child);
        stay->arrived = ev->arrived_at;
        stay->closed = ev->closed_at;
        g_ptr_array_add (stays, stay);
      }
      if (ev->age_at_arrival >= 0)
        {
          g_assert_cmpint (ev->age_at_arrival, >=, 10);
          g_assert_cmpint (ev->age_at_arrival, <=, 17);
          children++;
        }
    }
  /* Nearly every child has a date of birth; the others appear under 18. */
  g_assert_cmpuint (children, >=, 480);

  /* Some children come back, but never while still in a cell. */
  g_ptr_array_sort (stays, compare_stays);
  for (guint i = 1; i < stays->len; i++)
    {
      const Stay *a = g_ptr_array_index (stays, i - 1), *b = g_ptr_array_index (stays, i);
      if (g_str_equal (a->child, b->child))
        {
          g_assert_cmpint (b->arrived, >, a->closed);
          repeats++;
        }
    }
  g_assert_cmpuint (repeats, >, 5);
  g_assert_cmpuint (corrections, ==, stats.corrections + cross);
  g_assert_cmpuint (voids, >=, stats.voids);
  g_assert_cmpuint (stats.corrections, >, 0);
  g_assert_cmpuint (stats.voids, >, 0);
}

/* Adults at the requested share, and no clock runs for them. */
static void
test_adults (Fixture      *f,
             gconstpointer data)
{
  CcSimulatorOptions options;
  CcSimulatorStats   stats;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcLedger) ledger = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  guint unmonitored = 0;

  options_for (&options, 13, 700);
  options.adults_ratio = 0.3;
  store = simulate (f->dir, "a.db", &options, &stats);
  g_assert_cmpuint (stats.adult_records + stats.child_records, ==, 700);
  g_assert_cmpfloat_with_epsilon (stats.adult_records / 700.0, 0.3, 0.05);

  ledger = load_ledger (store);
  ids = cc_ledger_get_record_ids (ledger);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (CcEvaluation) ev = cc_engine_evaluate (cc_ledger_get_record (ledger, g_ptr_array_index (ids, i)),
                                                        policy, FAR_FUTURE);
      if (!ev->monitored)
        {
          unmonitored++;
          g_assert_cmpint (ev->age_at_arrival, >=, 18);
          g_assert_cmpuint (ev->breaches->len, ==, 0);
        }
    }
  g_assert_cmpuint (unmonitored, ==, stats.adult_records);
}

typedef struct
{
  guint records;
  guint aa_arrived;
  guint aa_within_2h;
  guint aa_over_6h;
  guint aa_over_11h;
  guint closed;
  guint overnight;
  guint charged;
  guint bail_refused;
  guint transferred;
  guint left_for_court;
  guint hcp_seen;
  guint strip_searched;
  guint cp_referral;
  guint reviews;
  guint reviews_on_time;
} Shares;

static CcInstant
local_time (GTimeZone *tz,
            GDate     *day,
            int        hour)
{
  g_autoptr (GDateTime) dt = g_date_time_new (tz, g_date_get_year (day), g_date_get_month (day),
                                              g_date_get_day (day), hour, 0, 0);
  return g_date_time_to_unix (dt);
}

/* report.md: 4 or more consecutive hours between 00:00 and 08:00 local. */
static gboolean
held_overnight (GTimeZone *tz,
                CcInstant  from,
                CcInstant  to)
{
  g_autoptr (GDateTime) start = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (start, tz);
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  for (;;)
    {
      CcInstant night = local_time (tz, &day, 0), morning = local_time (tz, &day, 8);

      if (night > to)
        return FALSE;
      if (MIN (to, morning) - MAX (from, night) >= 4 * CC_HOUR)
        return TRUE;
      g_date_add_days (&day, 1);
    }
}

static void
measure (CcLedger *ledger,
         Shares   *s)
{
  g_autoptr (GPtrArray) ids = cc_ledger_get_record_ids (ledger);
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  g_autoptr (GTimeZone) tz = cc_time_zone_new (CC_DEFAULT_TIMEZONE, NULL);

  g_assert_nonnull (tz);
  for (guint i = 0; i < ids->len; i++)
    {
      const CcRecord *record = cc_ledger_get_record (ledger, g_ptr_array_index (ids, i));
      g_autoptr (CcEvaluation) ev = cc_engine_evaluate (record, policy, FAR_FUTURE);
      const CcClockResult *aa = &ev->clocks[CC_CLOCK_AA_ARRIVED];
      const CcClockResult *review = &ev->clocks[CC_CLOCK_REVIEW];

      s->records++;
      if (aa->current.satisfied_at != CC_INSTANT_NONE)
        {
          gint64 wait = aa->current.satisfied_at - aa->current.started_at;
          s->aa_arrived++;
          s->aa_within_2h += wait <= 2 * CC_HOUR;
          s->aa_over_6h += wait > 6 * CC_HOUR;
          s->aa_over_11h += wait > 11 * CC_HOUR;
        }
      for (guint k = 0; k < review->occurrences->len; k++)
        {
          CcOccurrence *o = &g_array_index (review->occurrences, CcOccurrence, k);
          if (o->state == CC_STATE_ENDED)
            continue;
          s->reviews++;
          s->reviews_on_time += o->state == CC_STATE_MET;
        }
      if (ev->closed_at != CC_INSTANT_NONE)
        {
          s->closed++;
          s->overnight += held_overnight (tz, ev->arrived_at, ev->closed_at);
          s->transferred += ev->closed_by == CC_EVENT_TRANSFERRED_TO_LA;
          s->left_for_court += ev->closed_by == CC_EVENT_LEFT_FOR_COURT;
        }
      s->charged += ev->charged_at != CC_INSTANT_NONE;
      s->bail_refused += ev->bail_refused_at != CC_INSTANT_NONE;
      for (guint k = 0; k < record->events->len; k++)
        {
          CcEvent *e = g_ptr_array_index (record->events, k);
          if (e->type == CC_EVENT_HCP_SEEN)
            {
              s->hcp_seen++;
              break;
            }
        }
      for (guint k = 0; k < record->events->len; k++)
        {
          CcEvent *e = g_ptr_array_index (record->events, k);
          s->strip_searched += e->type == CC_EVENT_STRIP_SEARCH;
          s->cp_referral += e->type == CC_EVENT_CP_REFERRAL;
        }
    }
}

#define assert_share(what, part, whole, expected, tolerance)                                         \
  G_STMT_START                                                                                       \
  {                                                                                                  \
    double share_ = (double) (part) / (whole);                                                       \
    g_test_message ("%s: %.3f (docs/SIMULATOR.md: %.3f ± %.3f)", what, share_, expected, tolerance); \
    g_assert_cmpfloat (share_, >=, (expected) - (tolerance));                                        \
    g_assert_cmpfloat (share_, <=, (expected) + (tolerance));                                        \
  }                                                                                                  \
  G_STMT_END

/* The figures docs/SIMULATOR.md promises, with its tolerances. */
static void
test_distributions (Fixture      *f,
                    gconstpointer data)
{
  CcSimulatorOptions options;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcLedger) ledger = NULL;
  Shares s = { 0 };

  /* 1,500 records: enough for the tolerances, and the process stays under
   * 2,048 quarks.  The ledger interns record numbers, and when GLib's quark
   * table outgrows its first block it drops that block for good, which
   * LeakSanitizer reports under --setup=asan.  Record numbers repeat from
   * test to test (one suite, same dates), so the other tests add few. */
  options_for (&options, 11, 1500);
  store = simulate (f->dir, "a.db", &options, NULL);
  ledger = load_ledger (store);
  measure (ledger, &s);

  g_assert_cmpuint (s.records, ==, 1500);
  g_assert_cmpuint (s.closed, ==, 1500);
  assert_share ("AA arrived (of children)", s.aa_arrived, s.records, 0.98, 0.015);
  assert_share ("AA within 2 h of authorisation", s.aa_within_2h, s.aa_arrived, 0.65, 0.05);
  assert_share ("AA after more than 6 h", s.aa_over_6h, s.aa_arrived, 0.055, 0.025);
  g_assert_cmpuint (s.aa_over_11h, >, 0);
  assert_share ("held overnight", s.overnight, s.closed, 0.35, 0.05);
  assert_share ("charged", s.charged, s.records, 0.215, 0.04);
  assert_share ("charged and refused bail", s.bail_refused, s.records, 0.07, 0.025);
  assert_share ("transferred to the local authority (of bail refused)", s.transferred, s.bail_refused, 0.07, 0.06);
  assert_share ("to court from the cell (of bail refused)", s.left_for_court, s.bail_refused, 0.93, 0.06);
  assert_share ("seen by healthcare", s.hcp_seen, s.records, 0.74, 0.04);
  assert_share ("strip searched", s.strip_searched, s.records, 0.045, 0.02);
  assert_share ("child-protection referral", s.cp_referral, s.records, 0.80, 0.04);
  assert_share ("reviews on time", s.reviews_on_time, s.reviews, 0.85, 0.04);
}

static gboolean
first_and_last (const CcStoreRow *row,
                gpointer          user_data,
                GError          **error)
{
  CcInstant *range = user_data;
  CcInstant  at;

  if (g_strcmp0 (row->type, "arrival") != 0 || !cc_time_parse (row->occurred_at, NULL, &at, NULL))
    return TRUE;
  range[0] = MIN (range[0], at);
  range[1] = MAX (range[1], at);
  return TRUE;
}

/* Calls @func on every row of the simulation, without a database. */
static void
foreach_simulated_row (const CcSimulatorOptions *options,
                       CcStoreRowFunc            func,
                       gpointer                  user_data)
{
  g_autoptr (CcSimulator) sim = cc_simulator_new (options);
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  while (cc_simulator_next_record (sim, rows))
    {
      for (guint i = 0; i < rows->len; i++)
        g_assert_true (func (g_ptr_array_index (rows, i), user_data, NULL));
      g_ptr_array_set_size (rows, 0);
    }
}

static void
test_per_day (void)
{
  static const double rates[] = { 12, 170 };

  for (gsize i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      CcSimulatorOptions options;
      CcInstant          range[2] = { G_MAXINT64, G_MININT64 };
      double             days, rate;

      options_for (&options, 17, 840);
      options.per_day = rates[i];
      options.bad_row_every = 0;
      foreach_simulated_row (&options, first_and_last, range);
      g_assert_cmpint (range[0], >=, START);
      days = (range[1] - START) / (double) CC_DAY;
      rate = 840 / days;
      g_test_message ("asked for %.0f a day, got %.1f", rates[i], rate);
      g_assert_cmpfloat_with_epsilon (rate / rates[i], 1.0, 0.10);
    }
}

typedef struct
{
  GTimeZone *london;
  guint      by_hour[24];
  guint      local_style;
  guint      utc_style;
} TimesData;

static gboolean
check_times (const CcStoreRow *row,
             gpointer          user_data,
             GError          **error)
{
  TimesData *t = user_data;
  CcInstant  at;
  gsize      len = strlen (row->occurred_at);
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (!cc_time_parse (row->occurred_at, NULL, &at, NULL))
    return TRUE; /* a bad row without an offset */
  utc = g_date_time_new_from_unix_utc (at);
  local = g_date_time_to_timezone (utc, t->london);
  if (g_str_has_suffix (row->occurred_at, "Z"))
    t->utc_style++;
  else
    {
      /* The offset written is London's at that instant. */
      const char *offset = g_date_time_get_utc_offset (local) != 0 ? "+01:00" : "+00:00";
      g_assert_cmpstr (row->occurred_at + len - 6, ==, offset);
      t->local_style++;
    }
  if (g_str_equal (row->type, "arrival"))
    t->by_hour[g_date_time_get_hour (local)]++;
  return TRUE;
}

/* Offsets consistent with Europe/London across both clock changes, and
 * more arrivals in the afternoon and evening than in the small hours. */
/* Offsets consistent with Europe/London across both clock changes, and
 * more arrivals in the afternoon and evening than in the small hours. */
static void
test_times (void)
{
  CcSimulatorOptions options;
  g_autoptr (GTimeZone) london = cc_time_zone_new (CC_DEFAULT_TIMEZONE, NULL);
  TimesData t = { london };
  guint     small_hours = 0, evening = 0;

  options_for (&options, 21, 1500);
  options.per_day = 5; /* 300 days: March and October */
  options.n_suites = 2;
  foreach_simulated_row (&options, check_times, &t);
  g_assert_cmpuint (t.local_style, >, 0);
  g_assert_cmpuint (t.utc_style, >, 0);
  for (int h = 2; h < 6; h++)
    small_hours += t.by_hour[h];
  for (int h = 15; h < 19; h++)
    evening += t.by_hour[h];
  g_test_message ("arrivals 02-06: %u, 15-19: %u", small_hours, evening);
  g_assert_cmpuint (evening, >, 4 * small_hours);
}

static void
test_options_check (void)
{
  CcSimulatorOptions options;
  g_autoptr (GError) error = NULL;

  cc_simulator_options_init (&options);
  g_assert_true (cc_simulator_options_check (&options, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (options.per_day, ==, 170.0);
  g_assert_cmpuint (options.n_suites, ==, 1);

  options.adults_ratio = 1.5;
  g_assert_false (cc_simulator_options_check (&options, &error));
  g_assert_error (error, CC_SIMULATOR_ERROR, CC_SIMULATOR_ERROR_INVALID_OPTIONS);
  g_assert_nonnull (strstr (error->message, "--adults-ratio"));
  g_clear_error (&error);

  options.adults_ratio = 0;
  options.n_suites = 0;
  g_assert_false (cc_simulator_options_check (&options, &error));
  g_assert_nonnull (strstr (error->message, "--suites"));
  g_clear_error (&error);

  options.n_suites = 1;
  options.per_day = 0;
  g_assert_false (cc_simulator_options_check (&options, &error));
  g_assert_nonnull (strstr (error->message, "--per-day"));
}

/* The real command: the same rows as the library, mode 0600, and an
 * existing log refused without --append. */
static void
test_cli (Fixture      *f,
          gconstpointer data)
{
  const char      *bin = g_getenv ("CUSTODY_CLOCK_BIN");
  g_autofree char *path = g_build_filename (f->dir, "cli.db", NULL);
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (CcStore) cli_store = NULL;
  g_autoptr (CcStore) lib_store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char   *cli_sum = NULL;
  g_autofree char   *lib_sum = NULL;
  CcSimulatorOptions options;
  struct stat        st;

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("CUSTODY_CLOCK_BIN is not set to the custody-clock binary");
      return;
    }

  run = cc_test_cli (path, NULL, "simulate", "--records", "120", "--start", "2025-01-06", "--seed", "77",
                     "--suites", "2", "--adults-ratio", "0.1", "--per-day", "40",
                     "--not-after", "2025-01-08T12:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "records ("));
  g_assert_nonnull (strstr (run->out, "events"));
  g_assert_nonnull (strstr (run->out, "bad rows"));
  g_assert_nonnull (strstr (run->err, "Only ")); /* 120 records do not fit before 8 January noon */
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  options_for (&options, 77, 120);
  options.n_suites = 2;
  options.adults_ratio = 0.1;
  options.per_day = 40;
  g_assert_true (cc_time_parse ("2025-01-08T12:00:00Z", NULL, &options.not_after, NULL));
  lib_store = simulate (f->dir, "lib.db", &options, NULL);
  cli_store = cc_store_open (path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  cli_sum = table_checksum (cli_store);
  lib_sum = table_checksum (lib_store);
  g_assert_cmpstr (cli_sum, ==, lib_sum);
  g_clear_pointer (&cli_store, cc_store_free);

  /* A log with events in it is not written into by accident. */
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (path, NULL, "simulate", "--records", "10", "--start", "2025-01-06",
                     "--not-after", "2025-01-08T12:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, path));
  g_assert_nonnull (strstr (run->err, "--append"));

  /* With --append, the same rows again change nothing. */
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (path, NULL, "simulate", "--records", "120", "--start", "2025-01-06", "--seed", "77",
                     "--suites", "2", "--adults-ratio", "0.1", "--per-day", "40",
                     "--not-after", "2025-01-08T12:00:00Z", "--append", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "already in the log"));
  cli_store = cc_store_open (path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&cli_sum, g_free);
  cli_sum = table_checksum (cli_store);
  g_assert_cmpstr (cli_sum, ==, lib_sum);

  /* Usage errors name the option. */
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (path, NULL, "simulate", "--start", "2025-01-06", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "--records"));
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (path, NULL, "simulate", "--records", "5", "--start", "2025-01-06", "--adults-ratio", "2", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "--adults-ratio"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/simulator/deterministic", Fixture, NULL, fixture_set_up, test_deterministic, fixture_tear_down);
  g_test_add_func ("/simulator/next-record", test_next_record);
  g_test_add ("/simulator/not-after", Fixture, NULL, fixture_set_up, test_not_after, fixture_tear_down);
  g_test_add ("/simulator/ledger-accepts", Fixture, NULL, fixture_set_up, test_ledger_accepts, fixture_tear_down);
  g_test_add ("/simulator/adults", Fixture, NULL, fixture_set_up, test_adults, fixture_tear_down);
  g_test_add ("/simulator/distributions", Fixture, NULL, fixture_set_up, test_distributions, fixture_tear_down);
  g_test_add_func ("/simulator/per-day", test_per_day);
  g_test_add_func ("/simulator/times", test_times);
  g_test_add_func ("/simulator/options-check", test_options_check);
  g_test_add ("/simulator/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
