/* gw-stats-charts.h — the lower half of the statistics page
 *
 * Over one row of a GwMetricsBreakdown (the "focus": a group the supervisor selected in
 * the league table, else every case): a GwTrendChart with its figure picker (the total's
 * line plus the group's), a GwHeatGrid and a GwDistributionChart, each under a heading,
 * and a line saying which group they show with an "All Cases" button (::show-all).
 *
 * A click on a heat-grid cell or a histogram bucket emits ::drill-down with a title and
 * exactly the cases behind it.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-distribution-chart.h"
#include "gw-heat-grid.h"
#include "gw-metrics.h"
#include "gw-trend-chart.h"

G_BEGIN_DECLS

#define GW_TYPE_STATS_CHARTS (gw_stats_charts_get_type ())
G_DECLARE_FINAL_TYPE (GwStatsCharts, gw_stats_charts, GW, STATS_CHARTS, GtkWidget)

GtkWidget           *gw_stats_charts_new              (void);

/* Takes a reference; @focus_row: a result row, or G_MAXUINT (or any row past the
 * total) for the total. NULL clears the charts. */
void                 gw_stats_charts_set_breakdown    (GwStatsCharts      *self,
                                                       GwMetricsBreakdown *breakdown,
                                                       guint               focus_row);
GwMetricsBreakdown  *gw_stats_charts_get_breakdown    (GwStatsCharts      *self);
/* The row shown (the total's when none was chosen). */
guint                gw_stats_charts_get_focus_row    (GwStatsCharts      *self);

GwTrendChart        *gw_stats_charts_get_trend        (GwStatsCharts      *self);
GwHeatGrid          *gw_stats_charts_get_heat_grid    (GwStatsCharts      *self);
GwDistributionChart *gw_stats_charts_get_distribution (GwStatsCharts      *self);

/* A name for people: the group's label, "All cases" or "(unassigned)". */
char                *gw_stats_row_name                (GwMetricsResult    *result,
                                                       guint               row);

G_END_DECLS
