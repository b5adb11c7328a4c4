/* cc-cli.h: what the custody-clock subcommands share
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "cc-exit.h"
#include "cc-policy.h"
#include "cc-store.h"

G_BEGIN_DECLS

/* Exit codes: CcExit and cc_exit_code_for_error() (cc-exit.h), shared
 * with custody-clockd. */

typedef struct
{
  char    *db_path;     /* --db, or NULL for the default */
  char    *policy_path; /* --policy, or NULL for the default files */
  gboolean is_tty;      /* standard output is a terminal */
  /* The machine's time, read once when the program starts
   * (cc_time_source_machine_now()): every command takes "now" from here,
   * so one run judges everything at one instant. */
  CcInstant now;
} CcCli;

/* @argv: (inout): the arguments, without the command's name; parsing
 * removes the options it consumed. */
typedef int (*CcCliCommandFunc) (CcCli  *cli,
                                 char ***argv);

typedef struct
{
  const char      *name;
  CcCliCommandFunc func;
  const char      *parameter_string;
  const char      *summary;
} CcCliCommand;

GOptionContext *cc_cli_option_context_new (CcCli              *cli,
                                           const char         *command,
                                           const GOptionEntry *entries);
int             cc_cli_parse (GOptionContext *context,
                              char         ***argv);
int             cc_cli_usage_error (const char *command,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (2, 3);
int             cc_cli_fail (const GError *error);
const char     *cc_cli_database_path (CcCli *cli);
CcStore        *cc_cli_open_store (CcCli   *cli,
                                   gboolean create,
                                   GError **error);
CcPolicy       *cc_cli_load_policy (CcCli   *cli,
                                    GError **error);
GTimeZone      *cc_cli_display_zone (CcCli *cli);
gboolean        cc_cli_parse_at (CcCli      *cli,
                                 const char *text,
                                 GTimeZone  *tz,
                                 CcInstant  *out_instant,
                                 GError    **error);

int cc_cmd_init (CcCli *cli, char ***argv);
int cc_cmd_import (CcCli *cli, char ***argv);
int cc_cmd_record (CcCli *cli, char ***argv);
int cc_cmd_doctor (CcCli *cli, char ***argv);
int cc_cmd_status (CcCli *cli, char ***argv);
int cc_cmd_policy (CcCli *cli, char ***argv);
int cc_cmd_escalations (CcCli *cli, char ***argv);
int cc_cmd_ack (CcCli *cli, char ***argv);
int cc_cmd_timeline (CcCli *cli, char ***argv);
int cc_cmd_demo (CcCli *cli, char ***argv);
int cc_cmd_report (CcCli *cli, char ***argv);
int cc_cmd_simulate (CcCli *cli, char ***argv);

G_END_DECLS
