/* gw-drill-down.c — the cases behind a figure (see the header) */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-drill-down.h"

struct _GwDrillDown
{
  AdwWindow       parent_instance;

  GwStore        *store;
  AdwHeaderBar   *header;
  GwCaseList     *list;
  GwCaseTimeline *timeline;
  GtkWidget      *map_button;
  GtkWidget      *timeline_title;
};

G_DEFINE_FINAL_TYPE (GwDrillDown, gw_drill_down, ADW_TYPE_WINDOW)

enum {
  SIGNAL_INCIDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
activate_incident (GwDrillDown *self, GwIncident *incident)
{
  g_autoptr(GwIncident) hold = gw_incident_ref (incident);

  g_signal_emit (self, signals[SIGNAL_INCIDENT_ACTIVATED], 0, hold);
  gtk_window_close (GTK_WINDOW (self));
}

static void
selected_cb (GwCaseList *list, GParamSpec *pspec, GwDrillDown *self)
{
  GwIncident *incident = gw_case_list_get_selected (list);

  gw_case_timeline_set_incident (self->timeline, incident,
                                 self->store != NULL ? gw_store_get_classes (self->store) : NULL);
  gtk_widget_set_sensitive (self->map_button, incident != NULL);
  gtk_label_set_text (GTK_LABEL (self->timeline_title),
                      incident != NULL ? incident->title : _("Select a case to see its timeline"));
}

static void
list_activated_cb (GwCaseList *list, GwIncident *incident, GwDrillDown *self)
{
  activate_incident (self, incident);
}

void
gw_drill_down_show_on_map (GwDrillDown *self)
{
  GwIncident *incident;

  g_return_if_fail (GW_IS_DRILL_DOWN (self));
  if ((incident = gw_case_list_get_selected (self->list)) != NULL)
    activate_incident (self, incident);
}

static void
map_clicked_cb (GtkButton *button, GwDrillDown *self)
{
  gw_drill_down_show_on_map (self);
}

GwCaseList *
gw_drill_down_get_case_list (GwDrillDown *self)
{
  g_return_val_if_fail (GW_IS_DRILL_DOWN (self), NULL);
  return self->list;
}

GwCaseTimeline *
gw_drill_down_get_timeline (GwDrillDown *self)
{
  g_return_val_if_fail (GW_IS_DRILL_DOWN (self), NULL);
  return self->timeline;
}

GwDrillDown *
gw_drill_down_new (GtkWindow  *parent,
                   GwStore    *store,
                   const char *title,
                   GPtrArray  *incidents,
                   GwTime      now)
{
  GwDrillDown *self = g_object_new (GW_TYPE_DRILL_DOWN, "transient-for", parent, NULL);
  g_autofree char *subtitle = NULL;
  guint n = incidents != NULL ? incidents->len : 0;
  GtkWidget *window_title;

  g_set_object (&self->store, store);
  gw_case_list_set_store (self->list, store);
  gw_case_list_set_now (self->list, now);
  gw_case_list_set_incidents (self->list, incidents);
  if (store != NULL)
    gw_case_timeline_set_departments (self->timeline, gw_store_get_departments (store));
  if (now != GW_TIME_NONE)
    gw_case_timeline_set_now (self->timeline, now);

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", n), n);
  window_title = adw_window_title_new (title, subtitle);
  adw_header_bar_set_title_widget (self->header, window_title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  return self;
}

static void
gw_drill_down_dispose (GObject *object)
{
  GwDrillDown *self = GW_DRILL_DOWN (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (gw_drill_down_parent_class)->dispose (object);
}

static void
gw_drill_down_class_init (GwDrillDownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gw_drill_down_dispose;

  /**
   * GwDrillDown::incident-activated:
   * @incident: the case to show on the map
   */
  signals[SIGNAL_INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, GW_TYPE_INCIDENT);
}

static void
gw_drill_down_init (GwDrillDown *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  GtkWidget *lower = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (self), 980, 720);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  self->header = ADW_HEADER_BAR (adw_header_bar_new ());
  self->map_button = gtk_button_new_with_mnemonic (_("Show on _Map"));
  gtk_widget_add_css_class (self->map_button, "suggested-action");
  gtk_widget_set_sensitive (self->map_button, FALSE);
  gtk_widget_set_tooltip_text (self->map_button, _("Go to the wall and show the selected case on the map"));
  adw_header_bar_pack_end (self->header, self->map_button);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->header));

  self->list = GW_CASE_LIST (gw_case_list_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->list), -1, 220);
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (self->list));
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);

  self->timeline_title = gtk_label_new (_("Select a case to see its timeline"));
  gtk_label_set_xalign (GTK_LABEL (self->timeline_title), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->timeline_title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->timeline_title, "heading");
  gtk_widget_set_margin_start (self->timeline_title, 12);
  gtk_widget_set_margin_top (self->timeline_title, 6);
  gtk_box_append (GTK_BOX (lower), self->timeline_title);
  self->timeline = GW_CASE_TIMELINE (gw_case_timeline_new ());
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->timeline));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (lower), scrolled);
  gtk_widget_set_size_request (lower, -1, 200);
  gtk_paned_set_end_child (GTK_PANED (paned), lower);
  gtk_paned_set_position (GTK_PANED (paned), 360);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (box), paned);
  adw_window_set_content (ADW_WINDOW (self), box);

  g_signal_connect (self->list, "notify::selected", G_CALLBACK (selected_cb), self);
  g_signal_connect (self->list, "incident-activated", G_CALLBACK (list_activated_cb), self);
  g_signal_connect (self->map_button, "clicked", G_CALLBACK (map_clicked_cb), self);
}
