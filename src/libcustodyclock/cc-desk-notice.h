/* cc-desk-notice.h: the text of what the agent shows the desk
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-engine.h"
#include "cc-escalation.h"
#include "cc-notifier.h"

G_BEGIN_DECLS

char     *cc_desk_notice_breach_key (gint64 escalation_id);
char     *cc_desk_notice_grouped_key (gint64 escalation_id);
CcNotice *cc_desk_notice_breach (const CcEscalation *row,
                                 GTimeZone          *tz);
CcNotice *cc_desk_notice_catch_up (GPtrArray *missed,
                                   GStrv     *out_members);
CcNotice *cc_desk_notice_resolved (const CcEscalation *row,
                                   CcResolution        resolution);
CcNotice *cc_desk_notice_warning (const CcEvaluation *ev,
                                  CcClockId           clock,
                                  GTimeZone          *tz);
CcNotice *cc_desk_notice_outage (const char *message,
                                 CcInstant   now);

G_END_DECLS
