/* gw-replay-track.h — the replay's scrub track: its range, event density and cursor
 *
 * Drawn in snapshot(): the range (a day or a shift) as one band with a tick per event
 * bin (how busy the hall was), the part already played, the part still in the future
 * (which cannot be scrubbed), hour labels and the cursor at the replay's time. A click or
 * a drag scrubs there. The bins are counted once per index or range change, not per
 * frame.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-replay.h"

G_BEGIN_DECLS

#define GW_REPLAY_TRACK_N_BINS 240

#define GW_TYPE_REPLAY_TRACK (gw_replay_track_get_type ())
G_DECLARE_FINAL_TYPE (GwReplayTrack, gw_replay_track, GW, REPLAY_TRACK, GtkWidget)

GtkWidget *gw_replay_track_new        (void);
void       gw_replay_track_set_replay (GwReplayTrack *self,
                                       GwReplay      *replay);
GwReplay  *gw_replay_track_get_replay (GwReplayTrack *self);

/* The range drawn: the replay's, with an open end made a day long. */
void       gw_replay_track_get_range  (GwReplayTrack *self,
                                       GwTime        *start,
                                       GwTime        *end);
/* Where @t is drawn, in widget coordinates, and back. */
double     gw_replay_track_time_to_x  (GwReplayTrack *self,
                                       GwTime         t);
GwTime     gw_replay_track_x_to_time  (GwReplayTrack *self,
                                       double         x);
/* Events counted in bin @i (of GW_REPLAY_TRACK_N_BINS over the range). */
guint      gw_replay_track_get_bin    (GwReplayTrack *self,
                                       guint          i);

G_END_DECLS
