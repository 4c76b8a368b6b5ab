/* gw-settings.h — the application's GSettings, installed or from the build tree */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A new reference to org.gridwatch.Gridwatch. Uninstalled runs find the schema compiled in
 * the build tree; tests use GSETTINGS_BACKEND=memory. */
GSettings *gw_settings_new (void);

G_END_DECLS
