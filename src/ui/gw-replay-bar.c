/* gw-replay-bar.c — the replay scrubber under the wall's map */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-dispatch-feed.h"
#include "gw-history-fetch.h"
#include "gw-replay-bar.h"
#include "gw-replay-track.h"

static const double speeds[] = { 1, 10, 60, 600, 3600 };

struct _GwReplayBar {
  GtkWidget      parent_instance;

  /* Template */
  GtkWidget     *content;
  GtkLabel      *badge_label;
  GtkLabel      *time_label;
  GtkLabel      *date_label;
  GtkSpinner    *spinner;
  GtkLabel      *message_label;
  GtkMenuButton *day_button;
  GtkPopover    *day_popover;
  GtkCalendar   *calendar;
  GtkDropDown   *shift_dropdown;
  GtkButton     *play_button;
  GtkDropDown   *speed_dropdown;
  GwReplayTrack *track;

  GwReplay      *replay;
  GwFeed        *feed;
  GCancellable  *fetch_cancellable;
  char          *message;
  char          *badge;

  /* The day and shift on show; the history of a past day once it is installed. */
  int            year, month, day;
  GwReplayShift  shift;
  char          *history_day;     /* "YYYY-MM-DD" of the installed history, or NULL */
  guint          syncing;         /* > 0 while we set our own widgets */
};

G_DEFINE_FINAL_TYPE (GwReplayBar, gw_replay_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REPLAY,
  PROP_LOADING,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message (GwReplayBar *self,
             const char  *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->message_label), message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_loading (GwReplayBar *self,
             gboolean     loading)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->spinner)) == loading)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const char *
shift_label (GwReplayShift shift)
{
  switch (shift)
    {
    case GW_REPLAY_SHIFT_NIGHT:
      return _("Shift 00:00–08:00");
    case GW_REPLAY_SHIFT_DAY:
      return _("Shift 08:00–16:00");
    case GW_REPLAY_SHIFT_EVENING:
      return _("Shift 16:00–24:00");
    case GW_REPLAY_SHIFT_WHOLE_DAY:
    default:
      return _("Whole day");
    }
}

static gboolean
is_today (int year,
          int month,
          int day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_year (now) == year && g_date_time_get_month (now) == month &&
         g_date_time_get_day_of_month (now) == day;
}

/* ---- showing the replay's state ---- */

static void
update_time (GwReplayBar *self)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *hm = NULL, *hms = NULL, *date = NULL, *line = NULL;
  gboolean live;

  if (self->replay == NULL)
    return;
  live = gw_replay_get_live (self->replay);
  dt = g_date_time_new_from_unix_local (gw_replay_get_time (self->replay) / G_USEC_PER_SEC);
  hm = g_date_time_format (dt, "%H:%M");
  hms = g_date_time_format (dt, "%H:%M:%S");
  /* Translators: a date in the replay bar, see g_date_time_format() */
  date = g_date_time_format (dt, _("%a %-d %b %Y"));

  g_free (self->badge);
  /* Translators: the badge that tells the hall the wall is not live; %s is hh:mm */
  self->badge = live ? g_strdup (_("LIVE")) : g_strdup_printf (_("REPLAY %s"), hm);
  gtk_label_set_text (self->badge_label, self->badge);
  if (live)
    gtk_widget_add_css_class (GTK_WIDGET (self->badge_label), "live");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge_label), "live");
  gtk_label_set_text (self->time_label, hms);
  line = g_strdup_printf ("%s · %s", date, shift_label (self->shift));
  gtk_label_set_text (self->date_label, line);
}

static void
update_playing (GwReplayBar *self)
{
  gboolean playing = self->replay != NULL && gw_replay_get_playing (self->replay);

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause (Space)") : _("Play (Space)"));
}

static void
update_speed (GwReplayBar *self)
{
  double speed = self->replay ? gw_replay_get_speed (self->replay) : 1.0;
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (speeds); i++)
    if (fabs (speeds[i] - speed) < fabs (speeds[best] - speed))
      best = i;
  self->syncing++;
  gtk_drop_down_set_selected (self->speed_dropdown, best);
  self->syncing--;
}

/* The calendar, the day button and the shift show the selection. */
static void
update_selection (GwReplayBar *self)
{
  g_autoptr(GDateTime) date = g_date_time_new_local (self->year, self->month, self->day, 12, 0, 0);
  g_autofree char *label = NULL;

  if (date == NULL)
    return;
  self->syncing++;
  gtk_calendar_select_day (self->calendar, date);
  gtk_drop_down_set_selected (self->shift_dropdown, self->shift);
  self->syncing--;
  /* Translators: the day button when a past day is replayed, see g_date_time_format() */
  label = is_today (self->year, self->month, self->day) ? g_strdup (_("Today"))
                                                        : g_date_time_format (date, _("%-d %b %Y"));
  gtk_menu_button_set_label (self->day_button, label);
  update_time (self);
}

/* ---- choosing a day ---- */

/* Puts the replay on the selected day and shift, paused. */
static void
apply_range (GwReplayBar *self)
{
  g_autoptr(GDateTime) midnight = g_date_time_new_local (self->year, self->month, self->day,
                                                         0, 0, 0);
  g_autoptr(GDateTime) from = NULL, to = NULL;
  GwTime start, end, now = gw_time_now ();

  if (self->shift == GW_REPLAY_SHIFT_WHOLE_DAY)
    {
      from = g_date_time_ref (midnight);
      to = g_date_time_add_days (midnight, 1);
    }
  else
    {
      from = g_date_time_add_hours (midnight, 8 * (self->shift - GW_REPLAY_SHIFT_NIGHT));
      to = g_date_time_add_hours (from, 8);
    }
  start = g_date_time_to_unix (from) * G_USEC_PER_SEC;
  end = g_date_time_to_unix (to) * G_USEC_PER_SEC;

  /* "Today" on the counters is the replayed day, in local time as on the live wall. */
  gw_replay_set_utc_offset (self->replay,
                            (int) (g_date_time_get_utc_offset (midnight) / G_USEC_PER_SEC));
  gw_replay_set_day_start (self->replay, g_date_time_to_unix (midnight) * G_USEC_PER_SEC);
  gw_replay_set_range (self->replay, start, end);
  gw_replay_set_playing (self->replay, FALSE);
  gw_replay_set_time (self->replay, now >= start && now < end ? now : start);
  update_selection (self);
}

typedef struct {
  GwReplayBar   *self;
  int            year, month, day;
  GwReplayShift  shift;
} Pending;

static void
history_fetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree Pending *pending = user_data;
  g_autoptr(GwReplayBar) self = pending->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = gw_history_fetch_finish (GW_FEED (object), result, &error);
  g_autoptr(GwStore) store = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->fetch_cancellable);
  set_loading (self, FALSE);
  if (history == NULL)
    {
      g_autoptr(GDateTime) date = g_date_time_new_local (pending->year, pending->month,
                                                         pending->day, 12, 0, 0);
      g_autofree char *day = g_date_time_format (date, _("%-d %b %Y"));
      /* Translators: "Cannot replay 2 Dec 2026: <why>" */
      g_autofree char *text = g_strdup_printf (_("Cannot replay %s: %s"), day, error->message);

      set_message (self, text);
      update_selection (self);  /* back to the day still on show */
      return;
    }
  if (self->replay == NULL)
    return;

  g_object_get (self->replay, "store", &store, NULL);
  self->year = pending->year;
  self->month = pending->month;
  self->day = pending->day;
  self->shift = pending->shift;
  g_free (self->history_day);
  self->history_day = g_strdup_printf ("%04d-%02d-%02d", self->year, self->month, self->day);
  gw_replay_set_incidents (self->replay, history, store ? gw_store_get_classes (store) : NULL);
  apply_range (self);
}

void
gw_replay_bar_select_day (GwReplayBar   *self,
                          int            year,
                          int            month,
                          int            day,
                          GwReplayShift  shift)
{
  g_autoptr(GDateTime) midnight = NULL, now = NULL;
  g_autofree char *key = NULL;
  Pending *pending;

  g_return_if_fail (GW_IS_REPLAY_BAR (self));
  g_return_if_fail (shift <= GW_REPLAY_SHIFT_EVENING);

  if (self->replay == NULL)
    return;
  midnight = g_date_time_new_local (year, month, day, 0, 0, 0);
  g_return_if_fail (midnight != NULL);
  now = g_date_time_new_now_local ();

  set_message (self, NULL);
  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  set_loading (self, FALSE);

  if (g_date_time_compare (midnight, now) > 0)
    {
      set_message (self, _("Days after today cannot be replayed"));
      update_selection (self);
      return;
    }
  if (is_today (year, month, day))
    {
      /* Today is in the store, and stays current while it is replayed. */
      if (self->history_day != NULL)
        gw_replay_set_incidents (self->replay, NULL, NULL);
      g_clear_pointer (&self->history_day, g_free);
      self->year = year;
      self->month = month;
      self->day = day;
      self->shift = shift;
      apply_range (self);
      return;
    }

  key = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
  if (g_strcmp0 (key, self->history_day) == 0)
    {
      /* Another shift of the day already fetched. */
      self->shift = shift;
      apply_range (self);
      return;
    }
  if (self->feed == NULL)
    {
      set_message (self, _("Past days cannot be replayed before the source is connected"));
      update_selection (self);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->self = g_object_ref (self);
  pending->year = year;
  pending->month = month;
  pending->day = day;
  pending->shift = shift;
  self->fetch_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  {
    g_autoptr(GDateTime) end = g_date_time_add_days (midnight, 1);
    GwTime from = g_date_time_to_unix (midnight) * G_USEC_PER_SEC - GW_REPLAY_BAR_LOOKBACK;

    gw_history_fetch_async (self->feed, from, g_date_time_to_unix (end) * G_USEC_PER_SEC,
                            self->fetch_cancellable, history_fetched_cb, pending);
  }
}

void
gw_replay_bar_select_today (GwReplayBar *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (GW_IS_REPLAY_BAR (self));
  gw_replay_bar_select_day (self, g_date_time_get_year (now), g_date_time_get_month (now),
                            g_date_time_get_day_of_month (now), GW_REPLAY_SHIFT_WHOLE_DAY);
}

/* ---- template callbacks ---- */

static void
calendar_day_selected_cb (GwReplayBar *self,
                          GtkCalendar *calendar)
{
  g_autoptr(GDateTime) date = NULL;

  if (self->syncing > 0)
    return;
  date = gtk_calendar_get_date (calendar);
  gtk_popover_popdown (self->day_popover);
  gw_replay_bar_select_day (self, g_date_time_get_year (date), g_date_time_get_month (date),
                            g_date_time_get_day_of_month (date), self->shift);
}

static void
shift_selected_cb (GwReplayBar *self,
                   GParamSpec  *pspec,
                   GtkDropDown *dropdown)
{
  if (self->syncing > 0)
    return;
  gw_replay_bar_select_day (self, self->year, self->month, self->day,
                            MIN (gtk_drop_down_get_selected (dropdown), GW_REPLAY_SHIFT_EVENING));
}

static void
speed_selected_cb (GwReplayBar *self,
                   GParamSpec  *pspec,
                   GtkDropDown *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->syncing > 0 || self->replay == NULL || i >= G_N_ELEMENTS (speeds))
    return;
  gw_replay_set_speed (self->replay, speeds[i]);
}

/* ---- actions ---- */

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GwReplayBar *self = GW_REPLAY_BAR (widget);

  if (self->replay != NULL)
    gw_replay_set_playing (self->replay, !gw_replay_get_playing (self->replay));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GwReplayBar *self = GW_REPLAY_BAR (widget);
  gboolean moved;

  if (self->replay == NULL)
    return;
  moved = g_str_equal (action_name, "replay.step-forward")
          ? gw_replay_step_forward (self->replay) : gw_replay_step_backward (self->replay);
  if (!moved)
    gtk_widget_error_bell (widget);
}

static void
live_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GwReplayBar *self = GW_REPLAY_BAR (widget);

  if (self->replay != NULL)
    gw_replay_return_to_live (self->replay);
}

/* ---- GObject ---- */

static void
gw_replay_bar_dispose (GObject *object)
{
  GwReplayBar *self = GW_REPLAY_BAR (object);

  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  gw_replay_bar_set_replay (self, NULL);
  g_clear_object (&self->feed);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_REPLAY_BAR);

  G_OBJECT_CLASS (gw_replay_bar_parent_class)->dispose (object);
}

static void
gw_replay_bar_finalize (GObject *object)
{
  GwReplayBar *self = GW_REPLAY_BAR (object);

  g_free (self->message);
  g_free (self->badge);
  g_free (self->history_day);

  G_OBJECT_CLASS (gw_replay_bar_parent_class)->finalize (object);
}

static void
gw_replay_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GwReplayBar *self = GW_REPLAY_BAR (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      g_value_set_object (value, self->replay);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, gw_replay_bar_get_loading (self));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GwReplayBar *self = GW_REPLAY_BAR (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      gw_replay_bar_set_replay (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_bar_class_init (GwReplayBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_replay_bar_dispose;
  object_class->finalize = gw_replay_bar_finalize;
  object_class->get_property = gw_replay_bar_get_property;
  object_class->set_property = gw_replay_bar_set_property;

  properties[PROP_REPLAY] =
    g_param_spec_object ("replay", NULL, NULL, GW_TYPE_REPLAY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GW_TYPE_REPLAY_TRACK);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-replay-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, content);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, badge_label);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, time_label);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, date_label);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, message_label);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, day_button);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, day_popover);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, calendar);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, shift_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GwReplayBar, track);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, shift_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_selected_cb);

  gtk_widget_class_install_action (widget_class, "replay.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "replay.step-backward", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "replay.step-forward", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "replay.live", NULL, live_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "replay.play-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "replay.step-backward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "replay.step-forward", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "replaybar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
gw_replay_bar_init (GwReplayBar *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->year = g_date_time_get_year (now);
  self->month = g_date_time_get_month (now);
  self->day = g_date_time_get_day_of_month (now);
  update_selection (self);
  update_playing (self);
}

/* ---- API ---- */

GtkWidget *
gw_replay_bar_new (void)
{
  return g_object_new (GW_TYPE_REPLAY_BAR, NULL);
}

void
gw_replay_bar_set_replay (GwReplayBar *self,
                          GwReplay    *replay)
{
  g_return_if_fail (GW_IS_REPLAY_BAR (self));
  g_return_if_fail (replay == NULL || GW_IS_REPLAY (replay));

  if (self->replay == replay)
    return;
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, replay);
  g_clear_pointer (&self->history_day, g_free);
  if (self->track != NULL)
    gw_replay_track_set_replay (self->track, replay);
  if (replay != NULL)
    {
      g_signal_connect_swapped (replay, "notify::time", G_CALLBACK (update_time), self);
      g_signal_connect_swapped (replay, "notify::live", G_CALLBACK (update_time), self);
      g_signal_connect_swapped (replay, "notify::playing", G_CALLBACK (update_playing), self);
      g_signal_connect_swapped (replay, "notify::speed", G_CALLBACK (update_speed), self);
      update_time (self);
      update_playing (self);
      update_speed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLAY]);
}

GwReplay *
gw_replay_bar_get_replay (GwReplayBar *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_BAR (self), NULL);
  return self->replay;
}

void
gw_replay_bar_set_feed (GwReplayBar *self,
                        GwFeed      *feed)
{
  g_return_if_fail (GW_IS_REPLAY_BAR (self));
  g_return_if_fail (feed == NULL || GW_IS_FEED (feed));

  g_set_object (&self->feed, feed);
  /* Say up front what the calendar can give. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->day_button),
                               feed == NULL || GW_IS_DISPATCH_FEED (feed)
                               ? _("Day to replay")
                               : _("Day to replay: this source (Open311) has no history by "
                                   "day, only today can be replayed"));
}

gboolean
gw_replay_bar_get_loading (GwReplayBar *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_BAR (self), FALSE);
  return self->fetch_cancellable != NULL;
}

const char *
gw_replay_bar_get_message (GwReplayBar *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_BAR (self), NULL);
  return self->message;
}

const char *
gw_replay_bar_get_badge (GwReplayBar *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_BAR (self), NULL);
  return self->badge;
}
