/* gw-layer-view.c — the viewport geometry both map layers draw with */
#include "config.h"

#include <math.h>

#include "gw-geo.h"
#include "gw-layer-view.h"

gboolean
gw_layer_view_get (GtkWidget *layer, ShumateViewport *viewport, GwLayerView *v)
{
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);

  v->tile_size = source ? shumate_map_source_get_tile_size (source) : 256.0;
  v->width = gtk_widget_get_width (layer);
  v->height = gtk_widget_get_height (layer);
  v->zoom = shumate_viewport_get_zoom_level (viewport);
  v->scale = v->tile_size * exp2 (v->zoom);
  v->rotation = shumate_viewport_get_rotation (viewport);
  gw_geo_project (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  &v->cx, &v->cy);
  return v->width > 0 && v->height > 0;
}

void
gw_layer_view_rotate (const GwLayerView *v, gboolean forward, double *sx, double *sy)
{
  double dx = *sx - v->width / 2, dy = *sy - v->height / 2;
  double a = forward ? v->rotation : -v->rotation;
  double c = cos (a), s = sin (a);

  if (v->rotation == 0)
    return;
  *sx = v->width / 2 + c * dx - s * dy;
  *sy = v->height / 2 + s * dx + c * dy;
}

void
gw_layer_view_from_widget (const GwLayerView *v, double sx, double sy, double *x, double *y)
{
  /* Undo the rotation around the centre the layers draw with. */
  gw_layer_view_rotate (v, FALSE, &sx, &sy);
  *x = v->cx + (sx - v->width / 2) / v->scale;
  *y = v->cy + (sy - v->height / 2) / v->scale;
}

void
gw_layer_view_push_rotation (const GwLayerView *v, GtkSnapshot *snapshot)
{
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (v->width / 2, v->height / 2));
  gtk_snapshot_rotate (snapshot, v->rotation * 180 / G_PI);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-v->width / 2, -v->height / 2));
}
