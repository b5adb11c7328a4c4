/* fuzz-policy.c: the policy key file, cc_policy_load_data()
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input is a policy file, overlaid on the built-in defaults as
 * `custody-clock policy --check FILE` does.  A policy that loads must
 * survive cc_policy_to_string() and loading that back, over the defaults
 * and over itself (cc-policy.c promises an equal policy: the agent
 * relies on it to see that a reload changed nothing).
 */
#include "config.h"

#include "fuzz-common.h"

#include "cc-policy.h"

static CcPolicy *defaults;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  defaults = cc_policy_new_default ();
  return 0;
}

static void
check_messages (GPtrArray    *warnings,
                const GError *error)
{
  for (guint i = 0; i < warnings->len; i++)
    fuzz_assert_message (g_ptr_array_index (warnings, i));
  if (error != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);

      /* Every mistake of the file, one line each, each naming the file. */
      g_assert_true (error->domain == CC_POLICY_ERROR);
      g_assert_nonnull (lines[0]);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          fuzz_assert_message (lines[i]);
          g_assert_true (g_str_has_prefix (lines[i], "fuzz.ini: ") || g_str_has_prefix (lines[i], "again.ini: "));
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = NULL;
  g_autoptr (CcPolicy) again = NULL;
  g_autoptr (CcPolicy) over_itself = NULL;
  g_autofree char *text = NULL;

  policy = cc_policy_load_data (defaults, size > 0 ? (const char *) data : "", (gssize) size, "fuzz.ini", warnings,
                                &error);
  check_messages (warnings, error);
  if (policy == NULL)
    return 0;

  text = cc_policy_to_string (policy);
  again = cc_policy_load_data (defaults, text, -1, "again.ini", NULL, &error);
  if (again == NULL)
    g_error ("a policy that loaded does not load back from cc_policy_to_string(): %s\n%s", error->message, text);
  g_assert_true (cc_policy_equal (policy, again));

  over_itself = cc_policy_load_data (policy, text, -1, "again.ini", NULL, &error);
  if (over_itself == NULL)
    g_error ("a policy does not load over itself: %s\n%s", error->message, text);
  g_assert_true (cc_policy_equal (policy, over_itself));
  return 0;
}
