/* cc-engine.h: every clock and rule for a child in custody (pure)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-event.h"
#include "cc-record.h"
#include "cc-policy.h"
#include "cc-rules.h"

G_BEGIN_DECLS

/* clocks.md "Clock states" */
typedef enum
{
  CC_STATE_NOT_STARTED,
  CC_STATE_RUNNING,
  CC_STATE_WARNING,
  CC_STATE_BREACHED,
  CC_STATE_MET,
  CC_STATE_MET_LATE,
  CC_STATE_ENDED,
  CC_STATE_DISABLED,
} CcClockState;

const char *cc_clock_state_to_string (CcClockState state);

/**
 * CcOccurrence:
 * @occurrence: 1-based
 * @state: at the evaluated instant
 * @started_at: @warn_at: @due_at: @satisfied_at: %CC_INSTANT_NONE when absent
 * @ended_at: when the record closed or the clock was suspended, for
 *   %CC_STATE_ENDED
 */
typedef struct
{
  int          occurrence;
  CcClockState state;
  CcInstant    started_at;
  CcInstant    warn_at;
  CcInstant    due_at;
  CcInstant    satisfied_at;
  CcInstant    ended_at;
} CcOccurrence;

/**
 * CcClockResult:
 * @clock: which clock
 * @current: the occurrence the board shows (interfaces.md: for review the
 *   earliest unsatisfied one, else the latest started; for cell_visit and
 *   rest the latest started; occurrence 1 when none has started)
 * @occurrences: (element-type CcOccurrence): every occurrence that has
 *   started by the instant, in order
 * @explain: (nullable): use cc_evaluation_get_explain()
 */
typedef struct
{
  CcClockId    clock;
  CcOccurrence current;
  GArray      *occurrences;
  char        *explain;
} CcClockResult;

/**
 * CcExtensionFault:
 * @CC_EXTENSION_FAULT_RANK: not given by a superintendent or above
 * @CC_EXTENSION_FAULT_REVIEWS: fewer than two reviews done before it
 * @CC_EXTENSION_FAULT_AFTER_LIMIT: given after the 24 h limit then in force
 * @CC_EXTENSION_FAULT_NOT_INDICTABLE: the offence is recorded as not
 *   indictable (`arrival.data.indictable` false)
 *
 * Why a superintendent's extension (PACE s.42) is invalid; several may hold.
 */
typedef enum
{
  CC_EXTENSION_FAULT_RANK = 1 << 0,
  CC_EXTENSION_FAULT_REVIEWS = 1 << 1,
  CC_EXTENSION_FAULT_AFTER_LIMIT = 1 << 2,
  CC_EXTENSION_FAULT_NOT_INDICTABLE = 1 << 3,
} CcExtensionFault;

/**
 * CcBreach:
 * @rule: the clock or rule name (static)
 * @is_clock: whether @rule names a clock
 * @occurrence: 1-based, per record and rule
 * @at: when the breach happened: due_at for clocks, the event's time for
 *   instant rules
 * @first_level: where its escalation starts
 * @event_id: (nullable): for instant rules, the event that triggered it
 * @faults: for `extension_invalid`, why the extension does not count: a
 *   set of #CcExtensionFault (the timeline says each); 0 otherwise
 */
typedef struct
{
  const char *rule;
  gboolean    is_clock;
  int         occurrence;
  CcInstant   at;
  CcLevel     first_level;
  const char *event_id;
  guint       faults;
} CcBreach;

/**
 * CcEvaluation:
 *
 * Everything the engine knows about one record at one instant.  Strings
 * and events are owned by the evaluation (which keeps the record's events
 * alive).
 */
typedef struct
{
  char         *record_id;
  const char   *suite;
  const char   *child;
  gboolean      monitored; /* a child (or age unknown): clocks run */
  gboolean      age_unknown;
  int           age;            /* whole years at the instant, or -1 */
  int           age_at_arrival; /* or -1 */
  CcInstant     at;
  CcInstant     arrived_at;
  CcInstant     authorised_at;         /* A */
  gboolean      authorisation_missing; /* A is the arrival: none recorded */
  CcInstant     relevant_time;         /* RT */
  CcInstant     charged_at;
  CcInstant     bail_refused_at;
  CcInstant     closed_at;
  CcEventType   closed_by; /* CC_EVENT_INVALID while open */
  CcClockResult clocks[CC_N_CLOCKS];
  GArray       *breaches;    /* (element-type CcBreach), sorted */
  CcInstant     next_change; /* the earliest instant after @at at which
                                 * a state changes without a new event, or
                                 * %CC_INSTANT_NONE */
  /* Data quality (clocks.md "Readings decided for unusual event orders"):
   * events that the engine kept out of the clocks, counted at @at */
  guint dq_after_close;         /* events after the first close */
  guint dq_hospital_left_twice; /* a hospital_left with no return since the last */
  guint dq_rest_started_twice;  /* a rest_started while a rest was running */
  /*< private >*/
  GPtrArray *events;
  CcPolicy  *policy;
} CcEvaluation;

CcEvaluation *cc_engine_evaluate (const CcRecord *record,
                                  CcPolicy       *policy,
                                  CcInstant       at);
void          cc_evaluation_free (CcEvaluation *evaluation);
gboolean      cc_evaluation_is_open (const CcEvaluation *evaluation);
const char   *cc_evaluation_get_explain (const CcEvaluation *evaluation,
                                         CcClockId           clock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcEvaluation, cc_evaluation_free)

G_END_DECLS
