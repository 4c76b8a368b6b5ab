/* gw-monitor-window.h — one view of the wall on one monitor, and the monitor plan
 *
 * The wall-monitors setting (a{ss}) maps a monitor connector ("HDMI-1", "DP-2") to a view:
 * "wall" (the whole wall, a GwWindow), "map", "timeline", "board" or "stats" (a
 * GwMonitorWindow showing that one view with the connection state and data age under
 * it). In wall mode one process opens one fullscreen window per assigned monitor and
 * follows monitors being plugged in and out (gdk_display_get_monitors) and the setting
 * changing. Monitors not listed show nothing. When no listed monitor is connected (or
 * the map is empty) the whole wall goes on the primary monitor. An unknown view name is
 * reported and ignored; the rest of the map still applies.
 */
#pragma once

#include <adwaita.h>

#include "gw-application.h"

G_BEGIN_DECLS

typedef enum {
  GW_WALL_VIEW_NONE,
  GW_WALL_VIEW_WALL,
  GW_WALL_VIEW_MAP,
  GW_WALL_VIEW_TIMELINE,
  GW_WALL_VIEW_BOARD,
  GW_WALL_VIEW_STATS,
} GwWallView;

gboolean    gw_wall_view_from_string (const char  *str,
                                      GwWallView  *out);
const char *gw_wall_view_to_string   (GwWallView   view);

/* The view for each monitor: @connectors is NULL-terminated (NULL or "" for a monitor
 * without a name), @primary indexes it. Returns a newly allocated array, one per
 * connector. @problems (optional): a NULL-terminated list of messages about entries that
 * were ignored, or NULL when there were none. */
GwWallView *gw_wall_plan             (GVariant           *assignments,
                                      const char * const *connectors,
                                      guint               primary,
                                      GStrv              *problems);

#define GW_TYPE_MONITOR_WINDOW (gw_monitor_window_get_type ())
G_DECLARE_FINAL_TYPE (GwMonitorWindow, gw_monitor_window, GW, MONITOR_WINDOW, AdwApplicationWindow)

GwMonitorWindow *gw_monitor_window_new       (GwApplication   *app,
                                              GwWallView       view);
GwWallView       gw_monitor_window_get_view  (GwMonitorWindow *self);
/* The connector of the monitor it was placed on (NULL before). */
const char      *gw_monitor_window_get_connector (GwMonitorWindow *self);

/* Places the wall's windows on the monitors now and whenever the monitors, the
 * wall-monitors setting or the application's :wall change (installed once per
 * application; in desk mode it only restores the main window). */
void             gw_monitor_window_arrange   (GwApplication   *app);

G_END_DECLS
