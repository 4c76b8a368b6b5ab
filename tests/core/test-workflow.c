/* test-workflow.c — the transition table and gw_incident_apply_event() */
#include "gw-workflow.h"

#define T0 ((GwTime) 1764057600 * G_USEC_PER_SEC) /* 2026-11-25T08:00:00Z */
#define AT(m) (T0 + (GwTime) (m) * GW_USEC_PER_MIN)

/* The table of the wire spec, written out again as text. */
static const char *const spec_table[] = {
  "received: registered closed",
  "registered: dispatched parked closed",
  "dispatched: on_site returned extended parked dispatched",
  "on_site: reported_done extended parked returned",
  "reported_done: closed rework",
  "closed: evaluated appeal",
  "evaluated: appeal",
  "rework: on_site reported_done dispatched extended",
  "extended: on_site reported_done extended parked returned",
  "parked: dispatched on_site closed",
  "returned: dispatched parked closed",
  "appeal: rework closed evaluated",
};

static gboolean allowed[GW_N_STAGES][GW_N_STAGES];

static void
load_spec_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (spec_table); i++)
    {
      g_auto(GStrv) words = g_strsplit_set (spec_table[i], ": ", -1);
      GwStage from, to;
      g_assert_true (gw_stage_from_string (words[0], &from));
      for (guint k = 1; words[k] != NULL; k++)
        if (*words[k] != '\0')
          {
            g_assert_true (gw_stage_from_string (words[k], &to));
            allowed[from][to] = TRUE;
          }
    }
}

static GwStageEvent *
event (const char *id, GwStage stage, GwTime time)
{
  GwStageEvent *ev = gw_stage_event_new ();
  ev->id = g_strdup (id);
  ev->stage = stage;
  ev->time = time;
  return ev;
}

/* A fresh case with its "received" entry. */
static GwIncident *
new_case (void)
{
  GwIncident *inc = gw_incident_new ();
  inc->id = g_strdup ("c-1");
  inc->title = g_strdup ("t");
  inc->class_code = g_strdup ("0101");
  inc->address = g_strdup ("");
  inc->received_at = T0;
  inc->updated_at = T0;
  g_autoptr(GwStageEvent) ev = event ("e-0", GW_STAGE_RECEIVED, T0);
  g_autoptr(GError) error = NULL;
  g_assert_true (gw_incident_apply_event (inc, ev, &error));
  g_assert_no_error (error);
  return inc;
}

/* A case whose last entry is @stage at AT (10), with a department and deadline. */
static GwIncident *
case_at (GwStage stage)
{
  GwIncident *inc = new_case ();
  inc->department = g_strdup ("chengguan");
  inc->deadline = AT (600);
  g_ptr_array_add (inc->timeline, event ("e-from", stage, AT (10)));
  inc->stage = stage;
  inc->updated_at = AT (10);
  if (gw_stage_is_closed (stage))
    inc->closed_at = AT (10);
  return inc;
}

static void
apply_ok (GwIncident *inc, GwStageEvent *ev)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (gw_incident_apply_event (inc, ev, &error));
  g_assert_no_error (error);
  g_assert_cmpint (inc->stage, ==, ev->stage);
  g_assert_true (gw_stage_event_equal (g_ptr_array_index (inc->timeline, inc->timeline->len - 1), ev));
  gw_stage_event_free (ev);
}

/* Applying fails with @code and leaves the case exactly as it was. */
static void
apply_fails (GwIncident *inc, GwStageEvent *ev, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GwIncident) before = gw_incident_copy (inc);
  g_assert_false (gw_incident_apply_event (inc, ev, &error));
  g_assert_error (error, GW_WORKFLOW_ERROR, code);
  g_assert_true (gw_incident_equal (inc, before));
  gw_stage_event_free (ev);
}

static void
test_table (void)
{
  guint n_allowed = 0;
  for (GwStage from = 0; from < GW_N_STAGES; from++)
    for (GwStage to = 0; to < GW_N_STAGES; to++)
      {
        if (gw_workflow_can_follow (from, to) != allowed[from][to])
          g_error ("%s -> %s: got %d", gw_stage_to_string (from), gw_stage_to_string (to),
                   gw_workflow_can_follow (from, to));
        n_allowed += allowed[from][to];
      }
  g_assert_cmpuint (n_allowed, ==, 37);
  g_assert_false (gw_workflow_can_follow (GW_N_STAGES, GW_STAGE_CLOSED));
  g_assert_false (gw_workflow_can_follow (GW_STAGE_RECEIVED, GW_N_STAGES));
}

/* Every pair: allowed ones apply, the others fail and change nothing. */
static void
test_every_transition (void)
{
  for (GwStage from = 0; from < GW_N_STAGES; from++)
    for (GwStage to = 0; to < GW_N_STAGES; to++)
      {
        g_autoptr(GwIncident) inc = case_at (from);
        GwStageEvent *ev = event ("e-to", to, AT (20));
        if (to == GW_STAGE_EXTENDED)
          ev->deadline = AT (900);
        if (allowed[from][to])
          {
            apply_ok (inc, ev);
            g_assert_cmpuint (inc->timeline->len, ==, 3);
            g_assert_cmpint (inc->updated_at, ==, AT (20));
            g_assert_cmpint (gw_incident_is_open (inc), ==, !gw_stage_is_closed (to));
          }
        else
          apply_fails (inc, ev, GW_WORKFLOW_ERROR_INVALID_TRANSITION);
      }
}

static void
test_empty_timeline (void)
{
  g_autoptr(GwIncident) inc = gw_incident_new ();
  inc->id = g_strdup ("c-2");
  for (GwStage s = 0; s < GW_N_STAGES; s++)
    if (s != GW_STAGE_RECEIVED)
      apply_fails (inc, event ("e-1", s, T0), GW_WORKFLOW_ERROR_INVALID_TRANSITION);
  apply_ok (inc, event ("e-1", GW_STAGE_RECEIVED, T0));
  g_assert_cmpint (inc->updated_at, ==, T0);
  /* Received does not follow itself. */
  apply_fails (inc, event ("e-2", GW_STAGE_RECEIVED, AT (1)), GW_WORKFLOW_ERROR_INVALID_TRANSITION);
}

static void
test_out_of_order (void)
{
  g_autoptr(GwIncident) inc = new_case ();
  apply_ok (inc, event ("e-1", GW_STAGE_REGISTERED, AT (5)));
  /* Earlier than the last entry, even if the transition would be fine. */
  apply_fails (inc, event ("e-2", GW_STAGE_PARKED, AT (4)), GW_WORKFLOW_ERROR_OUT_OF_ORDER);
  apply_fails (inc, event ("e-2", GW_STAGE_PARKED, AT (5) - 1), GW_WORKFLOW_ERROR_OUT_OF_ORDER);
  /* The same instant is not out of order. */
  apply_ok (inc, event ("e-2", GW_STAGE_PARKED, AT (5)));
}

static void
test_duplicate_and_conflict (void)
{
  g_autoptr(GwIncident) inc = new_case ();
  GwStageEvent *reg = event ("e-1", GW_STAGE_REGISTERED, AT (5));
  reg->actor = g_strdup ("op");
  g_autoptr(GwStageEvent) again = gw_stage_event_copy (reg);
  apply_ok (inc, reg);
  apply_ok (inc, event ("e-2", GW_STAGE_PARKED, AT (6)));

  /* A re-post of an older event with the same content: a duplicate, not out of order
   * and not an invalid transition. */
  apply_fails (inc, gw_stage_event_copy (again), GW_WORKFLOW_ERROR_DUPLICATE);
  /* Same id, other content. */
  GwStageEvent *other = gw_stage_event_copy (again);
  g_free (other->actor);
  other->actor = g_strdup ("someone else");
  apply_fails (inc, other, GW_WORKFLOW_ERROR_CONFLICT);
  other = gw_stage_event_copy (again);
  other->time += 1;
  apply_fails (inc, other, GW_WORKFLOW_ERROR_CONFLICT);
  /* The id of the very first entry counts too. */
  apply_fails (inc, event ("e-0", GW_STAGE_CLOSED, AT (7)), GW_WORKFLOW_ERROR_CONFLICT);
  apply_fails (inc, event ("e-0", GW_STAGE_RECEIVED, T0), GW_WORKFLOW_ERROR_DUPLICATE);
}

static void
test_dispatch_department (void)
{
  g_autoptr(GwIncident) inc = new_case ();
  apply_ok (inc, event ("e-1", GW_STAGE_REGISTERED, AT (1)));
  apply_fails (inc, event ("e-2", GW_STAGE_DISPATCHED, AT (2)), GW_WORKFLOW_ERROR_INVALID_TRANSITION);

  GwStageEvent *d = event ("e-2", GW_STAGE_DISPATCHED, AT (2));
  d->department = g_strdup ("shuiwu");
  d->deadline = AT (240);
  apply_ok (inc, d);
  g_assert_cmpstr (inc->department, ==, "shuiwu");
  g_assert_cmpint (inc->deadline, ==, AT (240));

  /* Re-dispatch to another department moves the case; without one it stays. */
  d = event ("e-3", GW_STAGE_DISPATCHED, AT (3));
  d->department = g_strdup ("chengguan");
  apply_ok (inc, d);
  g_assert_cmpstr (inc->department, ==, "chengguan");
  g_assert_cmpint (inc->deadline, ==, AT (240));
  apply_ok (inc, event ("e-4", GW_STAGE_DISPATCHED, AT (4)));
  g_assert_cmpstr (inc->department, ==, "chengguan");

  /* A department on another stage is recorded but does not move the case. */
  d = event ("e-5", GW_STAGE_ON_SITE, AT (5));
  d->department = g_strdup ("shuiwu");
  apply_ok (inc, d);
  g_assert_cmpstr (inc->department, ==, "chengguan");
}

static void
test_extended_deadline (void)
{
  g_autoptr(GwIncident) inc = case_at (GW_STAGE_ON_SITE);
  g_assert_cmpint (inc->deadline, ==, AT (600));

  apply_fails (inc, event ("x", GW_STAGE_EXTENDED, AT (20)), GW_WORKFLOW_ERROR_INVALID_TRANSITION);
  GwStageEvent *ev = event ("x", GW_STAGE_EXTENDED, AT (20));
  ev->deadline = AT (600);
  apply_fails (inc, ev, GW_WORKFLOW_ERROR_INVALID_TRANSITION);
  ev = event ("x", GW_STAGE_EXTENDED, AT (20));
  ev->deadline = AT (599);
  apply_fails (inc, ev, GW_WORKFLOW_ERROR_INVALID_TRANSITION);

  ev = event ("x", GW_STAGE_EXTENDED, AT (20));
  ev->deadline = AT (600) + 1;
  apply_ok (inc, ev);
  g_assert_cmpint (inc->deadline, ==, AT (600) + 1);
  /* Extended again must beat the new deadline. */
  ev = event ("y", GW_STAGE_EXTENDED, AT (30));
  ev->deadline = AT (600);
  apply_fails (inc, ev, GW_WORKFLOW_ERROR_INVALID_TRANSITION);

  /* With no deadline yet, any deadline extends. */
  g_autoptr(GwIncident) open = case_at (GW_STAGE_DISPATCHED);
  open->deadline = GW_TIME_NONE;
  ev = event ("z", GW_STAGE_EXTENDED, AT (20));
  ev->deadline = AT (30);
  apply_ok (open, ev);
  g_assert_cmpint (open->deadline, ==, AT (30));
}

static void
test_closed_at_and_appeal (void)
{
  g_autoptr(GwIncident) inc = case_at (GW_STAGE_REPORTED_DONE);
  inc->closed_at = GW_TIME_NONE;
  apply_ok (inc, event ("c1", GW_STAGE_CLOSED, AT (20)));
  g_assert_cmpint (inc->closed_at, ==, AT (20));
  g_assert_false (gw_incident_is_open (inc));
  apply_ok (inc, event ("v1", GW_STAGE_EVALUATED, AT (30)));
  g_assert_cmpint (inc->closed_at, ==, AT (20));
  apply_ok (inc, event ("a1", GW_STAGE_APPEAL, AT (40)));
  g_assert_cmpint (inc->closed_at, ==, GW_TIME_NONE);
  g_assert_true (gw_incident_is_open (inc));
  apply_ok (inc, event ("c2", GW_STAGE_CLOSED, AT (50)));
  g_assert_cmpint (inc->closed_at, ==, AT (50));

  /* Rework clears a stale closed_at too (say, from imported history). */
  g_autoptr(GwIncident) rw = case_at (GW_STAGE_REPORTED_DONE);
  rw->closed_at = AT (10);
  apply_ok (rw, event ("r1", GW_STAGE_REWORK, AT (20)));
  g_assert_cmpint (rw->closed_at, ==, GW_TIME_NONE);
}

static void
test_updated_at_is_max (void)
{
  g_autoptr(GwIncident) inc = case_at (GW_STAGE_DISPATCHED);
  inc->updated_at = AT (100);    /* touched later by something else */
  apply_ok (inc, event ("o", GW_STAGE_ON_SITE, AT (20)));
  g_assert_cmpint (inc->updated_at, ==, AT (100));
  apply_ok (inc, event ("d", GW_STAGE_REPORTED_DONE, AT (120)));
  g_assert_cmpint (inc->updated_at, ==, AT (120));
}

static void
test_lifecycle (void)
{
  g_autoptr(GwIncident) inc = new_case ();
  GwStageEvent *ev;
  apply_ok (inc, event ("1", GW_STAGE_REGISTERED, AT (2)));
  ev = event ("2", GW_STAGE_DISPATCHED, AT (5));
  ev->department = g_strdup ("chengguan");
  ev->deadline = AT (60);
  apply_ok (inc, ev);
  apply_ok (inc, event ("3", GW_STAGE_ON_SITE, AT (30)));
  g_assert_false (gw_incident_is_late (inc, AT (60)));
  g_assert_true (gw_incident_is_late (inc, AT (61)));
  ev = event ("4", GW_STAGE_EXTENDED, AT (50));
  ev->deadline = AT (120);
  apply_ok (inc, ev);
  g_assert_false (gw_incident_is_late (inc, AT (61)));
  apply_ok (inc, event ("5", GW_STAGE_REPORTED_DONE, AT (90)));
  apply_ok (inc, event ("6", GW_STAGE_REWORK, AT (95)));
  apply_ok (inc, event ("7", GW_STAGE_ON_SITE, AT (100)));
  apply_ok (inc, event ("8", GW_STAGE_REPORTED_DONE, AT (110)));
  apply_ok (inc, event ("9", GW_STAGE_CLOSED, AT (130)));
  /* Closed after its deadline: late for good, whatever "now" is. */
  g_assert_true (gw_incident_is_late (inc, AT (0)));
  g_assert_cmpuint (inc->timeline->len, ==, 10);
  g_assert_cmpint (inc->stage, ==, GW_STAGE_CLOSED);
  g_assert_cmpint (inc->updated_at, ==, AT (130));
  g_assert_nonnull (gw_incident_find_event (inc, "6"));
  g_assert_null (gw_incident_find_event (inc, "10"));
}

static void
test_is_late (void)
{
  g_autoptr(GwIncident) inc = new_case ();
  g_assert_false (gw_incident_is_late (inc, AT (100000)));   /* no deadline */
  inc->deadline = AT (60);
  g_assert_false (gw_incident_is_late (inc, AT (60)));
  g_assert_true (gw_incident_is_late (inc, AT (60) + 1));
  inc->stage = GW_STAGE_CLOSED;
  inc->closed_at = AT (59);
  g_assert_false (gw_incident_is_late (inc, AT (1000)));
  inc->stage = GW_STAGE_EVALUATED;
  inc->closed_at = AT (61);
  g_assert_true (gw_incident_is_late (inc, AT (0)));
}

static void
test_copy_is_deep (void)
{
  g_autoptr(GwIncident) a = case_at (GW_STAGE_ON_SITE);
  a->reporter_name = g_strdup ("王");
  g_autoptr(GwIncident) b = gw_incident_copy (a);
  g_assert_true (gw_incident_equal (a, b));
  g_assert_true (a->timeline != b->timeline);
  g_assert_true (g_ptr_array_index (a->timeline, 0) != g_ptr_array_index (b->timeline, 0));
  g_assert_true (a->reporter_name != b->reporter_name);

  /* Applying to the copy leaves the original alone. */
  apply_ok (b, event ("more", GW_STAGE_REPORTED_DONE, AT (20)));
  g_assert_cmpuint (a->timeline->len, ==, 2);
  g_assert_cmpint (a->stage, ==, GW_STAGE_ON_SITE);
  g_assert_false (gw_incident_equal (a, b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  load_spec_table ();
  g_test_add_func ("/workflow/table", test_table);
  g_test_add_func ("/workflow/every-transition", test_every_transition);
  g_test_add_func ("/workflow/empty-timeline", test_empty_timeline);
  g_test_add_func ("/workflow/out-of-order", test_out_of_order);
  g_test_add_func ("/workflow/duplicate-conflict", test_duplicate_and_conflict);
  g_test_add_func ("/workflow/dispatch-department", test_dispatch_department);
  g_test_add_func ("/workflow/extended-deadline", test_extended_deadline);
  g_test_add_func ("/workflow/closed-at-appeal", test_closed_at_and_appeal);
  g_test_add_func ("/workflow/updated-at", test_updated_at_is_max);
  g_test_add_func ("/workflow/lifecycle", test_lifecycle);
  g_test_add_func ("/workflow/is-late", test_is_late);
  g_test_add_func ("/workflow/copy", test_copy_is_deep);
  return g_test_run ();
}
