/* gw-metrics-columns.c — what the metrics engine's columns and groupings are called
 *
 * The description of every column (CSV header, Chinese and English labels, kind, the
 * tooltip that defines it), the group-by names and the query defaults: the vocabulary
 * of the engine, apart from the computation in gw-metrics.c.
 */
#include "gw-metrics.h"

#include <string.h>

/* ---- column descriptions --------------------------------------------------------- */

#define DUR_INFO(ID, ZH, EN, WHAT)                                                        \
  { "dur_" ID "_n", ZH "（样本数）", EN " — cases", GW_METRICS_KIND_COUNT,                  \
    "Cases in range that reached both ends of " WHAT " by now; a case still open "        \
    "contributes nothing to a duration it has not finished." },                            \
  { "dur_" ID "_mean_s", ZH "（平均，秒）", EN " — mean (s)", GW_METRICS_KIND_DURATION,      \
    "Mean of " WHAT " in seconds, over the cases counted in the n column. "               \
    "平均处置时长." },                                                                    \
  { "dur_" ID "_median_s", ZH "（中位数，秒）", EN " — median (s)", GW_METRICS_KIND_DURATION, \
    "Median of " WHAT " in seconds: nearest rank, the value of rank ⌈n/2⌉ in ascending "  \
    "order (the lower middle value when n is even), always one real case's duration." },  \
  { "dur_" ID "_p90_s", ZH "（90分位，秒）", EN " — p90 (s)", GW_METRICS_KIND_DURATION,       \
    "90th percentile of " WHAT " in seconds: nearest rank, the value of rank ⌈0.9·n⌉ in " \
    "ascending order." }

static const GwMetricsColumnInfo column_info[GW_METRICS_N_COLUMNS] = {
  [GW_METRICS_COL_CASES] = { "cases", "案件数", "Cases", GW_METRICS_KIND_COUNT,
    "Cases received in the range: received_at ≥ from and < to. A case received before the "
    "range belongs to its own range, even if it closes in this one." },
#define STAGE_INFO(S, ID, ZH, EN)                                                        \
  [GW_METRICS_COL_STAGE_FIRST + GW_STAGE_##S] = { "stage_" ID, "阶段：" ZH, "Stage: " EN,   \
    GW_METRICS_KIND_COUNT,                                                               \
    "Cases in range whose stage at the evaluation time (now) is " ZH " (" ID "): the "    \
    "stage of the last timeline event at or before now." }
  STAGE_INFO (RECEIVED, "received", "信息收集", "received"),
  STAGE_INFO (REGISTERED, "registered", "案卷建立", "registered"),
  STAGE_INFO (DISPATCHED, "dispatched", "任务派遣", "dispatched"),
  STAGE_INFO (ON_SITE, "on_site", "任务处理", "on site"),
  STAGE_INFO (REPORTED_DONE, "reported_done", "处理反馈", "reported done"),
  STAGE_INFO (CLOSED, "closed", "核查结案", "closed"),
  STAGE_INFO (EVALUATED, "evaluated", "综合评价", "evaluated"),
  STAGE_INFO (REWORK, "rework", "返工", "rework"),
  STAGE_INFO (EXTENDED, "extended", "延期", "extended"),
  STAGE_INFO (PARKED, "parked", "挂账/缓办", "parked"),
  STAGE_INFO (RETURNED, "returned", "回退", "returned"),
  STAGE_INFO (APPEAL, "appeal", "申诉", "appeal"),
#undef STAGE_INFO
  [GW_METRICS_COL_OPEN_NOW] = { "open_now", "在办案件数", "Open now", GW_METRICS_KIND_COUNT,
    "Cases in range not closed at now (stage other than closed or evaluated)." },
  [GW_METRICS_COL_LATE_NOW] = { "late_now", "超期在办数", "Late now", GW_METRICS_KIND_COUNT,
    "Cases in range open at now and past the deadline in force (now > deadline)." },
  [GW_METRICS_COL_DUE_TO_CLOSE] = { "due_to_close", "应结案数", "Due to close",
    GW_METRICS_KIND_COUNT,
    "Cases in range that are closed at now, or whose deadline in force is at or before "
    "the end of the range (or now, if earlier). An open case with no deadline is not due." },
  [GW_METRICS_COL_CLOSED] = { "closed", "结案数", "Closed", GW_METRICS_KIND_COUNT,
    "Cases in range closed at now (closed or evaluated; a case reopened by appeal or "
    "rework is open again)." },
  [GW_METRICS_COL_CLOSED_ON_TIME] = { "closed_on_time", "按期结案数", "Closed on time",
    GW_METRICS_KIND_COUNT,
    "Closed cases whose close time is at or before the deadline in force; an extended "
    "deadline (延期) is the deadline in force. A case without a deadline is never on time." },
  [GW_METRICS_COL_CLOSURE_RATE] = { "closure_rate", "结案率", "Closure rate",
    GW_METRICS_KIND_RATE, "结案率 = closed ÷ due to close (结案数 ÷ 应结案数)." },
  [GW_METRICS_COL_ON_TIME_CLOSURE_RATE] = { "on_time_closure_rate", "按期结案率",
    "On-time closure rate", GW_METRICS_KIND_RATE,
    "按期结案率 = closed on time ÷ due to close (按期结案数 ÷ 应结案数)." },
  [GW_METRICS_COL_DUE_TO_HANDLE] = { "due_to_handle", "应处置数", "Due to handle",
    GW_METRICS_KIND_COUNT,
    "Dispatched cases in range that are handled (reported done, not sent back since), or "
    "whose deadline in force is at or before the end of the range (or now, if earlier)." },
  [GW_METRICS_COL_HANDLED_ON_TIME] = { "handled_on_time", "按时处置数", "Handled on time",
    GW_METRICS_KIND_COUNT,
    "Cases due to handle whose handling report (the first reported done after the last "
    "rework) is at or before the deadline in force." },
  [GW_METRICS_COL_ON_TIME_HANDLING_RATE] = { "on_time_handling_rate", "按时处置率",
    "On-time handling rate", GW_METRICS_KIND_RATE,
    "按时处置率 = handled on time ÷ due to handle (按时处置数 ÷ 应处置数)." },
  [GW_METRICS_COL_REWORKED] = { "reworked", "返工数", "Reworked", GW_METRICS_KIND_COUNT,
    "Cases due to close that were sent back for rework (返工) at least once by now." },
  [GW_METRICS_COL_REWORK_RATE] = { "rework_rate", "返工率", "Rework rate", GW_METRICS_KIND_RATE,
    "返工率 = reworked ÷ due to close (返工数 ÷ 应结案数)." },
  [GW_METRICS_COL_EXTENDED] = { "extended", "延期数", "Extended", GW_METRICS_KIND_COUNT,
    "Cases in range whose deadline was extended (延期) at least once by now." },
  [GW_METRICS_COL_EXTENSION_RATE] = { "extension_rate", "延期率", "Extension rate",
    GW_METRICS_KIND_RATE, "延期率 = extended ÷ cases in range (延期数 ÷ 案件数)." },
  [GW_METRICS_COL_NO_DEADLINE] = { "no_deadline", "无时限数", "No deadline",
    GW_METRICS_KIND_COUNT,
    "Cases in range with no deadline at all: none in their timeline or record, none from "
    "their class, no default. They are due to close only once closed, never on time." },
  [GW_METRICS_COL_DEADLINE_ASSUMED] = { "deadline_assumed", "默认时限数",
    "Deadline assumed", GW_METRICS_KIND_COUNT,
    "Cases in range whose source gave no deadline, so received time + the class's "
    "处置时限 (or the default) was used." },
  DUR_INFO ("received_dispatched", "受理→派遣", "Received → dispatched",
            "received → first dispatched"),
  DUR_INFO ("dispatched_on_site", "派遣→到场", "Dispatched → on site",
            "first dispatched → first on site"),
  DUR_INFO ("dispatched_done", "派遣→处理反馈", "Dispatched → reported done",
            "first dispatched → first reported done (the department's handling time)"),
  DUR_INFO ("received_done", "受理→处理反馈", "Received → reported done",
            "received → first reported done"),
  DUR_INFO ("received_closed", "受理→结案", "Received → closed",
            "received → closed (cases closed at now)"),
  [GW_METRICS_COL_VISITED] = { "visited", "回访数", "Return visits", GW_METRICS_KIND_COUNT,
    "Cases in range with a 12345 return visit (回访); the base of the 三率." },
  [GW_METRICS_COL_CONTACTED] = { "contacted", "已联系数", "Contacted", GW_METRICS_KIND_COUNT,
    "Visited cases whose reporter says the department contacted them." },
  [GW_METRICS_COL_RESOLVED] = { "resolved", "已解决数", "Resolved", GW_METRICS_KIND_COUNT,
    "Visited cases whose reporter says the problem was solved." },
  [GW_METRICS_COL_SATISFIED] = { "satisfied", "满意数", "Satisfied", GW_METRICS_KIND_COUNT,
    "Visited cases answered 满意 (satisfied)." },
  [GW_METRICS_COL_BASIC_SATISFIED] = { "basic_satisfied", "基本满意数", "Basically satisfied",
    GW_METRICS_KIND_COUNT, "Visited cases answered 基本满意 (basically satisfied)." },
  [GW_METRICS_COL_RESPONSE_RATE] = { "response_rate", "响应率", "Response rate",
    GW_METRICS_KIND_RATE, "响应率 = contacted ÷ visited (已联系数 ÷ 回访数)." },
  [GW_METRICS_COL_RESOLUTION_RATE] = { "resolution_rate", "解决率", "Resolution rate",
    GW_METRICS_KIND_RATE, "解决率 = resolved ÷ visited (已解决数 ÷ 回访数)." },
  [GW_METRICS_COL_SATISFACTION_RATE] = { "satisfaction_rate", "满意率", "Satisfaction rate",
    GW_METRICS_KIND_RATE,
    "满意率 = (satisfied + 0.9 × basically satisfied) ÷ visited; a visit with no answer "
    "counts 0." },
  [GW_METRICS_COL_HOTLINE_SCORE] = { "hotline_score", "三率综合", "12345 score",
    GW_METRICS_KIND_SCORE,
    "100 × the weighted mean of 响应率, 解决率 and 满意率 (default weights 0.30, 0.35, "
    "0.35); undefined without return visits." },
  [GW_METRICS_COL_SCORE] = { "score", "综合评分", "Composite score", GW_METRICS_KIND_SCORE,
    "100 × the weighted mean of the weighted components (default: 按期结案率 × 0.5 + "
    "结案率 × 0.3 + (1 − 返工率) × 0.2); undefined when a weighted component is." },
};

#undef DUR_INFO

const GwMetricsColumnInfo *
gw_metrics_column_info (GwMetricsColumn column)
{
  g_return_val_if_fail ((guint) column < GW_METRICS_N_COLUMNS, NULL);
  return &column_info[column];
}

static const char *const group_by_names[GW_N_METRICS_BY] = {
  "none", "department", "cell", "community", "class",
};

const char *
gw_metrics_group_by_to_string (GwMetricsGroupBy by)
{
  return (guint) by < GW_N_METRICS_BY ? group_by_names[by] : NULL;
}

gboolean
gw_metrics_group_by_from_string (const char *str, GwMetricsGroupBy *out)
{
  for (guint i = 0; str != NULL && i < GW_N_METRICS_BY; i++)
    if (strcmp (str, group_by_names[i]) == 0)
      {
        *out = (GwMetricsGroupBy) i;
        return TRUE;
      }
  return FALSE;
}

void
gw_metrics_query_init (GwMetricsQuery *query)
{
  memset (query, 0, sizeof *query);
  query->from = GW_TIME_NONE;
  query->to = GW_TIME_NONE;
  query->now = gw_time_now ();
  query->by = GW_METRICS_BY_DEPARTMENT;
  query->score_weights.on_time_closure = 0.5;
  query->score_weights.closure = 0.3;
  query->score_weights.not_reworked = 0.2;
  query->hotline_weights.response = 0.30;
  query->hotline_weights.resolution = 0.35;
  query->hotline_weights.satisfaction = 0.35;
}
