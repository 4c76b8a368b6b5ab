/* gw-snapshot-cache.h — the last known picture of one source, on disk
 *
 * One SQLite file per source (see gw_snapshot_cache_default_path()) holding the reference
 * data, every incident and the feed position, so that with the server down the wall comes
 * up on the last snapshot. All file work runs in worker threads, each with its own
 * connection; the main thread only captures references and gets callbacks.
 *
 * A save writes a complete new file next to the cache and renames it into place, so a
 * crash mid-write leaves the previous cache intact. Saves requested while one runs are
 * coalesced: only the newest waits, and every caller it replaced completes with it.
 *
 * A file that is not a readable cache of this schema (not SQLite, truncated, another
 * program's database, another schema version, rows that do not decode) makes the load
 * fail with G_IO_ERROR_INVALID_DATA; the file is renamed aside to
 * "<path>.corrupt-<unix time>" with a warning, and the next save starts afresh.
 *
 * Use one object per file (per process): it keeps its own loads and saves from stepping
 * on each other, not those of a second object on the same path.
 */
#pragma once

#include <gio/gio.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident.h"
#include "gw-incident-class.h"
#include "gw-time.h"

G_BEGIN_DECLS

/* What a load returns. The arrays hold references and free them. */
typedef struct {
  GPtrArray *cells;        /* GwCell* */
  GPtrArray *departments;  /* GwDepartment* */
  GPtrArray *classes;      /* GwIncidentClass* */
  GPtrArray *incidents;    /* GwIncident* */
  gint64     seq;          /* feed position of the saved picture */
  GwTime     saved_at;     /* when the saved picture was captured (wall clock) */
  char      *source_url;   /* as given to the save; may be NULL */
} GwCacheSnapshot;

void gw_cache_snapshot_free (GwCacheSnapshot *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwCacheSnapshot, gw_cache_snapshot_free)

#define GW_TYPE_SNAPSHOT_CACHE (gw_snapshot_cache_get_type ())
G_DECLARE_FINAL_TYPE (GwSnapshotCache, gw_snapshot_cache, GW, SNAPSHOT_CACHE, GObject)

/* $XDG_CACHE_HOME/gridwatch/<hex SHA-1 of @source_url without trailing '/'>.db */
char            *gw_snapshot_cache_default_path (const char *source_url);

GwSnapshotCache *gw_snapshot_cache_new          (const char *path);
const char      *gw_snapshot_cache_get_path     (GwSnapshotCache *self);

/* Errors: G_IO_ERROR_NOT_FOUND when there is no cache yet (nothing is created);
 * G_IO_ERROR_INVALID_DATA when the file was unusable and has been set aside;
 * G_IO_ERROR_FAILED (or another G_IO_ERROR) for I/O trouble, leaving the file alone;
 * G_IO_ERROR_CANCELLED. */
void             gw_snapshot_cache_load_async   (GwSnapshotCache     *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GwCacheSnapshot *gw_snapshot_cache_load_finish  (GwSnapshotCache     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Captures the given arrays (new arrays of new references; the elements are immutable
 * once shared, so the worker may read them) and writes them with @seq and @source_url.
 * Any array may be NULL for "none". Call from the thread that owns the main context the
 * callback is to run in.
 *
 * When a save is already running this one waits; a later request replaces it, and both
 * callers complete with the outcome of the newer one. Cancelling only drops the caller's
 * interest (its callback gets G_IO_ERROR_CANCELLED); a write under way is not torn. */
void             gw_snapshot_cache_save_async   (GwSnapshotCache     *self,
                                                 GPtrArray           *cells,
                                                 GPtrArray           *departments,
                                                 GPtrArray           *classes,
                                                 GPtrArray           *incidents,
                                                 gint64               seq,
                                                 const char          *source_url,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         gw_snapshot_cache_save_finish  (GwSnapshotCache     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/*< private >*/
/* For tests: called in the worker thread just before each file is written (once per
 * write actually done, so coalesced requests do not call it). Set it before saving. */
typedef void (*GwSnapshotCacheWriteHook) (GwSnapshotCache *self,
                                          gpointer         user_data);
void             gw_snapshot_cache_set_write_hook (GwSnapshotCache          *self,
                                                   GwSnapshotCacheWriteHook  hook,
                                                   gpointer                  user_data);

G_END_DECLS
