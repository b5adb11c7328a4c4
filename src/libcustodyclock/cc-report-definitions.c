/* cc-report-definitions.c: the definitions that close the monthly report
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The report's "definitions" section: a sentence for every measure the
 * tables show, for the person who reads the page beside them (and, in
 * the JSON and CSV, keyed by the measure for programs).  Prose, not
 * figures: apart from the tally and the sections because it is read and
 * translated as text, and changes when the wording does.  The thresholds
 * the sentences name are the policy's in force, so that every figure can
 * be checked against the rule it was counted by.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-report-private.h"

/* A definition is read by a person next to the tables, so it is headed by
 * the words the reader sees on the page (@term: the table's label, in the
 * report's language) and says nothing in JSON names; @measure stays, for
 * the programs that read the JSON and the CSV (issue 14 item 16). */
static void
add_definition (CcJsonWriter *b,
                const char   *measure,
                const char   *term,
                const char   *text)
{
  cc_json_writer_begin_object (b);
  cc_json_writer_member_string (b, "measure", measure);
  cc_json_writer_member_string (b, "term", term);
  cc_json_writer_member_string (b, "text", text);
  cc_json_writer_end_object (b);
}

static void
add_definition_take (CcJsonWriter *b,
                     const char   *measure,
                     const char   *term,
                     char         *text /* (transfer full) */)
{
  add_definition (b, measure, term, text);
  g_free (text);
}

/* @sentence, followed by a sentence saying that its clock or rule is off
 * when it is not @enabled. */
static char *
with_switched_off (const char *sentence,
                   gboolean    enabled)
{
  if (enabled)
    return g_strdup (sentence);
  return g_strconcat (sentence, " ", _ ("Switched off in the policy in force: not counted."), NULL);
}

/* One sentence for a clock, with the thresholds in force. */
static char *
clock_definition (const CcPolicy *p,
                  CcClockId       c)
{
  const CcClockPolicy *cp = &p->clocks[c];
  g_autofree char     *due = cc_duration_format (cp->due);
  g_autofree char     *warn = cc_duration_format (cp->warn);
  g_autofree char     *sentence = NULL;

  switch (c)
    {
    case CC_CLOCK_WELFARE_INFORMED:
    case CC_CLOCK_AA_REQUESTED:
    case CC_CLOCK_AA_ARRIVED:
    case CC_CLOCK_HEALTHCARE:
    case CC_CLOCK_ACCOMMODATION_REQUESTED:
    case CC_CLOCK_POST_CHARGE_TRANSFER:
      {
        gboolean post_charge = c == CC_CLOCK_ACCOMMODATION_REQUESTED || c == CC_CLOCK_POST_CHARGE_TRANSFER;

        if (post_charge && cp->warn > 0)
          /* Translators: a clock's definition: %1$s is the clock's name, %2$s and %3$s are durations ("30 min") */
          sentence = g_strdup_printf (_ ("%1$s: from bail refusal; warning after %2$s, due after %3$s."),
                                      cc_clock_display_name (c), warn, due);
        else if (post_charge)
          /* Translators: a clock's definition: %1$s is the clock's name, %2$s a duration ("4 h") */
          sentence = g_strdup_printf (_ ("%1$s: from bail refusal; due after %2$s."), cc_clock_display_name (c), due);
        else if (cp->warn > 0)
          /* Translators: a clock's definition: %1$s is the clock's name, %2$s and %3$s are durations ("30 min");
           * A is the moment detention was authorised */
          sentence = g_strdup_printf (_ ("%1$s: from detention authorised (A); warning after %2$s, due after %3$s."),
                                      cc_clock_display_name (c), warn, due);
        else
          /* Translators: a clock's definition: %1$s is the clock's name, %2$s a duration ("4 h"); A is the moment
           * detention was authorised */
          sentence = g_strdup_printf (_ ("%1$s: from detention authorised (A); due after %2$s."),
                                      cc_clock_display_name (c), due);
        break;
      }
    case CC_CLOCK_REVIEW:
      {
        g_autofree char *first = cc_duration_format (p->review_first);
        g_autofree char *interval = cc_duration_format (p->review_interval);
        g_autofree char *before = cc_duration_format (p->review_warn_before);
        g_autofree char *grace = cc_duration_format (p->review_postponed_grace);

        /* Translators: the review clock's definition: %1$s is the clock's name, %2$s to %5$s are durations
         * ("6 h"); A is the moment detention was authorised */
        sentence = g_strdup_printf (_ ("%1$s (PACE s.40): first due %2$s after A, then %3$s after the previous "
                                       "review or its due time, whichever came first; warning %4$s before; a "
                                       "postponement gives %5$s. Counts are of reviews due."),
                                    cc_clock_display_name (c), first, interval, before, grace);
        break;
      }
    case CC_CLOCK_DETENTION_LIMIT:
      {
        g_autofree char *before = cc_duration_format (p->limit_warn_before);

        /* Translators: the detention limit's definition: %1$s is the clock's name, %2$s a duration ("2 h") */
        sentence = g_strdup_printf (_ ("%1$s (PACE ss.41–44): 24 h from the relevant time, 36 h with a valid "
                                       "superintendent's extension, up to 96 h with warrants, hospital time for "
                                       "treatment not counted; warning %2$s before; met by charge or leaving "
                                       "custody."),
                                    cc_clock_display_name (c), before);
        break;
      }
    case CC_CLOCK_CELL_VISIT:
      {
        g_autofree char *one = cc_duration_format (p->cell_interval);
        g_autofree char *two = cc_duration_format (p->cell_interval_level2);

        /* Translators: the cell-visit clock's definition: %1$s is the clock's name, %2$s and %3$s durations
         * ("1 h") */
        sentence = g_strdup_printf (_ ("%1$s (Code C 9.3): one visit every %2$s at observation level 1, every %3$s "
                                       "at level 2; none expected at levels 3 and 4, at hospital or in interview. "
                                       "Counts are of visits due."),
                                    cc_clock_display_name (c), one, two);
        break;
      }
    case CC_CLOCK_REST:
      {
        g_autofree char *rest = cc_duration_format (p->rest_min);
        g_autofree char *rest_warn = cc_duration_format (p->rest_warn_after);

        /* Translators: the rest clock's definition: %1$s is the clock's name, %2$s and %3$s durations ("8 h");
         * A is the moment detention was authorised */
        sentence = g_strdup_printf (_ ("%1$s (Code C 12.2): %2$s of continuous rest in each 24 h from A; warning %3$s "
                                       "into the 24 h. Counts are of 24-hour periods."),
                                    cc_clock_display_name (c), rest, rest_warn);
        break;
      }
    case CC_N_CLOCKS:
    default:
      g_assert_not_reached ();
    }
  return with_switched_off (sentence, cp->enabled);
}

static const char *
rule_definition (CcRuleId r)
{
  switch (r)
    {
    case CC_RULE_INTERVIEW_WITHOUT_AA:
      return _ ("An interview started without the appropriate adult present and without a superintendent's urgent authority.");
    case CC_RULE_STRIP_SEARCH_WITHOUT_AA:
      return _ ("A strip search without the appropriate adult present, not urgent, and not at the child's request with the AA's agreement.");
    case CC_RULE_STRIP_SEARCH_AUTHORITY:
      return _ ("A strip search authorised below the rank of inspector, or with no rank recorded.");
    case CC_RULE_CHARGED_WITHOUT_AA:
      return _ ("A charge without the appropriate adult present.");
    case CC_RULE_CELL_WITH_ADULT:
      return _ ("The child was moved to a cell with an adult.");
    case CC_RULE_CELL_WITHOUT_REASON:
      return _ ("The child was put in a cell with no reason recorded.");
    case CC_RULE_LA_REFUSED:
      return _ ("The local authority answered a request for accommodation with anything but acceptance.");
    case CC_RULE_CERTIFICATE_MISSING:
      return _ ("The child went to court after bail was refused with neither a transfer nor a PACE s.38(7) certificate.");
    case CC_RULE_CP_REFERRAL_MISSING:
      return _ ("The detention ended with no child-protection referral.");
    case CC_RULE_EXTENSION_INVALID:
      return _ ("A superintendent's extension that fails the test of PACE s.42.");
    case CC_RULE_REVIEW_RANK:
      return _ ("A review before charge by an officer below inspector, or with no rank recorded.");
    case CC_N_RULES:
    default:
      g_assert_not_reached ();
    }
}

void
add_definitions (CcJsonWriter   *b,
                 const CcPolicy *p)
{
  g_autofree char *late = cc_duration_format (p->late_entry);
  g_autofree char *ack = cc_duration_format (p->ack_timeout);

  cc_json_writer_set_member_name (b, "definitions");
  cc_json_writer_begin_array (b);
  add_definition (b, "month", _ ("Which detentions are counted"), _ ("A detention belongs to the month in which the child arrived, in the display time zone. Only children are counted: under 18 at arrival by date of birth, appearing under 18, or of unknown age. Every figure is as it stood when the figures were taken."));
  add_definition (b, "stat", _ ("Median and 90th percentile"), _ ("By the nearest-rank method: of n values in order, the p-th percentile is the value at rank ⌈p·n/100⌉; Values is n; a dash when there were none. Durations are shown in hours and minutes, cut to the minute (the JSON and CSV give them in seconds)."));
  add_definition (b, "summary.children", _ ("Children detained (distinct children)"), _ ("Different children, by the custody system's child reference, among the month's detentions."));
  add_definition (b, "summary.detentions", _ ("Detentions (custody records)"), _ ("Custody records of children whose arrival fell in the month and before the report's instant."));
  add_definition (b, "summary.still_in_custody", _ ("Still in custody when the figures were taken"), _ ("Detentions not yet ended by release, transfer or leaving for court at the report's instant."));
  add_definition (b, "summary.overnight", _ ("Held overnight"), _ ("Detentions with 4 or more consecutive hours in custody between 00:00 and 08:00 local time on any night (to the end of custody, or to the report's instant while still in custody)."));
  add_definition (b, "summary.overnight_post_charge", _ ("Held overnight after bail refusal"), _ ("Of the overnight detentions, those with such 4 hours after bail was refused."));
  add_definition (b, "summary.charged", _ ("Charged"), _ ("Detentions with a charge."));
  add_definition (b, "summary.bail_refused", _ ("Charged and refused bail"), _ ("Detentions in which bail was refused after charge."));
  add_definition (b, "summary.custody_seconds", _ ("Arrival to release, transfer or court (or to when the figures were taken)"), _ ("Time from arrival to release, transfer or leaving for court, or to the report's instant while still in custody."));
  add_definition (b, "headline.aa_arrival_seconds", _ ("Detention authorised to the appropriate adult’s arrival"), _ ("Time from detention authorised (A) to the appropriate adult's arrival, where the AA came; an AA already there at A counts as 0."));
  add_definition (b, "headline.aa_never_arrived", _ ("Appropriate adult never arrived"), _ ("Detentions where no appropriate adult had arrived by the end of custody or the report's instant."));
  add_definition (b, "headline.aa_arrival_bins", _ ("Time from detention authorised to the appropriate adult’s arrival"), _ ("The AA arrival times in bands (each band includes its lower bound), and the detentions where the AA did not arrive."));
  add_definition (b, "headline.healthcare_share", _ ("Seen by a healthcare professional"), _ ("Detentions in which a healthcare professional saw the child, out of those where the healthcare clock started, and as a percentage."));
  add_definition (b, "headline.healthcare_seconds", _ ("Detention authorised to being seen by a healthcare professional"), _ ("Time from A to a healthcare professional seeing the child."));
  add_definition (b, "headline.post_charge_seconds", _ ("Bail refusal to transfer, court or release (hours in a cell after charge)"), _ ("Time in police custody from bail refusal to transfer to local-authority accommodation, court or release, or to the report's instant."));
  add_definition (b, "clocks", _ ("Every clock"), _ ("For each clock, its records by their state when the figures were taken: Met (the duty was done in time), Met late (done after it was due), Breached, never met (due and never done), Ended (custody ended before it was due) and Running (not yet due, warnings included); together they make Started. Breaches counts breach occurrences. The median and 90th percentile run from the clock’s start to the duty done, for detentions where it was done."));
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      g_autofree char *measure = g_strconcat ("clocks.", cc_clock_to_string (c), NULL);
      add_definition_take (b, measure, cc_clock_display_name (c), clock_definition (p, c));
    }
  for (int r = 0; r < CC_N_RULES; r++)
    {
      g_autofree char *measure = g_strconcat ("rules.", cc_rule_to_string (r), NULL);
      g_autofree char *sentence = g_strdup_printf ("%s: %s", cc_rule_display_name (r), rule_definition (r));

      add_definition_take (b, measure, cc_rule_display_name (r), with_switched_off (sentence, p->rules[r].enabled));
    }
  add_definition (b, "post_charge.requested_secure", _ ("Accommodation requested: secure"), _ ("Detentions with a request to the local authority for secure accommodation (non-secure: for other accommodation, or a request that does not say)."));
  add_definition (b, "post_charge.responses", _ ("Local-authority responses"), _ ("Local-authority answers, by outcome (one detention may have several)."));
  add_definition (b, "post_charge.transferred", _ ("Transferred to local-authority accommodation"), _ ("Detentions that ended with transfer to local-authority accommodation."));
  add_definition (b, "post_charge.certificates", _ ("s.38(7) certificates (transfer impracticable)"), _ ("Detentions with a PACE s.38(7) certificate issued."));
  add_definition (b, "post_charge.court_without_certificate", _ ("Went to court from a police cell with no certificate"), _ ("Detentions in which the child went to court from the cell after bail refusal with neither a transfer nor a certificate (the instant rule of that name)."));
  add_definition (b, "post_charge.children", _ ("Time in a police cell after bail refusal, per child"), _ ("Each child refused bail, with the time in police custody from bail refusal to transfer, court or release, or to when the figures were taken while still in custody."));
  add_definition (b, "escalations.raised", _ ("Raised"), _ ("Escalation records of the month’s detentions written by the time the figures were taken, at every level (to a sergeant, an inspector, a superintendent)."));
  add_definition (b, "escalations.acknowledged", _ ("Acknowledged"), _ ("Escalation records acknowledged by the time the figures were taken; Raised to acknowledged runs from a record being written to its acknowledgement."));
  add_definition_take (b, "escalations.climbed", _ ("Breaches that climbed past their first level"),
                       /* Translators: %s is a duration from the policy ("30 min") */
                       g_strdup_printf (_ ("Breaches whose escalation went past its first level because nobody acknowledged it within %s."), ack));
  add_definition (b, "escalations.resolutions", _ ("Resolved, withdrawn and still open"), _ ("Escalation records by how they had ended when the figures were taken: resolved because the duty was done late, resolved because custody ended with the breach standing, withdrawn because a late entry showed the duty was done in time, withdrawn because a change of policy removed the breach, or still open."));
  add_definition (b, "escalations.late_written", _ ("Written late by the monitor"), _ ("Escalation records written more than a minute after the breach, or while the monitor caught up at start-up."));
  add_definition (b, "escalations.write_delay_seconds", _ ("Breach to escalation record written"), _ ("For each breach, from the breach to its first escalation record being written: how far behind the monitor itself was."));
  add_definition (b, "breaches_by_week", _ ("Breaches per week, by clock or rule"), _ ("Breaches by the local week (Monday to Sunday) in which they happened, from the week of the month's first day to the week of its last day or of its detentions' last breach."));
  add_definition (b, "cases", _ ("Every breach"), _ ("One line per breach, in order of time: custody record, suite, rule, occurrence, when, how late (to the duty done, else to the end of custody or the report's instant; none for instant rules), the highest level escalated to, and the first acknowledgement. Child references only: never a name or date of birth."));
  add_definition_take (b, "data_quality.late_entries",
                       _ ("Late entries (keyed more than the policy’s late_entry after the event)"),
                       /* Translators: %s is a duration from the policy ("15 min") */
                       g_strdup_printf (_ ("Entries keyed more than %s after the time they record."), late));
  add_definition (b, "data_quality.corrections", _ ("Corrections"), _ ("Entries that correct or void another, voided entries included (Voided entries: those alone)."));
  add_definition (b, "data_quality.quarantined", _ ("Input refused and quarantined"), _ ("Input lines and rows of the month's detentions that could not count and have not been put right since; for all suites, also input quarantined in the month that belongs to no known record."));
  add_definition (b, "data_quality.age_unknown", _ ("Records with the child’s age unknown"), _ ("Detentions with neither a date of birth nor an entry that the child appears under 18: monitored as children."));
  add_definition (b, "data_quality.missing_authorisation", _ ("Records with no detention authorisation time"), _ ("Detentions with no detention authorised event: their clocks run from arrival."));
  add_definition (b, "data_quality.cell_visits_without_voice", _ ("Cell visits without the child’s voice recorded"), _ ("Cell visits that do not record the child's voice."));
  add_definition (b, "data_quality.events_after_close", _ ("Entries after the child left custody"), _ ("Entries whose time is after the detention ended (a charge, review or response keyed after release, say): kept, but counted by no clock and no figure."));
  add_definition (b, "data_quality.hospital_left_twice", _ ("Hospital departures with no return between"), _ ("A second departure to hospital with no return keyed since the first: the latest departure's purpose is used."));
  add_definition (b, "data_quality.rest_started_twice", _ ("Rests started while a rest was running"), _ ("A second start of rest with no end keyed since the first: ignored, the rest runs from the first start."));
  add_definition (b, "trend", _ ("Trend"), _ ("The headline figures of each of the 12 months ending with this one, computed as for this month at the same instant."));
  add_definition (b, "policy", _ ("Policy in force"), _ ("The policy in force, as custody-clock policy prints it: every threshold above can be checked against it."));
  cc_json_writer_end_array (b);
}
