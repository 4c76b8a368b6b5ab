/* gw-heat-grid.h — cases received by weekday × hour of day, drawn in snapshot()
 *
 * Seven rows (Monday first) of 24 cells (00:00 to 23:00 local time) over one row of a
 * GwMetricsBreakdown. A cell's colour runs from a faint track (no case) to full blue
 * (the busiest cell); its count is written in it when there is room. Hovering shows the
 * count, clicking a cell emits ::cell-activated for the cases behind it.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

#define GW_TYPE_HEAT_GRID (gw_heat_grid_get_type ())
G_DECLARE_FINAL_TYPE (GwHeatGrid, gw_heat_grid, GW, HEAT_GRID, GtkWidget)

GtkWidget *gw_heat_grid_new             (void);

/* Takes a reference; NULL clears the grid. */
void       gw_heat_grid_set_breakdown   (GwHeatGrid         *self,
                                         GwMetricsBreakdown *breakdown,
                                         guint               row);
GwMetricsBreakdown *gw_heat_grid_get_breakdown (GwHeatGrid *self);
guint      gw_heat_grid_get_row         (GwHeatGrid         *self);

guint      gw_heat_grid_get_count       (GwHeatGrid         *self,
                                         guint               weekday,
                                         guint               hour);
/* Where the cell is drawn at the current size; FALSE without data. */
gboolean   gw_heat_grid_get_cell_bounds (GwHeatGrid         *self,
                                         guint               weekday,
                                         guint               hour,
                                         graphene_rect_t    *bounds);
/* The cell at @x, @y in widget coordinates; FALSE outside every cell. */
gboolean   gw_heat_grid_pick            (GwHeatGrid         *self,
                                         double              x,
                                         double              y,
                                         guint              *weekday,
                                         guint              *hour);
/* The ramp: @fraction 0 (faint) … 1 (the busiest cell: opaque GNOME blue). */
void       gw_heat_grid_get_color       (double              fraction,
                                         GdkRGBA            *color);

G_END_DECLS
