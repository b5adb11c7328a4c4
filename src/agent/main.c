/* main.c: custody-clockd, the booking-desk agent
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Wiring only: the options, the real clock, one alarm, the file watcher,
 * the signals.  Everything the agent decides is in cc-agent.c; when a
 * failed pass is tried again, when the desk is told of it and when to look
 * again for another writer's commit, in cc-agent-retry.c.
 */
#include "config.h"

#include <math.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <malloc.h>
#include <stdlib.h>

#include "cc-agent.h"
#include "cc-agent-retry.h"
#include "cc-desk-notice.h"
#include "cc-exit.h"
#include "cc-i18n.h"
#include "cc-alarm.h"
#include "cc-notifier.h"
#include "cc-paths.h"
#include "cc-watcher.h"

typedef struct
{
  GMainLoop      *loop;
  CcStore        *store;
  CcAgent        *agent;
  CcNotifier     *notifier;
  CcAlarm        *alarm;
  CcTimeSource   *clock;
  char           *policy_path;
  CcCommitRecheck recheck;
  guint           recheck_id;
  guint           catch_up_id; /* idle source: the first pass's next batch */
  gboolean        ready;       /* "Ready" was logged */
  gboolean        catching_up; /* the first pass has taken more than one step */
  CcAgentRetry   *retry;       /* failed passes: when to try again, tell the desk */
  int             exit_status;
} Daemon;

static void
on_outage_shown (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!cc_notifier_show_finish (CC_NOTIFIER (source), result, &error))
    /* Translators: %s is why the notification could not be shown */
    g_message (_ ("Could not show that the custody log cannot be written: %s"), error->message);
}

/* While passes fail the desk would hear nothing of the breaches that are
 * not being recorded: so when it lasts (cc_agent_retry_failed() says when),
 * it is told once, urgently, what is wrong. */
static void
tell_desk_of_outage (Daemon       *d,
                     const GError *error)
{
  g_autoptr (CcNotice) notice = cc_desk_notice_outage (error->message, cc_time_source_get_now (d->clock));

  cc_notifier_show (d->notifier, notice, NULL, on_outage_shown, NULL);
}

static void run_pass (Daemon *d);

static gboolean
on_catch_up (gpointer user_data)
{
  Daemon *d = user_data;

  d->catch_up_id = 0;
  run_pass (d);
  return G_SOURCE_REMOVE;
}

/* Once, when the first pass has finished or failed (then the alarm is
 * armed for the retry), as before the first pass came in steps. */
static void
say_ready (Daemon *d)
{
  gint64 armed = cc_alarm_get_armed (d->alarm);
  /* Translators: in place of the next wake-up's time: no clock is running */
  g_autofree char *when = armed > 0 ? cc_time_format_utc (armed / G_USEC_PER_SEC) : g_strdup (_ ("nothing due"));

  if (d->ready)
    return;
  d->ready = TRUE;
  /* Translators: %s is the time (RFC 3339) the agent next checks the clocks, or "nothing due" */
  g_message (_ ("Ready; next wake-up: %s"), when);
}

/* One pass, then the alarm for whatever falls due next.  The first pass
 * comes a batch of records at a time (cc_agent_process_step()), each from
 * an idle source of the main loop: SIGTERM and SIGINT (default-priority
 * sources, dispatched before an idle one) are then heard between two
 * batches, and the agent stops there, keeping what the batches wrote.  A
 * file event or an alarm meanwhile only makes the next batch sooner. */
static void
run_pass (Daemon *d)
{
  g_autoptr (GError) error = NULL;
  CcInstant next;
  gboolean  done = TRUE;
  guint     n_failed;

  if (!cc_agent_process_step (d->agent, cc_time_source_get_now (d->clock), &done, &error))
    {
      /* Most likely a writer holding the lock past the busy timeout, or a
       * full disk: nothing is lost (the pass is made again from the same
       * rows), so try again, sooner first (cc-agent-retry.c has the
       * schedule, and when a failure is worth a line of the journal). */
      CcAgentRetryStep step;

      cc_agent_retry_failed (d->retry, cc_time_source_get_time (d->clock), cc_time_source_get_speed (d->clock),
                             error->message, &step);
      if (step.log)
        g_message (g_dngettext (GETTEXT_PACKAGE,
                                /* Translators: %1$s is what went wrong, %2$u in how many seconds
                                 * the agent tries again, %3$u how many attempts have failed */
                                "Could not read or write the custody log (%1$s); trying again in %2$u s (attempt %3$u)",
                                "Could not read or write the custody log (%1$s); trying again in %2$u s (attempt %3$u)",
                                step.delay_s),
                   error->message, step.delay_s, step.attempt);
      if (step.tell_desk)
        tell_desk_of_outage (d, error);
      cc_alarm_arm (d->alarm, step.retry_at_us);
      say_ready (d);
      return;
    }
  if (!done)
    {
      d->catching_up = TRUE;
      if (d->catch_up_id == 0)
        d->catch_up_id = g_idle_add (on_catch_up, d);
      return;
    }
  n_failed = cc_agent_retry_succeeded (d->retry);
  if (n_failed > 0)
    g_message (g_dngettext (GETTEXT_PACKAGE, "The custody log can be read and written again, after %u failed attempt",
                            "The custody log can be read and written again, after %u failed attempts", n_failed),
               n_failed);
  /* Reading rows makes short-lived garbage (JSON parsing); give it back to
   * the system between passes rather than hold it all night. */
  malloc_trim (0);
  next = cc_agent_get_next_wakeup (d->agent);
  if (next == CC_INSTANT_NONE)
    cc_alarm_disarm (d->alarm);
  else
    cc_alarm_arm (d->alarm, next * G_USEC_PER_SEC);
  say_ready (d);
  if (d->catching_up)
    {
      /* Rows committed during a catch-up of several batches were not read
       * by it (it read up to the log's end as it started): a pass now,
       * which reads only those. */
      d->catching_up = FALSE;
      run_pass (d);
    }
}

static void
on_alarm (gboolean clock_changed,
          gpointer user_data)
{
  Daemon *d = user_data;

  if (clock_changed)
    g_message ("%s", _ ("The system clock was changed: checking every clock again"));
  run_pass (d);
}

static gboolean check_for_commit (Daemon *d);

static gboolean
on_recheck (gpointer user_data)
{
  Daemon *d = user_data;

  d->recheck_id = 0;
  check_for_commit (d);
  return G_SOURCE_REMOVE;
}

/* Runs a pass if another connection committed; an unchanged data_version
 * is looked at again a few times, quickly (cc_commit_recheck_next_delay_ms():
 * the file event comes a moment before SQLite publishes the commit).  Only
 * a write starts this; an idle agent does nothing. */
static gboolean
check_for_commit (Daemon *d)
{
  g_autoptr (GError) error = NULL;
  gint64 version;

  if (!cc_store_get_data_version (d->store, &version, &error))
    {
      g_message ("%s", error->message);
      return FALSE;
    }
  g_debug ("data_version %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT, d->recheck.data_version, version);
  if (cc_commit_recheck_seen (&d->recheck, version))
    {
      g_clear_handle_id (&d->recheck_id, g_source_remove);
      run_pass (d);
      return TRUE;
    }
  if (d->recheck_id == 0)
    {
      guint delay = cc_commit_recheck_next_delay_ms (&d->recheck);

      if (delay > 0)
        d->recheck_id = g_timeout_add (delay, on_recheck, d);
    }
  return FALSE;
}

static void
on_watch (CcWatchEvent event,
          gpointer     user_data)
{
  Daemon *d = user_data;

  if (event == CC_WATCH_GONE)
    {
      g_autoptr (GError) error = NULL;

      /* Never watch a dead file: exit non-zero so that systemd restarts
       * the agent on whatever database is there now.  First put what it
       * committed into the file itself, which may have moved, so that no
       * -wal file is left behind at the old path. */
      /* Translators: %s is the database file */
      g_message (_ ("%s was deleted, moved or replaced; stopping so that the agent is restarted on the database now "
                    "there"),
                 cc_store_get_path (d->store));
      if (!cc_store_checkpoint_wal (d->store, &error))
        g_message ("%s", error->message);
      d->exit_status = 1;
      g_main_loop_quit (d->loop);
      return;
    }
  cc_commit_recheck_restart (&d->recheck);
  check_for_commit (d);
}

static gboolean
on_sighup (gpointer user_data)
{
  Daemon *d = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = cc_policy_load (d->policy_path, NULL, &error);

  if (policy == NULL)
    {
      /* Translators: SIGHUP is the signal's name; %s is what is wrong with the policy */
      g_message (_ ("SIGHUP: the new policy is refused and the old one stays: %s"), error->message);
      return G_SOURCE_CONTINUE;
    }
  /* Translators: SIGHUP is the signal's name */
  g_message ("%s", _ ("SIGHUP: policy reloaded"));
  cc_agent_set_policy (d->agent, policy);
  run_pass (d);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_quit (gpointer user_data)
{
  Daemon *d = user_data;

  g_message ("%s", _ ("Stopping"));
  g_main_loop_quit (d->loop);
  return G_SOURCE_CONTINUE;
}

static CcNotifier *
make_notifier (gboolean no_notify)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = NULL;

  if (no_notify)
    return cc_notifier_log_new ();
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      /* Translators: %s is why the session bus could not be reached */
      g_message (_ ("No session bus (%s): notifications go to the log only"), error->message);
      return cc_notifier_log_new ();
    }
  return cc_notifier_desktop_new (bus);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char   *db_path = NULL;
  g_autofree char   *policy_path = NULL;
  g_autofree char   *suite = NULL;
  gboolean           default_id = FALSE;
  g_autofree char   *role_name = NULL;
  g_autofree char   *agent_id = NULL;
  g_autofree char   *start = NULL;
  double             speed = NAN; /* NAN: --speed not given */
  gint64             start_real_us = 0;
  gboolean           no_notify = FALSE;
  gboolean           version = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_ ("Custody log database (default: $CUSTODY_CLOCK_DB, else ~/.local/share/custody-clock/custody.db)"), N_ ("PATH") },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, N_ ("Policy file (default: built-in, overlaid by /etc and ~/.config files)"), N_ ("PATH") },
    { "suite", 0, 0, G_OPTION_ARG_STRING, &suite, N_ ("Notify only this custody suite's records"), N_ ("SUITE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, N_ ("sergeant (default), inspector or superintendent: notify escalations at this level and above"), N_ ("ROLE") },
    { "no-notify", 0, 0, G_OPTION_ARG_NONE, &no_notify, N_ ("Write notifications to the log instead of the desktop"), NULL },
    { "agent-id", 0, 0, G_OPTION_ARG_STRING, &agent_id, N_ ("This desk's name, under which what it has shown is remembered (default: host, user, role and suite)"), N_ ("ID") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, N_ ("Run the clock this many times faster than real time, for demonstrations (default 1)"), N_ ("FACTOR") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_ ("With --speed: the time the clock starts from (RFC 3339; default now)"), N_ ("TIME") },
    { "start-real-us", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &start_real_us, "The real time (µs) at which --start holds, to share one clock with the demonstration", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcPolicy) policy = NULL;
  g_autoptr (CcNotifier) notifier = NULL;
  g_autoptr (CcAgent) agent = NULL;
  g_autoptr (CcTimeSource) clock = NULL;
  g_autoptr (CcAlarm) alarm = NULL;
  g_autoptr (CcWatcher) watcher = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (CcAgentRetry) retry = cc_agent_retry_new ();
  Daemon  d = { 0 };
  gint64  data_version = 0;
  CcLevel role = CC_LEVEL_SERGEANT;

  /* The desktop session's language: the systemd user manager and XDG
   * autostart hand the agent the session's LANG and LANGUAGE. */
  cc_i18n_init ();
  g_set_prgname ("custody-clockd");

  g_option_context_set_summary (context, _ ("Watches the custody log and tells the desk when a child's clock needs action."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("custody-clockd: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("custody-clockd %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (role_name != NULL)
    {
      role = cc_level_from_string (role_name);
      if ((int) role < 0)
        {
          /* Translators: sergeant, inspector and superintendent are the
           * values --role accepts and stay as they are */
          g_printerr (_ ("custody-clockd: --role %s: expected sergeant, inspector or superintendent\n"), role_name);
          return 2;
        }
    }
  /* A clock started at another time but running at real speed would put
   * the agent at a time that is not the desk's: a real log's events would
   * look hours ahead or behind.  --start is for demonstrations only, so it
   * comes with --speed, as its help says. */
  if (start != NULL && isnan (speed))
    {
      /* Translators: --start and --speed are option names and stay as they are */
      g_printerr (_ ("custody-clockd: --start needs --speed: a clock set to another time is only for "
                     "demonstrations; without both the agent keeps this machine's time\n"));
      return 2;
    }
  if (isnan (speed))
    speed = 1.0;
  else if (!(speed >= 1.0 && speed <= 100000.0))
    {
      /* Translators: %g is the factor given with --speed */
      g_printerr (_ ("custody-clockd: --speed %g: expected a factor from 1 to 100000\n"), speed);
      return 2;
    }
  if (start != NULL || speed != 1.0)
    {
      CcInstant start_at = cc_time_source_machine_now ();

      if (start != NULL && !cc_time_parse (start, NULL, &start_at, &error))
        {
          /* not translated: the program's and the option's names, the value given and the error */
          g_printerr ("custody-clockd: --start %s: %s\n", start, error->message);
          return 2;
        }
      clock = cc_time_source_new_scaled (start_at * G_USEC_PER_SEC, speed,
                                         start_real_us > 0 ? start_real_us : cc_time_source_machine_time_us ());
    }
  else
    clock = cc_time_source_new ();
  if (db_path == NULL)
    db_path = cc_paths_default_database ();
  default_id = agent_id == NULL;
  if (agent_id == NULL)
    agent_id = g_strdup_printf ("%s:%s:%s%s%s", g_get_host_name (), g_get_user_name (), cc_level_to_string (role),
                                suite != NULL ? ":" : "", suite != NULL ? suite : "");

  policy = cc_policy_load (policy_path, NULL, &error);
  if (policy == NULL)
    {
      g_printerr ("custody-clockd: %s\n", error->message);
      return cc_exit_code_for_error (error);
    }
  /* Only `custody-clock init` creates a log: a mistyped --db made here would
   * be an empty file watched all night with "Ready" in the journal while the
   * real log went unread.  A missing log is exit 66 with the init hint, and
   * systemd's Restart= tries again once it exists.  Every error exits with
   * the command line's code for it (cc-exit.c). */
  store = cc_store_open (db_path, CC_STORE_OPEN_NONE, &error);
  if (store == NULL)
    {
      g_printerr ("custody-clockd: %s\n", error->message);
      return cc_exit_code_for_error (error);
    }
  /* A desk watching a suite the log does not name would watch nobody and
   * say nothing: resolve the name (any case) to the log's spelling, or
   * stop at start with the suites there are (issue 14 item 8).  The
   * default identity is made again with that spelling, so "swindon" and
   * "Swindon" are one desk. */
  if (suite != NULL)
    {
      char *stored = NULL;

      if (!cc_store_resolve_suite (store, suite, &stored, &error))
        {
          g_printerr ("custody-clockd: --suite: %s\n", error->message);
          return g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE) ? CC_EXIT_USAGE
                                                                                   : cc_exit_code_for_error (error);
        }
      if (default_id)
        {
          g_free (agent_id);
          agent_id = g_strdup_printf ("%s:%s:%s:%s", g_get_host_name (), g_get_user_name (),
                                      cc_level_to_string (role), stored);
        }
      g_free (suite);
      suite = stored;
    }
  /* The knob HACKING.md documents for tests and scripts, honoured here as
   * in the CLI: a shorter wait for another writer's lock makes a pass
   * fail, and be retried, sooner. */
  {
    const char *timeout = g_getenv ("CUSTODY_CLOCK_BUSY_TIMEOUT_MS");

    if (timeout != NULL && *timeout != '\0')
      cc_store_set_busy_timeout (store, (int) g_ascii_strtoll (timeout, NULL, 10));
  }

  loop = g_main_loop_new (NULL, FALSE);
  notifier = make_notifier (no_notify);
  agent = cc_agent_new (store, policy, notifier, agent_id, suite, role);
  cc_agent_set_clock (agent, clock);
  d.loop = loop;
  d.store = store;
  d.agent = agent;
  d.notifier = notifier;
  d.policy_path = policy_path;
  d.clock = clock;
  d.retry = retry;
  alarm = cc_alarm_new (clock, on_alarm, &d);
  d.alarm = alarm;

  watcher = cc_watcher_new (db_path, on_watch, &d, &error);
  if (watcher == NULL)
    {
      /* Translators: %1$s is the database file, %2$s what went wrong */
      g_printerr (_ ("custody-clockd: cannot watch %1$s: %2$s\n"), db_path, error->message);
      return cc_exit_code_for_error (error);
    }
  cc_store_get_data_version (store, &data_version, NULL);
  cc_commit_recheck_init (&d.recheck, data_version);

  g_unix_signal_add (SIGHUP, on_sighup, &d);
  g_unix_signal_add (SIGTERM, on_quit, &d);
  g_unix_signal_add (SIGINT, on_quit, &d);

  /* Translators: %1$s is the database file, %2$s the desk's name (--agent-id) */
  g_message (_ ("Watching %1$s as %2$s"), db_path, agent_id);
  if (cc_time_source_get_speed (clock) != 1.0)
    {
      g_autofree char *now = cc_time_format_utc (cc_time_source_get_now (clock));
      /* Translators: %1$g is how many times faster than real time the clock
       * runs, %2$s the time on it now (RFC 3339) */
      g_message (_ ("Demonstration clock: %1$g× real time, now %2$s"), speed, now);
    }
  /* The first pass catches up on what happened while no agent ran: its
   * first batch now, the others from the main loop (run_pass()). */
  run_pass (&d);
  g_main_loop_run (loop);
  g_clear_handle_id (&d.catch_up_id, g_source_remove);
  return d.exit_status;
}
