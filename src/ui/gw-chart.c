/* gw-chart.c — helpers shared by the statistics charts (see the header) */

#include "config.h"

#include "gw-chart.h"

/* @str with its left (@xalign 0), centre (0.5) or right (1) at @x and its middle at @y. */
void
gw_chart_draw_text (GtkSnapshot   *snapshot,
                    PangoLayout   *layout,
                    const char    *str,
                    double         x,
                    double         y,
                    double         xalign,
                    const GdkRGBA *color)
{
  int w, h;

  pango_layout_set_text (layout, str, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * w, y - h / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

int
gw_chart_line_height (PangoLayout *layout)
{
  g_autoptr(PangoLayout) probe = pango_layout_copy (layout);
  int h;

  pango_layout_set_width (probe, -1);
  pango_layout_set_text (probe, "Ag 案", -1);
  pango_layout_get_pixel_size (probe, NULL, &h);
  return h;
}

/* The text colour, a dimmer one for axis labels, and a faint one for tracks and grids
 * (@faint_alpha of the text's): all follow the theme, light or dark. */
void
gw_chart_get_colors (GtkWidget *widget,
                     GdkRGBA   *fg,
                     GdkRGBA   *dim,
                     GdkRGBA   *faint,
                     double     faint_alpha)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), fg);
  *dim = *fg;
  dim->alpha *= 0.7;
  *faint = *fg;
  faint->alpha *= faint_alpha;
}

/* The charts are pictures to assistive technologies; their numbers are in the tables. */
void
gw_chart_class_init (GtkWidgetClass *widget_class,
                     const char     *css_name)
{
  gtk_widget_class_set_css_name (widget_class, css_name);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

/* A click drills down (@released_cb gets the widget as user data); hovering shows a
 * tooltip from the class's query_tooltip. */
void
gw_chart_init_click (GtkWidget *widget,
                     GCallback  released_cb)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "released", released_cb, widget);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (widget, TRUE);
}

/* Keeps a reference to @breakdown (or NULL) in *@slot, dropping the previous one. */
void
gw_chart_set_breakdown (GwMetricsBreakdown **slot,
                        GwMetricsBreakdown  *breakdown)
{
  if (breakdown != NULL)
    gw_metrics_breakdown_ref (breakdown);
  g_clear_pointer (slot, gw_metrics_breakdown_unref);
  *slot = breakdown;
}

/* A column view with separators and the data-table style, scrolled both ways in
 * *@scrolled, which is made @parent's child (unparent it in dispose). */
GtkColumnView *
gw_chart_table_new (GtkWidget  *parent,
                    GtkWidget **scrolled)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));

  gtk_column_view_set_show_column_separators (view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (view), "data-table");
  *scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (*scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (*scrolled), GTK_WIDGET (view));
  gtk_widget_set_parent (*scrolled, parent);
  return view;
}

/* A resizable column sorted by @compare; @data goes to the callbacks and @compare.
 * The column belongs to @view. */
GtkColumnViewColumn *
gw_chart_table_append_column (GtkColumnView    *view,
                              const char       *title,
                              GCallback         setup_cb,
                              GCallback         bind_cb,
                              GCompareDataFunc  compare,
                              gpointer          data,
                              gboolean          expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup_cb, data);
  g_signal_connect (factory, "bind", bind_cb, data);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, GTK_SORTER (gtk_custom_sorter_new (compare, data, NULL)));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  return column;
}
