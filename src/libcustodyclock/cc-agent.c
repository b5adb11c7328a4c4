/* cc-agent.c: the booking-desk agent's core (time comes from outside)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One pass, cc_agent_process (agent, now), does everything the agent does:
 * read the rows written since the last pass, evaluate the records, write
 * and resolve escalation records (cc-escalator.c), and show what this desk
 * has not been shown yet.  main() calls it when the log changes and when
 * the one alarm goes off; tests call it with whatever `now` they like, so
 * nothing here ever waits for a deadline.
 *
 * The notices' wording is cc-desk-notice.c's; when each is shown, here.
 * What a desk has been shown is kept in the `delivery` table, per agent
 * identity, so a restart repeats nothing; what could not be shown (no
 * notification server) stays owed and is shown when a server appears.
 *
 * The working set and the start (issue 15).  Decisions:
 *  - A start reads cc_store_list_live_records(): the records in
 *    record_unsettled (a trigger puts a record there on every row written,
 *    by any writer; only this agent deletes), those with an open
 *    escalation and those with a quarantined row not mended.  Nothing is
 *    read by scanning the log, so a restart costs what may still change;
 *    the "rows above the checkpoint" and "arrival without a close" reads
 *    and the day's margin after a close are gone (the engine's judgment
 *    replaces them).  monitor_checkpoint is still written (doctor reads
 *    it).  A board or report that settles a record first only clears its
 *    on_board mark, so a late row it read still reaches the next start.
 *  - The agent lets a record go (closed, or an adult's, with nothing
 *    open: unchanged) and, if cc_settle_judge() also finds it settled,
 *    deletes it from record_unsettled (CC_STORE_SETTLE_AGENT, naming the
 *    highest row read: a row committed since wins), in the transaction
 *    that writes the pass's escalations when there is one, so that what
 *    a start skips always had its escalations written.  The two notions
 *    differ and both hold: an adult's open record, one with a row ahead
 *    of the clock or every event voided is let go but stays unsettled
 *    (read again at each start, a handful); a settled record with an
 *    escalation still open is kept and read at each start by the
 *    escalation arm anyway.
 *  - Judged at the machine's time (machine_now()), never at a
 *    demonstration's clock: a clock run ahead must not settle what the
 *    machine has not seen closed.
 *  - What this desk still has to show for a record (a resolution notice
 *    in flight, or owed while no notification server runs) lives only in
 *    memory; a restart shows it again only by reading the record.  Such a
 *    record waits in to_settle and is deleted once the notice is shown
 *    (settle_if_shown()).  Another desk does not wait for this one: two
 *    desks share record_unsettled, and a desk that was stopped when a
 *    record closed does not read it at its start if the other let it go
 *    (its open escalations, which it must show, it still reads).
 *  - The first pass comes in steps of CATCH_UP_BATCH records
 *    (cc_agent_process_step()), each committing what it found, so that
 *    custody-clockd hears SIGTERM between two and stops there; the next
 *    start reads what is still unsettled, less what was let go.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-agent.h"
#include "cc-desk-notice.h"
#include "cc-time-source.h"
#include "cc-engine.h"
#include "cc-escalator.h"
#include "cc-ledger.h"
#include "cc-report.h"
#include "cc-settle.h"

struct _CcAgent
{
  CcStore      *store; /* (unowned) */
  CcTimeSource *clock; /* (unowned) (nullable): for times the agent takes itself */
  CcPolicy     *policy;
  CcPolicy     *previous_policy; /* (nullable): in force before a reload, until a
                                * whole pass has judged every record under both */
  gboolean      policy_saved;    /* agent_policy holds @policy */
  CcNotifier   *notifier;
  CcLedger     *ledger;
  char         *agent_id;
  char         *suite; /* (nullable): notify only this suite */
  CcLevel       role;
  GHashTable   *delivered; /* delivery keys shown on this desk */
  GHashTable   *in_flight; /* key → CcNotice being shown */
  GHashTable   *owed;      /* key → CcNotice a server was not there for */
  GHashTable   *groups;    /* key of a catch-up notice → (GStrv) the keys of
                          * the breaches it stands for */
  gboolean      told_no_server;
  CcInstant     next_wakeup;
  gint64        read_seq;       /* rows up to here have been read */
  gboolean      started;        /* the first pass has been made */
  GHashTable   *notice_records; /* key of a notice owed or in flight → its record */
  char         *summary_key;    /* cc_report_summary_key() of the policy, once asked */
  GHashTable   *to_settle;      /* record id → (Settle) let go, judged settled,
                               * waiting for this desk's notices of it */
  /* The first pass, a batch a step (cc_agent_process_step()): */
  GPtrArray *catch_up; /* (nullable) (element-type utf8): records to read */
  guint      catch_up_pos;
  CcInstant  catch_up_next;
  gint64     catch_up_read_seq; /* read_seq before it, restored if it fails */
  gint64     checkpoint_seq;    /* the monitor's checkpoint this agent last wrote */
  gulong     available_id;
  gulong     acknowledge_id;
};

static void show_owed (CcAgent *agent);
static void settle_if_shown (CcAgent    *agent,
                             const char *record_id);

/* The time of an acknowledgement or a delivery, which come from outside a
 * pass: on the agent's clock, so that a demonstration's faster clock
 * stamps them consistently. */
static CcInstant
agent_now (CcAgent *agent)
{
  return agent->clock != NULL ? cc_time_source_get_now (agent->clock) : cc_time_source_machine_now ();
}

static void
on_available (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  CcAgent *agent = user_data;

  if (cc_notifier_get_available (agent->notifier))
    {
      guint n_owed = g_hash_table_size (agent->owed);

      g_message (g_dngettext (GETTEXT_PACKAGE, "Notification server available: showing %u owed notification",
                              "Notification server available: showing %u owed notifications", n_owed),
                 n_owed);
      agent->told_no_server = FALSE;
      show_owed (agent);
    }
}

static void
on_acknowledge (CcNotifier *notifier,
                gint64      escalation_id,
                gpointer    user_data)
{
  CcAgent *agent = user_data;
  g_autoptr (GError) error = NULL;

  if (!cc_agent_acknowledge (agent, escalation_id, g_get_user_name (), agent_now (agent), &error))
    /* Translators: %1$lld is an escalation number, %2$s the reason */
    g_message (_ ("Acknowledging escalation %1$lld failed: %2$s"), (long long) escalation_id, error->message);
}

/* A record let go and judged settled whose settle waits (to_settle). */
typedef struct
{
  CcStoreSettled item; /* item.record_id is owned */
} Settle;

static void
settle_free (gpointer data)
{
  Settle *settle = data;

  g_free ((char *) settle->item.record_id);
  g_free (settle);
}

/**
 * cc_agent_new:
 * @store: (transfer none): the custody log; must outlive the agent
 * @agent_id: this desk's identity (what it has shown is remembered under it)
 * @suite: (nullable): notify only records of this suite
 * @role: notify escalations at this level and above
 */
CcAgent *
cc_agent_new (CcStore    *store,
              CcPolicy   *policy,
              CcNotifier *notifier,
              const char *agent_id,
              const char *suite,
              CcLevel     role)
{
  CcAgent *agent = g_new0 (CcAgent, 1);

  agent->store = store;
  agent->policy = cc_policy_ref (policy);
  agent->notifier = g_object_ref (notifier);
  agent->ledger = cc_ledger_new ();
  agent->agent_id = g_strdup (agent_id);
  agent->suite = g_strdup (suite);
  agent->role = role;
  agent->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cc_notice_free);
  agent->owed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cc_notice_free);
  agent->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  agent->notice_records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  agent->to_settle = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, settle_free);
  agent->next_wakeup = CC_INSTANT_NONE;
  agent->checkpoint_seq = -1;
  agent->available_id = g_signal_connect (notifier, "notify::available", G_CALLBACK (on_available), agent);
  agent->acknowledge_id = g_signal_connect (notifier, "acknowledge", G_CALLBACK (on_acknowledge), agent);
  return agent;
}

void
cc_agent_free (CcAgent *agent)
{
  if (agent == NULL)
    return;
  g_signal_handler_disconnect (agent->notifier, agent->available_id);
  g_signal_handler_disconnect (agent->notifier, agent->acknowledge_id);
  g_clear_pointer (&agent->delivered, g_hash_table_unref);
  g_hash_table_unref (agent->in_flight);
  g_hash_table_unref (agent->owed);
  g_hash_table_unref (agent->groups);
  g_hash_table_unref (agent->notice_records);
  g_hash_table_unref (agent->to_settle);
  g_free (agent->summary_key);
  g_clear_pointer (&agent->catch_up, g_ptr_array_unref);
  cc_ledger_free (agent->ledger);
  g_object_unref (agent->notifier);
  cc_policy_unref (agent->policy);
  g_clear_pointer (&agent->previous_policy, cc_policy_unref);
  g_free (agent->agent_id);
  g_free (agent->suite);
  g_free (agent);
}

/**
 * cc_agent_set_policy:
 *
 * The policy to use from the next pass on (SIGHUP).  The next pass also
 * judges its records under the policy it replaces, so that an escalation
 * the new policy withdraws is resolved "policy_changed", not taken for a
 * late entry.
 */
void
cc_agent_set_policy (CcAgent  *agent,
                     CcPolicy *policy)
{
  g_return_if_fail (agent != NULL);
  g_return_if_fail (policy != NULL);

  /* Two reloads before a pass: the records were last judged under the
   * first policy, which stays the one to compare with. */
  if (agent->previous_policy == NULL)
    agent->previous_policy = agent->policy;
  else
    cc_policy_unref (agent->policy);
  agent->policy = cc_policy_ref (policy);
  g_clear_pointer (&agent->summary_key, g_free);
  agent->policy_saved = FALSE;
  if (agent->previous_policy != NULL && cc_policy_equal (agent->previous_policy, agent->policy))
    g_clear_pointer (&agent->previous_policy, cc_policy_unref);
}

/* A short name for a policy, for the log: SHA-256 of its settings (the
 * text cc_policy_to_string() writes, less its comments, which follow the
 * language), first 12 hex digits. */
static char *
policy_digest (const CcPolicy *policy)
{
  g_autofree char *text = cc_policy_to_string (policy);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GString) settings = g_string_new (NULL);
  g_autofree char *sum = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '#' && lines[i][0] != '\0')
      g_string_append_printf (settings, "%s\n", lines[i]);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, settings->str, -1);
  return g_strndup (sum, 12);
}

/* At start-up: the policy this agent last ran under, if it differs from
 * the one it starts with, is the one to compare with (a policy file edited
 * while the agent was stopped). */
static gboolean
load_saved_policy (CcAgent *agent,
                   GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CcPolicy) saved = NULL;

  if (!cc_store_get_agent_policy (agent->store, agent->agent_id, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  saved = cc_policy_load_data (agent->policy, text, -1, "agent_policy", NULL, &local_error);
  if (saved == NULL)
    {
      /* A policy this version cannot read: withdrawals are then judged as
       * late entries, as before there was a record of the policy. */
      g_debug ("the policy last in force cannot be read: %s", local_error->message);
      return TRUE;
    }
  if (cc_policy_equal (saved, agent->policy))
    agent->policy_saved = TRUE;
  else if (agent->previous_policy == NULL)
    agent->previous_policy = g_steal_pointer (&saved);
  return TRUE;
}

/**
 * cc_agent_set_clock:
 * @clock: (transfer none) (nullable): must outlive the agent; %NULL for the
 *   machine's clock
 *
 * The clock for the times the agent takes itself (acknowledgements from a
 * notification, deliveries).  Passes are always given their time.
 */
void
cc_agent_set_clock (CcAgent      *agent,
                    CcTimeSource *clock)
{
  agent->clock = clock;
}

CcInstant
cc_agent_get_next_wakeup (CcAgent *agent)
{
  return agent->next_wakeup;
}

/* The time against which a row is judged to be "in the future".  That is
 * a question about the writer's clock, so it is asked of the machine's
 * clock: never of a demonstration's clock, which may be set hours back
 * (a row written now would look hours ahead and be quarantined for good)
 * or run faster.  With the machine's clock, the pass's own time is used,
 * so that tests can inject it. */
static CcInstant
machine_now (CcAgent  *agent,
             CcInstant now)
{
  if (agent->clock != NULL && cc_time_source_is_simulated (agent->clock))
    return cc_time_source_machine_now ();
  return now;
}

/* Records held in memory: those that are not settled (for tests and
 * benchmarks). */
guint
cc_agent_get_n_held (CcAgent *agent)
{
  return cc_ledger_get_n_records (agent->ledger);
}

/* Notifications not yet taken by a server (for tests and the log). */
guint
cc_agent_get_n_owed (CcAgent *agent)
{
  return g_hash_table_size (agent->owed);
}

typedef struct
{
  CcAgent *agent;
  char    *key;
} ShowData;

static void
remember_delivery (CcAgent    *agent,
                   const char *key)
{
  g_autoptr (GError) error = NULL;

  g_hash_table_add (agent->delivered, g_strdup (key));
  if (!cc_store_add_delivery (agent->store, agent->agent_id, key, agent_now (agent), &error))
    /* Translators: a delivery is a notification this desk has been
     * shown; %s is the database's error */
    g_message (_ ("Could not remember a delivery: %s"), error->message);
}

static void
on_shown (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ShowData *data = user_data;
  CcAgent  *agent = data->agent;
  g_autoptr (GError) error = NULL;
  CcNotice *notice;

  notice = g_hash_table_lookup (agent->in_flight, data->key);
  if (cc_notifier_show_finish (CC_NOTIFIER (source), result, &error))
    {
      const char *const *members = g_hash_table_lookup (agent->groups, data->key);

      g_autofree char *record_id = NULL;

      remember_delivery (agent, data->key);
      /* A catch-up notice was shown for each breach it stands for. */
      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        remember_delivery (agent, members[i]);
      g_hash_table_remove (agent->groups, data->key);
      g_hash_table_remove (agent->in_flight, data->key);
      record_id = g_strdup (g_hash_table_lookup (agent->notice_records, data->key));
      g_hash_table_remove (agent->notice_records, data->key);
      if (record_id != NULL)
        settle_if_shown (agent, record_id);
    }
  else
    {
      if (!agent->told_no_server)
        /* Translators: %s is the reason, e.g. "No desktop notification server" */
        g_message (_ ("No notification server (%s): escalation records are still written; "
                      "notifications will be shown when a server appears"),
                   error->message);
      agent->told_no_server = TRUE;
      if (notice != NULL)
        g_hash_table_insert (agent->owed, g_strdup (data->key), cc_notice_copy (notice));
      g_hash_table_remove (agent->in_flight, data->key);
    }
  g_free (data->key);
  g_free (data);
}

static void
show (CcAgent    *agent,
      const char *record_id,
      CcNotice   *notice /* (transfer full) */)
{
  ShowData *data;

  if (g_hash_table_contains (agent->delivered, notice->key) || g_hash_table_contains (agent->in_flight, notice->key))
    {
      cc_notice_free (notice);
      return;
    }
  g_hash_table_remove (agent->owed, notice->key);
  /* Which record it is of, while it is owed or in flight: its record is
   * not settled meanwhile (settle_waiting()). */
  if (record_id != NULL)
    g_hash_table_replace (agent->notice_records, g_strdup (notice->key), g_strdup (record_id));
  data = g_new0 (ShowData, 1);
  data->agent = agent;
  data->key = g_strdup (notice->key);
  g_hash_table_insert (agent->in_flight, g_strdup (notice->key), notice);
  cc_notifier_show (agent->notifier, notice, NULL, on_shown, data);
}

static void
show_owed (CcAgent *agent)
{
  GHashTableIter iter;
  gpointer       value;
  g_autoptr (GPtrArray) owed = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, agent->owed);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (owed, cc_notice_copy (value));
  g_hash_table_remove_all (agent->owed);
  for (guint i = 0; i < owed->len; i++)
    {
      CcNotice *notice = g_ptr_array_index (owed, i);

      show (agent, g_hash_table_lookup (agent->notice_records, notice->key), notice);
    }
}

static gboolean
notifies_record (CcAgent            *agent,
                 const CcEvaluation *ev)
{
  return agent->suite == NULL || g_strcmp0 (ev->suite, agent->suite) == 0;
}

/* One notice for a child's breaches found after the fact
 * (cc_desk_notice_catch_up()), remembered as standing for each of them:
 * when it is shown, each is delivered (on_shown()). */
static CcNotice *
catch_up_notice (CcAgent   *agent,
                 GPtrArray *missed /* (element-type CcEscalation) */)
{
  GStrv     members = NULL;
  CcNotice *notice = cc_desk_notice_catch_up (missed, &members);

  g_hash_table_insert (agent->groups, g_strdup (notice->key), members);
  return notice;
}

/* Inspectors and above see the statutory warnings only: the desk handles
 * the rest. */
static gboolean
role_sees_warning (CcAgent  *agent,
                   CcClockId clock)
{
  return agent->role == CC_LEVEL_SERGEANT || clock == CC_CLOCK_REVIEW || clock == CC_CLOCK_DETENTION_LIMIT;
}

/* Reads what the working set needs.  The first pass lists the records
 * that may not be settled (cc_store_list_live_records(): those no agent
 * has let go since their last row, and those with an open escalation or a
 * quarantined row), to be read in batches; later passes read the rows
 * written since, and a row of a record not held brings its whole record
 * in. */
static gboolean
read_log (CcAgent   *agent,
          CcInstant  now,
          GPtrArray *to_load,
          GError   **error)
{
  if (!agent->started)
    {
      g_autoptr (GPtrArray) ids = NULL;

      /* Rows written from here on are read by the next pass (again, if a
       * record read now has them: the ledger keeps each event once). */
      if (!cc_store_get_max_seq (agent->store, &agent->read_seq, error) ||
          !cc_store_list_live_records (agent->store, &ids, error))
        return FALSE;
      g_ptr_array_extend_and_steal (to_load, g_steal_pointer (&ids));
      return TRUE;
    }
  return cc_ledger_load_held (agent->ledger, agent->store, agent->read_seq, machine_now (agent, now), to_load,
                              &agent->read_seq, error);
}

/* What a pass wrote, for the journal: once committed, so that a pass that
 * fails and is made again does not repeat records that were rolled back. */
static void
log_written (CcAgent                *agent,
             const CcEscalationPlan *plan,
             GPtrArray              *written,
             guint                   n_inserted)
{
  for (guint i = 0; i < plan->resolve->len; i++)
    {
      CcPlannedResolution *r = &g_array_index (plan->resolve, CcPlannedResolution, i);

      if (r->resolution == CC_RESOLUTION_POLICY_CHANGED)
        {
          g_autofree char *digest = policy_digest (agent->policy);
          /* Translators: a log line; %1$lld is an escalation number, %2$s
           * a short digest of the policy now in force (hex digits) */
          g_message (_ ("Escalation %1$lld withdrawn: under the policy now in force (%2$s) it is no "
                        "longer a breach"),
                     (long long) r->escalation_id, digest);
        }
    }
  for (guint i = 0; i < written->len && plan->raise->len <= 20; i++)
    {
      CcEscalation *row = g_ptr_array_index (written, i);
      if (row->late)
        /* Translators: a log line; %1$lld is an escalation number, %2$s a
         * custody record number, %3$s a rule id such as aa_requested (not
         * translated) and %4$d its occurrence, %5$s a rank such as
         * "sergeant"; "late": written after it was due (no agent was
         * running) */
        g_message (_ ("Escalation %1$lld: record %2$s, %3$s %4$d, to %5$s (late)"), (long long) row->id,
                   row->record_id, row->rule, row->occurrence, cc_level_display_name (row->level));
      else
        /* Translators: a log line; %1$lld is an escalation number, %2$s a
         * custody record number, %3$s a rule id such as aa_requested (not
         * translated) and %4$d its occurrence, %5$s a rank such as
         * "sergeant" */
        g_message (_ ("Escalation %1$lld: record %2$s, %3$s %4$d, to %5$s"), (long long) row->id,
                   row->record_id, row->rule, row->occurrence, cc_level_display_name (row->level));
    }
  /* A catch-up after a long gap writes many at once: one line for all.
   * It counts what this agent wrote: with several agents on one
   * database, another may have written some of the plan first. */
  if (plan->raise->len > 20)
    {
      if (n_inserted < plan->raise->len)
        g_message (g_dngettext (GETTEXT_PACKAGE,
                                /* Translators: a log line; %1$u escalation records were written by
                                 * this agent (the plural follows it), %2$u by another agent, and
                                 * %3$u records were resolved */
                                "%1$u escalation record written (%2$u already written by another agent), "
                                "%3$u resolved",
                                "%1$u escalation records written (%2$u already written by another agent), "
                                "%3$u resolved",
                                n_inserted),
                   n_inserted, plan->raise->len - n_inserted, plan->resolve->len);
      else
        g_message (g_dngettext (GETTEXT_PACKAGE,
                                /* Translators: a log line; %1$u escalation records were written
                                 * (the plural follows it) and %2$u records were resolved */
                                "%1$u escalation record written, %2$u resolved",
                                "%1$u escalation records written, %2$u resolved", n_inserted),
                   n_inserted, plan->resolve->len);
    }
}

/* A notice a pass will show once it has committed, and its record. */
typedef struct
{
  const char *record_id; /* (unowned): the pass's rows or evaluations */
  CcNotice   *notice;    /* (nullable) */
} Queued;

static void
queued_free (gpointer data)
{
  Queued *queued = data;

  g_clear_pointer (&queued->notice, cc_notice_free);
  g_free (queued);
}

static void
queue_notice (GPtrArray  *to_show,
              const char *record_id,
              CcNotice   *notice /* (transfer full) */)
{
  Queued *queued = g_new0 (Queued, 1);

  queued->record_id = record_id;
  queued->notice = notice;
  g_ptr_array_add (to_show, queued);
}

/* The records this desk still has something to show for: a notice owed
 * (no server), in flight, or about to be shown by this pass (@to_show).
 * Values borrowed from agent->notice_records and @to_show. */
static GHashTable *
records_with_notices (CcAgent   *agent,
                      GPtrArray *to_show)
{
  GHashTable    *records = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable    *tables[] = { agent->in_flight, agent->owed };
  GHashTableIter iter;
  gpointer       key;

  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_hash_table_iter_init (&iter, tables[t]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const char *record_id = g_hash_table_lookup (agent->notice_records, key);

          if (record_id != NULL)
            g_hash_table_add (records, (gpointer) record_id);
        }
    }
  for (guint i = 0; to_show != NULL && i < to_show->len; i++)
    {
      Queued *queued = g_ptr_array_index (to_show, i);

      if (!g_hash_table_contains (agent->delivered, queued->notice->key) &&
          !g_hash_table_contains (agent->in_flight, queued->notice->key))
        g_hash_table_add (records, (gpointer) queued->record_id);
    }
  return records;
}

/* Keeps what a report would keep of the records just let go and judged
 * settled (cc_report_summarise_settled()), after the pass's notices are
 * shown: the first report on a log only a custody system wrote then reads
 * only what is still unsettled.  Only speed depends on it: a write that
 * fails is left to the report, which keeps what it reads, and a row
 * written to the record since it was read drops its summary
 * (cc_store_save_record_summaries()). */
static void
keep_summaries (CcAgent *agent,
                GArray  *summaries)
{
  g_autoptr (GError) error = NULL;

  if (summaries->len == 0)
    return;
  if (agent->summary_key == NULL)
    agent->summary_key = cc_report_summary_key (agent->policy);
  if (!cc_store_save_record_summaries (agent->store, agent->summary_key,
                                       (const CcStoreRecordSummary *) (gpointer) summaries->data, summaries->len,
                                       &error))
    g_debug ("the summaries of the records let go were not kept: %s", error->message);
}

/* Of the records a pass lets go (@let_go, still in the ledger), those the
 * engine judges settled at the machine's time (cc_settle_judge()), to be
 * deleted from record_unsettled so that the next start does not read them
 * (CC_STORE_SETTLE_AGENT); and those of earlier passes that waited for a
 * notice and need not wait any more.
 *
 * Judged at the machine's time, never at the pass's: a demonstration's
 * clock running ahead would otherwise settle a record the machine's time
 * has not seen closed (the board, at the machine's time, would then never
 * show it open), and its clock set back would judge rows "in the future"
 * that are not.  With the machine's clock the pass's evaluation serves.
 *
 * A record this desk still has a notice to show for (a resolution, owed
 * while no notification server runs, or in flight) is not deleted yet:
 * what is owed is only in memory, and a restart shows it again only by
 * reading the record.  It waits in agent->to_settle until the notice is
 * shown (settle_if_shown()); a restart meanwhile reads the record, shows
 * the notice and settles it then.
 *
 * Returns: (element-type CcStoreSettled): what to settle now; @out_deferred
 *   (element-type Settle) what waits, for settle_done() */
static GArray *
settle_let_go (CcAgent    *agent,
               GPtrArray  *let_go,
               GHashTable *by_record,
               GPtrArray  *to_show,
               CcInstant   now,
               GPtrArray **out_deferred,
               GArray     *summaries)
{
  GArray        *items = g_array_new (FALSE, FALSE, sizeof (CcStoreSettled));
  CcInstant      machine = machine_now (agent, now);
  GHashTableIter iter;
  gpointer       value;
  g_autoptr (GHashTable) waiting = NULL;

  *out_deferred = g_ptr_array_new_with_free_func (settle_free);
  if (let_go->len == 0 && g_hash_table_size (agent->to_settle) == 0)
    return items;
  waiting = records_with_notices (agent, to_show);

  for (guint i = 0; i < let_go->len; i++)
    {
      const char         *id = g_ptr_array_index (let_go, i);
      const CcRecord     *record = cc_ledger_get_record (agent->ledger, id);
      const CcEvaluation *ev = g_hash_table_lookup (by_record, id);
      g_autoptr (CcEvaluation) own = NULL;
      CcStoreSettled item;

      if (record == NULL || record->arrival == NULL)
        continue;
      /* Records not monitored (an adult's) have no evaluation of the pass. */
      if (ev == NULL || machine != now)
        ev = own = cc_engine_evaluate (record, agent->policy, machine);
      if (!cc_settle_judge (agent->ledger, record, ev, machine))
        continue;
      {
        CcStoreRecordSummary summary;

        cc_report_summarise_settled (agent->policy, agent->ledger, record, ev, &summary);
        g_array_append_val (summaries, summary);
      }
      item.record_id = record->record_id;
      item.seq = cc_ledger_get_record_last_seq (agent->ledger, id);
      item.arrived_at = ev->arrived_at;
      item.closed_at = ev->closed_at;
      if (g_hash_table_contains (waiting, id))
        {
          Settle *settle = g_new0 (Settle, 1);

          settle->item = item;
          settle->item.record_id = g_strdup (id);
          g_ptr_array_add (*out_deferred, settle);
        }
      else
        g_array_append_val (items, item);
    }

  /* Those that waited: a record held again (a new row) is judged again
   * when it is let go. */
  g_hash_table_iter_init (&iter, agent->to_settle);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Settle *settle = value;

      if (!g_hash_table_contains (waiting, settle->item.record_id) &&
          cc_ledger_get_record (agent->ledger, settle->item.record_id) == NULL)
        g_array_append_val (items, settle->item);
    }
  return items;
}

/* After the commit: what was settled no longer waits, what must wait is
 * remembered, and a record let go again forgets an older judgment. */
static void
settle_done (CcAgent   *agent,
             GArray    *settled,
             GPtrArray *let_go,
             GPtrArray *deferred)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  /* Copied first: an item's record_id may be the key it is removed by. */
  for (guint i = 0; i < settled->len; i++)
    g_ptr_array_add (ids, g_strdup (g_array_index (settled, CcStoreSettled, i).record_id));
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_remove (agent->to_settle, g_ptr_array_index (ids, i));
  for (guint i = 0; i < let_go->len; i++)
    g_hash_table_remove (agent->to_settle, g_ptr_array_index (let_go, i));
  for (guint i = 0; i < deferred->len; i++)
    {
      Settle *settle = g_ptr_array_index (deferred, i);

      g_hash_table_replace (agent->to_settle, (gpointer) settle->item.record_id, settle);
    }
  g_ptr_array_set_free_func (deferred, NULL);
  g_ptr_array_set_size (deferred, 0);
}

/* A notice of @record_id was shown: if the record waited only for that,
 * it is settled now (its own small write, like the delivery's). */
static void
settle_if_shown (CcAgent    *agent,
                 const char *record_id)
{
  Settle *settle = g_hash_table_lookup (agent->to_settle, record_id);
  g_autoptr (GHashTable) waiting = NULL;
  g_autoptr (GError) error = NULL;

  if (settle == NULL)
    return;
  waiting = records_with_notices (agent, NULL);
  if (g_hash_table_contains (waiting, record_id))
    return;
  if (!cc_store_settle (agent->store, &settle->item, 1, CC_STORE_SETTLE_AGENT, &error))
    {
      /* Tried again at the next pass; a restart reads the record anyway. */
      g_debug ("%s was not recorded as settled: %s", record_id, error->message);
      return;
    }
  g_hash_table_remove (agent->to_settle, record_id);
}

/* What one call of process_held() works on, passed from step to step.
 * The steps are named functions so that each can be read on its own; the
 * order of their calls to the store is the pass's, and only
 * pass_write_plan() and pass_settle() write inside its transaction. */
typedef struct
{
  CcInstant        now;
  CcInstant        next;        /* the earliest next_change seen so far */
  GPtrArray       *ids;         /* (element-type utf8): the ledger's records, sorted */
  GPtrArray       *evaluations; /* (element-type CcEvaluation): the monitored records' */
  GHashTable      *by_record;   /* record id → its evaluation, of @evaluations */
  GHashTable      *unsettled;   /* record ids that must stay held */
  GPtrArray       *rows;        /* (element-type CcEscalation): the records' escalations */
  GPtrArray       *judged;      /* (element-type CcEscalation): of @rows, for the planner */
  GPtrArray       *previous;    /* (nullable) (element-type CcEvaluation): under the
                            * policy in force before a reload */
  CcEscalationPlan plan;
  GPtrArray       *written; /* (element-type CcEscalation): of plan.raise */
  guint            n_inserted;
  gboolean         in_write;  /* the pass's transaction is open */
  GPtrArray       *to_show;   /* (element-type Queued) */
  GPtrArray       *settled;   /* (element-type utf8): the records let go */
  GArray          *settles;   /* (element-type CcStoreSettled) */
  GArray          *summaries; /* (element-type CcStoreRecordSummary): to keep, of settles */
  GPtrArray       *deferred;  /* (element-type Settle) */
} Pass;

static void
pass_init (Pass     *pass,
           CcInstant now,
           CcInstant next)
{
  *pass = (Pass){ 0 };
  pass->now = now;
  pass->next = next;
  pass->evaluations = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_evaluation_free);
  pass->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_escalation_free);
  pass->judged = g_ptr_array_new ();
  pass->by_record = g_hash_table_new (g_str_hash, g_str_equal);
  pass->unsettled = g_hash_table_new (g_str_hash, g_str_equal);
  pass->settled = g_ptr_array_new_with_free_func (g_free);
  pass->written = g_ptr_array_new ();
  pass->to_show = g_ptr_array_new_with_free_func (queued_free);
}

static void
pass_clear (Pass *pass)
{
  g_clear_pointer (&pass->deferred, g_ptr_array_unref);
  g_clear_pointer (&pass->summaries, g_array_unref);
  g_clear_pointer (&pass->settles, g_array_unref);
  g_clear_pointer (&pass->to_show, g_ptr_array_unref);
  g_clear_pointer (&pass->written, g_ptr_array_unref);
  cc_escalation_plan_clear (&pass->plan);
  g_clear_pointer (&pass->previous, g_ptr_array_unref);
  g_clear_pointer (&pass->settled, g_ptr_array_unref);
  g_clear_pointer (&pass->unsettled, g_hash_table_unref);
  g_clear_pointer (&pass->by_record, g_hash_table_unref);
  g_clear_pointer (&pass->judged, g_ptr_array_unref);
  g_clear_pointer (&pass->rows, g_ptr_array_unref);
  g_clear_pointer (&pass->ids, g_ptr_array_unref);
  g_clear_pointer (&pass->evaluations, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pass, pass_clear)

/* A bad row costs that row, never the watch on every other child; it is
 * kept for doctor and the report.  The log names no event data.  First,
 * so that the records evaluated next are judged without those rows. */
static gboolean
pass_quarantine_problems (CcAgent *agent,
                          Pass    *pass,
                          GError **error)
{
  guint n_new = 0;

  if (!cc_ledger_quarantine_problems (agent->ledger, agent->store, pass->now, NULL, &n_new, error))
    return FALSE;
  if (n_new > 0)
    g_message (g_dngettext (GETTEXT_PACKAGE,
                            /* Translators: do not translate the command 'custody-clock doctor' */
                            "%u row of the custody log cannot count and was quarantined; "
                            "'custody-clock doctor' lists it",
                            "%u rows of the custody log cannot count and were quarantined; "
                            "'custody-clock doctor' lists them",
                            n_new),
               n_new);
  return TRUE;
}

/* Evaluates every record held at the pass's time, notes which must stay
 * held and the earliest next change, and reads each monitored record's
 * escalations (a read per record: the planner needs them all). */
static gboolean
pass_evaluate (CcAgent *agent,
               Pass    *pass,
               GError **error)
{
  CcInstant now = pass->now;

  pass->ids = cc_ledger_get_record_ids (agent->ledger);
  for (guint i = 0; i < pass->ids->len; i++)
    {
      const char     *id = g_ptr_array_index (pass->ids, i);
      const CcRecord *record = cc_ledger_get_record (agent->ledger, id);
      CcEvaluation   *ev;

      /* Held, or waiting for a correction's target; a record whose every
       * event was voided waits for nothing and is let go. */
      if (cc_record_is_held (record) || record->n_pending > 0)
        g_hash_table_add (pass->unsettled, (gpointer) id);
      if (record->arrival == NULL)
        continue;
      if (record->arrival->occurred_at > now)
        {
          /* Keyed a little ahead of its time: it starts then. */
          pass->next = cc_instant_earliest (pass->next, record->arrival->occurred_at);
          g_hash_table_add (pass->unsettled, (gpointer) id);
          continue;
        }
      ev = cc_engine_evaluate (record, agent->policy, now);
      if (!ev->monitored)
        {
          cc_evaluation_free (ev);
          continue;
        }
      g_ptr_array_add (pass->evaluations, ev);
      g_hash_table_insert (pass->by_record, ev->record_id, ev);
      if (cc_evaluation_is_open (ev))
        {
          g_hash_table_add (pass->unsettled, (gpointer) id);
          if (ev->next_change != CC_INSTANT_NONE)
            pass->next = cc_instant_earliest (pass->next, ev->next_change);
        }
      if (!cc_store_list_record_escalations (agent->store, ev->record_id, pass->rows, error))
        return FALSE;
    }
  return TRUE;
}

/* Plans what to raise and resolve (cc_escalator_plan(), pure): no store. */
static void
pass_plan (CcAgent *agent,
           Pass    *pass)
{
  CcInstant now = pass->now;

  /* The planner judges only records of breaches at or before `now`.  One
   * after it was written when the machine's clock read later than it does
   * now (the clock set back): the engine at `now` cannot show that breach
   * yet, and the planner would take its absence for a late entry and
   * resolve the record "withdrawn_late_entry" for good.  It is left as it
   * is until the time comes round again. */
  for (guint i = 0; i < pass->rows->len; i++)
    if (((CcEscalation *) g_ptr_array_index (pass->rows, i))->breached_at <= now)
      g_ptr_array_add (pass->judged, g_ptr_array_index (pass->rows, i));
  if (agent->previous_policy != NULL)
    {
      pass->previous = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_evaluation_free);
      for (guint i = 0; i < pass->evaluations->len; i++)
        {
          const CcEvaluation *ev = g_ptr_array_index (pass->evaluations, i);
          g_ptr_array_add (pass->previous, cc_engine_evaluate (cc_ledger_get_record (agent->ledger, ev->record_id),
                                                               agent->previous_policy, now));
        }
    }
  cc_escalation_plan_init (&pass->plan);
  cc_escalator_plan (pass->evaluations, pass->judged, pass->previous, agent->policy, now, &pass->plan);
}

/* Writes the plan, when there is one, in the pass's one transaction,
 * begun here and left open: the settles join it (pass_settle()), so that
 * what a start skips always had its escalations written.  On failure the
 * caller rolls back (pass->in_write says whether there is anything to). */
static gboolean
pass_write_plan (CcAgent *agent,
                 Pass    *pass,
                 GError **error)
{
  CcInstant now = pass->now;

  if (pass->plan.raise->len == 0 && pass->plan.resolve->len == 0)
    return TRUE;
  if (!cc_store_begin (agent->store, error))
    return FALSE;
  pass->in_write = TRUE;
  for (guint i = 0; i < pass->plan.raise->len; i++)
    {
      CcEscalation *row = g_ptr_array_index (pass->plan.raise, i);
      gboolean      inserted;

      if (!cc_store_insert_escalation (agent->store, row, &inserted, error))
        return FALSE;
      pass->n_inserted += inserted;
      if (inserted && row->resolution != CC_RESOLUTION_NONE &&
          !cc_store_resolve_escalation (agent->store, row->id, row->resolution, now, error))
        return FALSE;
      if (inserted)
        g_ptr_array_add (pass->written, row);
    }
  for (guint i = 0; i < pass->plan.resolve->len; i++)
    {
      CcPlannedResolution *r = &g_array_index (pass->plan.resolve, CcPlannedResolution, i);
      if (!cc_store_resolve_escalation (agent->store, r->escalation_id, r->resolution, now, error))
        return FALSE;
    }
  /* Read back inside the transaction (it sees its own writes), so
   * that the settles below join it. */
  g_ptr_array_set_size (pass->judged, 0);
  g_ptr_array_set_size (pass->rows, 0);
  for (guint i = 0; i < pass->evaluations->len; i++)
    if (!cc_store_list_record_escalations (
          agent->store, ((CcEvaluation *) g_ptr_array_index (pass->evaluations, i))->record_id, pass->rows, error))
      return FALSE;
  return TRUE;
}

/* One breach, whichever level its escalation record is at: the records
 * of a breach that climbed share it. */
static char *
breach_identity (const CcEscalation *row)
{
  return g_strdup_printf ("%s/%s/%d/%" G_GINT64_FORMAT, row->record_id, row->rule, row->occurrence, row->breached_at);
}

/* Queues what this desk is to be shown (pass->to_show), shown only once
 * the pass has committed: records at or above its role, resolutions
 * where the breach was shown, one catch-up notice a child for breaches
 * found after the fact, and warnings.  Marks records with an open
 * escalation as staying held.  No store. */
static void
pass_queue_notices (CcAgent *agent,
                    Pass    *pass)
{
  GPtrArray *rows = pass->rows;
  g_autoptr (GHashTable) resolved_shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) caught_up = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                            (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) caught_up_order = g_ptr_array_new (); /* record ids, in the order of their records */

  /* A breach that climbed has a record per level; when it is resolved the
   * desk is told once, for the highest level it was shown. */
  for (guint i = 0; i < rows->len; i++)
    {
      const CcEscalation *row = g_ptr_array_index (rows, i);
      g_autofree char    *breach_key = cc_desk_notice_breach_key (row->id);

      if (row->resolved_at != CC_INSTANT_NONE && g_hash_table_contains (agent->delivered, breach_key))
        g_hash_table_insert (resolved_shown, breach_identity (row),
                             GINT_TO_POINTER (i + 1)); /* rows are by id: the last is the highest */
    }

  /* What this desk shows: records at or above its role, and warnings. */
  for (guint i = 0; i < rows->len; i++)
    {
      const CcEscalation *row = g_ptr_array_index (rows, i);
      const CcEvaluation *ev = g_hash_table_lookup (pass->by_record, row->record_id);
      g_autofree char    *breach_key = cc_desk_notice_breach_key (row->id);

      if (row->resolved_at == CC_INSTANT_NONE)
        g_hash_table_add (pass->unsettled, row->record_id);
      if (ev == NULL || !notifies_record (agent, ev) || row->level < agent->role)
        continue;
      if (row->resolved_at != CC_INSTANT_NONE)
        {
          g_autofree char *breach = breach_identity (row);

          /* Say it is resolved only where the breach was shown, once. */
          if (GPOINTER_TO_UINT (g_hash_table_lookup (resolved_shown, breach)) == i + 1)
            queue_notice (pass->to_show, row->record_id, cc_desk_notice_resolved (row, row->resolution));
          else
            g_hash_table_remove (agent->owed, breach_key);
          continue;
        }
      if (row->acknowledged_at != CC_INSTANT_NONE)
        continue;
      if (row->late && !g_hash_table_contains (agent->delivered, breach_key) &&
          !g_hash_table_contains (agent->in_flight, breach_key))
        {
          g_autofree char *grouped_key = cc_desk_notice_grouped_key (row->id);
          GPtrArray       *missed;

          if (g_hash_table_contains (agent->delivered, grouped_key))
            continue; /* shown in a catch-up notice */
          missed = g_hash_table_lookup (caught_up, row->record_id);
          if (missed == NULL)
            {
              missed = g_ptr_array_new ();
              g_hash_table_insert (caught_up, row->record_id, missed);
              g_ptr_array_add (caught_up_order, row->record_id);
            }
          g_ptr_array_add (missed, (gpointer) row);
          continue;
        }
      queue_notice (pass->to_show, row->record_id, cc_desk_notice_breach (row, agent->policy->tz));
    }
  /* Breaches found after the fact (the agent was not running) come one
   * notice a child, not one a breach: a desk starting on a log with four
   * children's missed hourly visits must not get sixty notices at once. */
  for (guint i = 0; i < caught_up_order->len; i++)
    {
      const char *record_id = g_ptr_array_index (caught_up_order, i);
      GPtrArray  *missed = g_hash_table_lookup (caught_up, record_id);

      if (missed->len == 1)
        queue_notice (pass->to_show, record_id, cc_desk_notice_breach (g_ptr_array_index (missed, 0), agent->policy->tz));
      else
        queue_notice (pass->to_show, record_id, catch_up_notice (agent, missed));
    }
  for (guint i = 0; i < pass->evaluations->len; i++)
    {
      const CcEvaluation *ev = g_ptr_array_index (pass->evaluations, i);

      if (!cc_evaluation_is_open (ev) || !notifies_record (agent, ev))
        continue;
      for (int c = 0; c < CC_N_CLOCKS; c++)
        if (ev->clocks[c].current.state == CC_STATE_WARNING && role_sees_warning (agent, c))
          queue_notice (pass->to_show, ev->record_id, cc_desk_notice_warning (ev, c, agent->policy->tz));
    }
}

/* Lets go of what is settled and commits: the records closed (or an
 * adult's) with every escalation resolved are let go.  Only a new row can
 * change such a record, and a new row brings it back
 * (cc_ledger_load_held()).  Those the engine also judges settled leave
 * record_unsettled, in this pass's transaction if it wrote anything
 * (settle_let_go()), else in one of their own, whose failure costs only a
 * read at the next start.  Then the transaction, if any, is committed. */
static gboolean
pass_settle (CcAgent *agent,
             Pass    *pass,
             GError **error)
{
  for (guint i = 0; i < pass->ids->len; i++)
    if (!g_hash_table_contains (pass->unsettled, g_ptr_array_index (pass->ids, i)))
      g_ptr_array_add (pass->settled, g_strdup (g_ptr_array_index (pass->ids, i)));
  pass->summaries = g_array_new (FALSE, TRUE, sizeof (CcStoreRecordSummary));
  g_array_set_clear_func (pass->summaries, (GDestroyNotify) cc_store_record_summary_clear);
  pass->settles = settle_let_go (agent, pass->settled, pass->by_record, pass->to_show, pass->now, &pass->deferred,
                                 pass->summaries);
  if (!pass->in_write && pass->settles->len > 0)
    {
      g_autoptr (GError) settle_error = NULL;

      /* Nothing else to write: the settles are their own transaction, and
       * one that cannot be written costs nothing but a read at the next
       * start (the records stay in record_unsettled). */
      if (!cc_store_settle (agent->store, (const CcStoreSettled *) (gpointer) pass->settles->data,
                            pass->settles->len, CC_STORE_SETTLE_AGENT, &settle_error))
        {
          g_debug ("the records let go were not recorded as settled: %s", settle_error->message);
          g_array_set_size (pass->settles, 0);
        }
    }
  else if (pass->settles->len > 0 &&
           !cc_store_settle (agent->store, (const CcStoreSettled *) (gpointer) pass->settles->data,
                             pass->settles->len, CC_STORE_SETTLE_AGENT, error))
    return FALSE;
  if (pass->in_write && !cc_store_commit (agent->store, error))
    return FALSE;
  pass->in_write = FALSE;
  settle_done (agent, pass->settles, pass->settled, pass->deferred);
  return TRUE;
}

/* After the commit, and only then (a pass that fails is made again, and
 * must not have logged or shown what was rolled back): the journal's
 * lines, the notices, the summaries of the records let go (their own
 * transaction, after the notices so that it never delays one), and the
 * records let go leave the ledger. */
static void
pass_after_commit (CcAgent *agent,
                   Pass    *pass)
{
  log_written (agent, &pass->plan, pass->written, pass->n_inserted);
  for (guint i = 0; i < pass->to_show->len; i++)
    {
      Queued *queued = g_ptr_array_index (pass->to_show, i);

      show (agent, queued->record_id, g_steal_pointer (&queued->notice));
    }
  keep_summaries (agent, pass->summaries);

  /* What borrows from the ledger's records goes before they do. */
  g_clear_pointer (&pass->settles, g_array_unref);
  g_clear_pointer (&pass->evaluations, g_ptr_array_unref);
  g_clear_pointer (&pass->by_record, g_hash_table_unref);
  g_clear_pointer (&pass->unsettled, g_hash_table_unref);
  for (guint i = 0; i < pass->settled->len; i++)
    cc_ledger_remove_record (agent->ledger, g_ptr_array_index (pass->settled, i));
}

/* Evaluates, escalates and notifies for every record the ledger holds,
 * then lets the settled ones go: the steps above, in order.  The store is
 * written by the quarantine (its own), the plan and the settles (one
 * transaction, or the settles' own), and after the commit the deliveries
 * and the summaries; a failure before the commit rolls the transaction
 * back and the pass is made again from the same rows. */
static gboolean
process_held (CcAgent   *agent,
              CcInstant  now,
              CcInstant *inout_next,
              GError   **error)
{
  g_auto (Pass) pass = { 0 };

  pass_init (&pass, now, *inout_next);
  if (!pass_quarantine_problems (agent, &pass, error) || !pass_evaluate (agent, &pass, error))
    return FALSE;
  pass_plan (agent, &pass);
  if (!pass_write_plan (agent, &pass, error))
    goto fail;
  pass_queue_notices (agent, &pass);
  if (!pass_settle (agent, &pass, error))
    goto fail;
  pass_after_commit (agent, &pass);
  *inout_next = cc_instant_earliest (pass.next, pass.plan.next_step);
  return TRUE;

fail:
  if (pass.in_write)
    cc_store_rollback (agent->store);
  return FALSE;
}

/* Records read per batch: a pass over many records not held (a bulk
 * import) holds one batch at a time, not all of them. */
#define LOAD_BATCH 2000
/* Records read per step of the first pass, whose catch-up may be a whole
 * log no agent has let go (after the migration to schema 10, every
 * record).  Smaller than LOAD_BATCH: a step is what SIGTERM waits for
 * (some 0.6 ms a record here, so about 0.3 s), and each step commits what
 * it found, so a short step loses nothing but a little speed (its
 * transaction, and the open records held, evaluated again a step). */
#define CATCH_UP_BATCH 500

/* Every row up to read_seq has been through a pass: the end of a pass. */
static gboolean
finish_pass (CcAgent  *agent,
             CcInstant next,
             GError  **error)
{
  /* Written when it moves: a pass with nothing new writes nothing (each
   * write is a commit, and a file event for every agent on the log). */
  if (agent->read_seq != agent->checkpoint_seq)
    {
      if (!cc_store_advance_checkpoint (agent->store, agent->read_seq, error))
        return FALSE;
      agent->checkpoint_seq = agent->read_seq;
    }
  /* Every record has now been judged under the new policy too. */
  if (!agent->policy_saved)
    {
      g_autofree char *text = cc_policy_to_string (agent->policy);

      if (!cc_store_set_agent_policy (agent->store, agent->agent_id, text, error))
        return FALSE;
      agent->policy_saved = TRUE;
    }
  g_clear_pointer (&agent->previous_policy, cc_policy_unref);
  agent->started = TRUE;
  agent->next_wakeup = next;
  return TRUE;
}

/* A failed first pass is begun again from the start (the records it let
 * go and settled are not read again: nothing is lost). */
static void
abandon_catch_up (CcAgent *agent)
{
  g_clear_pointer (&agent->catch_up, g_ptr_array_unref);
  agent->read_seq = agent->catch_up_read_seq;
}

/**
 * cc_agent_process_step:
 * @now: the time, from the caller's clock
 * @out_done: (out): %FALSE while the first pass has more to read: call
 *   again (from the main loop, so that signals are heard between calls)
 *
 * Part of a pass.  A pass after the first is made whole; the first, which
 * catches up on a log that may hold many records no agent has let go,
 * reads CATCH_UP_BATCH (500) records a call.  Each batch commits what it found
 * (escalation records, the records it let go), so stopping between two
 * calls keeps them and the next start carries on from there: it reads
 * what is still unsettled, less what this one settled.
 */
gboolean
cc_agent_process_step (CcAgent  *agent,
                       CcInstant now,
                       gboolean *out_done,
                       GError  **error)
{
  g_autoptr (GPtrArray) to_load = NULL;
  CcInstant next = CC_INSTANT_NONE;
  gint64    read_seq = agent->read_seq;
  guint     i = 0;

  g_return_val_if_fail (agent != NULL, FALSE);
  g_return_val_if_fail (now != CC_INSTANT_NONE, FALSE);
  g_return_val_if_fail (out_done != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_done = TRUE;
  if (agent->delivered == NULL)
    {
      agent->delivered = cc_store_list_deliveries (agent->store, agent->agent_id, error);
      if (agent->delivered == NULL)
        return FALSE;
    }
  if (!agent->started && agent->catch_up == NULL)
    {
      if (!agent->policy_saved && !load_saved_policy (agent, error))
        return FALSE;
      agent->catch_up = g_ptr_array_new_with_free_func (g_free);
      agent->catch_up_pos = 0;
      agent->catch_up_next = CC_INSTANT_NONE;
      agent->catch_up_read_seq = agent->read_seq;
      if (!read_log (agent, now, agent->catch_up, error))
        {
          abandon_catch_up (agent);
          return FALSE;
        }
    }

  if (agent->catch_up != NULL)
    {
      GPtrArray *ids = agent->catch_up;

      for (guint n = 0; agent->catch_up_pos < ids->len && n < CATCH_UP_BATCH; agent->catch_up_pos++, n++)
        if (!cc_ledger_load_record (agent->ledger, agent->store, g_ptr_array_index (ids, agent->catch_up_pos),
                                    machine_now (agent, now), error))
          {
            abandon_catch_up (agent);
            return FALSE;
          }
      if (!process_held (agent, now, &agent->catch_up_next, error))
        {
          abandon_catch_up (agent);
          return FALSE;
        }
      if (agent->catch_up_pos < ids->len)
        {
          *out_done = FALSE;
          return TRUE;
        }
      next = agent->catch_up_next;
      g_clear_pointer (&agent->catch_up, g_ptr_array_unref);
      if (!finish_pass (agent, next, error))
        {
          agent->read_seq = agent->catch_up_read_seq;
          return FALSE;
        }
      return TRUE;
    }

  to_load = g_ptr_array_new_with_free_func (g_free);
  if (!read_log (agent, now, to_load, error))
    {
      agent->read_seq = read_seq;
      return FALSE;
    }
  /* Rows of many records not held (a bulk import) come in batches too, in
   * one call: a pass after the first reads only what is new. */
  do
    {
      for (guint n = 0; i < to_load->len && n < LOAD_BATCH; i++, n++)
        if (!cc_ledger_load_record (agent->ledger, agent->store, g_ptr_array_index (to_load, i),
                                    machine_now (agent, now), error))
          goto fail;
      if (!process_held (agent, now, &next, error))
        goto fail;
    }
  while (i < to_load->len);
  if (!finish_pass (agent, next, error))
    goto fail;
  return TRUE;

fail:
  /* Read it all again next time: nothing is lost by a failed pass. */
  agent->read_seq = read_seq;
  return FALSE;
}

/**
 * cc_agent_process:
 * @now: the time, from the caller's clock
 *
 * One pass: read new rows, evaluate, write and resolve escalation records,
 * show what is due, and work out the next wake-up.  The first pass catches
 * up on breaches that happened while no agent was running (their records
 * are marked late).  Only records that are not settled are held between
 * passes (HACKING.md, "The agent's working set").  The whole pass, in one
 * call: custody-clockd makes the first one with cc_agent_process_step().
 */
gboolean
cc_agent_process (CcAgent  *agent,
                  CcInstant now,
                  GError  **error)
{
  gboolean done = FALSE;

  g_return_val_if_fail (agent != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (!done)
    if (!cc_agent_process_step (agent, now, &done, error))
      return FALSE;
  return TRUE;
}

/**
 * cc_agent_acknowledge:
 * @officer: who
 *
 * Acknowledges an escalation (from a notification's Acknowledge action),
 * which stops its climb.
 */
gboolean
cc_agent_acknowledge (CcAgent    *agent,
                      gint64      escalation_id,
                      const char *officer,
                      CcInstant   now,
                      GError    **error)
{
  /* Translators: a note stored with the acknowledgement and shown with it */
  if (!cc_store_acknowledge (agent->store, escalation_id, officer, _ ("acknowledged from the desktop notification"),
                             now, error))
    return FALSE;
  /* Translators: a log line; %1$lld is an escalation number, %2$s who
   * acknowledged it (a user name or a collar or staff number) */
  g_message (_ ("Escalation %1$lld acknowledged by %2$s"), (long long) escalation_id, officer);
  /* During the first pass's catch-up, one step: it evaluates every record
   * held, this one included (its escalation is open), and the catch-up
   * goes on from the main loop rather than all at once here. */
  if (agent->catch_up != NULL)
    {
      gboolean done;

      return cc_agent_process_step (agent, now, &done, error);
    }
  return cc_agent_process (agent, now, error);
}
