/* gw-workflow.h — which stage may follow which, and applying a stage event to a case */
#pragma once

#include "gw-incident.h"

G_BEGIN_DECLS

#define GW_WORKFLOW_ERROR (gw_workflow_error_quark ())

typedef enum {
  GW_WORKFLOW_ERROR_DUPLICATE,          /* same event id, same content: already applied */
  GW_WORKFLOW_ERROR_CONFLICT,           /* same event id, different content */
  GW_WORKFLOW_ERROR_OUT_OF_ORDER,       /* earlier than the case's last event */
  GW_WORKFLOW_ERROR_INVALID_TRANSITION, /* that stage cannot follow the current one */
} GwWorkflowError;

GQuark   gw_workflow_error_quark   (void);

gboolean gw_workflow_can_follow    (GwStage           from,
                                    GwStage           to);

/* Validates @event against @incident and, when it fits, appends a copy to the timeline
 * and updates stage, department, deadline, closed_at and updated_at. On error the
 * incident is unchanged. */
gboolean gw_incident_apply_event   (GwIncident         *incident,
                                    const GwStageEvent *event,
                                    GError            **error);

G_END_DECLS
