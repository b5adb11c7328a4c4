/* cc-report-html.c: the monthly breach report as one HTML page
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The page skeleton (ui/report.html) and the stylesheet (ui/report.css) are
 * compiled in with GResource; everything else is built here from the JSON
 * object of docs/REPORT.md, with a small builder that escapes every piece of
 * text and keeps the elements balanced.  The output is well-formed XML as
 * well as HTML, has no scripts and no links outside the page, and depends
 * only on the JSON object (and the language of the messages).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cc-escalation.h"
#include "cc-json-reader.h"
#include "cc-report.h"
#include "cc-report-format.h"
#include "cc-rules.h"
#include "cc-time.h"
/* ui/custody-clock-ui.gresource.xml, compiled into this library.  Calling
 * cc_ui_get_resource() is also what keeps the linker from leaving the
 * resource out of the static library. */
#include "cc-ui-resources.h"

#define UI_PATH "/org/custodyclock/CustodyClock/ui/"

#define NONE "—" /* a null figure */

/* ─── The HTML builder ─────────────────────────────────────────────── */

typedef struct
{
  GString   *out;
  GPtrArray *open; /* element names, innermost last */
} Html;

static void
html_init (Html *h)
{
  h->out = g_string_new (NULL);
  h->open = g_ptr_array_new_with_free_func (g_free);
}

/* Returns the markup; the elements must all be closed. */
static char *
html_finish (Html *h)
{
  if (h->open->len != 0)
    g_critical ("report HTML: <%s> is not closed",
                (const char *) g_ptr_array_index (h->open, h->open->len - 1));
  g_clear_pointer (&h->open, g_ptr_array_unref);
  return g_string_free (g_steal_pointer (&h->out), FALSE);
}

/* Text from custody systems is untrusted: besides the five characters that
 * mean something in markup, control characters (which XML forbids) become
 * U+FFFD, and so does any byte that is not UTF-8. */
static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        case '\t':
        case '\n':
          g_string_append_c (out, (char) c);
          break;
        default:
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xfffe || c == 0xffff)
            g_string_append_unichar (out, 0xfffd);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
    }
}

/* Line breaks that make the source readable: after the start tag of an
 * element that holds other elements, and after the end of a block.  Never
 * inside <pre>, <td> or anything inline, where a break would be content. */
static const char *const containers[] = {
  "section", "table", "thead", "tbody", "tr", "ol", "dl", "div", "figure",
  "svg", "defs", "pattern", NULL
};
static const char *const blocks[] = {
  "section", "table", "thead", "tbody", "tr", "ol", "dl", "div", "figure",
  "svg", "defs", "pattern", "p", "h1", "h2", "h3", "li", "dt", "dd",
  "caption", "figcaption", "title", "desc", "rect", "line", "text", "path",
  "circle", NULL
};

/* Attributes are name/value pairs ending with a %NULL name; a %NULL value
 * leaves its attribute out.  Values are escaped. */
static void
append_start_tag (Html       *h,
                  const char *tag,
                  va_list     ap,
                  gboolean    empty)
{
  const char *name;

  g_string_append_printf (h->out, "<%s", tag);
  while ((name = va_arg (ap, const char *)) != NULL)
    {
      const char *value = va_arg (ap, const char *);

      if (value == NULL)
        continue;
      g_string_append_printf (h->out, " %s=\"", name);
      append_escaped (h->out, value);
      g_string_append_c (h->out, '"');
    }
  g_string_append (h->out, empty ? "/>" : ">");
}

/* <tag attributes…>, to be closed with html_close(). */
static void G_GNUC_NULL_TERMINATED
html_open (Html       *h,
           const char *tag,
           ...)
{
  va_list ap;

  va_start (ap, tag);
  append_start_tag (h, tag, ap, FALSE);
  va_end (ap);
  if (g_strv_contains (containers, tag))
    g_string_append_c (h->out, '\n');
  g_ptr_array_add (h->open, g_strdup (tag));
}

/* An element with no content: `<meta …/>`, `<rect …/>`. */
static void G_GNUC_NULL_TERMINATED
html_empty (Html       *h,
            const char *tag,
            ...)
{
  va_list ap;

  va_start (ap, tag);
  append_start_tag (h, tag, ap, TRUE);
  va_end (ap);
  if (g_strv_contains (blocks, tag))
    g_string_append_c (h->out, '\n');
}

static void
html_close (Html       *h,
            const char *tag)
{
  g_return_if_fail (h->open->len > 0);
  g_return_if_fail (g_str_equal (g_ptr_array_index (h->open, h->open->len - 1), tag));

  g_ptr_array_remove_index (h->open, h->open->len - 1);
  g_string_append_printf (h->out, "</%s>", tag);
  if (g_strv_contains (blocks, tag))
    g_string_append_c (h->out, '\n');
}

static void
html_text (Html       *h,
           const char *text)
{
  append_escaped (h->out, text);
}

/* <tag attributes…>text</tag> */
static void G_GNUC_NULL_TERMINATED
html_element (Html       *h,
              const char *tag,
              const char *text,
              ...)
{
  va_list ap;

  va_start (ap, text);
  append_start_tag (h, tag, ap, FALSE);
  va_end (ap);
  g_ptr_array_add (h->open, g_strdup (tag));
  html_text (h, text);
  html_close (h, tag);
}

/* ─── Reading the report ───────────────────────────────────────────── */

/* ─── Words and numbers ────────────────────────────────────────────── */

static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/* A share of 0–1 as a percentage with one decimal, computed in whole
 * numbers so that neither the locale nor float printing can change it. */
static char *
format_share (double share)
{
  gint64           per_mille = (gint64) floor (share * 1000.0 + 0.5);
  g_autofree char *number = NULL;

  number = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                            per_mille < 0 ? "−" : "",
                            ABS (per_mille) / 10, ABS (per_mille) % 10);
  /* Translators: a percentage */
  return g_strdup_printf (C_ ("share", "%s%%"), number);
}

/* SVG coordinates: one decimal, always with a point. */
static char *
svg_num (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.1f", v);
  if (g_str_has_suffix (buf, ".0"))
    buf[strlen (buf) - 2] = '\0';
  if (g_str_equal (buf, "-0"))
    return g_strdup ("0");
  return g_strdup (buf);
}

typedef struct
{
  Html        h;
  JsonObject *report;
  GTimeZone  *tz;
  gboolean    all_suites; /* no --suite: every table says which suite */
  guint       n_charts;
} Render;

static char *
count_text (JsonObject *object,
            const char *key)
{
  gint64 n;

  return cc_json_get_int (object, key, &n) ? format_count (n) : g_strdup (NONE);
}

static char *
duration_text (JsonObject *object,
               const char *key)
{
  gint64 s;

  return cc_json_get_int (object, key, &s) ? cc_report_format_duration (s) : g_strdup (NONE);
}

/* "1 Dec 2022 09:00 GMT": the zone's abbreviation says which of the two
 * 01:30s of an October night was meant. */
static char *
instant_text_format (Render     *r,
                     JsonObject *object,
                     const char *key,
                     const char *format)
{
  const char *text = cc_json_get_string (object, key);
  CcInstant   instant;

  if (text == NULL)
    return g_strdup (NONE);
  if (!cc_time_parse (text, NULL, &instant, NULL))
    return g_strdup (text); /* not an instant: show what it is */
  return cc_time_format_display (instant, r->tz, format);
}

static char *
instant_text (Render     *r,
              JsonObject *object,
              const char *key)
{
  /* Translators: a g_date_time_format() format for times in the HTML
   * report ("1 Dec 2022 09:00 GMT"): %-d day, %b abbreviated month, %Y
   * year, %H:%M time, %Z the zone's abbreviation; the spaces that must not
   * break a line are no-break spaces (U+00A0) */
  return instant_text_format (r, object, key, C_ ("date format", "%-d\u00a0%b\u00a0%Y %H:%M\u00a0%Z"));
}

/* "2022-11" as "November 2022"; anything else as it is.  @format is for
 * g_date_time_format(), translated already. */
static char *
month_text (Render     *r,
            const char *month,
            const char *format)
{
  int  year, mon;
  char end;
  g_autoptr (GDateTime) dt = NULL;

  if (month == NULL)
    return g_strdup (NONE);
  if (sscanf (month, "%4d-%2d%c", &year, &mon, &end) != 2 || mon < 1 || mon > 12)
    return g_strdup (month);
  dt = g_date_time_new (r->tz, year, mon, 1, 12, 0, 0);
  if (dt == NULL)
    return g_strdup (month);
  return cc_time_format_date (dt, format);
}

/* "2022-10-31" (a Monday) as "w/c 31 Oct". */
static char *
week_text (Render     *r,
           const char *week)
{
  int  year, mon, day;
  char end;
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *date = NULL;

  if (week == NULL)
    return g_strdup (NONE);
  if (sscanf (week, "%4d-%2d-%2d%c", &year, &mon, &day, &end) != 3 ||
      (dt = g_date_time_new (r->tz, year, mon, day, 12, 0, 0)) == NULL)
    return g_strdup (week);
  /* Translators: a g_date_time_format() format for the Monday that starts
   * a week ("31 Oct"): %-d day, %b abbreviated month, with a no-break space
   * (U+00A0) */
  date = cc_time_format_date (dt, C_ ("date format", "%-d\u00a0%b"));
  /* Translators: "week commencing", the Monday that starts a week */
  return g_strdup_printf (_ ("w/c %s"), date);
}

static gboolean
is_recurring (CcClockId clock)
{
  return clock == CC_CLOCK_REVIEW || clock == CC_CLOCK_CELL_VISIT || clock == CC_CLOCK_REST;
}

static const char *
outcome_name (const char *outcome)
{
  return outcome != NULL ? cc_report_outcome_display_name (outcome) : NONE;
}

/* ─── Tables ───────────────────────────────────────────────────────── */

/* A table with a caption and a head row.  @kinds has a letter per
 * column, 'n' for numbers (set right) and 't' for text; %NULL means text
 * first, then numbers. */
static void
table_begin (Render            *r,
             const char        *caption,
             const char        *klass,
             const char *const *columns,
             const char        *kinds)
{
  html_open (&r->h, "table", "class", klass, NULL);
  html_element (&r->h, "caption", caption, NULL);
  html_open (&r->h, "thead", NULL);
  html_open (&r->h, "tr", NULL);
  for (guint i = 0; columns[i] != NULL; i++)
    html_element (&r->h, "th", columns[i], "scope", "col",
                  "class", (kinds != NULL ? kinds[i] == 'n' : i > 0) ? "num" : NULL, NULL);
  html_close (&r->h, "tr");
  html_close (&r->h, "thead");
  html_open (&r->h, "tbody", NULL);
}

static void
table_end (Render *r)
{
  html_close (&r->h, "tbody");
  html_close (&r->h, "table");
}

static void
row_header (Render     *r,
            const char *label,
            const char *klass)
{
  html_element (&r->h, "th", label, "scope", "row", "class", klass, NULL);
}

static void
cell (Render     *r,
      const char *text,
      const char *klass)
{
  html_element (&r->h, "td", text, "class", klass, NULL);
}

/* Measure | Figure */
static void
figures_begin (Render     *r,
               const char *caption)
{
  const char *columns[] = { _ ("Measure"), _ ("Figure"), NULL };

  table_begin (r, caption, "figures", columns, NULL);
}

static void
figure_row (Render     *r,
            const char *label,
            const char *value,
            gboolean    sub)
{
  html_open (&r->h, "tr", NULL);
  row_header (r, label, sub ? "sub" : NULL);
  cell (r, value, "num");
  html_close (&r->h, "tr");
}

static void
figure_count (Render     *r,
              const char *label,
              JsonObject *object,
              const char *key,
              gboolean    sub)
{
  g_autofree char *value = count_text (object, key);

  figure_row (r, label, value, sub);
}

/* Measure | Median | 90th percentile | Values */
static void
stats_begin (Render     *r,
             const char *caption)
{
  const char *columns[] = { _ ("Measure"), _ ("Median"), _ ("90th percentile"),
                            /* Translators: how many values a median is of */
                            _ ("Values"), NULL };

  table_begin (r, caption, "figures", columns, NULL);
}

static void
stats_row (Render     *r,
           const char *label,
           JsonObject *stat)
{
  g_autofree char *median = duration_text (stat, "median");
  g_autofree char *p90 = duration_text (stat, "p90");
  g_autofree char *n = count_text (stat, "n");

  html_open (&r->h, "tr", NULL);
  row_header (r, label, NULL);
  cell (r, median, "num");
  cell (r, p90, "num");
  cell (r, n, "num");
  html_close (&r->h, "tr");
}

static void
paragraph (Render     *r,
           const char *klass,
           const char *text)
{
  html_element (&r->h, "p", text, "class", klass, NULL);
}

/* ─── Charts ───────────────────────────────────────────────────────── */

/* The fills of chart marks: a colour and a pattern each, so that no two
 * are told apart by colour alone (and a printed page in grey still shows
 * them).  Stacked bars also carry a letter per rule. */
enum
{
  FILL_SOLID,
  FILL_HATCH,
  FILL_DOTS,
  FILL_CROSS,
  FILL_HSTRIPE,
  FILL_SOLID_LIGHT,
  FILL_VSTRIPE,
  FILL_CHECK,
  N_FILLS
};

static const char *const fills[N_FILLS] = {
  "#1f4e79",
  "url(#fill-hatch)",
  "url(#fill-dots)",
  "url(#fill-cross)",
  "url(#fill-hstripe)",
  "#8fb3d9",
  "url(#fill-vstripe)",
  "url(#fill-check)",
};

/* The patterns live in one hidden SVG at the top of the page: ids are
 * global to an HTML document. */
static void
write_pattern_defs (Render *r)
{
  Html *h = &r->h;

  html_open (h, "svg", "class", "defs", "width", "0", "height", "0",
             "aria-hidden", "true", "focusable", "false",
             "style", "position:absolute", NULL);
  html_open (h, "defs", NULL);

  html_open (h, "pattern", "id", "fill-hatch", "width", "6", "height", "6",
             "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)", NULL);
  html_empty (h, "rect", "width", "6", "height", "6", "fill", "#fbe3cf", NULL);
  html_empty (h, "line", "x1", "0", "y1", "0", "x2", "0", "y2", "6",
              "stroke", "#9a4a0b", "stroke-width", "3", NULL);
  html_close (h, "pattern");

  html_open (h, "pattern", "id", "fill-dots", "width", "5", "height", "5",
             "patternUnits", "userSpaceOnUse", NULL);
  html_empty (h, "rect", "width", "5", "height", "5", "fill", "#dde8f3", NULL);
  html_empty (h, "circle", "cx", "2.5", "cy", "2.5", "r", "1.4", "fill", "#1f4e79", NULL);
  html_close (h, "pattern");

  html_open (h, "pattern", "id", "fill-cross", "width", "6", "height", "6",
             "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)", NULL);
  html_empty (h, "rect", "width", "6", "height", "6", "fill", "#ffffff", NULL);
  html_empty (h, "path", "d", "M0 0V6M0 0H6", "stroke", "#3d3d3d", "stroke-width", "1.6",
              "fill", "none", NULL);
  html_close (h, "pattern");

  html_open (h, "pattern", "id", "fill-hstripe", "width", "6", "height", "5",
             "patternUnits", "userSpaceOnUse", NULL);
  html_empty (h, "rect", "width", "6", "height", "5", "fill", "#d3ece8", NULL);
  html_empty (h, "rect", "width", "6", "height", "2", "fill", "#17675f", NULL);
  html_close (h, "pattern");

  html_open (h, "pattern", "id", "fill-vstripe", "width", "5", "height", "6",
             "patternUnits", "userSpaceOnUse", NULL);
  html_empty (h, "rect", "width", "5", "height", "6", "fill", "#e6ddf1", NULL);
  html_empty (h, "rect", "width", "2", "height", "6", "fill", "#57378f", NULL);
  html_close (h, "pattern");

  html_open (h, "pattern", "id", "fill-check", "width", "8", "height", "8",
             "patternUnits", "userSpaceOnUse", NULL);
  html_empty (h, "rect", "width", "8", "height", "8", "fill", "#ffffff", NULL);
  html_empty (h, "rect", "width", "4", "height", "4", "fill", "#6b6b6b", NULL);
  html_empty (h, "rect", "x", "4", "y", "4", "width", "4", "height", "4", "fill", "#6b6b6b", NULL);
  html_close (h, "pattern");

  html_close (h, "defs");
  html_close (h, "svg");
}

static void
svg_line (Html       *h,
          double      x1,
          double      y1,
          double      x2,
          double      y2,
          const char *klass)
{
  g_autofree char *sx1 = svg_num (x1), *sy1 = svg_num (y1);
  g_autofree char *sx2 = svg_num (x2), *sy2 = svg_num (y2);

  html_empty (h, "line", "x1", sx1, "y1", sy1, "x2", sx2, "y2", sy2, "class", klass, NULL);
}

static void
svg_text (Html       *h,
          double      x,
          double      y,
          const char *anchor,
          const char *klass,
          const char *text)
{
  g_autofree char *sx = svg_num (x), *sy = svg_num (y);

  html_element (h, "text", text, "x", sx, "y", sy, "text-anchor", anchor, "class", klass, NULL);
}

/* A data mark.  Its <title> says "ROW: VALUE" (or "ROW — COLUMN: VALUE"),
 * the labels and the value of its cell in the table behind the chart. */
static void
svg_mark (Html       *h,
          double      x,
          double      y,
          double      width,
          double      height,
          int         fill,
          const char *title)
{
  g_autofree char *sx = svg_num (x), *sy = svg_num (y);
  g_autofree char *sw = svg_num (width), *sh = svg_num (height);

  html_open (h, "rect", "x", sx, "y", sy, "width", sw, "height", sh,
             "fill", fills[fill], "class", "mark", NULL);
  html_element (h, "title", title, NULL);
  html_close (h, "rect");
}

static void
svg_swatch (Html  *h,
            double x,
            double y,
            int    fill)
{
  g_autofree char *sx = svg_num (x), *sy = svg_num (y);

  html_empty (h, "rect", "x", sx, "y", sy, "width", "12", "height", "12",
              "fill", fills[fill], "class", "swatch", NULL);
}

typedef enum
{
  AXIS_COUNT,
  AXIS_HOURS, /* values in seconds, ticks in whole hours */
  AXIS_SHARE, /* values 0–1 */
} AxisKind;

typedef struct
{
  AxisKind kind;
  double   top;  /* in the values' unit */
  double   step; /* between ticks */
} Axis;

/* Ticks at round numbers, no more than five above zero. */
static Axis
axis_for (AxisKind kind,
          double   max)
{
  static const double count_steps[] = { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000 };
  static const double hour_steps[] = { 1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 96, 168, 336, 720 };
  Axis                axis = { kind, 1, 1 };
  double              unit = kind == AXIS_HOURS ? (double) CC_HOUR : 1;
  const double       *steps = kind == AXIS_HOURS ? hour_steps : count_steps;
  guint               n_steps = kind == AXIS_HOURS ? G_N_ELEMENTS (hour_steps) : G_N_ELEMENTS (count_steps);
  double              v = max / unit;

  if (kind == AXIS_SHARE)
    return (Axis){ kind, 1.0, 0.25 };

  for (guint i = 0; i < n_steps; i++)
    {
      axis.step = steps[i] * unit;
      if (ceil (v / steps[i]) <= 5)
        break;
    }
  if (ceil (v / (axis.step / unit)) > 5) /* beyond the table: any round step */
    axis.step = ceil (v / 5) * unit;
  axis.top = MAX (1, ceil (v / (axis.step / unit))) * axis.step;
  return axis;
}

static char *
axis_label (const Axis *axis,
            double      value)
{
  switch (axis->kind)
    {
    case AXIS_HOURS:
      return value == 0 ? g_strdup ("0") : cc_report_format_duration ((gint64) value);
    case AXIS_SHARE:
      /* Translators: a percentage on a chart's axis */
      return g_strdup_printf (C_ ("share", "%d%%"), (int) floor (value * 100 + 0.5));
    case AXIS_COUNT:
    default:
      return format_count ((gint64) value);
    }
}

/* <div class="chart-block"><figure><figcaption/><svg role="img">… */
static void
chart_begin (Render     *r,
             const char *caption,
             const char *description,
             double      width,
             double      height)
{
  g_autofree char *id = g_strdup_printf ("chart-%u", ++r->n_charts);
  g_autofree char *title_id = g_strconcat (id, "-title", NULL);
  g_autofree char *desc_id = g_strconcat (id, "-desc", NULL);
  g_autofree char *labelled = g_strconcat (title_id, " ", desc_id, NULL);
  g_autofree char *view_box = NULL;
  g_autofree char *sw = svg_num (width), *sh = svg_num (height);

  view_box = g_strdup_printf ("0 0 %s %s", sw, sh);
  html_open (&r->h, "figure", "id", id, NULL);
  html_element (&r->h, "figcaption", caption, NULL);
  html_open (&r->h, "svg", "role", "img", "viewBox", view_box, "width", sw, "height", sh,
             "aria-labelledby", labelled, "focusable", "false", NULL);
  html_element (&r->h, "title", caption, "id", title_id, NULL);
  html_element (&r->h, "desc", description, "id", desc_id, NULL);
}

static void
chart_end (Render *r)
{
  html_close (&r->h, "svg");
  html_close (&r->h, "figure");
}

/* A plot area and the horizontal lines of a vertical axis. */
typedef struct
{
  double left, top, width, height;
} Plot;

static double
plot_y (const Plot *plot,
        const Axis *axis,
        double      value)
{
  return plot->top + plot->height - plot->height * CLAMP (value / axis->top, 0, 1);
}

static void
draw_value_axis (Html       *h,
                 const Plot *plot,
                 const Axis *axis)
{
  for (double v = 0; v <= axis->top + axis->step / 2; v += axis->step)
    {
      double           y = plot_y (plot, axis, v);
      g_autofree char *label = axis_label (axis, v);

      svg_line (h, plot->left, y, plot->left + plot->width, y, v == 0 ? "axis" : "grid");
      svg_text (h, plot->left - 4, y + 3.5, "end", "tick", label);
    }
}

/* One column of a column chart. */
typedef struct
{
  char    *label;    /* under the column */
  char    *sublabel; /* a second line under it, or %NULL */
  char    *row;      /* the table's row, if not the label */
  gboolean has_value;
  double   value;
  char    *value_text; /* as the table shows it */
  gboolean show_value; /* print it above the column */
  int      fill;
} Column;

static void
column_clear (gpointer data)
{
  Column *c = data;

  g_free (c->label);
  g_free (c->sublabel);
  g_free (c->row);
  g_free (c->value_text);
}

/* Columns with their values above (when asked) and "—" where the value is
 * null; @series names the value in the marks' titles, or %NULL. */
static void
draw_columns (Html       *h,
              const Plot *plot,
              const Axis *axis,
              GArray     *columns,
              const char *series)
{
  double band = plot->width / MAX (columns->len, 1);
  double bar = MIN (band * 0.64, 56);

  draw_value_axis (h, plot, axis);
  for (guint i = 0; i < columns->len; i++)
    {
      Column *c = &g_array_index (columns, Column, i);
      double  cx = plot->left + band * (i + 0.5);
      double  base = plot->top + plot->height;

      if (c->has_value)
        {
          double           y = plot_y (plot, axis, c->value);
          const char      *row = c->row != NULL ? c->row : c->label;
          g_autofree char *title = series != NULL
                                     ? g_strdup_printf ("%s — %s: %s", row, series, c->value_text)
                                     : g_strdup_printf ("%s: %s", row, c->value_text);

          if (base - y > 0)
            svg_mark (h, cx - bar / 2, y, bar, base - y, c->fill, title);
          if (c->show_value)
            svg_text (h, cx, y - 4, "middle", "value", c->value_text);
        }
      else
        svg_text (h, cx, base - 4, "middle", "value", NONE);
      svg_text (h, cx, base + 14, "middle", NULL, c->label);
      if (c->sublabel != NULL)
        svg_text (h, cx, base + 27, "middle", "tick", c->sublabel);
    }
}

static char *
ellipsize (const char *text,
           glong       max)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= max)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, max - 1);
  return g_strconcat (start, "…", NULL);
}

/* ─── The sections ─────────────────────────────────────────────────── */

static void
section_begin (Render     *r,
               const char *id,
               const char *heading)
{
  g_autofree char *heading_id = g_strconcat (id, "-heading", NULL);

  html_open (&r->h, "section", "id", id, "class", "part", "aria-labelledby", heading_id, NULL);
  html_element (&r->h, "h2", heading, "id", heading_id, NULL);
}

static void
section_end (Render *r)
{
  html_close (&r->h, "section");
}

/* A section of report.md: its anchor and its heading (translated). */
typedef struct
{
  const char *id;
  const char *heading;
} Part;

static void
write_key_figure (Render     *r,
                  const char *label,
                  const char *value)
{
  html_open (&r->h, "div", NULL);
  html_element (&r->h, "dt", label, NULL);
  html_element (&r->h, "dd", value, NULL);
  html_close (&r->h, "div");
}

/* An all-suites report splits its figures by suite: which suite misses
 * which duty is what a custody lead acts on (issue 14 item 16). */
static void
write_suites (Render    *r,
              JsonArray *suites)
{
  const char *columns[] = { _ ("Suite"), _ ("Children"), _ ("Detentions"), _ ("Breaches"),
                            _ ("Breaches by clock or rule"), NULL };

  if (suites == NULL || json_array_get_length (suites) == 0)
    return;
  table_begin (r, _ ("By suite"), "suites", columns, "tnnnt");
  for (guint i = 0; i < json_array_get_length (suites); i++)
    {
      JsonObject *o = cc_json_array_object (suites, i);
      JsonObject *rules = cc_json_get_object (o, "rules");
      g_autoptr (GList) names = rules != NULL ? json_object_get_members (rules) : NULL;
      g_autoptr (GString) duties = g_string_new (NULL);
      g_autofree char *children = count_text (o, "children");
      g_autofree char *detentions = count_text (o, "detentions");
      g_autofree char *breaches = count_text (o, "breaches");
      const char      *suite = cc_json_get_string (o, "suite");

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *n = count_text (rules, l->data);

          if (duties->len > 0)
            /* Translators: between the duties of a suite's breaches ("Cell visit 12, Review 1") */
            g_string_append (duties, _ (", "));
          /* Translators: a duty and its breaches in a suite ("Cell visit 12") */
          g_string_append_printf (duties, _ ("%1$s %2$s"), cc_breach_rule_display_name (l->data), n);
        }
      html_open (&r->h, "tr", NULL);
      row_header (r, suite != NULL ? suite : NONE, NULL);
      cell (r, children, "num");
      cell (r, detentions, "num");
      cell (r, breaches, "num");
      cell (r, duties->len > 0 ? duties->str : NONE, NULL);
      html_close (&r->h, "tr");
    }
  table_end (r);
}

static void
write_summary (Render     *r,
               const Part *part)
{
  JsonObject      *summary = cc_json_get_object (r->report, "summary");
  JsonObject      *headline = cc_json_get_object (r->report, "headline");
  const char      *zone = cc_json_get_string (r->report, "timezone");
  g_autofree char *children = count_text (summary, "children");
  g_autofree char *aa = duration_text (cc_json_get_object (headline, "aa_arrival_seconds"), "median");
  g_autofree char *post = duration_text (cc_json_get_object (headline, "post_charge_seconds"), "median");
  g_autofree char *share = NULL;
  g_autofree char *overnight = NULL;
  double           d;

  share = cc_json_get_number (headline, "healthcare_share", &d) ? format_share (d) : g_strdup (NONE);
  section_begin (r, part->id, part->heading);

  html_open (&r->h, "dl", "class", "key-figures", NULL);
  write_key_figure (r, _ ("Children detained"), children);
  write_key_figure (r, _ ("Wait for an appropriate adult (median)"), aa);
  write_key_figure (r, _ ("Seen by a healthcare professional"), share);
  write_key_figure (r, _ ("In a cell after bail refusal (median)"), post);
  html_close (&r->h, "dl");

  figures_begin (r, _ ("Children and detentions"));
  figure_count (r, _ ("Children detained (distinct children)"), summary, "children", FALSE);
  figure_count (r, _ ("Detentions (custody records)"), summary, "detentions", FALSE);
  figure_count (r, _ ("Still in custody when the figures were taken"), summary, "still_in_custody", TRUE);
  figure_count (r, _ ("Held overnight"), summary, "overnight", FALSE);
  figure_count (r, _ ("Held overnight after bail refusal"), summary, "overnight_post_charge", TRUE);
  figure_count (r, _ ("Charged"), summary, "charged", FALSE);
  figure_count (r, _ ("Charged and refused bail"), summary, "bail_refused", TRUE);
  table_end (r);

  html_open (&r->h, "p", "class", "definition", NULL);
  html_element (&r->h, "strong", _ ("Held overnight:"), NULL);
  html_text (&r->h, " ");
  overnight = g_strdup_printf (_ ("in police custody for 4 hours or more in a row between "
                                  "00:00 and 08:00 local time (%s), on any night."),
                               zone != NULL ? zone : CC_DEFAULT_TIMEZONE);
  html_text (&r->h, overnight);
  html_close (&r->h, "p");

  stats_begin (r, _ ("Time in police custody"));
  stats_row (r, _ ("Arrival to release, transfer or court (or to when the figures were taken)"),
             cc_json_get_object (summary, "custody_seconds"));
  table_end (r);

  if (r->all_suites)
    write_suites (r, cc_json_get_array (r->report, "suites"));
  section_end (r);
}

static void
write_aa_chart (Render    *r,
                JsonArray *bins)
{
  g_autoptr (GArray) columns = g_array_new (FALSE, TRUE, sizeof (Column));
  const char *table_columns[] = { _ ("Time to arrival"), _ ("Detentions"), NULL };
  Plot        plot = { 44, 22, 626, 176 };
  double      max = 0;
  Axis        axis;

  g_array_set_clear_func (columns, column_clear);
  for (guint i = 0; i < json_array_get_length (bins); i++)
    {
      JsonObject *bin = cc_json_array_object (bins, i);
      Column      c = { 0 };
      gint64      from, to, n;
      gboolean    has_from = cc_json_get_int (bin, "from", &from);
      gboolean    has_to = cc_json_get_int (bin, "to", &to);

      /* The label says the bin's bounds in this report's language. */
      if (!has_from && !has_to)
        /* Translators: the band of children whose appropriate adult never came */
        c.label = g_strdup (C_ ("AA arrival band", "did not arrive"));
      else if (has_from && from == 0 && has_to)
        {
          g_autofree char *t = cc_report_format_duration (to);
          c.label = g_strdup_printf (_ ("under %s"), t);
        }
      else if (has_from && !has_to)
        {
          g_autofree char *f = cc_report_format_duration (from);
          c.label = g_strdup_printf (_ ("%s or more"), f);
        }
      else if (has_from && has_to)
        {
          g_autofree char *f = cc_report_format_duration (from);
          g_autofree char *t = cc_report_format_duration (to);
          /* Translators: a range of durations, "1 h – 2 h" */
          c.label = g_strdup_printf (_ ("%1$s – %2$s"), f, t);
        }
      else
        c.label = g_strdup (cc_json_get_string (bin, "label") ? cc_json_get_string (bin, "label") : NONE);
      c.has_value = cc_json_get_int (bin, "count", &n);
      c.value = c.has_value ? (double) n : 0;
      c.value_text = c.has_value ? format_count (n) : g_strdup (NONE);
      c.show_value = TRUE;
      c.fill = has_from || has_to ? FILL_SOLID : FILL_HATCH;
      max = MAX (max, c.value);
      g_array_append_val (columns, c);
    }
  axis = axis_for (AXIS_COUNT, max);

  html_open (&r->h, "div", "class", "chart-block", NULL);
  chart_begin (r, _ ("Time from detention authorised to the appropriate adult’s arrival"),
               _ ("Column chart: detentions by how long the child waited for an appropriate "
                  "adult; the hatched column counts those where none arrived.  The table "
                  "below gives the same figures."),
               680, 240);
  draw_columns (&r->h, &plot, &axis, columns, NULL);
  svg_text (&r->h, 10, 12, "start", "axis-label", _ ("Detentions"));
  chart_end (r);

  table_begin (r, _ ("Detentions by time to the appropriate adult’s arrival"), "figures",
               table_columns, NULL);
  for (guint i = 0; i < columns->len; i++)
    {
      Column *c = &g_array_index (columns, Column, i);

      html_open (&r->h, "tr", NULL);
      row_header (r, c->label, NULL);
      cell (r, c->value_text, "num");
      html_close (&r->h, "tr");
    }
  table_end (r);
  html_close (&r->h, "div");
}

static void
write_clocks (Render     *r,
              const Part *part)
{
  JsonObject *headline = cc_json_get_object (r->report, "headline");
  JsonObject *clocks = cc_json_get_object (r->report, "clocks");
  JsonArray  *bins = cc_json_get_array (headline, "aa_arrival_bins");
  const char *columns[] = {
    _ ("Clock"), _ ("Started"), _ ("Met"), _ ("Met late"), _ ("Breached, never met"),
    _ ("Ended"), _ ("Running"), _ ("Breaches"), _ ("Start to met, median"),
    _ ("Start to met, 90th percentile"), NULL
  };
  g_autofree char *seen = NULL;
  double           share;

  section_begin (r, part->id, part->heading);
  html_element (&r->h, "h3", _ ("Headline measures"), NULL);

  stats_begin (r, _ ("How long children waited"));
  stats_row (r, _ ("Detention authorised to the appropriate adult’s arrival"),
             cc_json_get_object (headline, "aa_arrival_seconds"));
  stats_row (r, _ ("Detention authorised to being seen by a healthcare professional"),
             cc_json_get_object (headline, "healthcare_seconds"));
  stats_row (r, _ ("Bail refusal to transfer, court or release (hours in a cell after charge)"),
             cc_json_get_object (headline, "post_charge_seconds"));
  table_end (r);

  figures_begin (r, _ ("Appropriate adults and healthcare"));
  figure_count (r, _ ("Appropriate adult never arrived"), headline, "aa_never_arrived", FALSE);
  {
    g_autofree char *of = count_text (headline, "healthcare_of");
    g_autofree char *n = count_text (headline, "healthcare_seen");
    g_autofree char *pct = cc_json_get_number (headline, "healthcare_share", &share)
                             ? format_share (share)
                             : g_strdup (NONE);

    /* Translators: "8 of 11 (72.7%)" */
    seen = g_strdup_printf (_ ("%1$s of %2$s (%3$s)"), n, of, pct);
    figure_row (r, _ ("Seen by a healthcare professional"), seen, FALSE);
  }
  table_end (r);

  if (bins != NULL && json_array_get_length (bins) > 0)
    write_aa_chart (r, bins);

  html_element (&r->h, "h3", _ ("Every clock"), NULL);
  table_begin (r, _ ("Each clock’s records by their state when the figures were taken"),
               "clocks", columns, NULL);
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      JsonObject *clock = cc_json_get_object (clocks, cc_clock_to_string (c));
      JsonObject *stat = cc_json_get_object (clock, "seconds_to_satisfy");
      const char *keys[] = { "started", "met", "met_late", "breached", "ended", "running", "breaches", NULL };

      if (clocks != NULL && !json_object_has_member (clocks, cc_clock_to_string (c)))
        continue;
      html_open (&r->h, "tr", NULL);
      html_open (&r->h, "th", "scope", "row", NULL);
      html_text (&r->h, cc_clock_display_name (c));
      if (is_recurring (c))
        {
          html_text (&r->h, " ");
          html_element (&r->h, "span", _ ("(occurrences)"), "class", "recurring", NULL);
        }
      html_close (&r->h, "th");
      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autofree char *n = count_text (clock, keys[k]);
          gint64           v;
          gboolean         bad = (g_str_equal (keys[k], "breached") || g_str_equal (keys[k], "breaches")) &&
                         cc_json_get_int (clock, keys[k], &v) && v > 0;

          cell (r, n, bad ? "num breach" : "num");
        }
      {
        g_autofree char *median = duration_text (stat, "median");
        g_autofree char *p90 = duration_text (stat, "p90");

        cell (r, median, "num");
        cell (r, p90, "num");
      }
      html_close (&r->h, "tr");
    }
  table_end (r);
  paragraph (r, "note",
             _ ("Met: satisfied in time.  Met late: satisfied after it was due (a breach).  "
                "Breached, never met: due and not satisfied.  Ended: the child left before it "
                "was due.  Running: not yet due.  Reviews, cell visits and rest recur, so "
                "their rows count occurrences, not records, and have no time to satisfaction."));
  section_end (r);
}

static void
write_post_charge_chart (Render    *r,
                         JsonArray *children)
{
  guint  n = json_array_get_length (children);
  double row = 24, left = 128, top = 46, right = 190;
  double width = 680, height = top + row * n + 34;
  Plot   plot = { left, top, width - left - right, row * n };
  double max = 0;
  Axis   axis;
  static const struct
  {
    const char *outcome;
    int         fill;
  } outcome_fills[] = {
    { "transferred", FILL_SOLID },
    { "court", FILL_HATCH },
    { "released", FILL_DOTS },
    { "in_custody", FILL_CROSS },
  };

  for (guint i = 0; i < n; i++)
    {
      gint64 s;

      if (cc_json_get_int (cc_json_array_object (children, i), "seconds", &s))
        max = MAX (max, (double) s);
    }
  axis = axis_for (AXIS_HOURS, max);

  chart_begin (r, _ ("Time in a police cell after bail refusal, per child"),
               _ ("Bar chart: one bar per child refused bail, its length the time from bail "
                  "refusal to leaving police custody, with how the child left written after "
                  "the bar (the pattern repeats it).  The table below gives the same figures."),
               width, height);

  /* The key: what each pattern means, in words (which the bars repeat). */
  for (guint i = 0; i < G_N_ELEMENTS (outcome_fills); i++)
    {
      double x = left + (i % 2) * 250, y = 4 + (i / 2) * 18;

      svg_swatch (&r->h, x, y, outcome_fills[i].fill);
      svg_text (&r->h, x + 18, y + 10, "start", NULL, outcome_name (outcome_fills[i].outcome));
    }

  /* Hour lines, labelled at the foot. */
  for (double v = 0; v <= axis.top + axis.step / 2; v += axis.step)
    {
      double           x = plot.left + plot.width * v / axis.top;
      g_autofree char *label = axis_label (&axis, v);

      svg_line (&r->h, x, plot.top, x, plot.top + plot.height, v == 0 ? "axis" : "grid");
      svg_text (&r->h, x, plot.top + plot.height + 14, "middle", "tick", label);
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject      *child = cc_json_array_object (children, i);
      const char      *record = cc_json_get_string (child, "record_id");
      const char      *outcome = cc_json_get_string (child, "outcome");
      double           y = plot.top + row * i;
      int              fill = FILL_SOLID_LIGHT;
      gint64           s;
      g_autofree char *short_record = ellipsize (record != NULL ? record : NONE, 18);
      g_autofree char *value = duration_text (child, "seconds");
      g_autofree char *title = g_strdup_printf ("%s: %s", record != NULL ? record : NONE, value);
      g_autofree char *after = g_strdup_printf ("%s · %s", value, outcome_name (outcome));
      double           length = 0;

      for (guint k = 0; k < G_N_ELEMENTS (outcome_fills); k++)
        if (g_strcmp0 (outcome, outcome_fills[k].outcome) == 0)
          fill = outcome_fills[k].fill;
      if (cc_json_get_int (child, "seconds", &s))
        length = plot.width * CLAMP ((double) s / axis.top, 0, 1);

      svg_text (&r->h, left - 6, y + row / 2 + 4, "end", NULL, short_record);
      if (length > 0)
        svg_mark (&r->h, plot.left, y + 4, length, row - 8, fill, title);
      svg_text (&r->h, plot.left + length + 5, y + row / 2 + 4, "start", "value", after);
    }
  svg_text (&r->h, width - right, height - 4, "end", "axis-label",
            _ ("Hours after bail refusal"));
  chart_end (r);
}

static void
write_post_charge (Render     *r,
                   const Part *part)
{
  JsonObject *post = cc_json_get_object (r->report, "post_charge");
  JsonObject *responses = cc_json_get_object (post, "responses");
  JsonArray  *children = cc_json_get_array (post, "children");
  const char *columns_all[] = { _ ("Record"), _ ("Suite"), _ ("Bail refused"), _ ("Left police custody"),
                                _ ("How"), _ ("Time after bail refusal"), NULL };
  const char *columns_one[] = { _ ("Record"), _ ("Bail refused"), _ ("Left police custody"),
                                _ ("How"), _ ("Time after bail refusal"), NULL };

  section_begin (r, part->id, part->heading);
  paragraph (r, "note",
             _ ("Concordat on Children in Custody, principle 7, and PACE s.38(6): a child "
                "charged and refused bail should be moved to local-authority accommodation."));

  figures_begin (r, _ ("After charge"));
  figure_count (r, _ ("Refused bail after charge"), post, "bail_refused", FALSE);
  figure_count (r, _ ("Accommodation requested: secure"), post, "requested_secure", TRUE);
  figure_count (r, _ ("Accommodation requested: non-secure"), post, "requested_non_secure", TRUE);
  figure_count (r, _ ("Local authority accepted"), responses, "accepted", TRUE);
  figure_count (r, _ ("Local authority refused"), responses, "refused", TRUE);
  figure_count (r, _ ("Local authority had no bed"), responses, "no_bed", TRUE);
  figure_count (r, _ ("Local authority did not respond"), responses, "no_response", TRUE);
  figure_count (r, _ ("Transferred to local-authority accommodation"), post, "transferred", FALSE);
  figure_count (r, _ ("s.38(7) certificates (transfer impracticable)"), post, "certificates", FALSE);
  figure_count (r, _ ("Went to court from a police cell with no certificate"), post,
                "court_without_certificate", FALSE);
  table_end (r);

  stats_begin (r, _ ("Time in a police cell after bail refusal"));
  stats_row (r, _ ("Bail refusal to transfer, court or release"),
             cc_json_get_object (cc_json_get_object (r->report, "headline"), "post_charge_seconds"));
  table_end (r);

  if (children == NULL || json_array_get_length (children) == 0)
    {
      paragraph (r, "empty", _ ("No child was refused bail this month."));
      section_end (r);
      return;
    }

  html_open (&r->h, "div", "class", "chart-block", NULL);
  write_post_charge_chart (r, children);
  table_begin (r, _ ("Each child refused bail, longest first"), NULL,
               r->all_suites ? columns_all : columns_one, r->all_suites ? "ttttttn" : "tttttn");
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject      *child = cc_json_array_object (children, i);
      const char      *record = cc_json_get_string (child, "record_id");
      g_autofree char *refused = instant_text (r, child, "bail_refused_at");
      g_autofree char *ended = instant_text (r, child, "ended_at");
      g_autofree char *value = duration_text (child, "seconds");

      html_open (&r->h, "tr", NULL);
      row_header (r, record != NULL ? record : NONE, "record");
      if (r->all_suites)
        cell (r, cc_json_get_string (child, "suite") ? cc_json_get_string (child, "suite") : NONE, NULL);
      cell (r, refused, NULL);
      cell (r, ended, NULL);
      cell (r, outcome_name (cc_json_get_string (child, "outcome")), NULL);
      cell (r, value, "num");
      html_close (&r->h, "tr");
    }
  table_end (r);
  html_close (&r->h, "div");
  section_end (r);
}

static void
write_instant_rules (Render     *r,
                     const Part *part)
{
  JsonObject *rules = cc_json_get_object (r->report, "rules");
  JsonArray  *cases = cc_json_get_array (r->report, "cases");
  const char *columns[] = { _ ("Rule"), _ ("Breaches"), _ ("Cases"), NULL };

  section_begin (r, part->id, part->heading);
  paragraph (r, "note", _ ("An instant rule is broken at the moment of the event that breaks it."));
  table_begin (r, _ ("Breaches of each instant rule, with the records"), "rules", columns, "tnt");
  for (int k = 0; k < CC_N_RULES; k++)
    {
      const char      *name = cc_rule_to_string (k);
      g_autofree char *count = count_text (rules, name);
      gint64           n;
      gboolean         any = FALSE;

      if (rules != NULL && !json_object_has_member (rules, name))
        continue;
      html_open (&r->h, "tr", NULL);
      row_header (r, cc_rule_display_name (k), NULL);
      cell (r, count, cc_json_get_int (rules, name, &n) && n > 0 ? "num breach" : "num");
      html_open (&r->h, "td", NULL);
      for (guint i = 0; cases != NULL && i < json_array_get_length (cases); i++)
        {
          JsonObject      *c = cc_json_array_object (cases, i);
          const char      *record = cc_json_get_string (c, "record_id");
          g_autofree char *when = NULL;
          g_autofree char *text = NULL;

          if (g_strcmp0 (cc_json_get_string (c, "rule"), name) != 0)
            continue;
          /* Translators: a g_date_time_format() format for when an instant
           * rule was broken ("11 Oct 06:00"): %-d day, %b abbreviated
           * month, %H:%M time, with no-break spaces (U+00A0) */
          when = instant_text_format (r, c, "at", C_ ("date format", "%-d\u00a0%b\u00a0%H:%M"));
          /* Translators: a case of an instant rule: %1$s the custody record, %2$s the time */
          text = g_strdup_printf (_ ("%1$s, %2$s"), record != NULL ? record : NONE, when);
          if (any)
            html_text (&r->h, "; ");
          html_element (&r->h, "span", text, "class", "when", NULL);
          any = TRUE;
        }
      if (!any)
        html_text (&r->h, NONE);
      html_close (&r->h, "td");
      html_close (&r->h, "tr");
    }
  table_end (r);
  section_end (r);
}

static void
write_escalations (Render     *r,
                   const Part *part)
{
  JsonObject *esc = cc_json_get_object (r->report, "escalations");
  JsonObject *levels = cc_json_get_object (esc, "by_level");
  JsonObject *res = cc_json_get_object (esc, "resolutions");

  section_begin (r, part->id, part->heading);
  figures_begin (r, _ ("Escalation records of the month’s records"));
  figure_count (r, _ ("Raised"), esc, "raised", FALSE);
  figure_count (r, _ ("to a sergeant"), levels, "sergeant", TRUE);
  figure_count (r, _ ("to an inspector"), levels, "inspector", TRUE);
  figure_count (r, _ ("to a superintendent"), levels, "superintendent", TRUE);
  figure_count (r, _ ("Acknowledged"), esc, "acknowledged", FALSE);
  figure_count (r, _ ("Breaches that climbed past their first level"), esc, "climbed", FALSE);
  for (CcResolution k = CC_RESOLUTION_FIRST; k <= CC_RESOLUTION_LAST; k++)
    {
      g_autofree char *label = cc_report_format_resolution (cc_resolution_to_string (k));
      figure_count (r, label, res, cc_resolution_to_string (k), TRUE);
    }
  figure_count (r, _ ("Still open"), res, "open", TRUE);
  figure_count (r, _ ("Written late by the monitor"), esc, "late_written", FALSE);
  table_end (r);

  stats_begin (r, _ ("How quickly"));
  stats_row (r, _ ("Raised to acknowledged"), cc_json_get_object (esc, "ack_seconds"));
  stats_row (r, _ ("Breach to escalation record written"), cc_json_get_object (esc, "write_delay_seconds"));
  table_end (r);
  paragraph (r, "note",
             _ ("The last line measures the monitor itself: how long after a breach "
                "Custody Clock wrote the escalation record."));
  section_end (r);
}

/* The rules that have breaches in some week, in clocks.md order, then any
 * name this renderer does not know, in the order first seen. */
static GPtrArray *
weekly_rules (JsonArray *weeks)
{
  GPtrArray *names = g_ptr_array_new ();

  for (int c = 0; c < CC_N_CLOCKS + CC_N_RULES; c++)
    {
      const char *name = c < CC_N_CLOCKS ? cc_clock_to_string (c) : cc_rule_to_string (c - CC_N_CLOCKS);

      for (guint i = 0; i < json_array_get_length (weeks); i++)
        {
          JsonObject *rules = cc_json_get_object (cc_json_array_object (weeks, i), "rules");

          if (rules != NULL && json_object_has_member (rules, name))
            {
              g_ptr_array_add (names, (gpointer) name);
              break;
            }
        }
    }
  for (guint i = 0; i < json_array_get_length (weeks); i++)
    {
      JsonObject *rules = cc_json_get_object (cc_json_array_object (weeks, i), "rules");
      g_autoptr (GList) members = rules != NULL ? json_object_get_members (rules) : NULL;

      for (GList *l = members; l != NULL; l = l->next)
        if ((int) cc_clock_from_string (l->data) < 0 && (int) cc_rule_from_string (l->data) < 0 &&
            !g_ptr_array_find_with_equal_func (names, l->data, g_str_equal, NULL))
          g_ptr_array_add (names, l->data);
    }
  return names;
}

/* "A" … "Z", then "AA" …: the letter that names a rule on the chart. */
static char *
key_letter (guint i)
{
  if (i < 26)
    return g_strdup_printf ("%c", 'A' + i);
  return g_strdup_printf ("%c%c", 'A' + (i / 26 - 1) % 26, 'A' + i % 26);
}

static void
write_weekly_chart (Render    *r,
                    JsonArray *weeks)
{
  g_autoptr (GPtrArray) names = weekly_rules (weeks);
  guint  n_weeks = json_array_get_length (weeks);
  guint  legend_rows = (names->len + 1) / 2;
  double width = 680, plot_h = 200, top = 24;
  double legend_top = top + plot_h + 36;
  double height = legend_top + legend_rows * 18 + 6;
  Plot   plot = { 40, top, width - 50, plot_h };
  double band = plot.width / MAX (n_weeks, 1);
  double bar = MIN (band * 0.6, 70);
  double max = 0;
  Axis   axis;
  g_autoptr (GPtrArray) columns = g_ptr_array_new ();

  for (guint i = 0; i < n_weeks; i++)
    {
      gint64 total;

      if (cc_json_get_int (cc_json_array_object (weeks, i), "total", &total))
        max = MAX (max, (double) total);
    }
  axis = axis_for (AXIS_COUNT, max);

  html_open (&r->h, "div", "class", "chart-block", NULL);
  chart_begin (r, _ ("Breaches per week, by clock or rule"),
               _ ("Stacked column chart: one column per week (Monday to Sunday, local time), "
                  "its parts the breaches of each clock or rule, each with its own pattern and "
                  "letter, explained in the key under the chart; the total is above the column.  "
                  "The table below gives the same figures."),
               width, height);
  draw_value_axis (&r->h, &plot, &axis);
  svg_text (&r->h, 8, 12, "start", "axis-label", _ ("Breaches"));

  for (guint i = 0; i < n_weeks; i++)
    {
      JsonObject      *week = cc_json_array_object (weeks, i);
      JsonObject      *rules = cc_json_get_object (week, "rules");
      g_autofree char *label = week_text (r, cc_json_get_string (week, "week"));
      g_autofree char *total = count_text (week, "total");
      double           cx = plot.left + band * (i + 0.5);
      double           sum = 0;
      double           base = plot.top + plot.height;

      for (guint k = 0; k < names->len; k++)
        {
          const char *name = g_ptr_array_index (names, k);
          gint64      n;
          double      y0, y1;

          if (!cc_json_get_int (rules, name, &n) || n <= 0)
            continue;
          y0 = plot_y (&plot, &axis, sum);
          y1 = plot_y (&plot, &axis, sum + (double) n);
          sum += (double) n;
          {
            g_autofree char *value = format_count (n);
            g_autofree char *title = g_strdup_printf ("%s — %s: %s", cc_breach_rule_display_name (name), label, value);
            g_autofree char *letter = key_letter (k);

            svg_mark (&r->h, cx - bar / 2, y1, bar, y0 - y1, k % N_FILLS, title);
            if (y0 - y1 >= 12)
              svg_text (&r->h, cx, (y0 + y1) / 2 + 3.5, "middle", "key", letter);
          }
        }
      svg_text (&r->h, cx, plot_y (&plot, &axis, sum) - 4, "middle", "value", total);
      svg_text (&r->h, cx, base + 14, "middle", NULL, label);
    }

  /* The key, in two columns. */
  for (guint k = 0; k < names->len; k++)
    {
      double           x = k < legend_rows ? plot.left : plot.left + plot.width / 2;
      double           y = legend_top + (k % legend_rows) * 18;
      g_autofree char *letter = key_letter (k);
      g_autofree char *text = g_strdup_printf ("%s  %s", letter,
                                               cc_breach_rule_display_name (g_ptr_array_index (names, k)));

      svg_swatch (&r->h, x, y, k % N_FILLS);
      svg_text (&r->h, x + 18, y + 10, "start", NULL, text);
    }
  chart_end (r);

  /* The table: rules down, weeks across, so that it fits the page
   * however many rules there are. */
  g_ptr_array_set_free_func (columns, g_free);
  g_ptr_array_add (columns, g_strdup (_ ("Clock or rule")));
  for (guint i = 0; i < n_weeks; i++)
    g_ptr_array_add (columns, week_text (r, cc_json_get_string (cc_json_array_object (weeks, i), "week")));
  g_ptr_array_add (columns, NULL);
  table_begin (r, _ ("Breaches per week, by clock or rule"), "weekly",
               (const char *const *) columns->pdata, NULL);
  for (guint k = 0; k <= names->len; k++)
    {
      html_open (&r->h, "tr", NULL);
      if (k < names->len)
        row_header (r, cc_breach_rule_display_name (g_ptr_array_index (names, k)), NULL);
      else
        html_element (&r->h, "th", _ ("Total"), "scope", "row", "class", "total", NULL);
      for (guint i = 0; i < n_weeks; i++)
        {
          JsonObject      *week = cc_json_array_object (weeks, i);
          gint64           n;
          g_autofree char *value = NULL;

          if (k == names->len)
            value = count_text (week, "total");
          else if (cc_json_get_int (cc_json_get_object (week, "rules"), g_ptr_array_index (names, k), &n))
            value = format_count (n);
          else
            value = g_strdup ("0"); /* only weeks' non-zero rules are listed */
          cell (r, value, k == names->len ? "num total" : "num");
        }
      html_close (&r->h, "tr");
    }
  table_end (r);
  html_close (&r->h, "div");
}

/* One line per child and clock or rule (docs/REPORT.md, "Cases"): a
 * month's thousands of late cell visits read as one line a child. */
static void
write_case_groups (Render    *r,
                   JsonArray *groups)
{
  const char *columns_all[] = { _ ("Record"), _ ("Suite"), _ ("Clock or rule"), _ ("Breaches"), _ ("First breach"),
                                _ ("Worst lateness"), _ ("Never met"), _ ("Escalated to"), _ ("Acknowledged"), NULL };
  const char *columns_one[] = { _ ("Record"), _ ("Clock or rule"), _ ("Breaches"), _ ("First breach"),
                                _ ("Worst lateness"), _ ("Never met"), _ ("Escalated to"), _ ("Acknowledged"), NULL };

  paragraph (r, "note",
             _ ("One line per child and clock or rule, by record, then by the first breach.  Worst "
                "lateness: the longest from a breach to the duty being done, or, if it never was, to "
                "the record’s close or when the figures were taken.  Never met: breaches never made "
                "up.  Acknowledged: breaches whose escalation someone acknowledged.  Child references "
                "only: no names or dates of birth."));
  table_begin (r, _ ("Breaches of the month’s records, per child and clock or rule"), "cases",
               r->all_suites ? columns_all : columns_one, r->all_suites ? "tttntnntn" : "ttntnntn");
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject      *g = cc_json_array_object (groups, i);
      const char      *rule = cc_json_get_string (g, "rule");
      const char      *record = cc_json_get_string (g, "record_id");
      const char      *level = cc_json_get_string (g, "escalated_to");
      g_autofree char *n = count_text (g, "breaches");
      g_autofree char *first = instant_text (r, g, "first_at");
      g_autofree char *worst = duration_text (g, "worst_late_seconds");
      g_autofree char *never = count_text (g, "never_met");
      g_autofree char *acked = count_text (g, "acknowledged");
      gint64           v;

      html_open (&r->h, "tr", NULL);
      row_header (r, record != NULL ? record : NONE, "record");
      if (r->all_suites)
        cell (r, cc_json_get_string (g, "suite") ? cc_json_get_string (g, "suite") : NONE, NULL);
      cell (r, rule != NULL ? cc_breach_rule_display_name (rule) : NONE, NULL);
      cell (r, n, "num");
      cell (r, first, NULL);
      cell (r, worst, "duration");
      cell (r, never, cc_json_get_int (g, "never_met", &v) && v > 0 ? "num breach" : "num");
      cell (r, level != NULL ? cc_report_format_level (level) : NONE, NULL);
      cell (r, acked, "num");
      html_close (&r->h, "tr");
    }
  table_end (r);
}

static void
write_cases (Render     *r,
             const Part *part)
{
  JsonArray  *weeks = cc_json_get_array (r->report, "breaches_by_week");
  JsonArray  *cases = cc_json_get_array (r->report, "cases");
  const char *columns_all[] = { _ ("Record"), _ ("Suite"), _ ("Clock or rule"), _ ("When"),
                                _ ("How late"), _ ("Outcome"), _ ("Escalated to"),
                                _ ("Acknowledged by, when"), NULL };
  const char *columns_one[] = { _ ("Record"), _ ("Clock or rule"), _ ("When"),
                                _ ("How late"), _ ("Outcome"), _ ("Escalated to"),
                                _ ("Acknowledged by, when"), NULL };

  section_begin (r, part->id, part->heading);
  if (weeks != NULL && json_array_get_length (weeks) > 0)
    write_weekly_chart (r, weeks);

  html_element (&r->h, "h3", _ ("Every breach"), NULL);
  if (cases == NULL || json_array_get_length (cases) == 0)
    {
      paragraph (r, "empty", _ ("No breaches this month."));
      section_end (r);
      return;
    }
  if (cc_json_get_array (r->report, "case_groups") != NULL)
    {
      write_case_groups (r, cc_json_get_array (r->report, "case_groups"));
      section_end (r);
      return;
    }
  /* A report object from before case_groups: every breach. */
  paragraph (r, "note",
             _ ("One line per breach, by time.  How late: from the breach to the duty being "
                "done, or, if it never was, to the record’s close or when the figures were "
                "taken.  Child references only: no names or dates of birth."));
  /* Every column is text here, the late time included. */
  table_begin (r, _ ("Every breach of the month’s records"), "cases",
               r->all_suites ? columns_all : columns_one, "tttttttt");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject      *c = cc_json_array_object (cases, i);
      const char      *rule = cc_json_get_string (c, "rule");
      const char      *record = cc_json_get_string (c, "record_id");
      const char      *ack_by = cc_json_get_string (c, "acknowledged_by");
      const char      *level = cc_json_get_string (c, "escalated_to");
      CcClockId        clock = cc_clock_from_string (rule);
      gint64           occurrence;
      g_autofree char *rule_text = NULL;
      g_autofree char *when = instant_text (r, c, "at");
      g_autofree char *late = duration_text (c, "late_seconds");
      g_autofree char *ack_at = instant_text (r, c, "acknowledged_at");
      const char      *outcome;
      const char      *outcome_class = NULL;

      if ((int) clock >= 0 && is_recurring (clock) && cc_json_get_int (c, "occurrence", &occurrence))
        /* Translators: a recurring clock and which of its occurrences: "Cell visit, no. 3" */
        rule_text = g_strdup_printf (_ ("%1$s, no. %2$lld"), cc_breach_rule_display_name (rule), (long long) occurrence);
      else
        rule_text = g_strdup (rule != NULL ? cc_breach_rule_display_name (rule) : NONE);

      if ((int) clock < 0)
        outcome = C_ ("case", "breached at the event");
      else if (cc_json_get_bool (c, "satisfied"))
        outcome = C_ ("case", "met late");
      else
        {
          outcome = C_ ("case", "BREACHED, never met");
          outcome_class = "breach";
        }

      html_open (&r->h, "tr", NULL);
      row_header (r, record != NULL ? record : NONE, "record");
      if (r->all_suites)
        cell (r, cc_json_get_string (c, "suite") ? cc_json_get_string (c, "suite") : NONE, NULL);
      cell (r, rule_text, NULL);
      cell (r, when, NULL);
      cell (r, late, "duration");
      cell (r, outcome, outcome_class);
      cell (r, level != NULL ? cc_report_format_level (level) : NONE, NULL);
      if (ack_by != NULL)
        {
          html_open (&r->h, "td", NULL);
          html_text (&r->h, ack_by);
          html_empty (&r->h, "br", NULL);
          html_text (&r->h, ack_at);
          html_close (&r->h, "td");
        }
      else
        cell (r, NONE, NULL);
      html_close (&r->h, "tr");
    }
  table_end (r);
  section_end (r);
}

static void
write_data_quality (Render     *r,
                    const Part *part)
{
  JsonObject *dq = cc_json_get_object (r->report, "data_quality");

  section_begin (r, part->id, part->heading);
  figures_begin (r, _ ("What the custody record lacked or had to mend"));
  figure_count (r, _ ("Late entries (keyed more than the policy’s late_entry after the event)"),
                dq, "late_entries", FALSE);
  figure_count (r, _ ("Corrections"), dq, "corrections", FALSE);
  figure_count (r, _ ("Voided entries"), dq, "voids", FALSE);
  figure_count (r, _ ("Input refused and quarantined"), dq, "quarantined", FALSE);
  figure_count (r, _ ("Records with the child’s age unknown"), dq, "age_unknown", FALSE);
  figure_count (r, _ ("Records with no detention authorisation time"), dq, "missing_authorisation", FALSE);
  figure_count (r, _ ("Cell visits without the child’s voice recorded"), dq,
                "cell_visits_without_voice", FALSE);
  figure_count (r, _ ("Entries after the child left custody"), dq, "events_after_close", FALSE);
  figure_count (r, _ ("Hospital departures with no return between"), dq, "hospital_left_twice", FALSE);
  figure_count (r, _ ("Rests started while a rest was running"), dq, "rest_started_twice", FALSE);
  table_end (r);
  section_end (r);
}

typedef struct
{
  const char *key;
  const char *title;
  AxisKind    kind;
} TrendMeasure;

static char *
trend_value_text (JsonObject         *month,
                  const TrendMeasure *m)
{
  double d;

  if (m->kind == AXIS_SHARE)
    return cc_json_get_number (month, m->key, &d) ? format_share (d) : g_strdup (NONE);
  if (m->kind == AXIS_HOURS)
    return duration_text (month, m->key);
  return count_text (month, m->key);
}

/* A month in the trend's table and its charts' marks. */
static const char *
trend_month_format (void)
{
  /* Translators: a g_date_time_format() format for a month in the trend's
   * table and its charts' marks ("Nov 2026"): %b abbreviated month, %Y
   * year, with a no-break space (U+00A0) */
  return C_ ("date format", "%b\u00a0%Y");
}

static void
write_trend (Render     *r,
             const Part *part)
{
  JsonArray   *trend = cc_json_get_array (r->report, "trend");
  TrendMeasure measures[] = {
    { "detentions", _ ("Detentions"), AXIS_COUNT },
    { "aa_arrival_median", _ ("Wait for an appropriate adult (median)"), AXIS_HOURS },
    { "healthcare_share", _ ("Seen by a healthcare professional"), AXIS_SHARE },
    { "post_charge_median", _ ("In a cell after bail refusal (median)"), AXIS_HOURS },
    { "breaches", _ ("Breaches"), AXIS_COUNT },
  };
  const char *columns[G_N_ELEMENTS (measures) + 2];
  guint       n = trend != NULL ? json_array_get_length (trend) : 0;

  section_begin (r, part->id, part->heading);
  if (n == 0)
    {
      paragraph (r, "empty", _ ("No figures."));
      section_end (r);
      return;
    }
  paragraph (r, "note", _ ("The headline measures for each of the last 12 months, this month last."));

  html_open (&r->h, "div", "class", "chart-block", NULL);
  html_open (&r->h, "div", "class", "panels", NULL);
  /* Detentions are in the table: the four panels are the headline measures. */
  for (guint m = 1; m < G_N_ELEMENTS (measures); m++)
    {
      g_autoptr (GArray) cols = g_array_new (FALSE, TRUE, sizeof (Column));
      Plot             plot = { 46, 22, 284, 120 };
      double           max = 0;
      Axis             axis;
      g_autofree char *desc = g_strdup_printf (_ ("Column chart: %s, month by month; a dash "
                                                  "marks a month with no value.  The table "
                                                  "below gives the same figures."),
                                               measures[m].title);

      g_array_set_clear_func (cols, column_clear);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *month = cc_json_array_object (trend, i);
          const char *name = cc_json_get_string (month, "month");
          Column      c = { 0 };

          /* Translators: a g_date_time_format() format for a month under a
           * column of the trend charts ("Nov"): %b abbreviated month */
          c.label = month_text (r, name, C_ ("date format", "%b"));
          /* The year under each January: twelve months have one. */
          if (name != NULL && g_str_has_suffix (name, "-01"))
            /* Translators: a g_date_time_format() format for the year under
             * January's column of the trend charts ("2026"): %Y year */
            c.sublabel = month_text (r, name, C_ ("date format", "%Y"));
          c.row = month_text (r, name, trend_month_format ());
          c.has_value = cc_json_get_number (month, measures[m].key, &c.value);
          c.value_text = trend_value_text (month, &measures[m]);
          c.show_value = measures[m].kind == AXIS_COUNT;
          c.fill = i + 1 == n ? FILL_SOLID : FILL_SOLID_LIGHT;
          if (c.has_value)
            max = MAX (max, c.value);
          g_array_append_val (cols, c);
        }
      axis = axis_for (measures[m].kind, max);

      chart_begin (r, measures[m].title, desc, 340, 176);
      draw_columns (&r->h, &plot, &axis, cols, measures[m].title);
      chart_end (r);
    }
  html_close (&r->h, "div");

  columns[0] = _ ("Month");
  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    columns[m + 1] = measures[m].title;
  columns[G_N_ELEMENTS (measures) + 1] = NULL;
  table_begin (r, _ ("The last 12 months"), "trend", columns, NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonObject      *month = cc_json_array_object (trend, i);
      g_autofree char *label = month_text (r, cc_json_get_string (month, "month"), trend_month_format ());

      html_open (&r->h, "tr", NULL);
      row_header (r, label, NULL);
      for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
        {
          g_autofree char *value = trend_value_text (month, &measures[m]);

          cell (r, value, "num");
        }
      html_close (&r->h, "tr");
    }
  table_end (r);
  html_close (&r->h, "div");
  section_end (r);
}

static void
write_definitions (Render     *r,
                   const Part *part)
{
  JsonArray  *definitions = cc_json_get_array (r->report, "definitions");
  const char *policy = cc_json_get_string (r->report, "policy");

  section_begin (r, part->id, part->heading);
  paragraph (r, "note",
             _ ("Percentiles use the nearest rank: the p-th percentile of n sorted values is the "
                "value at rank ⌈p·n/100⌉; the median is the 50th.  Durations are truncated to "
                "the minute.  Times are local to the report’s time zone."));
  if (definitions != NULL && json_array_get_length (definitions) > 0)
    {
      html_open (&r->h, "dl", "class", "definitions", NULL);
      for (guint i = 0; i < json_array_get_length (definitions); i++)
        {
          JsonObject *d = cc_json_array_object (definitions, i);
          const char *term = cc_json_get_string (d, "term");
          const char *text = cc_json_get_string (d, "text");

          /* The reader looks up the words on the page, not the JSON's
           * names; a report without terms (before issue 14) shows its
           * measure names. */
          if (term == NULL)
            term = cc_json_get_string (d, "measure");
          html_open (&r->h, "div", NULL);
          html_element (&r->h, "dt", term != NULL ? term : NONE, NULL);
          html_element (&r->h, "dd", text != NULL ? text : NONE, NULL);
          html_close (&r->h, "div");
        }
      html_close (&r->h, "dl");
    }

  html_element (&r->h, "h3", _ ("Policy in force"), NULL);
  paragraph (r, "note",
             _ ("The thresholds the figures were computed with, as ‘custody-clock policy’ "
                "prints them."));
  html_element (&r->h, "pre", policy != NULL ? policy : NONE, "class", "policy", NULL);
  section_end (r);
}

/* ─── The page ─────────────────────────────────────────────────────── */

static char *
suite_text (Render *r)
{
  const char *suite = cc_json_get_string (r->report, "suite");

  return g_strdup (suite != NULL ? suite : _ ("all suites"));
}

/* "Breach report, November 2022: all suites": the page's title and its
 * first heading. */
static char *
report_title (Render *r)
{
  /* Translators: a g_date_time_format() format for the month in the
   * report's title ("November 2022"): %B month, %Y year */
  g_autofree char *month = month_text (r, cc_json_get_string (r->report, "month"), C_ ("date format", "%B %Y"));
  g_autofree char *suite = suite_text (r);

  /* Translators: the report's title: month and year, then the suite's name or "all suites" */
  return g_strdup_printf (_ ("Breach report, %1$s: %2$s"), month, suite);
}

static void
meta_row (Render     *r,
          const char *label,
          const char *value)
{
  html_element (&r->h, "dt", label, NULL);
  html_element (&r->h, "dd", value, NULL);
}

static void
write_header (Render     *r,
              const char *title)
{
  JsonObject      *period = cc_json_get_object (r->report, "period");
  const char      *zone = cc_json_get_string (r->report, "timezone");
  g_autofree char *start = instant_text (r, period, "start");
  g_autofree char *end = instant_text (r, period, "end");
  g_autofree char *span = NULL;
  g_autofree char *at = instant_text (r, r->report, "at");
  g_autofree char *suite = suite_text (r);

  paragraph (r, "kicker", _ ("Custody Clock · Children in police custody · Monthly breach report"));
  html_element (&r->h, "h1", title, NULL);
  html_open (&r->h, "dl", "class", "meta", NULL);
  /* Translators: the month's bounds, "from %1$s to %2$s" */
  span = g_strdup_printf (_ ("%1$s to %2$s"), start, end);
  meta_row (r, _ ("Suite"), suite);
  meta_row (r, _ ("Records that arrived"), span);
  meta_row (r, _ ("Figures taken at"), at);
  meta_row (r, _ ("Times shown in"), zone != NULL ? zone : CC_DEFAULT_TIMEZONE);
  if (cc_json_get_string (r->report, "generated_at") != NULL)
    {
      g_autofree char *generated = instant_text (r, r->report, "generated_at");

      meta_row (r, _ ("Generated"), generated);
    }
  html_close (&r->h, "dl");
  paragraph (r, "privacy",
             _ ("Child records only, identified by custody record number: this report holds "
                "no names and no dates of birth."));
}

static void
write_footer (Render     *r,
              const char *title)
{
  /* Translators: the footer: the report's title, then the program and its version */
  g_autofree char *text = g_strdup_printf (_ ("%1$s · Custody Clock %2$s"), title, PACKAGE_VERSION);

  paragraph (r, NULL, text);
}

/* Replaces each {{name}} of @template by the value given for it; the
 * values are markup already. */
static char *
expand_template (const char *template,
                 const char **names,
                 char       **values,
                 GError     **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const char *p = template;
  const char *open;

  while ((open = strstr (p, "{{")) != NULL)
    {
      const char *close = strstr (open, "}}");
      guint       i;

      if (close == NULL)
        break;
      g_string_append_len (out, p, open - p);
      for (i = 0; names[i] != NULL; i++)
        if (strlen (names[i]) == (gsize) (close - open - 2) &&
            strncmp (open + 2, names[i], close - open - 2) == 0)
          break;
      if (names[i] == NULL)
        {
          g_autofree char *placeholder = g_strndup (open, close - open + 2);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: %1$s is a file built into the program, %2$s a "{{name}}" in it */
                       _ ("%1$s: unknown placeholder %2$s"), UI_PATH "report.html", placeholder);
          return NULL;
        }
      g_string_append (out, values[i]);
      p = close + 2;
    }
  g_string_append (out, p);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
lookup_ui (const char *name,
           GError    **error)
{
  g_autofree char *path = g_strconcat (UI_PATH, name, NULL);
  g_autoptr (GBytes) bytes = g_resource_lookup_data (cc_ui_get_resource (), path,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Runs one builder and returns its markup. */
typedef void (*Writer) (Render *r);

static char *
build (Render *r,
       Writer  writer)
{
  char *markup;

  html_init (&r->h);
  writer (r);
  markup = html_finish (&r->h);
  return markup;
}

/* The sections, in report.md's order: the contents list and the page
 * follow this table. */
static const struct
{
  const char *id;
  const char *heading;
  void (*write) (Render *r, const Part *part);
} sections[] = {
  { "summary", N_ ("Summary"), write_summary },
  { "clocks", N_ ("Per clock"), write_clocks },
  { "post-charge", N_ ("Post-charge"), write_post_charge },
  { "instant-rules", N_ ("Instant rules"), write_instant_rules },
  { "escalations", N_ ("Escalations"), write_escalations },
  { "cases", N_ ("Cases"), write_cases },
  { "data-quality", N_ ("Data quality"), write_data_quality },
  { "trend", N_ ("Trend"), write_trend },
  { "definitions", N_ ("Definitions"), write_definitions },
};

static void
write_main (Render *r)
{
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      Part part = { sections[i].id, _ (sections[i].heading) };

      sections[i].write (r, &part);
    }
}

static void
write_contents (Render *r)
{
  html_element (&r->h, "h2", _ ("Contents"), "id", "contents-heading", NULL);
  html_open (&r->h, "ol", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *href = g_strconcat ("#", sections[i].id, NULL);

      html_open (&r->h, "li", NULL);
      html_element (&r->h, "a", _ (sections[i].heading), "href", href, NULL);
      html_close (&r->h, "li");
    }
  html_close (&r->h, "ol");
}

static void
write_header_part (Render *r)
{
  g_autofree char *title = report_title (r);

  write_header (r, title);
}

static void
write_footer_part (Render *r)
{
  g_autofree char *title = report_title (r);

  write_footer (r, title);
}

/**
 * cc_report_render_html:
 * @report: the report's figures (docs/REPORT.md)
 * @error: return location for a #GError
 *
 * Renders @report as one self-contained HTML page: no scripts, nothing
 * fetched from anywhere, charts as inline SVG each with its table, and a
 * stylesheet for A4.  Text from the report (record numbers, suites, the
 * policy) is escaped.  The same @report gives the same bytes.
 *
 * Fails when the report's time zone is unknown (%CC_TIME_ERROR_ZONE):
 * times shown in the wrong zone would be wrong by an hour half the year.
 *
 * Returns: (transfer full) (nullable): the page, or %NULL on error
 */
char *
cc_report_render_html (JsonObject *report,
                       GError    **error)
{
  const char *names[] = { "lang", "title", "style", "defs", "header", "contents", "main", "footer", NULL };
  g_autofree char *template = NULL;
  g_autofree char *style = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GString) lang = g_string_new (NULL);
  g_autoptr (GString) title = g_string_new (NULL);
  g_autofree char *title_text = NULL;
  g_autofree char *defs = NULL;
  g_autofree char *header = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *main_part = NULL;
  g_autofree char *footer = NULL;
  Render           r = { { NULL, NULL }, report, NULL, FALSE, 0 };

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  template = lookup_ui ("report.html", error);
  if (template == NULL)
    return NULL;
  style = lookup_ui ("report.css", error);
  if (style == NULL)
    return NULL;
  tz = cc_time_zone_new (cc_json_get_string (report, "timezone"), error);
  if (tz == NULL)
    return NULL;

  r.tz = tz;
  r.all_suites = cc_json_get_string (report, "suite") == NULL;
  /* Translators: the language of this translation as a BCP 47 tag ("cy"
   * for Welsh): the HTML report's lang attribute, which tells browsers and
   * screen readers what language the page is in */
  append_escaped (lang, C_ ("html lang attribute", "en-GB"));
  title_text = report_title (&r);
  append_escaped (title, title_text);
  defs = build (&r, write_pattern_defs);
  header = build (&r, write_header_part);
  contents = build (&r, write_contents);
  main_part = build (&r, write_main);
  footer = build (&r, write_footer_part);

  {
    char *values[] = { lang->str, title->str, style, defs, header, contents, main_part, footer };

    return expand_template (template, names, values, error);
  }
}
