/* cc-watcher.c: notice another process's commit to the custody log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * In WAL mode every commit writes the -wal file, so watching the database's
 * folder hears of it at once and costs nothing while nobody writes.  The
 * agent confirms with SQLite's `PRAGMA data_version` that a commit really
 * happened before reading.
 *
 * Why inotify and not GFileMonitor: GLib's inotify backend holds the first
 * event after a quiet spell for 100 ms (its "boredom" delay, to coalesce
 * bursts).  Measured here, that put commit-to-record at 100 ms at the
 * median, and the agent must react within 100 ms.  One inotify descriptor in
 * the main loop does the same job with no delay and no timers.
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc-watcher.h"

struct _CcWatcher
{
  int         fd;
  guint       source_id;
  char       *db_name;
  char       *wal_name;
  char       *path;
  dev_t       dev;
  ino_t       ino;
  CcWatchFunc func;
  gpointer    user_data;
};

static gboolean
database_replaced (CcWatcher *watcher)
{
  struct stat st;

  return stat (watcher->path, &st) != 0 || st.st_dev != watcher->dev || st.st_ino != watcher->ino;
}

static gboolean
on_events (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  CcWatcher *watcher = user_data;
  char       buffer[4096] __attribute__ ((aligned (__alignof__(struct inotify_event))));
  gboolean   written = FALSE;
  gboolean   gone = FALSE;
  ssize_t    n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    {
      for (char *p = buffer; p < buffer + n;)
        {
          const struct inotify_event *event = (const struct inotify_event *) p;
          const char                 *name = event->len > 0 ? event->name : "";

          if (g_str_equal (name, watcher->db_name))
            {
              if (event->mask & (IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE))
                gone |= database_replaced (watcher);
              written = TRUE;
            }
          else if (g_str_equal (name, watcher->wal_name))
            written = TRUE;
          if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF))
            gone |= database_replaced (watcher);
          p += sizeof (struct inotify_event) + event->len;
        }
    }

  if (gone)
    watcher->func (CC_WATCH_GONE, watcher->user_data);
  else if (written)
    watcher->func (CC_WATCH_WRITTEN, watcher->user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * cc_watcher_new:
 * @database_path: the custody log
 * @func: called once per batch of writes, and if the file goes away
 *
 * Returns: (transfer full): the watcher, or %NULL with @error set
 */
CcWatcher *
cc_watcher_new (const char *database_path,
                CcWatchFunc func,
                gpointer    user_data,
                GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (database_path);
  CcWatcher       *watcher;
  struct stat      st;
  int              fd;

  if (stat (database_path, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", database_path,
                   g_strerror (saved_errno));
      return NULL;
    }
  fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0 || inotify_add_watch (fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %1$s is a folder, %2$s the system's reason,
                    * such as "Permission denied" */
                   _ ("%1$s: cannot watch the folder: %2$s"), dir, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return NULL;
    }

  watcher = g_new0 (CcWatcher, 1);
  watcher->fd = fd;
  watcher->path = g_strdup (database_path);
  watcher->db_name = g_path_get_basename (database_path);
  watcher->wal_name = g_strconcat (watcher->db_name, "-wal", NULL);
  watcher->dev = st.st_dev;
  watcher->ino = st.st_ino;
  watcher->func = func;
  watcher->user_data = user_data;
  watcher->source_id = g_unix_fd_add (fd, G_IO_IN, on_events, watcher);
  return watcher;
}

void
cc_watcher_free (CcWatcher *watcher)
{
  if (watcher == NULL)
    return;
  g_source_remove (watcher->source_id);
  close (watcher->fd);
  g_free (watcher->path);
  g_free (watcher->db_name);
  g_free (watcher->wal_name);
  g_free (watcher);
}
