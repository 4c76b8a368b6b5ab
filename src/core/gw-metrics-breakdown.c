/* gw-metrics-breakdown.c — per-day, weekday × hour and duration-bucket counts
 *
 * Reads the result's own records (flags and durations as the engine concluded them),
 * so a chart's figures are the table's figures cut another way and drill down the same.
 */
#include "gw-metrics-private.h"

#include <string.h>

#define MAX_DAYS 1000
#define SEC_PER_DAY 86400

typedef struct {
  guint week_hour[7][24];
  guint buckets[GW_METRICS_N_DURATIONS][GW_METRICS_N_BUCKETS];
} RowCounts;

struct _GwMetricsBreakdown {
  gatomicrefcount  ref_count;
  GwMetricsResult *result;
  GTimeZone       *tz;
  guint            n_days;
  GwTime          *day_starts;  /* n_days + 1: the last is the end of the last day */
  GwMetricsDay    *days;        /* n_rows × n_days */
  RowCounts       *counts;      /* n_rows */
};

static const gint64 bucket_starts[GW_METRICS_N_BUCKETS] = {
  0,
  15 * GW_USEC_PER_MIN,
  30 * GW_USEC_PER_MIN,
  1 * GW_USEC_PER_HOUR,
  2 * GW_USEC_PER_HOUR,
  4 * GW_USEC_PER_HOUR,
  8 * GW_USEC_PER_HOUR,
  24 * GW_USEC_PER_HOUR,
};

guint
gw_metrics_duration_bucket (gint64 usec)
{
  guint b = 0;

  while (b + 1 < GW_METRICS_N_BUCKETS && usec >= bucket_starts[b + 1])
    b++;
  return b;
}

gint64
gw_metrics_duration_bucket_start (guint bucket)
{
  g_return_val_if_fail (bucket < GW_METRICS_N_BUCKETS, 0);
  return bucket_starts[bucket];
}

static GwTime
local_midnight (GTimeZone *tz, GwTime t)
{
  g_autoptr(GDateTime) here = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (here, tz);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

static GwTime
next_midnight (GTimeZone *tz, GwTime midnight)
{
  /* +26 h lands inside the next day whatever a DST change does; then back to 00:00. */
  return local_midnight (tz, midnight + 26 * GW_USEC_PER_HOUR);
}

void
gw_metrics_breakdown_week_hour_of (GwMetricsBreakdown *self,
                                   GwTime              t,
                                   guint              *weekday,
                                   guint              *hour)
{
  gint64 secs = t >= 0 ? t / G_USEC_PER_SEC : (t - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC;
  int interval = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, secs);
  gint64 local = secs + (interval >= 0 ? g_time_zone_get_offset (self->tz, interval) : 0);
  gint64 days = local >= 0 ? local / SEC_PER_DAY : (local - SEC_PER_DAY + 1) / SEC_PER_DAY;

  /* 1970-01-01 was a Thursday: weekday 3 counting from Monday. */
  *weekday = (guint) (((days + 3) % 7 + 7) % 7);
  *hour = (guint) ((local - days * SEC_PER_DAY) / 3600);
}

/* The day of @t, or -1 outside the days. */
static int
day_of (GwMetricsBreakdown *self, GwTime t)
{
  guint lo = 0, hi = self->n_days;

  if (self->n_days == 0 || t < self->day_starts[0] || t >= self->day_starts[self->n_days])
    return -1;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (self->day_starts[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
}

static void
make_days (GwMetricsBreakdown *self)
{
  GwMetricsResult *r = self->result;
  GwTime from = r->query.from, to = r->query.to;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (GwTime));

  if (from == GW_TIME_NONE || to == GW_TIME_NONE)
    {
      GwTime lo = G_MAXINT64, hi = G_MININT64;

      for (guint i = 0; i < r->n_recs; i++)
        {
          const GwIncident *inc = g_ptr_array_index (r->incidents, r->recs[i].index);
          lo = MIN (lo, inc->received_at);
          hi = MAX (hi, inc->received_at);
        }
      if (from == GW_TIME_NONE)
        from = lo;
      if (to == GW_TIME_NONE)
        to = hi + 1;
    }
  if (r->n_recs == 0 && (r->query.from == GW_TIME_NONE || r->query.to == GW_TIME_NONE))
    from = to = 0;

  if (from < to)
    {
      GwTime day = local_midnight (self->tz, from);

      g_array_append_val (starts, day);
      while (day < to && starts->len <= MAX_DAYS)
        {
          day = next_midnight (self->tz, day);
          g_array_append_val (starts, day);
        }
    }
  self->n_days = starts->len > 0 ? starts->len - 1 : 0;
  self->day_starts = g_new (GwTime, self->n_days + 1);
  if (starts->len > 0)
    memcpy (self->day_starts, starts->data, starts->len * sizeof (GwTime));
}

static void
count_rec (GwMetricsBreakdown *self, guint row, const GwMetricsRec *rec, int day,
           guint weekday, guint hour)
{
  RowCounts *c = &self->counts[row];

  c->week_hour[weekday][hour]++;
  for (guint k = 0; k < GW_METRICS_N_DURATIONS; k++)
    if (rec->dur[k] >= 0)
      c->buckets[k][gw_metrics_duration_bucket (rec->dur[k])]++;
  if (day >= 0)
    {
      GwMetricsDay *d = &self->days[(gsize) row * self->n_days + day];

      d->cases++;
      if (rec->flags & GW_METRICS_BIT (GW_METRICS_F_CLOSED))
        d->closed++;
      if (rec->flags & GW_METRICS_BIT (GW_METRICS_F_DUE_CLOSE))
        d->due_to_close++;
      if (rec->flags & GW_METRICS_BIT (GW_METRICS_F_CLOSED_ON_TIME))
        d->closed_on_time++;
    }
}

GwMetricsBreakdown *
gw_metrics_breakdown_new (GwMetricsResult *result,
                          GTimeZone       *tz)
{
  GwMetricsBreakdown *self;
  guint total;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  self = g_new0 (GwMetricsBreakdown, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->result = gw_metrics_result_ref (result);
  self->tz = g_time_zone_ref (tz);
  make_days (self);
  self->days = g_new0 (GwMetricsDay, (gsize) result->n_rows * MAX (self->n_days, 1));
  self->counts = g_new0 (RowCounts, result->n_rows);
  for (guint row = 0; row < result->n_rows; row++)
    for (guint d = 0; d < self->n_days; d++)
      self->days[(gsize) row * self->n_days + d].start = self->day_starts[d];

  total = result->n_rows - 1;
  for (guint i = 0; i < result->n_recs; i++)
    {
      const GwMetricsRec *rec = &result->recs[i];
      const GwIncident *inc = g_ptr_array_index (result->incidents, rec->index);
      int day = day_of (self, inc->received_at);
      guint weekday, hour;

      gw_metrics_breakdown_week_hour_of (self, inc->received_at, &weekday, &hour);
      count_rec (self, total, rec, day, weekday, hour);
      if (rec->group != total)
        count_rec (self, rec->group, rec, day, weekday, hour);
    }
  return self;
}

GwMetricsBreakdown *
gw_metrics_breakdown_ref (GwMetricsBreakdown *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_metrics_breakdown_unref (GwMetricsBreakdown *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  gw_metrics_result_unref (self->result);
  g_time_zone_unref (self->tz);
  g_free (self->day_starts);
  g_free (self->days);
  g_free (self->counts);
  g_free (self);
}

GwMetricsResult *
gw_metrics_breakdown_get_result (GwMetricsBreakdown *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->result;
}

guint
gw_metrics_breakdown_get_n_days (GwMetricsBreakdown *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_days;
}

const GwMetricsDay *
gw_metrics_breakdown_get_day (GwMetricsBreakdown *self,
                              guint               row,
                              guint               day)
{
  g_return_val_if_fail (self != NULL && row < self->result->n_rows, NULL);
  g_return_val_if_fail (day < self->n_days, NULL);
  return &self->days[(gsize) row * self->n_days + day];
}

guint
gw_metrics_breakdown_get_week_hour (GwMetricsBreakdown *self,
                                    guint               row,
                                    guint               weekday,
                                    guint               hour)
{
  g_return_val_if_fail (self != NULL && row < self->result->n_rows, 0);
  g_return_val_if_fail (weekday < 7 && hour < 24, 0);
  return self->counts[row].week_hour[weekday][hour];
}

guint
gw_metrics_breakdown_get_bucket (GwMetricsBreakdown *self,
                                 guint               row,
                                 GwMetricsDuration   duration,
                                 guint               bucket)
{
  g_return_val_if_fail (self != NULL && row < self->result->n_rows, 0);
  g_return_val_if_fail (duration < GW_METRICS_N_DURATIONS && bucket < GW_METRICS_N_BUCKETS, 0);
  return self->counts[row].buckets[duration][bucket];
}

GPtrArray *
gw_metrics_breakdown_cases_in_week_hour (GwMetricsBreakdown *self,
                                         guint               row,
                                         guint               weekday,
                                         guint               hour)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *out;

  g_return_val_if_fail (self != NULL && row < self->result->n_rows, NULL);
  all = gw_metrics_cases_for (self->result, row, GW_METRICS_COL_CASES);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < all->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (all, i);
      guint wd, h;

      gw_metrics_breakdown_week_hour_of (self, inc->received_at, &wd, &h);
      if (wd == weekday && h == hour)
        g_ptr_array_add (out, gw_incident_ref (inc));
    }
  return out;
}

GPtrArray *
gw_metrics_breakdown_cases_in_bucket (GwMetricsBreakdown *self,
                                      guint               row,
                                      GwMetricsDuration   duration,
                                      guint               bucket)
{
  g_autoptr(GArray) details = NULL;
  GPtrArray *out;

  g_return_val_if_fail (self != NULL && row < self->result->n_rows, NULL);
  g_return_val_if_fail (duration < GW_METRICS_N_DURATIONS, NULL);
  details = gw_metrics_details_for (self->result, row,
                                    gw_metrics_duration_column (duration, GW_METRICS_DUR_N));
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < details->len; i++)
    {
      const GwMetricsCaseDetail *d = &g_array_index (details, GwMetricsCaseDetail, i);

      if (gw_metrics_duration_bucket (d->duration[duration]) == bucket)
        g_ptr_array_add (out, gw_incident_ref (d->incident));
    }
  return out;
}
