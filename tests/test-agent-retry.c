/* test-agent-retry.c: the agent's retry, outage notice and commit recheck
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The schedules custody-clockd keeps (cc-agent-retry.c), proved at chosen
 * instants: before they moved out of src/agent/main.c only a binary-level
 * test (faults, diskfull-e2e) reached them, and only by waiting for them.
 */
#include "config.h"

#include <locale.h>

#include "cc-agent-retry.h"

/* An instant on the time source, in µs: 2026-10-14 12:00:00 UTC. */
#define NOW_US (G_GINT64_CONSTANT (1791979200) * G_USEC_PER_SEC)

/* 1, 2, 4, 8, 16 real seconds, then 30 for as long as it lasts. */
static void
test_delays (void)
{
  g_autoptr (CcAgentRetry) retry = cc_agent_retry_new ();
  const guint expected[] = { 1, 2, 4, 8, 16, 30, 30, 30, 30, 30 };
  gint64      now_us = NOW_US;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CcAgentRetryStep step;

      cc_agent_retry_failed (retry, now_us, 1.0, "database is locked", &step);
      g_assert_cmpuint (step.attempt, ==, i + 1);
      g_assert_cmpuint (step.delay_s, ==, expected[i]);
      g_assert_cmpint (step.retry_at_us, ==, now_us + expected[i] * G_USEC_PER_SEC);
      g_assert_cmpuint (cc_agent_retry_get_n_failures (retry), ==, i + 1);
      /* The alarm goes off at the retry's instant: the next failure is then. */
      now_us = step.retry_at_us;
    }
  for (guint i = 0; i < 1000; i++)
    {
      CcAgentRetryStep step;

      cc_agent_retry_failed (retry, now_us, 1.0, "database is locked", &step);
      g_assert_cmpuint (step.delay_s, ==, 30);
    }
}

/* The delays are real seconds: on a demonstration's clock, 60 times
 * faster, the retry is 60 of its seconds a real second later. */
static void
test_speed (void)
{
  g_autoptr (CcAgentRetry) retry = cc_agent_retry_new ();
  CcAgentRetryStep step;

  cc_agent_retry_failed (retry, NOW_US, 60.0, "database is locked", &step);
  g_assert_cmpuint (step.delay_s, ==, 1);
  g_assert_cmpint (step.retry_at_us, ==, NOW_US + 60 * G_USEC_PER_SEC);
  cc_agent_retry_failed (retry, step.retry_at_us, 60.0, "database is locked", &step);
  g_assert_cmpuint (step.delay_s, ==, 2);
  g_assert_cmpint (step.retry_at_us, ==, NOW_US + 180 * G_USEC_PER_SEC);
}

/* The desk is told once, at the third failure in a row, however long it
 * lasts and whatever the errors. */
static void
test_outage_once (void)
{
  g_autoptr (CcAgentRetry) retry = cc_agent_retry_new ();
  guint n_told = 0;

  for (guint i = 1; i <= 200; i++)
    {
      CcAgentRetryStep step;

      cc_agent_retry_failed (retry, NOW_US + i, 1.0, i % 2 ? "database is locked" : "disk full", &step);
      g_assert_cmpint (step.tell_desk, ==, i == 3);
      n_told += step.tell_desk;
    }
  g_assert_cmpuint (n_told, ==, 1);
}

/* A pass that succeeds starts the schedule again: 1 s first, and a new
 * outage is told again at its own third failure.  It says how many had
 * failed, for the journal's "can be written again" line. */
static void
test_recovery (void)
{
  g_autoptr (CcAgentRetry) retry = cc_agent_retry_new ();
  CcAgentRetryStep step;

  g_assert_cmpuint (cc_agent_retry_succeeded (retry), ==, 0);
  for (guint i = 0; i < 4; i++)
    cc_agent_retry_failed (retry, NOW_US, 1.0, "database is locked", &step);
  g_assert_cmpuint (step.delay_s, ==, 8);
  g_assert_cmpuint (cc_agent_retry_succeeded (retry), ==, 4);
  g_assert_cmpuint (cc_agent_retry_get_n_failures (retry), ==, 0);
  g_assert_cmpuint (cc_agent_retry_succeeded (retry), ==, 0);

  cc_agent_retry_failed (retry, NOW_US, 1.0, "database is locked", &step);
  g_assert_cmpuint (step.attempt, ==, 1);
  g_assert_cmpuint (step.delay_s, ==, 1);
  g_assert_true (step.log);
  g_assert_false (step.tell_desk);
  cc_agent_retry_failed (retry, NOW_US, 1.0, "database is locked", &step);
  g_assert_false (step.tell_desk);
  cc_agent_retry_failed (retry, NOW_US, 1.0, "database is locked", &step);
  g_assert_true (step.tell_desk);
  g_assert_cmpuint (step.attempt, ==, 3);
}

/* The same error is logged at the first failure, then every 30th; a
 * different error at once. */
static void
test_logging (void)
{
  g_autoptr (CcAgentRetry) retry = cc_agent_retry_new ();
  g_autoptr (GArray) logged = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint expected[] = { 1, 30, 31, 32, 60 };

  for (guint i = 1; i <= 70; i++)
    {
      CcAgentRetryStep step;

      /* The 31st failure is another error, the 32nd the first one again. */
      cc_agent_retry_failed (retry, NOW_US, 1.0, i == 31 ? "disk full" : "database is locked", &step);
      if (step.log)
        g_array_append_val (logged, i);
    }
  g_assert_cmpmem (logged->data, logged->len * sizeof (guint), expected, sizeof expected);
}

/* 5, 10, 20, 40 and 80 ms after an unchanged data_version, then no more
 * until the next file event; a moved data_version is a commit. */
static void
test_commit_recheck (void)
{
  CcCommitRecheck recheck;
  const guint     expected[] = { 5, 10, 20, 40, 80 };

  cc_commit_recheck_init (&recheck, 7);
  g_assert_false (cc_commit_recheck_seen (&recheck, 7));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpuint (cc_commit_recheck_next_delay_ms (&recheck), ==, expected[i]);
      g_assert_false (cc_commit_recheck_seen (&recheck, 7));
    }
  g_assert_cmpuint (cc_commit_recheck_next_delay_ms (&recheck), ==, 0);
  g_assert_cmpuint (cc_commit_recheck_next_delay_ms (&recheck), ==, 0);

  /* A file event starts the rechecks again. */
  cc_commit_recheck_restart (&recheck);
  g_assert_cmpuint (cc_commit_recheck_next_delay_ms (&recheck), ==, 5);
  g_assert_cmpuint (cc_commit_recheck_next_delay_ms (&recheck), ==, 10);

  /* The commit is seen once; the next write's rechecks start at 5 ms. */
  g_assert_true (cc_commit_recheck_seen (&recheck, 8));
  g_assert_false (cc_commit_recheck_seen (&recheck, 8));
  g_assert_cmpuint (cc_commit_recheck_next_delay_ms (&recheck), ==, 5);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/agent-retry/delays", test_delays);
  g_test_add_func ("/agent-retry/speed", test_speed);
  g_test_add_func ("/agent-retry/outage-once", test_outage_once);
  g_test_add_func ("/agent-retry/recovery", test_recovery);
  g_test_add_func ("/agent-retry/logging", test_logging);
  g_test_add_func ("/agent-retry/commit-recheck", test_commit_recheck);
  return g_test_run ();
}
