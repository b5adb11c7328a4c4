/* cc-store-report.c: what the monthly report reads and keeps
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A month's records, their rows, escalation records and quarantine
 * entries, each read by an index sized by the month; the figures kept for
 * the trend (report_cache) and for settled records (record_summary,
 * record_figures), so that a report does not read again what cannot have
 * changed; and where the log's months begin.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cc-store-private.h"

/* ---- Report reads --------------------------------------------------------
 *
 * What `custody-clock report` reads (docs/REPORT.md): a month's records,
 * their escalation records, and the per-month summary cache that keeps the
 * 12-month trend from reading a national year.  A month is found by the
 * text of arrival times: the caller widens the range by the largest offset
 * and decides precisely after parsing. */

#define MONTH_RECORDS                     \
  "SELECT record_id FROM custody_event\n" \
  "WHERE type = 'arrival' AND occurred_at >= ?1 AND occurred_at < ?2"

/**
 * cc_store_list_month_records:
 * @from: @to: occurred_at text range of arrival rows, [@from, @to)
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids with
 *   an arrival row (corrected or not) in the range, sorted, once each
 */
gboolean
cc_store_list_month_records (CcStore    *store,
                             const char *from,
                             const char *to,
                             GPtrArray **out_ids,
                             GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT DISTINCT record_id FROM (" MONTH_RECORDS ") ORDER BY 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "finding the month's records"), error))
    return FALSE;
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_month_changed_since:
 * @after_seq: the log's last seq when the caller last looked
 * @out_changed: (out): whether a row above @after_seq belongs to a record
 *   of cc_store_list_month_records()
 *
 * Rows are only ever appended (custody-log.md), so this is whether the
 * month's records have changed since.  Only the rows above @after_seq are
 * read (the unary + keeps SQLite from probing the month's records one by
 * one instead).
 */
gboolean
cc_store_month_changed_since (CcStore    *store,
                              const char *from,
                              const char *to,
                              gint64      after_seq,
                              gboolean   *out_changed,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT 1 FROM custody_event\n"
                  "WHERE seq > ?3 AND +record_id IN (" MONTH_RECORDS ") LIMIT 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  sqlite3_bind_int64 (stmt, 3, after_seq);
  rc = sqlite3_step (stmt);
  *out_changed = rc == SQLITE_ROW;
  return step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                   NC_ ("database task", "looking for the month's new rows"), error);
}

/* The month's records once each, as the table a join starts from: the
 * arrivals' time index gives them, and CROSS JOIN keeps SQLite from
 * starting at the other table instead (a scan of all of it). */
#define MONTH_RECORD_TABLE \
  "(SELECT DISTINCT record_id AS month_record FROM (" MONTH_RECORDS ")) AS m\nCROSS JOIN "

/**
 * cc_store_list_month_escalations:
 * @from: @to: as for cc_store_list_month_records()
 *
 * Reads the month's records' escalations by record (schema step 8's
 * index), not the whole table.
 *
 * Returns: (transfer full) (element-type CcEscalation): the escalation
 *   records of the records cc_store_list_month_records() finds, by record
 *   then id
 */
GPtrArray *
cc_store_list_month_escalations (CcStore    *store,
                                 const char *from,
                                 const char *to,
                                 GError    **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  stmt = prepare (store,
                  "SELECT " ESCALATION_COLUMNS " FROM " MONTH_RECORD_TABLE "escalation\n"
                  "  ON escalation.record_id = m.month_record\n"
                  "ORDER BY record_id, id",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, escalation_from_row (stmt));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading escalation records"), error))
    return NULL;
  return g_steal_pointer (&rows);
}

/**
 * cc_store_list_month_quarantine:
 * @from: @to: as for cc_store_list_month_records()
 * @by_time: also the entries quarantined in the text range [@from, @to)
 *   (whoever's they are)
 *
 * What the report counts as the month's bad input, read by record and by
 * time (schema step 9's indexes) instead of the whole quarantine: the
 * entries, of either origin, whose record is one cc_store_list_month_records()
 * finds, and with @by_time those quarantined in the range.  The caller
 * judges them exactly.
 *
 * Returns: (transfer full) (element-type CcQuarantineEntry): the entries,
 *   each once, oldest first
 */
GPtrArray *
cc_store_list_month_quarantine (CcStore    *store,
                                const char *from,
                                const char *to,
                                gboolean    by_time,
                                GError    **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_quarantine_entry_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  /* UNION drops the entries found twice (each row is its id). */
  stmt = prepare (store,
                  "SELECT " QUARANTINE_COLUMNS " FROM " MONTH_RECORD_TABLE "quarantine\n"
                  "  ON quarantine.origin = 'custody_event' AND quarantine.record_id = m.month_record\n"
                  "UNION SELECT " QUARANTINE_COLUMNS " FROM " MONTH_RECORD_TABLE "quarantine\n"
                  "  ON quarantine.origin = 'import' AND quarantine.record_id = m.month_record\n"
                  "UNION SELECT " QUARANTINE_COLUMNS " FROM quarantine\n"
                  "  WHERE ?3 AND quarantined_at >= ?1 AND quarantined_at < ?2\n"
                  "ORDER BY 1",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  sqlite3_bind_int (stmt, 3, by_time ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, quarantine_from_row (stmt));
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading the quarantine"), error))
    return NULL;
  return g_steal_pointer (&entries);
}

/**
 * cc_store_lookup_report_cache:
 * @month: "YYYY-MM"
 * @suite: the suite, or "" for all
 * @policy: a digest of the policy (and of the cache's format)
 * @out_figures: (out) (transfer full) (nullable): the kept figures, or %NULL
 *   when there are none
 * @out_checked_seq: (out): the log's last seq when they were last known to
 *   hold
 * @out_settled_at: (out): they hold for report instants at or after this
 */
gboolean
cc_store_lookup_report_cache (CcStore    *store,
                              const char *month,
                              const char *suite,
                              const char *policy,
                              char      **out_figures,
                              gint64     *out_checked_seq,
                              CcInstant  *out_settled_at,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT figures, checked_seq, settled_at FROM report_cache\n"
                  "WHERE month = ?1 AND suite = ?2 AND policy = ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, month);
  bind_text (stmt, 2, suite);
  bind_text (stmt, 3, policy);
  *out_figures = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_figures = column_dup (stmt, 0);
      *out_checked_seq = sqlite3_column_int64 (stmt, 1);
      *out_settled_at = sqlite3_column_int64 (stmt, 2);
    }
  return step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                   NC_ ("database task", "reading the report cache"), error);
}

/**
 * cc_store_save_report_cache:
 * @checked_seq: the log's last seq when the figures were known to hold
 * @settled_at: the figures hold for any report instant at or after this
 * @figures: their JSON text
 *
 * Keeps one month's figures, replacing what was kept for the same month,
 * suite and policy.
 */
gboolean
cc_store_save_report_cache (CcStore    *store,
                            const char *month,
                            const char *suite,
                            const char *policy,
                            gint64      checked_seq,
                            CcInstant   settled_at,
                            const char *figures,
                            GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO report_cache (month, suite, policy, checked_seq, settled_at, figures)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)\n"
                  "ON CONFLICT (month, suite, policy) DO UPDATE SET checked_seq = excluded.checked_seq,\n"
                  "  settled_at = excluded.settled_at, figures = excluded.figures",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, month);
  bind_text (stmt, 2, suite);
  bind_text (stmt, 3, policy);
  sqlite3_bind_int64 (stmt, 4, checked_seq);
  sqlite3_bind_int64 (stmt, 5, settled_at);
  bind_text (stmt, 6, figures);
  return step_done (store, stmt, NC_ ("database task", "writing the report cache"), error);
}

/* The report's summaries (issue 15)
 *
 * record_summary (schema step 10) keeps the trend's figures of settled
 * records so that an earlier month of the trend is counted without being
 * read.  The report reads the month's candidates (the arrival index) with
 * their summaries in one statement, evaluates the rest, and writes the
 * summaries of those the engine found settled.  A write names the highest
 * row it read and is dropped if a row of the record came in since: the
 * trigger deletes summaries as rows are written, and this guard covers a
 * row committed between the report's read and its write. */

void
cc_store_record_summary_clear (CcStoreRecordSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->record_id, g_free);
  g_clear_pointer (&summary->suite, g_free);
  g_clear_pointer (&summary->figures, g_free);
}

/**
 * cc_store_list_month_summaries:
 * @from: @to: as for cc_store_list_month_records()
 * @policy: the policy digest the summaries are kept under
 * @with_figures: also read each summary's figures (record_figures), for
 *   the report's own month; the trend's months need only the summary
 * @out_rows: (out) (transfer full) (element-type CcStoreRecordSummary): one
 *   per record of cc_store_list_month_records(), in record_id order, with
 *   @found set where a summary is kept
 */
gboolean
cc_store_list_month_summaries (CcStore    *store,
                               const char *from,
                               const char *to,
                               const char *policy,
                               gboolean    with_figures,
                               GArray    **out_rows,
                               GError    **error)
{
  g_autoptr (GArray) rows = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && policy != NULL, FALSE);
  g_return_val_if_fail (out_rows != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Two statements, not one with the figures' join made conditional: the
   * trend reads eleven months of summaries, and a join on a bound flag
   * still cost it about a tenth of a second on the national year. */
  if (with_figures)
    stmt = prepare (store,
                    "SELECT m.record_id, s.arrived_at, s.suite, s.monitored, s.settled_at, s.checked_seq,\n"
                    "       s.aa_seconds, s.healthcare_seen, s.healthcare_of, s.post_charge_seconds, s.breaches,\n"
                    "       s.closed_at, f.figures\n"
                    "FROM (SELECT DISTINCT record_id FROM (" MONTH_RECORDS ")) AS m\n"
                    "LEFT JOIN record_summary AS s ON s.record_id = m.record_id AND s.policy = ?3\n"
                    "LEFT JOIN record_figures AS f ON f.record_id = m.record_id AND f.policy = ?3\n"
                    "ORDER BY m.record_id",
                    error);
  else
    stmt = prepare (store,
                    "SELECT m.record_id, s.arrived_at, s.suite, s.monitored, s.settled_at, s.checked_seq,\n"
                    "       s.aa_seconds, s.healthcare_seen, s.healthcare_of, s.post_charge_seconds, s.breaches,\n"
                    "       s.closed_at, NULL\n"
                    "FROM (SELECT DISTINCT record_id FROM (" MONTH_RECORDS ")) AS m\n"
                    "LEFT JOIN record_summary AS s ON s.record_id = m.record_id AND s.policy = ?3\n"
                    "ORDER BY m.record_id",
                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  bind_text (stmt, 3, policy);
  rows = g_array_new (FALSE, TRUE, sizeof (CcStoreRecordSummary));
  g_array_set_clear_func (rows, (GDestroyNotify) cc_store_record_summary_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CcStoreRecordSummary s = { 0 };

      s.record_id = column_dup (stmt, 0);
      s.found = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      if (s.found)
        {
          s.arrived_at = sqlite3_column_int64 (stmt, 1);
          s.suite = column_dup (stmt, 2);
          s.monitored = sqlite3_column_int (stmt, 3) != 0;
          s.settled_at = sqlite3_column_int64 (stmt, 4);
          s.checked_seq = sqlite3_column_int64 (stmt, 5);
          s.has_aa = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
          s.aa_seconds = sqlite3_column_int64 (stmt, 6);
          s.healthcare_seen = sqlite3_column_int64 (stmt, 7);
          s.healthcare_of = sqlite3_column_int64 (stmt, 8);
          s.has_post_charge = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
          s.post_charge_seconds = sqlite3_column_int64 (stmt, 9);
          s.breaches = sqlite3_column_int64 (stmt, 10);
          s.closed_at = sqlite3_column_int64 (stmt, 11);
          s.figures = column_dup (stmt, 12);
        }
      g_array_append_val (rows, s);
    }
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading the month's record summaries"), error))
    return FALSE;
  *out_rows = g_steal_pointer (&rows);
  return TRUE;
}

/**
 * cc_store_foreach_month_row:
 * @from: @to: as for cc_store_list_month_records()
 * @first_id: @last_id: the records of cc_store_list_month_records() from
 *   @first_id to @last_id (both included, in its order)
 *
 * Reads those records' rows in one statement, by record then seq, as
 * cc_store_foreach_event_row() reads one record's: the report's month
 * without a statement per record.
 */
gboolean
cc_store_foreach_month_row (CcStore       *store,
                            const char    *from,
                            const char    *to,
                            const char    *first_id,
                            const char    *last_id,
                            CcStoreRowFunc func,
                            gpointer       user_data,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && first_id != NULL && last_id != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare (store,
                  "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                  "FROM custody_event WHERE record_id IN\n"
                  "  (SELECT record_id FROM (" MONTH_RECORDS ") WHERE +record_id >= ?3 AND +record_id <= ?4)\n"
                  "ORDER BY record_id, seq",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  bind_text (stmt, 3, first_id);
  bind_text (stmt, 4, last_id);
  return step_rows (store, stmt, func, user_data, NC_ ("database task", "reading the month's events"), error);
}

/**
 * cc_store_save_record_summaries:
 * @policy: the policy digest to keep them under
 * @items: (array length=n_items): summaries of records found settled
 *
 * Keeps @items, in a transaction of its own unless one is open.  A
 * summary whose record has a row above its @checked_seq is not kept: that
 * row was written after the record was read, and may change it.
 *
 * Returns: %FALSE with @error set if the store could not be written
 */
gboolean
cc_store_save_record_summaries (CcStore                    *store,
                                const char                 *policy,
                                const CcStoreRecordSummary *items,
                                guint                       n_items,
                                GError                    **error)
{
  gboolean own = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);
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
      const CcStoreRecordSummary *item = &items[i];
      sqlite3_stmt               *stmt;

      g_return_val_if_fail (item->record_id != NULL, FALSE);

      stmt = prepare (store,
                      "INSERT INTO record_summary (record_id, policy, arrived_at, suite, monitored, settled_at,\n"
                      "    checked_seq, aa_seconds, healthcare_seen, healthcare_of, post_charge_seconds, breaches,\n"
                      "    closed_at)\n"
                      "  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 WHERE NOT EXISTS\n"
                      "    (SELECT 1 FROM custody_event WHERE record_id = ?1 AND seq > ?7)\n"
                      "  ON CONFLICT (record_id, policy) DO UPDATE SET arrived_at = excluded.arrived_at,\n"
                      "    suite = excluded.suite, monitored = excluded.monitored, settled_at = excluded.settled_at,\n"
                      "    checked_seq = excluded.checked_seq, aa_seconds = excluded.aa_seconds,\n"
                      "    healthcare_seen = excluded.healthcare_seen, healthcare_of = excluded.healthcare_of,\n"
                      "    post_charge_seconds = excluded.post_charge_seconds, breaches = excluded.breaches,\n"
                      "    closed_at = excluded.closed_at",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, policy, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, item->arrived_at);
      if (item->suite != NULL)
        sqlite3_bind_text (stmt, 4, item->suite, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, item->monitored ? 1 : 0);
      sqlite3_bind_int64 (stmt, 6, item->settled_at);
      sqlite3_bind_int64 (stmt, 7, item->checked_seq);
      if (item->has_aa)
        sqlite3_bind_int64 (stmt, 8, item->aa_seconds);
      sqlite3_bind_int64 (stmt, 9, item->healthcare_seen);
      sqlite3_bind_int64 (stmt, 10, item->healthcare_of);
      if (item->has_post_charge)
        sqlite3_bind_int64 (stmt, 11, item->post_charge_seconds);
      sqlite3_bind_int64 (stmt, 12, item->breaches);
      sqlite3_bind_int64 (stmt, 13, item->closed_at);
      if (!step_done (store, stmt, NC_ ("database task", "keeping a record summary"), error))
        goto fail;
      /* Figures only where the summary was kept; none given leaves any
       * kept (the same record's, as the guard and the triggers ensure). */
      if (item->figures == NULL || sqlite3_changes (store->db) == 0)
        continue;
      stmt = prepare (store,
                      "INSERT INTO record_figures (record_id, policy, figures) VALUES (?1, ?2, ?3)\n"
                      "  ON CONFLICT (record_id, policy) DO UPDATE SET figures = excluded.figures",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, policy, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, item->figures, -1, SQLITE_STATIC);
      if (!step_done (store, stmt, NC_ ("database task", "keeping a record's figures"), error))
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

/**
 * cc_store_get_first_arrival:
 * @out_at: (out): the earliest arrival time in the log, or
 *   %CC_INSTANT_NONE when it has none
 *
 * Where the log's months begin (cc_report_keep_summaries()): one search of
 * the arrivals' time index.
 */
gboolean
cc_store_get_first_arrival (CcStore   *store,
                            CcInstant *out_at,
                            GError   **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (out_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare (store, "SELECT min (occurred_at) FROM custody_event WHERE type = 'arrival'", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out_at = rc == SQLITE_ROW ? column_instant (stmt, 0) : CC_INSTANT_NONE;
  return step_end (store, stmt, rc, STEP_ROW, NC_ ("database task", "reading the first arrival"), error);
}
