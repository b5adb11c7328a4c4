/* test-exit.c: one exit code for one error, in both programs
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cc_exit_code_for_error() (cc-exit.c) is what custody-clock and
 * custody-clockd both exit with; the README's table is its contract.
 */
#include "config.h"

#include <locale.h>

#include <gio/gio.h>

#include "cc-event.h"
#include "cc-exit.h"
#include "cc-policy.h"
#include "cc-store.h"
#include "cc-time.h"

static void
assert_code (GQuark domain,
             int    code,
             CcExit expected)
{
  g_autoptr (GError) error = g_error_new_literal (domain, code, "why");

  g_assert_cmpint (cc_exit_code_for_error (error), ==, expected);
}

static void
test_store (void)
{
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_BUSY, CC_EXIT_TEMPFAIL);
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_NOT_FOUND, CC_EXIT_NOINPUT);
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_PERMISSION, CC_EXIT_NOINPUT);
  /* A damaged or too new database is there: not "missing". */
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_CORRUPT, CC_EXIT_FAILURE);
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_TOO_NEW, CC_EXIT_FAILURE);
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_FAILED, CC_EXIT_FAILURE);
  assert_code (CC_STORE_ERROR, CC_STORE_ERROR_REFUSED, CC_EXIT_FAILURE);
}

static void
test_files (void)
{
  assert_code (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, CC_EXIT_NOINPUT);
  assert_code (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, CC_EXIT_NOINPUT);
  assert_code (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, CC_EXIT_NOINPUT);
  assert_code (G_IO_ERROR, G_IO_ERROR_NO_SPACE, CC_EXIT_FAILURE);
  assert_code (G_FILE_ERROR, G_FILE_ERROR_NOENT, CC_EXIT_NOINPUT);
}

/* A policy file that cannot be read is missing input (66); one read and
 * refused is bad data (65).  The agent used to exit 65 for both. */
static void
test_policy (void)
{
  assert_code (CC_POLICY_ERROR, CC_POLICY_ERROR_FILE, CC_EXIT_NOINPUT);
  assert_code (CC_POLICY_ERROR, CC_POLICY_ERROR_PARSE, CC_EXIT_DATAERR);
  assert_code (CC_POLICY_ERROR, CC_POLICY_ERROR_INVALID_VALUE, CC_EXIT_DATAERR);
  assert_code (CC_POLICY_ERROR, CC_POLICY_ERROR_STATUTORY, CC_EXIT_DATAERR);
}

static void
test_data (void)
{
  assert_code (CC_EVENT_ERROR, 0, CC_EXIT_DATAERR);
  assert_code (CC_TIME_ERROR, 0, CC_EXIT_DATAERR);
  /* Usage is decided where the options are parsed. */
  assert_code (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, CC_EXIT_FAILURE);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/exit/store", test_store);
  g_test_add_func ("/exit/files", test_files);
  g_test_add_func ("/exit/policy", test_policy);
  g_test_add_func ("/exit/data", test_data);
  return g_test_run ();
}
