/* gw-stats-export.c — the statistics view's exports (see the header) */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gw-export.h"
#include "gw-metrics-csv.h"
#include "gw-report.h"
#include "gw-settings.h"
#include "gw-stats-export.h"

/* ---- writing ----------------------------------------------------------------------- */

typedef struct {
  GwStatsExportKind kind;
  GwMetricsResult  *result;     /* the table's: its query is the range and grouping */
  GPtrArray        *incidents;  /* GW_STATS_EXPORT_CASES: the store's cases, a snapshot */
  GFile            *file;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_clear_pointer (&job->result, gw_metrics_result_unref);
  g_clear_pointer (&job->incidents, g_ptr_array_unref);
  g_clear_object (&job->file);
  g_free (job);
}

static GBytes *
cases_in_range (WriteJob *job)
{
  const GwMetricsQuery *q = gw_metrics_result_get_query (job->result);
  g_autoptr(GPtrArray) in_range = g_ptr_array_new ();
  g_autofree char *basename = g_file_get_basename (job->file);
  GwExportFormat format;

  /* Cases in range as the engine counts them: received_at ∈ [from, to). */
  for (guint i = 0; i < job->incidents->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (job->incidents, i);

      if ((q->from == GW_TIME_NONE || inc->received_at >= q->from) &&
          (q->to == GW_TIME_NONE || inc->received_at < q->to))
        g_ptr_array_add (in_range, inc);
    }
  if (basename == NULL || !gw_export_format_for_path (basename, &format))
    format = GW_EXPORT_CSV;
  return gw_export_incidents (in_range, q->cells, q->departments, q->classes, format, q->now);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (job->kind == GW_STATS_EXPORT_TABLE)
    bytes = gw_metrics_csv_export (job->result);
  else
    bytes = cases_in_range (job);
  /* Replaced through a temporary file: a failure leaves the old file as it was. */
  if (!g_file_replace_contents (job->file, g_bytes_get_data (bytes, NULL),
                                g_bytes_get_size (bytes), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
report_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (gw_report_write_finish (result, &error) == 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
street_name (void)
{
  g_autoptr(GSettings) settings = gw_settings_new ();
  return g_settings_get_string (settings, "street-name");
}

void
gw_stats_export_write_async (GwStatsView        *view,
                             GwStatsExportKind   kind,
                             GFile              *file,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GwMetricsResult *result;
  GwStore *store;
  WriteJob *job;

  g_return_if_fail (GW_IS_STATS_VIEW (view));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (view, cancellable, callback, user_data);
  g_task_set_source_tag (task, gw_stats_export_write_async);
  result = gw_league_table_get_result (gw_stats_view_get_league_table (view));
  store = gw_stats_view_get_store (view);
  if (result == NULL || store == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _("There are no figures yet: wait for the statistics to be computed"));
      return;
    }

  if (kind == GW_STATS_EXPORT_REPORT)
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *street = street_name ();
      GwMetricsQuery query = *gw_metrics_result_get_query (result);

      if (path == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                                   _("The report can only be saved to a local file"));
          return;
        }
      gw_report_write_async (store, &query, street, path, cancellable, report_written_cb,
                             g_steal_pointer (&task));
      return;
    }

  job = g_new0 (WriteJob, 1);
  job->kind = kind;
  job->result = gw_metrics_result_ref (result);
  job->file = g_object_ref (file);
  if (kind == GW_STATS_EXPORT_CASES)
    job->incidents = gw_store_list (store);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
gw_stats_export_write_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- actions ----------------------------------------------------------------------- */

static void
show_error (GtkWidget  *view,
            const char *heading,
            const char *body)
{
  GtkRoot *root = gtk_widget_get_root (view);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *view = GTK_WIDGET (object);
  g_autofree char *name = g_file_get_basename (file);

  if (!gw_stats_export_write_finish (result, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could not save “%s”"), name);
      show_error (view, heading, error->message);
      return;
    }
  /* A toast when the window has an overlay for them; the file chooser said enough else. */
  {
    GtkWidget *overlay = gtk_widget_get_ancestor (view, ADW_TYPE_TOAST_OVERLAY);
    g_autofree char *title = g_strdup_printf (_("Saved “%s”"), name);

    if (overlay != NULL)
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  }
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     GwStatsView     *view)
{
  GwStatsExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "gw-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        gw_stats_export_write_async (view, kind, file, NULL, written_cb, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (view);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
choose_file (GwStatsView       *view,
             GwStatsExportKind  kind)
{
  static const struct { const char *title; const char *prefix; const char *ext; } kinds[] = {
    [GW_STATS_EXPORT_TABLE] = { N_("Export Table as CSV"), "gridwatch-statistics", "csv" },
    [GW_STATS_EXPORT_CASES] = { N_("Export Cases as CSV"), "gridwatch-cases", "csv" },
    [GW_STATS_EXPORT_REPORT] = { N_("Save Report as PDF"), "gridwatch-report", "pdf" },
  };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-%s.%s", kinds[kind].prefix, date, kinds[kind].ext);

  /* GTK 4.8 has no GtkFileDialog; the native chooser uses the portal when sandboxed. */
  chooser = gtk_file_chooser_native_new (_(kinds[kind].title),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (kind == GW_STATS_EXPORT_REPORT)
    add_filter (GTK_FILE_CHOOSER (chooser), _("PDF documents"), "*.pdf");
  else
    add_filter (GTK_FILE_CHOOSER (chooser), _("CSV spreadsheets"), "*.csv");
  if (kind == GW_STATS_EXPORT_CASES)
    add_filter (GTK_FILE_CHOOSER (chooser), _("JSON documents"), "*.json");
  g_object_set_data (G_OBJECT (chooser), "gw-kind", GINT_TO_POINTER (kind));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (view));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_table_cb (GSimpleAction *action, GVariant *param, gpointer view)
{
  choose_file (view, GW_STATS_EXPORT_TABLE);
}

static void
export_cases_cb (GSimpleAction *action, GVariant *param, gpointer view)
{
  choose_file (view, GW_STATS_EXPORT_CASES);
}

static void
export_report_cb (GSimpleAction *action, GVariant *param, gpointer view)
{
  choose_file (view, GW_STATS_EXPORT_REPORT);
}

static void
update_enabled (GwStatsView *view,
                GActionMap  *group)
{
  gboolean ready = gw_league_table_get_result (gw_stats_view_get_league_table (view)) != NULL;
  const char *names[] = { "table", "cases", "report" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (group, names[i])),
                                 ready);
}

static void
computed_cb (GwStatsView *view,
             GActionMap  *group)
{
  update_enabled (view, group);
}

void
gw_stats_export_attach (GwStatsView *view,
                        GtkBox      *toolbar)
{
  const GActionEntry entries[] = {
    { "table", export_table_cb, NULL, NULL, NULL, { 0 } },
    { "cases", export_cases_cb, NULL, NULL, NULL, { 0 } },
    { "report", export_report_cb, NULL, NULL, NULL, { 0 } },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();

  g_return_if_fail (GW_IS_STATS_VIEW (view));
  g_return_if_fail (GTK_IS_BOX (toolbar));

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), view);
  update_enabled (view, G_ACTION_MAP (group));
  /* The group lives as long as the view holds it; the handler goes with the view. */
  g_signal_connect_object (view, "computed", G_CALLBACK (computed_cb), group, 0);
  gtk_widget_insert_action_group (GTK_WIDGET (view), "stats-export", G_ACTION_GROUP (group));

  g_menu_append (menu, _("Export _Table as CSV…"), "stats-export.table");
  g_menu_append (menu, _("Export _Cases as CSV…"), "stats-export.cases");
  g_menu_append (menu, _("_Report as PDF…"), "stats-export.report");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Export"));
  gtk_menu_button_set_always_show_arrow (GTK_MENU_BUTTON (button), TRUE);
  gtk_widget_set_tooltip_text (button, _("Save the table, the cases or a report"));
  /* At the toolbar's end, whether or not the spinner before it is showing. */
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_box_append (toolbar, button);
}
