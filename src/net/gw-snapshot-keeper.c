/* gw-snapshot-keeper.c — keeps a store's picture in its disk cache and brings it back */

#include "gw-snapshot-keeper.h"

#include <string.h>

struct _GwSnapshotKeeper {
  GObject          parent_instance;

  GwStore         *store;
  GwSnapshotCache *cache;     /* everything */
  GwSnapshotCache *hot;       /* open and recently changed cases */
  char            *source_url;
  guint            delay_seconds;
  guint            save_id;
  guint            history_id;
  GwCacheSnapshot *history;     /* going into the store, a part a turn */
  guint            history_pos;
  gboolean         applying;    /* the store changes with what the cache holds */
  gboolean         dirty;
};

G_DEFINE_FINAL_TYPE (GwSnapshotKeeper, gw_snapshot_keeper, G_TYPE_OBJECT)

#define HOT_WINDOW (24 * GW_USEC_PER_HOUR)
#define HISTORY_DELAY_MS 1000

static void
apply_snapshot (GwSnapshotKeeper *self,
                GwCacheSnapshot  *snapshot,
                gboolean          replace)
{
  GwStoreBatch *batch = gw_store_batch_new ();

  if (replace)
    gw_store_set_reference (self->store, snapshot->cells, snapshot->departments,
                            snapshot->classes);
  for (guint i = 0; i < snapshot->incidents->len; i++)
    gw_store_batch_upsert (batch, g_ptr_array_index (snapshot->incidents, i));
  gw_store_batch_set_snapshot (batch, replace);
  gw_store_batch_set_seq (batch, snapshot->seq);
  gw_store_apply (self->store, batch);
}

/* A hundred thousand cases of history in one batch would hold the main loop for a
 * quarter of a second: they go in a part per turn, marked as a load (not news), and an
 * empty last part completes it. */
static gboolean
history_step_cb (gpointer user_data)
{
  GwSnapshotKeeper *self = user_data;
  GwStoreBatch *end;
  gboolean all_in;

  /* Added beside what is there: anything the feed brought since is newer and wins. */
  self->applying = TRUE;
  all_in = gw_store_apply_part (self->store, self->history->incidents, &self->history_pos);
  if (all_in)
    {
      end = gw_store_batch_new ();
      gw_store_batch_set_loading (end, TRUE);
      gw_store_batch_set_seq (end, self->history->seq);
      gw_store_apply (self->store, end);
    }
  self->applying = FALSE;
  if (!all_in)
    return G_SOURCE_CONTINUE;
  self->history_id = 0;
  g_clear_pointer (&self->history, gw_cache_snapshot_free);
  return G_SOURCE_REMOVE;
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GwSnapshotKeeper) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwCacheSnapshot) snapshot = gw_snapshot_cache_load_finish (self->cache, result,
                                                                       &error);

  if (snapshot == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot load the cached history: %s", error->message);
      return;
    }
  if (self->store == NULL)
    return;  /* disposed meanwhile */
  self->history = g_steal_pointer (&snapshot);
  self->history_pos = 0;
  self->history_id = g_idle_add (history_step_cb, self);
}

static void
load_history_cb (gpointer user_data)
{
  GwSnapshotKeeper *self = user_data;

  self->history_id = 0;
  gw_snapshot_cache_load_async (self->cache, NULL, history_loaded_cb, g_object_ref (self));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GwSnapshotKeeper *self = g_task_get_source_object (task);
  GwSnapshotCache *cache = GW_SNAPSHOT_CACHE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GwCacheSnapshot) snapshot = gw_snapshot_cache_load_finish (cache, result, &error);

  if (snapshot == NULL && cache == self->hot &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* No hot cache (an older version wrote only the full one): use that. */
      GCancellable *cancellable = g_task_get_cancellable (task);

      gw_snapshot_cache_load_async (self->cache, cancellable, loaded_cb,
                                    g_steal_pointer (&task));
      return;
    }
  if (snapshot == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply_snapshot (self, snapshot, TRUE);
  /* What came from the cache need not be written back until something changes. */
  self->dirty = FALSE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  /* The history waits until the wall has shown its first frames. */
  if (cache == self->hot)
    self->history_id = g_timeout_add_once (HISTORY_DELAY_MS, load_history_cb, self);

  g_object_set_data_full (G_OBJECT (task), "seq", g_memdup2 (&snapshot->seq, sizeof (gint64)),
                          g_free);
  g_object_set_data_full (G_OBJECT (task), "saved-at",
                          g_memdup2 (&snapshot->saved_at, sizeof (GwTime)), g_free);
  g_task_return_boolean (task, TRUE);
}

void
gw_snapshot_keeper_restore_async (GwSnapshotKeeper    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  gw_snapshot_cache_load_async (self->hot, cancellable, loaded_cb, task);
}

gboolean
gw_snapshot_keeper_restore_finish (GwSnapshotKeeper  *self,
                                   GAsyncResult      *result,
                                   gint64            *seq,
                                   GwTime            *saved_at,
                                   GError           **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *seq = *(gint64 *) g_object_get_data (G_OBJECT (result), "seq");
  *saved_at = *(GwTime *) g_object_get_data (G_OBJECT (result), "saved-at");
  return TRUE;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  guint pending = GPOINTER_TO_UINT (g_task_get_task_data (task)) - 1;

  if (!gw_snapshot_cache_save_finish (GW_SNAPSHOT_CACHE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot save the snapshot cache: %s", error->message);
  if (error != NULL)
    g_object_set_data_full (G_OBJECT (task), "error", g_error_copy (error),
                            (GDestroyNotify) g_error_free);
  g_task_set_task_data (task, GUINT_TO_POINTER (pending), NULL);
  if (pending > 0)
    return;
  if (g_object_get_data (G_OBJECT (task), "error") != NULL)
    g_task_return_error (task, g_error_copy (g_object_get_data (G_OBJECT (task), "error")));
  else
    g_task_return_boolean (task, TRUE);
}

static void
save (GwSnapshotKeeper    *self,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) hot = NULL;
  GwTime recent = g_get_real_time () - HOT_WINDOW;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!self->dirty)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  self->dirty = FALSE;
  /* Incidents are immutable once stored: the workers may read these references. */
  incidents = gw_store_list (self->store);
  hot = g_ptr_array_new ();
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      if (gw_incident_is_open (incident) || incident->updated_at >= recent)
        g_ptr_array_add (hot, incident);
    }
  /* The task completes when both files are written. */
  g_task_set_task_data (task, GUINT_TO_POINTER (2), NULL);
  gw_snapshot_cache_save_async (self->hot, gw_store_get_cells (self->store),
                                gw_store_get_departments (self->store),
                                gw_store_get_classes (self->store), hot,
                                gw_store_get_seq (self->store), self->source_url,
                                cancellable, saved_cb, g_object_ref (task));
  gw_snapshot_cache_save_async (self->cache, gw_store_get_cells (self->store),
                                gw_store_get_departments (self->store),
                                gw_store_get_classes (self->store), incidents,
                                gw_store_get_seq (self->store), self->source_url,
                                cancellable, saved_cb, task);
}

static gboolean
autosave_cb (gpointer user_data)
{
  GwSnapshotKeeper *self = user_data;

  self->save_id = 0;
  save (self, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (GwSnapshotKeeper *self)
{
  /* What came from the cache need not be written back. */
  if (self->applying)
    return;
  self->dirty = TRUE;
  if (self->save_id == 0 && self->delay_seconds > 0)
    self->save_id = g_timeout_add_seconds (self->delay_seconds, autosave_cb, self);
}

void
gw_snapshot_keeper_set_autosave (GwSnapshotKeeper *self,
                                 guint             delay_seconds)
{
  self->delay_seconds = delay_seconds;
  if (delay_seconds == 0)
    g_clear_handle_id (&self->save_id, g_source_remove);
}

void
gw_snapshot_keeper_flush_async (GwSnapshotKeeper    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  save (self, cancellable, callback, user_data);
}

gboolean
gw_snapshot_keeper_flush_finish (GwSnapshotKeeper  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

GwSnapshotKeeper *
gw_snapshot_keeper_new (GwStore    *store,
                        const char *path,
                        const char *source_url)
{
  GwSnapshotKeeper *self = g_object_new (GW_TYPE_SNAPSHOT_KEEPER, NULL);
  g_autofree char *stem = g_str_has_suffix (path, ".db") ? g_strndup (path, strlen (path) - 3)
                                                          : g_strdup (path);
  g_autofree char *hot_path = g_strconcat (stem, "-hot.db", NULL);

  self->store = g_object_ref (store);
  self->cache = gw_snapshot_cache_new (path);
  self->hot = gw_snapshot_cache_new (hot_path);
  self->source_url = g_strdup (source_url);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
  g_signal_connect_swapped (store, "reference-changed", G_CALLBACK (store_changed_cb), self);
  return self;
}

static void
gw_snapshot_keeper_dispose (GObject *object)
{
  GwSnapshotKeeper *self = (GwSnapshotKeeper *) object;

  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_handle_id (&self->history_id, g_source_remove);
  g_clear_pointer (&self->history, gw_cache_snapshot_free);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->cache);
  g_clear_object (&self->hot);
  g_clear_pointer (&self->source_url, g_free);

  G_OBJECT_CLASS (gw_snapshot_keeper_parent_class)->dispose (object);
}

static void
gw_snapshot_keeper_class_init (GwSnapshotKeeperClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gw_snapshot_keeper_dispose;
}

static void
gw_snapshot_keeper_init (GwSnapshotKeeper *self)
{
  self->delay_seconds = 30;
}
