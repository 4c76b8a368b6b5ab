/* test-street.c — the demo street's reference data is sound */
#include <string.h>

#include "gw-street.h"

static const char *const required_departments[] = {
  "城管", "环卫", "住建", "市场监管", "公安派出所", "园林绿化", "社区", "水务", "供电",
};

static const char *const categories[] = {
  "市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序", "其他",
};

static const char *const required_classes[] = {
  "垃圾满溢", "占道经营", "私搭乱建", "电动车违停", "飞线充电", "井盖缺失", "高空抛物", "噪音扰民",
};

static guint
count_containing (GPtrArray *cells, double lon, double lat)
{
  guint n = 0;

  for (guint i = 0; i < cells->len; i++)
    if (gw_cell_contains (g_ptr_array_index (cells, i), lon, lat))
      n++;
  return n;
}

static gboolean
all_digits (const char *s)
{
  return s != NULL && *s != '\0' && strspn (s, "0123456789") == strlen (s);
}

static void
test_cells_codes (void)
{
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) name_by_community = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) community_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *street = NULL;

  g_assert_cmpuint (cells->len, >=, 30);
  g_assert_cmpuint (cells->len, <=, 60);

  for (guint i = 0; i < cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cells, i);
      g_autofree char *cell_street = gw_cell_code_street (cell->code);
      g_autofree char *community = gw_cell_code_community (cell->code);
      const char *known;

      g_assert_true (gw_cell_code_is_valid (cell->code));
      g_assert_cmpuint (strlen (cell->code), ==, 14);
      g_assert_true (g_str_has_prefix (cell->code, "410102"));
      g_assert_false (g_hash_table_contains (codes, cell->code));
      g_hash_table_add (codes, cell->code);

      /* One street for every cell. */
      if (street == NULL)
        street = g_strdup (cell_street);
      g_assert_cmpstr (cell_street, ==, street);

      /* Community codes and names correspond one to one. */
      g_assert_nonnull (cell->community);
      known = g_hash_table_lookup (name_by_community, community);
      if (known != NULL)
        g_assert_cmpstr (known, ==, cell->community);
      else
        g_hash_table_insert (name_by_community, g_strdup (community), cell->community);
      known = g_hash_table_lookup (community_by_name, cell->community);
      if (known != NULL)
        g_assert_cmpstr (known, ==, community);
      else
        g_hash_table_insert (community_by_name, cell->community, g_strdup (community));

      g_assert_true (g_str_has_prefix (cell->name, cell->community));
      g_assert_true (g_str_has_suffix (cell->name, "网格"));
      g_assert_true (g_utf8_validate (cell->name, -1, NULL));
      g_assert_nonnull (cell->worker_name);
      g_assert_cmpuint (g_utf8_strlen (cell->worker_name, -1), >=, 2);
      g_assert_true (all_digits (cell->worker_phone));
      g_assert_cmpuint (strlen (cell->worker_phone), ==, 11);
      g_assert_true (cell->worker_phone[0] == '1');
      g_assert_nonnull (cell->party_branch);
      g_assert_true (g_str_has_prefix (cell->party_branch, cell->community));
      g_assert_true (g_str_has_suffix (cell->party_branch, "党支部"));
    }

  g_assert_cmpuint (g_hash_table_size (name_by_community), >=, 5);
  g_assert_cmpuint (g_hash_table_size (name_by_community), <=, 8);
  g_assert_cmpuint (g_hash_table_size (community_by_name), ==, g_hash_table_size (name_by_community));
}

static gboolean
share_vertex (const GwCell *a, const GwCell *b)
{
  for (guint i = 0; i < a->n_points; i++)
    for (guint j = 0; j < b->n_points; j++)
      if (a->ring[2 * i] == b->ring[2 * j] && a->ring[2 * i + 1] == b->ring[2 * j + 1])
        return TRUE;
  return FALSE;
}

/* Each community is one contiguous group: its cells are connected through shared
 * borders (tiling cells share their corner points exactly). */
static void
test_communities_contiguous (void)
{
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  g_autoptr(GHashTable) seen_communities = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < cells->len; i++)
    {
      GwCell *first = g_ptr_array_index (cells, i);
      g_autofree gboolean *reached = NULL;
      g_autoptr(GQueue) queue = g_queue_new ();
      guint n_members = 0, n_reached = 0;

      if (g_hash_table_contains (seen_communities, first->community))
        continue;
      g_hash_table_add (seen_communities, first->community);

      reached = g_new0 (gboolean, cells->len);
      reached[i] = TRUE;
      g_queue_push_tail (queue, GUINT_TO_POINTER (i));
      while (!g_queue_is_empty (queue))
        {
          guint k = GPOINTER_TO_UINT (g_queue_pop_head (queue));
          GwCell *cell = g_ptr_array_index (cells, k);

          n_reached++;
          for (guint j = 0; j < cells->len; j++)
            {
              GwCell *other = g_ptr_array_index (cells, j);

              if (!reached[j] && g_strcmp0 (other->community, first->community) == 0 &&
                  share_vertex (cell, other))
                {
                  reached[j] = TRUE;
                  g_queue_push_tail (queue, GUINT_TO_POINTER (j));
                }
            }
        }

      for (guint j = 0; j < cells->len; j++)
        if (g_strcmp0 (((GwCell *) g_ptr_array_index (cells, j))->community, first->community) == 0)
          n_members++;
      g_assert_cmpuint (n_members, >=, 3);
      g_assert_cmpuint (n_reached, ==, n_members);
    }
}

static void
test_cells_geometry (void)
{
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  double min_lon, min_lat, max_lon, max_lat;

  gw_street_bounds (&min_lon, &min_lat, &max_lon, &max_lat);
  /* Zhongyuan district, Zhengzhou: about 113.60–113.63 E, 34.74–34.76 N. */
  g_assert_cmpfloat (min_lon, >, 113.59);
  g_assert_cmpfloat (max_lon, <, 113.64);
  g_assert_cmpfloat (min_lat, >, 34.73);
  g_assert_cmpfloat (max_lat, <, 34.77);
  g_assert_cmpfloat (max_lon - min_lon, >, 0.01);
  g_assert_cmpfloat (max_lat - min_lat, >, 0.01);

  for (guint i = 0; i < cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cells, i);
      double x0, y0, x1, y1, lon, lat;

      g_assert_cmpuint (cell->n_points, >=, 4);
      g_assert_cmpfloat (cell->ring[0], ==, cell->ring[2 * (cell->n_points - 1)]);
      g_assert_cmpfloat (cell->ring[1], ==, cell->ring[2 * (cell->n_points - 1) + 1]);

      gw_cell_get_bounds (cell, &x0, &y0, &x1, &y1);
      g_assert_cmpfloat (x0, >=, min_lon);
      g_assert_cmpfloat (y0, >=, min_lat);
      g_assert_cmpfloat (x1, <=, max_lon);
      g_assert_cmpfloat (y1, <=, max_lat);

      /* Irregular: cells are not axis-aligned rectangles. */
      g_assert_cmpuint (cell->n_points, >, 5);

      /* The centroid of these nearly convex blocks lies inside them, and in no other. */
      gw_cell_get_centroid (cell, &lon, &lat);
      g_assert_true (gw_cell_contains (cell, lon, lat));
      g_assert_cmpuint (count_containing (cells, lon, lat), ==, 1);
    }
}

/* From a point in no cell, walk towards the edge of the bounding box; the point is
 * enclosed (a hole in the street) if every direction runs into a cell. */
static gboolean
is_enclosed (GPtrArray *cells, double lon, double lat,
             double min_lon, double min_lat, double max_lon, double max_lat, double step)
{
  static const int dirs[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };

  for (guint d = 0; d < 4; d++)
    {
      double x = lon, y = lat;
      gboolean hit = FALSE;

      while (x >= min_lon && x <= max_lon && y >= min_lat && y <= max_lat)
        {
          if (count_containing (cells, x, y) > 0)
            {
              hit = TRUE;
              break;
            }
          x += dirs[d][0] * step;
          y += dirs[d][1] * step;
        }
      if (!hit)
        return FALSE;
    }
  return TRUE;
}

static void
test_cells_tile (void)
{
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  double min_lon, min_lat, max_lon, max_lat;
  const guint n = 180;
  guint covered = 0, total = 0;

  gw_street_bounds (&min_lon, &min_lat, &max_lon, &max_lat);

  /* A sample grid offset by an irrational-ish fraction so it never lands exactly on a
   * shared vertex or border. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        double lon = min_lon + (i + 0.3819) * (max_lon - min_lon) / n;
        double lat = min_lat + (j + 0.6180) * (max_lat - min_lat) / n;
        guint c = count_containing (cells, lon, lat);

        total++;
        /* No overlaps: a point of the street lies in at most one cell. */
        g_assert_cmpuint (c, <=, 1);
        if (c == 1)
          covered++;
        else
          /* No gaps: a point outside every cell must be outside the street. */
          g_assert_false (is_enclosed (cells, lon, lat, min_lon, min_lat, max_lon, max_lat,
                                       (max_lon - min_lon) / (4 * n)));
      }

  /* An irregular outline, but mostly filled. */
  g_assert_cmpuint (covered, >, total * 7 / 10);
  g_assert_cmpuint (covered, <, total);
}

static void
test_departments (void)
{
  g_autoptr(GPtrArray) departments = gw_street_departments ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < departments->len; i++)
    {
      GwDepartment *dept = g_ptr_array_index (departments, i);

      g_assert_nonnull (dept->id);
      g_assert_true (g_regex_match_simple ("^[a-z][a-z0-9_-]*$", dept->id, 0, 0));
      g_assert_false (g_hash_table_contains (ids, dept->id));
      g_hash_table_add (ids, dept->id);
      g_assert_false (g_hash_table_contains (names, dept->name));
      g_hash_table_add (names, dept->name);
      g_assert_nonnull (dept->phone);
      g_assert_cmpint (dept->dispatch_minutes, >, 0);
      g_assert_cmpint (dept->handle_hours, >, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (required_departments); i++)
    g_assert_true (g_hash_table_contains (names, required_departments[i]));
}

static const GwIncidentClass *
find_class (GPtrArray *classes, const char *name)
{
  for (guint i = 0; i < classes->len; i++)
    {
      const GwIncidentClass *klass = g_ptr_array_index (classes, i);

      if (g_strcmp0 (klass->name, name) == 0)
        return klass;
    }
  return NULL;
}

static void
test_classes (void)
{
  g_autoptr(GPtrArray) classes = gw_street_classes ();
  g_autoptr(GPtrArray) departments = gw_street_departments ();
  g_autoptr(GHashTable) dept_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) prefix_by_category = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint per_category[G_N_ELEMENTS (categories)] = { 0 };
  guint n_components = 0;
  const GwIncidentClass *klass;

  for (guint i = 0; i < departments->len; i++)
    g_hash_table_add (dept_ids, ((GwDepartment *) g_ptr_array_index (departments, i))->id);

  g_assert_cmpuint (classes->len, >=, 20);
  g_assert_cmpuint (classes->len, <=, 40);

  for (guint i = 0; i < classes->len; i++)
    {
      const char *prefix;
      gboolean known_category = FALSE;

      klass = g_ptr_array_index (classes, i);
      g_assert_true (all_digits (klass->code));
      g_assert_cmpuint (strlen (klass->code), ==, 4);
      g_assert_false (g_hash_table_contains (codes, klass->code));
      g_hash_table_add (codes, klass->code);
      g_assert_nonnull (klass->name);
      g_assert_cmpint (klass->deadline_hours, >, 0);
      g_assert_cmpint (klass->priority, <, GW_N_PRIORITIES);
      g_assert_cmpint (klass->kind, <, GW_N_CLASS_KINDS);
      if (klass->kind == GW_CLASS_KIND_COMPONENT)
        n_components++;

      /* Every class's department exists. */
      g_assert_nonnull (klass->department);
      g_assert_true (g_hash_table_contains (dept_ids, klass->department));

      for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
        if (g_strcmp0 (klass->category, categories[c]) == 0)
          {
            per_category[c]++;
            known_category = TRUE;
          }
      g_assert_true (known_category);

      /* A category keeps its two-digit 大类 prefix. */
      prefix = g_hash_table_lookup (prefix_by_category, klass->category);
      if (prefix != NULL)
        g_assert_true (strncmp (prefix, klass->code, 2) == 0);
      else
        g_hash_table_insert (prefix_by_category, klass->category, g_strndup (klass->code, 2));
    }

  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    g_assert_cmpuint (per_category[c], >, 0);
  g_assert_cmpuint (n_components, >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (required_classes); i++)
    g_assert_nonnull (find_class (classes, required_classes[i]));

  klass = find_class (classes, "井盖缺失");
  g_assert_cmpint (klass->kind, ==, GW_CLASS_KIND_COMPONENT);
  g_assert_cmpint (klass->priority, ==, GW_PRIORITY_CRITICAL);
  g_assert_cmpint (find_class (classes, "高空抛物")->priority, !=, GW_PRIORITY_NORMAL);
  g_assert_cmpint (find_class (classes, "飞线充电")->priority, !=, GW_PRIORITY_NORMAL);
  g_assert_cmpint (find_class (classes, "垃圾满溢")->kind, ==, GW_CLASS_KIND_EVENT);
}

static void
test_addresses (void)
{
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  static const char *const road_names[] = { "建设西路", "中原路", "汝河路", "淮河路", "华山路", "桐柏路", "伏牛路", "工人路" };
  guint n_road = 0, n_compound = 0, n_crossing = 0;

  for (guint64 pick = 0; pick < 400; pick++)
    {
      GwCell *cell = g_ptr_array_index (cells, pick % cells->len);
      const char * const *compounds = gw_street_compounds (cell->community);
      double lon, lat;
      g_autofree char *address = NULL;
      g_autofree char *again = NULL;
      gboolean known = FALSE;

      g_assert_nonnull (compounds);
      gw_cell_get_centroid (cell, &lon, &lat);
      address = gw_street_address (lon, lat, cell->community, pick * 2654435761u);
      again = gw_street_address (lon, lat, cell->community, pick * 2654435761u);
      g_assert_cmpstr (address, ==, again);
      g_assert_true (g_utf8_validate (address, -1, NULL));

      for (guint i = 0; compounds[i] != NULL; i++)
        if (g_str_has_prefix (address, compounds[i]))
          {
            n_compound++;
            known = TRUE;
          }
      if (!known && strstr (address, "交叉口") != NULL)
        {
          n_crossing++;
          known = TRUE;
        }
      for (guint i = 0; !known && i < G_N_ELEMENTS (road_names); i++)
        if (g_str_has_prefix (address, road_names[i]) && g_str_has_suffix (address, "号"))
          {
            n_road++;
            known = TRUE;
          }
      g_assert_true (known);
    }

  /* Every kind of address shows up. */
  g_assert_cmpuint (n_road, >, 0);
  g_assert_cmpuint (n_compound, >, 0);
  g_assert_cmpuint (n_crossing, >, 0);
  g_assert_null (gw_street_compounds ("不存在社区"));
}

static void
test_deterministic (void)
{
  g_autoptr(GPtrArray) a = gw_street_cells ();
  g_autoptr(GPtrArray) b = gw_street_cells ();

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      GwCell *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (x->code, ==, y->code);
      g_assert_cmpuint (x->n_points, ==, y->n_points);
      g_assert_cmpmem (x->ring, x->n_points * 2 * sizeof (double),
                       y->ring, y->n_points * 2 * sizeof (double));
    }
  g_assert_cmpstr (gw_street_name (), ==, "郑州市中原区绿东村街道");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/street/cells/codes", test_cells_codes);
  g_test_add_func ("/street/cells/communities", test_communities_contiguous);
  g_test_add_func ("/street/cells/geometry", test_cells_geometry);
  g_test_add_func ("/street/cells/tile", test_cells_tile);
  g_test_add_func ("/street/cells/deterministic", test_deterministic);
  g_test_add_func ("/street/departments", test_departments);
  g_test_add_func ("/street/classes", test_classes);
  g_test_add_func ("/street/addresses", test_addresses);

  return g_test_run ();
}
