/* test-i18n.c: the language the library speaks (cc-i18n.c)
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What `report --lang` and the agent rely on: the languages are English
 * (the source text, no catalogue) and every catalogue built; an unknown
 * one is refused with the list; a known one changes what the library's
 * names say at once, in the same process, and back again.  The catalogues
 * are the ones built in po/ ($CUSTODY_CLOCK_LOCALEDIR, as cli-welsh.sh has
 * it); the whole commands in Welsh are cli-welsh.sh's.
 */
#include "config.h"

#include "cc-i18n.h"
#include "cc-rules.h"

static void
test_languages (void)
{
  const char *const *languages = cc_i18n_get_languages ();
  g_auto (GStrv) built = g_strsplit (CC_LANGUAGES, " ", -1);
  guint n = 1;

  /* English first: the source text is British English. */
  g_assert_cmpstr (languages[0], ==, "en");
  for (char **l = built; *l != NULL; l++)
    if (**l != '\0')
      {
        g_assert_cmpstr (languages[n], ==, *l);
        n++;
      }
  g_assert_null (languages[n]);
  g_assert_true (g_strv_contains (languages, "cy"));
  /* The same list, not a new one, each time. */
  g_assert_true (cc_i18n_get_languages () == languages);
}

static void
test_unknown (void)
{
  const char *const unknown[] = { "xx", "", "CY", "cy_GB", "en_US", "english" };
  g_autofree char  *known = g_strjoinv (", ", (char **) cc_i18n_get_languages ());

  g_assert_true (cc_i18n_set_language ("en", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("There is no “%s” translation; the languages are: %s", unknown[i], known);

      g_assert_false (cc_i18n_set_language (unknown[i], &error));
      g_assert_error (error, CC_I18N_ERROR, CC_I18N_ERROR_UNKNOWN_LANGUAGE);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_nonnull (strstr (error->message, "en, cy"));
      /* Nothing changed. */
      g_assert_cmpstr (cc_level_display_name (CC_LEVEL_SERGEANT), ==, "sergeant");
    }
}

/* Each language in turn, and back: the names follow at once. */
static void
test_switch (void)
{
  const struct
  {
    const char *language;
    const char *sergeant;
    const char *aa_requested;
  } cases[] = {
    { "en", "sergeant", "Appropriate adult called" },
    { "cy", "rhingyll", "Galwyd oedolyn priodol" },
    { "en", "sergeant", "Appropriate adult called" },
    { "en_GB", "sergeant", "Appropriate adult called" },
    { "cy", "rhingyll", "Galwyd oedolyn priodol" },
    { "en", "sergeant", "Appropriate adult called" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (cc_i18n_set_language (cases[i].language, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, cases[i].language);
      g_assert_cmpstr (cc_level_display_name (CC_LEVEL_SERGEANT), ==, cases[i].sergeant);
      g_assert_cmpstr (cc_clock_display_name (CC_CLOCK_AA_REQUESTED), ==, cases[i].aa_requested);
      /* The ids the JSON and the database keep are never translated. */
      g_assert_cmpstr (cc_level_to_string (CC_LEVEL_SERGEANT), ==, "sergeant");
    }
}

int
main (int    argc,
      char **argv)
{
  /* The session's language must not decide the test's. */
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  cc_i18n_init ();

  g_test_add_func ("/i18n/languages", test_languages);
  g_test_add_func ("/i18n/unknown", test_unknown);
  g_test_add_func ("/i18n/switch", test_switch);

  return g_test_run ();
}
