/* cc-board.h: the board and the timeline, as JSON and as text
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cc-engine.h"
#include "cc-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  CC_BOARD_NONE = 0,
  CC_BOARD_COLOUR = 1 << 0, /* ANSI colour, for a terminal; never the only signal */
} CcBoardFlags;

JsonNode  *cc_evaluation_to_json (const CcEvaluation *evaluation,
                                  gboolean            with_events);
GPtrArray *cc_board_collect (CcLedger   *ledger,
                             CcPolicy   *policy,
                             CcInstant   at,
                             const char *suite);
GPtrArray *cc_board_read (CcStore    *store,
                          CcPolicy   *policy,
                          CcInstant   at,
                          CcInstant   now,
                          const char *suite,
                          GError    **error);
GPtrArray *cc_board_read_candidates (CcStore    *store,
                                     CcPolicy   *policy,
                                     CcInstant   at,
                                     CcInstant   now,
                                     const char *suite,
                                     GError    **error);
JsonNode  *cc_board_to_json (GPtrArray *evaluations);
void       cc_board_sort (GPtrArray *evaluations);
void       cc_board_format_status (GString     *out,
                                   GPtrArray   *evaluations,
                                   CcInstant    at,
                                   const char  *suite,
                                   GTimeZone   *tz,
                                   CcBoardFlags flags);
JsonNode  *cc_board_reviews_to_json (GPtrArray *evaluations);
void       cc_board_format_reviews (GString     *out,
                                    GPtrArray   *evaluations,
                                    CcInstant    at,
                                    const char  *suite,
                                    GTimeZone   *tz,
                                    CcBoardFlags flags);
void       cc_board_format_timeline (GString            *out,
                                     const CcEvaluation *evaluation,
                                     GPtrArray          *history,
                                     GTimeZone          *tz,
                                     CcBoardFlags        flags);

G_END_DECLS
