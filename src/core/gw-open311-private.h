/* gw-open311-private.h — shared by the files of the Open311 mapping only
 *
 * gw-open311.c reads documents and maps records; gw-open311-xml.c turns an XML document
 * into the JsonNode shape a JSON server sends; gw-open311-timeline.c builds a request's
 * stage timeline from its status, tasks and notes. They share the parse state and the
 * lenient field readers declared here.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gw-open311.h"

G_BEGIN_DECLS

/* One parse: the result being filled and the lookups that keep its lists unique. */
typedef struct {
  GwOpen311Result  *result;
  GwOpen311Options  options;
  GHashTable       *departments;  /* id → GwDepartment* (owned by result) */
  GHashTable       *classes;      /* code → GwIncidentClass* (owned by result) */
} GwOpen311Parse;

typedef enum {
  GW_OPEN311_TIME_ABSENT,
  GW_OPEN311_TIME_OK,
  GW_OPEN311_TIME_BAD,
} GwOpen311TimeRead;

/* Field readers: each accepts a number or a string, which real servers mix. */
JsonNode          *gw_open311_member            (JsonObject         *o,
                                                 const char         *name);
char              *gw_open311_get_text          (JsonObject         *o,
                                                 const char         *name);
char              *gw_open311_get_line          (JsonObject         *o,
                                                 const char         *name);
char              *gw_open311_get_text_any      (JsonObject         *o,
                                                 const char *const  *names);
GwOpen311TimeRead  gw_open311_get_time          (GwOpen311Parse     *p,
                                                 JsonObject         *o,
                                                 const char         *name,
                                                 GwTime             *out);

GwDepartment      *gw_open311_ensure_department (GwOpen311Parse     *p,
                                                 const char         *name);

/* gw-open311-xml.c: the document as the JSON form, or NULL and GW_OPEN311_ERROR_MALFORMED. */
JsonNode          *gw_open311_xml_parse         (const char         *data,
                                                 gsize               length,
                                                 GError            **error);

/* gw-open311-timeline.c: applies the received event, the tasks and notes of @request
 * and, when @closed, the closure at the latest of them and @updated, to @inc. */
void               gw_open311_build_timeline    (GwOpen311Parse     *p,
                                                 GwIncident         *inc,
                                                 JsonObject         *request,
                                                 GwTime              requested,
                                                 GwTime              updated,
                                                 const char         *agency,
                                                 gboolean            closed);

G_END_DECLS
