/* render-report-html.c: renders a report's JSON (docs/REPORT.md) as HTML
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A test helper, not installed: report-browser.sh renders the fixture with
 * it whether or not the report builder can make one from a database.
 *
 *   render-report-html REPORT.json OUT.html
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "cc-report.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *html = NULL;
  JsonNode        *root;

  setlocale (LC_ALL, "");
  if (argc != 3)
    {
      g_printerr ("usage: %s REPORT.json OUT.html\n", argv[0]);
      return 2;
    }
  if (!json_parser_load_from_file (parser, argv[1], &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_printerr ("%s: not a JSON object\n", argv[1]);
      return 1;
    }
  html = cc_report_render_html (json_node_get_object (root), &error);
  if (html == NULL || !g_file_set_contents (argv[2], html, -1, &error))
    {
      g_printerr ("%s: %s\n", argv[2], error->message);
      return 1;
    }
  return 0;
}
