/* cmd-report.c: custody-clock report
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cc-cli.h"
#include "cc-i18n.h"
#include "cc-report.h"

static gboolean
parse_format (const char     *text,
              CcReportFormat *out_format)
{
  static const struct
  {
    const char    *name;
    CcReportFormat format;
  } formats[] = {
    { "html", CC_REPORT_HTML },
    { "csv", CC_REPORT_CSV },
    { "json", CC_REPORT_JSON },
    { "md", CC_REPORT_MD },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (text, formats[i].name))
      {
        *out_format = formats[i].format;
        return TRUE;
      }
  return FALSE;
}

static char *
render (JsonObject    *report,
        CcReportFormat format,
        gboolean       cases,
        GError       **error)
{
  switch (format)
    {
    case CC_REPORT_HTML:
      return cc_report_render_html (report, error);
    case CC_REPORT_CSV:
      return cc_report_render_csv (report, cases);
    case CC_REPORT_JSON:
      return cc_report_render_json (report);
    case CC_REPORT_MD:
      return cc_report_render_md (report);
    default:
      g_assert_not_reached ();
    }
}

/* A report names children's custody records: it is written like the
 * database, readable by its owner only (0600), and whole or not at all
 * (a temporary file renamed over the old one). */
static int
write_output (const char *path,
              const char *text)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_printerr (_ ("custody-clock: cannot write the report: %s\n"), error->message);
      return CC_EXIT_FAILURE;
    }
  return CC_EXIT_OK;
}

/* A month that has not started at the report's instant has no detentions
 * yet: the report is still written (a script may make every month's), but
 * the person is told why it is all zeros.  A month under way says nothing
 * here: the report already shows its instant ("Figures taken at"), and
 * scripts that keep stderr with the output (tests/cli-welsh.sh does) must
 * not find a sentence in their JSON. */
static void
warn_if_not_over (const CcPolicy *policy,
                  const char     *month,
                  CcInstant       at)
{
  int year, mon;
  g_autoptr (GDateTime) start = NULL;

  if (!cc_report_parse_month (month, &year, &mon, NULL))
    return;
  start = g_date_time_new (policy->tz, year, mon, 1, 0, 0, 0);
  if (start != NULL && at < g_date_time_to_unix (start))
    /* Translators: %s is the month asked for, YYYY-MM */
    g_printerr (_ ("custody-clock report: %s has not started yet: the report has no detentions\n"), month);
}

/* custody-clock report --month YYYY-MM [--suite S] [--at T]
 *   [--format html|csv|json|md] [-o FILE] [--cases] [--stamp] [--no-cache]
 *   [--lang LANG]
 *
 * The monthly breach report (report.md, docs/REPORT.md), to standard
 * output or to FILE.  --lang chooses its language for this run only, so
 * that a custody lead can produce the Welsh and the English report one after
 * the other from the same desk (the figures are the same in both). */
int
cc_cmd_report (CcCli  *cli,
               char ***argv)
{
  g_autofree char   *month = NULL;
  g_autofree char   *suite = NULL;
  g_autofree char   *at_text = NULL;
  g_autofree char   *format_text = NULL;
  g_autofree char   *output = NULL;
  g_autofree char   *lang = NULL;
  gboolean           cases = FALSE, stamp = FALSE, no_cache = FALSE;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, N_ ("The month, in the policy's time zone (records belong to the month the child arrived)"), N_ ("YYYY-MM") },
    { "suite", 0, 0, G_OPTION_ARG_STRING, &suite, N_ ("Only this custody suite"), N_ ("SUITE") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_ ("Every figure as it stood at TIME: HH:MM (today), YYYY-MM-DD HH:MM (in the policy's time zone) or RFC 3339 with offset; default: now"), N_ ("TIME") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_ ("html (default), csv, json or md"), N_ ("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_ ("Write the report to FILE (mode 0600) instead of standard output"), N_ ("FILE") },
    { "cases", 0, 0, G_OPTION_ARG_NONE, &cases, N_ ("CSV: add the table of cases, one row per breach (the other formats always list them)"), NULL },
    { "stamp", 0, 0, G_OPTION_ARG_NONE, &stamp, N_ ("Print when the report was made (the output then differs between runs)"), NULL },
    { "no-cache", 0, 0, G_OPTION_ARG_NONE, &no_cache, N_ ("Compute every month of the trend afresh (the figures are the same)"), NULL },
    /* Translators: "en", "cy" and "en_GB" are language codes and stay as they are */
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_ ("Write the report in LANG: en (English), cy (Welsh) or en_GB (British English); default: the desk's language"), N_ ("LANG") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "report", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (JsonObject) report = NULL;
  g_autofree char *text = NULL;
  CcReportFormat   format = CC_REPORT_HTML;
  CcInstant        now = cli->now;
  CcReportOptions  options = { 0 };
  int              status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("report", _ ("unexpected argument '%s'"), (*argv)[1]);
  if (month == NULL)
    return cc_cli_usage_error ("report", _ ("give the month with --month YYYY-MM"));
  if (!cc_report_parse_month (month, NULL, NULL, &error))
    return cc_cli_usage_error ("report", "--month: %s", error->message);
  if (format_text != NULL && !parse_format (format_text, &format))
    return cc_cli_usage_error ("report", _ ("--format: '%s' is not a format: use html, csv, json or md"), format_text);
  /* Before the report's reading threads start: this sets LANGUAGE. */
  if (lang != NULL && !cc_i18n_set_language (lang, &error))
    return cc_cli_usage_error ("report", "--lang: %s", error->message);

  options.month = month;
  options.suite = suite;
  options.at = now;
  options.stamp_at = stamp ? now : CC_INSTANT_NONE;
  /* "Afresh": neither the months' cache nor the records' summaries. */
  options.no_cache = no_cache;
  options.no_summaries = no_cache;
  options.now = now;

  /* The policy first: a local --at is read in its display zone. */
  policy = cc_cli_load_policy (cli, &error);
  if (policy == NULL)
    return cc_cli_fail (error);
  if (at_text != NULL && !cc_cli_parse_at (cli, at_text, policy->tz, &options.at, &error))
    return cc_cli_usage_error ("report", "--at: %s", error->message);
  store = cc_cli_open_store (cli, FALSE, &error);
  if (store == NULL)
    return cc_cli_fail (error);
  /* As the log spells it, whatever the case typed; a name that matches no
   * suite is bad usage, not an all-zero report (issue 14 item 8). */
  if (suite != NULL && *suite != '\0')
    {
      char *stored = NULL;

      if (!cc_store_resolve_suite (store, suite, &stored, &error))
        return g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
                 ? cc_cli_usage_error ("report", "--suite: %s", error->message)
                 : cc_cli_fail (error);
      g_free (suite);
      suite = stored;
      options.suite = suite;
    }
  warn_if_not_over (policy, month, options.at);
  /* JSON is written as it is counted; the other formats read it back. */
  if (format == CC_REPORT_JSON)
    text = cc_report_build_json (store, policy, &options, &error);
  else if ((report = cc_report_build (store, policy, &options, &error)) != NULL)
    text = render (report, format, cases, &error);
  if (text == NULL)
    return cc_cli_fail (error);

  if (output != NULL)
    return write_output (output, text);
  fputs (text, stdout);
  return fflush (stdout) == 0 ? CC_EXIT_OK : CC_EXIT_FAILURE;
}
