/* gw-incident.h — a case (案卷) with its timeline
 *
 * Ref-counted and treated as immutable once shared: writers copy, change and replace.
 */
#pragma once

#include <glib-object.h>

#include "gw-enums.h"
#include "gw-stage-event.h"
#include "gw-time.h"

G_BEGIN_DECLS

#define GW_TYPE_INCIDENT (gw_incident_get_type ())

typedef struct {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char          *id;
  char          *title;
  char          *description;   /* may be NULL */
  char          *class_code;
  GwSource       source;
  GwPriority     priority;
  double         lon, lat;      /* WGS-84 */
  char          *address;
  char          *cell_code;     /* may be NULL when outside every cell */
  char          *department;    /* department id, NULL until dispatched */
  GwStage        stage;         /* current stage */
  GwTime         received_at;
  GwTime         deadline;      /* GW_TIME_NONE when unknown */
  GwTime         closed_at;     /* GW_TIME_NONE while open */
  GwTime         updated_at;
  gint64         seq;           /* change sequence of the last change, 0 if never stored */
  char          *reporter_name; /* personal data: may be NULL */
  char          *reporter_phone;
  gboolean       visited;       /* 12345 return visit made */
  gboolean       visit_contacted;
  gboolean       visit_resolved;
  GwSatisfaction satisfaction;
  GPtrArray     *timeline;      /* GwStageEvent*, in time order */
} GwIncident;

GType       gw_incident_get_type   (void) G_GNUC_CONST;
GwIncident *gw_incident_new        (void);
GwIncident *gw_incident_ref        (GwIncident       *self);
void        gw_incident_unref      (GwIncident       *self);
/* Deep copy, timeline included. */
GwIncident *gw_incident_copy       (const GwIncident *self);
gboolean    gw_incident_equal      (const GwIncident *a,
                                    const GwIncident *b);
gboolean    gw_incident_is_open    (const GwIncident *self);
/* Open and past its deadline at @now, or closed after its deadline. */
gboolean    gw_incident_is_late    (const GwIncident *self,
                                    GwTime            now);
/* Finds a timeline entry by its client-supplied id, or NULL. */
const GwStageEvent *gw_incident_find_event (const GwIncident *self,
                                            const char       *event_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwIncident, gw_incident_unref)

G_END_DECLS
