/* gw-stage-event.c — one timeline entry; a plain copyable record */
#include "gw-stage-event.h"

G_DEFINE_BOXED_TYPE (GwStageEvent, gw_stage_event, gw_stage_event_copy, gw_stage_event_free)

GwStageEvent *
gw_stage_event_new (void)
{
  GwStageEvent *self = g_new0 (GwStageEvent, 1);
  self->time = GW_TIME_NONE;
  self->deadline = GW_TIME_NONE;
  return self;
}

GwStageEvent *
gw_stage_event_copy (const GwStageEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  GwStageEvent *copy = g_new0 (GwStageEvent, 1);
  copy->id = g_strdup (self->id);
  copy->stage = self->stage;
  copy->time = self->time;
  copy->actor = g_strdup (self->actor);
  copy->department = g_strdup (self->department);
  copy->note = g_strdup (self->note);
  copy->deadline = self->deadline;
  return copy;
}

void
gw_stage_event_free (GwStageEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->actor);
  g_free (self->department);
  g_free (self->note);
  g_free (self);
}

gboolean
gw_stage_event_equal (const GwStageEvent *a, const GwStageEvent *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (a->id, b->id) == 0 &&
         a->stage == b->stage &&
         a->time == b->time &&
         g_strcmp0 (a->actor, b->actor) == 0 &&
         g_strcmp0 (a->department, b->department) == 0 &&
         g_strcmp0 (a->note, b->note) == 0 &&
         a->deadline == b->deadline;
}
