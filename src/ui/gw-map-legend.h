/* gw-map-legend.h — the map's key: the cell fill classes and the heat-map ramp
 *
 * A see-through strip for a corner of the map. It follows a GwCellLayer's classes and
 * metric; the heat-map part shows while the heat map does.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-cell-layer.h"

G_BEGIN_DECLS

#define GW_TYPE_MAP_LEGEND (gw_map_legend_get_type ())
G_DECLARE_FINAL_TYPE (GwMapLegend, gw_map_legend, GW, MAP_LEGEND, GtkWidget)

GtkWidget *gw_map_legend_new            (void);

void       gw_map_legend_set_cell_layer (GwMapLegend *self,
                                         GwCellLayer *layer);
void       gw_map_legend_set_show_heat  (GwMapLegend *self,
                                         gboolean     show_heat);

G_END_DECLS
