/* gw-map-view.c — the wall's map: grid cells, live incident pins, cards
 *
 * View behaviour for a wall nobody touches: the first data fits the street; while the
 * view is not locked it refits when the widget is resized or the street's cells
 * change; data refreshes never move it. Any viewport change that did not come from
 * here (drag, scroll, pinch, double click, keys) locks it and shows "Resume auto-fit".
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-basemap.h"
#include "gw-cell-card.h"
#include "gw-geo.h"
#include "gw-incident-card.h"
#include "gw-map-controls.h"
#include "gw-map-legend.h"
#include "gw-map-view.h"
#include "gw-replay-pins.h"
#include "gw-settings.h"

#define TILE_SIZE        256
#define FIT_PADDING      32.0
#define PAN_FRACTION     0.2
#define STATS_REFRESH_S  30
#define LOADING_RECOUNT_MS 2000
#define CLUSTER_ZOOM_IN  2.0
#define FIT_SWITCH_GAIN  0.1   /* zoom levels */

/* A map source that has no tiles: the viewport needs one for its projection. */
#define GW_TYPE_BLANK_SOURCE (gw_blank_source_get_type ())
G_DECLARE_FINAL_TYPE (GwBlankSource, gw_blank_source, GW, BLANK_SOURCE, ShumateMapSource)

struct _GwBlankSource {
  ShumateMapSource parent_instance;
};

G_DEFINE_FINAL_TYPE (GwBlankSource, gw_blank_source, SHUMATE_TYPE_MAP_SOURCE)

static void
gw_blank_source_fill_tile_async (ShumateMapSource    *source,
                                 ShumateTile         *tile,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "No basemap tiles");
}

static gboolean
gw_blank_source_fill_tile_finish (ShumateMapSource  *source,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
gw_blank_source_class_init (GwBlankSourceClass *klass)
{
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  source_class->fill_tile_async = gw_blank_source_fill_tile_async;
  source_class->fill_tile_finish = gw_blank_source_fill_tile_finish;
}

static void
gw_blank_source_init (GwBlankSource *self)
{
}

struct _GwMapView {
  GtkWidget         parent_instance;

  /* Template */
  GtkOverlay       *overlay;
  ShumateMap       *map;
  GwMapControls    *controls;
  GwMapLegend      *legend;
  GwIncidentCard   *incident_card;
  GwCellCard       *cell_card;

  ShumateViewport  *viewport;
  ShumateMapSource *source;
  GwCellLayer      *cell_layer;
  GwHeatLayer      *heat_layer;
  GwIncidentLayer  *incident_layer;
  GwBasemap        *basemap;

  GSettings        *settings;
  GwMapTimeWindow   time_window;
  gboolean          heat_map;

  GwStore          *store;
  gulong            changed_id;
  gulong            reference_id;
  guint             stats_idle_id;
  guint             stats_timer_id;
  GwReplayPins     *replay_pins;    /* drives the pins while a replay is not live */

  guint             programmatic;   /* > 0 while we move the viewport ourselves */
  gboolean          locked;
  gboolean          fitted;
  int               fit_width, fit_height;
};

G_DEFINE_FINAL_TYPE (GwMapView, gw_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOCKED,
  N_PROPS
};

enum {
  INCIDENT_ACTIVATED,
  CELL_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void apply_time_window (GwMapView *self);

/* Viewport */

static void
set_view (GwMapView *self, double zoom, double lat, double lon)
{
  self->programmatic++;
  shumate_map_stop_go_to (self->map);
  shumate_viewport_set_zoom_level (self->viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (self->viewport), lat, lon);
  self->programmatic--;
}

static gboolean
street_bounds (GwMapView *self, GwBBox *box)
{
  if (gw_cell_layer_get_bounds (self->cell_layer, box))
    return TRUE;

  /* No cells yet: the incidents' extent stands in. */
  gw_bbox_init_empty (box);
  if (self->store != NULL)
    {
      g_autoptr(GPtrArray) all = gw_store_list (self->store);
      for (guint i = 0; i < all->len; i++)
        {
          const GwIncident *incident = g_ptr_array_index (all, i);
          double x, y;
          gw_tile_coordinates_project (gw_basemap_get_coordinates (self->basemap),
                                       incident->lon, incident->lat, &x, &y);
          gw_bbox_add_point (box, x, y);
        }
    }
  return !gw_bbox_is_empty (box);
}

/* The corner an overlay takes, with its margins: the fit keeps the street out of it. */
static void
overlay_footprint (GtkWidget *overlay, double *width, double *height)
{
  int w = 0, h = 0;

  *width = *height = 0;
  if (!gtk_widget_get_visible (overlay))
    return;
  gtk_widget_measure (overlay, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
  gtk_widget_measure (overlay, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
  *width = w + gtk_widget_get_margin_start (overlay) + gtk_widget_get_margin_end (overlay);
  *height = h + gtk_widget_get_margin_top (overlay) + gtk_widget_get_margin_bottom (overlay);
}

/* The corner the bar of controls takes: how wide it asks to be (the resume button
 * counts only while shown) and how far down it is drawn once laid out (its CSS box can
 * differ from what it asks for), else how tall it asks to be. */
static void
controls_footprint (GwMapView *self, double *width, double *height)
{
  GtkWidget *controls = GTK_WIDGET (self->controls);
  graphene_rect_t bounds;

  overlay_footprint (controls, width, height);
  if (gtk_widget_get_visible (controls) && gtk_widget_get_height (controls) > 0 &&
      gtk_widget_compute_bounds (controls, GTK_WIDGET (self->map), &bounds))
    *height = bounds.origin.y + bounds.size.height;
}

static gboolean
fit_to_street (GwMapView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->map));
  int height = gtk_widget_get_height (GTK_WIDGET (self->map));
  double zoom = -G_MAXDOUBLE, lat, lon, cx = 0, cy = 0, lw, lh, tw, th;
  GwBBox box;

  if (width <= 0 || height <= 0 || !street_bounds (self, &box))
    return FALSE;

  /* Overlays must never hide data: keep the street out of either the strip along the
   * bottom or the one along the left that holds the legend, and out of either the strip
   * along the top or the one along the right that holds the controls; whichever pair
   * costs least zoom, preferring the bottom and top strips unless another pair gains
   * clearly (so the fit does not flip as the legend's numbers change width). */
  overlay_footprint (GTK_WIDGET (self->legend), &lw, &lh);
  controls_footprint (self, &tw, &th);
  for (guint i = 0; i < 4; i++)
    {
      gboolean legend_left = i & 1, controls_right = i >> 1;
      double z, x, y;

      gw_geo_fit_bbox (&box, width, height, TILE_SIZE, FIT_PADDING,
                       legend_left ? lw : 0, controls_right ? 0 : th,
                       controls_right ? tw : 0, legend_left ? 0 : lh, &z, &x, &y);
      if (z > zoom + (i > 0 ? FIT_SWITCH_GAIN : 0))
        {
          zoom = z;
          cx = x;
          cy = y;
        }
    }
  if (zoom < shumate_viewport_get_min_zoom_level (self->viewport) ||
      zoom > shumate_viewport_get_max_zoom_level (self->viewport))
    {
      /* Clamped: the street no longer fills the free part; centre it in the view. */
      zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (self->viewport),
                    shumate_viewport_get_max_zoom_level (self->viewport));
      cx = (box.x0 + box.x1) / 2;
      cy = (box.y0 + box.y1) / 2;
    }
  gw_geo_unproject (cx, cy, &lon, &lat);
  set_view (self, zoom, lat, lon);

  self->fitted = TRUE;
  self->fit_width = width;
  self->fit_height = height;
  return TRUE;
}

static void
set_locked (GwMapView *self, gboolean locked)
{
  if (self->locked == locked)
    return;
  self->locked = locked;
  gw_map_controls_set_can_resume (self->controls, locked);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static void
viewport_changed_cb (GwMapView *self, GParamSpec *pspec, ShumateViewport *viewport)
{
  if (self->programmatic == 0 && self->fitted)
    set_locked (self, TRUE);
}

void
gw_map_view_resume_auto_fit (GwMapView *self)
{
  g_return_if_fail (GW_IS_MAP_VIEW (self));

  /* Unlocked first: the fit leaves room for the bar without the resume button. */
  set_locked (self, FALSE);
  fit_to_street (self);
}

static void
zoom_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GwMapView *self = GW_MAP_VIEW (widget);

  if (g_str_equal (action_name, "map.zoom-in"))
    shumate_map_zoom_in (self->map);
  else
    shumate_map_zoom_out (self->map);
}

static void
pan_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GwMapView *self = GW_MAP_VIEW (widget);
  double zoom = shumate_viewport_get_zoom_level (self->viewport);
  double scale = TILE_SIZE * exp2 (zoom);
  int dx = 0, dy = 0;
  double x, y, lat, lon;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  gw_geo_project (shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport)),
                  shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport)),
                  &x, &y);
  x += dx * PAN_FRACTION * gtk_widget_get_width (widget) / scale;
  y += dy * PAN_FRACTION * gtk_widget_get_height (widget) / scale;
  gw_geo_unproject (CLAMP (x, 0, 1), CLAMP (y, 0, 1), &lon, &lat);
  /* A key press is a manual move: the viewport notification locks the view. */
  shumate_map_center_on (self->map, lat, lon);
}

static void
home_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gw_map_view_resume_auto_fit (GW_MAP_VIEW (widget));
}

/* Cards */

static void
point_popover_at (GwMapView *self, GtkPopover *popover, double x, double y)
{
  double mx = x, my = y;
  graphene_point_t p;

  /* Layer coordinates are the map's; the popover's parent is the view. */
  if (gtk_widget_compute_point (GTK_WIDGET (self->map), GTK_WIDGET (self),
                                &GRAPHENE_POINT_INIT (x, y), &p))
    {
      mx = p.x;
      my = p.y;
    }
  gtk_popover_set_pointing_to (popover, &(GdkRectangle) { (int) mx - 4, (int) my - 4, 8, 8 });
}

void
gw_map_view_show_incident (GwMapView *self, GwIncident *incident)
{
  double x, y;

  g_return_if_fail (GW_IS_MAP_VIEW (self));
  g_return_if_fail (incident != NULL);

  gtk_popover_popdown (GTK_POPOVER (self->cell_card));
  gw_incident_card_set_incident (self->incident_card, incident, self->store);

  gw_incident_layer_set_selected (self->incident_layer, incident->id);
  if (gw_incident_layer_get_pin_position (self->incident_layer, incident->id, &x, &y))
    point_popover_at (self, GTK_POPOVER (self->incident_card), x, y);
  gtk_popover_popup (GTK_POPOVER (self->incident_card));
}

static void
incident_popover_closed_cb (GwMapView *self, GtkPopover *popover)
{
  gw_incident_layer_set_selected (self->incident_layer, NULL);
}

void
gw_map_view_show_cell (GwMapView *self, GwCell *cell)
{
  double lon, lat, x, y;

  g_return_if_fail (GW_IS_MAP_VIEW (self));
  g_return_if_fail (cell != NULL);

  gtk_popover_popdown (GTK_POPOVER (self->incident_card));
  gw_cell_card_set_cell (self->cell_card, cell, gw_cell_layer_get_stats (self->cell_layer, cell->code));

  gw_cell_get_centroid (cell, &lon, &lat);
  /* Where the cell is drawn: shifted when the basemap tiles are GCJ-02. */
  gw_tile_coordinates_project (gw_basemap_get_coordinates (self->basemap), lon, lat, &x, &y);
  gw_geo_unproject (x, y, &lon, &lat);
  shumate_viewport_location_to_widget_coords (self->viewport, GTK_WIDGET (self->map),
                                              lat, lon, &x, &y);
  point_popover_at (self, GTK_POPOVER (self->cell_card), x, y);
  gtk_popover_popup (GTK_POPOVER (self->cell_card));
}

static void
incident_activated_cb (GwMapView *self, GwIncident *incident, GwIncidentLayer *layer)
{
  g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, incident);
}

static void
cluster_activated_cb (GwMapView *self, double lat, double lon, guint count, GwIncidentLayer *layer)
{
  double zoom = shumate_viewport_get_zoom_level (self->viewport);

  /* Open a cluster by zooming in on it; a manual move, so it locks the view. */
  shumate_map_go_to_full (self->map, lat, lon,
                          MIN (zoom + CLUSTER_ZOOM_IN,
                               shumate_viewport_get_max_zoom_level (self->viewport)));
}

static void
cell_activated_cb (GwMapView *self, GwCell *cell, GwCellLayer *layer)
{
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, cell);
}

static void
gw_map_view_real_incident_activated (GwMapView *self, GwIncident *incident)
{
  gw_map_view_show_incident (self, incident);
}

static void
gw_map_view_real_cell_activated (GwMapView *self, GwCell *cell)
{
  gw_map_view_show_cell (self, cell);
}

static void
click_released_cb (GwMapView       *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *gesture)
{
  if (n_press != 1)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (!self->heat_map && gw_incident_layer_activate_at (self->incident_layer, x, y))
    return;
  gw_cell_layer_activate_at (self->cell_layer, x, y);
}

static void
motion_cb (GwMapView *self, double x, double y, GtkEventControllerMotion *controller)
{
  gboolean on_pin = !self->heat_map && gw_incident_layer_pick (self->incident_layer, x, y, NULL);
  GwCell *cell = gw_cell_layer_hover_at (self->cell_layer, on_pin ? -1 : x, on_pin ? -1 : y);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map),
                                   on_pin || cell != NULL ? "pointer" : "grab");
}

static void
leave_cb (GwMapView *self, GtkEventControllerMotion *controller)
{
  gw_cell_layer_hover_at (self->cell_layer, -1, -1);
}

/* Store */

typedef struct {
  GHashTable *stats;   /* cell code → GwCellStats */
  GwTime      now;
  GwTime      day_start;
} Recount;

static void
recount_cb (gpointer data,
            gpointer user_data)
{
  const GwIncident *incident = data;
  Recount *r = user_data;
  GwCellStats *s;

  gboolean open = gw_incident_is_open (incident);

  /* Most cases are long closed and count nowhere: skip them before the lookup. */
  if (incident->cell_code == NULL ||
      (!open && incident->received_at < r->day_start && incident->closed_at < r->day_start))
    return;
  s = g_hash_table_lookup (r->stats, incident->cell_code);
  if (s == NULL)
    {
      s = g_new0 (GwCellStats, 1);
      g_hash_table_insert (r->stats, incident->cell_code, s);
    }
  if (open)
    {
      s->open++;
      if (incident->deadline != GW_TIME_NONE && r->now > incident->deadline)
        s->late++;
    }
  if (incident->received_at >= r->day_start)
    s->received_today++;
  if (incident->closed_at != GW_TIME_NONE && incident->closed_at >= r->day_start)
    s->closed_today++;
}

static gboolean
recount_stats (gpointer user_data)
{
  GwMapView *self = user_data;
  g_autoptr(GHashTable) stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GHashTable *replayed;
  GwTime now = gw_time_now ();
  Recount r = { stats, now, gw_time_local_day_start (now) };

  self->stats_idle_id = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;
  /* While replaying, the cells are coloured as they stood at the replay's time. */
  if ((replayed = gw_replay_pins_count_cells (self->replay_pins)) != NULL)
    {
      gw_cell_layer_set_stats (self->cell_layer, replayed);
      g_hash_table_unref (replayed);
      return G_SOURCE_REMOVE;
    }
  /* The cell codes are the stored incidents': the table lives no longer than this. */
  gw_store_foreach (self->store, recount_cb, &r);
  gw_cell_layer_set_stats (self->cell_layer, stats);
  return G_SOURCE_REMOVE;
}

static gboolean
stats_timer_cb (gpointer user_data)
{
  GwMapView *self = user_data;

  recount_stats (self);
  /* The last hours slide: cases leave the window as time passes. */
  if (self->time_window != GW_MAP_TIME_WINDOW_OPEN)
    apply_time_window (self);
  return G_SOURCE_CONTINUE;
}

/* The recount reads every case: while a snapshot loads page by page it runs every
 * couple of seconds, not after each page. */
static void
queue_recount (GwMapView *self,
               gboolean   loading)
{
  if (self->stats_idle_id != 0)
    return;
  if (loading)
    self->stats_idle_id = g_timeout_add_full (G_PRIORITY_LOW, LOADING_RECOUNT_MS, recount_stats,
                                              self, NULL);
  else
    self->stats_idle_id = g_idle_add_full (G_PRIORITY_LOW, recount_stats, self, NULL);
}

/* Time window: the wall shows what is open, or what happened lately; the history is
 * for the desk. */

/* Where @window starts at @now; GW_TIME_NONE for open cases only. */
static GwTime
window_start (GwMapTimeWindow window, GwTime now)
{
  switch (window)
    {
    case GW_MAP_TIME_WINDOW_1H:
      return now - GW_USEC_PER_HOUR;
    case GW_MAP_TIME_WINDOW_6H:
      return now - 6 * GW_USEC_PER_HOUR;
    case GW_MAP_TIME_WINDOW_24H:
      return now - 24 * GW_USEC_PER_HOUR;
    case GW_MAP_TIME_WINDOW_TODAY:
      return gw_time_local_day_start (now);
    case GW_MAP_TIME_WINDOW_OPEN:
    default:
      return GW_TIME_NONE;
    }
}

/* Open cases; or, for a window from @since, every case received, updated or closed in
 * it, open or not. */
static gboolean
is_shown (const GwIncident *incident,
          GwTime            since)
{
  if (since == GW_TIME_NONE)
    return gw_incident_is_open (incident);
  return incident->received_at >= since || incident->updated_at >= since ||
         (incident->closed_at != GW_TIME_NONE && incident->closed_at >= since);
}

/* The shown ones of @incidents; the others go to @hidden when it is not NULL. */
static GPtrArray *
shown_only (GwMapView *self,
            GPtrArray *incidents,
            GPtrArray *hidden)
{
  GPtrArray *out = g_ptr_array_new ();
  GwTime since = window_start (self->time_window, gw_time_now ());

  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);

      if (is_shown (incident, since))
        g_ptr_array_add (out, incident);
      else if (hidden != NULL)
        g_ptr_array_add (hidden, incident);
    }
  return out;
}

/* Pins and heat map show the same cases. */
static void
layers_upsert (GwMapView *self, GPtrArray *incidents, gboolean animate)
{
  gw_incident_layer_upsert (self->incident_layer, incidents, animate);
  gw_heat_layer_upsert (self->heat_layer, incidents);
}

static void
layers_remove (GwMapView *self, GPtrArray *incidents)
{
  gw_incident_layer_remove (self->incident_layer, incidents);
  gw_heat_layer_remove (self->heat_layer, incidents);
}

static void
layers_clear (GwMapView *self)
{
  gw_incident_layer_clear (self->incident_layer);
  gw_heat_layer_clear (self->heat_layer);
}

/* Shows and hides pins for the current window (after a change of it, or as it slides):
 * only the difference, without animation, and the view stays where it is. */
static void
apply_time_window (GwMapView *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) show = g_ptr_array_new ();
  g_autoptr(GPtrArray) hide = g_ptr_array_new ();
  GwTime since;

  gw_replay_pins_set_time_window (self->replay_pins, self->time_window);
  if (self->store == NULL || gw_replay_pins_get_active (self->replay_pins))
    return;

  since = window_start (self->time_window, gw_time_now ());
  all = gw_store_list (self->store);
  for (guint i = 0; i < all->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (all, i);
      gboolean on = gw_incident_layer_lookup (self->incident_layer, incident->id) != NULL;

      if (is_shown (incident, since))
        {
          if (!on)
            g_ptr_array_add (show, incident);
        }
      else if (on)
        g_ptr_array_add (hide, incident);
    }
  layers_remove (self, hide);
  layers_upsert (self, show, FALSE);
}

static void
store_changed_cb (GwMapView *self, GwStoreChange *change, GwStore *store)
{
  if (gw_replay_pins_get_active (self->replay_pins))
    return;  /* the pins show the replay's time; refilled from the store on going live */

  /* A snapshot load is not news; live additions pop in. */
  gboolean animate = !change->reset && !change->loading &&
                     gw_incident_layer_get_n_pins (self->incident_layer) > 0;

  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  g_autoptr(GPtrArray) changed = shown_only (self, change->changed, gone);
  g_autoptr(GPtrArray) added = shown_only (self, change->added, NULL);

  if (change->reset)
    layers_clear (self);
  layers_remove (self, change->removed);
  layers_remove (self, gone);
  layers_upsert (self, changed, animate);
  layers_upsert (self, added, animate);
  queue_recount (self, change->loading && !change->loaded);

  /* The first data fits the street; later data never moves the view. */
  if (!self->fitted)
    fit_to_street (self);
}

static void
load_reference (GwMapView *self)
{
  GPtrArray *cells = gw_store_get_cells (self->store);
  GPtrArray *classes = gw_store_get_classes (self->store);

  gw_cell_layer_set_cells (self->cell_layer, cells);
  gw_incident_layer_set_classes (self->incident_layer, classes);
  queue_recount (self, FALSE);

  if (!self->fitted || !self->locked)
    fit_to_street (self);
}

static void
store_reference_changed_cb (GwMapView *self, GwStore *store)
{
  load_reference (self);
}

void
gw_map_view_set_store (GwMapView *self, GwStore *store)
{
  g_return_if_fail (GW_IS_MAP_VIEW (self));
  g_return_if_fail (!store || GW_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->reference_id, self->store);
    }
  g_set_object (&self->store, store);

  layers_clear (self);
  if (store != NULL)
    {
      g_autoptr(GPtrArray) all = gw_store_list (store);

      self->changed_id = g_signal_connect_object (store, "changed",
                                                  G_CALLBACK (store_changed_cb), self,
                                                  G_CONNECT_SWAPPED);
      self->reference_id = g_signal_connect_object (store, "reference-changed",
                                                    G_CALLBACK (store_reference_changed_cb), self,
                                                    G_CONNECT_SWAPPED);
      g_autoptr(GPtrArray) shown = shown_only (self, all, NULL);

      load_reference (self);
      layers_upsert (self, shown, FALSE);
      if (!self->fitted)
        fit_to_street (self);
    }
  else
    gw_cell_layer_set_cells (self->cell_layer, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Back to live: the replay left the layers empty; show the store's cases again. */
static void
replay_active_cb (GwMapView *self)
{
  if (!gw_replay_pins_get_active (self->replay_pins))
    apply_time_window (self);
  queue_recount (self, FALSE);
}

void
gw_map_view_set_replay (GwMapView *self, GwReplay *replay)
{
  g_return_if_fail (GW_IS_MAP_VIEW (self));

  gw_replay_pins_set_replay (self->replay_pins, replay);
  if (replay != NULL)
    g_signal_connect_object (replay, "state-changed", G_CALLBACK (queue_recount), self,
                             G_CONNECT_SWAPPED);
}

GwStore *
gw_map_view_get_store (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), NULL);

  return self->store;
}

gboolean
gw_map_view_get_locked (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), FALSE);

  return self->locked;
}

ShumateMap *
gw_map_view_get_map (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), NULL);

  return self->map;
}

GwCellLayer *
gw_map_view_get_cell_layer (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), NULL);

  return self->cell_layer;
}

GwIncidentLayer *
gw_map_view_get_incident_layer (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), NULL);

  return self->incident_layer;
}

GwBasemap *
gw_map_view_get_basemap (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), NULL);

  return self->basemap;
}

GwHeatLayer *
gw_map_view_get_heat_layer (GwMapView *self)
{
  g_return_val_if_fail (GW_IS_MAP_VIEW (self), NULL);

  return self->heat_layer;
}

/* Settings */

/* The heat map replaces the pins (their density is what it shows); cells stay. */
static void
set_heat_map (GwMapView *self, gboolean heat_map)
{
  self->heat_map = heat_map;
  gtk_widget_set_visible (GTK_WIDGET (self->heat_layer), heat_map);
  gtk_widget_set_visible (GTK_WIDGET (self->incident_layer), !heat_map);
  gw_map_legend_set_show_heat (self->legend, heat_map);
  if (heat_map)
    gtk_popover_popdown (GTK_POPOVER (self->incident_card));
}

static void
settings_changed_cb (GwMapView *self, const char *key, GSettings *settings)
{
  if (key == NULL || g_str_equal (key, "map-time-window"))
    {
      GwMapTimeWindow window = g_settings_get_enum (settings, "map-time-window");

      if (key == NULL || window != self->time_window)
        {
          self->time_window = window;
          apply_time_window (self);
        }
    }
  if (key == NULL || g_str_equal (key, "map-heat-map"))
    set_heat_map (self, g_settings_get_boolean (settings, "map-heat-map"));
  if (key == NULL || g_str_equal (key, "cell-fill"))
    gw_cell_layer_set_metric (self->cell_layer,
                              g_settings_get_enum (settings, "cell-fill") == 1
                              ? GW_CELL_METRIC_LATE : GW_CELL_METRIC_OPEN);
}

/* GtkWidget */

static void
gw_map_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  GwMapView *self = GW_MAP_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->overlay), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
gw_map_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GwMapView *self = GW_MAP_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->overlay), width, height, baseline, NULL);
  gtk_popover_present (GTK_POPOVER (self->incident_card));
  gtk_popover_present (GTK_POPOVER (self->cell_card));

  /* Following the street: a new size refits (not a data refresh, not when locked). */
  if (!self->locked &&
      (!self->fitted || width != self->fit_width || height != self->fit_height))
    fit_to_street (self);
}

static void
gw_map_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwMapView *self = GW_MAP_VIEW (widget);

  /* Dark neutral ground under the cells until basemap tiles arrive. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.082, 0.094, 0.110, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));
  /* The popovers are surfaces of their own: not snapshot here. */
  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->overlay), snapshot);
}

/* GObject */

static void
gw_map_view_dispose (GObject *object)
{
  GwMapView *self = GW_MAP_VIEW (object);

  g_clear_handle_id (&self->stats_idle_id, g_source_remove);
  g_clear_handle_id (&self->stats_timer_id, g_source_remove);
  g_clear_object (&self->replay_pins);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->reference_id, self->store);
    }
  g_clear_object (&self->store);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, settings_changed_cb, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->basemap);

  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_MAP_VIEW);

  g_clear_object (&self->source);

  G_OBJECT_CLASS (gw_map_view_parent_class)->dispose (object);
}

static void
gw_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GwMapView *self = GW_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GwMapView *self = GW_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      gw_map_view_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_map_view_class_init (GwMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_map_view_dispose;
  object_class->get_property = gw_map_view_get_property;
  object_class->set_property = gw_map_view_set_property;

  widget_class->measure = gw_map_view_measure;
  widget_class->size_allocate = gw_map_view_size_allocate;
  widget_class->snapshot = gw_map_view_snapshot;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         GW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwMapView::incident-activated:
   * @incident: the GwIncident that was clicked
   *
   * The default handler opens the incident card.
   */
  signals[INCIDENT_ACTIVATED] =
    g_signal_new_class_handler ("incident-activated",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (gw_map_view_real_incident_activated),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, GW_TYPE_INCIDENT);

  /**
   * GwMapView::cell-activated:
   * @cell: the GwCell that was clicked
   *
   * The default handler opens the cell card.
   */
  signals[CELL_ACTIVATED] =
    g_signal_new_class_handler ("cell-activated",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (gw_map_view_real_cell_activated),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, GW_TYPE_CELL);

  g_type_ensure (SHUMATE_TYPE_MAP);
  g_type_ensure (GW_TYPE_INCIDENT_CARD);
  g_type_ensure (GW_TYPE_CELL_CARD);
  g_type_ensure (GW_TYPE_MAP_CONTROLS);
  g_type_ensure (GW_TYPE_MAP_LEGEND);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GwMapView, overlay);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, map);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, controls);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, legend);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, incident_card);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, cell_card);
  gtk_widget_class_bind_template_callback (widget_class, incident_popover_closed_cb);

  gtk_widget_class_install_action (widget_class, "map.zoom-in", NULL, zoom_action_cb);
  gtk_widget_class_install_action (widget_class, "map.zoom-out", NULL, zoom_action_cb);
  gtk_widget_class_install_action (widget_class, "map.pan", "(ii)", pan_action_cb);
  gtk_widget_class_install_action (widget_class, "map.home", NULL, home_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "map.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "map.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "map.pan", "(ii)", -1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "map.pan", "(ii)", 1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "map.pan", "(ii)", 0, -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "map.pan", "(ii)", 0, 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "map.home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Home, 0, "map.home", NULL);

  gtk_widget_class_set_css_name (widget_class, "gw-map-view");
}

/* The street moved to the tiles' datum: follow it unless the view is locked. */
static void
basemap_coordinates_cb (GwMapView *self, GParamSpec *pspec, GwBasemap *basemap)
{
  if (self->fitted && !self->locked)
    fit_to_street (self);
}

static void
gw_map_view_init (GwMapView *self)
{
  GtkGesture *click;
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->viewport = shumate_map_get_viewport (self->map);
  self->source = g_object_new (GW_TYPE_BLANK_SOURCE,
                               "id", "gridwatch-blank",
                               "name", "Gridwatch",
                               "tile-size", TILE_SIZE,
                               "min-zoom-level", 2,
                               "max-zoom-level", 20,
                               "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                               NULL);
  shumate_viewport_set_reference_map_source (self->viewport, self->source);
  shumate_viewport_set_zoom_level (self->viewport, 12);

  self->cell_layer = gw_cell_layer_new (self->viewport);
  self->heat_layer = gw_heat_layer_new (self->viewport);
  self->incident_layer = gw_incident_layer_new (self->viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->cell_layer));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->heat_layer));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->incident_layer));
  self->replay_pins = gw_replay_pins_new (self->incident_layer, self->heat_layer);
  g_signal_connect_object (self->replay_pins, "notify::active",
                           G_CALLBACK (replay_active_cb), self, G_CONNECT_SWAPPED);
  gw_map_legend_set_cell_layer (self->legend, self->cell_layer);

  g_signal_connect_object (self->incident_layer, "incident-activated",
                           G_CALLBACK (incident_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->incident_layer, "cluster-activated",
                           G_CALLBACK (cluster_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cell_layer, "cell-activated",
                           G_CALLBACK (cell_activated_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->viewport, "notify::zoom-level",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify::longitude",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify::latitude",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify::rotation",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);

  /* The layers do not take events; the map gets them and asks the layers, top first.
   * A click gesture gives up once the pointer moves: drags still pan the map. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->map), motion);

  /* Time window, heat map and cell fill follow the settings the map controls set. */
  self->settings = gw_settings_new ();
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  settings_changed_cb (self, NULL, self->settings);

  /* The basemap goes under every layer; cells and pins follow its datum. */
  self->basemap = gw_basemap_new (self->map, self->settings);
  gtk_overlay_add_overlay (self->overlay, gw_basemap_get_notice (self->basemap));
  g_object_bind_property (self->basemap, "coordinates", self->cell_layer, "coordinates",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->basemap, "coordinates", self->incident_layer, "coordinates",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->basemap, "coordinates", self->heat_layer, "coordinates",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->basemap, "active", self->cell_layer, "see-through",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->basemap, "notify::coordinates",
                           G_CALLBACK (basemap_coordinates_cb), self, G_CONNECT_SWAPPED);

  self->stats_timer_id = g_timeout_add_seconds (STATS_REFRESH_S, stats_timer_cb, self);
}

GtkWidget *
gw_map_view_new (void)
{
  return g_object_new (GW_TYPE_MAP_VIEW, NULL);
}
