/* gw-dispatch-db.c — the dispatch server's SQLite store */

#include "gw-dispatch-db.h"

#include <string.h>
#include <sqlite3.h>

#include "gw-codec.h"
#include "gw-row-json.h"
#include "gw-workflow.h"

/* 'GWD1': marks our files so a foreign database is refused instead of altered. */
#define GW_APPLICATION_ID 0x47574431

/* One row in this many written directly is also encoded by the codec, to compare. */
#define ROW_CHECK_INTERVAL 1024

/* Schema migrations; user_version counts those applied. Only ever append. */
static const char *migrations[] = {
  /* 1: tables */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "CREATE TABLE cells (code TEXT PRIMARY KEY, json TEXT NOT NULL);"
  "CREATE TABLE departments (id TEXT PRIMARY KEY, json TEXT NOT NULL);"
  "CREATE TABLE classes (code TEXT PRIMARY KEY, json TEXT NOT NULL);"
  "CREATE TABLE incidents (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
  "  stage INTEGER NOT NULL, cell TEXT, department TEXT, received_at INTEGER NOT NULL,"
  "  lon REAL NOT NULL, lat REAL NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE changes (seq INTEGER PRIMARY KEY, incident_id TEXT NOT NULL,"
  "  json TEXT NOT NULL);"
  "INSERT INTO meta (key, value) VALUES ('seq', 0), ('min_seq', 0);",
  /* 2: indexes for the filters the API offers */
  "CREATE INDEX incidents_received ON incidents (received_at);"
  "CREATE INDEX incidents_cell ON incidents (cell);"
  "CREATE INDEX incidents_department ON incidents (department);",
};

enum {
  STMT_GET_META,
  STMT_SET_META,
  STMT_GET_INCIDENT,
  STMT_INSERT_INCIDENT,
  STMT_UPDATE_INCIDENT,
  STMT_INSERT_CHANGE,
  STMT_LIST_INCIDENTS,
  STMT_LIST_CHANGES,
  STMT_PRUNE_CHANGES,
  STMT_COUNT_INCIDENTS,
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  N_STMTS
};

static const char *stmt_sql[N_STMTS] = {
  [STMT_GET_META] = "SELECT value FROM meta WHERE key = ?1",
  [STMT_SET_META] = "UPDATE meta SET value = ?2 WHERE key = ?1",
  [STMT_GET_INCIDENT] = "SELECT json, seq FROM incidents WHERE id = ?1",
  [STMT_INSERT_INCIDENT] =
    "INSERT INTO incidents (id, stage, cell, department, received_at, lon, lat, seq, json)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (id) DO UPDATE SET stage = ?2, cell = ?3, department = ?4,"
    " received_at = ?5, lon = ?6, lat = ?7, seq = ?8, json = ?9",
  [STMT_UPDATE_INCIDENT] =
    "UPDATE incidents SET stage = ?2, cell = ?3, department = ?4, received_at = ?5,"
    " lon = ?6, lat = ?7, seq = ?8, json = ?9 WHERE id = ?1",
  [STMT_INSERT_CHANGE] = "INSERT INTO changes (seq, incident_id, json) VALUES (?1, ?2, ?3)",
  /* One statement for every filter combination: a NULL parameter disables its clause. */
  [STMT_LIST_INCIDENTS] =
    "SELECT rid, json FROM incidents WHERE rid > ?1"
    " AND (?2 = 0 OR ((1 << stage) & ?2) != 0)"
    " AND (?3 IS NULL OR received_at >= ?3) AND (?4 IS NULL OR received_at < ?4)"
    " AND (?5 IS NULL OR cell = ?5) AND (?6 IS NULL OR department = ?6)"
    " AND (?7 IS NULL OR (lon BETWEEN ?7 AND ?9 AND lat BETWEEN ?8 AND ?10))"
    " ORDER BY rid LIMIT ?11",
  [STMT_LIST_CHANGES] = "SELECT seq, json FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
  [STMT_PRUNE_CHANGES] = "DELETE FROM changes WHERE seq <= ?1",
  [STMT_COUNT_INCIDENTS] = "SELECT count(*) FROM incidents",
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
};

typedef struct {
  gint64  seq;
  char   *json;
} PendingChange;

struct _GwDispatchDb {
  GObject       parent_instance;

  sqlite3      *sql;
  sqlite3_stmt *stmts[N_STMTS];

  GPtrArray    *cells;
  GPtrArray    *departments;
  GPtrArray    *classes;
  GHashTable   *class_by_code;  /* borrowed from @classes */
  GHashTable   *department_by_id;
  char         *reference_tag;

  gint64        seq;
  gint64        min_seq;
  gint64        retention;
  guint         batch_depth;
  GArray       *pending;        /* PendingChange, emitted after commit */

  GString      *row;            /* the last row's JSON, reused to spare an allocation */
  guint         n_direct_rows;
  gboolean      direct_rows;    /* cleared if the direct writer ever disagrees */

  GwTime      (*now_func) (gpointer);
  gpointer      now_data;
};

G_DEFINE_FINAL_TYPE (GwDispatchDb, gw_dispatch_db, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (gw-dispatch-db-error-quark, gw_dispatch_db_error)

static gboolean
sql_fail (GwDispatchDb *self,
          GError      **error,
          const char   *what)
{
  g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (self->sql));
  return FALSE;
}

/* Resets a cached statement so the next use starts clean. */
static sqlite3_stmt *
stmt (GwDispatchDb *self,
      guint         which)
{
  sqlite3_stmt *s = self->stmts[which];

  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  return s;
}

/* Steps a statement prepared with stmt() and bound, then resets it. */
static gboolean
exec_stmt (GwDispatchDb *self,
           guint         which,
           GError      **error)
{
  int rc = sqlite3_step (self->stmts[which]);

  sqlite3_reset (self->stmts[which]);
  if (rc != SQLITE_DONE)
    return sql_fail (self, error, stmt_sql[which]);
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *s,
                   int           i,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

static gint64
get_meta (GwDispatchDb *self,
          const char   *key)
{
  sqlite3_stmt *s = stmt (self, STMT_GET_META);
  gint64 value = 0;

  sqlite3_bind_text (s, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return value;
}

static gboolean
set_meta (GwDispatchDb *self,
          const char   *key,
          gint64        value,
          GError      **error)
{
  sqlite3_stmt *s = stmt (self, STMT_SET_META);

  sqlite3_bind_text (s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, value);
  return exec_stmt (self, STMT_SET_META, error);
}

/* Transactions nest by depth: only the outermost one talks to SQLite. */
static gboolean
tx_begin (GwDispatchDb *self,
          GError      **error)
{
  if (self->batch_depth++ > 0)
    return TRUE;
  if (!exec_stmt (self, STMT_BEGIN, error))
    {
      self->batch_depth--;
      return FALSE;
    }
  return TRUE;
}

static void
tx_rollback (GwDispatchDb *self)
{
  g_assert (self->batch_depth > 0);
  if (--self->batch_depth > 0)
    return;
  exec_stmt (self, STMT_ROLLBACK, NULL);
  self->seq = get_meta (self, "seq");
  self->min_seq = get_meta (self, "min_seq");
  for (guint i = 0; i < self->pending->len; i++)
    g_free (g_array_index (self->pending, PendingChange, i).json);
  g_array_set_size (self->pending, 0);
}

static gboolean
tx_commit (GwDispatchDb *self,
           GError      **error)
{
  g_autoptr(GArray) done = NULL;

  g_assert (self->batch_depth > 0);
  if (self->batch_depth > 1)
    {
      self->batch_depth--;
      return TRUE;
    }

  if (!set_meta (self, "seq", self->seq, error) ||
      !set_meta (self, "min_seq", self->min_seq, error) ||
      !exec_stmt (self, STMT_COMMIT, error))
    {
      tx_rollback (self);
      return FALSE;
    }
  self->batch_depth = 0;

  /* Signal only after the commit: listeners may publish, and nothing unstored may leak. */
  done = g_steal_pointer (&self->pending);
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));
  for (guint i = 0; i < done->len; i++)
    {
      PendingChange *pc = &g_array_index (done, PendingChange, i);
      g_signal_emit (self, signals[CHANGED], 0, pc->seq, pc->json);
      g_free (pc->json);
    }
  return TRUE;
}

static void
prune_changes (GwDispatchDb *self)
{
  gint64 keep_from = self->seq - self->retention;
  sqlite3_stmt *s;

  /* Prune in steps so one write does not pay for a long backlog. */
  if (keep_from <= self->min_seq + MAX (1, self->retention / 16))
    return;

  s = stmt (self, STMT_PRUNE_CHANGES);
  sqlite3_bind_int64 (s, 1, keep_from);
  if (exec_stmt (self, STMT_PRUNE_CHANGES, NULL))
    self->min_seq = keep_from;
}

/* @incident's row JSON, valid until the next call. Encoding through a JsonNode tree
 * was most of a back-fill's time, so rows are written directly (gw-row-json.c); the
 * codec stays the reference: it writes what the direct writer declines, and a sample
 * of rows to prove the two still agree. */
static const char *
incident_row_json (GwDispatchDb     *self,
                   const GwIncident *incident)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *reference = NULL;
  gboolean direct;

  g_string_truncate (self->row, 0);
  direct = self->direct_rows && gw_row_json_incident (self->row, incident, TRUE);
  if (direct && self->n_direct_rows++ % ROW_CHECK_INTERVAL != 0)
    return self->row->str;

  node = gw_incident_to_json (incident, TRUE);
  reference = gw_json_to_string (node);
  if (direct && strcmp (reference, self->row->str) != 0)
    {
      g_critical ("Direct JSON of incident %s differs from the codec's; using the codec",
                  incident->id);
      self->direct_rows = FALSE;
    }
  g_string_assign (self->row, reference);
  return self->row->str;
}

/* Writes @incident's row; with @log, also its change entry under a new seq. */
static gboolean
store_incident (GwDispatchDb *self,
                GwIncident   *incident,
                gboolean      log,
                GError      **error)
{
  const char *json;
  sqlite3_stmt *s;

  incident->seq = ++self->seq;
  json = incident_row_json (self, incident);

  s = stmt (self, STMT_INSERT_INCIDENT);
  sqlite3_bind_text (s, 1, incident->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 2, incident->stage);
  bind_text_or_null (s, 3, incident->cell_code);
  bind_text_or_null (s, 4, incident->department);
  sqlite3_bind_int64 (s, 5, incident->received_at);
  sqlite3_bind_double (s, 6, incident->lon);
  sqlite3_bind_double (s, 7, incident->lat);
  sqlite3_bind_int64 (s, 8, incident->seq);
  sqlite3_bind_text (s, 9, json, -1, SQLITE_STATIC);
  if (!exec_stmt (self, STMT_INSERT_INCIDENT, error))
    return FALSE;

  if (log)
    {
      g_autoptr(JsonNode) change = gw_change_to_json_full (incident->seq, incident, TRUE);
      PendingChange pc = { incident->seq, gw_json_to_string (change) };

      s = stmt (self, STMT_INSERT_CHANGE);
      sqlite3_bind_int64 (s, 1, pc.seq);
      sqlite3_bind_text (s, 2, incident->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, pc.json, -1, SQLITE_STATIC);
      if (!exec_stmt (self, STMT_INSERT_CHANGE, error))
        {
          g_free (pc.json);
          return FALSE;
        }
      g_array_append_val (self->pending, pc);
      prune_changes (self);
    }
  else
    {
      /* A write outside the feed: nobody can replay past it. */
      self->min_seq = self->seq;
    }
  return TRUE;
}

/* store_incident() in its own transaction (or the caller's batch). */
static gboolean
store_committed (GwDispatchDb *self,
                 GwIncident   *incident,
                 gboolean      log,
                 GError      **error)
{
  if (!tx_begin (self, error))
    return FALSE;
  if (!store_incident (self, incident, log, error) || !tx_commit (self, error))
    {
      if (self->batch_depth > 0)
        tx_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
load_reference (GwDispatchDb  *self,
                const char    *table,
                gpointer     (*decode) (JsonNode *, GError **),
                GDestroyNotify free_func,
                GChecksum     *tag,
                GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  g_autofree char *sql = g_strdup_printf ("SELECT json FROM %s ORDER BY rowid", table);
  sqlite3_stmt *s = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->sql, sql, -1, &s, NULL) != SQLITE_OK)
    {
      sql_fail (self, error, sql);
      return NULL;
    }
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *json = (const char *) sqlite3_column_text (s, 0);
      g_autoptr(JsonNode) node = gw_json_parse (json, -1, error);
      gpointer item;

      if (node == NULL || (item = decode (node, error)) == NULL)
        {
          g_prefix_error (error, "stored %s: ", table);
          sqlite3_finalize (s);
          return NULL;
        }
      g_checksum_update (tag, (const guchar *) json, -1);
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (s);
  if (rc != SQLITE_DONE)
    {
      sql_fail (self, error, sql);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
reload_reference (GwDispatchDb *self,
                  GError      **error)
{
  g_autoptr(GChecksum) tag = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) classes = NULL;

  if (!(cells = load_reference (self, "cells", (gpointer) gw_cell_from_json,
                                (GDestroyNotify) gw_cell_unref, tag, error)) ||
      !(departments = load_reference (self, "departments", (gpointer) gw_department_from_json,
                                      (GDestroyNotify) gw_department_unref, tag, error)) ||
      !(classes = load_reference (self, "classes", (gpointer) gw_incident_class_from_json,
                                  (GDestroyNotify) gw_incident_class_unref, tag, error)))
    return FALSE;

  g_hash_table_remove_all (self->class_by_code);
  for (guint i = 0; i < classes->len; i++)
    {
      GwIncidentClass *klass = g_ptr_array_index (classes, i);
      g_hash_table_insert (self->class_by_code, klass->code, klass);
    }
  g_hash_table_remove_all (self->department_by_id);
  for (guint i = 0; i < departments->len; i++)
    {
      GwDepartment *dept = g_ptr_array_index (departments, i);
      g_hash_table_insert (self->department_by_id, dept->id, dept);
    }

  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  self->cells = g_steal_pointer (&cells);
  self->departments = g_steal_pointer (&departments);
  self->classes = g_steal_pointer (&classes);
  g_free (self->reference_tag);
  self->reference_tag = g_strndup (g_checksum_get_string (tag), 20);
  return TRUE;
}

static gboolean
migrate (GwDispatchDb *self,
         GError      **error)
{
  sqlite3_stmt *s;
  int app_id = 0, version = 0;
  gboolean empty;

  sqlite3_prepare_v2 (self->sql, "PRAGMA application_id", -1, &s, NULL);
  if (sqlite3_step (s) == SQLITE_ROW)
    app_id = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);
  sqlite3_prepare_v2 (self->sql, "PRAGMA user_version", -1, &s, NULL);
  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);
  sqlite3_prepare_v2 (self->sql, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);
  empty = sqlite3_step (s) == SQLITE_ROW && sqlite3_column_int (s, 0) == 0;
  sqlite3_finalize (s);

  if (app_id != GW_APPLICATION_ID && !(app_id == 0 && empty))
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_SCHEMA,
                   "not a Gridwatch dispatch database");
      return FALSE;
    }
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_SCHEMA,
                   "database schema %d is newer than this server (%u)",
                   version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (int v = version; v < (int) G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s;"
                                              " PRAGMA application_id = %d;"
                                              " PRAGMA user_version = %d; COMMIT;",
                                              migrations[v], GW_APPLICATION_ID, v + 1);
      char *msg = NULL;

      if (sqlite3_exec (self->sql, sql, NULL, NULL, &msg) != SQLITE_OK)
        {
          g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_FAILED,
                       "migration to schema %d failed: %s", v + 1, msg);
          sqlite3_free (msg);
          sqlite3_exec (self->sql, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

GwDispatchDb *
gw_dispatch_db_open (const char  *path,
                     GError     **error)
{
  g_autoptr(GwDispatchDb) self = g_object_new (GW_TYPE_DISPATCH_DB, NULL);
  char *msg = NULL;

  if (sqlite3_open_v2 (path, &self->sql,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_FAILED,
                   "cannot open %s: %s", path,
                   self->sql ? sqlite3_errmsg (self->sql) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->sql, 5000);

  /* WAL with synchronous=NORMAL: a commit survives a crash of this process. */
  if (sqlite3_exec (self->sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_SCHEMA,
                   "%s: %s", path, msg);
      sqlite3_free (msg);
      return NULL;
    }

  if (!migrate (self, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  for (guint i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (self->sql, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &self->stmts[i], NULL) != SQLITE_OK)
      {
        sql_fail (self, error, stmt_sql[i]);
        return NULL;
      }

  self->seq = get_meta (self, "seq");
  self->min_seq = get_meta (self, "min_seq");
  if (!reload_reference (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
gw_dispatch_db_close (GwDispatchDb *self)
{
  g_return_if_fail (GW_IS_DISPATCH_DB (self));

  if (self->sql == NULL)
    return;
  while (self->batch_depth > 0)
    tx_rollback (self);
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  /* Fold the WAL back so the file is complete on its own. */
  sqlite3_exec (self->sql, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  g_clear_pointer (&self->sql, sqlite3_close);
}

static GwTime
real_now (gpointer data)
{
  return gw_time_now ();
}

GwTime
gw_dispatch_db_now (GwDispatchDb *self)
{
  return self->now_func (self->now_data);
}

void
gw_dispatch_db_set_clock (GwDispatchDb *self,
                          GwTime      (*now_func) (gpointer),
                          gpointer      user_data)
{
  self->now_func = now_func ? now_func : real_now;
  self->now_data = now_func ? user_data : NULL;
}

static gboolean
replace_table (GwDispatchDb *self,
               const char   *table,
               const char   *key_column,
               GPtrArray    *items,
               const char *(*key) (gpointer),
               JsonNode   *(*encode) (gconstpointer),
               GError      **error)
{
  g_autofree char *del = g_strdup_printf ("DELETE FROM %s", table);
  g_autofree char *ins = g_strdup_printf ("INSERT INTO %s (%s, json) VALUES (?1, ?2)",
                                          table, key_column);
  sqlite3_stmt *s = NULL;

  if (sqlite3_exec (self->sql, del, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->sql, ins, -1, &s, NULL) != SQLITE_OK)
    return sql_fail (self, error, table);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      g_autoptr(JsonNode) node = encode (item);
      g_autofree char *json = gw_json_to_string (node);

      sqlite3_reset (s);
      sqlite3_bind_text (s, 1, key (item), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (s, 2, json, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (s) != SQLITE_DONE)
        {
          sql_fail (self, error, table);
          sqlite3_finalize (s);
          return FALSE;
        }
    }
  sqlite3_finalize (s);
  return TRUE;
}

static const char *cell_key (gpointer p) { return ((GwCell *) p)->code; }
static const char *department_key (gpointer p) { return ((GwDepartment *) p)->id; }
static const char *class_key (gpointer p) { return ((GwIncidentClass *) p)->code; }

gboolean
gw_dispatch_db_replace_reference (GwDispatchDb *self,
                                  GPtrArray    *cells,
                                  GPtrArray    *departments,
                                  GPtrArray    *classes,
                                  GError      **error)
{
  g_return_val_if_fail (GW_IS_DISPATCH_DB (self), FALSE);

  if (!tx_begin (self, error))
    return FALSE;
  if (!replace_table (self, "cells", "code", cells, cell_key,
                      (gpointer) gw_cell_to_json, error) ||
      !replace_table (self, "departments", "id", departments, department_key,
                      (gpointer) gw_department_to_json, error) ||
      !replace_table (self, "classes", "code", classes, class_key,
                      (gpointer) gw_incident_class_to_json, error) ||
      !tx_commit (self, error))
    {
      if (self->batch_depth > 0)
        tx_rollback (self);
      return FALSE;
    }
  return reload_reference (self, error);
}

GPtrArray *
gw_dispatch_db_get_cells (GwDispatchDb *self)
{
  return g_ptr_array_ref (self->cells);
}

GPtrArray *
gw_dispatch_db_get_departments (GwDispatchDb *self)
{
  return g_ptr_array_ref (self->departments);
}

GPtrArray *
gw_dispatch_db_get_classes (GwDispatchDb *self)
{
  return g_ptr_array_ref (self->classes);
}

gboolean
gw_dispatch_db_has_reference (GwDispatchDb *self)
{
  return self->classes->len > 0 && self->departments->len > 0;
}

const char *
gw_dispatch_db_get_reference_tag (GwDispatchDb *self)
{
  return self->reference_tag;
}

static const char *
find_cell (GwDispatchDb *self,
           double        lon,
           double        lat)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (self->cells, i);
      if (gw_cell_contains (cell, lon, lat))
        return cell->code;
    }
  return NULL;
}

static GwIncident *
load_incident (GwDispatchDb *self,
               const char   *id,
               GError      **error)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  GwIncident *incident;
  gint64 seq;

  if (!(json = gw_dispatch_db_get_incident_json (self, id, &seq)))
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_NOT_FOUND,
                   "no incident '%s'", id);
      return NULL;
    }
  if (!(node = gw_json_parse (json, -1, error)) ||
      !(incident = gw_incident_from_json (node, error)))
    {
      g_prefix_error (error, "stored incident '%s': ", id);
      return NULL;
    }
  return incident;
}

/* What a reporter chose; the rest is derived, so a re-post compares only this. */
static gboolean
same_report (const GwIncident *stored,
             const GwIncident *report)
{
  return g_strcmp0 (stored->title, report->title) == 0 &&
         g_strcmp0 (stored->description, report->description) == 0 &&
         g_strcmp0 (stored->class_code, report->class_code) == 0 &&
         stored->source == report->source &&
         (report->priority == GW_PRIORITY_DEFAULT || stored->priority == report->priority) &&
         stored->lon == report->lon && stored->lat == report->lat &&
         g_strcmp0 (stored->address, report->address) == 0 &&
         (report->received_at == GW_TIME_NONE || stored->received_at == report->received_at) &&
         g_strcmp0 (stored->reporter_name, report->reporter_name) == 0 &&
         g_strcmp0 (stored->reporter_phone, report->reporter_phone) == 0;
}

GwIncident *
gw_dispatch_db_report (GwDispatchDb     *self,
                       const GwIncident *report,
                       gboolean         *duplicate,
                       GError          **error)
{
  g_autoptr(GwIncident) incident = NULL;
  g_autoptr(GwStageEvent) received = NULL;
  GwIncidentClass *klass;

  g_return_val_if_fail (GW_IS_DISPATCH_DB (self), NULL);

  *duplicate = FALSE;
  if (report->id != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GwIncident) stored = load_incident (self, report->id, &local_error);

      if (stored != NULL)
        {
          if (!same_report (stored, report))
            {
              g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_EXISTS,
                           "id: incident '%s' exists with other content", report->id);
              return NULL;
            }
          *duplicate = TRUE;
          return g_steal_pointer (&stored);
        }
      if (!g_error_matches (local_error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (!(klass = g_hash_table_lookup (self->class_by_code, report->class_code)))
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_INVALID,
                   "class: unknown class '%s'", report->class_code);
      return NULL;
    }

  incident = gw_incident_copy (report);
  if (incident->received_at == GW_TIME_NONE)
    incident->received_at = gw_dispatch_db_now (self);
  if (incident->id == NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (incident->received_at / G_USEC_PER_SEC);
      g_autofree char *day = g_date_time_format (dt, "%Y%m%d");
      incident->id = g_strdup_printf ("GW%s-%06" G_GINT64_FORMAT, day, self->seq + 1);
    }
  if (incident->priority == GW_PRIORITY_DEFAULT)
    incident->priority = klass->priority;
  g_clear_pointer (&incident->cell_code, g_free);
  incident->cell_code = g_strdup (find_cell (self, incident->lon, incident->lat));
  incident->deadline = incident->received_at + klass->deadline_hours * GW_USEC_PER_HOUR;
  incident->updated_at = incident->received_at;
  g_ptr_array_set_size (incident->timeline, 0);

  received = gw_stage_event_new ();
  received->id = g_strdup_printf ("%s-received", incident->id);
  received->stage = GW_STAGE_RECEIVED;
  received->time = incident->received_at;
  received->actor = g_strdup (gw_source_to_string (incident->source));
  if (!gw_incident_apply_event (incident, received, error))
    return NULL;
  /* The class's department is the default owner until a dispatch says otherwise. */
  g_free (incident->department);
  incident->department = g_strdup (klass->department);

  if (!store_committed (self, incident, TRUE, error))
    return NULL;
  return g_steal_pointer (&incident);
}

GwIncident *
gw_dispatch_db_add_event (GwDispatchDb       *self,
                          const char         *incident_id,
                          const GwStageEvent *event,
                          gboolean           *duplicate,
                          GError            **error)
{
  g_autoptr(GwIncident) incident = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GW_IS_DISPATCH_DB (self), NULL);

  *duplicate = FALSE;
  if (!(incident = load_incident (self, incident_id, error)))
    return NULL;

  if (event->department != NULL &&
      !g_hash_table_contains (self->department_by_id, event->department))
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_INVALID,
                   "department: unknown department '%s'", event->department);
      return NULL;
    }

  if (!gw_incident_apply_event (incident, event, &local_error))
    {
      if (g_error_matches (local_error, GW_WORKFLOW_ERROR, GW_WORKFLOW_ERROR_DUPLICATE))
        {
          *duplicate = TRUE;
          return g_steal_pointer (&incident);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!store_committed (self, incident, TRUE, error))
    return NULL;
  return g_steal_pointer (&incident);
}

gboolean
gw_dispatch_db_import (GwDispatchDb *self,
                       GwIncident   *incident,
                       GError      **error)
{
  g_return_val_if_fail (GW_IS_DISPATCH_DB (self), FALSE);

  return store_committed (self, incident, FALSE, error);
}

void
gw_dispatch_db_begin (GwDispatchDb *self)
{
  g_autoptr(GError) error = NULL;

  if (!tx_begin (self, &error))
    g_critical ("Cannot begin a transaction: %s", error->message);
}

gboolean
gw_dispatch_db_commit (GwDispatchDb *self,
                       GError      **error)
{
  return tx_commit (self, error);
}

char *
gw_dispatch_db_get_incident_json (GwDispatchDb *self,
                                  const char   *id,
                                  gint64       *seq)
{
  sqlite3_stmt *s = stmt (self, STMT_GET_INCIDENT);
  char *json = NULL;

  sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      json = g_strdup ((const char *) sqlite3_column_text (s, 0));
      if (seq)
        *seq = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return json;
}

GwIncident *
gw_dispatch_db_get_incident (GwDispatchDb *self,
                             const char   *id)
{
  return load_incident (self, id, NULL);
}

gint64
gw_dispatch_db_list_incidents (GwDispatchDb           *self,
                               const GwIncidentFilter *filter,
                               gint64                  after_rowid,
                               guint                   limit,
                               GString                *out,
                               gboolean               *more,
                               GError                **error)
{
  sqlite3_stmt *s = stmt (self, STMT_LIST_INCIDENTS);
  gint64 last = 0;
  guint n = 0;
  int rc;

  sqlite3_bind_int64 (s, 1, after_rowid);
  sqlite3_bind_int64 (s, 2, filter->statuses);
  if (filter->from != GW_TIME_NONE)
    sqlite3_bind_int64 (s, 3, filter->from);
  if (filter->to != GW_TIME_NONE)
    sqlite3_bind_int64 (s, 4, filter->to);
  bind_text_or_null (s, 5, filter->cell);
  bind_text_or_null (s, 6, filter->department);
  if (filter->has_bbox)
    {
      sqlite3_bind_double (s, 7, filter->min_lon);
      sqlite3_bind_double (s, 8, filter->min_lat);
      sqlite3_bind_double (s, 9, filter->max_lon);
      sqlite3_bind_double (s, 10, filter->max_lat);
    }
  /* One extra row tells whether another page exists. */
  sqlite3_bind_int64 (s, 11, (gint64) limit + 1);

  *more = FALSE;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          *more = TRUE;
          break;
        }
      if (n++ > 0)
        g_string_append_c (out, ',');
      g_string_append_len (out, (const char *) sqlite3_column_text (s, 1),
                           sqlite3_column_bytes (s, 1));
      last = sqlite3_column_int64 (s, 0);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sql_fail (self, error, "listing incidents");
      return 0;
    }
  return last;
}

gint64
gw_dispatch_db_get_seq (GwDispatchDb *self)
{
  return self->seq;
}

gint64
gw_dispatch_db_get_min_seq (GwDispatchDb *self)
{
  return self->min_seq;
}

gint64
gw_dispatch_db_foreach_change (GwDispatchDb *self,
                               gint64        since,
                               guint         limit,
                               GwChangeFunc  func,
                               gpointer      user_data,
                               GError      **error)
{
  sqlite3_stmt *s;
  gint64 last = since;
  int rc;

  if (since < self->min_seq)
    {
      g_set_error (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_GONE,
                   "since: changes up to %" G_GINT64_FORMAT " are no longer kept;"
                   " take a new snapshot", self->min_seq);
      return since;
    }

  s = stmt (self, STMT_LIST_CHANGES);
  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int64 (s, 2, limit);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      last = sqlite3_column_int64 (s, 0);
      func (last, (const char *) sqlite3_column_text (s, 1), user_data);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      sql_fail (self, error, "listing changes");
      return since;
    }
  return last;
}

typedef struct {
  GString *out;
  guint    n;
} ListClosure;

static void
append_change (gint64      seq,
               const char *json,
               gpointer    user_data)
{
  ListClosure *lc = user_data;

  if (lc->n++ > 0)
    g_string_append_c (lc->out, ',');
  g_string_append (lc->out, json);
}

gint64
gw_dispatch_db_list_changes (GwDispatchDb *self,
                             gint64        since,
                             guint         limit,
                             GString      *out,
                             guint        *n_out,
                             GError      **error)
{
  ListClosure lc = { out, 0 };
  gint64 last = gw_dispatch_db_foreach_change (self, since, limit, append_change, &lc, error);

  *n_out = lc.n;
  return last;
}

void
gw_dispatch_db_set_retention (GwDispatchDb *self,
                              gint64        n)
{
  self->retention = MAX (n, 1);
}

guint
gw_dispatch_db_count_incidents (GwDispatchDb *self)
{
  sqlite3_stmt *s = stmt (self, STMT_COUNT_INCIDENTS);
  guint n = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int (s, 0);
  sqlite3_reset (s);
  return n;
}

void
gw_incident_filter_clear (GwIncidentFilter *filter)
{
  g_clear_pointer (&filter->cell, g_free);
  g_clear_pointer (&filter->department, g_free);
  memset (filter, 0, sizeof *filter);
}

static void
gw_dispatch_db_finalize (GObject *object)
{
  GwDispatchDb *self = (GwDispatchDb *) object;

  gw_dispatch_db_close (self);
  g_clear_pointer (&self->class_by_code, g_hash_table_unref);
  g_clear_pointer (&self->department_by_id, g_hash_table_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->reference_tag, g_free);
  g_clear_pointer (&self->pending, g_array_unref);
  g_string_free (self->row, TRUE);

  G_OBJECT_CLASS (gw_dispatch_db_parent_class)->finalize (object);
}

static void
gw_dispatch_db_class_init (GwDispatchDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gw_dispatch_db_finalize;

  /**
   * GwDispatchDb::changed:
   * @seq: the change's sequence number
   * @json: the change as feed JSON
   *
   * Emitted for each logged change, after its transaction committed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_INT64, G_TYPE_STRING);
}

static void
gw_dispatch_db_init (GwDispatchDb *self)
{
  self->class_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->department_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->cells = g_ptr_array_new ();
  self->departments = g_ptr_array_new ();
  self->classes = g_ptr_array_new ();
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));
  self->row = g_string_sized_new (4096);
  self->direct_rows = TRUE;
  self->retention = 100000;
  self->now_func = real_now;
}
