/* test-export-cli.c — `gridwatch --export-cases` against the real server, and its failures */

#include <string.h>

#include "gw-codec.h"
#include "gw-test-dispatchd.h"

typedef struct {
  int   status;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_gridwatch (Run                *run,
               const char         *token,
               const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("GW_GRIDWATCH"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "GRIDWATCH_TOKEN", token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GRIDWATCH_TOKEN");
  /* Headless: it must not need a display. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (proc);
}

static char *
tmp_path (GwTestDispatchd *server,
          const char      *name)
{
  return g_build_filename (server->dir, name, NULL);
}

static const char * const sim_args[] = {
  "--simulate", "--seed", "5", "--history-days", "2", "--token", "s3cret", NULL
};

static void
test_export_csv_and_json (void)
{
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (sim_args);
  g_autofree char *csv = tmp_path (server, "cases.csv");
  g_autofree char *json = tmp_path (server, "cases.json");
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Run) run_csv = { 0 };
  g_auto(Run) run_json = { 0 };
  gint64 total;
  guint rows = 0;
  gsize len;

  server->token = g_strdup ("s3cret");
  health = gw_test_get_json (server, "/api/v1/health");
  total = json_object_get_int_member (json_node_get_object (health), "incidents");
  g_assert_cmpint (total, >, 100);

  run_gridwatch (&run_csv, "s3cret",
                 (const char *[]) { "--server", server->url, "--export-cases", csv, NULL });
  g_assert_cmpint (run_csv.status, ==, 0);
  g_file_get_contents (csv, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFid,title,class,"));
  lines = g_strsplit (contents, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      rows++;
  /* The simulator may add a case or two while we sync; never fewer than it had. */
  g_assert_cmpuint (rows, >=, total);
  g_assert_nonnull (strstr (contents, "chengguan,城管"));

  run_gridwatch (&run_json, "s3cret",
                 (const char *[]) { "--server", server->url, "--export-cases", json, NULL });
  g_assert_cmpint (run_json.status, ==, 0);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (json, &contents, &len, &error);
  g_assert_no_error (error);
  root = gw_json_parse (contents, len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), >=, total);
  {
    JsonObject *first = json_array_get_object_element (json_node_get_array (root), 0);
    g_assert_true (json_object_has_member (first, "timeline"));
    g_assert_true (json_object_has_member (first, "department_name"));
    g_assert_true (json_object_has_member (first, "deadline"));
    /* Personal data stays out of exports. */
    g_assert_false (json_object_has_member (first, "reporter"));
  }
}

static void
test_export_failures (void)
{
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (sim_args);
  g_autofree char *csv = tmp_path (server, "cases.csv");
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u", gw_test_free_port ());
  g_auto(Run) wrong_token = { 0 };
  g_auto(Run) no_server = { 0 };
  g_auto(Run) bad_name = { 0 };
  g_auto(Run) no_source = { 0 };

  run_gridwatch (&wrong_token, "nope",
                 (const char *[]) { "--server", server->url, "--export-cases", csv, NULL });
  g_assert_cmpint (wrong_token.status, ==, 1);
  g_assert_nonnull (strstr (wrong_token.err, "401"));
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));

  run_gridwatch (&no_server, "s3cret",
                 (const char *[]) { "--server", dead, "--export-cases", csv, NULL });
  g_assert_cmpint (no_server.status, ==, 1);
  g_assert_nonnull (strstr (no_server.err, "Cannot reach the server"));

  run_gridwatch (&bad_name, "s3cret",
                 (const char *[]) { "--server", server->url, "--export-cases", "cases.xls", NULL });
  g_assert_cmpint (bad_name.status, ==, 2);
  g_assert_nonnull (strstr (bad_name.err, ".csv or .json"));

  run_gridwatch (&no_source, NULL, (const char *[]) { "--export-cases", csv, NULL });
  g_assert_cmpint (no_source.status, ==, 2);
  g_assert_nonnull (strstr (no_source.err, "--server"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export-cli/csv-and-json", test_export_csv_and_json);
  g_test_add_func ("/export-cli/failures", test_export_failures);

  return g_test_run ();
}
