/* cc-store.c: the custody log database (SQLite)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every SQL statement of Custody Clock lives in this file.  Statements are
 * prepared once, with bound parameters only; nothing is ever built from data.
 * Every SQLite failure becomes a GError that names the database file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc-store.h"

/* clang-format off */
G_DEFINE_QUARK (cc-store-error-quark, cc_store_error)
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CcStore
{
  char    *path;
  sqlite3 *db;
  int      schema_version;
  /* SQL text (static strings) → prepared statement, reused across calls */
  GHashTable *statements;
  gboolean    in_transaction;
};

/* Stepwise migrations: migrations[i] takes the schema from version i to i+1.
 * The custody_event table is the contract with outside writers
 * (custody-log.md): never change it here without a new step and a README
 * note.  IF NOT EXISTS lets a custody system create the table itself first. */
static const char *const migrations[] = {
  /* 0 → 1: the custody log */
  "CREATE TABLE IF NOT EXISTS custody_event (\n"
  "  seq          INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  event_id     TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),\n"
  "  record_id    TEXT NOT NULL,\n"
  "  type         TEXT NOT NULL,\n"
  "  occurred_at  TEXT NOT NULL,\n"
  "  recorded_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n"
  "  officer      TEXT,\n"
  "  data         TEXT NOT NULL DEFAULT '{}',\n"
  "  supersedes   TEXT\n"
  ");\n"
  "CREATE INDEX IF NOT EXISTS custody_event_record ON custody_event (record_id, seq);\n"
  "CREATE INDEX IF NOT EXISTS custody_event_supersedes ON custody_event (supersedes)\n"
  "  WHERE supersedes IS NOT NULL;\n",

  /* 1 → 2: rejected input and bad rows, kept with their reason */
  "CREATE TABLE quarantine (\n"
  "  id             INTEGER PRIMARY KEY,\n"
  "  origin         TEXT NOT NULL,\n"
  "  source         TEXT,\n"
  "  line           INTEGER,\n"
  "  seq            INTEGER,\n"
  "  event_id       TEXT,\n"
  "  record_id      TEXT,\n"
  "  reason_code    TEXT NOT NULL,\n"
  "  reason         TEXT NOT NULL,\n"
  "  raw            TEXT,\n"
  "  fingerprint    TEXT NOT NULL,\n"
  "  quarantined_at TEXT NOT NULL,\n"
  "  resolved_at    TEXT,\n"
  "  UNIQUE (origin, fingerprint)\n"
  ");\n",

  /* 2 → 3: escalation records (interfaces.md) and what each agent has shown */
  "CREATE TABLE escalation (\n"
  "  id              INTEGER PRIMARY KEY,\n"
  "  record_id       TEXT NOT NULL,\n"
  "  rule            TEXT NOT NULL,\n"
  "  occurrence      INTEGER NOT NULL,\n"
  "  level           TEXT NOT NULL,\n"
  "  breached_at     TEXT NOT NULL,\n"
  "  raised_at       TEXT NOT NULL,\n"
  "  acknowledged_at TEXT,\n"
  "  acknowledged_by TEXT,\n"
  "  ack_note        TEXT,\n"
  "  resolved_at     TEXT,\n"
  "  resolution      TEXT,\n"
  "  late            INTEGER NOT NULL DEFAULT 0,\n"
  "  UNIQUE (record_id, rule, occurrence, level)\n"
  ");\n"
  "CREATE INDEX escalation_open ON escalation (record_id) WHERE resolved_at IS NULL;\n"
  "CREATE TABLE delivery (\n"
  "  agent        TEXT NOT NULL,\n"
  "  key          TEXT NOT NULL,\n"
  "  delivered_at TEXT NOT NULL,\n"
  "  PRIMARY KEY (agent, key)\n"
  ");\n",

  /* 3 → 4: the agent's working set (cc_store_list_live_records()): where
   * records open and close, and how far the monitor has got */
  "CREATE INDEX IF NOT EXISTS custody_event_arrival ON custody_event (record_id)\n"
  "  WHERE type = 'arrival';\n"
  "CREATE INDEX IF NOT EXISTS custody_event_close ON custody_event (record_id, occurred_at)\n"
  "  WHERE type IN ('transferred_to_la', 'left_for_court', 'released');\n"
  "CREATE TABLE monitor_checkpoint (\n"
  "  id  INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  seq INTEGER NOT NULL\n"
  ");\n",

  /* 4 → 5: the monthly report (docs/REPORT.md): a month's arrivals by
   * time, and each settled month's headline figures for the trend: they
   * hold while no row above checked_seq belongs to the month's records,
   * for any report instant at or after settled_at (unix seconds) */
  "CREATE INDEX IF NOT EXISTS custody_event_arrival_time ON custody_event (occurred_at, record_id)\n"
  "  WHERE type = 'arrival';\n"
  "CREATE TABLE report_cache (\n"
  "  month       TEXT NOT NULL,\n"
  "  suite       TEXT NOT NULL,\n"
  "  policy      TEXT NOT NULL,\n"
  "  checked_seq INTEGER NOT NULL,\n"
  "  settled_at  INTEGER NOT NULL,\n"
  "  figures     TEXT NOT NULL,\n"
  "  PRIMARY KEY (month, suite, policy)\n"
  ");\n",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CC_STORE_SCHEMA_VERSION);

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
set_sqlite_error (CcStore    *store,
                  int         rc,
                  const char *doing,
                  GError    **error)
{
  int         code;
  const char *msg = store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_BUSY,
                   "%s: the database is locked by another program (%s); "
                   "try again when the other writer has finished",
                   store->path, doing);
      return FALSE;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      code = CC_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      code = CC_STORE_ERROR_PERMISSION;
      break;
    case SQLITE_CANTOPEN:
      code = CC_STORE_ERROR_NOT_FOUND;
      break;
    default:
      code = CC_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, CC_STORE_ERROR, code, "%s: %s: %s", store->path, doing, msg);
  return FALSE;
}

/* Returns a cached statement, reset and with its bindings cleared.  @sql must
 * be a string literal: its address is the cache key.  (transfer none) */
static sqlite3_stmt *
prepare (CcStore    *store,
         const char *sql,
         GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);
  int           rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (store, rc, "preparing a statement", error);
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
exec (CcStore    *store,
      const char *sql,
      const char *doing,
      GError    **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (store, rc, doing, error);
  return TRUE;
}

/* Steps a statement that returns no rows (or whose rows are ignored). */
static gboolean
step_done (CcStore      *store,
           sqlite3_stmt *stmt,
           const char   *doing,
           GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, doing, error);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_instant (sqlite3_stmt *stmt,
              int           index,
              CcInstant     instant)
{
  if (instant == CC_INSTANT_NONE)
    {
      sqlite3_bind_null (stmt, index);
    }
  else
    {
      g_autofree char *text = cc_time_format_utc (instant);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
    }
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static CcInstant
column_instant (sqlite3_stmt *stmt,
                int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  CcInstant   instant;

  if (text == NULL || !cc_time_parse (text, NULL, &instant, NULL))
    return CC_INSTANT_NONE;
  return instant;
}

/* Creates the file with owner-only permissions before SQLite sees it, so
 * children's data is never readable by others, not even for an instant.
 * SQLite gives its -wal and -shm files the database file's permissions. */
static gboolean
create_private_file (const char *path,
                     GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int              fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CC_STORE_ERROR,
                   saved_errno == EACCES ? CC_STORE_ERROR_PERMISSION : CC_STORE_ERROR_FAILED,
                   "%s: cannot create the folder %s: %s", path, dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;
      g_set_error (error, CC_STORE_ERROR,
                   saved_errno == EACCES ? CC_STORE_ERROR_PERMISSION : CC_STORE_ERROR_FAILED,
                   "%s: cannot create the database: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fd >= 0)
    {
      /* open() honours the umask, which can only tighten 0600; make sure of
       * the exact mode anyway. */
      if (fchmod (fd, 0600) != 0)
        g_warning ("%s: cannot set mode 0600: %s", path, g_strerror (errno));
      close (fd);
    }
  return TRUE;
}

static gboolean
read_schema_version (CcStore *store,
                     int     *out_version,
                     GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK || (rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading the schema version", error);
  if (sqlite3_column_int (stmt, 0) == 0)
    {
      *out_version = 0;
      return TRUE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  rc = sqlite3_prepare_v2 (store->db, "SELECT max(version) FROM schema_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK || (rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading the schema version", error);
  *out_version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
migrate (CcStore *store,
         GError **error)
{
  int version;

  if (!read_schema_version (store, &version, error))
    return FALSE;

  if (version > CC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_TOO_NEW,
                   "%s: schema version %d was written by a newer custody-clock "
                   "(this one knows up to %d); upgrade custody-clock",
                   store->path, version, CC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < CC_STORE_SCHEMA_VERSION)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      int rc;

      if (!exec (store, "BEGIN IMMEDIATE", "starting a migration", error))
        return FALSE;

      /* Another process may have migrated while we waited for the lock. */
      if (!read_schema_version (store, &version, error))
        goto fail;
      if (version >= CC_STORE_SCHEMA_VERSION)
        {
          exec (store, "COMMIT", "finishing a migration", NULL);
          break;
        }

      if (!exec (store,
                 "CREATE TABLE IF NOT EXISTS schema_version (\n"
                 "  version    INTEGER PRIMARY KEY,\n"
                 "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))\n"
                 ")",
                 "creating the schema version table", error))
        goto fail;
      if (!exec (store, migrations[version], "migrating the schema", error))
        goto fail;

      rc = sqlite3_prepare_v2 (store->db, "INSERT INTO schema_version (version) VALUES (?)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int (stmt, 1, version + 1);
          rc = sqlite3_step (stmt);
        }
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (store, rc, "recording the schema version", error);
          goto fail;
        }
      if (!exec (store, "COMMIT", "finishing a migration", error))
        goto fail;

      g_debug ("%s: schema migrated to version %d", store->path, version + 1);
      version++;
      continue;

fail:
      exec (store, "ROLLBACK", "undoing a failed migration", NULL);
      return FALSE;
    }

  store->schema_version = version;
  return TRUE;
}

/**
 * cc_store_open:
 * @path: the database file
 * @flags: %CC_STORE_OPEN_CREATE to create a missing file (mode 0600)
 * @error: return location for a #GError
 *
 * Opens the custody log, in WAL mode with a busy timeout, and migrates its
 * schema stepwise to %CC_STORE_SCHEMA_VERSION.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
CcStore *
cc_store_open (const char      *path,
               CcStoreOpenFlags flags,
               GError         **error)
{
  g_autoptr (CcStore) store = g_new0 (CcStore, 1);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  store->path = g_strdup (path);
  store->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             statement_free);

  if (flags & CC_STORE_OPEN_CREATE)
    {
      if (!create_private_file (path, error))
        return NULL;
    }
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_NOT_FOUND,
                   "%s: no such database; create it with 'custody-clock init --db %s'",
                   path, path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (store, rc, "opening", error);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, TRUE);
  sqlite3_busy_timeout (store->db, CC_STORE_DEFAULT_BUSY_TIMEOUT_MS);

  /* WAL lets the agent read while a custody system writes; it also puts
   * every commit in the -wal file, which is what the agent's file monitor
   * watches. */
  {
    g_autoptr (sqlite3_stmt) stmt = NULL;
    rc = sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
      rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        set_sqlite_error (store, rc, "switching to WAL mode", error);
        return NULL;
      }
  }
  /* Reading the log is one pass in seq order; a large page cache would
   * only hold the agent's memory up (SQLite's default is 2 MiB). */
  if (!exec (store, "PRAGMA cache_size = -512", "setting the cache size", error) ||
      !exec (store, "PRAGMA synchronous = NORMAL", "setting synchronous mode", error) ||
      !exec (store, "PRAGMA foreign_keys = ON", "enabling foreign keys", error))
    return NULL;

  if (!migrate (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

void
cc_store_free (CcStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close_v2 (store->db);
  g_free (store->path);
  g_free (store);
}

const char *
cc_store_get_path (CcStore *store)
{
  return store->path;
}

int
cc_store_get_schema_version (CcStore *store)
{
  return store->schema_version;
}

/**
 * cc_store_set_busy_timeout:
 * @store: a #CcStore
 * @milliseconds: how long to wait for another writer's lock
 *
 * Past this wait, operations fail with %CC_STORE_ERROR_BUSY.
 */
void
cc_store_set_busy_timeout (CcStore *store,
                           int      milliseconds)
{
  sqlite3_busy_timeout (store->db, milliseconds);
}

/**
 * cc_store_begin:
 *
 * Starts a write transaction, taking the write lock at once so that a
 * transaction never fails half-way for want of it.
 */
gboolean
cc_store_begin (CcStore *store,
                GError **error)
{
  g_return_val_if_fail (!store->in_transaction, FALSE);
  if (!exec (store, "BEGIN IMMEDIATE", "starting a transaction", error))
    return FALSE;
  store->in_transaction = TRUE;
  return TRUE;
}

gboolean
cc_store_commit (CcStore *store,
                 GError **error)
{
  g_return_val_if_fail (store->in_transaction, FALSE);
  if (!exec (store, "COMMIT", "committing", error))
    return FALSE;
  store->in_transaction = FALSE;
  return TRUE;
}

void
cc_store_rollback (CcStore *store)
{
  if (!store->in_transaction)
    return;
  exec (store, "ROLLBACK", "rolling back", NULL);
  store->in_transaction = FALSE;
}

/**
 * cc_store_insert_event:
 * @store: a #CcStore
 * @event: a validated event
 * @out_inserted: (out) (optional): %FALSE when @event's event_id was already
 *   in the log, which makes sending an event twice a no-op
 * @out_seq: (out) (optional): the new row's seq, or 0
 * @error: return location for a #GError
 *
 * Appends one event.  When @event has no recorded_at, the database's default
 * (the time of insertion) applies.
 */
gboolean
cc_store_insert_event (CcStore       *store,
                       const CcEvent *event,
                       gboolean      *out_inserted,
                       gint64        *out_seq,
                       GError       **error)
{
  sqlite3_stmt    *stmt;
  g_autofree char *data = NULL;
  gboolean         inserted;

  stmt = prepare (store,
                  "INSERT INTO custody_event (event_id, record_id, type, occurred_at, recorded_at,\n"
                  "                           officer, data, supersedes)\n"
                  "VALUES (?1, ?2, ?3, ?4,\n"
                  "        coalesce(?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?6, ?7, ?8)\n"
                  "ON CONFLICT (event_id) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;

  data = cc_event_data_to_string (event);
  bind_text (stmt, 1, event->event_id);
  bind_text (stmt, 2, event->record_id);
  bind_text (stmt, 3, cc_event_type_to_string (event->type));
  bind_instant (stmt, 4, event->occurred_at);
  bind_instant (stmt, 5, event->recorded_at);
  bind_text (stmt, 6, event->officer);
  bind_text (stmt, 7, data);
  bind_text (stmt, 8, event->supersedes);

  if (!step_done (store, stmt, "adding an event", error))
    return FALSE;

  inserted = sqlite3_changes (store->db) > 0;
  if (out_inserted != NULL)
    *out_inserted = inserted;
  if (out_seq != NULL)
    *out_seq = inserted ? sqlite3_last_insert_rowid (store->db) : 0;
  return TRUE;
}

/**
 * cc_store_lookup_event_record:
 * @out_record_id: (out) (transfer full) (nullable): the record of the event
 *   with this event_id, or %NULL when there is none
 */
gboolean
cc_store_lookup_event_record (CcStore    *store,
                              const char *event_id,
                              char      **out_record_id,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT record_id FROM custody_event WHERE event_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_record_id = column_dup (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out_record_id = NULL;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "looking up an event", error);
  return TRUE;
}

/**
 * cc_store_lookup_arrival:
 * @out_event_id: (out) (transfer full) (nullable): the record's arrival, or
 *   %NULL when the record has none yet
 * @out_occurred_at: (out): its time
 *
 * The record's arrival as it stands after corrections: the first arrival row
 * (by seq) that no later row of the same record supersedes or voids.
 * Supersession chains are the ledger's business; this is the quick check the
 * importer makes for each new line.
 */
gboolean
cc_store_lookup_arrival (CcStore    *store,
                         const char *record_id,
                         char      **out_event_id,
                         CcInstant  *out_occurred_at,
                         GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT e.event_id, e.occurred_at FROM custody_event AS e\n"
                  "WHERE e.record_id = ?1 AND e.type = 'arrival'\n"
                  "  AND NOT EXISTS (SELECT 1 FROM custody_event AS c\n"
                  "                  WHERE c.supersedes = e.event_id AND c.record_id = e.record_id)\n"
                  "ORDER BY e.seq LIMIT 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record_id);

  *out_event_id = NULL;
  *out_occurred_at = CC_INSTANT_NONE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_event_id = column_dup (stmt, 0);
      *out_occurred_at = column_instant (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "looking up an arrival", error);
  return TRUE;
}

/**
 * cc_store_foreach_event_row:
 * @after_seq: only rows with a greater seq (0 for all)
 * @record_id: (nullable): only this record's rows
 * @func: called for each row in seq order; return %FALSE (with its error
 *   set) to stop
 *
 * Reads custody_event rows exactly as stored, without judging them: the
 * caller validates them (a third party may have written anything).
 */
gboolean
cc_store_foreach_event_row (CcStore       *store,
                            gint64         after_seq,
                            const char    *record_id,
                            CcStoreRowFunc func,
                            gpointer       user_data,
                            GError       **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  if (record_id != NULL)
    stmt = prepare (store,
                    "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                    "FROM custody_event WHERE record_id = ?2 AND seq > ?1 ORDER BY seq",
                    error);
  else
    stmt = prepare (store,
                    "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                    "FROM custody_event WHERE seq > ?1 ORDER BY seq",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  if (record_id != NULL)
    bind_text (stmt, 2, record_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CcStoreRow row = {
        .seq = sqlite3_column_int64 (stmt, 0),
        .event_id = (const char *) sqlite3_column_text (stmt, 1),
        .record_id = (const char *) sqlite3_column_text (stmt, 2),
        .type = (const char *) sqlite3_column_text (stmt, 3),
        .occurred_at = (const char *) sqlite3_column_text (stmt, 4),
        .recorded_at = (const char *) sqlite3_column_text (stmt, 5),
        .officer = (const char *) sqlite3_column_text (stmt, 6),
        .data = (const char *) sqlite3_column_text (stmt, 7),
        .supersedes = (const char *) sqlite3_column_text (stmt, 8),
      };

      if (!func (&row, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "reading events", error);
  return TRUE;
}

gboolean
cc_store_get_max_seq (CcStore *store,
                      gint64  *out_seq,
                      GError **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT coalesce(max(seq), 0) FROM custody_event", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading the last event number", error);
  return TRUE;
}

/* The agent's working set.
 *
 * A record the agent must hold is one whose clocks can still change or
 * whose escalations can still climb; every other record is settled until a
 * new row arrives for it.  These reads find the first kind without reading
 * the log: the partial indexes on arrivals and closing events make them a
 * few milliseconds on a national year. */

#define CLOSING_TYPES "('transferred_to_la', 'left_for_court', 'released')"

/**
 * cc_store_list_live_records:
 * @after_seq: rows above this (the monitor's checkpoint) are new: their
 *   records are included whatever they say
 * @closed_before: a record counts as closed only by a closing event
 *   recorded as before this instant (a day's margin is plenty for any
 *   offset); later ones, or ones keyed ahead of time, are read
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids,
 *   sorted
 *
 * The records that may not be settled: every record with an arrival and
 * no closing event; every record whose closing event a later row corrects
 * or voids; every record with an escalation not yet resolved or a row in
 * quarantine; and every record with a row above @after_seq.  A superset is
 * harmless (the agent reads those records and lets the settled ones go);
 * missing one is not, hence the margins.
 */
gboolean
cc_store_list_live_records (CcStore    *store,
                            gint64      after_seq,
                            CcInstant   closed_before,
                            GPtrArray **out_ids,
                            GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT record_id FROM custody_event WHERE type = 'arrival'\n"
                  "EXCEPT SELECT record_id FROM custody_event\n"
                  "  WHERE type IN " CLOSING_TYPES " AND occurred_at < ?2\n"
                  "UNION SELECT t.record_id FROM custody_event AS c\n"
                  "  JOIN custody_event AS t ON t.event_id = c.supersedes\n"
                  "  WHERE c.supersedes IS NOT NULL AND t.type IN " CLOSING_TYPES "\n"
                  "UNION SELECT record_id FROM escalation WHERE resolved_at IS NULL\n"
                  "UNION SELECT record_id FROM quarantine\n"
                  "  WHERE origin = 'custody_event' AND record_id IS NOT NULL AND resolved_at IS NULL\n"
                  "UNION SELECT record_id FROM custody_event WHERE seq > ?1\n"
                  "ORDER BY 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  bind_instant (stmt, 2, closed_before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "finding the records in custody", error);
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_get_checkpoint:
 * @out_seq: (out): the seq up to which a monitor has finished a pass over
 *   every row (all escalation records for those rows written), or 0
 */
gboolean
cc_store_get_checkpoint (CcStore *store,
                         gint64  *out_seq,
                         GError **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT coalesce(max(seq), 0) FROM monitor_checkpoint", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading the monitor's checkpoint", error);
  return TRUE;
}

/**
 * cc_store_advance_checkpoint:
 *
 * Records that every row up to @seq has been through a pass.  It only
 * moves forward, so agents that share a database cannot move it back.
 */
gboolean
cc_store_advance_checkpoint (CcStore *store,
                             gint64   seq,
                             GError **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO monitor_checkpoint (id, seq) VALUES (1, ?1)\n"
                  "ON CONFLICT (id) DO UPDATE SET seq = max(seq, excluded.seq)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return step_done (store, stmt, "writing the monitor's checkpoint", error);
}

/**
 * cc_store_get_data_version:
 *
 * SQLite's `PRAGMA data_version`: changes when another connection commits.
 * The agent uses it to confirm that a file-monitor event was a real commit.
 */
gboolean
cc_store_get_data_version (CcStore *store,
                           gint64  *out_version,
                           GError **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  /* SQLite refreshes a connection's data_version only when it starts a
   * read transaction: read something first, or another process's commit
   * goes unseen until our next write. */
  stmt = prepare (store, "SELECT version FROM schema_version LIMIT 1", error);
  if (stmt == NULL || !step_done (store, stmt, "reading the data version", error))
    return FALSE;
  stmt = prepare (store, "PRAGMA data_version", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, "reading the data version", error);
  return TRUE;
}

void
cc_quarantine_entry_free (CcQuarantineEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->origin);
  g_free (entry->source);
  g_free (entry->event_id);
  g_free (entry->record_id);
  g_free (entry->reason_code);
  g_free (entry->reason);
  g_free (entry->raw);
  g_free (entry);
}

/* What makes two quarantine entries the same: the same bad row, or the same
 * rejected text.  Importing a file twice then quarantines nothing new. */
static char *
quarantine_fingerprint (const CcQuarantineEntry *entry)
{
  if (entry->seq > 0)
    return g_strdup_printf ("seq:%" G_GINT64_FORMAT, entry->seq);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                        entry->raw != NULL ? entry->raw : entry->reason, -1);
}

/**
 * cc_store_add_quarantine:
 * @out_inserted: (out) (optional): %FALSE when the same entry was already kept
 */
gboolean
cc_store_add_quarantine (CcStore                 *store,
                         const CcQuarantineEntry *entry,
                         gboolean                *out_inserted,
                         GError                 **error)
{
  sqlite3_stmt    *stmt;
  g_autofree char *fingerprint = quarantine_fingerprint (entry);

  stmt = prepare (store,
                  "INSERT INTO quarantine (origin, source, line, seq, event_id, record_id,\n"
                  "                        reason_code, reason, raw, fingerprint, quarantined_at)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)\n"
                  "ON CONFLICT (origin, fingerprint) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, entry->origin);
  bind_text (stmt, 2, entry->source);
  if (entry->line > 0)
    sqlite3_bind_int64 (stmt, 3, entry->line);
  if (entry->seq > 0)
    sqlite3_bind_int64 (stmt, 4, entry->seq);
  bind_text (stmt, 5, entry->event_id);
  bind_text (stmt, 6, entry->record_id);
  bind_text (stmt, 7, entry->reason_code);
  bind_text (stmt, 8, entry->reason);
  bind_text (stmt, 9, entry->raw);
  bind_text (stmt, 10, fingerprint);
  bind_instant (stmt, 11, entry->quarantined_at);

  if (!step_done (store, stmt, "quarantining an event", error))
    return FALSE;
  if (out_inserted != NULL)
    *out_inserted = sqlite3_changes (store->db) > 0;
  return TRUE;
}

/**
 * cc_store_resolve_quarantine:
 *
 * Marks a bad row's quarantine entry resolved (its problem went away: a held
 * correction's target arrived, say).
 */
gboolean
cc_store_resolve_quarantine (CcStore  *store,
                             gint64    seq,
                             CcInstant resolved_at,
                             GError  **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "UPDATE quarantine SET resolved_at = ?2 WHERE seq = ?1 AND resolved_at IS NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  bind_instant (stmt, 2, resolved_at);
  return step_done (store, stmt, "resolving a quarantine entry", error);
}

/**
 * cc_store_list_quarantine:
 *
 * Returns: (transfer full) (element-type CcQuarantineEntry): the entries,
 *   oldest first
 */
GPtrArray *
cc_store_list_quarantine (CcStore *store,
                          gboolean unresolved_only,
                          GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_quarantine_entry_free);
  int rc;

  stmt = prepare (store,
                  "SELECT id, origin, source, line, seq, event_id, record_id, reason_code, reason, raw,\n"
                  "       quarantined_at, resolved_at\n"
                  "FROM quarantine WHERE (?1 = 0 OR resolved_at IS NULL) ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, unresolved_only ? 1 : 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CcQuarantineEntry *entry = g_new0 (CcQuarantineEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->origin = column_dup (stmt, 1);
      entry->source = column_dup (stmt, 2);
      entry->line = sqlite3_column_int64 (stmt, 3);
      entry->seq = sqlite3_column_int64 (stmt, 4);
      entry->event_id = column_dup (stmt, 5);
      entry->record_id = column_dup (stmt, 6);
      entry->reason_code = column_dup (stmt, 7);
      entry->reason = column_dup (stmt, 8);
      entry->raw = column_dup (stmt, 9);
      entry->quarantined_at = column_instant (stmt, 10);
      entry->resolved_at = column_instant (stmt, 11);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, "reading the quarantine", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
pragma_text (CcStore    *store,
             const char *sql,
             const char *doing,
             char      **out_text,
             GError    **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  int rc;

  rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (store, rc, doing, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, (const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, doing, error);
  *out_text = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

/* Bulk writing
 * ============
 * For writers that are not Custody Clock's own validated paths: the
 * simulator, and the demo feeding simulated rows into a live database. */

/**
 * cc_store_insert_row:
 * @store: a #CcStore
 * @row: the row's text columns; @row->seq is ignored (SQLite numbers rows)
 * @out_inserted: (out) (optional): %FALSE when a row with this event_id was
 *   already in the table, which makes sending a row twice a no-op
 * @error: return location for a #GError
 *
 * Appends one custody_event row exactly as a third-party custody system
 * would with plain SQL: the texts go in unjudged (readers judge rows, see
 * cc_event_new_from_row()), and a %NULL event_id, recorded_at or data takes
 * the table's default.  Batch calls between cc_store_begin() and
 * cc_store_commit(): one transaction per row costs a write to the WAL each.
 */
gboolean
cc_store_insert_row (CcStore          *store,
                     const CcStoreRow *row,
                     gboolean         *out_inserted,
                     GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO custody_event (event_id, record_id, type, occurred_at, recorded_at,\n"
                  "                           officer, data, supersedes)\n"
                  "VALUES (coalesce(?1, lower(hex(randomblob(16)))), ?2, ?3, ?4,\n"
                  "        coalesce(?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?6, coalesce(?7, '{}'), ?8)\n"
                  "ON CONFLICT (event_id) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;

  /* The row's strings outlive the step: SQLite need not copy them. */
  {
    const char *texts[] = { row->event_id, row->record_id, row->type, row->occurred_at,
                            row->recorded_at, row->officer, row->data, row->supersedes };
    for (int i = 0; i < (int) G_N_ELEMENTS (texts); i++)
      if (texts[i] != NULL)
        sqlite3_bind_text (stmt, i + 1, texts[i], -1, SQLITE_STATIC);
  }

  if (!step_done (store, stmt, "adding a row", error))
    return FALSE;
  if (out_inserted != NULL)
    *out_inserted = sqlite3_changes (store->db) > 0;
  return TRUE;
}

/**
 * cc_store_set_bulk_load:
 * @bulk: %TRUE before loading, %FALSE after
 *
 * For filling a database this program has just created and nobody else
 * uses yet (`custody-clock simulate` into a new file): commits are not
 * synced to disk (synchronous=OFF: a power cut can lose the load, which is
 * simply run again) and the page cache is 64 MiB rather than the reader's
 * 512 KiB, so the event_id and record indexes stay in memory.  %FALSE puts
 * back what cc_store_open() sets.  Never use it on a custody system's log.
 * Measured (docs/SIMULATOR.md): 60,000 simulated records in 8.9–10.0 s,
 * against 10.1–11.5 s without it.
 */
gboolean
cc_store_set_bulk_load (CcStore *store,
                        gboolean bulk,
                        GError **error)
{
  if (bulk)
    return exec (store, "PRAGMA synchronous = OFF", "setting synchronous mode", error) &&
           exec (store, "PRAGMA cache_size = -65536", "setting the cache size", error);
  return exec (store, "PRAGMA synchronous = NORMAL", "setting synchronous mode", error) &&
         exec (store, "PRAGMA cache_size = -512", "setting the cache size", error);
}

/**
 * cc_store_quick_check:
 * @out_result: (out) (transfer full): "ok", or SQLite's list of problems
 */
gboolean
cc_store_quick_check (CcStore *store,
                      char   **out_result,
                      GError **error)
{
  return pragma_text (store, "PRAGMA quick_check", "checking integrity", out_result, error);
}

gboolean
cc_store_get_journal_mode (CcStore *store,
                           char   **out_mode,
                           GError **error)
{
  return pragma_text (store, "PRAGMA journal_mode", "reading the journal mode", out_mode, error);
}

CcEscalation *
cc_escalation_new (const char *record_id,
                   const char *rule,
                   int         occurrence,
                   CcLevel     level,
                   CcInstant   breached_at,
                   CcInstant   raised_at)
{
  CcEscalation *e = g_new0 (CcEscalation, 1);

  e->record_id = g_strdup (record_id);
  e->rule = g_strdup (rule);
  e->occurrence = occurrence;
  e->level = level;
  e->breached_at = breached_at;
  e->raised_at = raised_at;
  e->acknowledged_at = CC_INSTANT_NONE;
  e->resolved_at = CC_INSTANT_NONE;
  return e;
}

void
cc_escalation_free (CcEscalation *e)
{
  if (e == NULL)
    return;
  g_free (e->record_id);
  g_free (e->rule);
  g_free (e->acknowledged_by);
  g_free (e->ack_note);
  g_free (e->resolution);
  g_free (e);
}

/**
 * cc_store_insert_escalation:
 * @escalation: (inout): the record; its @id is set
 * @out_inserted: (out) (optional): %FALSE when another agent (or an earlier
 *   run) already wrote this record and level: the UNIQUE constraint makes
 *   sure each breach gets one record per level, however many agents watch
 *
 * Writes one escalation record, unless it exists.
 */
gboolean
cc_store_insert_escalation (CcStore      *store,
                            CcEscalation *escalation,
                            gboolean     *out_inserted,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean      inserted;

  stmt = prepare (store,
                  "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at, late)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)\n"
                  "ON CONFLICT (record_id, rule, occurrence, level) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, escalation->record_id);
  bind_text (stmt, 2, escalation->rule);
  sqlite3_bind_int (stmt, 3, escalation->occurrence);
  bind_text (stmt, 4, cc_level_to_string (escalation->level));
  bind_instant (stmt, 5, escalation->breached_at);
  bind_instant (stmt, 6, escalation->raised_at);
  sqlite3_bind_int (stmt, 7, escalation->late ? 1 : 0);
  if (!step_done (store, stmt, "writing an escalation record", error))
    return FALSE;
  inserted = sqlite3_changes (store->db) > 0;
  if (inserted)
    escalation->id = sqlite3_last_insert_rowid (store->db);
  if (out_inserted != NULL)
    *out_inserted = inserted;
  return TRUE;
}

static CcEscalation *
escalation_from_row (sqlite3_stmt *stmt)
{
  CcEscalation *e = g_new0 (CcEscalation, 1);

  e->id = sqlite3_column_int64 (stmt, 0);
  e->record_id = column_dup (stmt, 1);
  e->rule = column_dup (stmt, 2);
  e->occurrence = sqlite3_column_int (stmt, 3);
  e->level = cc_level_from_string ((const char *) sqlite3_column_text (stmt, 4));
  e->breached_at = column_instant (stmt, 5);
  e->raised_at = column_instant (stmt, 6);
  e->acknowledged_at = column_instant (stmt, 7);
  e->acknowledged_by = column_dup (stmt, 8);
  e->ack_note = column_dup (stmt, 9);
  e->resolved_at = column_instant (stmt, 10);
  e->resolution = column_dup (stmt, 11);
  e->late = sqlite3_column_int (stmt, 12) != 0;
  return e;
}

#define ESCALATION_COLUMNS                                                            \
  "id, record_id, rule, occurrence, level, breached_at, raised_at, acknowledged_at, " \
  "acknowledged_by, ack_note, resolved_at, resolution, late"

/**
 * cc_store_list_escalations:
 * @open_only: only those not yet resolved
 *
 * Returns: (transfer full) (element-type CcEscalation): the records, by id
 */
GPtrArray *
cc_store_list_escalations (CcStore *store,
                           gboolean open_only,
                           GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT " ESCALATION_COLUMNS " FROM escalation\n"
                  "WHERE (?1 = 0 OR resolved_at IS NULL) ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, open_only ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, escalation_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, "reading escalation records", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * cc_store_list_record_escalations:
 * @rows: (element-type CcEscalation): where the record's escalation
 *   records are appended, by id
 */
gboolean
cc_store_list_record_escalations (CcStore    *store,
                                  const char *record_id,
                                  GPtrArray  *rows,
                                  GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT " ESCALATION_COLUMNS " FROM escalation WHERE record_id = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, escalation_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "reading escalation records", error);
  return TRUE;
}

/**
 * cc_store_get_escalation:
 *
 * Returns: (transfer full): the record, or %NULL with
 *   %CC_STORE_ERROR_REFUSED when there is none with @id
 */
CcEscalation *
cc_store_get_escalation (CcStore *store,
                         gint64   id,
                         GError **error)
{
  sqlite3_stmt *stmt;
  CcEscalation *e = NULL;
  int           rc;

  stmt = prepare (store, "SELECT " ESCALATION_COLUMNS " FROM escalation WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    e = escalation_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, "reading an escalation record", error);
      return NULL;
    }
  if (e == NULL)
    g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED,
                 "%s: there is no escalation %" G_GINT64_FORMAT "; 'custody-clock escalations --open' lists them",
                 store->path, id);
  return e;
}

/**
 * cc_store_acknowledge:
 * @officer: who (collar or staff number)
 * @note: (nullable): what they did
 *
 * Records who acknowledged an escalation and when.  An acknowledgement is
 * history: it is never overwritten, so acknowledging twice is refused.
 */
gboolean
cc_store_acknowledge (CcStore    *store,
                      gint64      id,
                      const char *officer,
                      const char *note,
                      CcInstant   at,
                      GError    **error)
{
  g_autoptr (CcEscalation) existing = cc_store_get_escalation (store, id, error);
  sqlite3_stmt *stmt;

  if (existing == NULL)
    return FALSE;
  if (existing->acknowledged_at != CC_INSTANT_NONE)
    {
      g_autofree char *when = cc_time_format_utc (existing->acknowledged_at);
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED,
                   "escalation %" G_GINT64_FORMAT " was already acknowledged by %s at %s; "
                   "an acknowledgement is never rewritten",
                   id, existing->acknowledged_by, when);
      return FALSE;
    }
  stmt = prepare (store,
                  "UPDATE escalation SET acknowledged_at = ?2, acknowledged_by = ?3, ack_note = ?4\n"
                  "WHERE id = ?1 AND acknowledged_at IS NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_instant (stmt, 2, at);
  bind_text (stmt, 3, officer);
  bind_text (stmt, 4, note);
  return step_done (store, stmt, "acknowledging an escalation", error);
}

/**
 * cc_store_resolve_escalation:
 * @resolution: "satisfied", "closed" or "withdrawn_late_entry"
 *
 * Marks an escalation resolved, once: a resolved record is not changed.
 */
gboolean
cc_store_resolve_escalation (CcStore    *store,
                             gint64      id,
                             const char *resolution,
                             CcInstant   at,
                             GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "UPDATE escalation SET resolved_at = ?2, resolution = ?3\n"
                  "WHERE id = ?1 AND resolved_at IS NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_instant (stmt, 2, at);
  bind_text (stmt, 3, resolution);
  return step_done (store, stmt, "resolving an escalation", error);
}

/**
 * cc_store_list_deliveries:
 * @agent: the agent's identity (desk, user, role)
 *
 * What this agent has already shown, so that a restart shows nothing twice.
 *
 * Returns: (transfer full) (element-type utf8 utf8): delivery keys (as a set)
 */
GHashTable *
cc_store_list_deliveries (CcStore    *store,
                          const char *agent,
                          GError    **error)
{
  g_autoptr (GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT key FROM delivery WHERE agent = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, agent);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (keys, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, "reading deliveries", error);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

gboolean
cc_store_add_delivery (CcStore    *store,
                       const char *agent,
                       const char *key,
                       CcInstant   at,
                       GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO delivery (agent, key, delivered_at) VALUES (?1, ?2, ?3)\n"
                  "ON CONFLICT (agent, key) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, agent);
  bind_text (stmt, 2, key);
  bind_instant (stmt, 3, at);
  return step_done (store, stmt, "recording a delivery", error);
}

/* ---- Report reads --------------------------------------------------------
 *
 * What `custody-clock report` reads (docs/REPORT.md): a month's records,
 * their escalation records, and the per-month summary cache that keeps the
 * 12-month trend from reading a national year.  A month is found by the
 * text of arrival times: the caller widens the range by the largest offset
 * and decides precisely after parsing. */

/**
 * cc_store_begin_read:
 *
 * Starts a read transaction: every read until cc_store_end_read() sees the
 * same snapshot of the log, and SQLite takes its shared lock once instead
 * of once per statement (the report runs one per record).  Nothing may be
 * written until it ends.
 */
gboolean
cc_store_begin_read (CcStore *store,
                     GError **error)
{
  g_return_val_if_fail (!store->in_transaction, FALSE);
  if (!exec (store, "BEGIN DEFERRED", "starting to read", error))
    return FALSE;
  store->in_transaction = TRUE;
  return TRUE;
}

void
cc_store_end_read (CcStore *store)
{
  if (!store->in_transaction)
    return;
  exec (store, "COMMIT", "finishing reading", NULL);
  store->in_transaction = FALSE;
}

#define MONTH_RECORDS                     \
  "SELECT record_id FROM custody_event\n" \
  "WHERE type = 'arrival' AND occurred_at >= ?1 AND occurred_at < ?2"

/**
 * cc_store_list_month_records:
 * @from: @to: occurred_at text range of arrival rows, [@from, @to)
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids with
 *   an arrival row (corrected or not) in the range, sorted, once each
 */
gboolean
cc_store_list_month_records (CcStore    *store,
                             const char *from,
                             const char *to,
                             GPtrArray **out_ids,
                             GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT DISTINCT record_id FROM (" MONTH_RECORDS ") ORDER BY 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "finding the month's records", error);
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_month_changed_since:
 * @after_seq: the log's last seq when the caller last looked
 * @out_changed: (out): whether a row above @after_seq belongs to a record
 *   of cc_store_list_month_records()
 *
 * Rows are only ever appended (custody-log.md), so this is whether the
 * month's records have changed since.  Only the rows above @after_seq are
 * read (the unary + keeps SQLite from probing the month's records one by
 * one instead).
 */
gboolean
cc_store_month_changed_since (CcStore    *store,
                              const char *from,
                              const char *to,
                              gint64      after_seq,
                              gboolean   *out_changed,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT 1 FROM custody_event\n"
                  "WHERE seq > ?3 AND +record_id IN (" MONTH_RECORDS ") LIMIT 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  sqlite3_bind_int64 (stmt, 3, after_seq);
  rc = sqlite3_step (stmt);
  *out_changed = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "looking for the month's new rows", error);
  return TRUE;
}

/**
 * cc_store_list_month_escalations:
 * @from: @to: as for cc_store_list_month_records()
 *
 * Returns: (transfer full) (element-type CcEscalation): the escalation
 *   records of the records cc_store_list_month_records() finds, by record
 *   then id
 */
GPtrArray *
cc_store_list_month_escalations (CcStore    *store,
                                 const char *from,
                                 const char *to,
                                 GError    **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT " ESCALATION_COLUMNS " FROM escalation\n"
                  "WHERE record_id IN (" MONTH_RECORDS ") ORDER BY record_id, id",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, escalation_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, "reading escalation records", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * cc_store_lookup_report_cache:
 * @month: "YYYY-MM"
 * @suite: the suite, or "" for all
 * @policy: a digest of the policy (and of the cache's format)
 * @out_figures: (out) (transfer full) (nullable): the kept figures, or %NULL
 *   when there are none
 * @out_checked_seq: (out): the log's last seq when they were last known to
 *   hold
 * @out_settled_at: (out): they hold for report instants at or after this
 */
gboolean
cc_store_lookup_report_cache (CcStore    *store,
                              const char *month,
                              const char *suite,
                              const char *policy,
                              char      **out_figures,
                              gint64     *out_checked_seq,
                              CcInstant  *out_settled_at,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store,
                  "SELECT figures, checked_seq, settled_at FROM report_cache\n"
                  "WHERE month = ?1 AND suite = ?2 AND policy = ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, month);
  bind_text (stmt, 2, suite);
  bind_text (stmt, 3, policy);
  *out_figures = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_figures = column_dup (stmt, 0);
      *out_checked_seq = sqlite3_column_int64 (stmt, 1);
      *out_settled_at = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, "reading the report cache", error);
  return TRUE;
}

/**
 * cc_store_save_report_cache:
 * @checked_seq: the log's last seq when the figures were known to hold
 * @settled_at: the figures hold for any report instant at or after this
 * @figures: their JSON text
 *
 * Keeps one month's figures, replacing what was kept for the same month,
 * suite and policy.
 */
gboolean
cc_store_save_report_cache (CcStore    *store,
                            const char *month,
                            const char *suite,
                            const char *policy,
                            gint64      checked_seq,
                            CcInstant   settled_at,
                            const char *figures,
                            GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (store,
                  "INSERT INTO report_cache (month, suite, policy, checked_seq, settled_at, figures)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)\n"
                  "ON CONFLICT (month, suite, policy) DO UPDATE SET checked_seq = excluded.checked_seq,\n"
                  "  settled_at = excluded.settled_at, figures = excluded.figures",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, month);
  bind_text (stmt, 2, suite);
  bind_text (stmt, 3, policy);
  sqlite3_bind_int64 (stmt, 4, checked_seq);
  sqlite3_bind_int64 (stmt, 5, settled_at);
  bind_text (stmt, 6, figures);
  return step_done (store, stmt, "writing the report cache", error);
}
