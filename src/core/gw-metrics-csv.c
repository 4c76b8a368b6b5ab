/* gw-metrics-csv.c — metrics tables as CSV (UTF-8 with BOM, RFC 4180) */

#include "gw-metrics-csv.h"

#include <math.h>
#include <string.h>

GString *
gw_metrics_csv_new (void)
{
  GString *out = g_string_new (NULL);
  g_string_append (out, "\xEF\xBB\xBF");
  return out;
}

void
gw_metrics_csv_append_field (GString    *out,
                             const char *value,
                             gboolean    last)
{
  if (value != NULL && strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (value != NULL)
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

void
gw_metrics_csv_append_row (GString            *out,
                           const char * const *fields,
                           guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    gw_metrics_csv_append_field (out, fields[i], i + 1 == n_fields);
}

char *
gw_metrics_csv_header (GwMetricsColumn column)
{
  const GwMetricsColumnInfo *info = gw_metrics_column_info (column);
  const char *unit = "";

  g_return_val_if_fail (info != NULL, NULL);
  if (info->kind == GW_METRICS_KIND_RATE)
    unit = " %";
  else if (info->kind == GW_METRICS_KIND_DURATION)
    unit = "";  /* the id and name say seconds */
  return g_strdup_printf ("%s (%s%s)", info->id, info->name_zh, unit);
}

/* Seconds from a double that holds whole microseconds / 1e6: exact, shortest. */
static char *
format_seconds_exact (double seconds)
{
  gint64 us = (gint64) llround (seconds * 1e6);
  if (us % G_USEC_PER_SEC == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, us / G_USEC_PER_SEC);
  char *s = g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                             us / G_USEC_PER_SEC, us % G_USEC_PER_SEC);
  /* Trim trailing zeros of the fraction. */
  gsize len = strlen (s);
  while (s[len - 1] == '0')
    s[--len] = '\0';
  return s;
}

char *
gw_metrics_csv_format (GwMetricsColumn column,
                       double          value)
{
  const GwMetricsColumnInfo *info = gw_metrics_column_info (column);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (info != NULL, NULL);
  if (isnan (value))
    return g_strdup ("");
  switch (info->kind)
    {
    case GW_METRICS_KIND_COUNT:
      return g_strdup_printf ("%.0f", value);
    case GW_METRICS_KIND_RATE:
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", value * 100.0));
    case GW_METRICS_KIND_DURATION:
      if (column >= GW_METRICS_COL_DUR_FIRST &&
          (column - GW_METRICS_COL_DUR_FIRST) % 4 == GW_METRICS_DUR_MEAN)
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f", value));
      return format_seconds_exact (value);
    case GW_METRICS_KIND_SCORE:
    default:
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", value));
    }
}

static char *
time_or_empty (GwTime t)
{
  return t != GW_TIME_NONE ? gw_time_format (t) : g_strdup ("");
}

GBytes *
gw_metrics_csv_export (GwMetricsResult *result)
{
  const GwMetricsQuery *q = gw_metrics_result_get_query (result);
  GString *out = gw_metrics_csv_new ();
  g_autofree char *from = time_or_empty (q->from);
  g_autofree char *to = time_or_empty (q->to);
  g_autofree char *now = time_or_empty (q->now);
  const char *by = gw_metrics_group_by_to_string (q->by);

  gw_metrics_csv_append_field (out, "group_by", FALSE);
  gw_metrics_csv_append_field (out, "key", FALSE);
  gw_metrics_csv_append_field (out, "label", FALSE);
  for (guint c = 0; c < GW_METRICS_N_COLUMNS; c++)
    {
      g_autofree char *h = gw_metrics_csv_header (c);
      gw_metrics_csv_append_field (out, h, FALSE);
    }
  gw_metrics_csv_append_field (out, "from", FALSE);
  gw_metrics_csv_append_field (out, "to", FALSE);
  gw_metrics_csv_append_field (out, "now", TRUE);

  for (guint row = 0; row < gw_metrics_result_get_n_rows (result); row++)
    {
      gw_metrics_csv_append_field (out, by, FALSE);
      gw_metrics_csv_append_field (out, gw_metrics_result_get_key (result, row), FALSE);
      gw_metrics_csv_append_field (out, gw_metrics_result_get_label (result, row), FALSE);
      for (guint c = 0; c < GW_METRICS_N_COLUMNS; c++)
        {
          g_autofree char *v = gw_metrics_csv_format (c, gw_metrics_result_get (result, row, c));
          gw_metrics_csv_append_field (out, v, FALSE);
        }
      gw_metrics_csv_append_field (out, from, FALSE);
      gw_metrics_csv_append_field (out, to, FALSE);
      gw_metrics_csv_append_field (out, now, TRUE);
    }
  return g_string_free_to_bytes (out);
}

GBytes *
gw_metrics_csv_export_cases (GwMetricsResult *result,
                             guint            row,
                             GwMetricsColumn  column)
{
  static const char *const header[] = {
    "id", "title", "department", "cell", "class", "stage_now", "received_at", "deadline",
    "deadline_assumed", "closed_at", "closed", "due_to_close", "closed_on_time",
    "due_to_handle", "handled_on_time", "reworked", "extended", "late_now",
    "dur_received_dispatched_s", "dur_dispatched_on_site_s", "dur_dispatched_done_s",
    "dur_received_done_s", "dur_received_closed_s",
  };
  g_autoptr(GArray) details = gw_metrics_details_for (result, row, column);
  GString *out = gw_metrics_csv_new ();

  g_return_val_if_fail (details != NULL, NULL);
  gw_metrics_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < details->len; i++)
    {
      const GwMetricsCaseDetail *d = &g_array_index (details, GwMetricsCaseDetail, i);
      const GwIncident *inc = d->incident;
      g_autofree char *received = time_or_empty (inc->received_at);
      g_autofree char *deadline = time_or_empty (d->deadline);
      g_autofree char *closed_at = d->closed && d->duration[GW_METRICS_DUR_RECEIVED_CLOSED] >= 0
                                   ? gw_time_format (inc->received_at +
                                                     d->duration[GW_METRICS_DUR_RECEIVED_CLOSED])
                                   : g_strdup ("");
      char *durs[GW_METRICS_N_DURATIONS];

      for (guint k = 0; k < GW_METRICS_N_DURATIONS; k++)
        durs[k] = d->duration[k] >= 0 ? format_seconds_exact ((double) d->duration[k] / 1e6)
                                      : g_strdup ("");
      const char *fields[] = {
        inc->id, inc->title, inc->department, inc->cell_code, inc->class_code,
        gw_stage_to_string (d->stage), received, deadline,
        d->deadline_assumed ? "yes" : "no", closed_at,
        d->closed ? "yes" : "no", d->due_to_close ? "yes" : "no",
        d->closed_on_time ? "yes" : "no", d->due_to_handle ? "yes" : "no",
        d->handled_on_time ? "yes" : "no", d->reworked ? "yes" : "no",
        d->extended ? "yes" : "no", d->late ? "yes" : "no",
        durs[0], durs[1], durs[2], durs[3], durs[4],
      };
      G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (header));
      gw_metrics_csv_append_row (out, fields, G_N_ELEMENTS (fields));
      for (guint k = 0; k < GW_METRICS_N_DURATIONS; k++)
        g_free (durs[k]);
    }
  return g_string_free_to_bytes (out);
}

gboolean
gw_metrics_csv_write_file (GwMetricsResult  *result,
                           const char       *path,
                           GError          **error)
{
  g_autoptr(GBytes) bytes = gw_metrics_csv_export (result);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  return g_file_set_contents (path, data, (gssize) len, error);
}
