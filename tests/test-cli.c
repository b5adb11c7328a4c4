/* test-cli.c: the custody-clock command line, as a user runs it
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "cc-event.h"
#include "cc-store.h"
#include "cc-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  fixture->dir = cc_test_tmpdir ();
  fixture->db = g_build_filename (fixture->dir, "custody.db", NULL);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  cc_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static char *
write_jsonl (Fixture    *fixture,
             const char *name,
             const char *contents)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  cc_test_write_file (path, contents);
  return path;
}

/* Only `init` creates a log; every test that imports or records starts
 * with one. */
static void
init_database (Fixture *fixture)
{
  g_autoptr (CcTestRun) run = cc_test_cli (fixture->db, NULL, "init", NULL);

  g_assert_cmpint (run->status, ==, 0);
}

static const char good_and_bad[] =
  "{\"event_id\":\"WI-1\",\"record_id\":\"WI-SWN-22-0101\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\",\"officer\":\"PS 1234\",\"data\":{\"suite\":\"Swindon\",\"child\":\"C-0101\",\"dob\":\"2010-09-01\"}}\n"
  "{\"event_id\":\"WI-2\",\"record_id\":\"WI-SWN-22-0101\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:15:00Z\"}\n"
  "not json at all\n"
  "{\"event_id\":\"WI-4\",\"record_id\":\"WI-SWN-22-0101\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T20:15:00\"}\n"
  "{\"event_id\":\"WI-5\",\"record_id\":\"WI-SWN-22-0101\",\"type\":\"aa_arrived\",\"occurred_at\":\"2022-03-09T07:15:00Z\"}\n";

static void
test_help_and_usage (void)
{
  const char *commands[] = { "init", "import", "record", "status", "timeline", "escalations", "ack", "policy", "doctor", "demo" };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr (CcTestRun) run = cc_test_cli (NULL, NULL, commands[i], "--help", NULL);
      g_assert_cmpint (run->status, ==, 0);
      g_assert_nonnull (strstr (run->out, "Usage:"));
      g_assert_nonnull (strstr (run->out, commands[i]));
      g_assert_nonnull (strstr (run->out, "--db"));
    }

  {
    g_autoptr (CcTestRun) run = cc_test_cli (NULL, NULL, "--version", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_true (g_str_has_prefix (run->out, "custody-clock "));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (NULL, NULL, "--help", NULL);
    g_assert_cmpint (run->status, ==, 0);
    for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
      g_assert_nonnull (strstr (run->out, commands[i]));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_run (NULL, NULL, cc_test_cli_path (), NULL);
    g_assert_cmpint (run->status, ==, 2);
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (NULL, NULL, "frobnicate", NULL);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "'frobnicate' is not a command"));
  }
  {
    g_autoptr (CcTestRun) run = cc_test_cli (NULL, NULL, "import", "--no-such-option", NULL);
    g_assert_cmpint (run->status, ==, 2);
  }
}

static void
test_init_private (Fixture      *fixture,
                   gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *db2 = g_build_filename (fixture->dir, "nested", "two.db", NULL);
  struct stat      st;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_assert_cmpint (run->status, ==, 0);
  {
    g_autofree char *expected = g_strdup_printf ("schema version %d", CC_STORE_SCHEMA_VERSION);
    g_assert_nonnull (strstr (run->out, expected));
  }
  g_assert_cmpint (stat (fixture->db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&run, cc_test_run_free);

  /* --db before the subcommand, into a folder that does not exist yet */
  run = cc_test_run (NULL, NULL, cc_test_cli_path (), "--db", db2, "init", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpint (stat (db2, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_default_paths (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *xdg = g_build_filename (fixture->dir, "xdg", NULL);
  g_autofree char *xdg_env = g_strconcat ("XDG_DATA_HOME=", xdg, NULL);
  g_autofree char *db_env = g_strconcat ("CUSTODY_CLOCK_DB=", fixture->db, NULL);
  g_autofree char *xdg_db = g_build_filename (xdg, "custody-clock", "custody.db", NULL);
  const char      *env_xdg[] = { xdg_env, "CUSTODY_CLOCK_DB", NULL };
  const char      *env_db[] = { xdg_env, db_env, NULL };
  struct stat      st;

  {
    g_autoptr (CcTestRun) run = cc_test_run (env_xdg, NULL, cc_test_cli_path (), "init", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, xdg_db));
    g_assert_cmpint (stat (xdg_db, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  {
    g_autoptr (CcTestRun) run = cc_test_run (env_db, NULL, cc_test_cli_path (), "init", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, fixture->db));
    g_assert_true (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  }
}

static void
test_import_mixed (Fixture      *fixture,
                   gconstpointer data)
{
  g_autofree char *file = write_jsonl (fixture, "night.jsonl", good_and_bad);
  g_autofree char *line3 = g_strconcat (file, ":3: ", NULL);
  g_autofree char *line4 = g_strconcat (file, ":4: ", NULL);
  g_autoptr (CcTestRun) run = NULL;

  init_database (fixture); /* only init creates a log (issue 14 item 6) */
  run = cc_test_cli (fixture->db, NULL, "import", file, NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_cmpstr (run->out, ==, "imported 3, duplicates 0, rejected 2\n");
  g_assert_cmpint (cc_test_count_lines (run->err, line3), ==, 1);
  g_assert_cmpint (cc_test_count_lines (run->err, line4), ==, 1);
  g_assert_nonnull (strstr (run->err, "--assume-tz")); /* says what to do */
  g_clear_pointer (&run, cc_test_run_free);

  /* The same file again stores nothing new. */
  run = cc_test_cli (fixture->db, NULL, "import", file, NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_cmpstr (run->out, ==, "imported 0, duplicates 3, rejected 2\n");
  g_clear_pointer (&run, cc_test_run_free);

  /* The rejected lines are listed by doctor with their line numbers, and
   * need attention (exit 1) until they are sent again corrected. */
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->out, "2 quarantined inputs and rows not mended"));
  g_assert_nonnull (strstr (run->out, "Events: 3 valid in 1 records"));
  g_assert_nonnull (strstr (run->out, "Quarantine: 2 "));
  g_assert_cmpint (cc_test_count_lines (run->out, line3), ==, 1);
}

static void
test_import_stdin_assume_tz (Fixture      *fixture,
                             gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  const char *text =
    "{\"event_id\":\"a\",\"record_id\":\"R\",\"type\":\"arrival\",\"occurred_at\":\"2022-10-29T23:00:00\",\"data\":{\"suite\":\"S\",\"child\":\"C\"}}\n"
    "{\"event_id\":\"b\",\"record_id\":\"R\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-10-30T01:30:00\"}\n"
    "{\"event_id\":\"c\",\"record_id\":\"R\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-10-30T02:30:00\"}\n";

  init_database (fixture); /* only init creates a log (issue 14 item 6) */
  run = cc_test_cli (fixture->db, text, "import", "--assume-tz", "Europe/London", "-", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_cmpstr (run->out, ==, "imported 2, duplicates 0, rejected 1\n");
  g_assert_nonnull (strstr (run->err, "<stdin>:2: "));
  g_assert_nonnull (strstr (run->err, "happened twice"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "import", "--assume-tz", "Mars/Olympus_Mons", NULL);
  g_assert_cmpint (run->status, ==, 2);
}

static void
test_import_missing_file (Fixture      *fixture,
                          gconstpointer data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "no-such.jsonl", NULL);
  g_autoptr (CcTestRun) run = cc_test_cli (fixture->db, NULL, "import", file, NULL);

  g_assert_cmpint (run->status, ==, 66);
  g_assert_nonnull (strstr (run->err, file));
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

static void
test_record (Fixture      *fixture,
             gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  init_database (fixture); /* only init creates a log (issue 14 item 6) */
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", "--at", "2022-03-08T14:00:00Z",
                     "--officer", "PS 1234", "--event-id", "e-1",
                     "suite=Swindon", "child=C-0101", "appears_under_18=true", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "recorded e-1: arrival on R-1 at 2022-03-08 14:00:00 GMT"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Typed values: level is a number, aa_present a boolean. */
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "observation_level", "--at", "2022-03-08T14:05:00+00:00", "level=2", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  /* The same event id again is a no-op. */
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", "--at", "2022-03-08T14:00:00Z",
                     "--event-id", "e-1", "suite=Swindon", "child=C-0101", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "already recorded"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Bad events are refused with the reason, exit 65. */
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "cell_visit", "--at", "2022-03-08T13:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "before record R-1's arrival"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "observation_level", "level=high", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "tea_break", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "cell_visit", "--at", "about three", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "is not a time: write HH:MM (today)"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Held: a record with no arrival yet (R-2 is one slip from R-1, so by
   * hand it takes --force: see /cli/mistyped-record). */
  run = cc_test_cli (fixture->db, NULL, "record", "R-2", "cell_visit", "--force", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "held: record R-2 has no arrival yet"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_nonnull (strstr (run->out, "Events: 3 valid in 2 records"));
  g_assert_nonnull (strstr (run->out, "Records held waiting for their arrival: 1"));
}

/* Another process writes the database with plain SQL and the table's
 * defaults, as a custody system would: the rows are read; bad rows are
 * quarantined and reported, and do not hide the good ones. */
static void
test_third_party_writer (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (CcTestRun) sql = NULL;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  sql = cc_test_run (NULL, NULL, "sqlite3", fixture->db,
                     "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES "
                     "('TP-1', 'arrival', '2022-03-08T14:00:00Z', '{\"suite\":\"North\",\"child\":\"C-9\"}'),"
                     "('TP-1', 'cell_visit', '2022-03-08T15:00:00+00:00', '{}'),"
                     "('TP-1', 'cell_visit', '2022-03-08 16:00', '{}'),"
                     "('TP-1', 'review', '2022-03-08T17:00:00Z', 'rank=inspector');"
                     "INSERT INTO custody_event (record_id, type, occurred_at) VALUES ('TP-1', 'hcp_seen', '2022-03-08T15:30:00Z');",
                     NULL);
  g_assert_cmpint (sql->status, ==, 0);

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1); /* the rows need attention */
  g_assert_nonnull (strstr (run->out, "Events: 3 valid in 1 records"));
  g_assert_nonnull (strstr (run->out, "(2 rows in the log that do not count)"));
  g_assert_nonnull (strstr (run->out, "row 3 (record TP-1): occurred_at"));
  g_assert_nonnull (strstr (run->out, "row 4 (record TP-1): data"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Reported once, however often doctor runs. */
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_nonnull (strstr (run->out, "Quarantine: 2 "));
}

/* A custody system holds the write lock longer than our busy timeout: the
 * CLI says so and exits 75, and the import can simply be run again. */
static void
test_locked (Fixture      *fixture,
             gconstpointer data)
{
  g_autofree char *file = write_jsonl (fixture, "night.jsonl", good_and_bad);
  const char      *env[] = { "CUSTODY_CLOCK_BUSY_TIMEOUT_MS=300", NULL };
  g_autoptr (CcTestRun) run = NULL;
  sqlite3 *db = NULL;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_clear_pointer (&run, cc_test_run_free);

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  run = cc_test_run (env, NULL, cc_test_cli_path (), "import", file, "--db", fixture->db, NULL);
  g_assert_cmpint (run->status, ==, 75);
  g_assert_nonnull (strstr (run->err, "locked"));
  g_assert_nonnull (strstr (run->err, fixture->db));
  g_clear_pointer (&run, cc_test_run_free);

  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  run = cc_test_run (env, NULL, cc_test_cli_path (), "import", file, "--db", fixture->db, NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_cmpstr (run->out, ==, "imported 3, duplicates 0, rejected 2\n");
}

static void
test_doctor (Fixture      *fixture,
             gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 66);
  g_assert_nonnull (strstr (run->err, "custody-clock init"));
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "integrity ok"));
  g_assert_nonnull (strstr (run->out, "permissions 0600"));
  g_assert_nonnull (strstr (run->out, "No problems found."));
  g_clear_pointer (&run, cc_test_run_free);

  /* Loose permissions on an existing file are a finding. */
  g_assert_cmpint (chmod (fixture->db, 0644), ==, 0);
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->out, "WARNING"));
  g_assert_nonnull (strstr (run->out, "chmod o-rwx"));
}

/* The README's first command, as CI runs it: no terminal, no display, no
 * notification server.  The night runs fast (3 s); the real agent writes
 * escalation records, its notifications come out in the terminal, the
 * board is shown, the report is written, and it ends by itself. */
static void
test_demo (Fixture      *fixture,
           gconstpointer data)
{
  g_autofree char *tmp_env = g_strconcat ("TMPDIR=", fixture->dir, NULL);
  const char      *env[] = { tmp_env, "DBUS_SESSION_BUS_ADDRESS=", NULL };
  g_autoptr (CcTestRun) run = cc_test_run (env, NULL, cc_test_cli_path (), "demo", "--speed", "20000", NULL);
  g_autoptr (GRegex) report_line = g_regex_new ("^  (/.*/report-[0-9]{4}-[0-9]{2}\\.html)$", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GRegex) date = g_regex_new ("(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}(?!T)", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *html = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  struct stat      st;

  g_assert_cmpint (run->status, ==, 0);
  /* The case studies and the simulated suite, on the board. */
  g_assert_nonnull (strstr (run->out, "WI-SWN-22-0101"));
  g_assert_nonnull (strstr (run->out, "XX-CEN-22-0202"));
  g_assert_nonnull (strstr (run->out, "SIM-"));
  g_assert_nonnull (strstr (run->out, "children in custody"));
  /* The agent ran: its escalation records and notifications, here. */
  g_assert_nonnull (strstr (run->out, "no notification server"));
  g_assert_nonnull (strstr (run->out, "Escalation "));
  g_assert_nonnull (strstr (run->out, "WI-SWN-22-0101: Appropriate adult arrived — missed"));
  g_assert_nonnull (strstr (run->out, "During the night the agent wrote "));
  g_assert_null (strstr (run->out, "the agent stopped"));
  /* What it says the night takes (16 h at 20000×: 2.88 s) is what it
   * takes: the clock cannot end the night sooner. */
  {
    g_autoptr (GRegex) said = g_regex_new ("a night passes in about ([0-9]+) s", 0, 0, NULL);
    g_autoptr (GRegex) took = g_regex_new ("The night took ([0-9]+) s", 0, 0, NULL);
    g_autoptr (GMatchInfo) m1 = NULL;
    g_autoptr (GMatchInfo) m2 = NULL;
    g_autofree char *n1 = NULL;
    g_autofree char *n2 = NULL;

    g_assert_true (g_regex_match (said, run->out, 0, &m1));
    g_assert_true (g_regex_match (took, run->out, 0, &m2));
    n1 = g_match_info_fetch (m1, 1);
    n2 = g_match_info_fetch (m2, 1);
    g_assert_cmpstr (n1, ==, "3");
    g_assert_cmpint (g_ascii_strtoll (n2, NULL, 10), >=, 2);
  }

  /* The report: where it says, a page of HTML, private. */
  g_assert_true (g_regex_match (report_line, run->out, 0, &match));
  report_path = g_match_info_fetch (match, 1);
  g_assert_true (g_file_get_contents (report_path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "<html"));
  g_assert_cmpint (stat (report_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);
  dir = g_path_get_dirname (report_path);
  db = g_build_filename (dir, "custody.db", NULL);
  g_assert_cmpint (stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  /* Pseudonymous references only: no date of birth anywhere. */
  g_assert_null (strstr (run->out, "dob"));
  g_assert_false (g_regex_match (date, run->out, 0, NULL));
  g_assert_false (g_regex_match (date, run->err, 0, NULL));
}

/* demo --db: the night's database where asked, but never into a log that
 * exists (it would mix simulated children into real ones); --policy is
 * refused, since the night runs its own. */
static void
test_demo_db (Fixture      *fixture,
              gconstpointer data)
{
  g_autofree char *tmp_env = g_strconcat ("TMPDIR=", fixture->dir, NULL);
  const char      *env[] = { tmp_env, "DBUS_SESSION_BUS_ADDRESS=", NULL };
  g_autofree char *fresh = g_build_filename (fixture->dir, "demo-night.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (CcTestRun) run = NULL;
  struct stat st;

  /* An existing database: refused, and left as it was. */
  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  g_assert_true (g_file_get_contents (fixture->db, &before, NULL, NULL));
  run = cc_test_run (env, NULL, cc_test_cli_path (), "--db", fixture->db, "demo", "--speed", "20000", NULL);
  g_assert_cmpint (run->status, ==, 73);
  g_assert_nonnull (strstr (run->err, "exists"));
  g_assert_true (g_file_get_contents (fixture->db, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_run (env, NULL, cc_test_cli_path (), "--policy", fixture->db, "demo", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "--policy"));
  g_clear_pointer (&run, cc_test_run_free);

  /* A new path: the night's log is made there, private, and named. */
  run = cc_test_run (env, NULL, cc_test_cli_path (), "--db", fresh, "demo", "--speed", "20000", "--hours", "2", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, fresh));
  g_assert_cmpint (stat (fresh, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fresh, NULL, "escalations", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "WI-SWN-22-0101"));
}

static const char board_events[] =
  /* R-A: Swindon, 11, AA never called: breached by 15:00 */
  "{\"event_id\":\"a1\",\"record_id\":\"R-A\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\",\"data\":{\"suite\":\"Swindon\",\"child\":\"C-A\",\"dob\":\"2010-09-01\"}}\n"
  "{\"event_id\":\"a2\",\"record_id\":\"R-A\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:15:00Z\"}\n"
  /* R-B: Melksham, everything on time so far */
  "{\"event_id\":\"b1\",\"record_id\":\"R-B\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:30:00Z\",\"data\":{\"suite\":\"Melksham\",\"child\":\"C-B\",\"appears_under_18\":true}}\n"
  "{\"event_id\":\"b2\",\"record_id\":\"R-B\",\"type\":\"detention_authorised\",\"occurred_at\":\"2022-03-08T14:35:00Z\"}\n"
  "{\"event_id\":\"b3\",\"record_id\":\"R-B\",\"type\":\"welfare_informed\",\"occurred_at\":\"2022-03-08T14:40:00Z\"}\n"
  "{\"event_id\":\"b4\",\"record_id\":\"R-B\",\"type\":\"aa_requested\",\"occurred_at\":\"2022-03-08T14:45:00Z\"}\n"
  "{\"event_id\":\"b5\",\"record_id\":\"R-B\",\"type\":\"hcp_seen\",\"occurred_at\":\"2022-03-08T14:50:00Z\"}\n"
  "{\"event_id\":\"b6\",\"record_id\":\"R-B\",\"type\":\"aa_arrived\",\"occurred_at\":\"2022-03-08T14:55:00Z\"}\n"
  /* R-C: an adult, not monitored */
  "{\"event_id\":\"c1\",\"record_id\":\"R-C\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\",\"data\":{\"suite\":\"Swindon\",\"child\":\"P-C\",\"dob\":\"1980-01-01\"}}\n"
  /* R-D: a child already released */
  "{\"event_id\":\"d1\",\"record_id\":\"R-D\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T10:00:00Z\",\"data\":{\"suite\":\"Swindon\",\"child\":\"C-D\",\"dob\":\"2009-01-01\"}}\n"
  "{\"event_id\":\"d2\",\"record_id\":\"R-D\",\"type\":\"released\",\"occurred_at\":\"2022-03-08T11:00:00Z\"}\n";

/* An initialised log holding board_events, as most of the board's tests
 * start. */
static void
import_board_events (Fixture *fixture)
{
  g_autofree char *file = write_jsonl (fixture, "board.jsonl", board_events);
  g_autoptr (CcTestRun) run = NULL;

  init_database (fixture); /* only init creates a log (issue 14 item 6) */
  run = cc_test_cli (fixture->db, NULL, "import", file, NULL);
  g_assert_cmpint (run->status, ==, 0);
}

static void
test_status_board (Fixture      *fixture,
                   gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *board;

  import_board_events (fixture);

  /* JSON: the open children only, most urgent first. */
  run = cc_test_cli (fixture->db, NULL, "status", "--at", "2022-03-08T16:00:00Z", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run->out, -1, NULL));
  board = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (board), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (board, 0), "record_id"), ==, "R-A");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (board, 1), "record_id"), ==, "R-B");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (board, 0), "clocks")), ==, 10);
  g_assert_null (strstr (run->out, "2010-09-01"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Text: plain words carry the meaning, no colour codes into a pipe. */
  run = cc_test_cli (fixture->db, NULL, "status", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "2 children in custody"));
  g_assert_nonnull (strstr (run->out, "BREACHED  Appropriate adult called"));
  g_assert_null (strstr (run->out, "\033["));
  g_assert_null (strstr (run->out, "R-C"));
  g_assert_null (strstr (run->out, "R-D"));
  g_assert_true (strstr (run->out, "R-A") < strstr (run->out, "R-B"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "status", "--suite", "Melksham", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_nonnull (strstr (run->out, "1 child in custody"));
  g_assert_null (strstr (run->out, "R-A"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "status", "--at", "yesterday", NULL);
  g_assert_cmpint (run->status, ==, 2);
}

static void
test_timeline (Fixture      *fixture,
               gconstpointer data)
{
  g_autofree char *file = write_jsonl (fixture, "board.jsonl", board_events);
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *record;

  init_database (fixture); /* only init creates a log (issue 14 item 6) */
  run = cc_test_cli (fixture->db, NULL, "import", file, NULL);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "timeline", "R-A", "--at", "2022-03-08T16:00:00Z", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run->out, -1, NULL));
  record = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (record, "age"), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (record, "authorised_at"), ==, "2022-03-08T14:15:00Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "events")), ==, 2);
  g_assert_null (strstr (run->out, "dob"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "timeline", "R-A", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "BREACH  Appropriate adult called (aa_requested 1)"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "timeline", "R-C", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "adults are not monitored"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "timeline", "R-NOPE", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "R-NOPE: no such record"));
}

static void
test_policy_command (Fixture      *fixture,
                     gconstpointer data)
{
  g_autofree char *good = write_jsonl (fixture, "good.ini", "[aa_arrived]\nbreach_after=6h\n");
  g_autofree char *bad = write_jsonl (fixture, "bad.ini", "[review]\ninterval=12h\n");
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.ini", NULL);
  g_autoptr (CcTestRun) run = NULL;

  run = cc_test_cli (NULL, NULL, "policy", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "[aa_arrived]\nenabled=true\nwarn_after=2h\nbreach_after=4h\nescalate_to=inspector\n"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (NULL, NULL, "policy", "--check", good, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, ": ok"));
  g_assert_nonnull (strstr (run->err, "looser than the default 4h"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (NULL, NULL, "policy", "--check", bad, NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "[review] interval=12h"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (NULL, NULL, "policy", "--check", missing, NULL);
  g_assert_cmpint (run->status, ==, 66);
  g_clear_pointer (&run, cc_test_run_free);

  /* Every mistake in the file at once, a line each, each naming the file. */
  {
    g_autofree char *three = write_jsonl (fixture, "three.ini",
                                          "[review]\ninterval=12h\n[aa_requested]\nbreach_after=soon\n"
                                          "[cell_visitt]\ninterval=30m\n");
    g_auto (GStrv) lines = NULL;

    run = cc_test_cli (NULL, NULL, "policy", "--check", three, NULL);
    g_assert_cmpint (run->status, ==, 65);
    lines = g_strsplit (g_strchomp (run->err), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_true (g_str_has_prefix (lines[i], "custody-clock: ") && strstr (lines[i], "three.ini: [") != NULL);
    g_assert_nonnull (strstr (lines[0], "[review] interval=12h"));
    g_assert_nonnull (strstr (lines[1], "[aa_requested] breach_after=soon"));
    g_assert_nonnull (strstr (lines[2], "[cell_visitt]"));
    g_clear_pointer (&run, cc_test_run_free);
  }

  /* --policy works before the command too, and applies. */
  run = cc_test_run (NULL, NULL, cc_test_cli_path (), "--policy", good, "policy", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "breach_after=6h"));
  g_clear_pointer (&run, cc_test_run_free);

  /* A command refuses to run on a policy it cannot trust. */
  run = cc_test_run (NULL, NULL, cc_test_cli_path (), "status", "--policy", bad, "--db", fixture->db, NULL);
  g_assert_cmpint (run->status, ==, 65);
}

/* What a notification's Acknowledge button does, from the command line; an
 * acknowledgement is history and is never rewritten. */
static void
test_escalations_and_ack (Fixture      *fixture,
                          gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_clear_pointer (&run, cc_test_run_free);
  /* Two records as an agent writes them. */
  run = cc_test_run (NULL, NULL, "sqlite3", fixture->db,
                     "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at) VALUES "
                     "('R-1', 'aa_requested', 1, 'sergeant', '2022-03-08T14:30:00Z', '2022-03-08T14:30:00Z'),"
                     "('R-1', 'aa_requested', 1, 'inspector', '2022-03-08T14:30:00Z', '2022-03-08T14:45:00Z');",
                     NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "escalations", "--open", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpint (cc_test_count_lines (run->out, "OPEN"), ==, 2);
  g_clear_pointer (&run, cc_test_run_free);

  /* Times are shown in the policy's display zone, as the board shows them. */
  {
    g_autofree char *tokyo = write_jsonl (fixture, "tokyo.ini", "[display]\ntimezone=Asia/Tokyo\n");

    run = cc_test_cli (fixture->db, NULL, "escalations", "--open", "--policy", tokyo, NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "Tue 8 Mar 23:30"));
    g_clear_pointer (&run, cc_test_run_free);
  }

  run = cc_test_cli (fixture->db, NULL, "ack", "2", NULL);
  g_assert_cmpint (run->status, ==, 2); /* who? */
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "ack", "2", "--officer", "Insp 77", "--note", "AA scheme called", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "acknowledged by Insp 77"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "ack", "2", "--officer", "PS 1", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "already acknowledged by Insp 77"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "ack", "99", "--officer", "PS 1", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "no escalation 99"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "escalations", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "\"acknowledged_by\" : \"Insp 77\""));
  g_assert_nonnull (strstr (run->out, "\"ack_note\" : \"AA scheme called\""));
}

/* The escalation history: what the agent and the desk wrote verifies; a
 * change made with plain SQL (the guards dropped first, as a determined
 * person would) is found, named, and fails doctor. */
static void
test_doctor_escalation_history (Fixture      *fixture,
                                gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (GError) error = NULL;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_clear_pointer (&run, cc_test_run_free);
  {
    /* Two records as the agent writes them (through the store). */
    g_autoptr (CcStore) store = cc_store_open (fixture->db, CC_STORE_OPEN_NONE, &error);
    g_autoptr (CcEscalation) a = cc_escalation_new ("R-1", "aa_arrived", 1, CC_LEVEL_SERGEANT, 1646749800, 1646749800);
    g_autoptr (CcEscalation) b = cc_escalation_new ("R-1", "aa_requested", 1, CC_LEVEL_INSPECTOR, 1646749800, 1646750700);

    g_assert_no_error (error);
    g_assert_true (cc_store_insert_escalation (store, a, NULL, &error));
    g_assert_true (cc_store_insert_escalation (store, b, NULL, &error));
    g_assert_no_error (error);
  }
  run = cc_test_cli (fixture->db, NULL, "ack", "2", "--officer", "Insp 77", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  /* Twice is refused, and leaves nothing behind. */
  run = cc_test_cli (fixture->db, NULL, "ack", "2", "--officer", "PS 1", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "already acknowledged by Insp 77"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "Escalation history: 3 entries, chain intact (head 3: "));
  g_assert_nonnull (strstr (run->out, "No problems found."));
  g_clear_pointer (&run, cc_test_run_free);

  /* Plain SQL cannot rewrite an acknowledgement while the guards stand… */
  run = cc_test_run (NULL, NULL, "sqlite3", fixture->db, "UPDATE escalation SET acknowledged_by = 'PS 1' WHERE id = 2", NULL);
  g_assert_cmpint (run->status, !=, 0);
  g_assert_nonnull (strstr (run->err, "escalation records are history"));
  g_clear_pointer (&run, cc_test_run_free);

  /* …and when they are dropped, doctor finds what was changed. */
  run = cc_test_run (NULL, NULL, "sqlite3", fixture->db,
                     "DROP TRIGGER escalation_no_rewrite; DROP TRIGGER escalation_no_delete;"
                     "UPDATE escalation SET acknowledged_by = 'PS 1' WHERE id = 2;"
                     "DELETE FROM escalation WHERE id = 1;",
                     NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->out, "Escalation history: 3 entries checked, the chain is intact but the records differ"));
  g_assert_nonnull (strstr (run->out, "WARNING: escalation 2 (record R-1): acknowledged_by is 'PS 1' in the table but "
                                      "'Insp 77' in its history"));
  g_assert_nonnull (strstr (run->out, "WARNING: escalation 1 (record R-1, aa_arrived, sergeant) was deleted"));
  g_assert_nonnull (strstr (run->out, "trigger escalation_no_rewrite"));
  g_assert_nonnull (strstr (run->out, "4 findings to act on."));
  /* And there is no command to edit or delete one. */
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (NULL, NULL, "--help", NULL);
  g_assert_null (strstr (run->out, "delete"));
  g_assert_null (strstr (run->out, "edit"));
}

/* One acknowledgement answers the breach: acknowledging the sergeant's
 * record of a breach that has already climbed acknowledges the
 * inspector's too, so no desk is left showing it unanswered; a record of
 * another breach is untouched; a resolved record has nothing to answer;
 * the list has headings and says how each record ended in words. */
static void
test_ack_whole_breach (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (GError) error = NULL;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_clear_pointer (&run, cc_test_run_free);
  {
    g_autoptr (CcStore) store = cc_store_open (fixture->db, CC_STORE_OPEN_NONE, &error);
    g_autoptr (CcEscalation) a = cc_escalation_new ("R-1", "aa_requested", 1, CC_LEVEL_SERGEANT, 1646749800, 1646749800);
    g_autoptr (CcEscalation) b = cc_escalation_new ("R-1", "aa_requested", 1, CC_LEVEL_INSPECTOR, 1646749800, 1646750700);
    g_autoptr (CcEscalation) c = cc_escalation_new ("R-1", "healthcare", 1, CC_LEVEL_SERGEANT, 1646751600, 1646751600);
    g_autoptr (CcEscalation) d = cc_escalation_new ("R-1", "welfare_informed", 1, CC_LEVEL_SERGEANT, 1646751600, 1646751600);

    g_assert_no_error (error);
    g_assert_true (cc_store_insert_escalation (store, a, NULL, &error));
    g_assert_true (cc_store_insert_escalation (store, b, NULL, &error));
    g_assert_true (cc_store_insert_escalation (store, c, NULL, &error));
    g_assert_true (cc_store_insert_escalation (store, d, NULL, &error));
    g_assert_true (cc_store_resolve_escalation (store, d->id, CC_RESOLUTION_SATISFIED, 1646752000, &error));
    g_assert_no_error (error);
  }
  run = cc_test_cli (fixture->db, NULL, "ack", "1", "--officer", "PS 12", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "at every level"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "escalations", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonArray *rows;

    g_assert_true (json_parser_load_from_data (parser, run->out, -1, &error));
    rows = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (rows), ==, 4);
    /* Both levels of the breach, by the same officer… */
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "acknowledged_by"), ==,
                     "PS 12");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1), "acknowledged_by"), ==,
                     "PS 12");
    /* …and not another breach. */
    g_assert_true (json_object_get_null_member (json_array_get_object_element (rows, 2), "acknowledged_by"));
  }
  g_clear_pointer (&run, cc_test_run_free);

  /* The inspector's record was acknowledged with it: a second ack is refused. */
  run = cc_test_cli (fixture->db, NULL, "ack", "2", "--officer", "Insp 3", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "already acknowledged by PS 12"));
  g_clear_pointer (&run, cc_test_run_free);
  /* A resolved record: nothing to acknowledge, and it says why. */
  run = cc_test_cli (fixture->db, NULL, "ack", "4", "--officer", "PS 12", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "already resolved at 2022-03-08T15:06:40Z (the duty was done, late)"));
  g_assert_null (strstr (run->out, "climb"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "escalations", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "No."));
  g_assert_nonnull (strstr (run->out, "Duty or rule"));
  g_assert_nonnull (strstr (run->out, "resolved: the duty was done, late"));
  g_assert_null (strstr (run->out, "(satisfied)"));
  g_assert_null (strstr (run->out, "aa_requested"));
}

/* The -wal and -shm files exist while any program has the database open
 * (the agent, all day); one made readable by others is a finding too. */
static void
test_doctor_wal_permissions (Fixture      *fixture,
                             gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *shm = g_strconcat (fixture->db, "-shm", NULL);
  sqlite3         *db = NULL;

  run = cc_test_cli (fixture->db, NULL, "init", NULL);
  g_clear_pointer (&run, cc_test_run_free);
  /* Another program holds it open, as the agent does. */
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM custody_event", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  g_assert_cmpint (chmod (shm, 0644), ==, 0);
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->out, "custody.db-shm is open to every user of this machine (mode 0644)"));
  g_assert_nonnull (strstr (run->out, "chmod o-rwx"));
  sqlite3_close (db);
}

/* status --reviews: the inspector's list, across children, in time order;
 * --suite and --at as for the board. */
static void
test_status_reviews (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *expected[][2] = {
    { "R-A", "review" },
    { "R-B", "review" },
    { "R-A", "detention_limit" },
    { "R-B", "detention_limit" },
  };
  JsonArray *list;

  import_board_events (fixture);

  run = cc_test_cli (fixture->db, NULL, "status", "--reviews", "--json", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run->out, -1, NULL));
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      g_assert_cmpstr (json_object_get_string_member (o, "record_id"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (o, "clock"), ==, expected[i][1]);
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "due_at"), ==,
                   "2022-03-08T20:15:00Z");
  g_assert_null (strstr (run->out, "2010-09-01"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "status", "--reviews", "--suite", "Melksham", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "PACE reviews and detention limits · Melksham · Tue 8 Mar 2022 16:00 GMT\n"));
  g_assert_nonnull (strstr (run->out, "    20:35            due       R-B Melksham PACE review (1)"));
  g_assert_nonnull (strstr (run->out, "    Wed 9 Mar 14:30  due       R-B Melksham Detention time limit"));
  g_assert_null (strstr (run->out, "R-A"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Before anyone arrived. */
  run = cc_test_cli (fixture->db, NULL, "status", "--reviews", "--at", "2022-03-08T09:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "no child in custody"));
}

/* The readable timeline gives each event's id, the command that corrects
 * one, and marks what was corrected (here through the real binary, with a
 * correction keyed by `record --supersedes`). */
static void
test_timeline_event_ids (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  import_board_events (fixture);
  run = cc_test_cli (fixture->db, NULL, "record", "R-A", "detention_authorised", "--at", "2022-03-08T14:20:00Z",
                     "--supersedes", "a2", "--officer", "PS 9", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "timeline", "R-A", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "custody-clock record R-A TYPE --supersedes ID"));
  g_assert_nonnull (strstr (run->out, "    14:00            arrival  [a1]\n"));
  g_assert_nonnull (strstr (run->out, "    14:15            detention authorised  [a2]  corrected by "));
  g_assert_nonnull (strstr (run->out, "    14:20            detention authorised — PS 9  ["));
  g_assert_nonnull (strstr (run->out, "]  corrects a2\n"));
  g_assert_nonnull (strstr (run->out, "Local authority accommodation requested: starts if bail is refused after charge\n"));
}

/* --at as people type it: HH:MM today and YYYY-MM-DD HH:MM in the display
 * zone (Europe/London here, though the tests run with TZ=UTC), for status,
 * timeline and report; a time the clocks skipped or repeated is refused
 * with the two instants it may mean. */
static void
test_at_local_times (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr (GDateTime) today = NULL;
  g_autoptr (GDateTime) noon = NULL;
  JsonArray *board;

  import_board_events (fixture);

  /* 8 March 2022 is in GMT; 1 July in BST. */
  run = cc_test_cli (fixture->db, NULL, "status", "--at", "2022-03-08 16:00", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run->out, -1, NULL));
  board = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (board), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (board, 0), "at"), ==, "2022-03-08T16:00:00Z");
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "timeline", "R-A", "--at", "2022-07-01 16:00", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "\"at\" : \"2022-07-01T15:00:00Z\""));
  g_clear_pointer (&run, cc_test_run_free);

  /* HH:MM is today in London. */
  g_assert_nonnull (london);
  today = g_date_time_new_now (london);
  noon = g_date_time_new (london, g_date_time_get_year (today), g_date_time_get_month (today),
                          g_date_time_get_day_of_month (today), 12, 0, 0);
  run = cc_test_cli (fixture->db, NULL, "timeline", "R-A", "--at", "12:00", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  {
    g_autoptr (GDateTime) utc = g_date_time_to_utc (noon);
    g_autofree char *text = g_date_time_format (utc, "\"at\" : \"%Y-%m-%dT%H:%M:%SZ\"");
    g_assert_nonnull (strstr (run->out, text));
  }
  g_clear_pointer (&run, cc_test_run_free);

  /* 27 March 2022 01:30 never happened in London; 30 October 01:30 twice. */
  run = cc_test_cli (fixture->db, NULL, "timeline", "R-A", "--at", "2022-03-27 01:30", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "--at: “2022-03-27 01:30” never happened in Europe/London"));
  g_assert_nonnull (strstr (run->err, "2022-03-27T00:30:00+00:00 or 2022-03-27T02:30:00+01:00"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "status", "--at", "2022-10-30 01:30", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "2022-10-30T01:30:00+01:00 for the first time or 2022-10-30T01:30:00+00:00 for the second"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-03", "--format", "json", "--at", "2022-10-30 01:30", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "happened twice in Europe/London"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-03", "--format", "json", "--at", "2022-04-01 00:00", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  /* record --at takes the same forms: the booking desk keys "14:05". */
  run = cc_test_cli (fixture->db, NULL, "record", "R-A", "aa_requested", "--at", "2022-03-08 14:20", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_run (NULL, NULL, "sqlite3", fixture->db,
                     "SELECT occurred_at FROM custody_event WHERE record_id = 'R-A' AND type = 'aa_requested'", NULL);
  g_assert_nonnull (strstr (run->out, "2022-03-08T14:20:00Z"));
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "record", "R-A", "aa_arrived", "--at", "2022-03-27 01:30", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "never happened in Europe/London"));
  g_clear_pointer (&run, cc_test_run_free);

  /* The help gives the forms. */
  run = cc_test_cli (fixture->db, NULL, "status", "--help", NULL);
  g_assert_nonnull (strstr (run->out, "HH:MM (today), YYYY-MM-DD HH:MM (in the policy's time zone) or RFC 3339 with offset"));
  /* … and the board's order (issue 11). */
  g_assert_nonnull (strstr (run->out, "The order of the board, most urgent first:"));
  g_assert_nonnull (strstr (run->out, "a statutory clock first"));
}

/* Issue 14 item 6: a mistyped --db used to become a new, empty log, which
 * `record` reported as "recorded" and the agent watched saying "Ready".
 * Only init creates one; every other command and the agent refuse a
 * missing log with exit 66 and the init hint, and create nothing, not
 * even the folder. */
static void
test_missing_database_refused (Fixture      *fixture,
                               gconstpointer data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "no-such-folder", NULL);
  g_autofree char *db = g_build_filename (folder, "x.db", NULL);
  g_autofree char *file = write_jsonl (fixture, "night.jsonl", good_and_bad);
  g_autofree char *hint = g_strdup_printf ("create it with 'custody-clock init --db %s'", db);
  const char      *commands[][6] = {
         { "record", "R-1", "arrival", "suite=S", "child=C", NULL },
         { "record", "R-1", "cell_visit", NULL },
         { "import", file, NULL },
         { "status", NULL },
         { "timeline", "R-1", NULL },
         { "escalations", NULL },
         { "ack", "1", "--officer", "PS 1", NULL },
         { "report", "--month", "2022-03", "--format", "json", NULL },
         { "doctor", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_autoptr (CcTestRun) run = NULL;

      g_ptr_array_add (argv, (gpointer) cc_test_cli_path ());
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, db);
      for (gsize j = 0; commands[i][j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) commands[i][j]);
      g_ptr_array_add (argv, NULL);
      run = cc_test_run_argv (NULL, NULL, (const char *const *) argv->pdata);
      g_test_message ("custody-clock %s: %d %s", commands[i][0], run->status, run->err);
      g_assert_cmpint (run->status, ==, 66);
      g_assert_nonnull (strstr (run->err, hint));
      g_assert_null (strstr (run->out, "recorded"));
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
    }

  /* The agent too: no empty file watched all night. */
  {
    g_autoptr (CcTestRun) run = NULL;
    const char *agent = g_getenv ("CUSTODY_CLOCKD_BIN");

    g_assert_nonnull (agent);
    run = cc_test_run (NULL, NULL, agent, "--db", db, "--no-notify", NULL);
    g_assert_cmpint (run->status, ==, 66);
    g_assert_nonnull (strstr (run->err, hint));
    g_assert_null (strstr (run->err, "Ready"));
    g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  }

  /* An existing folder without the file: still nothing created. */
  {
    g_autoptr (CcTestRun) run = cc_test_cli (fixture->db, NULL, "record", "R-1", "cell_visit", NULL);

    g_assert_cmpint (run->status, ==, 66);
    g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  }
}

/* Issue 14 item 7: `record` refuses a corrected arrival that leaves earlier
 * events before it, naming them, unless --force; `import` stores it and
 * warns with the line. */
static void
test_arrival_correction_orphans (Fixture      *fixture,
                                 gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *file = NULL;

  init_database (fixture);
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", "--at", "2022-03-08T14:00:00Z", "--event-id", "e-1",
                     "suite=Swindon", "child=C-0101", "appears_under_18=true", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "detention_authorised", "--at", "2022-03-08T14:15:00Z",
                     "--event-id", "e-2", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", "--at", "2022-03-08T15:00:00Z", "--event-id", "e-3",
                     "--supersedes", "e-1", "suite=Swindon", "child=C-0101", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "e-2 (detention_authorised 2022-03-08T14:15:00Z)"));
  g_assert_nonnull (strstr (run->err, "--force"));
  g_assert_null (strstr (run->out, "recorded"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", "--at", "2022-03-08T15:00:00Z", "--event-id", "e-3",
                     "--supersedes", "e-1", "--force", "suite=Swindon", "child=C-0101", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "recorded e-3"));
  g_assert_nonnull (strstr (run->err, "warning: "));
  g_assert_nonnull (strstr (run->err, "e-2 (detention_authorised"));
  g_clear_pointer (&run, cc_test_run_free);

  /* import: stored, with the line and the events named; exit 0. */
  file = write_jsonl (fixture, "later.jsonl",
                      "{\"event_id\":\"e-4\",\"record_id\":\"R-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T15:30:00Z\","
                      "\"supersedes\":\"e-3\",\"data\":{\"suite\":\"Swindon\",\"child\":\"C-0101\"}}\n");
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "cell_visit", "--at", "2022-03-08T15:10:00Z", "--event-id", "e-5", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "import", file, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "imported 1, duplicates 0, rejected 0\n");
  {
    g_autofree char *expected = g_strconcat (file, ":1: warning: ", NULL);
    g_assert_nonnull (strstr (run->err, expected));
  }
  g_assert_nonnull (strstr (run->err, "e-5 (cell_visit 2022-03-08T15:10:00Z)"));
}

/* Issue 14 item 9: a mistyped record number was held for ever.  By hand,
 * an event for a record with no arrival close to one that has is refused
 * with "did you mean"; one held by mistake is cleared by voiding it, and
 * doctor no longer lists its record. */
static void
test_mistyped_record (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  init_database (fixture);
  run = cc_test_cli (fixture->db, NULL, "record", "WI-SWN-22-0101", "arrival", "--at", "2022-03-08T14:00:00Z",
                     "suite=Swindon", "child=C-0101", "appears_under_18=true", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "WI-SWN-22-0110", "aa_arrived", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "no record WI-SWN-22-0110; did you mean WI-SWN-22-0101?"));
  g_assert_nonnull (strstr (run->err, "--force"));
  g_assert_null (strstr (run->out, "recorded"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Same number, other case and spacing. */
  run = cc_test_cli (fixture->db, NULL, "record", "wi swn 22 0101", "aa_arrived", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "did you mean WI-SWN-22-0101?"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Nothing like any record: held, as before (the arrival may come). */
  run = cc_test_cli (fixture->db, NULL, "record", "NORTH-7", "aa_arrived", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "held: record NORTH-7 has no arrival yet"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Forced through, then found to be a mistake: voided, and gone. */
  run = cc_test_cli (fixture->db, NULL, "record", "WI-SWN-22-0110", "aa_arrived", "--event-id", "typo-1", "--force", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "held: "));
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_nonnull (strstr (run->out, "Records held waiting for their arrival: 2"));
  g_assert_nonnull (strstr (run->out, "WI-SWN-22-0110: events keyed"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "WI-SWN-22-0110", "void", "--supersedes", "typo-1", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "recorded "));
  g_assert_null (strstr (run->out, "held"));
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_nonnull (strstr (run->out, "Records held waiting for their arrival: 1"));
  g_assert_null (strstr (run->out, "WI-SWN-22-0110"));
  g_clear_pointer (&run, cc_test_run_free);
  /* … and its timeline says so, not "key the arrival first". */
  run = cc_test_cli (fixture->db, NULL, "timeline", "WI-SWN-22-0110", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "every event of this record was voided"));
}

/* Issue 14 item 10: doctor said "No problems found." under a list of held
 * records, an unresolved correction and quarantined input.  Now each kind
 * is counted with what to do, exit 1 until each is mended. */
static void
test_doctor_needs_attention (Fixture      *fixture,
                             gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;

  init_database (fixture);
  bad = write_jsonl (fixture, "bad.jsonl",
                     "{\"event_id\":\"n-1\",\"record_id\":\"NORTH-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08 15:00\"}\n"
                     "{\"event_id\":\"h-1\",\"record_id\":\"HELD-9\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T15:00:00Z\"}\n"
                     "{\"event_id\":\"c-1\",\"record_id\":\"NORTH-1\",\"type\":\"void\",\"occurred_at\":\"2022-03-08T15:00:00Z\","
                     "\"supersedes\":\"later-1\"}\n"
                     "{\"event_id\":\"a-1\",\"record_id\":\"NORTH-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\","
                     "\"data\":{\"suite\":\"North\",\"child\":\"C-1\",\"appears_under_18\":true}}\n");
  run = cc_test_cli (fixture->db, NULL, "import", bad, NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_null (strstr (run->out, "No problems found."));
  g_assert_nonnull (strstr (run->out, "Needs attention:"));
  g_assert_nonnull (strstr (run->out, "1 record held waiting for its arrival"));
  g_assert_nonnull (strstr (run->out, "1 correction waiting for the event it corrects"));
  g_assert_nonnull (strstr (run->out, "1 quarantined input or row not mended"));
  g_assert_null (strstr (run->out, "findings to act on"));
  g_clear_pointer (&run, cc_test_run_free);

  /* Mended: the line sent again corrected (same id), the held record's
   * arrival keyed, the correction's target keyed. */
  good = write_jsonl (fixture, "good.jsonl",
                      "{\"event_id\":\"n-1\",\"record_id\":\"NORTH-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T15:00:00Z\"}\n"
                      "{\"event_id\":\"h-0\",\"record_id\":\"HELD-9\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:30:00Z\","
                      "\"data\":{\"suite\":\"North\",\"child\":\"C-9\",\"appears_under_18\":true}}\n"
                      "{\"event_id\":\"later-1\",\"record_id\":\"NORTH-1\",\"type\":\"cell_visit\",\"occurred_at\":\"2022-03-08T15:30:00Z\"}\n");
  run = cc_test_cli (fixture->db, NULL, "import", good, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "No problems found."));
  g_assert_nonnull (strstr (run->out, "Quarantine: 1 ")); /* kept for the report */
}

/* Issue 14 item 13: the vocabulary at hand.  record --help lists every
 * type with its fields (from cc-event.c's table); a slip in a type gets
 * "did you mean"; every missing required field is named at once; messages
 * about bad events point to custody-clock-log(5). */
static void
test_record_vocabulary (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;
  g_autofree char *file = NULL;

  run = cc_test_cli (NULL, NULL, "record", "--help", NULL);
  g_assert_cmpint (run->status, ==, 0);
  for (int t = 0; t < CC_EVENT_N_TYPES; t++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s", cc_event_type_to_string ((CcEventType) t));
      g_assert_nonnull (strstr (run->out, line));
    }
  g_assert_nonnull (strstr (run->out, "suite=TEXT child=TEXT [dob=YYYY-MM-DD]"));
  g_assert_nonnull (strstr (run->out, "la_response           outcome=accepted|refused|no_bed|no_response"));
  g_assert_nonnull (strstr (run->out, "custody-clock-log(5)"));
  g_clear_pointer (&run, cc_test_run_free);

  init_database (fixture);
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arirval", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "'arirval' is not an event type; did you mean 'arrival'?"));
  g_clear_pointer (&run, cc_test_run_free);
  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "tea_break", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_null (strstr (run->err, "did you mean"));
  g_assert_nonnull (strstr (run->err, "custody-clock-log(5)"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "arrival needs data.suite, data.child"));
  g_assert_nonnull (strstr (run->err, "custody-clock-log(5)"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "record", "R-1", "arrival", "child=C-1", "suite=", NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, "arrival needs data.suite (it is empty)"));
  g_assert_nonnull (strstr (run->err, "The event format is in custody-clock-log(5)"));
  g_clear_pointer (&run, cc_test_run_free);

  file = write_jsonl (fixture, "slips.jsonl",
                      "{\"event_id\":\"s-1\",\"record_id\":\"R-1\",\"type\":\"arrival\",\"occurred_at\":\"2022-03-08T14:00:00Z\"}\n"
                      "{\"event_id\":\"s-2\",\"record_id\":\"R-1\",\"type\":\"cell_vist\",\"occurred_at\":\"2022-03-08T14:10:00Z\"}\n");
  run = cc_test_cli (fixture->db, NULL, "import", file, NULL);
  g_assert_cmpint (run->status, ==, 65);
  g_assert_nonnull (strstr (run->err, ":1: arrival needs data.suite, data.child"));
  g_assert_nonnull (strstr (run->err, ":2: type: “cell_vist” is not an event type; did you mean “cell_visit”?"));
  g_assert_nonnull (strstr (run->err, "is in custody-clock-log(5)"));
}

/* Suite names are matched whatever their case and resolved to the log's
 * spelling; a name that matches none stops with the suites there are,
 * instead of an empty board or an all-zero report (issue 14 item 8). */
static void
test_suite_names (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  import_board_events (fixture);

  run = cc_test_cli (fixture->db, NULL, "status", "--suite", "melksham", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "1 child in custody"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "status", "--suite", "swindn", "--at", "2022-03-08T16:00:00Z", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "no suite named swindn; suites in the log: Melksham, Swindon"));
  g_assert_cmpstr (run->out, ==, "");
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-03", "--suite", "SWINDON", "--at",
                     "2022-04-01T00:00:00Z", "--format", "json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "\"suite\" : \"Swindon\""));
  g_assert_cmpstr (run->err, ==, "");
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-03", "--suite", "northgate", "--at",
                     "2022-04-01T00:00:00Z", "--format", "json", NULL);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "no suite named northgate; suites in the log: Melksham, Swindon"));
  g_assert_cmpstr (run->out, ==, "");
}

/* A month that has not started is still written, with a warning; one under
 * way is written without one (issue 14 item 8). */
static void
test_report_future_month (Fixture      *fixture,
                          gconstpointer data)
{
  g_autoptr (CcTestRun) run = NULL;

  import_board_events (fixture);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-05", "--at", "2022-03-20T00:00:00Z", "--format",
                     "json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->err, "2022-05 has not started yet: the report has no detentions"));
  g_assert_nonnull (strstr (run->out, "\"detentions\" : 0"));
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-03", "--at", "2022-03-20T00:00:00Z", "--format",
                     "json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  /* Under way: the page shows its instant; nothing on stderr. */
  g_assert_cmpstr (run->err, ==, "");
  g_clear_pointer (&run, cc_test_run_free);

  run = cc_test_cli (fixture->db, NULL, "report", "--month", "2022-02", "--at", "2022-03-20T00:00:00Z", "--format",
                     "json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* Every record back in the backlog, stays forgotten: the log as a
 * migration to schema 10 leaves it. */
static void
unsettle_all (Fixture *fixture)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE record_unsettled SET on_board = 1; DELETE FROM record_stay", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
}

/* issue 15: the board a status shows is the same whether it had to settle
 * the backlog first or read the settled stays, at now and in the past;
 * doctor counts what is left and settles it with --settle. */
static void
test_status_settle (Fixture      *fixture,
                    gconstpointer data)
{
  /* Fixed instants: a board at now says when it was made. */
  const char *ats[] = { "2022-03-08T10:30:00Z", "2022-03-08T16:00:00Z", "2022-03-10T00:00:00Z" };
  g_autoptr (CcTestRun) run = NULL;

  import_board_events (fixture);
  for (gsize i = 0; i < G_N_ELEMENTS (ats); i++)
    {
      g_autoptr (CcTestRun) first = NULL;
      g_autoptr (CcTestRun) second = NULL;

      unsettle_all (fixture);
      first = cc_test_cli (fixture->db, NULL, "status", "--json", "--at", ats[i], NULL);
      second = cc_test_cli (fixture->db, NULL, "status", "--json", "--at", ats[i], NULL);
      g_assert_cmpint (first->status, ==, 0);
      g_assert_cmpint (second->status, ==, 0);
      g_assert_cmpstr (first->out, ==, second->out);
    }
  /* R-D, released at 11:00, is on the board at 10:30 from its stay. */
  run = cc_test_cli (fixture->db, NULL, "status", "--json", "--at", "2022-03-08T10:30:00Z", NULL);
  g_assert_nonnull (strstr (run->out, "\"R-D\""));
  g_clear_pointer (&run, cc_test_run_free);

  /* R-A, R-B and R-C were never released: every board reads them. */
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_nonnull (strstr (run->out, "Records not yet found settled: 3 "));
  g_clear_pointer (&run, cc_test_run_free);
  unsettle_all (fixture);
  run = cc_test_cli (fixture->db, NULL, "doctor", "--settle", NULL);
  g_assert_nonnull (strstr (run->out, "Settled: 1 of 4 records read"));
  g_assert_nonnull (strstr (run->out, "Records not yet found settled: 3 "));
  g_clear_pointer (&run, cc_test_run_free);

  /* Without its trigger a late row would not bring a record back. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER custody_event_unsettles", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  run = cc_test_cli (fixture->db, NULL, "doctor", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->out, "(trigger custody_event_unsettles) was removed"));
  g_assert_nonnull (strstr (run->out, "1 finding to act on."));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/cli/help-and-usage", test_help_and_usage);
  ADD ("/cli/init-private", test_init_private);
  ADD ("/cli/default-paths", test_default_paths);
  ADD ("/cli/import-mixed", test_import_mixed);
  ADD ("/cli/import-stdin-assume-tz", test_import_stdin_assume_tz);
  ADD ("/cli/import-missing-file", test_import_missing_file);
  ADD ("/cli/record", test_record);
  ADD ("/cli/third-party-writer", test_third_party_writer);
  ADD ("/cli/locked", test_locked);
  ADD ("/cli/doctor", test_doctor);
  ADD ("/cli/demo", test_demo);
  ADD ("/cli/demo-db", test_demo_db);
  ADD ("/cli/status-board", test_status_board);
  ADD ("/cli/timeline", test_timeline);
  ADD ("/cli/policy", test_policy_command);
  ADD ("/cli/escalations-and-ack", test_escalations_and_ack);
  ADD ("/cli/doctor-escalation-history", test_doctor_escalation_history);
  ADD ("/cli/ack-whole-breach", test_ack_whole_breach);
  ADD ("/cli/doctor-wal-permissions", test_doctor_wal_permissions);
  ADD ("/cli/status-reviews", test_status_reviews);
  ADD ("/cli/timeline-event-ids", test_timeline_event_ids);
  ADD ("/cli/at-local-times", test_at_local_times);
  ADD ("/cli/missing-database-refused", test_missing_database_refused);
  ADD ("/cli/arrival-correction-orphans", test_arrival_correction_orphans);
  ADD ("/cli/mistyped-record", test_mistyped_record);
  ADD ("/cli/doctor-needs-attention", test_doctor_needs_attention);
  ADD ("/cli/record-vocabulary", test_record_vocabulary);
  ADD ("/cli/suite-names", test_suite_names);
  ADD ("/cli/report-future-month", test_report_future_month);
  ADD ("/cli/status-settle", test_status_settle);
#undef ADD

  return g_test_run ();
}
