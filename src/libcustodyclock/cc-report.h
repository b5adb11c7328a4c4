/* cc-report.h: the monthly breach report (docs/REPORT.md)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cc-engine.h"
#include "cc-ledger.h"
#include "cc-policy.h"
#include "cc-store.h"
#include "cc-time.h"

G_BEGIN_DECLS

typedef enum
{
  CC_REPORT_HTML,
  CC_REPORT_CSV,
  CC_REPORT_JSON,
  CC_REPORT_MD,
} CcReportFormat;

/**
 * CcReportOptions:
 * @month: "YYYY-MM", in the policy's display zone
 * @suite: (nullable): one suite's records only
 * @at: the evaluation instant (`--at`, default now)
 * @stamp_at: %CC_INSTANT_NONE (or 0), or the generation time to print
 *   (`--stamp`)
 * @no_cache: compute every month of the trend afresh, neither reading nor
 *   writing the per-month summary cache (the figures are the same)
 * @threads: how many threads read a month's records: 0 for one per
 *   processor (up to 4) on a large month, 1 for none (the figures are the
 *   same)
 * @no_summaries: neither read nor write the records' summaries
 *   (record_summary): every record of the trend is read and evaluated
 *   (the figures are the same; `--no-cache` sets both)
 * @now: the machine's time, or 0 when not known: when @at is not after
 *   it, the records the report finds settled are also settled for the
 *   board (cc_store_settle()), since settled at @at means settled at any
 *   later time
 */
typedef struct
{
  const char *month;
  const char *suite;
  CcInstant   at;
  CcInstant   stamp_at;
  gboolean    no_cache;
  guint       threads;
  /* Added by issue 15, after the others: callers that list the fields in
   * order keep their meaning. */
  gboolean  no_summaries;
  CcInstant now;
} CcReportOptions;

gboolean cc_report_parse_month (const char *text,
                                int        *out_year,
                                int        *out_month,
                                GError    **error);

/* Every figure, as the JSON object docs/REPORT.md specifies.  The only
 * place a figure is computed. */
char       *cc_report_build_json (CcStore               *store,
                                  CcPolicy              *policy,
                                  const CcReportOptions *options,
                                  GError               **error);
JsonObject *cc_report_build (CcStore               *store,
                             CcPolicy              *policy,
                             const CcReportOptions *options,
                             GError               **error);
char       *cc_report_summary_key (CcPolicy *policy);
void        cc_report_summarise_settled (CcPolicy             *policy,
                                         CcLedger             *ledger,
                                         const CcRecord       *record,
                                         const CcEvaluation   *evaluation,
                                         CcStoreRecordSummary *out_summary);
gboolean    cc_report_keep_summaries (CcStore  *store,
                                      CcPolicy *policy,
                                      CcInstant at,
                                      guint    *out_months,
                                      GError  **error);

/* Renderers: they format @report and nothing else. */
const char *cc_report_outcome_display_name (const char *outcome);
char       *cc_report_render_json (JsonObject *report);
char       *cc_report_render_csv (JsonObject *report,
                                  gboolean    cases);
char       *cc_report_render_md (JsonObject *report);
char       *cc_report_render_html (JsonObject *report,
                                   GError    **error);

G_END_DECLS
