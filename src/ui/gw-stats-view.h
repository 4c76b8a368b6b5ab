/* gw-stats-view.h — the supervisor's statistics view (统计)
 *
 * A range picker (today, this shift, 7 days, 30 days), a group-by picker (department,
 * cell, community, class) and a chart-metric picker above a GwLeagueTable and a
 * GwBarChart. Figures are computed with gw_metrics_compute_async() in a worker thread:
 * the current range and, for the rank change, the previous range of the same length
 * (evaluated as of its end). A newer request cancels an older one; results swap in when
 * both are done and ::computed is emitted. The main loop never waits.
 *
 * Ranges are in local time: today is [00:00, 24:00); the shifts are the 8-hour blocks
 * starting 00:00, 08:00 and 16:00; 7 and 30 days end now.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-bar-chart.h"
#include "gw-league-table.h"
#include "gw-metrics.h"
#include "gw-store.h"

G_BEGIN_DECLS

typedef enum {
  GW_STATS_RANGE_TODAY,
  GW_STATS_RANGE_SHIFT,
  GW_STATS_RANGE_7_DAYS,
  GW_STATS_RANGE_30_DAYS,
  GW_N_STATS_RANGES
} GwStatsRange;

/* [from, to) of @range at @now, and the previous range of the same length. */
void gw_stats_range_get_bounds (GwStatsRange range,
                                GwTime       now,
                                GwTime      *from,
                                GwTime      *to,
                                GwTime      *prev_from,
                                GwTime      *prev_to);

#define GW_TYPE_STATS_VIEW (gw_stats_view_get_type ())
G_DECLARE_FINAL_TYPE (GwStatsView, gw_stats_view, GW, STATS_VIEW, GtkWidget)

GtkWidget        *gw_stats_view_new              (void);

void              gw_stats_view_set_store        (GwStatsView      *self,
                                                  GwStore          *store);
GwStore          *gw_stats_view_get_store        (GwStatsView      *self);

void              gw_stats_view_set_range        (GwStatsView      *self,
                                                  GwStatsRange      range);
GwStatsRange      gw_stats_view_get_range        (GwStatsView      *self);
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

G_END_DECLS
