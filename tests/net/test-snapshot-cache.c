/* test-snapshot-cache.c — the on-disk snapshot cache: round trips, missing and unusable
 * files, atomic and coalesced saves off the main thread
 *
 * Everything happens under one temporary directory, removed at the end; $XDG_CACHE_HOME
 * points into it. (Not G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74 leaks in g_set_user_dirs(),
 * which would fail the sanitizer build.)
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gw-codec.h"
#include "gw-snapshot-cache.h"
#include "gw-test-dispatchd.h"

#define SOURCE_URL "https://dispatch.example.org/"

/* ---- helpers -------------------------------------------------------------------------- */

static GwTime
parse_time (const char *s)
{
  GwTime t;
  g_assert_true (gw_time_parse_rfc3339 (s, &t));
  return t;
}

static char *test_root;

/* A cache path in a new directory of its own, whose "gridwatch" folder does not exist
 * yet, like a first start. */
static char *
cache_path (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("test-%u", ++n);
  g_autofree char *dir = g_build_filename (test_root, name, NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return g_build_filename (dir, "gridwatch", "cache.db", NULL);
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;
  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
}

/* Iterates the main context (no sleeping) until the callback has run. */
static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static GwCacheSnapshot *
load_sync (GwSnapshotCache *cache, GError **error)
{
  Wait wait = { NULL };
  gw_snapshot_cache_load_async (cache, NULL, on_ready, &wait);
  GwCacheSnapshot *snap = gw_snapshot_cache_load_finish (cache, wait_for (&wait), error);
  g_object_unref (wait.result);
  return snap;
}

typedef struct {
  GPtrArray *cells;
  GPtrArray *departments;
  GPtrArray *classes;
  GPtrArray *incidents;
} Picture;

static void
picture_clear (Picture *p)
{
  g_clear_pointer (&p->cells, g_ptr_array_unref);
  g_clear_pointer (&p->departments, g_ptr_array_unref);
  g_clear_pointer (&p->classes, g_ptr_array_unref);
  g_clear_pointer (&p->incidents, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Picture, picture_clear)

static gboolean
save_sync (GwSnapshotCache *cache, const Picture *p, gint64 seq, GError **error)
{
  Wait wait = { NULL };
  gw_snapshot_cache_save_async (cache, p->cells, p->departments, p->classes, p->incidents,
                                seq, SOURCE_URL, NULL, on_ready, &wait);
  gboolean ok = gw_snapshot_cache_save_finish (cache, wait_for (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

/* A case as the server sends it, through the wire codec. */
static const char codec_incident_json[] =
  "{\"id\": \"c-20261125-0001\", \"title\": \"垃圾满溢\", \"description\": \"bins full\","
  " \"class\": \"0101\", \"source\": \"hotline\", \"priority\": \"urgent\","
  " \"location\": {\"lon\": 116.3975, \"lat\": 39.9087}, \"address\": \"东华门大街 1 号\","
  " \"cell\": \"110101001001001\", \"department\": \"chengguan\", \"stage\": \"on_site\","
  " \"status\": \"open\", \"received_at\": \"2026-11-25T08:00:00Z\","
  " \"deadline\": \"2026-11-25T20:00:00+08:00\", \"closed_at\": null,"
  " \"updated_at\": \"2026-11-25T09:30:00.25Z\", \"seq\": 42,"
  " \"reporter\": {\"name\": \"王\", \"phone\": \"13800000000\"},"
  " \"visit\": {\"contacted\": true, \"resolved\": false, \"satisfaction\": \"basic\"},"
  " \"timeline\": ["
  "  {\"id\": \"e-1\", \"stage\": \"received\", \"time\": \"2026-11-25T08:00:00Z\"},"
  "  {\"id\": \"e-2\", \"stage\": \"registered\", \"time\": \"2026-11-25T08:10:00Z\","
  "   \"actor\": \"operator 7\"},"
  "  {\"id\": \"e-3\", \"stage\": \"dispatched\", \"time\": \"2026-11-25T08:10:00Z\","
  "   \"department\": \"chengguan\", \"deadline\": \"2026-11-25T12:00:00Z\"},"
  "  {\"id\": \"e-4\", \"stage\": \"on_site\", \"time\": \"2026-11-25T09:30:00.25Z\","
  "   \"note\": \"arrived\"}]}";

static GwStageEvent *
make_event (const char *id, GwStage stage, GwTime time, const char *actor,
            const char *department, const char *note, GwTime deadline)
{
  GwStageEvent *ev = gw_stage_event_new ();
  ev->id = g_strdup (id);
  ev->stage = stage;
  ev->time = time;
  ev->actor = g_strdup (actor);
  ev->department = g_strdup (department);
  ev->note = g_strdup (note);
  ev->deadline = deadline;
  return ev;
}

/* Case @i of a street: every stage, optional fields set and unset in turn. */
static GwIncident *
make_incident (guint i)
{
  static const GwStage path[] = { GW_STAGE_RECEIVED, GW_STAGE_REGISTERED, GW_STAGE_DISPATCHED,
                                  GW_STAGE_EXTENDED, GW_STAGE_ON_SITE, GW_STAGE_REPORTED_DONE,
                                  GW_STAGE_CLOSED, GW_STAGE_EVALUATED };
  GwIncident *inc = gw_incident_new ();
  GwTime t = parse_time ("2026-11-25T08:00:00Z") + (GwTime) i * 37 * G_USEC_PER_SEC + 250;

  inc->id = g_strdup_printf ("c-20261125-%05u", i);
  inc->title = g_strdup (i % 3 == 0 ? "井盖缺失 \"manhole\" \\ cover" : "Pothole");
  inc->description = i % 2 ? g_strdup ("深 10 cm, 宽 40 cm\nnear the 🚏 bus stop") : NULL;
  inc->class_code = g_strdup_printf ("0%u0%u", 1 + i % 8, 1 + i % 5);
  inc->source = i % GW_N_SOURCES;
  inc->priority = i % GW_N_PRIORITIES;
  inc->lon = 116.39 + i * 1.0 / 3e5;  /* not short in decimal: exact doubles must survive */
  inc->lat = -39.90 - i * 1.0 / 7e5;
  inc->address = g_strdup (i % 4 == 0 ? "" : "东华门大街 1 号");
  inc->cell_code = i % 5 == 0 ? NULL : g_strdup_printf ("1101010010010%02u", i % 40);
  inc->received_at = t;
  inc->seq = 1000 + i;
  if (i % 6 == 0)
    {
      inc->reporter_name = g_strdup ("李");
      inc->reporter_phone = i % 12 == 0 ? g_strdup ("13800000000") : NULL;
    }

  guint n_events = i % (G_N_ELEMENTS (path) + 1); /* 0 .. all */
  for (guint k = 0; k < n_events; k++)
    {
      GwStage stage = path[k];
      const char *dep = stage == GW_STAGE_DISPATCHED ? "chengguan" : NULL;
      GwTime deadline = stage == GW_STAGE_DISPATCHED ? t + 4 * GW_USEC_PER_HOUR :
                        stage == GW_STAGE_EXTENDED ? t + 48 * GW_USEC_PER_HOUR : GW_TIME_NONE;
      g_autofree char *id = g_strdup_printf ("e-%u", k + 1);
      g_ptr_array_add (inc->timeline,
                       make_event (id, stage, t, k % 2 ? "operator 7" : NULL, dep,
                                   k == 4 ? "到达现场" : NULL, deadline));
      if (dep != NULL)
        inc->department = g_strdup (dep);
      if (deadline != GW_TIME_NONE)
        inc->deadline = deadline;
      if (stage == GW_STAGE_CLOSED)
        inc->closed_at = t;
      inc->stage = stage;
      inc->updated_at = t;
      t += 11 * GW_USEC_PER_MIN + 500000;
    }
  if (n_events == 0)
    inc->updated_at = inc->received_at;
  if (inc->stage == GW_STAGE_EVALUATED)
    {
      inc->visited = TRUE;
      inc->visit_contacted = TRUE;
      inc->visit_resolved = i % 2;
      inc->satisfaction = 1 + i % 3;
    }
  return inc;
}

static GwCell *
make_cell (const char *code, const char *worker, gboolean party, double x)
{
  GwCell *cell = gw_cell_new ();
  double ring[] = { x, 39.90, x + 0.01, 39.90, x + 0.01, 39.91, x, 39.91 };
  cell->code = g_strdup (code);
  cell->name = g_strdup ("东华门 1");
  cell->community = g_strdup ("东华门社区");
  cell->worker_name = g_strdup (worker);
  cell->worker_phone = worker != NULL ? g_strdup ("13900000000") : NULL;
  cell->party_branch = party ? g_strdup ("第一支部") : NULL;
  gw_cell_set_ring (cell, ring, 4);
  return cell;
}

static void
make_picture (Picture *p, guint n_incidents)
{
  p->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  g_ptr_array_add (p->cells, make_cell ("110101001001001", "张", TRUE, 116.39));
  g_ptr_array_add (p->cells, make_cell ("11010100100102", NULL, FALSE, 1.0 / 3.0));

  p->departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  GwDepartment *dep = gw_department_new ();
  dep->id = g_strdup ("chengguan");
  dep->name = g_strdup ("城管");
  dep->phone = g_strdup ("12319");
  dep->dispatch_minutes = 30;
  dep->handle_hours = 24;
  g_ptr_array_add (p->departments, dep);
  dep = gw_department_new ();
  dep->id = g_strdup ("huanwei");
  dep->name = g_strdup ("环卫");
  dep->dispatch_minutes = 45;
  dep->handle_hours = 12;
  g_ptr_array_add (p->departments, dep);

  p->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  GwIncidentClass *klass = gw_incident_class_new ();
  klass->code = g_strdup ("0101");
  klass->name = g_strdup ("垃圾满溢");
  klass->category = g_strdup ("市容环境");
  klass->kind = GW_CLASS_KIND_COMPONENT;
  klass->department = g_strdup ("huanwei");
  klass->deadline_hours = 12;
  klass->priority = GW_PRIORITY_NORMAL;
  g_ptr_array_add (p->classes, klass);
  klass = gw_incident_class_new ();
  klass->code = g_strdup ("0302");
  klass->name = g_strdup ("道路破损");
  klass->category = g_strdup ("道路交通");
  klass->kind = GW_CLASS_KIND_EVENT;
  klass->deadline_hours = 72;
  klass->priority = GW_PRIORITY_CRITICAL;
  g_ptr_array_add (p->classes, klass);

  p->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  if (n_incidents > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = gw_json_parse (codec_incident_json, -1, &error);
      g_assert_no_error (error);
      GwIncident *inc = gw_incident_from_json (node, &error);
      g_assert_no_error (error);
      g_ptr_array_add (p->incidents, inc);
    }
  for (guint i = 1; i < n_incidents; i++)
    g_ptr_array_add (p->incidents, make_incident (i));
}

static void
assert_cells_equal (const GwCell *a, const GwCell *b)
{
  g_assert_cmpstr (a->code, ==, b->code);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->community, ==, b->community);
  g_assert_cmpstr (a->worker_name, ==, b->worker_name);
  g_assert_cmpstr (a->worker_phone, ==, b->worker_phone);
  g_assert_cmpstr (a->party_branch, ==, b->party_branch);
  g_assert_cmpuint (a->n_points, ==, b->n_points);
  g_assert_cmpmem (a->ring, a->n_points * 2 * sizeof (double),
                   b->ring, b->n_points * 2 * sizeof (double));
}

static void
assert_departments_equal (const GwDepartment *a, const GwDepartment *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->phone, ==, b->phone);
  g_assert_cmpint (a->dispatch_minutes, ==, b->dispatch_minutes);
  g_assert_cmpint (a->handle_hours, ==, b->handle_hours);
}

static void
assert_classes_equal (const GwIncidentClass *a, const GwIncidentClass *b)
{
  g_assert_cmpstr (a->code, ==, b->code);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->category, ==, b->category);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->department, ==, b->department);
  g_assert_cmpint (a->deadline_hours, ==, b->deadline_hours);
  g_assert_cmpint (a->priority, ==, b->priority);
}

static void
assert_picture (const GwCacheSnapshot *snap, const Picture *p)
{
  g_assert_cmpuint (snap->cells->len, ==, p->cells->len);
  for (guint i = 0; i < p->cells->len; i++)
    assert_cells_equal (g_ptr_array_index (snap->cells, i), g_ptr_array_index (p->cells, i));
  g_assert_cmpuint (snap->departments->len, ==, p->departments->len);
  for (guint i = 0; i < p->departments->len; i++)
    assert_departments_equal (g_ptr_array_index (snap->departments, i),
                              g_ptr_array_index (p->departments, i));
  g_assert_cmpuint (snap->classes->len, ==, p->classes->len);
  for (guint i = 0; i < p->classes->len; i++)
    assert_classes_equal (g_ptr_array_index (snap->classes, i), g_ptr_array_index (p->classes, i));
  g_assert_cmpuint (snap->incidents->len, ==, p->incidents->len);
  for (guint i = 0; i < p->incidents->len; i++)
    {
      const GwIncident *got = g_ptr_array_index (snap->incidents, i);
      const GwIncident *want = g_ptr_array_index (p->incidents, i);
      if (!gw_incident_equal (got, want))
        {
          g_autoptr(JsonNode) a = gw_incident_to_json (got, TRUE);
          g_autoptr(JsonNode) b = gw_incident_to_json (want, TRUE);
          g_autofree char *sa = gw_json_to_string (a);
          g_autofree char *sb = gw_json_to_string (b);
          g_assert_cmpstr (sa, ==, sb);
          g_assert_not_reached ();
        }
    }
}

/* Names in the cache directory starting with @prefix. */
static guint
count_files (const char *dir, const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

/* The warnings about set-aside files are expected here: they are counted. Warnings are
 * made non-fatal for that (the handler runs in the worker thread that warns), and any
 * other warning fails the test. */
static gint n_set_aside_warnings;
static const char *expected_warning_path;

static void
log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if ((level & G_LOG_LEVEL_WARNING) && expected_warning_path != NULL &&
      g_str_has_prefix (message, "Snapshot cache ") &&
      strstr (message, expected_warning_path) != NULL &&
      strstr (message, ".corrupt-") != NULL)
    {
      g_atomic_int_inc (&n_set_aside_warnings);
      return;
    }
  g_log_default_handler (domain, level, message, data);
  if (level & G_LOG_LEVEL_WARNING)
    g_test_fail ();
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
test_default_path (void)
{
  g_autofree char *a = gw_snapshot_cache_default_path ("https://dispatch.example.org/");
  g_autofree char *b = gw_snapshot_cache_default_path ("https://dispatch.example.org");
  g_autofree char *c = gw_snapshot_cache_default_path ("https://other.example.org");
  /* $XDG_CACHE_HOME was set by main(). */
  g_autofree char *dir = g_build_filename (test_root, "xdg-cache", "gridwatch", NULL);
  g_autofree char *a_dir = g_path_get_dirname (a);
  g_autofree char *base = g_path_get_basename (a);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a_dir, ==, dir);
  g_assert_true (g_str_has_suffix (base, ".db"));
  g_assert_cmpuint (strlen (base), ==, 40 + 3);
  g_assert_cmpuint (strspn (base, "0123456789abcdef"), ==, 40);
}

static void
test_round_trip (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_auto(Picture) p = { 0 };
  g_autoptr(GError) error = NULL;

  make_picture (&p, 60);
  GwTime before = g_get_real_time ();
  g_assert_true (save_sync (cache, &p, 4242, &error));
  g_assert_no_error (error);
  GwTime after = g_get_real_time ();

  g_autofree char *dir = g_path_get_dirname (path);
  g_assert_cmpuint (count_files (dir, ""), ==, 1); /* no temporary left behind */
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600); /* it holds reporters' phone numbers */

  /* A fresh object, as at the next start. */
  g_autoptr(GwSnapshotCache) again = gw_snapshot_cache_new (path);
  g_autoptr(GwCacheSnapshot) snap = load_sync (again, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snap);
  assert_picture (snap, &p);
  g_assert_cmpint (snap->seq, ==, 4242);
  g_assert_cmpstr (snap->source_url, ==, SOURCE_URL);
  g_assert_cmpint (snap->saved_at, >=, before);
  g_assert_cmpint (snap->saved_at, <=, after);

  /* A save replaces the picture completely. */
  g_auto(Picture) smaller = { 0 };
  make_picture (&smaller, 3);
  g_ptr_array_remove_index (smaller.cells, 1);
  g_assert_true (save_sync (cache, &smaller, 4243, &error));
  g_clear_pointer (&snap, gw_cache_snapshot_free);
  snap = load_sync (cache, &error);
  g_assert_no_error (error);
  assert_picture (snap, &smaller);
  g_assert_cmpint (snap->seq, ==, 4243);
}

static void
test_empty_picture (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  gw_snapshot_cache_save_async (cache, NULL, NULL, NULL, NULL, 0, NULL, NULL, on_ready, &wait);
  g_assert_true (gw_snapshot_cache_save_finish (cache, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);

  g_autoptr(GwCacheSnapshot) snap = load_sync (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (snap->cells->len + snap->departments->len + snap->classes->len +
                    snap->incidents->len, ==, 0);
  g_assert_cmpint (snap->seq, ==, 0);
  g_assert_null (snap->source_url);
}

static void
test_missing (void)
{
  g_autofree char *path = cache_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_autoptr(GError) error = NULL;

  g_autoptr(GwCacheSnapshot) snap = load_sync (cache, &error);
  g_assert_null (snap);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  /* Nothing was created, not even the directory. */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* The same with the directory there. */
  g_clear_error (&error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  snap = load_sync (cache, &error);
  g_assert_null (snap);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_files (dir, ""), ==, 0);
}

/* ---- unusable files ---- */

typedef void (*Damage) (const char *path);

static void
write_bytes (const char *path, const void *data, gsize size)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (path, data, (gssize) size, &error));
  g_assert_no_error (error);
}

static void
exec_on (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
damage_random_bytes (const char *path)
{
  g_autofree guint32 *noise = g_new (guint32, 4096);
  for (guint i = 0; i < 4096; i++)
    noise[i] = g_test_rand_int ();
  write_bytes (path, noise, 4096 * sizeof (guint32));
}

static void
damage_empty_file (const char *path)
{
  write_bytes (path, "", 0);
}

static void
damage_text_file (const char *path)
{
  static const char text[] = "{\"items\": []}\n";
  write_bytes (path, text, sizeof text - 1);
}

static void
truncate_to (const char *path, double fraction, goffset minus)
{
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (truncate (path, (off_t) (st.st_size * fraction) - minus), ==, 0);
}

static void
damage_truncate_half (const char *path)
{
  truncate_to (path, 0.5, 0);
}

static void
damage_truncate_tail (const char *path)
{
  truncate_to (path, 1.0, 100);
}

static void
damage_truncate_header (const char *path)
{
  g_assert_cmpint (truncate (path, 60), ==, 0);
}

static void
damage_foreign_db (const char *path)
{
  g_unlink (path);
  exec_on (path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                 "INSERT INTO notes (body) VALUES ('shopping list');");
}

/* Another schema that claims to be ours. */
static void
damage_impostor_db (const char *path)
{
  g_unlink (path);
  exec_on (path, "PRAGMA application_id = 1196901169; PRAGMA user_version = 1;"
                 "CREATE TABLE incidents (json TEXT);"
                 "INSERT INTO incidents VALUES ('{}');");
}

static void
damage_newer_schema (const char *path)
{
  exec_on (path, "PRAGMA user_version = 2");
}

static void
damage_bad_utf8 (const char *path)
{
  exec_on (path, "UPDATE incidents SET title = CAST(x'c328ff' AS TEXT) WHERE rowid = 2");
}

static void
damage_embedded_nul (const char *path)
{
  exec_on (path, "UPDATE cells SET name = CAST(x'41004200' AS TEXT) WHERE rowid = 1");
}

static void
damage_enum_range (const char *path)
{
  exec_on (path, "UPDATE incidents SET stage = 99 WHERE rowid = 3");
}

static void
damage_wrong_type (const char *path)
{
  exec_on (path, "UPDATE incidents SET lon = 'east' WHERE rowid = 4");
}

static void
damage_null_id (const char *path)
{
  /* Copied without its NOT NULL constraint first, as another writer might have made it. */
  exec_on (path, "CREATE TABLE d AS SELECT * FROM departments; DROP TABLE departments;"
                 "ALTER TABLE d RENAME TO departments;"
                 "UPDATE departments SET id = NULL WHERE rowid = 1");
}

static void
damage_timeline_blob (const char *path)
{
  exec_on (path, "UPDATE incidents SET timeline = x'0100000007' WHERE rowid = 5");
}

static void
damage_timeline_count (const char *path)
{
  /* Claims 2^31 events in a short blob. */
  exec_on (path, "UPDATE incidents SET timeline = x'00000080' || substr(timeline, 5)"
                 " WHERE rowid = 8");
}

static void
damage_ring_blob (const char *path)
{
  exec_on (path, "UPDATE cells SET ring = x'0102030405' WHERE rowid = 2");
}

static void
damage_missing_row (const char *path)
{
  exec_on (path, "DELETE FROM incidents WHERE rowid = 6");
}

static void
damage_missing_meta (const char *path)
{
  exec_on (path, "DELETE FROM meta");
}

static void
damage_missing_table (const char *path)
{
  exec_on (path, "DROP TABLE classes");
}

static void
damage_enums (const char *path)
{
  exec_on (path, "UPDATE meta SET enums = 'stage:received,closed,'");
}

static const struct {
  const char *name;
  Damage      damage;
} damages[] = {
  { "random-bytes", damage_random_bytes },
  { "empty-file", damage_empty_file },
  { "text-file", damage_text_file },
  { "truncated-half", damage_truncate_half },
  { "truncated-tail", damage_truncate_tail },
  { "truncated-header", damage_truncate_header },
  { "foreign-db", damage_foreign_db },
  { "impostor-db", damage_impostor_db },
  { "newer-schema", damage_newer_schema },
  { "other-enums", damage_enums },
  { "missing-meta", damage_missing_meta },
  { "missing-table", damage_missing_table },
  { "missing-row", damage_missing_row },
  { "bad-utf8", damage_bad_utf8 },
  { "embedded-nul", damage_embedded_nul },
  { "enum-range", damage_enum_range },
  { "wrong-type", damage_wrong_type },
  { "null-id", damage_null_id },
  { "timeline-blob", damage_timeline_blob },
  { "timeline-count", damage_timeline_count },
  { "ring-blob", damage_ring_blob },
};

static void
check_unusable (gconstpointer data)
{
  Damage damage = damages[GPOINTER_TO_UINT (data)].damage;
  g_autofree char *path = cache_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *aside_prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_autoptr(GError) error = NULL;
  g_auto(Picture) p = { 0 };

  /* A good cache of a few pages, then the damage. */
  make_picture (&p, 200);
  g_assert_true (save_sync (cache, &p, 7, &error));
  g_assert_no_error (error);
  damage (path);

  expected_warning_path = path;
  gint warnings = g_atomic_int_get (&n_set_aside_warnings);
  g_autoptr(GwCacheSnapshot) snap = load_sync (cache, &error);
  expected_warning_path = NULL;

  g_assert_null (snap);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, ".corrupt-"));
  g_assert_cmpint (g_atomic_int_get (&n_set_aside_warnings), ==, warnings + 1);
  /* Set aside, not deleted; the path is free. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir, aside_prefix), ==, 1);

  /* Loading again: simply no cache. */
  g_clear_error (&error);
  snap = load_sync (cache, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* The next save starts afresh. */
  g_clear_error (&error);
  g_auto(Picture) fresh = { 0 };
  make_picture (&fresh, 5);
  g_assert_true (save_sync (cache, &fresh, 8, &error));
  g_assert_no_error (error);
  snap = load_sync (cache, &error);
  g_assert_no_error (error);
  assert_picture (snap, &fresh);
  g_assert_cmpint (snap->seq, ==, 8);
  g_assert_cmpuint (count_files (dir, aside_prefix), ==, 1);
}

/* Random damage anywhere: a load either succeeds or reports bad data; it never crashes
 * (run under ASan). Damage inside text that stays valid UTF-8 cannot be detected. */
static void
test_random_damage (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_auto(Picture) p = { 0 };
  guint n_refused = 0;

  make_picture (&p, 300);
  expected_warning_path = path;
  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize size;

      g_assert_true (save_sync (cache, &p, round, &error));
      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
      /* Leave the header alone, which is checked exactly anyway. */
      for (guint k = 0; k < 1 + round % 8; k++)
        contents[g_test_rand_int_range (100, (gint32) size)] = (char) g_test_rand_int ();
      write_bytes (path, contents, size);

      g_autoptr(GwCacheSnapshot) snap = load_sync (cache, &error);
      if (snap == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
          n_refused++;
        }
    }
  expected_warning_path = NULL;
  g_test_message ("%u of 40 damaged files refused", n_refused);
}

/* ---- saving ---- */

typedef struct {
  GThread *thread;      /* the thread the hook ran in */
  gint     n_writes;
  gboolean hold;        /* block in the hook until released */
  gboolean entered;
  GMutex   lock;
  GCond    cond;
} Hook;

static void
write_hook (GwSnapshotCache *cache, gpointer user_data)
{
  Hook *hook = user_data;
  g_mutex_lock (&hook->lock);
  hook->thread = g_thread_self ();
  hook->n_writes++;
  hook->entered = TRUE;
  g_cond_broadcast (&hook->cond);
  while (hook->hold)
    g_cond_wait (&hook->cond, &hook->lock);
  g_mutex_unlock (&hook->lock);
}

static void
test_save_off_main_thread (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_auto(Picture) p = { 0 };
  g_autoptr(GError) error = NULL;
  Hook hook = { NULL, 0, TRUE, FALSE };
  Wait wait = { NULL };

  g_mutex_init (&hook.lock);
  g_cond_init (&hook.cond);
  gw_snapshot_cache_set_write_hook (cache, write_hook, &hook);
  make_picture (&p, 20);

  /* The call returns while the write is held in the worker. */
  gw_snapshot_cache_save_async (cache, p.cells, p.departments, p.classes, p.incidents, 1,
                                SOURCE_URL, NULL, on_ready, &wait);
  g_mutex_lock (&hook.lock);
  while (!hook.entered)
    g_cond_wait (&hook.cond, &hook.lock);
  g_assert_true (hook.thread != g_thread_self ());
  g_mutex_unlock (&hook.lock);

  /* The main context stays free meanwhile. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (wait.result);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_mutex_lock (&hook.lock);
  hook.hold = FALSE;
  g_cond_broadcast (&hook.cond);
  g_mutex_unlock (&hook.lock);
  g_assert_true (gw_snapshot_cache_save_finish (cache, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_mutex_clear (&hook.lock);
  g_cond_clear (&hook.cond);
}

typedef struct {
  guint order[3];
  guint n_done;
} Coalesce;

typedef struct {
  Coalesce *state;
  guint     index;
} CoalesceCall;

static void
on_coalesced_save (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CoalesceCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_assert_true (gw_snapshot_cache_save_finish (GW_SNAPSHOT_CACHE (source), result, &error));
  g_assert_no_error (error);
  call->state->order[call->state->n_done++] = call->index;
}

static void
test_save_coalescing (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_autoptr(GError) error = NULL;
  Hook hook = { NULL, 0, FALSE, FALSE };
  Coalesce state = { { 0 }, 0 };
  CoalesceCall calls[3];
  Picture pictures[3] = { { 0 } };

  g_mutex_init (&hook.lock);
  g_cond_init (&hook.cond);
  gw_snapshot_cache_set_write_hook (cache, write_hook, &hook);

  for (guint i = 0; i < 3; i++)
    {
      make_picture (&pictures[i], 10 + 10 * i);
      calls[i] = (CoalesceCall) { &state, i };
      gw_snapshot_cache_save_async (cache, pictures[i].cells, pictures[i].departments,
                                    pictures[i].classes, pictures[i].incidents, 100 + i,
                                    SOURCE_URL, NULL, on_coalesced_save, &calls[i]);
      /* The caller's arrays are captured: changing them afterwards changes nothing. */
      g_ptr_array_set_size (pictures[i].incidents, 0);
    }
  while (state.n_done < 3)
    g_main_context_iteration (NULL, TRUE);

  /* The first ran at once; the second was replaced by the third before it started. */
  g_assert_cmpint (hook.n_writes, ==, 2);
  g_assert_cmpuint (state.order[0], ==, 0);
  g_assert_cmpuint (state.order[1], ==, 1);
  g_assert_cmpuint (state.order[2], ==, 2);

  g_auto(Picture) last = { 0 };
  make_picture (&last, 30);
  g_autoptr(GwCacheSnapshot) snap = load_sync (cache, &error);
  g_assert_no_error (error);
  assert_picture (snap, &last);
  g_assert_cmpint (snap->seq, ==, 102);

  for (guint i = 0; i < 3; i++)
    picture_clear (&pictures[i]);
  g_mutex_clear (&hook.lock);
  g_cond_clear (&hook.cond);
}

static void
test_save_failure_keeps_cache (void)
{
  g_autofree char *path = cache_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_autoptr(GError) error = NULL;
  g_auto(Picture) good = { 0 };
  g_auto(Picture) bad = { 0 };

  make_picture (&good, 10);
  g_assert_true (save_sync (cache, &good, 1, &error));

  /* A record the loader would refuse is not written, and the last cache stays. */
  make_picture (&bad, 10);
  GwIncident *broken = g_ptr_array_index (bad.incidents, 4);
  broken->stage = GW_N_STAGES;
  g_assert_false (save_sync (cache, &bad, 2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (count_files (dir, ""), ==, 1);

  g_clear_error (&error);
  g_autoptr(GwCacheSnapshot) snap = load_sync (cache, &error);
  g_assert_no_error (error);
  assert_picture (snap, &good);
  g_assert_cmpint (snap->seq, ==, 1);
}

static void
test_save_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *free_path = cache_path ();
  g_autofree char *file = g_path_get_dirname (free_path);
  g_autofree char *path = g_build_filename (file, "cache.db", NULL);
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_auto(Picture) p = { 0 };

  /* "gridwatch" is a plain file: the directory cannot be made. */
  write_bytes (file, "x", 1);
  make_picture (&p, 3);
  g_assert_false (save_sync (cache, &p, 1, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
}

static void
test_load_cancelled (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GwSnapshotCache) cache = gw_snapshot_cache_new (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Picture) p = { 0 };
  Wait wait = { NULL };

  make_picture (&p, 10);
  g_assert_true (save_sync (cache, &p, 1, &error));

  g_cancellable_cancel (cancellable);
  gw_snapshot_cache_load_async (cache, cancellable, on_ready, &wait);
  g_assert_null (gw_snapshot_cache_load_finish (cache, wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (wait.result);
  /* A cancelled load says nothing about the file: it stays. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{

  g_autoptr(GError) error = NULL;
  test_root = g_dir_make_tmp ("gw-snapshot-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *xdg_cache = g_build_filename (test_root, "xdg-cache", NULL);
  g_setenv ("XDG_CACHE_HOME", xdg_cache, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_default_handler (log_handler, NULL);

  g_test_add_func ("/snapshot-cache/default-path", test_default_path);
  g_test_add_func ("/snapshot-cache/round-trip", test_round_trip);
  g_test_add_func ("/snapshot-cache/empty-picture", test_empty_picture);
  g_test_add_func ("/snapshot-cache/missing", test_missing);
  for (guint i = 0; i < G_N_ELEMENTS (damages); i++)
    {
      g_autofree char *name = g_strconcat ("/snapshot-cache/unusable/", damages[i].name, NULL);
      g_test_add_data_func (name, GUINT_TO_POINTER (i), check_unusable);
    }
  g_test_add_func ("/snapshot-cache/random-damage", test_random_damage);
  g_test_add_func ("/snapshot-cache/save/off-main-thread", test_save_off_main_thread);
  g_test_add_func ("/snapshot-cache/save/coalescing", test_save_coalescing);
  g_test_add_func ("/snapshot-cache/save/failure-keeps-cache", test_save_failure_keeps_cache);
  g_test_add_func ("/snapshot-cache/save/unwritable", test_save_unwritable);
  g_test_add_func ("/snapshot-cache/load/cancelled", test_load_cancelled);

  int status = g_test_run ();
  gw_test_remove_tree (test_root);
  g_free (test_root);
  return status;
}
