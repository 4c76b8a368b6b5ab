/* gw-replay-index.c — the hall's state at any time t, from an immutable index */

#include "gw-replay-index.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * The index
 *
 * The hot path (state at t) reads plain arrays, structure-of-arrays: per case the
 * offset of its spans; per span its start, stage, deadline and closing time. Cases are
 * sorted by receipt, so the ones not received yet at t are a suffix found by one binary
 * search. The GwStageSpans stay alongside for the views that show one case.
 */

struct _GwReplayIndex {
  gatomicrefcount ref_count;
  guint           n_cases;
  GwIncident    **incidents;
  GwStageSpans  **spans;
  GHashTable     *by_id;          /* id → case index + 1 */
  GwTime         *received;       /* per case, ascending */
  guint          *first;          /* per case + 1: its spans are [first[i], first[i+1]) */
  GwTime         *span_start;
  GwTime         *span_deadline;
  GwTime         *span_closed_at;
  guint8         *span_stage;
  GwTime         *times;          /* distinct event times, ascending */
  guint           n_times;
};

G_DEFINE_BOXED_TYPE (GwReplayIndex, gw_replay_index, gw_replay_index_ref, gw_replay_index_unref)

/* A case's spans are searched linearly up to this many, by bisection above. */
#define LINEAR_SPANS 8

typedef struct {
  GwIncident   *incident;
  GwStageSpans *spans;
  GwTime        received;
} Entry;

static int
compare_entries (const void *pa,
                 const void *pb)
{
  const Entry *a = pa, *b = pb;

  if (a->received != b->received)
    return a->received < b->received ? -1 : 1;
  return g_strcmp0 (a->incident->id, b->incident->id);
}

static int
compare_times (const void *pa,
               const void *pb)
{
  GwTime a = *(const GwTime *) pa, b = *(const GwTime *) pb;

  return a < b ? -1 : a > b;
}

/* Whether a case can show anywhere in [@from, @to]. */
static gboolean
in_window (GwStageSpans *spans,
           GwTime        from,
           GwTime        to)
{
  guint n = gw_stage_spans_get_n_spans (spans);
  const GwStageSpan *last;

  if (n == 0)
    return FALSE;
  if (to != GW_TIME_NONE && gw_stage_spans_get_start (spans) > to)
    return FALSE;
  last = gw_stage_spans_get_span (spans, n - 1);
  /* Closed before @from and never reopened: closed and uncounted throughout. */
  if (from != GW_TIME_NONE && gw_stage_is_closed (last->stage) && last->closed_at < from)
    return FALSE;
  return TRUE;
}

GwReplayIndex *
gw_replay_index_new (GPtrArray *incidents,
                     GPtrArray *classes,
                     GwTime     from,
                     GwTime     to)
{
  g_autoptr(GHashTable) class_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree Entry *entries = NULL;
  GwReplayIndex *self;
  guint n = 0, n_spans = 0, k = 0;

  g_return_val_if_fail (incidents != NULL, NULL);

  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      GwIncidentClass *klass = g_ptr_array_index (classes, i);

      if (klass->code != NULL)
        g_hash_table_insert (class_by_code, klass->code, klass);
    }

  entries = g_new (Entry, incidents->len);
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      const GwIncidentClass *klass = NULL;
      GwStageSpans *spans;

      if (incident->class_code != NULL)
        klass = g_hash_table_lookup (class_by_code, incident->class_code);
      spans = gw_stage_spans_new_for_incident (incident, klass);
      if (!in_window (spans, from, to))
        {
          gw_stage_spans_unref (spans);
          continue;
        }
      entries[n].incident = gw_incident_ref (incident);
      entries[n].spans = spans;
      entries[n].received = gw_stage_spans_get_start (spans);
      n_spans += gw_stage_spans_get_n_spans (spans);
      n++;
    }
  if (n > 1)
    qsort (entries, n, sizeof *entries, compare_entries);

  self = g_new0 (GwReplayIndex, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_cases = n;
  self->incidents = g_new (GwIncident *, n);
  self->spans = g_new (GwStageSpans *, n);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->received = g_new (GwTime, n);
  self->first = g_new (guint, n + 1);
  self->span_start = g_new (GwTime, n_spans);
  self->span_deadline = g_new (GwTime, n_spans);
  self->span_closed_at = g_new (GwTime, n_spans);
  self->span_stage = g_new (guint8, n_spans);
  self->times = g_new (GwTime, n_spans);

  for (guint i = 0; i < n; i++)
    {
      GwStageSpans *spans = entries[i].spans;
      guint m = gw_stage_spans_get_n_spans (spans);

      self->incidents[i] = entries[i].incident;
      self->spans[i] = spans;
      self->received[i] = entries[i].received;
      self->first[i] = k;
      if (entries[i].incident->id != NULL)
        g_hash_table_insert (self->by_id, entries[i].incident->id, GUINT_TO_POINTER (i + 1));
      for (guint s = 0; s < m; s++, k++)
        {
          const GwStageSpan *span = gw_stage_spans_get_span (spans, s);

          self->span_start[k] = span->start;
          self->span_deadline[k] = span->deadline;
          self->span_closed_at[k] = span->closed_at;
          self->span_stage[k] = (guint8) span->stage;
          self->times[k] = span->start;
        }
    }
  self->first[n] = k;

  /* Span starts are the event times that survived de-duplication. */
  if (n_spans > 1)
    qsort (self->times, n_spans, sizeof *self->times, compare_times);
  for (guint i = 0; i < n_spans; i++)
    if (self->n_times == 0 || self->times[self->n_times - 1] != self->times[i])
      self->times[self->n_times++] = self->times[i];

  return self;
}

GwReplayIndex *
gw_replay_index_ref (GwReplayIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_replay_index_unref (GwReplayIndex *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < self->n_cases; i++)
    {
      gw_incident_unref (self->incidents[i]);
      gw_stage_spans_unref (self->spans[i]);
    }
  g_free (self->incidents);
  g_free (self->spans);
  g_hash_table_unref (self->by_id);
  g_free (self->received);
  g_free (self->first);
  g_free (self->span_start);
  g_free (self->span_deadline);
  g_free (self->span_closed_at);
  g_free (self->span_stage);
  g_free (self->times);
  g_free (self);
}

guint
gw_replay_index_get_n_cases (const GwReplayIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_cases;
}

GwIncident *
gw_replay_index_get_incident (const GwReplayIndex *self,
                              guint                i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->n_cases, NULL);
  return self->incidents[i];
}

GwStageSpans *
gw_replay_index_get_spans (const GwReplayIndex *self,
                           guint                i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->n_cases, NULL);
  return self->spans[i];
}

int
gw_replay_index_lookup (const GwReplayIndex *self,
                        const char          *id)
{
  g_return_val_if_fail (self != NULL, -1);
  if (id == NULL)
    return -1;
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, id)) - 1;
}

guint
gw_replay_index_get_n_event_times (const GwReplayIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_times;
}

GwTime
gw_replay_index_get_first_event (const GwReplayIndex *self)
{
  g_return_val_if_fail (self != NULL, GW_TIME_NONE);
  return self->n_times > 0 ? self->times[0] : GW_TIME_NONE;
}

GwTime
gw_replay_index_get_last_event (const GwReplayIndex *self)
{
  g_return_val_if_fail (self != NULL, GW_TIME_NONE);
  return self->n_times > 0 ? self->times[self->n_times - 1] : GW_TIME_NONE;
}

/* How many of the @n ascending @v are at or before @t. */
static guint
count_at_or_before (const GwTime *v,
                    guint         n,
                    GwTime        t)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (v[mid] <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

GwTime
gw_replay_index_next_event (const GwReplayIndex *self,
                            GwTime               t)
{
  guint i;

  g_return_val_if_fail (self != NULL, GW_TIME_NONE);
  i = count_at_or_before (self->times, self->n_times, t);
  return i < self->n_times ? self->times[i] : GW_TIME_NONE;
}

GwTime
gw_replay_index_prev_event (const GwReplayIndex *self,
                            GwTime               t)
{
  guint i;

  g_return_val_if_fail (self != NULL, GW_TIME_NONE);
  /* The times before @t are those at or before t - 1 µs. */
  i = count_at_or_before (self->times, self->n_times, t - 1);
  return i > 0 ? self->times[i - 1] : GW_TIME_NONE;
}

GwReplayState *
gw_replay_state_new (const GwReplayIndex *self)
{
  GwReplayState *state;

  g_return_val_if_fail (self != NULL, NULL);

  state = g_new0 (GwReplayState, 1);
  state->n_cases = self->n_cases;
  state->stages = g_new (guint8, MAX (self->n_cases, 1));
  state->late = g_new0 (guint8, MAX (self->n_cases, 1));
  memset (state->stages, GW_REPLAY_ABSENT, self->n_cases);
  return state;
}

void
gw_replay_state_free (GwReplayState *state)
{
  if (state == NULL)
    return;
  g_free (state->stages);
  g_free (state->late);
  g_free (state);
}

void
gw_replay_index_state_at (const GwReplayIndex *self,
                          GwTime               t,
                          GwTime               day_start,
                          GwReplayState       *state)
{
  guint n_present;

  g_return_if_fail (self != NULL);
  g_return_if_fail (state != NULL && state->n_cases == self->n_cases);

  memset (state->by_stage, 0, sizeof state->by_stage);
  state->t = t;
  state->day_start = day_start;
  state->n_open = state->n_late = 0;
  state->n_received_today = state->n_closed_today = state->n_closed_late_today = 0;

  n_present = count_at_or_before (self->received, self->n_cases, t);
  state->n_present = n_present;
  /* Received in [day_start, t]: present cases are sorted by receipt, so count them. */
  state->n_received_today = n_present - MIN (n_present,
                                             count_at_or_before (self->received, n_present,
                                                                 day_start - 1));

  for (guint c = 0; c < n_present; c++)
    {
      guint lo = self->first[c], hi = self->first[c + 1], k;
      GwStage stage;
      gboolean late = FALSE;

      /* The last span starting at or before t; the first one does (the case is present). */
      if (hi - lo <= LINEAR_SPANS)
        {
          k = lo;
          while (k + 1 < hi && self->span_start[k + 1] <= t)
            k++;
        }
      else
        k = lo + count_at_or_before (&self->span_start[lo], hi - lo, t) - 1;

      stage = (GwStage) self->span_stage[k];
      state->by_stage[stage]++;
      if (gw_stage_is_closed (stage))
        {
          GwTime closed_at = self->span_closed_at[k], deadline = self->span_deadline[k];

          if (closed_at >= day_start)
            {
              state->n_closed_today++;
              if (deadline != GW_TIME_NONE && closed_at > deadline)
                state->n_closed_late_today++;
            }
        }
      else
        {
          state->n_open++;
          if (self->span_deadline[k] != GW_TIME_NONE && t > self->span_deadline[k])
            {
              late = TRUE;
              state->n_late++;
            }
        }
      state->stages[c] = (guint8) stage;
      state->late[c] = late;
    }

  memset (state->stages + n_present, GW_REPLAY_ABSENT, self->n_cases - n_present);
  memset (state->late + n_present, 0, self->n_cases - n_present);
}
