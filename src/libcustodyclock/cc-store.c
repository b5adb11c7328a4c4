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
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
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
  gboolean    in_write;          /* the transaction is cc_store_begin()'s, not a read */
  int         default_max_pages; /* 0 until cc_store_set_max_pages() reads it */
  /* cc_store_record_plans(): the SQL texts planned since the last take
   * (by text: one call site's literal may be several copies), and their
   * plans; both NULL when not recording */
  GHashTable *planned;
  GPtrArray  *plans;
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

/* The triggers of step 6, which doctor expects to find. */
static const char *const audit_triggers[] = {
  "escalation_audit_no_update",
  "escalation_audit_no_delete",
  "escalation_no_delete",
  "escalation_no_rewrite",
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
 * Called through the macro below, which records the statement's plan
 * first while cc_store_record_plans() is on. */
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
      /* Translators: this and the other "database task" strings say what
       * the program was doing when the database failed; they go into
       * messages such as "FILE: TASK: ERROR" */
      set_sqlite_error (store, rc, NC_ ("database task", "preparing a statement"), error);
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

static gboolean plan_wanted (CcStore    *store,
                             const char *sql);
static void     record_plan (CcStore      *store,
                             const char   *sql,
                             sqlite3_stmt *explain);

/* Every call of prepare() below goes through this: the statement's plan
 * first, while plans are recorded (plan_wanted() and record_plan() are
 * below, with the rest of the recorder).  A macro is not expanded inside
 * its own definition, nor in prepare() above. */
#define prepare(store, sql, error)                                                                       \
  (plan_wanted (store, sql) ? record_plan (store, sql, prepare (store, "EXPLAIN QUERY PLAN " sql, NULL)) \
                            : (void) 0,                                                                  \
   prepare (store, sql, error))

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

static gboolean
plan_wanted (CcStore    *store,
             const char *sql)
{
  return store->planned != NULL && !g_hash_table_contains (store->planned, sql);
}

/* Keeps @sql's plan, read from @explain (its EXPLAIN QUERY PLAN, or NULL
 * when that could not be prepared): a line per row of the plan's tree,
 * indented two spaces per level. */
static void
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
 * turning it off forgets what was not taken.  Statements this file runs
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

/* Runs a statement that returns one integer (a count, a maximum): @stmt
 * is prepare()'s result, and %NULL (its error set) fails.  (A statement,
 * not its text, so that the text stays a literal at the call.) */
static gboolean
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
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, doing, error);
  return TRUE;
}

/* Hands each row of @stmt (the nine custody_event columns, in the order
 * of the table) to @func, which may stop the walk by failing; @doing names
 * the task in an SQLite error.  Every reader of custody_event rows goes
 * through here, so a row is always read the same way. */
static gboolean
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

/* Which of @names (triggers the schema creates) are no longer in the
 * database: doctor's check of the audit guards and of the unsettle
 * triggers.  Returns (transfer full) the missing names, or %NULL with
 * @error set. */
static GPtrArray *
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
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          set_sqlite_error (store, rc, NC_ ("database task", "reading the schema"), error);
          return NULL;
        }
    }
  return g_steal_pointer (&missing);
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

static gboolean audit_genesis (CcStore *store,
                               GError **error);

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

/* A write that must be one transaction with its history entry: inside the
 * caller's cc_store_begin() when there is one, else in one of its own.
 * Either way the write lock is held (BEGIN IMMEDIATE) before the chain's
 * tip is read, so concurrent writers extend one chain. */
static gboolean
write_begin (CcStore  *store,
             gboolean *out_own,
             GError  **error)
{
  *out_own = FALSE;
  if (store->in_transaction)
    {
      if (store->in_write)
        return TRUE;
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_FAILED,
                   /* Translators: %s is the database file */
                   _ ("%s: an escalation record cannot be written inside a read (a bug: please report it)"),
                   store->path);
      return FALSE;
    }
  if (!cc_store_begin (store, error))
    return FALSE;
  *out_own = TRUE;
  return TRUE;
}

static gboolean
write_end (CcStore *store,
           gboolean own,
           gboolean ok,
           GError **error)
{
  if (!own)
    return ok; /* the caller commits, or rolls back on failure */
  if (ok && cc_store_commit (store, error))
    return TRUE;
  cc_store_rollback (store);
  return FALSE;
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

  if (!step_done (store, stmt, NC_ ("database task", "adding an event"), error))
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
    return set_sqlite_error (store, rc, NC_ ("database task", "looking up an event"), error);
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
    return set_sqlite_error (store, rc, NC_ ("database task", "looking up an arrival"), error);
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

  return step_rows (store, stmt, func, user_data, NC_ ("database task", "reading events"), error);
}

gboolean
cc_store_get_max_seq (CcStore *store,
                      gint64  *out_seq,
                      GError **error)
{
  return step_int64 (store, prepare (store, "SELECT coalesce(max(seq), 0) FROM custody_event", error),
                     NC_ ("database task", "reading the last event number"), out_seq, error);
}

/* The agent's working set.
 *
 * A record the agent must hold is one whose clocks can still change or
 * whose escalations can still climb; every other record is settled until a
 * new row arrives for it.  cc_store_list_live_records() finds the first
 * kind from what the engine has judged (record_unsettled, schema step 10),
 * never by reading the log: SQL does not decide that a record is closed. */

/**
 * cc_store_list_arrived_records:
 * @out_ids: (out) (transfer full) (element-type utf8): the record numbers,
 *   sorted
 *
 * Every record number with an arrival row (corrected or not): the records
 * a mistyped number is compared with (`record`'s "did you mean").  Reads the
 * arrivals' partial index only.
 */
gboolean
cc_store_list_arrived_records (CcStore    *store,
                               GPtrArray **out_ids,
                               GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);

  stmt = prepare (store, "SELECT DISTINCT record_id FROM custody_event WHERE type = 'arrival' ORDER BY 1", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "listing the records"), error);
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/* One text for the statement and its plan (cc_store_explain_live_records()). */
#define LIVE_RECORDS_SQL                                                                 \
  "SELECT record_id FROM record_unsettled\n"                                             \
  "UNION SELECT record_id FROM escalation WHERE resolved_at IS NULL\n"                   \
  "UNION SELECT record_id FROM quarantine\n"                                             \
  "  WHERE origin = 'custody_event' AND resolved_at IS NULL AND record_id IS NOT NULL\n" \
  "ORDER BY 1"

/**
 * cc_store_list_live_records:
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids,
 *   sorted, each once
 *
 * The records the agent must read when it starts: every record in
 * record_unsettled (whatever on_board says: a board or report that found a
 * record settled first leaves it there for the agent, which must still see
 * it once, its escalations), every record with an escalation not yet
 * resolved, and every record with a row of the log in quarantine not yet
 * resolved.  Each arm is read by an index sized by what it returns, never
 * by the log (issue 15): record_unsettled's key, escalation_open (partial:
 * the open ones) and quarantine_open (partial, schema step 10), so a
 * restart on a year's log costs what may still change.
 *
 * There is no "rows above the checkpoint" arm: a row written since puts
 * its record in record_unsettled by trigger, and only the agent deletes
 * from there (cc_store_settle() with %CC_STORE_SETTLE_AGENT), once the
 * engine has judged the record settled.  Nor is there an "arrival without
 * a closing event" arm: an open record is never judged settled.  A
 * superset is harmless (the agent reads those records and lets the
 * settled ones go); missing one is not.
 */
gboolean
cc_store_list_live_records (CcStore    *store,
                            GPtrArray **out_ids,
                            GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* "" first: check-sql.sh reads a call's SQL from its opening literal. */
  stmt = prepare (store, "" LIVE_RECORDS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "finding the records in custody"), error);
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
  return step_int64 (store, prepare (store, "SELECT coalesce(max(seq), 0) FROM monitor_checkpoint", error),
                     NC_ ("database task", "reading the monitor's checkpoint"), out_seq, error);
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
  return step_done (store, stmt, NC_ ("database task", "writing the monitor's checkpoint"), error);
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

  if (!step_done (store, stmt, NC_ ("database task", "quarantining an event"), error))
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
  return step_done (store, stmt, NC_ ("database task", "resolving a quarantine entry"), error);
}

#define QUARANTINE_COLUMNS                                                          \
  "id, origin, source, line, seq, event_id, record_id, reason_code, reason, raw,\n" \
  "       quarantined_at, resolved_at"

/* One row of QUARANTINE_COLUMNS. */
static CcQuarantineEntry *
quarantine_from_row (sqlite3_stmt *stmt)
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
  return entry;
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

  stmt = prepare (store, "SELECT " QUARANTINE_COLUMNS "\nFROM quarantine WHERE (?1 = 0 OR resolved_at IS NULL) ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, unresolved_only ? 1 : 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, quarantine_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "reading the quarantine"), error);
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

  if (!step_done (store, stmt, NC_ ("database task", "adding a row"), error))
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

/* ---- The escalation history ----------------------------------------------
 *
 * escalation_audit holds one entry per write to the escalation table:
 * "raised" (the record was written), "acknowledged", "resolved", or
 * "genesis" (a record that existed when the history began, schema step 6).
 * Each entry keeps the record's whole state after the write as canonical
 * text (`fields`: a JSON object, its members always in the order of
 * STATE_COLUMNS, values as SQLite holds them) and
 *
 *   hash = SHA-256 (prev_hash "\n" seq "\n" escalation_id "\n" action "\n"
 *                   at "\n" fields)        (lower-case hex)
 *
 * where prev_hash is the previous entry's hash (64 zeros for the first).
 * Changing, removing or reordering an entry breaks the chain; changing the
 * escalation table itself with plain SQL makes a record differ from its
 * latest entry; deleting the last entries leaves sqlite_sequence ahead of
 * the chain, and later entries continue after the gap.  Anyone can check
 * it with sqlite3 and sha256sum.  What a hash chain cannot show on its own
 * is a rewrite of the whole chain by someone who recomputes every hash:
 * doctor prints the head's hash so that it can be kept elsewhere.
 *
 * Entries are appended in the write's own transaction, which holds the
 * write lock (BEGIN IMMEDIATE) before the tip is read: agents writing at
 * once queue for the lock and extend one chain. */

#define STATE_COLUMNS                                                             \
  "record_id, rule, occurrence, level, breached_at, raised_at, acknowledged_at, " \
  "acknowledged_by, ack_note, resolved_at, resolution, late"

static const char *const state_names[] = {
  "record_id",
  "rule",
  "occurrence",
  "level",
  "breached_at",
  "raised_at",
  "acknowledged_at",
  "acknowledged_by",
  "ack_note",
  "resolved_at",
  "resolution",
  "late",
};

#define AUDIT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void
append_json_string (GString    *s,
                    const char *text,
                    int         len)
{
  g_string_append_c (s, '"');
  for (int i = 0; i < len; i++)
    {
      guchar c = text[i];

      if (c == '"' || c == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, c);
        }
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, c);
    }
  g_string_append_c (s, '"');
}

/* The canonical text of the record's state: columns @first … @first + 11
 * of @stmt, in STATE_COLUMNS order, each as SQLite holds it (an integer
 * stored as text is not the same state as the integer). */
static char *
canonical_state (sqlite3_stmt *stmt,
                 int           first)
{
  GString *s = g_string_new ("{");

  for (int i = 0; i < (int) G_N_ELEMENTS (state_names); i++)
    {
      int col = first + i;

      if (i > 0)
        g_string_append_c (s, ',');
      append_json_string (s, state_names[i], strlen (state_names[i]));
      g_string_append_c (s, ':');
      switch (sqlite3_column_type (stmt, col))
        {
        case SQLITE_NULL:
          g_string_append (s, "null");
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, col));
          break;
        case SQLITE_FLOAT:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append (s, g_ascii_dtostr (buf, sizeof buf, sqlite3_column_double (stmt, col)));
          }
          break;
        case SQLITE_BLOB:
          {
            const guchar *blob = sqlite3_column_blob (stmt, col);
            int           n = sqlite3_column_bytes (stmt, col);

            g_string_append (s, "\"x'");
            for (int j = 0; j < n; j++)
              g_string_append_printf (s, "%02x", blob[j]);
            g_string_append (s, "'\"");
          }
          break;
        case SQLITE_TEXT:
        default:
          append_json_string (s, (const char *) sqlite3_column_text (stmt, col), sqlite3_column_bytes (stmt, col));
          break;
        }
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
audit_hash (const char *prev_hash,
            gint64      seq,
            gint64      escalation_id,
            const char *action,
            const char *at,
            const char *fields)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char numbers[2][32];

  g_snprintf (numbers[0], sizeof numbers[0], "%" G_GINT64_FORMAT, seq);
  g_snprintf (numbers[1], sizeof numbers[1], "%" G_GINT64_FORMAT, escalation_id);
  {
    const char *parts[] = { prev_hash, numbers[0], numbers[1], action, at, fields };

    for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
      {
        if (i > 0)
          g_checksum_update (sum, (const guchar *) "\n", 1);
        g_checksum_update (sum, (const guchar *) (parts[i] != NULL ? parts[i] : ""), -1);
      }
  }
  return g_strdup (g_checksum_get_string (sum));
}

/* Appends the history entry for a write just made to escalation @id, in
 * the same (write) transaction.  @at: when it happened (the record's
 * raised_at, the acknowledgement's or resolution's time), or
 * %CC_INSTANT_NONE for the machine's time now. */
static gboolean
append_audit (CcStore    *store,
              gint64      id,
              const char *action,
              CcInstant   at,
              GError    **error)
{
  g_autofree char *fields = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *at_text = NULL;
  sqlite3_stmt    *stmt;
  gint64           seq = 0;
  int              rc;

  if (sqlite3_get_autocommit (store->db))
    {
      /* Never an entry outside the write it records. */
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_FAILED,
                   /* Translators: %s is the database file */
                   _ ("%s: the escalation history can only be written with its record (a bug: please report it)"),
                   store->path);
      return FALSE;
    }

  stmt = prepare (store, "SELECT " STATE_COLUMNS " FROM escalation WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    fields = canonical_state (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading an escalation record for its history"), error);
  if (fields == NULL)
    {
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_FAILED,
                   /* Translators: %1$s is the database file, %2$lld an escalation number */
                   _ ("%1$s: escalation %2$lld vanished while it was being written"), store->path, (long long) id);
      return FALSE;
    }

  /* The tip, and the highest seq ever used: entries deleted from the end
   * leave a gap that the next entry does not close. */
  stmt = prepare (store,
                  "SELECT coalesce((SELECT hash FROM escalation_audit ORDER BY seq DESC LIMIT 1), ?1),\n"
                  "       max(coalesce((SELECT max(seq) FROM escalation_audit), 0),\n"
                  "           coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'escalation_audit'), 0))",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, AUDIT_GENESIS_HASH);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      prev_hash = column_dup (stmt, 0);
      seq = sqlite3_column_int64 (stmt, 1) + 1;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the escalation history"), error);

  at_text = cc_time_format_utc (at != CC_INSTANT_NONE ? at : g_get_real_time () / G_USEC_PER_SEC);
  hash = audit_hash (prev_hash, seq, id, action, at_text, fields);

  stmt = prepare (store,
                  "INSERT INTO escalation_audit (seq, escalation_id, action, at, fields, prev_hash, hash)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, id);
  bind_text (stmt, 3, action);
  bind_text (stmt, 4, at_text);
  bind_text (stmt, 5, fields);
  bind_text (stmt, 6, prev_hash);
  bind_text (stmt, 7, hash);
  return step_done (store, stmt, NC_ ("database task", "writing the escalation history"), error);
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

/**
 * cc_store_insert_escalation:
 * @escalation: (inout): the record; its @id is set
 * @out_inserted: (out) (optional): %FALSE when another agent (or an earlier
 *   run) already wrote this record and level: the UNIQUE constraint makes
 *   sure each breach gets one record per level, however many agents watch
 *
 * Writes one escalation record, unless it exists, with its "raised" entry
 * in the escalation history (in the same transaction: the caller's, if it
 * has begun one, else one of its own).
 */
gboolean
cc_store_insert_escalation (CcStore      *store,
                            CcEscalation *escalation,
                            gboolean     *out_inserted,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean      inserted = FALSE;
  gboolean      own;
  gboolean      ok;

  if (!write_begin (store, &own, error))
    return FALSE;
  stmt = prepare (store,
                  "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at, late)\n"
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)\n"
                  "ON CONFLICT (record_id, rule, occurrence, breached_at, level)\n"
                  "  WHERE resolution IS NULL OR resolution NOT IN ('withdrawn_late_entry', 'policy_changed')\n"
                  "DO NOTHING",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      bind_text (stmt, 1, escalation->record_id);
      bind_text (stmt, 2, escalation->rule);
      sqlite3_bind_int (stmt, 3, escalation->occurrence);
      bind_text (stmt, 4, cc_level_to_string (escalation->level));
      bind_instant (stmt, 5, escalation->breached_at);
      bind_instant (stmt, 6, escalation->raised_at);
      sqlite3_bind_int (stmt, 7, escalation->late ? 1 : 0);
      ok = step_done (store, stmt, NC_ ("database task", "writing an escalation record"), error);
    }
  if (ok)
    {
      inserted = sqlite3_changes (store->db) > 0;
      if (inserted)
        {
          escalation->id = sqlite3_last_insert_rowid (store->db);
          ok = append_audit (store, escalation->id, "raised", escalation->raised_at, error);
        }
    }
  if (!write_end (store, own, ok, error))
    return FALSE;
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
      set_sqlite_error (store, rc, NC_ ("database task", "reading escalation records"), error);
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
    return set_sqlite_error (store, rc, NC_ ("database task", "reading escalation records"), error);
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
      set_sqlite_error (store, rc, NC_ ("database task", "reading an escalation record"), error);
      return NULL;
    }
  if (e == NULL)
    g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED,
                 /* Translators: %1$s is the database file, %2$lld an escalation number;
                  * do not translate the command 'custody-clock escalations --open' */
                 _ ("%1$s: there is no escalation %2$lld; 'custody-clock escalations --open' lists them"),
                 store->path, (long long) id);
  return e;
}

/* The acknowledgement's write, for the record acknowledged and each other
 * record of its breach; the caller holds the write lock and appends the
 * history entry. */
static gboolean
write_acknowledgement (CcStore    *store,
                       gint64      id,
                       const char *officer,
                       const char *note,
                       CcInstant   at,
                       GError    **error)
{
  sqlite3_stmt *stmt = prepare (store,
                                "UPDATE escalation SET acknowledged_at = ?2, acknowledged_by = ?3, ack_note = ?4\n"
                                "WHERE id = ?1 AND acknowledged_at IS NULL",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_instant (stmt, 2, at);
  bind_text (stmt, 3, officer);
  bind_text (stmt, 4, note);
  return step_done (store, stmt, NC_ ("database task", "acknowledging an escalation"), error);
}

/**
 * cc_store_acknowledge:
 * @officer: who (collar or staff number)
 * @note: (nullable): what they did
 *
 * Records who acknowledged an escalation and when, with its entry in the
 * escalation history.  One acknowledgement answers the breach, not one
 * rung of it: every other record of the same breach (the same record,
 * rule, occurrence and instant, not withdrawn) still open and not
 * acknowledged is acknowledged with it, by the same officer at the same
 * time, each with its own history entry, so no level is left showing an
 * unanswered breach.  An acknowledgement is history: it is never
 * overwritten, so acknowledging twice is refused (%CC_STORE_ERROR_REFUSED),
 * also when two people acknowledge at the same moment: the record is read
 * and written under the write lock.  A record already resolved is refused
 * too: the breach has ended, there is nothing left to answer.
 */
gboolean
cc_store_acknowledge (CcStore    *store,
                      gint64      id,
                      const char *officer,
                      const char *note,
                      CcInstant   at,
                      GError    **error)
{
  g_autoptr (CcEscalation) existing = NULL;
  sqlite3_stmt *stmt;
  gboolean      own;
  gboolean      ok;

  if (!write_begin (store, &own, error))
    return FALSE;
  existing = cc_store_get_escalation (store, id, error);
  ok = existing != NULL;
  if (ok && existing->acknowledged_at != CC_INSTANT_NONE)
    {
      g_autofree char *when = cc_time_format_utc (existing->acknowledged_at);
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED,
                   /* Translators: %1$lld is an escalation number, %2$s an officer's
                    * collar or staff number, %3$s a UTC time such as "2026-03-08T14:35:00Z" */
                   _ ("escalation %1$lld was already acknowledged by %2$s at %3$s; "
                      "an acknowledgement is never rewritten"),
                   (long long) id, existing->acknowledged_by, when);
      ok = FALSE;
    }
  else if (ok && existing->resolved_at != CC_INSTANT_NONE)
    {
      g_autofree char *when = cc_time_format_utc (existing->resolved_at);
      g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED,
                   /* Translators: %1$lld is an escalation number, %2$s a UTC time such as
                    * "2026-03-08T14:35:00Z", %3$s how it ended (e.g. "the duty was done") */
                   _ ("escalation %1$lld was already resolved at %2$s (%3$s): there is nothing to acknowledge"),
                   (long long) id, when, cc_resolution_display_name (existing->resolution));
      ok = FALSE;
    }
  if (ok)
    {
      ok = write_acknowledgement (store, id, officer, note, at, error);
      if (ok && sqlite3_changes (store->db) != 1)
        {
          /* Cannot happen under the write lock; never report a write that
           * was not made. */
          g_set_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED,
                       /* Translators: %lld is an escalation number; do not translate
                        * the command 'custody-clock escalations' */
                       _ ("escalation %lld was acknowledged by someone else meanwhile; "
                          "'custody-clock escalations' shows by whom"),
                       (long long) id);
          ok = FALSE;
        }
      if (ok)
        ok = append_audit (store, id, "acknowledged", at, error);
    }
  if (ok)
    {
      g_autoptr (GArray) siblings = g_array_new (FALSE, FALSE, sizeof (gint64));
      int rc;

      stmt = prepare (store,
                      "SELECT id FROM escalation\n"
                      "WHERE record_id = ?1 AND rule = ?2 AND occurrence = ?3 AND breached_at = ?4 AND id <> ?5\n"
                      "  AND acknowledged_at IS NULL AND resolved_at IS NULL ORDER BY id",
                      error);
      ok = stmt != NULL;
      if (ok)
        {
          bind_text (stmt, 1, existing->record_id);
          bind_text (stmt, 2, existing->rule);
          sqlite3_bind_int (stmt, 3, existing->occurrence);
          bind_instant (stmt, 4, existing->breached_at);
          sqlite3_bind_int64 (stmt, 5, id);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            {
              gint64 sibling = sqlite3_column_int64 (stmt, 0);
              g_array_append_val (siblings, sibling);
            }
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            ok = set_sqlite_error (store, rc, NC_ ("database task", "acknowledging an escalation"), error);
        }
      for (guint i = 0; ok && i < siblings->len; i++)
        {
          gint64 sibling = g_array_index (siblings, gint64, i);

          ok = write_acknowledgement (store, sibling, officer, note, at, error);
          if (ok)
            ok = append_audit (store, sibling, "acknowledged", at, error);
        }
    }
  return write_end (store, own, ok, error);
}

/**
 * cc_store_resolve_escalation:
 * @resolution: "satisfied", "closed" or "withdrawn_late_entry"
 *
 * Marks an escalation resolved, once, with its entry in the escalation
 * history: a resolved record is not changed (resolving it again does
 * nothing).
 */
gboolean
cc_store_resolve_escalation (CcStore    *store,
                             gint64      id,
                             const char *resolution,
                             CcInstant   at,
                             GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean      own;
  gboolean      ok;

  if (!write_begin (store, &own, error))
    return FALSE;
  stmt = prepare (store,
                  "UPDATE escalation SET resolved_at = ?2, resolution = ?3\n"
                  "WHERE id = ?1 AND resolved_at IS NULL",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      bind_instant (stmt, 2, at);
      bind_text (stmt, 3, resolution);
      ok = step_done (store, stmt, NC_ ("database task", "resolving an escalation"), error);
    }
  if (ok && sqlite3_changes (store->db) > 0)
    ok = append_audit (store, id, "resolved", at, error);
  return write_end (store, own, ok, error);
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
      set_sqlite_error (store, rc, NC_ ("database task", "reading deliveries"), error);
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
  return step_done (store, stmt, NC_ ("database task", "recording a delivery"), error);
}

/**
 * cc_store_get_agent_policy:
 * @agent: the agent's identity
 * @out_text: (out) (transfer full) (nullable): the policy it last ran
 *   under (cc_policy_to_string()), or %NULL when none is recorded
 */
gboolean
cc_store_get_agent_policy (CcStore    *store,
                           const char *agent,
                           char      **out_text,
                           GError    **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL && agent != NULL && out_text != NULL, FALSE);

  *out_text = NULL;
  stmt = prepare (store, "SELECT policy FROM agent_policy WHERE agent = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, agent);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_text = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the agent's policy"), error);
  return TRUE;
}

/**
 * cc_store_set_agent_policy:
 * @policy: the policy now in force, as cc_policy_to_string() writes it
 *
 * Remembers the policy @agent runs under, so that after a restart with a
 * changed policy the agent can tell what the change withdrew.
 */
gboolean
cc_store_set_agent_policy (CcStore    *store,
                           const char *agent,
                           const char *policy,
                           GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL && agent != NULL && policy != NULL, FALSE);

  stmt = prepare (store,
                  "INSERT INTO agent_policy (agent, policy) VALUES (?1, ?2)\n"
                  "ON CONFLICT (agent) DO UPDATE SET policy = excluded.policy",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, agent);
  bind_text (stmt, 2, policy);
  return step_done (store, stmt, NC_ ("database task", "recording the agent's policy"), error);
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
    return set_sqlite_error (store, rc, NC_ ("database task", "finding the month's records"), error);
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
    return set_sqlite_error (store, rc, NC_ ("database task", "looking for the month's new rows"), error);
  return TRUE;
}

/* The month's records once each, as the table a join starts from: the
 * arrivals' time index gives them, and CROSS JOIN keeps SQLite from
 * starting at the other table instead (a scan of all of it). */
#define MONTH_RECORD_TABLE \
  "(SELECT DISTINCT record_id AS month_record FROM (" MONTH_RECORDS ")) AS m\nCROSS JOIN "

/**
 * cc_store_list_month_escalations:
 * @from: @to: as for cc_store_list_month_records()
 *
 * Reads the month's records' escalations by record (schema step 8's
 * index), not the whole table.
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

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  stmt = prepare (store,
                  "SELECT " ESCALATION_COLUMNS " FROM " MONTH_RECORD_TABLE "escalation\n"
                  "  ON escalation.record_id = m.month_record\n"
                  "ORDER BY record_id, id",
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
      set_sqlite_error (store, rc, NC_ ("database task", "reading escalation records"), error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * cc_store_list_month_quarantine:
 * @from: @to: as for cc_store_list_month_records()
 * @by_time: also the entries quarantined in the text range [@from, @to)
 *   (whoever's they are)
 *
 * What the report counts as the month's bad input, read by record and by
 * time (schema step 9's indexes) instead of the whole quarantine: the
 * entries, of either origin, whose record is one cc_store_list_month_records()
 * finds, and with @by_time those quarantined in the range.  The caller
 * judges them exactly.
 *
 * Returns: (transfer full) (element-type CcQuarantineEntry): the entries,
 *   each once, oldest first
 */
GPtrArray *
cc_store_list_month_quarantine (CcStore    *store,
                                const char *from,
                                const char *to,
                                gboolean    by_time,
                                GError    **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_quarantine_entry_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  /* UNION drops the entries found twice (each row is its id). */
  stmt = prepare (store,
                  "SELECT " QUARANTINE_COLUMNS " FROM " MONTH_RECORD_TABLE "quarantine\n"
                  "  ON quarantine.origin = 'custody_event' AND quarantine.record_id = m.month_record\n"
                  "UNION SELECT " QUARANTINE_COLUMNS " FROM " MONTH_RECORD_TABLE "quarantine\n"
                  "  ON quarantine.origin = 'import' AND quarantine.record_id = m.month_record\n"
                  "UNION SELECT " QUARANTINE_COLUMNS " FROM quarantine\n"
                  "  WHERE ?3 AND quarantined_at >= ?1 AND quarantined_at < ?2\n"
                  "ORDER BY 1",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  sqlite3_bind_int (stmt, 3, by_time ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, quarantine_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "reading the quarantine"), error);
      return NULL;
    }
  return g_steal_pointer (&entries);
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
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the report cache"), error);
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
  return step_done (store, stmt, NC_ ("database task", "writing the report cache"), error);
}

/* ---- Checking the escalation history ---------------------------------- */

/* A record's latest history entry, while the history is checked: its seq
 * and a digest of its fields (a national year has 200,000 records; their
 * text is read again only for a record that differs). */
typedef struct
{
  gint64 seq;
  guint8 digest[32];
} AuditLatest;

static void
fields_digest (const char *fields,
               guint8      digest[32])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (sum, (const guchar *) (fields != NULL ? fields : ""), -1);
  g_checksum_get_digest (sum, digest, &len);
}

/* The fields of history entry @seq.  (transfer full) (nullable) */
static char *
audit_entry_fields (CcStore *store,
                    gint64   seq)
{
  sqlite3_stmt *stmt = prepare (store, "SELECT fields FROM escalation_audit WHERE seq = ?1", NULL);
  char         *fields = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    fields = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return fields;
}

/* A field of a canonical state, for a sentence. */
static char *
state_field_text (JsonObject *state,
                  const char *name)
{
  JsonNode *node = state != NULL ? json_object_get_member (state, name) : NULL;

  if (node == NULL)
    /* Translators: the value of a field of an escalation record, as in
     * "acknowledged_by is absent in the table but 'PS 9' in its history" */
    return g_strdup (C_ ("field value", "absent"));
  if (JSON_NODE_HOLDS_NULL (node))
    /* Translators: the value of a field of an escalation record, as in
     * "acknowledged_at is empty in the table but '2026-03-08T14:35:00Z' in its history" */
    return g_strdup (C_ ("field value", "empty"));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup_printf ("'%s'", json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static JsonObject *
parse_state (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Names what differs between a record as the table holds it and as its
 * latest history entry says it is. */
static void
add_state_differences (GPtrArray  *findings,
                       gint64      id,
                       const char *record_id,
                       const char *table,
                       const char *history)
{
  g_autoptr (JsonObject) now = parse_state (table);
  g_autoptr (JsonObject) then = parse_state (history);
  guint n = 0;

  for (gsize i = 0; now != NULL && then != NULL && i < G_N_ELEMENTS (state_names); i++)
    {
      g_autofree char *a = state_field_text (now, state_names[i]);
      g_autofree char *b = state_field_text (then, state_names[i]);

      if (g_str_equal (a, b))
        continue;
      g_ptr_array_add (findings,
                       /* Translators: %1$lld is an escalation number, %2$s a custody record number,
                        * %3$s a column name (not translated), %4$s and %5$s its values, e.g. 'PS 9' or "empty" */
                       g_strdup_printf (_ ("escalation %1$lld (record %2$s): %3$s is %4$s in the table "
                                           "but %5$s in its history: it was changed with plain SQL, not by custody-clock"),
                                        (long long) id, record_id, state_names[i], a, b));
      n++;
    }
  if (n == 0)
    g_ptr_array_add (findings,
                     /* Translators: %1$lld is an escalation number, %2$s a custody record number */
                     g_strdup_printf (_ ("escalation %1$lld (record %2$s) differs from its history: "
                                         "it was changed with plain SQL, not by custody-clock"),
                                      (long long) id, record_id));
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
first_bad_seq (gint64 first,
               gint64 seq)
{
  return first == 0 || seq < first ? seq : first;
}

/**
 * cc_store_verify_audit:
 * @out_n_checked: (out) (optional): how many history entries were checked
 * @out_first_bad: (out) (optional): the seq of the first history entry that
 *   does not verify (changed, out of order, or after missing entries), or 0
 *   when every entry does (the table may still differ: see the findings)
 *
 * Checks the escalation history (schema step 6): recomputes the hash
 * chain, checks that no entry is missing, and that every escalation record
 * is exactly as its latest history entry says (no record changed, added or
 * deleted with plain SQL), and that the append-only guards are in place.
 * Reads one snapshot.
 *
 * Returns: (transfer full) (element-type utf8): one sentence per finding,
 *   naming the escalation or history entry and what differs; empty when
 *   the history is intact.  %NULL with @error set when the database cannot
 *   be read.
 */
GPtrArray *
cc_store_verify_audit (CcStore *store,
                       guint   *out_n_checked,
                       gint64  *out_first_bad,
                       GError **error)
{
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) latest = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autofree char *prev_hash = g_strdup (AUDIT_GENESIS_HASH);
  sqlite3_stmt    *stmt;
  gboolean         own_read = FALSE;
  gint64           prev_seq = 0;
  gint64           first_bad = 0;
  guint            n_checked = 0;
  int              rc;

  if (!store->in_transaction)
    {
      if (!cc_store_begin_read (store, error))
        return NULL;
      own_read = TRUE;
    }

  /* A history dropped whole is a finding, not a failure to read. */
  stmt = prepare (store, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'escalation_audit'", error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
    {
      sqlite3_reset (stmt);
      /* Translators: escalation_audit is a table name: do not translate it */
      g_ptr_array_add (findings, g_strdup (_ ("the escalation history (table escalation_audit) was removed from the "
                                              "database by hand: no acknowledgement or resolution can be vouched for")));
      first_bad = 1;
      goto done;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "reading the schema"), error);
      goto fail;
    }

  stmt = prepare (store,
                  "SELECT seq, escalation_id, action, at, fields, prev_hash, hash FROM escalation_audit ORDER BY seq",
                  error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64           seq = sqlite3_column_int64 (stmt, 0);
      gint64           id = sqlite3_column_int64 (stmt, 1);
      const char      *action = (const char *) sqlite3_column_text (stmt, 2);
      const char      *at = (const char *) sqlite3_column_text (stmt, 3);
      const char      *fields = (const char *) sqlite3_column_text (stmt, 4);
      const char      *entry_prev = (const char *) sqlite3_column_text (stmt, 5);
      const char      *hash = (const char *) sqlite3_column_text (stmt, 6);
      g_autofree char *expected = audit_hash (entry_prev, seq, id, action, at, fields);
      AuditLatest     *entry = g_new0 (AuditLatest, 1);

      n_checked++;
      if (seq != prev_seq + 1)
        {
          g_ptr_array_add (findings,
                           seq - 1 == prev_seq + 1
                             /* Translators: %lld is the number of an entry in the escalation history */
                             ? g_strdup_printf (_ ("escalation history entry %lld is missing: it was deleted"),
                                                (long long) (seq - 1))
                             /* Translators: the numbers of the first and last of several missing
                              * entries in the escalation history (always two or more entries) */
                             : g_strdup_printf (_ ("escalation history entries %1$lld to %2$lld are missing: they were deleted"),
                                                (long long) (prev_seq + 1), (long long) (seq - 1)));
          first_bad = first_bad_seq (first_bad, seq);
        }
      else if (g_strcmp0 (entry_prev, prev_hash) != 0)
        {
          g_ptr_array_add (findings,
                           /* Translators: %1$lld is the number of an entry in the escalation history,
                            * %2$lld an escalation number, %3$s what the entry records, as stored
                            * (not translated): raised, acknowledged, resolved or genesis */
                           g_strdup_printf (_ ("escalation history entry %1$lld (escalation %2$lld, %3$s) does not "
                                               "follow the entry before it: the history was rewritten"),
                                            (long long) seq, (long long) id, action != NULL ? action : "?"));
          first_bad = first_bad_seq (first_bad, seq);
        }
      if (g_strcmp0 (expected, hash) != 0)
        {
          g_ptr_array_add (findings,
                           /* Translators: %1$lld is the number of an entry in the escalation history,
                            * %2$lld an escalation number, %3$s what the entry records, as stored
                            * (not translated): raised, acknowledged, resolved or genesis; %4$s a UTC time */
                           g_strdup_printf (_ ("escalation history entry %1$lld (escalation %2$lld, %3$s at %4$s) "
                                               "was changed after it was written"),
                                            (long long) seq, (long long) id, action != NULL ? action : "?",
                                            at != NULL ? at : "?"));
          first_bad = first_bad_seq (first_bad, seq);
        }
      /* Go on from the entry as stored: one change is one finding. */
      g_free (prev_hash);
      prev_hash = g_strdup (hash);
      prev_seq = seq;

      /* A record's history starts when custody-clock wrote it (or when
       * the history began); an acknowledgement of a record that has no
       * such entry does not make a hand-made record genuine. */
      {
        gboolean     starts = g_strcmp0 (action, "raised") == 0 || g_strcmp0 (action, "genesis") == 0;
        AuditLatest *before = g_hash_table_lookup (latest, &id);

        if (before == NULL && !starts)
          g_ptr_array_add (findings,
                           /* Translators: %1$lld is an escalation number, %2$s what its first history
                            * entry records, as stored (not translated): acknowledged or resolved;
                            * %3$lld the number of that entry */
                           g_strdup_printf (_ ("escalation %1$lld's history starts with '%2$s' (entry %3$lld), "
                                               "not with its writing: the record was added with plain SQL, "
                                               "not by custody-clock"),
                                            (long long) id, action != NULL ? action : "?", (long long) seq));
        else if (before != NULL && starts)
          g_ptr_array_add (findings,
                           /* Translators: %1$lld is an escalation number, %2$lld and %3$lld the
                            * numbers of two entries in the escalation history */
                           g_strdup_printf (_ ("escalation %1$lld is written twice in its history "
                                               "(entries %2$lld and %3$lld)"),
                                            (long long) id, (long long) before->seq, (long long) seq));
      }
      entry->seq = seq;
      fields_digest (fields, entry->digest);
      g_hash_table_insert (latest, g_memdup2 (&id, sizeof id), entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "reading the escalation history"), error);
      goto fail;
    }

  /* Entries deleted from the end leave SQLite's counter ahead. */
  stmt = prepare (store, "SELECT seq FROM sqlite_sequence WHERE name = 'escalation_audit'", error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > prev_seq)
    {
      gint64 last = sqlite3_column_int64 (stmt, 0);

      g_ptr_array_add (findings,
                       last == prev_seq + 1
                         /* Translators: %lld is the number of an entry in the escalation history */
                         ? g_strdup_printf (_ ("the last escalation history entry (%lld) was deleted"), (long long) last)
                         /* Translators: the numbers of the first and last of several deleted
                          * entries in the escalation history (always two or more entries) */
                         : g_strdup_printf (_ ("the last escalation history entries (%1$lld to %2$lld) were deleted"),
                                            (long long) (prev_seq + 1), (long long) last));
      first_bad = first_bad_seq (first_bad, prev_seq + 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "reading the escalation history"), error);
      goto fail;
    }

  /* Every record as its latest entry says. */
  stmt = prepare (store, "SELECT id, " STATE_COLUMNS " FROM escalation ORDER BY id", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64           id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *state = canonical_state (stmt, 1);
      const char      *record_id = (const char *) sqlite3_column_text (stmt, 1);
      AuditLatest     *entry = g_hash_table_lookup (latest, &id);

      if (entry == NULL)
        g_ptr_array_add (findings,
                         /* Translators: %1$lld is an escalation number, %2$s a custody record number,
                          * %3$s a rule id such as aa_requested and %4$d its occurrence, %5$s a level id
                          * such as sergeant (ids as stored: not translated) */
                         g_strdup_printf (_ ("escalation %1$lld (record %2$s, %3$s %4$d, %5$s) is not in the "
                                             "escalation history: it was added with plain SQL, not by custody-clock"),
                                          (long long) id, record_id != NULL ? record_id : "?",
                                          (const char *) sqlite3_column_text (stmt, 2), sqlite3_column_int (stmt, 3),
                                          (const char *) sqlite3_column_text (stmt, 4)));
      else
        {
          guint8 digest[32];

          fields_digest (state, digest);
          if (memcmp (digest, entry->digest, sizeof digest) != 0)
            {
              g_autofree char *history = audit_entry_fields (store, entry->seq);
              add_state_differences (findings, id, record_id != NULL ? record_id : "?", state, history);
            }
        }
      g_hash_table_remove (latest, &id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "reading escalation records"), error);
      goto fail;
    }

  /* What the history has and the table has not: deleted records. */
  {
    g_autoptr (GList) ids = g_hash_table_get_keys (latest);

    ids = g_list_sort (ids, compare_int64);
    for (GList *l = ids; l != NULL; l = l->next)
      {
        gint64           id = *(gint64 *) l->data;
        AuditLatest     *entry = g_hash_table_lookup (latest, &id);
        g_autofree char *fields = audit_entry_fields (store, entry->seq);
        g_autoptr (JsonObject) state = parse_state (fields);
        const char *record = state != NULL ? json_object_get_string_member_with_default (state, "record_id", "?") : "?";
        const char *rule = state != NULL ? json_object_get_string_member_with_default (state, "rule", "?") : "?";
        const char *level = state != NULL ? json_object_get_string_member_with_default (state, "level", "?") : "?";

        g_ptr_array_add (findings,
                         /* Translators: %1$lld is an escalation number, %2$s a custody record number,
                          * %3$s a rule id such as aa_requested, %4$s a level id such as sergeant (ids as
                          * stored: not translated), %5$lld the number of an entry in the escalation history */
                         g_strdup_printf (_ ("escalation %1$lld (record %2$s, %3$s, %4$s) was deleted from the table; "
                                             "its history (entry %5$lld) still has it"),
                                          (long long) id, record, rule, level, (long long) entry->seq));
      }
  }

  /* The guards of schema step 6. */
  {
    g_autoptr (GPtrArray) missing = missing_triggers (store, audit_triggers, G_N_ELEMENTS (audit_triggers), error);

    if (missing == NULL)
      goto fail;
    for (guint i = 0; i < missing->len; i++)
      g_ptr_array_add (findings,
                       /* Translators: %s is the name of a database trigger (not translated) */
                       g_strdup_printf (_ ("the guard that keeps the escalation history from being rewritten "
                                           "(trigger %s) was removed from the database by hand"),
                                        (const char *) g_ptr_array_index (missing, i)));
  }

done:
  if (own_read)
    cc_store_end_read (store);
  if (out_n_checked != NULL)
    *out_n_checked = n_checked;
  if (out_first_bad != NULL)
    *out_first_bad = first_bad;
  return g_steal_pointer (&findings);

fail:
  if (own_read)
    cc_store_end_read (store);
  return NULL;
}

/**
 * cc_store_get_audit_head:
 * @out_seq: (out): the last history entry's seq, or 0 when there is none
 * @out_hash: (out) (transfer full) (nullable): its hash, or %NULL
 *
 * The head of the escalation history.  Kept somewhere else (a notebook, an
 * email), it shows later that the history was not rewritten as a whole.
 */
gboolean
cc_store_get_audit_head (CcStore *store,
                         gint64  *out_seq,
                         char   **out_hash,
                         GError **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = prepare (store, "SELECT seq, hash FROM escalation_audit ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  *out_seq = 0;
  *out_hash = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_seq = sqlite3_column_int64 (stmt, 0);
      *out_hash = column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the escalation history"), error);
  return TRUE;
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
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return set_sqlite_error (store, rc, NC_ ("database task", "reading the page limit"), error);
    }
  /* A PRAGMA takes no bound parameters; the text holds one unsigned
   * integer and nothing else. */
  g_snprintf (sql, sizeof sql, "PRAGMA max_page_count = %u",
              pages != 0 ? pages : (guint) store->default_max_pages);
  return exec (store, sql, NC_ ("database task", "setting the page limit"), error);
}

/* ---- suites (issue 14 item 8) ------------------------------------------------ */

/**
 * cc_store_list_suites:
 * @store: the custody log
 * @error: return location for a #GError
 *
 * The custody suites named by the log's arrivals, each once, sorted.  An
 * arrival's data that is not JSON, or names no suite, adds nothing (the
 * ledger judges such rows; this only lists names).
 *
 * Returns: (transfer full) (element-type utf8): the suites, or %NULL with
 *   @error set
 */
GPtrArray *
cc_store_list_suites (CcStore *store,
                      GError **error)
{
  g_autoptr (GPtrArray) suites = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* From each name to the next one by the index custody_event_suite
   * (schema step 10): as many searches as there are suites, whatever the
   * years of arrivals behind them. */
  stmt = prepare (store,
                  "WITH RECURSIVE s (suite) AS (\n"
                  "  SELECT min (json_extract (data, '$.suite')) FROM custody_event\n"
                  "  WHERE type = 'arrival' AND json_valid (data) AND json_type (data, '$.suite') = 'text'\n"
                  "  UNION ALL\n"
                  "  SELECT (SELECT min (json_extract (data, '$.suite')) FROM custody_event\n"
                  "          WHERE type = 'arrival' AND json_valid (data) AND json_type (data, '$.suite') = 'text'\n"
                  "            AND json_extract (data, '$.suite') > s.suite)\n"
                  "  FROM s WHERE s.suite IS NOT NULL)\n"
                  "SELECT suite FROM s WHERE suite IS NOT NULL",
                  error);
  if (stmt == NULL)
    return NULL;
  suites = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (suites, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "listing the custody suites"), error);
      return NULL;
    }
  return g_steal_pointer (&suites);
}

/**
 * cc_store_resolve_suite:
 * @store: the custody log
 * @name: a suite as a person typed it
 * @out_suite: (out) (transfer full): the suite as the log spells it
 * @error: return location for a #GError
 *
 * Finds the suite @name means, ignoring case ("swindon" is "Swindon"): a
 * desk that typed the name differently must not watch nobody, and a
 * report must not count nothing, without a word.  When no suite matches,
 * fails with a message listing the suites in
 * the log.  An exact match wins over one that differs only in case.
 * The error is %G_OPTION_ERROR_BAD_VALUE: the name a person gave is wrong,
 * not the log, so the programs treat it as bad usage.
 *
 * Returns: %TRUE with @out_suite set, or %FALSE with @error set
 */
gboolean
cc_store_resolve_suite (CcStore    *store,
                        const char *name,
                        char      **out_suite,
                        GError    **error)
{
  g_autoptr (GPtrArray) suites = NULL;
  g_autofree char *wanted = NULL;
  const char      *found = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (name != NULL && out_suite != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  suites = cc_store_list_suites (store, error);
  if (suites == NULL)
    return FALSE;
  wanted = g_utf8_casefold (name, -1);
  for (guint i = 0; i < suites->len; i++)
    {
      const char      *suite = g_ptr_array_index (suites, i);
      g_autofree char *folded = NULL;

      if (g_str_equal (suite, name))
        {
          found = suite;
          break;
        }
      folded = g_utf8_casefold (suite, -1);
      if (found == NULL && g_str_equal (folded, wanted))
        found = suite;
    }
  if (found == NULL)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      for (guint i = 0; i < suites->len; i++)
        {
          if (i > 0)
            g_string_append (list, ", ");
          g_string_append (list, g_ptr_array_index (suites, i));
        }
      if (suites->len == 0)
        /* Translators: %s is the suite asked for; the log has no arrivals naming a suite */
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _ ("no suite named %s: the log has no arrivals naming a suite yet"), name);
      else
        /* Translators: %1$s is the suite asked for, %2$s the suites the log names ("Melksham, Swindon") */
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _ ("no suite named %1$s; suites in the log: %2$s"), name, list->str);
      return FALSE;
    }
  *out_suite = g_strdup (found);
  return TRUE;
}

/* Settled records (schema step 10, cc-settle.c) */

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
collect_ids (CcStore      *store,
             sqlite3_stmt *stmt,
             GPtrArray    *ids,
             const char   *doing,
             GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, doing, error);
  return TRUE;
}

/**
 * cc_store_list_unsettled:
 * @after: (nullable): list record ids above this one (the last of the
 *   previous batch), or %NULL from the start
 * @limit: at most this many
 * @board_only: only the records no board or report has found settled
 *   (on_board = 1); otherwise every record the agent has not let go
 * @out_ids: (out) (transfer full) (element-type utf8): the ids, sorted
 *
 * The records the engine has not found settled, in batches: what a reader
 * must evaluate besides the settled stays (cc_store_list_board_candidates()).
 */
gboolean
cc_store_list_unsettled (CcStore    *store,
                         const char *after,
                         guint       limit,
                         gboolean    board_only,
                         GPtrArray **out_ids,
                         GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (limit > 0, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (board_only)
    stmt = prepare (store,
                    "SELECT record_id FROM record_unsettled WHERE on_board = 1 AND record_id > ?1\n"
                    "ORDER BY record_id LIMIT ?2",
                    error);
  else
    stmt = prepare (store, "SELECT record_id FROM record_unsettled WHERE record_id > ?1 ORDER BY record_id LIMIT ?2",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, after != NULL ? after : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  if (!collect_ids (store, stmt, ids, NC_ ("database task", "listing the unsettled records"), error))
    return FALSE;
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_count_unsettled:
 * @out_board: (out) (optional): records no reader has found settled
 * @out_agent: (out) (optional): records the agent has not let go
 *
 * The backlog doctor shows.
 */
gboolean
cc_store_count_unsettled (CcStore *store,
                          gint64  *out_board,
                          gint64  *out_agent,
                          GError **error)
{
  gint64 board = 0, agent = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!step_int64 (store, prepare (store, "SELECT count(*) FROM record_unsettled WHERE on_board = 1", error),
                   NC_ ("database task", "counting the unsettled records"), &board, error) ||
      !step_int64 (store, prepare (store, "SELECT count(*) FROM record_unsettled", error),
                   NC_ ("database task", "counting the unsettled records"), &agent, error))
    return FALSE;
  if (out_board != NULL)
    *out_board = board;
  if (out_agent != NULL)
    *out_agent = agent;
  return TRUE;
}

/* A stay longer than this is read by record_stay_long, not the range. */
#define LONG_STAY (7 * CC_DAY)

/**
 * cc_store_list_board_candidates:
 * @at: the instant T of the board
 * @out_ids: (out) (transfer full) (element-type utf8): the record ids,
 *   sorted, each once
 *
 * The records that may be open at @at: every settled record whose stay
 * covers @at (arrived at or before it, closed after it), and every record
 * no reader has found settled.  A settled record is open at T exactly when
 * its stay covers T, because its rows do not depend on T (a correction
 * applies whatever its time) and its closing is the first closing event;
 * the rest are evaluated.  The cost is what may be on the board, never the
 * years behind it: two ranges of record_stay's indexes and the unsettled.
 */
gboolean
cc_store_list_board_candidates (CcStore    *store,
                                CcInstant   at,
                                GPtrArray **out_ids,
                                GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  guint         kept = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (at != CC_INSTANT_NONE, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* UNION ALL, deduplicated below: a UNION (or an ORDER BY) makes SQLite
   * scan record_stay's key to merge the arms. */
  stmt = prepare (store,
                  "SELECT record_id FROM record_stay WHERE arrived_at > ?1 - ?2 AND arrived_at <= ?1 AND closed_at > ?1\n"
                  "UNION ALL SELECT record_id FROM record_stay WHERE long_stay = 1 AND arrived_at <= ?1 AND closed_at > ?1\n"
                  "UNION ALL SELECT record_id FROM record_unsettled WHERE on_board = 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_int64 (stmt, 2, LONG_STAY);
  if (!collect_ids (store, stmt, ids, NC_ ("database task", "listing the records open at an instant"), error))
    return FALSE;

  g_ptr_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    {
      char *id = g_ptr_array_index (ids, i);

      if (kept > 0 && g_str_equal (g_ptr_array_index (ids, kept - 1), id))
        {
          g_free (id);
          continue;
        }
      ids->pdata[kept++] = id;
    }
  /* Shrink without freeing what moved (or was freed above). */
  g_ptr_array_set_free_func (ids, NULL);
  g_ptr_array_set_size (ids, kept);
  g_ptr_array_set_free_func (ids, g_free);
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

/**
 * cc_store_settle:
 * @items: (array length=n_items): the records found settled, each with the
 *   highest row that was read of it
 * @n_items: how many
 * @flags: %CC_STORE_SETTLE_BOARD (a board or report: the agent still has
 *   to see the record) or %CC_STORE_SETTLE_AGENT (the agent lets it go)
 *
 * Writes what the engine found (cc_settle_judge()): each record's stay,
 * and its place in record_unsettled cleared (board) or removed (agent).
 * Each write holds only while the record has no row above the one that was
 * read: a row committed since (the trigger raised the record's seq) wins,
 * and the record stays unsettled.  One transaction, inside the caller's if
 * there is one.
 */
gboolean
cc_store_settle (CcStore              *store,
                 const CcStoreSettled *items,
                 guint                 n_items,
                 CcStoreSettleFlags    flags,
                 GError              **error)
{
  gboolean own = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);
  g_return_val_if_fail (flags == CC_STORE_SETTLE_BOARD || flags == CC_STORE_SETTLE_AGENT, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_items == 0)
    return TRUE;
  if (!store->in_transaction)
    {
      if (!cc_store_begin (store, error))
        return FALSE;
      own = TRUE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      const CcStoreSettled *item = &items[i];
      sqlite3_stmt         *stmt;

      g_return_val_if_fail (item->record_id != NULL, FALSE);
      g_return_val_if_fail (item->arrived_at != CC_INSTANT_NONE && item->closed_at != CC_INSTANT_NONE, FALSE);

      stmt = prepare (store,
                      "INSERT INTO record_stay (record_id, arrived_at, closed_at, checked_seq, long_stay)\n"
                      "  SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS\n"
                      "    (SELECT 1 FROM record_unsettled WHERE record_id = ?1 AND seq <= ?4)\n"
                      "  ON CONFLICT (record_id) DO UPDATE SET arrived_at = excluded.arrived_at,\n"
                      "    closed_at = excluded.closed_at, checked_seq = excluded.checked_seq,\n"
                      "    long_stay = excluded.long_stay",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, item->arrived_at);
      sqlite3_bind_int64 (stmt, 3, item->closed_at);
      sqlite3_bind_int64 (stmt, 4, item->seq);
      sqlite3_bind_int (stmt, 5, item->closed_at - item->arrived_at > LONG_STAY);
      if (!step_done (store, stmt, NC_ ("database task", "recording a settled record"), error))
        goto fail;

      if (flags == CC_STORE_SETTLE_AGENT)
        stmt = prepare (store, "DELETE FROM record_unsettled WHERE record_id = ?1 AND seq <= ?2", error);
      else
        stmt = prepare (store, "UPDATE record_unsettled SET on_board = 0 WHERE record_id = ?1 AND seq <= ?2 AND on_board = 1",
                        error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, item->seq);
      if (!step_done (store, stmt, NC_ ("database task", "recording a settled record"), error))
        goto fail;
    }

  if (own && !cc_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  if (own)
    cc_store_rollback (store);
  return FALSE;
}

/* The triggers of schema step 10, which doctor expects to find. */
static const char *const unsettle_triggers[] = {
  "custody_event_unsettles",
  "custody_event_unsettles_update",
  "custody_event_unsettles_delete",
};

/**
 * cc_store_list_missing_unsettle_triggers:
 *
 * The triggers that keep record_unsettled true (schema step 10) that are
 * no longer in the database: without them a late row of a settled record
 * would not bring it back to the board.
 *
 * Returns: (transfer full) (element-type utf8): the missing triggers'
 *   names (empty when all are there), or %NULL with @error set
 */
GPtrArray *
cc_store_list_missing_unsettle_triggers (CcStore *store,
                                         GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return missing_triggers (store, unsettle_triggers, G_N_ELEMENTS (unsettle_triggers), error);
}

/* The agent's working set (issue 15) */

/**
 * cc_store_explain_live_records:
 *
 * SQLite's plan for cc_store_list_live_records()'s statement, the same
 * text: what a test checks so that the agent's start stays sized by what
 * is unsettled, never by the log.
 *
 * Returns: (transfer full) (element-type utf8): the plan's lines (each
 *   step's detail, e.g. "SCAN record_unsettled"), or %NULL with @error set
 */
GPtrArray *
cc_store_explain_live_records (CcStore *store,
                               GError **error)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = prepare (store, "EXPLAIN QUERY PLAN " LIVE_RECORDS_SQL, error);
  if (stmt == NULL)
    return NULL;
  /* Columns: id, parent, notused, detail. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (lines, column_dup (stmt, 3));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (store, rc, NC_ ("database task", "finding the records in custody"), error);
      return NULL;
    }
  return g_steal_pointer (&lines);
}

/* The board (issue 15) */

/**
 * cc_store_foreach_event_row_with_id:
 * @event_id: the event_id of the row
 * @func: called once if the row is there, exactly as stored
 *
 * The one row with @event_id (the table keeps event_id unique), for a
 * ledger that holds only some records and must judge a correction whose
 * target it has not read (cc_ledger_set_store()).  One SEARCH of the
 * event_id index.
 */
gboolean
cc_store_foreach_event_row_with_id (CcStore       *store,
                                    const char    *event_id,
                                    CcStoreRowFunc func,
                                    gpointer       user_data,
                                    GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare (store,
                  "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                  "FROM custody_event WHERE event_id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  return step_rows (store, stmt, func, user_data, NC_ ("database task", "looking up an event"), error);
}

/* The report's summaries (issue 15)
 *
 * record_summary (schema step 10) keeps the trend's figures of settled
 * records so that an earlier month of the trend is counted without being
 * read.  The report reads the month's candidates (the arrival index) with
 * their summaries in one statement, evaluates the rest, and writes the
 * summaries of those the engine found settled.  A write names the highest
 * row it read and is dropped if a row of the record came in since: the
 * trigger deletes summaries as rows are written, and this guard covers a
 * row committed between the report's read and its write. */

void
cc_store_record_summary_clear (CcStoreRecordSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->record_id, g_free);
  g_clear_pointer (&summary->suite, g_free);
  g_clear_pointer (&summary->figures, g_free);
}

/**
 * cc_store_list_month_summaries:
 * @from: @to: as for cc_store_list_month_records()
 * @policy: the policy digest the summaries are kept under
 * @with_figures: also read each summary's figures (record_figures), for
 *   the report's own month; the trend's months need only the summary
 * @out_rows: (out) (transfer full) (element-type CcStoreRecordSummary): one
 *   per record of cc_store_list_month_records(), in record_id order, with
 *   @found set where a summary is kept
 */
gboolean
cc_store_list_month_summaries (CcStore    *store,
                               const char *from,
                               const char *to,
                               const char *policy,
                               gboolean    with_figures,
                               GArray    **out_rows,
                               GError    **error)
{
  g_autoptr (GArray) rows = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && policy != NULL, FALSE);
  g_return_val_if_fail (out_rows != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (with_figures)
    stmt = prepare (store,
                    "SELECT m.record_id, s.arrived_at, s.suite, s.monitored, s.settled_at, s.checked_seq,\n"
                    "       s.aa_seconds, s.healthcare_seen, s.healthcare_of, s.post_charge_seconds, s.breaches,\n"
                    "       s.closed_at, f.figures\n"
                    "FROM (SELECT DISTINCT record_id FROM (" MONTH_RECORDS ")) AS m\n"
                    "LEFT JOIN record_summary AS s ON s.record_id = m.record_id AND s.policy = ?3\n"
                    "LEFT JOIN record_figures AS f ON f.record_id = m.record_id AND f.policy = ?3\n"
                    "ORDER BY m.record_id",
                    error);
  else
    stmt = prepare (store,
                    "SELECT m.record_id, s.arrived_at, s.suite, s.monitored, s.settled_at, s.checked_seq,\n"
                    "       s.aa_seconds, s.healthcare_seen, s.healthcare_of, s.post_charge_seconds, s.breaches,\n"
                    "       s.closed_at, NULL\n"
                    "FROM (SELECT DISTINCT record_id FROM (" MONTH_RECORDS ")) AS m\n"
                    "LEFT JOIN record_summary AS s ON s.record_id = m.record_id AND s.policy = ?3\n"
                    "ORDER BY m.record_id",
                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  bind_text (stmt, 3, policy);
  rows = g_array_new (FALSE, TRUE, sizeof (CcStoreRecordSummary));
  g_array_set_clear_func (rows, (GDestroyNotify) cc_store_record_summary_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CcStoreRecordSummary s = { 0 };

      s.record_id = column_dup (stmt, 0);
      s.found = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      if (s.found)
        {
          s.arrived_at = sqlite3_column_int64 (stmt, 1);
          s.suite = column_dup (stmt, 2);
          s.monitored = sqlite3_column_int (stmt, 3) != 0;
          s.settled_at = sqlite3_column_int64 (stmt, 4);
          s.checked_seq = sqlite3_column_int64 (stmt, 5);
          s.has_aa = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
          s.aa_seconds = sqlite3_column_int64 (stmt, 6);
          s.healthcare_seen = sqlite3_column_int64 (stmt, 7);
          s.healthcare_of = sqlite3_column_int64 (stmt, 8);
          s.has_post_charge = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
          s.post_charge_seconds = sqlite3_column_int64 (stmt, 9);
          s.breaches = sqlite3_column_int64 (stmt, 10);
          s.closed_at = sqlite3_column_int64 (stmt, 11);
          s.figures = column_dup (stmt, 12);
        }
      g_array_append_val (rows, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the month's record summaries"), error);
  *out_rows = g_steal_pointer (&rows);
  return TRUE;
}

/**
 * cc_store_foreach_month_row:
 * @from: @to: as for cc_store_list_month_records()
 * @first_id: @last_id: the records of cc_store_list_month_records() from
 *   @first_id to @last_id (both included, in its order)
 *
 * Reads those records' rows in one statement, by record then seq, as
 * cc_store_foreach_event_row() reads one record's: the report's month
 * without a statement per record.
 */
gboolean
cc_store_foreach_month_row (CcStore       *store,
                            const char    *from,
                            const char    *to,
                            const char    *first_id,
                            const char    *last_id,
                            CcStoreRowFunc func,
                            gpointer       user_data,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && first_id != NULL && last_id != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare (store,
                  "SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes\n"
                  "FROM custody_event WHERE record_id IN\n"
                  "  (SELECT record_id FROM (" MONTH_RECORDS ") WHERE +record_id >= ?3 AND +record_id <= ?4)\n"
                  "ORDER BY record_id, seq",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);
  bind_text (stmt, 3, first_id);
  bind_text (stmt, 4, last_id);
  return step_rows (store, stmt, func, user_data, NC_ ("database task", "reading the month's events"), error);
}

/**
 * cc_store_save_record_summaries:
 * @policy: the policy digest to keep them under
 * @items: (array length=n_items): summaries of records found settled
 *
 * Keeps @items, in a transaction of its own unless one is open.  A
 * summary whose record has a row above its @checked_seq is not kept: that
 * row was written after the record was read, and may change it.
 *
 * Returns: %FALSE with @error set if the store could not be written
 */
gboolean
cc_store_save_record_summaries (CcStore                    *store,
                                const char                 *policy,
                                const CcStoreRecordSummary *items,
                                guint                       n_items,
                                GError                    **error)
{
  gboolean own = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_items == 0)
    return TRUE;
  if (!store->in_transaction)
    {
      if (!cc_store_begin (store, error))
        return FALSE;
      own = TRUE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      const CcStoreRecordSummary *item = &items[i];
      sqlite3_stmt               *stmt;

      g_return_val_if_fail (item->record_id != NULL, FALSE);

      stmt = prepare (store,
                      "INSERT INTO record_summary (record_id, policy, arrived_at, suite, monitored, settled_at,\n"
                      "    checked_seq, aa_seconds, healthcare_seen, healthcare_of, post_charge_seconds, breaches,\n"
                      "    closed_at)\n"
                      "  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 WHERE NOT EXISTS\n"
                      "    (SELECT 1 FROM custody_event WHERE record_id = ?1 AND seq > ?7)\n"
                      "  ON CONFLICT (record_id, policy) DO UPDATE SET arrived_at = excluded.arrived_at,\n"
                      "    suite = excluded.suite, monitored = excluded.monitored, settled_at = excluded.settled_at,\n"
                      "    checked_seq = excluded.checked_seq, aa_seconds = excluded.aa_seconds,\n"
                      "    healthcare_seen = excluded.healthcare_seen, healthcare_of = excluded.healthcare_of,\n"
                      "    post_charge_seconds = excluded.post_charge_seconds, breaches = excluded.breaches,\n"
                      "    closed_at = excluded.closed_at",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, policy, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, item->arrived_at);
      if (item->suite != NULL)
        sqlite3_bind_text (stmt, 4, item->suite, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, item->monitored ? 1 : 0);
      sqlite3_bind_int64 (stmt, 6, item->settled_at);
      sqlite3_bind_int64 (stmt, 7, item->checked_seq);
      if (item->has_aa)
        sqlite3_bind_int64 (stmt, 8, item->aa_seconds);
      sqlite3_bind_int64 (stmt, 9, item->healthcare_seen);
      sqlite3_bind_int64 (stmt, 10, item->healthcare_of);
      if (item->has_post_charge)
        sqlite3_bind_int64 (stmt, 11, item->post_charge_seconds);
      sqlite3_bind_int64 (stmt, 12, item->breaches);
      sqlite3_bind_int64 (stmt, 13, item->closed_at);
      if (!step_done (store, stmt, NC_ ("database task", "keeping a record summary"), error))
        goto fail;
      /* Figures only where the summary was kept; none given leaves any
       * kept (the same record's, as the guard and the triggers ensure). */
      if (item->figures == NULL || sqlite3_changes (store->db) == 0)
        continue;
      stmt = prepare (store,
                      "INSERT INTO record_figures (record_id, policy, figures) VALUES (?1, ?2, ?3)\n"
                      "  ON CONFLICT (record_id, policy) DO UPDATE SET figures = excluded.figures",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, item->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, policy, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, item->figures, -1, SQLITE_STATIC);
      if (!step_done (store, stmt, NC_ ("database task", "keeping a record's figures"), error))
        goto fail;
    }

  if (own && !cc_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  if (own)
    cc_store_rollback (store);
  return FALSE;
}

/**
 * cc_store_get_first_arrival:
 * @out_at: (out): the earliest arrival time in the log, or
 *   %CC_INSTANT_NONE when it has none
 *
 * Where the log's months begin (cc_report_keep_summaries()): one search of
 * the arrivals' time index.
 */
gboolean
cc_store_get_first_arrival (CcStore   *store,
                            CcInstant *out_at,
                            GError   **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (out_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare (store, "SELECT min (occurred_at) FROM custody_event WHERE type = 'arrival'", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out_at = rc == SQLITE_ROW ? column_instant (stmt, 0) : CC_INSTANT_NONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (store, rc, NC_ ("database task", "reading the first arrival"), error);
  return TRUE;
}
