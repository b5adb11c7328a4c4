/* test-policy.c: the policy file
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cc-policy.h"
#include "cc-test-util.h"

static CcPolicy *
load (const char *text,
      GPtrArray  *warnings,
      GError    **error)
{
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();

  return cc_policy_load_data (defaults, text, -1, "test.ini", warnings, error);
}

static void
assert_refused (const char *text,
                int         code,
                const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = load (text, NULL, &error);

  g_assert_null (policy);
  g_assert_error (error, CC_POLICY_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” lacks “%s”", error->message, fragment);
  g_assert_true (g_str_has_prefix (error->message, "test.ini: "));
}

static void
test_defaults (void)
{
  g_autoptr (CcPolicy) p = cc_policy_new_default ();

  g_assert_cmpstr (p->timezone, ==, "Europe/London");
  g_assert_true (p->privacy);
  g_assert_cmpint (p->ack_timeout, ==, 15 * CC_MINUTE);
  g_assert_cmpuint (p->ladder_length, ==, 3);
  g_assert_cmpint (p->clocks[CC_CLOCK_WELFARE_INFORMED].due, ==, CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_WELFARE_INFORMED].warn, ==, 0);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_REQUESTED].warn, ==, 15 * CC_MINUTE);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_REQUESTED].due, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].warn, ==, 2 * CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 4 * CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].escalate_to, ==, CC_LEVEL_INSPECTOR);
  g_assert_cmpint (p->clocks[CC_CLOCK_HEALTHCARE].due, ==, 2 * CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_DETENTION_LIMIT].escalate_to, ==, CC_LEVEL_SUPERINTENDENT);
  g_assert_cmpint (p->clocks[CC_CLOCK_ACCOMMODATION_REQUESTED].due, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->clocks[CC_CLOCK_POST_CHARGE_TRANSFER].due, ==, 4 * CC_HOUR);
  g_assert_cmpint (p->review_first, ==, 6 * CC_HOUR);
  g_assert_cmpint (p->review_interval, ==, 9 * CC_HOUR);
  g_assert_cmpint (p->cell_interval_level2, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->rest_min, ==, 8 * CC_HOUR);
  g_assert_cmpint (p->rules[CC_RULE_EXTENSION_INVALID].escalate_to, ==, CC_LEVEL_SUPERINTENDENT);
  g_assert_cmpint (p->rules[CC_RULE_CHARGED_WITHOUT_AA].escalate_to, ==, CC_LEVEL_SERGEANT);
}

/* The example of interfaces.md, trailing comment and all. */
static void
test_interfaces_example (void)
{
  const char *text =
    "[display]\n"
    "timezone=Europe/London\n"
    "privacy=true                 # notifications show record number and rule, never names\n\n"
    "[escalation]\nack_timeout=15m\nladder=sergeant;inspector;superintendent\n\n"
    "[aa_arrived]\nwarn_after=2h\nbreach_after=4h\nescalate_to=inspector\n\n"
    "[review]\nwarn_before=30m\npostponed_grace=1h\n\n"
    "[cell_visit]\ninterval=60m\ninterval_level2=30m\nenabled=true\n\n"
    "[cp_referral_missing]\nenabled=true\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CcPolicy) p = load (text, warnings, &error);

  g_assert_no_error (error);
  g_assert_true (p->privacy);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_errors (void)
{
  assert_refused ("[aa_arived]\nbreach_after=4h\n", CC_POLICY_ERROR_UNKNOWN_GROUP, "did you mean “aa_arrived”");
  assert_refused ("[aa_arrived]\nbreach_afte=4h\n", CC_POLICY_ERROR_UNKNOWN_KEY, "did you mean “breach_after”");
  assert_refused ("[aa_arrived]\nbreach_after=4 hours\n", CC_POLICY_ERROR_INVALID_VALUE, "[aa_arrived] breach_after=4 hours");
  assert_refused ("[display]\nprivacy=yes\n", CC_POLICY_ERROR_INVALID_VALUE, "true or false");
  assert_refused ("[display]\ntimezone=Europe/Atlantis\n", CC_POLICY_ERROR_INVALID_VALUE, "time zone");
  assert_refused ("[escalation]\nladder=inspector;sergeant\n", CC_POLICY_ERROR_INVALID_VALUE, "climb");
  assert_refused ("[escalation]\nladder=inspector;superintendent\n[healthcare]\nescalate_to=sergeant\n",
                  CC_POLICY_ERROR_INVALID_VALUE, "not on the escalation ladder");
  assert_refused ("[review]\nenabled=false\n", CC_POLICY_ERROR_STATUTORY, "statutory");
  assert_refused ("[review]\nfirst_after=7h\n", CC_POLICY_ERROR_STATUTORY, "PACE s.40");
  assert_refused ("[review]\ninterval=10h\n", CC_POLICY_ERROR_STATUTORY, "at most 9h");
  assert_refused ("[extension_invalid]\nenabled=false\n", CC_POLICY_ERROR_STATUTORY, "section of PACE");
  assert_refused ("[aa_requested]\nwarn_after=40m\n", CC_POLICY_ERROR_INVALID_VALUE, "shorter than breach_after");
  assert_refused ("[cell_visit]\ninterval_level2=90m\n", CC_POLICY_ERROR_INVALID_VALUE, "interval_level2");
  assert_refused ("[display\n", CC_POLICY_ERROR_PARSE, "not a policy file");
}

static void
test_looser_and_stricter (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CcPolicy) p = NULL;

  p = load ("[aa_arrived]\nbreach_after=6h\n[healthcare]\nbreach_after=90m\nwarn_after=none\n"
            "[review]\nfirst_after=4h\n[welfare_informed]\nenabled=false\n[cp_referral_missing]\nenabled=false\n",
            warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "[aa_arrived] breach_after=6h: looser than the default 4h"));
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 6 * CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_HEALTHCARE].due, ==, 90 * CC_MINUTE);
  g_assert_cmpint (p->clocks[CC_CLOCK_HEALTHCARE].warn, ==, 0);
  g_assert_cmpint (p->review_first, ==, 4 * CC_HOUR);
  g_assert_false (p->clocks[CC_CLOCK_WELFARE_INFORMED].enabled);
  g_assert_false (p->rules[CC_RULE_CP_REFERRAL_MISSING].enabled);
}

/* Tests and demonstrations use thresholds of one second. */
static void
test_one_second (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) p = load ("[aa_requested]\nwarn_after=1s\nbreach_after=2s\n[escalation]\nack_timeout=1s\n",
                                 NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_REQUESTED].due, ==, 2);
  g_assert_cmpint (p->ack_timeout, ==, 1);
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) p = load ("[aa_arrived]\nbreach_after=3h30m\n[cell_visit]\nenabled=false\n"
                                 "[escalation]\nladder=inspector;superintendent\nack_timeout=90s\n"
                                 "[display]\ntimezone=Europe/Dublin\n",
                                 NULL, &error);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr (CcPolicy) back = NULL;

  g_assert_no_error (error);
  text = cc_policy_to_string (p);
  g_assert_nonnull (strstr (text, "breach_after=3h30m"));
  g_assert_nonnull (strstr (text, "# PACE s.40"));
  back = load (text, NULL, &error);
  g_assert_no_error (error);
  again = cc_policy_to_string (back);
  g_assert_cmpstr (again, ==, text);
  g_assert_cmpint (back->clocks[CC_CLOCK_HEALTHCARE].escalate_to, ==, CC_LEVEL_INSPECTOR); /* lifted to the ladder */
  g_assert_cmpint (back->ack_timeout, ==, 90);
  g_assert_cmpstr (back->timezone, ==, "Europe/Dublin");
}

/* A later file overrides an earlier one, key by key. */
static void
test_overlay (void)
{
  g_autofree char *dir = cc_test_tmpdir ();
  g_autofree char *first = g_build_filename (dir, "system.ini", NULL);
  g_autofree char *second = g_build_filename (dir, "user.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) a = NULL;
  g_autoptr (CcPolicy) b = NULL;

  cc_test_write_file (first, "[aa_arrived]\nbreach_after=3h\nwarn_after=1h\n");
  cc_test_write_file (second, "[aa_arrived]\nbreach_after=2h\n");
  a = cc_policy_load_file (defaults, first, NULL, &error);
  g_assert_no_error (error);
  b = cc_policy_load_file (a, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 2 * CC_HOUR);
  g_assert_cmpint (b->clocks[CC_CLOCK_AA_ARRIVED].warn, ==, 1 * CC_HOUR);
  g_assert_cmpint (a->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 3 * CC_HOUR); /* unchanged */

  g_clear_pointer (&b, cc_policy_unref);
  b = cc_policy_load_file (defaults, "/nonexistent/policy.ini", NULL, &error);
  g_assert_null (b);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_FILE);
  cc_test_rm_rf (dir);
}

/* The documented example installed with the program is the default policy. */
static void
test_shipped_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "policy.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) shipped = cc_policy_load_file (defaults, path, NULL, &error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  a = cc_policy_to_string (defaults);
  b = cc_policy_to_string (shipped);
  g_assert_cmpstr (a, ==, b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/policy/defaults", test_defaults);
  g_test_add_func ("/policy/interfaces-example", test_interfaces_example);
  g_test_add_func ("/policy/errors", test_errors);
  g_test_add_func ("/policy/looser-and-stricter", test_looser_and_stricter);
  g_test_add_func ("/policy/one-second", test_one_second);
  g_test_add_func ("/policy/round-trip", test_round_trip);
  g_test_add_func ("/policy/overlay", test_overlay);
  g_test_add_func ("/policy/shipped-example", test_shipped_example);

  return g_test_run ();
}
