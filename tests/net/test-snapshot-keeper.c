/* test-snapshot-keeper.c — the store survives a restart through its disk cache */

#include <glib/gstdio.h>

#include "gw-snapshot-keeper.h"
#include "gw-test-dispatchd.h"

#define HOUR GW_USEC_PER_HOUR

static GwIncident *
make (guint    i,
      gboolean open,
      GwTime   updated)
{
  GwIncident *inc = gw_incident_new ();
  GwStageEvent *ev = gw_stage_event_new ();

  inc->id = g_strdup_printf ("k-%04u", i);
  inc->title = g_strdup ("占道经营");
  inc->class_code = g_strdup ("0201");
  inc->address = g_strdup ("伏牛路");
  inc->stage = open ? GW_STAGE_RECEIVED : GW_STAGE_CLOSED;
  inc->received_at = updated - HOUR;
  inc->updated_at = updated;
  inc->closed_at = open ? GW_TIME_NONE : updated;
  inc->seq = i + 1;
  ev->id = g_strdup ("r");
  ev->stage = GW_STAGE_RECEIVED;
  ev->time = inc->received_at;
  g_ptr_array_add (inc->timeline, ev);
  if (!open)
    {
      ev = gw_stage_event_new ();
      ev->id = g_strdup ("c");
      ev->stage = GW_STAGE_CLOSED;
      ev->time = updated;
      g_ptr_array_add (inc->timeline, ev);
    }
  return inc;
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gw_snapshot_keeper_flush_finish (GW_SNAPSHOT_KEEPER (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  gint64   seq;
  GwTime   saved_at;
  GError  *error;
} Restore;

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Restore *r = user_data;

  r->ok = gw_snapshot_keeper_restore_finish (GW_SNAPSHOT_KEEPER (object), result, &r->seq,
                                             &r->saved_at, &r->error);
  r->done = TRUE;
}

static void
test_hot_first_then_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gw-keeper-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *hot_path = g_build_filename (dir, "cache-hot.db", NULL);
  g_autoptr(GwStore) before = gw_store_new ();
  g_autoptr(GwStore) after = gw_store_new ();
  g_autoptr(GwSnapshotKeeper) saver = NULL;
  g_autoptr(GwSnapshotKeeper) loader = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  GwStoreBatch *batch = gw_store_batch_new ();
  GwTime now = g_get_real_time ();
  gboolean flushed = FALSE;
  Restore r = { 0 };

  g_assert_no_error (error);
  /* 10 open, 20 closed today, 200 closed last month. */
  for (guint i = 0; i < 230; i++)
    {
      GwIncident *inc = make (i, i < 10, i < 30 ? now - HOUR : now - 30 * 24 * HOUR);
      gw_store_batch_upsert (batch, inc);
      gw_incident_unref (inc);
    }
  gw_store_batch_set_seq (batch, 230);
  saver = gw_snapshot_keeper_new (before, path, "http://test");
  gw_store_apply (before, batch);
  gw_snapshot_keeper_flush_async (saver, NULL, flushed_cb, &flushed);
  gw_test_wait_until (flushed, 30);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (hot_path, G_FILE_TEST_EXISTS));

  loader = gw_snapshot_keeper_new (after, path, "http://test");
  gw_snapshot_keeper_restore_async (loader, NULL, restored_cb, &r);
  gw_test_wait_until (r.done, 30);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpint (r.seq, ==, 230);
  g_assert_cmpint (r.saved_at, >=, now);
  /* The wall has its open and recent cases at once... */
  g_assert_cmpuint (gw_store_get_n_incidents (after), >=, 30);
  g_assert_cmpuint (gw_store_count_open (after), ==, 10);
  /* ...and the history follows. */
  gw_test_wait_until (gw_store_get_n_incidents (after) == 230, 30);
  d1 = gw_store_digest (before);
  d2 = gw_store_digest (after);
  g_assert_cmpstr (d1, ==, d2);
  g_assert_cmpint (gw_store_get_seq (after), ==, 230);

  /* Without the hot file the full one serves. */
  g_assert_cmpint (g_remove (hot_path), ==, 0);
  {
    g_autoptr(GwStore) third = gw_store_new ();
    g_autoptr(GwSnapshotKeeper) k3 = gw_snapshot_keeper_new (third, path, "http://test");
    Restore r3 = { 0 };

    gw_snapshot_keeper_restore_async (k3, NULL, restored_cb, &r3);
    gw_test_wait_until (r3.done, 30);
    g_assert_true (r3.ok);
    g_assert_cmpuint (gw_store_get_n_incidents (third), ==, 230);
  }
  {
    g_autoptr(GwStore) none = gw_store_new ();
    g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
    g_autoptr(GwSnapshotKeeper) k4 = gw_snapshot_keeper_new (none, missing, "http://test");
    Restore r4 = { 0 };

    gw_snapshot_keeper_restore_async (k4, NULL, restored_cb, &r4);
    gw_test_wait_until (r4.done, 30);
    g_assert_false (r4.ok);
    g_assert_error (r4.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&r4.error);
  }
  gw_test_remove_tree (dir);
}

typedef struct {
  guint parts;    /* changes marked as a load */
  guint loaded;   /* ... that completed it */
  guint largest;  /* the most cases in one change */
} Parts;

static void
parts_cb (GwStore *store, GwStoreChange *change, Parts *p)
{
  p->parts += change->loading;
  p->loaded += change->loaded;
  p->largest = MAX (p->largest, change->added->len + change->changed->len);
}

/* A long history goes into the store in parts, marked as a load, so that no part holds
 * the main loop long; the last part completes it, and nothing is written back. */
static void
test_history_in_parts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gw-keeper-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GwStore) before = gw_store_new ();
  g_autoptr(GwStore) after = gw_store_new ();
  g_autoptr(GwSnapshotKeeper) saver = gw_snapshot_keeper_new (before, path, "http://test");
  g_autoptr(GwSnapshotKeeper) loader = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  GwStoreBatch *batch = gw_store_batch_new ();
  GwTime now = g_get_real_time ();
  gboolean flushed = FALSE;
  Restore r = { 0 };
  Parts p = { 0 };

  g_assert_no_error (error);
  /* 10 open, then 5,000 closed last month. */
  for (guint i = 0; i < 5010; i++)
    {
      GwIncident *inc = make (i, i < 10, i < 10 ? now - HOUR : now - 30 * 24 * HOUR);
      gw_store_batch_upsert (batch, inc);
      gw_incident_unref (inc);
    }
  gw_store_batch_set_seq (batch, 5010);
  gw_store_apply (before, batch);
  gw_snapshot_keeper_flush_async (saver, NULL, flushed_cb, &flushed);
  gw_test_wait_until (flushed, 30);

  loader = gw_snapshot_keeper_new (after, path, "http://test");
  g_signal_connect (after, "changed", G_CALLBACK (parts_cb), &p);
  gw_snapshot_keeper_restore_async (loader, NULL, restored_cb, &r);
  gw_test_wait_until (r.done && p.loaded == 1, 30);
  g_assert_true (r.ok);
  g_assert_cmpuint (p.parts, >=, 3);
  g_assert_cmpuint (p.largest, <=, 2000);
  d1 = gw_store_digest (before);
  d2 = gw_store_digest (after);
  g_assert_cmpstr (d1, ==, d2);
  g_assert_cmpint (gw_store_get_seq (after), ==, 5010);

  /* Nothing to write back: a flush finds the cache current and writes nothing. */
  g_assert_cmpint (g_remove (path), ==, 0);
  flushed = FALSE;
  gw_snapshot_keeper_flush_async (loader, NULL, flushed_cb, &flushed);
  gw_test_wait_until (flushed, 30);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gw_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/snapshot-keeper/hot-first-then-history", test_hot_first_then_history);
  g_test_add_func ("/snapshot-keeper/history-in-parts", test_history_in_parts);
  return g_test_run ();
}
