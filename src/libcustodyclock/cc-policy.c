/* cc-policy.c: the policy file (thresholds, switches, escalation)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A GKeyFile, one group per clock or rule (interfaces.md).  Unknown groups
 * and keys are errors: a typo in a safety threshold must not pass silently.
 * The statutory schedules (PACE ss.40–44) can only be made stricter and the
 * statutory rules cannot be switched off; local thresholds can be changed
 * freely, and loosening one is accepted with a warning so that the custody
 * lead sees it in `custody-clock policy --check`.
 *
 * Every message has the shape "FILE: [group] key=value: what is wrong;
 * allowed: …", so that the person editing the file can find the line.
 *
 * cc_policy_digest() names the settings for what is kept in the database
 * under a policy (the report's cache and summaries): it hashes the
 * settings lines of cc_policy_to_string() without its comments, which are
 * translated, so that the same settings give the same digest in every
 * language and a new setting is in the digest without another list.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-paths.h"
#include "cc-policy.h"
#include "cc-suggest.h"

/* clang-format off */
G_DEFINE_QUARK (cc-policy-error-quark, cc_policy_error)
/* clang-format on */

/* PACE s.40(3): the first review no later than 6 h after detention was
 * authorised, the next ones no more than 9 h apart. */
#define REVIEW_FIRST_MAX (6 * CC_HOUR)
#define REVIEW_INTERVAL_MAX (9 * CC_HOUR)
/* PACE s.41(1): the base detention limit, the shortest the clock can run. */
#define DETENTION_BASE_LIMIT (24 * CC_HOUR)
/* Code C 12.2: rest is counted in windows of 24 hours. */
#define REST_WINDOW (24 * CC_HOUR)

typedef enum
{
  KIND_BOOL,
  KIND_DURATION,
  KIND_OPTIONAL_DURATION, /* a duration, or "none" / "0" for no warning */
  KIND_LEVEL,
  KIND_TIMEZONE,
  KIND_LADDER,
} KeyKind;

/* Where a key's value lives in a CcPolicy. */
typedef enum
{
  FIELD_ENABLED,
  FIELD_WARN,
  FIELD_DUE,
  FIELD_ESCALATE_TO,
  FIELD_TIMEZONE,
  FIELD_PRIVACY,
  FIELD_ACK_TIMEOUT,
  FIELD_LADDER,
  FIELD_LATE_ENTRY,
  FIELD_REVIEW_FIRST,
  FIELD_REVIEW_INTERVAL,
  FIELD_REVIEW_WARN_BEFORE,
  FIELD_REVIEW_GRACE,
  FIELD_LIMIT_WARN_BEFORE,
  FIELD_CELL_INTERVAL,
  FIELD_CELL_INTERVAL_2,
  FIELD_REST_MIN,
  FIELD_REST_WARN_AFTER,
} Field;

typedef struct
{
  const char *key;
  KeyKind     kind;
  Field       field;
} KeyDef;

static const KeyDef display_keys[] = {
  { "timezone", KIND_TIMEZONE, FIELD_TIMEZONE },
  { "privacy", KIND_BOOL, FIELD_PRIVACY },
  { NULL, 0, 0 },
};
static const KeyDef escalation_keys[] = {
  { "ack_timeout", KIND_DURATION, FIELD_ACK_TIMEOUT },
  { "ladder", KIND_LADDER, FIELD_LADDER },
  { NULL, 0, 0 },
};
static const KeyDef report_keys[] = {
  { "late_entry", KIND_DURATION, FIELD_LATE_ENTRY },
  { NULL, 0, 0 },
};
static const KeyDef simple_clock_keys[] = {
  { "enabled", KIND_BOOL, FIELD_ENABLED },
  { "warn_after", KIND_OPTIONAL_DURATION, FIELD_WARN },
  { "breach_after", KIND_DURATION, FIELD_DUE },
  { "escalate_to", KIND_LEVEL, FIELD_ESCALATE_TO },
  { NULL, 0, 0 },
};
/* The statutory clocks have no "enabled": see statutory_enabled(). */
static const KeyDef review_keys[] = {
  { "first_after", KIND_DURATION, FIELD_REVIEW_FIRST },
  { "interval", KIND_DURATION, FIELD_REVIEW_INTERVAL },
  { "warn_before", KIND_DURATION, FIELD_REVIEW_WARN_BEFORE },
  { "postponed_grace", KIND_DURATION, FIELD_REVIEW_GRACE },
  { "escalate_to", KIND_LEVEL, FIELD_ESCALATE_TO },
  { NULL, 0, 0 },
};
static const KeyDef limit_keys[] = {
  { "warn_before", KIND_DURATION, FIELD_LIMIT_WARN_BEFORE },
  { "escalate_to", KIND_LEVEL, FIELD_ESCALATE_TO },
  { NULL, 0, 0 },
};
static const KeyDef cell_keys[] = {
  { "enabled", KIND_BOOL, FIELD_ENABLED },
  { "interval", KIND_DURATION, FIELD_CELL_INTERVAL },
  { "interval_level2", KIND_DURATION, FIELD_CELL_INTERVAL_2 },
  { "escalate_to", KIND_LEVEL, FIELD_ESCALATE_TO },
  { NULL, 0, 0 },
};
static const KeyDef rest_keys[] = {
  { "enabled", KIND_BOOL, FIELD_ENABLED },
  { "min_rest", KIND_DURATION, FIELD_REST_MIN },
  { "warn_after", KIND_DURATION, FIELD_REST_WARN_AFTER },
  { "escalate_to", KIND_LEVEL, FIELD_ESCALATE_TO },
  { NULL, 0, 0 },
};
static const KeyDef rule_keys[] = {
  { "enabled", KIND_BOOL, FIELD_ENABLED },
  { "escalate_to", KIND_LEVEL, FIELD_ESCALATE_TO },
  { NULL, 0, 0 },
};

/* The law or guidance behind each clock and rule (clocks.md), printed above
 * its group so that whoever edits the file knows what they are changing. */
static const char *const clock_basis[CC_N_CLOCKS] = {
  /* Translators: the basis texts follow a clock's or rule's name in a comment
   * of the policy file that `custody-clock policy` prints, e.g. "# Cell visit
   * — Code C 9.3".  Code C is the PACE Code of Practice C; PACE is the Police
   * and Criminal Evidence Act 1984; s. and ss. are section and sections; the
   * Concordat is the Concordat on Children in Custody.  Cite them as the
   * translated text of the law does. */
  N_ ("Code C 3.13; 1 h is local policy"),
  N_ ("Code C 3.15; 30 min is local policy"),
  N_ ("Code C 3.15; the inspectorate called a 4 h wait unacceptable"),
  N_ ("Code C 9.5"),
  N_ ("PACE s.40 (statutory): may only be made stricter"),
  N_ ("PACE ss.41–44 (statutory): the limits are fixed by law; only the warning can change"),
  N_ ("Code C 9.3"),
  N_ ("Code C 12.2"),
  N_ ("PACE s.38(6), Concordat principle 2; 30 min is local policy"),
  N_ ("PACE s.38(6), Concordat; Code C 16.7"),
};
static const char *const rule_basis[CC_N_RULES] = {
  /* Translators: the basis of a rule, in a comment of the policy file that
   * `custody-clock policy` prints; see "Code C 3.13; 1 h is local policy" */
  N_ ("Code C 11.15, 11.18"),
  N_ ("Code C Annex A 11(c)"),
  N_ ("2024 Home Office consultation on Codes A and C; local policy"),
  N_ ("Code C 16.1"),
  N_ ("Code C 8.8"),
  N_ ("Code C 8.8"),
  N_ ("Concordat principles 4 and 6"),
  N_ ("PACE s.38(7) (statutory): cannot be switched off"),
  N_ ("inspectorate recommendation; local policy"),
  N_ ("PACE s.42 (statutory): cannot be switched off"),
  N_ ("PACE s.40(1)(b) (statutory): cannot be switched off"),
};

/* The sections named when a file tries to switch a statutory check off
 * (translated: a Welsh text of the law cites sections its own way). */
static const char *
statutory_law (int clock,
               int rule)
{
  if (clock == CC_CLOCK_REVIEW)
    /* Translators: section 40 of the Police and Criminal Evidence Act 1984 */
    return _ ("PACE s.40");
  if (clock == CC_CLOCK_DETENTION_LIMIT)
    /* Translators: sections 41 to 44 of the Police and Criminal Evidence Act 1984 */
    return _ ("PACE ss.41–44");
  if (rule == CC_RULE_EXTENSION_INVALID)
    /* Translators: section 42 of the Police and Criminal Evidence Act 1984 */
    return _ ("PACE s.42");
  if (rule == CC_RULE_REVIEW_RANK)
    /* Translators: section 40(1)(b) of the Police and Criminal Evidence Act 1984 */
    return _ ("PACE s.40(1)(b)");
  if (rule == CC_RULE_CERTIFICATE_MISSING)
    /* Translators: section 38(7) of the Police and Criminal Evidence Act 1984 */
    return _ ("PACE s.38(7)");
  /* Translators: the Police and Criminal Evidence Act 1984 */
  return _ ("PACE");
}

static const KeyDef *
keys_for_clock (CcClockId clock)
{
  switch (clock)
    {
    case CC_CLOCK_REVIEW:
      return review_keys;
    case CC_CLOCK_DETENTION_LIMIT:
      return limit_keys;
    case CC_CLOCK_CELL_VISIT:
      return cell_keys;
    case CC_CLOCK_REST:
      return rest_keys;
    case CC_CLOCK_WELFARE_INFORMED:
    case CC_CLOCK_AA_REQUESTED:
    case CC_CLOCK_AA_ARRIVED:
    case CC_CLOCK_HEALTHCARE:
    case CC_CLOCK_ACCOMMODATION_REQUESTED:
    case CC_CLOCK_POST_CHARGE_TRANSFER:
      return simple_clock_keys;
    case CC_N_CLOCKS:
    default:
      g_assert_not_reached ();
    }
}

/**
 * cc_policy_new_default:
 *
 * The built-in policy: the defaults of clocks.md, every clock and rule on.
 *
 * Returns: (transfer full): a new policy; free with cc_policy_unref()
 */
CcPolicy *
cc_policy_new_default (void)
{
  static const CcClockPolicy clocks[CC_N_CLOCKS] = {
    [CC_CLOCK_WELFARE_INFORMED] = { TRUE, 0, 1 * CC_HOUR, CC_LEVEL_SERGEANT },
    [CC_CLOCK_AA_REQUESTED] = { TRUE, 15 * CC_MINUTE, 30 * CC_MINUTE, CC_LEVEL_SERGEANT },
    [CC_CLOCK_AA_ARRIVED] = { TRUE, 2 * CC_HOUR, 4 * CC_HOUR, CC_LEVEL_INSPECTOR },
    [CC_CLOCK_HEALTHCARE] = { TRUE, 1 * CC_HOUR, 2 * CC_HOUR, CC_LEVEL_SERGEANT },
    [CC_CLOCK_REVIEW] = { TRUE, 0, 0, CC_LEVEL_INSPECTOR },
    [CC_CLOCK_DETENTION_LIMIT] = { TRUE, 0, 0, CC_LEVEL_SUPERINTENDENT },
    [CC_CLOCK_CELL_VISIT] = { TRUE, 0, 0, CC_LEVEL_SERGEANT },
    [CC_CLOCK_REST] = { TRUE, 0, 0, CC_LEVEL_SERGEANT },
    [CC_CLOCK_ACCOMMODATION_REQUESTED] = { TRUE, 0, 30 * CC_MINUTE, CC_LEVEL_SERGEANT },
    [CC_CLOCK_POST_CHARGE_TRANSFER] = { TRUE, 2 * CC_HOUR, 4 * CC_HOUR, CC_LEVEL_INSPECTOR },
  };
  static const CcLevel rules[CC_N_RULES] = {
    [CC_RULE_INTERVIEW_WITHOUT_AA] = CC_LEVEL_INSPECTOR,
    [CC_RULE_STRIP_SEARCH_WITHOUT_AA] = CC_LEVEL_INSPECTOR,
    [CC_RULE_STRIP_SEARCH_AUTHORITY] = CC_LEVEL_INSPECTOR,
    [CC_RULE_CHARGED_WITHOUT_AA] = CC_LEVEL_SERGEANT,
    [CC_RULE_CELL_WITH_ADULT] = CC_LEVEL_INSPECTOR,
    [CC_RULE_CELL_WITHOUT_REASON] = CC_LEVEL_SERGEANT,
    [CC_RULE_LA_REFUSED] = CC_LEVEL_INSPECTOR,
    [CC_RULE_CERTIFICATE_MISSING] = CC_LEVEL_INSPECTOR,
    [CC_RULE_CP_REFERRAL_MISSING] = CC_LEVEL_SERGEANT,
    [CC_RULE_EXTENSION_INVALID] = CC_LEVEL_SUPERINTENDENT,
    [CC_RULE_REVIEW_RANK] = CC_LEVEL_INSPECTOR,
  };
  CcPolicy *policy = g_new0 (CcPolicy, 1);

  g_atomic_ref_count_init (&policy->ref_count);
  policy->timezone = g_strdup (CC_DEFAULT_TIMEZONE);
  policy->tz = cc_time_zone_new (CC_DEFAULT_TIMEZONE, NULL);
  if (policy->tz == NULL)
    policy->tz = g_time_zone_new_utc (); /* no tzdata: instants stay right, only display shifts */
  policy->privacy = TRUE;
  policy->ack_timeout = 15 * CC_MINUTE;
  policy->ladder[0] = CC_LEVEL_SERGEANT;
  policy->ladder[1] = CC_LEVEL_INSPECTOR;
  policy->ladder[2] = CC_LEVEL_SUPERINTENDENT;
  policy->ladder_length = 3;
  policy->late_entry = 15 * CC_MINUTE;
  memcpy (policy->clocks, clocks, sizeof clocks);
  for (int r = 0; r < CC_N_RULES; r++)
    {
      policy->rules[r].enabled = TRUE;
      policy->rules[r].escalate_to = rules[r];
    }
  policy->review_first = REVIEW_FIRST_MAX;
  policy->review_interval = REVIEW_INTERVAL_MAX;
  policy->review_warn_before = 30 * CC_MINUTE;
  policy->review_postponed_grace = 1 * CC_HOUR;
  policy->limit_warn_before = 4 * CC_HOUR;
  policy->cell_interval = 60 * CC_MINUTE;
  policy->cell_interval_level2 = 30 * CC_MINUTE;
  policy->rest_min = 8 * CC_HOUR;
  policy->rest_warn_after = 16 * CC_HOUR;
  return policy;
}

/**
 * cc_policy_ref:
 * @policy: a policy
 *
 * Returns: (transfer full): @policy, with one more reference
 */
CcPolicy *
cc_policy_ref (CcPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  g_atomic_ref_count_inc (&policy->ref_count);
  return policy;
}

/**
 * cc_policy_unref:
 * @policy: (nullable) (transfer full): a policy
 *
 * Drops a reference; the last one frees the policy and its zone.
 */
void
cc_policy_unref (CcPolicy *policy)
{
  if (policy == NULL || !g_atomic_ref_count_dec (&policy->ref_count))
    return;
  g_free (policy->timezone);
  g_time_zone_unref (policy->tz);
  g_free (policy);
}

static CcPolicy *
policy_copy (const CcPolicy *base)
{
  CcPolicy *copy = g_new (CcPolicy, 1);

  memcpy (copy, base, sizeof *copy);
  g_atomic_ref_count_init (&copy->ref_count);
  copy->timezone = g_strdup (base->timezone);
  copy->tz = g_time_zone_ref (base->tz);
  return copy;
}

/**
 * cc_policy_equal:
 * @a: a policy
 * @b: another policy
 *
 * Whether two policies would make every clock and rule behave the same
 * (the agent reloads on SIGHUP and need not re-evaluate for an unchanged
 * policy; the tests check that cc_policy_to_string() loses nothing).
 *
 * Returns: %TRUE when every setting is the same
 */
gboolean
cc_policy_equal (const CcPolicy *a,
                 const CcPolicy *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (g_strcmp0 (a->timezone, b->timezone) != 0 || a->privacy != b->privacy ||
      a->ack_timeout != b->ack_timeout || a->ladder_length != b->ladder_length ||
      a->late_entry != b->late_entry || a->review_first != b->review_first ||
      a->review_interval != b->review_interval || a->review_warn_before != b->review_warn_before ||
      a->review_postponed_grace != b->review_postponed_grace ||
      a->limit_warn_before != b->limit_warn_before || a->cell_interval != b->cell_interval ||
      a->cell_interval_level2 != b->cell_interval_level2 || a->rest_min != b->rest_min ||
      a->rest_warn_after != b->rest_warn_after)
    return FALSE;
  for (guint i = 0; i < a->ladder_length; i++)
    if (a->ladder[i] != b->ladder[i])
      return FALSE;
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      const CcClockPolicy *x = &a->clocks[c], *y = &b->clocks[c];

      if (!x->enabled != !y->enabled || x->warn != y->warn || x->due != y->due ||
          x->escalate_to != y->escalate_to)
        return FALSE;
    }
  for (int r = 0; r < CC_N_RULES; r++)
    if (!a->rules[r].enabled != !b->rules[r].enabled || a->rules[r].escalate_to != b->rules[r].escalate_to)
      return FALSE;
  return TRUE;
}

/* A duration as a policy file writes it, in the form cc_duration_parse()
 * reads back: 4h, 1h30m, 90s, 2d.  Whole days only when nothing is left
 * over, because "1d6h" reads worse than "30h" for a custody time. */
static char *
compact_duration (gint64 seconds)
{
  g_autoptr (GString) s = g_string_new (NULL);

  if (seconds >= CC_DAY && seconds % CC_DAY == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d", seconds / CC_DAY);
  if (seconds >= CC_HOUR)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "h", seconds / CC_HOUR);
  if (seconds % CC_HOUR >= CC_MINUTE)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "m", seconds % CC_HOUR / CC_MINUTE);
  if (seconds % CC_MINUTE != 0 || s->len == 0)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "s", seconds % CC_MINUTE);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A warning threshold: "none" when there is no warning. */
static char *
compact_optional_duration (gint64 seconds)
{
  return seconds > 0 ? compact_duration (seconds) : g_strdup ("none");
}

/* The closest known name, for "did you mean “x”?", or %NULL when none is
 * close enough to be a misspelling (cc_suggest_closest()). */
static const char *
suggestion (const char *wrong,
            GPtrArray  *known)
{
  return cc_suggest_closest (wrong, (const char *const *) known->pdata, known->len);
}

static GPtrArray *
known_groups (void)
{
  GPtrArray *groups = g_ptr_array_new ();

  g_ptr_array_add (groups, (gpointer) "display");
  g_ptr_array_add (groups, (gpointer) "escalation");
  g_ptr_array_add (groups, (gpointer) "report");
  for (int c = 0; c < CC_N_CLOCKS; c++)
    g_ptr_array_add (groups, (gpointer) cc_clock_to_string (c));
  for (int r = 0; r < CC_N_RULES; r++)
    g_ptr_array_add (groups, (gpointer) cc_rule_to_string (r));
  return groups;
}

/* Which keys a group takes; sets the clock or rule it is about (or -1). */
static const KeyDef *
keys_for_group (const char *group,
                int        *out_clock,
                int        *out_rule)
{
  *out_clock = cc_clock_from_string (group);
  *out_rule = cc_rule_from_string (group);
  if (g_str_equal (group, "display"))
    return display_keys;
  if (g_str_equal (group, "escalation"))
    return escalation_keys;
  if (g_str_equal (group, "report"))
    return report_keys;
  if (*out_clock >= 0)
    return keys_for_clock (*out_clock);
  if (*out_rule >= 0)
    return rule_keys;
  return NULL;
}

/* interfaces.md writes comments after values ("privacy=true  # …"), but
 * GKeyFile only knows whole-line comments and keeps the rest as part of the
 * value, so the tail is cut here.  A '#' counts only after a blank: no
 * value of this file contains one, and "Etc/GMT#" is no zone anyway. */
static char *
strip_value (const char *raw)
{
  char *value = g_strdup (raw);

  for (char *p = value; *p != '\0'; p++)
    if (*p == '#' && p > value && (p[-1] == ' ' || p[-1] == '\t'))
      {
        *p = '\0';
        break;
      }
  return g_strstrip (value);
}

/* The key being read, for messages. */
typedef struct
{
  const char *name; /* the file */
  GPtrArray  *warnings;
  const char *group;
  const char *key;
  const char *value; /* stripped of any trailing comment */
} Ctx;

/* Sets @error to "FILE: [group] key=value: MESSAGE". */
static gboolean G_GNUC_PRINTF (4, 5)
  fail (const Ctx  *ctx,
        GError    **error,
        int         code,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CC_POLICY_ERROR, code, "%s: [%s] %s=%s: %s", ctx->name, ctx->group, ctx->key,
               ctx->value, message);
  return FALSE;
}

/* Adds "FILE: [group] key=value: MESSAGE" to the warnings. */
static void G_GNUC_PRINTF (2, 3)
  warn (const Ctx  *ctx,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  if (ctx->warnings == NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (ctx->warnings, g_strdup_printf ("%s: [%s] %s=%s: %s", ctx->name, ctx->group, ctx->key,
                                                   ctx->value, message));
}

/* Looser is allowed for local policy, but never silently. */
static void
warn_looser (const Ctx *ctx,
             gint64     default_seconds)
{
  g_autofree char *d = compact_optional_duration (default_seconds);

  if (ctx->warnings == NULL)
    return;
  g_ptr_array_add (ctx->warnings,
                   /* Translators: a warning about a policy file: %1$s is the file, %2$s the
                    * [group], %3$s the key and %4$s its value as written in the file, %5$s
                    * the built-in default (e.g. "30m", or "none" for no warning) */
                   g_strdup_printf (_ ("%1$s: [%2$s] %3$s=%4$s is looser than the default %5$s"), ctx->name,
                                    ctx->group, ctx->key, ctx->value, d));
}

static void
warn_if_larger (const Ctx *ctx,
                gint64     value,
                gint64     default_value)
{
  if (value > default_value)
    warn_looser (ctx, default_value);
}

static void
warn_if_smaller (const Ctx *ctx,
                 gint64     value,
                 gint64     default_value)
{
  if (value < default_value)
    warn_looser (ctx, default_value);
}

/* GKeyFile's own booleans (true, false, 1, 0); the message names the words. */
static gboolean
parse_bool (const Ctx *ctx,
            gboolean  *out,
            GError   **error)
{
  if (g_str_equal (ctx->value, "true") || g_str_equal (ctx->value, "1"))
    *out = TRUE;
  else if (g_str_equal (ctx->value, "false") || g_str_equal (ctx->value, "0"))
    *out = FALSE;
  else
    return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                 /* Translators: a policy file error, after "FILE: [group] key=value: ";
                  * true and false are the words to write in the file and stay as they are */
                 _ ("not a yes-or-no value; allowed: true or false"));
  return TRUE;
}

/* A duration of at least 1s (tests and demonstrations use 1s); a warning
 * may also be "none" (or "0"), which switches the warning off. */
static gboolean
parse_duration (const Ctx *ctx,
                gboolean   optional,
                gint64    *out,
                GError   **error)
{
  g_autoptr (GError) local_error = NULL;

  if (optional && (g_str_equal (ctx->value, "none") || g_str_equal (ctx->value, "0")))
    {
      *out = 0;
      return TRUE;
    }
  if (cc_duration_parse (ctx->value, out, &local_error))
    return TRUE;
  if (g_error_matches (local_error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE))
    {
      g_autofree char *most = compact_duration (CC_DURATION_MAX);

      return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                   /* Translators: a policy file error, after "FILE: [group] key=value: "; %s is
                    * the longest duration allowed, as written in the file (e.g. "36500d"); 1s
                    * and none are written in the file and stay as they are */
                   optional ? _ ("out of range; allowed: from 1s to %s, or none for no warning")
                            /* Translators: as above, without the choice of none */
                            : _ ("out of range; allowed: from 1s to %s"),
                   most);
    }
  return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
               /* Translators: a policy file error, after "FILE: [group] key=value: "; the
                * units d, h, m, s, the examples and none are written in the file and stay
                * as they are */
               optional ? _ ("not a duration; allowed: whole numbers with units d, h, m, s in that order, "
                             "such as 90s, 30m, 4h or 1h30m, or none for no warning")
                        /* Translators: as above, without the choice of none */
                        : _ ("not a duration; allowed: whole numbers with units d, h, m, s in that order, "
                             "such as 90s, 30m, 4h or 1h30m"));
}

static gboolean
parse_level (const Ctx *ctx,
             CcLevel   *out,
             GError   **error)
{
  *out = cc_level_from_string (ctx->value);
  if ((int) *out < 0)
    return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                 /* Translators: a policy file error, after "FILE: [group] key=value: ";
                  * sergeant, inspector and superintendent are written in the file and stay
                  * as they are */
                 _ ("not an escalation level; allowed: sergeant, inspector or superintendent"));
  return TRUE;
}

/* ';'-separated levels, lowest first, each above the one before: the
 * escalation climbs, so a repeated or falling rung is a mistake. */
static gboolean
parse_ladder (const Ctx *ctx,
              CcPolicy  *policy,
              GError   **error)
{
  g_auto (GStrv) rungs = g_strsplit (ctx->value, ";", -1);
  CcLevel ladder[CC_N_LEVELS];
  guint   n = 0;

  for (guint i = 0; rungs[i] != NULL; i++)
    {
      const char *rung = g_strstrip (rungs[i]);
      CcLevel     level = cc_level_from_string (rung);

      if (*rung == '\0' && rungs[i + 1] == NULL)
        break; /* a trailing ';', or nothing at all */
      if ((int) level < 0)
        return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                     /* Translators: a policy file error, after "FILE: [escalation] ladder=value: ";
                      * %s is one rung as written; sergeant;inspector;superintendent is written in
                      * the file and stays as it is */
                     _ ("“%s” is not an escalation level; allowed: one to three of sergeant;inspector;superintendent, lowest first"),
                     rung);
      if (n > 0 && level <= ladder[n - 1])
        return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                     /* Translators: a policy file error, after "FILE: [escalation] ladder=value: ";
                      * %1$s and %2$s are levels as written in the file (e.g. "sergeant"), and so
                      * is sergeant;inspector;superintendent: they stay as they are */
                     _ ("%1$s comes after %2$s, so the ladder does not climb; allowed: levels lowest first, each once, "
                        "such as sergeant;inspector;superintendent"),
                     rung, cc_level_to_string (ladder[n - 1]));
      ladder[n++] = level;
    }
  if (n == 0)
    return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                 /* Translators: a policy file error, after "FILE: [escalation] ladder=value: ";
                  * sergeant;inspector;superintendent is written in the file and stays as it is */
                 _ ("no levels; allowed: one to three of sergeant;inspector;superintendent, lowest first"));
  memcpy (policy->ladder, ladder, n * sizeof ladder[0]);
  policy->ladder_length = n;
  return TRUE;
}

/* "enabled" in [review] and [detention_limit]: not part of their schema
 * (the law has no off switch), but "true" says nothing wrong, so it is
 * accepted; "false" is refused naming the law. */
static gboolean
statutory_enabled (const Ctx *ctx,
                   int        clock,
                   GError   **error)
{
  gboolean flag;

  if (!parse_bool (ctx, &flag, error))
    return FALSE;
  if (!flag)
    return fail (ctx, error, CC_POLICY_ERROR_STATUTORY,
                 /* Translators: a policy file error, after "FILE: [group] enabled=false: ";
                  * %1$s is the clock's name in the file (e.g. "review"), %2$s the law (e.g.
                  * "PACE s.40"); true is written in the file and stays as it is */
                 _ ("%1$s is statutory (%2$s) and cannot be switched off; allowed: true, or leave the key out"),
                 ctx->group, statutory_law (clock, -1));
  return TRUE;
}

static gboolean
set_key (const Ctx      *ctx,
         CcPolicy       *policy,
         const CcPolicy *defaults,
         int             clock,
         int             rule,
         const KeyDef   *def,
         GError        **error)
{
  gint64   seconds = 0;
  gboolean flag = FALSE;
  CcLevel  level = CC_LEVEL_SERGEANT;

  switch (def->kind)
    {
    case KIND_BOOL:
      if (!parse_bool (ctx, &flag, error))
        return FALSE;
      break;
    case KIND_OPTIONAL_DURATION:
    case KIND_DURATION:
      if (!parse_duration (ctx, def->kind == KIND_OPTIONAL_DURATION, &seconds, error))
        return FALSE;
      break;
    case KIND_LEVEL:
      if (!parse_level (ctx, &level, error))
        return FALSE;
      break;
    case KIND_TIMEZONE:
      {
        g_autoptr (GTimeZone) tz = cc_time_zone_new (ctx->value, NULL);

        if (tz == NULL)
          return fail (ctx, error, CC_POLICY_ERROR_INVALID_VALUE,
                       /* Translators: a policy file error, after "FILE: [display] timezone=value: ";
                        * Europe/London is a time zone name and stays as it is */
                       _ ("not a time zone this machine knows; allowed: a tz database name such as Europe/London"));
        g_free (policy->timezone);
        policy->timezone = g_strdup (ctx->value);
        g_time_zone_unref (policy->tz);
        policy->tz = g_steal_pointer (&tz);
        return TRUE;
      }
    case KIND_LADDER:
      return parse_ladder (ctx, policy, error);
    default:
      g_assert_not_reached ();
    }

  switch (def->field)
    {
    case FIELD_ENABLED:
      /* Only rules reach here with a statutory name: the statutory clocks
       * have no "enabled" key (statutory_enabled()). */
      if (!flag && rule >= 0 && cc_rule_is_statutory (rule))
        return fail (ctx, error, CC_POLICY_ERROR_STATUTORY,
                     /* Translators: a policy file error, after "FILE: [group] enabled=false: ";
                      * %1$s is the rule's name in the file (e.g. "extension_invalid"), %2$s the law
                      * (e.g. "PACE s.42"); true is written in the file and stays as it is */
                     _ ("%1$s is a requirement of %2$s and cannot be switched off; allowed: true"), ctx->group,
                     statutory_law (-1, rule));
      if (!flag)
        /* Translators: a policy file warning, after "FILE: [group] enabled=false: " */
        warn (ctx, _ ("switches off a check that is on by default"));
      if (clock >= 0)
        policy->clocks[clock].enabled = flag;
      else
        policy->rules[rule].enabled = flag;
      return TRUE;
    case FIELD_WARN:
      if (seconds == 0 && defaults->clocks[clock].warn > 0)
        warn_looser (ctx, defaults->clocks[clock].warn);
      else if (defaults->clocks[clock].warn > 0)
        warn_if_larger (ctx, seconds, defaults->clocks[clock].warn);
      policy->clocks[clock].warn = seconds;
      return TRUE;
    case FIELD_DUE:
      warn_if_larger (ctx, seconds, defaults->clocks[clock].due);
      policy->clocks[clock].due = seconds;
      return TRUE;
    case FIELD_ESCALATE_TO:
      {
        CcLevel default_level = clock >= 0 ? defaults->clocks[clock].escalate_to : defaults->rules[rule].escalate_to;

        /* A more junior first rung is less oversight: allowed, but said. */
        if (level < default_level)
          /* Translators: a policy file warning, after "FILE: [group] escalate_to=value: ";
           * %s is a level as written in the file (e.g. "inspector") */
          warn (ctx, _ ("starts below the default %s"), cc_level_to_string (default_level));
        if (clock >= 0)
          policy->clocks[clock].escalate_to = level;
        else
          policy->rules[rule].escalate_to = level;
        return TRUE;
      }
    case FIELD_PRIVACY:
      if (!flag)
        /* Translators: a policy file warning, after "FILE: [display] privacy=false: " */
        warn (ctx, _ ("notifications will show children's names on screens and lock screens"));
      policy->privacy = flag;
      return TRUE;
    case FIELD_ACK_TIMEOUT:
      warn_if_larger (ctx, seconds, defaults->ack_timeout);
      policy->ack_timeout = seconds;
      return TRUE;
    case FIELD_LATE_ENTRY:
      /* A longer allowance flags fewer late entries. */
      warn_if_larger (ctx, seconds, defaults->late_entry);
      policy->late_entry = seconds;
      return TRUE;
    case FIELD_REVIEW_FIRST:
    case FIELD_REVIEW_INTERVAL:
      {
        gboolean         first = def->field == FIELD_REVIEW_FIRST;
        gint64           limit = first ? REVIEW_FIRST_MAX : REVIEW_INTERVAL_MAX;
        g_autofree char *l = compact_duration (limit);

        if (seconds > limit)
          return fail (ctx, error, CC_POLICY_ERROR_STATUTORY,
                       /* Translators: a policy file error, after "FILE: [review] first_after=value: ";
                        * %1$s and %2$s are both the longest duration the law allows, as written in
                        * the file (e.g. "6h"); 1s stays as it is */
                       first ? _ ("later than PACE s.40(3) allows: the first review is due at most %1$s after "
                                  "detention is authorised; allowed: 1s to %2$s")
                             /* Translators: a policy file error, after "FILE: [review] interval=value: ";
                              * %1$s and %2$s are both the longest duration the law allows, as written
                              * in the file (e.g. "9h"); 1s stays as it is */
                             : _ ("longer than PACE s.40(3) allows: reviews are at most %1$s apart; allowed: 1s to %2$s"),
                       l, l);
        if (first)
          policy->review_first = seconds;
        else
          policy->review_interval = seconds;
        return TRUE;
      }
    case FIELD_REVIEW_WARN_BEFORE:
      /* Less notice before a review is a later warning. */
      warn_if_smaller (ctx, seconds, defaults->review_warn_before);
      policy->review_warn_before = seconds;
      return TRUE;
    case FIELD_REVIEW_GRACE:
      warn_if_larger (ctx, seconds, defaults->review_postponed_grace);
      policy->review_postponed_grace = seconds;
      return TRUE;
    case FIELD_LIMIT_WARN_BEFORE:
      warn_if_smaller (ctx, seconds, defaults->limit_warn_before);
      policy->limit_warn_before = seconds;
      return TRUE;
    case FIELD_CELL_INTERVAL:
      warn_if_larger (ctx, seconds, defaults->cell_interval);
      policy->cell_interval = seconds;
      return TRUE;
    case FIELD_CELL_INTERVAL_2:
      warn_if_larger (ctx, seconds, defaults->cell_interval_level2);
      policy->cell_interval_level2 = seconds;
      return TRUE;
    case FIELD_REST_MIN:
      warn_if_smaller (ctx, seconds, defaults->rest_min);
      policy->rest_min = seconds;
      return TRUE;
    case FIELD_REST_WARN_AFTER:
      warn_if_larger (ctx, seconds, defaults->rest_warn_after);
      policy->rest_warn_after = seconds;
      return TRUE;
    case FIELD_TIMEZONE:
    case FIELD_LADDER:
    default:
      g_assert_not_reached ();
    }
}

/* Every mistake in a file, not only the first: whoever fixes a policy file
 * should see the whole list at once rather than one error per attempt.
 * Each is one line, "FILE: [group] key=value: MESSAGE"; the error code is
 * the first mistake's. */
typedef struct
{
  GPtrArray *lines;
  int        code;
} Problems;

static void
problems_add (Problems *problems,
              GError   *error) /* (transfer full) */
{
  if (problems->lines->len == 0)
    problems->code = error->code;
  g_ptr_array_add (problems->lines, g_strdup (error->message));
  g_error_free (error);
}

/* For checks that involve two keys: whether this file set @key (so it is
 * the one to blame), and its value as written, or as the policy has it
 * when an earlier file or the default set it. */
static gboolean
in_file (GKeyFile   *file,
         const char *group,
         const char *key)
{
  return g_key_file_has_key (file, group, key, NULL);
}

static char *
value_text (GKeyFile   *file,
            const char *group,
            const char *key,
            gint64      seconds)
{
  g_autofree char *raw = g_key_file_get_value (file, group, key, NULL);

  return raw != NULL ? strip_value (raw) : compact_optional_duration (seconds);
}

/* Adds "FILE: [group] key=value: MESSAGE" for a key that does not fit
 * with another. */
static void G_GNUC_PRINTF (7, 8)
  inconsistent (const char *name,
                GKeyFile   *file,
                const char *group,
                const char *key,
                gint64      seconds,
                Problems   *problems,
                const char *format,
                ...)
{
  g_autofree char *value = value_text (file, group, key, seconds);
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  problems_add (problems, g_error_new (CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE, "%s: [%s] %s=%s: %s", name,
                                       group, key, value, message));
}

/* Thresholds that contradict each other.  They are checked on the result,
 * not the file alone, since a file may change one of a pair that an
 * earlier file set; the key this file wrote is the one blamed. */
static void
check_thresholds (const CcPolicy *p,
                  const char     *name,
                  GKeyFile       *file,
                  Problems       *problems)
{
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      const char          *group = cc_clock_to_string (c);
      const CcClockPolicy *cp = &p->clocks[c];
      g_autofree char     *other = NULL;

      if (keys_for_clock (c) != simple_clock_keys || cp->warn == 0 || cp->warn < cp->due)
        continue;
      if (in_file (file, group, "warn_after") || !in_file (file, group, "breach_after"))
        {
          other = value_text (file, group, "breach_after", cp->due);
          inconsistent (name, file, group, "warn_after", cp->warn, problems,
                        /* Translators: a policy file error, after "FILE: [group] warn_after=value: ";
                                * breach_after and none are written in the file and stay as they are; %s
                                * is a duration as written (e.g. "30m") */
                        _ ("not before breach_after=%s; allowed: shorter than breach_after, or none"), other);
          continue;
        }
      other = value_text (file, group, "warn_after", cp->warn);
      inconsistent (name, file, group, "breach_after", cp->due, problems,
                    /* Translators: a policy file error, after "FILE: [group] breach_after=value: ";
                            * warn_after is written in the file and stays as it is; %s is a duration as
                            * written (e.g. "15m") */
                    _ ("not after warn_after=%s; allowed: longer than warn_after"), other);
    }

  if (p->review_warn_before >= MIN (p->review_first, p->review_interval))
    {
      const char      *shorter = p->review_first <= p->review_interval ? "first_after" : "interval";
      gint64           shorter_seconds = MIN (p->review_first, p->review_interval);
      g_autofree char *other = NULL;

      if (in_file (file, "review", "warn_before") || !in_file (file, "review", shorter))
        {
          other = value_text (file, "review", shorter, shorter_seconds);
          inconsistent (name, file, "review", "warn_before", p->review_warn_before, problems,
                        /* Translators: a policy file error, after "FILE: [review] warn_before=value: ";
                                * %1$s is a key (first_after or interval) and %2$s its value as written
                                * (e.g. "6h"); first_after and interval stay as they are */
                        _ ("not shorter than %1$s=%2$s; allowed: shorter than first_after and interval"),
                        shorter, other);
        }
      else
        {
          other = value_text (file, "review", "warn_before", p->review_warn_before);
          inconsistent (name, file, "review", shorter, shorter_seconds, problems,
                        /* Translators: a policy file error, after "FILE: [review] key=value: ";
                            * warn_before is written in the file and stays as it is; %s is a duration as
                            * written (e.g. "30m") */
                        _ ("not longer than warn_before=%s; allowed: longer than warn_before"), other);
        }
    }

  if (p->limit_warn_before >= DETENTION_BASE_LIMIT)
    inconsistent (name, file, "detention_limit", "warn_before", p->limit_warn_before, problems,
                  /* Translators: a policy file error, after "FILE: [detention_limit] warn_before=value: " */
                  _ ("not shorter than the 24h limit of PACE s.41; allowed: less than 24h"));

  if (p->cell_interval_level2 > p->cell_interval)
    {
      g_autofree char *other = NULL;

      if (in_file (file, "cell_visit", "interval_level2") || !in_file (file, "cell_visit", "interval"))
        {
          other = value_text (file, "cell_visit", "interval", p->cell_interval);
          inconsistent (name, file, "cell_visit", "interval_level2", p->cell_interval_level2, problems,
                        /* Translators: a policy file error, after "FILE: [cell_visit] interval_level2=value: ";
                                * interval is written in the file and stays as it is; %s is a duration as
                                * written (e.g. "60m"); level 2 is an observation level of Code C */
                        _ ("longer than interval=%s, but level 2 is the closer watch; allowed: at most "
                           "interval"),
                        other);
        }
      else
        {
          other = value_text (file, "cell_visit", "interval_level2", p->cell_interval_level2);
          inconsistent (name, file, "cell_visit", "interval", p->cell_interval, problems,
                        /* Translators: a policy file error, after "FILE: [cell_visit] interval=value: ";
                            * interval_level2 is written in the file and stays as it is; %s is a duration
                            * as written (e.g. "30m"); level 2 is an observation level of Code C */
                        _ ("shorter than interval_level2=%s, but level 2 is the closer watch; allowed: at least "
                           "interval_level2"),
                        other);
        }
    }

  if (p->rest_min >= REST_WINDOW)
    inconsistent (name, file, "rest", "min_rest", p->rest_min, problems,
                  /* Translators: a policy file error, after "FILE: [rest] min_rest=value: " */
                  _ ("does not fit in the 24-hour window of Code C 12.2; allowed: less than 24h"));
  else if (p->rest_warn_after + p->rest_min > REST_WINDOW)
    {
      g_autofree char *other = NULL;
      g_autofree char *most = NULL;

      if (in_file (file, "rest", "warn_after") || !in_file (file, "rest", "min_rest"))
        {
          other = value_text (file, "rest", "min_rest", p->rest_min);
          most = compact_duration (REST_WINDOW - p->rest_min);
          inconsistent (name, file, "rest", "warn_after", p->rest_warn_after, problems,
                        /* Translators: a policy file error, after "FILE: [rest] warn_after=value: ";
                                * min_rest is written in the file and stays as it is; %1$s is its value
                                * and %2$s the longest warn_after allowed, durations as written (e.g. "16h") */
                        _ ("too late for a rest of min_rest=%1$s to end inside the 24-hour window; "
                           "allowed: at most %2$s"),
                        other, most);
        }
      else
        {
          other = value_text (file, "rest", "warn_after", p->rest_warn_after);
          most = compact_duration (REST_WINDOW - p->rest_warn_after);
          inconsistent (name, file, "rest", "min_rest", p->rest_min, problems,
                        /* Translators: a policy file error, after "FILE: [rest] min_rest=value: ";
                            * warn_after is written in the file and stays as it is; %1$s is its value
                            * and %2$s the longest min_rest allowed, durations as written (e.g. "8h") */
                        _ ("too long to start after warn_after=%1$s and end inside the 24-hour window; "
                           "allowed: at most %2$s"),
                        other, most);
        }
    }
}

static char *
ladder_text (const CcPolicy *p,
             const char     *separator)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < p->ladder_length; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? separator : "", cc_level_to_string (p->ladder[i]));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Every first escalation level must be a rung of the ladder.  One this
 * file names is an error when it is not; one that a shorter ladder left
 * behind moves to the nearest rung above (stricter, silently) or, when no
 * rung is that high, down to the top rung (looser, with a warning). */
static void
check_levels (CcPolicy   *p,
              const char *name,
              GKeyFile   *file,
              GPtrArray  *warnings,
              Problems   *problems)
{
  g_autofree char *rungs = ladder_text (p, ", ");
  g_autofree char *ladder = ladder_text (p, ";");

  for (int i = 0; i < CC_N_CLOCKS + CC_N_RULES; i++)
    {
      const char *group = i < CC_N_CLOCKS ? cc_clock_to_string (i) : cc_rule_to_string (i - CC_N_CLOCKS);
      CcLevel    *level = i < CC_N_CLOCKS ? &p->clocks[i].escalate_to : &p->rules[i - CC_N_CLOCKS].escalate_to;
      CcLevel     was = *level;
      gboolean    on_ladder = FALSE;

      for (guint r = 0; r < p->ladder_length; r++)
        on_ladder |= p->ladder[r] == *level;
      if (on_ladder)
        continue;
      if (in_file (file, group, "escalate_to"))
        {
          g_autofree char *raw = g_key_file_get_value (file, group, "escalate_to", NULL);
          g_autofree char *value = strip_value (raw);

          problems_add (problems,
                        g_error_new (CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE,
                                     /* Translators: a policy file error: %1$s is the file, %2$s the [group], %3$s
                                      * the level as written, %4$s the ladder as written (e.g.
                                      * "sergeant;inspector"), %5$s its levels (e.g. "sergeant, inspector");
                                      * escalate_to is a key of the file and stays as it is */
                                     _ ("%1$s: [%2$s] escalate_to=%3$s: not on the escalation ladder %4$s; allowed: %5$s"),
                                     name, group, value, ladder, rungs));
          continue;
        }
      *level = p->ladder[p->ladder_length - 1];
      for (guint r = 0; r < p->ladder_length; r++)
        if (p->ladder[r] > was)
          {
            *level = p->ladder[r];
            break;
          }
      if (*level < was && warnings != NULL)
        g_ptr_array_add (warnings,
                         /* Translators: a policy file warning: %1$s is the file, %2$s the ladder as
                          * written (e.g. "sergeant;inspector"), %3$s and %5$s levels as written
                          * (e.g. "superintendent"), %4$s a clock or rule group (e.g. "detention_limit");
                          * escalation and ladder are written in the file and stay as they are */
                         g_strdup_printf (_ ("%1$s: [escalation] ladder=%2$s leaves out %3$s, so [%4$s] escalates first to %5$s"),
                                          name, ladder, cc_level_to_string (was), group,
                                          cc_level_to_string (*level)));
    }
}

/* GKeyFile names the offending line's text but not its number; the number
 * is found here by a rough pass over the same rules, for the message. */
static int
bad_line_number (const char *data,
                 gsize       length)
{
  g_autofree char *copy = g_strndup (data, length);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);
  gboolean in_group = FALSE;

  for (int i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          if (!g_str_has_suffix (line, "]") || strlen (line) < 3 || strchr (line + 1, '[') != NULL ||
              strchr (line, ']') != line + strlen (line) - 1)
            return i + 1;
          in_group = TRUE;
          continue;
        }
      if (!in_group || strchr (line, '=') == NULL || *line == '=')
        return i + 1;
    }
  return 0;
}

/**
 * cc_policy_load_data:
 * @base: the policy to overlay (the defaults, or the result of an earlier
 *   file)
 * @data: key file text
 * @length: the length of @data in bytes, or -1 when nul-terminated
 * @name: what to call it in messages (its path)
 * @warnings: (nullable) (element-type utf8): where settings looser than the
 *   built-in defaults are reported, one line each (the caller owns the
 *   array and frees the strings, e.g. g_ptr_array_new_with_free_func
 *   (g_free))
 * @error: return location for a #CcPolicyError
 *
 * Overlays one policy file on @base: each key the file sets replaces the
 * value in @base, every other is kept.  @base is not changed.
 *
 * Returns: (transfer full): a new policy, or %NULL with @error set
 */
CcPolicy *
cc_policy_load_data (const CcPolicy *base,
                     const char     *data,
                     gssize          length,
                     const char     *name,
                     GPtrArray      *warnings,
                     GError        **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CcPolicy) policy = NULL;
  g_autoptr (CcPolicy) defaults = NULL;
  g_autoptr (GPtrArray) groups_known = NULL;
  g_auto (GStrv) groups = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  Problems    problems = { lines, 0 };
  const char *bad = NULL;
  gsize       size;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  /* GKeyFile takes any bytes, and the messages below quote names and
   * values: text that is not UTF-8 would reach the terminal and the log as
   * it is. */
  if (data != NULL && !g_utf8_validate (data, size, &bad))
    {
      int line = 1;

      for (const char *p = data; p < bad; p++)
        line += *p == '\n';
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_PARSE,
                   /* Translators: %1$s is the policy file, %2$d a line number */
                   _ ("%1$s: line %2$d: not a policy file: the text is not UTF-8 (or holds a NUL byte)"), name, line);
      return NULL;
    }
  if (!g_key_file_load_from_data (file, data != NULL ? data : "", size, G_KEY_FILE_NONE, &local_error))
    {
      int line = bad_line_number (data != NULL ? data : "", size);

      if (line > 0)
        g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_PARSE,
                     /* Translators: %1$s is the policy file, %2$d a line number, %3$s GLib's
                      * message about the key file */
                     _ ("%1$s: line %2$d: not a policy file: %3$s"), name, line, local_error->message);
      else
        g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_PARSE,
                     /* Translators: %1$s is the policy file, %2$s GLib's message about the key file */
                     _ ("%1$s: not a policy file: %2$s"), name, local_error->message);
      return NULL;
    }

  policy = policy_copy (base);
  defaults = cc_policy_new_default ();
  groups_known = known_groups ();
  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      int           clock, rule;
      const KeyDef *keys = keys_for_group (groups[g], &clock, &rule);
      g_auto (GStrv) names = NULL;

      if (keys == NULL)
        {
          const char *hint = suggestion (groups[g], groups_known);

          if (hint != NULL)
            g_set_error (&local_error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_GROUP,
                         /* Translators: a policy file error: %1$s is the file, %2$s the [group] as
                          * written, %3$s the known group it looks like a misspelling of; display,
                          * escalation, report and "custody-clock policy" stay as they are */
                         _ ("%1$s: [%2$s] is not a clock, rule or setting of the policy (did you mean “%3$s”?); "
                            "allowed: display, escalation, report, or a clock or rule name as custody-clock policy "
                            "prints them"),
                         name, groups[g], hint);
          else
            g_set_error (&local_error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_GROUP,
                         /* Translators: a policy file error: %1$s is the file, %2$s the [group] as
                          * written; display, escalation, report and "custody-clock policy" stay as
                          * they are */
                         _ ("%1$s: [%2$s] is not a clock, rule or setting of the policy; allowed: display, escalation, "
                            "report, or a clock or rule name as custody-clock policy prints them"),
                         name, groups[g]);
          problems_add (&problems, g_steal_pointer (&local_error));
          continue;
        }

      names = g_key_file_get_keys (file, groups[g], NULL, NULL);
      for (guint k = 0; names != NULL && names[k] != NULL; k++)
        {
          g_autofree char *raw = g_key_file_get_value (file, groups[g], names[k], NULL);
          g_autofree char *value = strip_value (raw != NULL ? raw : "");
          Ctx              ctx = { name, warnings, groups[g], names[k], value };
          const KeyDef    *def = NULL;

          for (const KeyDef *d = keys; d->key != NULL; d++)
            if (g_str_equal (d->key, names[k]))
              def = d;

          if (def == NULL && clock >= 0 && cc_clock_is_statutory (clock) && g_str_equal (names[k], "enabled"))
            {
              if (!statutory_enabled (&ctx, clock, &local_error))
                problems_add (&problems, g_steal_pointer (&local_error));
              continue;
            }
          if (def == NULL)
            {
              g_autoptr (GPtrArray) known = g_ptr_array_new ();
              g_autoptr (GString) allowed = g_string_new (NULL);
              const char *hint = NULL;

              for (const KeyDef *d = keys; d->key != NULL; d++)
                {
                  g_ptr_array_add (known, (gpointer) d->key);
                  g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? ", " : "", d->key);
                }
              hint = suggestion (names[k], known);
              if (hint != NULL)
                g_set_error (&local_error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_KEY,
                             /* Translators: a policy file error: %1$s is the file, %2$s the [group],
                              * %3$s the key and %4$s its value as written, %5$s the known key it looks
                              * like a misspelling of, %6$s the keys of the group (e.g. "enabled,
                              * escalate_to") */
                             _ ("%1$s: [%2$s] %3$s=%4$s: not a key of this group (did you mean “%5$s”?); allowed: %6$s"),
                             name, groups[g], names[k], value, hint, allowed->str);
              else
                g_set_error (&local_error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_KEY,
                             /* Translators: a policy file error: %1$s is the file, %2$s the [group],
                              * %3$s the key and %4$s its value as written, %5$s the keys of the group
                              * (e.g. "enabled, escalate_to") */
                             _ ("%1$s: [%2$s] %3$s=%4$s: not a key of this group; allowed: %5$s"), name, groups[g],
                             names[k], value, allowed->str);
              problems_add (&problems, g_steal_pointer (&local_error));
              continue;
            }
          if (!set_key (&ctx, policy, defaults, clock, rule, def, &local_error))
            problems_add (&problems, g_steal_pointer (&local_error));
        }
    }

  /* Keys that go together are checked on the values that parsed: a key
   * refused above keeps the earlier value, and is already reported. */
  check_thresholds (policy, name, file, &problems);
  check_levels (policy, name, file, warnings, &problems);
  if (problems.lines->len > 0)
    {
      g_autofree char *message = NULL;

      g_ptr_array_add (problems.lines, NULL);
      message = g_strjoinv ("\n", (char **) problems.lines->pdata);
      g_set_error_literal (error, CC_POLICY_ERROR, problems.code, message);
      return NULL;
    }
  return g_steal_pointer (&policy);
}

/**
 * cc_policy_load_file:
 * @base: the policy to overlay
 * @path: a policy file
 * @warnings: (nullable) (element-type utf8): as for cc_policy_load_data()
 * @error: return location for a #CcPolicyError (%CC_POLICY_ERROR_FILE when
 *   the file cannot be read)
 *
 * Returns: (transfer full): @base overlaid with the file at @path, or %NULL
 *   with @error set
 */
CcPolicy *
cc_policy_load_file (const CcPolicy *base,
                     const char     *path,
                     GPtrArray      *warnings,
                     GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_FILE,
                   /* Translators: %1$s is the policy file, %2$s the system's reason */
                   _ ("%1$s: cannot read the policy: %2$s"), path, local_error->message);
      return NULL;
    }
  return cc_policy_load_data (base, contents, (gssize) length, path, warnings, error);
}

/**
 * cc_policy_load_default_files:
 * @warnings: (nullable) (element-type utf8): as for cc_policy_load_data()
 * @error: return location for a #CcPolicyError
 *
 * The built-in defaults overlaid, in order, by each file of
 * cc_paths_policy_files() that exists (`/etc/custody-clock/policy.ini`,
 * then `$XDG_CONFIG_HOME/custody-clock/policy.ini`).  A missing file is
 * fine; one that exists but cannot be read or is wrong is an error, since
 * running on the defaults instead would hide the mistake.
 *
 * Returns: (transfer full): the effective policy, or %NULL with @error set
 */
CcPolicy *
cc_policy_load_default_files (GPtrArray *warnings,
                              GError   **error)
{
  g_auto (GStrv) paths = cc_paths_policy_files ();
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      CcPolicy *next;

      if (!g_file_test (paths[i], G_FILE_TEST_EXISTS))
        continue;
      next = cc_policy_load_file (policy, paths[i], warnings, error);
      if (next == NULL)
        return NULL;
      cc_policy_unref (policy);
      policy = next;
    }
  return g_steal_pointer (&policy);
}

/**
 * cc_policy_load:
 * @path: (nullable): a policy file given on the command line, or %NULL for
 *   the default files
 * @warnings: (nullable) (element-type utf8): as for cc_policy_load_data()
 * @error: return location for a #CcPolicyError
 *
 * The policy a program runs with: --policy FILE over the built-in
 * defaults, else the defaults overlaid by the system and user files.
 *
 * Returns: (transfer full): the policy, or %NULL with @error set
 */
CcPolicy *
cc_policy_load (const char *path,
                GPtrArray  *warnings,
                GError    **error)
{
  g_autoptr (CcPolicy) defaults = NULL;

  if (path == NULL)
    return cc_policy_load_default_files (warnings, error);
  defaults = cc_policy_new_default ();
  return cc_policy_load_file (defaults, path, warnings, error);
}

static void
append_bool (GString    *out,
             const char *key,
             gboolean    value)
{
  g_string_append_printf (out, "%s=%s\n", key, value ? "true" : "false");
}

static void
append_duration (GString    *out,
                 const char *key,
                 gint64      seconds)
{
  g_autofree char *text = compact_optional_duration (seconds);

  g_string_append_printf (out, "%s=%s\n", key, text);
}

/* The value of a duration key in @p; @clock is the group's, or -1. */
static gint64
duration_of (const CcPolicy *p,
             int             clock,
             Field           field)
{
  switch (field)
    {
    case FIELD_WARN:
      return p->clocks[clock].warn;
    case FIELD_DUE:
      return p->clocks[clock].due;
    case FIELD_ACK_TIMEOUT:
      return p->ack_timeout;
    case FIELD_LATE_ENTRY:
      return p->late_entry;
    case FIELD_REVIEW_FIRST:
      return p->review_first;
    case FIELD_REVIEW_INTERVAL:
      return p->review_interval;
    case FIELD_REVIEW_WARN_BEFORE:
      return p->review_warn_before;
    case FIELD_REVIEW_GRACE:
      return p->review_postponed_grace;
    case FIELD_LIMIT_WARN_BEFORE:
      return p->limit_warn_before;
    case FIELD_CELL_INTERVAL:
      return p->cell_interval;
    case FIELD_CELL_INTERVAL_2:
      return p->cell_interval_level2;
    case FIELD_REST_MIN:
      return p->rest_min;
    case FIELD_REST_WARN_AFTER:
      return p->rest_warn_after;
    case FIELD_ENABLED:
    case FIELD_ESCALATE_TO:
    case FIELD_TIMEZONE:
    case FIELD_PRIVACY:
    case FIELD_LADDER:
    default:
      g_assert_not_reached ();
    }
}

/* One group's keys with @p's values, in the order of @keys: the tables
 * that say which keys a group takes when it is read say what is written.
 * @clock or @rule is the group's (or -1 for both). */
static void
append_group (GString        *out,
              const CcPolicy *p,
              int             clock,
              int             rule,
              const KeyDef   *keys)
{
  for (const KeyDef *def = keys; def->key != NULL; def++)
    switch (def->kind)
      {
      case KIND_BOOL:
        if (def->field == FIELD_PRIVACY)
          append_bool (out, def->key, p->privacy);
        else
          append_bool (out, def->key, clock >= 0 ? p->clocks[clock].enabled : p->rules[rule].enabled);
        break;
      case KIND_DURATION:
      case KIND_OPTIONAL_DURATION:
        append_duration (out, def->key, duration_of (p, clock, def->field));
        break;
      case KIND_LEVEL:
        g_string_append_printf (out, "%s=%s\n", def->key,
                                cc_level_to_string (clock >= 0 ? p->clocks[clock].escalate_to
                                                               : p->rules[rule].escalate_to));
        break;
      case KIND_TIMEZONE:
        g_string_append_printf (out, "%s=%s\n", def->key, p->timezone);
        break;
      case KIND_LADDER:
        {
          g_autofree char *ladder = ladder_text (p, ";");

          g_string_append_printf (out, "%s=%s\n", def->key, ladder);
          break;
        }
      default:
        g_assert_not_reached ();
      }
}

/**
 * cc_policy_to_string:
 * @policy: a policy
 *
 * The policy as a complete policy file, every group and key, each group
 * after a comment naming what it is and its basis: what `custody-clock
 * policy` prints.  Loading it back over any base gives an equal policy
 * (cc_policy_equal()).
 *
 * Returns: (transfer full): key file text
 */
char *
cc_policy_to_string (const CcPolicy *policy)
{
  const CcPolicy *p = policy;
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (policy != NULL, NULL);

  /* The comments are for the person reading or editing the file, so they
   * are translated; the groups, keys and values are not. */
  /* Translators: a comment at the top of the policy file that `custody-clock policy` prints */
  g_string_append_printf (out, "# %s\n", _ ("Custody Clock policy: the built-in defaults overlaid by the policy files."));
  /* Translators: a comment in the policy file that `custody-clock policy` prints; 90s, 30m, 4h,
   * 1h30m and warn_after=none are written in the file and stay as they are */
  g_string_append_printf (out, "# %s\n", _ ("Durations: 90s, 30m, 4h, 1h30m.  warn_after=none means no warning."));

  /* Translators: a comment above [display] in the policy file that `custody-clock policy` prints */
  g_string_append_printf (out, "\n# %s\n[display]\n", _ ("Display: local time zone; privacy keeps names off notifications"));
  append_group (out, p, -1, -1, display_keys);

  g_string_append_printf (out, "\n# %s\n[escalation]\n",
                          /* Translators: a comment above [escalation] in the policy file that `custody-clock
                           * policy` prints; ack_timeout is a key of the file and stays as it is */
                          _ ("Escalation: one rank up the ladder each ack_timeout without acknowledgement"));
  append_group (out, p, -1, -1, escalation_keys);

  g_string_append_printf (out, "\n# %s\n[report]\n",
                          /* Translators: a comment above [report] in the policy file that `custody-clock
                           * policy` prints */
                          _ ("Report: an event keyed later than this after it happened is a late entry"));
  append_group (out, p, -1, -1, report_keys);

  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      g_string_append_printf (out, "\n# %s — %s\n[%s]\n", cc_clock_display_name (c), _ (clock_basis[c]),
                              cc_clock_to_string (c));
      append_group (out, p, c, -1, keys_for_clock (c));
    }

  for (int r = 0; r < CC_N_RULES; r++)
    {
      g_string_append_printf (out, "\n# %s — %s\n[%s]\n", cc_rule_display_name (r), _ (rule_basis[r]),
                              cc_rule_to_string (r));
      append_group (out, p, -1, r, rule_keys);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cc_policy_digest:
 * @policy: a policy
 * @purpose: (nullable): what the digest keys (a format name and version),
 *   hashed first, so that a change of format is a new digest
 *
 * A digest of @policy's settings: every group, key and value, in the
 * order cc_policy_to_string() writes them, without the comments (they are
 * translated: a report in Welsh must find what one in English kept).
 *
 * Returns: (transfer full): the SHA-256 digest, in hex
 */
char *
cc_policy_digest (const CcPolicy *policy,
                  const char     *purpose)
{
  g_autofree char *text = NULL;
  g_autoptr (GChecksum) sum = NULL;
  g_auto (GStrv) lines = NULL;

  g_return_val_if_fail (policy != NULL, NULL);

  text = cc_policy_to_string (policy);
  lines = g_strsplit (text, "\n", -1);
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  if (purpose != NULL)
    {
      g_checksum_update (sum, (const guchar *) purpose, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* Comments and the blank lines between groups say nothing of a
       * setting; a group header or key=value line is never translated. */
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      g_checksum_update (sum, (const guchar *) lines[i], -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}
