/* gw-cell-card.c — the card a grid cell opens on the map */
#include "config.h"

#include <glib/gi18n.h>

#include "gw-cell-card.h"

struct _GwCellCard {
  GtkPopover  parent_instance;

  GtkLabel   *title;
  GtkGrid    *grid;
};

G_DEFINE_FINAL_TYPE (GwCellCard, gw_cell_card, GTK_TYPE_POPOVER)

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

void
gw_cell_card_set_cell (GwCellCard        *self,
                       GwCell            *cell,
                       const GwCellStats *stats)
{
  static const GwCellStats none = { 0 };
  g_autofree char *worker = NULL, *open = NULL, *late = NULL, *today = NULL;
  GtkWidget *child, *value;
  int row = 0;

  g_return_if_fail (GW_IS_CELL_CARD (self));
  g_return_if_fail (cell != NULL);

  if (stats == NULL)
    stats = &none;

  gtk_label_set_text (self->title, cell->name ? cell->name : cell->code);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))))
    gtk_grid_remove (self->grid, child);

  if (cell->worker_name != NULL || cell->worker_phone != NULL)
    worker = g_strdup_printf ("%s  %s", cell->worker_name ? cell->worker_name : "",
                              cell->worker_phone ? cell->worker_phone : "");
  open = g_strdup_printf ("%u", stats->open);
  late = g_strdup_printf ("%u", stats->late);
  today = g_strdup_printf (_("%u received, %u closed"), stats->received_today, stats->closed_today);

  grid_row (self->grid, row++, _("Code"), cell->code);
  grid_row (self->grid, row++, _("Community"), cell->community);
  grid_row (self->grid, row++, _("Grid worker"), worker);
  grid_row (self->grid, row++, _("Party branch"), cell->party_branch);
  grid_row (self->grid, row++, _("Open cases"), open);
  value = grid_row (self->grid, row++, _("Late cases"), late);
  if (stats->late > 0)
    gtk_widget_add_css_class (value, "error");
  grid_row (self->grid, row++, _("Today"), today);
}

static void
gw_cell_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GW_TYPE_CELL_CARD);

  G_OBJECT_CLASS (gw_cell_card_parent_class)->dispose (object);
}

static void
gw_cell_card_class_init (GwCellCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_cell_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-cell-card.ui");
  gtk_widget_class_bind_template_child (widget_class, GwCellCard, title);
  gtk_widget_class_bind_template_child (widget_class, GwCellCard, grid);
}

static void
gw_cell_card_init (GwCellCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gw_cell_card_new (void)
{
  return g_object_new (GW_TYPE_CELL_CARD, NULL);
}
