/* cc-notifier.c: how the agent tells a person (interface)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The escalation logic talks to a CcNotifier and never to a notification
 * server, so that it can be tested with the log backend and no D-Bus at
 * all; the desktop backend is tested on its own against a mock server.
 */
#include "config.h"

#include "cc-notifier.h"

/**
 * cc_notice_new:
 * @key: stable identity of what is notified
 * @kind: what it is
 * @summary: one line; never a name or date of birth
 * @body: (nullable): the details
 * @escalation_id: the escalation record to acknowledge, or 0
 *
 * Returns: (transfer full): a new #CcNotice holding copies of the strings
 */
CcNotice *
cc_notice_new (const char  *key,
               CcNoticeKind kind,
               const char  *summary,
               const char  *body,
               gint64       escalation_id)
{
  CcNotice *notice;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (summary != NULL, NULL);
  g_return_val_if_fail (escalation_id >= 0, NULL);

  notice = g_new0 (CcNotice, 1);
  notice->key = g_strdup (key);
  notice->kind = kind;
  notice->summary = g_strdup (summary);
  notice->body = g_strdup (body);
  notice->escalation_id = escalation_id;
  return notice;
}

/**
 * cc_notice_copy:
 * @notice: a #CcNotice
 *
 * Returns: (transfer full): a deep copy of @notice
 */
CcNotice *
cc_notice_copy (const CcNotice *notice)
{
  g_return_val_if_fail (notice != NULL, NULL);

  return cc_notice_new (notice->key, notice->kind, notice->summary,
                        notice->body, notice->escalation_id);
}

/**
 * cc_notice_free:
 * @notice: (transfer full) (nullable): a #CcNotice
 */
void
cc_notice_free (CcNotice *notice)
{
  if (notice == NULL)
    return;
  g_free (notice->key);
  g_free (notice->summary);
  g_free (notice->body);
  g_free (notice);
}

G_DEFINE_INTERFACE (CcNotifier, cc_notifier, G_TYPE_OBJECT)

static void
cc_notifier_default_init (CcNotifierInterface *iface)
{
  /**
   * CcNotifier:available:
   *
   * Whether a notification server is there.  The agent re-sends what it
   * still owes when this becomes %TRUE.
   */
  g_object_interface_install_property (
    iface,
    g_param_spec_boolean ("available", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                            G_PARAM_STATIC_STRINGS));

  /**
   * CcNotifier::acknowledge:
   * @self: the notifier
   * @escalation_id: the escalation record the person acknowledged
   *
   * The person chose Acknowledge on a notification.  Emitted in the
   * main context of the thread that created the notifier.
   */
  g_signal_new ("acknowledge",
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_INT64);
}

/**
 * cc_notifier_show:
 * @self: a #CcNotifier
 * @notice: what to show; copied, so the caller may free it at once
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's thread-default main context when done
 * @user_data: data for @callback
 *
 * Show @notice without blocking.  A second notice with the same key
 * replaces the first.
 */
void
cc_notifier_show (CcNotifier         *self,
                  const CcNotice     *notice,
                  GCancellable       *cancellable,
                  GAsyncReadyCallback callback,
                  gpointer            user_data)
{
  CcNotifierInterface *iface;

  g_return_if_fail (CC_IS_NOTIFIER (self));
  g_return_if_fail (notice != NULL);
  g_return_if_fail (notice->key != NULL && notice->summary != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = CC_NOTIFIER_GET_IFACE (self);
  g_return_if_fail (iface->show != NULL);
  iface->show (self, notice, cancellable, callback, user_data);
}

/**
 * cc_notifier_show_finish:
 * @self: a #CcNotifier
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when a notification server took the notice; %FALSE with
 *   %G_IO_ERROR_NOT_CONNECTED when none was there, or another error
 */
gboolean
cc_notifier_show_finish (CcNotifier   *self,
                         GAsyncResult *result,
                         GError      **error)
{
  CcNotifierInterface *iface;

  g_return_val_if_fail (CC_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = CC_NOTIFIER_GET_IFACE (self);
  g_return_val_if_fail (iface->show_finish != NULL, FALSE);
  return iface->show_finish (self, result, error);
}

/**
 * cc_notifier_get_available:
 * @self: a #CcNotifier
 *
 * Returns: whether a notification server is there, as last seen
 */
gboolean
cc_notifier_get_available (CcNotifier *self)
{
  gboolean available = FALSE;

  g_return_val_if_fail (CC_IS_NOTIFIER (self), FALSE);

  g_object_get (self, "available", &available, NULL);
  return available;
}
