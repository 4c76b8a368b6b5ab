/* gw-report.c — the response statistics as a printable PDF (see the header) */

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-labels.h"
#include "gw-league-table.h"
#include "gw-report.h"
#include "gw-report-private.h"

/* ---- the job: a snapshot of the store, then the engine's answers ------------------- */

static void
report_job_free (GwReportJob *job)
{
  g_clear_pointer (&job->incidents, g_ptr_array_unref);
  g_clear_pointer (&job->cells, g_ptr_array_unref);
  g_clear_pointer (&job->departments, g_ptr_array_unref);
  g_clear_pointer (&job->classes, g_ptr_array_unref);
  g_clear_pointer (&job->result, gw_metrics_result_unref);
  g_clear_pointer (&job->in_range, g_array_unref);
  g_clear_pointer (&job->late, g_array_unref);
  g_clear_pointer (&job->ranked, g_array_unref);
  g_clear_pointer (&job->department_names, g_hash_table_unref);
  g_clear_pointer (&job->cell_names, g_hash_table_unref);
  g_free (job->street);
  g_free (job->path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwReportJob, report_job_free)

static GPtrArray *
ref_or_empty (GPtrArray *array)
{
  return array != NULL ? g_ptr_array_ref (array) : g_ptr_array_new ();
}

/* The most common street code of the cells, for a title when no name was given. */
static char *
street_from_cells (GPtrArray *cells)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *best = NULL;
  guint best_n = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cells, i);
      char *street = gw_cell_code_is_valid (cell->code) ? gw_cell_code_street (cell->code) : NULL;

      if (street != NULL)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, street));
          g_hash_table_replace (counts, street, GUINT_TO_POINTER (n + 1));
        }
    }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_n ||
        (GPOINTER_TO_UINT (value) == best_n && strcmp (key, best) < 0))
      {
        best = key;
        best_n = GPOINTER_TO_UINT (value);
      }
  /* Translators: the report's title when the street has no name, only a code. */
  return best != NULL ? g_strdup_printf (_("Street %s"), best) : g_strdup (_("Street"));
}

static int
compare_lateness (gconstpointer a,
                  gconstpointer b)
{
  const GwMetricsCaseDetail *x = a, *y = b;

  if (x->deadline != y->deadline)
    return x->deadline < y->deadline ? -1 : 1;  /* earlier deadline: later now */
  return strcmp (x->incident->id, y->incident->id);
}

/* Rank by composite score, best first; ties share a rank (1, 1, 3). "(unassigned)" and
 * groups without a score come after, unranked, as in the league table. */
static GArray *
rank_rows (GwMetricsResult *result)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (GwReportRow));
  guint n = gw_metrics_result_get_n_rows (result);

  for (guint r = 0; r < n; r++)
    {
      GwReportRow row = { r, 0, gw_metrics_result_get (result, r, GW_METRICS_COL_SCORE) };

      if (gw_metrics_result_is_total (result, r))
        continue;
      if (g_strcmp0 (gw_metrics_result_get_key (result, r), GW_METRICS_UNASSIGNED) == 0)
        row.score = NAN;
      g_array_append_val (rows, row);
    }
  for (guint i = 1; i < rows->len; i++)
    for (guint j = i; j > 0; j--)
      {
        GwReportRow *p = &g_array_index (rows, GwReportRow, j - 1);
        GwReportRow *q = &g_array_index (rows, GwReportRow, j);
        gboolean swap = (isnan (p->score) && !isnan (q->score)) ||
                        (!isnan (p->score) && !isnan (q->score) && q->score > p->score);
        GwReportRow tmp;

        if (!swap)
          break;
        tmp = *p;
        *p = *q;
        *q = tmp;
      }
  for (guint i = 0; i < rows->len; i++)
    {
      GwReportRow *row = &g_array_index (rows, GwReportRow, i);
      GwReportRow *prev = i > 0 ? &g_array_index (rows, GwReportRow, i - 1) : NULL;

      if (isnan (row->score))
        continue;
      row->rank = prev != NULL && prev->score == row->score ? prev->rank : (int) i + 1;
    }
  return rows;
}

static void
report_job_compute (GwReportJob   *job,
                    GCancellable  *cancellable,
                    GError       **error)
{
  int total;

  if (!(job->result = gw_metrics_compute (job->incidents, &job->query, cancellable, error)))
    return;
  total = gw_metrics_result_find_row (job->result, GW_METRICS_TOTAL);
  g_assert (total >= 0);
  job->total_row = (guint) total;
  job->in_range = gw_metrics_details_for (job->result, job->total_row, GW_METRICS_COL_CASES);
  job->late = gw_metrics_details_for (job->result, job->total_row, GW_METRICS_COL_LATE_NOW);
  g_array_sort (job->late, compare_lateness);
  job->ranked = rank_rows (job->result);

  job->department_names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < job->departments->len; i++)
    {
      GwDepartment *dept = g_ptr_array_index (job->departments, i);
      g_hash_table_insert (job->department_names, dept->id, dept->name);
    }
  job->cell_names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < job->cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (job->cells, i);
      g_hash_table_insert (job->cell_names, cell->code, cell->name);
    }
}

/* ---- output ------------------------------------------------------------------------ */

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  if (closure != NULL)
    g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* One pass over the whole document; @out NULL only counts the pages. */
static guint
render (GwReportJob *job,
        GByteArray  *out,
        guint        n_pages,
        GError     **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_cb, out,
                                                                   GW_REPORT_PAGE_WIDTH,
                                                                   GW_REPORT_PAGE_HEIGHT);
  g_autofree char *title = g_strdup_printf (_("%s — department response report"), job->street);
  g_autofree char *created = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (job->query.now / G_USEC_PER_SEC);
  GwReportPen pen = { 0 };
  cairo_status_t status;

  created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Gridwatch " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);

  gw_report_pen_init (&pen, job, surface, n_pages);
  gw_report_draw_title (&pen);
  gw_report_draw_headline (&pen);
  gw_report_draw_league_table (&pen);
  gw_report_draw_score_bars (&pen);
  gw_report_draw_trend (&pen);
  gw_report_draw_durations (&pen);
  gw_report_draw_late_list (&pen);
  gw_report_pen_finish (&pen);

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot draw the report: %s"),
                   cairo_status_to_string (status));
      return 0;
    }
  return pen.page;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GwReportJob *job = task_data;
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint n_pages;

  report_job_compute (job, cancellable, &error);
  /* Twice: the first pass learns the page count for the "n / m" footers. */
  if (error == NULL && (n_pages = render (job, NULL, 0, &error)) > 0 &&
      !g_cancellable_set_error_if_cancelled (cancellable, &error) &&
      render (job, pdf, n_pages, &error) > 0 &&
      !g_cancellable_set_error_if_cancelled (cancellable, &error) &&
      g_file_set_contents (job->path, (const char *) pdf->data, (gssize) pdf->len, &error))
    {
      g_task_return_int (task, n_pages);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
gw_report_write_async (GwStore              *store,
                       const GwMetricsQuery *query,
                       const char           *street_name,
                       const char           *path,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GwReportJob) job = NULL;

  g_return_if_fail (GW_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gw_report_write_async);

  job = g_new0 (GwReportJob, 1);
  job->incidents = gw_store_list (store);
  job->cells = ref_or_empty (gw_store_get_cells (store));
  job->departments = ref_or_empty (gw_store_get_departments (store));
  job->classes = ref_or_empty (gw_store_get_classes (store));
  job->query = *query;
  if (job->query.by == GW_METRICS_BY_NONE)
    job->query.by = GW_METRICS_BY_DEPARTMENT;
  if (job->query.now == GW_TIME_NONE)
    job->query.now = gw_time_now ();
  job->query.cells = job->cells;
  job->query.departments = job->departments;
  job->query.classes = job->classes;
  job->street = street_name != NULL && street_name[0] != '\0' ? g_strdup (street_name)
                                                              : street_from_cells (job->cells);
  job->path = g_strdup (path);

  g_task_set_task_data (task, g_steal_pointer (&job), (GDestroyNotify) report_job_free);
  g_task_run_in_thread (task, write_thread);
}

guint
gw_report_write_finish (GAsyncResult  *result,
                        GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  n = g_task_propagate_int (G_TASK (result), error);
  return n > 0 ? (guint) n : 0;
}
