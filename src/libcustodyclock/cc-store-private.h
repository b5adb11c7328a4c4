/* cc-store-private.h: what the parts of the store share
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The store (cc-store.h) is one object in several files, one concern each:
 * cc-store.c (opening, transactions, the statement cache and the helpers
 * declared here), cc-store-schema.c, cc-store-events.c,
 * cc-store-settled.c, cc-store-quarantine.c, cc-store-escalations.c,
 * cc-store-audit.c and cc-store-report.c.  Only they include this header,
 * and only they hold SQL (tests/check-sql.sh).  Everything is declared
 * once, here, and defined in the file named above it.
 */
#pragma once

#include <sqlite3.h>

#include "cc-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CcStore
{
  char    *path;
  sqlite3 *db;
  int      schema_version;
  /* SQL text (static strings) → prepared statement, reused across calls */
  GHashTable *statements;
  gboolean    in_transaction;
  gboolean    in_write;          /* the transaction is cc_store_begin()'s, not a read */
  int         default_max_pages; /* 0 until cc_store_set_max_pages() reads it */
  /* cc_store_record_plans(): the SQL texts planned since the last take
   * (by text: one call site's literal may be several copies), and their
   * plans; both NULL when not recording */
  GHashTable *planned;
  GPtrArray  *plans;
};

/* ---- cc-store.c ------------------------------------------------------- */

/* Sets @error for SQLite's @rc, naming the file and what was being done
 * (@doing, a "database task" marked with NC_()).  Always returns %FALSE. */
G_GNUC_INTERNAL
gboolean set_sqlite_error (CcStore    *store,
                           int         rc,
                           const char *doing,
                           GError    **error);

G_GNUC_INTERNAL
sqlite3_stmt *prepare_cached (CcStore    *store,
                              const char *sql,
                              GError    **error);
G_GNUC_INTERNAL
gboolean plan_wanted (CcStore    *store,
                      const char *sql);
G_GNUC_INTERNAL
void record_plan (CcStore      *store,
                  const char   *sql,
                  sqlite3_stmt *explain);

/* Every statement of the store is prepared through this: prepare_cached()
 * (a cached statement, reset and with its bindings cleared; @sql must be a
 * string literal, its address is the cache key), after recording the
 * statement's plan while plans are recorded (cc_store_record_plans()). */
#define prepare(store, sql, error)                                                                              \
  (plan_wanted (store, sql) ? record_plan (store, sql, prepare_cached (store, "EXPLAIN QUERY PLAN " sql, NULL)) \
                            : (void) 0,                                                                         \
   prepare_cached (store, sql, error))

G_GNUC_INTERNAL
gboolean exec (CcStore    *store,
               const char *sql,
               const char *doing,
               GError    **error);

/* What the last step of a statement may have returned for the statement
 * to have succeeded (step_end()). */
typedef enum
{
  STEP_DONE = 1 << 0, /* it ran to its end */
  STEP_ROW = 1 << 1,  /* it stopped on the row that was wanted */
} StepEnd;

G_GNUC_INTERNAL
gboolean step_end (CcStore      *store,
                   sqlite3_stmt *stmt,
                   int           rc,
                   StepEnd       expect,
                   const char   *doing,
                   GError      **error);
G_GNUC_INTERNAL
gboolean step_done (CcStore      *store,
                    sqlite3_stmt *stmt,
                    const char   *doing,
                    GError      **error);
G_GNUC_INTERNAL
gboolean step_int64 (CcStore      *store,
                     sqlite3_stmt *stmt,
                     const char   *doing,
                     gint64       *out_value,
                     GError      **error);
G_GNUC_INTERNAL
gboolean step_rows (CcStore       *store,
                    sqlite3_stmt  *stmt,
                    CcStoreRowFunc func,
                    gpointer       user_data,
                    const char    *doing,
                    GError       **error);

G_GNUC_INTERNAL
void bind_text (sqlite3_stmt *stmt,
                int           index,
                const char   *value);
G_GNUC_INTERNAL
void bind_instant (sqlite3_stmt *stmt,
                   int           index,
                   CcInstant     instant);
G_GNUC_INTERNAL
char *column_dup (sqlite3_stmt *stmt,
                  int           column);
G_GNUC_INTERNAL
CcInstant column_instant (sqlite3_stmt *stmt,
                          int           column);

G_GNUC_INTERNAL
GPtrArray *missing_triggers (CcStore           *store,
                             const char *const *names,
                             gsize              n_names,
                             GError           **error);

/* ---- cc-store-schema.c ------------------------------------------------ */

G_GNUC_INTERNAL
gboolean migrate (CcStore *store,
                  GError **error);

/* ---- cc-store-quarantine.c -------------------------------------------- */

#define QUARANTINE_COLUMNS                                                          \
  "id, origin, source, line, seq, event_id, record_id, reason_code, reason, raw,\n" \
  "       quarantined_at, resolved_at"

G_GNUC_INTERNAL
CcQuarantineEntry *quarantine_from_row (sqlite3_stmt *stmt);

/* ---- cc-store-escalations.c ------------------------------------------- */

#define ESCALATION_COLUMNS                                                            \
  "id, record_id, rule, occurrence, level, breached_at, raised_at, acknowledged_at, " \
  "acknowledged_by, ack_note, resolved_at, resolution, late"

G_GNUC_INTERNAL
CcEscalation *escalation_from_row (sqlite3_stmt *stmt);

/* ---- cc-store-audit.c ------------------------------------------------- */

G_GNUC_INTERNAL
gboolean append_audit (CcStore    *store,
                       gint64      id,
                       const char *action,
                       CcInstant   at,
                       GError    **error);

G_END_DECLS
