/* gw-basemap-render.h — the demo street's offline basemap, drawn with cairo
 *
 * A calm dark-grey map made from the street's own geometry (gw-street.c): blocks
 * between roads that follow the cell borders, the named main roads, a canal and a park
 * lake, residential slabs at close zooms, community and road names. It sits under the
 * coloured cells, so it stays low in contrast. Used at build time to write the MBTiles
 * file the app ships (gridwatch-basemap).
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define GW_BASEMAP_TILE_SIZE 256

typedef struct _GwBasemapRender GwBasemapRender;

GwBasemapRender *gw_basemap_render_new          (void);
void             gw_basemap_render_free         (GwBasemapRender *self);

/* The area the basemap covers (the street and a margin), WGS-84 degrees. */
void             gw_basemap_render_get_bounds   (GwBasemapRender *self,
                                                 double          *west,
                                                 double          *south,
                                                 double          *east,
                                                 double          *north);
/* Draws slippy tile (x, y) of @zoom into @cr, whose origin is the tile's top-left
 * corner and whose unit is one pixel of a 256-pixel tile. */
void             gw_basemap_render_tile         (GwBasemapRender *self,
                                                 cairo_t         *cr,
                                                 int              zoom,
                                                 int              x,
                                                 int              y);
/* The tile as PNG bytes. */
GBytes          *gw_basemap_render_tile_png     (GwBasemapRender *self,
                                                 int              zoom,
                                                 int              x,
                                                 int              y);
/* Writes every tile of zooms @min_zoom…@max_zoom covering the bounds to a new MBTiles
 * file at @path (replaced atomically). */
gboolean         gw_basemap_render_write_mbtiles (GwBasemapRender *self,
                                                  const char      *path,
                                                  int              min_zoom,
                                                  int              max_zoom,
                                                  guint           *n_tiles,
                                                  GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwBasemapRender, gw_basemap_render_free)

G_END_DECLS
