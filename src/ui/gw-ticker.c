/* gw-ticker.c — a rotating line of new and late cases for the wall, drawn in snapshot() */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-chart.h"
#include "gw-ticker.h"

#define SLIDE_USEC  (400 * 1000)

typedef struct {
  GwTickerKind kind;
  char        *id;
  char        *text;
} Item;

struct _GwTicker {
  GtkWidget  parent_instance;

  GwStore   *store;
  GwTime     now;           /* GW_TIME_NONE: the clock */
  GArray    *items;         /* Item */
  guint      current;
  gboolean   dirty;         /* the store changed since the last rebuild */
  guint      step_id;

  /* The slide from the previous line to the current one. */
  guint      slide_tick_id;
  gint64     slide_start;
  double     slide;         /* 0 → 1 */
  int        previous;      /* index of the line sliding out, -1: none */
};

G_DEFINE_FINAL_TYPE (GwTicker, gw_ticker, GTK_TYPE_WIDGET)

/* Screen readers and GTK_A11Y=test read the line shown. */
static void
announce (GwTicker *self)
{
  const char *text = self->current < self->items->len
                     ? g_array_index (self->items, Item, self->current).text
                     : _("No new or late cases");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->id);
  g_free (item->text);
}

static GwTime
ticker_now (GwTicker *self)
{
  return self->now != GW_TIME_NONE ? self->now : g_get_real_time ();
}

static char *
place_of (GwTicker   *self,
          GwIncident *incident)
{
  GwCell *cell = incident->cell_code ? gw_store_lookup_cell (self->store, incident->cell_code) : NULL;

  if (cell != NULL && cell->name != NULL)
    return g_strdup (cell->name);
  return g_strdup (incident->address ? incident->address : "");
}

static char *
new_text (GwTicker   *self,
          GwIncident *incident)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (incident->received_at / G_USEC_PER_SEC);
  g_autofree char *hm = g_date_time_format (at, "%H:%M");
  g_autofree char *place = place_of (self, incident);

  /* Translators: the ticker's line for a new case: time, title, place */
  return g_strdup_printf (_("%s  %s · %s"), hm, incident->title, place);
}

static char *
late_text (GwTicker   *self,
           GwIncident *incident,
           GwTime      now)
{
  GwDepartment *dept = incident->department
                       ? gw_store_lookup_department (self->store, incident->department) : NULL;
  g_autofree char *place = place_of (self, incident);
  gint64 minutes = MAX ((now - incident->deadline) / (60 * G_USEC_PER_SEC), 0);
  g_autofree char *over = minutes < 60
                          ? g_strdup_printf (_("%d min over"), (int) minutes)
                          : g_strdup_printf (_("%d h over"), (int) (minutes / 60));

  /* Translators: the ticker's line for a late case: title, place, department, overdue */
  return g_strdup_printf (_("%s · %s · %s · %s"), incident->title, place,
                          dept && dept->name ? dept->name : _("Unassigned"), over);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const GwIncident *x = *(GwIncident **) a, *y = *(GwIncident **) b;

  if (x->received_at != y->received_at)
    return x->received_at > y->received_at ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

typedef struct {
  GwTime     since;
  GPtrArray *found;
} Recent;

static void
collect_recent_cb (gpointer data,
                   gpointer user_data)
{
  GwIncident *incident = data;
  Recent *recent = user_data;

  if (incident->received_at >= recent->since)
    g_ptr_array_add (recent->found, incident);
}

void
gw_ticker_refresh (GwTicker *self)
{
  g_autofree char *shown = NULL;
  GwTime now = ticker_now (self);

  g_return_if_fail (GW_IS_TICKER (self));

  if (self->current < self->items->len)
    shown = g_strdup (g_array_index (self->items, Item, self->current).id);
  g_array_set_size (self->items, 0);
  self->dirty = FALSE;
  self->previous = -1;

  if (self->store != NULL)
    {
      g_autoptr(GPtrArray) recent = g_ptr_array_new ();
      g_autoptr(GPtrArray) late = gw_store_list_late (self->store, now);
      Recent r = { now - GW_TICKER_NEW_WINDOW, recent };

      /* The store keeps its incidents alive while we read them on this thread. */
      gw_store_foreach (self->store, collect_recent_cb, &r);
      g_ptr_array_sort (recent, newest_first);
      for (guint i = 0; i < MIN (recent->len, GW_TICKER_MAX_PER_KIND); i++)
        {
          GwIncident *incident = g_ptr_array_index (recent, i);
          Item item = { GW_TICKER_NEW, g_strdup (incident->id), new_text (self, incident) };
          g_array_append_val (self->items, item);
        }
      for (guint i = 0; i < MIN (late->len, GW_TICKER_MAX_PER_KIND); i++)
        {
          GwIncident *incident = g_ptr_array_index (late, i);
          Item item = { GW_TICKER_LATE, g_strdup (incident->id), late_text (self, incident, now) };
          g_array_append_val (self->items, item);
        }
    }

  /* Stay on the case shown when it is still listed. */
  self->current = 0;
  for (guint i = 0; shown != NULL && i < self->items->len; i++)
    if (g_str_equal (g_array_index (self->items, Item, i).id, shown))
      self->current = i;
  announce (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
slide_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  GwTicker *self = GW_TICKER (widget);
  gint64 t = gdk_frame_clock_get_frame_time (clock);

  self->slide = CLAMP ((double) (t - self->slide_start) / SLIDE_USEC, 0.0, 1.0);
  gtk_widget_queue_draw (widget);
  if (self->slide < 1.0)
    return G_SOURCE_CONTINUE;
  self->previous = -1;
  self->slide_tick_id = 0;
  return G_SOURCE_REMOVE;
}

void
gw_ticker_advance (GwTicker *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int before;

  g_return_if_fail (GW_IS_TICKER (self));

  if (self->dirty)
    gw_ticker_refresh (self);
  if (self->items->len < 2)
    return;
  before = (int) self->current;
  self->current = (self->current + 1) % self->items->len;

  /* Slide only when someone can see it; tests and hidden panels just switch. */
  announce (self);
  if (!gtk_widget_get_mapped (widget))
    return;
  {
    gboolean animate = TRUE;
    g_object_get (gtk_widget_get_settings (widget), "gtk-enable-animations", &animate, NULL);
    if (!animate)
      {
        gtk_widget_queue_draw (widget);
        return;
      }
  }
  self->previous = before;
  self->slide = 0;
  self->slide_start = gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (widget));
  if (self->slide_tick_id == 0)
    self->slide_tick_id = gtk_widget_add_tick_callback (widget, slide_tick_cb, NULL, NULL);
  gtk_widget_queue_draw (widget);
}

static gboolean
step_cb (gpointer user_data)
{
  gw_ticker_advance (GW_TICKER (user_data));
  return G_SOURCE_CONTINUE;
}

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  GwTicker      *self)
{
  /* An empty line on screen fills at once; otherwise the next step picks the change up. */
  if (self->items->len == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gw_ticker_refresh (self);
  else
    self->dirty = TRUE;
}

void
gw_ticker_set_store (GwTicker *self,
                     GwStore  *store)
{
  g_return_if_fail (GW_IS_TICKER (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  gw_ticker_refresh (self);
}

void
gw_ticker_set_now (GwTicker *self,
                   GwTime    now)
{
  g_return_if_fail (GW_IS_TICKER (self));

  self->now = now;
  gw_ticker_refresh (self);
}

guint
gw_ticker_get_n_items (GwTicker *self)
{
  return self->items->len;
}

guint
gw_ticker_get_current (GwTicker *self)
{
  return self->current;
}

GwTickerKind
gw_ticker_get_item_kind (GwTicker *self,
                         guint     i)
{
  g_return_val_if_fail (i < self->items->len, GW_TICKER_NEW);
  return g_array_index (self->items, Item, i).kind;
}

const char *
gw_ticker_get_item_id (GwTicker *self,
                       guint     i)
{
  g_return_val_if_fail (i < self->items->len, NULL);
  return g_array_index (self->items, Item, i).id;
}

const char *
gw_ticker_get_item_text (GwTicker *self,
                         guint     i)
{
  g_return_val_if_fail (i < self->items->len, NULL);
  return g_array_index (self->items, Item, i).text;
}

/* Drawing */

static void
kind_colors (GwTicker     *self,
             GwTickerKind  kind,
             GdkRGBA      *color)
{
  const char *name = kind == GW_TICKER_LATE ? "error_color" : "accent_bg_color";

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)), name, color))
    *color = kind == GW_TICKER_LATE ? (GdkRGBA) { 0.88, 0.11, 0.14, 1 }
                                    : (GdkRGBA) { 0.21, 0.52, 0.89, 1 };
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* One line: a tag pill ("New" / "Late") then the text, vertically centred in @height. */
static void
draw_item (GwTicker    *self,
           GtkSnapshot *snapshot,
           const Item  *item,
           int          width,
           int          height,
           const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) tag = gtk_widget_create_pango_layout (widget, item->kind == GW_TICKER_LATE
                                                                        ? _("Late") : _("New"));
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, item->text);
  PangoAttrList *attrs = pango_attr_list_new ();
  GdkRGBA pill, white = { 1, 1, 1, 1 };
  int tw, th, lw, lh;
  double pad, pill_w, pill_h, x;
  GskRoundedRect rounded;

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (tag, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (tag, &tw, &th);
  pad = th * 0.4;
  pill_w = tw + 2 * pad;
  pill_h = th + pad * 0.5;

  kind_colors (self, item->kind, &pill);
  gsk_rounded_rect_init_from_rect (&rounded,
                                   &GRAPHENE_RECT_INIT (0, (height - pill_h) / 2, pill_w, pill_h),
                                   pill_h / 4);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &pill, &rounded.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (pad, (height - th) / 2.0));
  gtk_snapshot_append_layout (snapshot, tag, &white);
  gtk_snapshot_restore (snapshot);

  x = pill_w + pad * 1.5;
  pango_layout_set_width (text, (int) MAX ((width - x) * PANGO_SCALE, 0));
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (text, &lw, &lh);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - lh) / 2.0));
  gtk_snapshot_append_layout (snapshot, text, fg);
  gtk_snapshot_restore (snapshot);
}

static void
gw_ticker_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  GwTicker *self = GW_TICKER (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (self->items->len == 0)
    {
      g_autoptr(PangoLayout) quiet = gtk_widget_create_pango_layout (widget, _("No new or late cases"));
      int lw, lh;
      GdkRGBA dim = fg;

      dim.alpha *= 0.6;
      pango_layout_get_pixel_size (quiet, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, (height - lh) / 2.0));
      gtk_snapshot_append_layout (snapshot, quiet, &dim);
      gtk_snapshot_restore (snapshot);
      return;
    }

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->previous >= 0 && (guint) self->previous < self->items->len && self->slide < 1.0)
    {
      /* Ease out: the old line leaves upwards as the new one comes in from below. */
      double e = 1.0 - (1.0 - self->slide) * (1.0 - self->slide);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, -e * height));
      draw_item (self, snapshot, &g_array_index (self->items, Item, self->previous), width, height, &fg);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, (1.0 - e) * height));
      draw_item (self, snapshot, &g_array_index (self->items, Item, self->current), width, height, &fg);
      gtk_snapshot_restore (snapshot);
    }
  else
    draw_item (self, snapshot, &g_array_index (self->items, Item, self->current), width, height, &fg);
  gtk_snapshot_pop (snapshot);
}

static void
gw_ticker_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);

      /* One line with room for the tag's padding; follows the CSS font size. */
      *minimum = *natural = (int) (gw_chart_line_height (layout) * 1.5);
    }
  else
    *minimum = *natural = 0;
}

static void
gw_ticker_map (GtkWidget *widget)
{
  GwTicker *self = GW_TICKER (widget);

  GTK_WIDGET_CLASS (gw_ticker_parent_class)->map (widget);
  if (self->dirty)
    gw_ticker_refresh (self);
  if (self->step_id == 0)
    self->step_id = g_timeout_add_seconds (GW_TICKER_STEP_SECONDS, step_cb, self);
}

static void
gw_ticker_unmap (GtkWidget *widget)
{
  GwTicker *self = GW_TICKER (widget);

  /* Nobody sees it: no timer, no frames. */
  g_clear_handle_id (&self->step_id, g_source_remove);
  if (self->slide_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->slide_tick_id);
      self->slide_tick_id = 0;
      self->previous = -1;
    }
  GTK_WIDGET_CLASS (gw_ticker_parent_class)->unmap (widget);
}

static void
gw_ticker_dispose (GObject *object)
{
  GwTicker *self = GW_TICKER (object);

  g_clear_handle_id (&self->step_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gw_ticker_parent_class)->dispose (object);
}

static void
gw_ticker_finalize (GObject *object)
{
  GwTicker *self = GW_TICKER (object);

  g_array_unref (self->items);

  G_OBJECT_CLASS (gw_ticker_parent_class)->finalize (object);
}

static void
gw_ticker_class_init (GwTickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_ticker_dispose;
  object_class->finalize = gw_ticker_finalize;
  widget_class->snapshot = gw_ticker_snapshot;
  widget_class->measure = gw_ticker_measure;
  widget_class->map = gw_ticker_map;
  widget_class->unmap = gw_ticker_unmap;

  gtk_widget_class_set_css_name (widget_class, "ticker");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_MARQUEE);
}

static void
gw_ticker_init (GwTicker *self)
{
  self->now = GW_TIME_NONE;
  self->previous = -1;
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
}

GtkWidget *
gw_ticker_new (void)
{
  return g_object_new (GW_TYPE_TICKER, NULL);
}
