/* gw-cluster.h — spatial indexes and grid clustering in normalized Mercator space
 *
 * GwPointIndex keeps points sorted by their Morton (Z-order) key, 30 bits per axis. In
 * that order every cell of the quadtree grid at any level is one contiguous run, so:
 *  - clustering at a level is one linear scan that cuts the array where the cell
 *    changes (every point lands in exactly one cluster, by construction);
 *  - a box or radius query is a handful of binary searches over those runs.
 * Points are named by small caller-chosen ids (slot numbers); per-point attributes such
 * as the status category stay in the caller's arrays, indexed by id.
 *
 * GwRectIndex is a uniform grid of buckets over rectangles (polygon bounds) for hit
 * testing and culling a few thousand polygons.
 */
#pragma once

#include <glib.h>

#include "gw-geo.h"

G_BEGIN_DECLS

#define GW_POINT_INDEX_BITS      30   /* per axis; levels 0..30 */
#define GW_CLUSTER_MAX_CATEGORIES 8

typedef struct _GwPointIndex GwPointIndex;

typedef struct {
  double  x, y;                               /* mean of the members */
  guint   start;                              /* first member, in index order */
  guint   count;                              /* number of members */
  guint   counts[GW_CLUSTER_MAX_CATEGORIES];  /* members per category */
  guint64 cell;                               /* grid cell at the clustering level */
} GwCluster;

typedef void (*GwPointFunc) (guint id, double x, double y, gpointer user_data);

GwPointIndex *gw_point_index_new        (void);
void          gw_point_index_free       (GwPointIndex *self);

/* @id must not be live already. Points outside [0,1]² are clamped for ordering. */
void          gw_point_index_insert     (GwPointIndex *self,
                                         guint         id,
                                         double        x,
                                         double        y);
/* Removes the live point @id (inserted earlier); unknown ids are ignored. */
void          gw_point_index_remove     (GwPointIndex *self,
                                         guint         id);
void          gw_point_index_clear      (GwPointIndex *self);

guint         gw_point_index_get_size   (GwPointIndex *self);
/* Bumped by every insert, remove and clear: a cache key for derived data. */
guint         gw_point_index_get_serial (GwPointIndex *self);
/* The id at @pos in index order (0 ≤ pos < size). */
guint         gw_point_index_get_id     (GwPointIndex *self,
                                         guint         pos);

void          gw_point_index_foreach_in (GwPointIndex *self,
                                         const GwBBox *box,
                                         GwPointFunc   func,
                                         gpointer      user_data);
/* The live point nearest (x, y) within @radius, or FALSE. */
gboolean      gw_point_index_nearest    (GwPointIndex *self,
                                         double        x,
                                         double        y,
                                         double        radius,
                                         guint        *id,
                                         double       *distance);

/* The quadtree level whose cells are at least @cell_px pixels wide at @zoom. */
guint         gw_cluster_level_for_zoom (double        zoom,
                                         double        tile_size,
                                         double        cell_px);
/* Groups every live point by its grid cell at @level. @categories[id] (< n_categories,
 * at most GW_CLUSTER_MAX_CATEGORIES) is each point's category. Returns GwCluster in
 * index order. */
GArray       *gw_point_index_cluster    (GwPointIndex *self,
                                         guint         level,
                                         const guint8 *categories,
                                         guint         n_categories);

/* The clusters of @clusters (made at @fine_level) merged to the coarser @level: the
 * same result as clustering the points at @level, in time linear in the clusters. */
GArray       *gw_clusters_coarsen       (GArray       *clusters,
                                         guint         fine_level,
                                         guint         level);

/* Appends to @runs (a GArray of guint pairs: first, end) the runs of @clusters (made
 * at @level) whose cells may meet @box, in order. Every cluster whose mean lies in
 * @box is in a run; a few outside it may be too. A few binary searches: the Z order
 * makes the clusters of any coarser cell one contiguous run. */
void          gw_clusters_runs_in_box   (GArray       *clusters,
                                         guint         level,
                                         const GwBBox *box,
                                         GArray       *runs);

/* The grid cell (a GwCluster.cell) that holds (x, y) at @level. */
guint64       gw_cluster_cell_at        (double        x,
                                         double        y,
                                         guint         level);
/* The index in @clusters (as returned for that level) of the cluster of @cell, or -1:
 * a binary search, so clusters double as the spatial index of what is drawn. */
gint          gw_clusters_find_cell     (GArray       *clusters,
                                         guint64       cell);

typedef struct _GwRectIndex GwRectIndex;

/* @boxes: @n rectangles, indexed 0..n-1. Copies what it needs. */
GwRectIndex  *gw_rect_index_new         (const GwBBox *boxes,
                                         guint         n);
void          gw_rect_index_free        (GwRectIndex  *self);
/* Appends to @out (a GArray of guint) every rectangle that contains (x, y), in
 * index order. */
void          gw_rect_index_query_point (GwRectIndex  *self,
                                         double        x,
                                         double        y,
                                         GArray       *out);
/* Appends to @out (guint) every rectangle that intersects @box, once each, in index
 * order. */
void          gw_rect_index_query_box   (GwRectIndex  *self,
                                         const GwBBox *box,
                                         GArray       *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwPointIndex, gw_point_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwRectIndex, gw_rect_index_free)

G_END_DECLS
