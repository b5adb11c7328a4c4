/* cmd-doctor.c: custody-clock doctor
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One look at everything that could make the clocks wrong without anyone
 * noticing: a damaged or exposed database, input that was refused, rows
 * that do not count, events waiting for their record's arrival, corrections
 * waiting for their target, and writers whose clock is ahead of ours.
 *
 * Exit 1 (CC_EXIT_FAILURE, "needs attention") when anything does, and the
 * last lines say what, with a count per kind and what to do (issue 14 item
 * 10: it used to say "No problems found." under a list of held records):
 *  - the database itself: damaged, open to other users, written by a clock
 *    that is ahead, or its escalation history does not verify;
 *  - records held waiting for their arrival: their events count for no
 *    clock, so a child may be unwatched;
 *  - corrections waiting for the event they correct;
 *  - quarantined input not mended: an input line whose event is still not
 *    in the log (re-sending it corrected with the same event_id mends it),
 *    or a row of the log that does not count and is not resolved.
 * Quarantine entries stay in the table for good (the report counts them),
 * which is why an input line counts as mended once its event_id is in the
 * log rather than when the entry is deleted.
 *
 * Settling (issue 15, HACKING.md "Reads cost what they show"): doctor
 * shows how many records no reader has found settled yet (every board
 * reads those) and counts a missing trigger of record_unsettled as a
 * finding, like a missing guard of the escalation history: without it a
 * late row of a settled record would not bring it back to the board.
 * `doctor --settle` settles the backlog now (the work the next `status`
 * would do, after a migration a whole log's), before the count.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "cc-cli.h"
#include "cc-ledger.h"
#include "cc-settle.h"

/* How many entries of each list to print; the counts are always complete. */
#define MAX_LISTED 20

/* A line of the report (@indent 0), or one under a heading (@indent 2):
 * the layout stays out of the translated text. */
static void G_GNUC_PRINTF (2, 3)
  print_indented (int         indent,
                  const char *format,
                  ...)
{
  va_list          args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%*s%s\n", indent, "", text);
}

#define print_line(...) print_indented (0, __VA_ARGS__)
#define print_item(...) print_indented (2, __VA_ARGS__)

static guint
check_permissions (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  guint       findings = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      struct stat      st;

      if (stat (file, &st) != 0)
        continue;
      if ((st.st_mode & 0007) != 0)
        {
          /* Translators: %1$s is the database file (or its -wal or -shm
           * companion), %2$04o its permissions in octal; "chmod o-rwx %1$s"
           * is a command to type and stays as it is */
          print_item (_ ("WARNING: %1$s is open to every user of this machine (mode %2$04o): "
                         "it holds children's personal data; run: chmod o-rwx %1$s"),
                      file, (unsigned) (st.st_mode & 07777));
          findings++;
        }
      else if (i == 0)
        {
          if (st.st_mode & 0070)
            /* Translators: %04o is the database file's permissions in octal */
            print_item (_ ("permissions %04o (owner and group)"), (unsigned) (st.st_mode & 07777));
          else
            /* Translators: %04o is the database file's permissions in octal */
            print_item (_ ("permissions %04o (owner only)"), (unsigned) (st.st_mode & 07777));
        }
    }
  return findings;
}

/* The escalation history (cc_store_verify_audit()): every acknowledgement
 * and resolution as written, the chain of hashes unbroken. */
static guint
check_escalation_history (CcStore *store,
                          GError **error)
{
  g_autoptr (GPtrArray) findings = NULL;
  g_autofree char *head = NULL;
  gint64           head_seq = 0;
  gint64           first_bad = 0;
  guint            n_checked = 0;

  findings = cc_store_verify_audit (store, &n_checked, &first_bad, error);
  if (findings == NULL || !cc_store_get_audit_head (store, &head_seq, &head, error))
    return G_MAXUINT;

  if (findings->len == 0)
    {
      if (head != NULL)
        /* Kept elsewhere, the head shows later that the whole history was
         * not rewritten. */
        /* Translators: %1$u is how many entries the escalation history has,
         * %2$lld the number of its latest entry and %3$.16s the start of
         * that entry's hash (hexadecimal digits) */
        print_line (g_dngettext (GETTEXT_PACKAGE, "Escalation history: %1$u entry, chain intact (head %2$lld: %3$.16s)",
                                 "Escalation history: %1$u entries, chain intact (head %2$lld: %3$.16s)", n_checked),
                    n_checked, (long long) head_seq, head);
      else
        print_line (g_dngettext (GETTEXT_PACKAGE, "Escalation history: %u entry, chain intact",
                                 "Escalation history: %u entries, chain intact", n_checked),
                    n_checked);
      return 0;
    }

  if (first_bad > 0)
    /* Translators: %1$u is how many entries were checked, %2$lld the number
     * of the first entry that does not follow from the one before */
    print_line (g_dngettext (GETTEXT_PACKAGE, "Escalation history: %1$u entry checked, the chain is broken from entry %2$lld",
                             "Escalation history: %1$u entries checked, the chain is broken from entry %2$lld", n_checked),
                n_checked, (long long) first_bad);
  else
    print_line (g_dngettext (GETTEXT_PACKAGE,
                             "Escalation history: %u entry checked, the chain is intact but the records differ from it",
                             "Escalation history: %u entries checked, the chain is intact but the records differ from it",
                             n_checked),
                n_checked);
  for (guint i = 0; i < findings->len && i < MAX_LISTED; i++)
    /* Translators: %s says what differs, e.g. "escalation 2 (record R-1): acknowledged_by is …" */
    print_item (_ ("WARNING: %s"), (const char *) g_ptr_array_index (findings, i));
  if (findings->len > MAX_LISTED)
    /* Translators: %u findings of the list are not shown */
    print_item (g_dngettext (GETTEXT_PACKAGE, "… and %u more", "… and %u more", findings->len - MAX_LISTED),
                findings->len - MAX_LISTED);
  print_item ("%s", _ ("The escalation records were changed outside custody-clock: keep this database as it is for "
                       "investigation, and compare it with a backup to see what was changed"));
  return findings->len;
}

/* What readers may pass by (record_unsettled, schema step 10): the backlog,
 * settled first with --settle, and the triggers that keep it true. */
static guint
check_settling (CcStore  *store,
                gboolean  settle,
                CcInstant now,
                GError  **error)
{
  g_autoptr (GPtrArray) missing = NULL;
  gint64 unsettled = 0;

  if (settle)
    {
      g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
      guint n_read = 0, n_settled = 0;

      /* Settling needs no policy setting: the defaults serve. */
      if (!cc_settle_backlog (store, defaults, now, &n_read, &n_settled, error))
        return G_MAXUINT;
      /* Translators: %1$u records were found settled of the %2$u read */
      print_line (g_dngettext (GETTEXT_PACKAGE, "Settled: %1$u of %2$u record read", "Settled: %1$u of %2$u records read",
                               n_read),
                  n_settled, n_read);
    }
  missing = cc_store_list_missing_unsettle_triggers (store, error);
  if (missing == NULL || !cc_store_count_unsettled (store, &unsettled, NULL, error))
    return G_MAXUINT;
  /* Translators: a heading and a count: records every board reads because no reader has found them settled
   * (still in custody, or changed since the last reader); "doctor --settle" is a command and stays as it is */
  print_line (_ ("Records not yet found settled: %lld (every board reads them; doctor --settle settles those closed)"),
              (long long) unsettled);
  for (guint i = 0; i < missing->len; i++)
    /* Translators: %s is the name of a database trigger (not translated) */
    print_item (_ ("WARNING: the trigger that brings a settled record back to the board when a row is written for it "
                   "(trigger %s) was removed from the database by hand: a late entry may not show; restore the "
                   "database from a backup"),
                (const char *) g_ptr_array_index (missing, i));
  return missing->len;
}

/* The event_id of a quarantined input line: the importer records it when
 * the event could be read, and a line refused for one bad field (a time
 * without an offset) still names it in its text. */
static char *
quarantined_event_id (const CcQuarantineEntry *entry)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;

  if (entry->event_id != NULL)
    return g_strdup (entry->event_id);
  if (entry->raw == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, entry->raw, -1, NULL) || (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  {
    JsonNode *id = json_object_get_member (json_node_get_object (root), "event_id");

    if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
      return NULL;
    return g_strdup (json_node_get_string (id));
  }
}

int
cc_cmd_doctor (CcCli  *cli,
               char ***argv)
{
  gboolean           settle = FALSE;
  const GOptionEntry entries[] = {
    { "settle", 0, 0, G_OPTION_ARG_NONE, &settle,
      N_ ("Settle now the records changed since the last reader, rather than leave them to the next status"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "doctor", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) quarantine = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GPtrArray) record_ids = NULL;
  g_autoptr (GPtrArray) held = g_ptr_array_new ();
  g_autofree char *integrity = NULL;
  g_autofree char *journal = NULL;
  CcInstant        now = cli->now;
  CcInstant        latest_recorded = CC_INSTANT_NONE;
  guint            n_problems = 0;
  guint            ahead = 0;
  guint            findings = 0;
  guint            unmended = 0;
  int              status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("doctor", _ ("unexpected argument '%s'"), (*argv)[1]);

  store = cc_cli_open_store (cli, FALSE, &error);
  if (store == NULL)
    return cc_cli_fail (error);

  if (!cc_store_quick_check (store, &integrity, &error) ||
      !cc_store_get_journal_mode (store, &journal, &error))
    return cc_cli_fail (error);

  /* Translators: %s is the database file */
  print_line (_ ("Database %s"), cc_store_get_path (store));
  /* Translators: %1$d is the version of the database's tables, %2$s
   * SQLite's journal mode (e.g. "wal") and %3$s the result of SQLite's
   * integrity check ("ok" when it is sound), both as SQLite gives them */
  print_item (_ ("schema version %1$d, journal mode %2$s, integrity %3$s"),
              cc_store_get_schema_version (store), journal, integrity);
  if (!g_str_equal (integrity, "ok"))
    {
      print_item ("%s", _ ("WARNING: the database is damaged; restore it from a backup"));
      findings++;
    }
  findings += check_permissions (cc_store_get_path (store));
  {
    guint n = check_escalation_history (store, &error);

    if (n == G_MAXUINT)
      return cc_cli_fail (error);
    findings += n;
  }
  {
    guint n = check_settling (store, settle, now, &error);

    if (n == G_MAXUINT)
      return cc_cli_fail (error);
    findings += n;
  }

  if (!cc_ledger_load (ledger, store, now, &error))
    return cc_cli_fail (error);

  record_ids = cc_ledger_get_record_ids (ledger);
  for (guint i = 0; i < record_ids->len; i++)
    {
      const CcRecord *record = cc_ledger_get_record (ledger, g_ptr_array_index (record_ids, i));

      if (cc_record_is_held (record))
        g_ptr_array_add (held, (gpointer) record);
      for (guint j = 0; j < record->events->len; j++)
        {
          CcEvent *event = g_ptr_array_index (record->events, j);
          if (event->recorded_at == CC_INSTANT_NONE)
            continue;
          latest_recorded = MAX (latest_recorded, event->recorded_at);
          if (event->recorded_at > now + CC_EVENT_MAX_FUTURE)
            ahead++;
        }
    }

  /* Translators: %1$u is how many events count, %2$u in how many custody
   * records; the form is chosen by the number of records.  The English
   * says "records" for one record too. */
  print_line (g_dngettext (GETTEXT_PACKAGE, "Events: %1$u valid in %2$u records", "Events: %1$u valid in %2$u records",
                           record_ids->len),
              cc_ledger_get_n_events (ledger), record_ids->len);

  if (!cc_ledger_quarantine_problems (ledger, store, now, &n_problems, NULL, &error))
    return cc_cli_fail (error);

  quarantine = cc_store_list_quarantine (store, FALSE, &error);
  if (quarantine == NULL)
    return cc_cli_fail (error);
  {
    /* Translators: the end of the "Quarantine: …" line below */
    g_autofree char *problems = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row in the log that does not count",
                                                              "%u rows in the log that do not count", n_problems),
                                                 n_problems);

    /* Translators: %1$u is how many rejected input lines and log rows are
     * kept aside; %2$s is e.g. "2 rows in the log that do not count" */
    print_line (g_dngettext (GETTEXT_PACKAGE, "Quarantine: %1$u input or row kept aside (%2$s)",
                             "Quarantine: %1$u inputs and rows kept aside (%2$s)", quarantine->len),
                quarantine->len, problems);
  }
  for (guint i = quarantine->len > MAX_LISTED ? quarantine->len - MAX_LISTED : 0; i < quarantine->len; i++)
    {
      CcQuarantineEntry *entry = g_ptr_array_index (quarantine, i);
      if (entry->line > 0)
        g_print ("  %s:%" G_GINT64_FORMAT ": %s\n", entry->source, entry->line, entry->reason);
      else
        /* Translators: %1$lld is the row's number in the log, %2$s its custody
         * record number (or "unknown"), %3$s why it does not count */
        print_item (_ ("row %1$lld (record %2$s): %3$s"), (long long) entry->seq,
                    /* Translators: in place of a custody record number that is not known */
                    entry->record_id != NULL ? entry->record_id : C_ ("record number", "unknown"), entry->reason);
    }

  /* Translators: a heading and a count */
  print_line (_ ("Records held waiting for their arrival: %u"), held->len);
  for (guint i = 0; i < held->len && i < MAX_LISTED; i++)
    {
      const CcRecord *record = g_ptr_array_index (held, i);
      /* Translators: %s is a custody record number */
      print_item (_ ("%s: events keyed but no arrival; key the arrival to start its clocks"), record->record_id);
    }

  pending = cc_ledger_get_pending (ledger);
  /* Translators: a heading and a count */
  print_line (_ ("Unresolved corrections: %u"), pending->len);
  for (guint i = 0; i < pending->len && i < MAX_LISTED; i++)
    {
      CcEvent *event = g_ptr_array_index (pending, i);
      /* Translators: %1$s is an event's id, %2$s its custody record number,
       * %3$s the id of the event it corrects */
      print_item (_ ("%1$s (record %2$s) corrects %3$s, which is not in the log"), event->event_id, event->record_id,
                  event->supersedes);
    }

  if (latest_recorded != CC_INSTANT_NONE)
    {
      g_autoptr (GTimeZone) tz = cc_cli_display_zone (cli);
      /* Translators: a date and time for the doctor's report: a
       * g_date_time_format() format, e.g. "2026-03-08 14:15 GMT" */
      g_autofree char *when = cc_time_format_display (latest_recorded, tz, C_ ("date format", "%Y-%m-%d %H:%M %Z"));

      /* Translators: %s is a date and time, e.g. "2026-03-08 14:15 GMT" */
      print_line (_ ("Clock: latest entry recorded %s"), when);
    }
  if (ahead > 0)
    {
      print_item (g_dngettext (GETTEXT_PACKAGE,
                               /* Translators: "timedatectl" is a command and stays as it is */
                               "WARNING: %u entry was recorded more than 10 min ahead of this machine's clock: "
                               "check the writer's clock and this one's (timedatectl)",
                               "WARNING: %u entries were recorded more than 10 min ahead of this machine's clock: "
                               "check the writer's clock and this one's (timedatectl)",
                               ahead),
                  ahead);
      findings++;
    }

  for (guint i = 0; i < quarantine->len; i++)
    {
      CcQuarantineEntry *entry = g_ptr_array_index (quarantine, i);

      if (entry->resolved_at != CC_INSTANT_NONE)
        continue;
      /* An input line whose event has since been stored (sent again,
       * corrected, with the same event_id) is mended.  A row's own event_id
       * is in the log by definition, so rows are judged by resolved_at. */
      if (entry->seq <= 0)
        {
          g_autofree char *stored_record = NULL;
          g_autofree char *id = quarantined_event_id (entry);

          if (id == NULL)
            {
              unmended++;
              continue;
            }
          if (!cc_store_lookup_event_record (store, id, &stored_record, &error))
            return cc_cli_fail (error);
          if (stored_record != NULL)
            continue;
        }
      unmended++;
    }

  if (findings == 0 && held->len == 0 && pending->len == 0 && unmended == 0)
    {
      print_line ("%s", _ ("No problems found."));
      return CC_EXIT_OK;
    }

  print_line ("%s", _ ("Needs attention:"));
  if (findings > 0)
    /* The WARNING lines above each say what to do. */
    print_item (g_dngettext (GETTEXT_PACKAGE, "%u finding to act on.", "%u findings to act on.", findings), findings);
  if (held->len > 0)
    print_item (g_dngettext (GETTEXT_PACKAGE,
                             "%u record held waiting for its arrival, its events counting for no clock: key the "
                             "arrival, or void events keyed under a wrong record number",
                             "%u records held waiting for their arrival, their events counting for no clock: key "
                             "each arrival, or void events keyed under a wrong record number",
                             held->len),
                held->len);
  if (pending->len > 0)
    print_item (g_dngettext (GETTEXT_PACKAGE,
                             "%u correction waiting for the event it corrects: key that event, or void the "
                             "correction if its target was mistyped",
                             "%u corrections waiting for the events they correct: key those events, or void "
                             "the corrections whose target was mistyped",
                             pending->len),
                pending->len);
  if (unmended > 0)
    print_item (g_dngettext (GETTEXT_PACKAGE,
                             "%u quarantined input or row not mended: send the event again corrected, with the "
                             "same event_id (see custody-clock-log(5))",
                             "%u quarantined inputs and rows not mended: send each event again corrected, with "
                             "the same event_id (see custody-clock-log(5))",
                             unmended),
                unmended);
  return CC_EXIT_FAILURE;
}
