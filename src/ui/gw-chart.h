/* gw-chart.h — drawing and input helpers shared by the statistics charts
 *
 * Functions, not a base class: GwBarChart, GwDistributionChart, GwHeatGrid and
 * GwTrendChart stay final GtkWidgets drawn in snapshot() and call these for what they
 * do alike (text placed by its centre line, the theme's colours, the click-to-drill and
 * tooltip wiring, the widget class's name and role). GwLeagueTable and GwCaseList share
 * the set-up of their sortable column views. The wall's drawn widgets (the department
 * board, the ticker, the latest cases) measure their lines with gw_chart_line_height().
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

void gw_chart_draw_text      (GtkSnapshot        *snapshot,
                              PangoLayout        *layout,
                              const char         *str,
                              double              x,
                              double              y,
                              double              xalign,
                              const GdkRGBA      *color);
/* The height of a line in @layout's font and attributes, whatever its text: Latin and
 * CJK (whose fallback font is taller). */
int  gw_chart_line_height    (PangoLayout        *layout);
void gw_chart_get_colors     (GtkWidget          *widget,
                              GdkRGBA            *fg,
                              GdkRGBA            *dim,
                              GdkRGBA            *faint,
                              double              faint_alpha);
void gw_chart_class_init     (GtkWidgetClass     *widget_class,
                              const char         *css_name);
void gw_chart_init_click     (GtkWidget          *widget,
                              GCallback           released_cb);
void gw_chart_set_breakdown  (GwMetricsBreakdown **slot,
                              GwMetricsBreakdown  *breakdown);

GtkColumnView       *gw_chart_table_new           (GtkWidget         *parent,
                                                   GtkWidget        **scrolled);
GtkColumnViewColumn *gw_chart_table_append_column (GtkColumnView     *view,
                                                   const char        *title,
                                                   GCallback          setup_cb,
                                                   GCallback          bind_cb,
                                                   GCompareDataFunc   compare,
                                                   gpointer           data,
                                                   gboolean           expand);

G_END_DECLS
