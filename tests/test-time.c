/* test-time.c: instants, durations and RFC 3339
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cc_time_parse() has a fast path for the common shapes in front of the
 * full parser (cc-time.c).  The fast path must never change a verdict, an
 * instant or a message, so every parse these tests make is also made with
 * the full parser alone (cc_time_parse_slow()) and compared, and
 * /time/parse/fast-path compares the two over the fuzz corpus and over
 * generated times in every shape with every one-character mutation.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cc-alarm.h"
#include "cc-time.h"

static GTimeZone *
london (void)
{
  g_autoptr (GError) error = NULL;
  GTimeZone *tz = cc_time_zone_new ("Europe/London", &error);

  g_assert_no_error (error);
  g_assert_nonnull (tz);
  return tz;
}

/* Counts the texts on which cc_time_parse() and cc_time_parse_slow()
 * disagree, and shows the first few: the differential test reports them
 * all at once rather than stopping at the first. */
typedef struct
{
  guint n_compared;
  guint n_differ;
} Differences;

/* Parses @text with @tz both ways and records whether the verdict, the
 * instant (or that it was left alone), the error code and the message all
 * agree.  Returns whether they did. */
static gboolean
compare_with_slow (const char  *text,
                   GTimeZone   *tz,
                   Differences *diff)
{
  g_autoptr (GError) fast_error = NULL;
  g_autoptr (GError) slow_error = NULL;
  CcInstant fast = 42;
  CcInstant slow = 42;
  gboolean  fast_ok = cc_time_parse (text, tz, &fast, &fast_error);
  gboolean  slow_ok = cc_time_parse_slow (text, tz, &slow, &slow_error);
  gboolean  same;

  same = fast_ok == slow_ok && fast == slow &&
         (fast_error == NULL) == (slow_error == NULL) &&
         (fast_error == NULL ||
          (fast_error->domain == slow_error->domain && fast_error->code == slow_error->code &&
           strcmp (fast_error->message, slow_error->message) == 0));
  diff->n_compared++;
  if (!same && diff->n_differ++ < 10)
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);

      g_test_message ("%s (zone %s): fast %s %" G_GINT64_FORMAT " %s, full parser %s %" G_GINT64_FORMAT " %s",
                      quoted, tz != NULL ? g_time_zone_get_identifier (tz) : "none",
                      fast_ok ? "accepts" : "refuses", fast, fast_error != NULL ? fast_error->message : "",
                      slow_ok ? "accepts" : "refuses", slow, slow_error != NULL ? slow_error->message : "");
    }
  return same;
}

static void
assert_same_as_slow (const char *text,
                     GTimeZone  *tz)
{
  Differences diff = { 0, 0 };

  g_assert_true (compare_with_slow (text, tz, &diff));
}

/* Parses @text (with @tz) and checks it is the instant written as @utc. */
static void
assert_parses_to (const char *text,
                  GTimeZone  *tz,
                  const char *utc)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *formatted = NULL;
  CcInstant        instant = 0;

  assert_same_as_slow (text, tz);
  g_assert_true (cc_time_parse (text, tz, &instant, &error));
  g_assert_no_error (error);
  formatted = cc_time_format_utc (instant);
  g_assert_cmpstr (formatted, ==, utc);
}

static void
assert_parse_fails (const char *text,
                    GTimeZone  *tz,
                    CcTimeError code)
{
  g_autoptr (GError) error = NULL;
  CcInstant instant = 42;

  assert_same_as_slow (text, tz);
  g_assert_false (cc_time_parse (text, tz, &instant, &error));
  g_assert_error (error, CC_TIME_ERROR, (int) code);
  /* Untouched on failure. */
  g_assert_cmpint (instant, ==, 42);
}

static void
test_parse_utc (void)
{
  CcInstant instant = 0;

  g_assert_true (cc_time_parse ("1970-01-01T00:00:00Z", NULL, &instant, NULL));
  g_assert_cmpint (instant, ==, 0);
  g_assert_true (cc_time_parse ("2022-03-08T14:00:00Z", NULL, &instant, NULL));
  g_assert_cmpint (instant, ==, 1646748000);

  assert_parses_to ("2022-03-08T14:00:00Z", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2000-02-29T23:59:59Z", NULL, "2000-02-29T23:59:59Z");
  assert_parses_to ("1969-12-31T23:59:59Z", NULL, "1969-12-31T23:59:59Z");
  assert_parses_to ("9999-12-31T23:59:59Z", NULL, "9999-12-31T23:59:59Z");
  assert_parses_to ("0001-01-01T00:00:00Z", NULL, "0001-01-01T00:00:00Z");
}

static void
test_parse_offsets (void)
{
  assert_parses_to ("2022-03-08T14:00:00+00:00", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-03-08T14:00:00-00:00", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-06-08T15:00:00+01:00", NULL, "2022-06-08T14:00:00Z");
  assert_parses_to ("2022-06-08T09:30:00-04:30", NULL, "2022-06-08T14:00:00Z");
  assert_parses_to ("2022-01-01T00:30:00+01:00", NULL, "2021-12-31T23:30:00Z");
  assert_parses_to ("2022-01-01T23:59:00-23:59", NULL, "2022-01-02T23:58:00Z");

  /* An offset in the text wins over the zone to assume. */
  {
    g_autoptr (GTimeZone) tz = london ();

    assert_parses_to ("2022-06-08T14:00:00Z", tz, "2022-06-08T14:00:00Z");
    assert_parses_to ("2022-06-08T14:00:00+02:00", tz, "2022-06-08T12:00:00Z");
  }
}

static void
test_parse_fraction (void)
{
  assert_parses_to ("2022-03-08T14:00:00.000Z", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-03-08T14:00:00.999999999Z", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-03-08T14:00:59.5+01:00", NULL, "2022-03-08T13:00:59Z");
  /* Before the epoch the earlier second is still the lower number. */
  assert_parses_to ("1969-12-31T23:59:59.9Z", NULL, "1969-12-31T23:59:59Z");
  /* SQLite's strftime('%Y-%m-%dT%H:%M:%fZ'), the recorded_at default. */
  assert_parses_to ("2022-03-08T14:00:00.123Z", NULL, "2022-03-08T14:00:00Z");
}

static void
test_parse_lowercase (void)
{
  assert_parses_to ("2022-03-08t14:00:00z", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-03-08 14:00:00Z", NULL, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-03-08 14:00:00+01:00", NULL, "2022-03-08T13:00:00Z");
}

static void
test_parse_syntax_errors (void)
{
  static const char *const bad[] = {
    "",
    "now",
    "2022-03-08",
    "2022-03-08T14:00Z", /* seconds are required */
    "2022-03-08T14:00:00ZZ",
    "2022-03-08T14:00:00Z ",
    " 2022-03-08T14:00:00Z",
    "2022-03-08T14:00:00+01",
    "2022-03-08T14:00:00+0100",
    "2022-03-08T14:00:00+1:00",
    "2022-03-08T14:00:00.Z",
    "2022-03-08T14:00:00,5Z",
    "2022-3-08T14:00:00Z",
    "22-03-08T14:00:00Z",
    "2022/03/08T14:00:00Z",
    "2022-03-08X14:00:00Z",
    "2022-03-08T14:00:00 Z",
    "2022-03-08T14:00:00UTC",
    "2022-03-08T14:00:00Z\n",
    "2022-03-08T14:00:00+24:00x",
    "+2022-03-08T14:00:00Z",
    "2022-03-08T1a:00:00Z",
    "２０２２-03-08T14:00:00Z", /* non-ASCII digits */
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("parsing “%s”", bad[i]);
      assert_parse_fails (bad[i], NULL, CC_TIME_ERROR_SYNTAX);
    }
}

static void
test_parse_range_errors (void)
{
  static const char *const bad[] = {
    "2022-13-01T00:00:00Z",
    "2022-00-01T00:00:00Z",
    "2022-01-00T00:00:00Z",
    "2022-01-32T00:00:00Z",
    "2022-02-29T00:00:00Z",
    "2022-02-30T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2022-04-31T00:00:00Z",
    "2022-03-08T24:00:00Z",
    "2022-03-08T14:60:00Z",
    "2022-03-08T14:00:60Z", /* leap seconds are refused */
    "2016-12-31T23:59:60Z",
    "2022-03-08T14:00:00+24:00",
    "2022-03-08T14:00:00-24:00",
    "2022-03-08T14:00:00+01:60",
    "0000-01-01T00:00:00Z",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("parsing “%s”", bad[i]);
      assert_parse_fails (bad[i], NULL, CC_TIME_ERROR_RANGE);
    }
}

/* Found by fuzzing (tests/fuzz/fuzz-time): the date as written was checked
 * for the years 0001 to 9999, but not the instant, so an offset or an
 * assumed zone could carry it into the year 0 or 10000 in UTC, which
 * cc_time_format_utc() then wrote and cc_time_parse() refused. */
static void
test_parse_utc_year_range (void)
{
  g_autoptr (GTimeZone) tokyo = cc_time_zone_new ("Asia/Tokyo", NULL);
  g_autoptr (GTimeZone) new_york = cc_time_zone_new ("America/New_York", NULL);
  static const char *const outside[] = {
    "0001-01-01T00:00:00+00:01",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-00:01",
    "9999-12-31T23:00:00-14:00",
  };
  static const char *const inside[] = {
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59+14:00",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (outside); i++)
    assert_parse_fails (outside[i], NULL, CC_TIME_ERROR_RANGE);
  assert_parse_fails ("0001-01-01T00:00:00", tokyo, CC_TIME_ERROR_RANGE);
  assert_parse_fails ("9999-12-31T23:59:59", new_york, CC_TIME_ERROR_RANGE);

  for (gsize i = 0; i < G_N_ELEMENTS (inside); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *utc = NULL;
      CcInstant        instant;
      CcInstant        back;

      g_assert_true (cc_time_parse (inside[i], NULL, &instant, &error));
      g_assert_no_error (error);
      utc = cc_time_format_utc (instant);
      g_assert_true (cc_time_parse (utc, NULL, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, instant);
    }
}

static void
test_parse_messages (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cc_time_parse ("2022-02-30T00:00:00Z", NULL, NULL, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "“2022-02-30T00:00:00Z”"));
  g_assert_nonnull (strstr (error->message, "February 2022 has 28 days"));
  g_clear_error (&error);

  g_assert_false (cc_time_parse ("yesterday", NULL, NULL, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "“yesterday”"));
  g_assert_nonnull (strstr (error->message, "YYYY-MM-DDTHH:MM:SS"));
  g_clear_error (&error);

  /* Control characters and runaway text do not make runaway messages. */
  g_assert_false (cc_time_parse ("bad\nline", NULL, NULL, &error));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_nonnull (strstr (error->message, "“bad\\nline”"));
  g_clear_error (&error);

  {
    g_autofree char *huge = g_strnfill (100000, 'x');

    g_assert_false (cc_time_parse (huge, NULL, NULL, &error));
    g_assert_cmpuint (strlen (error->message), <, 300);
    g_assert_nonnull (strstr (error->message, "…”"));
    g_clear_error (&error);
  }
}

static void
test_parse_no_offset (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = london ();

  g_assert_false (cc_time_parse ("2022-03-08T14:00:00", NULL, NULL, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_NO_OFFSET);
  g_assert_nonnull (strstr (error->message, "“2022-03-08T14:00:00”"));
  g_assert_nonnull (strstr (error->message, "--assume-tz"));
  g_clear_error (&error);

  /* Fractions and the space form still need an offset. */
  assert_parse_fails ("2022-03-08 14:00:00.5", NULL, CC_TIME_ERROR_NO_OFFSET);

  /* GMT in winter, BST in summer. */
  assert_parses_to ("2022-03-08T14:00:00", tz, "2022-03-08T14:00:00Z");
  assert_parses_to ("2022-07-08T14:00:00", tz, "2022-07-08T13:00:00Z");
  assert_parses_to ("2022-07-08T14:00:00.75", tz, "2022-07-08T13:00:00Z");

  /* A zone that never changes. */
  {
    g_autoptr (GTimeZone) utc = cc_time_zone_new ("UTC", NULL);

    g_assert_nonnull (utc);
    assert_parses_to ("2022-07-08T14:00:00", utc, "2022-07-08T14:00:00Z");
  }

  /* Syntax is checked before the offset. */
  assert_parse_fails ("2022-03-08T14:00", tz, CC_TIME_ERROR_SYNTAX);
  assert_parse_fails ("2022-03-08T25:00:00", tz, CC_TIME_ERROR_RANGE);
}

static void
test_parse_dst_changes (void)
{
  g_autoptr (GTimeZone) tz = london ();
  g_autoptr (GError) error = NULL;

  /* 2022: forward at 01:00 GMT on 27 March, back at 01:00 GMT on
   * 30 October. */
  assert_parses_to ("2022-03-27T00:59:59", tz, "2022-03-27T00:59:59Z");
  assert_parse_fails ("2022-03-27T01:00:00", tz, CC_TIME_ERROR_NONEXISTENT);
  assert_parse_fails ("2022-03-27T01:30:00", tz, CC_TIME_ERROR_NONEXISTENT);
  assert_parse_fails ("2022-03-27T01:59:59", tz, CC_TIME_ERROR_NONEXISTENT);
  assert_parses_to ("2022-03-27T02:00:00", tz, "2022-03-27T01:00:00Z");
  assert_parses_to ("2022-03-27T00:59:00", tz, "2022-03-27T00:59:00Z");

  assert_parses_to ("2022-10-30T00:59:59", tz, "2022-10-29T23:59:59Z");
  assert_parse_fails ("2022-10-30T01:00:00", tz, CC_TIME_ERROR_AMBIGUOUS);
  assert_parse_fails ("2022-10-30T01:30:00", tz, CC_TIME_ERROR_AMBIGUOUS);
  assert_parse_fails ("2022-10-30T01:59:59", tz, CC_TIME_ERROR_AMBIGUOUS);
  assert_parses_to ("2022-10-30T02:00:00", tz, "2022-10-30T02:00:00Z");
  assert_parses_to ("2022-10-30T00:59:00", tz, "2022-10-29T23:59:00Z");

  /* 2023: 26 March and 29 October. */
  assert_parses_to ("2023-03-26T00:59:00", tz, "2023-03-26T00:59:00Z");
  assert_parse_fails ("2023-03-26T01:30:00", tz, CC_TIME_ERROR_NONEXISTENT);
  assert_parses_to ("2023-03-26T02:00:00", tz, "2023-03-26T01:00:00Z");
  assert_parses_to ("2023-10-29T00:59:00", tz, "2023-10-28T23:59:00Z");
  assert_parse_fails ("2023-10-29T01:30:00", tz, CC_TIME_ERROR_AMBIGUOUS);
  assert_parses_to ("2023-10-29T02:00:00", tz, "2023-10-29T02:00:00Z");

  /* Either side of the overlap, once the offset is given, is fine. */
  assert_parses_to ("2022-10-30T01:30:00+01:00", tz, "2022-10-30T00:30:00Z");
  assert_parses_to ("2022-10-30T01:30:00+00:00", tz, "2022-10-30T01:30:00Z");

  /* The messages name the time and the zone and say what to do. */
  g_assert_false (cc_time_parse ("2022-03-27T01:30:00", tz, NULL, &error));
  g_assert_nonnull (strstr (error->message, "“2022-03-27T01:30:00”"));
  g_assert_nonnull (strstr (error->message, "Europe/London"));
  g_assert_nonnull (strstr (error->message, "UTC offset"));
  g_clear_error (&error);

  g_assert_false (cc_time_parse ("2022-10-30T01:30:00", tz, NULL, &error));
  g_assert_nonnull (strstr (error->message, "“2022-10-30T01:30:00”"));
  g_assert_nonnull (strstr (error->message, "Europe/London"));
  g_assert_nonnull (strstr (error->message, "2022-10-30T01:30:00+01:00 for the first"));
  g_assert_nonnull (strstr (error->message, "2022-10-30T01:30:00+00:00 for the second"));
  g_clear_error (&error);
}

/* What a person types for --at: HH:MM (today in the display zone),
 * YYYY-MM-DD HH:MM in that zone, or RFC 3339; a local time the clocks
 * skipped or repeated is refused with both instants it may mean. */
static void
test_parse_for_person (void)
{
  g_autoptr (GTimeZone) tz = london ();
  g_autoptr (GError) error = NULL;
  CcInstant now = 0;
  CcInstant at = 0;
  struct
  {
    const char *text;
    const char *now;
    const char *utc;
  } good[] = {
    /* summer: BST, an hour ahead of UTC */
    { "14:30", "2026-07-01T09:00:00Z", "2026-07-01T13:30:00Z" },
    { "00:10", "2026-07-01T09:00:00Z", "2026-06-30T23:10:00Z" },
    /* today is London's date: 23:30 UTC on 30 June is already 1 July */
    { "08:00", "2026-06-30T23:30:00Z", "2026-07-01T07:00:00Z" },
    /* winter: GMT */
    { "14:30", "2026-12-01T09:00:00Z", "2026-12-01T14:30:00Z" },
    { "2026-03-29 00:59", "2026-12-01T09:00:00Z", "2026-03-29T00:59:00Z" },
    { "2026-03-29 02:00", "2026-12-01T09:00:00Z", "2026-03-29T01:00:00Z" },
    { "2026-03-29T02:00", "2026-12-01T09:00:00Z", "2026-03-29T01:00:00Z" },
    { "2026-10-25 00:59", "2026-12-01T09:00:00Z", "2026-10-24T23:59:00Z" },
    { "2026-10-25 02:00", "2026-12-01T09:00:00Z", "2026-10-25T02:00:00Z" },
    { "2026-10-25 02:00:30", "2026-12-01T09:00:00Z", "2026-10-25T02:00:30Z" },
    /* RFC 3339 as before, an offset always wins */
    { "2026-10-25T01:30:00+01:00", "2026-12-01T09:00:00Z", "2026-10-25T00:30:00Z" },
    { "2026-10-25T01:30:00Z", "2026-12-01T09:00:00Z", "2026-10-25T01:30:00Z" },
  };
  const char *bad_syntax[] = { "", "yesterday", "1430", "14:3", "2026-03-29", "2026-03-29 1:30", " 14:30", "now" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = NULL;

      g_assert_true (cc_time_parse (good[i].now, NULL, &now, NULL));
      g_assert_true (cc_time_parse_for_person (good[i].text, tz, now, &at, &error));
      g_assert_no_error (error);
      text = cc_time_format_utc (at);
      g_assert_cmpstr (text, ==, good[i].utc);
    }

  g_assert_true (cc_time_parse ("2026-12-01T09:00:00Z", NULL, &now, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (bad_syntax); i++)
    {
      at = 42;
      g_assert_false (cc_time_parse_for_person (bad_syntax[i], tz, now, &at, &error));
      g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX);
      /* The message gives every form it takes. */
      g_assert_nonnull (strstr (error->message, "HH:MM (today), YYYY-MM-DD HH:MM (both in Europe/London)"));
      g_assert_cmpint (at, ==, 42);
      g_clear_error (&error);
    }
  g_assert_false (cc_time_parse_for_person ("25:00", tz, now, NULL, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE);
  g_clear_error (&error);

  /* 2026-03-29 01:30 does not exist in London: the clocks went from 01:00
   * GMT to 02:00 BST.  Both instants it may mean are given. */
  g_assert_false (cc_time_parse_for_person ("2026-03-29 01:30", tz, now, &at, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_NONEXISTENT);
  g_assert_nonnull (strstr (error->message, "“2026-03-29 01:30” never happened in Europe/London"));
  g_assert_nonnull (strstr (error->message, "2026-03-29T00:30:00+00:00 or 2026-03-29T02:30:00+01:00"));
  g_clear_error (&error);

  /* 2026-10-25 01:30 happened twice: first in BST, then in GMT. */
  g_assert_false (cc_time_parse_for_person ("2026-10-25 01:30", tz, now, &at, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "“2026-10-25 01:30” happened twice in Europe/London"));
  g_assert_nonnull (strstr (error->message, "write 2026-10-25T01:30:00+01:00 for the first time or 2026-10-25T01:30:00+00:00 for the second"));
  g_clear_error (&error);

  /* HH:MM on the day of a change is read on that day. */
  g_assert_true (cc_time_parse ("2026-03-29T10:00:00Z", NULL, &now, NULL));
  g_assert_false (cc_time_parse_for_person ("01:30", tz, now, &at, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_NONEXISTENT);
  g_assert_nonnull (strstr (error->message, "“01:30” never happened"));
  g_assert_nonnull (strstr (error->message, "2026-03-29T00:30:00+00:00"));
  g_clear_error (&error);
  g_assert_true (cc_time_parse ("2026-10-25T10:00:00Z", NULL, &now, NULL));
  g_assert_false (cc_time_parse_for_person ("01:30", tz, now, &at, &error));
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_AMBIGUOUS);
  g_clear_error (&error);
}

/* The texts the tests above give cc_time_parse() directly, and the RFC 3339
 * ones they give cc_time_parse_for_person() (which shares the fast path);
 * those given to assert_parses_to() and assert_parse_fails() are compared
 * there. */
static const char *const direct_inputs[] = {
  "1970-01-01T00:00:00Z",
  "2022-03-08T14:00:00Z",
  "2022-02-30T00:00:00Z",
  "yesterday",
  "bad\nline",
  "2022-03-08T14:00:00",
  "2022-03-27T01:30:00",
  "2022-10-30T01:30:00",
  "2026-12-01T09:00:00Z",
  "2026-03-29T10:00:00Z",
  "2026-10-25T10:00:00Z",
  "2022-03-26T12:00:00Z",
  "2026-07-01T09:00:00Z",
  "2026-06-30T23:30:00Z",
  "2026-10-25T01:30:00+01:00",
  "2026-10-25T01:30:00Z",
  "2026-10-25 02:00:30",
};

/* A wall-clock time in each of the shapes a stored time is written in, and
 * some it is not (fast path or not, the two must agree). */
static void
add_shapes (GPtrArray *texts,
            GRand     *rand,
            CcInstant  instant)
{
  /* −14:00 to +14:00: a quarter of the time a whole hour, a quarter a
   * quarter-hour, else any minute. */
  int              kind = g_rand_int_range (rand, 0, 4);
  int              offset = kind == 0   ? g_rand_int_range (rand, -14, 15) * 3600
                            : kind == 1 ? g_rand_int_range (rand, -56, 57) * 900
                                        : g_rand_int_range (rand, -14 * 60, 14 * 60 + 1) * 60;
  int              a = ABS (offset);
  g_autofree char *utc = cc_time_format_utc (instant);
  g_autofree char *local_z = cc_time_format_utc (instant + offset);
  g_autofree char *wall = g_strndup (local_z, 19);
  g_autofree char *zone = g_strdup_printf ("%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  char             fraction[11] = ".";
  int              n_digits = g_rand_int_range (rand, 1, 10);
  g_autofree char *lower = NULL;

  for (int i = 0; i < n_digits; i++)
    fraction[i + 1] = (char) ('0' + g_rand_int_range (rand, 0, 10));
  fraction[n_digits + 1] = '\0';

  g_ptr_array_add (texts, g_strdup (utc));
  g_ptr_array_add (texts, g_strconcat (wall, zone, NULL));
  g_ptr_array_add (texts, g_strdup_printf ("%.19s%sZ", utc, fraction));
  g_ptr_array_add (texts, g_strconcat (wall, fraction, zone, NULL));
  g_ptr_array_add (texts, g_strconcat (wall, fraction, NULL));
  g_ptr_array_add (texts, g_strdup (wall));
  lower = g_strconcat (wall, "z", NULL);
  lower[10] = g_rand_boolean (rand) ? 't' : ' ';
  g_ptr_array_add (texts, g_steal_pointer (&lower));
}

/* Every character of @text replaced (by a few that matter to the parser),
 * removed and duplicated, and @text cut short after it. */
static void
add_mutations (GPtrArray  *texts,
               const char *text)
{
  static const char replacements[] = "0159Tt Zz+-:.x";
  gsize             n = strlen (text);

  for (gsize i = 0; i < n; i++)
    {
      for (const char *r = replacements; *r != '\0'; r++)
        {
          char *m;

          if (*r == text[i])
            continue;
          m = g_strdup (text);
          m[i] = *r;
          g_ptr_array_add (texts, m);
        }
      g_ptr_array_add (texts, g_strdup_printf ("%.*s%s", (int) i, text, text + i + 1));
      g_ptr_array_add (texts, g_strdup_printf ("%.*s%s", (int) i + 1, text, text + i));
      g_ptr_array_add (texts, g_strndup (text, i));
    }
}

/* The fast path against the full parser (see the top of the file). */
static void
test_parse_fast_path (void)
{
  /* Leap-year rules each way: 1900 and 2100 are not, 2000 and 2024 are. */
  static const int years[] = { 1, 1899, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 2200, 9999 };
  g_autoptr (GTimeZone) tz = london ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = NULL;
  g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "fuzz-time", NULL);
  g_autoptr (GError) error = NULL;
  GRand      *rand = g_rand_new_with_seed (20260601);
  Differences diff = { 0, 0 };
  const char *name;
  /* 1900-01-01T00:00:00Z to 2200-12-31T23:59:59Z */
  const CcInstant first = -2208988800;
  const CcInstant last = 7289654399;

  for (gsize i = 0; i < G_N_ELEMENTS (direct_inputs); i++)
    g_ptr_array_add (texts, g_strdup (direct_inputs[i]));

  dir = g_dir_open (corpus, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (corpus, name, NULL);
      char            *contents = NULL;

      g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (texts, contents);
    }

  /* Around every month end, with field values just past their ranges
   * (written digit by digit, not computed, so that the impossible ones are
   * there too). */
  for (gsize y = 0; y < G_N_ELEMENTS (years); y++)
    for (int m = 0; m <= 13; m++)
      for (int d = 0; d <= 32; d = d == 0 ? 27 : d + 1)
        {
          g_ptr_array_add (texts, g_strdup_printf ("%04d-%02d-%02dT23:59:59Z", years[y], m, d));
          g_ptr_array_add (texts, g_strdup_printf ("%04d-%02d-%02dT00:00:00+14:00", years[y], m, d));
          g_ptr_array_add (texts, g_strdup_printf ("%04d-%02d-%02dT23:59:59.999-14:00", years[y], m, d));
        }
  for (int h = 22; h <= 25; h++)
    for (int mi = 58; mi <= 61; mi++)
      for (int se = 58; se <= 61; se++)
        {
          g_ptr_array_add (bases, g_strdup_printf ("2024-02-29T%02d:%02d:%02dZ", h, mi, se));
          g_ptr_array_add (texts, g_strdup_printf ("2024-12-31T%02d:%02d:%02d.5+%02d:%02d", h, mi, se, h, mi));
        }
  g_ptr_array_add (bases, g_strdup ("2016-12-31T23:59:60Z"));
  g_ptr_array_add (bases, g_strdup ("2025-06-01T12:34:56.123Z"));
  g_ptr_array_add (bases, g_strdup ("2025-06-01T12:34:56+01:00"));
  g_ptr_array_add (bases, g_strdup ("2025-06-01T12:34:56.123456789-14:00"));
  g_ptr_array_add (bases, g_strdup ("0001-01-01T00:00:00-00:01"));
  g_ptr_array_add (bases, g_strdup ("9999-12-31T23:59:59+00:01"));

  /* Random instants in every shape; the first few hundred mutated too. */
  for (int i = 0; i < 4000; i++)
    {
      CcInstant  instant = first + (CcInstant) (g_rand_double (rand) * (double) (last - first));
      GPtrArray *into = i < 150 ? bases : texts;

      add_shapes (into, rand, instant);
    }

  for (guint i = 0; i < bases->len; i++)
    {
      g_ptr_array_add (texts, g_strdup (bases->pdata[i]));
      add_mutations (texts, bases->pdata[i]);
    }

  for (guint i = 0; i < texts->len; i++)
    {
      compare_with_slow (texts->pdata[i], NULL, &diff);
      /* A zone only matters to texts without an offset, and costs a
       * zone lookup: a sample is enough. */
      if (i % 7 == 0)
        compare_with_slow (texts->pdata[i], tz, &diff);
    }

  g_test_message ("%u parses compared", diff.n_compared);
  g_assert_cmpuint (diff.n_compared, >, 100000);
  g_assert_cmpuint (diff.n_differ, ==, 0);
  g_rand_free (rand);
}

static void
test_dst_other_zones (void)
{
  g_autoptr (GTimeZone) ny = cc_time_zone_new ("America/New_York", NULL);
  g_autoptr (GTimeZone) lord_howe = cc_time_zone_new ("Australia/Lord_Howe", NULL);

  g_assert_nonnull (ny);
  /* Changes at 02:00 local, both directions. */
  assert_parse_fails ("2022-03-13T02:30:00", ny, CC_TIME_ERROR_NONEXISTENT);
  assert_parses_to ("2022-03-13T03:00:00", ny, "2022-03-13T07:00:00Z");
  assert_parse_fails ("2022-11-06T01:30:00", ny, CC_TIME_ERROR_AMBIGUOUS);
  assert_parses_to ("2022-11-06T02:00:00", ny, "2022-11-06T07:00:00Z");

  /* A half-hour change. */
  g_assert_nonnull (lord_howe);
  assert_parse_fails ("2022-10-02T02:15:00", lord_howe, CC_TIME_ERROR_NONEXISTENT);
  assert_parses_to ("2022-10-02T02:30:00", lord_howe, "2022-10-01T15:30:00Z");
  assert_parse_fails ("2022-04-03T01:45:00", lord_howe, CC_TIME_ERROR_AMBIGUOUS);
}

static void
test_arithmetic_across_dst (void)
{
  g_autoptr (GTimeZone) tz = london ();
  g_autofree char *utc = NULL;
  g_autofree char *local = NULL;
  g_autofree char *display = NULL;
  g_autofree char *before = NULL;
  CcInstant        start;
  CcInstant        due;

  g_assert_true (cc_time_parse ("2022-03-26T12:00:00Z", NULL, &start, NULL));
  due = start + 24 * CC_HOUR;
  g_assert_cmpint (due - start, ==, 86400);

  utc = cc_time_format_utc (due);
  g_assert_cmpstr (utc, ==, "2022-03-27T12:00:00Z");
  /* 24 hours later is 13:00 on the wall clock: the clocks went forward. */
  local = cc_time_format_local (due, tz);
  g_assert_cmpstr (local, ==, "2022-03-27T13:00:00+01:00");
  display = cc_time_format_display (due, tz, "%H:%M");
  g_assert_cmpstr (display, ==, "13:00");
  before = cc_time_format_display (start, tz, "%d %b %H:%M");
  g_assert_cmpstr (before, ==, "26 Mar 12:00");
}

static void
test_format (void)
{
  g_autoptr (GTimeZone) tz = london ();
  g_autoptr (GTimeZone) ny = cc_time_zone_new ("America/New_York", NULL);
  struct
  {
    const char *in;
    const char *utc;
    const char *local;
  } cases[] = {
    { "2022-03-08T14:00:00Z", "2022-03-08T14:00:00Z", "2022-03-08T14:00:00+00:00" },
    { "2022-03-27T01:30:00Z", "2022-03-27T01:30:00Z", "2022-03-27T02:30:00+01:00" },
    { "2022-03-27T00:59:59Z", "2022-03-27T00:59:59Z", "2022-03-27T00:59:59+00:00" },
    { "2022-10-30T00:30:00Z", "2022-10-30T00:30:00Z", "2022-10-30T01:30:00+01:00" },
    { "2022-10-30T01:30:00Z", "2022-10-30T01:30:00Z", "2022-10-30T01:30:00+00:00" },
    { "1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z", "1969-07-20T21:17:40+01:00" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *utc = NULL;
      g_autofree char *local = NULL;
      CcInstant        instant;
      CcInstant        again;

      g_assert_true (cc_time_parse (cases[i].in, NULL, &instant, NULL));
      utc = cc_time_format_utc (instant);
      local = cc_time_format_local (instant, tz);
      g_assert_cmpstr (utc, ==, cases[i].utc);
      g_assert_cmpstr (local, ==, cases[i].local);

      /* Local output reads back as the same instant, with no zone. */
      g_assert_true (cc_time_parse (local, NULL, &again, NULL));
      g_assert_cmpint (again, ==, instant);
    }

  {
    g_autofree char *local = cc_time_format_local (1646748000, ny);

    g_assert_cmpstr (local, ==, "2022-03-08T09:00:00-05:00");
  }

  {
    g_autofree char *display = cc_time_format_display (1646748000, tz, "%Y-%m-%d %H:%M %Z");

    g_assert_cmpstr (display, ==, "2022-03-08 14:00 GMT");
  }
}

static void
test_zone (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) deflt = NULL;
  g_autoptr (GTimeZone) bad = NULL;
  g_autoptr (GTimeZone) empty = NULL;

  deflt = cc_time_zone_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_time_zone_get_identifier (deflt), ==, "Europe/London");

  bad = cc_time_zone_new ("Europe/Londn", &error);
  g_assert_null (bad);
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_ZONE);
  g_assert_nonnull (strstr (error->message, "“Europe/Londn”"));
  g_clear_error (&error);

  empty = cc_time_zone_new ("", &error);
  g_assert_null (empty);
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_ZONE);
}

/* Found by fuzzing (tests/fuzz/fuzz-policy): GLib reads a zone name as a
 * file under the zoneinfo folder, or as a path, and a file there that is
 * not a compiled zone (zone.tab, or any path typed into timezone= or
 * --assume-tz) made it log a critical (fatal in the tests); a FIFO would
 * have blocked it.  Such names are unknown zones, refused quietly. */
static void
test_zone_other_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cc-test-zone-XXXXXX", NULL);
  g_autofree char *text_file = g_build_filename (dir, "not-a-zone", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *short_zone = g_build_filename (dir, "short", NULL);
  const char      *names[] = { "zone.tab", "tzdata.zi", ":iso3166.tab", text_file, fifo, short_zone };
  g_autoptr (GTimeZone) posix = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (text_file, "Europe/London\n", -1, NULL));
  g_assert_true (g_file_set_contents (short_zone, "TZif2", -1, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GTimeZone) tz = NULL;

      g_test_message ("zone “%s”", names[i]);
      tz = cc_time_zone_new (names[i], &error);
      g_assert_null (tz);
      g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_ZONE);
      g_clear_error (&error);
    }

  /* Names GLib reads as rules still work. */
  posix = cc_time_zone_new ("EST5EDT,M3.2.0,M11.1.0", &error);
  g_assert_no_error (error);
  g_assert_nonnull (posix);

  g_unlink (text_file);
  g_unlink (fifo);
  g_unlink (short_zone);
  g_rmdir (dir);
}

static void
test_date_parse (void)
{
  static const struct
  {
    const char *text;
    int         code; /* -1: valid */
  } cases[] = {
    { "2010-09-01", -1 },
    { "2008-02-29", -1 },
    { "2000-02-29", -1 },
    { "2010-9-01", CC_TIME_ERROR_SYNTAX },
    { "2010/09/01", CC_TIME_ERROR_SYNTAX },
    { "01-09-2010", CC_TIME_ERROR_SYNTAX },
    { "2010-09-01T00:00:00Z", CC_TIME_ERROR_SYNTAX },
    { "2010-09-01 ", CC_TIME_ERROR_SYNTAX },
    { "", CC_TIME_ERROR_SYNTAX },
    { "2010-13-01", CC_TIME_ERROR_RANGE },
    { "2010-02-29", CC_TIME_ERROR_RANGE },
    { "1900-02-29", CC_TIME_ERROR_RANGE },
    { "2010-06-31", CC_TIME_ERROR_RANGE },
    { "0000-06-01", CC_TIME_ERROR_RANGE },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      GDate    date;
      gboolean ok;

      g_test_message ("parsing “%s”", cases[i].text);
      ok = cc_date_parse (cases[i].text, &date, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_true (g_date_valid (&date));
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CC_TIME_ERROR, cases[i].code);
          g_assert_nonnull (strstr (error->message, cases[i].text));
        }
    }

  {
    GDate date;

    g_assert_true (cc_date_parse ("2010-09-01", &date, NULL));
    g_assert_cmpint (g_date_get_year (&date), ==, 2010);
    g_assert_cmpint (g_date_get_month (&date), ==, G_DATE_SEPTEMBER);
    g_assert_cmpint (g_date_get_day (&date), ==, 1);
  }
}

static int
age_at (const char *dob_text,
        const char *when,
        GTimeZone  *tz)
{
  GDate     dob;
  CcInstant instant;

  g_assert_true (cc_date_parse (dob_text, &dob, NULL));
  g_assert_true (cc_time_parse (when, NULL, &instant, NULL));
  return cc_age_at (&dob, instant, tz);
}

static void
test_age_at (void)
{
  g_autoptr (GTimeZone) tz = london ();
  g_autoptr (GTimeZone) utc = cc_time_zone_new ("UTC", NULL);

  g_assert_cmpint (age_at ("2010-09-01", "2022-03-08T14:00:00Z", tz), ==, 11);
  g_assert_cmpint (age_at ("2010-09-01", "2022-08-31T22:59:59Z", tz), ==, 11);

  /* The 18th birthday begins at local midnight: 23:00 UTC the day before
   * in summer. */
  g_assert_cmpint (age_at ("2004-07-08", "2022-07-07T22:59:59Z", tz), ==, 17);
  g_assert_cmpint (age_at ("2004-07-08", "2022-07-07T23:00:00Z", tz), ==, 18);
  g_assert_cmpint (age_at ("2004-07-08", "2022-07-07T23:00:00Z", utc), ==, 17);
  g_assert_cmpint (age_at ("2004-07-08", "2022-07-08T00:00:00Z", utc), ==, 18);
  /* In winter London is UTC. */
  g_assert_cmpint (age_at ("2004-01-08", "2022-01-07T23:59:59Z", tz), ==, 17);
  g_assert_cmpint (age_at ("2004-01-08", "2022-01-08T00:00:00Z", tz), ==, 18);

  /* Born on 29 February: the birthday is 1 March in other years. */
  g_assert_cmpint (age_at ("2004-02-29", "2022-02-28T12:00:00Z", tz), ==, 17);
  g_assert_cmpint (age_at ("2004-02-29", "2022-03-01T00:00:00Z", tz), ==, 18);
  g_assert_cmpint (age_at ("2004-02-29", "2024-02-28T12:00:00Z", tz), ==, 19);
  g_assert_cmpint (age_at ("2004-02-29", "2024-02-29T00:00:00Z", tz), ==, 20);

  g_assert_cmpint (age_at ("2022-03-09", "2022-03-08T14:00:00Z", tz), ==, -1);
  g_assert_cmpint (age_at ("2022-03-08", "2022-03-08T14:00:00Z", tz), ==, 0);
}

static void
test_duration_parse (void)
{
  static const struct
  {
    const char *text;
    gint64      seconds;
  } good[] = {
    { "90s", 90 },
    { "1s", 1 },
    { "30m", 30 * 60 },
    { "4h", 4 * 3600 },
    { "1h30m", 5400 },
    { "2d", 2 * 86400 },
    { "1h30m15s", 5415 },
    { "1d2h3m4s", 93784 },
    { "1d4s", 86404 },
    { "1h0m", 3600 },
    { "0h1s", 1 },
    { "90m", 5400 },
    { "007s", 7 },
    { "36500d", CC_DURATION_MAX },
  };
  static const char *const bad_syntax[] = {
    "",
    "h",
    "30",
    "30 m",
    " 30m",
    "30m ",
    "1.5h",
    "-1h",
    "+1h",
    "1H",
    "4hours",
    "30m1h",
    "1h1h",
    "1m1d",
    "1s30m",
    "1hm",
    "m30",
    "1h 30m",
    "1w",
    "٣s",
  };
  static const char *const bad_range[] = {
    "0s",
    "0m",
    "0h0m0s",
    "36501d",
    "36500d1s",
    "99999999999999999999999999s",
    "9223372036854775807s",
    "106751991167301d",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 seconds = 0;

      g_test_message ("parsing “%s”", good[i].text);
      g_assert_true (cc_duration_parse (good[i].text, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpint (seconds, ==, good[i].seconds);
    }

  for (i = 0; i < G_N_ELEMENTS (bad_syntax); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 seconds = 42;

      g_test_message ("parsing “%s”", bad_syntax[i]);
      g_assert_false (cc_duration_parse (bad_syntax[i], &seconds, &error));
      g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX);
      g_assert_nonnull (strstr (error->message, "expected a duration like 90s, 30m, 4h or 1h30m"));
      g_assert_cmpint (seconds, ==, 42);
    }

  for (i = 0; i < G_N_ELEMENTS (bad_range); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("parsing “%s”", bad_range[i]);
      g_assert_false (cc_duration_parse (bad_range[i], NULL, &error));
      g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE);
    }

  {
    g_autoptr (GError) error = NULL;

    g_assert_false (cc_duration_parse ("0s", NULL, &error));
    g_assert_nonnull (strstr (error->message, "at least 1s"));
  }
}

static void
test_duration_format (void)
{
  static const struct
  {
    gint64      seconds;
    const char *text;
  } cases[] = {
    { 0, "0 s" },
    { 45, "45 s" },
    { 59, "59 s" },
    { 60, "1 min" },
    { 90, "1 min" },
    { 12 * 60 + 59, "12 min" },
    { 3599, "59 min" },
    { 3600, "1 h" },
    { 4 * 3600 + 59, "4 h" },
    { 5400, "1 h 30 min" },
    { 86399, "23 h 59 min" },
    { 86400, "1 d" },
    { 2 * 86400 + 3 * 3600 + 59 * 60, "2 d 3 h" },
    { 2 * 86400 + 30 * 60, "2 d" },
    { 400 * 86400, "400 d" },
    { -45, "-45 s" },
    { -5400, "-1 h 30 min" },
    { -(2 * 86400 + 3 * 3600), "-2 d 3 h" },
    { G_MININT64, "-106751991167300 d 15 h" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cc_duration_format (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_quote (void)
{
  g_autofree char *plain = cc_quote_for_message ("WI-1", -1);
  g_autofree char *cut = cc_quote_for_message ("WI-1\n2", 4);
  g_autofree char *ctrl = cc_quote_for_message ("a\x01"
                                                "b\tc",
                                                -1);
  g_autofree char *invalid = cc_quote_for_message ("a\xff"
                                                   "b",
                                                   -1);
  g_autofree char *null = cc_quote_for_message (NULL, -1);

  g_assert_cmpstr (plain, ==, "“WI-1”");
  g_assert_cmpstr (cut, ==, "“WI-1”");
  g_assert_cmpstr (ctrl, ==, "“a\\u0001b\\tc”");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_cmpstr (null, ==, "(null)");
}

static void
on_alarm_fired (gboolean clock_changed,
                gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
on_give_up (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The demonstration's clock: time runs @speed times faster from a start,
 * the alarm goes off at the real moment that clock reaches its instant,
 * and the machine's clock is the same thing at speed 1. */
static void
test_clock_scaled (void)
{
  const gint64 start_us = (gint64) 1646748000 * G_USEC_PER_SEC; /* 2022-03-08T14:00:00Z */
  const gint64 origin = g_get_real_time () + G_USEC_PER_SEC;
  g_autoptr (CcTimeSource) real = cc_time_source_new ();
  g_autoptr (CcTimeSource) fast = cc_time_source_new_scaled (start_us, 480.0, origin);
  g_autoptr (CcAlarm) alarm = NULL;
  gboolean fired = FALSE;
  gboolean gave_up = FALSE;
  guint    give_up;
  gint64   before, after;

  g_assert_cmpfloat (cc_time_source_get_speed (fast), ==, 480.0);
  g_assert_cmpint (cc_time_source_to_real (fast, start_us), ==, origin);
  g_assert_cmpint (cc_time_source_to_real (fast, start_us + 480 * G_USEC_PER_SEC), ==, origin + G_USEC_PER_SEC);
  g_assert_cmpint (cc_time_source_to_real (real, start_us), ==, start_us);
  before = g_get_real_time ();
  g_assert_cmpint (llabs (cc_time_source_get_time (real) - before), <, G_USEC_PER_SEC);
  /* One real second before the origin is eight minutes before the start. */
  g_assert_cmpint (cc_time_source_get_now (fast), <=, start_us / G_USEC_PER_SEC - 470);
  g_assert_cmpint (cc_time_source_get_now (fast), >=, start_us / G_USEC_PER_SEC - 490);

  /* Two minutes after the start on the fast clock is a quarter of a real
   * second after the origin. */
  alarm = cc_alarm_new (fast, on_alarm_fired, &fired);
  cc_alarm_arm (alarm, start_us + 120 * G_USEC_PER_SEC);
  g_assert_cmpint (cc_alarm_get_armed (alarm), ==, start_us + 120 * G_USEC_PER_SEC);
  give_up = g_timeout_add_seconds (10, on_give_up, &gave_up);
  while (!fired && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  after = g_get_real_time ();
  if (!gave_up)
    g_source_remove (give_up);
  g_assert_true (fired);
  g_assert_cmpint (after, >=, origin + G_USEC_PER_SEC / 4);
  g_assert_cmpint (cc_time_source_get_now (fast), >=, start_us / G_USEC_PER_SEC + 120);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/parse/utc", test_parse_utc);
  g_test_add_func ("/time/parse/offsets", test_parse_offsets);
  g_test_add_func ("/time/parse/fraction", test_parse_fraction);
  g_test_add_func ("/time/parse/lowercase", test_parse_lowercase);
  g_test_add_func ("/time/parse/syntax-errors", test_parse_syntax_errors);
  g_test_add_func ("/time/parse/range-errors", test_parse_range_errors);
  g_test_add_func ("/time/parse/messages", test_parse_messages);
  g_test_add_func ("/time/parse/utc-year-range", test_parse_utc_year_range);
  g_test_add_func ("/time/parse/no-offset", test_parse_no_offset);
  g_test_add_func ("/time/parse/dst-changes", test_parse_dst_changes);
  g_test_add_func ("/time/parse/dst-other-zones", test_dst_other_zones);
  g_test_add_func ("/time/parse/fast-path", test_parse_fast_path);
  g_test_add_func ("/time/arithmetic-across-dst", test_arithmetic_across_dst);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/zone", test_zone);
  g_test_add_func ("/time/zone/other-files", test_zone_other_files);
  g_test_add_func ("/time/date-parse", test_date_parse);
  g_test_add_func ("/time/age-at", test_age_at);
  g_test_add_func ("/time/duration/parse", test_duration_parse);
  g_test_add_func ("/time/duration/format", test_duration_format);
  g_test_add_func ("/time/quote", test_quote);
  g_test_add_func ("/time/parse-for-person", test_parse_for_person);
  g_test_add_func ("/clock/scaled", test_clock_scaled);

  return g_test_run ();
}
