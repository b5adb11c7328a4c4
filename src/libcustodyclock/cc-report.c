/* cc-report.c: the monthly breach report's figures (docs/REPORT.md)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The one place a report figure is computed.  The month's records are read
 * whole (with their corrections, as the board reads them), every child
 * record is evaluated by the engine at the report's instant, and the
 * figures are counted from the evaluations: no clock is computed a second
 * way, here or in SQL.  The renderers (JSON here, CSV and Markdown in
 * cc-report-text.c, HTML in cc-report-html.c) format the object this file
 * builds and nothing else.
 *
 * Output must be byte-identical for the same database, policy and instant:
 * records are taken in record_id order, every list is sorted explicitly,
 * and no hash table is ever iterated into the output.  The machine's clock
 * is never read here.
 *
 * Records are read one after another, each through a ledger of its own, and
 * let go once counted: a month of a national year is 5,000 records and
 * 180,000 rows, and holding them all only made the report slower.
 *
 * The 12-month trend needs the headline figures of eleven earlier months:
 * most of a national year.  A month whose records are all closed, with
 * every event at or before the report's instant, cannot change until a row
 * is added to one of its records, so its figures are kept in the store
 * (report_cache), keyed by month, suite and a digest of the policy, with
 * the log's last seq when they were known to hold.  They are used again
 * only when no row appended since belongs to the month's records, and only
 * for an instant at or after the month settled, so the cache never changes
 * a figure (docs/REPORT.md "The trend and its cache").
 *
 * When the cache misses, a month's records are counted from their
 * summaries (record_summary, schema step 10): what the trend takes of each
 * record the engine found settled at an earlier report's instant, keyed by
 * the policy digest and deleted by trigger with any row written to the
 * record.  Only records without one are read.  Every month's trend
 * figures, this report's own included, are added up from the same
 * per-record summary (summarise()) whether it was just made or read back,
 * and their medians are taken in one place (trend_figures()), so a kept
 * summary cannot give another figure.  Rows are read in one statement per
 * share of a month and cut into records here.
 *
 * The report's own month needs more of a record than the trend: its cases
 * and its whole tally.  A settled child's summary also keeps that part,
 * its figures (record_figures, schema step 11), and the month counts such
 * records from them, reading only the others; made or read back, a part
 * is added in by one function (part_merge()).  The JSON is written as it
 * is counted (CcJsonWriter): for a national month the json-glib tree cost
 * more than the counting.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-engine.h"
#include "cc-json-writer.h"
#include "cc-ledger.h"
#include "cc-report-private.h"
#include "cc-report.h"
#include "cc-settle.h"

/* Change this when a cached figure's meaning changes (or the engine's
 * rules do) without a new release: the digest of the cache key includes it
 * and the version, so older entries are simply not found. */
#define CACHE_FORMAT "2" /* 2: events after close count for nothing (issue 14) */

/* Arrival times are stored with any offset (±24 h at most) and the display
 * zone is another ±24 h from UTC: the month's rows are looked for in text
 * two days wider on each side, and each arrival is then judged exactly. */
#define TEXT_MARGIN (2 * CC_DAY)

/* The report judges no row as "in the future": that test belongs to the
 * machine's clock, and the report is a function of the database, policy
 * and instant alone.  Events after the instant do not count anyway. */
#define NO_FUTURE_CHECK (G_MAXINT64 - CC_EVENT_MAX_FUTURE)

/* ---- months ------------------------------------------------------------ */

/**
 * cc_report_outcome_display_name:
 * @outcome: (nullable): a `post_charge.children[].outcome` id
 *
 * How a child refused bail left police custody, as the report's tables and
 * charts show it (the JSON keeps the id).  An id this program does not know
 * is shown as it is.
 *
 * Returns: (transfer none) (nullable): the display name, or %NULL for %NULL
 */
const char *
cc_report_outcome_display_name (const char *outcome)
{
  if (g_strcmp0 (outcome, "transferred") == 0)
    return C_ ("outcome", "transferred to local authority");
  if (g_strcmp0 (outcome, "court") == 0)
    return C_ ("outcome", "went to court");
  if (g_strcmp0 (outcome, "released") == 0)
    return C_ ("outcome", "released");
  if (g_strcmp0 (outcome, "in_custody") == 0)
    return C_ ("outcome", "still in custody");
  return outcome;
}

/**
 * cc_report_parse_month:
 * @text: "YYYY-MM"
 * @out_year: (out) (optional): @out_month: (out) (optional): the month
 * @error: return location for a %CC_TIME_ERROR
 *
 * Returns: %TRUE when @text is a month the report can be made for
 */
gboolean
cc_report_parse_month (const char *text,
                       int        *out_year,
                       int        *out_month,
                       GError    **error)
{
  int year, month;

  if (text == NULL || strlen (text) != 7 || text[4] != '-' || !g_ascii_isdigit (text[0]) ||
      !g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3]) ||
      !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]))
    {
      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX,
                   /* Translators: %s is the month as typed after --month; YYYY-MM stays as it is */
                   _ ("'%s' is not a month: write it as YYYY-MM, e.g. 2026-10"), text != NULL ? text : "");
      return FALSE;
    }
  year = (int) g_ascii_strtoll (text, NULL, 10);
  month = (int) g_ascii_strtoll (text + 5, NULL, 10);
  /* GDateTime covers years 1 to 9999, and the trend reaches 11 months back
   * and the week list a few days forward. */
  if (month < 1 || month > 12 || year < 2 || year > 9998)
    {
      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                   /* Translators: %s is the month as typed after --month */
                   _ ("'%s' is not a month: the month must be 01 to 12 and the year 0002 to 9998"), text);
      return FALSE;
    }
  if (out_year != NULL)
    *out_year = year;
  if (out_month != NULL)
    *out_month = month;
  return TRUE;
}

CcInstant
local_instant (GTimeZone *tz,
               int        year,
               int        month,
               int        day,
               int        hour)
{
  g_autoptr (GDateTime) dt = g_date_time_new (tz, year, month, day, hour, 0, 0);

  g_assert (dt != NULL);
  return g_date_time_to_unix (dt);
}

Month
month_make (int        year,
            int        month,
            GTimeZone *tz)
{
  Month m = { year, month, "", 0, 0 };

  /* Months before year 1 or after 9999 cannot be asked for:
   * cc_report_parse_month() keeps a margin. */
  while (m.month < 1)
    {
      m.month += 12;
      m.year--;
    }
  while (m.month > 12)
    {
      m.month -= 12;
      m.year++;
    }
  g_snprintf (m.name, sizeof m.name, "%04d-%02d", m.year, m.month);
  m.start = local_instant (tz, m.year, m.month, 1, 0);
  m.end = m.month == 12 ? local_instant (tz, m.year + 1, 1, 1, 0) : local_instant (tz, m.year, m.month + 1, 1, 0);
  return m;
}

/* The occurred_at text range that holds every arrival of @m. */
void
month_text_range (const Month *m,
                  char       **out_from,
                  char       **out_to)
{
  g_autofree char *from = cc_time_format_utc (m->start - TEXT_MARGIN);
  g_autofree char *to = cc_time_format_utc (m->end + TEXT_MARGIN);

  *out_from = g_strndup (from, 10);
  *out_to = g_strndup (to, 10);
}

void
add_int (CcJsonWriter *b,
         const char   *name,
         gint64        value)
{
  cc_json_writer_set_member_name (b, name);
  cc_json_writer_add_int (b, value);
}

/* A share: @part of @whole, or null when @whole is 0. */
void
add_share (CcJsonWriter *b,
           const char   *name,
           gint64        part,
           gint64        whole)
{
  cc_json_writer_set_member_name (b, name);
  if (whole > 0)
    cc_json_writer_add_double (b, (double) part / (double) whole);
  else
    cc_json_writer_add_null (b);
}

void
add_optional_int (CcJsonWriter *b,
                  const char   *name,
                  gboolean      present,
                  gint64        value)
{
  cc_json_writer_set_member_name (b, name);
  if (present)
    cc_json_writer_add_int (b, value);
  else
    cc_json_writer_add_null (b);
}

/* ---- what the trend counts of a record ------------------------------- */

void
trend_tally_init (TrendTally *tt)
{
  memset (tt, 0, sizeof *tt);
  tt->aa_seconds = values_new ();
  tt->post_charge_seconds = values_new ();
}

void
trend_tally_clear (TrendTally *tt)
{
  g_clear_pointer (&tt->aa_seconds, g_array_unref);
  g_clear_pointer (&tt->post_charge_seconds, g_array_unref);
}

void
trend_tally_add (TrendTally                 *tt,
                 const CcStoreRecordSummary *s)
{
  tt->detentions++;
  if (s->has_aa)
    values_add (tt->aa_seconds, s->aa_seconds);
  tt->healthcare_seen += s->healthcare_seen;
  tt->healthcare_of += s->healthcare_of;
  if (s->has_post_charge)
    values_add (tt->post_charge_seconds, s->post_charge_seconds);
  tt->breaches += s->breaches;
}

void
trend_tally_merge (TrendTally *into,
                   TrendTally *from)
{
  into->detentions += from->detentions;
  values_merge (into->aa_seconds, from->aa_seconds);
  into->healthcare_seen += from->healthcare_seen;
  into->healthcare_of += from->healthcare_of;
  values_merge (into->post_charge_seconds, from->post_charge_seconds);
  into->breaches += from->breaches;
}

/* What the trend counts of @record (evaluated as @ev, read by @ledger):
 * the figures the month's headline takes of it, as tally_record() and
 * tally_clocks() take them, and what decides whether and where it counts
 * (its corrected arrival, its arrival's suite, whether it is monitored).
 * The AA's arrival and healthcare are one-shot clocks (cc-engine.c
 * one_shot()): at most one occurrence, so one value each.  @s's strings
 * are owned. */
void
summarise (CcStoreRecordSummary *s,
           const CcEvaluation   *ev,
           const CcRecord       *record,
           CcLedger             *ledger)
{
  GArray   *aa = ev->clocks[CC_CLOCK_AA_ARRIVED].occurrences;
  GArray   *hc = ev->clocks[CC_CLOCK_HEALTHCARE].occurrences;
  CcInstant end = ev->closed_at != CC_INSTANT_NONE ? ev->closed_at : ev->at;

  memset (s, 0, sizeof *s);
  s->record_id = g_strdup (record->record_id);
  s->found = TRUE;
  s->arrived_at = record->arrival->occurred_at;
  s->suite = g_strdup (cc_event_get_string (record->arrival, "suite"));
  s->monitored = ev->monitored;
  s->settled_at = cc_ledger_get_record_last_time (ledger, record->record_id);
  s->closed_at = ev->closed_at;
  s->checked_seq = cc_ledger_get_record_last_seq (ledger, record->record_id);
  for (guint i = 0; i < aa->len; i++)
    {
      const CcOccurrence *o = &g_array_index (aa, CcOccurrence, i);

      if (o->state == CC_STATE_MET || o->state == CC_STATE_MET_LATE)
        {
          s->has_aa = TRUE;
          s->aa_seconds = MAX (o->satisfied_at - o->started_at, 0);
        }
    }
  for (guint i = 0; i < hc->len; i++)
    {
      CcClockState state = g_array_index (hc, CcOccurrence, i).state;

      if (state == CC_STATE_NOT_STARTED || state == CC_STATE_DISABLED)
        continue;
      s->healthcare_of++;
      s->healthcare_seen += state == CC_STATE_MET || state == CC_STATE_MET_LATE;
    }
  if (ev->bail_refused_at != CC_INSTANT_NONE)
    {
      s->has_post_charge = TRUE;
      s->post_charge_seconds = MAX (end - ev->bail_refused_at, 0);
    }
  s->breaches = ev->breaches->len;
}

/* (element-type CcStoreRecordSummary): summaries to be kept, each
 * cleared with the array. */
GArray *
summaries_new (void)
{
  GArray *summaries = g_array_new (FALSE, TRUE, sizeof (CcStoreRecordSummary));

  g_array_set_clear_func (summaries, (GDestroyNotify) cc_store_record_summary_clear);
  return summaries;
}

/* Moves @from's summaries (summaries_new()) to the end of @into's. */
void
summaries_move (GArray *into,
                GArray *from)
{
  g_array_append_vals (into, from->data, from->len);
  g_array_set_clear_func (from, NULL);
  g_array_set_size (from, 0);
  g_array_set_clear_func (from, (GDestroyNotify) cc_store_record_summary_clear);
}

/* ---- one month's records --------------------------------------------- */

static void
suite_record_clear (gpointer p)
{
  g_free (((SuiteRecord *) p)->child);
}

void
month_data_clear (MonthData *data)
{
  g_clear_pointer (&data->ids, g_hash_table_unref);
  g_clear_pointer (&data->record_ids, g_ptr_array_unref);
  g_clear_pointer (&data->cases, g_array_unref);
  g_clear_pointer (&data->problems, g_array_unref);
  g_clear_pointer (&data->suites, g_array_unref);
  g_clear_pointer (&data->summaries, g_array_unref);
  trend_tally_clear (&data->trend);
}

static gboolean
suite_matches (const CcRecord *record,
               const char     *suite)
{
  return suite == NULL || g_strcmp0 (cc_event_get_string (record->arrival, "suite"), suite) == 0;
}

/* How long a clock's breach lasted: to the duty done late, else to the
 * close or the instant.  For cell visits and rest a missed occurrence
 * stays missed; the next one met is the duty done (as the escalator
 * resolves them).  Instant rules have no duration. */
static void
case_lateness (const CcEvaluation *ev,
               const CcBreach     *br,
               Case               *c)
{
  CcClockId clock;
  GArray   *occ;

  c->late_known = c->satisfied = FALSE;
  if (!br->is_clock)
    return;
  clock = cc_clock_from_string (br->rule);
  occ = ev->clocks[clock].occurrences;
  for (guint i = 0; i < occ->len; i++)
    {
      const CcOccurrence *o = &g_array_index (occ, CcOccurrence, i);
      gboolean            done = o->state == CC_STATE_MET || o->state == CC_STATE_MET_LATE;

      if ((o->occurrence == br->occurrence && o->state == CC_STATE_MET_LATE) ||
          ((clock == CC_CLOCK_CELL_VISIT || clock == CC_CLOCK_REST) && o->occurrence > br->occurrence && done))
        {
          c->late_known = c->satisfied = TRUE;
          c->late_seconds = MAX (o->satisfied_at - br->at, 0);
          return;
        }
    }
  c->late_known = TRUE;
  c->late_seconds = MAX ((ev->closed_at != CC_INSTANT_NONE ? ev->closed_at : ev->at) - br->at, 0);
}

/* ---- one record's part in its month ------------------------------------ */

/* A clock's or rule's place: clocks first, then rules. */
int
rule_slot (const char *rule)
{
  CcClockId clock = cc_clock_from_string (rule);

  return (int) clock >= 0 ? (int) clock : CC_N_CLOCKS + (int) cc_rule_from_string (rule);
}

/* The clock or rule in @slot (rule_slot()'s). */
const char *
slot_name (int slot)
{
  return slot < CC_N_CLOCKS ? cc_clock_to_string (slot) : cc_rule_to_string (slot - CC_N_CLOCKS);
}

void
part_init (RecordPart *p)
{
  tally_init (&p->tally);
  p->cases = g_array_new (FALSE, FALSE, sizeof (Case));
  p->suite.suite = NULL;
  p->suite.child = NULL;
  p->problems = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
part_clear (RecordPart *p)
{
  tally_clear (&p->tally);
  g_clear_pointer (&p->cases, g_array_unref);
  g_clear_pointer (&p->suite.child, g_free);
  g_clear_pointer (&p->problems, g_array_unref);
}

/* @record read by @ledger, evaluated as @ev at @at: a monitored record.
 * A report's ledger holds the record alone; the agent's holds others
 * beside it, whose refused rows are theirs. */
void
part_fill (RecordPart         *p,
           const CcEvaluation *ev,
           const CcRecord     *record,
           CcLedger           *ledger,
           const CcPolicy     *policy,
           CcInstant           at)
{
  g_autoptr (GPtrArray) problems = cc_ledger_get_problems (ledger);
  const char *suite = g_intern_string (ev->suite);

  tally_record (&p->tally, ev, record, policy, at);
  p->suite.suite = suite;
  p->suite.child = g_strdup (ev->child);
  for (guint i = 0; i < ev->breaches->len; i++)
    {
      const CcBreach *b = &g_array_index (ev->breaches, CcBreach, i);
      Case            c = { NULL, suite, b->rule, b->occurrence, b->at, FALSE, 0, FALSE };

      case_lateness (ev, b, &c);
      g_array_append_val (p->cases, c);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      const CcLedgerProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->record_id, record->record_id) == 0)
        g_array_append_val (p->problems, problem->seq);
    }
}

/* Adds @p to @data and @t (taking its strings) as @record_id's, a string
 * @data keeps. */
void
part_merge (MonthData  *data,
            Tally      *t,
            RecordPart *p,
            const char *record_id)
{
  for (guint i = 0; i < p->tally.post_charge->len; i++)
    ((PostCharge *) g_ptr_array_index (p->tally.post_charge, i))->record_id = record_id;
  tally_merge (t, &p->tally);
  for (guint i = 0; i < p->cases->len; i++)
    g_array_index (p->cases, Case, i).record_id = record_id;
  g_array_append_vals (data->cases, p->cases->data, p->cases->len);
  g_array_append_val (data->suites, p->suite);
  p->suite.child = NULL; /* moved */
  g_array_append_vals (data->problems, p->problems->data, p->problems->len);
}

/* The kept figures: text, so that a person reading the table with sqlite3
 * can see what it holds; the counters sparse (a record has few), lists
 * with their length first; a string is "n" (none) or "s" and its bytes
 * with space, '%' and control characters as %XX.  The header names the
 * format and the number of counters, clocks and rules, so that figures
 * written for another set of them are not read (the policy digest that
 * keys them also changes with the program's version). */
#define FIGURES_FORMAT "f1"

static const char *const outcomes[] = { "transferred", "court", "released", "in_custody" };

static void
put_int (GString *s,
         gint64   v)
{
  char    buf[24];
  int     n = 0;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  do
    buf[n++] = '0' + u % 10;
  while ((u /= 10) > 0);
  g_string_append_c (s, ' ');
  if (v < 0)
    g_string_append_c (s, '-');
  while (n > 0)
    g_string_append_c (s, buf[--n]);
}

static void
put_string (GString    *s,
            const char *text)
{
  g_string_append (s, text == NULL ? " n" : " s");
  for (const char *c = text; c != NULL && *c != '\0'; c++)
    {
      if ((guchar) *c <= ' ' || *c == '%' || *c == 0x7f)
        g_string_append_printf (s, "%%%02X", (guchar) *c);
      else
        g_string_append_c (s, *c);
    }
}

static void
put_values (GString      *s,
            const GArray *values)
{
  put_int (s, values->len);
  for (guint i = 0; i < values->len; i++)
    put_int (s, g_array_index (values, gint64, i));
}

/* @p's figures, as part_decode() reads them. */
char *
part_encode (const RecordPart *p)
{
  const Tally   *t = &p->tally;
  GString       *s = g_string_sized_new (256);
  guint          nonzero = 0;
  GHashTableIter iter;
  gpointer       child;

  g_string_append (s, FIGURES_FORMAT);
  put_int (s, N_COUNTERS);
  put_int (s, CC_N_CLOCKS);
  put_int (s, CC_N_RULES);
  for (guint i = 0; i < N_COUNTERS; i++)
    nonzero += *tally_counter ((Tally *) t, i) != 0;
  put_int (s, nonzero);
  for (guint i = 0; i < N_COUNTERS; i++)
    if (*tally_counter ((Tally *) t, i) != 0)
      {
        put_int (s, i);
        put_int (s, *tally_counter ((Tally *) t, i));
      }
  for (int c = 0; c < CC_N_CLOCKS; c++)
    put_values (s, t->clocks[c].seconds);
  put_values (s, t->custody_seconds);
  put_values (s, t->post_charge_seconds);
  put_int (s, t->post_charge->len);
  for (guint i = 0; i < t->post_charge->len; i++)
    {
      const PostCharge *pc = g_ptr_array_index (t->post_charge, i);
      guint             o = 0;

      while (o < G_N_ELEMENTS (outcomes) - 1 && !g_str_equal (outcomes[o], pc->outcome))
        o++;
      put_int (s, pc->bail_refused_at);
      put_int (s, pc->ended_at);
      put_int (s, o);
      put_int (s, pc->seconds);
    }
  put_int (s, g_hash_table_size (t->children));
  g_hash_table_iter_init (&iter, t->children);
  while (g_hash_table_iter_next (&iter, &child, NULL))
    put_string (s, child);
  put_int (s, p->cases->len);
  for (guint i = 0; i < p->cases->len; i++)
    {
      const Case *c = &g_array_index (p->cases, Case, i);

      put_int (s, rule_slot (c->rule));
      put_int (s, c->occurrence);
      put_int (s, c->at);
      put_int (s, c->late_known);
      put_int (s, c->late_seconds);
      put_int (s, c->satisfied);
    }
  put_string (s, p->suite.suite);
  put_string (s, p->suite.child);
  put_int (s, p->problems->len);
  for (guint i = 0; i < p->problems->len; i++)
    put_int (s, g_array_index (p->problems, gint64, i));
  return g_string_free (s, FALSE);
}

typedef struct
{
  const char *p;
  gboolean    ok;
} FiguresReader;

static gint64
get_int (FiguresReader *r)
{
  char  *end = NULL;
  gint64 v;

  if (!r->ok || r->p[0] != ' ' || !(g_ascii_isdigit (r->p[1]) || (r->p[1] == '-' && g_ascii_isdigit (r->p[2]))))
    return r->ok = FALSE;
  errno = 0;
  v = g_ascii_strtoll (r->p + 1, &end, 10);
  if (errno != 0)
    return r->ok = FALSE;
  r->p = end;
  return v;
}

/* A number in [@min, @max]. */
static gint64
get_bounded (FiguresReader *r,
             gint64         min,
             gint64         max)
{
  gint64 v = get_int (r);

  if (v < min || v > max)
    r->ok = FALSE;
  return r->ok ? v : min;
}

/* A list's length: each entry takes two bytes at least. */
static guint
get_length (FiguresReader *r)
{
  return (guint) get_bounded (r, 0, MIN (strlen (r->p) / 2, G_MAXUINT));
}

/* (transfer full) (nullable): NULL for "n", or when malformed (ok then
 * FALSE). */
static char *
get_string (FiguresReader *r)
{
  GString *s;

  if (!r->ok || r->p[0] != ' ' || (r->p[1] != 'n' && r->p[1] != 's'))
    return r->ok = FALSE, NULL;
  r->p += 2;
  if (r->p[-1] == 'n')
    return NULL;
  s = g_string_new (NULL);
  for (; *r->p != ' ' && *r->p != '\0'; r->p++)
    {
      int hi, lo;

      if (*r->p != '%')
        {
          g_string_append_c (s, *r->p);
          continue;
        }
      hi = g_ascii_xdigit_value (r->p[1]);
      lo = hi < 0 ? -1 : g_ascii_xdigit_value (r->p[2]);
      if (lo < 0 || (hi == 0 && lo == 0))
        {
          r->ok = FALSE;
          return g_string_free (s, TRUE);
        }
      g_string_append_c (s, (char) (hi * 16 + lo));
      r->p += 2;
    }
  return g_string_free (s, FALSE);
}

static void
get_values (FiguresReader *r,
            GArray        *values)
{
  guint n = get_length (r);

  for (guint i = 0; i < n && r->ok; i++)
    values_add (values, get_int (r));
}

/* Reads @text (part_encode()) into @p (part_init()ed).  Returns: %FALSE if
 * @text is not figures this program writes; @p then holds anything. */
gboolean
part_decode (RecordPart *p,
             const char *text)
{
  FiguresReader r = { text, TRUE };
  Tally        *t = &p->tally;
  guint         n;
  char         *suite;

  if (!g_str_has_prefix (text, FIGURES_FORMAT))
    return FALSE;
  r.p += strlen (FIGURES_FORMAT);
  if (get_int (&r) != N_COUNTERS || get_int (&r) != CC_N_CLOCKS || get_int (&r) != CC_N_RULES || !r.ok)
    return FALSE;
  n = get_length (&r);
  for (guint i = 0; i < n && r.ok; i++)
    {
      guint index = (guint) get_bounded (&r, 0, N_COUNTERS - 1);

      *tally_counter (t, index) = (guint) get_bounded (&r, 0, G_MAXUINT);
    }
  for (int c = 0; c < CC_N_CLOCKS; c++)
    get_values (&r, t->clocks[c].seconds);
  get_values (&r, t->custody_seconds);
  get_values (&r, t->post_charge_seconds);
  n = get_length (&r);
  for (guint i = 0; i < n && r.ok; i++)
    {
      PostCharge *pc = g_new0 (PostCharge, 1);

      g_ptr_array_add (t->post_charge, pc);
      pc->bail_refused_at = get_int (&r);
      pc->ended_at = get_int (&r);
      pc->outcome = outcomes[get_bounded (&r, 0, G_N_ELEMENTS (outcomes) - 1)];
      pc->seconds = get_int (&r);
    }
  n = get_length (&r);
  for (guint i = 0; i < n && r.ok; i++)
    {
      char *child = get_string (&r);

      if (child == NULL)
        r.ok = FALSE;
      else
        g_hash_table_add (t->children, child);
    }
  n = get_length (&r);
  for (guint i = 0; i < n && r.ok; i++)
    {
      Case c = { NULL, NULL, NULL, 0, 0, FALSE, 0, FALSE };

      c.rule = slot_name ((int) get_bounded (&r, 0, N_SLOTS - 1));
      c.occurrence = (int) get_bounded (&r, G_MININT, G_MAXINT);
      c.at = get_int (&r);
      c.late_known = get_bounded (&r, 0, 1);
      c.late_seconds = get_int (&r);
      c.satisfied = get_bounded (&r, 0, 1);
      g_array_append_val (p->cases, c);
    }
  suite = get_string (&r);
  p->suite.suite = suite != NULL ? g_intern_string (suite) : NULL;
  g_free (suite);
  p->suite.child = get_string (&r);
  n = get_length (&r);
  for (guint i = 0; i < n && r.ok; i++)
    {
      gint64 seq = get_int (&r);
      g_array_append_val (p->problems, seq);
    }
  if (!r.ok || *r.p != '\0')
    return FALSE;
  /* The cases' and post-charge entries' suite is the record's. */
  for (guint i = 0; i < p->cases->len; i++)
    g_array_index (p->cases, Case, i).suite = p->suite.suite;
  for (guint i = 0; i < t->post_charge->len; i++)
    ((PostCharge *) g_ptr_array_index (t->post_charge, i))->suite = p->suite.suite;
  return TRUE;
}

void
month_data_init (MonthData   *data,
                 const Month *m)
{
  data->record_ids = g_ptr_array_new_with_free_func (g_free);
  data->ids = g_hash_table_new (g_str_hash, g_str_equal);
  data->cases = g_array_new (FALSE, FALSE, sizeof (Case));
  data->problems = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->suites = g_array_new (FALSE, FALSE, sizeof (SuiteRecord));
  g_array_set_clear_func (data->suites, suite_record_clear);
  trend_tally_init (&data->trend);
  data->summaries = summaries_new ();
  data->settled = TRUE;
  data->settled_at = m->start;
}

/* Counts a record of the month into @data: its trend figures from its
 * summary @s and, with @t (details), its @part.  Takes @id. */
static void
month_data_add (MonthData                  *data,
                Tally                      *t,
                const CcStoreRecordSummary *s,
                RecordPart                 *part,
                char                       *id)
{
  trend_tally_add (&data->trend, s);
  g_ptr_array_add (data->record_ids, id);
  g_hash_table_add (data->ids, id);
  if (t != NULL)
    part_merge (data, t, part, id);
}

/* Evaluates and counts @id, read by @ledger (a ledger of its own).  @t
 * (the full tally) only with details.  With summarise, a record the
 * month's text range found that belongs to another month (or suite) is
 * evaluated too, so that its summary is kept and it need not be read
 * again for either month; a monitored record's summary keeps its whole
 * part in its month (the figures), so that the report of that month need
 * not read it either. */
static void
count_record (MonthData     *data,
              Tally         *t,
              const Reading *r,
              CcLedger      *ledger,
              const char    *id)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_auto (RecordPart) part = { 0 };
  CcStoreRecordSummary summary;
  const CcRecord      *record;
  CcInstant            last;
  gboolean             counts, keep;

  record = cc_ledger_get_record (ledger, id);
  if (record == NULL || record->arrival == NULL)
    return;
  counts = record->arrival->occurred_at >= r->m->start && record->arrival->occurred_at < r->m->end &&
           suite_matches (record, r->suite);
  if (!counts && !r->summarise)
    return;

  /* Every row of the record, corrections included: the instant from
   * which nothing of it waits for the clock. */
  last = cc_ledger_get_record_last_time (ledger, id);
  if (counts && last > r->at)
    data->settled = FALSE;
  else if (counts)
    data->settled_at = MAX (data->settled_at, last);

  /* A record that arrives after the instant did not exist then. */
  if (record->arrival->occurred_at > r->at)
    return;
  ev = cc_engine_evaluate (record, r->policy, r->at);
  summarise (&summary, ev, record, ledger);
  /* Judged at the report's instant, which the ledger was read at (no
   * row is ahead of it: NO_FUTURE_CHECK); a summary holds from its
   * last row's time on, so only for reports at or after that. */
  keep = r->summarise && cc_settle_judge (ledger, record, ev, r->at);
  if (ev->monitored && (keep || (counts && t != NULL)))
    {
      part_init (&part);
      part_fill (&part, ev, record, ledger, r->policy, r->at);
    }
  if (keep)
    {
      if (ev->monitored)
        summary.figures = part_encode (&part);
      g_array_append_val (data->summaries, summary);
      summary.record_id = summary.suite = summary.figures = NULL; /* moved */
    }
  if (!counts || !ev->monitored)
    {
      cc_store_record_summary_clear (&summary);
      return;
    }
  if (ev->closed_at == CC_INSTANT_NONE)
    data->settled = FALSE;

  month_data_add (data, t, &summary, &part, g_strdup (id));
  cc_store_record_summary_clear (&summary);
}

/* Counts the record of @s, a summary that holds at the report's instant
 * and puts the record in the month (and suite), from its kept figures
 * into @data and @t, as count_record() would have counted it.  Returns:
 * %FALSE (nothing counted) if the figures cannot be read, for the record
 * to be read instead. */
static gboolean
count_kept (MonthData            *data,
            Tally                *t,
            CcStoreRecordSummary *s)
{
  g_auto (RecordPart) part = { 0 };

  part_init (&part);
  if (!part_decode (&part, s->figures))
    {
      g_debug ("report: the kept figures of a record could not be read; reading the record");
      return FALSE;
    }
  data->settled_at = MAX (data->settled_at, s->settled_at);
  month_data_add (data, t, s, &part, g_steal_pointer (&s->record_id));
  return TRUE;
}

/* Reads @ids[@from, @to) one by one, each through a ledger of its own
 * (few records: the month's others have summaries). */
static gboolean
load_records (MonthData     *data,
              Tally         *t,
              CcStore       *store,
              const Reading *r,
              GPtrArray     *ids,
              guint          from,
              guint          to,
              GError       **error)
{
  for (guint i = from; i < to; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr (CcLedger) ledger = cc_ledger_new ();

      /* Through the ledger's own reading, so corrections apply exactly as
       * on the board. */
      if (!cc_ledger_load_record (ledger, store, id, NO_FUTURE_CHECK, error))
        return FALSE;
      count_record (data, t, r, ledger, id);
    }
  return TRUE;
}

/* The month's rows of a share in one statement, cut into records here. */
typedef struct
{
  MonthData     *data;
  Tally         *t;
  const Reading *r;
  GHashTable    *wanted; /* (nullable): only these records; NULL: all */
  CcLedger      *ledger; /* the current record's */
  char          *current;
} RowsLoad;

static void
rows_finish_record (RowsLoad *load)
{
  if (load->current != NULL)
    count_record (load->data, load->t, load->r, load->ledger, load->current);
  g_clear_pointer (&load->ledger, cc_ledger_free);
  g_clear_pointer (&load->current, g_free);
}

static gboolean
rows_take (const CcStoreRow *row,
           gpointer          user_data,
           GError          **error)
{
  RowsLoad *load = user_data;

  /* A record with a summary is not read (its rows are skipped before
   * they become events). */
  if (load->wanted != NULL && !g_hash_table_contains (load->wanted, row->record_id))
    return TRUE;
  if (load->current == NULL || strcmp (load->current, row->record_id) != 0)
    {
      rows_finish_record (load);
      load->current = g_strdup (row->record_id);
      load->ledger = cc_ledger_new ();
    }
  cc_ledger_add_row (load->ledger, row, NO_FUTURE_CHECK);
  return TRUE;
}

/* Reads, evaluates and counts @ids[@from, @to): one statement for the
 * month's records from the first to the last, unless @ids is a small part
 * of the @n_candidates records the month's text range finds (a month
 * mostly summarised), when a statement per record reads less. */
static gboolean
read_records (MonthData     *data,
              Tally         *t,
              CcStore       *store,
              const Reading *r,
              GPtrArray     *ids,
              guint          n_candidates,
              guint          from,
              guint          to,
              GError       **error)
{
  g_autoptr (GHashTable) wanted = NULL;
  g_autofree char *text_from = NULL;
  g_autofree char *text_to = NULL;
  RowsLoad         load = { data, t, r, NULL, NULL, NULL };
  gboolean         ok;

  if (from >= to)
    return TRUE;
  if ((guint64) ids->len * 4 < n_candidates)
    return load_records (data, t, store, r, ids, from, to, error);
  if (ids->len < n_candidates)
    {
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = from; i < to; i++)
        g_hash_table_add (wanted, g_ptr_array_index (ids, i));
      load.wanted = wanted;
    }
  month_text_range (r->m, &text_from, &text_to);
  ok = cc_store_foreach_month_row (store, text_from, text_to, g_ptr_array_index (ids, from),
                                   g_ptr_array_index (ids, to - 1), rows_take, &load, error);
  if (ok)
    rows_finish_record (&load);
  g_clear_pointer (&load.ledger, cc_ledger_free);
  g_clear_pointer (&load.current, g_free);
  return ok;
}

/* Appends @from's records (taking their strings) to @into's. */
static void
month_data_merge (MonthData *into,
                  MonthData *from)
{
  for (guint i = 0; i < from->record_ids->len; i++)
    g_hash_table_add (into->ids, g_ptr_array_index (from->record_ids, i));
  g_ptr_array_extend_and_steal (into->record_ids, g_steal_pointer (&from->record_ids));
  g_array_append_vals (into->cases, from->cases->data, from->cases->len);
  g_array_append_vals (into->problems, from->problems->data, from->problems->len);
  /* The children's strings move to @into. */
  g_array_append_vals (into->suites, from->suites->data, from->suites->len);
  g_array_set_clear_func (from->suites, NULL);
  trend_tally_merge (&into->trend, &from->trend);
  summaries_move (into->summaries, from->summaries);
  into->settled = into->settled && from->settled;
  into->settled_at = MAX (into->settled_at, from->settled_at);
}

/* A contiguous share of a month's records, read on a thread of its own
 * through a connection of its own. */
typedef struct
{
  const Reading *reading;
  const char    *path;
  GPtrArray     *ids;
  guint          n_candidates;
  guint          from, to;
  MonthData      data;
  Tally          tally;
  GError        *error;
} Share;

static gpointer
share_run (gpointer user_data)
{
  Share *share = user_data;
  g_autoptr (CcStore) store = cc_store_open (share->path, CC_STORE_OPEN_NONE, &share->error);

  if (store == NULL || !cc_store_begin_read (store, &share->error))
    return NULL;
  read_records (&share->data, share->reading->details ? &share->tally : NULL, store, share->reading, share->ids,
                share->n_candidates, share->from, share->to, &share->error);
  cc_store_end_read (store);
  return NULL;
}

/* Reading records is most of the report's time and each record stands
 * alone: a large month is read in one share per processor (up to 4, and
 * at least 500 records a share). */
static guint
n_shares (const Reading *r,
          guint          n_records)
{
  guint n = r->threads > 0 ? r->threads : MIN ((guint) g_get_num_processors (), 4);

  if (r->threads == 0)
    n = MIN (n, n_records / 500);
  return CLAMP (n, 1, MAX (n_records, 1));
}

/* Reads, evaluates and counts @ids, the month's records (or those of
 * them without a summary), into @data (initialised by the caller) and,
 * with details, @t.  Shares after the first run on threads, and start
 * reading after the caller's snapshot was taken, so they see at least
 * what it sees.  A share whose thread could not read (a connection
 * refused, say) is read again here. */
gboolean
month_data_load (MonthData     *data,
                 Tally         *t,
                 CcStore       *store,
                 const Reading *r,
                 GPtrArray     *ids,
                 guint          n_candidates,
                 GError       **error)
{
  g_autofree Share    *shares = NULL;
  g_autofree GThread **threads = NULL;
  gboolean             ok;
  guint                n, size;

  n = n_shares (r, ids->len);
  size = (ids->len + n - 1) / n;
  shares = g_new0 (Share, n);
  threads = g_new0 (GThread *, n);
  for (guint k = 1; k < n; k++)
    {
      Share *share = &shares[k];

      share->reading = r;
      share->path = cc_store_get_path (store);
      share->ids = ids;
      share->n_candidates = n_candidates;
      share->from = MIN (k * size, ids->len);
      share->to = MIN ((k + 1) * size, ids->len);
      month_data_init (&share->data, r->m);
      tally_init (&share->tally);
      threads[k] = g_thread_try_new ("cc-report", share_run, share, &share->error);
    }

  ok = read_records (data, r->details ? t : NULL, store, r, ids, n_candidates, 0, MIN (size, ids->len), error);
  for (guint k = 1; k < n; k++)
    {
      Share *share = &shares[k];

      if (threads[k] != NULL)
        g_thread_join (threads[k]);
      if (ok && share->error != NULL)
        {
          g_debug ("report: reading records on a thread failed (%s); reading them here", share->error->message);
          g_clear_error (&share->error);
          month_data_clear (&share->data);
          tally_clear (&share->tally);
          month_data_init (&share->data, r->m);
          tally_init (&share->tally);
          ok = read_records (&share->data, r->details ? &share->tally : NULL, store, r, ids, n_candidates,
                             share->from, share->to, error);
        }
      if (ok)
        {
          month_data_merge (data, &share->data);
          if (t != NULL)
            tally_merge (t, &share->tally);
        }
      g_clear_error (&share->error);
      month_data_clear (&share->data);
      tally_clear (&share->tally);
    }
  return ok;
}

/* ---- the trend --------------------------------------------------------- */

/* The one place the trend's medians are taken. */
void
trend_figures (TrendFigures *f,
               const Month  *m,
               TrendTally   *tt)
{
  memset (f, 0, sizeof *f);
  g_strlcpy (f->month, m->name, sizeof f->month);
  f->detentions = tt->detentions;
  f->has_aa_median = median_of (tt->aa_seconds, &f->aa_median);
  f->healthcare_seen = tt->healthcare_seen;
  f->healthcare_of = tt->healthcare_of;
  f->has_post_charge_median = median_of (tt->post_charge_seconds, &f->post_charge_median);
  f->breaches = tt->breaches;
}

static char *
trend_to_cache_text (const TrendFigures *f)
{
  CcJsonWriter *b = cc_json_writer_new ();

  cc_json_writer_begin_object (b);
  add_int (b, "detentions", f->detentions);
  add_optional_int (b, "aa_arrival_median", f->has_aa_median, f->aa_median);
  add_int (b, "healthcare_seen", f->healthcare_seen);
  add_int (b, "healthcare_of", f->healthcare_of);
  add_optional_int (b, "post_charge_median", f->has_post_charge_median, f->post_charge_median);
  add_int (b, "breaches", f->breaches);
  cc_json_writer_end_object (b);
  return cc_json_writer_free_to_string (b);
}

static gboolean
read_cached_int (JsonObject *o,
                 const char *name,
                 gboolean    nullable,
                 gboolean   *out_present,
                 gint64     *out_value)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (out_present != NULL)
        *out_present = FALSE;
      return nullable;
    }
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  if (out_present != NULL)
    *out_present = TRUE;
  return TRUE;
}

/* Returns %FALSE when the text is not what trend_to_cache_text() writes. */
static gboolean
trend_from_cache_text (TrendFigures *f,
                       const Month  *m,
                       const char   *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  memset (f, 0, sizeof *f);
  g_strlcpy (f->month, m->name, sizeof f->month);
  if (!json_parser_load_from_data (parser, text, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  o = json_node_get_object (json_parser_get_root (parser));
  return read_cached_int (o, "detentions", FALSE, NULL, &f->detentions) &&
         read_cached_int (o, "aa_arrival_median", TRUE, &f->has_aa_median, &f->aa_median) &&
         read_cached_int (o, "healthcare_seen", FALSE, NULL, &f->healthcare_seen) &&
         read_cached_int (o, "healthcare_of", FALSE, NULL, &f->healthcare_of) &&
         read_cached_int (o, "post_charge_median", TRUE, &f->has_post_charge_median, &f->post_charge_median) &&
         read_cached_int (o, "breaches", FALSE, NULL, &f->breaches);
}

/* The key's policy part, of the cache and the summaries alike: every
 * setting (not the translated comments: every language finds the same
 * entries), the cache format and the program's version. */
char *
cache_digest (const CcPolicy *policy)
{
  return cc_policy_digest (policy, "custody-clock report cache " CACHE_FORMAT " " PACKAGE_VERSION);
}

void
cache_save (Context            *ctx,
            const Month        *m,
            gint64              checked_seq,
            CcInstant           settled_at,
            const TrendFigures *f)
{
  CacheEntry entry = { *m, checked_seq, settled_at, *f };

  g_array_append_val (ctx->to_save, entry);
}

/* The cache is a convenience: failing to write it (a database opened by
 * someone who may only read it, say, or a writer holding the lock past the
 * busy timeout) changes no figure. */
void
cache_flush (Context *ctx)
{
  g_autoptr (GError) error = NULL;

  if (ctx->to_save->len == 0 && ctx->summaries_to_save->len == 0)
    return;
  if (!cc_store_begin (ctx->store, &error))
    {
      g_debug ("report cache not written: %s", error->message);
      return;
    }
  if (!cc_store_save_record_summaries (ctx->store, ctx->digest,
                                       (const CcStoreRecordSummary *) (gpointer) ctx->summaries_to_save->data,
                                       ctx->summaries_to_save->len, &error))
    {
      g_debug ("report summaries not written: %s", error->message);
      cc_store_rollback (ctx->store);
      return;
    }
  if (ctx->settle && ctx->summaries_to_save->len > 0)
    {
      g_autoptr (GArray) items = g_array_sized_new (FALSE, FALSE, sizeof (CcStoreSettled),
                                                    ctx->summaries_to_save->len);

      for (guint i = 0; i < ctx->summaries_to_save->len; i++)
        {
          const CcStoreRecordSummary *s = &g_array_index (ctx->summaries_to_save, CcStoreRecordSummary, i);
          CcStoreSettled              item = { s->record_id, s->checked_seq, s->arrived_at, s->closed_at };

          g_array_append_val (items, item);
        }
      if (!cc_store_settle (ctx->store, (const CcStoreSettled *) (gpointer) items->data, items->len,
                            CC_STORE_SETTLE_BOARD, &error))
        {
          g_debug ("report: the settled records were not recorded: %s", error->message);
          cc_store_rollback (ctx->store);
          return;
        }
    }
  for (guint i = 0; i < ctx->to_save->len; i++)
    {
      const CacheEntry *e = &g_array_index (ctx->to_save, CacheEntry, i);
      g_autofree char  *text = trend_to_cache_text (&e->figures);

      if (!cc_store_save_report_cache (ctx->store, e->month.name, ctx->suite != NULL ? ctx->suite : "", ctx->digest,
                                       e->checked_seq, e->settled_at, text, &error))
        {
          g_debug ("report cache not written: %s", error->message);
          cc_store_rollback (ctx->store);
          return;
        }
    }
  if (!cc_store_commit (ctx->store, &error))
    {
      g_debug ("report cache not written: %s", error->message);
      cc_store_rollback (ctx->store);
    }
}

/* The month's kept figures, if they hold at the instant (@out_found):
 * the month had settled by then, and no row appended since they were last
 * checked belongs to its records.  Their check is brought up to date, so
 * the next report reads only what is appended after this one.  Returns
 * %FALSE only when the log could not be read. */
static gboolean
cache_lookup (Context      *ctx,
              const Month  *m,
              TrendFigures *f,
              gboolean     *out_found,
              GError      **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gint64           checked_seq = 0;
  CcInstant        settled_at = 0;
  gboolean         changed = TRUE;

  *out_found = FALSE;
  if (!cc_store_lookup_report_cache (ctx->store, m->name, ctx->suite != NULL ? ctx->suite : "", ctx->digest, &text,
                                     &checked_seq, &settled_at, &local_error))
    {
      g_debug ("report cache for %s not read: %s", m->name, local_error->message);
      return TRUE;
    }
  if (text == NULL || settled_at > ctx->at || !trend_from_cache_text (f, m, text))
    return TRUE;
  if (checked_seq < ctx->last_seq)
    {
      month_text_range (m, &from, &to);
      if (!cc_store_month_changed_since (ctx->store, from, to, checked_seq, &changed, error))
        return FALSE;
      if (changed)
        return TRUE;
      cache_save (ctx, m, ctx->last_seq, settled_at, f);
    }
  *out_found = TRUE;
  return TRUE;
}

/* Keeps @data's new summaries for the write after reading. */
void
summaries_take (Context   *ctx,
                MonthData *data)
{
  if (ctx->use_summaries)
    summaries_move (ctx->summaries_to_save, data->summaries);
}

/* The month's records that must be read: all of them without summaries,
 * else those without one that holds at the instant, the others counted
 * from their summaries into @data.  For the report's own month
 * (@details), a summary counts only with its figures, into @data and @t
 * (count_kept()); a record without them is read, and its summary kept
 * again with them. */
gboolean
month_from_summaries (Context     *ctx,
                      const Month *m,
                      gboolean     details,
                      MonthData   *data,
                      Tally       *t,
                      GPtrArray  **out_ids,
                      guint       *out_n_candidates,
                      GError     **error)
{
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GArray) rows = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  month_text_range (m, &from, &to);
  if (!ctx->use_summaries)
    {
      if (!cc_store_list_month_records (ctx->store, from, to, out_ids, error))
        return FALSE;
      *out_n_candidates = (*out_ids)->len;
      return TRUE;
    }
  if (!cc_store_list_month_summaries (ctx->store, from, to, ctx->digest, details, &rows, error))
    return FALSE;
  *out_n_candidates = rows->len;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      CcStoreRecordSummary *s = &g_array_index (rows, CcStoreRecordSummary, i);

      if (!s->found || s->settled_at > ctx->at)
        {
          g_ptr_array_add (ids, g_steal_pointer (&s->record_id));
          continue;
        }
      /* As count_record() decides, from what the engine said; the
       * arrival is at or before settled_at, so before the instant. */
      if (s->arrived_at < m->start || s->arrived_at >= m->end ||
          (ctx->suite != NULL && g_strcmp0 (s->suite, ctx->suite) != 0))
        continue;
      if (details && s->monitored)
        {
          if (s->figures == NULL || !count_kept (data, t, s))
            g_ptr_array_add (ids, g_steal_pointer (&s->record_id));
          continue;
        }
      data->settled_at = MAX (data->settled_at, s->settled_at);
      if (!s->monitored)
        continue;
      trend_tally_add (&data->trend, s);
    }
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/* One earlier month's headline figures, from the cache when it holds them,
 * else from the summaries of its settled records and the evaluation of
 * the rest, as the report's own month is (and kept if settled). */
gboolean
trend_month (Context      *ctx,
             const Month  *m,
             TrendFigures *f,
             GError      **error)
{
  Reading reading = { ctx->policy, m, ctx->suite, ctx->at, FALSE, ctx->use_summaries, ctx->threads };
  g_auto (MonthData) data = { 0 };
  g_autoptr (GPtrArray) ids = NULL;
  gboolean found = FALSE;
  guint    n_candidates = 0;

  if (ctx->use_cache)
    {
      if (!cache_lookup (ctx, m, f, &found, error))
        return FALSE;
      if (found)
        return TRUE;
    }
  month_data_init (&data, m);
  if (!month_from_summaries (ctx, m, FALSE, &data, NULL, &ids, &n_candidates, error) ||
      !month_data_load (&data, NULL, ctx->store, &reading, ids, n_candidates, error))
    return FALSE;
  trend_figures (f, m, &data.trend);
  summaries_take (ctx, &data);
  if (ctx->use_cache && data.settled)
    cache_save (ctx, m, ctx->last_seq, data.settled_at, f);
  return TRUE;
}

void
add_trend_entry (CcJsonWriter       *b,
                 const TrendFigures *f)
{
  cc_json_writer_begin_object (b);
  cc_json_writer_member_string (b, "month", f->month);
  add_int (b, "detentions", f->detentions);
  add_optional_int (b, "aa_arrival_median", f->has_aa_median, f->aa_median);
  add_share (b, "healthcare_share", f->healthcare_seen, f->healthcare_of);
  add_optional_int (b, "post_charge_median", f->has_post_charge_median, f->post_charge_median);
  add_int (b, "breaches", f->breaches);
  cc_json_writer_end_object (b);
}

/* ---- escalation records -------------------------------------------------- */

void
escalations_clear (Escalations *esc)
{
  g_clear_pointer (&esc->by_key, g_hash_table_unref);
  g_clear_pointer (&esc->groups, g_ptr_array_unref);
  g_clear_pointer (&esc->rows, g_ptr_array_unref);
}

static char *
breach_key (const char *record_id,
            const char *rule,
            int         occurrence)
{
  return g_strdup_printf ("%s\x1f%s\x1f%d", record_id, rule, occurrence);
}

/* The escalation records of @c's breach, or %NULL if none was written. */
static const BreachEscalations *
escalations_of (Escalations *esc,
                const Case  *c)
{
  g_autofree char *key = breach_key (c->record_id, c->rule, c->occurrence);

  return g_hash_table_lookup (esc->by_key, key);
}

/* The records as they stood at the instant: written by then, and
 * acknowledged or resolved only if that had happened by then. */
gboolean
escalations_load (Escalations     *esc,
                  CcStore         *store,
                  const Month     *m,
                  const MonthData *data,
                  CcInstant        at,
                  GError         **error)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  month_text_range (m, &from, &to);
  all = cc_store_list_month_escalations (store, from, to, error);
  if (all == NULL)
    return FALSE;
  esc->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  esc->groups = g_ptr_array_new ();
  esc->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < all->len; i++)
    {
      CcEscalation      *row = g_ptr_array_index (all, i);
      g_autofree char   *key = NULL;
      BreachEscalations *group;

      /* The candidates' records: adults' and other months' too. */
      if (row->record_id == NULL || !g_hash_table_contains (data->ids, row->record_id) || row->raised_at == CC_INSTANT_NONE ||
          row->raised_at > at || (int) row->level < 0)
        continue;
      if (row->acknowledged_at != CC_INSTANT_NONE && row->acknowledged_at > at)
        row->acknowledged_at = CC_INSTANT_NONE;
      if (row->resolved_at != CC_INSTANT_NONE && row->resolved_at > at)
        row->resolved_at = CC_INSTANT_NONE;
      g_ptr_array_add (esc->rows, g_steal_pointer (&all->pdata[i]));

      key = breach_key (row->record_id, row->rule, row->occurrence);
      group = g_hash_table_lookup (esc->by_key, key);
      if (group == NULL)
        {
          group = g_new0 (BreachEscalations, 1);
          group->acknowledged_at = CC_INSTANT_NONE;
          group->top = row->level;
          g_hash_table_insert (esc->by_key, g_steal_pointer (&key), group);
          g_ptr_array_add (esc->groups, group);
        }
      group->levels |= 1u << row->level;
      if (group->first == NULL || row->level < group->first->level)
        group->first = row;
      group->top = MAX (group->top, row->level);
      if (row->acknowledged_at != CC_INSTANT_NONE &&
          (group->acknowledged_at == CC_INSTANT_NONE || row->acknowledged_at < group->acknowledged_at))
        {
          group->acknowledged_at = row->acknowledged_at;
          group->acknowledged_by = row->acknowledged_by;
        }
    }
  return TRUE;
}

void
add_escalations (CcJsonWriter *b,
                 Escalations  *esc)
{
  /* Each resolution the escalator writes is its own figure (cc-rules.h):
   * a breach a policy reload withdrew is neither a late entry nor still
   * open, and the inspectorate asks about the two differently.  A record
   * resolved by a name this release does not know counts as open, the
   * reading that hides nothing. */
  guint by_level[CC_N_LEVELS] = { 0 };
  guint resolved[CC_RESOLUTION_LAST + 1] = { 0 }; /* by CcResolution; slot 0 (NONE): open */
  guint acknowledged = 0, climbed = 0, late = 0;
  g_autoptr (GArray) ack_seconds = values_new ();
  g_autoptr (GArray) write_delay = values_new ();

  for (guint i = 0; i < esc->rows->len; i++)
    {
      const CcEscalation *row = g_ptr_array_index (esc->rows, i);

      by_level[row->level]++;
      if (row->acknowledged_at != CC_INSTANT_NONE)
        {
          acknowledged++;
          values_add (ack_seconds, row->acknowledged_at - row->raised_at);
        }
      if (row->resolved_at != CC_INSTANT_NONE && row->resolution >= CC_RESOLUTION_FIRST &&
          row->resolution <= CC_RESOLUTION_LAST)
        resolved[row->resolution]++;
      else
        resolved[CC_RESOLUTION_NONE]++;
      late += row->late;
    }
  for (guint i = 0; i < esc->groups->len; i++)
    {
      const BreachEscalations *group = g_ptr_array_index (esc->groups, i);

      climbed += (group->levels & (group->levels - 1)) != 0; /* more than one level */
      if (group->first->breached_at != CC_INSTANT_NONE)
        values_add (write_delay, group->first->raised_at - group->first->breached_at);
    }

  cc_json_writer_set_member_name (b, "escalations");
  cc_json_writer_begin_object (b);
  add_int (b, "raised", esc->rows->len);
  cc_json_writer_set_member_name (b, "by_level");
  cc_json_writer_begin_object (b);
  for (int l = 0; l < CC_N_LEVELS; l++)
    add_int (b, cc_level_to_string (l), by_level[l]);
  cc_json_writer_end_object (b);
  add_int (b, "acknowledged", acknowledged);
  add_stat (b, "ack_seconds", ack_seconds);
  add_int (b, "climbed", climbed);
  cc_json_writer_set_member_name (b, "resolutions");
  cc_json_writer_begin_object (b);
  for (CcResolution r = CC_RESOLUTION_FIRST; r <= CC_RESOLUTION_LAST; r++)
    add_int (b, cc_resolution_to_string (r), resolved[r]);
  add_int (b, "open", resolved[CC_RESOLUTION_NONE]);
  cc_json_writer_end_object (b);
  add_int (b, "late_written", late);
  add_stat (b, "write_delay_seconds", write_delay);
  cc_json_writer_end_object (b);
}

/* ---- cases and weeks -------------------------------------------------- */

int
compare_cases (gconstpointer a,
               gconstpointer b)
{
  const Case *x = a, *y = b;
  int         c;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  if ((c = strcmp (x->record_id, y->record_id)) != 0)
    return c;
  if ((c = strcmp (x->rule, y->rule)) != 0)
    return c;
  return (x->occurrence > y->occurrence) - (x->occurrence < y->occurrence);
}

void
add_cases (CcJsonWriter *b,
           GArray       *cases,
           Escalations  *esc)
{
  cc_json_writer_set_member_name (b, "cases");
  cc_json_writer_begin_array (b);
  for (guint i = 0; i < cases->len; i++)
    {
      const Case              *c = &g_array_index (cases, Case, i);
      const BreachEscalations *group = escalations_of (esc, c);

      cc_json_writer_begin_object (b);
      cc_json_writer_member_string (b, "record_id", c->record_id);
      cc_json_writer_member_string (b, "suite", c->suite);
      cc_json_writer_member_string (b, "rule", c->rule);
      cc_json_writer_member_int (b, "occurrence", c->occurrence);
      cc_json_writer_member_instant (b, "at", c->at);
      cc_json_writer_set_member_name (b, "late_seconds");
      if (c->late_known)
        cc_json_writer_add_int (b, c->late_seconds);
      else
        cc_json_writer_add_null (b);
      cc_json_writer_set_member_name (b, "satisfied");
      cc_json_writer_add_boolean (b, c->satisfied);
      cc_json_writer_member_string (b, "escalated_to", group != NULL ? cc_level_to_string (group->top) : NULL);
      cc_json_writer_member_string (b, "acknowledged_by", group != NULL ? group->acknowledged_by : NULL);
      cc_json_writer_member_instant (b, "acknowledged_at", group != NULL ? group->acknowledged_at : CC_INSTANT_NONE);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_array (b);
}

static int
compare_cases_by_child (gconstpointer a,
                        gconstpointer b)
{
  const Case *x = a, *y = b;
  int         c = strcmp (x->record_id, y->record_id);

  if (c != 0)
    return c;
  if ((c = strcmp (x->rule, y->rule)) != 0)
    return c;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* Same record, same clock or rule. */
static int
compare_group (const Case *x,
               const Case *y)
{
  int c = strcmp (x->record_id, y->record_id);

  return c != 0 ? c : strcmp (x->rule, y->rule);
}

/* Groups (by their first, earliest case) in record order, then by the
 * first breach, then by rule. */
static int
compare_group_starts (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  GArray     *sorted = user_data;
  const Case *x = &g_array_index (sorted, Case, *(const guint *) a);
  const Case *y = &g_array_index (sorted, Case, *(const guint *) b);
  int         c = strcmp (x->record_id, y->record_id);

  if (c != 0)
    return c;
  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return strcmp (x->rule, y->rule);
}

/* The cases grouped: one entry per record and clock or rule, in record
 * order, then by the first breach.  A month lists about 3,600 late cell
 * visits; read out to an inspectorate, "R-1: cell visit missed 9 times, the
 * worst 2 h 10 min late, 3 never made up" says what happened to that
 * child, where nine lines of times do not.  Each child's duties stay
 * together, and the worst lateness and the never-met count keep the
 * figures a case turns on; "cases" keeps every breach for programs and the
 * CSV's --cases (docs/REPORT.md). */
void
add_case_groups (CcJsonWriter *b,
                 GArray       *cases,
                 Escalations  *esc)
{
  g_autoptr (GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (Case), cases->len);
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_append_vals (sorted, cases->data, cases->len);
  g_array_sort (sorted, compare_cases_by_child);
  for (guint i = 0; i < sorted->len; i++)
    if (i == 0 || compare_group (&g_array_index (sorted, Case, i - 1), &g_array_index (sorted, Case, i)) != 0)
      g_array_append_val (starts, i);
  g_array_sort_with_data (starts, compare_group_starts, sorted);
  cc_json_writer_set_member_name (b, "case_groups");
  cc_json_writer_begin_array (b);
  for (guint g = 0; g < starts->len; g++)
    {
      guint       i = g_array_index (starts, guint, g);
      const Case *first = &g_array_index (sorted, Case, i);
      guint       n = 0, never = 0, acknowledged = 0;
      gboolean    late_known = FALSE;
      gint64      worst = 0;
      int         top = -1;

      for (; i < sorted->len && compare_group (first, &g_array_index (sorted, Case, i)) == 0; i++)
        {
          const Case              *c = &g_array_index (sorted, Case, i);
          const BreachEscalations *group = escalations_of (esc, c);

          n++;
          never += c->late_known && !c->satisfied;
          if (c->late_known && (!late_known || c->late_seconds > worst))
            worst = c->late_seconds;
          late_known = late_known || c->late_known;
          if (group != NULL)
            {
              top = MAX (top, (int) group->top);
              acknowledged += group->acknowledged_at != CC_INSTANT_NONE;
            }
        }
      cc_json_writer_begin_object (b);
      cc_json_writer_member_string (b, "record_id", first->record_id);
      cc_json_writer_member_string (b, "suite", first->suite);
      cc_json_writer_member_string (b, "rule", first->rule);
      cc_json_writer_member_int (b, "breaches", n);
      cc_json_writer_member_instant (b, "first_at", first->at);
      cc_json_writer_set_member_name (b, "worst_late_seconds");
      if (late_known)
        cc_json_writer_add_int (b, worst);
      else
        cc_json_writer_add_null (b);
      cc_json_writer_member_int (b, "never_met", never);
      cc_json_writer_member_string (b, "escalated_to", top >= 0 ? cc_level_to_string (top) : NULL);
      cc_json_writer_member_int (b, "acknowledged", acknowledged);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_array (b);
}

/* The local Monday of @instant's week, as a Julian day. */
static guint32
week_of (CcInstant  instant,
         GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  return g_date_get_julian (&date) - (g_date_get_weekday (&date) - G_DATE_MONDAY);
}

/* "rules": {clock or rule: count}, of @counts (N_SLOTS, rule_slot()'s
 * order: clocks then rules, in clocks.md's order), only those not zero.
 * Returns: their total. */
static guint
add_slot_counts (CcJsonWriter *b,
                 const guint  *counts)
{
  guint total = 0;

  cc_json_writer_set_member_name (b, "rules");
  cc_json_writer_begin_object (b);
  for (int s = 0; s < N_SLOTS; s++)
    if (counts[s] > 0)
      {
        add_int (b, slot_name (s), counts[s]);
        total += counts[s];
      }
  cc_json_writer_end_object (b);
  return total;
}

/* Weeks from the one holding the month's first day to the one holding its
 * last day, or its records' last breach if later (a child who arrived on
 * the 31st is breached in the next days): the weeks' totals add up to
 * every case. */
void
add_weeks (CcJsonWriter *b,
           const Month  *m,
           GArray       *cases,
           GTimeZone    *tz)
{
  guint32             first = week_of (m->start, tz);
  guint32             last = week_of (m->end - 1, tz);
  guint               n_weeks;
  g_autofree guint   *counts = NULL;
  g_autofree guint32 *week = g_new (guint32, MAX (cases->len, 1));

  for (guint i = 0; i < cases->len; i++)
    {
      week[i] = week_of (g_array_index (cases, Case, i).at, tz);
      first = MIN (first, week[i]);
      last = MAX (last, week[i]);
    }
  n_weeks = (last - first) / 7 + 1;
  counts = g_new0 (guint, n_weeks * N_SLOTS);
  for (guint i = 0; i < cases->len; i++)
    counts[(week[i] - first) / 7 * N_SLOTS + rule_slot (g_array_index (cases, Case, i).rule)]++;

  cc_json_writer_set_member_name (b, "breaches_by_week");
  cc_json_writer_begin_array (b);
  for (guint w = 0; w < n_weeks; w++)
    {
      GDate date;
      char  label[16];
      guint total;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, first + 7 * w);
      g_snprintf (label, sizeof label, "%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                  g_date_get_day (&date));
      cc_json_writer_begin_object (b);
      cc_json_writer_member_string (b, "week", label);
      total = add_slot_counts (b, &counts[w * N_SLOTS]);
      add_int (b, "total", total);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_array (b);
}

static int
compare_suite_records (gconstpointer a,
                       gconstpointer b)
{
  const SuiteRecord *x = a, *y = b;
  int                c = g_strcmp0 (x->suite, y->suite);

  return c != 0 ? c : g_strcmp0 (x->child, y->child);
}

static int
compare_cases_by_suite (gconstpointer a,
                        gconstpointer b)
{
  return g_strcmp0 (((const Case *) a)->suite, ((const Case *) b)->suite);
}

/* One entry per suite, by name: children, detentions, breaches, and the
 * breaches per duty (only non-zero, clocks then rules, clocks.md order,
 * as breaches_by_week).  Made from the records' suites and the cases
 * (sorted copies: the cases keep their own order), so that the figures
 * are the ones the sections show, split; a suite report has its one
 * entry.  A custody lead compares suites by where the duties are missed,
 * which the headline figures alone do not show. */
void
add_suites (CcJsonWriter *b,
            GArray       *suites,
            GArray       *cases)
{
  g_autoptr (GArray) by_suite = g_array_sized_new (FALSE, FALSE, sizeof (Case), cases->len);
  guint k = 0;

  g_array_sort (suites, compare_suite_records);
  g_array_append_vals (by_suite, cases->data, cases->len);
  g_array_sort (by_suite, compare_cases_by_suite);

  cc_json_writer_set_member_name (b, "suites");
  cc_json_writer_begin_array (b);
  for (guint i = 0; i < suites->len;)
    {
      const char *suite = g_array_index (suites, SuiteRecord, i).suite;
      guint       detentions = 0, children = 0, breaches = 0;
      guint       counts[N_SLOTS] = { 0 };
      const char *previous = NULL;

      for (; i < suites->len && g_array_index (suites, SuiteRecord, i).suite == suite; i++)
        {
          const char *child = g_array_index (suites, SuiteRecord, i).child;

          detentions++;
          /* As summary.children: each reference once, a record without one
           * as a child of its own. */
          children += child == NULL || previous == NULL || !g_str_equal (child, previous);
          previous = child;
        }
      /* Cases of a suite with no records cannot be: both come from the
       * same records; skip any that sort before, to stay in step. */
      while (k < by_suite->len && g_strcmp0 (g_array_index (by_suite, Case, k).suite, suite) < 0)
        k++;
      for (; k < by_suite->len && g_array_index (by_suite, Case, k).suite == suite; k++)
        {
          counts[rule_slot (g_array_index (by_suite, Case, k).rule)]++;
          breaches++;
        }
      cc_json_writer_begin_object (b);
      cc_json_writer_member_string (b, "suite", suite);
      add_int (b, "children", children);
      add_int (b, "detentions", detentions);
      add_int (b, "breaches", breaches);
      add_slot_counts (b, counts);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_array (b);
}

/* ---- data quality --------------------------------------------------------- */

static gboolean
record_is_known (CcStore    *store,
                 const char *record_id)
{
  g_autofree char *event_id = NULL;
  CcInstant        arrived;

  if (record_id == NULL)
    return FALSE;
  if (!cc_store_lookup_arrival (store, record_id, &event_id, &arrived, NULL))
    return TRUE; /* cannot tell: do not count it as nobody's */
  return event_id != NULL;
}

/* Input of the month's records that could not count and has not since
 * been put right: the quarantine (import lines and rows that doctor or the
 * agent kept), and the rows the ledger refused now, whether or not anyone
 * kept them yet, once each.  Without a suite, also input quarantined in the
 * month that belongs to no known record. */
gboolean
count_quarantined (CcStore     *store,
                   MonthData   *data,
                   const Month *m,
                   gboolean     all_suites,
                   CcInstant    at,
                   guint       *out_count,
                   GError     **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  guint            count = 0;

  /* Only the entries that can count: those of the month's candidate
   * records, and (for all suites) those quarantined in the month, each
   * text range wider than the month and judged exactly below. */
  month_text_range (m, &from, &to);
  entries = cc_store_list_month_quarantine (store, from, to, all_suites, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      CcQuarantineEntry *entry = g_ptr_array_index (entries, i);
      gboolean           ours;

      if (entry->resolved_at != CC_INSTANT_NONE && entry->resolved_at <= at)
        continue;
      if (entry->record_id != NULL && g_hash_table_contains (data->ids, entry->record_id))
        ours = TRUE;
      else
        ours = all_suites && entry->quarantined_at >= m->start && entry->quarantined_at < m->end &&
               !record_is_known (store, entry->record_id);
      if (!ours)
        continue;
      count++;
      if (entry->seq > 0)
        g_hash_table_add (seen, &entry->seq);
    }

  for (guint i = 0; i < data->problems->len; i++)
    if (!g_hash_table_contains (seen, &g_array_index (data->problems, gint64, i)))
      count++;
  *out_count = count;
  return TRUE;
}

void
add_data_quality (CcJsonWriter *b,
                  const Tally  *t,
                  guint         quarantined)
{
  cc_json_writer_set_member_name (b, "data_quality");
  cc_json_writer_begin_object (b);
  add_int (b, "late_entries", t->late_entries);
  add_int (b, "corrections", t->corrections);
  add_int (b, "voids", t->voids);
  add_int (b, "quarantined", quarantined);
  add_int (b, "age_unknown", t->age_unknown);
  add_int (b, "missing_authorisation", t->missing_authorisation);
  add_int (b, "cell_visits_without_voice", t->cell_visits_without_voice);
  add_int (b, "events_after_close", t->events_after_close);
  add_int (b, "hospital_left_twice", t->hospital_left_twice);
  add_int (b, "rest_started_twice", t->rest_started_twice);
  cc_json_writer_end_object (b);
}

/* ---- the sections ---------------------------------------------------------- */

void
add_summary (CcJsonWriter *b,
             Tally        *t)
{
  cc_json_writer_set_member_name (b, "summary");
  cc_json_writer_begin_object (b);
  add_int (b, "children", tally_children (t));
  add_int (b, "detentions", t->detentions);
  add_int (b, "still_in_custody", t->still_in_custody);
  add_int (b, "overnight", t->overnight);
  add_int (b, "overnight_post_charge", t->overnight_post_charge);
  add_int (b, "charged", t->charged);
  add_int (b, "bail_refused", t->bail_refused);
  add_stat (b, "custody_seconds", t->custody_seconds);
  cc_json_writer_end_object (b);
}

void
add_headline (CcJsonWriter *b,
              Tally        *t)
{
  ClockTally *aa = &t->clocks[CC_CLOCK_AA_ARRIVED];
  ClockTally *hc = &t->clocks[CC_CLOCK_HEALTHCARE];
  guint       never = aa->started - aa->met - aa->met_late;

  cc_json_writer_set_member_name (b, "headline");
  cc_json_writer_begin_object (b);
  add_stat (b, "aa_arrival_seconds", aa->seconds);
  add_int (b, "aa_never_arrived", never);
  cc_json_writer_set_member_name (b, "aa_arrival_bins");
  cc_json_writer_begin_array (b);
  for (guint i = 0; i <= N_AA_BINS; i++)
    {
      gboolean arrived = i < N_AA_BINS;

      cc_json_writer_begin_object (b);
      cc_json_writer_member_string (b, "id", arrived ? aa_bins[i].id : "not_arrived");
      cc_json_writer_member_string (b, "label",
                                    arrived ? g_dpgettext2 (GETTEXT_PACKAGE, "AA arrival band", aa_bins[i].label)
                                            /* Translators: the band of children whose appropriate adult never came */
                                            : C_ ("AA arrival band", "did not arrive"));
      add_optional_int (b, "from", arrived, arrived ? aa_bins[i].from : 0);
      add_optional_int (b, "to", arrived && aa_bins[i].to >= 0, arrived ? aa_bins[i].to : 0);
      add_int (b, "count", arrived ? t->aa_bins[i] : never);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_array (b);
  add_int (b, "healthcare_seen", hc->met + hc->met_late);
  add_int (b, "healthcare_of", hc->started);
  add_share (b, "healthcare_share", hc->met + hc->met_late, hc->started);
  add_stat (b, "healthcare_seconds", hc->seconds);
  add_stat (b, "post_charge_seconds", t->post_charge_seconds);
  cc_json_writer_end_object (b);
}

void
add_clocks (CcJsonWriter   *b,
            Tally          *t,
            const CcPolicy *policy)
{
  cc_json_writer_set_member_name (b, "clocks");
  cc_json_writer_begin_object (b);
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      ClockTally *ct = &t->clocks[c];

      cc_json_writer_set_member_name (b, cc_clock_to_string (c));
      cc_json_writer_begin_object (b);
      for (guint k = 0; k < N_CLOCK_COUNTERS; k++)
        add_int (b, clock_counter_name (k), *clock_counter (ct, k));
      if (clock_is_recurring (c))
        {
          cc_json_writer_set_member_name (b, "seconds_to_satisfy");
          cc_json_writer_add_null (b);
        }
      else
        add_stat (b, "seconds_to_satisfy", ct->seconds);
      cc_json_writer_set_member_name (b, "enabled");
      cc_json_writer_add_boolean (b, policy->clocks[c].enabled);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_object (b);
}

void
add_rules (CcJsonWriter *b,
           const Tally  *t)
{
  cc_json_writer_set_member_name (b, "rules");
  cc_json_writer_begin_object (b);
  for (int r = 0; r < CC_N_RULES; r++)
    add_int (b, cc_rule_to_string (r), t->rules[r]);
  cc_json_writer_end_object (b);
}

static int
compare_post_charge (gconstpointer a,
                     gconstpointer b)
{
  const PostCharge *x = *(const PostCharge *const *) a;
  const PostCharge *y = *(const PostCharge *const *) b;

  if (x->seconds != y->seconds)
    return x->seconds > y->seconds ? -1 : 1;
  return strcmp (x->record_id, y->record_id);
}

void
add_post_charge (CcJsonWriter *b,
                 Tally        *t)
{
  cc_json_writer_set_member_name (b, "post_charge");
  cc_json_writer_begin_object (b);
  add_int (b, "bail_refused", t->bail_refused);
  add_int (b, "requested_secure", t->requested_secure);
  add_int (b, "requested_non_secure", t->requested_non_secure);
  cc_json_writer_set_member_name (b, "responses");
  cc_json_writer_begin_object (b);
  for (guint o = 0; o < N_LA_OUTCOMES; o++)
    add_int (b, la_outcomes[o], t->responses[o]);
  cc_json_writer_end_object (b);
  add_int (b, "transferred", t->transferred);
  add_int (b, "certificates", t->certificates);
  add_int (b, "court_without_certificate", t->court_without_certificate);

  g_ptr_array_sort (t->post_charge, compare_post_charge);
  cc_json_writer_set_member_name (b, "children");
  cc_json_writer_begin_array (b);
  for (guint i = 0; i < t->post_charge->len; i++)
    {
      const PostCharge *pc = g_ptr_array_index (t->post_charge, i);

      cc_json_writer_begin_object (b);
      cc_json_writer_member_string (b, "record_id", pc->record_id);
      cc_json_writer_member_string (b, "suite", pc->suite);
      cc_json_writer_member_instant (b, "bail_refused_at", pc->bail_refused_at);
      cc_json_writer_member_instant (b, "ended_at", pc->ended_at);
      cc_json_writer_member_string (b, "outcome", pc->outcome);
      add_int (b, "seconds", pc->seconds);
      cc_json_writer_end_object (b);
    }
  cc_json_writer_end_array (b);
  cc_json_writer_end_object (b);
}

/* ---- the report --------------------------------------------------------- */

/* A report's reading at @at, with every shortcut (cache, summaries,
 * settling): what cc_report_keep_summaries() uses, and the report unless
 * its options say otherwise. */
static void
context_init (Context  *ctx,
              CcStore  *store,
              CcPolicy *policy,
              CcInstant at)
{
  ctx->store = store;
  ctx->policy = policy;
  ctx->at = at;
  ctx->use_cache = TRUE;
  ctx->use_summaries = TRUE;
  ctx->settle = TRUE;
  ctx->digest = cache_digest (policy);
  ctx->to_save = g_array_new (FALSE, FALSE, sizeof (CacheEntry));
  ctx->summaries_to_save = summaries_new ();
}

static void
context_clear (Context *ctx)
{
  g_clear_pointer (&ctx->digest, g_free);
  g_clear_pointer (&ctx->to_save, g_array_unref);
  g_clear_pointer (&ctx->summaries_to_save, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Context, context_clear)

static void
add_header (CcJsonWriter          *b,
            const CcReportOptions *options,
            const Month           *m,
            const CcPolicy        *policy,
            const char            *suite)
{
  cc_json_writer_member_string (b, "month", m->name);
  cc_json_writer_member_string (b, "suite", suite);
  cc_json_writer_member_string (b, "timezone", policy->timezone);
  cc_json_writer_member_instant (b, "at", options->at);
  if (options->stamp_at != CC_INSTANT_NONE && options->stamp_at != 0)
    cc_json_writer_member_instant (b, "generated_at", options->stamp_at);
  cc_json_writer_set_member_name (b, "period");
  cc_json_writer_begin_object (b);
  cc_json_writer_member_instant (b, "start", m->start);
  cc_json_writer_member_instant (b, "end", m->end);
  cc_json_writer_end_object (b);
}

/* Everything the report reads, in one snapshot of the log. */
static gboolean
read_all (Context     *ctx,
          const Month *m,
          MonthData   *data,
          Tally       *t,
          Escalations *esc,
          guint       *out_quarantined,
          TrendFigures trend[12],
          GError     **error)
{
  Reading reading = { ctx->policy, m, ctx->suite, ctx->at, TRUE, ctx->use_summaries, ctx->threads };
  g_autoptr (GPtrArray) ids = NULL;
  guint n_candidates = 0;

  if (ctx->use_cache && !cc_store_get_max_seq (ctx->store, &ctx->last_seq, error))
    return FALSE;
  /* The month's settled records are counted from their kept figures and
   * the rest read; the summaries of those found settled now are kept. */
  month_data_init (data, m);
  if (!month_from_summaries (ctx, m, TRUE, data, t, &ids, &n_candidates, error) ||
      !month_data_load (data, t, ctx->store, &reading, ids, n_candidates, error) ||
      !escalations_load (esc, ctx->store, m, data, ctx->at, error) ||
      !count_quarantined (ctx->store, data, m, ctx->suite == NULL, ctx->at, out_quarantined, error))
    return FALSE;

  for (int i = 11; i >= 1; i--)
    {
      Month earlier = month_make (m->year, m->month - i, ctx->policy->tz);
      if (!trend_month (ctx, &earlier, &trend[11 - i], error))
        return FALSE;
    }
  trend_figures (&trend[11], m, &data->trend);
  summaries_take (ctx, data);
  if (ctx->use_cache && data->settled)
    cache_save (ctx, m, ctx->last_seq, data->settled_at, &trend[11]);
  return TRUE;
}

/**
 * cc_report_build_json:
 * @store: the custody log
 * @policy: the policy in force
 * @options: the month, suite and instant
 * @error: return location for a #GError (%CC_TIME_ERROR for a malformed
 *   month, %CC_STORE_ERROR when the log cannot be read)
 *
 * Every figure of the month's report, as docs/REPORT.md lays it out,
 * written as JSON as it is counted (CcJsonWriter: no tree is made, which
 * for a national month cost more than the counting).  May write the
 * per-month summary cache and the records' summaries (a failure to do so
 * is not an error).
 *
 * Returns: (transfer full): the report as pretty-printed JSON with a
 *   final newline, the same bytes as cc_report_render_json() of
 *   cc_report_build(); or %NULL with @error set
 */
char *
cc_report_build_json (CcStore               *store,
                      CcPolicy              *policy,
                      const CcReportOptions *options,
                      GError               **error)
{
  g_auto (Context) ctx = { 0 };
  g_auto (MonthData) data = { 0 };
  g_auto (Tally) t = { 0 };
  g_auto (Escalations) esc = { 0 };
  g_autoptr (CcJsonWriter) b = NULL;
  g_autofree char *policy_text = NULL;
  g_autofree char *text = NULL;
  TrendFigures     trend[12];
  Month            m;
  guint            quarantined = 0;
  int              year, month;

  g_return_val_if_fail (store != NULL && policy != NULL && options != NULL, NULL);

  if (!cc_report_parse_month (options->month, &year, &month, error))
    return NULL;
  context_init (&ctx, store, policy, options->at);
  ctx.suite = options->suite != NULL && *options->suite != '\0' ? options->suite : NULL;
  ctx.use_cache = !options->no_cache;
  ctx.use_summaries = !options->no_summaries;
  /* Settled at the report's instant is settled at any later one, the
   * machine's time included (cc_settle_judge()). */
  ctx.settle = ctx.use_summaries && options->now != 0 && options->now != CC_INSTANT_NONE && options->at <= options->now;
  ctx.threads = options->threads;
  m = month_make (year, month, policy->tz);
  tally_init (&t);

  if (!cc_store_begin_read (store, error))
    return NULL;
  if (!read_all (&ctx, &m, &data, &t, &esc, &quarantined, trend, error))
    {
      cc_store_end_read (store);
      return NULL;
    }
  cc_store_end_read (store);
  cache_flush (&ctx);

  g_array_sort (data.cases, compare_cases);
  b = cc_json_writer_new ();
  cc_json_writer_begin_object (b);
  add_header (b, options, &m, policy, ctx.suite);
  add_summary (b, &t);
  add_suites (b, data.suites, data.cases);
  add_headline (b, &t);
  add_clocks (b, &t, policy);
  add_rules (b, &t);
  add_post_charge (b, &t);
  add_escalations (b, &esc);
  add_weeks (b, &m, data.cases, policy->tz);
  add_cases (b, data.cases, &esc);
  add_case_groups (b, data.cases, &esc);
  add_data_quality (b, &t, quarantined);
  cc_json_writer_set_member_name (b, "trend");
  cc_json_writer_begin_array (b);
  for (int i = 0; i < 12; i++)
    add_trend_entry (b, &trend[i]);
  cc_json_writer_end_array (b);
  add_definitions (b, policy);
  policy_text = cc_policy_to_string (policy);
  cc_json_writer_member_string (b, "policy", policy_text);
  cc_json_writer_end_object (b);

  text = cc_json_writer_free_to_string (g_steal_pointer (&b));
  return g_strconcat (text, "\n", NULL);
}

/**
 * cc_report_build:
 *
 * As cc_report_build_json(), as an object: for the renderers of the other
 * formats and for tests.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
JsonObject *
cc_report_build (CcStore               *store,
                 CcPolicy              *policy,
                 const CcReportOptions *options,
                 GError               **error)
{
  g_autofree char *text = cc_report_build_json (store, policy, options, error);
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;

  if (text == NULL)
    return NULL;
  parser = json_parser_new_immutable ();
  /* Text this program has just written: a failure is a bug. */
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    g_error ("report: the report's JSON does not parse: %s", local_error->message);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/**
 * cc_report_summary_key:
 * @policy: the policy in force
 *
 * The key under which a report with @policy, of this release, looks for
 * records' summaries and figures (cc_store_save_record_summaries()).
 *
 * Returns: (transfer full): the key
 */
char *
cc_report_summary_key (CcPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  return cache_digest (policy);
}

/**
 * cc_report_summarise_settled:
 * @policy: the policy @evaluation was made with
 * @ledger: the ledger that read @record whole (other records may be in it)
 * @record: a record cc_settle_judge() found settled
 * @evaluation: the engine's evaluation of @record, the one it was judged by
 * @out_summary: (out caller-allocates): what a report keeps of @record,
 *   with its figures if the engine monitors it; cleared with
 *   cc_store_record_summary_clear()
 *
 * What a report would keep of @record, made by whoever evaluated it: the
 * agent keeps it for the records it lets go, so that the first report on
 * a log a custody system wrote reads only what is unsettled.  Settled
 * means the same at any later instant (cc-settle.c), so a summary made at
 * the agent's time serves every report at or after it.
 */
void
cc_report_summarise_settled (CcPolicy             *policy,
                             CcLedger             *ledger,
                             const CcRecord       *record,
                             const CcEvaluation   *evaluation,
                             CcStoreRecordSummary *out_summary)
{
  g_return_if_fail (policy != NULL && ledger != NULL && record != NULL && record->arrival != NULL);
  g_return_if_fail (evaluation != NULL && out_summary != NULL);

  summarise (out_summary, evaluation, record, ledger);
  if (evaluation->monitored)
    {
      g_auto (RecordPart) part = { 0 };

      part_init (&part);
      part_fill (&part, evaluation, record, ledger, policy, evaluation->at);
      out_summary->figures = part_encode (&part);
    }
}

/**
 * cc_report_keep_summaries:
 * @store: the custody log
 * @policy: the policy in force
 * @at: the instant the figures are taken at (the machine's time)
 * @out_months: (out) (optional): how many months were looked at
 * @error: return location for a #GError
 *
 * Keeps the trend's figures of every month of the log up to @at's, as a
 * report's trend would (the per-month cache, then the summaries of the
 * records found settled): the step that writers of many records
 * (`simulate`, `import`) run when they end, so that the first report on
 * the log reads its own month and the summaries, not a year of events.  A
 * month already kept costs one indexed check.  Writes that fail are left
 * to the next report, as the report's own are.
 *
 * Returns: %FALSE with @error set if the log could not be read
 */
gboolean
cc_report_keep_summaries (CcStore  *store,
                          CcPolicy *policy,
                          CcInstant at,
                          guint    *out_months,
                          GError  **error)
{
  g_auto (Context) ctx = { 0 };
  CcInstant first = CC_INSTANT_NONE;
  guint     n = 0;
  int       year, month, last_year, last_month;

  g_return_val_if_fail (store != NULL && policy != NULL, FALSE);
  g_return_val_if_fail (at != CC_INSTANT_NONE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cc_store_get_first_arrival (store, &first, error))
    return FALSE;
  if (first != CC_INSTANT_NONE && first <= at)
    {
      g_autoptr (GDateTime) from = g_date_time_new_from_unix_utc (first);
      g_autoptr (GDateTime) to = g_date_time_new_from_unix_utc (at);
      g_autoptr (GDateTime) from_local = g_date_time_to_timezone (from, policy->tz);
      g_autoptr (GDateTime) to_local = g_date_time_to_timezone (to, policy->tz);

      year = g_date_time_get_year (from_local);
      month = g_date_time_get_month (from_local);
      last_year = g_date_time_get_year (to_local);
      last_month = g_date_time_get_month (to_local);

      context_init (&ctx, store, policy, at);
      for (; year < last_year || (year == last_year && month <= last_month); month == 12 ? (month = 1, year++) : month++)
        {
          Month        m = month_make (year, month, policy->tz);
          TrendFigures f;
          gboolean     ok;

          if (!cc_store_begin_read (store, error))
            return FALSE;
          ok = cc_store_get_max_seq (store, &ctx.last_seq, error) && trend_month (&ctx, &m, &f, error);
          cc_store_end_read (store);
          if (!ok)
            return FALSE;
          /* A month at a time: what one holds is freed before the next. */
          cache_flush (&ctx);
          g_array_set_size (ctx.to_save, 0);
          g_array_set_size (ctx.summaries_to_save, 0);
          n++;
        }
    }
  if (out_months != NULL)
    *out_months = n;
  return TRUE;
}

/**
 * cc_report_render_json:
 * @report: what cc_report_build() made
 *
 * Returns: (transfer full): the report as pretty-printed JSON, with a
 *   final newline
 */
char *
cc_report_render_json (JsonObject *report)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_node_set_object (root, report);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}
