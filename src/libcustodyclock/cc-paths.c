/* cc-paths.c: where the database and the policy live
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cc-paths.h"

/**
 * cc_paths_default_database:
 *
 * The database used when no --db is given: `$CUSTODY_CLOCK_DB`, else
 * `$XDG_DATA_HOME/custody-clock/custody.db` (interfaces.md).
 *
 * Returns: (transfer full): a path
 */
char *
cc_paths_default_database (void)
{
  const char *env = g_getenv ("CUSTODY_CLOCK_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "custody-clock", "custody.db", NULL);
}

/**
 * cc_paths_policy_files:
 *
 * The policy files overlaid on the built-in defaults when no --policy is
 * given, in the order they apply: the system-wide one, then the user's.
 *
 * Returns: (transfer full): a %NULL-terminated array of paths (which may not
 *   exist)
 */
char **
cc_paths_policy_files (void)
{
  char **files = g_new0 (char *, 3);

  files[0] = g_build_filename (SYSCONFDIR, "custody-clock", "policy.ini", NULL);
  files[1] = g_build_filename (g_get_user_config_dir (), "custody-clock", "policy.ini", NULL);
  return files;
}
