/* gw-alert-queue.c — when the wall should call out: new urgent cases, cases turning late */

#include "gw-alert-queue.h"

#include <gio/gio.h>

/* ------------------------------------------------------------------------------------
 * GwAlert
 */

G_DEFINE_BOXED_TYPE (GwAlert, gw_alert, gw_alert_ref, gw_alert_unref)

static GwAlert *
gw_alert_new (guint       id,
              GwAlertKind kind,
              const char *incident_id,
              const char *title,
              GwTime      now)
{
  GwAlert *self = g_new0 (GwAlert, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = id;
  self->kind = kind;
  self->incident_id = g_strdup (incident_id);
  self->title = g_strdup (title ? title : incident_id);
  self->time = now;
  return self;
}

GwAlert *
gw_alert_ref (GwAlert *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gw_alert_unref (GwAlert *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->incident_id);
  g_free (self->title);
  g_free (self);
}

/* ------------------------------------------------------------------------------------
 * GwAlertQueue
 */

/* What the queue remembers of an open case. */
typedef struct {
  char          *id;
  char          *title;         /* of the last version seen */
  GwTime         deadline;
  gboolean       urgent;
  gboolean       late;          /* its deadline passed while we watched, or before */
  GSequenceIter *deadline_iter; /* in self->deadlines while not late */
  GwAlert       *alerts[GW_N_ALERT_KINDS];  /* pending, borrowed from self->pending */
} Tracked;

struct _GwAlertQueue {
  GObject     parent_instance;

  GHashTable *tracked;       /* id → Tracked*, open cases only */
  GSequence  *deadlines;     /* Tracked* not yet late, by deadline */
  GPtrArray  *pending;       /* GwAlert*, raise order */
  GArray     *burst;         /* GwTime of the announcements in the last burst window */
  GTimeZone  *tz;
  guint       next_id;
  gboolean    baseline;      /* a picture has been loaded: later news is news */

  /* Per step (one change or tick): what to tell listeners at the end. */
  gboolean    step_changed;
  gboolean    step_summary[GW_N_ALERT_KINDS];

  gboolean    enabled;
  gboolean    sound_enabled;
  gboolean    muted;
  guint       repeat_interval;  /* seconds */
  guint       burst_limit;
  gboolean    quiet_enabled;
  int         quiet_start;      /* minutes after local midnight */
  int         quiet_end;
};

G_DEFINE_FINAL_TYPE (GwAlertQueue, gw_alert_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_SOUND_ENABLED,
  PROP_MUTED,
  PROP_REPEAT_INTERVAL,
  PROP_BURST_LIMIT,
  PROP_QUIET_HOURS_ENABLED,
  PROP_QUIET_HOURS_START,
  PROP_QUIET_HOURS_END,
  N_PROPS
};

enum { ANNOUNCE, SUMMARY, CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
tracked_free (gpointer data)
{
  Tracked *t = data;

  g_free (t->id);
  g_free (t->title);
  g_free (t);
}

static int
compare_deadline (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const Tracked *ta = a, *tb = b;

  return (ta->deadline > tb->deadline) - (ta->deadline < tb->deadline);
}

static gboolean
is_urgent (const GwIncident *incident)
{
  return incident->priority == GW_PRIORITY_URGENT || incident->priority == GW_PRIORITY_CRITICAL;
}

/* ---- pending alerts ---- */

static void
drop_alert (GwAlertQueue *self,
            GwAlert      *alert)
{
  Tracked *t = g_hash_table_lookup (self->tracked, alert->incident_id);

  if (t != NULL && t->alerts[alert->kind] == alert)
    t->alerts[alert->kind] = NULL;
  if (!alert->announced)
    self->step_summary[alert->kind] = TRUE;
  self->step_changed = TRUE;
  g_ptr_array_remove (self->pending, alert);
}

static void
drop_kind (GwAlertQueue *self,
           Tracked      *t,
           GwAlertKind   kind)
{
  if (t->alerts[kind] != NULL)
    drop_alert (self, t->alerts[kind]);
}

static void
prune_burst (GwAlertQueue *self,
             GwTime        now)
{
  guint old = 0;

  while (old < self->burst->len &&
         g_array_index (self->burst, GwTime, old) <= now - GW_ALERT_BURST_WINDOW)
    old++;
  g_array_remove_range (self->burst, 0, old);
}

static gboolean
sound_allowed (GwAlertQueue *self,
               GwTime        now)
{
  return self->sound_enabled && !self->muted && !gw_alert_queue_is_quiet (self, now);
}

/* Shows @alert on its own (with a sound when allowed) if the burst limit lets it;
 * otherwise it stays pending and counted in the summary. */
static gboolean
try_announce (GwAlertQueue *self,
              GwAlert      *alert,
              GwTime        now)
{
  prune_burst (self, now);
  if (self->burst->len >= self->burst_limit)
    return FALSE;
  g_array_append_val (self->burst, now);
  if (!alert->announced)
    {
      alert->announced = TRUE;
      self->step_summary[alert->kind] = TRUE;
    }
  self->step_changed = TRUE;
  g_signal_emit (self, signals[ANNOUNCE], 0, alert, sound_allowed (self, now));
  return TRUE;
}

static void
raise_alert (GwAlertQueue *self,
             Tracked      *t,
             GwAlertKind   kind,
             GwTime        now)
{
  GwAlert *alert;

  if (!self->enabled || t->alerts[kind] != NULL)
    return;
  alert = gw_alert_new (++self->next_id, kind, t->id, t->title, now);
  alert->next_reminder = now + (GwTime) self->repeat_interval * G_USEC_PER_SEC;
  t->alerts[kind] = alert;
  g_ptr_array_add (self->pending, alert);
  self->step_changed = TRUE;
  if (!try_announce (self, alert, now))
    self->step_summary[kind] = TRUE;
}

static void
end_step (GwAlertQueue *self)
{
  for (guint kind = 0; kind < GW_N_ALERT_KINDS; kind++)
    if (self->step_summary[kind])
      {
        self->step_summary[kind] = FALSE;
        g_signal_emit (self, signals[SUMMARY], 0, kind,
                       gw_alert_queue_get_n_summarised (self, kind));
      }
  if (self->step_changed)
    {
      self->step_changed = FALSE;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

/* ---- tracking cases ---- */

static void
untrack (GwAlertQueue *self,
         const char   *id)
{
  Tracked *t = g_hash_table_lookup (self->tracked, id);

  if (t == NULL)
    return;
  for (guint kind = 0; kind < GW_N_ALERT_KINDS; kind++)
    drop_kind (self, t, kind);
  if (t->deadline_iter != NULL)
    g_sequence_remove (t->deadline_iter);
  g_hash_table_remove (self->tracked, id);
}

static void
set_deadline (GwAlertQueue *self,
              Tracked      *t,
              GwTime        deadline,
              GwTime        now)
{
  if (t->deadline_iter != NULL)
    g_sequence_remove (t->deadline_iter);
  t->deadline_iter = NULL;
  t->deadline = deadline;
  t->late = deadline != GW_TIME_NONE && now > deadline;
  if (deadline != GW_TIME_NONE && !t->late)
    t->deadline_iter = g_sequence_insert_sorted (self->deadlines, t, compare_deadline, NULL);
}

/* Takes in one version of a case. @quiet records it without raising anything (a baseline).
 * A case new to us is announced as urgent only if it was received lately: an old one that
 * arrives late (history, a resnapshot) is not news. */
static void
observe (GwAlertQueue *self,
         GwIncident   *incident,
         GwTime        now,
         gboolean      quiet)
{
  Tracked *t = g_hash_table_lookup (self->tracked, incident->id);
  gboolean known = t != NULL;
  gboolean was_urgent, was_late;

  if (!gw_incident_is_open (incident))
    {
      untrack (self, incident->id);
      return;
    }
  if (t == NULL)
    {
      t = g_new0 (Tracked, 1);
      t->id = g_strdup (incident->id);
      g_hash_table_insert (self->tracked, t->id, t);
    }
  was_urgent = t->urgent;
  was_late = t->late;
  g_free (t->title);
  t->title = g_strdup (incident->title);

  t->urgent = is_urgent (incident);
  if (!known || t->deadline != incident->deadline)
    set_deadline (self, t, incident->deadline, now);

  if (!t->urgent)
    drop_kind (self, t, GW_ALERT_URGENT);
  if (!t->late)
    drop_kind (self, t, GW_ALERT_LATE);
  if (quiet)
    return;

  if (t->urgent && !was_urgent &&
      (known || incident->received_at == GW_TIME_NONE ||
       incident->received_at > now - GW_ALERT_FRESH_WINDOW))
    raise_alert (self, t, GW_ALERT_URGENT, now);
  /* Late only if we saw it on time: a case first seen late did not just turn late. */
  if (known && t->late && !was_late)
    raise_alert (self, t, GW_ALERT_LATE, now);
}

void
gw_alert_queue_load (GwAlertQueue *self,
                     GPtrArray    *incidents,
                     GwTime        now)
{
  g_return_if_fail (GW_IS_ALERT_QUEUE (self));
  g_return_if_fail (incidents != NULL);

  for (guint i = 0; i < incidents->len; i++)
    observe (self, g_ptr_array_index (incidents, i), now, TRUE);
  self->baseline = TRUE;
  end_step (self);
}

void
gw_alert_queue_handle_change (GwAlertQueue  *self,
                              GwStoreChange *change,
                              GwTime         now)
{
  gboolean quiet;

  g_return_if_fail (GW_IS_ALERT_QUEUE (self));
  g_return_if_fail (change != NULL);

  /* The first snapshot (whole or in pages) is the picture we start from. A later one (a
   * resnapshot after a long outage) only announces urgent cases we did not know that are
   * still fresh; what turned late meanwhile the tick has announced from the deadlines we
   * knew. */
  quiet = (change->reset || change->loading) && !self->baseline;
  for (guint i = 0; i < change->removed->len; i++)
    untrack (self, ((GwIncident *) g_ptr_array_index (change->removed, i))->id);
  for (guint i = 0; i < change->added->len; i++)
    observe (self, g_ptr_array_index (change->added, i), now, quiet);
  for (guint i = 0; i < change->changed->len; i++)
    observe (self, g_ptr_array_index (change->changed, i), now, quiet);
  if (change->reset || change->loaded)
    self->baseline = TRUE;
  end_step (self);
}

static void
remind (GwAlertQueue *self,
        GwTime        now)
{
  GwTime next = now + (GwTime) self->repeat_interval * G_USEC_PER_SEC;
  GwAlert *first = NULL;

  /* Due reminders come together as one: the oldest is shown again, the rest wait with it,
   * so fifty forgotten alerts do not become fifty chimes. */
  for (guint i = 0; i < self->pending->len; i++)
    {
      GwAlert *alert = g_ptr_array_index (self->pending, i);

      if (alert->next_reminder > now)
        continue;
      if (first == NULL)
        first = alert;
      alert->next_reminder = next;
    }
  if (first != NULL)
    try_announce (self, first, now);
}

void
gw_alert_queue_tick (GwAlertQueue *self,
                     GwTime        now)
{
  GSequenceIter *iter;

  g_return_if_fail (GW_IS_ALERT_QUEUE (self));

  while (!g_sequence_iter_is_end (iter = g_sequence_get_begin_iter (self->deadlines)))
    {
      Tracked *t = g_sequence_get (iter);

      if (now <= t->deadline)
        break;
      g_sequence_remove (iter);
      t->deadline_iter = NULL;
      t->late = TRUE;
      raise_alert (self, t, GW_ALERT_LATE, now);
    }
  remind (self, now);
  end_step (self);
}

gboolean
gw_alert_queue_acknowledge (GwAlertQueue *self,
                            guint         alert_id)
{
  GwAlert *alert;

  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), FALSE);

  alert = gw_alert_queue_lookup (self, alert_id);
  if (alert == NULL)
    return FALSE;
  drop_alert (self, alert);
  end_step (self);
  return TRUE;
}

void
gw_alert_queue_acknowledge_all (GwAlertQueue *self)
{
  g_return_if_fail (GW_IS_ALERT_QUEUE (self));

  while (self->pending->len > 0)
    drop_alert (self, g_ptr_array_index (self->pending, self->pending->len - 1));
  end_step (self);
}

GPtrArray *
gw_alert_queue_list_pending (GwAlertQueue *self)
{
  GPtrArray *list;

  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), NULL);

  list = g_ptr_array_new_full (self->pending->len, (GDestroyNotify) gw_alert_unref);
  for (guint i = 0; i < self->pending->len; i++)
    g_ptr_array_add (list, gw_alert_ref (g_ptr_array_index (self->pending, i)));
  return list;
}

guint
gw_alert_queue_get_n_pending (GwAlertQueue *self)
{
  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), 0);
  return self->pending->len;
}

GwAlert *
gw_alert_queue_lookup (GwAlertQueue *self,
                       guint         alert_id)
{
  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), NULL);

  for (guint i = 0; i < self->pending->len; i++)
    {
      GwAlert *alert = g_ptr_array_index (self->pending, i);

      if (alert->id == alert_id)
        return alert;
    }
  return NULL;
}

GwAlert *
gw_alert_queue_get_current (GwAlertQueue *self)
{
  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), NULL);

  for (guint i = self->pending->len; i > 0; i--)
    {
      GwAlert *alert = g_ptr_array_index (self->pending, i - 1);

      if (alert->announced)
        return alert;
    }
  /* Everything left was summarised: show the oldest of them. */
  return self->pending->len > 0 ? g_ptr_array_index (self->pending, 0) : NULL;
}

guint
gw_alert_queue_get_n_summarised (GwAlertQueue *self,
                                 GwAlertKind   kind)
{
  guint n = 0;

  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), 0);

  for (guint i = 0; i < self->pending->len; i++)
    {
      GwAlert *alert = g_ptr_array_index (self->pending, i);

      n += alert->kind == kind && !alert->announced;
    }
  return n;
}

/* ---- quiet hours ---- */

static gboolean
parse_hhmm (const char  *str,
            int         *out,
            GError     **error)
{
  const char *given = str;
  guint64 h, m;
  char *end;

  if (str == NULL || !g_ascii_isdigit (str[0]))
    goto bad;
  h = g_ascii_strtoull (str, &end, 10);
  if (*end != ':' || end - str > 2 || !g_ascii_isdigit (end[1]))
    goto bad;
  str = end + 1;
  m = g_ascii_strtoull (str, &end, 10);
  if (*end != '\0' || end - str != 2 || h > 23 || m > 59)
    goto bad;
  *out = (int) (h * 60 + m);
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "Quiet hours must be a time as HH:MM (00:00 to 23:59), not “%s”",
               given ? given : "(null)");
  return FALSE;
}

gboolean
gw_alert_queue_set_quiet_hours (GwAlertQueue  *self,
                                const char    *start,
                                const char    *end,
                                GError       **error)
{
  int s, e;

  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), FALSE);

  if (!parse_hhmm (start, &s, error) || !parse_hhmm (end, &e, error))
    return FALSE;
  if (s != self->quiet_start)
    {
      self->quiet_start = s;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUIET_HOURS_START]);
    }
  if (e != self->quiet_end)
    {
      self->quiet_end = e;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUIET_HOURS_END]);
    }
  return TRUE;
}

void
gw_alert_queue_set_time_zone (GwAlertQueue *self,
                              GTimeZone    *tz)
{
  g_return_if_fail (GW_IS_ALERT_QUEUE (self));
  g_return_if_fail (tz != NULL);

  g_time_zone_unref (self->tz);
  self->tz = g_time_zone_ref (tz);
}

gboolean
gw_alert_queue_is_quiet (GwAlertQueue *self,
                         GwTime        now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  int minute;

  g_return_val_if_fail (GW_IS_ALERT_QUEUE (self), FALSE);

  if (!self->quiet_enabled || self->quiet_start == self->quiet_end)
    return FALSE;
  utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, self->tz);
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (self->quiet_start < self->quiet_end)
    return minute >= self->quiet_start && minute < self->quiet_end;
  /* Across midnight: 22:00–07:00 is quiet from 22:00 on and before 07:00. */
  return minute >= self->quiet_start || minute < self->quiet_end;
}

/* ---- GObject ---- */

GwAlertQueue *
gw_alert_queue_new (void)
{
  return g_object_new (GW_TYPE_ALERT_QUEUE, NULL);
}

static char *
format_hhmm (int minutes)
{
  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

static void
set_quiet_edge (GwAlertQueue *self,
                guint         prop_id,
                const char   *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *start = format_hhmm (self->quiet_start);
  g_autofree char *end = format_hhmm (self->quiet_end);

  /* A bad value from settings keeps the last good one, and says why. */
  if (!gw_alert_queue_set_quiet_hours (self,
                                       prop_id == PROP_QUIET_HOURS_START ? value : start,
                                       prop_id == PROP_QUIET_HOURS_END ? value : end,
                                       &error))
    g_warning ("%s", error->message);
}

static void
gw_alert_queue_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GwAlertQueue *self = GW_ALERT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_SOUND_ENABLED:
      g_value_set_boolean (value, self->sound_enabled);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_REPEAT_INTERVAL:
      g_value_set_uint (value, self->repeat_interval);
      break;
    case PROP_BURST_LIMIT:
      g_value_set_uint (value, self->burst_limit);
      break;
    case PROP_QUIET_HOURS_ENABLED:
      g_value_set_boolean (value, self->quiet_enabled);
      break;
    case PROP_QUIET_HOURS_START:
      g_value_take_string (value, format_hhmm (self->quiet_start));
      break;
    case PROP_QUIET_HOURS_END:
      g_value_take_string (value, format_hhmm (self->quiet_end));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_alert_queue_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GwAlertQueue *self = GW_ALERT_QUEUE (object);
  gboolean *flag = NULL;
  guint *number = NULL;

  switch (prop_id)
    {
    case PROP_ENABLED:
      flag = &self->enabled;
      break;
    case PROP_SOUND_ENABLED:
      flag = &self->sound_enabled;
      break;
    case PROP_MUTED:
      flag = &self->muted;
      break;
    case PROP_QUIET_HOURS_ENABLED:
      flag = &self->quiet_enabled;
      break;
    case PROP_REPEAT_INTERVAL:
      number = &self->repeat_interval;
      break;
    case PROP_BURST_LIMIT:
      number = &self->burst_limit;
      break;
    case PROP_QUIET_HOURS_START:
    case PROP_QUIET_HOURS_END:
      set_quiet_edge (self, prop_id, g_value_get_string (value));
      return;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (flag != NULL && *flag != g_value_get_boolean (value))
    {
      *flag = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
    }
  if (number != NULL && *number != g_value_get_uint (value))
    {
      *number = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
gw_alert_queue_finalize (GObject *object)
{
  GwAlertQueue *self = (GwAlertQueue *) object;

  g_sequence_free (self->deadlines);
  g_hash_table_unref (self->tracked);
  g_ptr_array_unref (self->pending);
  g_array_unref (self->burst);
  g_time_zone_unref (self->tz);

  G_OBJECT_CLASS (gw_alert_queue_parent_class)->finalize (object);
}

static void
gw_alert_queue_class_init (GwAlertQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gw_alert_queue_finalize;
  object_class->get_property = gw_alert_queue_get_property;
  object_class->set_property = gw_alert_queue_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE, flags);
  properties[PROP_SOUND_ENABLED] =
    g_param_spec_boolean ("sound-enabled", NULL, NULL, TRUE, flags);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE, flags);
  properties[PROP_REPEAT_INTERVAL] =
    g_param_spec_uint ("repeat-interval", NULL, NULL, 1, 24 * 3600, 120, flags);
  properties[PROP_BURST_LIMIT] =
    g_param_spec_uint ("burst-limit", NULL, NULL, 1, 1000, 3, flags);
  properties[PROP_QUIET_HOURS_ENABLED] =
    g_param_spec_boolean ("quiet-hours-enabled", NULL, NULL, FALSE, flags);
  properties[PROP_QUIET_HOURS_START] =
    g_param_spec_string ("quiet-hours-start", NULL, NULL, "22:00", flags);
  properties[PROP_QUIET_HOURS_END] =
    g_param_spec_string ("quiet-hours-end", NULL, NULL, "07:00", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An alert to show on its own now (new, or a reminder), and whether to sound it. */
  signals[ANNOUNCE] = g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    GW_TYPE_ALERT, G_TYPE_BOOLEAN);
  /* How many pending alerts of a kind (a GwAlertKind) are only summarised now. */
  signals[SUMMARY] = g_signal_new ("summary", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_UINT, G_TYPE_UINT);
  /* The pending alerts changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gw_alert_queue_init (GwAlertQueue *self)
{
  self->tracked = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tracked_free);
  self->deadlines = g_sequence_new (NULL);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_alert_unref);
  self->burst = g_array_new (FALSE, FALSE, sizeof (GwTime));
  self->tz = g_time_zone_new_local ();
  self->enabled = TRUE;
  self->sound_enabled = TRUE;
  self->repeat_interval = 120;
  self->burst_limit = 3;
  self->quiet_start = 22 * 60;
  self->quiet_end = 7 * 60;
}
