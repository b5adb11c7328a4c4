/* cc-store-audit.c: the escalation history (escalation_audit)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The hash chain that makes a change to the escalation table with plain
 * SQL detectable: appending an entry for each write (append_audit(), called
 * by cc-store-escalations.c and by the schema step that starts the
 * history), checking the whole chain against the table
 * (cc_store_verify_audit(), for doctor), and its head.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "cc-store-private.h"
#include "cc-time-source.h"

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
gboolean
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
  if (!step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                 NC_ ("database task", "reading an escalation record for its history"), error))
    return FALSE;
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
  if (!step_end (store, stmt, rc, STEP_ROW, NC_ ("database task", "reading the escalation history"), error))
    return FALSE;

  /* Only the genesis entries of a migration have no instant of their own:
   * they are stamped with the machine's time of the migration. */
  at_text = cc_time_format_utc (at != CC_INSTANT_NONE ? at : cc_time_source_machine_now ());
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

/* The triggers of step 6, which doctor expects to find. */
static const char *const audit_triggers[] = {
  "escalation_audit_no_update",
  "escalation_audit_no_delete",
  "escalation_no_delete",
  "escalation_no_rewrite",
};

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
  if (!step_end (store, stmt, rc, STEP_ROW, NC_ ("database task", "reading the schema"), error))
    goto fail;

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
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading the escalation history"), error))
    goto fail;

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
  if (!step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                 NC_ ("database task", "reading the escalation history"), error))
    goto fail;

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
  if (!step_end (store, stmt, rc, STEP_DONE, NC_ ("database task", "reading escalation records"), error))
    goto fail;

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
  return step_end (store, stmt, rc, STEP_ROW | STEP_DONE,
                   NC_ ("database task", "reading the escalation history"), error);
}
