/* test-stats-render.c — the statistics view on hand-made cases with known answers
 *
 * Runs under Xvfb (dbus-run-session -- xvfb-run -a). Three departments, four cases each
 * in the current 7 days and four in the 7 days before, all closed, some late:
 *
 *            now: on time  按期结案率  score  rank  | previous: on time  rank
 *   a 环卫         4 of 4     100 %     100     1   |          2 of 4     3
 *   b 城管         2 of 4      50 %      75     3   |          4 of 4     1
 *   c 市政         3 of 4      75 %    87.5     2   |          3 of 4     2
 *
 * so the change column shows a ▲2, b ▼2, c –. The view computes in its worker thread;
 * the test iterates the main context until ::computed (no sleeps), then checks the
 * league table, renders the window to PNG ($GW_TEST_OUTDIR) and checks the chart's
 * pixels and hit testing.
 */
#include "gw-test-ui.h"
#include <math.h>
#include <string.h>

#include "gw-bar-chart.h"
#include "gw-department.h"
#include "gw-league-table.h"
#include "gw-stats-view.h"
#include "gw-workflow.h"

#define WIDTH  900
#define HEIGHT 640

#define H   GW_USEC_PER_HOUR
#define DAY (24 * H)
#define T0  (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)  /* 2026-01-01T00:00:00Z */
#define NOW (T0 + 6 * DAY)

typedef struct {
  GtkWidget   *window;
  GwStatsView *view;
  GwStore     *store;
  guint        computed;
} Fixture;

/* Received at @received, dispatched with a 24 h deadline, done and closed at +10 h (on
 * time) or +30 h (late). */
static GwIncident *
closed_case (const char *id, const char *dept, GwTime received, gboolean on_time)
{
  GwTime closed = received + (on_time ? 10 : 30) * H;
  const GwTime times[] = { received, received + H / 60, received + H / 6, closed - 2 * H, closed - H, closed };

  return gw_test_incident_new (id, id, dept, times, G_N_ELEMENTS (times), received + DAY);
}

static void
add_cases (GwStoreBatch *batch, const char *dept, GwTime start, guint on_time)
{
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%u", dept, start / G_USEC_PER_SEC, i);
      g_autoptr(GwIncident) inc = closed_case (id, dept, start + i * DAY, i < on_time);
      gw_store_batch_upsert (batch, inc);
    }
}

/* Iterates the main context until the view has computed @n times. */
static void
wait_computed (Fixture *f, guint n)
{
  gw_test_stats_wait_computed (&f->computed, n);
  g_assert_false (gw_stats_view_get_computing (f->view));
}

static gboolean
window_ready (Fixture *f)
{
  GtkWidget *chart = GTK_WIDGET (gw_stats_view_get_bar_chart (f->view));

  return gtk_widget_get_mapped (chart) && gtk_widget_get_width (chart) > 200;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GwStoreBatch *batch;

  f->store = gw_test_stats_store_new (3);

  batch = gw_store_batch_new ();
  /* This period: received T0 … T0 + 3 days (the range is the 7 days up to NOW). */
  add_cases (batch, "a", T0, 4);
  add_cases (batch, "b", T0, 2);
  add_cases (batch, "c", T0, 3);
  /* The previous period: received from T0 − 7 days. */
  add_cases (batch, "a", T0 - 7 * DAY, 2);
  add_cases (batch, "b", T0 - 7 * DAY, 4);
  add_cases (batch, "c", T0 - 7 * DAY, 3);
  gw_store_apply (f->store, batch);

  f->view = gw_test_stats_view_new (f->store, NOW, WIDTH, HEIGHT, &f->computed, &f->window);
  /* The changes above coalesce into one computation. */
  wait_computed (f, 1);
  gw_test_ui_settle (GTK_WIDGET (f->view), (GwTestReadyFunc) window_ready, f);
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

static void
assert_order (GwLeagueTable *table, const char *const *keys)
{
  guint n = g_strv_length ((char **) keys);

  g_assert_cmpuint (gw_league_table_get_n_rows (table), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (gw_league_table_get_key (table, i), ==, keys[i]);
}

static void
assert_text (GwLeagueTable *table, guint position, const char *column, const char *want)
{
  g_autofree char *text = gw_league_table_get_text (table, position, column);

  g_assert_cmpstr (text, ==, want);
}

static void
test_league_table (Fixture *f, gconstpointer data)
{
  GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
  GwMetricsResult *result = gw_league_table_get_result (table);
  const char *by_on_time[] = { "a", "c", "b", NULL };
  const char *worst_first[] = { "b", "c", "a", NULL };

  g_assert_nonnull (result);
  g_assert_nonnull (gw_league_table_get_previous (table));
  /* Twelve cases in range: the previous period's are not. */
  g_assert_cmpuint (gw_metrics_result_get_n_cases (result), ==, 12);

  g_assert_true (gw_league_table_sort_by (table, "on_time_closure_rate", GTK_SORT_DESCENDING));
  assert_order (table, by_on_time);
  assert_text (table, 0, "on_time_closure_rate", "100.0 %");
  assert_text (table, 1, "on_time_closure_rate", "75.0 %");
  assert_text (table, 2, "on_time_closure_rate", "50.0 %");
  assert_text (table, 0, "name", "环卫");
  assert_text (table, 0, "cases", "4");
  assert_text (table, 0, "closure_rate", "100.0 %");
  assert_text (table, 2, "score", "75.0");

  /* Rank by score and its change against the previous 7 days. */
  assert_text (table, 0, "rank", "1");
  assert_text (table, 1, "rank", "2");
  assert_text (table, 2, "rank", "3");
  assert_text (table, 0, "change", "▲2");
  assert_text (table, 1, "change", "–");
  assert_text (table, 2, "change", "▼2");

  g_assert_true (gw_league_table_sort_by (table, "on_time_closure_rate", GTK_SORT_ASCENDING));
  assert_order (table, worst_first);
  g_assert_true (gw_league_table_sort_by (table, "change", GTK_SORT_DESCENDING));
  assert_order (table, by_on_time);
  g_assert_true (gw_league_table_sort_by (table, "rank", GTK_SORT_ASCENDING));
  assert_order (table, by_on_time);
  g_assert_false (gw_league_table_sort_by (table, "no-such-column", GTK_SORT_ASCENDING));

  /* No previous result: no change shown. */
  gw_league_table_set_results (table, result, NULL);
  assert_text (table, 0, "change", "–");
  assert_text (table, 2, "change", "–");
}

static void
drill_down_cb (GwLeagueTable *table, const char *key, int column, GString *got)
{
  g_string_append_printf (got, "%s:%d;", key, column);
}

static void
test_drill_down (Fixture *f, gconstpointer data)
{
  GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
  GwMetricsResult *result = gw_league_table_get_result (table);
  g_autoptr(GString) got = g_string_new ("");
  g_autofree char *want = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  int row;

  g_signal_connect (table, "drill-down", G_CALLBACK (drill_down_cb), got);
  gw_league_table_sort_by (table, "on_time_closure_rate", GTK_SORT_DESCENDING);
  gw_league_table_activate_cell (table, 2, "on_time_closure_rate");
  gw_league_table_activate_cell (table, 0, "name");
  want = g_strdup_printf ("b:%d;a:%d;", GW_METRICS_COL_ON_TIME_CLOSURE_RATE, GW_METRICS_COL_CASES);
  g_assert_cmpstr (got->str, ==, want);

  /* What the app does with it: the 4 cases due to close behind b's 50 %. */
  row = gw_metrics_result_find_row (result, "b");
  g_assert_cmpint (row, ==, (int) gw_league_table_get_result_row (table, 2));
  cases = gw_metrics_cases_for (result, row, GW_METRICS_COL_ON_TIME_CLOSURE_RATE);
  g_assert_cmpuint (cases->len, ==, 4);

  /* The header titles carry the definitions as tooltips. */
  {
    GtkWidget *view = GTK_WIDGET (gw_league_table_get_column_view (table));
    const GwMetricsColumnInfo *info = gw_metrics_column_info (GW_METRICS_COL_ON_TIME_CLOSURE_RATE);
    gboolean found = FALSE;

    for (GtkWidget *header = gtk_widget_get_first_child (view); header != NULL;
         header = gtk_widget_get_next_sibling (header))
      for (GtkWidget *title = gtk_widget_get_first_child (header); title != NULL;
           title = gtk_widget_get_next_sibling (title))
        {
          const char *tooltip = gtk_widget_get_tooltip_text (title);
          if (tooltip != NULL && strstr (tooltip, info->description) != NULL)
            found = TRUE;
        }
    g_assert_true (found);
  }
}

static void
bar_activated_cb (GwBarChart *chart, guint row, int *got)
{
  *got = (int) row;
}

static void
test_bar_chart (Fixture *f, gconstpointer data)
{
  GwBarChart *chart = gw_stats_view_get_bar_chart (f->view);
  GwMetricsResult *result = gw_bar_chart_get_result (chart);
  graphene_rect_t best, worst;
  graphene_point_t origin;
  GdkRGBA blue;
  int activated = -1;

  g_assert_nonnull (result);
  g_assert_cmpint (gw_bar_chart_get_column (chart), ==, GW_METRICS_COL_ON_TIME_CLOSURE_RATE);
  g_assert_cmpuint (gw_bar_chart_get_n_bars (chart), ==, 3);
  g_assert_cmpstr (gw_metrics_result_get_key (result, gw_bar_chart_get_bar_row (chart, 0)), ==, "a");
  g_assert_cmpstr (gw_metrics_result_get_key (result, gw_bar_chart_get_bar_row (chart, 1)), ==, "c");
  g_assert_cmpstr (gw_metrics_result_get_key (result, gw_bar_chart_get_bar_row (chart, 2)), ==, "b");

  g_assert_true (gw_bar_chart_get_bar_bounds (chart, 0, &best));
  g_assert_true (gw_bar_chart_get_bar_bounds (chart, 2, &worst));
  {
    graphene_rect_t none;
    g_assert_false (gw_bar_chart_get_bar_bounds (chart, 3, &none));
  }
  /* The best group's bar is the top one, twice as long as the 50 % one. */
  g_assert_cmpfloat (best.origin.y, ==, GW_BAR_CHART_PADDING + (GW_BAR_CHART_ROW_HEIGHT - GW_BAR_CHART_BAR_HEIGHT) / 2.0);
  g_assert_cmpfloat_with_epsilon (best.size.width, 2 * worst.size.width, 1.0);
  g_assert_cmpfloat (best.size.width, >, 150);

  gw_test_ui_settle (GTK_WIDGET (f->view), (GwTestReadyFunc) window_ready, f);
  g_autoptr(GwTestImage) image = render (f, "stats-render.png");
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (chart), GTK_WIDGET (f->view),
                                           &GRAPHENE_POINT_INIT (0, 0), &origin));
  gw_bar_chart_get_bar_color (&blue);
  /* Known pixels: the top row's centre line (y = padding + row / 2), near the end of the
   * longest bar, is the bar colour; so is the worst bar's start; past the worst bar's
   * end (by a quarter of the longest) it is not. */
  {
    double y0 = origin.y + GW_BAR_CHART_PADDING + GW_BAR_CHART_ROW_HEIGHT / 2.0;
    double y2 = y0 + 2 * GW_BAR_CHART_ROW_HEIGHT;
    double end = origin.x + best.origin.x + best.size.width;

    g_assert_true (gw_test_image_color_near (image, end - 2, y0, &blue, 0.03));
    g_assert_true (gw_test_image_color_near (image, origin.x + best.origin.x + 2, y2, &blue, 0.03));
    g_assert_false (gw_test_image_color_near (image, origin.x + worst.origin.x + worst.size.width + best.size.width / 4, y2, &blue, 0.1));
    g_assert_false (gw_test_image_color_near (image, end + 3, y0 + GW_BAR_CHART_BAR_HEIGHT, &blue, 0.1));
  }

  /* Hit testing: on the top bar, on the bottom bar's label, and below every bar. */
  g_assert_cmpint (gw_bar_chart_pick (chart, best.origin.x + best.size.width / 2, best.origin.y + 4),
                   ==, gw_metrics_result_find_row (result, "a"));
  g_assert_cmpint (gw_bar_chart_pick (chart, GW_BAR_CHART_PADDING + 2, worst.origin.y + 4),
                   ==, gw_metrics_result_find_row (result, "b"));
  g_assert_cmpint (gw_bar_chart_pick (chart, best.origin.x + 10,
                                      GW_BAR_CHART_PADDING + 3 * GW_BAR_CHART_ROW_HEIGHT + 2), ==, -1);
  g_assert_cmpint (gw_bar_chart_pick (chart, 1, best.origin.y + 4), ==, -1);

  g_signal_connect (chart, "bar-activated", G_CALLBACK (bar_activated_cb), &activated);
  g_signal_emit_by_name (chart, "bar-activated", gw_bar_chart_get_bar_row (chart, 1));
  g_assert_cmpint (activated, ==, gw_metrics_result_find_row (result, "c"));
}

static void
test_recompute (Fixture *f, gconstpointer data)
{
  GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
  GwBarChart *chart = gw_stats_view_get_bar_chart (f->view);

  /* Two requests in a row: the first is cancelled, one ::computed arrives. */
  gw_stats_view_set_group_by (f->view, GW_METRICS_BY_CLASS);
  gw_stats_view_recompute (f->view);
  g_assert_true (gw_stats_view_get_computing (f->view));
  gw_stats_view_recompute (f->view);
  wait_computed (f, 2);
  g_assert_cmpuint (gw_league_table_get_n_rows (table), ==, 1);
  g_assert_cmpstr (gw_league_table_get_key (table, 0), ==, "0101");
  assert_text (table, 0, "cases", "12");
  assert_text (table, 0, "on_time_closure_rate", "75.0 %");

  /* The chart follows its metric picker without recomputing. */
  gw_stats_view_set_chart_column (f->view, GW_METRICS_COL_CASES);
  g_assert_cmpint (gw_bar_chart_get_column (chart), ==, GW_METRICS_COL_CASES);
  g_assert_cmpuint (gw_bar_chart_get_n_bars (chart), ==, 1);

  /* A store change recomputes (after its short delay, without blocking). */
  {
    GwStoreBatch *batch = gw_store_batch_new ();
    g_autoptr(GwIncident) extra = closed_case ("extra", "a", T0 + 4 * DAY, TRUE);
    gw_store_batch_upsert (batch, extra);
    gw_store_apply (f->store, batch);
  }
  wait_computed (f, 3);
  assert_text (table, 0, "cases", "13");

  /* This shift at NOW: nothing received in it; the chart says so. */
  gw_stats_view_set_range (f->view, GW_STATS_RANGE_SHIFT);
  wait_computed (f, 4);
  g_assert_cmpuint (gw_bar_chart_get_n_bars (chart), ==, 0);
  gw_test_ui_settle (GTK_WIDGET (f->view), (GwTestReadyFunc) window_ready, f);
  g_autoptr(GwTestImage) image = render (f, "stats-render-empty.png");
}

static void
test_ranges (void)
{
  GwTime from, to, pfrom, pto;

  gw_stats_range_get_bounds (GW_STATS_RANGE_7_DAYS, NOW, &from, &to, &pfrom, &pto);
  g_assert_cmpint (to, ==, NOW + 1);
  g_assert_cmpint (to - from, ==, 7 * DAY);
  g_assert_cmpint (pto, ==, from);
  g_assert_cmpint (pto - pfrom, ==, 7 * DAY);

  gw_stats_range_get_bounds (GW_STATS_RANGE_TODAY, NOW + 5 * H, &from, &to, &pfrom, &pto);
  g_assert_cmpint (from, <=, NOW + 5 * H);
  g_assert_cmpint (to, >, NOW + 5 * H);
  g_assert_cmpint (to - from, ==, DAY);
  g_assert_cmpint (pto, ==, from);
  g_assert_cmpint (pto - pfrom, ==, DAY);

  gw_stats_range_get_bounds (GW_STATS_RANGE_SHIFT, NOW + 5 * H, &from, &to, &pfrom, &pto);
  g_assert_cmpint (from, <=, NOW + 5 * H);
  g_assert_cmpint (to, >, NOW + 5 * H);
  g_assert_cmpint (to - from, ==, 8 * H);
  g_assert_cmpint (pto - pfrom, ==, 8 * H);
}

int
main (int argc, char **argv)
{
  gw_test_ui_init (&argc, &argv);

  g_test_add_func ("/stats/ranges", test_ranges);
  g_test_add ("/stats/league-table", Fixture, NULL, fixture_setup, test_league_table, fixture_teardown);
  g_test_add ("/stats/drill-down", Fixture, NULL, fixture_setup, test_drill_down, fixture_teardown);
  g_test_add ("/stats/bar-chart", Fixture, NULL, fixture_setup, test_bar_chart, fixture_teardown);
  g_test_add ("/stats/recompute", Fixture, NULL, fixture_setup, test_recompute, fixture_teardown);

  return g_test_run ();
}
