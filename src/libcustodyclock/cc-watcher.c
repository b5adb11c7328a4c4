/* cc-watcher.c: notice another process's commit to the custody log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * In WAL mode every commit writes the -wal file, so a GFileMonitor on the
 * database's folder (inotify on Linux) hears of it within milliseconds and
 * costs nothing while nobody writes.  The agent confirms with SQLite's
 * `PRAGMA data_version` that a commit really happened before reading.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "cc-watcher.h"

struct _CcWatcher
{
  GFileMonitor *monitor;
  char         *db_name;
  char         *wal_name;
  char         *path;
  dev_t         dev;
  ino_t         ino;
  CcWatchFunc   func;
  gpointer      user_data;
};

static void
on_changed (GFileMonitor     *monitor,
            GFile            *file,
            GFile            *other,
            GFileMonitorEvent event,
            gpointer          user_data)
{
  CcWatcher *watcher = user_data;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *other_name = other != NULL ? g_file_get_basename (other) : NULL;
  gboolean is_db = g_str_equal (name, watcher->db_name) || g_strcmp0 (other_name, watcher->db_name) == 0;
  gboolean is_wal = g_str_equal (name, watcher->wal_name);
  struct stat st;

  if (!is_db && !is_wal)
    return;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_CREATED:
      /* The -wal file comes and goes with checkpoints; only the database
       * file itself going away, or being swapped for another, matters. */
      if (is_db && (stat (watcher->path, &st) != 0 || st.st_dev != watcher->dev || st.st_ino != watcher->ino))
        {
          watcher->func (CC_WATCH_GONE, watcher->user_data);
          return;
        }
      watcher->func (CC_WATCH_WRITTEN, watcher->user_data);
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      watcher->func (CC_WATCH_WRITTEN, watcher->user_data);
      break;
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

/**
 * cc_watcher_new:
 * @database_path: the custody log
 * @func: called for each write and if the file goes away
 *
 * Returns: (transfer full): the watcher, or %NULL with @error set
 */
CcWatcher *
cc_watcher_new (const char  *database_path,
                CcWatchFunc  func,
                gpointer     user_data,
                GError     **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (database_path);
  g_autoptr (GFile) dir = g_file_get_parent (file);
  CcWatcher *watcher;
  struct stat st;

  if (stat (database_path, &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: %s", database_path, g_strerror (errno));
      return NULL;
    }

  watcher = g_new0 (CcWatcher, 1);
  watcher->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (watcher->monitor == NULL)
    {
      g_free (watcher);
      return NULL;
    }
  /* Commits must be seen within 100 ms: no coalescing delay. */
  g_file_monitor_set_rate_limit (watcher->monitor, 0);
  watcher->path = g_strdup (database_path);
  watcher->db_name = g_file_get_basename (file);
  watcher->wal_name = g_strconcat (watcher->db_name, "-wal", NULL);
  watcher->dev = st.st_dev;
  watcher->ino = st.st_ino;
  watcher->func = func;
  watcher->user_data = user_data;
  g_signal_connect (watcher->monitor, "changed", G_CALLBACK (on_changed), watcher);
  return watcher;
}

void
cc_watcher_free (CcWatcher *watcher)
{
  if (watcher == NULL)
    return;
  g_signal_handlers_disconnect_by_data (watcher->monitor, watcher);
  g_file_monitor_cancel (watcher->monitor);
  g_object_unref (watcher->monitor);
  g_free (watcher->path);
  g_free (watcher->db_name);
  g_free (watcher->wal_name);
  g_free (watcher);
}
