/* gw-open311.h — Open311 GeoReport v2 documents mapped to the Gridwatch model
 *
 * Pure parsing, no I/O: services.{json,xml} become incident classes, requests.{json,xml}
 * become incidents with a timeline, and every agency or task owner seen becomes a
 * department (id = name = the agency's own name). Real servers are messy, so a bad
 * record is skipped and counted, never fatal; only a document that is not JSON/XML at
 * all, or not a list, is an error. Safe to call from any thread.
 *
 * Mapping choices worth knowing:
 * - incident ids and class codes keep [A-Za-z0-9._-]{1,64}; anything else becomes '_'
 *   and such ids get a short hash suffix so two ids cannot collide;
 * - a request without usable coordinates (missing, out of range, or either one exactly
 *   0, which real servers use as a placeholder) is kept at lon = lat = 0 ("location
 *   unknown");
 * - times without a zone are read in the jurisdiction's zone (options->offset_sec);
 * - seq is updated_datetime in µs, so the newer version of a request always wins;
 * - department = agency_responsible when given (the server's word wins over the last
 *   task owner); the timeline's "dispatched" entries name the task owners;
 * - deadline = expected_datetime, GW_TIME_NONE when the server gives none.
 */
#pragma once

#include <glib.h>

#include "gw-department.h"
#include "gw-incident.h"
#include "gw-incident-class.h"

G_BEGIN_DECLS

#define GW_OPEN311_ERROR (gw_open311_error_quark ())

typedef enum {
  GW_OPEN311_ERROR_MALFORMED,  /* not JSON / not XML at all */
  GW_OPEN311_ERROR_NOT_A_LIST, /* a document, but not a list of requests or services */
  GW_OPEN311_ERROR_SERVER,     /* an Open311 error list ([{"code": 403, ...}]) */
} GwOpen311Error;

typedef enum {
  GW_OPEN311_FORMAT_JSON,
  GW_OPEN311_FORMAT_XML,
} GwOpen311Format;

#define GW_OPEN311_DEFAULT_DEADLINE_HOURS 72

typedef struct {
  int offset_sec;      /* zone (seconds east of UTC) of times that carry none */
  int deadline_hours;  /* class deadline when unknown; <= 0 means 72 */
} GwOpen311Options;

/* What one document held. All arrays are owned and never NULL. */
typedef struct {
  GPtrArray *incidents;    /* GwIncident*, in document order */
  GPtrArray *classes;      /* GwIncidentClass*: the services, or one per service code of the requests */
  GPtrArray *departments;  /* GwDepartment*: one per agency / task owner, first seen first */
  GPtrArray *warnings;     /* char*: why the first few skipped records were skipped */
  guint      n_records;    /* elements of the list */
  guint      n_skipped;    /* records left out (missing id, no usable time, not an object) */
  /* Timeline building, over all incidents: */
  guint      n_events;     /* stage events the source data mapped to (received and closed included) */
  guint      n_merged;     /* ... that repeated the current stage and were folded into it */
  guint      n_inferred;   /* intermediate stages inserted so the workflow accepts the next one */
  guint      n_dropped;    /* ... that fit nowhere and were left out (the request is kept) */
  GwTime     max_updated;  /* the latest updated_datetime seen, GW_TIME_NONE if none */
} GwOpen311Result;

GQuark           gw_open311_error_quark     (void);

GwOpen311Result *gw_open311_parse_requests  (const char             *data,
                                             gsize                   length,
                                             GwOpen311Format         format,
                                             const GwOpen311Options *options,
                                             GError                **error);
GwOpen311Result *gw_open311_parse_services  (const char             *data,
                                             gsize                   length,
                                             GwOpen311Format         format,
                                             const GwOpen311Options *options,
                                             GError                **error);
void             gw_open311_result_free     (GwOpen311Result        *result);

/* @text limited to [A-Za-z0-9._-]{1,64}: other bytes become '_'; when anything had to
 * change and @hash_suffix, a "-<16 hex>" digest of the original keeps it unique.
 * NULL or empty gives "unknown". */
char            *gw_open311_sanitize_code   (const char             *text,
                                             gboolean                hash_suffix);

/* The lenient time reader: RFC 3339, a space for 'T', no zone (then @offset_sec),
 * "+hhmm" and "+hh" zones, a bare date (midnight). Returns FALSE for anything else
 * and for times not after 1970. */
gboolean         gw_open311_parse_time      (const char             *text,
                                             int                     offset_sec,
                                             GwTime                 *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwOpen311Result, gw_open311_result_free)

G_END_DECLS
