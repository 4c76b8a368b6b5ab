/* gw-trend-chart.h — day-by-day lines over the range, drawn in snapshot()
 *
 * One line per result row given (the total, a selected department) over the days of a
 * GwMetricsBreakdown, of one figure: cases received that day, how many of them are
 * closed, or their on-time closure rate (按期结案率: closed on time / due to close, as
 * the column). A day with an undefined rate breaks the line. Y axis with round ticks,
 * dates (local) under the x axis, a legend of the lines at the top. Hovering shows the
 * values of the day under the pointer.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

typedef enum {
  GW_TREND_RECEIVED,
  GW_TREND_CLOSED,
  GW_TREND_ON_TIME_RATE,
  GW_N_TRENDS
} GwTrendMetric;

#define GW_TYPE_TREND_CHART (gw_trend_chart_get_type ())
G_DECLARE_FINAL_TYPE (GwTrendChart, gw_trend_chart, GW, TREND_CHART, GtkWidget)

GtkWidget     *gw_trend_chart_new           (void);

/* Takes a reference; one line per entry of @rows (result rows), in that order; NULL
 * clears the chart. */
void           gw_trend_chart_set_breakdown (GwTrendChart       *self,
                                             GwMetricsBreakdown *breakdown,
                                             const guint        *rows,
                                             guint               n_rows);
void           gw_trend_chart_set_metric    (GwTrendChart       *self,
                                             GwTrendMetric       metric);
GwTrendMetric  gw_trend_chart_get_metric    (GwTrendChart       *self);
const char    *gw_trend_metric_get_label    (GwTrendMetric       metric);

guint          gw_trend_chart_get_n_lines   (GwTrendChart       *self);
/* The value of @line on @day (NaN when undefined). */
double         gw_trend_chart_get_value     (GwTrendChart       *self,
                                             guint               line,
                                             guint               day);
/* Where that point is drawn at the current size; FALSE when undefined. */
gboolean       gw_trend_chart_get_point     (GwTrendChart       *self,
                                             guint               line,
                                             guint               day,
                                             graphene_point_t   *point);
/* The colour of line @line. */
void           gw_trend_chart_get_line_color (guint              line,
                                              GdkRGBA           *color);

G_END_DECLS
