/* gw-store.h — the single in-memory source of truth the views read
 *
 * Holds incidents by id with indexes by cell, department, stage and lateness, and the
 * reference data. Sources fill it in batches; each batch that changes anything emits
 * one ::changed naming what was added, changed and removed, so views update
 * incrementally. Incidents are immutable once stored: a change replaces the pointer.
 */
#pragma once

#include <glib-object.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident.h"
#include "gw-incident-class.h"

G_BEGIN_DECLS

#define GW_TYPE_STORE (gw_store_get_type ())
G_DECLARE_FINAL_TYPE (GwStore, gw_store, GW, STORE, GObject)

typedef struct _GwStoreBatch GwStoreBatch;

/* What one applied batch did; valid during ::changed only. */
typedef struct {
  GPtrArray *added;    /* GwIncident*, now stored */
  GPtrArray *changed;  /* GwIncident*, the new versions */
  GPtrArray *removed;  /* GwIncident*, the versions that were removed */
  gboolean   reset;    /* a full snapshot replaced the contents */
  gboolean   loading;  /* a part of a snapshot loaded page by page: not news */
  gboolean   loaded;   /* its last part: the picture is whole again */
} GwStoreChange;

GwStoreBatch *gw_store_batch_new        (void);
void          gw_store_batch_free       (GwStoreBatch *batch);
/* Takes a reference. A version older than the stored one (lower seq) is ignored. */
void          gw_store_batch_upsert     (GwStoreBatch *batch,
                                         GwIncident   *incident);
void          gw_store_batch_remove     (GwStoreBatch *batch,
                                         const char   *id);
/* Marks the batch as a complete snapshot: whatever it does not hold is removed. */
void          gw_store_batch_set_snapshot (GwStoreBatch *batch,
                                           gboolean      snapshot);
/* Marks the batch as a part of a snapshot loaded page by page (GwStoreChange.loading),
 * @last for the final part; that one is announced even when it changes nothing. */
void          gw_store_batch_set_loading (GwStoreBatch *batch,
                                          gboolean      last);
/* The feed position this batch brings the store to (kept if higher). */
void          gw_store_batch_set_seq    (GwStoreBatch *batch,
                                         gint64        seq);
guint         gw_store_batch_get_size   (GwStoreBatch *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwStoreBatch, gw_store_batch_free)

GwStore      *gw_store_new              (void);

/* Applies and frees @batch; emits ::changed once if anything changed. */
void          gw_store_apply            (GwStore      *self,
                                         GwStoreBatch *batch);
/* A load too big for one main-loop turn goes in parts of this many cases. */
#define GW_STORE_PART_SIZE 2000

/* Upserts the next part of @incidents, from *@pos, as a batch marked as a part of a load
 * (not its last: the caller ends the load with a batch of its own); advances *@pos.
 * Returns TRUE when all of them are in. */
gboolean      gw_store_apply_part       (GwStore      *self,
                                         GPtrArray    *incidents,
                                         guint        *pos);
/* Replaces the reference data (arrays of GwCell*, GwDepartment*, GwIncidentClass*). */
void          gw_store_set_reference    (GwStore      *self,
                                         GPtrArray    *cells,
                                         GPtrArray    *departments,
                                         GPtrArray    *classes);

guint         gw_store_get_n_incidents  (GwStore      *self);
GwIncident   *gw_store_lookup           (GwStore      *self,
                                         const char   *id);
/* The highest feed sequence applied. */
gint64        gw_store_get_seq          (GwStore      *self);
/* Calls @func for every incident, in no particular order, without copying. */
void          gw_store_foreach          (GwStore      *self,
                                         GFunc         func,
                                         gpointer      user_data);
/* All incidents, in no particular order (new array of new references). */
GPtrArray    *gw_store_list             (GwStore      *self);
/* Index queries: new arrays of new references. */
GPtrArray    *gw_store_list_by_cell     (GwStore      *self,
                                         const char   *cell_code);
GPtrArray    *gw_store_list_by_department (GwStore    *self,
                                           const char *department_id);
GPtrArray    *gw_store_list_by_stage    (GwStore      *self,
                                         GwStage       stage);
/* Open cases whose deadline is before @now, most overdue first. */
GPtrArray    *gw_store_list_late        (GwStore      *self,
                                         GwTime        now);
guint         gw_store_count_open       (GwStore      *self);

GPtrArray    *gw_store_get_cells        (GwStore      *self);
GPtrArray    *gw_store_get_departments  (GwStore      *self);
GPtrArray    *gw_store_get_classes      (GwStore      *self);
GwCell       *gw_store_lookup_cell      (GwStore      *self,
                                         const char   *code);
GwDepartment *gw_store_lookup_department (GwStore     *self,
                                          const char  *id);
GwIncidentClass *gw_store_lookup_class  (GwStore      *self,
                                         const char   *code);

/* Order-independent SHA-256 over every stored incident's canonical JSON: two stores
 * with the same contents have the same digest. */
char         *gw_store_digest           (GwStore      *self);

G_END_DECLS
