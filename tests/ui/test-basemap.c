/* test-basemap.c — the basemap under the map's cells and pins, GCJ-02, tile failures
 *
 * Runs under Xvfb. The map view follows GSettings (memory backend): the bundled demo
 * basemap must show under the cells with no network; GCJ-02 tiles must shift every
 * overlay; a tile server that cannot be reached (a closed loopback port) must give a
 * quiet notice while cells and pins keep drawing, and the notice must clear once tiles
 * load again (a loopback SoupServer that comes back).
 */
#include "gw-test-ui.h"
#include <adwaita.h>
#include <libsoup/soup.h>
#include <math.h>
#include <sqlite3.h>

#include "gw-basemap.h"
#include "gw-geo.h"
#include "gw-map-view.h"
#include "gw-settings.h"

#define WIDTH  900
#define HEIGHT 640

/* Two cells of the demo street's area (lon, lat) and a late pin in the second. */
static const double cell_a[] = { 113.604, 34.756, 113.614, 34.756, 113.614, 34.746,
                                 113.604, 34.746 };
static const double cell_b[] = { 113.614, 34.756, 113.624, 34.756, 113.624, 34.746,
                                 113.614, 34.746 };
#define LATE_LON  113.619
#define LATE_LAT  34.751

typedef struct {
  GSettings *settings;
  GtkWidget *window;
  GwMapView *view;
  GwStore   *store;
} Fixture;

static void
wait_until (gboolean (*ready) (gpointer), gpointer data, int seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!ready (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static GwCell *
make_cell (const char *code, const double *ring, guint n)
{
  GwCell *cell = gw_cell_new ();

  cell->code = g_strdup (code);
  cell->name = g_strdup (code);
  cell->community = g_strdup ("绿东村社区");
  gw_cell_set_ring (cell, ring, n);
  return cell;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GwIncident) late = gw_incident_new ();
  GwStoreBatch *batch;
  GwTime now = gw_time_now ();
  const char *const *keys = data;

  /* The memory backend outlives a test: start every one from the defaults. */
  f->settings = gw_settings_new ();
  g_settings_reset (f->settings, "basemap");
  g_settings_reset (f->settings, "xyz-url");
  g_settings_reset (f->settings, "mbtiles-path");
  g_settings_reset (f->settings, "tile-coordinates");
  g_settings_reset (f->settings, "map-heat-map");
  g_settings_reset (f->settings, "xyz-attribution");
  for (guint i = 0; keys != NULL && keys[i] != NULL; i += 2)
    {
      /* "@demo" stands for the bundled file, wherever the build put it. */
      g_autofree char *demo = gw_basemap_find_demo ();
      g_settings_set_string (f->settings, keys[i],
                             g_str_equal (keys[i + 1], "@demo") ? demo : keys[i + 1]);
    }

  f->store = gw_store_new ();
  g_ptr_array_add (cells, make_cell ("41010200100101", cell_a, 4));
  g_ptr_array_add (cells, make_cell ("41010200100102", cell_b, 4));
  gw_store_set_reference (f->store, cells, none, none);

  late->id = g_strdup ("LATE");
  late->title = g_strdup ("垃圾满溢");
  late->class_code = g_strdup ("9999");
  late->cell_code = g_strdup ("41010200100102");
  late->lon = LATE_LON;
  late->lat = LATE_LAT;
  late->stage = GW_STAGE_DISPATCHED;
  late->received_at = now - 5 * GW_USEC_PER_HOUR;
  late->deadline = now - GW_USEC_PER_HOUR;
  late->updated_at = late->received_at;
  late->seq = 1;
  late->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  batch = gw_store_batch_new ();
  gw_store_batch_upsert (batch, late);
  gw_store_apply (f->store, batch);

  f->view = gw_test_ui_map_view_new (f->store, WIDTH, HEIGHT, &f->window);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  g_clear_object (&f->settings);
  gw_test_ui_drain (300);
}

static GwTestImage *
render (Fixture *f, const char *name)
{
  return gw_test_ui_render_map (f->window, f->view, WIDTH, HEIGHT, name);
}

static gboolean
tiles_loaded (gpointer data)
{
  Fixture *f = data;
  GwBasemap *basemap = gw_map_view_get_basemap (f->view);

  return gw_basemap_get_layer (basemap) != NULL && gw_basemap_get_n_loaded (basemap) >= 6;
}

static double
distance (const GdkRGBA *a, const GdkRGBA *b)
{
  return MAX (MAX (fabs (a->red - b->red), fabs (a->green - b->green)), fabs (a->blue - b->blue));
}

static void
test_demo_under_cells (Fixture *f, gconstpointer data)
{
  GwBasemap *basemap = gw_map_view_get_basemap (f->view);
  ShumateMap *map = gw_map_view_get_map (f->view);
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  GdkRGBA ground = { 0.082, 0.094, 0.110, 1 }, red, px;
  double x, y, lx, ly;
  guint varied = 0;

  wait_until (tiles_loaded, f, 10);
  g_assert_true (tiles_loaded (f));
  g_assert_null (gw_basemap_get_notice_text (basemap));
  g_assert_cmpint (gw_basemap_get_coordinates (basemap), ==, GW_TILE_COORDINATES_WGS84);

  /* The tile layer is the map's bottom layer: under cells and pins. */
  g_assert_true (gtk_widget_get_first_child (GTK_WIDGET (map)) ==
                 GTK_WIDGET (gw_basemap_get_layer (basemap)));

  g_autoptr(GwTestImage) image = render (f, "basemap-demo.png");

  /* West of the cells the basemap replaces the bare ground. */
  gw_test_ui_location_to_view (f->view, 113.598, 34.751, &x, &y);
  gw_test_image_pixel (image, x, y, &px);
  g_assert_cmpfloat (distance (&px, &ground), >, 0.02);

  /* Inside a cell the streets and blocks show through the fill: its pixels vary, where
   * a fill over bare ground would be one colour. */
  for (double lon = 113.6045; lon < 113.6135; lon += 0.0005)
    {
      GdkRGBA a, b;
      double x2, y2;

      gw_test_ui_location_to_view (f->view, lon, 34.7535, &x, &y);
      gw_test_ui_location_to_view (f->view, lon + 0.00025, 34.7535, &x2, &y2);
      gw_test_image_pixel (image, x, y, &a);
      gw_test_image_pixel (image, x2, y2, &b);
      if (distance (&a, &b) > 0.01)
        varied++;
    }
  g_assert_cmpuint (varied, >, 2);

  /* The pin draws on top, where it belongs. */
  g_assert_true (gw_incident_layer_get_pin_position (pins, "LATE", &lx, &ly));
  gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &x, &y);
  g_assert_cmpfloat_with_epsilon (lx, x, 0.01);
  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  gw_test_image_assert_color (image, x, y, &red, 0.08);

  /* Past the file's deepest zoom (17) the map still has a basemap, not bare ground. */
  {
    ShumateViewport *viewport = shumate_map_get_viewport (map);

    /* libshumate scales the zoom-17 tiles: nothing new to load. */
    shumate_viewport_set_zoom_level (viewport, 18.6);
    g_autoptr(GwTestImage) deep = render (f, "basemap-demo-z18.png");
    gw_test_ui_location_to_view (f->view, 113.6040, 34.7520, &x, &y);
    gw_test_image_pixel (deep, x, y, &px);
    g_assert_cmpfloat (distance (&px, &ground), >, 0.02);
    g_assert_null (gw_basemap_get_notice_text (basemap));
  }
}

static const char *const gcj_keys[] = {
  "mbtiles-path", "@demo", "basemap", "mbtiles", "tile-coordinates", "gcj02", NULL
};

static gboolean
is_wgs84 (gpointer data)
{
  Fixture *f = data;
  return gw_basemap_get_coordinates (gw_map_view_get_basemap (f->view)) == GW_TILE_COORDINATES_WGS84;
}

static void
test_gcj02_shift (Fixture *f, gconstpointer data)
{
  GwBasemap *basemap = gw_map_view_get_basemap (f->view);
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  GwCellLayer *cells = gw_map_view_get_cell_layer (f->view);
  double glon, glat, x, y, wx, wy, lx, ly;
  GwIncidentPick pick;
  GwCell *cell;
  GdkRGBA red;

  g_assert_cmpint (gw_basemap_get_coordinates (basemap), ==, GW_TILE_COORDINATES_GCJ02);
  g_assert_cmpint (gw_cell_layer_get_coordinates (cells), ==, GW_TILE_COORDINATES_GCJ02);
  g_assert_cmpint (gw_incident_layer_get_coordinates (pins), ==, GW_TILE_COORDINATES_GCJ02);

  /* The pin is drawn where libshumate puts the GCJ-02 point, not the WGS-84 one. */
  gw_geo_wgs84_to_gcj02 (LATE_LON, LATE_LAT, &glon, &glat);
  gw_test_ui_location_to_view (f->view, glon, glat, &x, &y);
  gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &wx, &wy);
  g_assert_true (gw_incident_layer_get_pin_position (pins, "LATE", &lx, &ly));
  g_assert_cmpfloat_with_epsilon (lx, x, 0.01);
  g_assert_cmpfloat_with_epsilon (ly, y, 0.01);
  /* Around Zhengzhou GCJ-02 is some 600 m east and 100 m north of WGS-84. */
  g_assert_cmpfloat (hypot (x - wx, y - wy), >, 10);
  g_assert_cmpfloat (x, >, wx);

  /* Hit testing follows: the pin answers at its shifted spot, the cell under its
   * shifted centre. */
  g_assert_true (gw_incident_layer_pick (pins, lx, ly, &pick));
  g_assert_nonnull (pick.incident);
  g_assert_cmpstr (pick.incident->id, ==, "LATE");
  gw_geo_wgs84_to_gcj02 (113.609, 34.751, &glon, &glat);
  gw_test_ui_location_to_view (f->view, glon, glat, &x, &y);
  cell = gw_cell_layer_pick (cells, x, y);
  g_assert_nonnull (cell);
  g_assert_cmpstr (cell->code, ==, "41010200100101");

  /* The fit went to the shifted street: its middle is in the view's middle third. */
  gw_geo_wgs84_to_gcj02 (113.614, 34.751, &glon, &glat);
  gw_test_ui_location_to_view (f->view, glon, glat, &x, &y);
  g_assert_cmpfloat (x, >, WIDTH / 3.0);
  g_assert_cmpfloat (x, <, 2 * WIDTH / 3.0);

  g_autoptr(GwTestImage) image = render (f, "basemap-gcj02.png");
  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  gw_test_image_assert_color (image, lx, ly, &red, 0.08);

  /* Back to WGS-84 tiles, live: everything returns. */
  g_settings_set_string (f->settings, "tile-coordinates", "wgs84");
  wait_until (is_wgs84, f, 5);
  g_assert_true (is_wgs84 (f));
  g_assert_cmpint (gw_incident_layer_get_coordinates (pins), ==, GW_TILE_COORDINATES_WGS84);
  gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &x, &y);
  g_assert_true (gw_incident_layer_get_pin_position (pins, "LATE", &lx, &ly));
  g_assert_cmpfloat_with_epsilon (lx, x, 0.01);
  g_assert_cmpfloat_with_epsilon (ly, y, 0.01);
}

/* Tile server */

typedef struct {
  gboolean up;
  GBytes  *png;
  guint    requests;
} TileServer;

static void
tile_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
              GHashTable *query, gpointer user_data)
{
  TileServer *ts = user_data;

  ts->requests++;
  if (!ts->up)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (ts->png, NULL), g_bytes_get_size (ts->png));
}

static GBytes *
grey_png (void)
{
  g_autoptr(GdkTexture) texture = NULL;
  guchar *pixels = g_malloc (256 * 256 * 4);

  for (guint i = 0; i < 256 * 256; i++)
    {
      pixels[4 * i] = 0x40;
      pixels[4 * i + 1] = 0x44;
      pixels[4 * i + 2] = 0x48;
      pixels[4 * i + 3] = 0xFF;
    }
  texture = gdk_memory_texture_new (256, 256, GDK_MEMORY_B8G8R8A8,
                                    g_bytes_new_take (pixels, 256 * 256 * 4), 256 * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

static guint
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* Bound then closed: nobody listens there, so connecting is refused at once. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static gboolean
has_notice (gpointer data)
{
  Fixture *f = data;
  return gw_basemap_get_notice_text (gw_map_view_get_basemap (f->view)) != NULL;
}

typedef struct {
  Fixture    *f;
  TileServer *ts;
} ServerWait;

static gboolean
server_failing_noticed (gpointer data)
{
  ServerWait *w = data;
  return w->ts->requests > 0 && has_notice (w->f);
}

static gboolean
notice_gone_and_loaded (gpointer data)
{
  Fixture *f = data;
  GwBasemap *basemap = gw_map_view_get_basemap (f->view);
  return gw_basemap_get_notice_text (basemap) == NULL && gw_basemap_get_n_loaded (basemap) > 0;
}

static void
test_unreachable_notice (Fixture *f, gconstpointer data)
{
  GwBasemap *basemap = gw_map_view_get_basemap (f->view);
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (gw_map_view_get_map (f->view));
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/{z}/{x}/{y}.png", closed_port ());
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *server_url = NULL;
  GtkWidget *notice = gw_basemap_get_notice (basemap);
  TileServer ts = { FALSE, grey_png (), 0 };
  GdkRGBA red;
  double lx, ly;

  g_settings_set_string (f->settings, "xyz-url", url);
  g_settings_set_string (f->settings, "basemap", "xyz");
  wait_until (has_notice, f, 15);
  g_assert_true (has_notice (f));
  g_test_message ("notice: %s", gw_basemap_get_notice_text (basemap));
  g_assert_nonnull (strstr (gw_basemap_get_notice_text (basemap), "cannot reach"));
  g_assert_true (gtk_widget_is_visible (gtk_widget_get_first_child (notice)));
  g_assert_true (gtk_widget_is_ancestor (notice, GTK_WIDGET (f->view)));

  /* The wall keeps working: the pin is drawn, red, where it belongs. */
  g_assert_cmpuint (gw_incident_layer_get_n_pins (pins), ==, 1);
  g_assert_true (gw_incident_layer_get_pin_position (pins, "LATE", &lx, &ly));
  {
    g_autoptr(GwTestImage) image = render (f, "basemap-unreachable.png");
    gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
    gw_test_image_assert_color (image, lx, ly, &red, 0.08);
  }

  /* A server that is there but failing: still a notice. */
  soup_server_add_handler (server, NULL, tile_handler, &ts, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  server_url = g_strdup_printf ("http://127.0.0.1:%d/{z}/{x}/{y}.png", g_uri_get_port (uris->data));
  g_settings_set_string (f->settings, "xyz-url", server_url);
  {
    ServerWait w = { f, &ts };
    wait_until (server_failing_noticed, &w, 15);
    g_assert_true (server_failing_noticed (&w));
  }
  g_assert_nonnull (strstr (gw_basemap_get_notice_text (basemap), "missing"));

  /* It comes back: the next tiles load and the notice clears by itself. */
  ts.up = TRUE;
  shumate_viewport_set_zoom_level (viewport, shumate_viewport_get_zoom_level (viewport) + 1);
  wait_until (notice_gone_and_loaded, f, 15);
  g_assert_true (notice_gone_and_loaded (f));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_first_child (notice)));

  g_settings_reset (f->settings, "basemap");
  gw_test_ui_drain (300);
  g_bytes_unref (ts.png);
}

static gboolean
has_notice_and_tiles (gpointer data)
{
  Fixture *f = data;
  return has_notice (f) && gw_basemap_get_n_loaded (gw_map_view_get_basemap (f->view)) > 0;
}

static gboolean
no_layer (gpointer data)
{
  Fixture *f = data;
  return gw_basemap_get_layer (gw_map_view_get_basemap (f->view)) == NULL;
}

/* An MBTiles file with holes: every other column of tiles is gone. */
static void
test_missing_tiles (Fixture *f, gconstpointer data)
{
  GwBasemap *basemap = gw_map_view_get_basemap (f->view);
  GwCellLayer *cells = gw_map_view_get_cell_layer (f->view);
  g_autofree char *demo = gw_basemap_find_demo ();
  g_autofree char *dir = g_dir_make_tmp ("gw-basemap-holes-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "holes.mbtiles", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (demo);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  /* No basemap: no layer, opaque cells. */
  g_settings_set_string (f->settings, "basemap", "none");
  wait_until (no_layer, f, 5);
  g_assert_null (gw_basemap_get_layer (basemap));
  g_assert_null (gw_basemap_get_notice_text (basemap));

  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM tiles WHERE tile_column % 2 = 0", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  g_settings_set_string (f->settings, "mbtiles-path", path);
  g_settings_set_string (f->settings, "basemap", "mbtiles");
  wait_until (has_notice_and_tiles, f, 10);
  g_assert_true (has_notice_and_tiles (f));
  g_assert_nonnull (strstr (gw_basemap_get_notice_text (basemap), "missing"));
  g_assert_nonnull (gw_basemap_get_layer (basemap));
  {
    gboolean see_through = FALSE;
    g_object_get (cells, "see-through", &see_through, NULL);
    g_assert_true (see_through);
  }
  g_assert_cmpuint (gw_cell_layer_get_n_cells (cells), ==, 2);

  g_settings_reset (f->settings, "basemap");
  g_settings_reset (f->settings, "mbtiles-path");
  gw_test_ui_drain (300);
  gw_test_remove_tree (dir);
}

/* The overlays' projection for GCJ-02 tiles, against a published reference point:
 * googollee/eviltransform test.py, Beijing: WGS-84 (39.911954, 116.377817) →
 * GCJ-02 (39.91334545536069, 116.38404722455657). Values only, no code. */
static void
test_tile_coordinates (void)
{
  double x, y, gx, gy, lon, lat;

  gw_tile_coordinates_project (GW_TILE_COORDINATES_GCJ02, 116.377817, 39.911954, &x, &y);
  gw_geo_project (116.38404722455657, 39.91334545536069, &gx, &gy);
  /* 1e-12 of the world is 0.04 mm. */
  g_assert_cmpfloat_with_epsilon (x, gx, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, gy, 1e-12);
  gw_tile_coordinates_unproject (GW_TILE_COORDINATES_GCJ02, x, y, &lon, &lat);
  g_assert_cmpfloat (gw_geo_distance_m (lon, lat, 116.377817, 39.911954), <, 0.001);

  /* WGS-84 tiles: plain Web-Mercator. Outside China: no shift either way. */
  gw_tile_coordinates_project (GW_TILE_COORDINATES_WGS84, 116.377817, 39.911954, &x, &y);
  gw_geo_project (116.377817, 39.911954, &gx, &gy);
  g_assert_cmpfloat (x, ==, gx);
  g_assert_cmpfloat (y, ==, gy);
  gw_tile_coordinates_project (GW_TILE_COORDINATES_GCJ02, 24.9384, 60.1699, &x, &y);
  gw_geo_project (24.9384, 60.1699, &gx, &gy);
  g_assert_cmpfloat (x, ==, gx);
  g_assert_cmpfloat (y, ==, gy);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("gw-basemap-cache-XXXXXX", NULL);
  int status;

  /* Downloaded tiles go to a cache of the test's own. (Not G_TEST_OPTION_ISOLATE_DIRS:
   * gdk-pixbuf needs the system's MIME data to recognise PNG tiles.) */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/basemap/tile-coordinates", test_tile_coordinates);
  g_test_add ("/basemap/demo-under-cells", Fixture, NULL,
              fixture_setup, test_demo_under_cells, fixture_teardown);
  g_test_add ("/basemap/gcj02-shift", Fixture, gcj_keys,
              fixture_setup, test_gcj02_shift, fixture_teardown);
  g_test_add ("/basemap/missing-tiles", Fixture, NULL,
              fixture_setup, test_missing_tiles, fixture_teardown);
  g_test_add ("/basemap/unreachable-notice", Fixture, NULL,
              fixture_setup, test_unreachable_notice, fixture_teardown);
  status = g_test_run ();
  gw_test_remove_tree (cache);
  return status;
}
