/* gw-mbtiles-source.c — raster tiles from an MBTiles file (SQLite), off the main thread
 *
 * One read-only connection per file, opened in serialized mode so any worker thread may
 * use it; reads are short, so a mutex around the one prepared statement costs nothing
 * next to decoding the PNG afterwards. Nothing here touches SQLite on the main thread.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "gw-geo.h"
#include "gw-mbtiles-source.h"

struct _GwMbtilesSource {
  ShumateDataSource parent_instance;

  char         *path;
  sqlite3      *db;
  GMutex        lock;          /* guards tile_stmt */
  sqlite3_stmt *tile_stmt;

  char         *name;
  char         *attribution;
  char         *format;
  guint         min_zoom, max_zoom;
  gboolean      has_bounds;
  double        west, south, east, north;
};

G_DEFINE_FINAL_TYPE (GwMbtilesSource, gw_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (gw-mbtiles-error-quark, gw_mbtiles_error)

static void
replace_str (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

gboolean
gw_tile_bytes_look_like_image (GBytes *bytes)
{
  gsize n = 0;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &n) : NULL;

  if (d == NULL || n < 12)
    return FALSE;
  if (memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return TRUE;
  if (d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    return TRUE;
  return memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WEBP", 4) == 0;
}

/* Opening, on a worker thread */

static gboolean
read_metadata (GwMbtilesSource *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean has_min = FALSE, has_max = FALSE;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT name, value FROM metadata", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_INVALID,
                   _("“%s” is not an MBTiles file: %s"), self->path, sqlite3_errmsg (self->db));
      sqlite3_finalize (stmt);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (key == NULL || value == NULL)
        continue;
      if (g_str_equal (key, "name"))
        replace_str (&self->name, value);
      else if (g_str_equal (key, "attribution"))
        replace_str (&self->attribution, value);
      else if (g_str_equal (key, "format"))
        replace_str (&self->format, value);
      else if (g_str_equal (key, "minzoom"))
        {
          self->min_zoom = (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 30);
          has_min = TRUE;
        }
      else if (g_str_equal (key, "maxzoom"))
        {
          self->max_zoom = (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 30);
          has_max = TRUE;
        }
      else if (g_str_equal (key, "bounds"))
        {
          g_auto(GStrv) parts = g_strsplit (value, ",", -1);
          if (g_strv_length (parts) == 4)
            {
              self->west = g_ascii_strtod (parts[0], NULL);
              self->south = g_ascii_strtod (parts[1], NULL);
              self->east = g_ascii_strtod (parts[2], NULL);
              self->north = g_ascii_strtod (parts[3], NULL);
              self->has_bounds = self->west < self->east && self->south < self->north;
            }
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_INVALID,
                   _("The MBTiles file “%s” is damaged: %s"), self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }

  if (self->format == NULL)
    self->format = g_strdup ("png");
  else if (g_str_equal (self->format, "jpeg"))
    replace_str (&self->format, "jpg");
  if (g_str_equal (self->format, "pbf"))
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_UNSUPPORTED,
                   _("“%s” holds vector tiles; only raster MBTiles can be shown"), self->path);
      return FALSE;
    }
  if (!g_str_equal (self->format, "png") && !g_str_equal (self->format, "jpg") &&
      !g_str_equal (self->format, "webp"))
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_UNSUPPORTED,
                   _("“%s” holds tiles in an unknown format (%s)"), self->path, self->format);
      return FALSE;
    }

  /* Zooms missing from the metadata come from the tiles (the index makes this cheap). */
  if (!has_min || !has_max)
    {
      rc = sqlite3_prepare_v2 (self->db, "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW &&
          sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        {
          if (!has_min)
            self->min_zoom = (guint) CLAMP (sqlite3_column_int (stmt, 0), 0, 30);
          if (!has_max)
            self->max_zoom = (guint) CLAMP (sqlite3_column_int (stmt, 1), 0, 30);
        }
      else if (!has_max)
        self->max_zoom = 22;
      sqlite3_finalize (stmt);
    }
  if (self->max_zoom < self->min_zoom)
    self->max_zoom = self->min_zoom;
  return TRUE;
}

static gboolean
open_file (GwMbtilesSource *self, GError **error)
{
  int rc;

  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_OPEN,
                   _("The MBTiles file “%s” does not exist"), self->path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_OPEN,
                   _("Cannot open the MBTiles file “%s”: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 2000);

  if (!read_metadata (self, error))
    return FALSE;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT tile_data FROM tiles"
                           " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                           -1, &self->tile_stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_INVALID,
                   _("“%s” is not an MBTiles file: %s"), self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GwMbtilesSource) self = g_object_new (GW_TYPE_MBTILES_SOURCE, NULL);
  GError *error = NULL;

  self->path = g_strdup (task_data);
  if (!open_file (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

void
gw_mbtiles_source_new_async (const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gw_mbtiles_source_new_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

GwMbtilesSource *
gw_mbtiles_source_new_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Tiles */

typedef struct {
  int x, y, z;
  GBytes *bytes;
} TileRequest;

static void
tile_request_free (TileRequest *request)
{
  g_clear_pointer (&request->bytes, g_bytes_unref);
  g_free (request);
}

static GBytes *
read_tile (GwMbtilesSource *self, int x, int y, int z, GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GBytes *bytes = NULL;
  int rc;

  /* MBTiles counts rows from the south (TMS); slippy maps from the north. */
  sqlite3_reset (self->tile_stmt);
  sqlite3_bind_int (self->tile_stmt, 1, z);
  sqlite3_bind_int (self->tile_stmt, 2, x);
  sqlite3_bind_int64 (self->tile_stmt, 3, ((gint64) 1 << z) - 1 - y);
  rc = sqlite3_step (self->tile_stmt);
  if (rc == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (self->tile_stmt, 0);
      int n = sqlite3_column_bytes (self->tile_stmt, 0);
      bytes = g_bytes_new (blob, n);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No tile %d/%d/%d in “%s”"), z, x, y, self->path);
  else
    g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_INVALID,
                 _("Cannot read tile %d/%d/%d from “%s”: %s"), z, x, y, self->path,
                 sqlite3_errmsg (self->db));
  sqlite3_reset (self->tile_stmt);
  sqlite3_clear_bindings (self->tile_stmt);

  if (bytes != NULL && !gw_tile_bytes_look_like_image (bytes))
    {
      g_set_error (error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_BAD_TILE,
                   _("Tile %d/%d/%d in “%s” is not an image"), z, x, y, self->path);
      g_clear_pointer (&bytes, g_bytes_unref);
    }
  return bytes;
}

static void
tile_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GwMbtilesSource *self = source_object;
  TileRequest *request = task_data;
  GError *error = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    return;
  bytes = read_tile (self, request->x, request->y, request->z, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/* Back on the thread that asked: the renderer listens to ::received-data there. */
static void
tile_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_emit_by_name (object, "received-data", request->x, request->y, request->z, bytes);
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
gw_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                       int                  x,
                                       int                  y,
                                       int                  zoom_level,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GwMbtilesSource *self = GW_MBTILES_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) worker = NULL;
  TileRequest *request = g_new0 (TileRequest, 1);
  guint64 n = (guint64) 1 << CLAMP (zoom_level, 0, 30);

  g_task_set_source_tag (task, gw_mbtiles_source_get_tile_data_async);
  request->x = x;
  request->y = y;
  request->z = zoom_level;
  g_task_set_task_data (task, request, (GDestroyNotify) tile_request_free);

  if (zoom_level < 0 || zoom_level > 30 || x < 0 || y < 0 || (guint64) x >= n || (guint64) y >= n)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No tile %d/%d/%d in “%s”"), zoom_level, x, y, self->path);
      return;
    }

  worker = g_task_new (self, cancellable, tile_read_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, g_memdup2 (request, sizeof *request), g_free);
  g_task_run_in_thread (worker, tile_thread);
}

static GBytes *
gw_mbtiles_source_get_tile_data_finish (ShumateDataSource  *source,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Accessors */

const char *
gw_mbtiles_source_get_path (GwMbtilesSource *self)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), NULL);
  return self->path;
}

const char *
gw_mbtiles_source_get_name (GwMbtilesSource *self)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), NULL);
  return self->name;
}

const char *
gw_mbtiles_source_get_attribution (GwMbtilesSource *self)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), NULL);
  return self->attribution;
}

const char *
gw_mbtiles_source_get_format (GwMbtilesSource *self)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), NULL);
  return self->format;
}

guint
gw_mbtiles_source_get_min_zoom (GwMbtilesSource *self)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), 0);
  return self->min_zoom;
}

guint
gw_mbtiles_source_get_max_zoom (GwMbtilesSource *self)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), 0);
  return self->max_zoom;
}

gboolean
gw_mbtiles_source_get_bounds (GwMbtilesSource *self,
                              double          *west,
                              double          *south,
                              double          *east,
                              double          *north)
{
  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), FALSE);

  if (west) *west = self->west;
  if (south) *south = self->south;
  if (east) *east = self->east;
  if (north) *north = self->north;
  return self->has_bounds;
}

gboolean
gw_mbtiles_source_covers (GwMbtilesSource *self, int x, int y, int zoom)
{
  double n, x0, y0, x1, y1;

  g_return_val_if_fail (GW_IS_MBTILES_SOURCE (self), FALSE);

  if (zoom < (int) self->min_zoom || zoom > (int) self->max_zoom)
    return FALSE;
  if (!self->has_bounds)
    return TRUE;
  n = exp2 (zoom);
  gw_geo_project (self->west, self->north, &x0, &y0);
  gw_geo_project (self->east, self->south, &x1, &y1);
  return x + 1 > x0 * n && x < x1 * n && y + 1 > y0 * n && y < y1 * n;
}

/* GObject */

static void
gw_mbtiles_source_finalize (GObject *object)
{
  GwMbtilesSource *self = GW_MBTILES_SOURCE (object);

  g_clear_pointer (&self->tile_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->name);
  g_free (self->attribution);
  g_free (self->format);

  G_OBJECT_CLASS (gw_mbtiles_source_parent_class)->finalize (object);
}

static void
gw_mbtiles_source_class_init (GwMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = gw_mbtiles_source_finalize;

  source_class->get_tile_data_async = gw_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = gw_mbtiles_source_get_tile_data_finish;
}

static void
gw_mbtiles_source_init (GwMbtilesSource *self)
{
  g_mutex_init (&self->lock);
  self->max_zoom = 22;
}
