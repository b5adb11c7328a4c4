/* event-reference.h: the event builder as it was before issue 15, for the
 * differential test (event-reference.c says why it exists)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The test compares the events both builders make field by field, so it
 * needs the layout of CcEvent's private field array.  That layout is
 * cc-event.c's own, copied here; if cc-event.c changes it, this copy must
 * change with it (the test would report every event as different).
 */
#pragma once

#include "cc-event.h"

G_BEGIN_DECLS

typedef enum
{
  DATA_BOOLEAN,
  DATA_INT,
  DATA_STRING,
  DATA_OTHER,
} DataKind;

struct _CcEventField
{
  GQuark   key;
  DataKind kind;
  union
  {
    gboolean b;
    gint64   i;
    char    *s;
  };
};
typedef struct _CcEventField CcEventField;

/* The old builders: events they make are freed with ref_event_free(), not
 * cc_event_unref() (their empty data is another static string). */
CcEvent    *ref_event_new_from_row (gint64      seq,
                                    const char *event_id,
                                    const char *record_id,
                                    const char *type,
                                    const char *occurred_at,
                                    const char *recorded_at,
                                    const char *officer,
                                    const char *data,
                                    const char *supersedes,
                                    GError    **error);
CcEvent    *ref_event_new_from_json_line (const char *line,
                                          gssize      length,
                                          GTimeZone  *assume_tz,
                                          CcInstant   now,
                                          GError    **error);
gboolean    ref_event_validate_data (CcEventType type,
                                     JsonObject *data,
                                     GError    **error);
CcEventType ref_event_type_from_string (const char *name);
void        ref_event_free (CcEvent *event);
gboolean    ref_event_data_is_empty (const CcEvent *event);

G_END_DECLS
