/* gw-bench-alerts.c — main-thread cost of the alert queue on a busy street
 *
 * Measures, on 20k and 100k open cases: taking in the start-up snapshot, the once-a-second
 * tick when nothing is due, a live batch of 1,000 changed cases, and a tick where 1,000
 * cases turn late at once (the storm the burst limit is for). Medians of RUNS runs.
 */

#include <stdio.h>
#include <stdlib.h>

#include "gw-alert-queue.h"

#define RUNS 11
#define SEC  GW_USEC_PER_SEC

static GwTime now0;

static GwIncident *
make_incident (guint i, gint64 seq, GwTime deadline)
{
  GwIncident *inc = gw_incident_new ();

  inc->id = g_strdup_printf ("GW-%07u", i);
  inc->title = g_strdup ("垃圾满溢");
  inc->class_code = g_strdup ("0101");
  inc->priority = i % 50 == 0 ? GW_PRIORITY_URGENT : GW_PRIORITY_NORMAL;
  inc->stage = GW_STAGE_DISPATCHED;
  inc->received_at = now0 - 2 * GW_USEC_PER_HOUR;
  inc->updated_at = now0;
  inc->deadline = deadline;
  inc->seq = seq;
  return inc;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof (double), compare_double);
  return v[n / 2];
}

static GwStoreChange
change_of (GPtrArray *incidents, gboolean reset, gboolean changed)
{
  static GPtrArray *empty;
  GwStoreChange change = { 0 };

  if (empty == NULL)
    empty = g_ptr_array_new ();
  change.added = changed ? empty : incidents;
  change.changed = changed ? incidents : empty;
  change.removed = empty;
  change.reset = reset;
  return change;
}

static void
bench (guint n)
{
  double load[RUNS], idle[RUNS], live[RUNS], storm[RUNS];
  guint announced = 0;

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
      g_autoptr(GwAlertQueue) queue = gw_alert_queue_new ();
      GwStoreChange change;
      gint64 t;

      /* 1,000 cases due in the same second, 60 s from now; the rest spread over 2 days. */
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (all, make_incident (i, 1, i < 1000 ? now0 + 60 * SEC
                                                            : now0 + (GwTime) (i % 172800) * SEC + 120 * SEC));
      change = change_of (all, TRUE, FALSE);
      t = g_get_monotonic_time ();
      gw_alert_queue_handle_change (queue, &change, now0);
      load[r] = (g_get_monotonic_time () - t) / 1000.0;

      t = g_get_monotonic_time ();
      gw_alert_queue_tick (queue, now0 + SEC);
      idle[r] = (g_get_monotonic_time () - t) / 1000.0;

      for (guint i = 0; i < 1000; i++)
        g_ptr_array_add (batch, make_incident (n - 1 - i, 2, now0 + 3 * GW_USEC_PER_HOUR));
      change = change_of (batch, FALSE, TRUE);
      t = g_get_monotonic_time ();
      gw_alert_queue_handle_change (queue, &change, now0 + 2 * SEC);
      live[r] = (g_get_monotonic_time () - t) / 1000.0;

      t = g_get_monotonic_time ();
      gw_alert_queue_tick (queue, now0 + 61 * SEC);
      storm[r] = (g_get_monotonic_time () - t) / 1000.0;
      announced = gw_alert_queue_get_n_pending (queue);
    }
  printf ("%7u open cases: load snapshot %.2f ms, idle tick %.4f ms, 1,000 live changes %.2f ms, "
          "1,000 turn late in one tick %.2f ms (%u pending)\n",
          n, median (load, RUNS), median (idle, RUNS), median (live, RUNS), median (storm, RUNS),
          announced);
}

int
main (int argc, char **argv)
{
  now0 = G_GINT64_CONSTANT (1796292000) * SEC;
  bench (20000);
  bench (100000);
  return 0;
}
