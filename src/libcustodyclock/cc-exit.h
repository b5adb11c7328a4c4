/* cc-exit.h: the exit codes of both programs, and the code for an error
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes (interfaces.md; the numbers are sysexits.h's). */
typedef enum
{
  CC_EXIT_OK = 0,
  CC_EXIT_FAILURE = 1,
  CC_EXIT_USAGE = 2,
  CC_EXIT_DATAERR = 65,
  CC_EXIT_NOINPUT = 66,
  CC_EXIT_CANTCREAT = 73,
  CC_EXIT_TEMPFAIL = 75,
} CcExit;

CcExit cc_exit_code_for_error (const GError *error);

G_END_DECLS
