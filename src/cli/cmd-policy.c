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
 *
 * The policy in force for this command: --policy FILE over the built-in
 * defaults, else the defaults overlaid by the system and user files.
 *
 * Returns: (transfer full): the policy, or %NULL with @error set
 */
CcPolicy *
cc_cli_load_policy (CcCli   *cli,
                    GError **error)
{
  g_autoptr (CcPolicy) defaults = NULL;

  if (cli->policy_path == NULL)
    return cc_policy_load_default_files (NULL, error);
  defaults = cc_policy_new_default ();
  return cc_policy_load_file (defaults, cli->policy_path, NULL, error);
}

static void
print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    g_printerr (_ ("warning: %s\n"), (const char *) g_ptr_array_index (warnings, i));
}

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
      print_warnings (warnings);
      if (policy == NULL)
        return cc_cli_fail (error);
      g_print (_ ("%s: ok\n"), check);
      return CC_EXIT_OK;
    }

  if (cli->policy_path != NULL)
    {
      g_autoptr (CcPolicy) defaults = cc_policy_new_default ();
      policy = cc_policy_load_file (defaults, cli->policy_path, warnings, &error);
    }
  else
    policy = cc_policy_load_default_files (warnings, &error);
  print_warnings (warnings);
  if (policy == NULL)
    return cc_cli_fail (error);
  text = cc_policy_to_string (policy);
  fputs (text, stdout);
  return CC_EXIT_OK;
}
