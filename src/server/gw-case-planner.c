/* gw-case-planner.c — how the simulated street behaves, one case at a time
 *
 * Every case is planned in full when it arrives: its whole timeline (registration,
 * dispatch, the department's response, rework, extensions, closing, evaluation) is
 * drawn from per-department distributions. The draws happen in a fixed order from the
 * caller's stream; reordering them, or adding one, changes every later case of a seed.
 */
#include "gw-case-planner.h"

#include <math.h>

#include "gw-street.h"

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
 * Time helpers and arrivals
 */

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
  gint64 s = t / GW_USEC_PER_SEC + GW_BEIJING_OFFSET_SEC;

  return (int) (((s % 86400) + 86400) % 86400 / 3600);
}

static gboolean
beijing_weekend (GwTime t)
{
  gint64 days = (t / GW_USEC_PER_SEC + GW_BEIJING_OFFSET_SEC) / 86400;
  int dow = (int) ((days + 4) % 7);  /* 1970-01-01 was a Thursday; 0 = Sunday */

  return dow == 0 || dow == 6;
}

static double
rate_at (GwTime t)
{
  return hourly_rate[beijing_hour (t)] * (beijing_weekend (t) ? WEEKEND_FACTOR : 1.0);
}

/* The next arrival after @t of a non-homogeneous Poisson process, by thinning. */
GwTime
gw_case_next_arrival (GwRng  *rng,
                      GwTime  t)
{
  double max_rate = 0;

  for (guint i = 0; i < G_N_ELEMENTS (hourly_rate); i++)
    max_rate = MAX (max_rate, hourly_rate[i]);

  for (;;)
    {
      t += (GwTime) (gw_rng_exponential (rng, max_rate) * 3600.0 * GW_USEC_PER_SEC);
      if (gw_rng_uniform (rng) * max_rate < rate_at (t))
        return gw_case_whole_seconds (t) + GW_USEC_PER_SEC;
    }
}

/* ------------------------------------------------------------------------------------
 * Reference data
 */

struct _GwCasePlanner
{
  GPtrArray   *cells;
  GPtrArray   *classes;
  GPtrArray   *departments;
  GHashTable  *department_by_id;     /* id → GwDepartment*, borrowed from departments */
  double      *cell_cumulative;
  double      *class_cumulative[2];  /* [0] hotline, [1] field sources */
  const char **class_what;
};

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

void
gw_case_planner_free (GwCasePlanner *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->department_by_id, g_hash_table_unref);
  g_clear_pointer (&self->cell_cumulative, g_free);
  g_clear_pointer (&self->class_cumulative[0], g_free);
  g_clear_pointer (&self->class_cumulative[1], g_free);
  g_clear_pointer (&self->class_what, g_free);
  g_free (self);
}

GwCasePlanner *
gw_case_planner_new (GwDispatchDb  *db,
                     GError       **error)
{
  g_autoptr(GwCasePlanner) self = g_new0 (GwCasePlanner, 1);
  double sum = 0;

  g_return_val_if_fail (GW_IS_DISPATCH_DB (db), NULL);

  self->cells = gw_dispatch_db_get_cells (db);
  self->classes = gw_dispatch_db_get_classes (db);
  self->departments = gw_dispatch_db_get_departments (db);

  if (self->cells->len == 0 || self->classes->len == 0 || self->departments->len == 0)
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_INVALID,
                   "The simulator needs cells, classes and departments");
      return NULL;
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

  return g_steal_pointer (&self);
}

/* @id if the street has it, else the community office (or whoever comes first). */
static const char *
resolve_department (GwCasePlanner *self, const char *id)
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
pick_source (GwRng *rng, GwTime t)
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
  return &source_profiles[gw_rng_weighted (rng, cumulative, G_N_ELEMENTS (source_profiles))];
}

static char *
fictional_mobile (GwRng *rng)
{
  static const char *const prefixes[] = { "1580371", "1860371", "1390371", "1550371" };

  return g_strdup_printf ("%s%04u", prefixes[gw_rng_below (rng, G_N_ELEMENTS (prefixes))],
                          1000 + gw_rng_below (rng, 9000));
}

GwIncident *
gw_case_planner_draft (GwCasePlanner          *self,
                       GwRng                  *rng,
                       GwTime                  t,
                       char                   *id,
                       const GwIncidentClass **klass_out)
{
  const SourceProfile *source = pick_source (rng, t);
  guint class_index = gw_rng_weighted (rng, self->class_cumulative[source->source == GW_SOURCE_HOTLINE ? 0 : 1],
                                       self->classes->len);
  const GwIncidentClass *klass = g_ptr_array_index (self->classes, class_index);
  GwCell *cell = g_ptr_array_index (self->cells, gw_rng_weighted (rng, self->cell_cumulative, self->cells->len));
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
      incident->lon = round ((x0 + gw_rng_uniform (rng) * (x1 - x0)) * 1e6) / 1e6;
      incident->lat = round ((y0 + gw_rng_uniform (rng) * (y1 - y0)) * 1e6) / 1e6;
      found = gw_cell_contains (cell, incident->lon, incident->lat);
    }
  if (!found)
    gw_cell_get_centroid (cell, &incident->lon, &incident->lat);

  incident->id = id;
  incident->class_code = g_strdup (klass->code);
  incident->source = source->source;
  incident->priority = klass->priority;
  if (incident->priority == GW_PRIORITY_NORMAL && gw_rng_chance (rng, P_BUMP_PRIORITY))
    incident->priority = GW_PRIORITY_URGENT;
  incident->address = gw_street_address (incident->lon, incident->lat, cell->community, gw_rng_next (rng));
  incident->title = g_strdup_printf ("%s%s", incident->address, klass->name);
  incident->description = g_strdup_printf ("%s%s%s。", source->prefix, incident->address,
                                           what != NULL ? what : klass->name);

  switch (source->source)
    {
    case GW_SOURCE_HOTLINE:
    case GW_SOURCE_APP:
      incident->reporter_name = g_strdup_printf ("%s%s", surnames[gw_rng_below (rng, G_N_ELEMENTS (surnames))],
                                                 gw_rng_chance (rng, 0.5) ? "先生" : "女士");
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
  GwCasePlanner *self;
  GwRng         *rng;
  GwIncident    *incident;
  GPtrArray     *plan;
  GwTime         t;
  GwTime         deadline;
  gboolean       reworked;
} Planner;

static const char *
officer_at (GwTime t)
{
  /* Four watches of eight hours in rotation. */
  gint64 watch = (t / GW_USEC_PER_SEC + GW_BEIJING_OFFSET_SEC) / (8 * 3600);

  return duty_officers[watch % G_N_ELEMENTS (duty_officers)];
}

static char *
staff_of (Planner *p, const char *department)
{
  GwDepartment *dept = g_hash_table_lookup (p->self->department_by_id, department);

  return g_strdup_printf ("%s·%s%s", dept != NULL ? dept->name : department,
                          surnames[gw_rng_below (p->rng, G_N_ELEMENTS (surnames))],
                          staff_names[gw_rng_below (p->rng, G_N_ELEMENTS (staff_names))]);
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
  p->t += minutes (gw_rng_lognormal (p->rng, median_min, sigma));
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

  handle = MAX (5.0, gw_rng_lognormal (p->rng, response->handle_share * share * deadline_min,
                                    response->handle_sigma));
  done = p->t + minutes (handle);

  if (gw_rng_chance (p->rng, P_PARK_HANDLING))
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
  if ((done > p->deadline && gw_rng_chance (p->rng, P_EXTEND_IF_LATE)) ||
      gw_rng_chance (p->rng, P_EXTEND_ANYWAY))
    {
      GwTime limit = MIN (done, MAX (p->deadline, p->t + GW_USEC_PER_SEC * 2));
      GwTime over = MAX (done - p->deadline, GW_USEC_PER_HOUR);
      GwStageEvent *event;
      GwTime when = p->t + (GwTime) (gw_rng_uniform (p->rng) * (double) (limit - p->t - GW_USEC_PER_SEC));

      p->t = MAX (gw_case_whole_seconds (when), p->t + GW_USEC_PER_SEC);
      if (p->t >= done)
        done = p->t + GW_USEC_PER_SEC;
      if (gw_rng_chance (p->rng, 0.85))
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
  if (gw_rng_chance (p->rng, P_REWORK))
    {
      p->reworked = TRUE;
      plan_add (p, GW_STAGE_REWORK, g_strdup (officer_at (p->t)), dept,
                "核查未通过：现场仍未整改到位，请返工");
      plan_handling (p, dept, deadline_min, 0.4);
      plan_wait (p, verify_median, 0.7);
    }
  plan_add (p, GW_STAGE_CLOSED, g_strdup (officer_at (p->t)), NULL, "核查通过，予以结案");
}

GPtrArray *
gw_case_planner_plan (GwCasePlanner         *self,
                      GwRng                 *rng,
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

  if (gw_rng_chance (rng, P_INVALID))
    {
      plan_wait (&p, 8, 0.5);
      plan_add (&p, GW_STAGE_CLOSED, g_strdup (officer_at (p.t)), NULL,
                gw_rng_chance (rng, 0.5) ? "重复上报，已合并办理" : "经核实不属于受理范围，予以结案");
      *reworked = FALSE;
      return p.plan;
    }

  if (gw_rng_chance (rng, P_PARK_EARLY))
    {
      plan_wait (&p, 20, 0.5);
      plan_add (&p, GW_STAGE_PARKED, g_strdup (officer_at (p.t)), NULL,
                "涉及历史遗留问题，挂账督办");
      if (gw_rng_chance (rng, P_PARK_FOREVER))
        {
          *reworked = FALSE;
          return p.plan;
        }
      plan_wait (&p, 3 * 24 * 60, 0.6);
    }
  else
    plan_wait (&p, MIN (6.0, deadline_min * 0.05), 0.6);

  plan_add (&p, GW_STAGE_DISPATCHED, g_strdup (officer_at (p.t)), dept, "请按时限处置");

  if (gw_rng_chance (rng, P_RETURNED))
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

  if (gw_rng_chance (rng, P_EVALUATED))
    {
      plan_wait (&p, 4 * 60, 0.8);
      plan_add (&p, GW_STAGE_EVALUATED, g_strdup (officer_at (p.t)), NULL,
                late ? "超期办结" : "按期办结");
    }

  if (gw_rng_chance (rng, P_APPEAL))
    {
      gboolean citizen = incident->source == GW_SOURCE_HOTLINE;

      plan_wait (&p, 24 * 60, 0.5);
      plan_add (&p, GW_STAGE_APPEAL, citizen ? g_strdup ("12345热线") : staff_of (&p, dept),
                citizen ? NULL : dept,
                citizen ? "市民回访不满意，申请复核" : "对考核结果有异议，申请复核");
      plan_wait (&p, 24 * 60, 0.5);
      if (gw_rng_chance (rng, 0.5))
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
void
gw_case_planner_visit (GwRng      *rng,
                       GwIncident *incident,
                       gboolean    reworked)
{
  gboolean late = incident->closed_at != GW_TIME_NONE && incident->deadline != GW_TIME_NONE &&
                  incident->closed_at > incident->deadline;
  double p_resolved = 0.9 - (late ? 0.25 : 0) - (reworked ? 0.2 : 0);
  double u;

  incident->visited = TRUE;
  incident->visit_contacted = gw_rng_chance (rng, 0.93);
  if (!incident->visit_contacted)
    {
      incident->visit_resolved = FALSE;
      incident->satisfaction = GW_SATISFACTION_NONE;
      return;
    }
  incident->visit_resolved = gw_rng_chance (rng, p_resolved);
  u = gw_rng_uniform (rng);
  if (incident->visit_resolved)
    incident->satisfaction = u < 0.80 ? GW_SATISFACTION_SATISFIED :
                             u < 0.95 ? GW_SATISFACTION_BASIC : GW_SATISFACTION_UNSATISFIED;
  else
    incident->satisfaction = u < 0.10 ? GW_SATISFACTION_SATISFIED :
                             u < 0.40 ? GW_SATISFACTION_BASIC : GW_SATISFACTION_UNSATISFIED;
}
