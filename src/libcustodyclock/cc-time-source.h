/* cc-time-source.h: the time the agent lives in
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-time.h"

G_BEGIN_DECLS

CcInstant cc_time_source_machine_now (void);
gint64    cc_time_source_machine_time_us (void);

typedef struct _CcClock CcTimeSource;

CcTimeSource *cc_time_source_new (void);
CcTimeSource *cc_time_source_new_scaled (gint64 start_us,
                                         double speed,
                                         gint64 real_origin_us);
void          cc_time_source_free (CcTimeSource *clock);
gint64        cc_time_source_get_time (CcTimeSource *clock);
CcInstant     cc_time_source_get_now (CcTimeSource *clock);
double        cc_time_source_get_speed (CcTimeSource *clock);
gboolean      cc_time_source_is_simulated (CcTimeSource *clock);
gint64        cc_time_source_to_real (CcTimeSource *clock,
                                      gint64        time_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTimeSource, cc_time_source_free)

G_END_DECLS
