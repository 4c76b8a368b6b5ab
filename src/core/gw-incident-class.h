/* gw-incident-class.h — an incident class (GB/T 30428.2 大类/小类) */
#pragma once

#include <glib-object.h>

#include "gw-enums.h"

G_BEGIN_DECLS

#define GW_TYPE_INCIDENT_CLASS (gw_incident_class_get_type ())

typedef struct {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char        *code;           /* "0101" style, digits */
  char        *name;           /* 小类: 垃圾满溢 */
  char        *category;       /* 大类: 市容环境 */
  GwClassKind  kind;           /* event or component */
  char        *department;     /* default department id, may be NULL */
  int          deadline_hours; /* 处置时限 from receipt */
  GwPriority   priority;       /* default priority */
} GwIncidentClass;

GType            gw_incident_class_get_type (void) G_GNUC_CONST;
GwIncidentClass *gw_incident_class_new      (void);
GwIncidentClass *gw_incident_class_ref      (GwIncidentClass *self);
void             gw_incident_class_unref    (GwIncidentClass *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwIncidentClass, gw_incident_class_unref)

G_END_DECLS
