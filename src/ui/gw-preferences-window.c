/* gw-preferences-window.c — Preferences: source, map, wall, alerts and privacy */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gw-keyring.h"
#include "gw-preferences-window.h"
#include "gw-settings.h"

typedef enum {
  BIND_TEXT,   /* AdwEntryRow:text */
  BIND_TIME,   /* AdwEntryRow:text, written only when it reads HH:MM */
  BIND_ENUM,   /* AdwComboRow:selected, items in the schema's enum order */
  BIND_UINT,   /* GtkSpinButton:value, range from the schema */
  BIND_BOOL,   /* GtkSwitch:active */
} BindKind;

/* The property each kind binds. */
static const char * const bind_property[] = { "text", "text", "selected", "value", "active" };

/* The template's widget ids are the keys with '_' for '-'. */
static const struct {
  const char *key;
  BindKind    kind;
} bindings[] = {
  { "source-kind", BIND_ENUM },
  { "server-url", BIND_TEXT },
  { "open311-url", BIND_TEXT },
  { "open311-jurisdiction", BIND_TEXT },
  { "ca-file", BIND_TEXT },
  { "client-cert", BIND_TEXT },
  { "basemap", BIND_ENUM },
  { "xyz-url", BIND_TEXT },
  { "xyz-attribution", BIND_TEXT },
  { "xyz-min-zoom", BIND_UINT },
  { "xyz-max-zoom", BIND_UINT },
  { "mbtiles-path", BIND_TEXT },
  { "tile-coordinates", BIND_ENUM },
  { "cell-fill", BIND_ENUM },
  { "start-in-wall", BIND_BOOL },
  { "rotate-panels", BIND_BOOL },
  { "rotate-interval", BIND_UINT },
  { "tour-late-cells", BIND_BOOL },
  { "tour-interval", BIND_UINT },
  { "hall-timeline-hours", BIND_UINT },
  { "hall-timeline-lanes", BIND_ENUM },
  { "alerts-enabled", BIND_BOOL },
  { "alert-sound", BIND_BOOL },
  { "alerts-muted", BIND_BOOL },
  { "alert-repeat-interval", BIND_UINT },
  { "alert-burst-limit", BIND_UINT },
  { "quiet-hours-enabled", BIND_BOOL },
  { "quiet-hours-start", BIND_TIME },
  { "quiet-hours-end", BIND_TIME },
  { "show-personal-data", BIND_BOOL },
};

/* Rows that only mean something for one source or basemap. */
static const struct {
  const char *key;       /* its row */
  const char *chooser;   /* the key choosing */
  const char *nick;      /* the choice it belongs to */
} depends[] = {
  { "server-url", "source-kind", "dispatch" },
  { "open311-url", "source-kind", "open311" },
  { "open311-jurisdiction", "source-kind", "open311" },
  { "xyz-url", "basemap", "xyz" },
  { "xyz-attribution", "basemap", "xyz" },
  { "xyz-min-zoom", "basemap", "xyz" },
  { "xyz-max-zoom", "basemap", "xyz" },
  { "mbtiles-path", "basemap", "mbtiles" },
};

/* What a monitor can show on the wall (GSettings wall-monitors values). */
static const char * const monitor_views[] = { "", "wall", "map", "timeline", "board", "stats" };

struct _GwPreferencesWindow {
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GPtrArray            *enum_nicks;    /* GStrv per enum binding, kept for the mappings */

  AdwPasswordEntryRow  *secret;
  AdwPreferencesGroup  *monitors_group;
  GtkButton            *ca_file_button;
  GtkButton            *client_cert_button;
  GtkButton            *mbtiles_path_button;
};

G_DEFINE_FINAL_TYPE (GwPreferencesWindow, gw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  SECRET_STORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
key_to_id (const char *key)
{
  char *id = g_strdup (key);

  g_strdelimit (id, "-", '_');
  return id;
}

GtkWidget *
gw_preferences_window_get_key_widget (GwPreferencesWindow *self,
                                      const char          *key)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (GW_IS_PREFERENCES_WINDOW (self), NULL);

  id = key_to_id (key);
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                    GW_TYPE_PREFERENCES_WINDOW, id));
}

GtkWidget *
gw_preferences_window_get_secret_row (GwPreferencesWindow *self)
{
  g_return_val_if_fail (GW_IS_PREFERENCES_WINDOW (self), NULL);

  return GTK_WIDGET (self->secret);
}

static GVariant *
key_range (GSettings  *settings,
           const char *key,
           const char *kind)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autofree char *type = NULL;
  GVariant *values;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(sv)", &type, &values);
  if (!g_str_equal (type, kind))
    g_clear_pointer (&values, g_variant_unref);
  return values;
}

static gboolean
enum_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
enum_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[i]);
}

static gboolean
valid_time (const char *text)
{
  guint hour, minute;
  char end;

  return text != NULL && strlen (text) == 5 &&
         sscanf (text, "%2u:%2u%c", &hour, &minute, &end) == 2 && hour < 24 && minute < 60;
}

static gboolean
time_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_string (value, g_variant_get_string (variant, NULL));
  return TRUE;
}

/* Half-typed times stay in the row (marked) and never reach the settings. */
static GVariant *
time_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char *text = g_value_get_string (value);

  return valid_time (text) ? g_variant_new_string (text) : NULL;
}

static gboolean
sensitive_get_mapping (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), user_data));
  return TRUE;
}

static void
time_changed_cb (GtkEditable *row)
{
  if (valid_time (gtk_editable_get_text (row)))
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static void
bind_key (GwPreferencesWindow *self,
          const char          *key,
          BindKind             kind)
{
  GtkWidget *widget = gw_preferences_window_get_key_widget (self, key);

  g_return_if_fail (widget != NULL);

  switch (kind)
    {
    case BIND_TEXT:
      g_settings_bind (self->settings, key, widget, bind_property[kind], G_SETTINGS_BIND_DEFAULT);
      break;
    case BIND_TIME:
      g_settings_bind_with_mapping (self->settings, key, widget, "text",
                                    G_SETTINGS_BIND_DEFAULT, time_get_mapping,
                                    time_set_mapping, NULL, NULL);
      g_signal_connect (widget, "changed", G_CALLBACK (time_changed_cb), NULL);
      break;
    case BIND_ENUM:
      {
        g_autoptr(GVariant) values = key_range (self->settings, key, "enum");
        char **nicks = g_variant_dup_strv (values, NULL);

        g_ptr_array_add (self->enum_nicks, nicks);
        g_settings_bind_with_mapping (self->settings, key, widget, "selected",
                                      G_SETTINGS_BIND_DEFAULT, enum_get_mapping,
                                      enum_set_mapping, nicks, NULL);
      }
      break;
    case BIND_UINT:
      {
        g_autoptr(GVariant) range = key_range (self->settings, key, "range");
        GtkAdjustment *adj = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget));
        guint32 lo = 0, hi = G_MAXINT32;

        if (range != NULL)
          g_variant_get (range, "(uu)", &lo, &hi);
        gtk_adjustment_set_lower (adj, lo);
        gtk_adjustment_set_upper (adj, hi);
        g_settings_bind (self->settings, key, widget, "value", G_SETTINGS_BIND_DEFAULT);
      }
      break;
    case BIND_BOOL:
    default:
      g_settings_bind (self->settings, key, widget, "active", G_SETTINGS_BIND_DEFAULT);
      break;
    }
}

/* Monitors: one combo row per connected monitor, saved as connector → view. Monitors
 * that are unplugged now keep their entries. */
static void
monitor_selected_cb (AdwComboRow         *row,
                     GParamSpec          *pspec,
                     GwPreferencesWindow *self)
{
  const char *connector = g_object_get_data (G_OBJECT (row), "gw-connector");
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "wall-monitors");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *name, *view;

  if (selected >= G_N_ELEMENTS (monitor_views))
    return;
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &view))
    if (!g_str_equal (name, connector))
      g_variant_builder_add (&builder, "{ss}", name, view);
  if (selected > 0)
    g_variant_builder_add (&builder, "{ss}", connector, monitor_views[selected]);
  g_settings_set_value (self->settings, "wall-monitors", g_variant_builder_end (&builder));
}

static void
add_monitor_rows (GwPreferencesWindow *self)
{
  GdkDisplay *display = gdk_display_get_default ();
  GListModel *monitors = display ? gdk_display_get_monitors (display) : NULL;
  g_autoptr(GVariant) assigned = g_settings_get_value (self->settings, "wall-monitors");
  guint n = monitors ? g_list_model_get_n_items (monitors) : 0;
  const char *labels[] = {
    _("Nothing"), _("The whole wall"), _("Map"), _("Hall timeline"), _("Board"),
    _("Statistics"), NULL
  };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      const char *connector = gdk_monitor_get_connector (monitor);
      g_autofree char *name = connector ? g_strdup (connector) : g_strdup_printf ("%u", i);
      g_autofree char *subtitle = NULL;
      const char *model = gdk_monitor_get_model (monitor);
      GdkRectangle geometry;
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) views = gtk_string_list_new (labels);
      const char *view = NULL;

      gdk_monitor_get_geometry (monitor, &geometry);
      /* Translators: a monitor's model and size, "DELL U2720Q, 3840 × 2160" */
      subtitle = g_strdup_printf (_("%s, %d × %d"), model ? model : _("Monitor"),
                                  geometry.width * gdk_monitor_get_scale_factor (monitor),
                                  geometry.height * gdk_monitor_get_scale_factor (monitor));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (views));
      g_variant_lookup (assigned, name, "&s", &view);
      for (guint v = 0; view != NULL && v < G_N_ELEMENTS (monitor_views); v++)
        if (g_str_equal (view, monitor_views[v]))
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), v);
      g_object_set_data_full (G_OBJECT (row), "gw-connector", g_steal_pointer (&name), g_free);
      g_signal_connect (row, "notify::selected", G_CALLBACK (monitor_selected_cb), self);
      adw_preferences_group_add (self->monitors_group, row);
    }
}

/* The token or API key: into the keyring under the chosen source's URL, then gone from
 * the row. */
static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok = gw_keyring_store_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ok)
    message = g_strdup (_("Saved in the keyring"));
  else
    /* Translators: %s says why, from the keyring service */
    message = g_strdup_printf (_("Cannot save in the keyring: %s"), error->message);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
  g_signal_emit (self, signals[SECRET_STORED], 0, ok, ok ? NULL : error->message);
}

static void
secret_apply_cb (GwPreferencesWindow *self)
{
  GtkEditable *row = GTK_EDITABLE (self->secret);
  g_autofree char *kind = g_settings_get_string (self->settings, "source-kind");
  g_autofree char *url = NULL;
  g_autofree char *secret = NULL;
  const char *error = NULL;

  if (g_str_equal (kind, "dispatch"))
    url = g_settings_get_string (self->settings, "server-url");
  else if (g_str_equal (kind, "open311"))
    url = g_settings_get_string (self->settings, "open311-url");
  if (url == NULL)
    error = _("The demo street needs no token: choose a server first");
  else if (url[0] == '\0')
    error = _("Enter the server’s URL first");
  else if (gtk_editable_get_text (row)[0] == '\0')
    error = _("Enter the token or API key");
  if (error != NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error));
      g_signal_emit (self, signals[SECRET_STORED], 0, FALSE, error);
      return;
    }

  secret = g_strdup (gtk_editable_get_text (row));
  gtk_editable_set_text (row, "");
  gw_keyring_store_async (url, g_strstrip (secret), self->cancellable, secret_stored_cb,
                          g_object_ref (self));
  memset (secret, 0, strlen (secret));
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                GtkEditable     *row)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (row, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_file_cb (GtkButton           *button,
                GwPreferencesWindow *self)
{
  GtkEditable *row = g_object_get_data (G_OBJECT (button), "gw-row");
  const char *pattern = g_object_get_data (G_OBJECT (button), "gw-pattern");
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* GTK 4.8 has no GtkFileDialog. */
  dialog = gtk_file_chooser_native_new (_("Choose a File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_set_name (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (file_chosen_cb), row);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
setup_file_button (GwPreferencesWindow *self,
                   GtkButton           *button,
                   const char          *key,
                   const char          *pattern)
{
  g_object_set_data (G_OBJECT (button), "gw-row", gw_preferences_window_get_key_widget (self, key));
  g_object_set_data (G_OBJECT (button), "gw-pattern", (gpointer) pattern);
  g_signal_connect (button, "clicked", G_CALLBACK (choose_file_cb), self);
}

GtkWidget *
gw_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (GW_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

static void
gw_preferences_window_dispose (GObject *object)
{
  GwPreferencesWindow *self = (GwPreferencesWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Unbound first: the mappings use the nick lists, and the rows are gone after. */
  for (guint i = 0; self->settings != NULL && i < G_N_ELEMENTS (bindings); i++)
    {
      GtkWidget *widget = gw_preferences_window_get_key_widget (self, bindings[i].key);

      if (widget != NULL)
        g_settings_unbind (widget, bind_property[bindings[i].kind]);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gw_preferences_window_parent_class)->dispose (object);
}

static void
gw_preferences_window_finalize (GObject *object)
{
  GwPreferencesWindow *self = (GwPreferencesWindow *) object;

  g_clear_pointer (&self->enum_nicks, g_ptr_array_unref);

  G_OBJECT_CLASS (gw_preferences_window_parent_class)->finalize (object);
}

static void
gw_preferences_window_class_init (GwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_preferences_window_dispose;
  object_class->finalize = gw_preferences_window_finalize;

  /**
   * GwPreferencesWindow::secret-stored:
   * @ok: whether the keyring took it
   * @error: (nullable): why not
   */
  signals[SECRET_STORED] =
    g_signal_new ("secret-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GwPreferencesWindow, secret);
  gtk_widget_class_bind_template_child (widget_class, GwPreferencesWindow, monitors_group);
  gtk_widget_class_bind_template_child (widget_class, GwPreferencesWindow, ca_file_button);
  gtk_widget_class_bind_template_child (widget_class, GwPreferencesWindow, client_cert_button);
  gtk_widget_class_bind_template_child (widget_class, GwPreferencesWindow, mbtiles_path_button);
  /* gw_preferences_window_get_key_widget() finds the bound rows by their ids. */
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      g_autofree char *id = key_to_id (bindings[i].key);
      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (id), FALSE, 0);
    }
}

static void
gw_preferences_window_init (GwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = gw_settings_new ();
  self->cancellable = g_cancellable_new ();
  self->enum_nicks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    bind_key (self, bindings[i].key, bindings[i].kind);
  for (guint i = 0; i < G_N_ELEMENTS (depends); i++)
    {
      GtkWidget *widget = gw_preferences_window_get_key_widget (self, depends[i].key);
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

      g_settings_bind_with_mapping (self->settings, depends[i].chooser, row, "sensitive",
                                    G_SETTINGS_BIND_GET, sensitive_get_mapping, NULL,
                                    (gpointer) depends[i].nick, NULL);
    }
  add_monitor_rows (self);
  setup_file_button (self, self->ca_file_button, "ca-file", "*.pem");
  setup_file_button (self, self->client_cert_button, "client-cert", "*.pem");
  setup_file_button (self, self->mbtiles_path_button, "mbtiles-path", "*.mbtiles");
  g_signal_connect_swapped (self->secret, "apply", G_CALLBACK (secret_apply_cb), self);
}
