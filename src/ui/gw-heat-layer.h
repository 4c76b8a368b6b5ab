/* gw-heat-layer.h — case density over the map, as a heat map in one ShumateLayer
 *
 * A kernel density of incident positions, weighted by how much each case needs
 * attention (late > open > closed). Points live in plain arrays of normalized
 * Web-Mercator coordinates; each frame bins them into a coarse grid aligned to the
 * world, blurs it and draws it as one small texture the GPU scales up.
 */
#pragma once

#include <shumate/shumate.h>

#include "gw-basemap.h"
#include "gw-incident.h"

G_BEGIN_DECLS

#define GW_TYPE_HEAT_LAYER (gw_heat_layer_get_type ())
G_DECLARE_FINAL_TYPE (GwHeatLayer, gw_heat_layer, GW, HEAT_LAYER, ShumateLayer)

GwHeatLayer *gw_heat_layer_new          (ShumateViewport  *viewport);

/* Adds or replaces the points of @incidents (GwIncident*). */
void         gw_heat_layer_upsert       (GwHeatLayer      *self,
                                         GPtrArray        *incidents);
void         gw_heat_layer_remove       (GwHeatLayer      *self,
                                         GPtrArray        *incidents);
void         gw_heat_layer_clear        (GwHeatLayer      *self);
guint        gw_heat_layer_get_n_points (GwHeatLayer      *self);

/* The datum of the basemap tiles: points are shifted to match, like the pins. */
void              gw_heat_layer_set_coordinates (GwHeatLayer       *self,
                                                 GwTileCoordinates  coordinates);
GwTileCoordinates gw_heat_layer_get_coordinates (GwHeatLayer       *self);

/* A fixed clock for tests and benchmarks; GW_TIME_NONE follows the real time. */
void         gw_heat_layer_set_now      (GwHeatLayer      *self,
                                         GwTime            now);

/* How much @incident adds to the density at @now: 2 late, 1 open, 0.5 closed. */
double       gw_heat_weight_for_incident (const GwIncident *incident,
                                          GwTime            now);
/* The colour ramp, straight alpha: @t 0 (none, transparent) .. 1 (the hottest spot). */
void         gw_heat_ramp_color          (double            t,
                                          GdkRGBA          *color);

G_END_DECLS
