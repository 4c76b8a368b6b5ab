/* gw-mbtiles-source.h — raster tiles from an MBTiles file (SQLite), off the main thread
 *
 * MBTiles 1.3: a `metadata` (name, value) table and a `tiles` (zoom_level, tile_column,
 * tile_row, tile_data) table or view, rows counted from the south (TMS). The file is
 * opened read-only on a worker thread with a connection of its own; tiles are read
 * there too, and ::received-data is emitted on the thread that asked.
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define GW_MBTILES_ERROR (gw_mbtiles_error_quark ())

typedef enum {
  GW_MBTILES_ERROR_OPEN,         /* cannot open or read the file */
  GW_MBTILES_ERROR_INVALID,      /* not an MBTiles file, or a corrupt one */
  GW_MBTILES_ERROR_UNSUPPORTED,  /* vector (pbf) tiles */
  GW_MBTILES_ERROR_BAD_TILE,     /* a tile that is not an image */
} GwMbtilesError;

GQuark gw_mbtiles_error_quark (void);

#define GW_TYPE_MBTILES_SOURCE (gw_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (GwMbtilesSource, gw_mbtiles_source, GW, MBTILES_SOURCE, ShumateDataSource)

/* Opens and checks @path on a worker thread. */
void             gw_mbtiles_source_new_async      (const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GwMbtilesSource *gw_mbtiles_source_new_finish     (GAsyncResult        *result,
                                                   GError             **error);

const char      *gw_mbtiles_source_get_path        (GwMbtilesSource     *self);
/* Metadata; NULL when the file does not say. */
const char      *gw_mbtiles_source_get_name        (GwMbtilesSource     *self);
const char      *gw_mbtiles_source_get_attribution (GwMbtilesSource     *self);
/* "png", "jpg" or "webp". */
const char      *gw_mbtiles_source_get_format      (GwMbtilesSource     *self);
/* From the metadata, else from the tiles themselves. */
guint            gw_mbtiles_source_get_min_zoom    (GwMbtilesSource     *self);
guint            gw_mbtiles_source_get_max_zoom    (GwMbtilesSource     *self);
/* West, south, east, north in WGS-84 degrees; FALSE when the file has no bounds. */
gboolean         gw_mbtiles_source_get_bounds      (GwMbtilesSource     *self,
                                                    double              *west,
                                                    double              *south,
                                                    double              *east,
                                                    double              *north);
/* Whether slippy tile (x, y, zoom) lies within the zooms and bounds of the file. */
gboolean         gw_mbtiles_source_covers          (GwMbtilesSource     *self,
                                                    int                  x,
                                                    int                  y,
                                                    int                  zoom);

/* Whether @bytes start like a PNG, JPEG or WebP image. */
gboolean         gw_tile_bytes_look_like_image     (GBytes              *bytes);

G_END_DECLS
