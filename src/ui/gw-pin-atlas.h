/* gw-pin-atlas.h — the pre-drawn images of pins, clusters and their count labels
 *
 * Every look a pin or a cluster can take is a small cairo drawing kept as a GdkTexture,
 * so the GL renderer uploads each look once. The looks are drawn ahead on a worker
 * thread (at start-up and whenever the glyphs or the scale change); one asked for
 * before the worker is done is drawn on the spot.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-incident.h"

G_BEGIN_DECLS

typedef enum {
  GW_PIN_STATUS_LATE,     /* open past its deadline: red */
  GW_PIN_STATUS_WAITING,  /* received or registered, not yet dispatched: blue */
  GW_PIN_STATUS_ACTIVE,   /* with a department: amber */
  GW_PIN_STATUS_CLOSED,   /* closed or evaluated: grey */
  GW_N_PIN_STATUSES
} GwPinStatus;

/* Countdown ring steps of a pin: 0..GW_PIN_RING_STEPS of the time left, or none, or
 * the full red ring of a late pin. */
#define GW_PIN_RING_STEPS 24
#define GW_PIN_RING_NONE  (GW_PIN_RING_STEPS + 1)
#define GW_PIN_RING_LATE  (GW_PIN_RING_STEPS + 2)

#define GW_PIN_ATLAS_MAX_GLYPHS 31

typedef enum {
  GW_PIN_SPECIAL_BADGE = 1,  /* the red disc behind a cluster's late count */
  GW_PIN_SPECIAL_HALO,       /* the ring a pin that just went late pulses with */
  GW_PIN_SPECIAL_SELECTION,  /* around the selected pin */
} GwPinSpecial;

typedef struct {
  GskRenderNode *node;   /* the text, drawn once, at its top left */
  int            width, height;
} GwPinLabel;

void        gw_pin_status_get_color     (GwPinStatus  status,
                                         GdkRGBA     *color);
/* The status a pin shows for @incident at @now. */
GwPinStatus gw_pin_status_for_incident  (const GwIncident *incident,
                                         GwTime            now);
/* The countdown ring step of a pin of @status for @incident at @now. */
guint       gw_pin_ring_step            (const GwIncident *incident,
                                         GwPinStatus       status,
                                         GwTime            now);

#define GW_TYPE_PIN_ATLAS (gw_pin_atlas_get_type ())
G_DECLARE_FINAL_TYPE (GwPinAtlas, gw_pin_atlas, GW, PIN_ATLAS, GObject)

GwPinAtlas *gw_pin_atlas_new            (void);

/* Both drop every image and draw them again ahead (when they change).
 * @scale: device pixels per logical pixel; @size: pins, clusters and their labels are
 * @size times their base size (2 on a 4K wall); gw_pin_atlas_append() still takes the
 * device scale. */
void        gw_pin_atlas_set_scale      (GwPinAtlas  *self,
                                         int          scale,
                                         guint        size);
/* @glyphs: the first character of each category, glyph index - 1 → char*. */
void        gw_pin_atlas_set_glyphs     (GwPinAtlas  *self,
                                         GPtrArray   *glyphs);
/* TRUE while the worker is still drawing ahead. */
gboolean    gw_pin_atlas_get_busy       (GwPinAtlas  *self);

double      gw_pin_atlas_pin_radius     (guint        priority);
double      gw_pin_atlas_cluster_radius (guint        count);

GdkTexture *gw_pin_atlas_get_pin        (GwPinAtlas  *self,
                                         GwPinStatus  status,
                                         guint        priority,
                                         guint        glyph,
                                         guint        ring);
/* @counts: members per GwPinStatus of a cluster of @count. */
GdkTexture *gw_pin_atlas_get_cluster    (GwPinAtlas  *self,
                                         const guint *counts,
                                         guint        count);
GdkTexture *gw_pin_atlas_get_special    (GwPinAtlas  *self,
                                         GwPinSpecial which);
/* Appends @texture centred on (sx, sy), snapped to whole pixels. */
void        gw_pin_atlas_append         (GtkSnapshot *snapshot,
                                         GdkTexture  *texture,
                                         int          scale,
                                         double       sx,
                                         double       sy);
/* Appends a cluster of @count centred on (sx, sy): its donut, its count and, when
 * some are late, the red badge with theirs. */
void        gw_pin_atlas_append_cluster (GwPinAtlas  *self,
                                         GtkSnapshot *snapshot,
                                         GtkWidget   *widget,
                                         const guint *counts,
                                         guint        count,
                                         int          scale,
                                         double       sx,
                                         double       sy);
/* A count as a text node, laid out with @widget's Pango context. */
const GwPinLabel *gw_pin_atlas_get_label (GwPinAtlas *self,
                                          GtkWidget  *widget,
                                          guint       value,
                                          gboolean    small);

G_END_DECLS
