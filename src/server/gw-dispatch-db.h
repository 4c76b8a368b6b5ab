/* gw-dispatch-db.h — the dispatch server's SQLite store
 *
 * Owns the database (WAL, prepared statements, versioned schema) and the rules a
 * write must pass. Every successful write gets the next change sequence number and
 * emits ::changed (gint64 seq, const char *change_json) after its transaction commits.
 */
#pragma once

#include <glib-object.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident.h"
#include "gw-incident-class.h"

G_BEGIN_DECLS

#define GW_TYPE_DISPATCH_DB (gw_dispatch_db_get_type ())
G_DECLARE_FINAL_TYPE (GwDispatchDb, gw_dispatch_db, GW, DISPATCH_DB, GObject)

#define GW_DISPATCH_DB_ERROR (gw_dispatch_db_error_quark ())

typedef enum {
  GW_DISPATCH_DB_ERROR_FAILED,      /* SQLite or I/O failure */
  GW_DISPATCH_DB_ERROR_NOT_FOUND,
  GW_DISPATCH_DB_ERROR_EXISTS,      /* an incident id already taken by another report */
  GW_DISPATCH_DB_ERROR_INVALID,     /* a reference to an unknown class, department, ... */
  GW_DISPATCH_DB_ERROR_GONE,        /* asked for changes older than those retained */
  GW_DISPATCH_DB_ERROR_SCHEMA,      /* a database from a newer or foreign schema */
} GwDispatchDbError;

typedef struct {
  guint     statuses;         /* bit (1 << GwStage) per stage; 0 = any */
  GwTime    from, to;         /* received_at range [from, to); GW_TIME_NONE = open-ended */
  char     *cell;
  char     *department;
  gboolean  has_bbox;
  double    min_lon, min_lat, max_lon, max_lat;
} GwIncidentFilter;

GQuark        gw_dispatch_db_error_quark        (void);

GwDispatchDb *gw_dispatch_db_open               (const char        *path,
                                                 GError           **error);
void          gw_dispatch_db_close              (GwDispatchDb      *self);

/* The clock writes are stamped with; the simulator moves it faster than real time. */
GwTime        gw_dispatch_db_now                (GwDispatchDb      *self);
void          gw_dispatch_db_set_clock          (GwDispatchDb      *self,
                                                 GwTime           (*now_func) (gpointer),
                                                 gpointer           user_data);

/* Reference data. Replacing it is one transaction; the arrays hold the model types. */
gboolean      gw_dispatch_db_replace_reference  (GwDispatchDb      *self,
                                                 GPtrArray         *cells,
                                                 GPtrArray         *departments,
                                                 GPtrArray         *classes,
                                                 GError           **error);
GPtrArray    *gw_dispatch_db_get_cells          (GwDispatchDb      *self);
GPtrArray    *gw_dispatch_db_get_departments    (GwDispatchDb      *self);
GPtrArray    *gw_dispatch_db_get_classes        (GwDispatchDb      *self);
gboolean      gw_dispatch_db_has_reference      (GwDispatchDb      *self);
/* Content hash of the reference data, for ETags; changes whenever it changes. */
const char   *gw_dispatch_db_get_reference_tag  (GwDispatchDb      *self);

/* A new report: fills in id (when NULL), cell (point in polygon), department and
 * deadline (from the class), stage "received" with its timeline entry, then stores it.
 * Re-posting a report with the same id and the same content returns the stored case
 * and sets *duplicate. */
GwIncident   *gw_dispatch_db_report             (GwDispatchDb      *self,
                                                 const GwIncident  *report,
                                                 gboolean          *duplicate,
                                                 GError           **error);
/* Appends a stage event (see gw_incident_apply_event). A re-post of the same event id
 * with the same content returns the case unchanged and sets *duplicate. */
GwIncident   *gw_dispatch_db_add_event          (GwDispatchDb      *self,
                                                 const char        *incident_id,
                                                 const GwStageEvent *event,
                                                 gboolean          *duplicate,
                                                 GError           **error);
/* Stores a complete case as it is (history back-fill); replaces one with the same id. */
gboolean      gw_dispatch_db_import             (GwDispatchDb      *self,
                                                 GwIncident        *incident,
                                                 GError           **error);
/* Groups many writes into one transaction (back-fill); ::changed fires after commit. */
void          gw_dispatch_db_begin              (GwDispatchDb      *self);
gboolean      gw_dispatch_db_commit             (GwDispatchDb      *self,
                                                 GError           **error);

GwIncident   *gw_dispatch_db_get_incident       (GwDispatchDb      *self,
                                                 const char        *id);
/* Stored JSON of one incident, with its seq; NULL if there is none. */
char         *gw_dispatch_db_get_incident_json  (GwDispatchDb      *self,
                                                 const char        *id,
                                                 gint64            *seq);

/* Appends up to @limit stored incident JSON objects after @after_rowid, comma-separated,
 * to @out. Returns the rowid of the last one, or 0 if it appended none; *more tells
 * whether any remain. */
gint64        gw_dispatch_db_list_incidents     (GwDispatchDb      *self,
                                                 const GwIncidentFilter *filter,
                                                 gint64             after_rowid,
                                                 guint              limit,
                                                 GString           *out,
                                                 gboolean          *more,
                                                 GError           **error);

gint64        gw_dispatch_db_get_seq            (GwDispatchDb      *self);
/* The oldest seq a client may resume from; older ones must snapshot again. */
gint64        gw_dispatch_db_get_min_seq        (GwDispatchDb      *self);
/* Appends the change JSON objects with since < seq, up to @limit, comma-separated;
 * returns the last seq appended or @since. GONE if @since is older than retained. */
gint64        gw_dispatch_db_list_changes       (GwDispatchDb      *self,
                                                 gint64             since,
                                                 guint              limit,
                                                 GString           *out,
                                                 guint             *n_out,
                                                 GError           **error);
typedef void (*GwChangeFunc) (gint64      seq,
                              const char *change_json,
                              gpointer    user_data);
/* Calls @func for each change after @since, up to @limit; returns the last seq seen
 * (or @since). GONE if @since is older than retained. */
gint64        gw_dispatch_db_foreach_change     (GwDispatchDb      *self,
                                                 gint64             since,
                                                 guint              limit,
                                                 GwChangeFunc       func,
                                                 gpointer           user_data,
                                                 GError           **error);
/* Keep at most @n changes (older ones are pruned); default 100000. */
void          gw_dispatch_db_set_retention      (GwDispatchDb      *self,
                                                 gint64             n);
guint         gw_dispatch_db_count_incidents    (GwDispatchDb      *self);

void          gw_incident_filter_clear          (GwIncidentFilter  *filter);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GwIncidentFilter, gw_incident_filter_clear)

G_END_DECLS
