/* cc-alarm.h: an alarm at a wall-clock instant, on a time source
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-time-source.h"

G_BEGIN_DECLS

/**
 * CcAlarmFunc:
 * @clock_changed: the wall clock was set (or the machine resumed) rather
 *   than the instant being reached: whoever armed the alarm should look
 *   again at what is due
 */
typedef void (*CcAlarmFunc) (gboolean clock_changed,
                             gpointer user_data);

typedef struct _CcAlarm CcAlarm;

CcAlarm *cc_alarm_new (CcTimeSource *clock,
                       CcAlarmFunc   func,
                       gpointer      user_data);
void     cc_alarm_free (CcAlarm *alarm);
void     cc_alarm_arm (CcAlarm *alarm,
                       gint64   when_us);
void     cc_alarm_disarm (CcAlarm *alarm);
gint64   cc_alarm_get_armed (CcAlarm *alarm);
void     cc_alarm_handle_clock_change (CcAlarm *alarm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcAlarm, cc_alarm_free)

G_END_DECLS
