/* gw-stats-charts.c — the lower half of the statistics page (see the header) */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-stats-charts.h"

struct _GwStatsCharts
{
  GtkWidget            parent_instance;

  GtkWidget           *box;
  GtkLabel            *focus_label;
  GtkWidget           *all_button;
  GtkDropDown         *trend_picker;
  GwTrendChart        *trend;
  GwHeatGrid          *heat;
  GwDistributionChart *distribution;

  GwMetricsBreakdown  *breakdown;
  guint                focus_row;
};

G_DEFINE_FINAL_TYPE (GwStatsCharts, gw_stats_charts, GTK_TYPE_WIDGET)

enum {
  SIGNAL_DRILL_DOWN,
  SIGNAL_SHOW_ALL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
gw_stats_row_name (GwMetricsResult *result,
                   guint            row)
{
  if (gw_metrics_result_is_total (result, row))
    return g_strdup (_("All cases"));
  if (g_strcmp0 (gw_metrics_result_get_key (result, row), GW_METRICS_UNASSIGNED) == 0)
    return g_strdup (_("(unassigned)"));
  return g_strdup (gw_metrics_result_get_label (result, row));
}

void
gw_stats_charts_set_breakdown (GwStatsCharts      *self,
                               GwMetricsBreakdown *breakdown,
                               guint               focus_row)
{
  GwMetricsResult *result;
  g_autofree char *text = NULL, *name = NULL;
  guint total, rows[2];

  g_return_if_fail (GW_IS_STATS_CHARTS (self));

  if (breakdown != NULL)
    gw_metrics_breakdown_ref (breakdown);
  g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
  self->breakdown = breakdown;

  result = breakdown != NULL ? gw_metrics_breakdown_get_result (breakdown) : NULL;
  total = result != NULL ? gw_metrics_result_get_n_rows (result) - 1 : 0;
  self->focus_row = MIN (focus_row, total);
  rows[0] = total;
  rows[1] = self->focus_row;
  gw_trend_chart_set_breakdown (self->trend, breakdown, rows, self->focus_row == total ? 1 : 2);
  gw_heat_grid_set_breakdown (self->heat, breakdown, self->focus_row);
  gw_distribution_chart_set_breakdown (self->distribution, breakdown, self->focus_row);

  if (result == NULL || self->focus_row == total)
    text = g_strdup (_("The charts below show every case in range; select a row of the table to see one group."));
  else
    {
      name = gw_stats_row_name (result, self->focus_row);
      text = g_strdup_printf (_("The charts below show %s."), name);
    }
  gtk_label_set_text (self->focus_label, text);
  gtk_widget_set_visible (self->all_button, result != NULL && self->focus_row != total);
}

GwMetricsBreakdown *
gw_stats_charts_get_breakdown (GwStatsCharts *self)
{
  g_return_val_if_fail (GW_IS_STATS_CHARTS (self), NULL);
  return self->breakdown;
}

guint
gw_stats_charts_get_focus_row (GwStatsCharts *self)
{
  g_return_val_if_fail (GW_IS_STATS_CHARTS (self), 0);
  return self->focus_row;
}

GwTrendChart *
gw_stats_charts_get_trend (GwStatsCharts *self)
{
  g_return_val_if_fail (GW_IS_STATS_CHARTS (self), NULL);
  return self->trend;
}

GwHeatGrid *
gw_stats_charts_get_heat_grid (GwStatsCharts *self)
{
  g_return_val_if_fail (GW_IS_STATS_CHARTS (self), NULL);
  return self->heat;
}

GwDistributionChart *
gw_stats_charts_get_distribution (GwStatsCharts *self)
{
  g_return_val_if_fail (GW_IS_STATS_CHARTS (self), NULL);
  return self->distribution;
}

GtkWidget *
gw_stats_charts_new (void)
{
  return g_object_new (GW_TYPE_STATS_CHARTS, NULL);
}

/* ---- signal handlers -------------------------------------------------------------- */

static void
emit_drill_down (GwStatsCharts *self, const char *what, GPtrArray *cases)
{
  g_autofree char *name = gw_stats_row_name (gw_metrics_breakdown_get_result (self->breakdown),
                                             self->focus_row);
  g_autofree char *title = g_strdup_printf ("%s · %s", name, what);

  g_signal_emit (self, signals[SIGNAL_DRILL_DOWN], 0, title, cases);
}

static void
heat_cell_cb (GwHeatGrid *grid, guint weekday, guint hour, GwStatsCharts *self)
{
  g_autoptr(GDateTime) monday = g_date_time_new_local (2024, 1, 1, 0, 0, 0);  /* a Monday */
  g_autoptr(GDateTime) day = g_date_time_add_days (monday, weekday);
  g_autofree char *weekday_name = g_date_time_format (day, "%A");
  g_autofree char *what = NULL;
  g_autoptr(GPtrArray) cases = NULL;

  if (self->breakdown == NULL)
    return;
  cases = gw_metrics_breakdown_cases_in_week_hour (self->breakdown, self->focus_row, weekday, hour);
  what = g_strdup_printf ("%s %02u:00–%02u:00", weekday_name, hour, hour + 1);
  emit_drill_down (self, what, cases);
}

static void
bucket_cb (GwDistributionChart *chart, int duration, guint bucket, GwStatsCharts *self)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *what = NULL;

  if (self->breakdown == NULL || duration < 0 || duration >= GW_METRICS_N_DURATIONS)
    return;
  cases = gw_metrics_breakdown_cases_in_bucket (self->breakdown, self->focus_row, duration, bucket);
  what = gw_distribution_chart_describe_bucket (duration, bucket);
  emit_drill_down (self, what, cases);
}

static void
trend_selected_cb (GtkDropDown *picker, GParamSpec *pspec, GwStatsCharts *self)
{
  guint selected = gtk_drop_down_get_selected (picker);

  if (selected < GW_N_TRENDS)
    gw_trend_chart_set_metric (self->trend, selected);
}

static void
all_clicked_cb (GtkButton *button, GwStatsCharts *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_ALL], 0);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
gw_stats_charts_dispose (GObject *object)
{
  GwStatsCharts *self = GW_STATS_CHARTS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
  G_OBJECT_CLASS (gw_stats_charts_parent_class)->dispose (object);
}

static void
gw_stats_charts_class_init (GwStatsChartsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_stats_charts_dispose;

  /**
   * GwStatsCharts::drill-down:
   * @title: what the cases are
   * @incidents: (element-type GwIncident): the cases behind the cell or bucket clicked
   */
  signals[SIGNAL_DRILL_DOWN] =
    g_signal_new ("drill-down", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_PTR_ARRAY);
  /**
   * GwStatsCharts::show-all:
   *
   * The "All Cases" button was clicked: the owner drops the focus.
   */
  signals[SIGNAL_SHOW_ALL] =
    g_signal_new ("show-all", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-stats-charts");
}

/* A heading, optional widgets after it, and the chart under them. */
static GtkWidget *
section (const char *title, GtkWidget *extra, GtkWidget *chart)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_box_append (GTK_BOX (header), label);
  if (extra != NULL)
    gtk_box_append (GTK_BOX (header), extra);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 6);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), chart);
  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

static void
gw_stats_charts_init (GwStatsCharts *self)
{
  const char *trends[GW_N_TRENDS + 1] = { NULL };
  GtkWidget *focus_bar, *middle;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  focus_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->focus_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->focus_label, 0.0);
  gtk_label_set_ellipsize (self->focus_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->focus_label), "dim-label");
  gtk_box_append (GTK_BOX (focus_bar), GTK_WIDGET (self->focus_label));
  self->all_button = gtk_button_new_with_mnemonic (_("_All Cases"));
  gtk_widget_set_tooltip_text (self->all_button, _("Show every case in the charts below"));
  gtk_widget_set_visible (self->all_button, FALSE);
  gtk_box_append (GTK_BOX (focus_bar), self->all_button);
  gtk_widget_set_margin_start (focus_bar, 12);
  gtk_widget_set_margin_top (focus_bar, 6);
  gtk_box_append (GTK_BOX (self->box), focus_bar);

  for (guint i = 0; i < GW_N_TRENDS; i++)
    trends[i] = gw_trend_metric_get_label (i);
  self->trend_picker = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (trends));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->trend_picker), _("The figure the lines show"));
  self->trend = GW_TREND_CHART (gw_trend_chart_new ());
  self->heat = GW_HEAT_GRID (gw_heat_grid_new ());
  self->distribution = GW_DISTRIBUTION_CHART (gw_distribution_chart_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->trend), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cases day by day"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heat), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cases received by weekday and hour"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->distribution), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("How long each step took"), -1);

  /* Trend and heat grid side by side (each about half of the wall's 1920 px), the four
   * histograms under them across the width. */
  middle = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (middle), TRUE);
  gtk_box_append (GTK_BOX (middle), section (_("Day by Day"), GTK_WIDGET (self->trend_picker),
                                             GTK_WIDGET (self->trend)));
  gtk_box_append (GTK_BOX (middle), section (_("Cases Received by Weekday and Hour"), NULL,
                                             GTK_WIDGET (self->heat)));
  gtk_box_append (GTK_BOX (self->box), middle);
  gtk_box_append (GTK_BOX (self->box), section (_("How Long Each Step Took"), NULL,
                                                GTK_WIDGET (self->distribution)));

  gw_stats_charts_set_breakdown (self, NULL, G_MAXUINT);

  g_signal_connect (self->trend_picker, "notify::selected", G_CALLBACK (trend_selected_cb), self);
  g_signal_connect (self->all_button, "clicked", G_CALLBACK (all_clicked_cb), self);
  g_signal_connect (self->heat, "cell-activated", G_CALLBACK (heat_cell_cb), self);
  g_signal_connect (self->distribution, "bucket-activated", G_CALLBACK (bucket_cb), self);
}
