/* gw-bench-map.c — our map layers against stock libshumate, side by side in one run
 *
 *   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" ./gw-bench-map [--quick]
 *
 * One 1920×1080 window holds a GwMapView. Each scenario loads its layers into that
 * view's ShumateMap and drives the same pan-then-zoom trajectory; a frame's CPU cost is
 * the map's layout (gtk_widget_allocate) plus its snapshot (through a GtkWidgetPaintable)
 * after each viewport step. GPU rendering is not counted. Scenarios:
 *   ours   2,000 cells + 1k / 5k / 20k / 100k pins (GwCellLayer + GwIncidentLayer)
 *   ours   2,000 cells alone, tiled and rasterizing the viewport each frame
 *   stock  ShumateMarker widgets in a ShumateMarkerLayer: 1k / 5k / 20k (--quick: 1k, 5k)
 *   stock  one ShumatePathLayer per cell: 100 cells (and ours with the same 100 cells)
 * plus the time to add 20k pins, to apply 1,000 changed incidents and the peak RSS.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <adwaita.h>

#include "gw-bench-frames.h"
#include "gw-geo.h"
#include "gw-map-view.h"
#include "gw-settings.h"

#define WIDTH       1920
#define HEIGHT      1080
#define N_CELLS_X   50
#define N_CELLS_Y   40
#define STREET_LON  113.620
#define STREET_LAT  34.750
#define STREET_DEG  0.032     /* about 3 km */
#define N_FRAMES    120

typedef struct {
  GtkWidget  *window;
  GwMapView  *view;
  ShumateMap *map;
  ShumateViewport *viewport;
  GPtrArray  *cells;        /* GwCell*, 2,000 */
  GPtrArray  *incidents;    /* GwIncident*, 100k */
  GHashTable *stats;        /* code → GwCellStats* */
  GwTime      now;
  double      fit_zoom;
  double      fit_lat, fit_lon;
} Bench;

typedef struct {
  char   name[64];
  guint  items;
  double mean_ms, p95_ms, max_ms;
  double layout_ms, snapshot_ms;   /* means */
  double load_ms;
  double rss_mb;                   /* RSS growth while loaded */
} Result;

static GArray *results;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
rss_mb (void)
{
  g_autofree char *statm = NULL;
  long pages = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &pages, &resident);
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static void
pump (guint ms)
{
  double end = now_ms () + ms;

  while (now_ms () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}

/* Data: a jittered grid of irregular octagons sharing their edges. */

static double
jitter (guint a, guint b, guint c)
{
  guint32 h = a * 73856093u ^ b * 19349663u ^ c * 83492791u;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return (h % 10000) / 10000.0 - 0.5;
}

static void
grid_point (guint i, guint j, double *lon, double *lat)
{
  double dx = STREET_DEG / N_CELLS_X, dy = STREET_DEG / N_CELLS_Y;

  *lon = STREET_LON - STREET_DEG / 2 + i * dx + (i > 0 && i < N_CELLS_X ? 0.35 * dx * jitter (i, j, 1) : 0);
  *lat = STREET_LAT - STREET_DEG / 2 + j * dy + (j > 0 && j < N_CELLS_Y ? 0.35 * dy * jitter (i, j, 2) : 0);
}

/* The midpoint of the edge between two grid points, pushed sideways the same way for
 * both cells that share it. */
static void
edge_point (guint i0, guint j0, guint i1, guint j1, double *lon, double *lat)
{
  double ax, ay, bx, by;
  guint key_i = MIN (i0, i1) * 2 + (i0 != i1), key_j = MIN (j0, j1) * 2 + (j0 != j1);
  double s = 0.25 * jitter (key_i, key_j, 3);

  grid_point (i0, j0, &ax, &ay);
  grid_point (i1, j1, &bx, &by);
  *lon = (ax + bx) / 2 - s * (by - ay);
  *lat = (ay + by) / 2 + s * (bx - ax);
  if ((i0 == i1 && (i0 == 0 || i0 == N_CELLS_X)) || (j0 == j1 && (j0 == 0 || j0 == N_CELLS_Y)))
    {
      *lon = (ax + bx) / 2;
      *lat = (ay + by) / 2;
    }
}

static GPtrArray *
make_cells (void)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);

  for (guint j = 0; j < N_CELLS_Y; j++)
    for (guint i = 0; i < N_CELLS_X; i++)
      {
        GwCell *cell = gw_cell_new ();
        double ring[16];

        grid_point (i, j, &ring[0], &ring[1]);
        edge_point (i, j, i + 1, j, &ring[2], &ring[3]);
        grid_point (i + 1, j, &ring[4], &ring[5]);
        edge_point (i + 1, j, i + 1, j + 1, &ring[6], &ring[7]);
        grid_point (i + 1, j + 1, &ring[8], &ring[9]);
        edge_point (i, j + 1, i + 1, j + 1, &ring[10], &ring[11]);
        grid_point (i, j + 1, &ring[12], &ring[13]);
        edge_point (i, j, i, j + 1, &ring[14], &ring[15]);

        cell->code = g_strdup_printf ("410102001%03u%02u", j + 1, i + 1);
        cell->name = g_strdup_printf ("第%u网格", j * N_CELLS_X + i + 1);
        gw_cell_set_ring (cell, ring, 8);
        g_ptr_array_add (cells, cell);
      }
  return cells;
}

static GPtrArray *
make_incidents (guint n, GwTime now)
{
  GPtrArray *incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);

  for (guint k = 0; k < n; k++)
    {
      GwIncident *incident = gw_incident_new ();
      double r = g_rand_double (rand);
      guint ci = g_rand_int_range (rand, 0, N_CELLS_X), cj = g_rand_int_range (rand, 0, N_CELLS_Y);

      incident->id = g_strdup_printf ("inc-%06u", k);
      incident->title = g_strdup ("垃圾满溢");
      incident->class_code = g_strdup_printf ("0%u01", 1 + k % 6);
      incident->cell_code = g_strdup_printf ("410102001%03u%02u", cj + 1, ci + 1);
      incident->lon = STREET_LON - STREET_DEG / 2 + (ci + g_rand_double (rand)) * STREET_DEG / N_CELLS_X;
      incident->lat = STREET_LAT - STREET_DEG / 2 + (cj + g_rand_double (rand)) * STREET_DEG / N_CELLS_Y;
      incident->priority = r < 0.02 ? GW_PRIORITY_CRITICAL : r < 0.12 ? GW_PRIORITY_URGENT : GW_PRIORITY_NORMAL;
      incident->received_at = now - g_rand_int_range (rand, 1, 48 * 60) * GW_USEC_PER_MIN;
      incident->deadline = incident->received_at + 24 * GW_USEC_PER_HOUR;
      r = g_rand_double (rand);
      incident->stage = r < 0.2 ? GW_STAGE_RECEIVED : r < 0.75 ? GW_STAGE_ON_SITE : GW_STAGE_CLOSED;
      if (incident->stage == GW_STAGE_CLOSED)
        incident->closed_at = now - GW_USEC_PER_MIN;
      incident->seq = 1;
      g_ptr_array_add (incidents, incident);
    }
  return incidents;
}

static GPtrArray *
slice (GPtrArray *all, guint n)
{
  GPtrArray *part = g_ptr_array_new_full (n, NULL);

  for (guint i = 0; i < n && i < all->len; i++)
    g_ptr_array_add (part, g_ptr_array_index (all, i));
  return part;
}

static GHashTable *
make_stats (GPtrArray *incidents, guint n, GwTime now)
{
  GHashTable *stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < n; i++)
    {
      const GwIncident *incident = g_ptr_array_index (incidents, i);
      GwCellStats *s = g_hash_table_lookup (stats, incident->cell_code);
      if (s == NULL)
        g_hash_table_insert (stats, incident->cell_code, s = g_new0 (GwCellStats, 1));
      if (gw_incident_is_open (incident))
        {
          s->open++;
          s->late += incident->deadline < now;
        }
    }
  return stats;
}

/* Frames */

static void
run_frames (Bench *b, Result *r)
{
  GtkWidget *map = GTK_WIDGET (b->map);
  double times[N_FRAMES];
  double layout_sum = 0, snapshot_sum = 0;
  int w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);

  /* Warm up at the first view and let the zoom settle. */
  gw_bench_set_frame_view (b->viewport, b->fit_lon, b->fit_lat, b->fit_zoom, 0, N_FRAMES);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      gtk_widget_allocate (map, w, h, -1, NULL);
      node = gw_bench_snapshot_widget (map);
      pump (100);
    }

  for (guint f = 0; f < N_FRAMES; f++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      double t0, t1, t2;

      /* Zooming goes in steps (keys, wheel clicks): every 20 frames it rests long
       * enough for the cell tiles to be redrawn at the new zoom, which the next frames
       * pay for within their budget. Otherwise frames follow each other directly. */
      if (f >= N_FRAMES / 2 && f % 20 == 0)
        pump (200);

      gw_bench_set_frame_view (b->viewport, b->fit_lon, b->fit_lat, b->fit_zoom, f, N_FRAMES);
      t0 = now_ms ();
      gtk_widget_allocate (map, w, h, -1, NULL);
      t1 = now_ms ();
      node = gw_bench_snapshot_widget (map);
      t2 = now_ms ();

      times[f] = t2 - t0;
      layout_sum += t1 - t0;
      snapshot_sum += t2 - t1;
    }
  pump (20);

  /* GW_BENCH_FRAMES=1: every frame's time, to find where the slow ones fall. */
  if (g_getenv ("GW_BENCH_FRAMES") != NULL)
    for (guint f = 0; f < N_FRAMES; f++)
      fprintf (stderr, "    frame %3u  zoom %.2f  %.3f ms\n", f,
               f < N_FRAMES / 2 ? b->fit_zoom + 1.5
                                : b->fit_zoom + 3.0 * sin ((double) (f - N_FRAMES / 2) / (N_FRAMES / 2) * G_PI),
               times[f]);

  double sum = 0;
  for (guint f = 0; f < N_FRAMES; f++)
    sum += times[f];
  r->mean_ms = sum / N_FRAMES;
  r->layout_ms = layout_sum / N_FRAMES;
  r->snapshot_ms = snapshot_sum / N_FRAMES;
  qsort (times, N_FRAMES, sizeof (double), gw_bench_cmp_double);
  r->p95_ms = times[(int) (N_FRAMES * 0.95)];
  r->max_ms = times[N_FRAMES - 1];
}

static void
add_result (const Result *r)
{
  g_array_append_val (results, *r);
  fprintf (stderr, "  %-44s %7u  %8.3f %8.3f %8.3f   (layout %.3f, snapshot %.3f)\n",
           r->name, r->items, r->mean_ms, r->p95_ms, r->max_ms, r->layout_ms, r->snapshot_ms);
}

/* Scenarios */

static void
show_ours (Bench *b, gboolean visible)
{
  gtk_widget_set_visible (GTK_WIDGET (gw_map_view_get_cell_layer (b->view)), visible);
  gtk_widget_set_visible (GTK_WIDGET (gw_map_view_get_incident_layer (b->view)), visible);
}

static void
bench_ours (Bench *b, guint n_pins)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (b->view);
  GwCellLayer *cells = gw_map_view_get_cell_layer (b->view);
  g_autoptr(GPtrArray) part = slice (b->incidents, n_pins);
  g_autoptr(GHashTable) stats = make_stats (b->incidents, n_pins, b->now);
  double rss0 = rss_mb (), t0;
  Result r = { 0 };

  show_ours (b, TRUE);
  gw_incident_layer_clear (pins);
  t0 = now_ms ();
  gw_incident_layer_upsert (pins, part, FALSE);
  r.load_ms = now_ms () - t0;
  gw_cell_layer_set_stats (cells, stats);

  g_snprintf (r.name, sizeof r.name, "ours: 2,000 cells + pins");
  r.items = n_pins;
  run_frames (b, &r);
  r.rss_mb = rss_mb () - rss0;
  add_result (&r);
}

static void
bench_ours_pins_only (Bench *b, guint n_pins)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (b->view);
  g_autoptr(GPtrArray) part = slice (b->incidents, n_pins);
  double t0;
  Result r = { 0 };

  show_ours (b, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (pins), TRUE);
  gw_incident_layer_clear (pins);
  t0 = now_ms ();
  gw_incident_layer_upsert (pins, part, FALSE);
  r.load_ms = now_ms () - t0;

  g_snprintf (r.name, sizeof r.name, "ours: pins only (GwIncidentLayer)");
  r.items = n_pins;
  run_frames (b, &r);
  add_result (&r);
}

static void
bench_ours_cells (Bench *b, gboolean tiles)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (b->view);
  GwCellLayer *cells = gw_map_view_get_cell_layer (b->view);
  Result r = { 0 };

  show_ours (b, TRUE);
  gw_incident_layer_clear (pins);
  gw_cell_layer_set_use_tiles (cells, tiles);
  g_snprintf (r.name, sizeof r.name, "ours: cells only, %s",
              tiles ? "tile cache" : "one cairo node per frame");
  r.items = b->cells->len;
  run_frames (b, &r);
  add_result (&r);
  gw_cell_layer_set_use_tiles (cells, TRUE);
}

static void
bench_stock_markers (Bench *b, guint n)
{
  ShumateMarkerLayer *layer = shumate_marker_layer_new (b->viewport);
  double rss0 = rss_mb (), t0;
  Result r = { 0 };

  show_ours (b, FALSE);
  shumate_map_add_layer (b->map, SHUMATE_LAYER (layer));
  t0 = now_ms ();
  for (guint i = 0; i < n; i++)
    {
      const GwIncident *incident = g_ptr_array_index (b->incidents, i);
      ShumateMarker *marker = shumate_marker_new ();
      shumate_marker_set_child (marker, gtk_image_new_from_icon_name ("mark-location-symbolic"));
      shumate_location_set_location (SHUMATE_LOCATION (marker), incident->lat, incident->lon);
      shumate_marker_layer_add_marker (layer, marker);
    }
  r.load_ms = now_ms () - t0;
  pump (50);

  g_snprintf (r.name, sizeof r.name, "stock: ShumateMarker widgets");
  r.items = n;
  run_frames (b, &r);
  r.rss_mb = rss_mb () - rss0;
  add_result (&r);

  shumate_map_remove_layer (b->map, SHUMATE_LAYER (layer));
  pump (50);
}

static void
bench_stock_paths (Bench *b, guint n_cells)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();
  g_autoptr(GPtrArray) subset = g_ptr_array_new ();
  GwCellLayer *cells = gw_map_view_get_cell_layer (b->view);
  double rss0 = rss_mb (), t0;
  Result r = { 0 };

  /* The middle block of cells, so the view keeps them in sight. */
  for (guint j = N_CELLS_Y / 2 - 5; j < N_CELLS_Y / 2 + 5; j++)
    for (guint i = N_CELLS_X / 2 - 5; i < N_CELLS_X / 2 + 5 && subset->len < n_cells; i++)
      g_ptr_array_add (subset, g_ptr_array_index (b->cells, j * N_CELLS_X + i));

  show_ours (b, FALSE);
  t0 = now_ms ();
  for (guint c = 0; c < subset->len; c++)
    {
      const GwCell *cell = g_ptr_array_index (subset, c);
      ShumatePathLayer *layer = shumate_path_layer_new (b->viewport);
      GdkRGBA fill = { 0.12, 0.35, 0.41, 1 };

      for (guint k = 0; k + 1 < cell->n_points; k++)
        shumate_path_layer_add_node (layer, SHUMATE_LOCATION (
          shumate_coordinate_new_full (cell->ring[2 * k + 1], cell->ring[2 * k])));
      shumate_path_layer_set_closed (layer, TRUE);
      shumate_path_layer_set_fill (layer, TRUE);
      shumate_path_layer_set_fill_color (layer, &fill);
      shumate_map_add_layer (b->map, SHUMATE_LAYER (layer));
      g_ptr_array_add (layers, layer);
    }
  r.load_ms = now_ms () - t0;
  pump (50);

  g_snprintf (r.name, sizeof r.name, "stock: one ShumatePathLayer per cell");
  r.items = subset->len;
  run_frames (b, &r);
  r.rss_mb = rss_mb () - rss0;
  add_result (&r);

  for (guint c = 0; c < layers->len; c++)
    shumate_map_remove_layer (b->map, g_ptr_array_index (layers, c));
  pump (50);

  /* Ours with the same cells. */
  show_ours (b, TRUE);
  gw_incident_layer_clear (gw_map_view_get_incident_layer (b->view));
  gw_cell_layer_set_cells (cells, subset);
  memset (&r, 0, sizeof r);
  g_snprintf (r.name, sizeof r.name, "ours: the same cells in one GwCellLayer");
  r.items = subset->len;
  run_frames (b, &r);
  add_result (&r);
  gw_cell_layer_set_cells (cells, b->cells);
}

static void
bench_add_and_apply (Bench *b, double *add_ms, double *add_frame_ms,
                     double *apply_ms, double *apply_frame_ms, double *apply_layer_ms)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (b->view);
  g_autoptr(GPtrArray) part = slice (b->incidents, 20000);
  GtkWidget *map = GTK_WIDGET (b->map);
  int w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);
  double t0;

  show_ours (b, TRUE);
  gw_bench_set_frame_view (b->viewport, b->fit_lon, b->fit_lat, b->fit_zoom, 0, N_FRAMES);

  /* Adding 20k pins: the call, then the first frame that shows them (index flush,
   * clustering, snapshot). Best of three. */
  *add_ms = *add_frame_ms = G_MAXDOUBLE;
  for (guint rep = 0; rep < 3; rep++)
    {
      g_autoptr(GskRenderNode) node = NULL;

      gw_incident_layer_clear (pins);
      pump (5);
      t0 = now_ms ();
      gw_incident_layer_upsert (pins, part, FALSE);
      *add_ms = MIN (*add_ms, now_ms () - t0);
      t0 = now_ms ();
      gtk_widget_allocate (map, w, h, -1, NULL);
      node = gw_bench_snapshot_widget (map);
      *add_frame_ms = MIN (*add_frame_ms, now_ms () - t0);
    }

  /* 1,000 changed incidents through the store and the view: a stage change each, some
   * going late. Measures GwStore apply + the view's ::changed handler, then the frame. */
  {
    g_autoptr(GwStore) store = gw_store_new ();
    GwStoreBatch *batch = gw_store_batch_new ();
    g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);

    gw_store_set_reference (store, b->cells, g_ptr_array_new (), g_ptr_array_new ());
    for (guint i = 0; i < part->len; i++)
      gw_store_batch_upsert (batch, g_ptr_array_index (part, i));
    gw_store_apply (store, batch);
    gw_map_view_set_store (b->view, store);
    gw_bench_set_frame_view (b->viewport, b->fit_lon, b->fit_lat, b->fit_zoom, 0, N_FRAMES);
    pump (50);

    for (guint i = 0; i < 1000; i++)
      {
        GwIncident *copy = gw_incident_copy (g_ptr_array_index (part, i * 19));
        copy->stage = copy->stage == GW_STAGE_RECEIVED ? GW_STAGE_DISPATCHED : GW_STAGE_REPORTED_DONE;
        if (i % 5 == 0)
          copy->deadline = b->now - GW_USEC_PER_MIN;
        copy->seq = 2;
        g_ptr_array_add (changed, copy);
      }

    batch = gw_store_batch_new ();
    for (guint i = 0; i < changed->len; i++)
      gw_store_batch_upsert (batch, g_ptr_array_index (changed, i));
    t0 = now_ms ();
    gw_store_apply (store, batch);
    *apply_ms = now_ms () - t0;

    {
      g_autoptr(GskRenderNode) node = NULL;
      t0 = now_ms ();
      gtk_widget_allocate (map, w, h, -1, NULL);
      node = gw_bench_snapshot_widget (map);
      *apply_frame_ms = now_ms () - t0;
    }

    /* The layer alone. */
    t0 = now_ms ();
    gw_incident_layer_upsert (pins, changed, FALSE);
    *apply_layer_ms = now_ms () - t0;

    gw_map_view_set_store (b->view, NULL);
    gw_cell_layer_set_cells (gw_map_view_get_cell_layer (b->view), b->cells);
  }
}

static gboolean
ready (Bench *b)
{
  return gtk_widget_get_mapped (GTK_WIDGET (b->map)) && gtk_widget_get_width (GTK_WIDGET (b->map)) > 0;
}

int
main (int argc, char **argv)
{
  gboolean quick = argc > 1 && g_str_equal (argv[1], "--quick");
  double add_ms, add_frame_ms, apply_ms, apply_frame_ms, apply_layer_ms, ours_peak_mb;
  Bench b = { 0 };
  GwBBox street;
  struct rusage usage;

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  gtk_init ();
  adw_init ();
  {
    /* The layers against the stock ones: no basemap tiles under either. */
    g_autoptr(GSettings) settings = gw_settings_new ();
    g_settings_set_string (settings, "basemap", "none");
  }
  results = g_array_new (FALSE, TRUE, sizeof (Result));

  b.now = gw_time_now ();
  b.cells = make_cells ();
  b.incidents = make_incidents (100000, b.now);

  b.window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (b.window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (b.window), WIDTH, HEIGHT);
  b.view = GW_MAP_VIEW (gw_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (b.window), GTK_WIDGET (b.view));
  gtk_window_present (GTK_WINDOW (b.window));
  b.map = gw_map_view_get_map (b.view);
  b.viewport = shumate_map_get_viewport (b.map);
  gw_incident_layer_set_animate (gw_map_view_get_incident_layer (b.view), FALSE);
  for (double end = now_ms () + 5000; !ready (&b) && now_ms () < end;)
    g_main_context_iteration (NULL, TRUE);
  pump (200);

  gw_cell_layer_set_cells (gw_map_view_get_cell_layer (b.view), b.cells);
  gw_cell_layer_get_bounds (gw_map_view_get_cell_layer (b.view), &street);
  b.fit_zoom = gw_geo_zoom_for_bbox (&street, gtk_widget_get_width (GTK_WIDGET (b.map)),
                                     gtk_widget_get_height (GTK_WIDGET (b.map)), 256, 32);
  gw_geo_unproject ((street.x0 + street.x1) / 2, (street.y0 + street.y1) / 2, &b.fit_lon, &b.fit_lat);

  fprintf (stderr, "map %dx%d, %u cells, fit zoom %.2f; %d frames: pan at fit+1.5, zoom fit..fit+3\n",
           gtk_widget_get_width (GTK_WIDGET (b.map)), gtk_widget_get_height (GTK_WIDGET (b.map)),
           b.cells->len, b.fit_zoom, N_FRAMES);
  fprintf (stderr, "  %-44s %7s  %8s %8s %8s   (ms per frame: layout + snapshot)\n",
           "scenario", "items", "mean", "p95", "max");

  bench_ours_cells (&b, TRUE);
  bench_ours_cells (&b, FALSE);
  bench_ours (&b, 1000);
  bench_ours (&b, 5000);
  bench_ours (&b, 20000);
  bench_ours (&b, 100000);
  bench_ours_pins_only (&b, 1000);
  bench_ours_pins_only (&b, 5000);
  bench_ours_pins_only (&b, 20000);
  bench_ours_pins_only (&b, 100000);
  bench_add_and_apply (&b, &add_ms, &add_frame_ms, &apply_ms, &apply_frame_ms, &apply_layer_ms);
  gw_incident_layer_clear (gw_map_view_get_incident_layer (b.view));
  getrusage (RUSAGE_SELF, &usage);
  ours_peak_mb = usage.ru_maxrss / 1024.0;

  bench_stock_paths (&b, 100);
  bench_stock_markers (&b, 1000);
  bench_stock_markers (&b, 5000);
  if (!quick)
    bench_stock_markers (&b, 20000);

  getrusage (RUSAGE_SELF, &usage);

  /* The table, with the stock baseline side by side. */
  const Result *r = (const Result *) (gconstpointer) results->data;
  printf ("\n%-8s %-30s | %-10s %-10s %-10s | %-12s %-10s\n",
          "pins", "", "ours mean", "ours p95", "stock mean", "stock/ours", "add (ms)");
  for (guint i = 0; i < results->len; i++)
    if (g_str_has_prefix (r[i].name, "ours: 2,000 cells + pins") ||
        g_str_has_prefix (r[i].name, "ours: pins only"))
      {
        const Result *stock = NULL;
        for (guint k = 0; k < results->len; k++)
          if (g_str_has_prefix (r[k].name, "stock: ShumateMarker") && r[k].items == r[i].items)
            stock = &r[k];
        if (stock != NULL)
          printf ("%-8u %-30s | %-10.3f %-10.3f %-10.3f | %-12.1f ours %.1f / stock %.0f\n",
                  r[i].items, r[i].name + 6, r[i].mean_ms, r[i].p95_ms, stock->mean_ms,
                  stock->mean_ms / r[i].mean_ms, r[i].load_ms, stock->load_ms);
        else
          printf ("%-8u %-30s | %-10.3f %-10.3f %-10s | %-12s ours %.1f\n",
                  r[i].items, r[i].name + 6, r[i].mean_ms, r[i].p95_ms, "—", "—",
                  r[i].load_ms);
      }
  for (guint i = 0; i < results->len; i++)
    if (g_str_has_prefix (r[i].name, "stock: one ShumatePathLayer"))
      printf ("%-8s %-30s | %-10.3f %-10.3f %-10.3f | %-12.1f RSS +%.0f MB stock\n",
              "cells", "100 cells: GwCellLayer vs paths", r[i + 1].mean_ms, r[i + 1].p95_ms,
              r[i].mean_ms, r[i].mean_ms / r[i + 1].mean_ms, r[i].rss_mb);
  printf ("\nadd 20k pins: %.1f ms (call) + %.1f ms (first frame)\n", add_ms, add_frame_ms);
  printf ("apply 1,000 changed incidents: %.1f ms (store + view handler), %.1f ms next frame, "
          "%.1f ms layer alone\n", apply_ms, apply_frame_ms, apply_layer_ms);
  printf ("peak RSS: %.0f MB after our scenarios (100k incidents, 2,000 cells, everything loaded);"
          " %.0f MB at the end, after the stock ones\n", ours_peak_mb, usage.ru_maxrss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (b.window));
  g_ptr_array_unref (b.incidents);
  g_ptr_array_unref (b.cells);
  g_array_unref (results);
  return 0;
}
