/* gw-test-ui.c — fixtures shared by the UI tests (see the header) */

#include <adwaita.h>

#include "gw-department.h"
#include "gw-test-ui.h"
#include "gw-workflow.h"

/* In-memory settings and no accessibility bus unless the run asks for one. */
void
gw_test_ui_init (int    *argc,
                 char ***argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/* Idle work (statistics, tile redraws) and a frame or two, for @msec. */
void
gw_test_ui_drain (guint msec)
{
  gint64 end = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* Lets layout and a few frames happen until @widget is mapped and @ready (may be NULL)
 * says yes (bounded: 5 s). */
void
gw_test_ui_settle (GtkWidget       *widget,
                   GwTestReadyFunc  ready,
                   gpointer         data)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint ticks = 0, id = gtk_widget_add_tick_callback (widget, tick_cb, &ticks, NULL);

#define READY() (gtk_widget_get_mapped (widget) && (ready == NULL || ready (data)))
  while ((!READY () || ticks < 3) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  g_assert_true (READY ());
#undef READY
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
gw_test_ui_find_by_class (GtkWidget  *root,
                          const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gw_test_ui_find_by_class (child, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
map_ready (GtkWidget *view, int width)
{
  return gtk_widget_get_mapped (view) && gtk_widget_get_width (view) == width;
}

/* A map view of @store, its pins still (no animation), in a window of its own presented
 * at @width × @height; returns once it is laid out at that width (bounded: 5 s). */
GwMapView *
gw_test_ui_map_view_new (GwStore    *store,
                         int         width,
                         int         height,
                         GtkWidget **window)
{
  GwMapView *view = GW_MAP_VIEW (gw_map_view_new ());
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (*window), width, height);
  gw_incident_layer_set_animate (gw_map_view_get_incident_layer (view), FALSE);
  gw_map_view_set_store (view, store);
  gtk_window_set_child (GTK_WINDOW (*window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (*window));
  while (!map_ready (GTK_WIDGET (view), width) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (map_ready (GTK_WIDGET (view), width));
  return view;
}

/* @widget on @window's background, as the screen would show it. */
GwTestImage *
gw_test_ui_render_on_window (GtkWidget  *window,
                             GtkWidget  *widget,
                             const char *name)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GdkRGBA bg = { 1, 1, 1, 1 };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (window), "window_bg_color", &bg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gw_test_image_render (renderer, node, w, h, name);
}

GwTestImage *
gw_test_ui_render_map (GtkWidget  *window,
                       GwMapView  *view,
                       int         width,
                       int         height,
                       const char *name)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (view));
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;

  /* Cell tiles are drawn on a worker within a per-frame budget: let them finish. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GtkSnapshot) warm = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) discard = NULL;
      gdk_paintable_snapshot (paintable, warm, width, height);
      discard = gtk_snapshot_free_to_node (g_steal_pointer (&warm));
      gw_test_ui_drain (300);
    }
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gw_test_image_render (renderer, node, width, height, name);
}

/* Where libshumate puts (lon, lat) of the viewport's datum, in @view's coordinates. */
void
gw_test_ui_location_to_view (GwMapView *view,
                             double     lon,
                             double     lat,
                             double    *x,
                             double    *y)
{
  ShumateMap *map = gw_map_view_get_map (view);
  graphene_point_t p;

  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (map), GTK_WIDGET (map),
                                              lat, lon, x, y);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (map), GTK_WIDGET (view),
                                           &GRAPHENE_POINT_INIT (*x, *y), &p));
  *x = p.x;
  *y = p.y;
}

/* A case through its first @n_times stages, received at @times[0] (received,
 * registered, dispatched to @dept with @deadline, on site, reported done, closed). */
GwIncident *
gw_test_incident_new (const char   *id,
                      const char   *title,
                      const char   *dept,
                      const GwTime *times,
                      guint         n_times,
                      GwTime        deadline)
{
  static const GwStage stages[] = {
    GW_STAGE_RECEIVED, GW_STAGE_REGISTERED, GW_STAGE_DISPATCHED,
    GW_STAGE_ON_SITE, GW_STAGE_REPORTED_DONE, GW_STAGE_CLOSED,
  };
  GwIncident *inc = gw_incident_new ();

  g_assert_cmpuint (n_times, <=, G_N_ELEMENTS (stages));
  inc->id = g_strdup (id);
  inc->title = g_strdup (title);
  inc->class_code = g_strdup ("0101");
  inc->address = g_strdup ("");
  inc->department = g_strdup (dept);
  inc->received_at = times[0];
  inc->updated_at = times[0];
  inc->seq = 1;
  for (guint i = 0; i < n_times; i++)
    {
      g_autofree char *event_id = g_strdup_printf ("e%u", i);
      gboolean dispatch = stages[i] == GW_STAGE_DISPATCHED;
      GwStageEvent ev = { event_id, stages[i], times[i], NULL, dispatch ? (char *) dept : NULL,
                          NULL, dispatch ? deadline : GW_TIME_NONE };
      g_autoptr(GError) error = NULL;

      if (!gw_incident_apply_event (inc, &ev, &error))
        g_error ("%s: %s", id, error->message);
    }
  return inc;
}

/* A store with no cells or classes and the first @n_departments of 环卫 (a), 城管 (b)
 * and 市政 (c): the departments of the statistics tests. */
GwStore *
gw_test_stats_store_new (guint n_departments)
{
  static const char *const names[][2] = { { "a", "环卫" }, { "b", "城管" }, { "c", "市政" } };
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) depts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  GwStore *store = gw_store_new ();

  g_assert_cmpuint (n_departments, <=, G_N_ELEMENTS (names));
  for (guint i = 0; i < n_departments; i++)
    {
      GwDepartment *dept = gw_department_new ();

      dept->id = g_strdup (names[i][0]);
      dept->name = g_strdup (names[i][1]);
      g_ptr_array_add (depts, dept);
    }
  gw_store_set_reference (store, none, depts, none);
  return store;
}

static void
computed_cb (GwStatsView *view, guint *computed)
{
  (*computed)++;
}

/* A statistics view over @store's 7 days up to @now, in a window of its own presented at
 * @width × @height (0: its natural size); *@computed counts its ::computed emissions. */
GwStatsView *
gw_test_stats_view_new (GwStore    *store,
                        GwTime      now,
                        int         width,
                        int         height,
                        guint      *computed,
                        GtkWidget **window)
{
  GwStatsView *view = GW_STATS_VIEW (gw_stats_view_new ());

  *window = gtk_window_new ();
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (*window), width, height);
  g_signal_connect (view, "computed", G_CALLBACK (computed_cb), computed);
  gw_stats_view_set_now (view, now);
  gw_stats_view_set_range (view, GW_STATS_RANGE_7_DAYS);
  gw_stats_view_set_store (view, store);
  gtk_window_set_child (GTK_WINDOW (*window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (*window));
  return view;
}

/* Iterates the main context until the view has computed @n times (bounded: 20 s). */
void
gw_test_stats_wait_computed (guint *computed,
                             guint  n)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*computed < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (*computed, ==, n);
}

/* A real gridwatch-dispatchd started with @args and the application live on it, its
 * snapshot cache in a throwaway folder (not the user's); returns once the feed is live
 * with more than 20 cases. Call gw_test_ui_stop_app() after g_test_run(): it removes
 * the folder. */
GwApplication *
gw_test_ui_start_app (int                 *argc,
                      char              ***argv,
                      const char * const  *args,
                      GwTestDispatchd    **server,
                      GwWindow           **window)
{
  char *cache = g_dir_make_tmp ("gw-test-app-XXXXXX", NULL);
  GwConnectOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  GwApplication *app;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gtk_test_init (argc, argv, NULL);

  *server = gw_test_dispatchd_start (args);
  options.server_url = g_strdup ((*server)->url);
  app = gw_application_new (&options, FALSE);
  g_object_set_data_full (G_OBJECT (app), "gw-test-cache", cache, g_free);
  /* Tests share one session bus: no single-instance hand-over. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  *window = GW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*window);

  gw_test_wait_until (gw_application_get_feed (app) != NULL &&
                      gw_feed_get_state (gw_application_get_feed (app)) == GW_FEED_STATE_LIVE &&
                      gw_store_get_n_incidents (gw_application_get_store (app)) > 20, 60);
  return app;
}

void
gw_test_ui_stop_app (GwApplication   *app,
                     GwTestDispatchd *server,
                     GwWindow        *window)
{
  g_autofree char *cache = g_strdup (g_object_get_data (G_OBJECT (app), "gw-test-cache"));

  gw_feed_stop (gw_application_get_feed (app));
  gtk_window_destroy (GTK_WINDOW (window));
  gw_test_dispatchd_stop (server);
  gw_test_dispatchd_free (server);
  g_object_unref (app);
  gw_test_remove_tree (cache);
}
