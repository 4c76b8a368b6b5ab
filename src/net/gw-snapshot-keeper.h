/* gw-snapshot-keeper.h — keeps a store's picture in its disk cache and brings it back
 *
 * Restores the store from the cache at start-up, then saves it again a while after it
 * changes (bursts coalesce into one write) and once more on request at shutdown.
 */
#pragma once

#include "gw-snapshot-cache.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_SNAPSHOT_KEEPER (gw_snapshot_keeper_get_type ())
G_DECLARE_FINAL_TYPE (GwSnapshotKeeper, gw_snapshot_keeper, GW, SNAPSHOT_KEEPER, GObject)

/* @source_url names the source, recorded with each save. */
GwSnapshotKeeper *gw_snapshot_keeper_new            (GwStore           *store,
                                                     GwSnapshotCache   *cache,
                                                     const char        *source_url);
/* Loads the cache into the store (one snapshot batch). Fails with the cache's errors;
 * G_IO_ERROR_NOT_FOUND just means there is none yet. */
void              gw_snapshot_keeper_restore_async  (GwSnapshotKeeper    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          gw_snapshot_keeper_restore_finish (GwSnapshotKeeper    *self,
                                                     GAsyncResult        *result,
                                                     gint64              *seq,
                                                     GwTime              *saved_at,
                                                     GError             **error);
/* Saves @delay_seconds after each change; 0 stops saving. */
void              gw_snapshot_keeper_set_autosave   (GwSnapshotKeeper    *self,
                                                     guint                delay_seconds);
/* Saves now if anything changed since the last save. */
void              gw_snapshot_keeper_flush_async    (GwSnapshotKeeper    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          gw_snapshot_keeper_flush_finish   (GwSnapshotKeeper    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
