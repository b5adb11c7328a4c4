/* cc-time-source.c: the time the agent lives in
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Only the time source reads the machine's clock (cc_time_source_machine_now()
 * for the programs, a CcTimeSource for the agent): everything else takes
 * the time as an argument (architecture.md, "injected time").
 *
 * A CcTimeSource is the machine's clock, or for demonstrations the same
 * clock run faster from a chosen start.  The alarm (cc-alarm.c) takes
 * instants on it and turns them into real expiries, so the engine and the
 * agent never know the difference.  Named apart from the legal clocks
 * (CcClockId, cc_clock_display_name()), which are what the law times.
 */
#include "config.h"

#include "cc-time-source.h"

struct _CcClock
{
  gint64 start_us;       /* the clock's time at real_origin_us */
  gint64 real_origin_us; /* 0 for the machine's clock */
  double speed;          /* 1.0 for the machine's clock */
};

/**
 * cc_time_source_machine_now:
 *
 * Returns: the machine's wall-clock time, in whole seconds
 */
CcInstant
cc_time_source_machine_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * cc_time_source_machine_time_us:
 *
 * Returns: the machine's wall-clock time, in microseconds: for setting up
 *   a time source (a demonstration's real origin), nothing else
 */
gint64
cc_time_source_machine_time_us (void)
{
  return g_get_real_time ();
}

/**
 * cc_time_source_new:
 *
 * Returns: (transfer full): the machine's clock
 */
CcTimeSource *
cc_time_source_new (void)
{
  CcTimeSource *clock = g_new0 (CcTimeSource, 1);

  clock->speed = 1.0;
  return clock;
}

/**
 * cc_time_source_new_scaled:
 * @start_us: the time the clock shows at @real_origin_us
 * @speed: how many seconds pass on this clock per real second (1 or more)
 * @real_origin_us: the real time (g_get_real_time()) it starts from; two
 *   processes given the same three values keep the same time
 *
 * Returns: (transfer full): an accelerated clock, for demonstrations
 */
CcTimeSource *
cc_time_source_new_scaled (gint64 start_us,
                           double speed,
                           gint64 real_origin_us)
{
  CcTimeSource *clock = g_new0 (CcTimeSource, 1);

  g_return_val_if_fail (speed >= 1.0, NULL);
  clock->start_us = start_us;
  clock->speed = speed;
  clock->real_origin_us = real_origin_us;
  return clock;
}

void
cc_time_source_free (CcTimeSource *clock)
{
  g_free (clock);
}

/* The clock's time, in microseconds since the epoch. */
gint64
cc_time_source_get_time (CcTimeSource *clock)
{
  gint64 real = g_get_real_time ();

  if (clock->real_origin_us == 0)
    return real;
  return clock->start_us + (gint64) ((double) (real - clock->real_origin_us) * clock->speed);
}

CcInstant
cc_time_source_get_now (CcTimeSource *clock)
{
  return cc_time_source_get_time (clock) / G_USEC_PER_SEC;
}

double
cc_time_source_get_speed (CcTimeSource *clock)
{
  return clock->speed;
}

/**
 * cc_time_source_is_simulated:
 *
 * Returns: %TRUE for a demonstration's clock (cc_time_source_new_scaled()), which
 *   may show another time than the machine's
 */
gboolean
cc_time_source_is_simulated (CcTimeSource *clock)
{
  g_return_val_if_fail (clock != NULL, FALSE);
  return clock->real_origin_us != 0;
}

/* The real time at which @clock shows @time_us. */
gint64
cc_time_source_to_real (CcTimeSource *clock,
                        gint64        time_us)
{
  if (clock->real_origin_us == 0)
    return time_us;
  return clock->real_origin_us + (gint64) ((double) (time_us - clock->start_us) / clock->speed);
}
