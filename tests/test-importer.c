/* test-importer.c: JSON Lines into the custody log, and every kind of bad input
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "cc-importer.h"
#include "cc-ledger.h"
#include "cc-test-util.h"

/* The machine's clock for these tests: 2023-01-01T00:00:00Z. */
#define NOW 1672531200

#define ARRIVAL(id, rec, at)                                                                            \
  "{\"event_id\":\"" id "\",\"record_id\":\"" rec "\",\"type\":\"arrival\",\"occurred_at\":\"" at "\"," \
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-1\",\"dob\":\"2010-09-01\"}}"

typedef struct
{
  char      *dir;
  char      *path;
  CcStore   *store;
  GPtrArray *notices; /* "LINE kind code" */
  char      *last_reason;
  gboolean   refuse_orphans;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = cc_test_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "custody.db", NULL);
  fixture->store = cc_store_open (fixture->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  fixture->notices = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  cc_store_free (fixture->store);
  g_ptr_array_unref (fixture->notices);
  g_free (fixture->last_reason);
  cc_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
record_notice (CcImportNotice notice,
               guint64        line,
               const char    *event_id,
               int            code,
               const char    *reason,
               gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  g_free (fixture->last_reason);
  fixture->last_reason = g_strdup (reason);
  g_ptr_array_add (fixture->notices,
                   notice == CC_IMPORT_REJECTED
                     ? g_strdup_printf ("%" G_GUINT64_FORMAT " %s", line, cc_event_error_code_name (code))
                   : notice == CC_IMPORT_ORPHANS ? g_strdup_printf ("%" G_GUINT64_FORMAT " orphans", line)
                   : notice == CC_IMPORT_REFUSED ? g_strdup_printf ("%" G_GUINT64_FORMAT " refused", line)
                                                 : g_strdup_printf ("%" G_GUINT64_FORMAT " held", line));
}

static CcImportStats
import_text (Fixture    *fixture,
             const char *text,
             GTimeZone  *assume_tz)
{
  g_autoptr (CcImporter) importer = cc_importer_new (fixture->store, "night.jsonl", NOW);
  g_autoptr (GInputStream) input = g_memory_input_stream_new_from_data (g_strdup (text), strlen (text), g_free);
  g_autoptr (GError) error = NULL;

  g_ptr_array_set_size (fixture->notices, 0);
  cc_importer_set_assume_tz (importer, assume_tz);
  cc_importer_set_notice_func (importer, record_notice, fixture);
  cc_importer_set_refuse_orphans (importer, fixture->refuse_orphans);
  g_assert_true (cc_importer_import_stream (importer, input, NULL, &error));
  g_assert_no_error (error);
  return *cc_importer_get_stats (importer);
}

static char *
notices (Fixture *fixture)
{
  g_ptr_array_add (fixture->notices, NULL);
  {
    char *joined = g_strjoinv (", ", (char **) fixture->notices->pdata);
    g_ptr_array_remove_index (fixture->notices, fixture->notices->len - 1);
    return joined;
  }
}

static guint
count_events (Fixture *fixture)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_ledger_load (ledger, fixture->store, NOW, &error));
  g_assert_no_error (error);
  return cc_ledger_get_n_events (ledger);
}

static guint
count_quarantine (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = cc_store_list_quarantine (fixture->store, FALSE, &error);

  g_assert_no_error (error);
  return entries->len;
}

/* Every kind of bad input of custody-log.md, mixed with good lines: the good
 * ones are stored, each bad one is quarantined with its line and reason. */
static const char mixed[] =
  ARRIVAL ("a-1", "R-1", "2022-03-08T14:00:00Z") "\n"                                                                                                                                                            /* 1 good */
                                                 "{\"event_id\":\"x-2\",\"record_id\":\"R-1\",\"type\":\"review\"\n"                                                                                             /* 2 invalid JSON */
                                                 "{\"event_id\":\"x-3\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n"                                                                   /* 3 no record_id */
                                                 "{\"event_id\":\"x-4\",\"record_id\":\"R-1\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08 14:10:00\"}\n"                                              /* 4 no offset */
                                                 "{\"event_id\":\"x-5\",\"record_id\":\"R-1\",\"type\":\"tea_break\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n"                                                /* 5 unknown type */
                                                 "{\"event_id\":\"x-6\",\"record_id\":\"R-1\",\"type\":\"interview_started\",\"occurred_at\":\"2022-03-08T15:00:00Z\",\"data\":{\"aa_present\":\"yes\"}}\n"      /* 6 wrong type */
                                                 "{\"event_id\":\"x-7\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T13:00:00Z\"}\n"                                               /* 7 before arrival */
  ARRIVAL ("x-8", "R-1", "2022-03-08T14:30:00Z") "\n"                                                                                                                                                            /* 8 second arrival */
                                                 "{\"event_id\":\"h-9\",\"record_id\":\"R-2\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T16:00:00Z\"}\n"                                               /* 9 held: no arrival */
                                                 "{\"event_id\":\"x-10\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2030-01-01T00:00:00Z\"}\n"                                              /* 10 future */
  ARRIVAL ("a-11", "R-3", "2022-03-08T10:00:00Z") "\n"                                                                                                                                                           /* 11 good */
                                                  "{\"event_id\":\"x-12\",\"record_id\":\"R-3\",\"type\":\"void\",\"occurred_at\":\"2022-03-08T15:00:00Z\",\"supersedes\":\"a-1\"}\n"                            /* 12 across records */
                                                  "{\"event_id\":\"x-13\",\"record_id\":\"R-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\",\"data\":{\"child\":\"C-1\"}}\n"                   /* 13 missing data.suite */
                                                  "\n"                                                                                                                                                           /* 14 blank: skipped */
                                                  "{\"event_id\":\"g-15\",\"record_id\":\"R-1\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:20:00+00:00\",\"data\":{\"aa_type\":\"parent\"}}\r\n"; /* 15 good, CRLF */

static void
test_mixed (Fixture      *fixture,
            gconstpointer data)
{
  CcImportStats    stats = import_text (fixture, mixed, NULL);
  g_autofree char *got = notices (fixture);

  g_assert_cmpstr (got, ==,
                   "2 invalid_json, 3 missing_field, 4 no_offset, 5 unknown_type, 6 wrong_type, "
                   "7 before_arrival, 8 second_arrival, 9 held, 10 future, 12 cross_record, 13 missing_field");
  g_assert_cmpuint (stats.imported, ==, 4); /* lines 1, 9, 11, 15 */
  g_assert_cmpuint (stats.held, ==, 1);
  g_assert_cmpuint (stats.duplicates, ==, 0);
  g_assert_cmpuint (stats.rejected, ==, 10);
  g_assert_cmpuint (count_events (fixture), ==, 4);
  g_assert_cmpuint (count_quarantine (fixture), ==, 10);

  /* The quarantine keeps each line with its number, reason and text. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) entries = cc_store_list_quarantine (fixture->store, FALSE, &error);
    CcQuarantineEntry *entry = g_ptr_array_index (entries, 6);

    g_assert_cmpstr (entry->origin, ==, "import");
    g_assert_cmpstr (entry->source, ==, "night.jsonl");
    g_assert_cmpint (entry->line, ==, 8);
    g_assert_cmpstr (entry->reason_code, ==, "second_arrival");
    g_assert_cmpstr (entry->event_id, ==, "x-8");
    g_assert_cmpstr (entry->record_id, ==, "R-1");
    g_assert_nonnull (strstr (entry->raw, "\"x-8\""));
    g_assert_cmpint (entry->quarantined_at, ==, NOW);
  }
}

static void
test_twice_changes_nothing (Fixture      *fixture,
                            gconstpointer data)
{
  CcImportStats stats;
  gint64        seq_before = 0, seq_after = 0;
  g_autoptr (GError) error = NULL;

  import_text (fixture, mixed, NULL);
  g_assert_true (cc_store_get_max_seq (fixture->store, &seq_before, &error));

  stats = import_text (fixture, mixed, NULL);
  g_assert_cmpuint (stats.imported, ==, 0);
  g_assert_cmpuint (stats.duplicates, ==, 4);
  g_assert_cmpuint (stats.rejected, ==, 10); /* still bad, still said */
  g_assert_true (cc_store_get_max_seq (fixture->store, &seq_after, &error));
  g_assert_cmpint (seq_after, ==, seq_before);
  g_assert_cmpuint (count_quarantine (fixture), ==, 10);
}

static void
test_assume_tz (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  const char *text =
    ARRIVAL ("a-1", "R-1", "2022-03-26T22:00:00") "\n"
                                                  /* spring forward: 01:30 on 27 March 2022 does not exist in London */
                                                  "{\"event_id\":\"x-2\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-27T01:30:00\"}\n"
                                                  /* 02:30 does: it is 01:30Z */
                                                  "{\"event_id\":\"g-3\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-27T02:30:00\"}\n" ARRIVAL ("a-4", "R-2", "2022-10-29T20:00:00") "\n"
                                                                                                                                                                                                                 /* fall back: 01:30 on 30 October 2022 happens twice */
                                                                                                                                                                                                                 "{\"event_id\":\"x-5\",\"record_id\":\"R-2\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-10-30T01:30:00\"}\n"
                                                                                                                                                                                                                 /* an explicit offset is always fine */
                                                                                                                                                                                                                 "{\"event_id\":\"g-6\",\"record_id\":\"R-2\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-10-30T01:30:00+00:00\"}\n";
  CcImportStats    stats = import_text (fixture, text, london);
  g_autofree char *got = notices (fixture);
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (GError) error = NULL;
  const CcRecord  *record;
  g_autofree char *when = NULL;

  g_assert_cmpstr (got, ==, "2 nonexistent_time, 5 ambiguous_time");
  g_assert_cmpuint (stats.imported, ==, 4);

  g_assert_true (cc_ledger_load (ledger, fixture->store, NOW + 365 * CC_DAY, &error));
  record = cc_ledger_get_record (ledger, "R-1");
  g_assert_cmpuint (record->events->len, ==, 2);
  when = cc_time_format_utc (((CcEvent *) g_ptr_array_index (record->events, 1))->occurred_at);
  g_assert_cmpstr (when, ==, "2022-03-27T01:30:00Z");
}

static void
test_oversized (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GString) text = g_string_new (ARRIVAL ("a-1", "R-1", "2022-03-08T14:00:00Z") "\n");
  CcImportStats    stats;
  g_autofree char *got = NULL;

  /* data just over 64 KiB */
  g_string_append (text, "{\"event_id\":\"x-2\",\"record_id\":\"R-1\",\"type\":\"cell_visit\","
                         "\"occurred_at\":\"2022-03-08T15:00:00Z\",\"data\":{\"note\":\"");
  for (int i = 0; i < 66 * 1024; i++)
    g_string_append_c (text, 'z');
  g_string_append (text, "\"}}\n");
  /* a line far too long to be an event at all, then a good line */
  g_string_append (text, "{\"note\":\"");
  for (int i = 0; i < 300 * 1024; i++)
    g_string_append_c (text, 'y');
  g_string_append (text, "\"}\n");
  g_string_append (text, "{\"event_id\":\"g-4\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T15:10:00Z\"}\n");

  stats = import_text (fixture, text->str, NULL);
  got = notices (fixture);
  g_assert_cmpstr (got, ==, "2 oversized, 3 oversized");
  g_assert_cmpuint (stats.imported, ==, 2);
}

static void
test_not_utf8 (Fixture      *fixture,
               gconstpointer data)
{
  const char text[] =
    ARRIVAL ("a-1", "R-1", "2022-03-08T14:00:00Z") "\n"
                                                   "{\"event_id\":\"x-2\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T15:00:00Z\",\"data\":{\"note\":\"caf\xe9\"}}\n"
                                                   "{\"event_id\":\"g-3\",\"record_id\":\"R-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T15:10:00Z\"}"; /* no final newline */
  CcImportStats    stats = import_text (fixture, text, NULL);
  g_autofree char *got = notices (fixture);

  g_assert_cmpstr (got, ==, "2 invalid_json");
  g_assert_cmpuint (stats.imported, ==, 2);
}

/* A correction whose target is not in the log yet is stored and waits. */
static void
test_correction_waits (Fixture      *fixture,
                       gconstpointer data)
{
  const char *text =
    ARRIVAL ("a-1", "R-1", "2022-03-08T14:00:00Z") "\n"
                                                   "{\"event_id\":\"fix\",\"record_id\":\"R-1\",\"type\":\"aa_arrived\",\"occurred_at\":\"2022-03-08T18:00:00Z\",\"supersedes\":\"orig\"}\n";
  CcImportStats    stats = import_text (fixture, text, NULL);
  g_autofree char *got = notices (fixture);

  g_assert_cmpstr (got, ==, "2 held");
  g_assert_cmpuint (stats.imported, ==, 2);
  g_assert_cmpuint (stats.rejected, ==, 0);
}

/* Lines are committed in batches; a large file goes in whole. */
static void
test_many_lines (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr (GString) text = g_string_new (NULL);
  CcImportStats stats;

  for (int r = 0; r < 500; r++)
    {
      g_string_append_printf (text,
                              "{\"event_id\":\"a-%d\",\"record_id\":\"R-%d\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                              "\"data\":{\"suite\":\"S\",\"child\":\"C-%d\"}}\n",
                              r, r, r);
      for (int v = 0; v < 9; v++)
        g_string_append_printf (text,
                                "{\"event_id\":\"v-%d-%d\",\"record_id\":\"R-%d\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T14:%02d:00Z\"}\n",
                                r, v, r, 10 + v);
    }
  stats = import_text (fixture, text->str, NULL);
  g_assert_cmpuint (stats.imported, ==, 5000);
  g_assert_cmpuint (stats.rejected, ==, 0);
  g_assert_cmpuint (count_events (fixture), ==, 5000);
}

/* Issue 14 item 7: an arrival corrected to a later time used to take every
 * earlier event out of the clocks without a word.  The importer names the
 * events it leaves before the arrival; it stores the correction with a
 * warning, or refuses it (for `record` without --force), and says nothing
 * when those events were corrected first. */
static const char orphan_base[] =
  ARRIVAL ("o-1", "R-O", "2022-03-08T14:00:00Z") "\n"
                                                 "{\"event_id\":\"o-2\",\"record_id\":\"R-O\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:15:00Z\"}\n"
                                                 "{\"event_id\":\"o-3\",\"record_id\":\"R-O\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:20:00Z\"}\n"
                                                 "{\"event_id\":\"o-4\",\"record_id\":\"R-O\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T16:00:00Z\"}\n";
static const char orphan_correction[] =
  "{\"event_id\":\"o-5\",\"record_id\":\"R-O\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T15:00:00Z\","
  "\"supersedes\":\"o-1\",\"data\":{\"suite\":\"Swindon\",\"child\":\"C-1\"}}\n";

static void
test_orphans_refused (Fixture      *fixture,
                      gconstpointer data)
{
  CcImportStats    stats;
  g_autofree char *shown = NULL;

  stats = import_text (fixture, orphan_base, NULL);
  g_assert_cmpuint (stats.imported, ==, 4);

  fixture->refuse_orphans = TRUE;
  stats = import_text (fixture, orphan_correction, NULL);
  shown = notices (fixture);
  g_assert_cmpstr (shown, ==, "1 refused");
  g_assert_cmpuint (stats.refused, ==, 1);
  g_assert_cmpuint (stats.imported, ==, 0);
  g_assert_cmpuint (stats.rejected, ==, 0);
  g_assert_cmpuint (count_quarantine (fixture), ==, 0);
  g_assert_cmpuint (count_events (fixture), ==, 4); /* nothing stored */
  /* Each orphan by id, type and time; the later visit is not one. */
  g_assert_nonnull (strstr (fixture->last_reason, "2 events before it"));
  g_assert_nonnull (strstr (fixture->last_reason, "o-2 (detention_authorised 2022-03-08T14:15:00Z)"));
  g_assert_nonnull (strstr (fixture->last_reason, "o-3 (aa_requested 2022-03-08T14:20:00Z)"));
  g_assert_null (strstr (fixture->last_reason, "o-4"));
  g_assert_nonnull (strstr (fixture->last_reason, "custody-clock-log(5)"));
}

static void
test_orphans_warned (Fixture      *fixture,
                     gconstpointer data)
{
  CcImportStats    stats;
  g_autofree char *shown = NULL;

  import_text (fixture, orphan_base, NULL);
  stats = import_text (fixture, orphan_correction, NULL);
  shown = notices (fixture);
  g_assert_cmpstr (shown, ==, "1 orphans");
  g_assert_cmpuint (stats.imported, ==, 1);
  g_assert_cmpuint (stats.orphaning, ==, 1);
  g_assert_cmpuint (stats.rejected, ==, 0);
  /* Stored: the custody system is the authority on its own record. */
  {
    g_autoptr (CcLedger) ledger = cc_ledger_new ();
    g_autoptr (GError) error = NULL;
    const CcRecord *record;

    g_assert_true (cc_ledger_load (ledger, fixture->store, NOW, &error));
    record = cc_ledger_get_record (ledger, "R-O");
    g_assert_nonnull (record);
    g_assert_cmpstr (record->arrival->event_id, ==, "o-5");
  }
}

static void
test_orphans_corrected_first (Fixture      *fixture,
                              gconstpointer data)
{
  CcImportStats    stats;
  g_autofree char *shown = NULL;

  import_text (fixture, orphan_base, NULL);
  fixture->refuse_orphans = TRUE;
  stats = import_text (fixture,
                       "{\"event_id\":\"o-6\",\"record_id\":\"R-O\",\"type\":\"detention_authorised\","
                       "\"occurred_at\":\"2022-03-08T15:10:00Z\",\"supersedes\":\"o-2\"}\n"
                       "{\"event_id\":\"o-7\",\"record_id\":\"R-O\",\"type\":\"aa_requested\","
                       "\"occurred_at\":\"2022-03-08T15:20:00Z\",\"supersedes\":\"o-3\"}\n",
                       NULL);
  g_assert_cmpuint (stats.imported, ==, 2);
  stats = import_text (fixture, orphan_correction, NULL);
  shown = notices (fixture);
  g_assert_cmpstr (shown, ==, "");
  g_assert_cmpuint (stats.imported, ==, 1);
  g_assert_cmpuint (stats.refused, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/importer/mixed", test_mixed);
  ADD ("/importer/twice-changes-nothing", test_twice_changes_nothing);
  ADD ("/importer/assume-tz", test_assume_tz);
  ADD ("/importer/oversized", test_oversized);
  ADD ("/importer/not-utf8", test_not_utf8);
  ADD ("/importer/correction-waits", test_correction_waits);
  ADD ("/importer/many-lines", test_many_lines);
  ADD ("/importer/orphans-refused", test_orphans_refused);
  ADD ("/importer/orphans-warned", test_orphans_warned);
  ADD ("/importer/orphans-corrected-first", test_orphans_corrected_first);
#undef ADD

  return g_test_run ();
}
