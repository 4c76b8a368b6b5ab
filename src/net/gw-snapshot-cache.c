/* gw-snapshot-cache.c — the last known picture of one source, on disk
 *
 * The object, its worker threads and the file: the header check before SQLite opens
 * anything, the write to a private temporary file renamed into place, the setting aside
 * of an unusable file, and the coalescing of saves. What the tables hold and how a row
 * is encoded and checked is gw-cache-rows.c's (gw-snapshot-cache-private.h).
 */
#include "gw-snapshot-cache.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gw-snapshot-cache-private.h"

typedef struct {
  GPtrArray *cells;
  GPtrArray *departments;
  GPtrArray *classes;
  GPtrArray *incidents;
  gint64     seq;
  GwTime     saved_at;
  char      *source_url;
  GPtrArray *waiters; /* GTask*, the callers this write answers */
} SaveJob;

struct _GwSnapshotCache {
  GObject  parent_instance;

  char    *path;
  /* Held by a load from start to end and by a save around its rename: a load that
   * sets a corrupt file aside must never move a file a save has just put there. */
  GMutex   file_lock;
  SaveJob *running;
  SaveJob *pending;  /* the newest request waiting for @running */

  GwSnapshotCacheWriteHook write_hook;
  gpointer                 write_hook_data;
};

G_DEFINE_FINAL_TYPE (GwSnapshotCache, gw_snapshot_cache, G_TYPE_OBJECT)

/* ---- snapshot ---------------------------------------------------------------- */

void
gw_cache_snapshot_free (GwCacheSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->cells, g_ptr_array_unref);
  g_clear_pointer (&snapshot->departments, g_ptr_array_unref);
  g_clear_pointer (&snapshot->classes, g_ptr_array_unref);
  g_clear_pointer (&snapshot->incidents, g_ptr_array_unref);
  g_free (snapshot->source_url);
  g_free (snapshot);
}

/* ---- loading ------------------------------------------------------------------------ */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Checks the 100-byte SQLite header before SQLite sees the file: cheap, and exact about
 * what is wrong (another format, another program's database, another schema version,
 * a file shorter than the database it claims to be). */
static gboolean
check_header (const char *path, GError **error)
{
  guint8 header[100];
  GStatBuf st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  gsize n = 0;
  int errsv = 0;
  while (n < sizeof header && errsv == 0)
    {
      gssize r = read (fd, header + n, sizeof header - n);
      if (r < 0 && errno != EINTR)
        errsv = errno;
      else if (r == 0)
        break;
      else if (r > 0)
        n += (gsize) r;
    }
  if (errsv == 0 && fstat (fd, &st) != 0)
    errsv = errno;
  close (fd);
  if (errsv != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }

  if (n < sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    return gw_cache_set_corrupt (error, "not an SQLite database");
  guint32 app_id = read_be32 (header + 68);
  if (app_id != GW_CACHE_APPLICATION_ID)
    return gw_cache_set_corrupt (error, "not a Gridwatch snapshot cache (application_id 0x%08x)",
                                 app_id);
  guint32 version = read_be32 (header + 60);
  if (version != GW_CACHE_SCHEMA_VERSION)
    return gw_cache_set_corrupt (error, "snapshot cache schema %u, this build reads %u",
                                 version, GW_CACHE_SCHEMA_VERSION);
  guint32 page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  guint32 n_pages = read_be32 (header + 28);
  /* The page count in the header is only trusted when the change counter and
   * "version-valid-for" agree (as they do for every file SQLite >= 3.7 wrote). */
  if (n_pages != 0 && read_be32 (header + 24) == read_be32 (header + 92) &&
      (guint64) st.st_size != (guint64) page_size * n_pages)
    return gw_cache_set_corrupt (error, "truncated or padded (%" G_GUINT64_FORMAT " bytes,"
                                 " the header says %" G_GUINT64_FORMAT ")",
                                 (guint64) st.st_size, (guint64) page_size * n_pages);
  return TRUE;
}

static GwCacheSnapshot *
load_file (const char *path, GCancellable *cancellable, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !check_header (path, error))
    return NULL;

  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }

  g_autoptr(GwCacheSnapshot) snap = g_new0 (GwCacheSnapshot, 1);
  snap->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  snap->departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  snap->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  snap->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);

  gint64 counts[4] = { 0 };
  gboolean ok = gw_cache_rows_read_meta (db, snap, counts, error) &&
                gw_cache_rows_read (db, counts, snap, cancellable, error);
  sqlite3_close (db);
  return ok ? g_steal_pointer (&snap) : NULL;
}

/* Moves an unusable file out of the way so the next save starts afresh, keeping it for
 * a post-mortem. Returns the new path, or NULL if it could not be moved. */
static char *
set_aside (const char *path)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  char *aside = g_strdup_printf ("%s.corrupt-%" G_GINT64_FORMAT, path, now);
  /* Never over an earlier one from the same second. */
  for (guint i = 1; g_file_test (aside, G_FILE_TEST_EXISTS) && i < 100; i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%" G_GINT64_FORMAT "-%u", path, now, i);
    }
  if (g_rename (path, aside) != 0)
    {
      int errsv = errno;
      g_warning ("Snapshot cache %s is unusable and could not be moved to %s: %s",
                 path, aside, g_strerror (errsv));
      g_free (aside);
      return NULL;
    }
  return aside;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GwSnapshotCache *self = source_object;
  g_autoptr(GError) error = NULL;
  GwCacheSnapshot *snap;

  g_mutex_lock (&self->file_lock);
  snap = load_file (self->path, cancellable, &error);
  if (snap == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      g_autofree char *aside = set_aside (self->path);
      if (aside != NULL)
        {
          g_warning ("Snapshot cache %s is unusable (%s); moved it to %s",
                     self->path, error->message, aside);
          g_prefix_error (&error, "Snapshot cache %s is unusable, moved to %s: ",
                          self->path, aside);
        }
      else
        g_prefix_error (&error, "Snapshot cache %s is unusable: ", self->path);
    }
  g_mutex_unlock (&self->file_lock);

  if (snap == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, snap, (GDestroyNotify) gw_cache_snapshot_free);
}

/* ---- saving ------------------------------------------------------------------------- */

static gboolean
exec_sql (sqlite3 *db, const char *sql, GError **error)
{
  char *message = NULL;
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_database (const char *tmp_path, SaveJob *job, GError **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (tmp_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", tmp_path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }

  /* A fresh private file that only becomes the cache by the rename: no journal, and one
   * fsync of the finished file instead of SQLite's. */
  g_autofree char *pragmas = g_strdup_printf ("PRAGMA journal_mode = OFF;"
                                              "PRAGMA synchronous = OFF;"
                                              "PRAGMA application_id = %d;"
                                              "PRAGMA user_version = %d;",
                                              GW_CACHE_APPLICATION_ID, GW_CACHE_SCHEMA_VERSION);
  gboolean ok = exec_sql (db, pragmas, error) &&
                exec_sql (db, "BEGIN", error) &&
                exec_sql (db, gw_cache_schema_sql, error) &&
                gw_cache_rows_write_meta (db, job->source_url, job->seq, job->saved_at,
                                          job->cells, job->departments, job->classes,
                                          job->incidents, error) &&
                gw_cache_rows_write (db, job->cells, job->departments, job->classes,
                                     job->incidents, error) &&
                exec_sql (db, "COMMIT", error);

  rc = sqlite3_close (db);
  if (ok && rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", tmp_path, sqlite3_errstr (rc));
      ok = FALSE;
    }
  return ok;
}

static gboolean
fsync_path (const char *path, int flags, GError **error)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);
  if (fd < 0 || fsync (fd) != 0)
    {
      int errsv = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GwSnapshotCache *self = source_object;
  SaveJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *tmp_path = g_strconcat (self->path, ".tmp", NULL);

  if (self->write_hook != NULL)
    self->write_hook (self, self->write_hook_data);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                               "%s: %s", dir, g_strerror (errsv));
      return;
    }

  /* Created here rather than by SQLite so that it is private (it may hold reporters'
   * names and phone numbers) and empty whatever an earlier crash left. */
  int fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                               "%s: %s", tmp_path, g_strerror (errsv));
      return;
    }
  close (fd);

  gboolean ok = write_database (tmp_path, job, &error) &&
                fsync_path (tmp_path, O_RDONLY, &error);
  if (ok)
    {
      g_mutex_lock (&self->file_lock);
      if (g_rename (tmp_path, self->path) != 0)
        {
          int errsv = errno;
          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "Could not move %s to %s: %s", tmp_path, self->path, g_strerror (errsv));
          ok = FALSE;
        }
      g_mutex_unlock (&self->file_lock);
    }
  if (!ok)
    {
      g_unlink (tmp_path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Makes the rename itself durable; the old cache or the new one survives a power cut
   * either way, so a failure here is not worth reporting. */
  fsync_path (dir, O_RDONLY | O_DIRECTORY, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
save_job_clear_capture (SaveJob *job)
{
  g_clear_pointer (&job->cells, g_ptr_array_unref);
  g_clear_pointer (&job->departments, g_ptr_array_unref);
  g_clear_pointer (&job->classes, g_ptr_array_unref);
  g_clear_pointer (&job->incidents, g_ptr_array_unref);
  g_clear_pointer (&job->source_url, g_free);
}

static void
save_job_free (SaveJob *job)
{
  save_job_clear_capture (job);
  g_clear_pointer (&job->waiters, g_ptr_array_unref);
  g_free (job);
}

/* A new array of new references, so the worker never sees the caller's array change. */
static GPtrArray *
capture (GPtrArray *array, GBoxedCopyFunc ref, GDestroyNotify unref)
{
  guint n = array != NULL ? array->len : 0;
  GPtrArray *copy = g_ptr_array_new_full (n, unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (copy, ref (g_ptr_array_index (array, i)));
  return copy;
}

static void start_next_save (GwSnapshotCache *self);

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GwSnapshotCache *self = GW_SNAPSHOT_CACHE (source);
  SaveJob *job = g_steal_pointer (&self->running);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&job->waiters);

  save_job_free (job);
  /* Before answering, so a caller that saves again from its callback queues behind. */
  if (self->pending != NULL)
    start_next_save (self);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);
      if (ok)
        g_task_return_boolean (waiter, TRUE);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

static void
start_next_save (GwSnapshotCache *self)
{
  g_assert (self->running == NULL);
  self->running = g_steal_pointer (&self->pending);

  g_autoptr(GTask) worker = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (worker, start_next_save);
  g_task_set_task_data (worker, self->running, NULL); /* freed by save_done_cb */
  g_task_run_in_thread (worker, save_thread);
}

void
gw_snapshot_cache_save_async (GwSnapshotCache     *self,
                              GPtrArray           *cells,
                              GPtrArray           *departments,
                              GPtrArray           *classes,
                              GPtrArray           *incidents,
                              gint64               seq,
                              const char          *source_url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GW_IS_SNAPSHOT_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gw_snapshot_cache_save_async);

  /* Only the newest picture is worth writing: a request still waiting is replaced, and
   * its caller is answered with the write that replaced it. */
  SaveJob *job = self->pending;
  if (job == NULL)
    {
      job = self->pending = g_new0 (SaveJob, 1);
      job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
    }
  else
    save_job_clear_capture (job);

  job->cells = capture (cells, (GBoxedCopyFunc) gw_cell_ref, (GDestroyNotify) gw_cell_unref);
  job->departments = capture (departments, (GBoxedCopyFunc) gw_department_ref,
                              (GDestroyNotify) gw_department_unref);
  job->classes = capture (classes, (GBoxedCopyFunc) gw_incident_class_ref,
                          (GDestroyNotify) gw_incident_class_unref);
  job->incidents = capture (incidents, (GBoxedCopyFunc) gw_incident_ref,
                            (GDestroyNotify) gw_incident_unref);
  job->seq = seq;
  job->saved_at = g_get_real_time ();
  job->source_url = g_strdup (source_url);
  g_ptr_array_add (job->waiters, task);

  if (self->running == NULL)
    start_next_save (self);
}

gboolean
gw_snapshot_cache_save_finish (GwSnapshotCache  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (GW_IS_SNAPSHOT_CACHE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gw_snapshot_cache_save_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- object --------------------------------------------------------------------------- */

static void
gw_snapshot_cache_finalize (GObject *object)
{
  GwSnapshotCache *self = GW_SNAPSHOT_CACHE (object);

  /* Every job's task holds a reference, so none can be left here. */
  g_assert (self->running == NULL && self->pending == NULL);
  g_free (self->path);
  g_mutex_clear (&self->file_lock);

  G_OBJECT_CLASS (gw_snapshot_cache_parent_class)->finalize (object);
}

static void
gw_snapshot_cache_class_init (GwSnapshotCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gw_snapshot_cache_finalize;
}

static void
gw_snapshot_cache_init (GwSnapshotCache *self)
{
  g_mutex_init (&self->file_lock);
}

GwSnapshotCache *
gw_snapshot_cache_new (const char *path)
{
  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  GwSnapshotCache *self = g_object_new (GW_TYPE_SNAPSHOT_CACHE, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
gw_snapshot_cache_get_path (GwSnapshotCache *self)
{
  g_return_val_if_fail (GW_IS_SNAPSHOT_CACHE (self), NULL);
  return self->path;
}

char *
gw_snapshot_cache_default_path (const char *source_url)
{
  g_return_val_if_fail (source_url != NULL, NULL);
  /* "http://host/" and "http://host" are the same source. */
  gsize len = strlen (source_url);
  while (len > 0 && source_url[len - 1] == '/')
    len--;
  g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                         (const guchar *) source_url, len);
  g_autofree char *name = g_strconcat (digest, ".db", NULL);
  return g_build_filename (g_get_user_cache_dir (), "gridwatch", name, NULL);
}

void
gw_snapshot_cache_load_async (GwSnapshotCache     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GW_IS_SNAPSHOT_CACHE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gw_snapshot_cache_load_async);
  g_task_run_in_thread (task, load_thread);
}

GwCacheSnapshot *
gw_snapshot_cache_load_finish (GwSnapshotCache  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (GW_IS_SNAPSHOT_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gw_snapshot_cache_load_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gw_snapshot_cache_set_write_hook (GwSnapshotCache          *self,
                                  GwSnapshotCacheWriteHook  hook,
                                  gpointer                  user_data)
{
  g_return_if_fail (GW_IS_SNAPSHOT_CACHE (self));
  self->write_hook = hook;
  self->write_hook_data = user_data;
}
