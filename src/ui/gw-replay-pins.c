/* gw-replay-pins.c — the map's incident pins at a replay's time */

#include "gw-map-view.h"
#include "gw-replay-pins.h"

struct _GwReplayPins {
  GObject          parent_instance;

  GwIncidentLayer *layer;
  GwHeatLayer     *heat_layer;
  GwReplay        *replay;
  gboolean         active;
  GwMapTimeWindow  window;

  GwReplayIndex   *index;   /* the index the pins below were made from */
  GPtrArray       *views;   /* per case of the index: GwIncident as at t, or NULL */
};

G_DEFINE_FINAL_TYPE (GwReplayPins, gw_replay_pins, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPLAY,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where @window starts at @state's time (as the live map's window_start() at now);
 * GW_TIME_NONE for open cases only. */
static GwTime
window_start (GwMapTimeWindow      window,
              const GwReplayState *state)
{
  switch (window)
    {
    case GW_MAP_TIME_WINDOW_1H:
      return state->t - GW_USEC_PER_HOUR;
    case GW_MAP_TIME_WINDOW_6H:
      return state->t - 6 * GW_USEC_PER_HOUR;
    case GW_MAP_TIME_WINDOW_24H:
      return state->t - 24 * GW_USEC_PER_HOUR;
    case GW_MAP_TIME_WINDOW_TODAY:
      return state->day_start;
    case GW_MAP_TIME_WINDOW_OPEN:
    default:
      return GW_TIME_NONE;
    }
}

gboolean
gw_replay_pins_is_shown (const GwReplayIndex *index,
                         const GwReplayState *state,
                         guint                i,
                         guint                window)
{
  const GwStageSpans *spans;
  GwTime since;

  g_return_val_if_fail (index != NULL && state != NULL, FALSE);
  g_return_val_if_fail (i < state->n_cases, FALSE);

  if (state->stages[i] == GW_REPLAY_ABSENT)
    return FALSE;
  since = window_start (window, state);
  if (since == GW_TIME_NONE)
    return !gw_stage_is_closed (state->stages[i]);
  /* The last event by t is the latest of receipt, update and closing. */
  spans = gw_replay_index_get_spans (index, i);
  return gw_stage_spans_get_span (spans, gw_stage_spans_index_at (spans, state->t))->start >= since;
}

/* The case as it stood at @t: what the pin, its card and its colour are made from. */
static GwIncident *
make_view (const GwIncident   *incident,
           const GwStageSpans *spans,
           GwTime              t)
{
  GwIncident *view = gw_incident_new ();
  int at = gw_stage_spans_index_at (spans, t);
  const GwStageSpan *span = gw_stage_spans_get_span (spans, MAX (at, 0));

  view->id = g_strdup (incident->id);
  view->title = g_strdup (incident->title);
  view->description = g_strdup (incident->description);
  view->class_code = g_strdup (incident->class_code);
  view->source = incident->source;
  view->priority = incident->priority;
  view->lon = incident->lon;
  view->lat = incident->lat;
  view->address = g_strdup (incident->address);
  view->cell_code = g_strdup (incident->cell_code);
  view->department = g_strdup (span->department);
  view->stage = span->stage;
  view->received_at = gw_stage_spans_get_start (spans);
  view->deadline = span->deadline;
  view->closed_at = span->closed_at;
  view->updated_at = span->start;
  view->seq = incident->seq;
  for (guint i = 0; incident->timeline != NULL && i < incident->timeline->len; i++)
    {
      const GwStageEvent *event = g_ptr_array_index (incident->timeline, i);

      if (event->time <= t)
        g_ptr_array_add (view->timeline, gw_stage_event_copy (event));
    }
  return view;
}

/* Cases off the map have no view: the array holds NULL for them. */
static void
view_free (gpointer view)
{
  if (view != NULL)
    gw_incident_unref (view);
}

static void
clear_pins (GwReplayPins *self)
{
  g_clear_pointer (&self->index, gw_replay_index_unref);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  gw_incident_layer_clear (self->layer);
  if (self->heat_layer != NULL)
    gw_heat_layer_clear (self->heat_layer);
}

static void
set_active (GwReplayPins *self,
            gboolean      active)
{
  if (self->active == active)
    return;
  self->active = active;
  clear_pins (self);
  if (!active)
    {
      gw_incident_layer_set_now (self->layer, GW_TIME_NONE);
      if (self->heat_layer != NULL)
        gw_heat_layer_set_now (self->heat_layer, GW_TIME_NONE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* Brings the layer to the replay's state, touching only the cases that changed. */
static void
sync_pins (GwReplayPins *self)
{
  const GwReplayState *state = gw_replay_get_state (self->replay);
  GwReplayIndex *index = gw_replay_get_index (self->replay);
  g_autoptr(GPtrArray) upserts = NULL;
  g_autoptr(GPtrArray) removes = NULL;
  guint n;

  if (state == NULL || index == NULL)
    return;
  n = gw_replay_index_get_n_cases (index);
  if (index != self->index)
    {
      clear_pins (self);
      self->index = gw_replay_index_ref (index);
      self->views = g_ptr_array_new_full (n, view_free);
      g_ptr_array_set_size (self->views, n);
    }

  upserts = g_ptr_array_new ();
  removes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  for (guint i = 0; i < n; i++)
    {
      GwIncident *old = g_ptr_array_index (self->views, i);
      const GwStageSpans *spans;
      const GwStageSpan *span;
      GwIncident *view;

      if (!gw_replay_pins_is_shown (index, state, i, self->window))
        {
          if (old != NULL)
            g_ptr_array_add (removes, old);  /* takes the array's reference */
          g_ptr_array_index (self->views, i) = NULL;
          continue;
        }
      spans = gw_replay_index_get_spans (index, i);
      span = gw_stage_spans_get_span (spans, gw_stage_spans_index_at (spans, state->t));
      if (old != NULL && old->updated_at == span->start && old->stage == span->stage)
        continue;
      view = make_view (gw_replay_index_get_incident (index, i), spans, state->t);
      g_ptr_array_add (upserts, view);
      /* The layer takes its own reference; the array drops the old version. */
      g_ptr_array_index (self->views, i) = view;
      g_clear_pointer (&old, gw_incident_unref);
    }

  /* The clock first, so every pin (old and new) is coloured at t. */
  gw_incident_layer_set_now (self->layer, state->t);
  gw_incident_layer_remove (self->layer, removes);
  gw_incident_layer_upsert (self->layer, upserts, FALSE);
  if (self->heat_layer != NULL)
    {
      gw_heat_layer_set_now (self->heat_layer, state->t);
      gw_heat_layer_remove (self->heat_layer, removes);
      gw_heat_layer_upsert (self->heat_layer, upserts);
    }
}

static void
replay_state_changed_cb (GwReplay     *replay,
                         GwReplayPins *self)
{
  if (gw_replay_get_live (replay))
    set_active (self, FALSE);
  /* Until the first index is built the live pins stay. */
  else if (gw_replay_get_state (replay) != NULL)
    {
      set_active (self, TRUE);
      sync_pins (self);
    }
}

static void
replay_live_cb (GwReplay     *replay,
                GParamSpec   *pspec,
                GwReplayPins *self)
{
  replay_state_changed_cb (replay, self);
}

/* ---- GObject ---- */

static void
gw_replay_pins_dispose (GObject *object)
{
  GwReplayPins *self = GW_REPLAY_PINS (object);

  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_clear_object (&self->replay);
  g_clear_pointer (&self->index, gw_replay_index_unref);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_object (&self->layer);
  g_clear_object (&self->heat_layer);

  G_OBJECT_CLASS (gw_replay_pins_parent_class)->dispose (object);
}

static void
gw_replay_pins_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GwReplayPins *self = GW_REPLAY_PINS (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      g_value_set_object (value, self->replay);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_pins_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GwReplayPins *self = GW_REPLAY_PINS (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      gw_replay_pins_set_replay (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_replay_pins_class_init (GwReplayPinsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gw_replay_pins_dispose;
  object_class->get_property = gw_replay_pins_get_property;
  object_class->set_property = gw_replay_pins_set_property;

  properties[PROP_REPLAY] =
    g_param_spec_object ("replay", NULL, NULL, GW_TYPE_REPLAY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Dropping to FALSE leaves the layer empty, for its owner to refill from the store. */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_replay_pins_init (GwReplayPins *self)
{
}

/* ---- API ---- */

GwReplayPins *
gw_replay_pins_new (GwIncidentLayer *layer,
                    GwHeatLayer     *heat_layer)
{
  GwReplayPins *self;

  g_return_val_if_fail (GW_IS_INCIDENT_LAYER (layer), NULL);
  g_return_val_if_fail (heat_layer == NULL || GW_IS_HEAT_LAYER (heat_layer), NULL);

  self = g_object_new (GW_TYPE_REPLAY_PINS, NULL);
  self->layer = g_object_ref (layer);
  self->heat_layer = heat_layer ? g_object_ref (heat_layer) : NULL;
  return self;
}

void
gw_replay_pins_set_time_window (GwReplayPins *self,
                                guint         window)
{
  g_return_if_fail (GW_IS_REPLAY_PINS (self));

  if (self->window == window)
    return;
  self->window = window;
  if (self->active)
    sync_pins (self);
}

void
gw_replay_pins_set_replay (GwReplayPins *self,
                           GwReplay     *replay)
{
  g_return_if_fail (GW_IS_REPLAY_PINS (self));
  g_return_if_fail (replay == NULL || GW_IS_REPLAY (replay));

  if (self->replay == replay)
    return;
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, replay);
  if (replay != NULL)
    {
      g_signal_connect (replay, "state-changed", G_CALLBACK (replay_state_changed_cb), self);
      g_signal_connect (replay, "notify::live", G_CALLBACK (replay_live_cb), self);
      replay_state_changed_cb (replay, self);
    }
  else
    set_active (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLAY]);
}

GwReplay *
gw_replay_pins_get_replay (GwReplayPins *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_PINS (self), NULL);
  return self->replay;
}

gboolean
gw_replay_pins_get_active (GwReplayPins *self)
{
  g_return_val_if_fail (GW_IS_REPLAY_PINS (self), FALSE);
  return self->active;
}

GHashTable *
gw_replay_pins_count_cells (GwReplayPins *self)
{
  const GwReplayState *state;
  GwReplayIndex *index;
  GHashTable *stats;

  g_return_val_if_fail (GW_IS_REPLAY_PINS (self), NULL);

  if (!self->active || self->replay == NULL)
    return NULL;
  state = gw_replay_get_state (self->replay);
  index = gw_replay_get_index (self->replay);
  if (state == NULL || index == NULL)
    return NULL;

  stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < gw_replay_index_get_n_cases (index); i++)
    {
      const GwIncident *incident = gw_replay_index_get_incident (index, i);
      GwStage stage = state->stages[i];
      GwCellStats *s;

      if (stage == GW_REPLAY_ABSENT || incident->cell_code == NULL)
        continue;
      s = g_hash_table_lookup (stats, incident->cell_code);
      if (s == NULL)
        {
          s = g_new0 (GwCellStats, 1);
          g_hash_table_insert (stats, incident->cell_code, s);
        }
      if (!gw_stage_is_closed (stage))
        s->open++;
      s->late += state->late[i];
      if (incident->received_at >= state->day_start)
        s->received_today++;
      /* Closed at t, and closed within the day: the case's last span began today. */
      if (gw_stage_is_closed (stage))
        {
          const GwStageSpans *spans = gw_replay_index_get_spans (index, i);
          const GwStageSpan *span = gw_stage_spans_get_span (spans, gw_stage_spans_index_at (spans, state->t));

          s->closed_today += span->start >= state->day_start;
        }
    }
  return stats;
}
