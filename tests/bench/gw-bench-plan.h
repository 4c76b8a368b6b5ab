/* gw-bench-plan.h — a day of planned cases for the replay benchmarks
 *
 * gw-bench-replay and gw-bench-replay-map measure the same day: the simulator's case
 * planner, seeded alike, so their figures can be read side by side.
 */
#pragma once

#include "gw-case-planner.h"

G_BEGIN_DECLS

GPtrArray *gw_bench_plan_day (GwDispatchDb *db,
                              GwTime        day_start,
                              guint         n_cases);

G_END_DECLS
