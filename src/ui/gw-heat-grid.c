/* gw-heat-grid.c — weekday × hour of reception (see the header) */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-chart.h"
#include "gw-heat-grid.h"

#define PADDING   12
#define LABEL_GAP 6
#define CELL_GAP  2
#define HOUR_ROW  20  /* the hour labels under the grid */
#define ROW_H     28
#define MIN_COUNT_W 22  /* narrower cells leave their count to the tooltip */

struct _GwHeatGrid
{
  GtkWidget           parent_instance;

  GwMetricsBreakdown *breakdown;
  guint               row;
  guint               max;
};

G_DEFINE_FINAL_TYPE (GwHeatGrid, gw_heat_grid, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
weekday_name (guint weekday)
{
  const char *names[7] = {
    N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
  };

  return _(names[weekday % 7]);
}

static const char *
weekday_long_name (guint weekday)
{
  const char *names[7] = {
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
  };

  return _(names[weekday % 7]);
}

void
gw_heat_grid_get_color (double   fraction,
                        GdkRGBA *color)
{
  /* GNOME blue 3, #3584e4, by opacity: reads on light and dark backgrounds alike. */
  *color = (GdkRGBA) { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 0.12 + 0.88 * CLAMP (fraction, 0.0, 1.0) };
}

typedef struct {
  double x0, y0, cell_w, cell_h;
} Layout;

static void
compute_layout (GwHeatGrid *self, Layout *out)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int label_w = 0;

  for (guint d = 0; d < 7; d++)
    {
      int w;
      pango_layout_set_text (text, weekday_name (d), -1);
      pango_layout_get_pixel_size (text, &w, NULL);
      label_w = MAX (label_w, w);
    }
  out->x0 = PADDING + label_w + LABEL_GAP;
  out->y0 = PADDING;
  out->cell_w = MAX (4.0, (width - PADDING - out->x0) / 24.0);
  out->cell_h = ROW_H;
}

static void
gw_heat_grid_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  GwHeatGrid *self = GW_HEAT_GRID (widget);
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, NULL);
  GdkRGBA fg, dim, track, white = { 1, 1, 1, 1 };
  Layout l;

  gw_chart_get_colors (widget, &fg, &dim, &track, 0.05);
  compute_layout (self, &l);

  for (guint d = 0; d < 7; d++)
    {
      double y = l.y0 + d * l.cell_h;

      gw_chart_draw_text (snapshot, text, weekday_name (d), l.x0 - LABEL_GAP, y + l.cell_h / 2, 1.0, &dim);
      for (guint h = 0; h < 24; h++)
        {
          guint n = gw_heat_grid_get_count (self, d, h);
          graphene_rect_t cell = GRAPHENE_RECT_INIT (l.x0 + h * l.cell_w, y, l.cell_w - CELL_GAP,
                                                     l.cell_h - CELL_GAP);
          GdkRGBA color;

          if (n == 0)
            color = track;
          else
            gw_heat_grid_get_color ((double) n / MAX (self->max, 1u), &color);
          gtk_snapshot_append_color (snapshot, &color, &cell);
          if (n > 0 && l.cell_w >= MIN_COUNT_W)
            {
              g_autofree char *str = g_strdup_printf ("%u", n);
              /* White on the darker half of the ramp, the text colour on the rest. */
              gw_chart_draw_text (snapshot, text, str, cell.origin.x + cell.size.width / 2,
                                  y + cell.size.height / 2, 0.5, color.alpha > 0.55 ? &white : &fg);
            }
        }
    }
  for (guint h = 0; h < 24; h += 3)
    {
      g_autofree char *str = g_strdup_printf ("%02u:00", h);
      gw_chart_draw_text (snapshot, text, str, l.x0 + h * l.cell_w, l.y0 + 7 * l.cell_h + HOUR_ROW / 2.0,
                          0.0, &dim);
    }
}

static void
gw_heat_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 720;
    }
  else
    *minimum = *natural = 2 * PADDING + 7 * ROW_H + HOUR_ROW;
}

guint
gw_heat_grid_get_count (GwHeatGrid *self,
                        guint       weekday,
                        guint       hour)
{
  g_return_val_if_fail (GW_IS_HEAT_GRID (self), 0);
  if (self->breakdown == NULL || weekday >= 7 || hour >= 24)
    return 0;
  return gw_metrics_breakdown_get_week_hour (self->breakdown, self->row, weekday, hour);
}

gboolean
gw_heat_grid_get_cell_bounds (GwHeatGrid      *self,
                              guint            weekday,
                              guint            hour,
                              graphene_rect_t *bounds)
{
  Layout l;

  g_return_val_if_fail (GW_IS_HEAT_GRID (self), FALSE);
  if (self->breakdown == NULL || weekday >= 7 || hour >= 24)
    return FALSE;
  compute_layout (self, &l);
  graphene_rect_init (bounds, l.x0 + hour * l.cell_w, l.y0 + weekday * l.cell_h,
                      l.cell_w - CELL_GAP, l.cell_h - CELL_GAP);
  return TRUE;
}

gboolean
gw_heat_grid_pick (GwHeatGrid *self,
                   double      x,
                   double      y,
                   guint      *weekday,
                   guint      *hour)
{
  Layout l;
  double col, row;

  g_return_val_if_fail (GW_IS_HEAT_GRID (self), FALSE);
  if (self->breakdown == NULL)
    return FALSE;
  compute_layout (self, &l);
  col = floor ((x - l.x0) / l.cell_w);
  row = floor ((y - l.y0) / l.cell_h);
  if (col < 0 || col >= 24 || row < 0 || row >= 7)
    return FALSE;
  *weekday = (guint) row;
  *hour = (guint) col;
  return TRUE;
}

static gboolean
gw_heat_grid_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_mode,
                            GtkTooltip *tooltip)
{
  GwHeatGrid *self = GW_HEAT_GRID (widget);
  g_autofree char *markup = NULL;
  guint d, h, n;

  if (!gw_heat_grid_pick (self, x, y, &d, &h))
    return FALSE;
  n = gw_heat_grid_get_count (self, d, h);
  markup = g_markup_printf_escaped (g_dngettext (GETTEXT_PACKAGE, "<b>%s %02u:00–%02u:00</b>\n%u case received",
                                                 "<b>%s %02u:00–%02u:00</b>\n%u cases received", n),
                                    weekday_long_name (d), h, h + 1, n);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GwHeatGrid      *self)
{
  guint d, h;

  if (gw_heat_grid_pick (self, x, y, &d, &h))
    g_signal_emit (self, signals[SIGNAL_CELL_ACTIVATED], 0, d, h);
}

void
gw_heat_grid_set_breakdown (GwHeatGrid         *self,
                            GwMetricsBreakdown *breakdown,
                            guint               row)
{
  g_return_if_fail (GW_IS_HEAT_GRID (self));

  gw_chart_set_breakdown (&self->breakdown, breakdown);
  self->row = row;
  self->max = 0;
  for (guint d = 0; breakdown != NULL && d < 7; d++)
    for (guint h = 0; h < 24; h++)
      self->max = MAX (self->max, gw_metrics_breakdown_get_week_hour (breakdown, row, d, h));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GwMetricsBreakdown *
gw_heat_grid_get_breakdown (GwHeatGrid *self)
{
  g_return_val_if_fail (GW_IS_HEAT_GRID (self), NULL);
  return self->breakdown;
}

guint
gw_heat_grid_get_row (GwHeatGrid *self)
{
  g_return_val_if_fail (GW_IS_HEAT_GRID (self), 0);
  return self->row;
}

GtkWidget *
gw_heat_grid_new (void)
{
  return g_object_new (GW_TYPE_HEAT_GRID, NULL);
}

static void
gw_heat_grid_dispose (GObject *object)
{
  GwHeatGrid *self = GW_HEAT_GRID (object);

  g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
  G_OBJECT_CLASS (gw_heat_grid_parent_class)->dispose (object);
}

static void
gw_heat_grid_class_init (GwHeatGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_heat_grid_dispose;
  widget_class->snapshot = gw_heat_grid_snapshot;
  widget_class->measure = gw_heat_grid_measure;
  widget_class->query_tooltip = gw_heat_grid_query_tooltip;

  /**
   * GwHeatGrid::cell-activated:
   * @weekday: 0 (Monday) … 6 (Sunday)
   * @hour: 0 … 23, local time
   */
  signals[SIGNAL_CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gw_chart_class_init (widget_class, "gw-heat-grid");
}

static void
gw_heat_grid_init (GwHeatGrid *self)
{
  gw_chart_init_click (GTK_WIDGET (self), G_CALLBACK (click_released_cb));
}
