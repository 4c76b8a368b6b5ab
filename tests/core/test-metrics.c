/* test-metrics.c — each metric on hand-made cases with known answers */

#include <math.h>
#include <string.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident-class.h"
#include "gw-metrics.h"
#include "gw-metrics-csv.h"
#include "gw-workflow.h"

#define H  GW_USEC_PER_HOUR
#define M  GW_USEC_PER_MIN
#define T0 (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)  /* 2026-01-01T00:00:00Z */

/* ---- building cases through the workflow, as a server would ---------------------- */

typedef struct {
  GwIncident *inc;
  guint       n;
} Builder;

static Builder
case_new (const char *id, const char *dept, GwTime received)
{
  Builder b = { gw_incident_new (), 0 };
  b.inc->id = g_strdup (id);
  b.inc->title = g_strdup (id);
  b.inc->class_code = g_strdup ("0101");
  b.inc->address = g_strdup ("");
  b.inc->department = g_strdup (dept);
  b.inc->received_at = received;
  b.inc->updated_at = received;
  GwStageEvent ev = { (char *) "e0", GW_STAGE_RECEIVED, received, NULL, NULL, NULL, GW_TIME_NONE };
  g_assert_true (gw_incident_apply_event (b.inc, &ev, NULL));
  b.n = 1;
  return b;
}

static void
step (Builder *b, GwStage stage, GwTime t, GwTime deadline)
{
  g_autofree char *id = g_strdup_printf ("e%u", b->n++);
  GwStageEvent ev = { id, stage, t, NULL, NULL, NULL, deadline };
  g_autoptr(GError) error = NULL;
  if (stage == GW_STAGE_DISPATCHED && b->inc->department == NULL)
    ev.department = (char *) "x";
  if (!gw_incident_apply_event (b->inc, &ev, &error))
    g_error ("%s: %s", b->inc->id, error->message);
}

/* received, registered at +1 min, dispatched at +d with a deadline, … */
static Builder
dispatched_case (const char *id, const char *dept, GwTime received, GwTime disp_after,
                 GwTime deadline)
{
  Builder b = case_new (id, dept, received);
  step (&b, GW_STAGE_REGISTERED, received + M, GW_TIME_NONE);
  step (&b, GW_STAGE_DISPATCHED, received + disp_after, deadline);
  return b;
}

static GPtrArray *
cases_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
}

static GwMetricsResult *
run (GPtrArray *cases, const GwMetricsQuery *q)
{
  g_autoptr(GError) error = NULL;
  GwMetricsResult *r = gw_metrics_compute (cases, q, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static double
get (GwMetricsResult *r, const char *key, GwMetricsColumn col)
{
  int row = gw_metrics_result_find_row (r, key);
  g_assert_cmpint (row, >=, 0);
  return gw_metrics_result_get (r, (guint) row, col);
}

#define assert_count(r, key, col, want) g_assert_cmpfloat (get (r, key, col), ==, (double) (want))
#define assert_near(r, key, col, want) g_assert_cmpfloat_with_epsilon (get (r, key, col), (want), 1e-9)
#define assert_undef(r, key, col) g_assert_true (isnan (get (r, key, col)))

static int
cmp_str_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

/* The ids behind a figure, sorted and joined, for easy comparison. */
static char *
ids_for (GwMetricsResult *r, const char *key, GwMetricsColumn col, gboolean keep_order)
{
  int row = gw_metrics_result_find_row (r, key);
  g_assert_cmpint (row, >=, 0);
  g_autoptr(GPtrArray) ids = gw_metrics_case_ids_for (r, (guint) row, col);
  if (!keep_order)
    g_ptr_array_sort (ids, cmp_str_ptr);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

/* ---- the department scenario ------------------------------------------------------ */

/* Range [T0, T0 + 5 days), now = T0 + 6 days, by department.
 *  a1: closed on time, handled on time
 *  a2: handled and closed after the deadline
 *  a3: extended to +72 h, handled and closed at +50 h: on time thanks to the extension
 *  b1: reported done, sent back (rework), reported done again, closed on time
 *  b2: open, deadline passed before the range's end: due, late now
 *  b3: open, deadline after the range's end (+ 1 day): not due, but late now
 *  b4: received before the range, closed in it: not in range (spans its start)
 *  c1: no department: "(unassigned)", closed without dispatch, no deadline
 *  b5: received in range, closed after now: open as of now, its close ignored */
static GPtrArray *
department_cases (void)
{
  GPtrArray *cases = cases_array ();
  Builder b;

  b = dispatched_case ("a1", "a", T0, 10 * M, T0 + 24 * H);
  step (&b, GW_STAGE_ON_SITE, T0 + 30 * M, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 2 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 3 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("a2", "a", T0 + H, 20 * M, T0 + 25 * H);
  step (&b, GW_STAGE_ON_SITE, T0 + 2 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 30 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 31 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("a3", "a", T0 + 2 * H, 30 * M, T0 + 26 * H);
  step (&b, GW_STAGE_ON_SITE, T0 + 4 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_EXTENDED, T0 + 20 * H, T0 + 74 * H);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 50 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 52 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("b1", "b", T0, 40 * M, T0 + 48 * H);
  step (&b, GW_STAGE_ON_SITE, T0 + 1 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 5 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REWORK, T0 + 6 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 40 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 41 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("b2", "b", T0 + 24 * H, 50 * M, T0 + 48 * H);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("b3", "b", T0 + 96 * H, 60 * M, T0 + 6 * 24 * H - 1 * H);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("b4", "b", T0 - 10 * H, 10 * M, T0 + 10 * H);
  step (&b, GW_STAGE_ON_SITE, T0 - 9 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 1 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 2 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  b = case_new ("c1", NULL, T0 + 3 * H);
  step (&b, GW_STAGE_CLOSED, T0 + 4 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  b = dispatched_case ("b5", "b", T0 + 100 * H, 10 * M, T0 + 200 * H);
  step (&b, GW_STAGE_ON_SITE, T0 + 101 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 102 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 7 * 24 * H, GW_TIME_NONE);  /* after now */
  g_ptr_array_add (cases, b.inc);

  return cases;
}

static void
department_query (GwMetricsQuery *q)
{
  gw_metrics_query_init (q);
  q->from = T0;
  q->to = T0 + 5 * 24 * H;
  q->now = T0 + 6 * 24 * H;
  q->by = GW_METRICS_BY_DEPARTMENT;
}

static void
test_rates (void)
{
  g_autoptr(GPtrArray) cases = department_cases ();
  GwMetricsQuery q;
  department_query (&q);
  g_autoptr(GwMetricsResult) r = run (cases, &q);

  /* Rows: a, b, (unassigned), (all). */
  g_assert_cmpuint (gw_metrics_result_get_n_rows (r), ==, 4);
  g_assert_cmpstr (gw_metrics_result_get_key (r, 0), ==, "a");
  g_assert_cmpstr (gw_metrics_result_get_key (r, 1), ==, "b");
  g_assert_cmpstr (gw_metrics_result_get_key (r, 2), ==, GW_METRICS_UNASSIGNED);
  g_assert_cmpstr (gw_metrics_result_get_key (r, 3), ==, GW_METRICS_TOTAL);
  g_assert_true (gw_metrics_result_is_total (r, 3));
  g_assert_cmpuint (gw_metrics_result_get_n_cases (r), ==, 8);  /* b4 is out of range */

  /* a: three closed, all due; a1 and a3 (extended) on time, a2 late. */
  assert_count (r, "a", GW_METRICS_COL_CASES, 3);
  assert_count (r, "a", GW_METRICS_COL_CLOSED, 3);
  assert_count (r, "a", GW_METRICS_COL_DUE_TO_CLOSE, 3);
  assert_count (r, "a", GW_METRICS_COL_CLOSED_ON_TIME, 2);
  assert_near (r, "a", GW_METRICS_COL_CLOSURE_RATE, 1.0);
  assert_near (r, "a", GW_METRICS_COL_ON_TIME_CLOSURE_RATE, 2.0 / 3);
  assert_count (r, "a", GW_METRICS_COL_DUE_TO_HANDLE, 3);
  assert_count (r, "a", GW_METRICS_COL_HANDLED_ON_TIME, 2);
  assert_near (r, "a", GW_METRICS_COL_ON_TIME_HANDLING_RATE, 2.0 / 3);
  assert_count (r, "a", GW_METRICS_COL_EXTENDED, 1);
  assert_near (r, "a", GW_METRICS_COL_EXTENSION_RATE, 1.0 / 3);
  assert_count (r, "a", GW_METRICS_COL_REWORKED, 0);
  assert_near (r, "a", GW_METRICS_COL_REWORK_RATE, 0.0);
  assert_count (r, "a", GW_METRICS_COL_OPEN_NOW, 0);
  assert_count (r, "a", GW_METRICS_COL_STAGE_FIRST + GW_STAGE_CLOSED, 3);

  /* b: b1 closed (reworked, on time), b2 open and overdue (due), b3 open, deadline after
   * the range's end (not due, but late now), b5 closed after now (open, not due). */
  assert_count (r, "b", GW_METRICS_COL_CASES, 4);
  assert_count (r, "b", GW_METRICS_COL_CLOSED, 1);
  assert_count (r, "b", GW_METRICS_COL_DUE_TO_CLOSE, 2);
  assert_count (r, "b", GW_METRICS_COL_CLOSED_ON_TIME, 1);
  assert_near (r, "b", GW_METRICS_COL_CLOSURE_RATE, 0.5);
  assert_near (r, "b", GW_METRICS_COL_ON_TIME_CLOSURE_RATE, 0.5);
  assert_count (r, "b", GW_METRICS_COL_REWORKED, 1);
  assert_near (r, "b", GW_METRICS_COL_REWORK_RATE, 0.5);
  assert_count (r, "b", GW_METRICS_COL_OPEN_NOW, 3);
  assert_count (r, "b", GW_METRICS_COL_LATE_NOW, 2);  /* b2, b3 */
  /* Handling: b1 handled at +40 h (after the rework) ≤ +48 h: on time; b2 due, not
   * handled; b3 not due; b5 handled at +102 h ≤ +200 h. */
  assert_count (r, "b", GW_METRICS_COL_DUE_TO_HANDLE, 3);
  assert_count (r, "b", GW_METRICS_COL_HANDLED_ON_TIME, 2);
  assert_count (r, "b", GW_METRICS_COL_STAGE_FIRST + GW_STAGE_DISPATCHED, 2);
  assert_count (r, "b", GW_METRICS_COL_STAGE_FIRST + GW_STAGE_REPORTED_DONE, 1);  /* b5 at now */

  /* (unassigned): c1, closed without a deadline: due (closed) but never on time. */
  assert_count (r, GW_METRICS_UNASSIGNED, GW_METRICS_COL_CLOSED, 1);
  assert_count (r, GW_METRICS_UNASSIGNED, GW_METRICS_COL_NO_DEADLINE, 1);
  assert_count (r, GW_METRICS_UNASSIGNED, GW_METRICS_COL_CLOSED_ON_TIME, 0);
  assert_count (r, GW_METRICS_UNASSIGNED, GW_METRICS_COL_DUE_TO_HANDLE, 0);
  assert_undef (r, GW_METRICS_UNASSIGNED, GW_METRICS_COL_ON_TIME_HANDLING_RATE);

  /* Total = the sum of the groups. */
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_CASES, 8);
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_CLOSED, 5);
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_DUE_TO_CLOSE, 6);
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_CLOSED_ON_TIME, 3);
  assert_near (r, GW_METRICS_TOTAL, GW_METRICS_COL_ON_TIME_CLOSURE_RATE, 0.5);

  /* Composite, default weights: 0.5 × 按期 + 0.3 × 结案 + 0.2 × (1 − 返工). */
  assert_near (r, "a", GW_METRICS_COL_SCORE, 100 * (0.5 * 2.0 / 3 + 0.3 * 1 + 0.2 * 1));
  assert_near (r, "b", GW_METRICS_COL_SCORE, 100 * (0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 0.5));
  /* No visits anywhere: the 三率 are undefined. */
  assert_undef (r, "a", GW_METRICS_COL_RESPONSE_RATE);
  assert_undef (r, "a", GW_METRICS_COL_HOTLINE_SCORE);

  /* Traceability. */
  g_autofree char *ot = ids_for (r, "a", GW_METRICS_COL_CLOSED_ON_TIME, FALSE);
  g_assert_cmpstr (ot, ==, "a1,a3");
  g_autofree char *due = ids_for (r, "b", GW_METRICS_COL_ON_TIME_CLOSURE_RATE, FALSE);
  g_assert_cmpstr (due, ==, "b1,b2");
  g_autofree char *late = ids_for (r, GW_METRICS_TOTAL, GW_METRICS_COL_LATE_NOW, FALSE);
  g_assert_cmpstr (late, ==, "b2,b3");
  g_autofree char *rw = ids_for (r, "b", GW_METRICS_COL_REWORKED, FALSE);
  g_assert_cmpstr (rw, ==, "b1");
}

static void
test_durations (void)
{
  g_autoptr(GPtrArray) cases = department_cases ();
  GwMetricsQuery q;
  department_query (&q);
  g_autoptr(GwMetricsResult) r = run (cases, &q);
  GwMetricsColumn n = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_DISPATCHED, GW_METRICS_DUR_N);

  /* received → dispatched: a1 10, a2 20, a3 30 min. */
  assert_count (r, "a", n, 3);
  assert_near (r, "a", n + GW_METRICS_DUR_MEAN, 20 * 60);
  assert_near (r, "a", n + GW_METRICS_DUR_MEDIAN, 20 * 60);
  assert_near (r, "a", n + GW_METRICS_DUR_P90, 30 * 60);
  /* b: b1 40, b2 50, b3 60, b5 10 min: n = 4, median = rank 2 = 40, p90 = rank 4 = 60. */
  assert_count (r, "b", n, 4);
  assert_near (r, "b", n + GW_METRICS_DUR_MEDIAN, 40 * 60);
  assert_near (r, "b", n + GW_METRICS_DUR_P90, 60 * 60);
  assert_near (r, "b", n + GW_METRICS_DUR_MEAN, 40 * 60);
  /* Total: 10 10 20 30 40 50 60 (c1 never dispatched): median rank 4 = 30, p90 rank 7. */
  assert_count (r, GW_METRICS_TOTAL, n, 7);
  assert_near (r, GW_METRICS_TOTAL, n + GW_METRICS_DUR_MEDIAN, 30 * 60);
  assert_near (r, GW_METRICS_TOTAL, n + GW_METRICS_DUR_P90, 60 * 60);

  /* received → closed: only cases closed at now. a: 3, 30, 50 h. b: b1 41 h only (b5
   * closes after now and contributes nothing). */
  GwMetricsColumn c = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_CLOSED, GW_METRICS_DUR_N);
  assert_count (r, "a", c, 3);
  assert_near (r, "a", c + GW_METRICS_DUR_MEDIAN, 30 * 3600);
  assert_near (r, "a", c + GW_METRICS_DUR_MEAN, (3 + 30 + 50) * 3600 / 3.0);
  assert_count (r, "b", c, 1);
  assert_near (r, "b", c + GW_METRICS_DUR_MEDIAN, 41 * 3600);
  /* dispatched → reported done uses the first report: b1 5 h − 40 min; b5 110 min. */
  GwMetricsColumn dd = gw_metrics_duration_column (GW_METRICS_DUR_DISPATCHED_DONE, GW_METRICS_DUR_N);
  assert_count (r, "b", dd, 2);
  assert_near (r, "b", dd + GW_METRICS_DUR_MEDIAN, 110 * 60);
  assert_near (r, "b", dd + GW_METRICS_DUR_P90, 5 * 3600 - 40 * 60);
  /* dispatched → on site: b2, b3 never got there. */
  GwMetricsColumn ds = gw_metrics_duration_column (GW_METRICS_DUR_DISPATCHED_ON_SITE, GW_METRICS_DUR_N);
  assert_count (r, "b", ds, 2);
  /* Nothing in "(unassigned)" was dispatched. */
  assert_count (r, GW_METRICS_UNASSIGNED, n, 0);
  assert_undef (r, GW_METRICS_UNASSIGNED, n + GW_METRICS_DUR_MEDIAN);

  /* The cases behind a duration come sorted by it: the median is entry ⌈n/2⌉ − 1. */
  int row = gw_metrics_result_find_row (r, GW_METRICS_TOTAL);
  g_autoptr(GPtrArray) ids = gw_metrics_case_ids_for (r, (guint) row, n + GW_METRICS_DUR_MEDIAN);
  g_autoptr(GArray) det = gw_metrics_details_for (r, (guint) row, n + GW_METRICS_DUR_MEDIAN);
  g_assert_cmpuint (ids->len, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "a1");  /* ties by id: a1 < b5 */
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, "b5");
  g_assert_cmpstr (g_ptr_array_index (ids, 3), ==, "a3");
  g_assert_cmpint (g_array_index (det, GwMetricsCaseDetail, 3).duration[GW_METRICS_DUR_RECEIVED_DISPATCHED],
                   ==, 30 * M);
}

/* Nearest rank on more values, and the edge counts 1 and 2. */
static void
test_percentiles (void)
{
  static const int minutes[] = { 7, 3, 9, 1, 10, 5, 2, 8, 6, 4 };  /* 1..10 */
  g_autoptr(GPtrArray) cases = cases_array ();
  for (guint i = 0; i < G_N_ELEMENTS (minutes); i++)
    {
      g_autofree char *id = g_strdup_printf ("p%02u", i);
      /* dept "ten" gets all; "one" the first; "two" the first two. */
      Builder b = dispatched_case (id, "ten", T0 + i * H, minutes[i] * M, GW_TIME_NONE);
      g_ptr_array_add (cases, b.inc);
      if (i < 2)
        {
          g_autofree char *id2 = g_strdup_printf ("q%02u", i);
          b = dispatched_case (id2, "two", T0 + i * H, minutes[i] * M, GW_TIME_NONE);
          g_ptr_array_add (cases, b.inc);
        }
      if (i == 0)
        {
          b = dispatched_case ("r", "one", T0, minutes[i] * M, GW_TIME_NONE);
          g_ptr_array_add (cases, b.inc);
        }
    }
  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.now = T0 + 100 * H;
  g_autoptr(GwMetricsResult) r = run (cases, &q);
  GwMetricsColumn n = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_DISPATCHED, GW_METRICS_DUR_N);

  assert_near (r, "ten", n + GW_METRICS_DUR_MEDIAN, 5 * 60);   /* rank 5 */
  assert_near (r, "ten", n + GW_METRICS_DUR_P90, 9 * 60);      /* rank 9 */
  assert_near (r, "ten", n + GW_METRICS_DUR_MEAN, 5.5 * 60);
  assert_near (r, "two", n + GW_METRICS_DUR_MEDIAN, 3 * 60);   /* {3, 7}: rank 1 */
  assert_near (r, "two", n + GW_METRICS_DUR_P90, 7 * 60);      /* rank 2 */
  assert_near (r, "one", n + GW_METRICS_DUR_MEDIAN, 7 * 60);
  assert_near (r, "one", n + GW_METRICS_DUR_P90, 7 * 60);
  /* No deadline anywhere: nothing open is due, timeliness is undefined. */
  assert_count (r, "ten", GW_METRICS_COL_NO_DEADLINE, 10);
  assert_count (r, "ten", GW_METRICS_COL_DUE_TO_CLOSE, 0);
  assert_undef (r, "ten", GW_METRICS_COL_CLOSURE_RATE);
  assert_undef (r, "ten", GW_METRICS_COL_SCORE);
}

/* A case closed, appealed and reworked is open again; re-closed, its last close counts. */
static void
test_reopened (void)
{
  g_autoptr(GPtrArray) cases = cases_array ();
  Builder b = dispatched_case ("x", "a", T0, 10 * M, T0 + 24 * H);
  step (&b, GW_STAGE_ON_SITE, T0 + 1 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 2 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 3 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_APPEAL, T0 + 10 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REWORK, T0 + 11 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_REPORTED_DONE, T0 + 20 * H, GW_TIME_NONE);
  step (&b, GW_STAGE_CLOSED, T0 + 30 * H, GW_TIME_NONE);
  g_ptr_array_add (cases, b.inc);

  GwMetricsColumn c = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_CLOSED, GW_METRICS_DUR_MEDIAN);
  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.to = T0 + 100 * H;

  /* As of +5 h: closed on time at +3 h. */
  q.now = T0 + 5 * H;
  g_autoptr(GwMetricsResult) r1 = run (cases, &q);
  assert_count (r1, "a", GW_METRICS_COL_CLOSED_ON_TIME, 1);
  assert_count (r1, "a", GW_METRICS_COL_REWORKED, 0);
  assert_near (r1, "a", c, 3 * 3600);

  /* As of +15 h: reopened, in rework, not handled, overdue? not yet (deadline +24 h). */
  q.now = T0 + 15 * H;
  g_autoptr(GwMetricsResult) r2 = run (cases, &q);
  assert_count (r2, "a", GW_METRICS_COL_CLOSED, 0);
  assert_count (r2, "a", GW_METRICS_COL_OPEN_NOW, 1);
  assert_count (r2, "a", GW_METRICS_COL_DUE_TO_CLOSE, 0);
  assert_count (r2, "a", GW_METRICS_COL_DUE_TO_HANDLE, 0);
  assert_count (r2, "a", GW_METRICS_COL_STAGE_FIRST + GW_STAGE_REWORK, 1);
  assert_undef (r2, "a", c);

  /* As of +40 h: closed late at +30 h, reworked, handled late (re-reported at +20 h is
   * on time: the deadline is +24 h). */
  q.now = T0 + 40 * H;
  g_autoptr(GwMetricsResult) r3 = run (cases, &q);
  assert_count (r3, "a", GW_METRICS_COL_CLOSED, 1);
  assert_count (r3, "a", GW_METRICS_COL_CLOSED_ON_TIME, 0);
  assert_count (r3, "a", GW_METRICS_COL_REWORKED, 1);
  assert_count (r3, "a", GW_METRICS_COL_HANDLED_ON_TIME, 1);
  assert_near (r3, "a", c, 30 * 3600);
  /* The first report still gives dispatched → done. */
  assert_near (r3, "a", gw_metrics_duration_column (GW_METRICS_DUR_DISPATCHED_DONE,
                                                    GW_METRICS_DUR_MEDIAN), 110 * 60);
}

/* 三率 and the weights. */
static void
test_hotline (void)
{
  static const struct { gboolean contacted, resolved; GwSatisfaction s; } visits[] = {
    { TRUE, TRUE, GW_SATISFACTION_SATISFIED },
    { TRUE, TRUE, GW_SATISFACTION_BASIC },
    { TRUE, FALSE, GW_SATISFACTION_UNSATISFIED },
    { FALSE, FALSE, GW_SATISFACTION_NONE },
  };
  g_autoptr(GPtrArray) cases = cases_array ();
  for (guint i = 0; i < G_N_ELEMENTS (visits); i++)
    {
      g_autofree char *id = g_strdup_printf ("v%u", i);
      Builder b = dispatched_case (id, "a", T0 + i * H, 10 * M, T0 + 100 * H);
      step (&b, GW_STAGE_ON_SITE, T0 + i * H + 20 * M, GW_TIME_NONE);
      step (&b, GW_STAGE_REPORTED_DONE, T0 + i * H + 30 * M, GW_TIME_NONE);
      step (&b, GW_STAGE_CLOSED, T0 + i * H + 40 * M, GW_TIME_NONE);
      b.inc->source = GW_SOURCE_HOTLINE;
      b.inc->visited = TRUE;
      b.inc->visit_contacted = visits[i].contacted;
      b.inc->visit_resolved = visits[i].resolved;
      b.inc->satisfaction = visits[i].s;
      g_ptr_array_add (cases, b.inc);
    }
  /* One case without a visit: not in the 三率's base. */
  Builder b = dispatched_case ("nv", "a", T0, 10 * M, T0 + 100 * H);
  g_ptr_array_add (cases, b.inc);

  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.now = T0 + 200 * H;
  g_autoptr(GwMetricsResult) r = run (cases, &q);
  assert_count (r, "a", GW_METRICS_COL_VISITED, 4);
  assert_near (r, "a", GW_METRICS_COL_RESPONSE_RATE, 0.75);
  assert_near (r, "a", GW_METRICS_COL_RESOLUTION_RATE, 0.5);
  assert_near (r, "a", GW_METRICS_COL_SATISFACTION_RATE, 1.9 / 4);
  assert_near (r, "a", GW_METRICS_COL_HOTLINE_SCORE, 100 * (0.30 * 0.75 + 0.35 * 0.5 + 0.35 * 1.9 / 4));

  /* Custom weights, un-normalised: 1, 1, 2; and a score made of the 三率 and 按期 only. */
  q.hotline_weights = (GwMetricsHotlineWeights) { 1, 1, 2 };
  q.score_weights = (GwMetricsScoreWeights) { .on_time_closure = 1, .hotline = 1 };
  g_autoptr(GwMetricsResult) r2 = run (cases, &q);
  double hot = (0.75 + 0.5 + 2 * 1.9 / 4) / 4;
  assert_near (r2, "a", GW_METRICS_COL_HOTLINE_SCORE, 100 * hot);
  /* 按期: 4 closed on time, "nv" open and overdue (deadline +100 h < now): 4 / 5. */
  assert_near (r2, "a", GW_METRICS_COL_ON_TIME_CLOSURE_RATE, 0.8);
  assert_near (r2, "a", GW_METRICS_COL_SCORE, 100 * (0.8 + hot) / 2);
  g_autofree char *v = ids_for (r2, "a", GW_METRICS_COL_SATISFACTION_RATE, FALSE);
  g_assert_cmpstr (v, ==, "v0,v1,v2,v3");
}

/* Groups by cell, community (labels from cells) and class; assumed deadlines. */
static void
test_groups (void)
{
  g_autoptr(GPtrArray) cases = cases_array ();
  static const char *cells[] = { "41010200600101", "41010200600102", "41010200600201", "bad", NULL };
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autofree char *id = g_strdup_printf ("g%u", i);
      Builder b = case_new (id, "a", T0 + i * H);
      b.inc->cell_code = g_strdup (cells[i]);
      g_free (b.inc->class_code);
      b.inc->class_code = g_strdup (i % 2 ? "0202" : "0101");
      g_ptr_array_add (cases, b.inc);
    }
  g_autoptr(GPtrArray) cell_ref = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  GwCell *c = gw_cell_new ();
  c->code = g_strdup ("41010200600101");
  c->name = g_strdup ("一网格");
  c->community = g_strdup ("北站社区, \"东\"");
  g_ptr_array_add (cell_ref, c);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  GwIncidentClass *k = gw_incident_class_new ();
  k->code = g_strdup ("0101");
  k->name = g_strdup ("垃圾满溢");
  k->deadline_hours = 2;
  g_ptr_array_add (classes, k);

  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.now = T0 + 3 * H;
  q.cells = cell_ref;
  q.classes = classes;
  q.default_deadline_hours = 10;

  q.by = GW_METRICS_BY_COMMUNITY;
  g_autoptr(GwMetricsResult) r = run (cases, &q);
  g_assert_cmpuint (gw_metrics_result_get_n_rows (r), ==, 4);
  g_assert_cmpstr (gw_metrics_result_get_key (r, 0), ==, "410102006001");
  g_assert_cmpstr (gw_metrics_result_get_label (r, 0), ==, "北站社区, \"东\"");
  g_assert_cmpstr (gw_metrics_result_get_label (r, 1), ==, "410102006002");
  assert_count (r, "410102006001", GW_METRICS_COL_CASES, 2);
  assert_count (r, GW_METRICS_UNASSIGNED, GW_METRICS_COL_CASES, 2);  /* "bad" and none */
  /* Deadlines: class 0101 → +2 h (g0, g2, g4), 0202 → the default +10 h (g1, g3).
   * At +3 h: g0 (due +2 h) and g2 (+4 h)... g2 received at +2 h is due +4 h: not late. */
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_DEADLINE_ASSUMED, 5);
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_LATE_NOW, 1);
  assert_count (r, GW_METRICS_TOTAL, GW_METRICS_COL_DUE_TO_CLOSE, 1);
  g_autofree char *late = ids_for (r, GW_METRICS_TOTAL, GW_METRICS_COL_LATE_NOW, FALSE);
  g_assert_cmpstr (late, ==, "g0");

  q.by = GW_METRICS_BY_CELL;
  g_autoptr(GwMetricsResult) rc = run (cases, &q);
  g_assert_cmpuint (gw_metrics_result_get_n_rows (rc), ==, 6);  /* 3 cells, "bad", unassigned, all */
  g_assert_cmpstr (gw_metrics_result_get_label (rc, 0), ==, "一网格");
  assert_count (rc, "bad", GW_METRICS_COL_CASES, 1);

  q.by = GW_METRICS_BY_CLASS;
  g_autoptr(GwMetricsResult) rk = run (cases, &q);
  g_assert_cmpuint (gw_metrics_result_get_n_rows (rk), ==, 3);
  g_assert_cmpstr (gw_metrics_result_get_label (rk, 0), ==, "垃圾满溢");
  assert_count (rk, "0101", GW_METRICS_COL_CASES, 3);
  assert_count (rk, "0202", GW_METRICS_COL_CASES, 2);

  q.by = GW_METRICS_BY_NONE;
  g_autoptr(GwMetricsResult) rn = run (cases, &q);
  g_assert_cmpuint (gw_metrics_result_get_n_rows (rn), ==, 1);
  assert_count (rn, GW_METRICS_TOTAL, GW_METRICS_COL_CASES, 5);

  /* CSV: BOM, CRLF, quoting, percentages, empty undefined fields. */
  q.by = GW_METRICS_BY_COMMUNITY;
  g_autoptr(GBytes) csv = gw_metrics_csv_export (r);
  gsize len;
  const char *text = g_bytes_get_data (csv, &len);
  g_assert_cmpmem (text, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_str_has_prefix (text + 3, "group_by,key,label,cases (案件数),"));
  g_assert_nonnull (strstr (text, "\r\ncommunity,410102006001,\"北站社区, \"\"东\"\"\",2,"));
  g_assert_nonnull (strstr (text, ",closure_rate (结案率 %),"));
  g_assert_true (g_utf8_validate (text + 3, (gssize) len - 3, NULL));
  /* Every line has as many fields as the header (no field here holds a line break). */
  g_auto(GStrv) lines = g_strsplit (text + 3, "\r\n", -1);
  guint n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, ==, 1 + 4 + 1);  /* header, 4 rows, "" after the last CRLF */
  g_autoptr(GBytes) drill = gw_metrics_csv_export_cases (r, 0, GW_METRICS_COL_CASES);
  g_assert_nonnull (strstr (g_bytes_get_data (drill, NULL), "\r\ng0,g0,a,41010200600101,0101,received,"));
}

static void
test_format (void)
{
  g_autofree char *a = gw_metrics_csv_format (GW_METRICS_COL_CLOSURE_RATE, 2.0 / 3);
  g_autofree char *b = gw_metrics_csv_format (GW_METRICS_COL_CLOSURE_RATE, NAN);
  g_autofree char *c = gw_metrics_csv_format (gw_metrics_duration_column (0, GW_METRICS_DUR_MEDIAN), 61.5);
  g_autofree char *d = gw_metrics_csv_format (gw_metrics_duration_column (0, GW_METRICS_DUR_MEDIAN), 3600);
  g_autofree char *e = gw_metrics_csv_format (GW_METRICS_COL_CASES, 1234567);
  g_assert_cmpstr (a, ==, "66.67");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "61.5");
  g_assert_cmpstr (d, ==, "3600");
  g_assert_cmpstr (e, ==, "1234567");

  /* Every column has an id, names and a definition. */
  for (guint i = 0; i < GW_METRICS_N_COLUMNS; i++)
    {
      const GwMetricsColumnInfo *info = gw_metrics_column_info (i);
      g_assert_nonnull (info->id);
      g_assert_nonnull (info->name_zh);
      g_assert_nonnull (info->name_en);
      g_assert_nonnull (info->description);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (gw_metrics_column_info (j)->id, !=, info->id);
    }
  GwMetricsGroupBy by;
  g_assert_true (gw_metrics_group_by_from_string ("community", &by));
  g_assert_cmpint (by, ==, GW_METRICS_BY_COMMUNITY);
  g_assert_false (gw_metrics_group_by_from_string ("street", &by));
}

/* Many cases: one thread and two give the same table; async in a worker thread. */
static GPtrArray *
many_cases (guint n)
{
  GPtrArray *cases = cases_array ();
  static const char *depts[] = { "chengguan", "huanwei", "zhujian", NULL };
  for (guint i = 0; i < n; i++)
    {
      char id[32];
      g_snprintf (id, sizeof id, "m%07u", i);
      GwTime t = T0 + (GwTime) i * 7 * G_USEC_PER_SEC;
      Builder b = case_new (id, depts[i % 4], t);
      guint x = (i * 2654435761u) >> 7;
      if (i % 4 != 3)
        {
          step (&b, GW_STAGE_REGISTERED, t + M, GW_TIME_NONE);
          step (&b, GW_STAGE_DISPATCHED, t + (2 + x % 50) * M, t + 24 * H);
          if (x % 5)
            step (&b, GW_STAGE_ON_SITE, t + (60 + x % 90) * M, GW_TIME_NONE);
          if (x % 5 > 1)
            step (&b, GW_STAGE_REPORTED_DONE, t + (3 + x % 40) * H, GW_TIME_NONE);
          if (x % 5 > 2)
            step (&b, GW_STAGE_CLOSED, t + (4 + x % 40) * H, GW_TIME_NONE);
        }
      g_ptr_array_add (cases, b.inc);
    }
  return cases;
}

static void
done_cb (GObject *source G_GNUC_UNUSED, GAsyncResult *res, gpointer data)
{
  GwMetricsResult **out = data;
  g_autoptr(GError) error = NULL;
  *out = gw_metrics_compute_finish (res, &error);
  g_assert_no_error (error);
}

static void
cancelled_cb (GObject *source G_GNUC_UNUSED, GAsyncResult *res, gpointer data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;
  GwMetricsResult *r = gw_metrics_compute_finish (res, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_threads_async (void)
{
  g_autoptr(GPtrArray) cases = many_cases (300000);
  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.from = T0 + H;
  q.to = T0 + 20 * 24 * H;
  q.now = T0 + 21 * 24 * H;
  q.n_threads = 1;
  g_autoptr(GwMetricsResult) one = run (cases, &q);
  q.n_threads = 2;
  g_autoptr(GwMetricsResult) two = run (cases, &q);
  GwMetricsResult *async = NULL;
  gw_metrics_compute_async (cases, &q, NULL, done_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Three departments, "(unassigned)" (no department) and the total. */
  g_assert_cmpuint (gw_metrics_result_get_n_rows (one), ==, 5);
  for (guint row = 0; row < 5; row++)
    for (guint c = 0; c < GW_METRICS_N_COLUMNS; c++)
      {
        double a = gw_metrics_result_get (one, row, c);
        double b = gw_metrics_result_get (two, row, c);
        double d = gw_metrics_result_get (async, row, c);
        g_assert_cmpstr (gw_metrics_result_get_key (one, row), ==, gw_metrics_result_get_key (two, row));
        g_assert_true ((isnan (a) && isnan (b) && isnan (d)) ||
                       (fabs (a - b) <= 1e-9 * fabs (a) && fabs (a - d) <= 1e-9 * fabs (a)));
      }
  /* Counts add up: the groups' cases are the total's. */
  double sum = 0;
  for (guint row = 0; row < 4; row++)
    sum += gw_metrics_result_get (one, row, GW_METRICS_COL_CASES);
  g_assert_cmpfloat (sum, ==, gw_metrics_result_get (one, 4, GW_METRICS_COL_CASES));
  g_assert_cmpfloat (sum, ==, (double) gw_metrics_result_get_n_cases (one));
  gw_metrics_result_unref (async);

  /* Cancelled before it runs: an error, no result. */
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;
  g_cancellable_cancel (cancellable);
  gw_metrics_compute_async (cases, &q, cancellable, cancelled_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A naive recomputation of the median on random data agrees with the selection. */
static void
test_selection_random (void)
{
  g_autoptr(GPtrArray) cases = cases_array ();
  GRand *rand = g_rand_new_with_seed (42);
  guint n = 1001;
  g_autofree gint64 *v = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      char id[16];
      g_snprintf (id, sizeof id, "s%04u", i);
      /* Many duplicates, to exercise the three-way partition. */
      v[i] = (gint64) g_rand_int_range (rand, 0, 50) * M;
      Builder b = dispatched_case (id, "a", T0, v[i] < M ? M : v[i], GW_TIME_NONE);
      v[i] = v[i] < M ? M : v[i];
      g_ptr_array_add (cases, b.inc);
    }
  g_rand_free (rand);
  GwMetricsQuery q;
  gw_metrics_query_init (&q);
  q.now = T0 + 100 * H;
  g_autoptr(GwMetricsResult) r = run (cases, &q);
  qsort (v, n, sizeof *v, cmp_i64);
  GwMetricsColumn c = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_DISPATCHED, GW_METRICS_DUR_N);
  assert_near (r, "a", c + GW_METRICS_DUR_MEDIAN, v[500] / 1e6);  /* rank 501 */
  assert_near (r, "a", c + GW_METRICS_DUR_P90, v[900] / 1e6);     /* rank ⌈900.9⌉ = 901 */
}

/* ---- breakdowns for the charts ---------------------------------------------------- */

static char *
join_ids (GPtrArray *cases)
{
  g_autoptr(GString) out = g_string_new (NULL);
  for (guint i = 0; i < cases->len; i++)
    g_string_append_printf (out, "%s%s", i ? "," : "", ((GwIncident *) g_ptr_array_index (cases, i))->id);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The department scenario in Beijing time: T0 is Thursday 2026-01-01 08:00 there. */
static void
test_breakdown (void)
{
  g_autoptr(GPtrArray) cases = department_cases ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  GwMetricsQuery q;
  department_query (&q);
  g_autoptr(GwMetricsResult) r = run (cases, &q);
  g_autoptr(GwMetricsBreakdown) b = gw_metrics_breakdown_new (r, tz);
  guint total = gw_metrics_result_get_n_rows (r) - 1;
  const GwMetricsDuration rd = GW_METRICS_DUR_RECEIVED_DISPATCHED;

  /* Buckets: lower bounds included. */
  g_assert_cmpuint (gw_metrics_duration_bucket (0), ==, 0);
  g_assert_cmpuint (gw_metrics_duration_bucket (15 * M - 1), ==, 0);
  g_assert_cmpuint (gw_metrics_duration_bucket (15 * M), ==, 1);
  g_assert_cmpuint (gw_metrics_duration_bucket (60 * M), ==, 3);
  g_assert_cmpuint (gw_metrics_duration_bucket (24 * H - 1), ==, 6);
  g_assert_cmpuint (gw_metrics_duration_bucket (24 * H), ==, 7);
  g_assert_cmpuint (gw_metrics_duration_bucket (400 * H), ==, 7);
  g_assert_cmpint (gw_metrics_duration_bucket_start (3), ==, H);

  /* [T0, T0 + 5 d) touches the local days 1 … 6 January. */
  g_assert_cmpuint (gw_metrics_breakdown_get_n_days (b), ==, 6);
  g_assert_cmpint (gw_metrics_breakdown_get_day (b, total, 0)->start, ==, T0 - 8 * H);
  g_assert_cmpint (gw_metrics_breakdown_get_day (b, total, 5)->start, ==, T0 + 5 * 24 * H - 8 * H);
  /* 1 Jan: a1 a2 a3 b1 c1, all closed, all due; on time a1, a3 (extended), b1. */
  const GwMetricsDay *d0 = gw_metrics_breakdown_get_day (b, total, 0);
  g_assert_cmpuint (d0->cases, ==, 5);
  g_assert_cmpuint (d0->closed, ==, 5);
  g_assert_cmpuint (d0->due_to_close, ==, 5);
  g_assert_cmpuint (d0->closed_on_time, ==, 3);
  g_assert_cmpuint (gw_metrics_breakdown_get_day (b, total, 1)->cases, ==, 1);  /* b2 */
  g_assert_cmpuint (gw_metrics_breakdown_get_day (b, total, 4)->cases, ==, 2);  /* b3, b5 */
  g_assert_cmpuint (gw_metrics_breakdown_get_day (b, total, 4)->closed, ==, 0); /* b5 closes after now */

  /* Every row's days, hours and buckets add up to its columns. */
  for (guint row = 0; row <= total; row++)
    {
      guint cases_sum = 0, closed = 0, on_time = 0, due = 0, week = 0;
      for (guint d = 0; d < gw_metrics_breakdown_get_n_days (b); d++)
        {
          const GwMetricsDay *day = gw_metrics_breakdown_get_day (b, row, d);
          cases_sum += day->cases;
          closed += day->closed;
          on_time += day->closed_on_time;
          due += day->due_to_close;
        }
      for (guint wd = 0; wd < 7; wd++)
        for (guint h = 0; h < 24; h++)
          week += gw_metrics_breakdown_get_week_hour (b, row, wd, h);
      g_assert_cmpfloat (cases_sum, ==, gw_metrics_result_get (r, row, GW_METRICS_COL_CASES));
      g_assert_cmpfloat (week, ==, gw_metrics_result_get (r, row, GW_METRICS_COL_CASES));
      g_assert_cmpfloat (closed, ==, gw_metrics_result_get (r, row, GW_METRICS_COL_CLOSED));
      g_assert_cmpfloat (on_time, ==, gw_metrics_result_get (r, row, GW_METRICS_COL_CLOSED_ON_TIME));
      g_assert_cmpfloat (due, ==, gw_metrics_result_get (r, row, GW_METRICS_COL_DUE_TO_CLOSE));
      for (guint k = 0; k < GW_METRICS_N_DURATIONS; k++)
        {
          guint n = 0;
          for (guint bucket = 0; bucket < GW_METRICS_N_BUCKETS; bucket++)
            {
              g_autoptr(GPtrArray) in = gw_metrics_breakdown_cases_in_bucket (b, row, k, bucket);
              g_assert_cmpuint (in->len, ==, gw_metrics_breakdown_get_bucket (b, row, k, bucket));
              n += in->len;
            }
          g_assert_cmpfloat (n, ==, gw_metrics_result_get (r, row, gw_metrics_duration_column (k, GW_METRICS_DUR_N)));
        }
    }

  /* Weekday × hour (local): Thursday 08:00 has a1 and b1; Monday 08:00 b3, 12:00 b5. */
  g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, total, 3, 8), ==, 2);
  g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, total, 3, 11), ==, 1);
  g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, total, 4, 8), ==, 1);
  g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, total, 0, 8), ==, 1);
  g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, total, 0, 12), ==, 1);
  g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, total, 3, 0), ==, 0);
  {
    g_autoptr(GPtrArray) thu8 = gw_metrics_breakdown_cases_in_week_hour (b, total, 3, 8);
    g_autofree char *ids = join_ids (thu8);
    g_assert_cmpstr (ids, ==, "a1,b1");
  }
  {
    int row_b = gw_metrics_result_find_row (r, "b");
    g_autoptr(GPtrArray) mon8 = gw_metrics_breakdown_cases_in_week_hour (b, row_b, 0, 8);
    g_autofree char *ids = join_ids (mon8);
    g_assert_cmpstr (ids, ==, "b3");
    g_assert_cmpuint (gw_metrics_breakdown_get_week_hour (b, row_b, 3, 8), ==, 1);
  }

  /* Received → dispatched: 10, 20, 30, 40, 50, 60, 10 min. */
  g_assert_cmpuint (gw_metrics_breakdown_get_bucket (b, total, rd, 0), ==, 2);
  g_assert_cmpuint (gw_metrics_breakdown_get_bucket (b, total, rd, 1), ==, 1);
  g_assert_cmpuint (gw_metrics_breakdown_get_bucket (b, total, rd, 2), ==, 3);
  g_assert_cmpuint (gw_metrics_breakdown_get_bucket (b, total, rd, 3), ==, 1);
  {
    g_autoptr(GPtrArray) in = gw_metrics_breakdown_cases_in_bucket (b, total, rd, 2);
    g_autofree char *ids = join_ids (in);
    g_assert_cmpstr (ids, ==, "a3,b1,b2");  /* by duration */
  }

  /* An open range runs from the first case's day to the last's. */
  {
    GwMetricsQuery open;
    gw_metrics_query_init (&open);
    open.now = q.now;
    g_autoptr(GwMetricsResult) ro = run (cases, &open);
    g_autoptr(GwMetricsBreakdown) bo = gw_metrics_breakdown_new (ro, tz);
    /* b4 (31 Dec 22:00 local) to b5 (5 Jan): six days. */
    g_assert_cmpuint (gw_metrics_breakdown_get_n_days (bo), ==, 6);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/rates", test_rates);
  g_test_add_func ("/metrics/durations", test_durations);
  g_test_add_func ("/metrics/percentiles", test_percentiles);
  g_test_add_func ("/metrics/reopened", test_reopened);
  g_test_add_func ("/metrics/hotline", test_hotline);
  g_test_add_func ("/metrics/groups-csv", test_groups);
  g_test_add_func ("/metrics/format", test_format);
  g_test_add_func ("/metrics/selection-random", test_selection_random);
  g_test_add_func ("/metrics/threads-async", test_threads_async);
  g_test_add_func ("/metrics/breakdown", test_breakdown);
  return g_test_run ();
}
