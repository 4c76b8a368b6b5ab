/* gw-pin-atlas.c — the pre-drawn images of pins, clusters and their count labels
 *
 * Looks are keyed by a 32-bit number: pins by status × priority × glyph × ring step,
 * clusters by size class × their status mix in CLUSTER_QUANTA steps. A worker thread
 * draws every look ahead into cairo image surfaces; its results wait as plain pixels
 * and become GdkTextures on the main thread the first time they are used. A look asked
 * for before the worker has got to it is drawn on the spot, the way it always was.
 * The worker starts a moment after the last change of scale or glyphs, so that start-up
 * (which sets both) runs it once, after the first frames, instead of competing with them.
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "gw-pin-atlas.h"

#define CLUSTER_QUANTA 8
#define MAX_LABELS     4096
#define DRAW_AHEAD_DELAY_MS 1000

typedef struct {
  GBytes *bytes;
  int     width, height, stride;
} Image;

struct _GwPinAtlas {
  GObject       parent_instance;

  GHashTable   *textures;   /* key → GdkTexture */
  GHashTable   *ready;      /* key → Image, drawn ahead, not yet used */
  GHashTable   *labels;     /* label key → GwPinLabel */
  int           scale;      /* device pixels per logical pixel */
  guint         size;       /* how many times the base size pins are drawn */
  GStrv         glyphs;
  GCancellable *cancellable;  /* of the worker drawing ahead, while it runs */
  guint         draw_ahead_id;  /* the worker's delayed start */
};

G_DEFINE_FINAL_TYPE (GwPinAtlas, gw_pin_atlas, G_TYPE_OBJECT)

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

guint
gw_pin_ring_step (const GwIncident *incident, GwPinStatus status, GwTime now)
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

double
gw_pin_atlas_pin_radius (guint priority)
{
  return pin_radius[MIN (priority, GW_N_PRIORITIES - 1)];
}

double
gw_pin_atlas_cluster_radius (guint count)
{
  return count < 10 ? 17.0 : count < 100 ? 21.0 : count < 1000 ? 26.0 : 31.0;
}

static guint
cluster_size_class (guint count)
{
  return count < 10 ? 0 : count < 100 ? 1 : count < 1000 ? 2 : 3;
}

static const double size_class_count[4] = { 2, 10, 100, 1000 };

/* Keys */

static guint
pin_key (GwPinStatus status, guint priority, guint glyph, guint ring)
{
  return 1u << 30 | status << 24 | priority << 20 | glyph << 8 | ring;
}

static guint
cluster_key (guint size_class, const guint *quanta)
{
  guint key = 2u << 30 | size_class << 24;

  for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
    key |= quanta[s] << (5 * s);
  return key;
}

/* Drawing: plain cairo, safe on any thread. */

static void
image_free (gpointer data)
{
  Image *image = data;

  g_bytes_unref (image->bytes);
  g_free (image);
}

static Image *
image_from_surface (cairo_surface_t *surface)
{
  Image *image = g_new0 (Image, 1);

  cairo_surface_flush (surface);
  image->width = cairo_image_surface_get_width (surface);
  image->height = cairo_image_surface_get_height (surface);
  image->stride = cairo_image_surface_get_stride (surface);
  /* The pixels stay in the surface; the bytes keep it alive. */
  image->bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                             (gsize) image->stride * image->height,
                                             (GDestroyNotify) cairo_surface_destroy, surface);
  return image;
}

static GdkTexture *
texture_from_image (const Image *image)
{
  return gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_DEFAULT,
                                 image->bytes, image->stride);
}

static cairo_t *
begin_image (int scale, double half)
{
  int size = (int) ceil (2 * half * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, half, half);
  return cr;
}

static Image *
end_image (cairo_t *cr)
{
  cairo_surface_t *surface = cairo_surface_reference (cairo_get_target (cr));

  cairo_destroy (cr);
  return image_from_surface (surface);
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

/* @glyph_text: the category character, or NULL. */
static Image *
draw_pin (int scale, GwPinStatus status, guint priority, const char *glyph_text, guint ring)
{
  double r = pin_radius[priority];
  cairo_t *cr = begin_image (scale, r + 6.0);

  /* Countdown ring: the time left to the deadline, clockwise from the top. */
  if (ring != GW_PIN_RING_NONE)
    {
      cairo_set_line_width (cr, 3.5);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
      cairo_arc (cr, 0, 0, r + 3.5, 0, 2 * G_PI);
      cairo_stroke (cr);
      if (ring == GW_PIN_RING_LATE)
        set_source_status (cr, GW_PIN_STATUS_LATE, 1.0);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      if (ring == GW_PIN_RING_LATE || ring > 0)
        {
          double frac = ring == GW_PIN_RING_LATE ? 1.0 : (double) ring / GW_PIN_RING_STEPS;
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
  if (glyph_text != NULL)
    {
      g_autofree char *font = g_strdup_printf ("Noto Sans CJK SC Bold %.1fpx", r * 1.05);
      cairo_set_source_rgba (cr, 1, 1, 1, 1);
      draw_centered_text (cr, glyph_text, font, 0, 0);
    }

  return end_image (cr);
}

static Image *
draw_cluster (int scale, double radius, const guint *quanta)
{
  cairo_t *cr = begin_image (scale, radius + 2);
  double angle = -G_PI / 2;

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

  return end_image (cr);
}

static Image *
draw_disc (int scale, double radius, const GdkRGBA *fill, double line, const GdkRGBA *line_color)
{
  cairo_t *cr = begin_image (scale, radius + line + 1);

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
  return end_image (cr);
}

static Image *
draw_special (int scale, GwPinSpecial which)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA red;

  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  switch (which)
    {
    case GW_PIN_SPECIAL_BADGE:
      return draw_disc (scale, 9.0, &red, 1.5, &white);
    case GW_PIN_SPECIAL_HALO:
      return draw_disc (scale, 20.0, NULL, 4.0, &red);
    case GW_PIN_SPECIAL_SELECTION:
    default:
      return draw_disc (scale, 24.0, NULL, 3.0, &white);
    }
}

/* Any look from its key alone. */
static Image *
draw_key (int scale, const GStrv glyphs, guint key)
{
  switch (key >> 30)
    {
    case 1:
      {
        guint status = (key >> 24) & 0x3f, priority = (key >> 20) & 0xf;
        guint glyph = (key >> 8) & 0xfff, ring = key & 0xff;
        const char *text = glyph > 0 && glyphs != NULL && glyph <= g_strv_length (glyphs)
                           ? glyphs[glyph - 1] : NULL;
        return draw_pin (scale, status, priority, text, ring);
      }
    case 2:
      {
        guint quanta[GW_N_PIN_STATUSES];
        for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
          quanta[s] = (key >> (5 * s)) & 0x1f;
        return draw_cluster (scale, gw_pin_atlas_cluster_radius (size_class_count[(key >> 24) & 3]),
                             quanta);
      }
    default:
      return draw_special (scale, key);
    }
}

/* Drawing ahead */

typedef struct {
  int    scale;
  GStrv  glyphs;
} Job;

static void
job_free (Job *job)
{
  g_strfreev (job->glyphs);
  g_free (job);
}

/* Every key a look can have, the likely ones first. */
static GArray *
all_keys (guint n_glyphs)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (guint));
  guint k;

  for (k = GW_PIN_SPECIAL_BADGE; k <= GW_PIN_SPECIAL_SELECTION; k++)
    g_array_append_val (keys, k);

  for (guint size_class = 0; size_class < 4; size_class++)
    for (guint q0 = 0; q0 <= CLUSTER_QUANTA; q0++)
      for (guint q1 = 0; q0 + q1 <= CLUSTER_QUANTA; q1++)
        for (guint q2 = 0; q0 + q1 + q2 <= CLUSTER_QUANTA; q2++)
          {
            guint quanta[GW_N_PIN_STATUSES] = { q0, q1, q2, CLUSTER_QUANTA - q0 - q1 - q2 };
            k = cluster_key (size_class, quanta);
            g_array_append_val (keys, k);
          }

  for (guint glyph = 0; glyph <= n_glyphs; glyph++)
    for (guint priority = 0; priority < GW_N_PRIORITIES; priority++)
      {
        k = pin_key (GW_PIN_STATUS_CLOSED, priority, glyph, GW_PIN_RING_NONE);
        g_array_append_val (keys, k);
        k = pin_key (GW_PIN_STATUS_LATE, priority, glyph, GW_PIN_RING_LATE);
        g_array_append_val (keys, k);
        for (guint ring = 0; ring <= GW_PIN_RING_NONE; ring++)
          for (guint status = GW_PIN_STATUS_WAITING; status <= GW_PIN_STATUS_ACTIVE; status++)
            {
              k = pin_key (status, priority, glyph, ring);
              g_array_append_val (keys, k);
            }
      }
  return keys;
}

static void
draw_ahead_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GArray) keys = all_keys (job->glyphs ? g_strv_length (job->glyphs) : 0);
  GHashTable *images = g_hash_table_new_full (NULL, NULL, NULL, image_free);

  for (guint i = 0; i < keys->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      guint key = g_array_index (keys, guint, i);
      g_hash_table_insert (images, GUINT_TO_POINTER (key), draw_key (job->scale, job->glyphs, key));
    }
  g_task_return_pointer (task, images, (GDestroyNotify) g_hash_table_unref);
}

static void
draw_ahead_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GHashTable) images = g_task_propagate_pointer (G_TASK (result), NULL);
  GwPinAtlas *self;
  GHashTableIter iter;
  gpointer key, value;

  /* NULL when cancelled: the atlas changed or went away meanwhile. */
  if (images == NULL || g_task_had_error (G_TASK (result)))
    return;

  self = GW_PIN_ATLAS (object);
  g_clear_object (&self->cancellable);
  g_hash_table_iter_init (&iter, images);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (self->textures, key))
      {
        g_hash_table_iter_steal (&iter);
        g_hash_table_insert (self->ready, key, value);
      }
}

static gboolean
draw_ahead_start_cb (gpointer user_data)
{
  GwPinAtlas *self = user_data;
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  self->draw_ahead_id = 0;
  job->scale = self->scale * self->size;
  job->glyphs = g_strdupv (self->glyphs);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, draw_ahead_done_cb, NULL);
  g_task_set_source_tag (task, draw_ahead_start_cb);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, draw_ahead_thread);
  return G_SOURCE_REMOVE;
}

static void
draw_ahead (GwPinAtlas *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->textures);
  g_hash_table_remove_all (self->ready);

  g_clear_handle_id (&self->draw_ahead_id, g_source_remove);
  self->draw_ahead_id = g_timeout_add (DRAW_AHEAD_DELAY_MS, draw_ahead_start_cb, self);
}

/* Looks */

static GdkTexture *
lookup (GwPinAtlas *self, guint key)
{
  GdkTexture *texture = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (key));
  Image *image;

  if (G_LIKELY (texture != NULL))
    return texture;

  image = g_hash_table_lookup (self->ready, GUINT_TO_POINTER (key));
  if (image != NULL)
    {
      texture = texture_from_image (image);
      g_hash_table_remove (self->ready, GUINT_TO_POINTER (key));
    }
  else
    {
      /* Not drawn ahead (yet): draw it now. */
      Image *now = draw_key (self->scale * self->size, self->glyphs, key);
      texture = texture_from_image (now);
      image_free (now);
    }
  g_hash_table_insert (self->textures, GUINT_TO_POINTER (key), texture);
  return texture;
}

GdkTexture *
gw_pin_atlas_get_pin (GwPinAtlas  *self,
                      GwPinStatus  status,
                      guint        priority,
                      guint        glyph,
                      guint        ring)
{
  return lookup (self, pin_key (status, MIN (priority, GW_N_PRIORITIES - 1), glyph, ring));
}

GdkTexture *
gw_pin_atlas_get_cluster (GwPinAtlas *self, const guint *counts, guint count)
{
  guint quanta[GW_N_PIN_STATUSES] = { 0 };
  guint used = 0;

  /* Quantize the status mix to CLUSTER_QUANTA steps (largest remainder), keeping any
   * non-zero late share visible. */
  for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
    {
      quanta[s] = counts[s] * CLUSTER_QUANTA / count;
      if (quanta[s] == 0 && counts[s] > 0 && s == GW_PIN_STATUS_LATE)
        quanta[s] = 1;
      used += quanta[s];
    }
  while (used < CLUSTER_QUANTA)
    {
      guint best = 0;
      double best_rem = -1;
      for (guint s = 0; s < GW_N_PIN_STATUSES; s++)
        {
          double rem = (double) counts[s] * CLUSTER_QUANTA / count - quanta[s];
          if (counts[s] > 0 && rem > best_rem)
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

  return lookup (self, cluster_key (cluster_size_class (count), quanta));
}

GdkTexture *
gw_pin_atlas_get_special (GwPinAtlas *self, GwPinSpecial which)
{
  return lookup (self, which);
}

static void
label_free (gpointer data)
{
  GwPinLabel *label = data;

  g_clear_pointer (&label->node, gsk_render_node_unref);
  g_free (label);
}

const GwPinLabel *
gw_pin_atlas_get_label (GwPinAtlas *self, GtkWidget *widget, guint value, gboolean small)
{
  guint key = value << 1 | (small ? 1 : 0);
  GwPinLabel *label = g_hash_table_lookup (self->labels, GUINT_TO_POINTER (key));

  if (label == NULL)
    {
      g_autofree char *text = value >= 10000 ? g_strdup_printf ("%uk", value / 1000)
                                             : g_strdup_printf ("%u", value);
      static const GdkRGBA white = { 1, 1, 1, 1 };
      PangoFontDescription *desc =
        pango_font_description_from_string (small ? "Sans Bold 8.5" : "Sans Bold 10.5");
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      PangoRectangle ink;

      /* Laid out and turned into a text node once; frames only reference it. */
      pango_layout_set_font_description (layout, desc);
      pango_layout_get_pixel_extents (layout, NULL, &ink);
      gtk_snapshot_append_layout (snapshot, layout, &white);
      label = g_new0 (GwPinLabel, 1);
      label->node = gtk_snapshot_free_to_node (snapshot);
      label->width = ink.width;
      label->height = ink.height;
      pango_font_description_free (desc);
      if (g_hash_table_size (self->labels) > MAX_LABELS)
        g_hash_table_remove_all (self->labels);
      g_hash_table_insert (self->labels, GUINT_TO_POINTER (key), label);
    }
  return label;
}

void
gw_pin_atlas_append (GtkSnapshot *snapshot, GdkTexture *texture, int scale, double sx, double sy)
{
  double w = (double) gdk_texture_get_width (texture) / scale;
  double h = (double) gdk_texture_get_height (texture) / scale;

  gtk_snapshot_append_texture (snapshot, texture,
                               &GRAPHENE_RECT_INIT (floor (sx - w / 2 + 0.5),
                                                    floor (sy - h / 2 + 0.5), w, h));
}

static void
append_label (GtkSnapshot *snapshot, const GwPinLabel *label, guint size, double cx, double cy)
{
  if (label->node == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (floor (cx - size * label->width / 2.0 + 0.5),
                                                floor (cy - size * label->height / 2.0 + 0.5)));
  if (size != 1)
    gtk_snapshot_scale (snapshot, size, size);
  gtk_snapshot_append_node (snapshot, label->node);
  gtk_snapshot_restore (snapshot);
}

void
gw_pin_atlas_append_cluster (GwPinAtlas  *self,
                             GtkSnapshot *snapshot,
                             GtkWidget   *widget,
                             const guint *counts,
                             guint        count,
                             int          scale,
                             double       sx,
                             double       sy)
{
  double radius = gw_pin_atlas_cluster_radius (count) * self->size;

  gw_pin_atlas_append (snapshot, gw_pin_atlas_get_cluster (self, counts, count), scale, sx, sy);
  append_label (snapshot, gw_pin_atlas_get_label (self, widget, count, FALSE), self->size, sx, sy);

  if (counts[GW_PIN_STATUS_LATE] > 0)
    {
      double bx = sx + radius * 0.72, by = sy - radius * 0.72;
      gw_pin_atlas_append (snapshot, gw_pin_atlas_get_special (self, GW_PIN_SPECIAL_BADGE),
                           scale, bx, by);
      append_label (snapshot, gw_pin_atlas_get_label (self, widget, counts[GW_PIN_STATUS_LATE], TRUE),
                    self->size, bx, by);
    }
}

void
gw_pin_atlas_set_scale (GwPinAtlas *self, int scale, guint size)
{
  g_return_if_fail (GW_IS_PIN_ATLAS (self));

  scale = MAX (scale, 1);
  size = MAX (size, 1);
  if (self->scale == scale && self->size == size)
    return;
  self->scale = scale;
  self->size = size;
  draw_ahead (self);
}

void
gw_pin_atlas_set_glyphs (GwPinAtlas *self, GPtrArray *glyphs)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (GW_IS_PIN_ATLAS (self));

  for (guint i = 0; glyphs != NULL && i < MIN (glyphs->len, GW_PIN_ATLAS_MAX_GLYPHS); i++)
    g_strv_builder_add (builder, g_ptr_array_index (glyphs, i));
  g_strfreev (self->glyphs);
  self->glyphs = g_strv_builder_end (builder);
  draw_ahead (self);
}

gboolean
gw_pin_atlas_get_busy (GwPinAtlas *self)
{
  g_return_val_if_fail (GW_IS_PIN_ATLAS (self), FALSE);

  return self->cancellable != NULL || self->draw_ahead_id != 0;
}

static void
gw_pin_atlas_dispose (GObject *object)
{
  GwPinAtlas *self = GW_PIN_ATLAS (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->draw_ahead_id, g_source_remove);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->ready, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->glyphs, g_strfreev);

  G_OBJECT_CLASS (gw_pin_atlas_parent_class)->dispose (object);
}

static void
gw_pin_atlas_class_init (GwPinAtlasClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gw_pin_atlas_dispose;
}

static void
gw_pin_atlas_init (GwPinAtlas *self)
{
  self->textures = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->ready = g_hash_table_new_full (NULL, NULL, NULL, image_free);
  self->labels = g_hash_table_new_full (NULL, NULL, NULL, label_free);
  self->scale = 1;
  self->size = 1;
}

GwPinAtlas *
gw_pin_atlas_new (void)
{
  GwPinAtlas *self = g_object_new (GW_TYPE_PIN_ATLAS, NULL);

  /* Clusters need no glyphs: draw them ahead even if no classes ever come. */
  draw_ahead (self);
  return self;
}
