/* test-cell.c — cell codes and polygon geometry */
#include <math.h>

#include "gw-cell.h"

static void
test_code_valid (void)
{
  g_assert_true (gw_cell_code_is_valid ("11010200100101"));   /* 14 */
  g_assert_true (gw_cell_code_is_valid ("110102001001011"));  /* 15 */
  g_assert_false (gw_cell_code_is_valid (NULL));
  g_assert_false (gw_cell_code_is_valid (""));
  g_assert_false (gw_cell_code_is_valid ("1101020010010"));    /* 13 */
  g_assert_false (gw_cell_code_is_valid ("1101020010010111")); /* 16 */
  g_assert_false (gw_cell_code_is_valid ("1101020010010a"));
  g_assert_false (gw_cell_code_is_valid (" 11010200100101"));
  g_assert_false (gw_cell_code_is_valid ("11010200100101 "));
  g_assert_false (gw_cell_code_is_valid ("-1010200100101"));
  g_assert_false (gw_cell_code_is_valid ("１1010200100101")); /* full-width digit */
}

static void
test_code_prefixes (void)
{
  g_autofree char *street = gw_cell_code_street ("110102001002015");
  g_autofree char *community = gw_cell_code_community ("110102001002015");
  g_autofree char *street14 = gw_cell_code_street ("11010200100201");
  g_assert_cmpstr (street, ==, "110102001");
  g_assert_cmpstr (community, ==, "110102001002");
  g_assert_cmpstr (street14, ==, "110102001");
  /* Not a cell code: no prefix to take. */
  g_assert_null (gw_cell_code_street ("1101"));
  g_assert_null (gw_cell_code_community ("11010200100x01"));
  g_assert_null (gw_cell_code_street (NULL));
}

static GwCell *
make_cell (const double *lonlat, guint n)
{
  GwCell *cell = gw_cell_new ();
  cell->code = g_strdup ("11010200100101");
  gw_cell_set_ring (cell, lonlat, n);
  return cell;
}

static void
test_set_ring (void)
{
  /* An open ring is closed. */
  const double open[] = { 0, 0, 2, 0, 2, 1, 0, 1 };
  g_autoptr(GwCell) a = make_cell (open, 4);
  g_assert_cmpuint (a->n_points, ==, 5);
  g_assert_cmpfloat (a->ring[8], ==, 0);
  g_assert_cmpfloat (a->ring[9], ==, 0);
  g_assert_cmpfloat (a->ring[6], ==, 0);
  g_assert_cmpfloat (a->ring[7], ==, 1);

  /* A closed one is copied as it is. */
  const double closed[] = { 0, 0, 2, 0, 2, 1, 0, 1, 0, 0 };
  g_autoptr(GwCell) b = make_cell (closed, 5);
  g_assert_cmpuint (b->n_points, ==, 5);
  g_assert_cmpmem (b->ring, sizeof closed, closed, sizeof closed);
  g_assert_true (b->ring != closed);

  /* Replacing and clearing. */
  gw_cell_set_ring (b, open, 3);
  g_assert_cmpuint (b->n_points, ==, 4);
  gw_cell_set_ring (b, NULL, 0);
  g_assert_cmpuint (b->n_points, ==, 0);
  g_assert_null (b->ring);
}

static void
test_contains (void)
{
  /* A "U": the notch between x 1..2, y 1..3 is outside. */
  const double u[] = { 0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3 };
  g_autoptr(GwCell) cell = make_cell (u, 8);

  g_assert_true (gw_cell_contains (cell, 0.5, 0.5));
  g_assert_true (gw_cell_contains (cell, 0.5, 2.5));
  g_assert_true (gw_cell_contains (cell, 2.5, 2.5));
  g_assert_true (gw_cell_contains (cell, 1.5, 0.5));
  g_assert_false (gw_cell_contains (cell, 1.5, 2));   /* in the notch */
  g_assert_false (gw_cell_contains (cell, -1, 0.5));
  g_assert_false (gw_cell_contains (cell, 4, 0.5));
  g_assert_false (gw_cell_contains (cell, 1.5, 5));
  /* A ray through a vertex (y = 1 hits (1,1) and (2,1)) still counts right. */
  g_assert_true (gw_cell_contains (cell, 0.5, 1));
  g_assert_false (gw_cell_contains (cell, -0.5, 1));

  /* Real coordinates: a small cell in Beijing. */
  const double bj[] = { 116.397, 39.908, 116.401, 39.908, 116.401, 39.911, 116.397, 39.911 };
  g_autoptr(GwCell) b = make_cell (bj, 4);
  g_assert_true (gw_cell_contains (b, 116.399, 39.909));
  g_assert_false (gw_cell_contains (b, 116.402, 39.909));
  g_assert_false (gw_cell_contains (b, 116.399, 39.9115));

  /* Too few points is never a polygon. */
  const double line[] = { 0, 0, 1, 1 };
  g_autoptr(GwCell) l = make_cell (line, 2);
  g_assert_false (gw_cell_contains (l, 0.5, 0.5));
}

static void
test_bounds (void)
{
  const double tri[] = { 116.5, 39.9, 116.3, 40.1, 116.4, 39.8 };
  g_autoptr(GwCell) cell = make_cell (tri, 3);
  double x0, y0, x1, y1;
  gw_cell_get_bounds (cell, &x0, &y0, &x1, &y1);
  g_assert_cmpfloat (x0, ==, 116.3);
  g_assert_cmpfloat (y0, ==, 39.8);
  g_assert_cmpfloat (x1, ==, 116.5);
  g_assert_cmpfloat (y1, ==, 40.1);
  /* NULL outputs are allowed. */
  gw_cell_get_bounds (cell, NULL, &y0, NULL, NULL);
  g_assert_cmpfloat (y0, ==, 39.8);
}

static void
test_centroid (void)
{
  double lon, lat;
  /* Rectangle: its centre, whichever way it winds. */
  const double rect[] = { 116.0, 39.0, 116.0, 39.2, 116.4, 39.2, 116.4, 39.0 };
  g_autoptr(GwCell) r = make_cell (rect, 4);
  gw_cell_get_centroid (r, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (lon, 116.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (lat, 39.1, 1e-9);

  /* An L shape: the area centroid, not the vertex mean. Squares (0..2,0..1) and
   * (0..1,1..2): area 3, centroid ((1*2 + 0.5*1)/3, (0.5*2 + 1.5*1)/3). */
  const double l[] = { 0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2 };
  g_autoptr(GwCell) c = make_cell (l, 6);
  gw_cell_get_centroid (c, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (lon, 2.5 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (lat, 2.5 / 3, 1e-12);

  /* Degenerate (no area): mean of the distinct vertices. */
  const double flat[] = { 0, 0, 2, 0, 4, 0, 0, 0 };
  g_autoptr(GwCell) f = make_cell (flat, 4);
  gw_cell_get_centroid (f, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (lon, 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (lat, 0, 1e-12);
}

static void
test_refcount (void)
{
  GwCell *cell = gw_cell_new ();
  g_assert_true (gw_cell_ref (cell) == cell);
  gw_cell_unref (cell);
  cell->name = g_strdup ("still alive");
  gw_cell_unref (cell);
  g_assert_true (g_type_is_a (GW_TYPE_CELL, G_TYPE_BOXED));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cell/code/valid", test_code_valid);
  g_test_add_func ("/cell/code/prefixes", test_code_prefixes);
  g_test_add_func ("/cell/ring", test_set_ring);
  g_test_add_func ("/cell/contains", test_contains);
  g_test_add_func ("/cell/bounds", test_bounds);
  g_test_add_func ("/cell/centroid", test_centroid);
  g_test_add_func ("/cell/refcount", test_refcount);
  return g_test_run ();
}
