/* gw-map-view.h — the wall's map: grid cells, live incident pins, cards
 *
 * A ShumateMap on a plain dark background with a GwCellLayer and a GwIncidentLayer fed
 * from a GwStore. It fits the street on first data, never moves on a data refresh, and
 * stays where the operator put it after a manual pan or zoom until "Resume auto-fit".
 * Keys: + and − zoom, the arrows pan, Home shows the whole street again. A bar of
 * controls sets the time window, the heat map and the cell fill (all in GSettings).
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-basemap.h"
#include "gw-cell-layer.h"
#include "gw-heat-layer.h"
#include "gw-incident-layer.h"
#include "gw-replay.h"
#include "gw-store.h"

G_BEGIN_DECLS

/* Which cases the map shows: the GSettings key map-time-window. "Last N hours" and
 * "today" (since local midnight) hold every case received, updated or closed then. */
typedef enum {
  GW_MAP_TIME_WINDOW_OPEN,
  GW_MAP_TIME_WINDOW_1H,
  GW_MAP_TIME_WINDOW_6H,
  GW_MAP_TIME_WINDOW_24H,
  GW_MAP_TIME_WINDOW_TODAY,
} GwMapTimeWindow;

#define GW_TYPE_MAP_VIEW (gw_map_view_get_type ())
G_DECLARE_FINAL_TYPE (GwMapView, gw_map_view, GW, MAP_VIEW, GtkWidget)

GtkWidget       *gw_map_view_new                (void);

void             gw_map_view_set_store          (GwMapView *self,
                                                 GwStore   *store);
GwStore         *gw_map_view_get_store          (GwMapView *self);
/* While @replay (may be NULL) is not live, the pins show its time (gw-replay-pins.h). */
void             gw_map_view_set_replay         (GwMapView *self,
                                                 GwReplay  *replay);

/* TRUE after a manual pan or zoom, until auto-fit is resumed. */
gboolean         gw_map_view_get_locked         (GwMapView *self);
/* Fits the whole street and follows it again (the "Resume auto-fit" button, Home). */
void             gw_map_view_resume_auto_fit    (GwMapView *self);

/* Opens the cards as a click would. */
void             gw_map_view_show_incident      (GwMapView  *self,
                                                 GwIncident *incident);
void             gw_map_view_show_cell          (GwMapView  *self,
                                                 GwCell     *cell);

ShumateMap      *gw_map_view_get_map            (GwMapView *self);
GwCellLayer     *gw_map_view_get_cell_layer     (GwMapView *self);
GwIncidentLayer *gw_map_view_get_incident_layer (GwMapView *self);
/* The basemap tiles under the layers, and their notice. */
GwBasemap       *gw_map_view_get_basemap        (GwMapView *self);
/* Shown instead of the pins while the GSettings key map-heat-map is set. */
GwHeatLayer     *gw_map_view_get_heat_layer     (GwMapView *self);

G_END_DECLS
