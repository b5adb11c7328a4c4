/* test-store.c: the custody log database
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "cc-store.h"
#include "cc-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  fixture->dir = cc_test_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "sub", "custody.db", NULL);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  cc_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* A third party's connection, for writing rows with plain SQL. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;
  int   rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static CcEvent *
make_event (const char *event_id,
            const char *record_id,
            CcEventType type,
            CcInstant   at,
            const char *supersedes)
{
  g_autoptr (JsonObject) data = json_object_new ();

  if (type == CC_EVENT_ARRIVAL)
    {
      json_object_set_string_member (data, "suite", "Swindon");
      json_object_set_string_member (data, "child", "C-1");
    }
  return cc_event_new (type, event_id, record_id, at, CC_INSTANT_NONE, "PS 1", data, supersedes);
}

static void
test_create_private (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  struct stat      st;
  mode_t           old_umask = umask (0); /* the most permissive umask must not matter */

  store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (cc_store_get_schema_version (store), ==, CC_STORE_SCHEMA_VERSION);

  g_assert_cmpint (stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Writing makes the WAL file; it must be as private as the database. */
  {
    g_autoptr (CcEvent) event = make_event ("e-1", "R-1", CC_EVENT_ARRIVAL, 1646748000, NULL);
    g_assert_true (cc_store_insert_event (store, event, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  g_assert_true (cc_store_get_journal_mode (store, &mode, &error));
  g_assert_cmpstr (mode, ==, "wal");
}

static void
test_missing (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);

  g_assert_null (store);
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_not_a_database (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);

  g_mkdir_with_parents (dir, 0700);
  cc_test_write_file (fixture->path, "this is a spreadsheet, not a database, and it is long enough\n"
                                     "to have a header SQLite would read as garbage....................\n");
  store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

/* A custody system that created the contract table itself, before Custody
 * Clock ever ran, and filled it with plain SQL and the defaults. */
static void
test_third_party_table (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  sqlite3         *db;
  gint64           max_seq = -1;

  g_mkdir_with_parents (dir, 0700);
  db = raw_open (fixture->path);
  raw_exec (db,
            "CREATE TABLE custody_event (\n"
            "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
            "  event_id TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),\n"
            "  record_id TEXT NOT NULL, type TEXT NOT NULL, occurred_at TEXT NOT NULL,\n"
            "  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n"
            "  officer TEXT, data TEXT NOT NULL DEFAULT '{}', supersedes TEXT);\n"
            "INSERT INTO custody_event (record_id, type, occurred_at)\n"
            "  VALUES ('R-9', 'detention_authorised', '2022-03-08T14:15:00Z');");
  sqlite3_close (db);

  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cc_store_get_schema_version (store), ==, CC_STORE_SCHEMA_VERSION);
  g_assert_true (cc_store_get_max_seq (store, &max_seq, &error));
  g_assert_cmpint (max_seq, ==, 1);
}

static void
test_migration_is_stepwise (Fixture      *fixture,
                            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  sqlite3      *db;
  sqlite3_stmt *stmt;

  store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, cc_store_free);

  /* Every step is recorded, so a later version knows where to start. */
  db = raw_open (fixture->path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT group_concat(version) FROM schema_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autoptr (GString) steps = g_string_new ("1");
    for (int v = 2; v <= CC_STORE_SCHEMA_VERSION; v++)
      g_string_append_printf (steps, ",%d", v);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, steps->str);
  }
  sqlite3_finalize (stmt);

  /* Opening again changes nothing. */
  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, cc_store_free);

  /* A newer program's database is refused, not damaged. */
  raw_exec (db, "INSERT INTO schema_version (version) VALUES (99)");
  sqlite3_close (db);
  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_null (store);
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_TOO_NEW);
}

static void
test_insert_idempotent (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (CcEvent) event = make_event ("e-1", "R-1", CC_EVENT_ARRIVAL, 1646748000, NULL);
  g_autofree char *record = NULL;
  gboolean         inserted = FALSE;
  gint64           seq = 0;

  g_assert_no_error (error);
  g_assert_true (cc_store_insert_event (store, event, &inserted, &seq, &error));
  g_assert_true (inserted);
  g_assert_cmpint (seq, ==, 1);

  g_assert_true (cc_store_insert_event (store, event, &inserted, &seq, &error));
  g_assert_no_error (error);
  g_assert_false (inserted);
  g_assert_cmpint (seq, ==, 0);

  g_assert_true (cc_store_lookup_event_record (store, "e-1", &record, &error));
  g_assert_cmpstr (record, ==, "R-1");
  g_clear_pointer (&record, g_free);
  g_assert_true (cc_store_lookup_event_record (store, "e-nope", &record, &error));
  g_assert_null (record);
}

typedef struct
{
  GPtrArray *ids;
} Rows;

static gboolean
collect_row (const CcStoreRow *row,
             gpointer          user_data,
             GError          **error)
{
  Rows *rows = user_data;

  g_ptr_array_add (rows->ids, g_strdup_printf ("%" G_GINT64_FORMAT ":%s:%s:%s", row->seq,
                                               row->event_id ? row->event_id : "NULL",
                                               row->type ? row->type : "NULL",
                                               row->data ? row->data : "NULL"));
  return TRUE;
}

static void
test_rows_and_arrival (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (CcEvent) a1 = make_event ("a-1", "R-1", CC_EVENT_ARRIVAL, 1000, NULL);
  g_autoptr (CcEvent) a2 = make_event ("a-2", "R-1", CC_EVENT_ARRIVAL, 900, "a-1");
  g_autoptr (CcEvent) other = make_event ("b-1", "R-2", CC_EVENT_ARRIVAL, 500, NULL);
  g_autofree char *arrival = NULL;
  Rows             rows = { g_ptr_array_new_with_free_func (g_free) };
  CcInstant        at;
  sqlite3         *db;

  g_assert_no_error (error);
  g_assert_true (cc_store_insert_event (store, a1, NULL, NULL, &error));
  g_assert_true (cc_store_lookup_arrival (store, "R-1", &arrival, &at, &error));
  g_assert_cmpstr (arrival, ==, "a-1");
  g_assert_cmpint (at, ==, 1000);
  g_clear_pointer (&arrival, g_free);

  /* A corrected arrival replaces the first. */
  g_assert_true (cc_store_insert_event (store, a2, NULL, NULL, &error));
  g_assert_true (cc_store_insert_event (store, other, NULL, NULL, &error));
  g_assert_true (cc_store_lookup_arrival (store, "R-1", &arrival, &at, &error));
  g_assert_cmpstr (arrival, ==, "a-2");
  g_assert_cmpint (at, ==, 900);
  g_clear_pointer (&arrival, g_free);
  g_assert_true (cc_store_lookup_arrival (store, "R-3", &arrival, &at, &error));
  g_assert_null (arrival);

  /* Rows are read back as stored, including what a third party wrote badly. */
  db = raw_open (fixture->path);
  raw_exec (db, "INSERT INTO custody_event (record_id, type, occurred_at, data) "
                "VALUES ('R-1', 'cell_visit', 12345, 'not json')");
  sqlite3_close (db);

  g_assert_true (cc_store_foreach_event_row (store, 0, NULL, collect_row, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows.ids->len, ==, 4);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (rows.ids, 3), "4:"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (rows.ids, 3), ":cell_visit:not json"));
  g_ptr_array_set_size (rows.ids, 0);

  g_assert_true (cc_store_foreach_event_row (store, 2, "R-1", collect_row, &rows, &error));
  g_assert_cmpuint (rows.ids->len, ==, 1);
  g_ptr_array_unref (rows.ids);
}

static void
test_quarantine_dedup (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (GPtrArray) entries = NULL;
  CcQuarantineEntry entry = {
    .origin = (char *) "import",
    .source = (char *) "night.jsonl",
    .line = 3,
    .reason_code = (char *) "invalid_json",
    .reason = (char *) "not JSON",
    .raw = (char *) "{oops",
    .quarantined_at = 1000,
    .resolved_at = CC_INSTANT_NONE,
  };
  CcQuarantineEntry row = {
    .origin = (char *) "custody_event",
    .seq = 7,
    .record_id = (char *) "R-1",
    .reason_code = (char *) "no_offset",
    .reason = (char *) "no offset",
    .quarantined_at = 1000,
    .resolved_at = CC_INSTANT_NONE,
  };
  gboolean           inserted = FALSE;
  CcQuarantineEntry *got;

  g_assert_no_error (error);
  g_assert_true (cc_store_add_quarantine (store, &entry, &inserted, &error));
  g_assert_true (inserted);
  entry.line = 9; /* the same text again, from another run: kept once */
  g_assert_true (cc_store_add_quarantine (store, &entry, &inserted, &error));
  g_assert_false (inserted);
  g_assert_true (cc_store_add_quarantine (store, &row, &inserted, &error));
  g_assert_true (inserted);
  g_assert_true (cc_store_add_quarantine (store, &row, &inserted, &error));
  g_assert_false (inserted);

  g_assert_true (cc_store_resolve_quarantine (store, 7, 2000, &error));
  entries = cc_store_list_quarantine (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  got = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (got->source, ==, "night.jsonl");
  g_assert_cmpint (got->line, ==, 3);
  g_assert_cmpstr (got->raw, ==, "{oops");
  g_assert_cmpint (got->quarantined_at, ==, 1000);
  got = g_ptr_array_index (entries, 1);
  g_assert_cmpint (got->seq, ==, 7);
  g_assert_cmpint (got->resolved_at, ==, 2000);
  g_clear_pointer (&entries, g_ptr_array_unref);

  entries = cc_store_list_quarantine (store, TRUE, &error);
  g_assert_cmpuint (entries->len, ==, 1);
}

/* Another writer holds the lock: after the busy timeout, a clear BUSY error
 * (the CLI turns it into exit 75), and nothing half-written. */
static void
test_busy (Fixture      *fixture,
           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (CcEvent) event = make_event ("e-1", "R-1", CC_EVENT_ARRIVAL, 1000, NULL);
  sqlite3 *db;
  gint64   start, max_seq = -1;

  g_assert_no_error (error);
  db = raw_open (fixture->path);
  raw_exec (db, "BEGIN IMMEDIATE; INSERT INTO custody_event (record_id, type, occurred_at) "
                "VALUES ('R-0', 'arrival', '2022-01-01T00:00:00Z')");

  cc_store_set_busy_timeout (store, 200);
  start = g_get_monotonic_time ();
  g_assert_false (cc_store_begin (store, &error));
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_clear_error (&error);

  raw_exec (db, "COMMIT");
  sqlite3_close (db);

  g_assert_true (cc_store_begin (store, &error));
  g_assert_true (cc_store_insert_event (store, event, NULL, NULL, &error));
  g_assert_true (cc_store_commit (store, &error));
  g_assert_true (cc_store_get_max_seq (store, &max_seq, &error));
  g_assert_cmpint (max_seq, ==, 2);
}

static void
test_data_version (Fixture      *fixture,
                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  gint64   before = 0, after = 0;
  sqlite3 *db;

  g_assert_true (cc_store_get_data_version (store, &before, &error));
  /* A writer that stays connected, as a custody system does. */
  db = raw_open (fixture->path);
  raw_exec (db, "INSERT INTO custody_event (record_id, type, occurred_at) VALUES ('R', 'arrival', '2022-01-01T00:00:00Z')");
  g_assert_true (cc_store_get_data_version (store, &after, &error));
  g_assert_cmpint (after, !=, before);
  before = after;
  raw_exec (db, "INSERT INTO custody_event (record_id, type, occurred_at) VALUES ('R2', 'arrival', '2022-01-01T00:00:00Z')");
  sqlite3_close (db);
  g_assert_true (cc_store_get_data_version (store, &after, &error));
  g_assert_no_error (error);
  g_assert_cmpint (after, !=, before);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/create-private", test_create_private);
  ADD ("/store/missing", test_missing);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/third-party-table", test_third_party_table);
  ADD ("/store/migration-stepwise", test_migration_is_stepwise);
  ADD ("/store/insert-idempotent", test_insert_idempotent);
  ADD ("/store/rows-and-arrival", test_rows_and_arrival);
  ADD ("/store/quarantine-dedup", test_quarantine_dedup);
  ADD ("/store/busy", test_busy);
  ADD ("/store/data-version", test_data_version);
#undef ADD

  return g_test_run ();
}
