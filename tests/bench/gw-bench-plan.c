/* gw-bench-plan.c — a day of planned cases (see the header) */

#include <stdlib.h>

#include "gw-bench-plan.h"
#include "gw-street.h"
#include "gw-workflow.h"

#define DAY (24 * GW_USEC_PER_HOUR)

static int
compare_time (const void *a,
              const void *b)
{
  GwTime x = *(const GwTime *) a, y = *(const GwTime *) b;

  return x < y ? -1 : x > y;
}

/* @n_cases received on the day starting at @day_start, with their whole lives (rework,
 * extensions, parking, appeals). */
GPtrArray *
gw_bench_plan_day (GwDispatchDb *db,
                   GwTime        day_start,
                   guint         n_cases)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GwCasePlanner) planner = gw_case_planner_new (db, &error);
  g_autofree GwTime *arrivals = g_new (GwTime, n_cases);
  GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  GwTime t = day_start - 60 * DAY;
  GwRng rng;

  g_assert_no_error (error);
  gw_rng_seed (&rng, 20251125, 7);

  /* The street's arrival process over many days, folded onto one: the hourly shape of
   * a (very) busy day. */
  for (guint i = 0; i < n_cases; i++)
    {
      t = gw_case_next_arrival (&rng, t);
      arrivals[i] = day_start + ((t - day_start) % DAY + DAY) % DAY;
    }
  qsort (arrivals, n_cases, sizeof *arrivals, compare_time);

  for (guint i = 0; i < n_cases; i++)
    {
      const GwIncidentClass *klass;
      g_autoptr(GwIncident) incident = NULL;
      g_autoptr(GPtrArray) plan = NULL;
      gboolean reworked;

      incident = gw_case_planner_draft (planner, &rng, arrivals[i],
                                        g_strdup_printf ("GW20251125-%05u", i), &klass);
      plan = gw_case_planner_plan (planner, &rng, incident, klass, &reworked);
      for (guint k = 0; k < plan->len; k++)
        {
          g_autoptr(GError) apply_error = NULL;

          if (!gw_incident_apply_event (incident, g_ptr_array_index (plan, k), &apply_error))
            g_error ("planned timeline of %s: %s", incident->id, apply_error->message);
        }
      g_ptr_array_add (cases, g_steal_pointer (&incident));
    }
  return cases;
}
