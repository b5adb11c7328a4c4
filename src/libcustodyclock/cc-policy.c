/* cc-policy.c: the policy file (thresholds, switches, escalation)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A GKeyFile, one group per clock or rule (interfaces.md).  Unknown groups
 * and keys are errors: a typo in a safety threshold must not pass silently.
 * The statutory schedules (PACE ss.40–44) can only be made stricter; local
 * thresholds can be changed freely, and loosening one is accepted with a
 * warning so that the custody lead sees it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-paths.h"
#include "cc-policy.h"

/* clang-format off */
G_DEFINE_QUARK (cc-policy-error-quark, cc_policy_error)
/* clang-format on */

typedef enum
{
  KIND_BOOL,
  KIND_DURATION,
  KIND_OPTIONAL_DURATION, /* a duration, or "none" */
  KIND_LEVEL,
  KIND_TIMEZONE,
  KIND_LADDER,
} KeyKind;

/* Where a key's value lives in a CcPolicy, by group. */
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

/* The law or guidance behind each clock, printed above its group. */
static const char *const clock_basis[CC_N_CLOCKS] = {
  "Code C 3.13; 1 h is local policy",
  "Code C 3.15; 30 min is local policy",
  "Code C 3.15; the inspectorate called a 4 h wait unacceptable",
  "Code C 9.5",
  "PACE s.40 (statutory: may only be made stricter)",
  "PACE ss.41-44 (statutory: the limits are fixed by law)",
  "Code C 9.3",
  "Code C 12.2",
  "PACE s.38(6), Concordat principle 2; 30 min is local policy",
  "PACE s.38(6), Concordat; Code C 16.7",
};

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
 * The built-in policy: the defaults of clocks.md.
 *
 * Returns: (transfer full): a new policy
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
    policy->tz = g_time_zone_new_utc (); /* no tzdata: still correct in UTC */
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
  policy->review_first = 6 * CC_HOUR;
  policy->review_interval = 9 * CC_HOUR;
  policy->review_warn_before = 30 * CC_MINUTE;
  policy->review_postponed_grace = 1 * CC_HOUR;
  policy->limit_warn_before = 4 * CC_HOUR;
  policy->cell_interval = 60 * CC_MINUTE;
  policy->cell_interval_level2 = 30 * CC_MINUTE;
  policy->rest_min = 8 * CC_HOUR;
  policy->rest_warn_after = 16 * CC_HOUR;
  return policy;
}

CcPolicy *
cc_policy_ref (CcPolicy *policy)
{
  g_atomic_ref_count_inc (&policy->ref_count);
  return policy;
}

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

/* A duration as a policy file writes it: 4h, 1h30m, 90s. */
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

/* Levenshtein distance, for "did you mean …?" on a mistyped key. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize             la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = up;
        }
    }
  return row[lb];
}

static char *
suggestion (const char *wrong,
            GPtrArray  *known)
{
  const char *best = NULL;
  guint       best_distance = 3; /* only close misspellings */

  for (guint i = 0; i < known->len; i++)
    {
      guint d = edit_distance (wrong, g_ptr_array_index (known, i));
      if (d < best_distance)
        {
          best = g_ptr_array_index (known, i);
          best_distance = d;
        }
    }
  return best != NULL ? g_strdup_printf (_ (" (did you mean “%s”?)"), best) : g_strdup ("");
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

/* Which keys a group takes; sets the clock or rule it is about. */
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

/* interfaces.md writes comments after values ("privacy=true  # …");
 * GKeyFile keeps them as part of the value, so they are cut here. */
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

typedef struct
{
  const char *name;
  GPtrArray  *warnings;
  const char *group;
  const char *key;
  const char *value;
} Ctx;

static gboolean G_GNUC_PRINTF (3, 4)
  fail (Ctx        *ctx,
        GError    **error,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE, "%s: [%s] %s=%s: %s",
               ctx->name, ctx->group, ctx->key, ctx->value, message);
  return FALSE;
}

static void G_GNUC_PRINTF (2, 3)
  warn (Ctx        *ctx,
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

static void
warn_if_looser (Ctx     *ctx,
                gint64   value,
                gint64   default_value,
                gboolean larger_is_looser)
{
  if (larger_is_looser ? value > default_value : value < default_value)
    {
      g_autofree char *d = compact_duration (default_value);
      warn (ctx, _ ("looser than the default %s"), d);
    }
}

static gboolean
set_key (Ctx            *ctx,
         CcPolicy       *policy,
         const CcPolicy *defaults,
         int             clock,
         int             rule,
         const KeyDef   *def,
         GError        **error)
{
  const char *v = ctx->value;
  gint64      seconds = 0;
  gboolean    flag = FALSE;
  CcLevel     level = 0;

  switch (def->kind)
    {
    case KIND_BOOL:
      if (g_str_equal (v, "true"))
        flag = TRUE;
      else if (!g_str_equal (v, "false"))
        return fail (ctx, error, _ ("expected true or false"));
      break;
    case KIND_OPTIONAL_DURATION:
      if (g_str_equal (v, "none"))
        break;
      G_GNUC_FALLTHROUGH;
    case KIND_DURATION:
      if (!cc_duration_parse (v, &seconds, NULL))
        return fail (ctx, error, _ ("expected a duration like 90s, 30m, 4h or 1h30m%s"),
                     def->kind == KIND_OPTIONAL_DURATION ? _ (", or none") : "");
      break;
    case KIND_LEVEL:
      level = cc_level_from_string (v);
      if ((int) level < 0)
        return fail (ctx, error, _ ("expected sergeant, inspector or superintendent"));
      break;
    case KIND_TIMEZONE:
      {
        g_autoptr (GTimeZone) tz = cc_time_zone_new (v, NULL);
        if (tz == NULL)
          return fail (ctx, error, _ ("not a time zone this machine knows (like Europe/London)"));
        g_free (policy->timezone);
        policy->timezone = g_strdup (v);
        g_time_zone_unref (policy->tz);
        policy->tz = g_steal_pointer (&tz);
        return TRUE;
      }
    case KIND_LADDER:
      {
        g_auto (GStrv) rungs = g_strsplit (v, ";", -1);
        guint n = 0;

        for (guint i = 0; rungs[i] != NULL; i++)
          {
            CcLevel l = cc_level_from_string (g_strstrip (rungs[i]));
            if (*rungs[i] == '\0' && rungs[i + 1] == NULL)
              break; /* a trailing ';' */
            if ((int) l < 0)
              return fail (ctx, error, _ ("“%s” is not a level; expected sergeant;inspector;superintendent"), rungs[i]);
            if (n > 0 && l <= policy->ladder[n - 1])
              return fail (ctx, error, _ ("the ladder must climb: each level above the one before"));
            policy->ladder[n++] = l;
          }
        if (n == 0)
          return fail (ctx, error, _ ("the ladder needs at least one level"));
        policy->ladder_length = n;
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }

  switch (def->field)
    {
    case FIELD_ENABLED:
      if (!flag && rule >= 0 && cc_rule_is_statutory (rule))
        {
          g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_STATUTORY,
                       _ ("%s: [%s] enabled=false: this rule is a section of PACE; it cannot be switched off"),
                       ctx->name, ctx->group);
          return FALSE;
        }
      if (clock >= 0)
        policy->clocks[clock].enabled = flag;
      else
        policy->rules[rule].enabled = flag;
      return TRUE;
    case FIELD_WARN:
      warn_if_looser (ctx, seconds, defaults->clocks[clock].warn, TRUE);
      policy->clocks[clock].warn = seconds;
      return TRUE;
    case FIELD_DUE:
      warn_if_looser (ctx, seconds, defaults->clocks[clock].due, TRUE);
      policy->clocks[clock].due = seconds;
      return TRUE;
    case FIELD_ESCALATE_TO:
      if (clock >= 0)
        policy->clocks[clock].escalate_to = level;
      else
        policy->rules[rule].escalate_to = level;
      return TRUE;
    case FIELD_PRIVACY:
      if (!flag)
        warn (ctx, _ ("notifications will show children's names on screens and lock screens"));
      policy->privacy = flag;
      return TRUE;
    case FIELD_ACK_TIMEOUT:
      warn_if_looser (ctx, seconds, defaults->ack_timeout, TRUE);
      policy->ack_timeout = seconds;
      return TRUE;
    case FIELD_LATE_ENTRY:
      policy->late_entry = seconds;
      return TRUE;
    case FIELD_REVIEW_FIRST:
    case FIELD_REVIEW_INTERVAL:
      {
        gint64 limit = def->field == FIELD_REVIEW_FIRST ? 6 * CC_HOUR : 9 * CC_HOUR;
        if (seconds > limit)
          {
            g_autofree char *l = compact_duration (limit);
            g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_STATUTORY,
                         _ ("%s: [%s] %s=%s: PACE s.40 sets at most %s; the schedule can only be made stricter"),
                         ctx->name, ctx->group, ctx->key, v, l);
            return FALSE;
          }
        if (def->field == FIELD_REVIEW_FIRST)
          policy->review_first = seconds;
        else
          policy->review_interval = seconds;
        return TRUE;
      }
    case FIELD_REVIEW_WARN_BEFORE:
      policy->review_warn_before = seconds;
      return TRUE;
    case FIELD_REVIEW_GRACE:
      warn_if_looser (ctx, seconds, defaults->review_postponed_grace, TRUE);
      policy->review_postponed_grace = seconds;
      return TRUE;
    case FIELD_LIMIT_WARN_BEFORE:
      policy->limit_warn_before = seconds;
      return TRUE;
    case FIELD_CELL_INTERVAL:
      warn_if_looser (ctx, seconds, defaults->cell_interval, TRUE);
      policy->cell_interval = seconds;
      return TRUE;
    case FIELD_CELL_INTERVAL_2:
      warn_if_looser (ctx, seconds, defaults->cell_interval_level2, TRUE);
      policy->cell_interval_level2 = seconds;
      return TRUE;
    case FIELD_REST_MIN:
      warn_if_looser (ctx, seconds, defaults->rest_min, FALSE);
      policy->rest_min = seconds;
      return TRUE;
    case FIELD_REST_WARN_AFTER:
      warn_if_looser (ctx, seconds, defaults->rest_warn_after, TRUE);
      policy->rest_warn_after = seconds;
      return TRUE;
    case FIELD_TIMEZONE:
    case FIELD_LADDER:
    default:
      g_assert_not_reached ();
    }
}

/* Checks that need the whole file: thresholds that contradict each other,
 * levels that are not on the ladder. */
static gboolean
check_consistency (CcPolicy   *policy,
                   const char *name,
                   GKeyFile   *file,
                   GError    **error)
{
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      const CcClockPolicy *p = &policy->clocks[c];
      const KeyDef        *keys = keys_for_clock (c);

      if (keys == simple_clock_keys && p->warn > 0 && p->warn >= p->due)
        {
          g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE,
                       _ ("%s: [%s] warn_after must be shorter than breach_after"), name, cc_clock_to_string (c));
          return FALSE;
        }
    }
  if (policy->cell_interval_level2 > policy->cell_interval)
    {
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE,
                   _ ("%s: [cell_visit] interval_level2 must not be longer than interval (level 2 is closer watch)"), name);
      return FALSE;
    }
  if (policy->rest_min + policy->rest_warn_after > CC_DAY)
    {
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE,
                   _ ("%s: [rest] warn_after plus min_rest must fit in the 24-hour window"), name);
      return FALSE;
    }
  if (policy->review_warn_before >= policy->review_first)
    {
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE,
                   _ ("%s: [review] warn_before must be shorter than first_after"), name);
      return FALSE;
    }

  /* An explicit escalate_to must be a rung of the ladder; a default below
   * the first rung starts there instead. */
  for (int i = 0; i < CC_N_CLOCKS + CC_N_RULES; i++)
    {
      const char *group = i < CC_N_CLOCKS ? cc_clock_to_string (i) : cc_rule_to_string (i - CC_N_CLOCKS);
      CcLevel    *level = i < CC_N_CLOCKS ? &policy->clocks[i].escalate_to : &policy->rules[i - CC_N_CLOCKS].escalate_to;
      gboolean    on_ladder = FALSE;

      for (guint r = 0; r < policy->ladder_length; r++)
        on_ladder |= policy->ladder[r] == *level;
      if (on_ladder)
        continue;
      if (file != NULL && g_key_file_has_key (file, group, "escalate_to", NULL))
        {
          g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE,
                       _ ("%s: [%s] escalate_to=%s: not on the escalation ladder"), name, group,
                       cc_level_to_string (*level));
          return FALSE;
        }
      for (guint r = 0; r < policy->ladder_length; r++)
        if (policy->ladder[r] > *level)
          {
            *level = policy->ladder[r];
            break;
          }
      if (policy->ladder[policy->ladder_length - 1] < *level)
        *level = policy->ladder[policy->ladder_length - 1];
    }
  return TRUE;
}

/**
 * cc_policy_load_data:
 * @base: the policy to overlay (defaults, or an earlier file)
 * @data: key file text
 * @name: what to call it in messages (its path)
 * @warnings: (nullable) (element-type utf8): where looser-than-default
 *   settings are reported
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
  g_autoptr (CcPolicy) policy = policy_copy (base);
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (GPtrArray) groups_known = known_groups ();
  g_auto (GStrv) groups = NULL;

  if (!g_key_file_load_from_data (file, data, length < 0 ? strlen (data) : (gsize) length, G_KEY_FILE_NONE,
                                  &local_error))
    {
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_PARSE, _ ("%s: not a policy file: %s"), name,
                   local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      int           clock, rule;
      const KeyDef *keys = keys_for_group (groups[g], &clock, &rule);
      g_auto (GStrv) names = NULL;

      if (keys == NULL)
        {
          g_autofree char *hint = suggestion (groups[g], groups_known);
          g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_GROUP,
                       _ ("%s: [%s] is not a clock, rule or setting of the policy%s"), name, groups[g], hint);
          return NULL;
        }

      names = g_key_file_get_keys (file, groups[g], NULL, NULL);
      for (guint k = 0; names[k] != NULL; k++)
        {
          g_autofree char *raw = g_key_file_get_value (file, groups[g], names[k], NULL);
          g_autofree char *value = strip_value (raw != NULL ? raw : "");
          Ctx              ctx = { name, warnings, groups[g], names[k], value };
          const KeyDef    *def = NULL;

          for (const KeyDef *d = keys; d->key != NULL; d++)
            if (g_str_equal (d->key, names[k]))
              def = d;
          if (def == NULL)
            {
              g_autoptr (GPtrArray) known = g_ptr_array_new ();
              g_autofree char *hint = NULL;
              g_autoptr (GString) allowed = g_string_new (NULL);

              for (const KeyDef *d = keys; d->key != NULL; d++)
                {
                  g_ptr_array_add (known, (gpointer) d->key);
                  g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", d->key);
                }
              hint = suggestion (names[k], known);
              if (g_str_equal (names[k], "enabled") && clock >= 0 && cc_clock_is_statutory (clock))
                g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_STATUTORY,
                             _ ("%s: [%s] enabled: %s is statutory and cannot be switched off"), name, groups[g],
                             groups[g]);
              else
                g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_KEY,
                             _ ("%s: [%s] %s is not a key of this group%s; allowed: %s"), name, groups[g], names[k],
                             hint, allowed->str);
              return NULL;
            }
          if (!set_key (&ctx, policy, defaults, clock, rule, def, error))
            return NULL;
        }
    }

  if (!check_consistency (policy, name, file, error))
    return NULL;
  return g_steal_pointer (&policy);
}

/**
 * cc_policy_load_file:
 *
 * Returns: (transfer full): @base overlaid with the file at @path, or %NULL
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

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_FILE, _ ("%s: cannot read the policy: %s"), path,
                   local_error->message);
      return NULL;
    }
  return cc_policy_load_data (base, contents, length, path, warnings, error);
}

/**
 * cc_policy_load_default_files:
 *
 * The built-in defaults overlaid by `/etc/custody-clock/policy.ini` and then
 * `$XDG_CONFIG_HOME/custody-clock/policy.ini`, where they exist.
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

static void
append_duration (GString    *out,
                 const char *key,
                 gint64      seconds)
{
  g_autofree char *text = seconds > 0 ? compact_duration (seconds) : g_strdup ("none");
  g_string_append_printf (out, "%s=%s\n", key, text);
}

/**
 * cc_policy_to_string:
 *
 * The policy as a complete policy file, every group and key, with the basis
 * of each clock: what `custody-clock policy` prints.  Loading it back gives
 * the same policy.
 *
 * Returns: (transfer full): key file text
 */
char *
cc_policy_to_string (const CcPolicy *p)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_string_append (out, "# Custody Clock policy (the effective one: defaults overlaid by policy files)\n\n");
  g_string_append_printf (out, "[display]\ntimezone=%s\nprivacy=%s\n\n", p->timezone, p->privacy ? "true" : "false");
  g_string_append (out, "[escalation]\n");
  append_duration (out, "ack_timeout", p->ack_timeout);
  g_string_append (out, "ladder=");
  for (guint i = 0; i < p->ladder_length; i++)
    g_string_append_printf (out, "%s%s", i ? ";" : "", cc_level_to_string (p->ladder[i]));
  g_string_append (out, "\n\n[report]\n");
  append_duration (out, "late_entry", p->late_entry);

  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      const CcClockPolicy *cp = &p->clocks[c];
      const KeyDef        *keys = keys_for_clock (c);

      g_string_append_printf (out, "\n# %s\n[%s]\n", clock_basis[c], cc_clock_to_string (c));
      if (keys == simple_clock_keys)
        {
          g_string_append_printf (out, "enabled=%s\n", cp->enabled ? "true" : "false");
          append_duration (out, "warn_after", cp->warn);
          append_duration (out, "breach_after", cp->due);
        }
      else if (c == CC_CLOCK_REVIEW)
        {
          append_duration (out, "first_after", p->review_first);
          append_duration (out, "interval", p->review_interval);
          append_duration (out, "warn_before", p->review_warn_before);
          append_duration (out, "postponed_grace", p->review_postponed_grace);
        }
      else if (c == CC_CLOCK_DETENTION_LIMIT)
        append_duration (out, "warn_before", p->limit_warn_before);
      else if (c == CC_CLOCK_CELL_VISIT)
        {
          g_string_append_printf (out, "enabled=%s\n", cp->enabled ? "true" : "false");
          append_duration (out, "interval", p->cell_interval);
          append_duration (out, "interval_level2", p->cell_interval_level2);
        }
      else if (c == CC_CLOCK_REST)
        {
          g_string_append_printf (out, "enabled=%s\n", cp->enabled ? "true" : "false");
          append_duration (out, "min_rest", p->rest_min);
          append_duration (out, "warn_after", p->rest_warn_after);
        }
      g_string_append_printf (out, "escalate_to=%s\n", cc_level_to_string (cp->escalate_to));
    }

  for (int r = 0; r < CC_N_RULES; r++)
    g_string_append_printf (out, "\n[%s]\nenabled=%s\nescalate_to=%s\n", cc_rule_to_string (r),
                            p->rules[r].enabled ? "true" : "false", cc_level_to_string (p->rules[r].escalate_to));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
