/* gw-stage-spans.c — deriving a case's stage spans from its raw events */
#include "gw-stage-spans.h"

#include <stdlib.h>
#include <string.h>

#include "gw-workflow.h"

struct _GwStageSpans {
  gatomicrefcount ref_count;
  guint           n_spans;
  guint           n_dropped;
  guint           flags;
  /* One allocation: the spans, then the bytes of every string they point to. */
  GwStageSpan     spans[];
};

G_DEFINE_BOXED_TYPE (GwStageSpans, gw_stage_spans, gw_stage_spans_ref, gw_stage_spans_unref)

/* Small cases (nearly all) sort on the stack: building a replay index derives thousands. */
#define STACK_EVENTS 32
/* Above this many kept events, duplicate ids are found with a hash table. */
#define LINEAR_ID_LIMIT 64

typedef struct {
  const GwStageEvent *ev;
  guint               index;
} Item;

static int
compare_items (const void *pa,
               const void *pb)
{
  const Item *a = pa, *b = pb;
  int c;

  if (a->ev->time != b->ev->time)
    return a->ev->time < b->ev->time ? -1 : 1;
  if (a->ev->stage != b->ev->stage)
    return a->ev->stage < b->ev->stage ? -1 : 1;
  /* By id before arrival order, so which duplicate survives does not depend on the
   * order the events came in. */
  if ((c = g_strcmp0 (a->ev->id, b->ev->id)) != 0)
    return c;
  return a->index < b->index ? -1 : a->index > b->index;
}

static gboolean
id_seen (const GwStageEvent **kept,
         guint                n_kept,
         GHashTable          *ids,
         const char          *id)
{
  if (id == NULL)
    return FALSE;
  if (ids != NULL)
    return !g_hash_table_add (ids, (gpointer) id);
  for (guint i = 0; i < n_kept; i++)
    if (kept[i]->id != NULL && strcmp (kept[i]->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* Events at the same time come in no reliable order: put them in one the workflow
 * allows (a rework loop posted within one second still reads reported_done → rework →
 * on_site), falling back to the canonical stage order. Each group arrives sorted by
 * stage and stays sorted as its members are picked. */
static void
order_ties (const GwStageEvent **evs,
            guint                n)
{
  gboolean have_prev = FALSE;
  GwStage prev = GW_STAGE_RECEIVED;

  for (guint i = 0; i < n;)
    {
      guint end = i + 1;

      while (end < n && evs[end]->time == evs[i]->time)
        end++;

      for (guint k = i; k < end; k++)
        {
          guint pick = k;

          if (have_prev && end - k > 1)
            for (guint m = k; m < end; m++)
              if (gw_workflow_can_follow (prev, evs[m]->stage))
                {
                  pick = m;
                  break;
                }
          if (pick != k)
            {
              const GwStageEvent *chosen = evs[pick];

              memmove (&evs[k + 1], &evs[k], (pick - k) * sizeof *evs);
              evs[k] = chosen;
            }
          prev = evs[k]->stage;
          have_prev = TRUE;
        }
      i = end;
    }
}

/* Sorts and de-duplicates @events into @kept; returns how many it kept. */
static guint
normalize (GwStageEvent *const *events,
           guint                n_events,
           const GwStageEvent **kept)
{
  Item stack_items[STACK_EVENTS];
  g_autofree Item *heap_items = NULL;
  g_autoptr(GHashTable) ids = NULL;
  Item *items = stack_items;
  guint n = 0, n_kept = 0;

  if (n_events > STACK_EVENTS)
    items = heap_items = g_new (Item, n_events);

  for (guint i = 0; i < n_events; i++)
    {
      const GwStageEvent *ev = events[i];

      if (ev == NULL || ev->time == GW_TIME_NONE || (guint) ev->stage >= GW_N_STAGES)
        continue;
      items[n].ev = ev;
      items[n].index = i;
      n++;
    }
  if (n > 1)
    qsort (items, n, sizeof *items, compare_items);

  if (n > LINEAR_ID_LIMIT)
    ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      const GwStageEvent *ev = items[i].ev;

      /* Same stage at the same time: sorted next to each other. */
      if (n_kept > 0 && kept[n_kept - 1]->time == ev->time && kept[n_kept - 1]->stage == ev->stage)
        continue;
      if (id_seen (kept, n_kept, ids, ev->id))
        continue;
      kept[n_kept++] = ev;
    }

  order_ties (kept, n_kept);
  return n_kept;
}

static gsize
string_size (const char *s)
{
  return s != NULL ? strlen (s) + 1 : 0;
}

static const char *
copy_string (char       **pos,
             const char  *s)
{
  char *copy = *pos;
  gsize len;

  if (s == NULL)
    return NULL;
  len = strlen (s) + 1;
  memcpy (copy, s, len);
  *pos += len;
  return copy;
}

GwStageSpans *
gw_stage_spans_new (GwStageEvent *const *events,
                    guint                n_events,
                    GwTime               base_deadline)
{
  const GwStageEvent *stack_kept[STACK_EVENTS];
  g_autofree const GwStageEvent **heap_kept = NULL;
  const GwStageEvent **kept = stack_kept;
  const char *department = NULL;
  GwTime deadline = base_deadline, closed_since = GW_TIME_NONE;
  GwStageSpans *self;
  gsize strings = 0;
  char *pos;
  guint n;

  g_return_val_if_fail (events != NULL || n_events == 0, NULL);

  if (n_events > STACK_EVENTS)
    kept = heap_kept = g_new (const GwStageEvent *, n_events);
  n = normalize (events, n_events, kept);

  for (guint i = 0; i < n; i++)
    strings += string_size (kept[i]->department) + string_size (kept[i]->actor) +
               string_size (kept[i]->note) + string_size (kept[i]->id);

  self = g_malloc0 (sizeof *self + n * sizeof (GwStageSpan) + strings);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_spans = n;
  self->n_dropped = n_events - n;
  pos = (char *) &self->spans[n];

  for (guint i = 0; i < n; i++)
    {
      const GwStageEvent *ev = kept[i];
      GwStageSpan *span = &self->spans[i];

      span->stage = ev->stage;
      span->start = ev->time;
      span->end = i + 1 < n ? kept[i + 1]->time : GW_TIME_NONE;
      span->dwell = span->end != GW_TIME_NONE ? span->end - span->start : 0;

      /* An event's deadline rules from that event on, its own span included. */
      if (ev->deadline != GW_TIME_NONE)
        deadline = ev->deadline;
      span->deadline = deadline;

      if (ev->department != NULL)
        department = copy_string (&pos, ev->department);
      else if (department != NULL)
        span->flags |= GW_STAGE_SPAN_INHERITED_DEPARTMENT;
      span->department = department;
      span->actor = copy_string (&pos, ev->actor);
      span->note = copy_string (&pos, ev->note);
      span->event_id = copy_string (&pos, ev->id);

      if (i == 0 ? ev->stage != GW_STAGE_RECEIVED
                 : !gw_workflow_can_follow (kept[i - 1]->stage, ev->stage))
        span->flags |= GW_STAGE_SPAN_UNEXPECTED;
      self->flags |= span->flags;

      /* The clock stops while closed; closed → evaluated is one closed run. */
      if (gw_stage_is_closed (ev->stage))
        {
          if (closed_since == GW_TIME_NONE)
            closed_since = ev->time;
          span->closed_at = closed_since;
        }
      else
        {
          closed_since = GW_TIME_NONE;
          if (span->end != GW_TIME_NONE && deadline != GW_TIME_NONE && span->end > deadline)
            span->late = span->end - MAX (span->start, deadline);
        }
    }

  return self;
}

GwTime
gw_stage_spans_base_deadline (const GwIncident      *incident,
                              const GwIncidentClass *klass)
{
  GwTime received_at;

  g_return_val_if_fail (incident != NULL, GW_TIME_NONE);

  for (guint i = 0; i < incident->timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (incident->timeline, i);

      if (ev->deadline != GW_TIME_NONE)
        goto moved;
    }
  return incident->deadline;

moved:
  if (klass == NULL || klass->deadline_hours <= 0)
    return GW_TIME_NONE;
  received_at = incident->received_at;
  if (received_at == GW_TIME_NONE && incident->timeline->len > 0)
    received_at = ((const GwStageEvent *) g_ptr_array_index (incident->timeline, 0))->time;
  if (received_at == GW_TIME_NONE)
    return GW_TIME_NONE;
  return received_at + (GwTime) klass->deadline_hours * GW_USEC_PER_HOUR;
}

GwStageSpans *
gw_stage_spans_new_for_incident (const GwIncident      *incident,
                                 const GwIncidentClass *klass)
{
  g_return_val_if_fail (incident != NULL, NULL);

  return gw_stage_spans_new ((GwStageEvent *const *) incident->timeline->pdata,
                             incident->timeline->len,
                             gw_stage_spans_base_deadline (incident, klass));
}

GwStageSpans *
gw_stage_spans_ref (GwStageSpans *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_stage_spans_unref (GwStageSpans *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

guint
gw_stage_spans_get_n_spans (const GwStageSpans *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_spans;
}

const GwStageSpan *
gw_stage_spans_get_span (const GwStageSpans *self,
                         guint               i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->n_spans, NULL);
  return &self->spans[i];
}

guint
gw_stage_spans_get_n_dropped (const GwStageSpans *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_dropped;
}

guint
gw_stage_spans_get_flags (const GwStageSpans *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->flags;
}

GwTime
gw_stage_spans_get_start (const GwStageSpans *self)
{
  g_return_val_if_fail (self != NULL, GW_TIME_NONE);
  return self->n_spans > 0 ? self->spans[0].start : GW_TIME_NONE;
}

gboolean
gw_stage_spans_is_open (const GwStageSpans *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->n_spans > 0 && !gw_stage_is_closed (self->spans[self->n_spans - 1].stage);
}

int
gw_stage_spans_index_at (const GwStageSpans *self,
                         GwTime              t)
{
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL, -1);

  /* The last span starting at or before @t. */
  hi = self->n_spans;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->spans[mid].start <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (int) lo - 1;
}

gboolean
gw_stage_spans_stage_at (const GwStageSpans *self,
                         GwTime              t,
                         GwStage            *stage)
{
  int i = gw_stage_spans_index_at (self, t);

  if (i < 0)
    return FALSE;
  if (stage != NULL)
    *stage = self->spans[i].stage;
  return TRUE;
}

GwTime
gw_stage_spans_deadline_at (const GwStageSpans *self,
                            GwTime              t)
{
  int i = gw_stage_spans_index_at (self, t);

  return i < 0 ? GW_TIME_NONE : self->spans[i].deadline;
}

gboolean
gw_stage_spans_is_late_at (const GwStageSpans *self,
                           GwTime              t)
{
  int i = gw_stage_spans_index_at (self, t);
  const GwStageSpan *span;

  if (i < 0)
    return FALSE;
  span = &self->spans[i];
  return !gw_stage_is_closed (span->stage) && span->deadline != GW_TIME_NONE && t > span->deadline;
}

GwTime
gw_stage_spans_closed_at (const GwStageSpans *self,
                          GwTime              t)
{
  int i = gw_stage_spans_index_at (self, t);

  return i < 0 ? GW_TIME_NONE : self->spans[i].closed_at;
}

GwTime
gw_stage_spans_dwell_at (const GwStageSpans *self,
                         guint               i,
                         GwTime              now)
{
  const GwStageSpan *span;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (i < self->n_spans, 0);

  span = &self->spans[i];
  if (span->end != GW_TIME_NONE || gw_stage_is_closed (span->stage))
    return span->dwell;
  return MAX (0, now - span->start);
}

GwTime
gw_stage_spans_late_at (const GwStageSpans *self,
                        guint               i,
                        GwTime              now)
{
  const GwStageSpan *span;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (i < self->n_spans, 0);

  span = &self->spans[i];
  if (span->end != GW_TIME_NONE || gw_stage_is_closed (span->stage))
    return span->late;
  if (span->deadline == GW_TIME_NONE || now <= span->deadline)
    return 0;
  return now - MAX (span->start, span->deadline);
}
