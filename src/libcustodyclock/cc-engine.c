/* cc-engine.c: every clock and rule for a child in custody (pure)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The one place where the clocks and rules of clocks.md live.  The engine
 * reads no clock and does no I/O: a record's events, the policy and an
 * instant T go in; every clock's occurrences and states, every breach up to
 * T, and the next instant at which anything changes come out.  The board,
 * the timeline, the agent and the report all ask this code, so a figure can
 * never be computed two ways.
 *
 * Only events with occurred_at ≤ T count (corrections were already applied
 * by the ledger, whatever their own time), and none after the record's
 * first close (clocks.md: kept, counted in data quality, no input).  All arithmetic is on absolute
 * instants; local time appears only in the explanations.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-engine.h"

typedef struct
{
  CcEvaluation   *ev;
  const CcEvent  *arrival;
  const CcPolicy *policy;
  GPtrArray      *events; /* the events that count at T, by time */
  CcInstant       T;
} Ctx;

static const char *const state_names[] = {
  "not_started",
  "running",
  "warning",
  "breached",
  "met",
  "met_late",
  "ended",
  "disabled",
};

const char *
cc_clock_state_to_string (CcClockState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

static CcOccurrence
occurrence_new (int n)
{
  CcOccurrence o = {
    .occurrence = n,
    .state = CC_STATE_NOT_STARTED,
    .started_at = CC_INSTANT_NONE,
    .warn_at = CC_INSTANT_NONE,
    .due_at = CC_INSTANT_NONE,
    .satisfied_at = CC_INSTANT_NONE,
    .ended_at = CC_INSTANT_NONE,
  };
  return o;
}

/* ---- events ---------------------------------------------------------- */

static CcEvent *
first_of (Ctx        *ctx,
          CcEventType type,
          CcInstant   from)
{
  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);
      if (e->type == type && e->occurred_at >= from)
        return e;
    }
  return NULL;
}

static gboolean
any_of_at_or_before (Ctx        *ctx,
                     CcEventType type,
                     CcInstant   until)
{
  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);
      if (e->occurred_at > until)
        break;
      if (e->type == type)
        return TRUE;
    }
  return FALSE;
}

static CcRank
rank_of (const CcEvent *e,
         const char    *field)
{
  const char *name = cc_event_get_string (e, field);
  return name != NULL ? cc_rank_from_string (name) : CC_RANK_UNKNOWN;
}

/* ---- states ---------------------------------------------------------- */

/* The state of a one-shot occurrence at T (clocks.md "Clock states"). */
static void
settle (Ctx          *ctx,
        CcOccurrence *o)
{
  CcInstant close = ctx->ev->closed_at;

  if (o->started_at == CC_INSTANT_NONE || o->started_at > ctx->T)
    o->state = CC_STATE_NOT_STARTED;
  else if (o->satisfied_at != CC_INSTANT_NONE)
    o->state = o->satisfied_at <= o->due_at ? CC_STATE_MET : CC_STATE_MET_LATE;
  else if (close != CC_INSTANT_NONE && close < o->due_at)
    {
      o->state = CC_STATE_ENDED;
      o->ended_at = close;
    }
  else if (o->due_at <= ctx->T)
    o->state = CC_STATE_BREACHED;
  else if (o->warn_at != CC_INSTANT_NONE && o->warn_at <= ctx->T)
    o->state = CC_STATE_WARNING;
  else
    o->state = CC_STATE_RUNNING;
}

static gboolean
is_breach (const CcOccurrence *o)
{
  return o->state == CC_STATE_BREACHED || o->state == CC_STATE_MET_LATE;
}

static void
note_change (Ctx      *ctx,
             CcInstant instant)
{
  if (instant == CC_INSTANT_NONE || instant <= ctx->T)
    return;
  ctx->ev->next_change = cc_instant_earliest (ctx->ev->next_change, instant);
}

/* A running occurrence changes state at its warning and its due time. */
static void
note_pending (Ctx                *ctx,
              const CcOccurrence *o)
{
  if (o->state != CC_STATE_RUNNING && o->state != CC_STATE_WARNING)
    return;
  note_change (ctx, o->warn_at);
  note_change (ctx, o->due_at);
}

static void
add_breach (Ctx        *ctx,
            const char *rule,
            gboolean    is_clock,
            int         occurrence,
            CcInstant   at,
            CcLevel     level,
            const char *event_id)
{
  CcBreach b = { rule, is_clock, occurrence, at, level, event_id, 0 };

  if (at > ctx->T)
    return;
  g_array_append_val (ctx->ev->breaches, b);
}

static CcClockResult *
result (Ctx      *ctx,
        CcClockId clock)
{
  return &ctx->ev->clocks[clock];
}

static void
push (Ctx                *ctx,
      CcClockId           clock,
      const CcOccurrence *o)
{
  g_array_append_val (result (ctx, clock)->occurrences, *o);
}

/* ---- the one-shot clocks ---------------------------------------------- */

/* One occurrence from @start (none while it is CC_INSTANT_NONE), due and
 * warned per the policy, satisfied at @satisfied_at. */
static void
one_shot (Ctx      *ctx,
          CcClockId clock,
          CcInstant start,
          CcInstant satisfied_at)
{
  const CcClockPolicy *p = &ctx->policy->clocks[clock];
  CcOccurrence         o = occurrence_new (1);

  if (start != CC_INSTANT_NONE)
    {
      o.started_at = start;
      o.warn_at = p->warn > 0 ? start + p->warn : CC_INSTANT_NONE;
      o.due_at = start + p->due;
      o.satisfied_at = satisfied_at;
      settle (ctx, &o);
      push (ctx, clock, &o);
      if (is_breach (&o))
        add_breach (ctx, cc_clock_to_string (clock), TRUE, 1, o.due_at, p->escalate_to, NULL);
      note_pending (ctx, &o);
    }
  result (ctx, clock)->current = o;
}

static CcInstant
first_time (Ctx        *ctx,
            CcEventType type)
{
  CcEvent *e = first_of (ctx, type, G_MININT64);

  return e != NULL ? e->occurred_at : CC_INSTANT_NONE;
}

/* welfare_informed, aa_requested, aa_arrived, healthcare: they start at A and
 * are satisfied by the first satisfying event of the record (one keyed
 * before A, between arrival and authorisation, counts too). */
static void
simple_clock (Ctx        *ctx,
              CcClockId   clock,
              CcEventType satisfying)
{
  one_shot (ctx, clock, ctx->ev->authorised_at, first_time (ctx, satisfying));
}

/* accommodation_requested: from bail refusal to the local-authority
 * request (a request made before bail was formally refused still counts). */
static void
accommodation_clock (Ctx *ctx)
{
  one_shot (ctx, CC_CLOCK_ACCOMMODATION_REQUESTED, ctx->ev->bail_refused_at, first_time (ctx, CC_EVENT_LA_REQUESTED));
}

/* post_charge_transfer: satisfied by transfer to the local authority or
 * release; going to court from the cell is a close, not a transfer. */
static void
transfer_clock (Ctx *ctx)
{
  gboolean left = ctx->ev->closed_by == CC_EVENT_TRANSFERRED_TO_LA || ctx->ev->closed_by == CC_EVENT_RELEASED;

  one_shot (ctx, CC_CLOCK_POST_CHARGE_TRANSFER, ctx->ev->bail_refused_at, left ? ctx->ev->closed_at : CC_INSTANT_NONE);
}

/* ---- review (PACE s.40) ---------------------------------------------- */

static gboolean
review_counts (Ctx     *ctx,
               CcEvent *review)
{
  CcRank   rank = rank_of (review, "rank");
  gboolean before_charge = ctx->ev->charged_at == CC_INSTANT_NONE || review->occurred_at < ctx->ev->charged_at;

  /* Before charge an inspector reviews (s.40(1)(b)); after charge, the
   * custody officer (s.40(1)(a)). */
  return before_charge ? rank >= CC_RANK_INSPECTOR : rank >= CC_RANK_SERGEANT;
}

static void
review_clock (Ctx *ctx)
{
  const CcPolicy *p = ctx->policy;
  CcLevel         level = p->clocks[CC_CLOCK_REVIEW].escalate_to;
  CcClockResult  *res = result (ctx, CC_CLOCK_REVIEW);
  g_autoptr (GPtrArray) reviews = g_ptr_array_new ();
  g_autoptr (GPtrArray) postponements = g_ptr_array_new ();
  CcInstant close = ctx->ev->closed_at;
  CcInstant start = ctx->ev->authorised_at;
  CcInstant original_due = start + p->review_first;
  guint     next_review = 0;
  int       current = -1;

  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);

      /* Reviews stop at close. */
      if (close != CC_INSTANT_NONE && e->occurred_at > close)
        break;
      if (e->type == CC_EVENT_REVIEW && review_counts (ctx, e))
        g_ptr_array_add (reviews, e);
      else if (e->type == CC_EVENT_REVIEW_POSTPONED)
        g_ptr_array_add (postponements, e);
    }

  for (int k = 1; start <= ctx->T && (close == CC_INSTANT_NONE || start < close); k++)
    {
      CcOccurrence o = occurrence_new (k);
      CcInstant    schedule_from;

      o.started_at = start;
      o.due_at = original_due;
      o.warn_at = original_due - p->review_warn_before;
      /* s.40(4): a postponement recorded before the review was due gives
       * it grace; later reviews still count from the original time. */
      for (guint i = 0; i < postponements->len; i++)
        {
          CcEvent *e = g_ptr_array_index (postponements, i);
          if (e->occurred_at >= start && e->occurred_at < original_due)
            {
              o.due_at = original_due + p->review_postponed_grace;
              break;
            }
        }

      /* A review satisfies the oldest unsatisfied occurrence. */
      if (next_review < reviews->len)
        o.satisfied_at = ((CcEvent *) g_ptr_array_index (reviews, next_review++))->occurred_at;

      settle (ctx, &o);
      g_array_append_val (res->occurrences, o);
      if (is_breach (&o))
        add_breach (ctx, "review", TRUE, k, o.due_at, level, NULL);
      note_pending (ctx, &o);
      if (current < 0 && (o.state == CC_STATE_RUNNING || o.state == CC_STATE_WARNING || o.state == CC_STATE_BREACHED))
        current = (int) res->occurrences->len - 1;

      /* s.40(3), (6): an early review brings the next one forward, a late
       * one does not push it back. */
      schedule_from = (o.satisfied_at != CC_INSTANT_NONE && o.satisfied_at < original_due) ? o.satisfied_at : original_due;
      start = schedule_from;
      original_due = schedule_from + p->review_interval;
    }

  if (res->occurrences->len == 0)
    res->current = occurrence_new (1);
  else if (current >= 0)
    res->current = g_array_index (res->occurrences, CcOccurrence, current);
  else
    res->current = g_array_index (res->occurrences, CcOccurrence, res->occurrences->len - 1);
}

/* ---- detention_limit (PACE ss.41–44) ---------------------------------- */

/* Medical hospital time up to @until that does not count (s.41(6)).
 *
 * A trip runs from a departure to the next return.  What it is (medical or
 * not, questioned or not) is judged on all of its events up to T, even
 * those after @until: a trip's return keyed after the charge with
 * `questioned` true still makes the whole trip count (clocks.md), and the
 * limit and its breach are recomputed.  Two departures with no return
 * between: the latest one's purpose is the trip's, and a medical one
 * pauses only from its own time.  `questioned` on any departure of the
 * trip or on its return makes it count in full: the child was questioned
 * on that trip.  Only the part of a pause up to @until is added. */
static gint64
hospital_pause (Ctx      *ctx,
                CcInstant until,
                gboolean *out_in_progress)
{
  gint64   paused = 0;
  CcEvent *latest = NULL; /* the latest departure of the trip under way */
  gboolean questioned = FALSE;

  *out_in_progress = FALSE;
  for (guint i = 0; i <= ctx->events->len; i++)
    {
      CcEvent *e = i < ctx->events->len ? g_ptr_array_index (ctx->events, i) : NULL;

      if (e != NULL && e->type == CC_EVENT_HOSPITAL_LEFT)
        {
          latest = e;
          questioned = questioned || cc_event_get_boolean (e, "questioned", FALSE);
        }
      else if (latest != NULL && (e == NULL || e->type == CC_EVENT_HOSPITAL_RETURNED))
        {
          gboolean  medical = g_strcmp0 (cc_event_get_string (latest, "purpose"), "medical") == 0;
          CcInstant from = MAX (latest->occurred_at, ctx->ev->relevant_time);
          CcInstant to = e != NULL ? MIN (e->occurred_at, until) : until;

          if (e != NULL)
            questioned = questioned || cc_event_get_boolean (e, "questioned", FALSE);
          if (medical && !questioned && to > from)
            {
              paused += to - from;
              /* Still out at @until: the limit moves with time. */
              if (e == NULL || e->occurred_at > until)
                *out_in_progress = TRUE;
            }
          latest = NULL;
          questioned = FALSE;
        }
    }
  return paused;
}

/* How many review occurrences had been satisfied before @when. */
static int
reviews_done_before (Ctx      *ctx,
                     CcInstant when)
{
  GArray *occurrences = result (ctx, CC_CLOCK_REVIEW)->occurrences;
  int     n = 0;

  for (guint i = 0; i < occurrences->len; i++)
    {
      CcOccurrence *o = &g_array_index (occurrences, CcOccurrence, i);
      if (o->satisfied_at != CC_INSTANT_NONE && o->satisfied_at < when)
        n++;
    }
  return n;
}

static void
detention_limit_clock (Ctx *ctx)
{
  const CcPolicy *p = ctx->policy;
  CcLevel         level = p->clocks[CC_CLOCK_DETENTION_LIMIT].escalate_to;
  CcLevel         invalid_level = p->rules[CC_RULE_EXTENSION_INVALID].escalate_to;
  CcOccurrence    o = occurrence_new (1);
  CcInstant       rt = ctx->ev->relevant_time;
  CcInstant       limit = rt + 24 * CC_HOUR; /* before hospital time */
  CcInstant       stop;
  gboolean        in_progress = FALSE;
  int             invalid = 0;
  /* s.42(1): only for an indictable offence; unknown counts as indictable,
   * only an explicit false makes an extension invalid. */
  gboolean indictable = cc_event_get_boolean (ctx->arrival, "indictable", TRUE);

  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);
      gboolean paused_now;

      if (ctx->ev->closed_at != CC_INSTANT_NONE && e->occurred_at > ctx->ev->closed_at)
        break;
      if (e->type == CC_EVENT_EXTENSION_AUTHORISED)
        {
          CcInstant in_force = limit + hospital_pause (ctx, e->occurred_at, &paused_now);
          CcInstant until = cc_event_get_instant (e, "until");
          guint     faults = 0;

          if (rank_of (e, "rank") < CC_RANK_SUPERINTENDENT)
            faults |= CC_EXTENSION_FAULT_RANK;
          if (reviews_done_before (ctx, e->occurred_at) < 2)
            faults |= CC_EXTENSION_FAULT_REVIEWS;
          if (e->occurred_at > in_force)
            faults |= CC_EXTENSION_FAULT_AFTER_LIMIT;
          if (!indictable)
            faults |= CC_EXTENSION_FAULT_NOT_INDICTABLE;

          if (faults == 0)
            limit = MIN (until, rt + 36 * CC_HOUR);
          else if (p->rules[CC_RULE_EXTENSION_INVALID].enabled)
            {
              add_breach (ctx, "extension_invalid", FALSE, ++invalid, e->occurred_at, invalid_level, e->event_id);
              if (e->occurred_at <= ctx->T)
                g_array_index (ctx->ev->breaches, CcBreach, ctx->ev->breaches->len - 1).faults = faults;
            }
        }
      else if (e->type == CC_EVENT_WARRANT_GRANTED)
        {
          CcInstant until = cc_event_get_instant (e, "until");
          limit = MIN (until, rt + 96 * CC_HOUR);
        }
    }

  o.started_at = rt;
  stop = ctx->T;
  if (ctx->ev->charged_at != CC_INSTANT_NONE)
    stop = MIN (stop, ctx->ev->charged_at);
  if (ctx->ev->closed_at != CC_INSTANT_NONE)
    stop = MIN (stop, ctx->ev->closed_at);
  o.due_at = limit + hospital_pause (ctx, stop, &in_progress);
  o.warn_at = o.due_at - p->limit_warn_before;
  /* The earlier of charge and close: the child who has left detention was
   * not kept past the limit by a charge keyed afterwards (which the
   * evaluation has already left out; said here too, since it is the rule). */
  o.satisfied_at = cc_instant_earliest (ctx->ev->charged_at, ctx->ev->closed_at);
  settle (ctx, &o);
  push (ctx, CC_CLOCK_DETENTION_LIMIT, &o);
  result (ctx, CC_CLOCK_DETENTION_LIMIT)->current = o;
  if (is_breach (&o))
    add_breach (ctx, "detention_limit", TRUE, 1, o.due_at, level, NULL);
  /* While a medical trip is under way the limit moves with time: nothing
   * falls due until the child is back. */
  if (!in_progress)
    note_pending (ctx, &o);
}

/* ---- cell_visit (Code C 9.3) ------------------------------------------ */

static void
cell_visit_clock (Ctx *ctx)
{
  const CcPolicy *p = ctx->policy;
  CcLevel         level = p->clocks[CC_CLOCK_CELL_VISIT].escalate_to;
  CcClockResult  *res = result (ctx, CC_CLOCK_CELL_VISIT);
  CcInstant       A = ctx->ev->authorised_at;
  CcInstant       close = ctx->ev->closed_at;
  gboolean        at_hospital = FALSE, in_interview = FALSE;
  gint64          obs = 1;
  gboolean        open = FALSE; /* an occurrence is running */
  CcOccurrence    o = occurrence_new (0);
  int             n = 0;
  guint           i = 0;

#define INTERVAL() (obs == 2 ? p->cell_interval_level2 : p->cell_interval)
#define SUSPENDED() (at_hospital || in_interview || obs >= 3)
#define OPEN_AT(t)                \
  G_STMT_START                    \
  {                               \
    o = occurrence_new (++n);     \
    o.started_at = (t);           \
    o.due_at = (t) + INTERVAL (); \
    open = TRUE;                  \
  }                               \
  G_STMT_END
#define CLOSE_AS(st, t)                       \
  G_STMT_START                                \
  {                                           \
    o.state = (st);                           \
    if ((st) == CC_STATE_MET)                 \
      o.satisfied_at = (t);                   \
    else if ((st) == CC_STATE_ENDED)          \
      o.ended_at = (t);                       \
    g_array_append_val (res->occurrences, o); \
    open = FALSE;                             \
  }                                           \
  G_STMT_END

  /* What is in force when the clock starts. */
  for (; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);
      if (e->occurred_at >= A)
        break;
      if (e->type == CC_EVENT_OBSERVATION_LEVEL)
        obs = cc_event_get_int (e, "level", obs);
      else if (e->type == CC_EVENT_HOSPITAL_LEFT)
        at_hospital = TRUE;
      else if (e->type == CC_EVENT_HOSPITAL_RETURNED)
        at_hospital = FALSE;
      else if (e->type == CC_EVENT_INTERVIEW_STARTED)
        in_interview = TRUE;
      else if (e->type == CC_EVENT_INTERVIEW_ENDED)
        in_interview = FALSE;
    }
  if (!SUSPENDED ())
    OPEN_AT (A);

  for (;; i++)
    {
      CcEvent  *e = i < ctx->events->len ? g_ptr_array_index (ctx->events, i) : NULL;
      CcInstant t = e != NULL ? e->occurred_at : ctx->T;
      gboolean  was_suspended;

      if (close != CC_INSTANT_NONE && (e == NULL || t > close))
        {
          e = NULL;
          t = close;
        }

      /* Every interval that passes without a visit is one breach; a visit
       * at the due instant itself is in time. */
      while (open && (o.due_at < t || (e == NULL && close == CC_INSTANT_NONE && o.due_at <= t)))
        {
          CcInstant due = o.due_at;
          CLOSE_AS (CC_STATE_BREACHED, 0);
          if (due <= ctx->T)
            add_breach (ctx, "cell_visit", TRUE, n, due, level, NULL);
          OPEN_AT (due);
        }

      if (e == NULL)
        break;

      was_suspended = SUSPENDED ();
      switch (e->type)
        {
        case CC_EVENT_CELL_VISIT:
          if (open)
            {
              CLOSE_AS (CC_STATE_MET, t);
              OPEN_AT (t);
            }
          break;
        case CC_EVENT_OBSERVATION_LEVEL:
          {
            gint64 new_level = cc_event_get_int (e, "level", obs);
            /* The level already in force, keyed again (a handover, a
             * second screen): not a change, so no re-base (clocks.md). */
            if (new_level == obs)
              break;
            obs = new_level;
            if (!was_suspended && SUSPENDED ())
              CLOSE_AS (CC_STATE_ENDED, t);
            else if (was_suspended && !SUSPENDED ())
              OPEN_AT (t);
            else if (open)
              o.due_at = t + INTERVAL (); /* re-based: same occurrence */
          }
          break;
        case CC_EVENT_HOSPITAL_LEFT:
          at_hospital = TRUE;
          break;
        case CC_EVENT_HOSPITAL_RETURNED:
          at_hospital = FALSE;
          break;
        case CC_EVENT_INTERVIEW_STARTED:
          in_interview = TRUE;
          break;
        case CC_EVENT_INTERVIEW_ENDED:
          in_interview = FALSE;
          break;
        case CC_EVENT_ARRIVAL:
        case CC_EVENT_DETENTION_AUTHORISED:
        case CC_EVENT_WELFARE_INFORMED:
        case CC_EVENT_AA_REQUESTED:
        case CC_EVENT_AA_ARRIVED:
        case CC_EVENT_AA_LEFT:
        case CC_EVENT_HCP_REQUESTED:
        case CC_EVENT_HCP_SEEN:
        case CC_EVENT_LND_SEEN:
        case CC_EVENT_MOVED:
        case CC_EVENT_REST_STARTED:
        case CC_EVENT_REST_ENDED:
        case CC_EVENT_MEAL_OFFERED:
        case CC_EVENT_REVIEW:
        case CC_EVENT_REVIEW_POSTPONED:
        case CC_EVENT_EXTENSION_AUTHORISED:
        case CC_EVENT_WARRANT_GRANTED:
        case CC_EVENT_STRIP_SEARCH:
        case CC_EVENT_CHARGED:
        case CC_EVENT_BAIL_REFUSED:
        case CC_EVENT_LA_REQUESTED:
        case CC_EVENT_LA_RESPONSE:
        case CC_EVENT_TRANSFERRED_TO_LA:
        case CC_EVENT_CERTIFICATE_ISSUED:
        case CC_EVENT_CP_REFERRAL:
        case CC_EVENT_LEFT_FOR_COURT:
        case CC_EVENT_RELEASED:
        case CC_EVENT_VOID:
        case CC_EVENT_N_TYPES:
        case CC_EVENT_INVALID:
        default:
          break;
        }
      if (e->type != CC_EVENT_OBSERVATION_LEVEL)
        {
          if (!was_suspended && SUSPENDED () && open)
            CLOSE_AS (CC_STATE_ENDED, t);
          else if (was_suspended && !SUSPENDED ())
            OPEN_AT (t);
        }
    }

  if (open)
    {
      if (close != CC_INSTANT_NONE)
        CLOSE_AS (CC_STATE_ENDED, close);
      else
        {
          o.state = CC_STATE_RUNNING;
          g_array_append_val (res->occurrences, o);
          note_change (ctx, o.due_at);
        }
    }
#undef INTERVAL
#undef SUSPENDED
#undef OPEN_AT
#undef CLOSE_AS

  res->current = res->occurrences->len > 0
                   ? g_array_index (res->occurrences, CcOccurrence, res->occurrences->len - 1)
                   : occurrence_new (1);
}

/* ---- rest (Code C 12.2) ----------------------------------------------- */

typedef struct
{
  CcInstant from, to; /* to: end, or CC_INSTANT_NONE while still resting */
} RestPeriod;

static void
rest_clock (Ctx *ctx)
{
  const CcPolicy *p = ctx->policy;
  CcLevel         level = p->clocks[CC_CLOCK_REST].escalate_to;
  CcClockResult  *res = result (ctx, CC_CLOCK_REST);
  g_autoptr (GArray) periods = g_array_new (FALSE, FALSE, sizeof (RestPeriod));
  CcInstant A = ctx->ev->authorised_at;
  CcInstant close = ctx->ev->closed_at;
  CcInstant resting_since = CC_INSTANT_NONE;

  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);

      if (e->type == CC_EVENT_REST_STARTED && resting_since == CC_INSTANT_NONE)
        resting_since = e->occurred_at;
      else if (e->type == CC_EVENT_REST_ENDED && resting_since != CC_INSTANT_NONE)
        {
          RestPeriod r = { resting_since, e->occurred_at };
          g_array_append_val (periods, r);
          resting_since = CC_INSTANT_NONE;
        }
    }
  if (resting_since != CC_INSTANT_NONE)
    {
      RestPeriod r = { resting_since, close != CC_INSTANT_NONE ? close : CC_INSTANT_NONE };
      g_array_append_val (periods, r);
    }

  for (int k = 1;; k++)
    {
      CcInstant    ws = A + (k - 1) * CC_DAY;
      CcOccurrence o = occurrence_new (k);

      if (ws > ctx->T || (close != CC_INSTANT_NONE && ws >= close))
        break;
      o.started_at = ws;
      o.due_at = ws + CC_DAY;
      o.warn_at = ws + p->rest_warn_after;
      /* Satisfied when a rest period reaches 8 continuous hours inside the
       * window.  A rest that already reached them before the window opened
       * (it credited an earlier window) reaches them again, for this
       * window, once it has run 8 hours inside it: a child resting through
       * the whole window has had the window's rest, and no rest counts
       * twice for the same hours. */
      for (guint i = 0; i < periods->len; i++)
        {
          RestPeriod *r = &g_array_index (periods, RestPeriod, i);
          CcInstant   reached = r->from + p->rest_min;
          gboolean    lasted;

          if (reached < ws)
            reached = ws + p->rest_min; /* its first 8 hours credited an earlier window */
          lasted = r->to == CC_INSTANT_NONE || r->to >= reached;

          if (lasted && reached < o.due_at && reached <= ctx->T)
            {
              o.satisfied_at = reached;
              break;
            }
          /* A rest still under way will satisfy it at that instant. */
          if (r->to == CC_INSTANT_NONE && reached < o.due_at)
            note_change (ctx, reached);
        }
      settle (ctx, &o);
      g_array_append_val (res->occurrences, o);
      if (is_breach (&o))
        add_breach (ctx, "rest", TRUE, k, o.due_at, level, NULL);
      note_pending (ctx, &o);
      if (o.state == CC_STATE_RUNNING || o.state == CC_STATE_WARNING || o.state == CC_STATE_MET)
        note_change (ctx, o.due_at); /* the next window opens */
    }

  res->current = res->occurrences->len > 0
                   ? g_array_index (res->occurrences, CcOccurrence, res->occurrences->len - 1)
                   : occurrence_new (1);
}

/* ---- instant rules ---------------------------------------------------- */

static void
instant_rules (Ctx *ctx)
{
  const CcPolicy *p = ctx->policy;
  int             count[CC_N_RULES] = { 0 };
  CcInstant       close = ctx->ev->closed_at;

#define RULE(id, e)                                                                  \
  G_STMT_START                                                                       \
  {                                                                                  \
    if (p->rules[id].enabled)                                                        \
      add_breach (ctx, cc_rule_to_string (id), FALSE, ++count[id], (e)->occurred_at, \
                  p->rules[id].escalate_to, (e)->event_id);                          \
  }                                                                                  \
  G_STMT_END

  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);

      if (close != CC_INSTANT_NONE && e->occurred_at > close)
        break;

      switch (e->type)
        {
        case CC_EVENT_INTERVIEW_STARTED:
          if (!cc_event_get_boolean (e, "aa_present", FALSE) &&
              rank_of (e, "urgent_authorised_rank") < CC_RANK_SUPERINTENDENT)
            RULE (CC_RULE_INTERVIEW_WITHOUT_AA, e);
          break;
        case CC_EVENT_STRIP_SEARCH:
          if (!cc_event_get_boolean (e, "aa_present", FALSE) &&
              !cc_event_get_boolean (e, "urgent", FALSE) &&
              !(cc_event_get_boolean (e, "child_declined_aa", FALSE) && cc_event_get_boolean (e, "aa_agreed", FALSE)))
            RULE (CC_RULE_STRIP_SEARCH_WITHOUT_AA, e);
          if (rank_of (e, "authorised_rank") < CC_RANK_INSPECTOR)
            RULE (CC_RULE_STRIP_SEARCH_AUTHORITY, e);
          break;
        case CC_EVENT_CHARGED:
          if (!cc_event_get_boolean (e, "aa_present", FALSE))
            RULE (CC_RULE_CHARGED_WITHOUT_AA, e);
          break;
        case CC_EVENT_MOVED:
          if (cc_event_get_boolean (e, "with_adult", FALSE))
            RULE (CC_RULE_CELL_WITH_ADULT, e);
          if (g_strcmp0 (cc_event_get_string (e, "room"), "cell") == 0)
            {
              const char      *reason = cc_event_get_string (e, "reason");
              g_autofree char *stripped = reason != NULL ? g_strstrip (g_strdup (reason)) : NULL;
              if (stripped == NULL || *stripped == '\0')
                RULE (CC_RULE_CELL_WITHOUT_REASON, e);
            }
          break;
        case CC_EVENT_LA_RESPONSE:
          if (g_strcmp0 (cc_event_get_string (e, "outcome"), "accepted") != 0)
            RULE (CC_RULE_LA_REFUSED, e);
          break;
        case CC_EVENT_LEFT_FOR_COURT:
          if (ctx->ev->bail_refused_at != CC_INSTANT_NONE && ctx->ev->bail_refused_at <= e->occurred_at &&
              !any_of_at_or_before (ctx, CC_EVENT_TRANSFERRED_TO_LA, e->occurred_at) &&
              !any_of_at_or_before (ctx, CC_EVENT_CERTIFICATE_ISSUED, e->occurred_at))
            RULE (CC_RULE_CERTIFICATE_MISSING, e);
          break;
        case CC_EVENT_REVIEW:
          if ((ctx->ev->charged_at == CC_INSTANT_NONE || e->occurred_at < ctx->ev->charged_at) &&
              rank_of (e, "rank") < CC_RANK_INSPECTOR)
            RULE (CC_RULE_REVIEW_RANK, e);
          break;
        case CC_EVENT_ARRIVAL:
        case CC_EVENT_DETENTION_AUTHORISED:
        case CC_EVENT_WELFARE_INFORMED:
        case CC_EVENT_AA_REQUESTED:
        case CC_EVENT_AA_ARRIVED:
        case CC_EVENT_AA_LEFT:
        case CC_EVENT_HCP_REQUESTED:
        case CC_EVENT_HCP_SEEN:
        case CC_EVENT_LND_SEEN:
        case CC_EVENT_HOSPITAL_LEFT:
        case CC_EVENT_HOSPITAL_RETURNED:
        case CC_EVENT_OBSERVATION_LEVEL:
        case CC_EVENT_CELL_VISIT:
        case CC_EVENT_REST_STARTED:
        case CC_EVENT_REST_ENDED:
        case CC_EVENT_MEAL_OFFERED:
        case CC_EVENT_REVIEW_POSTPONED:
        case CC_EVENT_EXTENSION_AUTHORISED:
        case CC_EVENT_WARRANT_GRANTED:
        case CC_EVENT_INTERVIEW_ENDED:
        case CC_EVENT_BAIL_REFUSED:
        case CC_EVENT_LA_REQUESTED:
        case CC_EVENT_TRANSFERRED_TO_LA:
        case CC_EVENT_CERTIFICATE_ISSUED:
        case CC_EVENT_CP_REFERRAL:
        case CC_EVENT_RELEASED:
        case CC_EVENT_VOID:
        case CC_EVENT_N_TYPES:
        case CC_EVENT_INVALID:
        default:
          break;
        }
    }

  if (close != CC_INSTANT_NONE && !any_of_at_or_before (ctx, CC_EVENT_CP_REFERRAL, close) &&
      p->rules[CC_RULE_CP_REFERRAL_MISSING].enabled)
    add_breach (ctx, "cp_referral_missing", FALSE, 1, close,
                p->rules[CC_RULE_CP_REFERRAL_MISSING].escalate_to, NULL);
#undef RULE
}

/* ---- explanations ----------------------------------------------------- */

/* What the clock waits for, as the start of a sentence (explain() puts it
 * first, as %1$s, in each of its sentences). */
static const char *
duty (CcClockId clock)
{
  switch (clock)
    {
    case CC_CLOCK_WELFARE_INFORMED:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("Person responsible for welfare to be told");
    case CC_CLOCK_AA_REQUESTED:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("Appropriate adult to be called");
    case CC_CLOCK_AA_ARRIVED:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("Appropriate adult to arrive");
    case CC_CLOCK_HEALTHCARE:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("Healthcare professional to see the child");
    case CC_CLOCK_REVIEW:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return C_ ("duty", "PACE review");
    case CC_CLOCK_DETENTION_LIMIT:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("Detention limit: charge or release");
    case CC_CLOCK_CELL_VISIT:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return C_ ("duty", "Cell visit");
    case CC_CLOCK_REST:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("8 hours' continuous rest");
    case CC_CLOCK_ACCOMMODATION_REQUESTED:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return _ ("Local authority accommodation to be requested");
    case CC_CLOCK_POST_CHARGE_TRANSFER:
      /* Translators: begins a sentence such as "… by 14:30 (1 h 10 min left; started 10:30)" */
      return C_ ("duty", "Transfer to local authority accommodation");
    case CC_N_CLOCKS:
    default:
      g_assert_not_reached ();
    }
}

static char *explain (const CcEvaluation *ev, CcClockId clock);

/**
 * cc_evaluation_get_explain:
 * @clock: which clock
 *
 * One sentence for a person about the clock's current occurrence, in the
 * display zone.  Made on first use: the agent and the report never need it,
 * and formatting local times is most of an evaluation's cost.
 *
 * Returns: (transfer none): the sentence
 */
const char *
cc_evaluation_get_explain (const CcEvaluation *ev,
                           CcClockId           clock)
{
  CcClockResult *r = (CcClockResult *) &ev->clocks[clock];

  if (r->explain == NULL)
    r->explain = explain (ev, clock);
  return r->explain;
}

static char *
explain (const CcEvaluation *ev,
         CcClockId           clock)
{
  const CcOccurrence *o = &ev->clocks[clock].current;
  g_autofree char    *due = o->due_at != CC_INSTANT_NONE ? cc_time_format_relative (o->due_at, ev->at, ev->policy->tz) : NULL;
  g_autofree char    *started = o->started_at != CC_INSTANT_NONE ? cc_time_format_relative (o->started_at, ev->at, ev->policy->tz) : NULL;

  switch (o->state)
    {
    case CC_STATE_DISABLED:
      /* Translators: a clock's explanation when policy.ini turns it off */
      return g_strdup (_ ("Switched off in the policy"));
    case CC_STATE_NOT_STARTED:
      if (clock == CC_CLOCK_ACCOMMODATION_REQUESTED || clock == CC_CLOCK_POST_CHARGE_TRANSFER)
        return g_strdup (_ ("Starts if bail is refused after charge"));
      return g_strdup (C_ ("clock", "Not started"));
    case CC_STATE_RUNNING:
    case CC_STATE_WARNING:
      {
        g_autofree char *left = cc_duration_format (o->due_at - ev->at);
        /* Translators: %1$s is what the clock waits for (e.g. "Appropriate adult
         * to arrive"), %2$s when it is due (e.g. "14:30" or "Tue 4 Mar 09:15"),
         * %3$s how long is left (e.g. "1 h 10 min"), %4$s when the clock started */
        return g_strdup_printf (_ ("%1$s by %2$s (%3$s left; started %4$s)"), duty (clock), due, left, started);
      }
    case CC_STATE_BREACHED:
      {
        g_autofree char *late = cc_duration_format (ev->at - o->due_at);
        /* Translators: %1$s is what the clock waits for (e.g. "Appropriate adult
         * to arrive"), %2$s when it was due (e.g. "14:30" or "Tue 4 Mar 09:15"),
         * %3$s how long ago that was (e.g. "1 h 10 min"), %4$s when the clock started */
        return g_strdup_printf (_ ("%1$s: overdue since %2$s (%3$s ago; started %4$s)"), duty (clock), due, late,
                                started);
      }
    case CC_STATE_MET:
      {
        g_autofree char *sat = cc_time_format_relative (o->satisfied_at, ev->at, ev->policy->tz);
        /* Translators: %1$s is what the clock waits for (e.g. "Appropriate adult
         * to arrive"), %2$s when it was done, %3$s when it was due (times such
         * as "14:30" or "Tue 4 Mar 09:15") */
        return g_strdup_printf (_ ("%1$s: done at %2$s, due by %3$s"), duty (clock), sat, due);
      }
    case CC_STATE_MET_LATE:
      {
        g_autofree char *sat = cc_time_format_relative (o->satisfied_at, ev->at, ev->policy->tz);
        g_autofree char *late = cc_duration_format (o->satisfied_at - o->due_at);
        /* Translators: %1$s is what the clock waits for (e.g. "Appropriate adult
         * to arrive"), %2$s when it was done, %3$s how late (e.g. "25 min"), %4$s
         * when it was due (times such as "14:30" or "Tue 4 Mar 09:15") */
        return g_strdup_printf (_ ("%1$s: done at %2$s, %3$s after it was due at %4$s"), duty (clock), sat, late,
                                due);
      }
    case CC_STATE_ENDED:
      {
        g_autofree char *end = cc_time_format_relative (o->ended_at != CC_INSTANT_NONE ? o->ended_at : ev->closed_at, ev->at, ev->policy->tz);
        if (ev->closed_at != CC_INSTANT_NONE && o->ended_at == ev->closed_at)
          /* Translators: %1$s is what the clock waits for (e.g. "Appropriate
           * adult to arrive"), %2$s when the child left (e.g. "14:30" or "Tue 4
           * Mar 09:15") */
          return g_strdup_printf (_ ("%1$s: not needed, the child left custody at %2$s before it was due"),
                                  duty (clock), end);
        /* Translators: %1$s is what the clock waits for (e.g. "Cell visit"),
         * %2$s when it was suspended (e.g. "14:30" or "Tue 4 Mar 09:15") */
        return g_strdup_printf (_ ("%1$s: suspended at %2$s (hospital, interview or constant observation)"),
                                duty (clock), end);
      }
    default:
      g_assert_not_reached ();
    }
}

/* ---- the evaluation --------------------------------------------------- */

static int
compare_breaches (gconstpointer a,
                  gconstpointer b)
{
  const CcBreach *x = a, *y = b;
  int             c;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  if ((c = strcmp (x->rule, y->rule)) != 0)
    return c;
  return x->occurrence - y->occurrence;
}

void
cc_evaluation_free (CcEvaluation *ev)
{
  if (ev == NULL)
    return;
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      g_clear_pointer (&ev->clocks[c].occurrences, g_array_unref);
      g_free (ev->clocks[c].explain);
    }
  g_clear_pointer (&ev->breaches, g_array_unref);
  g_clear_pointer (&ev->events, g_ptr_array_unref);
  g_clear_pointer (&ev->policy, cc_policy_unref);
  g_free (ev->record_id);
  g_free (ev);
}

/* Code C 1.5: a person who appears under 18 is a child unless there is
 * clear evidence otherwise; a date of birth is that evidence. */
static void
decide_child (CcEvaluation  *ev,
              const CcEvent *arrival,
              GTimeZone     *tz)
{
  const char *dob_text = cc_event_get_string (arrival, "dob");
  GDate       dob;

  ev->age = ev->age_at_arrival = -1;
  if (dob_text != NULL && cc_date_parse (dob_text, &dob, NULL))
    {
      ev->age_at_arrival = cc_age_at (&dob, arrival->occurred_at, tz);
      ev->age = cc_age_at (&dob, ev->at, tz);
      ev->monitored = ev->age_at_arrival < 18 || cc_event_get_boolean (arrival, "appears_under_18", FALSE);
    }
  else if (cc_event_has_field (arrival, "appears_under_18"))
    ev->monitored = cc_event_get_boolean (arrival, "appears_under_18", FALSE);
  else
    {
      ev->monitored = TRUE;
      ev->age_unknown = TRUE;
    }
}

/* Data quality (clocks.md "Readings decided for unusual event orders"): a
 * hospital departure while the child is already out, and a rest started
 * while one is running.  Counted over the events that count (so not after
 * the close); the clocks themselves decide what such an event does. */
static void
count_repeated_starts (Ctx *ctx)
{
  gboolean out = FALSE, resting = FALSE;

  for (guint i = 0; i < ctx->events->len; i++)
    {
      CcEvent *e = g_ptr_array_index (ctx->events, i);

      if (e->type == CC_EVENT_HOSPITAL_LEFT)
        {
          if (out)
            ctx->ev->dq_hospital_left_twice++;
          out = TRUE;
        }
      else if (e->type == CC_EVENT_HOSPITAL_RETURNED)
        out = FALSE;
      else if (e->type == CC_EVENT_REST_STARTED)
        {
          if (resting)
            ctx->ev->dq_rest_started_twice++;
          resting = TRUE;
        }
      else if (e->type == CC_EVENT_REST_ENDED)
        resting = FALSE;
    }
}

/**
 * cc_engine_evaluate:
 * @record: a record from the ledger, with its arrival
 * @policy: the policy in force
 * @at: the instant T
 *
 * Evaluates every clock and rule of @record at @at.  Pure: the same inputs
 * always give the same result.
 *
 * Returns: (transfer full): the evaluation
 */
CcEvaluation *
cc_engine_evaluate (const CcRecord *record,
                    CcPolicy       *policy,
                    CcInstant       at)
{
  CcEvaluation *ev;
  g_autoptr (GPtrArray) counting = NULL;
  Ctx      ctx;
  CcEvent *arrival;
  CcEvent *e;

  /* Checked before anything is allocated, so that a refusal leaks nothing. */
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (record->arrival != NULL, NULL);
  g_return_val_if_fail (policy != NULL, NULL);

  ev = g_new0 (CcEvaluation, 1);
  counting = g_ptr_array_new ();
  arrival = record->arrival;
  ctx = (Ctx){ ev, arrival, policy, counting, at };

  ev->record_id = g_strdup (record->record_id);
  ev->policy = cc_policy_ref (policy);
  ev->events = g_ptr_array_ref (record->events);
  ev->at = at;
  ev->breaches = g_array_new (FALSE, FALSE, sizeof (CcBreach));
  ev->next_change = CC_INSTANT_NONE;
  ev->closed_by = CC_EVENT_INVALID;
  ev->charged_at = ev->bail_refused_at = ev->closed_at = CC_INSTANT_NONE;
  ev->suite = cc_event_get_string (arrival, "suite");
  ev->child = cc_event_get_string (arrival, "child");
  ev->arrived_at = arrival->occurred_at;
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      ev->clocks[c].clock = c;
      ev->clocks[c].occurrences = g_array_new (FALSE, FALSE, sizeof (CcOccurrence));
      ev->clocks[c].current = occurrence_new (1);
    }
  decide_child (ev, arrival, policy->tz);

  for (guint i = 0; i < record->events->len; i++)
    {
      e = g_ptr_array_index (record->events, i);
      if (e->occurred_at <= at)
        g_ptr_array_add (counting, e);
      else
        {
          /* An event keyed ahead of its time (a writer's clock a few
           * minutes fast) changes things when that time comes. */
          note_change (&ctx, e->occurred_at);
          break;
        }
    }

  ev->relevant_time = cc_event_get_instant (arrival, "relevant_time");
  if (ev->relevant_time == CC_INSTANT_NONE)
    ev->relevant_time = arrival->occurred_at;
  for (guint i = 0; i < counting->len; i++)
    {
      e = g_ptr_array_index (counting, i);
      if (cc_event_type_closes_record (e->type))
        {
          ev->closed_at = e->occurred_at;
          ev->closed_by = e->type;
          break;
        }
    }
  /* clocks.md "Events after close": kept in the record (the timeline lists
   * them) but no input to any clock or rule, so they leave the counting
   * events here, once, rather than every clock remembering to stop at the
   * close.  An event at the close's own instant still counts. */
  if (ev->closed_at != CC_INSTANT_NONE)
    {
      guint keep = 0;
      while (keep < counting->len && ((CcEvent *) g_ptr_array_index (counting, keep))->occurred_at <= ev->closed_at)
        keep++;
      ev->dq_after_close = counting->len - keep;
      g_ptr_array_set_size (counting, keep);
    }
  count_repeated_starts (&ctx);
  e = first_of (&ctx, CC_EVENT_DETENTION_AUTHORISED, G_MININT64);
  ev->authorised_at = e != NULL ? e->occurred_at : arrival->occurred_at;
  ev->authorisation_missing = e == NULL;
  if ((e = first_of (&ctx, CC_EVENT_CHARGED, G_MININT64)) != NULL)
    ev->charged_at = e->occurred_at;
  if ((e = first_of (&ctx, CC_EVENT_BAIL_REFUSED, G_MININT64)) != NULL)
    ev->bail_refused_at = e->occurred_at;

  if (!ev->monitored || arrival->occurred_at > at)
    return ev;

  if (policy->clocks[CC_CLOCK_WELFARE_INFORMED].enabled)
    simple_clock (&ctx, CC_CLOCK_WELFARE_INFORMED, CC_EVENT_WELFARE_INFORMED);
  if (policy->clocks[CC_CLOCK_AA_REQUESTED].enabled)
    simple_clock (&ctx, CC_CLOCK_AA_REQUESTED, CC_EVENT_AA_REQUESTED);
  if (policy->clocks[CC_CLOCK_AA_ARRIVED].enabled)
    simple_clock (&ctx, CC_CLOCK_AA_ARRIVED, CC_EVENT_AA_ARRIVED);
  if (policy->clocks[CC_CLOCK_HEALTHCARE].enabled)
    simple_clock (&ctx, CC_CLOCK_HEALTHCARE, CC_EVENT_HCP_SEEN);
  review_clock (&ctx);
  detention_limit_clock (&ctx);
  if (policy->clocks[CC_CLOCK_CELL_VISIT].enabled)
    cell_visit_clock (&ctx);
  if (policy->clocks[CC_CLOCK_REST].enabled)
    rest_clock (&ctx);
  if (policy->clocks[CC_CLOCK_ACCOMMODATION_REQUESTED].enabled)
    accommodation_clock (&ctx);
  if (policy->clocks[CC_CLOCK_POST_CHARGE_TRANSFER].enabled)
    transfer_clock (&ctx);
  instant_rules (&ctx);

  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      if (!policy->clocks[c].enabled)
        ev->clocks[c].current.state = CC_STATE_DISABLED;
    }
  g_array_sort (ev->breaches, compare_breaches);
  return ev;
}

gboolean
cc_evaluation_is_open (const CcEvaluation *ev)
{
  return ev->arrived_at <= ev->at && ev->closed_at == CC_INSTANT_NONE;
}
