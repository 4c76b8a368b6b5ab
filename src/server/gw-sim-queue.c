/* gw-sim-queue.c — the simulator's pending cases, earliest next event first */

#include "gw-sim-queue.h"

typedef struct {
  GwTime     time;
  guint64    order;       /* insertion order breaks ties, for determinism */
  GwSimCase *sim_case;
} Action;

struct _GwSimQueue
{
  GArray  *heap;          /* Action */
  guint64  order;
};

GwSimCase *
gw_sim_case_new (char      *id,
                 GPtrArray *plan,
                 guint      next,
                 GwTime     deadline)
{
  GwSimCase *sim_case = g_new0 (GwSimCase, 1);

  sim_case->id = id;
  sim_case->plan = plan;
  sim_case->next = next;
  sim_case->deadline = deadline;
  return sim_case;
}

void
gw_sim_case_free (GwSimCase *sim_case)
{
  g_free (sim_case->id);
  g_ptr_array_unref (sim_case->plan);
  g_free (sim_case);
}

GwSimQueue *
gw_sim_queue_new (void)
{
  GwSimQueue *queue = g_new0 (GwSimQueue, 1);

  queue->heap = g_array_new (FALSE, FALSE, sizeof (Action));
  return queue;
}

void
gw_sim_queue_free (GwSimQueue *queue)
{
  if (queue == NULL)
    return;
  for (guint i = 0; i < queue->heap->len; i++)
    gw_sim_case_free (g_array_index (queue->heap, Action, i).sim_case);
  g_array_unref (queue->heap);
  g_free (queue);
}

static gboolean
action_before (const Action *a, const Action *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

void
gw_sim_queue_push (GwSimQueue *queue,
                   GwTime      time,
                   GwSimCase  *sim_case)
{
  Action action = { time, queue->order++, sim_case };
  Action *heap;
  guint i;

  g_array_append_val (queue->heap, action);
  heap = (Action *) queue->heap->data;
  for (i = queue->heap->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;

      if (!action_before (&heap[i], &heap[parent]))
        break;
      action = heap[i];
      heap[i] = heap[parent];
      heap[parent] = action;
      i = parent;
    }
}

GwTime
gw_sim_queue_peek_time (GwSimQueue *queue)
{
  return queue->heap->len > 0 ? g_array_index (queue->heap, Action, 0).time : G_MAXINT64;
}

GwSimCase *
gw_sim_queue_pop (GwSimQueue *queue)
{
  Action *heap = (Action *) queue->heap->data;
  Action top;
  guint n, i = 0;

  g_return_val_if_fail (queue->heap->len > 0, NULL);

  top = heap[0];
  n = queue->heap->len - 1;
  heap[0] = heap[n];
  g_array_set_size (queue->heap, n);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      Action tmp;

      if (l < n && action_before (&heap[l], &heap[m]))
        m = l;
      if (r < n && action_before (&heap[r], &heap[m]))
        m = r;
      if (m == i)
        break;
      tmp = heap[i];
      heap[i] = heap[m];
      heap[m] = tmp;
      i = m;
    }
  return top.sim_case;
}

guint
gw_sim_queue_get_length (GwSimQueue *queue)
{
  return queue->heap->len;
}
