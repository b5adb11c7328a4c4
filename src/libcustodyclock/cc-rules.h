/* cc-rules.h: the names of every clock and rule of clocks.md
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The clocks, in clocks.md's table order (the JSON lists them so). */
typedef enum
{
  CC_CLOCK_WELFARE_INFORMED,
  CC_CLOCK_AA_REQUESTED,
  CC_CLOCK_AA_ARRIVED,
  CC_CLOCK_HEALTHCARE,
  CC_CLOCK_REVIEW,
  CC_CLOCK_DETENTION_LIMIT,
  CC_CLOCK_CELL_VISIT,
  CC_CLOCK_REST,
  CC_CLOCK_ACCOMMODATION_REQUESTED,
  CC_CLOCK_POST_CHARGE_TRANSFER,
  CC_N_CLOCKS,
} CcClockId;

/* The instant rules, in clocks.md's table order. */
typedef enum
{
  CC_RULE_INTERVIEW_WITHOUT_AA,
  CC_RULE_STRIP_SEARCH_WITHOUT_AA,
  CC_RULE_STRIP_SEARCH_AUTHORITY,
  CC_RULE_CHARGED_WITHOUT_AA,
  CC_RULE_CELL_WITH_ADULT,
  CC_RULE_CELL_WITHOUT_REASON,
  CC_RULE_LA_REFUSED,
  CC_RULE_CERTIFICATE_MISSING,
  CC_RULE_CP_REFERRAL_MISSING,
  CC_RULE_EXTENSION_INVALID,
  CC_RULE_REVIEW_RANK,
  CC_N_RULES,
} CcRuleId;

/* Escalation levels: the default ladder's rungs. */
typedef enum
{
  CC_LEVEL_SERGEANT,
  CC_LEVEL_INSPECTOR,
  CC_LEVEL_SUPERINTENDENT,
  CC_N_LEVELS,
} CcLevel;

const char *cc_clock_to_string (CcClockId clock);
CcClockId   cc_clock_from_string (const char *name); /* -1 when unknown */
gboolean    cc_clock_is_statutory (CcClockId clock);
const char *cc_rule_to_string (CcRuleId rule);
CcRuleId    cc_rule_from_string (const char *name); /* -1 when unknown */
gboolean    cc_rule_is_statutory (CcRuleId rule);
const char *cc_clock_display_name (CcClockId clock);
const char *cc_rule_display_name (CcRuleId rule);
const char *cc_breach_rule_display_name (const char *rule);
const char *cc_level_to_string (CcLevel level);
const char *cc_level_display_name (CcLevel level);
CcLevel     cc_level_from_string (const char *name); /* -1 when unknown */

G_END_DECLS
