/* gw-cell-tiles.c — the cell layer's tile cache, rasterized on a worker thread
 *
 * Rasterizing a tile of 2,000 polygons takes a millisecond or more: too much for a
 * frame. The main thread only looks tiles up; one it lacks becomes a job for a worker
 * (with a reference to the immutable scene it is to show), which draws into a cairo
 * image surface and queues the pixels. The next snapshot takes them off the queue and
 * wraps them in a GdkTexture; a worker wakes the owner with an idle when it finishes.
 * Jobs carry a generation: a zoom or style change makes the queued ones moot.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "gw-cell-tiles.h"

#define TILE_PX    256
#define MAX_TILES  192
#define N_WORKERS  1     /* the other core draws the frames */

/* Scene */

struct _GwCellScene {
  GwBBox    bounds;    /* of every cell */
  guint     n;
  GwBBox   *boxes;
  guint    *offsets;   /* n + 1, into xy by point */
  double   *xy;
  guint8   *klass;
  GdkRGBA  *fills;
  guint     n_fills;
};

static void
scene_clear (gpointer data)
{
  GwCellScene *scene = data;

  g_free (scene->boxes);
  g_free (scene->offsets);
  g_free (scene->xy);
  g_free (scene->klass);
  g_free (scene->fills);
}

GwCellScene *
gw_cell_scene_new (const GwCellSceneShape *shapes, guint n_shapes,
                   const GdkRGBA *fills, guint n_fills)
{
  GwCellScene *scene = g_atomic_rc_box_new0 (GwCellScene);
  guint total = 0;

  scene->n = n_shapes;
  scene->boxes = g_new (GwBBox, MAX (n_shapes, 1));
  scene->offsets = g_new (guint, n_shapes + 1);
  scene->klass = g_new (guint8, MAX (n_shapes, 1));
  for (guint i = 0; i < n_shapes; i++)
    {
      scene->offsets[i] = total;
      total += shapes[i].n;
    }
  scene->offsets[n_shapes] = total;
  gw_bbox_init_empty (&scene->bounds);
  scene->xy = g_new (double, 2 * MAX (total, 1));
  for (guint i = 0; i < n_shapes; i++)
    {
      memcpy (scene->xy + 2 * scene->offsets[i], shapes[i].xy, sizeof (double) * 2 * shapes[i].n);
      scene->boxes[i] = shapes[i].box;
      gw_bbox_union (&scene->bounds, &shapes[i].box);
      scene->klass[i] = MIN (shapes[i].klass, n_fills - 1);
    }
  scene->fills = g_memdup2 (fills, sizeof (GdkRGBA) * n_fills);
  scene->n_fills = n_fills;
  return scene;
}

GwCellScene *
gw_cell_scene_ref (GwCellScene *scene)
{
  return g_atomic_rc_box_acquire (scene);
}

void
gw_cell_scene_unref (GwCellScene *scene)
{
  g_atomic_rc_box_release_full (scene, scene_clear);
}

static void
path_ring (cairo_t *cr, const double *xy, guint n, double scale, double ox, double oy)
{
  cairo_move_to (cr, xy[0] * scale - ox, xy[1] * scale - oy);
  for (guint k = 1; k < n; k++)
    cairo_line_to (cr, xy[2 * k] * scale - ox, xy[2 * k + 1] * scale - oy);
  cairo_close_path (cr);
}

void
gw_cell_scene_draw (GwCellScene *scene, cairo_t *cr, const GwBBox *box,
                    double scale, double ox, double oy)
{
  g_autofree guint *hits = g_new (guint, MAX (scene->n, 1));
  guint n_hits = 0;

  /* A plain scan of the bounds: a few microseconds for thousands of cells, and no
   * shared index state to guard between threads. */
  for (guint i = 0; i < scene->n; i++)
    if (scene->offsets[i + 1] - scene->offsets[i] >= 3 && gw_bbox_intersects (box, &scene->boxes[i]))
      hits[n_hits++] = i;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint k = 0; k < scene->n_fills; k++)
    {
      gboolean any = FALSE;

      /* One fill per class: fewer source changes, same result (cells do not overlap). */
      for (guint h = 0; h < n_hits; h++)
        {
          guint i = hits[h];
          if (scene->klass[i] != k)
            continue;
          path_ring (cr, scene->xy + 2 * scene->offsets[i], scene->offsets[i + 1] - scene->offsets[i],
                     scale, ox, oy);
          any = TRUE;
        }
      if (any)
        {
          gdk_cairo_set_source_rgba (cr, &scene->fills[k]);
          cairo_fill (cr);
        }
    }

  for (guint h = 0; h < n_hits; h++)
    {
      guint i = hits[h];
      path_ring (cr, scene->xy + 2 * scene->offsets[i], scene->offsets[i + 1] - scene->offsets[i],
                 scale, ox, oy);
    }
  cairo_set_line_width (cr, 1.25);
  cairo_set_source_rgba (cr, 0.80, 0.86, 0.90, 0.45);
  cairo_stroke (cr);
}

/* Workers */

typedef struct {
  gatomicrefcount ref;
  GAsyncQueue    *done;          /* Result */
  GWeakRef        owner;
  gint            wake_pending;  /* an idle to redraw the owner is queued */
  gint            generation;
} Channel;

typedef struct {
  GwCellScene *scene;
  guint64      key;
  double       world;      /* world size in pixels at the tile's zoom */
  gint64       tx, ty;
  int          sf;
  guint        serial;
  gint         generation;
} Job;

typedef struct {
  guint64 key;
  guint   serial;
  gint    generation;
  GBytes *bytes;
  int     size, stride;
} Result;

static Channel *
channel_ref (Channel *ch)
{
  g_atomic_ref_count_inc (&ch->ref);
  return ch;
}

static void
result_free (gpointer data)
{
  Result *r = data;

  g_bytes_unref (r->bytes);
  g_free (r);
}

static void
channel_unref (gpointer data)
{
  Channel *ch = data;

  if (!g_atomic_ref_count_dec (&ch->ref))
    return;
  g_async_queue_unref (ch->done);
  g_weak_ref_clear (&ch->owner);
  g_free (ch);
}

static void
job_free (Job *job)
{
  gw_cell_scene_unref (job->scene);
  g_free (job);
}

static gboolean
wake_cb (gpointer data)
{
  Channel *ch = data;
  g_autoptr(GtkWidget) owner = g_weak_ref_get (&ch->owner);

  g_atomic_int_set (&ch->wake_pending, 0);
  if (owner != NULL)
    gtk_widget_queue_draw (owner);
  return G_SOURCE_REMOVE;
}

static void
worker_cb (gpointer data, gpointer user_data)
{
  Job *job = data;
  Channel *ch = user_data;
  int px = TILE_PX * job->sf;
  cairo_surface_t *surface;
  cairo_t *cr;
  Result *r;

  /* Queued before a zoom or style change: nobody wants it any more. */
  if (job->generation != g_atomic_int_get (&ch->generation))
    {
      job_free (job);
      return;
    }

  double ox = (double) job->tx * TILE_PX, oy = (double) job->ty * TILE_PX;
  /* A little margin so borders crossing the edge are drawn by both tiles. */
  GwBBox box = {
    (ox - 2) / job->world, (oy - 2) / job->world,
    (ox + TILE_PX + 2) / job->world, (oy + TILE_PX + 2) / job->world,
  };

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cr = cairo_create (surface);
  cairo_scale (cr, job->sf, job->sf);
  gw_cell_scene_draw (job->scene, cr, &box, job->world, ox, oy);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  r = g_new0 (Result, 1);
  r->key = job->key;
  r->serial = job->serial;
  r->generation = job->generation;
  r->size = px;
  r->stride = cairo_image_surface_get_stride (surface);
  r->bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                         (gsize) r->stride * px,
                                         (GDestroyNotify) cairo_surface_destroy, surface);
  job_free (job);
  g_async_queue_push (ch->done, r);

  if (g_atomic_int_compare_and_exchange (&ch->wake_pending, 0, 1))
    g_idle_add_full (G_PRIORITY_DEFAULT, wake_cb, channel_ref (ch), channel_unref);
}

/* Cache */

typedef struct {
  GdkTexture *texture;
  guint       serial;   /* scene it shows */
  guint64     used;     /* frame counter of the last use */
} Tile;

struct _GwCellTiles {
  Channel     *channel;
  GThreadPool *pool;
  GHashTable  *tiles;     /* tile key → Tile */
  GHashTable  *pending;   /* tile key → nothing: asked for in this generation */
  GwCellScene *scene;
  guint        serial;    /* of the scene */
  double       zoom;      /* render zoom of the current generation */
  int          sf;
  guint64      frame;
};

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_clear_object (&tile->texture);
  g_free (tile);
}

GwCellTiles *
gw_cell_tiles_new (GtkWidget *owner)
{
  GwCellTiles *self = g_new0 (GwCellTiles, 1);

  self->channel = g_new0 (Channel, 1);
  g_atomic_ref_count_init (&self->channel->ref);
  self->channel->done = g_async_queue_new_full (result_free);
  g_weak_ref_init (&self->channel->owner, owner);
  self->pool = g_thread_pool_new (worker_cb, self->channel, N_WORKERS, FALSE, NULL);
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, tile_free);
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->zoom = NAN;
  self->sf = 1;
  return self;
}

void
gw_cell_tiles_free (GwCellTiles *self)
{
  if (self == NULL)
    return;
  /* Drop what is queued, let a running job finish (a tile: a millisecond or two). */
  g_atomic_int_inc (&self->channel->generation);
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_weak_ref_set (&self->channel->owner, NULL);
  channel_unref (self->channel);
  g_hash_table_unref (self->tiles);
  g_hash_table_unref (self->pending);
  g_clear_pointer (&self->scene, gw_cell_scene_unref);
  g_free (self);
}

static void
new_generation (GwCellTiles *self)
{
  g_atomic_int_inc (&self->channel->generation);
  g_hash_table_remove_all (self->pending);
}

void
gw_cell_tiles_set_scene (GwCellTiles *self, GwCellScene *scene, gboolean reshaped)
{
  g_clear_pointer (&self->scene, gw_cell_scene_unref);
  self->scene = scene ? gw_cell_scene_ref (scene) : NULL;
  self->serial++;
  new_generation (self);
  if (reshaped)
    g_hash_table_remove_all (self->tiles);
}

guint
gw_cell_tiles_get_pending (GwCellTiles *self)
{
  return g_hash_table_size (self->pending);
}

static guint64
tile_key (int zoom_key, gint64 tx, gint64 ty)
{
  return (guint64) (zoom_key & 0xfff) << 48 |
         (guint64) (tx & 0xffffff) << 24 |
         (guint64) (ty & 0xffffff);
}

static int
zoom_key_for (double zoom)
{
  return (int) lround (zoom * 100);
}

static guint64 *
key_dup (guint64 key)
{
  return g_memdup2 (&key, sizeof key);
}

/* Finished tiles of this generation into the cache, as textures. */
static void
take_results (GwCellTiles *self)
{
  gint generation = g_atomic_int_get (&self->channel->generation);
  Result *r;

  while ((r = g_async_queue_try_pop (self->channel->done)) != NULL)
    {
      if (r->generation == generation)
        {
          Tile *tile = g_new0 (Tile, 1);
          tile->texture = gdk_memory_texture_new (r->size, r->size, GDK_MEMORY_DEFAULT,
                                                  r->bytes, r->stride);
          tile->serial = r->serial;
          tile->used = self->frame;
          g_hash_table_replace (self->tiles, key_dup (r->key), tile);
          g_hash_table_remove (self->pending, &r->key);
        }
      result_free (r);
    }
}

static void
request (GwCellTiles *self, guint64 key, double world, gint64 tx, gint64 ty)
{
  Job *job;

  if (self->scene == NULL || g_hash_table_contains (self->pending, &key))
    return;
  job = g_new0 (Job, 1);
  job->scene = gw_cell_scene_ref (self->scene);
  job->key = key;
  job->world = world;
  job->tx = tx;
  job->ty = ty;
  job->sf = self->sf;
  job->serial = self->serial;
  job->generation = g_atomic_int_get (&self->channel->generation);
  g_hash_table_add (self->pending, key_dup (key));
  g_thread_pool_push (self->pool, job, NULL);
}

/* Appends the cached tiles of @rz that cover the view; with @ask, asks for the missing
 * or stale ones and a ring around them. Returns whether any is missing or stale. */
static gboolean
append_tiles (GwCellTiles *self, GtkSnapshot *snapshot, const GwCellTilesView *v,
              double rz, gboolean ask)
{
  double rscale = v->tile_size * exp2 (rz);
  double s = v->scale / rscale;   /* screen pixels per render-zoom world pixel */
  int zk = zoom_key_for (rz);
  gboolean missing = FALSE;
  double reach_x = v->width / 2, reach_y = v->height / 2;
  gint64 max_tile = (gint64) ceil (rscale / TILE_PX) - 1;

  if (v->rotation != 0)
    reach_x = reach_y = hypot (v->width, v->height) / 2;
  if (self->scene == NULL || gw_bbox_is_empty (&self->scene->bounds))
    return FALSE;

  /* The visible world in render-zoom pixels. */
  double wx0 = v->cx * rscale - reach_x / s, wx1 = v->cx * rscale + reach_x / s;
  double wy0 = v->cy * rscale - reach_y / s, wy1 = v->cy * rscale + reach_y / s;
  gint64 tx0 = (gint64) floor (wx0 / TILE_PX), ty0 = (gint64) floor (wy0 / TILE_PX);
  gint64 tx1 = (gint64) floor (wx1 / TILE_PX), ty1 = (gint64) floor (wy1 / TILE_PX);

  /* Only tiles that can hold a cell. */
  GwBBox cells = self->scene->bounds;
  gw_bbox_expand (&cells, 2 / rscale);
  gint64 cx0 = MAX ((gint64) floor (cells.x0 * rscale / TILE_PX), 0);
  gint64 cy0 = MAX ((gint64) floor (cells.y0 * rscale / TILE_PX), 0);
  gint64 cx1 = MIN ((gint64) floor (cells.x1 * rscale / TILE_PX), max_tile);
  gint64 cy1 = MIN ((gint64) floor (cells.y1 * rscale / TILE_PX), max_tile);

  for (gint64 ty = MAX (ty0 - 1, cy0); ty <= MIN (ty1 + 1, cy1); ty++)
    for (gint64 tx = MAX (tx0 - 1, cx0); tx <= MIN (tx1 + 1, cx1); tx++)
      {
        gboolean visible = tx >= tx0 && tx <= tx1 && ty >= ty0 && ty <= ty1;
        guint64 key = tile_key (zk, tx, ty);
        Tile *tile;

        tile = g_hash_table_lookup (self->tiles, &key);
        if (tile == NULL || tile->serial != self->serial)
          {
            /* The ring is asked for ahead of need, so panning finds it ready. */
            if (ask)
              request (self, key, rscale, tx, ty);
            missing |= visible;
          }
        if (tile == NULL || !visible)
          continue;
        tile->used = self->frame;

        /* Snap edges to whole pixels so neighbouring tiles meet without seams. */
        double x0 = floor ((tx * TILE_PX - v->cx * rscale) * s + v->width / 2);
        double y0 = floor ((ty * TILE_PX - v->cy * rscale) * s + v->height / 2);
        double x1 = floor (((tx + 1) * TILE_PX - v->cx * rscale) * s + v->width / 2);
        double y1 = floor (((ty + 1) * TILE_PX - v->cy * rscale) * s + v->height / 2);
        gtk_snapshot_append_texture (snapshot, tile->texture,
                                     &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
      }

  return missing;
}

static void
evict (GwCellTiles *self)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->tiles) <= MAX_TILES)
    return;

  /* Drop whatever this frame did not use; then, if needed, the rest but this frame's. */
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Tile *) value)->used + 1 < self->frame)
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (self->tiles) <= MAX_TILES)
    return;
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Tile *) value)->used < self->frame)
      g_hash_table_iter_remove (&iter);
}

void
gw_cell_tiles_snapshot (GwCellTiles           *self,
                        GtkSnapshot           *snapshot,
                        const GwCellTilesView *view,
                        double                 render_zoom,
                        double                 prev_zoom,
                        int                    scale_factor)
{
  g_autoptr(GtkSnapshot) current = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  gboolean missing;

  self->frame++;
  if (self->sf != scale_factor)
    {
      self->sf = scale_factor;
      g_hash_table_remove_all (self->tiles);
      new_generation (self);
    }
  if (self->zoom != render_zoom)
    {
      /* Jobs for the old zoom are moot; its tiles stay to stand in. */
      self->zoom = render_zoom;
      new_generation (self);
    }
  take_results (self);

  missing = append_tiles (self, current, view, render_zoom, TRUE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&current));

  /* Holes while the new zoom's tiles arrive: show the previous zoom's underneath. */
  if (missing && !isnan (prev_zoom) && prev_zoom != render_zoom)
    append_tiles (self, snapshot, view, prev_zoom, FALSE);
  if (node != NULL)
    gtk_snapshot_append_node (snapshot, node);

  evict (self);
}
