/* test-desk-notice.c: the text of what the agent shows the desk
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cc-desk-notice.c is pure, so its notices are checked here byte for
 * byte, keys included (the agent's delivery keys: a changed key would show
 * a desk everything again).  The agent's own tests (test-agent-pass) see the
 * same text through the log notifier.
 */
#include "config.h"

#include <locale.h>

#include "cc-desk-notice.h"
#include "cc-rules.h"

/* 2022-03-08T18:15:00Z, and 23:40 the evening before. */
#define T_BREACH G_GINT64_CONSTANT (1646763300)
#define T_EVENING G_GINT64_CONSTANT (1646696400)

static CcEscalation
escalation (gint64      id,
            const char *rule,
            CcInstant   breached_at)
{
  return (CcEscalation){
    .id = id,
    .record_id = (char *) "CR-2022-000101",
    .rule = (char *) rule,
    .occurrence = 1,
    .level = CC_LEVEL_INSPECTOR,
    .breached_at = breached_at,
    .raised_at = T_BREACH + 60,
    .acknowledged_at = CC_INSTANT_NONE,
    .resolved_at = CC_INSTANT_NONE,
  };
}

static void
test_breach (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();
  CcEscalation row = escalation (17, "aa_requested", T_BREACH);
  g_autoptr (CcNotice) notice = cc_desk_notice_breach (&row, tz);

  g_assert_cmpstr (notice->key, ==, "breach/17");
  g_assert_cmpint (notice->kind, ==, CC_NOTICE_BREACH);
  g_assert_cmpint (notice->escalation_id, ==, 17);
  g_assert_cmpstr (notice->summary, ==, "CR-2022-000101: Appropriate adult called — missed");
  g_assert_cmpstr (notice->body, ==,
                   "Since 18:15. Escalated to inspector (escalation 17). "
                   "Acknowledge: custody-clock ack 17 --officer ID");
}

static void
test_catch_up (void)
{
  CcEscalation rows[] = {
    escalation (21, "cell_visit", T_EVENING),
    escalation (22, "rest", T_EVENING),
    escalation (23, "cell_visit", T_EVENING + 3600),
  };
  g_autoptr (GPtrArray) missed = g_ptr_array_new ();
  g_auto (GStrv) members = NULL;
  g_autoptr (CcNotice) notice = NULL;
  const char *const expected_members[] = { "grouped/21", "grouped/22", "grouped/23", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_ptr_array_add (missed, &rows[i]);
  notice = cc_desk_notice_catch_up (missed, &members);
  g_assert_cmpstr (notice->key, ==, "catch-up/CR-2022-000101/21");
  g_assert_cmpint (notice->kind, ==, CC_NOTICE_BREACH);
  /* No Acknowledge action: each breach is acknowledged on its own. */
  g_assert_cmpint (notice->escalation_id, ==, 0);
  g_assert_cmpstr (notice->summary, ==, "CR-2022-000101: 3 duties missed while the monitor was not running");
  g_assert_cmpstr (notice->body, ==,
                   "Cell visit ×2, 8 hours' rest. 'custody-clock escalations --open' lists them; acknowledge "
                   "each with 'custody-clock ack NUMBER --officer ID'.");
  g_assert_true (g_strv_equal ((const char *const *) members, expected_members));
}

static void
test_resolved (void)
{
  const struct
  {
    CcResolution resolution;
    const char  *body;
  } cases[] = {
    { CC_RESOLUTION_SATISFIED, "The duty has now been done and recorded." },
    { CC_RESOLUTION_CLOSED, "The child has left police custody." },
    { CC_RESOLUTION_POLICY_CHANGED, "The policy in force has changed: under it, this is no longer a breach." },
    { CC_RESOLUTION_WITHDRAWN_LATE_ENTRY,
      "A late or corrected entry changed when the duty was due: it was not missed at that time." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CcEscalation row = escalation (17, "aa_requested", T_BREACH);
      g_autoptr (CcNotice) notice = cc_desk_notice_resolved (&row, cases[i].resolution);

      g_assert_cmpstr (notice->key, ==, "resolved/17");
      g_assert_cmpint (notice->kind, ==, CC_NOTICE_RESOLVED);
      g_assert_cmpint (notice->escalation_id, ==, 0);
      g_assert_cmpstr (notice->summary, ==, "CR-2022-000101: Appropriate adult called — resolved");
      g_assert_cmpstr (notice->body, ==, cases[i].body);
    }
}

static void
test_outage (void)
{
  g_autoptr (CcNotice) notice = cc_desk_notice_outage ("custody.db: the disk is full", T_BREACH);

  g_assert_cmpstr (notice->key, ==, "outage/1646763300");
  g_assert_cmpint (notice->kind, ==, CC_NOTICE_BREACH);
  g_assert_cmpint (notice->escalation_id, ==, 0);
  g_assert_cmpstr (notice->summary, ==, "Custody Clock cannot write to the custody log");
  g_assert_cmpstr (notice->body, ==,
                   "custody.db: the disk is full. Breaches are not being recorded or escalated until this is "
                   "fixed; check the children's clocks by hand meanwhile.");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/desk-notice/breach", test_breach);
  g_test_add_func ("/desk-notice/catch-up", test_catch_up);
  g_test_add_func ("/desk-notice/resolved", test_resolved);
  g_test_add_func ("/desk-notice/outage", test_outage);
  return g_test_run ();
}
