/* gw-metrics.h — performance figures of cases, grouped, over a time range
 *
 * The metrics engine: pure, thread-safe, GLib/GIO only. It reads an array of
 * GwIncident* (immutable once shared, so a worker thread may read them while the main
 * thread replaces the store's pointers) and returns a table: one row per group plus a
 * total row, one column per figure. Every count can be traced back to the cases behind
 * it with gw_metrics_cases_for().
 *
 * Definitions (the README's "Metrics" section says the same at more length; the tooltip
 * text of each column is gw_metrics_column_info()->description):
 *
 * Evaluation instant. Everything is evaluated as of query->now ("now"): timeline events
 * later than now are ignored, as if they had not happened yet. The default is the
 * current time; setting now = to gives a report that no later event changes.
 *
 * Cases in range. received_at ∈ [from, to). GW_TIME_NONE for from or to leaves that end
 * open. A case received before `from` that is still open, or closes inside the range,
 * belongs to the range it was received in, not to this one. Every figure of a row is
 * over that row's cases in range.
 *
 * Per case, from its timeline up to now (events are in time order):
 *  - stage: the stage of the last event at or before now (the case's own stage when the
 *    timeline is empty);
 *  - closed: that stage is closed or evaluated; closed_at is the time of the last
 *    "closed" event (an appeal or rework after a close reopens the case);
 *  - deadline in force: the deadline set by the last event at or before now that set
 *    one (dispatch, extension); when no event anywhere in the timeline sets one, the
 *    case's own deadline; when that is unknown too, received_at + the class's
 *    deadline_hours (query->classes), else received_at + query->default_deadline_hours
 *    (> 0) — such a deadline is "assumed" and counted in DEADLINE_ASSUMED; else the
 *    case has no deadline (NO_DEADLINE);
 *  - dispatched / on site / reported done: the first event of that stage;
 *  - handled: the first "reported_done" after the last "rework" (the first one when there
 *    was no rework); a rework with no report since leaves the case unhandled;
 *  - reworked: any "rework" event; extended: any "extended" event.
 *
 * Counts and rates (a rate is undefined — NaN, an empty CSV field — when its denominator
 * is 0; rates are fractions in [0, 1]; the CSV writes them as percentages):
 *  - DUE_TO_CLOSE (应结案数): cases that are closed, or whose deadline ≤ min(to, now);
 *    a case with no deadline is due only once closed;
 *  - CLOSURE_RATE 结案率 = CLOSED / DUE_TO_CLOSE (every closed case is due);
 *  - ON_TIME_CLOSURE_RATE 按期结案率 = CLOSED_ON_TIME / DUE_TO_CLOSE, on time meaning
 *    closed_at ≤ the deadline in force (extensions count); a case without a deadline is
 *    never "on time";
 *  - DUE_TO_HANDLE (应处置数): dispatched cases that are handled, or whose deadline ≤
 *    min(to, now); ON_TIME_HANDLING_RATE 按时处置率 = HANDLED_ON_TIME / DUE_TO_HANDLE,
 *    handled on time meaning handled at or before the deadline in force;
 *  - REWORK_RATE 返工率 = REWORKED / DUE_TO_CLOSE, where REWORKED counts the reworked cases
 *    among DUE_TO_CLOSE only (so the rate stays within [0, 1]);
 *  - EXTENSION_RATE 延期率 = EXTENDED / CASES;
 *  - OPEN_NOW: cases in range open at now; LATE_NOW: those of them past their deadline
 *    (now > deadline);
 *  - STAGE_*: cases in range by their stage at now.
 *
 * Durations (seconds; mean, median, p90 and n), from the first event of each stage:
 * received→dispatched, dispatched→on site, dispatched→reported done (the department's
 * handling time), received→reported done, and received→closed (closed_at of a case
 * closed at now). Only cases that reached both ends by now contribute; a case still open
 * contributes nothing to a duration it has not finished. Median and p90 are nearest-rank
 * on the exact values: the value of rank ⌈p·n/100⌉ in ascending order (so the median of
 * an even count is the lower middle value, and always a real case's duration).
 *
 * 12345 三率, over the cases with a return visit (visited): 响应率 = contacted / visited,
 * 解决率 = resolved / visited, 满意率 = (satisfied + 0.9 × basically satisfied) / visited
 * (a visit with no satisfaction answer counts 0). HOTLINE_SCORE = the weighted mean of
 * the three (query->hotline_weights, default 0.30 / 0.35 / 0.35), × 100.
 *
 * SCORE (综合评分) = 100 × Σ wᵢ·xᵢ / Σ wᵢ over the components of query->score_weights
 * whose weight is not 0: x = 按期结案率 (default weight 0.5), 结案率 (0.3), 1 − 返工率
 * (0.2), 按时处置率 (0), 1 − 延期率 (0), HOTLINE_SCORE / 100 (0). Undefined when any
 * weighted component is undefined.
 *
 * Set GW_METRICS_TRACE=1 in the environment to print each computation's phase times.
 *
 * Groups. department id, cell code, community (the cell code's first 12 digits; the
 * label is the community name of a cell in query->cells with that prefix), or class
 * code. A case with no key (no department yet, outside every cell, an invalid cell code)
 * goes to the "(unassigned)" row. Rows are sorted by key (bytewise), "(unassigned)" is
 * next to last and the total row ("(all)", over every case in range) is last.
 */
#pragma once

#include <gio/gio.h>

#include "gw-incident.h"

G_BEGIN_DECLS

typedef enum {
  GW_METRICS_BY_NONE,        /* the total row only */
  GW_METRICS_BY_DEPARTMENT,
  GW_METRICS_BY_CELL,
  GW_METRICS_BY_COMMUNITY,
  GW_METRICS_BY_CLASS,
  GW_N_METRICS_BY
} GwMetricsGroupBy;

/* "none", "department", "cell", "community", "class". */
const char *gw_metrics_group_by_to_string   (GwMetricsGroupBy  by);
gboolean    gw_metrics_group_by_from_string (const char       *str,
                                             GwMetricsGroupBy *out);

#define GW_METRICS_UNASSIGNED "(unassigned)"
#define GW_METRICS_TOTAL      "(all)"

typedef enum {
  GW_METRICS_DUR_RECEIVED_DISPATCHED,  /* received → first dispatched */
  GW_METRICS_DUR_DISPATCHED_ON_SITE,   /* first dispatched → first on site */
  GW_METRICS_DUR_DISPATCHED_DONE,      /* first dispatched → first reported done */
  GW_METRICS_DUR_RECEIVED_DONE,        /* received → first reported done */
  GW_METRICS_DUR_RECEIVED_CLOSED,      /* received → closed */
  GW_METRICS_N_DURATIONS
} GwMetricsDuration;

/* Every figure of a row. The order is the CSV's. */
typedef enum {
  GW_METRICS_COL_CASES,             /* 案件数: cases in range */
  GW_METRICS_COL_STAGE_FIRST,       /* + GwStage: cases by stage at now */
  GW_METRICS_COL_STAGE_LAST = GW_METRICS_COL_STAGE_FIRST + GW_N_STAGES - 1,
  GW_METRICS_COL_OPEN_NOW,
  GW_METRICS_COL_LATE_NOW,
  GW_METRICS_COL_DUE_TO_CLOSE,
  GW_METRICS_COL_CLOSED,
  GW_METRICS_COL_CLOSED_ON_TIME,
  GW_METRICS_COL_CLOSURE_RATE,          /* 结案率 */
  GW_METRICS_COL_ON_TIME_CLOSURE_RATE,  /* 按期结案率 */
  GW_METRICS_COL_DUE_TO_HANDLE,
  GW_METRICS_COL_HANDLED_ON_TIME,
  GW_METRICS_COL_ON_TIME_HANDLING_RATE, /* 按时处置率 */
  GW_METRICS_COL_REWORKED,
  GW_METRICS_COL_REWORK_RATE,           /* 返工率 */
  GW_METRICS_COL_EXTENDED,
  GW_METRICS_COL_EXTENSION_RATE,        /* 延期率 */
  GW_METRICS_COL_NO_DEADLINE,
  GW_METRICS_COL_DEADLINE_ASSUMED,
  GW_METRICS_COL_DUR_FIRST,             /* 4 per GwMetricsDuration: n, mean, median, p90 */
  GW_METRICS_COL_DUR_LAST = GW_METRICS_COL_DUR_FIRST + 4 * GW_METRICS_N_DURATIONS - 1,
  GW_METRICS_COL_VISITED,
  GW_METRICS_COL_CONTACTED,
  GW_METRICS_COL_RESOLVED,
  GW_METRICS_COL_SATISFIED,
  GW_METRICS_COL_BASIC_SATISFIED,
  GW_METRICS_COL_RESPONSE_RATE,         /* 响应率 */
  GW_METRICS_COL_RESOLUTION_RATE,       /* 解决率 */
  GW_METRICS_COL_SATISFACTION_RATE,     /* 满意率 */
  GW_METRICS_COL_HOTLINE_SCORE,         /* 三率综合 */
  GW_METRICS_COL_SCORE,                 /* 综合评分 */
  GW_METRICS_N_COLUMNS
} GwMetricsColumn;

typedef enum {
  GW_METRICS_DUR_N,
  GW_METRICS_DUR_MEAN,
  GW_METRICS_DUR_MEDIAN,
  GW_METRICS_DUR_P90,
} GwMetricsDurationStat;

static inline GwMetricsColumn
gw_metrics_duration_column (GwMetricsDuration     d,
                            GwMetricsDurationStat stat)
{
  return (GwMetricsColumn) (GW_METRICS_COL_DUR_FIRST + 4 * (int) d + (int) stat);
}

typedef enum {
  GW_METRICS_KIND_COUNT,     /* whole number of cases */
  GW_METRICS_KIND_RATE,      /* fraction in [0, 1] */
  GW_METRICS_KIND_DURATION,  /* seconds */
  GW_METRICS_KIND_SCORE,     /* 0..100 */
} GwMetricsKind;

typedef struct {
  const char   *id;           /* stable, ASCII: "on_time_closure_rate", "dur_dispatched_done_p90" */
  const char   *name_zh;      /* 按期结案率 */
  const char   *name_en;      /* On-time closure rate */
  GwMetricsKind kind;
  const char   *description;  /* the definition, for a tooltip (English, with the Chinese term) */
} GwMetricsColumnInfo;

const GwMetricsColumnInfo *gw_metrics_column_info (GwMetricsColumn column);

typedef struct {
  double on_time_closure;   /* 按期结案率, default 0.5 */
  double closure;           /* 结案率, default 0.3 */
  double not_reworked;      /* 1 − 返工率, default 0.2 */
  double on_time_handling;  /* 按时处置率, default 0 */
  double not_extended;      /* 1 − 延期率, default 0 */
  double hotline;           /* HOTLINE_SCORE / 100, default 0 */
} GwMetricsScoreWeights;

typedef struct {
  double response;      /* 响应率, default 0.30 */
  double resolution;    /* 解决率, default 0.35 */
  double satisfaction;  /* 满意率, default 0.35 */
} GwMetricsHotlineWeights;

typedef struct {
  GwTime                  from;       /* inclusive; GW_TIME_NONE: open */
  GwTime                  to;         /* exclusive; GW_TIME_NONE: open */
  GwTime                  now;        /* evaluation instant; never GW_TIME_NONE */
  GwMetricsGroupBy        by;
  GwMetricsScoreWeights   score_weights;
  GwMetricsHotlineWeights hotline_weights;
  /* Optional reference data (NULL: none): labels, community names, assumed deadlines. */
  GPtrArray              *cells;        /* GwCell* */
  GPtrArray              *departments;  /* GwDepartment* */
  GPtrArray              *classes;      /* GwIncidentClass* */
  int                     default_deadline_hours;  /* <= 0: none */
  guint                   n_threads;    /* 0: as many as processors, at most 8 */
} GwMetricsQuery;

/* Defaults: open range, now = the current time, by department, default weights, no
 * reference data. The pointers are borrowed; the async call takes references. */
void gw_metrics_query_init (GwMetricsQuery *query);

#define GW_TYPE_METRICS_RESULT (gw_metrics_result_get_type ())

typedef struct _GwMetricsResult GwMetricsResult;

GType            gw_metrics_result_get_type   (void) G_GNUC_CONST;
GwMetricsResult *gw_metrics_result_ref        (GwMetricsResult *result);
void             gw_metrics_result_unref      (GwMetricsResult *result);

/* Synchronous; runs on the calling thread (plus query->n_threads − 1 helpers). Takes a
 * reference on @incidents (GwIncident*), which must not change afterwards: pass a fresh
 * array such as gw_store_list() returns. Fails only when cancelled. */
GwMetricsResult *gw_metrics_compute           (GPtrArray            *incidents,
                                               const GwMetricsQuery *query,
                                               GCancellable         *cancellable,
                                               GError              **error);
/* The same in a GTask worker thread: the main loop never waits. */
void             gw_metrics_compute_async     (GPtrArray            *incidents,
                                               const GwMetricsQuery *query,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GwMetricsResult *gw_metrics_compute_finish    (GAsyncResult         *result,
                                               GError              **error);

/* The query the result answers (its reference arrays are the ones it was given). */
const GwMetricsQuery *gw_metrics_result_get_query (GwMetricsResult *result);
guint            gw_metrics_result_get_n_rows (GwMetricsResult *result);
/* The group key: department id, cell code, 12-digit community code, class code,
 * GW_METRICS_UNASSIGNED or GW_METRICS_TOTAL. */
const char      *gw_metrics_result_get_key    (GwMetricsResult *result,
                                               guint            row);
/* A name for people: the department's, community's or class's name when the reference
 * data has it, else the key. */
const char      *gw_metrics_result_get_label  (GwMetricsResult *result,
                                               guint            row);
gboolean         gw_metrics_result_is_total   (GwMetricsResult *result,
                                               guint            row);
/* The figure, or NaN when undefined (a rate over nothing, a duration no case finished). */
double           gw_metrics_result_get        (GwMetricsResult *result,
                                               guint            row,
                                               GwMetricsColumn  column);
/* The row of @key, or -1. */
int              gw_metrics_result_find_row   (GwMetricsResult *result,
                                               const char      *key);

/* Traceability: the cases behind a figure, as new references (GwIncident*).
 *  - a count: the cases counted;
 *  - a rate: the cases of its denominator (its numerator is the count column before it);
 *  - a duration column: the cases that contributed, sorted by that duration ascending
 *    (ties by id), so the median is entry ⌈n/2⌉ − 1 and p90 entry ⌈0.9·n⌉ − 1;
 *  - a score: the cases in range.
 * Otherwise in input order. */
GPtrArray       *gw_metrics_cases_for         (GwMetricsResult *result,
                                               guint            row,
                                               GwMetricsColumn  column);
/* The same as ids (borrowed strings, valid while @result lives). */
GPtrArray       *gw_metrics_case_ids_for      (GwMetricsResult *result,
                                               guint            row,
                                               GwMetricsColumn  column);
/* What the engine concluded about one case (for drill-down lists and exports). */
typedef struct {
  GwIncident *incident;          /* borrowed: valid while the result lives */
  GwStage     stage;             /* at now */
  GwTime      deadline;          /* in force at now; GW_TIME_NONE: none */
  gboolean    deadline_assumed;  /* from the class or the default, not the source */
  gboolean    closed;
  gboolean    late;              /* open and past the deadline at now */
  gboolean    due_to_close;
  gboolean    closed_on_time;
  gboolean    due_to_handle;
  gboolean    handled_on_time;
  gboolean    reworked;          /* reworked and due to close (what REWORKED counts) */
  gboolean    extended;
  gint64      duration[GW_METRICS_N_DURATIONS];  /* µs; -1: did not contribute */
} GwMetricsCaseDetail;

/* The cases gw_metrics_cases_for() returns, in the same order, with the engine's view
 * of each (GwMetricsCaseDetail). */
GArray          *gw_metrics_details_for       (GwMetricsResult *result,
                                               guint            row,
                                               GwMetricsColumn  column);
/* How many input cases were in range (rows over all groups add up to it). */
guint            gw_metrics_result_get_n_cases (GwMetricsResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwMetricsResult, gw_metrics_result_unref)

/* ---- Breakdowns for the charts (gw-metrics-breakdown.c) ----------------------------
 *
 * Over the same records as the result (so a chart's numbers trace back exactly like
 * the table's): per row, day by day, by weekday × hour of reception, and by duration
 * bucket. Days, weekdays and hours are in the time zone given (local time for people).
 */

/* Duration buckets: < 15 min, 15–30 min, 30–60 min, 1–2 h, 2–4 h, 4–8 h, 8–24 h, ≥ 1 d. */
#define GW_METRICS_N_BUCKETS 8
guint   gw_metrics_duration_bucket       (gint64 usec);
/* The lower bound of @bucket in µs (0 for the first). */
gint64  gw_metrics_duration_bucket_start (guint  bucket);

/* One day of a row: cases received that day and what became of them by now (the same
 * definitions as the columns of the same name). */
typedef struct {
  GwTime start;           /* the day's local midnight */
  guint  cases;
  guint  closed;
  guint  due_to_close;
  guint  closed_on_time;
} GwMetricsDay;

typedef struct _GwMetricsBreakdown GwMetricsBreakdown;

/* Every row at once, in one pass over the records; thread-safe, meant for a worker
 * thread. Days run from the local midnight at or before the query's from (the first
 * case's when open) to its to (the last case's when open), at most 1000 days. */
GwMetricsBreakdown *gw_metrics_breakdown_new      (GwMetricsResult    *result,
                                                   GTimeZone          *tz);
GwMetricsBreakdown *gw_metrics_breakdown_ref      (GwMetricsBreakdown *self);
void                gw_metrics_breakdown_unref    (GwMetricsBreakdown *self);
GwMetricsResult    *gw_metrics_breakdown_get_result (GwMetricsBreakdown *self);
guint               gw_metrics_breakdown_get_n_days (GwMetricsBreakdown *self);
const GwMetricsDay *gw_metrics_breakdown_get_day  (GwMetricsBreakdown *self,
                                                   guint               row,
                                                   guint               day);
/* Cases received on @weekday (0 = Monday … 6 = Sunday) at @hour (0–23). */
guint               gw_metrics_breakdown_get_week_hour (GwMetricsBreakdown *self,
                                                        guint               row,
                                                        guint               weekday,
                                                        guint               hour);
/* Cases whose @duration falls in @bucket (the cases of the duration's columns). */
guint               gw_metrics_breakdown_get_bucket (GwMetricsBreakdown *self,
                                                     guint               row,
                                                     GwMetricsDuration   duration,
                                                     guint               bucket);
/* The weekday and hour of @t in the breakdown's time zone. */
void                gw_metrics_breakdown_week_hour_of (GwMetricsBreakdown *self,
                                                       GwTime              t,
                                                       guint              *weekday,
                                                       guint              *hour);
/* Drill-down: the cases behind a heat-grid cell (input order) or a histogram bucket
 * (by duration ascending), as new references (GwIncident*). */
GPtrArray          *gw_metrics_breakdown_cases_in_week_hour (GwMetricsBreakdown *self,
                                                             guint               row,
                                                             guint               weekday,
                                                             guint               hour);
GPtrArray          *gw_metrics_breakdown_cases_in_bucket    (GwMetricsBreakdown *self,
                                                             guint               row,
                                                             GwMetricsDuration   duration,
                                                             guint               bucket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwMetricsBreakdown, gw_metrics_breakdown_unref)

G_END_DECLS
