/* test-diskfull.c: the disk fills up while the agent writes escalation records
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "No crash, the breach is not forgotten, the record is written when space
 * returns."  SQLite itself makes the disk full: `PRAGMA max_page_count` on
 * the agent's connection (cc_store_set_max_pages()) makes every write that
 * needs the database to grow fail with SQLITE_FULL, the error a full disk
 * gives, through the same paths.  The agent is driven pass by pass with
 * chosen instants and the log notifier, as in test-escalator.c.  (A real
 * full filesystem, with the real agent: e2e-diskfull.sh.)
 */
#include "config.h"

#include "cc-agent.h"
#include "cc-notifier.h"
#include "cc-test-util.h"

#define T0 1646748000 /* 2022-03-08T14:00:00Z */
#define M(minutes) ((CcInstant) T0 + (minutes) *60)

/* Children authorised at 14:00 whose AA is never called: aa_requested is
 * breached at 14:30.  Enough of them that their escalation records and
 * history need pages the database does not have. */
#define N_CHILDREN 40

typedef struct
{
  char     *dir;
  char     *path;
  CcStore  *store;
  CcPolicy *policy;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (GString) log = g_string_new (NULL);

  f->dir = cc_test_tmpdir ();
  f->path = g_build_filename (f->dir, "custody.db", NULL);
  f->store = cc_store_open (f->path, CC_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->policy = cc_policy_load_data (defaults, "[cell_visit]\nenabled=false\n[rest]\nenabled=false\n", -1, "test", NULL, &error);
  g_assert_no_error (error);

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
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  cc_store_free (f->store);
  cc_policy_unref (f->policy);
  cc_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
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

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/diskfull/agent", test_agent_disk_full);
  ADD ("/diskfull/first-pass", test_first_pass_disk_full);
  ADD ("/diskfull/acknowledge", test_acknowledge_disk_full);
#undef ADD

  return g_test_run ();
}
