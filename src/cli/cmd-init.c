/* cmd-init.c: custody-clock init
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc-cli.h"

/* Lets the desks of one suite share a database through a group: the file
 * becomes 0660 and owned by that group, still closed to everyone else. */
static gboolean
share_with_group (const char *path,
                  const char *group,
                  GError    **error)
{
  struct group *gr = getgrnam (group);
  const char   *suffixes[] = { "", "-wal", "-shm" };

  if (gr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %1$s is the database file, %2$s the group name given with --group */
                   _ ("%1$s: there is no group called '%2$s'"), path, group);
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (!g_file_test (file, G_FILE_TEST_EXISTS))
        continue;
      if (chown (file, (uid_t) -1, gr->gr_gid) != 0 || chmod (file, 0660) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       /* Translators: %1$s is a file, %2$s a group name, %3$s the system's reason */
                       _ ("%1$s: cannot give group '%2$s' access: %3$s"), file, group,
                       g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

int
cc_cmd_init (CcCli  *cli,
             char ***argv)
{
  g_autofree char   *group = NULL;
  const GOptionEntry entries[] = {
    { "group", 0, 0, G_OPTION_ARG_STRING, &group,
      N_ ("Share the database with this group (mode 0660); by default only you can read it (0600)"), N_ ("GROUP") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = cc_cli_option_context_new (cli, "init", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcStore) store = NULL;
  int status;

  if ((status = cc_cli_parse (context, argv)) >= 0)
    return status;
  if (g_strv_length (*argv) > 1)
    return cc_cli_usage_error ("init", _ ("unexpected argument '%s'"), (*argv)[1]);

  store = cc_cli_open_store (cli, TRUE, &error);
  if (store == NULL)
    return cc_cli_fail (error);
  if (group != NULL && !share_with_group (cc_store_get_path (store), group, &error))
    return cc_cli_fail (error);

  /* Translators: %1$s is the database file, %2$d the version of its tables' layout */
  g_print (_ ("%1$s: schema version %2$d\n"), cc_store_get_path (store), cc_store_get_schema_version (store));
  return CC_EXIT_OK;
}
