/* cc-escalation.c: one escalation record, and how it can end
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The record the escalator plans, the store keeps and every reader shows
 * (interfaces.md "Escalation records"), apart from the store so that the
 * pure escalator does not include it.  Resolutions are the ids the
 * database keeps (CC_RESOLUTION_…); each has one display name, here.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-escalation.h"

CcEscalation *
cc_escalation_new (const char *record_id,
                   const char *rule,
                   int         occurrence,
                   CcLevel     level,
                   CcInstant   breached_at,
                   CcInstant   raised_at)
{
  CcEscalation *e = g_new0 (CcEscalation, 1);

  e->record_id = g_strdup (record_id);
  e->rule = g_strdup (rule);
  e->occurrence = occurrence;
  e->level = level;
  e->breached_at = breached_at;
  e->raised_at = raised_at;
  e->acknowledged_at = CC_INSTANT_NONE;
  e->resolved_at = CC_INSTANT_NONE;
  return e;
}

void
cc_escalation_free (CcEscalation *e)
{
  if (e == NULL)
    return;
  g_free (e->record_id);
  g_free (e->rule);
  g_free (e->acknowledged_by);
  g_free (e->ack_note);
  g_free (e->resolution);
  g_free (e);
}

/**
 * cc_resolution_display_name:
 * @resolution: (nullable): a resolution id (CC_RESOLUTION_…), as stored
 *
 * How an escalation ended, as a person reads it, translated; an id this
 * program does not know is shown as it is.
 *
 * Returns: (transfer none): the display name
 */
const char *
cc_resolution_display_name (const char *resolution)
{
  if (g_strcmp0 (resolution, CC_RESOLUTION_SATISFIED) == 0)
    /* Translators: how an escalation ended */
    return C_ ("escalation resolution", "the duty was done, late");
  if (g_strcmp0 (resolution, CC_RESOLUTION_CLOSED) == 0)
    /* Translators: how an escalation ended */
    return C_ ("escalation resolution", "custody ended with the breach standing");
  if (g_strcmp0 (resolution, CC_RESOLUTION_WITHDRAWN_LATE_ENTRY) == 0)
    /* Translators: how an escalation ended: a late or corrected entry moved
     * the due time or showed the duty done */
    return C_ ("escalation resolution", "withdrawn: a late or corrected entry");
  if (g_strcmp0 (resolution, CC_RESOLUTION_POLICY_CHANGED) == 0)
    /* Translators: how an escalation ended: a policy reload */
    return C_ ("escalation resolution", "withdrawn: the policy changed");
  return resolution != NULL ? resolution : "";
}
