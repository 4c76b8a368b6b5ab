/* gw-heat-layer.c — case density over the map, as a heat map in one ShumateLayer
 *
 * Each frame that needs it, the weighted points (flat float arrays, projected once) are
 * splatted bilinearly into a grid of bins a few pixels wide, aligned to the world at the
 * current zoom and covering the view plus the kernel's reach; three box blurs per axis
 * make the Gaussian kernel (running sums, so the cost does not grow with its width); a
 * lookup table turns the levels into premultiplied colours of a small texture that the
 * renderer scales up smoothly. Levels are relative to the hottest bin of the grid but
 * never below FLOOR_LEVEL, so a lone case stays faint, and the ramp follows their square
 * root. While the map pans at one zoom the texture is reused, moved.
 *
 * The kernel is BANDWIDTH_M on the ground, kept between MIN_SIGMA_PX and MAX_SIGMA_PX on
 * screen so the street reads as areas at any zoom. About 1 ms a frame for 100k points
 * (tests/bench/gw-bench-heat.c), so it stays on the main thread.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "gw-basemap.h"
#include "gw-geo.h"
#include "gw-heat-layer.h"
#include "gw-layer-view.h"

#define BANDWIDTH_M     120.0
#define MIN_SIGMA_PX    12.0
#define MAX_SIGMA_PX    40.0
#define SIGMA_BINS      2.45    /* kernel width in bins: three box blurs of radius 2 */
#define MIN_BIN_PX      6.0
#define REACH_SIGMAS    3.0
#define PAN_MARGIN_PX   160.0
#define FLOOR_LEVEL     3.0     /* weighted cases at one spot that the top colour needs */
#define LEVEL_VISIBLE   0.03    /* below this fraction of the top, nothing is drawn */
#define REFRESH_S       60
#define EARTH_CIRCUMFERENCE_M 40075016.686

/* What the texture was made for. */
typedef struct {
  double zoom, width, height, rotation;
  guint  serial;
  double bin_px;
  int    i0, j0, nx, ny;   /* the grid, in bins of the world at this zoom */
} FieldKey;

struct _GwHeatLayer {
  ShumateLayer      parent_instance;

  ShumateViewport  *viewport;

  /* The points by slot, as separate float arrays the splat loop streams through:
   * normalized Mercator relative to an origin (the first point since the last clear),
   * which keeps floats well under a pixel at any zoom for a street or a city; weight 0
   * marks a free slot. */
  GArray           *xs, *ys, *ws;
  double            ox, oy;
  gboolean          has_origin;
  GwTileCoordinates coordinates;  /* the basemap's datum the points are projected for */
  GPtrArray        *incidents;   /* GwIncident* (owned) or NULL, by slot */
  GArray           *free_slots;  /* guint */
  GHashTable       *by_id;       /* id (owned by the slot's incident) → slot + 1 */
  guint             n_points;
  guint             serial;      /* bumped when the points or weights change */

  GwTime            fixed_now;
  guint             refresh_id;

  /* Scratch, kept between frames. */
  float            *bins, *tmp, *colsum;
  guint8           *pixels;
  gsize             n_alloc, cols_alloc;
  guint32           lut[256];

  GdkTexture       *texture;
  FieldKey          key;
};

G_DEFINE_FINAL_TYPE (GwHeatLayer, gw_heat_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_N_POINTS,
  PROP_COORDINATES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Colours */

static const struct {
  double t;
  GdkRGBA c;
} ramp[] = {
  { 0.00, { 0.16, 0.38, 0.95, 0.00 } },
  { 0.15, { 0.16, 0.45, 0.95, 0.22 } },   /* the cool end stays light: cells show through */
  { 0.35, { 0.10, 0.78, 0.72, 0.42 } },
  { 0.55, { 0.96, 0.88, 0.22, 0.60 } },
  { 0.75, { 1.00, 0.55, 0.10, 0.72 } },
  { 1.00, { 0.92, 0.12, 0.10, 0.82 } },
};

void
gw_heat_ramp_color (double t, GdkRGBA *color)
{
  guint k = 1;

  t = CLAMP (t, 0.0, 1.0);
  if (t < LEVEL_VISIBLE)
    {
      *color = (GdkRGBA) { 0, 0, 0, 0 };
      return;
    }
  while (k + 1 < G_N_ELEMENTS (ramp) && ramp[k].t < t)
    k++;
  {
    double f = (t - ramp[k - 1].t) / (ramp[k].t - ramp[k - 1].t);
    const GdkRGBA *a = &ramp[k - 1].c, *b = &ramp[k].c;

    color->red = a->red + f * (b->red - a->red);
    color->green = a->green + f * (b->green - a->green);
    color->blue = a->blue + f * (b->blue - a->blue);
    color->alpha = a->alpha + f * (b->alpha - a->alpha);
  }
}

static void
build_lut (GwHeatLayer *self)
{
  for (guint i = 0; i < 256; i++)
    {
      GdkRGBA c;
      guint8 px[4];

      gw_heat_ramp_color (i / 255.0, &c);
      px[0] = (guint8) lround (c.red * c.alpha * 255);
      px[1] = (guint8) lround (c.green * c.alpha * 255);
      px[2] = (guint8) lround (c.blue * c.alpha * 255);
      px[3] = (guint8) lround (c.alpha * 255);
      memcpy (&self->lut[i], px, 4);
    }
}

double
gw_heat_weight_for_incident (const GwIncident *incident, GwTime now)
{
  if (!gw_incident_is_open (incident))
    return 0.5;
  return gw_incident_is_late (incident, now) ? 2.0 : 1.0;
}

static GwTime
layer_now (GwHeatLayer *self)
{
  return self->fixed_now != GW_TIME_NONE ? self->fixed_now : gw_time_now ();
}

/* The field */

/* Three box blurs of radius @r along rows, from @in into @in (through @tmp). */
static void
blur_rows (float *in, float *tmp, int nx, int ny, int r)
{
  float inv = 1.0f / (2 * r + 1);

  for (int pass = 0; pass < 3; pass++)
    {
      const float *src = pass == 1 ? tmp : in;
      float *dst = pass == 1 ? in : tmp;

      for (int j = 0; j < ny; j++)
        {
          const float *row = src + (gsize) j * nx;
          float *out = dst + (gsize) j * nx;
          float sum = 0;

          for (int i = 0; i < r && i < nx; i++)
            sum += row[i];
          for (int i = 0; i < nx; i++)
            {
              if (i + r < nx)
                sum += row[i + r];
              out[i] = sum * inv;
              if (i - r >= 0)
                sum -= row[i - r];
            }
        }
    }
  memcpy (in, tmp, sizeof (float) * nx * ny);
}

/* The same along columns, a row at a time so memory is read in order. */
static void
blur_cols (float *in, float *tmp, float *sum, int nx, int ny, int r)
{
  float inv = 1.0f / (2 * r + 1);

  for (int pass = 0; pass < 3; pass++)
    {
      const float *src = pass == 1 ? tmp : in;
      float *dst = pass == 1 ? in : tmp;

      memset (sum, 0, sizeof (float) * nx);
      for (int j = 0; j < r && j < ny; j++)
        for (int i = 0; i < nx; i++)
          sum[i] += src[(gsize) j * nx + i];
      for (int j = 0; j < ny; j++)
        {
          float *out = dst + (gsize) j * nx;

          if (j + r < ny)
            for (int i = 0; i < nx; i++)
              sum[i] += src[(gsize) (j + r) * nx + i];
          for (int i = 0; i < nx; i++)
            out[i] = sum[i] * inv;
          if (j - r >= 0)
            for (int i = 0; i < nx; i++)
              sum[i] -= src[(gsize) (j - r) * nx + i];
        }
    }
  memcpy (in, tmp, sizeof (float) * nx * ny);
}

/* The peak of three box blurs of radius @r applied to a unit impulse, along one axis. */
static double
impulse_peak (int r)
{
  int n = 6 * r + 3, mid = 3 * r + 1;
  g_autofree float *line = g_new0 (float, n);
  g_autofree float *tmp = g_new0 (float, n);

  line[mid] = 1;
  blur_rows (line, tmp, n, 1, r);
  return line[mid];
}

static void
ensure_scratch (GwHeatLayer *self, int nx, int ny)
{
  gsize n = (gsize) nx * ny;

  if (n > self->n_alloc)
    {
      self->n_alloc = n + n / 4;
      g_free (self->bins);
      g_free (self->tmp);
      g_free (self->pixels);
      self->bins = g_new (float, self->n_alloc);
      self->tmp = g_new (float, self->n_alloc);
      self->pixels = g_new (guint8, self->n_alloc * 4);
    }
  if ((gsize) nx > self->cols_alloc)
    {
      self->cols_alloc = nx + nx / 4;
      g_free (self->colsum);
      self->colsum = g_new (float, self->cols_alloc);
    }
}

/* The kernel's σ on screen, in pixels, for the view. */
static double
sigma_px (const GwLayerView *v)
{
  double lon, lat, m_per_px;

  gw_geo_unproject (v->cx, v->cy, &lon, &lat);
  m_per_px = cos (lat * G_PI / 180) * EARTH_CIRCUMFERENCE_M / v->scale;
  return CLAMP (BANDWIDTH_M / m_per_px, MIN_SIGMA_PX, MAX_SIGMA_PX);
}

/* Bins the points into key's grid, blurs and colours it into a new texture. */
static void
make_texture (GwHeatLayer *self, const GwLayerView *v, const FieldKey *key, double sigma)
{
  const float *xs = (const float *) (gconstpointer) self->xs->data;
  const float *ys = (const float *) (gconstpointer) self->ys->data;
  const float *ws = (const float *) (gconstpointer) self->ws->data;
  guint n_slots = self->ws->len;
  int nx = key->nx, ny = key->ny;
  double k = v->scale / key->bin_px;
  /* Bin coordinates of the origin, bin centres at whole numbers. */
  float bx = (float) (self->ox * k - key->i0 - 0.5);
  float by = (float) (self->oy * k - key->j0 - 0.5);
  float kf = (float) k;
  double sb = sigma / key->bin_px;
  int r = MAX (1, (int) lround ((-1 + sqrt (1 + 4 * sb * sb)) / 2));
  double norm, peak = 0, top;
  g_autoptr(GBytes) bytes = NULL;
  guint32 *px;

  ensure_scratch (self, nx, ny);
  memset (self->bins, 0, sizeof (float) * nx * ny);

  /* Splat each point into the four bins around it; ones off the grid are beyond the
   * kernel's reach of the view. */
  for (guint n = 0; n < n_slots; n++)
    {
      float fx = bx + xs[n] * kf, fy = by + ys[n] * kf;
      float ax, ay, w = ws[n];
      float *b;
      int ix, iy;

      /* Free slots (w = 0) add nothing wherever they fall. */
      if (!(fx >= 0 && fy >= 0 && fx < nx - 1 && fy < ny - 1))
        continue;
      ix = (int) fx;
      iy = (int) fy;
      ax = fx - ix;
      ay = fy - iy;
      b = self->bins + (gsize) iy * nx + ix;
      b[0] += w * (1 - ax) * (1 - ay);
      b[1] += w * ax * (1 - ay);
      b[nx] += w * (1 - ax) * ay;
      b[nx + 1] += w * ax * ay;
    }

  blur_rows (self->bins, self->tmp, nx, ny, r);
  blur_cols (self->bins, self->tmp, self->colsum, nx, ny, r);

  /* In weighted cases: a lone case of weight 1 peaks at 1. */
  norm = impulse_peak (r);
  norm = 1.0 / (norm * norm);
  for (gsize i = 0; i < (gsize) nx * ny; i++)
    peak = MAX (peak, self->bins[i]);
  top = MAX (peak * norm, FLOOR_LEVEL);

  /* The ramp follows the square root of the level: a lone case next to a hot spot of
   * forty still shows, faintly. */
  {
    float scale = (float) (norm / top);
    px = (guint32 *) (gpointer) self->pixels;
    for (gsize i = 0; i < (gsize) nx * ny; i++)
      {
        float t = self->bins[i] * scale;
        px[i] = self->lut[t <= 0 ? 0 : t >= 1 ? 255 : (int) (255 * sqrtf (t))];
      }
  }

  bytes = g_bytes_new (self->pixels, (gsize) nx * ny * 4);
  g_clear_object (&self->texture);
  self->texture = gdk_memory_texture_new (nx, ny, GDK_MEMORY_R8G8B8A8_PREMULTIPLIED, bytes, nx * 4);
}

/* Makes the texture when the view left what it covers; reuses it otherwise. */
static void
ensure_field (GwHeatLayer *self, const GwLayerView *v)
{
  double sigma = sigma_px (v);
  double half_w = v->rotation != 0 ? hypot (v->width, v->height) / 2 : v->width / 2;
  double half_h = v->rotation != 0 ? hypot (v->width, v->height) / 2 : v->height / 2;
  double reach = REACH_SIGMAS * sigma;
  const FieldKey *old = &self->key;
  FieldKey key = {
    .zoom = v->zoom, .width = v->width, .height = v->height, .rotation = v->rotation,
    .serial = self->serial,
  };
  gboolean same_look = self->texture != NULL &&
    old->zoom == key.zoom && old->width == key.width && old->height == key.height &&
    old->rotation == key.rotation && old->serial == key.serial;
  double bin, cx, cy, margin;

  /* At the same zoom the bins must stay the same size for the texture to be reused. */
  bin = same_look ? old->bin_px : MAX (sigma / SIGMA_BINS, MIN_BIN_PX);
  cx = v->cx * v->scale / bin;
  cy = v->cy * v->scale / bin;
  if (same_look &&
      floor (cx - (half_w + reach) / bin) >= old->i0 &&
      floor (cy - (half_h + reach) / bin) >= old->j0 &&
      ceil (cx + (half_w + reach) / bin) <= old->i0 + old->nx &&
      ceil (cy + (half_h + reach) / bin) <= old->j0 + old->ny)
    return;

  /* Panning: cover a margin so the next frames reuse it. */
  margin = same_look ? PAN_MARGIN_PX : 0;
  key.bin_px = bin;
  key.i0 = (int) floor (cx - (half_w + reach + margin) / bin);
  key.j0 = (int) floor (cy - (half_h + reach + margin) / bin);
  key.nx = (int) ceil (cx + (half_w + reach + margin) / bin) - key.i0 + 1;
  key.ny = (int) ceil (cy + (half_h + reach + margin) / bin) - key.j0 + 1;
  make_texture (self, v, &key, sigma);
  self->key = key;
}

static void
gw_heat_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwHeatLayer *self = GW_HEAT_LAYER (widget);
  GwLayerView v;
  double ox, oy;

  if (self->n_points == 0 || !gw_layer_view_get (widget, self->viewport, &v))
    return;

  ensure_field (self, &v);

  /* The grid's corner in widget coordinates. */
  ox = self->key.i0 * self->key.bin_px - v.cx * v.scale + v.width / 2;
  oy = self->key.j0 * self->key.bin_px - v.cy * v.scale + v.height / 2;

  gtk_snapshot_save (snapshot);
  if (v.rotation != 0)
    gw_layer_view_push_rotation (&v, snapshot);
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (ox, oy, self->key.nx * self->key.bin_px,
                                                    self->key.ny * self->key.bin_px));
  gtk_snapshot_restore (snapshot);
}

/* Points */

static void
changed (GwHeatLayer *self)
{
  self->serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Projects @incident into @slot, relative to the origin: the first point with a place.
 * One without (NaN) never lands on the grid. */
static void
place (GwHeatLayer *self, guint slot, const GwIncident *incident)
{
  double x, y;

  gw_tile_coordinates_project (self->coordinates, incident->lon, incident->lat, &x, &y);
  if (!self->has_origin && isfinite (x) && isfinite (y))
    {
      self->ox = x;
      self->oy = y;
      self->has_origin = TRUE;
    }
  g_array_index (self->xs, float, slot) = (float) (x - self->ox);
  g_array_index (self->ys, float, slot) = (float) (y - self->oy);
}

void
gw_heat_layer_upsert (GwHeatLayer *self, GPtrArray *incidents)
{
  GwTime now;

  g_return_if_fail (GW_IS_HEAT_LAYER (self));

  if (incidents == NULL || incidents->len == 0)
    return;

  now = layer_now (self);
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      gpointer value = g_hash_table_lookup (self->by_id, incident->id);
      guint slot;

      if (value != NULL)
        slot = GPOINTER_TO_UINT (value) - 1;
      else if (self->free_slots->len > 0)
        {
          slot = g_array_index (self->free_slots, guint, self->free_slots->len - 1);
          g_array_set_size (self->free_slots, self->free_slots->len - 1);
        }
      else
        {
          slot = self->ws->len;
          g_array_set_size (self->xs, slot + 1);
          g_array_set_size (self->ys, slot + 1);
          g_array_set_size (self->ws, slot + 1);
          g_ptr_array_add (self->incidents, NULL);
        }
      if (value == NULL)
        self->n_points++;

      /* The key string belongs to the version it came from: replace both. */
      gw_incident_ref (incident);
      g_hash_table_replace (self->by_id, incident->id, GUINT_TO_POINTER (slot + 1));
      g_clear_pointer (&g_ptr_array_index (self->incidents, slot), gw_incident_unref);
      g_ptr_array_index (self->incidents, slot) = incident;

      place (self, slot, incident);
      g_array_index (self->ws, float, slot) = gw_heat_weight_for_incident (incident, now);
    }
  changed (self);
}

void
gw_heat_layer_remove (GwHeatLayer *self, GPtrArray *incidents)
{
  gboolean any = FALSE;

  g_return_if_fail (GW_IS_HEAT_LAYER (self));

  if (incidents == NULL)
    return;

  for (guint i = 0; i < incidents->len; i++)
    {
      const GwIncident *incident = g_ptr_array_index (incidents, i);
      gpointer value = g_hash_table_lookup (self->by_id, incident->id);
      guint slot;

      if (value == NULL)
        continue;
      slot = GPOINTER_TO_UINT (value) - 1;
      g_hash_table_remove (self->by_id, incident->id);
      g_clear_pointer (&g_ptr_array_index (self->incidents, slot), gw_incident_unref);
      g_array_index (self->ws, float, slot) = 0;
      g_array_append_val (self->free_slots, slot);
      self->n_points--;
      any = TRUE;
    }
  if (any)
    changed (self);
}

void
gw_heat_layer_clear (GwHeatLayer *self)
{
  g_return_if_fail (GW_IS_HEAT_LAYER (self));

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->incidents, 0);
  g_array_set_size (self->xs, 0);
  g_array_set_size (self->ys, 0);
  g_array_set_size (self->ws, 0);
  g_array_set_size (self->free_slots, 0);
  self->n_points = 0;
  self->has_origin = FALSE;
  changed (self);
}

guint
gw_heat_layer_get_n_points (GwHeatLayer *self)
{
  g_return_val_if_fail (GW_IS_HEAT_LAYER (self), 0);

  return self->n_points;
}

/* Cases turn late as time passes: their weight doubles. */
static void
refresh_weights (GwHeatLayer *self)
{
  GwTime now = layer_now (self);
  gboolean any = FALSE;

  for (guint slot = 0; slot < self->incidents->len; slot++)
    {
      const GwIncident *incident = g_ptr_array_index (self->incidents, slot);
      float *weight = &g_array_index (self->ws, float, slot);
      float w;

      if (incident == NULL)
        continue;
      w = gw_heat_weight_for_incident (incident, now);
      if (w != *weight)
        {
          *weight = w;
          any = TRUE;
        }
    }
  if (any)
    changed (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  refresh_weights (user_data);
  return G_SOURCE_CONTINUE;
}

void
gw_heat_layer_set_now (GwHeatLayer *self, GwTime now)
{
  g_return_if_fail (GW_IS_HEAT_LAYER (self));

  self->fixed_now = now;
  refresh_weights (self);
}

void
gw_heat_layer_set_coordinates (GwHeatLayer *self, GwTileCoordinates coordinates)
{
  g_return_if_fail (GW_IS_HEAT_LAYER (self));

  if (self->coordinates == coordinates)
    return;
  self->coordinates = coordinates;
  self->has_origin = FALSE;
  for (guint slot = 0; slot < self->incidents->len; slot++)
    {
      const GwIncident *incident = g_ptr_array_index (self->incidents, slot);
      if (incident != NULL)
        place (self, slot, incident);
    }
  changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COORDINATES]);
}

GwTileCoordinates
gw_heat_layer_get_coordinates (GwHeatLayer *self)
{
  g_return_val_if_fail (GW_IS_HEAT_LAYER (self), GW_TILE_COORDINATES_WGS84);

  return self->coordinates;
}

/* GObject */

static void
gw_heat_layer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GwHeatLayer *self = GW_HEAT_LAYER (object);

  switch (prop_id)
    {
    case PROP_N_POINTS:
      g_value_set_uint (value, self->n_points);
      break;

    case PROP_COORDINATES:
      g_value_set_enum (value, self->coordinates);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_heat_layer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GwHeatLayer *self = GW_HEAT_LAYER (object);

  switch (prop_id)
    {
    case PROP_COORDINATES:
      gw_heat_layer_set_coordinates (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_heat_layer_dispose (GObject *object)
{
  GwHeatLayer *self = GW_HEAT_LAYER (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->texture);
  g_clear_object (&self->viewport);
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);
  if (self->incidents != NULL)
    g_ptr_array_set_size (self->incidents, 0);

  G_OBJECT_CLASS (gw_heat_layer_parent_class)->dispose (object);
}

static void
gw_heat_layer_finalize (GObject *object)
{
  GwHeatLayer *self = GW_HEAT_LAYER (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  g_clear_pointer (&self->xs, g_array_unref);
  g_clear_pointer (&self->ys, g_array_unref);
  g_clear_pointer (&self->ws, g_array_unref);
  g_clear_pointer (&self->free_slots, g_array_unref);
  g_free (self->bins);
  g_free (self->tmp);
  g_free (self->colsum);
  g_free (self->pixels);

  G_OBJECT_CLASS (gw_heat_layer_parent_class)->finalize (object);
}

/* Free slots hold NULL. */
static void
incident_unref0 (gpointer incident)
{
  if (incident != NULL)
    gw_incident_unref (incident);
}

static void
viewport_notify_cb (GwHeatLayer *self, GParamSpec *pspec, ShumateViewport *viewport)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
gw_heat_layer_constructed (GObject *object)
{
  GwHeatLayer *self = GW_HEAT_LAYER (object);

  G_OBJECT_CLASS (gw_heat_layer_parent_class)->constructed (object);

  self->viewport = g_object_ref (shumate_layer_get_viewport (SHUMATE_LAYER (self)));
  g_signal_connect_object (self->viewport, "notify", G_CALLBACK (viewport_notify_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
gw_heat_layer_class_init (GwHeatLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gw_heat_layer_constructed;
  object_class->dispose = gw_heat_layer_dispose;
  object_class->finalize = gw_heat_layer_finalize;
  object_class->get_property = gw_heat_layer_get_property;
  object_class->set_property = gw_heat_layer_set_property;

  widget_class->snapshot = gw_heat_layer_snapshot;

  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COORDINATES] =
    g_param_spec_enum ("coordinates", NULL, NULL,
                       GW_TYPE_TILE_COORDINATES, GW_TILE_COORDINATES_WGS84,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "gw-heat-layer");
}

static void
gw_heat_layer_init (GwHeatLayer *self)
{
  self->xs = g_array_new (FALSE, TRUE, sizeof (float));
  self->ys = g_array_new (FALSE, TRUE, sizeof (float));
  self->ws = g_array_new (FALSE, TRUE, sizeof (float));
  self->incidents = g_ptr_array_new_with_free_func (incident_unref0);
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint));
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->fixed_now = GW_TIME_NONE;
  build_lut (self);
  self->refresh_id = g_timeout_add_seconds (REFRESH_S, refresh_cb, self);

  /* Drawing only: clicks go to the layers under it. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

GwHeatLayer *
gw_heat_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (GW_TYPE_HEAT_LAYER, "viewport", viewport, NULL);
}
