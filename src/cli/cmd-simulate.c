/* cmd-simulate.c: custody-clock simulate
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The log written is settled before the command ends (cc_settle_backlog()
 * at the machine's time): every record is new to record_unsettled, and the
 * first `status` would otherwise read them all (HACKING.md "Reads cost what
 * they show").  Settling needs no policy setting, so the defaults serve.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cc-cli.h"
#include "cc-time-source.h"
#include "cc-report.h"
#include "cc-settle.h"
#include "cc-simulator.h"

/* --start: a date is midnight in London; a time needs its offset. */
static gboolean
parse_start (const char *text,
             CcInstant  *out_instant,
             GError    **error)
{
  GDate date;

  if (strlen (text) == 10 && cc_date_parse (text, &date, NULL))
    {
      g_autoptr (GTimeZone) tz = cc_time_zone_new (CC_DEFAULT_TIMEZONE, NULL);
      g_autoptr (GDateTime) midnight = NULL;

      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      midnight = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                                  g_date_get_day (&date), 0, 0, 0);
      if (midnight == NULL)
        {
          g_set_error (error, CC_TIME_ERROR, CC_TIME_ERROR_RANGE,
                       /* Translators: %s is the date given with --start */
                       _ ("--start %s: not a date this program can use"), text);
          return FALSE;
        }
      *out_instant = g_date_time_to_unix (midnight);
      return TRUE;
    }
  return cc_time_parse (text, NULL, out_instant, error);
}

typedef struct
{
  guint  requested;
  gint64 started_us;
} Progress;

static void
show_progress (const CcSimulatorStats *stats,
               gpointer                user_data)
{
  Progress        *progress = user_data;
  double           seconds = (g_get_monotonic_time () - progress->started_us) / 1e6;
  g_autofree char *events = NULL;
  g_autofree char *line = NULL;

  /* Translators: part of the progress line below */
  events = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu event written", "%llu events written",
                                         (gulong) stats->inserted),
                            (unsigned long long) stats->inserted);
  /* Translators: a progress line, rewritten in place: %1$u records of
   * %2$u done so far, %3$s e.g. "1200 events written", %4$.0f seconds
   * since the start */
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "simulating: %1$u of %2$u record, %3$s (%4$.0f s)",
                                       "simulating: %1$u of %2$u records, %3$s (%4$.0f s)", progress->requested),
                          stats->records, progress->requested, events, seconds);
  /* Back to the start of the line: the progress line overwrites itself. */
  g_printerr ("\r%s", line);
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
cc_cmd_simulate (CcCli  *cli,
                 char ***argv)
{
  gint64             n_records = -1;
  gint64             seed = 1;
  gint64             n_suites = 1;
  double             adults_ratio = 0;
  double             per_day = CC_SIMULATOR_DEFAULT_PER_DAY;
  g_autofree char   *start_text = NULL;
  g_autofree char   *not_after_text = NULL;
  gboolean           append = FALSE;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT64, &n_records,
      N_ ("How many custody records to simulate (about 30 events each)"), N_ ("N") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text,
      N_ ("When the first arrivals come: a date (midnight, London time) or an RFC 3339 time"), N_ ("YYYY-MM-DD") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_ ("Seed of the simulation: the same seed and options write the same rows (default 1)"), N_ ("S") },
    { "suites", 0, 0, G_OPTION_ARG_INT64, &n_suites,
      N_ ("Number of custody suites (default 1)"), N_ ("K") },
    { "adults-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &adults_ratio,
      N_ ("Share of records that are adults', which every clock ignores (0 to 1, default 0)"), N_ ("R") },
    { "per-day", 0, 0, G_OPTION_ARG_DOUBLE, &per_day,
      N_ ("Arrivals a day over all suites (default 170: every child detention in England and Wales)"), N_ ("RATE") },
    { "not-after", 0, 0, G_OPTION_ARG_STRING, &not_after_text,
      N_ ("Write nothing that happens or is keyed after TIME, so records then in progress stay open (default: now)"),
      N_ ("TIME") },
    { "append", 0, 0, G_OPTION_ARG_NONE, &append,
      N_ ("Add to a custody log that already holds events (rows already there are skipped)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "simulate", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcSimulator) simulator = NULL;
  g_autofree char        *not_after_shown = NULL;
  CcSimulatorOptions      options;
  const CcSimulatorStats *stats;
  Progress                progress;
  const char             *path;
  gboolean                created;
  gint64                  existing = 0;
  int                     status;

  g_option_context_set_description (context,
                                    _ ("The log looks like a real force's, with children aged 10 to 17, the\n"
                                       "delays and failures the inspections found, late entries, corrections\n"
                                       "and a few bad rows; docs/SIMULATOR.md gives the source of every figure.\n"
                                       "Everything written is simulated: record numbers start with SIM-."));
  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("simulate", _ ("unexpected argument '%s'"), (*argv)[1]);

  cc_simulator_options_init (&options);
  if (n_records < 1 || n_records > G_MAXINT32)
    return cc_cli_usage_error ("simulate", _ ("give the number of records with --records N (1 or more)"));
  if (start_text == NULL)
    return cc_cli_usage_error ("simulate", _ ("give the first day with --start YYYY-MM-DD"));
  if (n_suites < 1 || n_suites > CC_SIMULATOR_MAX_SUITES)
    /* Translators: %d is the largest number of suites allowed */
    return cc_cli_usage_error ("simulate", _ ("--suites must be between 1 and %d"), CC_SIMULATOR_MAX_SUITES);
  if (!parse_start (start_text, &options.start, &error))
    return cc_cli_usage_error ("simulate", _ ("--start: %s"), error->message);
  if (not_after_text != NULL)
    {
      if (!cc_time_parse (not_after_text, NULL, &options.not_after, &error))
        return cc_cli_usage_error ("simulate", _ ("--not-after: %s"), error->message);
    }
  else
    options.not_after = cc_time_source_machine_now ();

  options.seed = (guint64) seed;
  options.n_records = (guint) n_records;
  options.n_suites = (guint) n_suites;
  options.adults_ratio = adults_ratio;
  options.per_day = per_day;
  if (!cc_simulator_options_check (&options, &error))
    return cc_cli_usage_error ("simulate", "%s", error->message);

  not_after_shown = cc_time_format_utc (options.not_after);
  if (options.start > options.not_after)
    {
      g_autofree char *start_shown = cc_time_format_utc (options.start);
      return cc_cli_usage_error ("simulate",
                                 /* Translators: %1$s is the --start time and %2$s the
                                  * --not-after time, both RFC 3339 */
                                 _ ("--start %1$s is after %2$s (--not-after, or now): nothing would be written; "
                                    "choose an earlier start or a later --not-after"),
                                 start_shown, not_after_shown);
    }

  path = cc_cli_database_path (cli);
  created = !g_file_test (path, G_FILE_TEST_EXISTS);
  store = cc_cli_open_store (cli, TRUE, &error);
  if (store == NULL)
    return cc_cli_fail (error);
  if (!cc_store_get_max_seq (store, &existing, &error))
    return cc_cli_fail (error);
  if (existing > 0 && !append)
    {
      /* Translators: %s is the database file */
      g_printerr (_ ("custody-clock simulate: %s already holds custody events; simulated rows would be mixed "
                     "with them.\nGive a new --db file, or --append to add to this log on purpose.\n"),
                  path);
      return CC_EXIT_FAILURE;
    }

  /* A file made just now is ours alone: load it without syncing. */
  if (created && !cc_store_set_bulk_load (store, TRUE, &error))
    return cc_cli_fail (error);

  simulator = cc_simulator_new (&options);
  progress.requested = options.n_records;
  progress.started_us = g_get_monotonic_time ();
  if (isatty (STDERR_FILENO))
    cc_simulator_set_progress_func (simulator, show_progress, &progress);

  if (!cc_simulator_write (simulator, store, &error))
    {
      if (isatty (STDERR_FILENO))
        g_printerr ("\n");
      /* Translators: %s is what went wrong */
      g_printerr (_ ("custody-clock: %s\nThe batches committed before the failure are kept; with --append, "
                     "running the same command again adds only what is missing.\n"),
                  error->message);
      return cc_exit_code_for_error (error);
    }
  {
    /* Before bulk loading ends: a new file's settles need no sync either.
     * A failure here changes nothing shown (the next reader settles). */
    g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
    g_autoptr (GError) settle_error = NULL;

    if (!cc_settle_backlog (store, defaults, cli->now, NULL, NULL, &settle_error))
      g_debug ("%s: not settled: %s", path, settle_error->message);
    keep_summaries (cli, store);
  }
  if (created && !cc_store_set_bulk_load (store, FALSE, &error))
    return cc_cli_fail (error);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");

  stats = cc_simulator_get_stats (simulator);
  {
    g_autofree char *children = NULL;
    g_autofree char *events = NULL;
    g_autofree char *bad_rows = NULL;

    /* Translators: part of the summary line below */
    children = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u different child", "%u different children",
                                             stats->children),
                                stats->children);
    /* Translators: part of the summary line below */
    events = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu event", "%llu events", (gulong) stats->rows),
                              (unsigned long long) stats->rows);
    /* Translators: part of the summary line below */
    bad_rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bad row", "%u bad rows", stats->bad_rows),
                                stats->bad_rows);
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          /* Translators: what the simulation wrote: %1$s is the database file;
                           * %2$u custody records, %3$u of them children's and %4$u adults';
                           * %5$s e.g. "40 different children"; %6$s e.g. "1200 events"; %7$s
                           * e.g. "3 bad rows"; %8$u records still open at %9$s (an RFC 3339
                           * time); %10$.1f seconds taken */
                          "%1$s: %2$u record (%3$u children's, %4$u adults'; %5$s), %6$s, %7$s, %8$u still open at "
                          "%9$s, in %10$.1f s\n",
                          "%1$s: %2$u records (%3$u children's, %4$u adults'; %5$s), %6$s, %7$s, %8$u still open at "
                          "%9$s, in %10$.1f s\n",
                          stats->records),
             path, stats->records, stats->child_records, stats->adult_records, children, events, bad_rows,
             stats->open_records, not_after_shown, (g_get_monotonic_time () - progress.started_us) / 1e6);
  }
  if (stats->inserted < stats->rows)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%llu of those events was already in the log and was left as it was\n",
                          "%llu of those events were already in the log and were left as they were\n",
                          (gulong) (stats->rows - stats->inserted)),
             (unsigned long long) (stats->rows - stats->inserted));
  if (stats->records < options.n_records)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             /* Translators: %1$u records of the %2$u asked for had arrived by %3$s
                              * (an RFC 3339 time); --not-after and --start are options */
                             "Only %1$u of the %2$u record had arrived by %3$s; give a later --not-after (or an "
                             "earlier --start) for the rest.\n",
                             "Only %1$u of the %2$u records had arrived by %3$s; give a later --not-after (or an "
                             "earlier --start) for the rest.\n",
                             options.n_records),
                stats->records, options.n_records, not_after_shown);
  return CC_EXIT_OK;
}
