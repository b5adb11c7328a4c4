/* cmd-escalations.c: custody-clock escalations and ack
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything a notification's Acknowledge button does can be done here, for
 * a desk with no notification server and for scripts.
 */
#include "config.h"

#include <stdio.h>

#include "cc-cli.h"
#include "cc-json-writer.h"
#include "cc-rules.h"
#include "cc-store.h"

/* One line of the list: fixed columns, padded by characters (not bytes,
 * as printf pads), so that Welsh letters with accents keep the columns. */
static void
append_column (GString    *line,
               const char *text,
               glong       width)
{
  glong n = g_utf8_strlen (text, -1);

  g_string_append (line, text);
  for (; n < width; n++)
    g_string_append_c (line, ' ');
  g_string_append_c (line, ' ');
}

int
cc_cmd_escalations (CcCli  *cli,
                    char ***argv)
{
  gboolean           open_only = FALSE;
  gboolean           as_json = FALSE;
  const GOptionEntry entries[] = {
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_ ("Only those not yet resolved"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_ ("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "escalations", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  CcInstant now = cli->now;
  int       status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("escalations", _ ("unexpected argument '%s'"), (*argv)[1]);
  tz = cc_cli_display_zone (cli); /* after parsing: --policy may follow the command */
  store = cc_cli_open_store (cli, FALSE, &error);
  if (store == NULL)
    return cc_cli_fail (error);
  rows = cc_store_list_escalations (store, open_only, &error);
  if (rows == NULL)
    return cc_cli_fail (error);

  if (as_json)
    {
      g_autoptr (CcJsonWriter) w = cc_json_writer_new ();
      g_autofree char *text = NULL;

      cc_json_writer_begin_array (w);
      for (guint i = 0; i < rows->len; i++)
        {
          CcEscalation *e = g_ptr_array_index (rows, i);

          cc_json_writer_begin_object (w);
          cc_json_writer_member_int (w, "id", e->id);
          cc_json_writer_member_string (w, "record_id", e->record_id);
          cc_json_writer_member_string (w, "rule", e->rule);
          cc_json_writer_member_int (w, "occurrence", e->occurrence);
          cc_json_writer_member_string (w, "level", cc_level_to_string (e->level));
          cc_json_writer_member_instant (w, "breached_at", e->breached_at);
          cc_json_writer_member_instant (w, "raised_at", e->raised_at);
          cc_json_writer_member_instant (w, "acknowledged_at", e->acknowledged_at);
          cc_json_writer_member_string (w, "acknowledged_by", e->acknowledged_by);
          cc_json_writer_member_string (w, "ack_note", e->ack_note);
          cc_json_writer_member_instant (w, "resolved_at", e->resolved_at);
          cc_json_writer_member_string (w, "resolution", cc_resolution_to_string (e->resolution));
          cc_json_writer_set_member_name (w, "late");
          cc_json_writer_add_boolean (w, e->late);
          cc_json_writer_end_object (w);
        }
      cc_json_writer_end_array (w);
      text = cc_json_writer_free_to_string (g_steal_pointer (&w));
      g_print ("%s\n", text);
      return CC_EXIT_OK;
    }

  if (rows->len == 0)
    {
      g_print ("%s\n", open_only ? _ ("No open escalations.") : _ ("No escalations."));
      return CC_EXIT_OK;
    }
  {
    g_autoptr (GString) header = g_string_new (NULL);

    /* Translators: column headings of the escalations list */
    append_column (header, C_ ("escalations column", "No."), 5);
    append_column (header, C_ ("escalations column", "Record"), 16);
    append_column (header, C_ ("escalations column", "Duty or rule"), 30);
    append_column (header, C_ ("escalations column", "Rank"), 14);
    append_column (header, C_ ("escalations column", "Breached"), 16);
    g_string_append (header, C_ ("escalations column", "State"));
    g_print ("%s\n", header->str);
  }
  for (guint i = 0; i < rows->len; i++)
    {
      CcEscalation    *e = g_ptr_array_index (rows, i);
      g_autofree char *breached = cc_time_format_relative (e->breached_at, now, tz);
      g_autofree char *number = g_strdup_printf ("%5lld", (long long) e->id);
      g_autofree char *duty = NULL;
      g_autofree char *state = NULL;
      g_autoptr (GString) line = g_string_new (NULL);

      if (e->occurrence > 1)
        /* Translators: a duty or rule and which breach of it this is, e.g.
         * "Review #2" */
        duty = g_strdup_printf (_ ("%1$s #%2$d"), cc_breach_rule_display_name (e->rule), e->occurrence);
      else
        duty = g_strdup (cc_breach_rule_display_name (e->rule));
      if (e->resolved_at != CC_INSTANT_NONE)
        {
          if (e->late)
            /* Translators: an escalation's state in the list; %s is how it
             * ended, e.g. "the duty was done, late" */
            state = g_strdup_printf (_ ("resolved: %s (written late)"), cc_resolution_display_name (e->resolution));
          else
            /* Translators: an escalation's state in the list; %s is how it
             * ended, e.g. "the duty was done, late" */
            state = g_strdup_printf (_ ("resolved: %s"), cc_resolution_display_name (e->resolution));
        }
      else if (e->acknowledged_at != CC_INSTANT_NONE)
        {
          if (e->late)
            /* Translators: an escalation's state in the list; %s is the
             * officer's collar or staff number */
            state = g_strdup_printf (_ ("acknowledged by %s (written late)"), e->acknowledged_by);
          else
            /* Translators: an escalation's state in the list; %s is the
             * officer's collar or staff number */
            state = g_strdup_printf (_ ("acknowledged by %s"), e->acknowledged_by);
        }
      else
        /* Translators: an escalation's state in the list, in capitals to stand out */
        state = g_strdup (e->late ? C_ ("escalation state", "OPEN (written late)") : C_ ("escalation state", "OPEN"));
      append_column (line, number, 5);
      append_column (line, e->record_id, 16);
      append_column (line, duty, 30);
      append_column (line, cc_level_display_name (e->level), 14);
      append_column (line, breached, 16);
      g_string_append (line, state);
      g_print ("%s\n", line->str);
    }
  return CC_EXIT_OK;
}

int
cc_cmd_ack (CcCli  *cli,
            char ***argv)
{
  g_autofree char   *officer = NULL;
  g_autofree char   *note = NULL;
  const GOptionEntry entries[] = {
    { "officer", 0, 0, G_OPTION_ARG_STRING, &officer, N_ ("Who acknowledges (collar or staff number); required"), N_ ("ID") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_ ("What was done"), N_ ("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "ack", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  gint64 id;
  char  *end = NULL;
  int    status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) != 2)
    return cc_cli_usage_error ("ack", _ ("give one escalation number (see 'custody-clock escalations --open')"));
  id = g_ascii_strtoll ((*argv)[1], &end, 10);
  if (end == (*argv)[1] || *end != '\0' || id <= 0)
    return cc_cli_usage_error ("ack", _ ("'%s' is not an escalation number"), (*argv)[1]);
  if (officer == NULL || *officer == '\0')
    return cc_cli_usage_error ("ack", _ ("say who acknowledges with --officer ID"));

  store = cc_cli_open_store (cli, FALSE, &error);
  if (store == NULL)
    return cc_cli_fail (error);
  if (!cc_store_acknowledge (store, id, officer, note, cli->now, &error))
    return cc_cli_fail (error);
  /* Translators: %1$lld is the escalation's number, %2$s the officer's
   * collar or staff number; every level of the breach is acknowledged */
  g_print (_ ("Escalation %1$lld acknowledged by %2$s, at every level it has reached: the breach will not "
              "climb further.\n"),
           (long long) id, officer);
  return CC_EXIT_OK;
}
