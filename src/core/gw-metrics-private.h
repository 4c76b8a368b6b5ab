/* gw-metrics-private.h — shared by the files of the metrics engine only
 *
 * gw-metrics-columns.c: the column descriptions, group-by names and query defaults.
 * gw-metrics-case.c: one case evaluated as of now into a fixed-size record.
 * gw-metrics.c: the grouping and aggregation of those records, over worker threads.
 * gw-metrics-result.c: the result object, its accessors and the drill-down.
 */
#pragma once

#include "gw-metrics.h"

G_BEGIN_DECLS

/* What a case can be, one bit each in GwMetricsRec.flags. */
typedef enum {
  GW_METRICS_F_CLOSED,
  GW_METRICS_F_DUE_CLOSE,
  GW_METRICS_F_CLOSED_ON_TIME,
  GW_METRICS_F_DUE_HANDLE,
  GW_METRICS_F_HANDLED_ON_TIME,
  GW_METRICS_F_REWORKED_DUE,
  GW_METRICS_F_EXTENDED,
  GW_METRICS_F_OPEN,
  GW_METRICS_F_LATE,
  GW_METRICS_F_NO_DEADLINE,
  GW_METRICS_F_DEADLINE_ASSUMED,
  GW_METRICS_F_VISITED,
  GW_METRICS_F_CONTACTED,
  GW_METRICS_F_RESOLVED,
  GW_METRICS_F_SATISFIED,
  GW_METRICS_F_BASIC,
  GW_METRICS_N_FLAGS
} GwMetricsFlag;

#define GW_METRICS_BIT(f) (1u << (f))

/* The count column of each flag. */
extern const GwMetricsColumn gw_metrics_flag_column[GW_METRICS_N_FLAGS];

/* One case in range, as of now. Fixed size, so the hot loop allocates nothing. */
typedef struct {
  guint32 index;  /* into the incidents array */
  guint32 group;
  guint32 flags;
  guint32 stage;
  GwTime  deadline;                     /* in force at now, GW_TIME_NONE: none */
  gint64  dur[GW_METRICS_N_DURATIONS];  /* µs; -1: did not contribute */
} GwMetricsRec;

/* What every case is evaluated against. */
typedef struct {
  GwTime      now;
  GwTime      due_limit;         /* min (to, now) */
  GHashTable *class_hours;       /* code → GINT_TO_POINTER (hours), or NULL */
  GwTime      default_deadline;  /* µs, 0: none */
} GwMetricsCaseRules;

/* Fills @r's flags, stage, deadline and durations (not its index or group). */
void gw_metrics_case_evaluate (const GwMetricsCaseRules *rules,
                               const GwIncident         *inc,
                               GwMetricsRec             *r);

struct _GwMetricsResult {
  gatomicrefcount ref_count;
  GwMetricsQuery  query;      /* arrays referenced */
  GPtrArray      *incidents;
  GwMetricsRec   *recs;
  guint           n_recs;
  guint           n_rows;     /* groups + the total row */
  char          **keys;
  char          **labels;
  double         *values;     /* n_rows × GW_METRICS_N_COLUMNS */
};

/* The query's arrays (cells, departments, classes): a reference each, or none. */
void gw_metrics_query_ref_arrays   (GwMetricsQuery *query);
void gw_metrics_query_unref_arrays (GwMetricsQuery *query);

G_END_DECLS
