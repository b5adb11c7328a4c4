/* cmd-simulate.c: custody-clock simulate (stub, being written)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cc-cli.h"

int
cc_cmd_simulate (CcCli  *cli,
             char ***argv)
{
  return cc_cli_usage_error ("simulate", "%s", "not available yet");
}
