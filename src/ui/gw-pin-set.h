/* gw-pin-set.h — the incident layer's data: pins by slot, their statuses, the spatial
 * index and the clusters of every grid level asked for
 *
 * Plain data for GwIncidentLayer, which reads the fields directly; the functions keep
 * them consistent.
 */
#pragma once

#include <glib.h>

#include "gw-cluster.h"
#include "gw-incident.h"
#include "gw-incident-class.h"
#include "gw-pin-atlas.h"

G_BEGIN_DECLS

typedef struct {
  GwIncident *incident;    /* NULL for a free slot */
  double      x, y;        /* normalized Mercator */
  guint8      priority;
  guint8      glyph;
  guint8      animating;   /* an ANIM_NEW is running: drawn by the animation pass */
} GwPin;

typedef struct {
  GArray       *pins;        /* GwPin, by slot */
  GByteArray   *status;      /* GwPinStatus, by slot */
  GArray       *free_slots;  /* guint */
  GHashTable   *by_id;       /* incident id (owned by the pin's incident) → slot + 1 */
  GwPointIndex *index;
  guint         status_serial;  /* bump after changing status[] */

  GHashTable   *glyph_by_class;  /* class code → glyph index (1-based) */
  GPtrArray    *glyphs;          /* char*, glyph index - 1 → first character */

  int           coordinates;     /* GwTileCoordinates the pins are projected for */

  /* Clusters per grid level, valid for these serials. */
  GArray       *levels[GW_POINT_INDEX_BITS + 1];
  guint         levels_serial;
  guint         levels_status_serial;
} GwPinSet;

GwPinSet *gw_pin_set_new          (void);
void      gw_pin_set_free         (GwPinSet         *self);

/* Adds or updates the pin of @incident; returns its slot and sets @added if new. */
guint     gw_pin_set_upsert       (GwPinSet         *self,
                                   GwIncident       *incident,
                                   GwPinStatus       status,
                                   gboolean         *added);
/* Removes the pin of @incident; returns its slot, or -1 if it had none. */
gint      gw_pin_set_remove       (GwPinSet         *self,
                                   const GwIncident *incident);
void      gw_pin_set_clear        (GwPinSet         *self);
/* The slot of @incident_id, or -1. */
gint      gw_pin_set_lookup       (GwPinSet         *self,
                                   const char       *incident_id);

/* Projects every pin for basemap tiles in @coordinates (a GwTileCoordinates): GCJ-02
 * tiles need the pins shifted to match. */
void      gw_pin_set_set_coordinates (GwPinSet      *self,
                                      int            coordinates);

/* Rebuilds the category glyphs from @classes (GwIncidentClass*). */
void      gw_pin_set_set_classes  (GwPinSet         *self,
                                   GPtrArray        *classes);

/* The clusters at @level: cached until the pins or their statuses change; merged from a
 * finer cached level when there is one, else clustered from the index. */
GArray   *gw_pin_set_get_clusters (GwPinSet         *self,
                                   guint             level);
/* Whether @level's clusters are cached and current. */
gboolean  gw_pin_set_has_clusters (GwPinSet         *self,
                                   guint             level);

/* Re-derives every pin's status at @now; appends the slots that just went late to
 * @turned_late (when not NULL). Sets @next_late_at to the earliest deadline of an open,
 * on-time pin (or GW_TIME_NONE). Returns whether any status changed. */
gboolean  gw_pin_set_refresh      (GwPinSet         *self,
                                   GwTime            now,
                                   GArray           *turned_late,
                                   GwTime           *next_late_at);

/* The index in @clusters (made at @level) of the item drawn under the normalized point
 * (px, py) at world size @scale pixels, within @slack_px of its edge; or -1. */
gint      gw_pin_set_pick         (GwPinSet         *self,
                                   GArray           *clusters,
                                   guint             level,
                                   double            px,
                                   double            py,
                                   double            scale,
                                   double            slack_px);

static inline GwPin *
gw_pin_set_pin (GwPinSet *self, guint slot)
{
  return &g_array_index (self->pins, GwPin, slot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwPinSet, gw_pin_set_free)

G_END_DECLS
