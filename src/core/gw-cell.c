/* gw-cell.c — grid cells: codes and polygon geometry */
#include "gw-cell.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (GwCell, gw_cell, gw_cell_ref, gw_cell_unref)

GwCell *
gw_cell_new (void)
{
  GwCell *self = g_new0 (GwCell, 1);
  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

GwCell *
gw_cell_ref (GwCell *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_cell_unref (GwCell *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->code);
  g_free (self->name);
  g_free (self->community);
  g_free (self->worker_name);
  g_free (self->worker_phone);
  g_free (self->party_branch);
  g_free (self->ring);
  g_free (self);
}

void
gw_cell_set_ring (GwCell *self, const double *lonlat, guint n_points)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (lonlat != NULL || n_points == 0);

  gboolean open = n_points > 0 &&
                  (lonlat[0] != lonlat[2 * (n_points - 1)] ||
                   lonlat[1] != lonlat[2 * (n_points - 1) + 1]);
  guint n = n_points + (open ? 1 : 0);

  g_free (self->ring);
  self->ring = n > 0 ? g_new (double, 2 * n) : NULL;
  self->n_points = n;
  if (n_points > 0)
    memcpy (self->ring, lonlat, sizeof (double) * 2 * n_points);
  if (open)
    {
      self->ring[2 * n_points] = lonlat[0];
      self->ring[2 * n_points + 1] = lonlat[1];
    }
}

gboolean
gw_cell_code_is_valid (const char *code)
{
  if (code == NULL)
    return FALSE;
  size_t len = strspn (code, "0123456789");
  return code[len] == '\0' && (len == 14 || len == 15);
}

char *
gw_cell_code_street (const char *code)
{
  return gw_cell_code_is_valid (code) ? g_strndup (code, 9) : NULL;
}

char *
gw_cell_code_community (const char *code)
{
  return gw_cell_code_is_valid (code) ? g_strndup (code, 12) : NULL;
}

/* Ray casting towards +lon. The half-open edge test counts a vertex on the ray once;
 * points exactly on an edge may fall either way, which is fine for cells that tile. */
gboolean
gw_cell_contains (const GwCell *self, double lon, double lat)
{
  g_return_val_if_fail (self != NULL, FALSE);
  gboolean inside = FALSE;
  if (self->n_points < 4)
    return FALSE;
  for (guint i = 0, j = self->n_points - 1; i < self->n_points; j = i++)
    {
      double xi = self->ring[2 * i], yi = self->ring[2 * i + 1];
      double xj = self->ring[2 * j], yj = self->ring[2 * j + 1];
      if ((yi > lat) != (yj > lat) &&
          lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside;
}

void
gw_cell_get_bounds (const GwCell *self,
                    double *min_lon, double *min_lat, double *max_lon, double *max_lat)
{
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  g_return_if_fail (self != NULL);
  for (guint i = 0; i < self->n_points; i++)
    {
      double x = self->ring[2 * i], y = self->ring[2 * i + 1];
      if (i == 0 || x < x0) x0 = x;
      if (i == 0 || x > x1) x1 = x;
      if (i == 0 || y < y0) y0 = y;
      if (i == 0 || y > y1) y1 = y;
    }
  if (min_lon) *min_lon = x0;
  if (min_lat) *min_lat = y0;
  if (max_lon) *max_lon = x1;
  if (max_lat) *max_lat = y1;
}

/* Area centroid (shoelace); a degenerate ring falls back to the mean of its vertices.
 * An empty ring gives 0,0. */
void
gw_cell_get_centroid (const GwCell *self, double *lon, double *lat)
{
  double a = 0, cx = 0, cy = 0, mx = 0, my = 0;
  g_return_if_fail (self != NULL);
  guint n = self->n_points;
  if (n == 0)
    {
      if (lon) *lon = 0;
      if (lat) *lat = 0;
      return;
    }
  /* Relative to the first vertex, to keep precision at city scale. */
  double ox = self->ring[0], oy = self->ring[1];
  for (guint i = 0; i < n; i++)
    {
      double x0 = self->ring[2 * i] - ox, y0 = self->ring[2 * i + 1] - oy;
      double x1 = self->ring[2 * ((i + 1) % n)] - ox, y1 = self->ring[2 * ((i + 1) % n) + 1] - oy;
      double cross = x0 * y1 - x1 * y0;
      a += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  /* A closed ring repeats its first vertex; leave it out of the mean. */
  guint m = n > 1 ? n - 1 : n;
  for (guint i = 0; i < m; i++)
    {
      mx += self->ring[2 * i] - ox;
      my += self->ring[2 * i + 1] - oy;
    }
  if (a != 0)
    {
      cx /= 3 * a;
      cy /= 3 * a;
    }
  else
    {
      cx = mx / m;
      cy = my / m;
    }
  if (lon) *lon = cx + ox;
  if (lat) *lat = cy + oy;
}
