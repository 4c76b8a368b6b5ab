/* test-cluster.c — Morton point index, grid clustering and rectangle buckets */
#include <math.h>

#include "gw-cluster.h"

#define N_POINTS 5000
#define N_CATS   4

typedef struct {
  double x[N_POINTS], y[N_POINTS];
  guint8 cat[N_POINTS];
  gboolean live[N_POINTS];
} Points;

/* A street-sized patch (about 3 km) near Zhengzhou, plus stacked duplicates and a few
 * points far away, so clusters at every zoom see both crowds and loners. */
static Points *
make_points (GwPointIndex *index, guint32 seed)
{
  Points *p = g_new0 (Points, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double cx, cy;

  gw_geo_project (113.62, 34.75, &cx, &cy);
  for (guint i = 0; i < N_POINTS; i++)
    {
      if (i % 500 == 0)
        {
          p->x[i] = g_rand_double (rand);
          p->y[i] = g_rand_double (rand);
        }
      else if (i % 50 == 1 && i > 1)
        {
          p->x[i] = p->x[i - 1];
          p->y[i] = p->y[i - 1];
        }
      else
        {
          p->x[i] = cx + g_rand_double_range (rand, -4e-6, 4e-6);
          p->y[i] = cy + g_rand_double_range (rand, -4e-6, 4e-6);
        }
      p->cat[i] = g_rand_int_range (rand, 0, N_CATS);
      p->live[i] = TRUE;
      gw_point_index_insert (index, i, p->x[i], p->y[i]);
    }
  return p;
}

static void
check_clusters (GwPointIndex *index, Points *p, guint level)
{
  g_autoptr(GArray) clusters = gw_point_index_cluster (index, level, p->cat, N_CATS);
  g_autofree guint *seen = g_new0 (guint, N_POINTS);
  guint n_live = 0, total = 0;
  guint cat_total[N_CATS] = { 0 };
  guint cat_expected[N_CATS] = { 0 };
  guint shift = GW_POINT_INDEX_BITS - level;

  for (guint i = 0; i < N_POINTS; i++)
    if (p->live[i])
      {
        n_live++;
        cat_expected[p->cat[i]]++;
      }
  g_assert_cmpuint (gw_point_index_get_size (index), ==, n_live);

  for (guint c = 0; c < clusters->len; c++)
    {
      const GwCluster *cl = &g_array_index (clusters, GwCluster, c);
      guint by_cat = 0;
      double sx = 0, sy = 0;

      g_assert_cmpuint (cl->count, >, 0);
      for (guint k = 0; k < N_CATS; k++)
        {
          by_cat += cl->counts[k];
          cat_total[k] += cl->counts[k];
        }
      /* The per-status counts add up to the cluster's size. */
      g_assert_cmpuint (by_cat, ==, cl->count);

      for (guint m = 0; m < cl->count; m++)
        {
          guint id = gw_point_index_get_id (index, cl->start + m);
          g_assert_cmpuint (id, <, N_POINTS);
          g_assert_true (p->live[id]);
          seen[id]++;
          sx += p->x[id];
          sy += p->y[id];
          /* Every member lies in the cluster's grid cell. */
          guint32 gx = (guint32) (p->x[id] * (1u << GW_POINT_INDEX_BITS)) >> shift;
          guint32 gy = (guint32) (p->y[id] * (1u << GW_POINT_INDEX_BITS)) >> shift;
          const GwCluster *first = cl;
          guint fid = gw_point_index_get_id (index, first->start);
          guint32 fx = (guint32) (p->x[fid] * (1u << GW_POINT_INDEX_BITS)) >> shift;
          guint32 fy = (guint32) (p->y[fid] * (1u << GW_POINT_INDEX_BITS)) >> shift;
          g_assert_cmpuint (gx, ==, fx);
          g_assert_cmpuint (gy, ==, fy);
        }
      g_assert_cmpfloat_with_epsilon (cl->x, sx / cl->count, 1e-12);
      g_assert_cmpfloat_with_epsilon (cl->y, sy / cl->count, 1e-12);
      total += cl->count;

      /* Cells are distinct and in index order. */
      if (c > 0)
        g_assert_cmpuint (g_array_index (clusters, GwCluster, c - 1).cell, <, cl->cell);
    }

  /* Every live point is in exactly one cluster; removed points in none. */
  for (guint i = 0; i < N_POINTS; i++)
    g_assert_cmpuint (seen[i], ==, p->live[i] ? 1 : 0);
  g_assert_cmpuint (total, ==, n_live);
  for (guint k = 0; k < N_CATS; k++)
    g_assert_cmpuint (cat_total[k], ==, cat_expected[k]);
}

static void
test_cluster_every_zoom (void)
{
  g_autoptr(GwPointIndex) index = gw_point_index_new ();
  g_autofree Points *p = make_points (index, 42);
  guint prev_clusters = 0;

  for (guint zoom = 0; zoom <= 20; zoom++)
    {
      guint level = gw_cluster_level_for_zoom (zoom + 0.5, 256, 64);
      g_autoptr(GArray) clusters = gw_point_index_cluster (index, level, p->cat, N_CATS);

      g_assert_cmpuint (level, ==, zoom + 2);
      check_clusters (index, p, level);
      /* Zooming in never merges clusters. */
      g_assert_cmpuint (clusters->len, >=, prev_clusters);
      prev_clusters = clusters->len;
    }
  /* At zoom 0 the street is one cluster; at zoom 20 it has split up. */
  g_autoptr(GArray) z0 = gw_point_index_cluster (index, gw_cluster_level_for_zoom (0, 256, 64),
                                                 p->cat, N_CATS);
  g_assert_cmpuint (z0->len, <=, 11);
  g_assert_cmpuint (prev_clusters, >, 1000);

  /* Removing and moving points keeps the invariants. */
  for (guint i = 0; i < N_POINTS; i += 7)
    {
      gw_point_index_remove (index, i);
      p->live[i] = FALSE;
    }
  for (guint i = 0; i < N_POINTS; i += 21)
    {
      p->x[i] += 1e-6;
      p->live[i] = TRUE;
      gw_point_index_insert (index, i, p->x[i], p->y[i]);
    }
  /* Insert, remove and reinsert inside one batch. */
  gw_point_index_remove (index, 3);
  gw_point_index_insert (index, 3, p->x[3], p->y[3] + 1e-7);
  p->y[3] += 1e-7;
  gw_point_index_remove (index, 3);
  gw_point_index_insert (index, 3, p->x[3], p->y[3]);

  for (guint zoom = 0; zoom <= 20; zoom++)
    check_clusters (index, p, gw_cluster_level_for_zoom (zoom, 256, 64));
  check_clusters (index, p, GW_POINT_INDEX_BITS);
  check_clusters (index, p, 0);
}

static void
test_level_for_zoom (void)
{
  g_assert_cmpuint (gw_cluster_level_for_zoom (0, 256, 64), ==, 2);
  g_assert_cmpuint (gw_cluster_level_for_zoom (15.99, 256, 64), ==, 17);
  g_assert_cmpuint (gw_cluster_level_for_zoom (16, 256, 32), ==, 19);
  g_assert_cmpuint (gw_cluster_level_for_zoom (40, 256, 1), ==, GW_POINT_INDEX_BITS);
}

static void
test_nearest (void)
{
  g_autoptr(GwPointIndex) index = gw_point_index_new ();
  g_autofree Points *p = make_points (index, 7);
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  double cx, cy;

  gw_geo_project (113.62, 34.75, &cx, &cy);

  for (guint q = 0; q < 400; q++)
    {
      double x = cx + g_rand_double_range (rand, -5e-6, 5e-6);
      double y = cy + g_rand_double_range (rand, -5e-6, 5e-6);
      /* 12 px at zoom 18 with 256-px tiles. */
      double radius = 12.0 / (256.0 * (1 << 18));
      double best = G_MAXDOUBLE;
      guint best_id = G_MAXUINT;
      guint id;
      double d;

      for (guint i = 0; i < N_POINTS; i++)
        {
          double di = hypot (p->x[i] - x, p->y[i] - y);
          if (di < best || (di == best && i < best_id))
            {
              best = di;
              best_id = i;
            }
        }

      gboolean found = gw_point_index_nearest (index, x, y, radius, &id, &d);
      if (best <= radius)
        {
          g_assert_true (found);
          g_assert_cmpfloat_with_epsilon (d, best, 1e-15);
          g_assert_cmpfloat_with_epsilon (hypot (p->x[id] - x, p->y[id] - y), best, 1e-15);
        }
      else
        g_assert_false (found);
    }

  /* Exactly on a point, and just outside the radius of a lone one. */
  guint id;
  g_assert_true (gw_point_index_nearest (index, p->x[500], p->y[500], 1e-9, &id, NULL));
  g_assert_cmpuint (id, ==, 500);
  g_assert_false (gw_point_index_nearest (index, p->x[500] + 2e-9, p->y[500], 1e-9, &id, NULL));

  /* Removed points are not found: 501 is stacked on 500, then nothing is. */
  gw_point_index_remove (index, 500);
  g_assert_true (gw_point_index_nearest (index, p->x[500], p->y[500], 1e-9, &id, NULL));
  g_assert_cmpuint (id, ==, 501);
  gw_point_index_remove (index, 501);
  g_assert_false (gw_point_index_nearest (index, p->x[500], p->y[500], 1e-9, &id, NULL));

  gw_point_index_clear (index);
  g_assert_cmpuint (gw_point_index_get_size (index), ==, 0);
  g_assert_false (gw_point_index_nearest (index, cx, cy, 1.0, &id, NULL));
}

static void
count_cb (guint id, double x, double y, gpointer user_data)
{
  GArray *ids = user_data;
  g_array_append_val (ids, id);
}

static void
test_foreach_in (void)
{
  g_autoptr(GwPointIndex) index = gw_point_index_new ();
  g_autofree Points *p = make_points (index, 11);
  double cx, cy;

  gw_geo_project (113.62, 34.75, &cx, &cy);
  for (guint q = 0; q < 20; q++)
    {
      double half = 1e-7 * (q + 1) * (q + 1);
      GwBBox box = { cx - half, cy - half / 2, cx + half / 3, cy + half };
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
      guint expected = 0;

      gw_point_index_foreach_in (index, &box, count_cb, ids);
      for (guint i = 0; i < N_POINTS; i++)
        expected += gw_bbox_contains (&box, p->x[i], p->y[i]);
      g_assert_cmpuint (ids->len, ==, expected);
    }
}

static void
test_rect_index (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  GwBBox boxes[300];

  for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
    {
      double x = g_rand_double (rand), y = g_rand_double (rand);
      double w = g_rand_double_range (rand, 0.001, 0.2), h = g_rand_double_range (rand, 0.001, 0.2);
      boxes[i] = (GwBBox) { x, y, x + w, y + h };
    }

  g_autoptr(GwRectIndex) index = gw_rect_index_new (boxes, G_N_ELEMENTS (boxes));
  for (guint q = 0; q < 500; q++)
    {
      double x = g_rand_double_range (rand, -0.1, 1.2), y = g_rand_double_range (rand, -0.1, 1.2);
      GwBBox qb = { x, y, x + g_rand_double_range (rand, 0, 0.3), y + g_rand_double_range (rand, 0, 0.3) };
      g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) boxhits = g_array_new (FALSE, FALSE, sizeof (guint));
      guint k = 0, kb = 0;

      gw_rect_index_query_point (index, x, y, hits);
      gw_rect_index_query_box (index, &qb, boxhits);
      for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
        {
          if (gw_bbox_contains (&boxes[i], x, y))
            {
              g_assert_cmpuint (k, <, hits->len);
              g_assert_cmpuint (g_array_index (hits, guint, k), ==, i);
              k++;
            }
          if (gw_bbox_intersects (&boxes[i], &qb))
            {
              g_assert_cmpuint (kb, <, boxhits->len);
              g_assert_cmpuint (g_array_index (boxhits, guint, kb), ==, i);
              kb++;
            }
        }
      g_assert_cmpuint (k, ==, hits->len);
      g_assert_cmpuint (kb, ==, boxhits->len);
    }

  g_autoptr(GwRectIndex) empty = gw_rect_index_new (NULL, 0);
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (guint));
  gw_rect_index_query_point (empty, 0.5, 0.5, none);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cluster/level-for-zoom", test_level_for_zoom);
  g_test_add_func ("/cluster/every-zoom", test_cluster_every_zoom);
  g_test_add_func ("/cluster/nearest", test_nearest);
  g_test_add_func ("/cluster/foreach-in", test_foreach_in);
  g_test_add_func ("/cluster/rect-index", test_rect_index);

  return g_test_run ();
}
