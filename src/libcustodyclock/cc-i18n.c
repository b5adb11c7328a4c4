/* cc-i18n.c: the language Custody Clock speaks
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every user-facing string goes through gettext (domain GETTEXT_PACKAGE).
 * The language follows the usual environment (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG); `custody-clock report --lang` chooses one for a single
 * run, so that a custody lead can produce the report in Welsh and in English
 * from the same desk.  Day and month names come from the catalogue too
 * (cc_time_format_date()), not from the C library's LC_TIME, so that a
 * report asked for in Welsh is Welsh throughout whatever the desk's locale.
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "cc-i18n.h"

#ifdef __GLIBC__
/* GNU gettext's documented way to say that LANGUAGE changed: glibc caches
 * each translation under the locale's name, not LANGUAGE's. */
extern int _nl_msg_cat_cntr;
#endif

/* clang-format off */
G_DEFINE_QUARK (cc-i18n-error-quark, cc_i18n_error)
/* clang-format on */

/**
 * cc_i18n_get_languages:
 *
 * The languages Custody Clock ships: `en` (the source, British English)
 * first, then each translation of po/LINGUAS (`cy`, `en_GB`), which meson
 * passes in as CC_LANGUAGES.
 *
 * Returns: (transfer none) (array zero-terminated=1): the language codes
 */
const char *const *
cc_i18n_get_languages (void)
{
  static char **list = NULL;

  if (g_once_init_enter (&list))
    {
      g_auto (GStrv) linguas = g_strsplit (CC_LANGUAGES, " ", -1);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

      g_strv_builder_add (builder, "en");
      for (char **l = linguas; *l != NULL; l++)
        if (**l != '\0')
          g_strv_builder_add (builder, *l);
      g_once_init_leave (&list, g_strv_builder_end (builder));
    }
  return (const char *const *) list;
}

/* glibc ignores LANGUAGE while LC_MESSAGES is the "C" locale; C.UTF-8
 * behaves the same for messages and lets LANGUAGE through. */
static void
let_language_through (void)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);

  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_MESSAGES, "C.UTF-8");
}

/**
 * cc_i18n_init:
 *
 * Sets the locale from the environment and binds the message catalogue.
 * Programs call this first.  `$CUSTODY_CLOCK_LOCALEDIR` points at another
 * catalogue tree: the tests use the build directory's, so they check the
 * translations of this build rather than whatever is installed.
 *
 * A LANGUAGE set on its own (no LANG or LC_ALL, as in a bare systemd
 * environment) is honoured too: glibc would ignore it in the C locale.
 */
void
cc_i18n_init (void)
{
  const char *localedir = g_getenv ("CUSTODY_CLOCK_LOCALEDIR");
  const char *language = g_getenv ("LANGUAGE");

  setlocale (LC_ALL, "");
  if (language != NULL && *language != '\0')
    let_language_through ();
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* No textdomain(): every file translates through its own domain
   * (gi18n-lib.h), and GLib's g_dgettext() turns translation off for good
   * if, at its first call, a default domain is set that has no catalogue
   * for the locale (C.UTF-8 with no LANGUAGE yet); report --lang would then
   * have no effect. */
}

/**
 * cc_i18n_set_language:
 * @language: a code from cc_i18n_get_languages(), e.g. `cy`
 * @error: return location for a %CC_I18N_ERROR_UNKNOWN_LANGUAGE
 *
 * Makes everything this process says from now on be in @language, whatever
 * the environment asked for.  Call it before any thread starts: it sets
 * `LANGUAGE`.
 *
 * Returns: %TRUE, or %FALSE if Custody Clock has no such language
 */
gboolean
cc_i18n_set_language (const char *language,
                      GError    **error)
{
  g_return_val_if_fail (language != NULL, FALSE);

  if (!g_strv_contains (cc_i18n_get_languages (), language))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) cc_i18n_get_languages ());

      g_set_error (error, CC_I18N_ERROR, CC_I18N_ERROR_UNKNOWN_LANGUAGE,
                   /* Translators: %1$s is what was asked for, %2$s the list of language codes, e.g. "en, cy, en_GB" */
                   _ ("There is no “%1$s” translation; the languages are: %2$s"), language, known);
      return FALSE;
    }

  /* "en" names no catalogue, so every message falls back to its msgid:
   * the source text, which is British English. */
  g_setenv ("LANGUAGE", language, TRUE);
  let_language_through ();
#ifdef __GLIBC__
  ++_nl_msg_cat_cntr;
#endif
  return TRUE;
}
