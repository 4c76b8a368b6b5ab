/* gw-sim-queue.h — the simulator's pending cases, earliest next event first
 *
 * A binary min-heap on (time, insertion order): cases due at the same simulated
 * second are played in the order they were queued, so a seed replays identically.
 */
#pragma once

#include <glib.h>

#include "gw-time.h"

G_BEGIN_DECLS

/* A case the live simulation is still playing. */
typedef struct {
  char      *id;
  GPtrArray *plan;      /* GwStageEvent*: the whole planned timeline */
  guint      next;      /* the next event to post */
  GwTime     deadline;  /* the deadline the database knows */
} GwSimCase;

/* Takes @id and @plan. */
GwSimCase  *gw_sim_case_new         (char       *id,
                                     GPtrArray  *plan,
                                     guint       next,
                                     GwTime      deadline);
void        gw_sim_case_free        (GwSimCase  *sim_case);

typedef struct _GwSimQueue GwSimQueue;

GwSimQueue *gw_sim_queue_new        (void);
/* Frees the cases still queued too. */
void        gw_sim_queue_free       (GwSimQueue *queue);
/* Takes @sim_case, due at @time. */
void        gw_sim_queue_push       (GwSimQueue *queue,
                                     GwTime      time,
                                     GwSimCase  *sim_case);
/* When the earliest case is due; G_MAXINT64 when the queue is empty. */
GwTime      gw_sim_queue_peek_time  (GwSimQueue *queue);
/* Removes and returns the earliest case; the queue must not be empty. */
GwSimCase  *gw_sim_queue_pop        (GwSimQueue *queue);
guint       gw_sim_queue_get_length (GwSimQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwSimCase, gw_sim_case_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwSimQueue, gw_sim_queue_free)

G_END_DECLS
