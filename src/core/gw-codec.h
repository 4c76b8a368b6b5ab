/* gw-codec.h — strict JSON codecs for the Dispatch API (wire format v1)
 *
 * Every rejection is a GW_CODEC_ERROR whose message starts with the field path
 * ("location.lat: expected a number"), so servers and clients can show it as is.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident.h"
#include "gw-incident-class.h"
#include "gw-stage-event.h"

G_BEGIN_DECLS

#define GW_CODEC_ERROR (gw_codec_error_quark ())

typedef enum {
  GW_CODEC_ERROR_MALFORMED,     /* not JSON at all */
  GW_CODEC_ERROR_MISSING,       /* a required field is absent or null */
  GW_CODEC_ERROR_UNKNOWN_FIELD, /* a field the schema does not have */
  GW_CODEC_ERROR_WRONG_TYPE,    /* e.g. a string where a number belongs */
  GW_CODEC_ERROR_BAD_VALUE,     /* right type, bad value: enum, time, code, range */
} GwCodecError;

GQuark    gw_codec_error_quark (void);

/* Parses a JSON document; never returns NULL without setting @error. */
JsonNode *gw_json_parse        (const char  *data,
                                gssize       length,
                                GError     **error);
char     *gw_json_to_string    (JsonNode    *node);

/* Incidents. @with_personal = FALSE leaves out reporter name and phone. */
JsonNode     *gw_incident_to_json          (const GwIncident    *incident,
                                            gboolean             with_personal);
GwIncident   *gw_incident_from_json        (JsonNode            *node,
                                            GError             **error);
/* A new report (POST /incidents): only the fields a reporter may set are allowed:
 * id (optional), title, description, class, source, priority, location, address,
 * received_at (optional), reporter (optional).
 * Any other member of an incident is refused as "<field>: set by the server".
 * Absent optional fields are left for the caller: id NULL, priority
 * GW_PRIORITY_DEFAULT (use the class's default), received_at GW_TIME_NONE (use now). */
GwIncident   *gw_incident_report_from_json (JsonNode            *node,
                                            GError             **error);

JsonNode     *gw_stage_event_to_json       (const GwStageEvent  *event);
GwStageEvent *gw_stage_event_from_json     (JsonNode            *node,
                                            GError             **error);

/* Cells are GeoJSON Features with a Polygon geometry. */
JsonNode     *gw_cell_to_json              (const GwCell        *cell);
GwCell       *gw_cell_from_json            (JsonNode            *node,
                                            GError             **error);

JsonNode     *gw_department_to_json        (const GwDepartment  *department);
GwDepartment *gw_department_from_json      (JsonNode            *node,
                                            GError             **error);

JsonNode        *gw_incident_class_to_json   (const GwIncidentClass *klass);
GwIncidentClass *gw_incident_class_from_json (JsonNode              *node,
                                              GError               **error);

/* One entry of the change feed: {"seq": N, "kind": "incident", "incident": {...}}.
 * gw_change_to_json() leaves out personal data, like gw_incident_to_json (…, FALSE). */
JsonNode   *gw_change_to_json   (gint64            seq,
                                 const GwIncident *incident);
JsonNode   *gw_change_to_json_full (gint64            seq,
                                    const GwIncident *incident,
                                    gboolean          with_personal);
GwIncident *gw_change_from_json (JsonNode         *node,
                                 gint64           *seq,
                                 GError          **error);

G_END_DECLS
