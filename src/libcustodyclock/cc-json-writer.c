/* cc-json-writer.c: JSON written as it is made, without a tree
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The report's JSON is about ten megabytes for a month of a national log
 * (twenty thousand cases): built as a json-glib tree, made into text and
 * freed, the tree cost more than reading and counting the month (issue
 * 15).  This writer takes the same calls as a JsonBuilder and appends the
 * text at once.
 *
 * Decisions:
 * - The text is exactly what json-glib's generator prints for the same
 *   document with pretty printing and an indent of two spaces, byte for
 *   byte, so that a report is the same whichever way it was made (the
 *   renderers read a tree parsed from this text); tests/test-json-writer.c
 *   compares the two on every character and on generated documents.
 * - Misuse (a value in an object without a member name, a close without
 *   an open) is a programming error: a critical, and nothing written.
 * - Strings must be UTF-8, as everything this program writes is; they are
 *   escaped as json-glib escapes them.
 */
#include "config.h"

#include <string.h>

#include "cc-json-writer.h"

typedef struct
{
  gboolean object;
  guint    count;
} Level;

struct _CcJsonWriter
{
  GString *text;
  GArray  *levels; /* (element-type Level): the open containers */
  char    *name;   /* the member name set for the next value */
  gboolean done;   /* the root value is complete */
};

/**
 * cc_json_writer_new:
 *
 * Returns: (transfer full): a writer for one JSON document
 */
CcJsonWriter *
cc_json_writer_new (void)
{
  CcJsonWriter *writer = g_new0 (CcJsonWriter, 1);

  writer->text = g_string_sized_new (4096);
  writer->levels = g_array_new (FALSE, FALSE, sizeof (Level));
  return writer;
}

void
cc_json_writer_free (CcJsonWriter *writer)
{
  if (writer == NULL)
    return;
  g_string_free (writer->text, TRUE);
  g_array_unref (writer->levels);
  g_free (writer->name);
  g_free (writer);
}

/**
 * cc_json_writer_free_to_string:
 *
 * Returns: (transfer full): the document written, which must be complete
 *   (%NULL if it is not)
 */
char *
cc_json_writer_free_to_string (CcJsonWriter *writer)
{
  char *text;

  g_return_val_if_fail (writer != NULL, NULL);

  if (!writer->done || writer->levels->len > 0)
    {
      g_critical ("%s: the JSON document is not complete", G_STRFUNC);
      cc_json_writer_free (writer);
      return NULL;
    }
  text = g_string_free (g_steal_pointer (&writer->text), FALSE);
  writer->text = g_string_new (NULL);
  cc_json_writer_free (writer);
  return text;
}

static void
indent (CcJsonWriter *writer,
        guint         depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append_len (writer->text, "  ", 2);
}

/* As json-glib 1.6 escapes: the two that must be, the five with short
 * forms, and as \u00XX (lower case) the other control characters below
 * 0x1f and DEL; 0x1f itself passes as it is (json-glib's test is "< 0x1f"),
 * which a JSON reader takes. */
static void
append_escaped (GString    *text,
                const char *s)
{
  static const char hex[] = "0123456789abcdef";

  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append_len (text, "\\\"", 2);
          break;
        case '\\':
          g_string_append_len (text, "\\\\", 2);
          break;
        case '\b':
          g_string_append_len (text, "\\b", 2);
          break;
        case '\f':
          g_string_append_len (text, "\\f", 2);
          break;
        case '\n':
          g_string_append_len (text, "\\n", 2);
          break;
        case '\r':
          g_string_append_len (text, "\\r", 2);
          break;
        case '\t':
          g_string_append_len (text, "\\t", 2);
          break;
        default:
          if (*p < 0x1f || *p == 0x7f)
            {
              g_string_append_len (text, "\\u00", 4);
              g_string_append_c (text, hex[*p >> 4]);
              g_string_append_c (text, hex[*p & 0xf]);
            }
          else
            g_string_append_c (text, (char) *p);
        }
    }
}

/* Before a value: the separator, the indent and the member name. */
static gboolean
begin_value (CcJsonWriter *writer)
{
  Level *level;

  if (writer->levels->len == 0)
    {
      if (writer->done)
        {
          g_critical ("cc_json_writer: a second value after the document's root");
          return FALSE;
        }
      return TRUE;
    }
  level = &g_array_index (writer->levels, Level, writer->levels->len - 1);
  if (level->object && writer->name == NULL)
    {
      g_critical ("cc_json_writer: a value in an object without a member name");
      return FALSE;
    }
  if (!level->object && writer->name != NULL)
    {
      g_critical ("cc_json_writer: a member name in an array");
      g_clear_pointer (&writer->name, g_free);
      return FALSE;
    }
  if (level->count++ > 0)
    g_string_append_len (writer->text, ",\n", 2);
  else
    g_string_append_c (writer->text, '\n');
  indent (writer, writer->levels->len);
  if (level->object)
    {
      g_string_append_c (writer->text, '"');
      append_escaped (writer->text, writer->name);
      g_string_append_len (writer->text, "\" : ", 4);
      g_clear_pointer (&writer->name, g_free);
    }
  return TRUE;
}

static void
end_value (CcJsonWriter *writer)
{
  if (writer->levels->len == 0)
    writer->done = TRUE;
}

static void
begin (CcJsonWriter *writer,
       gboolean      object)
{
  Level level = { object, 0 };

  if (!begin_value (writer))
    return;
  g_string_append_c (writer->text, object ? '{' : '[');
  g_array_append_val (writer->levels, level);
}

static void
end (CcJsonWriter *writer,
     gboolean      object)
{
  Level level;

  if (writer->levels->len == 0 || g_array_index (writer->levels, Level, writer->levels->len - 1).object != object)
    {
      g_critical ("cc_json_writer: %s closed without being open", object ? "an object" : "an array");
      return;
    }
  level = g_array_index (writer->levels, Level, writer->levels->len - 1);
  g_array_set_size (writer->levels, writer->levels->len - 1);
  /* As json-glib 1.6 prints them, an empty array is "[]" and an empty
   * object has its closing indent inside: "{}" at the root, "{  }" one
   * level down. */
  if (level.count > 0)
    g_string_append_c (writer->text, '\n');
  if (level.count > 0 || object)
    indent (writer, writer->levels->len);
  g_string_append_c (writer->text, object ? '}' : ']');
  end_value (writer);
}

void
cc_json_writer_begin_object (CcJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  begin (writer, TRUE);
}

void
cc_json_writer_end_object (CcJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  end (writer, TRUE);
}

void
cc_json_writer_begin_array (CcJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  begin (writer, FALSE);
}

void
cc_json_writer_end_array (CcJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  end (writer, FALSE);
}

/**
 * cc_json_writer_set_member_name:
 * @name: the name of the next value, in the object open now
 */
void
cc_json_writer_set_member_name (CcJsonWriter *writer,
                                const char   *name)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (name != NULL);

  g_free (writer->name);
  writer->name = g_strdup (name);
}

/**
 * cc_json_writer_add_string:
 * @value: (nullable): UTF-8, or %NULL for null
 */
void
cc_json_writer_add_string (CcJsonWriter *writer,
                           const char   *value)
{
  g_return_if_fail (writer != NULL);

  if (!begin_value (writer))
    return;
  if (value == NULL)
    g_string_append_len (writer->text, "null", 4);
  else
    {
      g_string_append_c (writer->text, '"');
      append_escaped (writer->text, value);
      g_string_append_c (writer->text, '"');
    }
  end_value (writer);
}

void
cc_json_writer_add_int (CcJsonWriter *writer,
                        gint64        value)
{
  g_return_if_fail (writer != NULL);

  if (!begin_value (writer))
    return;
  g_string_append_printf (writer->text, "%" G_GINT64_FORMAT, value);
  end_value (writer);
}

/* As json-glib 1.6 prints a double: 17 significant digits, the C locale's
 * point, and ".0" after any text without a point (even after an
 * exponent: "1e-300.0", which no report figure comes near). */
void
cc_json_writer_add_double (CcJsonWriter *writer,
                           double        value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (writer != NULL);

  if (!begin_value (writer))
    return;
  g_string_append (writer->text, g_ascii_formatd (buf, sizeof buf, "%.17g", value));
  if (strchr (buf, '.') == NULL)
    g_string_append_len (writer->text, ".0", 2);
  end_value (writer);
}

void
cc_json_writer_add_boolean (CcJsonWriter *writer,
                            gboolean      value)
{
  g_return_if_fail (writer != NULL);

  if (!begin_value (writer))
    return;
  g_string_append (writer->text, value ? "true" : "false");
  end_value (writer);
}

void
cc_json_writer_add_null (CcJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);

  if (!begin_value (writer))
    return;
  g_string_append_len (writer->text, "null", 4);
  end_value (writer);
}

/**
 * cc_json_writer_add_instant:
 * @instant: a time, as RFC 3339 in UTC, or %CC_INSTANT_NONE for null
 *
 * As the board writes times (cc_json_add_instant()).
 */
void
cc_json_writer_add_instant (CcJsonWriter *writer,
                            CcInstant     instant)
{
  g_autofree char *text = NULL;

  g_return_if_fail (writer != NULL);

  if (instant != CC_INSTANT_NONE)
    text = cc_time_format_utc (instant);
  cc_json_writer_add_string (writer, text);
}

/* Member @name: @value (or null). */
void
cc_json_writer_member_string (CcJsonWriter *writer,
                              const char   *name,
                              const char   *value)
{
  cc_json_writer_set_member_name (writer, name);
  cc_json_writer_add_string (writer, value);
}

void
cc_json_writer_member_int (CcJsonWriter *writer,
                           const char   *name,
                           gint64        value)
{
  cc_json_writer_set_member_name (writer, name);
  cc_json_writer_add_int (writer, value);
}

void
cc_json_writer_member_instant (CcJsonWriter *writer,
                               const char   *name,
                               CcInstant     instant)
{
  cc_json_writer_set_member_name (writer, name);
  cc_json_writer_add_instant (writer, instant);
}

/* ---- members of a JsonBuilder ---------------------------------------- */

/* The board's JSON is still built as a json-glib tree (its evaluations are
 * nodes that the timeline embeds): its members are added by these, with
 * the same null and time rules as the writer's. */

/**
 * cc_json_add_instant:
 *
 * Adds member @name: the instant as `YYYY-MM-DDTHH:MM:SSZ`, or null.
 */
void
cc_json_add_instant (JsonBuilder *b,
                     const char  *name,
                     CcInstant    instant)
{
  json_builder_set_member_name (b, name);
  if (instant == CC_INSTANT_NONE)
    json_builder_add_null_value (b);
  else
    {
      g_autofree char *text = cc_time_format_utc (instant);
      json_builder_add_string_value (b, text);
    }
}

/**
 * cc_json_add_string:
 *
 * Adds member @name: @value, or null.
 */
void
cc_json_add_string (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, value);
}
