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
 * Exit 1 when the database itself needs attention (damaged, open to other
 * users, written by a clock that is ahead, or its escalation history does
 * not verify: a record changed, added or deleted other than by
 * custody-clock); the data findings (quarantine,
 * held events, pending corrections) are listed with their counts but do not
 * fail the check, because they stay in the log's history for good.
 */
#include "config.h"

#include <sys/stat.h>

#include "cc-cli.h"
#include "cc-ledger.h"

/* How many entries of each list to print; the counts are always complete. */
#define MAX_LISTED 20

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
          g_print (_ ("  WARNING: %s is open to every user of this machine (mode %04o): "
                      "it holds children's personal data; run: chmod o-rwx %s\n"),
                   file, (unsigned) (st.st_mode & 07777), file);
          findings++;
        }
      else if (i == 0)
        {
          g_print (_ ("  permissions %04o (%s)\n"), (unsigned) (st.st_mode & 07777),
                   (st.st_mode & 0070) ? _ ("owner and group") : _ ("owner only"));
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
      g_print (g_dngettext (GETTEXT_PACKAGE, "Escalation history: %u entry, chain intact",
                            "Escalation history: %u entries, chain intact", n_checked),
               n_checked);
      if (head != NULL)
        /* Kept elsewhere, the head shows later that the whole history was
         * not rewritten. */
        g_print (_ (" (head %" G_GINT64_FORMAT ": %.16s)"), head_seq, head);
      g_print ("\n");
      return 0;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "Escalation history: %u entry checked, ",
                        "Escalation history: %u entries checked, ", n_checked),
           n_checked);
  if (first_bad > 0)
    g_print (_ ("the chain is broken from entry %" G_GINT64_FORMAT "\n"), first_bad);
  else
    g_print (_ ("the chain is intact but the records differ from it\n"));
  for (guint i = 0; i < findings->len && i < MAX_LISTED; i++)
    g_print (_ ("  WARNING: %s\n"), (const char *) g_ptr_array_index (findings, i));
  if (findings->len > MAX_LISTED)
    g_print (_ ("  … and %u more\n"), findings->len - MAX_LISTED);
  g_print (_ ("  The escalation records were changed outside custody-clock: keep this database as it is for "
              "investigation, and compare it with a backup to see what was changed\n"));
  return findings->len;
}

int
cc_cmd_doctor (CcCli  *cli,
               char ***argv)
{
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "doctor", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GPtrArray) quarantine = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  g_autoptr (GPtrArray) record_ids = NULL;
  g_autoptr (GPtrArray) held = g_ptr_array_new ();
  g_autofree char *integrity = NULL;
  g_autofree char *journal = NULL;
  CcInstant        now = g_get_real_time () / G_USEC_PER_SEC;
  CcInstant        latest_recorded = CC_INSTANT_NONE;
  guint            n_problems = 0;
  guint            ahead = 0;
  guint            findings = 0;
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

  g_print (_ ("Database %s\n"), cc_store_get_path (store));
  g_print (_ ("  schema version %d, journal mode %s, integrity %s\n"),
           cc_store_get_schema_version (store), journal, integrity);
  if (!g_str_equal (integrity, "ok"))
    {
      g_print (_ ("  WARNING: the database is damaged; restore it from a backup\n"));
      findings++;
    }
  findings += check_permissions (cc_store_get_path (store));
  {
    guint n = check_escalation_history (store, &error);

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

      if (record->arrival == NULL)
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

  g_print (_ ("Events: %u valid in %u records\n"), cc_ledger_get_n_events (ledger), record_ids->len);

  if (!cc_ledger_quarantine_problems (ledger, store, now, &n_problems, NULL, &error))
    return cc_cli_fail (error);

  quarantine = cc_store_list_quarantine (store, FALSE, &error);
  if (quarantine == NULL)
    return cc_cli_fail (error);
  g_print (_ ("Quarantine: %u inputs and rows kept aside (%u rows in the log that do not count)\n"),
           quarantine->len, n_problems);
  for (guint i = quarantine->len > MAX_LISTED ? quarantine->len - MAX_LISTED : 0; i < quarantine->len; i++)
    {
      CcQuarantineEntry *entry = g_ptr_array_index (quarantine, i);
      if (entry->line > 0)
        g_print ("  %s:%" G_GINT64_FORMAT ": %s\n", entry->source, entry->line, entry->reason);
      else
        g_print (_ ("  row %" G_GINT64_FORMAT " (record %s): %s\n"), entry->seq,
                 entry->record_id != NULL ? entry->record_id : _ ("unknown"), entry->reason);
    }

  g_print (_ ("Records held waiting for their arrival: %u\n"), held->len);
  for (guint i = 0; i < held->len && i < MAX_LISTED; i++)
    {
      const CcRecord *record = g_ptr_array_index (held, i);
      g_print (_ ("  %s: events keyed but no arrival; key the arrival to start its clocks\n"),
               record->record_id);
    }

  pending = cc_ledger_get_pending (ledger);
  g_print (_ ("Unresolved corrections: %u\n"), pending->len);
  for (guint i = 0; i < pending->len && i < MAX_LISTED; i++)
    {
      CcEvent *event = g_ptr_array_index (pending, i);
      g_print (_ ("  %s (record %s) corrects %s, which is not in the log\n"),
               event->event_id, event->record_id, event->supersedes);
    }

  if (latest_recorded != CC_INSTANT_NONE)
    {
      g_autoptr (GTimeZone) tz = cc_cli_display_zone (cli);
      g_autofree char *when = cc_time_format_display (latest_recorded, tz, "%Y-%m-%d %H:%M %Z");
      g_print (_ ("Clock: latest entry recorded %s\n"), when);
    }
  if (ahead > 0)
    {
      g_print (_ ("  WARNING: %u entries were recorded more than 10 min ahead of this machine's clock: "
                  "check the writer's clock and this one's (timedatectl)\n"),
               ahead);
      findings++;
    }

  if (findings == 0)
    g_print (_ ("No problems found.\n"));
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u finding to act on.\n", "%u findings to act on.\n", findings),
             findings);
  return findings == 0 ? CC_EXIT_OK : CC_EXIT_FAILURE;
}
