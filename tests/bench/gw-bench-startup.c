/* gw-bench-startup.c — time from launch to the first window frame that shows data
 *
 * From the disk cache with the server down, next to the baseline of a cold start that
 * loads the snapshot from a live server. Needs a display: run under xvfb-run.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw-test-dispatchd.h"

#define RUNS 5

/* Launches gridwatch and returns ms until it reports its first frame with data. */
static double
launch_program (const char *program,
                const char *url,
                const char *cache_home,
                const char *renderer,
                const char *gdk_debug,
                gboolean    wall)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *line;
  gint64 t0, frame;

  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GW_REPORT_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  if (renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  if (gdk_debug != NULL)
    g_subprocess_launcher_setenv (launcher, "GDK_DEBUG", gdk_debug, TRUE);
  t0 = g_get_monotonic_time ();
  if (url == NULL)
    proc = g_subprocess_launcher_spawn (launcher, &error, program, NULL);
  else if (wall)
    proc = g_subprocess_launcher_spawn (launcher, &error, program, "--server", url, "--wall", NULL);
  else
    proc = g_subprocess_launcher_spawn (launcher, &error, program, "--server", url, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  line = strstr (out, "first-frame ");
  if (line == NULL)
    g_error ("%s showed no data (exit %d)", program, g_subprocess_get_exit_status (proc));
  frame = g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10);
  return (frame - t0) / 1000.0;
}

static double
launch (const char *url,
        const char *cache_home,
        const char *renderer)
{
  return launch_program (g_getenv ("GW_GRIDWATCH"), url, cache_home, renderer, NULL, FALSE);
}

/* The floor: what any libadwaita window costs to show its first frame here; with
 * @gdk_debug "gl-disable" as gridwatch starts without a GPU (no Mesa loaded). */
static double
launch_bare (const char *cache_home,
             const char *renderer,
             const char *gdk_debug)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bench_dir = g_path_get_dirname (self);
  g_autofree char *bare = g_build_filename (bench_dir, "gw-bench-bare-window", NULL);

  return launch_program (bare, NULL, cache_home, renderer, gdk_debug, FALSE);
}

/* As gridwatch decides (main.c): GL only with a GPU render node. */
static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  const char * const args[] = { "--simulate", "--seed", "3", "--history-days", "100", NULL };
  g_autoptr(GwTestDispatchd) server = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_home = NULL;
  g_autofree char *url = NULL;
  double cold[RUNS], cached[RUNS], cached_gl[RUNS], wall[RUNS], wall_gl[RUNS];
  double bare[RUNS], bare_cairo[RUNS], bare_no_gl[RUNS];
  gint64 n;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("SKIP: needs a display; run under xvfb-run\n");
      return 77;
    }

  server = gw_test_dispatchd_start (args);
  health = gw_test_get_json (server, "/api/v1/health");
  n = json_object_get_int_member (json_node_get_object (health), "incidents");
  url = g_strdup (server->url);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *dir = g_dir_make_tmp ("gw-bench-cache-XXXXXX", &error);
      g_assert_no_error (error);
      /* Cold: an empty cache, the snapshot from the live server. The app saves its
       * cache as it quits. */
      cold[r] = launch (url, dir, NULL);
      if (r == 0)
        cache_home = g_steal_pointer (&dir);
      else
        gw_test_remove_tree (dir);
    }

  gw_test_dispatchd_stop (server);
  for (guint r = 0; r < RUNS; r++)
    {
      cached[r] = launch (url, cache_home, NULL);
      /* The complete wall frame: map, counters, timeline, ticker and the department board. */
      wall[r] = launch_program (g_getenv ("GW_GRIDWATCH"), url, cache_home, NULL, NULL, TRUE);
      wall_gl[r] = launch_program (g_getenv ("GW_GRIDWATCH"), url, cache_home, "gl", NULL, TRUE);
      cached_gl[r] = launch (url, cache_home, "gl");
      bare[r] = launch_bare (cache_home, NULL, NULL);
      bare_cairo[r] = launch_bare (cache_home, "cairo", NULL);
      bare_no_gl[r] = launch_bare (cache_home, "cairo", "gl-disable");
    }

  qsort (cold, RUNS, sizeof (double), compare_double);
  qsort (cached, RUNS, sizeof (double), compare_double);
  qsort (wall, RUNS, sizeof (double), compare_double);
  qsort (wall_gl, RUNS, sizeof (double), compare_double);
  qsort (cached_gl, RUNS, sizeof (double), compare_double);
  qsort (bare, RUNS, sizeof (double), compare_double);
  qsort (bare_cairo, RUNS, sizeof (double), compare_double);
  qsort (bare_no_gl, RUNS, sizeof (double), compare_double);
  printf ("gridwatch start-up to its first frame with data (%" G_GINT64_FORMAT " cases cached), "
          "median (min) of %d launches\n", n, RUNS);
  printf ("  renderer: gridwatch's choice (%s)\n",
          has_render_node () ? "GL with a GPU render node" : "cairo and no GL: no GPU here");
  printf ("  from the disk cache, server down:       %8.1f (%6.1f) ms\n", cached[RUNS / 2], cached[0]);
  printf ("    the same with GSK_RENDERER=gl:        %8.1f (%6.1f) ms\n",
          cached_gl[RUNS / 2], cached_gl[0]);
  printf ("  baseline: cold, snapshot from server:   %8.1f (%6.1f) ms\n", cold[RUNS / 2], cold[0]);
  printf ("  floor: a bare libadwaita window:         %8.1f (%6.1f) ms, cairo %.1f (%.1f) ms,"
          " cairo and no GL %.1f (%.1f) ms\n", bare[RUNS / 2], bare[0], bare_cairo[RUNS / 2],
          bare_cairo[0], bare_no_gl[RUNS / 2], bare_no_gl[0]);
  printf ("  --wall, first complete wall frame:      %8.1f (%6.1f) ms, GSK_RENDERER=gl %.1f (%.1f) ms\n",
          wall[RUNS / 2], wall[0], wall_gl[RUNS / 2], wall_gl[0]);
  printf ("  targets: from the cache under 300 ms; the complete wall frame under 500 ms\n");
  gw_test_remove_tree (cache_home);
  return 0;
}
