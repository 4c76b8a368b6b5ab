/* gw-about.h — the About window: version, licence, credits and where data and maps come from */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A new AdwAboutWindow over @parent (may be NULL); @settings (may be NULL) name the
 * active basemap, whose attribution goes in the "Data and map" section. */
GtkWidget *gw_about_window_new (GtkWindow *parent,
                                GSettings *settings);

G_END_DECLS
