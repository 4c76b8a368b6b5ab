/* gw-pin-paint.h — drawing the pins and clusters of an area into one render node
 *
 * Plain functions for GwIncidentLayer: what is drawn where, given the data (GwPinSet),
 * the images (GwPinAtlas) and the view.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-layer-view.h"
#include "gw-pin-atlas.h"
#include "gw-pin-set.h"

G_BEGIN_DECLS

typedef struct {
  GwPinSet   *set;
  GwPinAtlas *atlas;
  GtkWidget  *widget;     /* for its Pango context */
  GArray     *clusters;   /* at @level, from the set */
  guint       level;
  GwTime      now;        /* for the countdown rings */
  int         scale;      /* of the images */
  GArray     *items;      /* scratch */
  GArray     *runs;       /* scratch */
} GwPinPaint;

/* Every item (pin or cluster) whose centre lies in @box, placed for the view @v; late
 * ones last, so nothing hides them. Pins with an animation running are left out: the
 * animation draws them. */
GskRenderNode *gw_pin_paint_items      (GwPinPaint        *paint,
                                        const GwLayerView *v,
                                        const GwBBox      *box);
/* The image of the pin in @slot. */
GdkTexture    *gw_pin_paint_pin_sprite (GwPinPaint        *paint,
                                        guint              slot);

G_END_DECLS
