/* gw-incident-class.c — an incident class */
#include "gw-incident-class.h"

G_DEFINE_BOXED_TYPE (GwIncidentClass, gw_incident_class,
                     gw_incident_class_ref, gw_incident_class_unref)

GwIncidentClass *
gw_incident_class_new (void)
{
  GwIncidentClass *self = g_new0 (GwIncidentClass, 1);
  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

GwIncidentClass *
gw_incident_class_ref (GwIncidentClass *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_incident_class_unref (GwIncidentClass *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->code);
  g_free (self->name);
  g_free (self->category);
  g_free (self->department);
  g_free (self);
}
