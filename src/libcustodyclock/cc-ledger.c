/* cc-ledger.c: per-record event lists with corrections applied
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The custody log is append-only: a mistake is mended by a later event that
 * supersedes (or voids) the wrong one.  The ledger turns the rows into what
 * each record really says, and finds the rows that cannot count: a second
 * arrival, an event before its record's arrival, a correction that reaches
 * into another record.  It decides nothing about clocks; the engine does.
 *
 * The rules (custody-log.md "Corrections"), applied per record on every
 * change, so that the order in which rows arrive never matters:
 *  - an event that a correction of the same record targets does not count;
 *  - of several corrections of one event, only the latest (by seq) counts;
 *  - a void never counts itself;
 *  - a correction whose target has not been seen is pending: it does not
 *    count until the target arrives (and is then applied).  A ledger that
 *    holds only some records of the log (a board, a timeline) asks the
 *    store about such a target (cc_ledger_set_store()), so that a target
 *    in another record is the same problem as in the whole log;
 *  - the first remaining arrival (by seq) opens the record; other arrivals,
 *    and events earlier than it, are problems;
 *  - a record without an arrival is held: its events wait for it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-ledger.h"

typedef struct
{
  CcRecord   pub;
  GPtrArray *all;      /* (element-type CcEvent): every valid row, by seq */
  GPtrArray *problems; /* (element-type CcLedgerProblem): relational ones */
  GPtrArray *pending;  /* (element-type CcEvent) */
  gboolean   dirty;
} Record;

struct _CcLedger
{
  CcStore    *store; /* (nullable) (unowned): where unseen targets are looked up */
  CcInstant   store_now;
  GHashTable *records;      /* record_id → Record */
  GHashTable *events_by_id; /* the set of events (borrowed), by event_id */
  GHashTable *waiting;      /* event_id of a pending target → record_id */
  GPtrArray  *bad_rows;     /* (element-type CcLedgerProblem) */
  gint64      last_seq;
  guint       n_events;
};

void
cc_ledger_problem_free (CcLedgerProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->event_id);
  g_free (problem->record_id);
  g_free (problem->reason);
  g_free (problem);
}

static CcLedgerProblem *
problem_new (gint64      seq,
             const char *event_id,
             const char *record_id,
             int         code,
             char       *reason /* (transfer full) */)
{
  CcLedgerProblem *problem = g_new0 (CcLedgerProblem, 1);

  problem->seq = seq;
  problem->event_id = g_strdup (event_id);
  problem->record_id = g_strdup (record_id);
  problem->code = code;
  problem->reason = reason;
  return problem;
}

static void
record_free (Record *record)
{
  g_free (record->pub.record_id);
  g_clear_pointer (&record->pub.arrival, cc_event_unref);
  g_clear_pointer (&record->pub.events, g_ptr_array_unref);
  g_clear_pointer (&record->all, g_ptr_array_unref);
  g_clear_pointer (&record->problems, g_ptr_array_unref);
  g_clear_pointer (&record->pending, g_ptr_array_unref);
  g_free (record);
}

/* The ledger keeps its events in a set hashed by event_id: a set stores one
 * pointer per slot, a map two (this table has an entry per event). */
static guint
event_id_hash (gconstpointer event)
{
  return g_str_hash (((const CcEvent *) event)->event_id);
}

static gboolean
event_id_equal (gconstpointer a,
                gconstpointer b)
{
  return g_str_equal (((const CcEvent *) a)->event_id, ((const CcEvent *) b)->event_id);
}

static CcEvent *
lookup_event (CcLedger   *ledger,
              const char *event_id)
{
  CcEvent probe = { .event_id = (char *) event_id };

  return g_hash_table_lookup (ledger->events_by_id, &probe);
}

CcLedger *
cc_ledger_new (void)
{
  CcLedger *ledger = g_new0 (CcLedger, 1);

  ledger->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) record_free);
  ledger->events_by_id = g_hash_table_new (event_id_hash, event_id_equal);
  ledger->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ledger->bad_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_ledger_problem_free);
  return ledger;
}

void
cc_ledger_free (CcLedger *ledger)
{
  if (ledger == NULL)
    return;
  g_hash_table_unref (ledger->events_by_id);
  g_hash_table_unref (ledger->waiting);
  g_hash_table_unref (ledger->records);
  g_ptr_array_unref (ledger->bad_rows);
  g_free (ledger);
}

/**
 * cc_ledger_set_store:
 * @store: (nullable) (transfer none): the custody log the ledger reads a
 *   few records of, or %NULL for a ledger that judges only what it holds
 * @now: the machine's time the ledger reads at (as given to the loads)
 *
 * For a ledger that holds some records of a log, not all of it (a board's
 * candidates, a timeline): a correction whose target the ledger has not
 * seen is looked up in @store and classified as the whole log would
 * classify it: a problem when the target is a valid event of another
 * record, pending otherwise.  Without a store such a correction is pending
 * (the ledger stays pure: tests build ledgers from events alone).  @store
 * must outlive the ledger or be unset.
 */
void
cc_ledger_set_store (CcLedger *ledger,
                     CcStore  *store,
                     CcInstant now)
{
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (ledger != NULL);

  ledger->store = store;
  ledger->store_now = now;
  /* What was pending may now be found elsewhere. */
  g_hash_table_iter_init (&iter, ledger->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Record *) value)->pending->len > 0)
      ((Record *) value)->dirty = TRUE;
}

static Record *
ensure_record (CcLedger   *ledger,
               const char *record_id)
{
  Record *record = g_hash_table_lookup (ledger->records, record_id);

  if (record == NULL)
    {
      record = g_new0 (Record, 1);
      record->pub.record_id = g_strdup (record_id);
      record->pub.events = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_event_unref);
      record->all = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_event_unref);
      record->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_ledger_problem_free);
      record->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_event_unref);
      g_hash_table_insert (ledger->records, record->pub.record_id, record);
    }
  return record;
}

/**
 * cc_ledger_add_event:
 * @ledger: a #CcLedger
 * @event: (transfer none): a valid event (cc_event_new_from_row())
 *
 * Adds one event.  A second event with an event_id already seen is ignored
 * (the table's UNIQUE constraint makes that impossible for stored rows).
 */
void
cc_ledger_add_event (CcLedger *ledger,
                     CcEvent  *event)
{
  Record     *record;
  const char *waiting_record;

  if (g_hash_table_contains (ledger->events_by_id, event))
    return;

  record = ensure_record (ledger, event->record_id);
  g_ptr_array_add (record->all, cc_event_ref (event));
  g_hash_table_add (ledger->events_by_id, event);
  record->dirty = TRUE;
  ledger->last_seq = MAX (ledger->last_seq, event->seq);
  ledger->n_events++;

  /* A correction elsewhere may have been waiting for this event. */
  waiting_record = g_hash_table_lookup (ledger->waiting, event->event_id);
  if (waiting_record != NULL)
    {
      Record *other = g_hash_table_lookup (ledger->records, waiting_record);
      if (other != NULL)
        other->dirty = TRUE;
      g_hash_table_remove (ledger->waiting, event->event_id);
    }
}

/**
 * cc_ledger_add_bad_row:
 * @problem: why the row could not be read as an event
 *
 * Remembers a row that failed validation, so that it is reported.
 */
void
cc_ledger_add_bad_row (CcLedger     *ledger,
                       gint64        seq,
                       const char   *event_id,
                       const char   *record_id,
                       const GError *problem)
{
  g_ptr_array_add (ledger->bad_rows,
                   problem_new (seq, event_id, record_id, problem->code, g_strdup (problem->message)));
  ledger->last_seq = MAX (ledger->last_seq, seq);
}

/* Rows in the order they were written. */
static int
compare_seqs (gint64 a,
              gint64 b)
{
  return a < b ? -1 : (a > b ? 1 : 0);
}

static int
compare_by_time (gconstpointer a,
                 gconstpointer b)
{
  const CcEvent *ea = *(const CcEvent *const *) a;
  const CcEvent *eb = *(const CcEvent *const *) b;

  if (ea->occurred_at != eb->occurred_at)
    return ea->occurred_at < eb->occurred_at ? -1 : 1;
  return compare_seqs (ea->seq, eb->seq);
}

static int
compare_by_seq (gconstpointer a,
                gconstpointer b)
{
  const CcEvent *ea = *(const CcEvent *const *) a;
  const CcEvent *eb = *(const CcEvent *const *) b;

  return compare_seqs (ea->seq, eb->seq);
}

static CcLedgerProblem *
cross_record_problem (const CcEvent *event,
                      const char    *target_record_id)
{
  return problem_new (event->seq, event->event_id, event->record_id, CC_EVENT_ERROR_CROSS_RECORD,
                      /* Translators: the event replaces (supersedes) the event
                       * whose event_id is %1$s; %2$s and %3$s are custody record
                       * numbers, such as "CR-2026-000123" */
                      g_strdup_printf (_ ("supersedes %1$s, which belongs to record %2$s, "
                                          "not %3$s: key the correction on the right record"),
                                       event->supersedes, target_record_id, event->record_id));
}

static CcEvent *row_to_event (const CcStoreRow *row,
                              CcInstant         now,
                              GError          **error);

typedef struct
{
  CcInstant now;
  char     *record_id; /* of the target, when it is a valid event */
} ForeignTarget;

static gboolean
foreign_target_row (const CcStoreRow *row,
                    gpointer          user_data,
                    GError          **error)
{
  ForeignTarget *found = user_data;
  g_autoptr (CcEvent) event = row_to_event (row, found->now, NULL);

  if (event != NULL)
    found->record_id = g_strdup (event->record_id);
  return TRUE;
}

/* A correction's target that the ledger has not seen: with a store set
 * (cc_ledger_set_store()), the row is looked up there and judged as the
 * whole log would judge it (a valid event, not ahead of the clock), so that
 * a ledger of some records classifies a correction reaching into another
 * record exactly as a ledger of the whole log does.  Returns the target's
 * record, or %NULL when the whole log would not have it either (no such
 * row, or a row that is not a valid event): pending. */
static char *
lookup_foreign_target (CcLedger   *ledger,
                       const char *event_id)
{
  g_autoptr (GError) error = NULL;
  ForeignTarget found = { ledger->store_now, NULL };

  if (ledger->store == NULL)
    return NULL;
  if (!cc_store_foreach_event_row_with_id (ledger->store, event_id, foreign_target_row, &found, &error))
    {
      /* Pending, as before the lookup: the record is not settled (n_pending)
       * and is read again next time. */
      g_warning ("%s: %s", cc_store_get_path (ledger->store), error->message);
      g_clear_pointer (&found.record_id, g_free);
    }
  return found.record_id;
}

static void
recompute (CcLedger *ledger,
           Record   *record)
{
  g_autoptr (GHashTable) latest_correction = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) excluded = g_hash_table_new (NULL, NULL);
  CcEvent *arrival = NULL;

  g_ptr_array_set_size (record->pub.events, 0);
  g_ptr_array_set_size (record->problems, 0);
  g_ptr_array_set_size (record->pending, 0);
  g_clear_pointer (&record->pub.arrival, cc_event_unref);
  record->pub.n_corrections = 0;
  record->pub.n_voids = 0;
  record->pub.n_held = 0;

  /* Rows can reach the ledger in any order; the rules read them by seq. */
  g_ptr_array_sort (record->all, compare_by_seq);

  /* Corrections first: which targets are replaced, and by which row. */
  for (guint i = 0; i < record->all->len; i++)
    {
      CcEvent *event = g_ptr_array_index (record->all, i);
      CcEvent *target;

      if (event->type == CC_EVENT_VOID)
        {
          record->pub.n_voids++;
          g_hash_table_add (excluded, event);
        }
      if (event->supersedes == NULL)
        continue;

      record->pub.n_corrections++;
      target = lookup_event (ledger, event->supersedes);
      if (target == NULL)
        {
          g_autofree char *elsewhere = lookup_foreign_target (ledger, event->supersedes);

          if (elsewhere != NULL && !g_str_equal (elsewhere, event->record_id))
            {
              g_ptr_array_add (record->problems, cross_record_problem (event, elsewhere));
              g_hash_table_add (excluded, event);
              continue;
            }
          /* Not in the log, not a valid event, or (a row committed after
           * this record was read) of this record: waits, as in the whole
           * log. */
          g_ptr_array_add (record->pending, cc_event_ref (event));
          g_hash_table_replace (ledger->waiting, g_strdup (event->supersedes),
                                g_strdup (record->pub.record_id));
          g_hash_table_add (excluded, event);
          continue;
        }
      if (g_strcmp0 (target->record_id, event->record_id) != 0)
        {
          g_ptr_array_add (record->problems, cross_record_problem (event, target->record_id));
          g_hash_table_add (excluded, event);
          continue;
        }

      /* Rows are in seq order, so the last one seen is the latest. */
      {
        CcEvent *previous = g_hash_table_lookup (latest_correction, target->event_id);
        if (previous != NULL)
          g_hash_table_add (excluded, previous);
        g_hash_table_insert (latest_correction, target->event_id, event);
        g_hash_table_add (excluded, target);
      }
    }
  record->pub.n_pending = record->pending->len;

  /* The arrival: the first remaining one by seq. */
  for (guint i = 0; i < record->all->len; i++)
    {
      CcEvent *event = g_ptr_array_index (record->all, i);

      if (event->type != CC_EVENT_ARRIVAL || g_hash_table_contains (excluded, event))
        continue;
      if (arrival == NULL)
        {
          arrival = event;
          continue;
        }
      g_ptr_array_add (record->problems,
                       problem_new (event->seq, event->event_id, event->record_id,
                                    CC_EVENT_ERROR_SECOND_ARRIVAL,
                                    /* Translators: %1$s is a custody record number, such as
                                     * "CR-2026-000123"; %2$s is the event_id of its arrival */
                                    g_strdup_printf (_ ("record %1$s already has an arrival (%2$s); "
                                                        "to change it, supersede that event"),
                                                     event->record_id, arrival->event_id)));
      g_hash_table_add (excluded, event);
    }

  if (arrival != NULL)
    {
      record->pub.arrival = cc_event_ref (arrival);
      for (guint i = 0; i < record->all->len; i++)
        {
          CcEvent *event = g_ptr_array_index (record->all, i);

          if (g_hash_table_contains (excluded, event))
            continue;
          if (event->occurred_at < arrival->occurred_at)
            {
              g_autofree char *when = cc_time_format_utc (event->occurred_at);
              g_autofree char *arrived = cc_time_format_utc (arrival->occurred_at);
              g_ptr_array_add (record->problems,
                               problem_new (event->seq, event->event_id, event->record_id,
                                            CC_EVENT_ERROR_BEFORE_ARRIVAL,
                                            /* Translators: %1$s is an event type such as
                                             * "cell_visit", kept in English; %2$s and %4$s are
                                             * UTC times; %3$s is a custody record number, such
                                             * as "CR-2026-000123" */
                                            g_strdup_printf (_ ("%1$s at %2$s is before record %3$s's arrival at %4$s: "
                                                                "check the time, or correct the arrival"),
                                                             cc_event_type_to_string (event->type), when,
                                                             event->record_id, arrived)));
              continue;
            }
          g_ptr_array_add (record->pub.events, cc_event_ref (event));
        }
      g_ptr_array_sort (record->pub.events, compare_by_time);
    }
  else
    {
      /* What waits for the arrival: voided events and the voids do not. */
      for (guint i = 0; i < record->all->len; i++)
        if (!g_hash_table_contains (excluded, g_ptr_array_index (record->all, i)))
          record->pub.n_held++;
    }

  record->dirty = FALSE;
}

static Record *
get_clean_record (CcLedger   *ledger,
                  const char *record_id)
{
  Record *record = g_hash_table_lookup (ledger->records, record_id);

  if (record != NULL && record->dirty)
    recompute (ledger, record);
  return record;
}

/**
 * cc_ledger_get_record:
 *
 * Returns: (transfer none) (nullable): the record as its events now stand
 */
const CcRecord *
cc_ledger_get_record (CcLedger   *ledger,
                      const char *record_id)
{
  Record *record = get_clean_record (ledger, record_id);

  return record != NULL ? &record->pub : NULL;
}

/**
 * cc_ledger_get_history:
 * @record_id: a custody record number
 *
 * Every valid row of the record, in seq order, including those that do
 * not count (superseded, voided, voids, pending corrections, a second
 * arrival…): the timeline shows them marked, so that the sergeant sees
 * what was corrected and by which event.
 *
 * Returns: (transfer container) (element-type CcEvent) (nullable): the
 *   rows, or %NULL when the ledger has no such record
 */
GPtrArray *
cc_ledger_get_history (CcLedger   *ledger,
                       const char *record_id)
{
  Record    *record;
  GPtrArray *history;

  g_return_val_if_fail (ledger != NULL, NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  record = get_clean_record (ledger, record_id);
  if (record == NULL)
    return NULL;
  history = g_ptr_array_new_full (record->all->len, (GDestroyNotify) cc_event_unref);
  for (guint i = 0; i < record->all->len; i++)
    g_ptr_array_add (history, cc_event_ref (g_ptr_array_index (record->all, i)));
  return history;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * cc_ledger_get_record_ids:
 *
 * Returns: (transfer container) (element-type utf8): every record id seen,
 *   sorted; the strings belong to the ledger
 */
GPtrArray *
cc_ledger_get_record_ids (CcLedger *ledger)
{
  GPtrArray     *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, ledger->records);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_sort (ids, compare_strings);
  return ids;
}

guint
cc_ledger_get_n_records (CcLedger *ledger)
{
  return g_hash_table_size (ledger->records);
}

guint
cc_ledger_get_n_events (CcLedger *ledger)
{
  return ledger->n_events;
}

gint64
cc_ledger_get_last_seq (CcLedger *ledger)
{
  return ledger->last_seq;
}

/**
 * cc_ledger_get_record_last_seq:
 * @record_id: a record the ledger has read
 *
 * The highest row of @record_id the ledger has read, valid or not: what a
 * settle names (cc_store_settle()), so that a row written since wins.
 *
 * Returns: the seq, or 0 if the ledger has no row of @record_id
 */
gint64
cc_ledger_get_record_last_seq (CcLedger   *ledger,
                               const char *record_id)
{
  Record *record;
  gint64  last = 0;

  g_return_val_if_fail (ledger != NULL, 0);
  g_return_val_if_fail (record_id != NULL, 0);

  record = g_hash_table_lookup (ledger->records, record_id);
  if (record != NULL)
    for (guint i = 0; i < record->all->len; i++)
      last = MAX (last, ((CcEvent *) g_ptr_array_index (record->all, i))->seq);
  for (guint i = 0; i < ledger->bad_rows->len; i++)
    {
      CcLedgerProblem *problem = g_ptr_array_index (ledger->bad_rows, i);
      if (g_strcmp0 (problem->record_id, record_id) == 0)
        last = MAX (last, problem->seq);
    }
  return last;
}

/**
 * cc_ledger_record_waits_on_clock:
 * @record_id: a record the ledger has read
 * @now: the instant the ledger was read at
 *
 * Whether @record_id has a row that will count later without any new row:
 * an event after @now, or a row refused as ahead of the machine's clock
 * (CC_EVENT_ERROR_FUTURE), which is read again when the clock catches up.
 * Such a record is not settled, whatever it says now.
 */
gboolean
cc_ledger_record_waits_on_clock (CcLedger   *ledger,
                                 const char *record_id,
                                 CcInstant   now)
{
  Record *record;

  g_return_val_if_fail (ledger != NULL, TRUE);
  g_return_val_if_fail (record_id != NULL, TRUE);

  record = g_hash_table_lookup (ledger->records, record_id);
  if (record != NULL)
    for (guint i = 0; i < record->all->len; i++)
      if (((CcEvent *) g_ptr_array_index (record->all, i))->occurred_at > now)
        return TRUE;
  for (guint i = 0; i < ledger->bad_rows->len; i++)
    {
      CcLedgerProblem *problem = g_ptr_array_index (ledger->bad_rows, i);
      if (problem->code == CC_EVENT_ERROR_FUTURE && g_strcmp0 (problem->record_id, record_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const CcLedgerProblem *pa = *(const CcLedgerProblem *const *) a;
  const CcLedgerProblem *pb = *(const CcLedgerProblem *const *) b;

  return compare_seqs (pa->seq, pb->seq);
}

static CcLedgerProblem *
problem_copy (const CcLedgerProblem *problem)
{
  return problem_new (problem->seq, problem->event_id, problem->record_id,
                      problem->code, g_strdup (problem->reason));
}

/**
 * cc_ledger_get_problems:
 *
 * Every row that does not count, and why, in seq order: rows that are not
 * valid events, and valid events that break a rule between events.
 *
 * Returns: (transfer full) (element-type CcLedgerProblem): the problems
 */
GPtrArray *
cc_ledger_get_problems (CcLedger *ledger)
{
  GPtrArray     *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_ledger_problem_free);
  GHashTableIter iter;
  gpointer       value;

  for (guint i = 0; i < ledger->bad_rows->len; i++)
    g_ptr_array_add (problems, problem_copy (g_ptr_array_index (ledger->bad_rows, i)));

  g_hash_table_iter_init (&iter, ledger->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Record *record = get_clean_record (ledger, ((Record *) value)->pub.record_id);
      for (guint i = 0; i < record->problems->len; i++)
        g_ptr_array_add (problems, problem_copy (g_ptr_array_index (record->problems, i)));
    }
  g_ptr_array_sort (problems, compare_problems);
  return problems;
}

/**
 * cc_ledger_get_pending:
 *
 * Corrections still waiting for the event they name.
 *
 * Returns: (transfer full) (element-type CcEvent): the corrections, by seq
 */
GPtrArray *
cc_ledger_get_pending (CcLedger *ledger)
{
  GPtrArray     *pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_event_unref);
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, ledger->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Record *record = get_clean_record (ledger, ((Record *) value)->pub.record_id);
      for (guint i = 0; i < record->pending->len; i++)
        g_ptr_array_add (pending, cc_event_ref (g_ptr_array_index (record->pending, i)));
    }
  g_ptr_array_sort (pending, compare_by_time);
  return pending;
}

/* One row as the ledger reads it: a valid event, or %NULL with the reason
 * (a row that is not a valid event, or one ahead of the machine's clock). */
static CcEvent *
row_to_event (const CcStoreRow *row,
              CcInstant         now,
              GError          **error)
{
  g_autoptr (CcEvent) event = NULL;

  event = cc_event_new_from_row (row->seq, row->event_id, row->record_id, row->type,
                                 row->occurred_at, row->recorded_at, row->officer,
                                 row->data, row->supersedes, error);
  if (event != NULL && event->occurred_at > now + CC_EVENT_MAX_FUTURE)
    {
      g_autofree char *when = cc_time_format_utc (event->occurred_at);
      gint64           minutes = (event->occurred_at - now) / CC_MINUTE;

      g_set_error (error, CC_EVENT_ERROR, CC_EVENT_ERROR_FUTURE,
                   /* Translators: occurred_at is a field name, kept in English;
                    * %1$s is its value (a UTC time); %2$lld is a number of
                    * minutes ("min" is short for minutes) */
                   g_dngettext (GETTEXT_PACKAGE, "occurred_at %1$s is %2$lld min ahead of this machine's clock: "
                                                 "check the writer's clock",
                                "occurred_at %1$s is %2$lld min ahead of this machine's clock: "
                                "check the writer's clock",
                                (gulong) minutes),
                   when, (long long) minutes);
      return NULL;
    }
  return g_steal_pointer (&event);
}

typedef struct
{
  CcLedger *ledger;
  CcInstant now;
} LoadData;

static gboolean
load_row (const CcStoreRow *row,
          gpointer          user_data,
          GError          **error)
{
  LoadData *load = user_data;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CcEvent) event = row_to_event (row, load->now, &local_error);

  if (event == NULL)
    cc_ledger_add_bad_row (load->ledger, row->seq, row->event_id, row->record_id, local_error);
  else
    cc_ledger_add_event (load->ledger, event);
  return TRUE;
}

/**
 * cc_ledger_load:
 * @ledger: a #CcLedger
 * @store: the custody log
 * @now: the machine's time, to refuse events from a writer whose clock is
 *   ahead
 * @error: return location for a #GError
 *
 * Reads the rows the ledger has not seen yet (seq above the last one).  Rows
 * that are not valid events are kept as problems; reading goes on.
 */
gboolean
cc_ledger_load (CcLedger *ledger,
                CcStore  *store,
                CcInstant now,
                GError  **error)
{
  LoadData load = { ledger, now };

  return cc_store_foreach_event_row (store, ledger->last_seq, NULL, load_row, &load, error);
}

typedef struct
{
  LoadData    load;
  GHashTable *unknown; /* record ids not held: to be read whole */
  gint64      last_seq;
} SinceData;

static gboolean
load_row_if_held (const CcStoreRow *row,
                  gpointer          user_data,
                  GError          **error)
{
  SinceData *since = user_data;

  since->last_seq = MAX (since->last_seq, row->seq);
  if (row->record_id == NULL || !g_hash_table_contains (since->load.ledger->records, row->record_id))
    {
      /* Read whole later, this row with the rest of its record. */
      if (row->record_id != NULL)
        g_hash_table_add (since->unknown, g_strdup (row->record_id));
      else
        {
          g_autoptr (GError) problem = g_error_new_literal (CC_EVENT_ERROR, CC_EVENT_ERROR_MISSING_FIELD,
                                                            /* Translators: record_id is a field name and
                                                             * NULL the SQL value: keep them in English */
                                                            _ ("record_id is NULL: the row belongs to no record"));
          cc_ledger_add_bad_row (since->load.ledger, row->seq, row->event_id, NULL, problem);
        }
      return TRUE;
    }
  return load_row (row, &since->load, error);
}

/**
 * cc_ledger_load_held:
 * @after_seq: read rows above this seq
 * @unknown: (element-type utf8): where the ids of records the ledger does
 *   not hold are added (once each, owned strings); their rows are not read
 * @out_last_seq: (out): the highest seq seen, or @after_seq
 *
 * For a reader that holds only some records (the agent's working set):
 * new rows of held records are added; records not held are named, to be
 * read whole with cc_ledger_load_record(), because a row alone cannot be
 * judged without its record.
 */
gboolean
cc_ledger_load_held (CcLedger  *ledger,
                     CcStore   *store,
                     gint64     after_seq,
                     CcInstant  now,
                     GPtrArray *unknown,
                     gint64    *out_last_seq,
                     GError   **error)
{
  g_autoptr (GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  SinceData      since = { { ledger, now }, set, after_seq };
  GHashTableIter iter;
  gpointer       key;

  if (!cc_store_foreach_event_row (store, after_seq, NULL, load_row_if_held, &since, error))
    return FALSE;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (unknown, key);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (unknown, compare_strings);
  *out_last_seq = since.last_seq;
  return TRUE;
}

/**
 * cc_ledger_remove_record:
 *
 * Lets a settled record go (the agent's working set); reading it again
 * with cc_ledger_load_record() brings it back as it was.
 */
void
cc_ledger_remove_record (CcLedger   *ledger,
                         const char *record_id)
{
  Record        *record = g_hash_table_lookup (ledger->records, record_id);
  GHashTableIter iter;
  gpointer       value;

  if (record == NULL)
    return;
  for (guint i = 0; i < record->all->len; i++)
    g_hash_table_remove (ledger->events_by_id, g_ptr_array_index (record->all, i));
  ledger->n_events -= record->all->len;
  g_hash_table_iter_init (&iter, ledger->waiting);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (value, record_id))
      g_hash_table_iter_remove (&iter);
  for (guint i = ledger->bad_rows->len; i > 0; i--)
    {
      CcLedgerProblem *problem = g_ptr_array_index (ledger->bad_rows, i - 1);
      if (g_strcmp0 (problem->record_id, record_id) == 0)
        g_ptr_array_remove_index (ledger->bad_rows, i - 1);
    }
  g_hash_table_remove (ledger->records, record_id);
}

/**
 * cc_ledger_load_record:
 * @record_id: the one record to read
 *
 * Reads one record's rows only, for a timeline.  Its events come out as
 * they would from the whole log: a correction can only act within its own
 * record, so rows of other records change nothing here.
 */
gboolean
cc_ledger_load_record (CcLedger   *ledger,
                       CcStore    *store,
                       const char *record_id,
                       CcInstant   now,
                       GError    **error)
{
  LoadData load = { ledger, now };

  return cc_store_foreach_event_row (store, 0, record_id, load_row, &load, error);
}

/**
 * cc_ledger_quarantine_problems:
 * @out_problems: (out) (optional): how many rows cannot count
 * @out_new: (out) (optional): how many of them the quarantine had not got
 *
 * Keeps every row that cannot count in the quarantine table, beside
 * rejected input lines, once each (by seq), so that doctor and the report
 * count them.
 */
gboolean
cc_ledger_quarantine_problems (CcLedger *ledger,
                               CcStore  *store,
                               CcInstant now,
                               guint    *out_problems,
                               guint    *out_new,
                               GError  **error)
{
  g_autoptr (GPtrArray) problems = cc_ledger_get_problems (ledger);
  guint added = 0;

  for (guint i = 0; i < problems->len; i++)
    {
      CcLedgerProblem  *problem = g_ptr_array_index (problems, i);
      CcQuarantineEntry entry = {
        .origin = (char *) "custody_event",
        .seq = problem->seq,
        .event_id = problem->event_id,
        .record_id = problem->record_id,
        .reason_code = (char *) cc_event_error_code_name (problem->code),
        .reason = problem->reason,
        .quarantined_at = now,
        .resolved_at = CC_INSTANT_NONE,
      };
      gboolean inserted = FALSE;

      if (!cc_store_add_quarantine (store, &entry, &inserted, error))
        return FALSE;
      added += inserted;
    }
  if (out_problems != NULL)
    *out_problems = problems->len;
  if (out_new != NULL)
    *out_new = added;
  return TRUE;
}

/**
 * cc_ledger_get_record_last_time:
 * @record_id: a record the ledger has read
 *
 * The latest occurred_at of @record_id's rows the ledger has read, the
 * corrections and voided events included: from that instant on, nothing
 * of the record waits for the clock (the report's summaries hold from it).
 *
 * Returns: the instant, or %CC_INSTANT_NONE if the ledger has no event of
 *   @record_id
 */
CcInstant
cc_ledger_get_record_last_time (CcLedger   *ledger,
                                const char *record_id)
{
  Record   *record;
  CcInstant last = CC_INSTANT_NONE;

  g_return_val_if_fail (ledger != NULL, CC_INSTANT_NONE);
  g_return_val_if_fail (record_id != NULL, CC_INSTANT_NONE);

  record = g_hash_table_lookup (ledger->records, record_id);
  if (record != NULL)
    for (guint i = 0; i < record->all->len; i++)
      {
        CcInstant t = ((CcEvent *) g_ptr_array_index (record->all, i))->occurred_at;

        if (last == CC_INSTANT_NONE || t > last)
          last = t;
      }
  return last;
}

/**
 * cc_ledger_add_row:
 * @row: a custody_event row as stored (cc_store_foreach_month_row())
 * @now: the machine's time, as for cc_ledger_load()
 *
 * Reads one row into @ledger exactly as cc_ledger_load_record() reads
 * each of its rows, for a caller that reads many records in one
 * statement and cuts them into records itself (the report).
 */
void
cc_ledger_add_row (CcLedger         *ledger,
                   const CcStoreRow *row,
                   CcInstant         now)
{
  LoadData load = { ledger, now };

  g_return_if_fail (ledger != NULL);
  g_return_if_fail (row != NULL);

  load_row (row, &load, NULL);
}
