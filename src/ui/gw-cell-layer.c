/* gw-cell-layer.c — all grid cells in one ShumateLayer, as a choropleth
 *
 * GTK 4.8 has no path node, so polygons go through cairo. Rasterizing the whole
 * viewport every frame costs milliseconds at wall size; instead cells are rasterized
 * into 256-pixel tiles of the world at a "render zoom" (GwCellTiles), on a worker
 * thread, and kept as textures, which the GL renderer uploads once. Panning reuses
 * them; a zoom in progress scales them; once the zoom has settled for a moment the
 * tiles are redrawn at the new zoom, the old ones standing in meanwhile. When counts
 * change the fill classes change and the tiles are redrawn the same way.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-basemap.h"
#include "gw-cell-layer.h"
#include "gw-cell-tiles.h"
#include "gw-cluster.h"
#include "gw-layer-view.h"

#define SETTLE_MSEC        160
#define LABEL_MIN_ZOOM     13.0
#define LABEL_BUDGET_USEC  500   /* shaping new labels per frame; the rest next frame */

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

struct _GwCellLayer {
  ShumateLayer     parent_instance;

  ShumateViewport *viewport;

  GArray          *shapes;       /* CellShape */
  GHashTable      *by_code;      /* code → index + 1 */
  GwRectIndex     *rects;
  GwBBox           bounds;
  GHashTable      *stats;        /* code → GwCellStats* (owned) */
  GwCellMetric     metric;
  GwTileCoordinates coordinates; /* the basemap's datum: rings are projected for it */
  gboolean         see_through;  /* fills let a basemap show through */
  guint            step;         /* class width of the choropleth */

  GwCellTiles     *tiles;
  GwCellScene     *scene;        /* the look the tiles are drawn with */
  guint            scene_serial; /* style serial of the scene */
  gboolean         reshaped;     /* the cells changed since the scene was made */
  guint            style_serial;
  double           render_zoom;  /* zoom of the tiles being drawn; NAN before any */
  double           prev_render_zoom;
  guint            settle_id;
  guint            label_id;     /* idle redraw for labels left to the next frame */
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
  PROP_COORDINATES,
  PROP_SEE_THROUGH,
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

/* View geometry (shared with the incident layer) */

static gboolean
get_view (GwCellLayer *self, GwLayerView *v)
{
  return gw_layer_view_get (GTK_WIDGET (self), self->viewport, v);
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

/* The scene the tiles (and the untiled mode) draw: rebuilt when the look changed. */
static GwCellScene *
ensure_scene (GwCellLayer *self)
{
  g_autofree GwCellSceneShape *shapes = NULL;
  GdkRGBA fills[GW_CELL_LAYER_N_CLASSES];

  if (self->scene != NULL && self->scene_serial == self->style_serial && !self->reshaped)
    return self->scene;

  shapes = g_new0 (GwCellSceneShape, MAX (self->shapes->len, 1));
  for (guint i = 0; i < self->shapes->len; i++)
    {
      const CellShape *shape = &g_array_index (self->shapes, CellShape, i);
      shapes[i] = (GwCellSceneShape) { shape->xy, shape->n, shape->box, shape->klass };
    }
  g_clear_pointer (&self->scene, gw_cell_scene_unref);
  /* Over a basemap the streets and blocks stay readable through the colours. */
  for (guint k = 0; k < GW_CELL_LAYER_N_CLASSES; k++)
    {
      fills[k] = ramps[self->metric][k];
      if (self->see_through)
        fills[k].alpha = k == 0 ? 0.55 : 0.78;
    }
  self->scene = gw_cell_scene_new (shapes, self->shapes->len, fills, GW_CELL_LAYER_N_CLASSES);
  self->scene_serial = self->style_serial;
  gw_cell_tiles_set_scene (self->tiles, self->scene, self->reshaped);
  self->reshaped = FALSE;
  return self->scene;
}

static void
snapshot_tiles (GwCellLayer *self, GtkSnapshot *snapshot, const GwLayerView *v)
{
  GwCellTilesView tv = {
    v->cx, v->cy, v->scale, v->width, v->height, v->rotation, v->tile_size,
  };

  ensure_scene (self);
  gw_cell_tiles_snapshot (self->tiles, snapshot, &tv, self->render_zoom, self->prev_render_zoom,
                          gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

static void
snapshot_viewport (GwCellLayer *self, GtkSnapshot *snapshot, const GwLayerView *v)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                           &GRAPHENE_RECT_INIT (0, 0, v->width, v->height));
  GwBBox box = {
    v->cx - v->width / 2 / v->scale, v->cy - v->height / 2 / v->scale,
    v->cx + v->width / 2 / v->scale, v->cy + v->height / 2 / v->scale,
  };

  gw_cell_scene_draw (ensure_scene (self), cr, &box, v->scale,
                      v->cx * v->scale - v->width / 2, v->cy * v->scale - v->height / 2);
  cairo_destroy (cr);
}

static void
snapshot_hover (GwCellLayer *self, GtkSnapshot *snapshot, const GwLayerView *v)
{
  const CellShape *shape = &g_array_index (self->shapes, CellShape, self->hover);
  double s;

  /* Drawn in world pixels of the zoom it was made at; redrawn when the zoom settles. */
  if (self->hover_node == NULL || self->hover_zoom != self->render_zoom)
    {
      double scale = v->tile_size * exp2 (self->render_zoom);
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

  s = v->scale / v->tile_size * exp2 (self->hover_zoom);
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

static gboolean
label_redraw_cb (gpointer user_data)
{
  GwCellLayer *self = user_data;

  self->label_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
snapshot_labels (GwCellLayer *self, GtkSnapshot *snapshot, const GwLayerView *v)
{
  GwBBox box = {
    v->cx - v->width / 2 / v->scale, v->cy - v->height / 2 / v->scale,
    v->cx + v->width / 2 / v->scale, v->cy + v->height / 2 / v->scale,
  };

  gint64 start = g_get_monotonic_time ();
  gboolean deferred = FALSE;

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
      /* Shaping is the slow part; a frame does a bounded share of it. */
      if (shape->label == NULL && g_get_monotonic_time () - start > LABEL_BUDGET_USEC)
        {
          deferred = TRUE;
          continue;
        }
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

  if (deferred && self->label_id == 0)
    self->label_id = g_idle_add (label_redraw_cb, self);
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
  GwLayerView v;

  if (self->shapes->len == 0 || !get_view (self, &v))
    return;

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
      gw_bbox_init_empty (&shape.box);
      for (guint k = 0; k < shape.n; k++)
        {
          gw_tile_coordinates_project (self->coordinates, cell->ring[2 * k], cell->ring[2 * k + 1],
                                       &shape.xy[2 * k], &shape.xy[2 * k + 1]);
          gw_bbox_add_point (&shape.box, shape.xy[2 * k], shape.xy[2 * k + 1]);
        }
      gw_cell_get_centroid (cell, &lon, &lat);
      gw_tile_coordinates_project (self->coordinates, lon, lat, &shape.lx, &shape.ly);
      gw_bbox_union (&self->bounds, &shape.box);

      g_array_append_val (self->shapes, shape);
      g_hash_table_insert (self->by_code, cell->code, GUINT_TO_POINTER (self->shapes->len));
    }

  boxes = g_new (GwBBox, MAX (self->shapes->len, 1));
  for (guint i = 0; i < self->shapes->len; i++)
    boxes[i] = g_array_index (self->shapes, CellShape, i).box;
  self->rects = gw_rect_index_new (boxes, self->shapes->len);

  update_classes (self);
  self->reshaped = TRUE;
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

void
gw_cell_layer_set_coordinates (GwCellLayer *self, GwTileCoordinates coordinates)
{
  g_autoptr(GPtrArray) cells = NULL;

  g_return_if_fail (GW_IS_CELL_LAYER (self));

  if (self->coordinates == coordinates)
    return;
  self->coordinates = coordinates;

  /* Reproject the same cells (the shapes hold the only references besides ours). */
  cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  for (guint i = 0; i < self->shapes->len; i++)
    g_ptr_array_add (cells, gw_cell_ref (g_array_index (self->shapes, CellShape, i).cell));
  gw_cell_layer_set_cells (self, cells);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COORDINATES]);
}

void
gw_cell_layer_set_see_through (GwCellLayer *self, gboolean see_through)
{
  g_return_if_fail (GW_IS_CELL_LAYER (self));

  see_through = !!see_through;
  if (self->see_through == see_through)
    return;
  self->see_through = see_through;
  invalidate_style (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEE_THROUGH]);
}

GwTileCoordinates
gw_cell_layer_get_coordinates (GwCellLayer *self)
{
  g_return_val_if_fail (GW_IS_CELL_LAYER (self), GW_TILE_COORDINATES_WGS84);

  return self->coordinates;
}

gboolean
gw_cell_layer_get_cell_position (GwCellLayer *self, const char *code, double *x, double *y)
{
  gpointer value;
  const CellShape *shape;
  GwLayerView v;

  g_return_val_if_fail (GW_IS_CELL_LAYER (self), FALSE);

  value = code ? g_hash_table_lookup (self->by_code, code) : NULL;
  if (value == NULL || !gw_layer_view_get (GTK_WIDGET (self), self->viewport, &v))
    return FALSE;
  shape = &g_array_index (self->shapes, CellShape, GPOINTER_TO_UINT (value) - 1);
  gw_layer_view_to_widget (&v, shape->lx, shape->ly, x, y);
  return TRUE;
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
  GwLayerView v;

  if (self->shapes->len == 0 || !get_view (self, &v))
    return -1;

  gw_layer_view_from_widget (&v, x, y, &px, &py);
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
  g_clear_handle_id (&self->label_id, g_source_remove);
  if (self->shapes != NULL)
    clear_shapes (self);
  /* Waits for a tile being drawn, if any; the queued ones are dropped. */
  g_clear_pointer (&self->tiles, gw_cell_tiles_free);
  g_clear_pointer (&self->scene, gw_cell_scene_unref);
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

    case PROP_COORDINATES:
      g_value_set_enum (value, self->coordinates);
      break;

    case PROP_SEE_THROUGH:
      g_value_set_boolean (value, self->see_through);
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

    case PROP_COORDINATES:
      gw_cell_layer_set_coordinates (self, g_value_get_enum (value));
      break;

    case PROP_SEE_THROUGH:
      gw_cell_layer_set_see_through (self, g_value_get_boolean (value));
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
  properties[PROP_COORDINATES] =
    g_param_spec_enum ("coordinates", NULL, NULL,
                       GW_TYPE_TILE_COORDINATES, GW_TILE_COORDINATES_WGS84,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEE_THROUGH] =
    g_param_spec_boolean ("see-through", NULL, NULL,
                          FALSE,
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
  self->tiles = gw_cell_tiles_new (GTK_WIDGET (self));
  self->scratch = g_array_new (FALSE, FALSE, sizeof (guint));
  self->render_zoom = NAN;
  self->prev_render_zoom = NAN;
  self->hover_zoom = NAN;
  self->hover = -1;
  self->step = 1;
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
