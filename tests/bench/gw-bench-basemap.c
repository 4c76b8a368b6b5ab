/* gw-bench-basemap.c — reading the bundled basemap through GwMbtilesSource
 *
 * Opens demo-basemap.mbtiles and fetches every tile of zooms 15 and 16 that covers the
 * street, 8 requests in flight like the map layer asks, three times. Prints the time to
 * open, tiles per second and request latency (median, 95th percentile). The reads run
 * on worker threads; the main loop only hands out results.
 */
#include <math.h>
#include <stdio.h>

#include "gw-basemap.h"
#include "gw-geo.h"
#include "gw-mbtiles-source.h"

#define IN_FLIGHT 8
#define RUNS      3

typedef struct {
  GwMbtilesSource *source;
  GArray          *todo;      /* int triples x, y, z */
  guint            next;
  guint            done;
  guint            failed;
  GArray          *latency;   /* double, ms */
} Run;

typedef struct {
  Run    *run;
  gint64  started;
} Request;

static void issue (Run *run);

static void
tile_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Request *request = user_data;
  Run *run = request->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object),
                                                                       result, &error);
  double ms = (g_get_monotonic_time () - request->started) / 1000.0;

  g_array_append_val (run->latency, ms);
  if (bytes == NULL)
    run->failed++;
  run->done++;
  g_free (request);
  issue (run);
}

static void
issue (Run *run)
{
  if (run->next >= run->todo->len / 3)
    return;
  Request *request = g_new0 (Request, 1);
  const int *t = &g_array_index (run->todo, int, 3 * run->next++);

  request->run = run;
  request->started = g_get_monotonic_time ();
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (run->source), t[0], t[1], t[2],
                                           NULL, tile_cb, request);
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
opened_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int argc, char **argv)
{
  g_autofree char *path = gw_basemap_find_demo ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMbtilesSource) source = NULL;
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (int));
  double west, south, east, north;
  gint64 t0;

  if (path == NULL)
    {
      fprintf (stderr, "demo-basemap.mbtiles not found: build it first\n");
      return 1;
    }

  t0 = g_get_monotonic_time ();
  gw_mbtiles_source_new_async (path, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  source = gw_mbtiles_source_new_finish (result, &error);
  if (source == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("open: %.2f ms (%s)\n", (g_get_monotonic_time () - t0) / 1000.0, path);

  /* The street's tiles, as a wall showing it would ask for them. */
  gw_mbtiles_source_get_bounds (source, &west, &south, &east, &north);
  for (int z = 15; z <= 16; z++)
    {
      double x0, y0, x1, y1, n = exp2 (z);
      gw_geo_project (west, north, &x0, &y0);
      gw_geo_project (east, south, &x1, &y1);
      for (int y = (int) (y0 * n); y <= (int) (y1 * n); y++)
        for (int x = (int) (x0 * n); x <= (int) (x1 * n); x++)
          {
            int t[3] = { x, y, z };
            g_array_append_vals (todo, t, 3);
          }
    }

  for (guint r = 0; r < RUNS; r++)
    {
      Run run = { source, todo, 0, 0, 0, g_array_new (FALSE, FALSE, sizeof (double)) };
      guint n = todo->len / 3;
      double p50, p95, secs;

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < IN_FLIGHT; i++)
        issue (&run);
      while (run.done < n)
        g_main_context_iteration (NULL, TRUE);
      secs = (g_get_monotonic_time () - t0) / 1e6;
      g_array_sort (run.latency, cmp_double);
      p50 = g_array_index (run.latency, double, n / 2);
      p95 = g_array_index (run.latency, double, (guint) (n * 0.95));
      printf ("run %u: %u tiles (%u failed) in %.1f ms: %.0f tiles/s, latency p50 %.2f ms, p95 %.2f ms\n",
              r + 1, n, run.failed, secs * 1000, n / secs, p50, p95);
      g_array_unref (run.latency);
    }
  return 0;
}
