/* gw-about.c — the About window: version, licence, credits and where data and maps come from */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gw-about.h"

/* The basemap's attribution, as the map shows it: whatever the XYZ server asks for, and
 * OpenStreetMap's when the tiles are OSM's or no attribution was given for XYZ tiles. */
static char *
basemap_credit (GSettings *settings)
{
  g_autofree char *basemap = NULL;
  g_autofree char *attribution = NULL;
  g_autofree char *url = NULL;
  GString *text;

  if (settings == NULL)
    return NULL;
  basemap = g_settings_get_string (settings, "basemap");
  if (g_str_equal (basemap, "none"))
    return g_strdup (_("No basemap is shown."));
  if (g_str_equal (basemap, "demo"))
    return g_strdup (_("The demo basemap is drawn by Gridwatch from the synthetic street; "
                       "it shows no real place."));
  if (g_str_equal (basemap, "mbtiles"))
    {
      g_autofree char *path = g_settings_get_string (settings, "mbtiles-path");
      /* Translators: %s is a file name */
      return g_strdup_printf (_("Tiles from the MBTiles file %s; see its metadata for its "
                                "licence."), path);
    }

  attribution = g_settings_get_string (settings, "xyz-attribution");
  url = g_settings_get_string (settings, "xyz-url");
  text = g_string_new (NULL);
  if (attribution[0] != '\0')
    g_string_append (text, attribution);
  if (strstr (url, "openstreetmap") != NULL && strstr (attribution, "OpenStreetMap") == NULL)
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      g_string_append (text, _("© OpenStreetMap contributors"));
    }
  if (text->len == 0)
    g_string_append (text, _("The tile server gave no attribution: set it in Preferences."));
  return g_string_free (text, FALSE);
}

GtkWidget *
gw_about_window_new (GtkWindow *parent,
                     GSettings *settings)
{
  const char *developers[] = { "Gridwatch contributors", NULL };
  const char *designers[] = { "Gridwatch contributors", NULL };
  const char *data_credits[] = { "City of Helsinki (Open311 fixtures) https://dev.hel.fi/", NULL };
  g_autofree char *credit = basemap_credit (settings);
  /* Legal texts are markup; the attribution is whatever the user typed. */
  g_autofree char *basemap = credit ? g_markup_escape_text (credit, -1) : NULL;
  g_autofree char *legal = NULL;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-name", _("Gridwatch"),
                        "application-icon", APP_ID,
                        "developer-name", _("Gridwatch contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("The wall display of a street command hall: grid cells, "
                                      "cases, departments and dispatch stages, live."),
                        "copyright", "© 2026 Gridwatch contributors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "designers", designers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), _("Data"), data_credits);

  /* Data and map: where what the wall shows comes from, and under which terms. */
  legal = g_strdup_printf ("%s\n\n%s\n\n%s\n%s",
                           _("Service requests from the City of Helsinki’s Open311 API, used "
                             "in tests: © City of Helsinki, under the "
                             "<a href=\"https://creativecommons.org/licenses/by/4.0/\">"
                             "Creative Commons Attribution 4.0</a> licence (CC BY 4.0)."),
                           _("The demo street, its cells, cases and people are synthetic: "
                             "made up by Gridwatch’s simulator, they describe no real place "
                             "or person."),
                           _("Basemap:"), basemap ? basemap : "");
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), _("Data and Map"), NULL,
                                      GTK_LICENSE_CUSTOM, legal);
  return about;
}
