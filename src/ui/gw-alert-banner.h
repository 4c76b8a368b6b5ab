/* gw-alert-banner.h — the strong coloured bar across the top of the wall for alerts
 *
 * libadwaita 1.2 has no AdwBanner, so this is a GtkRevealer holding a bar: an icon, what
 * happened, how many alerts wait, "Show" (emits ::incident-activated with the case),
 * "Acknowledge", "Acknowledge all" and a mute toggle. It owns a GwAlertQueue fed from the
 * store and a clock, configured from GSettings (alerts-*, alert-*, quiet-hours-*), and plays
 * the queue's sounds with GwAlertSound.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-alert-queue.h"
#include "gw-alert-sound.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_ALERT_BANNER (gw_alert_banner_get_type ())
G_DECLARE_FINAL_TYPE (GwAlertBanner, gw_alert_banner, GW, ALERT_BANNER, GtkWidget)

GtkWidget    *gw_alert_banner_new         (void);
/* Starts watching @store; what it holds now is the baseline, not news. */
void          gw_alert_banner_set_store   (GwAlertBanner *self,
                                           GwStore       *store);
GwAlertQueue *gw_alert_banner_get_queue   (GwAlertBanner *self);
GwAlertSound *gw_alert_banner_get_sound   (GwAlertBanner *self);
/* A new toggle for the header bar, bound to the alerts-muted setting like the bar's own. */
GtkWidget    *gw_alert_banner_new_mute_button (void);
/* Whether the bar is shown (or being shown). */
gboolean      gw_alert_banner_get_revealed (GwAlertBanner *self);

G_END_DECLS
