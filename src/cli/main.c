/* main.c: custody-clock, the command line
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cc-cli.h"
#include "cc-i18n.h"
#include "cc-paths.h"
#include "cc-policy.h"
#include "cc-time-source.h"

static const CcCliCommand commands[] = {
  { "init", cc_cmd_init, "", N_ ("Create or migrate the database and print its schema version") },
  { "import", cc_cmd_import, "[FILE|-]", N_ ("Import events from JSON Lines; bad lines go to quarantine") },
  { "record", cc_cmd_record, "RECORD TYPE [KEY=VALUE…]", N_ ("Key one event by hand") },
  { "status", cc_cmd_status, "", N_ ("The board: every child in custody, what is due next, most urgent first") },
  { "timeline", cc_cmd_timeline, "RECORD", N_ ("One record: every event, every clock explained, every breach") },
  { "escalations", cc_cmd_escalations, "", N_ ("List escalation records (--open: those not resolved)") },
  { "ack", cc_cmd_ack, "ID --officer ID", N_ ("Acknowledge an escalation: it stops climbing the ranks") },
  { "report", cc_cmd_report, "--month YYYY-MM", N_ ("The monthly breach report for the custody lead (html, csv, json or md)") },
  { "policy", cc_cmd_policy, "", N_ ("Print the effective policy, or check a policy file") },
  { "doctor", cc_cmd_doctor, "", N_ ("Check the database: health, permissions, quarantine, held events, clock skew") },
  { "simulate", cc_cmd_simulate, "--records N --start YYYY-MM-DD", N_ ("Write a realistic simulated custody log, for demonstrations and benchmarks") },
  { "demo", cc_cmd_demo, "", N_ ("Show Custody Clock at work on a bundled example") },
};

static const GOptionEntry global_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Custody log database (default: $CUSTODY_CLOCK_DB, else ~/.local/share/custody-clock/custody.db)"), N_ ("PATH") },
  { "policy", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Policy file (default: built-in, overlaid by /etc/custody-clock/policy.ini and ~/.config/custody-clock/policy.ini)"), N_ ("PATH") },
  G_OPTION_ENTRY_NULL
};

static const CcCliCommand *
lookup_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  g_assert_not_reached ();
}

GOptionContext *
cc_cli_option_context_new (CcCli              *cli,
                           const char         *name,
                           const GOptionEntry *entries)
{
  const CcCliCommand *command = lookup_command (name);
  g_autofree char    *parameters = g_strdup_printf ("%s%s%s", command->name,
                                                 *command->parameter_string ? " " : "",
                                                    command->parameter_string);
  GOptionContext     *context = g_option_context_new (parameters);
  GOptionEntry        globals[G_N_ELEMENTS (global_entries)];

  memcpy (globals, global_entries, sizeof global_entries);
  globals[0].arg_data = &cli->db_path;
  globals[1].arg_data = &cli->policy_path;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _ (command->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, globals, GETTEXT_PACKAGE);
  return context;
}

/* Returns -1 on success, else the exit code. */
int
cc_cli_parse (GOptionContext *context,
              char         ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse_strv (context, argv, &error))
    {
      g_printerr ("custody-clock: %s\n", error->message);
      g_printerr (_ ("Try 'custody-clock --help' for more information.\n"));
      return CC_EXIT_USAGE;
    }
  return -1;
}

int
cc_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("custody-clock %s: %s\n", command, message);
  g_printerr (_ ("Try 'custody-clock %s --help' for more information.\n"), command);
  return CC_EXIT_USAGE;
}

int
cc_cli_fail (const GError *error)
{
  /* An error may list several mistakes (a policy file's), a line each:
   * each line says whose message it is. */
  g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_printerr ("custody-clock: %s\n", lines[i]);
  return cc_exit_code_for_error (error);
}

const char *
cc_cli_database_path (CcCli *cli)
{
  if (cli->db_path == NULL)
    cli->db_path = cc_paths_default_database ();
  return cli->db_path;
}

/**
 * cc_cli_open_store:
 * @create: create the database (mode 0600) when it is missing
 *
 * Opens the database named by --db or the default.  Only `init` (and
 * `simulate`, whose job is writing a new log) pass @create: for every other
 * command a missing file is a mistyped path, and a new empty log would
 * take the events meant for the real one (issue 14 item 6), so it fails
 * with %CC_STORE_ERROR_NOT_FOUND (exit 66) and the init hint.  The busy timeout can be
 * shortened with `$CUSTODY_CLOCK_BUSY_TIMEOUT_MS` (tests use it).
 */
CcStore *
cc_cli_open_store (CcCli   *cli,
                   gboolean create,
                   GError **error)
{
  const char *timeout = g_getenv ("CUSTODY_CLOCK_BUSY_TIMEOUT_MS");
  CcStore    *store;

  store = cc_store_open (cc_cli_database_path (cli),
                         create ? CC_STORE_OPEN_CREATE : CC_STORE_OPEN_NONE, error);
  if (store != NULL && timeout != NULL && *timeout != '\0')
    cc_store_set_busy_timeout (store, (int) g_ascii_strtoll (timeout, NULL, 10));
  return store;
}

/**
 * cc_cli_display_zone:
 *
 * Returns: (transfer full): the zone times are shown in
 */
GTimeZone *
cc_cli_display_zone (CcCli *cli)
{
  g_autoptr (CcPolicy) policy = NULL;
  GTimeZone *tz;

  /* The policy's [display] timezone, as the board and the report use.  A
   * policy that does not load is refused by the commands that judge
   * clocks; a command that only shows times (escalations, doctor) still
   * runs, in the default zone. */
  policy = cc_policy_load (cli->policy_path, NULL, NULL);
  if (policy != NULL)
    return g_time_zone_ref (policy->tz);
  tz = cc_time_zone_new (CC_DEFAULT_TIMEZONE, NULL);
  return tz != NULL ? tz : g_time_zone_new_utc ();
}

/**
 * cc_cli_parse_at:
 * @text: the value of `--at`
 * @tz: the display zone (the policy's), in which local times are read
 *
 * Every command's `--at`: `HH:MM` (today), `YYYY-MM-DD HH:MM` in @tz, or
 * RFC 3339 with an offset (cc_time_parse_for_person()).  "Today" is the
 * machine's date in @tz, read here, at the edge, so that the library
 * keeps time as an argument.
 */
gboolean
cc_cli_parse_at (CcCli      *cli,
                 const char *text,
                 GTimeZone  *tz,
                 CcInstant  *out_instant,
                 GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);

  return cc_time_parse_for_person (text, tz, cli->now, out_instant, error);
}

static void
print_overview (FILE *out)
{
  fprintf (out, "%s\n", _ ("Usage:\n  custody-clock [--db PATH] [--policy PATH] COMMAND [OPTION…]"));
  fprintf (out, "\n%s\n", _ ("Custody Clock keeps the legal and welfare clocks of every child in police custody."));
  fprintf (out, "\n%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-11s  %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (out, "\n%s\n", _ ("Run 'custody-clock COMMAND --help' for a command's options."));
}

/* The subcommand is the first argument that is neither an option nor the
 * value of --db or --policy, so those two work before or after it. */
static int
find_command (int    argc,
              char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return i + 1 < argc ? i + 1 : -1;
      if (g_str_equal (arg, "--db") || g_str_equal (arg, "--policy"))
        {
          i++;
          continue;
        }
      if (arg[0] == '-')
        continue;
      return i;
    }
  return -1;
}

int
main (int    argc,
      char **argv)
{
  CcCli cli = { 0 };
  g_auto (GStrv) args = NULL;
  int index;
  int status;

  cc_i18n_init ();
  g_set_prgname ("custody-clock");

  cli.is_tty = isatty (STDOUT_FILENO);
  cli.now = cc_time_source_machine_now ();

  index = find_command (argc, argv);
  if (index < 0)
    {
      for (int i = 1; i < argc; i++)
        {
          if (g_str_equal (argv[i], "--version"))
            {
              g_print ("custody-clock %s\n", PACKAGE_VERSION);
              return CC_EXIT_OK;
            }
          if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
            {
              print_overview (stdout);
              return CC_EXIT_OK;
            }
        }
      print_overview (stderr);
      return CC_EXIT_USAGE;
    }

  for (gsize c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      int n = 0;

      if (!g_str_equal (argv[index], commands[c].name))
        continue;

      /* Hand the command every argument but its own name. */
      args = g_new0 (char *, argc);
      for (int i = 0; i < argc; i++)
        if (i != index)
          args[n++] = g_strdup (argv[i]);

      status = commands[c].func (&cli, &args);
      g_free (cli.db_path);
      g_free (cli.policy_path);
      return status;
    }

  g_printerr (_ ("custody-clock: '%s' is not a command.\n"), argv[index]);
  print_overview (stderr);
  return CC_EXIT_USAGE;
}
