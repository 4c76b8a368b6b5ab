/* gw-range-picker.c — the statistics range (see the header) */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-range-picker.h"

struct _GwRangePicker
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkDropDown  *drop_down;
  GtkWidget    *dates_button;  /* shows the custom dates; opens the popover */
  GtkPopover   *popover;
  GtkCalendar  *from_calendar;
  GtkCalendar  *to_calendar;
  GtkLabel     *error_label;

  GwStatsRange  range;
  GwStatsRange  before_custom;  /* where a cancelled popover goes back to */
  GwTime        custom_from;
  GwTime        custom_to;
  gboolean      applied;        /* Apply succeeded since the popover opened */
};

G_DEFINE_FINAL_TYPE (GwRangePicker, gw_range_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RANGE,
  PROP_CUSTOM_FROM,
  PROP_CUSTOM_TO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GwTime
to_gw_time (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

void
gw_stats_range_get_bounds (GwStatsRange range,
                           GwTime       now,
                           GwTime      *from,
                           GwTime      *to,
                           GwTime      *prev_from,
                           GwTime      *prev_to)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) here = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) start = NULL, end = NULL, before = NULL;
  GwTime length;

  switch (range)
    {
    case GW_STATS_RANGE_TODAY:
      start = g_date_time_new (tz, g_date_time_get_year (here), g_date_time_get_month (here),
                               g_date_time_get_day_of_month (here), 0, 0, 0);
      end = g_date_time_add_days (start, 1);
      before = g_date_time_add_days (start, -1);
      *from = to_gw_time (start);
      *to = to_gw_time (end);
      *prev_from = to_gw_time (before);
      *prev_to = *from;
      return;
    case GW_STATS_RANGE_SHIFT:
      start = g_date_time_new (tz, g_date_time_get_year (here), g_date_time_get_month (here),
                               g_date_time_get_day_of_month (here),
                               g_date_time_get_hour (here) / 8 * 8, 0, 0);
      *from = to_gw_time (start);
      *to = *from + 8 * GW_USEC_PER_HOUR;
      *prev_from = *from - 8 * GW_USEC_PER_HOUR;
      *prev_to = *from;
      return;
    case GW_STATS_RANGE_30_DAYS:
      length = 30 * 24 * GW_USEC_PER_HOUR;
      break;
    case GW_STATS_RANGE_7_DAYS:
    default:
      length = 7 * 24 * GW_USEC_PER_HOUR;
      break;
    }
  /* Up to now, now included. */
  *to = now + 1;
  *from = *to - length;
  *prev_to = *from;
  *prev_from = *from - length;
}

static GwTime
day_start (GDateTime *day, int add_days)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (day);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) moved = g_date_time_add_days (midnight, add_days);

  return g_date_time_to_unix (moved) * G_USEC_PER_SEC;
}

gboolean
gw_stats_custom_range_validate (GDateTime  *from_day,
                                GDateTime  *to_day,
                                GDateTime  *today,
                                GwTime     *from,
                                GwTime     *to,
                                GError    **error)
{
  GwTime f, t;

  g_return_val_if_fail (from_day != NULL && to_day != NULL && today != NULL, FALSE);

  f = day_start (from_day, 0);
  t = day_start (to_day, 1);
  if (f >= t)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The first day is after the last day."));
      return FALSE;
    }
  if (f > day_start (today, 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The range starts after today."));
      return FALSE;
    }
  /* 24 h slack: a DST change makes a day 23 or 25 hours long. */
  if (t - f > (GwTime) GW_STATS_CUSTOM_MAX_DAYS * 24 * GW_USEC_PER_HOUR + GW_USEC_PER_HOUR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A range is at most %d days long."), GW_STATS_CUSTOM_MAX_DAYS);
      return FALSE;
    }
  if (from != NULL)
    *from = f;
  if (to != NULL)
    *to = t;
  return TRUE;
}

static void
update_dates_button (GwRangePicker *self)
{
  g_autofree char *text = NULL;

  if (self->custom_from != GW_TIME_NONE)
    {
      g_autoptr(GDateTime) f = g_date_time_new_from_unix_local (self->custom_from / G_USEC_PER_SEC);
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local ((self->custom_to - 1) / G_USEC_PER_SEC);
      g_autofree char *fs = g_date_time_format (f, "%Y-%m-%d");
      g_autofree char *ts = g_date_time_format (t, "%Y-%m-%d");

      text = g_strdup_printf ("%s – %s", fs, ts);
    }
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->dates_button), text != NULL ? text : _("Choose dates"));
  gtk_widget_set_visible (self->dates_button, self->range == GW_STATS_RANGE_CUSTOM);
}

static void
select_range (GwRangePicker *self, GwStatsRange range)
{
  if (range != GW_STATS_RANGE_CUSTOM)
    self->before_custom = range;
  if (gtk_drop_down_get_selected (self->drop_down) != range)
    gtk_drop_down_set_selected (self->drop_down, range);
  update_dates_button (self);
  if (self->range == range)
    return;
  self->range = range;
  update_dates_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

void
gw_range_picker_set_range (GwRangePicker *self,
                           GwStatsRange   range)
{
  g_return_if_fail (GW_IS_RANGE_PICKER (self));
  g_return_if_fail (range < GW_N_STATS_RANGES);

  if (range == GW_STATS_RANGE_CUSTOM && self->custom_from == GW_TIME_NONE)
    {
      /* Nothing to show yet: ask for the dates; the range changes on Apply. */
      gtk_drop_down_set_selected (self->drop_down, GW_STATS_RANGE_CUSTOM);
      gtk_widget_set_visible (self->dates_button, TRUE);
      self->applied = FALSE;
      gtk_menu_button_popup (GTK_MENU_BUTTON (self->dates_button));
      return;
    }
  select_range (self, range);
}

GwStatsRange
gw_range_picker_get_range (GwRangePicker *self)
{
  g_return_val_if_fail (GW_IS_RANGE_PICKER (self), GW_STATS_RANGE_TODAY);
  return self->range;
}

gboolean
gw_range_picker_set_custom (GwRangePicker  *self,
                            GDateTime      *from_day,
                            GDateTime      *to_day,
                            GError        **error)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  GwTime from, to;

  g_return_val_if_fail (GW_IS_RANGE_PICKER (self), FALSE);

  if (!gw_stats_custom_range_validate (from_day, to_day, today, &from, &to, error))
    return FALSE;
  if (from != self->custom_from || to != self->custom_to)
    {
      self->custom_from = from;
      self->custom_to = to;
      /* Notified while range is still the old one when it changes below: listeners
       * read both in the "range" handler anyway; a custom → custom change needs these. */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_FROM]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_TO]);
    }
  gtk_calendar_select_day (self->from_calendar, from_day);
  gtk_calendar_select_day (self->to_calendar, to_day);
  select_range (self, GW_STATS_RANGE_CUSTOM);
  return TRUE;
}

void
gw_range_picker_get_custom (GwRangePicker *self,
                            GwTime        *from,
                            GwTime        *to)
{
  g_return_if_fail (GW_IS_RANGE_PICKER (self));
  *from = self->custom_from;
  *to = self->custom_to;
}

void
gw_range_picker_apply (GwRangePicker *self)
{
  g_autoptr(GDateTime) from = NULL, to = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GW_IS_RANGE_PICKER (self));

  from = gtk_calendar_get_date (self->from_calendar);
  to = gtk_calendar_get_date (self->to_calendar);
  if (!gw_range_picker_set_custom (self, from, to, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_label_set_text (self->error_label, "");
  self->applied = TRUE;
  gtk_popover_popdown (self->popover);
}

const char *
gw_range_picker_get_error (GwRangePicker *self)
{
  g_return_val_if_fail (GW_IS_RANGE_PICKER (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

GtkPopover *
gw_range_picker_get_popover (GwRangePicker *self)
{
  g_return_val_if_fail (GW_IS_RANGE_PICKER (self), NULL);
  return self->popover;
}

GtkCalendar *
gw_range_picker_get_calendar (GwRangePicker *self,
                              gboolean       to)
{
  g_return_val_if_fail (GW_IS_RANGE_PICKER (self), NULL);
  return to ? self->to_calendar : self->from_calendar;
}

GtkWidget *
gw_range_picker_new (void)
{
  return g_object_new (GW_TYPE_RANGE_PICKER, NULL);
}

/* ---- signal handlers -------------------------------------------------------------- */

static void
selected_cb (GtkDropDown *drop_down, GParamSpec *pspec, GwRangePicker *self)
{
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (selected < GW_N_STATS_RANGES && selected != self->range)
    gw_range_picker_set_range (self, selected);
}

static void
apply_clicked_cb (GtkButton *button, GwRangePicker *self)
{
  gw_range_picker_apply (self);
}

static void
popover_show_cb (GtkPopover *popover, GwRangePicker *self)
{
  self->applied = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
popover_closed_cb (GtkPopover *popover, GwRangePicker *self)
{
  /* Closed without a valid range to show: back to the range before. */
  if (!self->applied && self->custom_from == GW_TIME_NONE)
    select_range (self, self->before_custom);
}

static GtkWidget *
calendar_column (const char *title, GtkCalendar **out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), calendar);
  gtk_accessible_update_property (GTK_ACCESSIBLE (calendar), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  *out = GTK_CALENDAR (calendar);
  return box;
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
gw_range_picker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GwRangePicker *self = GW_RANGE_PICKER (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      g_value_set_int (value, self->range);
      break;
    case PROP_CUSTOM_FROM:
      g_value_set_int64 (value, self->custom_from);
      break;
    case PROP_CUSTOM_TO:
      g_value_set_int64 (value, self->custom_to);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_range_picker_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_RANGE:
      gw_range_picker_set_range (GW_RANGE_PICKER (object), g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_range_picker_dispose (GObject *object)
{
  GwRangePicker *self = GW_RANGE_PICKER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (gw_range_picker_parent_class)->dispose (object);
}

static void
gw_range_picker_class_init (GwRangePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gw_range_picker_get_property;
  object_class->set_property = gw_range_picker_set_property;
  object_class->dispose = gw_range_picker_dispose;

  /* GwStatsRange */
  properties[PROP_RANGE] =
    g_param_spec_int ("range", NULL, NULL, 0, GW_N_STATS_RANGES - 1, GW_STATS_RANGE_TODAY,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The custom range's bounds (GwTime), GW_TIME_NONE before one is set. */
  properties[PROP_CUSTOM_FROM] =
    g_param_spec_int64 ("custom-from", NULL, NULL, G_MININT64, G_MAXINT64, GW_TIME_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOM_TO] =
    g_param_spec_int64 ("custom-to", NULL, NULL, G_MININT64, G_MAXINT64, GW_TIME_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-range-picker");
}

static void
gw_range_picker_init (GwRangePicker *self)
{
  const char *ranges[] = {
    _("Today"), _("This shift (8 h)"), _("Last 7 days"), _("Last 30 days"), _("Custom…"), NULL,
  };
  GtkWidget *content, *calendars, *apply;

  self->range = GW_STATS_RANGE_TODAY;
  self->before_custom = GW_STATS_RANGE_TODAY;

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->drop_down = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (ranges));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->drop_down), _("Cases received in this range"));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->drop_down));

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  calendars = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (calendars), calendar_column (_("From"), &self->from_calendar));
  gtk_box_append (GTK_BOX (calendars), calendar_column (_("To (included)"), &self->to_calendar));
  gtk_box_append (GTK_BOX (content), calendars);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));
  apply = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_add_css_class (apply, "suggested-action");
  gtk_widget_set_halign (apply, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (content), apply);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, content);
  self->dates_button = gtk_menu_button_new ();
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->dates_button), GTK_WIDGET (self->popover));
  gtk_widget_set_tooltip_text (self->dates_button, _("Choose the first and last day"));
  gtk_box_append (GTK_BOX (self->box), self->dates_button);
  update_dates_button (self);

  g_signal_connect (self->drop_down, "notify::selected", G_CALLBACK (selected_cb), self);
  g_signal_connect (apply, "clicked", G_CALLBACK (apply_clicked_cb), self);
  g_signal_connect (self->popover, "show", G_CALLBACK (popover_show_cb), self);
  g_signal_connect (self->popover, "closed", G_CALLBACK (popover_closed_cb), self);
}
