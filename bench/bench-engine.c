/* bench-engine.c: how fast the engine evaluates, and a board-sized database
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   bench-engine engine [ITERATIONS]     evaluations of one 60-event record
 *   bench-engine make-db PATH CHILDREN [now]
 *                                        a log with CHILDREN children in custody
 *                                        (in November 2022, or a day or two ago)
 *   bench-engine board PATH              time to read that log, then to evaluate it
 *
 * Prints one line of figures; bench/run takes medians and writes RESULTS.md.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "cc-engine.h"
#include "cc-importer.h"
#include "cc-ledger.h"

#define T0 ((CcInstant) 1667620800) /* 2022-11-05T04:00:00Z */

/* The events of one long detention: 60 of them, every kind a night brings. */
static GPtrArray *
night_events (const char *record_id,
              CcInstant   start)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  static const struct
  {
    const char *type;
    int         minutes;
    const char *data;
  } plan[] = {
    { "arrival", 0, NULL }, /* below: it names the child */
    { "detention_authorised", 20, "{}" },
    { "moved", 25, "{\"room\":\"cell\",\"reason\":\"no detention room\"}" },
    { "welfare_informed", 35, "{}" },
    { "aa_requested", 40, "{\"aa_type\":\"parent\"}" },
    { "hcp_requested", 45, "{}" },
    { "hcp_seen", 110, "{}" },
    { "aa_arrived", 200, "{}" },
    { "interview_started", 230, "{\"aa_present\":true}" },
    { "interview_ended", 290, "{}" },
    { "review", 350, "{\"rank\":\"inspector\"}" },
    { "meal_offered", 380, "{\"kind\":\"main\"}" },
    { "observation_level", 400, "{\"level\":2}" },
    { "rest_started", 600, "{}" },
    { "rest_ended", 1100, "{}" },
    { "review", 880, "{\"rank\":\"inspector\"}" },
    { "charged", 1150, "{\"aa_present\":true}" },
    { "bail_refused", 1160, "{}" },
    { "la_requested", 1170, "{\"secure\":false}" },
    { "la_response", 1260, "{\"outcome\":\"refused\"}" },
    { "review", 1400, "{\"rank\":\"sergeant\"}" },
  };
  guint n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (plan); i++, n++)
    {
      g_autofree char *data = plan[i].data != NULL
                                ? g_strdup (plan[i].data)
                                : g_strdup_printf ("{\"suite\":\"Central\",\"child\":\"C-%s\",\"dob\":\"2008-05-10\","
                                                   "\"indictable\":true}",
                                                   record_id);
      g_autofree char *when = cc_time_format_utc (start + plan[i].minutes * 60);
      g_ptr_array_add (lines, g_strdup_printf ("{\"event_id\":\"%s-%u\",\"record_id\":\"%s\",\"type\":\"%s\","
                                               "\"occurred_at\":\"%s\",\"data\":%s}",
                                               record_id, n, record_id, plan[i].type, when, data));
    }
  /* Cell visits, about every 40 minutes, make up the 60. */
  for (int m = 430; n < 60; m += 40, n++)
    {
      g_autofree char *when = cc_time_format_utc (start + m * 60);
      g_ptr_array_add (lines, g_strdup_printf ("{\"event_id\":\"%s-%u\",\"record_id\":\"%s\",\"type\":\"cell_visit\","
                                               "\"occurred_at\":\"%s\",\"data\":{\"voice_recorded\":true}}",
                                               record_id, n, record_id, when));
    }
  return lines;
}

static int
bench_engine (int iterations)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  g_autoptr (GPtrArray) lines = night_events ("BENCH-0001", T0);
  const CcRecord *record;
  gint64          start, elapsed;
  guint           breaches = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CcEvent) event = cc_event_new_from_json_line (g_ptr_array_index (lines, i), -1, NULL, CC_INSTANT_NONE, &error);
      g_assert_no_error (error);
      event->seq = i + 1;
      cc_ledger_add_event (ledger, event);
    }
  record = cc_ledger_get_record (ledger, "BENCH-0001");
  g_assert (record->events->len == 60);

  start = g_get_monotonic_time ();
  for (int i = 0; i < iterations; i++)
    {
      /* Evaluate across the night so every clock is exercised. */
      CcEvaluation *ev = cc_engine_evaluate (record, policy, T0 + (i % 1440) * 60);
      breaches += ev->breaches->len;
      cc_evaluation_free (ev);
    }
  elapsed = g_get_monotonic_time () - start;
  printf ("engine_us_per_eval=%.3f evals_per_s=%.0f events=%u breaches=%u\n",
          (double) elapsed / iterations, iterations * 1e6 / elapsed, record->events->len, breaches);
  return 0;
}

static int
make_db (const char *path,
         int         children,
         CcInstant   start)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (CcImporter) importer = NULL;

  g_assert_no_error (error);
  importer = cc_importer_new (store, "bench", start + 30 * CC_DAY);
  for (int c = 0; c < children; c++)
    {
      g_autofree char *id = g_strdup_printf ("BENCH-%04d", c);
      /* Arrivals spread over the day before T0 + 1 d, none closed. */
      g_autoptr (GPtrArray) lines = night_events (id, start + (c % 96) * 15 * 60);

      for (guint i = 0; i < lines->len; i++)
        {
          const char *line = g_ptr_array_index (lines, i);
          if (!cc_importer_import_line (importer, line, strlen (line), &error))
            g_error ("%s", error->message);
        }
    }
  if (!cc_importer_finish (importer, &error))
    g_error ("%s", error->message);
  printf ("children=%d events=%u\n", children, cc_importer_get_stats (importer)->imported);
  return 0;
}

/* Where a board's time goes: reading the log, then evaluating it. */
static int
board (const char *path,
       CcInstant   at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = cc_store_open (path, CC_STORE_OPEN_NONE, &error);
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (CcPolicy) policy = cc_policy_new_default ();
  g_autoptr (GPtrArray) ids = NULL;
  gint64 t0, t1, t2;
  guint  open = 0;

  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  if (!cc_ledger_load (ledger, store, g_get_real_time () / G_USEC_PER_SEC, &error))
    g_error ("%s", error->message);
  t1 = g_get_monotonic_time ();
  ids = cc_ledger_get_record_ids (ledger);
  for (guint i = 0; i < ids->len; i++)
    {
      CcEvaluation *ev = cc_engine_evaluate (cc_ledger_get_record (ledger, g_ptr_array_index (ids, i)), policy, at);
      open += cc_evaluation_is_open (ev);
      cc_evaluation_free (ev);
    }
  t2 = g_get_monotonic_time ();
  {
    g_autofree char *status = NULL;
    const char      *rss;
    struct mallinfo2 mi = mallinfo2 ();

    g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
    rss = status != NULL ? strstr (status, "VmRSS:") : NULL;
    printf ("load_ms=%.1f evaluate_ms=%.1f events=%u records=%u open=%u rss_kb=%ld heap_in_use_kb=%zu heap_free_kb=%zu\n",
            (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, cc_ledger_get_n_events (ledger), ids->len, open,
            rss != NULL ? strtol (rss + 6, NULL, 10) : -1L, mi.uordblks / 1024, mi.fordblks / 1024);
  }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "engine"))
    return bench_engine (argc >= 3 ? atoi (argv[2]) : 20000);
  if (argc == 3 && g_str_equal (argv[1], "board"))
    return board (argv[2], T0 + CC_DAY);
  if (argc == 4 && g_str_equal (argv[1], "make-db"))
    return make_db (argv[2], atoi (argv[3]), T0);
  /* Children in custody now: arrivals a day or two ago, every event past. */
  if (argc == 5 && g_str_equal (argv[1], "make-db") && g_str_equal (argv[4], "now"))
    return make_db (argv[2], atoi (argv[3]), g_get_real_time () / G_USEC_PER_SEC - 2 * CC_DAY);
  fprintf (stderr, "usage: bench-engine engine [ITERATIONS] | make-db PATH CHILDREN [now] | board PATH\n");
  return 2;
}
