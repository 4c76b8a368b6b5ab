/* gw-window.h — the main window: map, counters, latest cases and the connection state */
#pragma once

#include <adwaita.h>

#include "gw-application.h"
#include "gw-department-board.h"
#include "gw-desk-view.h"
#include "gw-map-tour.h"
#include "gw-map-view.h"
#include "gw-replay-bar.h"
#include "gw-ticker.h"

G_BEGIN_DECLS

#define GW_TYPE_WINDOW (gw_window_get_type ())
G_DECLARE_FINAL_TYPE (GwWindow, gw_window, GW, WINDOW, AdwApplicationWindow)

GwWindow *gw_window_new          (GwApplication *app);
/* Where the map goes. */
GtkBox   *gw_window_get_map_slot (GwWindow      *self);
/* The latest cases (GwLatestRow in each row); activating one shows it on the map. */
GtkListBox *gw_window_get_latest_list (GwWindow *self);
/* The "Cases" page, built when first shown or asked for. */
GwDeskView *gw_window_get_desk_view (GwWindow   *self);

/* Wall mode (the application's :wall): no header bar, a clock, the ticker, the
 * department board in the side panel and type scaled to the output (gw-wall-style.h).
 * With the rotate-panels setting the side panel cycles board → latest → stats every
 * rotate-interval seconds; with tour-late-cells the map visits each cell with late cases
 * (by code) every tour-interval seconds, then the whole street for one step. */
GwTicker          *gw_window_get_ticker     (GwWindow *self);
GwDepartmentBoard *gw_window_get_board      (GwWindow *self);
GwMapView         *gw_window_get_map_view   (GwWindow *self);
/* The value label of KPI @which: 0 received today, 1 open, 2 late, 3 closed today,
 * 4 on time. */
GtkWidget         *gw_window_get_kpi_value  (GwWindow *self,
                                             guint     which);
/* The replay scrubber, built on first use (win.replay shows it, win.live or its "Back to
 * Live" hides it); gw_replay_bar_get_replay() is NULL while live. */
GwReplayBar       *gw_window_get_replay_bar (GwWindow *self);
/* What the timers do, one step; and what they show. */
void               gw_window_rotate_step    (GwWindow *self);
const char        *gw_window_get_side_page  (GwWindow *self);
gboolean           gw_window_get_rotating   (GwWindow *self);
/* The tour of late cells (runs with the tour-late-cells setting, in wall mode). */
GwMapTour         *gw_window_get_tour       (GwWindow *self);

G_END_DECLS
