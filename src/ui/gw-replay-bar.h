/* gw-replay-bar.h — the replay scrubber under the wall's map
 *
 * A red "REPLAY hh:mm" badge and the replayed time in large figures, so nobody takes
 * the wall for live; a day (calendar) and a shift (the same 8-hour shifts as the
 * statistics: 00–08, 08–16, 16–24) to replay; step to the previous / next event,
 * play and pause, a speed (1× to 3600×), a GwReplayTrack to scrub, and "Back to Live".
 * Keys while it has the focus: Space plays or pauses, ← and → step between events.
 *
 * Today is replayed from the store. A past day is fetched from the server with
 * gw_history_fetch_async() (cases received from GW_REPLAY_BAR_LOOKBACK before that day
 * to its end, so cases still open from the days before show too); an Open311 source
 * has no history by day, and the bar says so instead.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-feed.h"
#include "gw-replay.h"

G_BEGIN_DECLS

/* How far before a past day its history reaches back for cases still open that day. */
#define GW_REPLAY_BAR_LOOKBACK (3 * 24 * GW_USEC_PER_HOUR)

typedef enum {
  GW_REPLAY_SHIFT_WHOLE_DAY,
  GW_REPLAY_SHIFT_NIGHT,     /* 00:00–08:00 */
  GW_REPLAY_SHIFT_DAY,       /* 08:00–16:00 */
  GW_REPLAY_SHIFT_EVENING,   /* 16:00–24:00 */
} GwReplayShift;

#define GW_TYPE_REPLAY_BAR (gw_replay_bar_get_type ())
G_DECLARE_FINAL_TYPE (GwReplayBar, gw_replay_bar, GW, REPLAY_BAR, GtkWidget)

GtkWidget    *gw_replay_bar_new          (void);
void          gw_replay_bar_set_replay   (GwReplayBar   *self,
                                          GwReplay      *replay);
GwReplay     *gw_replay_bar_get_replay   (GwReplayBar   *self);
/* Where past days come from (may be NULL: today only). */
void          gw_replay_bar_set_feed     (GwReplayBar   *self,
                                          GwFeed        *feed);

/* Replays @shift of the local day @year-@month-@day (month 1–12): today from the store,
 * a past day from the server. Paused, at the present when the range holds it, else at
 * the range's start. */
void          gw_replay_bar_select_day   (GwReplayBar   *self,
                                          int            year,
                                          int            month,
                                          int            day,
                                          GwReplayShift  shift);
/* Today, the whole day, paused at the present: what "Replay" starts with. */
void          gw_replay_bar_select_today (GwReplayBar   *self);
/* Whether a past day is being fetched. */
gboolean      gw_replay_bar_get_loading  (GwReplayBar   *self);
/* The notice or error shown (a failed fetch, an Open311 source), or NULL. */
const char   *gw_replay_bar_get_message  (GwReplayBar   *self);
/* The text of the badge, e.g. "REPLAY 14:32". */
const char   *gw_replay_bar_get_badge    (GwReplayBar   *self);

G_END_DECLS
