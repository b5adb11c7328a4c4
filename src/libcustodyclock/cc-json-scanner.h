/* cc-json-scanner.h: strict JSON, checked against RFC 8259 before json-glib
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of objects and arrays accepted. */
#define CC_JSON_SCANNER_MAX_DEPTH 32

#define CC_JSON_SCANNER_ERROR (cc_json_scanner_error_quark ())

typedef enum
{
  CC_JSON_SCANNER_ERROR_INVALID, /* not strict JSON, or json-glib refused it */
} CcJsonScannerError;

GQuark cc_json_scanner_error_quark (void);

gboolean  cc_json_scanner_check (const char *text,
                                 gssize      length,
                                 GError    **error);
JsonNode *cc_json_scanner_parse (const char *text,
                                 gssize      length,
                                 GError    **error);

G_END_DECLS
