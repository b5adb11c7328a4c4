/* cc-event.h: one custody event, its vocabulary and its validation
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cc-time.h"

G_BEGIN_DECLS

/* The vocabulary of custody-log.md, in that table's order. */
typedef enum
{
  CC_EVENT_ARRIVAL,
  CC_EVENT_DETENTION_AUTHORISED,
  CC_EVENT_WELFARE_INFORMED,
  CC_EVENT_AA_REQUESTED,
  CC_EVENT_AA_ARRIVED,
  CC_EVENT_AA_LEFT,
  CC_EVENT_HCP_REQUESTED,
  CC_EVENT_HCP_SEEN,
  CC_EVENT_LND_SEEN,
  CC_EVENT_HOSPITAL_LEFT,
  CC_EVENT_HOSPITAL_RETURNED,
  CC_EVENT_OBSERVATION_LEVEL,
  CC_EVENT_CELL_VISIT,
  CC_EVENT_MOVED,
  CC_EVENT_REST_STARTED,
  CC_EVENT_REST_ENDED,
  CC_EVENT_MEAL_OFFERED,
  CC_EVENT_REVIEW,
  CC_EVENT_REVIEW_POSTPONED,
  CC_EVENT_EXTENSION_AUTHORISED,
  CC_EVENT_WARRANT_GRANTED,
  CC_EVENT_INTERVIEW_STARTED,
  CC_EVENT_INTERVIEW_ENDED,
  CC_EVENT_STRIP_SEARCH,
  CC_EVENT_CHARGED,
  CC_EVENT_BAIL_REFUSED,
  CC_EVENT_LA_REQUESTED,
  CC_EVENT_LA_RESPONSE,
  CC_EVENT_TRANSFERRED_TO_LA,
  CC_EVENT_CERTIFICATE_ISSUED,
  CC_EVENT_CP_REFERRAL,
  CC_EVENT_LEFT_FOR_COURT,
  CC_EVENT_RELEASED,
  CC_EVENT_VOID,
  CC_EVENT_N_TYPES,
  CC_EVENT_INVALID = -1,
} CcEventType;

/** Largest serialised `data` object accepted (custody-log.md). */
#define CC_EVENT_MAX_DATA_BYTES (64 * 1024)
/** Longest JSON Lines line considered at all: room for the largest `data`
 * and the other fields; longer is refused before parsing. */
#define CC_EVENT_MAX_LINE_BYTES (CC_EVENT_MAX_DATA_BYTES + 16 * 1024)
/** How far ahead of the machine's clock an event time may be. */
#define CC_EVENT_MAX_FUTURE (10 * CC_MINUTE)

#define CC_EVENT_ERROR (cc_event_error_quark ())
GQuark cc_event_error_quark (void);

/**
 * CcEventError:
 *
 * Why an event was refused.  The nick of each (cc_event_error_code_name())
 * is what the quarantine table stores as the reason code.
 */
typedef enum
{
  CC_EVENT_ERROR_INVALID_JSON,
  CC_EVENT_ERROR_MISSING_FIELD,
  CC_EVENT_ERROR_WRONG_TYPE,
  CC_EVENT_ERROR_UNKNOWN_TYPE,
  CC_EVENT_ERROR_BAD_TIME,
  CC_EVENT_ERROR_NO_OFFSET,
  CC_EVENT_ERROR_NONEXISTENT_TIME,
  CC_EVENT_ERROR_AMBIGUOUS_TIME,
  CC_EVENT_ERROR_FUTURE,
  CC_EVENT_ERROR_OVERSIZED,
  CC_EVENT_ERROR_BEFORE_ARRIVAL,
  CC_EVENT_ERROR_SECOND_ARRIVAL,
  CC_EVENT_ERROR_CROSS_RECORD,
  CC_EVENT_ERROR_BAD_VALUE,
} CcEventError;

const char *cc_event_error_code_name (int code);

/**
 * CcEvent:
 * @seq: the row's `seq`, or 0 before it is stored
 * @event_id: writer's id
 * @record_id: custody record number
 * @type: the event type
 * @occurred_at: event time
 * @recorded_at: entry time, or %CC_INSTANT_NONE when not given
 * @officer: (nullable): who keyed it
 * @data_json: (nullable): the `data` object's text; %NULL when its plain
 *   fields are all of it (use cc_event_data_to_string() and
 *   cc_event_get_data())
 * @supersedes: (nullable): event_id this one replaces (or voids)
 *
 * Immutable once made; reference counted because ledgers and engines share
 * them.
 */
typedef struct
{
  gint64      seq;
  char       *event_id;
  const char *record_id; /* interned: shared by a record's events */
  CcEventType type;
  CcInstant   occurred_at;
  CcInstant   recorded_at;
  char       *officer;
  const char *data_json;
  char       *supersedes;
  /*< private >*/
  gatomicrefcount ref_count;
  /* The top-level scalar fields, for the getters: a ledger holds tens of
   * thousands of events, and a JsonObject each cost ten times more. */
  struct _CcEventField *fields;
  guint                 n_fields;
} CcEvent;

CcEvent *cc_event_new (CcEventType type,
                       const char *event_id,
                       const char *record_id,
                       CcInstant   occurred_at,
                       CcInstant   recorded_at,
                       const char *officer,
                       JsonObject *data,
                       const char *supersedes);
CcEvent *cc_event_ref (CcEvent *event);
void     cc_event_unref (CcEvent *event);

CcEvent    *cc_event_new_from_json_line (const char *line,
                                         gssize      length,
                                         GTimeZone  *assume_tz,
                                         CcInstant   now,
                                         GError    **error);
CcEvent    *cc_event_new_from_row (gint64      seq,
                                   const char *event_id,
                                   const char *record_id,
                                   const char *type,
                                   const char *occurred_at,
                                   const char *recorded_at,
                                   const char *officer,
                                   const char *data,
                                   const char *supersedes,
                                   GError    **error);
gboolean    cc_event_validate_data (CcEventType type,
                                    JsonObject *data,
                                    GError    **error);
char       *cc_event_data_to_string (const CcEvent *event);
JsonObject *cc_event_get_data (const CcEvent *event);

const char *cc_event_type_display_name (CcEventType type);
const char *cc_event_type_to_string (CcEventType type);
CcEventType cc_event_type_from_string (const char *name);
const char *cc_event_type_suggest (const char *name);
char       *cc_event_type_describe_fields (CcEventType type);
gboolean    cc_event_type_closes_record (CcEventType type);

/* Typed access to data fields; absent or null fields give the default. */
const char *cc_event_get_string (const CcEvent *event,
                                 const char    *field);
gboolean    cc_event_get_boolean (const CcEvent *event,
                                  const char    *field,
                                  gboolean       default_value);
gboolean    cc_event_has_field (const CcEvent *event,
                                const char    *field);
gint64      cc_event_get_int (const CcEvent *event,
                              const char    *field,
                              gint64         default_value);
CcInstant   cc_event_get_instant (const CcEvent *event,
                                  const char    *field);

/* Ranks of clocks.md, lowest first. */
typedef enum
{
  CC_RANK_UNKNOWN = -1,
  CC_RANK_CONSTABLE,
  CC_RANK_SERGEANT,
  CC_RANK_INSPECTOR,
  CC_RANK_CHIEF_INSPECTOR,
  CC_RANK_SUPERINTENDENT,
  CC_RANK_CHIEF_SUPERINTENDENT,
  CC_RANK_ASSISTANT_CHIEF_CONSTABLE,
  CC_RANK_DEPUTY_CHIEF_CONSTABLE,
  CC_RANK_CHIEF_CONSTABLE,
} CcRank;

CcRank      cc_rank_from_string (const char *name);
const char *cc_rank_to_string (CcRank rank);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcEvent, cc_event_unref)

G_END_DECLS
