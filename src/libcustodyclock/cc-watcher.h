/* cc-watcher.h: notice another process's commit to the custody log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CC_WATCH_WRITTEN, /* the database or its WAL was written */
  CC_WATCH_GONE,    /* the database file was deleted, moved or replaced */
} CcWatchEvent;

typedef void (*CcWatchFunc) (CcWatchEvent event,
                             gpointer     user_data);

typedef struct _CcWatcher CcWatcher;

CcWatcher *cc_watcher_new (const char *database_path,
                           CcWatchFunc func,
                           gpointer    user_data,
                           GError    **error);
void       cc_watcher_free (CcWatcher *watcher);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcWatcher, cc_watcher_free)

G_END_DECLS
