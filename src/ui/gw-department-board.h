/* gw-department-board.h — the wall's compact department board, drawn in snapshot()
 *
 * One row per department: rank, name, open, late, on-time %. The figures come from the
 * metrics engine in a worker thread (gw_metrics_compute), refreshed every minute and a
 * few seconds after the store changes; the main loop never waits:
 *  - open and late: OPEN_NOW and LATE_NOW over every case in the store;
 *  - on-time %: 按期结案率 (ON_TIME_CLOSURE_RATE) over the cases received in the last
 *    7 days (GW_DEPARTMENT_BOARD_DAYS): closed by the deadline in force ÷ due to close.
 * Rank is by that on-time %, best first; ties share a rank (1, 1, 3); a department with
 * nothing due yet has no rank and comes last. The "(unassigned)" row is left out.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-metrics.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_DEPARTMENT_BOARD_DAYS             7
#define GW_DEPARTMENT_BOARD_REFRESH_SECONDS  60

typedef struct {
  guint       rank;      /* 0: no rank (nothing due) */
  const char *key;       /* department id */
  const char *name;
  guint       open;
  guint       late;
  double      on_time;   /* fraction, NaN when nothing is due */
} GwDepartmentBoardRow;

#define GW_TYPE_DEPARTMENT_BOARD (gw_department_board_get_type ())
G_DECLARE_FINAL_TYPE (GwDepartmentBoard, gw_department_board, GW, DEPARTMENT_BOARD, GtkWidget)

GtkWidget                  *gw_department_board_new             (void);
void                        gw_department_board_set_store       (GwDepartmentBoard *self,
                                                                 GwStore           *store);
/* A fixed evaluation instant (tests); GW_TIME_NONE: the clock at each computation. */
void                        gw_department_board_set_now         (GwDepartmentBoard *self,
                                                                 GwTime             now);
/* Starts a computation now (a running one is cancelled). */
void                        gw_department_board_refresh         (GwDepartmentBoard *self);
gboolean                    gw_department_board_get_computing   (GwDepartmentBoard *self);
guint                       gw_department_board_get_n_computed  (GwDepartmentBoard *self);

/* Rows in display order (by rank). */
guint                       gw_department_board_get_n_rows      (GwDepartmentBoard *self);
const GwDepartmentBoardRow *gw_department_board_get_row         (GwDepartmentBoard *self,
                                                                 guint              i);
/* The whole street's 按期结案率 over the same 7 days (the total row), NaN if none due. */
double                      gw_department_board_get_total_on_time (GwDepartmentBoard *self);
/* The two results behind the rows (open/late over all cases; on-time over 7 days). */
GwMetricsResult            *gw_department_board_get_result_all  (GwDepartmentBoard *self);
GwMetricsResult            *gw_department_board_get_result_week (GwDepartmentBoard *self);

G_END_DECLS
