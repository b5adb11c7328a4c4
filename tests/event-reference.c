/* event-reference.c: the event builder as it was before issue 15, kept for
 * the differential test in test-event.c
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 15 rewrote how cc-event.c builds an event from a row (a flat reader
 * into the event's fields, one validator over them, a one-pass identifier
 * check, a faster type lookup).  The promise was that nothing a reader can
 * see changes: the same rows accepted, with the same fields, and the same
 * code and message, byte for byte, for the ones refused.  This file is the
 * old code, copied verbatim from cc-event.c at commit f1a19de: every static
 * function renamed with a ref_ prefix and the public entry points as
 * ref_event_*, so that test-event can run both over the same input and
 * compare.  It is not to be improved: its value is that it is the old
 * behaviour.  The vocabulary table and the CcEventField layout are copied
 * too; the layout must stay that of cc-event.c, since the test reads both
 * kinds of event through it (event-reference.h).
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cc-event.h"
#include "cc-time.h"
#include "event-reference.h"

/* Inlined into one file, event_new()'s g_return_val_if_fail() makes GCC
 * see a NULL it cannot rule out; the code is kept as it was rather than
 * changed to please it. */
#pragma GCC diagnostic ignored "-Wnull-dereference"

/* Identifiers are keys and appear on the board and in notifications: they
 * are kept short and printable. */
#define MAX_RECORD_ID_CHARS 64
#define MAX_EVENT_ID_CHARS 128
#define MAX_OFFICER_CHARS 128

/* json-glib parses recursively with no limit: a line of 80 000 `[` would
 * overflow the stack and take the agent down with it, so nesting is checked
 * first, without recursion.  Real event data is two or three levels deep. */
#define JSON_MAX_DEPTH 32

/* clang-format off */

/* The vocabulary and schemas
 * ========================== */

typedef enum
{
  KIND_STRING,
  KIND_BOOLEAN,
  KIND_INTEGER,
  KIND_INSTANT,
  KIND_DATE,
  KIND_ENUM,
  KIND_RANK,
} FieldKind;

typedef struct
{
  const char        *name;
  FieldKind          kind;
  gboolean           required;
  const char *const *values; /* KIND_ENUM: NULL-terminated */
  gint64             min;    /* KIND_INTEGER */
  gint64             max;
} FieldSpec;

#define OPTIONAL(n, k)       \
  {                          \
    .name = (n), .kind = (k) \
  }
#define REQUIRED(n, k)                         \
  {                                            \
    .name = (n), .kind = (k), .required = TRUE \
  }
#define ENUM(n, v)                                \
  {                                               \
    .name = (n), .kind = KIND_ENUM, .values = (v) \
  }
#define REQUIRED_ENUM(n, v)                                         \
  {                                                                 \
    .name = (n), .kind = KIND_ENUM, .values = (v), .required = TRUE \
  }
#define END      \
  {              \
    .name = NULL \
  }

static const char *const aa_types[] = { "parent", "guardian", "social_worker", "aa_scheme", "other", NULL };
static const char *const hospital_purposes[] = { "medical", "investigative", NULL };
static const char *const rooms[] = { "cell", "detention_room", "other", NULL };
static const char *const meal_kinds[] = { "light", "main", NULL };
static const char *const la_outcomes[] = { "accepted", "refused", "no_bed", "no_response", NULL };
static const char *const certificate_reasons[] = { "impracticable", "no_secure_serious_harm", NULL };
static const char *const release_outcomes[] = { "nfa", "rui", "bail", "charged_bail", "caution", "other", NULL };

static const FieldSpec no_fields[] = { END };

static const FieldSpec arrival_fields[] = {
  REQUIRED ("suite", KIND_STRING),
  REQUIRED ("child", KIND_STRING),
  OPTIONAL ("dob", KIND_DATE),
  OPTIONAL ("appears_under_18", KIND_BOOLEAN),
  OPTIONAL ("sex", KIND_STRING),
  OPTIONAL ("looked_after", KIND_BOOLEAN),
  OPTIONAL ("offence", KIND_STRING),
  OPTIONAL ("indictable", KIND_BOOLEAN),
  OPTIONAL ("relevant_time", KIND_INSTANT),
  END
};
static const FieldSpec welfare_informed_fields[] = { OPTIONAL ("relationship", KIND_STRING), END };
static const FieldSpec aa_requested_fields[] = { ENUM ("aa_type", aa_types), END };
static const FieldSpec aa_fields[] = { OPTIONAL ("name", KIND_STRING), END };
static const FieldSpec hcp_requested_fields[] = { OPTIONAL ("urgent", KIND_BOOLEAN), END };
static const FieldSpec hospital_left_fields[] = {
  ENUM ("purpose", hospital_purposes),
  OPTIONAL ("questioned", KIND_BOOLEAN),
  END
};
static const FieldSpec hospital_returned_fields[] = { OPTIONAL ("questioned", KIND_BOOLEAN), END };
/* A level change without a level says nothing, so the level is required. */
static const FieldSpec observation_level_fields[] = {
  { .name = "level", .kind = KIND_INTEGER, .required = TRUE, .min = 1, .max = 4 },
  END
};
static const FieldSpec cell_visit_fields[] = {
  OPTIONAL ("voice_recorded", KIND_BOOLEAN),
  OPTIONAL ("roused", KIND_BOOLEAN),
  OPTIONAL ("note", KIND_STRING),
  END
};
static const FieldSpec moved_fields[] = {
  ENUM ("room", rooms),
  OPTIONAL ("with_adult", KIND_BOOLEAN),
  OPTIONAL ("reason", KIND_STRING),
  END
};
static const FieldSpec rest_ended_fields[] = { OPTIONAL ("interrupted_for", KIND_STRING), END };
static const FieldSpec meal_offered_fields[] = { ENUM ("kind", meal_kinds), END };
static const FieldSpec review_fields[] = {
  OPTIONAL ("rank", KIND_RANK),
  OPTIONAL ("aa_representations", KIND_BOOLEAN),
  OPTIONAL ("child_views_recorded", KIND_BOOLEAN),
  END
};
static const FieldSpec review_postponed_fields[] = { REQUIRED ("reason", KIND_STRING), END };
static const FieldSpec extension_authorised_fields[] = {
  OPTIONAL ("rank", KIND_RANK),
  REQUIRED ("until", KIND_INSTANT),
  END
};
static const FieldSpec warrant_granted_fields[] = { REQUIRED ("until", KIND_INSTANT), END };
static const FieldSpec interview_started_fields[] = {
  OPTIONAL ("aa_present", KIND_BOOLEAN),
  OPTIONAL ("urgent_authorised_rank", KIND_RANK),
  END
};
static const FieldSpec strip_search_fields[] = {
  OPTIONAL ("aa_present", KIND_BOOLEAN),
  OPTIONAL ("authorised_rank", KIND_RANK),
  OPTIONAL ("urgent", KIND_BOOLEAN),
  OPTIONAL ("child_declined_aa", KIND_BOOLEAN),
  OPTIONAL ("aa_agreed", KIND_BOOLEAN),
  END
};
static const FieldSpec charged_fields[] = { OPTIONAL ("aa_present", KIND_BOOLEAN), END };
static const FieldSpec bail_refused_fields[] = { OPTIONAL ("grounds", KIND_STRING), END };
static const FieldSpec la_requested_fields[] = { OPTIONAL ("secure", KIND_BOOLEAN), END };
static const FieldSpec la_response_fields[] = { REQUIRED_ENUM ("outcome", la_outcomes), END };
static const FieldSpec certificate_issued_fields[] = {
  ENUM ("reason", certificate_reasons),
  OPTIONAL ("text", KIND_STRING),
  END
};
static const FieldSpec cp_referral_fields[] = { OPTIONAL ("reference", KIND_STRING), END };
static const FieldSpec left_for_court_fields[] = { OPTIONAL ("court", KIND_STRING), END };
static const FieldSpec released_fields[] = { ENUM ("outcome", release_outcomes), END };

static const struct
{
  const char      *name;
  const FieldSpec *fields;
} schemas[CC_EVENT_N_TYPES] = {
  [CC_EVENT_ARRIVAL] = { "arrival", arrival_fields },
  [CC_EVENT_DETENTION_AUTHORISED] = { "detention_authorised", no_fields },
  [CC_EVENT_WELFARE_INFORMED] = { "welfare_informed", welfare_informed_fields },
  [CC_EVENT_AA_REQUESTED] = { "aa_requested", aa_requested_fields },
  [CC_EVENT_AA_ARRIVED] = { "aa_arrived", aa_fields },
  [CC_EVENT_AA_LEFT] = { "aa_left", aa_fields },
  [CC_EVENT_HCP_REQUESTED] = { "hcp_requested", hcp_requested_fields },
  [CC_EVENT_HCP_SEEN] = { "hcp_seen", no_fields },
  [CC_EVENT_LND_SEEN] = { "lnd_seen", no_fields },
  [CC_EVENT_HOSPITAL_LEFT] = { "hospital_left", hospital_left_fields },
  [CC_EVENT_HOSPITAL_RETURNED] = { "hospital_returned", hospital_returned_fields },
  [CC_EVENT_OBSERVATION_LEVEL] = { "observation_level", observation_level_fields },
  [CC_EVENT_CELL_VISIT] = { "cell_visit", cell_visit_fields },
  [CC_EVENT_MOVED] = { "moved", moved_fields },
  [CC_EVENT_REST_STARTED] = { "rest_started", no_fields },
  [CC_EVENT_REST_ENDED] = { "rest_ended", rest_ended_fields },
  [CC_EVENT_MEAL_OFFERED] = { "meal_offered", meal_offered_fields },
  [CC_EVENT_REVIEW] = { "review", review_fields },
  [CC_EVENT_REVIEW_POSTPONED] = { "review_postponed", review_postponed_fields },
  [CC_EVENT_EXTENSION_AUTHORISED] = { "extension_authorised", extension_authorised_fields },
  [CC_EVENT_WARRANT_GRANTED] = { "warrant_granted", warrant_granted_fields },
  [CC_EVENT_INTERVIEW_STARTED] = { "interview_started", interview_started_fields },
  [CC_EVENT_INTERVIEW_ENDED] = { "interview_ended", no_fields },
  [CC_EVENT_STRIP_SEARCH] = { "strip_search", strip_search_fields },
  [CC_EVENT_CHARGED] = { "charged", charged_fields },
  [CC_EVENT_BAIL_REFUSED] = { "bail_refused", bail_refused_fields },
  [CC_EVENT_LA_REQUESTED] = { "la_requested", la_requested_fields },
  [CC_EVENT_LA_RESPONSE] = { "la_response", la_response_fields },
  [CC_EVENT_TRANSFERRED_TO_LA] = { "transferred_to_la", no_fields },
  [CC_EVENT_CERTIFICATE_ISSUED] = { "certificate_issued", certificate_issued_fields },
  [CC_EVENT_CP_REFERRAL] = { "cp_referral", cp_referral_fields },
  [CC_EVENT_LEFT_FOR_COURT] = { "left_for_court", left_for_court_fields },
  [CC_EVENT_RELEASED] = { "released", released_fields },
  [CC_EVENT_VOID] = { "void", no_fields },
};

/* Indexed by CcRank. */
static const char *const rank_names[] = {
  "constable",
  "sergeant",
  "inspector",
  "chief_inspector",
  "superintendent",
  "chief_superintendent",
  "assistant_chief_constable",
  "deputy_chief_constable",
  "chief_constable",
};
G_STATIC_ASSERT (G_N_ELEMENTS (rank_names) == CC_RANK_CHIEF_CONSTABLE + 1);

CcEventType
ref_event_type_from_string (const char *name)
{
  int i;

  if (name == NULL)
    return CC_EVENT_INVALID;
  for (i = 0; i < CC_EVENT_N_TYPES; i++)
    if (strcmp (schemas[i].name, name) == 0)
      return (CcEventType) i;
  return CC_EVENT_INVALID;
}

/* Strict JSON
 * =========== */

/* json-glib 1.6 is lenient: it takes comments, single quotes, leading zeros,
 * a second object after the first, and turns numbers it cannot hold into
 * garbage (2^64 becomes -1, 1e400 becomes "inf.0", which it then writes out
 * as invalid JSON).  The custody log is a contract with other systems, so
 * the text is checked against RFC 8259 first, iteratively, and json-glib
 * only ever sees what a strict parser would accept. */

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  const char *problem;
} Scanner;

static gboolean
ref_scan_fail (Scanner    *s,
           const char *problem)
{
  s->problem = problem;
  return FALSE;
}

static void
ref_scan_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
ref_scan_hex4 (Scanner *s,
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
ref_scan_string (Scanner *s)
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
        return ref_scan_fail (s, _ ("a control character in a string must be escaped"));
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
            if (!ref_scan_hex4 (s, &unit))
              /* Translators: \u is a JSON escape, written as it is in the text */
              return ref_scan_fail (s, _ ("\\u must be followed by four hexadecimal digits"));
            /* json-glib would cut the string short at a NUL. */
            if (unit == 0)
              /* Translators: \u0000 is a JSON escape, written as it is in the text */
              return ref_scan_fail (s, _ ("\\u0000 is not allowed in a string"));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              /* Translators: \u is a JSON escape, written as it is in the text */
              return ref_scan_fail (s, _ ("a \\u escape is half of a surrogate pair"));
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return ref_scan_fail (s, _ ("a \\u escape is half of a surrogate pair"));
                s->p += 2;
                if (!ref_scan_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                  return ref_scan_fail (s, _ ("a \\u escape is half of a surrogate pair"));
              }
          }
          break;
        default:
          return ref_scan_fail (s, _ ("unknown escape in a string"));
        }
    }
  return ref_scan_fail (s, _ ("unterminated string"));
}

static gboolean
ref_scan_digits (Scanner *s)
{
  if (s->p == s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return TRUE;
}

static gboolean
ref_scan_number (Scanner *s)
{
  const char      *start = s->p;
  gboolean         whole = TRUE;
  g_autofree char *token = NULL;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!ref_scan_digits (s))
    return ref_scan_fail (s, _ ("invalid number"));

  if (s->p < s->end && *s->p == '.')
    {
      whole = FALSE;
      s->p++;
      if (!ref_scan_digits (s))
        return ref_scan_fail (s, _ ("invalid number"));
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      whole = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!ref_scan_digits (s))
        return ref_scan_fail (s, _ ("invalid number"));
    }

  token = g_strndup (start, s->p - start);
  errno = 0;
  if (whole)
    {
      g_ascii_strtoll (token, NULL, 10);
      if (errno == ERANGE)
        return ref_scan_fail (s, _ ("a whole number too large to hold"));
    }
  else if (!isfinite (g_ascii_strtod (token, NULL)))
    {
      return ref_scan_fail (s, _ ("a number too large to hold"));
    }
  return TRUE;
}

static gboolean
ref_scan_literal (Scanner    *s,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return ref_scan_fail (s, _ ("expected a value"));
  s->p += len;
  return TRUE;
}

static gboolean
ref_scan_scalar (Scanner *s)
{
  switch (*s->p)
    {
    case '"':
      return ref_scan_string (s);
    case 't':
      return ref_scan_literal (s, "true");
    case 'f':
      return ref_scan_literal (s, "false");
    case 'n':
      return ref_scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return ref_scan_number (s);
      return ref_scan_fail (s, _ ("expected a value"));
    }
}

/* Checks that @text is exactly one RFC 8259 JSON value, nested at most
 * JSON_MAX_DEPTH deep.  @text must be valid UTF-8. */
static gboolean
ref_json_check_strict (const char *text,
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
  char    stack[JSON_MAX_DEPTH];
  guint   depth = 0;
  glong   position;
  Scanner s = { text, text, text + length, NULL };

  for (;;)
    {
      ref_scan_space (&s);

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
                ref_scan_fail (&s, _ ("there is no JSON value"));
              else
                ref_scan_fail (&s, _ ("the text ends too soon"));
              goto fail;
            }
          if (*s.p == '{' || *s.p == '[')
            {
              if (depth == JSON_MAX_DEPTH)
                {
                  ref_scan_fail (&s, _ ("nested too deeply"));
                  goto fail;
                }
              stack[depth++] = *s.p;
              state = *s.p == '{' ? FIRST_MEMBER : FIRST_ELEMENT;
              s.p++;
              break;
            }
          if (!ref_scan_scalar (&s))
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
              ref_scan_fail (&s, _ ("expected a member name in double quotes"));
              goto fail;
            }
          if (!ref_scan_string (&s))
            goto fail;
          ref_scan_space (&s);
          if (s.p == s.end || *s.p != ':')
            {
              ref_scan_fail (&s, _ ("expected “:” after a member name"));
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
                  ref_scan_fail (&s, _ ("unexpected text after the JSON value"));
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
                ref_scan_fail (&s, _ ("expected “,” or “}”"));
              else
                ref_scan_fail (&s, _ ("expected “,” or “]”"));
              goto fail;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

fail:
  position = g_utf8_pointer_to_offset (s.start, s.p) + 1;
  g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
               /* Translators: %1$s is one of the JSON problems above, such as
                * "invalid number"; %2$ld is where it was found, counting the
                * line's first character as 1 (a position, not a count) */
               g_dngettext (GETTEXT_PACKAGE, "%1$s at character %2$ld", "%1$s at character %2$ld", (gulong) position),
               s.problem, position);
  return FALSE;
}

static const char *
ref_skip_space (const char *p,
            const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* A JSON string at @p (just past its opening quote), decoded into @out;
 * NULL for what this reader leaves to json-glib (\u escapes). */
static const char *
ref_read_string (const char *p,
             const char *end,
             GString    *out)
{
  g_string_truncate (out, 0);
  while (p < end && *p != '"')
    {
      if (*p != '\\')
        {
          const char *run = p;
          while (p < end && *p != '"' && *p != '\\')
            p++;
          g_string_append_len (out, run, p - run);
          continue;
        }
      if (p + 1 >= end)
        return NULL;
      switch (p[1])
        {
        case '"':
          g_string_append_c (out, '"');
          break;
        case '\\':
          g_string_append_c (out, '\\');
          break;
        case '/':
          g_string_append_c (out, '/');
          break;
        case 'b':
          g_string_append_c (out, '\b');
          break;
        case 'f':
          g_string_append_c (out, '\f');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        default:
          return NULL;
        }
      p += 2;
    }
  return p < end ? p + 1 : NULL;
}

/* The common case of a row's data, read without json-glib: one object of
 * strings, booleans, nulls and whole numbers, already checked by
 * ref_json_check_strict().  Anything else (nesting, fractions, \u escapes,
 * large numbers) returns NULL and json-glib reads it.  Reading the log is
 * most of what `status` and the agent's start-up cost. */
static JsonNode *
ref_parse_flat_object (const char *text,
                   gsize       length)
{
  const char *p = text, *end = text + length;
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (GString) key = g_string_new (NULL);
  g_autoptr (GString) value = g_string_new (NULL);
  JsonNode *node;

  p = ref_skip_space (p, end);
  if (p >= end || *p++ != '{')
    return NULL;
  p = ref_skip_space (p, end);
  if (p < end && *p == '}')
    p++;
  else
    for (;;)
      {
        if (p >= end || *p != '"' || (p = ref_read_string (p + 1, end, key)) == NULL)
          return NULL;
        p = ref_skip_space (p, end);
        if (p >= end || *p++ != ':')
          return NULL;
        p = ref_skip_space (p, end);
        if (p >= end)
          return NULL;
        if (*p == '"')
          {
            if ((p = ref_read_string (p + 1, end, value)) == NULL)
              return NULL;
            json_object_set_string_member (object, key->str, value->str);
          }
        else if (end - p >= 4 && memcmp (p, "true", 4) == 0)
          {
            json_object_set_boolean_member (object, key->str, TRUE);
            p += 4;
          }
        else if (end - p >= 5 && memcmp (p, "false", 5) == 0)
          {
            json_object_set_boolean_member (object, key->str, FALSE);
            p += 5;
          }
        else if (end - p >= 4 && memcmp (p, "null", 4) == 0)
          {
            json_object_set_null_member (object, key->str);
            p += 4;
          }
        else if (*p == '-' || g_ascii_isdigit (*p))
          {
            const char *start = p;
            gint64      n;

            if (*p == '-')
              p++;
            while (p < end && g_ascii_isdigit (*p))
              p++;
            if (p - start > 18 || (p < end && (*p == '.' || *p == 'e' || *p == 'E')))
              return NULL;
            n = g_ascii_strtoll (start, NULL, 10);
            json_object_set_int_member (object, key->str, n);
          }
        else
          return NULL;
        p = ref_skip_space (p, end);
        if (p < end && *p == ',')
          {
            p = ref_skip_space (p + 1, end);
            continue;
          }
        if (p < end && *p == '}')
          {
            p++;
            break;
          }
        return NULL;
      }
  if (ref_skip_space (p, end) != end)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

/* Parses @text (valid UTF-8) strictly.  Errors are INVALID_JSON. */
static JsonNode *
ref_parse_json (const char *text,
            gsize       length,
            GError    **error)
{
  /* One parser per thread, kept: making a GObject per row was a large part
   * of reading the log. */
  static GPrivate parser_key = G_PRIVATE_INIT (g_object_unref);
  JsonParser     *parser = g_private_get (&parser_key);
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (!ref_json_check_strict (text, length, error))
    return NULL;
  root = ref_parse_flat_object (text, length);
  if (root != NULL)
    return root;

  if (parser == NULL)
    {
      parser = json_parser_new ();
      g_private_set (&parser_key, parser);
    }
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                   "%s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                           _ ("there is no JSON value"));
      return NULL;
    }
  return json_node_ref (root);
}

/* How a JSON value looks in a message: “text” for strings, 42 for numbers. */
static char *
ref_describe_node (JsonNode *node)
{
  g_autofree char *text = NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      /* Translators: what was found instead of the value a field needs, as
       * in "data must be a JSON object, got an array" */
      return g_strdup (_ ("an object"));
    case JSON_NODE_ARRAY:
      /* Translators: what was found instead of the value a field needs, as
       * in "data must be a JSON object, got an array" */
      return g_strdup (_ ("an array"));
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return cc_quote_for_message (json_node_get_string (node), -1);

  text = json_to_string (node, FALSE);
  return cc_quote_for_message (text, -1);
}

/* Validation
 * ========== */

static int
ref_event_code_for_time_error (const GError *time_error)
{
  switch ((CcTimeError) time_error->code)
    {
    case CC_TIME_ERROR_NO_OFFSET:
      return CC_EVENT_ERROR_NO_OFFSET;
    case CC_TIME_ERROR_NONEXISTENT:
      return CC_EVENT_ERROR_NONEXISTENT_TIME;
    case CC_TIME_ERROR_AMBIGUOUS:
      return CC_EVENT_ERROR_AMBIGUOUS_TIME;
    case CC_TIME_ERROR_SYNTAX:
    case CC_TIME_ERROR_RANGE:
    case CC_TIME_ERROR_ZONE:
    default:
      return CC_EVENT_ERROR_BAD_TIME;
    }
}

/* Parses the time in field @field.  Whether the text had an offset of its
 * own is returned in @out_had_offset, so that data times read through
 * --assume-tz can be written back with one. */
static gboolean
ref_parse_time_field (const char *field,
                  const char *text,
                  GTimeZone  *assume_tz,
                  CcInstant  *out_instant,
                  gboolean   *out_had_offset,
                  GError    **error)
{
  g_autoptr (GError) time_error = NULL;

  *out_had_offset = TRUE;
  if (cc_time_parse (text, NULL, out_instant, &time_error))
    return TRUE;

  if (assume_tz != NULL && g_error_matches (time_error, CC_TIME_ERROR, CC_TIME_ERROR_NO_OFFSET))
    {
      g_clear_error (&time_error);
      *out_had_offset = FALSE;
      if (cc_time_parse (text, assume_tz, out_instant, &time_error))
        return TRUE;
    }

  g_set_error (error, CC_EVENT_ERROR, ref_event_code_for_time_error (time_error),
               "%s: %s", field, time_error->message);
  return FALSE;
}

static gboolean
ref_is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* "a, b or c", for a message. */
static char *
ref_join_values (const char *const *values)
{
  char *joined = g_strdup (values[0]);
  gsize i;

  for (i = 1; values[i] != NULL; i++)
    {
      char *longer;

      if (values[i + 1] == NULL)
        /* Translators: joins the last item of a list of values to the ones
         * before it, as in "light or main" or "cell, detention_room or other" */
        longer = g_strdup_printf (C_ ("list", "%1$s or %2$s"), joined, values[i]);
      else
        /* Translators: joins an item of a list of values to the ones before
         * it, other than the last, as in "cell, detention_room or other" */
        longer = g_strdup_printf (C_ ("list", "%1$s, %2$s"), joined, values[i]);
      g_free (joined);
      joined = longer;
    }
  return joined;
}

/* A field of @spec's kind holds @node, a JSON value of the wrong type. */
static gboolean
ref_wrong_type (const FieldSpec *spec,
            JsonNode        *node,
            GError         **error)
{
  g_autofree char *found = ref_describe_node (node);
  g_autofree char *allowed = NULL;

  switch (spec->kind)
    {
    case KIND_STRING:
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: %1$s is a field name such as "suite", kept in
                    * English; %2$s is the value found, quoted, or "an object" */
                   _ ("data.%1$s must be a string, got %2$s"), spec->name, found);
      break;
    case KIND_BOOLEAN:
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: true and false are JSON values: keep them in
                    * English.  %1$s is a field name such as "urgent", kept in
                    * English; %2$s is the value found */
                   _ ("data.%1$s must be true or false, got %2$s"), spec->name, found);
      break;
    case KIND_INTEGER:
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: %1$s is a field name such as "level", kept in
                    * English; %2$s is the value found */
                   _ ("data.%1$s must be a whole number, got %2$s"), spec->name, found);
      break;
    case KIND_INSTANT:
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: %1$s is a field name such as "until", kept in
                    * English; %2$s is the value found */
                   _ ("data.%1$s must be an RFC 3339 date-time string, got %2$s"), spec->name, found);
      break;
    case KIND_DATE:
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: YYYY-MM-DD is the form the date must take:
                    * keep it as it is.  %1$s is a field name such as "dob",
                    * kept in English; %2$s is the value found */
                   _ ("data.%1$s must be a date YYYY-MM-DD, got %2$s"), spec->name, found);
      break;
    case KIND_ENUM:
      allowed = ref_join_values (spec->values);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: %1$s is a field name such as "room" and %2$s
                    * the values it may take, such as "cell, detention_room or
                    * other": both are kept in English.  %3$s is the value found */
                   _ ("data.%1$s must be one of %2$s, got %3$s"), spec->name, allowed, found);
      break;
    case KIND_RANK:
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: a police rank.  %1$s is a field name such as
                    * "rank", kept in English; %2$s is the value found */
                   _ ("data.%1$s must be a rank, got %2$s"), spec->name, found);
      break;
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

static gboolean
ref_is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
ref_validate_field (CcEventType      type,
                const FieldSpec *spec,
                JsonObject      *data,
                GTimeZone       *assume_tz,
                gboolean         normalise,
                GError         **error)
{
  JsonNode   *node = json_object_get_member (data, spec->name);
  const char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!spec->required)
        return TRUE;
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                   /* Translators: %1$s is an event type such as "arrival" and
                    * %2$s a field name such as "suite": both are kept in English */
                   _ ("%1$s needs data.%2$s"), schemas[type].name, spec->name);
      return FALSE;
    }

  if (ref_is_string_node (node))
    text = json_node_get_string (node);

  switch (spec->kind)
    {
    case KIND_STRING:
      if (text == NULL)
        return ref_wrong_type (spec, node, error);
      if (spec->required && ref_is_blank (text))
        {
          g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                       /* Translators: %1$s is an event type such as "arrival" and
                        * %2$s a field name such as "suite": both are kept in English */
                       _ ("%1$s needs data.%2$s (it is empty)"), schemas[type].name, spec->name);
          return FALSE;
        }
      return TRUE;

    case KIND_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return ref_wrong_type (spec, node, error);
      return TRUE;

    case KIND_INTEGER:
      {
        g_autofree char *found = NULL;
        gint64           value;

        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
          return ref_wrong_type (spec, node, error);
        value = json_node_get_int (node);
        if (value >= spec->min && value <= spec->max)
          return TRUE;
        found = ref_describe_node (node);
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                     /* Translators: %1$s is a field name such as "level", kept in
                      * English; %2$lld and %3$lld are the smallest and largest
                      * values allowed (the plural form follows %3$lld); %4$s is
                      * the value found */
                     g_dngettext (GETTEXT_PACKAGE, "data.%1$s must be from %2$lld to %3$lld, got %4$s",
                                  "data.%1$s must be from %2$lld to %3$lld, got %4$s", (gulong) spec->max),
                     spec->name, (long long) spec->min, (long long) spec->max, found);
        return FALSE;
      }

    case KIND_INSTANT:
      {
        g_autofree char *field = g_strconcat ("data.", spec->name, NULL);
        CcInstant        instant;
        gboolean         had_offset;

        if (text == NULL)
          return ref_wrong_type (spec, node, error);
        if (!ref_parse_time_field (field, text, assume_tz, &instant, &had_offset, error))
          return FALSE;
        /* The zone was only known to this import: stored data must stand on
         * its own, so the time is written back in UTC. */
        if (!had_offset && normalise)
          {
            g_autofree char *utc = cc_time_format_utc (instant);
            json_object_set_string_member (data, spec->name, utc);
          }
        return TRUE;
      }

    case KIND_DATE:
      {
        g_autoptr (GError) date_error = NULL;

        if (text == NULL)
          return ref_wrong_type (spec, node, error);
        if (cc_date_parse (text, NULL, &date_error))
          return TRUE;
        if (g_error_matches (date_error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX))
          return ref_wrong_type (spec, node, error);
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                     "data.%s: %s", spec->name, date_error->message);
        return FALSE;
      }

    case KIND_ENUM:
      {
        g_autofree char *allowed = NULL;
        g_autofree char *found = NULL;

        if (text == NULL)
          return ref_wrong_type (spec, node, error);
        if (g_strv_contains (spec->values, text))
          return TRUE;
        allowed = ref_join_values (spec->values);
        found = ref_describe_node (node);
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                     /* Translators: %1$s is a field name such as "room" and %2$s
                      * the values it may take, such as "cell, detention_room or
                      * other": both are kept in English.  %3$s is the value found */
                     _ ("data.%1$s must be one of %2$s, got %3$s"), spec->name, allowed, found);
        return FALSE;
      }

    case KIND_RANK:
      {
        g_autofree char *found = NULL;
        g_autofree char *allowed = NULL;

        if (text == NULL)
          return ref_wrong_type (spec, node, error);
        if (cc_rank_from_string (text) != CC_RANK_UNKNOWN)
          return TRUE;
        found = ref_describe_node (node);
        allowed = g_strjoinv (", ", (char **) rank_names);
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                     /* Translators: %1$s is a field name such as "rank"; %2$s is
                      * the list of ranks, such as "constable, sergeant,
                      * inspector"; custody_officer and police_staff are ranks too.
                      * All of them are kept in English.  %3$s is the value found */
                     _ ("data.%1$s must be one of %2$s, custody_officer or police_staff, got %3$s"),
                     spec->name, allowed, found);
        return FALSE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static gboolean
ref_validate_data (CcEventType type,
               JsonObject *data,
               GTimeZone  *assume_tz,
               gboolean    normalise,
               GError    **error)
{
  const FieldSpec *spec;
  g_autoptr (GString) missing = g_string_new (NULL);
  guint n_missing = 0;

  /* Every missing required field at once (issue 14 item 13): a writer
   * told of one at a time mends a line once per field. */
  for (spec = schemas[type].fields; spec->name != NULL; spec++)
    {
      JsonNode *node;

      if (!spec->required)
        continue;
      node = json_object_get_member (data, spec->name);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
          !(spec->kind == KIND_STRING && ref_is_string_node (node) && ref_is_blank (json_node_get_string (node))))
        continue;
      if (n_missing++ > 0)
        g_string_append (missing, ", ");
      /* not translated: a field's name in the JSON */
      g_string_append_printf (missing, "data.%s", spec->name);
    }
  if (n_missing > 1)
    {
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                   /* Translators: %1$s is an event type such as "arrival" and %2$s
                    * the fields it lacks, such as "data.suite, data.child": all kept
                    * in English.  custody-clock-log(5) is a manual page */
                   _ ("%1$s needs %2$s (see custody-clock-log(5))"), schemas[type].name, missing->str);
      return FALSE;
    }

  for (spec = schemas[type].fields; spec->name != NULL; spec++)
    if (!ref_validate_field (type, spec, data, assume_tz, normalise, error))
      return FALSE;
  return TRUE;
}

/**
 * ref_event_validate_data:
 * @type: an event type
 * @data: (transfer none): the `data` object
 * @error: return location for a #CcEventError
 *
 * Checks @data against the fields custody-log.md gives @type: each known
 * field has the right JSON type and an allowed value, and required fields
 * are there.  A JSON null counts as absent; unknown fields are allowed
 * (writers may send more than we read).  Times must carry an offset.
 * @data is not changed.
 *
 * Returns: %TRUE if @data is valid
 */
gboolean
ref_event_validate_data (CcEventType type,
                        JsonObject *data,
                        GError    **error)
{
  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ref_validate_data (type, data, NULL, FALSE, error);
}

/* Identifiers end up as keys, on the board and in notifications.  A space
 * at either end would make a second custody record that looks like the
 * first, so it is refused rather than trimmed. */
static gboolean
ref_check_identifier (const char *field,
                  const char *text,
                  glong       max_chars,
                  gboolean    trim_matters,
                  GError    **error)
{
  const char *p;
  gsize       length = strlen (text);

  if (length == 0)
    {
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                   /* Translators: %s is a field name such as "record_id", kept in
                    * English */
                   _ ("%s is empty"), field);
      return FALSE;
    }

  if (!g_utf8_validate (text, length, NULL))
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                   /* Translators: %1$s is a field name such as "record_id", kept
                    * in English; %2$s is its value, quoted */
                   _ ("%1$s is not valid UTF-8 text: %2$s"), field, quoted);
      return FALSE;
    }
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_autofree char *quoted = cc_quote_for_message (text, -1);
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                     /* Translators: %1$s is a field name such as "record_id",
                      * kept in English; %2$s is its value, quoted */
                     _ ("%1$s must not contain control characters: %2$s"), field, quoted);
        return FALSE;
      }
  if (trim_matters && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[length - 1])))
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                   /* Translators: %1$s is a field name such as "record_id", kept
                    * in English; %2$s is its value, quoted */
                   _ ("%1$s must not start or end with a space: %2$s"), field, quoted);
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > max_chars)
    {
      g_autofree char *quoted = cc_quote_for_message (text, -1);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                   /* Translators: %1$s is a field name such as "record_id", kept
                    * in English; %2$ld is the most characters it may have; %3$s
                    * is its value, quoted */
                   g_dngettext (GETTEXT_PACKAGE, "%1$s is longer than %2$ld character: %3$s",
                                "%1$s is longer than %2$ld characters: %3$s", (gulong) max_chars),
                   field, max_chars, quoted);
      return FALSE;
    }
  return TRUE;
}

/* The text fields of an event, from a JSON line or a row. */
typedef struct
{
  const char *event_id;
  const char *record_id;
  const char *type;
  const char *occurred_at;
  const char *recorded_at; /* nullable */
  const char *officer;     /* nullable */
  const char *supersedes;  /* nullable */
  /* Rows only: recorded_at never feeds a clock, so a value SQLite wrote
   * itself (CURRENT_TIMESTAMP: UTC without an offset) is read as UTC, and
   * one that cannot be read at all counts as absent.  Refusing the row for
   * it would stop a child's arrival from being watched. */
  gboolean lenient_recorded_at;
  /* Rows only: the data column's text, kept as it is stored rather than
   * written out again (reading the log is the agent's and the board's
   * biggest cost). */
  const char *data_json;
} EventTexts;

static CcEvent *ref_event_new (CcEventType type,
                           const char *event_id,
                           const char *record_id,
                           CcInstant   occurred_at,
                           CcInstant   recorded_at,
                           const char *officer,
                           JsonObject *data,
                           const char *data_json,
                           const char *supersedes);

static char *
ref_generate_event_id (void)
{
  /* The same shape as the table's default, lower(hex(randomblob(16))). */
  return g_strdup_printf ("%08x%08x%08x%08x",
                          g_random_int (), g_random_int (),
                          g_random_int (), g_random_int ());
}

/* The validation shared by JSON lines and rows; @data is validated (and,
 * with @assume_tz, normalised) in place. */
static CcEvent *
ref_event_from_texts (gint64            seq,
                  const EventTexts *t,
                  JsonObject       *data,
                  GTimeZone        *assume_tz,
                  CcInstant         now,
                  GError          **error)
{
  CcEventType type;
  CcInstant   occurred_at;
  CcInstant   recorded_at = CC_INSTANT_NONE;
  gboolean    had_offset;
  CcEvent    *event;

  if (t->event_id == NULL)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                           /* Translators: event_id is a field name: keep it in English */
                           _ ("event_id is missing"));
      return NULL;
    }
  if (!ref_check_identifier ("event_id", t->event_id, MAX_EVENT_ID_CHARS, TRUE, error))
    return NULL;

  /* Two or more of the fields every event needs missing: name them all at
   * once, as for data (issue 14 item 13). */
  if ((t->record_id == NULL) + (t->type == NULL) + (t->occurred_at == NULL) > 1)
    {
      g_autoptr (GString) missing = g_string_new (NULL);
      const char *names[] = { t->record_id == NULL ? "record_id" : NULL, t->type == NULL ? "type" : NULL,
                              t->occurred_at == NULL ? "occurred_at" : NULL };

      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        if (names[i] != NULL)
          /* not translated: field names in the JSON */
          g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", names[i]);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                   /* Translators: %s lists field names such as "record_id, type",
                    * kept in English; custody-clock-log(5) is a manual page */
                   _ ("%s are missing: every event needs its custody record number, type and time "
                      "(see custody-clock-log(5))"),
                   missing->str);
      return NULL;
    }

  if (t->record_id == NULL)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                           /* Translators: record_id is a field name: keep it in English */
                           _ ("record_id is missing: every event needs its custody record number"));
      return NULL;
    }
  if (!ref_check_identifier ("record_id", t->record_id, MAX_RECORD_ID_CHARS, TRUE, error))
    return NULL;

  if (t->type == NULL)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                           /* Translators: type is a field name: keep it in English */
                           _ ("type is missing"));
      return NULL;
    }
  type = ref_event_type_from_string (t->type);
  if (type == CC_EVENT_INVALID)
    {
      g_autofree char *quoted = cc_quote_for_message (t->type, -1);
      g_autofree char *lower = g_utf8_validate (t->type, -1, NULL) ? g_utf8_strdown (t->type, -1) : NULL;

      const char *meant = g_utf8_validate (t->type, -1, NULL) ? cc_event_type_suggest (t->type) : NULL;

      if (ref_event_type_from_string (lower) != CC_EVENT_INVALID)
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_UNKNOWN_TYPE,
                     /* Translators: "type" is a field name, kept in English; %1$s is
                      * its value, quoted, and %2$s the event type it may have
                      * meant, such as "arrival", also kept in English */
                     _ ("type: %1$s is not an event type; did you mean “%2$s”?"),
                     quoted, lower);
      else if (meant != NULL)
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_UNKNOWN_TYPE,
                     /* Translators: "type" is a field name, kept in English; %1$s is
                      * its value, quoted, and %2$s the event type it may have
                      * meant, such as "arrival", also kept in English.
                      * custody-clock-log(5) is a manual page */
                     _ ("type: %1$s is not an event type; did you mean “%2$s”? (see custody-clock-log(5))"),
                     quoted, meant);
      else
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_UNKNOWN_TYPE,
                     /* Translators: "type" is a field name, kept in English; %s is
                      * its value, quoted.  custody-clock-log(5) is a manual page */
                     _ ("type: %s is not an event type (see the vocabulary in custody-clock-log(5))"),
                     quoted);
      return NULL;
    }

  if (t->occurred_at == NULL)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                           /* Translators: occurred_at is a field name: keep it in English */
                           _ ("occurred_at is missing: every event needs the time it happened"));
      return NULL;
    }
  if (!ref_parse_time_field ("occurred_at", t->occurred_at, assume_tz, &occurred_at, &had_offset, error))
    return NULL;
  if (t->recorded_at != NULL && t->lenient_recorded_at)
    {
      g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
      if (!cc_time_parse (t->recorded_at, utc, &recorded_at, NULL))
        recorded_at = CC_INSTANT_NONE;
    }
  else if (t->recorded_at != NULL &&
           !ref_parse_time_field ("recorded_at", t->recorded_at, assume_tz, &recorded_at, &had_offset, error))
    return NULL;

  if (t->officer != NULL &&
      !ref_check_identifier ("officer", t->officer, MAX_OFFICER_CHARS, FALSE, error))
    return NULL;

  if (t->supersedes != NULL)
    {
      if (!ref_check_identifier ("supersedes", t->supersedes, MAX_EVENT_ID_CHARS, TRUE, error))
        return NULL;
      if (strcmp (t->supersedes, t->event_id) == 0)
        {
          g_autofree char *quoted = cc_quote_for_message (t->supersedes, -1);
          g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                       /* Translators: supersedes and event_id are field names:
                        * keep them in English.  %s is the value of supersedes */
                       _ ("supersedes: %s is this event's own event_id"), quoted);
          return NULL;
        }
    }
  else if (type == CC_EVENT_VOID)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                           /* Translators: void is an event type, supersedes and
                            * event_id are field names: keep them in English */
                           _ ("void needs supersedes: the event_id of the event it removes"));
      return NULL;
    }

  if (!ref_validate_data (type, data, assume_tz, TRUE, error))
    return NULL;

  if (now != CC_INSTANT_NONE && occurred_at > now + CC_EVENT_MAX_FUTURE)
    {
      g_autofree char *when = cc_time_format_utc (occurred_at);
      g_autofree char *ahead = cc_duration_format (occurred_at - now);

      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_FUTURE,
                   /* Translators: occurred_at is a field name, kept in English;
                    * %1$s is its value (a UTC time) and %2$s how far ahead it
                    * is, such as "2h 05m" */
                   _ ("occurred_at %1$s is %2$s ahead of this machine's clock: check the writer's clock"),
                   when, ahead);
      return NULL;
    }

  event = ref_event_new (type, t->event_id, t->record_id, occurred_at, recorded_at, t->officer, data, t->data_json,
                     t->supersedes);
  event->seq = seq;
  return event;
}

static gboolean
ref_check_data_size (gsize    length,
                 GError **error)
{
  if (length <= CC_EVENT_MAX_DATA_BYTES)
    return TRUE;
  g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_OVERSIZED,
               /* Translators: data is a field name, kept in English.  %1$lu is
                * its size (the plural form follows it); %2$d is the limit,
                * always 65536 */
               g_dngettext (GETTEXT_PACKAGE, "data is %1$lu byte; it may be at most %2$d bytes",
                            "data is %1$lu bytes; it may be at most %2$d bytes", (gulong) length),
               (unsigned long) length, CC_EVENT_MAX_DATA_BYTES);
  return FALSE;
}

/* Reads the optional string member @name: absent and null give NULL. */
static gboolean
ref_get_string_member (JsonObject  *object,
                   const char  *name,
                   const char **out_text,
                   GError     **error)
{
  JsonNode        *node = json_object_get_member (object, name);
  g_autofree char *found = NULL;

  *out_text = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (ref_is_string_node (node))
    {
      *out_text = json_node_get_string (node);
      return TRUE;
    }
  found = ref_describe_node (node);
  g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
               /* Translators: %1$s is a field name such as "record_id", kept in
                * English; %2$s is the value found, quoted, or "an object" */
               _ ("%1$s must be a string, got %2$s"), name, found);
  return FALSE;
}

/**
 * ref_event_new_from_json_line:
 * @line: one line of JSON Lines (custody-log.md "Import format")
 * @length: length of @line in bytes, or -1 if it is nul-terminated
 * @assume_tz: (nullable): zone for times written without an offset
 *   (`--assume-tz`), or %NULL to require offsets
 * @now: the machine's time, for the future check, or %CC_INSTANT_NONE to
 *   skip it
 * @error: return location for a #CcEventError
 *
 * Parses and validates one imported event.  The line must be one strict JSON
 * object; unknown top-level members are ignored.  A missing `event_id` is
 * made up (32 hex digits, as the table's default), a missing `recorded_at`
 * is %CC_INSTANT_NONE (the caller uses the import time), a missing `data`
 * is `{}`.  Times in `data` written without an offset are read in
 * @assume_tz and stored back in UTC, so stored data always carries offsets.
 *
 * Every error message starts with the field it is about.
 *
 * Returns: (transfer full): the event, or %NULL on error
 */
CcEvent *
ref_event_new_from_json_line (const char *line,
                             gssize      length,
                             GTimeZone  *assume_tz,
                             CcInstant   now,
                             GError    **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonObject) data = NULL;
  g_autoptr (GError) json_error = NULL;
  g_autofree char *event_id = NULL;
  JsonObject      *object;
  JsonNode        *data_node;
  EventTexts       t = {
          NULL,
  };
  gsize len;

  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (line) : (gsize) length;
  /* Cheap refusal before any parsing: no valid event is this long. */
  if (len > CC_EVENT_MAX_LINE_BYTES)
    {
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_OVERSIZED,
                   /* Translators: %1$lu is the line's size (the plural form
                    * follows it); %2$d and %3$d are the limits, always 81920
                    * and 65536 bytes */
                   g_dngettext (GETTEXT_PACKAGE, "the line is %1$lu byte; an event may be at most %2$d bytes "
                                                 "(its data at most %3$d)",
                                "the line is %1$lu bytes; an event may be at most %2$d bytes "
                                "(its data at most %3$d)",
                                (gulong) len),
                   (unsigned long) len, CC_EVENT_MAX_LINE_BYTES, CC_EVENT_MAX_DATA_BYTES);
      return NULL;
    }
  if (!g_utf8_validate (line, len, NULL))
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                           _ ("the line is not valid UTF-8 text: re-export it as UTF-8"));
      return NULL;
    }

  root = ref_parse_json (line, len, &json_error);
  if (root == NULL)
    {
      g_set_error (error, json_error->domain, json_error->code,
                   /* Translators: %s says what is wrong, such as "invalid number
                    * at character 12" */
                   _ ("invalid JSON: %s"), json_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *found = ref_describe_node (root);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                   /* Translators: %s is what the line holds instead, such as "an
                    * array" or a quoted value */
                   _ ("the line must be a JSON object {…}, got %s"), found);
      return NULL;
    }
  object = json_node_get_object (root);

  if (!ref_get_string_member (object, "event_id", &t.event_id, error) ||
      !ref_get_string_member (object, "record_id", &t.record_id, error) ||
      !ref_get_string_member (object, "type", &t.type, error) ||
      !ref_get_string_member (object, "occurred_at", &t.occurred_at, error) ||
      !ref_get_string_member (object, "recorded_at", &t.recorded_at, error) ||
      !ref_get_string_member (object, "officer", &t.officer, error) ||
      !ref_get_string_member (object, "supersedes", &t.supersedes, error))
    return NULL;

  if (t.event_id == NULL)
    t.event_id = event_id = ref_generate_event_id ();

  data_node = json_object_get_member (object, "data");
  if (data_node == NULL || JSON_NODE_HOLDS_NULL (data_node))
    {
      data = json_object_new ();
    }
  else if (JSON_NODE_HOLDS_OBJECT (data_node))
    {
      g_autoptr (JsonNode) copy = json_node_init_object (json_node_alloc (), json_node_get_object (data_node));
      g_autofree char *text = json_to_string (copy, FALSE);

      if (!ref_check_data_size (strlen (text), error))
        return NULL;
      /* json-glib can write numbers it read as invalid JSON (1e20 comes
       * out as 1e+20.0); what is stored must read back. */
      if (!ref_json_check_strict (text, strlen (text), NULL))
        {
          g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                               /* Translators: data is a field name: keep it in English */
                               _ ("data holds a number this program cannot store exactly: "
                                  "write very large or very small numbers as strings"));
          return NULL;
        }
      data = json_object_ref (json_node_get_object (data_node));
    }
  else
    {
      g_autofree char *found = ref_describe_node (data_node);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: data is a field name, kept in English; %s is
                    * what it holds instead, such as "an array" or a quoted value */
                   _ ("data must be a JSON object, got %s"), found);
      return NULL;
    }

  return ref_event_from_texts (0, &t, data, assume_tz, now, error);
}

/**
 * ref_event_new_from_row:
 * @seq: the row's `seq`
 * @event_id: (nullable): the `event_id` column
 * @record_id: (nullable): the `record_id` column
 * @type: (nullable): the `type` column
 * @occurred_at: (nullable): the `occurred_at` column
 * @recorded_at: (nullable): the `recorded_at` column; %NULL gives
 *   %CC_INSTANT_NONE
 * @officer: (nullable): the `officer` column
 * @data: (nullable): the `data` column; %NULL counts as `{}`
 * @supersedes: (nullable): the `supersedes` column
 * @error: return location for a #CcEventError
 *
 * Makes an event from a custody_event row as SQLite holds it.  Other
 * systems write that table with plain SQL, so every column is checked as
 * strictly as an imported line: NULLs where values belong, text that is not
 * UTF-8, `data` that is not a JSON object.  Event times must carry an
 * offset; `recorded_at` without one is read as UTC (SQLite's own
 * CURRENT_TIMESTAMP), and an unreadable one as absent.  The future check is
 * left to the caller, which knows the time.
 *
 * Returns: (transfer full): the event, or %NULL on error
 */
CcEvent *
ref_event_new_from_row (gint64      seq,
                       const char *event_id,
                       const char *record_id,
                       const char *type,
                       const char *occurred_at,
                       const char *recorded_at,
                       const char *officer,
                       const char *data,
                       const char *supersedes,
                       GError    **error)
{
  g_autoptr (JsonObject) object = NULL;
  EventTexts t = {
    .event_id = event_id,
    .record_id = record_id,
    .type = type,
    .occurred_at = occurred_at,
    .recorded_at = recorded_at,
    .officer = officer,
    .supersedes = supersedes,
    .lenient_recorded_at = TRUE,
    .data_json = data,
  };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Most rows carry no data: no need to parse "{}". */
  if (data == NULL || strcmp (data, "{}") == 0)
    {
      object = json_object_new ();
    }
  else
    {
      g_autoptr (JsonNode) root = NULL;
      g_autoptr (GError) json_error = NULL;
      gsize length = strlen (data);

      if (!ref_check_data_size (length, error))
        return NULL;
      if (!g_utf8_validate (data, length, NULL))
        {
          g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                               /* Translators: data is a field name: keep it in English */
                               _ ("data is not valid UTF-8 text"));
          return NULL;
        }
      root = ref_parse_json (data, length, &json_error);
      if (root == NULL)
        {
          g_set_error (error, json_error->domain, json_error->code,
                       /* Translators: data is a field name, kept in English; %s
                        * says what is wrong, such as "invalid number at
                        * character 12" */
                       _ ("data is not valid JSON: %s"), json_error->message);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          g_autofree char *found = ref_describe_node (root);
          g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                       /* Translators: data is a field name, kept in English; %s is
                        * what it holds instead, such as "an array" or a quoted value */
                       _ ("data must be a JSON object, got %s"), found);
          return NULL;
        }
      /* What an event keeps, and what storing it writes, can be the
       * compact form json-glib writes, longer than the row's text where the
       * row holds a raw control character or DEL (one byte, written
       * \u007f: six).  Near the limit that form must fit too, or the event
       * would not read back from the row it is written as.  No byte grows
       * to more than six, so short data needs no second look. */
      if (length > CC_EVENT_MAX_DATA_BYTES / 6)
        {
          g_autofree char *compact = json_to_string (root, FALSE);

          if (!ref_check_data_size (strlen (compact), error))
            return NULL;
        }
      object = json_object_ref (json_node_get_object (root));
    }

  return ref_event_from_texts (seq, &t, object, NULL, CC_INSTANT_NONE, error);
}

/* The data of most events: nothing, and never freed. */
static const char empty_json[] = "{}";

/* DataKind and CcEventField: event-reference.h */

/* @data_json: (nullable): @data's text when the caller has it */
static void
ref_set_data (CcEvent    *event,
          JsonObject *data,
          const char *data_json)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GList) members = NULL;
  guint n = 0;

  if (data == NULL || json_object_get_size (data) == 0)
    {
      event->data_json = empty_json;
      return;
    }
  if (data_json != NULL)
    event->data_json = g_strdup (data_json);
  else
    {
      node = json_node_init_object (json_node_alloc (), data);
      event->data_json = json_to_string (node, FALSE);
    }

  members = json_object_get_members (data);
  event->fields = g_new0 (CcEventField, g_list_length (members));
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode     *value = json_object_get_member (data, l->data);
      CcEventField *f = &event->fields[n];

      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      f->key = g_quark_from_string (l->data);
      f->kind = DATA_OTHER;
      if (JSON_NODE_HOLDS_VALUE (value))
        {
          GType type = json_node_get_value_type (value);
          if (type == G_TYPE_BOOLEAN)
            {
              f->kind = DATA_BOOLEAN;
              f->b = json_node_get_boolean (value);
            }
          else if (type == G_TYPE_INT64)
            {
              f->kind = DATA_INT;
              f->i = json_node_get_int (value);
            }
          else if (type == G_TYPE_STRING)
            {
              f->kind = DATA_STRING;
              f->s = g_strdup (json_node_get_string (value));
            }
        }
      n++;
    }
  event->n_fields = n;

  /* When every field is a plain value (and no null was dropped), the
   * fields are the whole of the data: the text is not kept twice. */
  if (n == g_list_length (members))
    {
      gboolean scalar = TRUE;
      for (guint i = 0; i < n; i++)
        scalar &= event->fields[i].kind != DATA_OTHER;
      if (scalar)
        g_clear_pointer ((char **) &event->data_json, g_free);
    }
}

/**
 * cc_event_new:
 * @type: the event type
 * @event_id: (nullable): the writer's id, or %NULL to make one up
 * @record_id: the custody record number
 * @occurred_at: event time
 * @recorded_at: entry time, or %CC_INSTANT_NONE
 * @officer: (nullable): who keyed it
 * @data: (transfer none) (nullable): the `data` object, or %NULL for `{}`;
 *   a reference is taken, so do not change it afterwards
 * @supersedes: (nullable): the event_id this one replaces
 *
 * Makes an event as it is, without validation: use
 * ref_event_new_from_json_line() or ref_event_new_from_row() for input from
 * outside, or ref_event_validate_data() first.
 *
 * Returns: (transfer full): the event, with @seq 0
 */
static CcEvent *
ref_event_new (CcEventType type,
           const char *event_id,
           const char *record_id,
           CcInstant   occurred_at,
           CcInstant   recorded_at,
           const char *officer,
           JsonObject *data,
           const char *data_json,
           const char *supersedes)
{
  CcEvent *event;

  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  event = g_new0 (CcEvent, 1);
  g_atomic_ref_count_init (&event->ref_count);
  event->seq = 0;
  event->event_id = event_id != NULL ? g_strdup (event_id) : ref_generate_event_id ();
  /* A ledger holds tens of thousands of events; their record numbers are
   * a few hundred strings, shared. */
  event->record_id = g_intern_string (record_id);
  event->type = type;
  event->occurred_at = occurred_at;
  event->recorded_at = recorded_at;
  event->officer = g_strdup (officer);
  event->supersedes = g_strdup (supersedes);
  ref_set_data (event, data, data_json);
  return event;
}


void
ref_event_free (CcEvent *event)
{
  g_free (event->event_id);
  g_free (event->officer);
  if (event->data_json != empty_json)
    g_free ((char *) event->data_json);
  for (guint i = 0; i < event->n_fields; i++)
    if (event->fields[i].kind == DATA_STRING)
      g_free (event->fields[i].s);
  g_free (event->fields);
  g_free (event->supersedes);
  g_free (event);
}

gboolean
ref_event_data_is_empty (const CcEvent *event)
{
  return event->data_json == empty_json;
}
