/* gw-alert-sound.h — plays the alert sounds we ship, quietly failing without audio
 *
 * Uses GtkMediaFile (GTK's GStreamer media backend, libgtk-4-media-gstreamer) on the WAVs in
 * the GResource. Without the backend, a sound device or a codec, play() does nothing: a wall
 * in a room without speakers still shows its banners.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-alert-queue.h"

G_BEGIN_DECLS

#define GW_TYPE_ALERT_SOUND (gw_alert_sound_get_type ())
G_DECLARE_FINAL_TYPE (GwAlertSound, gw_alert_sound, GW, ALERT_SOUND, GObject)

GwAlertSound *gw_alert_sound_new        (void);
/* Starts @kind's sound from the beginning; never blocks, never fails loudly. */
void          gw_alert_sound_play       (GwAlertSound *self,
                                         GwAlertKind   kind);
void          gw_alert_sound_stop       (GwAlertSound *self);
/* Whether @kind's sound is known not to play here (no backend, no device); FALSE while
 * that is not known yet. */
gboolean      gw_alert_sound_has_failed (GwAlertSound *self,
                                         GwAlertKind   kind);
/* The number of times play() was asked to start a sound (for tests). */
guint         gw_alert_sound_get_n_played (GwAlertSound *self);

G_END_DECLS
