/* test-store.c — GwStore: batches, indexes, lateness, versions and digests */

#include "gw-store.h"

#define HOUR GW_USEC_PER_HOUR
#define T0   (G_GINT64_CONSTANT (1764000000) * G_USEC_PER_SEC)

static GwIncident *
make (const char *id,
      gint64      seq,
      GwStage     stage,
      const char *cell,
      const char *department,
      GwTime      deadline)
{
  GwIncident *inc = gw_incident_new ();

  inc->id = g_strdup (id);
  inc->title = g_strdup ("垃圾满溢");
  inc->class_code = g_strdup ("0101");
  inc->address = g_strdup ("");
  inc->cell_code = g_strdup (cell);
  inc->department = g_strdup (department);
  inc->stage = stage;
  inc->received_at = T0;
  inc->updated_at = T0 + seq;
  inc->deadline = deadline;
  if (gw_stage_is_closed (stage))
    inc->closed_at = T0 + HOUR;
  inc->seq = seq;
  return inc;
}

typedef struct {
  guint emissions;
  guint added, changed, removed;
  gboolean reset;
} Counts;

static void
changed_cb (GwStore       *store,
            GwStoreChange *change,
            Counts        *counts)
{
  counts->emissions++;
  counts->added += change->added->len;
  counts->changed += change->changed->len;
  counts->removed += change->removed->len;
  counts->reset |= change->reset;
}

static void
upsert (GwStoreBatch *batch,
        GwIncident   *incident)
{
  gw_store_batch_upsert (batch, incident);
  gw_incident_unref (incident);
}

static GwStore *
populated (Counts *counts)
{
  GwStore *store = gw_store_new ();
  GwStoreBatch *batch = gw_store_batch_new ();

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), counts);
  upsert (batch, make ("a", 1, GW_STAGE_DISPATCHED, "41010200600101", "chengguan", T0 + 2 * HOUR));
  upsert (batch, make ("b", 2, GW_STAGE_ON_SITE, "41010200600101", "huanwei", T0 + 30 * 60 * G_USEC_PER_SEC));
  upsert (batch, make ("c", 3, GW_STAGE_CLOSED, "41010200600102", "chengguan", T0 + HOUR));
  upsert (batch, make ("d", 4, GW_STAGE_RECEIVED, NULL, NULL, GW_TIME_NONE));
  gw_store_batch_set_seq (batch, 4);
  gw_store_apply (store, batch);
  return store;
}

static guint
count (GPtrArray *array)
{
  guint n = array->len;
  g_ptr_array_unref (array);
  return n;
}

static void
test_batch_and_indexes (void)
{
  Counts counts = { 0 };
  g_autoptr(GwStore) store = populated (&counts);
  g_autoptr(GPtrArray) late = NULL;

  g_assert_cmpuint (counts.emissions, ==, 1);
  g_assert_cmpuint (counts.added, ==, 4);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 4);
  g_assert_cmpint (gw_store_get_seq (store), ==, 4);
  g_assert_cmpuint (gw_store_count_open (store), ==, 3);
  g_assert_cmpuint (count (gw_store_list_by_cell (store, "41010200600101")), ==, 2);
  g_assert_cmpuint (count (gw_store_list_by_cell (store, "41010200600102")), ==, 1);
  g_assert_cmpuint (count (gw_store_list_by_cell (store, "nowhere")), ==, 0);
  g_assert_cmpuint (count (gw_store_list_by_department (store, "chengguan")), ==, 2);
  g_assert_cmpuint (count (gw_store_list_by_stage (store, GW_STAGE_ON_SITE)), ==, 1);

  /* Lateness: the closed case and the one without a deadline never count. */
  g_assert_cmpuint (count (gw_store_list_late (store, T0)), ==, 0);
  late = gw_store_list_late (store, T0 + 3 * HOUR);
  g_assert_cmpuint (late->len, ==, 2);
  g_assert_cmpstr (((GwIncident *) late->pdata[0])->id, ==, "b");  /* most overdue first */
  g_assert_cmpstr (((GwIncident *) late->pdata[1])->id, ==, "a");
  g_assert_cmpuint (count (gw_store_list_late (store, T0 + HOUR)), ==, 1);
}

static void
test_changes_move_indexes (void)
{
  Counts counts = { 0 };
  g_autoptr(GwStore) store = populated (&counts);
  GwStoreBatch *batch = gw_store_batch_new ();

  /* "a" is closed and moves department; "d" goes; "e" comes. */
  upsert (batch, make ("a", 5, GW_STAGE_CLOSED, "41010200600102", "huanwei", T0 + 2 * HOUR));
  gw_store_batch_remove (batch, "d");
  upsert (batch, make ("e", 6, GW_STAGE_RECEIVED, "41010200600101", NULL, T0 + 9 * HOUR));
  gw_store_batch_set_seq (batch, 6);
  gw_store_apply (store, batch);

  g_assert_cmpuint (counts.emissions, ==, 2);
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (counts.added, ==, 5);
  g_assert_null (gw_store_lookup (store, "d"));
  g_assert_cmpint (gw_store_lookup (store, "a")->stage, ==, GW_STAGE_CLOSED);
  g_assert_cmpuint (count (gw_store_list_by_department (store, "chengguan")), ==, 1);
  g_assert_cmpuint (count (gw_store_list_by_department (store, "huanwei")), ==, 2);
  g_assert_cmpuint (count (gw_store_list_by_cell (store, "41010200600102")), ==, 2);
  g_assert_cmpuint (count (gw_store_list_by_stage (store, GW_STAGE_DISPATCHED)), ==, 0);
  g_assert_cmpuint (gw_store_count_open (store), ==, 2);
  g_assert_cmpuint (count (gw_store_list_late (store, T0 + 3 * HOUR)), ==, 1);
  g_assert_cmpint (gw_store_get_seq (store), ==, 6);
}

static void
test_stale_and_replayed_versions (void)
{
  Counts counts = { 0 };
  g_autoptr(GwStore) store = populated (&counts);
  GwStoreBatch *batch = gw_store_batch_new ();

  /* An older version and an exact replay change nothing and emit nothing. */
  upsert (batch, make ("b", 1, GW_STAGE_CLOSED, NULL, NULL, GW_TIME_NONE));
  upsert (batch, make ("c", 3, GW_STAGE_CLOSED, "41010200600102", "chengguan", T0 + HOUR));
  gw_store_apply (store, batch);
  g_assert_cmpuint (counts.emissions, ==, 1);
  g_assert_cmpint (gw_store_lookup (store, "b")->stage, ==, GW_STAGE_ON_SITE);
}

static void
test_snapshot_replaces (void)
{
  Counts counts = { 0 };
  g_autoptr(GwStore) store = populated (&counts);
  GwStoreBatch *batch = gw_store_batch_new ();

  upsert (batch, make ("b", 2, GW_STAGE_ON_SITE, "41010200600101", "huanwei", T0 + 30 * 60 * G_USEC_PER_SEC));
  upsert (batch, make ("z", 9, GW_STAGE_RECEIVED, NULL, NULL, GW_TIME_NONE));
  gw_store_batch_set_snapshot (batch, TRUE);
  gw_store_batch_set_seq (batch, 9);
  gw_store_apply (store, batch);

  g_assert_cmpuint (counts.emissions, ==, 2);
  g_assert_true (counts.reset);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 2);
  g_assert_nonnull (gw_store_lookup (store, "b"));
  g_assert_nonnull (gw_store_lookup (store, "z"));
  g_assert_null (gw_store_lookup (store, "a"));
  g_assert_cmpuint (count (gw_store_list_by_department (store, "chengguan")), ==, 0);
  g_assert_cmpuint (gw_store_count_open (store), ==, 2);
}

static void
test_digest (void)
{
  Counts counts = { 0 };
  g_autoptr(GwStore) one = populated (&counts);
  g_autoptr(GwStore) two = gw_store_new ();
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  g_autofree char *d3 = NULL;
  GwStoreBatch *batch = gw_store_batch_new ();

  /* Same contents in another order: same digest. */
  upsert (batch, make ("d", 4, GW_STAGE_RECEIVED, NULL, NULL, GW_TIME_NONE));
  upsert (batch, make ("c", 3, GW_STAGE_CLOSED, "41010200600102", "chengguan", T0 + HOUR));
  upsert (batch, make ("b", 2, GW_STAGE_ON_SITE, "41010200600101", "huanwei", T0 + 30 * 60 * G_USEC_PER_SEC));
  upsert (batch, make ("a", 1, GW_STAGE_DISPATCHED, "41010200600101", "chengguan", T0 + 2 * HOUR));
  gw_store_apply (two, batch);
  d1 = gw_store_digest (one);
  d2 = gw_store_digest (two);
  g_assert_cmpstr (d1, ==, d2);

  batch = gw_store_batch_new ();
  upsert (batch, make ("a", 7, GW_STAGE_DISPATCHED, "41010200600101", "chengguan", T0 + 3 * HOUR));
  gw_store_apply (two, batch);
  d3 = gw_store_digest (two);
  g_assert_cmpstr (d1, !=, d3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/batch-and-indexes", test_batch_and_indexes);
  g_test_add_func ("/store/changes-move-indexes", test_changes_move_indexes);
  g_test_add_func ("/store/stale-and-replayed", test_stale_and_replayed_versions);
  g_test_add_func ("/store/snapshot-replaces", test_snapshot_replaces);
  g_test_add_func ("/store/digest", test_digest);

  return g_test_run ();
}
