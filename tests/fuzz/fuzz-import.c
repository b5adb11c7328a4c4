/* fuzz-import.c: JSON Lines through the importer into a custody log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input is a whole file for `custody-clock import --assume-tz
 * Europe/London`.  It is read through a stream that hands it over a few
 * bytes at a time (how many depends on the input), so that lines cross
 * reads as they do from a pipe.
 *
 * One database per process, in a folder of its own under $TMPDIR, emptied
 * before each input (a second connection deletes the rows), so that every
 * input starts from the same empty log and a crash repeats from its input
 * alone; the folder is removed at exit.  After each import, every row the
 * importer stored must read back as a valid event: the ledger judges rows
 * exactly so, and would otherwise quarantine what import said was fine.
 */
#include "config.h"

#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#define FUZZ_CHECK_EVENTS
#include "fuzz-common.h"

#include "cc-importer.h"
#include "cc-store.h"

/* A GInputStream over a buffer that returns at most @chunk bytes a read. */
#define FUZZ_TYPE_CHUNK_STREAM (fuzz_chunk_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzChunkStream, fuzz_chunk_stream, FUZZ, CHUNK_STREAM, GInputStream)

struct _FuzzChunkStream
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         size;
  gsize         offset;
  gsize         chunk;
};

G_DEFINE_TYPE (FuzzChunkStream, fuzz_chunk_stream, G_TYPE_INPUT_STREAM)

static gssize
fuzz_chunk_stream_read (GInputStream *stream,
                        void         *buffer,
                        gsize         count,
                        GCancellable *cancellable,
                        GError      **error)
{
  FuzzChunkStream *self = FUZZ_CHUNK_STREAM (stream);
  gsize            n = MIN (MIN (count, self->chunk), self->size - self->offset);

  if (n > 0)
    memcpy (buffer, self->data + self->offset, n);
  self->offset += n;
  return (gssize) n;
}

static gboolean
fuzz_chunk_stream_close (GInputStream *stream,
                         GCancellable *cancellable,
                         GError      **error)
{
  return TRUE;
}

static void
fuzz_chunk_stream_class_init (FuzzChunkStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  stream_class->read_fn = fuzz_chunk_stream_read;
  stream_class->close_fn = fuzz_chunk_stream_close;
}

static void
fuzz_chunk_stream_init (FuzzChunkStream *self)
{
}

static GInputStream *
fuzz_chunk_stream_new (const guint8 *data,
                       gsize         size,
                       gsize         chunk)
{
  FuzzChunkStream *self = g_object_new (FUZZ_TYPE_CHUNK_STREAM, NULL);

  self->data = data;
  self->size = size;
  self->chunk = chunk;
  return G_INPUT_STREAM (self);
}

static char      *dir;
static char      *db_path;
static CcStore   *store;
static sqlite3   *cleaner;
static GTimeZone *london;

static void
open_database (void)
{
  g_autoptr (GError) error = NULL;

  store = cc_store_open (db_path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &cleaner, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (cleaner, "PRAGMA synchronous = OFF", NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
close_database (void)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_pointer (&store, cc_store_free);
  g_clear_pointer (&cleaner, sqlite3_close);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_unlink (path);
    }
}

/* Empties the log: deleting the rows is quick; should the schema ever
 * refuse that (an append-only trigger), a new database is made instead. */
static void
empty_database (void)
{
  if (sqlite3_exec (cleaner, "DELETE FROM custody_event; DELETE FROM quarantine", NULL, NULL, NULL) == SQLITE_OK)
    return;
  close_database ();
  open_database ();
}

static void
remove_database (void)
{
  close_database ();
  g_rmdir (dir);
  g_free (db_path);
  g_free (dir);
  g_time_zone_unref (london);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr (GError) error = NULL;

  fuzz_init ();
  dir = g_dir_make_tmp ("cc-fuzz-import-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "custody.db", NULL);
  open_database ();
  london = cc_time_zone_new ("Europe/London", NULL);
  if (london == NULL)
    london = g_time_zone_new_utc ();
  atexit (remove_database);
  return 0;
}

static void
on_notice (CcImportNotice notice,
           guint64        line,
           const char    *event_id,
           int            code,
           const char    *reason,
           gpointer       user_data)
{
  g_assert_cmpuint (line, >=, 1);
  if (notice == CC_IMPORT_REJECTED)
    g_assert_cmpstr (cc_event_error_code_name (code), !=, "unknown");
  fuzz_assert_message (reason);
}

static gboolean
check_row (const CcStoreRow *row,
           gpointer          user_data,
           GError          **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CcEvent) event = NULL;
  guint *n_rows = user_data;

  event = cc_event_new_from_row (row->seq, row->event_id, row->record_id, row->type, row->occurred_at,
                                 row->recorded_at, row->officer, row->data, row->supersedes, &local_error);
  if (event == NULL)
    g_error ("the importer stored a row that does not read back (occurred_at %s, data %s): %s", row->occurred_at,
             row->data, local_error->message);
  fuzz_check_event_reads_back (event);
  (*n_rows)++;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const gsize chunks[] = { 1, 7, 64, 4096, 64 * 1024 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CcImporter) importer = NULL;
  g_autoptr (GInputStream) stream = NULL;
  const CcImportStats *stats;
  guint                n_rows = 0;

  empty_database ();

  importer = cc_importer_new (store, "fuzz.jsonl", FUZZ_NOW);
  cc_importer_set_assume_tz (importer, london);
  cc_importer_set_notice_func (importer, on_notice, NULL);
  stream = fuzz_chunk_stream_new (data, size, chunks[size % G_N_ELEMENTS (chunks)]);

  /* Only the database can make an import fail, and this one is private. */
  if (!cc_importer_import_stream (importer, stream, NULL, &error))
    g_error ("the import failed: %s", error->message);

  if (!cc_store_foreach_event_row (store, 0, NULL, check_row, &n_rows, &error))
    g_error ("reading the log failed: %s", error->message);
  stats = cc_importer_get_stats (importer);
  g_assert_cmpuint (n_rows, ==, stats->imported);
  g_assert_cmpuint (stats->held, <=, stats->imported);
  return 0;
}
