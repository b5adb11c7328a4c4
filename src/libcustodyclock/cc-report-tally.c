/* cc-report-tally.c: what a month's records add up to
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The Tally: every figure of the report's own month, counted from the
 * engine's evaluation of each record (and the record's own events where
 * the figure is a count of events, not a clock: no clock is computed a
 * second way here).  One record is tallied alone (tally_record()), and
 * tallies are added up (tally_merge()): a share of the month read on a
 * thread, or a settled record's kept figures (cc-report-figures.c), both
 * count the same way.  Every counter has a number (tally_counter()), so
 * that adding up and the kept figures cannot leave one out.
 *
 * Also the statistics the sections take of the tally's values: medians
 * and 90th percentiles by the nearest rank, one way for every figure.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-report-private.h"

#define NIGHT_END_HOUR 8
#define OVERNIGHT_MIN (4 * CC_HOUR)

/* ---- statistics -------------------------------------------------------- */

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The nearest-rank percentile of @sorted (not empty): the value at rank
 * ⌈p·n/100⌉. */
static gint64
nearest_rank (GArray *sorted,
              guint   p)
{
  guint64 n = sorted->len;
  guint64 rank = (p * n + 99) / 100;

  return g_array_index (sorted, gint64, MAX (rank, 1) - 1);
}

void
values_add (GArray *values,
            gint64  value)
{
  g_array_append_val (values, value);
}

GArray *
values_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* {"median", "p90", "n"}: nulls for an empty set. */
void
add_stat (CcJsonWriter *b,
          const char   *name,
          GArray       *values)
{
  g_array_sort (values, compare_int64);
  cc_json_writer_set_member_name (b, name);
  cc_json_writer_begin_object (b);
  cc_json_writer_set_member_name (b, "median");
  if (values->len > 0)
    cc_json_writer_add_int (b, nearest_rank (values, 50));
  else
    cc_json_writer_add_null (b);
  cc_json_writer_set_member_name (b, "p90");
  if (values->len > 0)
    cc_json_writer_add_int (b, nearest_rank (values, 90));
  else
    cc_json_writer_add_null (b);
  cc_json_writer_set_member_name (b, "n");
  cc_json_writer_add_int (b, values->len);
  cc_json_writer_end_object (b);
}

gboolean
median_of (GArray *values,
           gint64 *out_median)
{
  if (values->len == 0)
    return FALSE;
  g_array_sort (values, compare_int64);
  *out_median = nearest_rank (values, 50);
  return TRUE;
}

/* ---- the tally of one month ------------------------------------------- */

const AaBin aa_bins[] = {
  /* Translators: bands of the time a child waited for an appropriate adult
   * ("h" is hours) */
  { "lt1h", NC_ ("AA arrival band", "under 1 h"), 0, CC_HOUR },
  { "1h_2h", NC_ ("AA arrival band", "1–2 h"), CC_HOUR, 2 * CC_HOUR },
  { "2h_4h", NC_ ("AA arrival band", "2–4 h"), 2 * CC_HOUR, 4 * CC_HOUR },
  { "4h_6h", NC_ ("AA arrival band", "4–6 h"), 4 * CC_HOUR, 6 * CC_HOUR },
  { "6h_12h", NC_ ("AA arrival band", "6–12 h"), 6 * CC_HOUR, 12 * CC_HOUR },
  { "12h_plus", NC_ ("AA arrival band", "12 h or more"), 12 * CC_HOUR, -1 },
};

const char *const la_outcomes[] = { "accepted", "refused", "no_bed", "no_response" };

void
tally_init (Tally *t)
{
  memset (t, 0, sizeof *t);
  t->children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->custody_seconds = values_new ();
  t->post_charge_seconds = values_new ();
  t->post_charge = g_ptr_array_new_with_free_func (g_free);
  for (int c = 0; c < CC_N_CLOCKS; c++)
    t->clocks[c].seconds = values_new ();
}

void
tally_clear (Tally *t)
{
  g_clear_pointer (&t->children, g_hash_table_unref);
  g_clear_pointer (&t->custody_seconds, g_array_unref);
  g_clear_pointer (&t->post_charge_seconds, g_array_unref);
  g_clear_pointer (&t->post_charge, g_ptr_array_unref);
  for (int c = 0; c < CC_N_CLOCKS; c++)
    g_clear_pointer (&t->clocks[c].seconds, g_array_unref);
}

/* A clock's counters, in the order the kept figures number them
 * (tally_counter()) and the report's clocks section shows them. */
static const struct
{
  const char *name;
  gsize       offset;
} clock_counters[] = {
  { "started", G_STRUCT_OFFSET (ClockTally, started) },
  { "met", G_STRUCT_OFFSET (ClockTally, met) },
  { "met_late", G_STRUCT_OFFSET (ClockTally, met_late) },
  { "breached", G_STRUCT_OFFSET (ClockTally, breached) },
  { "ended", G_STRUCT_OFFSET (ClockTally, ended) },
  { "running", G_STRUCT_OFFSET (ClockTally, running) },
  { "breaches", G_STRUCT_OFFSET (ClockTally, breaches) },
};
G_STATIC_ASSERT (G_N_ELEMENTS (clock_counters) == N_CLOCK_COUNTERS);

guint *
clock_counter (ClockTally *ct,
               guint       k)
{
  return (guint *) (gpointer) ((char *) ct + clock_counters[k].offset);
}

const char *
clock_counter_name (guint k)
{
  return clock_counters[k].name;
}

/* Every counter of a Tally, in one order: tally_merge() adds them and the
 * kept figures (part_encode()) name them by their place in it, so a
 * counter added to the Tally goes here too (and N_TALLY_SCALARS up). */
static const gsize tally_scalars[] = {
  G_STRUCT_OFFSET (Tally, no_reference),
  G_STRUCT_OFFSET (Tally, detentions),
  G_STRUCT_OFFSET (Tally, still_in_custody),
  G_STRUCT_OFFSET (Tally, overnight),
  G_STRUCT_OFFSET (Tally, overnight_post_charge),
  G_STRUCT_OFFSET (Tally, charged),
  G_STRUCT_OFFSET (Tally, bail_refused),
  G_STRUCT_OFFSET (Tally, breaches),
  G_STRUCT_OFFSET (Tally, requested_secure),
  G_STRUCT_OFFSET (Tally, requested_non_secure),
  G_STRUCT_OFFSET (Tally, transferred),
  G_STRUCT_OFFSET (Tally, certificates),
  G_STRUCT_OFFSET (Tally, court_without_certificate),
  G_STRUCT_OFFSET (Tally, late_entries),
  G_STRUCT_OFFSET (Tally, corrections),
  G_STRUCT_OFFSET (Tally, voids),
  G_STRUCT_OFFSET (Tally, age_unknown),
  G_STRUCT_OFFSET (Tally, missing_authorisation),
  G_STRUCT_OFFSET (Tally, cell_visits_without_voice),
  G_STRUCT_OFFSET (Tally, events_after_close),
  G_STRUCT_OFFSET (Tally, hospital_left_twice),
  G_STRUCT_OFFSET (Tally, rest_started_twice),
};
G_STATIC_ASSERT (G_N_ELEMENTS (tally_scalars) == N_TALLY_SCALARS);

guint *
tally_counter (Tally *t,
               guint  i)
{
  if (i < G_N_ELEMENTS (tally_scalars))
    return (guint *) (gpointer) ((char *) t + tally_scalars[i]);
  i -= G_N_ELEMENTS (tally_scalars);
  if (i < N_AA_BINS)
    return &t->aa_bins[i];
  i -= N_AA_BINS;
  if (i < CC_N_RULES)
    return &t->rules[i];
  i -= CC_N_RULES;
  if (i < N_LA_OUTCOMES)
    return &t->responses[i];
  i -= N_LA_OUTCOMES;
  g_assert (i < N_CLOCK_COUNTERS * CC_N_CLOCKS);
  return clock_counter (&t->clocks[i / N_CLOCK_COUNTERS], i % N_CLOCK_COUNTERS);
}

gboolean
clock_is_recurring (CcClockId clock)
{
  return clock == CC_CLOCK_REVIEW || clock == CC_CLOCK_CELL_VISIT || clock == CC_CLOCK_REST;
}

/* Whether [@from, @to) holds 4 hours in a row between 00:00 and 08:00
 * local time on some night. */
static gboolean
held_overnight (CcInstant  from,
                CcInstant  to,
                GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) first = NULL;
  GDate day;

  if (to - from < OVERNIGHT_MIN)
    return FALSE;
  utc = g_date_time_new_from_unix_utc (from);
  first = g_date_time_to_timezone (utc, tz);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (first), g_date_time_get_month (first),
                  g_date_time_get_year (first));
  for (;; g_date_add_days (&day, 1))
    {
      CcInstant night = local_instant (tz, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day), 0);
      CcInstant morning = local_instant (tz, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day),
                                         NIGHT_END_HOUR);

      if (night >= to)
        return FALSE;
      if (MIN (to, morning) - MAX (from, night) >= OVERNIGHT_MIN)
        return TRUE;
    }
}

static void
tally_clocks (Tally              *t,
              const CcEvaluation *ev)
{
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      ClockTally *ct = &t->clocks[c];
      GArray     *occurrences = ev->clocks[c].occurrences;

      for (guint i = 0; i < occurrences->len; i++)
        {
          const CcOccurrence *o = &g_array_index (occurrences, CcOccurrence, i);

          switch (o->state)
            {
            case CC_STATE_RUNNING:
            case CC_STATE_WARNING:
              ct->running++;
              break;
            case CC_STATE_BREACHED:
              ct->breached++;
              break;
            case CC_STATE_MET:
              ct->met++;
              break;
            case CC_STATE_MET_LATE:
              ct->met_late++;
              break;
            case CC_STATE_ENDED:
              ct->ended++;
              break;
            case CC_STATE_NOT_STARTED:
            case CC_STATE_DISABLED:
            default:
              continue;
            }
          ct->started++;
          /* A satisfying event keyed between arrival and authorisation (an
           * AA already there) waited no time at all, not negative time. */
          if ((o->state == CC_STATE_MET || o->state == CC_STATE_MET_LATE) && !clock_is_recurring (c))
            values_add (ct->seconds, MAX (o->satisfied_at - o->started_at, 0));
        }
    }

  /* The AA's arrival, binned (only where the AA came). */
  {
    const CcOccurrence *o = &ev->clocks[CC_CLOCK_AA_ARRIVED].current;

    if (o->state == CC_STATE_MET || o->state == CC_STATE_MET_LATE)
      {
        gint64 seconds = MAX (o->satisfied_at - o->started_at, 0);
        for (guint i = 0; i < N_AA_BINS; i++)
          if (seconds >= aa_bins[i].from && (aa_bins[i].to < 0 || seconds < aa_bins[i].to))
            t->aa_bins[i]++;
      }
  }

  for (guint i = 0; i < ev->breaches->len; i++)
    {
      const CcBreach *b = &g_array_index (ev->breaches, CcBreach, i);

      t->breaches++;
      if (b->is_clock)
        t->clocks[cc_clock_from_string (b->rule)].breaches++;
      else
        t->rules[cc_rule_from_string (b->rule)]++;
    }
}

static const char *
outcome_of (const CcEvaluation *ev)
{
  if (ev->closed_by == CC_EVENT_TRANSFERRED_TO_LA)
    return "transferred";
  if (ev->closed_by == CC_EVENT_LEFT_FOR_COURT)
    return "court";
  if (ev->closed_by == CC_EVENT_RELEASED)
    return "released";
  return "in_custody";
}

static gboolean
has_breach (const CcEvaluation *ev,
            const char         *rule)
{
  for (guint i = 0; i < ev->breaches->len; i++)
    if (g_str_equal (g_array_index (ev->breaches, CcBreach, i).rule, rule))
      return TRUE;
  return FALSE;
}

/* What the record's own events say (those that count at the instant):
 * accommodation requests and answers, certificates, late entries, visits
 * without the child's voice.  Counting events is not a clock. */
static void
tally_events (Tally          *t,
              const CcRecord *record,
              const CcPolicy *policy,
              CcInstant       closed_at,
              CcInstant       at)
{
  gboolean secure = FALSE, non_secure = FALSE, certificate = FALSE;

  for (guint i = 0; i < record->events->len; i++)
    {
      const CcEvent *e = g_ptr_array_index (record->events, i);

      if (e->occurred_at > at)
        break;
      if (e->recorded_at != CC_INSTANT_NONE && e->recorded_at - e->occurred_at > policy->late_entry)
        t->late_entries++;
      /* After the child left, an event is no input to any figure, as it is
       * none to any clock (clocks.md, "Events after close"): the engine
       * counts it in data quality.  A late entry is one all the same. */
      if (closed_at != CC_INSTANT_NONE && e->occurred_at > closed_at)
        continue;
      /* Only these four types matter here (an if chain: -Wswitch-enum). */
      if (e->type == CC_EVENT_LA_REQUESTED)
        {
          if (cc_event_get_boolean (e, "secure", FALSE))
            secure = TRUE;
          else
            non_secure = TRUE;
        }
      else if (e->type == CC_EVENT_LA_RESPONSE)
        {
          for (guint o = 0; o < N_LA_OUTCOMES; o++)
            if (g_strcmp0 (cc_event_get_string (e, "outcome"), la_outcomes[o]) == 0)
              t->responses[o]++;
        }
      else if (e->type == CC_EVENT_CERTIFICATE_ISSUED)
        certificate = TRUE;
      else if (e->type == CC_EVENT_CELL_VISIT && !cc_event_get_boolean (e, "voice_recorded", FALSE))
        t->cell_visits_without_voice++;
    }
  t->requested_secure += secure;
  t->requested_non_secure += non_secure;
  t->certificates += certificate;
  t->corrections += record->n_corrections;
  t->voids += record->n_voids;
}

/* The post-charge entry's record_id is set by part_merge(). */
void
tally_record (Tally              *t,
              const CcEvaluation *ev,
              const CcRecord     *record,
              const CcPolicy     *policy,
              CcInstant           at)
{
  CcInstant end = ev->closed_at != CC_INSTANT_NONE ? ev->closed_at : at;

  t->detentions++;
  if (ev->child != NULL)
    g_hash_table_add (t->children, g_strdup (ev->child));
  else
    t->no_reference++;
  t->still_in_custody += ev->closed_at == CC_INSTANT_NONE;
  values_add (t->custody_seconds, end - ev->arrived_at);
  if (held_overnight (ev->arrived_at, end, policy->tz))
    {
      t->overnight++;
      if (ev->bail_refused_at != CC_INSTANT_NONE &&
          held_overnight (MAX (ev->arrived_at, ev->bail_refused_at), end, policy->tz))
        t->overnight_post_charge++;
    }
  t->charged += ev->charged_at != CC_INSTANT_NONE;
  t->age_unknown += ev->age_unknown;
  t->missing_authorisation += ev->authorisation_missing;
  t->events_after_close += ev->dq_after_close;
  t->hospital_left_twice += ev->dq_hospital_left_twice;
  t->rest_started_twice += ev->dq_rest_started_twice;

  if (ev->bail_refused_at != CC_INSTANT_NONE)
    {
      PostCharge *pc = g_new0 (PostCharge, 1);

      t->bail_refused++;
      pc->suite = g_intern_string (ev->suite);
      pc->bail_refused_at = ev->bail_refused_at;
      pc->ended_at = ev->closed_at;
      pc->outcome = outcome_of (ev);
      pc->seconds = MAX (end - ev->bail_refused_at, 0);
      g_ptr_array_add (t->post_charge, pc);
      values_add (t->post_charge_seconds, pc->seconds);
    }
  t->transferred += ev->closed_by == CC_EVENT_TRANSFERRED_TO_LA;
  t->court_without_certificate += has_breach (ev, "certificate_missing");

  tally_clocks (t, ev);
  tally_events (t, record, policy, ev->closed_at, at);
}

guint
tally_children (const Tally *t)
{
  return g_hash_table_size (t->children) + t->no_reference;
}

void
values_merge (GArray *into,
              GArray *from)
{
  g_array_append_vals (into, from->data, from->len);
}

/* Adds @from's counts to @into's (taking its strings and entries).  Every
 * list is sorted before it is shown, so the order of the shares cannot
 * show. */
void
tally_merge (Tally *into,
             Tally *from)
{
  GHashTableIter iter;
  gpointer       child;

  g_hash_table_iter_init (&iter, from->children);
  while (g_hash_table_iter_next (&iter, &child, NULL))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_add (into->children, child); /* frees a duplicate */
    }
  for (guint i = 0; i < N_COUNTERS; i++)
    *tally_counter (into, i) += *tally_counter (from, i);
  values_merge (into->custody_seconds, from->custody_seconds);
  for (int c = 0; c < CC_N_CLOCKS; c++)
    values_merge (into->clocks[c].seconds, from->clocks[c].seconds);
  values_merge (into->post_charge_seconds, from->post_charge_seconds);
  g_ptr_array_extend_and_steal (into->post_charge, g_steal_pointer (&from->post_charge));
}
