/* fuzz-common.h: what every libFuzzer target of tests/fuzz shares
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A target fails only by crashing: a sanitizer report, a leak, an abort.
 * Refusing an input is as good an outcome as accepting it, so errors are
 * cleared, not reported; what a target checks besides (g_assert) are the
 * promises the library makes about what it accepts, such as "what is
 * stored reads back".  GLib criticals and warnings are fatal, as in the
 * test suite: a g_return_if_fail() reached from input is a bug.
 */
#pragma once

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* Both are called by libFuzzer's main(). */
int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* 2030-01-01T00:00:00Z: "now" for the future check, fixed so that a run
 * can be repeated from its input alone. */
#define FUZZ_NOW ((gint64) 1893456000)

/* A fatal GLib message (g_error(), or a critical made fatal) ends in
 * G_BREAKPOINT(), a SIGTRAP that libFuzzer does not catch, so it would
 * die without saving the input: make it an abort, which it does catch. */
static void
fuzz_on_trap (int signum)
{
  abort ();
}

static inline void
fuzz_init (void)
{
  signal (SIGTRAP, fuzz_on_trap);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
}

/* A message for a person: valid UTF-8, one line. */
static inline void
fuzz_assert_message (const char *message)
{
  g_assert_nonnull (message);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_null (strchr (message, '\n'));
}

#ifdef FUZZ_CHECK_EVENTS
#include "cc-event.h"

/* An event the library accepted is stored by cc_store_insert_event() as
 * a row (times in UTC, data as cc_event_data_to_string()), and read back
 * by cc_event_new_from_row(): if that row were refused, the ledger would
 * quarantine an event the importer had said was fine, and a child's clock
 * would lose it.  So the row must read back, the same. */
static inline void
fuzz_check_event_reads_back (const CcEvent *event)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEvent) again = NULL;
  g_autoptr (JsonObject) data = NULL;
  g_autofree char *data_text = cc_event_data_to_string (event);
  g_autofree char *occurred = cc_time_format_utc (event->occurred_at);
  g_autofree char *recorded = NULL;
  g_autofree char *again_text = NULL;

  if (event->recorded_at != CC_INSTANT_NONE)
    recorded = cc_time_format_utc (event->recorded_at);

  again = cc_event_new_from_row (1, event->event_id, event->record_id, cc_event_type_to_string (event->type),
                                 occurred, recorded, event->officer, data_text, event->supersedes, &error);
  if (again == NULL)
    g_error ("an accepted event does not read back from its row (occurred_at %s, data %s): %s", occurred,
             data_text, error->message);
  g_assert_cmpint (again->type, ==, event->type);
  g_assert_cmpint (again->occurred_at, ==, event->occurred_at);
  g_assert_cmpint (again->recorded_at, ==, event->recorded_at);
  g_assert_cmpstr (again->record_id, ==, event->record_id);
  g_assert_cmpstr (again->event_id, ==, event->event_id);
  g_assert_cmpstr (again->officer, ==, event->officer);
  g_assert_cmpstr (again->supersedes, ==, event->supersedes);
  again_text = cc_event_data_to_string (again);
  g_assert_cmpstr (again_text, ==, data_text);

  /* A time field that validation accepted is a time to the engine. */
  if ((event->type == CC_EVENT_EXTENSION_AUTHORISED || event->type == CC_EVENT_WARRANT_GRANTED) &&
      cc_event_get_instant (event, "until") == CC_INSTANT_NONE)
    g_error ("an accepted %s has no readable until (data %s)", cc_event_type_to_string (event->type), data_text);
  if (event->type == CC_EVENT_ARRIVAL && cc_event_has_field (event, "relevant_time") &&
      cc_event_get_instant (event, "relevant_time") == CC_INSTANT_NONE)
    g_error ("an accepted arrival has an unreadable relevant_time (data %s)", data_text);

  data = cc_event_get_data (event);
  g_assert_nonnull (data);
}

/* A refusal is a #CcEventError with a message for a person. */
static inline void
fuzz_check_event_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == CC_EVENT_ERROR);
  g_assert_cmpstr (cc_event_error_code_name (error->code), !=, "unknown");
  fuzz_assert_message (error->message);
}
#endif
