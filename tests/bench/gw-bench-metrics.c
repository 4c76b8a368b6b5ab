/* gw-bench-metrics.c — the metrics engine over 1,000,000 historical cases
 *
 * The cases come from the simulator's own planner (src/server/gw-case-planner.h): the
 * demo street's cells, classes and departments, arrivals by hour of day, each case's
 * whole life drawn from its department's distributions (late ones, reworks, extensions,
 * parking, appeals, 12345 return visits), applied through the workflow exactly as the
 * back-fill does, so the input is what a store full of history holds: GwIncident* with
 * their timelines. About 12 years of the street at ~215 cases a day.
 *
 * Measured: gw_metrics_compute() by department (and by cell, community, class) over all
 * of them, default thread count; peak RSS (VmHWM) during the computation, with the peak
 * reset after the input is built (/proc/self/clear_refs), so "engine" = peak − the RSS
 * before it. Baseline: the naive implementation one writes first — one pass on one
 * thread, a GHashTable of groups, a growing GArray per group per duration, then qsort of
 * every array; it computes the same counts, medians and p90 and the bench checks that the
 * two agree. Also the statistics charts' gw_metrics_breakdown_new() (per day, weekday ×
 * hour and duration bucket, every row) of a by-department and a by-cell result.
 *
 * Usage: gw-bench-metrics [N_CASES] (default 1000000)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw-case-planner.h"
#include "gw-dispatch-db.h"
#include "gw-metrics.h"
#include "gw-street.h"
#include "gw-workflow.h"

#define RUNS 7

static gint64
proc_status_kb (const char *field)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  const char *p = strstr (text, field);
  return p ? g_ascii_strtoll (p + strlen (field) + 1, NULL, 10) : -1;
}

static void
reset_peak (void)
{
  /* "5" resets VmHWM to the current RSS (Linux ≥ 4.0). */
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  if (f == NULL || fputs ("5", f) < 0 || fclose (f) != 0)
    g_error ("cannot reset the peak RSS through /proc/self/clear_refs");
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median_of (double *v, guint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[(n - 1) / 2];
}

/* ---- the input: the planner's cases ------------------------------------------------ */

static GPtrArray *
build_cases (guint n, GPtrArray **cells, GPtrArray **departments, GPtrArray **classes,
             GwTime *first, GwTime *last)
{
  g_autoptr(GError) error = NULL;
  GwDispatchDb *db = gw_dispatch_db_open (":memory:", &error);
  if (db == NULL)
    g_error ("%s", error->message);
  *cells = gw_street_cells ();
  *departments = gw_street_departments ();
  *classes = gw_street_classes ();
  if (!gw_dispatch_db_replace_reference (db, *cells, *departments, *classes, &error))
    g_error ("%s", error->message);
  GwCasePlanner *planner = gw_case_planner_new (db, &error);
  if (planner == NULL)
    g_error ("%s", error->message);

  GPtrArray *cases = g_ptr_array_new_full (n, (GDestroyNotify) gw_incident_unref);
  GwRng rng;
  gw_rng_seed (&rng, 20260101, 7);
  /* Start far enough back that the last case arrives about now. */
  GwTime now = gw_case_whole_seconds (gw_time_now ());
  GwTime t = now - (GwTime) (n / 215.0 * 24) * GW_USEC_PER_HOUR;
  *first = 0;
  for (guint i = 0; i < n; i++)
    {
      const GwIncidentClass *klass;
      gboolean reworked;
      t = gw_case_next_arrival (&rng, t);
      GwIncident *inc = gw_case_planner_draft (planner, &rng, t, g_strdup_printf ("GW-%07u", i), &klass);
      g_autoptr(GPtrArray) plan = gw_case_planner_plan (planner, &rng, inc, klass, &reworked);
      for (guint k = 0; k < plan->len; k++)
        {
          const GwStageEvent *ev = g_ptr_array_index (plan, k);
          if (ev->time > now)
            break;
          if (!gw_incident_apply_event (inc, ev, &error))
            g_error ("%s: %s", inc->id, error->message);
        }
      if (inc->source == GW_SOURCE_HOTLINE && gw_stage_is_closed (inc->stage))
        gw_case_planner_visit (&rng, inc, reworked);
      if (*first == 0)
        *first = inc->received_at;
      *last = inc->received_at;
      g_ptr_array_add (cases, inc);
    }
  gw_case_planner_free (planner);
  g_object_unref (db);
  return cases;
}

/* ---- the baseline ------------------------------------------------------------------ */

typedef struct {
  guint64 cases, closed, due, on_time;
  GArray *dur[GW_METRICS_N_DURATIONS];  /* gint64 µs */
} NaiveGroup;

static void
naive_group_free (NaiveGroup *g)
{
  for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
    g_array_unref (g->dur[d]);
  g_free (g);
}

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

/* Same definitions, written the obvious way (the cases here have no assumed deadlines:
 * the planner gives every case one). */
static GHashTable *
naive (GPtrArray *cases, GwTime from, GwTime to, GwTime now)
{
  GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) naive_group_free);
  GwTime due_limit = MIN (to, now);

  for (guint i = 0; i < cases->len; i++)
    {
      const GwIncident *inc = g_ptr_array_index (cases, i);
      if (inc->received_at < from || inc->received_at >= to)
        continue;
      const char *key = inc->department ? inc->department : GW_METRICS_UNASSIGNED;
      NaiveGroup *g = g_hash_table_lookup (groups, key);
      if (g == NULL)
        {
          g = g_new0 (NaiveGroup, 1);
          for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
            g->dur[d] = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (groups, g_strdup (key), g);
        }
      GwTime disp = 0, site = 0, done = 0, closed_at = 0, deadline = inc->deadline;
      GwStage stage = inc->stage;
      gboolean any = FALSE;
      for (guint k = 0; k < inc->timeline->len; k++)
        {
          const GwStageEvent *ev = g_ptr_array_index (inc->timeline, k);
          if (ev->deadline)
            any = TRUE;
          if (ev->time > now)
            continue;
          stage = ev->stage;
          if (ev->deadline)
            deadline = ev->deadline;
          if (ev->stage == GW_STAGE_DISPATCHED && !disp)
            disp = ev->time;
          if (ev->stage == GW_STAGE_ON_SITE && !site)
            site = ev->time;
          if (ev->stage == GW_STAGE_REPORTED_DONE && !done)
            done = ev->time;
          if (ev->stage == GW_STAGE_CLOSED)
            closed_at = ev->time;
        }
      if (!any)
        deadline = inc->deadline;
      gboolean closed = gw_stage_is_closed (stage);
      g->cases++;
      g->closed += closed;
      g->due += closed || (deadline && deadline <= due_limit);
      g->on_time += closed && deadline && closed_at <= deadline;
      gint64 v[GW_METRICS_N_DURATIONS] = {
        disp ? disp - inc->received_at : -1,
        disp && site ? site - disp : -1,
        disp && done ? done - disp : -1,
        done ? done - inc->received_at : -1,
        closed ? closed_at - inc->received_at : -1,
      };
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        if (v[d] >= 0)
          g_array_append_val (g->dur[d], v[d]);
    }

  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, groups);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      NaiveGroup *g = value;
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        qsort (g->dur[d]->data, g->dur[d]->len, sizeof (gint64), cmp_i64);
    }
  return groups;
}

static guint
check_agreement (GwMetricsResult *r, GHashTable *groups)
{
  guint bad = 0;
  for (guint row = 0; row + 1 < gw_metrics_result_get_n_rows (r); row++)
    {
      NaiveGroup *g = g_hash_table_lookup (groups, gw_metrics_result_get_key (r, row));
      if (g == NULL)
        {
          bad++;
          continue;
        }
      bad += gw_metrics_result_get (r, row, GW_METRICS_COL_CASES) != g->cases;
      bad += gw_metrics_result_get (r, row, GW_METRICS_COL_CLOSED) != g->closed;
      bad += gw_metrics_result_get (r, row, GW_METRICS_COL_DUE_TO_CLOSE) != g->due;
      bad += gw_metrics_result_get (r, row, GW_METRICS_COL_CLOSED_ON_TIME) != g->on_time;
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        {
          GArray *a = g->dur[d];
          GwMetricsColumn c = gw_metrics_duration_column (d, GW_METRICS_DUR_N);
          bad += gw_metrics_result_get (r, row, c) != a->len;
          if (a->len == 0)
            continue;
          gint64 med = g_array_index (a, gint64, (a->len + 1) / 2 - 1);
          gint64 p90 = g_array_index (a, gint64, (9 * (gsize) a->len + 9) / 10 - 1);
          bad += gw_metrics_result_get (r, row, c + GW_METRICS_DUR_MEDIAN) != med / 1e6;
          bad += gw_metrics_result_get (r, row, c + GW_METRICS_DUR_P90) != p90 / 1e6;
        }
    }
  return bad;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  GPtrArray *cells, *departments, *classes;
  GwTime first = 0, last = 0;
  double t_engine[RUNS], t_naive[RUNS];

  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GPtrArray) cases = build_cases (n, &cells, &departments, &classes, &first, &last);
  gint64 rss_input = proc_status_kb ("VmRSS:");
  printf ("input: %u planner cases (%.1f years of the demo street), built in %.1f s; RSS %.0f MB\n",
           n, (last - first) / (365.25 * 24 * GW_USEC_PER_HOUR),
           (g_get_monotonic_time () - t0) / 1e6, rss_input / 1024.0);

  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.from = first;
  q.to = last + 1;
  q.by = GW_METRICS_BY_DEPARTMENT;
  q.cells = cells;
  q.departments = departments;
  q.classes = classes;

  /* The engine. */
  gint64 engine_peak = 0, engine_base = 0;
  for (guint i = 0; i < RUNS; i++)
    {
      engine_base = proc_status_kb ("VmRSS:");
      reset_peak ();
      t0 = g_get_monotonic_time ();
      g_autoptr(GwMetricsResult) r = gw_metrics_compute (cases, &q, NULL, NULL);
      t_engine[i] = (g_get_monotonic_time () - t0) / 1e3;
      engine_peak = MAX (engine_peak, proc_status_kb ("VmHWM:") - engine_base);
      if (i == 0)
        printf ("engine result: %u rows, %u cases in range; total 结案率 %.2f%%, 按期结案率 %.2f%%, "
                 "median received→closed %.0f s\n",
                 gw_metrics_result_get_n_rows (r), gw_metrics_result_get_n_cases (r),
                 100 * gw_metrics_result_get (r, gw_metrics_result_get_n_rows (r) - 1,
                                              GW_METRICS_COL_CLOSURE_RATE),
                 100 * gw_metrics_result_get (r, gw_metrics_result_get_n_rows (r) - 1,
                                              GW_METRICS_COL_ON_TIME_CLOSURE_RATE),
                 gw_metrics_result_get (r, gw_metrics_result_get_n_rows (r) - 1,
                                        gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_CLOSED,
                                                                    GW_METRICS_DUR_MEDIAN)));
    }
  gint64 process_peak = engine_base + engine_peak;

  /* The baseline, and agreement. */
  gint64 naive_peak = 0;
  guint bad = 0;
  for (guint i = 0; i < RUNS; i++)
    {
      gint64 base = proc_status_kb ("VmRSS:");
      reset_peak ();
      t0 = g_get_monotonic_time ();
      GHashTable *groups = naive (cases, q.from, q.to, q.now);
      t_naive[i] = (g_get_monotonic_time () - t0) / 1e3;
      naive_peak = MAX (naive_peak, proc_status_kb ("VmHWM:") - base);
      if (i == 0)
        {
          g_autoptr(GwMetricsResult) r = gw_metrics_compute (cases, &q, NULL, NULL);
          bad = check_agreement (r, groups);
        }
      g_hash_table_unref (groups);
    }

  char *loadavg = NULL;
  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    g_strchomp (loadavg);

  /* The other groupings, once each (cells, communities, classes). */
  static const GwMetricsGroupBy others[] = { GW_METRICS_BY_CELL, GW_METRICS_BY_COMMUNITY,
                                             GW_METRICS_BY_CLASS, GW_METRICS_BY_NONE };
  double t_other[G_N_ELEMENTS (others)];
  guint rows_other[G_N_ELEMENTS (others)];
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      q.by = others[i];
      t0 = g_get_monotonic_time ();
      g_autoptr(GwMetricsResult) r = gw_metrics_compute (cases, &q, NULL, NULL);
      t_other[i] = (g_get_monotonic_time () - t0) / 1e3;
      rows_other[i] = gw_metrics_result_get_n_rows (r);
    }
  /* The charts' breakdown (days, weekday × hour, duration buckets) of a whole result,
   * by department and by cell (many rows), in Beijing time. */
  static const GwMetricsGroupBy bd_by[] = { GW_METRICS_BY_DEPARTMENT, GW_METRICS_BY_CELL };
  double t_breakdown[G_N_ELEMENTS (bd_by)];
  guint days_breakdown = 0, rows_breakdown = 0;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  for (guint i = 0; i < G_N_ELEMENTS (bd_by); i++)
    {
      q.by = bd_by[i];
      g_autoptr(GwMetricsResult) r = gw_metrics_compute (cases, &q, NULL, NULL);
      t0 = g_get_monotonic_time ();
      g_autoptr(GwMetricsBreakdown) b = gw_metrics_breakdown_new (r, tz);
      t_breakdown[i] = (g_get_monotonic_time () - t0) / 1e3;
      days_breakdown = gw_metrics_breakdown_get_n_days (b);
      rows_breakdown = gw_metrics_result_get_n_rows (r);
    }
  q.by = GW_METRICS_BY_DEPARTMENT;
  q.n_threads = 1;
  t0 = g_get_monotonic_time ();
  gw_metrics_result_unref (gw_metrics_compute (cases, &q, NULL, NULL));
  double t_one = (g_get_monotonic_time () - t0) / 1e3;

  double e_med = median_of (t_engine, RUNS), n_med = median_of (t_naive, RUNS);
  printf ("\n%-46s %9s %9s %13s\n", "by department, one range, every figure", "best ms", "median ms",
          "peak +RSS MB");
  printf ("%-46s %9.1f %9.1f %13.1f\n", "gw_metrics_compute (default threads)", t_engine[0], e_med,
          engine_peak / 1024.0);
  printf ("%-46s %9.1f %9s\n", "gw_metrics_compute (1 thread, one run)", t_one, "");
  printf ("%-46s %9.1f %9.1f %13.1f\n", "baseline: naive hash + GArray + qsort", t_naive[0], n_med,
          naive_peak / 1024.0);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *what = g_strdup_printf ("gw_metrics_compute by %s (%u rows, one run)",
                                               gw_metrics_group_by_to_string (others[i]), rows_other[i]);
      printf ("%-46s %9.1f\n", what, t_other[i]);
    }
  printf ("%-46s %9.1f\n", "gw_metrics_breakdown_new by department", t_breakdown[0]);
  {
    g_autofree char *what = g_strdup_printf ("gw_metrics_breakdown_new by cell (%u rows)", rows_breakdown);
    printf ("%-46s %9.1f   (%u days, one run each)\n", what, t_breakdown[1], days_breakdown);
  }
  printf ("\nprocess peak RSS during the engine: %.0f MB (input %.0f MB + engine %.0f MB); "
           "targets: < 500 ms, engine < 400 MB\n",
           process_peak / 1024.0, rss_input / 1024.0, engine_peak / 1024.0);
  printf ("engine vs baseline: %s (%u differing figures); load average when done: %s\n", bad == 0 ? "agree" : "DISAGREE", bad, loadavg);

  g_ptr_array_unref (cells);
  g_free (loadavg);
  g_ptr_array_unref (departments);
  g_ptr_array_unref (classes);
  return bad == 0 ? 0 : 1;
}
