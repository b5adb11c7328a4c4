/* cc-escalation.h: one escalation record, and how it can end
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-rules.h"
#include "cc-time.h"

G_BEGIN_DECLS

/* How an escalation record ended (the `resolution` column). */
#define CC_RESOLUTION_SATISFIED "satisfied"                       /* the duty was done, late */
#define CC_RESOLUTION_CLOSED "closed"                             /* custody ended with the breach standing */
#define CC_RESOLUTION_WITHDRAWN_LATE_ENTRY "withdrawn_late_entry" /* a late or corrected entry moved or removed it */
#define CC_RESOLUTION_POLICY_CHANGED "policy_changed"             /* a policy reload moved or removed it */

/**
 * CcEscalation:
 * @id: the row's id (0 before it is stored)
 * @record_id: @rule: @occurrence: @level: what was breached and who it went to
 * @breached_at: when the breach happened (event time)
 * @raised_at: when this record was written
 * @acknowledged_at: @acknowledged_by: @ack_note: the acknowledgement, if any
 * @resolved_at: @resolution: how it ended ("satisfied", "closed",
 *   "withdrawn_late_entry"), if it has
 * @late: written after the fact (catch-up at start-up, or later than the
 *   breach by more than a minute)
 *
 * One escalation record (interfaces.md "Escalation records").
 */
typedef struct
{
  gint64    id;
  char     *record_id;
  char     *rule;
  int       occurrence;
  CcLevel   level;
  CcInstant breached_at;
  CcInstant raised_at;
  CcInstant acknowledged_at;
  char     *acknowledged_by;
  char     *ack_note;
  CcInstant resolved_at;
  char     *resolution;
  gboolean  late;
} CcEscalation;

CcEscalation *cc_escalation_new (const char *record_id,
                                 const char *rule,
                                 int         occurrence,
                                 CcLevel     level,
                                 CcInstant   breached_at,
                                 CcInstant   raised_at);
void          cc_escalation_free (CcEscalation *escalation);

const char *cc_resolution_display_name (const char *resolution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcEscalation, cc_escalation_free)

G_END_DECLS
