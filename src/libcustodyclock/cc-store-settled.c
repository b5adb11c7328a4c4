/* cc-store-settled.c: what the engine has judged of the records
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tables that let readers pass settled records by (schema step 10,
 * cc-settle.c): record_unsettled, which a trigger fills on every row
 * written, and record_stay, which only the engine's judgement fills; on
 * them, the agent's working set (the records it must hold, its
 * checkpoint) and the board's candidates.  Kept apart from the rows
 * themselves (cc-store-events.c) because SQL here never reads the log to
 * decide that a record is closed.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "cc-store-private.h"

/* The agent's working set.
 *
 * A record the agent must hold is one whose clocks can still change or
 * whose escalations can still climb; every other record is settled until a
 * new row arrives for it.  cc_store_list_live_records() finds the first
 * kind from what the engine has judged (record_unsettled, schema step 10),
 * never by reading the log: SQL does not decide that a record is closed. */

/* One text for the statement and its plan (cc_store_explain_live_records()). */
#define LIVE_RECORDS_SQL                                                                 \
  "SELECT record_id FROM record_unsettled\n"                                             \
  "UNION SELECT record_id FROM escalation WHERE resolved_at IS NULL\n"                   \
  "UNION SELECT record_id FROM quarantine\n"                                             \
  "  WHERE origin = 'custody_event' AND resolved_at IS NULL AND record_id IS NOT NULL\n" \
  "ORDER BY 1"

/**
 * cc_store_list_live_records:
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids,
 *   sorted, each once
 *
 * The records the agent must read when it starts: every record in
 * record_unsettled (whatever on_board says: a board or report that found a
 * record settled first leaves it there for the agent, which must still see
 * it once, its escalations), every record with an escalation not yet
 * resolved, and every record with a row of the log in quarantine not yet
 * resolved.  Each arm is read by an index sized by what it returns, never
 * by the log (issue 15): record_unsettled's key, escalation_open (partial:
 * the open ones) and quarantine_open (partial, schema step 10), so a
 * restart on a year's log costs what may still change.
 *
 * There is no "rows above the checkpoint" arm: a row written since puts
 * its record in record_unsettled by trigger, and only the agent deletes
 * from there (cc_store_settle() with %CC_STORE_SETTLE_AGENT), once the
 * engine has judged the record settled.  Nor is there an "arrival without
 * a closing event" arm: an open record is never judged settled.  A
 * superset is harmless (the agent reads those records and lets the
 * settled ones go); missing one is not.
 */
gboolean
cc_store_list_live_records (CcStore    *store,
                            GPtrArray **out_ids,
                            GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* "" first: check-sql.sh reads a call's SQL from its opening literal. */
  stmt = prepare (store, "" LIVE_RECORDS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "finding the records in custody"), error))
    return FALSE;
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_get_checkpoint:
 * @out_seq: (out): the seq up to which a monitor has finished a pass over
 *   every row (all escalation records for those rows written), or 0
 */
gboolean
cc_store_get_checkpoint (CcStore *store,
                         gint64  *out_seq,
                         GError **error)
{
  return step_int64 (store, prepare (store, "SELECT coalesce(max(seq), 0) FROM monitor_checkpoint", error),
                     NC_ ("database task", "reading the monitor's checkpoint"), out_seq, error);
}

/**
 * cc_store_advance_checkpoint:
 *
 * Records that every row up to @seq has been through a pass.  It only
 * moves forward, so agents that share a database cannot move it back.
 */
gboolean
cc_store_advance_checkpoint (CcStore *store,
                             gint64   seq,
                             GError **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO monitor_checkpoint (id, seq) VALUES (1, ?1)\n"
                  "ON CONFLICT (id) DO UPDATE SET seq = max(seq, excluded.seq)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return step_done (store, stmt, NC_ ("database task", "writing the monitor's checkpoint"), error);
}

/**
 * cc_store_explain_live_records:
 *
 * SQLite's plan for cc_store_list_live_records()'s statement, the same
 * text: what a test checks so that the agent's start stays sized by what
 * is unsettled, never by the log.
 *
 * Returns: (transfer full) (element-type utf8): the plan's lines (each
 *   step's detail, e.g. "SCAN record_unsettled"), or %NULL with @error set
 */
GPtrArray *
cc_store_explain_live_records (CcStore *store,
                               GError **error)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = prepare (store, "EXPLAIN QUERY PLAN " LIVE_RECORDS_SQL, error);
  if (stmt == NULL)
    return NULL;
  /* Columns: id, parent, notused, detail. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (lines, column_dup (stmt, 3));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "finding the records in custody"), error))
    return NULL;
  return g_steal_pointer (&lines);
}

/* Settled records (schema step 10, cc-settle.c) */

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
collect_ids (CcStore      *store,
             sqlite3_stmt *stmt,
             GPtrArray    *ids,
             const char   *doing,
             GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  return step_end (store, stmt, rc, STEP_DONE, doing, error);
}

/**
 * cc_store_list_unsettled:
 * @after: (nullable): list record ids above this one (the last of the
 *   previous batch), or %NULL from the start
 * @limit: at most this many
 * @board_only: only the records no board or report has found settled
 *   (on_board = 1); otherwise every record the agent has not let go
 * @out_ids: (out) (transfer full) (element-type utf8): the ids, sorted
 *
 * The records the engine has not found settled, in batches: what a reader
 * must evaluate besides the settled stays (cc_store_list_board_candidates()).
 */
gboolean
cc_store_list_unsettled (CcStore    *store,
                         const char *after,
                         guint       limit,
                         gboolean    board_only,
                         GPtrArray **out_ids,
                         GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (limit > 0, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (board_only)
    stmt = prepare (store,
                    "SELECT record_id FROM record_unsettled WHERE on_board = 1 AND record_id > ?1\n"
                    "ORDER BY record_id LIMIT ?2",
                    error);
  else
    stmt = prepare (store, "SELECT record_id FROM record_unsettled WHERE record_id > ?1 ORDER BY record_id LIMIT ?2",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, after != NULL ? after : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  if (!collect_ids (store, stmt, ids, NC_ ("database task", "listing the unsettled records"), error))
    return FALSE;
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_count_unsettled:
 * @out_board: (out) (optional): records no reader has found settled
 * @out_agent: (out) (optional): records the agent has not let go
 *
 * The backlog doctor shows.
 */
gboolean
cc_store_count_unsettled (CcStore *store,
                          gint64  *out_board,
                          gint64  *out_agent,
                          GError **error)
{
  gint64 board = 0, agent = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!step_int64 (store, prepare (store, "SELECT count(*) FROM record_unsettled WHERE on_board = 1", error),
                   NC_ ("database task", "counting the unsettled records"), &board, error) ||
      !step_int64 (store, prepare (store, "SELECT count(*) FROM record_unsettled", error),
                   NC_ ("database task", "counting the unsettled records"), &agent, error))
    return FALSE;
  if (out_board != NULL)
    *out_board = board;
  if (out_agent != NULL)
    *out_agent = agent;
  return TRUE;
}

/* A stay longer than this is read by record_stay_long, not the range. */
#define LONG_STAY (7 * CC_DAY)

/**
 * cc_store_list_board_candidates:
 * @at: the instant T of the board
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids,
 *   sorted, each once
 *
 * The records that may be open at @at: every settled record whose stay
 * covers @at (arrived at or before it, closed after it), and every record
 * no reader has found settled.  A settled record is open at T exactly when
 * its stay covers T, because its rows do not depend on T (a correction
 * applies whatever its time) and its closing is the first closing event;
 * the rest are evaluated.  The cost is what may be on the board, never the
 * years behind it: two ranges of record_stay's indexes and the unsettled.
 */
gboolean
cc_store_list_board_candidates (CcStore    *store,
                                CcInstant   at,
                                GPtrArray **out_ids,
                                GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  guint         kept = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (at != CC_INSTANT_NONE, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* UNION ALL, deduplicated below: a UNION (or an ORDER BY) makes SQLite
   * scan record_stay's key to merge the arms. */
  stmt = prepare (store,
                  "SELECT record_id FROM record_stay WHERE arrived_at > ?1 - ?2 AND arrived_at <= ?1 AND closed_at > ?1\n"
                  "UNION ALL SELECT record_id FROM record_stay WHERE long_stay = 1 AND arrived_at <= ?1 AND closed_at > ?1\n"
                  "UNION ALL SELECT record_id FROM record_unsettled WHERE on_board = 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_int64 (stmt, 2, LONG_STAY);
  if (!collect_ids (store, stmt, ids, NC_ ("database task", "listing the records open at an instant"), error))
    return FALSE;

  g_ptr_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    {
      char *id = g_ptr_array_index (ids, i);

      if (kept > 0 && g_str_equal (g_ptr_array_index (ids, kept - 1), id))
        {
          g_free (id);
          continue;
        }
      ids->pdata[kept++] = id;
    }
  /* Shrink without freeing what moved (or was freed above). */
  g_ptr_array_set_free_func (ids, NULL);
  g_ptr_array_set_size (ids, kept);
  g_ptr_array_set_free_func (ids, g_free);
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_settle:
 * @items: (array length=n_items): the records found settled, each with the
 *   highest row that was read of it
 * @n_items: how many
 * @flags: %CC_STORE_SETTLE_BOARD (a board or report: the agent still has
 *   to see the record) or %CC_STORE_SETTLE_AGENT (the agent lets it go)
 *
 * Writes what the engine found (cc_settle_judge()): each record's stay,
 * and its place in record_unsettled cleared (board) or removed (agent).
 * Each write holds only while the record has no row above the one that was
 * read: a row committed since (the trigger raised the record's seq) wins,
 * and the record stays unsettled.  One transaction, inside the caller's if
 * there is one.
 */
gboolean
cc_store_settle (CcStore              *store,
                 const CcStoreSettled *items,
                 guint                 n_items,
                 CcStoreSettleFlags    flags,
                 GError              **error)
{
  gboolean own = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);
  g_return_val_if_fail (flags == CC_STORE_SETTLE_BOARD || flags == CC_STORE_SETTLE_AGENT, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_items == 0)
    return TRUE;
  if (!store->in_transaction)
    {
      if (!cc_store_begin (store, error))
        return FALSE;
      own = TRUE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      const CcStoreSettled *item = &items[i];
      sqlite3_stmt         *stmt;

      g_return_val_if_fail (item->record_id != NULL, FALSE);
      g_return_val_if_fail (item->arrived_at != CC_INSTANT_NONE && item->closed_at != CC_INSTANT_NONE, FALSE);

      stmt = prepare (store,
                      "INSERT INTO record_stay (record_id, arrived_at, closed_at, checked_seq, long_stay)\n"
                      "  SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS\n"
                      "    (SELECT 1 FROM record_unsettled WHERE record_id = ?1 AND seq <= ?4)\n"
                      "  ON CONFLICT (record_id) DO UPDATE SET arrived_at = excluded.arrived_at,\n"
                      "    closed_at = excluded.closed_at, checked_seq = excluded.checked_seq,\n"
                      "    long_stay = excluded.long_stay",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, item->arrived_at);
      sqlite3_bind_int64 (stmt, 3, item->closed_at);
      sqlite3_bind_int64 (stmt, 4, item->seq);
      sqlite3_bind_int (stmt, 5, item->closed_at - item->arrived_at > LONG_STAY);
      if (!step_done (store, stmt, NC_ ("database task", "recording a settled record"), error))
        goto fail;

      if (flags == CC_STORE_SETTLE_AGENT)
        stmt = prepare (store, "DELETE FROM record_unsettled WHERE record_id = ?1 AND seq <= ?2", error);
      else
        stmt = prepare (store, "UPDATE record_unsettled SET on_board = 0 WHERE record_id = ?1 AND seq <= ?2 AND on_board = 1",
                        error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, item->seq);
      if (!step_done (store, stmt, NC_ ("database task", "recording a settled record"), error))
        goto fail;
    }

  if (own && !cc_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  if (own)
    cc_store_rollback (store);
  return FALSE;
}

/* The triggers of schema step 10, which doctor expects to find. */
static const char *const unsettle_triggers[] = {
  "custody_event_unsettles",
  "custody_event_unsettles_update",
  "custody_event_unsettles_delete",
};

/**
 * cc_store_list_missing_unsettle_triggers:
 *
 * The triggers that keep record_unsettled true (schema step 10) that are
 * no longer in the database: without them a late row of a settled record
 * would not bring it back to the board.
 *
 * Returns: (transfer full) (element-type utf8): the missing triggers'
 *   names (empty when all are there), or %NULL with @error set
 */
GPtrArray *
cc_store_list_missing_unsettle_triggers (CcStore *store,
                                         GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return missing_triggers (store, unsettle_triggers, G_N_ELEMENTS (unsettle_triggers), error);
}
