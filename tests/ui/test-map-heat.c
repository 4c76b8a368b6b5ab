/* test-map-heat.c — the map's heat map, time window and controls, rendered headless
 *
 * Runs under Xvfb (dbus-run-session -- xvfb-run -a). A GwMapView over three cells with a
 * dense knot of cases in one cell, a few cases of known ages in another and none in the
 * third. Checks, through the same GSettings keys the map controls write:
 *   - the heat map is hot over the knot and draws nothing where there are no cases, and
 *     hides the pins while it shows;
 *   - each time window shows exactly the cases it should, as pins and as heat points,
 *     changes them without moving the view, and a hidden pin leaves its spot;
 *   - the controls write the settings and every setting applies live.
 */
#include "gw-test-ui.h"
#include <math.h>
#include <adwaita.h>

#include "gw-geo.h"
#include "gw-map-controls.h"
#include "gw-map-view.h"
#include "gw-settings.h"

#define WIDTH  900
#define HEIGHT 640

static const double cell_a[] = { 113.600, 34.760, 113.620, 34.760, 113.622, 34.745,
                                 113.610, 34.740, 113.600, 34.745 };
static const double cell_b[] = { 113.620, 34.760, 113.640, 34.761, 113.640, 34.745,
                                 113.622, 34.745 };
static const double cell_c[] = { 113.600, 34.745, 113.610, 34.740, 113.622, 34.745,
                                 113.640, 34.745, 113.640, 34.730, 113.600, 34.730 };

/* The knot: N_KNOT open cases within ~30 m, received half an hour ago. */
#define KNOT_LON  113.608
#define KNOT_LAT  34.7530
#define N_KNOT    40
/* Cell B's cases of known ages, spread out so their pins stand alone. */
#define OLD_LON   113.626
#define OLD_LAT   34.7560
/* Cell C's empty middle. */
#define EMPTY_LON 113.630
#define EMPTY_LAT 34.7350

typedef struct {
  GtkWidget *window;
  GwMapView *view;
  GwStore   *store;
  GSettings *settings;
  GwTime     now;
} Fixture;

static GwCell *
make_cell (const char *code, const double *ring, guint n)
{
  GwCell *cell = gw_cell_new ();

  cell->code = g_strdup (code);
  cell->name = g_strdup (code);
  gw_cell_set_ring (cell, ring, n);
  return cell;
}

/* Class 9999 has no glyph: the pin's middle is its status colour. */
static GwIncident *
make_incident (const char *id, double lon, double lat, GwStage stage,
               GwTime received, GwTime updated, GwTime closed)
{
  GwIncident *incident = gw_incident_new ();

  incident->id = g_strdup (id);
  incident->title = g_strdup (id);
  incident->class_code = g_strdup ("9999");
  incident->cell_code = g_strdup ("41010200100102");
  incident->lon = lon;
  incident->lat = lat;
  incident->stage = stage;
  incident->priority = GW_PRIORITY_NORMAL;
  incident->received_at = received;
  incident->updated_at = updated;
  incident->closed_at = closed;
  incident->deadline = received + 48 * GW_USEC_PER_HOUR;
  incident->seq = 1;
  return incident;
}

static gboolean
wait_until (gboolean (*ready) (Fixture *), Fixture *f)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!ready (f) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return ready (f);
}

/* The cases of cell B, by what each window must hold. */
static void
add_aged_cases (Fixture *f, GwStoreBatch *batch)
{
  const struct {
    const char *id;
    GwStage     stage;
    double      received_h, updated_h, closed_h;   /* hours ago; < 0: none */
  } cases[] = {
    { "OPEN-30H",   GW_STAGE_RECEIVED,   30,  30, -1 },
    { "OPEN-3H",    GW_STAGE_DISPATCHED,  3,   3, -1 },
    { "CLOSED-30M", GW_STAGE_CLOSED,      3, 0.5, 0.5 },
    { "CLOSED-5H",  GW_STAGE_CLOSED,      8,   5,  5 },
    { "CLOSED-30H", GW_STAGE_CLOSED,     40,  30, 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GwIncident) inc =
        make_incident (cases[i].id, OLD_LON + 0.003 * i, OLD_LAT - 0.003 * (i % 2), cases[i].stage,
                       f->now - cases[i].received_h * GW_USEC_PER_HOUR,
                       f->now - cases[i].updated_h * GW_USEC_PER_HOUR,
                       cases[i].closed_h < 0 ? GW_TIME_NONE
                                             : f->now - cases[i].closed_h * GW_USEC_PER_HOUR);
      gw_store_batch_upsert (batch, inc);
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  g_autoptr(GPtrArray) depts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  GwStoreBatch *batch;

  /* Settings live in memory for the whole process: start each test from the defaults. */
  f->settings = gw_settings_new ();
  g_settings_reset (f->settings, "map-time-window");
  g_settings_reset (f->settings, "map-heat-map");
  g_settings_reset (f->settings, "cell-fill");
  g_settings_reset (f->settings, "tile-coordinates");
  g_settings_set_string (f->settings, "basemap", "none");

  f->now = gw_time_now ();
  f->store = gw_store_new ();
  g_ptr_array_add (cells, make_cell ("41010200100101", cell_a, 5));
  g_ptr_array_add (cells, make_cell ("41010200100102", cell_b, 4));
  g_ptr_array_add (cells, make_cell ("41010200100103", cell_c, 6));
  gw_store_set_reference (f->store, cells, depts, classes);

  batch = gw_store_batch_new ();
  for (guint i = 0; i < N_KNOT; i++)
    {
      g_autofree char *id = g_strdup_printf ("KNOT-%02u", i);
      double a = i * 2.39996, r = 0.0003 * sqrt ((i + 0.5) / N_KNOT);
      g_autoptr(GwIncident) inc = make_incident (id, KNOT_LON + r * cos (a), KNOT_LAT + r * sin (a),
                                                 GW_STAGE_DISPATCHED,
                                                 f->now - GW_USEC_PER_HOUR / 2,
                                                 f->now - GW_USEC_PER_HOUR / 2, GW_TIME_NONE);
      g_free (inc->cell_code);
      inc->cell_code = g_strdup ("41010200100101");
      gw_store_batch_upsert (batch, inc);
    }
  add_aged_cases (f, batch);
  gw_store_apply (f->store, batch);

  f->view = gw_test_ui_map_view_new (f->store, WIDTH, HEIGHT, &f->window);
  gw_test_ui_drain (300);
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

static double
color_distance (const GdkRGBA *a, const GdkRGBA *b)
{
  return fabs (a->red - b->red) + fabs (a->green - b->green) + fabs (a->blue - b->blue);
}

/* Heat map */

static gboolean
heat_shown (Fixture *f)
{
  return gtk_widget_get_visible (GTK_WIDGET (gw_map_view_get_heat_layer (f->view)));
}

static gboolean
pins_shown (Fixture *f)
{
  return gtk_widget_get_visible (GTK_WIDGET (gw_map_view_get_incident_layer (f->view)));
}

static void
test_heat_render (Fixture *f, gconstpointer data)
{
  GwHeatLayer *heat = gw_map_view_get_heat_layer (f->view);
  GdkRGBA off_knot, off_empty, off_edge, on_knot, on_empty, on_edge, blue, got;
  double kx, ky, ex, ey, ox, oy;

  g_assert_false (heat_shown (f));
  g_assert_true (pins_shown (f));
  /* Open cases (the default window): the knot and two of cell B. */
  g_assert_cmpuint (gw_heat_layer_get_n_points (heat), ==, N_KNOT + 2);

  gw_test_ui_location_to_view (f->view, KNOT_LON, KNOT_LAT, &kx, &ky);
  gw_test_ui_location_to_view (f->view, EMPTY_LON, EMPTY_LAT, &ex, &ey);
  gw_test_ui_location_to_view (f->view, OLD_LON, OLD_LAT, &ox, &oy);
  g_assert_cmpfloat (kx, >, 0);
  g_assert_cmpfloat (kx, <, WIDTH);
  g_assert_cmpfloat (ex, <, WIDTH);
  g_assert_cmpfloat (ey, <, HEIGHT);

  g_autoptr(GwTestImage) off = render (f, "map-heat-off.png");
  /* The lone open case in cell B is a blue (waiting) pin. */
  gw_pin_status_get_color (GW_PIN_STATUS_WAITING, &blue);
  gw_test_image_assert_color (off, ox, oy, &blue, 0.08);
  gw_test_image_pixel (off, kx + 45, ky, &off_edge);
  gw_test_image_pixel (off, ex, ey, &off_empty);
  gw_test_image_pixel (off, kx, ky + 70, &off_knot);

  /* Heat map on, as the controls would set it: it shows at once, the pins go. */
  g_settings_set_boolean (f->settings, "map-heat-map", TRUE);
  g_assert_true (wait_until (heat_shown, f));
  g_assert_false (pins_shown (f));
  g_autoptr(GwTestImage) on = render (f, "map-heat-on.png");

  /* Hot over the knot: the red end of the ramp. */
  gw_test_image_pixel (on, kx, ky, &on_knot);
  g_assert_cmpfloat (on_knot.red, >, 0.6);
  g_assert_cmpfloat (on_knot.red, >, on_knot.green + 0.3);
  g_assert_cmpfloat (on_knot.red, >, on_knot.blue + 0.3);
  /* Cooler but still tinted a little way out, where the kernel reaches. */
  gw_test_image_pixel (on, kx + 45, ky, &on_edge);
  g_assert_cmpfloat (color_distance (&on_edge, &off_edge), >, 0.05);
  g_assert_cmpfloat (on_edge.red, <, on_knot.red);
  /* Nothing at all where there are no cases: exactly what was there without it. */
  gw_test_image_pixel (on, ex, ey, &on_empty);
  g_assert_cmpfloat (color_distance (&on_empty, &off_empty), <, 0.02);
  /* And no pin where the lone blue one was: a lone case is only faint heat. */
  gw_test_image_pixel (on, ox, oy, &got);
  g_assert_cmpfloat (color_distance (&got, &blue), >, 0.3);

  /* Off again: the pins come back, the heat goes. */
  g_settings_set_boolean (f->settings, "map-heat-map", FALSE);
  g_assert_true (wait_until (pins_shown, f));
  g_assert_false (heat_shown (f));
  g_autoptr(GwTestImage) back = render (f, "map-heat-back.png");
  gw_test_image_assert_color (back, ox, oy, &blue, 0.08);
  gw_test_image_pixel (back, kx, ky + 70, &got);
  g_assert_cmpfloat (color_distance (&got, &off_knot), <, 0.02);
}

/* Panning and zooming with the heat map: the knot stays hot under its place. */
static void
test_heat_follows_view (Fixture *f, gconstpointer data)
{
  ShumateMap *map = gw_map_view_get_map (f->view);
  double kx, ky;
  GdkRGBA got;

  g_settings_set_boolean (f->settings, "map-heat-map", TRUE);
  g_assert_true (wait_until (heat_shown, f));
  for (guint step = 0; step < 3; step++)
    {
      g_autofree char *name = g_strdup_printf ("map-heat-pan-%u.png", step);
      shumate_map_center_on (map, KNOT_LAT + 0.001 * step, KNOT_LON + 0.0015 * step);
      if (step == 2)
        shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 17);
      gw_test_ui_location_to_view (f->view, KNOT_LON, KNOT_LAT, &kx, &ky);
      g_autoptr(GwTestImage) image = render (f, name);
      gw_test_image_pixel (image, kx, ky, &got);
      g_assert_cmpfloat (got.red, >, 0.6);
      g_assert_cmpfloat (got.red, >, got.green + 0.3);
    }
}

/* A case with no place (NaN) is skipped, even as the first point the layer gets. */
static void
test_heat_no_place (Fixture *f, gconstpointer data)
{
  GwHeatLayer *heat = gw_map_view_get_heat_layer (f->view);
  g_autoptr(GPtrArray) all = gw_store_list (f->store);
  g_autoptr(GPtrArray) points = g_ptr_array_new ();
  g_autoptr(GwIncident) nowhere = make_incident ("NOWHERE", NAN, NAN, GW_STAGE_RECEIVED,
                                                 f->now, f->now, GW_TIME_NONE);
  double kx, ky;
  GdkRGBA got;

  g_ptr_array_add (points, nowhere);
  for (guint i = 0; i < all->len; i++)
    if (g_str_has_prefix (((GwIncident *) g_ptr_array_index (all, i))->id, "KNOT"))
      g_ptr_array_add (points, g_ptr_array_index (all, i));
  gw_heat_layer_clear (heat);
  gw_heat_layer_upsert (heat, points);
  g_assert_cmpuint (gw_heat_layer_get_n_points (heat), ==, N_KNOT + 1);

  g_settings_set_boolean (f->settings, "map-heat-map", TRUE);
  g_assert_true (wait_until (heat_shown, f));
  gw_test_ui_location_to_view (f->view, KNOT_LON, KNOT_LAT, &kx, &ky);
  g_autoptr(GwTestImage) image = render (f, "map-heat-no-place.png");
  gw_test_image_pixel (image, kx, ky, &got);
  g_assert_cmpfloat (got.red, >, 0.6);
  g_assert_cmpfloat (got.red, >, got.green + 0.3);
}

static gboolean
heat_on_gcj02 (Fixture *f)
{
  return gw_heat_layer_get_coordinates (gw_map_view_get_heat_layer (f->view)) ==
         GW_TILE_COORDINATES_GCJ02;
}

/* On GCJ-02 tiles the heat moves with the pins, onto the shifted streets. */
static void
test_heat_datum (Fixture *f, gconstpointer data)
{
  double glon, glat, kx, ky, gx, gy;
  GdkRGBA got;

  g_settings_set_boolean (f->settings, "map-heat-map", TRUE);
  g_assert_true (wait_until (heat_shown, f));
  /* Only tiles from a server take the setting (the bundled map is WGS-84); with no URL
   * set there are none, which is all the better for the pixels. */
  g_settings_set_string (f->settings, "basemap", "xyz");
  g_settings_set_string (f->settings, "tile-coordinates", "gcj02");
  g_assert_true (wait_until (heat_on_gcj02, f));
  gw_test_ui_drain (300);   /* the refit the datum change brings, and its tiles */
  g_assert_cmpint (gw_incident_layer_get_coordinates (gw_map_view_get_incident_layer (f->view)),
                   ==, GW_TILE_COORDINATES_GCJ02);

  gw_geo_wgs84_to_gcj02 (KNOT_LON, KNOT_LAT, &glon, &glat);
  gw_test_ui_location_to_view (f->view, KNOT_LON, KNOT_LAT, &kx, &ky);
  gw_test_ui_location_to_view (f->view, glon, glat, &gx, &gy);
  g_assert_cmpfloat (hypot (gx - kx, gy - ky), >, 40);

  g_autoptr(GwTestImage) image = render (f, "map-heat-gcj02.png");
  gw_test_image_pixel (image, gx, gy, &got);
  g_assert_cmpfloat (got.red, >, 0.6);
  g_assert_cmpfloat (got.red, >, got.green + 0.3);
  gw_test_image_pixel (image, kx - (gx - kx), ky - (gy - ky), &got);
  g_assert_cmpfloat (got.red, <, got.green + 0.3);
  g_settings_reset (f->settings, "tile-coordinates");
  g_settings_set_string (f->settings, "basemap", "none");
}

static void
test_heat_weights (void)
{
  GwTime now = gw_time_now ();
  g_autoptr(GwIncident) open = make_incident ("W1", 113.6, 34.7, GW_STAGE_DISPATCHED,
                                              now - GW_USEC_PER_HOUR, now, GW_TIME_NONE);
  g_autoptr(GwIncident) late = make_incident ("W2", 113.6, 34.7, GW_STAGE_DISPATCHED,
                                              now - 50 * GW_USEC_PER_HOUR, now, GW_TIME_NONE);
  g_autoptr(GwIncident) closed = make_incident ("W3", 113.6, 34.7, GW_STAGE_CLOSED,
                                                now - GW_USEC_PER_HOUR, now, now);
  GdkRGBA c;

  g_assert_cmpfloat (gw_heat_weight_for_incident (open, now), ==, 1.0);
  g_assert_cmpfloat (gw_heat_weight_for_incident (late, now), ==, 2.0);
  g_assert_cmpfloat (gw_heat_weight_for_incident (closed, now), ==, 0.5);

  /* The ramp: see-through at the bottom, opaque enough and red at the top. */
  gw_heat_ramp_color (0, &c);
  g_assert_cmpfloat (c.alpha, ==, 0);
  gw_heat_ramp_color (1, &c);
  g_assert_cmpfloat (c.alpha, >, 0.7);
  g_assert_cmpfloat (c.red, >, 0.8);
  for (double t = 0.05; t <= 1.0; t += 0.05)
    {
      GdkRGBA lower;
      gw_heat_ramp_color (t - 0.05, &lower);
      gw_heat_ramp_color (t, &c);
      g_assert_cmpfloat (c.alpha, >=, lower.alpha);
    }
}

/* Time window */

static guint want_pins;

static gboolean
pins_are (Fixture *f)
{
  return gw_incident_layer_get_n_pins (gw_map_view_get_incident_layer (f->view)) == want_pins &&
         gw_heat_layer_get_n_points (gw_map_view_get_heat_layer (f->view)) == want_pins;
}

static GwTime
local_midnight (GwTime now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local),
                                                         0, 0, 0);
  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

static void
test_time_window (Fixture *f, gconstpointer data)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (gw_map_view_get_map (f->view));
  GwTime midnight = local_midnight (f->now);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  /* Cases that happened today, by the hours they are ago (the knot is 0.5 h ago). */
  guint today = N_KNOT * (f->now - GW_USEC_PER_HOUR / 2 >= midnight) +
                (f->now - 3 * GW_USEC_PER_HOUR >= midnight) +          /* OPEN-3H */
                (f->now - GW_USEC_PER_HOUR / 2 >= midnight) +          /* CLOSED-30M */
                (f->now - 5 * GW_USEC_PER_HOUR >= midnight);           /* CLOSED-5H */
  const struct {
    const char *nick;
    guint       n;
    const char *shown, *hidden;
  } windows[] = {
    { "1h",    N_KNOT + 1, "CLOSED-30M", "OPEN-30H" },
    { "6h",    N_KNOT + 3, "CLOSED-5H",  "OPEN-30H" },
    { "24h",   N_KNOT + 3, "OPEN-3H",    "CLOSED-30H" },
    { "today", today,      NULL,         "CLOSED-30H" },
    { "open",  N_KNOT + 2, "OPEN-30H",   "CLOSED-30M" },
  };
  GdkRGBA blue, got;
  double x, y;

  /* The default: open cases only, old or new. */
  g_assert_cmpuint (gw_incident_layer_get_n_pins (pins), ==, N_KNOT + 2);
  g_assert_nonnull (gw_incident_layer_lookup (pins, "OPEN-30H"));
  g_assert_null (gw_incident_layer_lookup (pins, "CLOSED-30M"));

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_settings_set_string (f->settings, "map-time-window", windows[i].nick);
      want_pins = windows[i].n;
      if (!wait_until (pins_are, f))
        g_error ("window %s: %u pins, %u heat points; want %u", windows[i].nick,
                 gw_incident_layer_get_n_pins (pins),
                 gw_heat_layer_get_n_points (gw_map_view_get_heat_layer (f->view)), want_pins);
      if (windows[i].shown != NULL)
        g_assert_nonnull (gw_incident_layer_lookup (pins, windows[i].shown));
      g_assert_null (gw_incident_layer_lookup (pins, windows[i].hidden));

      /* The view never moves for it, nor does it count as a manual move. */
      g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, zoom);
      g_assert_cmpfloat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), ==, lat);
      g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), ==, lon);
      g_assert_false (gw_map_view_get_locked (f->view));
    }

  /* On screen: the old open case's blue pin is there with open cases and gone in the
   * last hour. */
  gw_pin_status_get_color (GW_PIN_STATUS_WAITING, &blue);
  gw_test_ui_location_to_view (f->view, OLD_LON, OLD_LAT, &x, &y);
  g_autoptr(GwTestImage) open = render (f, "map-heat-window-open.png");
  gw_test_image_assert_color (open, x, y, &blue, 0.08);

  g_settings_set_string (f->settings, "map-time-window", "1h");
  want_pins = N_KNOT + 1;
  g_assert_true (wait_until (pins_are, f));
  g_autoptr(GwTestImage) hour = render (f, "map-heat-window-1h.png");
  gw_test_image_pixel (hour, x, y, &got);
  g_assert_cmpfloat (color_distance (&got, &blue), >, 0.3);

  /* Live changes follow the window: a case closing now stays in the last hour... */
  {
    GwStoreBatch *batch = gw_store_batch_new ();
    g_autoptr(GwIncident) closing = gw_incident_copy (gw_store_lookup (f->store, "KNOT-00"));
    g_autoptr(GwIncident) stale = gw_incident_copy (gw_store_lookup (f->store, "OPEN-30H"));

    closing->stage = GW_STAGE_CLOSED;
    closing->closed_at = closing->updated_at = gw_time_now ();
    closing->seq = 2;
    /* ...and one updated long ago does not come in. */
    stale->stage = GW_STAGE_DISPATCHED;
    stale->seq = 2;
    gw_store_batch_upsert (batch, closing);
    gw_store_batch_upsert (batch, stale);
    gw_store_apply (f->store, batch);
  }
  gw_test_ui_drain (300);
  g_assert_nonnull (gw_incident_layer_lookup (pins, "KNOT-00"));
  g_assert_null (gw_incident_layer_lookup (pins, "OPEN-30H"));
  g_assert_cmpuint (gw_incident_layer_get_n_pins (pins), ==, N_KNOT + 1);

  /* Back to open cases: the closed knot case leaves. */
  g_settings_set_string (f->settings, "map-time-window", "open");
  want_pins = N_KNOT + 1;
  g_assert_true (wait_until (pins_are, f));
  g_assert_null (gw_incident_layer_lookup (pins, "KNOT-00"));
  g_assert_nonnull (gw_incident_layer_lookup (pins, "OPEN-30H"));
}

/* Controls */

/* The @skip-th widget of @type under @root, depth first. */
static GtkWidget *
find_nth (GtkWidget *root, GType type, guint skip)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  guint n = 0;

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      /* Not the parts of a dropdown (it has a toggle button inside). */
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && n++ == skip)
        return w;
      if (GTK_IS_DROP_DOWN (w) && w != root)
        continue;
      for (GtkWidget *c = gtk_widget_get_last_child (w); c != NULL; c = gtk_widget_get_prev_sibling (c))
        g_ptr_array_add (stack, c);
    }
  return NULL;
}

static GtkWidget *
find_control (Fixture *f, GType type, guint skip)
{
  GtkWidget *controls = find_nth (GTK_WIDGET (f->view), GW_TYPE_MAP_CONTROLS, 0);
  GtkWidget *found;

  g_assert_nonnull (controls);
  found = find_nth (controls, type, skip);
  g_assert_nonnull (found);
  return found;
}

static gboolean
metric_is_late (Fixture *f)
{
  return gw_cell_layer_get_metric (gw_map_view_get_cell_layer (f->view)) == GW_CELL_METRIC_LATE;
}

static void
test_controls (Fixture *f, gconstpointer data)
{
  GtkDropDown *window = GTK_DROP_DOWN (find_control (f, GTK_TYPE_DROP_DOWN, 0));
  GtkDropDown *fill = GTK_DROP_DOWN (find_control (f, GTK_TYPE_DROP_DOWN, 1));
  GtkToggleButton *heat = GTK_TOGGLE_BUTTON (find_control (f, GTK_TYPE_TOGGLE_BUTTON, 0));
  g_autofree char *nick = NULL;

  /* They show the settings... */
  g_assert_cmpuint (gtk_drop_down_get_selected (window), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (fill), ==, 0);
  g_assert_false (gtk_toggle_button_get_active (heat));
  g_settings_set_string (f->settings, "map-time-window", "6h");
  g_assert_cmpuint (gtk_drop_down_get_selected (window), ==, 2);

  /* ...and write them, which the map follows. */
  gtk_drop_down_set_selected (window, 4);
  nick = g_settings_get_string (f->settings, "map-time-window");
  g_assert_cmpstr (nick, ==, "today");
  gtk_toggle_button_set_active (heat, TRUE);
  g_assert_true (g_settings_get_boolean (f->settings, "map-heat-map"));
  g_assert_true (wait_until (heat_shown, f));
  gtk_drop_down_set_selected (fill, 1);
  g_assert_cmpint (g_settings_get_enum (f->settings, "cell-fill"), ==, 1);
  g_assert_true (wait_until (metric_is_late, f));

  g_autoptr(GwTestImage) image = render (f, "map-heat-controls.png");

  /* A new map starts from the stored settings. */
  {
    GtkWidget *other = gw_map_view_new ();
    g_object_ref_sink (other);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gw_map_view_get_heat_layer (GW_MAP_VIEW (other)))));
    g_assert_cmpint (gw_cell_layer_get_metric (gw_map_view_get_cell_layer (GW_MAP_VIEW (other))),
                     ==, GW_CELL_METRIC_LATE);
    g_object_unref (other);
  }
}

int
main (int argc, char **argv)
{
  gw_test_ui_init (&argc, &argv);

  g_test_add_func ("/map/heat/weights", test_heat_weights);
  g_test_add ("/map/heat/render", Fixture, NULL, fixture_setup, test_heat_render, fixture_teardown);
  g_test_add ("/map/heat/follows-view", Fixture, NULL, fixture_setup, test_heat_follows_view, fixture_teardown);
  g_test_add ("/map/heat/no-place", Fixture, NULL, fixture_setup, test_heat_no_place, fixture_teardown);
  g_test_add ("/map/heat/datum", Fixture, NULL, fixture_setup, test_heat_datum, fixture_teardown);
  g_test_add ("/map/time-window", Fixture, NULL, fixture_setup, test_time_window, fixture_teardown);
  g_test_add ("/map/controls", Fixture, NULL, fixture_setup, test_controls, fixture_teardown);

  return g_test_run ();
}
