/* gw-replay-pins.h — the map's incident pins at a replay's time
 *
 * While a GwReplay is not live, GwReplayPins owns the map's incident layer (and heat
 * layer): one pin per case on the map at the replay's time, made from the replay index
 * as the case stood then (its stage, deadline in force, department and the events so
 * far), with the layers' clock held at that time so colours and rings read as they
 * did. Which cases show follows the map's time window as the live map does, read at
 * the replay's time. Each ::state-changed re-makes only the pins whose case changed, so
 * playing at 3600× stays cheap. On going live it clears the layers and drops :active;
 * the layers' owner then refills them from the store.
 */
#pragma once

#include <glib-object.h>

#include "gw-heat-layer.h"
#include "gw-incident-layer.h"
#include "gw-replay.h"

G_BEGIN_DECLS

#define GW_TYPE_REPLAY_PINS (gw_replay_pins_get_type ())
G_DECLARE_FINAL_TYPE (GwReplayPins, gw_replay_pins, GW, REPLAY_PINS, GObject)

/* @heat_layer may be NULL. */
GwReplayPins *gw_replay_pins_new        (GwIncidentLayer     *layer,
                                         GwHeatLayer         *heat_layer);
void          gw_replay_pins_set_replay (GwReplayPins        *self,
                                         GwReplay            *replay);
GwReplay     *gw_replay_pins_get_replay (GwReplayPins        *self);
/* Whether the layers show the replay (not the live store). */
gboolean      gw_replay_pins_get_active (GwReplayPins        *self);
/* The map's time window (a GwMapTimeWindow, gw-map-view.h). */
void          gw_replay_pins_set_time_window (GwReplayPins   *self,
                                              guint           window);

/* Per-cell counts (cell code → GwCellStats*, gw-cell-layer.h) at the replay's time, so
 * the cell fill replays with the pins; NULL while the layers show the live store. */
GHashTable   *gw_replay_pins_count_cells (GwReplayPins       *self);

/* Whether case @i of @state is on the map at the state's time under @window (a
 * GwMapTimeWindow): received by then, and open then, or (for a window other than open
 * cases) received, updated or closed in the window ending then; "today" is the
 * state's day. */
gboolean      gw_replay_pins_is_shown   (const GwReplayIndex *index,
                                         const GwReplayState *state,
                                         guint                i,
                                         guint                window);

G_END_DECLS
