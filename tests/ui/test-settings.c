/* test-settings.c — Preferences ↔ GSettings, both ways; secrets never reach GSettings
 *
 * Runs under Xvfb with GSETTINGS_BACKEND=memory. Each kind of row (entry, HH:MM entry,
 * combo, spin button, switch) is changed in the widget and read back from a separate
 * GSettings object, then changed in GSettings and read back from the widget. The token
 * row's text goes to the keyring (or fails to, with no keyring service in the test
 * session, which is reported): either way no GSettings key ever holds it and the row
 * is emptied.
 */
#include <adwaita.h>
#include <string.h>

#include "gw-application.h"
#include "gw-preferences-window.h"
#include "gw-settings.h"
#include "gw-test-dispatchd.h"
#include "gw-test-image.h"

#define SECRET "tok-9f8e7d6c5b4a-secret"

typedef struct {
  GwPreferencesWindow *prefs;
  GSettings           *settings;
} Fixture;

static void
wait_until_true (gboolean *flag)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!*flag)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->settings = gw_settings_new ();
  f->prefs = GW_PREFERENCES_WINDOW (gw_preferences_window_new (NULL));
  gtk_window_present (GTK_WINDOW (f->prefs));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->prefs));
  /* Back to the defaults for the next test. */
  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (f->settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      g_settings_reset (f->settings, keys[i]);
  }
  g_clear_object (&f->settings);
}

static GtkWidget *
key_widget (Fixture *f, const char *key)
{
  GtkWidget *widget = gw_preferences_window_get_key_widget (f->prefs, key);

  g_assert_nonnull (widget);
  return widget;
}

static void
test_text (Fixture *f, gconstpointer data)
{
  const char *keys[] = { "server-url", "open311-url", "open311-jurisdiction", "ca-file",
                         "client-cert", "xyz-url", "xyz-attribution", "mbtiles-path" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkEditable *row = GTK_EDITABLE (key_widget (f, keys[i]));
      g_autofree char *want = g_strdup_printf ("https://%u.example.org/街道/{z}", i);
      g_autofree char *got = NULL;

      g_assert_true (ADW_IS_ENTRY_ROW (row));
      gtk_editable_set_text (row, want);
      got = g_settings_get_string (f->settings, keys[i]);
      g_assert_cmpstr (got, ==, want);

      g_settings_set_string (f->settings, keys[i], "from-settings");
      g_assert_cmpstr (gtk_editable_get_text (row), ==, "from-settings");
    }
}

static void
test_time (Fixture *f, gconstpointer data)
{
  GtkEditable *row = GTK_EDITABLE (key_widget (f, "quiet-hours-start"));
  g_autofree char *got = NULL;

  g_assert_cmpstr (gtk_editable_get_text (row), ==, "22:00");
  /* Half-typed or impossible times stay in the row, marked, and are never saved. */
  gtk_editable_set_text (row, "23:");
  gtk_editable_set_text (row, "25:10");
  got = g_settings_get_string (f->settings, "quiet-hours-start");
  g_assert_cmpstr (got, ==, "22:00");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));

  gtk_editable_set_text (row, "21:30");
  g_clear_pointer (&got, g_free);
  got = g_settings_get_string (f->settings, "quiet-hours-start");
  g_assert_cmpstr (got, ==, "21:30");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));

  g_settings_set_string (f->settings, "quiet-hours-end", "06:15");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_widget (f, "quiet-hours-end"))),
                   ==, "06:15");
}

static void
test_enums (Fixture *f, gconstpointer data)
{
  const struct { const char *key; guint index; const char *nick; } cases[] = {
    { "source-kind", 2, "open311" },
    { "source-kind", 1, "dispatch" },
    { "basemap", 3, "mbtiles" },
    { "basemap", 2, "xyz" },
    { "tile-coordinates", 1, "gcj02" },
    { "cell-fill", 1, "late" },
    { "hall-timeline-lanes", 1, "cell" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (key_widget (f, cases[i].key));
      g_autofree char *got = NULL;

      adw_combo_row_set_selected (row, cases[i].index);
      got = g_settings_get_string (f->settings, cases[i].key);
      g_assert_cmpstr (got, ==, cases[i].nick);

      adw_combo_row_set_selected (row, 0);
      g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
      g_settings_set_string (f->settings, cases[i].key, cases[i].nick);
      g_assert_cmpuint (adw_combo_row_get_selected (row), ==, cases[i].index);
    }
}

static void
test_numbers (Fixture *f, gconstpointer data)
{
  const struct { const char *key; guint value; guint lo, hi; } cases[] = {
    { "xyz-min-zoom", 3, 0, 22 },
    { "xyz-max-zoom", 18, 0, 22 },
    { "rotate-interval", 45, 5, 3600 },
    { "tour-interval", 12, 5, 3600 },
    { "hall-timeline-hours", 24, 1, 72 },
    { "alert-repeat-interval", 300, 10, 3600 },
    { "alert-burst-limit", 7, 1, 100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkSpinButton *spin = GTK_SPIN_BUTTON (key_widget (f, cases[i].key));
      GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);

      /* The schema's range, so nothing out of range can be typed. */
      g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, cases[i].lo);
      g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, cases[i].hi);

      gtk_spin_button_set_value (spin, cases[i].value);
      g_assert_cmpuint (g_settings_get_uint (f->settings, cases[i].key), ==, cases[i].value);

      g_settings_set_uint (f->settings, cases[i].key, cases[i].lo + 1);
      g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, cases[i].lo + 1);
    }
}

static void
test_switches (Fixture *f, gconstpointer data)
{
  const char *keys[] = { "start-in-wall", "rotate-panels", "tour-late-cells", "alerts-enabled",
                         "alert-sound", "alerts-muted", "quiet-hours-enabled",
                         "show-personal-data" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkSwitch *sw = GTK_SWITCH (key_widget (f, keys[i]));
      gboolean was = g_settings_get_boolean (f->settings, keys[i]);

      g_assert_cmpint (gtk_switch_get_active (sw), ==, was);
      gtk_switch_set_active (sw, !was);
      g_assert_cmpint (g_settings_get_boolean (f->settings, keys[i]), ==, !was);
      g_settings_set_boolean (f->settings, keys[i], was);
      g_assert_cmpint (gtk_switch_get_active (sw), ==, was);
    }
}

static void
stored_cb (GwPreferencesWindow *prefs, gboolean ok, const char *error, gpointer user_data)
{
  gboolean *done = user_data;

  if (!ok)
    g_test_message ("keyring: %s", error);
  *done = TRUE;
}

/* No key, whatever its type, holds the secret or any part of it long enough to matter. */
static void
assert_no_secret_in_settings (Fixture *f)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (f->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, "9f8e7d6c"));
    }
}

static void
test_secret (Fixture *f, gconstpointer data)
{
  GtkEditable *row = GTK_EDITABLE (gw_preferences_window_get_secret_row (f->prefs));
  gboolean done = FALSE;

  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (row));
  g_signal_connect (f->prefs, "secret-stored", G_CALLBACK (stored_cb), &done);

  /* The demo needs none: refused, and the text stays for the user to fix the source. */
  gtk_editable_set_text (row, SECRET);
  g_signal_emit_by_name (row, "apply");
  wait_until_true (&done);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, SECRET);
  assert_no_secret_in_settings (f);

  /* A dispatch server: the secret goes to the keyring and leaves the row. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (key_widget (f, "source-kind")), 1);
  gtk_editable_set_text (GTK_EDITABLE (key_widget (f, "server-url")), "https://dispatch.example.org");
  done = FALSE;
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "");
  wait_until_true (&done);
  assert_no_secret_in_settings (f);
}

static void
test_monitors (Fixture *f, gconstpointer data)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  const char *connector = gdk_monitor_get_connector (monitor);
  g_autoptr(GVariant) value = NULL;
  const char *view = NULL;
  GtkWidget *row = NULL;

  /* An unplugged monitor's entry survives a change to a plugged-in one. */
  g_settings_set_value (f->settings, "wall-monitors",
                        g_variant_new_parsed ("{'HDMI-9': 'stats'}"));
  gtk_window_destroy (GTK_WINDOW (f->prefs));
  f->prefs = GW_PREFERENCES_WINDOW (gw_preferences_window_new (NULL));
  for (GtkWidget *w = GTK_WIDGET (f->prefs); w != NULL; )
    {
      /* Depth-first for the first combo row that is not a bound key's. */
      if (ADW_IS_COMBO_ROW (w) && g_object_get_data (G_OBJECT (w), "gw-connector") != NULL)
        {
          row = w;
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (row);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  value = g_settings_get_value (f->settings, "wall-monitors");
  g_assert_true (g_variant_lookup (value, "HDMI-9", "&s", &view));
  g_assert_cmpstr (view, ==, "stats");
  g_assert_true (g_variant_lookup (value, connector ? connector : "0", "&s", &view));
  g_assert_cmpstr (view, ==, "map");
}

static void
drain (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 3;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* Each page, to look at; rows that do not apply to the chosen source are insensitive. */
static void
test_render (Fixture *f, gconstpointer data)
{
  const char *pages[] = { "source", "map", "wall", "alerts", "privacy" };
  GtkWidget *window = GTK_WIDGET (f->prefs);

  g_settings_set_string (f->settings, "source-kind", "dispatch");
  g_assert_true (gtk_widget_get_sensitive (key_widget (f, "server-url")));
  g_assert_false (gtk_widget_get_sensitive (key_widget (f, "open311-url")));
  g_settings_set_string (f->settings, "basemap", "xyz");
  g_assert_true (gtk_widget_get_sensitive (key_widget (f, "xyz-url")));
  g_assert_false (gtk_widget_get_sensitive (key_widget (f, "mbtiles-path")));

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("preferences-%s.png", pages[i]);
      g_autoptr(GdkPaintable) paintable = NULL;
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GwTestImage) image = NULL;
      GtkSnapshot *snapshot;

      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), pages[i]);
      drain ();
      paintable = gtk_widget_paintable_new (window);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                              gtk_widget_get_height (window));
      node = gtk_snapshot_free_to_node (snapshot);
      image = gw_test_image_render (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                    gtk_widget_get_width (window), gtk_widget_get_height (window),
                                    name);
      g_assert_nonnull (image);
    }
}

/* With no source on the command line the application follows the one in the settings,
 * and starts on the wall when asked to. */
static void
test_app_source (Fixture *f, gconstpointer data)
{
  GwConnectOptions options = { 0 };
  g_autoptr(GwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  const char *url = "http://127.0.0.1:9/dispatch";

  g_settings_set_string (f->settings, "source-kind", "dispatch");
  g_settings_set_string (f->settings, "server-url", url);
  g_settings_set_boolean (f->settings, "start-in-wall", TRUE);

  app = gw_application_new (&options, FALSE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gw_application_get_wall (app));
  while (gw_application_get_feed (app) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (g_str_has_prefix (gw_feed_get_url (gw_application_get_feed (app)), url));
  gw_feed_stop (gw_application_get_feed (app));
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("gw-settings-XXXXXX", NULL);
  int status;

  /* The application's snapshot cache goes to a throwaway folder. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) \
  g_test_add ("/settings/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("text", test_text);
  ADD ("time", test_time);
  ADD ("enums", test_enums);
  ADD ("numbers", test_numbers);
  ADD ("switches", test_switches);
  ADD ("secret", test_secret);
  ADD ("monitors", test_monitors);
  ADD ("render", test_render);
  ADD ("app-source", test_app_source);
  status = g_test_run ();
  gw_test_remove_tree (cache);
  return status;
}
