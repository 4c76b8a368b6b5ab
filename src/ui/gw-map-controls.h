/* gw-map-controls.h — the bar of map controls over the wall map
 *
 * Which cases the map shows (time window), the heat map, what the cell colours show,
 * and "Resume auto-fit". The first three are bound to GSettings (map-time-window,
 * map-heat-map, cell-fill), so they persist and every map follows them; the resume
 * button activates map.home and shows while the view is locked.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GW_TYPE_MAP_CONTROLS (gw_map_controls_get_type ())
G_DECLARE_FINAL_TYPE (GwMapControls, gw_map_controls, GW, MAP_CONTROLS, GtkWidget)

GtkWidget *gw_map_controls_new            (void);

void       gw_map_controls_set_can_resume (GwMapControls *self,
                                           gboolean       can_resume);
gboolean   gw_map_controls_get_can_resume (GwMapControls *self);

G_END_DECLS
