/* test-wall.c — the wall: 4K scaling, ticker, department board, rotation, tour, monitors
 *
 * Runs under Xvfb (dbus-run-session -- xvfb-run -a) with GTK_A11Y=test. The real
 * application follows a real gridwatch-dispatchd on loopback serving the demo street (its
 * cells and departments) with no simulator, so nothing changes behind the test's back;
 * the test then puts hand-made cases in the application's store:
 *   - NEW: received in the last hour (ticker "new" items, newest first);
 *   - LATE: open, dispatched with a deadline already past, in three cells;
 *   - closed cases on time or late per department, so the board's 按期结案率 differ.
 * A second wall window at 3840×2160 next to one at 1920×1080 must show the same layout
 * with type twice as large (widget sizes and the rendered ink); both PNGs are written to
 * $GW_TEST_OUTDIR for people to look at. Timers are driven by calling their step
 * functions; waits iterate the main context until a condition holds.
 */
#include <math.h>
#include <string.h>

#include "gw-test-dispatchd.h"
#include "gw-test-image.h"
#include "gw-test-ui.h"

#include "gw-application.h"
#include "gw-department-board.h"
#include "gw-hall-timeline.h"
#include "gw-incident-layer.h"
#include "gw-map-controls.h"
#include "gw-map-legend.h"
#include "gw-metrics.h"
#include "gw-monitor-window.h"
#include "gw-ticker.h"
#include "gw-wall-style.h"
#include "gw-window.h"
#include "gw-workflow.h"

#define H   GW_USEC_PER_HOUR
#define MIN_ (60 * G_USEC_PER_SEC)

static GwTestDispatchd *server;
static GwApplication   *app;
static GwWindow        *wall;      /* the application's own window (1920×1080 at most) */
static GwTime           now;
static char            *late_cells[3];

/* Monitor plans, with made-up connector lists */

static void
assert_plan (const char *assignments, const char * const *connectors, guint primary,
             const GwWallView *want, gboolean want_problems)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_parse (G_VARIANT_TYPE ("a{ss}"),
                                                                   assignments, NULL, NULL, NULL));
  g_auto(GStrv) problems = NULL;
  g_autofree GwWallView *plan = gw_wall_plan (value, connectors, primary, &problems);
  guint n = g_strv_length ((char **) connectors);

  g_assert_nonnull (value);
  for (guint i = 0; i < n; i++)
    {
      if (plan[i] != want[i])
        g_error ("%s on monitor %u (%s): got %s, want %s", assignments, i, connectors[i],
                 gw_wall_view_to_string (plan[i]), gw_wall_view_to_string (want[i]));
    }
  g_assert_cmpint (problems != NULL, ==, want_problems);
}

static void
test_monitor_plan (void)
{
  const char *three[] = { "DP-1", "HDMI-1", "HDMI-2", NULL };
  const char *unnamed[] = { "", "HDMI-1", NULL };
  const char *none[] = { NULL };
  GwWallView view;

  /* Empty: the whole wall on the primary monitor only. */
  assert_plan ("@a{ss} {}", three, 1,
               (GwWallView[]) { GW_WALL_VIEW_NONE, GW_WALL_VIEW_WALL, GW_WALL_VIEW_NONE }, FALSE);
  /* Each listed monitor gets its view, unlisted ones nothing; names are case-blind. */
  assert_plan ("{'HDMI-1': 'map', 'DP-1': 'Wall', 'HDMI-2': 'board'}", three, 0,
               (GwWallView[]) { GW_WALL_VIEW_WALL, GW_WALL_VIEW_MAP, GW_WALL_VIEW_BOARD }, FALSE);
  assert_plan ("{'HDMI-2': 'timeline'}", three, 0,
               (GwWallView[]) { GW_WALL_VIEW_NONE, GW_WALL_VIEW_NONE, GW_WALL_VIEW_TIMELINE }, FALSE);
  /* An unknown view is reported and ignored; the rest still applies. */
  assert_plan ("{'HDMI-1': 'clock', 'HDMI-2': 'stats'}", three, 0,
               (GwWallView[]) { GW_WALL_VIEW_NONE, GW_WALL_VIEW_NONE, GW_WALL_VIEW_STATS }, TRUE);
  /* Only bad or absent entries: rather the wall on the primary than a dark hall. */
  assert_plan ("{'HDMI-1': 'clock'}", three, 2,
               (GwWallView[]) { GW_WALL_VIEW_NONE, GW_WALL_VIEW_NONE, GW_WALL_VIEW_WALL }, TRUE);
  assert_plan ("{'VGA-9': 'map'}", three, 0,
               (GwWallView[]) { GW_WALL_VIEW_WALL, GW_WALL_VIEW_NONE, GW_WALL_VIEW_NONE }, TRUE);
  /* A monitor with no connector name can only be the fallback. */
  assert_plan ("{'': 'map', 'HDMI-1': 'board'}", unnamed, 0,
               (GwWallView[]) { GW_WALL_VIEW_NONE, GW_WALL_VIEW_BOARD }, FALSE);
  /* No monitors at all: nothing to place, no crash. */
  g_free (gw_wall_plan (NULL, none, 0, NULL));

  g_assert_true (gw_wall_view_from_string ("timeline", &view));
  g_assert_cmpint (view, ==, GW_WALL_VIEW_TIMELINE);
  g_assert_false (gw_wall_view_from_string ("none", &view));
  g_assert_false (gw_wall_view_from_string (NULL, &view));
}

/* Hand-made cases */

static GwIncident *
make_case (const char *id, const char *cell, const char *dept, GwTime received,
           GwTime deadline, GwTime closed)
{
  GwIncident *inc = gw_incident_new ();
  struct { GwStage stage; GwTime time; GwTime deadline; } steps[] = {
    { GW_STAGE_RECEIVED, received, GW_TIME_NONE },
    { GW_STAGE_REGISTERED, received + MIN_, GW_TIME_NONE },
    { GW_STAGE_DISPATCHED, received + 2 * MIN_, deadline },
    { GW_STAGE_ON_SITE, closed - 2 * MIN_, GW_TIME_NONE },
    { GW_STAGE_REPORTED_DONE, closed - MIN_, GW_TIME_NONE },
    { GW_STAGE_CLOSED, closed, GW_TIME_NONE },
  };
  guint n = closed != GW_TIME_NONE ? 6 : dept != NULL ? 3 : 2;

  inc->id = g_strdup (id);
  inc->title = g_strdup_printf ("案件 %s", id);
  inc->class_code = g_strdup ("0101");
  inc->address = g_strdup ("测试路 1 号");
  inc->cell_code = g_strdup (cell);
  inc->received_at = received;
  inc->updated_at = received;
  inc->seq = 1;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *event_id = g_strdup_printf ("%s-e%u", id, i);
      GwStageEvent ev = { event_id, steps[i].stage, steps[i].time, NULL,
                          steps[i].stage == GW_STAGE_DISPATCHED ? (char *) dept : NULL,
                          NULL, steps[i].deadline };
      g_autoptr(GError) error = NULL;

      if (!gw_incident_apply_event (inc, &ev, &error))
        g_error ("%s: %s", id, error->message);
    }
  inc->updated_at = inc->timeline->len > 0
                    ? ((GwStageEvent *) g_ptr_array_index (inc->timeline, inc->timeline->len - 1))->time
                    : received;
  return inc;
}

static void
add_cases (GwStore *store)
{
  GPtrArray *cells = gw_store_get_cells (store);
  GPtrArray *depts = gw_store_get_departments (store);
  GwStoreBatch *batch = gw_store_batch_new ();
  const char *cell[6];

  g_assert_cmpuint (cells->len, >=, 6);
  g_assert_cmpuint (depts->len, >=, 4);
  for (guint i = 0; i < 6; i++)
    cell[i] = ((GwCell *) g_ptr_array_index (cells, i * cells->len / 6))->code;

  /* Three new cases, 5, 15 and 25 minutes old, not yet dispatched. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("new-%u", i);
      g_autoptr(GwIncident) inc = make_case (id, cell[i], NULL, now - (5 + 10 * i) * MIN_,
                                             GW_TIME_NONE, GW_TIME_NONE);
      gw_store_batch_upsert (batch, inc);
    }
  /* Four late cases in three cells (two in the last), received 3 h ago, due 1–2 h ago,
   * with departments other than the three below. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("late-%u", i);
      const char *dept = ((GwDepartment *) g_ptr_array_index (depts, 3 + i % (depts->len - 3)))->id;
      g_autoptr(GwIncident) inc = make_case (id, cell[3 + MIN (i, 2u) % 3], dept, now - 3 * H,
                                             now - H - i * 10 * MIN_, GW_TIME_NONE);
      gw_store_batch_upsert (batch, inc);
    }
  for (guint i = 0; i < 3; i++)
    late_cells[i] = g_strdup (cell[3 + i]);
  /* Closed cases: department 0 all 4 on time, 1 three of 4, 2 two of 4 (so 100/75/50 %). */
  for (guint d = 0; d < 3; d++)
    for (guint i = 0; i < 4; i++)
      {
        g_autofree char *id = g_strdup_printf ("closed-%u-%u", d, i);
        const char *dept = ((GwDepartment *) g_ptr_array_index (depts, d))->id;
        GwTime received = now - 30 * H + i * H;
        gboolean on_time = i < 4 - d;
        g_autoptr(GwIncident) inc = make_case (id, cell[i], dept, received, received + 4 * H,
                                               received + (on_time ? 2 : 6) * H);
        gw_store_batch_upsert (batch, inc);
      }
  gw_store_apply (store, batch);
}

/* Rendering */

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* Lets the window reach @height and draw a few frames. */
static void
settle (GtkWindow *window, int height)
{
  guint ticks = 0, id = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, &ticks, NULL);

  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, gw_test_tick_cb, NULL);

  while (!(gtk_widget_get_mapped (GTK_WIDGET (window)) &&
           gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window))) == height &&
           gw_wall_style_get_scale (window) == gw_wall_scale_for_height (height) && ticks >= 4))
    {
      if (g_get_monotonic_time () > end)
        g_error ("the window did not reach %d px: %d x %d, mapped %d, scale %g, %u frames", height,
                 gtk_widget_get_width (GTK_WIDGET (window)),
                 gtk_widget_get_mapped (GTK_WIDGET (window))
                 ? gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window))) : 0,
                 gtk_widget_get_mapped (GTK_WIDGET (window)), gw_wall_style_get_scale (window), ticks);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct {
  GtkWindow     *window;
  GskRenderNode *node;
} Capture;

/* Right after a paint, layout is clean: take the content's picture then. */
static void
after_paint_cb (GdkFrameClock *clock, Capture *capture)
{
  GtkWidget *widget = adw_application_window_get_content (ADW_APPLICATION_WINDOW (capture->window));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot;
  GdkRGBA bg = { 0, 0, 0, 1 };

  if (capture->node != NULL)
    return;
  snapshot = gtk_snapshot_new ();
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (capture->window)),
                                  "window_bg_color", &bg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  capture->node = gtk_snapshot_free_to_node (snapshot);
}

/* The window's content on the window's background (no decorations in wall mode). */
static GwTestImage *
render_window (GtkWindow *window, const char *name)
{
  GtkWidget *widget = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Capture capture = { window, NULL };
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &capture);
  GwTestImage *image;

  gtk_widget_queue_draw (GTK_WIDGET (window));
  gw_test_wait_until (capture.node != NULL, 20);
  g_signal_handler_disconnect (clock, id);
  image = gw_test_image_render (gtk_native_get_renderer (GTK_NATIVE (window)), capture.node,
                                gtk_widget_get_width (widget), gtk_widget_get_height (widget), name);
  gsk_render_node_unref (capture.node);
  return image;
}

/* The rows of @bounds (window coordinates) that hold light text pixels: the ink height. */
static int
ink_height (GwTestImage *image, const graphene_rect_t *bounds)
{
  int top = -1, bottom = -1;

  for (int y = (int) bounds->origin.y; y < (int) (bounds->origin.y + bounds->size.height); y++)
    for (int x = (int) bounds->origin.x; x < (int) (bounds->origin.x + bounds->size.width); x++)
      {
        GdkRGBA px;

        gw_test_image_pixel (image, x, y, &px);
        if (px.red + px.green + px.blue > 2.2)
          {
            if (top < 0)
              top = y;
            bottom = y;
            break;
          }
      }
  return top < 0 ? 0 : bottom - top + 1;
}

static GtkWidget *
find_widget (GtkWidget *root, GType type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget (child, type)) != NULL)
        return found;
    }
  return NULL;
}

/* Every lane name of @hall whole in the name column; returns the first lane's text height. */
static int
assert_lane_names_fit (GwHallTimeline *hall, const char *what)
{
  double label_w = gw_hall_timeline_get_label_width (hall);
  guint n = gw_hall_timeline_get_n_lanes (hall);
  int first_h = 0;

  g_assert_cmpuint (n, >, 3);
  for (guint i = 0; i < n; i++)
    {
      const char *label = NULL;
      gboolean ellipsized = TRUE;
      int w = 0, h = 0;

      g_assert_true (gw_hall_timeline_get_lane (hall, i, NULL, &label, NULL, NULL));
      g_assert_true (gw_hall_timeline_get_lane_label (hall, i, &w, &h, &ellipsized));
      if (ellipsized || w >= label_w)
        g_error ("%s: lane %u \"%s\" is %d px wide, the name column %g px", what, i, label, w, label_w);
      if (i == 0)
        first_h = h;
    }
  return first_h;
}

/* The hall timeline and the map's overlays follow the wall's scale like the type does. */
static void
assert_overlays_scale (GwWindow *hd, GwWindow *uhd)
{
  GwHallTimeline *hd_hall = GW_HALL_TIMELINE (find_widget (GTK_WIDGET (hd), GW_TYPE_HALL_TIMELINE));
  GwHallTimeline *uhd_hall = GW_HALL_TIMELINE (find_widget (GTK_WIDGET (uhd), GW_TYPE_HALL_TIMELINE));
  GType overlays[] = { GW_TYPE_MAP_CONTROLS, GW_TYPE_MAP_LEGEND };
  int hd_text, uhd_text;

  g_assert_nonnull (hd_hall);
  g_assert_nonnull (uhd_hall);
  hd_text = assert_lane_names_fit (hd_hall, "1080p");
  uhd_text = assert_lane_names_fit (uhd_hall, "4K");
  g_test_message ("hall names: column %g px, text %d px at 1080p; %g px, %d px at 4K",
                  gw_hall_timeline_get_label_width (hd_hall), hd_text,
                  gw_hall_timeline_get_label_width (uhd_hall), uhd_text);
  g_assert_cmpfloat (gw_hall_timeline_get_label_width (uhd_hall), >=,
                     1.8 * gw_hall_timeline_get_label_width (hd_hall));
  g_assert_cmpint (hd_text, >, 10);
  g_assert_cmpint (uhd_text, >=, 1.8 * hd_text);
  /* The axis is under the plot, inside the widget: the lanes leave room for its text. */
  {
    guint n = gw_hall_timeline_get_n_lanes (uhd_hall);
    double y, h;
    int text_h = 0;

    g_assert_true (gw_hall_timeline_get_lane (uhd_hall, n - 1, NULL, NULL, &y, &h));
    g_assert_true (gw_hall_timeline_get_lane_label (uhd_hall, 0, NULL, &text_h, NULL));
    g_assert_cmpfloat (gtk_widget_get_height (GTK_WIDGET (uhd_hall)) - (y + h), >=, text_h);
  }

  for (guint i = 0; i < G_N_ELEMENTS (overlays); i++)
    {
      GtkWidget *a = find_widget (GTK_WIDGET (hd), overlays[i]);
      GtkWidget *b = find_widget (GTK_WIDGET (uhd), overlays[i]);
      GtkWidget *a_icon, *b_icon;

      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_test_message ("%s: %d x %d at 1080p, %d x %d at 4K", g_type_name (overlays[i]),
                      gtk_widget_get_width (a), gtk_widget_get_height (a),
                      gtk_widget_get_width (b), gtk_widget_get_height (b));
      g_assert_cmpint (gtk_widget_get_height (a), >, 10);
      g_assert_cmpint (gtk_widget_get_height (b), >=, 1.8 * gtk_widget_get_height (a));
      g_assert_cmpint (gtk_widget_get_width (b), >=, 1.8 * gtk_widget_get_width (a));
      /* Icons too, not only the text. */
      a_icon = find_widget (a, GTK_TYPE_IMAGE);
      b_icon = find_widget (b, GTK_TYPE_IMAGE);
      if (a_icon != NULL && b_icon != NULL)
        g_assert_cmpint (gtk_widget_get_width (b_icon), >=, 1.8 * gtk_widget_get_width (a_icon));
    }
}

static GwWindow *
open_wall (int width, int height)
{
  GwWindow *window = gw_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  settle (GTK_WINDOW (window), height);
  return window;
}

static void
test_scale_4k (void)
{
  GwWindow *hd = open_wall (1920, 1080);
  GwWindow *uhd = open_wall (3840, 2160);
  GtkWidget *hd_label = gw_window_get_kpi_value (hd, 0), *uhd_label = gw_window_get_kpi_value (uhd, 0);
  g_autoptr(GwTestImage) hd_image = NULL, uhd_image = NULL;
  graphene_rect_t hd_bounds, uhd_bounds;
  int hd_ink, uhd_ink;

  g_assert_cmpfloat (gw_wall_style_get_scale (GTK_WINDOW (hd)), ==, 1.0);
  g_assert_cmpfloat (gw_wall_style_get_scale (GTK_WINDOW (uhd)), ==, 2.0);
  g_assert_cmpfloat (gw_wall_scale_for_height (720), ==, 720.0 / 1080);
  g_assert_cmpfloat (gw_wall_scale_for_height (100), ==, 0.5);

  /* Layout: the KPI labels, the ticker and the board are twice as tall. */
  g_assert_cmpint (gtk_widget_get_height (uhd_label), >=, 2 * gtk_widget_get_height (hd_label) - 2);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (gw_window_get_ticker (uhd))), >=,
                   2 * gtk_widget_get_height (GTK_WIDGET (gw_window_get_ticker (hd))) - 2);

  /* The same picture: the KPI sits at the same relative place. */
  g_assert_true (gtk_widget_compute_bounds (hd_label, adw_application_window_get_content (ADW_APPLICATION_WINDOW (hd)), &hd_bounds));
  g_assert_true (gtk_widget_compute_bounds (uhd_label, adw_application_window_get_content (ADW_APPLICATION_WINDOW (uhd)), &uhd_bounds));
  g_assert_cmpfloat (fabs (uhd_bounds.origin.x / 3840 - hd_bounds.origin.x / 1920), <, 0.02);
  g_assert_cmpfloat (fabs (uhd_bounds.origin.y / 2160 - hd_bounds.origin.y / 1080), <, 0.02);

  /* Pixels: the digits' ink is about twice as tall. */
  hd_image = render_window (GTK_WINDOW (hd), "wall-1080p.png");
  uhd_image = render_window (GTK_WINDOW (uhd), "wall-4k.png");
  hd_ink = ink_height (hd_image, &hd_bounds);
  uhd_ink = ink_height (uhd_image, &uhd_bounds);
  g_test_message ("KPI ink height: %d px at 1080p, %d px at 4K", hd_ink, uhd_ink);
  g_assert_cmpint (hd_ink, >, 20);
  g_assert_cmpint (uhd_ink, >=, 2 * hd_ink - 3);

  assert_overlays_scale (hd, uhd);

  /* The pins too: drawn twice their size at 4K, as they were drawn for those renders. */
  g_assert_cmpuint (gw_incident_layer_get_pin_size (gw_map_view_get_incident_layer (gw_window_get_map_view (hd))), ==, 1);
  g_assert_cmpuint (gw_incident_layer_get_pin_size (gw_map_view_get_incident_layer (gw_window_get_map_view (uhd))), ==, 2);

  gtk_window_destroy (GTK_WINDOW (hd));
  gtk_window_destroy (GTK_WINDOW (uhd));
}

static void
test_ticker (void)
{
  GwTicker *ticker = gw_window_get_ticker (wall);
  GwStore *store = gw_application_get_store (app);
  g_autoptr(GPtrArray) late = NULL;
  guint n, n_new = 0, n_late = 0, start;

  gw_ticker_set_now (ticker, now);
  late = gw_store_list_late (store, now);
  n = gw_ticker_get_n_items (ticker);
  g_assert_cmpuint (n, ==, 3 + late->len);
  for (guint i = 0; i < n; i++)
    {
      const char *id = gw_ticker_get_item_id (ticker, i);

      if (gw_ticker_get_item_kind (ticker, i) == GW_TICKER_NEW)
        {
          g_autofree char *want = g_strdup_printf ("new-%u", n_new);
          /* New first, newest first. */
          g_assert_cmpuint (n_late, ==, 0);
          g_assert_cmpstr (id, ==, want);
          n_new++;
        }
      else
        {
          /* Then the late ones, most overdue first, as the store lists them. */
          g_assert_cmpstr (id, ==, ((GwIncident *) g_ptr_array_index (late, n_late))->id);
          g_assert_nonnull (strstr (gw_ticker_get_item_text (ticker, i), "案件 late-"));
          n_late++;
        }
    }
  g_assert_cmpuint (n_new, ==, 3);
  g_assert_cmpuint (n_late, ==, 4);
  g_assert_nonnull (strstr (gw_ticker_get_item_text (ticker, 0), "案件 new-0"));

  /* Each step shows the next line and wraps around. */
  start = gw_ticker_get_current (ticker);
  for (guint i = 1; i <= n; i++)
    {
      gw_ticker_advance (ticker);
      g_assert_cmpuint (gw_ticker_get_current (ticker), ==, (start + i) % n);
    }
  /* A rebuild keeps the line shown. */
  gw_ticker_advance (ticker);
  {
    g_autofree char *shown = g_strdup (gw_ticker_get_item_id (ticker, gw_ticker_get_current (ticker)));
    gw_ticker_refresh (ticker);
    g_assert_cmpstr (gw_ticker_get_item_id (ticker, gw_ticker_get_current (ticker)), ==, shown);
  }
}

static void
computed_cb (GwDepartmentBoard *board, guint *count)
{
  (*count)++;
}

static void
test_board (void)
{
  GwDepartmentBoard *board = gw_window_get_board (wall);
  GwStore *store = gw_application_get_store (app);
  g_autoptr(GPtrArray) incidents = gw_store_list (store);
  g_autoptr(GwMetricsResult) all = NULL, week = NULL;
  GwMetricsQuery query;
  guint computed = 0, ranked = 0;
  gulong id;
  double last = INFINITY;
  int total;
  g_autofree char *kpi = NULL;

  id = g_signal_connect (board, "computed", G_CALLBACK (computed_cb), &computed);
  gw_department_board_set_now (board, now);
  gw_department_board_refresh (board);
  g_assert_true (gw_department_board_get_computing (board));
  gw_test_wait_until (computed == 1, 30);
  g_signal_handler_disconnect (board, id);

  /* The engine's own answer for the same question. */
  gw_metrics_query_init (&query);
  query.now = now;
  query.by = GW_METRICS_BY_DEPARTMENT;
  query.departments = gw_store_get_departments (store);
  all = gw_metrics_compute (incidents, &query, NULL, NULL);
  query.from = now - GW_DEPARTMENT_BOARD_DAYS * 24 * H;
  week = gw_metrics_compute (incidents, &query, NULL, NULL);

  g_assert_cmpuint (gw_department_board_get_n_rows (board), >=, 3);
  for (guint i = 0; i < gw_department_board_get_n_rows (board); i++)
    {
      const GwDepartmentBoardRow *row = gw_department_board_get_row (board, i);
      int a = gw_metrics_result_find_row (all, row->key), w = gw_metrics_result_find_row (week, row->key);
      double on_time = w >= 0 ? gw_metrics_result_get (week, w, GW_METRICS_COL_ON_TIME_CLOSURE_RATE) : NAN;

      g_assert_cmpint (a, >=, 0);
      g_assert_cmpuint (row->open, ==, (guint) gw_metrics_result_get (all, a, GW_METRICS_COL_OPEN_NOW));
      g_assert_cmpuint (row->late, ==, (guint) gw_metrics_result_get (all, a, GW_METRICS_COL_LATE_NOW));
      g_assert_cmpint (isnan (row->on_time), ==, isnan (on_time));
      if (isnan (on_time))
        {
          g_assert_cmpuint (row->rank, ==, 0);
          continue;
        }
      g_assert_cmpfloat (row->on_time, ==, on_time);
      /* Ranked rows first, best first; competition ranking. */
      g_assert_cmpuint (ranked, ==, i);
      g_assert_cmpfloat (on_time, <=, last);
      g_assert_cmpuint (row->rank, ==, on_time == last ? gw_department_board_get_row (board, i - 1)->rank : i + 1);
      row = gw_department_board_get_row (board, i);  /* the accessor reuses its storage */
      last = on_time;
      ranked++;
    }
  /* The three with closed cases lead at 100, 75 and 50 %; the late ones follow at 0 %. */
  g_assert_cmpuint (ranked, >=, 4);
  for (guint i = 0; i < 3; i++)
    {
      GwDepartment *dept = g_ptr_array_index (gw_store_get_departments (store), i);
      const GwDepartmentBoardRow *row = gw_department_board_get_row (board, i);

      g_assert_cmpstr (row->key, ==, dept->id);
      g_assert_cmpfloat (row->on_time, ==, 1.0 - 0.25 * i);
      g_assert_cmpuint (row->rank, ==, i + 1);
    }
  g_assert_cmpfloat (gw_department_board_get_row (board, 3)->on_time, ==, 0.0);

  /* The on-time KPI is the engine's total row. */
  total = gw_metrics_result_find_row (week, GW_METRICS_TOTAL);
  kpi = g_strdup_printf ("%.0f%%", 100 * gw_metrics_result_get (week, total, GW_METRICS_COL_ON_TIME_CLOSURE_RATE));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gw_window_get_kpi_value (wall, 4))), ==, kpi);
}

/* A snapshot loaded page by page (a first start) brings the board up as soon as it is
 * whole, not at the next minute. */
static void
test_board_after_paged_load (void)
{
  g_autoptr(GwStore) store = gw_test_stats_store_new (2);
  g_autoptr(GwDepartmentBoard) board = g_object_ref_sink (GW_DEPARTMENT_BOARD (gw_department_board_new ()));
  const GwTime times[] = { now - 3 * H, now - 3 * H + 600 * G_USEC_PER_SEC,
                           now - 2 * H };
  guint computed = 0;
  GwStoreBatch *batch;

  g_signal_connect (board, "computed", G_CALLBACK (computed_cb), &computed);
  gw_department_board_set_now (board, now);
  gw_department_board_set_store (board, store);
  gw_test_wait_until (computed == 1, 30);

  for (guint page = 0; page < 2; page++)
    {
      batch = gw_store_batch_new ();
      gw_store_batch_set_loading (batch, FALSE);
      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *id = g_strdup_printf ("P%u-%u", page, i);
          g_autoptr(GwIncident) inc = gw_test_incident_new (id, "垃圾满溢", i % 2 ? "a" : "b",
                                                            times, G_N_ELEMENTS (times), now + H);
          gw_store_batch_upsert (batch, inc);
        }
      gw_store_apply (store, batch);
    }
  batch = gw_store_batch_new ();
  gw_store_batch_set_loading (batch, TRUE);
  gw_store_apply (store, batch);

  gw_test_wait_until (computed == 2, 15);
  g_assert_cmpuint (gw_department_board_get_n_rows (board), ==, 2);
  g_assert_cmpuint (gw_department_board_get_row (board, 0)->open +
                    gw_department_board_get_row (board, 1)->open, ==, 8);
}

static void
test_rotation (void)
{
  GSettings *settings = gw_application_get_settings (app);

  g_assert_false (gw_window_get_rotating (wall));
  g_assert_cmpstr (gw_window_get_side_page (wall), ==, "board");
  g_settings_set_boolean (settings, "rotate-panels", TRUE);
  g_assert_true (gw_window_get_rotating (wall));
  gw_window_rotate_step (wall);
  g_assert_cmpstr (gw_window_get_side_page (wall), ==, "latest");
  gw_test_image_free (render_window (GTK_WINDOW (wall), "wall-latest.png"));
  gw_window_rotate_step (wall);
  g_assert_cmpstr (gw_window_get_side_page (wall), ==, "stats");
  gw_test_image_free (render_window (GTK_WINDOW (wall), "wall-stats.png"));
  gw_window_rotate_step (wall);
  g_assert_cmpstr (gw_window_get_side_page (wall), ==, "board");
  g_settings_set_uint (settings, "rotate-interval", 10);
  g_assert_true (gw_window_get_rotating (wall));
  g_settings_set_boolean (settings, "rotate-panels", FALSE);
  g_assert_false (gw_window_get_rotating (wall));
}

static int
compare_codes (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
test_tour (void)
{
  GSettings *settings = gw_application_get_settings (app);
  GwMapView *map = gw_window_get_map_view (wall);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (sorted, late_cells[i]);
  g_ptr_array_sort (sorted, compare_codes);

  g_assert_false (gw_map_tour_get_running (gw_window_get_tour (wall)));
  g_settings_set_boolean (settings, "tour-late-cells", TRUE);
  g_assert_true (gw_map_tour_get_running (gw_window_get_tour (wall)));
  g_assert_null (gw_map_tour_get_cell (gw_window_get_tour (wall)));

  /* Each late cell in turn, by code, then the whole street, then again. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < 3; i++)
        {
          gw_map_tour_step (gw_window_get_tour (wall));
          g_assert_cmpstr (gw_map_tour_get_cell (gw_window_get_tour (wall)), ==, g_ptr_array_index (sorted, i));
        }
      gw_map_tour_step (gw_window_get_tour (wall));
      g_assert_null (gw_map_tour_get_cell (gw_window_get_tour (wall)));
      g_assert_false (gw_map_view_get_locked (map));
    }

  /* The map actually moves in on a cell. */
  {
    ShumateViewport *viewport = shumate_map_get_viewport (gw_map_view_get_map (map));
    double street_zoom = shumate_viewport_get_zoom_level (viewport);

    gw_map_tour_step (gw_window_get_tour (wall));
    gw_test_wait_until (shumate_viewport_get_zoom_level (viewport) > street_zoom + 0.5, 10);
  }

  /* Switching the tour off shows the street again, auto-fitted. */
  g_settings_set_boolean (settings, "tour-late-cells", FALSE);
  g_assert_false (gw_map_tour_get_running (gw_window_get_tour (wall)));
  g_assert_null (gw_map_tour_get_cell (gw_window_get_tour (wall)));
  g_assert_false (gw_map_view_get_locked (map));
}

static void
test_pointer (void)
{
  GtkWindow *window = GTK_WINDOW (wall);

  gw_wall_style_pointer_idle (window);
  g_assert_true (gw_wall_style_get_pointer_hidden (window));
  g_assert_cmpstr (gdk_cursor_get_name (gtk_widget_get_cursor (GTK_WIDGET (window))), ==, "none");
  gw_wall_style_pointer_moved (window);
  g_assert_false (gw_wall_style_get_pointer_hidden (window));
  g_assert_null (gtk_widget_get_cursor (GTK_WIDGET (window)));
}

static guint
count_monitor_windows (GwWallView view)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (GW_IS_MONITOR_WINDOW (l->data) && gw_monitor_window_get_view (l->data) == view)
      n++;
  return n;
}

static void
test_monitor_windows (void)
{
  GSettings *settings = gw_application_get_settings (app);
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  const char *connector = gdk_monitor_get_connector (monitor);
  g_autofree char *value = NULL;

  if (connector == NULL)
    {
      g_test_skip ("the display's monitor has no connector name");
      return;
    }
  /* The one monitor shows the board alone: the main wall waits hidden. */
  value = g_strdup_printf ("{'%s': 'board'}", connector);
  g_settings_set_value (settings, "wall-monitors", g_variant_parse (NULL, value, NULL, NULL, NULL));
  gw_test_wait_until (count_monitor_windows (GW_WALL_VIEW_BOARD) == 1, 10);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (wall)));

  /* Back to the default: the whole wall on the primary monitor. */
  g_settings_reset (settings, "wall-monitors");
  gw_test_wait_until (count_monitor_windows (GW_WALL_VIEW_BOARD) == 0, 10);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (wall)));
}

static gboolean
store_ready (void)
{
  GwFeed *feed = gw_application_get_feed (app);

  return feed != NULL && gw_feed_get_state (feed) == GW_FEED_STATE_LIVE &&
         gw_store_get_cells (gw_application_get_store (app)) != NULL &&
         gw_store_get_cells (gw_application_get_store (app))->len > 0;
}

int
main (int argc, char **argv)
{
  const char *args[] = { "--demo-street", NULL };
  GwConnectOptions options = { 0 };
  g_autofree char *cache = g_dir_make_tmp ("gw-test-wall-XXXXXX", NULL);
  int status;

  /* A cache of its own: no picture from another run. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("GTK_A11Y", "test", FALSE);
  /* Software GL on a 4K Xvfb stalls in buffer swaps; cairo draws the same picture. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Pictures of the final state, not of a crossfade or a sliding ticker line. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/wall/monitor-plan", test_monitor_plan);

  server = gw_test_dispatchd_start (args);
  options.server_url = g_strdup (server->url);
  app = gw_application_new (&options, TRUE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  wall = GW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (wall);
  gw_test_wait_until (store_ready (), 30);
  now = g_get_real_time ();
  add_cases (gw_application_get_store (app));
  gw_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (wall)), 10);

  g_test_add_func ("/wall/scale-4k", test_scale_4k);
  g_test_add_func ("/wall/ticker", test_ticker);
  g_test_add_func ("/wall/board", test_board);
  g_test_add_func ("/wall/board-after-paged-load", test_board_after_paged_load);
  g_test_add_func ("/wall/rotation", test_rotation);
  g_test_add_func ("/wall/tour", test_tour);
  g_test_add_func ("/wall/pointer", test_pointer);
  g_test_add_func ("/wall/monitor-windows", test_monitor_windows);
  status = g_test_run ();

  /* Shut down as the app does (cache written, feed stopped): run just long enough to
   * quit from inside. */
  g_idle_add_once ((GSourceOnceFunc) g_application_quit, app);
  g_application_run (G_APPLICATION (app), 0, NULL);
  g_clear_object (&app);
  gw_test_dispatchd_free (server);
  for (guint i = 0; i < 3; i++)
    g_free (late_cells[i]);
  gw_test_remove_tree (cache);
  return status;
}
