/* gw-bench-frames.h — the frames the map benchmarks draw
 *
 * gw-bench-map and gw-bench-heat follow the same trajectory and snapshot the map the
 * same way, so the pins' and the heat map's frame costs compare.
 */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

G_BEGIN_DECLS

void           gw_bench_set_frame_view  (ShumateViewport *viewport,
                                         double           fit_lon,
                                         double           fit_lat,
                                         double           fit_zoom,
                                         guint            frame,
                                         guint            n_frames);
GskRenderNode *gw_bench_snapshot_widget (GtkWidget       *widget);
int            gw_bench_cmp_double      (gconstpointer    a,
                                         gconstpointer    b);

G_END_DECLS
