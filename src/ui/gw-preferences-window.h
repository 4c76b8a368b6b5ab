/* gw-preferences-window.h — Preferences: source, map, wall, alerts and privacy
 *
 * Every row is bound to GSettings (both ways), except the access token or API key,
 * which goes to the keyring (gw-keyring.h) under the chosen source's URL.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GW_TYPE_PREFERENCES_WINDOW (gw_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (GwPreferencesWindow, gw_preferences_window, GW, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *gw_preferences_window_new            (GtkWindow           *parent);
/* The widget bound to settings key @key (an entry row, combo row, switch or spin
 * button), or NULL; for tests. */
GtkWidget *gw_preferences_window_get_key_widget (GwPreferencesWindow *self,
                                                 const char          *key);
/* The token/API key row; applying it stores the secret and emits ::secret-stored. */
GtkWidget *gw_preferences_window_get_secret_row (GwPreferencesWindow *self);

G_END_DECLS
