/* gw-distribution-chart.h — histograms of case durations, drawn in snapshot()
 *
 * Four panels side by side over one row of a GwMetricsBreakdown: received → dispatched,
 * dispatched → on site, dispatched → reported done (the department's handling time)
 * and received → closed. Each has the eight buckets of gw_metrics_duration_bucket()
 * (< 15 min … ≥ 1 d) as vertical bars with their counts, and markers at the median
 * (solid) and p90 (dashed) of the result's row, placed inside their bucket on a log
 * scale. Only cases that reached both ends by now count (as in the duration columns).
 * Hovering a bar shows its count; clicking it emits ::bucket-activated.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

#define GW_DISTRIBUTION_N_PANELS 4

#define GW_TYPE_DISTRIBUTION_CHART (gw_distribution_chart_get_type ())
G_DECLARE_FINAL_TYPE (GwDistributionChart, gw_distribution_chart, GW, DISTRIBUTION_CHART, GtkWidget)

GtkWidget        *gw_distribution_chart_new             (void);

/* Takes a reference; NULL clears the chart. */
void              gw_distribution_chart_set_breakdown   (GwDistributionChart *self,
                                                         GwMetricsBreakdown  *breakdown,
                                                         guint                row);
/* The duration panel @panel shows. */
GwMetricsDuration gw_distribution_chart_get_duration    (guint                panel);

/* Where a bar is drawn at the current size (full height of its count); FALSE when
 * there is no data or no such bar. */
gboolean          gw_distribution_chart_get_bar_bounds  (GwDistributionChart *self,
                                                         GwMetricsDuration    duration,
                                                         guint                bucket,
                                                         graphene_rect_t     *bounds);
/* The x of the median (GW_METRICS_DUR_MEDIAN) or p90 marker; FALSE when undefined. */
gboolean          gw_distribution_chart_get_marker_x    (GwDistributionChart *self,
                                                         GwMetricsDuration    duration,
                                                         GwMetricsDurationStat stat,
                                                         double              *x);
/* The bucket column at @x, @y (anywhere above its label); FALSE outside. */
gboolean          gw_distribution_chart_pick            (GwDistributionChart *self,
                                                         double               x,
                                                         double               y,
                                                         GwMetricsDuration   *duration,
                                                         guint               *bucket);
/* "Received → closed, 1–2h": what a bucket's cases are, for people. */
char             *gw_distribution_chart_describe_bucket (GwMetricsDuration    duration,
                                                         guint                bucket);
/* The bars' colour. */
void              gw_distribution_chart_get_bar_color   (GdkRGBA             *color);

G_END_DECLS
