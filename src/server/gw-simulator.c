/* gw-simulator.c — plays a realistic street into a GwDispatchDb
 *
 * Every case is planned in full when it arrives: its whole timeline (registration,
 * dispatch, the department's response, rework, extensions, closing, evaluation) is
 * drawn from per-department distributions. History (back-fill) applies the planned
 * events that lie in the past and imports the case in one go; the live simulation
 * reports the case and posts each planned event when the simulated clock reaches it.
 * Both share the planner (gw-case-planner.c), so live and historical cases look alike.
 *
 * Randomness comes from the simulator's own xoshiro256** streams (gw-rng.c) seeded
 * from the seed, never from g_random, so one seed always plays the same street.
 */
#include "gw-simulator.h"

#include "gw-case-planner.h"
#include "gw-rng.h"
#include "gw-sim-queue.h"
#include "gw-street.h"
#include "gw-workflow.h"

#define TICK_MS             200
/* Cases per back-fill transaction: every commit that leaves more than SQLite's 4 MB
 * of WAL ends in a checkpoint with two fsyncs, and at 2000 cases (~5 MB) those were a
 * third of a long back-fill. */
#define BACKFILL_BATCH      10000
#define ADVANCE_BATCH       500
#define MIN_SPEED           1.0
#define MAX_SPEED           3600.0

/* ------------------------------------------------------------------------------------
 * The object
 */

struct _GwSimulator
{
  GObject        parent_instance;

  GwDispatchDb  *db;
  guint64        seed;
  double         speed;
  GwRng          rng;              /* the live stream */

  GwTime         sim_now;          /* simulated time processed up to */
  GwTime         stamp;            /* while an action runs: its time, for the db clock */
  GwTime         next_arrival;     /* GW_TIME_NONE until the live stream starts */
  GwTime         anchor_sim;       /* while running: sim time at anchor_real */
  gint64         anchor_real;      /* monotonic µs */
  guint          timeout_id;

  GwSimQueue    *queue;            /* the cases still being played */

  /* Ids: "LD" + Beijing time to the second + a counter within that second. */
  gint64         last_id_second;
  guint          id_counter;

  /* Plans cases from the database's reference data; NULL until first needed. */
  GwCasePlanner *planner;
};

G_DEFINE_FINAL_TYPE (GwSimulator, gw_simulator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_SEED,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Queues @sim_case for its next planned event, or frees it when it has none left. */
static void
queue_next (GwSimulator *self, GwSimCase *sim_case)
{
  if (sim_case->next < sim_case->plan->len)
    gw_sim_queue_push (self->queue,
                       ((GwStageEvent *) g_ptr_array_index (sim_case->plan, sim_case->next))->time,
                       sim_case);
  else
    gw_sim_case_free (sim_case);
}

/* ------------------------------------------------------------------------------------
 * Case ids
 */

static char *
make_id (GwSimulator *self, GwTime t)
{
  gint64 s = t / GW_USEC_PER_SEC + GW_BEIJING_OFFSET_SEC;
  gint64 sod = ((s % 86400) + 86400) % 86400;
  gint64 y;
  int mo, d;

  if (s == self->last_id_second)
    self->id_counter++;
  else
    self->id_counter = 1;
  self->last_id_second = s;

  gw_time_civil_from_days ((s - sod) / 86400, &y, &mo, &d);
  return g_strdup_printf ("LD%04d%02d%02d%02d%02d%02d%02u", (int) y, mo, d,
                          (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60),
                          self->id_counter);
}

/* ------------------------------------------------------------------------------------
 * Reference data
 */

static void
clear_reference (GwSimulator *self)
{
  g_clear_pointer (&self->planner, gw_case_planner_free);
}

/* Loads (once) the database's cells, classes and departments: a deployment may have
 * its own, and the simulator then plays those with default behaviour. */
static gboolean
ensure_reference (GwSimulator *self, GError **error)
{
  if (self->planner != NULL)
    return TRUE;

  if (!gw_dispatch_db_has_reference (self->db) && !gw_simulator_prepare (self, error))
    return FALSE;

  self->planner = gw_case_planner_new (self->db, error);
  return self->planner != NULL;
}

/* A case drafted at @t under the next id; ids are the simulator's, the rest the
 * planner's. */
static GwIncident *
draft_case (GwSimulator            *self,
            GwRng                  *rng,
            GwTime                  t,
            const GwIncidentClass **klass_out)
{
  return gw_case_planner_draft (self->planner, rng, t, make_id (self, t), klass_out);
}

/* ------------------------------------------------------------------------------------
 * The live simulation
 */

static GwTime
db_clock (gpointer user_data)
{
  GwSimulator *self = user_data;

  return self->stamp != GW_TIME_NONE ? self->stamp : gw_simulator_now (self);
}

/* Errors that mean the database itself failed, as opposed to a case someone else
 * changed under us (an operator posting events through the API). */
static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_FAILED) ||
         g_error_matches (error, GW_DISPATCH_DB_ERROR, GW_DISPATCH_DB_ERROR_SCHEMA);
}

static gboolean
run_arrival (GwSimulator *self, GwTime t, GError **error)
{
  g_autoptr(GwIncident) draft = NULL;
  g_autoptr(GwIncident) report = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  const GwIncidentClass *klass;
  gboolean duplicate = FALSE;
  gboolean reworked;
  GPtrArray *plan;

  draft = draft_case (self, &self->rng, t, &klass);
  plan = gw_case_planner_plan (self->planner, &self->rng, draft, klass, &reworked);

  /* What a reporter posts; the database derives the rest. */
  report = gw_incident_copy (draft);
  g_clear_pointer (&report->cell_code, g_free);
  g_clear_pointer (&report->department, g_free);
  report->deadline = GW_TIME_NONE;

  stored = gw_dispatch_db_report (self->db, report, &duplicate, &local_error);
  if (stored == NULL)
    {
      g_ptr_array_unref (plan);
      if (is_fatal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Simulated report %s refused: %s", draft->id, local_error->message);
      return TRUE;
    }
  if (duplicate)
    {
      /* A case of an earlier run with the same id: it is not ours to play. */
      g_ptr_array_unref (plan);
      return TRUE;
    }

  queue_next (self, gw_sim_case_new (g_strdup (stored->id), plan, 1, stored->deadline));
  return TRUE;
}

static gboolean
run_step (GwSimulator *self, GwSimCase *sim_case, GError **error)
{
  const GwStageEvent *planned = g_ptr_array_index (sim_case->plan, sim_case->next);
  g_autoptr(GwStageEvent) adjusted = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean duplicate = FALSE;

  /* The database may have a different deadline than planned (its own reference data,
   * or an operator's extension); an extension must still move it later. */
  if (planned->stage == GW_STAGE_EXTENDED && planned->deadline <= sim_case->deadline)
    {
      adjusted = gw_stage_event_copy (planned);
      adjusted->deadline = sim_case->deadline + 24 * GW_USEC_PER_HOUR;
      planned = adjusted;
    }

  stored = gw_dispatch_db_add_event (self->db, sim_case->id, planned, &duplicate, &local_error);
  if (stored == NULL)
    {
      gw_sim_case_free (sim_case);
      if (is_fatal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Someone else moved the case on: leave it to them. */
      g_debug ("Simulated case dropped: %s", local_error->message);
      return TRUE;
    }

  sim_case->deadline = stored->deadline;
  sim_case->next++;
  queue_next (self, sim_case);
  return TRUE;
}

gboolean
gw_simulator_advance (GwSimulator  *self,
                      GwTime        until,
                      GError      **error)
{
  gboolean ok = TRUE;
  gboolean in_transaction = FALSE;
  guint n_actions = 0;

  g_return_val_if_fail (GW_IS_SIMULATOR (self), FALSE);

  if (!ensure_reference (self, error))
    return FALSE;

  if (self->next_arrival == GW_TIME_NONE)
    self->next_arrival = gw_case_next_arrival (&self->rng, self->sim_now);

  /* One transaction per batch of actions: a tick's writes, or a long catch-up, cost
   * one commit instead of one each; an idle tick costs none. Changes are still
   * signalled in order, after their commit. */
  while (ok)
    {
      GwTime case_time = gw_sim_queue_peek_time (self->queue);
      GwTime t = MIN (case_time, self->next_arrival);

      if (t > until)
        break;

      if (!in_transaction)
        {
          gw_dispatch_db_begin (self->db);
          in_transaction = TRUE;
        }

      /* Writes are stamped with the time of the action, not the timer tick. */
      self->stamp = t;
      if (self->next_arrival <= case_time)
        {
          ok = run_arrival (self, t, error);
          self->next_arrival = gw_case_next_arrival (&self->rng, t);
        }
      else
        ok = run_step (self, gw_sim_queue_pop (self->queue), error);

      if (ok && ++n_actions % ADVANCE_BATCH == 0)
        {
          in_transaction = FALSE;
          ok = gw_dispatch_db_commit (self->db, error);
        }
    }
  self->stamp = GW_TIME_NONE;

  /* Keep what was written before a failure. */
  if (in_transaction && !gw_dispatch_db_commit (self->db, ok ? error : NULL))
    ok = FALSE;

  if (ok)
    self->sim_now = MAX (self->sim_now, until);
  return ok;
}

/* ------------------------------------------------------------------------------------
 * History
 */

gboolean
gw_simulator_backfill (GwSimulator  *self,
                       guint         days,
                       GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  GwTime now, t;
  guint in_batch = 0;
  GwRng rng;

  g_return_val_if_fail (GW_IS_SIMULATOR (self), FALSE);

  if (!ensure_reference (self, error))
    return FALSE;
  if (days == 0)
    return TRUE;

  now = gw_simulator_now (self);
  /* A stream of its own: the live simulation is the same with or without history. */
  gw_rng_seed (&rng, self->seed, 2);
  t = gw_case_whole_seconds (now - (GwTime) days * 24 * GW_USEC_PER_HOUR);

  gw_dispatch_db_begin (self->db);
  while ((t = gw_case_next_arrival (&rng, t)) < now)
    {
      const GwIncidentClass *klass;
      g_autoptr(GwIncident) incident = draft_case (self, &rng, t, &klass);
      g_autoptr(GPtrArray) plan = NULL;
      gboolean reworked;
      guint next = 0;

      plan = gw_case_planner_plan (self->planner, &rng, incident, klass, &reworked);
      for (; next < plan->len; next++)
        {
          const GwStageEvent *event = g_ptr_array_index (plan, next);

          if (event->time > now)
            break;
          if (!gw_incident_apply_event (incident, event, &local_error))
            {
              /* A planner bug, not bad luck: say so and keep the history valid. */
              g_critical ("Planned timeline of %s is invalid: %s", incident->id, local_error->message);
              g_clear_error (&local_error);
              next = plan->len;
              break;
            }
        }

      if (incident->source == GW_SOURCE_HOTLINE && gw_stage_is_closed (incident->stage))
        gw_case_planner_visit (&rng, incident, reworked);

      if (!gw_dispatch_db_import (self->db, incident, &local_error))
        break;

      /* Still open at the simulated now: the live simulation carries on with it. */
      if (next < plan->len)
        queue_next (self, gw_sim_case_new (g_strdup (incident->id), g_steal_pointer (&plan),
                                           next, incident->deadline));

      if (++in_batch == BACKFILL_BATCH)
        {
          in_batch = 0;
          if (!gw_dispatch_db_commit (self->db, &local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          gw_dispatch_db_begin (self->db);
        }
    }

  /* Commit what was written even after a failed import, then report the failure. */
  if (!gw_dispatch_db_commit (self->db, local_error == NULL ? error : NULL) || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------
 * Clock and main-loop driving
 */

GwTime
gw_simulator_now (GwSimulator *self)
{
  g_return_val_if_fail (GW_IS_SIMULATOR (self), GW_TIME_NONE);

  if (self->timeout_id == 0)
    return self->sim_now;
  return self->anchor_sim +
         (GwTime) ((double) (g_get_monotonic_time () - self->anchor_real) * self->speed);
}

static gboolean
on_tick (gpointer user_data)
{
  GwSimulator *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gw_simulator_advance (self, gw_simulator_now (self), &error))
    g_warning ("Simulation step failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

void
gw_simulator_start (GwSimulator *self)
{
  g_return_if_fail (GW_IS_SIMULATOR (self));

  if (self->timeout_id != 0)
    return;

  self->anchor_sim = self->sim_now;
  self->anchor_real = g_get_monotonic_time ();
  gw_dispatch_db_set_clock (self->db, db_clock, self);
  self->timeout_id = g_timeout_add (TICK_MS, on_tick, self);
  g_source_set_name_by_id (self->timeout_id, "[gridwatch] simulator tick");
}

void
gw_simulator_stop (GwSimulator *self)
{
  g_autoptr(GError) error = NULL;
  GwTime now;

  g_return_if_fail (GW_IS_SIMULATOR (self));

  if (self->timeout_id == 0)
    return;

  /* Catch up, then freeze the clock where it stands. */
  now = gw_simulator_now (self);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!gw_simulator_advance (self, now, &error))
    g_warning ("Simulation step failed: %s", error->message);
  self->sim_now = MAX (self->sim_now, now);
}

void
gw_simulator_set_time (GwSimulator *self,
                       GwTime       now)
{
  g_return_if_fail (GW_IS_SIMULATOR (self));
  g_return_if_fail (self->timeout_id == 0);

  self->sim_now = now;
  /* The arrival stream restarts from the new time. */
  self->next_arrival = GW_TIME_NONE;
}

double
gw_simulator_get_speed (GwSimulator *self)
{
  g_return_val_if_fail (GW_IS_SIMULATOR (self), MIN_SPEED);

  return self->speed;
}

void
gw_simulator_set_speed (GwSimulator *self,
                        double       speed)
{
  g_return_if_fail (GW_IS_SIMULATOR (self));

  speed = CLAMP (speed, MIN_SPEED, MAX_SPEED);
  if (speed == self->speed)
    return;

  /* Re-anchor so the clock keeps going from where it is, only faster or slower. */
  if (self->timeout_id != 0)
    {
      self->anchor_sim = gw_simulator_now (self);
      self->anchor_real = g_get_monotonic_time ();
    }
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

guint
gw_simulator_get_n_pending (GwSimulator *self)
{
  g_return_val_if_fail (GW_IS_SIMULATOR (self), 0);

  return gw_sim_queue_get_length (self->queue);
}

gboolean
gw_simulator_prepare (GwSimulator  *self,
                      GError      **error)
{
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) classes = NULL;

  g_return_val_if_fail (GW_IS_SIMULATOR (self), FALSE);

  if (gw_dispatch_db_has_reference (self->db))
    return TRUE;

  cells = gw_street_cells ();
  departments = gw_street_departments ();
  classes = gw_street_classes ();
  if (!gw_dispatch_db_replace_reference (self->db, cells, departments, classes, error))
    return FALSE;

  clear_reference (self);
  return TRUE;
}

/* ------------------------------------------------------------------------------------
 * GObject
 */

GwSimulator *
gw_simulator_new (GwDispatchDb *db,
                  guint64       seed,
                  double        speed)
{
  g_return_val_if_fail (GW_IS_DISPATCH_DB (db), NULL);

  return g_object_new (GW_TYPE_SIMULATOR,
                       "db", db,
                       "seed", seed,
                       "speed", CLAMP (speed, MIN_SPEED, MAX_SPEED),
                       NULL);
}

static void
gw_simulator_constructed (GObject *object)
{
  GwSimulator *self = GW_SIMULATOR (object);

  G_OBJECT_CLASS (gw_simulator_parent_class)->constructed (object);

  gw_rng_seed (&self->rng, self->seed, 1);
  /* The simulated clock starts at the real time, in whole seconds like every write. */
  self->sim_now = gw_case_whole_seconds (gw_time_now ());

  /* Writes made while the simulation is stopped (tests driving advance) carry
   * simulated time too. */
  if (self->db != NULL)
    gw_dispatch_db_set_clock (self->db, db_clock, self);
}

static void
gw_simulator_dispose (GObject *object)
{
  GwSimulator *self = GW_SIMULATOR (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->db != NULL)
    {
      /* The database may outlive us: give it back its real clock. */
      gw_dispatch_db_set_clock (self->db, NULL, NULL);
      g_clear_object (&self->db);
    }
  clear_reference (self);

  G_OBJECT_CLASS (gw_simulator_parent_class)->dispose (object);
}

static void
gw_simulator_finalize (GObject *object)
{
  GwSimulator *self = GW_SIMULATOR (object);

  g_clear_pointer (&self->queue, gw_sim_queue_free);

  G_OBJECT_CLASS (gw_simulator_parent_class)->finalize (object);
}

static void
gw_simulator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GwSimulator *self = GW_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_simulator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GwSimulator *self = GW_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint64 (value);
      break;
    case PROP_SPEED:
      gw_simulator_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_simulator_class_init (GwSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gw_simulator_constructed;
  object_class->dispose = gw_simulator_dispose;
  object_class->finalize = gw_simulator_finalize;
  object_class->get_property = gw_simulator_get_property;
  object_class->set_property = gw_simulator_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL,
                         GW_TYPE_DISPATCH_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL,
                         MIN_SPEED, MAX_SPEED, MIN_SPEED,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_simulator_init (GwSimulator *self)
{
  self->speed = MIN_SPEED;
  self->queue = gw_sim_queue_new ();
  self->last_id_second = G_MININT64;
}

