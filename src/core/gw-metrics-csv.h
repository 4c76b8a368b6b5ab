/* gw-metrics-csv.h — metrics tables as CSV
 *
 * UTF-8 with a byte-order mark (so Excel opens Chinese text correctly), RFC 4180: CRLF
 * line ends, a field quoted when it holds a comma, a quote, CR or LF, quotes doubled.
 * The header names each figure as "<id> (<中文名>[ unit])", e.g. "closure_rate (结案率 %)";
 * the id is gw_metrics_column_info()->id. Rates are written as percentages with two
 * decimals, durations in seconds (median and p90 exactly, the mean to 0.1 s), scores with
 * two decimals; an undefined figure is an empty field.
 */
#pragma once

#include "gw-metrics.h"

G_BEGIN_DECLS

/* Any table (the case export too): a new buffer holding the BOM, then rows appended
 * one at a time. */
GString *gw_metrics_csv_new          (void);
void     gw_metrics_csv_append_field (GString            *out,
                                      const char         *value,  /* NULL: empty */
                                      gboolean            last);
void     gw_metrics_csv_append_row   (GString            *out,
                                      const char * const *fields,
                                      guint               n_fields);

/* The header cell of a column, and a figure as the CSV writes it ("" when undefined). */
char    *gw_metrics_csv_header       (GwMetricsColumn     column);
char    *gw_metrics_csv_format       (GwMetricsColumn     column,
                                      double              value);

/* The whole result: group_by, key, label, every column, then from, to and now
 * (RFC 3339, empty for an open end); one line per row, the total row last. */
GBytes  *gw_metrics_csv_export       (GwMetricsResult    *result);

/* The cases behind one figure (drill-down), one line per case: id, title, department,
 * cell, class, stage at now, received_at, deadline in force, whether it was assumed,
 * closed_at, the engine's flags, and the five durations in seconds. */
GBytes  *gw_metrics_csv_export_cases (GwMetricsResult    *result,
                                      guint               row,
                                      GwMetricsColumn     column);

/* Writes gw_metrics_csv_export() to @path. */
gboolean gw_metrics_csv_write_file   (GwMetricsResult    *result,
                                      const char         *path,
                                      GError            **error);

G_END_DECLS
