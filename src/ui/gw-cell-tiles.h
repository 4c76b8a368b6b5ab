/* gw-cell-tiles.h — the cell layer's tile cache, rasterized on a worker thread
 *
 * A GwCellScene is an immutable copy of what the cells look like (rings, fill classes,
 * colours); worker threads rasterize 256-pixel tiles of it with cairo, and the main
 * thread turns the finished pixels into GdkTextures when it next draws. Until a tile
 * arrives, the tile it replaces (an older style) or the tiles of the previous zoom,
 * scaled, stand in.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-geo.h"

G_BEGIN_DECLS

typedef struct {
  const double *xy;     /* projected ring, normalized; copied */
  guint         n;
  GwBBox        box;
  guint8        klass;  /* index into the fills */
} GwCellSceneShape;

typedef struct _GwCellScene GwCellScene;

GwCellScene *gw_cell_scene_new   (const GwCellSceneShape *shapes,
                                  guint                   n_shapes,
                                  const GdkRGBA          *fills,
                                  guint                   n_fills);
GwCellScene *gw_cell_scene_ref   (GwCellScene            *scene);
void         gw_cell_scene_unref (GwCellScene            *scene);
/* Fills and outlines every cell meeting @box (normalized) at world scale @scale, the
 * world pixel (ox, oy) at the cairo origin. Safe on any thread. */
void         gw_cell_scene_draw  (GwCellScene            *scene,
                                  cairo_t                *cr,
                                  const GwBBox           *box,
                                  double                  scale,
                                  double                  ox,
                                  double                  oy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwCellScene, gw_cell_scene_unref)

typedef struct {
  double cx, cy;          /* centre, normalized */
  double scale;           /* world size in pixels at the current zoom */
  double width, height;
  double rotation;
  double tile_size;       /* of the map source: world size is tile_size · 2^zoom */
} GwCellTilesView;

typedef struct _GwCellTiles GwCellTiles;

/* @owner is redrawn (weakly referenced) when tiles arrive. */
GwCellTiles *gw_cell_tiles_new       (GtkWidget             *owner);
void         gw_cell_tiles_free      (GwCellTiles           *self);

/* A new look. With @reshaped the cells themselves changed: old tiles are dropped
 * rather than shown until replaced. */
void         gw_cell_tiles_set_scene (GwCellTiles           *self,
                                      GwCellScene           *scene,
                                      gboolean               reshaped);
/* Appends the tiles of @render_zoom that cover the view (asking the workers for those
 * missing, and for a ring around them), over those of @prev_zoom where some are still
 * missing. */
void         gw_cell_tiles_snapshot  (GwCellTiles           *self,
                                      GtkSnapshot           *snapshot,
                                      const GwCellTilesView *view,
                                      double                 render_zoom,
                                      double                 prev_zoom,
                                      int                    scale_factor);
/* Tiles asked for and not yet back. */
guint        gw_cell_tiles_get_pending (GwCellTiles         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwCellTiles, gw_cell_tiles_free)

G_END_DECLS
