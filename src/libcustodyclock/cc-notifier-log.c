/* cc-notifier-log.c: notices to the structured log
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Used with --no-notify, and by the escalation tests, which read back
 * what was "shown" instead of talking to a notification server.  Under
 * systemd the log is the journal, where the CUSTODY_CLOCK_* fields let an
 * administrator filter notices (journalctl CUSTODY_CLOCK_NOTICE_KIND=breach).
 *
 * Every notice is logged at MESSAGE level, breaches included: WARNING is
 * for faults of the program, and tests run with G_DEBUG=fatal-warnings.
 */
#include "config.h"

#include "cc-notifier.h"

/* journald's MESSAGE_ID for every notice, so all of them can be found
 * whatever their kind (journalctl MESSAGE_ID=…). */
#define NOTICE_MESSAGE_ID "6f1c2d5e8a9b4c7d9e0f1a2b3c4d5e6f"

struct _CcNotifierLog
{
  GObject    parent_instance;
  GPtrArray *shown; /* (element-type CcNotice) (owned) */
};

enum
{
  PROP_AVAILABLE = 1,
};

static void cc_notifier_log_iface_init (CcNotifierInterface *iface);

G_DEFINE_TYPE_WITH_CODE (CcNotifierLog, cc_notifier_log, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (CC_TYPE_NOTIFIER, cc_notifier_log_iface_init))

static const char *
kind_to_string (CcNoticeKind kind)
{
  switch (kind)
    {
    case CC_NOTICE_WARNING:
      return "warning";
    case CC_NOTICE_BREACH:
      return "breach";
    case CC_NOTICE_RESOLVED:
      return "resolved";
    default:
      g_assert_not_reached ();
    }
}

static void
cc_notifier_log_show (CcNotifier         *notifier,
                      const CcNotice     *notice,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  CcNotifierLog *self = CC_NOTIFIER_LOG (notifier);
  g_autoptr (GTask) task = NULL;
  g_autofree char *escalation = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 notice->escalation_id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_notifier_log_show);

  /* Fields before MESSAGE are plain values; only MESSAGE is a format. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MESSAGE_ID", NOTICE_MESSAGE_ID,
                    "CUSTODY_CLOCK_NOTICE_KIND", kind_to_string (notice->kind),
                    "CUSTODY_CLOCK_NOTICE_KEY", notice->key,
                    "CUSTODY_CLOCK_ESCALATION_ID", escalation,
                    "MESSAGE", "%s%s%s", notice->summary,
                    notice->body != NULL ? ": " : "",
                    notice->body != NULL ? notice->body : "");

  g_ptr_array_add (self->shown, cc_notice_copy (notice));

  /* GTask defers the callback to a later main-context iteration, so the
   * caller never sees it run inside cc_notifier_show(). */
  g_task_return_boolean (task, TRUE);
}

static gboolean
cc_notifier_log_show_finish (CcNotifier   *notifier,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, notifier), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cc_notifier_log_show), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cc_notifier_log_iface_init (CcNotifierInterface *iface)
{
  iface->show = cc_notifier_log_show;
  iface->show_finish = cc_notifier_log_show_finish;
}

static void
cc_notifier_log_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_AVAILABLE:
      /* The log is always there. */
      g_value_set_boolean (value, TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
}

static void
cc_notifier_log_finalize (GObject *object)
{
  CcNotifierLog *self = CC_NOTIFIER_LOG (object);

  g_clear_pointer (&self->shown, g_ptr_array_unref);

  G_OBJECT_CLASS (cc_notifier_log_parent_class)->finalize (object);
}

static void
cc_notifier_log_class_init (CcNotifierLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cc_notifier_log_get_property;
  object_class->finalize = cc_notifier_log_finalize;

  g_object_class_override_property (object_class, PROP_AVAILABLE, "available");
}

static void
cc_notifier_log_init (CcNotifierLog *self)
{
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_notice_free);
}

/**
 * cc_notifier_log_new:
 *
 * Returns: (transfer full): a notifier that writes each notice to the
 *   structured log and always succeeds
 */
CcNotifier *
cc_notifier_log_new (void)
{
  return g_object_new (CC_TYPE_NOTIFIER_LOG, NULL);
}

/**
 * cc_notifier_log_get_shown:
 * @self: a #CcNotifierLog
 *
 * For tests: every notice shown so far, oldest first.
 *
 * Returns: (transfer none) (element-type CcNotice): the notices
 */
GPtrArray *
cc_notifier_log_get_shown (CcNotifierLog *self)
{
  g_return_val_if_fail (CC_IS_NOTIFIER_LOG (self), NULL);

  return self->shown;
}
