/* test-notifier.c: the log backend, and the desktop backend against a mock
 * org.freedesktop.Notifications
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The mock runs in GtDBusQueue's server thread (the server func), since
 * libnotify's calls are synchronous.  libnotify calls it from the process's
 * shared session connection (GTestDBus makes the mock bus the session bus),
 * not from the queue's client connection, so messages are taken with
 * gt_dbus_queue_pop_message() and answered by method name, recording what
 * the tests check, rather than with gt_dbus_queue_assert_pop_message(),
 * which insists on the client connection as sender.  Answering by name also
 * keeps the tests free of libnotify's exact call sequence (it asks
 * GetServerInformation when it makes its proxy, and we ask again).
 */
#include "config.h"

#include <libglib-testing/dbus-queue.h>
#include <libnotify/notify.h>

#include "cc-agent.h"
#include "cc-notifier.h"
#include "cc-test-util.h"

/* Generous: valgrind is slow.  Nothing here waits for a deadline; this
 * only bounds how long a broken build hangs. */
#define TEST_TIMEOUT_S 60

#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterate the default main context until @cond holds; fail the test if it
 * does not within TEST_TIMEOUT_S. */
#define run_until(cond)                                                         \
  G_STMT_START                                                                  \
  {                                                                             \
    gboolean timed_out_ = FALSE;                                                \
    guint    timeout_id_ = g_timeout_add_seconds (TEST_TIMEOUT_S, timed_out_cb, \
                                                  &timed_out_);                 \
    while (!(cond) && !timed_out_)                                              \
      g_main_context_iteration (NULL, TRUE);                                    \
    if (!timed_out_)                                                            \
      g_source_remove (timeout_id_);                                            \
    if (!(cond))                                                                \
      g_error ("Timed out waiting for: %s", #cond);                             \
  }                                                                             \
  G_STMT_END

static void
async_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **result_out = user_data;

  g_assert_null (*result_out);
  *result_out = g_object_ref (result);
}

/* ---- structured log capture ---- */

G_LOCK_DEFINE_STATIC (logged);
static GPtrArray *logged = NULL; /* (element-type utf8): "kind|key|message" */

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *kind = NULL;
  const char *key = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "CUSTODY_CLOCK_NOTICE_KIND"))
        kind = fields[i].value;
      else if (g_str_equal (fields[i].key, "CUSTODY_CLOCK_NOTICE_KEY"))
        key = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (kind == NULL)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  /* A notice is a MESSAGE, never a warning (fatal in tests). */
  g_assert_cmpint (log_level & G_LOG_LEVEL_MASK, ==, G_LOG_LEVEL_MESSAGE);

  G_LOCK (logged);
  g_ptr_array_add (logged, g_strdup_printf ("%s|%s|%s", kind, key, message));
  G_UNLOCK (logged);
  return G_LOG_WRITER_HANDLED;
}

/* ---- the log backend ---- */

static void
test_log_show (void)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcNotice) breach = NULL;
  g_autoptr (CcNotice) resolved = NULL;
  g_autoptr (GAsyncResult) result1 = NULL;
  g_autoptr (GAsyncResult) result2 = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray      *shown;
  const CcNotice *first;

  g_assert_true (cc_notifier_get_available (notifier));

  G_LOCK (logged);
  g_ptr_array_set_size (logged, 0);
  G_UNLOCK (logged);

  breach = cc_notice_new ("WI-SWN-22-0101/aa_arrived/1/breach/sergeant",
                          CC_NOTICE_BREACH,
                          "WI-SWN-22-0101: appropriate adult not arrived",
                          "Due 18:15; escalated to sergeant",
                          7);
  resolved = cc_notice_new ("WI-SWN-22-0101/aa_arrived/1/resolved",
                            CC_NOTICE_RESOLVED,
                            "WI-SWN-22-0101: appropriate adult arrived",
                            NULL, 0);

  cc_notifier_show (notifier, breach, NULL, async_result_cb, &result1);
  /* The notice is copied: the caller may free it straight away. */
  g_clear_pointer (&breach, cc_notice_free);
  cc_notifier_show (notifier, resolved, NULL, async_result_cb, &result2);

  /* Never completed inside show(). */
  g_assert_null (result1);
  g_assert_null (result2);

  run_until (result1 != NULL && result2 != NULL);
  g_assert_true (cc_notifier_show_finish (notifier, result1, &error));
  g_assert_no_error (error);
  g_assert_true (cc_notifier_show_finish (notifier, result2, &error));
  g_assert_no_error (error);

  shown = cc_notifier_log_get_shown (CC_NOTIFIER_LOG (notifier));
  g_assert_cmpuint (shown->len, ==, 2);
  first = g_ptr_array_index (shown, 0);
  g_assert_cmpstr (first->key, ==, "WI-SWN-22-0101/aa_arrived/1/breach/sergeant");
  g_assert_cmpint (first->kind, ==, CC_NOTICE_BREACH);
  g_assert_cmpstr (first->summary, ==, "WI-SWN-22-0101: appropriate adult not arrived");
  g_assert_cmpstr (first->body, ==, "Due 18:15; escalated to sergeant");
  g_assert_cmpint (first->escalation_id, ==, 7);
  g_assert_cmpint (((CcNotice *) g_ptr_array_index (shown, 1))->kind, ==, CC_NOTICE_RESOLVED);

  G_LOCK (logged);
  g_assert_cmpuint (logged->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (logged, 0), ==,
                   "breach|WI-SWN-22-0101/aa_arrived/1/breach/sergeant|"
                   "WI-SWN-22-0101: appropriate adult not arrived: "
                   "Due 18:15; escalated to sergeant");
  g_assert_cmpstr (g_ptr_array_index (logged, 1), ==,
                   "resolved|WI-SWN-22-0101/aa_arrived/1/resolved|"
                   "WI-SWN-22-0101: appropriate adult arrived");
  G_UNLOCK (logged);
}

static void
test_notice_copy (void)
{
  g_autoptr (CcNotice) notice = cc_notice_new ("a/b/1", CC_NOTICE_WARNING,
                                               "summary", NULL, 3);
  g_autoptr (CcNotice) copy = cc_notice_copy (notice);

  g_assert_true (copy != notice);
  g_assert_true (copy->key != notice->key);
  g_assert_cmpstr (copy->key, ==, "a/b/1");
  g_assert_cmpint (copy->kind, ==, CC_NOTICE_WARNING);
  g_assert_cmpstr (copy->summary, ==, "summary");
  g_assert_null (copy->body);
  g_assert_cmpint (copy->escalation_id, ==, 3);
}

/* ---- the mock notification server ---- */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  GtDBusQueue   *queue;     /* (owned) */
  GDBusNodeInfo *node_info; /* (owned) */
  guint          name_id;   /* 0 while the mock does not own the name */
  CcNotifier    *notifier;  /* (owned) */

  gint stop;         /* (atomic): the server func returns */
  gint with_actions; /* (atomic): GetCapabilities lists "actions" */
  gint fail_notify;  /* (atomic): Notify calls to answer as if the server had gone */
  gint n_failed;     /* (atomic): how many were */

  GMainContext *server_context; /* (owned): the mock's, once it ran */
  gint          server_closed;  /* (atomic) */

  GMutex           lock;
  GDBusConnection *server_connection;  /* (owned) (locked-by lock) */
  GPtrArray       *notify_calls;       /* (element-type GVariant) (locked-by lock) */
  guint            n_get_capabilities; /* (locked-by lock) */
  guint32          last_id;            /* (locked-by lock) */
} BusFixture;

typedef struct
{
  gboolean own_name;
  gboolean with_actions;
} BusTestData;

static const BusTestData server_with_actions = { TRUE, TRUE };
static const BusTestData server_without_actions = { TRUE, FALSE };
static const BusTestData no_server = { FALSE, FALSE };
static const BusTestData no_server_with_actions = { FALSE, TRUE };

static void
mock_closed_cb (GDBusConnection *connection,
                gboolean         remote_peer_vanished,
                GError          *error,
                gpointer         user_data)
{
  BusFixture *fixture = user_data;

  g_atomic_int_set (&fixture->server_closed, TRUE);
}

/* In the server thread. */
static void
mock_handle (BusFixture            *fixture,
             GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  GVariant   *parameters = g_dbus_method_invocation_get_parameters (invocation);

  g_assert_cmpstr (g_dbus_method_invocation_get_object_path (invocation), ==,
                   NOTIFICATIONS_PATH);
  g_assert_cmpstr (g_dbus_method_invocation_get_interface_name (invocation), ==,
                   NOTIFICATIONS_IFACE);

  g_mutex_lock (&fixture->lock);
  if (fixture->server_connection == NULL)
    {
      fixture->server_connection =
        g_object_ref (g_dbus_method_invocation_get_connection (invocation));
      g_signal_connect (fixture->server_connection, "closed",
                        G_CALLBACK (mock_closed_cb), fixture);
    }
  g_mutex_unlock (&fixture->lock);

  if (g_str_equal (method, "GetServerInformation"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "mock", "Custody Clock tests",
                                                            "1.0", "1.2"));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      g_autoptr (GVariantBuilder) caps = g_variant_builder_new (G_VARIANT_TYPE ("as"));

      g_variant_builder_add (caps, "s", "body");
      if (g_atomic_int_get (&fixture->with_actions))
        g_variant_builder_add (caps, "s", "actions");

      g_mutex_lock (&fixture->lock);
      fixture->n_get_capabilities++;
      g_mutex_unlock (&fixture->lock);

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(as)", caps));
    }
  else if (g_str_equal (method, "Notify") && g_atomic_int_get (&fixture->fail_notify) > 0)
    {
      /* What the bus answers when the server went while the call was on
       * its way. */
      g_atomic_int_add (&fixture->fail_notify, -1);
      g_atomic_int_inc (&fixture->n_failed);
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                                             "The name is not activatable");
    }
  else if (g_str_equal (method, "Notify"))
    {
      guint32 replaces_id;
      guint32 id;

      g_variant_get_child (parameters, 1, "u", &replaces_id);
      g_mutex_lock (&fixture->lock);
      g_ptr_array_add (fixture->notify_calls, g_variant_ref (parameters));
      id = replaces_id != 0 ? replaces_id : ++fixture->last_id;
      g_mutex_unlock (&fixture->lock);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", id));
    }
  else if (g_str_equal (method, "CloseNotification"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "Unexpected method %s", method);
    }
}

/* In the server thread: answer whatever comes, in order, until teardown.
 * (gt_dbus_queue_try_pop_message() never pops in libglib-testing 0.1.1,
 * so this blocks in gt_dbus_queue_pop_message(); teardown sets @stop and
 * sends one last call to wake it.) */
static void
mock_server_func (GtDBusQueue *queue,
                  gpointer     user_data)
{
  BusFixture *fixture = user_data;

  fixture->server_context = g_main_context_ref_thread_default ();
  while (!g_atomic_int_get (&fixture->stop))
    {
      g_autoptr (GDBusMethodInvocation) invocation = NULL;

      if (gt_dbus_queue_pop_message (queue, &invocation))
        mock_handle (fixture, invocation);
    }
}

static GDBusConnection *
mock_get_server_connection (BusFixture *fixture)
{
  GDBusConnection *connection;

  g_mutex_lock (&fixture->lock);
  connection = fixture->server_connection != NULL
                 ? g_object_ref (fixture->server_connection)
                 : NULL;
  g_mutex_unlock (&fixture->lock);
  g_assert_nonnull (connection);
  return connection;
}

static void
mock_emit (BusFixture *fixture,
           const char *signal_name,
           GVariant   *parameters)
{
  g_autoptr (GDBusConnection) connection = mock_get_server_connection (fixture);
  g_autoptr (GError) error = NULL;

  g_dbus_connection_emit_signal (connection, NULL, NOTIFICATIONS_PATH,
                                 NOTIFICATIONS_IFACE, signal_name,
                                 parameters, &error);
  g_assert_no_error (error);
}

static guint
mock_n_notify_calls (BusFixture *fixture)
{
  guint n;

  g_mutex_lock (&fixture->lock);
  n = fixture->notify_calls->len;
  g_mutex_unlock (&fixture->lock);
  return n;
}

static guint
mock_n_get_capabilities (BusFixture *fixture)
{
  guint n;

  g_mutex_lock (&fixture->lock);
  n = fixture->n_get_capabilities;
  g_mutex_unlock (&fixture->lock);
  return n;
}

/* Returns: (transfer full): the parameters of the @index-th Notify call */
static GVariant *
mock_get_notify_call (BusFixture *fixture,
                      guint       index)
{
  GVariant *call;

  g_mutex_lock (&fixture->lock);
  g_assert_cmpuint (index, <, fixture->notify_calls->len);
  call = g_variant_ref (g_ptr_array_index (fixture->notify_calls, index));
  g_mutex_unlock (&fixture->lock);
  return call;
}

static void
notify_available_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  guint *n_notifies = user_data;

  (*n_notifies)++;
}

static void
bus_set_up (BusFixture   *fixture,
            gconstpointer test_data)
{
  const BusTestData *data = test_data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  g_mutex_init (&fixture->lock);
  fixture->notify_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_atomic_int_set (&fixture->with_actions, data->with_actions);

  fixture->queue = gt_dbus_queue_new ();
  gt_dbus_queue_connect (fixture->queue, &error);
  g_assert_no_error (error);

  fixture->node_info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  gt_dbus_queue_export_object (fixture->queue, NOTIFICATIONS_PATH,
                               fixture->node_info->interfaces[0], &error);
  g_assert_no_error (error);

  /* One call, before the code under test runs, so that the fixture knows
   * the mock's connection (to send signals, and to see it closed at the
   * end) even in the test where the mock then gives up the name. */
  fixture->name_id = gt_dbus_queue_own_name (fixture->queue, NOTIFICATIONS_NAME);
  gt_dbus_queue_set_server_func (fixture->queue, mock_server_func, fixture);
  reply = g_dbus_connection_call_sync (gt_dbus_queue_get_client_connection (fixture->queue),
                                       NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                                       NOTIFICATIONS_IFACE, "GetServerInformation",
                                       NULL, G_VARIANT_TYPE ("(ssss)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  if (!data->own_name)
    {
      gt_dbus_queue_unown_name (fixture->queue, fixture->name_id);
      fixture->name_id = 0;
    }

  fixture->notifier =
    cc_notifier_desktop_new (gt_dbus_queue_get_client_connection (fixture->queue));
  g_assert_nonnull (fixture->notifier);
}

static void
bus_tear_down (BusFixture   *fixture,
               gconstpointer test_data)
{
  g_autoptr (GDBusConnection) server_connection = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  /* Joins the notification thread, which calls notify_uninit(): without
   * that libnotify's proxy keeps the session connection, and GTestDBus
   * waits 30 s for it to go. */
  g_clear_object (&fixture->notifier);
  g_assert_false (notify_is_initted ());

  /* Wake the mock's loop for the last time; by its unique name, since the
   * well-known one may have been given up. */
  server_connection = mock_get_server_connection (fixture);
  g_atomic_int_set (&fixture->stop, TRUE);
  reply = g_dbus_connection_call_sync (gt_dbus_queue_get_client_connection (fixture->queue),
                                       g_dbus_connection_get_unique_name (server_connection),
                                       NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE,
                                       "GetServerInformation", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  gt_dbus_queue_disconnect (fixture->queue, TRUE);

  /* With GLib 2.74, closing a connection can return before its "closed"
   * emission is queued in the connection's context, which may be after
   * GtDBusQueue's thread has drained it; gt_dbus_queue_free() asserts
   * that context is empty.  Let the emission run first. */
  timeout = g_timeout_source_new_seconds (TEST_TIMEOUT_S);
  g_source_set_callback (timeout, timed_out_cb, &timed_out, NULL);
  g_source_attach (timeout, fixture->server_context);
  while (!g_atomic_int_get (&fixture->server_closed) && !timed_out)
    g_main_context_iteration (fixture->server_context, TRUE);
  g_source_destroy (timeout);
  g_assert_false (timed_out);

  g_clear_pointer (&fixture->queue, gt_dbus_queue_free);
  g_clear_pointer (&fixture->server_context, g_main_context_unref);

  g_clear_object (&fixture->server_connection);
  g_clear_pointer (&fixture->node_info, g_dbus_node_info_unref);
  g_clear_pointer (&fixture->notify_calls, g_ptr_array_unref);
  g_mutex_clear (&fixture->lock);
}

/* Show @notice and wait for the outcome. */
static gboolean
show_and_wait (BusFixture     *fixture,
               const CcNotice *notice,
               GError        **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cc_notifier_show (fixture->notifier, notice, NULL, async_result_cb, &result);
  g_assert_null (result);
  run_until (result != NULL);
  return cc_notifier_show_finish (fixture->notifier, result, error);
}

static void
show_ok (BusFixture     *fixture,
         const CcNotice *notice)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = show_and_wait (fixture, notice, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
wait_available (BusFixture *fixture,
                gboolean    available)
{
  run_until (cc_notifier_get_available (fixture->notifier) == available);
}

typedef struct
{
  const char *app_name;
  guint32     replaces_id;
  const char *summary;
  const char *body;
  GStrv       actions;
  guchar      urgency;
  const char *category;
  const char *desktop_entry;
} NotifyCall;

static void
notify_call_clear (NotifyCall *call)
{
  g_clear_pointer (&call->actions, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NotifyCall, notify_call_clear)

/* The strings point into @parameters, which must outlive @call. */
static void
parse_notify_call (GVariant   *parameters,
                   NotifyCall *call)
{
  g_autoptr (GVariant) hints = NULL;
  g_autoptr (GVariant) actions = NULL;

  g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)",
                 &call->app_name, &call->replaces_id, NULL,
                 &call->summary, &call->body, &actions, &hints, NULL);
  call->actions = g_variant_dup_strv (actions, NULL);
  g_assert_true (g_variant_lookup (hints, "urgency", "y", &call->urgency));
  g_assert_true (g_variant_lookup (hints, "category", "&s", &call->category));
  g_assert_true (g_variant_lookup (hints, "desktop-entry", "&s", &call->desktop_entry));
}

static void
on_acknowledge (CcNotifier *notifier,
                gint64      escalation_id,
                gpointer    user_data)
{
  gint64 *acknowledged = user_data;

  *acknowledged = escalation_id;
}

/* A breach with an escalation, on a server with actions: critical, with the
 * Acknowledge action, and the action comes back as "acknowledge". */
static void
test_desktop_breach (BusFixture   *fixture,
                     gconstpointer test_data)
{
  g_autoptr (CcNotice) notice = NULL;
  g_autoptr (GVariant) parameters = NULL;
  g_auto (NotifyCall) call = { 0 };
  guint32 id;
  gint64  acknowledged = 0;

  g_signal_connect (fixture->notifier, "acknowledge", G_CALLBACK (on_acknowledge),
                    &acknowledged);
  wait_available (fixture, TRUE);

  notice = cc_notice_new ("WI-SWN-22-0101/aa_arrived/1/breach/sergeant",
                          CC_NOTICE_BREACH,
                          "WI-SWN-22-0101: appropriate adult not arrived",
                          "Due 18:15; escalated to sergeant",
                          42);
  show_ok (fixture, notice);

  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 1);
  parameters = mock_get_notify_call (fixture, 0);
  parse_notify_call (parameters, &call);
  g_assert_cmpstr (call.app_name, ==, "Custody Clock");
  g_assert_cmpuint (call.replaces_id, ==, 0);
  g_assert_cmpstr (call.summary, ==, "WI-SWN-22-0101: appropriate adult not arrived");
  g_assert_cmpstr (call.body, ==, "Due 18:15; escalated to sergeant");
  g_assert_cmpuint (call.urgency, ==, 2);
  g_assert_cmpstr (call.category, ==, "custody-clock");
  g_assert_cmpstr (call.desktop_entry, ==, "org.custodyclock.CustodyClock");
  g_assert_cmpuint (g_strv_length (call.actions), ==, 2);
  g_assert_cmpstr (call.actions[0], ==, "acknowledge");
  g_assert_cmpstr (call.actions[1], ==, "Acknowledge");

  /* The person presses Acknowledge. */
  g_mutex_lock (&fixture->lock);
  id = fixture->last_id;
  g_mutex_unlock (&fixture->lock);
  mock_emit (fixture, "ActionInvoked", g_variant_new ("(us)", id, "acknowledge"));
  run_until (acknowledged != 0);
  g_assert_cmpint (acknowledged, ==, 42);
}

/* Without the "actions" capability, or without an escalation, there is
 * nothing to acknowledge from the notification. */
static void
test_desktop_no_action (BusFixture   *fixture,
                        gconstpointer test_data)
{
  const BusTestData *data = test_data;
  g_autoptr (CcNotice) breach = NULL;
  g_autoptr (CcNotice) warning = NULL;
  g_autoptr (CcNotice) resolved = NULL;
  struct
  {
    const CcNotice *notice;
    guchar          urgency;
  } cases[3];

  wait_available (fixture, TRUE);

  breach = cc_notice_new ("R1/review/1/breach/sergeant", CC_NOTICE_BREACH,
                          "R1: review overdue", "b", 5);
  warning = cc_notice_new ("R1/review/1/warning", CC_NOTICE_WARNING,
                           "R1: review due soon", "w", 0);
  resolved = cc_notice_new ("R1/review/1/resolved", CC_NOTICE_RESOLVED,
                            "R1: review done", "r", 0);
  cases[0].notice = breach;
  cases[0].urgency = 2;
  cases[1].notice = warning;
  cases[1].urgency = 1;
  cases[2].notice = resolved;
  cases[2].urgency = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GVariant) parameters = NULL;
      g_auto (NotifyCall) call = { 0 };

      /* The breach only makes the point on a server without actions; the
       * server with actions has its own test. */
      if (data->with_actions && cases[i].notice->kind == CC_NOTICE_BREACH)
        continue;

      show_ok (fixture, cases[i].notice);

      parameters = mock_get_notify_call (fixture, mock_n_notify_calls (fixture) - 1);
      parse_notify_call (parameters, &call);
      g_assert_cmpstr (call.summary, ==, cases[i].notice->summary);
      g_assert_cmpuint (call.urgency, ==, cases[i].urgency);
      g_assert_cmpuint (g_strv_length (call.actions), ==, 0);
    }

  /* The capabilities were asked once, not once per notice. */
  g_assert_cmpuint (mock_n_get_capabilities (fixture), ==, 1);
}

/* A notice with the same key replaces the one on screen, until the server
 * closes it. */
static void
test_desktop_replace (BusFixture   *fixture,
                      gconstpointer test_data)
{
  g_autoptr (CcNotice) first = NULL;
  g_autoptr (CcNotice) second = NULL;
  g_autoptr (CcNotice) other = NULL;
  g_autoptr (GVariant) p1 = NULL;
  g_autoptr (GVariant) p2 = NULL;
  g_autoptr (GVariant) p3 = NULL;
  g_autoptr (GVariant) p4 = NULL;
  g_auto (NotifyCall) c1 = { 0 };
  g_auto (NotifyCall) c2 = { 0 };
  g_auto (NotifyCall) c3 = { 0 };
  g_auto (NotifyCall) c4 = { 0 };

  wait_available (fixture, TRUE);

  first = cc_notice_new ("R2/detention_limit/1/warning", CC_NOTICE_WARNING,
                         "R2: detention limit in 30 min", "first", 0);
  second = cc_notice_new ("R2/detention_limit/1/warning", CC_NOTICE_WARNING,
                          "R2: detention limit in 10 min", "second", 0);
  other = cc_notice_new ("R3/detention_limit/1/warning", CC_NOTICE_WARNING,
                         "R3: detention limit in 30 min", "other", 0);

  show_ok (fixture, first);
  show_ok (fixture, other);
  show_ok (fixture, second);

  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 3);
  p1 = mock_get_notify_call (fixture, 0);
  p2 = mock_get_notify_call (fixture, 1);
  p3 = mock_get_notify_call (fixture, 2);
  parse_notify_call (p1, &c1);
  parse_notify_call (p2, &c2);
  parse_notify_call (p3, &c3);
  g_assert_cmpuint (c1.replaces_id, ==, 0);
  g_assert_cmpuint (c2.replaces_id, ==, 0);
  g_assert_cmpuint (c3.replaces_id, ==, 1); /* the mock numbers from 1 */
  g_assert_cmpstr (c3.body, ==, "second");

  /* The person dismisses it: the next notice under that key is new. */
  mock_emit (fixture, "NotificationClosed", g_variant_new ("(uu)", 1, 2));
  /* Signals arrive in order: once a second show has been answered, the
   * thread has seen the NotificationClosed that the mock sent before it. */
  show_ok (fixture, other);
  show_ok (fixture, first);
  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 5);
  p4 = mock_get_notify_call (fixture, 4);
  parse_notify_call (p4, &c4);
  g_assert_cmpuint (c4.replaces_id, ==, 0);
  g_assert_cmpstr (c4.body, ==, "first");
}

/* No server: the show fails with NOT_CONNECTED (not by timing out) and the
 * notifier says so. */
static void
test_desktop_no_server (BusFixture   *fixture,
                        gconstpointer test_data)
{
  g_autoptr (CcNotice) notice = NULL;
  g_autoptr (GError) error = NULL;

  notice = cc_notice_new ("R4/aa_arrived/1/breach/sergeant", CC_NOTICE_BREACH,
                          "R4: appropriate adult not arrived", NULL, 9);
  g_assert_false (show_and_wait (fixture, notice, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_assert_false (cc_notifier_get_available (fixture->notifier));
  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 0);
}

/* A server that comes back may support what the last one did not: the
 * capabilities are asked again, and available follows the name. */
static void
test_desktop_server_returns (BusFixture   *fixture,
                             gconstpointer test_data)
{
  g_autoptr (CcNotice) notice = NULL;
  g_autoptr (GVariant) p1 = NULL;
  g_autoptr (GVariant) p2 = NULL;
  g_auto (NotifyCall) c1 = { 0 };
  g_auto (NotifyCall) c2 = { 0 };
  guint n_notifies = 0;

  g_signal_connect (fixture->notifier, "notify::available",
                    G_CALLBACK (notify_available_cb), &n_notifies);
  wait_available (fixture, TRUE);
  g_assert_cmpuint (n_notifies, ==, 1);

  notice = cc_notice_new ("R5/review/2/breach/inspector", CC_NOTICE_BREACH,
                          "R5: review overdue", "b", 11);
  show_ok (fixture, notice);

  gt_dbus_queue_unown_name (fixture->queue, fixture->name_id);
  fixture->name_id = 0;
  wait_available (fixture, FALSE);
  g_assert_cmpuint (n_notifies, ==, 2);

  g_atomic_int_set (&fixture->with_actions, TRUE);
  fixture->name_id = gt_dbus_queue_own_name (fixture->queue, NOTIFICATIONS_NAME);
  wait_available (fixture, TRUE);
  g_assert_cmpuint (n_notifies, ==, 3);

  show_ok (fixture, notice);

  g_assert_cmpuint (mock_n_get_capabilities (fixture), ==, 2);
  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 2);
  p1 = mock_get_notify_call (fixture, 0);
  p2 = mock_get_notify_call (fixture, 1);
  parse_notify_call (p1, &c1);
  parse_notify_call (p2, &c2);
  g_assert_cmpuint (g_strv_length (c1.actions), ==, 0);
  g_assert_cmpuint (g_strv_length (c2.actions), ==, 2);
  /* The old server's notifications went with it. */
  g_assert_cmpuint (c2.replaces_id, ==, 0);
}

/* The server goes while a notice is on its way and is there again when the
 * answer comes back (a restart, or D-Bus activation starting a new one):
 * the notice is tried again, not reported "no server" while the notifier
 * says there is one (the agent would keep it owed until its next pass). */
static void
test_desktop_lost_mid_call (BusFixture   *fixture,
                            gconstpointer test_data)
{
  g_autoptr (CcNotice) notice = NULL;
  g_autoptr (CcNotice) again = NULL;
  g_autoptr (GError) error = NULL;

  wait_available (fixture, TRUE);
  g_atomic_int_set (&fixture->fail_notify, 1);
  notice = cc_notice_new ("R6/aa_requested/1/breach/sergeant", CC_NOTICE_BREACH,
                          "R6: appropriate adult not called", "b", 12);
  show_ok (fixture, notice);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_failed), ==, 1);
  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 1);
  /* The new server's capabilities were asked. */
  g_assert_cmpuint (mock_n_get_capabilities (fixture), ==, 2);

  /* A server that keeps failing is not tried for ever: the notice is
   * reported not shown (the agent keeps it owed). */
  g_atomic_int_set (&fixture->fail_notify, 100);
  again = cc_notice_new ("R7/aa_requested/1/breach/sergeant", CC_NOTICE_BREACH,
                         "R7: appropriate adult not called", "b", 13);
  g_assert_false (show_and_wait (fixture, again, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_failed), ==, 1 + 3);
  g_atomic_int_set (&fixture->fail_notify, 0);
}

/* ---- the agent and the desktop backend together ---- */

#define T0 1646748000 /* 2022-03-08T14:00:00Z */
#define M(minutes) ((CcInstant) T0 + (minutes) *60)

/* Three children whose AA is never called: aa_requested is missed at
 * 14:30, 15:30 and 16:30. */
static const char three_children[] =
  "{\"event_id\":\"a1\",\"record_id\":\"R-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-1\",\"appears_under_18\":true}}\n"
  "{\"event_id\":\"a2\",\"record_id\":\"R-1\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:00:00Z\"}\n"
  "{\"event_id\":\"b1\",\"record_id\":\"R-2\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T15:00:00Z\","
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-2\",\"appears_under_18\":true}}\n"
  "{\"event_id\":\"b2\",\"record_id\":\"R-2\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T15:00:00Z\"}\n"
  "{\"event_id\":\"c1\",\"record_id\":\"R-3\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T16:00:00Z\","
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-3\",\"appears_under_18\":true}}\n"
  "{\"event_id\":\"c2\",\"record_id\":\"R-3\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T16:00:00Z\"}\n";

/* How many Notify calls the mock has had for each escalation ("… (escalation
 * N) …" in the body), as "N:count N:count" by id; warnings and markers are
 * not counted.  Also fails if any notice was sent twice. */
static char *
notified_escalations (BusFixture *fixture)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr (GString) out = g_string_new (NULL);
  guint n = mock_n_notify_calls (fixture);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GVariant) parameters = mock_get_notify_call (fixture, i);
      g_auto (NotifyCall) call = { 0 };
      const char      *escalation;
      g_autofree char *text = NULL;

      parse_notify_call (parameters, &call);
      if (g_str_equal (call.summary, "marker"))
        continue;
      /* Nothing shown twice: not a breach, not a warning. */
      text = g_strconcat (call.summary, "\n", call.body, NULL);
      if (g_hash_table_contains (seen, text))
        g_error ("shown twice: %s", text);
      g_hash_table_add (seen, g_steal_pointer (&text));

      escalation = strstr (call.body, "(escalation ");
      if (escalation != NULL)
        {
          guint id = (guint) g_ascii_strtoull (escalation + strlen ("(escalation "), NULL, 10);

          if (counts->len <= id)
            g_array_set_size (counts, id + 1);
          g_array_index (counts, guint, id)++;
        }
    }
  for (guint id = 1; id < counts->len; id++)
    g_string_append_printf (out, "%s%u:%u", out->len > 0 ? " " : "", id, g_array_index (counts, guint, id));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The notification thread handles shows in order: once a marker shown
 * after something has been answered, that something has reached the
 * server, or failed. */
static void
sync_with_server (BusFixture *fixture)
{
  g_autoptr (CcNotice) marker = cc_notice_new ("marker", CC_NOTICE_WARNING, "marker", "", 0);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  show_ok (fixture, marker);
}

static void
agent_pass (CcAgent  *agent,
            CcInstant now)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_agent_process (agent, now, &error));
  g_assert_no_error (error);
}

/* No notification server when the agent starts, one appearing later, the
 * server restarting, and breaches while it is away: every escalation is
 * shown exactly once, by the real desktop backend, on the (mock) bus. */
static void
test_desktop_agent_owed_once (BusFixture   *fixture,
                              gconstpointer test_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = cc_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "custody.db", NULL);
  g_autoptr (CcStore) store = cc_store_open (path, CC_STORE_OPEN_CREATE, &error);
  g_autoptr (CcPolicy) policy = NULL;
  g_autoptr (CcAgent) agent = NULL;
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  /* No climbing in this test: one record per breach. */
  policy = cc_test_policy ("[escalation]\nack_timeout=24h\n[cell_visit]\nenabled=false\n[rest]\nenabled=false\n");
  cc_test_import (store, three_children, M (60 * 24));
  agent = cc_agent_new (store, policy, fixture->notifier, "desk", NULL, CC_LEVEL_SERGEANT);

  /* 14:31, no server: R-1's breach is written and owed. */
  g_assert_false (cc_notifier_get_available (fixture->notifier));
  agent_pass (agent, M (31));
  run_until (cc_agent_get_n_owed (agent) >= 1);
  g_assert_cmpuint (mock_n_notify_calls (fixture), ==, 0);

  /* A server appears: what is owed is shown, once. */
  fixture->name_id = gt_dbus_queue_own_name (fixture->queue, NOTIFICATIONS_NAME);
  wait_available (fixture, TRUE);
  run_until (cc_agent_get_n_owed (agent) == 0);
  sync_with_server (fixture);
  got = notified_escalations (fixture);
  g_assert_cmpstr (got, ==, "1:1");
  g_clear_pointer (&got, g_free);
  agent_pass (agent, M (32));
  sync_with_server (fixture);
  got = notified_escalations (fixture);
  g_assert_cmpstr (got, ==, "1:1");
  g_clear_pointer (&got, g_free);

  /* The server restarts: nothing is shown again; R-2's breach is new. */
  gt_dbus_queue_unown_name (fixture->queue, fixture->name_id);
  wait_available (fixture, FALSE);
  fixture->name_id = gt_dbus_queue_own_name (fixture->queue, NOTIFICATIONS_NAME);
  wait_available (fixture, TRUE);
  sync_with_server (fixture);
  agent_pass (agent, M (91));
  sync_with_server (fixture);
  got = notified_escalations (fixture);
  g_assert_cmpstr (got, ==, "1:1 2:1");
  g_clear_pointer (&got, g_free);

  /* The server goes away, R-3's breach comes while it is away, the agent
   * keeps passing; the server comes back: R-3 once, nothing else. */
  gt_dbus_queue_unown_name (fixture->queue, fixture->name_id);
  fixture->name_id = 0;
  wait_available (fixture, FALSE);
  agent_pass (agent, M (151));
  run_until (cc_agent_get_n_owed (agent) >= 1);
  /* Another pass tries again what is owed (and fails again): still owed.
   * How many are owed at a given moment depends on how far the failed
   * shows have got, so only "some" is checked here; "once each" is the
   * list of what was shown, at the end. */
  agent_pass (agent, M (152));
  run_until (cc_agent_get_n_owed (agent) >= 1);
  fixture->name_id = gt_dbus_queue_own_name (fixture->queue, NOTIFICATIONS_NAME);
  wait_available (fixture, TRUE);
  run_until (cc_agent_get_n_owed (agent) == 0);
  sync_with_server (fixture);
  agent_pass (agent, M (153));
  sync_with_server (fixture);
  got = notified_escalations (fixture);
  g_assert_cmpstr (got, ==, "1:1 2:1 3:1");

  g_clear_pointer (&agent, cc_agent_free);
  g_clear_pointer (&store, cc_store_free);
  cc_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  logged = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/notifier/notice/copy", test_notice_copy);
  g_test_add_func ("/notifier/log/show", test_log_show);

  g_test_add ("/notifier/desktop/breach", BusFixture, &server_with_actions,
              bus_set_up, test_desktop_breach, bus_tear_down);
  g_test_add ("/notifier/desktop/no-action/no-capability", BusFixture,
              &server_without_actions,
              bus_set_up, test_desktop_no_action, bus_tear_down);
  g_test_add ("/notifier/desktop/no-action/no-escalation", BusFixture,
              &server_with_actions,
              bus_set_up, test_desktop_no_action, bus_tear_down);
  g_test_add ("/notifier/desktop/replace", BusFixture, &server_with_actions,
              bus_set_up, test_desktop_replace, bus_tear_down);
  g_test_add ("/notifier/desktop/no-server", BusFixture, &no_server,
              bus_set_up, test_desktop_no_server, bus_tear_down);
  g_test_add ("/notifier/desktop/server-returns", BusFixture,
              &server_without_actions,
              bus_set_up, test_desktop_server_returns, bus_tear_down);
  g_test_add ("/notifier/desktop/lost-mid-call", BusFixture, &server_with_actions,
              bus_set_up, test_desktop_lost_mid_call, bus_tear_down);
  g_test_add ("/notifier/desktop/agent-owed-once", BusFixture, &no_server_with_actions,
              bus_set_up, test_desktop_agent_owed_once, bus_tear_down);

  return g_test_run ();
}
