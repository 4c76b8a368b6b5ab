/* gw-map-tour.h — the wall map's tour of the cells with late cases
 *
 * While running, every @interval seconds the map zooms to the next cell (by cell code)
 * that has open cases past their deadline; after the last one it shows the whole street
 * for one step, auto-fitted, then starts again. With no late cases it stays on the whole
 * street. Stopping resumes auto-fit.
 */
#pragma once

#include <glib-object.h>

#include "gw-map-view.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_MAP_TOUR (gw_map_tour_get_type ())
G_DECLARE_FINAL_TYPE (GwMapTour, gw_map_tour, GW, MAP_TOUR, GObject)

/* Keeps a weak pointer to @map and a reference to @store. */
GwMapTour  *gw_map_tour_new         (GwMapView *map,
                                     GwStore   *store);
/* Starts (or restarts with a new interval) or stops the timer. */
void        gw_map_tour_set_running (GwMapTour *self,
                                     gboolean   running,
                                     guint      interval_seconds);
gboolean    gw_map_tour_get_running (GwMapTour *self);
/* What the timer does: one step. */
void        gw_map_tour_step        (GwMapTour *self);
/* The cell code shown, NULL for the whole street. */
const char *gw_map_tour_get_cell    (GwMapTour *self);

G_END_DECLS
