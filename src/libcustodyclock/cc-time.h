/* cc-time.h: instants, durations and RFC 3339
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CcInstant:
 *
 * An absolute instant: whole seconds since 1970-01-01T00:00:00Z.  Every clock
 * computation uses these; wall-clock (local) time is for display only, so
 * "24 hours after" is always 86 400 seconds after, whatever the clocks do at a
 * daylight-saving change.
 */
typedef gint64 CcInstant;

/** CC_INSTANT_NONE: an absent instant (sorts before every real one). */
#define CC_INSTANT_NONE G_MININT64

/**
 * cc_instant_earliest:
 *
 * Returns: the earlier of @a and @b, where %CC_INSTANT_NONE means "no
 *   instant" and loses to any real one
 */
static inline CcInstant
cc_instant_earliest (CcInstant a,
                     CcInstant b)
{
  if (a == CC_INSTANT_NONE)
    return b;
  if (b == CC_INSTANT_NONE)
    return a;
  return a < b ? a : b;
}

#define CC_SECOND ((gint64) 1)
#define CC_MINUTE ((gint64) 60)
#define CC_HOUR ((gint64) 3600)
#define CC_DAY ((gint64) 86400)

/** The longest duration cc_duration_parse() accepts (100 years of days):
 * longer is a typing error, and it keeps instant + duration from
 * overflowing. */
#define CC_DURATION_MAX (36500 * CC_DAY)

/** The display and interpretation zone when the policy names none. */
#define CC_DEFAULT_TIMEZONE "Europe/London"

#define CC_TIME_ERROR (cc_time_error_quark ())
GQuark cc_time_error_quark (void);

/**
 * CcTimeError:
 * @CC_TIME_ERROR_SYNTAX: not an RFC 3339 date-time (or a duration, or a date)
 * @CC_TIME_ERROR_RANGE: a field is out of range (month 13, 25:00, 31 April…)
 * @CC_TIME_ERROR_NO_OFFSET: a local time without an offset, and no zone to assume
 * @CC_TIME_ERROR_NONEXISTENT: a local time skipped by a daylight-saving change
 * @CC_TIME_ERROR_AMBIGUOUS: a local time that happens twice at a daylight-saving change
 * @CC_TIME_ERROR_ZONE: an unknown time zone name
 */
typedef enum
{
  CC_TIME_ERROR_SYNTAX,
  CC_TIME_ERROR_RANGE,
  CC_TIME_ERROR_NO_OFFSET,
  CC_TIME_ERROR_NONEXISTENT,
  CC_TIME_ERROR_AMBIGUOUS,
  CC_TIME_ERROR_ZONE,
} CcTimeError;

gboolean   cc_time_parse (const char *text,
                          GTimeZone  *assume_tz,
                          CcInstant  *out_instant,
                          GError    **error);
gboolean   cc_time_parse_for_person (const char *text,
                                     GTimeZone  *tz,
                                     CcInstant   now,
                                     CcInstant  *out_instant,
                                     GError    **error);
char      *cc_time_format_utc (CcInstant instant);
char      *cc_time_format_local (CcInstant  instant,
                                 GTimeZone *tz);
char      *cc_time_format_display (CcInstant   instant,
                                   GTimeZone  *tz,
                                   const char *format);
char      *cc_time_format_date (GDateTime  *dt,
                                const char *format);
char      *cc_time_format_relative (CcInstant  instant,
                                    CcInstant  reference,
                                    GTimeZone *tz);
GTimeZone *cc_time_zone_new (const char *identifier,
                             GError    **error);

gboolean cc_date_parse (const char *text,
                        GDate      *out_date,
                        GError    **error);
int      cc_age_at (const GDate *dob,
                    CcInstant    instant,
                    GTimeZone   *tz);

gboolean cc_duration_parse (const char *text,
                            gint64     *out_seconds,
                            GError    **error);
char    *cc_duration_format (gint64 seconds);

char *cc_quote_for_message (const char *text,
                            gssize      length);

/* cc_time_parse() without its fast path: the full parser alone, for the
 * differential test in tests/test-time.c, not for use elsewhere. */
gboolean cc_time_parse_slow (const char *text,
                             GTimeZone  *assume_tz,
                             CcInstant  *out_instant,
                             GError    **error);

G_END_DECLS
