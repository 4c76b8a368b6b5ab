/* gw-incident-card.c — the card an incident pin opens on the map */
#include "config.h"

#include <glib/gi18n.h>

#include "gw-incident-card.h"
#include "gw-labels.h"

/* The card's timeline shows this many of the latest stage events. */
#define TIMELINE_EVENTS 6

struct _GwIncidentCard {
  GtkPopover  parent_instance;

  GtkLabel   *title;
  GtkGrid    *grid;
  GtkBox     *timeline;
};

G_DEFINE_FINAL_TYPE (GwIncidentCard, gw_incident_card, GTK_TYPE_POPOVER)

static void
clear_container (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)))
    {
      if (GTK_IS_GRID (container))
        gtk_grid_remove (GTK_GRID (container), child);
      else
        gtk_box_remove (GTK_BOX (container), child);
    }
}

/* A caption and its value; returns the value's label. */
static GtkWidget *
grid_row (GtkGrid *grid, int row, const char *caption, const char *value)
{
  GtkWidget *c = gtk_label_new (caption);
  GtkWidget *v = gtk_label_new (value ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (c), 0);
  gtk_widget_add_css_class (c, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_grid_attach (grid, c, 0, row, 1, 1);
  gtk_grid_attach (grid, v, 1, row, 1, 1);
  return v;
}

static char *
format_local (GwTime t, const char *format)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == GW_TIME_NONE)
    return NULL;
  dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
  return dt ? g_date_time_format (dt, format) : NULL;
}

static void
fill_timeline (GwIncidentCard *self, GwIncident *incident, GwStore *store)
{
  guint n;

  if (incident->timeline == NULL)
    return;

  /* The latest stage events, oldest first. */
  n = incident->timeline->len;
  for (guint i = n > TIMELINE_EVENTS ? n - TIMELINE_EVENTS : 0; i < n; i++)
    {
      const GwStageEvent *event = g_ptr_array_index (incident->timeline, i);
      g_autofree char *when = format_local (event->time, "%m-%d %H:%M");
      const char *who = event->department ? event->department : event->actor;
      g_autofree char *line = NULL;
      GtkWidget *label;

      if (store != NULL && event->department != NULL)
        {
          GwDepartment *dept = gw_store_lookup_department (store, event->department);
          if (dept != NULL)
            who = dept->name;
        }
      line = who ? g_strdup_printf ("%s  %s · %s", when ? when : "", gw_stage_get_label (event->stage), who)
                 : g_strdup_printf ("%s  %s", when ? when : "", gw_stage_get_label (event->stage));
      label = gtk_label_new (line);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (self->timeline, label);
    }
}

void
gw_incident_card_set_incident (GwIncidentCard *self,
                               GwIncident     *incident,
                               GwStore        *store)
{
  g_autofree char *class_text = NULL, *cell_text = NULL;
  const char *department;
  GwIncidentClass *klass = NULL;
  GwTime now = gw_time_now ();
  int row = 0;

  g_return_if_fail (GW_IS_INCIDENT_CARD (self));
  g_return_if_fail (incident != NULL);
  g_return_if_fail (store == NULL || GW_IS_STORE (store));

  department = incident->department;
  gtk_label_set_text (self->title, incident->title ? incident->title : incident->id);
  clear_container (GTK_WIDGET (self->grid));
  clear_container (GTK_WIDGET (self->timeline));

  if (store != NULL)
    {
      GwDepartment *dept = gw_store_lookup_department (store, incident->department);
      GwCell *cell = gw_store_lookup_cell (store, incident->cell_code);

      klass = gw_store_lookup_class (store, incident->class_code);
      if (dept != NULL)
        department = dept->name;
      if (cell != NULL)
        cell_text = g_strdup_printf ("%s (%s)", cell->name ? cell->name : "", cell->code);
    }
  if (klass != NULL)
    class_text = g_strdup_printf ("%s · %s", klass->category ? klass->category : "", klass->name);
  if (cell_text == NULL && incident->cell_code != NULL)
    cell_text = g_strdup (incident->cell_code);

  grid_row (self->grid, row++, _("Class"), class_text ? class_text : incident->class_code);
  grid_row (self->grid, row++, _("Address"), incident->address);
  grid_row (self->grid, row++, _("Cell"), cell_text);
  grid_row (self->grid, row++, _("Department"), department ? department : _("Not dispatched"));
  grid_row (self->grid, row++, _("Stage"), gw_stage_get_label (incident->stage));
  grid_row (self->grid, row++, _("Priority"), gw_priority_get_label (incident->priority));

  if (incident->received_at != GW_TIME_NONE)
    {
      GwTime end = incident->closed_at != GW_TIME_NONE ? incident->closed_at : now;
      g_autofree char *received = format_local (incident->received_at, "%m-%d %H:%M");
      g_autofree char *elapsed = gw_format_duration (end - incident->received_at);
      g_autofree char *text = g_strdup_printf (_("%s (received %s)"), elapsed, received);

      grid_row (self->grid, row++, _("Elapsed"), text);
    }

  if (incident->deadline != GW_TIME_NONE)
    {
      g_autofree char *span = gw_format_duration (incident->deadline - now);
      g_autofree char *deadline = format_local (incident->deadline, "%m-%d %H:%M");
      g_autofree char *text = NULL;
      GtkWidget *value;

      if (gw_incident_is_open (incident))
        text = incident->deadline < now
               ? g_strdup_printf (_("%s — late by %s"), deadline, span)
               : g_strdup_printf (_("%s — %s left"), deadline, span);
      else
        text = g_strdup (deadline);
      value = grid_row (self->grid, row++, _("Deadline"), text);
      if (gw_incident_is_late (incident, now))
        gtk_widget_add_css_class (value, "error");
    }

  fill_timeline (self, incident, store);
}

static void
gw_incident_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GW_TYPE_INCIDENT_CARD);

  G_OBJECT_CLASS (gw_incident_card_parent_class)->dispose (object);
}

static void
gw_incident_card_class_init (GwIncidentCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_incident_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-incident-card.ui");
  gtk_widget_class_bind_template_child (widget_class, GwIncidentCard, title);
  gtk_widget_class_bind_template_child (widget_class, GwIncidentCard, grid);
  gtk_widget_class_bind_template_child (widget_class, GwIncidentCard, timeline);
}

static void
gw_incident_card_init (GwIncidentCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gw_incident_card_new (void)
{
  return g_object_new (GW_TYPE_INCIDENT_CARD, NULL);
}
