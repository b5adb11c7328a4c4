/* cc-i18n.h: the language Custody Clock speaks
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CC_I18N_ERROR (cc_i18n_error_quark ())

typedef enum
{
  CC_I18N_ERROR_UNKNOWN_LANGUAGE,
} CcI18nError;

GQuark cc_i18n_error_quark (void);

void               cc_i18n_init (void);
const char *const *cc_i18n_get_languages (void);
gboolean           cc_i18n_set_language (const char *language,
                                         GError    **error);

G_END_DECLS
