/* cc-report-html.c: the monthly breach report (stub, being written)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cc-report.h"
