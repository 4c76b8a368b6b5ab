/* gw-geo.c — Web-Mercator projection, WGS-84 ⇄ GCJ-02, bounding boxes */
#include "gw-geo.h"

#include <math.h>

#define EARTH_RADIUS_M 6371008.8

/* GCJ-02 is WGS-84 shifted by a published polynomial-plus-sine offset computed on the
 * Krasovsky 1940 ellipsoid. */
#define KRASOVSKY_A  6378245.0
#define KRASOVSKY_EE 0.00669342162296594323

void
gw_geo_project (double lon, double lat, double *x, double *y)
{
  lat = CLAMP (lat, -GW_GEO_MAX_LATITUDE, GW_GEO_MAX_LATITUDE);
  double s = sin (lat * G_PI / 180.0);

  *x = (lon + 180.0) / 360.0;
  *y = 0.5 - log ((1.0 + s) / (1.0 - s)) / (4.0 * G_PI);
}

void
gw_geo_unproject (double x, double y, double *lon, double *lat)
{
  *lon = x * 360.0 - 180.0;
  *lat = 90.0 - 360.0 * atan (exp ((y - 0.5) * 2.0 * G_PI)) / G_PI;
}

void
gw_geo_project_array (const double *lonlat, double *xy, guint n)
{
  for (guint i = 0; i < n; i++)
    gw_geo_project (lonlat[2 * i], lonlat[2 * i + 1], &xy[2 * i], &xy[2 * i + 1]);
}

double
gw_geo_distance_m (double lon1, double lat1, double lon2, double lat2)
{
  double p1 = lat1 * G_PI / 180.0;
  double p2 = lat2 * G_PI / 180.0;
  double dp = p2 - p1;
  double dl = (lon2 - lon1) * G_PI / 180.0;
  double a = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 2.0 * EARTH_RADIUS_M * atan2 (sqrt (a), sqrt (1.0 - a));
}

gboolean
gw_geo_out_of_china (double lon, double lat)
{
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

static double
shift_lat (double x, double y)
{
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt (fabs (x));

  r += (20.0 * sin (6.0 * x * G_PI) + 20.0 * sin (2.0 * x * G_PI)) * 2.0 / 3.0;
  r += (20.0 * sin (y * G_PI) + 40.0 * sin (y / 3.0 * G_PI)) * 2.0 / 3.0;
  r += (160.0 * sin (y / 12.0 * G_PI) + 320.0 * sin (y * G_PI / 30.0)) * 2.0 / 3.0;
  return r;
}

static double
shift_lon (double x, double y)
{
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt (fabs (x));

  r += (20.0 * sin (6.0 * x * G_PI) + 20.0 * sin (2.0 * x * G_PI)) * 2.0 / 3.0;
  r += (20.0 * sin (x * G_PI) + 40.0 * sin (x / 3.0 * G_PI)) * 2.0 / 3.0;
  r += (150.0 * sin (x / 12.0 * G_PI) + 300.0 * sin (x / 30.0 * G_PI)) * 2.0 / 3.0;
  return r;
}

/* The GCJ-02 offset (degrees) at a WGS-84 point. */
static void
gcj_offset (double lon, double lat, double *dlon, double *dlat)
{
  double rad = lat * G_PI / 180.0;
  double m = 1.0 - KRASOVSKY_EE * sin (rad) * sin (rad);
  double sm = sqrt (m);

  *dlat = shift_lat (lon - 105.0, lat - 35.0) * 180.0 /
          ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (m * sm) * G_PI);
  *dlon = shift_lon (lon - 105.0, lat - 35.0) * 180.0 /
          (KRASOVSKY_A / sm * cos (rad) * G_PI);
}

void
gw_geo_wgs84_to_gcj02 (double lon, double lat, double *gcj_lon, double *gcj_lat)
{
  double dlon, dlat;

  if (gw_geo_out_of_china (lon, lat))
    {
      *gcj_lon = lon;
      *gcj_lat = lat;
      return;
    }

  gcj_offset (lon, lat, &dlon, &dlat);
  *gcj_lon = lon + dlon;
  *gcj_lat = lat + dlat;
}

void
gw_geo_gcj02_to_wgs84 (double gcj_lon, double gcj_lat, double *lon, double *lat)
{
  double wlon = gcj_lon;
  double wlat = gcj_lat;

  if (gw_geo_out_of_china (gcj_lon, gcj_lat))
    {
      *lon = gcj_lon;
      *lat = gcj_lat;
      return;
    }

  /* The offset changes slowly (a few hundred metres over the whole country), so
   * w ← w − (gcj(w) − target) converges in a handful of steps. */
  for (guint i = 0; i < 30; i++)
    {
      double glon, glat;

      gw_geo_wgs84_to_gcj02 (wlon, wlat, &glon, &glat);
      double elon = glon - gcj_lon;
      double elat = glat - gcj_lat;
      wlon -= elon;
      wlat -= elat;
      if (fabs (elon) < 1e-10 && fabs (elat) < 1e-10)
        break;
    }

  *lon = wlon;
  *lat = wlat;
}

double
gw_geo_zoom_for_bbox (const GwBBox *box,
                      double        width,
                      double        height,
                      double        tile_size,
                      double        padding)
{
  double w = MAX (box->x1 - box->x0, 1e-12);
  double h = MAX (box->y1 - box->y0, 1e-12);
  double aw = MAX (width - 2 * padding, 1.0);
  double ah = MAX (height - 2 * padding, 1.0);

  /* w * tile_size * 2^z <= aw */
  return MIN (log2 (aw / (w * tile_size)), log2 (ah / (h * tile_size)));
}

void
gw_geo_fit_bbox (const GwBBox *box,
                 double        width,
                 double        height,
                 double        tile_size,
                 double        padding,
                 double        left,
                 double        top,
                 double        right,
                 double        bottom,
                 double       *zoom,
                 double       *cx,
                 double       *cy)
{
  double fw = MAX (width - left - right, 1.0);
  double fh = MAX (height - top - bottom, 1.0);
  double z = gw_geo_zoom_for_bbox (box, fw, fh, tile_size, padding);
  double scale = tile_size * exp2 (z);

  /* The free part's centre is off the view's centre by half the insets' difference. */
  *zoom = z;
  *cx = (box->x0 + box->x1) / 2 - (left - right) / 2 / scale;
  *cy = (box->y0 + box->y1) / 2 - (top - bottom) / 2 / scale;
}

gboolean
gw_geo_ring_contains (const double *xy, guint n, double x, double y)
{
  gboolean inside = FALSE;

  if (n < 3)
    return FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = xy[2 * i], yi = xy[2 * i + 1];
      double xj = xy[2 * j], yj = xy[2 * j + 1];

      if ((yi > y) != (yj > y) &&
          x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }

  return inside;
}

double
gw_geo_segment_dist2 (double x, double y, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  dx = ax + t * dx - x;
  dy = ay + t * dy - y;
  return dx * dx + dy * dy;
}

void
gw_bbox_init_empty (GwBBox *box)
{
  box->x0 = box->y0 = G_MAXDOUBLE;
  box->x1 = box->y1 = -G_MAXDOUBLE;
}

gboolean
gw_bbox_is_empty (const GwBBox *box)
{
  return box->x0 > box->x1 || box->y0 > box->y1;
}

void
gw_bbox_add_point (GwBBox *box, double x, double y)
{
  box->x0 = MIN (box->x0, x);
  box->y0 = MIN (box->y0, y);
  box->x1 = MAX (box->x1, x);
  box->y1 = MAX (box->y1, y);
}

void
gw_bbox_union (GwBBox *box, const GwBBox *other)
{
  if (gw_bbox_is_empty (other))
    return;
  gw_bbox_add_point (box, other->x0, other->y0);
  gw_bbox_add_point (box, other->x1, other->y1);
}

void
gw_bbox_expand (GwBBox *box, double margin)
{
  box->x0 -= margin;
  box->y0 -= margin;
  box->x1 += margin;
  box->y1 += margin;
}

gboolean
gw_bbox_intersects (const GwBBox *a, const GwBBox *b)
{
  return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

gboolean
gw_bbox_contains (const GwBBox *box, double x, double y)
{
  return x >= box->x0 && x <= box->x1 && y >= box->y0 && y <= box->y1;
}
