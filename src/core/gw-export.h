/* gw-export.h — every case with its names and timeline, as CSV or JSON
 *
 * CSV is UTF-8 with a byte-order mark so that Excel opens Chinese text correctly.
 */
#pragma once

#include "gw-store.h"

G_BEGIN_DECLS

typedef enum {
  GW_EXPORT_CSV,
  GW_EXPORT_JSON,
} GwExportFormat;

/* From the file name's extension (.csv or .json); FALSE for anything else. */
gboolean gw_export_format_for_path (const char      *path,
                                    GwExportFormat  *format);
/* The store's cases sorted by received time (then id), rendered in @format. */
GBytes  *gw_export_cases           (GwStore         *store,
                                    GwExportFormat   format,
                                    GwTime           now);
/* The same over a snapshot, safe in a worker thread: @incidents (GwIncident*, sorted here
 * by received time), names from the reference arrays (each may be NULL). */
GBytes  *gw_export_incidents       (GPtrArray       *incidents,
                                    GPtrArray       *cells,
                                    GPtrArray       *departments,
                                    GPtrArray       *classes,
                                    GwExportFormat   format,
                                    GwTime           now);

G_END_DECLS
