/* cc-board.c: the board and the timeline, as JSON and as text
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The JSON is the stable shape of interfaces.md: other tools and the tests
 * read it.  The text is for a custody sergeant at a desk at 3 a.m.: most
 * urgent first, local times, what is due next and how long is left, breaches
 * in capitals, aligned columns; colour only on a terminal and never the only
 * signal.  Names and dates of birth never appear in either: the child is the
 * pseudonymous reference of the arrival.
 *
 * The board reads what may be open at its instant, not the log
 * (cc_board_read(), issue 15; HACKING.md "Reads cost what they show"):
 * the backlog of records changed since the last reader is settled first,
 * then the candidates (settled stays covering T, and what is not settled)
 * are read a batch at a time and evaluated by cc_board_collect(), the same
 * function a ledger of the whole log goes through, so the board is the
 * same one.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-board.h"
#include "cc-json-writer.h"
#include "cc-settle.h"

/* The reasons an extension is invalid (CcExtensionFault), as the JSON
 * names them, in clocks.md's order of the validity test. */
static const struct
{
  CcExtensionFault fault;
  const char      *id;
} extension_faults[] = {
  { CC_EXTENSION_FAULT_RANK, "rank" },
  { CC_EXTENSION_FAULT_REVIEWS, "reviews" },
  { CC_EXTENSION_FAULT_AFTER_LIMIT, "after_limit" },
  { CC_EXTENSION_FAULT_NOT_INDICTABLE, "not_indictable" },
};

/**
 * cc_evaluation_to_json:
 * @with_events: add an "events" array (the timeline): type, times and ids
 *   only, never the data (which may hold names)
 *
 * Returns: (transfer full): the record as interfaces.md shows it
 */
JsonNode *
cc_evaluation_to_json (const CcEvaluation *ev,
                       gboolean            with_events)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  cc_json_add_string (b, "record_id", ev->record_id);
  cc_json_add_string (b, "suite", ev->suite);
  cc_json_add_string (b, "child", ev->child);
  json_builder_set_member_name (b, "age");
  if (ev->age >= 0)
    json_builder_add_int_value (b, ev->age);
  else
    json_builder_add_null_value (b);
  cc_json_add_instant (b, "at", ev->at);
  cc_json_add_instant (b, "arrived_at", ev->arrived_at);
  cc_json_add_instant (b, "authorised_at", ev->authorisation_missing ? CC_INSTANT_NONE : ev->authorised_at);
  cc_json_add_instant (b, "relevant_time", ev->relevant_time);
  cc_json_add_instant (b, "charged_at", ev->charged_at);
  cc_json_add_instant (b, "closed_at", ev->closed_at);
  cc_json_add_string (b, "closed_by", ev->closed_by != CC_EVENT_INVALID ? cc_event_type_to_string (ev->closed_by) : NULL);
  json_builder_set_member_name (b, "monitored");
  json_builder_add_boolean_value (b, ev->monitored);

  json_builder_set_member_name (b, "clocks");
  json_builder_begin_array (b);
  for (int c = 0; c < CC_N_CLOCKS && ev->monitored; c++)
    {
      const CcClockResult *r = &ev->clocks[c];
      const CcOccurrence  *o = &r->current;

      json_builder_begin_object (b);
      cc_json_add_string (b, "clock", cc_clock_to_string (c));
      json_builder_set_member_name (b, "occurrence");
      json_builder_add_int_value (b, o->occurrence);
      cc_json_add_string (b, "state", cc_clock_state_to_string (o->state));
      cc_json_add_instant (b, "started_at", o->started_at);
      cc_json_add_instant (b, "warn_at", o->warn_at);
      cc_json_add_instant (b, "due_at", o->due_at);
      cc_json_add_instant (b, "satisfied_at", o->satisfied_at);
      cc_json_add_string (b, "explain", cc_evaluation_get_explain (ev, c));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "breaches");
  json_builder_begin_array (b);
  for (guint i = 0; i < ev->breaches->len; i++)
    {
      const CcBreach *br = &g_array_index (ev->breaches, CcBreach, i);

      json_builder_begin_object (b);
      cc_json_add_string (b, "rule", br->rule);
      json_builder_set_member_name (b, "occurrence");
      json_builder_add_int_value (b, br->occurrence);
      cc_json_add_instant (b, "at", br->at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (with_events)
    {
      json_builder_set_member_name (b, "events");
      json_builder_begin_array (b);
      for (guint i = 0; i < ev->events->len; i++)
        {
          const CcEvent *e = g_ptr_array_index (ev->events, i);

          if (e->occurred_at > ev->at)
            break;
          json_builder_begin_object (b);
          cc_json_add_string (b, "event_id", e->event_id);
          cc_json_add_string (b, "type", cc_event_type_to_string (e->type));
          cc_json_add_instant (b, "occurred_at", e->occurred_at);
          cc_json_add_instant (b, "recorded_at", e->recorded_at);
          cc_json_add_string (b, "officer", e->officer);
          cc_json_add_string (b, "supersedes", e->supersedes);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      /* A new member: the existing ones keep their shape (interfaces.md). */
      json_builder_set_member_name (b, "data_quality");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "after_close");
      json_builder_add_int_value (b, ev->dq_after_close);
      json_builder_set_member_name (b, "hospital_left_twice");
      json_builder_add_int_value (b, ev->dq_hospital_left_twice);
      json_builder_set_member_name (b, "rest_started_twice");
      json_builder_add_int_value (b, ev->dq_rest_started_twice);
      json_builder_end_object (b);

      /* Another new member (docs/BOARD.md): why each invalid extension
       * does not count, so that it can be put right.  Beside "breaches",
       * not inside it: tools compare those objects with interfaces.md's
       * shape. */
      json_builder_set_member_name (b, "extension_faults");
      json_builder_begin_array (b);
      for (guint i = 0; i < ev->breaches->len; i++)
        {
          const CcBreach *br = &g_array_index (ev->breaches, CcBreach, i);

          if (!g_str_equal (br->rule, "extension_invalid"))
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "occurrence");
          json_builder_add_int_value (b, br->occurrence);
          cc_json_add_instant (b, "at", br->at);
          cc_json_add_string (b, "event_id", br->event_id);
          json_builder_set_member_name (b, "faults");
          json_builder_begin_array (b);
          for (gsize k = 0; k < G_N_ELEMENTS (extension_faults); k++)
            if (br->faults & extension_faults[k].fault)
              json_builder_add_string_value (b, extension_faults[k].id);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Where a record stands on the board (issue 11): the most serious state
 * any of its clocks is in, whether a statutory clock (PACE s.40 review,
 * ss.41-44 detention limit) is in it, and the due time that decides among
 * equals.  An AA called 29 min late is a failure, but a review 3 h 34 min
 * overdue means the child's detention is no longer authorised: the law
 * comes first.  See cc_board_collect() for the whole order. */
typedef struct
{
  int       tier;      /* 2 breached, 1 warning, 0 running */
  gboolean  statutory; /* a statutory clock is in that state (tiers 1, 2) */
  CcInstant due;       /* the deciding clock's due time, or NONE */
} BoardRank;

static int
state_tier (CcClockState state)
{
  switch (state)
    {
    case CC_STATE_BREACHED:
      return 2;
    case CC_STATE_WARNING:
      return 1;
    case CC_STATE_RUNNING:
      return 0;
    case CC_STATE_NOT_STARTED:
    case CC_STATE_MET:
    case CC_STATE_MET_LATE:
    case CC_STATE_ENDED:
    case CC_STATE_DISABLED:
    default:
      return -1;
    }
}

static void
board_rank (const CcEvaluation *ev,
            BoardRank          *rank)
{
  rank->tier = 0;
  rank->statutory = FALSE;
  rank->due = CC_INSTANT_NONE;

  for (int c = 0; c < CC_N_CLOCKS; c++)
    rank->tier = MAX (rank->tier, state_tier (ev->clocks[c].current.state));

  /* Every open child has a PACE review running, so among the running the
   * statutory test would only sort by the review and hide the AA due in
   * ten minutes: there the soonest due time alone decides. */
  if (rank->tier > 0)
    for (int c = 0; c < CC_N_CLOCKS; c++)
      if (state_tier (ev->clocks[c].current.state) == rank->tier && cc_clock_is_statutory (c))
        rank->statutory = TRUE;

  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      const CcOccurrence *o = &ev->clocks[c].current;

      if (state_tier (o->state) != rank->tier || (rank->statutory && !cc_clock_is_statutory (c)))
        continue;
      rank->due = cc_instant_earliest (rank->due, o->due_at);
    }
}

/* Compares two due times, earliest first, an absent one last.  For a
 * breached clock the earliest due time is the longest overdue. */
static int
compare_due (CcInstant x,
             CcInstant y)
{
  if (x == y)
    return 0;
  if (x == CC_INSTANT_NONE)
    return 1;
  if (y == CC_INSTANT_NONE)
    return -1;
  return x < y ? -1 : 1;
}

static int
compare_urgency (gconstpointer a,
                 gconstpointer b)
{
  const CcEvaluation *x = *(const CcEvaluation *const *) a;
  const CcEvaluation *y = *(const CcEvaluation *const *) b;
  BoardRank           rx, ry;
  int                 by_due;

  board_rank (x, &rx);
  board_rank (y, &ry);
  if (rx.tier != ry.tier)
    return ry.tier - rx.tier;
  if (rx.statutory != ry.statutory)
    return rx.statutory ? -1 : 1;
  by_due = compare_due (rx.due, ry.due);
  if (by_due != 0)
    return by_due;
  return strcmp (x->record_id, y->record_id);
}

/* The order of one record's lines in one state: statutory first, then the
 * earliest due time (the longest overdue), then clocks.md's table order. */
static int
compare_clocks (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const CcEvaluation *ev = user_data;
  CcClockId           x = *(const CcClockId *) a, y = *(const CcClockId *) b;
  int                 by_due;

  if (cc_clock_is_statutory (x) != cc_clock_is_statutory (y))
    return cc_clock_is_statutory (x) ? -1 : 1;
  by_due = compare_due (ev->clocks[x].current.due_at, ev->clocks[y].current.due_at);
  if (by_due != 0)
    return by_due;
  return (int) x - (int) y;
}

/**
 * cc_board_sort:
 * @evaluations: (element-type CcEvaluation): open child records
 *
 * Sorts @evaluations into the board's order (cc_board_collect()).
 */
void
cc_board_sort (GPtrArray *evaluations)
{
  g_return_if_fail (evaluations != NULL);

  g_ptr_array_sort (evaluations, compare_urgency);
}

/**
 * cc_board_collect:
 * @ledger: the custody log's records
 * @policy: the policy in force
 * @at: the instant T
 * @suite: (nullable): only this suite's records
 *
 * The board at @at: every child's record open then, evaluated, most urgent
 * first.  Adults' records are left out.  The order (issue 11; README and
 * `status --help` say the same):
 *
 * 1. records with a clock breached now, then those with one in warning,
 *    then the rest;
 * 2. among the breached (and among those in warning), records where a
 *    statutory clock (PACE review, detention limit) is in that state come
 *    first;
 * 3. then the longest overdue (the earliest due time of the clocks that
 *    decided 1 and 2: the statutory ones when 2 holds), or, in warning and
 *    running, the soonest due;
 * 4. then by record number, so that the order never depends on the log.
 *
 * Returns: (transfer full) (element-type CcEvaluation): the evaluations
 */
GPtrArray *
cc_board_collect (CcLedger   *ledger,
                  CcPolicy   *policy,
                  CcInstant   at,
                  const char *suite)
{
  GPtrArray *open;
  g_autoptr (GPtrArray) ids = NULL;

  g_return_val_if_fail (ledger != NULL, NULL);
  g_return_val_if_fail (policy != NULL, NULL);

  open = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_evaluation_free);
  ids = cc_ledger_get_record_ids (ledger);
  for (guint i = 0; i < ids->len; i++)
    {
      const CcRecord *record = cc_ledger_get_record (ledger, g_ptr_array_index (ids, i));
      CcEvaluation   *ev;

      if (record->arrival == NULL || record->arrival->occurred_at > at)
        continue;
      if (suite != NULL && g_strcmp0 (cc_event_get_string (record->arrival, "suite"), suite) != 0)
        continue;
      ev = cc_engine_evaluate (record, policy, at);
      if (ev->monitored && cc_evaluation_is_open (ev))
        g_ptr_array_add (open, ev);
      else
        cc_evaluation_free (ev);
    }
  cc_board_sort (open);
  return open;
}

/**
 * cc_board_read:
 * @store: the custody log
 * @policy: the policy in force
 * @at: the instant T of the board
 * @now: the machine's time: rows ahead of it by more than
 *   %CC_EVENT_MAX_FUTURE do not count, and records are settled as of it
 * @suite: (nullable): only this suite's records (as the log spells it)
 * @error: return location for a #GError
 *
 * The board at @at, as cc_board_collect() makes it from a ledger of the
 * whole log, at a cost proportional to what may be open at @at: first the
 * records no reader has found settled are judged, and the settled ones
 * recorded (cc_settle_backlog(), at @now whatever @at is: a board of last
 * June settles what is settled today); then the candidates
 * (cc_store_list_board_candidates(): the settled stays covering @at, and
 * the records still unsettled) are read, %CC_SETTLE_BATCH records to a
 * ledger, and collected.  A settle that cannot be written (a read-only
 * file, a lock held by another writer) changes nothing shown: those
 * records are simply candidates, read a batch at a time.  Each batch's
 * ledger looks up corrections whose target it has not read in @store
 * (cc_ledger_set_store()), so a correction reaching into another record
 * is judged as in the whole log.
 *
 * Returns: (transfer full) (element-type CcEvaluation): the evaluations,
 *   most urgent first, or %NULL with @error set if the log could not be
 *   read
 */
GPtrArray *
cc_board_read (CcStore    *store,
               CcPolicy   *policy,
               CcInstant   at,
               CcInstant   now,
               const char *suite,
               GError    **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (at != CC_INSTANT_NONE, NULL);
  g_return_val_if_fail (now != CC_INSTANT_NONE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cc_settle_backlog (store, policy, now, NULL, NULL, error))
    return NULL;
  return cc_board_read_candidates (store, policy, at, now, suite, error);
}

/**
 * cc_board_read_candidates:
 *
 * cc_board_read() without settling anything first: the board from the
 * candidates as they stand, whatever the backlog (the tests compare it
 * with the whole log's board before a settle; a reader that must not
 * write could use it).  Same arguments and result.
 */
GPtrArray *
cc_board_read_candidates (CcStore    *store,
                          CcPolicy   *policy,
                          CcInstant   at,
                          CcInstant   now,
                          const char *suite,
                          GError    **error)
{
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GPtrArray) ids = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (at != CC_INSTANT_NONE, NULL);
  g_return_val_if_fail (now != CC_INSTANT_NONE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cc_store_list_board_candidates (store, at, &ids, error))
    return NULL;

  open = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_evaluation_free);
  for (guint first = 0; first < ids->len; first += CC_SETTLE_BATCH)
    {
      /* A ledger a batch: the evaluations kept hold their records' events,
       * the rest goes with the ledger. */
      g_autoptr (CcLedger) ledger = cc_ledger_new ();
      GPtrArray *some;

      cc_ledger_set_store (ledger, store, now);
      for (guint i = first; i < ids->len && i < first + CC_SETTLE_BATCH; i++)
        if (!cc_ledger_load_record (ledger, store, g_ptr_array_index (ids, i), now, error))
          return NULL;
      some = cc_board_collect (ledger, policy, at, suite);
      g_ptr_array_extend_and_steal (open, some);
    }
  /* The order is total (it ends with the record number), so the batches
   * sorted together are the whole log's board. */
  cc_board_sort (open);
  return g_steal_pointer (&open);
}

/**
 * cc_board_to_json:
 * @evaluations: (element-type CcEvaluation): a board (cc_board_collect())
 *
 * The board as `status --json` prints it (interfaces.md): an array of the
 * evaluations without their events.
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
cc_board_to_json (GPtrArray *evaluations)
{
  JsonNode *root;
  g_autoptr (JsonArray) array = NULL;

  g_return_val_if_fail (evaluations != NULL, NULL);

  root = json_node_new (JSON_NODE_ARRAY);
  array = json_array_new ();
  for (guint i = 0; i < evaluations->len; i++)
    json_array_add_element (array, cc_evaluation_to_json (g_ptr_array_index (evaluations, i), FALSE));
  json_node_set_array (root, array);
  return root;
}

/* A clock's state as the board and the timeline show it, in a column
 * before the clock (JSON keeps cc_clock_state_to_string()).  Breaches and
 * warnings are in capitals so that they stand out without colour. */
static const char *
state_word (CcClockState state)
{
  switch (state)
    {
    case CC_STATE_BREACHED:
      /* Translators: a clock's state on the board, in capitals to stand out; keep it short (9 columns at most) */
      return C_ ("clock state", "BREACHED");
    case CC_STATE_WARNING:
      /* Translators: a clock's state on the board, in capitals to stand out; keep it short (9 columns at most) */
      return C_ ("clock state", "WARNING");
    case CC_STATE_RUNNING:
      /* Translators: a clock's state on the board: running, and the line gives when it is due */
      return C_ ("clock state", "due");
    case CC_STATE_MET:
      /* Translators: a clock's state on the timeline: done in time */
      return C_ ("clock state", "met");
    case CC_STATE_MET_LATE:
      /* Translators: a clock's state on the timeline: done, but after it was due */
      return C_ ("clock state", "met late");
    case CC_STATE_ENDED:
      /* Translators: a clock's state on the timeline: stopped because the child left custody or it was suspended */
      return C_ ("clock state", "ended");
    case CC_STATE_DISABLED:
      /* Translators: a clock's state on the timeline: switched off in the policy */
      return C_ ("clock state", "off");
    case CC_STATE_NOT_STARTED:
      /* Translators: a clock's state on the timeline */
      return C_ ("clock state", "not started");
    default:
      g_assert_not_reached ();
    }
}

static const char *
colour_for (CcClockState state,
            CcBoardFlags flags)
{
  if (!(flags & CC_BOARD_COLOUR))
    return "";
  if (state == CC_STATE_BREACHED)
    return "\033[1;31m";
  if (state == CC_STATE_WARNING)
    return "\033[1;33m";
  return "";
}

static const char *
reset (CcClockState state,
       CcBoardFlags flags)
{
  return (flags & CC_BOARD_COLOUR) && (state == CC_STATE_BREACHED || state == CC_STATE_WARNING) ? "\033[0m" : "";
}

/* Pads @text with spaces to @width characters (not bytes), and always
 * leaves at least one space: a translation longer than the column (a Welsh
 * clock name, "Sul 22 Tach 03:30") pushes the rest of the line along rather
 * than running into it. */
static void
append_padded (GString    *out,
               const char *text,
               int         width)
{
  int len = (int) g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (int i = len; i < width; i++)
    g_string_append_c (out, ' ');
  if (len >= width)
    g_string_append_c (out, ' ');
}

static void
append_clock_line (GString            *out,
                   const CcEvaluation *ev,
                   CcClockId           c,
                   GTimeZone          *tz,
                   CcBoardFlags        flags)
{
  const CcOccurrence *o = &ev->clocks[c].current;
  g_autofree char    *due = o->due_at != CC_INSTANT_NONE ? cc_time_format_relative (o->due_at, ev->at, tz) : g_strdup ("");
  g_autofree char    *delta = NULL;
  g_autofree char    *name = NULL;

  if (o->state == CC_STATE_BREACHED)
    {
      g_autofree char *d = cc_duration_format (ev->at - o->due_at);
      /* Translators: %s is a duration, e.g. "1 h 10 min" */
      delta = g_strdup_printf (_ ("%s overdue"), d);
    }
  else
    {
      g_autofree char *d = cc_duration_format (o->due_at - ev->at);
      /* Translators: %s is a duration, e.g. "1 h 10 min" */
      delta = g_strdup_printf (_ ("%s left"), d);
    }
  if (c == CC_CLOCK_REVIEW || c == CC_CLOCK_CELL_VISIT || c == CC_CLOCK_REST)
    name = g_strdup_printf ("%s (%d)", cc_clock_display_name (c), o->occurrence);
  else
    name = g_strdup (cc_clock_display_name (c));

  g_string_append (out, "    ");
  g_string_append (out, colour_for (o->state, flags));
  append_padded (out, state_word (o->state), 9);
  g_string_append (out, reset (o->state, flags));
  g_string_append_c (out, ' ');
  append_padded (out, name, 46);
  append_padded (out, due, 17);
  g_string_append_printf (out, "%s\n", delta);
}

/* The same words on the board and the timeline, so that a sergeant who
 * sees one recognises the other. */
static const char *
authorisation_missing_text (void)
{
  /* Translators: on the board and the timeline when no "detention
   * authorised" event is recorded: the clocks are counted from the arrival
   * instead, and are provisional */
  return _ ("detention authorisation not recorded: clocks run from arrival");
}

/**
 * cc_board_format_status:
 * @evaluations: (element-type CcEvaluation): the open child records, sorted
 *   (cc_board_sort())
 *
 * The board: for each child, the clocks breached now, in warning, and the
 * next one due.
 */
void
cc_board_format_status (GString     *out,
                        GPtrArray   *evaluations,
                        CcInstant    at,
                        const char  *suite,
                        GTimeZone   *tz,
                        CcBoardFlags flags)
{
  /* Translators: a g_date_time_format() format for the date and time at the
   * top of the board and the timeline, e.g. "Tue 4 Mar 2025 14:30 GMT"; %a,
   * %b and %Z are the day, the month and the time zone abbreviation */
  g_autofree char *now_text = cc_time_format_display (at, tz, C_ ("date format", "%a %-d %b %Y %H:%M %Z"));
  g_autofree char *count = g_strdup_printf (
    /* Translators: on the board's first line, after the date and time */
    g_dngettext (GETTEXT_PACKAGE, "%u child in custody", "%u children in custody", evaluations->len), evaluations->len);

  /* Translators: the first line of the board: %1$s is the custody suite (or
   * "all suites"), %2$s the date and time, %3$s how many children there are,
   * e.g. "3 children in custody" */
  g_string_append_printf (out, _ ("Custody Clock · %1$s · %2$s · %3$s"),
                          /* Translators: on the board's first line, in place of a custody suite's name */
                          suite != NULL ? suite : _ ("all suites"), now_text, count);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < evaluations->len; i++)
    {
      const CcEvaluation *ev = g_ptr_array_index (evaluations, i);
      g_autofree char    *held = cc_duration_format (at - ev->arrived_at);
      /* Translators: a child's age in years, on the board and the timeline */
      g_autofree char *age = ev->age >= 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "age %d", "age %d", ev->age), ev->age)
                                          : g_strdup (_ ("age unknown"));
      /* Translators: %s is how long the child has been held, e.g. "5 h 20 min" */
      g_autofree char *in_custody = g_strdup_printf (_ ("in custody %s"), held);
      CcClockId        next = CC_N_CLOCKS;
      CcInstant        next_at = CC_INSTANT_NONE;

      g_string_append_printf (out, "\n%s  %s  %s  %s  %s\n", ev->record_id, ev->suite, ev->child, age, in_custody);
      /* The clocks run from arrival so that a forgotten authorisation never
       * silences them, but the sergeant must know that they are provisional
       * (HACKING.md "Decisions"). */
      if (ev->authorisation_missing)
        g_string_append_printf (out, "    %s\n", authorisation_missing_text ());
      /* Breached first, then warnings, then the next thing due; within
       * each, the record's lines follow the board's order (statutory
       * first, then the longest overdue or soonest due). */
      for (int tier = 2; tier >= 1; tier--)
        {
          CcClockId order[CC_N_CLOCKS];
          guint     n = 0;

          for (int c = 0; c < CC_N_CLOCKS; c++)
            if (state_tier (ev->clocks[c].current.state) == tier)
              order[n++] = c;
          g_qsort_with_data (order, n, sizeof order[0], compare_clocks, (gpointer) ev);
          for (guint k = 0; k < n; k++)
            append_clock_line (out, ev, order[k], tz, flags);
        }
      for (int c = 0; c < CC_N_CLOCKS; c++)
        {
          const CcOccurrence *o = &ev->clocks[c].current;

          if (o->state == CC_STATE_RUNNING && (next_at == CC_INSTANT_NONE || o->due_at < next_at))
            {
              next = c;
              next_at = o->due_at;
            }
        }
      if (next != CC_N_CLOCKS)
        append_clock_line (out, ev, next, tz, flags);
      if (ev->breaches->len > 0)
        {
          g_string_append (out, "    ");
          /* Translators: %1$u is how many breaches the record has had, %2$s the
           * custody record number; "custody-clock timeline" is a command to type
           * and stays as it is */
          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%1$u breach so far; see: custody-clock timeline %2$s", "%1$u breaches so far; see: custody-clock timeline %2$s", ev->breaches->len),
                                  ev->breaches->len, ev->record_id);
          g_string_append_c (out, '\n');
        }
    }
}

/* The rank as a person reads it.  cc-event.c has only the identifiers. */
static const char *
rank_display_name (CcRank rank)
{
  switch (rank)
    {
    case CC_RANK_CONSTABLE:
      return C_ ("rank", "constable");
    case CC_RANK_SERGEANT:
      return C_ ("rank", "sergeant");
    case CC_RANK_INSPECTOR:
      return C_ ("rank", "inspector");
    case CC_RANK_CHIEF_INSPECTOR:
      return C_ ("rank", "chief inspector");
    case CC_RANK_SUPERINTENDENT:
      return C_ ("rank", "superintendent");
    case CC_RANK_CHIEF_SUPERINTENDENT:
      return C_ ("rank", "chief superintendent");
    case CC_RANK_ASSISTANT_CHIEF_CONSTABLE:
      return C_ ("rank", "assistant chief constable");
    case CC_RANK_DEPUTY_CHIEF_CONSTABLE:
      return C_ ("rank", "deputy chief constable");
    case CC_RANK_CHIEF_CONSTABLE:
      return C_ ("rank", "chief constable");
    case CC_RANK_UNKNOWN:
    default:
      return NULL;
    }
}

static const CcEvent *
find_event (const CcEvaluation *ev,
            const char         *event_id)
{
  for (guint i = 0; event_id != NULL && i < ev->events->len; i++)
    {
      const CcEvent *e = g_ptr_array_index (ev->events, i);

      if (g_strcmp0 (e->event_id, event_id) == 0)
        return e;
    }
  return NULL;
}

/* Under an extension_invalid breach on the timeline, one line per reason
 * (PACE s.42's conditions), so that the sergeant knows what to put right. */
static void
append_extension_faults (GString            *out,
                         const CcEvaluation *ev,
                         const CcBreach     *br)
{
  const CcEvent *e = find_event (ev, br->event_id);
  const char    *rank = e != NULL ? rank_display_name (cc_rank_from_string (cc_event_get_string (e, "rank"))) : NULL;

  for (gsize k = 0; k < G_N_ELEMENTS (extension_faults); k++)
    {
      g_autofree char *text = NULL;

      if (!(br->faults & extension_faults[k].fault))
        continue;
      switch (extension_faults[k].fault)
        {
        case CC_EXTENSION_FAULT_RANK:
          if (rank != NULL)
            /* Translators: under an invalid extension on the timeline; %s is a
             * rank such as "inspector" (PACE s.42: a superintendent or above) */
            text = g_strdup_printf (_ ("extension invalid: authorised at the rank of %s; it must be a superintendent or above"), rank);
          else
            /* Translators: under an invalid extension on the timeline (PACE s.42) */
            text = g_strdup (_ ("extension invalid: no rank recorded; it must be a superintendent or above"));
          break;
        case CC_EXTENSION_FAULT_REVIEWS:
          /* Translators: under an invalid extension on the timeline (PACE s.42(4)) */
          text = g_strdup (_ ("extension invalid: fewer than two PACE reviews were done before it"));
          break;
        case CC_EXTENSION_FAULT_AFTER_LIMIT:
          /* Translators: under an invalid extension on the timeline: it was given
           * after the 24 h detention limit had already passed */
          text = g_strdup (_ ("extension invalid: authorised after the detention limit had passed"));
          break;
        case CC_EXTENSION_FAULT_NOT_INDICTABLE:
          /* Translators: under an invalid extension on the timeline (PACE s.42(1)) */
          text = g_strdup (_ ("extension invalid: the offence is recorded as not indictable"));
          break;
        default:
          g_assert_not_reached ();
        }
      /* Under the breach's name, whatever the length of "BREACH" in the
       * reader's language. */
      g_string_append (out, "    ");
      append_padded (out, "", 17 + (int) g_utf8_strlen (C_ ("timeline", "BREACH"), -1) + 2);
      g_string_append_printf (out, "%s\n", text);
    }
}

static int
compare_rows_by_time (gconstpointer a,
                      gconstpointer b)
{
  const CcEvent *x = *(const CcEvent *const *) a;
  const CcEvent *y = *(const CcEvent *const *) b;

  if (x->occurred_at != y->occurred_at)
    return x->occurred_at < y->occurred_at ? -1 : 1;
  return x->seq < y->seq ? -1 : (x->seq > y->seq ? 1 : 0);
}

/* The timeline's event lines: the whole history when there is one (the
 * rows that do not count included, marked), else the events that count;
 * by event time, then seq, as the engine reads them. */
static GPtrArray *
timeline_rows (const CcEvaluation *ev,
               GPtrArray          *history)
{
  GPtrArray *from = history != NULL ? history : ev->events;
  GPtrArray *rows = g_ptr_array_new_full (from->len, NULL);

  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (rows, g_ptr_array_index (from, i));
  g_ptr_array_sort (rows, compare_rows_by_time);
  return rows;
}

/* What became of an event, for its timeline line, or %NULL when it counts
 * and corrects nothing.  @in_record: the record's event ids;
 * @last_correction: target id → the latest row (by seq) that names it. */
static char *
event_mark (const CcEvent *e,
            gboolean       counted,
            GHashTable    *in_record,
            GHashTable    *last_correction)
{
  const CcEvent *by = g_hash_table_lookup (last_correction, e->event_id);

  if (counted)
    /* Translators: on a timeline event line; %s is the id of the event this
     * one corrects (replaces) */
    return e->supersedes != NULL ? g_strdup_printf (_ ("corrects %s"), e->supersedes) : NULL;
  if (by != NULL && by->type == CC_EVENT_VOID)
    /* Translators: on a timeline event line; %s is the id of the void event
     * that removed this one */
    return g_strdup_printf (_ ("voided by %s: not counted"), by->event_id);
  if (by != NULL)
    /* Translators: on a timeline event line; %s is the id of the event that
     * corrects (replaces) this one */
    return g_strdup_printf (_ ("corrected by %s: not counted"), by->event_id);
  if (e->supersedes != NULL && !g_hash_table_contains (in_record, e->supersedes))
    /* Translators: on a timeline event line; %s is an event id that this
     * correction names but that is not in the record (not in the log yet, or
     * in another record); "custody-clock doctor" is a command */
    return g_strdup_printf (_ ("corrects %s, which is not in this record: not counted (see custody-clock doctor)"),
                            e->supersedes);
  if (e->supersedes != NULL && g_hash_table_lookup (last_correction, e->supersedes) != e)
    {
      const CcEvent *later = g_hash_table_lookup (last_correction, e->supersedes);
      /* Translators: on a timeline event line; %1$s is the id of a later
       * correction of the same event, %2$s that event's id */
      return g_strdup_printf (_ ("replaced by %1$s, a later correction of %2$s: not counted"), later->event_id,
                              e->supersedes);
    }
  if (e->type == CC_EVENT_VOID && e->supersedes != NULL)
    /* Translators: on a timeline event line of a void event; %s is the id of
     * the event it removes */
    return g_strdup_printf (_ ("removes %s"), e->supersedes);
  /* Translators: on a timeline event line of an event the clocks do not take
   * (a second arrival, an event before the arrival); "custody-clock doctor"
   * is a command and says why */
  return g_strdup (_ ("not counted (see custody-clock doctor)"));
}

/* A clock that is not running, named: the engine's explanation ("Starts if
 * bail is refused after charge") is the same for the two clocks that start
 * at a bail refusal, and two identical lines read as a mistake. */
static char *
idle_clock_text (CcClockId    clock,
                 CcClockState state)
{
  const char *name = cc_clock_display_name (clock);

  if (state == CC_STATE_DISABLED)
    /* Translators: a clock's line on the timeline; %s is the clock's name */
    return g_strdup_printf (_ ("%s: switched off in the policy"), name);
  if (clock == CC_CLOCK_ACCOMMODATION_REQUESTED || clock == CC_CLOCK_POST_CHARGE_TRANSFER)
    /* Translators: a clock's line on the timeline; %s is the clock's name */
    return g_strdup_printf (_ ("%s: starts if bail is refused after charge"), name);
  /* Translators: a clock's line on the timeline; %s is the clock's name */
  return g_strdup_printf (_ ("%s: not started yet"), name);
}

/**
 * cc_board_format_timeline:
 * @history: (nullable) (element-type CcEvent): the record's every row
 *   (cc_ledger_get_history()), so that corrected and voided events are
 *   shown, marked; %NULL shows only the events that count
 *
 * One record: its events with their ids, every clock with its
 * explanation, every breach.
 */
void
cc_board_format_timeline (GString            *out,
                          const CcEvaluation *ev,
                          GPtrArray          *history,
                          GTimeZone          *tz,
                          CcBoardFlags        flags)
{
  /* Translators: a g_date_time_format() format for the date and time at the
   * top of the board and the timeline, e.g. "Tue 4 Mar 2025 14:30 GMT"; %a,
   * %b and %Z are the day, the month and the time zone abbreviation */
  g_autofree char *now_text = cc_time_format_display (ev->at, tz, C_ ("date format", "%a %-d %b %Y %H:%M %Z"));
  /* Translators: a child's age in years, on the board and the timeline */
  g_autofree char *age = ev->age >= 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "age %d", "age %d", ev->age), ev->age)
                                      : g_strdup (_ ("age unknown"));
  g_autofree char *arrived = cc_time_format_relative (ev->arrived_at, ev->at, tz);

  /* Translators: the first line of the timeline: %1$s is the custody record
   * number, %2$s the custody suite, %3$s the child's pseudonymous reference,
   * %4$s the age (e.g. "age 15" or "age unknown"), %5$s the date and time */
  g_string_append_printf (out, _ ("%1$s · %2$s · child %3$s, %4$s · %5$s"), ev->record_id, ev->suite, ev->child, age,
                          now_text);
  g_string_append_c (out, '\n');
  if (ev->closed_at != CC_INSTANT_NONE)
    {
      g_autofree char *closed = cc_time_format_relative (ev->closed_at, ev->at, tz);
      /* Translators: %1$s is when the child arrived, %2$s when they left (times
       * such as "14:30" or "Tue 4 Mar 09:15"), %3$s how they left: an event
       * type's display name such as "released" or "left for court" */
      g_string_append_printf (out, _ ("Arrived %1$s; left custody %2$s (%3$s)"), arrived, closed,
                              cc_event_type_display_name (ev->closed_by));
      g_string_append_c (out, '\n');
    }
  else
    {
      g_autofree char *held = cc_duration_format (ev->at - ev->arrived_at);
      /* Translators: %1$s is when the child arrived (e.g. "14:30" or "Tue 4 Mar
       * 09:15"), %2$s how long they have been held (e.g. "5 h 20 min") */
      g_string_append_printf (out, _ ("Arrived %1$s; in custody for %2$s"), arrived, held);
      g_string_append_c (out, '\n');
    }
  if (!ev->monitored)
    {
      g_string_append_printf (out, "%s\n", _ ("Not a child's record: adults are not monitored."));
      return;
    }
  if (ev->authorisation_missing)
    g_string_append_printf (out, "%s\n", authorisation_missing_text ());
  if (ev->age_unknown)
    g_string_append_printf (out, "%s\n", _ ("Age unknown: monitored as a child until a date of birth is recorded."));
  /* Events that the clocks did not take (clocks.md "Readings decided for
   * unusual event orders"): said here so that a record that looks wrong can
   * be corrected; a line only when there is something to correct. */
  if (ev->dq_after_close > 0)
    {
      /* Translators: on the timeline; %u is a number of events */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u event after the child left custody: not counted by the clocks", "%u events after the child left custody: not counted by the clocks", ev->dq_after_close),
                              ev->dq_after_close);
      g_string_append_c (out, '\n');
    }
  if (ev->dq_hospital_left_twice > 0)
    {
      /* Translators: on the timeline; %u is a number of events */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u hospital departure with no return since the last one: the latest departure's purpose is used", "%u hospital departures with no return since the last one: the latest departure's purpose is used", ev->dq_hospital_left_twice),
                              ev->dq_hospital_left_twice);
      g_string_append_c (out, '\n');
    }
  if (ev->dq_rest_started_twice > 0)
    {
      /* Translators: on the timeline; %u is a number of events */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u rest started while a rest was running: not counted by the clocks", "%u rests started while a rest was running: not counted by the clocks", ev->dq_rest_started_twice),
                              ev->dq_rest_started_twice);
      g_string_append_c (out, '\n');
    }

  /* Translators: a heading of the timeline */
  g_string_append_printf (out, "\n%s\n", C_ ("timeline heading", "Events"));
  /* The ids in brackets are what a correction names (custody-log.md
   * "Corrections"), so the timeline says how to use them. */
  g_string_append (out, "    ");
  /* Translators: under the timeline's heading "Events"; %s is the custody
   * record number; "custody-clock record", TYPE, void, --supersedes and ID are
   * a command to type and stay as they are */
  g_string_append_printf (out, _ ("[ID]: custody-clock record %s TYPE --supersedes ID corrects an event; TYPE void removes it"),
                          ev->record_id);
  g_string_append_c (out, '\n');
  {
    g_autoptr (GPtrArray) rows = timeline_rows (ev, history);
    g_autoptr (GHashTable) counted = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) in_record = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) last_correction = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < ev->events->len; i++)
      {
        const CcEvent *e = g_ptr_array_index (ev->events, i);
        g_hash_table_add (counted, e->event_id);
      }
    /* The history is in seq order, so the last correction of a target seen
     * is the one that counts (custody-log.md: the latest correction wins). */
    for (guint i = 0; history != NULL && i < history->len; i++)
      {
        CcEvent *e = g_ptr_array_index (history, i);

        g_hash_table_add (in_record, e->event_id);
        if (e->supersedes != NULL)
          g_hash_table_insert (last_correction, e->supersedes, e);
      }

    for (guint i = 0; i < rows->len; i++)
      {
        const CcEvent   *e = g_ptr_array_index (rows, i);
        g_autofree char *t = NULL;
        g_autofree char *mark = NULL;

        if (e->occurred_at > ev->at)
          continue;
        t = cc_time_format_relative (e->occurred_at, ev->at, tz);
        mark = event_mark (e, g_hash_table_contains (counted, e->event_id), in_record, last_correction);
        g_string_append (out, "    ");
        append_padded (out, t, 17);
        /* The event as a person reads it, then who keyed it, then its id and
         * what became of it: the columns before are fixed, a longer
         * translation only pushes the end of the line along. */
        g_string_append (out, cc_event_type_display_name (e->type));
        if (e->officer != NULL)
          g_string_append_printf (out, " — %s", e->officer);
        g_string_append_printf (out, "  [%s]", e->event_id);
        if (mark != NULL)
          g_string_append_printf (out, "  %s", mark);
        g_string_append_c (out, '\n');
      }
  }

  /* Translators: a heading of the timeline */
  g_string_append_printf (out, "\n%s\n", C_ ("timeline heading", "Clocks"));
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      const CcOccurrence *o = &ev->clocks[c].current;

      g_string_append (out, "    ");
      g_string_append (out, colour_for (o->state, flags));
      append_padded (out, state_word (o->state), 12);
      g_string_append (out, reset (o->state, flags));
      if (o->state == CC_STATE_NOT_STARTED || o->state == CC_STATE_DISABLED)
        {
          g_autofree char *text = idle_clock_text (c, o->state);
          g_string_append_printf (out, "%s\n", text);
        }
      else
        g_string_append_printf (out, "%s\n", cc_evaluation_get_explain (ev, c));
    }

  /* Translators: a heading of the timeline */
  g_string_append_printf (out, "\n%s\n", C_ ("timeline heading", "Breaches"));
  if (ev->breaches->len == 0)
    /* Translators: under the timeline's heading "Breaches" when there are none */
    g_string_append_printf (out, "    %s\n", C_ ("breaches", "none"));
  for (guint i = 0; i < ev->breaches->len; i++)
    {
      const CcBreach  *br = &g_array_index (ev->breaches, CcBreach, i);
      g_autofree char *t = cc_time_format_relative (br->at, ev->at, tz);
      const char      *name = cc_breach_rule_display_name (br->rule);

      g_string_append (out, "    ");
      append_padded (out, t, 17);
      g_string_append_printf (out, "%s%s%s", (flags & CC_BOARD_COLOUR) ? "\033[1;31m" : "",
                              /* Translators: marks a breach on the timeline, in capitals to stand out */
                              C_ ("timeline", "BREACH"),
                              (flags & CC_BOARD_COLOUR) ? "\033[0m" : "");
      g_string_append_printf (out, "  %s (%s %d)\n", name, br->rule, br->occurrence);
      if (br->faults != 0)
        append_extension_faults (out, ev, br);
    }
}

/* One line of the inspector's list: a record's PACE review or detention
 * limit. */
typedef struct
{
  const CcEvaluation *ev;
  CcClockId           clock;
} StatutoryDue;

static int
compare_statutory_due (gconstpointer a,
                       gconstpointer b)
{
  const StatutoryDue *x = a;
  const StatutoryDue *y = b;
  int                 by_due = compare_due (x->ev->clocks[x->clock].current.due_at, y->ev->clocks[y->clock].current.due_at);
  int                 by_record;

  if (by_due != 0)
    return by_due;
  by_record = strcmp (x->ev->record_id, y->ev->record_id);
  if (by_record != 0)
    return by_record;
  return (int) x->clock - (int) y->clock;
}

/* The next PACE review and the detention limit of every record, in time
 * order.  Only those still to be done (running, in warning, or overdue):
 * a limit met by a charge, or a clock that has not started, is nothing an
 * inspector must act on. */
static GArray *
collect_statutory (GPtrArray *evaluations)
{
  GArray         *list = g_array_new (FALSE, FALSE, sizeof (StatutoryDue));
  const CcClockId clocks[] = { CC_CLOCK_REVIEW, CC_CLOCK_DETENTION_LIMIT };

  for (guint i = 0; i < evaluations->len; i++)
    {
      const CcEvaluation *ev = g_ptr_array_index (evaluations, i);

      for (gsize k = 0; k < G_N_ELEMENTS (clocks); k++)
        {
          const CcOccurrence *o = &ev->clocks[clocks[k]].current;
          StatutoryDue        due = { ev, clocks[k] };

          if (state_tier (o->state) >= 0 && o->due_at != CC_INSTANT_NONE)
            g_array_append_val (list, due);
        }
    }
  g_array_sort (list, compare_statutory_due);
  return list;
}

/**
 * cc_board_reviews_to_json:
 * @evaluations: (element-type CcEvaluation): the open child records
 *   (cc_board_collect())
 *
 * The inspector's list (`status --reviews --json`, docs/BOARD.md): one
 * object per PACE review and detention limit still to be done, in time
 * order.
 *
 * Returns: (transfer full): a JSON array
 */
JsonNode *
cc_board_reviews_to_json (GPtrArray *evaluations)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GArray) list = NULL;

  g_return_val_if_fail (evaluations != NULL, NULL);

  list = collect_statutory (evaluations);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const StatutoryDue *d = &g_array_index (list, StatutoryDue, i);
      const CcOccurrence *o = &d->ev->clocks[d->clock].current;

      json_builder_begin_object (b);
      cc_json_add_string (b, "record_id", d->ev->record_id);
      cc_json_add_string (b, "suite", d->ev->suite);
      cc_json_add_string (b, "child", d->ev->child);
      cc_json_add_string (b, "clock", cc_clock_to_string (d->clock));
      json_builder_set_member_name (b, "occurrence");
      json_builder_add_int_value (b, o->occurrence);
      cc_json_add_string (b, "state", cc_clock_state_to_string (o->state));
      cc_json_add_instant (b, "warn_at", o->warn_at);
      cc_json_add_instant (b, "due_at", o->due_at);
      json_builder_set_member_name (b, "authorisation_missing");
      json_builder_add_boolean_value (b, d->ev->authorisation_missing);
      cc_json_add_string (b, "explain", cc_evaluation_get_explain (d->ev, d->clock));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/**
 * cc_board_format_reviews:
 * @evaluations: (element-type CcEvaluation): the open child records
 *   (cc_board_collect())
 *
 * The inspector's list (`status --reviews`): every child's next PACE
 * review and detention limit, in time order, one line each.
 */
void
cc_board_format_reviews (GString     *out,
                         GPtrArray   *evaluations,
                         CcInstant    at,
                         const char  *suite,
                         GTimeZone   *tz,
                         CcBoardFlags flags)
{
  g_autoptr (GArray) list = NULL;
  g_autofree char *now_text = NULL;
  int              record_width = 0, suite_width = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (evaluations != NULL);
  g_return_if_fail (tz != NULL);

  list = collect_statutory (evaluations);
  /* Translators: a g_date_time_format() format for the date and time at the
   * top of the board and the timeline, e.g. "Tue 4 Mar 2025 14:30 GMT"; %a,
   * %b and %Z are the day, the month and the time zone abbreviation */
  now_text = cc_time_format_display (at, tz, C_ ("date format", "%a %-d %b %Y %H:%M %Z"));
  /* Translators: the first line of "custody-clock status --reviews": %1$s is
   * the custody suite (or "all suites"), %2$s the date and time */
  g_string_append_printf (out, _ ("PACE reviews and detention limits · %1$s · %2$s"),
                          /* Translators: on the board's first line, in place of a custody suite's name */
                          suite != NULL ? suite : _ ("all suites"), now_text);
  g_string_append (out, "\n\n");
  if (list->len == 0)
    {
      /* Translators: "custody-clock status --reviews" when nothing is listed */
      g_string_append_printf (out, "    %s\n", _ ("no child in custody"));
      return;
    }

  for (guint i = 0; i < list->len; i++)
    {
      const StatutoryDue *d = &g_array_index (list, StatutoryDue, i);

      record_width = MAX (record_width, (int) g_utf8_strlen (d->ev->record_id, -1));
      suite_width = MAX (suite_width, (int) g_utf8_strlen (d->ev->suite != NULL ? d->ev->suite : "", -1));
    }

  for (guint i = 0; i < list->len; i++)
    {
      const StatutoryDue *d = &g_array_index (list, StatutoryDue, i);
      const CcOccurrence *o = &d->ev->clocks[d->clock].current;
      g_autofree char    *due = cc_time_format_relative (o->due_at, at, tz);
      g_autofree char    *delta = NULL;
      g_autofree char    *name = NULL;
      g_autofree char    *left = cc_duration_format (o->state == CC_STATE_BREACHED ? at - o->due_at : o->due_at - at);

      if (o->state == CC_STATE_BREACHED)
        /* Translators: %s is a duration, e.g. "1 h 10 min" */
        delta = g_strdup_printf (_ ("%s overdue"), left);
      else
        /* Translators: %s is a duration, e.g. "1 h 10 min" */
        delta = g_strdup_printf (_ ("%s left"), left);
      if (d->clock == CC_CLOCK_REVIEW)
        name = g_strdup_printf ("%s (%d)", cc_clock_display_name (d->clock), o->occurrence);
      else
        name = g_strdup (cc_clock_display_name (d->clock));

      g_string_append (out, "    ");
      append_padded (out, due, 17);
      g_string_append (out, colour_for (o->state, flags));
      append_padded (out, state_word (o->state), 9);
      g_string_append (out, reset (o->state, flags));
      g_string_append_c (out, ' ');
      append_padded (out, d->ev->record_id, record_width);
      append_padded (out, d->ev->suite != NULL ? d->ev->suite : "", suite_width);
      append_padded (out, name, 30);
      g_string_append (out, delta);
      /* The inspector must know that a review counted from the arrival may
       * move later once the authorisation is keyed. */
      if (d->ev->authorisation_missing)
        g_string_append_printf (out, "; %s", authorisation_missing_text ());
      g_string_append_c (out, '\n');
    }
}
