/* gw-cluster.c — Morton-ordered point index, grid clustering, rectangle buckets */
#include "gw-cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define AXIS_CELLS  (1u << GW_POINT_INDEX_BITS)

typedef struct {
  guint64 key;
  double  x, y;
  guint   id;
  guint   op;    /* operation number of the insert, while pending */
} Entry;

struct _GwPointIndex {
  GArray     *sorted;    /* Entry, by key then id */
  GArray     *pending;   /* Entry, inserted since the last flush */
  GHashTable *removed;   /* id → operation number of its last removal */
  guint       n_live;
  guint       op;
  guint       serial;
};

/* Spreads the low 32 bits of @v to the even bits of a 64-bit word. */
static inline guint64
spread_bits (guint64 v)
{
  v &= 0xffffffffu;
  v = (v | (v << 16)) & G_GUINT64_CONSTANT (0x0000ffff0000ffff);
  v = (v | (v << 8))  & G_GUINT64_CONSTANT (0x00ff00ff00ff00ff);
  v = (v | (v << 4))  & G_GUINT64_CONSTANT (0x0f0f0f0f0f0f0f0f);
  v = (v | (v << 2))  & G_GUINT64_CONSTANT (0x3333333333333333);
  v = (v | (v << 1))  & G_GUINT64_CONSTANT (0x5555555555555555);
  return v;
}

static inline guint32
axis_cell (double v)
{
  if (!(v > 0.0))   /* also NaN */
    return 0;
  if (v >= 1.0)
    return AXIS_CELLS - 1;
  return (guint32) (v * AXIS_CELLS);
}

static inline guint64
morton (guint32 cx, guint32 cy)
{
  return spread_bits (cx) | (spread_bits (cy) << 1);
}

static int
entry_cmp (gconstpointer a, gconstpointer b)
{
  const Entry *ea = a, *eb = b;

  if (ea->key != eb->key)
    return ea->key < eb->key ? -1 : 1;
  return ea->id < eb->id ? -1 : ea->id > eb->id;
}

GwPointIndex *
gw_point_index_new (void)
{
  GwPointIndex *self = g_new0 (GwPointIndex, 1);

  self->sorted = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->pending = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->removed = g_hash_table_new (NULL, NULL);
  return self;
}

void
gw_point_index_free (GwPointIndex *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->sorted);
  g_array_unref (self->pending);
  g_hash_table_unref (self->removed);
  g_free (self);
}

void
gw_point_index_insert (GwPointIndex *self, guint id, double x, double y)
{
  Entry e = {
    .key = morton (axis_cell (x), axis_cell (y)),
    .x = x,
    .y = y,
    .id = id,
    .op = ++self->op,
  };

  g_array_append_val (self->pending, e);
  self->n_live++;
  self->serial++;
}

void
gw_point_index_remove (GwPointIndex *self, guint id)
{
  /* The caller removes only live ids; the flush drops the older entry of @id. */
  g_hash_table_insert (self->removed, GUINT_TO_POINTER (id), GUINT_TO_POINTER (++self->op));
  if (self->n_live > 0)
    self->n_live--;
  self->serial++;
}

void
gw_point_index_clear (GwPointIndex *self)
{
  g_array_set_size (self->sorted, 0);
  g_array_set_size (self->pending, 0);
  g_hash_table_remove_all (self->removed);
  self->n_live = 0;
  self->serial++;
}

static void
flush (GwPointIndex *self)
{
  GHashTable *removed = self->removed;
  guint n_removed = g_hash_table_size (removed);
  guint n_pending = self->pending->len;

  if (n_removed == 0 && n_pending == 0)
    return;

  /* Entries of the sorted array predate every pending operation. */
  Entry *s = (Entry *) (gpointer) self->sorted->data;
  guint ns = self->sorted->len;
  if (n_removed > 0)
    {
      guint w = 0;
      for (guint r = 0; r < ns; r++)
        if (!g_hash_table_contains (removed, GUINT_TO_POINTER (s[r].id)))
          s[w++] = s[r];
      ns = w;
      g_array_set_size (self->sorted, ns);
    }

  Entry *p = (Entry *) (gpointer) self->pending->data;
  guint np = 0;
  for (guint r = 0; r < n_pending; r++)
    {
      gpointer op = NULL;
      if (n_removed > 0 &&
          g_hash_table_lookup_extended (removed, GUINT_TO_POINTER (p[r].id), NULL, &op) &&
          GPOINTER_TO_UINT (op) > p[r].op)
        continue;
      p[np++] = p[r];
    }

  if (np > 0)
    {
      qsort (p, np, sizeof (Entry), entry_cmp);

      /* Merge from the back so the sorted array can grow in place. */
      g_array_set_size (self->sorted, ns + np);
      s = (Entry *) (gpointer) self->sorted->data;
      gint64 i = (gint64) ns - 1, j = (gint64) np - 1, k = (gint64) (ns + np) - 1;
      while (j >= 0)
        {
          if (i >= 0 && entry_cmp (&s[i], &p[j]) > 0)
            s[k--] = s[i--];
          else
            s[k--] = p[j--];
        }
    }

  g_array_set_size (self->pending, 0);
  g_hash_table_remove_all (removed);
  self->n_live = self->sorted->len;
}

guint
gw_point_index_get_size (GwPointIndex *self)
{
  return self->n_live;
}

guint
gw_point_index_get_serial (GwPointIndex *self)
{
  return self->serial;
}

guint
gw_point_index_get_id (GwPointIndex *self, guint pos)
{
  flush (self);
  g_return_val_if_fail (pos < self->sorted->len, G_MAXUINT);
  return g_array_index (self->sorted, Entry, pos).id;
}

/* First position whose key is >= @key. */
static guint
lower_bound (const Entry *e, guint n, guint64 key)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (e[mid].key < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Visits every entry in the grid cells at a level coarse enough that @box spans at most
 * 2×2 of them (or the whole array for a huge box). */
static void
visit_box (GwPointIndex *self,
           const GwBBox *box,
           gboolean    (*visit) (const Entry *e, gpointer data),
           gpointer      data)
{
  flush (self);

  const Entry *e = (const Entry *) (gconstpointer) self->sorted->data;
  guint n = self->sorted->len;
  double extent = MAX (box->x1 - box->x0, box->y1 - box->y0);
  int level = extent > 0 ? (int) floor (-log2 (extent)) : GW_POINT_INDEX_BITS;

  level = CLAMP (level, 0, GW_POINT_INDEX_BITS);
  if (level == 0)
    {
      for (guint i = 0; i < n; i++)
        if (!visit (&e[i], data))
          return;
      return;
    }

  guint shift = GW_POINT_INDEX_BITS - level;
  guint32 cx0 = axis_cell (box->x0) >> shift, cx1 = axis_cell (box->x1) >> shift;
  guint32 cy0 = axis_cell (box->y0) >> shift, cy1 = axis_cell (box->y1) >> shift;

  for (guint32 cy = cy0; cy <= cy1; cy++)
    for (guint32 cx = cx0; cx <= cx1; cx++)
      {
        guint64 first = morton (cx, cy) << (2 * shift);
        guint64 last = first + (G_GUINT64_CONSTANT (1) << (2 * shift));
        guint i = lower_bound (e, n, first);

        for (; i < n && e[i].key < last; i++)
          if (!visit (&e[i], data))
            return;
      }
}

typedef struct {
  const GwBBox *box;
  GwPointFunc   func;
  gpointer      user_data;
} ForeachData;

static gboolean
foreach_visit (const Entry *e, gpointer data)
{
  ForeachData *fd = data;

  if (gw_bbox_contains (fd->box, e->x, e->y))
    fd->func (e->id, e->x, e->y, fd->user_data);
  return TRUE;
}

void
gw_point_index_foreach_in (GwPointIndex *self,
                           const GwBBox *box,
                           GwPointFunc   func,
                           gpointer      user_data)
{
  ForeachData fd = { box, func, user_data };

  if (gw_bbox_is_empty (box))
    return;
  visit_box (self, box, foreach_visit, &fd);
}

typedef struct {
  double x, y;
  double best_d2;
  guint  best_id;
  gboolean found;
} NearestData;

static gboolean
nearest_visit (const Entry *e, gpointer data)
{
  NearestData *nd = data;
  double dx = e->x - nd->x, dy = e->y - nd->y;
  double d2 = dx * dx + dy * dy;

  if (d2 <= nd->best_d2 && (!nd->found || d2 < nd->best_d2 || e->id < nd->best_id))
    {
      nd->best_d2 = d2;
      nd->best_id = e->id;
      nd->found = TRUE;
    }
  return TRUE;
}

gboolean
gw_point_index_nearest (GwPointIndex *self,
                        double        x,
                        double        y,
                        double        radius,
                        guint        *id,
                        double       *distance)
{
  NearestData nd = { x, y, radius * radius, 0, FALSE };
  GwBBox box = { x - radius, y - radius, x + radius, y + radius };

  visit_box (self, &box, nearest_visit, &nd);
  if (!nd.found)
    return FALSE;
  if (id)
    *id = nd.best_id;
  if (distance)
    *distance = sqrt (nd.best_d2);
  return TRUE;
}

guint
gw_cluster_level_for_zoom (double zoom, double tile_size, double cell_px)
{
  /* Cells per axis 2^level; a cell is tile_size * 2^zoom / 2^level pixels wide. */
  double level = floor (zoom) + floor (log2 (tile_size / cell_px));

  return (guint) CLAMP (level, 0, GW_POINT_INDEX_BITS);
}

GArray *
gw_point_index_cluster (GwPointIndex *self,
                        guint         level,
                        const guint8 *categories,
                        guint         n_categories)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (GwCluster));

  g_return_val_if_fail (n_categories <= GW_CLUSTER_MAX_CATEGORIES, out);
  flush (self);

  const Entry *e = (const Entry *) (gconstpointer) self->sorted->data;
  guint n = self->sorted->len;
  guint shift = 2 * (GW_POINT_INDEX_BITS - MIN (level, GW_POINT_INDEX_BITS));
  guint i = 0;

  while (i < n)
    {
      GwCluster c = { 0 };
      double sx = 0, sy = 0;

      c.cell = e[i].key >> shift;
      c.start = i;
      for (; i < n && (e[i].key >> shift) == c.cell; i++)
        {
          guint cat = categories ? categories[e[i].id] : 0;
          sx += e[i].x;
          sy += e[i].y;
          c.counts[MIN (cat, n_categories - 1)]++;
        }
      c.count = i - c.start;
      c.x = sx / c.count;
      c.y = sy / c.count;
      g_array_append_val (out, c);
    }

  return out;
}

GArray *
gw_clusters_coarsen (GArray *clusters, guint fine_level, guint level)
{
  const GwCluster *f = (const GwCluster *) (gconstpointer) clusters->data;
  guint n = clusters->len;
  GArray *out;
  guint shift, i = 0;

  g_return_val_if_fail (level <= fine_level, g_array_ref (clusters));

  out = g_array_sized_new (FALSE, FALSE, sizeof (GwCluster), n / 2 + 1);
  shift = 2 * (MIN (fine_level, GW_POINT_INDEX_BITS) - MIN (level, GW_POINT_INDEX_BITS));
  while (i < n)
    {
      GwCluster c = { 0 };
      double sx = 0, sy = 0;

      c.cell = f[i].cell >> shift;
      c.start = f[i].start;
      /* Means weighted by the member counts: the mean of all the members. */
      for (; i < n && (f[i].cell >> shift) == c.cell; i++)
        {
          sx += f[i].x * f[i].count;
          sy += f[i].y * f[i].count;
          c.count += f[i].count;
          for (guint k = 0; k < GW_CLUSTER_MAX_CATEGORIES; k++)
            c.counts[k] += f[i].counts[k];
        }
      c.x = sx / c.count;
      c.y = sy / c.count;
      g_array_append_val (out, c);
    }
  return out;
}

static int uint_cmp (gconstpointer a, gconstpointer b);

/* First cluster whose cell is >= @cell. */
static guint
cluster_lower_bound (const GwCluster *c, guint n, guint64 cell)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (c[mid].cell < cell)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
gw_clusters_runs_in_box (GArray *clusters, guint level, const GwBBox *box, GArray *runs)
{
  const GwCluster *c = (const GwCluster *) (gconstpointer) clusters->data;
  guint n = clusters->len;
  double extent = MAX (box->x1 - box->x0, box->y1 - box->y0);
  int coarse;

  if (n == 0 || gw_bbox_is_empty (box))
    return;

  /* A grid about 8 cells across the box: few searches, little scanned outside it. */
  level = MIN (level, GW_POINT_INDEX_BITS);
  coarse = extent > 0 ? (int) floor (log2 (8.0 / extent)) : (int) level;
  coarse = CLAMP (coarse, 0, (int) level);

  guint shift = GW_POINT_INDEX_BITS - coarse;
  guint down = 2 * (level - coarse);
  guint32 cx0 = axis_cell (box->x0) >> shift, cx1 = axis_cell (box->x1) >> shift;
  guint32 cy0 = axis_cell (box->y0) >> shift, cy1 = axis_cell (box->y1) >> shift;

  guint base = runs->len;
  for (guint32 cy = cy0; cy <= cy1; cy++)
    for (guint32 cx = cx0; cx <= cx1; cx++)
      {
        guint64 first = morton (cx, cy) << down;
        guint64 last = first + (G_GUINT64_CONSTANT (1) << down);
        guint a = cluster_lower_bound (c, n, first);
        guint pair[2];

        if (a == n || c[a].cell >= last)
          continue;
        pair[0] = a;
        pair[1] = a + cluster_lower_bound (c + a, n - a, last);
        g_array_append_vals (runs, pair, 2);
      }

  /* Rows of cells are not Z order: sort the runs (disjoint) and join neighbours, so
   * items come in index order, as a full scan would give them. */
  guint n_runs = (runs->len - base) / 2;
  guint *r = &g_array_index (runs, guint, base);
  if (n_runs > 1)
    qsort (r, n_runs, 2 * sizeof (guint), uint_cmp);
  guint w = 0;
  for (guint i = 0; i < n_runs; i++)
    {
      if (w > 0 && r[2 * (w - 1) + 1] == r[2 * i])
        r[2 * (w - 1) + 1] = r[2 * i + 1];
      else
        {
          r[2 * w] = r[2 * i];
          r[2 * w + 1] = r[2 * i + 1];
          w++;
        }
    }
  g_array_set_size (runs, base + 2 * w);
}

guint64
gw_cluster_cell_at (double x, double y, guint level)
{
  guint shift = GW_POINT_INDEX_BITS - MIN (level, GW_POINT_INDEX_BITS);

  return morton (axis_cell (x) >> shift, axis_cell (y) >> shift);
}

gint
gw_clusters_find_cell (GArray *clusters, guint64 cell)
{
  const GwCluster *c = (const GwCluster *) (gconstpointer) clusters->data;
  guint lo = 0, hi = clusters->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (c[mid].cell < cell)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < clusters->len && c[lo].cell == cell ? (gint) lo : -1;
}

/* Rectangle buckets */

struct _GwRectIndex {
  GwBBox  bounds;
  guint   nx, ny;
  double  cw, ch;
  GwBBox *boxes;
  guint   n;
  guint  *offsets;   /* nx*ny + 1 */
  guint  *items;     /* rectangle indexes per bucket */
  guint  *stamp;     /* per rectangle: last query that reported it */
  guint   query;
};

static inline void
bucket_range (GwRectIndex *self, const GwBBox *b,
              guint *x0, guint *y0, guint *x1, guint *y1)
{
  double fx0 = (b->x0 - self->bounds.x0) / self->cw;
  double fy0 = (b->y0 - self->bounds.y0) / self->ch;
  double fx1 = (b->x1 - self->bounds.x0) / self->cw;
  double fy1 = (b->y1 - self->bounds.y0) / self->ch;

  *x0 = (guint) CLAMP (fx0, 0, self->nx - 1);
  *y0 = (guint) CLAMP (fy0, 0, self->ny - 1);
  *x1 = (guint) CLAMP (fx1, 0, self->nx - 1);
  *y1 = (guint) CLAMP (fy1, 0, self->ny - 1);
}

GwRectIndex *
gw_rect_index_new (const GwBBox *boxes, guint n)
{
  GwRectIndex *self = g_new0 (GwRectIndex, 1);
  guint side;

  self->n = n;
  self->boxes = g_memdup2 (boxes, sizeof (GwBBox) * MAX (n, 1));
  self->stamp = g_new0 (guint, MAX (n, 1));
  gw_bbox_init_empty (&self->bounds);
  for (guint i = 0; i < n; i++)
    gw_bbox_union (&self->bounds, &boxes[i]);
  if (gw_bbox_is_empty (&self->bounds))
    self->bounds = (GwBBox) { 0, 0, 1, 1 };

  /* About two rectangles per bucket. */
  side = (guint) CLAMP (sqrt (n / 2.0), 1, 256);
  self->nx = self->ny = side;
  self->cw = MAX (self->bounds.x1 - self->bounds.x0, 1e-12) / side;
  self->ch = MAX (self->bounds.y1 - self->bounds.y0, 1e-12) / side;

  guint nb = self->nx * self->ny;
  self->offsets = g_new0 (guint, nb + 1);
  for (guint pass = 0; pass < 2; pass++)
    {
      guint *fill = pass ? g_memdup2 (self->offsets, sizeof (guint) * nb) : NULL;

      for (guint i = 0; i < n; i++)
        {
          guint x0, y0, x1, y1;

          if (gw_bbox_is_empty (&boxes[i]))
            continue;
          bucket_range (self, &boxes[i], &x0, &y0, &x1, &y1);
          for (guint y = y0; y <= y1; y++)
            for (guint x = x0; x <= x1; x++)
              {
                if (pass == 0)
                  self->offsets[y * self->nx + x + 1]++;
                else
                  self->items[fill[y * self->nx + x]++] = i;
              }
        }

      if (pass == 0)
        {
          for (guint b = 0; b < nb; b++)
            self->offsets[b + 1] += self->offsets[b];
          self->items = g_new (guint, MAX (self->offsets[nb], 1));
        }
      g_free (fill);
    }

  return self;
}

void
gw_rect_index_free (GwRectIndex *self)
{
  if (self == NULL)
    return;
  g_free (self->boxes);
  g_free (self->stamp);
  g_free (self->offsets);
  g_free (self->items);
  g_free (self);
}

static int
uint_cmp (gconstpointer a, gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;
  return ua < ub ? -1 : ua > ub;
}

void
gw_rect_index_query_box (GwRectIndex *self, const GwBBox *box, GArray *out)
{
  guint x0, y0, x1, y1;
  guint first = out->len;

  if (self->n == 0 || !gw_bbox_intersects (box, &self->bounds))
    return;

  if (++self->query == 0)
    {
      memset (self->stamp, 0, sizeof (guint) * self->n);
      self->query = 1;
    }

  bucket_range (self, box, &x0, &y0, &x1, &y1);
  for (guint y = y0; y <= y1; y++)
    for (guint x = x0; x <= x1; x++)
      {
        guint b = y * self->nx + x;
        for (guint k = self->offsets[b]; k < self->offsets[b + 1]; k++)
          {
            guint i = self->items[k];
            if (self->stamp[i] == self->query)
              continue;
            self->stamp[i] = self->query;
            if (gw_bbox_intersects (box, &self->boxes[i]))
              g_array_append_val (out, i);
          }
      }

  if (out->len - first > 1)
    qsort (&g_array_index (out, guint, first), out->len - first, sizeof (guint), uint_cmp);
}

void
gw_rect_index_query_point (GwRectIndex *self, double x, double y, GArray *out)
{
  GwBBox box = { x, y, x, y };

  gw_rect_index_query_box (self, &box, out);
}
