/* cc-simulator.h: a deterministic custody simulator
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-store.h"
#include "cc-time.h"

G_BEGIN_DECLS

#define CC_SIMULATOR_ERROR (cc_simulator_error_quark ())
GQuark cc_simulator_error_quark (void);

/**
 * CcSimulatorError:
 * @CC_SIMULATOR_ERROR_INVALID_OPTIONS: an option is out of range; the
 *   message names it and the range
 */
typedef enum
{
  CC_SIMULATOR_ERROR_INVALID_OPTIONS,
} CcSimulatorError;

/** National child detentions a day (about 62,000 a year): docs/SIMULATOR.md. */
#define CC_SIMULATOR_DEFAULT_PER_DAY 170.0
/** One deliberately bad row after this many good ones (docs/SIMULATOR.md). */
#define CC_SIMULATOR_DEFAULT_BAD_ROW_EVERY 5000
/** The most suites a simulation names. */
#define CC_SIMULATOR_MAX_SUITES 99

/**
 * CcSimulatorOptions:
 * @seed: the one source of randomness: the same options give the same rows
 * @n_records: how many custody records to begin (fewer when @not_after
 *   comes first)
 * @start: the earliest arrival; arrivals follow from it
 * @n_suites: custody suites, 1 to %CC_SIMULATOR_MAX_SUITES
 * @adults_ratio: share of records that are adults' (0 to 1), which every
 *   clock must ignore
 * @per_day: mean arrivals a day over all suites, children and adults
 *   together (default %CC_SIMULATOR_DEFAULT_PER_DAY)
 * @not_after: nothing happening or keyed after this instant is produced, so
 *   records in progress then stay open, as in a live log;
 *   %CC_INSTANT_NONE for no limit
 * @bad_row_every: one deliberately bad row (quarantined by readers) after
 *   every this many good rows; 0 for none
 *
 * Fill with cc_simulator_options_init() first, then change what you need.
 */
typedef struct
{
  guint64   seed;
  guint     n_records;
  CcInstant start;
  guint     n_suites;
  double    adults_ratio;
  double    per_day;
  CcInstant not_after;
  guint     bad_row_every;
} CcSimulatorOptions;

void     cc_simulator_options_init (CcSimulatorOptions *options);
gboolean cc_simulator_options_check (const CcSimulatorOptions *options,
                                     GError                  **error);

/**
 * CcSimulatorStats:
 * @records: records with at least one row produced
 * @child_records: @adult_records: of those, children's and adults'
 * @children: different children (one child can be detained again)
 * @open_records: records not closed by @not_after
 * @rows: rows produced, bad rows included
 * @bad_rows: deliberately bad rows (docs/SIMULATOR.md lists the kinds)
 * @corrections: rows that supersede another (voids included)
 * @voids: void rows
 * @late_entries: rows keyed more than 15 min after they happened
 * @inserted: rows cc_simulator_write() added (the others were already in
 *   the table: same event_id)
 */
typedef struct
{
  guint   records;
  guint   child_records;
  guint   adult_records;
  guint   children;
  guint   open_records;
  guint64 rows;
  guint   bad_rows;
  guint   corrections;
  guint   voids;
  guint64 late_entries;
  guint64 inserted;
} CcSimulatorStats;

typedef struct _CcSimulator CcSimulator;

/**
 * CcSimulatorProgressFunc:
 *
 * Called by cc_simulator_write() after each committed batch.
 */
typedef void (*CcSimulatorProgressFunc) (const CcSimulatorStats *stats,
                                         gpointer                user_data);

CcSimulator *cc_simulator_new (const CcSimulatorOptions *options);
void         cc_simulator_free (CcSimulator *simulator);

gboolean                cc_simulator_next_record (CcSimulator *simulator,
                                                  GPtrArray   *rows);
gboolean                cc_simulator_write (CcSimulator *simulator,
                                            CcStore     *store,
                                            GError     **error);
void                    cc_simulator_set_progress_func (CcSimulator            *simulator,
                                                        CcSimulatorProgressFunc func,
                                                        gpointer                user_data);
const CcSimulatorStats *cc_simulator_get_stats (CcSimulator *simulator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcSimulator, cc_simulator_free)

G_END_DECLS
