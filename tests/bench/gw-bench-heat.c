/* gw-bench-heat.c — the heat map's frame cost next to the pins', in one run
 *
 *   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" ./gw-bench-heat
 *
 * One 1920×1080 window holds a GwMapView with its cells hidden. For 1k, 20k and 100k
 * incidents (a street of about 3 km, a third of them in a few hot spots) it drives the
 * same trajectory as gw-bench-map: 60 frames panning 12 px each at the fit zoom + 1.5,
 * then 60 frames zooming from the fit to 3 levels in and back. A frame's CPU cost is the
 * map's layout plus its snapshot, with either the pins (GwIncidentLayer) or the heat map
 * (GwHeatLayer) shown, best of three runs per frame. Zoom frames are reported apart: each
 * one makes the heat map's density grid anew, while pan frames mostly move the last
 * one. GPU time is not counted.
 */
#include <math.h>
#include <stdio.h>
#include <adwaita.h>

#include "gw-bench-frames.h"
#include "gw-geo.h"
#include "gw-map-view.h"
#include "gw-settings.h"

#define WIDTH       1920
#define HEIGHT      1080
#define STREET_LON  113.620
#define STREET_LAT  34.750
#define STREET_DEG  0.032
#define N_FRAMES    120
#define N_HOT       6
#define N_PASSES    3

typedef struct {
  GtkWidget       *window;
  GwMapView       *view;
  ShumateMap      *map;
  ShumateViewport *viewport;
  GPtrArray       *incidents;
  double           fit_zoom, fit_lat, fit_lon;
} Bench;

typedef struct {
  double mean, p95, max;
  double pan_mean, zoom_mean, zoom_max;
} Frames;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
pump (guint ms)
{
  double end = now_ms () + ms;

  while (now_ms () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}

static GPtrArray *
make_incidents (guint n, GwTime now)
{
  GPtrArray *incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  double hot[N_HOT][2];

  for (guint h = 0; h < N_HOT; h++)
    {
      hot[h][0] = STREET_LON + STREET_DEG * g_rand_double_range (rand, -0.4, 0.4);
      hot[h][1] = STREET_LAT + STREET_DEG * g_rand_double_range (rand, -0.4, 0.4);
    }
  for (guint k = 0; k < n; k++)
    {
      GwIncident *incident = gw_incident_new ();
      double r = g_rand_double (rand);

      incident->id = g_strdup_printf ("inc-%06u", k);
      incident->class_code = g_strdup ("0101");
      if (k % 3 == 0)
        {
          /* A hot spot: a rough Gaussian about 150 m wide. */
          guint h = g_rand_int_range (rand, 0, N_HOT);
          double u = g_rand_double_range (rand, 1e-9, 1), v = g_rand_double (rand);
          double d = 0.0015 * sqrt (-2 * log (u));
          incident->lon = hot[h][0] + d * cos (2 * G_PI * v);
          incident->lat = hot[h][1] + d * sin (2 * G_PI * v);
        }
      else
        {
          incident->lon = STREET_LON + STREET_DEG * g_rand_double_range (rand, -0.5, 0.5);
          incident->lat = STREET_LAT + STREET_DEG * g_rand_double_range (rand, -0.5, 0.5);
        }
      incident->priority = GW_PRIORITY_NORMAL;
      incident->received_at = now - g_rand_int_range (rand, 1, 48 * 60) * GW_USEC_PER_MIN;
      incident->deadline = incident->received_at + 24 * GW_USEC_PER_HOUR;
      incident->stage = r < 0.2 ? GW_STAGE_RECEIVED : r < 0.75 ? GW_STAGE_ON_SITE : GW_STAGE_CLOSED;
      if (incident->stage == GW_STAGE_CLOSED)
        incident->closed_at = now - GW_USEC_PER_MIN;
      incident->seq = 1;
      g_ptr_array_add (incidents, incident);
    }
  return incidents;
}

static Frames
run_frames (Bench *b)
{
  GtkWidget *map = GTK_WIDGET (b->map);
  int w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);
  double times[N_FRAMES], sorted[N_FRAMES], sum = 0, pan = 0, zoom = 0, zoom_max = 0;
  Frames r;

  gw_bench_set_frame_view (b->viewport, b->fit_lon, b->fit_lat, b->fit_zoom, 0, N_FRAMES);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      gtk_widget_allocate (map, w, h, -1, NULL);
      node = gw_bench_snapshot_widget (map);
      pump (100);
    }

  /* The machine is shared: each frame's time is the best of N_PASSES runs of the whole
   * trajectory, which drops what other processes took from it. */
  for (guint f = 0; f < N_FRAMES; f++)
    times[f] = G_MAXDOUBLE;
  for (guint pass = 0; pass < N_PASSES; pass++)
    for (guint f = 0; f < N_FRAMES; f++)
      {
        g_autoptr(GskRenderNode) node = NULL;
        double t0;

        gw_bench_set_frame_view (b->viewport, b->fit_lon, b->fit_lat, b->fit_zoom, f, N_FRAMES);
        t0 = now_ms ();
        gtk_widget_allocate (map, w, h, -1, NULL);
        node = gw_bench_snapshot_widget (map);
        times[f] = MIN (times[f], now_ms () - t0);
      }
  for (guint f = 0; f < N_FRAMES; f++)
    {
      sum += times[f];
      if (f < N_FRAMES / 2)
        pan += times[f];
      else
        {
          zoom += times[f];
          zoom_max = MAX (zoom_max, times[f]);
        }
    }
  pump (20);

  /* GW_BENCH_FRAMES=1: every frame's time, to find where the slow ones fall. */
  if (g_getenv ("GW_BENCH_FRAMES") != NULL)
    for (guint f = 0; f < N_FRAMES; f++)
      fprintf (stderr, "    frame %3u  %.3f ms\n", f, times[f]);

  memcpy (sorted, times, sizeof times);
  qsort (sorted, N_FRAMES, sizeof (double), gw_bench_cmp_double);
  r.mean = sum / N_FRAMES;
  r.p95 = sorted[(int) (N_FRAMES * 0.95)];
  r.max = sorted[N_FRAMES - 1];
  r.pan_mean = pan / (N_FRAMES / 2);
  r.zoom_mean = zoom / (N_FRAMES / 2);
  r.zoom_max = zoom_max;
  return r;
}

static gboolean
ready (Bench *b)
{
  return gtk_widget_get_mapped (GTK_WIDGET (b->map)) && gtk_widget_get_width (GTK_WIDGET (b->map)) > 0;
}

int
main (int argc, char **argv)
{
  static const guint sizes[] = { 1000, 20000, 100000 };
  GwIncidentLayer *pins;
  GwHeatLayer *heat;
  Bench b = { 0 };
  GwBBox street;

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  gtk_init ();
  adw_init ();

  /* No basemap: only the layer measured draws. */
  {
    g_autoptr(GSettings) settings = gw_settings_new ();
    g_settings_set_string (settings, "basemap", "none");
  }
  b.incidents = make_incidents (100000, gw_time_now ());
  b.window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (b.window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (b.window), WIDTH, HEIGHT);
  b.view = GW_MAP_VIEW (gw_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (b.window), GTK_WIDGET (b.view));
  gtk_window_present (GTK_WINDOW (b.window));
  b.map = gw_map_view_get_map (b.view);
  b.viewport = shumate_map_get_viewport (b.map);
  pins = gw_map_view_get_incident_layer (b.view);
  heat = gw_map_view_get_heat_layer (b.view);
  gw_incident_layer_set_animate (pins, FALSE);
  for (double end = now_ms () + 5000; !ready (&b) && now_ms () < end;)
    g_main_context_iteration (NULL, TRUE);
  pump (200);

  /* Only the layer measured draws. */
  gtk_widget_set_visible (GTK_WIDGET (gw_map_view_get_cell_layer (b.view)), FALSE);

  street = (GwBBox) { 0 };
  gw_geo_project (STREET_LON - STREET_DEG / 2, STREET_LAT + STREET_DEG / 2, &street.x0, &street.y0);
  gw_geo_project (STREET_LON + STREET_DEG / 2, STREET_LAT - STREET_DEG / 2, &street.x1, &street.y1);
  b.fit_zoom = gw_geo_zoom_for_bbox (&street, gtk_widget_get_width (GTK_WIDGET (b.map)),
                                     gtk_widget_get_height (GTK_WIDGET (b.map)), 256, 32);
  b.fit_lon = STREET_LON;
  b.fit_lat = STREET_LAT;

  printf ("map %dx%d, fit zoom %.2f; %d frames: 60 panning at fit+1.5, 60 zooming fit..fit+3\n",
          gtk_widget_get_width (GTK_WIDGET (b.map)), gtk_widget_get_height (GTK_WIDGET (b.map)),
          b.fit_zoom, N_FRAMES);
  printf ("ms per frame (layout + snapshot, CPU)\n");
  printf ("%-8s | %-28s | %-28s | %s\n", "", "pins (GwIncidentLayer)", "heat map (GwHeatLayer)",
          "load (ms)");
  printf ("%-8s | %6s %6s %6s %6s | %6s %6s %6s %6s | %s\n", "points",
          "mean", "p95", "pan", "zoom", "mean", "p95", "pan", "zoom", "pins / heat");

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GPtrArray) part = g_ptr_array_new_full (sizes[s], NULL);
      Frames fp, fh;
      double t0, heat_load, pins_load;

      for (guint i = 0; i < sizes[s]; i++)
        g_ptr_array_add (part, g_ptr_array_index (b.incidents, i));

      gw_incident_layer_clear (pins);
      gw_heat_layer_clear (heat);
      t0 = now_ms ();
      gw_incident_layer_upsert (pins, part, FALSE);
      pins_load = now_ms () - t0;
      t0 = now_ms ();
      gw_heat_layer_upsert (heat, part);
      heat_load = now_ms () - t0;

      gtk_widget_set_visible (GTK_WIDGET (heat), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (pins), TRUE);
      fp = run_frames (&b);

      gtk_widget_set_visible (GTK_WIDGET (pins), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (heat), TRUE);
      fh = run_frames (&b);

      printf ("%-8u | %6.3f %6.3f %6.3f %6.3f | %6.3f %6.3f %6.3f %6.3f | %.1f / %.1f\n", sizes[s],
              fp.mean, fp.p95, fp.pan_mean, fp.zoom_mean,
              fh.mean, fh.p95, fh.pan_mean, fh.zoom_mean, pins_load, heat_load);
      if (s + 1 == G_N_ELEMENTS (sizes))
        printf ("\nworst heat-map frame with %u points: %.3f ms (a zoom frame: %.3f ms)\n",
                sizes[s], fh.max, fh.zoom_max);
    }

  gtk_window_destroy (GTK_WINDOW (b.window));
  g_ptr_array_unref (b.incidents);
  return 0;
}
