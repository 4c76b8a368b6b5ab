/* test-geo.c — Web-Mercator round trips, GCJ-02 reference points, bounding boxes */
#include <math.h>

#include "gw-geo.h"

static void
test_mercator_known (void)
{
  double x, y;

  gw_geo_project (0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (y, 0.5, 1e-15);

  gw_geo_project (-180, GW_GEO_MAX_LATITUDE, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-12);

  gw_geo_project (180, -GW_GEO_MAX_LATITUDE, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (y, 1.0, 1e-12);

  /* Beyond the square world latitudes clamp instead of going infinite. */
  gw_geo_project (0, 90, &x, &y);
  g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-12);

  /* Slippy-map tile of Tian'anmen at zoom 15: x 26978, y 12416 (OSM tile naming). */
  gw_geo_project (116.3975, 39.9087, &x, &y);
  g_assert_cmpint ((int) floor (x * (1 << 15)), ==, 26978);
  g_assert_cmpint ((int) floor (y * (1 << 15)), ==, 12416);
}

static void
test_mercator_round_trip (void)
{
  for (double lat = -85; lat <= 85; lat += 0.731)
    for (double lon = -180; lon <= 180; lon += 1.37)
      {
        double x, y, lon2, lat2;

        gw_geo_project (lon, lat, &x, &y);
        g_assert_cmpfloat (x, >=, 0.0);
        g_assert_cmpfloat (x, <=, 1.0);
        g_assert_cmpfloat (y, >=, 0.0);
        g_assert_cmpfloat (y, <=, 1.0);
        gw_geo_unproject (x, y, &lon2, &lat2);
        g_assert_cmpfloat_with_epsilon (lon2, lon, 1e-9);
        g_assert_cmpfloat_with_epsilon (lat2, lat, 1e-9);
      }

  double lonlat[] = { 113.62, 34.75, 114.03, 22.62 };
  double xy[4];
  gw_geo_project_array (lonlat, xy, 2);
  for (guint i = 0; i < 2; i++)
    {
      double x, y;
      gw_geo_project (lonlat[2 * i], lonlat[2 * i + 1], &x, &y);
      g_assert_cmpfloat (xy[2 * i], ==, x);
      g_assert_cmpfloat (xy[2 * i + 1], ==, y);
    }
}

/* Reference points from published GCJ-02 implementations (values only, no code):
 *  - googollee/eviltransform, test.py `TESTS` (wgsLat, wgsLng, gcjLat, gcjLng):
 *    Shanghai, Shenzhen and Beijing.
 *  - wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915)
 *    = [116.41024449916938, 39.91640428150164].
 */
typedef struct {
  const char *name;
  double wgs_lon, wgs_lat;
  double gcj_lon, gcj_lat;
} GcjPoint;

static const GcjPoint gcj_points[] = {
  { "shanghai (eviltransform)", 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597 },
  { "shenzhen (eviltransform)", 113.912316, 22.543847, 113.9171764808363, 22.540796131694766 },
  { "beijing (eviltransform)", 116.377817, 39.911954, 116.38404722455657, 39.91334545536069 },
  { "beijing (coordtransform)", 116.404, 39.915, 116.41024449916938, 39.91640428150164 },
};

static void
test_gcj02_reference (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (gcj_points); i++)
    {
      const GcjPoint *p = &gcj_points[i];
      double lon, lat;

      g_test_message ("%s", p->name);
      gw_geo_wgs84_to_gcj02 (p->wgs_lon, p->wgs_lat, &lon, &lat);
      /* 1e-9° is about 0.1 mm: the same formula up to rounding. */
      g_assert_cmpfloat_with_epsilon (lon, p->gcj_lon, 1e-9);
      g_assert_cmpfloat_with_epsilon (lat, p->gcj_lat, 1e-9);

      /* The inverse lands back on the WGS-84 point (the published one-step inverses are
       * only good to 1–2 m; ours iterates). */
      gw_geo_gcj02_to_wgs84 (p->gcj_lon, p->gcj_lat, &lon, &lat);
      g_assert_cmpfloat (gw_geo_distance_m (lon, lat, p->wgs_lon, p->wgs_lat), <, 0.001);
    }
}

static void
test_gcj02_inverse_grid (void)
{
  /* Over mainland China the inverse is exact to well under a millimetre. */
  for (double lat = 18.5; lat < 53.5; lat += 1.7)
    for (double lon = 74; lon < 134; lon += 2.3)
      {
        double glon, glat, wlon, wlat;

        gw_geo_wgs84_to_gcj02 (lon, lat, &glon, &glat);
        /* The shift is a few hundred metres, never zero, never kilometres. */
        double shift = gw_geo_distance_m (lon, lat, glon, glat);
        g_assert_cmpfloat (shift, >, 1.0);
        g_assert_cmpfloat (shift, <, 1500.0);
        gw_geo_gcj02_to_wgs84 (glon, glat, &wlon, &wlat);
        g_assert_cmpfloat (gw_geo_distance_m (wlon, wlat, lon, lat), <, 0.001);
      }
}

static void
test_gcj02_outside_china (void)
{
  double lon, lat;

  /* Helsinki (the Open311 fixtures) and the antimeridian are not shifted. */
  gw_geo_wgs84_to_gcj02 (24.9384, 60.1699, &lon, &lat);
  g_assert_cmpfloat (lon, ==, 24.9384);
  g_assert_cmpfloat (lat, ==, 60.1699);
  gw_geo_gcj02_to_wgs84 (179.9, -10, &lon, &lat);
  g_assert_cmpfloat (lon, ==, 179.9);
  g_assert_cmpfloat (lat, ==, -10);
  g_assert_true (gw_geo_out_of_china (24.9384, 60.1699));
  g_assert_false (gw_geo_out_of_china (113.62, 34.75));
}

static void
test_distance (void)
{
  /* One degree of latitude is ~111.2 km on the mean sphere. */
  g_assert_cmpfloat_with_epsilon (gw_geo_distance_m (0, 0, 0, 1), 111195.08, 0.1);
  g_assert_cmpfloat (gw_geo_distance_m (113.6, 34.7, 113.6, 34.7), ==, 0.0);
}

static void
test_bbox (void)
{
  GwBBox a, b;

  gw_bbox_init_empty (&a);
  g_assert_true (gw_bbox_is_empty (&a));
  gw_bbox_add_point (&a, 0.2, 0.3);
  g_assert_false (gw_bbox_is_empty (&a));
  gw_bbox_add_point (&a, 0.4, 0.1);
  g_assert_cmpfloat (a.x0, ==, 0.2);
  g_assert_cmpfloat (a.y0, ==, 0.1);
  g_assert_cmpfloat (a.x1, ==, 0.4);
  g_assert_cmpfloat (a.y1, ==, 0.3);
  g_assert_true (gw_bbox_contains (&a, 0.3, 0.2));
  g_assert_false (gw_bbox_contains (&a, 0.5, 0.2));

  b = (GwBBox) { 0.39, 0.29, 0.6, 0.6 };
  g_assert_true (gw_bbox_intersects (&a, &b));
  b = (GwBBox) { 0.41, 0.29, 0.6, 0.6 };
  g_assert_false (gw_bbox_intersects (&a, &b));

  GwBBox e;
  gw_bbox_init_empty (&e);
  gw_bbox_union (&a, &e);
  g_assert_cmpfloat (a.x1, ==, 0.4);
  gw_bbox_union (&e, &b);
  g_assert_cmpfloat (e.x0, ==, 0.41);
  gw_bbox_expand (&e, 0.01);
  g_assert_cmpfloat_with_epsilon (e.x0, 0.40, 1e-12);

  /* A box of 1/1024 of the world in 1024×1024 pixels of 256-pixel tiles: zoom 12. */
  GwBBox z = { 0.5, 0.5, 0.5 + 1.0 / 1024, 0.5 + 1.0 / 2048 };
  g_assert_cmpfloat_with_epsilon (gw_geo_zoom_for_bbox (&z, 1024, 1024, 256, 0), 12.0, 1e-9);
  g_assert_cmpfloat (gw_geo_zoom_for_bbox (&z, 1024, 1024, 256, 64), <, 12.0);
}

static void
test_ring (void)
{
  /* An L shape. */
  const double ring[] = { 0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2, 0, 0 };

  g_assert_true (gw_geo_ring_contains (ring, 7, 0.5, 0.5));
  g_assert_true (gw_geo_ring_contains (ring, 7, 1.5, 0.5));
  g_assert_true (gw_geo_ring_contains (ring, 7, 0.5, 1.5));
  g_assert_false (gw_geo_ring_contains (ring, 7, 1.5, 1.5));
  g_assert_false (gw_geo_ring_contains (ring, 7, -0.1, 0.5));
  g_assert_false (gw_geo_ring_contains (ring, 2, 0.5, 0.5));

  g_assert_cmpfloat_with_epsilon (gw_geo_segment_dist2 (1, 1, 0, 0, 2, 0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (gw_geo_segment_dist2 (3, 0, 0, 0, 2, 0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (gw_geo_segment_dist2 (1, 1, 0, 0, 0, 0), 2.0, 1e-12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/mercator/known", test_mercator_known);
  g_test_add_func ("/geo/mercator/round-trip", test_mercator_round_trip);
  g_test_add_func ("/geo/gcj02/reference", test_gcj02_reference);
  g_test_add_func ("/geo/gcj02/inverse-grid", test_gcj02_inverse_grid);
  g_test_add_func ("/geo/gcj02/outside-china", test_gcj02_outside_china);
  g_test_add_func ("/geo/distance", test_distance);
  g_test_add_func ("/geo/bbox", test_bbox);
  g_test_add_func ("/geo/ring", test_ring);

  return g_test_run ();
}
