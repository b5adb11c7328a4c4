/* cmd-import.c: custody-clock import
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A corrected arrival that leaves earlier events of its record before it is
 * stored with a warning naming them, not refused as `record` does without
 * --force: a file comes from the custody system, the authority on its own
 * record, and the events it orphans may be corrected further down the same
 * file.  The warning does not change the exit code (nothing was rejected).
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <unistd.h>

#include "cc-cli.h"
#include "cc-importer.h"
#include "cc-report.h"
#include "cc-settle.h"

typedef struct
{
  const char *shown_name;
} NoticeData;

static void
print_notice (CcImportNotice notice,
              guint64        line,
              const char    *event_id,
              int            code,
              const char    *reason,
              gpointer       user_data)
{
  NoticeData *data = user_data;

  switch (notice)
    {
    case CC_IMPORT_REJECTED:
      g_printerr ("%s:%" G_GUINT64_FORMAT ": %s\n", data->shown_name, line, reason);
      break;
    case CC_IMPORT_HELD:
      /* Translators: %1$s is the input file, %2$llu the line number, %3$s
       * why the event waits (it is kept, and counts once what it depends
       * on is keyed) */
      g_printerr (_ ("%1$s:%2$llu: held: %3$s\n"), data->shown_name, (unsigned long long) line, reason);
      break;
    case CC_IMPORT_ORPHANS:
    case CC_IMPORT_REFUSED:
      /* Translators: %1$s is the input file, %2$llu the line number, %3$s
       * what the line does to other events of its record: the line itself
       * is stored */
      g_printerr (_ ("%1$s:%2$llu: warning: %3$s\n"), data->shown_name, (unsigned long long) line, reason);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The trend's figures of the months just written, under the policy in
 * force (cc_report_keep_summaries()): the first report on the log then
 * reads its own month, not a year.  Without a usable policy, or on any
 * failure, the first report does it instead: nothing shown changes. */
static void
keep_summaries (CcCli   *cli,
                CcStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = cc_cli_load_policy (cli, &error);

  if (policy == NULL || !cc_report_keep_summaries (store, policy, cli->now, NULL, &error))
    g_debug ("%s: the trend's figures were not kept: %s", cc_store_get_path (store), error->message);
}

int
cc_cmd_import (CcCli  *cli,
               char ***argv)
{
  g_autofree char   *assume_tz_name = NULL;
  const GOptionEntry entries[] = {
    { "assume-tz", 0, 0, G_OPTION_ARG_STRING, &assume_tz_name,
      N_ ("Read times written without an offset as local times in ZONE (e.g. Europe/London); "
          "times that do not exist or happen twice at a clock change are rejected"),
      N_ ("ZONE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "import", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcImporter) importer = NULL;
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (GTimeZone) assume_tz = NULL;
  const CcImportStats *stats;
  const char          *file_name = "-";
  NoticeData           notice_data;
  int                  status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 2)
    return cc_cli_usage_error ("import", _ ("give one file to import (or - for standard input)"));
  if ((*argv)[1] != NULL)
    file_name = (*argv)[1];

  if (assume_tz_name != NULL)
    {
      assume_tz = cc_time_zone_new (assume_tz_name, &error);
      if (assume_tz == NULL)
        return cc_cli_usage_error ("import", "%s", error->message);
    }

  /* Open the input first: a mistyped file name must not create a database. */
  if (g_str_equal (file_name, "-"))
    {
      input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      /* Translators: the name shown for standard input in messages */
      notice_data.shown_name = _ ("<stdin>");
    }
  else
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (file_name);
      input = (GInputStream *) g_file_read (file, NULL, &error);
      if (input == NULL)
        {
          /* Translators: %1$s is a file name, %2$s the system's reason */
          g_printerr (_ ("custody-clock: %1$s: cannot read: %2$s\n"), file_name, error->message);
          return cc_exit_code_for_error (error);
        }
      notice_data.shown_name = file_name;
    }

  store = cc_cli_open_store (cli, FALSE, &error);
  if (store == NULL)
    return cc_cli_fail (error);

  importer = cc_importer_new (store, file_name, cli->now);
  cc_importer_set_assume_tz (importer, assume_tz);
  cc_importer_set_notice_func (importer, print_notice, &notice_data);

  if (!cc_importer_import_stream (importer, input, NULL, &error))
    {
      stats = cc_importer_get_stats (importer);
      /* Translators: %1$s is the input file, %2$u the number of the last line
       * read, %3$s what went wrong */
      g_printerr (_ ("custody-clock: %1$s: import stopped after line %2$u: %3$s\n"
                     "Lines committed before the failure are kept; run the same import again "
                     "and they count as duplicates.\n"),
                  notice_data.shown_name,
                  stats->imported + stats->duplicates + stats->rejected, error->message);
      return cc_exit_code_for_error (error);
    }

  {
    g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
    g_autoptr (GError) settle_error = NULL;

    if (!cc_settle_backlog (store, defaults, cli->now, NULL, NULL, &settle_error))
      g_debug ("%s: not settled: %s", cc_store_get_path (store), settle_error->message);
    keep_summaries (cli, store);
  }

  stats = cc_importer_get_stats (importer);
  /* Translators: three counts of input lines, each after its label:
   * imported, already in the log, refused */
  g_print (_ ("imported %u, duplicates %u, rejected %u\n"),
           stats->imported, stats->duplicates, stats->rejected);
  if (stats->held > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u event is held until what it depends on is keyed (see 'custody-clock doctor')\n",
                          "%u events are held until what they depend on is keyed (see 'custody-clock doctor')\n",
                          stats->held),
             stats->held);
  if (stats->rejected > 0)
    g_printerr (_ ("Rejected lines are kept in the quarantine table; 'custody-clock doctor' lists them.\n"));
  if (stats->rejected > 0)
    /* Translators: custody-clock-log(5) is a manual page: it stays as it is */
    g_printerr (_ ("The format of a line, every event type and its fields, is in custody-clock-log(5).\n"));

  return stats->rejected > 0 ? CC_EXIT_DATAERR : CC_EXIT_OK;
}
