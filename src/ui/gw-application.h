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

G_END_DECLS
