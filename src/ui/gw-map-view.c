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

#include "gw-geo.h"
#include "gw-labels.h"
#include "gw-map-view.h"

#define TILE_SIZE        256
#define FIT_PADDING      32.0
#define PAN_FRACTION     0.2
#define STATS_REFRESH_S  30
#define CLUSTER_ZOOM_IN  2.0

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
  GtkButton        *resume_button;
  GtkBox           *legend;
  GtkLabel         *legend_title;
  GtkGrid          *legend_grid;
  GtkPopover       *incident_popover;
  GtkLabel         *incident_title;
  GtkGrid          *incident_grid;
  GtkBox           *incident_timeline;
  GtkPopover       *cell_popover;
  GtkLabel         *cell_title;
  GtkGrid          *cell_grid;

  ShumateViewport  *viewport;
  ShumateMapSource *source;
  GwCellLayer      *cell_layer;
  GwIncidentLayer  *incident_layer;

  GwStore          *store;
  gulong            changed_id;
  gulong            reference_id;
  guint             stats_idle_id;
  guint             stats_timer_id;

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
          gw_geo_project (incident->lon, incident->lat, &x, &y);
          gw_bbox_add_point (box, x, y);
        }
    }
  return !gw_bbox_is_empty (box);
}

/* The corner the legend takes, with its margins: the fit keeps the street out of it. */
static void
legend_footprint (GwMapView *self, double *width, double *height)
{
  GtkWidget *legend = GTK_WIDGET (self->legend);
  int w = 0, h = 0;

  *width = *height = 0;
  if (!gtk_widget_get_visible (legend))
    return;
  gtk_widget_measure (legend, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
  gtk_widget_measure (legend, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
  *width = w + gtk_widget_get_margin_start (legend) + gtk_widget_get_margin_end (legend);
  *height = h + gtk_widget_get_margin_top (legend) + gtk_widget_get_margin_bottom (legend);
}

static gboolean
fit_to_street (GwMapView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->map));
  int height = gtk_widget_get_height (GTK_WIDGET (self->map));
  double zoom, lat, lon, cx, cy, lw, lh, zoom_left, cx_left, cy_left;
  GwBBox box;

  if (width <= 0 || height <= 0 || !street_bounds (self, &box))
    return FALSE;

  /* The legend must never hide data: keep the street out of either the strip along the
   * bottom or the one along the left that holds it, whichever costs less zoom. */
  legend_footprint (self, &lw, &lh);
  gw_geo_fit_bbox (&box, width, height, TILE_SIZE, FIT_PADDING, 0, 0, 0, lh, &zoom, &cx, &cy);
  gw_geo_fit_bbox (&box, width, height, TILE_SIZE, FIT_PADDING, lw, 0, 0, 0,
                   &zoom_left, &cx_left, &cy_left);
  if (zoom_left > zoom)
    {
      zoom = zoom_left;
      cx = cx_left;
      cy = cy_left;
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
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), locked);
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

  fit_to_street (self);
  set_locked (self, FALSE);
}

static void
resume_clicked_cb (GwMapView *self, GtkButton *button)
{
  gw_map_view_resume_auto_fit (self);
  gtk_widget_grab_focus (GTK_WIDGET (self));
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
clear_container (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)))
    {
      if (GTK_IS_GRID (container))
        gtk_grid_remove (GTK_GRID (container), child);
      else
        gtk_box_remove (GTK_BOX (container), child);
    }
}

static void
grid_row (GtkGrid *grid, int row, const char *caption, const char *value)
{
  GtkWidget *c = gtk_label_new (caption);
  GtkWidget *v = gtk_label_new (value ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (c), 0);
  gtk_widget_add_css_class (c, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_selectable (GTK_LABEL (v), FALSE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_grid_attach (grid, c, 0, row, 1, 1);
  gtk_grid_attach (grid, v, 1, row, 1, 1);
}

static char *
format_local (GwTime t, const char *format)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == GW_TIME_NONE)
    return NULL;
  dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
  return dt ? g_date_time_format (dt, format) : NULL;
}

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
  g_autofree char *received = NULL, *deadline = NULL, *elapsed = NULL, *deadline_text = NULL;
  g_autofree char *class_text = NULL, *cell_text = NULL;
  const char *department = incident->department;
  GwIncidentClass *klass = NULL;
  GwTime now = gw_time_now ();
  int row = 0;
  double x, y;

  g_return_if_fail (GW_IS_MAP_VIEW (self));
  g_return_if_fail (incident != NULL);

  gtk_popover_popdown (self->cell_popover);

  gtk_label_set_text (self->incident_title, incident->title ? incident->title : incident->id);
  clear_container (GTK_WIDGET (self->incident_grid));
  clear_container (GTK_WIDGET (self->incident_timeline));

  if (self->store != NULL)
    {
      GwDepartment *dept = gw_store_lookup_department (self->store, incident->department);
      GwCell *cell = gw_store_lookup_cell (self->store, incident->cell_code);

      klass = gw_store_lookup_class (self->store, incident->class_code);
      if (dept != NULL)
        department = dept->name;
      if (cell != NULL)
        cell_text = g_strdup_printf ("%s (%s)", cell->name ? cell->name : "", cell->code);
    }
  if (klass != NULL)
    class_text = g_strdup_printf ("%s · %s", klass->category ? klass->category : "", klass->name);
  if (cell_text == NULL && incident->cell_code != NULL)
    cell_text = g_strdup (incident->cell_code);

  grid_row (self->incident_grid, row++, _("Class"), class_text ? class_text : incident->class_code);
  grid_row (self->incident_grid, row++, _("Address"), incident->address);
  grid_row (self->incident_grid, row++, _("Cell"), cell_text);
  grid_row (self->incident_grid, row++, _("Department"),
            department ? department : _("Not dispatched"));
  grid_row (self->incident_grid, row++, _("Stage"), gw_stage_get_label (incident->stage));
  grid_row (self->incident_grid, row++, _("Priority"), gw_priority_get_label (incident->priority));

  if (incident->received_at != GW_TIME_NONE)
    {
      GwTime end = incident->closed_at != GW_TIME_NONE ? incident->closed_at : now;
      received = format_local (incident->received_at, "%m-%d %H:%M");
      elapsed = gw_format_duration (end - incident->received_at);
      g_autofree char *text = g_strdup_printf (_("%s (received %s)"), elapsed, received);
      grid_row (self->incident_grid, row++, _("Elapsed"), text);
    }

  if (incident->deadline != GW_TIME_NONE)
    {
      g_autofree char *span = gw_format_duration (incident->deadline - now);
      deadline = format_local (incident->deadline, "%m-%d %H:%M");
      if (gw_incident_is_open (incident))
        deadline_text = incident->deadline < now
                        ? g_strdup_printf (_("%s — late by %s"), deadline, span)
                        : g_strdup_printf (_("%s — %s left"), deadline, span);
      else
        deadline_text = g_strdup (deadline);
      grid_row (self->incident_grid, row++, _("Deadline"), deadline_text);
      if (gw_incident_is_late (incident, now))
        {
          GtkWidget *value = gtk_grid_get_child_at (self->incident_grid, 1, row - 1);
          gtk_widget_add_css_class (value, "error");
        }
    }

  /* Mini timeline: the latest stage events, oldest first. */
  if (incident->timeline != NULL)
    {
      guint n = incident->timeline->len;
      for (guint i = n > 6 ? n - 6 : 0; i < n; i++)
        {
          const GwStageEvent *event = g_ptr_array_index (incident->timeline, i);
          g_autofree char *when = format_local (event->time, "%m-%d %H:%M");
          const char *who = event->department ? event->department : event->actor;
          g_autofree char *line = NULL;
          GtkWidget *label;

          if (self->store != NULL && event->department != NULL)
            {
              GwDepartment *dept = gw_store_lookup_department (self->store, event->department);
              if (dept != NULL)
                who = dept->name;
            }
          line = who ? g_strdup_printf ("%s  %s · %s", when ? when : "", gw_stage_get_label (event->stage), who)
                     : g_strdup_printf ("%s  %s", when ? when : "", gw_stage_get_label (event->stage));
          label = gtk_label_new (line);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_widget_add_css_class (label, "caption");
          gtk_box_append (self->incident_timeline, label);
        }
    }

  gw_incident_layer_set_selected (self->incident_layer, incident->id);
  if (gw_incident_layer_get_pin_position (self->incident_layer, incident->id, &x, &y))
    point_popover_at (self, self->incident_popover, x, y);
  gtk_popover_popup (self->incident_popover);
}

static void
incident_popover_closed_cb (GwMapView *self, GtkPopover *popover)
{
  gw_incident_layer_set_selected (self->incident_layer, NULL);
}

static char *
count_text (guint n)
{
  return g_strdup_printf ("%u", n);
}

void
gw_map_view_show_cell (GwMapView *self, GwCell *cell)
{
  const GwCellStats *stats;
  g_autofree char *worker = NULL, *open = NULL, *late = NULL, *today = NULL;
  g_autofree char *title = NULL;
  double lon, lat, x, y;
  int row = 0;

  g_return_if_fail (GW_IS_MAP_VIEW (self));
  g_return_if_fail (cell != NULL);

  gtk_popover_popdown (self->incident_popover);

  stats = gw_cell_layer_get_stats (self->cell_layer, cell->code);
  title = g_strdup_printf ("%s", cell->name ? cell->name : cell->code);
  gtk_label_set_text (self->cell_title, title);
  clear_container (GTK_WIDGET (self->cell_grid));

  if (cell->worker_name != NULL || cell->worker_phone != NULL)
    worker = g_strdup_printf ("%s  %s", cell->worker_name ? cell->worker_name : "",
                              cell->worker_phone ? cell->worker_phone : "");
  open = count_text (stats->open);
  late = count_text (stats->late);
  today = g_strdup_printf (_("%u received, %u closed"), stats->received_today, stats->closed_today);

  grid_row (self->cell_grid, row++, _("Code"), cell->code);
  grid_row (self->cell_grid, row++, _("Community"), cell->community);
  grid_row (self->cell_grid, row++, _("Grid worker"), worker);
  grid_row (self->cell_grid, row++, _("Party branch"), cell->party_branch);
  grid_row (self->cell_grid, row++, _("Open cases"), open);
  grid_row (self->cell_grid, row++, _("Late cases"), late);
  if (stats->late > 0)
    gtk_widget_add_css_class (gtk_grid_get_child_at (self->cell_grid, 1, row - 1), "error");
  grid_row (self->cell_grid, row++, _("Today"), today);

  gw_cell_get_centroid (cell, &lon, &lat);
  shumate_viewport_location_to_widget_coords (self->viewport, GTK_WIDGET (self->map),
                                              lat, lon, &x, &y);
  point_popover_at (self, self->cell_popover, x, y);
  gtk_popover_popup (self->cell_popover);
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
  if (gw_incident_layer_activate_at (self->incident_layer, x, y))
    return;
  gw_cell_layer_activate_at (self->cell_layer, x, y);
}

static void
motion_cb (GwMapView *self, double x, double y, GtkEventControllerMotion *controller)
{
  gboolean on_pin = gw_incident_layer_pick (self->incident_layer, x, y, NULL);
  GwCell *cell = gw_cell_layer_hover_at (self->cell_layer, on_pin ? -1 : x, on_pin ? -1 : y);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map),
                                   on_pin || cell != NULL ? "pointer" : "grab");
}

static void
leave_cb (GwMapView *self, GtkEventControllerMotion *controller)
{
  gw_cell_layer_hover_at (self->cell_layer, -1, -1);
}

/* Legend */

static void
swatch_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  const GdkRGBA *color = user_data;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.4);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
legend_changed_cb (GwMapView *self, GwCellLayer *layer)
{
  clear_container (GTK_WIDGET (self->legend_grid));

  gtk_label_set_text (self->legend_title,
                      gw_cell_layer_get_metric (layer) == GW_CELL_METRIC_LATE
                      ? _("Late cases per cell") : _("Open cases per cell"));

  for (guint k = 0; k < GW_CELL_LAYER_N_CLASSES; k++)
    {
      g_autofree char *range = NULL;
      GtkWidget *swatch, *label;
      GdkRGBA color;
      guint min, max;

      gw_cell_layer_get_class (layer, k, &color, &min, &max);
      if (k == 0)
        range = g_strdup ("0");
      else if (max == G_MAXUINT)
        range = g_strdup_printf ("%u+", min);
      else if (min == max)
        range = g_strdup_printf ("%u", min);
      else
        range = g_strdup_printf ("%u–%u", min, max);

      /* One row: swatch, range, swatch, range… */
      swatch = gtk_drawing_area_new ();
      gtk_widget_set_size_request (swatch, 14, 10);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), swatch_draw_cb,
                                      gdk_rgba_copy (&color), (GDestroyNotify) gdk_rgba_free);
      label = gtk_label_new (range);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "caption");
      if (k + 1 < GW_CELL_LAYER_N_CLASSES)
        gtk_widget_set_margin_end (label, 6);
      gtk_grid_attach (self->legend_grid, swatch, 2 * k, 0, 1, 1);
      gtk_grid_attach (self->legend_grid, label, 2 * k + 1, 0, 1, 1);
    }
}

/* A light see-through strip: data under it (after a manual zoom) still shows. */
static void
style_legend (GwMapView *self)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_data (provider,
                                   ".gw-map-legend { background-color: alpha(black, 0.45);"
                                   " border-radius: 6px; padding: 3px 8px; }", -1);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_add_provider (gtk_widget_get_style_context (GTK_WIDGET (self->legend)),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Store */

static gboolean
recount_stats (gpointer user_data)
{
  GwMapView *self = user_data;
  g_autoptr(GHashTable) stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;
  GwTime now = gw_time_now ();
  GwTime day_start;

  self->stats_idle_id = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  midnight = g_date_time_new_local (g_date_time_get_year (now_dt), g_date_time_get_month (now_dt),
                                    g_date_time_get_day_of_month (now_dt), 0, 0, 0);
  day_start = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;

  all = gw_store_list (self->store);
  for (guint i = 0; i < all->len; i++)
    {
      const GwIncident *incident = g_ptr_array_index (all, i);
      GwCellStats *s;

      if (incident->cell_code == NULL)
        continue;
      s = g_hash_table_lookup (stats, incident->cell_code);
      if (s == NULL)
        {
          s = g_new0 (GwCellStats, 1);
          g_hash_table_insert (stats, incident->cell_code, s);
        }
      if (gw_incident_is_open (incident))
        {
          s->open++;
          if (incident->deadline != GW_TIME_NONE && now > incident->deadline)
            s->late++;
        }
      if (incident->received_at >= day_start)
        s->received_today++;
      if (incident->closed_at != GW_TIME_NONE && incident->closed_at >= day_start)
        s->closed_today++;
    }

  gw_cell_layer_set_stats (self->cell_layer, stats);
  return G_SOURCE_REMOVE;
}

static gboolean
stats_timer_cb (gpointer user_data)
{
  recount_stats (user_data);
  return G_SOURCE_CONTINUE;
}

static void
queue_recount (GwMapView *self)
{
  if (self->stats_idle_id == 0)
    self->stats_idle_id = g_idle_add_full (G_PRIORITY_LOW, recount_stats, self, NULL);
}

/* The wall shows what is open and what closed lately; the history is for the desk. */
#define RECENTLY_CLOSED (12 * GW_USEC_PER_HOUR)

static gboolean
is_shown (const GwIncident *incident,
          GwTime            now)
{
  return gw_incident_is_open (incident) || incident->closed_at >= now - RECENTLY_CLOSED;
}

/* The shown ones of @incidents; the others go to @hidden when it is not NULL. */
static GPtrArray *
shown_only (GPtrArray *incidents,
            GPtrArray *hidden)
{
  GPtrArray *out = g_ptr_array_new ();
  GwTime now = g_get_real_time ();

  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);

      if (is_shown (incident, now))
        g_ptr_array_add (out, incident);
      else if (hidden != NULL)
        g_ptr_array_add (hidden, incident);
    }
  return out;
}

static void
store_changed_cb (GwMapView *self, GwStoreChange *change, GwStore *store)
{
  /* A snapshot load is not news; live additions pop in. */
  gboolean animate = !change->reset && gw_incident_layer_get_n_pins (self->incident_layer) > 0;

  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  g_autoptr(GPtrArray) changed = shown_only (change->changed, gone);
  g_autoptr(GPtrArray) added = shown_only (change->added, NULL);

  if (change->reset)
    gw_incident_layer_clear (self->incident_layer);
  gw_incident_layer_remove (self->incident_layer, change->removed);
  gw_incident_layer_remove (self->incident_layer, gone);
  gw_incident_layer_upsert (self->incident_layer, changed, animate);
  gw_incident_layer_upsert (self->incident_layer, added, animate);
  queue_recount (self);

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
  queue_recount (self);

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

  gw_incident_layer_clear (self->incident_layer);
  if (store != NULL)
    {
      g_autoptr(GPtrArray) all = gw_store_list (store);

      self->changed_id = g_signal_connect_object (store, "changed",
                                                  G_CALLBACK (store_changed_cb), self,
                                                  G_CONNECT_SWAPPED);
      self->reference_id = g_signal_connect_object (store, "reference-changed",
                                                    G_CALLBACK (store_reference_changed_cb), self,
                                                    G_CONNECT_SWAPPED);
      g_autoptr(GPtrArray) shown = shown_only (all, NULL);

      load_reference (self);
      gw_incident_layer_upsert (self->incident_layer, shown, FALSE);
      if (!self->fitted)
        fit_to_street (self);
    }
  else
    gw_cell_layer_set_cells (self->cell_layer, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
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
  gtk_popover_present (self->incident_popover);
  gtk_popover_present (self->cell_popover);

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
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->reference_id, self->store);
    }
  g_clear_object (&self->store);

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
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GwMapView, overlay);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, map);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, legend);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, legend_title);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, legend_grid);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, incident_popover);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, incident_title);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, incident_grid);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, incident_timeline);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, cell_popover);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, cell_title);
  gtk_widget_class_bind_template_child (widget_class, GwMapView, cell_grid);
  gtk_widget_class_bind_template_callback (widget_class, resume_clicked_cb);
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
  self->incident_layer = gw_incident_layer_new (self->viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->cell_layer));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->incident_layer));

  g_signal_connect_object (self->incident_layer, "incident-activated",
                           G_CALLBACK (incident_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->incident_layer, "cluster-activated",
                           G_CALLBACK (cluster_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cell_layer, "cell-activated",
                           G_CALLBACK (cell_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cell_layer, "legend-changed",
                           G_CALLBACK (legend_changed_cb), self, G_CONNECT_SWAPPED);

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

  legend_changed_cb (self, self->cell_layer);
  style_legend (self);

  self->stats_timer_id = g_timeout_add_seconds (STATS_REFRESH_S, stats_timer_cb, self);
}

GtkWidget *
gw_map_view_new (void)
{
  return g_object_new (GW_TYPE_MAP_VIEW, NULL);
}
