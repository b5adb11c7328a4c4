/* fuzz-time.c: RFC 3339 times, dates and durations (cc-time.c)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input is one text, read as an event time without a zone and with
 * each of a set of zones that have awkward changes (--assume-tz), as a
 * date of birth and as a policy duration.  What is accepted is formatted
 * the ways the program shows and stores it, and a stored time must parse
 * back to the same instant.
 */
#include "config.h"

#include "fuzz-common.h"

#include "cc-time.h"

/* Zones with a daylight-saving change of each kind: London (the default),
 * New York, Lord Howe (half an hour), Apia (skipped a whole day in 2011),
 * Kiritimati (+14:00), St John's (-03:30), Kathmandu (+05:45). */
static const char *const zone_names[] = {
  "UTC",
  "Europe/London",
  "America/New_York",
  "Australia/Lord_Howe",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "America/St_Johns",
  "Asia/Kathmandu",
};
/* 0001-01-02T00:00:00Z and 9999-12-30T23:59:59Z: a day inside the
 * instants cc_time_parse() accepts. */
#define FIRST_LOCAL ((CcInstant) -62135596800 + CC_DAY)
#define LAST_LOCAL ((CcInstant) 253402300799 - CC_DAY)

static GTimeZone *zones[G_N_ELEMENTS (zone_names) + 1];
static guint      n_zones;
static GTimeZone *london;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  zones[n_zones++] = NULL; /* an offset is required */
  for (gsize i = 0; i < G_N_ELEMENTS (zone_names); i++)
    {
      GTimeZone *tz = cc_time_zone_new (zone_names[i], NULL);

      if (tz != NULL)
        zones[n_zones++] = tz;
    }
  london = cc_time_zone_new ("Europe/London", NULL);
  if (london == NULL)
    london = g_time_zone_new_utc ();
  return 0;
}

static void
check_instant (CcInstant  instant,
               GTimeZone *tz)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *utc = cc_time_format_utc (instant);
  g_autofree char *local = cc_time_format_local (instant, tz);
  g_autofree char *display = cc_time_format_display (instant, tz, "%a %-d %b %Y %H:%M:%S");
  g_autofree char *same_day = cc_time_format_relative (instant, instant + CC_HOUR, tz);
  g_autofree char *other_day = cc_time_format_relative (instant, FUZZ_NOW, tz);
  GDate            dob;
  CcInstant        back;

  /* Stored times are written in UTC and read back without a zone. */
  if (!cc_time_parse (utc, NULL, &back, &error))
    g_error ("an accepted time does not parse back from its UTC form %s: %s", utc, error->message);
  g_assert_cmpint (back, ==, instant);

  /* Local times carry the offset cut to the minute (LMT offsets have
   * seconds), so they come back within a minute; on the first and last day
   * of the years 0001 to 9999 the local date may be in the year 0 or
   * 10000, which is shown but never read. */
  if (instant >= FIRST_LOCAL && instant <= LAST_LOCAL)
    {
      if (!cc_time_parse (local, NULL, &back, &error))
        g_error ("an accepted time does not parse back from its local form %s: %s", local, error->message);
      g_assert_cmpint (ABS (back - instant), <, CC_MINUTE);
    }

  g_assert_nonnull (display);
  g_assert_true (g_utf8_validate (display, -1, NULL));
  g_assert_nonnull (same_day);
  g_assert_nonnull (other_day);

  g_date_clear (&dob, 1);
  g_date_set_dmy (&dob, 29, G_DATE_FEBRUARY, 2008);
  (void) cc_age_at (&dob, instant, tz);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *quoted = cc_quote_for_message ((const char *) data, (gssize) size);

  fuzz_assert_message (quoted);

  for (guint i = 0; i < n_zones; i++)
    {
      g_autoptr (GError) error = NULL;
      CcInstant instant;

      if (cc_time_parse (text, zones[i], &instant, &error))
        {
          g_assert_no_error (error);
          check_instant (instant, zones[i] != NULL ? zones[i] : london);
        }
      else
        {
          g_assert_true (error->domain == CC_TIME_ERROR);
          fuzz_assert_message (error->message);
        }
    }

  {
    g_autoptr (GError) error = NULL;
    GDate date;

    if (cc_date_parse (text, &date, &error))
      {
        g_assert_true (g_date_valid (&date));
        (void) cc_age_at (&date, FUZZ_NOW, london);
        (void) cc_age_at (&date, 0, london);
      }
    else
      {
        g_assert_true (error->domain == CC_TIME_ERROR);
        fuzz_assert_message (error->message);
      }
  }

  {
    g_autoptr (GError) error = NULL;
    gint64 seconds = 0;

    if (cc_duration_parse (text, &seconds, &error))
      {
        g_autofree char *shown = cc_duration_format (seconds);
        g_autofree char *negative = cc_duration_format (-seconds);

        g_assert_cmpint (seconds, >=, 1);
        g_assert_cmpint (seconds, <=, CC_DURATION_MAX);
      }
    else
      {
        g_assert_true (error->domain == CC_TIME_ERROR);
        fuzz_assert_message (error->message);
      }
  }

  /* Any number of seconds has a board form, G_MININT64 included. */
  if (size >= sizeof (gint64))
    {
      gint64           raw;
      g_autofree char *shown = NULL;

      memcpy (&raw, data, sizeof raw);
      shown = cc_duration_format (raw);
      g_assert_nonnull (shown);
    }
  return 0;
}
