/* cc-importer.h: JSON Lines into the custody log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-store.h"
#include "cc-time.h"

G_BEGIN_DECLS

/**
 * CcImportStats:
 * @imported: events stored
 * @duplicates: lines whose event_id was already in the log
 * @rejected: lines quarantined
 * @held: of @imported, events whose record has no arrival yet: they wait
 *   for it
 * @orphaning: of @imported, corrected arrivals that left earlier events of
 *   their record before them
 * @refused: lines not stored because they would have (see
 *   cc_importer_set_refuse_orphans())
 */
typedef struct
{
  guint imported;
  guint duplicates;
  guint rejected;
  guint held;
  guint orphaning;
  guint refused;
} CcImportStats;

/**
 * CcImportNotice:
 * @CC_IMPORT_REJECTED: the line was quarantined
 * @CC_IMPORT_HELD: the event was stored and waits for its arrival or target
 * @CC_IMPORT_ORPHANS: the event, a corrected arrival moved later, was stored
 *   and leaves events of its record before the arrival, which no longer
 *   count; the reason names them
 * @CC_IMPORT_REFUSED: the same, but refused (cc_importer_set_refuse_orphans()):
 *   nothing was stored or quarantined
 */
typedef enum
{
  CC_IMPORT_REJECTED,
  CC_IMPORT_HELD,
  CC_IMPORT_ORPHANS,
  CC_IMPORT_REFUSED,
} CcImportNotice;

/**
 * CcImportNoticeFunc:
 * @notice: what happened to the line
 * @line: its line number (1-based)
 * @event_id: (nullable): its event id, when it could be read
 * @code: for %CC_IMPORT_REJECTED, the #CcEventError
 * @reason: one sentence for a person
 */
typedef void (*CcImportNoticeFunc) (CcImportNotice notice,
                                    guint64        line,
                                    const char    *event_id,
                                    int            code,
                                    const char    *reason,
                                    gpointer       user_data);

typedef struct _CcImporter CcImporter;

CcImporter          *cc_importer_new (CcStore    *store,
                                      const char *source_name,
                                      CcInstant   now);
void                 cc_importer_free (CcImporter *importer);
void                 cc_importer_set_assume_tz (CcImporter *importer,
                                                GTimeZone  *tz);
void                 cc_importer_set_refuse_orphans (CcImporter *importer,
                                                     gboolean    refuse);
void                 cc_importer_set_notice_func (CcImporter        *importer,
                                                  CcImportNoticeFunc func,
                                                  gpointer           user_data);
gboolean             cc_importer_import_line (CcImporter *importer,
                                              const char *line,
                                              gsize       length,
                                              GError    **error);
gboolean             cc_importer_finish (CcImporter *importer,
                                         GError    **error);
gboolean             cc_importer_import_stream (CcImporter   *importer,
                                                GInputStream *stream,
                                                GCancellable *cancellable,
                                                GError      **error);
const CcImportStats *cc_importer_get_stats (CcImporter *importer);
const char          *cc_importer_get_last_event_id (CcImporter *importer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcImporter, cc_importer_free)

G_END_DECLS
