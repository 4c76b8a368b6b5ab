/* gw-window.h — the main window: map, counters, latest cases and the connection state */
#pragma once

#include <adwaita.h>

#include "gw-application.h"

G_BEGIN_DECLS

#define GW_TYPE_WINDOW (gw_window_get_type ())
G_DECLARE_FINAL_TYPE (GwWindow, gw_window, GW, WINDOW, AdwApplicationWindow)

GwWindow *gw_window_new          (GwApplication *app);
/* Where the map goes. */
GtkBox   *gw_window_get_map_slot (GwWindow      *self);

G_END_DECLS
