/* gw-basemap.c — the map's basemap layer, from the settings, and its quiet notice
 *
 * Tiles come from a ShumateDataSource (our MBTiles reader, or libshumate's downloader
 * for XYZ servers) through a small watching wrapper (GwTileWatch) into libshumate's
 * raster renderer. The wrapper lets through only bytes that look like images — the
 * renderer would warn on anything else — and tells the basemap which tiles failed, so
 * the notice can say so and clear once they load again.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-basemap.h"
#include "gw-geo.h"
#include "gw-mbtiles-source.h"

#define TILE_SIZE 256

G_DEFINE_ENUM_TYPE (GwTileCoordinates, gw_tile_coordinates,
                    G_DEFINE_ENUM_VALUE (GW_TILE_COORDINATES_WGS84, "wgs84"),
                    G_DEFINE_ENUM_VALUE (GW_TILE_COORDINATES_GCJ02, "gcj02"))

void
gw_tile_coordinates_project (GwTileCoordinates coordinates,
                             double            lon,
                             double            lat,
                             double           *x,
                             double           *y)
{
  if (coordinates == GW_TILE_COORDINATES_GCJ02)
    gw_geo_wgs84_to_gcj02 (lon, lat, &lon, &lat);
  gw_geo_project (lon, lat, x, y);
}

void
gw_tile_coordinates_unproject (GwTileCoordinates coordinates,
                               double            x,
                               double            y,
                               double           *lon,
                               double           *lat)
{
  gw_geo_unproject (x, y, lon, lat);
  if (coordinates == GW_TILE_COORDINATES_GCJ02)
    gw_geo_gcj02_to_wgs84 (*lon, *lat, lon, lat);
}

/* GwTileWatch: a data source that passes another one's tiles through and reports. */

typedef void (*TileReportFunc) (gpointer owner, guint serial, int x, int y, int z,
                                const GError *error);

#define GW_TYPE_TILE_WATCH (gw_tile_watch_get_type ())
G_DECLARE_FINAL_TYPE (GwTileWatch, gw_tile_watch, GW, TILE_WATCH, ShumateDataSource)

struct _GwTileWatch {
  ShumateDataSource  parent_instance;
  ShumateDataSource *inner;
  GWeakRef           owner;
  TileReportFunc     report;
  guint              serial;   /* the owner's source this watch belongs to */
};

G_DEFINE_FINAL_TYPE (GwTileWatch, gw_tile_watch, SHUMATE_TYPE_DATA_SOURCE)

static void
watch_report (GwTileWatch *self, int x, int y, int z, const GError *error)
{
  g_autoptr(GObject) owner = g_weak_ref_get (&self->owner);

  /* Tiles beyond what an MBTiles file holds are not failures: there is just no map. */
  if (error != NULL && GW_IS_MBTILES_SOURCE (self->inner) &&
      !gw_mbtiles_source_covers (GW_MBTILES_SOURCE (self->inner), x, y, z))
    return;
  if (owner != NULL)
    self->report (owner, self->serial, x, y, z, error);
}

static void
inner_received_data_cb (GwTileWatch *self, int x, int y, int z, GBytes *bytes,
                        ShumateDataSource *inner)
{
  if (gw_tile_bytes_look_like_image (bytes))
    g_signal_emit_by_name (self, "received-data", x, y, z, bytes);
}

typedef struct {
  int x, y, z;
} TileKey;

static void
inner_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GwTileWatch *self = g_task_get_source_object (task);
  TileKey *key = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &error);
  if (bytes != NULL && !gw_tile_bytes_look_like_image (bytes))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      g_set_error (&error, GW_MBTILES_ERROR, GW_MBTILES_ERROR_BAD_TILE,
                   _("Tile %d/%d/%d is not an image"), key->z, key->x, key->y);
    }

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        watch_report (self, key->x, key->y, key->z, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  watch_report (self, key->x, key->y, key->z, NULL);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
gw_tile_watch_get_tile_data_async (ShumateDataSource   *source,
                                   int                  x,
                                   int                  y,
                                   int                  zoom_level,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GwTileWatch *self = GW_TILE_WATCH (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TileKey *key = g_new (TileKey, 1);

  *key = (TileKey) { x, y, zoom_level };
  g_task_set_task_data (task, key, g_free);
  shumate_data_source_get_tile_data_async (self->inner, x, y, zoom_level, cancellable,
                                           inner_done_cb, task);
}

static GBytes *
gw_tile_watch_get_tile_data_finish (ShumateDataSource  *source,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
gw_tile_watch_finalize (GObject *object)
{
  GwTileWatch *self = GW_TILE_WATCH (object);

  if (self->inner != NULL)
    g_signal_handlers_disconnect_by_data (self->inner, self);
  g_clear_object (&self->inner);
  g_weak_ref_clear (&self->owner);
  G_OBJECT_CLASS (gw_tile_watch_parent_class)->finalize (object);
}

static void
gw_tile_watch_class_init (GwTileWatchClass *klass)
{
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = gw_tile_watch_finalize;
  source_class->get_tile_data_async = gw_tile_watch_get_tile_data_async;
  source_class->get_tile_data_finish = gw_tile_watch_get_tile_data_finish;
}

static void
gw_tile_watch_init (GwTileWatch *self)
{
  g_weak_ref_init (&self->owner, NULL);
}

static GwTileWatch *
gw_tile_watch_new (ShumateDataSource *inner, gpointer owner, guint serial, TileReportFunc report)
{
  GwTileWatch *self = g_object_new (GW_TYPE_TILE_WATCH, NULL);

  self->inner = g_object_ref (inner);
  self->report = report;
  self->serial = serial;
  g_weak_ref_set (&self->owner, owner);
  g_signal_connect_object (inner, "received-data", G_CALLBACK (inner_received_data_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

/* GwBasemap */

struct _GwBasemap {
  GObject            parent_instance;

  ShumateMap        *map;          /* weak: the map owns us through its view */
  GSettings         *settings;
  gulong             changed_id;
  guint              apply_id;
  GCancellable      *cancellable;  /* opening an MBTiles file */

  ShumateMapLayer   *layer;
  ShumateMapSource  *renderer;
  GwTileCoordinates  coordinates;
  guint              serial;       /* bumped on every change of source */

  GHashTable        *failed;       /* "z/x/y" of tiles that failed and have not loaded */
  guint              n_loaded;
  char              *notice_text;
  GtkWidget         *notice;       /* box: notice label over the attribution */
  GtkWidget         *notice_label;
  GtkWidget         *attribution;
};

G_DEFINE_FINAL_TYPE (GwBasemap, gw_basemap, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COORDINATES,
  PROP_NOTICE_TEXT,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_notice (GwBasemap *self, const char *text, const char *detail)
{
  if (g_strcmp0 (self->notice_text, text) == 0)
    return;
  g_free (self->notice_text);
  self->notice_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->notice_label), text ? text : "");
  gtk_widget_set_tooltip_text (self->notice_label, detail);
  gtk_widget_set_visible (self->notice_label, text != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTICE_TEXT]);
}

static void
set_attribution (GwBasemap *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->attribution), text ? text : "");
  gtk_widget_set_visible (self->attribution, text != NULL && *text != '\0');
}

static const char *
failure_text (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, SHUMATE_TILE_DOWNLOADER_ERROR,
                       SHUMATE_TILE_DOWNLOADER_ERROR_BAD_RESPONSE))
    return _("Map tiles unavailable — some tiles are missing");
  if (error->domain == GW_MBTILES_ERROR)
    return _("Map tiles unavailable — damaged tiles");
  return _("Map tiles unavailable — cannot reach the tile server");
}

static void
tile_report (gpointer owner, guint serial, int x, int y, int z, const GError *error)
{
  GwBasemap *self = owner;
  g_autofree char *key = NULL;

  /* Late answers for a source the settings have since replaced say nothing now. */
  if (serial != self->serial)
    return;
  key = g_strdup_printf ("%d/%d/%d", z, x, y);

  if (error != NULL)
    {
      g_hash_table_add (self->failed, g_steal_pointer (&key));
      set_notice (self, failure_text (error), error->message);
      return;
    }
  self->n_loaded++;
  g_hash_table_remove (self->failed, key);
  if (g_hash_table_size (self->failed) == 0)
    set_notice (self, NULL, NULL);
}

/* Failed tiles of zooms far from the view's are no longer on screen: forget them. */
static void
zoom_changed_cb (GwBasemap *self, GParamSpec *pspec, ShumateViewport *viewport)
{
  double zoom = shumate_viewport_get_zoom_level (viewport);
  GHashTableIter iter;
  const char *key;

  if (g_hash_table_size (self->failed) == 0)
    return;
  g_hash_table_iter_init (&iter, self->failed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (fabs (g_ascii_strtod (key, NULL) - zoom) >= 1.0)
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (self->failed) == 0)
    set_notice (self, NULL, NULL);
}

static void
remove_layer (GwBasemap *self)
{
  gboolean was_active = self->layer != NULL;

  if (self->layer != NULL && self->map != NULL)
    shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->layer));
  g_clear_object (&self->layer);
  g_clear_object (&self->renderer);
  if (was_active)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
install_source (GwBasemap          *self,
                ShumateDataSource  *data,
                const char         *id,
                const char         *name,
                const char         *license,
                guint               min_zoom,
                guint               max_zoom)
{
  g_autoptr(GwTileWatch) watch = gw_tile_watch_new (data, self, self->serial, tile_report);
  ShumateViewport *viewport;

  if (self->map == NULL)
    return;
  viewport = shumate_map_get_viewport (self->map);
  self->renderer = SHUMATE_MAP_SOURCE (
    shumate_raster_renderer_new_full (id, name, license ? license : "", "",
                                      min_zoom, MAX (min_zoom, max_zoom), TILE_SIZE,
                                      SHUMATE_MAP_PROJECTION_MERCATOR,
                                      SHUMATE_DATA_SOURCE (watch)));
  self->layer = g_object_ref_sink (shumate_map_layer_new (self->renderer, viewport));
  /* Above no sibling means first: under the cells and pins. */
  shumate_map_insert_layer_above (self->map, SHUMATE_LAYER (self->layer), NULL);
  set_attribution (self, license);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
mbtiles_opened_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GwBasemap) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = gw_mbtiles_source_new_finish (result, &error);

  if (source == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Map tiles unavailable — %s"), error->message);
          set_notice (self, text, error->message);
        }
      return;
    }
  install_source (self, SHUMATE_DATA_SOURCE (source), "gridwatch-mbtiles",
                  gw_mbtiles_source_get_name (source),
                  gw_mbtiles_source_get_attribution (source),
                  gw_mbtiles_source_get_min_zoom (source),
                  gw_mbtiles_source_get_max_zoom (source));
}

char *
gw_basemap_find_demo (void)
{
  g_autofree char *built = g_build_filename (GW_BASEMAP_BUILDDIR, "demo-basemap.mbtiles", NULL);
  g_autofree char *installed = g_build_filename (GW_PKGDATADIR, "demo-basemap.mbtiles", NULL);

  if (g_file_test (built, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&built);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  return NULL;
}

static void
open_mbtiles (GwBasemap *self, const char *path)
{
  self->cancellable = g_cancellable_new ();
  gw_mbtiles_source_new_async (path, self->cancellable, mbtiles_opened_cb, g_object_ref (self));
}

static void
apply (GwBasemap *self)
{
  g_autofree char *kind = g_settings_get_string (self->settings, "basemap");
  GwTileCoordinates coordinates = GW_TILE_COORDINATES_WGS84;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  remove_layer (self);
  g_hash_table_remove_all (self->failed);
  self->n_loaded = 0;
  self->serial++;
  set_notice (self, NULL, NULL);
  set_attribution (self, NULL);

  if (g_str_equal (kind, "demo"))
    {
      g_autofree char *path = gw_basemap_find_demo ();
      if (path != NULL)
        open_mbtiles (self, path);
      else
        set_notice (self, _("Map tiles unavailable — the demo basemap is not installed"), NULL);
    }
  else if (g_str_equal (kind, "mbtiles"))
    {
      g_autofree char *path = g_settings_get_string (self->settings, "mbtiles-path");
      if (*path != '\0')
        open_mbtiles (self, path);
      else
        set_notice (self, _("Map tiles unavailable — no MBTiles file is chosen"), NULL);
    }
  else if (g_str_equal (kind, "xyz"))
    {
      g_autofree char *url = g_settings_get_string (self->settings, "xyz-url");
      g_autofree char *attribution = g_settings_get_string (self->settings, "xyz-attribution");

      if (*url != '\0')
        {
          g_autoptr(ShumateTileDownloader) downloader = shumate_tile_downloader_new (url);
          install_source (self, SHUMATE_DATA_SOURCE (downloader), "gridwatch-xyz", url,
                          attribution,
                          g_settings_get_uint (self->settings, "xyz-min-zoom"),
                          g_settings_get_uint (self->settings, "xyz-max-zoom"));
        }
      else
        set_notice (self, _("Map tiles unavailable — no tile server is set"), NULL);
    }

  /* The bundled map is drawn from WGS-84 data; other tiles are what the setting says. */
  if (g_str_equal (kind, "xyz") || g_str_equal (kind, "mbtiles"))
    coordinates = g_settings_get_enum (self->settings, "tile-coordinates");
  if (coordinates != self->coordinates)
    {
      self->coordinates = coordinates;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COORDINATES]);
    }
}

static gboolean
apply_idle_cb (gpointer user_data)
{
  GwBasemap *self = user_data;

  self->apply_id = 0;
  apply (self);
  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (GwBasemap *self, const char *key, GSettings *settings)
{
  static const char *const keys[] = {
    "basemap", "xyz-url", "xyz-attribution", "xyz-min-zoom", "xyz-max-zoom",
    "mbtiles-path", "tile-coordinates", NULL,
  };

  if (!g_strv_contains (keys, key) || self->apply_id != 0)
    return;
  /* Several keys often change together: apply them once. */
  self->apply_id = g_idle_add (apply_idle_cb, self);
}

/* Accessors */

GtkWidget *
gw_basemap_get_notice (GwBasemap *self)
{
  g_return_val_if_fail (GW_IS_BASEMAP (self), NULL);
  return self->notice;
}

const char *
gw_basemap_get_notice_text (GwBasemap *self)
{
  g_return_val_if_fail (GW_IS_BASEMAP (self), NULL);
  return self->notice_text;
}

GwTileCoordinates
gw_basemap_get_coordinates (GwBasemap *self)
{
  g_return_val_if_fail (GW_IS_BASEMAP (self), GW_TILE_COORDINATES_WGS84);
  return self->coordinates;
}

ShumateMapLayer *
gw_basemap_get_layer (GwBasemap *self)
{
  g_return_val_if_fail (GW_IS_BASEMAP (self), NULL);
  return self->layer;
}

guint
gw_basemap_get_n_loaded (GwBasemap *self)
{
  g_return_val_if_fail (GW_IS_BASEMAP (self), 0);
  return self->n_loaded;
}

/* GObject */

static void
gw_basemap_dispose (GObject *object)
{
  GwBasemap *self = GW_BASEMAP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->apply_id, g_source_remove);
  if (self->settings != NULL)
    g_clear_signal_handler (&self->changed_id, self->settings);
  remove_layer (self);
  if (self->map != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->map), (gpointer *) &self->map);
  self->map = NULL;
  g_clear_object (&self->settings);
  g_clear_object (&self->notice);

  G_OBJECT_CLASS (gw_basemap_parent_class)->dispose (object);
}

static void
gw_basemap_finalize (GObject *object)
{
  GwBasemap *self = GW_BASEMAP (object);

  g_hash_table_unref (self->failed);
  g_free (self->notice_text);
  G_OBJECT_CLASS (gw_basemap_parent_class)->finalize (object);
}

static void
gw_basemap_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GwBasemap *self = GW_BASEMAP (object);

  switch (prop_id)
    {
    case PROP_COORDINATES:
      g_value_set_enum (value, self->coordinates);
      break;

    case PROP_NOTICE_TEXT:
      g_value_set_string (value, self->notice_text);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, self->layer != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_basemap_class_init (GwBasemapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gw_basemap_dispose;
  object_class->finalize = gw_basemap_finalize;
  object_class->get_property = gw_basemap_get_property;

  properties[PROP_COORDINATES] =
    g_param_spec_enum ("coordinates", NULL, NULL,
                       GW_TYPE_TILE_COORDINATES, GW_TILE_COORDINATES_WGS84,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTICE_TEXT] =
    g_param_spec_string ("notice-text", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A tile layer is on the map (it may still be loading). */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_basemap_init (GwBasemap *self)
{
  self->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Bottom right, small and see-through: the wall keeps working without tiles. */
  self->notice = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  gtk_widget_set_halign (self->notice, GTK_ALIGN_END);
  gtk_widget_set_valign (self->notice, GTK_ALIGN_END);
  gtk_widget_set_margin_end (self->notice, 12);
  gtk_widget_set_margin_bottom (self->notice, 12);
  gtk_widget_set_can_target (self->notice, FALSE);
  gtk_widget_add_css_class (self->notice, "gw-basemap-notice");

  self->notice_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->notice_label, "caption");
  gtk_widget_add_css_class (self->notice_label, "osd");
  gtk_widget_set_halign (self->notice_label, GTK_ALIGN_END);
  gtk_widget_set_visible (self->notice_label, FALSE);
  gtk_box_append (GTK_BOX (self->notice), self->notice_label);

  self->attribution = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->attribution, "caption");
  gtk_widget_add_css_class (self->attribution, "dim-label");
  gtk_widget_set_halign (self->attribution, GTK_ALIGN_END);
  gtk_widget_set_visible (self->attribution, FALSE);
  gtk_box_append (GTK_BOX (self->notice), self->attribution);
}

GwBasemap *
gw_basemap_new (ShumateMap *map, GSettings *settings)
{
  GwBasemap *self;

  g_return_val_if_fail (SHUMATE_IS_MAP (map), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GW_TYPE_BASEMAP, NULL);
  self->map = map;
  g_object_add_weak_pointer (G_OBJECT (map), (gpointer *) &self->map);
  self->settings = g_object_ref (settings);
  self->changed_id = g_signal_connect_object (settings, "changed",
                                              G_CALLBACK (settings_changed_cb), self,
                                              G_CONNECT_SWAPPED);
  g_signal_connect_object (shumate_map_get_viewport (map), "notify::zoom-level",
                           G_CALLBACK (zoom_changed_cb), self, G_CONNECT_SWAPPED);
  apply (self);
  return self;
}
