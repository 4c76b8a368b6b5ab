/* gw-replay-index.h — the hall's state at any time t, from an immutable index
 *
 * GwReplayIndex is built once from a set of incidents (the store's, or a past day's
 * history fetched from the server) and is immutable after that, so a worker thread
 * may build it and any thread may read it. It answers "what did the hall look like at
 * t": each case's stage and lateness at t and the counters over them, in well under a
 * millisecond for a day of thousands of cases, plus stepping from one event time to
 * the next.
 */
#pragma once

#include <glib-object.h>

#include "gw-incident-class.h"
#include "gw-stage-spans.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------------
 * The index
 */

#define GW_TYPE_REPLAY_INDEX (gw_replay_index_get_type ())

/* GwReplayState.stages value of a case not received yet at t. */
#define GW_REPLAY_ABSENT 0xff

typedef struct _GwReplayIndex GwReplayIndex;

typedef struct {
  GwTime  t;
  GwTime  day_start;
  guint   n_cases;              /* cases in the index, present at t or not */
  guint   n_present;            /* received at or before t */
  guint   by_stage[GW_N_STAGES];
  guint   n_open;               /* present and not closed */
  guint   n_late;               /* open and past the deadline in force at t */
  guint   n_received_today;     /* received in [day_start, t] */
  guint   n_closed_today;       /* closed at t, having become closed in [day_start, t] */
  guint   n_closed_late_today;  /* of those, closed after the deadline in force */
  /* Per case, in index order (gw_replay_index_get_incident): */
  guint8 *stages;               /* GwStage at t, or GW_REPLAY_ABSENT */
  guint8 *late;                 /* 1 when late at t */
} GwReplayState;

GType          gw_replay_index_get_type     (void) G_GNUC_CONST;

/* Indexes @incidents (GwIncident*), with @classes (GwIncidentClass*, may be NULL) for
 * deadlines that extensions moved. Cases are ordered by receipt. A window leaves out
 * the cases that cannot show in it: those received after @to, and those closed for
 * good before @from; GW_TIME_NONE leaves that end open. Cases without events are left
 * out. Safe to call from a worker thread when nothing changes the arrays meanwhile. */
GwReplayIndex *gw_replay_index_new          (GPtrArray           *incidents,
                                             GPtrArray           *classes,
                                             GwTime               from,
                                             GwTime               to);
GwReplayIndex *gw_replay_index_ref          (GwReplayIndex       *self);
void           gw_replay_index_unref        (GwReplayIndex       *self);

guint          gw_replay_index_get_n_cases  (const GwReplayIndex *self);
GwIncident    *gw_replay_index_get_incident (const GwReplayIndex *self,
                                             guint                i);
GwStageSpans  *gw_replay_index_get_spans    (const GwReplayIndex *self,
                                             guint                i);
/* The index of the case with @id, or -1. */
int            gw_replay_index_lookup       (const GwReplayIndex *self,
                                             const char          *id);
/* Distinct event times over every case, and the first and last of them. */
guint          gw_replay_index_get_n_event_times (const GwReplayIndex *self);
GwTime         gw_replay_index_get_first_event   (const GwReplayIndex *self);
GwTime         gw_replay_index_get_last_event    (const GwReplayIndex *self);
/* The first event time after @t / the last one before @t; GW_TIME_NONE if none. */
GwTime         gw_replay_index_next_event   (const GwReplayIndex *self,
                                             GwTime               t);
GwTime         gw_replay_index_prev_event   (const GwReplayIndex *self,
                                             GwTime               t);

/* A state sized for @self's cases. */
GwReplayState *gw_replay_state_new          (const GwReplayIndex *self);
void           gw_replay_state_free         (GwReplayState       *state);
/* Fills @state (made for @self) with the hall at @t; "today" starts at @day_start. */
void           gw_replay_index_state_at     (const GwReplayIndex *self,
                                             GwTime               t,
                                             GwTime               day_start,
                                             GwReplayState       *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwReplayIndex, gw_replay_index_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwReplayState, gw_replay_state_free)

G_END_DECLS
