/* gw-geo.h — Web-Mercator projection, WGS-84 ⇄ GCJ-02, bounding boxes
 *
 * The map layers keep every point in normalized Web-Mercator coordinates: x and y in
 * [0, 1], x growing east from 180°W and y growing south from 85.0511°N, the way slippy
 * map tiles count. A point at zoom z lies at (x, y) * tile_size * 2^z pixels.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The latitude where Web-Mercator's square world ends. */
#define GW_GEO_MAX_LATITUDE 85.05112877980659

typedef struct {
  double x0, y0;  /* min */
  double x1, y1;  /* max */
} GwBBox;

/* Longitude/latitude (degrees) to normalized Mercator; latitudes are clamped. */
void     gw_geo_project        (double        lon,
                                double        lat,
                                double       *x,
                                double       *y);
void     gw_geo_unproject      (double        x,
                                double        y,
                                double       *lon,
                                double       *lat);
/* Projects @n lon,lat pairs into @xy (may be the same array). */
void     gw_geo_project_array  (const double *lonlat,
                                double       *xy,
                                guint         n);

/* Great-circle distance in metres (haversine on a sphere of 6,371,008.8 m). */
double   gw_geo_distance_m     (double        lon1,
                                double        lat1,
                                double        lon2,
                                double        lat2);

/* China's GCJ-02 ("Mars") datum used by Amap, Tencent and most Chinese basemaps.
 * Outside mainland China's rough bounding box both conversions are the identity. */
gboolean gw_geo_out_of_china   (double        lon,
                                double        lat);
void     gw_geo_wgs84_to_gcj02 (double        lon,
                                double        lat,
                                double       *gcj_lon,
                                double       *gcj_lat);
/* The inverse, by fixed-point iteration to better than 1e-9° (≈ 0.1 mm). */
void     gw_geo_gcj02_to_wgs84 (double        gcj_lon,
                                double        gcj_lat,
                                double       *lon,
                                double       *lat);

/* The zoom at which @box (normalized Mercator) fits @width × @height pixels, leaving
 * @padding pixels on every side, for tiles of @tile_size pixels. */
double   gw_geo_zoom_for_bbox  (const GwBBox *box,
                                double        width,
                                double        height,
                                double        tile_size,
                                double        padding);

/* Fits @box into the part of a @width × @height view left free by @left, @top, @right
 * and @bottom pixels (overlays), with @padding more on every side: the zoom, and the
 * view centre (normalized) that puts the box in the middle of that free part. */
void     gw_geo_fit_bbox       (const GwBBox *box,
                                double        width,
                                double        height,
                                double        tile_size,
                                double        padding,
                                double        left,
                                double        top,
                                double        right,
                                double        bottom,
                                double       *zoom,
                                double       *cx,
                                double       *cy);

/* Even-odd point-in-polygon on a ring of @n x,y pairs (open or closed). */
gboolean gw_geo_ring_contains  (const double *xy,
                                guint         n,
                                double        x,
                                double        y);
/* Squared distance from (x, y) to the segment (ax, ay)–(bx, by). */
double   gw_geo_segment_dist2  (double        x,
                                double        y,
                                double        ax,
                                double        ay,
                                double        bx,
                                double        by);

void     gw_bbox_init_empty    (GwBBox       *box);
gboolean gw_bbox_is_empty      (const GwBBox *box);
void     gw_bbox_add_point     (GwBBox       *box,
                                double        x,
                                double        y);
void     gw_bbox_union         (GwBBox       *box,
                                const GwBBox *other);
void     gw_bbox_expand        (GwBBox       *box,
                                double        margin);
gboolean gw_bbox_intersects    (const GwBBox *a,
                                const GwBBox *b);
gboolean gw_bbox_contains      (const GwBBox *box,
                                double        x,
                                double        y);

G_END_DECLS
