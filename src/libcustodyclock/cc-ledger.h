/* cc-ledger.h: per-record event lists with corrections applied
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-event.h"
#include "cc-record.h"
#include "cc-store.h"

G_BEGIN_DECLS

/**
 * CcLedgerProblem:
 * @seq: the custody_event row
 * @event_id: (nullable): @record_id: (nullable): as far as they could be read
 * @code: a #CcEventError
 * @reason: one sentence for a person
 */
typedef struct
{
  gint64 seq;
  char  *event_id;
  char  *record_id;
  int    code;
  char  *reason;
} CcLedgerProblem;

void cc_ledger_problem_free (CcLedgerProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcLedgerProblem, cc_ledger_problem_free)

typedef struct _CcLedger CcLedger;

CcLedger *cc_ledger_new (void);
void      cc_ledger_free (CcLedger *ledger);
void      cc_ledger_set_store (CcLedger *ledger,
                               CcStore  *store,
                               CcInstant now);

void     cc_ledger_add_event (CcLedger *ledger,
                              CcEvent  *event);
void     cc_ledger_add_bad_row (CcLedger     *ledger,
                                gint64        seq,
                                const char   *event_id,
                                const char   *record_id,
                                const GError *problem);
gboolean cc_ledger_load (CcLedger *ledger,
                         CcStore  *store,
                         CcInstant now,
                         GError  **error);
gboolean cc_ledger_load_record (CcLedger   *ledger,
                                CcStore    *store,
                                const char *record_id,
                                CcInstant   now,
                                GError    **error);
gboolean cc_ledger_load_held (CcLedger  *ledger,
                              CcStore   *store,
                              gint64     after_seq,
                              CcInstant  now,
                              GPtrArray *unknown,
                              gint64    *out_last_seq,
                              GError   **error);
void     cc_ledger_remove_record (CcLedger   *ledger,
                                  const char *record_id);
gboolean cc_ledger_quarantine_problems (CcLedger *ledger,
                                        CcStore  *store,
                                        CcInstant now,
                                        guint    *out_problems,
                                        guint    *out_new,
                                        GError  **error);
gint64   cc_ledger_get_last_seq (CcLedger *ledger);
gint64   cc_ledger_get_record_last_seq (CcLedger   *ledger,
                                        const char *record_id);
gboolean cc_ledger_record_waits_on_clock (CcLedger   *ledger,
                                          const char *record_id,
                                          CcInstant   now);

const CcRecord *cc_ledger_get_record (CcLedger   *ledger,
                                      const char *record_id);
GPtrArray      *cc_ledger_get_history (CcLedger   *ledger,
                                       const char *record_id);
GPtrArray      *cc_ledger_get_record_ids (CcLedger *ledger);
guint           cc_ledger_get_n_records (CcLedger *ledger);
guint           cc_ledger_get_n_events (CcLedger *ledger);
GPtrArray      *cc_ledger_get_problems (CcLedger *ledger);
GPtrArray      *cc_ledger_get_pending (CcLedger *ledger);
CcInstant       cc_ledger_get_record_last_time (CcLedger   *ledger,
                                                const char *record_id);
void            cc_ledger_add_row (CcLedger         *ledger,
                                   const CcStoreRow *row,
                                   CcInstant         now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcLedger, cc_ledger_free)

G_END_DECLS
