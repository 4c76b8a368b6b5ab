/* gw-application.h — the Gridwatch application: one store, one feed, its windows */
#pragma once

#include <adwaita.h>

#include "gw-connect.h"
#include "gw-feed.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_APPLICATION (gw_application_get_type ())
G_DECLARE_FINAL_TYPE (GwApplication, gw_application, GW, APPLICATION, AdwApplication)

/* Takes the contents of @options. */
GwApplication    *gw_application_new       (GwConnectOptions *options,
                                            gboolean          wall);
GwStore          *gw_application_get_store (GwApplication    *self);
/* The feed, or NULL while the demo server is still starting. */
GwFeed           *gw_application_get_feed  (GwApplication    *self);
/* Wall mode (:wall): full screen, and personal data always masked. */
gboolean          gw_application_get_wall  (GwApplication    *self);
void              gw_application_set_wall  (GwApplication    *self,
                                            gboolean          wall);
/* The application's settings, from startup on. */
GSettings        *gw_application_get_settings (GwApplication *self);
/* Whether app.reconnect asked to start again (main() does, with the saved source). */
gboolean          gw_application_get_restart  (GwApplication *self);

G_END_DECLS
