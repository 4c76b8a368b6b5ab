/* gw-replay-track.c — the replay's scrub track: its range, event density and cursor */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gw-replay-track.h"

#define PAD_X     12.0   /* room for the cursor's knob and the first and last labels */
#define BAND_H    36.0
#define AXIS_H    20.0
#define KNOB_R    7.0

struct _GwReplayTrack {
  GtkWidget      parent_instance;

  GwReplay      *replay;
  GwReplayIndex *counted_index;   /* what the bins were counted from */
  GwTime         counted_start, counted_end;
  guint          bins[GW_REPLAY_TRACK_N_BINS];
  guint          max_bin;
  GHashTable    *layouts;         /* label text → PangoLayout */
};

G_DEFINE_FINAL_TYPE (GwReplayTrack, gw_replay_track, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REPLAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Adwaita's palette: blue 3 for what was played and the density, red 3 for the cursor
 * (the same red as the REPLAY badge). */
static const GdkRGBA accent = { 0.208, 0.518, 0.894, 1.0 };
static const GdkRGBA cursor_red = { 0.878, 0.106, 0.141, 1.0 };

void
gw_replay_track_get_range (GwReplayTrack *self,
                           GwTime        *start,
                           GwTime        *end)
{
  GwTime s = GW_TIME_NONE, e = GW_TIME_NONE;
  const GwTime day = 24 * GW_USEC_PER_HOUR;

  g_return_if_fail (GW_IS_REPLAY_TRACK (self));

  if (self->replay != NULL)
    {
      s = gw_replay_get_start (self->replay);
      e = gw_replay_get_end (self->replay);
    }
  if (s == GW_TIME_NONE && e == GW_TIME_NONE)
    e = gw_time_now ();
  if (s == GW_TIME_NONE)
    s = e - day;
  if (e == GW_TIME_NONE || e <= s)
    e = s + day;
  *start = s;
  *end = e;
}

double
gw_replay_track_time_to_x (GwReplayTrack *self,
                           GwTime         t)
{
  GwTime s, e;
  double w = MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - 2 * PAD_X);

  gw_replay_track_get_range (self, &s, &e);
  return PAD_X + w * (double) (t - s) / (double) (e - s);
}

GwTime
gw_replay_track_x_to_time (GwReplayTrack *self,
                           double         x)
{
  GwTime s, e;
  double w = MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - 2 * PAD_X);
  double f = CLAMP ((x - PAD_X) / w, 0.0, 1.0);

  gw_replay_track_get_range (self, &s, &e);
  return s + (GwTime) llround (f * (double) (e - s));
}

guint
gw_replay_track_get_bin (GwReplayTrack *self,
                         guint          i)
{
  g_return_val_if_fail (GW_IS_REPLAY_TRACK (self), 0);
  g_return_val_if_fail (i < GW_REPLAY_TRACK_N_BINS, 0);
  return self->bins[i];
}

/* Every event of every case in the range, by bin: done when the index or the range
 * changes, so a frame only reads the counts. */
static void
count_bins (GwReplayTrack *self)
{
  GwReplayIndex *index = self->replay ? gw_replay_get_index (self->replay) : NULL;
  GwTime s, e;

  gw_replay_track_get_range (self, &s, &e);
  if (index == self->counted_index && s == self->counted_start && e == self->counted_end)
    return;

  memset (self->bins, 0, sizeof self->bins);
  self->max_bin = 0;
  self->counted_start = s;
  self->counted_end = e;
  g_clear_pointer (&self->counted_index, gw_replay_index_unref);
  if (index == NULL)
    return;
  self->counted_index = gw_replay_index_ref (index);

  for (guint i = 0; i < gw_replay_index_get_n_cases (index); i++)
    {
      const GwStageSpans *spans = gw_replay_index_get_spans (index, i);

      for (guint k = 0; k < gw_stage_spans_get_n_spans (spans); k++)
        {
          GwTime t = gw_stage_spans_get_span (spans, k)->start;
          guint bin;

          if (t < s || t >= e)
            continue;
          bin = (guint) ((t - s) * GW_REPLAY_TRACK_N_BINS / (e - s));
          self->bins[bin]++;
          self->max_bin = MAX (self->max_bin, self->bins[bin]);
        }
    }
}

static PangoLayout *
label_layout (GwReplayTrack *self,
              const char    *text)
{
  PangoLayout *layout = g_hash_table_lookup (self->layouts, text);

  if (layout == NULL)
    {
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      g_hash_table_insert (self->layouts, g_strdup (text), layout);
    }
  return layout;
}

static void
snapshot_axis (GwReplayTrack *self,
               GtkSnapshot   *snapshot,
               const GdkRGBA *fg,
               double         width)
{
  static const int steps_h[] = { 1, 2, 3, 4, 6, 12 };
  GwTime s, e, step = GW_USEC_PER_HOUR, t;
  g_autoptr(GDateTime) local = NULL;
  GwTime offset;
  GdkRGBA tick = *fg;

  gw_replay_track_get_range (self, &s, &e);
  local = g_date_time_new_from_unix_local (s / G_USEC_PER_SEC);
  offset = g_date_time_get_utc_offset (local);
  tick.alpha *= 0.65;
  for (guint i = 0; i < G_N_ELEMENTS (steps_h); i++)
    {
      step = steps_h[i] * GW_USEC_PER_HOUR;
      if (step * (width - 2 * PAD_X) / (e - s) >= 56)
        break;
    }

  /* Ticks on whole local hours. */
  for (t = (s + offset + step - 1) / step * step - offset; t <= e; t += step)
    {
      double x = gw_replay_track_time_to_x (self, t);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format (dt, "%H:%M");
      PangoLayout *layout = label_layout (self, text);
      int lw, lh;

      gtk_snapshot_append_color (snapshot, &tick, &GRAPHENE_RECT_INIT (floor (x), BAND_H, 1, 4));
      pango_layout_get_pixel_size (layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (round (CLAMP (x - lw / 2.0, 0, width - lw)),
                                                    BAND_H + 4));
      gtk_snapshot_append_layout (snapshot, layout, &tick);
      gtk_snapshot_restore (snapshot);
    }
}

static void
gw_replay_track_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  GwReplayTrack *self = GW_REPLAY_TRACK (widget);
  double width = gtk_widget_get_width (widget);
  double x0 = PAD_X, x1 = width - PAD_X;
  GwTime s, e, now = gw_time_now ();
  GskRoundedRect band;
  GdkRGBA fg, base, density = accent, played = accent, future;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
G_GNUC_END_IGNORE_DEPRECATIONS
  count_bins (self);
  gw_replay_track_get_range (self, &s, &e);

  base = fg;
  base.alpha *= 0.08;
  gsk_rounded_rect_init_from_rect (&band, &GRAPHENE_RECT_INIT (x0, 0, x1 - x0, BAND_H), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &band);
  gtk_snapshot_append_color (snapshot, &base, &band.bounds);

  /* How busy each bin was: taller is busier. */
  density.alpha = 0.85;
  for (guint i = 0; i < GW_REPLAY_TRACK_N_BINS && self->max_bin > 0; i++)
    {
      double bx = x0 + (x1 - x0) * i / GW_REPLAY_TRACK_N_BINS;
      double bw = MAX (1.0, (x1 - x0) / GW_REPLAY_TRACK_N_BINS - 1);
      double h = (BAND_H - 8) * self->bins[i] / self->max_bin;

      if (self->bins[i] > 0)
        gtk_snapshot_append_color (snapshot, &density,
                                   &GRAPHENE_RECT_INIT (bx, BAND_H - 4 - MAX (h, 2), bw, MAX (h, 2)));
    }

  if (self->replay != NULL)
    {
      double xt = gw_replay_track_time_to_x (self, gw_replay_get_time (self->replay));

      played.alpha = 0.18;
      gtk_snapshot_append_color (snapshot, &played,
                                 &GRAPHENE_RECT_INIT (x0, 0, CLAMP (xt, x0, x1) - x0, BAND_H));
    }
  /* Nothing to see after the present. */
  if (now < e)
    {
      double xn = CLAMP (gw_replay_track_time_to_x (self, now), x0, x1);

      future = fg;
      future.alpha *= 0.12;
      gtk_snapshot_append_color (snapshot, &future, &GRAPHENE_RECT_INIT (xn, 0, x1 - xn, BAND_H));
    }
  gtk_snapshot_pop (snapshot);

  snapshot_axis (self, snapshot, &fg, width);

  if (self->replay != NULL)
    {
      double xt = CLAMP (gw_replay_track_time_to_x (self, gw_replay_get_time (self->replay)),
                         x0, x1);
      GskRoundedRect knob;

      gtk_snapshot_append_color (snapshot, &cursor_red,
                                 &GRAPHENE_RECT_INIT (round (xt) - 1.5, 0, 3, BAND_H));
      gsk_rounded_rect_init_from_rect (&knob, &GRAPHENE_RECT_INIT (xt - KNOB_R, -1, 2 * KNOB_R,
                                                                   2 * KNOB_R), KNOB_R);
      gtk_snapshot_push_rounded_clip (snapshot, &knob);
      gtk_snapshot_append_color (snapshot, &cursor_red, &knob.bounds);
      gtk_snapshot_pop (snapshot);
    }
}

static void
gw_replay_track_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 240;
  else
    *minimum = *natural = (int) (BAND_H + AXIS_H);
}

/* ---- scrubbing ---- */

static void
scrub_to (GwReplayTrack *self,
          double         x)
{
  if (self->replay == NULL)
    return;
  /* There is nothing to replay after the present. */
  gw_replay_set_time (self->replay, MIN (gw_replay_track_x_to_time (self, x), gw_time_now ()));
}

static void
drag_begin_cb (GwReplayTrack  *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->replay != NULL)
    gw_replay_set_playing (self->replay, FALSE);
  scrub_to (self, x);
}

static void
drag_update_cb (GwReplayTrack  *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    scrub_to (self, x + dx);
}

/* ---- following the replay ---- */

static void
update_accessible (GwReplayTrack *self)
{
  GwTime s, e;

  if (self->replay == NULL)
    return;
  gw_replay_track_get_range (self, &s, &e);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX,
                                  (double) (e - s) / G_USEC_PER_SEC,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                  (double) CLAMP (gw_replay_get_time (self->replay) - s, 0, e - s)
                                  / G_USEC_PER_SEC,
                                  -1);
}

static void
replay_changed_cb (GwReplayTrack *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- GObject ---- */

static void
gw_replay_track_dispose (GObject *object)
{
  GwReplayTrack *self = GW_REPLAY_TRACK (object);

  gw_replay_track_set_replay (self, NULL);
  g_clear_pointer (&self->counted_index, gw_replay_index_unref);

  G_OBJECT_CLASS (gw_replay_track_parent_class)->dispose (object);
}

static void
gw_replay_track_finalize (GObject *object)
{
  GwReplayTrack *self = GW_REPLAY_TRACK (object);

  g_clear_pointer (&self->layouts, g_hash_table_unref);

  G_OBJECT_CLASS (gw_replay_track_parent_class)->finalize (object);
}

static void
gw_replay_track_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GwReplayTrack *self = GW_REPLAY_TRACK (widget);

  GTK_WIDGET_CLASS (gw_replay_track_parent_class)->css_changed (widget, change);
  /* Fonts may have changed. */
  g_hash_table_remove_all (self->layouts);
}

static void
gw_replay_track_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GwReplayTrack *self = GW_REPLAY_TRACK (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      g_value_set_object (value, self->replay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_track_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GwReplayTrack *self = GW_REPLAY_TRACK (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      gw_replay_track_set_replay (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_track_class_init (GwReplayTrackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_replay_track_dispose;
  object_class->finalize = gw_replay_track_finalize;
  object_class->get_property = gw_replay_track_get_property;
  object_class->set_property = gw_replay_track_set_property;
  widget_class->snapshot = gw_replay_track_snapshot;
  widget_class->measure = gw_replay_track_measure;
  widget_class->css_changed = gw_replay_track_css_changed;

  properties[PROP_REPLAY] =
    g_param_spec_object ("replay", NULL, NULL, GW_TYPE_REPLAY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "replaytrack");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
gw_replay_track_init (GwReplayTrack *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Click or drag to scrub"));
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Replay time"), -1);
}

/* ---- API ---- */

GtkWidget *
gw_replay_track_new (void)
{
  return g_object_new (GW_TYPE_REPLAY_TRACK, NULL);
}

void
gw_replay_track_set_replay (GwReplayTrack *self,
                            GwReplay      *replay)
{
  g_return_if_fail (GW_IS_REPLAY_TRACK (self));
  g_return_if_fail (replay == NULL || GW_IS_REPLAY (replay));

  if (self->replay == replay)
    return;
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, replay);
  if (replay != NULL)
    {
      g_signal_connect_swapped (replay, "notify::time", G_CALLBACK (replay_changed_cb), self);
      g_signal_connect_swapped (replay, "notify::start", G_CALLBACK (replay_changed_cb), self);
      g_signal_connect_swapped (replay, "notify::end", G_CALLBACK (replay_changed_cb), self);
      g_signal_connect_swapped (replay, "state-changed", G_CALLBACK (replay_changed_cb), self);
      update_accessible (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLAY]);
}

GwReplay *
gw_replay_track_get_replay (GwReplayTrack *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_TRACK (self), NULL);
  return self->replay;
}
