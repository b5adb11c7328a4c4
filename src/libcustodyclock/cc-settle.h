/* cc-settle.h: finding records settled, so that readers can pass them by
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-engine.h"
#include "cc-ledger.h"
#include "cc-policy.h"
#include "cc-store.h"

G_BEGIN_DECLS

/** How many records a backlog pass reads at a time: its peak memory. */
#define CC_SETTLE_BATCH 1000

gboolean cc_settle_judge (CcLedger           *ledger,
                          const CcRecord     *record,
                          const CcEvaluation *evaluation,
                          CcInstant           now);
gboolean cc_settle_records (CcStore           *store,
                            CcLedger          *ledger,
                            CcPolicy          *policy,
                            GPtrArray         *record_ids,
                            CcInstant          now,
                            CcStoreSettleFlags flags,
                            guint             *out_settled,
                            GError           **error);
gboolean cc_settle_backlog (CcStore  *store,
                            CcPolicy *policy,
                            CcInstant now,
                            guint    *out_read,
                            guint    *out_settled,
                            GError  **error);

G_END_DECLS
