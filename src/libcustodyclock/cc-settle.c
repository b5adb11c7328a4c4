/* cc-settle.c: finding records settled, so that readers can pass them by
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A custody log only grows, and almost all of it is settled: records whose
 * child left long ago and that no row will change unless someone writes a
 * late one.  The store keeps which records may still change
 * (record_unsettled, filled by a trigger on every row written, schema
 * step 10) and the stay of each settled one (record_stay), so that the
 * board reads what may be open at its instant and nothing else
 * (HACKING.md "Reads cost what they show").
 *
 * Decisions:
 *  - The engine judges, never SQL: a record is settled when its evaluation
 *    at the machine's time says it is closed, it has its arrival, no
 *    correction waits for a target, and nothing of it can count later
 *    without a new row (an event after now, or a row refused as ahead of
 *    the clock).  Closing and arrival need no policy setting, so any
 *    reader with any policy may settle, and a changed policy never
 *    unsettles.
 *  - Settling is judged at the machine's time, never at a board's --at:
 *    a board of last June settles what is settled today.
 *  - A settle names the highest row it read of each record; a row
 *    committed since wins (cc_store_settle()).  A settle that cannot be
 *    written (a read-only file, a lock held past the busy timeout) changes
 *    nothing a reader shows: the record is simply evaluated again next
 *    time.
 */
#include "config.h"

#include "cc-settle.h"

/**
 * cc_settle_judge:
 * @ledger: the ledger that read the record (at @now)
 * @record: the record
 * @evaluation: the engine's evaluation of @record at @now
 * @now: the machine's time
 *
 * Whether nothing but a new row can change what @record says: it arrived,
 * was closed by @now, no correction of it waits for its target and no row
 * of it counts only later.
 *
 * Returns: %TRUE if @record is settled
 */
gboolean
cc_settle_judge (CcLedger           *ledger,
                 const CcRecord     *record,
                 const CcEvaluation *evaluation,
                 CcInstant           now)
{
  g_return_val_if_fail (ledger != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (evaluation != NULL, FALSE);
  g_return_val_if_fail (evaluation->at == now, FALSE);

  if (record->arrival == NULL || record->n_pending > 0)
    return FALSE;
  if (evaluation->closed_at == CC_INSTANT_NONE || evaluation->closed_at > now)
    return FALSE;
  return !cc_ledger_record_waits_on_clock (ledger, record->record_id, now);
}

/* Whether any of @record's events (corrections applied) closes it: the
 * engine's close is the first of them, so without one the record is open
 * whatever its evaluation says, and is not evaluated at all.  That matters:
 * a record left open for years (a test log, a record never closed by
 * mistake) costs its evaluation in proportion to how long it has been
 * open, and every board would pay it at the machine's time. */
static gboolean
has_closing_event (const CcRecord *record)
{
  for (guint i = 0; i < record->events->len; i++)
    if (cc_event_type_closes_record (((const CcEvent *) g_ptr_array_index (record->events, i))->type))
      return TRUE;
  return FALSE;
}

/**
 * cc_settle_records:
 * @store: the custody log the ledger was read from
 * @ledger: records read at @now
 * @policy: any policy (settling does not depend on it)
 * @record_ids: (element-type utf8) (nullable): the records to judge, or
 *   %NULL for every record of @ledger
 * @now: the machine's time the ledger was read at
 * @flags: who settles (cc_store_settle())
 * @out_settled: (out) (optional): how many were found settled
 *
 * Evaluates each record at @now and writes the settled ones' stays.
 *
 * Returns: %FALSE with @error set if the store could not be written
 */
gboolean
cc_settle_records (CcStore           *store,
                   CcLedger          *ledger,
                   CcPolicy          *policy,
                   GPtrArray         *record_ids,
                   CcInstant          now,
                   CcStoreSettleFlags flags,
                   guint             *out_settled,
                   GError           **error)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (CcStoreSettled));

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (ledger != NULL, FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (now != CC_INSTANT_NONE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (record_ids == NULL)
    record_ids = all = cc_ledger_get_record_ids (ledger);

  for (guint i = 0; i < record_ids->len; i++)
    {
      const char     *id = g_ptr_array_index (record_ids, i);
      const CcRecord *record = cc_ledger_get_record (ledger, id);
      g_autoptr (CcEvaluation) ev = NULL;
      CcStoreSettled item;

      if (record == NULL || record->arrival == NULL || !has_closing_event (record))
        continue;
      ev = cc_engine_evaluate (record, policy, now);
      if (!cc_settle_judge (ledger, record, ev, now))
        continue;
      item.record_id = record->record_id;
      item.seq = cc_ledger_get_record_last_seq (ledger, id);
      item.arrived_at = ev->arrived_at;
      item.closed_at = ev->closed_at;
      g_array_append_val (items, item);
    }

  if (!cc_store_settle (store, (const CcStoreSettled *) (gpointer) items->data, items->len, flags, error))
    return FALSE;
  if (out_settled != NULL)
    *out_settled = items->len;
  return TRUE;
}

/**
 * cc_settle_backlog:
 * @store: the custody log
 * @policy: any policy
 * @now: the machine's time
 * @out_read: (out) (optional): how many unsettled records were read
 * @out_settled: (out) (optional): how many of them were found settled
 *
 * Reads every record no reader has found settled, %CC_SETTLE_BATCH at a
 * time (a ledger a batch, freed before the next: the peak memory is one
 * batch), and settles those that are.  After a migration this is every
 * record of the log, once; afterwards it is the records changed since the
 * last reader.  A batch that cannot be written is left unsettled and the
 * pass stops there without an error (the rest would wait for the same lock
 * or fail on the same read-only file); only a failure to read is an
 * error.
 *
 * Returns: %FALSE with @error set if the log could not be read
 */
gboolean
cc_settle_backlog (CcStore  *store,
                   CcPolicy *policy,
                   CcInstant now,
                   guint    *out_read,
                   guint    *out_settled,
                   GError  **error)
{
  g_autofree char *after = NULL;
  guint            n_read = 0, n_settled = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (now != CC_INSTANT_NONE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (;;)
    {
      g_autoptr (GPtrArray) ids = NULL;
      g_autoptr (CcLedger) ledger = cc_ledger_new ();
      g_autoptr (GError) write_error = NULL;
      guint settled = 0;

      if (!cc_store_list_unsettled (store, after, CC_SETTLE_BATCH, TRUE, &ids, error))
        return FALSE;
      if (ids->len == 0)
        break;
      /* A correction reaching into another record is a problem, as in the
       * whole log, not a correction waiting (which would never settle). */
      cc_ledger_set_store (ledger, store, now);
      for (guint i = 0; i < ids->len; i++)
        if (!cc_ledger_load_record (ledger, store, g_ptr_array_index (ids, i), now, error))
          return FALSE;
      n_read += ids->len;
      if (!cc_settle_records (store, ledger, policy, ids, now, CC_STORE_SETTLE_BOARD, &settled, &write_error))
        {
          /* A read-only file, or a lock held past the busy timeout: the
           * next batches would fail the same way, each after its wait.
           * The caller reads what is left as unsettled (the board: its
           * candidates), which is right, only slower. */
          g_debug ("%s: the settled records were not recorded: %s", cc_store_get_path (store), write_error->message);
          break;
        }
      n_settled += settled;
      g_free (after);
      after = g_strdup (g_ptr_array_index (ids, ids->len - 1));
      if (ids->len < CC_SETTLE_BATCH)
        break;
    }

  if (out_read != NULL)
    *out_read = n_read;
  if (out_settled != NULL)
    *out_settled = n_settled;
  return TRUE;
}
