/* cmd-board.c: custody-clock status and timeline
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Neither command reads the whole log (issue 15): the timeline reads its
 * one record, the board what may be open at T (cc_board_read(): the
 * settled stays covering T and the records not yet settled, after
 * settling the backlog at the machine's time).  Both ledgers look up in
 * the log a correction's target they have not read, so that they judge
 * it as a ledger of the whole log would.
 */
#include "config.h"

#include <stdio.h>

#include "cc-board.h"
#include "cc-cli.h"
#include "cc-ledger.h"

/* Everything the two commands need: the policy, the log, T, and for a
 * timeline its record. */
typedef struct
{
  CcPolicy *policy;
  CcStore  *store;
  CcLedger *ledger;
  CcInstant at;
  CcInstant now;
} Board;

static void
board_clear (Board *board)
{
  g_clear_pointer (&board->ledger, cc_ledger_free);
  g_clear_pointer (&board->store, cc_store_free);
  g_clear_pointer (&board->policy, cc_policy_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Board, board_clear)

/* @record_id: (nullable): read this record into board->ledger (a
 * timeline); else only the policy, the store and T (a board reads with
 * cc_board_read()) */
static int
board_load (CcCli      *cli,
            const char *command,
            const char *at_text,
            const char *record_id,
            Board      *board)
{
  g_autoptr (GError) error = NULL;

  board->now = cli->now;
  board->at = board->now;
  /* The policy first: a local --at is read in its display zone. */
  board->policy = cc_cli_load_policy (cli, &error);
  if (board->policy == NULL)
    return cc_cli_fail (error);
  if (at_text != NULL && !cc_cli_parse_at (cli, at_text, board->policy->tz, &board->at, &error))
    /* not translated: the option's name, then what is wrong with its value */
    return cc_cli_usage_error (command, "--at: %s", error->message);

  board->store = cc_cli_open_store (cli, FALSE, &error);
  if (board->store == NULL)
    return cc_cli_fail (error);
  if (record_id != NULL)
    {
      board->ledger = cc_ledger_new ();
      cc_ledger_set_store (board->ledger, board->store, board->now);
      if (!cc_ledger_load_record (board->ledger, board->store, record_id, board->now, &error))
        return cc_cli_fail (error);
    }
  return -1;
}

/* The suite @name means (cc_store_resolve_suite()), and @open narrowed to
 * it.  An exact match among the children on the board wins as it would
 * among all the log's suites, so only a name the board does not spell
 * exactly asks the log, whose suites are a scan of its arrivals. */
static int
board_filter_suite (Board      *board,
                    GPtrArray  *open,
                    const char *name,
                    char      **out_suite)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *suite = NULL;

  for (guint i = 0; i < open->len && suite == NULL; i++)
    if (g_strcmp0 (((CcEvaluation *) g_ptr_array_index (open, i))->suite, name) == 0)
      suite = g_strdup (name);
  if (suite == NULL && !cc_store_resolve_suite (board->store, name, &suite, &error))
    return g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
             ? cc_cli_usage_error ("status", "--suite: %s", error->message)
             : cc_cli_fail (error);

  for (guint i = open->len; i > 0; i--)
    if (g_strcmp0 (((CcEvaluation *) g_ptr_array_index (open, i - 1))->suite, suite) != 0)
      g_ptr_array_remove_index (open, i - 1);
  *out_suite = g_steal_pointer (&suite);
  return -1;
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);
  g_print ("%s\n", text);
}

int
cc_cmd_timeline (CcCli  *cli,
                 char ***argv)
{
  g_autofree char   *at_text = NULL;
  gboolean           as_json = FALSE;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_ ("Show the record as it stood at TIME: HH:MM (today), YYYY-MM-DD HH:MM (in the policy's time zone) or RFC 3339 with offset; default: now"), N_ ("TIME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_ ("Print JSON (interfaces.md)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "timeline", entries);
  g_auto (Board) board = { 0 };
  g_autoptr (CcEvaluation) ev = NULL;
  const CcRecord *record;
  const char     *record_id;
  int             status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) != 2)
    return cc_cli_usage_error ("timeline", _ ("give one custody record number"));
  record_id = (*argv)[1];
  if ((status = board_load (cli, "timeline", at_text, record_id, &board)) >= 0)
    return status;

  record = cc_ledger_get_record (board.ledger, record_id);
  if (record == NULL)
    {
      /* Translators: %1$s is a custody record number, %2$s the database file */
      g_printerr (_ ("custody-clock: %1$s: no such record in %2$s\n"), record_id, cc_store_get_path (board.store));
      return CC_EXIT_DATAERR;
    }
  if (record->arrival == NULL && !cc_record_is_held (record))
    {
      /* Translators: %s is a custody record number */
      g_printerr (_ ("custody-clock: %s: every event of this record was voided; it has no arrival and nothing counts\n"),
                  record_id);
      return CC_EXIT_DATAERR;
    }
  if (record->arrival == NULL)
    {
      /* Translators: %s is a custody record number */
      g_printerr (_ ("custody-clock: %s: events are held because the record has no arrival; key the arrival first\n"),
                  record_id);
      return CC_EXIT_DATAERR;
    }

  ev = cc_engine_evaluate (record, board.policy, board.at);
  if (as_json)
    {
      g_autoptr (JsonNode) node = cc_evaluation_to_json (ev, TRUE);
      print_json (node);
    }
  else
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_autoptr (GPtrArray) history = cc_ledger_get_history (board.ledger, record_id);
      cc_board_format_timeline (out, ev, history, board.policy->tz, cli->is_tty ? CC_BOARD_COLOUR : CC_BOARD_NONE);
      fputs (out->str, stdout);
    }
  return CC_EXIT_OK;
}

int
cc_cmd_status (CcCli  *cli,
               char ***argv)
{
  g_autofree char   *at_text = NULL;
  g_autofree char   *suite = NULL;
  gboolean           as_json = FALSE;
  gboolean           reviews = FALSE;
  const GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_STRING, &suite, N_ ("Only this custody suite"), N_ ("SUITE") },
    { "reviews", 0, 0, G_OPTION_ARG_NONE, &reviews, N_ ("The inspector's list: every child's next PACE review and detention limit, in time order"), NULL },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_ ("Show the board as it stood at TIME: HH:MM (today), YYYY-MM-DD HH:MM (in the policy's time zone) or RFC 3339 with offset; default: now"), N_ ("TIME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_ ("Print JSON (interfaces.md)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "status", entries);
  g_auto (Board) board = { 0 };
  g_autoptr (GPtrArray) open = NULL;
  int status;

  g_option_context_set_description (context,
                                    /* Translators: the end of "custody-clock status --help"; a PACE review and the
                                     * detention limit are the statutory clocks (PACE ss.40-44) */
                                    _ ("The order of the board, most urgent first:\n"
                                       "  1. children with a clock breached now, then with one in warning, then the rest;\n"
                                       "  2. among the breached (and among those in warning), a statutory clock first\n"
                                       "     (PACE review, detention limit) before the codes of practice and local policy;\n"
                                       "  3. then the longest overdue, or the soonest due;\n"
                                       "  4. then by custody record number.\n"
                                       "Within each child the lines follow the same order."));
  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("status", _ ("unexpected argument '%s'"), (*argv)[1]);
  if ((status = board_load (cli, "status", at_text, NULL, &board)) >= 0)
    return status;

  {
    g_autoptr (GError) error = NULL;

    open = cc_board_read (board.store, board.policy, board.at, board.now, NULL, &error);
    if (open == NULL)
      return cc_cli_fail (error);
  }
  /* A suite named as the log spells it, whatever the case typed; a name
   * that matches none is bad usage, not an empty board (issue 14 item 8). */
  if (suite != NULL)
    {
      char *stored = NULL;

      if ((status = board_filter_suite (&board, open, suite, &stored)) >= 0)
        return status;
      g_free (suite);
      suite = stored;
    }

  if (reviews && as_json)
    {
      g_autoptr (JsonNode) root = cc_board_reviews_to_json (open);
      print_json (root);
    }
  else if (reviews)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      cc_board_format_reviews (out, open, board.at, suite, board.policy->tz,
                               cli->is_tty ? CC_BOARD_COLOUR : CC_BOARD_NONE);
      fputs (out->str, stdout);
    }
  else if (as_json)
    {
      g_autoptr (JsonNode) root = cc_board_to_json (open);
      print_json (root);
    }
  else
    {
      g_autoptr (GString) out = g_string_new (NULL);
      cc_board_format_status (out, open, board.at, suite, board.policy->tz,
                              cli->is_tty ? CC_BOARD_COLOUR : CC_BOARD_NONE);
      fputs (out->str, stdout);
    }
  return CC_EXIT_OK;
}
