/* gw-replay.h — playing the hall's day back
 *
 * GwReplay is the scrubber the views share: a time, a speed, play/pause driven by a
 * main-loop tick, "return to live" (follow the real clock), and one ::state-changed
 * whenever the state it holds moved. The map, the hall timeline and the counters read
 * gw_replay_get_state() instead of the store's live values. Its GwReplayIndex is
 * rebuilt in a worker thread when the store changes.
 */
#pragma once

#include <gio/gio.h>

#include "gw-replay-index.h"
#include "gw-store.h"

G_BEGIN_DECLS

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
 * the present. From live mode, or at the range's end, it plays the range from its
 * start (without a start there is nothing to play: it goes live again at once). */
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
