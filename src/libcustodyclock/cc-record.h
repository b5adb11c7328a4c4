/* cc-record.h: one custody record's events, as the engine reads them
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The type the pure layer (the engine, the escalator, the board's and the
 * report's counting) takes a record as.  It lives apart from the ledger
 * that makes it (cc-ledger.c, which reads the store) so that the pure
 * layer does not include the store.
 */
#pragma once

#include <glib.h>

#include "cc-event.h"

G_BEGIN_DECLS

/**
 * CcRecord:
 * @record_id: the custody record number
 * @arrival: (nullable): the arrival that opens the record, after
 *   corrections; %NULL while the record's events are held waiting for it
 * @events: (element-type CcEvent): the events that count, in order of event
 *   time then seq: superseded, voided, pending and rejected events removed
 * @n_corrections: events that supersede another (voids included)
 * @n_voids: void events
 * @n_pending: corrections whose target has not been seen
 * @n_held: while @arrival is %NULL, the events that will count once it
 *   comes (voided events and voids not included); 0 otherwise
 *
 * Owned by the #CcLedger; valid until the ledger next changes.
 */
typedef struct
{
  char      *record_id;
  CcEvent   *arrival;
  GPtrArray *events;
  guint      n_corrections;
  guint      n_voids;
  guint      n_pending;
  guint      n_held;
} CcRecord;

gboolean cc_record_is_held (const CcRecord *record);

G_END_DECLS
