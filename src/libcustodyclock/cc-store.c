/* cc-store.c: the custody log database (SQLite)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every SQL statement of Custody Clock lives in the store: this file and
 * the other cc-store-*.c files, one concern each, over cc-store-private.h
 * (tests/check-sql.sh keeps SQL out of every other file).  Statements are
 * prepared once, with bound parameters only; nothing is ever built from data.
 * Every SQLite failure becomes a GError that names the database file.
 *
 * This file holds what every part uses: opening the database (its file,
 * its pragmas; the schema's migration is cc-store-schema.c's) and closing
 * it, transactions, the statement cache with its recorder of query plans,
 * the helpers that step statements and bind and read their values, and
 * the checks of the file as a whole (integrity, journal mode, page limit).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc-store-private.h"

/* clang-format off */
G_DEFINE_QUARK (cc-store-error-quark, cc_store_error)
/* clang-format on */

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

gboolean
set_sqlite_error (CcStore    *store,
                  int         rc,
                  const char *doing,
                  GError    **error)
{
  int         code;
  const char *msg = store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc);

  /* Callers mark what they were doing with NC_ ("database task", …). */
  doing = g_dpgettext2 (GETTEXT_PACKAGE, "database task", doing);

  if (rc == SQLITE_CONSTRAINT_TRIGGER)
    {
      /* One of the escalation history's guards (schema step 6). */
      /* Translators: %1$s is the database file, %2$s what was being done
       * (e.g. "writing an escalation record"), %3$s SQLite's message */
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED, _ ("%1$s: %2$s: refused: %3$s"), store->path, doing,
                   msg);
      return FALSE;
    }

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      /* A full disk (or the database at its page limit): SQLite has
       * rolled the statement back; the caller rolls back the rest. */
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_FAILED,
                   /* Translators: %1$s is the database file, %2$s what was being done
                    * (e.g. "adding an event"), %3$s SQLite's message */
                   _ ("%1$s: the disk is full (%2$s: %3$s); free some space on the disk that holds it: "
                      "the write that failed was undone, and writing again once there is room is safe"),
                   store->path, doing, msg);
      return FALSE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_BUSY,
                   /* Translators: %1$s is the database file, %2$s what was being done
                    * (e.g. "starting a transaction") */
                   _ ("%1$s: the database is locked by another program (%2$s); "
                      "try again when the other writer has finished"),
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

  /* Translators: %1$s is the database file, %2$s what was being done
   * (e.g. "reading events"), %3$s SQLite's message */
  g_set_error (error, CC_STORE_ERROR, code, _ ("%1$s: %2$s: %3$s"), store->path, doing, msg);
  return FALSE;
}

/* Returns a cached statement, reset and with its bindings cleared.  @sql must
 * be a string literal: its address is the cache key.  (transfer none)
 * Called through the macro prepare() (cc-store-private.h), which records
 * the statement's plan first while cc_store_record_plans() is on. */
sqlite3_stmt *
prepare_cached (CcStore    *store,
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
      /* Translators: this and the other "database task" strings say what
       * the program was doing when the database failed; they go into
       * messages such as "FILE: TASK: ERROR" */
      set_sqlite_error (store, rc, NC_ ("database task", "preparing a statement"), error);
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

/* ---- Query plans (for tests) ---------------------------------------------
 *
 * A test of "no hot path reads the whole log" must look at the statements
 * the real code runs, not at a copy of them that can drift: so prepare()
 * itself records each statement's EXPLAIN QUERY PLAN while asked to.  The
 * EXPLAIN text is made by the compiler, from the same literal (SQLite 3.40
 * has no sqlite3_stmt_explain(), and no statement here is ever built at run
 * time: tests/check-sql.sh).  EXPLAIN QUERY PLAN needs no bound values.
 * The EXPLAIN statements join the statement cache, so only a store that
 * has recorded holds them.  Recording costs nothing when off: one NULL
 * test per statement. */

static void
plan_free (gpointer plan)
{
  cc_store_plan_free (plan);
}

gboolean
plan_wanted (CcStore    *store,
             const char *sql)
{
  return store->planned != NULL && !g_hash_table_contains (store->planned, sql);
}

/* Keeps @sql's plan, read from @explain (its EXPLAIN QUERY PLAN, or NULL
 * when that could not be prepared): a line per row of the plan's tree,
 * indented two spaces per level. */
void
record_plan (CcStore      *store,
             const char   *sql,
             sqlite3_stmt *explain)
{
  CcStorePlan *plan = g_new0 (CcStorePlan, 1);
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  g_autoptr (GHashTable) depths = g_hash_table_new (g_direct_hash, g_direct_equal);
  int rc = SQLITE_DONE;

  g_hash_table_add (store->planned, (gpointer) sql);
  plan->sql = g_strdup (sql);
  if (explain == NULL)
    {
      g_strv_builder_add (lines, sqlite3_errmsg (store->db));
    }
  else
    {
      while ((rc = sqlite3_step (explain)) == SQLITE_ROW)
        {
          int         id = sqlite3_column_int (explain, 0);
          int         parent = sqlite3_column_int (explain, 1);
          const char *detail = (const char *) sqlite3_column_text (explain, 3);
          /* The depth is stored plus one, so that 0 is "not seen". */
          int              depth = GPOINTER_TO_INT (g_hash_table_lookup (depths, GINT_TO_POINTER (parent)));
          g_autofree char *line = g_strdup_printf ("%*s%s", 2 * depth, "", detail != NULL ? detail : "");

          g_hash_table_insert (depths, GINT_TO_POINTER (id), GINT_TO_POINTER (depth + 1));
          g_strv_builder_add (lines, line);
        }
      if (rc != SQLITE_DONE)
        g_strv_builder_add (lines, sqlite3_errmsg (store->db));
      sqlite3_reset (explain);
    }
  plan->lines = g_strv_builder_end (lines);
  g_ptr_array_add (store->plans, plan);
}

/**
 * cc_store_plan_free:
 * @plan: (nullable): a plan from cc_store_take_plans()
 */
void
cc_store_plan_free (CcStorePlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->sql);
  g_strfreev (plan->lines);
  g_free (plan);
}

/**
 * cc_store_record_plans:
 * @store: a #CcStore
 * @enable: whether to record
 *
 * For tests: while on, every statement the store runs has its EXPLAIN
 * QUERY PLAN recorded, once per SQL text until the next
 * cc_store_take_plans(), whether it is prepared now or reused from the
 * statement cache.  Turning it on forgets what was recorded before;
 * turning it off forgets what was not taken.  Statements the store runs
 * without its statement cache (opening and migrating the database,
 * doctor's integrity and journal checks, transactions' BEGIN and COMMIT)
 * are not recorded: none is on a hot path, and none reads the log.
 */
void
cc_store_record_plans (CcStore *store,
                       gboolean enable)
{
  g_return_if_fail (store != NULL);

  g_clear_pointer (&store->planned, g_hash_table_unref);
  g_clear_pointer (&store->plans, g_ptr_array_unref);
  if (enable)
    {
      store->planned = g_hash_table_new (g_str_hash, g_str_equal);
      store->plans = g_ptr_array_new_with_free_func (plan_free);
    }
}

/**
 * cc_store_take_plans:
 * @store: a #CcStore recording plans (cc_store_record_plans())
 *
 * The plans recorded since recording began or the last take, in the order
 * the statements were first run; recording goes on, and a statement run
 * again after this is recorded again.
 *
 * Returns: (transfer full) (element-type CcStorePlan): the plans, or
 *   %NULL when the store is not recording
 */
GPtrArray *
cc_store_take_plans (CcStore *store)
{
  GPtrArray *plans;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (store->plans != NULL, NULL);

  plans = g_steal_pointer (&store->plans);
  store->plans = g_ptr_array_new_with_free_func (plan_free);
  g_hash_table_remove_all (store->planned);
  return plans;
}

gboolean
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

/* Where every statement's steps end: resets @stmt, whose last
 * sqlite3_step() returned @rc (the caller has read its row, if it wanted
 * one), and fails, with @error set naming @doing, unless @rc is one of
 * @expect: %STEP_DONE after a walk over every row (or a write), %STEP_ROW
 * for a statement that always returns a row (a count, a maximum), and
 * both for a lookup that finds at most one.  The reset comes first, as it
 * always has: SQLite keeps the step's error message across it. */
gboolean
step_end (CcStore      *store,
          sqlite3_stmt *stmt,
          int           rc,
          StepEnd       expect,
          const char   *doing,
          GError      **error)
{
  sqlite3_reset (stmt);
  if ((rc == SQLITE_DONE && (expect & STEP_DONE) != 0) || (rc == SQLITE_ROW && (expect & STEP_ROW) != 0))
    return TRUE;
  return set_sqlite_error (store, rc, doing, error);
}

/* Steps a statement that returns no rows (or whose rows are ignored). */
gboolean
step_done (CcStore      *store,
           sqlite3_stmt *stmt,
           const char   *doing,
           GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  return step_end (store, stmt, rc, STEP_DONE, doing, error);
}

/* Runs a statement that returns one integer (a count, a maximum): @stmt
 * is prepare()'s result, and %NULL (its error set) fails.  (A statement,
 * not its text, so that the text stays a literal at the call.) */
gboolean
step_int64 (CcStore      *store,
            sqlite3_stmt *stmt,
            const char   *doing,
            gint64       *out_value,
            GError      **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int64 (stmt, 0);
  return step_end (store, stmt, rc, STEP_ROW, doing, error);
}

/* Hands each row of @stmt (the nine custody_event columns, in the order
 * of the table) to @func, which may stop the walk by failing; @doing names
 * the task in an SQLite error.  Every reader of custody_event rows goes
 * through here, so a row is always read the same way. */
gboolean
step_rows (CcStore       *store,
           sqlite3_stmt  *stmt,
           CcStoreRowFunc func,
           gpointer       user_data,
           const char    *doing,
           GError       **error)
{
  int rc;

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
  return step_end (store, stmt, rc, STEP_DONE, doing, error);
}

void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* Which of @names (triggers the schema creates) are no longer in the
 * database: doctor's check of the audit guards and of the unsettle
 * triggers.  Returns (transfer full) the missing names, or %NULL with
 * @error set. */
GPtrArray *
missing_triggers (CcStore           *store,
                  const char *const *names,
                  gsize              n_names,
                  GError           **error)
{
  g_autoptr (GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = prepare (store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1", error);

  if (stmt == NULL)
    return NULL;
  for (gsize i = 0; i < n_names; i++)
    {
      int rc;

      bind_text (stmt, 1, names[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
        g_ptr_array_add (missing, g_strdup (names[i]));
      if (!step_end (store, stmt, rc, STEP_ROW, NC_ ("database task", "reading the schema"), error))
        return NULL;
    }
  return g_steal_pointer (&missing);
}

void
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

char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

CcInstant
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
                   /* Translators: %1$s is the database file, %2$s its folder, %3$s the system's reason */
                   _ ("%1$s: cannot create the folder %2$s: %3$s"), path, dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;
      g_set_error (error, CC_STORE_ERROR,
                   saved_errno == EACCES ? CC_STORE_ERROR_PERMISSION : CC_STORE_ERROR_FAILED,
                   /* Translators: %1$s is the database file, %2$s the system's reason */
                   _ ("%1$s: cannot create the database: %2$s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fd >= 0)
    {
      /* open() honours the umask, which can only tighten 0600; make sure of
       * the exact mode anyway. */
      if (fchmod (fd, 0600) != 0)
        /* Translators: %1$s is the database file, %2$s the system's reason;
         * 0600 is a file mode (owner read and write only) */
        g_warning (_ ("%1$s: cannot set mode 0600: %2$s"), path, g_strerror (errno));
      close (fd);
    }
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
                   /* Translators: both %1$s are the database file; do not translate
                    * the command 'custody-clock init --db' */
                   _ ("%1$s: no such database; create it with 'custody-clock init --db %1$s'"),
                   path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "opening"), error);
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
        set_sqlite_error (store, rc, NC_ ("database task", "switching to WAL mode"), error);
        return NULL;
      }
  }
  /* Reading the log is one pass in seq order; a large page cache would
   * only hold the agent's memory up (SQLite's default is 2 MiB). */
  if (!exec (store, "PRAGMA cache_size = -512", NC_ ("database task", "setting the cache size"), error) ||
      !exec (store, "PRAGMA synchronous = NORMAL", NC_ ("database task", "setting synchronous mode"), error) ||
      !exec (store, "PRAGMA foreign_keys = ON", NC_ ("database task", "enabling foreign keys"), error) ||
      /* Every row written fires the unsettle trigger (schema step 10),
       * so each insert keeps a statement journal: in a temporary file it
       * costs about ten write() calls a row (887,621 for a simulated log
       * of 3,000 records, against 17,749 in memory; the national year's
       * simulate took 87 s, now 58 s); in memory it never holds more
       * than one statement's changes. */
      !exec (store, "PRAGMA temp_store = MEMORY", NC_ ("database task", "setting temporary storage"), error))
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
  g_clear_pointer (&store->planned, g_hash_table_unref);
  g_clear_pointer (&store->plans, g_ptr_array_unref);
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
  if (!exec (store, "BEGIN IMMEDIATE", NC_ ("database task", "starting a transaction"), error))
    return FALSE;
  store->in_transaction = TRUE;
  store->in_write = TRUE;
  return TRUE;
}

gboolean
cc_store_commit (CcStore *store,
                 GError **error)
{
  g_return_val_if_fail (store->in_transaction, FALSE);
  if (!exec (store, "COMMIT", NC_ ("database task", "committing"), error))
    return FALSE;
  store->in_transaction = FALSE;
  store->in_write = FALSE;
  return TRUE;
}

/**
 * cc_store_rollback:
 *
 * Undoes the transaction.  After SQLITE_FULL or an I/O error SQLite may
 * have rolled it back already; this is then a no-op.
 */
void
cc_store_rollback (CcStore *store)
{
  if (!store->in_transaction)
    return;
  if (!sqlite3_get_autocommit (store->db))
    exec (store, "ROLLBACK", NC_ ("database task", "rolling back"), NULL);
  store->in_transaction = FALSE;
  store->in_write = FALSE;
}

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
  if (!exec (store, "BEGIN DEFERRED", NC_ ("database task", "starting to read"), error))
    return FALSE;
  store->in_transaction = TRUE;
  return TRUE;
}

void
cc_store_end_read (CcStore *store)
{
  if (!store->in_transaction)
    return;
  exec (store, "COMMIT", NC_ ("database task", "finishing reading"), NULL);
  store->in_transaction = FALSE;
}

/**
 * cc_store_checkpoint_wal:
 *
 * Moves every committed page from the -wal file into the database and
 * empties the -wal file.  The agent does this before it stops because its
 * file was moved or replaced: SQLite does not checkpoint on close a file
 * that has moved, and the -wal file left at the old path would otherwise
 * be missing from the moved file, or be replayed into a replacement.
 */
gboolean
cc_store_checkpoint_wal (CcStore *store,
                         GError **error)
{
  return exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", NC_ ("database task", "writing the log back from its -wal file"), error);
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

  /* SQLite refreshes a connection's data_version only when it starts a
   * read transaction: read something first, or another process's commit
   * goes unseen until our next write. */
  stmt = prepare (store, "SELECT version FROM schema_version LIMIT 1", error);
  if (stmt == NULL || !step_done (store, stmt, NC_ ("database task", "reading the data version"), error))
    return FALSE;
  return step_int64 (store, prepare (store, "PRAGMA data_version", error), NC_ ("database task", "reading the data version"),
                     out_version, error);
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
    return exec (store, "PRAGMA synchronous = OFF", NC_ ("database task", "setting synchronous mode"), error) &&
           exec (store, "PRAGMA cache_size = -65536", NC_ ("database task", "setting the cache size"), error);
  return exec (store, "PRAGMA synchronous = NORMAL", NC_ ("database task", "setting synchronous mode"), error) &&
         exec (store, "PRAGMA cache_size = -512", NC_ ("database task", "setting the cache size"), error);
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
  return pragma_text (store, "PRAGMA quick_check", NC_ ("database task", "checking integrity"), out_result, error);
}

gboolean
cc_store_get_journal_mode (CcStore *store,
                           char   **out_mode,
                           GError **error)
{
  return pragma_text (store, "PRAGMA journal_mode", NC_ ("database task", "reading the journal mode"), out_mode, error);
}

/**
 * cc_store_set_max_pages:
 * @pages: the most pages the database may have, or 0 for SQLite's default
 *
 * For tests: `PRAGMA max_page_count` on this connection.  A write that
 * needs the database to grow past @pages fails with SQLITE_FULL, the same
 * error, through the same paths, as a full disk.  (SQLite never lowers the
 * limit below the database's current size.)
 */
gboolean
cc_store_set_max_pages (CcStore *store,
                        guint    pages,
                        GError **error)
{
  char sql[64];

  if (store->default_max_pages == 0)
    {
      sqlite3_stmt *stmt = prepare (store, "PRAGMA max_page_count", error);
      int           rc;

      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        store->default_max_pages = sqlite3_column_int (stmt, 0);
      if (!step_end (store, stmt, rc, STEP_ROW, NC_ ("database task", "reading the page limit"), error))
        return FALSE;
    }
  /* A PRAGMA takes no bound parameters; the text holds one unsigned
   * integer and nothing else. */
  g_snprintf (sql, sizeof sql, "PRAGMA max_page_count = %u",
              pages != 0 ? pages : (guint) store->default_max_pages);
  return exec (store, sql, NC_ ("database task", "setting the page limit"), error);
}
