/* test-window-state.c — the desk window's size and the hall timeline follow GSettings
 *
 * Its own program: a GApplication registers once per process.
 */
#include <adwaita.h>

#include "gw-application.h"
#include "gw-hall-timeline.h"
#include "gw-settings.h"
#include "gw-test-ui.h"
#include "gw-window.h"

/* The desk window opens at the size it was left at and saves it on close; the hall
 * timeline follows its settings live. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = gw_settings_new ();
  GwConnectOptions options = { 0 };
  g_autoptr(GwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  GwHallTimeline *hall;
  GwWindow *window;
  gboolean closed = FALSE;
  int width, height;

  g_settings_set_string (settings, "source-kind", "dispatch");
  g_settings_set_string (settings, "server-url", "http://127.0.0.1:9/dispatch");
  g_settings_set_int (settings, "window-width", 1111);
  g_settings_set_int (settings, "window-height", 777);

  app = gw_application_new (&options, FALSE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = gw_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1111);
  g_assert_cmpint (height, ==, 777);

  hall = GW_HALL_TIMELINE (gw_test_ui_find_by_class (GTK_WIDGET (window), "wall-hall"));
  g_assert_nonnull (hall);
  g_assert_cmpuint (gw_hall_timeline_get_hours (hall), ==, 12);
  g_settings_set_uint (settings, "hall-timeline-hours", 5);
  g_settings_set_string (settings, "hall-timeline-lanes", "cell");
  g_assert_cmpuint (gw_hall_timeline_get_hours (hall), ==, 5);
  g_assert_cmpint (gw_hall_timeline_get_lane_by (hall), ==, GW_HALL_LANE_BY_CELL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1234, 876);
  g_signal_emit_by_name (window, "close-request", &closed);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1234);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 876);

  gtk_window_destroy (GTK_WINDOW (window));
  if (gw_application_get_feed (app) != NULL)
    gw_feed_stop (gw_application_get_feed (app));
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("gw-window-state-XXXXXX", NULL);
  int status;

  /* The application's snapshot cache goes to a throwaway folder. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/window-state/size-and-timeline", test_window_state);
  status = g_test_run ();
  gw_test_remove_tree (cache);
  return status;
}
