/* test-json-writer.c: the writer prints what json-glib prints
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The report is written with CcJsonWriter and read back by its renderers
 * with json-glib, and its bytes must not depend on which made it.  Each
 * document here is made twice, through a JsonBuilder (printed by
 * json-glib's generator, pretty, indent 2) and through the writer, from
 * the same calls, and the texts must be the same: every character 1-127
 * and some of UTF-8 in strings and member names, numbers at their limits,
 * empty and nested containers, and documents generated from fixed seeds.
 * Misuse is refused with a critical and writes nothing.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "cc-json-writer.h"

typedef struct
{
  JsonBuilder  *b;
  CcJsonWriter *w;
} Both;

static void
both_init (Both *x)
{
  x->b = json_builder_new ();
  x->w = cc_json_writer_new ();
}

/* Both texts, compared; frees @x. */
static void
both_check (Both *x)
{
  g_autoptr (JsonNode) root = json_builder_get_root (x->b);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *expected = NULL;
  g_autofree char *text = cc_json_writer_free_to_string (x->w);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  expected = json_generator_to_data (generator, NULL);
  g_assert_cmpstr (text, ==, expected);
  g_object_unref (x->b);
}

static void
begin_object (Both *x)
{
  json_builder_begin_object (x->b);
  cc_json_writer_begin_object (x->w);
}

static void
end_object (Both *x)
{
  json_builder_end_object (x->b);
  cc_json_writer_end_object (x->w);
}

static void
begin_array (Both *x)
{
  json_builder_begin_array (x->b);
  cc_json_writer_begin_array (x->w);
}

static void
end_array (Both *x)
{
  json_builder_end_array (x->b);
  cc_json_writer_end_array (x->w);
}

static void
name (Both       *x,
      const char *n)
{
  json_builder_set_member_name (x->b, n);
  cc_json_writer_set_member_name (x->w, n);
}

static void
string (Both       *x,
        const char *s)
{
  if (s == NULL)
    json_builder_add_null_value (x->b);
  else
    json_builder_add_string_value (x->b, s);
  cc_json_writer_add_string (x->w, s);
}

static void
integer (Both  *x,
         gint64 v)
{
  json_builder_add_int_value (x->b, v);
  cc_json_writer_add_int (x->w, v);
}

static void
real (Both  *x,
      double v)
{
  json_builder_add_double_value (x->b, v);
  cc_json_writer_add_double (x->w, v);
}

static void
boolean (Both    *x,
         gboolean v)
{
  json_builder_add_boolean_value (x->b, v);
  cc_json_writer_add_boolean (x->w, v);
}

static void
null (Both *x)
{
  json_builder_add_null_value (x->b);
  cc_json_writer_add_null (x->w);
}

/* Every ASCII character but NUL, alone and in text, as a value and as a
 * member name, and UTF-8 as this program writes it (Welsh, a dash). */
static void
test_strings (void)
{
  static const char *const utf8[] = { "", "Mawrth", "ŵŷâ", "1–2 h", "€ ✓", "\xf0\x9f\x9a\x93" };
  Both                     x;

  both_init (&x);
  begin_object (&x);
  for (int c = 1; c < 128; c++)
    {
      char             alone[2] = { (char) c, '\0' };
      g_autofree char *within = g_strdup_printf ("a%cb", c);

      name (&x, alone);
      string (&x, within);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (utf8); i++)
    {
      name (&x, utf8[i]);
      string (&x, utf8[i]);
    }
  name (&x, "none");
  string (&x, NULL);
  end_object (&x);
  both_check (&x);
}

static void
test_numbers (void)
{
  static const gint64 ints[] = { 0, 1, -1, 42, 86400, G_MAXINT32, G_MININT32, G_MAXINT64, G_MININT64 };
  static const double reals[] = { 0.0, 1.0, -1.0, 0.5, 0.1, 1.0 / 3.0, 0.73803574860657317, 2.5e-10, 1e300, -1e-300, 123456789.0 };
  Both                x;

  both_init (&x);
  begin_array (&x);
  for (gsize i = 0; i < G_N_ELEMENTS (ints); i++)
    integer (&x, ints[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (reals); i++)
    real (&x, reals[i]);
  boolean (&x, TRUE);
  boolean (&x, FALSE);
  null (&x);
  end_array (&x);
  both_check (&x);
}

/* Empty containers at the root and nested, as a report has them (a
 * suite's rules with no breach). */
static void
test_empty (void)
{
  Both x;

  both_init (&x);
  begin_object (&x);
  end_object (&x);
  both_check (&x);

  both_init (&x);
  begin_array (&x);
  end_array (&x);
  both_check (&x);

  both_init (&x);
  begin_object (&x);
  name (&x, "rules");
  begin_object (&x);
  end_object (&x);
  name (&x, "cases");
  begin_array (&x);
  begin_array (&x);
  end_array (&x);
  begin_object (&x);
  end_object (&x);
  end_array (&x);
  end_object (&x);
  both_check (&x);
}

static void
generate (Both  *x,
          GRand *rand,
          int    depth)
{
  gboolean object = g_rand_boolean (rand);
  int      n = g_rand_int_range (rand, 0, depth > 3 ? 3 : 7);

  if (object)
    begin_object (x);
  else
    begin_array (x);
  for (int i = 0; i < n; i++)
    {
      if (object)
        {
          g_autofree char *key = g_strdup_printf ("k%d\"%d", i, g_rand_int_range (rand, 0, 100));
          name (x, key);
        }
      switch (g_rand_int_range (rand, 0, depth < 5 ? 7 : 5))
        {
        case 0:
          integer (x, (gint64) g_rand_int (rand) * (g_rand_boolean (rand) ? 1 : -1000003));
          break;
        case 1:
          real (x, g_rand_double_range (rand, -1e6, 1e6));
          break;
        case 2:
          {
            g_autofree char *text = g_strdup_printf ("s\t%u\n", g_rand_int (rand));
            string (x, text);
          }
          break;
        case 3:
          boolean (x, g_rand_boolean (rand));
          break;
        case 4:
          null (x);
          break;
        default:
          generate (x, rand, depth + 1);
        }
    }
  if (object)
    end_object (x);
  else
    end_array (x);
}

static void
test_generated (void)
{
  for (guint32 seed = 1; seed <= 200; seed++)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
      Both x;

      both_init (&x);
      generate (&x, rand, 0);
      both_check (&x);
    }
}

/* A value without a name in an object, a close of what is not open, and
 * an unfinished document: criticals, and no text. */
static void
test_misuse (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (CcJsonWriter) w = cc_json_writer_new ();

      cc_json_writer_begin_object (w);
      cc_json_writer_add_int (w, 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*without a member name*");
}

static void
test_unfinished (void)
{
  CcJsonWriter *w = cc_json_writer_new ();
  char         *text;

  cc_json_writer_begin_array (w);
  g_test_expect_message ("CustodyClock", G_LOG_LEVEL_CRITICAL, "*not complete*");
  text = cc_json_writer_free_to_string (w);
  g_test_assert_expected_messages ();
  g_assert_null (text);

  w = cc_json_writer_new ();
  g_test_expect_message ("CustodyClock", G_LOG_LEVEL_CRITICAL, "*closed without being open*");
  cc_json_writer_end_object (w);
  g_test_assert_expected_messages ();
  cc_json_writer_free (w);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-writer/strings", test_strings);
  g_test_add_func ("/json-writer/numbers", test_numbers);
  g_test_add_func ("/json-writer/empty", test_empty);
  g_test_add_func ("/json-writer/generated", test_generated);
  g_test_add_func ("/json-writer/misuse", test_misuse);
  g_test_add_func ("/json-writer/unfinished", test_unfinished);
  return g_test_run ();
}
