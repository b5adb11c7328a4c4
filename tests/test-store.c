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
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
    g_assert_cmpint (stat (shm, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

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

/* SQLite gives the -wal and -shm files it creates the database's own mode,
 * whatever the umask: 0600 by default, 0660 for a database shared with a
 * group (init --group), never readable by others. */
static void
test_wal_shm_follow_database (Fixture      *fixture,
                              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  const char      *files[] = { wal, shm };
  mode_t           old_umask = umask (0);
  struct stat      st;

  store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, cc_store_free);
  /* The last connection gone, SQLite removed them. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));

  g_assert_cmpint (chmod (fixture->path, 0660), ==, 0);
  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr (CcEvent) event = make_event ("e-1", "R-1", CC_EVENT_ARRIVAL, 1646748000, NULL);
    g_assert_true (cc_store_insert_event (store, event, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  umask (old_umask);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_assert_cmpint (stat (files[i], &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0660);
    }
}

/* ---- The escalation history ---------------------------------------------- */

static gint64
raise_escalation (CcStore    *store,
                  const char *record_id,
                  const char *rule,
                  CcLevel     level,
                  CcInstant   at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEscalation) e = cc_escalation_new (record_id, rule, 1, level, at, at);
  gboolean inserted = FALSE;

  g_assert_true (cc_store_insert_escalation (store, e, &inserted, &error));
  g_assert_no_error (error);
  g_assert_true (inserted);
  return e->id;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* The findings, joined by newlines ("" when the history is intact). */
static char *
verify_text (CcStore *store,
             guint   *out_n_checked,
             gint64  *out_first_bad)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) findings = cc_store_verify_audit (store, out_n_checked, out_first_bad, &error);

  g_assert_no_error (error);
  g_assert_nonnull (findings);
  g_ptr_array_add (findings, NULL);
  return g_strjoinv ("\n", (char **) findings->pdata);
}

/* The history an agent and a sergeant make: a record raised, another raised
 * and resolved in one transaction, an acknowledgement, a resolution; each
 * write has its entry, the chain is the documented formula (an auditor can
 * recompute it with sqlite3 and sha256sum), and nothing rewrites it. */
static void
test_audit_chain (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autofree char *findings = NULL;
  g_autofree char *actions = NULL;
  g_autofree char *head = NULL;
  g_autofree char *prev = g_strnfill (64, '0');
  gint64           first_bad = -1, head_seq = 0, a, b;
  guint            n_checked = 0;
  sqlite3         *db;
  sqlite3_stmt    *stmt;

  g_assert_no_error (error);
  a = raise_escalation (store, "R-1", "aa_requested", CC_LEVEL_SERGEANT, 1646749800);
  g_assert_true (cc_store_begin (store, &error));
  b = raise_escalation (store, "R-2", "review", CC_LEVEL_INSPECTOR, 1646750000);
  g_assert_true (cc_store_resolve_escalation (store, b, CC_RESOLUTION_CLOSED, 1646750000, &error));
  g_assert_true (cc_store_commit (store, &error));
  g_assert_true (cc_store_acknowledge (store, a, "Insp 77", "AA scheme called", 1646750100, &error));
  g_assert_true (cc_store_resolve_escalation (store, a, CC_RESOLUTION_SATISFIED, 1646750200, &error));
  g_assert_no_error (error);

  /* Once each: the second acknowledgement is refused, the second
   * resolution does nothing, and neither leaves an entry. */
  g_assert_false (cc_store_acknowledge (store, a, "PS 9", NULL, 1646750300, &error));
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "already acknowledged by Insp 77"));
  g_clear_error (&error);
  g_assert_true (cc_store_resolve_escalation (store, a, CC_RESOLUTION_CLOSED, 1646750400, &error));
  {
    g_autoptr (CcEscalation) e = cc_store_get_escalation (store, a, &error);
    g_assert_cmpstr (e->acknowledged_by, ==, "Insp 77");
    g_assert_cmpint (e->resolution, ==, CC_RESOLUTION_SATISFIED);
  }
  /* Nor is there a second entry for a record written twice. */
  {
    g_autoptr (CcEscalation) again = cc_escalation_new ("R-1", "aa_requested", 1, CC_LEVEL_SERGEANT, 1646749800, 1646749900);
    gboolean inserted = TRUE;
    g_assert_true (cc_store_insert_escalation (store, again, &inserted, &error));
    g_assert_false (inserted);
  }

  db = raw_open (fixture->path);
  actions = raw_text (db, "SELECT group_concat(escalation_id || ':' || action, ' ') FROM "
                          "(SELECT escalation_id, action FROM escalation_audit ORDER BY seq)");
  g_assert_cmpstr (actions, ==, "1:raised 2:raised 2:resolved 1:acknowledged 1:resolved");

  /* The documented formula, recomputed here from the rows. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, escalation_id, action, at, fields, prev_hash, hash "
                                           "FROM escalation_audit ORDER BY seq",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *input = g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s", prev, sqlite3_column_text (stmt, 0),
                                                sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                                                sqlite3_column_text (stmt, 3), sqlite3_column_text (stmt, 4));
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);

      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 5), ==, prev);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, hash);
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  sqlite3_finalize (stmt);
  {
    /* The latest entry holds the record's whole state, as the table does. */
    g_autofree char *fields = raw_text (db, "SELECT fields FROM escalation_audit ORDER BY seq DESC LIMIT 1");
    g_assert_cmpstr (fields, ==,
                     "{\"record_id\":\"R-1\",\"rule\":\"aa_requested\",\"occurrence\":1,\"level\":\"sergeant\","
                     "\"breached_at\":\"2022-03-08T14:30:00Z\",\"raised_at\":\"2022-03-08T14:30:00Z\","
                     "\"acknowledged_at\":\"2022-03-08T14:35:00Z\",\"acknowledged_by\":\"Insp 77\","
                     "\"ack_note\":\"AA scheme called\",\"resolved_at\":\"2022-03-08T14:36:40Z\","
                     "\"resolution\":\"satisfied\",\"late\":0}");
  }

  /* The guards: plain SQL cannot rewrite a record or the history. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE escalation SET acknowledged_by = 'PS 9' WHERE id = 1", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE escalation SET breached_at = '2022-03-08T15:00:00Z' WHERE id = 2", NULL,
                                 NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM escalation WHERE id = 2", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE escalation_audit SET at = '2022-01-01T00:00:00Z'", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM escalation_audit", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);

  findings = verify_text (store, &n_checked, &first_bad);
  g_assert_cmpstr (findings, ==, "");
  g_assert_cmpuint (n_checked, ==, 5);
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_true (cc_store_get_audit_head (store, &head_seq, &head, &error));
  g_assert_cmpint (head_seq, ==, 5);
  g_assert_cmpstr (head, ==, prev);
}

typedef struct
{
  const char *name;
  const char *sql; /* run with plain SQL on the history of test_audit_chain's kind */
  const char *finding;
  gint64      first_bad;
} Tampering;

/* Each way of rewriting the history with plain SQL, the guards dropped
 * first as a determined person would, is found and named. */
static const Tampering tamperings[] = {
  { "ack-rewritten",
    "DROP TRIGGER escalation_no_rewrite; UPDATE escalation SET acknowledged_by = 'PS 9' WHERE id = 1",
    "escalation 1 (record R-1): acknowledged_by is 'PS 9' in the table but 'Insp 77' in its history", 0 },
  { "ack-erased",
    "DROP TRIGGER escalation_no_rewrite; UPDATE escalation SET acknowledged_at = NULL, acknowledged_by = NULL, "
    "ack_note = NULL WHERE id = 1",
    "escalation 1 (record R-1): acknowledged_at is empty in the table but '2022-03-08T14:35:00Z' in its history", 0 },
  { "resolution-moved",
    "DROP TRIGGER escalation_no_rewrite; UPDATE escalation SET resolved_at = '2022-03-08T14:31:00Z' WHERE id = 2",
    "escalation 2 (record R-2): resolved_at is '2022-03-08T14:31:00Z' in the table but '2022-03-08T14:33:20Z'", 0 },
  { "breach-moved",
    "DROP TRIGGER escalation_no_rewrite; UPDATE escalation SET breached_at = '2022-03-08T16:00:00Z' WHERE id = 2",
    "escalation 2 (record R-2): breached_at is '2022-03-08T16:00:00Z' in the table", 0 },
  { "record-deleted",
    "DROP TRIGGER escalation_no_delete; DELETE FROM escalation WHERE id = 3",
    "escalation 3 (record R-3, aa_arrived, inspector) was deleted from the table; its history (entry 3) still has it", 0 },
  { "record-added",
    "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at) VALUES "
    "('R-9', 'review', 1, 'sergeant', '2022-03-08T14:00:00Z', '2022-03-08T14:00:00Z')",
    "escalation 4 (record R-9, review 1, sergeant) is not in the escalation history", 0 },
  { "entry-changed",
    "DROP TRIGGER escalation_audit_no_update; UPDATE escalation_audit SET fields = replace(fields, 'Insp 77', 'PS 9') "
    "WHERE seq = 5",
    "escalation history entry 5 (escalation 1, acknowledged at 2022-03-08T14:35:00Z) was changed after it was written", 5 },
  { "entry-deleted",
    "DROP TRIGGER escalation_audit_no_delete; DELETE FROM escalation_audit WHERE seq = 2",
    "escalation history entry 2 is missing: it was deleted", 3 },
  { "last-entry-deleted",
    "DROP TRIGGER escalation_audit_no_delete; DROP TRIGGER escalation_no_rewrite; "
    "DELETE FROM escalation_audit WHERE seq = 6; UPDATE escalation SET resolved_at = NULL, resolution = NULL WHERE id = 1",
    "the last escalation history entry (6) was deleted", 6 },
  { "history-dropped",
    "DROP TABLE escalation_audit",
    "the escalation history (table escalation_audit) was removed from the database by hand", 1 },
  { "guard-dropped",
    "DROP TRIGGER escalation_no_rewrite",
    "the guard that keeps the escalation history from being rewritten (trigger escalation_no_rewrite) was removed", 0 },
};

static void
test_audit_tampering (Fixture      *fixture,
                      gconstpointer data)
{
  const Tampering *t = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autofree char *findings = NULL;
  gint64           first_bad = -1;
  guint            n_checked = 0;
  sqlite3         *db;

  g_assert_no_error (error);
  /* entries: 1 R-1 raised, 2 R-2 raised, 3 R-3 raised, 4 R-2 resolved,
   * 5 R-1 acknowledged, 6 R-1 resolved */
  raise_escalation (store, "R-1", "aa_requested", CC_LEVEL_SERGEANT, 1646749800);
  raise_escalation (store, "R-2", "review", CC_LEVEL_INSPECTOR, 1646750000);
  raise_escalation (store, "R-3", "aa_arrived", CC_LEVEL_INSPECTOR, 1646750000);
  g_assert_true (cc_store_resolve_escalation (store, 2, CC_RESOLUTION_CLOSED, 1646750000, &error));
  g_assert_true (cc_store_acknowledge (store, 1, "Insp 77", NULL, 1646750100, &error));
  g_assert_true (cc_store_resolve_escalation (store, 1, CC_RESOLUTION_SATISFIED, 1646750200, &error));
  g_assert_no_error (error);
  findings = verify_text (store, &n_checked, &first_bad);
  g_assert_cmpstr (findings, ==, "");
  g_clear_pointer (&findings, g_free);

  db = raw_open (fixture->path);
  raw_exec (db, t->sql);
  sqlite3_close (db);

  findings = verify_text (store, &n_checked, &first_bad);
  g_test_message ("%s: %s", t->name, findings);
  g_assert_nonnull (strstr (findings, t->finding));
  g_assert_cmpint (first_bad, ==, t->first_bad);
}

/* Someone rewrites an entry and recomputes its hash: the next entry no
 * longer follows it.  And a record made by hand does not become genuine by
 * being acknowledged. */
static void
test_audit_rehashed (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autofree char *findings = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *input = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  gint64           first_bad = -1;
  sqlite3         *db;

  g_assert_no_error (error);
  raise_escalation (store, "R-1", "aa_requested", CC_LEVEL_SERGEANT, 1646749800);
  g_assert_true (cc_store_acknowledge (store, 1, "Insp 77", NULL, 1646750100, &error));
  raise_escalation (store, "R-2", "review", CC_LEVEL_INSPECTOR, 1646750000);

  db = raw_open (fixture->path);
  fields = raw_text (db, "SELECT replace(fields, 'Insp 77', 'PS 9') FROM escalation_audit WHERE seq = 2");
  prev = raw_text (db, "SELECT prev_hash FROM escalation_audit WHERE seq = 2");
  input = g_strdup_printf ("%s\n2\n1\nacknowledged\n2022-03-08T14:35:00Z\n%s", prev, fields);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
  sql = g_strdup_printf ("DROP TRIGGER escalation_audit_no_update; DROP TRIGGER escalation_no_rewrite; "
                         "UPDATE escalation_audit SET fields = '%s', hash = '%s' WHERE seq = 2; "
                         "UPDATE escalation SET acknowledged_by = 'PS 9' WHERE id = 1; "
                         "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at) VALUES "
                         "('R-9', 'review', 1, 'sergeant', '2022-03-08T14:00:00Z', '2022-03-08T14:00:00Z')",
                         fields, hash);
  raw_exec (db, sql);
  sqlite3_close (db);
  /* The hand-made record 3, acknowledged through the proper door. */
  g_assert_true (cc_store_acknowledge (store, 3, "PS 1", NULL, 1646750200, &error));
  g_assert_no_error (error);

  findings = verify_text (store, NULL, &first_bad);
  g_test_message ("%s", findings);
  g_assert_nonnull (strstr (findings, "escalation history entry 3 (escalation 2, raised) does not follow the entry "
                                      "before it: the history was rewritten"));
  g_assert_null (strstr (findings, "acknowledged_by")); /* the rewrite was consistent… */
  g_assert_cmpint (first_bad, ==, 3);                   /* …but not with what followed */
  g_assert_nonnull (strstr (findings, "escalation 3's history starts with 'acknowledged' (entry 4), not with its "
                                      "writing: the record was added with plain SQL"));
}

/* A database from before the history (schema 5) with escalation records:
 * the migration starts the history from them, one genesis entry each, and
 * it verifies. */
static void
test_audit_genesis (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autofree char *findings = NULL;
  g_autofree char *actions = NULL;
  guint            n_checked = 0;
  gint64           first_bad = -1;
  sqlite3         *db;

  g_assert_no_error (error);
  g_clear_pointer (&store, cc_store_free);

  /* Schema 5 is schema 7 without the objects of steps 6 and 7, and with
   * the escalation table as step 3 made it (and without step 9's
   * indexes).  Migrating it to 7 also proves that step 7's rebuild of the
   * table keeps the ids the history names. */
  db = raw_open (fixture->path);
  raw_exec (db, "DROP INDEX quarantine_record; DROP INDEX quarantine_import; DROP INDEX quarantine_time; "
                "DROP TABLE escalation_audit; DROP TABLE agent_policy; DROP TABLE escalation; "
                "CREATE TABLE escalation (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, rule TEXT NOT NULL, "
                "  occurrence INTEGER NOT NULL, level TEXT NOT NULL, breached_at TEXT NOT NULL, raised_at TEXT NOT NULL, "
                "  acknowledged_at TEXT, acknowledged_by TEXT, ack_note TEXT, resolved_at TEXT, resolution TEXT, "
                "  late INTEGER NOT NULL DEFAULT 0, UNIQUE (record_id, rule, occurrence, level)); "
                "CREATE INDEX escalation_open ON escalation (record_id) WHERE resolved_at IS NULL; "
                "DELETE FROM schema_version WHERE version >= 6; "
                "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at, "
                "  acknowledged_at, acknowledged_by, ack_note, late) VALUES "
                "('R-1', 'aa_requested', 1, 'sergeant', '2022-03-08T14:30:00Z', '2022-03-08T14:30:00Z', "
                "  '2022-03-08T14:40:00Z', 'PS 1', 'it''s \"done\"\n', 1),"
                "('R-1', 'aa_requested', 1, 'inspector', '2022-03-08T14:30:00Z', '2022-03-08T14:45:00Z', "
                "  NULL, NULL, NULL, 0)");

  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cc_store_get_schema_version (store), ==, CC_STORE_SCHEMA_VERSION);
  actions = raw_text (db, "SELECT group_concat(escalation_id || ':' || action, ' ') FROM "
                          "(SELECT escalation_id, action FROM escalation_audit ORDER BY seq)");
  g_assert_cmpstr (actions, ==, "1:genesis 2:genesis");
  findings = verify_text (store, &n_checked, &first_bad);
  g_assert_cmpstr (findings, ==, "");
  g_assert_cmpuint (n_checked, ==, 2);

  /* The history goes on from there, and catches a change as before. */
  g_assert_true (cc_store_acknowledge (store, 2, "Insp 3", NULL, 1646750100, &error));
  g_assert_no_error (error);
  raw_exec (db, "DROP TRIGGER escalation_no_rewrite; UPDATE escalation SET ack_note = 'nothing' WHERE id = 1");
  sqlite3_close (db);
  g_clear_pointer (&findings, g_free);
  findings = verify_text (store, &n_checked, &first_bad);
  g_assert_cmpuint (n_checked, ==, 3);
  g_assert_nonnull (strstr (findings, "escalation 1 (record R-1): ack_note is 'nothing' in the table but 'it's \"done\"\n' "
                                      "in its history"));
}

/* Several agents and desks writing at once keep one chain: each write
 * reads the tip under the write lock. */
#define N_WRITERS 4
#define N_PER_WRITER 50
#define N_ROUNDS 3

typedef struct
{
  const char *path;
  int         writer;
  int         round;
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *w = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (w->path, CC_STORE_OPEN_NONE, &error);

  g_assert_no_error (error);
  for (int i = 0; i < N_PER_WRITER; i++)
    {
      /* Every writer raises the same breaches, as agents on one database
       * do: one record per breach, whoever is first. */
      g_autofree char *record = g_strdup_printf ("R-%d-%d", w->round, i);
      g_autoptr (CcEscalation) e = cc_escalation_new (record, "aa_requested", 1, CC_LEVEL_SERGEANT, 1646749800 + i, 1646749800 + i);
      gboolean inserted = FALSE;

      g_assert_true (cc_store_begin (store, &error));
      g_assert_true (cc_store_insert_escalation (store, e, &inserted, &error));
      g_assert_true (cc_store_commit (store, &error));
      g_assert_no_error (error);
      /* Every writer acknowledges and resolves, racing the others: one
       * acknowledgement wins, the others are refused. */
      {
        gint64 id = 0;
        g_autoptr (GPtrArray) all = cc_store_list_escalations (store, FALSE, &error);

        for (guint j = 0; j < all->len; j++)
          if (g_str_equal (((CcEscalation *) g_ptr_array_index (all, j))->record_id, record))
            id = ((CcEscalation *) g_ptr_array_index (all, j))->id;
        g_assert_cmpint (id, >, 0);
        if (!cc_store_acknowledge (store, id, "PS 1", NULL, 1646750000 + i, &error))
          {
            g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED);
            g_clear_error (&error);
          }
      }
      if (!cc_store_resolve_escalation (store, 1 + (i * 7 + w->writer) % (i + 1 + w->round * N_PER_WRITER), CC_RESOLUTION_CLOSED,
                                        1646760000, &error))
        g_error ("%s", error->message);
    }
  return NULL;
}

static void
test_audit_concurrent (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  GThread         *threads[N_WRITERS];
  Writer           writers[N_WRITERS];
  g_autofree char *findings = NULL;
  g_autofree char *counts = NULL;
  guint            n_checked = 0;
  gint64           first_bad = -1;
  sqlite3         *db;

  g_assert_no_error (error);
  /* A race shows only sometimes: three rounds. */
  for (int round = 0; round < N_ROUNDS; round++)
    {
      for (int i = 0; i < N_WRITERS; i++)
        {
          writers[i].path = fixture->path;
          writers[i].writer = i;
          writers[i].round = round;
          threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
        }
      for (int i = 0; i < N_WRITERS; i++)
        g_thread_join (threads[i]);
    }

  db = raw_open (fixture->path);
  /* One raised entry per record, one acknowledgement each (of those a
   * writer acknowledged), one resolution per resolved record; the seqs
   * 1…n with no gap, each entry following the one before. */
  counts = raw_text (db, "SELECT (SELECT count(*) FROM escalation) || ' ' ||\n"
                         "  (SELECT count(*) FROM escalation_audit WHERE action = 'raised') || ' ' ||\n"
                         "  (SELECT count(*) FROM escalation WHERE acknowledged_at IS NOT NULL) || ' ' ||\n"
                         "  (SELECT count(*) FROM escalation_audit WHERE action = 'acknowledged') || ' ' ||\n"
                         "  (SELECT count(*) FROM escalation WHERE resolved_at IS NOT NULL) || ' ' ||\n"
                         "  (SELECT count(*) FROM escalation_audit WHERE action = 'resolved') || ' ' ||\n"
                         "  (SELECT count(*) FROM escalation_audit) || ' ' || (SELECT max(seq) FROM escalation_audit) || ' ' ||\n"
                         "  (SELECT count(DISTINCT prev_hash) FROM escalation_audit)");
  sqlite3_close (db);
  {
    g_auto (GStrv) n = g_strsplit (counts, " ", -1);
    g_test_message ("records, raised, acknowledged (2), resolved (2), entries, last seq, distinct prev: %s", counts);
    g_assert_cmpint (atoi (n[0]), ==, N_ROUNDS * N_PER_WRITER);
    g_assert_cmpstr (n[1], ==, n[0]);
    g_assert_cmpint (atoi (n[2]), ==, N_ROUNDS * N_PER_WRITER);
    g_assert_cmpstr (n[3], ==, n[2]);
    g_assert_cmpstr (n[5], ==, n[4]);
    g_assert_cmpstr (n[6], ==, n[7]);
    g_assert_cmpstr (n[8], ==, n[6]); /* no fork: no two entries follow the same one */
  }
  findings = verify_text (store, &n_checked, &first_bad);
  g_assert_cmpstr (findings, ==, "");
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_cmpuint (n_checked, >=, 2 * N_ROUNDS * N_PER_WRITER);
}

/* The record numbers record's "did you mean" compares with (issue 14
 * item 9): those with an arrival, once each, sorted; a held record's is
 * not among them.  And opening without CREATE makes nothing, not even
 * the folder (item 6). */
static void
test_arrived_records (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *nested = g_build_filename (dir, "no-such-folder", "x.db", NULL);
  g_autofree char *folder = g_path_get_dirname (nested);

  g_assert_no_error (error);
  cc_test_import (store,
                  "{\"event_id\":\"b1\",\"record_id\":\"R-B\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                  "\"data\":{\"suite\":\"S\",\"child\":\"C-B\"}}\n"
                  "{\"event_id\":\"a1\",\"record_id\":\"R-A\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                  "\"data\":{\"suite\":\"S\",\"child\":\"C-A\"}}\n"
                  "{\"event_id\":\"a2\",\"record_id\":\"R-A\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T13:00:00Z\","
                  "\"supersedes\":\"a1\",\"data\":{\"suite\":\"S\",\"child\":\"C-A\"}}\n"
                  "{\"event_id\":\"h1\",\"record_id\":\"R-H\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T14:00:00Z\"}\n",
                  1672531200);
  g_assert_true (cc_store_list_arrived_records (store, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "R-A");
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, "R-B");

  g_assert_null (cc_store_open (nested, CC_STORE_OPEN_NONE, &error));
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "custody-clock init --db"));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}

/* Schema step 9 adds the quarantine's indexes to a schema-8 log that
 * already has entries, and the month's reads find the month's records'
 * entries of both origins, and by time the input of nobody's record. */
static void
test_migration_step9 (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (GPtrArray) both = NULL;
  g_autoptr (GPtrArray) by_record = NULL;
  g_autofree char  *indexes = NULL;
  CcStoreRow        row = { 0, NULL, "R-1", "arrival", "2026-10-05T10:00:00Z", NULL, "PC 1", NULL, NULL };
  CcQuarantineEntry entries[] = {
    { .origin = (char *) "custody_event", .seq = 1, .record_id = (char *) "R-1", .quarantined_at = 1000 },
    { .origin = (char *) "import", .line = 3, .record_id = (char *) "R-1", .quarantined_at = 2000 },
    { .origin = (char *) "import", .line = 4, .quarantined_at = 1791201600 }, /* 2026-10-05T12:00:00Z */
    { .origin = (char *) "custody_event", .seq = 2, .record_id = (char *) "R-2", .quarantined_at = 3000 },
  };
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_true (cc_store_insert_row (store, &row, NULL, &error));
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      entries[i].reason_code = (char *) "missing_field";
      entries[i].reason = (char *) "missing";
      entries[i].raw = g_strdup_printf ("line %" G_GSIZE_FORMAT, i);
      entries[i].resolved_at = CC_INSTANT_NONE;
      g_assert_true (cc_store_add_quarantine (store, &entries[i], NULL, &error));
      g_assert_no_error (error);
      g_free (entries[i].raw);
    }
  g_clear_pointer (&store, cc_store_free);

  db = raw_open (fixture->path);
  raw_exec (db, "DROP INDEX quarantine_record; DROP INDEX quarantine_import; DROP INDEX quarantine_time; "
                "DELETE FROM schema_version WHERE version >= 9");
  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cc_store_get_schema_version (store), ==, CC_STORE_SCHEMA_VERSION);
  indexes = raw_text (db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                          "WHERE type = 'index' AND name LIKE 'quarantine\\_%' ESCAPE '\\' ORDER BY name)");
  g_assert_cmpstr (indexes, ==, "quarantine_import quarantine_open quarantine_record quarantine_time");
  sqlite3_close (db);

  both = cc_store_list_month_quarantine (store, "2026-09-29", "2026-11-03", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (both->len, ==, 3);
  g_assert_cmpint (((CcQuarantineEntry *) g_ptr_array_index (both, 0))->seq, ==, 1);
  g_assert_cmpint (((CcQuarantineEntry *) g_ptr_array_index (both, 1))->line, ==, 3);
  g_assert_cmpint (((CcQuarantineEntry *) g_ptr_array_index (both, 2))->line, ==, 4);
  by_record = cc_store_list_month_quarantine (store, "2026-09-29", "2026-11-03", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_record->len, ==, 2);
}

/* The record's summary under @digest, as the month of 2026-10 lists it. */
static CcStoreRecordSummary *
month_summary (CcStore *store,
               GArray **rows)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (rows, g_array_unref);
  g_assert_true (cc_store_list_month_summaries (store, "2026-09-29", "2026-11-03", "digest", TRUE, rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint ((*rows)->len, ==, 1);
  return &g_array_index (*rows, CcStoreRecordSummary, 0);
}

/* Schema step 11 adds the kept figures to a schema-10 log's summaries:
 * a summary kept before has none (its record is read again), a summary
 * kept with them gives them back, and one kept again without them (the
 * trend's) leaves them; a row of the record deletes both. */
static void
test_migration_step11 (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (GArray) rows = NULL;
  CcStoreRow           row = { 0, NULL, "R-1", "arrival", "2026-10-05T10:00:00Z", NULL, "PC 1", NULL, NULL };
  CcStoreRow           late = { 0, NULL, "R-1", "review", "2026-10-05T11:00:00Z", NULL, "PC 1", NULL, NULL };
  CcStoreRecordSummary summary = { .record_id = (char *) "R-1", .arrived_at = 1791194400, .monitored = TRUE, .settled_at = 1791194400, .checked_seq = 1 };
  sqlite3             *db;

  g_assert_no_error (error);
  g_assert_true (cc_store_insert_row (store, &row, NULL, &error));
  g_assert_true (cc_store_save_record_summaries (store, "digest", &summary, 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, cc_store_free);

  db = raw_open (fixture->path);
  raw_exec (db, "DROP TABLE record_figures; DELETE FROM schema_version WHERE version >= 11");
  sqlite3_close (db);
  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cc_store_get_schema_version (store), ==, CC_STORE_SCHEMA_VERSION);
  g_assert_true (month_summary (store, &rows)->found);
  g_assert_null (month_summary (store, &rows)->figures);
  g_clear_pointer (&rows, g_array_unref);

  summary.figures = (char *) "f1 kept";
  g_assert_true (cc_store_save_record_summaries (store, "digest", &summary, 1, &error));
  summary.figures = NULL;
  g_assert_true (cc_store_save_record_summaries (store, "digest", &summary, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (month_summary (store, &rows)->figures, ==, "f1 kept");
  g_clear_pointer (&rows, g_array_unref);

  g_assert_true (cc_store_insert_row (store, &late, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (month_summary (store, &rows)->found);
}

/* The agent's start reads what may still change, never the log (issue
 * 15): the plan of cc_store_list_live_records() reads record_unsettled,
 * escalation_open and quarantine_open, and no index of custody_event,
 * with and without sqlite_stat1 (ANALYZE can change plans). */
static void
check_live_records_plan (CcStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = cc_store_explain_live_records (store, &error);
  g_autoptr (GString) plan = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (plan, "%s\n", (const char *) g_ptr_array_index (lines, i));
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "SCAN record_unsettled"));
  g_assert_nonnull (strstr (plan->str, "escalation USING INDEX escalation_open"));
  g_assert_nonnull (strstr (plan->str, "SEARCH quarantine USING INDEX quarantine_open"));
  g_assert_null (strstr (plan->str, "custody_event"));
  g_assert_null (strstr (plan->str, "SCAN quarantine"));
  g_assert_null (strstr (plan->str, "SCAN escalation\n"));
  g_assert_null (strstr (plan->str, "quarantine_record"));
  g_assert_null (strstr (plan->str, "sqlite_autoindex_quarantine"));
}

static void
test_live_records_plan (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (GPtrArray) ids = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  /* Enough rows of every kind for ANALYZE to have something to say. */
  db = raw_open (fixture->path);
  raw_exec (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)\n"
                "INSERT INTO custody_event (record_id, type, occurred_at, data)\n"
                "  SELECT printf ('R-%03d', i), 'arrival', '2022-03-08T14:00:00Z', '{\"suite\":\"S\",\"child\":\"C\"}' FROM n;\n"
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)\n"
                "INSERT INTO quarantine (origin, seq, record_id, reason_code, reason, fingerprint, quarantined_at, resolved_at)\n"
                "  SELECT 'custody_event', i, printf ('R-%03d', i), 'bad_time', 'bad', 'f' || i, '2022-03-09T00:00:00Z',\n"
                "         CASE WHEN i > 2 THEN '2022-03-09T00:00:00Z' END FROM n;\n"
                "DELETE FROM record_unsettled WHERE record_id > 'R-005';");
  sqlite3_close (db);

  check_live_records_plan (store);
  /* R-001 … R-005 unsettled, R-001 and R-002 also quarantined. */
  g_assert_true (cc_store_list_live_records (store, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "R-001");

  db = raw_open (fixture->path);
  raw_exec (db, "ANALYZE");
  sqlite3_close (db);
  g_clear_pointer (&store, cc_store_free);
  store = cc_store_open (fixture->path, CC_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  check_live_records_plan (store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/create-private", test_create_private);
  ADD ("/store/missing", test_missing);
  ADD ("/store/arrived-records", test_arrived_records);
  ADD ("/store/live-records-plan", test_live_records_plan);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/third-party-table", test_third_party_table);
  ADD ("/store/migration-stepwise", test_migration_is_stepwise);
  ADD ("/store/migration-step9", test_migration_step9);
  ADD ("/store/migration-step11", test_migration_step11);
  ADD ("/store/insert-idempotent", test_insert_idempotent);
  ADD ("/store/rows-and-arrival", test_rows_and_arrival);
  ADD ("/store/quarantine-dedup", test_quarantine_dedup);
  ADD ("/store/busy", test_busy);
  ADD ("/store/data-version", test_data_version);
  ADD ("/store/wal-shm-follow-database", test_wal_shm_follow_database);
  ADD ("/store/audit/chain", test_audit_chain);
  ADD ("/store/audit/rehashed", test_audit_rehashed);
  ADD ("/store/audit/genesis", test_audit_genesis);
  ADD ("/store/audit/concurrent", test_audit_concurrent);
#undef ADD

  for (gsize i = 0; i < G_N_ELEMENTS (tamperings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/store/audit/tampering/%s", tamperings[i].name);
      g_test_add (path, Fixture, &tamperings[i], fixture_set_up, test_audit_tampering, fixture_tear_down);
    }

  return g_test_run ();
}
