/* gw-bench-replay.c — the hall's state at time t over a day of 5,000 cases
 *
 * Plans 5,000 cases arriving over one day with the simulator's case planner (its
 * hourly arrival shape, folded from several days into one; each case's whole life:
 * rework, extensions, parking, appeals), builds the replay index once, then computes
 * the state at 1,000 random times of the day. Next to it, the naive way: at each t,
 * scan every case's raw timeline (and, slower still, derive every case's spans).
 * The naive scan's answers are checked against the index's at every t.
 *
 * Target: state at t in under 5 ms.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw-bench-plan.h"
#include "gw-replay.h"
#include "gw-street.h"
#include "gw-test-dispatchd.h"
#include "gw-workflow.h"

#define N_CASES   5000
#define N_TIMES   1000
#define N_DERIVE  50      /* the derive-everything baseline is slow: fewer samples */
#define N_BUILDS  5
#define DAY       (24 * GW_USEC_PER_HOUR)

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Sorts @v; then the median and 99th percentile. */
static void
percentiles (double *v,
             guint   n,
             double *median,
             double *p99)
{
  qsort (v, n, sizeof *v, compare_double);
  *median = v[n / 2];
  *p99 = v[MIN (n - 1, (guint) (n * 0.99))];
}

/* The naive state at @t: walk every case's (ordered) raw timeline up to t. Fills the
 * same fields as gw_replay_index_state_at() so the two can be compared. */
static void
naive_state_at (GPtrArray     *cases,
                const GwTime  *base_deadlines,
                GwTime         t,
                GwTime         day_start,
                GwReplayState *state)
{
  memset (state->by_stage, 0, sizeof state->by_stage);
  state->t = t;
  state->day_start = day_start;
  state->n_present = state->n_open = state->n_late = 0;
  state->n_received_today = state->n_closed_today = state->n_closed_late_today = 0;

  for (guint c = 0; c < cases->len; c++)
    {
      GwIncident *inc = g_ptr_array_index (cases, c);
      GwTime deadline = base_deadlines[c], closed_since = GW_TIME_NONE;
      gboolean present = FALSE;
      GwStage stage = GW_STAGE_RECEIVED;

      for (guint k = 0; k < inc->timeline->len; k++)
        {
          const GwStageEvent *ev = g_ptr_array_index (inc->timeline, k);

          if (ev->time > t)
            break;
          present = TRUE;
          stage = ev->stage;
          if (ev->deadline != GW_TIME_NONE)
            deadline = ev->deadline;
          if (!gw_stage_is_closed (stage))
            closed_since = GW_TIME_NONE;
          else if (closed_since == GW_TIME_NONE)
            closed_since = ev->time;
        }
      if (!present)
        {
          state->stages[c] = GW_REPLAY_ABSENT;
          state->late[c] = 0;
          continue;
        }
      state->n_present++;
      state->by_stage[stage]++;
      state->stages[c] = stage;
      state->late[c] = 0;
      if (inc->received_at >= day_start)
        state->n_received_today++;
      if (gw_stage_is_closed (stage))
        {
          if (closed_since >= day_start)
            {
              state->n_closed_today++;
              if (deadline != GW_TIME_NONE && closed_since > deadline)
                state->n_closed_late_today++;
            }
        }
      else
        {
          state->n_open++;
          if (deadline != GW_TIME_NONE && t > deadline)
            {
              state->n_late++;
              state->late[c] = 1;
            }
        }
    }
}

/* The other naive way: derive every case's spans from its raw events at each t. */
static guint
derive_state_at (GPtrArray  *cases,
                 GHashTable *class_by_code,
                 GwTime      t)
{
  guint late = 0;

  for (guint c = 0; c < cases->len; c++)
    {
      GwIncident *inc = g_ptr_array_index (cases, c);
      g_autoptr(GwStageSpans) spans =
        gw_stage_spans_new_for_incident (inc, g_hash_table_lookup (class_by_code, inc->class_code));

      late += gw_stage_spans_is_late_at (spans, t);
    }
  return late;
}

static void
assert_same_state (const GwReplayIndex *index,
                   const GwReplayState *a,
                   GPtrArray           *cases,
                   const GwReplayState *naive)
{
  g_assert_cmpuint (a->n_present, ==, naive->n_present);
  g_assert_cmpuint (a->n_open, ==, naive->n_open);
  g_assert_cmpuint (a->n_late, ==, naive->n_late);
  g_assert_cmpuint (a->n_received_today, ==, naive->n_received_today);
  g_assert_cmpuint (a->n_closed_today, ==, naive->n_closed_today);
  g_assert_cmpuint (a->n_closed_late_today, ==, naive->n_closed_late_today);
  g_assert_cmpmem (a->by_stage, sizeof a->by_stage, naive->by_stage, sizeof naive->by_stage);
  /* Per case, matched by id: the index orders cases its own way. */
  for (guint c = 0; c < cases->len; c++)
    {
      int i = gw_replay_index_lookup (index, ((GwIncident *) g_ptr_array_index (cases, c))->id);

      g_assert_cmpint (i, >=, 0);
      g_assert_cmpuint (a->stages[i], ==, naive->stages[c]);
      g_assert_cmpuint (a->late[i], ==, naive->late[c]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gw-bench-replay-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GwDispatchDb) db = NULL;
  g_autoptr(GPtrArray) cells = gw_street_cells ();
  g_autoptr(GPtrArray) departments = gw_street_departments ();
  g_autoptr(GPtrArray) classes = gw_street_classes ();
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GwReplayIndex) index = NULL;
  g_autoptr(GwReplayState) state = NULL;
  g_autoptr(GwReplayState) naive = NULL;
  g_autoptr(GHashTable) class_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree GwTime *base_deadlines = NULL;
  g_autofree GwTime *times = g_new (GwTime, N_TIMES);
  double build_ms[N_BUILDS], fast[N_TIMES], slow[N_TIMES], derive[N_DERIVE];
  double med, p99, slow_med, slow_p99, derive_med, derive_p99, t0;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint n_events = 0, n_spans = 0;
  volatile guint sink = 0;
  GwTime day_start;

  g_assert_no_error (error);
  g_assert_true (gw_time_parse_rfc3339 ("2025-11-25T00:00:00+08:00", &day_start));

  path = g_build_filename (dir, "dispatch.db", NULL);
  db = gw_dispatch_db_open (path, &error);
  g_assert_no_error (error);
  gw_dispatch_db_replace_reference (db, cells, departments, classes, &error);
  g_assert_no_error (error);

  t0 = now_ms ();
  cases = gw_bench_plan_day (db, day_start, N_CASES);
  for (guint c = 0; c < cases->len; c++)
    n_events += ((GwIncident *) g_ptr_array_index (cases, c))->timeline->len;
  printf ("planned %u cases, %u events, in %.0f ms\n", cases->len, n_events, now_ms () - t0);

  for (guint b = 0; b < N_BUILDS; b++)
    {
      g_clear_pointer (&index, gw_replay_index_unref);
      t0 = now_ms ();
      index = gw_replay_index_new (cases, classes, day_start, day_start + DAY);
      build_ms[b] = now_ms () - t0;
    }
  for (guint c = 0; c < gw_replay_index_get_n_cases (index); c++)
    n_spans += gw_stage_spans_get_n_spans (gw_replay_index_get_spans (index, c));
  percentiles (build_ms, N_BUILDS, &med, &p99);
  printf ("index: %u cases, %u spans, %u distinct event times; built in %.2f ms "
          "(median of %d, max %.2f)\n",
          gw_replay_index_get_n_cases (index), n_spans, gw_replay_index_get_n_event_times (index),
          med, N_BUILDS, build_ms[N_BUILDS - 1]);
  g_assert_cmpuint (gw_replay_index_get_n_cases (index), ==, N_CASES);

  state = gw_replay_state_new (index);
  naive = gw_replay_state_new (index);
  base_deadlines = g_new (GwTime, cases->len);
  for (guint i = 0; i < classes->len; i++)
    {
      GwIncidentClass *klass = g_ptr_array_index (classes, i);

      g_hash_table_insert (class_by_code, klass->code, klass);
    }
  for (guint c = 0; c < cases->len; c++)
    {
      GwIncident *inc = g_ptr_array_index (cases, c);

      base_deadlines[c] = gw_stage_spans_base_deadline (inc, g_hash_table_lookup (class_by_code,
                                                                                 inc->class_code));
    }

  for (guint i = 0; i < N_TIMES; i++)
    times[i] = day_start + (GwTime) (g_rand_double (rand) * DAY);

  for (guint i = 0; i < N_TIMES; i++)
    {
      t0 = now_ms ();
      gw_replay_index_state_at (index, times[i], day_start, state);
      fast[i] = now_ms () - t0;

      t0 = now_ms ();
      naive_state_at (cases, base_deadlines, times[i], day_start, naive);
      slow[i] = now_ms () - t0;

      assert_same_state (index, state, cases, naive);
    }
  for (guint i = 0; i < N_DERIVE; i++)
    {
      t0 = now_ms ();
      sink += derive_state_at (cases, class_by_code, times[i]);
      derive[i] = now_ms () - t0;
    }

  /* A glimpse of the day at noon, for the record. */
  gw_replay_index_state_at (index, day_start + 12 * GW_USEC_PER_HOUR, day_start, state);
  printf ("at 12:00: %u present, %u open, %u late, %u received today, %u closed today "
          "(%u late)\n", state->n_present, state->n_open, state->n_late,
          state->n_received_today, state->n_closed_today, state->n_closed_late_today);

  percentiles (fast, N_TIMES, &med, &p99);
  percentiles (slow, N_TIMES, &slow_med, &slow_p99);
  percentiles (derive, N_DERIVE, &derive_med, &derive_p99);
  printf ("state at t, %d random t over the day (all answers checked against the scan):\n",
          N_TIMES);
  printf ("  %-44s median %8.3f ms  p99 %8.3f ms\n", "replay index", med, p99);
  printf ("  %-44s median %8.3f ms  p99 %8.3f ms  (%.0f× the index)\n",
          "naive: scan every raw timeline", slow_med, slow_p99, slow_med / med);
  printf ("  %-44s median %8.3f ms  p99 %8.3f ms  (%.0f×, %d t)\n",
          "naive: derive every case's spans", derive_med, derive_p99, derive_med / med, N_DERIVE);
  printf ("target < 5 ms: %s\n", p99 < 5.0 ? "met" : "MISSED");

  g_clear_object (&db);
  gw_test_remove_tree (dir);
  return (p99 < 5.0 && sink != G_MAXUINT) ? 0 : 1;
}
