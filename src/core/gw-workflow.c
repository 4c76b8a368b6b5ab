/* gw-workflow.c — the stage transition table and applying events to a case */
#include "gw-workflow.h"

G_DEFINE_QUARK (gw-workflow-error-quark, gw_workflow_error)

#define S(x) (1u << GW_STAGE_##x)

/* Wire spec "Workflow": the stages allowed to follow each stage. */
static const guint follows[GW_N_STAGES] = {
  [GW_STAGE_RECEIVED]      = S (REGISTERED) | S (CLOSED),
  [GW_STAGE_REGISTERED]    = S (DISPATCHED) | S (PARKED) | S (CLOSED),
  [GW_STAGE_DISPATCHED]    = S (ON_SITE) | S (RETURNED) | S (EXTENDED) | S (PARKED) | S (DISPATCHED),
  [GW_STAGE_ON_SITE]       = S (REPORTED_DONE) | S (EXTENDED) | S (PARKED) | S (RETURNED),
  [GW_STAGE_REPORTED_DONE] = S (CLOSED) | S (REWORK),
  [GW_STAGE_CLOSED]        = S (EVALUATED) | S (APPEAL),
  [GW_STAGE_EVALUATED]     = S (APPEAL),
  [GW_STAGE_REWORK]        = S (ON_SITE) | S (REPORTED_DONE) | S (DISPATCHED) | S (EXTENDED),
  [GW_STAGE_EXTENDED]      = S (ON_SITE) | S (REPORTED_DONE) | S (EXTENDED) | S (PARKED) | S (RETURNED),
  [GW_STAGE_PARKED]        = S (DISPATCHED) | S (ON_SITE) | S (CLOSED),
  [GW_STAGE_RETURNED]      = S (DISPATCHED) | S (PARKED) | S (CLOSED),
  [GW_STAGE_APPEAL]        = S (REWORK) | S (CLOSED) | S (EVALUATED),
};

#undef S

gboolean
gw_workflow_can_follow (GwStage from, GwStage to)
{
  if ((guint) from >= GW_N_STAGES || (guint) to >= GW_N_STAGES)
    return FALSE;
  return (follows[from] & (1u << to)) != 0;
}

static gboolean
check_event (const GwIncident *incident, const GwStageEvent *event, GError **error)
{
  const char *to = gw_stage_to_string (event->stage);

  /* Idempotency comes first: a re-post of an old event is not "out of order". */
  const GwStageEvent *same = gw_incident_find_event (incident, event->id);
  if (same != NULL)
    {
      if (gw_stage_event_equal (same, event))
        g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_DUPLICATE,
                     "event '%s' was already applied", event->id);
      else
        g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_CONFLICT,
                     "event id '%s' is taken by an event with other content", event->id);
      return FALSE;
    }

  if (incident->timeline->len == 0)
    {
      if (event->stage != GW_STAGE_RECEIVED)
        {
          g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_INVALID_TRANSITION,
                       "a case starts with 'received', not '%s'", to);
          return FALSE;
        }
      return TRUE;
    }

  const GwStageEvent *last = g_ptr_array_index (incident->timeline, incident->timeline->len - 1);
  if (event->time < last->time)
    {
      g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_OUT_OF_ORDER,
                   "event '%s' is earlier than the case's last event '%s'",
                   event->id, last->id);
      return FALSE;
    }

  if (!gw_workflow_can_follow (incident->stage, event->stage))
    {
      g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_INVALID_TRANSITION,
                   "'%s' cannot follow '%s'", to, gw_stage_to_string (incident->stage));
      return FALSE;
    }

  /* The class's default department (set on report) is enough to dispatch. */
  if (event->stage == GW_STAGE_DISPATCHED &&
      event->department == NULL && incident->department == NULL)
    {
      g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_INVALID_TRANSITION,
                   "'dispatched' needs a department");
      return FALSE;
    }

  if (event->stage == GW_STAGE_EXTENDED &&
      (event->deadline == GW_TIME_NONE ||
       (incident->deadline != GW_TIME_NONE && event->deadline <= incident->deadline)))
    {
      g_set_error (error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_INVALID_TRANSITION,
                   "'extended' needs a deadline later than the current one");
      return FALSE;
    }

  return TRUE;
}

gboolean
gw_incident_apply_event (GwIncident *incident, const GwStageEvent *event, GError **error)
{
  g_return_val_if_fail (incident != NULL, FALSE);
  g_return_val_if_fail (event != NULL && event->id != NULL, FALSE);
  g_return_val_if_fail ((guint) event->stage < GW_N_STAGES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_event (incident, event, error))
    return FALSE;

  g_ptr_array_add (incident->timeline, gw_stage_event_copy (event));
  incident->stage = event->stage;
  if (event->stage == GW_STAGE_DISPATCHED && event->department != NULL)
    {
      g_free (incident->department);
      incident->department = g_strdup (event->department);
    }
  if (event->deadline != GW_TIME_NONE)
    incident->deadline = event->deadline;
  if (event->stage == GW_STAGE_CLOSED)
    incident->closed_at = event->time;
  else if (event->stage == GW_STAGE_APPEAL || event->stage == GW_STAGE_REWORK)
    incident->closed_at = GW_TIME_NONE;
  incident->updated_at = MAX (incident->updated_at, event->time);
  return TRUE;
}
