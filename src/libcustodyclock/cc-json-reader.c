/* cc-json-reader.c: reading the program's own JSON objects, leniently
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The report's renderers (HTML in cc-report-html.c, CSV and Markdown in
 * cc-report-text.c) read the object cc_report_build() made, through these
 * and nothing else, so that every format reads a figure by the same rule.
 *
 * Decisions:
 * - Every reader takes a missing member, a null and a %NULL object alike
 *   (nothing there): a renderer shows its "—" for all three rather than
 *   fail on a report from an older or newer builder.
 * - A whole number is an integer, or a double with no fraction (within
 *   what a double holds exactly), as another JSON writer might print one.
 *   Numbers that are not finite are not numbers.
 */
#include "config.h"

#include <math.h>

#include "cc-json-reader.h"

/**
 * cc_json_member:
 *
 * Returns: (transfer none) (nullable): @key of @object, or %NULL when
 *   @object is %NULL, or the member is missing or null
 */
JsonNode *
cc_json_member (JsonObject *object,
                const char *key)
{
  JsonNode *node;

  g_return_val_if_fail (key != NULL, NULL);

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, key);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/* Returns: (transfer none) (nullable): the member if it is an object */
JsonObject *
cc_json_get_object (JsonObject *object,
                    const char *key)
{
  JsonNode *node = cc_json_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Returns: (transfer none) (nullable): the member if it is an array */
JsonArray *
cc_json_get_array (JsonObject *object,
                   const char *key)
{
  JsonNode *node = cc_json_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Returns: (transfer none) (nullable): the member if it is a string */
const char *
cc_json_get_string (JsonObject *object,
                    const char *key)
{
  JsonNode *node = cc_json_member (object, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Returns: whether the member is a finite number, then in @out_value */
gboolean
cc_json_get_number (JsonObject *object,
                    const char *key,
                    double     *out_value)
{
  JsonNode *node = cc_json_member (object, key);
  GType     type;
  double    value;

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    return FALSE;
  if (!isfinite (value))
    return FALSE;
  *out_value = value;
  return TRUE;
}

/* Returns: whether the member is a whole number, then in @out_value */
gboolean
cc_json_get_int (JsonObject *object,
                 const char *key,
                 gint64     *out_value)
{
  JsonNode *node = cc_json_member (object, key);
  double    d;

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out_value = json_node_get_int (node);
      return TRUE;
    }
  if (!cc_json_get_number (object, key, &d) || d != floor (d) || fabs (d) > 1e15)
    return FALSE;
  *out_value = (gint64) d;
  return TRUE;
}

/* Returns: whether the member is the boolean true */
gboolean
cc_json_get_bool (JsonObject *object,
                  const char *key)
{
  JsonNode *node = cc_json_member (object, key);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Returns: (transfer none) (nullable): element @index of @array if it is
 *   an object */
JsonObject *
cc_json_array_object (JsonArray *array,
                      guint      index)
{
  JsonNode *node;

  g_return_val_if_fail (array != NULL, NULL);

  node = json_array_get_element (array, index);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
