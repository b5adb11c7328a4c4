/* cc-paths.h: where the database and the policy live
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char  *cc_paths_default_database (void);
char **cc_paths_policy_files (void);

G_END_DECLS
