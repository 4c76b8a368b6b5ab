/* gw-report-charts.c — the report's charts, drawn with cairo on the PDF page */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-labels.h"
#include "gw-league-table.h"
#include "gw-report-private.h"

#define MAX_SCORE_BARS 20
#define MAX_BUCKETS    100

static void
hline (cairo_t *cr,
       double   x0,
       double   x1,
       double   y,
       guint32  rgb,
       double   width)
{
  gw_report_set_color (cr, rgb);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

/* 1, 2 or 5 × 10ⁿ, at least @max / 4, so four gridlines cover @max. */
static double
nice_step (double max)
{
  double raw = MAX (max, 1) / 4, mag = pow (10, floor (log10 (raw)));

  if (raw <= mag)
    return mag;
  if (raw <= 2 * mag)
    return 2 * mag;
  if (raw <= 5 * mag)
    return 5 * mag;
  return 10 * mag;
}

static void
legend (GwReportPen *pen,
        double       x,
        double       y,
        guint32      rgb,
        const char  *text)
{
  gw_report_set_color (pen->cr, rgb);
  cairo_rectangle (pen->cr, x, y + 2, 8, 8);
  cairo_fill (pen->cr);
  gw_report_text (pen, x + 11, y, 80, text, 7.5, 0, GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
}

/* ---- composite score per group ----------------------------------------------------- */

void
gw_report_draw_score_bars (GwReportPen *pen)
{
  GwReportJob *job = pen->job;
  const double label_w = 110, value_w = 34, bar_h = 9, pitch = 14;
  const double x0 = GW_REPORT_MARGIN + label_w + 6;
  const double plot_w = GW_REPORT_BODY_WIDTH - label_w - 6 - value_w;
  g_autofree char *heading_n = NULL;
  const char *heading;
  guint n = 0, n_scored = 0;

  for (guint i = 0; i < job->ranked->len; i++)
    if (!isnan (g_array_index (job->ranked, GwReportRow, i).score))
      n_scored++;
  n = MIN (n_scored, MAX_SCORE_BARS);
  switch (job->query.by)
    {
    case GW_METRICS_BY_CELL:      heading = _("Composite score by cell"); break;
    case GW_METRICS_BY_COMMUNITY: heading = _("Composite score by community"); break;
    case GW_METRICS_BY_CLASS:     heading = _("Composite score by class"); break;
    case GW_METRICS_BY_DEPARTMENT:
    case GW_METRICS_BY_NONE:
    case GW_N_METRICS_BY:
    default:                      heading = _("Composite score by department"); break;
    }
  if (n < n_scored)
    /* Translators: "Composite score by cell (the best 20 of 96)". */
    heading = heading_n = g_strdup_printf (_("%s (the best %u of %u)"), heading, n, n_scored);
  gw_report_heading (pen, heading, MIN (n, 6) * pitch + 16);
  if (n == 0)
    {
      pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH,
                                _("No group has a score in this range."), 9, 0,
                                GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
      return;
    }

  /* Gridlines at 0, 25, 50, 75 and 100 behind the bars, labelled below. */
  for (guint k = 0, drawn = 0; k < job->ranked->len && drawn < n; k++)
    {
      const GwReportRow *row = &g_array_index (job->ranked, GwReportRow, k);
      g_autofree char *value = NULL;
      double w;

      if (isnan (row->score))
        continue;
      /* A long list continues on the next page, gridlines and all. */
      gw_report_pen_need (pen, pitch + 14);
      for (int g = 0; g <= 4; g++)
        {
          gw_report_set_color (pen->cr, GW_REPORT_LINE);
          cairo_set_line_width (pen->cr, 0.4);
          cairo_move_to (pen->cr, x0 + plot_w * g / 4.0, pen->y);
          cairo_line_to (pen->cr, x0 + plot_w * g / 4.0, pen->y + pitch);
          cairo_stroke (pen->cr);
        }
      gw_report_text (pen, GW_REPORT_MARGIN, pen->y + 1.5, label_w,
                      gw_report_row_label (job, row->row), 7.5, 0, GW_REPORT_ALIGN_RIGHT,
                      GW_REPORT_INK);
      w = plot_w * CLAMP (row->score, 0, 100) / 100.0;
      gw_report_set_color (pen->cr, drawn == 0 ? GW_REPORT_GREEN : GW_REPORT_BLUE);
      cairo_rectangle (pen->cr, x0, pen->y + (pitch - bar_h) / 2, w, bar_h);
      cairo_fill (pen->cr);
      value = gw_metrics_format_value (GW_METRICS_COL_SCORE, row->score);
      gw_report_text (pen, x0 + w + 3, pen->y + 1.5, value_w, value, 7.5,
                      GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_LEFT, GW_REPORT_INK);
      pen->y += pitch;
      drawn++;
    }
  for (int g = 0; g <= 4; g++)
    {
      g_autofree char *tick = g_strdup_printf ("%d", g * 25);
      gw_report_text (pen, x0 + plot_w * g / 4.0 - 15, pen->y + 1, 30, tick, 6.5,
                      GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_CENTER, GW_REPORT_GREY);
    }
  pen->y += 12;
}

/* ---- received and closed over time ------------------------------------------------- */

typedef struct {
  GwTime      start;     /* of the first bucket */
  GwTime      size;
  guint       n;
  const char *format;    /* g_date_time_format() of a bucket's label */
  const char *unit;      /* translated: "per hour" … */
} Buckets;

static gboolean
choose_buckets (GwReportJob *job,
                Buckets     *b)
{
  GwTime start = job->query.from, end;
  g_autoptr(GDateTime) first = NULL, midnight = NULL;
  const GwTime hour = GW_USEC_PER_HOUR, day = 24 * GW_USEC_PER_HOUR;

  end = job->query.to != GW_TIME_NONE ? MIN (job->query.to, job->query.now + 1) : job->query.now + 1;
  if (start == GW_TIME_NONE)
    for (guint i = 0; i < job->in_range->len; i++)
      {
        GwTime t = g_array_index (job->in_range, GwMetricsCaseDetail, i).incident->received_at;
        if (start == GW_TIME_NONE || t < start)
          start = t;
      }
  if (start == GW_TIME_NONE || end <= start)
    return FALSE;

  first = g_date_time_new_from_unix_local (start / G_USEC_PER_SEC);
  if (end - start <= 48 * hour)
    {
      b->size = hour;
      b->format = "%H:00";
      b->unit = _("per hour");
      b->start = start - (start % hour);
    }
  else
    {
      midnight = g_date_time_new_local (g_date_time_get_year (first), g_date_time_get_month (first),
                                        g_date_time_get_day_of_month (first), 0, 0, 0);
      b->start = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
      if (end - start <= 62 * day)
        {
          b->size = day;
          b->format = "%m-%d";
          b->unit = _("per day");
        }
      else if (end - start <= 60 * 7 * day)
        {
          b->size = 7 * day;
          b->format = "%m-%d";
          b->unit = _("per week");
        }
      else
        {
          b->size = 30 * day;
          b->format = "%Y-%m";
          b->unit = _("per 30 days");
        }
    }
  b->n = (guint) MIN ((end - b->start + b->size - 1) / b->size, MAX_BUCKETS);
  return b->n > 0;
}

void
gw_report_draw_trend (GwReportPen *pen)
{
  GwReportJob *job = pen->job;
  const double plot_h = 104, axis_w = 28, label_h = 12;
  const double x0 = GW_REPORT_MARGIN + axis_w, plot_w = GW_REPORT_BODY_WIDTH - axis_w;
  g_autofree guint *received = NULL, *closed = NULL;
  g_autofree char *heading = NULL;
  Buckets b = { 0 };
  double max = 0, step, top, slot, bar_w;
  guint every;

  if (job->in_range->len == 0 || !choose_buckets (job, &b))
    return;  /* the headline's 0 and the table say it: no empty chart */
  received = g_new0 (guint, b.n);
  closed = g_new0 (guint, b.n);
  for (guint i = 0; i < job->in_range->len; i++)
    {
      const GwMetricsCaseDetail *d = &g_array_index (job->in_range, GwMetricsCaseDetail, i);
      GwTime r = d->incident->received_at, c;

      if (r >= b.start && (r - b.start) / b.size < b.n)
        received[(r - b.start) / b.size]++;
      if (!d->closed || d->duration[GW_METRICS_DUR_RECEIVED_CLOSED] < 0)
        continue;
      c = r + d->duration[GW_METRICS_DUR_RECEIVED_CLOSED];
      if (c >= b.start && (c - b.start) / b.size < b.n)
        closed[(c - b.start) / b.size]++;
    }
  for (guint i = 0; i < b.n; i++)
    max = MAX (max, MAX (received[i], closed[i]));
  step = nice_step (max);
  top = step * ceil (MAX (max, 1) / step);

  heading = g_strdup_printf (_("Received and closed, %s"), b.unit);
  gw_report_heading (pen, heading, plot_h + label_h + 4);
  legend (pen, GW_REPORT_MARGIN + GW_REPORT_BODY_WIDTH - 150, pen->y - 16, GW_REPORT_BLUE,
          _("Received"));
  legend (pen, GW_REPORT_MARGIN + GW_REPORT_BODY_WIDTH - 75, pen->y - 16, GW_REPORT_GREEN,
          _("Closed"));

  for (double v = 0; v <= top + 0.5; v += step)
    {
      double y = pen->y + plot_h - plot_h * v / top;
      g_autofree char *tick = g_strdup_printf ("%.0f", v);

      hline (pen->cr, x0, x0 + plot_w, y, v == 0 ? GW_REPORT_INK : GW_REPORT_LINE, v == 0 ? 0.8 : 0.4);
      gw_report_text (pen, GW_REPORT_MARGIN, y - 5, axis_w - 4, tick, 6.5,
                      GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_RIGHT, GW_REPORT_GREY);
    }
  slot = plot_w / b.n;
  bar_w = CLAMP (slot * 0.38, 0.6, 24);
  every = (guint) ceil (b.n / 12.0);
  for (guint i = 0; i < b.n; i++)
    {
      double x = x0 + i * slot + (slot - 2 * bar_w) / 2;
      double hr = plot_h * received[i] / top, hc = plot_h * closed[i] / top;

      gw_report_set_color (pen->cr, GW_REPORT_BLUE);
      cairo_rectangle (pen->cr, x, pen->y + plot_h - hr, bar_w, hr);
      cairo_fill (pen->cr);
      gw_report_set_color (pen->cr, GW_REPORT_GREEN);
      cairo_rectangle (pen->cr, x + bar_w, pen->y + plot_h - hc, bar_w, hc);
      cairo_fill (pen->cr);
      if (i % every == 0)
        {
          g_autoptr(GDateTime) t = g_date_time_new_from_unix_local ((b.start + i * b.size) /
                                                                    G_USEC_PER_SEC);
          g_autofree char *label = g_date_time_format (t, b.format);

          gw_report_text (pen, x0 + i * slot - 20 + slot / 2, pen->y + plot_h + 2, 40, label,
                          6.5, GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_CENTER, GW_REPORT_GREY);
        }
    }
  pen->y += plot_h + label_h + 6;
}

/* ---- received → closed durations --------------------------------------------------- */

void
gw_report_draw_durations (GwReportPen *pen)
{
  static const struct { gint64 below_h; const char *label; } bins[] = {
    { 1, N_("< 1 h") }, { 4, N_("1–4 h") }, { 12, N_("4–12 h") }, { 24, N_("12–24 h") },
    { 72, N_("1–3 d") }, { 168, N_("3–7 d") }, { G_MAXINT64 / GW_USEC_PER_HOUR, N_("≥ 7 d") },
  };
  GwReportJob *job = pen->job;
  const double plot_h = 90, axis_w = 28;
  const double x0 = GW_REPORT_MARGIN + axis_w, plot_w = GW_REPORT_BODY_WIDTH - axis_w;
  const GwMetricsColumn median = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_CLOSED,
                                                             GW_METRICS_DUR_MEDIAN);
  const GwMetricsColumn p90 = gw_metrics_duration_column (GW_METRICS_DUR_RECEIVED_CLOSED,
                                                          GW_METRICS_DUR_P90);
  guint counts[G_N_ELEMENTS (bins)] = { 0 };
  g_autofree char *med_text = NULL, *p90_text = NULL, *note = NULL;
  double max = 0, slot, top, step;
  guint n = 0;

  for (guint i = 0; i < job->in_range->len; i++)
    {
      const GwMetricsCaseDetail *d = &g_array_index (job->in_range, GwMetricsCaseDetail, i);
      gint64 us = d->duration[GW_METRICS_DUR_RECEIVED_CLOSED];

      if (us < 0)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (bins); k++)
        if (us < bins[k].below_h * GW_USEC_PER_HOUR || k + 1 == G_N_ELEMENTS (bins))
          {
            counts[k]++;
            break;
          }
      n++;
    }
  gw_report_heading (pen, _("Time from received to closed"), plot_h + 30);
  if (n == 0)
    {
      pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH,
                                _("No case received in this range has closed yet."), 9, 0,
                                GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY);
      return;
    }
  med_text = gw_metrics_format_value (median, gw_metrics_result_get (job->result, job->total_row, median));
  p90_text = gw_metrics_format_value (p90, gw_metrics_result_get (job->result, job->total_row, p90));
  note = g_strdup_printf (_("%u closed cases · median %s · 90 %% within %s"), n, med_text, p90_text);
  pen->y += gw_report_text (pen, GW_REPORT_MARGIN, pen->y, GW_REPORT_BODY_WIDTH, note, 8, 0,
                            GW_REPORT_ALIGN_LEFT, GW_REPORT_GREY) + 6;

  for (guint k = 0; k < G_N_ELEMENTS (bins); k++)
    max = MAX (max, counts[k]);
  step = nice_step (max);
  top = step * ceil (MAX (max, 1) / step);
  for (double v = 0; v <= top + 0.5; v += step)
    {
      double y = pen->y + plot_h - plot_h * v / top;
      g_autofree char *tick = g_strdup_printf ("%.0f", v);

      hline (pen->cr, x0, x0 + plot_w, y, v == 0 ? GW_REPORT_INK : GW_REPORT_LINE, v == 0 ? 0.8 : 0.4);
      gw_report_text (pen, GW_REPORT_MARGIN, y - 5, axis_w - 4, tick, 6.5,
                      GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_RIGHT, GW_REPORT_GREY);
    }
  slot = plot_w / G_N_ELEMENTS (bins);
  for (guint k = 0; k < G_N_ELEMENTS (bins); k++)
    {
      double h = plot_h * counts[k] / top, x = x0 + k * slot + slot * 0.15;
      g_autofree char *count = g_strdup_printf ("%u", counts[k]);

      gw_report_set_color (pen->cr, k >= 4 ? GW_REPORT_ORANGE : GW_REPORT_BLUE);
      cairo_rectangle (pen->cr, x, pen->y + plot_h - h, slot * 0.7, h);
      cairo_fill (pen->cr);
      gw_report_text (pen, x, pen->y + plot_h - h - 10, slot * 0.7, count, 7,
                      GW_REPORT_TEXT_NUMERIC, GW_REPORT_ALIGN_CENTER, GW_REPORT_INK);
      gw_report_text (pen, x, pen->y + plot_h + 2, slot * 0.7, _(bins[k].label), 7, 0,
                      GW_REPORT_ALIGN_CENTER, GW_REPORT_GREY);
    }
  pen->y += plot_h + 16;
}
