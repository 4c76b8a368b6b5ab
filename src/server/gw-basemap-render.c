/* gw-basemap-render.c — the demo street's offline basemap, drawn with cairo
 *
 * Everything is kept in normalized Web-Mercator coordinates and turned into tile pixels
 * in double precision before cairo sees it: cairo's fixed-point coordinates would
 * overflow at world scale past zoom 15. Widths are in metres, so roads thicken as the
 * map zooms in the way they do on real maps.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "gw-basemap-render.h"
#include "gw-geo.h"
#include "gw-street.h"

#define MARGIN_DEG     0.012   /* land drawn around the street */
#define GRID_LON       113.6000
#define GRID_LAT       34.7400
#define GRID_STEP_LON  0.00375
#define GRID_STEP_LAT  (0.0200 / 6)
#define MINOR_ROAD_M   9.0
#define MAIN_ROAD_M    26.0
#define RIVER_M        34.0
#define SLAB_M_W       58.0    /* residential slab: long side east-west */
#define SLAB_M_H       13.0
#define SLAB_GAP_M_X   16.0
#define SLAB_GAP_M_Y   30.0
#define FONT           "Noto Sans CJK SC"

/* A muted dark palette: the cells' colours on top carry the information. */
static const double C_LAND[]      = { 0.114, 0.125, 0.141 };
static const double C_BLOCK[]     = { 0.141, 0.153, 0.173 };
static const double C_BUILDING[]  = { 0.180, 0.192, 0.212 };
static const double C_PARK[]      = { 0.118, 0.157, 0.137 };
static const double C_WATER[]     = { 0.094, 0.145, 0.192 };
static const double C_MINOR[]     = { 0.200, 0.212, 0.231 };
static const double C_MAIN[]      = { 0.255, 0.271, 0.294 };
static const double C_MAIN_CASE[] = { 0.086, 0.094, 0.106 };
static const double C_LABEL[]     = { 0.560, 0.585, 0.620 };
static const double C_ROAD_LABEL[] = { 0.470, 0.490, 0.520 };

typedef struct {
  double *xy;   /* normalized Mercator */
  guint   n;
  GwBBox  box;
} Poly;

typedef struct {
  char   *text;
  double  x, y;      /* normalized anchor (centre) */
  gboolean vertical; /* characters stacked top to bottom */
  double  min_zoom;
  double  size;      /* px */
  const double *color;
} Label;

typedef struct {
  double x0, y0, x1, y1;
} Line;

struct _GwBasemapRender {
  double  west, south, east, north;
  double  metres_per_unit;  /* metres per normalized unit at the street's latitude */
  GArray *blocks;           /* Poly: the cells */
  GArray *buildings;        /* Poly */
  GArray *park;             /* Poly */
  GArray *pond;             /* Poly */
  Poly    river;            /* open line */
  GArray *main_roads;       /* Line */
  GArray *minor_roads;      /* Line: the grid continued outside the street */
  GArray *labels;           /* Label */
};

static void
poly_clear (gpointer data)
{
  g_free (((Poly *) data)->xy);
}

static void
label_clear (gpointer data)
{
  g_free (((Label *) data)->text);
}

static Poly
poly_from_lonlat (const double *lonlat, guint n)
{
  Poly p = { g_new (double, 2 * n), n, { 0 } };

  gw_geo_project_array (lonlat, p.xy, n);
  gw_bbox_init_empty (&p.box);
  for (guint i = 0; i < n; i++)
    gw_bbox_add_point (&p.box, p.xy[2 * i], p.xy[2 * i + 1]);
  return p;
}

static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* Residential compounds: rows of east-west slabs inside each block, set back from its
 * roads, with a few gaps (schools, yards) chosen by a hash. */
static void
add_buildings (GwBasemapRender *self, const Poly *block, guint seed)
{
  double unit = 1.0 / self->metres_per_unit;
  double w = SLAB_M_W * unit, h = SLAB_M_H * unit;
  double gx = SLAB_GAP_M_X * unit, gy = SLAB_GAP_M_Y * unit;
  double inset = 22.0 * unit;
  guint k = 0;

  for (double y = block->box.y0 + inset; y + h < block->box.y1 - inset; y += h + gy)
    for (double x = block->box.x0 + inset; x + w < block->box.x1 - inset; x += w + gx, k++)
      {
        double corners[8] = { x, y, x + w, y, x + w, y + h, x, y + h };
        gboolean inside = TRUE;
        Poly p;

        if (mix (seed * 977 + k) % 7 == 0)
          continue;
        /* Keep slabs clear of the crooked borders: every corner, pushed out by the
         * inset, must still be inside the block. */
        for (guint c = 0; c < 4 && inside; c++)
          {
            double px = corners[2 * c] + (c == 1 || c == 2 ? inset : -inset) * 0.6;
            double py = corners[2 * c + 1] + (c >= 2 ? inset : -inset) * 0.6;
            inside = gw_geo_ring_contains (block->xy, block->n, px, py);
          }
        if (!inside)
          continue;
        p.n = 4;
        p.xy = g_memdup2 (corners, sizeof corners);
        p.box = (GwBBox) { x, y, x + w, y + h };
        g_array_append_val (self->buildings, p);
      }
}

static void
add_label (GwBasemapRender *self, const char *text, double x, double y, gboolean vertical,
           double min_zoom, double size, const double *color)
{
  Label label = { g_strdup (text), x, y, vertical, min_zoom, size, color };

  g_array_append_val (self->labels, label);
}

static void
build_roads (GwBasemapRender *self)
{
  double x0, y0, x1, y1;
  const char *name;
  gboolean ns;
  double at;

  gw_geo_project (self->west, self->north, &x0, &y0);
  gw_geo_project (self->east, self->south, &x1, &y1);

  /* The grid of minor streets, continued beyond the street's cells. */
  for (int i = -4; i <= 12; i++)
    {
      double lon = GRID_LON + i * GRID_STEP_LON, x, y;
      gw_geo_project (lon, 0, &x, &y);
      if (x > x0 && x < x1)
        g_array_append_val (self->minor_roads, ((Line) { x, y0, x, y1 }));
    }
  for (int j = -4; j <= 10; j++)
    {
      double lat = GRID_LAT + j * GRID_STEP_LAT, x, y;
      gw_geo_project (0, lat, &x, &y);
      if (y > y0 && y < y1)
        g_array_append_val (self->minor_roads, ((Line) { x0, y, x1, y }));
    }

  for (guint i = 0; gw_street_road (i, &name, &ns, &at); i++)
    {
      double x, y;
      Line line;

      gw_geo_project (ns ? at : 0, ns ? 0 : at, &x, &y);
      line = ns ? (Line) { x, y0, x, y1 } : (Line) { x0, y, x1, y };
      g_array_append_val (self->main_roads, line);

      /* Names repeat along the road, away from the crossings. */
      for (guint k = 0; k < 5; k++)
        {
          double t = (k + 0.5) / 5.0;
          if (ns)
            add_label (self, name, x, y0 + t * (y1 - y0) + 0.11 * (y1 - y0) / 5, TRUE,
                       15, 11, C_ROAD_LABEL);
          else
            add_label (self, name, x0 + t * (x1 - x0) + 0.23 * (x1 - x0) / 5, y, FALSE,
                       15, 11, C_ROAD_LABEL);
        }
    }
}

GwBasemapRender *
gw_basemap_render_new (void)
{
  GwBasemapRender *self = g_new0 (GwBasemapRender, 1);
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  g_autoptr(GHashTable) communities = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  const double *lonlat;
  guint n;

  gw_street_bounds (&self->west, &self->south, &self->east, &self->north);
  self->west -= MARGIN_DEG;
  self->east += MARGIN_DEG;
  self->south -= MARGIN_DEG;
  self->north += MARGIN_DEG;
  self->metres_per_unit = 40075016.686 * cos ((self->south + self->north) / 2 * G_PI / 180);

  self->blocks = g_array_new (FALSE, FALSE, sizeof (Poly));
  self->buildings = g_array_new (FALSE, FALSE, sizeof (Poly));
  self->park = g_array_new (FALSE, FALSE, sizeof (Poly));
  self->pond = g_array_new (FALSE, FALSE, sizeof (Poly));
  self->main_roads = g_array_new (FALSE, FALSE, sizeof (Line));
  self->minor_roads = g_array_new (FALSE, FALSE, sizeof (Line));
  self->labels = g_array_new (FALSE, FALSE, sizeof (Label));
  g_array_set_clear_func (self->blocks, poly_clear);
  g_array_set_clear_func (self->buildings, poly_clear);
  g_array_set_clear_func (self->park, poly_clear);
  g_array_set_clear_func (self->pond, poly_clear);
  g_array_set_clear_func (self->labels, label_clear);

  for (guint i = 0; i < cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cells, i);
      Poly block = poly_from_lonlat (cell->ring, cell->n_points);
      double lon, lat, *sum;

      g_array_append_val (self->blocks, block);
      add_buildings (self, &block, i + 1);

      /* Community labels sit at the mean of their cells' centroids. */
      gw_cell_get_centroid (cell, &lon, &lat);
      sum = g_hash_table_lookup (communities, cell->community);
      if (sum == NULL)
        {
          sum = g_new0 (double, 3);
          g_hash_table_insert (communities, cell->community, sum);
          g_ptr_array_add (order, cell->community);
        }
      sum[0] += lon;
      sum[1] += lat;
      sum[2] += 1;
    }

  for (guint i = 0; i < order->len; i++)
    {
      const double *sum = g_hash_table_lookup (communities, order->pdata[i]);
      double x, y;
      gw_geo_project (sum[0] / sum[2], sum[1] / sum[2], &x, &y);
      add_label (self, order->pdata[i], x, y, FALSE, 14, 14, C_LABEL);
    }

  lonlat = gw_street_pond (&n);
  {
    Poly pond = poly_from_lonlat (lonlat, n);
    g_autofree double *grown = g_new (double, 2 * n);
    double cx = 0, cy = 0, px, py;

    /* The park is the lake's outline grown around its centre. */
    for (guint i = 0; i < n; i++)
      {
        cx += lonlat[2 * i] / n;
        cy += lonlat[2 * i + 1] / n;
      }
    for (guint i = 0; i < n; i++)
      {
        grown[2 * i] = cx + (lonlat[2 * i] - cx) * 1.9;
        grown[2 * i + 1] = cy + (lonlat[2 * i + 1] - cy) * 1.9;
      }
    Poly park = poly_from_lonlat (grown, n);

    g_array_append_val (self->pond, pond);
    g_array_append_val (self->park, park);
    gw_geo_project (cx, cy - 0.0035, &px, &py);
    add_label (self, "碧水公园", px, py, FALSE, 14, 12, C_LABEL);
  }

  lonlat = gw_street_river (&n);
  self->river = poly_from_lonlat (lonlat, n);
  {
    double x, y;
    gw_geo_project (lonlat[4] + 0.002, lonlat[5] - 0.0016, &x, &y);
    add_label (self, "金水河", x, y, FALSE, 14, 12, C_LABEL);
  }

  /* Blocks of the grid outside the street get compounds too, so the street does not
   * sit in a void. */
  for (int i = -4; i < 12; i++)
    for (int j = -4; j < 10; j++)
      {
        double lon0 = GRID_LON + i * GRID_STEP_LON, lat0 = GRID_LAT + j * GRID_STEP_LAT;
        double ring[8] = { lon0, lat0, lon0 + GRID_STEP_LON, lat0,
                           lon0 + GRID_STEP_LON, lat0 + GRID_STEP_LAT, lon0, lat0 + GRID_STEP_LAT };
        double cx, cy;
        gboolean covered = FALSE;
        Poly outside;

        gw_geo_project (lon0 + GRID_STEP_LON / 2, lat0 + GRID_STEP_LAT / 2, &cx, &cy);
        for (guint k = 0; k < self->blocks->len && !covered; k++)
          {
            const Poly *b = &g_array_index (self->blocks, Poly, k);
            covered = gw_bbox_contains (&b->box, cx, cy) && gw_geo_ring_contains (b->xy, b->n, cx, cy);
          }
        if (covered)
          continue;
        outside = poly_from_lonlat (ring, 4);
        add_buildings (self, &outside, 1000 + (guint) ((i + 8) * 40 + j + 8));
        g_free (outside.xy);
      }

  build_roads (self);
  return self;
}

void
gw_basemap_render_free (GwBasemapRender *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->blocks);
  g_array_unref (self->buildings);
  g_array_unref (self->park);
  g_array_unref (self->pond);
  g_array_unref (self->main_roads);
  g_array_unref (self->minor_roads);
  g_array_unref (self->labels);
  g_free (self->river.xy);
  g_free (self);
}

void
gw_basemap_render_get_bounds (GwBasemapRender *self,
                              double          *west,
                              double          *south,
                              double          *east,
                              double          *north)
{
  *west = self->west;
  *south = self->south;
  *east = self->east;
  *north = self->north;
}

/* Drawing */

typedef struct {
  double scale;    /* world size in pixels */
  double ox, oy;   /* tile origin in world pixels */
  double mpp;      /* metres per pixel */
  GwBBox box;      /* normalized area the tile shows, with slack */
} View;

static void
set_rgb (cairo_t *cr, const double *c)
{
  cairo_set_source_rgb (cr, c[0], c[1], c[2]);
}

static void
path_poly (cairo_t *cr, const View *v, const Poly *p, gboolean close)
{
  for (guint i = 0; i < p->n; i++)
    {
      double x = p->xy[2 * i] * v->scale - v->ox;
      double y = p->xy[2 * i + 1] * v->scale - v->oy;
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (close)
    cairo_close_path (cr);
}

static void
fill_polys (cairo_t *cr, const View *v, GArray *polys, const double *color)
{
  set_rgb (cr, color);
  for (guint i = 0; i < polys->len; i++)
    {
      const Poly *p = &g_array_index (polys, Poly, i);
      if (gw_bbox_intersects (&p->box, &v->box))
        path_poly (cr, v, p, TRUE);
    }
  cairo_fill (cr);
}

static void
stroke_lines (cairo_t *cr, const View *v, GArray *lines, double width, const double *color)
{
  set_rgb (cr, color);
  cairo_set_line_width (cr, width);
  for (guint i = 0; i < lines->len; i++)
    {
      const Line *l = &g_array_index (lines, Line, i);
      cairo_move_to (cr, l->x0 * v->scale - v->ox, l->y0 * v->scale - v->oy);
      cairo_line_to (cr, l->x1 * v->scale - v->ox, l->y1 * v->scale - v->oy);
    }
  cairo_stroke (cr);
}

/* Text with a halo of the land colour, so it reads over roads. */
static void
draw_label (cairo_t *cr, const View *v, const Label *label)
{
  double x = label->x * v->scale - v->ox, y = label->y * v->scale - v->oy;
  cairo_text_extents_t ext;

  cairo_set_font_size (cr, label->size);
  if (!label->vertical)
    {
      cairo_text_extents (cr, label->text, &ext);
      cairo_move_to (cr, x - ext.width / 2 - ext.x_bearing, y - ext.height / 2 - ext.y_bearing);
      cairo_text_path (cr, label->text);
    }
  else
    {
      /* Chinese road names read top to bottom on north-south roads. */
      glong n = g_utf8_strlen (label->text, -1);
      const char *p = label->text;
      double step = label->size * 1.05;

      for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
        {
          char ch[8] = { 0 };
          memcpy (ch, p, g_utf8_next_char (p) - p);
          cairo_text_extents (cr, ch, &ext);
          cairo_move_to (cr, x - ext.width / 2 - ext.x_bearing,
                         y + (i - (n - 1) / 2.0) * step - ext.height / 2 - ext.y_bearing);
          cairo_text_path (cr, ch);
        }
    }
  set_rgb (cr, C_LAND);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve (cr);
  set_rgb (cr, label->color);
  cairo_fill (cr);
}

void
gw_basemap_render_tile (GwBasemapRender *self, cairo_t *cr, int zoom, int x, int y)
{
  View v;
  double n = exp2 (zoom), slack;
  double minor_w, main_w;

  v.scale = GW_BASEMAP_TILE_SIZE * n;
  v.ox = x * (double) GW_BASEMAP_TILE_SIZE;
  v.oy = y * (double) GW_BASEMAP_TILE_SIZE;
  v.mpp = self->metres_per_unit / v.scale;
  /* Strokes and labels reach past the tile: take in whatever is near it. */
  slack = 120.0 / v.scale;
  v.box = (GwBBox) { x / n - slack, y / n - slack, (x + 1) / n + slack, (y + 1) / n + slack };

  minor_w = MAX (MINOR_ROAD_M / v.mpp, 0.6);
  main_w = MAX (MAIN_ROAD_M / v.mpp, 1.2);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, GW_BASEMAP_TILE_SIZE, GW_BASEMAP_TILE_SIZE);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Land beyond the street reads as built-up blocks between a grid of streets. */
  set_rgb (cr, C_BLOCK);
  cairo_paint (cr);
  if (zoom >= 13)
    stroke_lines (cr, &v, self->minor_roads, minor_w, C_MINOR);

  /* The street's own blocks, with the cell borders as its minor streets. */
  fill_polys (cr, &v, self->blocks, C_BLOCK);
  if (zoom >= 15)
    fill_polys (cr, &v, self->buildings, C_BUILDING);
  fill_polys (cr, &v, self->park, C_PARK);
  fill_polys (cr, &v, self->pond, C_WATER);
  if (zoom >= 13)
    {
      set_rgb (cr, C_MINOR);
      cairo_set_line_width (cr, minor_w);
      for (guint i = 0; i < self->blocks->len; i++)
        {
          const Poly *p = &g_array_index (self->blocks, Poly, i);
          if (gw_bbox_intersects (&p->box, &v.box))
            path_poly (cr, &v, p, TRUE);
        }
      cairo_stroke (cr);
    }

  /* The canal. */
  set_rgb (cr, C_WATER);
  cairo_set_line_width (cr, MAX (RIVER_M / v.mpp, 1.5));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  path_poly (cr, &v, &self->river, FALSE);
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  /* Main roads: a dark casing, then the carriageway. */
  stroke_lines (cr, &v, self->main_roads, main_w + MAX (2.0, main_w * 0.25), C_MAIN_CASE);
  stroke_lines (cr, &v, self->main_roads, main_w, C_MAIN);

  cairo_select_font_face (cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  for (guint i = 0; i < self->labels->len; i++)
    {
      const Label *label = &g_array_index (self->labels, Label, i);
      if (zoom >= label->min_zoom && gw_bbox_contains (&v.box, label->x, label->y))
        draw_label (cr, &v, label);
    }
  cairo_restore (cr);
}

static cairo_status_t
append_png_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
gw_basemap_render_tile_png (GwBasemapRender *self, int zoom, int x, int y)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *png = g_byte_array_new ();

  /* RGB24: the map is opaque and the PNG comes out a third smaller. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, GW_BASEMAP_TILE_SIZE, GW_BASEMAP_TILE_SIZE);
  cr = cairo_create (surface);
  gw_basemap_render_tile (self, cr, zoom, x, y);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_write_to_png_stream (surface, append_png_cb, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* MBTiles */

static gboolean
sql_exec (sqlite3 *db, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", message ? message : "?");
  sqlite3_free (message);
  return FALSE;
}

static gboolean
put_metadata (sqlite3 *db, const char *name, const char *value, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  sqlite3_prepare_v2 (db, "INSERT INTO metadata (name, value) VALUES (?1, ?2)", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
write_all (GwBasemapRender *self, sqlite3 *db, int min_zoom, int max_zoom, guint *n_tiles,
           GError **error)
{
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *bounds = NULL, *center = NULL, *minz = NULL, *maxz = NULL;
  sqlite3_stmt *stmt = NULL;
  double x0, y0, x1, y1;

  if (!sql_exec (db,
                 "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                 "PRAGMA page_size = 4096;"
                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                 " tile_row INTEGER, tile_data BLOB);"
                 "BEGIN;", error))
    return FALSE;

  bounds = g_strdup_printf ("%s,%s,%s,%s",
                            g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", self->west),
                            g_ascii_formatd (buf[1], sizeof buf[1], "%.6f", self->south),
                            g_ascii_formatd (buf[2], sizeof buf[2], "%.6f", self->east),
                            g_ascii_formatd (buf[3], sizeof buf[3], "%.6f", self->north));
  center = g_strdup_printf ("%s,%s,15",
                            g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", (self->west + self->east) / 2),
                            g_ascii_formatd (buf[1], sizeof buf[1], "%.6f", (self->south + self->north) / 2));
  minz = g_strdup_printf ("%d", min_zoom);
  maxz = g_strdup_printf ("%d", max_zoom);
  if (!put_metadata (db, "name", "Gridwatch demo street", error) ||
      !put_metadata (db, "type", "baselayer", error) ||
      !put_metadata (db, "version", "1", error) ||
      !put_metadata (db, "description", "绿东村街道 (demo), drawn from Gridwatch's street data", error) ||
      !put_metadata (db, "attribution", "Demo street basemap (Gridwatch)", error) ||
      !put_metadata (db, "format", "png", error) ||
      !put_metadata (db, "bounds", bounds, error) ||
      !put_metadata (db, "center", center, error) ||
      !put_metadata (db, "minzoom", minz, error) ||
      !put_metadata (db, "maxzoom", maxz, error))
    return FALSE;

  gw_geo_project (self->west, self->north, &x0, &y0);
  gw_geo_project (self->east, self->south, &x1, &y1);
  sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL);
  for (int z = min_zoom; z <= max_zoom; z++)
    {
      double n = exp2 (z);
      for (int ty = (int) floor (y0 * n); ty <= (int) floor (y1 * n); ty++)
        for (int tx = (int) floor (x0 * n); tx <= (int) floor (x1 * n); tx++)
          {
            g_autoptr(GBytes) png = gw_basemap_render_tile_png (self, z, tx, ty);
            gsize size;
            const void *data = g_bytes_get_data (png, &size);

            sqlite3_reset (stmt);
            sqlite3_bind_int (stmt, 1, z);
            sqlite3_bind_int (stmt, 2, tx);
            sqlite3_bind_int (stmt, 3, (1 << z) - 1 - ty);   /* TMS rows */
            sqlite3_bind_blob (stmt, 4, data, (int) size, SQLITE_STATIC);
            if (sqlite3_step (stmt) != SQLITE_DONE)
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", sqlite3_errmsg (db));
                sqlite3_finalize (stmt);
                return FALSE;
              }
            (*n_tiles)++;
          }
    }
  sqlite3_finalize (stmt);

  return sql_exec (db,
                   "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                   "COMMIT;", error);
}

gboolean
gw_basemap_render_write_mbtiles (GwBasemapRender *self,
                                 const char      *path,
                                 int              min_zoom,
                                 int              max_zoom,
                                 guint           *n_tiles,
                                 GError         **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  sqlite3 *db = NULL;
  guint count = 0;
  gboolean ok;

  g_unlink (tmp);
  if (sqlite3_open (tmp, &db) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s: %s", tmp,
                   db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }
  ok = write_all (self, db, min_zoom, max_zoom, &count, error);
  sqlite3_close (db);
  if (ok && g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot write %s: %s",
                   path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  if (n_tiles)
    *n_tiles = count;
  return ok;
}
