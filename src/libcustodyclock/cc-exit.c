/* cc-exit.c: the exit codes of both programs, and the code for an error
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * custody-clock and custody-clockd exit with the same code for the same
 * error (README, "Exit codes"), so that a script or systemd reads them
 * alike: one mapping, here, from an error's domain and code.  The agent
 * used to keep its own (a policy it could not read was 65, a damaged or
 * too new database 66), which disagreed with the command line's.
 * Decisions:
 *
 *  - 75 only for a lock held past the busy timeout: the one failure that
 *    running the same thing again is expected to mend.
 *  - 66 for what is missing or unreadable (the database, a policy or
 *    input file), 65 for what was read and refused (a bad policy, event
 *    or time), 1 for the rest: a damaged database is not "missing".
 *  - Bad usage (2) is decided where the options are parsed, not here: an
 *    error's domain does not say whether a person typed it.
 */
#include "config.h"

#include <gio/gio.h>

#include "cc-event.h"
#include "cc-exit.h"
#include "cc-policy.h"
#include "cc-store.h"
#include "cc-time.h"

/**
 * cc_exit_code_for_error:
 * @error: why the program stops
 *
 * Returns: the exit code for @error, the same in both programs
 */
CcExit
cc_exit_code_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, CC_EXIT_FAILURE);

  if (error->domain == CC_STORE_ERROR)
    {
      switch ((CcStoreError) error->code)
        {
        case CC_STORE_ERROR_BUSY:
          return CC_EXIT_TEMPFAIL;
        case CC_STORE_ERROR_NOT_FOUND:
        case CC_STORE_ERROR_PERMISSION:
          return CC_EXIT_NOINPUT;
        case CC_STORE_ERROR_CORRUPT:
        case CC_STORE_ERROR_FAILED:
        case CC_STORE_ERROR_TOO_NEW:
        case CC_STORE_ERROR_REFUSED:
        default:
          return CC_EXIT_FAILURE;
        }
    }
  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_NOT_FOUND || error->code == G_IO_ERROR_PERMISSION_DENIED ||
       error->code == G_IO_ERROR_IS_DIRECTORY))
    return CC_EXIT_NOINPUT;
  if (error->domain == G_FILE_ERROR)
    return CC_EXIT_NOINPUT;
  if (error->domain == CC_POLICY_ERROR)
    return error->code == CC_POLICY_ERROR_FILE ? CC_EXIT_NOINPUT : CC_EXIT_DATAERR;
  if (error->domain == CC_EVENT_ERROR || error->domain == CC_TIME_ERROR)
    return CC_EXIT_DATAERR;
  return CC_EXIT_FAILURE;
}
