/* gw-metrics-result.c — a computed metrics table: reading it and drilling down
 *
 * The result keeps every case's record, so the cases behind any figure are found again
 * by the same flags that counted them, not by evaluating the cases a second time.
 */
#include "gw-metrics-private.h"

#include <math.h>
#include <string.h>

/* ---- the result ------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (GwMetricsResult, gw_metrics_result, gw_metrics_result_ref,
                     gw_metrics_result_unref)

void
gw_metrics_query_ref_arrays (GwMetricsQuery *q)
{
  if (q->cells)
    g_ptr_array_ref (q->cells);
  if (q->departments)
    g_ptr_array_ref (q->departments);
  if (q->classes)
    g_ptr_array_ref (q->classes);
}

void
gw_metrics_query_unref_arrays (GwMetricsQuery *q)
{
  g_clear_pointer (&q->cells, g_ptr_array_unref);
  g_clear_pointer (&q->departments, g_ptr_array_unref);
  g_clear_pointer (&q->classes, g_ptr_array_unref);
}

GwMetricsResult *
gw_metrics_result_ref (GwMetricsResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
gw_metrics_result_unref (GwMetricsResult *result)
{
  g_return_if_fail (result != NULL);
  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  gw_metrics_query_unref_arrays (&result->query);
  g_ptr_array_unref (result->incidents);
  g_free (result->recs);
  for (guint i = 0; i < result->n_rows; i++)
    {
      g_free (result->keys[i]);
      g_free (result->labels[i]);
    }
  g_free (result->keys);
  g_free (result->labels);
  g_free (result->values);
  g_free (result);
}

/* ---- reading the result ---------------------------------------------------------- */

const GwMetricsQuery *
gw_metrics_result_get_query (GwMetricsResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return &result->query;
}

guint
gw_metrics_result_get_n_rows (GwMetricsResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->n_rows;
}

guint
gw_metrics_result_get_n_cases (GwMetricsResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->n_recs;
}

const char *
gw_metrics_result_get_key (GwMetricsResult *result, guint row)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, NULL);
  return result->keys[row];
}

const char *
gw_metrics_result_get_label (GwMetricsResult *result, guint row)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, NULL);
  return result->labels[row];
}

gboolean
gw_metrics_result_is_total (GwMetricsResult *result, guint row)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, FALSE);
  return row == result->n_rows - 1;
}

double
gw_metrics_result_get (GwMetricsResult *result, guint row, GwMetricsColumn column)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, NAN);
  g_return_val_if_fail ((guint) column < GW_METRICS_N_COLUMNS, NAN);
  return result->values[(gsize) row * GW_METRICS_N_COLUMNS + column];
}

int
gw_metrics_result_find_row (GwMetricsResult *result, const char *key)
{
  g_return_val_if_fail (result != NULL, -1);
  for (guint i = 0; key != NULL && i < result->n_rows; i++)
    if (strcmp (result->keys[i], key) == 0)
      return (int) i;
  return -1;
}

/* ---- drill-down ---------------------------------------------------------------- */

/* Which records a column's cases are. */
static gboolean
rec_matches (const GwMetricsRec *rec, GwMetricsColumn column)
{
  switch (column)
    {
    case GW_METRICS_COL_CLOSURE_RATE:
    case GW_METRICS_COL_ON_TIME_CLOSURE_RATE:
    case GW_METRICS_COL_REWORK_RATE:
      return rec->flags & GW_METRICS_BIT (GW_METRICS_F_DUE_CLOSE);
    case GW_METRICS_COL_ON_TIME_HANDLING_RATE:
      return rec->flags & GW_METRICS_BIT (GW_METRICS_F_DUE_HANDLE);
    case GW_METRICS_COL_RESPONSE_RATE:
    case GW_METRICS_COL_RESOLUTION_RATE:
    case GW_METRICS_COL_SATISFACTION_RATE:
    case GW_METRICS_COL_HOTLINE_SCORE:
      return rec->flags & GW_METRICS_BIT (GW_METRICS_F_VISITED);
    case GW_METRICS_COL_CASES:
    case GW_METRICS_COL_EXTENSION_RATE:
    case GW_METRICS_COL_SCORE:
      return TRUE;
    default:
      break;
    }
  if (column >= GW_METRICS_COL_STAGE_FIRST && column <= GW_METRICS_COL_STAGE_LAST)
    return rec->stage == (guint32) (column - GW_METRICS_COL_STAGE_FIRST);
  if (column >= GW_METRICS_COL_DUR_FIRST && column <= GW_METRICS_COL_DUR_LAST)
    return rec->dur[(column - GW_METRICS_COL_DUR_FIRST) / 4] >= 0;
  for (guint f = 0; f < GW_METRICS_N_FLAGS; f++)
    if (gw_metrics_flag_column[f] == column)
      return rec->flags & GW_METRICS_BIT (f);
  return FALSE;
}

typedef struct {
  const GwMetricsRec *rec;
  const char         *id;
} Hit;

static int
cmp_hit_0 (const void *a, const void *b, gpointer d)
{
  const Hit *x = a, *y = b;
  guint k = GPOINTER_TO_UINT (d);
  if (x->rec->dur[k] != y->rec->dur[k])
    return x->rec->dur[k] < y->rec->dur[k] ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

static GArray *
collect (GwMetricsResult *r, guint row, GwMetricsColumn column)
{
  gboolean total = row == r->n_rows - 1;
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (Hit));

  for (guint i = 0; i < r->n_recs; i++)
    {
      const GwMetricsRec *rec = &r->recs[i];
      if ((total || rec->group == row) && rec_matches (rec, column))
        {
          const GwIncident *inc = g_ptr_array_index (r->incidents, rec->index);
          Hit h = { rec, inc->id };
          g_array_append_val (hits, h);
        }
    }
  if (column >= GW_METRICS_COL_DUR_FIRST && column <= GW_METRICS_COL_DUR_LAST)
    g_array_sort_with_data (hits, cmp_hit_0,
                            GUINT_TO_POINTER ((column - GW_METRICS_COL_DUR_FIRST) / 4));
  return hits;
}

GPtrArray *
gw_metrics_cases_for (GwMetricsResult *result, guint row, GwMetricsColumn column)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, NULL);
  g_return_val_if_fail ((guint) column < GW_METRICS_N_COLUMNS, NULL);
  g_autoptr(GArray) hits = collect (result, row, column);
  GPtrArray *out = g_ptr_array_new_full (hits->len, (GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < hits->len; i++)
    {
      const Hit *h = &g_array_index (hits, Hit, i);
      g_ptr_array_add (out, gw_incident_ref (g_ptr_array_index (result->incidents, h->rec->index)));
    }
  return out;
}

GPtrArray *
gw_metrics_case_ids_for (GwMetricsResult *result, guint row, GwMetricsColumn column)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, NULL);
  g_return_val_if_fail ((guint) column < GW_METRICS_N_COLUMNS, NULL);
  g_autoptr(GArray) hits = collect (result, row, column);
  GPtrArray *out = g_ptr_array_sized_new (hits->len);
  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (out, (gpointer) g_array_index (hits, Hit, i).id);
  return out;
}

GArray *
gw_metrics_details_for (GwMetricsResult *result, guint row, GwMetricsColumn column)
{
  g_return_val_if_fail (result != NULL && row < result->n_rows, NULL);
  g_return_val_if_fail ((guint) column < GW_METRICS_N_COLUMNS, NULL);
  g_autoptr(GArray) hits = collect (result, row, column);
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (GwMetricsCaseDetail), hits->len);
  g_array_set_size (out, hits->len);
  for (guint i = 0; i < hits->len; i++)
    {
      const GwMetricsRec *rec = g_array_index (hits, Hit, i).rec;
      GwMetricsCaseDetail *d = &g_array_index (out, GwMetricsCaseDetail, i);
      d->incident = g_ptr_array_index (result->incidents, rec->index);
      d->stage = (GwStage) rec->stage;
      d->deadline = rec->deadline;
      d->deadline_assumed = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_DEADLINE_ASSUMED)) != 0;
      d->closed = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_CLOSED)) != 0;
      d->late = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_LATE)) != 0;
      d->due_to_close = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_DUE_CLOSE)) != 0;
      d->closed_on_time = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_CLOSED_ON_TIME)) != 0;
      d->due_to_handle = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_DUE_HANDLE)) != 0;
      d->handled_on_time = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_HANDLED_ON_TIME)) != 0;
      d->reworked = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_REWORKED_DUE)) != 0;
      d->extended = (rec->flags & GW_METRICS_BIT (GW_METRICS_F_EXTENDED)) != 0;
      for (guint k = 0; k < GW_METRICS_N_DURATIONS; k++)
        d->duration[k] = rec->dur[k];
    }
  return out;
}
