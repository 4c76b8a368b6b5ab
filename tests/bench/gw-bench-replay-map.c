/* gw-bench-replay-map.c — the map's pins following a replay over a day of 5,000 cases
 *
 * Plans 5,000 cases over one day with the simulator's case planner (as gw-bench-replay),
 * shows a GwMapView in a 1920×1080 window with the demo street, and drives it from a
 * GwReplay holding their index. Measures what one change of the replay's time costs on
 * the main thread (the state at t, the pins of the cases that changed, the layers'
 * clocks): random scrubs across the day, and the ticks of playing the day at 3600×
 * (50 ms of real time each, three replayed minutes). Also the first showing, when
 * every pin is made. Needs a display:
 *
 *   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" \
 *     meson test -C _build --benchmark --suite bench -v replay-map
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <adwaita.h>

#include "gw-bench-plan.h"
#include "gw-map-view.h"
#include "gw-replay.h"
#include "gw-street.h"
#include "gw-test-dispatchd.h"
#include "gw-workflow.h"

#define N_CASES   5000
#define N_SCRUBS  300
#define DAY       (24 * GW_USEC_PER_HOUR)
#define TICK      (3 * GW_USEC_PER_MIN)   /* 50 ms of play at 3600× */

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what, double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_double);
  printf ("%-44s median %7.3f ms   p99 %7.3f ms   max %7.3f ms   (n=%u)\n", what, v[n / 2],
          v[MIN (n - 1, (guint) (n * 0.99))], v[n - 1], n);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gw-bench-replay-map-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GwDispatchDb) db = NULL;
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  g_autoptr(GPtrArray) departments = gw_street_departments ();
  g_autoptr(GPtrArray) classes = gw_street_classes ();
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GwReplayIndex) index = NULL;
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwReplay) replay = gw_replay_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree double *scrub = g_new (double, N_SCRUBS);
  g_autofree double *tick = g_new (double, DAY / TICK + 1);
  GtkWidget *window, *map;
  GwIncidentLayer *layer;
  guint n_ticks = 0, max_pins = 0;
  GwTime day_start;
  double t0;

  g_assert_no_error (error);
  gtk_init ();
  adw_init ();
  g_assert_true (gw_time_parse_rfc3339 ("2025-11-25T00:00:00+08:00", &day_start));

  path = g_build_filename (dir, "dispatch.db", NULL);
  db = gw_dispatch_db_open (path, &error);
  g_assert_no_error (error);
  gw_dispatch_db_replace_reference (db, cells, departments, classes, &error);
  g_assert_no_error (error);
  cases = gw_bench_plan_day (db, day_start, N_CASES);
  index = gw_replay_index_new (cases, classes, day_start, day_start + DAY);
  printf ("%u cases over one day, %u distinct event times\n",
          gw_replay_index_get_n_cases (index), gw_replay_index_get_n_event_times (index));

  gw_store_set_reference (store, cells, departments, classes);
  map = gw_map_view_new ();
  gw_map_view_set_store (GW_MAP_VIEW (map), store);
  layer = gw_map_view_get_incident_layer (GW_MAP_VIEW (map));
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_set_child (GTK_WINDOW (window), map);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (map))
    g_main_context_iteration (NULL, TRUE);

  gw_replay_set_utc_offset (replay, 8 * 3600);
  gw_replay_set_day_start (replay, day_start);
  gw_replay_set_range (replay, day_start, day_start + DAY);
  gw_replay_set_index (replay, index);
  gw_map_view_set_replay (GW_MAP_VIEW (map), replay);

  /* The first showing makes every pin on the map at noon. */
  t0 = now_ms ();
  gw_replay_set_time (replay, day_start + 12 * GW_USEC_PER_HOUR);
  printf ("%-44s %7.3f ms   (%u pins)\n", "first showing at 12:00", now_ms () - t0,
          gw_incident_layer_get_n_pins (layer));
  drain ();

  for (guint i = 0; i < N_SCRUBS; i++)
    {
      GwTime t = day_start + (GwTime) g_rand_double_range (rand, 0, DAY);

      t0 = now_ms ();
      gw_replay_set_time (replay, t);
      scrub[i] = now_ms () - t0;
      max_pins = MAX (max_pins, gw_incident_layer_get_n_pins (layer));
      if (i % 10 == 0)
        drain ();  /* let frames draw now and then, as a drag would */
    }
  report ("scrub to a random time of the day", scrub, N_SCRUBS);

  for (GwTime t = day_start; t < day_start + DAY; t += TICK)
    {
      t0 = now_ms ();
      gw_replay_set_time (replay, t);
      tick[n_ticks++] = now_ms () - t0;
      if (n_ticks % 10 == 0)
        drain ();
    }
  report ("play tick at 3600x (3 replayed minutes)", tick, n_ticks);
  printf ("at most %u pins on the map\n", max_pins);

  gw_map_view_set_replay (GW_MAP_VIEW (map), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  /* Closed first: SQLite may still write its -wal and -shm files until then. */
  g_clear_object (&db);
  gw_test_remove_tree (dir);
  return 0;
}
