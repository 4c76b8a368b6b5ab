/* gw-replay.h — the hall's state at any time t, and playing a day back
 *
 * GwReplayIndex is built once from a set of incidents (the store's, or a past day's
 * history fetched from the server) and is immutable after that, so a worker thread
 * may build it and any thread may read it. It answers "what did the hall look like at
 * t": each case's stage and lateness at t and the counters over them, in well under a
 * millisecond for a day of thousands of cases, plus stepping from one event time to
 * the next.
 *
 * GwReplay is the scrubber the views share: a time, a speed, play/pause driven by a
 * main-loop tick, "return to live" (follow the real clock), and one ::state-changed
 * whenever the state it holds moved. The map, the hall timeline and the counters read
 * gw_replay_get_state() instead of the store's live values.
 */
#pragma once

#include <gio/gio.h>

#include "gw-stage-spans.h"
#include "gw-store.h"

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

/* ------------------------------------------------------------------------------------
 * The scrubber
 */

#define GW_REPLAY_SPEED_MIN 1.0
#define GW_REPLAY_SPEED_MAX 3600.0

#define GW_TYPE_REPLAY (gw_replay_get_type ())
G_DECLARE_FINAL_TYPE (GwReplay, gw_replay, GW, REPLAY, GObject)

/* Follows @store (may be NULL): its changes rebuild the index in a worker thread. */
GwReplay      *gw_replay_new                (GwStore       *store);

/* Replays @incidents (a past day's history; GwIncident*) instead of the store, with
 * @classes (may be NULL); NULL goes back to the store. Rebuilds in a worker thread. */
void           gw_replay_set_incidents      (GwReplay      *self,
                                             GPtrArray     *incidents,
                                             GPtrArray     *classes);
/* Uses @index as it is, now (tests, and callers that built one themselves). */
void           gw_replay_set_index          (GwReplay      *self,
                                             GwReplayIndex *index);
/* The index in use; NULL before the first build finished. */
GwReplayIndex *gw_replay_get_index          (GwReplay      *self);
/* Whether a build is running. */
gboolean       gw_replay_get_building       (GwReplay      *self);
/* The hall at the current time; NULL without an index. Valid until the next
 * ::state-changed. */
const GwReplayState *gw_replay_get_state    (GwReplay      *self);

/* The scrubber's range (a day or a shift); GW_TIME_NONE leaves an end open. */
void           gw_replay_set_range          (GwReplay      *self,
                                             GwTime         start,
                                             GwTime         end);
GwTime         gw_replay_get_start          (GwReplay      *self);
GwTime         gw_replay_get_end            (GwReplay      *self);
/* Where "today" starts for the counters; GW_TIME_NONE (the default) means the
 * midnight before the current time at utc-offset. */
void           gw_replay_set_day_start      (GwReplay      *self,
                                             GwTime         day_start);
GwTime         gw_replay_get_day_start      (GwReplay      *self);
void           gw_replay_set_utc_offset     (GwReplay      *self,
                                             int            seconds);
int            gw_replay_get_utc_offset     (GwReplay      *self);

/* Scrubs to @t (clamped to the range) and leaves live mode. */
void           gw_replay_set_time           (GwReplay      *self,
                                             GwTime         t);
GwTime         gw_replay_get_time           (GwReplay      *self);
/* Replayed seconds per real second, clamped to 1–3600. */
void           gw_replay_set_speed          (GwReplay      *self,
                                             double         speed);
double         gw_replay_get_speed          (GwReplay      *self);
/* Plays from the current time; stops at the range's end, and goes live on reaching
 * the present. Playing leaves live mode. */
void           gw_replay_set_playing        (GwReplay      *self,
                                             gboolean       playing);
gboolean       gw_replay_get_playing        (GwReplay      *self);
/* Live: the time follows the real clock (and playing stops). */
void           gw_replay_set_live           (GwReplay      *self,
                                             gboolean       live);
gboolean       gw_replay_get_live           (GwReplay      *self);
void           gw_replay_return_to_live     (GwReplay      *self);
/* Pauses and moves to the next / previous event time within the range; FALSE (and no
 * move) when there is none. */
gboolean       gw_replay_step_forward       (GwReplay      *self);
gboolean       gw_replay_step_backward      (GwReplay      *self);

/* The real clock (µs since the epoch), for tests; NULL restores the system clock. The
 * play tick measures elapsed time on it too. */
void           gw_replay_set_clock          (GwReplay      *self,
                                             GwTime       (*now_func) (gpointer),
                                             gpointer       user_data);

G_END_DECLS
