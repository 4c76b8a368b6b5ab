/* gw-department.h — a responding department (部门) and its deadlines */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GW_TYPE_DEPARTMENT (gw_department_get_type ())

typedef struct {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char *id;               /* stable slug: "chengguan" */
  char *name;             /* 城管 */
  char *phone;            /* may be NULL */
  int   dispatch_minutes; /* deadline from dispatch to on site */
  int   handle_hours;     /* deadline from dispatch to reported done */
} GwDepartment;

GType         gw_department_get_type (void) G_GNUC_CONST;
GwDepartment *gw_department_new      (void);
GwDepartment *gw_department_ref      (GwDepartment *self);
void          gw_department_unref    (GwDepartment *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwDepartment, gw_department_unref)

G_END_DECLS
