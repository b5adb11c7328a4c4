/* cc-agent-retry.h: when the agent tries a failed pass again, when it
 * tells the desk, and when it looks again for another writer's commit
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The third failure in a row is the one the desk is told of. */
#define CC_AGENT_RETRY_OUTAGE_AFTER 3
/* A pass is tried again after 1, 2, 4 … real seconds, never more than this. */
#define CC_AGENT_RETRY_MAX_DELAY_S 30
/* An unchanged data_version is looked at again this many times. */
#define CC_COMMIT_RECHECK_TIMES 5

typedef struct _CcAgentRetry CcAgentRetry;

/**
 * CcAgentRetryStep:
 * @attempt: the failures in a row, this one included
 * @delay_s: real seconds until the next attempt
 * @retry_at_us: that instant on the agent's time source
 * @log: the failure is worth a line in the journal
 * @tell_desk: the desk is to be told now that the log cannot be written
 *
 * What to do after a failed pass (cc_agent_retry_failed()).
 */
typedef struct
{
  guint    attempt;
  guint    delay_s;
  gint64   retry_at_us;
  gboolean log;
  gboolean tell_desk;
} CcAgentRetryStep;

CcAgentRetry *cc_agent_retry_new (void);
void          cc_agent_retry_free (CcAgentRetry *retry);
void          cc_agent_retry_failed (CcAgentRetry     *retry,
                                     gint64            now_us,
                                     double            speed,
                                     const char       *message,
                                     CcAgentRetryStep *out_step);
guint         cc_agent_retry_succeeded (CcAgentRetry *retry);
guint         cc_agent_retry_get_n_failures (CcAgentRetry *retry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcAgentRetry, cc_agent_retry_free)

/**
 * CcCommitRecheck:
 *
 * Whether another connection has committed (its data_version) and, while
 * it seems not to have, when to look again.  @data_version (the last one
 * seen) may be read; neither field is written but by these functions.
 */
typedef struct
{
  gint64 data_version;
  guint  n_rechecks;
} CcCommitRecheck;

void     cc_commit_recheck_init (CcCommitRecheck *recheck,
                                 gint64           data_version);
void     cc_commit_recheck_restart (CcCommitRecheck *recheck);
gboolean cc_commit_recheck_seen (CcCommitRecheck *recheck,
                                 gint64           data_version);
guint    cc_commit_recheck_next_delay_ms (CcCommitRecheck *recheck);

G_END_DECLS
