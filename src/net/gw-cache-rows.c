/* gw-cache-rows.c — the snapshot cache's tables: schema, row encoding and validation
 *
 * Layout: one row per record with a column per field, enums as integers, a cell's ring
 * as a blob of little-endian doubles and an incident's timeline as one compact blob.
 * JSON rows through the wire codecs were measured at ~1.3 s to decode 20,000 incidents
 * (and the strict codecs could refuse data the model holds), against a budget of well
 * under 300 ms; typed columns load the same picture in a small fraction of that.
 *
 * The loader checks types, ranges, UTF-8 and counts rather than the wire rules: it must
 * accept anything a save of a model object wrote, and refuse anything that could not be
 * such a save.
 */
#include "gw-snapshot-cache-private.h"

#include <math.h>
#include <string.h>

#include "gw-enums.h"

#define NO_STRING G_MAXUINT32 /* length marker of a NULL string in a blob */

/* ---- enum fingerprint -------------------------------------------------------------- */

/* Enums are stored as integers; the wire names in order are stored with them, so a
 * build whose enums were renumbered refuses the file instead of misreading it. */
static char *
enum_fingerprint (void)
{
  GString *s = g_string_new ("stage:");
  for (int i = 0; i < GW_N_STAGES; i++)
    g_string_append_printf (s, "%s,", gw_stage_to_string (i));
  g_string_append (s, ";source:");
  for (int i = 0; i < GW_N_SOURCES; i++)
    g_string_append_printf (s, "%s,", gw_source_to_string (i));
  g_string_append (s, ";priority:");
  for (int i = 0; i < GW_N_PRIORITIES; i++)
    g_string_append_printf (s, "%s,", gw_priority_to_string (i));
  g_string_append (s, ";kind:");
  for (int i = 0; i < GW_N_CLASS_KINDS; i++)
    g_string_append_printf (s, "%s,", gw_class_kind_to_string (i));
  g_string_append (s, ";satisfaction:");
  for (int i = 0; i < GW_N_SATISFACTIONS; i++)
    g_string_append_printf (s, "%s,", i == GW_SATISFACTION_NONE ? "none" : gw_satisfaction_to_string (i));
  return g_string_free (s, FALSE);
}

/* ---- schema ------------------------------------------------------------------------ */

const char gw_cache_schema_sql[] =
  "CREATE TABLE meta (source_url TEXT, seq INTEGER NOT NULL, saved_at INTEGER NOT NULL,"
  " enums TEXT NOT NULL, n_cells INTEGER NOT NULL, n_departments INTEGER NOT NULL,"
  " n_classes INTEGER NOT NULL, n_incidents INTEGER NOT NULL);"
  "CREATE TABLE cells (code TEXT NOT NULL, name TEXT, community TEXT, worker_name TEXT,"
  " worker_phone TEXT, party_branch TEXT, ring BLOB NOT NULL);"
  "CREATE TABLE departments (id TEXT NOT NULL, name TEXT, phone TEXT,"
  " dispatch_minutes INTEGER NOT NULL, handle_hours INTEGER NOT NULL);"
  "CREATE TABLE classes (code TEXT NOT NULL, name TEXT, category TEXT, kind INTEGER NOT NULL,"
  " department TEXT, deadline_hours INTEGER NOT NULL, priority INTEGER NOT NULL);"
  "CREATE TABLE incidents (id TEXT NOT NULL, title TEXT, description TEXT, class TEXT,"
  " source INTEGER NOT NULL, priority INTEGER NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL,"
  " address TEXT, cell TEXT, department TEXT, stage INTEGER NOT NULL,"
  " received_at INTEGER NOT NULL, deadline INTEGER NOT NULL, closed_at INTEGER NOT NULL,"
  " updated_at INTEGER NOT NULL, seq INTEGER NOT NULL, reporter_name TEXT,"
  " reporter_phone TEXT, visit INTEGER NOT NULL, satisfaction INTEGER NOT NULL,"
  " timeline BLOB NOT NULL);";

/* Column lists shared by the INSERTs and the SELECTs, so their orders cannot drift. */
#define META_COLUMNS \
  "source_url, seq, saved_at, enums, n_cells, n_departments, n_classes, n_incidents"
#define CELL_COLUMNS "code, name, community, worker_name, worker_phone, party_branch, ring"
#define DEPARTMENT_COLUMNS "id, name, phone, dispatch_minutes, handle_hours"
#define CLASS_COLUMNS "code, name, category, kind, department, deadline_hours, priority"
#define INCIDENT_COLUMNS \
  "id, title, description, class, source, priority, lon, lat, address, cell, department," \
  " stage, received_at, deadline, closed_at, updated_at, seq, reporter_name,"             \
  " reporter_phone, visit, satisfaction, timeline"

enum { M_SOURCE_URL, M_SEQ, M_SAVED_AT, M_ENUMS, M_N_CELLS, M_N_DEPARTMENTS, M_N_CLASSES,
       M_N_INCIDENTS };
enum { C_CODE, C_NAME, C_COMMUNITY, C_WORKER_NAME, C_WORKER_PHONE, C_PARTY_BRANCH, C_RING };
enum { D_ID, D_NAME, D_PHONE, D_DISPATCH_MINUTES, D_HANDLE_HOURS };
enum { K_CODE, K_NAME, K_CATEGORY, K_KIND, K_DEPARTMENT, K_DEADLINE_HOURS, K_PRIORITY };
enum { I_ID, I_TITLE, I_DESCRIPTION, I_CLASS, I_SOURCE, I_PRIORITY, I_LON, I_LAT, I_ADDRESS,
       I_CELL, I_DEPARTMENT, I_STAGE, I_RECEIVED_AT, I_DEADLINE, I_CLOSED_AT, I_UPDATED_AT,
       I_SEQ, I_REPORTER_NAME, I_REPORTER_PHONE, I_VISIT, I_SATISFACTION, I_TIMELINE };

/* Bits of incidents.visit. */
#define VISIT_MADE      1
#define VISIT_CONTACTED 2
#define VISIT_RESOLVED  4

/* ---- errors ------------------------------------------------------------------------ */

/* On a load, SQLite saying the file or its schema is wrong means corrupt
 * (G_IO_ERROR_INVALID_DATA: set aside); anything else (I/O, memory, locks) is trouble
 * that says nothing about the file, which is left alone. */
gboolean
gw_cache_set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what)
{
  int primary = rc & 0xff;
  gboolean corrupt = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
                     primary == SQLITE_ERROR || primary == SQLITE_SCHEMA ||
                     primary == SQLITE_MISMATCH || primary == SQLITE_FORMAT;
  g_set_error (error, G_IO_ERROR, corrupt ? G_IO_ERROR_INVALID_DATA : G_IO_ERROR_FAILED,
               "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

gboolean
gw_cache_set_corrupt (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  return FALSE;
}

static gboolean
bad_column (GError **error, sqlite3_stmt *stmt, const char *table, gint64 row, int column)
{
  return gw_cache_set_corrupt (error, "%s row %" G_GINT64_FORMAT ": bad value in column %s",
                               table, row + 1, sqlite3_column_name (stmt, column));
}

/* ---- timeline blob ----------------------------------------------------------------- */

/* u32 count, then per event: u8 stage, i64 time, i64 deadline, then the strings id,
 * actor, department, note, each a u32 byte length (NO_STRING for NULL) and the bytes.
 * Little-endian throughout. */
#define EVENT_MIN_SIZE (1 + 8 + 8 + 4 * 4)

static void
put_u32 (GByteArray *b, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_i64 (GByteArray *b, gint64 v)
{
  guint64 u = GUINT64_TO_LE ((guint64) v);
  g_byte_array_append (b, (const guint8 *) &u, 8);
}

static void
put_string (GByteArray *b, const char *s)
{
  if (s == NULL)
    {
      put_u32 (b, NO_STRING);
      return;
    }
  gsize n = strlen (s);
  put_u32 (b, (guint32) n);
  g_byte_array_append (b, (const guint8 *) s, (guint) n);
}

static void
encode_timeline (GByteArray *b, const GPtrArray *timeline)
{
  g_byte_array_set_size (b, 0);
  put_u32 (b, timeline->len);
  for (guint i = 0; i < timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (timeline, i);
      guint8 stage = (guint8) ev->stage;
      g_byte_array_append (b, &stage, 1);
      put_i64 (b, ev->time);
      put_i64 (b, ev->deadline);
      put_string (b, ev->id);
      put_string (b, ev->actor);
      put_string (b, ev->department);
      put_string (b, ev->note);
    }
}

typedef struct {
  const guint8 *p;
  const guint8 *end;
} Cursor;

static gboolean
get_u32 (Cursor *c, guint32 *out)
{
  if (c->end - c->p < 4)
    return FALSE;
  memcpy (out, c->p, 4);
  *out = GUINT32_FROM_LE (*out);
  c->p += 4;
  return TRUE;
}

static gboolean
get_i64 (Cursor *c, gint64 *out)
{
  guint64 u;
  if (c->end - c->p < 8)
    return FALSE;
  memcpy (&u, c->p, 8);
  *out = (gint64) GUINT64_FROM_LE (u);
  c->p += 8;
  return TRUE;
}

static gboolean
get_string (Cursor *c, char **out)
{
  guint32 n;
  if (!get_u32 (c, &n))
    return FALSE;
  if (n == NO_STRING)
    return TRUE;
  /* g_utf8_validate_len() also refuses NUL bytes, which a C string could not hold. */
  if ((gsize) (c->end - c->p) < n || !g_utf8_validate_len ((const char *) c->p, n, NULL))
    return FALSE;
  *out = g_strndup ((const char *) c->p, n);
  c->p += n;
  return TRUE;
}

static gboolean
decode_timeline (const guint8 *data, gsize size, GPtrArray *timeline)
{
  Cursor c = { data, data + size };
  guint32 n;
  if (!get_u32 (&c, &n) || n > size / EVENT_MIN_SIZE)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      GwStageEvent *ev = gw_stage_event_new ();
      g_ptr_array_add (timeline, ev);
      if (c.p == c.end || *c.p >= GW_N_STAGES)
        return FALSE;
      ev->stage = *c.p++;
      if (!get_i64 (&c, &ev->time) || !get_i64 (&c, &ev->deadline) ||
          !get_string (&c, &ev->id) || !get_string (&c, &ev->actor) ||
          !get_string (&c, &ev->department) || !get_string (&c, &ev->note))
        return FALSE;
    }
  return c.p == c.end;
}

/* ---- typed column readers ---------------------------------------------------------- */

static gboolean
col_text (sqlite3_stmt *stmt, int col, gboolean required, char **out)
{
  switch (sqlite3_column_type (stmt, col))
    {
    case SQLITE_NULL:
      return !required;
    case SQLITE_TEXT:
      {
        const char *text = (const char *) sqlite3_column_text (stmt, col);
        int n = sqlite3_column_bytes (stmt, col);
        if (text == NULL || !g_utf8_validate_len (text, n, NULL))
          return FALSE;
        *out = g_strndup (text, n);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static gboolean
col_int (sqlite3_stmt *stmt, int col, gint64 min, gint64 max, gint64 *out)
{
  if (sqlite3_column_type (stmt, col) != SQLITE_INTEGER)
    return FALSE;
  *out = sqlite3_column_int64 (stmt, col);
  return *out >= min && *out <= max;
}

/* Enums and C ints go through a gint64 so a bad value never reaches the field. */
#define COL_INT(stmt, col, min, max, lvalue)                              \
  ({ gint64 v_; gboolean ok_ = col_int (stmt, col, min, max, &v_);        \
     if (ok_) lvalue = v_;                                                \
     ok_; })

static gboolean
col_double (sqlite3_stmt *stmt, int col, double limit, double *out)
{
  int type = sqlite3_column_type (stmt, col);
  if (type != SQLITE_FLOAT && type != SQLITE_INTEGER)
    return FALSE;
  *out = sqlite3_column_double (stmt, col);
  return isfinite (*out) && fabs (*out) <= limit;
}

/* ---- decoding rows ----------------------------------------------------------------- */

typedef struct {
  sqlite3      *db;
  GCancellable *cancellable;
} Loader;

/* Runs "SELECT @columns FROM @table" and hands each row to @decode; the number of rows
 * must be @expected. */
typedef gpointer (*RowDecoder) (sqlite3_stmt *stmt, gint64 row, GError **error);

static gboolean
load_table (Loader      *loader,
            const char  *table,
            const char  *columns,
            RowDecoder   decode,
            gint64       expected,
            GPtrArray   *out,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s", columns, table);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (loader->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return gw_cache_set_sqlite_error (error, loader->db, rc, table);

  gboolean ok = TRUE;
  gint64 row = 0;
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if ((row & 1023) == 0 && g_cancellable_set_error_if_cancelled (loader->cancellable, error))
        ok = FALSE;
      else if (row >= expected)
        ok = gw_cache_set_corrupt (error, "%s: more rows than the %" G_GINT64_FORMAT " recorded",
                                   table, expected);
      else
        {
          gpointer item = decode (stmt, row, error);
          if (item != NULL)
            g_ptr_array_add (out, item);
          else
            ok = FALSE;
        }
      row++;
    }
  if (ok && rc != SQLITE_DONE)
    ok = gw_cache_set_sqlite_error (error, loader->db, rc, table);
  else if (ok && row != expected)
    ok = gw_cache_set_corrupt (error, "%s: %" G_GINT64_FORMAT " rows, %" G_GINT64_FORMAT
                               " recorded", table, row, expected);
  sqlite3_finalize (stmt);
  return ok;
}

static gpointer
decode_cell (sqlite3_stmt *stmt, gint64 row, GError **error)
{
  g_autoptr(GwCell) cell = gw_cell_new ();
  int bad = -1;

  if (!col_text (stmt, C_CODE, TRUE, &cell->code))
    bad = C_CODE;
  else if (!col_text (stmt, C_NAME, FALSE, &cell->name))
    bad = C_NAME;
  else if (!col_text (stmt, C_COMMUNITY, FALSE, &cell->community))
    bad = C_COMMUNITY;
  else if (!col_text (stmt, C_WORKER_NAME, FALSE, &cell->worker_name))
    bad = C_WORKER_NAME;
  else if (!col_text (stmt, C_WORKER_PHONE, FALSE, &cell->worker_phone))
    bad = C_WORKER_PHONE;
  else if (!col_text (stmt, C_PARTY_BRANCH, FALSE, &cell->party_branch))
    bad = C_PARTY_BRANCH;
  else if (sqlite3_column_type (stmt, C_RING) != SQLITE_BLOB)
    bad = C_RING;
  else
    {
      const guint8 *data = sqlite3_column_blob (stmt, C_RING);
      gsize size = (gsize) sqlite3_column_bytes (stmt, C_RING);
      gsize n = size / (2 * sizeof (double));
      if (size % (2 * sizeof (double)) != 0)
        bad = C_RING;
      else if (n > 0)
        {
          /* The ring was written closed, so set_ring keeps it as it is. */
          g_autofree double *lonlat = g_new (double, 2 * n);
          for (gsize i = 0; i < 2 * n && bad < 0; i++)
            {
              guint64 u;
              memcpy (&u, data + 8 * i, 8);
              u = GUINT64_FROM_LE (u);
              memcpy (&lonlat[i], &u, 8);
              if (!isfinite (lonlat[i]) || fabs (lonlat[i]) > 180)
                bad = C_RING;
            }
          if (bad < 0)
            gw_cell_set_ring (cell, lonlat, (guint) n);
        }
    }
  if (bad >= 0)
    {
      bad_column (error, stmt, "cells", row, bad);
      return NULL;
    }
  return g_steal_pointer (&cell);
}

static gpointer
decode_department (sqlite3_stmt *stmt, gint64 row, GError **error)
{
  g_autoptr(GwDepartment) dep = gw_department_new ();
  int bad = -1;

  if (!col_text (stmt, D_ID, TRUE, &dep->id))
    bad = D_ID;
  else if (!col_text (stmt, D_NAME, FALSE, &dep->name))
    bad = D_NAME;
  else if (!col_text (stmt, D_PHONE, FALSE, &dep->phone))
    bad = D_PHONE;
  else if (!COL_INT (stmt, D_DISPATCH_MINUTES, G_MININT, G_MAXINT, dep->dispatch_minutes))
    bad = D_DISPATCH_MINUTES;
  else if (!COL_INT (stmt, D_HANDLE_HOURS, G_MININT, G_MAXINT, dep->handle_hours))
    bad = D_HANDLE_HOURS;
  if (bad >= 0)
    {
      bad_column (error, stmt, "departments", row, bad);
      return NULL;
    }
  return g_steal_pointer (&dep);
}

static gpointer
decode_class (sqlite3_stmt *stmt, gint64 row, GError **error)
{
  g_autoptr(GwIncidentClass) klass = gw_incident_class_new ();
  int bad = -1;

  if (!col_text (stmt, K_CODE, TRUE, &klass->code))
    bad = K_CODE;
  else if (!col_text (stmt, K_NAME, FALSE, &klass->name))
    bad = K_NAME;
  else if (!col_text (stmt, K_CATEGORY, FALSE, &klass->category))
    bad = K_CATEGORY;
  else if (!COL_INT (stmt, K_KIND, 0, GW_N_CLASS_KINDS - 1, klass->kind))
    bad = K_KIND;
  else if (!col_text (stmt, K_DEPARTMENT, FALSE, &klass->department))
    bad = K_DEPARTMENT;
  else if (!COL_INT (stmt, K_DEADLINE_HOURS, G_MININT, G_MAXINT, klass->deadline_hours))
    bad = K_DEADLINE_HOURS;
  else if (!COL_INT (stmt, K_PRIORITY, 0, GW_N_PRIORITIES - 1, klass->priority))
    bad = K_PRIORITY;
  if (bad >= 0)
    {
      bad_column (error, stmt, "classes", row, bad);
      return NULL;
    }
  return g_steal_pointer (&klass);
}

static gpointer
decode_incident (sqlite3_stmt *stmt, gint64 row, GError **error)
{
  g_autoptr(GwIncident) inc = gw_incident_new ();
  gint64 visit = 0;
  int bad = -1;

  if (!col_text (stmt, I_ID, TRUE, &inc->id))
    bad = I_ID;
  else if (!col_text (stmt, I_TITLE, FALSE, &inc->title))
    bad = I_TITLE;
  else if (!col_text (stmt, I_DESCRIPTION, FALSE, &inc->description))
    bad = I_DESCRIPTION;
  else if (!col_text (stmt, I_CLASS, FALSE, &inc->class_code))
    bad = I_CLASS;
  else if (!COL_INT (stmt, I_SOURCE, 0, GW_N_SOURCES - 1, inc->source))
    bad = I_SOURCE;
  else if (!COL_INT (stmt, I_PRIORITY, 0, GW_N_PRIORITIES - 1, inc->priority))
    bad = I_PRIORITY;
  else if (!col_double (stmt, I_LON, 180, &inc->lon))
    bad = I_LON;
  else if (!col_double (stmt, I_LAT, 90, &inc->lat))
    bad = I_LAT;
  else if (!col_text (stmt, I_ADDRESS, FALSE, &inc->address))
    bad = I_ADDRESS;
  else if (!col_text (stmt, I_CELL, FALSE, &inc->cell_code))
    bad = I_CELL;
  else if (!col_text (stmt, I_DEPARTMENT, FALSE, &inc->department))
    bad = I_DEPARTMENT;
  else if (!COL_INT (stmt, I_STAGE, 0, GW_N_STAGES - 1, inc->stage))
    bad = I_STAGE;
  else if (!col_int (stmt, I_RECEIVED_AT, G_MININT64, G_MAXINT64, &inc->received_at))
    bad = I_RECEIVED_AT;
  else if (!col_int (stmt, I_DEADLINE, G_MININT64, G_MAXINT64, &inc->deadline))
    bad = I_DEADLINE;
  else if (!col_int (stmt, I_CLOSED_AT, G_MININT64, G_MAXINT64, &inc->closed_at))
    bad = I_CLOSED_AT;
  else if (!col_int (stmt, I_UPDATED_AT, G_MININT64, G_MAXINT64, &inc->updated_at))
    bad = I_UPDATED_AT;
  else if (!col_int (stmt, I_SEQ, G_MININT64, G_MAXINT64, &inc->seq))
    bad = I_SEQ;
  else if (!col_text (stmt, I_REPORTER_NAME, FALSE, &inc->reporter_name))
    bad = I_REPORTER_NAME;
  else if (!col_text (stmt, I_REPORTER_PHONE, FALSE, &inc->reporter_phone))
    bad = I_REPORTER_PHONE;
  else if (!col_int (stmt, I_VISIT, 0, VISIT_MADE | VISIT_CONTACTED | VISIT_RESOLVED, &visit))
    bad = I_VISIT;
  else if (!COL_INT (stmt, I_SATISFACTION, 0, GW_N_SATISFACTIONS - 1, inc->satisfaction))
    bad = I_SATISFACTION;
  else if (sqlite3_column_type (stmt, I_TIMELINE) != SQLITE_BLOB ||
           !decode_timeline (sqlite3_column_blob (stmt, I_TIMELINE),
                             (gsize) sqlite3_column_bytes (stmt, I_TIMELINE),
                             inc->timeline))
    bad = I_TIMELINE;
  if (bad >= 0)
    {
      bad_column (error, stmt, "incidents", row, bad);
      return NULL;
    }
  inc->visited = (visit & VISIT_MADE) != 0;
  inc->visit_contacted = (visit & VISIT_CONTACTED) != 0;
  inc->visit_resolved = (visit & VISIT_RESOLVED) != 0;
  return g_steal_pointer (&inc);
}

/* ---- reading the tables ------------------------------------------------------------ */

gboolean
gw_cache_rows_read_meta (sqlite3          *db,
                         GwCacheSnapshot  *snap,
                         gint64            counts[4],
                         GError          **error)
{
  gboolean ok = FALSE;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "SELECT " META_COLUMNS " FROM meta", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    gw_cache_set_sqlite_error (error, db, rc, "meta");
  else if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        gw_cache_set_corrupt (error, "meta: no row");
      else
        gw_cache_set_sqlite_error (error, db, rc, "meta");
    }
  else
    {
      g_autofree char *enums = NULL;
      g_autofree char *expected_enums = enum_fingerprint ();
      int bad = -1;
      if (!col_text (stmt, M_SOURCE_URL, FALSE, &snap->source_url))
        bad = M_SOURCE_URL;
      else if (!col_int (stmt, M_SEQ, G_MININT64, G_MAXINT64, &snap->seq))
        bad = M_SEQ;
      else if (!col_int (stmt, M_SAVED_AT, G_MININT64, G_MAXINT64, &snap->saved_at))
        bad = M_SAVED_AT;
      else if (!col_text (stmt, M_ENUMS, TRUE, &enums))
        bad = M_ENUMS;
      for (int i = 0; bad < 0 && i < 4; i++)
        if (!col_int (stmt, M_N_CELLS + i, 0, G_MAXUINT32, &counts[i]))
          bad = M_N_CELLS + i;

      if (bad >= 0)
        bad_column (error, stmt, "meta", 0, bad);
      else if (strcmp (enums, expected_enums) != 0)
        gw_cache_set_corrupt (error, "written by a build with other enumerations");
      else if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        {
          if (rc == SQLITE_ROW)
            gw_cache_set_corrupt (error, "meta: more than one row");
          else
            gw_cache_set_sqlite_error (error, db, rc, "meta");
        }
      else
        ok = TRUE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
gw_cache_rows_read (sqlite3          *db,
                    const gint64      counts[4],
                    GwCacheSnapshot  *snap,
                    GCancellable     *cancellable,
                    GError          **error)
{
  Loader loader = { db, cancellable };

  return load_table (&loader, "cells", CELL_COLUMNS, decode_cell, counts[0],
                     snap->cells, error) &&
         load_table (&loader, "departments", DEPARTMENT_COLUMNS, decode_department,
                     counts[1], snap->departments, error) &&
         load_table (&loader, "classes", CLASS_COLUMNS, decode_class, counts[2],
                     snap->classes, error) &&
         load_table (&loader, "incidents", INCIDENT_COLUMNS, decode_incident, counts[3],
                     snap->incidents, error);
}
/* ---- writing the tables ------------------------------------------------------------ */

static void
bind_text (sqlite3_stmt *stmt, int col, const char *text)
{
  /* The strings belong to immutable records the job holds: no copy needed. */
  if (text != NULL)
    sqlite3_bind_text (stmt, col + 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, col + 1);
}

static gboolean
step_insert (sqlite3 *db, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare_insert (sqlite3 *db, const char *table, const char *columns, int n_columns,
                GError **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  g_string_printf (sql, "INSERT INTO %s (%s) VALUES (?", table, columns);
  for (int i = 1; i < n_columns; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", table, sqlite3_errmsg (db));
      return NULL;
    }
  return stmt;
}

static gboolean
write_cells (sqlite3 *db, GPtrArray *cells, GError **error)
{
  sqlite3_stmt *stmt = prepare_insert (db, "cells", CELL_COLUMNS, C_RING + 1, error);
  g_autoptr(GByteArray) ring = g_byte_array_new ();
  gboolean ok = stmt != NULL;

  for (guint i = 0; ok && i < cells->len; i++)
    {
      const GwCell *cell = g_ptr_array_index (cells, i);
      g_byte_array_set_size (ring, 0);
      for (guint k = 0; k < 2 * cell->n_points; k++)
        {
          gint64 bits;
          memcpy (&bits, &cell->ring[k], 8);
          put_i64 (ring, bits);
        }
      bind_text (stmt, C_CODE, cell->code);
      bind_text (stmt, C_NAME, cell->name);
      bind_text (stmt, C_COMMUNITY, cell->community);
      bind_text (stmt, C_WORKER_NAME, cell->worker_name);
      bind_text (stmt, C_WORKER_PHONE, cell->worker_phone);
      bind_text (stmt, C_PARTY_BRANCH, cell->party_branch);
      /* A non-NULL pointer so that an empty ring is an empty blob, not NULL. */
      sqlite3_bind_blob (stmt, C_RING + 1, ring->len > 0 ? ring->data : (const guint8 *) "",
                         (int) ring->len, SQLITE_STATIC);
      ok = step_insert (db, stmt, error);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
write_departments (sqlite3 *db, GPtrArray *departments, GError **error)
{
  sqlite3_stmt *stmt = prepare_insert (db, "departments", DEPARTMENT_COLUMNS,
                                       D_HANDLE_HOURS + 1, error);
  gboolean ok = stmt != NULL;

  for (guint i = 0; ok && i < departments->len; i++)
    {
      const GwDepartment *dep = g_ptr_array_index (departments, i);
      bind_text (stmt, D_ID, dep->id);
      bind_text (stmt, D_NAME, dep->name);
      bind_text (stmt, D_PHONE, dep->phone);
      sqlite3_bind_int (stmt, D_DISPATCH_MINUTES + 1, dep->dispatch_minutes);
      sqlite3_bind_int (stmt, D_HANDLE_HOURS + 1, dep->handle_hours);
      ok = step_insert (db, stmt, error);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
write_classes (sqlite3 *db, GPtrArray *classes, GError **error)
{
  sqlite3_stmt *stmt = prepare_insert (db, "classes", CLASS_COLUMNS, K_PRIORITY + 1, error);
  gboolean ok = stmt != NULL;

  for (guint i = 0; ok && i < classes->len; i++)
    {
      const GwIncidentClass *klass = g_ptr_array_index (classes, i);
      if ((guint) klass->kind >= GW_N_CLASS_KINDS || (guint) klass->priority >= GW_N_PRIORITIES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "class %s: enumeration out of range", klass->code);
          ok = FALSE;
          break;
        }
      bind_text (stmt, K_CODE, klass->code);
      bind_text (stmt, K_NAME, klass->name);
      bind_text (stmt, K_CATEGORY, klass->category);
      sqlite3_bind_int (stmt, K_KIND + 1, klass->kind);
      bind_text (stmt, K_DEPARTMENT, klass->department);
      sqlite3_bind_int (stmt, K_DEADLINE_HOURS + 1, klass->deadline_hours);
      sqlite3_bind_int (stmt, K_PRIORITY + 1, klass->priority);
      ok = step_insert (db, stmt, error);
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* What the loader would refuse must not be written, or one bad record would cost the
 * whole cache on the next start. */
static gboolean
incident_is_storable (const GwIncident *inc)
{
  if ((guint) inc->source >= GW_N_SOURCES || (guint) inc->priority >= GW_N_PRIORITIES ||
      (guint) inc->stage >= GW_N_STAGES || (guint) inc->satisfaction >= GW_N_SATISFACTIONS ||
      !isfinite (inc->lon) || fabs (inc->lon) > 180 ||
      !isfinite (inc->lat) || fabs (inc->lat) > 90)
    return FALSE;
  for (guint i = 0; i < inc->timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (inc->timeline, i);
      if ((guint) ev->stage >= GW_N_STAGES)
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_incidents (sqlite3 *db, GPtrArray *incidents, GError **error)
{
  sqlite3_stmt *stmt = prepare_insert (db, "incidents", INCIDENT_COLUMNS, I_TIMELINE + 1, error);
  g_autoptr(GByteArray) timeline = g_byte_array_new ();
  gboolean ok = stmt != NULL;

  for (guint i = 0; ok && i < incidents->len; i++)
    {
      const GwIncident *inc = g_ptr_array_index (incidents, i);
      if (!incident_is_storable (inc))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "incident %s: value out of range", inc->id);
          ok = FALSE;
          break;
        }
      encode_timeline (timeline, inc->timeline);
      bind_text (stmt, I_ID, inc->id);
      bind_text (stmt, I_TITLE, inc->title);
      bind_text (stmt, I_DESCRIPTION, inc->description);
      bind_text (stmt, I_CLASS, inc->class_code);
      sqlite3_bind_int (stmt, I_SOURCE + 1, inc->source);
      sqlite3_bind_int (stmt, I_PRIORITY + 1, inc->priority);
      sqlite3_bind_double (stmt, I_LON + 1, inc->lon);
      sqlite3_bind_double (stmt, I_LAT + 1, inc->lat);
      bind_text (stmt, I_ADDRESS, inc->address);
      bind_text (stmt, I_CELL, inc->cell_code);
      bind_text (stmt, I_DEPARTMENT, inc->department);
      sqlite3_bind_int (stmt, I_STAGE + 1, inc->stage);
      sqlite3_bind_int64 (stmt, I_RECEIVED_AT + 1, inc->received_at);
      sqlite3_bind_int64 (stmt, I_DEADLINE + 1, inc->deadline);
      sqlite3_bind_int64 (stmt, I_CLOSED_AT + 1, inc->closed_at);
      sqlite3_bind_int64 (stmt, I_UPDATED_AT + 1, inc->updated_at);
      sqlite3_bind_int64 (stmt, I_SEQ + 1, inc->seq);
      bind_text (stmt, I_REPORTER_NAME, inc->reporter_name);
      bind_text (stmt, I_REPORTER_PHONE, inc->reporter_phone);
      sqlite3_bind_int (stmt, I_VISIT + 1,
                        (inc->visited ? VISIT_MADE : 0) |
                        (inc->visit_contacted ? VISIT_CONTACTED : 0) |
                        (inc->visit_resolved ? VISIT_RESOLVED : 0));
      sqlite3_bind_int (stmt, I_SATISFACTION + 1, inc->satisfaction);
      sqlite3_bind_blob (stmt, I_TIMELINE + 1, timeline->data, (int) timeline->len,
                         SQLITE_STATIC);
      ok = step_insert (db, stmt, error);
    }
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
gw_cache_rows_write_meta (sqlite3          *db,
                          const char       *source_url,
                          gint64            seq,
                          GwTime            saved_at,
                          const GPtrArray  *cells,
                          const GPtrArray  *departments,
                          const GPtrArray  *classes,
                          const GPtrArray  *incidents,
                          GError          **error)
{
  g_autofree char *enums = enum_fingerprint ();
  g_autoptr(GString) sql = g_string_new ("INSERT INTO meta (" META_COLUMNS ") VALUES (?");
  sqlite3_stmt *meta = NULL;
  gboolean ok;

  for (int i = M_SOURCE_URL + 1; i <= M_N_INCIDENTS; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  ok = sqlite3_prepare_v2 (db, sql->str, -1, &meta, NULL) == SQLITE_OK;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "meta: %s", sqlite3_errmsg (db));
  if (ok)
    {
      bind_text (meta, M_SOURCE_URL, source_url);
      sqlite3_bind_int64 (meta, M_SEQ + 1, seq);
      sqlite3_bind_int64 (meta, M_SAVED_AT + 1, saved_at);
      bind_text (meta, M_ENUMS, enums);
      sqlite3_bind_int64 (meta, M_N_CELLS + 1, cells->len);
      sqlite3_bind_int64 (meta, M_N_DEPARTMENTS + 1, departments->len);
      sqlite3_bind_int64 (meta, M_N_CLASSES + 1, classes->len);
      sqlite3_bind_int64 (meta, M_N_INCIDENTS + 1, incidents->len);
      ok = step_insert (db, meta, error);
    }
  sqlite3_finalize (meta);
  return ok;
}

gboolean
gw_cache_rows_write (sqlite3    *db,
                     GPtrArray  *cells,
                     GPtrArray  *departments,
                     GPtrArray  *classes,
                     GPtrArray  *incidents,
                     GError    **error)
{
  return write_cells (db, cells, error) &&
         write_departments (db, departments, error) &&
         write_classes (db, classes, error) &&
         write_incidents (db, incidents, error);
}
