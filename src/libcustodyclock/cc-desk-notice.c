/* cc-desk-notice.c: the text of what the agent shows the desk
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The notifications' wording, apart from the agent's pass (cc-agent.c)
 * and custody-clockd's wiring (main.c), which decide when each is shown:
 * a breach, a catch-up for one child's breaches found after the fact, a
 * resolution, a warning, and that the custody log cannot be written.
 * Pure: each is made from its record, evaluation or error and the display
 * zone, with no store, no clock and no state; the agent keeps what a
 * notice stands for (a catch-up's members) itself.  Decisions:
 *
 *  - A notice names the custody record number, the duty and times in the
 *    display zone; never a name or a date of birth (a notification may be
 *    seen across the desk).
 *  - Each has a stable key (the agent's delivery key), so that a restart
 *    repeats nothing and a second notice of the same key replaces the
 *    first on screen.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-desk-notice.h"
#include "cc-rules.h"

/**
 * cc_desk_notice_breach_key:
 * @escalation_id: the escalation record's number
 *
 * The key of that record's breach notice: what the agent's delivery table
 * remembers it by, so written here only.
 *
 * Returns: (transfer full): "breach/ID"
 */
char *
cc_desk_notice_breach_key (gint64 escalation_id)
{
  return g_strdup_printf ("breach/%" G_GINT64_FORMAT, escalation_id);
}

/**
 * cc_desk_notice_grouped_key:
 * @escalation_id: the escalation record's number
 *
 * The key under which a breach shown in a catch-up notice is remembered
 * as delivered (one of that notice's members).
 *
 * Returns: (transfer full): "grouped/ID"
 */
char *
cc_desk_notice_grouped_key (gint64 escalation_id)
{
  return g_strdup_printf ("grouped/%" G_GINT64_FORMAT, escalation_id);
}

/**
 * cc_desk_notice_breach:
 * @row: the escalation record
 * @tz: the display zone
 *
 * Text a sergeant understands at a glance: the record, what is missed,
 * since when, who it has gone to.  Never a name or a date of birth.
 *
 * Returns: (transfer full): the notice, with the Acknowledge action
 */
CcNotice *
cc_desk_notice_breach (const CcEscalation *row,
                       GTimeZone          *tz)
{
  g_autofree char *key = cc_desk_notice_breach_key (row->id);
  /* Translators: notification summary; %1$s is a custody record number,
   * e.g. "CR-2026-000123", %2$s a duty, e.g. "Appropriate adult called" */
  g_autofree char *summary = g_strdup_printf (_ ("%1$s: %2$s — missed"), row->record_id, cc_breach_rule_display_name (row->rule));
  g_autofree char *since = cc_time_format_relative (row->breached_at, row->raised_at, tz);
  /* Translators: notification body; %1$s is when the duty was missed (e.g.
   * "18:15" or "yesterday 23:40"), %2$s a rank (e.g. "sergeant"), %3$lld and
   * %4$lld the escalation number.  Do not translate the command
   * "custody-clock ack … --officer"; ID stands for the officer's collar or
   * staff number. */
  g_autofree char *body = g_strdup_printf (_ ("Since %1$s. Escalated to %2$s (escalation %3$lld). "
                                              "Acknowledge: custody-clock ack %4$lld --officer ID"),
                                           since, cc_level_display_name (row->level), (long long) row->id,
                                           (long long) row->id);

  return cc_notice_new (key, CC_NOTICE_BREACH, summary, body, row->id);
}

/**
 * cc_desk_notice_catch_up:
 * @missed: (element-type CcEscalation): one child's late breaches, two or
 *   more, in the order of their records
 * @out_members: (out) (transfer full): the delivery keys of the breaches
 *   it stands for (`grouped/ID`)
 *
 * One notice for a child's breaches found after the fact: how many, and
 * which duties, with how to see and acknowledge them.  It has no
 * Acknowledge action (each breach is acknowledged on its own), and it is
 * remembered as shown for each breach it stands for (@out_members).
 *
 * Returns: (transfer full): the notice
 */
CcNotice *
cc_desk_notice_catch_up (GPtrArray *missed,
                         GStrv     *out_members)
{
  const CcEscalation *first = g_ptr_array_index (missed, 0);
  g_autofree char    *key = g_strdup_printf ("catch-up/%s/%" G_GINT64_FORMAT, first->record_id, first->id);
  g_autoptr (GStrvBuilder) members = g_strv_builder_new ();
  g_autoptr (GString) duties = g_string_new (NULL);
  g_autoptr (GPtrArray) rules = g_ptr_array_new ();
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  for (guint i = 0; i < missed->len; i++)
    {
      const CcEscalation *row = g_ptr_array_index (missed, i);
      g_autofree char    *member = cc_desk_notice_grouped_key (row->id);

      g_strv_builder_add (members, member);
      if (!g_ptr_array_find_with_equal_func (rules, row->rule, g_str_equal, NULL))
        g_ptr_array_add (rules, row->rule);
    }
  for (guint r = 0; r < rules->len; r++)
    {
      guint n = 0;

      for (guint i = 0; i < missed->len; i++)
        n += g_str_equal (((const CcEscalation *) g_ptr_array_index (missed, i))->rule, g_ptr_array_index (rules, r));
      if (duties->len > 0)
        /* Translators: between the duties of a catch-up notice's list */
        g_string_append (duties, _ (", "));
      if (n > 1)
        /* Translators: a duty and how many times it was missed, e.g. "Cell visit ×12" */
        g_string_append_printf (duties, _ ("%1$s ×%2$u"), cc_breach_rule_display_name (g_ptr_array_index (rules, r)), n);
      else
        g_string_append (duties, cc_breach_rule_display_name (g_ptr_array_index (rules, r)));
    }
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: notification summary; %1$s is a custody record
                                           * number, %2$u how many duties were missed */
                                          "%1$s: %2$u duty missed while the monitor was not running",
                                          "%1$s: %2$u duties missed while the monitor was not running", missed->len),
                             first->record_id, missed->len);
  /* Translators: notification body; %s lists the duties (e.g. "Cell visit
   * ×12, Rest").  Do not translate the commands. */
  body = g_strdup_printf (_ ("%s. 'custody-clock escalations --open' lists them; acknowledge each with "
                             "'custody-clock ack NUMBER --officer ID'."),
                          duties->str);
  *out_members = g_strv_builder_end (members);
  return cc_notice_new (key, CC_NOTICE_BREACH, summary, body, 0);
}

/**
 * cc_desk_notice_resolved:
 * @row: the escalation record resolved
 * @resolution: how
 *
 * Returns: (transfer full): the notice that the breach is resolved, and why
 */
CcNotice *
cc_desk_notice_resolved (const CcEscalation *row,
                         CcResolution        resolution)
{
  g_autofree char *key = g_strdup_printf ("resolved/%" G_GINT64_FORMAT, row->id);
  /* Translators: notification summary; %1$s is a custody record number,
   * e.g. "CR-2026-000123", %2$s a duty, e.g. "Appropriate adult called" */
  g_autofree char *summary = g_strdup_printf (_ ("%1$s: %2$s — resolved"), row->record_id, cc_breach_rule_display_name (row->rule));
  const char      *body;

  if (resolution == CC_RESOLUTION_SATISFIED)
    body = _ ("The duty has now been done and recorded.");
  else if (resolution == CC_RESOLUTION_CLOSED)
    body = _ ("The child has left police custody.");
  else if (resolution == CC_RESOLUTION_POLICY_CHANGED)
    body = _ ("The policy in force has changed: under it, this is no longer a breach.");
  else
    body = _ ("A late or corrected entry changed when the duty was due: it was not missed at that time.");
  return cc_notice_new (key, CC_NOTICE_RESOLVED, summary, body, 0);
}

/**
 * cc_desk_notice_warning:
 * @ev: the record's evaluation
 * @clock: the clock in warning
 * @tz: the display zone
 *
 * Returns: (transfer full): the notice that a duty falls due soon, with
 *   the engine's explanation as its body
 */
CcNotice *
cc_desk_notice_warning (const CcEvaluation *ev,
                        CcClockId           clock,
                        GTimeZone          *tz)
{
  const CcOccurrence *o = &ev->clocks[clock].current;
  g_autofree char    *key = g_strdup_printf ("warning/%s/%s/%d", ev->record_id, cc_clock_to_string (clock), o->occurrence);
  g_autofree char    *due = cc_time_format_relative (o->due_at, ev->at, tz);
  /* Translators: notification summary; %1$s is a custody record number,
   * e.g. "CR-2026-000123", %2$s a clock, e.g. "Review", %3$s when it is due,
   * e.g. "18:15" or "tomorrow 09:00" */
  g_autofree char *summary = g_strdup_printf (_ ("%1$s: %2$s due at %3$s"), ev->record_id, cc_clock_display_name (clock), due);

  return cc_notice_new (key, CC_NOTICE_WARNING, summary, cc_evaluation_get_explain (ev, clock), 0);
}

/**
 * cc_desk_notice_outage:
 * @message: what went wrong writing the custody log
 * @now: when (on the agent's clock): each outage is a notice of its own
 *
 * While passes fail the desk would hear nothing of the breaches that are
 * not being recorded: this tells it, urgently, what is wrong and what to
 * do meanwhile (custody-clockd shows it when cc_agent_retry_failed() says).
 *
 * Returns: (transfer full): the notice, shown as a breach (critical)
 */
CcNotice *
cc_desk_notice_outage (const char *message,
                       CcInstant   now)
{
  g_autofree char *key = g_strdup_printf ("outage/%" G_GINT64_FORMAT, now);
  /* Translators: the body of an urgent notification; %s is what went wrong
   * writing the custody log */
  g_autofree char *body = g_strdup_printf (_ ("%s. Breaches are not being recorded or escalated until this is "
                                              "fixed; check the children's clocks by hand meanwhile."),
                                           message);

  /* Translators: the summary of an urgent notification */
  return cc_notice_new (key, CC_NOTICE_BREACH, _ ("Custody Clock cannot write to the custody log"), body, 0);
}
