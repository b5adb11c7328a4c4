/* cc-notifier.h: how the agent tells a person (interface)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CC_NOTICE_WARNING,  /* a clock reached its warning: normal urgency */
  CC_NOTICE_BREACH,   /* an escalation record was written: critical */
  CC_NOTICE_RESOLVED, /* the satisfying event arrived: low urgency */
} CcNoticeKind;

/**
 * CcNotice:
 * @key: stable identity of what is notified (the agent's delivery key, e.g.
 *   "WI-SWN-22-0101/aa_arrived/1/breach/inspector"); a second notice with
 *   the same key replaces the first on screen
 * @kind: what it is
 * @summary: one line a sergeant understands at a glance: record number and
 *   what is missed; never a name or date of birth
 * @body: since when, who it has gone to, how to acknowledge
 * @escalation_id: the escalation record to acknowledge, or 0 (no action)
 *
 * Everything a backend needs to show one notification.  Backends show the
 * text as given: composing it (and keeping children's names out of it) is
 * the agent's business.
 */
typedef struct
{
  char        *key;
  CcNoticeKind kind;
  char        *summary;
  char        *body;
  gint64       escalation_id;
} CcNotice;

CcNotice *cc_notice_new (const char  *key,
                         CcNoticeKind kind,
                         const char  *summary,
                         const char  *body,
                         gint64       escalation_id);
CcNotice *cc_notice_copy (const CcNotice *notice);
void      cc_notice_free (CcNotice *notice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcNotice, cc_notice_free)

#define CC_TYPE_NOTIFIER (cc_notifier_get_type ())
G_DECLARE_INTERFACE (CcNotifier, cc_notifier, CC, NOTIFIER, GObject)

/**
 * CcNotifierInterface:
 * @show: show @notice; must not block (the agent's main loop watches every
 *   child); report the outcome with @callback, never by blocking
 * @show_finish: %TRUE when a notification server took it; %FALSE with
 *   %G_IO_ERROR_NOT_CONNECTED (or another error) when none was there, in
 *   which case the agent keeps it owed and shows it when one appears
 *
 * Signals:
 * - "acknowledge" (gint64 escalation_id): the person chose Acknowledge on
 *   a notification (only where the server supports actions)
 * - "available" property (gboolean): whether a server is there; the agent
 *   re-sends what is owed when it becomes %TRUE
 */
struct _CcNotifierInterface
{
  GTypeInterface g_iface;

  void (*show) (CcNotifier         *self,
                const CcNotice     *notice,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data);
  gboolean (*show_finish) (CcNotifier   *self,
                           GAsyncResult *result,
                           GError      **error);
};

void     cc_notifier_show (CcNotifier         *self,
                           const CcNotice     *notice,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data);
gboolean cc_notifier_show_finish (CcNotifier   *self,
                                  GAsyncResult *result,
                                  GError      **error);
gboolean cc_notifier_get_available (CcNotifier *self);

/* The log backend: no server, or --no-notify.  Writes each notice to the
 * structured log (journald under systemd) and always succeeds. */
#define CC_TYPE_NOTIFIER_LOG (cc_notifier_log_get_type ())
G_DECLARE_FINAL_TYPE (CcNotifierLog, cc_notifier_log, CC, NOTIFIER_LOG, GObject)
CcNotifier *cc_notifier_log_new (void);
/* For tests: every notice shown so far, oldest first. */
GPtrArray *cc_notifier_log_get_shown (CcNotifierLog *self);

/* The libnotify backend: desktop notifications through
 * org.freedesktop.Notifications on @connection (the session bus in the
 * agent; a mock bus in tests). */
#define CC_TYPE_NOTIFIER_DESKTOP (cc_notifier_desktop_get_type ())
G_DECLARE_FINAL_TYPE (CcNotifierDesktop, cc_notifier_desktop, CC, NOTIFIER_DESKTOP, GObject)
CcNotifier *cc_notifier_desktop_new (GDBusConnection *connection);

G_END_DECLS
