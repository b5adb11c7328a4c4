/* cc-alarm.c: an alarm at a wall-clock instant, on a time source
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The alarm is a timerfd on CLOCK_REALTIME with an absolute expiry, so it
 * fires at the wall-clock instant a duty falls due even across a suspend
 * (CLOCK_REALTIME keeps counting while the machine sleeps), and with
 * TFD_TIMER_CANCEL_ON_SET the kernel wakes us when someone sets the clock,
 * so the alarm is re-armed instead of firing an hour off.  One fd, no
 * polling.  It takes instants on a CcTimeSource (cc-time-source.c), the
 * machine's clock or a demonstration's faster one.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cc-alarm.h"

struct _CcAlarm
{
  CcTimeSource *clock; /* (unowned) */
  int           fd;
  guint         source_id;
  gint64        armed_us; /* 0 when disarmed */
  CcAlarmFunc   func;
  gpointer      user_data;
};

/**
 * cc_alarm_handle_clock_change:
 *
 * What the alarm does when its timerfd read fails with ECANCELED: the
 * system clock was set (or the machine resumed), and the kernel dropped
 * any expiry it had counted.  An instant still ahead is armed again (which
 * also asks to hear of the next change); one the jump went past is not,
 * and the owner's callback is told, with @clock_changed set, to look again
 * at what is due and arm the alarm for it.
 *
 * Split out of the fd callback so that tests can drive this path: only
 * setting the system clock, which needs privileges, makes the kernel do it.
 */
void
cc_alarm_handle_clock_change (CcAlarm *alarm)
{
  if (alarm->armed_us > 0 && alarm->armed_us > cc_time_source_get_time (alarm->clock))
    cc_alarm_arm (alarm, alarm->armed_us);
  else
    alarm->armed_us = 0;
  alarm->func (TRUE, alarm->user_data);
}

static gboolean
on_alarm (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  CcAlarm *alarm = user_data;
  guint64  expirations;

  if (read (fd, &expirations, sizeof expirations) < 0)
    {
      if (errno == EAGAIN)
        return G_SOURCE_CONTINUE;
      if (errno == ECANCELED)
        {
          cc_alarm_handle_clock_change (alarm);
          return G_SOURCE_CONTINUE;
        }
    }
  alarm->armed_us = 0;
  alarm->func (FALSE, alarm->user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * cc_alarm_new:
 * @clock: (transfer none): the clock whose instants cc_alarm_arm() takes;
 *   must outlive the alarm
 * @func: called on the thread-default main context when the alarm goes off
 *
 * Returns: (transfer full): a disarmed alarm
 */
CcAlarm *
cc_alarm_new (CcTimeSource *clock,
              CcAlarmFunc   func,
              gpointer      user_data)
{
  CcAlarm *alarm = g_new0 (CcAlarm, 1);

  alarm->clock = clock;
  alarm->fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (alarm->fd < 0)
    g_error ("timerfd_create: %s", g_strerror (errno));
  alarm->func = func;
  alarm->user_data = user_data;
  alarm->source_id = g_unix_fd_add (alarm->fd, G_IO_IN, on_alarm, alarm);
  return alarm;
}

void
cc_alarm_free (CcAlarm *alarm)
{
  if (alarm == NULL)
    return;
  g_source_remove (alarm->source_id);
  close (alarm->fd);
  g_free (alarm);
}

/**
 * cc_alarm_arm:
 * @when_us: the time on the alarm's clock (microseconds since the epoch)
 *   to go off at; in the past, it goes off at once
 *
 * Replaces any earlier setting: the agent has one alarm.
 */
void
cc_alarm_arm (CcAlarm *alarm,
              gint64   when_us)
{
  struct itimerspec spec = { 0 };
  gint64            real_us = when_us > 0 ? cc_time_source_to_real (alarm->clock, when_us) : 0;

  /* An expiry of zero would disarm: the past is one nanosecond after the
   * epoch, which goes off at once. */
  if (real_us <= 0)
    spec.it_value.tv_nsec = 1;
  else
    {
      spec.it_value.tv_sec = real_us / G_USEC_PER_SEC;
      spec.it_value.tv_nsec = (real_us % G_USEC_PER_SEC) * 1000;
    }
  if (timerfd_settime (alarm->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) < 0)
    g_error ("timerfd_settime: %s", g_strerror (errno));
  alarm->armed_us = MAX (when_us, 1);
}

void
cc_alarm_disarm (CcAlarm *alarm)
{
  struct itimerspec spec = { 0 };

  timerfd_settime (alarm->fd, TFD_TIMER_ABSTIME, &spec, NULL);
  alarm->armed_us = 0;
}

/* When the alarm is set for, or 0. */
gint64
cc_alarm_get_armed (CcAlarm *alarm)
{
  return alarm->armed_us;
}
