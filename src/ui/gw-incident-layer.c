/* gw-incident-layer.c — every incident pin in one ShumateLayer
 *
 * The data side is a GwPinSet: a slot array (one pin per incident, reused through a
 * free list), a per-slot status byte, a Morton-ordered GwPointIndex and the clusters of
 * each grid level asked for, cached until the pins or their statuses change. While the
 * map is idle the levels one and two zoom steps away are made ahead, so zooming only
 * looks them up.
 *
 * The drawing side is one texture node per visible item from GwPinAtlas, placed by
 * gw_pin_paint_items () (which visits only the clusters near the view). Those nodes are kept
 * for an area a little larger than the view: while the map pans at one zoom, a frame
 * only translates them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-basemap.h"
#include "gw-cluster.h"
#include "gw-geo.h"
#include "gw-incident-layer.h"
#include "gw-layer-view.h"
#include "gw-pin-paint.h"
#include "gw-pin-set.h"
#include "gw-wall-style.h"

#define NEW_PIN_USEC      (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC / 1000)
#define TURNED_LATE_USEC  (G_GINT64_CONSTANT (2400) * G_USEC_PER_SEC / 1000)
#define REDRAW_RING_USEC  (G_GINT64_CONSTANT (10) * G_USEC_PER_SEC)
#define HIT_SLACK_PX      3.0
#define CACHE_MARGIN_PX   256.0   /* drawn around the view so panning reuses the node */

typedef enum {
  ANIM_NEW,
  ANIM_TURNED_LATE,
} AnimKind;

typedef struct {
  guint    slot;
  AnimKind kind;
  gint64   start_us;
} Anim;

/* What the cached node of the items was drawn for. */
typedef struct {
  double zoom;
  double cx, cy;        /* view centre the positions are relative to */
  double width, height;
  GwBBox box;           /* the area it covers, normalized */
  guint  level, index_serial, status_serial, look_serial;
  GwTime epoch;         /* of the countdown rings */
  int    scale;
} CacheKey;

struct _GwIncidentLayer {
  ShumateLayer      parent_instance;

  ShumateViewport  *viewport;

  GwPinSet         *set;
  GwPinAtlas       *atlas;
  GArray           *clusters;   /* of the level last drawn (owned by the set) */
  guint             level;      /* that level */
  guint             ahead_id;   /* idle making neighbouring levels */

  GwPinPaint        paint;      /* set, atlas and scratch for drawing */
  GskRenderNode    *node;       /* the items, for node_key */
  CacheKey          node_key;
  guint             look_serial;  /* bumped when pins look different (glyphs, animations) */
  guint             pin_size;     /* times the base size: the wall's scale, rounded */

  GArray           *anims;      /* Anim */
  guint             tick_id;
  guint             clock_id;
  gboolean          animate;

  GwTime            fixed_now;
  GwTime            next_late_at;    /* earliest deadline of an open, on-time pin */
  gint64            last_ring_redraw;

  char             *selected_id;
};

G_DEFINE_FINAL_TYPE (GwIncidentLayer, gw_incident_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_ANIMATE,
  PROP_N_PINS,
  PROP_COORDINATES,
  N_PROPS
};

enum {
  INCIDENT_ACTIVATED,
  CLUSTER_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void refresh_statuses (GwIncidentLayer *self, GwTime now, gboolean pulse);
static gboolean get_view (GwIncidentLayer *self, GwLayerView *v);
static void start_animation (GwIncidentLayer *self, guint slot, AnimKind kind);
static void stop_animations (GwIncidentLayer *self);

static GwTime
layer_now (GwIncidentLayer *self)
{
  return self->fixed_now != GW_TIME_NONE ? self->fixed_now : gw_time_now ();
}

/* Pins are big enough to be read from across the hall; below zoom 16 they merge into
 * 64–128 px grid cells, above it into 32–64 px cells (stacked cases at one address).
 * Pins drawn @pin_size times bigger merge as a view that much further out would. */
static guint
cluster_level (GwIncidentLayer *self,
               double           zoom)
{
  zoom -= log2 (self->pin_size);
  return gw_cluster_level_for_zoom (zoom, 256.0, zoom < 16 ? 64.0 : 32.0);
}

/* A 4K wall draws everything twice as big (gw-wall-style.h): the pins too. */
static guint
pin_size_for_root (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  double scale = GTK_IS_WINDOW (root) ? gw_wall_style_get_scale (GTK_WINDOW (root)) : 1.0;

  return MAX (1, (guint) round (scale));
}

/* Makes the levels a zoom step or two away, one per idle call, finest first so the
 * coarser ones are merges of it. */
static gboolean
ahead_cb (gpointer user_data)
{
  GwIncidentLayer *self = user_data;
  double zoom = floor (shumate_viewport_get_zoom_level (self->viewport));
  static const double steps[] = { 2, 1, -1, -2 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      guint level = cluster_level (self, zoom + steps[i]);
      if (!gw_pin_set_has_clusters (self->set, level))
        {
          gw_pin_set_get_clusters (self->set, level);
          return G_SOURCE_CONTINUE;
        }
    }
  self->ahead_id = 0;
  return G_SOURCE_REMOVE;
}

static void
ensure_clusters (GwIncidentLayer *self, guint level)
{
  gboolean had = gw_pin_set_has_clusters (self->set, level);

  self->clusters = gw_pin_set_get_clusters (self->set, level);
  self->level = level;
  if (!had && self->ahead_id == 0)
    self->ahead_id = g_idle_add_full (G_PRIORITY_LOW, ahead_cb, self, NULL);
}

/* Snapshot */

static gboolean
get_view (GwIncidentLayer *self, GwLayerView *v)
{
  return gw_layer_view_get (GTK_WIDGET (self), self->viewport, v);
}

static void
draw_animations (GwIncidentLayer *self, GtkSnapshot *snapshot, const GwLayerView *v,
                 gint64 frame_us, int scale)
{
  for (guint i = 0; i < self->anims->len; i++)
    {
      const Anim *a = &g_array_index (self->anims, Anim, i);
      const GwPin *pin = gw_pin_set_pin (self->set, a->slot);
      double sx, sy, t;

      if (pin->incident == NULL)
        continue;
      gw_layer_view_to_widget (v, pin->x, pin->y, &sx, &sy);
      if (sx < -64 || sy < -64 || sx > v->width + 64 || sy > v->height + 64)
        continue;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (sx, sy));
      if (a->kind == ANIM_NEW)
        {
          /* Pop in: grow past full size and settle (an ease-out-back curve). */
          t = CLAMP ((double) (frame_us - a->start_us) / NEW_PIN_USEC, 0.0, 1.0);
          double s = MAX (1.0 + 2.70158 * pow (t - 1, 3) + 1.70158 * pow (t - 1, 2), 0.01);
          if (pin->animating)
            {
              gtk_snapshot_scale (snapshot, s, s);
              gw_pin_atlas_append (snapshot, gw_pin_paint_pin_sprite (&self->paint, a->slot), scale, 0, 0);
            }
        }
      else
        {
          /* Two red rings expanding and fading out. */
          t = CLAMP ((double) (frame_us - a->start_us) / TURNED_LATE_USEC, 0.0, 1.0);
          double phase = fmod (t * 2, 1.0);
          gtk_snapshot_push_opacity (snapshot, 1.0 - phase);
          gtk_snapshot_scale (snapshot, 0.6 + 1.4 * phase, 0.6 + 1.4 * phase);
          gw_pin_atlas_append (snapshot, gw_pin_atlas_get_special (self->atlas, GW_PIN_SPECIAL_HALO),
                               scale, 0, 0);
          gtk_snapshot_pop (snapshot);
        }
      gtk_snapshot_restore (snapshot);
    }
}

/* The items as one node, positioned for the view centred on (key->cx, key->cy): reused
 * while only the centre moves within the area it covers. */
static GskRenderNode *
items_node (GwIncidentLayer *self, const GwLayerView *v, GwTime now, int scale)
{
  /* What is visible, with a margin for the largest item, in normalized units. */
  double reach = (v->rotation != 0 ? hypot (v->width, v->height) : MAX (v->width, v->height)) / 2 + 40;
  double rx = (v->rotation != 0 ? reach : v->width / 2 + 40) / v->scale;
  double ry = (v->rotation != 0 ? reach : v->height / 2 + 40) / v->scale;
  GwBBox visible = { v->cx - rx, v->cy - ry, v->cx + rx, v->cy + ry };
  CacheKey key = {
    .zoom = v->zoom, .width = v->width, .height = v->height,
    .level = self->level,
    .index_serial = gw_point_index_get_serial (self->set->index),
    .status_serial = self->set->status_serial,
    .look_serial = self->look_serial,
    .epoch = now / REDRAW_RING_USEC,
    .scale = scale,
  };
  const CacheKey *old = &self->node_key;
  gboolean same_look = self->node != NULL &&
    old->zoom == key.zoom && old->width == key.width && old->height == key.height &&
    old->level == key.level && old->index_serial == key.index_serial &&
    old->status_serial == key.status_serial && old->look_serial == key.look_serial &&
    old->epoch == key.epoch && old->scale == key.scale;

  if (same_look &&
      visible.x0 >= old->box.x0 && visible.x1 <= old->box.x1 &&
      visible.y0 >= old->box.y0 && visible.y1 <= old->box.y1)
    return self->node;

  /* Redraw for a view centred here. When only the centre moved (panning), cover a
   * margin around the view so the next frames reuse it; after a zoom or data change a
   * margin would likely be redrawn before it is used. */
  GwLayerView at = *v;
  double m = same_look ? CACHE_MARGIN_PX / v->scale : 0;
  key.cx = at.cx = v->cx;
  key.cy = at.cy = v->cy;
  key.box = (GwBBox) { visible.x0 - m, visible.y0 - m, visible.x1 + m, visible.y1 + m };
  self->paint.clusters = self->clusters;
  self->paint.level = self->level;
  self->paint.now = now;
  self->paint.scale = scale;
  g_clear_pointer (&self->node, gsk_render_node_unref);
  self->node = gw_pin_paint_items (&self->paint, &at, &key.box);
  self->node_key = key;
  return self->node;
}

static void
gw_incident_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (widget);
  GwTime now = layer_now (self);
  int scale = gtk_widget_get_scale_factor (widget);
  guint pin_size;
  GskRenderNode *node;
  GdkFrameClock *clock;
  GwLayerView v;
  gint selected;

  if (!get_view (self, &v) || gw_point_index_get_size (self->set->index) == 0)
    return;

  if (self->pin_size != (pin_size = pin_size_for_root (widget)))
    {
      self->pin_size = pin_size;
      self->look_serial++;
    }
  gw_pin_atlas_set_scale (self->atlas, scale, self->pin_size);
  ensure_clusters (self, cluster_level (self, v.zoom));
  self->paint.now = now;
  self->paint.scale = scale;
  node = items_node (self, &v, now, scale);

  gtk_snapshot_save (snapshot);
  if (v.rotation != 0)
    gw_layer_view_push_rotation (&v, snapshot);

  if (node != NULL)
    {
      /* Whole pixels, so the sprites stay sharp. */
      double dx = round ((self->node_key.cx - v.cx) * v.scale);
      double dy = round ((self->node_key.cy - v.cy) * v.scale);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (dx, dy));
      gtk_snapshot_append_node (snapshot, node);
      gtk_snapshot_restore (snapshot);
    }

  clock = gtk_widget_get_frame_clock (widget);
  if (self->anims->len > 0)
    draw_animations (self, snapshot, &v,
                     clock ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time (),
                     scale);

  selected = gw_pin_set_lookup (self->set, self->selected_id);
  if (selected >= 0)
    {
      const GwPin *pin = gw_pin_set_pin (self->set, selected);
      double sx, sy;
      gw_layer_view_to_widget (&v, pin->x, pin->y, &sx, &sy);
      gw_pin_atlas_append (snapshot, gw_pin_atlas_get_special (self->atlas, GW_PIN_SPECIAL_SELECTION),
                           scale, sx, sy);
    }

  gtk_snapshot_restore (snapshot);
}

/* Animations and the clock */

static gboolean
animation_tick_cb (GtkWidget *widget, GdkFrameClock *frame_clock, gpointer user_data)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (widget);
  gint64 frame_us = gdk_frame_clock_get_frame_time (frame_clock);

  for (guint i = self->anims->len; i > 0; i--)
    {
      Anim *a = &g_array_index (self->anims, Anim, i - 1);
      gint64 duration = a->kind == ANIM_NEW ? NEW_PIN_USEC : TURNED_LATE_USEC;

      if (a->start_us == 0)
        a->start_us = frame_us;
      if (frame_us - a->start_us >= duration)
        {
          if (a->kind == ANIM_NEW && a->slot < self->set->pins->len)
            {
              gw_pin_set_pin (self->set, a->slot)->animating = FALSE;
              self->look_serial++;
            }
          g_array_remove_index_fast (self->anims, i - 1);
        }
    }

  gtk_widget_queue_draw (widget);

  if (self->anims->len == 0)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_animations (GwIncidentLayer *self)
{
  for (guint i = 0; i < self->anims->len; i++)
    {
      const Anim *a = &g_array_index (self->anims, Anim, i);
      if (a->slot < self->set->pins->len)
        gw_pin_set_pin (self->set, a->slot)->animating = FALSE;
    }
  g_array_set_size (self->anims, 0);
  self->look_serial++;
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
start_animation (GwIncidentLayer *self, guint slot, AnimKind kind)
{
  Anim a = { slot, kind, 0 };

  if (!self->animate)
    return;

  /* The tick callback stamps the start on the next frame. */
  for (guint i = 0; i < self->anims->len; i++)
    {
      Anim *other = &g_array_index (self->anims, Anim, i);
      if (other->slot == slot && other->kind == kind)
        {
          other->start_us = 0;
          return;
        }
    }
  g_array_append_val (self->anims, a);
  if (kind == ANIM_NEW)
    {
      gw_pin_set_pin (self->set, slot)->animating = TRUE;
      self->look_serial++;
    }

  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), animation_tick_cb, NULL, NULL);
}

static void
note_deadline (GwIncidentLayer *self, const GwIncident *incident, GwPinStatus status)
{
  if (status != GW_PIN_STATUS_LATE && status != GW_PIN_STATUS_CLOSED &&
      incident->deadline != GW_TIME_NONE &&
      (self->next_late_at == GW_TIME_NONE || incident->deadline < self->next_late_at))
    self->next_late_at = incident->deadline;
}

/* Re-derives every pin's status at @now; pins that just went late pulse. */
static void
refresh_statuses (GwIncidentLayer *self, GwTime now, gboolean pulse)
{
  g_autoptr(GArray) turned_late = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!gw_pin_set_refresh (self->set, now, turned_late, &self->next_late_at))
    return;
  for (guint i = 0; pulse && i < turned_late->len; i++)
    start_animation (self, g_array_index (turned_late, guint, i), ANIM_TURNED_LATE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
clock_cb (gpointer user_data)
{
  GwIncidentLayer *self = user_data;
  GwTime now = layer_now (self);
  gint64 mono = g_get_monotonic_time ();

  if (self->next_late_at != GW_TIME_NONE && now > self->next_late_at)
    refresh_statuses (self, now, TRUE);

  /* Countdown rings move in 1/24 steps of a deadline measured in hours. */
  if (mono - self->last_ring_redraw >= REDRAW_RING_USEC)
    {
      self->last_ring_redraw = mono;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  return G_SOURCE_CONTINUE;
}

/* Data */

void
gw_incident_layer_set_classes (GwIncidentLayer *self, GPtrArray *classes)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  gw_pin_set_set_classes (self->set, classes);
  gw_pin_atlas_set_glyphs (self->atlas, self->set->glyphs);
  self->look_serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_incident_layer_upsert (GwIncidentLayer *self, GPtrArray *incidents, gboolean animate)
{
  GwTime now;

  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  if (incidents == NULL || incidents->len == 0)
    return;

  now = layer_now (self);
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      GwPinStatus status = gw_pin_status_for_incident (incident, now);
      gint old = gw_pin_set_lookup (self->set, incident->id);
      gboolean added;
      guint slot;

      if (animate && old >= 0 && status == GW_PIN_STATUS_LATE &&
          self->set->status->data[old] != GW_PIN_STATUS_LATE)
        start_animation (self, old, ANIM_TURNED_LATE);
      slot = gw_pin_set_upsert (self->set, incident, status, &added);
      if (added && animate)
        start_animation (self, slot, ANIM_NEW);
      note_deadline (self, incident, status);
    }

  self->set->status_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PINS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_incident_layer_remove (GwIncidentLayer *self, GPtrArray *incidents)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  if (incidents == NULL || incidents->len == 0)
    return;

  for (guint i = 0; i < incidents->len; i++)
    {
      gint slot = gw_pin_set_remove (self->set, g_ptr_array_index (incidents, i));

      if (slot < 0)
        continue;
      for (guint k = self->anims->len; k > 0; k--)
        if (g_array_index (self->anims, Anim, k - 1).slot == (guint) slot)
          g_array_remove_index_fast (self->anims, k - 1);
    }

  self->set->status_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PINS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_incident_layer_clear (GwIncidentLayer *self)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  stop_animations (self);
  gw_pin_set_clear (self->set);
  self->clusters = NULL;
  self->next_late_at = GW_TIME_NONE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PINS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
gw_incident_layer_get_n_pins (GwIncidentLayer *self)
{
  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), 0);

  return g_hash_table_size (self->set->by_id);
}

GwIncident *
gw_incident_layer_lookup (GwIncidentLayer *self, const char *incident_id)
{
  gint slot;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), NULL);

  slot = gw_pin_set_lookup (self->set, incident_id);
  return slot >= 0 ? gw_pin_set_pin (self->set, slot)->incident : NULL;
}

void
gw_incident_layer_set_now (GwIncidentLayer *self, GwTime now)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  self->fixed_now = now;
  refresh_statuses (self, layer_now (self), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_incident_layer_set_animate (GwIncidentLayer *self, gboolean animate)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  animate = !!animate;
  if (self->animate == animate)
    return;
  self->animate = animate;
  if (!animate)
    stop_animations (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANIMATE]);
}

void
gw_incident_layer_set_coordinates (GwIncidentLayer *self, GwTileCoordinates coordinates)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  if ((GwTileCoordinates) self->set->coordinates == coordinates)
    return;
  gw_pin_set_set_coordinates (self->set, coordinates);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COORDINATES]);
}

GwTileCoordinates
gw_incident_layer_get_coordinates (GwIncidentLayer *self)
{
  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), GW_TILE_COORDINATES_WGS84);

  return self->set->coordinates;
}

gboolean
gw_incident_layer_get_bounds (GwIncidentLayer *self, GwBBox *bounds)
{
  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  gw_bbox_init_empty (bounds);
  for (guint slot = 0; slot < self->set->pins->len; slot++)
    {
      const GwPin *pin = gw_pin_set_pin (self->set, slot);
      if (pin->incident != NULL)
        gw_bbox_add_point (bounds, pin->x, pin->y);
    }
  return !gw_bbox_is_empty (bounds);
}

gboolean
gw_incident_layer_get_animating (GwIncidentLayer *self)
{
  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  return self->tick_id != 0;
}

void
gw_incident_layer_set_selected (GwIncidentLayer *self, const char *incident_id)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  if (g_strcmp0 (self->selected_id, incident_id) == 0)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (incident_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
gw_incident_layer_get_pin_position (GwIncidentLayer *self,
                                    const char      *incident_id,
                                    double          *x,
                                    double          *y)
{
  gint slot;
  GwLayerView v;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  slot = gw_pin_set_lookup (self->set, incident_id);
  if (slot < 0)
    return FALSE;

  const GwPin *pin = gw_pin_set_pin (self->set, slot);
  get_view (self, &v);
  gw_layer_view_to_widget (&v, pin->x, pin->y, x, y);
  gw_layer_view_rotate (&v, TRUE, x, y);
  return TRUE;
}

guint
gw_incident_layer_get_pin_size (GwIncidentLayer *self)
{
  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), 1);
  return self->pin_size;
}

gboolean
gw_incident_layer_pick (GwIncidentLayer *self, double x, double y, GwIncidentPick *pick)
{
  GwPointIndex *index = self->set->index;
  double px, py;
  gint k;
  GwLayerView v;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  if (!get_view (self, &v) || gw_point_index_get_size (index) == 0)
    return FALSE;

  gw_layer_view_from_widget (&v, x, y, &px, &py);
  ensure_clusters (self, cluster_level (self, v.zoom));
  /* Bigger pins reach as far as normal ones in a view that much closer. */
  k = gw_pin_set_pick (self->set, self->clusters, self->level, px, py, v.scale / self->pin_size,
                       HIT_SLACK_PX / (double) self->pin_size);
  if (k < 0)
    return FALSE;

  if (pick != NULL)
    {
      const GwCluster *c = &g_array_index (self->clusters, GwCluster, k);

      memset (pick, 0, sizeof *pick);
      pick->count = c->count;
      for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
        pick->counts[s] = c->counts[s];
      if (c->count == 1)
        pick->incident = gw_pin_set_pin (self->set, gw_point_index_get_id (index, c->start))->incident;
      gw_geo_unproject (c->x, c->y, &pick->longitude, &pick->latitude);
      gw_layer_view_to_widget (&v, c->x, c->y, &pick->x, &pick->y);
    }
  return TRUE;
}

gboolean
gw_incident_layer_activate_at (GwIncidentLayer *self, double x, double y)
{
  GwIncidentPick pick;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  if (!gw_incident_layer_pick (self, x, y, &pick))
    return FALSE;

  if (pick.incident != NULL)
    g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, pick.incident);
  else
    g_signal_emit (self, signals[CLUSTER_ACTIVATED], 0,
                   pick.latitude, pick.longitude, pick.count);
  return TRUE;
}

/* GObject */

static void
viewport_notify_cb (GwIncidentLayer *self, GParamSpec *pspec, ShumateViewport *viewport)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
gw_incident_layer_map (GtkWidget *widget)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (widget);

  GTK_WIDGET_CLASS (gw_incident_layer_parent_class)->map (widget);

  refresh_statuses (self, layer_now (self), FALSE);
  if (self->clock_id == 0)
    self->clock_id = g_timeout_add_seconds (1, clock_cb, self);
}

static void
gw_incident_layer_unmap (GtkWidget *widget)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (widget);

  g_clear_handle_id (&self->clock_id, g_source_remove);

  GTK_WIDGET_CLASS (gw_incident_layer_parent_class)->unmap (widget);
}

static void
gw_incident_layer_constructed (GObject *object)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  G_OBJECT_CLASS (gw_incident_layer_parent_class)->constructed (object);

  self->viewport = g_object_ref (shumate_layer_get_viewport (SHUMATE_LAYER (self)));
  g_signal_connect_object (self->viewport, "notify", G_CALLBACK (viewport_notify_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
gw_incident_layer_dispose (GObject *object)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  stop_animations (self);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_handle_id (&self->ahead_id, g_source_remove);
  self->clusters = NULL;
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->set, gw_pin_set_free);
  g_clear_object (&self->atlas);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (gw_incident_layer_parent_class)->dispose (object);
}

static void
gw_incident_layer_finalize (GObject *object)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  g_clear_pointer (&self->paint.items, g_array_unref);
  g_clear_pointer (&self->paint.runs, g_array_unref);
  g_clear_pointer (&self->anims, g_array_unref);
  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (gw_incident_layer_parent_class)->finalize (object);
}

static void
gw_incident_layer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  switch (prop_id)
    {
    case PROP_ANIMATE:
      g_value_set_boolean (value, self->animate);
      break;

    case PROP_N_PINS:
      g_value_set_uint (value, gw_incident_layer_get_n_pins (self));
      break;

    case PROP_COORDINATES:
      g_value_set_enum (value, self->set->coordinates);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_incident_layer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  switch (prop_id)
    {
    case PROP_ANIMATE:
      gw_incident_layer_set_animate (self, g_value_get_boolean (value));
      break;

    case PROP_COORDINATES:
      gw_incident_layer_set_coordinates (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_incident_layer_class_init (GwIncidentLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gw_incident_layer_constructed;
  object_class->dispose = gw_incident_layer_dispose;
  object_class->finalize = gw_incident_layer_finalize;
  object_class->get_property = gw_incident_layer_get_property;
  object_class->set_property = gw_incident_layer_set_property;

  widget_class->snapshot = gw_incident_layer_snapshot;
  widget_class->map = gw_incident_layer_map;
  widget_class->unmap = gw_incident_layer_unmap;

  properties[PROP_ANIMATE] =
    g_param_spec_boolean ("animate", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PINS] =
    g_param_spec_uint ("n-pins", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COORDINATES] =
    g_param_spec_enum ("coordinates", NULL, NULL,
                       GW_TYPE_TILE_COORDINATES, GW_TILE_COORDINATES_WGS84,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwIncidentLayer::incident-activated:
   * @incident: the GwIncident under the click
   */
  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GW_TYPE_INCIDENT);

  /**
   * GwIncidentLayer::cluster-activated:
   * @latitude: where the cluster is drawn
   * @longitude:
   * @count: how many pins it holds
   */
  signals[CLUSTER_ACTIVATED] =
    g_signal_new ("cluster-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "gw-incident-layer");
}

static void
gw_incident_layer_init (GwIncidentLayer *self)
{
  self->set = gw_pin_set_new ();
  self->pin_size = 1;
  /* The atlas starts drawing the looks ahead on a worker thread right away. */
  self->atlas = gw_pin_atlas_new ();
  self->paint.set = self->set;
  self->paint.atlas = self->atlas;
  self->paint.widget = GTK_WIDGET (self);
  self->paint.runs = g_array_new (FALSE, FALSE, sizeof (guint));
  self->anims = g_array_new (FALSE, FALSE, sizeof (Anim));
  self->animate = TRUE;

  /* Clicks and hover reach the map view, which asks each layer in turn. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

GwIncidentLayer *
gw_incident_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (GW_TYPE_INCIDENT_LAYER, "viewport", viewport, NULL);
}
