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
  g_free (e);
}

/* The stored ids, by CcResolution; NONE and UNKNOWN have none. */
static const char *const resolution_ids[] = {
  [CC_RESOLUTION_SATISFIED] = "satisfied",
  [CC_RESOLUTION_CLOSED] = "closed",
  [CC_RESOLUTION_WITHDRAWN_LATE_ENTRY] = "withdrawn_late_entry",
  [CC_RESOLUTION_POLICY_CHANGED] = "policy_changed",
};

/**
 * cc_resolution_to_string:
 * @resolution: how an escalation ended
 *
 * Returns: (nullable): the stored id (the `resolution` column, the
 *   report's key), or %NULL for %CC_RESOLUTION_NONE (still open), or
 *   `"unknown"` for %CC_RESOLUTION_UNKNOWN (never written to the store)
 */
const char *
cc_resolution_to_string (CcResolution resolution)
{
  if (resolution == CC_RESOLUTION_UNKNOWN)
    return "unknown";
  if (resolution >= CC_RESOLUTION_FIRST && resolution <= CC_RESOLUTION_LAST)
    return resolution_ids[resolution];
  return NULL;
}

/**
 * cc_resolution_from_string:
 * @text: (nullable): a stored `resolution`
 *
 * Returns: the resolution: %CC_RESOLUTION_NONE for %NULL, and
 *   %CC_RESOLUTION_UNKNOWN for a text no Custody Clock writes
 */
CcResolution
cc_resolution_from_string (const char *text)
{
  if (text == NULL)
    return CC_RESOLUTION_NONE;
  for (CcResolution r = CC_RESOLUTION_FIRST; r <= CC_RESOLUTION_LAST; r++)
    if (g_str_equal (text, resolution_ids[r]))
      return r;
  return CC_RESOLUTION_UNKNOWN;
}

/**
 * cc_resolution_is_withdrawal:
 *
 * Returns: whether the breach was taken back (a late entry or a change of
 *   policy showed it was none), rather than resolved with it standing
 */
gboolean
cc_resolution_is_withdrawal (CcResolution resolution)
{
  return resolution == CC_RESOLUTION_WITHDRAWN_LATE_ENTRY || resolution == CC_RESOLUTION_POLICY_CHANGED;
}

/**
 * cc_resolution_display_name:
 * @resolution: how an escalation ended
 *
 * How an escalation ended, as a person reads it, translated, in lower
 * case ("resolved: %s"); the one set of names the escalations list, the
 * report's renderers and doctor use.
 *
 * Returns: (transfer none): the display name ("" for a record still open)
 */
const char *
cc_resolution_display_name (CcResolution resolution)
{
  switch (resolution)
    {
    case CC_RESOLUTION_SATISFIED:
      /* Translators: how an escalation ended */
      return C_ ("escalation resolution", "the duty was done, late");
    case CC_RESOLUTION_CLOSED:
      /* Translators: how an escalation ended */
      return C_ ("escalation resolution", "custody ended with the breach standing");
    case CC_RESOLUTION_WITHDRAWN_LATE_ENTRY:
      /* Translators: how an escalation ended: a late or corrected entry moved
       * the due time or showed the duty done */
      return C_ ("escalation resolution", "withdrawn: a late or corrected entry");
    case CC_RESOLUTION_POLICY_CHANGED:
      /* Translators: how an escalation ended: a policy reload */
      return C_ ("escalation resolution", "withdrawn: the policy changed");
    case CC_RESOLUTION_UNKNOWN:
      /* Translators: how an escalation ended: the database holds a value
       * this version of the program does not know */
      return C_ ("escalation resolution", "ended in a way this version does not know");
    case CC_RESOLUTION_NONE:
    default:
      return "";
    }
}
