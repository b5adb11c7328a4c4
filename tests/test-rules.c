/* test-rules.c: the names of the clocks, the instant rules and the levels
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cc-rules.c is the one place the ids the JSON, the database and policy
 * files carry meet the names a person reads.  Each table below is the
 * contract for one enum, in the enum's order (clocks.md's table order,
 * which the JSON lists follow): every id goes to its string and back, shows
 * its English display name, and says whether the law or the policy rules
 * it.  The program never calls setlocale(), so gettext returns the source
 * text (British English); the translations are test-i18n's.
 */
#include "config.h"

#include "cc-rules.h"

/* The library's log domain, for its criticals. */
#define LIB_DOMAIN "CustodyClock"

typedef struct
{
  int         id;
  const char *name;
  const char *display;
  gboolean    statutory;
} Name;

static const Name clocks[] = {
  { CC_CLOCK_WELFARE_INFORMED, "welfare_informed", "Person responsible for welfare told", FALSE },
  { CC_CLOCK_AA_REQUESTED, "aa_requested", "Appropriate adult called", FALSE },
  { CC_CLOCK_AA_ARRIVED, "aa_arrived", "Appropriate adult arrived", FALSE },
  { CC_CLOCK_HEALTHCARE, "healthcare", "Seen by healthcare professional", FALSE },
  { CC_CLOCK_REVIEW, "review", "PACE review", TRUE },
  { CC_CLOCK_DETENTION_LIMIT, "detention_limit", "Detention time limit", TRUE },
  { CC_CLOCK_CELL_VISIT, "cell_visit", "Cell visit", FALSE },
  { CC_CLOCK_REST, "rest", "8 hours' rest", FALSE },
  { CC_CLOCK_ACCOMMODATION_REQUESTED, "accommodation_requested", "Local authority accommodation requested", FALSE },
  { CC_CLOCK_POST_CHARGE_TRANSFER, "post_charge_transfer", "Transfer to local authority accommodation", FALSE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (clocks) == CC_N_CLOCKS);

static const Name rules[] = {
  { CC_RULE_INTERVIEW_WITHOUT_AA, "interview_without_aa", "Interview without appropriate adult", FALSE },
  { CC_RULE_STRIP_SEARCH_WITHOUT_AA, "strip_search_without_aa", "Strip search without appropriate adult", FALSE },
  { CC_RULE_STRIP_SEARCH_AUTHORITY, "strip_search_authority", "Strip search authorised below inspector", FALSE },
  { CC_RULE_CHARGED_WITHOUT_AA, "charged_without_aa", "Charged without appropriate adult", FALSE },
  { CC_RULE_CELL_WITH_ADULT, "cell_with_adult", "Child in a cell with an adult", FALSE },
  { CC_RULE_CELL_WITHOUT_REASON, "cell_without_reason", "Child put in a cell without a recorded reason", FALSE },
  { CC_RULE_LA_REFUSED, "la_refused", "Local authority refused accommodation", FALSE },
  { CC_RULE_CERTIFICATE_MISSING, "certificate_missing", "Went to court without s.38(7) certificate", TRUE },
  { CC_RULE_CP_REFERRAL_MISSING, "cp_referral_missing", "No child-protection referral", FALSE },
  { CC_RULE_EXTENSION_INVALID, "extension_invalid", "Invalid s.42 extension", TRUE },
  { CC_RULE_REVIEW_RANK, "review_rank", "Review by an officer below inspector", TRUE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (rules) == CC_N_RULES);

/* Levels have no statutory flag: the ladder is the policy's. */
static const Name levels[] = {
  { CC_LEVEL_SERGEANT, "sergeant", "sergeant", FALSE },
  { CC_LEVEL_INSPECTOR, "inspector", "inspector", FALSE },
  { CC_LEVEL_SUPERINTENDENT, "superintendent", "superintendent", FALSE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (levels) == CC_N_LEVELS);

/* Names that are not ids: close misses included, since ids are matched
 * exactly (the policy's "did you mean" is cc-suggest.c's). */
static const char *const unknown[] = {
  "",
  "nope",
  "AA_ARRIVED",
  "aa-arrived",
  " aa_arrived",
  "aa_arrived ",
  "Sergeant",
  "breach",
};

static void
test_clocks (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (clocks); i++)
    {
      const Name *c = &clocks[i];

      g_assert_cmpint (c->id, ==, i); /* the table order is the enum's */
      g_assert_cmpstr (cc_clock_to_string (c->id), ==, c->name);
      g_assert_cmpint (cc_clock_from_string (c->name), ==, c->id);
      g_assert_cmpstr (cc_clock_display_name (c->id), ==, c->display);
      g_assert_cmpint (cc_clock_is_statutory (c->id), ==, c->statutory);
      /* A clock's id is not a rule's or a level's. */
      g_assert_cmpint ((int) cc_rule_from_string (c->name), ==, -1);
      g_assert_cmpint ((int) cc_level_from_string (c->name), ==, -1);
    }
}

static void
test_rules (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const Name *r = &rules[i];

      g_assert_cmpint (r->id, ==, i);
      g_assert_cmpstr (cc_rule_to_string (r->id), ==, r->name);
      g_assert_cmpint (cc_rule_from_string (r->name), ==, r->id);
      g_assert_cmpstr (cc_rule_display_name (r->id), ==, r->display);
      g_assert_cmpint (cc_rule_is_statutory (r->id), ==, r->statutory);
      g_assert_cmpint ((int) cc_clock_from_string (r->name), ==, -1);
      g_assert_cmpint ((int) cc_level_from_string (r->name), ==, -1);
    }
}

static void
test_levels (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      const Name *l = &levels[i];

      g_assert_cmpint (l->id, ==, i);
      g_assert_cmpstr (cc_level_to_string (l->id), ==, l->name);
      g_assert_cmpint (cc_level_from_string (l->name), ==, l->id);
      /* Lower case, as in running text ("escalated to inspector"). */
      g_assert_cmpstr (cc_level_display_name (l->id), ==, l->display);
      g_assert_cmpint ((int) cc_clock_from_string (l->name), ==, -1);
      g_assert_cmpint ((int) cc_rule_from_string (l->name), ==, -1);
    }
  /* The ladder climbs in the enum's order. */
  g_assert_cmpint (CC_LEVEL_SERGEANT, <, CC_LEVEL_INSPECTOR);
  g_assert_cmpint (CC_LEVEL_INSPECTOR, <, CC_LEVEL_SUPERINTENDENT);
}

/* What a breach or escalation record names is a clock's id or a rule's. */
static void
test_breach_rule_display_name (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (clocks); i++)
    g_assert_cmpstr (cc_breach_rule_display_name (clocks[i].name), ==, clocks[i].display);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    g_assert_cmpstr (cc_breach_rule_display_name (rules[i].name), ==, rules[i].display);
  /* An id this program does not know (a newer writer's) is shown as it
   * is: the very string, not a copy. */
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_true (cc_breach_rule_display_name (unknown[i]) == unknown[i]);
}

static void
test_unknown (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_assert_cmpint ((int) cc_clock_from_string (unknown[i]), ==, -1);
      g_assert_cmpint ((int) cc_rule_from_string (unknown[i]), ==, -1);
      g_assert_cmpint ((int) cc_level_from_string (unknown[i]), ==, -1);
    }
  /* No name at all is unknown too, not a crash. */
  g_assert_cmpint ((int) cc_clock_from_string (NULL), ==, -1);
  g_assert_cmpint ((int) cc_rule_from_string (NULL), ==, -1);
  g_assert_cmpint ((int) cc_level_from_string (NULL), ==, -1);
}

/* An id outside the enum is a programming error: a critical and NULL. */
#define ASSERT_REFUSED(call)                                                        \
  G_STMT_START                                                                      \
  {                                                                                 \
    g_test_expect_message (LIB_DOMAIN, G_LOG_LEVEL_CRITICAL, "*assertion*failed*"); \
    g_assert_null (call);                                                           \
    g_test_assert_expected_messages ();                                             \
  }                                                                                 \
  G_STMT_END

static void
test_out_of_range (void)
{
  ASSERT_REFUSED (cc_clock_to_string (CC_N_CLOCKS));
  ASSERT_REFUSED (cc_clock_to_string ((CcClockId) -1));
  ASSERT_REFUSED (cc_clock_display_name (CC_N_CLOCKS));
  ASSERT_REFUSED (cc_rule_to_string (CC_N_RULES));
  ASSERT_REFUSED (cc_rule_display_name (CC_N_RULES));
  ASSERT_REFUSED (cc_level_to_string (CC_N_LEVELS));
  ASSERT_REFUSED (cc_level_display_name (CC_N_LEVELS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/clocks", test_clocks);
  g_test_add_func ("/rules/rules", test_rules);
  g_test_add_func ("/rules/levels", test_levels);
  g_test_add_func ("/rules/breach-rule-display-name", test_breach_rule_display_name);
  g_test_add_func ("/rules/unknown", test_unknown);
  g_test_add_func ("/rules/out-of-range", test_out_of_range);

  return g_test_run ();
}
