/* gw-bar-chart.h — horizontal bars of one metric per group, drawn in snapshot()
 *
 * One bar per group of a GwMetricsResult (the total row and undefined values are left
 * out), longest first, with the group's name on the left and the value at the bar's end.
 * Rates are drawn against 100 %, scores against 100, counts and durations against the
 * largest value. A click on a row emits ::bar-activated with the result's row number.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

#define GW_TYPE_BAR_CHART (gw_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (GwBarChart, gw_bar_chart, GW, BAR_CHART, GtkWidget)

/* Layout, in pixels: rows of GW_BAR_CHART_ROW_HEIGHT from GW_BAR_CHART_PADDING down. */
#define GW_BAR_CHART_PADDING    12
#define GW_BAR_CHART_ROW_HEIGHT 28
#define GW_BAR_CHART_BAR_HEIGHT 18

GtkWidget       *gw_bar_chart_new          (void);

/* Takes a reference; NULL clears the chart. */
void             gw_bar_chart_set_result   (GwBarChart      *self,
                                            GwMetricsResult *result,
                                            GwMetricsColumn  column);
GwMetricsResult *gw_bar_chart_get_result   (GwBarChart      *self);
GwMetricsColumn  gw_bar_chart_get_column   (GwBarChart      *self);

/* Bars in drawing order (top to bottom). */
guint            gw_bar_chart_get_n_bars   (GwBarChart      *self);
guint            gw_bar_chart_get_bar_row  (GwBarChart      *self,
                                            guint            index);
/* Where bar @index is drawn at the current size; FALSE when there is no such bar. */
gboolean         gw_bar_chart_get_bar_bounds (GwBarChart      *self,
                                              guint            index,
                                              graphene_rect_t *bounds);

/* The result row of the bar (or its label) at @x, @y in widget coordinates, or -1. */
int              gw_bar_chart_pick         (GwBarChart      *self,
                                            double           x,
                                            double           y);

/* The bars' colour. */
void             gw_bar_chart_get_bar_color (GdkRGBA        *color);

G_END_DECLS
