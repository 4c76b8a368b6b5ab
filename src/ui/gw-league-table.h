/* gw-league-table.h — the supervisor's league table (排名表) of a GwMetricsResult
 *
 * One row per group (the total row is left out): rank, rank change against the previous
 * period, name, cases, 结案率, 按期结案率, 按时处置率, 返工率, median received→closed and
 * 综合评分. Every column sorts; each metric header's tooltip is the metric's definition
 * (gw_metrics_column_info). Rank is by composite score, best first, ties share a rank
 * (1, 1, 3); "(unassigned)" and groups with an undefined score have no rank.
 *
 * Double-clicking a cell (or activating a row: its case count) emits ::drill-down with the
 * row's key and the GwMetricsColumn behind the cell, for gw_metrics_cases_for().
 *
 * Column ids (for gw_league_table_sort_by and gw_league_table_get_text): "rank",
 * "change", "name" and the metric ids of gw_metrics_column_info() ("cases",
 * "on_time_closure_rate", ...).
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

#define GW_TYPE_LEAGUE_TABLE (gw_league_table_get_type ())
G_DECLARE_FINAL_TYPE (GwLeagueTable, gw_league_table, GW, LEAGUE_TABLE, GtkWidget)

GtkWidget       *gw_league_table_new            (void);

/* @previous (may be NULL): the same grouping over the previous range of the same
 * length, for the rank change column. Takes references. */
void             gw_league_table_set_results    (GwLeagueTable   *self,
                                                 GwMetricsResult *current,
                                                 GwMetricsResult *previous);
GwMetricsResult *gw_league_table_get_result     (GwLeagueTable   *self);
GwMetricsResult *gw_league_table_get_previous   (GwLeagueTable   *self);

/* Sorts as a click on the header would. FALSE for an unknown column id. */
gboolean         gw_league_table_sort_by        (GwLeagueTable   *self,
                                                 const char      *column_id,
                                                 GtkSortType      order);

/* The rows in display (sorted) order. */
guint            gw_league_table_get_n_rows     (GwLeagueTable   *self);
const char      *gw_league_table_get_key        (GwLeagueTable   *self,
                                                 guint            position);
/* The row's number in the result (for gw_metrics_result_get / cases_for). */
guint            gw_league_table_get_result_row (GwLeagueTable   *self,
                                                 guint            position);
/* The text the cell shows (new string), or NULL for an unknown column id. */
char            *gw_league_table_get_text       (GwLeagueTable   *self,
                                                 guint            position,
                                                 const char      *column_id);

/* Emits ::drill-down as activating that cell would (rank, change and name: cases). */
void             gw_league_table_activate_cell  (GwLeagueTable   *self,
                                                 guint            position,
                                                 const char      *column_id);

GtkColumnView   *gw_league_table_get_column_view (GwLeagueTable  *self);

/* Shared by the table and the chart: "87.5 %", "2 h 05 min", "82.3", "12"; "—" for NaN. */
char            *gw_metrics_format_value        (GwMetricsColumn  column,
                                                 double           value);

G_END_DECLS
