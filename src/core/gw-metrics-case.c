/* gw-metrics-case.c — one case evaluated as of now
 *
 * Walks a case's timeline up to now once and reduces it to a fixed-size record: its
 * stage, the deadline in force, one bit per count it belongs to, and the five durations
 * it has finished. The definitions are gw-metrics.h's; this is where they are applied.
 * Called once per case in range from every worker thread: reads only, allocates nothing.
 */
#include "gw-metrics-private.h"

/* The count column of each flag. */
const GwMetricsColumn gw_metrics_flag_column[GW_METRICS_N_FLAGS] = {
  [GW_METRICS_F_CLOSED] = GW_METRICS_COL_CLOSED,
  [GW_METRICS_F_DUE_CLOSE] = GW_METRICS_COL_DUE_TO_CLOSE,
  [GW_METRICS_F_CLOSED_ON_TIME] = GW_METRICS_COL_CLOSED_ON_TIME,
  [GW_METRICS_F_DUE_HANDLE] = GW_METRICS_COL_DUE_TO_HANDLE,
  [GW_METRICS_F_HANDLED_ON_TIME] = GW_METRICS_COL_HANDLED_ON_TIME,
  [GW_METRICS_F_REWORKED_DUE] = GW_METRICS_COL_REWORKED,
  [GW_METRICS_F_EXTENDED] = GW_METRICS_COL_EXTENDED,
  [GW_METRICS_F_OPEN] = GW_METRICS_COL_OPEN_NOW,
  [GW_METRICS_F_LATE] = GW_METRICS_COL_LATE_NOW,
  [GW_METRICS_F_NO_DEADLINE] = GW_METRICS_COL_NO_DEADLINE,
  [GW_METRICS_F_DEADLINE_ASSUMED] = GW_METRICS_COL_DEADLINE_ASSUMED,
  [GW_METRICS_F_VISITED] = GW_METRICS_COL_VISITED,
  [GW_METRICS_F_CONTACTED] = GW_METRICS_COL_CONTACTED,
  [GW_METRICS_F_RESOLVED] = GW_METRICS_COL_RESOLVED,
  [GW_METRICS_F_SATISFIED] = GW_METRICS_COL_SATISFIED,
  [GW_METRICS_F_BASIC] = GW_METRICS_COL_BASIC_SATISFIED,
};

static inline gint64
span (GwTime a, GwTime b)
{
  return b > a ? b - a : 0;  /* workflow timelines never go backwards; guard anyway */
}

void
gw_metrics_case_evaluate (const GwMetricsCaseRules *rules,
                          const GwIncident         *inc,
                          GwMetricsRec             *r)
{
  const GwTime now = rules->now;
  GwTime t_disp = GW_TIME_NONE, t_site = GW_TIME_NONE, t_done = GW_TIME_NONE;
  GwTime t_handled = GW_TIME_NONE, t_closed = GW_TIME_NONE, deadline = GW_TIME_NONE;
  gboolean any_deadline_event = FALSE, reworked = FALSE, extended = FALSE, closed;
  gboolean assumed = FALSE;
  GwStage stage;
  guint32 f = 0;
  guint n = inc->timeline->len;
  GwStageEvent **ev = (GwStageEvent **) inc->timeline->pdata;

  if (n == 0)
    {
      stage = inc->stage;
      closed = gw_stage_is_closed (stage) &&
               (inc->closed_at == GW_TIME_NONE || inc->closed_at <= now);
      t_closed = closed ? inc->closed_at : GW_TIME_NONE;
      deadline = inc->deadline;
    }
  else
    {
      stage = GW_STAGE_RECEIVED;
      for (guint i = 0; i < n; i++)
        {
          const GwStageEvent *e = ev[i];
          if (e->time > now)
            {
              any_deadline_event |= e->deadline != GW_TIME_NONE;
              continue;
            }
          stage = e->stage;
          if (e->deadline != GW_TIME_NONE)
            {
              deadline = e->deadline;
              any_deadline_event = TRUE;
            }
          switch (e->stage)
            {
            case GW_STAGE_DISPATCHED:
              if (t_disp == GW_TIME_NONE)
                t_disp = e->time;
              break;
            case GW_STAGE_ON_SITE:
              if (t_site == GW_TIME_NONE)
                t_site = e->time;
              break;
            case GW_STAGE_REPORTED_DONE:
              if (t_done == GW_TIME_NONE)
                t_done = e->time;
              if (t_handled == GW_TIME_NONE)
                t_handled = e->time;
              break;
            case GW_STAGE_REWORK:
              reworked = TRUE;
              t_handled = GW_TIME_NONE;
              break;
            case GW_STAGE_EXTENDED:
              extended = TRUE;
              break;
            case GW_STAGE_CLOSED:
              t_closed = e->time;
              break;
            case GW_STAGE_RECEIVED:
            case GW_STAGE_REGISTERED:
            case GW_STAGE_EVALUATED:
            case GW_STAGE_PARKED:
            case GW_STAGE_RETURNED:
            case GW_STAGE_APPEAL:
            case GW_N_STAGES:
            default:
              break;
            }
        }
      closed = gw_stage_is_closed (stage);
      if (!closed)
        t_closed = GW_TIME_NONE;
      if (!any_deadline_event)
        deadline = inc->deadline;
    }

  if (deadline == GW_TIME_NONE)
    {
      gpointer hours = NULL;
      if (rules->class_hours != NULL && inc->class_code != NULL &&
          g_hash_table_lookup_extended (rules->class_hours, inc->class_code, NULL, &hours) &&
          GPOINTER_TO_INT (hours) > 0)
        {
          deadline = inc->received_at + GPOINTER_TO_INT (hours) * GW_USEC_PER_HOUR;
          assumed = TRUE;
        }
      else if (rules->default_deadline > 0)
        {
          deadline = inc->received_at + rules->default_deadline;
          assumed = TRUE;
        }
    }

  gboolean has_deadline = deadline != GW_TIME_NONE;
  gboolean deadline_passed = has_deadline && deadline <= rules->due_limit;
  gboolean due_close = closed || deadline_passed;

  if (closed)
    {
      f |= GW_METRICS_BIT (GW_METRICS_F_CLOSED);
      if (has_deadline && t_closed != GW_TIME_NONE && t_closed <= deadline)
        f |= GW_METRICS_BIT (GW_METRICS_F_CLOSED_ON_TIME);
    }
  else
    {
      f |= GW_METRICS_BIT (GW_METRICS_F_OPEN);
      if (has_deadline && now > deadline)
        f |= GW_METRICS_BIT (GW_METRICS_F_LATE);
    }
  if (due_close)
    {
      f |= GW_METRICS_BIT (GW_METRICS_F_DUE_CLOSE);
      if (reworked)
        f |= GW_METRICS_BIT (GW_METRICS_F_REWORKED_DUE);
    }
  if (t_disp != GW_TIME_NONE && (t_handled != GW_TIME_NONE || deadline_passed))
    {
      f |= GW_METRICS_BIT (GW_METRICS_F_DUE_HANDLE);
      if (has_deadline && t_handled != GW_TIME_NONE && t_handled <= deadline)
        f |= GW_METRICS_BIT (GW_METRICS_F_HANDLED_ON_TIME);
    }
  if (extended)
    f |= GW_METRICS_BIT (GW_METRICS_F_EXTENDED);
  if (!has_deadline)
    f |= GW_METRICS_BIT (GW_METRICS_F_NO_DEADLINE);
  if (assumed)
    f |= GW_METRICS_BIT (GW_METRICS_F_DEADLINE_ASSUMED);
  if (inc->visited)
    {
      f |= GW_METRICS_BIT (GW_METRICS_F_VISITED);
      if (inc->visit_contacted)
        f |= GW_METRICS_BIT (GW_METRICS_F_CONTACTED);
      if (inc->visit_resolved)
        f |= GW_METRICS_BIT (GW_METRICS_F_RESOLVED);
      if (inc->satisfaction == GW_SATISFACTION_SATISFIED)
        f |= GW_METRICS_BIT (GW_METRICS_F_SATISFIED);
      else if (inc->satisfaction == GW_SATISFACTION_BASIC)
        f |= GW_METRICS_BIT (GW_METRICS_F_BASIC);
    }

  r->flags = f;
  r->stage = (guint32) stage;
  r->deadline = deadline;
  r->dur[GW_METRICS_DUR_RECEIVED_DISPATCHED] =
    t_disp != GW_TIME_NONE ? span (inc->received_at, t_disp) : -1;
  r->dur[GW_METRICS_DUR_DISPATCHED_ON_SITE] =
    t_disp != GW_TIME_NONE && t_site != GW_TIME_NONE ? span (t_disp, t_site) : -1;
  r->dur[GW_METRICS_DUR_DISPATCHED_DONE] =
    t_disp != GW_TIME_NONE && t_done != GW_TIME_NONE ? span (t_disp, t_done) : -1;
  r->dur[GW_METRICS_DUR_RECEIVED_DONE] =
    t_done != GW_TIME_NONE ? span (inc->received_at, t_done) : -1;
  r->dur[GW_METRICS_DUR_RECEIVED_CLOSED] =
    t_closed != GW_TIME_NONE ? span (inc->received_at, t_closed) : -1;
}
