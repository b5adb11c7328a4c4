/* cc-store.h: the custody log database (SQLite)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-escalation.h"
#include "cc-event.h"
#include "cc-rules.h"
#include "cc-time.h"

G_BEGIN_DECLS

#define CC_STORE_ERROR (cc_store_error_quark ())
GQuark cc_store_error_quark (void);

/**
 * CcStoreError:
 * @CC_STORE_ERROR_FAILED: an SQLite error; the message names the file (a full
 *   disk, SQLITE_FULL, says so and what to do)
 * @CC_STORE_ERROR_BUSY: locked by another writer past the busy timeout
 * @CC_STORE_ERROR_NOT_FOUND: the database file does not exist (and was not to be created)
 * @CC_STORE_ERROR_PERMISSION: the file or its folder cannot be read or written
 * @CC_STORE_ERROR_CORRUPT: not a database, or damaged
 * @CC_STORE_ERROR_TOO_NEW: made by a newer custody-clock
 * @CC_STORE_ERROR_REFUSED: the change would rewrite history (acknowledging
 *   twice, or an escalation that does not exist)
 */
typedef enum
{
  CC_STORE_ERROR_FAILED,
  CC_STORE_ERROR_BUSY,
  CC_STORE_ERROR_NOT_FOUND,
  CC_STORE_ERROR_PERMISSION,
  CC_STORE_ERROR_CORRUPT,
  CC_STORE_ERROR_TOO_NEW,
  CC_STORE_ERROR_REFUSED,
} CcStoreError;

typedef enum
{
  CC_STORE_OPEN_NONE = 0,
  CC_STORE_OPEN_CREATE = 1 << 0,
} CcStoreOpenFlags;

/** The schema version this build creates and understands. */
#define CC_STORE_SCHEMA_VERSION 11
/** Default wait for another writer's lock, in milliseconds. */
#define CC_STORE_DEFAULT_BUSY_TIMEOUT_MS 5000

typedef struct _CcStore CcStore;

/**
 * CcStoreRow:
 *
 * One custody_event row exactly as SQLite holds it: text columns may be
 * %NULL when a third party inserted NULLs.  Borrowed for the duration of a
 * #CcStoreRowFunc call only.
 */
typedef struct
{
  gint64      seq;
  const char *event_id;
  const char *record_id;
  const char *type;
  const char *occurred_at;
  const char *recorded_at;
  const char *officer;
  const char *data;
  const char *supersedes;
} CcStoreRow;

typedef gboolean (*CcStoreRowFunc) (const CcStoreRow *row,
                                    gpointer          user_data,
                                    GError          **error);

/**
 * CcQuarantineEntry:
 * @origin: "import" for a rejected input line, "custody_event" for a bad row
 * @source: (nullable): the input file name ("-" for standard input)
 * @line: input line number, or 0
 * @seq: custody_event.seq of a bad row, or 0
 * @event_id: (nullable): @record_id: (nullable): what could be read of them
 * @reason_code: a cc_event_error_code_name()
 * @reason: one sentence for a person
 * @raw: (nullable): the rejected text
 * @quarantined_at: when
 * @resolved_at: when the problem went away (a held correction found its target), or %CC_INSTANT_NONE
 */
typedef struct
{
  gint64    id;
  char     *origin;
  char     *source;
  gint64    line;
  gint64    seq;
  char     *event_id;
  char     *record_id;
  char     *reason_code;
  char     *reason;
  char     *raw;
  CcInstant quarantined_at;
  CcInstant resolved_at;
} CcQuarantineEntry;

void cc_quarantine_entry_free (CcQuarantineEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcQuarantineEntry, cc_quarantine_entry_free)

CcStore    *cc_store_open (const char      *path,
                           CcStoreOpenFlags flags,
                           GError         **error);
void        cc_store_free (CcStore *store);
const char *cc_store_get_path (CcStore *store);
int         cc_store_get_schema_version (CcStore *store);
void        cc_store_set_busy_timeout (CcStore *store,
                                       int      milliseconds);

gboolean cc_store_begin (CcStore *store,
                         GError **error);
gboolean cc_store_commit (CcStore *store,
                          GError **error);
void     cc_store_rollback (CcStore *store);

gboolean cc_store_insert_event (CcStore       *store,
                                const CcEvent *event,
                                gboolean      *out_inserted,
                                gint64        *out_seq,
                                GError       **error);
gboolean cc_store_lookup_event_record (CcStore    *store,
                                       const char *event_id,
                                       char      **out_record_id,
                                       GError    **error);
gboolean cc_store_list_arrived_records (CcStore    *store,
                                        GPtrArray **out_ids,
                                        GError    **error);
gboolean cc_store_lookup_arrival (CcStore    *store,
                                  const char *record_id,
                                  char      **out_event_id,
                                  CcInstant  *out_occurred_at,
                                  GError    **error);
gboolean cc_store_foreach_event_row (CcStore       *store,
                                     gint64         after_seq,
                                     const char    *record_id,
                                     CcStoreRowFunc func,
                                     gpointer       user_data,
                                     GError       **error);
gboolean cc_store_get_max_seq (CcStore *store,
                               gint64  *out_seq,
                               GError **error);
gboolean cc_store_list_live_records (CcStore    *store,
                                     GPtrArray **out_ids,
                                     GError    **error);
gboolean cc_store_get_checkpoint (CcStore *store,
                                  gint64  *out_seq,
                                  GError **error);
gboolean cc_store_advance_checkpoint (CcStore *store,
                                      gint64   seq,
                                      GError **error);
gboolean cc_store_checkpoint_wal (CcStore *store,
                                  GError **error);
gboolean cc_store_get_data_version (CcStore *store,
                                    gint64  *out_version,
                                    GError **error);

gboolean   cc_store_add_quarantine (CcStore                 *store,
                                    const CcQuarantineEntry *entry,
                                    gboolean                *out_inserted,
                                    GError                 **error);
gboolean   cc_store_resolve_quarantine (CcStore  *store,
                                        gint64    seq,
                                        CcInstant resolved_at,
                                        GError  **error);
GPtrArray *cc_store_list_quarantine (CcStore *store,
                                     gboolean unresolved_only,
                                     GError **error);

gboolean      cc_store_insert_escalation (CcStore      *store,
                                          CcEscalation *escalation,
                                          gboolean     *out_inserted,
                                          GError      **error);
GPtrArray    *cc_store_list_escalations (CcStore *store,
                                         gboolean open_only,
                                         GError **error);
gboolean      cc_store_list_record_escalations (CcStore    *store,
                                                const char *record_id,
                                                GPtrArray  *rows,
                                                GError    **error);
CcEscalation *cc_store_get_escalation (CcStore *store,
                                       gint64   id,
                                       GError **error);
gboolean      cc_store_acknowledge (CcStore    *store,
                                    gint64      id,
                                    const char *officer,
                                    const char *note,
                                    CcInstant   at,
                                    GError    **error);
gboolean      cc_store_resolve_escalation (CcStore     *store,
                                           gint64       id,
                                           CcResolution resolution,
                                           CcInstant    at,
                                           GError     **error);
gboolean      cc_store_get_agent_policy (CcStore    *store,
                                         const char *agent,
                                         char      **out_text,
                                         GError    **error);
gboolean      cc_store_set_agent_policy (CcStore    *store,
                                         const char *agent,
                                         const char *policy,
                                         GError    **error);
GHashTable   *cc_store_list_deliveries (CcStore    *store,
                                        const char *agent,
                                        GError    **error);
gboolean      cc_store_add_delivery (CcStore    *store,
                                     const char *agent,
                                     const char *key,
                                     CcInstant   at,
                                     GError    **error);

/* Bulk writing: rows exactly as a third-party custody system writes them
 * (the simulator, and the demo's live feed), and loading a new database
 * fast. */
gboolean cc_store_insert_row (CcStore          *store,
                              const CcStoreRow *row,
                              gboolean         *out_inserted,
                              GError          **error);
gboolean cc_store_set_bulk_load (CcStore *store,
                                 gboolean bulk,
                                 GError **error);

/* The escalation history (schema step 6): an append-only hash chain over
 * every write to the escalation table, checked by doctor. */
GPtrArray *cc_store_verify_audit (CcStore *store,
                                  guint   *out_n_checked,
                                  gint64  *out_first_bad,
                                  GError **error);
gboolean   cc_store_get_audit_head (CcStore *store,
                                    gint64  *out_seq,
                                    char   **out_hash,
                                    GError **error);

/* For tests: the database cannot grow past @pages pages on this connection,
 * so writes fail with SQLITE_FULL exactly as on a full disk. */
gboolean cc_store_set_max_pages (CcStore *store,
                                 guint    pages,
                                 GError **error);

gboolean cc_store_quick_check (CcStore *store,
                               char   **out_result,
                               GError **error);
gboolean cc_store_get_journal_mode (CcStore *store,
                                    char   **out_mode,
                                    GError **error);

/* Report reads (docs/REPORT.md): the month's records, whether they changed,
 * their escalations, and the per-month summary cache. */
gboolean   cc_store_begin_read (CcStore *store,
                                GError **error);
void       cc_store_end_read (CcStore *store);
gboolean   cc_store_list_month_records (CcStore    *store,
                                        const char *from,
                                        const char *to,
                                        GPtrArray **out_ids,
                                        GError    **error);
gboolean   cc_store_month_changed_since (CcStore    *store,
                                         const char *from,
                                         const char *to,
                                         gint64      after_seq,
                                         gboolean   *out_changed,
                                         GError    **error);
GPtrArray *cc_store_list_month_escalations (CcStore    *store,
                                            const char *from,
                                            const char *to,
                                            GError    **error);
GPtrArray *cc_store_list_month_quarantine (CcStore    *store,
                                           const char *from,
                                           const char *to,
                                           gboolean    by_time,
                                           GError    **error);
gboolean   cc_store_lookup_report_cache (CcStore    *store,
                                         const char *month,
                                         const char *suite,
                                         const char *policy,
                                         char      **out_figures,
                                         gint64     *out_checked_seq,
                                         CcInstant  *out_settled_at,
                                         GError    **error);
gboolean   cc_store_save_report_cache (CcStore    *store,
                                       const char *month,
                                       const char *suite,
                                       const char *policy,
                                       gint64      checked_seq,
                                       CcInstant   settled_at,
                                       const char *figures,
                                       GError    **error);
GPtrArray *cc_store_list_suites (CcStore *store,
                                 GError **error);
gboolean   cc_store_resolve_suite (CcStore    *store,
                                   const char *name,
                                   char      **out_suite,
                                   GError    **error);

/**
 * CcStoreSettled:
 * @record_id: the record the engine found settled
 * @seq: the highest row of the record that was read (bad rows included)
 * @arrived_at: @closed_at: its stay, as the engine read it
 */
typedef struct
{
  const char *record_id;
  gint64      seq;
  CcInstant   arrived_at;
  CcInstant   closed_at;
} CcStoreSettled;

typedef enum
{
  CC_STORE_SETTLE_BOARD = 1,
  CC_STORE_SETTLE_AGENT = 2,
} CcStoreSettleFlags;

gboolean   cc_store_list_unsettled (CcStore    *store,
                                    const char *after,
                                    guint       limit,
                                    gboolean    board_only,
                                    GPtrArray **out_ids,
                                    GError    **error);
gboolean   cc_store_count_unsettled (CcStore *store,
                                     gint64  *out_board,
                                     gint64  *out_agent,
                                     GError **error);
gboolean   cc_store_list_board_candidates (CcStore    *store,
                                           CcInstant   at,
                                           GPtrArray **out_ids,
                                           GError    **error);
gboolean   cc_store_settle (CcStore              *store,
                            const CcStoreSettled *items,
                            guint                 n_items,
                            CcStoreSettleFlags    flags,
                            GError              **error);
GPtrArray *cc_store_list_missing_unsettle_triggers (CcStore *store,
                                                    GError **error);
GPtrArray *cc_store_explain_live_records (CcStore *store,
                                          GError **error);

/**
 * CcStorePlan:
 * @sql: a statement's text, as the store runs it
 * @lines: (array zero-terminated=1): its EXPLAIN QUERY PLAN: the `detail` of
 *   each row of the plan's tree, indented two spaces per level (or SQLite's
 *   message, when it could not say)
 *
 * For tests (tests/test-plans.c): how SQLite runs one statement, so that a
 * test can fail when a hot path reads a whole table.
 */
typedef struct
{
  char  *sql;
  char **lines;
} CcStorePlan;

void       cc_store_plan_free (CcStorePlan *plan);
void       cc_store_record_plans (CcStore *store,
                                  gboolean enable);
GPtrArray *cc_store_take_plans (CcStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcStorePlan, cc_store_plan_free)

/* The board (issue 15) */
gboolean cc_store_foreach_event_row_with_id (CcStore       *store,
                                             const char    *event_id,
                                             CcStoreRowFunc func,
                                             gpointer       user_data,
                                             GError       **error);

/**
 * CcStoreRecordSummary:
 * @record_id: the record (owned)
 * @found: whether a summary is kept (cc_store_list_month_summaries());
 *   the other fields are zero when not
 * @arrived_at: the corrected arrival, which decides the record's month
 * @suite: (nullable): the arrival's suite (owned)
 * @monitored: whether the engine monitors the record (a child)
 * @settled_at: the record's last row's time: the summary holds at and
 *   after it
 * @closed_at: when the engine found the child left
 * @checked_seq: the highest row of the record that was read
 * @has_aa: @aa_seconds: the AA's arrival after the clock started, if met
 * @healthcare_seen: @healthcare_of: healthcare occurrences met, started
 * @has_post_charge: @post_charge_seconds: the wait after bail was refused
 * @breaches: the record's breaches
 * @figures: (nullable): the record's whole part in its month's report,
 *   as cc-report.c encodes it (owned; record_figures, schema step 11);
 *   %NULL where none are kept or they were not asked for
 *
 * What the report's trend counts of a settled record (schema step 11).
 */
typedef struct
{
  char     *record_id;
  gboolean  found;
  CcInstant arrived_at;
  char     *suite;
  gboolean  monitored;
  CcInstant settled_at;
  CcInstant closed_at;
  gint64    checked_seq;
  gboolean  has_aa;
  gint64    aa_seconds;
  gint64    healthcare_seen, healthcare_of;
  gboolean  has_post_charge;
  gint64    post_charge_seconds;
  gint64    breaches;
  char     *figures;
} CcStoreRecordSummary;

void     cc_store_record_summary_clear (CcStoreRecordSummary *summary);
gboolean cc_store_list_month_summaries (CcStore    *store,
                                        const char *from,
                                        const char *to,
                                        const char *policy,
                                        gboolean    with_figures,
                                        GArray    **out_rows,
                                        GError    **error);
gboolean cc_store_foreach_month_row (CcStore       *store,
                                     const char    *from,
                                     const char    *to,
                                     const char    *first_id,
                                     const char    *last_id,
                                     CcStoreRowFunc func,
                                     gpointer       user_data,
                                     GError       **error);
gboolean cc_store_save_record_summaries (CcStore                    *store,
                                         const char                 *policy,
                                         const CcStoreRecordSummary *items,
                                         guint                       n_items,
                                         GError                    **error);

gboolean cc_store_get_first_arrival (CcStore   *store,
                                     CcInstant *out_at,
                                     GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcStore, cc_store_free)

G_END_DECLS
