/* test-escalation.c: one escalation record, and how it can end
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * CcResolution's ids are stored in the `resolution` column, hashed into
 * the escalation history and used as the report's JSON keys: they must
 * never change, so they are asserted here byte for byte.
 */
#include "config.h"

#include <locale.h>

#include <glib.h>

#include "cc-escalation.h"

static void
test_ids (void)
{
  static const struct
  {
    CcResolution resolution;
    const char  *id;
    gboolean     withdrawal;
  } cases[] = {
    { CC_RESOLUTION_SATISFIED, "satisfied", FALSE },
    { CC_RESOLUTION_CLOSED, "closed", FALSE },
    { CC_RESOLUTION_WITHDRAWN_LATE_ENTRY, "withdrawn_late_entry", TRUE },
    { CC_RESOLUTION_POLICY_CHANGED, "policy_changed", TRUE },
  };

  /* Every resolution the escalator writes is here, in the report's order. */
  g_assert_cmpint (G_N_ELEMENTS (cases), ==, CC_RESOLUTION_LAST - CC_RESOLUTION_FIRST + 1);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (cases[i].resolution, ==, CC_RESOLUTION_FIRST + (int) i);
      g_assert_cmpstr (cc_resolution_to_string (cases[i].resolution), ==, cases[i].id);
      g_assert_cmpint (cc_resolution_from_string (cases[i].id), ==, cases[i].resolution);
      g_assert_cmpint (cc_resolution_is_withdrawal (cases[i].resolution), ==, cases[i].withdrawal);
    }
}

static void
test_open_and_unknown (void)
{
  /* A NULL column is a record still open: no id, no name. */
  g_assert_cmpint (cc_resolution_from_string (NULL), ==, CC_RESOLUTION_NONE);
  g_assert_null (cc_resolution_to_string (CC_RESOLUTION_NONE));
  g_assert_cmpstr (cc_resolution_display_name (CC_RESOLUTION_NONE), ==, "");
  g_assert_false (cc_resolution_is_withdrawal (CC_RESOLUTION_NONE));

  /* A text no Custody Clock writes (a hand edit) is ended, but not one of
   * the known ways, and never mistaken for one: ids match exactly. */
  g_assert_cmpint (cc_resolution_from_string ("resolved by hand"), ==, CC_RESOLUTION_UNKNOWN);
  g_assert_cmpint (cc_resolution_from_string ("Satisfied"), ==, CC_RESOLUTION_UNKNOWN);
  g_assert_cmpint (cc_resolution_from_string ("closed "), ==, CC_RESOLUTION_UNKNOWN);
  g_assert_cmpint (cc_resolution_from_string (""), ==, CC_RESOLUTION_UNKNOWN);
  g_assert_cmpstr (cc_resolution_to_string (CC_RESOLUTION_UNKNOWN), ==, "unknown");
  g_assert_false (cc_resolution_is_withdrawal (CC_RESOLUTION_UNKNOWN));
}

static void
test_display_names (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* In English, each way of ending reads differently, and none is blank:
   * the escalations list says "resolved: <name>". */
  g_assert_cmpstr (cc_resolution_display_name (CC_RESOLUTION_SATISFIED), ==, "the duty was done, late");
  g_assert_cmpstr (cc_resolution_display_name (CC_RESOLUTION_CLOSED), ==, "custody ended with the breach standing");
  g_assert_cmpstr (cc_resolution_display_name (CC_RESOLUTION_WITHDRAWN_LATE_ENTRY), ==,
                   "withdrawn: a late or corrected entry");
  g_assert_cmpstr (cc_resolution_display_name (CC_RESOLUTION_POLICY_CHANGED), ==, "withdrawn: the policy changed");
  for (CcResolution r = CC_RESOLUTION_FIRST; r <= CC_RESOLUTION_UNKNOWN; r++)
    {
      const char *name = cc_resolution_display_name (r);

      g_assert_cmpstr (name, !=, "");
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
    }
}

static void
test_new_record (void)
{
  g_autoptr (CcEscalation) e = cc_escalation_new ("CR-1", "aa_requested", 1, CC_LEVEL_SERGEANT, 100, 160);

  g_assert_cmpstr (e->record_id, ==, "CR-1");
  g_assert_cmpstr (e->rule, ==, "aa_requested");
  g_assert_cmpint (e->level, ==, CC_LEVEL_SERGEANT);
  g_assert_cmpint (e->breached_at, ==, 100);
  g_assert_cmpint (e->raised_at, ==, 160);
  /* A new record is open and unacknowledged. */
  g_assert_cmpint (e->resolution, ==, CC_RESOLUTION_NONE);
  g_assert_cmpint (e->resolved_at, ==, CC_INSTANT_NONE);
  g_assert_cmpint (e->acknowledged_at, ==, CC_INSTANT_NONE);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/escalation/resolution-ids", test_ids);
  g_test_add_func ("/escalation/open-and-unknown", test_open_and_unknown);
  g_test_add_func ("/escalation/display-names", test_display_names);
  g_test_add_func ("/escalation/new-record", test_new_record);
  return g_test_run ();
}
