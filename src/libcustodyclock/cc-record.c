/* cc-record.c: one custody record's events, as the engine reads them
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The ledger (cc-ledger.c) makes and owns every CcRecord; what can be
 * asked of a record alone is here.
 */
#include "config.h"

#include "cc-record.h"

/**
 * cc_record_is_held:
 * @record: a record of the ledger
 *
 * A record is held while it has events that count but no arrival.  One
 * whose every event was voided (a number keyed by mistake, then voided) is
 * not: nothing of it waits for an arrival any more (issue 14 item 9).
 *
 * Returns: %TRUE if @record's events wait for its arrival
 */
gboolean
cc_record_is_held (const CcRecord *record)
{
  g_return_val_if_fail (record != NULL, FALSE);
  return record->arrival == NULL && record->n_held > 0;
}
