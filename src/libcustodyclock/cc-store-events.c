/* cc-store-events.c: the custody log's rows (custody_event)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Writing the log (a validated event, or a row as a third party would
 * write it) and reading it: rows exactly as stored, for the ledger to
 * judge, by seq, by record or by event_id; an event's record, a record's
 * arrival, the records that have arrived, and the suites the arrivals
 * name.  Nothing here decides what a row means.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cc-store-private.h"

/**
 * cc_store_insert_event:
 * @store: a #CcStore
 * @event: a validated event
 * @out_inserted: (out) (optional): %FALSE when @event's event_id was already
 *   in the log, which makes sending an event twice a no-op
 * @out_seq: (out) (optional): the new row's seq, or 0
 * @error: return location for a #GError
 *
 * Appends one event.  When @event has no recorded_at, the database's default
 * (the time of insertion) applies.
 */
gboolean
cc_store_insert_event (CcStore       *store,
                       const CcEvent *event,
                       gboolean      *out_inserted,
                       gint64        *out_seq,
                       GError       **error)
{
  sqlite3_stmt    *stmt;
  g_autofree char *data = NULL;
  gboolean         inserted;

  stmt = prepare (store,
                  "INSERT INTO custody_event (event_id, record_id, type, occurred_at, recorded_at,\n"
                  "                           officer, data, supersedes)\n"
                  "VALUES (?1, ?2, ?3, ?4,\n"
                  "        coalesce(?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?6, ?7, ?8)\n"
                  "ON CONFLICT (event_id) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;

  data = cc_event_data_to_string (event);
  bind_text (stmt, 1, event->event_id);
  bind_text (stmt, 2, event->record_id);
  bind_text (stmt, 3, cc_event_type_to_string (event->type));
  bind_instant (stmt, 4, event->occurred_at);
  bind_instant (stmt, 5, event->recorded_at);
  bind_text (stmt, 6, event->officer);
  bind_text (stmt, 7, data);
  bind_text (stmt, 8, event->supersedes);

  if (!step_done (store, stmt, NC_ ("database task", "adding an event"), error))
    return FALSE;

  inserted = sqlite3_changes (store->db) > 0;
  if (out_inserted != NULL)
    *out_inserted = inserted;
  if (out_seq != NULL)
    *out_seq = inserted ? sqlite3_last_insert_rowid (store->db) : 0;
  return TRUE;
}

/**
 * cc_store_lookup_event_record:
 * @out_record_id: (out) (transfer full) (nullable): the record of the event
 *   with this event_id, or %NULL when there is none
 */
gboolean
cc_store_lookup_event_record (CcStore    *store,
                              const char *event_id,
                              char      **out_record_id,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT record_id FROM custody_event WHERE event_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_record_id = column_dup (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out_record_id = NULL;
  return step_end (store, stmt, rc, STEP_ROW | STEP_DONE, NC_ ("database task", "looking up an event"), error);
}

/**
 * cc_store_lookup_arrival:
 * @out_event_id: (out) (transfer full) (nullable): the record's arrival, or
 *   %NULL when the record has none yet
 * @out_occurred_at: (out): its time
 *
 * The record's arrival as it stands after corrections: the first arrival row
 * (by seq) that no later row of the same record supersedes or voids.
 * Supersession chains are the ledger's business; this is the quick check the
 * importer makes for each new line.
 */
gboolean
cc_store_lookup_arrival (CcStore    *store,
                         const char *record_id,
                         char      **out_event_id,
                         CcInstant  *out_occurred_at,
                         GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT e.event_id, e.occurred_at FROM custody_event AS e\n"
                  "WHERE e.record_id = ?1 AND e.type = 'arrival'\n"
                  "  AND NOT EXISTS (SELECT 1 FROM custody_event AS c\n"
                  "                  WHERE c.supersedes = e.event_id AND c.record_id = e.record_id)\n"
                  "ORDER BY e.seq LIMIT 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record_id);

  *out_event_id = NULL;
  *out_occurred_at = CC_INSTANT_NONE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_event_id = column_dup (stmt, 0);
      *out_occurred_at = column_instant (stmt, 1);
    }
  return step_end (store, stmt, rc, STEP_ROW | STEP_DONE, NC_ ("database task", "looking up an arrival"), error);
}

/**
 * cc_store_foreach_event_row:
 * @after_seq: only rows with a greater seq (0 for all)
 * @record_id: (nullable): only this record's rows
 * @func: called for each row in seq order; return %FALSE (with its error
 *   set) to stop
 *
 * Reads custody_event rows exactly as stored, without judging them: the
 * caller validates them (a third party may have written anything).
 */
gboolean
cc_store_foreach_event_row (CcStore       *store,
                            gint64         after_seq,
                            const char    *record_id,
                            CcStoreRowFunc func,
                            gpointer       user_data,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  if (record_id != NULL)
    stmt = prepare (store,
                    "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                    "FROM custody_event WHERE record_id = ?2 AND seq > ?1 ORDER BY seq",
                    error);
  else
    stmt = prepare (store,
                    "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                    "FROM custody_event WHERE seq > ?1 ORDER BY seq",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  if (record_id != NULL)
    bind_text (stmt, 2, record_id);

  return step_rows (store, stmt, func, user_data, NC_ ("database task", "reading events"), error);
}

gboolean
cc_store_get_max_seq (CcStore *store,
                      gint64  *out_seq,
                      GError **error)
{
  return step_int64 (store, prepare (store, "SELECT coalesce(max(seq), 0) FROM custody_event", error),
                     NC_ ("database task", "reading the last event number"), out_seq, error);
}

/**
 * cc_store_list_arrived_records:
 * @out_ids: (out) (transfer full) (element-type utf8): the record numbers,
 *   sorted
 *
 * Every record number with an arrival row (corrected or not): the records
 * a mistyped number is compared with (`record`'s "did you mean").  Reads the
 * arrivals' partial index only.
 */
gboolean
cc_store_list_arrived_records (CcStore    *store,
                               GPtrArray **out_ids,
                               GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);

  stmt = prepare (store, "SELECT DISTINCT record_id FROM custody_event WHERE type = 'arrival' ORDER BY 1", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "listing the records"), error))
    return FALSE;
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/* Bulk writing
 * ============
 * For writers that are not Custody Clock's own validated paths: the
 * simulator, and the demo feeding simulated rows into a live database. */

/**
 * cc_store_insert_row:
 * @store: a #CcStore
 * @row: the row's text columns; @row->seq is ignored (SQLite numbers rows)
 * @out_inserted: (out) (optional): %FALSE when a row with this event_id was
 *   already in the table, which makes sending a row twice a no-op
 * @error: return location for a #GError
 *
 * Appends one custody_event row exactly as a third-party custody system
 * would with plain SQL: the texts go in unjudged (readers judge rows, see
 * cc_event_new_from_row()), and a %NULL event_id, recorded_at or data takes
 * the table's default.  Batch calls between cc_store_begin() and
 * cc_store_commit(): one transaction per row costs a write to the WAL each.
 */
gboolean
cc_store_insert_row (CcStore          *store,
                     const CcStoreRow *row,
                     gboolean         *out_inserted,
                     GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO custody_event (event_id, record_id, type, occurred_at, recorded_at,\n"
                  "                           officer, data, supersedes)\n"
                  "VALUES (coalesce(?1, lower(hex(randomblob(16)))), ?2, ?3, ?4,\n"
                  "        coalesce(?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?6, coalesce(?7, '{}'), ?8)\n"
                  "ON CONFLICT (event_id) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;

  /* The row's strings outlive the step: SQLite need not copy them. */
  {
    const char *texts[] = { row->event_id, row->record_id, row->type, row->occurred_at,
                            row->recorded_at, row->officer, row->data, row->supersedes };
    for (int i = 0; i < (int) G_N_ELEMENTS (texts); i++)
      if (texts[i] != NULL)
        sqlite3_bind_text (stmt, i + 1, texts[i], -1, SQLITE_STATIC);
  }

  if (!step_done (store, stmt, NC_ ("database task", "adding a row"), error))
    return FALSE;
  if (out_inserted != NULL)
    *out_inserted = sqlite3_changes (store->db) > 0;
  return TRUE;
}

/* The board (issue 15) */

/**
 * cc_store_foreach_event_row_with_id:
 * @event_id: the event_id of the row
 * @func: called once if the row is there, exactly as stored
 *
 * The one row with @event_id (the table keeps event_id unique), for a
 * ledger that holds only some records and must judge a correction whose
 * target it has not read (cc_ledger_set_store()).  One SEARCH of the
 * event_id index.
 */
gboolean
cc_store_foreach_event_row_with_id (CcStore       *store,
                                    const char    *event_id,
                                    CcStoreRowFunc func,
                                    gpointer       user_data,
                                    GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare (store,
                  "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                  "FROM custody_event WHERE event_id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  return step_rows (store, stmt, func, user_data, NC_ ("database task", "looking up an event"), error);
}

/* ---- suites (issue 14 item 8) ------------------------------------------------ */

/**
 * cc_store_list_suites:
 * @store: the custody log
 * @error: return location for a #GError
 *
 * The custody suites named by the log's arrivals, each once, sorted.  An
 * arrival's data that is not JSON, or names no suite, adds nothing (the
 * ledger judges such rows; this only lists names).
 *
 * Returns: (transfer full) (element-type utf8): the suites, or %NULL with
 *   @error set
 */
GPtrArray *
cc_store_list_suites (CcStore *store,
                      GError **error)
{
  g_autoptr (GPtrArray) suites = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* From each name to the next one by the index custody_event_suite
   * (schema step 10): as many searches as there are suites, whatever the
   * years of arrivals behind them. */
  stmt = prepare (store,
                  "WITH RECURSIVE s (suite) AS (\n"
                  "  SELECT min (json_extract (data, '$.suite')) FROM custody_event\n"
                  "  WHERE type = 'arrival' AND json_valid (data) AND json_type (data, '$.suite') = 'text'\n"
                  "  UNION ALL\n"
                  "  SELECT (SELECT min (json_extract (data, '$.suite')) FROM custody_event\n"
                  "          WHERE type = 'arrival' AND json_valid (data) AND json_type (data, '$.suite') = 'text'\n"
                  "            AND json_extract (data, '$.suite') > s.suite)\n"
                  "  FROM s WHERE s.suite IS NOT NULL)\n"
                  "SELECT suite FROM s WHERE suite IS NOT NULL",
                  error);
  if (stmt == NULL)
    return NULL;
  suites = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (suites, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "listing the custody suites"), error))
    return NULL;
  return g_steal_pointer (&suites);
}

/**
 * cc_store_resolve_suite:
 * @store: the custody log
 * @name: a suite as a person typed it
 * @out_suite: (out) (transfer full): the suite as the log spells it
 * @error: return location for a #GError
 *
 * Finds the suite @name means, ignoring case ("swindon" is "Swindon"): a
 * desk that typed the name differently must not watch nobody, and a
 * report must not count nothing, without a word.  When no suite matches,
 * fails with a message listing the suites in
 * the log.  An exact match wins over one that differs only in case.
 * The error is %G_OPTION_ERROR_BAD_VALUE: the name a person gave is wrong,
 * not the log, so the programs treat it as bad usage.
 *
 * Returns: %TRUE with @out_suite set, or %FALSE with @error set
 */
gboolean
cc_store_resolve_suite (CcStore    *store,
                        const char *name,
                        char      **out_suite,
                        GError    **error)
{
  g_autoptr (GPtrArray) suites = NULL;
  g_autofree char *wanted = NULL;
  const char      *found = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (name != NULL && out_suite != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  suites = cc_store_list_suites (store, error);
  if (suites == NULL)
    return FALSE;
  wanted = g_utf8_casefold (name, -1);
  for (guint i = 0; i < suites->len; i++)
    {
      const char      *suite = g_ptr_array_index (suites, i);
      g_autofree char *folded = NULL;

      if (g_str_equal (suite, name))
        {
          found = suite;
          break;
        }
      folded = g_utf8_casefold (suite, -1);
      if (found == NULL && g_str_equal (folded, wanted))
        found = suite;
    }
  if (found == NULL)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      for (guint i = 0; i < suites->len; i++)
        {
          if (i > 0)
            g_string_append (list, ", ");
          g_string_append (list, g_ptr_array_index (suites, i));
        }
      if (suites->len == 0)
        /* Translators: %s is the suite asked for; the log has no arrivals naming a suite */
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _ ("no suite named %s: the log has no arrivals naming a suite yet"), name);
      else
        /* Translators: %1$s is the suite asked for, %2$s the suites the log names ("Melksham, Swindon") */
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _ ("no suite named %1$s; suites in the log: %2$s"), name, list->str);
      return FALSE;
    }
  *out_suite = g_strdup (found);
  return TRUE;
}
