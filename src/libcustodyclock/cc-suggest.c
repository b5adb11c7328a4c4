/* cc-suggest.c: "did you mean": the known word a mistyped one meant
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One matcher for every "did you mean" the program offers (an event
 * type, a record number, a policy group or key), so that a slip is
 * forgiven the same way everywhere.  Decisions: case, dashes, spaces,
 * underscores and slashes do not count; two slips at most (a letter
 * wrong, missing, added, or two swapped: optimal string alignment), and
 * only one for a word under five letters, which two slips make another
 * word.
 */
#include "config.h"

#include <string.h>

#include "cc-suggest.h"

/* The text as it is compared for "did you mean": case, dashes, spaces,
 * underscores and slashes do not count, so "wi swn 22 0101" finds
 * "WI-SWN-22-0101" and "aa-requested" finds "aa_requested". */
static char *
normalise_for_match (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    if (*p != '-' && *p != '_' && *p != ' ' && *p != '/')
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

/* Edit distance with adjacent transpositions (optimal string alignment):
 * "arirval" is one slip from "arrival", as a person types it. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize             la = strlen (a), lb = strlen (b);
  g_autofree guint *d = g_new (guint, (la + 1) * (lb + 1));

#define D(i, j) d[(i) * (lb + 1) + (j)]
  for (gsize i = 0; i <= la; i++)
    D (i, 0) = (guint) i;
  for (gsize j = 0; j <= lb; j++)
    D (0, j) = (guint) j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
        guint best = MIN (MIN (D (i - 1, j) + 1, D (i, j - 1) + 1), D (i - 1, j - 1) + cost);

        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  return D (la, lb);
#undef D
}

/**
 * cc_suggest_closest:
 * @word: what was typed
 * @candidates: (array length=n_candidates): the words it may have meant
 * @n_candidates: how many
 *
 * The candidate @word most probably meant, for "did you mean": the same
 * ignoring case, dashes, spaces, underscores and slashes, else within two
 * slips (a letter wrong, missing, added, or two swapped), the closest first
 * and the earliest of equals.  @word itself is never suggested.  Used for
 * event types, record numbers and the policy's groups and keys.
 *
 * Returns: (transfer none) (nullable): one of @candidates, or %NULL
 */
const char *
cc_suggest_closest (const char        *word,
                    const char *const *candidates,
                    gsize              n_candidates)
{
  g_autofree char *typed = NULL;
  const char      *best = NULL;
  guint            best_distance = 3;

  g_return_val_if_fail (word != NULL, NULL);
  g_return_val_if_fail (candidates != NULL || n_candidates == 0, NULL);

  typed = normalise_for_match (word);
  for (gsize i = 0; i < n_candidates && best_distance > 0; i++)
    {
      g_autofree char *candidate = NULL;
      guint            distance;

      if (strcmp (candidates[i], word) == 0)
        continue;
      candidate = normalise_for_match (candidates[i]);
      /* Too different in length to be within two slips: skip the table. */
      if (MAX (strlen (candidate), strlen (typed)) - MIN (strlen (candidate), strlen (typed)) >= best_distance)
        continue;
      distance = edit_distance (typed, candidate);
      /* A short word two slips away is another word, not a slip. */
      if (distance == 2 && strlen (typed) < 5)
        continue;
      if (distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }
  return best;
}
