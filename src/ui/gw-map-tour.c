/* gw-map-tour.c — the wall map's tour of the cells with late cases */

#include "config.h"

#include <string.h>

#include "gw-geo.h"
#include "gw-map-tour.h"

/* The tour keeps this many pixels around a late cell. */
#define TOUR_PADDING  96.0
#define TILE_SIZE     256

struct _GwMapTour {
  GObject    parent_instance;

  GwMapView *map;     /* weak */
  GwStore   *store;
  char      *cell;    /* the late cell shown, NULL: the street */
  guint      timer_id;
};

G_DEFINE_FINAL_TYPE (GwMapTour, gw_map_tour, G_TYPE_OBJECT)

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Zooms the map to @cell's bounds, animated as a person's move would be. */
static void
zoom_to_cell (GwMapTour *self,
              GwCell    *cell)
{
  ShumateMap *map = gw_map_view_get_map (self->map);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  int width = gtk_widget_get_width (GTK_WIDGET (map)), height = gtk_widget_get_height (GTK_WIDGET (map));
  double min_lon, min_lat, max_lon, max_lat, x, y, zoom, cx, cy, lon, lat;
  GwBBox box;

  if (width <= 0 || height <= 0)
    return;
  gw_cell_get_bounds (cell, &min_lon, &min_lat, &max_lon, &max_lat);
  gw_bbox_init_empty (&box);
  gw_geo_project (min_lon, min_lat, &x, &y);
  gw_bbox_add_point (&box, x, y);
  gw_geo_project (max_lon, max_lat, &x, &y);
  gw_bbox_add_point (&box, x, y);
  gw_geo_fit_bbox (&box, width, height, TILE_SIZE, TOUR_PADDING, 0, 0, 0, 0, &zoom, &cx, &cy);
  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  gw_geo_unproject (cx, cy, &lon, &lat);
  shumate_map_go_to_full (map, lat, lon, zoom);
}

/* Back to the whole street, following it again. */
static void
tour_end (GwMapTour *self)
{
  if (self->cell == NULL)
    return;
  g_clear_pointer (&self->cell, g_free);
  if (self->map != NULL)
    gw_map_view_resume_auto_fit (self->map);
}

/* One step: the next late cell by code after the one shown; after the last, the whole
 * street for one step; with none late, the street until some are. */
void
gw_map_tour_step (GwMapTour *self)
{
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *next = NULL;
  GwCell *cell;

  g_return_if_fail (GW_IS_MAP_TOUR (self));

  if (self->map == NULL)
    return;
  late = gw_store_list_late (self->store, g_get_real_time ());
  for (guint i = 0; i < late->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (late, i);

      if (incident->cell_code != NULL &&
          gw_store_lookup_cell (self->store, incident->cell_code) != NULL &&
          g_hash_table_add (seen, incident->cell_code))
        g_ptr_array_add (codes, incident->cell_code);
    }
  g_ptr_array_sort (codes, compare_codes);
  for (guint i = 0; i < codes->len && next == NULL; i++)
    if (self->cell == NULL || strcmp (g_ptr_array_index (codes, i), self->cell) > 0)
      next = g_ptr_array_index (codes, i);

  if (next == NULL || (cell = gw_store_lookup_cell (self->store, next)) == NULL)
    {
      tour_end (self);
      return;
    }
  g_free (self->cell);
  self->cell = g_strdup (next);
  zoom_to_cell (self, cell);
}

const char *
gw_map_tour_get_cell (GwMapTour *self)
{
  g_return_val_if_fail (GW_IS_MAP_TOUR (self), NULL);

  return self->cell;
}

static gboolean
timer_cb (gpointer user_data)
{
  gw_map_tour_step (user_data);
  return G_SOURCE_CONTINUE;
}

void
gw_map_tour_set_running (GwMapTour *self,
                         gboolean   running,
                         guint      interval_seconds)
{
  g_return_if_fail (GW_IS_MAP_TOUR (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (running)
    self->timer_id = g_timeout_add_seconds (MAX (interval_seconds, 1), timer_cb, self);
  else
    tour_end (self);
}

gboolean
gw_map_tour_get_running (GwMapTour *self)
{
  g_return_val_if_fail (GW_IS_MAP_TOUR (self), FALSE);

  return self->timer_id != 0;
}

GwMapTour *
gw_map_tour_new (GwMapView *map,
                 GwStore   *store)
{
  GwMapTour *self;

  g_return_val_if_fail (GW_IS_MAP_VIEW (map), NULL);
  g_return_val_if_fail (GW_IS_STORE (store), NULL);

  self = g_object_new (GW_TYPE_MAP_TOUR, NULL);
  self->map = map;
  g_object_add_weak_pointer (G_OBJECT (map), (gpointer *) &self->map);
  self->store = g_object_ref (store);
  return self;
}

static void
gw_map_tour_dispose (GObject *object)
{
  GwMapTour *self = GW_MAP_TOUR (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->map != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->map), (gpointer *) &self->map);
  self->map = NULL;
  g_clear_object (&self->store);
  g_clear_pointer (&self->cell, g_free);

  G_OBJECT_CLASS (gw_map_tour_parent_class)->dispose (object);
}

static void
gw_map_tour_class_init (GwMapTourClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gw_map_tour_dispose;
}

static void
gw_map_tour_init (GwMapTour *self)
{
}
