/* gw-street.c — the demo street's reference data
 *
 * The cells are a jittered 8 × 6 grid laid over the real 绿东村街道 area of Zhengzhou's
 * 中原区. Grid vertices and edge midpoints are displaced by a hash of their position, and
 * neighbouring cells share those points, so the cells tile without gaps or overlaps while
 * looking like blocks bounded by real (crooked) streets. A few corner cells are left out
 * to make the street's outline irregular.
 */
#include "gw-street.h"

#include <math.h>
#include <string.h>

#define STREET_NAME   "郑州市中原区绿东村街道"
#define COUNTY_CODE   "410102"  /* 中原区 */
#define STREET_CODE   "006"     /* demo sequence for 绿东村街道 */

#define GRID_COLS     8
#define GRID_ROWS     6
#define ORIGIN_LON    113.6000
#define ORIGIN_LAT    34.7400
#define STEP_LON      0.00375   /* ~343 m at this latitude */
#define STEP_LAT      (0.0200 / GRID_ROWS)  /* ~370 m */

/* Which community each grid cell belongs to ('.' = outside the street), north row first
 * so the table reads like a map. Each letter forms one contiguous block. */
static const char *const community_map[GRID_ROWS] = {
  ".AABBBC.",
  "AAABBCCC",
  "AADBBCCC",
  "DDDEEEFF",
  "DDEEEFFF",
  ".DEEEFF.",
};

typedef struct {
  const char *name;
  const char *code;            /* 3 digits */
  const char *compounds[4];    /* residential compounds (小区/家属院), NULL-terminated */
} Community;

static const Community communities[] = {
  /* A */ { "华山路社区", "001", { "华山路小区", "电缆厂家属院", "华山花园", NULL } },
  /* B */ { "绿东村社区", "002", { "绿东村小区", "绿东花园", "建设西路29号院", NULL } },
  /* C */ { "伏牛路社区", "003", { "伏牛路小区", "伏牛花园", "桐柏北路家属院", NULL } },
  /* D */ { "友爱路社区", "004", { "友爱小区", "中原新村", "友爱路12号院", NULL } },
  /* E */ { "汝河路社区", "005", { "汝河小区", "汝河新区", "中原路南院", NULL } },
  /* F */ { "淮河路社区", "006", { "淮河家园", "淮河路小区", "工人路西院", NULL } },
};

/* Roads used for addresses: real names of the area, at their approximate positions. */
typedef struct {
  const char *name;
  gboolean    north_south;
  double      at;              /* longitude for north-south roads, latitude otherwise */
} Road;

static const Road roads[] = {
  { "建设西路", FALSE, 34.7595 },
  { "中原路",   FALSE, 34.7500 },
  { "汝河路",   FALSE, 34.7445 },
  { "淮河路",   FALSE, 34.7405 },
  { "华山路",   TRUE,  113.6010 },
  { "桐柏路",   TRUE,  113.6120 },
  { "伏牛路",   TRUE,  113.6235 },
  { "工人路",   TRUE,  113.6295 },
};

/* Water for the basemap: a canal crossing the south-east (金水河 runs this way through
 * 中原区) and the lake of a park north-west of the street. */
static const double river[] = {
  113.5880, 34.7352, 113.5990, 34.7368, 113.6085, 34.7381, 113.6160, 34.7376,
  113.6230, 34.7388, 113.6300, 34.7410, 113.6365, 34.7445, 113.6450, 34.7462,
};

static const double pond[] = {
  113.5921, 34.7629, 113.5948, 34.7642, 113.5972, 34.7637, 113.5979, 34.7618,
  113.5962, 34.7603, 113.5935, 34.7601, 113.5918, 34.7612,
};

static const char *const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
  "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "郑",
};

/* 29 given names: coprime with the 20 surnames, so index pairs stay unique. */
static const char *const given_names[] = {
  "秀英", "建国", "丽娜", "志强", "海燕", "晓东", "红梅", "国强", "桂兰", "文博",
  "俊杰", "淑芬", "雪梅", "卫东", "玉兰", "永刚", "晓燕", "明辉", "春霞", "建华",
  "静", "磊", "敏", "伟", "芳", "涛", "丹", "勇", "娟",
};

static const char *const branch_numerals[] = { "一", "二", "三", "四", "五" };

typedef struct {
  const char *id;
  const char *name;
  const char *phone;
  int         dispatch_minutes;
  int         handle_hours;
} DepartmentRow;

/* Phone numbers are from a fictional 0371-6790xxxx block. */
static const DepartmentRow department_rows[] = {
  { "chengguan", "城管",       "0371-67901001", 30, 24 },
  { "huanwei",   "环卫",       "0371-67901002", 30, 4 },
  { "zhujian",   "住建",       "0371-67901003", 120, 72 },
  { "shichang",  "市场监管",   "0371-67901004", 60, 48 },
  { "gongan",    "公安派出所", "0371-67901005", 15, 8 },
  { "yuanlin",   "园林绿化",   "0371-67901006", 120, 48 },
  { "shequ",     "社区",       "0371-67901007", 30, 24 },
  { "shuiwu",    "水务",       "0371-67901008", 60, 24 },
  { "gongdian",  "供电",       "0371-67901009", 60, 24 },
};

typedef struct {
  const char  *code;
  const char  *name;
  const char  *category;
  GwClassKind  kind;
  const char  *department;
  int          deadline_hours;
  GwPriority   priority;
} ClassRow;

#define EVENT GW_CLASS_KIND_EVENT
#define PART  GW_CLASS_KIND_COMPONENT
#define NORMAL GW_PRIORITY_NORMAL
#define URGENT GW_PRIORITY_URGENT
#define CRITICAL GW_PRIORITY_CRITICAL

/* After GB/T 30428.2: two-digit 大类 + two-digit 小类. Component classes (部件) are
 * filed under 市容环境 or 其他, since the demo keeps to the six event categories. */
static const ClassRow class_rows[] = {
  { "0101", "私搭乱建",     "市容环境", EVENT, "zhujian",   168, NORMAL },
  { "0102", "暴露垃圾",     "市容环境", EVENT, "huanwei",   4,   NORMAL },
  { "0103", "垃圾满溢",     "市容环境", EVENT, "huanwei",   2,   NORMAL },
  { "0104", "道路不洁",     "市容环境", EVENT, "huanwei",   4,   NORMAL },
  { "0105", "绿地脏乱",     "市容环境", EVENT, "yuanlin",   24,  NORMAL },
  { "0106", "废弃家具",     "市容环境", EVENT, "huanwei",   24,  NORMAL },
  { "0107", "垃圾箱破损",   "市容环境", PART,  "huanwei",   48,  NORMAL },
  { "0201", "非法小广告",   "宣传广告", EVENT, "chengguan", 24,  NORMAL },
  { "0202", "违规户外广告", "宣传广告", EVENT, "chengguan", 72,  NORMAL },
  { "0203", "街头散发广告", "宣传广告", EVENT, "chengguan", 4,   NORMAL },
  { "0301", "施工扰民",     "施工管理", EVENT, "zhujian",   4,   URGENT },
  { "0302", "工地扬尘",     "施工管理", EVENT, "zhujian",   8,   NORMAL },
  { "0303", "道路遗撒",     "施工管理", EVENT, "huanwei",   4,   NORMAL },
  { "0304", "施工占道",     "施工管理", EVENT, "chengguan", 24,  NORMAL },
  { "0401", "路面塌陷",     "突发事件", EVENT, "zhujian",   4,   CRITICAL },
  { "0402", "自来水管破裂", "突发事件", EVENT, "shuiwu",    4,   URGENT },
  { "0403", "下水道堵塞",   "突发事件", EVENT, "shuiwu",    8,   NORMAL },
  { "0404", "道路积水",     "突发事件", EVENT, "shuiwu",    4,   URGENT },
  { "0405", "高空抛物",     "突发事件", EVENT, "gongan",    2,   CRITICAL },
  { "0406", "线路故障停电", "突发事件", EVENT, "gongdian",  4,   URGENT },
  { "0501", "占道经营",     "街面秩序", EVENT, "chengguan", 2,   NORMAL },
  { "0502", "店外经营",     "街面秩序", EVENT, "chengguan", 4,   NORMAL },
  { "0503", "机动车乱停放", "街面秩序", EVENT, "gongan",    2,   NORMAL },
  { "0504", "电动车违停",   "街面秩序", EVENT, "chengguan", 4,   NORMAL },
  { "0505", "乱堆物堆料",   "街面秩序", EVENT, "chengguan", 24,  NORMAL },
  { "0506", "噪音扰民",     "街面秩序", EVENT, "gongan",    2,   NORMAL },
  { "0507", "飞线充电",     "街面秩序", EVENT, "shequ",     4,   URGENT },
  { "0508", "无照经营",     "街面秩序", EVENT, "shichang",  48,  NORMAL },
  { "0601", "井盖缺失",     "其他",     PART,  "shuiwu",    2,   CRITICAL },
  { "0602", "井盖破损",     "其他",     PART,  "shuiwu",    8,   URGENT },
  { "0603", "路灯不亮",     "其他",     PART,  "gongdian",  48,  NORMAL },
  { "0604", "护栏损坏",     "其他",     PART,  "zhujian",   72,  NORMAL },
  { "0605", "树木倒伏",     "其他",     PART,  "yuanlin",   4,   URGENT },
  { "0606", "食品安全投诉", "其他",     EVENT, "shichang",  24,  NORMAL },
};

#undef EVENT
#undef PART
#undef NORMAL
#undef URGENT
#undef CRITICAL

static guint64
mix64 (guint64 x)
{
  /* splitmix64's finaliser: a good avalanche for hashing small integers. */
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* A deterministic value in [-1, 1) for grid point @i, @j and a salt. */
static double
jitter (int i, int j, int salt)
{
  guint64 h = mix64 (((guint64) (i + 16) << 40) ^ ((guint64) (j + 16) << 20) ^ (guint64) salt);
  return (double) (h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

/* Grid vertex (i, j), 0 ≤ i ≤ GRID_COLS, 0 ≤ j ≤ GRID_ROWS (j from the south). Jitter
 * stays under 28% of a step, so every cell remains a simple polygon. */
static void
vertex (int i, int j, double *lon, double *lat)
{
  *lon = ORIGIN_LON + (i + 0.26 * jitter (i, j, 1)) * STEP_LON;
  *lat = ORIGIN_LAT + (j + 0.26 * jitter (i, j, 2)) * STEP_LAT;
}

/* Midpoint of the edge from vertex (i, j) eastwards (horizontal) or northwards. It is
 * pushed sideways a little so the shared border bends, identically for both cells. */
static void
edge_midpoint (int i, int j, gboolean horizontal, double *lon, double *lat)
{
  double x0, y0, x1, y1;

  vertex (i, j, &x0, &y0);
  if (horizontal)
    vertex (i + 1, j, &x1, &y1);
  else
    vertex (i, j + 1, &x1, &y1);

  *lon = (x0 + x1) / 2;
  *lat = (y0 + y1) / 2;
  if (horizontal)
    {
      *lon += 0.08 * jitter (i, j, 3) * STEP_LON;
      *lat += 0.14 * jitter (i, j, 4) * STEP_LAT;
    }
  else
    {
      *lon += 0.14 * jitter (i, j, 5) * STEP_LON;
      *lat += 0.08 * jitter (i, j, 6) * STEP_LAT;
    }
}

static const Community *
community_at (int col, int row)
{
  char c = community_map[GRID_ROWS - 1 - row][col];

  if (c < 'A' || c >= 'A' + (int) G_N_ELEMENTS (communities))
    return NULL;
  return &communities[c - 'A'];
}

/* A plausible 11-digit mobile number from the fictional 1370371xxxx range. */
static char *
worker_phone (guint n)
{
  return g_strdup_printf ("1370371%04u", (guint) (mix64 (n + 7777) % 9000) + 1000);
}

GPtrArray *
gw_street_cells (void)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  guint seq_in_community[G_N_ELEMENTS (communities)] = { 0 };
  guint n = 0;

  /* North-west first, row by row, so sequence numbers read like a map. */
  for (int row = GRID_ROWS - 1; row >= 0; row--)
    for (int col = 0; col < GRID_COLS; col++)
      {
        const Community *community = community_at (col, row);
        double ring[16];
        guint k = 0;
        guint idx, seq;

        if (community == NULL)
          continue;

        idx = community - communities;
        seq = ++seq_in_community[idx];

        /* Counter-clockwise: SW corner, south edge, SE, east edge, NE, north edge, NW,
         * west edge. */
        vertex (col, row, &ring[k], &ring[k + 1]); k += 2;
        edge_midpoint (col, row, TRUE, &ring[k], &ring[k + 1]); k += 2;
        vertex (col + 1, row, &ring[k], &ring[k + 1]); k += 2;
        edge_midpoint (col + 1, row, FALSE, &ring[k], &ring[k + 1]); k += 2;
        vertex (col + 1, row + 1, &ring[k], &ring[k + 1]); k += 2;
        edge_midpoint (col, row + 1, TRUE, &ring[k], &ring[k + 1]); k += 2;
        vertex (col, row + 1, &ring[k], &ring[k + 1]); k += 2;
        edge_midpoint (col, row, FALSE, &ring[k], &ring[k + 1]); k += 2;

        GwCell *cell = gw_cell_new ();
        cell->code = g_strdup_printf (COUNTY_CODE STREET_CODE "%s%02u", community->code, seq);
        cell->name = g_strdup_printf ("%s第%u网格", community->name, seq);
        cell->community = g_strdup (community->name);
        cell->worker_name = g_strdup_printf ("%s%s",
                                             surnames[n % G_N_ELEMENTS (surnames)],
                                             given_names[n % G_N_ELEMENTS (given_names)]);
        cell->worker_phone = worker_phone (n);
        /* One party branch looks after three neighbouring cells. */
        cell->party_branch = g_strdup_printf ("%s第%s党支部", community->name,
                                              branch_numerals[MIN ((seq - 1) / 3, G_N_ELEMENTS (branch_numerals) - 1)]);
        gw_cell_set_ring (cell, ring, k / 2);
        g_ptr_array_add (cells, cell);
        n++;
      }

  return cells;
}

GPtrArray *
gw_street_departments (void)
{
  GPtrArray *departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);

  for (guint i = 0; i < G_N_ELEMENTS (department_rows); i++)
    {
      const DepartmentRow *row = &department_rows[i];
      GwDepartment *dept = gw_department_new ();

      dept->id = g_strdup (row->id);
      dept->name = g_strdup (row->name);
      dept->phone = g_strdup (row->phone);
      dept->dispatch_minutes = row->dispatch_minutes;
      dept->handle_hours = row->handle_hours;
      g_ptr_array_add (departments, dept);
    }

  return departments;
}

GPtrArray *
gw_street_classes (void)
{
  GPtrArray *classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);

  for (guint i = 0; i < G_N_ELEMENTS (class_rows); i++)
    {
      const ClassRow *row = &class_rows[i];
      GwIncidentClass *klass = gw_incident_class_new ();

      klass->code = g_strdup (row->code);
      klass->name = g_strdup (row->name);
      klass->category = g_strdup (row->category);
      klass->kind = row->kind;
      klass->department = g_strdup (row->department);
      klass->deadline_hours = row->deadline_hours;
      klass->priority = row->priority;
      g_ptr_array_add (classes, klass);
    }

  return classes;
}

const char *
gw_street_name (void)
{
  return STREET_NAME;
}

void
gw_street_bounds (double *min_lon,
                  double *min_lat,
                  double *max_lon,
                  double *max_lat)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  /* The outline only touches grid vertices and edge midpoints; the union of the cells'
   * bounds is exact and cheap enough to recompute. */
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  for (guint i = 0; i < cells->len; i++)
    {
      double a, b, c, d;

      gw_cell_get_bounds (g_ptr_array_index (cells, i), &a, &b, &c, &d);
      x0 = MIN (x0, a);
      y0 = MIN (y0, b);
      x1 = MAX (x1, c);
      y1 = MAX (y1, d);
    }

  if (min_lon) *min_lon = x0;
  if (min_lat) *min_lat = y0;
  if (max_lon) *max_lon = x1;
  if (max_lat) *max_lat = y1;
}

const char * const *
gw_street_compounds (const char *community)
{
  for (guint i = 0; i < G_N_ELEMENTS (communities); i++)
    if (g_strcmp0 (communities[i].name, community) == 0)
      return communities[i].compounds;
  return NULL;
}

/* Metres between a point and a road line, with a flat-earth approximation that is
 * plenty at street scale. */
static double
road_distance (const Road *road, double lon, double lat)
{
  if (road->north_south)
    return fabs (lon - road->at) * 111320.0 * cos (lat * G_PI / 180.0);
  return fabs (lat - road->at) * 110540.0;
}

static const Road *
nearest_road (double lon, double lat, const Road *except)
{
  const Road *best = NULL;
  double best_d = G_MAXDOUBLE;

  for (guint i = 0; i < G_N_ELEMENTS (roads); i++)
    {
      double d;

      if (&roads[i] == except ||
          (except != NULL && roads[i].north_south == except->north_south))
        continue;
      d = road_distance (&roads[i], lon, lat);
      if (d < best_d)
        {
          best_d = d;
          best = &roads[i];
        }
    }
  return best;
}

char *
gw_street_address (double      lon,
                   double      lat,
                   const char *community,
                   guint64     pick)
{
  const char * const *compounds = gw_street_compounds (community);
  const Road *road = nearest_road (lon, lat, NULL);
  guint variant = pick % 20;

  pick /= 20;

  if (compounds != NULL && variant < 8)
    {
      guint n_compounds = g_strv_length ((char **) compounds);
      const char *compound = compounds[pick % n_compounds];

      return g_strdup_printf ("%s%u号楼", compound, (guint) ((pick / 8) % 18) + 1);
    }

  if (variant < 11)
    {
      /* An intersection with the nearest road that crosses it. */
      const Road *cross = nearest_road (lon, lat, road);

      return g_strdup_printf ("%s与%s交叉口%s", road->name, cross->name,
                              (const char *[]) { "东北角", "西北角", "东南角", "西南角", "附近" }[pick % 5]);
    }

  /* A house number that grows along the road, odd on one side and even on the other,
   * like real Chinese street numbering. */
  {
    double along = road->north_south ? (34.765 - lat) / 0.0300 : (lon - 113.595) / 0.0400;
    gboolean odd_side = road->north_south ? lon < road->at : lat > road->at;
    guint number = (guint) (CLAMP (along, 0.0, 1.0) * 150) * 2 + 2;

    if (odd_side)
      number -= 1;
    return g_strdup_printf ("%s%u号", road->name, number);
  }
}

gboolean
gw_street_road (guint i, const char **name, gboolean *north_south, double *at)
{
  if (i >= G_N_ELEMENTS (roads))
    return FALSE;
  if (name) *name = roads[i].name;
  if (north_south) *north_south = roads[i].north_south;
  if (at) *at = roads[i].at;
  return TRUE;
}

const double *
gw_street_river (guint *n_points)
{
  *n_points = G_N_ELEMENTS (river) / 2;
  return river;
}

const double *
gw_street_pond (guint *n_points)
{
  *n_points = G_N_ELEMENTS (pond) / 2;
  return pond;
}
