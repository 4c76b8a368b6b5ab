/* test-export-cli.c — `gridwatch --export-cases` against the real server, and its failures */

#include <string.h>

#include "gw-codec.h"
#include "gw-test-dispatchd.h"

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
  g_auto(GwTestRun) run_csv = { 0 };
  g_auto(GwTestRun) run_json = { 0 };
  gint64 total;
  guint rows = 0;
  gsize len;

  server->token = g_strdup ("s3cret");
  health = gw_test_get_json (server, "/api/v1/health");
  total = json_object_get_int_member (json_node_get_object (health), "incidents");
  g_assert_cmpint (total, >, 100);

  gw_test_run_gridwatch (&run_csv, "s3cret",
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

  gw_test_run_gridwatch (&run_json, "s3cret",
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
  g_auto(GwTestRun) wrong_token = { 0 };
  g_auto(GwTestRun) no_server = { 0 };
  g_auto(GwTestRun) bad_name = { 0 };
  g_auto(GwTestRun) no_source = { 0 };

  gw_test_run_gridwatch (&wrong_token, "nope",
                 (const char *[]) { "--server", server->url, "--export-cases", csv, NULL });
  g_assert_cmpint (wrong_token.status, ==, 1);
  g_assert_nonnull (strstr (wrong_token.err, "401"));
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));

  gw_test_run_gridwatch (&no_server, "s3cret",
                 (const char *[]) { "--server", dead, "--export-cases", csv, NULL });
  g_assert_cmpint (no_server.status, ==, 1);
  g_assert_nonnull (strstr (no_server.err, "Cannot reach the server"));

  gw_test_run_gridwatch (&bad_name, "s3cret",
                 (const char *[]) { "--server", server->url, "--export-cases", "cases.xls", NULL });
  g_assert_cmpint (bad_name.status, ==, 2);
  g_assert_nonnull (strstr (bad_name.err, ".csv or .json"));

  gw_test_run_gridwatch (&no_source, NULL, (const char *[]) { "--export-cases", csv, NULL });
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
