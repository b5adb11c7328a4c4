/* cc-agent.h: the booking-desk agent's core (time comes from outside)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-time-source.h"
#include "cc-notifier.h"
#include "cc-policy.h"
#include "cc-store.h"

G_BEGIN_DECLS

typedef struct _CcAgent CcAgent;

CcAgent  *cc_agent_new (CcStore    *store,
                        CcPolicy   *policy,
                        CcNotifier *notifier,
                        const char *agent_id,
                        const char *suite,
                        CcLevel     role);
void      cc_agent_free (CcAgent *agent);
void      cc_agent_set_policy (CcAgent  *agent,
                               CcPolicy *policy);
void      cc_agent_set_clock (CcAgent      *agent,
                              CcTimeSource *clock);
gboolean  cc_agent_process (CcAgent  *agent,
                            CcInstant now,
                            GError  **error);
gboolean  cc_agent_process_step (CcAgent  *agent,
                                 CcInstant now,
                                 gboolean *out_done,
                                 GError  **error);
CcInstant cc_agent_get_next_wakeup (CcAgent *agent);
guint     cc_agent_get_n_owed (CcAgent *agent);
guint     cc_agent_get_n_held (CcAgent *agent);
gboolean  cc_agent_acknowledge (CcAgent    *agent,
                                gint64      escalation_id,
                                const char *officer,
                                CcInstant   now,
                                GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcAgent, cc_agent_free)

G_END_DECLS
