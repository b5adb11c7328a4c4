/* cc-agent-retry.c: when the agent tries a failed pass again, when it
 * tells the desk, and when it looks again for another writer's commit
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The schedules custody-clockd keeps, apart from its main loop so that a
 * unit test proves them (tests/test-agent-retry.c); main.c arms the alarm
 * and the GLib timeouts they name.  Nothing here reads a clock: the time
 * source's time is given (cc_time_source_get_time()), as everywhere else
 * in the library.  Decisions:
 *
 *  - A failed pass (most likely a writer holding the lock past the busy
 *    timeout, or a full disk) loses nothing: it is made again from the
 *    same rows.  So it is tried again, sooner first: 1, 2, 4 … up to 30
 *    real seconds.  Real seconds: on a demonstration's faster clock a
 *    second of its time is a millisecond or less, so the retry's instant
 *    on the time source is the delay times its speed.
 *  - The same error is logged once, then every 30th time (and whenever it
 *    changes), so a night of full disk is not thirty thousand lines.
 *  - While passes fail the desk would hear nothing of the breaches that
 *    are not being recorded: so when it lasts (the third failure in a
 *    row, past a passing lock) it is told, once, until a pass succeeds.
 *  - The file event comes when the writer puts its frames in the -wal
 *    file, a moment before SQLite publishes the commit in the shared index
 *    (which makes no file event), so an unchanged data_version is looked
 *    at again a few times, quickly: 5, 10, 20, 40 and 80 ms later.  Only a
 *    write starts this; an idle agent does nothing.
 */
#include "config.h"

#include "cc-agent-retry.h"

struct _CcAgentRetry
{
  guint n_failures; /* passes failed in a row */
  char *last_error; /* (nullable): the last failure's message */
};

/**
 * cc_agent_retry_new:
 *
 * Returns: (transfer full): the schedule of a pass that has not failed
 */
CcAgentRetry *
cc_agent_retry_new (void)
{
  return g_new0 (CcAgentRetry, 1);
}

void
cc_agent_retry_free (CcAgentRetry *retry)
{
  if (retry == NULL)
    return;
  g_free (retry->last_error);
  g_free (retry);
}

/**
 * cc_agent_retry_failed:
 * @now_us: the time source's time now (cc_time_source_get_time())
 * @speed: the time source's speed (cc_time_source_get_speed())
 * @message: what went wrong, to tell a new error from the same one again
 * @out_step: (out caller-allocates): what to do
 *
 * A pass failed: when to try again, whether to log it, whether to tell
 * the desk.
 */
void
cc_agent_retry_failed (CcAgentRetry     *retry,
                       gint64            now_us,
                       double            speed,
                       const char       *message,
                       CcAgentRetryStep *out_step)
{
  guint delay;

  g_return_if_fail (retry != NULL);
  g_return_if_fail (out_step != NULL);

  delay = MIN (1u << MIN (retry->n_failures, 5u), (guint) CC_AGENT_RETRY_MAX_DELAY_S);
  retry->n_failures++;
  out_step->attempt = retry->n_failures;
  out_step->delay_s = delay;
  out_step->retry_at_us = now_us + (gint64) (delay * G_USEC_PER_SEC * speed);
  out_step->log = retry->n_failures == 1 || g_strcmp0 (retry->last_error, message) != 0 ||
                  retry->n_failures % 30 == 0;
  out_step->tell_desk = retry->n_failures == CC_AGENT_RETRY_OUTAGE_AFTER;
  g_free (retry->last_error);
  retry->last_error = g_strdup (message);
}

/**
 * cc_agent_retry_succeeded:
 *
 * A pass succeeded: the schedule starts again from the beginning, and the
 * next outage is told again.
 *
 * Returns: how many passes had failed in a row before it (0: none, and
 *   nothing to say)
 */
guint
cc_agent_retry_succeeded (CcAgentRetry *retry)
{
  guint n_failures;

  g_return_val_if_fail (retry != NULL, 0);

  n_failures = retry->n_failures;
  retry->n_failures = 0;
  g_clear_pointer (&retry->last_error, g_free);
  return n_failures;
}

/* Passes failed in a row so far. */
guint
cc_agent_retry_get_n_failures (CcAgentRetry *retry)
{
  g_return_val_if_fail (retry != NULL, 0);

  return retry->n_failures;
}

/**
 * cc_commit_recheck_init:
 * @data_version: the connection's data_version at start
 */
void
cc_commit_recheck_init (CcCommitRecheck *recheck,
                        gint64           data_version)
{
  recheck->data_version = data_version;
  recheck->n_rechecks = 0;
}

/* A file event: the rechecks start again from 5 ms. */
void
cc_commit_recheck_restart (CcCommitRecheck *recheck)
{
  recheck->n_rechecks = 0;
}

/**
 * cc_commit_recheck_seen:
 * @data_version: the connection's data_version now
 *
 * Returns: %TRUE if it moved (another connection committed: run a pass,
 *   and stop looking again); %FALSE if not
 */
gboolean
cc_commit_recheck_seen (CcCommitRecheck *recheck,
                        gint64           data_version)
{
  if (data_version == recheck->data_version)
    return FALSE;
  recheck->data_version = data_version;
  recheck->n_rechecks = 0;
  return TRUE;
}

/**
 * cc_commit_recheck_next_delay_ms:
 *
 * After an unchanged data_version: how long to wait before looking again.
 * Each call counts as one recheck scheduled.
 *
 * Returns: 5, 10, 20, 40, 80 (ms), then 0: stop looking
 */
guint
cc_commit_recheck_next_delay_ms (CcCommitRecheck *recheck)
{
  if (recheck->n_rechecks >= CC_COMMIT_RECHECK_TIMES)
    return 0;
  return 5u << recheck->n_rechecks++;
}
