/* cc-report-format.h: the words and numbers every rendering of the report writes
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *cc_report_format_duration (gint64 seconds);
const char *cc_report_format_level (const char *level);
char       *cc_report_format_resolution (const char *resolution);

G_END_DECLS
