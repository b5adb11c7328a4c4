/* cc-test-util.h: helpers shared by the tests
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-policy.h"
#include "cc-store.h"
#include "cc-time.h"

G_BEGIN_DECLS

typedef struct
{
  int   status; /* exit status, or -1 when killed by a signal */
  char *out;
  char *err;
} CcTestRun;

void cc_test_run_free (CcTestRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTestRun, cc_test_run_free)

char             *cc_test_tmpdir (void);
void              cc_test_rm_rf (const char *path);
void              cc_test_write_file (const char *path,
                                      const char *contents);
CcTestRun        *cc_test_run (const char *const *envp_extra,
                               const char        *stdin_text,
                               const char        *program,
                               ...) G_GNUC_NULL_TERMINATED;
CcTestRun        *cc_test_run_argv (const char *const *envp_extra,
                                    const char        *stdin_text,
                                    const char *const *argv);
CcTestRun        *cc_test_cli (const char *db_path,
                               const char *stdin_text,
                               const char *first_arg,
                               ...) G_GNUC_NULL_TERMINATED;
const char       *cc_test_cli_path (void);
int               cc_test_count_lines (const char *text,
                                       const char *needle);
extern const char cc_test_one_child[];

void   cc_test_sql_exec (const char *path,
                         const char *sql);
gint64 cc_test_sql_int (const char *path,
                        const char *sql);
char  *cc_test_sql_text (const char *path,
                         const char *sql);

/* A database of its own in a new temporary folder, and the policy a test
 * reads it with: the fixture most unit tests begin from. */
typedef struct
{
  char     *dir;
  char     *path;
  CcStore  *store;
  CcPolicy *policy;
} CcTestDb;

CcPolicy *cc_test_policy (const char *overlay);
void      cc_test_db_open (CcTestDb   *db,
                           const char *file_name,
                           const char *policy_overlay);
void      cc_test_db_close (CcTestDb     *db,
                            gconstpointer unused);

void cc_test_import (CcStore    *store,
                     const char *jsonl,
                     CcInstant   now);

G_END_DECLS
