/* test-policy.c: the policy file
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cc-paths.h"
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
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” lacks “%s”", haystack, needle);
}

/* Loads @text, expecting @code; the message must start with @prefix (the
 * "FILE: [group] key=value: " that lets a person find the line) and
 * contain @fragment. */
static void
assert_refused (const char *text,
                int         code,
                const char *prefix,
                const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = load (text, NULL, &error);

  g_assert_null (policy);
  g_assert_error (error, CC_POLICY_ERROR, code);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
  assert_contains (error->message, fragment);
  g_assert_null (strchr (error->message, '\n')); /* one line */
}

/* Loads @text, expecting success and exactly @n_warnings warnings. */
static CcPolicy *
load_ok (const char *text,
         guint       n_warnings,
         GPtrArray **out_warnings)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  CcPolicy *policy = load (text, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (policy);
  if (warnings->len != n_warnings)
    {
      for (guint i = 0; i < warnings->len; i++)
        g_test_message ("warning: %s", (const char *) g_ptr_array_index (warnings, i));
      g_error ("%u warnings for “%s”, expected %u", warnings->len, text, n_warnings);
    }
  if (out_warnings != NULL)
    *out_warnings = g_steal_pointer (&warnings);
  return policy;
}

/* Every default of clocks.md's tables. */
static void
test_defaults (void)
{
  static const struct
  {
    CcClockId clock;
    gint64    warn, due;
    CcLevel   level;
  } clocks[] = {
    { CC_CLOCK_WELFARE_INFORMED, 0, 1 * CC_HOUR, CC_LEVEL_SERGEANT },
    { CC_CLOCK_AA_REQUESTED, 15 * CC_MINUTE, 30 * CC_MINUTE, CC_LEVEL_SERGEANT },
    { CC_CLOCK_AA_ARRIVED, 2 * CC_HOUR, 4 * CC_HOUR, CC_LEVEL_INSPECTOR },
    { CC_CLOCK_HEALTHCARE, 1 * CC_HOUR, 2 * CC_HOUR, CC_LEVEL_SERGEANT },
    { CC_CLOCK_REVIEW, 0, 0, CC_LEVEL_INSPECTOR },
    { CC_CLOCK_DETENTION_LIMIT, 0, 0, CC_LEVEL_SUPERINTENDENT },
    { CC_CLOCK_CELL_VISIT, 0, 0, CC_LEVEL_SERGEANT },
    { CC_CLOCK_REST, 0, 0, CC_LEVEL_SERGEANT },
    { CC_CLOCK_ACCOMMODATION_REQUESTED, 0, 30 * CC_MINUTE, CC_LEVEL_SERGEANT },
    { CC_CLOCK_POST_CHARGE_TRANSFER, 2 * CC_HOUR, 4 * CC_HOUR, CC_LEVEL_INSPECTOR },
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
  g_autoptr (CcPolicy) p = cc_policy_new_default ();
  g_autoptr (GTimeZone) london = g_time_zone_new_identifier ("Europe/London");

  g_assert_cmpstr (p->timezone, ==, "Europe/London");
  g_assert_nonnull (p->tz);
  if (london != NULL)
    g_assert_cmpstr (g_time_zone_get_identifier (p->tz), ==, "Europe/London");
  g_assert_true (p->privacy);
  g_assert_cmpint (p->ack_timeout, ==, 15 * CC_MINUTE);
  g_assert_cmpuint (p->ladder_length, ==, 3);
  g_assert_cmpint (p->ladder[0], ==, CC_LEVEL_SERGEANT);
  g_assert_cmpint (p->ladder[1], ==, CC_LEVEL_INSPECTOR);
  g_assert_cmpint (p->ladder[2], ==, CC_LEVEL_SUPERINTENDENT);
  g_assert_cmpint (p->late_entry, ==, 15 * CC_MINUTE);

  g_assert_cmpuint (G_N_ELEMENTS (clocks), ==, CC_N_CLOCKS);
  for (gsize i = 0; i < G_N_ELEMENTS (clocks); i++)
    {
      const CcClockPolicy *cp = &p->clocks[clocks[i].clock];

      g_test_message ("clock %s", cc_clock_to_string (clocks[i].clock));
      g_assert_true (cp->enabled);
      g_assert_cmpint (cp->warn, ==, clocks[i].warn);
      g_assert_cmpint (cp->due, ==, clocks[i].due);
      g_assert_cmpint (cp->escalate_to, ==, clocks[i].level);
    }
  for (int r = 0; r < CC_N_RULES; r++)
    {
      g_test_message ("rule %s", cc_rule_to_string (r));
      g_assert_true (p->rules[r].enabled);
      g_assert_cmpint (p->rules[r].escalate_to, ==, rules[r]);
    }

  g_assert_cmpint (p->review_first, ==, 6 * CC_HOUR);
  g_assert_cmpint (p->review_interval, ==, 9 * CC_HOUR);
  g_assert_cmpint (p->review_warn_before, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->review_postponed_grace, ==, 1 * CC_HOUR);
  g_assert_cmpint (p->limit_warn_before, ==, 4 * CC_HOUR);
  g_assert_cmpint (p->cell_interval, ==, 60 * CC_MINUTE);
  g_assert_cmpint (p->cell_interval_level2, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->rest_min, ==, 8 * CC_HOUR);
  g_assert_cmpint (p->rest_warn_after, ==, 16 * CC_HOUR);
}

/* The names are the spelling of clocks.md, which the JSON output and the
 * policy file both use. */
static void
test_names (void)
{
  const char *clocks[] = { "welfare_informed", "aa_requested", "aa_arrived", "healthcare", "review",
                           "detention_limit", "cell_visit", "rest", "accommodation_requested",
                           "post_charge_transfer" };
  const char *rules[] = { "interview_without_aa", "strip_search_without_aa", "strip_search_authority",
                          "charged_without_aa", "cell_with_adult", "cell_without_reason", "la_refused",
                          "certificate_missing", "cp_referral_missing", "extension_invalid", "review_rank" };
  const char *levels[] = { "sergeant", "inspector", "superintendent" };

  G_STATIC_ASSERT (G_N_ELEMENTS (clocks) == CC_N_CLOCKS);
  G_STATIC_ASSERT (G_N_ELEMENTS (rules) == CC_N_RULES);
  G_STATIC_ASSERT (G_N_ELEMENTS (levels) == CC_N_LEVELS);

  for (int i = 0; i < CC_N_CLOCKS; i++)
    {
      g_assert_cmpstr (cc_clock_to_string (i), ==, clocks[i]);
      g_assert_cmpint (cc_clock_from_string (clocks[i]), ==, i);
      g_assert_cmpuint (strlen (cc_clock_display_name (i)), >, 0);
      g_assert_cmpint (cc_clock_is_statutory (i), ==, i == CC_CLOCK_REVIEW || i == CC_CLOCK_DETENTION_LIMIT);
    }
  for (int i = 0; i < CC_N_RULES; i++)
    {
      g_assert_cmpstr (cc_rule_to_string (i), ==, rules[i]);
      g_assert_cmpint (cc_rule_from_string (rules[i]), ==, i);
      g_assert_cmpuint (strlen (cc_rule_display_name (i)), >, 0);
      g_assert_cmpint (cc_rule_is_statutory (i), ==,
                       i == CC_RULE_EXTENSION_INVALID || i == CC_RULE_REVIEW_RANK || i == CC_RULE_CERTIFICATE_MISSING);
    }
  for (int i = 0; i < CC_N_LEVELS; i++)
    {
      g_assert_cmpstr (cc_level_to_string (i), ==, levels[i]);
      g_assert_cmpint (cc_level_from_string (levels[i]), ==, i);
    }

  /* The enums have no negative member, so the compiler may make them
   * unsigned: callers compare (int) name < 0. */
  g_assert_cmpint ((int) cc_clock_from_string ("aa_arived"), ==, -1);
  g_assert_cmpint ((int) cc_clock_from_string (NULL), ==, -1);
  g_assert_cmpint ((int) cc_rule_from_string ("review"), ==, -1);
  g_assert_cmpint ((int) cc_level_from_string ("chief_inspector"), ==, -1);
  g_assert_cmpint ((int) cc_level_from_string ("Sergeant"), ==, -1);

  g_assert_cmpstr (cc_clock_display_name (CC_CLOCK_AA_ARRIVED), ==, "Appropriate adult arrived");
  g_assert_cmpstr (cc_clock_display_name (CC_CLOCK_REST), ==, "8 hours' rest");
  g_assert_cmpstr (cc_rule_display_name (CC_RULE_CERTIFICATE_MISSING), ==,
                   "Went to court without s.38(7) certificate");
}

/* The example of interfaces.md, character for character, trailing comment
 * and all: it restates the defaults, so it loads silently to them. */
static void
test_interfaces_example (void)
{
  const char *text = "[display]\n"
                     "timezone=Europe/London\n"
                     "privacy=true                 # notifications show record number and rule, never names\n"
                     "\n"
                     "[escalation]\n"
                     "ack_timeout=15m\n"
                     "ladder=sergeant;inspector;superintendent\n"
                     "\n"
                     "[aa_arrived]\n"
                     "warn_after=2h\n"
                     "breach_after=4h\n"
                     "escalate_to=inspector\n"
                     "\n"
                     "[review]\n"
                     "warn_before=30m\n"
                     "postponed_grace=1h\n"
                     "\n"
                     "[cell_visit]\n"
                     "interval=60m\n"
                     "interval_level2=30m\n"
                     "enabled=true\n"
                     "\n"
                     "[cp_referral_missing]\n"
                     "enabled=true\n";
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) p = load_ok (text, 0, NULL);

  g_assert_true (p->privacy);
  g_assert_true (cc_policy_equal (p, defaults));
}

/* GKeyFile keeps "  # …" as part of the value; the policy cuts it, after
 * a space or a tab, on any key. */
static void
test_trailing_comments (void)
{
  g_autoptr (CcPolicy) p = load_ok ("# a whole-line comment\n"
                                    "[display]\n"
                                    "privacy=false\t# tab before the comment\n"
                                    "timezone=Europe/Dublin # the suite is in Dublin\n"
                                    "[aa_arrived]\n"
                                    "breach_after=3h   #  three hours\n"
                                    "warn_after=none # no warning\n",
                                    2, NULL); /* privacy=false and no warning */

  g_assert_false (p->privacy);
  g_assert_cmpstr (p->timezone, ==, "Europe/Dublin");
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 3 * CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].warn, ==, 0);

  /* Only a '#' after a blank starts a comment. */
  assert_refused ("[aa_arrived]\nbreach_after=3h#x\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] breach_after=3h#x: ", "not a duration");
}

static void
test_error_parse (void)
{
  assert_refused ("[display]\nprivacy=true\nthis line is wrong\n", CC_POLICY_ERROR_PARSE, "test.ini: line 3: ",
                  "not a policy file");
  assert_refused ("privacy=true\n[display]\n", CC_POLICY_ERROR_PARSE, "test.ini: line 1: ", "not a policy file");
  assert_refused ("[display\nprivacy=true\n", CC_POLICY_ERROR_PARSE, "test.ini: ", "not a policy file");
}

/* Found by fuzzing (tests/fuzz/fuzz-policy): GKeyFile takes any bytes, so
 * a group name or value that was not UTF-8 went into the message as it
 * was.  The file is refused first, naming the line. */
static void
test_error_not_utf8 (void)
{
  static const char with_nul[] = "[display]\nprivacy=true\0\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) policy = NULL;

  assert_refused ("[displ\xe9y]\nprivacy=true\n", CC_POLICY_ERROR_PARSE, "test.ini: line 1: ", "not UTF-8");
  assert_refused ("# comment\n[display]\ntimezone=Europe/London\xff\n", CC_POLICY_ERROR_PARSE,
                  "test.ini: line 3: ", "not UTF-8");

  policy = cc_policy_load_data (defaults, with_nul, sizeof with_nul - 1, "test.ini", NULL, &error);
  g_assert_null (policy);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_PARSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_contains (error->message, "test.ini: line 2: ");
}

static void
test_error_unknown_group (void)
{
  assert_refused ("[aa_arived]\nbreach_after=4h\n", CC_POLICY_ERROR_UNKNOWN_GROUP, "test.ini: [aa_arived] ",
                  "(did you mean “aa_arrived”?)");
  assert_refused ("[Review]\n", CC_POLICY_ERROR_UNKNOWN_GROUP, "test.ini: [Review] ", "did you mean “review”");
  /* The one matcher of the program (cc-suggest.c): dashes do not count and
   * two letters swapped are one slip, as for event types. */
  assert_refused ("[aa-requested]\n", CC_POLICY_ERROR_UNKNOWN_GROUP, "test.ini: [aa-requested] ",
                  "did you mean “aa_requested”");
  assert_refused ("[reveiw]\n", CC_POLICY_ERROR_UNKNOWN_GROUP, "test.ini: [reveiw] ", "did you mean “review”");
  assert_refused ("[holidays]\nchristmas=true\n", CC_POLICY_ERROR_UNKNOWN_GROUP, "test.ini: [holidays] ",
                  "allowed: display, escalation, report");
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CcPolicy) p = load ("[holidays]\n", NULL, &error);

    g_assert_null (p);
    g_assert_null (strstr (error->message, "did you mean"));
  }
}

static void
test_error_unknown_key (void)
{
  assert_refused ("[aa_arrived]\nbreach_afte=4h\n", CC_POLICY_ERROR_UNKNOWN_KEY,
                  "test.ini: [aa_arrived] breach_afte=4h: ", "(did you mean “breach_after”?)");
  assert_refused ("[aa_arrived]\nbreach_afte=4h\n", CC_POLICY_ERROR_UNKNOWN_KEY, "test.ini: ",
                  "allowed: enabled, warn_after, breach_after, escalate_to");
  assert_refused ("[review]\nwarn_after=30m\n", CC_POLICY_ERROR_UNKNOWN_KEY, "test.ini: [review] warn_after=30m: ",
                  "allowed: first_after, interval, warn_before, postponed_grace, escalate_to");
  assert_refused ("[cell_visit]\nbreach_after=1h\n", CC_POLICY_ERROR_UNKNOWN_KEY, "test.ini: [cell_visit] ",
                  "allowed: enabled, interval, interval_level2, escalate_to");
  assert_refused ("[display]\ncolour=red\n", CC_POLICY_ERROR_UNKNOWN_KEY, "test.ini: [display] colour=red: ",
                  "allowed: timezone, privacy");
}

static void
test_error_bad_duration (void)
{
  assert_refused ("[aa_arrived]\nbreach_after=4 hours\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] breach_after=4 hours: ", "not a duration; allowed: ");
  assert_refused ("[aa_arrived]\nbreach_after=30m4h\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] breach_after=30m4h: ", "not a duration");
  assert_refused ("[aa_arrived]\nbreach_after=\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [aa_arrived] breach_after=: ",
                  "not a duration");
  assert_refused ("[aa_arrived]\nbreach_after=0s\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] breach_after=0s: ", "out of range; allowed: from 1s");
  assert_refused ("[escalation]\nack_timeout=99999999d\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [escalation] ack_timeout=99999999d: ", "out of range");
  /* "none" is for warnings only. */
  assert_refused ("[aa_arrived]\nbreach_after=none\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] breach_after=none: ", "not a duration");
  assert_refused ("[rest]\nwarn_after=none\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [rest] warn_after=none: ",
                  "not a duration");
  assert_refused ("[aa_arrived]\nwarn_after=soon\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] warn_after=soon: ", "or none for no warning");
}

static void
test_error_bad_bool (void)
{
  assert_refused ("[display]\nprivacy=yes\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [display] privacy=yes: ",
                  "allowed: true or false");
  assert_refused ("[healthcare]\nenabled=off\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [healthcare] enabled=off: ", "allowed: true or false");
  assert_refused ("[review]\nenabled=maybe\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [review] enabled=maybe: ",
                  "allowed: true or false");
}

static void
test_error_unknown_zone (void)
{
  assert_refused ("[display]\ntimezone=Europe/Atlantis\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [display] timezone=Europe/Atlantis: ", "allowed: a tz database name");
  assert_refused ("[display]\ntimezone=\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [display] timezone=: ",
                  "time zone");
}

static void
test_error_bad_level (void)
{
  assert_refused ("[aa_arrived]\nescalate_to=chief_inspector\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] escalate_to=chief_inspector: ",
                  "allowed: sergeant, inspector or superintendent");
}

static void
test_error_ladder (void)
{
  assert_refused ("[escalation]\nladder=inspector;sergeant\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [escalation] ladder=inspector;sergeant: ", "sergeant comes after inspector");
  assert_refused ("[escalation]\nladder=sergeant;sergeant;inspector\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [escalation] ladder=sergeant;sergeant;inspector: ", "does not climb");
  assert_refused ("[escalation]\nladder=sergeant;;inspector\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [escalation] ", "“” is not an escalation level");
  assert_refused ("[escalation]\nladder=sergeant;constable\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [escalation] ", "“constable” is not an escalation level");
  assert_refused ("[escalation]\nladder=\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [escalation] ladder=: ",
                  "no levels");

  {
    g_autoptr (CcPolicy) p = load_ok ("[escalation]\nladder=inspector; superintendent;\n", 0, NULL);

    g_assert_cmpuint (p->ladder_length, ==, 2);
    g_assert_cmpint (p->ladder[0], ==, CC_LEVEL_INSPECTOR);
    g_assert_cmpint (p->ladder[1], ==, CC_LEVEL_SUPERINTENDENT);
  }
}

static void
test_error_escalate_not_on_ladder (void)
{
  assert_refused ("[escalation]\nladder=inspector;superintendent\n[healthcare]\nescalate_to=sergeant\n",
                  CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [healthcare] escalate_to=sergeant: ",
                  "not on the escalation ladder inspector;superintendent; allowed: inspector, superintendent");
  assert_refused ("[escalation]\nladder=sergeant\n[la_refused]\nescalate_to=inspector\n",
                  CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [la_refused] escalate_to=inspector: ", "allowed: sergeant");
}

/* A shorter ladder moves the first levels it leaves out: up silently,
 * down (nothing that high is left) with a warning. */
static void
test_ladder_moves_levels (void)
{
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (CcPolicy) up = load_ok ("[escalation]\nladder=inspector;superintendent\n", 0, NULL);
  g_autoptr (CcPolicy) down = load_ok ("[escalation]\nladder=sergeant;inspector\n", 2, &warnings);

  g_assert_cmpint (up->clocks[CC_CLOCK_HEALTHCARE].escalate_to, ==, CC_LEVEL_INSPECTOR);
  g_assert_cmpint (up->rules[CC_RULE_CHARGED_WITHOUT_AA].escalate_to, ==, CC_LEVEL_INSPECTOR);
  g_assert_cmpint (up->clocks[CC_CLOCK_DETENTION_LIMIT].escalate_to, ==, CC_LEVEL_SUPERINTENDENT);

  g_assert_cmpint (down->clocks[CC_CLOCK_DETENTION_LIMIT].escalate_to, ==, CC_LEVEL_INSPECTOR);
  g_assert_cmpint (down->rules[CC_RULE_EXTENSION_INVALID].escalate_to, ==, CC_LEVEL_INSPECTOR);
  assert_contains (g_ptr_array_index (warnings, 0),
                   "test.ini: [escalation] ladder=sergeant;inspector leaves out superintendent, so [detention_limit] "
                   "escalates first to inspector");
  assert_contains (g_ptr_array_index (warnings, 1), "[extension_invalid]");
}

static void
test_error_statutory_disabled (void)
{
  g_autoptr (CcPolicy) p = NULL;

  assert_refused ("[review]\nenabled=false\n", CC_POLICY_ERROR_STATUTORY, "test.ini: [review] enabled=false: ",
                  "review is statutory (PACE s.40) and cannot be switched off");
  assert_refused ("[detention_limit]\nenabled=false\n", CC_POLICY_ERROR_STATUTORY,
                  "test.ini: [detention_limit] enabled=false: ", "PACE ss.41–44");
  assert_refused ("[extension_invalid]\nenabled=false\n", CC_POLICY_ERROR_STATUTORY,
                  "test.ini: [extension_invalid] enabled=false: ", "PACE s.42");
  assert_refused ("[review_rank]\nenabled=false\n", CC_POLICY_ERROR_STATUTORY,
                  "test.ini: [review_rank] enabled=false: ", "PACE s.40(1)(b)");
  assert_refused ("[certificate_missing]\nenabled=0\n", CC_POLICY_ERROR_STATUTORY,
                  "test.ini: [certificate_missing] enabled=0: ", "PACE s.38(7)");

  /* Saying what the law says is not a mistake. */
  p = load_ok ("[review]\nenabled=true\n[detention_limit]\nenabled=true\n[extension_invalid]\nenabled=true\n", 0,
               NULL);
  g_assert_true (p->clocks[CC_CLOCK_REVIEW].enabled);
  g_assert_true (p->rules[CC_RULE_EXTENSION_INVALID].enabled);
}

static void
test_error_statutory_loosened (void)
{
  g_autoptr (CcPolicy) p = NULL;

  assert_refused ("[review]\nfirst_after=6h1s\n", CC_POLICY_ERROR_STATUTORY, "test.ini: [review] first_after=6h1s: ",
                  "PACE s.40(3)");
  assert_refused ("[review]\nfirst_after=7h\n", CC_POLICY_ERROR_STATUTORY, "test.ini: [review] first_after=7h: ",
                  "allowed: 1s to 6h");
  assert_refused ("[review]\ninterval=10h\n", CC_POLICY_ERROR_STATUTORY, "test.ini: [review] interval=10h: ",
                  "allowed: 1s to 9h");

  /* The limits themselves, and anything stricter, are fine and silent. */
  p = load_ok ("[review]\nfirst_after=6h\ninterval=9h\n", 0, NULL);
  g_clear_pointer (&p, cc_policy_unref);
  p = load_ok ("[review]\nfirst_after=2h\ninterval=4h30m\n", 0, NULL);
  g_assert_cmpint (p->review_first, ==, 2 * CC_HOUR);
  g_assert_cmpint (p->review_interval, ==, 4 * CC_HOUR + 30 * CC_MINUTE);
}

static void
test_error_warn_not_before_breach (void)
{
  assert_refused ("[aa_requested]\nwarn_after=40m\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_requested] warn_after=40m: ", "not before breach_after=30m; allowed: shorter than breach_after");
  assert_refused ("[aa_requested]\nwarn_after=30m\nbreach_after=30m\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_requested] warn_after=30m: ", "not before breach_after=30m");
  /* Only the breach moved: it is the one blamed, with the warning it
   * now precedes. */
  assert_refused ("[aa_arrived]\nbreach_after=1h\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [aa_arrived] breach_after=1h: ", "not after warn_after=2h; allowed: longer than warn_after");
  /* A clock without a warning has nothing to contradict. */
  {
    g_autoptr (CcPolicy) p = load_ok ("[welfare_informed]\nbreach_after=1s\n", 0, NULL);

    g_assert_cmpint (p->clocks[CC_CLOCK_WELFARE_INFORMED].due, ==, 1);
  }
}

static void
test_error_consistency (void)
{
  assert_refused ("[cell_visit]\ninterval_level2=90m\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [cell_visit] interval_level2=90m: ", "longer than interval=1h");
  assert_refused ("[cell_visit]\ninterval=20m\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [cell_visit] interval=20m: ",
                  "shorter than interval_level2=30m");
  assert_refused ("[rest]\nmin_rest=24h\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [rest] min_rest=24h: ",
                  "allowed: less than 24h");
  assert_refused ("[rest]\nwarn_after=17h\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [rest] warn_after=17h: ",
                  "min_rest=8h");
  assert_refused ("[rest]\nwarn_after=17h\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: ", "allowed: at most 16h");
  assert_refused ("[rest]\nmin_rest=9h\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [rest] min_rest=9h: ",
                  "allowed: at most 8h");
  assert_refused ("[review]\nwarn_before=6h\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [review] warn_before=6h: ",
                  "not shorter than first_after=6h");
  assert_refused ("[review]\ninterval=20m\n", CC_POLICY_ERROR_INVALID_VALUE, "test.ini: [review] interval=20m: ",
                  "not longer than warn_before=30m");
  assert_refused ("[detention_limit]\nwarn_before=1d\n", CC_POLICY_ERROR_INVALID_VALUE,
                  "test.ini: [detention_limit] warn_before=1d: ", "allowed: less than 24h");

  /* The edges that fit. */
  {
    g_autoptr (CcPolicy) p = load_ok ("[rest]\nmin_rest=8h\nwarn_after=16h\n[cell_visit]\ninterval=30m\n", 0, NULL);

    g_assert_cmpint (p->cell_interval, ==, p->cell_interval_level2);
  }
}

/* Looser than the built-in default: accepted, and said, one line each,
 * in the form the custody lead reads in `policy --check`. */
static void
test_looser_warns (void)
{
  static const struct
  {
    const char *text;
    const char *warning;
  } cases[] = {
    { "[aa_arrived]\nbreach_after=6h\n", "test.ini: [aa_arrived] breach_after=6h is looser than the default 4h" },
    { "[aa_arrived]\nwarn_after=3h\n", "[aa_arrived] warn_after=3h is looser than the default 2h" },
    { "[aa_requested]\nwarn_after=none\n", "[aa_requested] warn_after=none is looser than the default 15m" },
    { "[escalation]\nack_timeout=1h\n", "[escalation] ack_timeout=1h is looser than the default 15m" },
    { "[report]\nlate_entry=1h\n", "[report] late_entry=1h is looser than the default 15m" },
    { "[review]\nwarn_before=10m\n", "[review] warn_before=10m is looser than the default 30m" },
    { "[review]\npostponed_grace=2h\n", "[review] postponed_grace=2h is looser than the default 1h" },
    { "[detention_limit]\nwarn_before=1h\n", "[detention_limit] warn_before=1h is looser than the default 4h" },
    { "[cell_visit]\ninterval=2h\n", "[cell_visit] interval=2h is looser than the default 1h" },
    { "[cell_visit]\ninterval_level2=45m\n", "[cell_visit] interval_level2=45m is looser than the default 30m" },
    { "[rest]\nmin_rest=6h\n", "[rest] min_rest=6h is looser than the default 8h" },
    { "[rest]\nwarn_after=15h\nmin_rest=7h\n", "[rest] min_rest=7h is looser than the default 8h" },
    { "[post_charge_transfer]\nbreach_after=1d\n", "[post_charge_transfer] breach_after=1d is looser than the default 4h" },
    { "[display]\nprivacy=false\n", "[display] privacy=false: notifications will show children's names" },
    { "[aa_arrived]\nescalate_to=sergeant\n", "[aa_arrived] escalate_to=sergeant: starts below the default inspector" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) warnings = NULL;
      g_autoptr (CcPolicy) p = load_ok (cases[i].text, 1, &warnings);

      assert_contains (g_ptr_array_index (warnings, 0), cases[i].warning);
    }

  /* The value is in force. */
  {
    g_autoptr (CcPolicy) p = load_ok ("[aa_arrived]\nbreach_after=6h\n", 1, NULL);

    g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 6 * CC_HOUR);
  }
}

/* Tighter than the defaults, or a warning where the default has none:
 * accepted without a word. */
static void
test_stricter_silent (void)
{
  g_autoptr (CcPolicy) p = load_ok ("[aa_arrived]\nwarn_after=1h\nbreach_after=90m\nescalate_to=superintendent\n"
                                    "[welfare_informed]\nwarn_after=30m\n"
                                    "[escalation]\nack_timeout=5m\n"
                                    "[review]\nfirst_after=4h\ninterval=8h\nwarn_before=1h\npostponed_grace=30m\n"
                                    "[detention_limit]\nwarn_before=6h\n"
                                    "[cell_visit]\ninterval=30m\ninterval_level2=15m\n"
                                    "[rest]\nmin_rest=9h\nwarn_after=12h\n"
                                    "[report]\nlate_entry=5m\n",
                                    0, NULL);

  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].warn, ==, 1 * CC_HOUR);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 90 * CC_MINUTE);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].escalate_to, ==, CC_LEVEL_SUPERINTENDENT);
  g_assert_cmpint (p->clocks[CC_CLOCK_WELFARE_INFORMED].warn, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->ack_timeout, ==, 5 * CC_MINUTE);
  g_assert_cmpint (p->review_first, ==, 4 * CC_HOUR);
  g_assert_cmpint (p->review_interval, ==, 8 * CC_HOUR);
  g_assert_cmpint (p->review_warn_before, ==, 1 * CC_HOUR);
  g_assert_cmpint (p->review_postponed_grace, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->limit_warn_before, ==, 6 * CC_HOUR);
  g_assert_cmpint (p->cell_interval, ==, 30 * CC_MINUTE);
  g_assert_cmpint (p->cell_interval_level2, ==, 15 * CC_MINUTE);
  g_assert_cmpint (p->rest_min, ==, 9 * CC_HOUR);
  g_assert_cmpint (p->rest_warn_after, ==, 12 * CC_HOUR);
  g_assert_cmpint (p->late_entry, ==, 5 * CC_MINUTE);
}

/* Local clocks and rules can be switched off (with a warning); the others
 * stay on. */
static void
test_disable (void)
{
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (CcPolicy) p = load_ok ("[welfare_informed]\nenabled=false\n[cell_visit]\nenabled=false\n"
                                    "[rest]\nenabled=false\n[cp_referral_missing]\nenabled=false\n"
                                    "[strip_search_authority]\nenabled=false\n",
                                    5, &warnings);

  g_assert_false (p->clocks[CC_CLOCK_WELFARE_INFORMED].enabled);
  g_assert_false (p->clocks[CC_CLOCK_CELL_VISIT].enabled);
  g_assert_false (p->clocks[CC_CLOCK_REST].enabled);
  g_assert_false (p->rules[CC_RULE_CP_REFERRAL_MISSING].enabled);
  g_assert_false (p->rules[CC_RULE_STRIP_SEARCH_AUTHORITY].enabled);
  g_assert_true (p->clocks[CC_CLOCK_AA_REQUESTED].enabled);
  g_assert_true (p->rules[CC_RULE_LA_REFUSED].enabled);
  assert_contains (g_ptr_array_index (warnings, 0),
                   "test.ini: [welfare_informed] enabled=false: switches off a check that is on by default");
}

/* Tests and demonstrations use thresholds of one second. */
static void
test_one_second (void)
{
  g_autoptr (CcPolicy) p = load_ok ("[aa_requested]\nwarn_after=1s\nbreach_after=2s\n"
                                    "[welfare_informed]\nbreach_after=1s\n"
                                    "[escalation]\nack_timeout=1s\n"
                                    "[review]\nfirst_after=2s\ninterval=2s\nwarn_before=1s\npostponed_grace=1s\n"
                                    "[detention_limit]\nwarn_before=1s\n"
                                    "[cell_visit]\ninterval=1s\ninterval_level2=1s\n"
                                    "[rest]\nmin_rest=1s\nwarn_after=1s\n"
                                    "[report]\nlate_entry=1s\n",
                                    3, NULL); /* the two warn_before and min_rest are looser */

  g_assert_cmpint (p->clocks[CC_CLOCK_AA_REQUESTED].warn, ==, 1);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_REQUESTED].due, ==, 2);
  g_assert_cmpint (p->clocks[CC_CLOCK_WELFARE_INFORMED].due, ==, 1);
  g_assert_cmpint (p->ack_timeout, ==, 1);
  g_assert_cmpint (p->review_first, ==, 2);
  g_assert_cmpint (p->review_warn_before, ==, 1);
  g_assert_cmpint (p->cell_interval_level2, ==, 1);
  g_assert_cmpint (p->rest_min, ==, 1);
  g_assert_cmpint (p->late_entry, ==, 1);
}

/* warn_after=none (or 0) switches a warning off; to_string writes none. */
static void
test_warn_none (void)
{
  g_autoptr (CcPolicy) a = load_ok ("[healthcare]\nwarn_after=none\n", 1, NULL);
  g_autoptr (CcPolicy) b = load_ok ("[healthcare]\nwarn_after=0\n", 1, NULL);
  g_autoptr (CcPolicy) c = load_ok ("[welfare_informed]\nwarn_after=none\n", 0, NULL);
  g_autofree char *text = cc_policy_to_string (a);

  g_assert_cmpint (a->clocks[CC_CLOCK_HEALTHCARE].warn, ==, 0);
  g_assert_true (cc_policy_equal (a, b));
  g_assert_cmpint (c->clocks[CC_CLOCK_WELFARE_INFORMED].warn, ==, 0);
  assert_contains (text, "[healthcare]\nenabled=true\nwarn_after=none\nbreach_after=2h\n");
}

static void
assert_round_trip (const CcPolicy *p)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = cc_policy_to_string (p);
  g_autofree char *again = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) back = cc_policy_load_data (defaults, text, -1, "printed.ini", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (cc_policy_equal (back, p));
  again = cc_policy_to_string (back);
  g_assert_cmpstr (again, ==, text);
}

/* What `policy` prints loads back to the same policy. */
static void
test_round_trip (void)
{
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) p = load_ok ("[aa_arrived]\nbreach_after=3h30m\nwarn_after=90s\n[cell_visit]\nenabled=false\n"
                                    "[escalation]\nladder=inspector;superintendent\nack_timeout=90s\n"
                                    "[display]\ntimezone=Europe/Dublin\nprivacy=false\n"
                                    "[healthcare]\nwarn_after=none\n"
                                    "[post_charge_transfer]\nbreach_after=2d\nwarn_after=1d1h1m1s\n"
                                    "[review]\nfirst_after=5h59m59s\n[rest]\nmin_rest=10h\nwarn_after=14h\n"
                                    "[cp_referral_missing]\nenabled=false\nescalate_to=superintendent\n",
                                    6, NULL);
  g_autofree char *text = cc_policy_to_string (p);

  assert_contains (text, "breach_after=3h30m\n");
  assert_contains (text, "warn_after=1m30s\n");
  assert_contains (text, "breach_after=2d\n");
  assert_contains (text, "warn_after=25h1m1s\n");
  assert_contains (text, "first_after=5h59m59s\n");
  assert_contains (text, "ack_timeout=1m30s\n");
  assert_contains (text, "ladder=inspector;superintendent\n");
  assert_contains (text, "# PACE review — PACE s.40 (statutory)");
  assert_contains (text, "# Invalid s.42 extension — PACE s.42 (statutory)");
  assert_contains (text, "[cp_referral_missing]\nenabled=false\nescalate_to=superintendent\n");
  g_assert_cmpint (p->clocks[CC_CLOCK_HEALTHCARE].escalate_to, ==, CC_LEVEL_INSPECTOR); /* moved onto the ladder */

  assert_round_trip (defaults);
  assert_round_trip (p);

  /* Every group and key is written, so printed text overlays any base. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *printed = cc_policy_to_string (defaults);
    g_autoptr (CcPolicy) back = cc_policy_load_data (p, printed, -1, "printed.ini", NULL, &error);

    g_assert_no_error (error);
    g_assert_true (cc_policy_equal (back, defaults));
  }
}

static void
test_equal (void)
{
  g_autoptr (CcPolicy) a = cc_policy_new_default ();
  g_autoptr (CcPolicy) b = cc_policy_new_default ();
  g_autoptr (CcPolicy) c = load_ok ("[rest]\nenabled=false\n", 1, NULL);
  g_autoptr (CcPolicy) d = load_ok ("[escalation]\nladder=sergeant;inspector;superintendent\n", 0, NULL);
  CcPolicy *ref;

  g_assert_true (cc_policy_equal (a, b));
  g_assert_false (cc_policy_equal (a, c));
  g_assert_true (cc_policy_equal (a, d));

  ref = cc_policy_ref (a);
  g_assert_true (ref == a);
  cc_policy_unref (ref);
  cc_policy_unref (NULL);
}

/* A later file overrides an earlier one, key by key; the earlier result
 * is not changed. */
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

  cc_test_write_file (first, "[aa_arrived]\nbreach_after=3h\nwarn_after=1h\n[rest]\nenabled=false\n");
  cc_test_write_file (second, "[aa_arrived]\nbreach_after=2h\n[rest]\nenabled=true\n");
  a = cc_policy_load_file (defaults, first, NULL, &error);
  g_assert_no_error (error);
  b = cc_policy_load_file (a, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 2 * CC_HOUR);
  g_assert_cmpint (b->clocks[CC_CLOCK_AA_ARRIVED].warn, ==, 1 * CC_HOUR); /* from the first */
  g_assert_true (b->clocks[CC_CLOCK_REST].enabled);
  g_assert_cmpint (a->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 3 * CC_HOUR); /* unchanged */
  g_assert_false (a->clocks[CC_CLOCK_REST].enabled);
  g_assert_cmpint (defaults->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 4 * CC_HOUR);

  /* A pair split across files is checked on the result: the second file
   * moves the breach before the first file's warning. */
  g_clear_pointer (&b, cc_policy_unref);
  cc_test_write_file (second, "[aa_arrived]\nbreach_after=1h\n");
  b = cc_policy_load_file (a, second, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE);
  assert_contains (error->message, "user.ini: [aa_arrived] breach_after=1h: not after warn_after=1h");
  g_clear_error (&error);

  cc_test_rm_rf (dir);
}

static void
test_file_errors (void)
{
  g_autofree char *dir = cc_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "missing.ini", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) p = NULL;

  p = cc_policy_load_file (defaults, missing, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_FILE);
  assert_contains (error->message, missing);
  g_clear_error (&error);

  p = cc_policy_load_file (defaults, dir, NULL, &error); /* a directory cannot be read */
  g_assert_null (p);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_FILE);
  g_clear_error (&error);

  cc_test_write_file (bad, "[display]\nprivacy=perhaps\n");
  p = cc_policy_load_file (defaults, bad, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_clear_error (&error);

  cc_test_rm_rf (dir);
}

/* The user's file (XDG_CONFIG_HOME, isolated per test) is read when it
 * exists, refused when it is wrong, and its absence is no error. */
static void
test_default_files (void)
{
  g_auto (GStrv) paths = cc_paths_policy_files ();
  const char      *user = paths[1];
  g_autofree char *user_dir = g_path_get_dirname (user);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) p = NULL;

  if (g_file_test (paths[0], G_FILE_TEST_EXISTS))
    {
      g_test_skip ("a system-wide policy file is installed on this machine");
      return;
    }
  g_assert_true (g_str_has_prefix (user, g_get_user_config_dir ()));

  p = cc_policy_load_default_files (warnings, &error);
  g_assert_no_error (error);
  g_assert_true (cc_policy_equal (p, defaults));
  g_clear_pointer (&p, cc_policy_unref);

  g_assert_cmpint (g_mkdir_with_parents (user_dir, 0700), ==, 0);
  cc_test_write_file (user, "[aa_arrived]\nbreach_after=5h\n");
  p = cc_policy_load_default_files (warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 5 * CC_HOUR);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), user));
  g_clear_pointer (&p, cc_policy_unref);

  p = cc_policy_load (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->clocks[CC_CLOCK_AA_ARRIVED].due, ==, 5 * CC_HOUR);
  g_clear_pointer (&p, cc_policy_unref);

  cc_test_write_file (user, "[aa_arrived]\nbreach_afterr=5h\n");
  p = cc_policy_load_default_files (NULL, &error);
  g_assert_null (p);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);

  g_unlink (user);
  g_assert_cmpint (g_mkdir (user, 0700), ==, 0); /* exists, cannot be read as a file */
  p = cc_policy_load_default_files (NULL, &error);
  g_assert_null (p);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_FILE);
  g_rmdir (user);
}

/* The documented example installed with the program is the default policy. */
static void
test_shipped_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "policy.ini", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) shipped = cc_policy_load_file (defaults, path, warnings, &error);

  g_autoptr (GKeyFile) documented = g_key_file_new ();
  g_autoptr (GKeyFile) printed = g_key_file_new ();
  g_autofree char *text = cc_policy_to_string (defaults);
  g_auto (GStrv) groups = NULL;
  g_auto (GStrv) shipped_groups = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_true (cc_policy_equal (shipped, defaults));

  /* It documents every group and key that `policy` prints, in order. */
  g_key_file_load_from_file (documented, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_key_file_load_from_data (printed, text, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  groups = g_key_file_get_groups (printed, NULL);
  shipped_groups = g_key_file_get_groups (documented, NULL);
  g_assert_cmpstrv (shipped_groups, groups);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (printed, groups[i], NULL, NULL);
      g_auto (GStrv) shipped_keys = g_key_file_get_keys (documented, groups[i], NULL, NULL);

      g_assert_cmpstrv (shipped_keys, keys);
    }
}

/* Every mistake in a file is reported at once, one line each and in the
 * file's order, so that whoever fixes it is not sent back once per
 * mistake: an unknown group, a bad value, an unknown key, a key that
 * contradicts another and a level off the ladder, in one file.  The good
 * settings beside them are not lost: the file as a whole is refused, and
 * a corrected file then loads. */
static void
test_error_all_reported (void)
{
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) p = NULL;
  g_auto (GStrv) lines = NULL;
  const char *text = "[cell_vist]\ninterval=30m\n"
                     "[aa_requested]\nbreach_after=soon\nwarn_afer=10m\n"
                     "[escalation]\nladder=sergeant;inspector\n"
                     "[rest]\nmin_rest=24h\n"
                     "[detention_limit]\nescalate_to=superintendent\n";

  p = cc_policy_load_data (defaults, text, -1, "test.ini", NULL, &error);
  g_assert_null (p);
  g_assert_error (error, CC_POLICY_ERROR, CC_POLICY_ERROR_UNKNOWN_GROUP);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_prefix (lines[0], "test.ini: [cell_vist] is not a clock"));
  g_assert_true (g_str_has_prefix (lines[1], "test.ini: [aa_requested] breach_after=soon: not a duration"));
  g_assert_true (g_str_has_prefix (lines[2], "test.ini: [aa_requested] warn_afer=10m: not a key of this group"));
  g_assert_true (g_str_has_prefix (lines[3], "test.ini: [rest] min_rest=24h: "));
  g_assert_true (g_str_has_prefix (lines[4], "test.ini: [detention_limit] escalate_to=superintendent: not on the "
                                             "escalation ladder"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/policy/defaults", test_defaults);
  g_test_add_func ("/policy/names", test_names);
  g_test_add_func ("/policy/interfaces-example", test_interfaces_example);
  g_test_add_func ("/policy/trailing-comments", test_trailing_comments);
  g_test_add_func ("/policy/error/parse", test_error_parse);
  g_test_add_func ("/policy/error/not-utf8", test_error_not_utf8);
  g_test_add_func ("/policy/error/unknown-group", test_error_unknown_group);
  g_test_add_func ("/policy/error/unknown-key", test_error_unknown_key);
  g_test_add_func ("/policy/error/bad-duration", test_error_bad_duration);
  g_test_add_func ("/policy/error/bad-bool", test_error_bad_bool);
  g_test_add_func ("/policy/error/unknown-zone", test_error_unknown_zone);
  g_test_add_func ("/policy/error/bad-level", test_error_bad_level);
  g_test_add_func ("/policy/error/ladder", test_error_ladder);
  g_test_add_func ("/policy/error/escalate-not-on-ladder", test_error_escalate_not_on_ladder);
  g_test_add_func ("/policy/error/statutory-disabled", test_error_statutory_disabled);
  g_test_add_func ("/policy/error/statutory-loosened", test_error_statutory_loosened);
  g_test_add_func ("/policy/error/warn-not-before-breach", test_error_warn_not_before_breach);
  g_test_add_func ("/policy/error/consistency", test_error_consistency);
  g_test_add_func ("/policy/error/all-reported", test_error_all_reported);
  g_test_add_func ("/policy/ladder-moves-levels", test_ladder_moves_levels);
  g_test_add_func ("/policy/looser-warns", test_looser_warns);
  g_test_add_func ("/policy/stricter-silent", test_stricter_silent);
  g_test_add_func ("/policy/disable", test_disable);
  g_test_add_func ("/policy/one-second", test_one_second);
  g_test_add_func ("/policy/warn-none", test_warn_none);
  g_test_add_func ("/policy/round-trip", test_round_trip);
  g_test_add_func ("/policy/equal-and-ref", test_equal);
  g_test_add_func ("/policy/overlay", test_overlay);
  g_test_add_func ("/policy/file-errors", test_file_errors);
  g_test_add_func ("/policy/default-files", test_default_files);
  g_test_add_func ("/policy/shipped-example", test_shipped_example);

  return g_test_run ();
}
