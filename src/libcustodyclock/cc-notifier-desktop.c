/* cc-notifier-desktop.c: desktop notifications through libnotify
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libnotify 0.8 talks to the server with synchronous D-Bus calls (each
 * with the 25 s default timeout) on the process's shared session
 * connection, and keeps its state in globals.  The agent's main loop
 * watches every child's clocks and must never wait on a notification
 * server, so every libnotify call (notify_init(), the capability check,
 * creating, showing and dropping notifications, the action callbacks and
 * notify_uninit()) happens in one notification thread of our own, which
 * runs its own GMainContext.  libnotify's D-Bus proxy is created there, so
 * the server's ActionInvoked and NotificationClosed signals are delivered
 * there too.
 *
 * The main side never blocks: cc_notifier_show() hands a copy of the notice
 * to the thread and returns; the outcome comes back to the caller's main
 * context.  If the thread has not answered within SHOW_TIMEOUT_MS (a hung
 * server), the show finishes with G_IO_ERROR_TIMED_OUT at once and the
 * late answer is dropped; libnotify's own call may go on waiting in the
 * thread, which delays later notices but never the caller.
 *
 * A show fails with G_IO_ERROR_NOT_CONNECTED only while "available" is
 * FALSE: the agent keeps such a notice owed until "available" turns TRUE,
 * so a failure reported after a server has (re)appeared would wait for the
 * agent's next pass, which may be hours away.  A notice that met no server
 * (the server went while it was on its way) is therefore tried again, up to
 * SHOW_ATTEMPTS times, if one is there by the time the answer comes back.
 *
 * Whether a server is there ("available") is watched on the connection
 * given to cc_notifier_desktop_new(), in the main context.  libnotify
 * itself always uses the session bus, so that connection must be on the
 * session bus: the agent passes the session bus itself; a test's mock bus
 * is the session bus of its process (GTestDBus sets
 * DBUS_SESSION_BUS_ADDRESS).
 *
 * libnotify being global, at most one CcNotifierDesktop may exist at a
 * time in a process.  Disposing of it joins the thread, after libnotify has
 * let go of the session connection; only a server hung in the middle of a
 * call can make that wait (up to libnotify's 25 s).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libnotify/notify.h>

#include "cc-notifier.h"

#define APP_NAME "Custody Clock"
#define APP_ICON "appointment-soon"
#define DESKTOP_ENTRY "org.custodyclock.CustodyClock"
#define CATEGORY "custody-clock"
#define ACTION_ACKNOWLEDGE "acknowledge"
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTICE_KEY_DATA "cc-notice-key"
#define SHOW_TIMEOUT_MS 2000
#define SHOW_ATTEMPTS 3

static gint n_instances = 0; /* (atomic) */

/* State shared by the object (main context) and the notification thread.
 * The thread and the jobs in flight hold references, never the object
 * itself: the object is finalized in the main thread, and finalizing joins
 * the thread. */
typedef struct
{
  gatomicrefcount ref_count;
  GMainContext   *main_context; /* (owned): where the object lives */
  GMainContext   *context;      /* (owned): the notification thread's */
  GMainLoop      *loop;         /* (owned) */
  GWeakRef        owner;        /* CcNotifierDesktop, read on main_context */

  /* Touched only in the notification thread: */
  GHashTable *shown; /* notice key → NotifyNotification (owned) */
  gboolean    caps_known;
  gboolean    server_has_actions;
} Worker;

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;
  g_clear_pointer (&worker->shown, g_hash_table_unref);
  g_clear_pointer (&worker->loop, g_main_loop_unref);
  g_clear_pointer (&worker->context, g_main_context_unref);
  g_clear_pointer (&worker->main_context, g_main_context_unref);
  g_weak_ref_clear (&worker->owner);
  g_free (worker);
}

/* Run @func with a reference to @worker in @context (the other side). */
static void
worker_post (Worker       *worker,
             GMainContext *context,
             GSourceFunc   func)
{
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, func,
                              worker_ref (worker), (GDestroyNotify) worker_unref);
}

struct _CcNotifierDesktop
{
  GObject          parent_instance;
  GDBusConnection *connection; /* (owned) */
  guint            watch_id;
  gboolean         available;
  Worker          *worker; /* (owned) */
  GThread         *thread; /* (owned) (nullable): joined on dispose */
};

enum
{
  PROP_AVAILABLE = 1,
};

static void cc_notifier_desktop_iface_init (CcNotifierInterface *iface);

G_DEFINE_TYPE_WITH_CODE (CcNotifierDesktop, cc_notifier_desktop, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (CC_TYPE_NOTIFIER, cc_notifier_desktop_iface_init))

/* ---- the notification thread ---- */

typedef struct
{
  Worker *worker; /* (owned) */
  gint64  escalation_id;
} AckData;

static AckData *
ack_data_new (Worker *worker,
              gint64  escalation_id)
{
  AckData *ack = g_new0 (AckData, 1);

  ack->worker = worker_ref (worker);
  ack->escalation_id = escalation_id;
  return ack;
}

static void
ack_data_free (AckData *ack)
{
  worker_unref (ack->worker);
  g_free (ack);
}

/* In the main context. */
static gboolean
emit_acknowledge_cb (gpointer user_data)
{
  AckData *ack = user_data;
  g_autoptr (GObject) self = g_weak_ref_get (&ack->worker->owner);

  if (self != NULL)
    g_signal_emit_by_name (self, "acknowledge", ack->escalation_id);
  return G_SOURCE_REMOVE;
}

/* In the notification thread, from the server's ActionInvoked signal. */
static void
action_acknowledge_cb (NotifyNotification *notification,
                       char               *action,
                       gpointer            user_data)
{
  AckData *ack = user_data;

  g_main_context_invoke_full (ack->worker->main_context, G_PRIORITY_DEFAULT,
                              emit_acknowledge_cb,
                              ack_data_new (ack->worker, ack->escalation_id),
                              (GDestroyNotify) ack_data_free);
}

/* In the notification thread: the server closed it (expired, dismissed,
 * or replaced by the user's action).  Only now may it go: until then its
 * action callback must stay reachable. */
static void
notification_closed_cb (NotifyNotification *notification,
                        gpointer            user_data)
{
  Worker     *worker = user_data;
  const char *key = g_object_get_data (G_OBJECT (notification), NOTICE_KEY_DATA);

  if (key != NULL && g_hash_table_lookup (worker->shown, key) == notification)
    g_hash_table_remove (worker->shown, key);
}

static NotifyUrgency
urgency_for (CcNoticeKind kind)
{
  switch (kind)
    {
    case CC_NOTICE_BREACH:
      return NOTIFY_URGENCY_CRITICAL;
    case CC_NOTICE_WARNING:
      return NOTIFY_URGENCY_NORMAL;
    case CC_NOTICE_RESOLVED:
      return NOTIFY_URGENCY_LOW;
    default:
      return NOTIFY_URGENCY_NORMAL;
    }
}

/* Whether a server answers; learns (once per server appearance) whether it
 * supports actions. */
static gboolean
worker_check_server (Worker *worker)
{
  GList *caps;

  if (worker->caps_known)
    return TRUE;

  /* notify_get_server_caps() logs a warning when no server is there (fatal
   * under G_DEBUG=fatal-warnings); notify_get_server_info() fails quietly,
   * and once it has succeeded libnotify holds its proxy, so the caps call
   * that follows cannot warn. */
  if (!notify_get_server_info (NULL, NULL, NULL, NULL))
    return FALSE;

  caps = notify_get_server_caps ();
  worker->server_has_actions =
    g_list_find_custom (caps, "actions", (GCompareFunc) g_strcmp0) != NULL;
  g_list_free_full (caps, g_free);
  worker->caps_known = TRUE;
  return TRUE;
}

static void
set_not_connected (GError    **error,
                   const char *detail)
{
  if (detail != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                 /* Translators: %s is the reason, from D-Bus */
                 _ ("No desktop notification server: %s"), detail);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                         _ ("No desktop notification server"));
}

/* Turn libnotify's D-Bus errors into what the agent acts on: "no server"
 * means keep the notice owed until one appears. */
static void
propagate_show_error (GError **error,
                      GError  *local_error /* (transfer full) */)
{
  if (g_error_matches (local_error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (local_error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (local_error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    {
      set_not_connected (error, local_error->message);
      g_error_free (local_error);
    }
  else if (g_error_matches (local_error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
           g_error_matches (local_error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   /* Translators: %s is the reason, from D-Bus */
                   _ ("The desktop notification server did not answer: %s"),
                   local_error->message);
      g_error_free (local_error);
    }
  else
    {
      /* The same error, with the sentence around its message. */
      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: %s is the reason, from the notification server or D-Bus */
                   _ ("Could not show a desktop notification: %s"), local_error->message);
      g_error_free (local_error);
    }
}

static gboolean
worker_show (Worker         *worker,
             const CcNotice *notice,
             GError        **error)
{
  NotifyNotification *notification;
  gboolean            is_new = FALSE;
  GError             *local_error = NULL;

  if (!worker_check_server (worker))
    {
      set_not_connected (error, NULL);
      return FALSE;
    }

  /* Reusing the notification shown under the same key makes libnotify send
   * its id as replaces_id: the server updates it in place. */
  notification = g_hash_table_lookup (worker->shown, notice->key);
  if (notification == NULL)
    {
      notification = notify_notification_new (notice->summary, notice->body, APP_ICON);
      g_object_set_data_full (G_OBJECT (notification), NOTICE_KEY_DATA,
                              g_strdup (notice->key), g_free);
      g_signal_connect (notification, "closed",
                        G_CALLBACK (notification_closed_cb), worker);
      g_hash_table_insert (worker->shown, g_strdup (notice->key), notification);
      is_new = TRUE;
    }
  else
    {
      notify_notification_update (notification, notice->summary, notice->body, APP_ICON);
      notify_notification_clear_actions (notification);
    }

  notify_notification_set_app_name (notification, APP_NAME);
  notify_notification_set_urgency (notification, urgency_for (notice->kind));
  notify_notification_set_category (notification, CATEGORY);
  notify_notification_set_hint_string (notification, "desktop-entry", DESKTOP_ENTRY);

  /* A button the server cannot show would only be dropped or, on some
   * servers, turn into a click on the whole notification. */
  if (notice->escalation_id > 0 && worker->server_has_actions)
    notify_notification_add_action (notification, ACTION_ACKNOWLEDGE,
                                    /* Translators: the button on a breach notification that
                                     * acknowledges the escalation (stops it going up the ranks) */
                                    C_ ("notification action", "Acknowledge"),
                                    action_acknowledge_cb,
                                    ack_data_new (worker, notice->escalation_id),
                                    (GFreeFunc) ack_data_free);

  if (!notify_notification_show (notification, &local_error))
    {
      /* Never on screen, so no "closed" will come to release it. */
      if (is_new)
        g_hash_table_remove (worker->shown, notice->key);
      propagate_show_error (error, local_error);
      /* The server went: the next one may not support what it did. */
      if (error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
        worker->caps_known = FALSE;
      return FALSE;
    }

  return TRUE;
}

/* In the notification thread: a server came or went. */
static gboolean
worker_server_changed_cb (gpointer user_data)
{
  Worker *worker = user_data;

  worker->caps_known = FALSE;
  return G_SOURCE_REMOVE;
}

static gboolean
worker_server_gone_cb (gpointer user_data)
{
  Worker *worker = user_data;

  /* Its notifications went with it, and no "closed" will come for them. */
  g_hash_table_remove_all (worker->shown);
  worker->caps_known = FALSE;
  return G_SOURCE_REMOVE;
}

static gboolean
worker_quit_cb (gpointer user_data)
{
  Worker *worker = user_data;

  g_main_loop_quit (worker->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_thread (gpointer user_data)
{
  Worker *worker = user_data; /* (owned) */

  g_main_context_push_thread_default (worker->context);

  notify_init (APP_NAME);
  g_main_loop_run (worker->loop);

  /* Dropped before notify_uninit(), which would otherwise close every
   * notification with an action: a breach stays on screen after the agent
   * stops.  (Dropping them later would also make libnotify create a new
   * proxy from their dispose.) */
  g_hash_table_remove_all (worker->shown);
  notify_uninit ();

  /* Signal deliveries and unsubscriptions queued here hold the session
   * connection; GTestDBus teardown waits for it to be freed. */
  while (g_main_context_iteration (worker->context, FALSE))
    ;

  g_main_context_pop_thread_default (worker->context);
  worker_unref (worker);
  return NULL;
}

/* ---- showing, on the main side ---- */

typedef struct
{
  GSource *timeout;   /* (owned) (nullable) */
  GSource *cancelled; /* (owned) (nullable) */
  gboolean returned;
  gint     abandoned; /* (atomic): read by the thread, to skip stale work */
} ShowState;

static void
show_state_free (ShowState *state)
{
  if (state->timeout != NULL)
    g_source_destroy (state->timeout);
  g_clear_pointer (&state->timeout, g_source_unref);
  if (state->cancelled != NULL)
    g_source_destroy (state->cancelled);
  g_clear_pointer (&state->cancelled, g_source_unref);
  g_free (state);
}

typedef struct
{
  Worker   *worker;   /* (owned) */
  GTask    *task;     /* (owned) (nullable): only ever released in the task's context */
  CcNotice *notice;   /* (owned) (nullable) */
  GError   *error;    /* (owned) (nullable): the outcome, set in the thread */
  guint     attempts; /* how many times the thread has tried it */
} ShowJob;

static void
show_job_free (ShowJob *job)
{
  worker_unref (job->worker);
  g_clear_object (&job->task);
  cc_notice_free (job->notice);
  g_clear_error (&job->error);
  g_free (job);
}

/* In the task's context: the first of answer, timeout and cancellation
 * wins; returns whether the caller is the first. */
static gboolean
show_settle (GTask *task)
{
  ShowState *state = g_task_get_task_data (task);

  if (state->returned)
    return FALSE;
  state->returned = TRUE;
  g_atomic_int_set (&state->abandoned, TRUE);
  if (state->timeout != NULL)
    g_source_destroy (state->timeout);
  if (state->cancelled != NULL)
    g_source_destroy (state->cancelled);
  return TRUE;
}

static gboolean worker_show_cb (gpointer user_data);

static gboolean
show_answered_cb (gpointer user_data)
{
  ShowJob           *job = user_data;
  ShowState         *state = g_task_get_task_data (job->task);
  CcNotifierDesktop *self = g_task_get_source_object (job->task);

  /* No server took it, yet one is there now: it appeared while the notice
   * was on its way, and its "available" has been and gone.  Try again
   * rather than leave the notice owed. */
  if (!state->returned && job->attempts < SHOW_ATTEMPTS && self->available &&
      g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    {
      ShowJob *retry = g_new0 (ShowJob, 1);

      g_debug ("A notification met no server, and one is there now: trying again");
      retry->worker = worker_ref (job->worker);
      retry->task = g_steal_pointer (&job->task);
      retry->notice = g_steal_pointer (&job->notice);
      retry->attempts = job->attempts;
      g_main_context_invoke_full (retry->worker->context, G_PRIORITY_DEFAULT, worker_show_cb, retry, NULL);
      return G_SOURCE_REMOVE;
    }

  if (!show_settle (job->task))
    return G_SOURCE_REMOVE;
  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else
    g_task_return_boolean (job->task, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
show_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (show_settle (task))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: %d is a number of seconds; "s" is the symbol for seconds */
                                          "The desktop notification server did not answer within %d s",
                                          "The desktop notification server did not answer within %d s",
                                          SHOW_TIMEOUT_MS / 1000),
                             SHOW_TIMEOUT_MS / 1000);
  return G_SOURCE_REMOVE;
}

static gboolean
show_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  if (show_settle (task))
    g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* In the notification thread. */
static gboolean
worker_show_cb (gpointer user_data)
{
  ShowJob   *job = user_data;
  ShowState *state = g_task_get_task_data (job->task);

  job->attempts++;
  if (!g_atomic_int_get (&state->abandoned))
    worker_show (job->worker, job->notice, &job->error);

  /* The task goes back to its own context to be returned and released:
   * its last reference may hold the object, whose finalization joins this
   * thread. */
  g_main_context_invoke_full (job->worker->main_context, G_PRIORITY_DEFAULT,
                              show_answered_cb, job,
                              (GDestroyNotify) show_job_free);
  return G_SOURCE_REMOVE;
}

static void
cc_notifier_desktop_show (CcNotifier         *notifier,
                          const CcNotice     *notice,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  CcNotifierDesktop *self = CC_NOTIFIER_DESKTOP (notifier);
  g_autoptr (GTask) task = NULL;
  ShowState *state;
  ShowJob   *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_notifier_desktop_show);
  state = g_new0 (ShowState, 1);
  g_task_set_task_data (task, state, (GDestroyNotify) show_state_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  state->timeout = g_timeout_source_new (SHOW_TIMEOUT_MS);
  g_source_set_callback (state->timeout, show_timeout_cb,
                         g_object_ref (task), g_object_unref);
  g_source_attach (state->timeout, g_task_get_context (task));

  if (cancellable != NULL)
    {
      state->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (state->cancelled, G_SOURCE_FUNC (show_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (state->cancelled, g_task_get_context (task));
    }

  job = g_new0 (ShowJob, 1);
  job->worker = worker_ref (self->worker);
  job->task = g_steal_pointer (&task);
  job->notice = cc_notice_copy (notice);
  /* No destroy notify: the thread always hands the job back. */
  g_main_context_invoke_full (self->worker->context, G_PRIORITY_DEFAULT,
                              worker_show_cb, job, NULL);
}

static gboolean
cc_notifier_desktop_show_finish (CcNotifier   *notifier,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, notifier), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cc_notifier_desktop_show), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cc_notifier_desktop_iface_init (CcNotifierInterface *iface)
{
  iface->show = cc_notifier_desktop_show;
  iface->show_finish = cc_notifier_desktop_show_finish;
}

/* ---- watching for a server, on the main side ---- */

static void
set_available (CcNotifierDesktop *self,
               gboolean           available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify (G_OBJECT (self), "available");
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  CcNotifierDesktop *self = user_data;

  /* A new server may not support what the last one did. */
  worker_post (self->worker, self->worker->context, worker_server_changed_cb);
  set_available (self, TRUE);
}

static void
name_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  CcNotifierDesktop *self = user_data;

  worker_post (self->worker, self->worker->context, worker_server_gone_cb);
  set_available (self, FALSE);
}

/* ---- the object ---- */

static void
cc_notifier_desktop_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CcNotifierDesktop *self = CC_NOTIFIER_DESKTOP (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
}

static void
cc_notifier_desktop_dispose (GObject *object)
{
  CcNotifierDesktop *self = CC_NOTIFIER_DESKTOP (object);

  if (self->watch_id != 0)
    {
      g_bus_unwatch_name (self->watch_id);
      self->watch_id = 0;
    }

  /* No show is in flight (each holds a reference to us), so the thread
   * only has to let go of libnotify. */
  if (self->thread != NULL)
    {
      worker_post (self->worker, self->worker->context, worker_quit_cb);
      g_thread_join (g_steal_pointer (&self->thread));
      g_atomic_int_add (&n_instances, -1);
    }

  g_clear_object (&self->connection);

  G_OBJECT_CLASS (cc_notifier_desktop_parent_class)->dispose (object);
}

static void
cc_notifier_desktop_finalize (GObject *object)
{
  CcNotifierDesktop *self = CC_NOTIFIER_DESKTOP (object);

  g_clear_pointer (&self->worker, worker_unref);

  G_OBJECT_CLASS (cc_notifier_desktop_parent_class)->finalize (object);
}

static void
cc_notifier_desktop_class_init (CcNotifierDesktopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cc_notifier_desktop_get_property;
  object_class->dispose = cc_notifier_desktop_dispose;
  object_class->finalize = cc_notifier_desktop_finalize;

  g_object_class_override_property (object_class, PROP_AVAILABLE, "available");
}

static void
cc_notifier_desktop_init (CcNotifierDesktop *self)
{
}

/**
 * cc_notifier_desktop_new:
 * @connection: (transfer none): a connection to the session bus, on which
 *   the notification server is watched
 *
 * Starts the notification thread and begins watching for a server;
 * #CcNotifier:available becomes %TRUE in the caller's thread-default main
 * context once one is seen.  Signals are emitted in that context.  Only
 * one may exist at a time in a process (libnotify is global).
 *
 * Returns: (transfer full): a notifier that shows desktop notifications
 */
CcNotifier *
cc_notifier_desktop_new (GDBusConnection *connection)
{
  g_autoptr (CcNotifierDesktop) self = NULL;
  Worker *worker;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (g_atomic_int_get (&n_instances) == 0, NULL);

  self = g_object_new (CC_TYPE_NOTIFIER_DESKTOP, NULL);
  self->connection = g_object_ref (connection);

  worker = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&worker->ref_count);
  worker->main_context = g_main_context_ref_thread_default ();
  worker->context = g_main_context_new ();
  worker->loop = g_main_loop_new (worker->context, FALSE);
  g_weak_ref_init (&worker->owner, self);
  worker->shown = g_hash_table_new_full (g_str_hash, g_str_equal,
                                         g_free, g_object_unref);
  self->worker = worker;

  g_atomic_int_inc (&n_instances);
  self->thread = g_thread_new ("cc-notify", worker_thread, worker_ref (worker));

  self->watch_id = g_bus_watch_name_on_connection (connection, NOTIFICATIONS_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   name_appeared_cb,
                                                   name_vanished_cb,
                                                   self, NULL);

  return CC_NOTIFIER (g_steal_pointer (&self));
}
