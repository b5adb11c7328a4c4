/* cmd-policy.c: custody-clock policy
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cc-cli.h"

/**
 * cc_cli_load_policy:
 * @cli: the command line
 * @error: return location for a #CcPolicyError
 *
 * The policy in force for this command: --policy FILE over the built-in
 * defaults, else the defaults overlaid by the system and user files.
 * Looser-than-default settings are not reported here; `custody-clock
 * policy` reports them.
 *
 * Returns: (transfer full): the policy, or %NULL with @error set
 */
CcPolicy *
cc_cli_load_policy (CcCli   *cli,
                    GError **error)
{
  return cc_policy_load (cli->policy_path, NULL, error);
}

/* Only for a policy that loaded: after an error, the error is what needs
 * fixing, and warnings about the same file would bury it. */
static void
print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    /* Translators: %s says what in the policy is looser than the defaults or ignored */
    g_printerr (_ ("custody-clock: warning: %s\n"), (const char *) g_ptr_array_index (warnings, i));
}

/* custody-clock policy [--check FILE]
 *
 * Without --check: prints the effective policy as a complete policy file.
 * With --check: validates FILE over the built-in defaults (not over the
 * installed files, so the answer does not depend on the desk it is run at)
 * and prints "FILE: ok"; exit 65 when FILE is wrong, 66 when it cannot be
 * read. */
int
cc_cmd_policy (CcCli  *cli,
               char ***argv)
{
  g_autofree char   *check = NULL;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_FILENAME, &check, N_ ("Check a policy file (over the built-in defaults) and say what is wrong with it"), N_ ("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "policy", entries);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcPolicy) policy = NULL;
  g_autofree char *text = NULL;
  int              status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("policy", _ ("unexpected argument '%s'"), (*argv)[1]);

  if (check != NULL)
    {
      g_autoptr (CcPolicy) defaults = cc_policy_new_default ();

      policy = cc_policy_load_file (defaults, check, warnings, &error);
      if (policy == NULL)
        return cc_cli_fail (error);
      print_warnings (warnings);
      /* Translators: %s is the policy file checked: nothing is wrong with it */
      g_print (_ ("%s: ok\n"), check);
      return CC_EXIT_OK;
    }

  policy = cc_policy_load (cli->policy_path, warnings, &error);
  if (policy == NULL)
    return cc_cli_fail (error);
  print_warnings (warnings);
  text = cc_policy_to_string (policy);
  fputs (text, stdout);
  return CC_EXIT_OK;
}
