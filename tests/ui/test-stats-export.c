/* test-stats-export.c — the statistics view's exports write what the table shows
 *
 * Runs under Xvfb. Three departments with hand-made cases (as test-stats-render), the
 * view computes in its worker, then each export is written through
 * gw_stats_export_write_async() — what the actions do once the file chooser answers —
 * and read back: the table CSV has the BOM, the header and the table's rows with the
 * table's figures; the cases CSV has exactly the cases in range; the report is a PDF.
 * A failed write reports an error and leaves the existing file alone.
 */
#include <math.h>
#include <string.h>

#include "gw-league-table.h"
#include "gw-metrics.h"
#include "gw-stats-export.h"
#include "gw-stats-view.h"
#include "gw-test-ui.h"
#include "gw-workflow.h"

#define H   GW_USEC_PER_HOUR
#define DAY (24 * H)
#define T0  (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)  /* 2026-01-01T00:00:00Z */
#define NOW (T0 + 6 * DAY)

typedef struct {
  GtkWidget   *window;
  GwStatsView *view;
  GwStore     *store;
  guint        computed;
  char        *dir;
} Fixture;

static GwIncident *
closed_case (const char *id, const char *dept, GwTime received, gboolean on_time)
{
  GwTime closed = received + (on_time ? 10 : 30) * H;
  const GwTime times[] = { received, received + H / 60, received + H / 6, closed - 2 * H, closed - H, closed };
  g_autofree char *title = g_strdup_printf ("案件 %s, \"quoted\"", id);  /* CSV quoting on the way */

  return gw_test_incident_new (id, title, dept, times, G_N_ELEMENTS (times), received + DAY);
}

static void
add_cases (GwStoreBatch *batch, const char *dept, GwTime start, guint on_time)
{
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%u", dept,
                                             start / G_USEC_PER_SEC, i);
      g_autoptr(GwIncident) inc = closed_case (id, dept, start + i * DAY, i < on_time);
      gw_store_batch_upsert (batch, inc);
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GwStoreBatch *batch;
  gint64 end;

  f->dir = g_dir_make_tmp ("gw-stats-export-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = gw_test_stats_store_new (3);
  batch = gw_store_batch_new ();
  add_cases (batch, "a", T0, 4);
  add_cases (batch, "b", T0, 2);
  add_cases (batch, "c", T0, 3);
  /* Received before the range: in neither export of this range. */
  add_cases (batch, "a", T0 - 7 * DAY, 2);
  gw_store_apply (f->store, batch);

  f->view = gw_test_stats_view_new (f->store, NOW, 0, 0, &f->computed, &f->window);

  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((f->computed == 0 || gw_stats_view_get_computing (f->view)) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->computed, >=, 1);
  g_assert_false (gw_stats_view_get_computing (f->view));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gw_test_remove_tree (f->dir);
  g_free (f->dir);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
written_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

/* Writes @kind to @name in the fixture's directory; returns the error, if any. */
static GError *
export (Fixture *f, GwStatsExportKind kind, const char *name, char **path_out)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  gw_stats_export_write_async (f->view, kind, file, NULL, written_cb, &result);
  while (result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  gw_stats_export_write_finish (result, &error);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return error;
}

/* The naive split is enough for this file: labels and figures hold no comma. */
static void
test_table_csv (Fixture *f, gconstpointer data)
{
  GwLeagueTable *table = gw_stats_view_get_league_table (f->view);
  GwMetricsResult *result = gw_league_table_get_result (table);
  g_autofree char *path = NULL, *contents = NULL;
  g_autoptr(GError) error = export (f, GW_STATS_EXPORT_TABLE, "table.csv", &path);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  guint n_lines = 0;
  int on_time_col = -1;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "group_by,key,label,cases (案件数),"));
  lines = g_strsplit (contents + 3, "\r\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  for (int i = 0; header[i] != NULL; i++)
    if (g_str_has_prefix (header[i], "on_time_closure_rate ("))
      on_time_col = i;
  g_assert_cmpint (on_time_col, >, 0);
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      n_lines++;
  /* The table's rows plus the total row. */
  g_assert_cmpuint (n_lines, ==, gw_league_table_get_n_rows (table) + 1);
  g_assert_cmpuint (n_lines, ==, gw_metrics_result_get_n_rows (result));

  for (guint pos = 0; pos < gw_league_table_get_n_rows (table); pos++)
    {
      const char *key = gw_league_table_get_key (table, pos);
      g_autofree char *shown = gw_league_table_get_text (table, pos, "on_time_closure_rate");
      g_autofree char *name = gw_league_table_get_text (table, pos, "name");
      gboolean found = FALSE;

      for (guint i = 1; lines[i] != NULL && !found; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

          if (g_strcmp0 (fields[1], key) != 0)
            continue;
          found = TRUE;
          g_assert_cmpstr (fields[0], ==, "department");
          g_assert_cmpstr (fields[2], ==, name);
          /* "75.0 %" in the table, "75.00" in the CSV. */
          g_assert_cmpfloat (fabs (g_ascii_strtod (shown, NULL) -
                                   g_ascii_strtod (fields[on_time_col], NULL)), <=, 0.05 + 1e-9);
        }
      g_assert_true (found);
    }
  g_assert_nonnull (strstr (contents, "\r\ndepartment,(all),(all),12,"));
}

static void
test_cases_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL, *contents = NULL;
  g_autoptr(GError) error = export (f, GW_STATS_EXPORT_CASES, "cases.csv", &path);
  g_auto(GStrv) lines = NULL;
  guint rows = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFid,title,class,"));
  /* Quoted titles hold no CRLF, so lines are records. */
  lines = g_strsplit (contents, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      rows++;
  g_assert_cmpuint (rows, ==, 12);
  g_assert_nonnull (strstr (contents, ",a,环卫,"));
  g_assert_nonnull (strstr (contents, "\"案件 a-1767225600-0, \"\"quoted\"\"\""));
  g_assert_null (strstr (contents, "a-1766620800-"));  /* received the week before */
}

static void
test_report_pdf (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL, *contents = NULL;
  g_autoptr(GError) error = export (f, GW_STATS_EXPORT_REPORT, "report.pdf", &path);
  gsize len;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (len, >, 5000);
}

static void
test_failure_keeps_file (Fixture *f, gconstpointer data)
{
  g_autofree char *blocker = g_build_filename (f->dir, "plain", NULL);
  g_autoptr(GError) error = NULL;

  /* A directory that is a regular file: the write fails and says so. */
  g_assert_true (g_file_set_contents (blocker, "keep", -1, NULL));
  error = export (f, GW_STATS_EXPORT_TABLE, "plain/table.csv", NULL);
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_clear_error (&error);
  error = export (f, GW_STATS_EXPORT_REPORT, "plain/report.pdf", NULL);
  g_assert_nonnull (error);
  {
    g_autofree char *kept = NULL;
    g_assert_true (g_file_get_contents (blocker, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "keep");
  }
}

static GtkWidget *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* GTK's own */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

/* The menu's action opens the save dialog (GtkFileChooserNative's own dialog outside a
 * sandbox) with a dated name; cancelling it writes nothing. Accepting leads to
 * gw_stats_export_write_async(), tested above: driving GTK's chooser widget into saving
 * is not something a test can do reliably. */
static void
test_action (Fixture *f, gconstpointer data)
{
  g_autofree char *name = NULL;
  GtkWidget *dialog = NULL;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "stats-export.table", NULL));
  while ((dialog = find_chooser ()) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (dialog);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
  g_assert_true (g_str_has_prefix (name, "gridwatch-statistics-"));
  g_assert_true (g_str_has_suffix (name, ".csv"));

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Export Table as CSV");

  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  while (find_chooser () != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (find_chooser ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "stats-export.report", NULL));
  while ((dialog = find_chooser ()) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (dialog);
  g_clear_pointer (&name, g_free);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
  g_assert_true (g_str_has_suffix (name, ".pdf"));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  while (find_chooser () != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/stats-export/table-csv", Fixture, NULL, fixture_setup, test_table_csv, fixture_teardown);
  g_test_add ("/stats-export/cases-csv", Fixture, NULL, fixture_setup, test_cases_csv, fixture_teardown);
  g_test_add ("/stats-export/report-pdf", Fixture, NULL, fixture_setup, test_report_pdf, fixture_teardown);
  g_test_add ("/stats-export/failure-keeps-file", Fixture, NULL, fixture_setup,
              test_failure_keeps_file, fixture_teardown);
  g_test_add ("/stats-export/action", Fixture, NULL, fixture_setup, test_action, fixture_teardown);

  return g_test_run ();
}
