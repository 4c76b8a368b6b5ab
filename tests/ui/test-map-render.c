/* test-map-render.c — headless renders of the map with known cells and pins
 *
 * Runs under Xvfb (dbus-run-session -- xvfb-run -a). Renders the GwMapView through its
 * window's GskRenderer to a texture, saves it as PNG (into $GW_TEST_OUTDIR, or the
 * current directory) and checks pixels at known places: a late pin is red at its
 * projected spot, a cell has its choropleth fill inside it, the ground is dark outside.
 * Also checks hit testing, clustering through the layer and the wall's view rules.
 */
#include "gw-test-ui.h"
#include <math.h>
#include <adwaita.h>

#include "gw-cluster.h"
#include "gw-geo.h"
#include "gw-map-view.h"
#include "gw-settings.h"

#define WIDTH  900
#define HEIGHT 640

/* Three cells of a street near 郑州市中原区绿东村街道 (lon, lat). */
static const double cell_a[] = { 113.600, 34.760, 113.620, 34.760, 113.622, 34.745,
                                 113.610, 34.740, 113.600, 34.745 };
static const double cell_b[] = { 113.620, 34.760, 113.640, 34.761, 113.640, 34.745,
                                 113.622, 34.745 };
static const double cell_c[] = { 113.600, 34.745, 113.610, 34.740, 113.622, 34.745,
                                 113.640, 34.745, 113.640, 34.730, 113.600, 34.730 };

#define LATE_LON  113.630
#define LATE_LAT  34.7525
#define OPEN_LON  113.606
#define OPEN_LAT  34.7555

typedef struct {
  GtkWidget *window;
  GwMapView *view;
  GwStore   *store;
  GwTime     now;
} Fixture;

static GwCell *
make_cell (const char *code, const char *name, const double *ring, guint n)
{
  GwCell *cell = gw_cell_new ();

  cell->code = g_strdup (code);
  cell->name = g_strdup (name);
  cell->community = g_strdup ("绿东村社区");
  cell->worker_name = g_strdup ("王芳");
  cell->worker_phone = g_strdup ("13800000000");
  cell->party_branch = g_strdup ("绿东村第一党支部");
  gw_cell_set_ring (cell, ring, n);
  return cell;
}

static GwIncident *
make_incident (const char *id, const char *class_code, const char *cell_code,
               double lon, double lat, GwStage stage, GwTime received, GwTime deadline)
{
  GwIncident *incident = gw_incident_new ();

  incident->id = g_strdup (id);
  incident->title = g_strdup_printf ("垃圾满溢 %s", id);
  incident->class_code = g_strdup (class_code);
  incident->cell_code = g_strdup (cell_code);
  incident->address = g_strdup ("绿东村小区 3 号楼");
  incident->lon = lon;
  incident->lat = lat;
  incident->stage = stage;
  incident->priority = GW_PRIORITY_NORMAL;
  incident->received_at = received;
  incident->deadline = deadline;
  incident->updated_at = received;
  incident->seq = 1;
  incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  return incident;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  g_autoptr(GPtrArray) depts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  GwIncidentClass *klass;
  GwDepartment *dept;
  GwStoreBatch *batch;

  f->now = gw_time_now ();
  f->store = gw_store_new ();
  /* Cells and pins over the bare ground: the basemap has tests of its own (test-basemap). */
  {
    g_autoptr(GSettings) settings = gw_settings_new ();
    g_settings_set_string (settings, "basemap", "none");
  }

  g_ptr_array_add (cells, make_cell ("41010200100101", "绿东一网格", cell_a, 5));
  g_ptr_array_add (cells, make_cell ("41010200100102", "绿东二网格", cell_b, 4));
  g_ptr_array_add (cells, make_cell ("41010200100103", "绿东三网格", cell_c, 6));
  dept = gw_department_new ();
  dept->id = g_strdup ("huanwei");
  dept->name = g_strdup ("环卫");
  g_ptr_array_add (depts, dept);
  klass = gw_incident_class_new ();
  klass->code = g_strdup ("0101");
  klass->name = g_strdup ("垃圾满溢");
  klass->category = g_strdup ("市容环境");
  g_ptr_array_add (classes, klass);
  gw_store_set_reference (f->store, cells, depts, classes);

  batch = gw_store_batch_new ();
  /* Cell A: eight open cases (darkest... brightest class); cell B: one late case with no
   * class glyph so its pin is plain red in the middle; cell C: nothing. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *id = g_strdup_printf ("A%u", i);
      g_autoptr(GwIncident) inc = make_incident (id, "0101", "41010200100101",
                                                 OPEN_LON + 0.0004 * i, OPEN_LAT,
                                                 i == 0 ? GW_STAGE_RECEIVED : GW_STAGE_DISPATCHED,
                                                 f->now - GW_USEC_PER_HOUR,
                                                 f->now + 5 * GW_USEC_PER_HOUR);
      gw_store_batch_upsert (batch, inc);
    }
  {
    g_autoptr(GwIncident) late = make_incident ("LATE", "9999", "41010200100102",
                                                LATE_LON, LATE_LAT, GW_STAGE_DISPATCHED,
                                                f->now - 5 * GW_USEC_PER_HOUR,
                                                f->now - GW_USEC_PER_HOUR);
    late->department = g_strdup ("huanwei");
    gw_store_batch_upsert (batch, late);
  }
  gw_store_apply (f->store, batch);

  f->view = gw_test_ui_map_view_new (f->store, WIDTH, HEIGHT, &f->window);
  gw_test_ui_drain (300);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  gw_test_ui_drain (300);
}

static GwTestImage *
render (Fixture *f, const char *name)
{
  return gw_test_ui_render_map (f->window, f->view, WIDTH, HEIGHT, name);
}

/* Where (lon, lat) is on the view, by libshumate's own projection. */
static void
test_render_pixels (Fixture *f, gconstpointer data)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  GwCellLayer *cells = gw_map_view_get_cell_layer (f->view);
  GdkRGBA red, ground = { 0.082, 0.094, 0.110, 1 }, fill;
  double x, y, lx, ly;
  guint min, max;

  g_assert_cmpuint (gw_incident_layer_get_n_pins (pins), ==, 9);
  g_assert_cmpuint (gw_cell_layer_get_n_cells (cells), ==, 3);
  g_assert_cmpuint (gw_cell_layer_get_stats (cells, "41010200100101")->open, ==, 8);
  g_assert_cmpuint (gw_cell_layer_get_stats (cells, "41010200100102")->late, ==, 1);

  /* Our projection and libshumate's agree to a hundredth of a pixel. */
  gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &x, &y);
  g_assert_true (gw_incident_layer_get_pin_position (pins, "LATE", &lx, &ly));
  g_assert_cmpfloat_with_epsilon (lx, x, 0.01);
  g_assert_cmpfloat_with_epsilon (ly, y, 0.01);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, WIDTH);

  g_autoptr(GwTestImage) image = render (f, "map-render.png");

  /* The late pin is red at its spot (no class glyph on this one) and a little off it. */
  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  gw_test_image_assert_color (image, x, y, &red, 0.08);
  gw_test_image_assert_color (image, x - 6, y, &red, 0.08);

  /* Inside cell C (no cases), away from labels: class 0 fill. */
  gw_cell_layer_get_class (cells, 0, &fill, &min, &max);
  gw_test_ui_location_to_view (f->view, 113.634, 34.734, &x, &y);
  gw_test_image_assert_color (image, x, y, &fill, 0.03);

  /* Inside cell A (8 open): the class holding 8. */
  for (guint k = 1; k < GW_CELL_LAYER_N_CLASSES; k++)
    {
      gw_cell_layer_get_class (cells, k, &fill, &min, &max);
      if (min <= 8 && 8 <= max)
        break;
    }
  gw_test_ui_location_to_view (f->view, 113.603, 34.7465, &x, &y);
  gw_test_image_assert_color (image, x, y, &fill, 0.03);

  /* Outside every cell: the dark ground. */
  gw_test_ui_location_to_view (f->view, 113.590, 34.762, &x, &y);
  if (x > 0 && y > 0)
    gw_test_image_assert_color (image, x, y, &ground, 0.02);
  gw_test_image_assert_color (image, 3, 3, &ground, 0.02);
  gw_test_image_assert_color (image, WIDTH - 3, HEIGHT / 2.0, &ground, 0.02);

  /* Close up, the pins of cell A stand alone: the waiting one is blue at its edge, the
   * dispatched ones amber, and the countdown ring is drawn around them. */
  ShumateMap *map = gw_map_view_get_map (f->view);
  shumate_map_center_on (map, OPEN_LAT, OPEN_LON + 0.0014);
  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 18);
  g_autoptr(GwTestImage) close_up = render (f, "map-render-pins.png");
  GdkRGBA blue, amber;
  gw_pin_status_get_color (GW_PIN_STATUS_WAITING, &blue);
  gw_pin_status_get_color (GW_PIN_STATUS_ACTIVE, &amber);
  gw_test_ui_location_to_view (f->view, OPEN_LON, OPEN_LAT, &x, &y);
  gw_test_image_assert_color (close_up, x - 8, y, &blue, 0.08);
  gw_test_ui_location_to_view (f->view, OPEN_LON + 0.0004, OPEN_LAT, &x, &y);
  gw_test_image_assert_color (close_up, x - 8, y, &amber, 0.08);
}

static void
count_activation_cb (gpointer layer, gpointer boxed, guint *count)
{
  g_assert_nonnull (boxed);
  (*count)++;
}

static void
test_hit_testing (Fixture *f, gconstpointer data)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  GwCellLayer *cells = gw_map_view_get_cell_layer (f->view);
  GwIncidentPick pick;
  double x, y;
  GwCell *cell;
  guint activated = 0;

  gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &x, &y);
  g_assert_true (gw_incident_layer_pick (pins, x + 4, y - 3, &pick));
  g_assert_nonnull (pick.incident);
  g_assert_cmpstr (pick.incident->id, ==, "LATE");
  g_assert_cmpuint (pick.count, ==, 1);
  g_assert_cmpuint (pick.counts[GW_PIN_STATUS_LATE], ==, 1);
  /* Nothing 40 px away. */
  g_assert_false (gw_incident_layer_pick (pins, x + 40, y, NULL));

  cell = gw_cell_layer_pick (cells, x + 40, y);
  g_assert_nonnull (cell);
  g_assert_cmpstr (cell->code, ==, "41010200100102");
  gw_test_ui_location_to_view (f->view, 113.634, 34.734, &x, &y);
  cell = gw_cell_layer_pick (cells, x, y);
  g_assert_nonnull (cell);
  g_assert_cmpstr (cell->code, ==, "41010200100103");
  gw_test_ui_location_to_view (f->view, 113.590, 34.762, &x, &y);
  g_assert_null (gw_cell_layer_pick (cells, x, y));

  /* Activation emits the layer's signal with what was hit. */
  gw_test_ui_location_to_view (f->view, 113.634, 34.734, &x, &y);
  g_signal_connect (cells, "cell-activated", G_CALLBACK (count_activation_cb), &activated);
  g_assert_true (gw_cell_layer_activate_at (cells, x, y));
  g_assert_cmpuint (activated, ==, 1);
  gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &x, &y);
  g_signal_connect (pins, "incident-activated", G_CALLBACK (count_activation_cb), &activated);
  g_assert_true (gw_incident_layer_activate_at (pins, x, y));
  g_assert_cmpuint (activated, ==, 2);
  g_assert_false (gw_incident_layer_activate_at (pins, x + 40, y));
  g_assert_cmpuint (activated, ==, 2);
}

static void
test_clusters_at_low_zoom (Fixture *f, gconstpointer data)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  ShumateMap *map = gw_map_view_get_map (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  GwIncidentPick pick;
  double x, y;

  /* At zoom 10 the whole street is a few pixels: one cluster holds every pin. */
  shumate_viewport_set_zoom_level (viewport, 10);
  gw_test_ui_location_to_view (f->view, 113.62, 34.75, &x, &y);
  g_autoptr(GwTestImage) image = render (f, "map-render-clusters.png");

  g_assert_true (gw_incident_layer_pick (pins, x, y, &pick));
  g_assert_null (pick.incident);
  g_assert_cmpuint (pick.count, ==, 9);
  g_assert_cmpuint (pick.counts[GW_PIN_STATUS_LATE], ==, 1);
  g_assert_cmpuint (pick.counts[GW_PIN_STATUS_WAITING], ==, 1);
  g_assert_cmpuint (pick.counts[GW_PIN_STATUS_ACTIVE], ==, 7);
  g_assert_cmpuint (pick.counts[GW_PIN_STATUS_CLOSED], ==, 0);

  /* The cluster bubble is drawn there: its dark disc, not the ground. */
  GdkRGBA got;
  gw_test_image_pixel (image, pick.x + 8, pick.y + 8, &got);
  g_assert_cmpfloat (fabs (got.red - 0.082) + fabs (got.green - 0.094), >, 0.0);
}

/* Where the legend is drawn, in the view's coordinates. */
static graphene_rect_t
legend_bounds (Fixture *f)
{
  GtkWidget *legend = gw_test_ui_find_by_class (GTK_WIDGET (f->view), "gw-map-legend");
  graphene_rect_t bounds;

  g_assert_nonnull (legend);
  g_assert_true (gtk_widget_get_visible (legend));
  g_assert_true (gtk_widget_compute_bounds (legend, GTK_WIDGET (f->view), &bounds));
  g_assert_cmpfloat (bounds.size.width, >, 40);
  g_assert_cmpfloat (bounds.size.height, >, 10);
  return bounds;
}

static void
test_legend_margin (Fixture *f, gconstpointer data)
{
  GwIncidentLayer *pins = gw_map_view_get_incident_layer (f->view);
  GwStoreBatch *batch = gw_store_batch_new ();
  g_autoptr(GwIncident) corner = NULL;
  graphene_rect_t legend;
  GdkRGBA red, got;
  double x, y, r = 17;

  /* A late pin on the street's bottom-left corner (cell C's), next to the legend. */
  corner = make_incident ("CORNER", "9999", "41010200100103", 113.600, 34.730,
                          GW_STAGE_DISPATCHED, f->now - 5 * GW_USEC_PER_HOUR,
                          f->now - GW_USEC_PER_HOUR);
  gw_store_batch_upsert (batch, corner);
  gw_store_apply (f->store, batch);
  gw_test_ui_drain (300);
  g_assert_nonnull (gw_incident_layer_lookup (pins, "CORNER"));
  gw_map_view_resume_auto_fit (f->view);
  gw_test_ui_drain (300);

  g_autoptr(GwTestImage) image = render (f, "map-render-legend.png");
  legend = legend_bounds (f);
  gw_test_ui_location_to_view (f->view, 113.600, 34.730, &x, &y);

  /* The whole pin (its ring included) is clear of the legend... */
  g_assert_false (graphene_rect_intersection (&legend, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r),
                                              NULL));
  /* ...and drawn: red at its centre and on either side, not legend-tinted. */
  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  gw_test_image_assert_color (image, x, y, &red, 0.08);
  gw_test_image_assert_color (image, x - 6, y, &red, 0.08);
  gw_test_image_assert_color (image, x + 6, y, &red, 0.08);

  /* The legend is see-through: inside it, away from text, the ground still shows a
   * little (neither the ground itself nor black). */
  gw_test_image_pixel (image, legend.origin.x + 2, legend.origin.y + legend.size.height / 2, &got);
  g_assert_cmpfloat (got.red + got.green + got.blue, >, 0.02);
  g_assert_cmpfloat (got.red + got.green + got.blue, <, 0.082 + 0.094 + 0.110);
}

/* Merged levels equal clustering the points directly; the visible runs hold every
 * cluster in a box. (Core functions the layer's speed rests on.) */
static void
test_cluster_levels (void)
{
  g_autoptr(GwPointIndex) index = gw_point_index_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree guint8 *cats = g_new (guint8, 5000);

  for (guint i = 0; i < 5000; i++)
    {
      /* A street-sized patch, denser in one corner. */
      double x = 0.8123 + 0.0004 * pow (g_rand_double (rand), 2);
      double y = 0.4041 + 0.0004 * g_rand_double (rand);
      cats[i] = g_rand_int_range (rand, 0, 4);
      gw_point_index_insert (index, i, x, y);
    }

  for (guint fine = 14; fine <= 24; fine += 5)
    {
      g_autoptr(GArray) base = gw_point_index_cluster (index, fine, cats, 4);
      for (guint level = 10; level <= fine; level++)
        {
          g_autoptr(GArray) direct = gw_point_index_cluster (index, level, cats, 4);
          g_autoptr(GArray) merged = gw_clusters_coarsen (base, fine, level);

          g_assert_cmpuint (merged->len, ==, direct->len);
          for (guint k = 0; k < direct->len; k++)
            {
              const GwCluster *a = &g_array_index (direct, GwCluster, k);
              const GwCluster *b = &g_array_index (merged, GwCluster, k);
              g_assert_cmpuint (a->cell, ==, b->cell);
              g_assert_cmpuint (a->start, ==, b->start);
              g_assert_cmpuint (a->count, ==, b->count);
              g_assert_cmpmem (a->counts, sizeof a->counts, b->counts, sizeof b->counts);
              g_assert_cmpfloat_with_epsilon (a->x, b->x, 1e-12);
              g_assert_cmpfloat_with_epsilon (a->y, b->y, 1e-12);
            }
        }

      /* Boxes of several sizes: the runs cover every cluster inside, in order. */
      for (guint t = 0; t < 50; t++)
        {
          double w = 0.0004 * g_rand_double_range (rand, 0.01, 1.2);
          double x0 = 0.8123 + 0.0004 * g_rand_double (rand) - w / 2;
          double y0 = 0.4041 + 0.0004 * g_rand_double (rand) - w / 2;
          GwBBox box = { x0, y0, x0 + w, y0 + w * 0.6 };
          g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (guint));
          g_autofree gboolean *covered = g_new0 (gboolean, base->len);

          gw_clusters_runs_in_box (base, fine, &box, runs);
          for (guint r = 0; r < runs->len; r += 2)
            {
              guint a = g_array_index (runs, guint, r), b = g_array_index (runs, guint, r + 1);
              g_assert_cmpuint (a, <, b);
              g_assert_cmpuint (b, <=, base->len);
              if (r > 0)
                g_assert_cmpuint (a, >, g_array_index (runs, guint, r - 1));
              for (guint k = a; k < b; k++)
                covered[k] = TRUE;
            }
          for (guint k = 0; k < base->len; k++)
            {
              const GwCluster *c = &g_array_index (base, GwCluster, k);
              if (gw_bbox_contains (&box, c->x, c->y))
                g_assert_true (covered[k]);
            }
        }
    }
}

/* Panning at one zoom reuses the drawn pins, moved: they still land on their places. */
static void
test_pan_moves_pins (Fixture *f, gconstpointer data)
{
  ShumateMap *map = gw_map_view_get_map (f->view);
  GdkRGBA red;
  double x, y;

  gw_pin_status_get_color (GW_PIN_STATUS_LATE, &red);
  for (guint step = 0; step < 3; step++)
    {
      g_autofree char *name = g_strdup_printf ("map-render-pan-%u.png", step);
      shumate_map_center_on (map, LATE_LAT - 0.001 * step, LATE_LON - 0.0015 * step);
      gw_test_ui_location_to_view (f->view, LATE_LON, LATE_LAT, &x, &y);
      g_autoptr(GwTestImage) image = render (f, name);
      gw_test_image_assert_color (image, x, y, &red, 0.08);
      gw_test_image_assert_color (image, x - 6, y, &red, 0.08);
      gw_test_image_assert_color (image, x + 6, y, &red, 0.08);
    }
}

static gboolean
double_equal (double a, double b)
{
  return fabs (a - b) < 1e-9;
}

static void
test_view_behaviour (Fixture *f, gconstpointer data)
{
  ShumateMap *map = gw_map_view_get_map (f->view);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  double zoom, lat, lon, cx, cy;
  GwBBox street;

  /* Fitted to the street on start: every corner of it in view and clear of the legend,
   * the street centred in what the legend leaves free. */
  g_assert_false (gw_map_view_get_locked (f->view));
  gw_cell_layer_get_bounds (gw_map_view_get_cell_layer (f->view), &street);
  {
    graphene_rect_t legend = legend_bounds (f);
    GtkWidget *controls = gw_test_ui_find_by_class (GTK_WIDGET (f->view), "gw-map-controls");
    graphene_rect_t bar;
    double xs[2] = { street.x0, street.x1 }, ys[2] = { street.y0, street.y1 };
    double sx[2], sy[2];

    for (guint i = 0; i < 2; i++)
      {
        double plon, plat;
        gw_geo_unproject (xs[i], ys[i], &plon, &plat);
        gw_test_ui_location_to_view (f->view, plon, plat, &sx[i], &sy[i]);
        g_assert_cmpfloat (sx[i], >=, 0);
        g_assert_cmpfloat (sx[i], <=, WIDTH);
        g_assert_cmpfloat (sy[i], >=, 0);
        g_assert_cmpfloat (sy[i], <=, HEIGHT);
      }
    /* The street's bottom-left corner, where the legend sits, is above or right of it. */
    g_assert_true (sy[1] < legend.origin.y || sx[0] > legend.origin.x + legend.size.width);
    cx = (sx[0] + sx[1]) / 2;
    cy = (sy[0] + sy[1]) / 2;
    /* The street also keeps out of the strip along the top with the map controls. */
    g_assert_nonnull (controls);
    g_assert_true (gtk_widget_compute_bounds (controls, GTK_WIDGET (f->view), &bar));
    g_assert_cmpfloat (sy[0], >=, bar.origin.y + bar.size.height);
    if (sy[1] < legend.origin.y)
      g_assert_cmpfloat_with_epsilon (cy, (bar.origin.y + bar.size.height + legend.origin.y) / 2.0, 20);
    else
      g_assert_cmpfloat_with_epsilon (cx, (legend.origin.x + legend.size.width + WIDTH) / 2.0, 20);
  }
  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  zoom = shumate_viewport_get_zoom_level (viewport);
  g_assert_cmpfloat (zoom, >, 13);

  /* A data refresh never moves the view. */
  {
    GwStoreBatch *batch = gw_store_batch_new ();
    g_autoptr(GwIncident) far = make_incident ("FAR", "0101", NULL, 113.9, 34.9,
                                               GW_STAGE_RECEIVED, f->now, GW_TIME_NONE);
    gw_store_batch_upsert (batch, far);
    gw_store_apply (f->store, batch);
    gw_test_ui_drain (300);
  }
  g_assert_true (double_equal (shumate_viewport_get_zoom_level (viewport), zoom));
  g_assert_true (double_equal (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), lat));
  g_assert_true (double_equal (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), lon));
  g_assert_false (gw_map_view_get_locked (f->view));

  /* A manual pan locks the view; resuming fits the street again. */
  shumate_map_center_on (map, lat + 0.01, lon + 0.01);
  g_assert_true (gw_map_view_get_locked (f->view));
  gw_map_view_resume_auto_fit (f->view);
  g_assert_false (gw_map_view_get_locked (f->view));
  g_assert_true (double_equal (shumate_viewport_get_zoom_level (viewport), zoom));
  g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), lat, 1e-9);

  /* Keys: + zooms in (and locks), an arrow pans, Home shows the whole street. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "map.zoom-in", NULL);
  gw_test_ui_drain (300);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, zoom);
  g_assert_true (gw_map_view_get_locked (f->view));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "map.pan", "(ii)", 1, 0);
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), >, lon);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "map.home", NULL);
  g_assert_false (gw_map_view_get_locked (f->view));
  g_assert_true (double_equal (shumate_viewport_get_zoom_level (viewport), zoom));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "map.zoom-out", NULL);
  gw_test_ui_drain (300);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), <, zoom);
  g_assert_true (gw_map_view_get_locked (f->view));
}

static void
test_cards (Fixture *f, gconstpointer data)
{
  GwIncident *late = gw_store_lookup (f->store, "LATE");
  GwCell *cell = gw_store_lookup_cell (f->store, "41010200100101");

  /* Opening the cards neither crashes nor warns (criticals are fatal here). */
  gw_map_view_show_incident (f->view, late);
  gw_test_ui_drain (300);
  g_autoptr(GwTestImage) image = render (f, "map-render-card.png");
  gw_map_view_show_cell (f->view, cell);
  gw_test_ui_drain (300);
  g_autoptr(GwTestImage) image2 = render (f, "map-render-cell-card.png");
}

int
main (int argc, char **argv)
{
  gw_test_ui_init (&argc, &argv);

  g_test_add ("/map/render/pixels", Fixture, NULL, fixture_setup, test_render_pixels, fixture_teardown);
  g_test_add ("/map/hit-testing", Fixture, NULL, fixture_setup, test_hit_testing, fixture_teardown);
  g_test_add ("/map/clusters", Fixture, NULL, fixture_setup, test_clusters_at_low_zoom, fixture_teardown);
  g_test_add ("/map/view-behaviour", Fixture, NULL, fixture_setup, test_view_behaviour, fixture_teardown);
  g_test_add ("/map/cards", Fixture, NULL, fixture_setup, test_cards, fixture_teardown);
  g_test_add_func ("/map/cluster-levels", test_cluster_levels);
  g_test_add ("/map/pan-moves-pins", Fixture, NULL, fixture_setup, test_pan_moves_pins, fixture_teardown);
  g_test_add ("/map/legend-margin", Fixture, NULL, fixture_setup, test_legend_margin, fixture_teardown);

  return g_test_run ();
}
