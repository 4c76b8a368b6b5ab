/* gw-stats-view.h — the supervisor's statistics view (统计)
 *
 * A range picker (today, this shift, 7 days, 30 days, custom days: GwRangePicker), a
 * group-by picker (department, cell, community, class) and a chart-metric picker above
 * a GwLeagueTable and a GwBarChart, then a GwTrendChart (day by day) beside a GwHeatGrid
 * (weekday × hour), then a GwDistributionChart (durations). Figures are computed with
 * gw_metrics_compute_async() in a worker thread: the current range and, for the rank
 * change, the previous range of the same length (evaluated as of its end); the charts'
 * GwMetricsBreakdown follows in a worker thread too. A newer request cancels an older
 * one; results swap in when all are done and ::computed is emitted. The main loop
 * never waits.
 *
 * The trend, heat grid and distribution follow the league table's selected row (the
 * trend adds its line to the total's); with none selected they show every case.
 *
 * Drill-down: a double click on a table cell, a click on a bar, a heat-grid cell or a
 * histogram bucket opens a GwDrillDown of exactly the cases behind it; "Show on map"
 * there emits ::incident-activated.
 *
 * Ranges are in local time: today is [00:00, 24:00); the shifts are the 8-hour blocks
 * starting 00:00, 08:00 and 16:00; 7 and 30 days end now; custom ranges are whole days.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-bar-chart.h"
#include "gw-distribution-chart.h"
#include "gw-drill-down.h"
#include "gw-heat-grid.h"
#include "gw-league-table.h"
#include "gw-metrics.h"
#include "gw-range-picker.h"
#include "gw-stats-charts.h"
#include "gw-store.h"
#include "gw-trend-chart.h"

G_BEGIN_DECLS

#define GW_TYPE_STATS_VIEW (gw_stats_view_get_type ())
G_DECLARE_FINAL_TYPE (GwStatsView, gw_stats_view, GW, STATS_VIEW, GtkWidget)

GtkWidget        *gw_stats_view_new              (void);

void              gw_stats_view_set_store        (GwStatsView      *self,
                                                  GwStore          *store);
GwStore          *gw_stats_view_get_store        (GwStatsView      *self);

/* GW_STATS_RANGE_CUSTOM: the custom days set last, or (none yet) the picker's popover
 * asks for them and the range changes once they are applied. */
void              gw_stats_view_set_range        (GwStatsView      *self,
                                                  GwStatsRange      range);
GwStatsRange      gw_stats_view_get_range        (GwStatsView      *self);
/* Selects the whole local days [@from_day, @to_day]; FALSE with a message when they
 * are not a valid range (gw_stats_custom_range_validate), and nothing changes. */
gboolean          gw_stats_view_set_custom_range (GwStatsView      *self,
                                                  GDateTime        *from_day,
                                                  GDateTime        *to_day,
                                                  GError          **error);
/* GW_METRICS_BY_DEPARTMENT, _CELL, _COMMUNITY or _CLASS. */
void              gw_stats_view_set_group_by     (GwStatsView      *self,
                                                  GwMetricsGroupBy  by);
GwMetricsGroupBy  gw_stats_view_get_group_by     (GwStatsView      *self);
/* The metric the bar chart shows (default 按期结案率). */
void              gw_stats_view_set_chart_column (GwStatsView      *self,
                                                  GwMetricsColumn   column);

/* The evaluation instant; GW_TIME_NONE (the default): the current time at each
 * computation. For tests and reports. */
void              gw_stats_view_set_now          (GwStatsView      *self,
                                                  GwTime            now);

/* Starts a computation now (changes of the store start one after a short delay). */
void              gw_stats_view_recompute        (GwStatsView      *self);
gboolean          gw_stats_view_get_computing    (GwStatsView      *self);
/* The number of computations that have completed (::computed emissions). */
guint             gw_stats_view_get_n_computed   (GwStatsView      *self);

/* For ::drill-down and ::bar-activated. */
GwLeagueTable    *gw_stats_view_get_league_table (GwStatsView      *self);
GwBarChart       *gw_stats_view_get_bar_chart    (GwStatsView      *self);
/* The trend, heat grid and distribution, with their breakdown and focus row. */
GwStatsCharts    *gw_stats_view_get_charts       (GwStatsView      *self);
GwRangePicker    *gw_stats_view_get_range_picker (GwStatsView      *self);

/* Opens the drill-down window of @incidents (as a click on a figure does); returns it
 * (owned by GTK; it closes when the view goes). The last one opened, or NULL. */
GwDrillDown      *gw_stats_view_drill_down       (GwStatsView      *self,
                                                  const char       *title,
                                                  GPtrArray        *incidents);
GwDrillDown      *gw_stats_view_get_drill_down   (GwStatsView      *self);

G_END_DECLS
