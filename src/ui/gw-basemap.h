/* gw-basemap.h — the map's basemap layer, from the settings, and its quiet notice
 *
 * Follows the GSettings keys basemap (none, demo, xyz, mbtiles), xyz-url,
 * xyz-attribution, xyz-min-zoom, xyz-max-zoom, mbtiles-path and tile-coordinates, live.
 * The tile layer goes under every other layer of the map. When tiles fail (a missing or
 * bad tile, a server that cannot be reached) a small notice shows on the map; it goes
 * away once tiles load again. Cells and pins never wait for tiles.
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* The datum the basemap tiles are drawn in; overlays are shifted to match. */
typedef enum {
  GW_TILE_COORDINATES_WGS84,
  GW_TILE_COORDINATES_GCJ02,
} GwTileCoordinates;

#define GW_TYPE_TILE_COORDINATES (gw_tile_coordinates_get_type ())
GType gw_tile_coordinates_get_type (void) G_GNUC_CONST;

/* WGS-84 longitude/latitude to normalized Web-Mercator on tiles of @coordinates (GCJ-02
 * shifts only inside China), and back. */
void  gw_tile_coordinates_project   (GwTileCoordinates coordinates,
                                     double            lon,
                                     double            lat,
                                     double           *x,
                                     double           *y);
void  gw_tile_coordinates_unproject (GwTileCoordinates coordinates,
                                     double            x,
                                     double            y,
                                     double           *lon,
                                     double           *lat);

#define GW_TYPE_BASEMAP (gw_basemap_get_type ())
G_DECLARE_FINAL_TYPE (GwBasemap, gw_basemap, GW, BASEMAP, GObject)

/* Puts its layer under the other layers of @map and follows @settings. */
GwBasemap        *gw_basemap_new             (ShumateMap *map,
                                              GSettings  *settings);
/* The notice to overlay on the map (hidden while tiles are fine). */
GtkWidget        *gw_basemap_get_notice      (GwBasemap  *self);
/* The current notice text, or NULL. */
const char       *gw_basemap_get_notice_text (GwBasemap  *self);
GwTileCoordinates gw_basemap_get_coordinates (GwBasemap  *self);
/* The tile layer, or NULL for no basemap (or while it is being opened). */
ShumateMapLayer  *gw_basemap_get_layer       (GwBasemap  *self);
/* Tiles shown since the basemap last changed; tests wait on it. */
guint             gw_basemap_get_n_loaded    (GwBasemap  *self);
/* Where `demo` finds its MBTiles file: the build tree, else the installed data. */
char             *gw_basemap_find_demo       (void);

G_END_DECLS
