/* cc-report-private.h: what the parts of the report's figures share
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The report's figures (cc-report.h) are built in several files, one
 * concern each: cc-report.c (the public entry points, the build that
 * reads everything in one snapshot, the month and its records read on
 * threads, a record's kept figures, the trend and its cache, and the JSON
 * sections), cc-report-tally.c (the tally of a month and the statistics)
 * and cc-report-definitions.c (the definitions' prose).  cc-report.c is
 * still to be cut further along those lines (figures, month, trend,
 * sections).  Only they include this header; the renderers read the
 * finished object
 * (cc-json-reader.c).  The structures the parts pass each other are
 * here; a function used by one file alone stays static in it; the rest
 * is declared here once, under the file that defines it.
 */
#pragma once

#include <glib.h>

#include "cc-engine.h"
#include "cc-json-writer.h"
#include "cc-ledger.h"
#include "cc-policy.h"
#include "cc-report.h"
#include "cc-store.h"

G_BEGIN_DECLS

/* A local month of the policy's zone: the report's, or one of its trend's
 * (month_make()). */
typedef struct
{
  int       year;
  int       month;
  char      name[8]; /* YYYY-MM */
  CcInstant start;   /* local midnight on the first, as an instant */
  CcInstant end;     /* the next month's start */
} Month;

/* AA arrival bins (report.md "distribution of AA arrival times"), which
 * the tally counts into and the headline shows.  The labels are for
 * people (the Markdown report shows them): marked in cc-report-tally.c
 * (context "AA arrival band") and translated when the object is built;
 * the ids are what programs key on. */
typedef struct
{
  const char *id;
  const char *label;
  gint64      from, to; /* seconds; to = -1: no upper bound */
} AaBin;

#define N_AA_BINS 6
G_GNUC_INTERNAL
extern const AaBin aa_bins[N_AA_BINS];

/* The local authority's answers (la_response outcome), as counted and
 * shown. */
#define N_LA_OUTCOMES 4
G_GNUC_INTERNAL
extern const char *const la_outcomes[N_LA_OUTCOMES];

typedef struct
{
  guint   started, met, met_late, breached, ended, running, breaches;
  GArray *seconds; /* start to satisfaction, one-shot clocks only */
} ClockTally;

typedef struct
{
  const char *record_id; /* borrowed from MonthData.record_ids */
  const char *suite;     /* interned */
  CcInstant   bail_refused_at;
  CcInstant   ended_at;
  const char *outcome;
  gint64      seconds;
} PostCharge;

typedef struct
{
  /* summary */
  GHashTable *children; /* child references (owned), as a set */
  guint       no_reference;
  guint       detentions, still_in_custody, overnight, overnight_post_charge, charged, bail_refused;
  GArray     *custody_seconds;
  /* clocks and rules; the headline reads its figures from these */
  ClockTally clocks[CC_N_CLOCKS];
  guint      aa_bins[N_AA_BINS];
  guint      rules[CC_N_RULES];
  guint      breaches;
  /* post-charge */
  GArray    *post_charge_seconds;
  GPtrArray *post_charge; /* (element-type PostCharge) */
  guint      requested_secure, requested_non_secure, responses[N_LA_OUTCOMES];
  guint      transferred, certificates, court_without_certificate;
  /* data quality, as far as the records show it */
  guint late_entries, corrections, voids, age_unknown, missing_authorisation, cell_visits_without_voice;
  guint events_after_close, hospital_left_twice, rest_started_twice; /* the engine's findings */
} Tally;

/* Every counter of a Tally has a number (tally_counter()): the scalars
 * (cc-report-tally.c's tally_scalars), the AA bins, the rules, the
 * local authority's answers, then each clock's counters.  The kept
 * figures name counters by it, and their header carries N_COUNTERS. */
#define N_TALLY_SCALARS 22
#define N_CLOCK_COUNTERS 7
#define N_COUNTERS (N_TALLY_SCALARS + N_AA_BINS + CC_N_RULES + N_LA_OUTCOMES + N_CLOCK_COUNTERS * CC_N_CLOCKS)

/* The values of a month's trend figures, added up record by record from
 * each record's summary (summarise()), whether the summary was just made
 * from an evaluation or kept in the store: one way to count, so a kept
 * summary can never give another figure. */
typedef struct
{
  gint64  detentions;
  GArray *aa_seconds; /* (element-type gint64) */
  gint64  healthcare_seen, healthcare_of;
  GArray *post_charge_seconds; /* (element-type gint64) */
  gint64  breaches;
} TrendTally;

/* A breach, as the report lists it; everything needed once the record's
 * evaluation is gone. */
typedef struct
{
  const char *record_id; /* borrowed from MonthData.record_ids */
  const char *suite;     /* interned */
  const char *rule;      /* static */
  int         occurrence;
  CcInstant   at;
  gboolean    late_known;
  gint64      late_seconds;
  gboolean    satisfied;
} Case;

/* What the per-suite breakdown needs of a record (its breaches are in the
 * cases, which carry their suite). */
typedef struct
{
  const char *suite; /* interned; NULL: none recorded */
  char       *child; /* owned; NULL: no child reference */
} SuiteRecord;

/* The month's child records (of the suite asked for) that had arrived by
 * the instant, counted into a Tally as they are read. */
typedef struct
{
  GPtrArray  *record_ids; /* (element-type utf8): owned, in record_id order */
  GHashTable *ids;        /* the same, as a set */
  GArray     *cases;      /* (element-type Case), with details only */
  GArray     *problems;   /* (element-type gint64): seqs of rows the ledger refused */
  GArray     *suites;     /* (element-type SuiteRecord): each record's suite and child, details only */
  TrendTally  trend;      /* the month's trend figures */
  /* (element-type CcStoreRecordSummary): the summaries of records read
   * that the engine found settled, to be kept */
  GArray *summaries;
  /* Whether the figures can no longer change with a later instant: every
   * record of the month closed, and every event of theirs at or before the
   * instant; and from which instant on that holds. */
  gboolean  settled;
  CcInstant settled_at;
} MonthData;

#define N_SLOTS (CC_N_CLOCKS + CC_N_RULES)

/* Everything one record adds to its month's report: its tally alone, its
 * cases, its suite and child, and the rows the ledger refused.  The
 * report's own month is counted by merging parts (part_merge()), whether
 * a part was just made from the engine's evaluation (part_fill()) or
 * decoded from the figures kept with a settled record's summary
 * (record_summary.figures, part_decode()): one way to count, so kept
 * figures cannot give another report than the rows they were made from
 * (docs/REPORT.md "Summaries of settled records"). */
typedef struct
{
  Tally       tally;
  GArray     *cases; /* (element-type Case): record_id set when merged */
  SuiteRecord suite;
  GArray     *problems; /* (element-type gint64) */
} RecordPart;

/* What reading a month needs, the same for every share of it. */
typedef struct
{
  CcPolicy    *policy;
  const Month *m;
  const char  *suite;
  CcInstant    at;
  gboolean     details;   /* also keep the cases and refused rows (and the full tally) */
  gboolean     summarise; /* summarise the settled records read, to be kept */
  guint        threads;   /* 0: as many as are worth it */
} Reading;

/* A month's headline figures: what the trend shows, and what the cache
 * keeps (whole numbers only, so that they come back exactly). */
typedef struct
{
  char     month[8];
  gint64   detentions;
  gboolean has_aa_median;
  gint64   aa_median;
  gint64   healthcare_seen, healthcare_of;
  gboolean has_post_charge_median;
  gint64   post_charge_median;
  gint64   breaches;
} TrendFigures;

/* One reading of the log: a report's, or cc_report_keep_summaries()'s
 * month by month; what it may use (the cache, the summaries) and what it
 * writes once reading is over. */
typedef struct
{
  CcStore    *store;
  CcPolicy   *policy;
  const char *suite;
  CcInstant   at;
  gboolean    use_cache;
  gboolean    use_summaries;
  gboolean    settle; /* settle for the board what is summarised */
  guint       threads;
  char       *digest;
  /* The log's last seq in the snapshot the report reads. */
  gint64 last_seq;
  /* (element-type CacheEntry): written once reading is over, because a
   * read transaction cannot become a write one if the log moved on */
  GArray *to_save;
  /* (element-type CcStoreRecordSummary): the same, for summaries */
  GArray *summaries_to_save;
} Context;

/* A month's trend figures to be kept (cache_save()). */
typedef struct
{
  Month        month;
  gint64       checked_seq;
  CcInstant    settled_at;
  TrendFigures figures;
} CacheEntry;

/* The escalation records of one breach (record, rule, occurrence). */
typedef struct
{
  const CcEscalation *first;  /* the lowest level: written first */
  guint               levels; /* bit per level written */
  CcLevel             top;
  CcInstant           acknowledged_at; /* the first acknowledgement */
  const char         *acknowledged_by;
} BreachEscalations;

typedef struct
{
  GPtrArray  *rows;   /* (element-type CcEscalation): written by the instant */
  GPtrArray  *groups; /* (element-type BreachEscalations): in order of first row */
  GHashTable *by_key; /* breach key → BreachEscalations, for lookups only */
} Escalations;

/* ---- cc-report-tally.c ------------------------------------------------- */

G_GNUC_INTERNAL
void values_add (GArray *values, gint64 value);

G_GNUC_INTERNAL
GArray *values_new (void);

G_GNUC_INTERNAL
void values_merge (GArray *into, GArray *from);

G_GNUC_INTERNAL
void add_stat (CcJsonWriter *b, const char *name, GArray *values);

G_GNUC_INTERNAL
gboolean median_of (GArray *values, gint64 *out_median);

G_GNUC_INTERNAL
void tally_init (Tally *t);

G_GNUC_INTERNAL
void tally_clear (Tally *t);

G_GNUC_INTERNAL
guint *tally_counter (Tally *t, guint i);

G_GNUC_INTERNAL
guint *clock_counter (ClockTally *ct, guint k);

G_GNUC_INTERNAL
const char *clock_counter_name (guint k);

G_GNUC_INTERNAL
gboolean clock_is_recurring (CcClockId clock);

G_GNUC_INTERNAL
void tally_record (Tally *t, const CcEvaluation *ev, const CcRecord *record, const CcPolicy *policy, CcInstant at);

G_GNUC_INTERNAL
guint tally_children (const Tally *t);

G_GNUC_INTERNAL
void tally_merge (Tally *into, Tally *from);

/* ---- cc-report-trend.c ------------------------------------------------- */

G_GNUC_INTERNAL
void trend_tally_init (TrendTally *tt);

G_GNUC_INTERNAL
void trend_tally_clear (TrendTally *tt);

G_GNUC_INTERNAL
void trend_tally_add (TrendTally *tt, const CcStoreRecordSummary *s);

G_GNUC_INTERNAL
void trend_tally_merge (TrendTally *into, TrendTally *from);

G_GNUC_INTERNAL
void summarise (CcStoreRecordSummary *s, const CcEvaluation *ev, const CcRecord *record, CcLedger *ledger);

G_GNUC_INTERNAL
GArray *summaries_new (void);

G_GNUC_INTERNAL
void summaries_move (GArray *into, GArray *from);

G_GNUC_INTERNAL
void trend_figures (TrendFigures *f, const Month *m, TrendTally *tt);

G_GNUC_INTERNAL
char *cache_digest (const CcPolicy *policy);

G_GNUC_INTERNAL
void cache_save (Context *ctx, const Month *m, gint64 checked_seq, CcInstant settled_at, const TrendFigures *f);

G_GNUC_INTERNAL
void cache_flush (Context *ctx);

G_GNUC_INTERNAL
void summaries_take (Context *ctx, MonthData *data);

G_GNUC_INTERNAL
gboolean trend_month (Context *ctx, const Month *m, TrendFigures *f, GError **error);

G_GNUC_INTERNAL
void add_trend_entry (CcJsonWriter *b, const TrendFigures *f);

/* ---- cc-report-figures.c ----------------------------------------------- */

G_GNUC_INTERNAL
int rule_slot (const char *rule);

G_GNUC_INTERNAL
const char *slot_name (int slot);

G_GNUC_INTERNAL
void part_init (RecordPart *p);

G_GNUC_INTERNAL
void part_clear (RecordPart *p);

G_GNUC_INTERNAL
void part_fill (RecordPart *p, const CcEvaluation *ev, const CcRecord *record, CcLedger *ledger, const CcPolicy *policy, CcInstant at);

G_GNUC_INTERNAL
void part_merge (MonthData *data, Tally *t, RecordPart *p, const char *record_id);

G_GNUC_INTERNAL
char *part_encode (const RecordPart *p);

G_GNUC_INTERNAL
gboolean part_decode (RecordPart *p, const char *text);

/* ---- cc-report-month.c ------------------------------------------------- */

G_GNUC_INTERNAL
CcInstant local_instant (GTimeZone *tz, int year, int month, int day, int hour);

G_GNUC_INTERNAL
Month month_make (int year, int month, GTimeZone *tz);

G_GNUC_INTERNAL
void month_text_range (const Month *m, char **out_from, char **out_to);

G_GNUC_INTERNAL
void month_data_clear (MonthData *data);

G_GNUC_INTERNAL
void month_data_init (MonthData *data, const Month *m);

G_GNUC_INTERNAL
gboolean month_data_load (MonthData *data, Tally *t, CcStore *store, const Reading *r, GPtrArray *ids, guint n_candidates, GError **error);

G_GNUC_INTERNAL
gboolean month_from_summaries (Context *ctx, const Month *m, gboolean details, MonthData *data, Tally *t, GPtrArray **out_ids, guint *out_n_candidates, GError **error);

/* ---- cc-report-sections.c ---------------------------------------------- */

G_GNUC_INTERNAL
void add_int (CcJsonWriter *b, const char *name, gint64 value);

G_GNUC_INTERNAL
void add_share (CcJsonWriter *b, const char *name, gint64 part, gint64 whole);

G_GNUC_INTERNAL
void add_optional_int (CcJsonWriter *b, const char *name, gboolean present, gint64 value);

G_GNUC_INTERNAL
void escalations_clear (Escalations *esc);

G_GNUC_INTERNAL
gboolean escalations_load (Escalations *esc, CcStore *store, const Month *m, const MonthData *data, CcInstant at, GError **error);

G_GNUC_INTERNAL
void add_escalations (CcJsonWriter *b, Escalations *esc);

G_GNUC_INTERNAL
int compare_cases (gconstpointer a, gconstpointer b);

G_GNUC_INTERNAL
void add_cases (CcJsonWriter *b, GArray *cases, Escalations *esc);

G_GNUC_INTERNAL
void add_case_groups (CcJsonWriter *b, GArray *cases, Escalations *esc);

G_GNUC_INTERNAL
void add_weeks (CcJsonWriter *b, const Month *m, GArray *cases, GTimeZone *tz);

G_GNUC_INTERNAL
void add_suites (CcJsonWriter *b, GArray *suites, GArray *cases);

G_GNUC_INTERNAL
gboolean count_quarantined (CcStore *store, MonthData *data, const Month *m, gboolean all_suites, CcInstant at, guint *out_count, GError **error);

G_GNUC_INTERNAL
void add_data_quality (CcJsonWriter *b, const Tally *t, guint quarantined);

G_GNUC_INTERNAL
void add_summary (CcJsonWriter *b, Tally *t);

G_GNUC_INTERNAL
void add_headline (CcJsonWriter *b, Tally *t);

G_GNUC_INTERNAL
void add_clocks (CcJsonWriter *b, Tally *t, const CcPolicy *policy);

G_GNUC_INTERNAL
void add_rules (CcJsonWriter *b, const Tally *t);

G_GNUC_INTERNAL
void add_post_charge (CcJsonWriter *b, Tally *t);

/* ---- cc-report-definitions.c ------------------------------------------- */

G_GNUC_INTERNAL
void add_definitions (CcJsonWriter *b, const CcPolicy *p);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tally, tally_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MonthData, month_data_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RecordPart, part_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Escalations, escalations_clear)

G_END_DECLS
