/* test-agent-pass.c: the agent's pass (cc-agent.c): escalation records up
 * the ladder, acknowledgements, resolutions, catch-up, the working set, and
 * the disk filling up
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Time is an argument everywhere here: the agent is driven pass by pass
 * with the instants a test chooses, and the log notifier records what a
 * desk would have been shown.  Nothing sleeps.  (It was test-escalator.c,
 * but every test drives cc_agent_process(): the pure plan of cc-escalator.c
 * is reached through the pass, with evaluations the engine made.  The real
 * custody-clockd as a process: test-agentd.c.)
 */
#include "config.h"

#include "cc-agent.h"
#include "cc-escalator.h"
#include "cc-ledger.h"
#include "cc-notifier.h"
#include "cc-test-util.h"

#define T0 1646748000 /* 2022-03-08T14:00:00Z */
#define M(minutes) ((CcInstant) T0 + (minutes) *60)

/* cc_test_one_child: aa_requested is due at 14:30 (sergeant), aa_arrived
 * at 18:00 (inspector). */

/* The tests drive the pass without cell visits and rest, whose breaches
 * would crowd the ladder's. */
#define NO_VISITS "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n"

typedef CcTestDb Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  cc_test_db_open (f, "custody.db", NO_VISITS);
}

static void
import (Fixture    *f,
        const char *text)
{
  cc_test_import (f->store, text, M (60 * 24 * 30));
}

/* The escalation records, as "rule:level[:ack][:resolution][:late]" by id. */
static char *
rows (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = cc_store_list_escalations (f->store, FALSE, &error);
  g_autoptr (GString) s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      CcEscalation *e = g_ptr_array_index (all, i);
      g_string_append_printf (s, "%s%s:%s%s%s%s%s", i ? " " : "", e->rule, cc_level_to_string (e->level),
                              e->acknowledged_at != CC_INSTANT_NONE ? ":ack" : "",
                              e->resolution != CC_RESOLUTION_NONE ? ":" : "",
                              e->resolution != CC_RESOLUTION_NONE ? cc_resolution_to_string (e->resolution) : "",
                              e->late ? ":late" : "");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static CcAgent *
agent_new (Fixture    *f,
           CcNotifier *notifier,
           const char *id,
           CcLevel     role)
{
  return cc_agent_new (f->store, f->policy, notifier, id, NULL, role);
}

static void
pass (CcAgent  *agent,
      CcInstant now)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cc_agent_process (agent, now, &error));
  g_assert_no_error (error);
  /* Let the notifier's asynchronous completions run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
shown (CcNotifier *notifier)
{
  return cc_notifier_log_get_shown (CC_NOTIFIER_LOG (notifier))->len;
}

static const CcNotice *
shown_at (CcNotifier *notifier,
          guint       i)
{
  return g_ptr_array_index (cc_notifier_log_get_shown (CC_NOTIFIER_LOG (notifier)), i);
}

/* A breach gets one record at its first level, on time; the ladder climbs
 * every ack_timeout until the top; the next climb is the next wake-up. */
static void
test_ladder (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autofree char *got = NULL;

  import (f, cc_test_one_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);

  pass (agent, M (20)); /* nothing due yet; the warning at 14:15 has passed */
  got = rows (f);
  g_assert_cmpstr (got, ==, "");
  g_assert_cmpint (cc_agent_get_next_wakeup (agent), ==, M (30));
  g_assert_cmpuint (shown (notifier), ==, 1);
  g_assert_cmpint (shown_at (notifier, 0)->kind, ==, CC_NOTICE_WARNING);
  g_assert_nonnull (strstr (shown_at (notifier, 0)->summary, "R-1"));
  g_clear_pointer (&got, g_free);

  pass (agent, M (30)); /* due: the sergeant's record, at once */
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant");
  g_assert_cmpint (cc_agent_get_next_wakeup (agent), ==, M (45));
  g_assert_cmpuint (shown (notifier), ==, 2);
  g_assert_cmpint (shown_at (notifier, 1)->kind, ==, CC_NOTICE_BREACH);
  g_assert_cmpstr (shown_at (notifier, 1)->summary, ==, "R-1: Appropriate adult called — missed");
  g_assert_nonnull (strstr (shown_at (notifier, 1)->body, "Escalated to sergeant"));
  g_assert_null (strstr (shown_at (notifier, 1)->body, "2010-09-01"));
  g_clear_pointer (&got, g_free);

  pass (agent, M (44));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant");
  g_clear_pointer (&got, g_free);

  pass (agent, M (45)); /* unacknowledged for 15 min: the inspector */
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant aa_requested:inspector");
  g_clear_pointer (&got, g_free);

  pass (agent, M (60));
  pass (agent, M (75));
  pass (agent, M (200)); /* the top of the ladder: no further */
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant aa_requested:inspector aa_requested:superintendent");
}

static void
test_acknowledge_stops_climb (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *got = NULL;

  import (f, cc_test_one_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (30));
  g_assert_true (cc_store_acknowledge (f->store, 1, "PS 1234", "calling the AA scheme", M (35), &error));
  g_assert_no_error (error);
  /* History is not rewritten. */
  g_assert_false (cc_store_acknowledge (f->store, 1, "PS 9", NULL, M (36), &error));
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_REFUSED);
  g_clear_error (&error);

  pass (agent, M (120));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:ack");
}

/* The satisfying event resolves the records; a close resolves the rest. */
static void
test_resolution (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autofree char *got = NULL;
  guint            before;

  import (f, cc_test_one_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (30));
  import (f, "{\"event_id\":\"a6\",\"record_id\":\"R-1\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:40:00Z\"}\n");
  before = shown (notifier);
  pass (agent, M (41));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:satisfied");
  g_assert_cmpuint (shown (notifier), ==, before + 1);
  g_assert_cmpint (shown_at (notifier, before)->kind, ==, CC_NOTICE_RESOLVED);
  g_clear_pointer (&got, g_free);

  pass (agent, M (240)); /* AA has not arrived: the inspector's record */
  import (f, "{\"event_id\":\"a7\",\"record_id\":\"R-1\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T18:30:00Z\"}\n");
  pass (agent, M (271));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:satisfied aa_arrived:inspector:closed");
}

/* A late entry shows the duty was done in time: the breach disappears from
 * the timeline and its records are withdrawn, not deleted. */
static void
test_withdrawn_late_entry (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autofree char *got = NULL;

  import (f, cc_test_one_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (25));
  pass (agent, M (30));
  pass (agent, M (45));
  import (f, "{\"event_id\":\"a6\",\"record_id\":\"R-1\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:20:00Z\","
             "\"recorded_at\":\"2022-03-08T14:52:00Z\"}\n");
  pass (agent, M (53));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:withdrawn_late_entry aa_requested:inspector:withdrawn_late_entry");

  /* The breach climbed to two levels; the desk is told once that it is
   * resolved, not once per level. */
  {
    guint n_resolved = 0;
    for (guint i = 0; i < shown (notifier); i++)
      n_resolved += shown_at (notifier, i)->kind == CC_NOTICE_RESOLVED;
    g_assert_cmpuint (n_resolved, ==, 1);
  }
}

/* The arrival is keyed and the detention authorisation only later, as a
 * late entry: the breach of aa_requested counted from the arrival is
 * withdrawn, and when the new due time (from the authorisation) passes
 * with no AA called, that is a breach of its own: it is written, shown and
 * climbs, and a restart writes nothing twice. */
static void
test_due_moved_later (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autofree char *got = NULL;
  guint            n_breach_notices = 0;

  import (f, "{\"event_id\":\"a1\",\"record_id\":\"R-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
             "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-1\",\"dob\":\"2010-09-01\"}}\n"
             "{\"event_id\":\"a3\",\"record_id\":\"R-1\",\"type\":\"welfare_informed\",\"occurred_at\":\"2022-03-08T14:05:00Z\"}\n"
             "{\"event_id\":\"a4\",\"record_id\":\"R-1\",\"type\":\"hcp_seen\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n");
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (31));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant");
  g_clear_pointer (&got, g_free);

  import (f, "{\"event_id\":\"a2\",\"record_id\":\"R-1\",\"type\":\"detention_authorised\","
             "\"occurred_at\":\"2022-03-08T14:20:00Z\",\"recorded_at\":\"2022-03-08T14:32:00Z\"}\n");
  pass (agent, M (32));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:withdrawn_late_entry");
  g_clear_pointer (&got, g_free);
  /* The next wake-up is the new due time, 14:50. */
  g_assert_cmpint (cc_agent_get_next_wakeup (agent), <=, M (50));

  pass (agent, M (50));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:withdrawn_late_entry aa_requested:sergeant");
  g_clear_pointer (&got, g_free);
  pass (agent, M (65));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:withdrawn_late_entry aa_requested:sergeant aa_requested:inspector");
  g_clear_pointer (&got, g_free);
  for (guint i = 0; i < shown (notifier); i++)
    n_breach_notices += shown_at (notifier, i)->kind == CC_NOTICE_BREACH;
  g_assert_cmpuint (n_breach_notices, ==, 3); /* 14:30 (withdrawn), 14:50, its climb */

  /* Another agent, or this one restarted: nothing is written twice. */
  g_clear_pointer (&agent, cc_agent_free);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (66));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:withdrawn_late_entry aa_requested:sergeant aa_requested:inspector");
}

/* A policy reload that moves a due time later withdraws the breach as
 * policy_changed (no entry was made); the breach at the new due time is
 * written when it comes.  The same after a restart with the changed policy
 * file: the agent remembers the policy it ran under. */
static void
test_policy_changed (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autoptr (CcPolicy) looser = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *got = NULL;
  gboolean         restart = GPOINTER_TO_INT (data);

  looser = cc_policy_load_data (f->policy, "[aa_requested]\nbreach_after=45m\n", -1, "looser", NULL, &error);
  g_assert_no_error (error);
  import (f, cc_test_one_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (31));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant");
  g_clear_pointer (&got, g_free);

  if (restart)
    {
      g_clear_pointer (&agent, cc_agent_free);
      agent = cc_agent_new (f->store, looser, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
    }
  else
    cc_agent_set_policy (agent, looser);
  pass (agent, M (32));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:policy_changed");
  g_clear_pointer (&got, g_free);
  /* The desk is told what happened: the policy, not an entry. */
  {
    guint n_resolved = 0;

    for (guint i = 0; i < shown (notifier); i++)
      if (shown_at (notifier, i)->kind == CC_NOTICE_RESOLVED)
        {
          g_assert_nonnull (strstr (shown_at (notifier, i)->body, "policy"));
          n_resolved++;
        }
    g_assert_cmpuint (n_resolved, ==, 1);
  }

  pass (agent, M (45));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:policy_changed aa_requested:sergeant");
  g_clear_pointer (&got, g_free);

  /* A late entry after that is a late entry again. */
  import (f, "{\"event_id\":\"a6\",\"record_id\":\"R-1\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:20:00Z\","
             "\"recorded_at\":\"2022-03-08T14:52:00Z\"}\n");
  pass (agent, M (53));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:policy_changed aa_requested:sergeant:withdrawn_late_entry");
}

/* An agent starting on a log with overdue duties shows one notice a child
 * for what it finds after the fact, not one a breach; a restart shows
 * nothing again; a breach on time afterwards is shown on its own. */
static void
test_catch_up_grouped (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autoptr (CcPolicy) visits = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *second = NULL;
  guint            n_breach = 0;
  guint            before;

  visits = cc_test_policy ("[rest]\nenabled=false\n");
  /* A second child, R-2, with the same events. */
  {
    g_auto (GStrv) by_record = g_strsplit (cc_test_one_child, "\"R-1\"", -1);
    g_autofree char *renamed = g_strjoinv ("\"R-2\"", by_record);
    g_auto (GStrv) by_id = g_strsplit (renamed, "\"event_id\":\"a", -1);

    second = g_strjoinv ("\"event_id\":\"b", by_id);
  }
  import (f, cc_test_one_child);
  import (f, second);

  /* 18:10: for each child, aa_requested (14:30), four hourly cell visits
   * (15:00 to 18:00) and aa_arrived (18:00) were missed. */
  agent = cc_agent_new (f->store, visits, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
  pass (agent, M (250));
  for (guint i = 0; i < shown (notifier); i++)
    if (shown_at (notifier, i)->kind == CC_NOTICE_BREACH)
      {
        const CcNotice *n = shown_at (notifier, i);

        n_breach++;
        g_assert_nonnull (strstr (n->summary, "6 duties missed while the monitor was not running"));
        g_assert_nonnull (strstr (n->body, "Cell visit ×4"));
        g_assert_cmpint (n->escalation_id, ==, 0);
      }
  g_assert_cmpuint (n_breach, ==, 2);

  /* A restart repeats nothing. */
  g_clear_pointer (&agent, cc_agent_free);
  before = shown (notifier);
  agent = cc_agent_new (f->store, visits, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
  pass (agent, M (251));
  for (guint i = before; i < shown (notifier); i++)
    g_assert_cmpint (shown_at (notifier, i)->kind, !=, CC_NOTICE_BREACH);

  /* The 19:00 visit missed, seen on time: a notice of its own, which can
   * be acknowledged, for each child. */
  before = shown (notifier);
  pass (agent, M (300));
  n_breach = 0;
  for (guint i = before; i < shown (notifier); i++)
    if (shown_at (notifier, i)->kind == CC_NOTICE_BREACH && shown_at (notifier, i)->escalation_id > 0 &&
        strstr (shown_at (notifier, i)->summary, "Cell visit") != NULL)
      n_breach++;
  g_assert_cmpuint (n_breach, ==, 2);
}

/* Start-up after a gap: what was missed gets its records at once, marked
 * late, and closed records' are resolved; a restart repeats nothing. */
static void
test_catch_up_and_restart (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcNotifier) notifier2 = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autoptr (CcAgent) again = NULL;
  g_autofree char *got = NULL;

  import (f, cc_test_one_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (100));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:late");
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&agent, cc_agent_free);

  /* The same desk restarted: no new records, nothing shown twice. */
  again = agent_new (f, notifier2, "desk", CC_LEVEL_SERGEANT);
  pass (again, M (100));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant:late");
  g_assert_cmpuint (shown (notifier2), ==, 0);
}

/* A child released at 14:20 with every duty done. */
static const char settled_child[] =
  "{\"event_id\":\"b1\",\"record_id\":\"R-2\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
  "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-2\",\"dob\":\"2009-01-01\"}}\n"
  "{\"event_id\":\"b2\",\"record_id\":\"R-2\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:00:00Z\"}\n"
  "{\"event_id\":\"b3\",\"record_id\":\"R-2\",\"type\":\"cp_referral\",\"occurred_at\":\"2022-03-08T14:05:00Z\"}\n"
  "{\"event_id\":\"b4\",\"record_id\":\"R-2\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T14:20:00Z\","
  "\"data\":{\"outcome\":\"nfa\"}}\n";

/* The agent holds only records that can still change: a closed record with
 * nothing open is let go, a late entry for it brings it back (and what the
 * entry reveals is escalated), and a restarted agent reads the open
 * records and whatever the checkpoint has not covered, not the whole log. */
static void
test_working_set (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = NULL;
  g_autoptr (CcAgent) again = NULL;
  g_autofree char *got = NULL;
  const CcInstant  days_later = M (60 * 24 * 3);

  import (f, cc_test_one_child);
  import (f, settled_child);
  agent = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (agent, M (100));
  g_assert_cmpuint (cc_agent_get_n_held (agent), ==, 1); /* R-1; R-2 is settled */

  /* A late correction voids R-2's referral: the breach at its close is
   * found and escalated, and R-2 is let go again. */
  import (f, "{\"event_id\":\"b5\",\"record_id\":\"R-2\",\"type\":\"void\",\"supersedes\":\"b3\","
             "\"occurred_at\":\"2022-03-08T16:00:00Z\"}\n");
  pass (agent, M (130));
  got = rows (f);
  g_assert_nonnull (strstr (got, "cp_referral_missing:sergeant"));
  g_assert_cmpuint (cc_agent_get_n_held (agent), ==, 1);
  g_clear_pointer (&agent, cc_agent_free);

  /* R-3 arrives and leaves while no agent runs, with no referral. */
  import (f, "{\"event_id\":\"c1\",\"record_id\":\"R-3\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-09T10:00:00Z\","
             "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-3\",\"appears_under_18\":true}}\n"
             "{\"event_id\":\"c2\",\"record_id\":\"R-3\",\"type\":\"released\",\"occurred_at\":\"2022-03-09T10:10:00Z\","
             "\"data\":{\"outcome\":\"nfa\"}}\n");

  /* Days later: the restart reads R-1 (open) and R-3 (after the
   * checkpoint), catches up on R-3 and keeps only R-1. */
  again = agent_new (f, notifier, "desk", CC_LEVEL_SERGEANT);
  pass (again, days_later);
  g_assert_cmpuint (cc_agent_get_n_held (again), ==, 1);
  g_clear_pointer (&got, g_free);
  got = rows (f);
  g_assert_nonnull (strstr (got, "cp_referral_missing:sergeant:closed:late"));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) live = NULL;
    gint64 checkpoint = 0;

    g_assert_true (cc_store_get_checkpoint (f->store, &checkpoint, &error));
    g_assert_true (cc_store_list_live_records (f->store, &live, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (live->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (live, 0), ==, "R-1");
  }
}

/* Two desks on one database: one record per breach per level, and each
 * desk is shown it. An inspector's desk sees only its level and above. */
static void
test_two_agents_and_roles (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (CcNotifier) n1 = cc_notifier_log_new ();
  g_autoptr (CcNotifier) n2 = cc_notifier_log_new ();
  g_autoptr (CcNotifier) n3 = cc_notifier_log_new ();
  g_autoptr (CcAgent) desk1 = NULL;
  g_autoptr (CcAgent) desk2 = NULL;
  g_autoptr (CcAgent) inspector = NULL;
  g_autofree char *got = NULL;

  import (f, cc_test_one_child);
  desk1 = agent_new (f, n1, "desk-1", CC_LEVEL_SERGEANT);
  desk2 = agent_new (f, n2, "desk-2", CC_LEVEL_SERGEANT);
  inspector = agent_new (f, n3, "inspector", CC_LEVEL_INSPECTOR);
  pass (desk1, M (25));
  pass (desk2, M (25));
  pass (inspector, M (25));
  pass (desk1, M (30));
  pass (desk2, M (30));
  pass (inspector, M (30));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant");
  g_assert_cmpuint (shown (n1), ==, 2); /* warning, then breach */
  g_assert_cmpuint (shown (n2), ==, 2);
  g_assert_cmpuint (shown (n3), ==, 0); /* neither is for an inspector */
  g_clear_pointer (&got, g_free);

  pass (desk2, M (45));
  pass (desk1, M (45));
  pass (inspector, M (45));
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant aa_requested:inspector");
  g_assert_cmpuint (shown (n3), ==, 1);
  g_assert_cmpint (shown_at (n3, 0)->kind, ==, CC_NOTICE_BREACH);
  g_assert_nonnull (strstr (shown_at (n3, 0)->body, "inspector"));
}

/* A notifier whose server comes and goes, for the agent's "no server"
 * behaviour: records are still written, and what is owed is shown once when
 * a server appears. */
#define TEST_TYPE_FLAKY_NOTIFIER (test_flaky_notifier_get_type ())
G_DECLARE_FINAL_TYPE (TestFlakyNotifier, test_flaky_notifier, TEST, FLAKY_NOTIFIER, GObject)

struct _TestFlakyNotifier
{
  GObject    parent;
  gboolean   available;
  GPtrArray *shown;
};

static void test_flaky_notifier_iface_init (CcNotifierInterface *iface);
G_DEFINE_TYPE_WITH_CODE (TestFlakyNotifier, test_flaky_notifier, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (CC_TYPE_NOTIFIER, test_flaky_notifier_iface_init))

enum
{
  PROP_AVAILABLE = 1,
};

static void
flaky_show (CcNotifier         *notifier,
            const CcNotice     *notice,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  TestFlakyNotifier *self = TEST_FLAKY_NOTIFIER (notifier);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (!self->available)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "no notification server");
      return;
    }
  g_ptr_array_add (self->shown, g_strdup (notice->key));
  g_task_return_boolean (task, TRUE);
}

static gboolean
flaky_show_finish (CcNotifier   *notifier,
                   GAsyncResult *result,
                   GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_flaky_notifier_iface_init (CcNotifierInterface *iface)
{
  iface->show = flaky_show;
  iface->show_finish = flaky_show_finish;
}

static void
flaky_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  g_value_set_boolean (value, TEST_FLAKY_NOTIFIER (object)->available);
}

static void
flaky_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_FLAKY_NOTIFIER (object)->shown);
  G_OBJECT_CLASS (test_flaky_notifier_parent_class)->finalize (object);
}

static void
test_flaky_notifier_class_init (TestFlakyNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = flaky_get_property;
  object_class->finalize = flaky_finalize;
  g_object_class_override_property (object_class, PROP_AVAILABLE, "available");
}

static void
test_flaky_notifier_init (TestFlakyNotifier *self)
{
  self->shown = g_ptr_array_new_with_free_func (g_free);
}

static void
test_no_server (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (TestFlakyNotifier) notifier = g_object_new (TEST_TYPE_FLAKY_NOTIFIER, NULL);
  g_autoptr (CcAgent) agent = NULL;
  g_autofree char *got = NULL;

  import (f, cc_test_one_child);
  agent = cc_agent_new (f->store, f->policy, CC_NOTIFIER (notifier), "desk", NULL, CC_LEVEL_SERGEANT);
  g_test_expect_message ("CustodyClock", G_LOG_LEVEL_MESSAGE, "Escalation 1: record R-1*");
  g_test_expect_message ("CustodyClock", G_LOG_LEVEL_MESSAGE, "No notification server*");
  pass (agent, M (30));
  g_test_assert_expected_messages ();
  got = rows (f);
  g_assert_cmpstr (got, ==, "aa_requested:sergeant"); /* written all the same */
  g_assert_cmpuint (notifier->shown->len, ==, 0);
  g_assert_cmpuint (cc_agent_get_n_owed (agent), ==, 1);

  pass (agent, M (31)); /* still no server: owed, not repeated */
  g_assert_cmpuint (cc_agent_get_n_owed (agent), ==, 1);

  /* A server appears: what is owed is shown, once. */
  g_test_expect_message ("CustodyClock", G_LOG_LEVEL_MESSAGE, "Notification server available*");
  notifier->available = TRUE;
  g_object_notify (G_OBJECT (notifier), "available");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_assert_expected_messages ();
  g_assert_cmpuint (notifier->shown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (notifier->shown, 0), ==, "breach/1");
  g_assert_cmpuint (cc_agent_get_n_owed (agent), ==, 0);
  pass (agent, M (32));
  g_assert_cmpuint (notifier->shown->len, ==, 1);
}

/* ---- the disk full under the pass ----------------------------------------
 *
 * "No crash, the breach is not forgotten, the record is written when space
 * returns."  SQLite itself makes the disk full: `PRAGMA max_page_count` on
 * the agent's connection (cc_store_set_max_pages()) makes every write that
 * needs the database to grow fail with SQLITE_FULL, the error a full disk
 * gives, through the same paths.  (A real full filesystem, with the real
 * agent: e2e-diskfull.sh.)
 */

/* Children authorised at 14:00 whose AA is never called: aa_requested is
 * breached at 14:30.  Enough of them that their escalation records and
 * history need pages the database does not have. */
#define N_CHILDREN 40

static void
diskfull_set_up (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GString) log = g_string_new (NULL);

  fixture_set_up (f, data);
  for (int i = 0; i < N_CHILDREN; i++)
    g_string_append_printf (log,
                            "{\"event_id\":\"a%d\",\"record_id\":\"R-%02d\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                            "\"data\":{\"suite\":\"Swindon\",\"child\":\"C-%d\",\"dob\":\"2010-09-01\"}}\n"
                            "{\"event_id\":\"b%d\",\"record_id\":\"R-%02d\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:00:00Z\"}\n"
                            "{\"event_id\":\"c%d\",\"record_id\":\"R-%02d\",\"type\":\"welfare_informed\",\"occurred_at\":\"2022-03-08T14:05:00Z\"}\n"
                            "{\"event_id\":\"d%d\",\"record_id\":\"R-%02d\",\"type\":\"hcp_seen\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n"
                            "{\"event_id\":\"e%d\",\"record_id\":\"R-%02d\",\"type\":\"cp_referral\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n",
                            i, i, i, i, i, i, i, i, i, i, i);
  cc_test_import (f->store, log->str, M (60 * 24 * 30));
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Fills the database to its (lowered) page limit with rejected input, as
 * anything else on the disk might: returns the error the last write got. */
static GError *
fill (CcStore *store)
{
  g_autofree char *raw = g_strnfill (2000, 'x');
  GError          *error = NULL;

  g_assert_true (cc_store_set_max_pages (store, 1, &error)); /* no room to grow */
  g_assert_no_error (error);
  for (int i = 0; i < 100000; i++)
    {
      g_autofree char  *text = g_strdup_printf ("%d %s", i, raw);
      CcQuarantineEntry entry = {
        .origin = (char *) "import",
        .source = (char *) "filler",
        .line = i + 1,
        .reason_code = (char *) "invalid_json",
        .reason = (char *) "filler",
        .raw = text,
        .quarantined_at = M (0),
        .resolved_at = CC_INSTANT_NONE,
      };

      if (!cc_store_add_quarantine (store, &entry, NULL, &error))
        return error;
    }
  g_assert_not_reached ();
}

static guint
n_escalations (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = cc_store_list_escalations (f->store, FALSE, &error);

  g_assert_no_error (error);
  return rows->len;
}

static guint
n_history (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  guint n = 0;

  findings = cc_store_verify_audit (f->store, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);
  return n;
}

static guint
n_shown (CcNotifier  *notifier,
         CcNoticeKind kind)
{
  GPtrArray *shown = cc_notifier_log_get_shown (CC_NOTIFIER_LOG (notifier));
  guint      n = 0;

  for (guint i = 0; i < shown->len; i++)
    n += ((CcNotice *) g_ptr_array_index (shown, i))->kind == kind;
  return n;
}

/* The disk is full when the breaches fall due: every pass fails with an
 * error that says so and names the file, having written nothing; the
 * breaches are written, once each and marked late, by the first pass after
 * space returns, and shown once. */
static void
test_agent_disk_full (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = cc_agent_new (f->store, f->policy, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gint64 checkpoint = 0, checkpoint_after = 0;
  guint  n_warnings;

  g_assert_true (cc_agent_process (agent, M (20), &error)); /* nothing due yet */
  g_assert_no_error (error);
  drain ();
  n_warnings = n_shown (notifier, CC_NOTICE_WARNING);
  g_assert_true (cc_store_get_checkpoint (f->store, &checkpoint, &error));

  error = fill (f->store);
  g_test_message ("filling: %s", error->message);
  g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "the disk is full"));
  g_clear_error (&error);

  /* 14:30: every child's AA request is overdue, and there is no room. */
  for (int minute = 31; minute <= 35; minute += 4)
    {
      g_assert_false (cc_agent_process (agent, M (minute), &error));
      g_test_message ("pass at 14:%d: %s", minute, error->message);
      g_assert_error (error, CC_STORE_ERROR, CC_STORE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, f->path));
      g_assert_nonnull (strstr (error->message, "the disk is full"));
      g_assert_nonnull (strstr (error->message, "writing"));
      g_clear_error (&error);
      drain ();

      /* Nothing half-written: no record, no history entry, the checkpoint
       * where it was, nothing shown for a record that is not there. */
      g_assert_cmpuint (n_escalations (f), ==, 0);
      g_assert_cmpuint (n_history (f), ==, 0);
      g_assert_true (cc_store_get_checkpoint (f->store, &checkpoint_after, &error));
      g_assert_cmpint (checkpoint_after, ==, checkpoint);
      g_assert_cmpuint (n_shown (notifier, CC_NOTICE_BREACH), ==, 0);
    }

  /* Space returns at 14:40: the next pass writes every breach, once. */
  g_assert_true (cc_store_set_max_pages (f->store, 0, &error));
  g_assert_true (cc_agent_process (agent, M (40), &error));
  g_assert_no_error (error);
  drain ();
  rows = cc_store_list_escalations (f->store, FALSE, &error);
  g_assert_cmpuint (rows->len, ==, N_CHILDREN);
  for (guint i = 0; i < rows->len; i++)
    {
      CcEscalation *e = g_ptr_array_index (rows, i);

      g_assert_cmpstr (e->rule, ==, "aa_requested");
      g_assert_cmpint (e->level, ==, CC_LEVEL_SERGEANT);
      g_assert_cmpint (e->breached_at, ==, M (30));
      g_assert_cmpint (e->raised_at, ==, M (40));
      g_assert_true (e->late); /* ten minutes after the breach */
    }
  g_assert_cmpuint (n_history (f), ==, N_CHILDREN);
  g_assert_cmpuint (n_shown (notifier, CC_NOTICE_BREACH), ==, N_CHILDREN);
  g_assert_true (cc_store_get_checkpoint (f->store, &checkpoint_after, &error));
  g_assert_cmpint (checkpoint_after, >=, checkpoint);

  /* And never again. */
  g_assert_true (cc_agent_process (agent, M (41), &error));
  drain ();
  g_assert_cmpuint (n_escalations (f), ==, N_CHILDREN);
  g_assert_cmpuint (n_history (f), ==, N_CHILDREN);
  g_assert_cmpuint (n_shown (notifier, CC_NOTICE_BREACH), ==, N_CHILDREN);
  g_assert_cmpuint (n_shown (notifier, CC_NOTICE_WARNING), ==, n_warnings);
}

/* A restart while the disk is still full (the first pass, the start-up
 * catch-up, fails), then space: the catch-up writes the records late. */
static void
test_first_pass_disk_full (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (CcNotifier) notifier = cc_notifier_log_new ();
  g_autoptr (CcAgent) agent = cc_agent_new (f->store, f->policy, notifier, "desk", NULL, CC_LEVEL_SERGEANT);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  error = fill (f->store);
  g_clear_error (&error);
  g_assert_false (cc_agent_process (agent, M (31), &error));
  g_assert_nonnull (strstr (error->message, "the disk is full"));
  g_clear_error (&error);
  drain ();
  g_assert_cmpuint (n_escalations (f), ==, 0);

  g_assert_true (cc_store_set_max_pages (f->store, 0, &error));
  g_assert_true (cc_agent_process (agent, M (32), &error));
  g_assert_no_error (error);
  drain ();
  rows = cc_store_list_escalations (f->store, FALSE, &error);
  g_assert_cmpuint (rows->len, ==, N_CHILDREN);
  g_assert_true (((CcEscalation *) g_ptr_array_index (rows, 0))->late); /* start-up catch-up */
  g_assert_cmpuint (n_history (f), ==, N_CHILDREN);
  g_assert_cmpuint (n_shown (notifier, CC_NOTICE_BREACH), ==, N_CHILDREN);
}

/* An acknowledgement on a full disk is refused with the same clear error,
 * and nothing of it is kept; it goes in once there is room. */
static void
test_acknowledge_disk_full (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcEscalation) e = cc_escalation_new ("R-00", "aa_requested", 1, CC_LEVEL_SERGEANT, M (30), M (30));
  g_autoptr (CcEscalation) got = NULL;
  g_autofree char *note = g_strnfill (20000, 'n'); /* the note needs a page of its own */

  g_assert_true (cc_store_insert_escalation (f->store, e, NULL, &error));
  error = fill (f->store);
  g_clear_error (&error);

  g_assert_false (cc_store_acknowledge (f->store, e->id, "PS 1", note, M (35), &error));
  g_assert_nonnull (strstr (error->message, "the disk is full"));
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  got = cc_store_get_escalation (f->store, e->id, &error);
  g_assert_cmpint (got->acknowledged_at, ==, CC_INSTANT_NONE);
  g_assert_null (got->acknowledged_by);
  g_assert_cmpuint (n_history (f), ==, 1);

  g_assert_true (cc_store_set_max_pages (f->store, 0, &error));
  g_assert_true (cc_store_acknowledge (f->store, e->id, "PS 1", note, M (36), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_history (f), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, cc_test_db_close)
  ADD ("/agent-pass/ladder", test_ladder);
  ADD ("/agent-pass/acknowledge-stops-climb", test_acknowledge_stops_climb);
  ADD ("/agent-pass/resolution", test_resolution);
  ADD ("/agent-pass/withdrawn-late-entry", test_withdrawn_late_entry);
  ADD ("/agent-pass/due-moved-later", test_due_moved_later);
  ADD ("/agent-pass/catch-up-grouped", test_catch_up_grouped);
  g_test_add ("/agent-pass/policy-changed/reload", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_policy_changed,
              cc_test_db_close);
  g_test_add ("/agent-pass/policy-changed/restart", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_policy_changed,
              cc_test_db_close);
  ADD ("/agent-pass/catch-up-and-restart", test_catch_up_and_restart);
  ADD ("/agent-pass/two-agents-and-roles", test_two_agents_and_roles);
  ADD ("/agent-pass/working-set", test_working_set);
  ADD ("/agent-pass/no-server", test_no_server);
  g_test_add ("/agent-pass/diskfull/agent", Fixture, NULL, diskfull_set_up, test_agent_disk_full, cc_test_db_close);
  g_test_add ("/agent-pass/diskfull/first-pass", Fixture, NULL, diskfull_set_up, test_first_pass_disk_full, cc_test_db_close);
  g_test_add ("/agent-pass/diskfull/acknowledge", Fixture, NULL, diskfull_set_up, test_acknowledge_disk_full, cc_test_db_close);
#undef ADD

  return g_test_run ();
}
