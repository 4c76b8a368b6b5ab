/* gw-incident.c — a case and its timeline */
#include "gw-incident.h"

G_DEFINE_BOXED_TYPE (GwIncident, gw_incident, gw_incident_ref, gw_incident_unref)

GwIncident *
gw_incident_new (void)
{
  GwIncident *self = g_new0 (GwIncident, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->stage = GW_STAGE_RECEIVED;
  self->satisfaction = GW_SATISFACTION_NONE;
  self->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  return self;
}

GwIncident *
gw_incident_ref (GwIncident *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_incident_unref (GwIncident *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->class_code);
  g_free (self->address);
  g_free (self->cell_code);
  g_free (self->department);
  g_free (self->reporter_name);
  g_free (self->reporter_phone);
  g_ptr_array_unref (self->timeline);
  g_free (self);
}

GwIncident *
gw_incident_copy (const GwIncident *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  GwIncident *copy = gw_incident_new ();
  GPtrArray *timeline = copy->timeline;

  /* Scalars in one go, then replace every pointer with its own copy. */
  *copy = *self;
  g_atomic_ref_count_init (&copy->ref_count);
  copy->id = g_strdup (self->id);
  copy->title = g_strdup (self->title);
  copy->description = g_strdup (self->description);
  copy->class_code = g_strdup (self->class_code);
  copy->address = g_strdup (self->address);
  copy->cell_code = g_strdup (self->cell_code);
  copy->department = g_strdup (self->department);
  copy->reporter_name = g_strdup (self->reporter_name);
  copy->reporter_phone = g_strdup (self->reporter_phone);
  copy->timeline = timeline;
  for (guint i = 0; i < self->timeline->len; i++)
    g_ptr_array_add (timeline, gw_stage_event_copy (g_ptr_array_index (self->timeline, i)));
  return copy;
}

gboolean
gw_incident_equal (const GwIncident *a, const GwIncident *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (g_strcmp0 (a->id, b->id) != 0 ||
      g_strcmp0 (a->title, b->title) != 0 ||
      g_strcmp0 (a->description, b->description) != 0 ||
      g_strcmp0 (a->class_code, b->class_code) != 0 ||
      a->source != b->source ||
      a->priority != b->priority ||
      a->lon != b->lon || a->lat != b->lat ||
      g_strcmp0 (a->address, b->address) != 0 ||
      g_strcmp0 (a->cell_code, b->cell_code) != 0 ||
      g_strcmp0 (a->department, b->department) != 0 ||
      a->stage != b->stage ||
      a->received_at != b->received_at ||
      a->deadline != b->deadline ||
      a->closed_at != b->closed_at ||
      a->updated_at != b->updated_at ||
      a->seq != b->seq ||
      g_strcmp0 (a->reporter_name, b->reporter_name) != 0 ||
      g_strcmp0 (a->reporter_phone, b->reporter_phone) != 0 ||
      !a->visited != !b->visited)
    return FALSE;
  /* The visit answers mean nothing without a visit. */
  if (a->visited &&
      (!a->visit_contacted != !b->visit_contacted ||
       !a->visit_resolved != !b->visit_resolved ||
       a->satisfaction != b->satisfaction))
    return FALSE;
  if (a->timeline->len != b->timeline->len)
    return FALSE;
  for (guint i = 0; i < a->timeline->len; i++)
    if (!gw_stage_event_equal (g_ptr_array_index (a->timeline, i),
                               g_ptr_array_index (b->timeline, i)))
      return FALSE;
  return TRUE;
}

gboolean
gw_incident_is_open (const GwIncident *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return !gw_stage_is_closed (self->stage);
}

gboolean
gw_incident_is_late (const GwIncident *self, GwTime now)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (self->deadline == GW_TIME_NONE)
    return FALSE;
  if (gw_incident_is_open (self))
    return now > self->deadline;
  return self->closed_at != GW_TIME_NONE && self->closed_at > self->deadline;
}

const GwStageEvent *
gw_incident_find_event (const GwIncident *self, const char *event_id)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (event_id == NULL)
    return NULL;
  for (guint i = 0; i < self->timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (self->timeline, i);
      if (g_strcmp0 (ev->id, event_id) == 0)
        return ev;
    }
  return NULL;
}
