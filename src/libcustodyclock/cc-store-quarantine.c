/* cc-store-quarantine.c: rejected input and bad rows (quarantine)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Keeping what the importer refused and the rows the ledger could not
 * count, each with its reason, once (entries are keyed by their text or
 * row), marking them resolved, and listing them.  The report's month of
 * them is read in cc-store-report.c, with quarantine_from_row().
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cc-store-private.h"

void
cc_quarantine_entry_free (CcQuarantineEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->origin);
  g_free (entry->source);
  g_free (entry->event_id);
  g_free (entry->record_id);
  g_free (entry->reason_code);
  g_free (entry->reason);
  g_free (entry->raw);
  g_free (entry);
}

/* What makes two quarantine entries the same: the same bad row, or the same
 * rejected text.  Importing a file twice then quarantines nothing new. */
static char *
quarantine_fingerprint (const CcQuarantineEntry *entry)
{
  if (entry->seq > 0)
    return g_strdup_printf ("seq:%" G_GINT64_FORMAT, entry->seq);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                        entry->raw != NULL ? entry->raw : entry->reason, -1);
}

/**
 * cc_store_add_quarantine:
 * @out_inserted: (out) (optional): %FALSE when the same entry was already kept
 */
gboolean
cc_store_add_quarantine (CcStore                 *store,
                         const CcQuarantineEntry *entry,
                         gboolean                *out_inserted,
                         GError                 **error)
{
  sqlite3_stmt    *stmt;
  g_autofree char *fingerprint = quarantine_fingerprint (entry);

  stmt = prepare (store,
                  "INSERT INTO quarantine (origin, source, line, seq, event_id, record_id,\n"
                  "                        reason_code, reason, raw, fingerprint, quarantined_at)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)\n"
                  "ON CONFLICT (origin, fingerprint) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, entry->origin);
  bind_text (stmt, 2, entry->source);
  if (entry->line > 0)
    sqlite3_bind_int64 (stmt, 3, entry->line);
  if (entry->seq > 0)
    sqlite3_bind_int64 (stmt, 4, entry->seq);
  bind_text (stmt, 5, entry->event_id);
  bind_text (stmt, 6, entry->record_id);
  bind_text (stmt, 7, entry->reason_code);
  bind_text (stmt, 8, entry->reason);
  bind_text (stmt, 9, entry->raw);
  bind_text (stmt, 10, fingerprint);
  bind_instant (stmt, 11, entry->quarantined_at);

  if (!step_done (store, stmt, NC_ ("database task", "quarantining an event"), error))
    return FALSE;
  if (out_inserted != NULL)
    *out_inserted = sqlite3_changes (store->db) > 0;
  return TRUE;
}

/**
 * cc_store_resolve_quarantine:
 *
 * Marks a bad row's quarantine entry resolved (its problem went away: a held
 * correction's target arrived, say).
 */
gboolean
cc_store_resolve_quarantine (CcStore  *store,
                             gint64    seq,
                             CcInstant resolved_at,
                             GError  **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "UPDATE quarantine SET resolved_at = ?2 WHERE seq = ?1 AND resolved_at IS NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  bind_instant (stmt, 2, resolved_at);
  return step_done (store, stmt, NC_ ("database task", "resolving a quarantine entry"), error);
}

/* One row of QUARANTINE_COLUMNS. */
CcQuarantineEntry *
quarantine_from_row (sqlite3_stmt *stmt)
{
  CcQuarantineEntry *entry = g_new0 (CcQuarantineEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->origin = column_dup (stmt, 1);
  entry->source = column_dup (stmt, 2);
  entry->line = sqlite3_column_int64 (stmt, 3);
  entry->seq = sqlite3_column_int64 (stmt, 4);
  entry->event_id = column_dup (stmt, 5);
  entry->record_id = column_dup (stmt, 6);
  entry->reason_code = column_dup (stmt, 7);
  entry->reason = column_dup (stmt, 8);
  entry->raw = column_dup (stmt, 9);
  entry->quarantined_at = column_instant (stmt, 10);
  entry->resolved_at = column_instant (stmt, 11);
  return entry;
}

/**
 * cc_store_list_quarantine:
 *
 * Returns: (transfer full) (element-type CcQuarantineEntry): the entries,
 *   oldest first
 */
GPtrArray *
cc_store_list_quarantine (CcStore *store,
                          gboolean unresolved_only,
                          GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_quarantine_entry_free);
  int rc;

  stmt = prepare (store, "SELECT " QUARANTINE_COLUMNS "\nFROM quarantine WHERE (?1 = 0 OR resolved_at IS NULL) ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, unresolved_only ? 1 : 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, quarantine_from_row (stmt));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading the quarantine"), error))
    return NULL;
  return g_steal_pointer (&entries);
}
