/* cc-event.c: one custody event, its vocabulary and its validation
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything that can be judged from one event alone is judged here, the
 * same way for an imported JSON line and for a row some other system put in
 * the custody_event table: an event that passes is safe for the ledger and
 * the engine to use without further checks.  Rules between events (a second
 * arrival, a correction across records) belong to the ledger.
 *
 * The `data` fields of each type are described by one table (schemas[]),
 * which drives validation; adding a field to the vocabulary is one line.
 *
 * Reading rows is most of what this file is asked to do (every `status`,
 * every start of the agent reads the whole log), so that path is kept
 * cheap (issue 15): a row's data is read by a flat reader straight into the
 * members that validation and the event's fields are made from, with no
 * JsonObject; json-glib reads only what that reader leaves (nesting, \u
 * escapes, fractions, long numbers), into the same members, so there is one
 * validator.  What json-glib reads is checked against RFC 8259 first
 * (cc-json-scanner.c), since json-glib is lenient.  Messages are those the old code wrote, byte for byte:
 * tests/event-reference.c keeps the builder as it was, and test-event runs
 * both over the same rows.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-event.h"
#include "cc-json-scanner.h"
#include "cc-suggest.h"

/* Identifiers are keys and appear on the board and in notifications: they
 * are kept short and printable. */
#define MAX_RECORD_ID_CHARS 64
#define MAX_EVENT_ID_CHARS 128
#define MAX_OFFICER_CHARS 128

/* clang-format off */
G_DEFINE_QUARK (cc-event-error-quark, cc_event_error)
/* clang-format on */

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

/* Indexed by CcEventError. */
static const char *const error_code_names[] = {
  "invalid_json",
  "missing_field",
  "wrong_type",
  "unknown_type",
  "bad_time",
  "no_offset",
  "nonexistent_time",
  "ambiguous_time",
  "future",
  "oversized",
  "before_arrival",
  "second_arrival",
  "cross_record",
  "bad_value",
};
G_STATIC_ASSERT (G_N_ELEMENTS (error_code_names) == CC_EVENT_ERROR_BAD_VALUE + 1);

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

/**
 * cc_event_error_code_name:
 * @code: a #CcEventError
 *
 * The short, stable snake_case name of @code, such as `no_offset`: what
 * the quarantine table stores and the report counts by.
 *
 * Returns: (transfer none): the name, or `unknown` for a code outside
 *   #CcEventError
 */
const char *
cc_event_error_code_name (int code)
{
  if (code < 0 || code >= (int) G_N_ELEMENTS (error_code_names))
    return "unknown";
  return error_code_names[code];
}

/**
 * cc_event_type_to_string:
 * @type: an event type
 *
 * Returns: (transfer none): the vocabulary name of @type, e.g. `arrival`
 */
const char *
cc_event_type_to_string (CcEventType type)
{
  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, NULL);
  return schemas[type].name;
}

/* What each event is called where a person reads it (the timeline, the
 * board); the vocabulary names stay in the log, JSON and messages that
 * quote a field. */
static const char *const type_display_names[] = {
  [CC_EVENT_ARRIVAL] = NC_ ("event type", "arrival"),
  [CC_EVENT_DETENTION_AUTHORISED] = NC_ ("event type", "detention authorised"),
  [CC_EVENT_WELFARE_INFORMED] = NC_ ("event type", "person responsible for welfare informed"),
  [CC_EVENT_AA_REQUESTED] = NC_ ("event type", "appropriate adult called"),
  [CC_EVENT_AA_ARRIVED] = NC_ ("event type", "appropriate adult arrived"),
  [CC_EVENT_AA_LEFT] = NC_ ("event type", "appropriate adult left"),
  [CC_EVENT_HCP_REQUESTED] = NC_ ("event type", "healthcare professional requested"),
  [CC_EVENT_HCP_SEEN] = NC_ ("event type", "seen by a healthcare professional"),
  [CC_EVENT_LND_SEEN] = NC_ ("event type", "seen by liaison and diversion"),
  [CC_EVENT_HOSPITAL_LEFT] = NC_ ("event type", "left for hospital"),
  [CC_EVENT_HOSPITAL_RETURNED] = NC_ ("event type", "back from hospital"),
  [CC_EVENT_OBSERVATION_LEVEL] = NC_ ("event type", "observation level set"),
  [CC_EVENT_CELL_VISIT] = NC_ ("event type", "cell visit"),
  [CC_EVENT_MOVED] = NC_ ("event type", "moved"),
  [CC_EVENT_REST_STARTED] = NC_ ("event type", "rest period started"),
  [CC_EVENT_REST_ENDED] = NC_ ("event type", "rest period ended"),
  [CC_EVENT_MEAL_OFFERED] = NC_ ("event type", "meal offered"),
  [CC_EVENT_REVIEW] = NC_ ("event type", "detention reviewed"),
  [CC_EVENT_REVIEW_POSTPONED] = NC_ ("event type", "review postponed"),
  [CC_EVENT_EXTENSION_AUTHORISED] = NC_ ("event type", "extension authorised"),
  [CC_EVENT_WARRANT_GRANTED] = NC_ ("event type", "warrant of further detention granted"),
  [CC_EVENT_INTERVIEW_STARTED] = NC_ ("event type", "interview started"),
  [CC_EVENT_INTERVIEW_ENDED] = NC_ ("event type", "interview ended"),
  [CC_EVENT_STRIP_SEARCH] = NC_ ("event type", "strip search"),
  [CC_EVENT_CHARGED] = NC_ ("event type", "charged"),
  [CC_EVENT_BAIL_REFUSED] = NC_ ("event type", "bail refused"),
  [CC_EVENT_LA_REQUESTED] = NC_ ("event type", "local authority accommodation requested"),
  [CC_EVENT_LA_RESPONSE] = NC_ ("event type", "local authority replied"),
  [CC_EVENT_TRANSFERRED_TO_LA] = NC_ ("event type", "transferred to local authority accommodation"),
  [CC_EVENT_CERTIFICATE_ISSUED] = NC_ ("event type", "certificate issued"),
  [CC_EVENT_CP_REFERRAL] = NC_ ("event type", "child protection referral"),
  [CC_EVENT_LEFT_FOR_COURT] = NC_ ("event type", "left for court"),
  [CC_EVENT_RELEASED] = NC_ ("event type", "released"),
  [CC_EVENT_VOID] = NC_ ("event type", "entry voided"),
};

/**
 * cc_event_type_display_name:
 * @type: an event type
 *
 * Returns: (transfer none): @type as a person reads it, translated, in lower
 *   case as in running text: "appropriate adult arrived"
 */
const char *
cc_event_type_display_name (CcEventType type)
{
  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "event type", type_display_names[type]);
}

/**
 * cc_event_type_from_string:
 * @name: (nullable): a vocabulary name, e.g. `arrival`
 *
 * Looks a type up by its exact name: the vocabulary is lower case, and
 * `Arrival` is not in it.
 *
 * Returns: the type, or %CC_EVENT_INVALID
 */
CcEventType
cc_event_type_from_string (const char *name)
{
  /* Every row of the log is looked up here, and a strcmp() down the whole
   * vocabulary cost more than the rest of reading the type: the names are
   * grouped by their first letter (a table made once from schemas[], so it
   * cannot drift from it), which leaves one to five to compare. */
  static gsize  ready = 0;
  static guint8 first[27]; /* 'a' + i: names from by_letter[first[i]] */
  static guint8 by_letter[CC_EVENT_N_TYPES];
  guint         letter;

  if (g_once_init_enter (&ready))
    {
      guint n = 0;

      for (guint c = 0; c < 26; c++)
        {
          first[c] = (guint8) n;
          for (int i = 0; i < CC_EVENT_N_TYPES; i++)
            if (schemas[i].name[0] == (char) ('a' + c))
              by_letter[n++] = (guint8) i;
        }
      first[26] = (guint8) n;
      g_assert (n == CC_EVENT_N_TYPES);
      g_once_init_leave (&ready, 1);
    }

  if (name == NULL || name[0] < 'a' || name[0] > 'z')
    return CC_EVENT_INVALID;
  letter = (guint) (name[0] - 'a');
  for (guint k = first[letter]; k < first[letter + 1]; k++)
    if (strcmp (schemas[by_letter[k]].name + 1, name + 1) == 0)
      return (CcEventType) by_letter[k];
  return CC_EVENT_INVALID;
}

/**
 * cc_event_type_describe_fields:
 * @type: an event type
 *
 * The `data` fields of @type as `record` takes them, from the table that
 * validates them (so the help cannot drift from the rules): required fields
 * bare, optional ones in brackets, each with what it holds, e.g.
 * `suite=TEXT child=TEXT [dob=YYYY-MM-DD] [appears_under_18=true|false]`.
 * The placeholders are syntax, as in custody-clock-log(5), and stay English.
 *
 * Returns: (transfer full): the description; empty for a type with no fields
 */
char *
cc_event_type_describe_fields (CcEventType type)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, NULL);

  for (const FieldSpec *spec = schemas[type].fields; spec->name != NULL; spec++)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (!spec->required)
        g_string_append_c (out, '[');
      g_string_append_printf (out, "%s=", spec->name);
      switch (spec->kind)
        {
        case KIND_STRING:
          g_string_append (out, "TEXT");
          break;
        case KIND_BOOLEAN:
          g_string_append (out, "true|false");
          break;
        case KIND_INTEGER:
          g_string_append_printf (out, "%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, spec->min, spec->max);
          break;
        case KIND_INSTANT:
          g_string_append (out, "TIME");
          break;
        case KIND_DATE:
          g_string_append (out, "YYYY-MM-DD");
          break;
        case KIND_ENUM:
          for (const char *const *v = spec->values; *v != NULL; v++)
            g_string_append_printf (out, "%s%s", v == spec->values ? "" : "|", *v);
          break;
        case KIND_RANK:
          g_string_append (out, "RANK");
          break;
        default:
          g_assert_not_reached ();
        }
      if (!spec->required)
        g_string_append_c (out, ']');
    }
  return g_string_free (out, FALSE);
}

/**
 * cc_event_type_suggest:
 * @name: an event type as typed, not in the vocabulary
 *
 * Returns: (transfer none) (nullable): the vocabulary name @name most
 *   probably meant ("did you mean"), or %NULL
 */
const char *
cc_event_type_suggest (const char *name)
{
  const char *names[CC_EVENT_N_TYPES];

  g_return_val_if_fail (name != NULL, NULL);
  for (int i = 0; i < CC_EVENT_N_TYPES; i++)
    names[i] = schemas[i].name;
  return cc_suggest_closest (name, names, CC_EVENT_N_TYPES);
}

/**
 * cc_event_type_closes_record:
 * @type: an event type
 *
 * Returns: %TRUE if @type ends the detention (`released`,
 *   `transferred_to_la`, `left_for_court`): after it no clock runs
 */
gboolean
cc_event_type_closes_record (CcEventType type)
{
  return type == CC_EVENT_RELEASED ||
         type == CC_EVENT_TRANSFERRED_TO_LA ||
         type == CC_EVENT_LEFT_FOR_COURT;
}

/**
 * cc_rank_from_string:
 * @name: (nullable): a rank, e.g. `inspector`
 *
 * Looks a rank up.  Case, spaces and hyphens are forgiven (`Chief
 * Inspector` is `chief_inspector`), since ranks come from other systems'
 * exports and a review must not be lost to a capital letter.  Police staff
 * custody officers (`custody_officer`, `police_staff`) count as sergeant
 * (clocks.md).
 *
 * Returns: the rank, or %CC_RANK_UNKNOWN
 */
CcRank
cc_rank_from_string (const char *name)
{
  g_autofree char *key = NULL;
  char            *p;
  gsize            i;

  if (name == NULL)
    return CC_RANK_UNKNOWN;

  key = g_ascii_strdown (name, -1);
  for (p = key; *p != '\0'; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';

  for (i = 0; i < G_N_ELEMENTS (rank_names); i++)
    if (strcmp (rank_names[i], key) == 0)
      return (CcRank) i;
  if (strcmp (key, "custody_officer") == 0 || strcmp (key, "police_staff") == 0)
    return CC_RANK_SERGEANT;
  return CC_RANK_UNKNOWN;
}

/**
 * cc_rank_to_string:
 * @rank: a rank
 *
 * Returns: (transfer none) (nullable): the canonical name of @rank, or
 *   %NULL for %CC_RANK_UNKNOWN
 */
const char *
cc_rank_to_string (CcRank rank)
{
  if (rank < 0 || rank >= (CcRank) G_N_ELEMENTS (rank_names))
    return NULL;
  return rank_names[rank];
}

/* How a JSON value looks in a message: “text” for strings, 42 for numbers. */
static char *
describe_node (JsonNode *node)
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

/* The members of `data`
 * ====================== */

/* What validation and the event's fields are made from, however `data` was
 * read: by read_flat_data() below, which is how nearly every row is read,
 * or by json-glib for the rest (members_from_object()).  One validator for
 * both means a value cannot pass one way and fail the other. */
typedef enum
{
  MEMBER_NULL,
  MEMBER_BOOLEAN,
  MEMBER_INT,
  MEMBER_STRING,
  MEMBER_OTHER, /* a double, an object or an array */
} MemberKind;

typedef struct
{
  const char *key;
  MemberKind  kind;
  gboolean    b;
  gint64      i;
  const char *s;
  JsonNode   *node;  /* (nullable): the value, when json-glib read it */
  GQuark      quark; /* @key's, once validation has matched it to a field */
} Member;

/* More members than this are left to json-glib: real data has at most a
 * dozen, and looking keys up in a short array beats hashing them. */
#define FLAT_MAX_MEMBERS 32
/* The most fields one type's schema has (arrival's nine), with room. */
#define MAX_TYPE_FIELDS 16

/* How @m looks in a message, as describe_node() would write it: the flat
 * reader keeps no JsonNode, and for a string, a boolean or a whole number
 * json-glib's text is known without one (json_to_string() writes whole
 * numbers with G_GINT64_FORMAT). */
static char *
describe_member (const Member *m)
{
  char number[24];

  if (m->node != NULL)
    return describe_node (m->node);
  switch (m->kind)
    {
    case MEMBER_STRING:
      return cc_quote_for_message (m->s, -1);
    case MEMBER_BOOLEAN:
      return cc_quote_for_message (m->b ? "true" : "false", -1);
    case MEMBER_INT:
      g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, m->i);
      return cc_quote_for_message (number, -1);
    case MEMBER_NULL:
      return g_strdup ("null");
    case MEMBER_OTHER:
    default:
      g_assert_not_reached ();
    }
}

/* Past JSON's four spaces. */
static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* A JSON string at @p (just past its opening quote), decoded into *@out,
 * which it moves past the string's closing NUL.  NULL for what this reader
 * leaves to the strict check and json-glib: \u escapes, raw control
 * characters (which the strict check refuses), no closing quote. */
static const char *
read_flat_string (const char *p,
                  const char *end,
                  char      **out,
                  guchar     *high)
{
  char *o = *out;

  while (p < end)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        {
          *o++ = '\0';
          *out = o;
          return p + 1;
        }
      if (c < 0x20)
        return NULL;
      if (c != '\\')
        {
          *high |= c;
          *o++ = (char) c;
          p++;
          continue;
        }
      if (p + 1 >= end)
        return NULL;
      switch (p[1])
        {
        case '"':
        case '\\':
        case '/':
          *o++ = p[1];
          break;
        case 'b':
          *o++ = '\b';
          break;
        case 'f':
          *o++ = '\f';
          break;
        case 'n':
          *o++ = '\n';
          break;
        case 'r':
          *o++ = '\r';
          break;
        case 't':
          *o++ = '\t';
          break;
        default:
          return NULL;
        }
      p += 2;
    }
  return NULL;
}

/* The common case of a row's data, read without json-glib, straight into
 * @members (at most FLAT_MAX_MEMBERS): one object of strings, booleans,
 * nulls and whole numbers of up to 18 characters.  The strings are decoded
 * into @scratch, which must hold @length + 1 bytes (decoding never makes a
 * string longer, and its closing quote makes room for its NUL).  Whether
 * the text is all ASCII (so needs no UTF-8 check) comes back in
 * @out_ascii: outside strings, only ASCII can be read at all.
 *
 * Reading the log is most of what `status` and the agent's start-up cost,
 * so this reader is also the strict check for what it takes: it accepts
 * only RFC 8259 text (no leading zeros, nothing after the object, the four
 * JSON spaces), so anything it returns TRUE for cc_json_scanner_check() would
 * pass, and anything else (FALSE) goes through the strict check and
 * json-glib as before, with their messages.  A repeated key keeps its first
 * place and takes the last value, as JsonObject does. */
static gboolean
read_flat_data (const char *text,
                gsize       length,
                char       *scratch,
                Member     *members,
                guint      *out_n,
                gboolean   *out_ascii)
{
  const char *p = text, *end = text + length;
  guint       n = 0;
  guchar      high = 0;

  p = skip_space (p, end);
  if (p >= end || *p++ != '{')
    return FALSE;
  p = skip_space (p, end);
  if (p < end && *p == '}')
    p++;
  else
    for (;;)
      {
        Member      value = { NULL };
        const char *key = scratch;
        guint       i;

        if (p >= end || *p != '"' || (p = read_flat_string (p + 1, end, &scratch, &high)) == NULL)
          return FALSE;
        p = skip_space (p, end);
        if (p >= end || *p++ != ':')
          return FALSE;
        p = skip_space (p, end);
        if (p >= end)
          return FALSE;
        if (*p == '"')
          {
            value.kind = MEMBER_STRING;
            value.s = scratch;
            if ((p = read_flat_string (p + 1, end, &scratch, &high)) == NULL)
              return FALSE;
          }
        else if (end - p >= 4 && memcmp (p, "true", 4) == 0)
          {
            value.kind = MEMBER_BOOLEAN;
            value.b = TRUE;
            p += 4;
          }
        else if (end - p >= 5 && memcmp (p, "false", 5) == 0)
          {
            value.kind = MEMBER_BOOLEAN;
            value.b = FALSE;
            p += 5;
          }
        else if (end - p >= 4 && memcmp (p, "null", 4) == 0)
          {
            value.kind = MEMBER_NULL;
            p += 4;
          }
        else if (*p == '-' || g_ascii_isdigit (*p))
          {
            const char *start = p;
            const char *digits;
            gint64      number = 0;

            if (*p == '-')
              p++;
            digits = p;
            if (p < end && *p == '0')
              p++;
            else if (p < end && g_ascii_isdigit (*p))
              while (p < end && g_ascii_isdigit (*p))
                p++;
            else
              return FALSE;
            /* Fractions, exponents and long numbers are json-glib's; 18
             * characters cannot overflow. */
            if (p - start > 18 || (p < end && (*p == '.' || *p == 'e' || *p == 'E')))
              return FALSE;
            for (const char *d = digits; d < p; d++)
              number = number * 10 + (*d - '0');
            value.kind = MEMBER_INT;
            value.i = *start == '-' ? -number : number;
          }
        else
          return FALSE;

        for (i = 0; i < n && strcmp (members[i].key, key) != 0; i++)
          ;
        if (i == n)
          {
            if (n == FLAT_MAX_MEMBERS)
              return FALSE;
            n++;
          }
        value.key = key;
        members[i] = value;

        p = skip_space (p, end);
        if (p < end && *p == ',')
          {
            p = skip_space (p + 1, end);
            continue;
          }
        if (p < end && *p == '}')
          {
            p++;
            break;
          }
        return FALSE;
      }
  if (skip_space (p, end) != end)
    return FALSE;
  *out_n = n;
  *out_ascii = high < 0x80;
  return TRUE;
}

/* @data as validate_members() reads it: into @buffer when it has room,
 * else into a new array (returned, for the caller to free).  The members
 * borrow @data's keys and strings. */
static Member *
members_from_object (JsonObject *data,
                     Member     *buffer,
                     guint       buffer_size,
                     guint      *out_n)
{
  guint          size = json_object_get_size (data);
  Member        *members = size <= buffer_size ? buffer : g_new (Member, size);
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *node;
  guint          n = 0;

  json_object_iter_init_ordered (&iter, data);
  while (n < size && json_object_iter_next_ordered (&iter, &key, &node))
    {
      Member *m = &members[n++];

      *m = (Member){ .key = key, .kind = MEMBER_OTHER, .node = node };
      if (JSON_NODE_HOLDS_NULL (node))
        m->kind = MEMBER_NULL;
      else if (JSON_NODE_HOLDS_VALUE (node))
        switch (json_node_get_value_type (node))
          {
          case G_TYPE_BOOLEAN:
            m->kind = MEMBER_BOOLEAN;
            m->b = json_node_get_boolean (node);
            break;
          case G_TYPE_INT64:
            m->kind = MEMBER_INT;
            m->i = json_node_get_int (node);
            break;
          case G_TYPE_STRING:
            m->kind = MEMBER_STRING;
            m->s = json_node_get_string (node);
            break;
          default:
            break; /* a double */
          }
    }
  *out_n = n;
  return members;
}

/* The event itself
 * ================ */

/* The data of most events: nothing, and never freed. */
static const char empty_json[] = "{}";

/* How an event keeps its data: the compact JSON (what the table stores)
 * and the top-level fields the clocks read, unboxed.  Nulls are left out:
 * a null field counts as absent. */
typedef enum
{
  DATA_BOOLEAN,
  DATA_INT,
  DATA_STRING,
  DATA_OTHER, /* a double, an object or an array: present, never read */
} DataKind;

struct _CcEventField
{
  GQuark   key;
  DataKind kind;
  union
  {
    gboolean b;
    gint64   i;
    char    *s;
  };
};
typedef struct _CcEventField CcEventField;

static char *
generate_event_id (void)
{
  /* The same shape as the table's default, lower(hex(randomblob(16))). */
  return g_strdup_printf ("%08x%08x%08x%08x",
                          g_random_int (), g_random_int (),
                          g_random_int (), g_random_int ());
}

/* @event's fields from @members (nulls left out: a null field counts as
 * absent).  Returns whether they are the whole of the data, so that its
 * text need not be kept twice: FALSE when a member is a null, a double,
 * an object or an array. */
static gboolean
set_fields (CcEvent      *event,
            const Member *members,
            guint         n_members)
{
  gboolean scalar = TRUE;
  guint    n = 0;

  if (n_members == 0)
    {
      event->data_json = empty_json;
      return TRUE;
    }

  event->fields = g_new0 (CcEventField, n_members);
  for (guint i = 0; i < n_members; i++)
    {
      const Member *m = &members[i];
      CcEventField *f = &event->fields[n];

      switch (m->kind)
        {
        case MEMBER_NULL:
          scalar = FALSE;
          continue;
        case MEMBER_BOOLEAN:
          f->kind = DATA_BOOLEAN;
          f->b = m->b;
          break;
        case MEMBER_INT:
          f->kind = DATA_INT;
          f->i = m->i;
          break;
        case MEMBER_STRING:
          f->kind = DATA_STRING;
          f->s = g_strdup (m->s);
          break;
        case MEMBER_OTHER:
        default:
          f->kind = DATA_OTHER;
          scalar = FALSE;
          break;
        }
      f->key = m->quark != 0 ? m->quark : g_quark_from_string (m->key);
      n++;
    }
  event->n_fields = n;
  return scalar;
}

/* The event without its data: what every way of making one shares. */
static CcEvent *
event_alloc (CcEventType type,
             const char *event_id,
             const char *record_id,
             CcInstant   occurred_at,
             CcInstant   recorded_at,
             const char *officer,
             const char *supersedes)
{
  CcEvent *event = g_new0 (CcEvent, 1);

  g_atomic_ref_count_init (&event->ref_count);
  event->seq = 0;
  event->event_id = event_id != NULL ? g_strdup (event_id) : generate_event_id ();
  /* A ledger holds tens of thousands of events; their record numbers are
   * a few hundred strings, shared. */
  event->record_id = g_intern_string (record_id);
  event->type = type;
  event->occurred_at = occurred_at;
  event->recorded_at = recorded_at;
  event->officer = g_strdup (officer);
  event->supersedes = g_strdup (supersedes);
  return event;
}

/* An event from its data as an object (a line's, or a caller's), whose
 * text is written out when the fields are not all of it. */
static CcEvent *
event_new (CcEventType type,
           const char *event_id,
           const char *record_id,
           CcInstant   occurred_at,
           CcInstant   recorded_at,
           const char *officer,
           JsonObject *data,
           const char *supersedes)
{
  CcEvent           *event = event_alloc (type, event_id, record_id, occurred_at, recorded_at, officer, supersedes);
  Member             buffer[FLAT_MAX_MEMBERS];
  guint              n = 0;
  Member            *members = data != NULL ? members_from_object (data, buffer, G_N_ELEMENTS (buffer), &n) : buffer;
  g_autofree Member *heap = members != buffer ? members : NULL;

  if (!set_fields (event, members, n))
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), data);

      event->data_json = json_to_string (node, FALSE);
    }
  return event;
}

/* A row's event, from the members it was validated as: the same fields
 * event_new() would make from the JsonObject of the same text, without
 * making one.  @data_json is the row's text, kept only when the fields are
 * not all of it (a null, a double, an object or an array). */
static CcEvent *
event_new_from_members (CcEventType   type,
                        const char   *event_id,
                        const char   *record_id,
                        CcInstant     occurred_at,
                        CcInstant     recorded_at,
                        const char   *officer,
                        const Member *members,
                        guint         n_members,
                        const char   *data_json,
                        const char   *supersedes)
{
  CcEvent *event = event_alloc (type, event_id, record_id, occurred_at, recorded_at, officer, supersedes);

  if (!set_fields (event, members, n_members))
    event->data_json = g_strdup (data_json);
  return event;
}

/* Validation
 * ========== */

static int
event_code_for_time_error (const GError *time_error)
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
parse_time_field (const char *field,
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

  g_set_error (error, CC_EVENT_ERROR, event_code_for_time_error (time_error),
               "%s: %s", field, time_error->message);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* "a, b or c", for a message. */
static char *
join_values (const char *const *values)
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

/* A field of @spec's kind holds @m, a JSON value of the wrong type. */
static gboolean
wrong_type (const FieldSpec *spec,
            const Member    *m,
            GError         **error)
{
  g_autofree char *found = describe_member (m);
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
      allowed = join_values (spec->values);
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
is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* @m: (nullable): the member @spec names, if @data has it.  A time read
 * through @assume_tz is returned in @out_normalised, in UTC, for the
 * caller to write back. */
static gboolean
validate_field (CcEventType      type,
                const FieldSpec *spec,
                const Member    *m,
                GTimeZone       *assume_tz,
                char           **out_normalised,
                GError         **error)
{
  const char *text = NULL;

  if (m == NULL || m->kind == MEMBER_NULL)
    {
      if (!spec->required)
        return TRUE;
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                   /* Translators: %1$s is an event type such as "arrival" and
                    * %2$s a field name such as "suite": both are kept in English */
                   _ ("%1$s needs data.%2$s"), schemas[type].name, spec->name);
      return FALSE;
    }

  if (m->kind == MEMBER_STRING)
    text = m->s;

  switch (spec->kind)
    {
    case KIND_STRING:
      if (text == NULL)
        return wrong_type (spec, m, error);
      if (spec->required && is_blank (text))
        {
          g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                       /* Translators: %1$s is an event type such as "arrival" and
                        * %2$s a field name such as "suite": both are kept in English */
                       _ ("%1$s needs data.%2$s (it is empty)"), schemas[type].name, spec->name);
          return FALSE;
        }
      return TRUE;

    case KIND_BOOLEAN:
      if (m->kind != MEMBER_BOOLEAN)
        return wrong_type (spec, m, error);
      return TRUE;

    case KIND_INTEGER:
      {
        g_autofree char *found = NULL;
        gint64           value;

        if (m->kind != MEMBER_INT)
          return wrong_type (spec, m, error);
        value = m->i;
        if (value >= spec->min && value <= spec->max)
          return TRUE;
        found = describe_member (m);
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
          return wrong_type (spec, m, error);
        if (!parse_time_field (field, text, assume_tz, &instant, &had_offset, error))
          return FALSE;
        /* The zone was only known to this import: stored data must stand on
         * its own, so the time is written back in UTC. */
        if (!had_offset && out_normalised != NULL)
          *out_normalised = cc_time_format_utc (instant);
        return TRUE;
      }

    case KIND_DATE:
      {
        g_autoptr (GError) date_error = NULL;

        if (text == NULL)
          return wrong_type (spec, m, error);
        if (cc_date_parse (text, NULL, &date_error))
          return TRUE;
        if (g_error_matches (date_error, CC_TIME_ERROR, CC_TIME_ERROR_SYNTAX))
          return wrong_type (spec, m, error);
        g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_BAD_VALUE,
                     "data.%s: %s", spec->name, date_error->message);
        return FALSE;
      }

    case KIND_ENUM:
      {
        g_autofree char *allowed = NULL;
        g_autofree char *found = NULL;

        if (text == NULL)
          return wrong_type (spec, m, error);
        if (g_strv_contains (spec->values, text))
          return TRUE;
        allowed = join_values (spec->values);
        found = describe_member (m);
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
          return wrong_type (spec, m, error);
        if (cc_rank_from_string (text) != CC_RANK_UNKNOWN)
          return TRUE;
        found = describe_member (m);
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

static Member *
find_member (Member     *members,
             guint       n_members,
             const char *name)
{
  for (guint i = 0; i < n_members; i++)
    if (strcmp (members[i].key, name) == 0)
      return &members[i];
  return NULL;
}

/* The quark of each schema field's name, made once: an event's field keys
 * are quarks, and g_quark_from_string() takes a global lock and a hash
 * each time, for names that are nearly always these. */
static const GQuark *
schema_quarks (CcEventType type)
{
  static gsize  ready = 0;
  static GQuark quarks[CC_EVENT_N_TYPES][MAX_TYPE_FIELDS];

  if (g_once_init_enter (&ready))
    {
      for (int t = 0; t < CC_EVENT_N_TYPES; t++)
        for (guint f = 0; schemas[t].fields[f].name != NULL; f++)
          {
            g_assert (f < MAX_TYPE_FIELDS);
            quarks[t][f] = g_quark_from_static_string (schemas[t].fields[f].name);
          }
      g_once_init_leave (&ready, 1);
    }
  return quarks[type];
}

/* The one validator, for rows, lines and cc_event_validate_data().  With
 * @normalise_into, times read through @assume_tz are written back to it in
 * UTC, once every field has passed: writing a member replaces its key,
 * which @members borrows. */
static gboolean
validate_members (CcEventType type,
                  Member     *members,
                  guint       n_members,
                  GTimeZone  *assume_tz,
                  JsonObject *normalise_into,
                  GError    **error)
{
  const GQuark    *quarks = schema_quarks (type);
  const FieldSpec *spec;
  g_autoptr (GString) missing = NULL;
  guint            n_missing = 0;
  const FieldSpec *normalised_spec[MAX_TYPE_FIELDS];
  char            *normalised[MAX_TYPE_FIELDS];
  guint            n_normalised = 0;
  gboolean         ok = TRUE;

  /* Every missing required field at once (issue 14 item 13): a writer
   * told of one at a time mends a line once per field. */
  for (spec = schemas[type].fields; spec->name != NULL; spec++)
    {
      const Member *m;

      if (!spec->required)
        continue;
      m = find_member (members, n_members, spec->name);
      if (m != NULL && m->kind != MEMBER_NULL && !(spec->kind == KIND_STRING && m->kind == MEMBER_STRING && is_blank (m->s)))
        continue;
      if (missing == NULL)
        missing = g_string_new (NULL);
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

  for (spec = schemas[type].fields; ok && spec->name != NULL; spec++)
    {
      Member *m = find_member (members, n_members, spec->name);
      char   *utc = NULL;

      if (m != NULL)
        m->quark = quarks[spec - schemas[type].fields];
      ok = validate_field (type, spec, m, assume_tz, normalise_into != NULL ? &utc : NULL, error);
      if (utc != NULL)
        {
          g_assert (n_normalised < MAX_TYPE_FIELDS);
          normalised_spec[n_normalised] = spec;
          normalised[n_normalised++] = utc;
        }
    }
  for (guint i = 0; i < n_normalised; i++)
    {
      if (ok)
        json_object_set_string_member (normalise_into, normalised_spec[i]->name, normalised[i]);
      g_free (normalised[i]);
    }
  return ok;
}

static gboolean
validate_data (CcEventType type,
               JsonObject *data,
               GTimeZone  *assume_tz,
               gboolean    normalise,
               GError    **error)
{
  Member             buffer[FLAT_MAX_MEMBERS];
  guint              n;
  g_autofree Member *heap = NULL;
  Member            *members = members_from_object (data, buffer, G_N_ELEMENTS (buffer), &n);

  if (members != buffer)
    heap = members;
  return validate_members (type, members, n, assume_tz, normalise ? data : NULL, error);
}

/**
 * cc_event_validate_data:
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
cc_event_validate_data (CcEventType type,
                        JsonObject *data,
                        GError    **error)
{
  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return validate_data (type, data, NULL, FALSE, error);
}

/* Identifiers end up as keys, on the board and in notifications.  A space
 * at either end would make a second custody record that looks like the
 * first, so it is refused rather than trimmed.
 *
 * Four identifiers a row, every row of the log: almost all of them
 * printable ASCII, which is valid UTF-8, holds no control character and
 * has as many characters as bytes, so one pass over the bytes settles it.
 * Any other byte (above 0x7e, a C0 control or DEL) sends the whole text
 * through the full checks, in their order, so the verdict and the message
 * are the same either way: C1 controls, being above 0x7e, are found there
 * as before. */
static gboolean
check_identifier (const char *field,
                  const char *text,
                  glong       max_chars,
                  gboolean    trim_matters,
                  GError    **error)
{
  const char *p;
  gsize       length;
  glong       n_chars;

  if (text[0] == '\0')
    {
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                   /* Translators: %s is a field name such as "record_id", kept in
                    * English */
                   _ ("%s is empty"), field);
      return FALSE;
    }

  for (p = text; (guchar) *p >= 0x20 && (guchar) *p < 0x7f; p++)
    ;
  if (*p == '\0')
    {
      length = (gsize) (p - text);
      n_chars = (glong) length;
    }
  else
    {
      length = strlen (text);
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
      n_chars = g_utf8_strlen (text, -1);
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
  if (n_chars > max_chars)
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

/* The validation shared by JSON lines and rows.  @members are the data's;
 * a line's data is also given as @data, which is normalised in place (with
 * @assume_tz) and what the event is made from.  A row's event is made from
 * @members, with @t's data_json as its text. */
static CcEvent *
event_from_texts (gint64            seq,
                  const EventTexts *t,
                  Member           *members,
                  guint             n_members,
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
  if (!check_identifier ("event_id", t->event_id, MAX_EVENT_ID_CHARS, TRUE, error))
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
  if (!check_identifier ("record_id", t->record_id, MAX_RECORD_ID_CHARS, TRUE, error))
    return NULL;

  if (t->type == NULL)
    {
      g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                           /* Translators: type is a field name: keep it in English */
                           _ ("type is missing"));
      return NULL;
    }
  type = cc_event_type_from_string (t->type);
  if (type == CC_EVENT_INVALID)
    {
      g_autofree char *quoted = cc_quote_for_message (t->type, -1);
      g_autofree char *lower = g_utf8_validate (t->type, -1, NULL) ? g_utf8_strdown (t->type, -1) : NULL;

      const char *meant = g_utf8_validate (t->type, -1, NULL) ? cc_event_type_suggest (t->type) : NULL;

      if (cc_event_type_from_string (lower) != CC_EVENT_INVALID)
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
  if (!parse_time_field ("occurred_at", t->occurred_at, assume_tz, &occurred_at, &had_offset, error))
    return NULL;
  if (t->recorded_at != NULL && t->lenient_recorded_at)
    {
      g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
      if (!cc_time_parse (t->recorded_at, utc, &recorded_at, NULL))
        recorded_at = CC_INSTANT_NONE;
    }
  else if (t->recorded_at != NULL &&
           !parse_time_field ("recorded_at", t->recorded_at, assume_tz, &recorded_at, &had_offset, error))
    return NULL;

  if (t->officer != NULL &&
      !check_identifier ("officer", t->officer, MAX_OFFICER_CHARS, FALSE, error))
    return NULL;

  if (t->supersedes != NULL)
    {
      if (!check_identifier ("supersedes", t->supersedes, MAX_EVENT_ID_CHARS, TRUE, error))
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

  if (!validate_members (type, members, n_members, assume_tz, data, error))
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

  if (data != NULL)
    event = event_new (type, t->event_id, t->record_id, occurred_at, recorded_at, t->officer, data, t->supersedes);
  else
    event = event_new_from_members (type, t->event_id, t->record_id, occurred_at, recorded_at, t->officer, members,
                                    n_members, t->data_json, t->supersedes);
  event->seq = seq;
  return event;
}

static gboolean
check_data_size (gsize    length,
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
get_string_member (JsonObject  *object,
                   const char  *name,
                   const char **out_text,
                   GError     **error)
{
  JsonNode        *node = json_object_get_member (object, name);
  g_autofree char *found = NULL;

  *out_text = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (is_string_node (node))
    {
      *out_text = json_node_get_string (node);
      return TRUE;
    }
  found = describe_node (node);
  g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
               /* Translators: %1$s is a field name such as "record_id", kept in
                * English; %2$s is the value found, quoted, or "an object" */
               _ ("%1$s must be a string, got %2$s"), name, found);
  return FALSE;
}

/**
 * cc_event_new_from_json_line:
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
cc_event_new_from_json_line (const char *line,
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

  root = cc_json_scanner_parse (line, len, &json_error);
  if (root == NULL)
    {
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                   /* Translators: %s says what is wrong, such as "invalid number
                    * at character 12" */
                   _ ("invalid JSON: %s"), json_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *found = describe_node (root);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                   /* Translators: %s is what the line holds instead, such as "an
                    * array" or a quoted value */
                   _ ("the line must be a JSON object {…}, got %s"), found);
      return NULL;
    }
  object = json_node_get_object (root);

  if (!get_string_member (object, "event_id", &t.event_id, error) ||
      !get_string_member (object, "record_id", &t.record_id, error) ||
      !get_string_member (object, "type", &t.type, error) ||
      !get_string_member (object, "occurred_at", &t.occurred_at, error) ||
      !get_string_member (object, "recorded_at", &t.recorded_at, error) ||
      !get_string_member (object, "officer", &t.officer, error) ||
      !get_string_member (object, "supersedes", &t.supersedes, error))
    return NULL;

  if (t.event_id == NULL)
    t.event_id = event_id = generate_event_id ();

  data_node = json_object_get_member (object, "data");
  if (data_node == NULL || JSON_NODE_HOLDS_NULL (data_node))
    {
      data = json_object_new ();
    }
  else if (JSON_NODE_HOLDS_OBJECT (data_node))
    {
      g_autoptr (JsonNode) copy = json_node_init_object (json_node_alloc (), json_node_get_object (data_node));
      g_autofree char *text = json_to_string (copy, FALSE);

      if (!check_data_size (strlen (text), error))
        return NULL;
      /* json-glib can write numbers it read as invalid JSON (1e20 comes
       * out as 1e+20.0); what is stored must read back. */
      if (!cc_json_scanner_check (text, -1, NULL))
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
      g_autofree char *found = describe_node (data_node);
      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                   /* Translators: data is a field name, kept in English; %s is
                    * what it holds instead, such as "an array" or a quoted value */
                   _ ("data must be a JSON object, got %s"), found);
      return NULL;
    }

  {
    Member             buffer[FLAT_MAX_MEMBERS];
    guint              n;
    Member            *members = members_from_object (data, buffer, G_N_ELEMENTS (buffer), &n);
    g_autofree Member *heap = members != buffer ? members : NULL;

    return event_from_texts (0, &t, members, n, data, assume_tz, now, error);
  }
}

/**
 * cc_event_new_from_row:
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
cc_event_new_from_row (gint64      seq,
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
  g_autoptr (JsonNode) root = NULL;
  Member             buffer[FLAT_MAX_MEMBERS];
  Member            *members = buffer;
  g_autofree Member *heap_members = NULL;
  guint              n_members = 0;
  char               scratch[1024];
  g_autofree char   *heap_scratch = NULL;
  EventTexts         t = {
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
  if (data != NULL && strcmp (data, "{}") != 0)
    {
      g_autoptr (GError) json_error = NULL;
      gsize    length = strlen (data);
      gboolean flat = FALSE;
      gboolean ascii = FALSE;

      if (!check_data_size (length, error))
        return NULL;
      /* Long data is left to json-glib, for the check below.  The flat
       * reader has no messages of its own, so it may go before the UTF-8
       * check, and spares it for ASCII text (nearly all). */
      if (length <= CC_EVENT_MAX_DATA_BYTES / 6)
        {
          char *into = length < sizeof scratch ? scratch : (heap_scratch = g_malloc (length + 1));

          flat = read_flat_data (data, length, into, buffer, &n_members, &ascii);
        }
      if (!(flat && ascii) && !g_utf8_validate (data, length, NULL))
        {
          g_set_error_literal (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                               /* Translators: data is a field name: keep it in English */
                               _ ("data is not valid UTF-8 text"));
          return NULL;
        }
      if (!flat)
        {
          root = cc_json_scanner_parse (data, length, &json_error);
          if (root == NULL)
            {
              g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                           /* Translators: data is a field name, kept in English; %s
                            * says what is wrong, such as "invalid number at
                            * character 12" */
                           _ ("data is not valid JSON: %s"), json_error->message);
              return NULL;
            }
          if (!JSON_NODE_HOLDS_OBJECT (root))
            {
              g_autofree char *found = describe_node (root);
              g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_WRONG_TYPE,
                           /* Translators: data is a field name, kept in English; %s is
                            * what it holds instead, such as "an array" or a quoted value */
                           _ ("data must be a JSON object, got %s"), found);
              return NULL;
            }
          /* What an event keeps, and what storing it writes, can be the
           * compact form json-glib writes, longer than the row's text where
           * the row holds a raw control character or DEL (one byte, written
           * \u007f: six).  Near the limit that form must fit too, or the
           * event would not read back from the row it is written as.  No
           * byte grows to more than six, so short data needs no second
           * look. */
          if (length > CC_EVENT_MAX_DATA_BYTES / 6)
            {
              g_autofree char *compact = json_to_string (root, FALSE);

              if (!check_data_size (strlen (compact), error))
                return NULL;
            }
          members = members_from_object (json_node_get_object (root), buffer, G_N_ELEMENTS (buffer), &n_members);
          if (members != buffer)
            heap_members = members;
        }
    }

  return event_from_texts (seq, &t, members, n_members, NULL, NULL, CC_INSTANT_NONE, error);
}

/* Making, sharing and reading events
 * ==================================== */

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
 * cc_event_new_from_json_line() or cc_event_new_from_row() for input from
 * outside, or cc_event_validate_data() first.
 *
 * Returns: (transfer full): the event, with @seq 0
 */
CcEvent *
cc_event_new (CcEventType type,
              const char *event_id,
              const char *record_id,
              CcInstant   occurred_at,
              CcInstant   recorded_at,
              const char *officer,
              JsonObject *data,
              const char *supersedes)
{
  /* Here, not in event_new(): the builders have checked both already. */
  g_return_val_if_fail (type >= 0 && type < CC_EVENT_N_TYPES, NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  return event_new (type, event_id, record_id, occurred_at, recorded_at, officer, data, supersedes);
}

/**
 * cc_event_ref:
 * @event: an event
 *
 * Returns: (transfer full): @event
 */
CcEvent *
cc_event_ref (CcEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  g_atomic_ref_count_inc (&event->ref_count);
  return event;
}

/**
 * cc_event_unref:
 * @event: (transfer full) (nullable): an event
 *
 * Drops a reference, freeing @event with the last one.
 */
void
cc_event_unref (CcEvent *event)
{
  if (event == NULL)
    return;
  if (!g_atomic_ref_count_dec (&event->ref_count))
    return;

  g_free (event->event_id);
  g_free (event->officer);
  if (event->data_json != empty_json)
    g_free ((char *) event->data_json); /* NULL when the fields are all of it */
  for (guint i = 0; i < event->n_fields; i++)
    if (event->fields[i].kind == DATA_STRING)
      g_free (event->fields[i].s);
  g_free (event->fields);
  g_free (event->supersedes);
  g_free (event);
}

/**
 * cc_event_data_to_string:
 * @event: an event
 *
 * Returns: (transfer full): @event's `data` as JSON, exactly as stored in
 *   the `data` column (compact for events that were imported or keyed)
 */
char *
cc_event_data_to_string (const CcEvent *event)
{
  g_autoptr (JsonObject) data = NULL;
  g_autoptr (JsonNode) node = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  if (event->data_json != NULL)
    return g_strdup (event->data_json);
  data = cc_event_get_data (event);
  node = json_node_init_object (json_node_alloc (), data);
  return json_to_string (node, FALSE);
}

/**
 * cc_event_get_data:
 * @event: an event
 *
 * Returns: (transfer full): @event's `data`, parsed
 */
JsonObject *
cc_event_get_data (const CcEvent *event)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_return_val_if_fail (event != NULL, NULL);

  /* Only scalar fields: they are the whole of it. */
  if (event->data_json == NULL)
    {
      JsonObject *data = json_object_new ();

      for (guint i = 0; i < event->n_fields; i++)
        {
          const CcEventField *f = &event->fields[i];
          const char         *key = g_quark_to_string (f->key);

          if (f->kind == DATA_BOOLEAN)
            json_object_set_boolean_member (data, key, f->b);
          else if (f->kind == DATA_INT)
            json_object_set_int_member (data, key, f->i);
          else if (f->kind == DATA_STRING)
            json_object_set_string_member (data, key, f->s);
        }
      return data;
    }

  if (json_parser_load_from_data (parser, event->data_json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));
  return json_object_new ();
}

static const CcEventField *
find_field (const CcEvent *event,
            const char    *field)
{
  GQuark key = g_quark_try_string (field);

  if (key == 0)
    return NULL;
  for (guint i = 0; i < event->n_fields; i++)
    if (event->fields[i].key == key)
      return &event->fields[i];
  return NULL;
}

/**
 * cc_event_get_string:
 * @event: an event
 * @field: a `data` field name
 *
 * Returns: (transfer none) (nullable): the string value of @field, or %NULL
 *   when it is absent, null or not a string
 */
const char *
cc_event_get_string (const CcEvent *event,
                     const char    *field)
{
  const CcEventField *f;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  f = find_field (event, field);
  return f != NULL && f->kind == DATA_STRING ? f->s : NULL;
}

/**
 * cc_event_get_boolean:
 * @event: an event
 * @field: a `data` field name
 * @default_value: the value when @field is absent, null or not a boolean
 *
 * Returns: the boolean value of @field, or @default_value
 */
gboolean
cc_event_get_boolean (const CcEvent *event,
                      const char    *field,
                      gboolean       default_value)
{
  const CcEventField *f;

  g_return_val_if_fail (event != NULL, default_value);
  g_return_val_if_fail (field != NULL, default_value);

  f = find_field (event, field);
  return f != NULL && f->kind == DATA_BOOLEAN ? f->b : default_value;
}

/**
 * cc_event_has_field:
 * @event: an event
 * @field: a `data` field name
 *
 * Returns: %TRUE if @field is present and not null
 */
gboolean
cc_event_has_field (const CcEvent *event,
                    const char    *field)
{
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  return find_field (event, field) != NULL;
}

/**
 * cc_event_get_int:
 * @event: an event
 * @field: a `data` field name
 * @default_value: the value when @field is absent, null or not a whole
 *   number
 *
 * Returns: the integer value of @field, or @default_value
 */
gint64
cc_event_get_int (const CcEvent *event,
                  const char    *field,
                  gint64         default_value)
{
  const CcEventField *f;

  g_return_val_if_fail (event != NULL, default_value);
  g_return_val_if_fail (field != NULL, default_value);

  f = find_field (event, field);
  return f != NULL && f->kind == DATA_INT ? f->i : default_value;
}

/**
 * cc_event_get_instant:
 * @event: an event
 * @field: a `data` field name holding an RFC 3339 time with offset
 *
 * Returns: the instant in @field, or %CC_INSTANT_NONE when it is absent,
 *   null or not a time with an offset
 */
CcInstant
cc_event_get_instant (const CcEvent *event,
                      const char    *field)
{
  const char *text;
  CcInstant   instant;

  g_return_val_if_fail (event != NULL, CC_INSTANT_NONE);
  g_return_val_if_fail (field != NULL, CC_INSTANT_NONE);

  text = cc_event_get_string (event, field);
  if (text == NULL || !cc_time_parse (text, NULL, &instant, NULL))
    return CC_INSTANT_NONE;
  return instant;
}
