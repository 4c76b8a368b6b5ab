/* gw-bench-frames.c — the frames the map benchmarks draw (see the header) */

#include <math.h>

#include "gw-bench-frames.h"
#include "gw-geo.h"

/* Pans across the street at 1.5 zoom levels above the fit, then zooms from the fit to
 * 3 levels in and back, one step per frame. */
void
gw_bench_set_frame_view (ShumateViewport *viewport,
                         double           fit_lon,
                         double           fit_lat,
                         double           fit_zoom,
                         guint            frame,
                         guint            n_frames)
{
  double zoom, x, y, lat, lon;

  gw_geo_project (fit_lon, fit_lat, &x, &y);
  if (frame < n_frames / 2)
    {
      double t = (double) frame / (n_frames / 2);
      zoom = fit_zoom + 1.5;
      /* 12 px per frame to the east and a little south. */
      x += (frame * 12.0 - n_frames / 4 * 12.0) / (256 * exp2 (zoom));
      y += (t - 0.5) * 200 / (256 * exp2 (zoom));
    }
  else
    {
      double t = (double) (frame - n_frames / 2) / (n_frames / 2);
      zoom = fit_zoom + 3.0 * sin (t * G_PI);
    }
  gw_geo_unproject (x, y, &lon, &lat);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
}

/* The widget's own snapshot, as its parent calls it in a frame: children whose drawing
 * is still valid hand back their cached nodes, exactly as in GTK's paint phase. */
GskRenderNode *
gw_bench_snapshot_widget (GtkWidget *widget)
{
  GtkSnapshot *s = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, s);
  return gtk_snapshot_free_to_node (s);
}

int
gw_bench_cmp_double (gconstpointer a,
                     gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}
