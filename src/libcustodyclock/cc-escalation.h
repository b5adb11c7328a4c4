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

/**
 * CcResolution:
 * @CC_RESOLUTION_NONE: not ended: the record is open (`resolution` NULL)
 * @CC_RESOLUTION_SATISFIED: the duty was done, late (`satisfied`)
 * @CC_RESOLUTION_CLOSED: custody ended with the breach standing (`closed`)
 * @CC_RESOLUTION_WITHDRAWN_LATE_ENTRY: a late or corrected entry moved or
 *   removed the breach (`withdrawn_late_entry`)
 * @CC_RESOLUTION_POLICY_CHANGED: a policy reload moved or removed it
 *   (`policy_changed`)
 * @CC_RESOLUTION_UNKNOWN: ended, in a way this version does not know: a
 *   `resolution` text no Custody Clock writes (a hand edit, which doctor
 *   reports as a break in the history, or a newer version)
 *
 * How an escalation record ended.  The ids in brackets are the stored
 * `resolution` column and the report's JSON keys; they are hashed into the
 * escalation history, so they never change.
 */
typedef enum
{
  CC_RESOLUTION_NONE,
  CC_RESOLUTION_SATISFIED,
  CC_RESOLUTION_CLOSED,
  CC_RESOLUTION_WITHDRAWN_LATE_ENTRY,
  CC_RESOLUTION_POLICY_CHANGED,
  CC_RESOLUTION_UNKNOWN,
} CcResolution;

/* The resolutions the escalator writes, in the report's order. */
#define CC_RESOLUTION_FIRST CC_RESOLUTION_SATISFIED
#define CC_RESOLUTION_LAST CC_RESOLUTION_POLICY_CHANGED

/**
 * CcEscalation:
 * @id: the row's id (0 before it is stored)
 * @record_id: @rule: @occurrence: @level: what was breached and who it went to
 * @breached_at: when the breach happened (event time)
 * @raised_at: when this record was written
 * @acknowledged_at: @acknowledged_by: @ack_note: the acknowledgement, if any
 * @resolved_at: @resolution: how it ended, if it has
 * @late: written after the fact (catch-up at start-up, or later than the
 *   breach by more than a minute)
 *
 * One escalation record (interfaces.md "Escalation records").
 */
typedef struct
{
  gint64       id;
  char        *record_id;
  char        *rule;
  int          occurrence;
  CcLevel      level;
  CcInstant    breached_at;
  CcInstant    raised_at;
  CcInstant    acknowledged_at;
  char        *acknowledged_by;
  char        *ack_note;
  CcInstant    resolved_at;
  CcResolution resolution;
  gboolean     late;
} CcEscalation;

CcEscalation *cc_escalation_new (const char *record_id,
                                 const char *rule,
                                 int         occurrence,
                                 CcLevel     level,
                                 CcInstant   breached_at,
                                 CcInstant   raised_at);
void          cc_escalation_free (CcEscalation *escalation);

const char  *cc_resolution_to_string (CcResolution resolution);
CcResolution cc_resolution_from_string (const char *text);
const char  *cc_resolution_display_name (CcResolution resolution);
gboolean     cc_resolution_is_withdrawal (CcResolution resolution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcEscalation, cc_escalation_free)

G_END_DECLS
