/* cc-suggest.h: "did you mean": the known word a mistyped one meant
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cc_suggest_closest (const char        *word,
                                const char *const *candidates,
                                gsize              n_candidates);

G_END_DECLS
