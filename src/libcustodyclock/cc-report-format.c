/* cc-report-format.c: the words and numbers every rendering of the report writes
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A custody lead compares the HTML page with the Markdown or CSV of the
 * same month, and both with the board and the escalations list: a figure
 * must read the same in each.  So the renderers (cc-report-html.c,
 * cc-report-text.c) take a duration, a rank and how an escalation ended
 * from here, and here from the one definition each has elsewhere:
 *
 * - durations as the board writes them, cc_duration_format() ("2 d 5 h",
 *   "45 s"), truncated, never more time than there was;
 * - ranks as the board, notifications and escalations list name them,
 *   cc_level_display_name(), in lower case ("escalated to inspector");
 * - resolutions as the escalations list names them,
 *   cc_resolution_display_name(), with a capital as a row's label.
 *
 * An id the report carries that this version does not know is shown as it
 * is: the report never hides a figure because its name is new.
 */
#include "config.h"

#include "cc-report-format.h"

#include "cc-escalation.h"
#include "cc-rules.h"
#include "cc-time.h"

/**
 * cc_report_format_duration:
 * @seconds: a duration, possibly negative
 *
 * Returns: (transfer full): the duration as the board writes it
 */
char *
cc_report_format_duration (gint64 seconds)
{
  return cc_duration_format (seconds);
}

/**
 * cc_report_format_level:
 * @level: (nullable): a level's id, as the report's JSON has it
 *
 * Returns: (transfer none) (nullable): the rank's display name, @level
 *   itself if it is no level this version knows, or %NULL for %NULL
 */
const char *
cc_report_format_level (const char *level)
{
  CcLevel l;

  if (level == NULL)
    return NULL;
  l = cc_level_from_string (level);
  return (int) l < 0 ? level : cc_level_display_name (l);
}

/**
 * cc_report_format_resolution:
 * @resolution: a resolution's id, a key of the report's
 *   `escalations.resolutions`
 *
 * Returns: (transfer full): the label of its row: the escalations list's
 *   name for it with a capital ("The duty was done, late"), or @resolution
 *   itself if this version does not know it
 */
char *
cc_report_format_resolution (const char *resolution)
{
  CcResolution r;
  const char  *name;
  char         capital[8] = { 0 };

  g_return_val_if_fail (resolution != NULL, NULL);

  r = cc_resolution_from_string (resolution);
  if (r == CC_RESOLUTION_UNKNOWN || r == CC_RESOLUTION_NONE)
    return g_strdup (resolution);
  name = cc_resolution_display_name (r);
  /* The first character in title case: a whole character, so that a
   * translation that opens with a letter outside ASCII keeps it whole. */
  g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (name)), capital);
  return g_strconcat (capital, g_utf8_next_char (name), NULL);
}
