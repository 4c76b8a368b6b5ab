/* gw-alert-banner.c — the strong coloured bar across the top of the wall for alerts */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-alert-banner.h"
#include "gw-settings.h"

struct _GwAlertBanner {
  GtkWidget        parent_instance;

  GtkRevealer     *revealer;
  GtkWidget       *bar;
  GtkImage        *icon;
  GtkLabel        *title_label;
  GtkLabel        *detail_label;
  GtkLabel        *count_label;
  GtkWidget       *show_button;
  GtkWidget       *ack_all_button;
  GtkToggleButton *mute_button;

  GwAlertQueue    *queue;
  GwAlertSound    *sound;
  GwStore         *store;
  GSettings       *settings;
  guint            tick_id;
  guint            shown_id;   /* the alert on the bar, 0 for none */
};

G_DEFINE_FINAL_TYPE (GwAlertBanner, gw_alert_banner, GTK_TYPE_WIDGET)

enum { INCIDENT_ACTIVATED, N_SIGNALS };

static guint signals[N_SIGNALS];

static GwAlert *
shown_alert (GwAlertBanner *self)
{
  GwAlert *alert = self->shown_id ? gw_alert_queue_lookup (self->queue, self->shown_id) : NULL;

  /* Acknowledged or dropped (the case closed): the next one takes its place. */
  if (alert == NULL)
    {
      alert = gw_alert_queue_get_current (self->queue);
      self->shown_id = alert ? alert->id : 0;
    }
  return alert;
}

static char *
detail_text (GwAlertBanner *self,
             GwAlert       *alert)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (alert->time / G_USEC_PER_SEC);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_late = gw_alert_queue_get_n_summarised (self->queue, GW_ALERT_LATE);
  guint n_urgent = gw_alert_queue_get_n_summarised (self->queue, GW_ALERT_URGENT);

  /* The shown alert is not "more" itself. */
  n_late -= alert->kind == GW_ALERT_LATE && !alert->announced && n_late > 0;
  n_urgent -= alert->kind == GW_ALERT_URGENT && !alert->announced && n_urgent > 0;
  if (when != NULL)
    {
      g_autofree char *hhmm = g_date_time_format (when, "%H:%M");
      /* Translators: when the alert was raised, e.g. "at 18:03" */
      g_string_append_printf (text, _("at %s"), hhmm);
    }
  if (n_urgent > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u more urgent case",
                                                 "%u more urgent cases", n_urgent), n_urgent);
    }
  if (n_late > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u more case turned late",
                                                 "%u more cases turned late", n_late), n_late);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
refresh (GwAlertBanner *self)
{
  GwAlert *alert = shown_alert (self);
  guint n = gw_alert_queue_get_n_pending (self->queue);
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *count = NULL;

  if (alert == NULL)
    {
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
      return;
    }

  gtk_widget_remove_css_class (self->bar, "urgent");
  gtk_widget_remove_css_class (self->bar, "late");
  if (alert->kind == GW_ALERT_URGENT)
    {
      gtk_widget_add_css_class (self->bar, "urgent");
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      /* Translators: the banner for a new urgent case; %s is its title */
      title = g_strdup_printf (_("Urgent case: %s"), alert->title);
    }
  else
    {
      gtk_widget_add_css_class (self->bar, "late");
      gtk_image_set_from_icon_name (self->icon, "alarm-symbolic");
      /* Translators: the banner for a case past its deadline; %s is its title */
      title = g_strdup_printf (_("Case turned late: %s"), alert->title);
    }
  detail = detail_text (self, alert);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u alert waiting",
                                        "%u alerts waiting", n), n);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->detail_label, detail);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (self->ack_all_button, n > 1);
  gtk_widget_set_sensitive (self->show_button,
                            self->store != NULL &&
                            gw_store_lookup (self->store, alert->incident_id) != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bar),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

static void
announce_cb (GwAlertQueue  *queue,
             GwAlert       *alert,
             gboolean       sound,
             GwAlertBanner *self)
{
  self->shown_id = alert->id;
  if (sound)
    gw_alert_sound_play (self->sound, alert->kind);
}

static void
queue_changed_cb (GwAlertBanner *self)
{
  refresh (self);
}

static void
muted_cb (GwAlertQueue  *queue,
          GParamSpec    *pspec,
          GwAlertBanner *self)
{
  gboolean muted;

  /* Muting also cuts a sound that is playing. */
  g_object_get (queue, "muted", &muted, NULL);
  if (muted)
    gw_alert_sound_stop (self->sound);
}

static void
show_clicked_cb (GwAlertBanner *self)
{
  GwAlert *alert = shown_alert (self);
  GwIncident *incident;

  if (alert == NULL || self->store == NULL)
    return;
  incident = gw_store_lookup (self->store, alert->incident_id);
  if (incident != NULL)
    g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, incident);
}

static void
ack_clicked_cb (GwAlertBanner *self)
{
  GwAlert *alert = shown_alert (self);

  if (alert != NULL)
    gw_alert_queue_acknowledge (self->queue, alert->id);
}

static void
ack_all_clicked_cb (GwAlertBanner *self)
{
  gw_alert_queue_acknowledge_all (self->queue);
}

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  GwAlertBanner *self)
{
  gw_alert_queue_handle_change (self->queue, change, g_get_real_time ());
}

static gboolean
tick_cb (gpointer user_data)
{
  GwAlertBanner *self = user_data;

  gw_alert_queue_tick (self->queue, g_get_real_time ());
  return G_SOURCE_CONTINUE;
}

void
gw_alert_banner_set_store (GwAlertBanner *self,
                           GwStore       *store)
{
  g_return_if_fail (GW_IS_ALERT_BANNER (self));
  g_return_if_fail (store == NULL || GW_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (store == NULL)
    return;

  /* What the store already holds is where we start from. */
  if (gw_store_get_n_incidents (store) > 0)
    {
      g_autoptr(GPtrArray) all = gw_store_list (store);
      gw_alert_queue_load (self->queue, all, g_get_real_time ());
    }
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

GwAlertQueue *
gw_alert_banner_get_queue (GwAlertBanner *self)
{
  g_return_val_if_fail (GW_IS_ALERT_BANNER (self), NULL);
  return self->queue;
}

GwAlertSound *
gw_alert_banner_get_sound (GwAlertBanner *self)
{
  g_return_val_if_fail (GW_IS_ALERT_BANNER (self), NULL);
  return self->sound;
}

gboolean
gw_alert_banner_get_revealed (GwAlertBanner *self)
{
  g_return_val_if_fail (GW_IS_ALERT_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

GtkWidget *
gw_alert_banner_new_mute_button (void)
{
  g_autoptr(GSettings) settings = gw_settings_new ();
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_button_set_icon_name (GTK_BUTTON (button), "audio-volume-muted-symbolic");
  gtk_widget_set_tooltip_text (button, _("Mute alert sounds"));
  /* The binding keeps the settings object alive as long as the button. */
  g_settings_bind (settings, "alerts-muted", button, "active", G_SETTINGS_BIND_DEFAULT);
  return button;
}

GtkWidget *
gw_alert_banner_new (void)
{
  return g_object_new (GW_TYPE_ALERT_BANNER, NULL);
}

static void
gw_alert_banner_dispose (GObject *object)
{
  GwAlertBanner *self = (GwAlertBanner *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  g_clear_object (&self->sound);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_ALERT_BANNER);

  G_OBJECT_CLASS (gw_alert_banner_parent_class)->dispose (object);
}

static void
gw_alert_banner_class_init (GwAlertBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_alert_banner_dispose;

  /* "Show" was pressed: open this case (a GwIncident) on the map. */
  signals[INCIDENT_ACTIVATED] = g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, GW_TYPE_INCIDENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-alert-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, bar);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, title_label);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, detail_label);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, count_label);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, show_button);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, ack_all_button);
  gtk_widget_class_bind_template_child (widget_class, GwAlertBanner, mute_button);
  gtk_widget_class_bind_template_callback (widget_class, show_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ack_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ack_all_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "alertbanner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
gw_alert_banner_init (GwAlertBanner *self)
{
  static const struct {
    const char *key;
    const char *property;
  } bindings[] = {
    { "alerts-enabled", "enabled" },
    { "alert-sound", "sound-enabled" },
    { "alerts-muted", "muted" },
    { "alert-repeat-interval", "repeat-interval" },
    { "alert-burst-limit", "burst-limit" },
    { "quiet-hours-enabled", "quiet-hours-enabled" },
    { "quiet-hours-start", "quiet-hours-start" },
    { "quiet-hours-end", "quiet-hours-end" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->queue = gw_alert_queue_new ();
  self->sound = gw_alert_sound_new ();
  self->settings = gw_settings_new ();
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_settings_bind (self->settings, bindings[i].key, self->queue, bindings[i].property,
                     G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "alerts-muted", self->mute_button, "active",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect (self->queue, "announce", G_CALLBACK (announce_cb), self);
  g_signal_connect_swapped (self->queue, "changed", G_CALLBACK (queue_changed_cb), self);
  g_signal_connect_swapped (self->queue, "summary", G_CALLBACK (queue_changed_cb), self);
  g_signal_connect (self->queue, "notify::muted", G_CALLBACK (muted_cb), self);
}
