/* gw-department.c — a responding department */
#include "gw-department.h"

G_DEFINE_BOXED_TYPE (GwDepartment, gw_department, gw_department_ref, gw_department_unref)

GwDepartment *
gw_department_new (void)
{
  GwDepartment *self = g_new0 (GwDepartment, 1);
  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

GwDepartment *
gw_department_ref (GwDepartment *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_department_unref (GwDepartment *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->phone);
  g_free (self);
}
