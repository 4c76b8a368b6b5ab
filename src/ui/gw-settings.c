/* gw-settings.c — the application's GSettings, installed or from the build tree */

#include "config.h"

#include "gw-settings.h"

GSettings *
gw_settings_new (void)
{
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (installed != NULL)
    schema = g_settings_schema_source_lookup (installed, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) built = NULL;
      g_autoptr(GError) error = NULL;

      built = g_settings_schema_source_new_from_directory (GW_SCHEMA_BUILDDIR, installed,
                                                           FALSE, &error);
      if (built == NULL)
        g_error ("The settings schema %s is not installed: %s", APP_ID, error->message);
      schema = g_settings_schema_source_lookup (built, APP_ID, FALSE);
      if (schema == NULL)
        g_error ("The settings schema %s is not installed", APP_ID);
    }
  return g_settings_new_full (schema, NULL, NULL);
}
