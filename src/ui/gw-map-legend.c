/* gw-map-legend.c — the map's key: the cell fill classes and the heat-map ramp */
#include "config.h"

#include <glib/gi18n.h>

#include "gw-heat-layer.h"
#include "gw-map-legend.h"

struct _GwMapLegend {
  GtkWidget    parent_instance;

  /* Template */
  GtkLabel    *cell_title;
  GtkGrid     *cell_grid;
  GtkWidget   *heat_row;
  GtkWidget   *heat_ramp;

  GwCellLayer *cell_layer;
};

G_DEFINE_FINAL_TYPE (GwMapLegend, gw_map_legend, GTK_TYPE_WIDGET)

static void
swatch_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  const GdkRGBA *color = user_data;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.4);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* The heat layer's colours from "fewer" to "more", as they blend over the map. */
static void
ramp_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, width, 0);

  for (guint i = 0; i <= 16; i++)
    {
      GdkRGBA c;

      gw_heat_ramp_color (i / 16.0, &c);
      cairo_pattern_add_color_stop_rgba (gradient, i / 16.0, c.red, c.green, c.blue, c.alpha);
    }
  cairo_set_source (cr, gradient);
  cairo_pattern_destroy (gradient);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.4);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
legend_changed_cb (GwMapLegend *self, GwCellLayer *layer)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cell_grid))))
    gtk_grid_remove (self->cell_grid, child);

  gtk_label_set_text (self->cell_title,
                      gw_cell_layer_get_metric (layer) == GW_CELL_METRIC_LATE
                      ? _("Late cases per cell") : _("Open cases per cell"));

  for (guint k = 0; k < GW_CELL_LAYER_N_CLASSES; k++)
    {
      g_autofree char *range = NULL;
      GtkWidget *swatch, *label;
      GdkRGBA color;
      guint min, max;

      gw_cell_layer_get_class (layer, k, &color, &min, &max);
      if (k == 0)
        range = g_strdup ("0");
      else if (max == G_MAXUINT)
        range = g_strdup_printf ("%u+", min);
      else if (min == max)
        range = g_strdup_printf ("%u", min);
      else
        range = g_strdup_printf ("%u–%u", min, max);

      /* One row: swatch, range, swatch, range… */
      swatch = gtk_drawing_area_new ();
      /* Its size from CSS (style.css, and gw-wall-style.c on the wall). */
      gtk_widget_add_css_class (swatch, "gw-map-legend-swatch");
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), swatch_draw_cb,
                                      gdk_rgba_copy (&color), (GDestroyNotify) gdk_rgba_free);
      label = gtk_label_new (range);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "caption");
      if (k + 1 < GW_CELL_LAYER_N_CLASSES)
        gtk_widget_add_css_class (label, "gw-map-legend-gap");
      gtk_grid_attach (self->cell_grid, swatch, 2 * k, 0, 1, 1);
      gtk_grid_attach (self->cell_grid, label, 2 * k + 1, 0, 1, 1);
    }
}

void
gw_map_legend_set_cell_layer (GwMapLegend *self, GwCellLayer *layer)
{
  g_return_if_fail (GW_IS_MAP_LEGEND (self));
  g_return_if_fail (GW_IS_CELL_LAYER (layer));

  if (self->cell_layer != NULL)
    g_signal_handlers_disconnect_by_func (self->cell_layer, legend_changed_cb, self);
  g_set_object (&self->cell_layer, layer);
  g_signal_connect_object (layer, "legend-changed", G_CALLBACK (legend_changed_cb), self,
                           G_CONNECT_SWAPPED);
  legend_changed_cb (self, layer);
}

void
gw_map_legend_set_show_heat (GwMapLegend *self, gboolean show_heat)
{
  g_return_if_fail (GW_IS_MAP_LEGEND (self));

  gtk_widget_set_visible (self->heat_row, show_heat);
}

static void
gw_map_legend_dispose (GObject *object)
{
  GwMapLegend *self = GW_MAP_LEGEND (object);
  GtkWidget *child;

  if (self->cell_layer != NULL)
    g_signal_handlers_disconnect_by_func (self->cell_layer, legend_changed_cb, self);
  g_clear_object (&self->cell_layer);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_MAP_LEGEND);
  /* The box holding the parts is not a bound template child. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gw_map_legend_parent_class)->dispose (object);
}

static void
gw_map_legend_class_init (GwMapLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_map_legend_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-map-legend.ui");
  gtk_widget_class_bind_template_child (widget_class, GwMapLegend, cell_title);
  gtk_widget_class_bind_template_child (widget_class, GwMapLegend, cell_grid);
  gtk_widget_class_bind_template_child (widget_class, GwMapLegend, heat_row);
  gtk_widget_class_bind_template_child (widget_class, GwMapLegend, heat_ramp);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-map-legend");
}

static void
gw_map_legend_init (GwMapLegend *self)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->heat_ramp), ramp_draw_cb, NULL, NULL);

  /* A light see-through strip: data under it (after a manual zoom) still shows. */
  gtk_css_provider_load_from_data (provider,
                                   ".gw-map-legend { background-color: alpha(black, 0.45);"
                                   " border-radius: 6px; padding: 3px 8px; }", -1);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_add_provider (gtk_widget_get_style_context (GTK_WIDGET (self)),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

GtkWidget *
gw_map_legend_new (void)
{
  return g_object_new (GW_TYPE_MAP_LEGEND, NULL);
}
