/* gw-incident-layer.c — every incident pin in one ShumateLayer
 *
 * The data side is a slot array (one Pin per incident, reused through a free list), a
 * per-slot status byte and a Morton-ordered GwPointIndex. Clusters for the current grid
 * level are computed from the index in one linear scan and cached until the pins, their
 * statuses or the level change; panning and zooming within a level reuses them.
 *
 * The drawing side is one texture node per visible item. Pin and cluster sprites are
 * rendered with cairo once per look (status × priority × category glyph × countdown
 * step, or cluster size × status mix) and kept as GdkTextures, so the GL renderer
 * uploads each look once; counts are cached PangoLayouts appended as text nodes.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "gw-cluster.h"
#include "gw-geo.h"
#include "gw-incident-layer.h"

#define RING_STEPS        24
#define RING_NONE         (RING_STEPS + 1)
#define RING_LATE         (RING_STEPS + 2)
#define CLUSTER_QUANTA    8
#define NEW_PIN_USEC      (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC / 1000)
#define TURNED_LATE_USEC  (G_GINT64_CONSTANT (2400) * G_USEC_PER_SEC / 1000)
#define REDRAW_RING_USEC  (G_GINT64_CONSTANT (10) * G_USEC_PER_SEC)
#define HIT_SLACK_PX      3.0
#define MAX_GLYPHS        31

typedef enum {
  ANIM_NEW,
  ANIM_TURNED_LATE,
} AnimKind;

typedef struct {
  GwIncident *incident;    /* NULL for a free slot */
  double      x, y;        /* normalized Mercator */
  guint8      priority;
  guint8      glyph;
  guint8      animating;   /* an ANIM_NEW is running: drawn by the animation pass */
} Pin;

typedef struct {
  guint    slot;
  AnimKind kind;
  gint64   start_us;
} Anim;

typedef struct {
  GskRenderNode *node;   /* the text, drawn once, at its top left */
  int            width, height;
} Label;

/* One drawn item, collected per frame so late items can be drawn last. */
typedef struct {
  float sx, sy;
  guint cluster;
} Item;

struct _GwIncidentLayer {
  ShumateLayer      parent_instance;

  ShumateViewport  *viewport;

  GArray           *pins;        /* Pin, by slot */
  GByteArray       *status;      /* GwPinStatus, by slot */
  GArray           *free_slots;  /* guint */
  GHashTable       *by_id;       /* incident id (owned by the pin's incident) → slot + 1 */
  GwPointIndex     *index;
  guint             status_serial;

  /* Clusters of the last level drawn. */
  GArray           *clusters;
  guint             clusters_level;
  guint             clusters_serial;
  guint             clusters_status_serial;

  GHashTable       *glyph_by_class;  /* class code → glyph index (1-based) */
  GPtrArray        *glyphs;          /* char*, glyph index - 1 → first character */

  GHashTable       *sprites;         /* sprite key → GdkTexture */
  int               sprite_scale;
  GHashTable       *labels;          /* label key → Label */
  GArray           *items;           /* Item, scratch */

  GArray           *anims;           /* Anim */
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

static const double pin_radius[GW_N_PRIORITIES] = { 11.0, 14.0, 17.0 };

/* Pins and clusters: status colours that read on the dark neutral map. */
void
gw_pin_status_get_color (GwPinStatus status, GdkRGBA *color)
{
  static const GdkRGBA colors[GW_N_PIN_STATUSES] = {
    [GW_PIN_STATUS_LATE]    = { 0.878, 0.106, 0.141, 1.0 },  /* #e01b24 */
    [GW_PIN_STATUS_WAITING] = { 0.208, 0.518, 0.894, 1.0 },  /* #3584e4 */
    [GW_PIN_STATUS_ACTIVE]  = { 0.898, 0.647, 0.039, 1.0 },  /* #e5a50a */
    [GW_PIN_STATUS_CLOSED]  = { 0.467, 0.463, 0.482, 1.0 },  /* #77767b */
  };

  *color = colors[MIN (status, GW_N_PIN_STATUSES - 1)];
}

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

static void
ensure_clusters (GwIncidentLayer *self, guint level)
{
  guint serial = gw_point_index_get_serial (self->index);

  if (self->clusters != NULL &&
      self->clusters_level == level &&
      self->clusters_serial == serial &&
      self->clusters_status_serial == self->status_serial)
    return;

  g_clear_pointer (&self->clusters, g_array_unref);
  self->clusters = gw_point_index_cluster (self->index, level,
                                           self->status->data, GW_N_PIN_STATUSES);
  self->clusters_level = level;
  self->clusters_serial = serial;
  self->clusters_status_serial = self->status_serial;
}

/* Sprites */

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
set_source_status (cairo_t *cr, GwPinStatus status, double alpha)
{
  GdkRGBA c;

  gw_pin_status_get_color (status, &c);
  cairo_set_source_rgba (cr, c.red, c.green, c.blue, alpha);
}

static void
draw_centered_text (cairo_t *cr, const char *text, const char *font, double cx, double cy)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  PangoRectangle ink;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  cairo_move_to (cr, cx - ink.x - ink.width / 2.0, cy - ink.y - ink.height / 2.0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
}

/* The half-size in logical pixels of a pin sprite of @priority. */
static double
pin_sprite_half (guint priority)
{
  return pin_radius[MIN (priority, GW_N_PRIORITIES - 1)] + 6.0;
}

static guint
pin_key (GwPinStatus status, guint priority, guint glyph, guint ring)
{
  return 1u << 30 | status << 24 | priority << 20 | glyph << 8 | ring;
}

static GdkTexture *
render_pin (GwIncidentLayer *self, GwPinStatus status, guint priority, guint glyph, guint ring)
{
  double half = pin_sprite_half (priority);
  double r = pin_radius[priority];
  int scale = self->sprite_scale;
  int size = (int) ceil (2 * half * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  GdkTexture *texture;

  cairo_scale (cr, scale, scale);
  cairo_translate (cr, half, half);

  /* Countdown ring: the time left to the deadline, clockwise from the top. */
  if (ring != RING_NONE)
    {
      cairo_set_line_width (cr, 3.5);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
      cairo_arc (cr, 0, 0, r + 3.5, 0, 2 * G_PI);
      cairo_stroke (cr);
      if (ring == RING_LATE)
        set_source_status (cr, GW_PIN_STATUS_LATE, 1.0);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      if (ring == RING_LATE || ring > 0)
        {
          double frac = ring == RING_LATE ? 1.0 : (double) ring / RING_STEPS;
          cairo_arc (cr, 0, 0, r + 3.5, -G_PI / 2, -G_PI / 2 + 2 * G_PI * frac);
          cairo_stroke (cr);
        }
    }

  /* Body */
  cairo_arc (cr, 0, 0, r, 0, 2 * G_PI);
  set_source_status (cr, status, status == GW_PIN_STATUS_CLOSED ? 0.85 : 1.0);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, priority == GW_PRIORITY_CRITICAL ? 2.5 : 1.5);
  cairo_set_source_rgba (cr, 1, 1, 1, priority == GW_PRIORITY_NORMAL ? 0.8 : 1.0);
  cairo_stroke (cr);

  /* Category glyph (the first character of the class's 大类) */
  if (glyph > 0 && glyph <= self->glyphs->len)
    {
      g_autofree char *font = g_strdup_printf ("Noto Sans CJK SC Bold %.1fpx", r * 1.05);
      cairo_set_source_rgba (cr, 1, 1, 1, 1);
      draw_centered_text (cr, g_ptr_array_index (self->glyphs, glyph - 1), font, 0, 0);
    }

  cairo_destroy (cr);
  texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  return texture;
}

static double
cluster_radius (guint count)
{
  return count < 10 ? 17.0 : count < 100 ? 21.0 : count < 1000 ? 26.0 : 31.0;
}

static GdkTexture *
render_cluster (GwIncidentLayer *self, double radius, const guint *quanta)
{
  int scale = self->sprite_scale;
  double half = radius + 2;
  int size = (int) ceil (2 * half * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  GdkTexture *texture;
  double angle = -G_PI / 2;

  cairo_scale (cr, scale, scale);
  cairo_translate (cr, half, half);

  cairo_arc (cr, 0, 0, radius, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0.09, 0.10, 0.12, 0.92);
  cairo_fill (cr);

  /* A donut split by status: late, waiting, active, closed, clockwise from the top. */
  cairo_set_line_width (cr, 5.0);
  for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
    {
      double sweep = 2 * G_PI * quanta[s] / CLUSTER_QUANTA;
      if (quanta[s] == 0)
        continue;
      set_source_status (cr, s, 1.0);
      cairo_arc (cr, 0, 0, radius - 2.5, angle, angle + sweep);
      cairo_stroke (cr);
      angle += sweep;
    }

  cairo_destroy (cr);
  texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  return texture;
}

static GdkTexture *
render_disc (GwIncidentLayer *self, double radius, const GdkRGBA *fill, double line,
             const GdkRGBA *line_color)
{
  int scale = self->sprite_scale;
  double half = radius + line + 1;
  int size = (int) ceil (2 * half * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  GdkTexture *texture;

  cairo_scale (cr, scale, scale);
  cairo_translate (cr, half, half);
  cairo_arc (cr, 0, 0, radius, 0, 2 * G_PI);
  if (fill)
    {
      gdk_cairo_set_source_rgba (cr, fill);
      cairo_fill_preserve (cr);
    }
  if (line > 0)
    {
      cairo_set_line_width (cr, line);
      gdk_cairo_set_source_rgba (cr, line_color);
      cairo_stroke (cr);
    }
  cairo_new_path (cr);

  cairo_destroy (cr);
  texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  return texture;
}

enum {
  SPRITE_BADGE = 1,
  SPRITE_HALO,
  SPRITE_SELECTION,
};

static GdkTexture *
get_special_sprite (GwIncidentLayer *self, guint which)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  GdkTexture *texture = g_hash_table_lookup (self->sprites, GUINT_TO_POINTER (which));
  GdkRGBA red;

  if (texture != NULL)
    return texture;

  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  switch (which)
    {
    case SPRITE_BADGE:
      texture = render_disc (self, 9.0, &red, 1.5, &white);
      break;
    case SPRITE_HALO:
      texture = render_disc (self, 20.0, NULL, 4.0, &red);
      break;
    case SPRITE_SELECTION:
    default:
      texture = render_disc (self, 24.0, NULL, 3.0, &white);
      break;
    }
  g_hash_table_insert (self->sprites, GUINT_TO_POINTER (which), texture);
  return texture;
}

static guint
ring_step (const GwIncident *incident, GwPinStatus status, GwTime now)
{
  if (status == GW_PIN_STATUS_CLOSED || incident->deadline == GW_TIME_NONE)
    return RING_NONE;
  if (status == GW_PIN_STATUS_LATE)
    return RING_LATE;

  GwTime start = incident->received_at;
  GwTime span = incident->deadline - start;
  if (start == GW_TIME_NONE || span <= 0)
    return RING_STEPS;
  double left = (double) (incident->deadline - now) / span;
  return (guint) CLAMP (ceil (left * RING_STEPS), 0, RING_STEPS);
}

static GdkTexture *
get_pin_sprite (GwIncidentLayer *self, guint slot, GwTime now)
{
  const Pin *pin = &g_array_index (self->pins, Pin, slot);
  GwPinStatus status = self->status->data[slot];
  guint ring = ring_step (pin->incident, status, now);
  guint key = pin_key (status, pin->priority, pin->glyph, ring);
  GdkTexture *texture = g_hash_table_lookup (self->sprites, GUINT_TO_POINTER (key));

  if (texture == NULL)
    {
      texture = render_pin (self, status, pin->priority, pin->glyph, ring);
      g_hash_table_insert (self->sprites, GUINT_TO_POINTER (key), texture);
    }
  return texture;
}

static GdkTexture *
get_cluster_sprite (GwIncidentLayer *self, const GwCluster *c, double *radius)
{
  guint quanta[GW_N_PIN_STATUSES] = { 0 };
  guint used = 0, size_class, key;
  GdkTexture *texture;

  /* Quantize the status mix to CLUSTER_QUANTA steps (largest remainder), keeping any
   * non-zero late share visible. */
  for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
    {
      quanta[s] = c->counts[s] * CLUSTER_QUANTA / c->count;
      if (quanta[s] == 0 && c->counts[s] > 0 && s == GW_PIN_STATUS_LATE)
        quanta[s] = 1;
      used += quanta[s];
    }
  while (used < CLUSTER_QUANTA)
    {
      guint best = 0;
      double best_rem = -1;
      for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
        {
          double rem = (double) c->counts[s] * CLUSTER_QUANTA / c->count - quanta[s];
          if (c->counts[s] > 0 && rem > best_rem)
            {
              best_rem = rem;
              best = s;
            }
        }
      quanta[best]++;
      used++;
    }
  while (used > CLUSTER_QUANTA)
    {
      guint s = GW_N_PIN_STATUSES - 1;
      while (quanta[s] == 0 || (s == GW_PIN_STATUS_LATE && quanta[s] == 1))
        s--;
      quanta[s]--;
      used--;
    }

  *radius = cluster_radius (c->count);
  size_class = c->count < 10 ? 0 : c->count < 100 ? 1 : c->count < 1000 ? 2 : 3;
  key = 2u << 30 | size_class << 24;
  for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
    key |= quanta[s] << (5 * s);

  texture = g_hash_table_lookup (self->sprites, GUINT_TO_POINTER (key));
  if (texture == NULL)
    {
      texture = render_cluster (self, *radius, quanta);
      g_hash_table_insert (self->sprites, GUINT_TO_POINTER (key), texture);
    }
  return texture;
}

static void
label_free (gpointer data)
{
  Label *label = data;

  gsk_render_node_unref (label->node);
  g_free (label);
}

static const Label *
get_label (GwIncidentLayer *self, guint value, gboolean small)
{
  guint key = value << 1 | (small ? 1 : 0);
  Label *label = g_hash_table_lookup (self->labels, GUINT_TO_POINTER (key));

  if (label == NULL)
    {
      g_autofree char *text = value >= 10000 ? g_strdup_printf ("%uk", value / 1000)
                                             : g_strdup_printf ("%u", value);
      static const GdkRGBA white = { 1, 1, 1, 1 };
      PangoFontDescription *desc =
        pango_font_description_from_string (small ? "Sans Bold 8.5" : "Sans Bold 10.5");
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      PangoRectangle ink;

      /* Laid out and turned into a text node once; frames only reference it. */
      pango_layout_set_font_description (layout, desc);
      pango_layout_get_pixel_extents (layout, NULL, &ink);
      gtk_snapshot_append_layout (snapshot, layout, &white);
      label = g_new0 (Label, 1);
      label->node = gtk_snapshot_free_to_node (snapshot);
      label->width = ink.width;
      label->height = ink.height;
      pango_font_description_free (desc);
      if (g_hash_table_size (self->labels) > 4096)
        g_hash_table_remove_all (self->labels);
      g_hash_table_insert (self->labels, GUINT_TO_POINTER (key), label);
    }
  return label;
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
append_label (GtkSnapshot *snapshot, const Label *label, double cx, double cy)
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

/* Snapshot */

static void
draw_item (GwIncidentLayer *self, GtkSnapshot *snapshot, const Item *item, GwTime now)
{
  const GwCluster *c = &g_array_index (self->clusters, GwCluster, item->cluster);
  int scale = self->sprite_scale;

  if (c->count == 1)
    {
      guint slot = gw_point_index_get_id (self->index, c->start);
      if (g_array_index (self->pins, Pin, slot).animating)
        return;
      append_sprite (snapshot, get_pin_sprite (self, slot, now), scale, item->sx, item->sy);
      return;
    }

  double radius;
  GdkTexture *texture = get_cluster_sprite (self, c, &radius);
  append_sprite (snapshot, texture, scale, item->sx, item->sy);
  append_label (snapshot, get_label (self, c->count, FALSE), item->sx, item->sy);

  if (c->counts[GW_PIN_STATUS_LATE] > 0)
    {
      double bx = item->sx + radius * 0.72, by = item->sy - radius * 0.72;
      append_sprite (snapshot, get_special_sprite (self, SPRITE_BADGE), scale, bx, by);
      append_label (snapshot, get_label (self, c->counts[GW_PIN_STATUS_LATE], TRUE), bx, by);
    }
}

static gboolean
item_is_late (GwIncidentLayer *self, const Item *item)
{
  return g_array_index (self->clusters, GwCluster, item->cluster).counts[GW_PIN_STATUS_LATE] > 0;
}

static void
draw_animations (GwIncidentLayer *self, GtkSnapshot *snapshot, const View *v,
                 gint64 frame_us, GwTime now)
{
  int scale = self->sprite_scale;

  for (guint i = 0; i < self->anims->len; i++)
    {
      const Anim *a = &g_array_index (self->anims, Anim, i);
      const Pin *pin = &g_array_index (self->pins, Pin, a->slot);
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
          append_sprite (snapshot, get_special_sprite (self, SPRITE_HALO), scale, 0, 0);
          gtk_snapshot_restore (snapshot);
          gtk_snapshot_pop (snapshot);
        }
    }
}

static void
gw_incident_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (widget);
  GwTime now = layer_now (self);
  gint64 frame_us;
  GdkFrameClock *clock;
  View v;

  if (!get_view (self, &v) || gw_point_index_get_size (self->index) == 0)
    return;

  if (self->sprite_scale != gtk_widget_get_scale_factor (widget))
    {
      self->sprite_scale = gtk_widget_get_scale_factor (widget);
      g_hash_table_remove_all (self->sprites);
    }

  ensure_clusters (self, cluster_level (v.zoom));

  /* What is visible, with a margin for the largest item, in normalized units. */
  double reach = (v.rotation != 0 ? hypot (v.width, v.height) : MAX (v.width, v.height)) / 2 + 40;
  GwBBox box = {
    v.cx - (v.rotation != 0 ? reach : v.width / 2 + 40) / v.scale,
    v.cy - (v.rotation != 0 ? reach : v.height / 2 + 40) / v.scale,
    v.cx + (v.rotation != 0 ? reach : v.width / 2 + 40) / v.scale,
    v.cy + (v.rotation != 0 ? reach : v.height / 2 + 40) / v.scale,
  };

  g_array_set_size (self->items, 0);
  {
    const GwCluster *c = (const GwCluster *) (gconstpointer) self->clusters->data;
    guint n = self->clusters->len;
    for (guint i = 0; i < n; i++)
      {
        if (c[i].x < box.x0 || c[i].x > box.x1 || c[i].y < box.y0 || c[i].y > box.y1)
          continue;
        Item item = {
          .sx = (float) ((c[i].x - v.cx) * v.scale + v.width / 2),
          .sy = (float) ((c[i].y - v.cy) * v.scale + v.height / 2),
          .cluster = i,
        };
        g_array_append_val (self->items, item);
      }
  }

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
          draw_item (self, snapshot, item, now);
      }

  clock = gtk_widget_get_frame_clock (widget);
  frame_us = clock ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
  if (self->anims->len > 0)
    draw_animations (self, snapshot, &v, frame_us, now);

  if (self->selected_id != NULL)
    {
      gpointer value = g_hash_table_lookup (self->by_id, self->selected_id);
      if (value != NULL)
        {
          const Pin *pin = &g_array_index (self->pins, Pin, GPOINTER_TO_UINT (value) - 1);
          double sx, sy;
          view_to_widget (&v, pin->x, pin->y, &sx, &sy);
          append_sprite (snapshot, get_special_sprite (self, SPRITE_SELECTION),
                         self->sprite_scale, sx, sy);
        }
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
          if (a->kind == ANIM_NEW && a->slot < self->pins->len)
            g_array_index (self->pins, Pin, a->slot).animating = FALSE;
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
      if (a->slot < self->pins->len)
        g_array_index (self->pins, Pin, a->slot).animating = FALSE;
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
    g_array_index (self->pins, Pin, slot).animating = TRUE;

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
  for (guint slot = 0; slot < self->pins->len; slot++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, slot);
      GwPinStatus status;

      if (pin->incident == NULL)
        continue;
      status = gw_pin_status_for_incident (pin->incident, now);
      if (status != self->status->data[slot])
        {
          if (pulse && status == GW_PIN_STATUS_LATE)
            start_animation (self, slot, ANIM_TURNED_LATE);
          self->status->data[slot] = status;
          changed = TRUE;
        }
      note_deadline (self, pin->incident, status);
    }

  if (changed)
    {
      self->status_serial++;
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

static guint
glyph_for_class (GwIncidentLayer *self, const char *class_code)
{
  if (class_code == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->glyph_by_class, class_code));
}

void
gw_incident_layer_set_classes (GwIncidentLayer *self, GPtrArray *classes)
{
  g_autoptr(GHashTable) by_category = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  g_hash_table_remove_all (self->glyph_by_class);
  g_ptr_array_set_size (self->glyphs, 0);

  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      const GwIncidentClass *klass = g_ptr_array_index (classes, i);
      const char *category = klass->category ? klass->category : klass->name;
      guint glyph;

      if (klass->code == NULL || category == NULL || *category == '\0' ||
          !g_utf8_validate (category, -1, NULL))
        continue;

      glyph = GPOINTER_TO_UINT (g_hash_table_lookup (by_category, category));
      if (glyph == 0 && self->glyphs->len < MAX_GLYPHS)
        {
          const char *next = g_utf8_next_char (category);
          g_ptr_array_add (self->glyphs, g_strndup (category, next - category));
          glyph = self->glyphs->len;
          g_hash_table_insert (by_category, (gpointer) category, GUINT_TO_POINTER (glyph));
        }
      if (glyph > 0)
        g_hash_table_insert (self->glyph_by_class, g_strdup (klass->code), GUINT_TO_POINTER (glyph));
    }

  for (guint slot = 0; slot < self->pins->len; slot++)
    {
      Pin *pin = &g_array_index (self->pins, Pin, slot);
      if (pin->incident != NULL)
        pin->glyph = glyph_for_class (self, pin->incident->class_code);
    }

  g_hash_table_remove_all (self->sprites);
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
      gpointer value = g_hash_table_lookup (self->by_id, incident->id);
      GwPinStatus status = gw_pin_status_for_incident (incident, now);
      double x, y;
      guint slot;
      Pin *pin;

      gw_geo_project (incident->lon, incident->lat, &x, &y);

      if (value != NULL)
        {
          slot = GPOINTER_TO_UINT (value) - 1;
          pin = &g_array_index (self->pins, Pin, slot);
          if (pin->x != x || pin->y != y)
            {
              gw_point_index_remove (self->index, slot);
              gw_point_index_insert (self->index, slot, x, y);
            }
          if (animate && status == GW_PIN_STATUS_LATE &&
              self->status->data[slot] != GW_PIN_STATUS_LATE)
            start_animation (self, slot, ANIM_TURNED_LATE);
          /* The key string belongs to the old version: replace key and value. */
          gw_incident_ref (incident);
          g_hash_table_replace (self->by_id, incident->id, GUINT_TO_POINTER (slot + 1));
          gw_incident_unref (pin->incident);
          pin->incident = incident;
        }
      else
        {
          if (self->free_slots->len > 0)
            {
              slot = g_array_index (self->free_slots, guint, self->free_slots->len - 1);
              g_array_set_size (self->free_slots, self->free_slots->len - 1);
            }
          else
            {
              slot = self->pins->len;
              g_array_set_size (self->pins, slot + 1);
              g_byte_array_set_size (self->status, slot + 1);
            }
          pin = &g_array_index (self->pins, Pin, slot);
          memset (pin, 0, sizeof *pin);
          pin->incident = gw_incident_ref (incident);
          g_hash_table_insert (self->by_id, incident->id, GUINT_TO_POINTER (slot + 1));
          gw_point_index_insert (self->index, slot, x, y);
          if (animate)
            start_animation (self, slot, ANIM_NEW);
        }

      pin->x = x;
      pin->y = y;
      pin->priority = MIN (incident->priority, GW_N_PRIORITIES - 1);
      pin->glyph = glyph_for_class (self, incident->class_code);
      self->status->data[slot] = status;
      note_deadline (self, incident, status);
    }

  self->status_serial++;
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
      const GwIncident *incident = g_ptr_array_index (incidents, i);
      gpointer value = g_hash_table_lookup (self->by_id, incident->id);
      guint slot;
      Pin *pin;

      if (value == NULL)
        continue;
      slot = GPOINTER_TO_UINT (value) - 1;
      pin = &g_array_index (self->pins, Pin, slot);
      g_hash_table_remove (self->by_id, incident->id);
      gw_point_index_remove (self->index, slot);
      g_clear_pointer (&pin->incident, gw_incident_unref);
      pin->animating = FALSE;
      self->status->data[slot] = GW_PIN_STATUS_CLOSED;
      g_array_append_val (self->free_slots, slot);

      for (guint k = self->anims->len; k > 0; k--)
        if (g_array_index (self->anims, Anim, k - 1).slot == slot)
          g_array_remove_index_fast (self->anims, k - 1);
    }

  self->status_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PINS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_incident_layer_clear (GwIncidentLayer *self)
{
  g_return_if_fail (GW_IS_INCIDENT_LAYER (self));

  stop_animations (self);
  g_hash_table_remove_all (self->by_id);
  for (guint slot = 0; slot < self->pins->len; slot++)
    g_clear_pointer (&g_array_index (self->pins, Pin, slot).incident, gw_incident_unref);
  g_array_set_size (self->pins, 0);
  g_byte_array_set_size (self->status, 0);
  g_array_set_size (self->free_slots, 0);
  gw_point_index_clear (self->index);
  g_clear_pointer (&self->clusters, g_array_unref);
  self->next_late_at = GW_TIME_NONE;
  self->status_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PINS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
gw_incident_layer_get_n_pins (GwIncidentLayer *self)
{
  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), 0);

  return g_hash_table_size (self->by_id);
}

GwIncident *
gw_incident_layer_lookup (GwIncidentLayer *self, const char *incident_id)
{
  gpointer value;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), NULL);

  if (incident_id == NULL)
    return NULL;
  value = g_hash_table_lookup (self->by_id, incident_id);
  return value ? g_array_index (self->pins, Pin, GPOINTER_TO_UINT (value) - 1).incident : NULL;
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
  gpointer value;
  View v;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  value = incident_id ? g_hash_table_lookup (self->by_id, incident_id) : NULL;
  if (value == NULL)
    return FALSE;

  const Pin *pin = &g_array_index (self->pins, Pin, GPOINTER_TO_UINT (value) - 1);
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
  double px, py, best = G_MAXDOUBLE;
  gint best_index = -1;
  guint level;
  View v;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (self), FALSE);

  if (!get_view (self, &v) || gw_point_index_get_size (self->index) == 0)
    return FALSE;

  widget_to_view (&v, x, y, &px, &py);
  level = cluster_level (v.zoom);
  ensure_clusters (self, level);

  /* An item is drawn at the mean of its cell's members, so its centre lies inside its
   * cell: only the cells within the largest item radius of the click can hold a hit. */
  double reach = (cluster_radius (G_MAXUINT) + HIT_SLACK_PX) / v.scale;
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
            const Pin *pin = &g_array_index (self->pins, Pin,
                                             gw_point_index_get_id (self->index, c->start));
            radius = pin_radius[pin->priority] + 3.5;
          }
        else
          radius = cluster_radius (c->count);

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
        pick->incident = g_array_index (self->pins, Pin,
                                        gw_point_index_get_id (self->index, c->start)).incident;
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
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);
  if (self->pins != NULL)
    for (guint slot = 0; slot < self->pins->len; slot++)
      g_clear_pointer (&g_array_index (self->pins, Pin, slot).incident, gw_incident_unref);
  g_clear_pointer (&self->sprites, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (gw_incident_layer_parent_class)->dispose (object);
}

static void
gw_incident_layer_finalize (GObject *object)
{
  GwIncidentLayer *self = GW_INCIDENT_LAYER (object);

  g_clear_pointer (&self->pins, g_array_unref);
  g_clear_pointer (&self->status, g_byte_array_unref);
  g_clear_pointer (&self->free_slots, g_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->index, gw_point_index_free);
  g_clear_pointer (&self->clusters, g_array_unref);
  g_clear_pointer (&self->glyph_by_class, g_hash_table_unref);
  g_clear_pointer (&self->glyphs, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_array_unref);
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
  self->pins = g_array_new (FALSE, TRUE, sizeof (Pin));
  self->status = g_byte_array_new ();
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint));
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->index = gw_point_index_new ();
  self->glyph_by_class = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->glyphs = g_ptr_array_new_with_free_func (g_free);
  self->sprites = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->sprite_scale = 1;
  self->labels = g_hash_table_new_full (NULL, NULL, NULL, label_free);
  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
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
