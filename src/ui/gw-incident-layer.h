/* gw-incident-layer.h — every incident pin in one ShumateLayer
 *
 * Pins live in plain arrays of normalized Web-Mercator coordinates (GwPinSet) and are
 * drawn in snapshot() as one texture node each from pre-drawn images (GwPinAtlas); at
 * zooms where they would overlap they merge into grid clusters. No widget per pin.
 */
#pragma once

#include <shumate/shumate.h>

#include "gw-basemap.h"
#include "gw-geo.h"
#include "gw-incident.h"
#include "gw-incident-class.h"
#include "gw-pin-atlas.h"

G_BEGIN_DECLS

typedef struct {
  GwIncident *incident;   /* (transfer none) a single pin, or NULL for a cluster */
  guint       count;      /* pins under the hit: 1 for a pin */
  guint       counts[GW_N_PIN_STATUSES];
  double      latitude;   /* where the hit item is drawn */
  double      longitude;
  double      x, y;       /* the same in widget coordinates */
} GwIncidentPick;

#define GW_TYPE_INCIDENT_LAYER (gw_incident_layer_get_type ())
G_DECLARE_FINAL_TYPE (GwIncidentLayer, gw_incident_layer, GW, INCIDENT_LAYER, ShumateLayer)

GwIncidentLayer *gw_incident_layer_new          (ShumateViewport  *viewport);

/* Class codes → category glyphs on the pins. Takes an array of GwIncidentClass*. */
void             gw_incident_layer_set_classes  (GwIncidentLayer  *self,
                                                 GPtrArray        *classes);
/* Adds or replaces the pins of @incidents (GwIncident*). New pins pop in once when
 * @animate is TRUE (live changes; not a snapshot load). */
void             gw_incident_layer_upsert       (GwIncidentLayer  *self,
                                                 GPtrArray        *incidents,
                                                 gboolean          animate);
void             gw_incident_layer_remove       (GwIncidentLayer  *self,
                                                 GPtrArray        *incidents);
void             gw_incident_layer_clear        (GwIncidentLayer  *self);
guint            gw_incident_layer_get_n_pins   (GwIncidentLayer  *self);

/* gw_pin_status_for_incident () and gw_pin_status_get_color (): see gw-pin-atlas.h. */

/* A fixed clock for tests and benchmarks; GW_TIME_NONE follows the real time. */
void             gw_incident_layer_set_now      (GwIncidentLayer  *self,
                                                 GwTime            now);
void             gw_incident_layer_set_animate  (GwIncidentLayer  *self,
                                                 gboolean          animate);
gboolean         gw_incident_layer_get_animating (GwIncidentLayer *self);

/* The datum of the basemap tiles: pins move to match GCJ-02 tiles. */
void             gw_incident_layer_set_coordinates (GwIncidentLayer   *self,
                                                    GwTileCoordinates  coordinates);
GwTileCoordinates gw_incident_layer_get_coordinates (GwIncidentLayer  *self);
/* The extent of every pin, in normalized Mercator of the tiles; FALSE without pins. */
gboolean         gw_incident_layer_get_bounds   (GwIncidentLayer  *self,
                                                 GwBBox           *bounds);

/* How many times their base size the pins are drawn: the scale of the wall the layer is
 * on (gw-wall-style.h), rounded; 1 elsewhere. Follows it at each frame. */
guint            gw_incident_layer_get_pin_size (GwIncidentLayer  *self);

/* Hit test at widget coordinates of the layer: the pin or cluster drawn there. */
gboolean         gw_incident_layer_pick         (GwIncidentLayer  *self,
                                                 double            x,
                                                 double            y,
                                                 GwIncidentPick   *pick);
/* Picks and emits ::incident-activated or ::cluster-activated; FALSE if nothing. */
gboolean         gw_incident_layer_activate_at  (GwIncidentLayer  *self,
                                                 double            x,
                                                 double            y);

void             gw_incident_layer_set_selected (GwIncidentLayer  *self,
                                                 const char       *incident_id);
GwIncident      *gw_incident_layer_lookup       (GwIncidentLayer  *self,
                                                 const char       *incident_id);
/* Where a pin is drawn, in widget coordinates; FALSE if it is unknown. */
gboolean         gw_incident_layer_get_pin_position (GwIncidentLayer *self,
                                                     const char      *incident_id,
                                                     double          *x,
                                                     double          *y);

G_END_DECLS
