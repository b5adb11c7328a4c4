/* cc-json-reader.h: reading the program's own JSON objects, leniently
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode   *cc_json_member (JsonObject *object,
                            const char *key);
JsonObject *cc_json_get_object (JsonObject *object,
                                const char *key);
JsonArray  *cc_json_get_array (JsonObject *object,
                               const char *key);
const char *cc_json_get_string (JsonObject *object,
                                const char *key);
gboolean    cc_json_get_number (JsonObject *object,
                                const char *key,
                                double     *out_value);
gboolean    cc_json_get_int (JsonObject *object,
                             const char *key,
                             gint64     *out_value);
gboolean    cc_json_get_bool (JsonObject *object,
                              const char *key);
JsonObject *cc_json_array_object (JsonArray *array,
                                  guint      index);

G_END_DECLS
