/* test-json-scanner.c: what the strict JSON scanner accepts and refuses
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cc-json-scanner.c stands between other systems' JSON and json-glib, so
 * its rules are the log's contract: each test here is a table of real
 * texts with what the scanner says of them, the message and the character
 * it points at included (people read those in the quarantine).  Texts
 * json-glib alone would take (comments, leading zeros, a second value,
 * numbers it cannot hold) are among the refused, and the parser is shown
 * to refuse them too.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cc-json-scanner.h"

typedef struct
{
  const char *text;
  const char *message; /* NULL: accepted */
} Case;

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = cc_json_scanner_check (cases[i].text, -1, &error);

      g_test_message ("%s", cases[i].text);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (error, CC_JSON_SCANNER_ERROR, CC_JSON_SCANNER_ERROR_INVALID);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_assert_false (ok);
        }
    }
}

static void
test_values (void)
{
  static const Case cases[] = {
    { "{}", NULL },
    { "[]", NULL },
    { "{\"suite\":\"S1\",\"child\":\"C\",\"urgent\":true,\"kind\":null,\"n\":3}", NULL },
    /* Any value may be the text, not only an object: the caller asks for
     * an object itself, with its own message. */
    { "\"text\"", NULL },
    { "42", NULL },
    { "true", NULL },
    { "false", NULL },
    { "null", NULL },
    /* JSON's four spaces, and nothing else, around and between tokens. */
    { " \t\r\n{ \"a\" : [ 1 , 2 ] }\n", NULL },
    { "\f{}", "expected a value at character 1" },
    { "{}\v", "unexpected text after the JSON value at character 3" },
    { "", "there is no JSON value at character 1" },
    { "   ", "there is no JSON value at character 4" },
    { "True", "expected a value at character 1" },
    { "tru", "expected a value at character 1" },
    { "nul", "expected a value at character 1" },
    { "undefined", "expected a value at character 1" },
    { "'a'", "expected a value at character 1" },
    /* Outside strings only ASCII is JSON. */
    { "é", "expected a value at character 1" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_structure (void)
{
  static const Case cases[] = {
    { "{\"a\":{\"b\":[{},[],{\"c\":[null]}]}}", NULL },
    { "[[],[[]],{}]", NULL },
    { "{", "expected a member name in double quotes at character 2" },
    { "[", "the text ends too soon at character 2" },
    { "{\"a\"", "expected “:” after a member name at character 5" },
    { "{\"a\" 1}", "expected “:” after a member name at character 6" },
    { "{\"a\":", "the text ends too soon at character 6" },
    { "{\"a\":1", "expected “,” or “}” at character 7" },
    { "[1", "expected “,” or “]” at character 3" },
    { "[1 2]", "expected “,” or “]” at character 4" },
    { "{\"a\":1]", "expected “,” or “}” at character 7" },
    { "[1}", "expected “,” or “]” at character 3" },
    /* No trailing commas, no unquoted or single-quoted names. */
    { "{\"a\":1,}", "expected a member name in double quotes at character 8" },
    { "[1,]", "expected a value at character 4" },
    { "[,1]", "expected a value at character 2" },
    { "{a:1}", "expected a member name in double quotes at character 2" },
    { "{'a':1}", "expected a member name in double quotes at character 2" },
    { "{1:1}", "expected a member name in double quotes at character 2" },
    /* One value and nothing after it: json-glib would take the first. */
    { "{} {}", "unexpected text after the JSON value at character 4" },
    { "{}x", "unexpected text after the JSON value at character 3" },
    { "[] ,", "unexpected text after the JSON value at character 4" },
    { "{}}", "unexpected text after the JSON value at character 3" },
    /* No comments. */
    { "{/* c */}", "expected a member name in double quotes at character 2" },
    { "// c\n{}", "expected a value at character 1" },
    { "{} // c", "unexpected text after the JSON value at character 4" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Repeated names are RFC 8259's to allow; json-glib keeps the last. */
static void
test_repeated_member (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;

  g_assert_true (cc_json_scanner_check ("{\"a\":1,\"a\":\"two\"}", -1, NULL));
  root = cc_json_scanner_parse ("{\"a\":1,\"a\":\"two\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "a"), ==, "two");
}

static void
test_strings (void)
{
  static const Case cases[] = {
    { "\"\"", NULL },
    { "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", NULL },
    { "\"ŵ ŷ café 👮\"", NULL },
    /* DEL is not a control character to JSON. */
    { "\"a\x7f b\"", NULL },
    { "\"a\tb\"", "a control character in a string must be escaped at character 3" },
    { "\"a\nb\"", "a control character in a string must be escaped at character 3" },
    { "\"\x01\"", "a control character in a string must be escaped at character 2" },
    { "{\"a\x1f\":1}", "a control character in a string must be escaped at character 4" },
    { "\"\\x41\"", "unknown escape in a string at character 3" },
    { "\"\\'\"", "unknown escape in a string at character 3" },
    { "\"\\U0041\"", "unknown escape in a string at character 3" },
    { "\"abc", "unterminated string at character 5" },
    { "\"abc\\", "unterminated string at character 6" },
    { "\"abc\\\"", "unterminated string at character 7" },
    { "{\"a", "unterminated string at character 4" },
    /* The position counts characters, not bytes. */
    { "[\"é\",]", "expected a value at character 6" },
    { "\"éé\tx\"", "a control character in a string must be escaped at character 4" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_unicode_escapes (void)
{
  static const Case cases[] = {
    { "\"\\u0041\"", NULL },
    { "\"\\u00e9\\u00E9\"", NULL },
    { "\"\\u0001\"", NULL },
    { "\"\\uFFFF\"", NULL },
    { "\"\\uD83D\\uDE00\"", NULL }, /* 😀: a whole surrogate pair */
    { "\"\\udbff\\udfff\"", NULL },
    /* json-glib would cut the string short at a NUL. */
    { "\"a\\u0000b\"", "\\u0000 is not allowed in a string at character 9" },
    { "\"\\u12\"", "\\u must be followed by four hexadecimal digits at character 4" },
    { "\"\\u12G4\"", "\\u must be followed by four hexadecimal digits at character 4" },
    { "\"\\u", "\\u must be followed by four hexadecimal digits at character 4" },
    /* A low half alone, a high half alone or followed by anything but a
     * low half. */
    { "\"\\uDE00\"", "a \\u escape is half of a surrogate pair at character 8" },
    { "\"\\uD83D\"", "a \\u escape is half of a surrogate pair at character 8" },
    { "\"\\uD83Dx\"", "a \\u escape is half of a surrogate pair at character 8" },
    { "\"\\uD83D\\n\"", "a \\u escape is half of a surrogate pair at character 8" },
    { "\"\\uD83D\\u0041\"", "a \\u escape is half of a surrogate pair at character 14" },
    { "\"\\uD83D\\uD83D\"", "a \\u escape is half of a surrogate pair at character 14" },
    { "\"\\uD83D\\u12\"", "a \\u escape is half of a surrogate pair at character 10" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_numbers (void)
{
  static const Case cases[] = {
    { "0", NULL },
    { "-0", NULL },
    { "[1, -12, 0.5, -0.0, 1e3, 1E+3, 2.5e-3]", NULL },
    /* What json-glib holds: a gint64, or a finite double. */
    { "9223372036854775807", NULL },
    { "-9223372036854775808", NULL },
    { "1.7976931348623157e308", NULL },
    { "9223372036854775808", "a whole number too large to hold at character 20" },
    { "-9223372036854775809", "a whole number too large to hold at character 21" },
    { "{\"n\":18446744073709551616}", "a whole number too large to hold at character 26" },
    { "1e400", "a number too large to hold at character 6" },
    { "-1.8e308", "a number too large to hold at character 9" },
    /* Too small for a double reads as 0: accepted. */
    { "1e-400", NULL },
    /* A fraction or an exponent makes it a double, however large. */
    { "9223372036854775808.0", NULL },
    { "1e18", NULL },
    /* RFC 8259's grammar. */
    { "01", "unexpected text after the JSON value at character 2" },
    { "[01]", "expected “,” or “]” at character 3" },
    { "-01", "unexpected text after the JSON value at character 3" },
    { "+1", "expected a value at character 1" },
    { ".5", "expected a value at character 1" },
    { "-", "invalid number at character 2" },
    { "-a", "invalid number at character 2" },
    { "1.", "invalid number at character 3" },
    { "1.e3", "invalid number at character 3" },
    { "1e", "invalid number at character 3" },
    { "1e+", "invalid number at character 4" },
    { "0x10", "unexpected text after the JSON value at character 2" },
    { "NaN", "expected a value at character 1" },
    { "-Infinity", "invalid number at character 2" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Nested @depth deep, objects and arrays by turns. */
static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 == 0 ? "{\"a\":" : "[");
  g_string_append (text, "1");
  for (guint i = depth; i > 0; i--)
    g_string_append (text, (i - 1) % 2 == 0 ? "}" : "]");
  return g_string_free (text, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *deepest = nested (CC_JSON_SCANNER_MAX_DEPTH);
  g_autofree char *too_deep = nested (CC_JSON_SCANNER_MAX_DEPTH + 1);
  g_autofree char *brackets = g_strnfill (80000, '[');
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) bracket_error = NULL;

  g_assert_true (cc_json_scanner_check (deepest, -1, NULL));
  g_assert_false (cc_json_scanner_check (too_deep, -1, &error));
  g_assert_error (error, CC_JSON_SCANNER_ERROR, CC_JSON_SCANNER_ERROR_INVALID);
  /* The 33rd opening, after 16 `{"a":` and 16 `[`. */
  g_assert_cmpstr (error->message, ==, "nested too deeply at character 97");

  /* What would overflow json-glib's stack is refused without recursion. */
  g_assert_false (cc_json_scanner_check (brackets, -1, &bracket_error));
  g_assert_cmpstr (bracket_error->message, ==, "nested too deeply at character 33");
}

/* @length is honoured: a NUL inside is a byte like any other, and what
 * lies past @length is not read. */
static void
test_length (void)
{
  g_autoptr (GError) nul_after = NULL;
  g_autoptr (GError) nul_inside = NULL;

  g_assert_true (cc_json_scanner_check ("{}garbage", 2, NULL));
  g_assert_true (cc_json_scanner_check ("[1,2]", 5, NULL));
  g_assert_false (cc_json_scanner_check ("{}\0", 3, &nul_after));
  g_assert_cmpstr (nul_after->message, ==, "unexpected text after the JSON value at character 3");
  g_assert_false (cc_json_scanner_check ("\"a\0b\"", 5, &nul_inside));
  g_assert_cmpstr (nul_inside->message, ==, "a control character in a string must be escaped at character 3");
  /* Cut short, a whole text is a truncated one. */
  g_assert_false (cc_json_scanner_check ("{\"a\":1}", 6, NULL));
  g_assert_false (cc_json_scanner_check ("\"\\uD83D\\uDE00\"", 8, NULL));
  g_assert_false (cc_json_scanner_check ("1e5", 2, NULL));
}

/* Every way a text can be cut short is refused, and never read past. */
static void
test_truncated (void)
{
  static const char *const texts[] = {
    "{\"suite\":\"S1\",\"dob\":\"2010-03-01\",\"n\":[1,2.5e3,{\"x\":null}],\"t\":true,\"f\":false}",
    "[\"\\uD83D\\uDE00\",\"\\n\",-0.5]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gsize length = strlen (texts[i]);

      g_assert_true (cc_json_scanner_check (texts[i], length, NULL));
      for (gsize cut = 0; cut < length; cut++)
        {
          g_autofree char *copy = g_strndup (texts[i], cut);

          g_test_message ("%s", copy);
          g_assert_false (cc_json_scanner_check (copy, cut, NULL));
        }
    }
}

static void
test_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) lenient_error = NULL;
  g_autoptr (JsonNode) root = cc_json_scanner_parse (" {\"a\":[1,\"\\u00e9\"],\"b\":1e20} ", -1, &error);
  g_autoptr (JsonNode) cut = NULL;
  JsonArray *a;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  a = json_object_get_array_member (json_node_get_object (root), "a");
  g_assert_cmpint (json_array_get_int_element (a, 0), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (a, 1), ==, "é");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (root), "b"), ==, 1e20);

  /* What json-glib alone would take is refused with the scanner's word. */
  g_assert_null (cc_json_scanner_parse ("{\"a\":01}", -1, &lenient_error));
  g_assert_error (lenient_error, CC_JSON_SCANNER_ERROR, CC_JSON_SCANNER_ERROR_INVALID);
  g_assert_cmpstr (lenient_error->message, ==, "expected “,” or “}” at character 7");

  /* @length is honoured here too. */
  cut = cc_json_scanner_parse ("[true]]", 6, NULL);
  g_assert_nonnull (cut);
  g_assert_true (json_array_get_boolean_element (json_node_get_array (cut), 0));
  g_assert_null (cc_json_scanner_parse ("", 0, NULL));
}

/* Misuse is a programming error, refused with a critical. */
static void
test_misuse (void)
{
  if (g_test_subprocess ())
    {
      g_assert_false (cc_json_scanner_check (NULL, 0, NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*text != NULL*");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-scanner/values", test_values);
  g_test_add_func ("/json-scanner/structure", test_structure);
  g_test_add_func ("/json-scanner/repeated-member", test_repeated_member);
  g_test_add_func ("/json-scanner/strings", test_strings);
  g_test_add_func ("/json-scanner/unicode-escapes", test_unicode_escapes);
  g_test_add_func ("/json-scanner/numbers", test_numbers);
  g_test_add_func ("/json-scanner/depth", test_depth);
  g_test_add_func ("/json-scanner/length", test_length);
  g_test_add_func ("/json-scanner/truncated", test_truncated);
  g_test_add_func ("/json-scanner/parse", test_parse);
  g_test_add_func ("/json-scanner/misuse", test_misuse);

  return g_test_run ();
}
