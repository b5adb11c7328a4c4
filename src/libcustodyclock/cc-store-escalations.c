/* cc-store-escalations.c: escalation records and what agents have shown
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The escalation table (interfaces.md): raising, acknowledging and
 * resolving a record, each write in one transaction with its entry in the
 * escalation history (append_audit(), cc-store-audit.c); reading the
 * records; and the agent's own memory: the deliveries it has shown and
 * the policy it last ran under.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cc-store-private.h"

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

CcEscalation *
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
  e->resolution = cc_resolution_from_string ((const char *) sqlite3_column_text (stmt, 11));
  e->late = sqlite3_column_int (stmt, 12) != 0;
  return e;
}

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
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading escalation records"), error))
    return NULL;
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
  return step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading escalation records"), error);
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
  if (!step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                 NC_ ("database task", "reading an escalation record"), error))
    return NULL;
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
          ok = step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "acknowledging an escalation"), error);
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
 * @resolution: how it ended (one the escalator writes, not NONE or UNKNOWN)
 *
 * Marks an escalation resolved, once, with its entry in the escalation
 * history: a resolved record is not changed (resolving it again does
 * nothing).
 */
gboolean
cc_store_resolve_escalation (CcStore     *store,
                             gint64       id,
                             CcResolution resolution,
                             CcInstant    at,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean      own;
  gboolean      ok;

  g_return_val_if_fail (resolution >= CC_RESOLUTION_FIRST && resolution <= CC_RESOLUTION_LAST, FALSE);

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
      bind_text (stmt, 3, cc_resolution_to_string (resolution));
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
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading deliveries"), error))
    return NULL;
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
  return step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                   NC_ ("database task", "reading the agent's policy"), error);
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
