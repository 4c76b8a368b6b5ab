/* gw-incident-layer.c — every incident pin in one ShumateLayer
 *
 * The data side is a GwPinSet: a slot array (one pin per incident, reused through a
 * free list), a per-slot status byte, a Morton-ordered GwPointIndex and the clusters of
 * each grid level asked for, cached until the pins or their statuses change. While the
 * map is idle the levels one and two zoom steps away are made ahead, so zooming only
 * looks them up.
 *
 * The drawing side is one texture node per visible item from GwPinAtlas; the visible
 * items are found with a few binary searches over the clusters (the Z order makes every
 * coarser grid cell one run of them), not a scan of all of them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-cluster.h"
#include "gw-geo.h"
#include "gw-incident-layer.h"
#include "gw-pin-set.h"

#define NEW_PIN_USEC      (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC / 1000)
#define TURNED_LATE_USEC  (G_GINT64_CONSTANT (2400) * G_USEC_PER_SEC / 1000)
#define REDRAW_RING_USEC  (G_GINT64_CONSTANT (10) * G_USEC_PER_SEC)
#define HIT_SLACK_PX      3.0

typedef enum {
  ANIM_NEW,
  ANIM_TURNED_LATE,
} AnimKind;

typedef struct {
  guint    slot;
  AnimKind kind;
  gint64   start_us;
} Anim;

/* One drawn item, collected per frame so late items can be drawn last. */
typedef struct {
  float sx, sy;
  guint cluster;
} Item;

struct _GwIncidentLayer {
  ShumateLayer      parent_instance;

  ShumateViewport  *viewport;

  GwPinSet         *set;
  GwPinAtlas       *atlas;
  GArray           *clusters;   /* of the level last drawn (owned by the set) */
  guint             level;      /* that level */
  guint             ahead_id;   /* idle making neighbouring levels */

  GArray           *items;      /* Item, scratch */
  GArray           *runs;       /* guint pairs, scratch */

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
static void start_animation (GwIncidentLayer *self, guint slot, AnimKind kind);
static void stop_animations (GwIncidentLayer *self);

GwPinStatus
gw_pin_status_for_incident (const GwIncident *incident, GwTime now)
{
  if (gw_stage_is_closed (incident->stage))
    return GW_PIN_STATUS_CLOSED;
  if (incident->deadline != GW_TIME_NONE && now > incident->deadline)
    return GW_PIN_STATUS_LATE;
  if (incident->stage == GW_STAGE_RECEIVED || incident->stage == GW_STAGE_REGISTERED)
    return GW_PIN_STATUS_WAITING;
  return GW_PIN_STATUS_ACTIVE;
}

static GwTime
layer_now (GwIncidentLayer *self)
{
  return self->fixed_now != GW_TIME_NONE ? self->fixed_now : gw_time_now ();
}

/* View geometry */

typedef struct {
  double zoom;
  double scale;     /* world size in pixels */
  double cx, cy;    /* centre, normalized */
  double width, height;
  double rotation;
} View;

static gboolean
get_view (GwIncidentLayer *self, View *v)
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

static inline void
view_to_widget (const View *v, double x, double y, double *sx, double *sy)
{
  *sx = (x - v->cx) * v->scale + v->width / 2;
  *sy = (y - v->cy) * v->scale + v->height / 2;
}

static void
widget_to_view (const View *v, double sx, double sy, double *x, double *y)
{
  if (v->rotation != 0)
    {
      /* Undo the rotation around the centre the layer draws with. */
      double dx = sx - v->width / 2, dy = sy - v->height / 2;
      double c = cos (-v->rotation), s = sin (-v->rotation);
      sx = v->width / 2 + c * dx - s * dy;
      sy = v->height / 2 + s * dx + c * dy;
    }
  *x = v->cx + (sx - v->width / 2) / v->scale;
  *y = v->cy + (sy - v->height / 2) / v->scale;
}

/* Pins are big enough to be read from across the hall; below zoom 16 they merge into
 * 64–128 px grid cells, above it into 32–64 px cells (stacked cases at one address). */
static guint
cluster_level (double zoom)
{
  return gw_cluster_level_for_zoom (zoom, 256.0, zoom < 16 ? 64.0 : 32.0);
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
      guint level = cluster_level (zoom + steps[i]);
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

static guint
ring_step (const GwIncident *incident, GwPinStatus status, GwTime now)
{
  if (status == GW_PIN_STATUS_CLOSED || incident->deadline == GW_TIME_NONE)
    return GW_PIN_RING_NONE;
  if (status == GW_PIN_STATUS_LATE)
    return GW_PIN_RING_LATE;

  GwTime start = incident->received_at;
  GwTime span = incident->deadline - start;
  if (start == GW_TIME_NONE || span <= 0)
    return GW_PIN_RING_STEPS;
  double left = (double) (incident->deadline - now) / span;
  return (guint) CLAMP (ceil (left * GW_PIN_RING_STEPS), 0, GW_PIN_RING_STEPS);
}

static GdkTexture *
get_pin_sprite (GwIncidentLayer *self, guint slot, GwTime now)
{
  const GwPin *pin = gw_pin_set_pin (self->set, slot);
  GwPinStatus status = self->set->status->data[slot];

  return gw_pin_atlas_get_pin (self->atlas, status, pin->priority, pin->glyph,
                               ring_step (pin->incident, status, now));
}

static void
append_sprite (GtkSnapshot *snapshot, GdkTexture *texture, int scale, double sx, double sy)
{
  double w = (double) gdk_texture_get_width (texture) / scale;
  double h = (double) gdk_texture_get_height (texture) / scale;

  gtk_snapshot_append_texture (snapshot, texture,
                               &GRAPHENE_RECT_INIT (floor (sx - w / 2 + 0.5),
                                                    floor (sy - h / 2 + 0.5), w, h));
}

static void
append_label (GtkSnapshot *snapshot, const GwPinLabel *label, double cx, double cy)
{
  if (label->node == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (floor (cx - label->width / 2.0 + 0.5),
                                                floor (cy - label->height / 2.0 + 0.5)));
  gtk_snapshot_append_node (snapshot, label->node);
  gtk_snapshot_restore (snapshot);
}

static void
draw_item (GwIncidentLayer *self, GtkSnapshot *snapshot, const Item *item, GwTime now, int scale)
{
  const GwCluster *c = &g_array_index (self->clusters, GwCluster, item->cluster);
  GtkWidget *widget = GTK_WIDGET (self);

  if (c->count == 1)
    {
      guint slot = gw_point_index_get_id (self->set->index, c->start);
      if (gw_pin_set_pin (self->set, slot)->animating)
        return;
      append_sprite (snapshot, get_pin_sprite (self, slot, now), scale, item->sx, item->sy);
      return;
    }

  double radius = gw_pin_atlas_cluster_radius (c->count);
  append_sprite (snapshot, gw_pin_atlas_get_cluster (self->atlas, c->counts, c->count),
                 scale, item->sx, item->sy);
  append_label (snapshot, gw_pin_atlas_get_label (self->atlas, widget, c->count, FALSE),
                item->sx, item->sy);

  if (c->counts[GW_PIN_STATUS_LATE] > 0)
    {
      double bx = item->sx + radius * 0.72, by = item->sy - radius * 0.72;
      append_sprite (snapshot, gw_pin_atlas_get_special (self->atlas, GW_PIN_SPECIAL_BADGE),
                     scale, bx, by);
      append_label (snapshot,
                    gw_pin_atlas_get_label (self->atlas, widget, c->counts[GW_PIN_STATUS_LATE], TRUE),
                    bx, by);
    }
}

static gboolean
item_is_late (GwIncidentLayer *self, const Item *item)
{
  return g_array_index (self->clusters, GwCluster, item->cluster).counts[GW_PIN_STATUS_LATE] > 0;
}

static void
draw_animations (GwIncidentLayer *self, GtkSnapshot *snapshot, const View *v,
                 gint64 frame_us, GwTime now, int scale)
{
  for (guint i = 0; i < self->anims->len; i++)
    {
      const Anim *a = &g_array_index (self->anims, Anim, i);
      const GwPin *pin = gw_pin_set_pin (self->set, a->slot);
      double sx, sy, t;

      if (pin->incident == NULL)
        continue;
      view_to_widget (v, pin->x, pin->y, &sx, &sy);
      if (sx < -64 || sy < -64 || sx > v->width + 64 || sy > v->height + 64)
        continue;

      if (a->kind == ANIM_NEW)
        {
          /* Pop in: grow past full size and settle (an ease-out-back curve). */
          t = CLAMP ((double) (frame_us - a->start_us) / NEW_PIN_USEC, 0.0, 1.0);
          double s = 1.0 + 2.70158 * pow (t - 1, 3) + 1.70158 * pow (t - 1, 2);
          if (!pin->animating)
            continue;
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (sx, sy));
          gtk_snapshot_scale (snapshot, MAX (s, 0.01), MAX (s, 0.01));
          append_sprite (snapshot, get_pin_sprite (self, a->slot, now), scale, 0, 0);
          gtk_snapshot_restore (snapshot);
        }
      else
        {
          /* Two red rings expanding and fading out. */
          t = CLAMP ((double) (frame_us - a->start_us) / TURNED_LATE_USEC, 0.0, 1.0);
          double phase = fmod (t * 2, 1.0);
          gtk_snapshot_push_opacity (snapshot, 1.0 - phase);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (sx, sy));
          gtk_snapshot_scale (snapshot, 0.6 + 1.4 * phase, 0.6 + 1.4 * phase);
          append_sprite (snapshot, gw_pin_atlas_get_special (self->atlas, GW_PIN_SPECIAL_HALO),
                         scale, 0, 0);
          gtk_snapshot_restore (snapshot);
          gtk_snapshot_pop (snapshot);
        }
    }
}

/* Collects the items whose centre lies in @box, visiting only the runs of clusters
 * whose grid cells can meet it. */
static void
collect_items (GwIncidentLayer *self, const View *v, const GwBBox *box)
{
  const GwCluster *c = (const GwCluster *) (gconstpointer) self->clusters->data;

  g_array_set_size (self->items, 0);
  g_array_set_size (self->runs, 0);
  gw_clusters_runs_in_box (self->clusters, self->level, box, self->runs);

  for (guint r = 0; r < self->runs->len; r += 2)
    {
      guint end = g_array_index (self->runs, guint, r + 1);
      for (guint i = g_array_index (self->runs, guint, r); i < end; i++)
        {
          if (c[i].x < box->x0 || c[i].x > box->x1 || c[i].y < box->y0 || c[i].y > box->y1)
            continue;
          Item item = {
            .sx = (float) ((c[i].x - v->cx) * v->scale + v->width / 2),
            .sy = (float) ((c[i].y - v->cy) * v->scale + v->height / 2),
            .cluster = i,
          };
          g_array_append_val (self->items, item);
        }
    }
}

static void
gw_incident_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (widget);
  GwTime now = layer_now (self);
  int scale = gtk_widget_get_scale_factor (widget);
  gint64 frame_us;
  GdkFrameClock *clock;
  View v;

  if (!get_view (self, &v) || gw_point_index_get_size (self->set->index) == 0)
    return;

  gw_pin_atlas_set_scale (self->atlas, scale);
  ensure_clusters (self, cluster_level (v.zoom));

  /* What is visible, with a margin for the largest item, in normalized units. */
  double reach = (v.rotation != 0 ? hypot (v.width, v.height) : MAX (v.width, v.height)) / 2 + 40;
  GwBBox box = {
    v.cx - (v.rotation != 0 ? reach : v.width / 2 + 40) / v.scale,
    v.cy - (v.rotation != 0 ? reach : v.height / 2 + 40) / v.scale,
    v.cx + (v.rotation != 0 ? reach : v.width / 2 + 40) / v.scale,
    v.cy + (v.rotation != 0 ? reach : v.height / 2 + 40) / v.scale,
  };
  collect_items (self, &v, &box);

  if (v.rotation != 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (v.width / 2, v.height / 2));
      gtk_snapshot_rotate (snapshot, v.rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-v.width / 2, -v.height / 2));
    }

  /* Late items last, so nothing hides them. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->items->len; i++)
      {
        const Item *item = &g_array_index (self->items, Item, i);
        if (item_is_late (self, item) == (pass == 1))
          draw_item (self, snapshot, item, now, scale);
      }

  clock = gtk_widget_get_frame_clock (widget);
  frame_us = clock ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
  if (self->anims->len > 0)
    draw_animations (self, snapshot, &v, frame_us, now, scale);

  gint selected = gw_pin_set_lookup (self->set, self->selected_id);
  if (selected >= 0)
    {
      const GwPin *pin = gw_pin_set_pin (self->set, selected);
      double sx, sy;
      view_to_widget (&v, pin->x, pin->y, &sx, &sy);
      append_sprite (snapshot, gw_pin_atlas_get_special (self->atlas, GW_PIN_SPECIAL_SELECTION),
                     scale, sx, sy);
    }

  if (v.rotation != 0)
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
            gw_pin_set_pin (self->set, a->slot)->animating = FALSE;
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
    gw_pin_set_pin (self->set, slot)->animating = TRUE;

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
  gboolean changed = FALSE;

  self->next_late_at = GW_TIME_NONE;
  for (guint slot = 0; slot < self->set->pins->len; slot++)
    {
      const GwPin *pin = gw_pin_set_pin (self->set, slot);
      GwPinStatus status;

      if (pin->incident == NULL)
        continue;
      status = gw_pin_status_for_incident (pin->incident, now);
      if (status != self->set->status->data[slot])
        {
          if (pulse && status == GW_PIN_STATUS_LATE)
            start_animation (self, slot, ANIM_TURNED_LATE);
          self->set->status->data[slot] = status;
          changed = TRUE;
        }
      note_deadline (self, pin->incident, status);
    }

  if (changed)
    {
      self->set->status_serial++;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
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
  View v;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  slot = gw_pin_set_lookup (self->set, incident_id);
  if (slot < 0)
    return FALSE;

  const GwPin *pin = gw_pin_set_pin (self->set, slot);
  get_view (self, &v);
  view_to_widget (&v, pin->x, pin->y, x, y);
  if (v.rotation != 0)
    {
      double dx = *x - v.width / 2, dy = *y - v.height / 2;
      double c = cos (v.rotation), s = sin (v.rotation);
      *x = v.width / 2 + c * dx - s * dy;
      *y = v.height / 2 + s * dx + c * dy;
    }
  return TRUE;
}

gboolean
gw_incident_layer_pick (GwIncidentLayer *self, double x, double y, GwIncidentPick *pick)
{
  GwPointIndex *index = self->set->index;
  double px, py, best = G_MAXDOUBLE;
  gint best_index = -1;
  guint level;
  View v;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  if (!get_view (self, &v) || gw_point_index_get_size (index) == 0)
    return FALSE;

  widget_to_view (&v, x, y, &px, &py);
  level = cluster_level (v.zoom);
  ensure_clusters (self, level);

  /* An item is drawn at the mean of its cell's members, so its centre lies inside its
   * cell: only the cells within the largest item radius of the click can hold a hit. */
  double reach = (gw_pin_atlas_cluster_radius (G_MAXUINT) + HIT_SLACK_PX) / v.scale;
  double cell = exp2 (-(double) level);
  gint64 gx0 = (gint64) floor ((px - reach) / cell), gx1 = (gint64) floor ((px + reach) / cell);
  gint64 gy0 = (gint64) floor ((py - reach) / cell), gy1 = (gint64) floor ((py + reach) / cell);

  for (gint64 gy = gy0; gy <= gy1; gy++)
    for (gint64 gx = gx0; gx <= gx1; gx++)
      {
        double cx = (gx + 0.5) * cell, cy = (gy + 0.5) * cell;
        gint k;

        if (cx < 0 || cy < 0 || cx > 1 || cy > 1)
          continue;
        k = gw_clusters_find_cell (self->clusters, gw_cluster_cell_at (cx, cy, level));
        if (k < 0)
          continue;

        const GwCluster *c = &g_array_index (self->clusters, GwCluster, k);
        double radius;
        if (c->count == 1)
          {
            const GwPin *pin = gw_pin_set_pin (self->set, gw_point_index_get_id (index, c->start));
            radius = gw_pin_atlas_pin_radius (pin->priority) + 3.5;
          }
        else
          radius = gw_pin_atlas_cluster_radius (c->count);

        double d = hypot (c->x - px, c->y - py) * v.scale;
        /* Prefer the closest item relative to its size (late ones are on top). */
        double score = d / (radius + HIT_SLACK_PX) - (c->counts[GW_PIN_STATUS_LATE] > 0 ? 0.05 : 0);
        if (d <= radius + HIT_SLACK_PX && score < best)
          {
            best = score;
            best_index = k;
          }
      }

  if (best_index < 0)
    return FALSE;

  if (pick != NULL)
    {
      const GwCluster *c = &g_array_index (self->clusters, GwCluster, best_index);

      memset (pick, 0, sizeof *pick);
      pick->count = c->count;
      for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
        pick->counts[s] = c->counts[s];
      if (c->count == 1)
        pick->incident = gw_pin_set_pin (self->set, gw_point_index_get_id (index, c->start))->incident;
      gw_geo_unproject (c->x, c->y, &pick->longitude, &pick->latitude);
      view_to_widget (&v, c->x, c->y, &pick->x, &pick->y);
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
  g_clear_pointer (&self->set, gw_pin_set_free);
  g_clear_object (&self->atlas);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (gw_incident_layer_parent_class)->dispose (object);
}

static void
gw_incident_layer_finalize (GObject *object)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->runs, g_array_unref);
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
  /* The atlas starts drawing the looks ahead on a worker thread right away. */
  self->atlas = gw_pin_atlas_new ();
  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
  self->runs = g_array_new (FALSE, FALSE, sizeof (guint));
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
