/* cc-time.c: instants, durations and RFC 3339
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Calendar arithmetic is done here on plain integers (proleptic Gregorian,
 * days since the epoch) rather than through GDateTime: parsing must be
 * strict about every field and say which one is wrong, and GDateTime would
 * silently accept or reject for its own reasons.  GTimeZone is used only for
 * what it is good at: which UTC offset a zone had at an instant.
 *
 * cc_time_parse() tries a fast path first (parse_fast()): nearly every time
 * in a custody log is YYYY-MM-DDTHH:MM:SS, perhaps with a fraction, then Z
 * or ±HH:MM, and building an event parses two or three of them.  The fast
 * path only ever says "yes, this instant"; anything else, error or not,
 * goes to the full parser, which alone writes messages.  So the verdicts
 * and messages are the full parser's, and tests/test-time.c checks the two
 * agree on every input it can make (cc_time_parse_slow() is the full parser
 * alone, for that test).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cc-time.h"

/* Error messages quote what they were given; a runaway value (a whole JSON
 * document in a time field) must not make a runaway message. */
#define QUOTE_MAX_CHARS 60

/* clang-format off */
G_DEFINE_QUARK (cc-time-error-quark, cc_time_error)
/* clang-format on */

/**
 * cc_quote_for_message:
 * @text: (nullable): text to show, possibly not UTF-8
 * @length: length of @text in bytes, or -1 if it is nul-terminated
 *
 * Quotes untrusted text for an error message: “like this”.  Invalid UTF-8 is
 * repaired, control characters are shown as escapes (a newline in a custody
 * record number must not break a log line in two), and long text is cut
 * short with an ellipsis.
 *
 * Returns: (transfer full): the quoted text
 */
char *
cc_quote_for_message (const char *text,
                      gssize      length)
{
  g_autofree char *valid = NULL;
  GString         *quoted;
  const char      *p;
  guint            n_chars = 0;

  if (text == NULL)
    return g_strdup ("(null)");

  valid = g_utf8_make_valid (text, length);
  quoted = g_string_new ("“");

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars++ == QUOTE_MAX_CHARS)
        {
          g_string_append (quoted, "…");
          break;
        }

      if (c == '\n')
        g_string_append (quoted, "\\n");
      else if (c == '\t')
        g_string_append (quoted, "\\t");
      else if (c == '\r')
        g_string_append (quoted, "\\r");
      else if (g_unichar_iscntrl (c))
        g_string_append_printf (quoted, "\\u%04X", c);
      else
        g_string_append_unichar (quoted, c);
    }

  g_string_append (quoted, "”");
  return g_string_free (quoted, FALSE);
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian date to days since
 * 1970-01-01, valid for any year without a table. */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era;
  gint64 yoe;
  gint64 doy;
  gint64 doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *out_y,
                 int    *out_m,
                 int    *out_d)
{
  gint64 era;
  gint64 doe;
  gint64 yoe;
  gint64 doy;
  gint64 mp;
  int    m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *out_d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *out_m = m;
  *out_y = yoe + era * 400 + (m <= 2);
}

static gboolean
is_leap_year (gint64 y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month (gint64 y,
               int    m)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (m == 2 && is_leap_year (y))
    return 29;
  return days[m - 1];
}

/* Day and month names come from the message catalogue rather than from
 * LC_TIME, so that a report asked for in Welsh (report --lang cy) is Welsh
 * throughout whatever the desk's locale, and so that they match the
 * translated text around them.  Indexed as GDateTime counts: months 1-12,
 * weekdays 1 (Monday) to 7. */
static const char *const month_names[] = {
  NC_ ("month", "January"),
  NC_ ("month", "February"),
  NC_ ("month", "March"),
  NC_ ("month", "April"),
  NC_ ("month", "May"),
  NC_ ("month", "June"),
  NC_ ("month", "July"),
  NC_ ("month", "August"),
  NC_ ("month", "September"),
  NC_ ("month", "October"),
  NC_ ("month", "November"),
  NC_ ("month", "December"),
};

static const char *const month_abbreviations[] = {
  NC_ ("abbreviated month", "Jan"),
  NC_ ("abbreviated month", "Feb"),
  NC_ ("abbreviated month", "Mar"),
  NC_ ("abbreviated month", "Apr"),
  NC_ ("abbreviated month", "May"),
  NC_ ("abbreviated month", "Jun"),
  NC_ ("abbreviated month", "Jul"),
  NC_ ("abbreviated month", "Aug"),
  NC_ ("abbreviated month", "Sep"),
  NC_ ("abbreviated month", "Oct"),
  NC_ ("abbreviated month", "Nov"),
  NC_ ("abbreviated month", "Dec"),
};

static const char *const weekday_names[] = {
  NC_ ("weekday", "Monday"),
  NC_ ("weekday", "Tuesday"),
  NC_ ("weekday", "Wednesday"),
  NC_ ("weekday", "Thursday"),
  NC_ ("weekday", "Friday"),
  NC_ ("weekday", "Saturday"),
  NC_ ("weekday", "Sunday"),
};

static const char *const weekday_abbreviations[] = {
  NC_ ("abbreviated weekday", "Mon"),
  NC_ ("abbreviated weekday", "Tue"),
  NC_ ("abbreviated weekday", "Wed"),
  NC_ ("abbreviated weekday", "Thu"),
  NC_ ("abbreviated weekday", "Fri"),
  NC_ ("abbreviated weekday", "Sat"),
  NC_ ("abbreviated weekday", "Sun"),
};

static const char *
month_name (int m)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "month", month_names[m - 1]);
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Broken-down wall time, as written. */
typedef struct
{
  int      year;
  int      month;
  int      day;
  int      hour;
  int      minute;
  int      second;
  gboolean has_offset;
  int      offset; /* seconds east of UTC */
} Fields;

/* Reads exactly @n ASCII digits. */
static gboolean
read_digits (const char **p,
             int          n,
             int         *out_value)
{
  int value = 0;
  int i;

  for (i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out_value = value;
  return TRUE;
}

static gboolean
read_char (const char **p,
           char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* Date part, shared by cc_date_parse(): YYYY-MM-DD, syntax only. */
static gboolean
read_date (const char **p,
           Fields      *f)
{
  return read_digits (p, 4, &f->year) &&
         read_char (p, '-') &&
         read_digits (p, 2, &f->month) &&
         read_char (p, '-') &&
         read_digits (p, 2, &f->day);
}

static gboolean
check_date_range (const char   *text,
                  const Fields *f,
                  GError      **error)
{
  g_autofree char *quoted = NULL;

  if (f->year >= 1 && f->month >= 1 && f->month <= 12 &&
      f->day >= 1 && f->day <= days_in_month (f->year, f->month))
    return TRUE;

  quoted = cc_quote_for_message (text, -1);
  if (f->year < 1)
    g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                 /* Translators: %s is the date as written, in quotation marks */
                 _ ("%s is not a real date: the year must be 0001 to 9999"), quoted);
  else if (f->month < 1 || f->month > 12)
    g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                 /* Translators: %1$s is the date as written, %2$02d the month number given */
                 _ ("%1$s is not a real date: the month must be 01 to 12, not %2$02d"),
                 quoted, f->month);
  else
    g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                 /* Translators: %1$s is the date as written; then a month name, a year
                  * and how many days that month has, e.g. "February 2023 has 28 days" */
                 _ ("%1$s is not a real date: %2$s %3$d has %4$d days"),
                 quoted, month_name (f->month), f->year,
                 days_in_month (f->year, f->month));
  return FALSE;
}

static gboolean
time_range_error (const char *text,
                  const char *problem,
                  GError    **error)
{
  g_autofree char *quoted = cc_quote_for_message (text, -1);

  g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
               /* Translators: %1$s is the time as written, %2$s what is wrong with it */
               _ ("%1$s is not a real time: %2$s"), quoted, problem);
  return FALSE;
}

static gboolean
parse_fields (const char *text,
              Fields     *f,
              GError    **error)
{
  const char      *p = text;
  g_autofree char *quoted = NULL;
  int              sign = 1;
  int              oh = 0;
  int              om = 0;

  memset (f, 0, sizeof (*f));

  if (!read_date (&p, f))
    goto syntax;
  if (*p != 'T' && *p != 't' && *p != ' ')
    goto syntax;
  p++;
  if (!read_digits (&p, 2, &f->hour) ||
      !read_char (&p, ':') ||
      !read_digits (&p, 2, &f->minute) ||
      !read_char (&p, ':') ||
      !read_digits (&p, 2, &f->second))
    goto syntax;

  /* The fraction is dropped: whole seconds throughout, and dropping it
   * moves the instant to the earlier second whatever the offset. */
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto syntax;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'Z' || *p == 'z')
    {
      f->has_offset = TRUE;
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      sign = *p == '-' ? -1 : 1;
      p++;
      if (!read_digits (&p, 2, &oh) ||
          !read_char (&p, ':') ||
          !read_digits (&p, 2, &om))
        goto syntax;
      f->has_offset = TRUE;
      f->offset = sign * (oh * 3600 + om * 60);
    }

  if (*p != '\0')
    goto syntax;

  if (oh > 23 || om > 59)
    {
      quoted = cc_quote_for_message (text, -1);
      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                   /* Translators: %s is the time as written, in quotation marks */
                   _ ("%s has an impossible UTC offset: it must be between -23:59 and +23:59"),
                   quoted);
      return FALSE;
    }

  if (!check_date_range (text, f, error))
    return FALSE;

  if (f->hour > 23)
    return time_range_error (text, _ ("the hour must be 00 to 23"), error);
  if (f->minute > 59)
    return time_range_error (text, _ ("the minute must be 00 to 59"), error);
  /* Leap seconds are refused rather than folded into the next minute: no
   * custody system records one, so a :60 is a typing error. */
  if (f->second > 59)
    return time_range_error (text, _ ("the second must be 00 to 59"), error);

  return TRUE;

syntax:
  quoted = cc_quote_for_message (text, -1);
  g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX,
               /* Translators: %s is the text as written; YYYY-MM-DDTHH:MM:SS, Z and +01:00
                * are the literal syntax and stay as they are */
               _ ("%s is not an RFC 3339 date-time: expected YYYY-MM-DDTHH:MM:SS "
                  "followed by Z or an offset like +01:00"),
               quoted);
  return FALSE;
}

/* The instants a stored time can be written as: every one is stored and
 * read back as YYYY-MM-DDTHH:MM:SSZ, so its UTC date must have a year from
 * 0001 to 9999 too, not only the date as written (0001-01-01T00:00:00+01:00
 * is in the year 0 in UTC). */
#define INSTANT_MIN ((CcInstant) -62135596800) /* 0001-01-01T00:00:00Z */
#define INSTANT_MAX ((CcInstant) 253402300799) /* 9999-12-31T23:59:59Z */

/* Seconds east of UTC in force in @tz at the UTC @instant. */
static int
offset_at (GTimeZone *tz,
           CcInstant  instant)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, instant);

  return g_time_zone_get_offset (tz, interval);
}

static char *
format_offset (int offset)
{
  int a = ABS (offset);

  /* Offsets with seconds exist only in historical LMT; RFC 3339 cannot
   * carry them, so they are cut to the minute. */
  return g_strdup_printf ("%c%02d:%02d", offset < 0 ? '-' : '+',
                          a / 3600, (a / 60) % 60);
}

/* Interprets @local (wall-clock seconds, as though it were UTC) in @tz.
 *
 * Each offset that @tz uses around that day gives one candidate instant;
 * a candidate is real when the zone really had that offset then.  This
 * finds the spring-forward gap (no candidate) and the autumn overlap (two)
 * without assuming anything about the size or direction of a change. */
static gboolean
resolve_local (const char *text,
               gint64      local,
               GTimeZone  *tz,
               CcInstant  *out_instant,
               GError    **error)
{
  int              offsets[2];
  CcInstant        found[2];
  guint            n_offsets;
  guint            n_found = 0;
  guint            i;
  g_autofree char *quoted = NULL;
  const char      *zone = g_time_zone_get_identifier (tz);

  offsets[0] = offset_at (tz, local - CC_DAY);
  offsets[1] = offset_at (tz, local + CC_DAY);
  n_offsets = offsets[0] == offsets[1] ? 1 : 2;

  for (i = 0; i < n_offsets; i++)
    {
      CcInstant candidate = local - offsets[i];

      if (offset_at (tz, candidate) == offsets[i])
        {
          found[n_found++] = candidate;
        }
    }

  if (n_found == 1)
    {
      *out_instant = found[0];
      return TRUE;
    }

  quoted = cc_quote_for_message (text, -1);
  if (n_found == 0)
    {
      /* The two instants a person may have meant: the wall-clock time read
       * with the offset before the change and with the one after, each
       * written as it really was (the hour before the gap, the hour after). */
      CcInstant        a = local - offsets[1];
      CcInstant        b = local - offsets[0];
      g_autofree char *earlier = cc_time_format_local (MIN (a, b), tz);
      g_autofree char *later = cc_time_format_local (MAX (a, b), tz);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_NONEXISTENT,
                   /* Translators: %1$s is the time as written, %2$s the zone (e.g. Europe/London),
                    * %3$s and %4$s the two instants it may mean, in RFC 3339 with their UTC
                    * offsets (e.g. 2026-03-29T00:30:00+00:00 and 2026-03-29T02:30:00+01:00) */
                   _ ("%1$s never happened in %2$s: the clocks went forward and skipped it; "
                      "write the time with its UTC offset, %3$s or %4$s, whichever you mean"),
                   quoted, zone, earlier, later);
    }
  else
    {
      /* The earlier instant is the one with the larger offset. */
      g_autofree char *first_text = cc_time_format_local (MIN (found[0], found[1]), tz);
      g_autofree char *second_text = cc_time_format_local (MAX (found[0], found[1]), tz);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_AMBIGUOUS,
                   /* Translators: %1$s is the time as written, %2$s the zone; %3$s and %4$s
                    * the same time written with each of its two UTC offsets */
                   _ ("%1$s happened twice in %2$s (the clocks went back): write %3$s for "
                      "the first time or %4$s for the second"),
                   quoted, zone, first_text, second_text);
    }
  return FALSE;
}

/* Whether @c is an ASCII digit, as g_ascii_isdigit() says, without the
 * table. */
#define FAST_DIGIT(c) ((guint) (guchar) (c) - '0' <= 9)
#define FAST_VALUE(c) ((guint) (guchar) (c) - '0')

/* Eight bytes of text as a number, the first in the lowest byte. */
static inline guint64
load_le64 (const char *p)
{
  guint64 w;

  memcpy (&w, p, sizeof w);
  return GUINT64_FROM_LE (w);
}

#define BYTES_OF(mask, b) ((mask) & (G_GUINT64_CONSTANT (0x0101010101010101) * (b)))

/* Checks eight bytes at once (SWAR): @digits is 0xff at each byte that
 * must be an ASCII digit and 0 elsewhere, where @w must equal @separators.
 * If so, returns TRUE with the digits' values in @out_values (0 between
 * them).  Subtracting '0' and adding 0x76 where the digits go only borrows
 * or carries out of a byte that is not a digit itself, so the lowest bad
 * byte is always seen; a byte after it may be misread, but the answer is
 * already "no". */
static inline gboolean
check_digits8 (guint64  w,
               guint64  digits,
               guint64  separators,
               guint64 *out_values)
{
  guint64 x = w - BYTES_OF (digits, '0');

  if (G_UNLIKELY ((w & ~digits) != separators ||
                  ((x + BYTES_OF (digits, 0x76)) | x) & BYTES_OF (digits, 0x80)))
    return FALSE;
  *out_values = x & digits;
  return TRUE;
}

/* Two-digit values from the digit values of check_digits8(): byte k of the
 * result is 10 × byte k + byte k+1 (at most 99, so no byte overflows). */
static inline guint64
pairs8 (guint64 values)
{
  return values * 10 + (values >> 8);
}

#define BYTE_AT(w, k) ((guint) ((w) >> (8 * (k))) & 0xff)

/* The common shapes, YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM) with an upper-case
 * T and Z, read by position.  Returns %TRUE, with the instant, only for a
 * text the full parser accepts with that same instant; %FALSE means "ask
 * the full parser", never "wrong".  Every check the full parser makes on
 * such a text is here, so that a text it refuses cannot be let through:
 * hour 24 and second 60 (the full parser refuses both), day and month
 * ranges, the offset range and the UTC year range.  The lower-case and
 * space forms, times without an offset, and any field out of range are
 * left to it.
 *
 * The first nineteen bytes are read eight at a time (once strlen() says
 * they are there): "YYYY-MM-", "DDTHH:MM" and "HH:MM:SS".  The arithmetic
 * is days_from_civil() for the years 1 to 9999 only, in unsigned 32-bit
 * integers, and every refusal is marked unlikely: with so many early
 * returns GCC otherwise took the instant's computation for cold code and
 * divided with idiv. */
static gboolean
parse_fast (const char *text,
            CcInstant  *out_instant)
{
  /* Days before each month in a common year. */
  static const guint16 days_before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 };
  const char          *p = text;
  guint64              date, day_word, time_word;
  guint                year, month, day, hour, minute, second;
  guint                last_day;
  guint                y;
  gboolean             leap;
  gint64               days;
  int                  offset = 0;
  CcInstant            instant;

  /* The shortest shape is 20 bytes, so bytes 0 to 18 can be read. */
  if (G_UNLIKELY (strlen (text) < 20))
    return FALSE;
  if (!check_digits8 (load_le64 (p), G_GUINT64_CONSTANT (0x00ffff00ffffffff),
                      G_GUINT64_CONSTANT (0x2d00002d00000000), &date) ||
      !check_digits8 (load_le64 (p + 8), G_GUINT64_CONSTANT (0xffff00ffff00ffff),
                      G_GUINT64_CONSTANT (0x00003a0000540000), &day_word) ||
      !check_digits8 (load_le64 (p + 11), G_GUINT64_CONSTANT (0xffff00ffff00ffff),
                      G_GUINT64_CONSTANT (0x00003a00003a0000), &time_word))
    return FALSE;

  date = pairs8 (date);
  day_word = pairs8 (day_word);
  time_word = pairs8 (time_word);
  year = BYTE_AT (date, 0) * 100 + BYTE_AT (date, 2);
  month = BYTE_AT (date, 5);
  day = BYTE_AT (day_word, 0);
  hour = BYTE_AT (time_word, 0);
  minute = BYTE_AT (time_word, 3);
  second = BYTE_AT (time_word, 6);
  p += 19;

  /* Dropped, as the full parser drops it: at least one digit, any number. */
  if (*p == '.')
    {
      p++;
      if (G_UNLIKELY (!FAST_DIGIT (*p)))
        return FALSE;
      while (FAST_DIGIT (*p))
        p++;
    }

  if (p[0] == 'Z' && p[1] == '\0')
    {
      offset = 0;
    }
  else if (G_LIKELY ((p[0] == '+' || p[0] == '-') &&
                     FAST_DIGIT (p[1]) && FAST_DIGIT (p[2]) && p[3] == ':' &&
                     FAST_DIGIT (p[4]) && FAST_DIGIT (p[5]) && p[6] == '\0'))
    {
      guint oh = FAST_VALUE (p[1]) * 10 + FAST_VALUE (p[2]);
      guint om = FAST_VALUE (p[4]) * 10 + FAST_VALUE (p[5]);

      if (G_UNLIKELY (oh > 23 || om > 59))
        return FALSE;
      offset = (int) (oh * 3600 + om * 60);
      if (p[0] == '-')
        offset = -offset;
    }
  else
    return FALSE;

  if (G_UNLIKELY (year < 1 || month < 1 || month > 12 || day < 1 ||
                  hour > 23 || minute > 59 || second > 59))
    return FALSE;
  leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  last_day = days_before[month] - days_before[month - 1] + (month == 2 && leap);
  if (G_UNLIKELY (day > last_day))
    return FALSE;

  /* Days since 0001-01-01, then since the epoch (719 162 days later). */
  y = year - 1;
  days = (gint64) y * 365 + y / 4 - y / 100 + y / 400 +
         days_before[month - 1] + (month > 2 && leap) + day - 1 - 719162;
  instant = days * CC_DAY + hour * CC_HOUR + minute * CC_MINUTE + second - offset;
  if (G_UNLIKELY (instant < INSTANT_MIN || instant > INSTANT_MAX))
    return FALSE;

  if (out_instant != NULL)
    *out_instant = instant;
  return TRUE;
}

/* The full parser: every form cc_time_parse() documents, and every
 * refusal with its message.  @as_typed is the text a local-time refusal
 * quotes: what the person typed, when @text was completed from it
 * (cc_time_parse_for_person()). */
static gboolean
parse_slow (const char *text,
            const char *as_typed,
            GTimeZone  *assume_tz,
            CcInstant  *out_instant,
            GError    **error)
{
  Fields    f;
  gint64    local;
  CcInstant instant;

  if (!parse_fields (text, &f, error))
    return FALSE;

  local = days_from_civil (f.year, f.month, f.day) * CC_DAY +
          f.hour * CC_HOUR + f.minute * CC_MINUTE + f.second;

  if (f.has_offset)
    {
      instant = local - f.offset;
    }
  else if (assume_tz != NULL)
    {
      if (!resolve_local (as_typed, local, assume_tz, &instant, error))
        return FALSE;
    }
  else
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_NO_OFFSET,
                   /* Translators: %s is the time as written; …Z, …+01:00 and --assume-tz ZONE
                    * are literal syntax */
                   _ ("%s has no UTC offset: write it as …Z or …+01:00, "
                      "or import with --assume-tz ZONE"),
                   quoted);
      return FALSE;
    }

  if (instant < INSTANT_MIN || instant > INSTANT_MAX)
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                   _ ("%s is not a real date: in UTC it falls outside the years 0001 to 9999"), quoted);
      return FALSE;
    }

  if (out_instant != NULL)
    *out_instant = instant;
  return TRUE;
}

/* cc_time_parse() and cc_time_parse_for_person(): the fast path, and the
 * full parser for whatever it leaves.  An offset in the text wins over
 * @assume_tz, so the fast path (which takes only texts with one) may
 * ignore the zone. */
static gboolean
parse_quoting (const char *text,
               const char *as_typed,
               GTimeZone  *assume_tz,
               CcInstant  *out_instant,
               GError    **error)
{
  if (parse_fast (text, out_instant))
    return TRUE;
  return parse_slow (text, as_typed, assume_tz, out_instant, error);
}

/**
 * cc_time_parse:
 * @text: an RFC 3339 date-time, e.g. `2022-03-08T14:00:00Z`
 * @assume_tz: (nullable): zone for a time written without an offset, or
 *   %NULL to require an offset
 * @out_instant: (out) (optional): the instant
 * @error: return location for a #CcTimeError
 *
 * Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` strictly: `t`, `z` and a
 * space for `T` are accepted, a fraction of a second is dropped (the
 * instant is the earlier whole second), and anything else, including a leap
 * second, is an error that quotes @text.  So is a time that falls outside
 * the years 0001 to 9999 in UTC (%CC_TIME_ERROR_RANGE), since it could not
 * be stored as cc_time_format_utc() writes it and read back.
 *
 * With @assume_tz, a time without an offset is wall-clock time in that
 * zone; one that the clocks skipped (%CC_TIME_ERROR_NONEXISTENT) or passed
 * through twice (%CC_TIME_ERROR_AMBIGUOUS) is refused, since guessing would
 * move a child's clock by an hour.  An offset in @text always wins.
 *
 * Returns: %TRUE on success
 */
gboolean
cc_time_parse (const char *text,
               GTimeZone  *assume_tz,
               CcInstant  *out_instant,
               GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_quoting (text, text, assume_tz, out_instant, error);
}

/**
 * cc_time_parse_slow:
 *
 * cc_time_parse() without its fast path, for tests/test-time.c to compare
 * against: not for use elsewhere.
 *
 * Returns: %TRUE on success
 */
gboolean
cc_time_parse_slow (const char *text,
                    GTimeZone  *assume_tz,
                    CcInstant  *out_instant,
                    GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_slow (text, text, assume_tz, out_instant, error);
}

/* Whether @text has the shape of @pattern, where 'd' is any ASCII digit and
 * every other character stands for itself. */
static gboolean
has_shape (const char *text,
           const char *pattern)
{
  for (; *pattern != '\0'; text++, pattern++)
    {
      if (*pattern == 'd' ? !g_ascii_isdigit (*text) : *text != *pattern)
        return FALSE;
    }
  return *text == '\0';
}

/**
 * cc_time_parse_for_person:
 * @text: what a person typed for `--at`
 * @tz: the display zone, in which local times are read
 * @now: the instant "today" is taken from (the machine's clock)
 * @out_instant: (out) (optional): the instant
 * @error: return location for a #CcTimeError
 *
 * Reads a time the way a sergeant or an inspector types one:
 *
 * - `HH:MM`: that time today, today being @now's date in @tz;
 * - `YYYY-MM-DD HH:MM` (or with `T`), or with `:SS`: wall-clock time in @tz;
 * - RFC 3339 with an offset, as cc_time_parse() reads it.
 *
 * A local time that never happened in @tz (the hour skipped in spring,
 * %CC_TIME_ERROR_NONEXISTENT) or that happened twice (the hour repeated in
 * autumn, %CC_TIME_ERROR_AMBIGUOUS) is refused with both instants it may
 * mean, in RFC 3339 with their offsets: guessing would show the board an
 * hour off.  Anything else is %CC_TIME_ERROR_SYNTAX with the forms
 * accepted.
 *
 * Returns: %TRUE on success
 */
gboolean
cc_time_parse_for_person (const char *text,
                          GTimeZone  *tz,
                          CcInstant   now,
                          CcInstant  *out_instant,
                          GError    **error)
{
  g_autofree char *full = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (has_shape (text, "dd:dd"))
    {
      gint64 y;
      int    m, d;

      /* Today is the local date, not UTC's: at 00:30 BST it is already
       * tomorrow in London while UTC is still on yesterday. */
      civil_from_days (floor_div (now + offset_at (tz, now), CC_DAY), &y, &m, &d);
      full = g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02d %s:00", y, m, d, text);
    }
  else if (has_shape (text, "dddd-dd-dd dd:dd") || has_shape (text, "dddd-dd-ddTdd:dd"))
    full = g_strconcat (text, ":00", NULL);
  else
    full = g_strdup (text);

  if (parse_quoting (full, text, tz, out_instant, &local_error))
    return TRUE;

  if (g_error_matches (local_error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX))
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX,
                   /* Translators: %1$s is the text as written, %2$s the display time zone
                    * (e.g. Europe/London); HH:MM, YYYY-MM-DD HH:MM and the example are the
                    * literal syntax and stay as they are */
                   _ ("%1$s is not a time: write HH:MM (today), YYYY-MM-DD HH:MM (both in %2$s), "
                      "or RFC 3339 with an offset such as 2026-03-08T14:00:00Z"),
                   quoted, g_time_zone_get_identifier (tz));
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
put_digits (char  *out,
            gint64 value,
            int    width)
{
  for (int i = width - 1; i >= 0; i--)
    {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
}

/* "YYYY-MM-DDTHH:MM:SS" plus @suffix.  Written by hand: the board and the
 * JSON write thousands of these, and printf was a tenth of `status`. */
static char *
format_wall_with (gint64      local,
                  const char *suffix)
{
  gint64 days = floor_div (local, CC_DAY);
  gint64 secs = local - days * CC_DAY;
  gint64 y;
  int    m;
  int    d;
  gsize  suffix_len = strlen (suffix);
  char  *out;

  civil_from_days (days, &y, &m, &d);
  if (y < 0 || y > 9999)
    return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d%s", y, m, d, (int) (secs / CC_HOUR),
                            (int) (secs / CC_MINUTE % 60), (int) (secs % 60), suffix);
  out = g_malloc (19 + suffix_len + 1);
  put_digits (out, y, 4);
  out[4] = '-';
  put_digits (out + 5, m, 2);
  out[7] = '-';
  put_digits (out + 8, d, 2);
  out[10] = 'T';
  put_digits (out + 11, secs / CC_HOUR, 2);
  out[13] = ':';
  put_digits (out + 14, secs / CC_MINUTE % 60, 2);
  out[16] = ':';
  put_digits (out + 17, secs % 60, 2);
  memcpy (out + 19, suffix, suffix_len + 1);
  return out;
}

static char *
format_wall (gint64 local)
{
  return format_wall_with (local, "");
}

/**
 * cc_time_format_utc:
 * @instant: an instant (not %CC_INSTANT_NONE)
 *
 * Formats @instant the way every stored and JSON time is written:
 * `YYYY-MM-DDTHH:MM:SSZ`.
 *
 * Returns: (transfer full): the text
 */
char *
cc_time_format_utc (CcInstant instant)
{
  g_return_val_if_fail (instant != CC_INSTANT_NONE, NULL);

  return format_wall_with (instant, "Z");
}

/**
 * cc_time_format_local:
 * @instant: an instant (not %CC_INSTANT_NONE)
 * @tz: the zone
 *
 * Formats @instant as RFC 3339 wall-clock time in @tz with the offset then
 * in force, e.g. `2022-03-27T02:30:00+01:00`; UTC is written `+00:00`, so
 * the reader always sees which zone's time it is.
 *
 * Returns: (transfer full): the text
 */
char *
cc_time_format_local (CcInstant  instant,
                      GTimeZone *tz)
{
  g_autofree char *wall = NULL;
  g_autofree char *offset_text = NULL;
  int              offset;

  g_return_val_if_fail (instant != CC_INSTANT_NONE, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  offset = offset_at (tz, instant);
  wall = format_wall (instant + offset);
  offset_text = format_offset (offset);
  return g_strconcat (wall, offset_text, NULL);
}

/**
 * cc_time_format_display:
 * @instant: an instant (not %CC_INSTANT_NONE)
 * @tz: the display zone
 * @format: a g_date_time_format() format, e.g. `%H:%M`
 *
 * Formats @instant for people, in @tz.  An instant that #GDateTime cannot
 * represent (outside the years 1 to 9999) falls back to
 * cc_time_format_local(), so there is always something to show.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @format is
 *   invalid
 */
char *
cc_time_format_display (CcInstant   instant,
                        GTimeZone  *tz,
                        const char *format)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  g_return_val_if_fail (instant != CC_INSTANT_NONE, NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  utc = g_date_time_new_from_unix_utc (instant);
  if (utc != NULL)
    local = g_date_time_to_timezone (utc, tz);
  if (local == NULL)
    return cc_time_format_local (instant, tz);

  return cc_time_format_date (local, format);
}

/**
 * cc_time_format_date:
 * @dt: the date and time, in the zone to show
 * @format: a g_date_time_format() format
 *
 * g_date_time_format(), with the names of days (`%a`, `%A`) and months
 * (`%b`, `%h`, `%B`) in the language of the message catalogue rather than of
 * LC_TIME.  Every date a person reads is formatted here, with a format that
 * is itself translatable (context "date format"), so that the order and
 * punctuation follow the language too.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @format is
 *   invalid
 */
char *
cc_time_format_date (GDateTime  *dt,
                     const char *format)
{
  g_autoptr (GString) expanded = NULL;
  const char *p;

  g_return_val_if_fail (dt != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  expanded = g_string_sized_new (strlen (format) + 16);
  for (p = format; *p != '\0'; p++)
    {
      const char *name = NULL;

      if (*p != '%' || p[1] == '\0')
        {
          g_string_append_c (expanded, *p);
          continue;
        }
      switch (p[1])
        {
        case 'a':
          name = g_dpgettext2 (GETTEXT_PACKAGE, "abbreviated weekday",
                               weekday_abbreviations[g_date_time_get_day_of_week (dt) - 1]);
          break;
        case 'A':
          name = g_dpgettext2 (GETTEXT_PACKAGE, "weekday", weekday_names[g_date_time_get_day_of_week (dt) - 1]);
          break;
        case 'b':
        case 'h':
          name = g_dpgettext2 (GETTEXT_PACKAGE, "abbreviated month",
                               month_abbreviations[g_date_time_get_month (dt) - 1]);
          break;
        case 'B':
          name = month_name (g_date_time_get_month (dt));
          break;
        default:
          break;
        }
      if (name == NULL)
        {
          /* Another conversion (with its flag, if any): GLib's to expand. */
          g_string_append_c (expanded, *p++);
          g_string_append_c (expanded, *p);
          continue;
        }
      for (const char *n = name; *n != '\0'; n++)
        {
          if (*n == '%')
            g_string_append_c (expanded, '%');
          g_string_append_c (expanded, *n);
        }
      p++;
    }
  return g_date_time_format (dt, expanded->str);
}

static gint64
local_seconds (CcInstant  instant,
               GTimeZone *tz)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, instant);

  return instant + g_time_zone_get_offset (tz, interval);
}

/**
 * cc_time_format_relative:
 * @instant: what to show
 * @reference: the instant the reader is looking from (T)
 * @tz: the display zone
 *
 * A time as the board shows it: `14:15` when it falls on the same local day
 * as @reference, else `Tue 8 Mar 14:15`.  The board formats thousands of
 * these, so the common case avoids GDateTime.
 *
 * Returns: (transfer full): the text
 */
char *
cc_time_format_relative (CcInstant  instant,
                         CcInstant  reference,
                         GTimeZone *tz)
{
  gint64 a = local_seconds (instant, tz);
  gint64 b = local_seconds (reference, tz);
  gint64 seconds_of_day;

  g_return_val_if_fail (instant != CC_INSTANT_NONE, NULL);

  if (a >= 0 && b >= 0 && a / CC_DAY == b / CC_DAY)
    {
      char *out = g_malloc (6);

      seconds_of_day = a % CC_DAY;
      put_digits (out, seconds_of_day / CC_HOUR, 2);
      out[2] = ':';
      put_digits (out + 3, seconds_of_day % CC_HOUR / CC_MINUTE, 2);
      out[5] = '\0';
      return out;
    }
  /* Translators: a time on another day, as the board shows it: a
   * g_date_time_format() format, e.g. "Tue 8 Mar 14:15"; %a and %b are the
   * abbreviated weekday and month names translated here too */
  return cc_time_format_display (instant, tz, C_ ("date format", "%a %-d %b %H:%M"));
}

/* GLib reads a zone name as a file under $TZDIR (or /usr/share/zoneinfo),
 * or at an absolute path, before it tries the name as a POSIX TZ rule.  A
 * file there that is not a compiled zone (zone.tab, tzdata.zi, any path
 * someone typed) makes it log a critical rather than fail quietly, and a
 * FIFO would block it: such a name is no zone, and is refused here first.
 * (The header is 44 bytes, starting "TZif"; GLib checks just that.) */
static gboolean
names_other_file (const char *identifier)
{
  const char      *tzdir = g_getenv ("TZDIR");
  g_autofree char *path = NULL;
  char             header[44];
  gssize           n;
  int              fd;

  if (*identifier == ':')
    identifier++;
  if (g_path_is_absolute (identifier))
    path = g_strdup (identifier);
  else
    path = g_build_filename (tzdir != NULL ? tzdir : "/usr/share/zoneinfo", identifier, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_DIR))
    return FALSE; /* GLib finds no file, and reads the name as a rule */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE; /* GLib cannot read it either */
  do
    n = read (fd, header, sizeof header);
  while (n < 0 && errno == EINTR);
  g_close (fd, NULL);
  return n != (gssize) sizeof header || memcmp (header, "TZif", 4) != 0;
}

/**
 * cc_time_zone_new:
 * @identifier: (nullable): a zone name such as `Europe/London`, or %NULL for
 *   %CC_DEFAULT_TIMEZONE
 * @error: return location for a #CcTimeError
 *
 * Loads a time zone, refusing names the system does not know
 * (%CC_TIME_ERROR_ZONE): g_time_zone_new() would quietly give UTC, and a
 * misspelt zone would shift every clock on the board by an hour half the
 * year.  A name that leads GLib to a file other than a compiled zone
 * (`zone.tab`, a path) is unknown too.
 *
 * Returns: (transfer full): the zone, or %NULL on error
 */
GTimeZone *
cc_time_zone_new (const char *identifier,
                  GError    **error)
{
  GTimeZone *tz;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (identifier == NULL)
    identifier = CC_DEFAULT_TIMEZONE;

  /* An empty name means "the local zone" to GLib; here it is a mistake. */
  tz = *identifier != '\0' && !names_other_file (identifier) ? g_time_zone_new_identifier (identifier) : NULL;
  if (tz == NULL)
    {
      g_autofree char *quoted = cc_quote_for_message (identifier, -1);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_ZONE,
                   /* Translators: %s is the zone name as written; Europe/London is an identifier */
                   _ ("unknown time zone %s: give a zone name such as Europe/London"),
                   quoted);
      return NULL;
    }
  return tz;
}

/**
 * cc_date_parse:
 * @text: a date, `YYYY-MM-DD`
 * @out_date: (out caller-allocates) (optional): the date
 * @error: return location for a #CcTimeError
 *
 * Parses a calendar date (a date of birth) strictly: four-digit year,
 * two-digit month and day, a day that exists, nothing after it.
 *
 * Returns: %TRUE on success
 */
gboolean
cc_date_parse (const char *text,
               GDate      *out_date,
               GError    **error)
{
  Fields f = {
    0,
  };
  const char *p = text;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!read_date (&p, &f) || *p != '\0')
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);

      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX,
                   _ ("%s is not a date: expected YYYY-MM-DD"), quoted);
      return FALSE;
    }
  if (!check_date_range (text, &f, error))
    return FALSE;

  if (out_date != NULL)
    {
      g_date_clear (out_date, 1);
      g_date_set_dmy (out_date, f.day, f.month, f.year);
    }
  return TRUE;
}

/**
 * cc_age_at:
 * @dob: a valid date of birth
 * @instant: an instant (not %CC_INSTANT_NONE)
 * @tz: the zone whose calendar date counts (the custody suite's)
 *
 * Age in whole years on the local date of @instant in @tz.  The birthday is
 * reached at local midnight, so a child born on 8 March is 18 from the
 * first second of 8 March in the suite, not at midnight UTC.
 *
 * Returns: the age (negative if @dob is after that date)
 */
int
cc_age_at (const GDate *dob,
           CcInstant    instant,
           GTimeZone   *tz)
{
  gint64 days;
  gint64 y;
  int    m;
  int    d;
  gint64 age;
  int    dob_m;
  int    dob_d;

  g_return_val_if_fail (dob != NULL && g_date_valid (dob), 0);
  g_return_val_if_fail (instant != CC_INSTANT_NONE, 0);
  g_return_val_if_fail (tz != NULL, 0);

  days = floor_div (instant + offset_at (tz, instant), CC_DAY);
  civil_from_days (days, &y, &m, &d);

  dob_m = g_date_get_month (dob);
  dob_d = g_date_get_day (dob);
  age = y - g_date_get_year (dob);

  /* Comparing (month, day) pairs makes a 29 February birthday fall on
   * 1 March in other years: 28 February is still before it, 1 March is not.
   * That is the rule in England and Wales (and what a custody officer
   * would expect). */
  if (m < dob_m || (m == dob_m && d < dob_d))
    age--;

  return (int) CLAMP (age, G_MININT, G_MAXINT);
}

/**
 * cc_duration_parse:
 * @text: a duration such as `90s`, `30m`, `4h`, `1h30m` or `2d`
 * @out_seconds: (out) (optional): the duration in seconds
 * @error: return location for a #CcTimeError
 *
 * Parses a policy duration: whole numbers each followed by a unit, `d`,
 * `h`, `m` or `s`, units in that order and each at most once, no spaces.  A
 * part may be zero (`1h0m`) but the whole must be at least one second and at
 * most %CC_DURATION_MAX.
 *
 * Returns: %TRUE on success
 */
gboolean
cc_duration_parse (const char *text,
                   gint64     *out_seconds,
                   GError    **error)
{
  static const struct
  {
    char   unit;
    gint64 seconds;
  } units[] = {
    { 'd', CC_DAY },
    { 'h', CC_HOUR },
    { 'm', CC_MINUTE },
    { 's', CC_SECOND },
  };
  const char      *p = text;
  gsize            next_unit = 0;
  gint64           total = 0;
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*p == '\0')
    goto syntax;

  while (*p != '\0')
    {
      gint64 value = 0;
      gsize  i;

      if (!g_ascii_isdigit (*p))
        goto syntax;
      while (g_ascii_isdigit (*p))
        {
          /* Stopping at the first number past the maximum keeps a
           * thousand-digit number from overflowing. */
          if (value <= CC_DURATION_MAX)
            value = value * 10 + (*p - '0');
          p++;
        }

      for (i = next_unit; i < G_N_ELEMENTS (units); i++)
        if (*p == units[i].unit)
          break;
      if (i == G_N_ELEMENTS (units))
        goto syntax;
      p++;
      next_unit = i + 1;

      if (value > CC_DURATION_MAX / units[i].seconds)
        goto too_long;
      total += value * units[i].seconds;
      if (total > CC_DURATION_MAX)
        goto too_long;
    }

  if (total < 1)
    {
      quoted = cc_quote_for_message (text, -1);
      g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                   _ ("the duration %s must be at least 1s"), quoted);
      return FALSE;
    }

  if (out_seconds != NULL)
    *out_seconds = total;
  return TRUE;

too_long:
  quoted = cc_quote_for_message (text, -1);
  g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
               /* Translators: %1$s is the duration as written, %2$d a number of days;
                * "d" is the policy file's unit for days and stays as it is */
               _ ("the duration %1$s is too long: it must be at most %2$dd"),
               quoted, (int) (CC_DURATION_MAX / CC_DAY));
  return FALSE;

syntax:
  quoted = cc_quote_for_message (text, -1);
  g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX,
               /* Translators: %s is the text as written; 90s, 30m, 4h and 1h30m are the
                * policy file's syntax and stay as they are */
               _ ("%s is not a duration: expected a duration like 90s, 30m, 4h or 1h30m"),
               quoted);
  return FALSE;
}

/**
 * cc_duration_format:
 * @seconds: a duration, possibly negative
 *
 * Formats a duration compactly for the board, at most two units, the
 * smaller one left out when it is zero, and always truncated (a countdown
 * never shows more time than is left):
 *
 * - under a minute: `45 s` (and `0 s`)
 * - under an hour: `12 min`
 * - under a day: `4 h`, `1 h 30 min`
 * - a day or more: `2 d`, `2 d 3 h`
 *
 * A negative duration is the same with a leading `-`: `-1 h 30 min`.
 *
 * Returns: (transfer full): the text
 */
char *
cc_duration_format (gint64 seconds)
{
  /* Unsigned, so that the magnitude of G_MININT64 does not overflow. */
  guint64     a = seconds < 0 ? -(guint64) seconds : (guint64) seconds;
  const char *sign = seconds < 0 ? "-" : "";
  char        one[24], two[24];

  if (a < (guint64) CC_MINUTE)
    {
      g_snprintf (one, sizeof one, "%s%" G_GUINT64_FORMAT, sign, a);
      /* Translators: a duration in seconds; %s is the number */
      return g_strdup_printf (C_ ("duration", "%s s"), one);
    }
  if (a < (guint64) CC_HOUR)
    {
      g_snprintf (one, sizeof one, "%s%" G_GUINT64_FORMAT, sign, a / CC_MINUTE);
      /* Translators: a duration in minutes; %s is the number */
      return g_strdup_printf (C_ ("duration", "%s min"), one);
    }
  if (a < (guint64) CC_DAY)
    {
      guint64 h = a / CC_HOUR;
      guint64 min = a % CC_HOUR / CC_MINUTE;

      g_snprintf (one, sizeof one, "%s%" G_GUINT64_FORMAT, sign, h);
      if (min == 0)
        /* Translators: a duration in hours; %s is the number */
        return g_strdup_printf (C_ ("duration", "%s h"), one);
      g_snprintf (two, sizeof two, "%" G_GUINT64_FORMAT, min);
      /* Translators: a duration in hours (%1$s) and minutes (%2$s) */
      return g_strdup_printf (C_ ("duration", "%1$s h %2$s min"), one, two);
    }
  else
    {
      guint64 d = a / CC_DAY;
      guint64 h = a % CC_DAY / CC_HOUR;

      g_snprintf (one, sizeof one, "%s%" G_GUINT64_FORMAT, sign, d);
      if (h == 0)
        /* Translators: a duration in days; %s is the number */
        return g_strdup_printf (C_ ("duration", "%s d"), one);
      g_snprintf (two, sizeof two, "%" G_GUINT64_FORMAT, h);
      /* Translators: a duration in days (%1$s) and hours (%2$s) */
      return g_strdup_printf (C_ ("duration", "%1$s d %2$s h"), one, two);
    }
}
