/* gw-snapshot-keeper.h — keeps a store's picture in its disk cache and brings it back
 *
 * Two cache files: a small "hot" one with the open and recently changed cases, which the
 * wall needs at once, and the full one with all history. Restoring loads the hot one
 * first and the history after it, in the background. The keeper saves again a while
 * after the store changes (bursts coalesce into one write) and on request at shutdown.
 */
#pragma once

#include "gw-snapshot-cache.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_SNAPSHOT_KEEPER (gw_snapshot_keeper_get_type ())
G_DECLARE_FINAL_TYPE (GwSnapshotKeeper, gw_snapshot_keeper, GW, SNAPSHOT_KEEPER, GObject)

/* @path is the full cache's file; the hot one sits beside it. @source_url names the
 * source, recorded with each save. */
GwSnapshotKeeper *gw_snapshot_keeper_new            (GwStore           *store,
                                                     const char        *path,
                                                     const char        *source_url);
/* Loads the hot cache into the store (one snapshot batch) and finishes; the history
 * follows in the background. Without a hot cache, loads the full one. Fails with the
 * cache's errors; G_IO_ERROR_NOT_FOUND just means there is none yet. */
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
