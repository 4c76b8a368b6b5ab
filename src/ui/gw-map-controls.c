/* gw-map-controls.c — the bar of map controls over the wall map */
#include "config.h"

#include <glib/gi18n.h>

#include "gw-map-controls.h"
#include "gw-settings.h"

struct _GwMapControls {
  GtkWidget        parent_instance;

  /* Template */
  GtkDropDown     *window_dropdown;
  GtkToggleButton *heat_button;
  GtkDropDown     *fill_dropdown;
  GtkButton       *resume_button;

  GSettings       *settings;
};

G_DEFINE_FINAL_TYPE (GwMapControls, gw_map_controls, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAN_RESUME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The dropdowns list the enum's nicks in this order (see the .ui file). */
static const char * const window_nicks[] = { "open", "1h", "6h", "24h", "today", NULL };
static const char * const fill_nicks[] = { "load", "late", NULL };

/* Enum key (nick) → dropdown position. */
static gboolean
nick_to_index (GValue *value, GVariant *variant, gpointer user_data)
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
index_to_nick (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[index]);
}

void
gw_map_controls_set_can_resume (GwMapControls *self, gboolean can_resume)
{
  g_return_if_fail (GW_IS_MAP_CONTROLS (self));

  can_resume = !!can_resume;
  if (gtk_widget_get_visible (GTK_WIDGET (self->resume_button)) == can_resume)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), can_resume);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RESUME]);
}

gboolean
gw_map_controls_get_can_resume (GwMapControls *self)
{
  g_return_val_if_fail (GW_IS_MAP_CONTROLS (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->resume_button));
}

static void
gw_map_controls_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GwMapControls *self = GW_MAP_CONTROLS (object);

  switch (prop_id)
    {
    case PROP_CAN_RESUME:
      g_value_set_boolean (value, gw_map_controls_get_can_resume (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_map_controls_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GwMapControls *self = GW_MAP_CONTROLS (object);

  switch (prop_id)
    {
    case PROP_CAN_RESUME:
      gw_map_controls_set_can_resume (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_map_controls_dispose (GObject *object)
{
  GwMapControls *self = GW_MAP_CONTROLS (object);
  GtkWidget *child;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_MAP_CONTROLS);
  /* The bar itself is not a bound template child. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gw_map_controls_parent_class)->dispose (object);
}

static void
gw_map_controls_class_init (GwMapControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_map_controls_dispose;
  object_class->get_property = gw_map_controls_get_property;
  object_class->set_property = gw_map_controls_set_property;

  properties[PROP_CAN_RESUME] =
    g_param_spec_boolean ("can-resume", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-map-controls.ui");
  gtk_widget_class_bind_template_child (widget_class, GwMapControls, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GwMapControls, heat_button);
  gtk_widget_class_bind_template_child (widget_class, GwMapControls, fill_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GwMapControls, resume_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-map-controls");
}

static void
gw_map_controls_init (GwMapControls *self)
{
  GdkDisplay *display;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = gw_settings_new ();
  g_settings_bind_with_mapping (self->settings, "map-time-window",
                                self->window_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, (gpointer) window_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "cell-fill",
                                self->fill_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, (gpointer) fill_nicks, NULL);
  g_settings_bind (self->settings, "map-heat-map", self->heat_button, "active",
                   G_SETTINGS_BIND_DEFAULT);

  /* Big enough to hit from a step back on a wall's touch screen; once per display. */
  display = gtk_widget_get_display (GTK_WIDGET (self));
  if (g_object_get_data (G_OBJECT (display), "gw-map-controls-css") == NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider,
                                       "gw-map-controls > box { padding: 6px; border-radius: 12px;"
                                       " border-spacing: 12px; }"
                                       " gw-map-controls button { min-height: 40px; min-width: 40px; }"
                                       " .gw-map-controls-content { border-spacing: 6px; }"
                                       " .gw-map-controls-lead { margin-left: 6px; }",
                                       -1);
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data_full (G_OBJECT (display), "gw-map-controls-css",
                              g_object_ref (provider), g_object_unref);
    }
}

GtkWidget *
gw_map_controls_new (void)
{
  return g_object_new (GW_TYPE_MAP_CONTROLS, NULL);
}
