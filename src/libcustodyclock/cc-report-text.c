/* cc-report-text.c: the monthly report as CSV and as Markdown
 *
 * Copyright 2026 The Custody Clock authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both format the object cc_report_build() made and compute nothing: a
 * figure is read from the object, never worked out again, so the formats
 * cannot disagree.  Neither reads the database.
 *
 * CSV (RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF in
 * double quotes, quotes doubled) is one row per measure,
 * `section,measure,suite,value`, flattened from the JSON object; with
 * cases, a second table follows after an empty line, one row per breach,
 * with its own header (docs/REPORT.md).  Markdown is for pasting into a
 * briefing: a heading per section, tables, local times, durations in words.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-json-reader.h"
#include "cc-escalation.h"
#include "cc-report.h"
#include "cc-report-format.h"
#include "cc-rules.h"

/* ---- reading the object ------------------------------------------------ */

/* A scalar as text: integers in full, shares to four places, booleans as
 * true/false, null as nothing. */
static char *
scalar_text (JsonNode *node)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4f", json_node_get_double (node)));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup ("");
}

/* ---- CSV ----------------------------------------------------------------- */

static void
csv_field (GString    *out,
           const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_row (GString    *out,
         const char *section,
         const char *measure,
         const char *suite,
         const char *value)
{
  csv_field (out, section);
  g_string_append_c (out, ',');
  csv_field (out, measure);
  g_string_append_c (out, ',');
  csv_field (out, suite);
  g_string_append_c (out, ',');
  csv_field (out, value);
  g_string_append (out, "\r\n");
}

typedef struct
{
  GString    *out;
  const char *suite;
} Csv;

/* An identifier, like the section names: not translated. */
#define CSV_ALL_SUITES "all"

static void csv_flatten (Csv *csv, const char *section, const char *prefix, JsonNode *node);

/* An array of objects is flattened by its first cc_json_member (the bin's id, the
 * child's record, the week, the month), which names the element. */
static void
csv_flatten_array (Csv        *csv,
                   const char *section,
                   const char *prefix,
                   JsonArray  *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode   *element = json_array_get_element (array, i);
      JsonObject *o;
      g_autoptr (GList) members = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      o = json_node_get_object (element);
      members = json_object_get_members (o);
      if (members == NULL)
        continue;
      name = scalar_text (json_object_get_member (o, members->data));
      path = prefix != NULL ? g_strconcat (prefix, ".", name, NULL) : g_strdup (name);
      /* A bin is its count: its label and bounds are in the definitions. */
      if (g_strcmp0 (prefix, "aa_arrival_bins") == 0)
        {
          g_autofree char *count = scalar_text (json_object_get_member (o, "count"));
          csv_row (csv->out, section, path, csv->suite, count);
          continue;
        }
      for (GList *l = members->next; l != NULL; l = l->next)
        {
          g_autofree char *member_path = g_strconcat (path, ".", (const char *) l->data, NULL);
          csv_flatten (csv, section, member_path, json_object_get_member (o, l->data));
        }
    }
}

static void
csv_flatten (Csv        *csv,
             const char *section,
             const char *prefix,
             JsonNode   *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (o);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *path = prefix != NULL ? g_strconcat (prefix, ".", (const char *) l->data, NULL)
                                                 : g_strdup (l->data);
          csv_flatten (csv, section, path, json_object_get_member (o, l->data));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    csv_flatten_array (csv, section, prefix, json_node_get_array (node));
  else
    {
      g_autofree char *value = scalar_text (node);
      csv_row (csv->out, section, prefix, csv->suite, value);
    }
}

/* The per-suite breakdown: section "suites", each suite's figures in its
 * own suite column ("suites","rules.cell_visit","Swindon","12"), so that a
 * spreadsheet filters a suite's rows by that column. */
static void
csv_suites (Csv       *csv,
            JsonArray *suites)
{
  for (guint i = 0; suites != NULL && i < json_array_get_length (suites); i++)
    {
      JsonObject *o = json_array_get_object_element (suites, i);
      Csv         one = { csv->out, cc_json_get_string (o, "suite") };
      g_autoptr (GList) members = json_object_get_members (o);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "suite"))
          csv_flatten (&one, "suites", l->data, json_object_get_member (o, l->data));
    }
}

/* The policy as group.key rows, from the key file text the report holds. */
static void
csv_policy (Csv        *csv,
            const char *text)
{
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_auto (GStrv) groups = NULL;

  if (text == NULL || !g_key_file_load_from_data (keys, text, -1, G_KEY_FILE_NONE, NULL))
    return;
  groups = g_key_file_get_groups (keys, NULL);
  for (gsize g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) names = g_key_file_get_keys (keys, groups[g], NULL, NULL);

      for (gsize k = 0; names != NULL && names[k] != NULL; k++)
        {
          g_autofree char *measure = g_strconcat (groups[g], ".", names[k], NULL);
          g_autofree char *value = g_key_file_get_value (keys, groups[g], names[k], NULL);
          csv_row (csv->out, "policy", measure, csv->suite, value);
        }
    }
}

/* The members of a case, in the table's order, and the table's headings
 * (for people with a spreadsheet: translated; the members are the JSON's). */
static const struct
{
  const char *member;
  const char *heading;
} case_columns[] = {
  /* Translators: column headings of the CSV table of cases, one row per
   * breach, read in a spreadsheet; keep them short, without commas */
  { "record_id", NC_ ("csv column", "record_id") },
  { "suite", NC_ ("csv column", "suite") },
  { "rule", NC_ ("csv column", "rule") },
  { "occurrence", NC_ ("csv column", "occurrence") },
  { "at", NC_ ("csv column", "at") },
  { "late_seconds", NC_ ("csv column", "late_seconds") },
  { "satisfied", NC_ ("csv column", "satisfied") },
  { "escalated_to", NC_ ("csv column", "escalated_to") },
  { "acknowledged_by", NC_ ("csv column", "acknowledged_by") },
  { "acknowledged_at", NC_ ("csv column", "acknowledged_at") },
};

static void
csv_cases (GString   *out,
           JsonArray *cases)
{
  for (gsize c = 0; c < G_N_ELEMENTS (case_columns); c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      csv_field (out, g_dpgettext2 (GETTEXT_PACKAGE, "csv column", case_columns[c].heading));
    }
  g_string_append (out, "\r\n");
  for (guint i = 0; cases != NULL && i < json_array_get_length (cases); i++)
    {
      JsonObject *o = json_array_get_object_element (cases, i);

      for (gsize c = 0; c < G_N_ELEMENTS (case_columns); c++)
        {
          g_autofree char *value = scalar_text (json_object_get_member (o, case_columns[c].member));
          if (c > 0)
            g_string_append_c (out, ',');
          csv_field (out, value);
        }
      g_string_append (out, "\r\n");
    }
}

/**
 * cc_report_render_csv:
 * @report: what cc_report_build() made
 * @cases: add the table of cases, one row per breach, after an empty line
 *
 * Returns: (transfer full): the report as CSV (RFC 4180)
 */
char *
cc_report_render_csv (JsonObject *report,
                      gboolean    cases)
{
  g_autoptr (GString) out = g_string_new (NULL);
  /* The suite column says whose figures a row holds: the report's suite,
   * or "all" for the rows of an all-suites report (empty before issue 14,
   * which a spreadsheet could not tell from a missing value). */
  Csv csv = { out, cc_json_get_string (report, "suite") != NULL ? cc_json_get_string (report, "suite") : CSV_ALL_SUITES };
  g_autoptr (GList) members = json_object_get_members (report);

  /* Translators: the column headings of the CSV report, read in a
   * spreadsheet: the report's section, the measure (a name from the JSON,
   * not translated), the suite, and the measure's value */
  csv_row (out, C_ ("csv column", "section"), C_ ("csv column", "measure"), C_ ("csv column", "suite"),
           C_ ("csv column", "value"));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode   *node = json_object_get_member (report, name);

      /* The cases, one by one or grouped, are --cases' table, not rows. */
      if (g_str_equal (name, "suite") || g_str_equal (name, "cases") || g_str_equal (name, "case_groups"))
        continue;
      if (g_str_equal (name, "suites"))
        {
          csv_suites (&csv, json_node_get_array (node));
          continue;
        }
      if (g_str_equal (name, "policy"))
        csv_policy (&csv, cc_json_get_string (report, "policy"));
      else if (g_str_equal (name, "definitions"))
        {
          JsonArray *definitions = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (definitions); i++)
            {
              JsonObject *d = json_array_get_object_element (definitions, i);
              csv_row (out, "definitions", cc_json_get_string (d, "measure"), csv.suite, cc_json_get_string (d, "text"));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) || JSON_NODE_HOLDS_NULL (node))
        csv_flatten (&csv, "report", name, node);
      else if (g_str_equal (name, "period"))
        csv_flatten (&csv, "report", name, node);
      else
        csv_flatten (&csv, name, NULL, node);
    }
  if (cases)
    {
      g_string_append (out, "\r\n");
      csv_cases (out, cc_json_get_array (report, "cases"));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Markdown -------------------------------------------------------------- */

typedef struct
{
  GString   *out;
  GTimeZone *tz;
} Md;

/* A table cell: pipes escaped, no line breaks. */
static void
md_cell_text (GString    *out,
              const char *text)
{
  g_string_append (out, " ");
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, " |");
}

static void
md_row (GString *out,
        ...)
{
  va_list     args;
  const char *cell;

  g_string_append (out, "|");
  va_start (args, out);
  while ((cell = va_arg (args, const char *)) != NULL)
    md_cell_text (out, cell);
  va_end (args);
  g_string_append (out, "\n");
}

static void
md_header (GString *out,
           guint    n_right,
           ...)
{
  va_list     args;
  const char *cell;
  guint       n = 0;

  g_string_append (out, "\n|");
  va_start (args, n_right);
  while ((cell = va_arg (args, const char *)) != NULL)
    {
      md_cell_text (out, cell);
      n++;
    }
  va_end (args);
  /* The first column is text; the last @n_right are figures. */
  g_string_append (out, "\n|");
  for (guint i = 0; i < n; i++)
    g_string_append (out, i >= n - MIN (n_right, n) ? " ---: |" : " --- |");
  g_string_append (out, "\n");
}

/* md_row() ends at NULL: a missing text must not end the row early. */
static const char *
or_dash (const char *text)
{
  return text != NULL ? text : "—";
}

static char *
md_count (JsonObject *o,
          const char *name)
{
  return scalar_text (o != NULL ? json_object_get_member (o, name) : NULL);
}

static char *
md_duration (JsonNode *node)
{
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return g_strdup ("—");
  return cc_report_format_duration (json_node_get_int (node));
}

/* "median 3 h 10 min, 90th percentile 6 h (n = 12)", or "none". */
static char *
md_stat (JsonObject *o,
         const char *name)
{
  JsonObject      *stat = cc_json_get_object (o, name);
  gint64           n = 0;
  g_autofree char *median = NULL;
  g_autofree char *p90 = NULL;

  if (stat == NULL || !cc_json_get_int (stat, "n", &n) || n == 0)
    return g_strdup (_ ("none"));
  median = md_duration (json_object_get_member (stat, "median"));
  p90 = md_duration (json_object_get_member (stat, "p90"));
  /* Translators: %1$s and %2$s are durations ("2 h 30 min"), %3$lld the number of values */
  return g_strdup_printf (_ ("median %1$s, 90th percentile %2$s (n = %3$lld)"), median, p90, (long long) n);
}

static char *
md_time (Md         *md,
         const char *utc)
{
  CcInstant instant;

  if (utc == NULL || !cc_time_parse (utc, NULL, &instant, NULL))
    return g_strdup ("—");
  /* Translators: a g_date_time_format() format for times in the Markdown
   * report ("Sun 11 Oct 2026 06:00"): %a weekday, %-d day, %b month, %Y
   * year, %H:%M time; day and month names come from this catalogue */
  return cc_time_format_display (instant, md->tz, C_ ("date format", "%a %-d %b %Y %H:%M"));
}

static char *
md_share (JsonObject *o,
          const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return g_strdup ("—");
  return g_strdup_printf ("%.1f %%", json_node_get_double (node) * 100.0);
}

static const char *
md_definition (JsonObject *report,
               const char *measure)
{
  JsonArray *definitions = cc_json_get_array (report, "definitions");

  for (guint i = 0; definitions != NULL && i < json_array_get_length (definitions); i++)
    {
      JsonObject *d = json_array_get_object_element (definitions, i);
      if (g_strcmp0 (cc_json_get_string (d, "measure"), measure) == 0)
        return cc_json_get_string (d, "text");
    }
  return NULL;
}

static void
md_count_row (GString    *out,
              const char *label,
              JsonObject *o,
              const char *name)
{
  g_autofree char *value = md_count (o, name);
  md_row (out, label, value, NULL);
}

static void
md_stat_row (GString    *out,
             const char *label,
             JsonObject *o,
             const char *name)
{
  g_autofree char *value = md_stat (o, name);
  md_row (out, label, value, NULL);
}

/* One line of the title block: "- " and the formatted text, so that the
 * Markdown stays out of the translated sentences. */
static void G_GNUC_PRINTF (2, 3)
  md_item (GString    *out,
           const char *format,
           ...)
{
  va_list          args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_string_append_printf (out, "- %s\n", text);
}

static void
md_title (Md         *md,
          JsonObject *report)
{
  JsonObject      *period = cc_json_get_object (report, "period");
  g_autofree char *start = md_time (md, cc_json_get_string (period, "start"));
  g_autofree char *end = md_time (md, cc_json_get_string (period, "end"));
  g_autofree char *at = md_time (md, cc_json_get_string (report, "at"));
  const char      *suite = cc_json_get_string (report, "suite");
  g_autofree char *title = NULL;

  /* Translators: the Markdown report's title; %s is the month, "2026-10" */
  title = g_strdup_printf (_ ("Custody Clock: breach report for %s"), or_dash (cc_json_get_string (report, "month")));
  g_string_append_printf (md->out, "# %s\n\n", title);
  md_item (md->out, _ ("Suite: %s"), suite != NULL ? suite : _ ("all suites"));
  /* Translators: %1$s and %2$s are the month's first and last instants, %3$s the time zone ("Europe/London") */
  md_item (md->out, _ ("Children who arrived from %1$s up to %2$s (%3$s)"), start, end,
           or_dash (cc_json_get_string (report, "timezone")));
  /* Translators: %s is the instant the figures were taken at */
  md_item (md->out, _ ("Every figure as it stood at %s"), at);
  if (cc_json_get_string (report, "generated_at") != NULL)
    {
      g_autofree char *generated = md_time (md, cc_json_get_string (report, "generated_at"));

      md_item (md->out, _ ("Generated at %s"), generated);
    }
  md_item (md->out, "%s", _ ("Child references only: no name or date of birth appears in this report."));
}

/* An all-suites report's figures split by suite, as in the HTML (all
 * columns left-aligned: md_header() sets only trailing columns right). */
static void
md_suites (Md        *md,
           JsonArray *suites)
{
  if (suites == NULL || json_array_get_length (suites) == 0)
    return;
  g_string_append_printf (md->out, "\n### %s\n", _ ("By suite"));
  md_header (md->out, 0, _ ("Suite"), _ ("Children"), _ ("Detentions"), _ ("Breaches"),
             _ ("Breaches by clock or rule"), NULL);
  for (guint i = 0; i < json_array_get_length (suites); i++)
    {
      JsonObject *o = json_array_get_object_element (suites, i);
      JsonObject *rules = cc_json_get_object (o, "rules");
      g_autoptr (GList) names = rules != NULL ? json_object_get_members (rules) : NULL;
      g_autoptr (GString) duties = g_string_new (NULL);
      g_autofree char *children = md_count (o, "children");
      g_autofree char *detentions = md_count (o, "detentions");
      g_autofree char *breaches = md_count (o, "breaches");

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *n = md_count (rules, l->data);

          if (duties->len > 0)
            /* Translators: between the duties of a suite's breaches ("Cell visit 12, Review 1") */
            g_string_append (duties, _ (", "));
          /* Translators: a duty and its breaches in a suite ("Cell visit 12") */
          g_string_append_printf (duties, _ ("%1$s %2$s"), cc_breach_rule_display_name (l->data), n);
        }
      md_row (md->out, or_dash (cc_json_get_string (o, "suite")), children, detentions, breaches,
              duties->len > 0 ? duties->str : "—", NULL);
    }
}

static void
md_summary (Md         *md,
            JsonObject *report)
{
  JsonObject *s = cc_json_get_object (report, "summary");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Summary"));
  md_header (md->out, 1, _ ("Measure"), _ ("Value"), NULL);
  md_count_row (md->out, _ ("Children detained"), s, "children");
  md_count_row (md->out, _ ("Detentions"), s, "detentions");
  md_count_row (md->out, _ ("Still in custody"), s, "still_in_custody");
  md_stat_row (md->out, _ ("Time in custody"), s, "custody_seconds");
  md_count_row (md->out, _ ("Held overnight"), s, "overnight");
  md_count_row (md->out, _ ("Held overnight after bail refusal"), s, "overnight_post_charge");
  md_count_row (md->out, _ ("Charged"), s, "charged");
  md_count_row (md->out, _ ("Refused bail"), s, "bail_refused");
  /* Translators: the label of the definition of "held overnight" under the summary */
  g_string_append_printf (md->out, "\n*%s*: %s\n", C_ ("definition", "Overnight"),
                          or_dash (md_definition (report, "summary.overnight")));
  if (cc_json_get_string (report, "suite") == NULL)
    md_suites (md, cc_json_get_array (report, "suites"));
}

static void
md_headline (Md         *md,
             JsonObject *report)
{
  JsonObject      *h = cc_json_get_object (report, "headline");
  JsonArray       *bins = cc_json_get_array (h, "aa_arrival_bins");
  g_autofree char *share = md_share (h, "healthcare_share");
  g_autofree char *seen = md_count (h, "healthcare_seen");
  g_autofree char *of = md_count (h, "healthcare_of");
  /* Translators: "83.3 % (5 of 6)": the share, then how many detentions of how many */
  g_autofree char *seen_of = g_strdup_printf (_ ("%1$s (%2$s of %3$s)"), share, seen, of);

  g_string_append_printf (md->out, "\n## %s\n", _ ("Headline measures"));
  md_header (md->out, 1, _ ("Measure"), _ ("Value"), NULL);
  md_stat_row (md->out, _ ("Detention authorised to appropriate adult's arrival"), h, "aa_arrival_seconds");
  md_count_row (md->out, _ ("Appropriate adult never arrived"), h, "aa_never_arrived");
  md_row (md->out, _ ("Seen by a healthcare professional"), seen_of, NULL);
  md_stat_row (md->out, _ ("Detention authorised to healthcare professional"), h, "healthcare_seconds");
  md_stat_row (md->out, _ ("In police custody after bail refusal"), h, "post_charge_seconds");

  g_string_append_printf (md->out, "\n%s\n", _ ("Appropriate adult arrival times:"));
  md_header (md->out, 1, _ ("Time from detention authorised"), _ ("Detentions"), NULL);
  for (guint i = 0; bins != NULL && i < json_array_get_length (bins); i++)
    {
      JsonObject *bin = json_array_get_object_element (bins, i);
      md_count_row (md->out, or_dash (cc_json_get_string (bin, "label")), bin, "count");
    }
}

static void
md_clocks (Md         *md,
           JsonObject *report)
{
  JsonObject *clocks = cc_json_get_object (report, "clocks");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Per clock"));
  g_string_append_printf (md->out, "\n%s\n", _ ("Reviews, cell visits and rest count occurrences; the other clocks count detentions."));
  md_header (md->out, 9, _ ("Clock"), _ ("Started"), _ ("Met"), _ ("Met late"), _ ("Breached"), _ ("Ended"),
             _ ("Running"), _ ("Breaches"), _ ("Median to do"), _ ("90th percentile"), NULL);
  for (int c = 0; c < CC_N_CLOCKS; c++)
    {
      JsonObject      *o = cc_json_get_object (clocks, cc_clock_to_string (c));
      JsonObject      *stat = cc_json_get_object (o, "seconds_to_satisfy");
      g_autofree char *name = g_strdup_printf ("%s (`%s`)", cc_clock_display_name (c), cc_clock_to_string (c));
      g_autofree char *started = md_count (o, "started");
      g_autofree char *met = md_count (o, "met");
      g_autofree char *late = md_count (o, "met_late");
      g_autofree char *breached = md_count (o, "breached");
      g_autofree char *ended = md_count (o, "ended");
      g_autofree char *running = md_count (o, "running");
      g_autofree char *breaches = md_count (o, "breaches");
      g_autofree char *median = md_duration (stat != NULL ? json_object_get_member (stat, "median") : NULL);
      g_autofree char *p90 = md_duration (stat != NULL ? json_object_get_member (stat, "p90") : NULL);

      md_row (md->out, name, started, met, late, breached, ended, running, breaches, median, p90, NULL);
    }
}

static void
md_post_charge (Md         *md,
                JsonObject *report)
{
  JsonObject *pc = cc_json_get_object (report, "post_charge");
  JsonObject *responses = cc_json_get_object (pc, "responses");
  JsonArray  *children = cc_json_get_array (pc, "children");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Post-charge (Concordat principle 7)"));
  md_header (md->out, 1, _ ("Measure"), _ ("Value"), NULL);
  md_count_row (md->out, _ ("Refused bail"), pc, "bail_refused");
  md_count_row (md->out, _ ("Secure accommodation requested"), pc, "requested_secure");
  md_count_row (md->out, _ ("Other accommodation requested"), pc, "requested_non_secure");
  md_count_row (md->out, _ ("Local authority accepted"), responses, "accepted");
  md_count_row (md->out, _ ("Local authority refused"), responses, "refused");
  md_count_row (md->out, _ ("Local authority had no bed"), responses, "no_bed");
  md_count_row (md->out, _ ("Local authority did not respond"), responses, "no_response");
  md_count_row (md->out, _ ("Transferred to local-authority accommodation"), pc, "transferred");
  md_count_row (md->out, _ ("s.38(7) certificates"), pc, "certificates");
  md_count_row (md->out, _ ("Went to court from a cell with no certificate"), pc, "court_without_certificate");

  if (children == NULL || json_array_get_length (children) == 0)
    return;
  g_string_append_printf (md->out, "\n%s\n", _ ("Time in police custody after bail refusal, per child:"));
  md_header (md->out, 1, _ ("Custody record"), _ ("Suite"), _ ("Bail refused"), _ ("Outcome"), _ ("Time after bail refusal"),
             NULL);
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject      *o = json_array_get_object_element (children, i);
      g_autofree char *refused = md_time (md, cc_json_get_string (o, "bail_refused_at"));
      g_autofree char *seconds = md_duration (json_object_get_member (o, "seconds"));

      md_row (md->out, or_dash (cc_json_get_string (o, "record_id")), or_dash (cc_json_get_string (o, "suite")), refused,
              or_dash (cc_report_outcome_display_name (cc_json_get_string (o, "outcome"))), seconds, NULL);
    }
}

static void
md_rules (Md         *md,
          JsonObject *report)
{
  JsonObject *rules = cc_json_get_object (report, "rules");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Instant rules"));
  md_header (md->out, 1, _ ("Rule"), _ ("Breaches"), NULL);
  for (int r = 0; r < CC_N_RULES; r++)
    {
      g_autofree char *name = g_strdup_printf ("%s (`%s`)", cc_rule_display_name (r), cc_rule_to_string (r));
      md_count_row (md->out, name, rules, cc_rule_to_string (r));
    }
  g_string_append_printf (md->out, "\n%s\n", _ ("The cases are listed under Cases."));
}

static void
md_escalations (Md         *md,
                JsonObject *report)
{
  JsonObject *e = cc_json_get_object (report, "escalations");
  JsonObject *by_level = cc_json_get_object (e, "by_level");
  JsonObject *resolutions = cc_json_get_object (e, "resolutions");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Escalations"));
  md_header (md->out, 1, _ ("Measure"), _ ("Value"), NULL);
  md_count_row (md->out, _ ("Escalation records written"), e, "raised");
  md_count_row (md->out, _ ("… to a sergeant"), by_level, "sergeant");
  md_count_row (md->out, _ ("… to an inspector"), by_level, "inspector");
  md_count_row (md->out, _ ("… to a superintendent"), by_level, "superintendent");
  md_count_row (md->out, _ ("Acknowledged"), e, "acknowledged");
  md_stat_row (md->out, _ ("Time to acknowledge"), e, "ack_seconds");
  md_count_row (md->out, _ ("Breaches that climbed past their first level"), e, "climbed");
  for (CcResolution r = CC_RESOLUTION_FIRST; r <= CC_RESOLUTION_LAST; r++)
    {
      g_autofree char *label = cc_report_format_resolution (cc_resolution_to_string (r));
      md_count_row (md->out, label, resolutions, cc_resolution_to_string (r));
    }
  md_count_row (md->out, _ ("Open"), resolutions, "open");
  md_count_row (md->out, _ ("Written late"), e, "late_written");
  md_stat_row (md->out, _ ("Breach to first escalation record (the monitor's delay)"), e, "write_delay_seconds");
}

static void
md_weeks (Md         *md,
          JsonObject *report)
{
  JsonArray *weeks = cc_json_get_array (report, "breaches_by_week");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Breaches by week"));
  md_header (md->out, 1, _ ("Week beginning"), _ ("By rule"), _ ("Total"), NULL);
  for (guint i = 0; weeks != NULL && i < json_array_get_length (weeks); i++)
    {
      JsonObject *w = json_array_get_object_element (weeks, i);
      JsonObject *rules = cc_json_get_object (w, "rules");
      g_autoptr (GList) names = rules != NULL ? json_object_get_members (rules) : NULL;
      g_autoptr (GString) by_rule = g_string_new (NULL);
      g_autofree char *total = md_count (w, "total");

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *n = md_count (rules, l->data);
          g_string_append_printf (by_rule, "%s%s %s", by_rule->len > 0 ? ", " : "", (const char *) l->data, n);
        }
      md_row (md->out, or_dash (cc_json_get_string (w, "week")), by_rule->len > 0 ? by_rule->str : "—", total, NULL);
    }
}

/* One row per child and clock or rule, as in the HTML (docs/REPORT.md). */
static void
md_case_groups (Md        *md,
                JsonArray *groups)
{
  md_header (md->out, 0, _ ("Custody record"), _ ("Suite"), _ ("Rule"), _ ("Breaches"), _ ("First breach"),
             _ ("Worst lateness"), _ ("Never met"), _ ("Escalated to"), _ ("Acknowledged"), NULL);
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject      *o = json_array_get_object_element (groups, i);
      g_autofree char *n = md_count (o, "breaches");
      g_autofree char *first = md_time (md, cc_json_get_string (o, "first_at"));
      g_autofree char *worst = md_duration (json_object_get_member (o, "worst_late_seconds"));
      g_autofree char *never = md_count (o, "never_met");
      g_autofree char *acked = md_count (o, "acknowledged");

      md_row (md->out, or_dash (cc_json_get_string (o, "record_id")), or_dash (cc_json_get_string (o, "suite")),
              or_dash (cc_json_get_string (o, "rule")), n, first, worst, never,
              or_dash (cc_report_format_level (cc_json_get_string (o, "escalated_to"))), acked, NULL);
    }
}

static void
md_cases (Md         *md,
          JsonObject *report)
{
  JsonArray *cases = cc_json_get_array (report, "cases");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Cases"));
  if (cases == NULL || json_array_get_length (cases) == 0)
    {
      g_string_append_printf (md->out, "\n%s\n", _ ("No breaches."));
      return;
    }
  if (cc_json_get_array (report, "case_groups") != NULL)
    {
      md_case_groups (md, cc_json_get_array (report, "case_groups"));
      return;
    }
  md_header (md->out, 0, _ ("Custody record"), _ ("Suite"), _ ("Rule"), _ ("When"), _ ("How late"), _ ("Escalated to"),
             _ ("Acknowledged by"), _ ("Acknowledged at"), NULL);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject      *o = json_array_get_object_element (cases, i);
      g_autofree char *rule = NULL;
      g_autofree char *when = md_time (md, cc_json_get_string (o, "at"));
      g_autofree char *late = md_duration (json_object_get_member (o, "late_seconds"));
      g_autofree char *how_late = NULL;
      g_autofree char *acked = md_time (md, cc_json_get_string (o, "acknowledged_at"));
      gint64           occurrence = 1;
      JsonNode        *satisfied = json_object_get_member (o, "satisfied");

      cc_json_get_int (o, "occurrence", &occurrence);
      rule = occurrence > 1 ? g_strdup_printf ("%s #%" G_GINT64_FORMAT, cc_json_get_string (o, "rule"), occurrence)
                            : g_strdup (cc_json_get_string (o, "rule"));
      if (json_node_get_value_type (json_object_get_member (o, "late_seconds")) != G_TYPE_INT64)
        how_late = g_strdup ("—");
      else if (satisfied != NULL && json_node_get_boolean (satisfied))
        /* Translators: how late a breached duty was: %s is a duration ("2 h 30 min"); the duty was done after all */
        how_late = g_strdup_printf (_ ("%s, then done"), late);
      else
        /* Translators: how late a breached duty was: %s is a duration; the duty was never done */
        how_late = g_strdup_printf (_ ("%s, never done"), late);
      md_row (md->out, or_dash (cc_json_get_string (o, "record_id")), or_dash (cc_json_get_string (o, "suite")), or_dash (rule), when,
              how_late, or_dash (cc_report_format_level (cc_json_get_string (o, "escalated_to"))), or_dash (cc_json_get_string (o, "acknowledged_by")),
              acked, NULL);
    }
}

static void
md_data_quality (Md         *md,
                 JsonObject *report)
{
  JsonObject *q = cc_json_get_object (report, "data_quality");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Data quality"));
  md_header (md->out, 1, _ ("Measure"), _ ("Value"), NULL);
  md_count_row (md->out, _ ("Late entries"), q, "late_entries");
  md_count_row (md->out, _ ("Corrections"), q, "corrections");
  md_count_row (md->out, _ ("… of which voids"), q, "voids");
  md_count_row (md->out, _ ("Quarantined input"), q, "quarantined");
  md_count_row (md->out, _ ("Age unknown"), q, "age_unknown");
  md_count_row (md->out, _ ("No detention authorised time"), q, "missing_authorisation");
  md_count_row (md->out, _ ("Cell visits without the child's voice recorded"), q, "cell_visits_without_voice");
  md_count_row (md->out, _ ("Entries after the child left custody"), q, "events_after_close");
  md_count_row (md->out, _ ("Hospital departures with no return between"), q, "hospital_left_twice");
  md_count_row (md->out, _ ("Rests started while a rest was running"), q, "rest_started_twice");
}

static void
md_trend (Md         *md,
          JsonObject *report)
{
  JsonArray *trend = cc_json_get_array (report, "trend");

  g_string_append_printf (md->out, "\n## %s\n", _ ("Trend: the last 12 months"));
  md_header (md->out, 5, _ ("Month"), _ ("Detentions"), _ ("AA arrival, median"), _ ("Seen by healthcare"),
             _ ("After bail refusal, median"), _ ("Breaches"), NULL);
  for (guint i = 0; trend != NULL && i < json_array_get_length (trend); i++)
    {
      JsonObject      *o = json_array_get_object_element (trend, i);
      g_autofree char *detentions = md_count (o, "detentions");
      g_autofree char *aa = md_duration (json_object_get_member (o, "aa_arrival_median"));
      g_autofree char *share = md_share (o, "healthcare_share");
      g_autofree char *pc = md_duration (json_object_get_member (o, "post_charge_median"));
      g_autofree char *breaches = md_count (o, "breaches");

      md_row (md->out, or_dash (cc_json_get_string (o, "month")), detentions, aa, share, pc, breaches, NULL);
    }
}

static void
md_definitions (Md         *md,
                JsonObject *report)
{
  JsonArray  *definitions = cc_json_get_array (report, "definitions");
  const char *policy = cc_json_get_string (report, "policy");

  g_string_append_printf (md->out, "\n## %s\n\n", _ ("Definitions"));
  for (guint i = 0; definitions != NULL && i < json_array_get_length (definitions); i++)
    {
      JsonObject *d = json_array_get_object_element (definitions, i);
      const char *term = cc_json_get_string (d, "term");

      /* The words on the page, as in the HTML; measure names only for a
       * report made before definitions had terms. */
      g_string_append_printf (md->out, "- **%s**: %s\n", term != NULL ? term : cc_json_get_string (d, "measure"),
                              cc_json_get_string (d, "text"));
    }
  g_string_append_printf (md->out, "\n### %s\n\n```ini\n%s%s```\n", _ ("Policy in force"), policy != NULL ? policy : "",
                          policy != NULL && g_str_has_suffix (policy, "\n") ? "" : "\n");
}

/**
 * cc_report_render_md:
 * @report: what cc_report_build() made
 *
 * Returns: (transfer full): the report as Markdown
 */
char *
cc_report_render_md (JsonObject *report)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GTimeZone) tz = cc_time_zone_new (cc_json_get_string (report, "timezone"), NULL);
  Md md = { out, NULL };

  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  md.tz = tz;
  md_title (&md, report);
  md_summary (&md, report);
  md_headline (&md, report);
  md_clocks (&md, report);
  md_post_charge (&md, report);
  md_rules (&md, report);
  md_escalations (&md, report);
  md_weeks (&md, report);
  md_cases (&md, report);
  md_data_quality (&md, report);
  md_trend (&md, report);
  md_definitions (&md, report);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
