/* cc-rules.c: the names of every clock and rule of clocks.md
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-rules.h"

static const char *const clock_names[CC_N_CLOCKS] = {
  "welfare_informed",
  "aa_requested",
  "aa_arrived",
  "healthcare",
  "review",
  "detention_limit",
  "cell_visit",
  "rest",
  "accommodation_requested",
  "post_charge_transfer",
};

/* What a person reads for each clock: the board, the timeline, the report
 * and the comments of `custody-clock policy`.  Always through
 * cc_clock_display_name(). */
static const char *const clock_display[CC_N_CLOCKS] = {
  N_ ("Person responsible for welfare told"),
  N_ ("Appropriate adult called"),
  N_ ("Appropriate adult arrived"),
  N_ ("Seen by healthcare professional"),
  /* Translators: PACE is the Police and Criminal Evidence Act 1984 */
  N_ ("PACE review"),
  N_ ("Detention time limit"),
  N_ ("Cell visit"),
  N_ ("8 hours' rest"),
  N_ ("Local authority accommodation requested"),
  N_ ("Transfer to local authority accommodation"),
};

static const char *const rule_names[CC_N_RULES] = {
  "interview_without_aa",
  "strip_search_without_aa",
  "strip_search_authority",
  "charged_without_aa",
  "cell_with_adult",
  "cell_without_reason",
  "la_refused",
  "certificate_missing",
  "cp_referral_missing",
  "extension_invalid",
  "review_rank",
};

/* What a person reads for each instant rule: cc_rule_display_name(). */
static const char *const rule_display[CC_N_RULES] = {
  N_ ("Interview without appropriate adult"),
  N_ ("Strip search without appropriate adult"),
  N_ ("Strip search authorised below inspector"),
  N_ ("Charged without appropriate adult"),
  N_ ("Child in a cell with an adult"),
  N_ ("Child put in a cell without a recorded reason"),
  N_ ("Local authority refused accommodation"),
  /* Translators: s.38(7) is section 38(7) of PACE, the certificate that
   * moving a child to local authority accommodation was impracticable */
  N_ ("Went to court without s.38(7) certificate"),
  N_ ("No child-protection referral"),
  /* Translators: s.42 is section 42 of PACE: a superintendent extending
   * detention beyond 24 hours */
  N_ ("Invalid s.42 extension"),
  N_ ("Review by an officer below inspector"),
};

static const char *const level_names[CC_N_LEVELS] = {
  "sergeant",
  "inspector",
  "superintendent",
};

/* The ranks as a person reads them, lower case as in running text
 * ("escalated to inspector"): cc_level_display_name(). */
static const char *const level_display[CC_N_LEVELS] = {
  NC_ ("rank", "sergeant"),
  NC_ ("rank", "inspector"),
  NC_ ("rank", "superintendent"),
};

static int
lookup (const char *const *names,
        int                n,
        const char        *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < n; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

const char *
cc_clock_to_string (CcClockId clock)
{
  g_return_val_if_fail ((guint) clock < CC_N_CLOCKS, NULL);
  return clock_names[clock];
}

CcClockId
cc_clock_from_string (const char *name)
{
  return (CcClockId) lookup (clock_names, CC_N_CLOCKS, name);
}

const char *
cc_clock_display_name (CcClockId clock)
{
  g_return_val_if_fail ((guint) clock < CC_N_CLOCKS, NULL);
  return _ (clock_display[clock]);
}

/* PACE ss.40–44: the schedule and the limit are the law, not local policy. */
gboolean
cc_clock_is_statutory (CcClockId clock)
{
  return clock == CC_CLOCK_REVIEW || clock == CC_CLOCK_DETENTION_LIMIT;
}

const char *
cc_rule_to_string (CcRuleId rule)
{
  g_return_val_if_fail ((guint) rule < CC_N_RULES, NULL);
  return rule_names[rule];
}

CcRuleId
cc_rule_from_string (const char *name)
{
  return (CcRuleId) lookup (rule_names, CC_N_RULES, name);
}

const char *
cc_rule_display_name (CcRuleId rule)
{
  g_return_val_if_fail ((guint) rule < CC_N_RULES, NULL);
  return _ (rule_display[rule]);
}

/**
 * cc_breach_rule_display_name:
 * @rule: what a breach or escalation record names: a clock id
 *   (`aa_arrived`) or an instant rule id (`strip_search_without_aa`)
 *
 * Returns: (transfer none): its display name, translated; an id this
 *   program does not know is shown as it is
 */
const char *
cc_breach_rule_display_name (const char *rule)
{
  CcClockId clock = cc_clock_from_string (rule);
  CcRuleId  instant;

  if ((int) clock >= 0)
    return cc_clock_display_name (clock);
  instant = cc_rule_from_string (rule);
  if ((int) instant >= 0)
    return cc_rule_display_name (instant);
  return rule;
}

/* PACE sections (s.42, s.40(1)(b), s.38(7)) cannot be switched off. */
gboolean
cc_rule_is_statutory (CcRuleId rule)
{
  return rule == CC_RULE_EXTENSION_INVALID || rule == CC_RULE_REVIEW_RANK ||
         rule == CC_RULE_CERTIFICATE_MISSING;
}

const char *
cc_level_to_string (CcLevel level)
{
  g_return_val_if_fail ((guint) level < CC_N_LEVELS, NULL);
  return level_names[level];
}

CcLevel
cc_level_from_string (const char *name)
{
  return (CcLevel) lookup (level_names, CC_N_LEVELS, name);
}

/**
 * cc_level_display_name:
 * @level: an escalation level
 *
 * The level (a police rank) as a person reads it, translated, in lower case
 * as in running text: "sergeant", "inspector", "superintendent".  JSON, the
 * database and policy files keep cc_level_to_string().
 *
 * Returns: (transfer none): the display name
 */
const char *
cc_level_display_name (CcLevel level)
{
  g_return_val_if_fail ((guint) level < CC_N_LEVELS, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "rank", level_display[level]);
}
