/* test-mbtiles.c — GwMbtilesSource on real SQLite files made here
 *
 * Tiles are PNGs of one colour each, so a fetched tile tells which row it came from:
 * that is how the TMS y-flip is checked. Damaged and foreign files must give clear
 * errors, never crashes; the bundled demo basemap must open and hold the street.
 */
#include <cairo.h>
#include <gtk/gtk.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "gw-basemap.h"
#include "gw-geo.h"
#include "gw-mbtiles-source.h"
#include "gw-test-dispatchd.h"

typedef struct {
  char *dir;
} Fixture;

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
solid_png (double r, double g, double b)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_cb, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* The colour at the middle of a PNG tile, as 0xRRGGBB. */
static guint32
png_centre (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (bytes, &error);
  guint32 pixels[256 * 256];

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 256);
  gdk_texture_download (texture, (guchar *) pixels, 256 * 4);
  return pixels[128 * 256 + 128] & 0xFFFFFF;   /* B G R A in memory: ARGB32 */
}

static sqlite3 *
new_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                                 " tile_row INTEGER, tile_data BLOB);"
                                 "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
put_meta (sqlite3 *db, const char *name, const char *value)
{
  char *sql = sqlite3_mprintf ("INSERT INTO metadata VALUES (%Q, %Q)", name, value);

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (sql);
}

static void
put_tile (sqlite3 *db, int z, int x, int tms_row, GBytes *data)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, z);
  sqlite3_bind_int (stmt, 2, x);
  sqlite3_bind_int (stmt, 3, tms_row);
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (data, NULL), (int) g_bytes_get_size (data), SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static gboolean
wait_done (gpointer *slot)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return *slot != NULL;
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GwMbtilesSource *
open_source (const char *path, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gw_mbtiles_source_new_async (path, NULL, store_result_cb, &result);
  /* Opening happens on a worker: nothing is back before the loop runs. */
  g_assert_null (result);
  g_assert_true (wait_done ((gpointer *) &result));
  return gw_mbtiles_source_new_finish (result, error);
}

typedef struct {
  guint   n;
  int     x, y, z;
  GBytes *bytes;
  GThread *thread;
} Received;

static void
received_cb (ShumateDataSource *source, int x, int y, int z, GBytes *bytes, Received *r)
{
  r->n++;
  r->x = x;
  r->y = y;
  r->z = z;
  r->thread = g_thread_self ();
  g_clear_pointer (&r->bytes, g_bytes_unref);
  r->bytes = g_bytes_ref (bytes);
}

static GBytes *
fetch (GwMbtilesSource *source, int x, int y, int z, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, z, NULL,
                                           store_result_cb, &result);
  g_assert_true (wait_done ((gpointer *) &result));
  return shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source), result, error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gw-mbtiles-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gw_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Zoom 1: the north-west tile is red and the south-west one blue. In TMS rows the
 * north row is 1. */
static char *
make_two_tiles (Fixture *f, gboolean with_zooms)
{
  char *path = g_build_filename (f->dir, "two.mbtiles", NULL);
  g_autoptr(GBytes) red = solid_png (1, 0, 0);
  g_autoptr(GBytes) blue = solid_png (0, 0, 1);
  sqlite3 *db = new_db (path);

  put_meta (db, "name", "Two tiles");
  put_meta (db, "attribution", "© Test");
  put_meta (db, "format", "png");
  put_meta (db, "bounds", "-180.0,-85.0511,0.0,85.0511");
  if (with_zooms)
    {
      put_meta (db, "minzoom", "1");
      put_meta (db, "maxzoom", "1");
    }
  put_tile (db, 1, 0, 1, red);
  put_tile (db, 1, 0, 0, blue);
  sqlite3_close (db);
  return path;
}

static void
test_y_flip (Fixture *f, gconstpointer data)
{
  g_autofree char *path = make_two_tiles (f, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = open_source (path, &error);
  g_autoptr(GBytes) north = NULL, south = NULL;
  Received r = { 0 };

  g_assert_no_error (error);
  g_assert_true (GW_IS_MBTILES_SOURCE (source));
  g_signal_connect (source, "received-data", G_CALLBACK (received_cb), &r);

  north = fetch (source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmphex (png_centre (north), ==, 0xFF0000);
  /* ::received-data carried the same bytes, on the main thread the renderer uses. */
  g_assert_cmpuint (r.n, ==, 1);
  g_assert_cmpint (r.x, ==, 0);
  g_assert_cmpint (r.y, ==, 0);
  g_assert_cmpint (r.z, ==, 1);
  g_assert_true (g_bytes_equal (r.bytes, north));
  g_assert_true (r.thread == g_thread_self ());

  south = fetch (source, 0, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmphex (png_centre (south), ==, 0x0000FF);
  g_assert_cmpuint (r.n, ==, 2);
  g_assert_cmpint (r.y, ==, 1);
  g_clear_pointer (&r.bytes, g_bytes_unref);
  g_signal_handlers_disconnect_by_data (source, &r);
}

static void
test_metadata (Fixture *f, gconstpointer data)
{
  g_autofree char *path = make_two_tiles (f, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = open_source (path, &error);
  double w, s, e, n;

  g_assert_no_error (error);
  g_assert_cmpstr (gw_mbtiles_source_get_path (source), ==, path);
  g_assert_cmpstr (gw_mbtiles_source_get_name (source), ==, "Two tiles");
  g_assert_cmpstr (gw_mbtiles_source_get_attribution (source), ==, "© Test");
  g_assert_cmpstr (gw_mbtiles_source_get_format (source), ==, "png");
  g_assert_cmpuint (gw_mbtiles_source_get_min_zoom (source), ==, 1);
  g_assert_cmpuint (gw_mbtiles_source_get_max_zoom (source), ==, 1);
  g_assert_true (gw_mbtiles_source_get_bounds (source, &w, &s, &e, &n));
  g_assert_cmpfloat_with_epsilon (w, -180, 1e-9);
  g_assert_cmpfloat_with_epsilon (s, -85.0511, 1e-9);
  g_assert_cmpfloat_with_epsilon (e, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (n, 85.0511, 1e-9);

  /* The western half at zoom 1 is covered; the eastern half and other zooms are not. */
  g_assert_true (gw_mbtiles_source_covers (source, 0, 0, 1));
  g_assert_true (gw_mbtiles_source_covers (source, 0, 1, 1));
  g_assert_false (gw_mbtiles_source_covers (source, 1, 0, 1));
  g_assert_false (gw_mbtiles_source_covers (source, 0, 0, 2));
}

static void
test_zooms_from_tiles (Fixture *f, gconstpointer data)
{
  g_autofree char *path = make_two_tiles (f, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = open_source (path, &error);

  /* No minzoom/maxzoom in the metadata: the tiles tell. */
  g_assert_no_error (error);
  g_assert_cmpuint (gw_mbtiles_source_get_min_zoom (source), ==, 1);
  g_assert_cmpuint (gw_mbtiles_source_get_max_zoom (source), ==, 1);
}

static void
test_missing_tile (Fixture *f, gconstpointer data)
{
  g_autofree char *path = make_two_tiles (f, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = open_source (path, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = fetch (source, 1, 0, 1, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Outside the world: not found too, without asking SQLite. */
  bytes = fetch (source, 5, 0, 1, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  bytes = fetch (source, 0, -1, 1, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_bad_tile (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "bad-tile.mbtiles", NULL);
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>404 Not Found</html>", 26);
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  sqlite3 *db = new_db (path);

  put_meta (db, "format", "png");
  put_tile (db, 0, 0, 0, html);
  sqlite3_close (db);

  source = open_source (path, &error);
  g_assert_no_error (error);
  bytes = fetch (source, 0, 0, 0, &error);
  g_assert_null (bytes);
  g_assert_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_BAD_TILE);
}

static void
assert_open_fails (const char *path, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = open_source (path, &error);

  g_assert_null (source);
  g_assert_error (error, GW_MBTILES_ERROR, code);
  /* A clear message that names the file. */
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
}

static void
test_corrupt (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.mbtiles", NULL);
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.mbtiles", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty.mbtiles", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.sqlite", NULL);
  g_autofree char *vector = g_build_filename (f->dir, "vector.mbtiles", NULL);
  g_autofree char *good = make_two_tiles (f, TRUE);
  g_autofree char *truncated = g_build_filename (f->dir, "truncated.mbtiles", NULL);
  g_autofree char *contents = NULL;
  char noise[8192];
  gsize length;
  sqlite3 *db;

  assert_open_fails (missing, GW_MBTILES_ERROR_OPEN);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (char) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (garbage, noise, sizeof noise, NULL));
  assert_open_fails (garbage, GW_MBTILES_ERROR_INVALID);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_open_fails (empty, GW_MBTILES_ERROR_INVALID);

  /* A SQLite database that is not MBTiles. */
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (body TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_open_fails (other, GW_MBTILES_ERROR_INVALID);

  db = new_db (vector);
  put_meta (db, "format", "pbf");
  sqlite3_close (db);
  assert_open_fails (vector, GW_MBTILES_ERROR_UNSUPPORTED);

  /* Half a real file: either it does not open or its tiles fail; never a crash. */
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, length / 2, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GwMbtilesSource) source = open_source (truncated, &error);

    if (source == NULL)
      g_assert_true (error->domain == GW_MBTILES_ERROR);
    else
      {
        g_autoptr(GBytes) bytes = fetch (source, 0, 0, 1, &error);
        g_assert_true (bytes != NULL || error != NULL);
      }
  }
}

static void
test_demo_basemap (void)
{
  g_autofree char *path = gw_basemap_find_demo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  double w, s, e, n, x, y;
  int z = 15;

  g_assert_nonnull (path);
  source = open_source (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gw_mbtiles_source_get_min_zoom (source), ==, 12);
  g_assert_cmpuint (gw_mbtiles_source_get_max_zoom (source), ==, 17);
  g_assert_true (gw_mbtiles_source_get_bounds (source, &w, &s, &e, &n));
  /* The demo street (around 113.61 E, 34.75 N) is inside. */
  g_assert_cmpfloat (w, <, 113.60);
  g_assert_cmpfloat (e, >, 113.63);
  g_assert_cmpfloat (s, <, 34.74);
  g_assert_cmpfloat (n, >, 34.76);

  gw_geo_project (113.615, 34.750, &x, &y);
  bytes = fetch (source, (int) (x * (1 << z)), (int) (y * (1 << z)), z, &error);
  g_assert_no_error (error);
  g_assert_true (gw_tile_bytes_look_like_image (bytes));
  /* A calm dark map: the middle of the street is a dark grey, not black or white. */
  {
    guint32 c = png_centre (bytes);
    guint r = c >> 16, g = (c >> 8) & 0xFF, b = c & 0xFF;
    g_assert_cmpuint (r, >, 20);
    g_assert_cmpuint (r, <, 110);
    g_assert_cmpuint (MAX (MAX (r, g), b) - MIN (MIN (r, g), b), <, 40);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mbtiles/y-flip", Fixture, NULL, fixture_setup, test_y_flip, fixture_teardown);
  g_test_add ("/mbtiles/metadata", Fixture, NULL, fixture_setup, test_metadata, fixture_teardown);
  g_test_add ("/mbtiles/zooms-from-tiles", Fixture, NULL, fixture_setup, test_zooms_from_tiles, fixture_teardown);
  g_test_add ("/mbtiles/missing-tile", Fixture, NULL, fixture_setup, test_missing_tile, fixture_teardown);
  g_test_add ("/mbtiles/bad-tile", Fixture, NULL, fixture_setup, test_bad_tile, fixture_teardown);
  g_test_add ("/mbtiles/corrupt", Fixture, NULL, fixture_setup, test_corrupt, fixture_teardown);
  g_test_add_func ("/mbtiles/demo-basemap", test_demo_basemap);
  return g_test_run ();
}
