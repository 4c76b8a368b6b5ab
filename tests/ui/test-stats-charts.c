/* test-stats-charts.c — trend, heat grid, distribution, drill-down and custom ranges
 *
 * Runs under Xvfb (dbus-run-session -- xvfb-run -a) in Beijing time (TZ=CST-8). Seven
 * hand-made cases in the 7 days up to NOW (Wednesday 2026-01-07 08:00 local):
 *
 *   a0 … a3  dept a, Monday 5 Jan 09:00–09:30, dispatched after 5, 20, 45, 90 min
 *            (one per bucket < 15 min … 1–2 h), closed after 2, 3, 30, 50 h;
 *   b0, b1   dept b, Friday 2 Jan 14:00, dispatched after 5 min, closed after 5, 10 h;
 *   b2       dept b, Tuesday 6 Jan 20:00, dispatched after 3 h, open, not yet due.
 *
 * So Monday 09:00 is the hottest heat-grid cell (4), received → dispatched's tallest
 * bucket is < 15 min (3: a0, b0, b1), and the trend of cases received peaks on 5 Jan.
 * Every drill-down is compared with a direct filter of the store.
 */
#include "gw-test-ui.h"
#include <math.h>
#include <string.h>
#include <time.h>

#include "gw-stats-view.h"
#include "gw-workflow.h"

#define WIDTH  1920
#define HEIGHT 1080

#define M   GW_USEC_PER_MIN
#define H   GW_USEC_PER_HOUR
#define DAY (24 * H)
#define T0  (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)  /* 2026-01-01T00:00Z: Thu 08:00 local */
#define NOW (T0 + 6 * DAY)                                        /* Wed 7 Jan 08:00 local */
#define MONDAY_9 (T0 + 4 * DAY + H)                               /* Mon 5 Jan 09:00 local */

typedef struct {
  GtkWidget   *window;
  GwStatsView *view;
  GwStore     *store;
  guint        computed;
} Fixture;

/* Dispatched after @dispatch with a 24 h deadline; on site, done and closed by @close
 * (0: left open after dispatch). */
static GwIncident *
make_case (const char *id, const char *dept, GwTime received, GwTime dispatch, GwTime close)
{
  const GwTime times[] = { received, received + M / 2, received + dispatch, received + dispatch + M,
                           received + close - M, received + close };
  g_autofree char *title = g_strdup_printf ("Case %s", id);

  return gw_test_incident_new (id, title, dept, times, close > 0 ? G_N_ELEMENTS (times) : 3, received + DAY);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const GwTime dispatch_a[] = { 5 * M, 20 * M, 45 * M, 90 * M };
  const GwTime close_a[] = { 2 * H, 3 * H, 30 * H, 50 * H };
  GwStoreBatch *batch = gw_store_batch_new ();

  f->store = gw_test_stats_store_new (2);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%u", i);
      g_autoptr(GwIncident) inc = make_case (id, "a", MONDAY_9 + i * 10 * M, dispatch_a[i], close_a[i]);
      gw_store_batch_upsert (batch, inc);
    }
  {
    g_autoptr(GwIncident) b0 = make_case ("b0", "b", T0 + DAY + 6 * H, 5 * M, 5 * H);
    g_autoptr(GwIncident) b1 = make_case ("b1", "b", T0 + DAY + 6 * H, 5 * M, 10 * H);
    g_autoptr(GwIncident) b2 = make_case ("b2", "b", T0 + 5 * DAY + 12 * H, 3 * H, 0);
    gw_store_batch_upsert (batch, b0);
    gw_store_batch_upsert (batch, b1);
    gw_store_batch_upsert (batch, b2);
  }
  gw_store_apply (f->store, batch);

  f->view = gw_test_stats_view_new (f->store, NOW, WIDTH, HEIGHT, &f->computed, &f->window);
  gw_test_stats_wait_computed (&f->computed, 1);
  gw_test_ui_settle (GTK_WIDGET (f->view), NULL, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GwTestImage *
render (Fixture *f, const char *name)
{
  return gw_test_ui_render_on_window (f->window, GTK_WIDGET (f->view), name);
}

/* Where @widget's (x, y) is in the view (and so in the image). */
static graphene_point_t
in_view (Fixture *f, gpointer widget, double x, double y)
{
  graphene_point_t p;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (f->view), &GRAPHENE_POINT_INIT (x, y), &p));
  return p;
}

static int
cmp_id_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
sorted_ids (GPtrArray *incidents)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < incidents->len; i++)
    g_ptr_array_add (ids, ((GwIncident *) g_ptr_array_index (incidents, i))->id);
  g_ptr_array_sort (ids, cmp_id_ptr);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

/* The ids the open drill-down lists, sorted. */
static char *
drill_ids (Fixture *f)
{
  GwDrillDown *drill = gw_stats_view_get_drill_down (f->view);
  GwCaseList *list;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (drill);
  list = gw_drill_down_get_case_list (drill);
  for (guint i = 0; i < gw_case_list_get_n_items (list); i++)
    g_ptr_array_add (ids, gw_case_list_get_text (list, i, "id"));
  g_ptr_array_sort (ids, cmp_id_ptr);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

typedef gboolean (*CaseFilter) (GwIncident *inc, gpointer data);

/* The store's cases in the view's range that @filter keeps, as sorted ids. */
static char *
direct_ids (Fixture *f, CaseFilter filter, gpointer data)
{
  g_autoptr(GPtrArray) all = gw_store_list (f->store);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GwMetricsResult *result = gw_league_table_get_result (gw_stats_view_get_league_table (f->view));
  const GwMetricsQuery *q = gw_metrics_result_get_query (result);

  for (guint i = 0; i < all->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (all, i);
      if (inc->received_at >= q->from && inc->received_at < q->to && filter (inc, data))
        g_ptr_array_add (kept, inc);
    }
  return sorted_ids (kept);
}

static gboolean
in_dept (GwIncident *inc, gpointer dept)
{
  return g_strcmp0 (inc->department, dept) == 0;
}

static gboolean
closed_in_dept (GwIncident *inc, gpointer dept)
{
  return in_dept (inc, dept) && !gw_incident_is_open (inc);
}

static gboolean
at_local (GwIncident *inc, gpointer data)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (inc->received_at / G_USEC_PER_SEC);
  guint want = GPOINTER_TO_UINT (data);  /* weekday (1 = Monday) × 100 + hour */

  return (guint) g_date_time_get_day_of_week (dt) * 100 + (guint) g_date_time_get_hour (dt) == want;
}

static gboolean
dispatched_within_15 (GwIncident *inc, gpointer data)
{
  for (guint i = 0; i < inc->timeline->len; i++)
    {
      GwStageEvent *ev = g_ptr_array_index (inc->timeline, i);
      if (ev->stage == GW_STAGE_DISPATCHED)
        return ev->time - inc->received_at < 15 * M;
    }
  return FALSE;
}

static void
assert_drill (Fixture *f, CaseFilter filter, gpointer data, const char *want)
{
  g_autofree char *got = drill_ids (f);
  g_autofree char *direct = direct_ids (f, filter, data);

  g_assert_cmpstr (got, ==, direct);
  g_assert_cmpstr (got, ==, want);
}

static void
test_charts (Fixture *f, gconstpointer data)
{
  GwStatsCharts *charts = gw_stats_view_get_charts (f->view);
  GwHeatGrid *heat = gw_stats_charts_get_heat_grid (charts);
  GwDistributionChart *dist = gw_stats_charts_get_distribution (charts);
  GwTrendChart *trend = gw_stats_charts_get_trend (charts);
  graphene_rect_t cell, quiet, tall, empty;
  graphene_point_t peak, first, p;
  GdkRGBA hot, purple, line;
  guint best = 0, best_d = 0, best_h = 0;

  /* Heat grid: Monday 09:00 (4 cases) is the hottest cell. */
  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      if (gw_heat_grid_get_count (heat, d, h) > best)
        {
          best = gw_heat_grid_get_count (heat, d, h);
          best_d = d;
          best_h = h;
        }
  g_assert_cmpuint (best, ==, 4);
  g_assert_cmpuint (best_d, ==, 0);
  g_assert_cmpuint (best_h, ==, 9);
  g_assert_cmpuint (gw_heat_grid_get_count (heat, 4, 14), ==, 2);  /* Friday 14:00 */
  g_assert_cmpuint (gw_heat_grid_get_count (heat, 1, 20), ==, 1);  /* Tuesday 20:00 */
  g_assert_true (gw_heat_grid_get_cell_bounds (heat, 0, 9, &cell));
  g_assert_true (gw_heat_grid_get_cell_bounds (heat, 1, 3, &quiet));
  {
    guint d, h;
    g_assert_true (gw_heat_grid_pick (heat, cell.origin.x + 2, cell.origin.y + 2, &d, &h));
    g_assert_cmpuint (d * 100 + h, ==, 9);
  }

  /* Distribution: received → dispatched, buckets < 15 min (3), 15–30, 30–60, 1–2 h,
   * 2–4 h (1 each); the median is a1's 20 min, p90 b2's 3 h. */
  g_assert_true (gw_distribution_chart_get_bar_bounds (dist, GW_METRICS_DUR_RECEIVED_DISPATCHED, 0, &tall));
  g_assert_true (gw_distribution_chart_get_bar_bounds (dist, GW_METRICS_DUR_RECEIVED_DISPATCHED, 5, &empty));
  g_assert_cmpfloat (empty.size.height, ==, 0);
  {
    graphene_rect_t one;
    double median, p90;
    g_assert_true (gw_distribution_chart_get_bar_bounds (dist, GW_METRICS_DUR_RECEIVED_DISPATCHED, 3, &one));
    g_assert_cmpfloat_with_epsilon (tall.size.height, 3 * one.size.height, 0.01);
    g_assert_true (gw_distribution_chart_get_marker_x (dist, GW_METRICS_DUR_RECEIVED_DISPATCHED, GW_METRICS_DUR_MEDIAN, &median));
    g_assert_true (gw_distribution_chart_get_marker_x (dist, GW_METRICS_DUR_RECEIVED_DISPATCHED, GW_METRICS_DUR_P90, &p90));
    /* 20 min: inside the 15–30 min column; 3 h: inside 2–4 h. */
    g_assert_cmpfloat (median, >, tall.origin.x + tall.size.width);
    g_assert_cmpfloat (median, <, one.origin.x - one.size.width);
    g_assert_cmpfloat (p90, >, one.origin.x + one.size.width);
  }

  /* Trend of cases received: 8 local days (31 Dec … 7 Jan); 4 on 5 Jan, the top. */
  g_assert_cmpuint (gw_trend_chart_get_n_lines (trend), ==, 1);
  g_assert_cmpfloat (gw_trend_chart_get_value (trend, 0, 5), ==, 4);
  g_assert_cmpfloat (gw_trend_chart_get_value (trend, 0, 2), ==, 2);
  g_assert_cmpfloat (gw_trend_chart_get_value (trend, 0, 0), ==, 0);
  g_assert_true (gw_trend_chart_get_point (trend, 0, 5, &peak));
  g_assert_true (gw_trend_chart_get_point (trend, 0, 0, &first));
  g_assert_cmpfloat (peak.y, <, first.y - 100);

  g_autoptr(GwTestImage) image = render (f, "stats-charts.png");
  gw_heat_grid_get_color (1.0, &hot);
  p = in_view (f, heat, cell.origin.x + 3, cell.origin.y + 3);
  gw_test_image_assert_color (image, p.x, p.y, &hot, 0.03);
  p = in_view (f, heat, quiet.origin.x + quiet.size.width / 2, quiet.origin.y + quiet.size.height / 2);
  g_assert_false (gw_test_image_color_near (image, p.x, p.y, &hot, 0.2));

  gw_distribution_chart_get_bar_color (&purple);
  p = in_view (f, dist, tall.origin.x + tall.size.width / 2, tall.origin.y + 4);
  gw_test_image_assert_color (image, p.x, p.y, &purple, 0.03);
  p = in_view (f, dist, empty.origin.x + empty.size.width / 2, empty.origin.y - 10);
  g_assert_false (gw_test_image_color_near (image, p.x, p.y, &purple, 0.2));

  gw_trend_chart_get_line_color (0, &line);
  p = in_view (f, trend, peak.x, peak.y);
  gw_test_image_assert_color (image, p.x, p.y, &line, 0.1);

  /* Selecting b in the table: the charts follow it, the trend adds its line. */
  {
    GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
    GtkSelectionModel *model = gtk_column_view_get_model (gw_league_table_get_column_view (table));
    guint pos = gw_league_table_get_key (table, 0)[0] == 'b' ? 0 : 1;

    gtk_selection_model_select_item (model, pos, TRUE);
    g_assert_cmpuint (gw_stats_charts_get_focus_row (charts), ==, gw_league_table_get_result_row (table, pos));
    g_assert_cmpuint (gw_trend_chart_get_n_lines (trend), ==, 2);
    g_assert_cmpuint (gw_heat_grid_get_count (heat, 0, 9), ==, 0);
    g_assert_cmpuint (gw_heat_grid_get_count (heat, 4, 14), ==, 2);
    gw_test_ui_settle (GTK_WIDGET (f->view), NULL, NULL);
    g_autoptr(GwTestImage) focused = render (f, "stats-charts-focus.png");

    /* A recomputation (as the live feed causes) keeps the group. */
    gw_stats_view_recompute (f->view);
    gw_test_stats_wait_computed (&f->computed, 2);
    g_assert_cmpuint (gw_stats_charts_get_focus_row (charts), ==,
                      (guint) gw_metrics_result_find_row (gw_league_table_get_result (table), "b"));
    g_assert_cmpuint (gw_trend_chart_get_n_lines (trend), ==, 2);
    g_assert_cmpuint (gw_heat_grid_get_count (heat, 4, 14), ==, 2);

    /* "All Cases" drops it. */
    g_signal_emit_by_name (charts, "show-all");
    g_assert_cmpuint (gw_trend_chart_get_n_lines (trend), ==, 1);
    g_assert_cmpuint (gw_heat_grid_get_count (heat, 0, 9), ==, 4);
  }
}

static void
incident_activated_cb (GwStatsView *view, GwIncident *incident, char **got)
{
  g_free (*got);
  *got = g_strdup (incident->id);
}

static void
test_drill_down (Fixture *f, gconstpointer data)
{
  GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
  GwMetricsResult *result = gw_league_table_get_result (table);
  GwStatsCharts *charts = gw_stats_view_get_charts (f->view);
  guint pos_a = g_strcmp0 (gw_league_table_get_key (table, 0), "a") == 0 ? 0 : 1;
  g_autofree char *activated = NULL;

  /* Table numbers: a's cases; b's 按期结案率 is over its 2 closed cases (b2 not due). */
  gw_league_table_activate_cell (table, pos_a, "cases");
  assert_drill (f, in_dept, "a", "a0,a1,a2,a3");
  gw_league_table_activate_cell (table, 1 - pos_a, "on_time_closure_rate");
  assert_drill (f, closed_in_dept, "b", "b0,b1");

  /* A bar: the chart's metric for that group. */
  g_signal_emit_by_name (gw_stats_view_get_bar_chart (f->view), "bar-activated",
                         (guint) gw_metrics_result_find_row (result, "a"));
  assert_drill (f, in_dept, "a", "a0,a1,a2,a3");

  /* A heat-grid cell: Monday 09:00 local. */
  g_signal_emit_by_name (gw_stats_charts_get_heat_grid (charts), "cell-activated", 0u, 9u);
  assert_drill (f, at_local, GUINT_TO_POINTER (109), "a0,a1,a2,a3");
  g_signal_emit_by_name (gw_stats_charts_get_heat_grid (charts), "cell-activated", 4u, 14u);
  assert_drill (f, at_local, GUINT_TO_POINTER (514), "b0,b1");

  /* A histogram bucket: dispatched within 15 minutes. */
  g_signal_emit_by_name (gw_stats_charts_get_distribution (charts), "bucket-activated",
                         (int) GW_METRICS_DUR_RECEIVED_DISPATCHED, 0u);
  assert_drill (f, dispatched_within_15, NULL, "a0,b0,b1");

  /* The list: sortable columns, names from the store, the late flag. */
  {
    GwDrillDown *drill = gw_stats_view_get_drill_down (f->view);
    GwCaseList *list = gw_drill_down_get_case_list (drill);
    g_autofree char *dept = NULL, *late = NULL, *received = NULL, *first = NULL;

    g_assert_true (gw_case_list_sort_by (list, "id", GTK_SORT_DESCENDING));
    first = gw_case_list_get_text (list, 0, "id");
    g_assert_cmpstr (first, ==, "b1");
    dept = gw_case_list_get_text (list, 0, "department");
    g_assert_cmpstr (dept, ==, "城管");
    late = gw_case_list_get_text (list, 0, "late");
    g_assert_cmpstr (late, ==, "");
    received = gw_case_list_get_text (list, 0, "received");
    g_assert_cmpstr (received, ==, "2026-01-02 14:00");
    g_assert_null (gw_case_list_get_text (list, 0, "nope"));
    g_assert_false (gw_case_list_sort_by (list, "nope", GTK_SORT_ASCENDING));

    /* Selecting a case shows its timeline; "Show on map" hands it to the window. */
    g_signal_connect (f->view, "incident-activated", G_CALLBACK (incident_activated_cb), &activated);
    gw_case_list_select (list, 0);
    g_assert_cmpstr (gw_case_list_get_selected (list)->id, ==, "b1");
    g_assert_cmpstr (gw_case_timeline_get_incident (gw_drill_down_get_timeline (drill))->id, ==, "b1");
    gw_test_ui_settle (GTK_WIDGET (drill), NULL, NULL);
    {
      GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (drill));
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (drill));
      int w = gtk_widget_get_width (GTK_WIDGET (drill)), h = gtk_widget_get_height (GTK_WIDGET (drill));
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;

      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      g_autoptr(GwTestImage) image = gw_test_image_render (renderer, node, w, h, "stats-drill-down.png");
    }
    gw_drill_down_show_on_map (drill);
    g_assert_cmpstr (activated, ==, "b1");
  }
  /* It closed itself. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (gw_stats_view_get_drill_down (f->view));
}

static void
test_custom_range (Fixture *f, gconstpointer data)
{
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 1, 7, 10, 0, 0);
  g_autoptr(GDateTime) jan2 = g_date_time_new_local (2026, 1, 2, 15, 0, 0);
  g_autoptr(GDateTime) jan5 = g_date_time_new_local (2026, 1, 5, 0, 0, 0);
  g_autoptr(GDateTime) jan9 = g_date_time_new_local (2026, 1, 9, 0, 0, 0);
  g_autoptr(GDateTime) long_ago = g_date_time_new_local (2024, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  GwRangePicker *picker = gw_stats_view_get_range_picker (f->view);
  GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
  const GwMetricsQuery *q;
  GwTime from, to;

  /* Validation: whole local days, from ≤ to, at most 366 days, not after today. */
  g_assert_true (gw_stats_custom_range_validate (jan2, jan5, today, &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, T0 + DAY - 8 * H);      /* 2 Jan 00:00 local */
  g_assert_cmpint (to, ==, T0 + 5 * DAY - 8 * H);    /* 6 Jan 00:00 local: 5 Jan included */
  g_assert_true (gw_stats_custom_range_validate (jan5, jan5, today, &from, &to, NULL));
  g_assert_cmpint (to - from, ==, DAY);
  g_assert_false (gw_stats_custom_range_validate (jan5, jan2, today, &from, &to, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (gw_stats_custom_range_validate (jan9, jan9, today, &from, &to, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (gw_stats_custom_range_validate (long_ago, jan5, today, &from, &to, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Through the popover: a reversed range is refused there and nothing changes. */
  gw_stats_view_set_range (f->view, GW_STATS_RANGE_CUSTOM);
  g_assert_cmpint (gw_stats_view_get_range (f->view), ==, GW_STATS_RANGE_7_DAYS);
  gtk_calendar_select_day (gw_range_picker_get_calendar (picker, FALSE), jan5);
  gtk_calendar_select_day (gw_range_picker_get_calendar (picker, TRUE), jan2);
  gw_range_picker_apply (picker);
  g_assert_nonnull (gw_range_picker_get_error (picker));
  g_assert_cmpint (gw_stats_view_get_range (f->view), ==, GW_STATS_RANGE_7_DAYS);
  g_assert_cmpuint (f->computed, ==, 1);

  /* 2 … 5 Jan: b0, b1 (Friday) and a0 … a3 (Monday); not b2 (6 Jan). */
  gtk_calendar_select_day (gw_range_picker_get_calendar (picker, FALSE), jan2);
  gtk_calendar_select_day (gw_range_picker_get_calendar (picker, TRUE), jan5);
  gw_range_picker_apply (picker);
  g_assert_null (gw_range_picker_get_error (picker));
  g_assert_cmpint (gw_stats_view_get_range (f->view), ==, GW_STATS_RANGE_CUSTOM);
  gw_test_stats_wait_computed (&f->computed, 2);
  q = gw_metrics_result_get_query (gw_league_table_get_result (table));
  g_assert_cmpint (q->from, ==, T0 + DAY - 8 * H);
  g_assert_cmpint (q->to, ==, T0 + 5 * DAY - 8 * H);
  g_assert_cmpuint (gw_metrics_result_get_n_cases (gw_league_table_get_result (table)), ==, 6);
  /* Four local days in the trend. */
  g_assert_cmpuint (gw_metrics_breakdown_get_n_days (gw_stats_charts_get_breakdown (gw_stats_view_get_charts (f->view))), ==, 4);

  /* The API refuses what the popover refuses. */
  g_assert_false (gw_stats_view_set_custom_range (f->view, jan5, jan2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (gw_stats_view_get_range (f->view), ==, GW_STATS_RANGE_CUSTOM);

  /* Back to a preset and to the same custom days again. */
  gw_stats_view_set_range (f->view, GW_STATS_RANGE_30_DAYS);
  gw_test_stats_wait_computed (&f->computed, 3);
  gw_stats_view_set_range (f->view, GW_STATS_RANGE_CUSTOM);
  gw_test_stats_wait_computed (&f->computed, 4);
  g_assert_cmpuint (gw_metrics_result_get_n_cases (gw_league_table_get_result (table)), ==, 6);
}

static void
test_dark (Fixture *f, gconstpointer data)
{
  GwHeatGrid *heat = gw_stats_charts_get_heat_grid (gw_stats_view_get_charts (f->view));
  graphene_rect_t cell;
  graphene_point_t p;
  GdkRGBA hot;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  gw_test_ui_settle (GTK_WIDGET (f->view), NULL, NULL);
  g_autoptr(GwTestImage) image = render (f, "stats-charts-dark.png");
  gw_heat_grid_get_cell_bounds (heat, 0, 9, &cell);
  gw_heat_grid_get_color (1.0, &hot);
  p = in_view (f, heat, cell.origin.x + 3, cell.origin.y + 3);
  gw_test_image_assert_color (image, p.x, p.y, &hot, 0.03);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char **argv)
{
  /* Beijing time, so weekdays and hours are known. */
  g_setenv ("TZ", "CST-8", TRUE);
  tzset ();
  gw_test_ui_init (&argc, &argv);

  g_test_add ("/stats-charts/charts", Fixture, NULL, fixture_setup, test_charts, fixture_teardown);
  g_test_add ("/stats-charts/drill-down", Fixture, NULL, fixture_setup, test_drill_down, fixture_teardown);
  g_test_add ("/stats-charts/custom-range", Fixture, NULL, fixture_setup, test_custom_range, fixture_teardown);
  g_test_add ("/stats-charts/dark", Fixture, NULL, fixture_setup, test_dark, fixture_teardown);

  return g_test_run ();
}
