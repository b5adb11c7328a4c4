/* fuzz-event-line.c: one JSON Lines line, cc_event_new_from_json_line()
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input is one line as the importer hands it over (any bytes, with its
 * length), read once as import reads it by default and once with
 * --assume-tz Europe/London.
 */
#include "config.h"

#define FUZZ_CHECK_EVENTS
#include "fuzz-common.h"

#include "cc-event.h"

static GTimeZone *london;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  london = cc_time_zone_new ("Europe/London", NULL);
  if (london == NULL)
    london = g_time_zone_new_utc ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GTimeZone *zones[] = { NULL, london };

  for (gsize i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CcEvent) event = NULL;

      event = cc_event_new_from_json_line ((const char *) data, (gssize) size, zones[i], FUZZ_NOW, &error);
      if (event != NULL)
        {
          g_assert_no_error (error);
          fuzz_check_event_reads_back (event);
        }
      else
        {
          fuzz_check_event_error (error);
        }
    }
  return 0;
}
