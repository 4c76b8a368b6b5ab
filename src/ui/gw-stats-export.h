/* gw-stats-export.h — the statistics view's exports: table CSV, cases CSV, PDF report
 *
 * gw_stats_export_attach() puts an "Export" menu button on the view's toolbar and the
 * "stats-export" action group on the view:
 *   stats-export.table   "Export Table as CSV…": the current grouping's figures, as
 *                        `gridwatch --export-stats` writes them (gw-metrics-csv, BOM);
 *   stats-export.cases   "Export Cases as CSV…": the cases received in the current range
 *                        (gw-export; a name ending in .json gives JSON);
 *   stats-export.report  "Report as PDF…": gw-report over the current range and grouping.
 * Each asks for a file with a GtkFileChooserNative, then writes in a worker thread; the
 * figures are the table's (same query, same evaluation instant). Failures are shown in a
 * dialog and leave an existing file untouched.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-stats-view.h"

G_BEGIN_DECLS

typedef enum {
  GW_STATS_EXPORT_TABLE,
  GW_STATS_EXPORT_CASES,
  GW_STATS_EXPORT_REPORT,
} GwStatsExportKind;

void     gw_stats_export_attach       (GwStatsView        *view,
                                       GtkBox             *toolbar);

/* What an action does once it has a file (tests call it directly). Fails when nothing
 * has been computed yet. */
void     gw_stats_export_write_async  (GwStatsView        *view,
                                       GwStatsExportKind   kind,
                                       GFile              *file,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean gw_stats_export_write_finish (GAsyncResult       *result,
                                       GError            **error);

G_END_DECLS
