/* cc-store-schema.c: the custody log's schema and its migrations
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The schema is a list of steps, each a literal run once and recorded in
 * schema_version; migrate() takes a database opened by cc_store_open()
 * from whatever step it is at to %CC_STORE_SCHEMA_VERSION, a step per
 * transaction.  Each step's comment says why it exists: this file is the
 * history of the tables as much as their definition.  The step that starts
 * the escalation history also writes its first entries (audit_genesis()).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cc-store-private.h"

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

  /* 5 → 6: the escalation history (append_audit()): one entry per write to
   * the escalation table, each hashing the one before, so a change made
   * with plain SQL is detectable (cc_store_verify_audit()).  The triggers
   * stop accidental rewrites; the hashes catch the deliberate ones that
   * drop the triggers first.  Existing records get a genesis entry each
   * (audit_genesis()). */
  "CREATE TABLE escalation_audit (\n"
  "  seq           INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  escalation_id INTEGER NOT NULL,\n"
  "  action        TEXT NOT NULL,\n"
  "  at            TEXT NOT NULL,\n"
  "  fields        TEXT NOT NULL,\n"
  "  prev_hash     TEXT NOT NULL,\n"
  "  hash          TEXT NOT NULL\n"
  ");\n"
  "CREATE TRIGGER escalation_audit_no_update BEFORE UPDATE ON escalation_audit\n"
  "BEGIN SELECT RAISE (ABORT, 'the escalation history is append-only'); END;\n"
  "CREATE TRIGGER escalation_audit_no_delete BEFORE DELETE ON escalation_audit\n"
  "BEGIN SELECT RAISE (ABORT, 'the escalation history is append-only'); END;\n"
  "CREATE TRIGGER escalation_no_delete BEFORE DELETE ON escalation\n"
  "BEGIN SELECT RAISE (ABORT, 'escalation records are history and are never deleted'); END;\n"
  "CREATE TRIGGER escalation_no_rewrite BEFORE UPDATE ON escalation\n"
  "WHEN NEW.id IS NOT OLD.id OR NEW.record_id IS NOT OLD.record_id OR NEW.rule IS NOT OLD.rule\n"
  "  OR NEW.occurrence IS NOT OLD.occurrence OR NEW.level IS NOT OLD.level\n"
  "  OR NEW.breached_at IS NOT OLD.breached_at OR NEW.raised_at IS NOT OLD.raised_at\n"
  "  OR NEW.late IS NOT OLD.late\n"
  "  OR (coalesce(OLD.acknowledged_at, OLD.acknowledged_by, OLD.ack_note) IS NOT NULL\n"
  "      AND (NEW.acknowledged_at IS NOT OLD.acknowledged_at OR NEW.acknowledged_by IS NOT OLD.acknowledged_by\n"
  "           OR NEW.ack_note IS NOT OLD.ack_note))\n"
  "  OR (coalesce(OLD.resolved_at, OLD.resolution) IS NOT NULL\n"
  "      AND (NEW.resolved_at IS NOT OLD.resolved_at OR NEW.resolution IS NOT OLD.resolution))\n"
  "BEGIN SELECT RAISE (ABORT, 'escalation records are history: what was written is never changed'); END;\n",

  /* 6 → 7: a breach is its rule and occurrence *at an instant*, and a
   * withdrawn record no longer holds its place.  A late entry that moves a
   * due time later withdraws the record of the old instant; when the new
   * instant passes with the duty still not done, a new record must be
   * written and climb (it was refused by the old UNIQUE (record_id, rule,
   * occurrence, level)).  So the one-record-per-breach-and-level rule
   * becomes a partial unique index over the records that are not
   * withdrawn, with breached_at in the key.  SQLite cannot drop a table
   * constraint, so the table is rebuilt with the same ids (the history
   * names them) and columns; DROP TABLE fires no DELETE trigger, and the
   * guards are put back as they were.  agent_policy keeps each agent's
   * policy, so that after a restart with a changed policy a withdrawal the
   * policy caused is recorded as such (resolution policy_changed), not as
   * a late entry. */
  "CREATE TABLE escalation_v7 (\n"
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
  "  late            INTEGER NOT NULL DEFAULT 0\n"
  ");\n"
  "INSERT INTO escalation_v7 (id, record_id, rule, occurrence, level, breached_at, raised_at, acknowledged_at,\n"
  "                           acknowledged_by, ack_note, resolved_at, resolution, late)\n"
  "  SELECT id, record_id, rule, occurrence, level, breached_at, raised_at, acknowledged_at,\n"
  "         acknowledged_by, ack_note, resolved_at, resolution, late FROM escalation;\n"
  "DROP TABLE escalation;\n"
  "ALTER TABLE escalation_v7 RENAME TO escalation;\n"
  "CREATE UNIQUE INDEX escalation_breach ON escalation (record_id, rule, occurrence, breached_at, level)\n"
  "  WHERE resolution IS NULL OR resolution NOT IN ('withdrawn_late_entry', 'policy_changed');\n"
  "CREATE INDEX escalation_open ON escalation (record_id) WHERE resolved_at IS NULL;\n"
  "CREATE TRIGGER escalation_no_delete BEFORE DELETE ON escalation\n"
  "BEGIN SELECT RAISE (ABORT, 'escalation records are history and are never deleted'); END;\n"
  "CREATE TRIGGER escalation_no_rewrite BEFORE UPDATE ON escalation\n"
  "WHEN NEW.id IS NOT OLD.id OR NEW.record_id IS NOT OLD.record_id OR NEW.rule IS NOT OLD.rule\n"
  "  OR NEW.occurrence IS NOT OLD.occurrence OR NEW.level IS NOT OLD.level\n"
  "  OR NEW.breached_at IS NOT OLD.breached_at OR NEW.raised_at IS NOT OLD.raised_at\n"
  "  OR NEW.late IS NOT OLD.late\n"
  "  OR (coalesce(OLD.acknowledged_at, OLD.acknowledged_by, OLD.ack_note) IS NOT NULL\n"
  "      AND (NEW.acknowledged_at IS NOT OLD.acknowledged_at OR NEW.acknowledged_by IS NOT OLD.acknowledged_by\n"
  "           OR NEW.ack_note IS NOT OLD.ack_note))\n"
  "  OR (coalesce(OLD.resolved_at, OLD.resolution) IS NOT NULL\n"
  "      AND (NEW.resolved_at IS NOT OLD.resolved_at OR NEW.resolution IS NOT OLD.resolution))\n"
  "BEGIN SELECT RAISE (ABORT, 'escalation records are history: what was written is never changed'); END;\n"
  "CREATE TABLE agent_policy (\n"
  "  agent  TEXT PRIMARY KEY,\n"
  "  policy TEXT NOT NULL\n"
  ");\n",

  /* 7 → 8: a record's escalations by an index again.  Step 7's unique
   * index is partial (records not withdrawn), and SQLite cannot use a
   * partial index for a query without its WHERE, so "this record's
   * escalations" (read for every record the agent holds, on every pass)
   * and the acknowledgement of a breach's other levels scanned the whole
   * table: the agent's first start on a year of breaches grew with the
   * square of the records written. */
  "CREATE INDEX escalation_record ON escalation (record_id, rule, occurrence);\n",

  /* 8 → 9: the report's month without reading the whole quarantine
   * (issue 15): its count of bad input is of the month's records' rows
   * and input lines, found by record (the two origins there are, each
   * partial index small and the first also what the agent's working set
   * asks for), and, for all suites, of the input quarantined in the month
   * that belongs to no record, found by time.  Before, every entry ever
   * quarantined was read for every report. */
  "CREATE INDEX quarantine_record ON quarantine (record_id) WHERE origin = 'custody_event';\n"
  "CREATE INDEX quarantine_import ON quarantine (record_id) WHERE origin = 'import';\n"
  "CREATE INDEX quarantine_time ON quarantine (quarantined_at);\n",

  /* 9 → 10: what a reader must look at (issue 15; HACKING.md "Reads cost
   * what they show").  record_unsettled names every record the engine has
   * not yet found settled: a trigger puts a record there on every row
   * written, by any writer (the importer, `record`, a custody system's own
   * SQL), so a late correction of a record settled years ago brings it
   * back whole.  Only C code that has evaluated the record empties it
   * (cc-settle.c): the engine stays the judge of what a row means, SQL
   * never decides that a record is closed.  `seq` is the record's highest
   * row when it was last marked; a settle names the highest row it read
   * and changes nothing if a row came in since.  on_board = 0: a board or
   * report found the record settled and wrote its stay; the agent, which
   * must still see it once (its escalations), deletes the row itself.
   * record_stay is the engine's reading of a settled record: it was in
   * custody from arrived_at to closed_at (unix seconds), so a board at T
   * reads only the stays covering T (long_stay: more than 7 days, kept
   * apart so that the common case is one range of the index).  An update
   * or delete of a row (which the contract forbids, but a custody system
   * could do) unsettles its record too, with the record's highest row as
   * it is after the change (a delete can leave it below the one recorded,
   * and the record must still settle); a reader that read the record
   * before such a change and settles after it is not caught, which only
   * a later row of the record mends.  The seed marks every existing
   * record unsettled: sound, and settled lazily in batches by the first
   * reader (cc_settle_backlog()). */
  "CREATE TABLE IF NOT EXISTS record_unsettled (\n"
  "  record_id TEXT PRIMARY KEY,\n"
  "  seq       INTEGER NOT NULL,\n"
  "  on_board  INTEGER NOT NULL DEFAULT 1\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX IF NOT EXISTS record_unsettled_board ON record_unsettled (record_id) WHERE on_board = 1;\n"
  "CREATE TABLE IF NOT EXISTS record_stay (\n"
  "  record_id   TEXT PRIMARY KEY,\n"
  "  arrived_at  INTEGER NOT NULL,\n"
  "  closed_at   INTEGER NOT NULL,\n"
  "  checked_seq INTEGER NOT NULL,\n"
  "  long_stay   INTEGER NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX IF NOT EXISTS record_stay_time ON record_stay (arrived_at, closed_at);\n"
  "CREATE INDEX IF NOT EXISTS record_stay_long ON record_stay (arrived_at) WHERE long_stay = 1;\n"
  /* The trend's figures of settled records (the
   * report, docs/REPORT.md "The trend and its cache").  record_summary
   * keeps, per record and policy digest (cc_policy_digest()), what the
   * trend counts of a record once the engine has found it settled at the
   * report's instant: its corrected arrival (which decides the month), the
   * arrival's suite (--suite), whether the engine monitors it, and its
   * values (the AA's arrival, healthcare seen and due, the post-charge
   * wait, breaches); settled_at is its last row's time, before which it
   * is not used, checked_seq the highest row read.  A summary is what the
   * engine said, never an SQL reading of the log; any row written to the
   * record deletes its summaries under every policy, in the same
   * statement as the row (the three triggers above), so a summary
   * present is one no row has changed since.  Indexed by month
   * range too, for what reads summaries without the log (pruning old
   * policies). */
  "CREATE TABLE IF NOT EXISTS record_summary (\n"
  "  record_id           TEXT NOT NULL,\n"
  "  policy              TEXT NOT NULL,\n"
  "  arrived_at          INTEGER NOT NULL,\n"
  "  suite               TEXT,\n"
  "  monitored           INTEGER NOT NULL,\n"
  "  settled_at          INTEGER NOT NULL,\n"
  "  closed_at           INTEGER NOT NULL,\n"
  "  checked_seq         INTEGER NOT NULL,\n"
  "  aa_seconds          INTEGER,\n"
  "  healthcare_seen     INTEGER NOT NULL,\n"
  "  healthcare_of       INTEGER NOT NULL,\n"
  "  post_charge_seconds INTEGER,\n"
  "  breaches            INTEGER NOT NULL,\n"
  "  PRIMARY KEY (record_id, policy)\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX IF NOT EXISTS record_summary_month ON record_summary (policy, arrived_at);\n"
  "CREATE TRIGGER IF NOT EXISTS custody_event_unsettles AFTER INSERT ON custody_event WHEN NEW.record_id IS NOT NULL\n"
  "BEGIN\n"
  "  INSERT INTO record_unsettled (record_id, seq) VALUES (NEW.record_id, NEW.seq)\n"
  "    ON CONFLICT (record_id) DO UPDATE SET seq = max(seq, excluded.seq), on_board = 1;\n"
  "  DELETE FROM record_stay WHERE record_id = NEW.record_id;\n"
  "  DELETE FROM record_summary WHERE record_id = NEW.record_id;\n"
  "END;\n"
  "CREATE TRIGGER IF NOT EXISTS custody_event_unsettles_update AFTER UPDATE ON custody_event\n"
  "BEGIN\n"
  "  INSERT INTO record_unsettled (record_id, seq)\n"
  "    SELECT r, coalesce((SELECT max(seq) FROM custody_event WHERE record_id = r), 0)\n"
  "    FROM (SELECT OLD.record_id AS r UNION SELECT NEW.record_id) WHERE r IS NOT NULL\n"
  "    ON CONFLICT (record_id) DO UPDATE SET seq = excluded.seq, on_board = 1;\n"
  "  DELETE FROM record_stay WHERE record_id IN (OLD.record_id, NEW.record_id);\n"
  "  DELETE FROM record_summary WHERE record_id IN (OLD.record_id, NEW.record_id);\n"
  "END;\n"
  "CREATE TRIGGER IF NOT EXISTS custody_event_unsettles_delete AFTER DELETE ON custody_event WHEN OLD.record_id IS NOT NULL\n"
  "BEGIN\n"
  "  INSERT INTO record_unsettled (record_id, seq)\n"
  "    VALUES (OLD.record_id, coalesce((SELECT max(seq) FROM custody_event WHERE record_id = OLD.record_id), 0))\n"
  "    ON CONFLICT (record_id) DO UPDATE SET seq = excluded.seq, on_board = 1;\n"
  "  DELETE FROM record_stay WHERE record_id = OLD.record_id;\n"
  "  DELETE FROM record_summary WHERE record_id = OLD.record_id;\n"
  "END;\n"
  "INSERT INTO record_unsettled (record_id, seq)\n"
  "  SELECT record_id, max(seq) FROM custody_event WHERE record_id IS NOT NULL GROUP BY record_id\n"
  "  ON CONFLICT (record_id) DO UPDATE SET seq = max(seq, excluded.seq), on_board = 1;\n"
  /* The agent's start (cc_store_list_live_records()) reads the log's rows
   * in quarantine not yet resolved.  quarantine_record (step 9) holds
   * every such row ever quarantined, resolved or not, and without
   * sqlite_stat1 the planner prefers UNIQUE (origin, fingerprint) for
   * origin = ?, which is every row of that origin: this index, partial
   * and led by origin, is the one it takes, sized by what is still to
   * mend (issue 15). */
  "CREATE INDEX IF NOT EXISTS quarantine_open ON quarantine (origin, record_id) WHERE resolved_at IS NULL;\n"
  /* The suites the log names (cc_store_list_suites(), which every
   * `--suite` resolves against): the arrivals' suite names, indexed, so
   * that listing them steps from one name to the next instead of reading
   * every arrival ever made.  The expression and its conditions are
   * exactly the listing's; json_valid() comes first, so a row whose data
   * is not JSON is stored (and quarantined by the ledger) as before. */
  "CREATE INDEX IF NOT EXISTS custody_event_suite ON custody_event (json_extract (data, '$.suite'))\n"
  "  WHERE type = 'arrival' AND json_valid (data) AND json_type (data, '$.suite') = 'text';\n",

  /* 10 → 11: a settled record's whole part in its month's report
   * (issue 15): the engine's figures of it, encoded by cc-report.c
   * (part_encode()) beside the trend's in record_summary, so that a report
   * counts its settled records without reading their rows.  A table of its
   * own because the trend reads eleven months of summaries and needs none
   * of this; the triggers are made again to delete it with the summary
   * whenever a row of the record is written. */
  "CREATE TABLE IF NOT EXISTS record_figures (\n"
  "  record_id TEXT NOT NULL,\n"
  "  policy    TEXT NOT NULL,\n"
  "  figures   TEXT NOT NULL,\n"
  "  PRIMARY KEY (record_id, policy)\n"
  ") WITHOUT ROWID;\n"
  "DROP TRIGGER IF EXISTS custody_event_unsettles;\n"
  "DROP TRIGGER IF EXISTS custody_event_unsettles_update;\n"
  "DROP TRIGGER IF EXISTS custody_event_unsettles_delete;\n"
  "CREATE TRIGGER custody_event_unsettles AFTER INSERT ON custody_event WHEN NEW.record_id IS NOT NULL\n"
  "BEGIN\n"
  "  INSERT INTO record_unsettled (record_id, seq) VALUES (NEW.record_id, NEW.seq)\n"
  "    ON CONFLICT (record_id) DO UPDATE SET seq = max(seq, excluded.seq), on_board = 1;\n"
  "  DELETE FROM record_stay WHERE record_id = NEW.record_id;\n"
  "  DELETE FROM record_summary WHERE record_id = NEW.record_id;\n"
  "  DELETE FROM record_figures WHERE record_id = NEW.record_id;\n"
  "END;\n"
  "CREATE TRIGGER custody_event_unsettles_update AFTER UPDATE ON custody_event\n"
  "BEGIN\n"
  "  INSERT INTO record_unsettled (record_id, seq)\n"
  "    SELECT r, coalesce((SELECT max(seq) FROM custody_event WHERE record_id = r), 0)\n"
  "    FROM (SELECT OLD.record_id AS r UNION SELECT NEW.record_id) WHERE r IS NOT NULL\n"
  "    ON CONFLICT (record_id) DO UPDATE SET seq = excluded.seq, on_board = 1;\n"
  "  DELETE FROM record_stay WHERE record_id IN (OLD.record_id, NEW.record_id);\n"
  "  DELETE FROM record_summary WHERE record_id IN (OLD.record_id, NEW.record_id);\n"
  "  DELETE FROM record_figures WHERE record_id IN (OLD.record_id, NEW.record_id);\n"
  "END;\n"
  "CREATE TRIGGER custody_event_unsettles_delete AFTER DELETE ON custody_event WHEN OLD.record_id IS NOT NULL\n"
  "BEGIN\n"
  "  INSERT INTO record_unsettled (record_id, seq)\n"
  "    VALUES (OLD.record_id, coalesce((SELECT max(seq) FROM custody_event WHERE record_id = OLD.record_id), 0))\n"
  "    ON CONFLICT (record_id) DO UPDATE SET seq = excluded.seq, on_board = 1;\n"
  "  DELETE FROM record_stay WHERE record_id = OLD.record_id;\n"
  "  DELETE FROM record_summary WHERE record_id = OLD.record_id;\n"
  "  DELETE FROM record_figures WHERE record_id = OLD.record_id;\n"
  "END;\n",
};

/* The schema step that starts the escalation history. */
#define AUDIT_SCHEMA_VERSION 6

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CC_STORE_SCHEMA_VERSION);

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
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the schema version"), error);
  if (sqlite3_column_int (stmt, 0) == 0)
    {
      *out_version = 0;
      return TRUE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  rc = sqlite3_prepare_v2 (store->db, "SELECT max(version) FROM schema_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK || (rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the schema version"), error);
  *out_version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* Schema step 6, inside its transaction: the history starts from the
 * records as they are, one "genesis" entry each, by id. */
static gboolean
audit_genesis (CcStore *store,
               GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, "SELECT id FROM escalation ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (store, rc, NC_ ("database task", "starting the escalation history"), error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "starting the escalation history"), error);

  for (guint i = 0; i < ids->len; i++)
    if (!append_audit (store, g_array_index (ids, gint64, i), "genesis", CC_INSTANT_NONE, error))
      return FALSE;
  if (ids->len > 0)
    g_debug ("%s: the escalation history starts from %u existing records", store->path, ids->len);
  return TRUE;
}

gboolean
migrate (CcStore *store,
         GError **error)
{
  int version;

  if (!read_schema_version (store, &version, error))
    return FALSE;

  if (version > CC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_TOO_NEW,
                   /* Translators: %1$s is the database file, %2$d and %3$d schema
                    * version numbers; "custody-clock" is the program's name */
                   _ ("%1$s: schema version %2$d was written by a newer custody-clock "
                      "(this one knows up to %3$d); upgrade custody-clock"),
                   store->path, version, CC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < CC_STORE_SCHEMA_VERSION)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      int rc;

      if (!exec (store, "BEGIN IMMEDIATE", NC_ ("database task", "starting a migration"), error))
        return FALSE;

      /* Another process may have migrated while we waited for the lock. */
      if (!read_schema_version (store, &version, error))
        goto fail;
      if (version >= CC_STORE_SCHEMA_VERSION)
        {
          exec (store, "COMMIT", NC_ ("database task", "finishing a migration"), NULL);
          break;
        }

      if (!exec (store,
                 "CREATE TABLE IF NOT EXISTS schema_version (\n"
                 "  version    INTEGER PRIMARY KEY,\n"
                 "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))\n"
                 ")",
                 NC_ ("database task", "creating the schema version table"), error))
        goto fail;
      if (!exec (store, migrations[version], NC_ ("database task", "migrating the schema"), error))
        goto fail;
      if (version + 1 == AUDIT_SCHEMA_VERSION && !audit_genesis (store, error))
        goto fail;

      rc = sqlite3_prepare_v2 (store->db, "INSERT INTO schema_version (version) VALUES (?)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int (stmt, 1, version + 1);
          rc = sqlite3_step (stmt);
        }
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (store, rc, NC_ ("database task", "recording the schema version"), error);
          goto fail;
        }
      if (!exec (store, "COMMIT", NC_ ("database task", "finishing a migration"), error))
        goto fail;

      g_debug ("%s: schema migrated to version %d", store->path, version + 1);
      version++;
      continue;

fail:
      exec (store, "ROLLBACK", NC_ ("database task", "undoing a failed migration"), NULL);
      return FALSE;
    }

  store->schema_version = version;
  return TRUE;
}
