/* cc-escalator.c: from breaches to escalation records that climb the ranks
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure, like the engine: the evaluations of the records at `now`, the
 * escalation records already written and the policy go in; what to write,
 * what to resolve, and when the next climb falls due come out.  The agent
 * carries the plan out (and the table's UNIQUE constraint keeps several
 * agents from writing a record twice).
 *
 * clocks.md "Warnings and escalation":
 *  - every breach gets one record at its first escalation level;
 *  - unacknowledged for ack_timeout, a record one rung up, and so on up the
 *    ladder; an acknowledgement stops the climb;
 *  - the satisfying event resolves the records ("satisfied"); a record that
 *    closes with the breach standing resolves them "closed"; a breach the
 *    timeline no longer shows (a late entry or correction showed the duty
 *    was done in time) resolves them "withdrawn_late_entry".
 *
 * A breach is its rule and occurrence at an instant (schema 7).  A late
 * entry that moves a due time (a detention authorisation keyed after the
 * arrival, say) withdraws the records of the old instant; when the new
 * instant passes with the duty still not done, that is a breach of its own
 * and gets its own records and ladder.  Withdrawn records take no part in
 * any ladder: they are history of what was once believed, nothing more.
 *
 * Why a breach was withdrawn is said truthfully: if the breach still
 * stands under the policy in force before a reload (the events being the
 * same), the policy withdrew it ("policy_changed"), not a late entry.
 */
#include "config.h"

#include "cc-escalator.h"

/* A record written this much after it was due is marked late: a breach
 * that happened while no agent ran, found at start-up, always is. */
#define LATE_AFTER (60 * CC_SECOND)

void
cc_escalation_plan_init (CcEscalationPlan *plan)
{
  plan->raise = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  plan->resolve = g_array_new (FALSE, FALSE, sizeof (CcPlannedResolution));
  plan->next_step = CC_INSTANT_NONE;
}

void
cc_escalation_plan_clear (CcEscalationPlan *plan)
{
  g_clear_pointer (&plan->raise, g_ptr_array_unref);
  g_clear_pointer (&plan->resolve, g_array_unref);
}

static char *
breach_key (const char *record_id,
            const char *rule,
            int         occurrence,
            CcInstant   at)
{
  return g_strdup_printf ("%s\x1f%s\x1f%d\x1f%" G_GINT64_FORMAT, record_id, rule, occurrence, at);
}

/**
 * cc_escalation_is_withdrawn:
 *
 * Whether a record was withdrawn (its breach no longer stands), so that it
 * holds no place on any ladder.
 */
gboolean
cc_escalation_is_withdrawn (const CcEscalation *row)
{
  return cc_resolution_is_withdrawal (row->resolution);
}

/* The breach's first level, on the ladder in force (a level below the
 * first rung starts there). */
static CcLevel
on_ladder (const CcPolicy *policy,
           CcLevel         level)
{
  for (guint i = 0; i < policy->ladder_length; i++)
    if (policy->ladder[i] >= level)
      return policy->ladder[i];
  return policy->ladder[policy->ladder_length - 1];
}

static gboolean
next_rung (const CcPolicy *policy,
           CcLevel         level,
           CcLevel        *out_next)
{
  for (guint i = 0; i < policy->ladder_length; i++)
    if (policy->ladder[i] > level)
      {
        *out_next = policy->ladder[i];
        return TRUE;
      }
  return FALSE;
}

/* The breach a record was written for, if it still stands: the same
 * rule and occurrence at the same instant. */
static const CcBreach *
find_breach (const CcEvaluation *ev,
             const CcEscalation *row)
{
  for (guint i = 0; i < ev->breaches->len; i++)
    {
      const CcBreach *b = &g_array_index (ev->breaches, CcBreach, i);
      if (b->occurrence == row->occurrence && b->at == row->breached_at && g_str_equal (b->rule, row->rule))
        return b;
    }
  return NULL;
}

/* Has the duty behind a clock breach been done since?  For one-shot clocks
 * and reviews: the occurrence was met late.  For cell visits and rest, a
 * missed occurrence stays missed; the next one met is the duty done. */
static gboolean
satisfied_since (const CcEvaluation *ev,
                 const CcBreach     *b)
{
  CcClockId clock = cc_clock_from_string (b->rule);
  GArray   *occ = ev->clocks[clock].occurrences;

  for (guint i = 0; i < occ->len; i++)
    {
      const CcOccurrence *o = &g_array_index (occ, CcOccurrence, i);

      if (o->occurrence == b->occurrence && o->state == CC_STATE_MET_LATE)
        return TRUE;
      if ((clock == CC_CLOCK_CELL_VISIT || clock == CC_CLOCK_REST) && o->occurrence > b->occurrence &&
          (o->state == CC_STATE_MET || o->state == CC_STATE_MET_LATE))
        return TRUE;
    }
  return FALSE;
}

static CcResolution
resolution_for (const CcEvaluation *ev,
                const CcEvaluation *previous,
                const CcEscalation *row)
{
  const CcBreach *b = find_breach (ev, row);

  if (b == NULL)
    return previous != NULL && find_breach (previous, row) != NULL ? CC_RESOLUTION_POLICY_CHANGED
                                                                   : CC_RESOLUTION_WITHDRAWN_LATE_ENTRY;
  if (b->is_clock && satisfied_since (ev, b))
    return CC_RESOLUTION_SATISFIED;
  if (!cc_evaluation_is_open (ev))
    return CC_RESOLUTION_CLOSED;
  return CC_RESOLUTION_NONE;
}

typedef struct
{
  const CcEscalation *top; /* highest level written */
  gboolean            acknowledged;
  gboolean            resolved;
} Ladder;

/**
 * cc_escalator_plan:
 * @evaluations: (element-type CcEvaluation): the records to consider, each
 *   evaluated at @now
 * @escalations: (element-type CcEscalation): the records already written
 *   for them (at least every unresolved one)
 * @previous: (element-type CcEvaluation) (nullable): the same records
 *   evaluated at @now under the policy in force before a reload, to tell a
 *   withdrawal the policy caused from one a late entry caused
 * @plan: (out caller-allocates): initialised with cc_escalation_plan_init()
 */
void
cc_escalator_plan (GPtrArray        *evaluations,
                   GPtrArray        *escalations,
                   GPtrArray        *previous,
                   const CcPolicy   *policy,
                   CcInstant         now,
                   CcEscalationPlan *plan)
{
  g_autoptr (GHashTable) by_record = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) previous_by_record = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) ladders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (evaluations != NULL);
  g_return_if_fail (escalations != NULL);
  g_return_if_fail (policy != NULL);
  g_return_if_fail (plan != NULL && plan->raise != NULL);

  for (guint i = 0; i < evaluations->len; i++)
    {
      CcEvaluation *ev = g_ptr_array_index (evaluations, i);
      g_hash_table_insert (by_record, ev->record_id, ev);
    }
  for (guint i = 0; previous != NULL && i < previous->len; i++)
    {
      CcEvaluation *ev = g_ptr_array_index (previous, i);
      g_hash_table_insert (previous_by_record, ev->record_id, ev);
    }

  /* What has been written, per breach. */
  for (guint i = 0; i < escalations->len; i++)
    {
      const CcEscalation *row = g_ptr_array_index (escalations, i);
      char               *key;
      Ladder             *ladder;
      const CcEvaluation *ev;
      CcResolution        resolution;

      if (cc_escalation_is_withdrawn (row))
        continue;
      key = breach_key (row->record_id, row->rule, row->occurrence, row->breached_at);
      ladder = g_hash_table_lookup (ladders, key);
      if (ladder == NULL)
        {
          ladder = g_new0 (Ladder, 1);
          g_hash_table_insert (ladders, key, ladder);
        }
      else
        g_free (key);
      if (ladder->top == NULL || row->level > ladder->top->level)
        ladder->top = row;
      ladder->acknowledged |= row->acknowledged_at != CC_INSTANT_NONE;
      ladder->resolved |= row->resolved_at != CC_INSTANT_NONE;

      if (row->resolved_at != CC_INSTANT_NONE)
        continue;
      ev = g_hash_table_lookup (by_record, row->record_id);
      if (ev == NULL)
        continue;
      resolution = resolution_for (ev, g_hash_table_lookup (previous_by_record, row->record_id), row);
      if (resolution != CC_RESOLUTION_NONE)
        {
          CcPlannedResolution r = { row->id, resolution };
          g_array_append_val (plan->resolve, r);
          ladder->resolved = TRUE;
        }
    }

  /* New breaches get their first record. */
  for (guint i = 0; i < evaluations->len; i++)
    {
      CcEvaluation *ev = g_ptr_array_index (evaluations, i);

      for (guint j = 0; j < ev->breaches->len; j++)
        {
          const CcBreach  *b = &g_array_index (ev->breaches, CcBreach, j);
          g_autofree char *key = breach_key (ev->record_id, b->rule, b->occurrence, b->at);
          CcEscalation    *row;

          if (b->at > now || g_hash_table_contains (ladders, key))
            continue;
          row = cc_escalation_new (ev->record_id, b->rule, b->occurrence, on_ladder (policy, b->first_level),
                                   b->at, now);
          row->late = now - b->at > LATE_AFTER;
          g_ptr_array_add (plan->raise, row);
          /* A record already closed, or a duty already done, is resolved
           * as soon as it is written (the agent was not running). */
          if (!cc_evaluation_is_open (ev) || (b->is_clock && satisfied_since (ev, b)))
            row->resolution = b->is_clock && satisfied_since (ev, b) ? CC_RESOLUTION_SATISFIED : CC_RESOLUTION_CLOSED;
          else if (policy->ack_timeout > 0)
            {
              CcLevel up;
              if (next_rung (policy, row->level, &up))
                plan->next_step = cc_instant_earliest (plan->next_step, now + policy->ack_timeout);
            }
        }
    }

  /* Climb: unacknowledged past ack_timeout, one rung up. */
  {
    GHashTableIter iter;
    gpointer       value;

    g_hash_table_iter_init (&iter, ladders);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        Ladder             *ladder = value;
        const CcEscalation *top = ladder->top;
        CcInstant           due = top->raised_at + policy->ack_timeout;
        CcLevel             up;

        if (ladder->acknowledged || ladder->resolved || !next_rung (policy, top->level, &up))
          continue;
        if (!g_hash_table_contains (by_record, top->record_id))
          continue;
        if (due <= now)
          {
            CcEscalation *row = cc_escalation_new (top->record_id, top->rule, top->occurrence, up, top->breached_at, now);
            row->late = now - due > LATE_AFTER;
            g_ptr_array_add (plan->raise, row);
            if (next_rung (policy, up, &up))
              due = now + policy->ack_timeout;
            else
              continue;
          }
        plan->next_step = cc_instant_earliest (plan->next_step, due);
      }
  }
}
