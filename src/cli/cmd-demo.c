/* cmd-demo.c: custody-clock demo
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The first thing a newcomer runs.  It builds a database of the bundled case
 * studies (three children from the national inspections) in a temporary
 * folder, imports them as a custody system would, and shows each record.
 * It needs no terminal and no display, and ends by itself.
 */
#include "config.h"

#include <gio/gio.h>

#include "cc-board.h"
#include "cc-cli.h"
#include "cc-importer.h"
#include "cc-ledger.h"

#define DEMO_RESOURCE "/org/custodyclock/CustodyClock/demo/case-studies.jsonl"

static void
show_record (const CcRecord *record,
             GTimeZone      *tz)
{
  CcEvent         *arrival = record->arrival;
  CcEvent         *last = g_ptr_array_index (record->events, record->events->len - 1);
  g_autofree char *arrived = cc_time_format_display (arrival->occurred_at, tz, "%a %d %b %Y %H:%M");
  g_autofree char *last_at = cc_time_format_display (last->occurred_at, tz, "%a %d %b %H:%M");
  g_autofree char *held_for = cc_duration_format (last->occurred_at - arrival->occurred_at);

  /* Pseudonymous references only: never a name or a date of birth. */
  g_print ("  %-16s %-10s %-8s arrived %s, %u events, last: %s at %s (%s after arrival)\n",
           record->record_id,
           cc_event_get_string (arrival, "suite"),
           cc_event_get_string (arrival, "child"),
           arrived, record->events->len,
           cc_event_type_to_string (last->type), last_at, held_for);
}

int
cc_cmd_demo (CcCli  *cli,
             char ***argv)
{
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "demo", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcImporter) importer = NULL;
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GTimeZone) tz = cc_cli_display_zone (cli);
  g_autofree char     *dir = NULL;
  g_autofree char     *db_path = NULL;
  const CcImportStats *stats;
  int                  status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;

  dir = g_dir_make_tmp ("custody-clock-demo-XXXXXX", &error);
  if (dir == NULL)
    return cc_cli_fail (error);
  db_path = g_build_filename (dir, "custody.db", NULL);

  g_print (_ ("Custody Clock demonstration\n\n"));
  g_print (_ ("1. A custody log database, readable only by you: %s\n"), db_path);
  store = cc_store_open (db_path, CC_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return cc_cli_fail (error);

  g_print (_ ("2. Importing three case studies from the national child protection inspections…\n"));
  input = g_resources_open_stream (DEMO_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (input == NULL)
    return cc_cli_fail (error);
  importer = cc_importer_new (store, "case-studies.jsonl");
  if (!cc_importer_import_stream (importer, input, NULL, &error))
    return cc_cli_fail (error);
  stats = cc_importer_get_stats (importer);
  g_print (_ ("   imported %u, duplicates %u, rejected %u\n"), stats->imported, stats->duplicates, stats->rejected);

  g_print (_ ("3. The records, as the custody log now holds them (times in %s):\n"),
           g_time_zone_get_identifier (tz));
  if (!cc_ledger_load (ledger, store, g_get_real_time () / G_USEC_PER_SEC, &error))
    return cc_cli_fail (error);
  ids = cc_ledger_get_record_ids (ledger);
  for (guint i = 0; i < ids->len; i++)
    {
      const CcRecord *record = cc_ledger_get_record (ledger, g_ptr_array_index (ids, i));
      if (record->arrival != NULL && record->events->len > 0)
        show_record (record, tz);
    }

  /* The board as the custody sergeant saw it at three moments of the case
   * studies: the same engine the agent and the report use. */
  {
    static const char *const moments[] = {
      "2022-03-08T17:00:00Z", /* the 11-year-old, three hours in */
      "2022-06-15T23:30:00Z", /* the 17-year-old, refused a local-authority bed */
      "2022-11-06T03:00:00Z", /* the 15-year-old, a night after charge */
    };
    g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
    /* The published case studies do not record cell visits or rest, so
     * those two clocks are off here: they would only show what was not
     * written down. */
    g_autoptr (CcPolicy) policy = cc_policy_load_data (defaults, "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n",
                                                       -1, "demo", NULL, &error);

    g_assert_no_error (error);
    g_print (_ ("\nThe board at three moments of those nights (cell visits and rest are not in the case studies, so "
                "those clocks are off):\n"));
    for (gsize m = 0; m < G_N_ELEMENTS (moments); m++)
      {
        g_autoptr (GPtrArray) open = NULL;
        g_autoptr (GString) out = g_string_new (NULL);
        CcInstant at;

        cc_time_parse (moments[m], NULL, &at, NULL);
        open = cc_board_collect (ledger, policy, at, NULL);
        cc_board_format_status (out, open, at, NULL, policy->tz, cli->is_tty ? CC_BOARD_COLOUR : CC_BOARD_NONE);
        g_print ("\n%" G_GSIZE_FORMAT ". %s", m + 4, out->str);
      }
  }

  g_print (_ ("\nTry it yourself:\n"
              "  custody-clock --db %s timeline XX-CEN-22-0202 --at 2022-11-07T12:00:00Z\n"
              "  custody-clock --db %s doctor\n"
              "  custody-clock --db %s record DEMO-0001 arrival suite=Demo child=C-0001 appears_under_18=true\n"),
           db_path, db_path, db_path);
  return stats->rejected > 0 ? CC_EXIT_FAILURE : CC_EXIT_OK;
}
