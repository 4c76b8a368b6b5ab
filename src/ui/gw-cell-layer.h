/* gw-cell-layer.h — all grid cells in one ShumateLayer, as a choropleth
 *
 * Cells are irregular polygons. They are rasterized with cairo into 256-pixel tiles at
 * the current zoom, kept as textures and reused while the map pans; while a zoom is in
 * progress the tiles of the last settled zoom are scaled. Borders are part of the
 * tiles; names, codes and the hover highlight are drawn on top each frame.
 */
#pragma once

#include <shumate/shumate.h>

#include "gw-basemap.h"
#include "gw-cell.h"
#include "gw-geo.h"

G_BEGIN_DECLS

typedef enum {
  GW_CELL_METRIC_OPEN,  /* open-case load */
  GW_CELL_METRIC_LATE,  /* late cases */
} GwCellMetric;

typedef struct {
  guint open;
  guint late;
  guint received_today;
  guint closed_today;
} GwCellStats;

#define GW_CELL_LAYER_N_CLASSES 5

#define GW_TYPE_CELL_LAYER (gw_cell_layer_get_type ())
G_DECLARE_FINAL_TYPE (GwCellLayer, gw_cell_layer, GW, CELL_LAYER, ShumateLayer)

GwCellLayer       *gw_cell_layer_new          (ShumateViewport *viewport);

/* Takes an array of GwCell*. */
void               gw_cell_layer_set_cells    (GwCellLayer     *self,
                                               GPtrArray       *cells);
guint              gw_cell_layer_get_n_cells  (GwCellLayer     *self);
GwCell            *gw_cell_layer_lookup       (GwCellLayer     *self,
                                               const char      *code);
/* The datum of the basemap tiles: cells move to match GCJ-02 tiles. */
void               gw_cell_layer_set_coordinates (GwCellLayer      *self,
                                                  GwTileCoordinates coordinates);
GwTileCoordinates  gw_cell_layer_get_coordinates (GwCellLayer      *self);
/* Translucent fills, for when a basemap is under the cells. */
void               gw_cell_layer_set_see_through (GwCellLayer      *self,
                                                  gboolean          see_through);
/* Where the cell's label anchor (its centroid) is drawn, in widget coordinates. */
gboolean           gw_cell_layer_get_cell_position (GwCellLayer    *self,
                                                    const char     *code,
                                                    double         *x,
                                                    double         *y);
/* The bounds of every cell in normalized Mercator (of the tiles); FALSE without cells. */
gboolean           gw_cell_layer_get_bounds   (GwCellLayer     *self,
                                               GwBBox          *bounds);

/* Replaces the per-cell counts: @stats maps cell codes to GwCellStats*; cells missing
 * from it count zero. */
void               gw_cell_layer_set_stats    (GwCellLayer     *self,
                                               GHashTable      *stats);
const GwCellStats *gw_cell_layer_get_stats    (GwCellLayer     *self,
                                               const char      *code);

void               gw_cell_layer_set_metric   (GwCellLayer     *self,
                                               GwCellMetric     metric);
GwCellMetric       gw_cell_layer_get_metric   (GwCellLayer     *self);

/* Legend class @k (0 ≤ k < GW_CELL_LAYER_N_CLASSES): its fill and the counts it covers
 * (@max is G_MAXUINT for the open-ended top class). */
void               gw_cell_layer_get_class    (GwCellLayer     *self,
                                               guint            k,
                                               GdkRGBA         *color,
                                               guint           *min,
                                               guint           *max);

/* Hit test at widget coordinates. */
GwCell            *gw_cell_layer_pick         (GwCellLayer     *self,
                                               double           x,
                                               double           y);
/* Highlights the cell under (x, y); returns it. Negative coordinates clear it. */
GwCell            *gw_cell_layer_hover_at     (GwCellLayer     *self,
                                               double           x,
                                               double           y);
/* Picks and emits ::cell-activated; FALSE if no cell is there. */
gboolean           gw_cell_layer_activate_at  (GwCellLayer     *self,
                                               double           x,
                                               double           y);

/* Benchmarks: TRUE (default) caches tiles; FALSE rasterizes the viewport every frame. */
void               gw_cell_layer_set_use_tiles (GwCellLayer    *self,
                                                gboolean        use_tiles);

G_END_DECLS
