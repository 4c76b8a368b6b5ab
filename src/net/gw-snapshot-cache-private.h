/* gw-snapshot-cache-private.h — the snapshot cache's rows, for the cache itself only
 *
 * gw-cache-rows.c owns the schema: the tables, their columns, the blob encodings and
 * what a row must hold to be accepted. gw-snapshot-cache.c owns the file (header check,
 * temporary file, rename, setting aside) and the threads; it sees rows only through
 * these calls, so the column layout lives in one file.
 */
#pragma once

#include <sqlite3.h>

#include "gw-snapshot-cache.h"

G_BEGIN_DECLS

#define GW_CACHE_APPLICATION_ID 0x47574331 /* "GWC1" */
#define GW_CACHE_SCHEMA_VERSION 1

/* The CREATE TABLE statements of an empty cache. */
extern const char gw_cache_schema_sql[];

/* On a load, SQLite saying the file or its schema is wrong means corrupt
 * (G_IO_ERROR_INVALID_DATA); anything else is G_IO_ERROR_FAILED. Return FALSE. */
gboolean gw_cache_set_sqlite_error (GError    **error,
                                    sqlite3    *db,
                                    int         rc,
                                    const char *what);
gboolean gw_cache_set_corrupt      (GError    **error,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (2, 3);

/* Reads the one meta row into @snap (source_url, seq, saved_at) and the row counts of
 * cells, departments, classes and incidents into @counts, checking the enumerations. */
gboolean gw_cache_rows_read_meta   (sqlite3          *db,
                                    GwCacheSnapshot  *snap,
                                    gint64            counts[4],
                                    GError          **error);
/* Reads every table into @snap's arrays; each must hold exactly its count. */
gboolean gw_cache_rows_read        (sqlite3          *db,
                                    const gint64      counts[4],
                                    GwCacheSnapshot  *snap,
                                    GCancellable     *cancellable,
                                    GError          **error);

gboolean gw_cache_rows_write_meta  (sqlite3          *db,
                                    const char       *source_url,
                                    gint64            seq,
                                    GwTime            saved_at,
                                    const GPtrArray  *cells,
                                    const GPtrArray  *departments,
                                    const GPtrArray  *classes,
                                    const GPtrArray  *incidents,
                                    GError          **error);
/* Refuses (G_IO_ERROR_INVALID_ARGUMENT) a record the loader would refuse. */
gboolean gw_cache_rows_write       (sqlite3          *db,
                                    GPtrArray        *cells,
                                    GPtrArray        *departments,
                                    GPtrArray        *classes,
                                    GPtrArray        *incidents,
                                    GError          **error);

G_END_DECLS
