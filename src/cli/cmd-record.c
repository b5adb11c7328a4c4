/* cmd-record.c: custody-clock record
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Keying one event by hand goes through the importer, so a hand-keyed event
 * is judged by exactly the rules of an imported one.  Two things a file
 * from the custody system may do but a person at the keyboard most likely
 * did by mistake are refused unless --force (issue 14 items 7 and 9): a
 * corrected arrival that leaves earlier events before it (named), and an
 * event for a record with no arrival whose number is close to a record
 * that has one ("did you mean").  A held event with no such neighbour is
 * stored and held as before: the custody system may key the arrival later.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cc-cli.h"
#include "cc-importer.h"
#include "cc-suggest.h"

/* VALUE is JSON when it reads as a JSON scalar (true, 2, null, "quoted"),
 * else a plain string: `aa_present=true`, `level=2`, `rank=inspector`. */
static JsonNode *
parse_value (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      (JSON_NODE_HOLDS_VALUE (root) || JSON_NODE_HOLDS_NULL (root)))
    return json_node_copy (root);

  root = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (root, text);
  return root;
}

typedef struct
{
  int      status;
  char    *reason;
  gboolean held;
  char    *held_reason;
  gboolean refused;
  char    *warning;
} RecordResult;

static void
on_notice (CcImportNotice notice,
           guint64        line,
           const char    *event_id,
           int            code,
           const char    *reason,
           gpointer       user_data)
{
  RecordResult *result = user_data;

  if (notice == CC_IMPORT_REJECTED)
    {
      result->status = CC_EXIT_DATAERR;
      g_free (result->reason);
      result->reason = g_strdup (reason);
    }
  else if (notice == CC_IMPORT_REFUSED)
    {
      result->status = CC_EXIT_DATAERR;
      result->refused = TRUE;
      g_free (result->reason);
      result->reason = g_strdup (reason);
    }
  else if (notice == CC_IMPORT_ORPHANS)
    {
      g_free (result->warning);
      result->warning = g_strdup (reason);
    }
  else
    {
      result->held = TRUE;
      g_free (result->held_reason);
      result->held_reason = g_strdup (reason);
    }
}

/* The help's description: how KEY=VALUE works, then every event type with
 * its fields, from cc-event.c's table (the one that validates them), so the
 * help cannot drift from the rules. */
static char *
describe_vocabulary (void)
{
  GString *out = g_string_new (NULL);

  g_string_append (out,
                   /* Translators: KEY=VALUE, VALUE, true, false, null and the example
                    * command are syntax and stay as they are */
                   _ ("KEY=VALUE pairs fill the event's data; VALUE is read as JSON when it can be\n"
                      "(true, false, numbers, null, \"quoted text\"), otherwise as text.\n"
                      "Example: custody-clock record WI-SWN-22-0101 interview_started aa_present=true"));
  g_string_append (out, "\n\n");
  g_string_append (out,
                   /* Translators: a heading above the list of event types; TEXT,
                    * TIME, RANK and YYYY-MM-DD are placeholders of the list and stay
                    * as they are; custody-clock-log(5) is a manual page */
                   _ ("Event types and their data (optional fields in [brackets]; TIME is RFC 3339 with an\n"
                      "offset; RANK is a police rank such as sergeant or inspector; the format is in\n"
                      "custody-clock-log(5)):"));
  g_string_append_c (out, '\n');
  for (int t = 0; t < CC_EVENT_N_TYPES; t++)
    {
      g_autofree char *fields = t == CC_EVENT_VOID
                                  /* Translators: --supersedes ID is an option and stays as it is */
                                  ? g_strdup (_ ("(no data; give --supersedes ID, the event it removes)"))
                                  : cc_event_type_describe_fields ((CcEventType) t);

      if (*fields != '\0')
        g_string_append_printf (out, "  %-21s %s\n", cc_event_type_to_string ((CcEventType) t), fields);
      else
        g_string_append_printf (out, "  %s\n", cc_event_type_to_string ((CcEventType) t));
    }
  return g_string_free (out, FALSE);
}

int
cc_cmd_record (CcCli  *cli,
               char ***argv)
{
  g_autofree char   *at = NULL;
  g_autofree char   *officer = NULL;
  g_autofree char   *event_id = NULL;
  g_autofree char   *supersedes = NULL;
  gboolean           force = FALSE;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_ ("When it happened: HH:MM (today), YYYY-MM-DD HH:MM (in the policy's time zone) or RFC 3339 with offset; default: now"), N_ ("TIME") },
    { "officer", 0, 0, G_OPTION_ARG_STRING, &officer, N_ ("Who keyed it (collar or staff number)"), N_ ("ID") },
    { "event-id", 0, 0, G_OPTION_ARG_STRING, &event_id, N_ ("The event's id (default: a new random one)"), N_ ("ID") },
    { "supersedes", 0, 0, G_OPTION_ARG_STRING, &supersedes, N_ ("Correct (or, with TYPE void, remove) the event with this id"), N_ ("ID") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_ ("Store the event even though it looks like a mistake: a corrected arrival that leaves earlier "
          "events of the record before it (they then no longer count), or an event for a record with no "
          "arrival whose number is close to another record's"),
      NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "record", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcImporter) importer = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  g_autofree char *line = NULL;
  g_autofree char *when = NULL;
  g_autofree char *description = NULL;
  RecordResult     result = { CC_EXIT_OK, NULL, FALSE, NULL, FALSE, NULL };
  CcInstant        now = cli->now;
  CcInstant        occurred_at = now;
  const char      *record_id, *type;
  guint            n_args;
  int              status;

  description = describe_vocabulary ();
  g_option_context_set_description (context, description);

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  n_args = g_strv_length (*argv);
  if (n_args < 3)
    return cc_cli_usage_error ("record", _ ("give the custody record number and the event type"));
  record_id = (*argv)[1];
  type = (*argv)[2];

  if (cc_event_type_from_string (type) == CC_EVENT_INVALID)
    {
      const char *meant = g_utf8_validate (type, -1, NULL) ? cc_event_type_suggest (type) : NULL;

      if (meant != NULL)
        return cc_cli_usage_error ("record",
                                   /* Translators: %1$s is what was typed, %2$s the event type it
                                    * may have meant (kept in English); 'custody-clock record
                                    * --help' and custody-clock-log(5) stay as they are */
                                   _ ("'%1$s' is not an event type; did you mean '%2$s'? (the types are listed by "
                                      "'custody-clock record --help' and in custody-clock-log(5))"),
                                   type, meant);
      return cc_cli_usage_error ("record",
                                 /* Translators: %s is what was typed; 'custody-clock record --help'
                                  * and custody-clock-log(5) stay as they are */
                                 _ ("'%s' is not an event type (the types are listed by 'custody-clock record "
                                    "--help' and in custody-clock-log(5))"),
                                 type);
    }
  tz = cc_cli_display_zone (cli); /* after parsing: --policy may follow the command */
  if (at != NULL && !cc_cli_parse_at (cli, at, tz, &occurred_at, &error))
    /* not translated: the option's name, then what is wrong with its value */
    return cc_cli_usage_error ("record", "--at: %s", error->message);

  json_builder_begin_object (builder);
  if (event_id != NULL)
    {
      json_builder_set_member_name (builder, "event_id");
      json_builder_add_string_value (builder, event_id);
    }
  json_builder_set_member_name (builder, "record_id");
  json_builder_add_string_value (builder, record_id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "occurred_at");
  when = cc_time_format_utc (occurred_at);
  json_builder_add_string_value (builder, when);
  if (officer != NULL)
    {
      json_builder_set_member_name (builder, "officer");
      json_builder_add_string_value (builder, officer);
    }
  if (supersedes != NULL)
    {
      json_builder_set_member_name (builder, "supersedes");
      json_builder_add_string_value (builder, supersedes);
    }
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  for (guint i = 3; i < n_args; i++)
    {
      const char      *pair = (*argv)[i];
      const char      *eq = strchr (pair, '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == pair)
        /* Translators: KEY=VALUE is the syntax and stays as it is */
        return cc_cli_usage_error ("record", _ ("'%s' is not KEY=VALUE"), pair);
      key = g_strndup (pair, eq - pair);
      json_builder_set_member_name (builder, key);
      json_builder_add_value (builder, parse_value (eq + 1));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  line = json_to_string (root, FALSE);

  store = cc_cli_open_store (cli, FALSE, &error);
  if (store == NULL)
    return cc_cli_fail (error);

  if (!force && supersedes == NULL && cc_event_type_from_string (type) != CC_EVENT_ARRIVAL)
    {
      g_autofree char *arrival_id = NULL;
      CcInstant        arrival_at;

      if (!cc_store_lookup_arrival (store, record_id, &arrival_id, &arrival_at, &error))
        return cc_cli_fail (error);
      if (arrival_id == NULL)
        {
          g_autoptr (GPtrArray) known = NULL;
          const char *meant;

          if (!cc_store_list_arrived_records (store, &known, &error))
            return cc_cli_fail (error);
          meant = cc_suggest_closest (record_id, (const char *const *) known->pdata, known->len);
          if (meant != NULL)
            {
              g_printerr (
                /* Translators: %1$s is the custody record number typed, %2$s a
                 * record number close to it; --force is an option and stays as
                 * it is */
                _ ("custody-clock record: no record %1$s; did you mean %2$s?\n"
                   "Nothing was recorded.  If %1$s is right and its arrival is still to be keyed, give --force: "
                   "the event is held until the arrival comes.\n"),
                record_id, meant);
              return CC_EXIT_DATAERR;
            }
        }
    }

  importer = cc_importer_new (store, "record", now);
  cc_importer_set_notice_func (importer, on_notice, &result);
  /* By hand, a correction that takes events out of the clocks is refused
   * unless asked for: the sergeant is at the keyboard to put it right
   * (correct those events first, or say --force). */
  cc_importer_set_refuse_orphans (importer, !force);
  if (!cc_importer_import_line (importer, line, strlen (line), &error) ||
      !cc_importer_finish (importer, &error))
    return cc_cli_fail (error);

  if (result.status != CC_EXIT_OK)
    {
      /* not translated: the program's and the command's names, a record number and the reason */
      g_printerr ("custody-clock record: %s: %s\n", record_id, result.reason);
      if (!result.refused && strstr (result.reason, "custody-clock-log(5)") == NULL)
        /* Translators: custody-clock-log(5) is a manual page and 'custody-clock
         * record --help' a command: both stay as they are */
        g_printerr (_ ("The event format is in custody-clock-log(5) and 'custody-clock record --help'.\n"));
      if (result.refused)
        g_printerr (_ ("Nothing was recorded; to store the correction anyway, give --force.\n"));
      g_free (result.reason);
      g_free (result.held_reason);
      g_free (result.warning);
      return result.status;
    }

  {
    const CcImportStats *stats = cc_importer_get_stats (importer);
    /* Translators: when a hand-keyed event happened: a g_date_time_format()
     * format, e.g. "2022-03-08 14:00:00 GMT" */
    g_autofree char *local = cc_time_format_display (occurred_at, tz, C_ ("date format", "%Y-%m-%d %H:%M:%S %Z"));

    if (stats->duplicates > 0)
      /* Translators: %s is the event's id */
      g_print (_ ("%s: already recorded, nothing changed\n"), cc_importer_get_last_event_id (importer));
    else
      /* Translators: %1$s is the event's id, %2$s its type as typed (e.g.
       * "arrival"), %3$s the custody record number, %4$s when it happened */
      g_print (_ ("recorded %1$s: %2$s on %3$s at %4$s\n"), cc_importer_get_last_event_id (importer), type, record_id,
               local);
    if (result.held)
      /* Translators: %s is why the event waits: it is kept, and counts once
       * what it depends on is keyed */
      g_print (_ ("held: %s\n"), result.held_reason);
    if (result.warning != NULL)
      /* Translators: %s says which events of the record no longer count */
      g_printerr (_ ("custody-clock record: warning: %s\n"), result.warning);
  }
  g_free (result.held_reason);
  g_free (result.warning);
  return CC_EXIT_OK;
}
