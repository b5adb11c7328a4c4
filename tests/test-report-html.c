/* test-report-html.c: the HTML format of the monthly report
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Renders tests/data/report-fixture.json (a report as docs/REPORT.md
 * describes it, with a suite named to break careless markup) and reads the
 * page back with GMarkup: the renderer writes XML-compatible HTML, so a
 * parse of the whole document checks that every element is closed and
 * every piece of text escaped.  The checks then walk the tree.
 */
#include "config.h"

#include <string.h>

#include "cc-report.h"
#include "cc-time.h"

/* The compiled ui/ resource, linked into libcustodyclock. */
GResource *cc_ui_get_resource (void);

#define NBSP "\u00a0"
#define SUITE "Swindon & Wiltshire \"North\" <Gablecross>"

/* ─── A small document tree ────────────────────────────────────────── */

typedef struct _Node Node;
struct _Node
{
  char       *name; /* NULL for text */
  char       *text;
  GHashTable *attrs;
  GPtrArray  *children;
  Node       *parent;
};

static void
node_free (Node *node)
{
  g_free (node->name);
  g_free (node->text);
  g_clear_pointer (&node->attrs, g_hash_table_unref);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static Node *
node_new (Node       *parent,
          const char *name)
{
  Node *node = g_new0 (Node, 1);

  node->name = g_strdup (name);
  node->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  node->parent = parent;
  if (parent != NULL)
    g_ptr_array_add (parent->children, node);
  return node;
}

static void
on_start (GMarkupParseContext *context,
          const char          *name,
          const char         **attr_names,
          const char         **attr_values,
          gpointer             user_data,
          GError             **error)
{
  Node **current = user_data;
  Node  *node = node_new (*current, name);

  for (guint i = 0; attr_names[i] != NULL; i++)
    g_hash_table_insert (node->attrs, g_strdup (attr_names[i]), g_strdup (attr_values[i]));
  *current = node;
}

static void
on_end (GMarkupParseContext *context,
        const char          *name,
        gpointer             user_data,
        GError             **error)
{
  Node **current = user_data;

  g_assert_cmpstr ((*current)->name, ==, name);
  *current = (*current)->parent;
}

static void
on_text (GMarkupParseContext *context,
         const char          *text,
         gsize                length,
         gpointer             user_data,
         GError             **error)
{
  Node **current = user_data;
  Node  *node = node_new (*current, NULL);

  node->text = g_strndup (text, length);
}

/* Parses the whole page; the document root holds <html>. */
static Node *
parse_page (const char *html)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  g_autoptr (Node) document = node_new (NULL, "#document");
  Node *current = document;
  g_autoptr (GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &current, NULL);
  g_autoptr (GError) error = NULL;

  g_markup_parse_context_parse (context, html, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_true (current == document);
  return g_steal_pointer (&document);
}

static const char *
attr (Node       *node,
      const char *name)
{
  g_assert (node != NULL);
  return g_hash_table_lookup (node->attrs, name);
}

static gboolean
has_class (Node       *node,
           const char *klass)
{
  const char *value = attr (node, "class");
  g_auto (GStrv) classes = value != NULL ? g_strsplit (value, " ", -1) : NULL;

  return classes != NULL && g_strv_contains ((const char *const *) classes, klass);
}

static void
append_text (Node    *node,
             GString *out)
{
  if (node->name == NULL)
    g_string_append (out, node->text);
  for (guint i = 0; i < node->children->len; i++)
    append_text (g_ptr_array_index (node->children, i), out);
}

static char *
text_of (Node *node)
{
  GString *out = g_string_new (NULL);

  append_text (node, out);
  return g_string_free (out, FALSE);
}

/* Every element called @name under @node (all elements when %NULL), in
 * document order. */
static void
collect (Node       *node,
         const char *name,
         GPtrArray  *out)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);

      if (child->name == NULL)
        continue;
      if (name == NULL || g_str_equal (child->name, name))
        g_ptr_array_add (out, child);
      collect (child, name, out);
    }
}

static GPtrArray *
find_all (Node       *node,
          const char *name)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (node, name, out);
  return out;
}

static Node *
find_first (Node       *node,
            const char *name)
{
  g_autoptr (GPtrArray) all = find_all (node, name);

  return all->len > 0 ? g_ptr_array_index (all, 0) : NULL;
}

static Node *
find_id (Node       *node,
         const char *id)
{
  g_autoptr (GPtrArray) all = find_all (node, NULL);

  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (attr (g_ptr_array_index (all, i), "id"), id) == 0)
      return g_ptr_array_index (all, i);
  return NULL;
}

/* The direct element children called @name. */
static GPtrArray *
children_named (Node       *node,
                const char *name)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);

      if (child->name != NULL && g_str_equal (child->name, name))
        g_ptr_array_add (out, child);
    }
  return out;
}

/* A table's cells as text: row r (the head row is 0), column c. */
static GPtrArray *
table_rows (Node *table)
{
  g_autoptr (GPtrArray) trs = find_all (table, "tr");
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; i < trs->len; i++)
    {
      Node      *tr = g_ptr_array_index (trs, i);
      GPtrArray *cells = g_ptr_array_new ();

      for (guint k = 0; k < tr->children->len; k++)
        {
          Node *cell = g_ptr_array_index (tr->children, k);

          if (cell->name != NULL && (g_str_equal (cell->name, "th") || g_str_equal (cell->name, "td")))
            g_ptr_array_add (cells, text_of (cell));
        }
      g_ptr_array_add (cells, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (cells, FALSE));
    }
  return rows;
}

/* The row whose first cell is @label, or %NULL. */
static char **
table_row (GPtrArray  *rows,
           const char *label)
{
  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row[0], label) == 0)
        return row;
    }
  return NULL;
}

static int
table_column (GPtrArray  *rows,
              const char *label)
{
  char **head = g_ptr_array_index (rows, 0);

  for (int i = 0; head[i] != NULL; i++)
    if (g_str_equal (head[i], label))
      return i;
  return -1;
}

/* The table whose caption is @caption. */
static Node *
find_table (Node       *page,
            const char *caption)
{
  g_autoptr (GPtrArray) tables = find_all (page, "table");

  for (guint i = 0; i < tables->len; i++)
    {
      Node            *caption_node = find_first (g_ptr_array_index (tables, i), "caption");
      g_autofree char *text = caption_node != NULL ? text_of (caption_node) : NULL;

      if (g_strcmp0 (text, caption) == 0)
        return g_ptr_array_index (tables, i);
    }
  g_error ("no table captioned “%s”", caption);
  return NULL;
}

/* ─── The fixture ──────────────────────────────────────────────────── */

static JsonNode *
load_fixture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "report-fixture.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_copy (json_parser_get_root (parser));
}

static char *
render (JsonNode *report)
{
  g_autoptr (GError) error = NULL;
  char *html = cc_report_render_html (json_node_get_object (report), &error);

  g_assert_no_error (error);
  g_assert_nonnull (html);
  return html;
}

static char *
render_fixture (void)
{
  g_autoptr (JsonNode) report = load_fixture ();

  return render (report);
}

static JsonObject *
case_at (JsonObject *report,
         guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (report, "cases"), i);
}

/* ─── Tests ────────────────────────────────────────────────────────── */

static void
test_resources (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) css = g_resource_lookup_data (cc_ui_get_resource (),
                                                   "/org/custodyclock/CustodyClock/ui/report.css",
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autoptr (GBytes) page = NULL;
  g_autofree char *css_text = NULL;
  g_autofree char *page_text = NULL;

  g_assert_no_error (error);
  /* Registered too (the linker kept the constructor with the data). */
  page = g_resources_lookup_data ("/org/custodyclock/CustodyClock/ui/report.html",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  css_text = g_strndup (g_bytes_get_data (css, NULL), g_bytes_get_size (css));
  page_text = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  /* The stylesheet is inlined in <style>: a '<' could end it, and an
   * entity would mean one thing to HTML and another to XML. */
  g_assert_null (strchr (css_text, '<'));
  g_assert_null (strchr (css_text, '&'));
  g_assert_nonnull (strstr (css_text, "@page"));
  g_assert_nonnull (strstr (css_text, "size: A4"));
  g_assert_nonnull (strstr (page_text, "{{main}}"));
  g_assert_nonnull (strstr (page_text, "lang=\"{{lang}}\""));
}

static void
test_well_formed (void)
{
  g_autofree char *html = render_fixture ();
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) roots = children_named (document, "html");
  Node *root, *head, *meta;

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  g_assert_cmpuint (roots->len, ==, 1);
  root = g_ptr_array_index (roots, 0);
  g_assert_cmpstr (attr (root, "lang"), ==, "en-GB");
  head = find_first (root, "head");
  g_assert_nonnull (head);
  meta = find_first (head, "meta");
  g_assert_cmpstr (attr (meta, "charset"), ==, "utf-8");
  g_assert_nonnull (find_first (head, "title"));
  g_assert_nonnull (find_first (head, "style"));
  g_assert_nonnull (find_first (root, "main"));
}

/* No scripts, no event handlers, nothing loaded from anywhere: the only
 * references are to places in the page itself. */
static void
test_self_contained (void)
{
  g_autofree char *html = render_fixture ();
  g_autofree char *lower = g_ascii_strdown (html, -1);
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) all = find_all (document, NULL);
  static const char *const refused[] = { "script", "link", "img", "iframe", "object", "embed",
                                         "image", "use", "foreignObject", "base", "form", NULL };
  static const char *const reference_attrs[] = { "href", "src", "xlink:href", "action", "formaction",
                                                 "poster", "data", "srcset", NULL };
  Node                    *style;
  g_autofree char         *css = NULL;

  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "javascript:"));
  g_assert_null (strstr (lower, "@import"));
  for (guint i = 0; i < all->len; i++)
    {
      Node          *node = g_ptr_array_index (all, i);
      GHashTableIter iter;
      gpointer       name, value;

      g_assert_false (g_strv_contains (refused, node->name));
      g_hash_table_iter_init (&iter, node->attrs);
      while (g_hash_table_iter_next (&iter, &name, &value))
        {
          g_assert_false (g_str_has_prefix (name, "on"));
          if (g_strv_contains (reference_attrs, name))
            g_assert_true (g_str_has_prefix (value, "#"));
          /* fill="url(#fill-hatch)" and nothing else */
          for (const char *u = strstr (value, "url("); u != NULL; u = strstr (u + 1, "url("))
            g_assert_true (g_str_has_prefix (u, "url(#"));
          g_assert_null (strstr (value, "http://"));
          g_assert_null (strstr (value, "https://"));
          g_assert_false (g_str_has_prefix (value, "//"));
        }
    }
  style = find_first (document, "style");
  css = text_of (style);
  g_assert_null (strstr (css, "url("));
  g_assert_null (strstr (css, "//"));
}

static void
test_sections (void)
{
  g_autofree char *html = render_fixture ();
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (JsonNode) report = load_fixture ();
  static const struct
  {
    const char *id;
    const char *heading;
  } sections[] = {
    { "summary", "Summary" },
    { "clocks", "Per clock" },
    { "post-charge", "Post-charge" },
    { "instant-rules", "Instant rules" },
    { "escalations", "Escalations" },
    { "cases", "Cases" },
    { "data-quality", "Data quality" },
    { "trend", "Trend" },
    { "definitions", "Definitions" },
  };
  Node *main_node = find_first (document, "main");
  g_autoptr (GPtrArray) parts = children_named (main_node, "section");
  g_autoptr (GPtrArray) links = find_all (find_first (document, "nav"), "a");
  g_autofree char *title = text_of (find_first (document, "title"));
  g_autofree char *h1 = text_of (find_first (document, "h1"));
  g_autoptr (GPtrArray) h1s = find_all (document, "h1");
  g_autofree char *summary = text_of (find_id (document, "summary"));
  g_autofree char *policy = NULL;
  g_autoptr (GPtrArray) h3s = find_all (find_id (document, "clocks"), "h3");
  g_autofree char *first_h3 = text_of (g_ptr_array_index (h3s, 0));
  g_autofree char *second_h3 = text_of (g_ptr_array_index (h3s, 1));
  Node            *pre;

  g_assert_cmpuint (parts->len, ==, G_N_ELEMENTS (sections));
  g_assert_cmpuint (links->len, ==, G_N_ELEMENTS (sections));
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      Node *section = g_ptr_array_index (parts, i);
      g_autoptr (GPtrArray) h2s = children_named (section, "h2");
      g_autofree char *heading = NULL;
      g_autofree char *href = g_strconcat ("#", sections[i].id, NULL);

      g_assert_cmpstr (attr (section, "id"), ==, sections[i].id);
      g_assert_cmpuint (h2s->len, ==, 1);
      heading = text_of (g_ptr_array_index (h2s, 0));
      g_assert_cmpstr (heading, ==, sections[i].heading);
      g_assert_cmpstr (attr (section, "aria-labelledby"), ==, attr (g_ptr_array_index (h2s, 0), "id"));
      g_assert_cmpstr (attr (g_ptr_array_index (links, i), "href"), ==, href);
    }

  /* The month and the suite name the page. */
  g_assert_cmpuint (h1s->len, ==, 1);
  g_assert_cmpstr (h1, ==, "Breach report, November 2022: " SUITE);
  g_assert_cmpstr (title, ==, h1);

  /* Headline measures first, then every clock. */
  g_assert_cmpstr (first_h3, ==, "Headline measures");
  g_assert_cmpstr (second_h3, ==, "Every clock");

  /* The summary says what "overnight" means. */
  g_assert_nonnull (strstr (summary, "4 hours or more in a row between 00:00 and 08:00 local time (Europe/London)"));

  /* The policy in force, verbatim, in a <pre>. */
  pre = find_first (find_id (document, "definitions"), "pre");
  g_assert_nonnull (pre);
  policy = text_of (pre);
  g_assert_cmpstr (policy, ==, json_object_get_string_member (json_node_get_object (report), "policy"));
}

/* Every table has a caption and its header cells their scope. */
static void
test_tables_accessible (void)
{
  g_autofree char *html = render_fixture ();
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) tables = find_all (document, "table");

  g_assert_cmpuint (tables->len, >=, 15);
  for (guint i = 0; i < tables->len; i++)
    {
      Node *table = g_ptr_array_index (tables, i);
      Node *thead = find_first (table, "thead");
      Node *tbody = find_first (table, "tbody");
      g_autoptr (GPtrArray) head_cells = find_all (thead, "th");
      g_autoptr (GPtrArray) body_headers = find_all (tbody, "th");
      g_autoptr (GPtrArray) rows = find_all (tbody, "tr");
      g_autofree char *caption = text_of (find_first (table, "caption"));

      g_assert_cmpstr (caption, !=, "");
      g_assert_cmpuint (head_cells->len, >=, 2);
      for (guint k = 0; k < head_cells->len; k++)
        g_assert_cmpstr (attr (g_ptr_array_index (head_cells, k), "scope"), ==, "col");
      /* One row header per row. */
      g_assert_cmpuint (body_headers->len, ==, rows->len);
      for (guint k = 0; k < body_headers->len; k++)
        g_assert_cmpstr (attr (g_ptr_array_index (body_headers, k), "scope"), ==, "row");
    }
}

/* Each chart is an image with a name and a description, and each of its
 * marks names a cell of the table that follows it, which holds the same
 * value. */
static void
check_chart_block (Node *block,
                   guint expected_svgs)
{
  g_autoptr (GPtrArray) svgs = find_all (block, "svg");
  g_autoptr (GPtrArray) tables = find_all (block, "table");
  g_autoptr (GPtrArray) rows = NULL;
  guint n_marks = 0;

  g_assert_cmpuint (svgs->len, ==, expected_svgs);
  g_assert_cmpuint (tables->len, ==, 1);
  rows = table_rows (g_ptr_array_index (tables, 0));

  for (guint s = 0; s < svgs->len; s++)
    {
      Node *svg = g_ptr_array_index (svgs, s);
      g_auto (GStrv) labelled_by = g_strsplit (attr (svg, "aria-labelledby"), " ", -1);
      g_autoptr (GPtrArray) rects = find_all (svg, "rect");
      g_autoptr (GPtrArray) titles = children_named (svg, "title");
      g_autoptr (GPtrArray) descs = children_named (svg, "desc");
      g_autofree char *title = NULL;
      g_autofree char *desc = NULL;

      g_assert_cmpstr (attr (svg, "role"), ==, "img");
      g_assert_nonnull (attr (svg, "viewBox"));
      g_assert_cmpuint (titles->len, ==, 1);
      g_assert_cmpuint (descs->len, ==, 1);
      g_assert_cmpuint (g_strv_length (labelled_by), ==, 2);
      g_assert_cmpstr (attr (g_ptr_array_index (titles, 0), "id"), ==, labelled_by[0]);
      g_assert_cmpstr (attr (g_ptr_array_index (descs, 0), "id"), ==, labelled_by[1]);
      title = text_of (g_ptr_array_index (titles, 0));
      desc = text_of (g_ptr_array_index (descs, 0));
      g_assert_cmpstr (title, !=, "");
      g_assert_nonnull (strstr (desc, "table below"));

      for (guint i = 0; i < rects->len; i++)
        {
          Node            *rect = g_ptr_array_index (rects, i);
          Node            *mark_title = find_first (rect, "title");
          g_autofree char *text = NULL;
          const char      *colon, *dash;
          g_autofree char *row_label = NULL;
          g_autofree char *column_label = NULL;
          char           **row;

          if (mark_title == NULL)
            continue; /* a key swatch, not a value */
          n_marks++;
          g_assert_true (has_class (rect, "mark"));
          text = text_of (mark_title);
          colon = g_strrstr (text, ": ");
          g_assert_nonnull (colon);
          dash = g_strstr_len (text, colon - text, " — ");
          if (dash != NULL)
            {
              row_label = g_strndup (text, dash - text);
              column_label = g_strndup (dash + strlen (" — "), colon - dash - strlen (" — "));
            }
          else
            row_label = g_strndup (text, colon - text);

          row = table_row (rows, row_label);
          if (row == NULL)
            g_error ("chart mark “%s”: no row “%s” in its table", text, row_label);
          if (column_label != NULL)
            {
              int column = table_column (rows, column_label);

              if (column < 0)
                g_error ("chart mark “%s”: no column “%s” in its table", text, column_label);
              g_assert_cmpstr (row[column], ==, colon + 2);
            }
          else
            g_assert_true (g_strv_contains ((const char *const *) row + 1, colon + 2));
        }
    }
  g_assert_cmpuint (n_marks, >, 0);
}

static void
test_charts (void)
{
  g_autofree char *html = render_fixture ();
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (JsonNode) node = load_fixture ();
  JsonObject *report = json_node_get_object (node);
  g_autoptr (GPtrArray) divs = find_all (document, "div");
  g_autoptr (GPtrArray) blocks = g_ptr_array_new ();
  g_autoptr (GPtrArray) aa_rows = NULL;
  g_autoptr (GPtrArray) week_rows = NULL;
  JsonArray *bins = json_object_get_array_member (json_object_get_object_member (report, "headline"),
                                                  "aa_arrival_bins");
  JsonArray *weeks = json_object_get_array_member (report, "breaches_by_week");
  char     **total;

  for (guint i = 0; i < divs->len; i++)
    if (has_class (g_ptr_array_index (divs, i), "chart-block"))
      g_ptr_array_add (blocks, g_ptr_array_index (divs, i));

  /* AA arrival times, hours after bail refusal, breaches per week, and the
   * trend's four panels. */
  g_assert_cmpuint (blocks->len, ==, 4);
  check_chart_block (g_ptr_array_index (blocks, 0), 1);
  check_chart_block (g_ptr_array_index (blocks, 1), 1);
  check_chart_block (g_ptr_array_index (blocks, 2), 1);
  check_chart_block (g_ptr_array_index (blocks, 3), 4);

  /* And the tables hold the report's numbers. */
  aa_rows = table_rows (find_table (document, "Detentions by time to the appropriate adult’s arrival"));
  g_assert_cmpuint (aa_rows->len, ==, json_array_get_length (bins) + 1);
  for (guint i = 0; i < json_array_get_length (bins); i++)
    {
      JsonObject      *bin = json_array_get_object_element (bins, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (bin, "count"));
      char           **row = g_ptr_array_index (aa_rows, i + 1);

      g_assert_cmpstr (row[1], ==, count);
    }
  g_assert_cmpstr (((char **) g_ptr_array_index (aa_rows, 1))[0], ==, "under 1 h");
  g_assert_cmpstr (((char **) g_ptr_array_index (aa_rows, 2))[0], ==, "1 h – 2 h");
  g_assert_cmpstr (((char **) g_ptr_array_index (aa_rows, 6))[0], ==, "12 h or more");
  g_assert_cmpstr (((char **) g_ptr_array_index (aa_rows, 7))[0], ==, "did not arrive");

  week_rows = table_rows (find_table (document, "Breaches per week, by clock or rule"));
  total = table_row (week_rows, "Total");
  g_assert_nonnull (total);
  for (guint i = 0; i < json_array_get_length (weeks); i++)
    {
      JsonObject      *week = json_array_get_object_element (weeks, i);
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            json_object_get_int_member (week, "total"));

      g_assert_cmpstr (total[i + 1], ==, n);
    }
  g_assert_cmpstr (((char **) g_ptr_array_index (week_rows, 0))[1], ==, "w/c 31" NBSP "Oct");
}

static void
test_escaping (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  JsonObject      *report = json_node_get_object (node);
  g_autofree char *html = render (node);
  g_autofree char *hostile_html = NULL;
  g_autoptr (Node) document = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *policy = NULL;
  const char      *hostile_suite = "</title><script>alert(1)</script>";
  const char      *hostile_record = "R-1\" onclick=\"alert(1)' <b>&amp;";
  const char      *hostile_policy = "[display]\n</pre><script>alert(2)</script>\ntimezone=Europe/London\n";
  JsonObject      *child = json_array_get_object_element (
         json_object_get_array_member (json_object_get_object_member (report, "post_charge"), "children"), 0);
  g_autoptr (GPtrArray) children = NULL;

  /* The fixture's suite: escaped in the text, whole in the title. */
  g_assert_nonnull (strstr (html, "Swindon &amp; Wiltshire &quot;North&quot; &lt;Gablecross&gt;"));
  g_assert_null (strstr (html, "\"North\" <Gablecross>"));
  g_assert_null (strstr (html, "<Gablecross"));

  /* Worse: every string a custody system or a policy file supplies. */
  json_object_set_null_member (report, "suite"); /* all suites: a Suite column */
  json_object_set_string_member (case_at (report, 0), "suite", hostile_suite);
  json_object_set_string_member (case_at (report, 0), "record_id", hostile_record);
  json_object_set_string_member (case_at (report, 0), "acknowledged_by", "PS <1> \x01 & co");
  json_object_set_string_member (report, "policy", hostile_policy);
  json_object_set_string_member (child, "record_id", hostile_record);
  hostile_html = render (node);
  g_assert_null (strstr (hostile_html, "<script"));
  g_assert_null (strstr (hostile_html, "onclick=\""));
  g_assert_null (strstr (hostile_html, "\x01"));

  document = parse_page (hostile_html);
  h1 = text_of (find_first (document, "h1"));
  g_assert_cmpstr (h1, ==, "Breach report, November 2022: all suites");
  rows = table_rows (find_table (document, "Every breach of the month’s records"));
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[1], ==, "Suite");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[0], ==, hostile_record);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[1], ==, hostile_suite);
  /* The control character is replaced, the rest kept. */
  g_assert_true (g_str_has_prefix (((char **) g_ptr_array_index (rows, 1))[7], "PS <1> \ufffd & co"));
  policy = text_of (find_first (find_id (document, "definitions"), "pre"));
  g_assert_cmpstr (policy, ==, hostile_policy);
  /* A long record number is shortened on the chart, whole in its table. */
  children = table_rows (find_table (document, "Each child refused bail, longest first"));
  g_assert_cmpstr (((char **) g_ptr_array_index (children, 1))[0], ==, hostile_record);
  g_assert_nonnull (strstr (hostile_html, ">R-1&quot; onclick=&quot;ale…</text>"));
}

static void
test_deterministic (void)
{
  g_autofree char *first = render_fixture ();
  g_autofree char *second = render_fixture ();
  g_autoptr (JsonNode) node = load_fixture ();
  g_autofree char *third = render (node);
  g_autofree char *fourth = render (node);

  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, ==, third);
  g_assert_cmpstr (third, ==, fourth);
}

static void
test_nulls (void)
{
  g_autofree char *html = render_fixture ();
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) clocks = table_rows (find_table (document, "Each clock’s records by their state when the figures were taken"));
  g_autoptr (GPtrArray) trend = table_rows (find_table (document, "The last 12 months"));
  g_autoptr (GPtrArray) children = table_rows (find_table (document, "Each child refused bail, longest first"));
  g_autoptr (GPtrArray) cases = table_rows (find_table (document, "Every breach of the month’s records"));
  char **review = table_row (clocks, "PACE review (occurrences)");
  char **january = table_row (trend, "Jan" NBSP "2022");
  char **in_custody = table_row (children, "WI-SWN-22-1117");
  char **instant = table_row (cases, "WI-SWN-22-1101");
  int    median = table_column (clocks, "Start to met, median");
  int    p90 = table_column (clocks, "Start to met, 90th percentile");

  /* seconds_to_satisfy is null for a recurring clock */
  g_assert_nonnull (review);
  g_assert_cmpstr (review[median], ==, "—");
  g_assert_cmpstr (review[p90], ==, "—");
  /* a month with no detentions has no medians and no share */
  g_assert_nonnull (january);
  g_assert_cmpstr (january[1], ==, "0");
  g_assert_cmpstr (january[2], ==, "—");
  g_assert_cmpstr (january[3], ==, "—");
  g_assert_cmpstr (january[4], ==, "—");
  /* still in custody: no end */
  g_assert_cmpstr (in_custody[2], ==, "—");
  g_assert_cmpstr (in_custody[3], ==, "still in custody");
  g_assert_cmpstr (in_custody[4], ==, "1 d 18 h");
  /* the first case is met late; the third is an instant rule: no lateness */
  g_assert_cmpstr (instant[3], ==, "45 min");
  g_assert_cmpstr (((char **) g_ptr_array_index (cases, 3))[3], ==, "—");
}

static void
test_no_generated_at (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  g_autofree char *html = render (node);
  g_autofree char *lower = g_ascii_strdown (html, -1);
  g_autofree char *stamped = NULL;

  /* Without --stamp, nothing says when it was made. */
  g_assert_false (json_object_has_member (json_node_get_object (node), "generated_at"));
  g_assert_null (strstr (lower, "generated"));

  json_object_set_string_member (json_node_get_object (node), "generated_at", "2022-12-01T10:30:00Z");
  stamped = render (node);
  g_assert_nonnull (strstr (stamped, "<dt>Generated</dt>\n<dd>1" NBSP "Dec" NBSP "2022 10:30" NBSP "GMT</dd>"));
}

/* Durations as the board writes them (cc_duration_format), shares as percentages, instants in the
 * report's zone. */
static void
test_formats (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  JsonObject      *report = json_node_get_object (node);
  g_autofree char *html = render (node);
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) waits = table_rows (find_table (document, "How long children waited"));
  g_autoptr (GPtrArray) quick = table_rows (find_table (document, "How quickly"));
  g_autoptr (GPtrArray) care = table_rows (find_table (document, "Appropriate adults and healthcare"));
  char           **aa = table_row (waits, "Detention authorised to the appropriate adult’s arrival");
  char           **post = table_row (waits, "Bail refusal to transfer, court or release (hours in a cell after charge)");
  char           **delay = table_row (quick, "Breach to escalation record written");
  char           **seen = table_row (care, "Seen by a healthcare professional");
  g_autofree char *new_york = NULL;
  g_autofree char *summer = NULL;

  g_assert_cmpstr (aa[1], ==, "4 h 15 min");  /* 15300 s */
  g_assert_cmpstr (aa[2], ==, "20 h 30 min"); /* 73800 s */
  g_assert_cmpstr (aa[3], ==, "9");
  g_assert_cmpstr (post[1], ==, "1 d 10 h"); /* 122400 s: as the board, truncated */
  g_assert_cmpstr (post[2], ==, "2 d 5 h");  /* 190800 s */
  g_assert_cmpstr (delay[1], ==, "5 s");
  g_assert_cmpstr (seen[1], ==, "8 of 11 (72.7%)");
  g_assert_nonnull (strstr (html, "<dt>Figures taken at</dt>\n<dd>1" NBSP "Dec" NBSP "2022 09:00" NBSP "GMT</dd>"));

  /* The same instant in another zone, and in British summer time. */
  json_object_set_string_member (report, "timezone", "America/New_York");
  new_york = render (node);
  g_assert_nonnull (strstr (new_york, "<dd>1" NBSP "Dec" NBSP "2022 04:00" NBSP "EST</dd>"));
  json_object_set_string_member (report, "timezone", "Europe/London");
  json_object_set_string_member (report, "at", "2022-07-01T09:00:00Z");
  summer = render (node);
  g_assert_nonnull (strstr (summer, "<dd>1" NBSP "Jul" NBSP "2022 10:00" NBSP "BST</dd>"));
}

/* Each resolution is its own line: a breach a policy change withdrew is
 * neither a late entry's nor open (issue 14 item 3). */
static void
test_resolutions (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  g_autofree char *html = render (node);
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) rows = table_rows (find_table (document, "Escalation records of the month’s records"));
  char **late = table_row (rows, "Withdrawn: a late or corrected entry");
  char **policy = table_row (rows, "Withdrawn: the policy changed");
  char **open = table_row (rows, "Still open");

  g_assert_cmpstr (late[1], ==, "3");
  g_assert_cmpstr (policy[1], ==, "2");
  g_assert_cmpstr (open[1], ==, "4");
}

/* With case_groups, the cases table has a line per child and clock or
 * rule, not per breach (issue 14 item 16). */
static void
test_case_groups (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *html = NULL;
  g_autoptr (Node) document = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  char **row;

  g_assert_true (json_parser_load_from_data (
    parser,
    "[{\"record_id\": \"WI-9\", \"suite\": \"Melksham\", \"rule\": \"cell_visit\", \"breaches\": 9,"
    " \"first_at\": \"2022-11-03T10:00:00Z\", \"worst_late_seconds\": 7800, \"never_met\": 3,"
    " \"escalated_to\": \"inspector\", \"acknowledged\": 2}]",
    -1, NULL));
  json_object_set_array_member (json_node_get_object (node), "case_groups",
                                json_array_ref (json_node_get_array (json_parser_get_root (parser))));
  html = render (node);
  document = parse_page (html);
  rows = table_rows (find_table (document, "Breaches of the month’s records, per child and clock or rule"));
  g_assert_cmpuint (rows->len, ==, 2);
  row = table_row (rows, "WI-9");
  if (row == NULL)
    g_error ("no row for WI-9");
  /* A suite's report: no Suite column. */
  g_assert_cmpstr (row[1], ==, "Cell visit");
  g_assert_cmpstr (row[2], ==, "9");
  g_assert_cmpstr (row[4], ==, "2 h 10 min");
  g_assert_cmpstr (row[5], ==, "3");
  g_assert_cmpstr (row[7], ==, "2");
}

/* The report carries no names or dates of birth, and if a builder ever
 * added one, the page would still not show it: it prints the fields it
 * knows. */
static void
test_no_personal_data (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  JsonObject *report = json_node_get_object (node);
  JsonObject *child = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (report, "post_charge"), "children"), 0);
  g_autofree char *html = NULL;

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = i == 0 ? case_at (report, 0) : child;

      json_object_set_string_member (o, "name", "Jane Doe");
      json_object_set_string_member (o, "dob", "2008-01-02");
      json_object_set_string_member (o, "child", "C-2201");
    }
  html = render (node);
  g_assert_null (strstr (html, "Jane Doe"));
  g_assert_null (strstr (html, "2008-01-02"));
  g_assert_null (strstr (html, "C-2201"));
}

/* A report with nothing in it but its month still has every section. */
static void
test_minimal (void)
{
  g_autoptr (JsonNode) node = json_from_string ("{\"month\": \"2022-11\", \"suite\": null, "
                                                "\"cases\": [], \"trend\": []}",
                                                NULL);
  g_autofree char *html = render (node);
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) parts = children_named (find_first (document, "main"), "section");
  g_autofree char *h1 = text_of (find_first (document, "h1"));
  g_autofree char *cases = text_of (find_id (document, "cases"));

  g_assert_cmpuint (parts->len, ==, 9);
  g_assert_cmpstr (h1, ==, "Breach report, November 2022: all suites");
  g_assert_nonnull (strstr (cases, "No breaches this month."));
}

/* Whatever the JSON holds where a figure should be, the page is made,
 * with a dash for what cannot be read (and no warning: they are fatal
 * here). */
static void
test_malformed (void)
{
  g_autoptr (JsonNode) node = json_from_string (
    "{\"month\": \"2022-13\", \"suite\": 7, \"timezone\": null, \"at\": \"yesterday\","
    " \"summary\": 5, \"headline\": {\"aa_arrival_bins\": [{\"from\": \"a\", \"count\": -3}, 4],"
    "  \"healthcare_share\": \"most\", \"aa_arrival_seconds\": {\"median\": 1.5e300}},"
    " \"clocks\": {\"review\": \"x\", \"rest\": {\"started\": true}},"
    " \"rules\": [], \"post_charge\": {\"children\": [null, {\"seconds\": -60}]},"
    " \"breaches_by_week\": [{\"week\": null, \"rules\": {\"unheard_of\": 2}, \"total\": 2}, 3],"
    " \"cases\": [1, \"x\", null, {\"rule\": 9}],"
    " \"trend\": [{\"month\": 3, \"healthcare_share\": 2.5}], \"definitions\": {}, \"policy\": []}",
    NULL);
  g_autofree char *html = render (node);
  g_autoptr (Node) document = parse_page (html);
  g_autoptr (GPtrArray) parts = children_named (find_first (document, "main"), "section");
  g_autofree char *h1 = text_of (find_first (document, "h1"));

  g_assert_cmpuint (parts->len, ==, 9);
  g_assert_cmpstr (h1, ==, "Breach report, 2022-13: all suites");
  g_assert_nonnull (strstr (html, ">unheard_of</th>"));
}

static void
test_errors (void)
{
  g_autoptr (JsonNode) node = load_fixture ();
  g_autoptr (GError) error = NULL;
  g_autofree char *html = NULL;

  json_object_set_string_member (json_node_get_object (node), "timezone", "Mars/Olympus_Mons");
  html = cc_report_render_html (json_node_get_object (node), &error);
  g_assert_null (html);
  g_assert_error (error, CC_TIME_ERROR, CC_TIME_ERROR_ZONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-html/resources", test_resources);
  g_test_add_func ("/report-html/well-formed", test_well_formed);
  g_test_add_func ("/report-html/self-contained", test_self_contained);
  g_test_add_func ("/report-html/sections", test_sections);
  g_test_add_func ("/report-html/tables-accessible", test_tables_accessible);
  g_test_add_func ("/report-html/charts", test_charts);
  g_test_add_func ("/report-html/escaping", test_escaping);
  g_test_add_func ("/report-html/deterministic", test_deterministic);
  g_test_add_func ("/report-html/nulls", test_nulls);
  g_test_add_func ("/report-html/no-generated-at", test_no_generated_at);
  g_test_add_func ("/report-html/formats", test_formats);
  g_test_add_func ("/report-html/no-personal-data", test_no_personal_data);
  g_test_add_func ("/report-html/resolutions", test_resolutions);
  g_test_add_func ("/report-html/case-groups", test_case_groups);
  g_test_add_func ("/report-html/minimal", test_minimal);
  g_test_add_func ("/report-html/malformed", test_malformed);
  g_test_add_func ("/report-html/errors", test_errors);

  return g_test_run ();
}
