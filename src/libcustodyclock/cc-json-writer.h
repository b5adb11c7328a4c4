/* cc-json-writer.h: writing JSON: as it is made, without a tree, and the
 * members of a JsonBuilder
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cc-time.h"

G_BEGIN_DECLS

typedef struct _CcJsonWriter CcJsonWriter;

CcJsonWriter *cc_json_writer_new (void);
void          cc_json_writer_free (CcJsonWriter *writer);
char         *cc_json_writer_free_to_string (CcJsonWriter *writer);

void cc_json_writer_begin_object (CcJsonWriter *writer);
void cc_json_writer_end_object (CcJsonWriter *writer);
void cc_json_writer_begin_array (CcJsonWriter *writer);
void cc_json_writer_end_array (CcJsonWriter *writer);
void cc_json_writer_set_member_name (CcJsonWriter *writer,
                                     const char   *name);

void cc_json_writer_add_string (CcJsonWriter *writer,
                                const char   *value);
void cc_json_writer_add_int (CcJsonWriter *writer,
                             gint64        value);
void cc_json_writer_add_double (CcJsonWriter *writer,
                                double        value);
void cc_json_writer_add_boolean (CcJsonWriter *writer,
                                 gboolean      value);
void cc_json_writer_add_null (CcJsonWriter *writer);
void cc_json_writer_add_instant (CcJsonWriter *writer,
                                 CcInstant     instant);

void cc_json_writer_member_string (CcJsonWriter *writer,
                                   const char   *name,
                                   const char   *value);
void cc_json_writer_member_int (CcJsonWriter *writer,
                                const char   *name,
                                gint64        value);
void cc_json_writer_member_instant (CcJsonWriter *writer,
                                    const char   *name,
                                    CcInstant     instant);

void cc_json_add_instant (JsonBuilder *builder,
                          const char  *name,
                          CcInstant    instant);
void cc_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcJsonWriter, cc_json_writer_free)

G_END_DECLS
