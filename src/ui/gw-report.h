/* gw-report.h — the response statistics as a printable PDF (A4)
 *
 * For a shift hand-over or a month: a title with the street's name, the range and the
 * evaluation time; headline figures (received, closed, 结案率, 按期结案率, late now,
 * 综合评分) of the total row; the league table ranked by composite score; bars of the
 * score per group, received and closed cases over time, the distribution of received →
 * closed durations; and the cases late now, most overdue first. Pages are numbered
 * "n / m"; the late list flows over as many pages as it needs.
 *
 * Drawn with cairo and pango only (no widgets, no display): the CLI writes it headless.
 * Text is set in "Noto Sans CJK SC" so that Chinese renders the same everywhere.
 *
 * The figures are gw_metrics_compute()'s for the query, so they equal the statistics CSV
 * of the same query and evaluation instant. Everything after the snapshot of the store
 * (computing, drawing, writing) runs in a GTask worker thread: the main loop never waits.
 * The file is replaced atomically: a failed write leaves an existing file as it was.
 */
#pragma once

#include <gio/gio.h>

#include "gw-metrics.h"
#include "gw-store.h"

G_BEGIN_DECLS

/* Snapshots @store's cases and reference data now (on the calling thread), then
 * computes, draws and writes @path in a worker thread. @query: range, grouping (BY_NONE
 * is taken as by department), weights and evaluation instant; its reference arrays are
 * ignored (the store's are used). @street_name: the title's name of the street; NULL or
 * "" names it by the cells' street code. */
void     gw_report_write_async  (GwStore              *store,
                                 const GwMetricsQuery *query,
                                 const char           *street_name,
                                 const char           *path,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
/* The number of pages written, or 0 with @error set. */
guint    gw_report_write_finish (GAsyncResult         *result,
                                 GError              **error);

G_END_DECLS
