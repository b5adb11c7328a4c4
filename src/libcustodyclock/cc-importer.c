/* cc-importer.c: JSON Lines into the custody log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One bad line never blocks the good ones: every line is judged on its own,
 * good lines are stored, bad ones go to the quarantine table with their
 * reason and line number.  Importing the same input twice stores nothing new
 * (event_id makes events idempotent, and quarantine entries are keyed by
 * their text).
 *
 * Besides each line's own validity (cc_event_new_from_json_line()), the
 * importer applies the rules between events that it can judge at once from
 * the log so far: a second arrival, an event before its record's arrival, a
 * correction reaching into another record.  Events of a record with no
 * arrival yet are stored and held: they count once the arrival comes.  The
 * ledger applies the same rules to rows that other writers put in the table.
 *
 * A corrected arrival moved later than events of its record takes those
 * events out of every clock (an event before its arrival does not count),
 * which is rarely what the person meant (issue 14 item 7).  The importer
 * names them: for a file from the custody system, the authority on its own
 * record, the correction is stored with a warning; `record` asks for the
 * correction to be refused unless --force is given
 * (cc_importer_set_refuse_orphans()).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-importer.h"
#include "cc-ledger.h"

/* How many orphaned events a message names before "and N more". */
#define MAX_ORPHANS_NAMED 10

/* Lines are committed in batches: one transaction per line would make a
 * large import crawl, one for the whole file would hold the write lock
 * against the custody system for too long. */
#define BATCH_LINES 2000
/* A line longer than CC_EVENT_MAX_LINE_BYTES cannot be a valid event: it is
 * rejected without being held in memory whole. */
#define MAX_LINE_BYTES CC_EVENT_MAX_LINE_BYTES

typedef struct
{
  char     *arrival_event_id; /* (nullable) */
  CcInstant arrival_at;
} RecordInfo;

struct _CcImporter
{
  CcStore           *store;
  char              *source_name;
  GTimeZone         *assume_tz;
  CcInstant          now;
  CcImportNoticeFunc notice_func;
  gpointer           notice_data;
  CcImportStats      stats;
  GHashTable        *records; /* record_id → RecordInfo */
  gboolean           refuse_orphans;
  guint64            line_number;
  guint              lines_in_batch;
  char              *last_event_id;
};

static void
record_info_free (RecordInfo *info)
{
  g_free (info->arrival_event_id);
  g_free (info);
}

/**
 * cc_importer_new:
 * @store: (transfer none): the custody log; must outlive the importer
 * @source_name: the input's name for messages and quarantine ("-" for
 *   standard input)
 * @now: the machine's time: a line later than it (by more than the
 *   tolerance) is in the future, and quarantine entries are stamped with it
 */
CcImporter *
cc_importer_new (CcStore    *store,
                 const char *source_name,
                 CcInstant   now)
{
  CcImporter *importer = g_new0 (CcImporter, 1);

  importer->store = store;
  importer->source_name = g_strdup (source_name);
  importer->now = now;
  importer->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) record_info_free);
  return importer;
}

void
cc_importer_free (CcImporter *importer)
{
  if (importer == NULL)
    return;
  cc_store_rollback (importer->store);
  g_clear_pointer (&importer->assume_tz, g_time_zone_unref);
  g_hash_table_unref (importer->records);
  g_free (importer->source_name);
  g_free (importer->last_event_id);
  g_free (importer);
}

/**
 * cc_importer_set_assume_tz:
 * @tz: (nullable): the zone of times written without an offset; %NULL
 *   (the default) rejects them
 */
void
cc_importer_set_assume_tz (CcImporter *importer,
                           GTimeZone  *tz)
{
  g_clear_pointer (&importer->assume_tz, g_time_zone_unref);
  if (tz != NULL)
    importer->assume_tz = g_time_zone_ref (tz);
}

/**
 * cc_importer_set_refuse_orphans:
 * @refuse: %TRUE to refuse, rather than store with a warning, a corrected
 *   arrival that would leave events of its record before it
 *
 * A refused line is neither stored nor quarantined: it is reported with
 * %CC_IMPORT_REFUSED and counted in #CcImportStats.refused.
 */
void
cc_importer_set_refuse_orphans (CcImporter *importer,
                                gboolean    refuse)
{
  g_return_if_fail (importer != NULL);
  importer->refuse_orphans = refuse;
}

void
cc_importer_set_notice_func (CcImporter        *importer,
                             CcImportNoticeFunc func,
                             gpointer           user_data)
{
  importer->notice_func = func;
  importer->notice_data = user_data;
}

const CcImportStats *
cc_importer_get_stats (CcImporter *importer)
{
  return &importer->stats;
}

/**
 * cc_importer_get_last_event_id:
 *
 * Returns: (nullable): the event_id of the last line stored (or found to be
 *   a duplicate)
 */
const char *
cc_importer_get_last_event_id (CcImporter *importer)
{
  return importer->last_event_id;
}

static void
notice (CcImporter    *importer,
        CcImportNotice kind,
        const char    *event_id,
        int            code,
        const char    *reason)
{
  if (importer->notice_func != NULL)
    importer->notice_func (kind, importer->line_number, event_id, code, reason,
                           importer->notice_data);
}

/* Quarantines the current line.  Only a database failure is an error: the
 * line itself is dealt with. */
static gboolean
reject (CcImporter    *importer,
        const char    *line,
        const CcEvent *event,
        const GError  *why,
        GError       **error)
{
  CcQuarantineEntry entry = {
    .origin = (char *) "import",
    .source = importer->source_name,
    .line = (gint64) importer->line_number,
    .event_id = event != NULL ? event->event_id : NULL,
    .record_id = event != NULL ? (char *) event->record_id : NULL,
    .reason_code = (char *) cc_event_error_code_name (why->code),
    .reason = why->message,
    .raw = (char *) line,
    .quarantined_at = importer->now,
    .resolved_at = CC_INSTANT_NONE,
  };

  if (!cc_store_add_quarantine (importer->store, &entry, NULL, error))
    return FALSE;
  importer->stats.rejected++;
  notice (importer, CC_IMPORT_REJECTED, entry.event_id, why->code, why->message);
  return TRUE;
}

static RecordInfo *
lookup_record (CcImporter *importer,
               const char *record_id,
               GError    **error)
{
  RecordInfo *info = g_hash_table_lookup (importer->records, record_id);

  if (info == NULL)
    {
      g_autofree char *arrival_id = NULL;
      CcInstant        arrival_at;

      if (!cc_store_lookup_arrival (importer->store, record_id, &arrival_id, &arrival_at, error))
        return NULL;
      info = g_new0 (RecordInfo, 1);
      info->arrival_event_id = g_steal_pointer (&arrival_id);
      info->arrival_at = arrival_at;
      g_hash_table_insert (importer->records, g_strdup (record_id), info);
    }
  return info;
}

/* The rules between events (see the top of this file).  Returns FALSE with
 * @error only for a database failure; a broken rule is set in @why. */
static gboolean
check_relations (CcImporter    *importer,
                 const CcEvent *event,
                 RecordInfo    *info,
                 gboolean      *out_target_missing,
                 GError       **why,
                 GError       **error)
{
  *out_target_missing = FALSE;
  if (event->supersedes != NULL)
    {
      g_autofree char *target_record = NULL;

      if (!cc_store_lookup_event_record (importer->store, event->supersedes, &target_record, error))
        return FALSE;
      *out_target_missing = (target_record == NULL);
      if (target_record != NULL && g_strcmp0 (target_record, event->record_id) != 0)
        {
          g_set_error (why, CC_EVENT_ERROR, CC_EVENT_ERROR_CROSS_RECORD,
                       /* Translators: the event replaces (supersedes) the event
                        * whose event_id is %1$s; %2$s and %3$s are custody record
                        * numbers, such as "CR-2026-000123" */
                       _ ("supersedes %1$s, which belongs to record %2$s, not %3$s: "
                          "key the correction on the right record"),
                       event->supersedes, target_record, event->record_id);
          return TRUE;
        }
    }

  if (info->arrival_event_id == NULL)
    return TRUE;

  if (event->type == CC_EVENT_ARRIVAL)
    {
      if (g_strcmp0 (event->supersedes, info->arrival_event_id) != 0)
        g_set_error (why, CC_EVENT_ERROR, CC_EVENT_ERROR_SECOND_ARRIVAL,
                     /* Translators: %1$s is a custody record number, such as
                      * "CR-2026-000123"; %2$s and %3$s are the event_id of its
                      * arrival.  "supersedes":"%3$s" is JSON to be sent as it is:
                      * do not translate it */
                     _ ("record %1$s already has an arrival (%2$s); to change it, "
                        "send a corrected arrival with \"supersedes\":\"%3$s\""),
                     event->record_id, info->arrival_event_id, info->arrival_event_id);
      return TRUE;
    }

  /* A void has no time of its own that matters; a correction of the
   * arrival itself is judged by its own type above. */
  if (event->type != CC_EVENT_VOID && event->occurred_at < info->arrival_at)
    {
      g_autofree char *when = cc_time_format_utc (event->occurred_at);
      g_autofree char *arrived = cc_time_format_utc (info->arrival_at);
      g_set_error (why, CC_EVENT_ERROR, CC_EVENT_ERROR_BEFORE_ARRIVAL,
                   /* Translators: %1$s is an event type such as "cell_visit",
                    * kept in English; %2$s and %4$s are UTC times; %3$s is a
                    * custody record number, such as "CR-2026-000123" */
                   _ ("%1$s at %2$s is before record %3$s's arrival at %4$s: check the time, "
                      "or correct the arrival first"),
                   cc_event_type_to_string (event->type), when, event->record_id, arrived);
    }
  return TRUE;
}

/* When @event corrects the record's arrival to a later time, the events of
 * the record (as they stand after corrections) that it would leave before
 * the arrival, as one sentence naming them; %NULL when there are none. */
static gboolean
describe_orphans (CcImporter    *importer,
                  const CcEvent *event,
                  RecordInfo    *info,
                  char         **out_reason,
                  GError       **error)
{
  g_autoptr (CcLedger) ledger = NULL;
  g_autoptr (GString) named = NULL;
  g_autofree char *new_time = NULL;
  const CcRecord  *record;
  guint            n = 0;

  *out_reason = NULL;
  if (event->type != CC_EVENT_ARRIVAL || info->arrival_event_id == NULL ||
      g_strcmp0 (event->supersedes, info->arrival_event_id) != 0 ||
      event->occurred_at <= info->arrival_at)
    return TRUE;

  /* The ledger, not a query, so that the events are those that count now,
   * with their own corrections applied. */
  ledger = cc_ledger_new ();
  if (!cc_ledger_load_record (ledger, importer->store, event->record_id, importer->now, error))
    return FALSE;
  record = cc_ledger_get_record (ledger, event->record_id);
  if (record == NULL)
    return TRUE;

  named = g_string_new (NULL);
  for (guint i = 0; i < record->events->len; i++)
    {
      const CcEvent *other = g_ptr_array_index (record->events, i);

      if (other->type == CC_EVENT_ARRIVAL || other->occurred_at >= event->occurred_at)
        continue;
      if (++n <= MAX_ORPHANS_NAMED)
        {
          g_autofree char *when = cc_time_format_utc (other->occurred_at);
          if (named->len > 0)
            g_string_append (named, ", ");
          /* not translated: an event id, its type (kept in English) and time */
          g_string_append_printf (named, "%s (%s %s)", other->event_id, cc_event_type_to_string (other->type), when);
        }
    }
  if (n == 0)
    return TRUE;
  if (n > MAX_ORPHANS_NAMED)
    {
      g_string_append (named, ", ");
      /* Translators: %u is how many more events there are than those named */
      g_string_append_printf (named, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", n - MAX_ORPHANS_NAMED),
                              n - MAX_ORPHANS_NAMED);
    }
  new_time = cc_time_format_utc (event->occurred_at);
  *out_reason = g_strdup_printf (
    /* Translators: %1$s is a custody record number, %2$s a UTC time, %3$u how many
     * events and %4$s the list of them, each "ID (type TIME)" */
    g_dngettext (GETTEXT_PACKAGE,
                 "moving record %1$s's arrival to %2$s leaves %3$u event before it, which then no longer "
                 "counts for any clock: %4$s; correct it to its true time first (see custody-clock-log(5))",
                 "moving record %1$s's arrival to %2$s leaves %3$u events before it, which then no longer "
                 "count for any clock: %4$s; correct them to their true times first (see custody-clock-log(5))",
                 n),
    event->record_id, new_time, n, named->str);
  return TRUE;
}

static gboolean
ensure_transaction (CcImporter *importer,
                    GError    **error)
{
  if (importer->lines_in_batch == 0)
    {
      if (!cc_store_begin (importer->store, error))
        return FALSE;
    }
  importer->lines_in_batch++;
  return TRUE;
}

static gboolean
finish_batch (CcImporter *importer,
              gboolean    force,
              GError    **error)
{
  if (importer->lines_in_batch == 0)
    return TRUE;
  if (!force && importer->lines_in_batch < BATCH_LINES)
    return TRUE;
  if (!cc_store_commit (importer->store, error))
    return FALSE;
  importer->lines_in_batch = 0;
  return TRUE;
}

static gboolean
is_blank (const char *line,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

static gboolean
import_one (CcImporter *importer,
            const char *line,
            gsize       length,
            GError    **error)
{
  g_autoptr (GError) why = NULL;
  g_autoptr (CcEvent) event = NULL;
  g_autofree char *existing_record = NULL;
  g_autofree char *text = NULL;
  RecordInfo      *info;
  gboolean         inserted;
  gboolean         target_missing;
  g_autofree char *orphans = NULL;

  if (length > 0 && line[length - 1] == '\r')
    length--;
  if (is_blank (line, length))
    return TRUE;

  text = g_strndup (line, length);
  if (strlen (text) != length || !g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);
      g_set_error_literal (&why, CC_EVENT_ERROR, CC_EVENT_ERROR_INVALID_JSON,
                           _ ("the line is not valid UTF-8 text: re-export it as UTF-8"));
      return reject (importer, shown, NULL, why, error);
    }

  event = cc_event_new_from_json_line (text, length, importer->assume_tz, importer->now, &why);
  if (event == NULL)
    return reject (importer, text, NULL, why, error);

  if (!cc_store_lookup_event_record (importer->store, event->event_id, &existing_record, error))
    return FALSE;
  if (existing_record != NULL)
    {
      importer->stats.duplicates++;
      g_free (importer->last_event_id);
      importer->last_event_id = g_strdup (event->event_id);
      return TRUE;
    }

  info = lookup_record (importer, event->record_id, error);
  if (info == NULL)
    return FALSE;
  if (!check_relations (importer, event, info, &target_missing, &why, error))
    return FALSE;
  if (why != NULL)
    return reject (importer, text, event, why, error);
  if (!describe_orphans (importer, event, info, &orphans, error))
    return FALSE;
  if (orphans != NULL && importer->refuse_orphans)
    {
      importer->stats.refused++;
      notice (importer, CC_IMPORT_REFUSED, event->event_id, 0, orphans);
      return TRUE;
    }

  if (!cc_store_insert_event (importer->store, event, &inserted, NULL, error))
    return FALSE;
  if (!inserted)
    {
      importer->stats.duplicates++;
      return TRUE;
    }
  importer->stats.imported++;
  g_free (importer->last_event_id);
  importer->last_event_id = g_strdup (event->event_id);

  if (event->type == CC_EVENT_ARRIVAL)
    {
      g_free (info->arrival_event_id);
      info->arrival_event_id = g_strdup (event->event_id);
      info->arrival_at = event->occurred_at;
      if (orphans != NULL)
        {
          importer->stats.orphaning++;
          notice (importer, CC_IMPORT_ORPHANS, event->event_id, 0, orphans);
        }
    }
  else if (info->arrival_event_id == NULL && event->type == CC_EVENT_VOID && !target_missing)
    {
      /* A void of an event of a held record takes it out at once: nothing
       * is left waiting for an arrival (a mistyped record number, voided). */
    }
  else if (info->arrival_event_id == NULL)
    {
      g_autofree char *reason =
        /* Translators: %s is a custody record number, such as "CR-2026-000123" */
        g_strdup_printf (_ ("record %s has no arrival yet: the event is stored and will count "
                            "once the arrival is keyed"),
                         event->record_id);
      importer->stats.held++;
      notice (importer, CC_IMPORT_HELD, event->event_id, 0, reason);
    }
  else if (target_missing)
    {
      g_autofree char *reason =
        /* Translators: %s is the event_id of the event being corrected */
        g_strdup_printf (_ ("corrects %s, which is not in the log yet: the correction is stored "
                            "and will apply once that event arrives"),
                         event->supersedes);
      importer->stats.held++;
      notice (importer, CC_IMPORT_HELD, event->event_id, 0, reason);
    }
  return TRUE;
}

/**
 * cc_importer_import_line:
 * @line: one line of JSON Lines, without its newline
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Imports one line.  A bad line is quarantined and counted, not an error:
 * only a database failure returns %FALSE.
 */
gboolean
cc_importer_import_line (CcImporter *importer,
                         const char *line,
                         gsize       length,
                         GError    **error)
{
  importer->line_number++;
  if (!ensure_transaction (importer, error))
    return FALSE;
  if (!import_one (importer, line, length, error))
    {
      cc_store_rollback (importer->store);
      importer->lines_in_batch = 0;
      return FALSE;
    }
  return finish_batch (importer, FALSE, error);
}

/**
 * cc_importer_finish:
 *
 * Commits what cc_importer_import_line() has imported so far.
 */
gboolean
cc_importer_finish (CcImporter *importer,
                    GError    **error)
{
  return finish_batch (importer, TRUE, error);
}

static gboolean
reject_long_line (CcImporter *importer,
                  GError    **error)
{
  g_autoptr (GError) why = NULL;

  importer->line_number++;
  g_set_error (&why, CC_EVENT_ERROR, CC_EVENT_ERROR_OVERSIZED,
               /* Translators: %1$d and %2$d are the limits, always 81920 and
                * 65536 bytes; the plural form follows %1$d */
               g_dngettext (GETTEXT_PACKAGE, "the line is longer than %1$d byte; an event's data may be at most %2$d bytes",
                            "the line is longer than %1$d bytes; an event's data may be at most %2$d bytes",
                            MAX_LINE_BYTES),
               MAX_LINE_BYTES, CC_EVENT_MAX_DATA_BYTES);
  if (!ensure_transaction (importer, error))
    return FALSE;
  /* The text is not kept: it is too large to be useful, and it may hold
   * anything.  The line number says where to look. */
  if (!reject (importer, NULL, NULL, why, error))
    return FALSE;
  return finish_batch (importer, FALSE, error);
}

/**
 * cc_importer_import_stream:
 * @stream: JSON Lines
 *
 * Imports every line of @stream.  Bad lines are quarantined and reading goes
 * on; only a read or database failure stops the import (what was committed
 * before stays: run the import again and those lines count as duplicates).
 */
gboolean
cc_importer_import_stream (CcImporter   *importer,
                           GInputStream *stream,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_autoptr (GByteArray) pending = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  gboolean           discarding = FALSE;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, 64 * 1024, cancellable, error);
      gsize  start = 0;

      if (n < 0)
        goto fail;
      if (n == 0)
        break;

      for (gsize i = 0; i < (gsize) n; i++)
        {
          if (buffer[i] != '\n')
            continue;
          if (discarding)
            {
              discarding = FALSE;
            }
          else if (pending->len > 0)
            {
              g_byte_array_append (pending, buffer + start, i - start);
              if (!cc_importer_import_line (importer, (const char *) pending->data, pending->len, error))
                goto fail;
              g_byte_array_set_size (pending, 0);
            }
          else if (!cc_importer_import_line (importer, (const char *) buffer + start, i - start, error))
            {
              goto fail;
            }
          start = i + 1;
        }

      if (!discarding && start < (gsize) n)
        {
          g_byte_array_append (pending, buffer + start, n - start);
          if (pending->len > MAX_LINE_BYTES)
            {
              if (!reject_long_line (importer, error))
                goto fail;
              g_byte_array_set_size (pending, 0);
              discarding = TRUE;
            }
        }
    }

  if (!discarding && pending->len > 0 &&
      !cc_importer_import_line (importer, (const char *) pending->data, pending->len, error))
    goto fail;

  return finish_batch (importer, TRUE, error);

fail:
  cc_store_rollback (importer->store);
  importer->lines_in_batch = 0;
  return FALSE;
}
