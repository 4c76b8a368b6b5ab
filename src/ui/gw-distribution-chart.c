/* gw-distribution-chart.c — histograms of case durations (see the header) */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-chart.h"
#include "gw-distribution-chart.h"
#include "gw-league-table.h"

#define PADDING     12
#define PANEL_GAP   24
#define PLOT_H      110
#define BAR_GAP     3

static const GwMetricsDuration panel_durations[GW_DISTRIBUTION_N_PANELS] = {
  GW_METRICS_DUR_RECEIVED_DISPATCHED,
  GW_METRICS_DUR_DISPATCHED_ON_SITE,
  GW_METRICS_DUR_DISPATCHED_DONE,
  GW_METRICS_DUR_RECEIVED_CLOSED,
};

struct _GwDistributionChart
{
  GtkWidget           parent_instance;

  GwMetricsBreakdown *breakdown;
  guint               row;
};

G_DEFINE_FINAL_TYPE (GwDistributionChart, gw_distribution_chart, GTK_TYPE_WIDGET)

enum {
  SIGNAL_BUCKET_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
gw_distribution_chart_get_bar_color (GdkRGBA *color)
{
  /* GNOME purple 2, #9141ac: apart from the blue of counts and rates. */
  *color = (GdkRGBA) { 0x91 / 255.0, 0x41 / 255.0, 0xac / 255.0, 1.0 };
}

static void
marker_color (GwMetricsDurationStat stat, GdkRGBA *color)
{
  /* Orange 4 for the median, red 3 for p90 (#e66100, #e01b24). */
  if (stat == GW_METRICS_DUR_MEDIAN)
    *color = (GdkRGBA) { 0xe6 / 255.0, 0x61 / 255.0, 0x00 / 255.0, 1.0 };
  else
    *color = (GdkRGBA) { 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0, 1.0 };
}

GwMetricsDuration
gw_distribution_chart_get_duration (guint panel)
{
  g_return_val_if_fail (panel < GW_DISTRIBUTION_N_PANELS, GW_METRICS_DUR_RECEIVED_CLOSED);
  return panel_durations[panel];
}

static int
panel_of (GwMetricsDuration duration)
{
  for (guint i = 0; i < GW_DISTRIBUTION_N_PANELS; i++)
    if (panel_durations[i] == duration)
      return (int) i;
  return -1;
}

static const char *
panel_title (guint panel)
{
  switch (panel_durations[panel])
    {
    case GW_METRICS_DUR_RECEIVED_DISPATCHED: return _("Received → dispatched");
    case GW_METRICS_DUR_DISPATCHED_ON_SITE:  return _("Dispatched → on site");
    case GW_METRICS_DUR_DISPATCHED_DONE:     return _("Dispatched → reported done");
    case GW_METRICS_DUR_RECEIVED_CLOSED:     return _("Received → closed");
    case GW_METRICS_DUR_RECEIVED_DONE:
    case GW_METRICS_N_DURATIONS:
    default:                                 return "";
    }
}

static const char *
bucket_label (guint bucket)
{
  const char *labels[GW_METRICS_N_BUCKETS] = {
    N_("<15m"), N_("15–30m"), N_("30–60m"), N_("1–2h"), N_("2–4h"), N_("4–8h"), N_("8–24h"), N_("≥1d"),
  };

  return _(labels[bucket]);
}

char *
gw_distribution_chart_describe_bucket (GwMetricsDuration duration,
                                       guint             bucket)
{
  int panel = panel_of (duration);

  g_return_val_if_fail (panel >= 0 && bucket < GW_METRICS_N_BUCKETS, NULL);
  return g_strdup_printf ("%s, %s", panel_title (panel), bucket_label (bucket));
}

/* Counts, bucket labels and the median line are in a smaller type than the titles. */
static PangoLayout *
small_layout (GtkWidget *widget)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

typedef struct {
  double title_h;  /* the panel's title */
  double stats_h;  /* "median … p90 …" under it, in the markers' colours */
  double count_h;  /* the counts above the bars */
  double axis_h;   /* the bucket labels */
  double panel_w;
  double bar_w;    /* one bucket column, gap included */
  double plot_y;   /* the top of the plot; bars stand on plot_y + PLOT_H */
  guint  label_step;  /* every bucket's label, or every other one when they would touch */
} Layout;

/* Rows follow the font (the wall's large text included). */
static void
compute_layout (GwDistributionChart *self, Layout *l)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
  g_autoptr(PangoLayout) small = small_layout (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self)), th, sh, label_w = 0;

  pango_layout_get_pixel_size (text, NULL, &th);
  for (guint b = 0; b < GW_METRICS_N_BUCKETS; b++)
    {
      int w;
      pango_layout_set_text (small, bucket_label (b), -1);
      pango_layout_get_pixel_size (small, &w, &sh);
      label_w = MAX (label_w, w);
    }
  l->title_h = th + 6;
  l->stats_h = sh + 4;
  l->count_h = sh + 2;
  l->axis_h = sh + 8;
  l->panel_w = MAX (80.0, (width - 2 * PADDING - (GW_DISTRIBUTION_N_PANELS - 1) * PANEL_GAP) /
                          (double) GW_DISTRIBUTION_N_PANELS);
  l->bar_w = l->panel_w / GW_METRICS_N_BUCKETS;
  l->plot_y = PADDING + l->title_h + l->stats_h + l->count_h;
  l->label_step = label_w + 6 <= l->bar_w ? 1 : 2;
}

static double
panel_x (const Layout *l, guint panel)
{
  return PADDING + panel * (l->panel_w + PANEL_GAP);
}

static guint
bucket_count (GwDistributionChart *self, GwMetricsDuration d, guint bucket)
{
  return self->breakdown != NULL ? gw_metrics_breakdown_get_bucket (self->breakdown, self->row, d, bucket) : 0;
}

static guint
panel_max (GwDistributionChart *self, GwMetricsDuration d)
{
  guint max = 0;

  for (guint b = 0; b < GW_METRICS_N_BUCKETS; b++)
    max = MAX (max, bucket_count (self, d, b));
  return max;
}

static double
stat_value (GwDistributionChart *self, GwMetricsDuration d, GwMetricsDurationStat stat)
{
  GwMetricsResult *result;

  if (self->breakdown == NULL)
    return NAN;
  result = gw_metrics_breakdown_get_result (self->breakdown);
  return gw_metrics_result_get (result, self->row, gw_metrics_duration_column (d, stat));
}

/* Where @seconds falls on the bucket axis, in bucket units: log scale inside a bucket
 * (linear in the first, which starts at 0; the last spans one day to a week). */
static double
bucket_position (double seconds)
{
  gint64 usec = (gint64) (seconds * G_USEC_PER_SEC);
  guint b = gw_metrics_duration_bucket (usec);
  double lo = gw_metrics_duration_bucket_start (b) / (double) G_USEC_PER_SEC;
  double hi = b + 1 < GW_METRICS_N_BUCKETS
              ? gw_metrics_duration_bucket_start (b + 1) / (double) G_USEC_PER_SEC
              : lo * 7;
  double f = b == 0 ? seconds / hi : log (seconds / lo) / log (hi / lo);

  return b + CLAMP (f, 0.0, 1.0);
}

static void
draw_marker (GtkSnapshot *snapshot, double x, double y, double h, gboolean dashed,
             const GdkRGBA *color)
{
  if (!dashed)
    {
      gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x - 1, y, 2, h));
      return;
    }
  for (double yy = y; yy < y + h; yy += 8)
    gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x - 1, yy, 2, MIN (5.0, y + h - yy)));
}

static void
gw_distribution_chart_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  GwDistributionChart *self = GW_DISTRIBUTION_CHART (widget);
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr(PangoLayout) small = small_layout (widget);
  GdkRGBA fg, dim, axis, bar_color;
  Layout l;

  gw_chart_get_colors (widget, &fg, &dim, &axis, 0.3);
  gw_distribution_chart_get_bar_color (&bar_color);
  compute_layout (self, &l);

  for (guint p = 0; p < GW_DISTRIBUTION_N_PANELS; p++)
    {
      GwMetricsDuration d = panel_durations[p];
      double x0 = panel_x (&l, p), base = l.plot_y + PLOT_H;
      guint max = panel_max (self, d);

      gw_chart_draw_text (snapshot, text, panel_title (p), x0, PADDING + l.title_h / 2.0, 0.0, &fg);
      gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (x0, base, l.panel_w, 1));

      for (guint b = 0; b < GW_METRICS_N_BUCKETS; b++)
        {
          graphene_rect_t bar;
          guint n = bucket_count (self, d, b);

          if (n > 0 && gw_distribution_chart_get_bar_bounds (self, d, b, &bar))
            {
              g_autofree char *str = g_strdup_printf ("%u", n);

              gtk_snapshot_append_color (snapshot, &bar_color, &bar);
              gw_chart_draw_text (snapshot, small, str, bar.origin.x + bar.size.width / 2,
                                  bar.origin.y - l.count_h / 2.0, 0.5, &fg);
            }
          if (b % l.label_step == 0)
            gw_chart_draw_text (snapshot, small, bucket_label (b), x0 + (b + 0.5) * l.bar_w,
                                base + l.axis_h / 2.0, 0.5, &dim);
        }
      if (max == 0)
        gw_chart_draw_text (snapshot, small, _("No case finished this step"), x0 + l.panel_w / 2,
                            l.plot_y + PLOT_H / 2.0, 0.5, &dim);

      /* The markers, and their values in a line of their own (no overlap with bars). */
      {
        double text_x = x0;

        for (GwMetricsDurationStat s = GW_METRICS_DUR_MEDIAN; s <= GW_METRICS_DUR_P90; s++)
          {
            double x;
            int w;
            GdkRGBA color;
            g_autofree char *value = NULL, *label = NULL;

            if (!gw_distribution_chart_get_marker_x (self, d, s, &x))
              continue;
            marker_color (s, &color);
            draw_marker (snapshot, x, l.plot_y - l.count_h, PLOT_H + l.count_h, s == GW_METRICS_DUR_P90, &color);
            value = gw_metrics_format_value (gw_metrics_duration_column (d, s), stat_value (self, d, s));
            /* Translators: the median (solid line) and 90th percentile (dashed) of a histogram. */
            label = g_strdup_printf (s == GW_METRICS_DUR_MEDIAN ? _("— median %s") : _("┆ p90 %s"), value);
            gw_chart_draw_text (snapshot, small, label, text_x, PADDING + l.title_h + l.stats_h / 2.0, 0.0, &color);
            pango_layout_get_pixel_size (small, &w, NULL);
            text_x += w + 16;
          }
      }
    }
}

static void
gw_distribution_chart_measure (GtkWidget      *widget,
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
      *minimum = 2 * PADDING + GW_DISTRIBUTION_N_PANELS * 120 + 3 * PANEL_GAP;
      *natural = 2 * PADDING + GW_DISTRIBUTION_N_PANELS * 260 + 3 * PANEL_GAP;
      return;
    }
  compute_layout (GW_DISTRIBUTION_CHART (widget), &l);
  *minimum = *natural = (int) ceil (l.plot_y + PLOT_H + l.axis_h + PADDING);
}

gboolean
gw_distribution_chart_get_bar_bounds (GwDistributionChart *self,
                                      GwMetricsDuration    duration,
                                      guint                bucket,
                                      graphene_rect_t     *bounds)
{
  int panel = panel_of (duration);
  guint max, n;
  double h;
  Layout l;

  g_return_val_if_fail (GW_IS_DISTRIBUTION_CHART (self), FALSE);
  if (self->breakdown == NULL || panel < 0 || bucket >= GW_METRICS_N_BUCKETS)
    return FALSE;
  compute_layout (self, &l);
  max = panel_max (self, duration);
  n = bucket_count (self, duration, bucket);
  h = max > 0 ? PLOT_H * (double) n / max : 0;
  graphene_rect_init (bounds, panel_x (&l, panel) + bucket * l.bar_w + BAR_GAP / 2.0,
                      l.plot_y + PLOT_H - h, l.bar_w - BAR_GAP, h);
  return TRUE;
}

gboolean
gw_distribution_chart_get_marker_x (GwDistributionChart   *self,
                                    GwMetricsDuration      duration,
                                    GwMetricsDurationStat  stat,
                                    double                *x)
{
  int panel = panel_of (duration);
  double v = stat_value (self, duration, stat);
  Layout l;

  g_return_val_if_fail (GW_IS_DISTRIBUTION_CHART (self), FALSE);
  if (panel < 0 || isnan (v))
    return FALSE;
  compute_layout (self, &l);
  *x = panel_x (&l, panel) + bucket_position (v) * l.bar_w;
  return TRUE;
}

gboolean
gw_distribution_chart_pick (GwDistributionChart *self,
                            double               x,
                            double               y,
                            GwMetricsDuration   *duration,
                            guint               *bucket)
{
  Layout l;

  g_return_val_if_fail (GW_IS_DISTRIBUTION_CHART (self), FALSE);
  if (self->breakdown == NULL)
    return FALSE;
  compute_layout (self, &l);
  if (y < l.plot_y - l.count_h || y >= l.plot_y + PLOT_H + l.axis_h)
    return FALSE;
  for (guint p = 0; p < GW_DISTRIBUTION_N_PANELS; p++)
    {
      double rel = x - panel_x (&l, p);

      if (rel >= 0 && rel < l.panel_w)
        {
          *duration = panel_durations[p];
          *bucket = MIN ((guint) (rel / l.bar_w), GW_METRICS_N_BUCKETS - 1);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
gw_distribution_chart_query_tooltip (GtkWidget  *widget,
                                     int         x,
                                     int         y,
                                     gboolean    keyboard_mode,
                                     GtkTooltip *tooltip)
{
  GwDistributionChart *self = GW_DISTRIBUTION_CHART (widget);
  g_autofree char *markup = NULL, *median = NULL, *p90 = NULL;
  GwMetricsDuration d;
  guint b, n;

  if (!gw_distribution_chart_pick (self, x, y, &d, &b))
    return FALSE;
  n = bucket_count (self, d, b);
  median = gw_metrics_format_value (gw_metrics_duration_column (d, GW_METRICS_DUR_MEDIAN),
                                    stat_value (self, d, GW_METRICS_DUR_MEDIAN));
  p90 = gw_metrics_format_value (gw_metrics_duration_column (d, GW_METRICS_DUR_P90),
                                 stat_value (self, d, GW_METRICS_DUR_P90));
  markup = g_markup_printf_escaped (g_dngettext (GETTEXT_PACKAGE, "<b>%s, %s</b>\n%u case\nMedian %s, p90 %s",
                                                 "<b>%s, %s</b>\n%u cases\nMedian %s, p90 %s", n),
                                    panel_title (panel_of (d)), bucket_label (b), n, median, p90);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
click_released_cb (GtkGestureClick     *gesture,
                   int                  n_press,
                   double               x,
                   double               y,
                   GwDistributionChart *self)
{
  GwMetricsDuration d;
  guint b;

  if (gw_distribution_chart_pick (self, x, y, &d, &b))
    g_signal_emit (self, signals[SIGNAL_BUCKET_ACTIVATED], 0, (int) d, b);
}

void
gw_distribution_chart_set_breakdown (GwDistributionChart *self,
                                     GwMetricsBreakdown  *breakdown,
                                     guint                row)
{
  g_return_if_fail (GW_IS_DISTRIBUTION_CHART (self));

  gw_chart_set_breakdown (&self->breakdown, breakdown);
  self->row = row;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtkWidget *
gw_distribution_chart_new (void)
{
  return g_object_new (GW_TYPE_DISTRIBUTION_CHART, NULL);
}

static void
gw_distribution_chart_dispose (GObject *object)
{
  GwDistributionChart *self = GW_DISTRIBUTION_CHART (object);

  g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
  G_OBJECT_CLASS (gw_distribution_chart_parent_class)->dispose (object);
}

static void
gw_distribution_chart_class_init (GwDistributionChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_distribution_chart_dispose;
  widget_class->snapshot = gw_distribution_chart_snapshot;
  widget_class->measure = gw_distribution_chart_measure;
  widget_class->query_tooltip = gw_distribution_chart_query_tooltip;

  /**
   * GwDistributionChart::bucket-activated:
   * @duration: the GwMetricsDuration of the panel
   * @bucket: the bucket (gw_metrics_duration_bucket)
   */
  signals[SIGNAL_BUCKET_ACTIVATED] =
    g_signal_new ("bucket-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_UINT);

  gw_chart_class_init (widget_class, "gw-distribution-chart");
}

static void
gw_distribution_chart_init (GwDistributionChart *self)
{
  gw_chart_init_click (GTK_WIDGET (self), G_CALLBACK (click_released_cb));
}
