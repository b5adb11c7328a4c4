/* cc-policy.h: the policy file (thresholds, switches, escalation)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-rules.h"
#include "cc-time.h"

G_BEGIN_DECLS

#define CC_POLICY_ERROR (cc_policy_error_quark ())
GQuark cc_policy_error_quark (void);

typedef enum
{
  CC_POLICY_ERROR_PARSE, /* not a key file; message has the line */
  CC_POLICY_ERROR_UNKNOWN_GROUP,
  CC_POLICY_ERROR_UNKNOWN_KEY,
  CC_POLICY_ERROR_INVALID_VALUE, /* bad duration, boolean, zone, level… */
  CC_POLICY_ERROR_STATUTORY,     /* loosens or disables a statutory rule */
  CC_POLICY_ERROR_FILE,          /* cannot read the file */
} CcPolicyError;

/**
 * CcClockPolicy:
 * @enabled: %FALSE only for non-statutory clocks switched off
 * @warn: seconds from the clock's start to its warning, or 0 for none
 *   (review and detention_limit: seconds *before* due, see below)
 * @due: seconds from the clock's start to its due time (unused for review,
 *   detention_limit, cell_visit and rest, whose schedules are below)
 * @escalate_to: the first escalation level
 */
typedef struct
{
  gboolean enabled;
  gint64   warn;
  gint64   due;
  CcLevel  escalate_to;
} CcClockPolicy;

typedef struct
{
  gboolean enabled;
  CcLevel  escalate_to;
} CcRulePolicy;

/**
 * CcPolicy:
 *
 * The effective policy: built-in defaults (clocks.md) overlaid by policy
 * files.  Immutable once loaded; reference counted so the agent can swap
 * it on SIGHUP while an evaluation still holds the old one.
 */
typedef struct
{
  /* [display] */
  char      *timezone; /* default Europe/London */
  GTimeZone *tz;       /* the zone itself */
  gboolean   privacy;  /* default TRUE */

  /* [escalation] */
  gint64  ack_timeout;         /* default 15m */
  CcLevel ladder[CC_N_LEVELS]; /* rungs in order, lowest first */
  guint   ladder_length;       /* default 3: sergeant;inspector;superintendent */

  /* [report] */
  gint64 late_entry; /* recorded_at − occurred_at over this is late; 15m */

  CcClockPolicy clocks[CC_N_CLOCKS];
  CcRulePolicy  rules[CC_N_RULES];

  /* [review] (PACE s.40; statutory: may only be made stricter) */
  gint64 review_first;           /* 6h: A + this is D(1) */
  gint64 review_interval;        /* 9h */
  gint64 review_warn_before;     /* 30m */
  gint64 review_postponed_grace; /* 1h */

  /* [detention_limit] (PACE ss.41–44; the limits are fixed by statute) */
  gint64 limit_warn_before; /* 4h */

  /* [cell_visit] (Code C 9.3) */
  gint64 cell_interval;        /* 60m at observation level 1 */
  gint64 cell_interval_level2; /* 30m */

  /* [rest] (Code C 12.2) */
  gint64 rest_min;        /* 8h continuous */
  gint64 rest_warn_after; /* 16h after the window starts */

  /*< private >*/
  gatomicrefcount ref_count;
} CcPolicy;

CcPolicy *cc_policy_new_default (void);
CcPolicy *cc_policy_ref (CcPolicy *policy);
void      cc_policy_unref (CcPolicy *policy);

/* Overlay one key file on @policy (a copy is returned; @policy unchanged). */
CcPolicy *cc_policy_load_data (const CcPolicy *base,
                               const char     *data,
                               gssize          length,
                               const char     *name,
                               GPtrArray      *warnings,
                               GError        **error);
CcPolicy *cc_policy_load_file (const CcPolicy *base,
                               const char     *path,
                               GPtrArray      *warnings,
                               GError        **error);
CcPolicy *cc_policy_load_default_files (GPtrArray *warnings,
                                        GError   **error);

CcPolicy *cc_policy_load (const char *path,
                          GPtrArray  *warnings,
                          GError    **error);

char    *cc_policy_to_string (const CcPolicy *policy);
char    *cc_policy_digest (const CcPolicy *policy,
                           const char     *purpose);
gboolean cc_policy_equal (const CcPolicy *a,
                          const CcPolicy *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcPolicy, cc_policy_unref)

G_END_DECLS
