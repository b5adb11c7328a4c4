/* cc-json-scanner.c: strict JSON, checked against RFC 8259 before json-glib
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The custody log is a contract with other systems: an event's line and a
 * row's `data` are JSON written by someone else, and must mean the same to
 * every reader.  json-glib 1.6 is lenient: it takes comments, single
 * quotes, leading zeros, a second object after the first, and turns
 * numbers it cannot hold into garbage (2^64 becomes -1, 1e400 becomes
 * "inf.0", which it then writes out as invalid JSON).  So the text is
 * scanned first, and json-glib only ever sees what a strict parser would
 * accept.  cc-event.c is the one user; its messages quote ours.
 *
 * Decisions:
 * - The scan is iterative, with an explicit stack: json-glib parses
 *   recursively with no limit, so a line of 80 000 `[` would overflow the
 *   stack and take the agent down with it.  Nesting deeper than
 *   %CC_JSON_SCANNER_MAX_DEPTH is refused; real event data is two or three
 *   levels deep.
 * - Numbers must fit what json-glib holds: a whole number a gint64, any
 *   other a finite double.  A fraction too small for a double reads as 0
 *   and is accepted.
 * - Strings may not hold \u0000 (json-glib would cut them short at the
 *   NUL) nor half of a surrogate pair.
 * - Repeated member names are not the scanner's business: RFC 8259 allows
 *   them, and json-glib keeps the last value.
 * - The text must be valid UTF-8 already (the callers check it, each with
 *   its own message); a problem's position counts characters from 1, as a
 *   person counts along the line.
 * - Parsing keeps one JsonParser per thread: making a GObject per row was
 *   a large part of reading the log.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cc-json-scanner.h"

/* clang-format off */
G_DEFINE_QUARK (cc-json-scanner-error-quark, cc_json_scanner_error)
/* clang-format on */

/* Where the scan is in the text, and what it found wrong (a translated
 * phrase, placed in the message at the position where @p stopped). */
typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  const char *problem;
} Scanner;

static gboolean
scan_fail (Scanner    *s,
           const char *problem)
{
  s->problem = problem;
  return FALSE;
}

static void
scan_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_hex4 (Scanner *s,
           guint   *out)
{
  guint value = 0;
  int   i;

  if (s->end - s->p < 4)
    return FALSE;
  for (i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (guint) digit;
    }
  s->p += 4;
  *out = value;
  return TRUE;
}

static gboolean
scan_string (Scanner *s)
{
  s->p++; /* the opening quote */
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, _ ("a control character in a string must be escaped"));
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      s->p++;
      if (s->p == s->end)
        break;
      switch (*s->p)
        {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          s->p++;
          break;
        case 'u':
          {
            guint unit;
            guint low;

            s->p++;
            if (!scan_hex4 (s, &unit))
              /* Translators: \u is a JSON escape, written as it is in the text */
              return scan_fail (s, _ ("\\u must be followed by four hexadecimal digits"));
            /* json-glib would cut the string short at a NUL. */
            if (unit == 0)
              /* Translators: \u0000 is a JSON escape, written as it is in the text */
              return scan_fail (s, _ ("\\u0000 is not allowed in a string"));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              /* Translators: \u is a JSON escape, written as it is in the text */
              return scan_fail (s, _ ("a \\u escape is half of a surrogate pair"));
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return scan_fail (s, _ ("a \\u escape is half of a surrogate pair"));
                s->p += 2;
                if (!scan_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                  return scan_fail (s, _ ("a \\u escape is half of a surrogate pair"));
              }
          }
          break;
        default:
          return scan_fail (s, _ ("unknown escape in a string"));
        }
    }
  return scan_fail (s, _ ("unterminated string"));
}

static gboolean
scan_digits (Scanner *s)
{
  if (s->p == s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return TRUE;
}

static gboolean
scan_number (Scanner *s)
{
  const char      *start = s->p;
  gboolean         whole = TRUE;
  g_autofree char *token = NULL;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return scan_fail (s, _ ("invalid number"));

  if (s->p < s->end && *s->p == '.')
    {
      whole = FALSE;
      s->p++;
      if (!scan_digits (s))
        return scan_fail (s, _ ("invalid number"));
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      whole = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return scan_fail (s, _ ("invalid number"));
    }

  token = g_strndup (start, s->p - start);
  errno = 0;
  if (whole)
    {
      g_ascii_strtoll (token, NULL, 10);
      if (errno == ERANGE)
        return scan_fail (s, _ ("a whole number too large to hold"));
    }
  else if (!isfinite (g_ascii_strtod (token, NULL)))
    {
      return scan_fail (s, _ ("a number too large to hold"));
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return scan_fail (s, _ ("expected a value"));
  s->p += len;
  return TRUE;
}

static gboolean
scan_scalar (Scanner *s)
{
  switch (*s->p)
    {
    case '"':
      return scan_string (s);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return scan_fail (s, _ ("expected a value"));
    }
}

/* One state machine over the text; @stack holds the open containers' first
 * characters, so nesting costs no recursion. */
static gboolean
check_strict (const char *text,
              gsize       length,
              GError    **error)
{
  enum
  {
    VALUE,
    FIRST_MEMBER,
    MEMBER,
    FIRST_ELEMENT,
    AFTER_VALUE
  } state = VALUE;
  char    stack[CC_JSON_SCANNER_MAX_DEPTH];
  guint   depth = 0;
  glong   position;
  Scanner s = { text, text, text + length, NULL };

  for (;;)
    {
      scan_space (&s);

      switch (state)
        {
        case FIRST_ELEMENT:
          if (s.p < s.end && *s.p == ']')
            {
              s.p++;
              depth--;
              state = AFTER_VALUE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case VALUE:
          if (s.p == s.end)
            {
              if (depth == 0)
                scan_fail (&s, _ ("there is no JSON value"));
              else
                scan_fail (&s, _ ("the text ends too soon"));
              goto fail;
            }
          if (*s.p == '{' || *s.p == '[')
            {
              if (depth == CC_JSON_SCANNER_MAX_DEPTH)
                {
                  scan_fail (&s, _ ("nested too deeply"));
                  goto fail;
                }
              stack[depth++] = *s.p;
              state = *s.p == '{' ? FIRST_MEMBER : FIRST_ELEMENT;
              s.p++;
              break;
            }
          if (!scan_scalar (&s))
            goto fail;
          state = AFTER_VALUE;
          break;

        case FIRST_MEMBER:
          if (s.p < s.end && *s.p == '}')
            {
              s.p++;
              depth--;
              state = AFTER_VALUE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case MEMBER:
          if (s.p == s.end || *s.p != '"')
            {
              scan_fail (&s, _ ("expected a member name in double quotes"));
              goto fail;
            }
          if (!scan_string (&s))
            goto fail;
          scan_space (&s);
          if (s.p == s.end || *s.p != ':')
            {
              scan_fail (&s, _ ("expected “:” after a member name"));
              goto fail;
            }
          s.p++;
          state = VALUE;
          break;

        case AFTER_VALUE:
          if (depth == 0)
            {
              if (s.p != s.end)
                {
                  scan_fail (&s, _ ("unexpected text after the JSON value"));
                  goto fail;
                }
              return TRUE;
            }
          if (s.p < s.end && *s.p == ',')
            {
              s.p++;
              state = stack[depth - 1] == '{' ? MEMBER : VALUE;
            }
          else if (s.p < s.end && *s.p == (stack[depth - 1] == '{' ? '}' : ']'))
            {
              s.p++;
              depth--;
            }
          else
            {
              if (stack[depth - 1] == '{')
                scan_fail (&s, _ ("expected “,” or “}”"));
              else
                scan_fail (&s, _ ("expected “,” or “]”"));
              goto fail;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

fail:
  position = g_utf8_pointer_to_offset (s.start, s.p) + 1;
  g_set_error (error, CC_JSON_SCANNER_ERROR, CC_JSON_SCANNER_ERROR_INVALID,
               /* Translators: %1$s is one of the JSON problems above, such as
                * "invalid number"; %2$ld is where it was found, counting the
                * line's first character as 1 (a position, not a count) */
               g_dngettext (GETTEXT_PACKAGE, "%1$s at character %2$ld", "%1$s at character %2$ld", (gulong) position),
               s.problem, position);
  return FALSE;
}

/**
 * cc_json_scanner_check:
 * @text: valid UTF-8
 * @length: the length of @text in bytes, or -1 if it ends at a NUL
 * @error: return location for a #CcJsonScannerError
 *
 * Checks that @text is exactly one RFC 8259 JSON value (with nothing but
 * JSON's four spaces around it), nested at most
 * %CC_JSON_SCANNER_MAX_DEPTH deep, whose numbers json-glib can hold.
 * The error's message says what is wrong and at which character.
 *
 * Returns: %TRUE if @text is strict JSON
 */
gboolean
cc_json_scanner_check (const char *text,
                       gssize      length,
                       GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_strict (text, length < 0 ? strlen (text) : (gsize) length, error);
}

/**
 * cc_json_scanner_parse:
 * @text: valid UTF-8
 * @length: the length of @text in bytes, or -1 if it ends at a NUL
 * @error: return location for a #CcJsonScannerError
 *
 * Parses @text with json-glib once cc_json_scanner_check() has passed it,
 * so that what comes back is what a strict parser would have read.
 *
 * Returns: (transfer full): the value, or %NULL on error
 */
JsonNode *
cc_json_scanner_parse (const char *text,
                       gssize      length,
                       GError    **error)
{
  /* One parser per thread, kept: making a GObject per row was a large part
   * of reading the log. */
  static GPrivate parser_key = G_PRIVATE_INIT (g_object_unref);
  JsonParser     *parser = g_private_get (&parser_key);
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (text);
  if (!check_strict (text, length, error))
    return NULL;

  if (parser == NULL)
    {
      parser = json_parser_new ();
      g_private_set (&parser_key, parser);
    }
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, CC_JSON_SCANNER_ERROR, CC_JSON_SCANNER_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CC_JSON_SCANNER_ERROR, CC_JSON_SCANNER_ERROR_INVALID,
                           _ ("there is no JSON value"));
      return NULL;
    }
  return json_node_ref (root);
}
