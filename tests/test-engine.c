/* test-engine.c: the clocks and rules of clocks.md, one by one
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Records are built by hand, in minutes after T0, and evaluated at chosen
 * instants: no clock is read and nothing sleeps.
 */
#include "config.h"

#include "cc-board.h"
#include "cc-engine.h"
#include "cc-ledger.h"
#include "cc-test-util.h"

#define T0 1641801600 /* 2022-01-10T08:00:00Z, a Monday in winter (GMT) */
#define M(minutes) ((CcInstant) T0 + (minutes) *60)
#define H(hours) M ((hours) *60)

typedef struct
{
  CcLedger *ledger;
  CcPolicy *policy;
  gint64    seq;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->ledger = cc_ledger_new ();
  f->policy = cc_policy_new_default ();
  /* Each test switches on the clocks it is about, so that its expected
   * breaches are exactly those. */
  f->policy->clocks[CC_CLOCK_WELFARE_INFORMED].enabled = FALSE;
  f->policy->clocks[CC_CLOCK_AA_REQUESTED].enabled = FALSE;
  f->policy->clocks[CC_CLOCK_AA_ARRIVED].enabled = FALSE;
  f->policy->clocks[CC_CLOCK_HEALTHCARE].enabled = FALSE;
  f->policy->clocks[CC_CLOCK_CELL_VISIT].enabled = FALSE;
  f->policy->clocks[CC_CLOCK_REST].enabled = FALSE;
}

static void
enable (Fixture  *f,
        CcClockId clock)
{
  f->policy->clocks[clock].enabled = TRUE;
}

static void
enable_one_shot (Fixture *f)
{
  enable (f, CC_CLOCK_WELFARE_INFORMED);
  enable (f, CC_CLOCK_AA_REQUESTED);
  enable (f, CC_CLOCK_AA_ARRIVED);
  enable (f, CC_CLOCK_HEALTHCARE);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  cc_ledger_free (f->ledger);
  cc_policy_unref (f->policy);
}

/* Adds an event at @minutes after T0; @json is its data ("" for none). */
static void
add (Fixture    *f,
     CcEventType type,
     gint64      minutes,
     const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (CcEvent) event = NULL;
  g_autofree char *id = g_strdup_printf ("e-%" G_GINT64_FORMAT, f->seq + 1);
  JsonObject      *data = NULL;

  if (json != NULL && *json != '\0')
    {
      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      data = json_node_get_object (json_parser_get_root (parser));
    }
  event = cc_event_new (type, id, "R", M (minutes), CC_INSTANT_NONE, NULL, data, NULL);
  event->seq = ++f->seq;
  cc_ledger_add_event (f->ledger, event);
}

static void
arrive (Fixture    *f,
        const char *extra)
{
  g_autofree char *json = g_strdup_printf ("{\"suite\":\"West\",\"child\":\"C-1\",\"dob\":\"2008-05-01\"%s%s}",
                                           extra != NULL ? "," : "", extra != NULL ? extra : "");
  add (f, CC_EVENT_ARRIVAL, 0, json);
  add (f, CC_EVENT_DETENTION_AUTHORISED, 0, "");
}

static CcEvaluation *
eval (Fixture  *f,
      CcInstant at)
{
  return cc_engine_evaluate (cc_ledger_get_record (f->ledger, "R"), f->policy, at);
}

static const CcOccurrence *
clock_of (CcEvaluation *ev,
          CcClockId     c)
{
  return &ev->clocks[c].current;
}

/* "rule:occurrence@minutes …" */
static char *
breaches (CcEvaluation *ev)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < ev->breaches->len; i++)
    {
      CcBreach *b = &g_array_index (ev->breaches, CcBreach, i);
      g_string_append_printf (s, "%s%s:%d@%" G_GINT64_FORMAT, i ? " " : "", b->rule, b->occurrence,
                              (b->at - T0) / 60);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
assert_state (CcEvaluation *ev,
              CcClockId     c,
              CcClockState  state)
{
  const CcOccurrence *o = clock_of (ev, c);
  if (o->state != state)
    g_error ("%s: expected %s, got %s (%s)", cc_clock_to_string (c), cc_clock_state_to_string (state),
             cc_clock_state_to_string (o->state), cc_evaluation_get_explain (ev, c));
}

static void
test_one_shot_boundaries (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  enable_one_shot (f);
  arrive (f, NULL);
  add (f, CC_EVENT_AA_REQUESTED, 30, ""); /* exactly at due: met */
  add (f, CC_EVENT_HCP_SEEN, 121, "");    /* a minute late */

  ev = eval (f, M (15)); /* exactly at warn_at: warning */
  assert_state (ev, CC_CLOCK_AA_REQUESTED, CC_STATE_WARNING);
  assert_state (ev, CC_CLOCK_WELFARE_INFORMED, CC_STATE_RUNNING);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_WELFARE_INFORMED)->warn_at, ==, CC_INSTANT_NONE);
  g_assert_cmpint (ev->next_change, ==, M (30));
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, M (60)); /* exactly at due, unsatisfied: breached */
  assert_state (ev, CC_CLOCK_AA_REQUESTED, CC_STATE_MET);
  assert_state (ev, CC_CLOCK_WELFARE_INFORMED, CC_STATE_BREACHED);
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, H (3));
  assert_state (ev, CC_CLOCK_HEALTHCARE, CC_STATE_MET_LATE);
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "welfare_informed:1@60 healthcare:1@120");
}

static void
test_ended_by_close (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  enable_one_shot (f);
  arrive (f, NULL);
  add (f, CC_EVENT_WELFARE_INFORMED, 10, "");
  add (f, CC_EVENT_AA_REQUESTED, 10, "");
  add (f, CC_EVENT_CP_REFERRAL, 50, "");
  add (f, CC_EVENT_RELEASED, 60, "{\"outcome\":\"nfa\"}");

  ev = eval (f, H (10));
  assert_state (ev, CC_CLOCK_AA_ARRIVED, CC_STATE_ENDED);
  assert_state (ev, CC_CLOCK_HEALTHCARE, CC_STATE_ENDED);
  assert_state (ev, CC_CLOCK_DETENTION_LIMIT, CC_STATE_MET);
  assert_state (ev, CC_CLOCK_REVIEW, CC_STATE_ENDED);
  assert_state (ev, CC_CLOCK_POST_CHARGE_TRANSFER, CC_STATE_NOT_STARTED);
  g_assert_false (cc_evaluation_is_open (ev));
  g_assert_cmpint (ev->closed_by, ==, CC_EVENT_RELEASED);
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "");
  g_assert_cmpint (ev->next_change, ==, CC_INSTANT_NONE);
}

static void
test_who_is_a_child (Fixture      *f,
                     gconstpointer data)
{
  struct
  {
    const char *data;
    gboolean    monitored;
    gboolean    unknown;
  } cases[] = {
    { "{\"suite\":\"S\",\"child\":\"C\",\"dob\":\"2004-01-10\"}", FALSE, FALSE }, /* 18 that morning */
    { "{\"suite\":\"S\",\"child\":\"C\",\"dob\":\"2004-01-11\"}", TRUE, FALSE },  /* 18 tomorrow */
    { "{\"suite\":\"S\",\"child\":\"C\",\"appears_under_18\":true}", TRUE, FALSE },
    { "{\"suite\":\"S\",\"child\":\"C\",\"appears_under_18\":false}", FALSE, FALSE },
    { "{\"suite\":\"S\",\"child\":\"C\"}", TRUE, TRUE },
    { "{\"suite\":\"S\",\"child\":\"C\",\"dob\":\"1990-01-01\",\"appears_under_18\":true}", TRUE, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CcLedger) ledger = cc_ledger_new ();
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (CcEvent) event = NULL;
      g_autoptr (CcEvaluation) ev = NULL;

      g_assert_true (json_parser_load_from_data (parser, cases[i].data, -1, NULL));
      event = cc_event_new (CC_EVENT_ARRIVAL, "a", "R", T0, CC_INSTANT_NONE, NULL,
                            json_node_get_object (json_parser_get_root (parser)), NULL);
      event->seq = 1;
      cc_ledger_add_event (ledger, event);
      ev = cc_engine_evaluate (cc_ledger_get_record (ledger, "R"), f->policy, H (2));
      g_assert_cmpint (ev->monitored, ==, cases[i].monitored);
      g_assert_cmpint (ev->age_unknown, ==, cases[i].unknown);
      if (!cases[i].monitored)
        g_assert_cmpuint (ev->breaches->len, ==, 0);
      else
        g_assert_true (ev->authorisation_missing); /* A is the arrival */
    }
}

/* A child who turns 18 during the detention stays monitored. */
static void
test_eighteenth_birthday_in_custody (Fixture      *f,
                                     gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  enable (f, CC_CLOCK_AA_ARRIVED);
  add (f, CC_EVENT_ARRIVAL, 0, "{\"suite\":\"S\",\"child\":\"C\",\"dob\":\"2004-01-11\"}");
  ev = eval (f, H (20)); /* past midnight: 18 now */
  g_assert_true (ev->monitored);
  g_assert_cmpint (ev->age_at_arrival, ==, 17);
  g_assert_cmpint (ev->age, ==, 18);
  assert_state (ev, CC_CLOCK_AA_ARRIVED, CC_STATE_BREACHED);
}

static void
test_review_rank_and_charge (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_REVIEW, 300, "{\"rank\":\"sergeant\"}"); /* before charge: no good */
  add (f, CC_EVENT_REVIEW, 330, "{\"rank\":\"Chief Inspector\"}");
  add (f, CC_EVENT_CHARGED, 400, "{\"aa_present\":true}");
  add (f, CC_EVENT_REVIEW, 800, "{\"rank\":\"police_staff\"}"); /* after charge: custody officer */
  add (f, CC_EVENT_REVIEW, 1300, "{\"rank\":\"constable\"}");   /* not even after charge */

  ev = eval (f, H (30));
  got = breaches (ev);
  /* D1 = 6 h; R1 = 5.5 h → D2 = 14.5 h; R2 = 13 h 20 → D3 = 22 h 20; the
   * constable's review counts for nothing: occurrence 3 breached. */
  g_assert_cmpstr (got, ==, "review_rank:1@300 review:3@1340");
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REVIEW)->occurrence, ==, 3);
  assert_state (ev, CC_CLOCK_REVIEW, CC_STATE_BREACHED);
  assert_state (ev, CC_CLOCK_DETENTION_LIMIT, CC_STATE_MET);
}

/* A run of missed reviews is a run of breaches; a late review satisfies the
 * oldest. */
static void
test_missed_reviews (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;
  GArray          *occ;

  arrive (f, NULL);
  add (f, CC_EVENT_REVIEW, 17 * 60, "{\"rank\":\"inspector\"}");

  ev = eval (f, H (20));
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "review:1@360 review:2@900");
  occ = ev->clocks[CC_CLOCK_REVIEW].occurrences;
  g_assert_cmpuint (occ->len, ==, 3);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 0).state, ==, CC_STATE_MET_LATE);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 1).state, ==, CC_STATE_BREACHED);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 2).due_at, ==, H (24));
  /* The board shows the oldest unsatisfied one. */
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REVIEW)->occurrence, ==, 2);
}

static void
test_detention_limit_hospital (Fixture      *f,
                               gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_HOSPITAL_LEFT, 60, "{\"purpose\":\"medical\"}");
  add (f, CC_EVENT_HOSPITAL_RETURNED, 240, ""); /* 3 h paused */
  add (f, CC_EVENT_HOSPITAL_LEFT, 300, "{\"purpose\":\"medical\",\"questioned\":true}");
  add (f, CC_EVENT_HOSPITAL_RETURNED, 360, ""); /* questioned: counts */
  add (f, CC_EVENT_HOSPITAL_LEFT, 400, "{\"purpose\":\"investigative\"}");
  add (f, CC_EVENT_HOSPITAL_RETURNED, 460, "");                      /* not medical: counts */
  add (f, CC_EVENT_HOSPITAL_LEFT, 600, "{\"purpose\":\"medical\"}"); /* still away at T */

  ev = eval (f, M (660));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (24 + 3 + 1));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->warn_at, ==, H (24));
}

static void
test_extensions (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_REVIEW, 300, "{\"rank\":\"inspector\"}");
  /* Only one review so far, and the wrong rank: invalid twice over. */
  add (f, CC_EVENT_EXTENSION_AUTHORISED, 600, "{\"rank\":\"inspector\",\"until\":\"2022-01-11T20:00:00Z\"}");
  add (f, CC_EVENT_REVIEW, 800, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_EXTENSION_AUTHORISED, 1300, "{\"rank\":\"superintendent\",\"until\":\"2022-01-11T18:00:00Z\"}");

  ev = eval (f, H (23));
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "extension_invalid:1@600 review:3@1340");
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (34)); /* until, under RT + 36 h */
  g_clear_pointer (&ev, cc_evaluation_free);
  g_clear_pointer (&got, g_free);

  /* A warrant runs to its date, at most RT + 96 h. */
  add (f, CC_EVENT_WARRANT_GRANTED, 30 * 60, "{\"until\":\"2022-01-20T08:00:00Z\"}");
  ev = eval (f, H (31));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (96));
}

static void
test_extension_too_late_or_not_indictable (Fixture      *f,
                                           gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, "\"indictable\":false");
  add (f, CC_EVENT_REVIEW, 300, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_REVIEW, 700, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_EXTENSION_AUTHORISED, 1300, "{\"rank\":\"superintendent\",\"until\":\"2022-01-11T18:00:00Z\"}");
  add (f, CC_EVENT_EXTENSION_AUTHORISED, 1500, "{\"rank\":\"superintendent\",\"until\":\"2022-01-11T18:00:00Z\"}");

  ev = eval (f, H (26));
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "review:3@1240 extension_invalid:1@1300 detention_limit:1@1440 extension_invalid:2@1500");
}

static void
test_cell_visits (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;
  GArray          *occ;

  enable (f, CC_CLOCK_CELL_VISIT);
  arrive (f, NULL);
  add (f, CC_EVENT_CELL_VISIT, 60, "");                      /* on the hour: met */
  add (f, CC_EVENT_OBSERVATION_LEVEL, 100, "{\"level\":2}"); /* re-based: due 130 */
  add (f, CC_EVENT_CELL_VISIT, 170, "");                     /* 130 and 160 missed */
  add (f, CC_EVENT_INTERVIEW_STARTED, 180, "{\"aa_present\":true}");
  add (f, CC_EVENT_INTERVIEW_ENDED, 300, "");                /* suspended, then resumes */
  add (f, CC_EVENT_OBSERVATION_LEVEL, 310, "{\"level\":3}"); /* constant observation */
  add (f, CC_EVENT_OBSERVATION_LEVEL, 400, "{\"level\":1}");

  ev = eval (f, M (455));
  assert_state (ev, CC_CLOCK_CELL_VISIT, CC_STATE_RUNNING);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_CELL_VISIT)->occurrence, ==, 7);
  g_assert_cmpint (ev->next_change, ==, M (460));
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, M (470));
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "cell_visit:2@130 cell_visit:3@160 review:1@360 cell_visit:7@460");
  occ = ev->clocks[CC_CLOCK_CELL_VISIT].occurrences;
  g_assert_cmpuint (occ->len, ==, 8);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 0).state, ==, CC_STATE_MET);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 1).due_at, ==, M (130));
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 1).occurrence, ==, 2);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 3).state, ==, CC_STATE_MET);
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 3).satisfied_at, ==, M (170));
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 4).state, ==, CC_STATE_ENDED); /* interview */
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 5).started_at, ==, M (300));
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 5).state, ==, CC_STATE_ENDED); /* level 3 */
  g_assert_cmpint (g_array_index (occ, CcOccurrence, 6).state, ==, CC_STATE_BREACHED);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_CELL_VISIT)->occurrence, ==, 8);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_CELL_VISIT)->due_at, ==, M (520));
  assert_state (ev, CC_CLOCK_CELL_VISIT, CC_STATE_RUNNING);
}

static void
test_rest (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  enable (f, CC_CLOCK_REST);
  arrive (f, NULL);
  add (f, CC_EVENT_REST_STARTED, 14 * 60, "");
  add (f, CC_EVENT_REST_ENDED, 21 * 60, "");   /* 7 h: not enough */
  add (f, CC_EVENT_REST_STARTED, 22 * 60, ""); /* reaches 8 h at 30 h: window 2 */

  ev = eval (f, H (16));
  assert_state (ev, CC_CLOCK_REST, CC_STATE_WARNING);
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, H (29));
  assert_state (ev, CC_CLOCK_REST, CC_STATE_RUNNING);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->occurrence, ==, 2);
  g_assert_cmpint (ev->next_change <= H (30), ==, TRUE);
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, H (31));
  assert_state (ev, CC_CLOCK_REST, CC_STATE_MET);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->satisfied_at, ==, H (30));
  got = breaches (ev);
  g_assert_true (strstr (got, "rest:1@1440") != NULL);
}

static void
test_instant_rules (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_MOVED, 1, "{\"room\":\"cell\",\"reason\":\"  \"}");
  add (f, CC_EVENT_MOVED, 2, "{\"room\":\"detention_room\",\"with_adult\":true}");
  add (f, CC_EVENT_MOVED, 3, "{\"room\":\"cell\",\"reason\":\"no detention room free\"}");
  add (f, CC_EVENT_STRIP_SEARCH, 10, "{\"aa_present\":false,\"authorised_rank\":\"inspector\",\"urgent\":true}");
  add (f, CC_EVENT_STRIP_SEARCH, 11, "{\"child_declined_aa\":true,\"aa_agreed\":true}");
  add (f, CC_EVENT_STRIP_SEARCH, 12, "{\"child_declined_aa\":true,\"authorised_rank\":\"superintendent\"}");
  add (f, CC_EVENT_INTERVIEW_STARTED, 20, "{\"urgent_authorised_rank\":\"superintendent\"}");
  add (f, CC_EVENT_INTERVIEW_ENDED, 21, "");
  add (f, CC_EVENT_INTERVIEW_STARTED, 22, "{\"aa_present\":false,\"urgent_authorised_rank\":\"inspector\"}");
  add (f, CC_EVENT_INTERVIEW_ENDED, 23, "");
  add (f, CC_EVENT_CHARGED, 30, "");
  add (f, CC_EVENT_BAIL_REFUSED, 31, "");
  add (f, CC_EVENT_LA_RESPONSE, 40, "{\"outcome\":\"accepted\"}");
  add (f, CC_EVENT_LA_RESPONSE, 41, "{\"outcome\":\"no_response\"}");
  add (f, CC_EVENT_LEFT_FOR_COURT, 50, "");

  ev = eval (f, H (2));
  got = breaches (ev);
  g_assert_cmpstr (got, ==,
                   "cell_without_reason:1@1 cell_with_adult:1@2 strip_search_authority:1@11 "
                   "strip_search_without_aa:1@12 interview_without_aa:1@22 charged_without_aa:1@30 "
                   "la_refused:1@41 certificate_missing:1@50 cp_referral_missing:1@50");
  assert_state (ev, CC_CLOCK_ACCOMMODATION_REQUESTED, CC_STATE_ENDED);
  assert_state (ev, CC_CLOCK_POST_CHARGE_TRANSFER, CC_STATE_ENDED);
}

static void
test_certificate_and_transfer (Fixture      *f,
                               gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_CHARGED, 30, "{\"aa_present\":true}");
  add (f, CC_EVENT_BAIL_REFUSED, 31, "");
  add (f, CC_EVENT_LA_REQUESTED, 40, "{\"secure\":false}");
  add (f, CC_EVENT_CERTIFICATE_ISSUED, 100, "{\"reason\":\"impracticable\"}");
  add (f, CC_EVENT_CP_REFERRAL, 110, "");
  add (f, CC_EVENT_TRANSFERRED_TO_LA, 200, "");

  ev = eval (f, H (5));
  assert_state (ev, CC_CLOCK_ACCOMMODATION_REQUESTED, CC_STATE_MET);
  assert_state (ev, CC_CLOCK_POST_CHARGE_TRANSFER, CC_STATE_MET);
  g_assert_cmpint (ev->closed_by, ==, CC_EVENT_TRANSFERRED_TO_LA);
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "");
}

static void
test_disabled (Fixture      *f,
               gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  enable_one_shot (f);
  f->policy->clocks[CC_CLOCK_WELFARE_INFORMED].enabled = FALSE;
  f->policy->rules[CC_RULE_CP_REFERRAL_MISSING].enabled = FALSE;
  arrive (f, NULL);
  add (f, CC_EVENT_AA_REQUESTED, 10, "");
  add (f, CC_EVENT_AA_ARRIVED, 20, "");
  add (f, CC_EVENT_HCP_SEEN, 20, "");
  add (f, CC_EVENT_RELEASED, 50, "");

  ev = eval (f, H (3));
  assert_state (ev, CC_CLOCK_WELFARE_INFORMED, CC_STATE_DISABLED);
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "");
}

/* 24 hours is 86 400 seconds, across the autumn change too. */
static void
test_autumn_change (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (CcEvent) arrival = NULL;
  g_autoptr (CcEvaluation) ev = NULL;
  CcInstant at;

  /* 2023-10-28T20:00:00+01:00 */
  g_assert_true (cc_time_parse ("2023-10-28T20:00:00+01:00", NULL, &at, NULL));
  g_assert_true (json_parser_load_from_data (parser, "{\"suite\":\"S\",\"child\":\"C\",\"dob\":\"2008-01-01\"}", -1, NULL));
  arrival = cc_event_new (CC_EVENT_ARRIVAL, "a", "R", at, CC_INSTANT_NONE, NULL,
                          json_node_get_object (json_parser_get_root (parser)), NULL);
  arrival->seq = 1;
  cc_ledger_add_event (ledger, arrival);
  ev = cc_engine_evaluate (cc_ledger_get_record (ledger, "R"), f->policy, at + 3600);
  {
    g_autofree char *due = cc_time_format_local (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, f->policy->tz);
    g_assert_cmpstr (due, ==, "2023-10-29T19:00:00+00:00");
  }
}

/* An event keyed ahead of its time (a writer's clock a few minutes fast)
 * does not count yet, but the agent must wake when its time comes. */
static void
test_future_event_wakes (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_CHARGED, 125, "{\"aa_present\":true}");

  ev = eval (f, M (120));
  g_assert_cmpint (ev->charged_at, ==, CC_INSTANT_NONE);
  g_assert_cmpint (ev->next_change, ==, M (125));
}

/* The engine is pure: the same inputs give the same answer. */
static void
test_deterministic (Fixture      *f,
                    gconstpointer data)
{
  arrive (f, NULL);
  add (f, CC_EVENT_CELL_VISIT, 50, "");
  add (f, CC_EVENT_REVIEW, 200, "{\"rank\":\"inspector\"}");

  for (int i = 0; i < 3; i++)
    {
      g_autoptr (CcEvaluation) a = eval (f, H (12));
      g_autoptr (CcEvaluation) b = eval (f, H (12));
      g_autofree char *ba = breaches (a), *bb = breaches (b);

      g_assert_cmpstr (ba, ==, bb);
      for (int c = 0; c < CC_N_CLOCKS; c++)
        {
          g_assert_cmpint (a->clocks[c].current.state, ==, b->clocks[c].current.state);
          g_assert_cmpstr (cc_evaluation_get_explain (a, c), ==, cc_evaluation_get_explain (b, c));
        }
      g_assert_cmpint (a->next_change, ==, b->next_change);
    }
}

/* Property: the order in which the same events reached the log changes
 * nothing.  The events of the 53-hour case study (scenario 02) and a few
 * more are inserted in random orders (seq = insertion order) and the JSON
 * of every evaluation must be byte-identical at every hour. */
static void
test_insertion_order (Fixture      *f,
                      gconstpointer data)
{
  static const struct
  {
    CcEventType type;
    gint64      minutes;
    const char *json;
  } events[] = {
    { CC_EVENT_ARRIVAL, 0, "{\"suite\":\"Central\",\"child\":\"C-0202\",\"dob\":\"2007-05-10\",\"indictable\":true}" },
    { CC_EVENT_DETENTION_AUTHORISED, 20, "" },
    { CC_EVENT_MOVED, 30, "{\"room\":\"cell\"}" },
    { CC_EVENT_AA_REQUESTED, 40, "{\"aa_type\":\"parent\"}" },
    { CC_EVENT_WELFARE_INFORMED, 50, "" },
    { CC_EVENT_STRIP_SEARCH, 90, "{\"aa_present\":false,\"authorised_rank\":\"sergeant\"}" },
    { CC_EVENT_CELL_VISIT, 100, "" },
    { CC_EVENT_OBSERVATION_LEVEL, 130, "{\"level\":2}" },
    { CC_EVENT_REVIEW, 360, "{\"rank\":\"inspector\"}" },
    { CC_EVENT_AA_ARRIVED, 440, "" },
    { CC_EVENT_INTERVIEW_STARTED, 480, "{\"aa_present\":true}" },
    { CC_EVENT_INTERVIEW_ENDED, 525, "" },
    { CC_EVENT_REST_STARTED, 600, "" },
    { CC_EVENT_REST_ENDED, 1100, "" },
    { CC_EVENT_CHARGED, 840, "{\"aa_present\":true}" },
    { CC_EVENT_BAIL_REFUSED, 850, "" },
    { CC_EVENT_LA_REQUESTED, 860, "{\"secure\":true}" },
    { CC_EVENT_REVIEW, 870, "{\"rank\":\"sergeant\"}" },
    { CC_EVENT_LA_RESPONSE, 930, "{\"outcome\":\"no_bed\"}" },
    { CC_EVENT_REVIEW, 1380, "{\"rank\":\"sergeant\"}" },
    { CC_EVENT_LEFT_FOR_COURT, 3180, "" },
  };
  g_autoptr (GPtrArray) reference = g_ptr_array_new_with_free_func (g_free);

  enable_one_shot (f);
  enable (f, CC_CLOCK_CELL_VISIT);
  enable (f, CC_CLOCK_REST);

  for (int round = 0; round < 40; round++)
    {
      g_autoptr (CcLedger) ledger = cc_ledger_new ();
      guint           order[G_N_ELEMENTS (events)];
      const CcRecord *record;

      for (guint i = 0; i < G_N_ELEMENTS (events); i++)
        order[i] = i;
      for (guint i = G_N_ELEMENTS (events) - 1; round > 0 && i > 0; i--)
        {
          guint j = g_test_rand_int_range (0, i + 1), t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      for (guint i = 0; i < G_N_ELEMENTS (events); i++)
        {
          g_autoptr (JsonParser) parser = json_parser_new ();
          g_autoptr (CcEvent) event = NULL;
          g_autofree char *id = g_strdup_printf ("ev-%u", order[i]);
          JsonObject      *obj = NULL;

          if (*events[order[i]].json != '\0')
            {
              g_assert_true (json_parser_load_from_data (parser, events[order[i]].json, -1, NULL));
              obj = json_node_get_object (json_parser_get_root (parser));
            }
          event = cc_event_new (events[order[i]].type, id, "R", M (events[order[i]].minutes), CC_INSTANT_NONE,
                                NULL, obj, NULL);
          event->seq = i + 1;
          cc_ledger_add_event (ledger, event);
        }
      record = cc_ledger_get_record (ledger, "R");

      for (int hour = 0; hour <= 56; hour++)
        {
          g_autoptr (CcEvaluation) ev = cc_engine_evaluate (record, f->policy, H (hour));
          g_autoptr (JsonNode) node = cc_evaluation_to_json (ev, FALSE);
          char *text = json_to_string (node, FALSE);

          if (round == 0)
            g_ptr_array_add (reference, text);
          else
            {
              g_assert_cmpstr (text, ==, g_ptr_array_index (reference, hour));
              g_free (text);
            }
        }
    }
}

/* clocks.md "Events after close": nothing keyed after the first close is
 * an input, whatever its kind; each is counted in data quality.  An event
 * at the close's own instant still counts. */
static void
test_after_close_no_input (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  enable_one_shot (f);
  enable (f, CC_CLOCK_REST);
  arrive (f, NULL);
  add (f, CC_EVENT_WELFARE_INFORMED, 10, "");
  add (f, CC_EVENT_AA_REQUESTED, 10, "");
  add (f, CC_EVENT_REST_STARTED, 30, "");
  add (f, CC_EVENT_CP_REFERRAL, 90, "");
  add (f, CC_EVENT_RELEASED, 90, "{\"outcome\":\"nfa\"}");
  add (f, CC_EVENT_AA_ARRIVED, 90, "");                     /* at the close: counts */
  add (f, CC_EVENT_HCP_SEEN, 100, "");                      /* would be met_late */
  add (f, CC_EVENT_CHARGED, 110, "");                       /* no AA: no breach */
  add (f, CC_EVENT_REVIEW, 120, "{\"rank\":\"sergeant\"}"); /* no review_rank */
  add (f, CC_EVENT_LA_RESPONSE, 130, "{\"outcome\":\"refused\"}");
  add (f, CC_EVENT_STRIP_SEARCH, 140, "");
  add (f, CC_EVENT_REST_ENDED, 600, ""); /* would make 8 h */
  add (f, CC_EVENT_LEFT_FOR_COURT, 700, "");

  ev = eval (f, H (30));
  g_assert_cmpint (ev->closed_by, ==, CC_EVENT_RELEASED);
  g_assert_cmpint (ev->closed_at, ==, M (90));
  g_assert_cmpint (ev->charged_at, ==, CC_INSTANT_NONE);
  g_assert_cmpuint (ev->dq_after_close, ==, 7);
  assert_state (ev, CC_CLOCK_AA_ARRIVED, CC_STATE_MET);
  assert_state (ev, CC_CLOCK_HEALTHCARE, CC_STATE_ENDED);
  assert_state (ev, CC_CLOCK_DETENTION_LIMIT, CC_STATE_MET);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->satisfied_at, ==, M (90));
  assert_state (ev, CC_CLOCK_REST, CC_STATE_ENDED);
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "");
  g_assert_cmpint (ev->next_change, ==, CC_INSTANT_NONE);
  g_clear_pointer (&ev, cc_evaluation_free);

  /* Counted only once they have happened. */
  ev = eval (f, M (115));
  g_assert_cmpuint (ev->dq_after_close, ==, 2);
}

/* The issue's case: released before the limit, charged after it; the
 * charge must not move the satisfaction past the limit. */
static void
test_after_close_charge (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_REVIEW, 300, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_REVIEW, 840, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_REVIEW, 1380, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_CP_REFERRAL, 1380, "");
  add (f, CC_EVENT_RELEASED, 23 * 60, "{\"outcome\":\"nfa\"}");
  add (f, CC_EVENT_CHARGED, 25 * 60, "{\"aa_present\":true}");

  ev = eval (f, H (28));
  assert_state (ev, CC_CLOCK_DETENTION_LIMIT, CC_STATE_MET);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->satisfied_at, ==, H (23));
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "");
  g_assert_cmpuint (ev->dq_after_close, ==, 1);
}

/* A repeated observation_level with the level in force changes nothing. */
static void
test_cell_visit_same_level (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  enable (f, CC_CLOCK_CELL_VISIT);
  arrive (f, NULL);
  add (f, CC_EVENT_OBSERVATION_LEVEL, 28, "{\"level\":1}"); /* already 1 */
  add (f, CC_EVENT_CELL_VISIT, 60, "");
  add (f, CC_EVENT_OBSERVATION_LEVEL, 70, "{\"level\":2}");  /* re-based: due 100 */
  add (f, CC_EVENT_OBSERVATION_LEVEL, 90, "{\"level\":2}");  /* not a change */
  add (f, CC_EVENT_OBSERVATION_LEVEL, 95, "{\"level\":3}");  /* suspended */
  add (f, CC_EVENT_OBSERVATION_LEVEL, 120, "{\"level\":3}"); /* still suspended */

  ev = eval (f, M (50));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_CELL_VISIT)->due_at, ==, M (60));
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, M (92));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_CELL_VISIT)->occurrence, ==, 2);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_CELL_VISIT)->due_at, ==, M (100));
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, M (200));
  assert_state (ev, CC_CLOCK_CELL_VISIT, CC_STATE_ENDED);
  g_assert_cmpuint (ev->clocks[CC_CLOCK_CELL_VISIT].occurrences->len, ==, 2);
}

/* questioned on a return keyed after the charge: the trip counts in full
 * and the limit and its breach are recomputed. */
static void
test_hospital_questioned_after_charge (Fixture      *f,
                                       gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;
  g_autofree char *got = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_REVIEW, 300, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_HOSPITAL_LEFT, 600, "{\"purpose\":\"medical\"}");
  add (f, CC_EVENT_REVIEW, 840, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_REVIEW, 1380, "{\"rank\":\"inspector\"}");
  add (f, CC_EVENT_CHARGED, 25 * 60, "{\"aa_present\":true}");
  add (f, CC_EVENT_HOSPITAL_RETURNED, 26 * 60, "{\"questioned\":true}");

  ev = eval (f, M (25 * 60 + 30)); /* the trip still under way: paused */
  assert_state (ev, CC_CLOCK_DETENTION_LIMIT, CC_STATE_MET);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (24 + 15));
  g_clear_pointer (&ev, cc_evaluation_free);

  ev = eval (f, H (27));
  assert_state (ev, CC_CLOCK_DETENTION_LIMIT, CC_STATE_MET_LATE);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (24));
  got = breaches (ev);
  g_assert_cmpstr (got, ==, "detention_limit:1@1440");
}

/* Two departures with no return between: the latest one's purpose, and a
 * medical one pauses from its own time. */
static void
test_hospital_left_twice (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  arrive (f, NULL);
  add (f, CC_EVENT_HOSPITAL_LEFT, 600, "{\"purpose\":\"investigative\"}");
  add (f, CC_EVENT_HOSPITAL_LEFT, 720, "{\"purpose\":\"medical\"}");

  ev = eval (f, M (780)); /* out, paused since 720: the limit moves with time */
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (25));
  g_assert_cmpuint (ev->dq_hospital_left_twice, ==, 1);
  g_clear_pointer (&ev, cc_evaluation_free);

  add (f, CC_EVENT_HOSPITAL_RETURNED, 840, "");
  add (f, CC_EVENT_HOSPITAL_LEFT, 900, "{\"purpose\":\"medical\"}");
  add (f, CC_EVENT_HOSPITAL_LEFT, 960, "{\"purpose\":\"investigative\"}"); /* the trip is not medical */
  add (f, CC_EVENT_HOSPITAL_RETURNED, 1020, "");
  ev = eval (f, H (18));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_DETENTION_LIMIT)->due_at, ==, H (26));
  g_assert_cmpuint (ev->dq_hospital_left_twice, ==, 2);
}

/* A second rest_started while a rest runs is ignored: the rest runs from
 * the first start. */
static void
test_rest_started_twice (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  enable (f, CC_CLOCK_REST);
  arrive (f, NULL);
  add (f, CC_EVENT_REST_STARTED, 60, "");
  add (f, CC_EVENT_REST_STARTED, 180, "");       /* ignored */
  add (f, CC_EVENT_REST_ENDED, 9 * 60 + 30, ""); /* 8 h 30 from the first */
  add (f, CC_EVENT_REST_STARTED, 10 * 60, "");   /* a new rest: not flagged */

  ev = eval (f, H (10));
  assert_state (ev, CC_CLOCK_REST, CC_STATE_MET);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->satisfied_at, ==, H (9));
  g_assert_cmpuint (ev->dq_rest_started_twice, ==, 1);
}

/* A rest still running through the next window has given the child that
 * window's rest once it has run 8 hours inside it; one that runs only a
 * few minutes into the next window does not satisfy it (no hour counts
 * twice). */
static void
test_rest_running_through_windows (Fixture      *f,
                                   gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  enable (f, CC_CLOCK_REST);
  arrive (f, NULL);
  add (f, CC_EVENT_REST_STARTED, 60, "");

  ev = eval (f, H (31));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->occurrence, ==, 2);
  assert_state (ev, CC_CLOCK_REST, CC_STATE_RUNNING);
  g_clear_pointer (&ev, cc_evaluation_free);
  ev = eval (f, H (33));
  assert_state (ev, CC_CLOCK_REST, CC_STATE_MET);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->satisfied_at, ==, H (32));
}

static void
test_rest_just_past_window (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (CcEvaluation) ev = NULL;

  enable (f, CC_CLOCK_REST);
  arrive (f, NULL);
  add (f, CC_EVENT_REST_STARTED, 15 * 60, "");
  add (f, CC_EVENT_REST_ENDED, 24 * 60 + 10, "");

  ev = eval (f, H (33));
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->occurrence, ==, 2);
  assert_state (ev, CC_CLOCK_REST, CC_STATE_RUNNING);
  g_assert_cmpint (clock_of (ev, CC_CLOCK_REST)->satisfied_at, ==, CC_INSTANT_NONE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/one-shot-boundaries", test_one_shot_boundaries);
  ADD ("/engine/ended-by-close", test_ended_by_close);
  ADD ("/engine/who-is-a-child", test_who_is_a_child);
  ADD ("/engine/eighteenth-birthday", test_eighteenth_birthday_in_custody);
  ADD ("/engine/review/rank-and-charge", test_review_rank_and_charge);
  ADD ("/engine/review/missed", test_missed_reviews);
  ADD ("/engine/detention-limit/hospital", test_detention_limit_hospital);
  ADD ("/engine/detention-limit/extensions", test_extensions);
  ADD ("/engine/detention-limit/invalid-extensions", test_extension_too_late_or_not_indictable);
  ADD ("/engine/cell-visits", test_cell_visits);
  ADD ("/engine/rest", test_rest);
  ADD ("/engine/instant-rules", test_instant_rules);
  ADD ("/engine/certificate-and-transfer", test_certificate_and_transfer);
  ADD ("/engine/disabled", test_disabled);
  ADD ("/engine/autumn-change", test_autumn_change);
  ADD ("/engine/deterministic", test_deterministic);
  ADD ("/engine/insertion-order", test_insertion_order);
  ADD ("/engine/future-event-wakes", test_future_event_wakes);
  ADD ("/engine/after-close/no-input", test_after_close_no_input);
  ADD ("/engine/after-close/charge", test_after_close_charge);
  ADD ("/engine/cell-visits/same-level", test_cell_visit_same_level);
  ADD ("/engine/detention-limit/questioned-after-charge", test_hospital_questioned_after_charge);
  ADD ("/engine/detention-limit/hospital-left-twice", test_hospital_left_twice);
  ADD ("/engine/rest/started-twice", test_rest_started_twice);
  ADD ("/engine/rest/running-through-windows", test_rest_running_through_windows);
  ADD ("/engine/rest/just-past-window", test_rest_just_past_window);
#undef ADD

  return g_test_run ();
}
