/* cmd-demo.c: custody-clock demo
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The first thing a newcomer runs: one night in a custody suite, in about
 * two minutes.  It makes a custody log in a temporary folder, holding the
 * three children of the national inspections' case studies (moved onto a
 * recent night, whole days at a time, so that their times of day stay as
 * they were) and a simulated suite around them.  Then it plays the custody
 * system: it writes each event into the log when the night reaches it,
 * while the real agent (custody-clockd) watches the log on an accelerated
 * clock, writes escalation records and raises notifications: on the
 * desktop when there is a notification server, in the terminal otherwise.
 * The board is shown as the night goes on, and at the end the monthly
 * report is written.
 *
 * The agent's clock and this one are the same accelerated clock
 * (cc_time_source_new_scaled(), passed as --start, --speed and the real origin),
 * so time is injected: nothing in the engine or the agent knows it is a
 * demonstration.  It needs no terminal and no display, and ends by itself.
 *
 * `--db PATH` puts the demonstration's database at PATH, which must not
 * exist: a night of simulated children written into a real custody log
 * would be children nobody can tell from real ones.  `--policy` is
 * refused: the night runs its own policy (the case studies record no cell
 * visits or rest), which it prints with the commands to try afterwards.
 */
#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "cc-board.h"
#include "cc-cli.h"
#include "cc-time-source.h"
#include "cc-ledger.h"
#include "cc-report.h"
#include "cc-simulator.h"

#define DEMO_RESOURCE "/org/custodyclock/CustodyClock/demo/case-studies.jsonl"

/* Where each case study is placed on the demonstration's night (day 0 is
 * the night's first day): the 11-year-old arrives in the afternoon, the
 * 15-year-old was charged and refused bail on day 0 after a night in the
 * cell, the 17-year-old's bail refusal falls on day 0 evening. */
static const struct
{
  const char *record_id;
  const char *anchor_date; /* the case study's date that becomes day 0 */
} case_anchors[] = {
  { "WI-SWN-22-0101", "2022-03-08" },
  { "XX-CEN-22-0202", "2022-11-05" },
  { "XX-NTH-22-0303", "2022-06-15" },
};

/* The published case studies record neither cell visits nor rest, so those
 * two clocks are off for the night: they would only show what was not
 * written down. */
static const char demo_policy[] = "# The demonstration's policy: the defaults, with two clocks off because\n"
                                  "# the published case studies do not record cell visits or rest.\n"
                                  "[cell_visit]\nenabled = false\n\n[rest]\nenabled = false\n";

typedef struct
{
  char     *event_id;
  char     *record_id;
  char     *type;
  CcInstant occurred_at;
  char     *officer;
  char     *data;
  char     *supersedes;
} DemoRow;

static void
demo_row_free (DemoRow *row)
{
  g_free (row->event_id);
  g_free (row->record_id);
  g_free (row->type);
  g_free (row->officer);
  g_free (row->data);
  g_free (row->supersedes);
  g_free (row);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const DemoRow *ra = *(const DemoRow *const *) a;
  const DemoRow *rb = *(const DemoRow *const *) b;

  if (ra->occurred_at != rb->occurred_at)
    return ra->occurred_at < rb->occurred_at ? -1 : 1;
  return strcmp (ra->event_id, rb->event_id);
}

typedef struct
{
  CcCli        *cli;
  CcPolicy     *policy;
  CcStore      *store;
  CcLedger     *ledger;
  CcTimeSource *clock;
  GMainLoop    *loop;
  GSubprocess  *agent;
  GPtrArray    *rows; /* (element-type DemoRow), by time */
  guint         next_row;
  CcInstant     start;
  CcInstant     end;
  CcInstant     next_board; /* plain output: the next board's time */
  CcInstant     last_board; /* plain output: the last board's time */
  GPtrArray    *notices;    /* the latest lines from the agent, for the screen */
  guint         n_notices;
  gboolean      desktop;
  gboolean      agent_exited;
  int           status;
} Demo;

/* Moves an RFC 3339 string by whole days, keeping its offset's meaning (the
 * result is UTC).  Strings that are not times are left alone. */
static JsonNode *
shift_time_node (JsonNode *node,
                 gint64    days)
{
  CcInstant at;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      cc_time_parse (json_node_get_string (node), NULL, &at, NULL))
    {
      g_autofree char *text = cc_time_format_utc (at + days * CC_DAY);
      return json_node_init_string (json_node_alloc (), text);
    }
  return NULL;
}

static char *
shift_date (const char *text,
            gint64      days)
{
  GDate date;

  if (!cc_date_parse (text, &date, NULL))
    return NULL;
  if (days >= 0)
    g_date_add_days (&date, (guint) days);
  else
    g_date_subtract_days (&date, (guint) -days);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
}

/* The case studies, moved so that each record's anchor date is day 0. */
static gboolean
add_case_studies (Demo    *demo,
                  GDate   *day0,
                  GError **error)
{
  g_autoptr (GBytes) bytes = g_resources_lookup_data (DEMO_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_auto (GStrv) lines = NULL;

  if (bytes == NULL)
    return FALSE;
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *object;
      JsonObject *data;
      DemoRow    *row;
      gint64      days = 0;
      CcInstant   at;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, error))
        return FALSE;
      object = json_node_get_object (json_parser_get_root (parser));
      for (gsize a = 0; a < G_N_ELEMENTS (case_anchors); a++)
        if (g_str_equal (json_object_get_string_member (object, "record_id"), case_anchors[a].record_id))
          {
            GDate anchor;
            cc_date_parse (case_anchors[a].anchor_date, &anchor, NULL);
            days = g_date_days_between (&anchor, day0);
          }
      if (!cc_time_parse (json_object_get_string_member (object, "occurred_at"), NULL, &at, error))
        return FALSE;

      data = json_object_get_member (object, "data") != NULL ? json_object_get_object_member (object, "data") : NULL;
      if (data != NULL)
        {
          g_autoptr (GList) members = json_object_get_members (data);
          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode        *shifted = shift_time_node (json_object_get_member (data, l->data), days);
              g_autofree char *date = NULL;

              if (shifted != NULL)
                json_object_set_member (data, l->data, shifted);
              else if (g_str_equal (l->data, "dob") &&
                       (date = shift_date (json_object_get_string_member (data, "dob"), days)) != NULL)
                json_object_set_string_member (data, "dob", date);
            }
        }

      row = g_new0 (DemoRow, 1);
      row->event_id = g_strdup (json_object_get_string_member (object, "event_id"));
      row->record_id = g_strdup (json_object_get_string_member (object, "record_id"));
      row->type = g_strdup (json_object_get_string_member (object, "type"));
      row->occurred_at = at + days * CC_DAY;
      row->officer = g_strdup (json_object_get_string_member_with_default (object, "officer", NULL));
      row->supersedes = g_strdup (json_object_get_string_member_with_default (object, "supersedes", NULL));
      if (data != NULL)
        {
          g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), data);
          row->data = json_to_string (node, FALSE);
        }
      g_ptr_array_add (demo->rows, row);
    }
  return TRUE;
}

/* A simulated suite around the case studies: children who arrive from the
 * day before the night until its end, at a busy suite's rate. */
static void
add_simulated_suite (Demo *demo)
{
  CcSimulatorOptions options;
  g_autoptr (CcSimulator) simulator = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  cc_simulator_options_init (&options);
  options.seed = 2026;
  options.n_records = 20;
  options.start = demo->start - CC_DAY;
  options.n_suites = 1;
  options.per_day = 12.0;
  options.not_after = demo->end;
  options.bad_row_every = 0;
  simulator = cc_simulator_new (&options);

  /* The rows' strings are the simulator's until the next record. */
  while (cc_simulator_next_record (simulator, rows))
    {
      for (guint i = 0; i < rows->len; i++)
        {
          const CcStoreRow *sim = g_ptr_array_index (rows, i);
          DemoRow          *row = g_new0 (DemoRow, 1);

          if (!cc_time_parse (sim->occurred_at, NULL, &row->occurred_at, NULL))
            {
              g_free (row);
              continue;
            }
          row->event_id = g_strdup (sim->event_id);
          row->record_id = g_strdup (sim->record_id);
          row->type = g_strdup (sim->type);
          row->officer = g_strdup (sim->officer);
          row->data = g_strdup (sim->data);
          row->supersedes = g_strdup (sim->supersedes);
          g_ptr_array_add (demo->rows, row);
        }
      g_ptr_array_set_size (rows, 0);
    }
}

/* Plays the custody system: every event the night has reached goes into
 * the log, in one transaction per step, recorded when it happened. */
static gboolean
write_due_rows (Demo     *demo,
                CcInstant now,
                guint    *out_written,
                GError  **error)
{
  guint written = 0;

  if (demo->next_row >= demo->rows->len ||
      ((DemoRow *) g_ptr_array_index (demo->rows, demo->next_row))->occurred_at > now)
    {
      *out_written = 0;
      return TRUE;
    }
  if (!cc_store_begin (demo->store, error))
    return FALSE;
  for (; demo->next_row < demo->rows->len; demo->next_row++)
    {
      DemoRow         *row = g_ptr_array_index (demo->rows, demo->next_row);
      g_autofree char *occurred_at = NULL;
      CcStoreRow       store_row = { 0 };

      if (row->occurred_at > now)
        break;
      occurred_at = cc_time_format_utc (row->occurred_at);
      store_row.event_id = row->event_id;
      store_row.record_id = row->record_id;
      store_row.type = row->type;
      store_row.occurred_at = occurred_at;
      store_row.recorded_at = occurred_at;
      store_row.officer = row->officer;
      store_row.data = row->data != NULL ? row->data : "{}";
      store_row.supersedes = row->supersedes;
      if (!cc_store_insert_row (demo->store, &store_row, NULL, error))
        {
          cc_store_rollback (demo->store);
          return FALSE;
        }
      written++;
    }
  *out_written = written;
  return cc_store_commit (demo->store, error);
}

static void
print_board (Demo     *demo,
             CcInstant now,
             gboolean  redraw)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  /* Translators: the time the demonstration's board shows, a
   * g_date_time_format() format, e.g. "Tue 08 Mar 16:00"; %a and %b are
   * the abbreviated weekday and month names */
  g_autofree char *when = cc_time_format_display (now, demo->policy->tz, C_ ("date format", "%a %d %b %H:%M"));

  if (!cc_ledger_load (demo->ledger, demo->store, now, &error))
    {
      /* not translated: the program's and the command's names, then the error */
      g_printerr ("custody-clock demo: %s\n", error->message);
      return;
    }
  open = cc_board_collect (demo->ledger, demo->policy, now, NULL);
  cc_board_format_status (out, open, now, NULL, demo->policy->tz, demo->cli->is_tty ? CC_BOARD_COLOUR : CC_BOARD_NONE);
  if (redraw)
    {
      /* Counted in the log rather than from the agent's lines, which may
       * be in another language. */
      g_autoptr (GPtrArray) escalations = cc_store_list_escalations (demo->store, FALSE, NULL);
      guint n_escalations = escalations != NULL ? escalations->len : 0;

      /* Home and clear, then the whole screen at once. */
      g_print ("\033[H\033[2J");

      /* Translators: the demonstration's heading: %1$s is the time on its
       * clock (e.g. "Tue 08 Mar 16:00"), %2$g how many times faster than
       * real time that clock runs */
      g_print (_ ("Custody Clock demonstration — %1$s, the clock running %2$g× real time"), when,
               cc_time_source_get_speed (demo->clock));
      g_print ("\n\n%s\n", out->str);
      if (demo->desktop)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: the heading of the agent's latest log lines */
                              "From the agent (%u escalation record so far; notifications also on your desktop):",
                              "From the agent (%u escalation records so far; notifications also on your desktop):",
                              n_escalations),
                 n_escalations);
      else
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: the heading of the agent's latest log lines */
                              "From the agent (%u escalation record so far; notifications printed here: no "
                              "notification server):",
                              "From the agent (%u escalation records so far; notifications printed here: no "
                              "notification server):",
                              n_escalations),
                 n_escalations);
      g_print ("\n");
      for (guint i = 0; i < demo->notices->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (demo->notices, i));
    }
  else
    g_print ("\n── %s ──\n%s", when, out->str);
  demo->last_board = now;
}

/* One line from the agent's log: what it wrote and what it raised.  The
 * agent's log never holds a name or a date of birth. */
static void
on_agent_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Demo            *demo = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  const char      *text;
  g_autofree char *when = NULL;
  g_autofree char *shown = NULL;

  if (line == NULL)
    return; /* the agent has exited */
  /* "custody-clockd-Message: 12:00:00.000: text" → "text" */
  text = line;
  if (g_str_has_prefix (text, "custody-clockd-") || g_str_has_prefix (text, "CustodyClock-"))
    {
      const char *colon = strstr (text, ": ");
      if (colon != NULL && (colon = strstr (colon + 2, ": ")) != NULL)
        text = colon + 2;
    }
  /* Translators: the time of day an agent's log line is shown at, a
   * g_date_time_format() format, e.g. "16:05" */
  when = cc_time_format_display (cc_time_source_get_now (demo->clock), demo->policy->tz, C_ ("date format", "%H:%M"));
  shown = g_strdup_printf ("%s  %s", when, text);
  if (demo->cli->is_tty)
    {
      g_ptr_array_add (demo->notices, g_steal_pointer (&shown));
      if (demo->notices->len > 8)
        g_ptr_array_remove_index (demo->notices, 0);
    }
  else
    {
      /* Translators: a line from the agent's log during the demonstration:
       * %s is the time and what the agent logged */
      g_autofree char *agent_line = g_strdup_printf (_ ("agent %s"), shown);

      g_print ("  %s\n", agent_line);
    }
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL, on_agent_line, demo);
}

static void
on_agent_exit (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Demo *demo = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  demo->agent_exited = TRUE;
  if (g_main_loop_is_running (demo->loop) && cc_time_source_get_now (demo->clock) < demo->end)
    {
      g_printerr (_ ("custody-clock demo: the agent stopped before the night was over\n"));
      demo->status = CC_EXIT_FAILURE;
      g_main_loop_quit (demo->loop);
    }
}

static gboolean
on_tick (gpointer user_data)
{
  Demo     *demo = user_data;
  CcInstant now = MIN (cc_time_source_get_now (demo->clock), demo->end);
  g_autoptr (GError) error = NULL;
  guint written;

  if (now < demo->start)
    return G_SOURCE_CONTINUE;
  if (!write_due_rows (demo, now, &written, &error))
    {
      /* not translated: the program's and the command's names, then the error */
      g_printerr ("custody-clock demo: %s\n", error->message);
      demo->status = CC_EXIT_FAILURE;
      g_main_loop_quit (demo->loop);
      return G_SOURCE_REMOVE;
    }
  if (demo->cli->is_tty)
    print_board (demo, now, TRUE);
  else if (now >= demo->next_board)
    {
      print_board (demo, now, FALSE);
      demo->next_board += 2 * CC_HOUR;
    }
  if (now >= demo->end)
    {
      g_main_loop_quit (demo->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The agent: the installed one beside this program, or the one in the
 * build tree. */
static char *
find_agent (void)
{
  const char      *env = g_getenv ("CUSTODY_CLOCKD_BIN");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (dir != NULL)
    {
      g_autofree char *beside = g_build_filename (dir, "custody-clockd", NULL);
      g_autofree char *built = g_build_filename (dir, "..", "agent", "custody-clockd", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
      if (g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&built);
    }
  return g_find_program_in_path ("custody-clockd");
}

/* Whether a notification server is there to show the agent's notices. */
static gboolean
have_notification_server (void)
{
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static gboolean
start_agent (Demo       *demo,
             const char *db_path,
             const char *policy_path,
             gint64      real_origin_us,
             GError    **error)
{
  g_autofree char *agent_path = find_agent ();
  g_autofree char *start = cc_time_format_utc (demo->start);
  g_autofree char *speed = g_strdup_printf ("%g", cc_time_source_get_speed (demo->clock));
  g_autofree char *origin = g_strdup_printf ("%" G_GINT64_FORMAT, real_origin_us);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GDataInputStream) lines = NULL;

  if (agent_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           /* Translators: custody-clockd, custody-clock and PATH are names and stay as they are */
                           _ ("cannot find custody-clockd beside custody-clock or on PATH: build the project first"));
      return FALSE;
    }
  g_ptr_array_add (argv, agent_path);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db_path);
  g_ptr_array_add (argv, "--policy");
  g_ptr_array_add (argv, (char *) policy_path);
  g_ptr_array_add (argv, "--agent-id");
  g_ptr_array_add (argv, "demo-desk");
  g_ptr_array_add (argv, "--start");
  g_ptr_array_add (argv, start);
  g_ptr_array_add (argv, "--speed");
  g_ptr_array_add (argv, speed);
  g_ptr_array_add (argv, "--start-real-us");
  g_ptr_array_add (argv, origin);
  if (!demo->desktop)
    g_ptr_array_add (argv, "--no-notify");
  g_ptr_array_add (argv, NULL);

  /* Plain log lines, whatever the caller's environment asks of GLib. */
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  demo->agent = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (demo->agent == NULL)
    return FALSE;
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (demo->agent));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, on_agent_line, demo);
  g_subprocess_wait_async (demo->agent, NULL, on_agent_exit, demo);
  return TRUE;
}

static gboolean
write_report (Demo       *demo,
              const char *dir,
              GError    **error)
{
  g_autofree char *month = cc_time_format_display (demo->start, demo->policy->tz, "%Y-%m");
  g_autofree char *name = g_strdup_printf ("report-%s.html", month);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  CcReportOptions  options = { .month = month, .suite = NULL, .at = demo->end, .stamp_at = CC_INSTANT_NONE };
  g_autoptr (JsonObject) report = cc_report_build (demo->store, demo->policy, &options, error);
  g_autofree char *html = NULL;
  JsonObject      *summary;
  gint64           detentions;

  if (report == NULL)
    return FALSE;
  html = cc_report_render_html (report, error);
  if (html == NULL || !g_file_set_contents_full (path, html, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  summary = json_object_get_object_member (report, "summary");
  detentions = json_object_get_int_member (summary, "detentions");
  g_print ("\n");
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        /* Translators: %1$s is the month as YYYY-MM, %2$lld how many times
                         * children were detained in it, %3$lld how many of them were held
                         * overnight; the report's file name follows on the next line */
                        "The monthly breach report for %1$s (%2$lld detention of a child, %3$lld held overnight), "
                        "for the custody lead:",
                        "The monthly breach report for %1$s (%2$lld detentions of children, %3$lld held overnight), "
                        "for the custody lead:",
                        (gulong) MAX (detentions, 0)),
           month, (long long) detentions, (long long) json_object_get_int_member (summary, "overnight"));
  g_print ("\n  %s\n", path);
  return TRUE;
}

int
cc_cmd_demo (CcCli  *cli,
             char ***argv)
{
  double             speed = 480.0;
  int                hours = 16;
  const GOptionEntry entries[] = {
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, N_ ("How many times faster than real time the night runs (default 480: 16 hours in 2 minutes)"), N_ ("FACTOR") },
    { "hours", 0, 0, G_OPTION_ARG_INT, &hours, N_ ("How long the night is, from 16:00 (default 16)"), N_ ("HOURS") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "demo", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
  g_autoptr (CcPolicy) policy = NULL;
  g_autoptr (CcStore) store = NULL;
  g_autoptr (CcLedger) ledger = cc_ledger_new ();
  g_autoptr (CcTimeSource) clock = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDateTime) local_now = NULL;
  g_autoptr (GDateTime) night = NULL;
  g_autoptr (GDate) day0 = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_row_free);
  g_autoptr (GPtrArray) notices = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *policy_path = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  Demo             demo = { 0 };
  guint            written = 0;
  gint64           real_origin_us;
  gint64           night_us = 0;
  int              status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (speed < 1.0 || speed > 100000.0)
    /* Translators: %g is the factor given with --speed */
    return cc_cli_usage_error ("demo", _ ("--speed %g: expected a factor from 1 to 100000"), speed);
  if (hours < 1 || hours > 72)
    /* Translators: %d is the number given with --hours */
    return cc_cli_usage_error ("demo", _ ("--hours %d: expected 1 to 72"), hours);
  if (cli->policy_path != NULL)
    return cc_cli_usage_error ("demo",
                               /* Translators: --policy is an option name and stays as it is */
                               _ ("--policy: the demonstration runs its own policy (cell visits and rest off, "
                                  "since the case studies do not record them); leave out --policy"));
  if (cli->db_path != NULL && g_file_test (cli->db_path, G_FILE_TEST_EXISTS))
    {
      /* Translators: %s is the path given with --db */
      g_printerr (_ ("custody-clock demo: %s exists; the demonstration fills a new database with simulated "
                     "children and never writes them into an existing one: give a path that does not exist yet, "
                     "or leave out --db for a temporary folder\n"),
                  cli->db_path);
      return CC_EXIT_CANTCREAT;
    }

  policy = cc_policy_load_data (defaults, demo_policy, -1, "demo", NULL, &error);
  g_assert_no_error (error);

  /* The night: from 16:00 two days ago, local time, so that every event
   * is in the past for this machine's clock, as a custody log's are. */
  local_now = g_date_time_new_now (policy->tz);
  night = g_date_time_new (policy->tz, g_date_time_get_year (local_now), g_date_time_get_month (local_now),
                           g_date_time_get_day_of_month (local_now), 16, 0, 0);
  {
    g_autoptr (GDateTime) earlier = g_date_time_add_days (night, -2);
    g_date_time_unref (night);
    night = g_steal_pointer (&earlier);
  }
  day0 = g_date_new_dmy (g_date_time_get_day_of_month (night), g_date_time_get_month (night),
                         g_date_time_get_year (night));

  demo.cli = cli;
  demo.policy = policy;
  demo.ledger = ledger;
  demo.loop = loop;
  demo.rows = rows;
  demo.notices = notices;
  demo.start = g_date_time_to_unix (night);
  demo.end = demo.start + hours * CC_HOUR;
  demo.next_board = demo.start;
  demo.desktop = have_notification_server ();

  dir = g_dir_make_tmp ("custody-clock-demo-XXXXXX", &error);
  if (dir == NULL)
    return cc_cli_fail (error);
  db_path = cli->db_path != NULL ? g_strdup (cli->db_path) : g_build_filename (dir, "custody.db", NULL);
  policy_path = g_build_filename (dir, "policy.ini", NULL);
  if (!g_file_set_contents_full (policy_path, demo_policy, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    return cc_cli_fail (error);
  store = cc_store_open (db_path, CC_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return cc_cli_fail (error);
  demo.store = store;

  if (!add_case_studies (&demo, day0, &error))
    return cc_cli_fail (error);
  add_simulated_suite (&demo);
  g_ptr_array_sort (rows, compare_rows);

  /* Translators: when the demonstration's night begins and ends, a
   * g_date_time_format() format, e.g. "Tuesday 08 March 16:00"; %A and %B
   * are the weekday and month names */
  from = cc_time_format_display (demo.start, policy->tz, C_ ("date format", "%A %d %B %H:%M"));
  /* Translators: the same format as the night's beginning */
  to = cc_time_format_display (demo.end, policy->tz, C_ ("date format", "%A %d %B %H:%M"));
  /* Translators: %1$s and %2$s are when the night begins and ends (e.g.
   * "Tuesday 08 March 16:00"), %3$s the time zone's name (e.g.
   * "Europe/London") */
  g_print (_ ("Custody Clock demonstration: one night in a custody suite, %1$s to %2$s (%3$s)."), from, to,
           g_time_zone_get_identifier (policy->tz));
  g_print ("\n\n");
  g_print ("%s\n  %s\n", _ ("The custody log is a new database readable only by you:"), db_path);
  g_print ("%s\n\n",
           _ ("It holds three children from the national inspections' case studies — an 11-year-old waiting\n"
              "17 hours for an appropriate adult, a 15-year-old held 53 hours and a 17-year-old held 34 hours\n"
              "after bail was refused — moved onto this night, and a busy suite of simulated children around them.\n"
              "Cell visits and rest are not in the case studies, so those two clocks are off for the night."));

  /* What the log held before the night began. */
  if (!write_due_rows (&demo, demo.start, &written, &error))
    return cc_cli_fail (error);
  {
    guint            more = rows->len - written;
    g_autofree char *later = NULL;

    /* Translators: the end of the sentence below: %u events of the
     * demonstration are still to come */
    later = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more will be keyed during the night",
                                          "%u more will be keyed during the night", more),
                             more);
    /* Translators: %1$s is when the night begins (e.g. "Tuesday 08 March
     * 16:00"), %2$u how many events the log holds then, %3$s e.g. "300
     * more will be keyed during the night" */
    g_print (g_dngettext (GETTEXT_PACKAGE, "At %1$s the log already holds %2$u event; %3$s.",
                          "At %1$s the log already holds %2$u events; %3$s.", written),
             from, written, later);
    g_print ("\n");
  }

  /* One accelerated clock for this process and the agent, starting a
   * moment from now so that the agent is up when the night begins. */
  real_origin_us = cc_time_source_machine_time_us () + G_USEC_PER_SEC;
  clock = cc_time_source_new_scaled (demo.start * G_USEC_PER_SEC, speed, real_origin_us);
  demo.clock = clock;
  {
    /* The night as it is (--hours), not a nominal one: the figure is
     * checked against the time the night takes, printed at the end. */
    int seconds = (int) ceil ((double) (demo.end - demo.start) / speed);

    g_print (g_dngettext (GETTEXT_PACKAGE,
                          /* Translators: %1$g is how many times faster than real time the
                           * agent's clock runs, %2$d how many real seconds a night takes */
                          "The agent watches the log with its clock running %1$g× real time: a night passes in about "
                          "%2$d s.\n",
                          "The agent watches the log with its clock running %1$g× real time: a night passes in about "
                          "%2$d s.\n",
                          (gulong) MAX (seconds, 0)),
             speed, seconds);
  }
  if (demo.desktop)
    g_print (_ ("Notifications appear on your desktop, and are listed here too.\n"));
  else
    g_print (_ ("There is no notification server here, so the agent's notifications are printed below.\n"));
  if (!start_agent (&demo, db_path, policy_path, real_origin_us, &error))
    return cc_cli_fail (error);

  g_timeout_add (cli->is_tty ? 250 : 100, on_tick, &demo);
  g_main_loop_run (loop);
  night_us = cc_time_source_machine_time_us () - real_origin_us;

  if (demo.agent != NULL && !demo.agent_exited)
    {
      g_subprocess_send_signal (demo.agent, SIGTERM);
      g_subprocess_wait (demo.agent, NULL, NULL);
    }
  g_clear_object (&demo.agent);
  if (demo.status != CC_EXIT_OK)
    return demo.status;

  /* The night is over: the board as the morning shift finds it. */
  if (cli->is_tty)
    print_board (&demo, demo.end, TRUE);
  else if (demo.last_board < demo.end)
    print_board (&demo, demo.end, FALSE);
  g_print ("\n");
  /* Translators: %.0f is how many real seconds the night took, measured */
  g_print (_ ("The night took %.0f s.\n"), (double) night_us / G_USEC_PER_SEC);

  {
    g_autoptr (GPtrArray) escalations = cc_store_list_escalations (store, FALSE, &error);
    guint by_level[CC_N_LEVELS] = { 0 };

    if (escalations == NULL)
      return cc_cli_fail (error);
    for (guint i = 0; i < escalations->len; i++)
      by_level[((CcEscalation *) g_ptr_array_index (escalations, i))->level]++;
    g_print ("\n");
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          /* Translators: %1$u escalation records in all, %2$u, %3$u and %4$u of
                           * them to each rank */
                          "During the night the agent wrote %1$u escalation record: %2$u to the custody sergeant, %3$u "
                          "to the inspector, %4$u to the superintendent.\n",
                          "During the night the agent wrote %1$u escalation records: %2$u to the custody sergeant, "
                          "%3$u to the inspector, %4$u to the superintendent.\n",
                          escalations->len),
             escalations->len, by_level[CC_LEVEL_SERGEANT], by_level[CC_LEVEL_INSPECTOR],
             by_level[CC_LEVEL_SUPERINTENDENT]);
  }

  if (!write_report (&demo, dir, &error))
    {
      /* Translators: %s is what went wrong */
      g_printerr (_ ("custody-clock demo: the report could not be written: %s\n"), error->message);
      return cc_exit_code_for_error (error);
    }

  {
    g_autofree char *end = cc_time_format_utc (demo.end);
    g_autofree char *month = cc_time_format_display (demo.start, policy->tz, "%Y-%m");
    g_autofree char *base = g_strdup_printf ("custody-clock --db %s --policy %s", db_path, policy_path);

    /* The commands themselves are not translated: they are typed as they are. */
    g_print ("\n%s\n", _ ("Try it yourself (the night's policy has cell visits and rest off):"));
    g_print ("  %s status --at %s\n"
             "  %s timeline XX-CEN-22-0202 --at %s\n"
             "  %s escalations --open\n"
             "  %s report --month %s --at %s --format md\n",
             base, end, base, end, base, base, month, end);
  }
  return CC_EXIT_OK;
}
