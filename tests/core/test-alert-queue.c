/* test-alert-queue.c — the alert policy, with the time passed in
 *
 * Cases go through a real GwStore; its ::changed feeds the queue as the window does.
 */
#include <gio/gio.h>
#include <string.h>

#include "gw-alert-queue.h"
#include "gw-store.h"

#define SEC  GW_USEC_PER_SEC
#define MIN_ GW_USEC_PER_MIN
#define HOUR GW_USEC_PER_HOUR

typedef struct {
  GwStore      *store;
  GwAlertQueue *queue;
  GwTime        now;
  GPtrArray    *announced;  /* GwAlert*, in order */
  guint         n_sounds;
  guint         n_summaries;
  guint         last_summary[GW_N_ALERT_KINDS];
  gint64        seq;
} Fixture;

static void
announce_cb (GwAlertQueue *queue, GwAlert *alert, gboolean sound, Fixture *f)
{
  g_ptr_array_add (f->announced, gw_alert_ref (alert));
  f->n_sounds += sound;
}

static void
summary_cb (GwAlertQueue *queue, guint kind, guint n, Fixture *f)
{
  g_assert_cmpuint (kind, <, GW_N_ALERT_KINDS);
  f->n_summaries++;
  f->last_summary[kind] = n;
}

static void
changed_cb (GwStore *store, GwStoreChange *change, Fixture *f)
{
  gw_alert_queue_handle_change (f->queue, change, f->now);
}

static void
setup (Fixture *f, gconstpointer data)
{
  /* 2026-12-03 10:00 UTC = 18:00 in Beijing. */
  f->now = G_GINT64_CONSTANT (1796292000) * SEC;
  f->store = gw_store_new ();
  f->queue = gw_alert_queue_new ();
  f->announced = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_alert_unref);
  g_signal_connect (f->store, "changed", G_CALLBACK (changed_cb), f);
  g_signal_connect (f->queue, "announce", G_CALLBACK (announce_cb), f);
  g_signal_connect (f->queue, "summary", G_CALLBACK (summary_cb), f);
  g_object_set (f->queue, "repeat-interval", 120, "burst-limit", 3, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_ptr_array_unref (f->announced);
  g_object_unref (f->queue);
  g_object_unref (f->store);
}

static GwIncident *
make (Fixture *f, const char *id, GwPriority priority, GwTime deadline)
{
  GwIncident *incident = gw_incident_new ();

  incident->id = g_strdup (id);
  incident->title = g_strdup_printf ("占道经营 %s", id);
  incident->class_code = g_strdup ("0501");
  incident->priority = priority;
  incident->stage = GW_STAGE_DISPATCHED;
  incident->received_at = f->now - 5 * MIN_;
  incident->updated_at = f->now;
  incident->deadline = deadline;
  incident->seq = ++f->seq;
  incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  return incident;
}

/* Upserts (taking) the incidents, NULL-terminated, as a snapshot or a live change. */
static void
apply (Fixture *f, gboolean snapshot, ...)
{
  GwStoreBatch *batch = gw_store_batch_new ();
  GwIncident *incident;
  va_list args;

  va_start (args, snapshot);
  while ((incident = va_arg (args, GwIncident *)) != NULL)
    {
      gw_store_batch_upsert (batch, incident);
      gw_incident_unref (incident);
    }
  va_end (args);
  gw_store_batch_set_snapshot (batch, snapshot);
  gw_store_apply (f->store, batch);
}

/* One page of a snapshot loaded page by page (@last: its final page). */
static void
apply_page (Fixture *f, gboolean last, ...)
{
  GwStoreBatch *batch = gw_store_batch_new ();
  GwIncident *incident;
  va_list args;

  va_start (args, last);
  while ((incident = va_arg (args, GwIncident *)) != NULL)
    {
      gw_store_batch_upsert (batch, incident);
      gw_incident_unref (incident);
    }
  va_end (args);
  gw_store_batch_set_loading (batch, last);
  gw_store_apply (f->store, batch);
}

/* A new version of a stored case. */
static GwIncident *
revise (Fixture *f, const char *id)
{
  GwIncident *incident = gw_incident_copy (gw_store_lookup (f->store, id));

  incident->seq = ++f->seq;
  incident->updated_at = f->now;
  return incident;
}

static void
advance (Fixture *f, GwTime by)
{
  f->now += by;
  gw_alert_queue_tick (f->queue, f->now);
}

static GwAlert *
last (Fixture *f)
{
  g_assert_cmpuint (f->announced->len, >, 0);
  return g_ptr_array_index (f->announced, f->announced->len - 1);
}

static void
test_new_urgent (Fixture *f, gconstpointer data)
{
  /* What is there at start-up, urgent or not, is the baseline. */
  apply (f, TRUE, make (f, "old-urgent", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 0);

  apply (f, FALSE, make (f, "n1", GW_PRIORITY_NORMAL, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 0);
  apply (f, FALSE, make (f, "u1", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 1);
  g_assert_cmpuint (f->n_sounds, ==, 1);
  g_assert_cmpint (last (f)->kind, ==, GW_ALERT_URGENT);
  g_assert_cmpstr (last (f)->incident_id, ==, "u1");
  g_assert_cmpstr (last (f)->title, ==, "占道经营 u1");
  g_assert_cmpint (last (f)->time, ==, f->now);
  g_assert_cmpuint (last (f)->id, >, 0);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 1);

  /* A new version of the same case is not a new alert. */
  apply (f, FALSE, revise (f, "u1"), NULL);
  g_assert_cmpuint (f->announced->len, ==, 1);

  /* A normal case escalated to critical is. */
  {
    GwIncident *up = revise (f, "n1");
    up->priority = GW_PRIORITY_CRITICAL;
    apply (f, FALSE, up, NULL);
  }
  g_assert_cmpuint (f->announced->len, ==, 2);
  g_assert_cmpstr (last (f)->incident_id, ==, "n1");

  /* An urgent case received long ago that only now arrives (history) is not news. */
  {
    GwIncident *old = make (f, "u-old", GW_PRIORITY_URGENT, f->now + HOUR);
    old->received_at = f->now - 3 * HOUR;
    apply (f, FALSE, old, NULL);
  }
  g_assert_cmpuint (f->announced->len, ==, 2);
}

/* A first snapshot in pages is the baseline as a whole one is, urgent cases and all;
 * once it is whole, live cases and the pages of a later snapshot are news again. */
static void
test_paged_snapshot (Fixture *f, gconstpointer data)
{
  apply_page (f, FALSE, make (f, "p1", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  apply_page (f, FALSE, make (f, "p2", GW_PRIORITY_CRITICAL, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 0);
  /* The last page may bring nothing: it still completes the baseline. */
  apply_page (f, TRUE, NULL);
  g_assert_cmpuint (f->announced->len, ==, 0);

  apply (f, FALSE, make (f, "u1", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 1);
  g_assert_cmpstr (last (f)->incident_id, ==, "u1");

  /* A resnapshot after an outage announces a fresh urgent case it did not know. */
  apply_page (f, FALSE, make (f, "u2", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 2);
  g_assert_cmpstr (last (f)->incident_id, ==, "u2");
}

static void
test_turns_late (Fixture *f, gconstpointer data)
{
  /* Start-up: one already late (no alert, ever), one due in ten minutes. */
  apply (f, TRUE,
         make (f, "late-at-start", GW_PRIORITY_NORMAL, f->now - HOUR),
         make (f, "due", GW_PRIORITY_NORMAL, f->now + 10 * MIN_),
         make (f, "no-deadline", GW_PRIORITY_NORMAL, GW_TIME_NONE),
         NULL);
  advance (f, SEC);
  g_assert_cmpuint (f->announced->len, ==, 0);

  advance (f, 10 * MIN_ - 2 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 0);
  advance (f, SEC);  /* exactly at the deadline: not late yet */
  g_assert_cmpuint (f->announced->len, ==, 0);
  advance (f, SEC);
  g_assert_cmpuint (f->announced->len, ==, 1);
  g_assert_cmpint (last (f)->kind, ==, GW_ALERT_LATE);
  g_assert_cmpstr (last (f)->incident_id, ==, "due");
  g_assert_cmpuint (f->n_sounds, ==, 1);

  /* Staying late is not turning late again. */
  advance (f, SEC);
  g_assert_cmpuint (f->announced->len, ==, 1);
  g_assert_true (gw_alert_queue_acknowledge (f->queue, last (f)->id));

  /* A snapshot restore with another case already late: still nothing new. */
  apply (f, TRUE,
         gw_incident_ref (gw_store_lookup (f->store, "late-at-start")),
         gw_incident_ref (gw_store_lookup (f->store, "due")),
         make (f, "late-in-restore", GW_PRIORITY_NORMAL, f->now - MIN_),
         NULL);
  advance (f, SEC);
  g_assert_cmpuint (f->announced->len, ==, 1);

  /* A deadline moved into the past by a change turns the case late at once. */
  {
    g_autoptr(GwIncident) moved = NULL;
    apply (f, FALSE, make (f, "moved", GW_PRIORITY_NORMAL, f->now + HOUR), NULL);
    moved = revise (f, "moved");
    moved->deadline = f->now - SEC;
    apply (f, FALSE, gw_incident_ref (moved), NULL);
  }
  g_assert_cmpuint (f->announced->len, ==, 2);
  g_assert_cmpstr (last (f)->incident_id, ==, "moved");

  /* Extended (延期): no longer late, its alert goes; late again later, a new alert. */
  {
    GwIncident *ext = revise (f, "moved");
    ext->deadline = f->now + 5 * MIN_;
    ext->stage = GW_STAGE_EXTENDED;
    apply (f, FALSE, ext, NULL);
  }
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 0);
  advance (f, 5 * MIN_ + SEC);
  g_assert_cmpuint (f->announced->len, ==, 3);
  g_assert_cmpstr (last (f)->incident_id, ==, "moved");
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 1);
}

static void
test_repeat_and_ack (Fixture *f, gconstpointer data)
{
  GwAlert *alert;
  guint id;

  apply (f, TRUE, NULL);
  apply (f, FALSE, make (f, "u1", GW_PRIORITY_URGENT, f->now + 2 * HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 1);
  alert = last (f);
  id = alert->id;

  advance (f, 119 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 1);
  advance (f, SEC);
  g_assert_cmpuint (f->announced->len, ==, 2);
  g_assert_true (last (f) == alert);
  g_assert_cmpuint (f->n_sounds, ==, 2);
  advance (f, 60 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 2);
  advance (f, 60 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 3);

  g_assert_false (gw_alert_queue_acknowledge (f->queue, id + 100));
  g_assert_true (gw_alert_queue_acknowledge (f->queue, id));
  g_assert_false (gw_alert_queue_acknowledge (f->queue, id));
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 0);
  g_assert_null (gw_alert_queue_get_current (f->queue));
  for (int i = 0; i < 10; i++)
    advance (f, 60 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 3);

  /* Acknowledge all. */
  apply (f, FALSE,
         make (f, "u2", GW_PRIORITY_URGENT, f->now + HOUR),
         make (f, "u3", GW_PRIORITY_CRITICAL, f->now + HOUR),
         NULL);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 2);
  g_assert_cmpstr (gw_alert_queue_get_current (f->queue)->incident_id, ==, "u3");
  gw_alert_queue_acknowledge_all (f->queue);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 0);
  for (int i = 0; i < 10; i++)
    advance (f, 60 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 5);
}

static void
test_close_drops (Fixture *f, gconstpointer data)
{
  GwIncident *closed;

  apply (f, TRUE, make (f, "c1", GW_PRIORITY_URGENT, f->now + MIN_),
         make (f, "c2", GW_PRIORITY_NORMAL, f->now + MIN_), NULL);
  advance (f, MIN_ + SEC);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 2);

  closed = revise (f, "c1");
  closed->stage = GW_STAGE_CLOSED;
  closed->closed_at = f->now;
  apply (f, FALSE, closed, NULL);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 1);

  /* Removed from the store: gone too, and no reminders for either. */
  {
    GwStoreBatch *batch = gw_store_batch_new ();
    gw_store_batch_remove (batch, "c2");
    gw_store_apply (f->store, batch);
  }
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 0);
  g_assert_cmpuint (f->announced->len, ==, 2);
  for (int i = 0; i < 10; i++)
    advance (f, 60 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 2);
}

static void
test_quiet_hours (Fixture *f, gconstpointer data)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GError) error = NULL;
  g_autofree char *start = NULL;

  gw_alert_queue_set_time_zone (f->queue, beijing);
  g_object_set (f->queue, "quiet-hours-enabled", TRUE, NULL);
  g_assert_true (gw_alert_queue_set_quiet_hours (f->queue, "22:00", "07:00", &error));
  g_assert_no_error (error);

  /* Bad input: a clear error, the old setting kept. */
  g_assert_false (gw_alert_queue_set_quiet_hours (f->queue, "25:00", "07:00", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "25:00"));
  g_clear_error (&error);
  g_assert_false (gw_alert_queue_set_quiet_hours (f->queue, "22:00", "7h", &error));
  g_clear_error (&error);
  g_object_get (f->queue, "quiet-hours-start", &start, NULL);
  g_assert_cmpstr (start, ==, "22:00");

  /* 18:00 Beijing: loud. 21:59: loud. 22:00: quiet. 03:00 the next day: quiet. 07:00: loud. */
  g_assert_false (gw_alert_queue_is_quiet (f->queue, f->now));
  g_assert_false (gw_alert_queue_is_quiet (f->queue, f->now + 3 * HOUR + 59 * MIN_));
  g_assert_true (gw_alert_queue_is_quiet (f->queue, f->now + 4 * HOUR));
  g_assert_true (gw_alert_queue_is_quiet (f->queue, f->now + 9 * HOUR));
  g_assert_true (gw_alert_queue_is_quiet (f->queue, f->now + 12 * HOUR + 59 * MIN_));
  g_assert_false (gw_alert_queue_is_quiet (f->queue, f->now + 13 * HOUR));

  apply (f, TRUE, NULL);
  f->now += 9 * HOUR;  /* 03:00 */
  apply (f, FALSE, make (f, "night", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  /* The banner still shows, silently. */
  g_assert_cmpuint (f->announced->len, ==, 1);
  g_assert_cmpuint (f->n_sounds, ==, 0);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 1);

  /* Quiet hours switched off: the reminder sounds. */
  g_object_set (f->queue, "quiet-hours-enabled", FALSE, NULL);
  advance (f, 120 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 2);
  g_assert_cmpuint (f->n_sounds, ==, 1);

  /* A window that does not cross midnight. */
  g_object_set (f->queue, "quiet-hours-enabled", TRUE,
                "quiet-hours-start", "12:30", "quiet-hours-end", "13:30", NULL);
  g_assert_false (gw_alert_queue_is_quiet (f->queue, f->now));
  g_assert_true (gw_alert_queue_is_quiet (f->queue, f->now + 9 * HOUR + 30 * MIN_));
  g_assert_false (gw_alert_queue_is_quiet (f->queue, f->now + 10 * HOUR + 30 * MIN_));
}

static void
test_mute (Fixture *f, gconstpointer data)
{
  apply (f, TRUE, NULL);
  g_object_set (f->queue, "muted", TRUE, NULL);
  apply (f, FALSE, make (f, "u1", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 1);
  g_assert_cmpuint (f->n_sounds, ==, 0);

  g_object_set (f->queue, "muted", FALSE, NULL);
  advance (f, 120 * SEC);
  g_assert_cmpuint (f->n_sounds, ==, 1);

  /* Sounds off in the settings: banners only. */
  g_object_set (f->queue, "sound-enabled", FALSE, NULL);
  advance (f, 120 * SEC);
  g_assert_cmpuint (f->announced->len, ==, 3);
  g_assert_cmpuint (f->n_sounds, ==, 1);

  /* Alerts off: nothing raised at all. */
  g_object_set (f->queue, "enabled", FALSE, NULL);
  apply (f, FALSE, make (f, "u2", GW_PRIORITY_URGENT, f->now + HOUR), NULL);
  g_assert_cmpuint (f->announced->len, ==, 3);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 1);
}

static void
test_burst (Fixture *f, gconstpointer data)
{
  GwStoreBatch *batch = gw_store_batch_new ();

  /* 50 cases due within one minute, plus the reminders that come after. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("b%02u", i);
      g_autoptr(GwIncident) incident = make (f, id, GW_PRIORITY_NORMAL,
                                             f->now + MIN_ + (i % 25) * 2 * SEC);
      gw_store_batch_upsert (batch, incident);
    }
  gw_store_batch_set_snapshot (batch, TRUE);
  gw_store_apply (f->store, batch);

  /* All fifty turn late in one tick... */
  f->now += MIN_ + SEC;
  f->now += 48 * SEC;
  gw_alert_queue_tick (f->queue, f->now);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 50);
  g_assert_cmpuint (f->announced->len, ==, 3);
  g_assert_cmpuint (f->n_sounds, ==, 3);
  g_assert_cmpuint (f->n_summaries, ==, 1);
  g_assert_cmpuint (f->last_summary[GW_ALERT_LATE], ==, 47);
  g_assert_cmpuint (gw_alert_queue_get_n_summarised (f->queue, GW_ALERT_LATE), ==, 47);
  g_assert_cmpuint (gw_alert_queue_get_n_summarised (f->queue, GW_ALERT_URGENT), ==, 0);
  g_assert_nonnull (gw_alert_queue_get_current (f->queue));
  g_assert_true (gw_alert_queue_get_current (f->queue)->announced);

  /* ...and the rest of the minute stays silent, whatever the reminders. */
  for (int i = 0; i < 50; i++)
    advance (f, SEC);
  g_assert_cmpuint (f->n_sounds, ==, 3);

  /* Acknowledging one summarised alert updates the summary. */
  {
    g_autoptr(GPtrArray) pending = gw_alert_queue_list_pending (f->queue);
    GwAlert *hidden = NULL;

    for (guint i = 0; i < pending->len && hidden == NULL; i++)
      if (!((GwAlert *) g_ptr_array_index (pending, i))->announced)
        hidden = g_ptr_array_index (pending, i);
    g_assert_nonnull (hidden);
    g_assert_true (gw_alert_queue_acknowledge (f->queue, hidden->id));
    g_assert_cmpuint (f->last_summary[GW_ALERT_LATE], ==, 46);
  }
  gw_alert_queue_acknowledge_all (f->queue);
  g_assert_cmpuint (f->last_summary[GW_ALERT_LATE], ==, 0);
}

/* The same storm spread over a minute, tick by tick: the summary grows, sounds do not. */
static void
test_burst_spread (Fixture *f, gconstpointer data)
{
  GwStoreBatch *batch = gw_store_batch_new ();
  guint sounds_before;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%02u", i);
      g_autoptr(GwIncident) incident = make (f, id, GW_PRIORITY_NORMAL,
                                             f->now + MIN_ + i * SEC);
      gw_store_batch_upsert (batch, incident);
    }
  gw_store_batch_set_snapshot (batch, TRUE);
  gw_store_apply (f->store, batch);
  f->now += MIN_;
  for (guint i = 0; i < 50; i++)
    advance (f, SEC);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (f->queue), ==, 50);
  g_assert_cmpuint (f->n_sounds, <=, 3);
  g_assert_cmpuint (f->announced->len, <=, 3);
  g_assert_cmpuint (gw_alert_queue_get_n_summarised (f->queue, GW_ALERT_LATE), ==, 47);
  g_assert_cmpuint (f->last_summary[GW_ALERT_LATE], ==, 47);

  /* After the window, one reminder a tick at most, within the limit per minute. */
  sounds_before = f->n_sounds;
  for (guint i = 0; i < 120; i++)
    advance (f, SEC);
  g_assert_cmpuint (f->n_sounds - sounds_before, <=, 2 * 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/alert-queue/" path, Fixture, NULL, setup, func, teardown)
  ADD ("new-urgent", test_new_urgent);
  ADD ("paged-snapshot", test_paged_snapshot);
  ADD ("turns-late", test_turns_late);
  ADD ("repeat-and-ack", test_repeat_and_ack);
  ADD ("close-drops", test_close_drops);
  ADD ("quiet-hours", test_quiet_hours);
  ADD ("mute", test_mute);
  ADD ("burst", test_burst);
  ADD ("burst-spread", test_burst_spread);
#undef ADD

  return g_test_run ();
}
