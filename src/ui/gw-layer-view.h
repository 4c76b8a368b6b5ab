/* gw-layer-view.h — the viewport geometry both map layers draw with
 *
 * Layers place things themselves in normalized Web-Mercator coordinates: a point (x, y)
 * is at ((x - cx) · scale + width / 2, (y - cy) · scale + height / 2) before the
 * rotation about the widget's centre.
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

typedef struct {
  double zoom;
  double scale;       /* world size in pixels */
  double tile_size;   /* of the reference map source */
  double cx, cy;      /* centre, normalized */
  double width, height;
  double rotation;
} GwLayerView;

/* FALSE while the layer has no size. */
gboolean gw_layer_view_get         (GtkWidget         *layer,
                                    ShumateViewport   *viewport,
                                    GwLayerView       *v);
/* Normalized → widget coordinates, without the rotation. */
static inline void
gw_layer_view_to_widget (const GwLayerView *v, double x, double y, double *sx, double *sy)
{
  *sx = (x - v->cx) * v->scale + v->width / 2;
  *sy = (y - v->cy) * v->scale + v->height / 2;
}
/* Widget → normalized coordinates, undoing the rotation. */
void     gw_layer_view_from_widget (const GwLayerView *v,
                                    double             sx,
                                    double             sy,
                                    double            *x,
                                    double            *y);
/* Applies (@forward) or undoes the rotation to widget coordinates. */
void     gw_layer_view_rotate      (const GwLayerView *v,
                                    gboolean           forward,
                                    double            *sx,
                                    double            *sy);
/* Pushes the rotation about the centre onto @snapshot (after gtk_snapshot_save). */
void     gw_layer_view_push_rotation (const GwLayerView *v,
                                      GtkSnapshot       *snapshot);

G_END_DECLS
