/* gw-replay.c — the replay scrubber: a time, a speed, play and pause, live */

#include "gw-replay.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * The scrubber
 */

/* Play ticks often enough for a smooth scrub; live ticks only move dwell bars. */
#define PLAY_TICK_MS 50
#define LIVE_TICK_MS 1000
/* A store applies a batch per feed message: gather a burst into one rebuild. */
#define REBUILD_DELAY_MS 500

struct _GwReplay {
  GObject        parent_instance;

  GwStore       *store;
  gulong         changed_id;
  gulong         reference_id;
  GPtrArray     *incidents;       /* explicit history, or NULL for the store's */
  GPtrArray     *classes;

  GwReplayIndex *index;
  GwReplayState *state;
  GCancellable  *build_cancellable;
  guint          rebuild_id;
  guint          tick_id;
  guint          tick_ms;

  GwTime         time;
  GwTime         start;
  GwTime         end;
  GwTime         day_start;
  int            utc_offset;
  double         speed;
  gboolean       playing;
  gboolean       live;
  GwTime         last_tick;

  GwTime       (*now_func) (gpointer);
  gpointer       now_data;
};

G_DEFINE_FINAL_TYPE (GwReplay, gw_replay, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TIME,
  PROP_SPEED,
  PROP_PLAYING,
  PROP_LIVE,
  PROP_START,
  PROP_END,
  PROP_DAY_START,
  PROP_UTC_OFFSET,
  PROP_BUILDING,
  N_PROPS
};

enum {
  STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void update_tick (GwReplay *self);
static void start_build (GwReplay *self);

static GwTime
real_now (GwReplay *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : gw_time_now ();
}

/* Elapsed time is measured on the monotonic clock, so a wall-clock jump does not
 * throw the replay forwards or back. */
static GwTime
tick_clock (GwReplay *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : g_get_monotonic_time ();
}

static GwTime
clamp_to_range (GwReplay *self,
                GwTime    t)
{
  if (self->start != GW_TIME_NONE && t < self->start)
    t = self->start;
  if (self->end != GW_TIME_NONE && t > self->end)
    t = self->end;
  return t;
}

/* The midnight at or before @t, at @offset seconds east of UTC. */
static GwTime
midnight_before (GwTime t,
                 int    offset)
{
  const GwTime day = 24 * GW_USEC_PER_HOUR;
  GwTime local = t + (GwTime) offset * GW_USEC_PER_SEC;
  GwTime rem = local % day;

  if (rem < 0)
    rem += day;
  return t - rem;
}

static GwTime
effective_day_start (GwReplay *self,
                     GwTime    t)
{
  return self->day_start != GW_TIME_NONE ? self->day_start : midnight_before (t, self->utc_offset);
}

static void
update_state (GwReplay *self)
{
  if (self->index == NULL)
    return;
  if (self->state == NULL || self->state->n_cases != gw_replay_index_get_n_cases (self->index))
    {
      g_clear_pointer (&self->state, gw_replay_state_free);
      self->state = gw_replay_state_new (self->index);
    }
  gw_replay_index_state_at (self->index, self->time, effective_day_start (self, self->time),
                            self->state);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
}

static void
set_time_internal (GwReplay *self,
                   GwTime    t)
{
  if (t != self->time)
    {
      self->time = t;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIME]);
    }
  update_state (self);
}

static void
set_playing_internal (GwReplay *self,
                      gboolean  playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  self->last_tick = tick_clock (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
}

static void
set_live_internal (GwReplay *self,
                   gboolean  live)
{
  if (self->live == live)
    return;
  self->live = live;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LIVE]);
}

static guint
wanted_tick_ms (GwReplay *self)
{
  return self->live ? LIVE_TICK_MS : self->playing ? PLAY_TICK_MS : 0;
}

static gboolean
tick_cb (gpointer data)
{
  g_autoptr(GwReplay) self = g_object_ref (data);
  GwTime clock, t, now;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->live)
    set_time_internal (self, real_now (self));
  else if (self->playing)
    {
      clock = tick_clock (self);
      t = self->time + (GwTime) ((double) MAX (0, clock - self->last_tick) * self->speed);
      self->last_tick = clock;
      now = real_now (self);

      if (self->end != GW_TIME_NONE && t >= self->end && self->end < now)
        {
          set_playing_internal (self, FALSE);
          set_time_internal (self, self->end);
        }
      else if (t >= now)
        {
          /* Nothing to replay beyond the present: follow it. */
          set_playing_internal (self, FALSE);
          set_live_internal (self, TRUE);
          set_time_internal (self, now);
        }
      else
        set_time_internal (self, t);
    }
  g_object_thaw_notify (G_OBJECT (self));

  /* A handler may have replaced this source already; otherwise keep it only while its
   * rate is still the one the mode wants. */
  if (self->tick_id == 0 || wanted_tick_ms (self) == self->tick_ms)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  self->tick_ms = 0;
  update_tick (self);
  return G_SOURCE_REMOVE;
}

/* Runs the tick at the rate the mode needs, or not at all while paused. */
static void
update_tick (GwReplay *self)
{
  guint ms = wanted_tick_ms (self);

  if (ms == self->tick_ms && (ms == 0 || self->tick_id != 0))
    return;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_ms = ms;
  if (ms != 0)
    {
      self->tick_id = g_timeout_add (ms, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "[gridwatch] replay tick");
    }
}

/* ---- building the index ---- */

typedef struct {
  GPtrArray *incidents;
  GPtrArray *classes;
  GwTime     from, to;
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *build = data;

  g_clear_pointer (&build->incidents, g_ptr_array_unref);
  g_clear_pointer (&build->classes, g_ptr_array_unref);
  g_free (build);
}

static GPtrArray *
copy_refs (GPtrArray      *array,
           GCopyFunc       ref,
           GDestroyNotify  unref)
{
  GPtrArray *copy = g_ptr_array_new_full (array != NULL ? array->len : 0, unref);

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (copy, ref (g_ptr_array_index (array, i), NULL));
  return copy;
}

static gpointer
ref_incident (gconstpointer src,
              gpointer      data)
{
  return gw_incident_ref ((GwIncident *) src);
}

static gpointer
ref_class (gconstpointer src,
           gpointer      data)
{
  return gw_incident_class_ref ((GwIncidentClass *) src);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *build = task_data;

  g_task_return_pointer (task,
                         gw_replay_index_new (build->incidents, build->classes,
                                              build->from, build->to),
                         (GDestroyNotify) gw_replay_index_unref);
}

static void
install_index (GwReplay      *self,
               GwReplayIndex *index)
{
  g_clear_pointer (&self->index, gw_replay_index_unref);
  self->index = index;
  g_clear_pointer (&self->state, gw_replay_state_free);
  update_state (self);
}

static void
build_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GwReplay *self = GW_REPLAY (object);
  GwReplayIndex *index = g_task_propagate_pointer (G_TASK (result), NULL);

  /* A newer build replaced this one (or we are being disposed). */
  if (g_task_get_cancellable (G_TASK (result)) != self->build_cancellable)
    {
      g_clear_pointer (&index, gw_replay_index_unref);
      return;
    }
  g_clear_object (&self->build_cancellable);
  if (index != NULL)
    install_index (self, index);
  g_object_notify_by_pspec (object, props[PROP_BUILDING]);
}

static void
start_build (GwReplay *self)
{
  g_autoptr(GTask) task = NULL;
  BuildData *build;
  gboolean was_building = self->build_cancellable != NULL;
  GPtrArray *classes;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->incidents == NULL && self->store == NULL)
    return;

  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  self->build_cancellable = g_cancellable_new ();

  /* The worker gets its own references: the store may replace its contents meanwhile. */
  build = g_new0 (BuildData, 1);
  if (self->incidents != NULL)
    {
      build->incidents = copy_refs (self->incidents, ref_incident,
                                    (GDestroyNotify) gw_incident_unref);
      classes = self->classes;
    }
  else
    {
      build->incidents = gw_store_list (self->store);
      classes = gw_store_get_classes (self->store);
    }
  build->classes = copy_refs (classes, ref_class, (GDestroyNotify) gw_incident_class_unref);
  /* Keep what the counters can look back to: the range, from the start of its day. */
  build->from = self->start != GW_TIME_NONE
                ? MIN (self->start, effective_day_start (self, self->start)) : GW_TIME_NONE;
  build->to = self->end;

  task = g_task_new (self, self->build_cancellable, build_done, NULL);
  g_task_set_source_tag (task, start_build);
  g_task_set_task_data (task, build, build_data_free);
  g_task_run_in_thread (task, build_thread);

  if (!was_building)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUILDING]);
}

static gboolean
rebuild_cb (gpointer data)
{
  GwReplay *self = data;

  self->rebuild_id = 0;
  start_build (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rebuild (GwReplay *self)
{
  if (self->rebuild_id == 0 && self->incidents == NULL)
    {
      self->rebuild_id = g_timeout_add (REBUILD_DELAY_MS, rebuild_cb, self);
      g_source_set_name_by_id (self->rebuild_id, "[gridwatch] replay rebuild");
    }
}

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  GwReplay      *self)
{
  schedule_rebuild (self);
}

static void
store_reference_changed_cb (GwStore  *store,
                            GwReplay *self)
{
  schedule_rebuild (self);
}

/* ---- GObject ---- */

static void
gw_replay_constructed (GObject *object)
{
  GwReplay *self = GW_REPLAY (object);

  G_OBJECT_CLASS (gw_replay_parent_class)->constructed (object);

  self->time = real_now (self);
  if (self->store != NULL)
    {
      self->changed_id = g_signal_connect (self->store, "changed",
                                           G_CALLBACK (store_changed_cb), self);
      self->reference_id = g_signal_connect (self->store, "reference-changed",
                                             G_CALLBACK (store_reference_changed_cb), self);
      start_build (self);
    }
  update_tick (self);
}

static void
gw_replay_dispose (GObject *object)
{
  GwReplay *self = GW_REPLAY (object);

  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->reference_id, self->store);
    }
  g_clear_object (&self->store);
  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->index, gw_replay_index_unref);

  G_OBJECT_CLASS (gw_replay_parent_class)->dispose (object);
}

static void
gw_replay_finalize (GObject *object)
{
  GwReplay *self = GW_REPLAY (object);

  g_clear_pointer (&self->state, gw_replay_state_free);

  G_OBJECT_CLASS (gw_replay_parent_class)->finalize (object);
}

static void
gw_replay_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GwReplay *self = GW_REPLAY (object);

  switch (prop_id)
    {
    case PROP_STORE:      g_value_set_object (value, self->store); break;
    case PROP_TIME:       g_value_set_int64 (value, self->time); break;
    case PROP_SPEED:      g_value_set_double (value, self->speed); break;
    case PROP_PLAYING:    g_value_set_boolean (value, self->playing); break;
    case PROP_LIVE:       g_value_set_boolean (value, self->live); break;
    case PROP_START:      g_value_set_int64 (value, self->start); break;
    case PROP_END:        g_value_set_int64 (value, self->end); break;
    case PROP_DAY_START:  g_value_set_int64 (value, self->day_start); break;
    case PROP_UTC_OFFSET: g_value_set_int (value, self->utc_offset); break;
    case PROP_BUILDING:   g_value_set_boolean (value, self->build_cancellable != NULL); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GwReplay *self = GW_REPLAY (object);

  switch (prop_id)
    {
    case PROP_STORE:      self->store = g_value_dup_object (value); break;
    case PROP_TIME:       gw_replay_set_time (self, g_value_get_int64 (value)); break;
    case PROP_SPEED:      gw_replay_set_speed (self, g_value_get_double (value)); break;
    case PROP_PLAYING:    gw_replay_set_playing (self, g_value_get_boolean (value)); break;
    case PROP_LIVE:       gw_replay_set_live (self, g_value_get_boolean (value)); break;
    case PROP_START:      gw_replay_set_range (self, g_value_get_int64 (value), self->end); break;
    case PROP_END:        gw_replay_set_range (self, self->start, g_value_get_int64 (value)); break;
    case PROP_DAY_START:  gw_replay_set_day_start (self, g_value_get_int64 (value)); break;
    case PROP_UTC_OFFSET: gw_replay_set_utc_offset (self, g_value_get_int (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_class_init (GwReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = gw_replay_constructed;
  object_class->dispose = gw_replay_dispose;
  object_class->finalize = gw_replay_finalize;
  object_class->get_property = gw_replay_get_property;
  object_class->set_property = gw_replay_set_property;

  props[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, GW_TYPE_STORE,
                                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                           G_PARAM_STATIC_STRINGS);
  props[PROP_TIME] = g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0, rw);
  props[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, GW_REPLAY_SPEED_MIN,
                                           GW_REPLAY_SPEED_MAX, 1.0, rw);
  props[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  props[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, TRUE, rw);
  props[PROP_START] = g_param_spec_int64 ("start", NULL, NULL, 0, G_MAXINT64, 0, rw);
  props[PROP_END] = g_param_spec_int64 ("end", NULL, NULL, 0, G_MAXINT64, 0, rw);
  props[PROP_DAY_START] = g_param_spec_int64 ("day-start", NULL, NULL, 0, G_MAXINT64, 0, rw);
  props[PROP_UTC_OFFSET] = g_param_spec_int ("utc-offset", NULL, NULL, -14 * 3600, 14 * 3600,
                                             8 * 3600, rw);
  props[PROP_BUILDING] = g_param_spec_boolean ("building", NULL, NULL, FALSE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The state at the current time was recomputed: read gw_replay_get_state(). */
  signals[STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
gw_replay_init (GwReplay *self)
{
  self->speed = 1.0;
  self->live = TRUE;
  self->utc_offset = 8 * 3600;  /* Beijing time, where the street is */
}

/* ---- API ---- */

GwReplay *
gw_replay_new (GwStore *store)
{
  g_return_val_if_fail (store == NULL || GW_IS_STORE (store), NULL);
  return g_object_new (GW_TYPE_REPLAY, "store", store, NULL);
}

void
gw_replay_set_incidents (GwReplay  *self,
                         GPtrArray *incidents,
                         GPtrArray *classes)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  if (incidents != NULL)
    {
      self->incidents = copy_refs (incidents, ref_incident, (GDestroyNotify) gw_incident_unref);
      if (classes != NULL)
        self->classes = copy_refs (classes, ref_class, (GDestroyNotify) gw_incident_class_unref);
    }
  start_build (self);
}

void
gw_replay_set_index (GwReplay      *self,
                     GwReplayIndex *index)
{
  g_return_if_fail (GW_IS_REPLAY (self));
  g_return_if_fail (index != NULL);

  /* A running build would replace this index when it lands. */
  if (self->build_cancellable != NULL)
    {
      g_cancellable_cancel (self->build_cancellable);
      g_clear_object (&self->build_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUILDING]);
    }
  install_index (self, gw_replay_index_ref (index));
}

GwReplayIndex *
gw_replay_get_index (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), NULL);
  return self->index;
}

gboolean
gw_replay_get_building (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), FALSE);
  return self->build_cancellable != NULL;
}

const GwReplayState *
gw_replay_get_state (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), NULL);
  return self->state;
}

void
gw_replay_set_range (GwReplay *self,
                     GwTime    start,
                     GwTime    end)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  if (start != GW_TIME_NONE && end != GW_TIME_NONE && end < start)
    end = start;
  if (start == self->start && end == self->end)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->start = start;
  self->end = end;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_START]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END]);
  if (!self->live)
    set_time_internal (self, clamp_to_range (self, self->time));
  g_object_thaw_notify (G_OBJECT (self));

  /* The window decides which cases the index holds. */
  if (self->index != NULL || self->build_cancellable != NULL)
    start_build (self);
}

GwTime
gw_replay_get_start (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), GW_TIME_NONE);
  return self->start;
}

GwTime
gw_replay_get_end (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), GW_TIME_NONE);
  return self->end;
}

void
gw_replay_set_day_start (GwReplay *self,
                         GwTime    day_start)
{
  g_return_if_fail (GW_IS_REPLAY (self));
  if (self->day_start == day_start)
    return;
  self->day_start = day_start;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DAY_START]);
  update_state (self);
}

GwTime
gw_replay_get_day_start (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), GW_TIME_NONE);
  return self->day_start;
}

void
gw_replay_set_utc_offset (GwReplay *self,
                          int       seconds)
{
  g_return_if_fail (GW_IS_REPLAY (self));
  if (self->utc_offset == seconds)
    return;
  self->utc_offset = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UTC_OFFSET]);
  update_state (self);
}

int
gw_replay_get_utc_offset (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), 0);
  return self->utc_offset;
}

void
gw_replay_set_time (GwReplay *self,
                    GwTime    t)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_live_internal (self, FALSE);
  set_time_internal (self, clamp_to_range (self, t));
  g_object_thaw_notify (G_OBJECT (self));
  update_tick (self);
}

GwTime
gw_replay_get_time (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), GW_TIME_NONE);
  return self->time;
}

void
gw_replay_set_speed (GwReplay *self,
                     double    speed)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  speed = CLAMP (speed, GW_REPLAY_SPEED_MIN, GW_REPLAY_SPEED_MAX);
  if (speed == self->speed)
    return;
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SPEED]);
}

double
gw_replay_get_speed (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), 1.0);
  return self->speed;
}

void
gw_replay_set_playing (GwReplay *self,
                       gboolean  playing)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (playing)
    {
      /* From live, or at the end of the range, play the range from its start: there is
       * nothing to play after the present. */
      gboolean restart = self->live || (self->end != GW_TIME_NONE && self->time >= self->end);

      set_live_internal (self, FALSE);
      if (restart && self->start != GW_TIME_NONE)
        set_time_internal (self, self->start);
    }
  set_playing_internal (self, playing);
  g_object_thaw_notify (G_OBJECT (self));
  update_tick (self);
}

gboolean
gw_replay_get_playing (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), FALSE);
  return self->playing;
}

void
gw_replay_set_live (GwReplay *self,
                    gboolean  live)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (live)
    set_playing_internal (self, FALSE);
  set_live_internal (self, live);
  if (live)
    set_time_internal (self, real_now (self));
  g_object_thaw_notify (G_OBJECT (self));
  update_tick (self);
}

gboolean
gw_replay_get_live (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), FALSE);
  return self->live;
}

void
gw_replay_return_to_live (GwReplay *self)
{
  gw_replay_set_live (self, TRUE);
}

static gboolean
step_to (GwReplay *self,
         GwTime    t)
{
  if (t == GW_TIME_NONE ||
      (self->start != GW_TIME_NONE && t < self->start) ||
      (self->end != GW_TIME_NONE && t > self->end))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  set_playing_internal (self, FALSE);
  set_live_internal (self, FALSE);
  set_time_internal (self, t);
  g_object_thaw_notify (G_OBJECT (self));
  update_tick (self);
  return TRUE;
}

gboolean
gw_replay_step_forward (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), FALSE);
  if (self->index == NULL)
    return FALSE;
  return step_to (self, gw_replay_index_next_event (self->index, self->time));
}

gboolean
gw_replay_step_backward (GwReplay *self)
{
  g_return_val_if_fail (GW_IS_REPLAY (self), FALSE);
  if (self->index == NULL)
    return FALSE;
  return step_to (self, gw_replay_index_prev_event (self->index, self->time));
}

void
gw_replay_set_clock (GwReplay  *self,
                     GwTime   (*now_func) (gpointer),
                     gpointer   user_data)
{
  g_return_if_fail (GW_IS_REPLAY (self));

  self->now_func = now_func;
  self->now_data = user_data;
  self->last_tick = tick_clock (self);
  if (self->live)
    set_time_internal (self, real_now (self));
}
