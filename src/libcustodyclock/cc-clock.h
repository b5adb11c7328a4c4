/* cc-clock.h: the machine's clock, and an alarm at a wall-clock instant
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-time.h"

G_BEGIN_DECLS

CcInstant cc_clock_now (void);

typedef struct _CcClock CcClock;

CcClock  *cc_clock_new (void);
CcClock  *cc_clock_new_scaled (gint64 start_us,
                               double speed,
                               gint64 real_origin_us);
void      cc_clock_free (CcClock *clock);
gint64    cc_clock_get_time (CcClock *clock);
CcInstant cc_clock_get_now (CcClock *clock);
double    cc_clock_get_speed (CcClock *clock);
gboolean  cc_clock_is_simulated (CcClock *clock);
gint64    cc_clock_to_real (CcClock *clock,
                            gint64   time_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcClock, cc_clock_free)

/**
 * CcAlarmFunc:
 * @clock_changed: the wall clock was set (or the machine resumed) rather
 *   than the instant being reached: whoever armed the alarm should look
 *   again at what is due
 */
typedef void (*CcAlarmFunc) (gboolean clock_changed,
                             gpointer user_data);

typedef struct _CcAlarm CcAlarm;

CcAlarm *cc_alarm_new (CcClock    *clock,
                       CcAlarmFunc func,
                       gpointer    user_data);
void     cc_alarm_free (CcAlarm *alarm);
void     cc_alarm_arm (CcAlarm *alarm,
                       gint64   when_us);
void     cc_alarm_disarm (CcAlarm *alarm);
gint64   cc_alarm_get_armed (CcAlarm *alarm);
void     cc_alarm_handle_clock_change (CcAlarm *alarm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcAlarm, cc_alarm_free)

G_END_DECLS
