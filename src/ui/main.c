/* main.c — gridwatch: the wall and desk app, or a headless export */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <errno.h>
#include <locale.h>
#include <unistd.h>
#include <string.h>

#include "gw-application.h"
#include "gw-connect.h"
#include "gw-demo-server.h"
#include "gw-export.h"
#include "gw-keyring.h"
#include "gw-metrics-csv.h"
#include "gw-metrics.h"
#include "gw-open311.h"
#include "gw-report.h"

typedef struct {
  GMainLoop        *loop;
  GwConnectOptions *options;
  GwStore          *store;
  GwFeed           *feed;
  GwDemoServer     *demo;
  const char       *path;
  GwMetricsQuery   *stats;   /* set for --export-stats, NULL for --export-cases */
  gboolean          report;  /* --report: a PDF of @stats */
  const char       *street;  /* --street: the report's title */
  gboolean          writing; /* the report is being written: later syncs wait */
  int               status;
} Export;

static void
export_finish (Export     *job,
               const char *error_message)
{
  if (error_message != NULL)
    {
      g_printerr ("gridwatch: %s\n", error_message);
      job->status = 1;
    }
  g_main_loop_quit (job->loop);
}

static void
export_stats (Export *job)
{
  g_autoptr(GPtrArray) incidents = gw_store_list (job->store);
  g_autoptr(GwMetricsResult) result = NULL;
  g_autoptr(GError) error = NULL;

  job->stats->now = g_get_real_time ();
  job->stats->cells = gw_store_get_cells (job->store);
  job->stats->departments = gw_store_get_departments (job->store);
  job->stats->classes = gw_store_get_classes (job->store);
  if (!(result = gw_metrics_compute (incidents, job->stats, NULL, &error)) ||
      !gw_metrics_csv_write_file (result, job->path, &error))
    {
      export_finish (job, error->message);
      return;
    }
  g_printerr ("gridwatch: wrote %u rows of statistics over %u cases to %s\n",
              gw_metrics_result_get_n_rows (result), incidents->len, job->path);
  export_finish (job, NULL);
}

static void
report_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *job = user_data;
  g_autoptr(GError) error = NULL;
  guint n_pages = gw_report_write_finish (result, &error);

  if (n_pages == 0)
    {
      export_finish (job, error->message);
      return;
    }
  g_printerr ("gridwatch: wrote a %u-page report to %s\n", n_pages, job->path);
  export_finish (job, NULL);
}

static void
export_write (Export *job)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GwExportFormat format;

  if (job->writing)
    return;
  if (job->report)
    {
      /* Computed, drawn and written in a worker; the feed keeps the loop company. */
      job->writing = TRUE;
      gw_report_write_async (job->store, job->stats, job->street, job->path, NULL,
                             report_written_cb, job);
      return;
    }
  if (job->stats != NULL)
    {
      export_stats (job);
      return;
    }

  gw_export_format_for_path (job->path, &format);
  bytes = gw_export_cases (job->store, format, g_get_real_time ());
  if (!g_file_set_contents (job->path, g_bytes_get_data (bytes, NULL),
                            g_bytes_get_size (bytes), &error))
    {
      export_finish (job, error->message);
      return;
    }
  g_printerr ("gridwatch: wrote %u cases to %s\n", gw_store_get_n_incidents (job->store),
              job->path);
  export_finish (job, NULL);
}

static void
feed_notify_cb (GwFeed     *feed,
                GParamSpec *pspec,
                Export     *job)
{
  const char *error = gw_feed_get_last_error (feed);

  if (!g_main_loop_is_running (job->loop))
    return;
  if (gw_feed_get_synced (feed))
    export_write (job);
  else if (error != NULL)
    {
      /* One sync, no retries: say what failed and stop. */
      g_autofree char *message = g_strdup_printf ("cannot sync from %s: %s",
                                                  gw_feed_get_url (feed), error);
      export_finish (job, message);
    }
}

static void
export_follow (Export     *job,
               const char *url)
{
  g_autoptr(GError) error = NULL;

  if (!(job->feed = gw_connect_create_feed (job->options, job->store, url, &error)))
    {
      export_finish (job, error->message);
      return;
    }
  g_signal_connect (job->feed, "notify::synced", G_CALLBACK (feed_notify_cb), job);
  g_signal_connect (job->feed, "notify::last-error", G_CALLBACK (feed_notify_cb), job);
  gw_feed_start (job->feed);
}

static void
demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Export *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = gw_demo_server_start_finish (GW_DEMO_SERVER (object), result, &error);

  if (url == NULL)
    export_finish (job, error->message);
  else
    export_follow (job, url);
}

static void
token_resolved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *job = user_data;

  gw_connect_resolve_token_finish (job->options, result);
  export_follow (job, NULL);
}

static int
run_export (GwConnectOptions *options,
            const char       *path,
            GwMetricsQuery   *stats,
            gboolean          report,
            const char       *street)
{
  Export job = { 0 };
  GwExportFormat format;

  if (stats == NULL && !gw_export_format_for_path (path, &format))
    {
      g_printerr ("gridwatch: --export-cases: the file name must end in .csv or .json: %s\n",
                  path);
      return 2;
    }
  if (report && !g_str_has_suffix (path, ".pdf"))
    {
      g_printerr ("gridwatch: --report: the file name must end in .pdf: %s\n", path);
      return 2;
    }
  if (!report && stats != NULL && !g_str_has_suffix (path, ".csv"))
    {
      g_printerr ("gridwatch: --export-stats: the file name must end in .csv: %s\n", path);
      return 2;
    }
  job.stats = stats;
  job.report = report;
  job.street = street;

  job.loop = g_main_loop_new (NULL, FALSE);
  job.options = options;
  job.store = gw_store_new ();
  job.path = path;
  if (options->demo)
    {
      job.demo = gw_demo_server_new ();
      gw_demo_server_start_async (job.demo, NULL, demo_started_cb, &job);
    }
  else
    gw_connect_resolve_token_async (options, NULL, token_resolved_cb, &job);

  g_main_loop_run (job.loop);

  if (job.feed != NULL)
    {
      g_signal_handlers_disconnect_by_data (job.feed, &job);
      gw_feed_stop (job.feed);
    }
  g_clear_object (&job.feed);
  g_clear_object (&job.demo);
  g_clear_object (&job.store);
  g_main_loop_unref (job.loop);
  return job.status;
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Export *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!gw_keyring_store_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf ("cannot store the token: %s", error->message);
      export_finish (job, message);
    }
  else
    export_finish (job, NULL);
}

/* Reads one line from standard input, so the token never shows in `ps` or history. */
static int
run_store_token (const char *server_url)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (in);
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  Export job = { 0 };

  if (server_url == NULL)
    {
      g_printerr ("gridwatch: --store-token needs --server URL\n");
      return 2;
    }
  token = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (token == NULL || token[0] == '\0')
    {
      g_printerr ("gridwatch: --store-token: give the token on standard input\n");
      return 2;
    }
  job.loop = g_main_loop_new (NULL, FALSE);
  gw_keyring_store_async (server_url, g_strstrip (token), NULL, token_stored_cb, &job);
  g_main_loop_run (job.loop);
  g_main_loop_unref (job.loop);
  memset (token, 0, strlen (token));
  return job.status;
}

/* Dates are local (China Standard Time for a hall) unless they carry a zone. */
static gboolean
parse_date_option (const char  *name,
                   const char  *text,
                   GwTime      *out,
                   GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int offset = (int) (g_date_time_get_utc_offset (now) / G_USEC_PER_SEC);

  if (text == NULL)
    return TRUE;
  if (gw_open311_parse_time (text, offset, out))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--%s: not a date or time: %s (use 2026-11-01 or 2026-11-01T08:00:00+08:00)",
               name, text);
  return FALSE;
}

static gboolean
parse_stats_query (GwMetricsQuery  *query,
                   const char      *from,
                   const char      *to,
                   const char      *by,
                   GError         **error)
{
  gw_metrics_query_init (query);
  if (!parse_date_option ("from", from, &query->from, error) ||
      !parse_date_option ("to", to, &query->to, error))
    return FALSE;
  if (query->from != GW_TIME_NONE && query->to != GW_TIME_NONE && query->to <= query->from)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--to must be later than --from");
      return FALSE;
    }
  if (by != NULL && !gw_metrics_group_by_from_string (by, &query->by))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--by: expected department, cell, community or class, not %s", by);
      return FALSE;
    }
  return TRUE;
}

/* Without a GPU render node GTK's GL renderer runs on the CPU (llvmpipe): cairo starts
 * without compiling shaders and shows the first frame in about 60 % of the time there.
 * GDK would still load Mesa and LLVM only to pick an X11 visual (60-80 ms), so GL is
 * switched off too. GSK_RENDERER or GDK_DEBUG set by the user wins. */
static void
prefer_cairo_without_gpu (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  dir = g_dir_open ("/dev/dri", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return;
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

/* GTK loads its own stylesheet as it starts, and libadwaita then swaps it for an empty
 * one: starting GTK on our empty one (in the GResource) spares parsing GTK's, about
 * 20 ms. GTK_THEME must not stay set, or libadwaita would leave its stylesheet out.
 * GTK_THEME set by the user wins. */
static void
init_gtk_on_empty_stylesheet (void)
{
  gboolean ours = g_getenv ("GTK_THEME") == NULL;

  if (ours)
    g_setenv ("GTK_THEME", "Gridwatch-empty", TRUE);
  /* The settings load the stylesheet when first asked for. */
  if (gtk_init_check ())
    gtk_settings_get_default ();
  if (ours)
    g_unsetenv ("GTK_THEME");
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GwConnectOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwApplication) app = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *stats_path = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *street = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *by = NULL;
  gboolean wall = FALSE;
  gboolean store_token = FALSE;
  int status;
  char *app_argv[] = { argv[0], NULL };
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &options.server_url,
      N_("Follow this Dispatch API server"), "URL" },
    { "open311", 0, 0, G_OPTION_ARG_STRING, &options.open311_url,
      N_("Follow this Open311 GeoReport v2 endpoint"), "URL" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &options.api_key,
      N_("Open311 API key"), "KEY" },
    { "jurisdiction", 0, 0, G_OPTION_ARG_STRING, &options.jurisdiction,
      N_("Open311 jurisdiction id"), "ID" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options.demo,
      N_("Run the bundled dispatch server with its street simulator"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options.ca_file,
      N_("Also trust the CA certificates in FILE (PEM)"), "FILE" },
    { "client-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.client_cert,
      N_("Present the client certificate and key in FILE (PEM)"), "FILE" },
    { "store-token", 0, 0, G_OPTION_ARG_NONE, &store_token,
      N_("Read the server's access token from standard input into the keyring"), NULL },
    { "wall", 0, 0, G_OPTION_ARG_NONE, &wall, N_("Start in wall mode"), NULL },
    { "export-cases", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      N_("Sync once, write every case to FILE (.csv or .json) and exit"), "FILE" },
    { "export-stats", 0, 0, G_OPTION_ARG_FILENAME, &stats_path,
      N_("Sync once, write the response statistics to FILE (.csv) and exit"), "FILE" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report_path,
      N_("Sync once, write the response statistics report to FILE (.pdf) and exit"), "FILE" },
    { "street", 0, 0, G_OPTION_ARG_STRING, &street,
      N_("The street's name for the report's title"), "NAME" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Statistics over cases received from DATE (inclusive)"), "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Statistics over cases received before DATE"), "DATE" },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by,
      N_("Group statistics by department, cell, community or class"), "GROUP" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("— the street command hall's wall"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gridwatch: %s\n", error->message);
      return 2;
    }
  /* Tokens come from the environment or the keyring, never the command line (ps shows it). */
  options.token = g_strdup (g_getenv ("GRIDWATCH_TOKEN"));

  if (store_token)
    return run_store_token (options.server_url);

  if (export_path != NULL || stats_path != NULL || report_path != NULL)
    {
      GwMetricsQuery query;

      if (!gw_connect_options_check (&options, &error))
        {
          g_printerr ("gridwatch: %s\n", error->message);
          return 2;
        }
      if ((export_path != NULL) + (stats_path != NULL) + (report_path != NULL) > 1)
        {
          g_printerr ("gridwatch: use one of --export-cases, --export-stats and --report\n");
          return 2;
        }
      if (export_path != NULL)
        return run_export (&options, export_path, NULL, FALSE, NULL);
      if (!parse_stats_query (&query, from, to, by, &error))
        {
          g_printerr ("gridwatch: %s\n", error->message);
          return 2;
        }
      if (report_path != NULL)
        return run_export (&options, report_path, &query, TRUE, street);
      return run_export (&options, stats_path, &query, FALSE, NULL);
    }

  prefer_cairo_without_gpu ();
  init_gtk_on_empty_stylesheet ();
  app = gw_application_new (&options, wall);
  status = g_application_run (G_APPLICATION (app), 1, app_argv);
  if (gw_application_get_restart (app))
    {
      /* Reconnect: start again without the command line's source, so Preferences' applies. */
      char *again[] = { argv[0], wall ? (char *) "--wall" : NULL, NULL };

      g_clear_object (&app);
      execv ("/proc/self/exe", again);
      g_printerr ("gridwatch: cannot restart: %s\n", g_strerror (errno));
      return 1;
    }
  return status;
}
