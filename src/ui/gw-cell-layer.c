/* gw-cell-layer.c — all grid cells in one ShumateLayer, as a choropleth
 *
 * GTK 4.8 has no path node, so polygons go through cairo. Rasterizing the whole
 * viewport every frame costs milliseconds at wall size; instead cells are rasterized
 * into 256-pixel tiles of the world at a "render zoom" and kept as textures, which the
 * GL renderer uploads once. Panning reuses them; a zoom in progress scales them; once
 * the zoom has settled for a moment the tiles are redrawn at the new zoom, a few per
 * frame within a time budget, the stale ones standing in meanwhile. When counts change
 * the fill classes change and tiles are redrawn the same progressive way.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-cell-layer.h"
#include "gw-cluster.h"

#define TILE_PX            256
#define MAX_TILES          192
#define FRAME_BUDGET_USEC  1500
#define SETTLE_MSEC        160
#define LABEL_MIN_ZOOM     13.0

typedef struct {
  GwCell *cell;
  double *xy;        /* projected ring, normalized */
  guint   n;
  GwBBox  box;
  double  lx, ly;    /* label anchor */
  guint   value;     /* metric value */
  guint8  klass;     /* choropleth class */
  GskRenderNode *label;   /* name and code with a shadow, drawn once at 0,0 */
  int     label_w, label_h;
} CellShape;

typedef struct {
  GdkTexture *texture;
  guint       serial;   /* style serial it was drawn with */
  guint64     used;     /* frame counter of the last use */
} Tile;

struct _GwCellLayer {
  ShumateLayer     parent_instance;

  ShumateViewport *viewport;

  GArray          *shapes;       /* CellShape */
  GHashTable      *by_code;      /* code → index + 1 */
  GwRectIndex     *rects;
  GwBBox           bounds;
  GHashTable      *stats;        /* code → GwCellStats* (owned) */
  GwCellMetric     metric;
  guint            step;         /* class width of the choropleth */

  GHashTable      *tiles;        /* tile key → Tile* */
  guint            style_serial;
  double           render_zoom;  /* zoom of the tiles being drawn; NAN before any */
  double           prev_render_zoom;
  guint            settle_id;
  guint            redraw_id;
  guint64          frame;
  int              scale_factor;
  gboolean         use_tiles;

  gint             hover;        /* shape index or -1 */
  GskRenderNode   *hover_node;   /* in render-zoom world pixels */
  double           hover_zoom;

  GArray          *scratch;      /* guint */
};

G_DEFINE_FINAL_TYPE (GwCellLayer, gw_cell_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_METRIC,
  N_PROPS
};

enum {
  CELL_ACTIVATED,
  LEGEND_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Sequential ramps that stay dark enough for pins to pop: teal for the open load,
 * purple for late cases. Class 0 is "none". */
static const GdkRGBA ramps[2][GW_CELL_LAYER_N_CLASSES] = {
  [GW_CELL_METRIC_OPEN] = {
    { 0.133, 0.161, 0.184, 1 },   /* #22292f */
    { 0.118, 0.251, 0.298, 1 },   /* #1e404c */
    { 0.122, 0.349, 0.412, 1 },   /* #1f5969 */
    { 0.141, 0.467, 0.537, 1 },   /* #247789 */
    { 0.196, 0.600, 0.667, 1 },   /* #3299aa */
  },
  [GW_CELL_METRIC_LATE] = {
    { 0.133, 0.161, 0.184, 1 },
    { 0.255, 0.176, 0.314, 1 },   /* #412d50 */
    { 0.365, 0.204, 0.455, 1 },   /* #5d3474 */
    { 0.498, 0.243, 0.600, 1 },   /* #7f3e99 */
    { 0.651, 0.294, 0.741, 1 },   /* #a64bbd */
  },
};

/* View geometry (same model as the incident layer) */

typedef struct {
  double zoom, scale, cx, cy, width, height, rotation;
} View;

static gboolean
get_view (GwCellLayer *self, View *v)
{
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (self->viewport);
  double tile = source ? shumate_map_source_get_tile_size (source) : 256.0;

  v->width = gtk_widget_get_width (GTK_WIDGET (self));
  v->height = gtk_widget_get_height (GTK_WIDGET (self));
  v->zoom = shumate_viewport_get_zoom_level (self->viewport);
  v->scale = tile * exp2 (v->zoom);
  v->rotation = shumate_viewport_get_rotation (self->viewport);
  gw_geo_project (shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport)),
                  shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport)),
                  &v->cx, &v->cy);
  return v->width > 0 && v->height > 0;
}

static void
widget_to_view (const View *v, double sx, double sy, double *x, double *y)
{
  if (v->rotation != 0)
    {
      double dx = sx - v->width / 2, dy = sy - v->height / 2;
      double c = cos (-v->rotation), s = sin (-v->rotation);
      sx = v->width / 2 + c * dx - s * dy;
      sy = v->height / 2 + s * dx + c * dy;
    }
  *x = v->cx + (sx - v->width / 2) / v->scale;
  *y = v->cy + (sy - v->height / 2) / v->scale;
}

static double
tile_scale_for_zoom (GwCellLayer *self, double zoom)
{
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (self->viewport);
  double tile = source ? shumate_map_source_get_tile_size (source) : 256.0;

  return tile * exp2 (zoom);
}

/* Choropleth */

static guint
nice_step (guint max)
{
  guint raw = MAX (1, (max + 3) / 4);
  guint mag = 1;

  while (mag * 10 <= raw)
    mag *= 10;
  if (raw <= mag)
    return mag;
  if (raw <= 2 * mag)
    return 2 * mag;
  if (raw <= 5 * mag)
    return 5 * mag;
  return 10 * mag;
}

static guint8
class_for_value (guint value, guint step)
{
  if (value == 0)
    return 0;
  return (guint8) MIN ((value - 1) / step + 1, GW_CELL_LAYER_N_CLASSES - 1);
}

/* Recomputes values, breaks and classes; TRUE if any fill changed. */
static gboolean
update_classes (GwCellLayer *self)
{
  gboolean changed = FALSE;
  guint max = 0, step;

  for (guint i = 0; i < self->shapes->len; i++)
    {
      CellShape *shape = &g_array_index (self->shapes, CellShape, i);
      const GwCellStats *stats = g_hash_table_lookup (self->stats, shape->cell->code);

      shape->value = stats == NULL ? 0 :
                     self->metric == GW_CELL_METRIC_LATE ? stats->late : stats->open;
      max = MAX (max, shape->value);
    }

  step = nice_step (max);
  if (step != self->step)
    {
      self->step = step;
      g_signal_emit (self, signals[LEGEND_CHANGED], 0);
    }

  for (guint i = 0; i < self->shapes->len; i++)
    {
      CellShape *shape = &g_array_index (self->shapes, CellShape, i);
      guint8 klass = class_for_value (shape->value, step);

      if (klass != shape->klass)
        {
          shape->klass = klass;
          changed = TRUE;
        }
    }

  return changed;
}

void
gw_cell_layer_get_class (GwCellLayer *self, guint k, GdkRGBA *color, guint *min, guint *max)
{
  g_return_if_fail (GW_IS_CELL_LAYER (self));
  g_return_if_fail (k < GW_CELL_LAYER_N_CLASSES);

  if (color)
    *color = ramps[self->metric][k];
  if (min)
    *min = k == 0 ? 0 : (k - 1) * self->step + 1;
  if (max)
    *max = k == 0 ? 0 : k == GW_CELL_LAYER_N_CLASSES - 1 ? G_MAXUINT : k * self->step;
}

/* Drawing */

static void
path_shape (cairo_t *cr, const CellShape *shape, double scale, double ox, double oy)
{
  cairo_move_to (cr, shape->xy[0] * scale - ox, shape->xy[1] * scale - oy);
  for (guint k = 1; k < shape->n; k++)
    cairo_line_to (cr, shape->xy[2 * k] * scale - ox, shape->xy[2 * k + 1] * scale - oy);
  cairo_close_path (cr);
}

/* Draws every cell meeting @box (normalized) with world scale @scale, the world pixel
 * (ox, oy) at the cairo origin. */
static void
draw_cells (GwCellLayer *self, cairo_t *cr, const GwBBox *box, double scale, double ox, double oy)
{
  g_array_set_size (self->scratch, 0);
  gw_rect_index_query_box (self->rects, box, self->scratch);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint k = 0; k < GW_CELL_LAYER_N_CLASSES; k++)
    {
      gboolean any = FALSE;

      /* One fill per class: fewer source changes, same result (cells do not overlap). */
      for (guint i = 0; i < self->scratch->len; i++)
        {
          const CellShape *shape = &g_array_index (self->shapes, CellShape,
                                                   g_array_index (self->scratch, guint, i));
          if (shape->klass != k || shape->n < 3)
            continue;
          path_shape (cr, shape, scale, ox, oy);
          any = TRUE;
        }
      if (any)
        {
          gdk_cairo_set_source_rgba (cr, &ramps[self->metric][k]);
          cairo_fill (cr);
        }
    }

  for (guint i = 0; i < self->scratch->len; i++)
    {
      const CellShape *shape = &g_array_index (self->shapes, CellShape,
                                               g_array_index (self->scratch, guint, i));
      if (shape->n >= 3)
        path_shape (cr, shape, scale, ox, oy);
    }
  cairo_set_line_width (cr, 1.25);
  cairo_set_source_rgba (cr, 0.80, 0.86, 0.90, 0.45);
  cairo_stroke (cr);
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

static GdkTexture *
render_tile (GwCellLayer *self, double zoom, gint64 tx, gint64 ty)
{
  double scale = tile_scale_for_zoom (self, zoom);
  int sf = self->scale_factor;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         TILE_PX * sf, TILE_PX * sf);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  double ox = (double) tx * TILE_PX, oy = (double) ty * TILE_PX;
  /* A little margin so borders crossing the edge are drawn by both tiles. */
  GwBBox box = {
    (ox - 2) / scale, (oy - 2) / scale,
    (ox + TILE_PX + 2) / scale, (oy + TILE_PX + 2) / scale,
  };

  cairo_scale (cr, sf, sf);
  draw_cells (self, cr, &box, scale, ox, oy);
  cairo_destroy (cr);

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * TILE_PX * sf);
  texture = gdk_memory_texture_new (TILE_PX * sf, TILE_PX * sf, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_clear_object (&tile->texture);
  g_free (tile);
}

static void
evict_tiles (GwCellLayer *self)
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

static gboolean
redraw_cb (gpointer user_data)
{
  GwCellLayer *self = user_data;

  self->redraw_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* Appends the tiles of render zoom @rz that cover the view. With @render, missing or
 * stale tiles are drawn within the frame budget (counted from @start); otherwise only
 * cached tiles are used. Returns whether anything is still missing or stale. */
static gboolean
append_tiles (GwCellLayer *self, GtkSnapshot *snapshot, const View *v, double rz,
              gboolean render, gint64 start)
{
  double rscale = tile_scale_for_zoom (self, rz);
  double s = v->scale / rscale;   /* screen pixels per render-zoom world pixel */
  int zk = zoom_key_for (rz);
  gboolean missing = FALSE;
  double reach_x = v->width / 2, reach_y = v->height / 2;

  if (v->rotation != 0)
    reach_x = reach_y = hypot (v->width, v->height) / 2;

  /* The visible world in render-zoom pixels. */
  double wx0 = v->cx * rscale - reach_x / s, wx1 = v->cx * rscale + reach_x / s;
  double wy0 = v->cy * rscale - reach_y / s, wy1 = v->cy * rscale + reach_y / s;
  gint64 max_tile = (gint64) ceil (rscale / TILE_PX);
  gint64 tx0 = MAX ((gint64) floor (wx0 / TILE_PX), 0);
  gint64 ty0 = MAX ((gint64) floor (wy0 / TILE_PX), 0);
  gint64 tx1 = MIN ((gint64) floor (wx1 / TILE_PX), max_tile);
  gint64 ty1 = MIN ((gint64) floor (wy1 / TILE_PX), max_tile);

  /* Only tiles that can hold a cell. */
  GwBBox cells = self->bounds;
  gw_bbox_expand (&cells, 2 / rscale);
  tx0 = MAX (tx0, (gint64) floor (cells.x0 * rscale / TILE_PX));
  ty0 = MAX (ty0, (gint64) floor (cells.y0 * rscale / TILE_PX));
  tx1 = MIN (tx1, (gint64) floor (cells.x1 * rscale / TILE_PX));
  ty1 = MIN (ty1, (gint64) floor (cells.y1 * rscale / TILE_PX));

  for (gint64 ty = ty0; ty <= ty1; ty++)
    for (gint64 tx = tx0; tx <= tx1; tx++)
      {
        guint64 key = tile_key (zk, tx, ty);
        Tile *tile = g_hash_table_lookup (self->tiles, &key);
        gboolean fresh = tile != NULL && tile->serial == self->style_serial;

        if (!fresh && render && g_get_monotonic_time () - start < FRAME_BUDGET_USEC)
          {
            if (tile == NULL)
              {
                guint64 *k = g_new (guint64, 1);
                *k = key;
                tile = g_new0 (Tile, 1);
                g_hash_table_insert (self->tiles, k, tile);
              }
            g_clear_object (&tile->texture);
            tile->texture = render_tile (self, rz, tx, ty);
            tile->serial = self->style_serial;
            fresh = TRUE;
          }
        if (!fresh)
          missing = TRUE;
        if (tile == NULL)
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
snapshot_tiles (GwCellLayer *self, GtkSnapshot *snapshot, const View *v)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GtkSnapshot) current = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  gboolean missing;

  missing = append_tiles (self, current, v, self->render_zoom, TRUE, start);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&current));

  /* Holes while the new zoom's tiles arrive: show the previous zoom's underneath. */
  if (missing && !isnan (self->prev_render_zoom) && self->prev_render_zoom != self->render_zoom)
    append_tiles (self, snapshot, v, self->prev_render_zoom, FALSE, start);
  if (node != NULL)
    gtk_snapshot_append_node (snapshot, node);

  if (missing && self->redraw_id == 0)
    self->redraw_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, redraw_cb, self, NULL);

  evict_tiles (self);
}

static void
snapshot_viewport (GwCellLayer *self, GtkSnapshot *snapshot, const View *v)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                           &GRAPHENE_RECT_INIT (0, 0, v->width, v->height));
  GwBBox box = {
    v->cx - v->width / 2 / v->scale, v->cy - v->height / 2 / v->scale,
    v->cx + v->width / 2 / v->scale, v->cy + v->height / 2 / v->scale,
  };

  draw_cells (self, cr, &box, v->scale,
              v->cx * v->scale - v->width / 2, v->cy * v->scale - v->height / 2);
  cairo_destroy (cr);
}

static void
snapshot_hover (GwCellLayer *self, GtkSnapshot *snapshot, const View *v)
{
  const CellShape *shape = &g_array_index (self->shapes, CellShape, self->hover);
  double s;

  /* Drawn in world pixels of the zoom it was made at; redrawn when the zoom settles. */
  if (self->hover_node == NULL || self->hover_zoom != self->render_zoom)
    {
      double scale = tile_scale_for_zoom (self, self->render_zoom);
      GwBBox b = shape->box;
      /* Keep huge cells (deep zoom) to what can be seen around the view. */
      double vx0 = v->cx - v->width / v->scale, vx1 = v->cx + v->width / v->scale;
      double vy0 = v->cy - v->height / v->scale, vy1 = v->cy + v->height / v->scale;
      b.x0 = MAX (b.x0, vx0);
      b.y0 = MAX (b.y0, vy0);
      b.x1 = MIN (b.x1, vx1);
      b.y1 = MIN (b.y1, vy1);
      if (gw_bbox_is_empty (&b))
        return;

      g_autoptr(GtkSnapshot) sub = gtk_snapshot_new ();
      graphene_rect_t bounds = GRAPHENE_RECT_INIT (b.x0 * scale - 4, b.y0 * scale - 4,
                                                   (b.x1 - b.x0) * scale + 8,
                                                   (b.y1 - b.y0) * scale + 8);
      cairo_t *cr = gtk_snapshot_append_cairo (sub, &bounds);
      path_shape (cr, shape, scale, 0, 0);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.16);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 3.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_stroke (cr);
      cairo_destroy (cr);

      g_clear_pointer (&self->hover_node, gsk_render_node_unref);
      self->hover_node = gtk_snapshot_free_to_node (g_steal_pointer (&sub));
      self->hover_zoom = self->render_zoom;
    }

  if (self->hover_node == NULL)
    return;

  s = v->scale / tile_scale_for_zoom (self, self->hover_zoom);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (v->width / 2 - v->cx * v->scale,
                                                          v->height / 2 - v->cy * v->scale));
  gtk_snapshot_scale (snapshot, s, s);
  gtk_snapshot_append_node (snapshot, self->hover_node);
  gtk_snapshot_restore (snapshot);
}

static void
ensure_label (GwCellLayer *self, CellShape *shape)
{
  static const GdkRGBA white = { 1, 1, 1, 0.95 };
  static const GdkRGBA shadow = { 0, 0, 0, 0.8 };
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  GtkSnapshot *snapshot;
  PangoRectangle ink;

  if (shape->label != NULL)
    return;

  markup = g_markup_printf_escaped ("<span weight='bold'>%s</span>\n"
                                    "<span size='small' alpha='75%%'>%s</span>",
                                    shape->cell->name ? shape->cell->name : "",
                                    shape->cell->code ? shape->cell->code : "");
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_extents (layout, NULL, &ink);
  shape->label_w = ink.width;
  shape->label_h = ink.height;

  /* Shaped once; every frame only references the node. */
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (1, 1));
  gtk_snapshot_append_layout (snapshot, layout, &shadow);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-1, -1));
  gtk_snapshot_append_layout (snapshot, layout, &white);
  shape->label = gtk_snapshot_free_to_node (snapshot);
}

static void
snapshot_labels (GwCellLayer *self, GtkSnapshot *snapshot, const View *v)
{
  GwBBox box = {
    v->cx - v->width / 2 / v->scale, v->cy - v->height / 2 / v->scale,
    v->cx + v->width / 2 / v->scale, v->cy + v->height / 2 / v->scale,
  };

  if (v->zoom < LABEL_MIN_ZOOM)
    return;

  g_array_set_size (self->scratch, 0);
  gw_rect_index_query_box (self->rects, &box, self->scratch);
  for (guint i = 0; i < self->scratch->len; i++)
    {
      CellShape *shape = &g_array_index (self->shapes, CellShape,
                                         g_array_index (self->scratch, guint, i));
      double w = (shape->box.x1 - shape->box.x0) * v->scale;
      double h = (shape->box.y1 - shape->box.y0) * v->scale;

      /* Only where the label fits inside the cell's bounds with room to spare. */
      if (w < 60 || h < 30)
        continue;
      ensure_label (self, shape);
      if (shape->label_w + 12 > w || shape->label_h + 8 > h)
        continue;

      double x = floor ((shape->lx - v->cx) * v->scale + v->width / 2 - shape->label_w / 2.0);
      double y = floor ((shape->ly - v->cy) * v->scale + v->height / 2 - shape->label_h / 2.0);

      if (shape->label == NULL)
        continue;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
      gtk_snapshot_append_node (snapshot, shape->label);
      gtk_snapshot_restore (snapshot);
    }
}

static gboolean
settle_cb (gpointer user_data)
{
  GwCellLayer *self = user_data;

  self->settle_id = 0;
  if (self->render_zoom != shumate_viewport_get_zoom_level (self->viewport))
    {
      self->prev_render_zoom = self->render_zoom;
      self->render_zoom = shumate_viewport_get_zoom_level (self->viewport);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
gw_cell_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwCellLayer *self = GW_CELL_LAYER (widget);
  View v;

  if (self->shapes->len == 0 || !get_view (self, &v))
    return;

  self->frame++;
  if (self->scale_factor != gtk_widget_get_scale_factor (widget))
    {
      self->scale_factor = gtk_widget_get_scale_factor (widget);
      g_hash_table_remove_all (self->tiles);
    }
  if (isnan (self->render_zoom))
    self->render_zoom = v.zoom;

  if (v.rotation != 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (v.width / 2, v.height / 2));
      gtk_snapshot_rotate (snapshot, v.rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-v.width / 2, -v.height / 2));
    }

  if (self->use_tiles)
    snapshot_tiles (self, snapshot, &v);
  else
    snapshot_viewport (self, snapshot, &v);

  if (self->hover >= 0)
    snapshot_hover (self, snapshot, &v);

  snapshot_labels (self, snapshot, &v);

  if (v.rotation != 0)
    gtk_snapshot_restore (snapshot);
}

/* Data */

static void
clear_shapes (GwCellLayer *self)
{
  for (guint i = 0; i < self->shapes->len; i++)
    {
      CellShape *shape = &g_array_index (self->shapes, CellShape, i);
      g_clear_pointer (&shape->cell, gw_cell_unref);
      g_clear_pointer (&shape->xy, g_free);
      g_clear_pointer (&shape->label, gsk_render_node_unref);
    }
  g_array_set_size (self->shapes, 0);
  g_hash_table_remove_all (self->by_code);
  g_clear_pointer (&self->rects, gw_rect_index_free);
}

static void
invalidate_style (GwCellLayer *self)
{
  self->style_serial++;
  g_clear_pointer (&self->hover_node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_cell_layer_set_cells (GwCellLayer *self, GPtrArray *cells)
{
  g_autofree GwBBox *boxes = NULL;

  g_return_if_fail (GW_IS_CELL_LAYER (self));

  self->hover = -1;
  clear_shapes (self);
  gw_bbox_init_empty (&self->bounds);

  for (guint i = 0; cells != NULL && i < cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cells, i);
      CellShape shape = { 0 };
      double lon, lat;

      if (cell->code == NULL || cell->n_points < 3)
        continue;

      shape.cell = gw_cell_ref (cell);
      shape.n = cell->n_points;
      shape.xy = g_new (double, 2 * shape.n);
      gw_geo_project_array (cell->ring, shape.xy, shape.n);
      gw_bbox_init_empty (&shape.box);
      for (guint k = 0; k < shape.n; k++)
        gw_bbox_add_point (&shape.box, shape.xy[2 * k], shape.xy[2 * k + 1]);
      gw_cell_get_centroid (cell, &lon, &lat);
      gw_geo_project (lon, lat, &shape.lx, &shape.ly);
      gw_bbox_union (&self->bounds, &shape.box);

      g_array_append_val (self->shapes, shape);
      g_hash_table_insert (self->by_code, cell->code, GUINT_TO_POINTER (self->shapes->len));
    }

  boxes = g_new (GwBBox, MAX (self->shapes->len, 1));
  for (guint i = 0; i < self->shapes->len; i++)
    boxes[i] = g_array_index (self->shapes, CellShape, i).box;
  self->rects = gw_rect_index_new (boxes, self->shapes->len);

  update_classes (self);
  g_hash_table_remove_all (self->tiles);
  invalidate_style (self);
}

guint
gw_cell_layer_get_n_cells (GwCellLayer *self)
{
  g_return_val_if_fail (GW_IS_CELL_LAYER (self), 0);

  return self->shapes->len;
}

GwCell *
gw_cell_layer_lookup (GwCellLayer *self, const char *code)
{
  gpointer value;

  g_return_val_if_fail (GW_IS_CELL_LAYER (self), NULL);

  value = code ? g_hash_table_lookup (self->by_code, code) : NULL;
  return value ? g_array_index (self->shapes, CellShape, GPOINTER_TO_UINT (value) - 1).cell : NULL;
}

gboolean
gw_cell_layer_get_bounds (GwCellLayer *self, GwBBox *bounds)
{
  g_return_val_if_fail (GW_IS_CELL_LAYER (self), FALSE);

  *bounds = self->bounds;
  return self->shapes->len > 0;
}

void
gw_cell_layer_set_stats (GwCellLayer *self, GHashTable *stats)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (GW_IS_CELL_LAYER (self));

  g_hash_table_remove_all (self->stats);
  if (stats != NULL)
    {
      g_hash_table_iter_init (&iter, stats);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->stats, g_strdup (key), g_memdup2 (value, sizeof (GwCellStats)));
    }

  if (update_classes (self))
    invalidate_style (self);
}

const GwCellStats *
gw_cell_layer_get_stats (GwCellLayer *self, const char *code)
{
  static const GwCellStats zero = { 0 };
  const GwCellStats *stats;

  g_return_val_if_fail (GW_IS_CELL_LAYER (self), &zero);

  stats = code ? g_hash_table_lookup (self->stats, code) : NULL;
  return stats ? stats : &zero;
}

void
gw_cell_layer_set_metric (GwCellLayer *self, GwCellMetric metric)
{
  g_return_if_fail (GW_IS_CELL_LAYER (self));

  if (self->metric == metric)
    return;
  self->metric = metric;
  update_classes (self);
  invalidate_style (self);
  g_signal_emit (self, signals[LEGEND_CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
}

GwCellMetric
gw_cell_layer_get_metric (GwCellLayer *self)
{
  g_return_val_if_fail (GW_IS_CELL_LAYER (self), GW_CELL_METRIC_OPEN);

  return self->metric;
}

void
gw_cell_layer_set_use_tiles (GwCellLayer *self, gboolean use_tiles)
{
  g_return_if_fail (GW_IS_CELL_LAYER (self));

  self->use_tiles = !!use_tiles;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gint
pick_index (GwCellLayer *self, double x, double y)
{
  double px, py;
  gint found = -1;
  View v;

  if (self->shapes->len == 0 || !get_view (self, &v))
    return -1;

  widget_to_view (&v, x, y, &px, &py);
  g_array_set_size (self->scratch, 0);
  gw_rect_index_query_point (self->rects, px, py, self->scratch);
  for (guint i = 0; i < self->scratch->len && found < 0; i++)
    {
      guint idx = g_array_index (self->scratch, guint, i);
      const CellShape *shape = &g_array_index (self->shapes, CellShape, idx);
      if (gw_geo_ring_contains (shape->xy, shape->n, px, py))
        found = (gint) idx;
    }
  return found;
}

GwCell *
gw_cell_layer_pick (GwCellLayer *self, double x, double y)
{
  gint idx;

  g_return_val_if_fail (GW_IS_CELL_LAYER (self), NULL);

  idx = pick_index (self, x, y);
  return idx >= 0 ? g_array_index (self->shapes, CellShape, idx).cell : NULL;
}

GwCell *
gw_cell_layer_hover_at (GwCellLayer *self, double x, double y)
{
  gint idx;

  g_return_val_if_fail (GW_IS_CELL_LAYER (self), NULL);

  idx = x < 0 || y < 0 ? -1 : pick_index (self, x, y);
  if (idx != self->hover)
    {
      self->hover = idx;
      g_clear_pointer (&self->hover_node, gsk_render_node_unref);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return idx >= 0 ? g_array_index (self->shapes, CellShape, idx).cell : NULL;
}

gboolean
gw_cell_layer_activate_at (GwCellLayer *self, double x, double y)
{
  GwCell *cell;

  g_return_val_if_fail (GW_IS_CELL_LAYER (self), FALSE);

  cell = gw_cell_layer_pick (self, x, y);
  if (cell == NULL)
    return FALSE;
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, cell);
  return TRUE;
}

/* GObject */

static void
viewport_zoom_cb (GwCellLayer *self, GParamSpec *pspec, ShumateViewport *viewport)
{
  /* Tiles follow the zoom once it has been still for a moment. */
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MSEC, settle_cb, self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
viewport_notify_cb (GwCellLayer *self, GParamSpec *pspec, ShumateViewport *viewport)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
gw_cell_layer_constructed (GObject *object)
{
  GwCellLayer *self = GW_CELL_LAYER (object);

  G_OBJECT_CLASS (gw_cell_layer_parent_class)->constructed (object);

  self->viewport = g_object_ref (shumate_layer_get_viewport (SHUMATE_LAYER (self)));
  g_signal_connect_object (self->viewport, "notify::zoom-level", G_CALLBACK (viewport_zoom_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify::longitude", G_CALLBACK (viewport_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify::latitude", G_CALLBACK (viewport_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify::rotation", G_CALLBACK (viewport_notify_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
gw_cell_layer_dispose (GObject *object)
{
  GwCellLayer *self = GW_CELL_LAYER (object);

  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  if (self->shapes != NULL)
    clear_shapes (self);
  if (self->tiles != NULL)
    g_hash_table_remove_all (self->tiles);
  g_clear_pointer (&self->hover_node, gsk_render_node_unref);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (gw_cell_layer_parent_class)->dispose (object);
}

static void
gw_cell_layer_finalize (GObject *object)
{
  GwCellLayer *self = GW_CELL_LAYER (object);

  g_clear_pointer (&self->shapes, g_array_unref);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->stats, g_hash_table_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->scratch, g_array_unref);

  G_OBJECT_CLASS (gw_cell_layer_parent_class)->finalize (object);
}

static void
gw_cell_layer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GwCellLayer *self = GW_CELL_LAYER (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_int (value, self->metric);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_cell_layer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GwCellLayer *self = GW_CELL_LAYER (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      gw_cell_layer_set_metric (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_cell_layer_class_init (GwCellLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gw_cell_layer_constructed;
  object_class->dispose = gw_cell_layer_dispose;
  object_class->finalize = gw_cell_layer_finalize;
  object_class->get_property = gw_cell_layer_get_property;
  object_class->set_property = gw_cell_layer_set_property;

  widget_class->snapshot = gw_cell_layer_snapshot;

  properties[PROP_METRIC] =
    g_param_spec_int ("metric", NULL, NULL,
                      GW_CELL_METRIC_OPEN, GW_CELL_METRIC_LATE, GW_CELL_METRIC_OPEN,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwCellLayer::cell-activated:
   * @cell: the GwCell that was clicked
   */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GW_TYPE_CELL);

  /**
   * GwCellLayer::legend-changed:
   *
   * The classes' colours or ranges changed.
   */
  signals[LEGEND_CHANGED] =
    g_signal_new ("legend-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "gw-cell-layer");
}

static void
gw_cell_layer_init (GwCellLayer *self)
{
  self->shapes = g_array_new (FALSE, TRUE, sizeof (CellShape));
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, tile_free);
  self->scratch = g_array_new (FALSE, FALSE, sizeof (guint));
  self->render_zoom = NAN;
  self->prev_render_zoom = NAN;
  self->hover_zoom = NAN;
  self->hover = -1;
  self->step = 1;
  self->scale_factor = 1;
  self->use_tiles = TRUE;
  gw_bbox_init_empty (&self->bounds);

  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

GwCellLayer *
gw_cell_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (GW_TYPE_CELL_LAYER, "viewport", viewport, NULL);
}
