/* cc-escalator.h: from breaches to escalation records that climb the ranks
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-engine.h"
#include "cc-policy.h"
#include "cc-escalation.h"

G_BEGIN_DECLS

/**
 * CcPlannedResolution:
 * @escalation_id: the record to resolve
 * @resolution: how it ended
 */
typedef struct
{
  gint64       escalation_id;
  CcResolution resolution;
} CcPlannedResolution;

/**
 * CcEscalationPlan:
 * @raise: (element-type CcEscalation): records to write (id 0)
 * @resolve: (element-type CcPlannedResolution): records to resolve
 * @next_step: when the next climb falls due, or %CC_INSTANT_NONE
 */
typedef struct
{
  GPtrArray *raise;
  GArray    *resolve;
  CcInstant  next_step;
} CcEscalationPlan;

void cc_escalation_plan_init (CcEscalationPlan *plan);
void cc_escalation_plan_clear (CcEscalationPlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CcEscalationPlan, cc_escalation_plan_clear)

gboolean cc_escalation_is_withdrawn (const CcEscalation *row);

void cc_escalator_plan (GPtrArray        *evaluations,
                        GPtrArray        *escalations,
                        GPtrArray        *previous,
                        const CcPolicy   *policy,
                        CcInstant         now,
                        CcEscalationPlan *plan);

G_END_DECLS
