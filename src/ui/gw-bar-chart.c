/* gw-bar-chart.c — horizontal bars of one metric per group (see the header) */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gw-bar-chart.h"
#include "gw-chart.h"
#include "gw-league-table.h"

typedef struct {
  guint  row;
  double value;
  char  *label;
  char  *text;
} Bar;

struct _GwBarChart
{
  GtkWidget        parent_instance;

  GwMetricsResult *result;
  GwMetricsColumn  column;
  GArray          *bars;  /* Bar, longest first */
};

G_DEFINE_FINAL_TYPE (GwBarChart, gw_bar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_BAR_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define LABEL_GAP 8
#define MAX_LABEL_FRACTION 0.35

void
gw_bar_chart_get_bar_color (GdkRGBA *color)
{
  /* GNOME blue 3, #3584e4. */
  *color = (GdkRGBA) { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1.0 };
}

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
  g_free (bar->text);
}

static int
compare_bars (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Bar *x = a, *y = b;
  GwMetricsResult *result = user_data;

  if (x->value != y->value)
    return x->value < y->value ? 1 : -1;
  return strcmp (gw_metrics_result_get_key (result, x->row),
                 gw_metrics_result_get_key (result, y->row));
}

/* The value that fills the whole bar area. */
static double
scale_max (GwBarChart *self)
{
  double max = 0;

  switch (gw_metrics_column_info (self->column)->kind)
    {
    case GW_METRICS_KIND_RATE:
      max = 1.0;
      break;
    case GW_METRICS_KIND_SCORE:
      max = 100.0;
      break;
    case GW_METRICS_KIND_COUNT:
    case GW_METRICS_KIND_DURATION:
    default:
      break;
    }
  for (guint i = 0; i < self->bars->len; i++)
    max = MAX (max, g_array_index (self->bars, Bar, i).value);
  return max > 0 ? max : 1.0;
}

typedef struct {
  double label_x, bar_x, bar_w_max;  /* the bar area: [bar_x, bar_x + bar_w_max] */
} Layout;

static int
max_text_width (GwBarChart *self, gboolean labels)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  int max = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      int w;

      pango_layout_set_text (layout, labels ? bar->label : bar->text, -1);
      pango_layout_get_pixel_size (layout, &w, NULL);
      max = MAX (max, w);
    }
  return max;
}

static void
compute_layout (GwBarChart *self, int width, Layout *out)
{
  int label_w = MIN (max_text_width (self, TRUE), (int) (MAX_LABEL_FRACTION * width));
  int value_w = max_text_width (self, FALSE);

  out->label_x = GW_BAR_CHART_PADDING;
  out->bar_x = GW_BAR_CHART_PADDING + label_w + LABEL_GAP;
  out->bar_w_max = MAX (1.0, width - GW_BAR_CHART_PADDING - value_w - LABEL_GAP - out->bar_x);
}

static double
bar_width (GwBarChart *self, const Layout *layout, const Bar *bar, double max)
{
  double w = layout->bar_w_max * CLAMP (bar->value / max, 0.0, 1.0);

  return bar->value > 0 ? MAX (w, 1.0) : 0.0;
}

static void
gw_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  GwBarChart *self = GW_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, NULL);
  GdkRGBA fg, bar_color, track;
  double max;
  Layout layout;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  gw_bar_chart_get_bar_color (&bar_color);
  track = fg;
  track.alpha *= 0.08;

  if (self->bars->len == 0)
    {
      fg.alpha *= 0.55;
      gw_chart_draw_text (snapshot, text, _("No data for this range"), width / 2.0,
                          GW_BAR_CHART_PADDING + GW_BAR_CHART_ROW_HEIGHT / 2.0, 0.5, &fg);
      return;
    }

  compute_layout (self, width, &layout);
  max = scale_max (self);
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_END);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      double top = GW_BAR_CHART_PADDING + i * GW_BAR_CHART_ROW_HEIGHT;
      double bar_y = top + (GW_BAR_CHART_ROW_HEIGHT - GW_BAR_CHART_BAR_HEIGHT) / 2.0;
      double w = bar_width (self, &layout, bar, max);

      gtk_snapshot_append_color (snapshot, &track,
                                 &GRAPHENE_RECT_INIT (layout.bar_x, bar_y, layout.bar_w_max,
                                                      GW_BAR_CHART_BAR_HEIGHT));
      if (w > 0)
        gtk_snapshot_append_color (snapshot, &bar_color,
                                   &GRAPHENE_RECT_INIT (layout.bar_x, bar_y, w,
                                                        GW_BAR_CHART_BAR_HEIGHT));

      /* The name, right-aligned against the bars. */
      pango_layout_set_width (text, (int) (layout.bar_x - LABEL_GAP - layout.label_x) * PANGO_SCALE);
      pango_layout_set_alignment (text, PANGO_ALIGN_RIGHT);
      gw_chart_draw_text (snapshot, text, bar->label, layout.label_x,
                          top + GW_BAR_CHART_ROW_HEIGHT / 2.0, 0.0, &fg);

      /* The value, just past the bar's end. */
      pango_layout_set_width (text, -1);
      pango_layout_set_alignment (text, PANGO_ALIGN_LEFT);
      gw_chart_draw_text (snapshot, text, bar->text, layout.bar_x + w + LABEL_GAP / 2.0,
                          top + GW_BAR_CHART_ROW_HEIGHT / 2.0, 0.0, &fg);
    }
}

static void
gw_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  GwBarChart *self = GW_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = *natural = 2 * GW_BAR_CHART_PADDING +
                            MAX (1u, self->bars->len) * GW_BAR_CHART_ROW_HEIGHT;
    }
}

guint
gw_bar_chart_get_n_bars (GwBarChart *self)
{
  g_return_val_if_fail (GW_IS_BAR_CHART (self), 0);
  return self->bars->len;
}

guint
gw_bar_chart_get_bar_row (GwBarChart *self,
                          guint       index)
{
  g_return_val_if_fail (GW_IS_BAR_CHART (self), 0);
  g_return_val_if_fail (index < self->bars->len, 0);
  return g_array_index (self->bars, Bar, index).row;
}

gboolean
gw_bar_chart_get_bar_bounds (GwBarChart      *self,
                             guint            index,
                             graphene_rect_t *bounds)
{
  Layout layout;

  g_return_val_if_fail (GW_IS_BAR_CHART (self), FALSE);
  if (index >= self->bars->len)
    return FALSE;
  compute_layout (self, gtk_widget_get_width (GTK_WIDGET (self)), &layout);
  graphene_rect_init (bounds, layout.bar_x,
                      GW_BAR_CHART_PADDING + index * GW_BAR_CHART_ROW_HEIGHT +
                      (GW_BAR_CHART_ROW_HEIGHT - GW_BAR_CHART_BAR_HEIGHT) / 2.0,
                      bar_width (self, &layout, &g_array_index (self->bars, Bar, index), scale_max (self)),
                      GW_BAR_CHART_BAR_HEIGHT);
  return TRUE;
}

static int
pick_index (GwBarChart *self, double x, double y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  double i;

  if (x < GW_BAR_CHART_PADDING || x >= width - GW_BAR_CHART_PADDING || y < GW_BAR_CHART_PADDING)
    return -1;
  i = floor ((y - GW_BAR_CHART_PADDING) / GW_BAR_CHART_ROW_HEIGHT);
  return i < self->bars->len ? (int) i : -1;
}

int
gw_bar_chart_pick (GwBarChart *self,
                   double      x,
                   double      y)
{
  int index;

  g_return_val_if_fail (GW_IS_BAR_CHART (self), -1);
  index = pick_index (self, x, y);
  return index >= 0 ? (int) g_array_index (self->bars, Bar, index).row : -1;
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GwBarChart      *self)
{
  int row = gw_bar_chart_pick (self, x, y);

  if (row >= 0)
    g_signal_emit (self, signals[SIGNAL_BAR_ACTIVATED], 0, (guint) row);
}

static gboolean
gw_bar_chart_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_mode,
                            GtkTooltip *tooltip)
{
  GwBarChart *self = GW_BAR_CHART (widget);
  const GwMetricsColumnInfo *info;
  g_autofree char *markup = NULL;
  int index = pick_index (self, x, y);
  const Bar *bar;

  if (index < 0 || self->result == NULL)
    return FALSE;
  bar = &g_array_index (self->bars, Bar, index);
  info = gw_metrics_column_info (self->column);
  markup = g_markup_printf_escaped ("<b>%s</b>\n%s %s: %s", bar->label, info->name_zh,
                                    info->name_en, bar->text);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

void
gw_bar_chart_set_result (GwBarChart      *self,
                         GwMetricsResult *result,
                         GwMetricsColumn  column)
{
  g_return_if_fail (GW_IS_BAR_CHART (self));
  g_return_if_fail (column < GW_METRICS_N_COLUMNS);

  if (result != NULL)
    gw_metrics_result_ref (result);
  g_clear_pointer (&self->result, gw_metrics_result_unref);
  self->result = result;
  g_array_set_size (self->bars, 0);

  if (self->column != column)
    {
      self->column = column;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLUMN]);
    }

  for (guint i = 0; result != NULL && i < gw_metrics_result_get_n_rows (result); i++)
    {
      double value = gw_metrics_result_get (result, i, column);
      const char *key = gw_metrics_result_get_key (result, i);
      Bar bar;

      if (gw_metrics_result_is_total (result, i) || isnan (value))
        continue;
      bar.row = i;
      bar.value = value;
      bar.label = g_strdup (g_strcmp0 (key, GW_METRICS_UNASSIGNED) == 0
                            ? _("(unassigned)") : gw_metrics_result_get_label (result, i));
      bar.text = gw_metrics_format_value (column, value);
      g_array_append_val (self->bars, bar);
    }
  if (result != NULL)
    g_array_sort_with_data (self->bars, compare_bars, result);

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GwMetricsResult *
gw_bar_chart_get_result (GwBarChart *self)
{
  g_return_val_if_fail (GW_IS_BAR_CHART (self), NULL);
  return self->result;
}

GwMetricsColumn
gw_bar_chart_get_column (GwBarChart *self)
{
  g_return_val_if_fail (GW_IS_BAR_CHART (self), GW_METRICS_COL_CASES);
  return self->column;
}

GtkWidget *
gw_bar_chart_new (void)
{
  return g_object_new (GW_TYPE_BAR_CHART, NULL);
}

static void
gw_bar_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GwBarChart *self = GW_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_value_set_int (value, self->column);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_bar_chart_finalize (GObject *object)
{
  GwBarChart *self = GW_BAR_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);
  G_OBJECT_CLASS (gw_bar_chart_parent_class)->finalize (object);
}

static void
gw_bar_chart_dispose (GObject *object)
{
  GwBarChart *self = GW_BAR_CHART (object);

  g_clear_pointer (&self->result, gw_metrics_result_unref);
  G_OBJECT_CLASS (gw_bar_chart_parent_class)->dispose (object);
}

static void
gw_bar_chart_class_init (GwBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gw_bar_chart_get_property;
  object_class->dispose = gw_bar_chart_dispose;
  object_class->finalize = gw_bar_chart_finalize;
  widget_class->snapshot = gw_bar_chart_snapshot;
  widget_class->measure = gw_bar_chart_measure;
  widget_class->query_tooltip = gw_bar_chart_query_tooltip;

  /* The GwMetricsColumn drawn (set with gw_bar_chart_set_result). */
  properties[PROP_COLUMN] =
    g_param_spec_int ("column", NULL, NULL, 0, GW_METRICS_N_COLUMNS - 1, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwBarChart::bar-activated:
   * @row: the result row of the bar clicked
   */
  signals[SIGNAL_BAR_ACTIVATED] =
    g_signal_new ("bar-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "gw-bar-chart");
}

static void
gw_bar_chart_init (GwBarChart *self)
{
  self->column = GW_METRICS_COL_ON_TIME_CLOSURE_RATE;
  self->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  gw_chart_init_click (GTK_WIDGET (self), G_CALLBACK (click_released_cb));
}
