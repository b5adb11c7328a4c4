/* fuzz-event-row.c: one custody_event row, cc_event_new_from_row()
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Third parties write the table with plain SQL, so every column may hold
 * anything.  The input is the row's text columns, one a line, in table
 * order: event_id, record_id, type, occurred_at, recorded_at, officer,
 * data, supersedes.  A line "\N" is SQL NULL, and so is a column the input
 * stops before.  (A column's text ends at a NUL byte, as
 * sqlite3_column_text() gives it.)
 */
#include "config.h"

#define FUZZ_CHECK_EVENTS
#include "fuzz-common.h"

#include "cc-event.h"

#define N_COLUMNS 8

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", N_COLUMNS);
  const char *columns[N_COLUMNS] = { NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEvent) event = NULL;

  for (guint i = 0; i < N_COLUMNS && lines[i] != NULL; i++)
    columns[i] = g_str_equal (lines[i], "\\N") ? NULL : lines[i];

  event = cc_event_new_from_row (1, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5],
                                 columns[6], columns[7], &error);
  if (event != NULL)
    {
      g_assert_no_error (error);
      fuzz_check_event_reads_back (event);
    }
  else
    {
      fuzz_check_event_error (error);
    }
  return 0;
}
