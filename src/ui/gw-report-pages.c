/* gw-report-pages.c — the report's pages: text, page breaks, title, headline, tables */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "gw-labels.h"
#include "gw-league-table.h"
#include "gw-report-private.h"

/* A family list: the CJK face first so Han characters never fall back to another
 * font's shapes (Japanese forms of 们, 处, 门 would look wrong to a Chinese reader). */
#define FONT_FAMILY "Noto Sans CJK SC, Noto Sans, sans-serif"
#define BODY_BOTTOM (GW_REPORT_PAGE_HEIGHT - GW_REPORT_MARGIN - GW_REPORT_FOOTER)

/* ---- text -------------------------------------------------------------------------- */

void
gw_report_set_color (cairo_t *cr,
                     guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

static PangoLayout *
make_layout (GwReportPen       *pen,
             double             width,
             const char        *text,
             double             size,
             GwReportTextFlags  flags,
             GwReportAlign      align)
{
  PangoLayout *layout = pango_layout_new (pen->pango);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (desc, flags & GW_REPORT_TEXT_BOLD ? PANGO_WEIGHT_BOLD
                                                                       : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (flags & GW_REPORT_TEXT_NUMERIC)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  if (flags & GW_REPORT_TEXT_WRAP)
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  else
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align == GW_REPORT_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT :
                                      align == GW_REPORT_ALIGN_CENTER ? PANGO_ALIGN_CENTER :
                                      PANGO_ALIGN_LEFT);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int h;

  pango_layout_get_size (layout, NULL, &h);
  return (double) h / PANGO_SCALE;
}

double
gw_report_text (GwReportPen       *pen,
                double             x,
                double             y,
                double             width,
                const char        *text,
                double             size,
                GwReportTextFlags  flags,
                GwReportAlign      align,
                guint32            rgb)
{
  g_autoptr(PangoLayout) layout = make_layout (pen, width, text, size, flags, align);

  cairo_move_to (pen->cr, x, y);
  gw_report_set_color (pen->cr, rgb);
  pango_cairo_show_layout (pen->cr, layout);
  return layout_height (layout);
}

static double
measure (GwReportPen       *pen,
         double             width,
         const char        *text,
         double             size,
         GwReportTextFlags  flags)
{
  g_autoptr(PangoLayout) layout = make_layout (pen, width, text, size, flags,
                                               GW_REPORT_ALIGN_LEFT);
  return layout_height (layout);
}

char *
gw_report_format_time (GwTime t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == GW_TIME_NONE)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

const char *
gw_report_row_label (GwReportJob *job,
                     guint        row)
{
  const char *key = gw_metrics_result_get_key (job->result, row);

  if (g_strcmp0 (key, GW_METRICS_UNASSIGNED) == 0)
    return _("(unassigned)");
  if (g_strcmp0 (key, GW_METRICS_TOTAL) == 0)
    return _("All");
  return gw_metrics_result_get_label (job->result, row);
}

static const char *
report_name (void)
{
  return _("Department response report");
}

/* ---- pages ------------------------------------------------------------------------- */

static char *
range_text (GwReportJob *job)
{
  g_autofree char *from = gw_report_format_time (job->query.from);
  g_autofree char *to = gw_report_format_time (job->query.to);
  g_autoptr(GDateTime) here = g_date_time_new_now_local ();
  g_autofree char *zone = g_date_time_format (here, "UTC%:z");

  if (job->query.from == GW_TIME_NONE && job->query.to == GW_TIME_NONE)
    return g_strdup_printf (_("All cases received (%s)"), zone);
  if (job->query.from == GW_TIME_NONE)
    return g_strdup_printf (_("Cases received before %s (%s)"), to, zone);
  if (job->query.to == GW_TIME_NONE)
    return g_strdup_printf (_("Cases received from %s (%s)"), from, zone);
  return g_strdup_printf (_("Cases received %s – %s (%s)"), from, to, zone);
}

static void
draw_footer (GwReportPen *pen)
{
  g_autofree char *now = gw_report_format_time (pen->job->query.now);
  g_autofree char *left = g_strdup_printf (_("Gridwatch · %s · as of %s"), pen->job->street, now);
  g_autofree char *right = pen->n_pages > 0 ? g_strdup_printf ("%u / %u", pen->page, pen->n_pages)
                                            : g_strdup_printf ("%u", pen->page);
  double y = GW_REPORT_PAGE_HEIGHT - GW_REPORT_MARGIN - 10;

  gw_report_set_color (pen->cr, GW_REPORT_LINE);
  cairo_set_line_width (pen->cr, 0.5);
  cairo_move_to (pen->cr, GW_REPORT_MARGIN, y - 4);
  cairo_line_to (pen->cr, GW_REPORT_PAGE_WIDTH - GW_REPORT_MARGIN, y - 4);
  cairo_stroke (pen->cr);
  gw_report_text (pen, GW_REPORT_MARGIN, y, GW_REPORT_BODY_WIDTH - 60, left, 7, 0,
                  GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
  gw_report_text (pen, GW_REPORT_PAGE_WIDTH - GW_REPORT_MARGIN - 60, y, 60, right, 7,
                  GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_RIGHT, GW_REPORT_GREY);
}

static void
new_page (GwReportPen *pen)
{
  if (pen->page > 0)
    {
      draw_footer (pen);
      cairo_show_page (pen->cr);
    }
  pen->page++;
  pen->y = GW_REPORT_MARGIN;
  if (pen->page > 1)
    {
      /* A running head, so a loose page still says what it belongs to. */
      g_autofree char *head = g_strdup_printf ("%s — %s", pen->job->street, report_name ());

      gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, head, 7, 0,
                      GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
      pen->y += 16;
    }
}

void
gw_report_pen_init (GwReportPen     *pen,
                    GwReportJob     *job,
                    cairo_surface_t *surface,
                    guint            n_pages)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  pen->job = job;
  pen->cr = cairo_create (surface);
  pen->font_map = pango_cairo_font_map_new ();
  pen->pango = pango_font_map_create_context (pen->font_map);
  pango_context_set_language (pen->pango, pango_language_from_string ("zh-cn"));
  pango_cairo_context_set_resolution (pen->pango, 72.0);  /* font sizes in points = units */
  /* Print: no hinting, metrics as designed. */
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pen->pango, options);
  cairo_font_options_destroy (options);
  pango_cairo_update_context (pen->cr, pen->pango);
  pen->n_pages = n_pages;
  pen->page = 0;
  new_page (pen);
}

void
gw_report_pen_finish (GwReportPen *pen)
{
  draw_footer (pen);
  cairo_show_page (pen->cr);
  g_clear_object (&pen->pango);
  g_clear_object (&pen->font_map);
  g_clear_pointer (&pen->cr, cairo_destroy);
}

gboolean
gw_report_pen_need (GwReportPen *pen,
                    double       height)
{
  if (pen->y + height <= BODY_BOTTOM)
    return FALSE;
  new_page (pen);
  return TRUE;
}

void
gw_report_heading (GwReportPen *pen,
                   const char  *text,
                   double       keep)
{
  double h = measure (pen, GW_REPORT_BODY_WIDTH, text, 11, GW_REPORT_TEXT_BOLD);

  gw_report_pen_need (pen, 14 + h + 6 + keep);
  if (pen->y > GW_REPORT_MARGIN + 20)
    pen->y += 14;
  gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, text, 11,
                  GW_REPORT_TEXT_BOLD, GW_REPORT_ALIGN_LEFT, GW_REPORT_INK);
  pen->y += h + 6;
}

/* ---- title and headline ------------------------------------------------------------ */

void
gw_report_draw_title (GwReportPen *pen)
{
  GwReportJob *job = pen->job;
  cairo_t *cr = pen->cr;
  g_autofree char *range = range_text (job);
  g_autofree char *now = gw_report_format_time (job->query.now);
  g_autofree char *meta = NULL;
  const char *by;

  switch (job->query.by)
    {
    case GW_METRICS_BY_CELL:      by = _("grouped by cell"); break;
    case GW_METRICS_BY_COMMUNITY: by = _("grouped by community"); break;
    case GW_METRICS_BY_CLASS:     by = _("grouped by class"); break;
    case GW_METRICS_BY_DEPARTMENT:
    case GW_METRICS_BY_NONE:
    case GW_N_METRICS_BY:
    default:                      by = _("grouped by department"); break;
    }
  meta = g_strdup_printf (_("Figures as of %s · %s · generated by Gridwatch"), now, by);

  gw_report_set_color (cr, GW_REPORT_BLUE);
  cairo_rectangle (cr, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, 4);
  cairo_fill (cr);
  pen->y += 12;
  pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, job->street,
                            20, GW_REPORT_TEXT_BOLD | GW_REPORT_TEXT_WRAP, GW_REPORT_ALIGN_LEFT,
                            GW_REPORT_INK);
  pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, report_name (),
                            14, 0, GW_REPORT_ALIGN_LEFT, GW_REPORT_INK) + 6;
  pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, range, 9,
                            GW_REPORT_TEXT_WRAP, GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
  pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, meta, 9,
                            GW_REPORT_TEXT_WRAP, GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
  pen->y += 14;
}

void
gw_report_draw_headline (GwReportPen *pen)
{
  static const struct { GwMetricsColumn column; const char *label; } cards[] = {
    { GW_METRICS_COL_CASES,                N_("Received") },
    { GW_METRICS_COL_CLOSED,               N_("Closed") },
    { GW_METRICS_COL_CLOSURE_RATE,         N_("Closure rate") },
    { GW_METRICS_COL_ON_TIME_CLOSURE_RATE, N_("On-time closure rate") },
    { GW_METRICS_COL_LATE_NOW,             N_("Late now") },
    { GW_METRICS_COL_SCORE,                N_("Composite score") },
  };
  const double gap = 8, height = 58;
  const double width = (GW_REPORT_BODY_WIDTH - gap * (G_N_ELEMENTS (cards) - 1)) / G_N_ELEMENTS (cards);
  GwReportJob *job = pen->job;

  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      double x = GW_REPORT_MARGIN + i * (width + gap);
      double value = gw_metrics_result_get (job->result, job->total_row, cards[i].column);
      g_autofree char *text = gw_metrics_format_value (cards[i].column, value);
      guint32 ink = GW_REPORT_INK;

      if (cards[i].column == GW_METRICS_COL_LATE_NOW && value > 0)
        ink = GW_REPORT_RED;
      gw_report_set_color (pen->cr, GW_REPORT_STRIPE);
      cairo_rectangle (pen->cr, x, pen->y, width, height);
      cairo_fill (pen->cr);
      gw_report_set_color (pen->cr, cards[i].column == GW_METRICS_COL_LATE_NOW && value > 0
                                    ? GW_REPORT_RED : GW_REPORT_BLUE);
      cairo_rectangle (pen->cr, x, pen->y, 3, height);
      cairo_fill (pen->cr);
      /* Value first, then its label: text extraction reads them in that order. */
      gw_report_text (pen, x + 4, pen->y + 8, width - 8, text, 17,
                      GW_REPORT_TEXT_BOLD | GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_CENTER, ink);
      gw_report_text (pen, x + 4, pen->y + 34, width - 8, _(cards[i].label), 8,
                      GW_REPORT_TEXT_WRAP, GW_REPORT_ALIGN_CENTER, GW_REPORT_GREY);
    }
  pen->y += height;
}

/* ---- tables ------------------------------------------------------------------------ */

typedef struct {
  const char     *title;   /* translatable */
  double          width;   /* 0: takes what is left */
  GwReportAlign   align;
} TableColumn;

static void
fit_widths (const TableColumn *columns,
            guint              n,
            double            *widths)
{
  double fixed = 0;

  for (guint i = 0; i < n; i++)
    fixed += columns[i].width;
  for (guint i = 0; i < n; i++)
    widths[i] = columns[i].width > 0 ? columns[i].width : GW_REPORT_BODY_WIDTH - fixed;
}

#define CELL_PAD 3.0
#define ROW_HEIGHT 13.0
#define TABLE_SIZE 7.5

static double
table_header_height (GwReportPen       *pen,
                     const TableColumn *columns,
                     const double      *widths,
                     guint              n)
{
  double h = 0;

  for (guint i = 0; i < n; i++)
    h = MAX (h, measure (pen, widths[i] - 2 * CELL_PAD, _(columns[i].title), 7,
                         GW_REPORT_TEXT_BOLD | GW_REPORT_TEXT_WRAP));
  return h + 6;
}

static void
draw_table_header (GwReportPen       *pen,
                   const TableColumn *columns,
                   const double      *widths,
                   guint              n)
{
  double h = table_header_height (pen, columns, widths, n);
  double x = GW_REPORT_MARGIN;

  gw_report_pen_need (pen, h + 2 * ROW_HEIGHT);
  for (guint i = 0; i < n; i++)
    {
      double th = measure (pen, widths[i] - 2 * CELL_PAD, _(columns[i].title), 7,
                           GW_REPORT_TEXT_BOLD | GW_REPORT_TEXT_WRAP);

      /* Bottom-aligned, like a spreadsheet's wrapped header. */
      gw_report_text (pen, x + CELL_PAD, pen->y + h - 3 - th, widths[i] - 2 * CELL_PAD,
                      _(columns[i].title), 7, GW_REPORT_TEXT_BOLD | GW_REPORT_TEXT_WRAP,
                      columns[i].align, GW_REPORT_GREY);
      x += widths[i];
    }
  pen->y += h;
  gw_report_set_color (pen->cr, GW_REPORT_INK);
  cairo_set_line_width (pen->cr, 0.8);
  cairo_move_to (pen->cr, GW_REPORT_MARGIN, pen->y);
  cairo_line_to (pen->cr, GW_REPORT_MARGIN + GW_REPORT_BODY_WIDTH, pen->y);
  cairo_stroke (pen->cr);
}

/* One row; a page break repeats the header first. */
static void
draw_table_row (GwReportPen       *pen,
                const TableColumn *columns,
                const double      *widths,
                guint              n,
                char             **cells,
                guint              index,
                gboolean           bold,
                const guint32     *inks)
{
  double x = GW_REPORT_MARGIN;

  if (gw_report_pen_need (pen, ROW_HEIGHT))
    draw_table_header (pen, columns, widths, n);
  if (index % 2 == 1)
    {
      gw_report_set_color (pen->cr, GW_REPORT_STRIPE);
      cairo_rectangle (pen->cr, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, ROW_HEIGHT);
      cairo_fill (pen->cr);
    }
  for (guint i = 0; i < n; i++)
    {
      GwReportTextFlags flags = (bold ? GW_REPORT_TEXT_BOLD : 0) |
                                (columns[i].align == GW_REPORT_ALIGN_RIGHT ? GW_REPORT_TEXT_NUMERIC : 0);

      gw_report_text (pen, x + CELL_PAD, pen->y + 2, widths[i] - 2 * CELL_PAD, cells[i],
                      TABLE_SIZE, flags, columns[i].align, inks ? inks[i] : GW_REPORT_INK);
      x += widths[i];
    }
  pen->y += ROW_HEIGHT;
}

#define MEDIAN_CLOSED \
  (GW_METRICS_COL_DUR_FIRST + 4 * GW_METRICS_DUR_RECEIVED_CLOSED + GW_METRICS_DUR_MEDIAN)

static const GwMetricsColumn league_metrics[] = {
  GW_METRICS_COL_CASES,
  GW_METRICS_COL_CLOSED,
  GW_METRICS_COL_LATE_NOW,
  GW_METRICS_COL_CLOSURE_RATE,
  GW_METRICS_COL_ON_TIME_CLOSURE_RATE,
  GW_METRICS_COL_ON_TIME_HANDLING_RATE,
  GW_METRICS_COL_REWORK_RATE,
  GW_METRICS_COL_EXTENSION_RATE,
  MEDIAN_CLOSED,
  GW_METRICS_COL_SCORE,
};

static const TableColumn league_columns[] = {
  { N_("Rank"), 24, GW_REPORT_ALIGN_RIGHT },
  { N_("Name"), 0, GW_REPORT_ALIGN_LEFT },
  { N_("Received"), 40, GW_REPORT_ALIGN_RIGHT },
  { N_("Closed"), 34, GW_REPORT_ALIGN_RIGHT },
  { N_("Late now"), 32, GW_REPORT_ALIGN_RIGHT },
  { N_("Closure rate"), 42, GW_REPORT_ALIGN_RIGHT },
  { N_("On-time closure rate"), 44, GW_REPORT_ALIGN_RIGHT },
  { N_("On-time handling rate"), 46, GW_REPORT_ALIGN_RIGHT },
  { N_("Rework rate"), 40, GW_REPORT_ALIGN_RIGHT },
  { N_("Extension rate"), 42, GW_REPORT_ALIGN_RIGHT },
  { N_("Median to close"), 54, GW_REPORT_ALIGN_RIGHT },
  { N_("Score"), 36, GW_REPORT_ALIGN_RIGHT },
};

G_STATIC_ASSERT (G_N_ELEMENTS (league_columns) == G_N_ELEMENTS (league_metrics) + 2);

static void
league_row (GwReportPen *pen,
            const double *widths,
            guint         row,
            int           rank,
            guint         index,
            gboolean      total)
{
  GwReportJob *job = pen->job;
  char *cells[G_N_ELEMENTS (league_columns)];
  guint32 inks[G_N_ELEMENTS (league_columns)];

  cells[0] = rank > 0 ? g_strdup_printf ("%d", rank) : g_strdup ("");
  cells[1] = g_strdup (gw_report_row_label (job, row));
  for (guint i = 0; i < G_N_ELEMENTS (league_columns); i++)
    inks[i] = GW_REPORT_INK;
  for (guint m = 0; m < G_N_ELEMENTS (league_metrics); m++)
    {
      double value = gw_metrics_result_get (job->result, row, league_metrics[m]);

      cells[m + 2] = gw_metrics_format_value (league_metrics[m], value);
      if (league_metrics[m] == GW_METRICS_COL_LATE_NOW && value > 0)
        inks[m + 2] = GW_REPORT_RED;
    }
  if (total)
    {
      gw_report_set_color (pen->cr, GW_REPORT_INK);
      cairo_set_line_width (pen->cr, 0.5);
      cairo_move_to (pen->cr, GW_REPORT_MARGIN, pen->y);
      cairo_line_to (pen->cr, GW_REPORT_MARGIN + GW_REPORT_BODY_WIDTH, pen->y);
      cairo_stroke (pen->cr);
    }
  draw_table_row (pen, league_columns, widths, G_N_ELEMENTS (league_columns), cells, index,
                  total, inks);
  for (guint i = 0; i < G_N_ELEMENTS (league_columns); i++)
    g_free (cells[i]);
}

/* The definitions a reader needs, with the weights this report was computed with. */
static char *
score_note (const GwMetricsScoreWeights *w)
{
  const struct { double weight; const char *name; } parts[] = {
    { w->on_time_closure, _("on-time closure rate") },
    { w->closure, _("closure rate") },
    { w->not_reworked, _("(1 − rework rate)") },
    { w->on_time_handling, _("on-time handling rate") },
    { w->not_extended, _("(1 − extension rate)") },
    { w->hotline, _("12345 hotline score") },
  };
  g_autoptr(GString) score = g_string_new (NULL);
  double sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    sum += parts[i].weight;
  for (guint i = 0; i < G_N_ELEMENTS (parts) && sum > 0; i++)
    if (parts[i].weight != 0)
      g_string_append_printf (score, "%s%.0f %% × %s", score->len > 0 ? " + " : "",
                              100.0 * parts[i].weight / sum, parts[i].name);
  /* Translators: %s is the composite score's formula, "50 % × on-time closure rate + …". */
  return g_strdup_printf (_("Closure rate = closed ÷ due to close; on time = closed by the "
                            "deadline in force (extensions count). Score = %s. "
                            "— : nothing to measure."), score->str);
}

void
gw_report_draw_league_table (GwReportPen *pen)
{
  GwReportJob *job = pen->job;
  double widths[G_N_ELEMENTS (league_columns)];
  g_autofree char *note = NULL;

  fit_widths (league_columns, G_N_ELEMENTS (league_columns), widths);
  gw_report_heading (pen, _("League table, ranked by composite score"), 60);
  draw_table_header (pen, league_columns, widths, G_N_ELEMENTS (league_columns));
  for (guint i = 0; i < job->ranked->len; i++)
    {
      const GwReportRow *row = &g_array_index (job->ranked, GwReportRow, i);
      league_row (pen, widths, row->row, row->rank, i, FALSE);
    }
  league_row (pen, widths, job->total_row, 0, 0, TRUE);
  pen->y += 4;
  note = score_note (&job->query.score_weights);
  pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, note, 6.5,
                            GW_REPORT_TEXT_WRAP, GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
  pen->y += 6;
}

static const TableColumn late_columns[] = {
  { N_("Case"), 88, GW_REPORT_ALIGN_LEFT },
  { N_("Title"), 0, GW_REPORT_ALIGN_LEFT },
  { N_("Department"), 64, GW_REPORT_ALIGN_LEFT },
  { N_("Cell"), 88, GW_REPORT_ALIGN_LEFT },
  { N_("Deadline"), 68, GW_REPORT_ALIGN_RIGHT },
  { N_("Late by"), 52, GW_REPORT_ALIGN_RIGHT },
};

void
gw_report_draw_late_list (GwReportPen *pen)
{
  GwReportJob *job = pen->job;
  double widths[G_N_ELEMENTS (late_columns)];
  g_autofree char *heading = g_strdup_printf (_("Cases late now (%u), most overdue first"),
                                              job->late->len);

  fit_widths (late_columns, G_N_ELEMENTS (late_columns), widths);
  gw_report_heading (pen, heading, 40);
  if (job->late->len == 0)
    {
      pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH,
                                _("No case received in this range is late."), 9, 0,
                                GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
      return;
    }
  draw_table_header (pen, late_columns, widths, G_N_ELEMENTS (late_columns));
  for (guint i = 0; i < job->late->len; i++)
    {
      const GwMetricsCaseDetail *d = &g_array_index (job->late, GwMetricsCaseDetail, i);
      const GwIncident *inc = d->incident;
      const char *dept = inc->department ? g_hash_table_lookup (job->department_names,
                                                                inc->department) : NULL;
      const char *cell = inc->cell_code ? g_hash_table_lookup (job->cell_names, inc->cell_code)
                                        : NULL;
      g_autofree char *deadline = gw_report_format_time (d->deadline);
      g_autofree char *late = gw_format_duration (job->query.now - d->deadline);
      g_autofree char *cell_text = cell != NULL ? g_strdup (cell)
                                                : g_strdup (inc->cell_code ? inc->cell_code : "—");
      char *cells[] = {
        inc->id, inc->title,
        (char *) (dept != NULL ? dept : inc->department != NULL ? inc->department : "—"),
        cell_text, deadline, late,
      };
      const guint32 inks[] = {
        GW_REPORT_INK, GW_REPORT_INK, GW_REPORT_INK, GW_REPORT_INK, GW_REPORT_INK,
        job->query.now - d->deadline >= 24 * GW_USEC_PER_HOUR ? GW_REPORT_RED : GW_REPORT_ORANGE,
      };

      G_STATIC_ASSERT (G_N_ELEMENTS (cells) == G_N_ELEMENTS (late_columns));
      draw_table_row (pen, late_columns, widths, G_N_ELEMENTS (late_columns), cells, i, FALSE,
                      inks);
    }
}
