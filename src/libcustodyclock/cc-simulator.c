/* cc-simulator.c: a deterministic custody simulator
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Writes custody logs that look like a real force's, for demonstrations,
 * benchmarks and tests: children (and, if asked, adults) arriving by hour
 * of day and day of week, each record played out from booking-in to
 * release, court or local-authority transfer, with the delays and failures
 * the inspections found, the custody system's own mistakes (late entries,
 * corrections, voids) and a few rows no reader should accept.
 *
 * Every figure below has its source in docs/SIMULATOR.md: either the
 * specification and the inspection findings it quotes, or a modelling
 * assumption, stated as one.  Change a figure here and there together.
 *
 * Determinism: one seed drives a small PRNG of our own (xoshiro256**), not
 * GRand, whose double and range functions have changed between GLib
 * versions.  Arrivals come from one stream; each record's content from a
 * stream of its own (seed and record number), so a record is the same
 * whatever --not-after cuts off, and event ids stay the same: simulating
 * again with a later --not-after and --append adds only the new rows.
 * Nothing reads the clock, and no hash table is ever iterated.  Daylight
 * saving in Europe/London is computed from the rule (last Sunday of March
 * and of October, 01:00 UTC), not from the machine's tzdata.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-event.h"
#include "cc-simulator.h"

/* clang-format off */
G_DEFINE_QUARK (cc-simulator-error-quark, cc_simulator_error)
/* clang-format on */

/* The figures (docs/SIMULATOR.md "Where each figure comes from")
 * ============================================================== */

/* Arrivals by local hour of day and by day of week (Monday first):
 * modelling assumption, afternoon and evening heavy. */
static const double hour_weights[24] = {
  2.6, 1.9, 1.4, 1.0, 0.8, 0.6, 0.7, 1.1, 1.9, 2.8, 3.6, 4.1,
  4.5, 4.9, 5.4, 6.0, 6.4, 6.6, 6.5, 6.1, 5.5, 4.6, 3.7, 3.0
};
static const double weekday_weights[7] = { 1.00, 0.98, 1.00, 1.02, 1.08, 1.05, 0.87 };

/* Children's ages 10 to 17 (modelling assumption: older children are
 * arrested far more often). */
static const double child_age_weights[8] = { 1, 2, 4, 8, 13, 20, 24, 28 };

#define REPEAT_CHILD_SHARE 0.25  /* detentions of a child detained before */
#define NO_DOB_SHARE 0.01        /* appears_under_18 instead of a dob */
#define LOOKED_AFTER_SHARE 0.08  /* looked-after children */
#define MALE_SHARE 0.83          /* sex recorded male */
#define RELEVANT_TIME_SHARE 0.03 /* relevant time before arrival (s.41(2)) */
#define NO_AUTHORISATION_SHARE 0.01
#define WELFARE_MISSING_SHARE 0.03

/* Appropriate adult: A → arrival, log-normal with this median and sigma,
 * giving about two thirds within 2 h and a tail through 6, 11 and 16.5 h
 * (the inspections' cases). */
#define AA_MEDIAN_HOURS 1.15
#define AA_SIGMA 1.0
#define AA_NEVER_SHARE 0.02       /* released before any AA came */
#define AA_CALLED_LATE_SHARE 0.10 /* called after 30 min (Wiltshire: 6 h) */

#define HCP_SEEN_SHARE 0.75 /* children seen by a healthcare professional */
#define HCP_REQUESTED_UNSEEN_SHARE 0.12
#define HOSPITAL_SHARE 0.015
#define STRIP_SEARCH_SHARE 0.05
#define LND_SHARE 0.35
#define CP_REFERRAL_SHARE 0.80
#define SECOND_INTERVIEW_SHARE 0.20

/* Custody length: investigation ready, interview, decision. */
#define READY_MEDIAN_HOURS 2.0
#define DECISION_MEDIAN_HOURS 1.0
#define NIGHT_DEFER_SHARE 0.30 /* no interview 23:00-07:00: the child rests */
#define LATE_EVENING_DEFER_SHARE 0.15

#define CHARGED_SHARE 0.22
#define BAIL_REFUSED_SHARE 0.33 /* of those charged */
#define LA_ACCEPTED 0.10        /* la_response outcomes */
#define LA_REFUSED 0.44
#define LA_NO_BED 0.34
#define TRANSFER_WHEN_ACCEPTED 0.65
#define CERTIFICATE_SHARE 0.60     /* s.38(7) certificate when not transferred */
#define COURT_LIST_FULL_SHARE 0.15 /* the next sitting could not take the child */
#define EXTENSION_SHARE 0.4        /* of children nearing 24 h, indictable */

#define REVIEW_LATE_SHARE 0.07
#define REVIEW_MISSED_SHARE 0.03
#define REVIEW_POSTPONED_SHARE 0.03
#define REVIEW_BY_SERGEANT_SHARE 0.03 /* before charge: a review_rank breach */

#define VISIT_LATE_SHARE 0.12
#define VISIT_VERY_LATE_SHARE 0.03

/* The custody system's own habits. */
#define LATE_ENTRY_SHARE 0.04     /* keyed more than 15 min after */
#define CORRECTION_SHARE 0.08     /* records with one event's time corrected */
#define DUPLICATE_VOID_SHARE 0.03 /* records with a row keyed twice, then voided */
#define WRONG_RECORD_VOID_SHARE 0.01

/* Adults (only with --adults-ratio). */
#define ADULT_CHARGED_SHARE 0.25
#define ADULT_BAIL_REFUSED_SHARE 0.20
#define ADULT_HCP_SHARE 0.35

#define BATCH_ROWS 10000

/* A small PRNG of our own: xoshiro256**, seeded through splitmix64
 * ================================================================ */

typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void
rng_seed (Rng    *rng,
          guint64 seed,
          guint64 stream)
{
  guint64 x = seed ^ (stream * 0xd1b54a32d192ed03ULL);

  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64  result = rotl (s[1] * 5, 7) * 9;
  guint64  t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* [0, 1) */
static inline double
rng_uniform (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static inline gboolean
rng_chance (Rng   *rng,
            double p)
{
  return rng_uniform (rng) < p;
}

/* [lo, hi) */
static inline gint64
rng_range (Rng   *rng,
           gint64 lo,
           gint64 hi)
{
  if (hi <= lo)
    return lo;
  return lo + (gint64) (rng_next (rng) % (guint64) (hi - lo));
}

static double
rng_normal (Rng *rng)
{
  double u = 1.0 - rng_uniform (rng); /* (0, 1]: log (0) is not a number */
  double v = rng_uniform (rng);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* Seconds, log-normal around @median seconds. */
static gint64
rng_lognormal (Rng   *rng,
               double median,
               double sigma)
{
  return (gint64) (median * exp (sigma * rng_normal (rng)));
}

/* A log-normal draw kept within [@lo, @hi].  (Never put a draw inside
 * MIN(), MAX() or CLAMP(): the macros evaluate it twice.) */
static gint64
rng_lognormal_within (Rng   *rng,
                      double median,
                      double sigma,
                      gint64 lo,
                      gint64 hi)
{
  gint64 x = rng_lognormal (rng, median, sigma);

  return CLAMP (x, lo, hi);
}

static guint
rng_pick (Rng          *rng,
          const double *weights,
          guint         n)
{
  double total = 0, x;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = rng_uniform (rng) * total;
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

#define PICK(rng, array) ((array)[rng_range ((rng), 0, G_N_ELEMENTS (array))])

/* Dates and Europe/London, by rule
 * ================================ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *out_y,
                 int    *out_m,
                 int    *out_d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *out_d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *out_m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *out_y = yoe + era * 400 + (*out_m <= 2);
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

/* 0 = Monday … 6 = Sunday */
static int
weekday_of_days (gint64 days)
{
  return (int) (((days % 7) + 7 + 3) % 7);
}

static gint64
last_sunday (gint64 year,
             int    month)
{
  static const int month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gint64           last = days_from_civil (year, month, month_days[month - 1]);

  return last - (weekday_of_days (last) + 1) % 7;
}

typedef struct
{
  gint64    year;
  CcInstant bst_start;
  CcInstant bst_end;
} BstCache;

/* Europe/London's offset from UTC at @t: the EU rule in force since 1996. */
static gint64
uk_offset (BstCache *cache,
           CcInstant t)
{
  gint64 y;
  int    m, d;

  civil_from_days (floor_div (t, CC_DAY), &y, &m, &d);
  if (y != cache->year)
    {
      cache->year = y;
      cache->bst_start = last_sunday (y, 3) * CC_DAY + CC_HOUR;
      cache->bst_end = last_sunday (y, 10) * CC_DAY + CC_HOUR;
    }
  return t >= cache->bst_start && t < cache->bst_end ? CC_HOUR : 0;
}

/* Text
 * ==== */

static inline void
put2 (char *p,
      int   v)
{
  p[0] = (char) ('0' + v / 10);
  p[1] = (char) ('0' + v % 10);
}

/* "YYYY-MM-DDTHH:MM:SS" into @p (19 bytes); years 0 to 9999. */
static void
put_civil_time (char  *p,
                gint64 t)
{
  gint64 days = floor_div (t, CC_DAY), secs = t - days * CC_DAY, y;
  int    m, d;

  civil_from_days (days, &y, &m, &d);
  put2 (p, (int) (y / 100));
  put2 (p + 2, (int) (y % 100));
  p[4] = '-';
  put2 (p + 5, m);
  p[7] = '-';
  put2 (p + 8, d);
  p[10] = 'T';
  put2 (p + 11, (int) (secs / 3600));
  p[13] = ':';
  put2 (p + 14, (int) (secs / 60 % 60));
  p[16] = ':';
  put2 (p + 17, (int) (secs % 60));
}

typedef enum
{
  STYLE_UTC,   /* …Z */
  STYLE_LOCAL, /* …+01:00 or …+00:00, Europe/London */
  STYLE_BARE,  /* no offset at all: a bad row */
} TimeStyle;

static void
append_instant (GString  *out,
                BstCache *cache,
                CcInstant t,
                TimeStyle style)
{
  char   buf[32];
  gint64 offset = style == STYLE_UTC ? 0 : uk_offset (cache, t);

  put_civil_time (buf, t + offset);
  switch (style)
    {
    case STYLE_UTC:
      buf[19] = 'Z';
      g_string_append_len (out, buf, 20);
      break;
    case STYLE_LOCAL:
      memcpy (buf + 19, offset != 0 ? "+01:00" : "+00:00", 6);
      g_string_append_len (out, buf, 25);
      break;
    case STYLE_BARE:
    default:
      g_string_append_len (out, buf, 19);
      break;
    }
}

/* The shape of the table's own default: UTC with milliseconds. */
static void
append_recorded (GString *out,
                 gint64   ms)
{
  char   buf[32];
  gint64 t = floor_div (ms, 1000);
  int    frac = (int) (ms - t * 1000);

  put_civil_time (buf, t);
  buf[19] = '.';
  buf[20] = (char) ('0' + frac / 100);
  put2 (buf + 21, frac % 100);
  buf[23] = 'Z';
  g_string_append_len (out, buf, 24);
}

/* Appends @text as a JSON string.  The simulator's texts are its own, but
 * they are escaped properly anyway. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* The vocabulary's words
 * ====================== */

static const char *const suite_names[] = {
  "Northgate",
  "Riverside",
  "Eastfield",
  "Westmoor",
  "Southbridge",
  "Kingsmead",
  "Hillcrest",
  "Millbrook",
  "Ashdown",
  "Fairhaven",
  "Oakley",
  "Stonecross",
};
static const char *const suite_codes[] = {
  "NGT",
  "RVS",
  "EFD",
  "WMR",
  "SBR",
  "KMD",
  "HLC",
  "MBK",
  "ASD",
  "FHV",
  "OKL",
  "SXC",
};
G_STATIC_ASSERT (G_N_ELEMENTS (suite_names) == G_N_ELEMENTS (suite_codes));

typedef struct
{
  const char *offence;
  gboolean    indictable;
} Offence;

static const Offence offences[] = {
  { "theft from a shop", TRUE },
  { "robbery", TRUE },
  { "burglary", TRUE },
  { "assault occasioning actual bodily harm", TRUE },
  { "common assault", FALSE },
  { "criminal damage", TRUE },
  { "possession of a bladed article", TRUE },
  { "possession with intent to supply", TRUE },
  { "taking a vehicle without consent", FALSE },
  { "public order offence", FALSE },
  { "threats to kill", TRUE },
  { "breach of a court order", FALSE },
};
static const double offence_weights[] = { 14, 11, 9, 12, 10, 9, 8, 6, 5, 8, 2, 6 };
G_STATIC_ASSERT (G_N_ELEMENTS (offences) == G_N_ELEMENTS (offence_weights));

static const char *const relationships[] = { "mother", "mother", "father", "carer", "grandparent", "social worker" };
static const char *const cell_reasons[] = {
  "no detention room available",
  "detention rooms occupied",
  "risk assessment: self-harm concerns",
  "violent on arrival",
  "detention room out of use",
};
static const char *const visit_notes_awake[] = { "spoke with child", "drink given", "child asked about parent", "child calm" };
static const char *const visit_notes_asleep[] = { "asleep, breathing observed", "asleep, not disturbed" };
static const char *const postpone_reasons[] = {
  "detained person being questioned",
  "no review officer readily available",
};
static const char *const bail_grounds[] = {
  "risk of further offences",
  "risk of failing to surrender",
  "own protection",
  "interference with witnesses",
};
static const char *const certificate_texts[] = {
  "no secure accommodation available in time for court",
  "local authority could not provide a placement",
  "no transport available to the placement",
};

typedef enum
{
  AA_PARENT,
  AA_GUARDIAN,
  AA_SOCIAL_WORKER,
  AA_SCHEME,
  AA_OTHER,
} AaType;
static const char *const aa_type_names[] = { "parent", "guardian", "social_worker", "aa_scheme", "other" };
static const double      aa_type_weights[] = { 45, 5, 12, 35, 3 };

static const char *const release_outcomes[] = { "nfa", "rui", "bail", "caution", "other" };
static const double      release_weights[] = { 30, 38, 14, 13, 5 };

/* Officers: who keys what.  Each suite has four teams on 12-hour shifts
 * (07:00 and 19:00 local), three officers of each role in a team. */
typedef enum
{
  ROLE_SERGEANT,
  ROLE_DETENTION_OFFICER,
  ROLE_INSPECTOR,
  ROLE_SUPERINTENDENT,
  ROLE_HEALTHCARE,
  N_ROLES
} Role;
static const char *const role_prefixes[N_ROLES] = { "PS", "DO", "Insp", "Supt", "HCP" };
#define N_TEAMS 4
#define PER_TEAM 3

/* Rows that no reader should accept (docs/SIMULATOR.md "Bad rows"). */
typedef enum
{
  BAD_NONE,
  BAD_UNKNOWN_TYPE,
  BAD_INVALID_JSON,
  BAD_CROSS_RECORD,
  BAD_NO_OFFSET,
  BAD_WRONG_TYPE,
  BAD_MISSING_FIELD,
  N_BAD_KINDS
} BadKind;

/* The simulator
 * ============= */

typedef struct
{
  CcInstant start;
  CcInstant end;
} Span;

typedef struct
{
  CcInstant at;
  int       level;
} LevelChange;

typedef struct
{
  CcInstant   at;
  gint64      recorded_ms;
  guint       order; /* generation order: ties and supersedes */
  CcEventType type;  /* for bad rows, what the row pretends to be */
  BadKind     bad;
  const char *officer;
  gsize       data_off; /* into Rec.data */
  gsize       data_len;
  int         supersedes;   /* generation index of the target, or -1 */
  gboolean    cross_record; /* supersedes the previous record's arrival */
} SimEvent;

typedef struct
{
  guint     ref;
  gint64    dob_days;
  gboolean  has_dob;
  gboolean  male;
  gboolean  looked_after;
  CcInstant free_from; /* out of custody (and a day has passed) */
} Child;

/* One record while it is made. */
typedef struct
{
  Rng       rng;
  guint     index; /* 1-based */
  guint     suite;
  gboolean  adult;
  TimeStyle style;
  char      record_id[48];
  CcInstant t0;      /* arrival */
  CcInstant a;       /* authorisation (or arrival when none) */
  CcInstant rt;      /* relevant time */
  CcInstant close;   /* release, court or transfer */
  CcInstant charged; /* or CC_INSTANT_NONE */
  guint     child_ref;
  guint     child_index; /* in CcSimulator.children */
  GArray   *aa_spans;    /* Span: an appropriate adult present */
  gint64    arrival_recorded_ms;
  gboolean  indictable;
  GArray   *events; /* SimEvent */
  GString  *data;   /* every event's data text, one after another */
  GArray   *busy;   /* Span: interview, hospital: no cell visits */
  GArray   *rests;  /* Span */
  GArray   *levels; /* LevelChange */
  GArray   *interviews;
  int       current; /* the event whose data is being written */
} Rec;

struct _CcSimulator
{
  CcSimulatorOptions      options;
  CcSimulatorStats        stats;
  Rng                     arrivals;
  double                  clock;      /* the arrival process, in seconds */
  double                  lambda_max; /* arrivals a second at the busiest hour */
  double                  weight_max;
  double                  weight_mean;
  CcInstant               next_arrival; /* of the next record, or CC_INSTANT_NONE */
  guint                   n_begun;
  BstCache                bst;
  char                  **suite_names; /* n_suites */
  char                  **suite_codes;
  char                  **court_names;
  double                 *suite_weights;
  guint                  *suite_counters;
  char                  **officers; /* [suite][role][team][k] */
  GArray                 *children; /* Child */
  guint                   next_child_ref;
  guint8                 *child_counted; /* by ref − first ref: seen in a produced record */
  gsize                   child_counted_len;
  char                   *prev_arrival_id;
  gint64                  prev_arrival_recorded_ms;
  guint64                 good_since_bad;
  guint                   next_bad_kind;
  Rec                     rec;
  GString                *scratch;
  GArray                 *order; /* guint: sorted positions */
  GPtrArray              *lent;  /* (element-type CcStoreRow): the last record's, lent out */
  CcSimulatorProgressFunc progress_func;
  gpointer                progress_data;
};

/**
 * cc_simulator_options_init:
 *
 * The defaults: seed 1, 1,000 records from 2025-01-06 (a Monday, midnight
 * in London), one suite, no adults, 170 arrivals a day, no time limit, one
 * bad row in 5,000.
 */
void
cc_simulator_options_init (CcSimulatorOptions *options)
{
  memset (options, 0, sizeof *options);
  options->seed = 1;
  options->n_records = 1000;
  options->start = days_from_civil (2025, 1, 6) * CC_DAY;
  options->n_suites = 1;
  options->adults_ratio = 0;
  options->per_day = CC_SIMULATOR_DEFAULT_PER_DAY;
  options->not_after = CC_INSTANT_NONE;
  options->bad_row_every = CC_SIMULATOR_DEFAULT_BAD_ROW_EVERY;
}

/**
 * cc_simulator_options_check:
 *
 * Returns: %FALSE with %CC_SIMULATOR_ERROR_INVALID_OPTIONS naming the
 *   option and its range when one is out of range
 */
gboolean
cc_simulator_options_check (const CcSimulatorOptions *options,
                            GError                  **error)
{
  /* 10000-01-01: instants are formatted with four-digit years. */
  const CcInstant last = days_from_civil (9999, 1, 1) * CC_DAY;

  if (options->n_suites < 1 || options->n_suites > CC_SIMULATOR_MAX_SUITES)
    {
      g_set_error (error, CC_SIMULATOR_ERROR, CC_SIMULATOR_ERROR_INVALID_OPTIONS,
                   /* Translators: --suites is a command-line option and stays as it is; %1$d is the
                    * largest number allowed, %2$u the number given */
                   _ ("--suites must be between 1 and %1$d (got %2$u)"), CC_SIMULATOR_MAX_SUITES, options->n_suites);
      return FALSE;
    }
  if (!(options->adults_ratio >= 0 && options->adults_ratio <= 1))
    {
      g_set_error (error, CC_SIMULATOR_ERROR, CC_SIMULATOR_ERROR_INVALID_OPTIONS,
                   /* Translators: --adults-ratio is a command-line option and stays as it is; %g is the
                    * number given */
                   _ ("--adults-ratio must be between 0 and 1, the share of records that are adults' (got %g)"),
                   options->adults_ratio);
      return FALSE;
    }
  if (!(options->per_day >= 0.01 && options->per_day <= 100000))
    {
      g_set_error (error, CC_SIMULATOR_ERROR, CC_SIMULATOR_ERROR_INVALID_OPTIONS,
                   /* Translators: --per-day is a command-line option and stays as it is; %g is the
                    * number given */
                   _ ("--per-day must be between 0.01 and 100000 arrivals a day (got %g)"), options->per_day);
      return FALSE;
    }
  if (options->start < 0 || options->start > last)
    {
      g_set_error_literal (error, CC_SIMULATOR_ERROR, CC_SIMULATOR_ERROR_INVALID_OPTIONS,
                           /* Translators: --start is a command-line option and stays as it is; 1970 and
                            * 9998 are years */
                           _ ("--start must be between 1970 and 9998"));
      return FALSE;
    }
  return TRUE;
}

static double
arrival_weight (CcSimulator *sim,
                CcInstant    t)
{
  CcInstant local = t + uk_offset (&sim->bst, t);
  gint64    days = floor_div (local, CC_DAY);

  return hour_weights[(local - days * CC_DAY) / CC_HOUR] * weekday_weights[weekday_of_days (days)];
}

/* The next arrival of a non-homogeneous Poisson process (by thinning), to
 * the minute. */
static CcInstant
draw_arrival (CcSimulator *sim)
{
  for (;;)
    {
      double u = 1.0 - rng_uniform (&sim->arrivals);

      sim->clock += -log (u) / sim->lambda_max;
      if (rng_uniform (&sim->arrivals) * sim->weight_max < arrival_weight (sim, (CcInstant) sim->clock))
        break;
    }
  return floor_div ((CcInstant) sim->clock, CC_MINUTE) * CC_MINUTE;
}

static void
advance_arrival (CcSimulator *sim)
{
  CcInstant next;

  if (sim->n_begun >= sim->options.n_records)
    {
      sim->next_arrival = CC_INSTANT_NONE;
      return;
    }
  next = draw_arrival (sim);
  if (sim->options.not_after != CC_INSTANT_NONE && next > sim->options.not_after)
    next = CC_INSTANT_NONE;
  sim->next_arrival = next;
}

/**
 * cc_simulator_new:
 * @options: checked with cc_simulator_options_check(); out-of-range
 *   values are clamped
 *
 * Returns: (transfer full): a simulator at its first record
 */
CcSimulator *
cc_simulator_new (const CcSimulatorOptions *options)
{
  CcSimulator *sim = g_new0 (CcSimulator, 1);
  guint        n_suites;
  double       hour_max = 0, hour_mean = 0, day_max = 0, day_mean = 0;
  Rng          setup;

  g_return_val_if_fail (options != NULL, NULL);

  sim->options = *options;
  sim->options.n_suites = CLAMP (options->n_suites, 1, CC_SIMULATOR_MAX_SUITES);
  sim->options.adults_ratio = CLAMP (options->adults_ratio, 0.0, 1.0);
  if (!(options->per_day >= 0.01))
    sim->options.per_day = 0.01;
  n_suites = sim->options.n_suites;
  sim->bst.year = G_MININT64;

  for (int h = 0; h < 24; h++)
    {
      hour_max = MAX (hour_max, hour_weights[h]);
      hour_mean += hour_weights[h] / 24;
    }
  for (int d = 0; d < 7; d++)
    {
      day_max = MAX (day_max, weekday_weights[d]);
      day_mean += weekday_weights[d] / 7;
    }
  sim->weight_max = hour_max * day_max;
  sim->weight_mean = hour_mean * day_mean;
  sim->lambda_max = sim->options.per_day / CC_DAY * sim->weight_max / sim->weight_mean;

  /* Suites: the first twelve by name, then numbered; larger suites first. */
  rng_seed (&setup, sim->options.seed, G_MAXUINT64);
  sim->suite_names = g_new0 (char *, n_suites + 1);
  sim->suite_codes = g_new0 (char *, n_suites + 1);
  sim->court_names = g_new0 (char *, n_suites + 1);
  sim->suite_weights = g_new0 (double, n_suites);
  sim->suite_counters = g_new0 (guint, n_suites);
  for (guint i = 0; i < n_suites; i++)
    {
      if (i < G_N_ELEMENTS (suite_names))
        {
          sim->suite_names[i] = g_strdup (suite_names[i]);
          sim->suite_codes[i] = g_strdup (suite_codes[i]);
        }
      else
        {
          sim->suite_names[i] = g_strdup_printf ("Suite %02u", i + 1);
          sim->suite_codes[i] = g_strdup_printf ("S%02u", i + 1);
        }
      sim->court_names[i] = g_strdup_printf ("%s Youth Court", sim->suite_names[i]);
      sim->suite_weights[i] = 1.0 / (1.0 + 0.3 * i);
    }

  sim->officers = g_new0 (char *, (gsize) n_suites *N_ROLES *N_TEAMS *PER_TEAM + 1);
  for (guint i = 0; i < n_suites * N_ROLES * N_TEAMS * PER_TEAM; i++)
    {
      Role   role = (Role) (i / (N_TEAMS * PER_TEAM) % N_ROLES);
      gint64 number = role == ROLE_SERGEANT || role == ROLE_DETENTION_OFFICER
                        ? rng_range (&setup, 1000, 10000)
                        : rng_range (&setup, 100, 1000);

      sim->officers[i] = g_strdup_printf ("%s %" G_GINT64_FORMAT, role_prefixes[role], number);
    }

  sim->children = g_array_new (FALSE, FALSE, sizeof (Child));
  sim->next_child_ref = 100001;
  sim->scratch = g_string_sized_new (256);
  sim->order = g_array_new (FALSE, FALSE, sizeof (guint));
  sim->lent = g_ptr_array_new_with_free_func (g_free);

  sim->rec.events = g_array_new (FALSE, FALSE, sizeof (SimEvent));
  sim->rec.data = g_string_sized_new (4096);
  sim->rec.busy = g_array_new (FALSE, FALSE, sizeof (Span));
  sim->rec.rests = g_array_new (FALSE, FALSE, sizeof (Span));
  sim->rec.interviews = g_array_new (FALSE, FALSE, sizeof (Span));
  sim->rec.levels = g_array_new (FALSE, FALSE, sizeof (LevelChange));
  sim->rec.aa_spans = g_array_new (FALSE, FALSE, sizeof (Span));

  rng_seed (&sim->arrivals, sim->options.seed, 0);
  sim->clock = (double) sim->options.start;
  advance_arrival (sim);
  return sim;
}

void
cc_simulator_free (CcSimulator *sim)
{
  if (sim == NULL)
    return;
  g_strfreev (sim->suite_names);
  g_strfreev (sim->suite_codes);
  g_strfreev (sim->court_names);
  g_strfreev (sim->officers);
  g_free (sim->suite_weights);
  g_free (sim->suite_counters);
  g_array_unref (sim->children);
  g_free (sim->child_counted);
  g_free (sim->prev_arrival_id);
  g_string_free (sim->scratch, TRUE);
  g_array_unref (sim->order);
  g_ptr_array_unref (sim->lent);
  g_array_unref (sim->rec.events);
  g_string_free (sim->rec.data, TRUE);
  g_array_unref (sim->rec.busy);
  g_array_unref (sim->rec.rests);
  g_array_unref (sim->rec.interviews);
  g_array_unref (sim->rec.levels);
  g_array_unref (sim->rec.aa_spans);
  g_free (sim);
}

/**
 * cc_simulator_set_progress_func:
 * @func: (nullable): called after each batch cc_simulator_write() commits
 */
void
cc_simulator_set_progress_func (CcSimulator            *sim,
                                CcSimulatorProgressFunc func,
                                gpointer                user_data)
{
  sim->progress_func = func;
  sim->progress_data = user_data;
}

/**
 * cc_simulator_get_stats:
 *
 * Returns: (transfer none): what has been produced so far
 */
const CcSimulatorStats *
cc_simulator_get_stats (CcSimulator *sim)
{
  return &sim->stats;
}

/* Making one record's events
 * ========================== */

static CcInstant
local_of (CcSimulator *sim,
          CcInstant    t)
{
  return t + uk_offset (&sim->bst, t);
}

static int
local_hour (CcSimulator *sim,
            CcInstant    t)
{
  CcInstant local = local_of (sim, t);

  return (int) ((local - floor_div (local, CC_DAY) * CC_DAY) / CC_HOUR);
}

/* The first instant at or after @t whose London wall-clock time is
 * @hour:@minute. */
static CcInstant
next_local (CcSimulator *sim,
            CcInstant    t,
            int          hour,
            int          minute)
{
  CcInstant local = local_of (sim, t);
  CcInstant wanted = floor_div (local, CC_DAY) * CC_DAY + hour * CC_HOUR + minute * CC_MINUTE;
  CcInstant utc;

  if (wanted < local)
    wanted += CC_DAY;
  utc = wanted - CC_HOUR;
  if (uk_offset (&sim->bst, utc) != CC_HOUR)
    utc = wanted;
  return utc;
}

static int
local_weekday (CcSimulator *sim,
               CcInstant    t)
{
  return weekday_of_days (floor_div (local_of (sim, t), CC_DAY));
}

static const char *
officer (CcSimulator *sim,
         Rec         *r,
         Role         role,
         CcInstant    at)
{
  gint64 shift = floor_div (local_of (sim, at) - 7 * CC_HOUR, 12 * CC_HOUR);
  guint  team = (guint) (((shift % N_TEAMS) + N_TEAMS) % N_TEAMS);
  guint  k = (guint) rng_range (&r->rng, 0, PER_TEAM);

  return sim->officers[((r->suite * N_ROLES + role) * N_TEAMS + team) * PER_TEAM + k];
}

/* When an event that happened at @at was keyed: usually within minutes,
 * sometimes much later (a late entry); never before the booking-in. */
static gint64
keyed_ms (Rec      *r,
          CcInstant at)
{
  gint64 delay, ms;

  if (rng_chance (&r->rng, LATE_ENTRY_SHARE))
    delay = 16 * CC_MINUTE + rng_lognormal_within (&r->rng, 35 * 60, 0.8, 0, 12 * CC_HOUR);
  else
    delay = rng_lognormal_within (&r->rng, 100, 0.9, 5, 14 * CC_MINUTE);
  ms = (at + delay) * 1000 + rng_range (&r->rng, 0, 1000);
  return MAX (ms, r->arrival_recorded_ms + 1000);
}

/* Starts an event at @at (to the minute); its data follows with the
 * data_*() calls and ev_end(). */
static void
ev_begin (CcSimulator *sim,
          Rec         *r,
          CcEventType  type,
          CcInstant    at,
          Role         role)
{
  SimEvent ev = { 0 };

  ev.at = MAX (floor_div (at, CC_MINUTE) * CC_MINUTE, r->t0);
  ev.type = type;
  ev.order = r->events->len;
  ev.supersedes = -1;
  ev.officer = officer (sim, r, role, ev.at);
  ev.recorded_ms = type == CC_EVENT_ARRIVAL ? r->arrival_recorded_ms : keyed_ms (r, ev.at);
  ev.data_off = r->data->len;
  g_string_append_c (r->data, '{');
  g_array_append_val (r->events, ev);
  r->current = (int) r->events->len - 1;
}

static void
data_key (Rec        *r,
          const char *key)
{
  if (r->data->str[r->data->len - 1] != '{')
    g_string_append_c (r->data, ',');
  g_string_append_c (r->data, '"');
  g_string_append (r->data, key);
  g_string_append (r->data, "\":");
}

static void
data_str (Rec        *r,
          const char *key,
          const char *value)
{
  data_key (r, key);
  append_json_string (r->data, value);
}

static void
data_bool (Rec        *r,
           const char *key,
           gboolean    value)
{
  data_key (r, key);
  g_string_append (r->data, value ? "true" : "false");
}

static void
data_int (Rec        *r,
          const char *key,
          int         value)
{
  data_key (r, key);
  g_string_append_printf (r->data, "%d", value);
}

static void
data_instant (CcSimulator *sim,
              Rec         *r,
              const char  *key,
              CcInstant    t)
{
  data_key (r, key);
  g_string_append_c (r->data, '"');
  append_instant (r->data, &sim->bst, t, r->style);
  g_string_append_c (r->data, '"');
}

static guint
ev_end (Rec *r)
{
  SimEvent *ev = &g_array_index (r->events, SimEvent, r->current);

  g_string_append_c (r->data, '}');
  ev->data_len = r->data->len - ev->data_off;
  return (guint) r->current;
}

/* An event with no data. */
static guint
ev (CcSimulator *sim,
    Rec         *r,
    CcEventType  type,
    CcInstant    at,
    Role         role)
{
  ev_begin (sim, r, type, at, role);
  return ev_end (r);
}

static gboolean
in_spans (GArray   *spans,
          CcInstant t,
          Span     *out_span)
{
  for (guint i = 0; i < spans->len; i++)
    {
      Span *s = &g_array_index (spans, Span, i);
      if (t >= s->start && t < s->end)
        {
          if (out_span != NULL)
            *out_span = *s;
          return TRUE;
        }
    }
  return FALSE;
}

static void
add_span (GArray   *spans,
          CcInstant start,
          CcInstant end)
{
  Span s = { start, end };

  if (end > start)
    g_array_append_val (spans, s);
}

/* The next sitting of a court (Monday to Saturday mornings) that a child
 * refused bail at @after can be taken to: at least 3 hours later. */
static CcInstant
next_court (CcSimulator *sim,
            Rec         *r,
            CcInstant    after)
{
  CcInstant t = after + 3 * CC_HOUR;

  for (;;)
    {
      CcInstant sitting = next_local (sim, t, 8, (int) rng_range (&r->rng, 30, 90));

      if (local_weekday (sim, sitting) != 6)
        return sitting;
      t = sitting + CC_HOUR;
    }
}

typedef struct
{
  CcInstant last_interview_end;
  CcInstant decision;
} Investigation;

/* Interviews: when the investigation is ready, the child is fit and an AA
 * is there; not in the small hours, when the child rests instead. */
static Investigation
plan_investigation (CcSimulator *sim,
                    Rec         *r,
                    CcInstant    earliest)
{
  Investigation inv;
  CcInstant     ready = r->a + rng_lognormal (&r->rng, READY_MEDIAN_HOURS * CC_HOUR, 0.8);
  CcInstant     start = MAX (ready, earliest);
  int           hour = local_hour (sim, start);
  int           n = rng_chance (&r->rng, SECOND_INTERVIEW_SHARE) ? 2 : 1;

  if (((hour >= 23 || hour < 7) && rng_chance (&r->rng, NIGHT_DEFER_SHARE)) ||
      (hour >= 21 && hour < 23 && rng_chance (&r->rng, LATE_EVENING_DEFER_SHARE)))
    start = next_local (sim, start, 8, 30) + rng_range (&r->rng, 0, 150) * CC_MINUTE;

  inv.last_interview_end = start;
  for (int i = 0; i < n; i++)
    {
      CcInstant end = start + rng_lognormal_within (&r->rng, 40 * 60, 0.45, 15 * 60, 3 * CC_HOUR);
      add_span (r->interviews, start, end);
      inv.last_interview_end = end;
      start = end + rng_lognormal_within (&r->rng, 2 * CC_HOUR, 0.5, 30 * 60, 6 * CC_HOUR);
    }
  inv.decision = inv.last_interview_end + rng_lognormal (&r->rng, DECISION_MEDIAN_HOURS * CC_HOUR, 0.9);
  return inv;
}

/* PACE s.41: charge or release before RT + 24 h, or a superintendent
 * extends to 36 h (indictable offences only). */
static CcInstant
limit_detention (CcSimulator *sim,
                 Rec         *r,
                 CcInstant    decision)
{
  CcInstant limit = r->rt + 24 * CC_HOUR;

  if (decision <= limit - CC_HOUR)
    return decision;
  if (r->indictable && rng_chance (&r->rng, EXTENSION_SHARE))
    {
      CcInstant at = r->rt + 20 * CC_HOUR + rng_range (&r->rng, 0, 210) * CC_MINUTE;

      ev_begin (sim, r, CC_EVENT_EXTENSION_AUTHORISED, at, ROLE_SUPERINTENDENT);
      data_str (r, "rank", "superintendent");
      data_instant (sim, r, "until", r->rt + 36 * CC_HOUR);
      ev_end (r);
      return MIN (decision, r->rt + 35 * CC_HOUR);
    }
  decision = limit - CC_HOUR - rng_range (&r->rng, 0, 90) * CC_MINUTE;
  return MAX (decision, g_array_index (r->interviews, Span, r->interviews->len - 1).end + 10 * CC_MINUTE);
}

static gboolean
aa_present_at (Rec      *r,
               CcInstant t)
{
  return in_spans (r->aa_spans, t, NULL);
}

static void
emit_interviews (CcSimulator *sim,
                 Rec         *r)
{
  for (guint i = 0; i < r->interviews->len; i++)
    {
      Span *s = &g_array_index (r->interviews, Span, i);

      ev_begin (sim, r, CC_EVENT_INTERVIEW_STARTED, s->start, ROLE_SERGEANT);
      if (!r->adult)
        {
          double x = rng_uniform (&r->rng);
          if (x < 0.005)
            {
              data_bool (r, "aa_present", FALSE);
              data_str (r, "urgent_authorised_rank", "superintendent");
            }
          else
            data_bool (r, "aa_present", aa_present_at (r, s->start) && x >= 0.025);
        }
      ev_end (r);
      ev (sim, r, CC_EVENT_INTERVIEW_ENDED, s->end, ROLE_SERGEANT);
      add_span (r->busy, s->start, s->end);
    }
}

/* Bail refused: the local authority is asked for accommodation, mostly
 * says no, and the child goes to court from the cell. */
static void
post_charge (CcSimulator *sim,
             Rec         *r,
             CcInstant    refused)
{
  CcInstant responded = CC_INSTANT_NONE;
  gboolean  accepted = FALSE;
  double    x;

  ev_begin (sim, r, CC_EVENT_BAIL_REFUSED, refused, ROLE_SERGEANT);
  data_str (r, "grounds", PICK (&r->rng, bail_grounds));
  ev_end (r);

  x = rng_uniform (&r->rng);
  if (x < 0.97)
    {
      CcInstant asked = refused + (x < 0.82 ? rng_lognormal (&r->rng, 12 * 60, 0.7)
                                            : rng_lognormal (&r->rng, 75 * 60, 0.6));
      double    o;

      ev_begin (sim, r, CC_EVENT_LA_REQUESTED, asked, ROLE_SERGEANT);
      data_bool (r, "secure", rng_chance (&r->rng, 0.25));
      ev_end (r);

      responded = asked + rng_lognormal (&r->rng, 80 * 60, 0.8);
      o = rng_uniform (&r->rng);
      ev_begin (sim, r, CC_EVENT_LA_RESPONSE, responded, ROLE_SERGEANT);
      if (o < LA_ACCEPTED)
        {
          data_str (r, "outcome", "accepted");
          accepted = TRUE;
        }
      else if (o < LA_ACCEPTED + LA_REFUSED)
        data_str (r, "outcome", "refused");
      else if (o < LA_ACCEPTED + LA_REFUSED + LA_NO_BED)
        data_str (r, "outcome", "no_bed");
      else
        data_str (r, "outcome", "no_response");
      ev_end (r);
    }

  if (accepted && rng_chance (&r->rng, TRANSFER_WHEN_ACCEPTED))
    {
      r->close = responded + rng_lognormal_within (&r->rng, 2.5 * CC_HOUR, 0.5, 30 * 60, 12 * CC_HOUR);
      ev (sim, r, CC_EVENT_TRANSFERRED_TO_LA, r->close, ROLE_SERGEANT);
      return;
    }

  r->close = next_court (sim, r, refused);
  if (rng_chance (&r->rng, COURT_LIST_FULL_SHARE))
    r->close = next_court (sim, r, r->close + 6 * CC_HOUR);
  if (rng_chance (&r->rng, CERTIFICATE_SHARE))
    {
      CcInstant at = (responded != CC_INSTANT_NONE ? responded : refused + CC_HOUR) +
                     rng_range (&r->rng, 10, 60) * CC_MINUTE;
      ev_begin (sim, r, CC_EVENT_CERTIFICATE_ISSUED, MIN (at, r->close - 5 * CC_MINUTE), ROLE_SERGEANT);
      data_str (r, "reason", rng_chance (&r->rng, 0.75) ? "impracticable" : "no_secure_serious_harm");
      data_str (r, "text", PICK (&r->rng, certificate_texts));
      ev_end (r);
    }
  ev_begin (sim, r, CC_EVENT_LEFT_FOR_COURT, r->close, ROLE_SERGEANT);
  data_str (r, "court", sim->court_names[r->suite]);
  ev_end (r);
}

static void
adult_post_charge (CcSimulator *sim,
                   Rec         *r,
                   CcInstant    refused)
{
  ev_begin (sim, r, CC_EVENT_BAIL_REFUSED, refused, ROLE_SERGEANT);
  data_str (r, "grounds", PICK (&r->rng, bail_grounds));
  ev_end (r);
  r->close = next_court (sim, r, refused);
  ev_begin (sim, r, CC_EVENT_LEFT_FOR_COURT, r->close, ROLE_SERGEANT);
  data_str (r, "court", sim->court_names[r->suite]);
  ev_end (r);
}

static void
release (CcSimulator *sim,
         Rec         *r,
         CcInstant    at,
         const char  *outcome)
{
  r->close = at;
  ev_begin (sim, r, CC_EVENT_RELEASED, at, ROLE_SERGEANT);
  data_str (r, "outcome", outcome);
  ev_end (r);
}

/* Rest (Code C 12.2): at night, from late evening until the morning or
 * the next interview; some rests are cut short. */
static void
plan_rests (CcSimulator *sim,
            Rec         *r)
{
  CcInstant t = r->a;

  for (;;)
    {
      CcInstant night = next_local (sim, t, 21, 30) - CC_DAY;
      CcInstant start, end;
      Span      s;

      /* Tonight's, or last night's if the child came in after it. */
      if (night < t - 6 * CC_HOUR)
        night += CC_DAY;
      start = night + rng_range (&r->rng, 0, 150) * CC_MINUTE;
      start = MAX (start, r->a + 20 * CC_MINUTE);
      if (start >= r->close - CC_HOUR)
        return;
      end = start + rng_lognormal_within (&r->rng, 8.6 * CC_HOUR, 0.12, 3 * CC_HOUR, 11 * CC_HOUR);
      for (guint i = 0; i < r->interviews->len; i++)
        {
          s = g_array_index (r->interviews, Span, i);
          if (s.end > start && s.start < end)
            end = MIN (end, s.start - 20 * CC_MINUTE);
        }
      end = MIN (end, r->close - 10 * CC_MINUTE);
      if (end - start >= CC_HOUR && !in_spans (r->busy, start, NULL))
        {
          add_span (r->rests, start, end);
          ev (sim, r, CC_EVENT_REST_STARTED, start, ROLE_DETENTION_OFFICER);
          ev_begin (sim, r, CC_EVENT_REST_ENDED, end, ROLE_DETENTION_OFFICER);
          if (end - start < 7 * CC_HOUR)
            {
              if (end + 30 * CC_MINUTE >= r->close)
                data_str (r, "interrupted_for", "release");
              else if (in_spans (r->interviews, end + 30 * CC_MINUTE, NULL) ||
                       in_spans (r->interviews, end + 20 * CC_MINUTE, NULL))
                data_str (r, "interrupted_for", "interview");
              else
                data_str (r, "interrupted_for", rng_chance (&r->rng, 0.5) ? "review" : "healthcare");
            }
          ev_end (r);
        }
      t = night + 16 * CC_HOUR;
      if (t >= r->close)
        return;
    }
}

/* PACE s.40 reviews: the first within 6 h of authorisation, then every
 * 9 h, counted from the earlier of the due time and the review. */
static void
emit_reviews (CcSimulator *sim,
              Rec         *r)
{
  CcInstant due = r->a + 6 * CC_HOUR;

  while (due < r->close)
    {
      double    x = rng_uniform (&r->rng);
      CcInstant at;
      gboolean  charged;

      if (x < REVIEW_MISSED_SHARE)
        {
          due += 9 * CC_HOUR;
          continue;
        }
      if (x < REVIEW_MISSED_SHARE + REVIEW_POSTPONED_SHARE)
        {
          CcInstant asked = due - rng_range (&r->rng, 5, 30) * CC_MINUTE;
          if (asked >= r->close)
            break;
          ev_begin (sim, r, CC_EVENT_REVIEW_POSTPONED, asked, ROLE_INSPECTOR);
          data_str (r, "reason", PICK (&r->rng, postpone_reasons));
          ev_end (r);
          at = due + rng_range (&r->rng, 5, 55) * CC_MINUTE;
        }
      else if (x < REVIEW_MISSED_SHARE + REVIEW_POSTPONED_SHARE + REVIEW_LATE_SHARE)
        at = due + rng_lognormal_within (&r->rng, 40 * 60, 0.8, 0, 6 * CC_HOUR - 60) + 60;
      else
        at = due - rng_range (&r->rng, 0, 75) * CC_MINUTE;
      at = floor_div (at, CC_MINUTE) * CC_MINUTE;
      if (at >= r->close)
        break;

      charged = r->charged != CC_INSTANT_NONE && at >= r->charged;
      ev_begin (sim, r, CC_EVENT_REVIEW, at, charged ? ROLE_SERGEANT : ROLE_INSPECTOR);
      if (charged)
        data_str (r, "rank", rng_chance (&r->rng, 0.9) ? "sergeant" : "inspector");
      else
        {
          double y = rng_uniform (&r->rng);
          if (y < REVIEW_BY_SERGEANT_SHARE)
            data_str (r, "rank", "sergeant");
          else if (y < REVIEW_BY_SERGEANT_SHARE + 0.01)
            ; /* no rank recorded */
          else
            data_str (r, "rank", y < 0.96 ? "inspector" : "chief_inspector");
        }
      if (!r->adult && aa_present_at (r, at))
        data_bool (r, "aa_representations", rng_chance (&r->rng, 0.7));
      data_bool (r, "child_views_recorded", !in_spans (r->rests, at, NULL) && rng_chance (&r->rng, 0.9));
      ev_end (r);
      due = MIN (at, due) + 9 * CC_HOUR;
    }
}

/* Meals at 08:00 (light), 12:30 and 17:30 (main), London time. */
static void
emit_meals (CcSimulator *sim,
            Rec         *r)
{
  static const int times[3][2] = { { 8, 0 }, { 12, 30 }, { 17, 30 } };
  CcInstant        t = r->a + 20 * CC_MINUTE;

  for (;;)
    {
      CcInstant best = G_MAXINT64;
      int       which = 0;

      for (int i = 0; i < 3; i++)
        {
          CcInstant m = next_local (sim, t, times[i][0], times[i][1]);
          if (m < best)
            {
              best = m;
              which = i;
            }
        }
      if (best >= r->close - 10 * CC_MINUTE)
        return;
      best += rng_range (&r->rng, 0, 40) * CC_MINUTE;
      if (best < r->close && !in_spans (r->busy, best, NULL) && !in_spans (r->rests, best, NULL) &&
          rng_chance (&r->rng, 0.93))
        {
          ev_begin (sim, r, CC_EVENT_MEAL_OFFERED, best, ROLE_DETENTION_OFFICER);
          data_str (r, "kind", which == 0 ? "light" : "main");
          ev_end (r);
        }
      t = best + CC_HOUR;
    }
}

static int
level_at (Rec      *r,
          CcInstant t)
{
  int level = 1;

  for (guint i = 0; i < r->levels->len; i++)
    {
      LevelChange *c = &g_array_index (r->levels, LevelChange, i);
      if (c->at <= t)
        level = c->level;
    }
  return level;
}

/* The first observation-level change after @t, or G_MAXINT64. */
static CcInstant
next_level_change (Rec      *r,
                   CcInstant t)
{
  for (guint i = 0; i < r->levels->len; i++)
    {
      LevelChange *c = &g_array_index (r->levels, LevelChange, i);
      if (c->at > t)
        return c->at;
    }
  return G_MAXINT64;
}

/* Cell visits (Code C 9.3): every 60 min at level 1, 30 at level 2, none
 * under constant observation or while the child is out of the cell. */
static void
emit_cell_visits (CcSimulator *sim,
                  Rec         *r)
{
  CcInstant ref = r->a;

  while (ref < r->close)
    {
      int       level = level_at (r, ref);
      CcInstant change = next_level_change (r, ref);
      CcInstant at;
      double    x;
      gboolean  asleep;
      Span      busy;

      if (level >= 3)
        {
          if (change == G_MAXINT64)
            return;
          ref = change;
          continue;
        }
      x = rng_uniform (&r->rng);
      at = ref + (level == 1 ? 60 : 30) * CC_MINUTE;
      if (x < VISIT_VERY_LATE_SHARE)
        at += rng_range (&r->rng, 15, 70) * CC_MINUTE;
      else if (x < VISIT_VERY_LATE_SHARE + VISIT_LATE_SHARE)
        at += rng_range (&r->rng, 1, 15) * CC_MINUTE;
      else
        at -= rng_range (&r->rng, 0, 13) * CC_MINUTE;
      at = floor_div (at, CC_MINUTE) * CC_MINUTE;
      if (at >= r->close)
        return;
      if (change < at)
        {
          ref = change;
          continue;
        }
      /* A suspension (interview, hospital) met on the way: visits start
       * again from its end. */
      {
        gboolean suspended = FALSE;
        for (guint i = 0; i < r->busy->len; i++)
          {
            busy = g_array_index (r->busy, Span, i);
            if (busy.end > ref && busy.start < at)
              {
                ref = MAX (ref, busy.end);
                suspended = TRUE;
              }
          }
        if (suspended)
          continue;
      }

      asleep = in_spans (r->rests, at, NULL) && rng_chance (&r->rng, 0.85);
      ev_begin (sim, r, CC_EVENT_CELL_VISIT, at, ROLE_DETENTION_OFFICER);
      if (asleep)
        {
          data_bool (r, "voice_recorded", FALSE);
          if (rng_chance (&r->rng, 0.3))
            data_str (r, "note", PICK (&r->rng, visit_notes_asleep));
        }
      else
        {
          data_bool (r, "voice_recorded", rng_chance (&r->rng, 0.88));
          if (rng_chance (&r->rng, 0.15))
            data_str (r, "note", PICK (&r->rng, visit_notes_awake));
        }
      ev_end (r);
      ref = at;
    }
}

/* The first observation level: 45% level 1, 52% level 2 (many forces
 * check children at least every 30 min), 3% constant observation
 * (modelling assumption). */
static void
observation (CcSimulator *sim,
             Rec         *r)
{
  double      x = rng_uniform (&r->rng);
  int         level = x < 0.45 ? 1 : (x < 0.97 ? 2 : 3);
  LevelChange c = { r->a + rng_range (&r->rng, 1, 10) * CC_MINUTE, level };

  c.at = floor_div (c.at, CC_MINUTE) * CC_MINUTE;
  ev_begin (sim, r, CC_EVENT_OBSERVATION_LEVEL, c.at, ROLE_SERGEANT);
  data_int (r, "level", level);
  ev_end (r);
  g_array_append_val (r->levels, c);

  /* Constant observation rarely lasts: back to level 1 or 2 after hours;
   * some level 2s are stepped down too. */
  if (level == 3 || (level == 2 && rng_chance (&r->rng, 0.15)))
    {
      LevelChange d = { c.at + rng_lognormal_within (&r->rng, 3 * CC_HOUR, 0.5, CC_HOUR, 12 * CC_HOUR),
                        level == 3 && rng_chance (&r->rng, 0.5) ? 2 : 1 };
      d.at = floor_div (d.at, CC_MINUTE) * CC_MINUTE;
      if (d.at < r->close)
        {
          ev_begin (sim, r, CC_EVENT_OBSERVATION_LEVEL, d.at, ROLE_SERGEANT);
          data_int (r, "level", d.level);
          ev_end (r);
          g_array_append_val (r->levels, d);
        }
    }
}

static Child *
choose_child (CcSimulator *sim,
              Rec         *r,
              gint64       arrival_days)
{
  Child  child = { 0 };
  int    age;
  gint64 y, birthday;
  int    m, d;

  /* Some children are detained again: pick a recent child still under 18. */
  if (sim->children->len > 0 && rng_chance (&r->rng, REPEAT_CHILD_SHARE))
    {
      guint  window = MIN (sim->children->len, 2000);
      guint  i = sim->children->len - 1 - (guint) rng_range (&r->rng, 0, window);
      Child *old = &g_array_index (sim->children, Child, i);
      gint64 dy;
      int    dm, dd, age_now;

      civil_from_days (old->dob_days, &dy, &dm, &dd);
      civil_from_days (arrival_days, &y, &m, &d);
      age_now = (int) (y - dy) - ((m < dm || (m == dm && d < dd)) ? 1 : 0);
      /* Not a child still in a cell, or released only hours ago. */
      if (age_now >= 10 && age_now < 18 && r->t0 >= old->free_from)
        {
          r->child_index = i;
          return old;
        }
    }

  age = 10 + (int) rng_pick (&r->rng, child_age_weights, G_N_ELEMENTS (child_age_weights));
  /* The last birthday was up to a year ago; the dob is that date, @age
   * years earlier (29 February becomes the 28th). */
  birthday = arrival_days - rng_range (&r->rng, 0, 365);
  civil_from_days (birthday, &y, &m, &d);
  if (m == 2 && d == 29)
    d = 28;
  child.ref = sim->next_child_ref++;
  child.dob_days = days_from_civil (y - age, m, d);
  child.has_dob = !rng_chance (&r->rng, NO_DOB_SHARE);
  child.male = rng_chance (&r->rng, MALE_SHARE);
  child.looked_after = rng_chance (&r->rng, LOOKED_AFTER_SHARE);
  child.free_from = G_MAXINT64;
  g_array_append_val (sim->children, child);
  r->child_index = sim->children->len - 1;
  return &g_array_index (sim->children, Child, r->child_index);
}

static void
append_date (GString *out,
             gint64   days)
{
  char buf[24];

  put_civil_time (buf, days * CC_DAY);
  g_string_append_len (out, buf, 10);
}

static void
arrival (CcSimulator   *sim,
         Rec           *r,
         const Child   *child,
         gint64         adult_dob_days,
         const Offence *offence)
{
  char ref[24];

  ev_begin (sim, r, CC_EVENT_ARRIVAL, r->t0, ROLE_SERGEANT);
  data_str (r, "suite", sim->suite_names[r->suite]);
  if (child != NULL)
    {
      g_snprintf (ref, sizeof ref, "C-%06u", child->ref);
      data_str (r, "child", ref);
      if (child->has_dob)
        {
          data_key (r, "dob");
          g_string_append_c (r->data, '"');
          append_date (r->data, child->dob_days);
          g_string_append_c (r->data, '"');
        }
      else
        data_bool (r, "appears_under_18", TRUE);
      data_str (r, "sex", child->male ? "male" : "female");
      data_bool (r, "looked_after", child->looked_after);
    }
  else
    {
      g_snprintf (ref, sizeof ref, "P-%07u", r->index);
      data_str (r, "child", ref);
      data_key (r, "dob");
      g_string_append_c (r->data, '"');
      append_date (r->data, adult_dob_days);
      g_string_append_c (r->data, '"');
      data_str (r, "sex", rng_chance (&r->rng, 0.85) ? "male" : "female");
    }
  data_str (r, "offence", offence->offence);
  data_bool (r, "indictable", offence->indictable);
  if (r->rt != r->t0)
    data_instant (sim, r, "relevant_time", r->rt);
  ev_end (r);
}

static void
begin_record (CcSimulator *sim,
              Rec         *r,
              CcInstant    t0)
{
  gint64 year;
  int    month, day;

  r->t0 = t0;
  r->arrival_recorded_ms = (t0 + rng_range (&r->rng, 20, 240)) * 1000 + rng_range (&r->rng, 0, 1000);
  r->rt = rng_chance (&r->rng, RELEVANT_TIME_SHARE) ? t0 - rng_range (&r->rng, 30, 180) * CC_MINUTE : t0;
  r->charged = CC_INSTANT_NONE;
  r->close = G_MAXINT64;
  r->style = r->suite % 2 == 0 ? STYLE_LOCAL : STYLE_UTC;
  civil_from_days (floor_div (local_of (sim, t0), CC_DAY), &year, &month, &day);
  g_snprintf (r->record_id, sizeof r->record_id, "SIM-%s-%02d-%06u",
              sim->suite_codes[r->suite], (int) (year % 100), ++sim->suite_counters[r->suite]);
}

static void
generate_child (CcSimulator *sim,
                Rec         *r)
{
  const Offence *offence = &offences[rng_pick (&r->rng, offence_weights, G_N_ELEMENTS (offence_weights))];
  const Child   *child = choose_child (sim, r, floor_div (local_of (sim, r->t0), CC_DAY));
  CcInstant      welfare, aa_requested, aa_arrived, aa_called_to_arrival, earliest, hcp_seen = CC_INSTANT_NONE;
  CcInstant      hospital_back = CC_INSTANT_NONE, charged_at, aa_leaves;
  Investigation  inv;
  AaType         aa_type;
  gboolean       aa_comes;

  r->indictable = offence->indictable;
  arrival (sim, r, child, 0, offence);
  r->child_ref = child->ref;

  r->a = r->t0 + rng_range (&r->rng, 5, 30) * CC_MINUTE;
  if (rng_chance (&r->rng, NO_AUTHORISATION_SHARE))
    r->a = r->t0;
  else
    ev (sim, r, CC_EVENT_DETENTION_AUTHORISED, r->a, ROLE_SERGEANT);

  {
    double x = rng_uniform (&r->rng);
    ev_begin (sim, r, CC_EVENT_MOVED, r->t0 + rng_range (&r->rng, 2, 20) * CC_MINUTE, ROLE_SERGEANT);
    if (x < 0.34)
      {
        data_str (r, "room", "detention_room");
        data_bool (r, "with_adult", FALSE);
      }
    else
      {
        data_str (r, "room", "cell");
        data_bool (r, "with_adult", x > 0.995);
        if (x < 0.96)
          data_str (r, "reason", PICK (&r->rng, cell_reasons));
      }
    ev_end (r);
  }

  welfare = r->a + rng_lognormal (&r->rng, 20 * 60, 0.9);

  /* The appropriate adult. */
  aa_type = child->looked_after && rng_chance (&r->rng, 0.7)
              ? AA_SOCIAL_WORKER
              : (AaType) rng_pick (&r->rng, aa_type_weights, G_N_ELEMENTS (aa_type_weights));
  aa_requested = r->a + (rng_chance (&r->rng, AA_CALLED_LATE_SHARE)
                           ? 30 * CC_MINUTE + rng_lognormal (&r->rng, 60 * 60, 1.0)
                           : rng_lognormal (&r->rng, 10 * 60, 0.8));
  aa_arrived = r->a + rng_lognormal (&r->rng, AA_MEDIAN_HOURS * CC_HOUR, AA_SIGMA);
  aa_called_to_arrival = aa_requested + rng_lognormal_within (&r->rng, 35 * 60, 0.6, 10 * 60, 3 * CC_HOUR);
  aa_arrived = MAX (aa_arrived, aa_called_to_arrival);
  aa_arrived = MIN (aa_arrived, r->a + 30 * CC_HOUR);
  aa_comes = !rng_chance (&r->rng, AA_NEVER_SHARE);

  /* Healthcare, and the odd trip to hospital. */
  {
    double x = rng_uniform (&r->rng);
    if (x < HCP_SEEN_SHARE + HCP_REQUESTED_UNSEEN_SHARE)
      {
        CcInstant asked = r->a + rng_range (&r->rng, 5, 40) * CC_MINUTE;
        ev_begin (sim, r, CC_EVENT_HCP_REQUESTED, asked, ROLE_SERGEANT);
        data_bool (r, "urgent", rng_chance (&r->rng, 0.1));
        ev_end (r);
        if (x < HCP_SEEN_SHARE)
          {
            hcp_seen = asked + rng_lognormal (&r->rng, 50 * 60, 0.8);
            ev (sim, r, CC_EVENT_HCP_SEEN, hcp_seen, ROLE_HEALTHCARE);
          }
      }
  }
  if (rng_chance (&r->rng, HOSPITAL_SHARE))
    {
      CcInstant left = MAX (r->a + 30 * CC_MINUTE, hcp_seen != CC_INSTANT_NONE ? hcp_seen : r->a) +
                       rng_range (&r->rng, 5, 60) * CC_MINUTE;
      gboolean medical = rng_chance (&r->rng, 0.8);

      left = floor_div (left, CC_MINUTE) * CC_MINUTE;
      hospital_back = left + rng_lognormal_within (&r->rng, 3 * CC_HOUR, 0.5, CC_HOUR, 10 * CC_HOUR);
      hospital_back = floor_div (hospital_back, CC_MINUTE) * CC_MINUTE;
      ev_begin (sim, r, CC_EVENT_HOSPITAL_LEFT, left, ROLE_SERGEANT);
      data_str (r, "purpose", medical ? "medical" : "investigative");
      data_bool (r, "questioned", !medical && rng_chance (&r->rng, 0.5));
      ev_end (r);
      ev_begin (sim, r, CC_EVENT_HOSPITAL_RETURNED, hospital_back, ROLE_SERGEANT);
      data_bool (r, "questioned", FALSE);
      ev_end (r);
      add_span (r->busy, left, hospital_back);
    }

  /* The investigation: interviews wait for the AA and the hospital. */
  earliest = aa_arrived + rng_lognormal_within (&r->rng, 35 * 60, 0.5, 10 * 60, 2 * CC_HOUR);
  if (hospital_back != CC_INSTANT_NONE)
    earliest = MAX (earliest, hospital_back + 30 * CC_MINUTE);
  if (hcp_seen != CC_INSTANT_NONE)
    earliest = MAX (earliest, hcp_seen + 15 * CC_MINUTE);
  if (!aa_comes)
    {
      /* Released (no further action) before an AA came. */
      g_array_set_size (r->interviews, 0);
      inv.last_interview_end = CC_INSTANT_NONE;
      inv.decision = r->a + rng_lognormal (&r->rng, 2 * CC_HOUR, 0.5);
      inv.decision = MIN (aa_arrived - 10 * CC_MINUTE, inv.decision);
      inv.decision = MAX (inv.decision, r->a + 30 * CC_MINUTE);
      observation (sim, r);
      release (sim, r, inv.decision, "nfa");
      charged_at = CC_INSTANT_NONE;
    }
  else
    {
      inv = plan_investigation (sim, r, earliest);
      inv.decision = limit_detention (sim, r, inv.decision);
      r->close = G_MAXINT64;

      charged_at = rng_chance (&r->rng, CHARGED_SHARE) ? inv.decision : CC_INSTANT_NONE;

      /* The AA comes, and stays until after the interview and the charge;
       * when the interview waits for the morning, the AA goes home and
       * comes back for it.  Never a name: the log is pseudonymous. */
      {
        CcInstant first_interview = g_array_index (r->interviews, Span, 0).start;

        aa_leaves = MAX (inv.last_interview_end, charged_at) + rng_range (&r->rng, 10, 45) * CC_MINUTE;
        if (first_interview - aa_arrived > 4 * CC_HOUR)
          {
            CcInstant home = aa_arrived + rng_range (&r->rng, 30, 90) * CC_MINUTE;
            CcInstant back = first_interview - rng_range (&r->rng, 10, 30) * CC_MINUTE;

            add_span (r->aa_spans, aa_arrived, home);
            add_span (r->aa_spans, back, aa_leaves);
            ev (sim, r, CC_EVENT_AA_ARRIVED, aa_arrived, ROLE_SERGEANT);
            ev (sim, r, CC_EVENT_AA_LEFT, home, ROLE_SERGEANT);
            ev (sim, r, CC_EVENT_AA_ARRIVED, back, ROLE_SERGEANT);
          }
        else
          {
            add_span (r->aa_spans, aa_arrived, aa_leaves);
            ev (sim, r, CC_EVENT_AA_ARRIVED, aa_arrived, ROLE_SERGEANT);
          }
      }

      if (charged_at != CC_INSTANT_NONE)
        {
          r->charged = charged_at;
          ev_begin (sim, r, CC_EVENT_CHARGED, charged_at, ROLE_SERGEANT);
          data_bool (r, "aa_present", aa_present_at (r, charged_at) && rng_chance (&r->rng, 0.97));
          ev_end (r);
          if (rng_chance (&r->rng, BAIL_REFUSED_SHARE))
            post_charge (sim, r, charged_at + rng_range (&r->rng, 10, 45) * CC_MINUTE);
          else
            release (sim, r, charged_at + rng_lognormal_within (&r->rng, 50 * 60, 0.5, 10 * 60, 4 * CC_HOUR),
                     "charged_bail");
        }
      else
        release (sim, r, inv.decision,
                 release_outcomes[rng_pick (&r->rng, release_weights, G_N_ELEMENTS (release_weights))]);
      if (aa_leaves < r->close)
        ev (sim, r, CC_EVENT_AA_LEFT, aa_leaves, ROLE_SERGEANT);
      observation (sim, r);
      emit_interviews (sim, r);
    }

  if (!rng_chance (&r->rng, WELFARE_MISSING_SHARE) && welfare < r->close)
    {
      ev_begin (sim, r, CC_EVENT_WELFARE_INFORMED, welfare, ROLE_SERGEANT);
      data_str (r, "relationship", child->looked_after ? "social worker" : PICK (&r->rng, relationships));
      ev_end (r);
    }
  if (aa_requested < r->close)
    {
      ev_begin (sim, r, CC_EVENT_AA_REQUESTED, aa_requested, ROLE_SERGEANT);
      data_str (r, "aa_type", aa_type_names[aa_type]);
      ev_end (r);
    }
  if (rng_chance (&r->rng, STRIP_SEARCH_SHARE))
    {
      CcInstant at = r->a + rng_range (&r->rng, 15, 180) * CC_MINUTE;
      double    x = rng_uniform (&r->rng);

      if (at < r->close && !in_spans (r->busy, at, NULL))
        {
          ev_begin (sim, r, CC_EVENT_STRIP_SEARCH, at, ROLE_SERGEANT);
          if (aa_present_at (r, at))
            data_bool (r, "aa_present", x < 0.9);
          else if (x < 0.4)
            {
              data_bool (r, "aa_present", FALSE);
              data_bool (r, "urgent", TRUE);
            }
          else if (x < 0.5)
            {
              data_bool (r, "aa_present", FALSE);
              data_bool (r, "child_declined_aa", TRUE);
              data_bool (r, "aa_agreed", TRUE);
            }
          else
            data_bool (r, "aa_present", FALSE);
          x = rng_uniform (&r->rng);
          data_str (r, "authorised_rank", x < 0.65 ? "inspector" : (x < 0.70 ? "chief_inspector" : "sergeant"));
          ev_end (r);
        }
    }
  if (rng_chance (&r->rng, LND_SHARE) && r->close - r->a > 2 * CC_HOUR)
    {
      CcInstant at = r->a + CC_HOUR + rng_range (&r->rng, 0, (r->close - r->a - 2 * CC_HOUR) / CC_MINUTE) * CC_MINUTE;
      if (!in_spans (r->busy, at, NULL))
        ev (sim, r, CC_EVENT_LND_SEEN, at, ROLE_HEALTHCARE);
    }
  if (rng_chance (&r->rng, CP_REFERRAL_SHARE) && r->close - r->a > 40 * CC_MINUTE)
    {
      char reference[24];
      g_snprintf (reference, sizeof reference, "CP-%06u", (guint) rng_range (&r->rng, 0, 1000000));
      ev_begin (sim, r, CC_EVENT_CP_REFERRAL,
                r->a + 30 * CC_MINUTE + rng_range (&r->rng, 0, (r->close - r->a - 35 * CC_MINUTE) / CC_MINUTE) * CC_MINUTE,
                ROLE_SERGEANT);
      data_str (r, "reference", reference);
      ev_end (r);
    }
}

static void
generate_adult (CcSimulator *sim,
                Rec         *r)
{
  const Offence *offence = &offences[rng_pick (&r->rng, offence_weights, G_N_ELEMENTS (offence_weights))];
  gint64         arrival_days = floor_div (local_of (sim, r->t0), CC_DAY);
  int            age = 18 + (int) rng_lognormal_within (&r->rng, 12, 0.7, 0, 60);
  gint64         y, dob_days;
  int            m, d;
  Investigation  inv;

  /* Born @age years before the arrival, then up to a year earlier. */
  civil_from_days (arrival_days, &y, &m, &d);
  if (m == 2 && d == 29)
    d = 28;
  dob_days = days_from_civil (y - age, m, d) - rng_range (&r->rng, 1, 360);

  r->indictable = offence->indictable;
  arrival (sim, r, NULL, dob_days, offence);
  r->a = r->t0 + rng_range (&r->rng, 5, 30) * CC_MINUTE;
  ev (sim, r, CC_EVENT_DETENTION_AUTHORISED, r->a, ROLE_SERGEANT);
  if (rng_chance (&r->rng, ADULT_HCP_SHARE))
    ev (sim, r, CC_EVENT_HCP_SEEN, r->a + rng_lognormal (&r->rng, 90 * 60, 0.8), ROLE_HEALTHCARE);

  inv = plan_investigation (sim, r, r->a + 30 * CC_MINUTE);
  inv.decision = limit_detention (sim, r, inv.decision);
  if (rng_chance (&r->rng, ADULT_CHARGED_SHARE))
    {
      r->charged = inv.decision;
      ev (sim, r, CC_EVENT_CHARGED, r->charged, ROLE_SERGEANT);
      if (rng_chance (&r->rng, ADULT_BAIL_REFUSED_SHARE))
        adult_post_charge (sim, r, r->charged + rng_range (&r->rng, 10, 45) * CC_MINUTE);
      else
        release (sim, r, r->charged + rng_range (&r->rng, 15, 90) * CC_MINUTE, "charged_bail");
    }
  else
    release (sim, r, inv.decision, release_outcomes[rng_pick (&r->rng, release_weights, G_N_ELEMENTS (release_weights))]);
  observation (sim, r);
  emit_interviews (sim, r);
}

/* The custody system's own mistakes: a time typed wrong and corrected, a
 * row keyed twice and the copy voided, an entry for another child keyed
 * here and voided.  The record's truth is unchanged by all of them. */
static void
add_mistakes (CcSimulator *sim,
              Rec         *r)
{
  guint n = r->events->len;

  if (n > 2 && rng_chance (&r->rng, CORRECTION_SHARE))
    {
      guint     i = 1 + (guint) rng_range (&r->rng, 0, n - 1);
      SimEvent *target = &g_array_index (r->events, SimEvent, i);
      SimEvent  fix = *target;
      gint64    shift = rng_range (&r->rng, 5, 60) * CC_MINUTE * (rng_chance (&r->rng, 0.5) ? 1 : -1);

      /* The row as first keyed had the wrong time; the correction has the
       * true one, keyed later by the custody officer. */
      target->at = MAX (target->at + shift, r->t0 + CC_MINUTE);
      target->recorded_ms = MAX (target->recorded_ms, target->at * 1000 + 30000);
      fix.order = r->events->len;
      fix.supersedes = (int) i;
      fix.officer = officer (sim, r, ROLE_SERGEANT, fix.at);
      fix.recorded_ms = target->recorded_ms + rng_lognormal_within (&r->rng, 40 * 60, 0.8, 60, 24 * CC_HOUR) * 1000;
      g_array_append_val (r->events, fix);
    }
  if (n > 2 && rng_chance (&r->rng, DUPLICATE_VOID_SHARE))
    {
      guint    i = 1 + (guint) rng_range (&r->rng, 0, n - 1);
      SimEvent copy = g_array_index (r->events, SimEvent, i);
      SimEvent voiding = { 0 };
      guint    copy_index = r->events->len;

      copy.order = copy_index;
      copy.recorded_ms += rng_range (&r->rng, 2000, 60000);
      g_array_append_val (r->events, copy);

      voiding.at = copy.at;
      voiding.type = CC_EVENT_VOID;
      voiding.order = r->events->len;
      voiding.supersedes = (int) copy_index;
      voiding.officer = officer (sim, r, ROLE_SERGEANT, copy.at);
      voiding.recorded_ms = copy.recorded_ms + rng_lognormal_within (&r->rng, 20 * 60, 0.8, 60, 12 * CC_HOUR) * 1000;
      voiding.data_off = r->data->len;
      g_string_append (r->data, "{}");
      voiding.data_len = 2;
      g_array_append_val (r->events, voiding);
    }
  if (r->close != G_MAXINT64 && r->close - r->t0 > CC_HOUR && rng_chance (&r->rng, WRONG_RECORD_VOID_SHARE))
    {
      CcInstant at = r->t0 + rng_range (&r->rng, 30, (r->close - r->t0) / CC_MINUTE) * CC_MINUTE;
      guint     wrong = ev (sim, r, CC_EVENT_HCP_SEEN, at, ROLE_HEALTHCARE);
      SimEvent *w = &g_array_index (r->events, SimEvent, wrong);
      guint     v = ev (sim, r, CC_EVENT_VOID, at, ROLE_SERGEANT);
      SimEvent *voiding = &g_array_index (r->events, SimEvent, v);

      w = &g_array_index (r->events, SimEvent, wrong);
      voiding->supersedes = (int) wrong;
      voiding->recorded_ms = w->recorded_ms + rng_lognormal_within (&r->rng, 45 * 60, 0.8, 60, 12 * CC_HOUR) * 1000;
    }
}

/* One row no reader should accept, after every bad_row_every good ones. */
static void
maybe_add_bad_row (CcSimulator *sim,
                   Rec         *r)
{
  guint     n = r->events->len;
  BadKind   kind;
  CcInstant at, end;
  guint     i;
  SimEvent *bad;

  if (sim->options.bad_row_every == 0)
    return;
  sim->good_since_bad += n;
  if (sim->good_since_bad < sim->options.bad_row_every)
    return;
  sim->good_since_bad -= sim->options.bad_row_every;

  kind = (BadKind) (1 + rng_range (&r->rng, 0, N_BAD_KINDS - 1));
  if (kind == BAD_CROSS_RECORD && sim->prev_arrival_id == NULL)
    kind = BAD_UNKNOWN_TYPE;
  end = MIN (r->close, r->t0 + 12 * CC_HOUR);
  at = r->t0 + rng_range (&r->rng, 1, MAX (2, (end - r->t0) / CC_MINUTE)) * CC_MINUTE;

  switch (kind)
    {
    case BAD_UNKNOWN_TYPE:
      i = ev (sim, r, CC_EVENT_CELL_VISIT, at, ROLE_DETENTION_OFFICER);
      break;
    case BAD_INVALID_JSON:
      ev_begin (sim, r, CC_EVENT_CELL_VISIT, at, ROLE_DETENTION_OFFICER);
      g_string_append (r->data, "\"voice_recorded\":tru");
      i = (guint) r->current;
      g_array_index (r->events, SimEvent, i).data_len = r->data->len - g_array_index (r->events, SimEvent, i).data_off;
      break;
    case BAD_CROSS_RECORD:
      i = ev (sim, r, CC_EVENT_VOID, at, ROLE_SERGEANT);
      break;
    case BAD_NO_OFFSET:
      ev_begin (sim, r, CC_EVENT_MEAL_OFFERED, at, ROLE_DETENTION_OFFICER);
      data_str (r, "kind", "light");
      i = ev_end (r);
      break;
    case BAD_WRONG_TYPE:
      ev_begin (sim, r, CC_EVENT_OBSERVATION_LEVEL, at, ROLE_SERGEANT);
      data_str (r, "level", "2");
      i = ev_end (r);
      break;
    case BAD_MISSING_FIELD:
      i = ev (sim, r, CC_EVENT_LA_RESPONSE, at, ROLE_SERGEANT);
      break;
    case BAD_NONE:
    case N_BAD_KINDS:
    default:
      g_assert_not_reached ();
    }
  bad = &g_array_index (r->events, SimEvent, i);
  bad->bad = kind;
  if (kind == BAD_CROSS_RECORD)
    {
      bad->cross_record = TRUE;
      bad->recorded_ms = MAX (bad->recorded_ms, sim->prev_arrival_recorded_ms + 1000);
    }
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const SimEvent *ea = a, *eb = b;

  if (ea->at != eb->at)
    return ea->at < eb->at ? -1 : 1;
  return ea->order < eb->order ? -1 : (ea->order > eb->order ? 1 : 0);
}

static void
reset_record (Rec *r)
{
  g_array_set_size (r->events, 0);
  g_string_truncate (r->data, 0);
  g_array_set_size (r->busy, 0);
  g_array_set_size (r->rests, 0);
  g_array_set_size (r->levels, 0);
  g_array_set_size (r->interviews, 0);
  g_array_set_size (r->aa_spans, 0);
}

/* Makes the next record's events, sorted by time.  Returns FALSE when
 * there are no more records. */
static gboolean
generate_record (CcSimulator *sim,
                 Rec         *r)
{
  CcInstant t0 = sim->next_arrival;
  Rng       rng;

  if (t0 == CC_INSTANT_NONE)
    return FALSE;
  reset_record (r);
  r->index = ++sim->n_begun;
  r->adult = rng_chance (&sim->arrivals, sim->options.adults_ratio);
  r->suite = rng_pick (&sim->arrivals, sim->suite_weights, sim->options.n_suites);
  advance_arrival (sim);

  rng_seed (&rng, sim->options.seed, r->index);
  r->rng = rng;
  begin_record (sim, r, t0);
  if (r->adult)
    generate_adult (sim, r);
  else
    {
      generate_child (sim, r);
      g_array_index (sim->children, Child, r->child_index).free_from = r->close + CC_DAY;
    }

  /* Events made before the close was known. */
  {
    guint kept = 0;
    for (guint i = 0; i < r->events->len; i++)
      {
        SimEvent *e = &g_array_index (r->events, SimEvent, i);
        if (e->at > r->close)
          continue;
        g_array_index (r->events, SimEvent, kept) = *e;
        g_array_index (r->events, SimEvent, kept).order = kept;
        kept++;
      }
    g_array_set_size (r->events, kept);
  }
  plan_rests (sim, r);
  emit_reviews (sim, r);
  emit_meals (sim, r);
  emit_cell_visits (sim, r);
  add_mistakes (sim, r);
  maybe_add_bad_row (sim, r);

  g_array_sort (r->events, compare_events);
  return TRUE;
}

/* Rows
 * ==== */

static void
append_event_id (GString     *out,
                 CcSimulator *sim,
                 guint        record,
                 guint        n)
{
  g_string_append_printf (out, "sim-%" G_GUINT64_FORMAT "-%07u-%04u", sim->options.seed, record, n);
}

/* One CcStoreRow and its strings in one block (free with g_free()). */
static CcStoreRow *
row_new (const char *const texts[8],
         const gsize       lengths[8])
{
  gsize        total = sizeof (CcStoreRow);
  CcStoreRow  *row;
  char        *p;
  const char **fields[8];

  for (int i = 0; i < 8; i++)
    if (texts[i] != NULL)
      total += lengths[i] + 1;
  row = g_malloc (total);
  row->seq = 0;
  fields[0] = &row->event_id;
  fields[1] = &row->record_id;
  fields[2] = &row->type;
  fields[3] = &row->occurred_at;
  fields[4] = &row->recorded_at;
  fields[5] = &row->officer;
  fields[6] = &row->data;
  fields[7] = &row->supersedes;
  p = (char *) (row + 1);
  for (int i = 0; i < 8; i++)
    {
      if (texts[i] == NULL)
        {
          *fields[i] = NULL;
          continue;
        }
      memcpy (p, texts[i], lengths[i]);
      p[lengths[i]] = '\0';
      *fields[i] = p;
      p += lengths[i] + 1;
    }
  return row;
}

static void
count_child (CcSimulator *sim,
             guint        ref)
{
  gsize i = ref - 100001;

  if (i >= sim->child_counted_len)
    {
      gsize len = MAX (i + 1, sim->child_counted_len * 2);
      sim->child_counted = g_realloc (sim->child_counted, len);
      memset (sim->child_counted + sim->child_counted_len, 0, len - sim->child_counted_len);
      sim->child_counted_len = len;
    }
  if (!sim->child_counted[i])
    {
      sim->child_counted[i] = 1;
      sim->stats.children++;
    }
}

/* Appends the record's rows that were keyed by not_after; with
 * @recorded_ms, each row's entry time too. */
static gboolean
produce_record (CcSimulator *sim,
                GPtrArray   *rows,
                GArray      *recorded_ms)
{
  Rec     *r = &sim->rec;
  gint64   limit_ms = sim->options.not_after == CC_INSTANT_NONE ? G_MAXINT64 : sim->options.not_after * 1000 + 999;
  GString *s = sim->scratch;
  guint    produced = 0;
  gboolean closed = FALSE;

  if (!generate_record (sim, r))
    return FALSE;

  /* Sorted position of each event, by generation order: the n of its id. */
  g_array_set_size (sim->order, r->events->len);
  for (guint i = 0; i < r->events->len; i++)
    g_array_index (sim->order, guint, g_array_index (r->events, SimEvent, i).order) = i;

  for (guint i = 0; i < r->events->len; i++)
    {
      SimEvent   *e = &g_array_index (r->events, SimEvent, i);
      const char *texts[8];
      gsize       lengths[8], offsets[8];

      if (e->at > sim->options.not_after && sim->options.not_after != CC_INSTANT_NONE)
        continue;
      if (e->recorded_ms > limit_ms)
        continue;

      /* Every text into the scratch buffer, then one block. */
      g_string_truncate (s, 0);
      offsets[0] = s->len;
      append_event_id (s, sim, r->index, i + 1);
      lengths[0] = s->len - offsets[0];
      offsets[1] = s->len;
      g_string_append (s, r->record_id);
      lengths[1] = s->len - offsets[1];
      offsets[2] = s->len;
      g_string_append (s, e->bad == BAD_UNKNOWN_TYPE ? "cell_check" : cc_event_type_to_string (e->type));
      lengths[2] = s->len - offsets[2];
      offsets[3] = s->len;
      append_instant (s, &sim->bst, e->at, e->bad == BAD_NO_OFFSET ? STYLE_BARE : r->style);
      lengths[3] = s->len - offsets[3];
      offsets[4] = s->len;
      append_recorded (s, e->recorded_ms);
      lengths[4] = s->len - offsets[4];
      offsets[5] = s->len;
      g_string_append (s, e->officer);
      lengths[5] = s->len - offsets[5];
      offsets[6] = s->len;
      g_string_append_len (s, r->data->str + e->data_off, e->data_len);
      lengths[6] = s->len - offsets[6];
      offsets[7] = s->len;
      if (e->cross_record)
        g_string_append (s, sim->prev_arrival_id);
      else if (e->supersedes >= 0)
        append_event_id (s, sim, r->index, g_array_index (sim->order, guint, e->supersedes) + 1);
      lengths[7] = s->len - offsets[7];
      for (int k = 0; k < 8; k++)
        texts[k] = s->str + offsets[k];
      if (lengths[7] == 0)
        texts[7] = NULL;
      g_ptr_array_add (rows, row_new (texts, lengths));
      if (recorded_ms != NULL)
        g_array_append_val (recorded_ms, e->recorded_ms);

      produced++;
      sim->stats.rows++;
      if (e->bad != BAD_NONE)
        sim->stats.bad_rows++;
      else
        {
          if (e->supersedes >= 0)
            sim->stats.corrections++;
          if (e->type == CC_EVENT_VOID)
            sim->stats.voids++;
          if (cc_event_type_closes_record (e->type) && e->supersedes < 0)
            closed = TRUE;
        }
      /* Instants are whole seconds (HACKING.md), as the report reads them. */
      if (floor_div (e->recorded_ms, 1000) - e->at > 15 * CC_MINUTE)
        sim->stats.late_entries++;
    }

  if (produced > 0)
    {
      sim->stats.records++;
      if (r->adult)
        sim->stats.adult_records++;
      else
        {
          sim->stats.child_records++;
          count_child (sim, r->child_ref);
        }
      if (!closed)
        sim->stats.open_records++;
    }

  /* The next record's cross-record bad row names this arrival (the first
   * event made): named whether or not it was keyed by not_after, so that a
   * later cut-off changes nothing before the earlier one.  The bad row is
   * keyed after it, so it is never written without it. */
  g_free (sim->prev_arrival_id);
  g_string_truncate (s, 0);
  append_event_id (s, sim, r->index, g_array_index (sim->order, guint, 0) + 1);
  sim->prev_arrival_id = g_strdup (s->str);
  sim->prev_arrival_recorded_ms = r->arrival_recorded_ms;
  return TRUE;
}

/**
 * cc_simulator_next_record:
 * @simulator: a #CcSimulator
 * @rows: (element-type CcStoreRow): where the rows go
 *
 * Makes the next record and appends its rows, sorted by occurred_at, as
 * a custody system would have written them by the options' @not_after.
 * The rows and their strings belong to the simulator and stay valid until
 * the next call or cc_simulator_free(): copy what you keep, and give @rows
 * no free function.  Their seq is 0.  A record whose booking-in had not
 * been keyed by @not_after appends no rows.
 *
 * Returns: %FALSE when every record has been made (nothing is appended)
 */
gboolean
cc_simulator_next_record (CcSimulator *simulator,
                          GPtrArray   *rows)
{
  gboolean more;

  g_return_val_if_fail (simulator != NULL, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  g_ptr_array_set_size (simulator->lent, 0);
  more = produce_record (simulator, simulator->lent, NULL);
  for (guint i = 0; i < simulator->lent->len; i++)
    g_ptr_array_add (rows, g_ptr_array_index (simulator->lent, i));
  return more;
}

/* Writing
 * ======= */

/* Rows wait in a heap until every row keyed before them has been made,
 * then go into the table in the order they were keyed, as in a live log:
 * seq follows recorded_at, with late entries and corrections among the
 * rows of other records. */
typedef struct
{
  gint64      recorded_ms;
  guint64     made; /* ties: the order the rows were made */
  CcStoreRow *row;
} Pending;

static inline gboolean
pending_before (const Pending *a,
                const Pending *b)
{
  return a->recorded_ms < b->recorded_ms || (a->recorded_ms == b->recorded_ms && a->made < b->made);
}

static void
heap_push (GArray  *heap,
           Pending *p)
{
  Pending *h;
  guint    i;

  g_array_append_val (heap, *p);
  h = (Pending *) heap->data;
  for (i = heap->len - 1; i > 0;)
    {
      guint   parent = (i - 1) / 2;
      Pending tmp;

      if (!pending_before (&h[i], &h[parent]))
        break;
      tmp = h[i];
      h[i] = h[parent];
      h[parent] = tmp;
      i = parent;
    }
}

static Pending
heap_pop (GArray *heap)
{
  Pending *h = (Pending *) heap->data;
  Pending  top = h[0];
  guint    n = heap->len - 1, i = 0;

  h[0] = h[n];
  g_array_set_size (heap, n);
  for (;;)
    {
      guint   l = 2 * i + 1, r = l + 1, m = i;
      Pending tmp;

      if (l < n && pending_before (&h[l], &h[m]))
        m = l;
      if (r < n && pending_before (&h[r], &h[m]))
        m = r;
      if (m == i)
        break;
      tmp = h[i];
      h[i] = h[m];
      h[m] = tmp;
      i = m;
    }
  return top;
}

static void
heap_clear (GArray *heap)
{
  for (guint i = 0; i < heap->len; i++)
    g_free (g_array_index (heap, Pending, i).row);
  g_array_set_size (heap, 0);
}

/**
 * cc_simulator_write:
 * @simulator: a #CcSimulator
 * @store: the custody log
 * @error: return location for a #GError
 *
 * Makes every remaining record and writes its rows with
 * cc_store_insert_row(), in the order they were keyed, committing every
 * 10,000 rows.  Rows whose event_id is already in the table are skipped
 * (the stats' @inserted counts the others).  On failure, the batches
 * already committed stay.
 */
gboolean
cc_simulator_write (CcSimulator *simulator,
                    CcStore     *store,
                    GError     **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autoptr (GArray) recorded = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) heap = g_array_new (FALSE, FALSE, sizeof (Pending));
  CcSimulator *sim = simulator;
  guint64      made = 0;
  guint        batch = 0;
  gboolean     more = TRUE;

  g_return_val_if_fail (simulator != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  if (!cc_store_begin (store, error))
    return FALSE;
  while (more)
    {
      gint64 flush_ms;

      g_ptr_array_set_size (rows, 0);
      g_array_set_size (recorded, 0);
      more = produce_record (sim, rows, recorded);
      for (guint i = 0; i < rows->len; i++)
        {
          Pending p = { g_array_index (recorded, gint64, i), made++, g_ptr_array_index (rows, i) };
          heap_push (heap, &p);
        }

      /* Every later record's rows are keyed at or after its arrival. */
      flush_ms = more && sim->next_arrival != CC_INSTANT_NONE ? sim->next_arrival * 1000 : G_MAXINT64;
      while (heap->len > 0 && g_array_index (heap, Pending, 0).recorded_ms <= flush_ms)
        {
          Pending  p = heap_pop (heap);
          gboolean inserted = FALSE;
          gboolean ok = cc_store_insert_row (store, p.row, &inserted, error);

          g_free (p.row);
          if (!ok)
            {
              cc_store_rollback (store);
              heap_clear (heap);
              return FALSE;
            }
          sim->stats.inserted += inserted;
          if (++batch >= BATCH_ROWS)
            {
              if (!cc_store_commit (store, error))
                {
                  cc_store_rollback (store);
                  heap_clear (heap);
                  return FALSE;
                }
              if (sim->progress_func != NULL)
                sim->progress_func (&sim->stats, sim->progress_data);
              batch = 0;
              if (!cc_store_begin (store, error))
                {
                  heap_clear (heap);
                  return FALSE;
                }
            }
        }
    }
  if (!cc_store_commit (store, error))
    {
      cc_store_rollback (store);
      return FALSE;
    }
  if (sim->progress_func != NULL)
    sim->progress_func (&sim->stats, sim->progress_data);
  return TRUE;
}
