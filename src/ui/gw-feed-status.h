/* gw-feed-status.h — the connection state and the data age, as the wall shows them
 *
 * Shared by the main window's status bar and the monitor windows: "Live",
 * "Reconnecting in 4 s", …, and "Data 3 s old", amber after a minute, red after five
 * (the state-stale-amber / state-stale-red style classes).
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-feed.h"

G_BEGIN_DECLS

/* @feed may be NULL (still connecting). */
void gw_feed_status_show (GwFeed   *feed,
                          GtkLabel *state_label,
                          GtkLabel *age_label);

G_END_DECLS
