/* test-simulator.c — the simulator plays a plausible, reproducible street */
#include <string.h>

#include "gw-codec.h"
#include "gw-simulator.h"
#include "gw-street.h"
#include "gw-test-dispatchd.h"
#include "gw-workflow.h"

#define HOUR  GW_USEC_PER_HOUR
#define DAY   (24 * GW_USEC_PER_HOUR)

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gw-simulator-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  gw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GwTime
start_time (void)
{
  GwTime t = GW_TIME_NONE;

  /* Midnight in Beijing, a Wednesday. */
  g_assert_true (gw_time_parse_rfc3339 ("2026-11-25T00:00:00+08:00", &t));
  return t;
}

static GwDispatchDb *
open_db (Fixture *fixture, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  GwDispatchDb *db = gw_dispatch_db_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static GwSimulator *
new_simulator (GwDispatchDb *db, guint64 seed, GwTime now)
{
  g_autoptr(GError) error = NULL;
  GwSimulator *sim = gw_simulator_new (db, seed, 1.0);
  gboolean ok;

  gw_simulator_set_time (sim, now);
  ok = gw_simulator_prepare (sim, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return sim;
}

/* Every stored incident's JSON, in storage order, as one JSON array text. */
static char *
dump_incidents (GwDispatchDb *db)
{
  GwIncidentFilter filter = { 0 };
  GString *out = g_string_new ("[");
  gint64 after = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      gsize before = out->len;

      if (before > 1)
        g_string_append_c (out, ',');
      after = gw_dispatch_db_list_incidents (db, &filter, after, 500, out, &more, &error);
      g_assert_no_error (error);
      if (after == 0)
        g_string_truncate (out, before);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static GPtrArray *
load_incidents (GwDispatchDb *db)
{
  g_autofree char *json = dump_incidents (db);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = gw_json_parse (json, -1, &error);
  GPtrArray *incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GwIncident *incident = gw_incident_from_json (json_array_get_element (array, i), &error);

      g_assert_no_error (error);
      g_ptr_array_add (incidents, incident);
    }
  g_assert_cmpuint (incidents->len, ==, gw_dispatch_db_count_incidents (db));
  return incidents;
}

static gboolean
has_stage (const GwIncident *incident, GwStage stage)
{
  for (guint i = 0; i < incident->timeline->len; i++)
    if (((GwStageEvent *) g_ptr_array_index (incident->timeline, i))->stage == stage)
      return TRUE;
  return FALSE;
}

/* Replays the timeline event by event on an empty case: each step must be a valid
 * transition, and the result must agree with the stored state. */
static void
assert_valid_timeline (const GwIncident *incident, GHashTable *class_hours)
{
  g_autoptr(GwIncident) replay = gw_incident_new ();
  g_autoptr(GHashTable) event_ids = g_hash_table_new (g_str_hash, g_str_equal);
  gpointer hours;

  replay->id = g_strdup (incident->id);
  g_assert_cmpuint (incident->timeline->len, >=, 1);

  for (guint i = 0; i < incident->timeline->len; i++)
    {
      GwStageEvent *event = g_ptr_array_index (incident->timeline, i);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_str_has_prefix (event->id, incident->id));
      g_assert_false (g_hash_table_contains (event_ids, event->id));
      g_hash_table_add (event_ids, event->id);
      g_assert_true (gw_incident_apply_event (replay, event, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpint (replay->stage, ==, incident->stage);
  g_assert_cmpint (replay->closed_at, ==, incident->closed_at);
  g_assert_cmpint (replay->updated_at, ==, incident->updated_at);
  if (replay->department != NULL)
    g_assert_cmpstr (replay->department, ==, incident->department);
  if (replay->deadline != GW_TIME_NONE)
    g_assert_cmpint (replay->deadline, ==, incident->deadline);

  g_assert_cmpint (((GwStageEvent *) g_ptr_array_index (incident->timeline, 0))->time, ==,
                   incident->received_at);
  g_assert_true (gw_stage_is_closed (incident->stage) == (incident->closed_at != GW_TIME_NONE));

  /* The deadline comes from the class and only ever moves later. */
  g_assert_true (g_hash_table_lookup_extended (class_hours, incident->class_code, NULL, &hours));
  g_assert_cmpint (incident->deadline, >=, incident->received_at + GPOINTER_TO_INT (hours) * HOUR);

  /* Where it happened: inside a cell of the street, with an address. */
  g_assert_nonnull (incident->cell_code);
  g_assert_true (gw_cell_code_is_valid (incident->cell_code));
  g_assert_nonnull (incident->address);
  g_assert_cmpstr (incident->address, !=, "");
  g_assert_nonnull (incident->department);
}

static GHashTable *
class_hours_table (void)
{
  g_autoptr(GPtrArray) classes = gw_street_classes ();
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < classes->len; i++)
    {
      GwIncidentClass *klass = g_ptr_array_index (classes, i);
      g_hash_table_insert (table, g_strdup (klass->code), GINT_TO_POINTER (klass->deadline_hours));
    }
  return table;
}

static char *
run_and_dump (Fixture *fixture, const char *name, guint64 seed, GwTime span)
{
  g_autoptr(GwDispatchDb) db = open_db (fixture, name);
  g_autoptr(GwSimulator) sim = new_simulator (db, seed, start_time ());
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = gw_simulator_advance (sim, start_time () + span, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  /* Writes are stamped with simulated time. */
  g_assert_cmpint (gw_dispatch_db_now (db), ==, start_time () + span);
  return dump_incidents (db);
}

static void
test_deterministic (Fixture *fixture, gconstpointer data)
{
  g_autofree char *a = run_and_dump (fixture, "a.db", 42, 10 * HOUR);
  g_autofree char *b = run_and_dump (fixture, "b.db", 42, 10 * HOUR);
  g_autofree char *c = run_and_dump (fixture, "c.db", 43, 10 * HOUR);

  /* Something happened, and exactly the same thing with the same seed. */
  g_assert_cmpuint (strlen (a), >, 1000);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_one_day (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GwDispatchDb) db = open_db (fixture, "day.db");
  g_autoptr(GwSimulator) sim = new_simulator (db, 1, start_time ());
  g_autoptr(GHashTable) class_hours = class_hours_table ();
  g_autoptr(GHashTable) classes_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GError) error = NULL;
  GwTime t0 = start_time (), end = t0 + DAY;
  guint n_late = 0, n_reworked = 0, n_extended = 0, n_closed = 0, n_open = 0;
  guint n_day = 0, n_night = 0;
  guint per_source[GW_N_SOURCES] = { 0 };
  gboolean ok;

  ok = gw_simulator_advance (sim, end, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (gw_simulator_now (sim), ==, end);

  incidents = load_incidents (db);
  /* About 150–300 cases a day at 1×. */
  g_assert_cmpuint (incidents->len, >=, 150);
  g_assert_cmpuint (incidents->len, <=, 300);

  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      gint64 hour = (incident->received_at - t0) / HOUR;  /* Beijing hour: t0 is midnight */

      assert_valid_timeline (incident, class_hours);
      g_assert_cmpint (incident->received_at, >=, t0);
      g_assert_cmpint (incident->received_at, <=, end);
      g_assert_cmpint (incident->updated_at, <=, end);

      per_source[incident->source]++;
      g_hash_table_add (classes_seen, incident->class_code);
      if (gw_incident_is_late (incident, end))
        n_late++;
      if (has_stage (incident, GW_STAGE_REWORK))
        n_reworked++;
      if (has_stage (incident, GW_STAGE_EXTENDED))
        n_extended++;
      if (gw_incident_is_open (incident))
        n_open++;
      else
        n_closed++;
      if (hour >= 9 && hour < 17)
        n_day++;
      else if (hour < 6)
        n_night++;
    }

  g_assert_cmpuint (n_late, >, 0);
  g_assert_cmpuint (n_late, <, incidents->len / 3);
  g_assert_cmpuint (n_reworked, >, 0);
  g_assert_cmpuint (n_extended, >, 0);
  /* Most of a day's cases are done within it, but not all. */
  g_assert_cmpuint (n_closed, >, incidents->len / 2);
  g_assert_cmpuint (n_open, >, 0);
  g_assert_cmpuint (gw_simulator_get_n_pending (sim), >, 0);
  /* Office hours are much busier than the small hours. */
  g_assert_cmpuint (n_day, >, 4 * n_night);
  g_assert_cmpuint (per_source[GW_SOURCE_HOTLINE], >, 0);
  g_assert_cmpuint (per_source[GW_SOURCE_PATROL], >, 0);
  g_assert_cmpuint (per_source[GW_SOURCE_VIDEO], >, 0);
  g_assert_cmpuint (per_source[GW_SOURCE_APP], >, 0);
  g_assert_cmpuint (g_hash_table_size (classes_seen), >=, 15);

  /* Advancing again moves the open cases on. */
  ok = gw_simulator_advance (sim, end + 3 * DAY, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  {
    g_autoptr(GPtrArray) later = load_incidents (db);
    guint still_open = 0;

    for (guint i = 0; i < later->len; i++)
      {
        GwIncident *incident = g_ptr_array_index (later, i);

        if (incident->received_at < end && gw_incident_is_open (incident))
          still_open++;
      }
    g_assert_cmpuint (still_open, <, n_open);
  }
}

static void
test_backfill (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GwDispatchDb) db = open_db (fixture, "history.db");
  g_autoptr(GwSimulator) sim = new_simulator (db, 7, start_time ());
  g_autoptr(GHashTable) class_hours = class_hours_table ();
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GError) error = NULL;
  GwTime t0 = start_time ();
  guint n_old = 0, n_old_closed = 0, n_visited = 0, n_open_before = 0, n_satisfied = 0;
  guint n_total;
  gboolean ok;

  ok = gw_simulator_backfill (sim, 10, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  /* Ten days at 150–300 a day. */
  n_total = gw_dispatch_db_count_incidents (db);
  g_assert_cmpuint (n_total, >=, 10 * 150);
  g_assert_cmpuint (n_total, <=, 10 * 300);

  incidents = load_incidents (db);
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);

      assert_valid_timeline (incident, class_hours);
      g_assert_cmpint (incident->received_at, >=, t0 - 10 * DAY);
      g_assert_cmpint (incident->received_at, <, t0);
      g_assert_cmpint (incident->updated_at, <=, t0);

      if (incident->received_at < t0 - 3 * DAY)
        {
          n_old++;
          if (!gw_incident_is_open (incident))
            n_old_closed++;
        }
      if (gw_incident_is_open (incident))
        n_open_before++;

      /* Return visits: only closed 12345 cases have one. */
      if (incident->visited)
        {
          n_visited++;
          g_assert_cmpint (incident->source, ==, GW_SOURCE_HOTLINE);
          g_assert_false (gw_incident_is_open (incident));
          if (incident->satisfaction == GW_SATISFACTION_SATISFIED)
            n_satisfied++;
          if (!incident->visit_contacted)
            g_assert_cmpint (incident->satisfaction, ==, GW_SATISFACTION_NONE);
        }
    }

  /* Old cases are nearly all closed; recent ones are still being worked on. */
  g_assert_cmpuint (n_old_closed, >=, n_old * 95 / 100);
  g_assert_cmpuint (n_open_before, >, 0);
  g_assert_cmpuint (n_visited, >, n_total / 5);
  g_assert_cmpuint (n_satisfied, >, n_visited / 2);
  g_assert_cmpuint (gw_simulator_get_n_pending (sim), >, 0);

  /* The live simulation carries the open history on. */
  ok = gw_simulator_advance (sim, t0 + 2 * DAY, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  {
    g_autoptr(GPtrArray) later = load_incidents (db);
    guint n_open_after = 0;

    g_assert_cmpuint (later->len, >, n_total);
    for (guint i = 0; i < later->len; i++)
      {
        GwIncident *incident = g_ptr_array_index (later, i);

        assert_valid_timeline (incident, class_hours);
        if (incident->received_at < t0 && gw_incident_is_open (incident))
          n_open_after++;
      }
    g_assert_cmpuint (n_open_after, <, n_open_before / 2);
  }
}

typedef struct {
  GwDispatchDb *db;
  gboolean      timed_out;
} ClockWait;

static gboolean
on_guard_timeout (gpointer data)
{
  ((ClockWait *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_clock (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GwDispatchDb) db = open_db (fixture, "clock.db");
  g_autoptr(GwSimulator) sim = new_simulator (db, 3, start_time ());
  ClockWait wait = { db, FALSE };
  GwTime sim0, sim1, frozen;
  gint64 real0, real1;
  guint guard;

  gw_simulator_set_speed (sim, 3600);
  g_assert_cmpfloat (gw_simulator_get_speed (sim), ==, 3600);
  gw_simulator_set_speed (sim, 1e9);
  g_assert_cmpfloat (gw_simulator_get_speed (sim), ==, 3600);

  /* Stopped, the clock stands still at the time it was set to. */
  g_assert_cmpint (gw_simulator_now (sim), ==, start_time ());
  g_assert_cmpint (gw_dispatch_db_now (db), ==, start_time ());

  real0 = g_get_monotonic_time ();
  gw_simulator_start (sim);
  sim0 = gw_simulator_now (sim);

  /* At 3600× a case arrives every few simulated minutes, i.e. within a second or so
   * of real time; the guard only stops a broken simulator from hanging the test. */
  guard = g_timeout_add_seconds (30, on_guard_timeout, &wait);
  while (!wait.timed_out && gw_dispatch_db_count_incidents (db) < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wait.timed_out);
  g_source_remove (guard);

  sim1 = gw_simulator_now (sim);
  real1 = g_get_monotonic_time ();
  gw_simulator_stop (sim);

  /* The simulated clock ran at the chosen speed. */
  g_assert_cmpint (sim0, >=, start_time ());
  g_assert_cmpint (sim1 - sim0, >, 0);
  g_assert_cmpint (sim1 - start_time (), <=, (real1 - real0) * 3600 + GW_USEC_PER_SEC);
  g_assert_cmpint (sim1 - sim0, >=, GW_USEC_PER_MIN);

  frozen = gw_simulator_now (sim);
  g_assert_cmpint (frozen, >=, sim1);
  g_assert_cmpint (gw_simulator_now (sim), ==, frozen);
  g_assert_cmpint (gw_dispatch_db_now (db), ==, frozen);

  {
    g_autoptr(GPtrArray) incidents = load_incidents (db);

    for (guint i = 0; i < incidents->len; i++)
      {
        GwIncident *incident = g_ptr_array_index (incidents, i);

        /* Stamped with simulated, not real, time. */
        g_assert_cmpint (incident->received_at, >=, start_time ());
        g_assert_cmpint (incident->updated_at, <=, frozen);
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/simulator/deterministic", Fixture, NULL, fixture_setup, test_deterministic, fixture_teardown);
  g_test_add ("/simulator/one-day", Fixture, NULL, fixture_setup, test_one_day, fixture_teardown);
  g_test_add ("/simulator/backfill", Fixture, NULL, fixture_setup, test_backfill, fixture_teardown);
  g_test_add ("/simulator/clock", Fixture, NULL, fixture_setup, test_clock, fixture_teardown);

  return g_test_run ();
}
