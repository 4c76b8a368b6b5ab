/* gw-simulator.c — plays a realistic street into a GwDispatchDb
 *
 * Every case is planned in full when it arrives: its whole timeline (registration,
 * dispatch, the department's response, rework, extensions, closing, evaluation) is
 * drawn from per-department distributions. History (back-fill) applies the planned
 * events that lie in the past and imports the case in one go; the live simulation
 * reports the case and posts each planned event when the simulated clock reaches it.
 * Both share the planner, so live and historical cases look alike.
 *
 * Randomness comes from the simulator's own xoshiro256** streams seeded from the seed,
 * never from g_random, so one seed always plays the same street.
 */
#include "gw-simulator.h"

#include <math.h>
#include <string.h>

#include "gw-street.h"
#include "gw-workflow.h"

#define TICK_MS             200
#define BACKFILL_BATCH      2000
#define ADVANCE_BATCH       500
#define BEIJING_OFFSET_SEC  (8 * 3600)
#define MIN_SPEED           1.0
#define MAX_SPEED           3600.0

/* ------------------------------------------------------------------------------------
 * Random numbers
 */

typedef struct {
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
rng_seed (Rng *rng, guint64 seed, guint64 stream)
{
  guint64 state = seed ^ (stream * G_GUINT64_CONSTANT (0xd1342543de82ef95));

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
static double
rng_uniform (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static gboolean
rng_chance (Rng *rng, double p)
{
  return rng_uniform (rng) < p;
}

static guint
rng_below (Rng *rng, guint n)
{
  return (guint) (rng_uniform (rng) * n);
}

static double
rng_normal (Rng *rng)
{
  double u1 = 1.0 - rng_uniform (rng);  /* (0, 1], so the log is finite */
  double u2 = rng_uniform (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static double
rng_lognormal (Rng *rng, double median, double sigma)
{
  return median * exp (sigma * rng_normal (rng));
}

static double
rng_exponential (Rng *rng, double rate)
{
  return -log (1.0 - rng_uniform (rng)) / rate;
}

/* Index into a cumulative weight table of @n entries. */
static guint
rng_weighted (Rng *rng, const double *cumulative, guint n)
{
  double x = rng_uniform (rng) * cumulative[n - 1];
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* ------------------------------------------------------------------------------------
 * How the street behaves
 */

/* Cases per hour at 1× by hour of day in Beijing time: quiet nights, a morning peak
 * when patrols start, an afternoon plateau and a busy evening on the hotline.
 * About 215 cases on a weekday. */
static const double hourly_rate[24] = {
  2.5, 1.5, 1.0, 0.8, 0.8, 1.2, 3.1, 6.9, 11.9, 16.2, 17.5, 16.2,
  12.5, 11.9, 15.0, 16.2, 15.6, 13.8, 11.2, 11.2, 10.6, 8.8, 6.2, 3.8,
};
#define WEEKEND_FACTOR 0.85

typedef struct {
  GwSource    source;
  double      day_weight;
  double      night_weight;   /* 22:00–07:00: few patrols, more cameras */
  double      register_median_min;
  const char *prefix;         /* how the description starts */
} SourceProfile;

static const SourceProfile source_profiles[] = {
  { GW_SOURCE_HOTLINE, 40, 40, 6,  "市民来电反映：" },
  { GW_SOURCE_PATROL,  35, 4,  2,  "网格员巡查发现：" },
  { GW_SOURCE_VIDEO,   15, 20, 5,  "视频监控发现：" },
  { GW_SOURCE_APP,     10, 6,  10, "市民通过“随手拍”反映：" },
};

/* How often each class comes up (hotline callers and field sources see different
 * things: noise is called in, small ads are spotted on patrol) and what is reported. */
typedef struct {
  const char *code;
  double      hotline_weight;
  double      field_weight;
  const char *what;
} ClassProfile;

static const ClassProfile class_profiles[] = {
  { "0101", 2.0, 2.0, "私自搭建彩钢棚，占用公共空间" },
  { "0102", 3.0, 5.0, "路边有暴露垃圾，无人清理" },
  { "0103", 8.0, 8.0, "垃圾桶满溢，周边散落垃圾，气味较大" },
  { "0104", 2.0, 6.0, "路面有油污、纸屑，较为脏乱" },
  { "0105", 1.0, 3.0, "绿化带内堆有杂物和生活垃圾" },
  { "0106", 2.0, 3.0, "楼下堆放废弃沙发、床垫等大件家具" },
  { "0107", 1.0, 3.0, "垃圾箱破损，箱盖缺失" },
  { "0201", 2.0, 8.0, "墙面、电线杆上张贴大量小广告" },
  { "0202", 1.0, 2.0, "门头广告牌松动，存在坠落隐患" },
  { "0203", 1.0, 3.0, "有人在路口散发传单" },
  { "0301", 6.0, 1.0, "工地夜间施工，噪音很大，影响休息" },
  { "0302", 3.0, 3.0, "工地裸土未覆盖，扬尘严重" },
  { "0303", 2.0, 3.0, "渣土车经过后路面有遗撒" },
  { "0304", 1.0, 2.0, "施工围挡占用人行道" },
  { "0401", 1.0, 0.5, "路面出现塌陷，有安全隐患" },
  { "0402", 2.0, 1.0, "自来水管破裂，路面大量积水" },
  { "0403", 3.0, 2.0, "下水道堵塞，污水外溢" },
  { "0404", 2.0, 1.5, "路面积水较深，影响通行" },
  { "0405", 2.0, 0.3, "楼上有人高空抛物，险些砸到行人" },
  { "0406", 2.0, 0.5, "突然停电，电力线路疑似故障" },
  { "0501", 5.0, 9.0, "流动摊贩占道经营，影响行人通行" },
  { "0502", 3.0, 7.0, "商户在店外摆放货物经营" },
  { "0503", 4.0, 5.0, "机动车在人行道上乱停乱放" },
  { "0504", 4.0, 9.0, "电动车随意停放，堵塞消防通道" },
  { "0505", 2.0, 4.0, "楼道、路边乱堆杂物" },
  { "0506", 7.0, 1.0, "商铺音响声音过大，影响居民休息" },
  { "0507", 4.0, 4.0, "居民从楼上拉电线给电动车充电，存在火灾隐患" },
  { "0508", 1.0, 2.0, "有商户无照经营" },
  { "0601", 1.5, 2.0, "井盖缺失，行人车辆有坠落危险" },
  { "0602", 1.5, 2.5, "井盖破损下陷" },
  { "0603", 3.0, 2.0, "路灯不亮，夜间行走不便" },
  { "0604", 1.0, 2.0, "道路护栏损坏" },
  { "0605", 1.0, 1.0, "树木倒伏，挡住道路" },
  { "0606", 3.0, 0.5, "购买的食品疑似过期变质" },
};

/* Each department's response: dispatch → on site (log-normal, minutes, capped by the
 * urgency of the class), on site → reported done (log-normal whose median is a share
 * of the class's deadline: slow departments use more of it, and their long tail runs
 * past it), and who takes a case a department sends back. */
typedef struct {
  const char *department;
  double      on_site_median_min;
  double      on_site_sigma;
  double      handle_share;
  double      handle_sigma;
  const char *fallback;
} Response;

static const Response responses[] = {
  { "chengguan", 25, 0.6, 0.35, 0.70, "shequ" },
  { "huanwei",   20, 0.5, 0.30, 0.60, "chengguan" },
  { "zhujian",   90, 0.7, 0.45, 0.80, "chengguan" },
  { "shichang",  60, 0.6, 0.35, 0.70, "chengguan" },
  { "gongan",    10, 0.5, 0.25, 0.60, "shequ" },
  { "yuanlin",   90, 0.7, 0.40, 0.80, "huanwei" },
  { "shequ",     20, 0.6, 0.30, 0.70, "chengguan" },
  { "shuiwu",    35, 0.6, 0.40, 0.80, "zhujian" },
  { "gongdian",  40, 0.6, 0.35, 0.70, "zhujian" },
};

static const Response default_response = { NULL, 40, 0.6, 0.40, 0.80, NULL };

/* Outcome rates. */
#define P_INVALID          0.02   /* closed at registration: duplicate or out of scope */
#define P_PARK_EARLY       0.015  /* parked before dispatch */
#define P_PARK_HANDLING    0.012  /* parked while being handled */
#define P_PARK_FOREVER     0.15   /* of the parked: stays parked (挂账) */
#define P_RETURNED         0.03
#define P_EXTEND_IF_LATE   0.5
#define P_EXTEND_ANYWAY    0.015
#define P_REWORK           0.07
#define P_EVALUATED        0.9
#define P_APPEAL           0.015
#define P_BUMP_PRIORITY    0.04

static const char *const duty_officers[] = {
  "指挥中心·张伟", "指挥中心·李静", "指挥中心·王磊", "指挥中心·刘洋",
};

static const char *const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
};

static const char *const staff_names[] = {
  "师傅", "队长", "工", "主任",
};

/* ------------------------------------------------------------------------------------
 * The object
 */

typedef struct {
  char      *id;
  GPtrArray *plan;      /* GwStageEvent*: the whole planned timeline */
  guint      next;      /* the next event to post */
  GwTime     deadline;  /* the deadline the database knows */
} SimCase;

typedef struct {
  GwTime   time;
  guint64  order;       /* insertion order breaks ties, for determinism */
  SimCase *sim_case;
} Action;

struct _GwSimulator
{
  GObject       parent_instance;

  GwDispatchDb *db;
  guint64       seed;
  double        speed;
  Rng           rng;              /* the live stream */

  GwTime        sim_now;          /* simulated time processed up to */
  GwTime        stamp;            /* while an action runs: its time, for the db clock */
  GwTime        next_arrival;     /* GW_TIME_NONE until the live stream starts */
  GwTime        anchor_sim;       /* while running: sim time at anchor_real */
  gint64        anchor_real;      /* monotonic µs */
  guint         timeout_id;

  GArray       *queue;            /* Action, a binary min-heap */
  guint64       order;

  /* Ids: "LD" + Beijing time to the second + a counter within that second. */
  gint64        last_id_second;
  guint         id_counter;

  /* Reference data, from the database. */
  GPtrArray    *cells;
  GPtrArray    *classes;
  GPtrArray    *departments;
  GHashTable   *department_by_id; /* id → GwDepartment*, borrowed from departments */
  double       *cell_cumulative;
  double       *class_cumulative[2];   /* [0] hotline, [1] field sources */
  const char  **class_what;
};

G_DEFINE_FINAL_TYPE (GwSimulator, gw_simulator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_SEED,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sim_case_free (SimCase *sim_case)
{
  g_free (sim_case->id);
  g_ptr_array_unref (sim_case->plan);
  g_free (sim_case);
}

/* ------------------------------------------------------------------------------------
 * The pending actions: a binary heap on (time, order)
 */

static gboolean
action_before (const Action *a, const Action *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static void
queue_push (GwSimulator *self, GwTime time, SimCase *sim_case)
{
  Action action = { time, self->order++, sim_case };
  Action *heap;
  guint i;

  g_array_append_val (self->queue, action);
  heap = (Action *) self->queue->data;
  for (i = self->queue->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;

      if (!action_before (&heap[i], &heap[parent]))
        break;
      action = heap[i];
      heap[i] = heap[parent];
      heap[parent] = action;
      i = parent;
    }
}

static Action
queue_pop (GwSimulator *self)
{
  Action *heap = (Action *) self->queue->data;
  Action top = heap[0];
  guint n = self->queue->len - 1;
  guint i = 0;

  heap[0] = heap[n];
  g_array_set_size (self->queue, n);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      Action tmp;

      if (l < n && action_before (&heap[l], &heap[m]))
        m = l;
      if (r < n && action_before (&heap[r], &heap[m]))
        m = r;
      if (m == i)
        break;
      tmp = heap[i];
      heap[i] = heap[m];
      heap[m] = tmp;
      i = m;
    }
  return top;
}

static void
queue_clear (GwSimulator *self)
{
  for (guint i = 0; i < self->queue->len; i++)
    sim_case_free (g_array_index (self->queue, Action, i).sim_case);
  g_array_set_size (self->queue, 0);
}

/* ------------------------------------------------------------------------------------
 * Time helpers
 */

static GwTime
whole_seconds (GwTime t)
{
  return t - t % GW_USEC_PER_SEC;
}

/* A duration in minutes as whole seconds, never zero, so a timeline strictly moves on. */
static GwTime
minutes (double m)
{
  double s = m * 60.0;

  if (!(s >= 1.0))
    s = 1.0;
  if (s > 3600.0 * 24 * 365)
    s = 3600.0 * 24 * 365;
  return (GwTime) s * GW_USEC_PER_SEC;
}

static int
beijing_hour (GwTime t)
{
  gint64 s = t / GW_USEC_PER_SEC + BEIJING_OFFSET_SEC;

  return (int) (((s % 86400) + 86400) % 86400 / 3600);
}

static gboolean
beijing_weekend (GwTime t)
{
  gint64 days = (t / GW_USEC_PER_SEC + BEIJING_OFFSET_SEC) / 86400;
  int dow = (int) ((days + 4) % 7);  /* 1970-01-01 was a Thursday; 0 = Sunday */

  return dow == 0 || dow == 6;
}

static double
rate_at (GwTime t)
{
  return hourly_rate[beijing_hour (t)] * (beijing_weekend (t) ? WEEKEND_FACTOR : 1.0);
}

/* The next arrival after @t of a non-homogeneous Poisson process, by thinning. */
static GwTime
next_arrival (Rng *rng, GwTime t)
{
  double max_rate = 0;

  for (guint i = 0; i < G_N_ELEMENTS (hourly_rate); i++)
    max_rate = MAX (max_rate, hourly_rate[i]);

  for (;;)
    {
      t += (GwTime) (rng_exponential (rng, max_rate) * 3600.0 * GW_USEC_PER_SEC);
      if (rng_uniform (rng) * max_rate < rate_at (t))
        return whole_seconds (t) + GW_USEC_PER_SEC;
    }
}

/* Civil date from days since the epoch (Howard Hinnant's algorithm): much cheaper than
 * a GDateTime per case when a million cases are back-filled. */
static void
civil_from_days (gint64 z, int *year, int *month, int *day)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;

  *day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = (int) (yoe + era * 400 + (*month <= 2));
}

static char *
make_id (GwSimulator *self, GwTime t)
{
  gint64 s = t / GW_USEC_PER_SEC + BEIJING_OFFSET_SEC;
  gint64 sod = ((s % 86400) + 86400) % 86400;
  int y, mo, d;

  if (s == self->last_id_second)
    self->id_counter++;
  else
    self->id_counter = 1;
  self->last_id_second = s;

  civil_from_days ((s - sod) / 86400, &y, &mo, &d);
  return g_strdup_printf ("LD%04d%02d%02d%02d%02d%02d%02u", y, mo, d,
                          (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60),
                          self->id_counter);
}

/* ------------------------------------------------------------------------------------
 * Reference data
 */

static const ClassProfile *
class_profile (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (class_profiles); i++)
    if (g_strcmp0 (class_profiles[i].code, code) == 0)
      return &class_profiles[i];
  return NULL;
}

static const Response *
response_for (const char *department)
{
  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    if (g_strcmp0 (responses[i].department, department) == 0)
      return &responses[i];
  return &default_response;
}

static void
clear_reference (GwSimulator *self)
{
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->department_by_id, g_hash_table_unref);
  g_clear_pointer (&self->cell_cumulative, g_free);
  g_clear_pointer (&self->class_cumulative[0], g_free);
  g_clear_pointer (&self->class_cumulative[1], g_free);
  g_clear_pointer (&self->class_what, g_free);
}

/* Loads (once) the database's cells, classes and departments: a deployment may have
 * its own, and the simulator then plays those with default behaviour. */
static gboolean
ensure_reference (GwSimulator *self, GError **error)
{
  double sum = 0;

  if (self->cells != NULL)
    return TRUE;

  if (!gw_dispatch_db_has_reference (self->db) && !gw_simulator_prepare (self, error))
    return FALSE;

  self->cells = gw_dispatch_db_get_cells (self->db);
  self->classes = gw_dispatch_db_get_classes (self->db);
  self->departments = gw_dispatch_db_get_departments (self->db);

  if (self->cells->len == 0 || self->classes->len == 0 || self->departments->len == 0)
    {
      clear_reference (self);
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_INVALID,
                   "The simulator needs cells, classes and departments");
      return FALSE;
    }

  self->department_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->departments->len; i++)
    {
      GwDepartment *dept = g_ptr_array_index (self->departments, i);

      g_hash_table_insert (self->department_by_id, dept->id, dept);
    }

  /* Some cells are hot spots (a market, a school gate): a fixed weight per cell code. */
  self->cell_cumulative = g_new (double, self->cells->len);
  for (guint i = 0; i < self->cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (self->cells, i);

      sum += 0.4 + 1.6 * (double) (g_str_hash (cell->code) % 1000) / 1000.0;
      self->cell_cumulative[i] = sum;
    }

  self->class_cumulative[0] = g_new (double, self->classes->len);
  self->class_cumulative[1] = g_new (double, self->classes->len);
  self->class_what = g_new (const char *, self->classes->len);
  for (guint k = 0; k < 2; k++)
    {
      sum = 0;
      for (guint i = 0; i < self->classes->len; i++)
        {
          GwIncidentClass *klass = g_ptr_array_index (self->classes, i);
          const ClassProfile *profile = class_profile (klass->code);

          sum += profile == NULL ? 1.0 : k == 0 ? profile->hotline_weight : profile->field_weight;
          self->class_cumulative[k][i] = sum;
          self->class_what[i] = profile != NULL ? profile->what : NULL;
        }
    }

  return TRUE;
}

static const char *
resolve_department (GwSimulator *self, const char *id)
{
  GwDepartment *dept;

  if (id != NULL && g_hash_table_contains (self->department_by_id, id))
    return id;
  dept = g_hash_table_lookup (self->department_by_id, "shequ");
  if (dept == NULL)
    dept = g_ptr_array_index (self->departments, 0);
  return dept->id;
}

/* ------------------------------------------------------------------------------------
 * Drafting a case: what, where, who
 */

static const SourceProfile *
pick_source (Rng *rng, GwTime t)
{
  int hour = beijing_hour (t);
  gboolean night = hour >= 22 || hour < 7;
  double cumulative[G_N_ELEMENTS (source_profiles)];
  double sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (source_profiles); i++)
    {
      sum += night ? source_profiles[i].night_weight : source_profiles[i].day_weight;
      cumulative[i] = sum;
    }
  return &source_profiles[rng_weighted (rng, cumulative, G_N_ELEMENTS (source_profiles))];
}

static char *
fictional_mobile (Rng *rng)
{
  static const char *const prefixes[] = { "1580371", "1860371", "1390371", "1550371" };

  return g_strdup_printf ("%s%04u", prefixes[rng_below (rng, G_N_ELEMENTS (prefixes))],
                          1000 + rng_below (rng, 9000));
}

/* A case as a reporter would file it, plus what the planner needs to know (cell,
 * department, deadline). */
static GwIncident *
draft_case (GwSimulator            *self,
            Rng                    *rng,
            GwTime                  t,
            const GwIncidentClass **klass_out)
{
  const SourceProfile *source = pick_source (rng, t);
  guint class_index = rng_weighted (rng, self->class_cumulative[source->source == GW_SOURCE_HOTLINE ? 0 : 1],
                                    self->classes->len);
  const GwIncidentClass *klass = g_ptr_array_index (self->classes, class_index);
  GwCell *cell = g_ptr_array_index (self->cells, rng_weighted (rng, self->cell_cumulative, self->cells->len));
  const char *what = self->class_what[class_index];
  GwIncident *incident = gw_incident_new ();
  double x0, y0, x1, y1;
  gboolean found = FALSE;

  /* A uniform point of the cell by rejection from its bounds. */
  gw_cell_get_bounds (cell, &x0, &y0, &x1, &y1);
  for (guint attempt = 0; attempt < 64 && !found; attempt++)
    {
      /* Six decimals (~0.1 m) like real GPS fixes; rounded before the test so the
       * stored point is inside the cell too. */
      incident->lon = round ((x0 + rng_uniform (rng) * (x1 - x0)) * 1e6) / 1e6;
      incident->lat = round ((y0 + rng_uniform (rng) * (y1 - y0)) * 1e6) / 1e6;
      found = gw_cell_contains (cell, incident->lon, incident->lat);
    }
  if (!found)
    gw_cell_get_centroid (cell, &incident->lon, &incident->lat);

  incident->id = make_id (self, t);
  incident->class_code = g_strdup (klass->code);
  incident->source = source->source;
  incident->priority = klass->priority;
  if (incident->priority == GW_PRIORITY_NORMAL && rng_chance (rng, P_BUMP_PRIORITY))
    incident->priority = GW_PRIORITY_URGENT;
  incident->address = gw_street_address (incident->lon, incident->lat, cell->community, rng_next (rng));
  incident->title = g_strdup_printf ("%s%s", incident->address, klass->name);
  incident->description = g_strdup_printf ("%s%s%s。", source->prefix, incident->address,
                                           what != NULL ? what : klass->name);

  switch (source->source)
    {
    case GW_SOURCE_HOTLINE:
    case GW_SOURCE_APP:
      incident->reporter_name = g_strdup_printf ("%s%s", surnames[rng_below (rng, G_N_ELEMENTS (surnames))],
                                                 rng_chance (rng, 0.5) ? "先生" : "女士");
      incident->reporter_phone = fictional_mobile (rng);
      break;
    case GW_SOURCE_PATROL:
      incident->reporter_name = g_strdup (cell->worker_name);
      incident->reporter_phone = g_strdup (cell->worker_phone);
      break;
    case GW_SOURCE_VIDEO:
    case GW_SOURCE_OTHER:
    case GW_N_SOURCES:
    default:
      break;
    }

  incident->received_at = t;
  incident->updated_at = t;
  incident->stage = GW_STAGE_RECEIVED;
  incident->cell_code = g_strdup (cell->code);
  incident->department = g_strdup (resolve_department (self, klass->department));
  incident->deadline = t + (GwTime) klass->deadline_hours * GW_USEC_PER_HOUR;

  *klass_out = klass;
  return incident;
}

/* ------------------------------------------------------------------------------------
 * Planning a case's timeline
 */

typedef struct {
  GwSimulator *self;
  Rng         *rng;
  GwIncident  *incident;
  GPtrArray   *plan;
  GwTime       t;
  GwTime       deadline;
  gboolean     reworked;
} Planner;

static const char *
officer_at (GwTime t)
{
  /* Four watches of eight hours in rotation. */
  gint64 watch = (t / GW_USEC_PER_SEC + BEIJING_OFFSET_SEC) / (8 * 3600);

  return duty_officers[watch % G_N_ELEMENTS (duty_officers)];
}

static char *
staff_of (Planner *p, const char *department)
{
  GwDepartment *dept = g_hash_table_lookup (p->self->department_by_id, department);

  return g_strdup_printf ("%s·%s%s", dept != NULL ? dept->name : department,
                          surnames[rng_below (p->rng, G_N_ELEMENTS (surnames))],
                          staff_names[rng_below (p->rng, G_N_ELEMENTS (staff_names))]);
}

/* Appends the next event at p->t; @actor is taken. */
static GwStageEvent *
plan_add (Planner    *p,
          GwStage     stage,
          char       *actor,
          const char *department,
          const char *note)
{
  GwStageEvent *event = gw_stage_event_new ();

  if (stage == GW_STAGE_RECEIVED)
    event->id = g_strdup_printf ("%s-received", p->incident->id);  /* as the db names it */
  else
    event->id = g_strdup_printf ("%s-%u", p->incident->id, p->plan->len + 1);
  event->stage = stage;
  event->time = p->t;
  event->actor = actor;
  event->department = g_strdup (department);
  event->note = g_strdup (note);
  g_ptr_array_add (p->plan, event);
  return event;
}

static void
plan_wait (Planner *p, double median_min, double sigma)
{
  p->t += minutes (rng_lognormal (p->rng, median_min, sigma));
}

/* On site, possibly parked or extended on the way, then reported done. */
static void
plan_handling (Planner *p, const char *dept, double deadline_min, double share)
{
  const Response *response = response_for (dept);
  GwTime done;
  double handle;

  /* Urgent classes get someone on site sooner than the department's usual pace. */
  plan_wait (p, MIN (response->on_site_median_min, deadline_min * 0.12), response->on_site_sigma);
  plan_add (p, GW_STAGE_ON_SITE, staff_of (p, dept), dept, "已到达现场，正在处置");

  handle = MAX (5.0, rng_lognormal (p->rng, response->handle_share * share * deadline_min,
                                    response->handle_sigma));
  done = p->t + minutes (handle);

  if (rng_chance (p->rng, P_PARK_HANDLING))
    {
      p->t += minutes (handle * 0.3);
      plan_add (p, GW_STAGE_PARKED, g_strdup (officer_at (p->t)), dept,
                "需协调产权单位，暂缓办理");
      plan_wait (p, 2 * 24 * 60, 0.6);
      plan_add (p, GW_STAGE_ON_SITE, staff_of (p, dept), dept, "协调完毕，恢复处置");
      done = p->t + minutes (handle * 0.7);
    }

  /* Seeing it will not make the deadline, a department often asks for more time; the
   * extension usually covers it, sometimes not. */
  if ((done > p->deadline && rng_chance (p->rng, P_EXTEND_IF_LATE)) ||
      rng_chance (p->rng, P_EXTEND_ANYWAY))
    {
      GwTime limit = MIN (done, MAX (p->deadline, p->t + GW_USEC_PER_SEC * 2));
      GwTime over = MAX (done - p->deadline, GW_USEC_PER_HOUR);
      GwStageEvent *event;
      GwTime when = p->t + (GwTime) (rng_uniform (p->rng) * (double) (limit - p->t - GW_USEC_PER_SEC));

      p->t = MAX (whole_seconds (when), p->t + GW_USEC_PER_SEC);
      if (p->t >= done)
        done = p->t + GW_USEC_PER_SEC;
      if (rng_chance (p->rng, 0.85))
        over = over * 3 / 2 + GW_USEC_PER_HOUR;
      else
        over = over / 2;
      /* Whole hours, and always later than the current deadline. */
      over = MAX (GW_USEC_PER_HOUR, (over + GW_USEC_PER_HOUR - 1) / GW_USEC_PER_HOUR * GW_USEC_PER_HOUR);
      p->deadline += over;
      event = plan_add (p, GW_STAGE_EXTENDED, staff_of (p, dept), dept,
                        "情况复杂，需协调相关单位，申请延期");
      event->deadline = p->deadline;
    }

  p->t = MAX (done, p->t + GW_USEC_PER_SEC);
  plan_add (p, GW_STAGE_REPORTED_DONE, staff_of (p, dept), dept, "已处置完毕，已上传现场照片");
}

/* Checked and closed, sent back for rework first in some cases. */
static void
plan_verify_and_close (Planner *p, const char *dept, double deadline_min)
{
  double verify_median = MIN (25.0, deadline_min * 0.08);

  plan_wait (p, verify_median, 0.7);
  if (rng_chance (p->rng, P_REWORK))
    {
      p->reworked = TRUE;
      plan_add (p, GW_STAGE_REWORK, g_strdup (officer_at (p->t)), dept,
                "核查未通过：现场仍未整改到位，请返工");
      plan_handling (p, dept, deadline_min, 0.4);
      plan_wait (p, verify_median, 0.7);
    }
  plan_add (p, GW_STAGE_CLOSED, g_strdup (officer_at (p->t)), NULL, "核查通过，予以结案");
}

/* The whole life of @incident. Returns the planned timeline, received event first. */
static GPtrArray *
plan_case (GwSimulator           *self,
           Rng                   *rng,
           GwIncident            *incident,
           const GwIncidentClass *klass,
           gboolean              *reworked)
{
  const SourceProfile *source = &source_profiles[0];
  Planner p = { self, rng, incident, NULL, incident->received_at, incident->deadline, FALSE };
  double deadline_min = klass->deadline_hours * 60.0;
  const char *dept = incident->department;
  GwTime closed_at;
  gboolean late;

  for (guint i = 0; i < G_N_ELEMENTS (source_profiles); i++)
    if (source_profiles[i].source == incident->source)
      source = &source_profiles[i];

  p.plan = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  plan_add (&p, GW_STAGE_RECEIVED, g_strdup (gw_source_to_string (incident->source)), NULL, NULL);

  plan_wait (&p, source->register_median_min, 0.6);
  plan_add (&p, GW_STAGE_REGISTERED, g_strdup (officer_at (p.t)), NULL, "立案");

  if (rng_chance (rng, P_INVALID))
    {
      plan_wait (&p, 8, 0.5);
      plan_add (&p, GW_STAGE_CLOSED, g_strdup (officer_at (p.t)), NULL,
                rng_chance (rng, 0.5) ? "重复上报，已合并办理" : "经核实不属于受理范围，予以结案");
      *reworked = FALSE;
      return p.plan;
    }

  if (rng_chance (rng, P_PARK_EARLY))
    {
      plan_wait (&p, 20, 0.5);
      plan_add (&p, GW_STAGE_PARKED, g_strdup (officer_at (p.t)), NULL,
                "涉及历史遗留问题，挂账督办");
      if (rng_chance (rng, P_PARK_FOREVER))
        {
          *reworked = FALSE;
          return p.plan;
        }
      plan_wait (&p, 3 * 24 * 60, 0.6);
    }
  else
    plan_wait (&p, MIN (6.0, deadline_min * 0.05), 0.6);

  plan_add (&p, GW_STAGE_DISPATCHED, g_strdup (officer_at (p.t)), dept, "请按时限处置");

  if (rng_chance (rng, P_RETURNED))
    {
      const char *other = resolve_department (self, response_for (dept)->fallback);

      plan_wait (&p, MIN (35.0, deadline_min * 0.15), 0.6);
      plan_add (&p, GW_STAGE_RETURNED, staff_of (&p, dept), dept, "非本部门职责范围，申请回退");
      dept = other;
      plan_wait (&p, 15, 0.5);
      plan_add (&p, GW_STAGE_DISPATCHED, g_strdup (officer_at (p.t)), dept, "重新派遣");
    }

  plan_handling (&p, dept, deadline_min, 1.0);
  plan_verify_and_close (&p, dept, deadline_min);
  closed_at = p.t;
  late = closed_at > p.deadline;

  if (rng_chance (rng, P_EVALUATED))
    {
      plan_wait (&p, 4 * 60, 0.8);
      plan_add (&p, GW_STAGE_EVALUATED, g_strdup (officer_at (p.t)), NULL,
                late ? "超期办结" : "按期办结");
    }

  if (rng_chance (rng, P_APPEAL))
    {
      gboolean citizen = incident->source == GW_SOURCE_HOTLINE;

      plan_wait (&p, 24 * 60, 0.5);
      plan_add (&p, GW_STAGE_APPEAL, citizen ? g_strdup ("12345热线") : staff_of (&p, dept),
                citizen ? NULL : dept,
                citizen ? "市民回访不满意，申请复核" : "对考核结果有异议，申请复核");
      plan_wait (&p, 24 * 60, 0.5);
      if (rng_chance (rng, 0.5))
        plan_add (&p, GW_STAGE_CLOSED, g_strdup (officer_at (p.t)), NULL, "复核完毕，维持原结案");
      else
        {
          p.reworked = TRUE;
          plan_add (&p, GW_STAGE_REWORK, g_strdup (officer_at (p.t)), dept, "复核认定未办结，请返工");
          plan_handling (&p, dept, deadline_min, 0.4);
          plan_wait (&p, MIN (25.0, deadline_min * 0.08), 0.7);
          plan_add (&p, GW_STAGE_CLOSED, g_strdup (officer_at (p.t)), NULL, "返工核查通过，予以结案");
        }
    }

  *reworked = p.reworked;
  return p.plan;
}

/* The 12345 return visit (回访), made once a hotline case is closed. Lateness and
 * rework show in how callers answer. */
static void
draw_visit (Rng *rng, GwIncident *incident, gboolean reworked)
{
  gboolean late = incident->closed_at != GW_TIME_NONE && incident->deadline != GW_TIME_NONE &&
                  incident->closed_at > incident->deadline;
  double p_resolved = 0.9 - (late ? 0.25 : 0) - (reworked ? 0.2 : 0);
  double u;

  incident->visited = TRUE;
  incident->visit_contacted = rng_chance (rng, 0.93);
  if (!incident->visit_contacted)
    {
      incident->visit_resolved = FALSE;
      incident->satisfaction = GW_SATISFACTION_NONE;
      return;
    }
  incident->visit_resolved = rng_chance (rng, p_resolved);
  u = rng_uniform (rng);
  if (incident->visit_resolved)
    incident->satisfaction = u < 0.80 ? GW_SATISFACTION_SATISFIED :
                             u < 0.95 ? GW_SATISFACTION_BASIC : GW_SATISFACTION_UNSATISFIED;
  else
    incident->satisfaction = u < 0.10 ? GW_SATISFACTION_SATISFIED :
                             u < 0.40 ? GW_SATISFACTION_BASIC : GW_SATISFACTION_UNSATISFIED;
}

/* ------------------------------------------------------------------------------------
 * The live simulation
 */

static GwTime
db_clock (gpointer user_data)
{
  GwSimulator *self = user_data;

  return self->stamp != GW_TIME_NONE ? self->stamp : gw_simulator_now (self);
}

/* Errors that mean the database itself failed, as opposed to a case someone else
 * changed under us (an operator posting events through the API). */
static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_FAILED) ||
         g_error_matches (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_SCHEMA);
}

static gboolean
run_arrival (GwSimulator *self, GwTime t, GError **error)
{
  g_autoptr(GwIncident) draft = NULL;
  g_autoptr(GwIncident) report = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  const GwIncidentClass *klass;
  gboolean duplicate = FALSE;
  gboolean reworked;
  SimCase *sim_case;
  GPtrArray *plan;

  draft = draft_case (self, &self->rng, t, &klass);
  plan = plan_case (self, &self->rng, draft, klass, &reworked);

  /* What a reporter posts; the database derives the rest. */
  report = gw_incident_copy (draft);
  g_clear_pointer (&report->cell_code, g_free);
  g_clear_pointer (&report->department, g_free);
  report->deadline = GW_TIME_NONE;

  stored = gw_dispatch_db_report (self->db, report, &duplicate, &local_error);
  if (stored == NULL)
    {
      g_ptr_array_unref (plan);
      if (is_fatal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Simulated report %s refused: %s", draft->id, local_error->message);
      return TRUE;
    }
  if (duplicate)
    {
      /* A case of an earlier run with the same id: it is not ours to play. */
      g_ptr_array_unref (plan);
      return TRUE;
    }

  sim_case = g_new0 (SimCase, 1);
  sim_case->id = g_strdup (stored->id);
  sim_case->plan = plan;
  sim_case->next = 1;
  sim_case->deadline = stored->deadline;
  if (sim_case->next < plan->len)
    queue_push (self, ((GwStageEvent *) g_ptr_array_index (plan, 1))->time, sim_case);
  else
    sim_case_free (sim_case);
  return TRUE;
}

static gboolean
run_step (GwSimulator *self, SimCase *sim_case, GError **error)
{
  const GwStageEvent *planned = g_ptr_array_index (sim_case->plan, sim_case->next);
  g_autoptr(GwStageEvent) adjusted = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean duplicate = FALSE;

  /* The database may have a different deadline than planned (its own reference data,
   * or an operator's extension); an extension must still move it later. */
  if (planned->stage == GW_STAGE_EXTENDED && planned->deadline <= sim_case->deadline)
    {
      adjusted = gw_stage_event_copy (planned);
      adjusted->deadline = sim_case->deadline + 24 * GW_USEC_PER_HOUR;
      planned = adjusted;
    }

  stored = gw_dispatch_db_add_event (self->db, sim_case->id, planned, &duplicate, &local_error);
  if (stored == NULL)
    {
      sim_case_free (sim_case);
      if (is_fatal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Someone else moved the case on: leave it to them. */
      g_debug ("Simulated case dropped: %s", local_error->message);
      return TRUE;
    }

  sim_case->deadline = stored->deadline;
  sim_case->next++;
  if (sim_case->next < sim_case->plan->len)
    queue_push (self, ((GwStageEvent *) g_ptr_array_index (sim_case->plan, sim_case->next))->time,
                sim_case);
  else
    sim_case_free (sim_case);
  return TRUE;
}

gboolean
gw_simulator_advance (GwSimulator  *self,
                      GwTime        until,
                      GError      **error)
{
  gboolean ok = TRUE;
  gboolean in_transaction = FALSE;
  guint n_actions = 0;

  g_return_val_if_fail (GW_IS_SIMULATOR (self), FALSE);

  if (!ensure_reference (self, error))
    return FALSE;

  if (self->next_arrival == GW_TIME_NONE)
    self->next_arrival = next_arrival (&self->rng, self->sim_now);

  /* One transaction per batch of actions: a tick's writes, or a long catch-up, cost
   * one commit instead of one each; an idle tick costs none. Changes are still
   * signalled in order, after their commit. */
  while (ok)
    {
      GwTime case_time = self->queue->len > 0 ? g_array_index (self->queue, Action, 0).time : G_MAXINT64;
      GwTime t = MIN (case_time, self->next_arrival);

      if (t > until)
        break;

      if (!in_transaction)
        {
          gw_dispatch_db_begin (self->db);
          in_transaction = TRUE;
        }

      /* Writes are stamped with the time of the action, not the timer tick. */
      self->stamp = t;
      if (self->next_arrival <= case_time)
        {
          ok = run_arrival (self, t, error);
          self->next_arrival = next_arrival (&self->rng, t);
        }
      else
        ok = run_step (self, queue_pop (self).sim_case, error);

      if (ok && ++n_actions % ADVANCE_BATCH == 0)
        {
          in_transaction = FALSE;
          ok = gw_dispatch_db_commit (self->db, error);
        }
    }
  self->stamp = GW_TIME_NONE;

  /* Keep what was written before a failure. */
  if (in_transaction && !gw_dispatch_db_commit (self->db, ok ? error : NULL))
    ok = FALSE;

  if (ok)
    self->sim_now = MAX (self->sim_now, until);
  return ok;
}

/* ------------------------------------------------------------------------------------
 * History
 */

gboolean
gw_simulator_backfill (GwSimulator  *self,
                       guint         days,
                       GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  GwTime now, t;
  guint in_batch = 0;
  Rng rng;

  g_return_val_if_fail (GW_IS_SIMULATOR (self), FALSE);

  if (!ensure_reference (self, error))
    return FALSE;
  if (days == 0)
    return TRUE;

  now = gw_simulator_now (self);
  /* A stream of its own: the live simulation is the same with or without history. */
  rng_seed (&rng, self->seed, 2);
  t = whole_seconds (now - (GwTime) days * 24 * GW_USEC_PER_HOUR);

  gw_dispatch_db_begin (self->db);
  while ((t = next_arrival (&rng, t)) < now)
    {
      const GwIncidentClass *klass;
      g_autoptr(GwIncident) incident = draft_case (self, &rng, t, &klass);
      g_autoptr(GPtrArray) plan = NULL;
      gboolean reworked;
      guint next = 0;

      plan = plan_case (self, &rng, incident, klass, &reworked);
      for (; next < plan->len; next++)
        {
          const GwStageEvent *event = g_ptr_array_index (plan, next);

          if (event->time > now)
            break;
          if (!gw_incident_apply_event (incident, event, &local_error))
            {
              /* A planner bug, not bad luck: say so and keep the history valid. */
              g_critical ("Planned timeline of %s is invalid: %s", incident->id, local_error->message);
              g_clear_error (&local_error);
              next = plan->len;
              break;
            }
        }

      if (incident->source == GW_SOURCE_HOTLINE && gw_stage_is_closed (incident->stage))
        draw_visit (&rng, incident, reworked);

      if (!gw_dispatch_db_import (self->db, incident, &local_error))
        break;

      /* Still open at the simulated now: the live simulation carries on with it. */
      if (next < plan->len)
        {
          SimCase *sim_case = g_new0 (SimCase, 1);

          sim_case->id = g_strdup (incident->id);
          sim_case->plan = g_steal_pointer (&plan);
          sim_case->next = next;
          sim_case->deadline = incident->deadline;
          queue_push (self, ((GwStageEvent *) g_ptr_array_index (sim_case->plan, next))->time, sim_case);
        }

      if (++in_batch == BACKFILL_BATCH)
        {
          in_batch = 0;
          if (!gw_dispatch_db_commit (self->db, &local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          gw_dispatch_db_begin (self->db);
        }
    }

  /* Commit what was written even after a failed import, then report the failure. */
  if (!gw_dispatch_db_commit (self->db, local_error == NULL ? error : NULL) || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------
 * Clock and main-loop driving
 */

GwTime
gw_simulator_now (GwSimulator *self)
{
  g_return_val_if_fail (GW_IS_SIMULATOR (self), GW_TIME_NONE);

  if (self->timeout_id == 0)
    return self->sim_now;
  return self->anchor_sim +
         (GwTime) ((double) (g_get_monotonic_time () - self->anchor_real) * self->speed);
}

static gboolean
on_tick (gpointer user_data)
{
  GwSimulator *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gw_simulator_advance (self, gw_simulator_now (self), &error))
    g_warning ("Simulation step failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

void
gw_simulator_start (GwSimulator *self)
{
  g_return_if_fail (GW_IS_SIMULATOR (self));

  if (self->timeout_id != 0)
    return;

  self->anchor_sim = self->sim_now;
  self->anchor_real = g_get_monotonic_time ();
  gw_dispatch_db_set_clock (self->db, db_clock, self);
  self->timeout_id = g_timeout_add (TICK_MS, on_tick, self);
  g_source_set_name_by_id (self->timeout_id, "[gridwatch] simulator tick");
}

void
gw_simulator_stop (GwSimulator *self)
{
  g_autoptr(GError) error = NULL;
  GwTime now;

  g_return_if_fail (GW_IS_SIMULATOR (self));

  if (self->timeout_id == 0)
    return;

  /* Catch up, then freeze the clock where it stands. */
  now = gw_simulator_now (self);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!gw_simulator_advance (self, now, &error))
    g_warning ("Simulation step failed: %s", error->message);
  self->sim_now = MAX (self->sim_now, now);
}

void
gw_simulator_set_time (GwSimulator *self,
                       GwTime       now)
{
  g_return_if_fail (GW_IS_SIMULATOR (self));
  g_return_if_fail (self->timeout_id == 0);

  self->sim_now = now;
  /* The arrival stream restarts from the new time. */
  self->next_arrival = GW_TIME_NONE;
}

double
gw_simulator_get_speed (GwSimulator *self)
{
  g_return_val_if_fail (GW_IS_SIMULATOR (self), MIN_SPEED);

  return self->speed;
}

void
gw_simulator_set_speed (GwSimulator *self,
                        double       speed)
{
  g_return_if_fail (GW_IS_SIMULATOR (self));

  speed = CLAMP (speed, MIN_SPEED, MAX_SPEED);
  if (speed == self->speed)
    return;

  /* Re-anchor so the clock keeps going from where it is, only faster or slower. */
  if (self->timeout_id != 0)
    {
      self->anchor_sim = gw_simulator_now (self);
      self->anchor_real = g_get_monotonic_time ();
    }
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

guint
gw_simulator_get_n_pending (GwSimulator *self)
{
  g_return_val_if_fail (GW_IS_SIMULATOR (self), 0);

  return self->queue->len;
}

gboolean
gw_simulator_prepare (GwSimulator  *self,
                      GError      **error)
{
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) classes = NULL;

  g_return_val_if_fail (GW_IS_SIMULATOR (self), FALSE);

  if (gw_dispatch_db_has_reference (self->db))
    return TRUE;

  cells = gw_street_cells ();
  departments = gw_street_departments ();
  classes = gw_street_classes ();
  if (!gw_dispatch_db_replace_reference (self->db, cells, departments, classes, error))
    return FALSE;

  clear_reference (self);
  return TRUE;
}

/* ------------------------------------------------------------------------------------
 * GObject
 */

GwSimulator *
gw_simulator_new (GwDispatchDb *db,
                  guint64       seed,
                  double        speed)
{
  g_return_val_if_fail (GW_IS_DISPATCH_DB (db), NULL);

  return g_object_new (GW_TYPE_SIMULATOR,
                       "db", db,
                       "seed", seed,
                       "speed", CLAMP (speed, MIN_SPEED, MAX_SPEED),
                       NULL);
}

static void
gw_simulator_constructed (GObject *object)
{
  GwSimulator *self = GW_SIMULATOR (object);

  G_OBJECT_CLASS (gw_simulator_parent_class)->constructed (object);

  rng_seed (&self->rng, self->seed, 1);
  /* The simulated clock starts at the real time, in whole seconds like every write. */
  self->sim_now = whole_seconds (gw_time_now ());

  /* Writes made while the simulation is stopped (tests driving advance) carry
   * simulated time too. */
  if (self->db != NULL)
    gw_dispatch_db_set_clock (self->db, db_clock, self);
}

static void
gw_simulator_dispose (GObject *object)
{
  GwSimulator *self = GW_SIMULATOR (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->db != NULL)
    {
      /* The database may outlive us: give it back its real clock. */
      gw_dispatch_db_set_clock (self->db, NULL, NULL);
      g_clear_object (&self->db);
    }
  clear_reference (self);

  G_OBJECT_CLASS (gw_simulator_parent_class)->dispose (object);
}

static void
gw_simulator_finalize (GObject *object)
{
  GwSimulator *self = GW_SIMULATOR (object);

  queue_clear (self);
  g_clear_pointer (&self->queue, g_array_unref);

  G_OBJECT_CLASS (gw_simulator_parent_class)->finalize (object);
}

static void
gw_simulator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GwSimulator *self = GW_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_simulator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GwSimulator *self = GW_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint64 (value);
      break;
    case PROP_SPEED:
      gw_simulator_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_simulator_class_init (GwSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gw_simulator_constructed;
  object_class->dispose = gw_simulator_dispose;
  object_class->finalize = gw_simulator_finalize;
  object_class->get_property = gw_simulator_get_property;
  object_class->set_property = gw_simulator_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL,
                         GW_TYPE_DISPATCH_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL,
                         MIN_SPEED, MAX_SPEED, MIN_SPEED,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_simulator_init (GwSimulator *self)
{
  self->speed = MIN_SPEED;
  self->queue = g_array_new (FALSE, FALSE, sizeof (Action));
  self->last_id_second = G_MININT64;
}
