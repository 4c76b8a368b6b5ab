/* gw-trend-chart.c — day-by-day lines over the range (see the header) */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-chart.h"
#include "gw-trend-chart.h"

#define PADDING    12
#define PLOT_H     130
#define TICK_GAP   6
#define LINE_W     2.5
#define DOT_R      3.5
#define MAX_LINES  6

struct _GwTrendChart
{
  GtkWidget           parent_instance;

  GwMetricsBreakdown *breakdown;
  guint               rows[MAX_LINES];
  guint               n_lines;
  GwTrendMetric       metric;
  int                 hover_day;  /* -1: none */
};

G_DEFINE_FINAL_TYPE (GwTrendChart, gw_trend_chart, GTK_TYPE_WIDGET)

void
gw_trend_chart_get_line_color (guint    line,
                               GdkRGBA *color)
{
  /* GNOME palette: blue 3, orange 3, green 4, purple 2, brown 2, yellow 5. */
  static const guint32 palette[MAX_LINES] = {
    0x3584e4, 0xff7800, 0x2ec27e, 0x9141ac, 0x986a44, 0xe5a50a,
  };
  guint32 c = palette[line % MAX_LINES];

  *color = (GdkRGBA) { ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0, 1.0 };
}

const char *
gw_trend_metric_get_label (GwTrendMetric metric)
{
  switch (metric)
    {
    case GW_TREND_RECEIVED:     return _("Cases received");
    case GW_TREND_CLOSED:       return _("Of them closed");
    case GW_TREND_ON_TIME_RATE: return _("On-time closure rate (按期结案率)");
    case GW_N_TRENDS:
    default:                    return "";
    }
}

guint
gw_trend_chart_get_n_lines (GwTrendChart *self)
{
  g_return_val_if_fail (GW_IS_TREND_CHART (self), 0);
  return self->breakdown != NULL ? self->n_lines : 0;
}

static guint
n_days (GwTrendChart *self)
{
  return self->breakdown != NULL ? gw_metrics_breakdown_get_n_days (self->breakdown) : 0;
}

double
gw_trend_chart_get_value (GwTrendChart *self,
                          guint         line,
                          guint         day)
{
  const GwMetricsDay *d;

  g_return_val_if_fail (GW_IS_TREND_CHART (self), NAN);
  if (line >= gw_trend_chart_get_n_lines (self) || day >= n_days (self))
    return NAN;
  d = gw_metrics_breakdown_get_day (self->breakdown, self->rows[line], day);
  switch (self->metric)
    {
    case GW_TREND_RECEIVED:
      return d->cases;
    case GW_TREND_CLOSED:
      return d->closed;
    case GW_TREND_ON_TIME_RATE:
    case GW_N_TRENDS:
    default:
      return d->due_to_close > 0 ? (double) d->closed_on_time / d->due_to_close : NAN;
    }
}

static char *
format_value (GwTrendChart *self, double v)
{
  if (isnan (v))
    return g_strdup ("—");
  if (self->metric == GW_TREND_ON_TIME_RATE)
    return g_strdup_printf ("%.0f %%", 100 * v);
  return g_strdup_printf ("%.0f", v);
}

/* The top of the y axis and its tick step: 1, 2 or 5 × 10ⁿ, about four ticks. */
static void
y_scale (GwTrendChart *self, double *top, double *step)
{
  double max = 0, raw, mag;

  if (self->metric == GW_TREND_ON_TIME_RATE)
    {
      *top = 1.0;
      *step = 0.25;
      return;
    }
  for (guint l = 0; l < gw_trend_chart_get_n_lines (self); l++)
    for (guint d = 0; d < n_days (self); d++)
      {
        double v = gw_trend_chart_get_value (self, l, d);
        if (!isnan (v))
          max = MAX (max, v);
      }
  raw = MAX (max, 1.0) / 4;
  mag = pow (10, floor (log10 (raw)));
  *step = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
  *step = MAX (*step, 1.0);
  *top = ceil (MAX (max, 1.0) / *step) * *step;
}

typedef struct {
  double legend_h, axis_h;  /* the rows above and below the plot, as high as the font */
  double x0, x1, y0, y1;    /* the plot area: y1 is the baseline */
  double top, step;
} Layout;

static void
compute_layout (GwTrendChart *self, Layout *l)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autofree char *widest = NULL;
  int w, h;

  y_scale (self, &l->top, &l->step);
  widest = format_value (self, l->top);
  pango_layout_set_text (text, widest, -1);
  pango_layout_get_pixel_size (text, &w, &h);
  l->legend_h = h + 8;
  l->axis_h = h + 8;
  l->x0 = PADDING + w + TICK_GAP;
  l->x1 = MAX (l->x0 + 10, gtk_widget_get_width (GTK_WIDGET (self)) - PADDING);
  /* Half a line of room for the top tick's label. */
  l->y0 = PADDING + l->legend_h + h / 2.0;
  l->y1 = l->y0 + PLOT_H;
}

static double
day_x (GwTrendChart *self, const Layout *l, guint day)
{
  guint n = n_days (self);

  /* Points at the middle of each day's slot. */
  return l->x0 + (day + 0.5) * (l->x1 - l->x0) / MAX (n, 1u);
}

gboolean
gw_trend_chart_get_point (GwTrendChart     *self,
                          guint             line,
                          guint             day,
                          graphene_point_t *point)
{
  double v;
  Layout l;

  g_return_val_if_fail (GW_IS_TREND_CHART (self), FALSE);
  v = gw_trend_chart_get_value (self, line, day);
  if (isnan (v))
    return FALSE;
  compute_layout (self, &l);
  point->x = day_x (self, &l, day);
  point->y = l.y1 - (l.y1 - l.y0) * v / l.top;
  return TRUE;
}

static char *
line_label (GwTrendChart *self, guint line)
{
  GwMetricsResult *result = gw_metrics_breakdown_get_result (self->breakdown);
  guint row = self->rows[line];

  if (gw_metrics_result_is_total (result, row))
    return g_strdup (_("All cases"));
  if (g_strcmp0 (gw_metrics_result_get_key (result, row), GW_METRICS_UNASSIGNED) == 0)
    return g_strdup (_("(unassigned)"));
  return g_strdup (gw_metrics_result_get_label (result, row));
}

static char *
day_label (GwTrendChart *self, guint day)
{
  const GwMetricsDay *d = gw_metrics_breakdown_get_day (self->breakdown, 0, day);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (d->start / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%m-%d");
}

static void
draw_lines (GwTrendChart *self, GtkSnapshot *snapshot, const Layout *l)
{
  for (guint line = 0; line < gw_trend_chart_get_n_lines (self); line++)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (l->x0 - DOT_R, l->y0 - DOT_R,
                                                                             l->x1 - l->x0 + 2 * DOT_R,
                                                                             l->y1 - l->y0 + 2 * DOT_R));
      gboolean pen_down = FALSE;
      GdkRGBA color;

      gw_trend_chart_get_line_color (line, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, LINE_W);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint day = 0; day < n_days (self); day++)
        {
          graphene_point_t p;

          if (!gw_trend_chart_get_point (self, line, day, &p))
            {
              pen_down = FALSE;  /* an undefined day breaks the line */
              continue;
            }
          if (pen_down)
            cairo_line_to (cr, p.x, p.y);
          else
            cairo_move_to (cr, p.x, p.y);
          pen_down = TRUE;
        }
      cairo_stroke (cr);
      for (guint day = 0; day < n_days (self); day++)
        {
          graphene_point_t p;

          if (gw_trend_chart_get_point (self, line, day, &p))
            {
              cairo_arc (cr, p.x, p.y, DOT_R, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
      cairo_destroy (cr);
    }
}

static void
gw_trend_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  GwTrendChart *self = GW_TREND_CHART (widget);
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, NULL);
  GdkRGBA fg, dim, grid;
  guint days = n_days (self), label_every;
  double legend_x;
  Layout l;

  gw_chart_get_colors (widget, &fg, &dim, &grid, 0.12);
  compute_layout (self, &l);

  /* Legend: the metric, then a swatch and name per line. */
  gw_chart_draw_text (snapshot, text, gw_trend_metric_get_label (self->metric), PADDING,
                      PADDING + l.legend_h / 2.0, 0.0, &fg);
  legend_x = l.x1;
  for (int line = (int) gw_trend_chart_get_n_lines (self) - 1; line >= 0; line--)
    {
      g_autofree char *label = line_label (self, line);
      GdkRGBA color;
      int w;

      pango_layout_set_text (text, label, -1);
      pango_layout_get_pixel_size (text, &w, NULL);
      legend_x -= w;
      gw_chart_draw_text (snapshot, text, label, legend_x, PADDING + l.legend_h / 2.0, 0.0, &fg);
      gw_trend_chart_get_line_color (line, &color);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (legend_x - 20, PADDING + l.legend_h / 2.0 - 1.5, 14, 3));
      legend_x -= 20 + 16;
    }

  /* Y grid and ticks. */
  for (double v = 0; v <= l.top + l.step / 2; v += l.step)
    {
      double y = l.y1 - (l.y1 - l.y0) * v / l.top;
      g_autofree char *str = format_value (self, v);

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (l.x0, round (y), l.x1 - l.x0, 1));
      gw_chart_draw_text (snapshot, text, str, l.x0 - TICK_GAP, y, 1.0, &dim);
    }

  if (days == 0 || gw_trend_chart_get_n_lines (self) == 0)
    {
      gw_chart_draw_text (snapshot, text, _("No data for this range"), (l.x0 + l.x1) / 2, (l.y0 + l.y1) / 2,
                          0.5, &dim);
      return;
    }

  /* Dates: as many as fit, about 56 px apart. */
  label_every = MAX (1u, (guint) ceil (days * 56.0 / MAX (l.x1 - l.x0, 1.0)));
  for (guint day = 0; day < days; day += label_every)
    {
      g_autofree char *str = day_label (self, day);
      gw_chart_draw_text (snapshot, text, str, day_x (self, &l, day), l.y1 + l.axis_h / 2.0 + 2, 0.5, &dim);
    }
  if (self->hover_day >= 0 && (guint) self->hover_day < days)
    {
      double x = day_x (self, &l, self->hover_day);
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x - 0.5, l.y0, 1, l.y1 - l.y0));
    }
  draw_lines (self, snapshot, &l);
}

static void
gw_trend_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  Layout l;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 720;
      return;
    }
  compute_layout (GW_TREND_CHART (widget), &l);
  *minimum = *natural = (int) ceil (l.y1 + l.axis_h + PADDING);
}

static int
day_at (GwTrendChart *self, double x)
{
  guint days = n_days (self);
  Layout l;
  double i;

  if (days == 0)
    return -1;
  compute_layout (self, &l);
  i = floor ((x - l.x0) / ((l.x1 - l.x0) / days));
  return i >= 0 && i < days ? (int) i : -1;
}

static gboolean
gw_trend_chart_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  GwTrendChart *self = GW_TREND_CHART (widget);
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *date = NULL;
  int day = day_at (self, x);

  if (day < 0 || gw_trend_chart_get_n_lines (self) == 0)
    return FALSE;
  date = day_label (self, day);
  g_string_append_printf (markup, "<b>%s</b> · %s", date, gw_trend_metric_get_label (self->metric));
  for (guint line = 0; line < gw_trend_chart_get_n_lines (self); line++)
    {
      g_autofree char *label = line_label (self, line);
      g_autofree char *value = format_value (self, gw_trend_chart_get_value (self, line, day));
      g_autofree char *escaped = g_markup_printf_escaped ("\n%s: %s", label, value);
      g_string_append (markup, escaped);
    }
  gtk_tooltip_set_markup (tooltip, markup->str);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           GwTrendChart             *self)
{
  int day = day_at (self, x);

  if (day != self->hover_day)
    {
      self->hover_day = day;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (GtkEventControllerMotion *motion,
          GwTrendChart             *self)
{
  self->hover_day = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_trend_chart_set_breakdown (GwTrendChart       *self,
                              GwMetricsBreakdown *breakdown,
                              const guint        *rows,
                              guint               n_rows)
{
  g_return_if_fail (GW_IS_TREND_CHART (self));

  gw_chart_set_breakdown (&self->breakdown, breakdown);
  self->n_lines = 0;
  for (guint i = 0; breakdown != NULL && i < n_rows && i < MAX_LINES; i++)
    if (rows[i] < gw_metrics_result_get_n_rows (gw_metrics_breakdown_get_result (breakdown)))
      self->rows[self->n_lines++] = rows[i];
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_trend_chart_set_metric (GwTrendChart  *self,
                           GwTrendMetric  metric)
{
  g_return_if_fail (GW_IS_TREND_CHART (self));
  g_return_if_fail (metric < GW_N_TRENDS);
  self->metric = metric;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GwTrendMetric
gw_trend_chart_get_metric (GwTrendChart *self)
{
  g_return_val_if_fail (GW_IS_TREND_CHART (self), GW_TREND_RECEIVED);
  return self->metric;
}

GtkWidget *
gw_trend_chart_new (void)
{
  return g_object_new (GW_TYPE_TREND_CHART, NULL);
}

static void
gw_trend_chart_dispose (GObject *object)
{
  GwTrendChart *self = GW_TREND_CHART (object);

  g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
  G_OBJECT_CLASS (gw_trend_chart_parent_class)->dispose (object);
}

static void
gw_trend_chart_class_init (GwTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_trend_chart_dispose;
  widget_class->snapshot = gw_trend_chart_snapshot;
  widget_class->measure = gw_trend_chart_measure;
  widget_class->query_tooltip = gw_trend_chart_query_tooltip;

  gw_chart_class_init (widget_class, "gw-trend-chart");
}

static void
gw_trend_chart_init (GwTrendChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->hover_day = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}
