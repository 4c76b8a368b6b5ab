/* test-report-cli.c — `gridwatch --report` against the real server, and its failures
 *
 * gridwatch-dispatchd back-fills three days of the demo street, then restarts without
 * the simulator so the data holds still. The report's headline figures and department
 * names are read back with poppler's pdftotext and compared with `--export-stats` over
 * the same range (run before and after the report: when both agree, a deadline did not
 * pass in between and the report must say the same). Page 1 is rendered with pdftoppm
 * to $GW_TEST_OUTDIR/report-page1.png for a person to look at.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gw-test-dispatchd.h"

static const char * const backfill_args[] = {
  "--simulate", "--seed", "7", "--history-days", "3", "--token", "s3cret", NULL
};
static const char * const still_args[] = { "--token", "s3cret", NULL };

/* The CSV's rows as arrays of fields (no field of these files holds a comma or quote
 * except labels, which the checks below do not split on). */
static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "group_by,key,label,"));
  lines = g_strsplit (contents + 3, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

static int
column_index (GPtrArray  *rows,
              const char *id)
{
  char **header = g_ptr_array_index (rows, 0);

  for (int i = 0; header[i] != NULL; i++)
    if (g_str_has_prefix (header[i], id) && header[i][strlen (id)] == ' ')
      return i;
  g_error ("no column %s", id);
  return -1;
}

static char **
find_row (GPtrArray  *rows,
          const char *key)
{
  for (guint r = 1; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      if (g_strcmp0 (row[1], key) == 0)
        return row;
    }
  return NULL;
}

/* Every figure but the trailing `now` column. */
static gboolean
same_figures (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint r = 0; r < a->len; r++)
    {
      char **x = g_ptr_array_index (a, r), **y = g_ptr_array_index (b, r);
      guint n = g_strv_length (x);

      if (n != g_strv_length (y))
        return FALSE;
      for (guint i = 0; i + 1 < n; i++)
        if (g_strcmp0 (x[i], y[i]) != 0)
          return FALSE;
    }
  return TRUE;
}

static char *
run_tool (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

/* The line before the first line that starts @label (a long label wraps in its card):
 * the headline card's value. */
static const char *
headline_value (char       **lines,
                const char  *label)
{
  for (guint i = 1; lines[i] != NULL; i++)
    if (strlen (g_strstrip (lines[i])) >= 4 && g_str_has_prefix (label, lines[i]))
      return g_strstrip (lines[i - 1]);
  g_error ("no headline card %s", label);
  return NULL;
}

static void
assert_rate (const char *shown,
             const char *csv_percent)
{
  /* The report shows one decimal ("83.4 %"), the CSV two ("83.42"). */
  g_assert_true (g_str_has_suffix (shown, " %"));
  g_assert_cmpfloat (fabs (g_ascii_strtod (shown, NULL) - g_ascii_strtod (csv_percent, NULL)),
                     <=, 0.05 + 1e-9);
}

static void
test_report_matches_stats (void)
{
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (backfill_args);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_days (today, -2);
  g_autoptr(GDateTime) end = g_date_time_add_days (today, 1);
  g_autofree char *from = g_date_time_format (start, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (end, "%Y-%m-%d");
  g_autofree char *csv_a = g_build_filename (server->dir, "a.csv", NULL);
  g_autofree char *csv_b = g_build_filename (server->dir, "b.csv", NULL);
  g_autofree char *pdf = g_build_filename (server->dir, "report.pdf", NULL);
  g_autofree char *text = NULL, *info = NULL, *head = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL;
  g_auto(GStrv) lines = NULL;
  const char *outdir = g_getenv ("GW_TEST_OUTDIR");
  char **total;
  guint attempt, n_depts = 0;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: build-aux/install-deps.sh");
      return;
    }
  gw_test_dispatchd_stop (server);
  gw_test_dispatchd_restart (server, still_args);

  for (attempt = 0; attempt < 3; attempt++)
    {
      g_auto(GwTestRun) stats_a = { 0 };
      g_auto(GwTestRun) report = { 0 };
      g_auto(GwTestRun) stats_b = { 0 };

      gw_test_run_gridwatch (&stats_a, "s3cret", (const char *[]) {
        "--server", server->url, "--export-stats", csv_a, "--from", from, "--to", to, NULL });
      g_assert_cmpint (stats_a.status, ==, 0);
      gw_test_run_gridwatch (&report, "s3cret", (const char *[]) {
        "--server", server->url, "--report", pdf, "--from", from, "--to", to,
        "--street", "绿东村街道", NULL });
      g_assert_cmpint (report.status, ==, 0);
      g_assert_nonnull (strstr (report.err, "page report"));
      gw_test_run_gridwatch (&stats_b, "s3cret", (const char *[]) {
        "--server", server->url, "--export-stats", csv_b, "--from", from, "--to", to, NULL });
      g_assert_cmpint (stats_b.status, ==, 0);

      g_clear_pointer (&before, g_ptr_array_unref);
      g_clear_pointer (&after, g_ptr_array_unref);
      before = read_csv (csv_a);
      after = read_csv (csv_b);
      if (same_figures (before, after))
        break;
      g_test_message ("a deadline passed between the runs; again");
    }
  g_assert_cmpuint (attempt, <, 3);

  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (pdf, &contents, &len, NULL));
    g_assert_true (g_str_has_prefix (contents, "%PDF-1."));
    g_assert_cmpuint (len, >, 1000);
    /* The trailer; the body is binary, so look only at the text of the last bytes. */
    g_assert_nonnull (strstr (contents + len - 16, "%%EOF"));
  }
  info = run_tool ((const char *[]) { "pdfinfo", pdf, NULL });
  g_assert_nonnull (strstr (info, "595.276 x 841.89 pts (A4)"));
  g_assert_nonnull (strstr (info, "Pages:"));
  text = run_tool ((const char *[]) { "pdftotext", "-raw", "-enc", "UTF-8", pdf, "-", NULL });
  g_assert_nonnull (strstr (text, "绿东村街道"));

  /* Every department of the statistics is in the report. */
  for (guint r = 1; r < before->len; r++)
    {
      char **row = g_ptr_array_index (before, r);

      if (g_strcmp0 (row[1], "(all)") == 0 || g_strcmp0 (row[1], "(unassigned)") == 0)
        continue;
      if (strstr (text, row[2]) == NULL)
        g_error ("department %s (%s) is not in the report", row[2], row[1]);
      n_depts++;
    }
  g_assert_cmpuint (n_depts, >=, 3);

  /* The headline equals the total row. */
  total = find_row (before, "(all)");
  g_assert_nonnull (total);
  g_assert_cmpint (atoi (total[column_index (before, "cases")]), >, 20);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (headline_value (lines, "Received"), ==, total[column_index (before, "cases")]);
  g_assert_cmpstr (headline_value (lines, "Closed"), ==, total[column_index (before, "closed")]);
  g_assert_cmpstr (headline_value (lines, "Late now"), ==, total[column_index (before, "late_now")]);
  assert_rate (headline_value (lines, "Closure rate"), total[column_index (before, "closure_rate")]);
  assert_rate (headline_value (lines, "On-time closure rate"),
               total[column_index (before, "on_time_closure_rate")]);
  g_assert_cmpfloat (fabs (g_ascii_strtod (headline_value (lines, "Composite score"), NULL) -
                           g_ascii_strtod (total[column_index (before, "score")], NULL)),
                     <=, 0.05 + 1e-9);
  /* The late list is there, with a heading giving the same count (pdftotext loses some
   * spaces between words set in the CJK font: compare without them). */
  head = g_strdup_printf ("Caseslatenow(%s)", total[column_index (before, "late_now")]);
  {
    GString *squeezed = g_string_new (NULL);

    for (const char *p = text; *p; p++)
      if (*p != ' ')
        g_string_append_c (squeezed, *p);
    g_assert_nonnull (strstr (squeezed->str, head));
    g_string_free (squeezed, TRUE);
  }

  if (outdir != NULL)
    {
      g_autofree char *prefix = g_build_filename (outdir, "report-page1", NULL);
      g_free (run_tool ((const char *[]) { "pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1",
                                           "-singlefile", pdf, prefix, NULL }));
      g_test_message ("page 1: %s.png", prefix);
    }
}

static void
test_report_failures (void)
{
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (backfill_args);
  g_autofree char *pdf = g_build_filename (server->dir, "report.pdf", NULL);
  g_autofree char *blocker = g_build_filename (server->dir, "file.txt", NULL);
  g_autofree char *unwritable = g_build_filename (blocker, "report.pdf", NULL);
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u", gw_test_free_port ());
  g_autofree char *kept = NULL;
  g_auto(GwTestRun) bad_range = { 0 };
  g_auto(GwTestRun) bad_date = { 0 };
  g_auto(GwTestRun) bad_name = { 0 };
  g_auto(GwTestRun) both = { 0 };
  g_auto(GwTestRun) no_dir = { 0 };
  g_auto(GwTestRun) no_server = { 0 };
  g_auto(GwTestRun) wrong_token = { 0 };

  gw_test_run_gridwatch (&bad_range, "s3cret", (const char *[]) {
    "--server", server->url, "--report", pdf, "--from", "2026-11-05", "--to", "2026-11-01", NULL });
  g_assert_cmpint (bad_range.status, ==, 2);
  g_assert_nonnull (strstr (bad_range.err, "--to must be later than --from"));

  gw_test_run_gridwatch (&bad_date, "s3cret", (const char *[]) {
    "--server", server->url, "--report", pdf, "--from", "November", NULL });
  g_assert_cmpint (bad_date.status, ==, 2);
  g_assert_nonnull (strstr (bad_date.err, "not a date"));

  gw_test_run_gridwatch (&bad_name, "s3cret", (const char *[]) {
    "--server", server->url, "--report", "report.txt", NULL });
  g_assert_cmpint (bad_name.status, ==, 2);
  g_assert_nonnull (strstr (bad_name.err, ".pdf"));

  gw_test_run_gridwatch (&both, "s3cret", (const char *[]) {
    "--server", server->url, "--report", pdf, "--export-stats", "s.csv", NULL });
  g_assert_cmpint (both.status, ==, 2);
  g_assert_nonnull (strstr (both.err, "use one of"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  /* A path under a regular file cannot be created, even by root. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  gw_test_run_gridwatch (&no_dir, "s3cret", (const char *[]) {
    "--server", server->url, "--report", unwritable, NULL });
  g_assert_cmpint (no_dir.status, ==, 1);
  g_assert_nonnull (strstr (no_dir.err, "report.pdf"));
  g_assert_nonnull (strstr (no_dir.err, "Not a directory"));

  /* A failed sync leaves an existing report as it was. */
  g_assert_true (g_file_set_contents (pdf, "old report", -1, NULL));
  gw_test_run_gridwatch (&no_server, "s3cret", (const char *[]) {
    "--server", dead, "--report", pdf, NULL });
  g_assert_cmpint (no_server.status, ==, 1);
  g_assert_nonnull (strstr (no_server.err, "Cannot reach the server"));
  gw_test_run_gridwatch (&wrong_token, "nope", (const char *[]) {
    "--server", server->url, "--report", pdf, NULL });
  g_assert_cmpint (wrong_token.status, ==, 1);
  g_assert_nonnull (strstr (wrong_token.err, "401"));
  g_assert_true (g_file_get_contents (pdf, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "old report");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-cli/matches-stats", test_report_matches_stats);
  g_test_add_func ("/report-cli/failures", test_report_failures);

  return g_test_run ();
}
