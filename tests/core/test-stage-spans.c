/* test-stage-spans.c — deriving stage spans from raw events, on cases with known answers */
#include "gw-stage-spans.h"

/* 2025-11-25T00:00:00+08:00: midnight in Beijing. Times below are Beijing clock times. */
#define DAY0 ((GwTime) 1764000000 * G_USEC_PER_SEC)
#define AT(h, m) (DAY0 + (GwTime) ((h) * 60 + (m)) * GW_USEC_PER_MIN)
#define MIN_(m) ((GwTime) (m) * GW_USEC_PER_MIN)

typedef struct {
  const char *id;
  GwStage     stage;
  GwTime      time;
  const char *department;
  const char *actor;
  GwTime      deadline;
} Ev;

static GPtrArray *
make_events (const Ev *evs,
             guint     n)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);

  for (guint i = 0; i < n; i++)
    {
      GwStageEvent *ev = gw_stage_event_new ();

      ev->id = g_strdup (evs[i].id);
      ev->stage = evs[i].stage;
      ev->time = evs[i].time;
      ev->department = g_strdup (evs[i].department);
      ev->actor = g_strdup (evs[i].actor);
      ev->deadline = evs[i].deadline;
      g_ptr_array_add (array, ev);
    }
  return array;
}

static GwStageSpans *
derive (const Ev *evs,
        guint     n,
        GwTime    base_deadline)
{
  g_autoptr(GPtrArray) array = make_events (evs, n);

  return gw_stage_spans_new ((GwStageEvent *const *) array->pdata, array->len, base_deadline);
}

static void
assert_span (const GwStageSpans *spans,
             guint               i,
             GwStage             stage,
             GwTime              start,
             GwTime              end)
{
  const GwStageSpan *span = gw_stage_spans_get_span (spans, i);

  g_assert_nonnull (span);
  g_assert_cmpstr (gw_stage_to_string (span->stage), ==, gw_stage_to_string (stage));
  g_assert_cmpint (span->start, ==, start);
  g_assert_cmpint (span->end, ==, end);
  g_assert_cmpint (span->dwell, ==, end != GW_TIME_NONE ? end - start : 0);
}

static void
assert_same_spans (const GwStageSpans *a,
                   const GwStageSpans *b)
{
  g_assert_cmpuint (gw_stage_spans_get_n_spans (a), ==, gw_stage_spans_get_n_spans (b));
  g_assert_cmpuint (gw_stage_spans_get_flags (a), ==, gw_stage_spans_get_flags (b));
  for (guint i = 0; i < gw_stage_spans_get_n_spans (a); i++)
    {
      const GwStageSpan *x = gw_stage_spans_get_span (a, i), *y = gw_stage_spans_get_span (b, i);

      g_assert_cmpint (x->stage, ==, y->stage);
      g_assert_cmpuint (x->flags, ==, y->flags);
      g_assert_cmpint (x->start, ==, y->start);
      g_assert_cmpint (x->end, ==, y->end);
      g_assert_cmpint (x->deadline, ==, y->deadline);
      g_assert_cmpint (x->closed_at, ==, y->closed_at);
      g_assert_cmpint (x->dwell, ==, y->dwell);
      g_assert_cmpint (x->late, ==, y->late);
      g_assert_cmpstr (x->department, ==, y->department);
      g_assert_cmpstr (x->actor, ==, y->actor);
      g_assert_cmpstr (x->event_id, ==, y->event_id);
    }
}

static GwStage
stage_at (const GwStageSpans *spans,
          GwTime              t)
{
  GwStage stage = GW_N_STAGES;

  g_assert_true (gw_stage_spans_stage_at (spans, t, &stage));
  return stage;
}

/* received → registered → dispatched → on site → reported done → closed → evaluated */
static const Ev straight[] = {
  { "e0", GW_STAGE_RECEIVED,      AT (8, 0),  NULL,        "hotline", 0 },
  { "e1", GW_STAGE_REGISTERED,    AT (8, 5),  NULL,        "王敏",     0 },
  { "e2", GW_STAGE_DISPATCHED,    AT (8, 10), "chengguan", "王敏",     0 },
  { "e3", GW_STAGE_ON_SITE,       AT (8, 40), NULL,        "李强",     0 },
  { "e4", GW_STAGE_REPORTED_DONE, AT (9, 30), NULL,        "李强",     0 },
  { "e5", GW_STAGE_CLOSED,        AT (9, 45), NULL,        "王敏",     0 },
  { "e6", GW_STAGE_EVALUATED,     AT (10, 0), NULL,        "system",  0 },
};

static void
test_straight (void)
{
  g_autoptr(GwStageSpans) spans = derive (straight, G_N_ELEMENTS (straight), AT (10, 0));
  const GwStageSpan *span;

  g_assert_cmpuint (gw_stage_spans_get_n_spans (spans), ==, 7);
  g_assert_cmpuint (gw_stage_spans_get_n_dropped (spans), ==, 0);
  g_assert_cmpuint (gw_stage_spans_get_flags (spans) & GW_STAGE_SPAN_UNEXPECTED, ==, 0);
  assert_span (spans, 0, GW_STAGE_RECEIVED, AT (8, 0), AT (8, 5));
  assert_span (spans, 2, GW_STAGE_DISPATCHED, AT (8, 10), AT (8, 40));
  assert_span (spans, 4, GW_STAGE_REPORTED_DONE, AT (9, 30), AT (9, 45));
  assert_span (spans, 6, GW_STAGE_EVALUATED, AT (10, 0), GW_TIME_NONE);
  g_assert_false (gw_stage_spans_is_open (spans));
  g_assert_cmpint (gw_stage_spans_get_start (spans), ==, AT (8, 0));

  /* The department is the dispatch's from then on; before it there is none. */
  g_assert_null (gw_stage_spans_get_span (spans, 1)->department);
  span = gw_stage_spans_get_span (spans, 3);
  g_assert_cmpstr (span->department, ==, "chengguan");
  g_assert_true (span->flags & GW_STAGE_SPAN_INHERITED_DEPARTMENT);
  g_assert_cmpstr (span->actor, ==, "李强");
  g_assert_cmpstr (span->event_id, ==, "e3");

  /* On time: nothing late; closed and evaluated are one closed run from 09:45. */
  for (guint i = 0; i < 7; i++)
    {
      g_assert_cmpint (gw_stage_spans_get_span (spans, i)->late, ==, 0);
      g_assert_cmpint (gw_stage_spans_get_span (spans, i)->deadline, ==, AT (10, 0));
    }
  g_assert_cmpint (gw_stage_spans_get_span (spans, 5)->closed_at, ==, AT (9, 45));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 6)->closed_at, ==, AT (9, 45));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 4)->closed_at, ==, GW_TIME_NONE);
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (12, 0)), ==, AT (9, 45));
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (9, 44)), ==, GW_TIME_NONE);
  /* The last span of a closed case does not grow. */
  g_assert_cmpint (gw_stage_spans_dwell_at (spans, 6, AT (23, 0)), ==, 0);

  /* Before receipt the case does not exist; exactly at an event its stage rules. */
  g_assert_cmpint (gw_stage_spans_index_at (spans, AT (7, 59)), ==, -1);
  g_assert_false (gw_stage_spans_stage_at (spans, AT (7, 59), NULL));
  g_assert_cmpint (gw_stage_spans_deadline_at (spans, AT (7, 59)), ==, GW_TIME_NONE);
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (7, 59)));
  g_assert_cmpint (stage_at (spans, AT (8, 0)), ==, GW_STAGE_RECEIVED);
  g_assert_cmpint (stage_at (spans, AT (8, 40) - 1), ==, GW_STAGE_DISPATCHED);
  g_assert_cmpint (stage_at (spans, AT (8, 40)), ==, GW_STAGE_ON_SITE);
  g_assert_cmpint (stage_at (spans, AT (10, 0)), ==, GW_STAGE_EVALUATED);
  g_assert_cmpint (stage_at (spans, AT (30, 0)), ==, GW_STAGE_EVALUATED);
}

static void
test_late (void)
{
  /* The same case with a 09:00 deadline: on site runs 30 min over, reported done 15. */
  g_autoptr(GwStageSpans) spans = derive (straight, G_N_ELEMENTS (straight), AT (9, 0));

  g_assert_cmpint (gw_stage_spans_get_span (spans, 2)->late, ==, 0);
  g_assert_cmpint (gw_stage_spans_get_span (spans, 3)->late, ==, MIN_ (30));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 4)->late, ==, MIN_ (15));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 5)->late, ==, 0);
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (9, 0)));  /* not yet past it */
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (9, 0) + 1));
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (9, 44)));
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (9, 45)));  /* closed: clock stops */
}

static void
test_open_grows (void)
{
  /* Open, on site since 08:40, deadline 09:00: the current stage grows until now. */
  g_autoptr(GwStageSpans) spans = derive (straight, 4, AT (9, 0));

  g_assert_true (gw_stage_spans_is_open (spans));
  assert_span (spans, 3, GW_STAGE_ON_SITE, AT (8, 40), GW_TIME_NONE);
  g_assert_cmpint (gw_stage_spans_dwell_at (spans, 3, AT (8, 50)), ==, MIN_ (10));
  g_assert_cmpint (gw_stage_spans_late_at (spans, 3, AT (8, 50)), ==, 0);
  g_assert_cmpint (gw_stage_spans_dwell_at (spans, 3, AT (9, 20)), ==, MIN_ (40));
  g_assert_cmpint (gw_stage_spans_late_at (spans, 3, AT (9, 20)), ==, MIN_ (20));
  /* Finished spans keep their values whatever now is. */
  g_assert_cmpint (gw_stage_spans_dwell_at (spans, 0, AT (9, 20)), ==, MIN_ (5));
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (12, 0)));
}

/* reported_done → rework → on_site → reported_done → closed */
static const Ev rework[] = {
  { "r0", GW_STAGE_RECEIVED,      AT (9, 0),   NULL, NULL, 0 },
  { "r1", GW_STAGE_REGISTERED,    AT (9, 2),   NULL, NULL, 0 },
  { "r2", GW_STAGE_DISPATCHED,    AT (9, 5),   "huanwei", NULL, 0 },
  { "r3", GW_STAGE_ON_SITE,       AT (9, 20),  NULL, NULL, 0 },
  { "r4", GW_STAGE_REPORTED_DONE, AT (10, 0),  NULL, NULL, 0 },
  { "r5", GW_STAGE_REWORK,        AT (10, 20), NULL, "督办", 0 },
  { "r6", GW_STAGE_ON_SITE,       AT (10, 40), NULL, NULL, 0 },
  { "r7", GW_STAGE_REPORTED_DONE, AT (11, 0),  NULL, NULL, 0 },
  { "r8", GW_STAGE_CLOSED,        AT (11, 10), NULL, NULL, 0 },
};

static void
test_rework_loop (void)
{
  g_autoptr(GwStageSpans) spans = derive (rework, G_N_ELEMENTS (rework), AT (10, 30));

  g_assert_cmpuint (gw_stage_spans_get_n_spans (spans), ==, 9);
  g_assert_cmpuint (gw_stage_spans_get_flags (spans) & GW_STAGE_SPAN_UNEXPECTED, ==, 0);
  assert_span (spans, 5, GW_STAGE_REWORK, AT (10, 20), AT (10, 40));
  assert_span (spans, 6, GW_STAGE_ON_SITE, AT (10, 40), AT (11, 0));
  g_assert_cmpint (stage_at (spans, AT (10, 10)), ==, GW_STAGE_REPORTED_DONE);
  g_assert_cmpint (stage_at (spans, AT (10, 30)), ==, GW_STAGE_REWORK);
  g_assert_cmpint (stage_at (spans, AT (10, 40)), ==, GW_STAGE_ON_SITE);
  g_assert_cmpint (stage_at (spans, AT (11, 0)), ==, GW_STAGE_REPORTED_DONE);
  g_assert_cmpint (stage_at (spans, AT (11, 10)), ==, GW_STAGE_CLOSED);
  /* Deadline 10:30: rework runs 10 min over, the second visit 20, its report 10. */
  g_assert_cmpint (gw_stage_spans_get_span (spans, 5)->late, ==, MIN_ (10));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 6)->late, ==, MIN_ (20));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 7)->late, ==, MIN_ (10));
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (12, 0)), ==, AT (11, 10));
}

static void
test_rework_same_second (void)
{
  /* The loop posted within one second, in a scrambled order: the workflow orders it. */
  static const Ev evs[] = {
    { "a", GW_STAGE_RECEIVED,      AT (9, 0), NULL, NULL, 0 },
    { "b", GW_STAGE_ON_SITE,       AT (9, 5), NULL, NULL, 0 },
    { "x", GW_STAGE_ON_SITE,       AT (9, 30), NULL, NULL, 0 },
    { "w", GW_STAGE_REWORK,        AT (9, 30), NULL, NULL, 0 },
    { "v", GW_STAGE_REPORTED_DONE, AT (9, 30), NULL, NULL, 0 },
    { "c", GW_STAGE_REPORTED_DONE, AT (9, 40), NULL, NULL, 0 },
    { "e", GW_STAGE_EVALUATED,     AT (9, 50), NULL, NULL, 0 },
    { "d", GW_STAGE_CLOSED,        AT (9, 50), NULL, NULL, 0 },
  };
  g_autoptr(GwStageSpans) spans = derive (evs, G_N_ELEMENTS (evs), GW_TIME_NONE);
  static const GwStage order[] = {
    GW_STAGE_RECEIVED, GW_STAGE_ON_SITE, GW_STAGE_REPORTED_DONE, GW_STAGE_REWORK,
    GW_STAGE_ON_SITE, GW_STAGE_REPORTED_DONE, GW_STAGE_CLOSED, GW_STAGE_EVALUATED,
  };

  g_assert_cmpuint (gw_stage_spans_get_n_spans (spans), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpint (gw_stage_spans_get_span (spans, i)->stage, ==, order[i]);
  /* Only received → on site skips stages (registered, dispatched). */
  g_assert_true (gw_stage_spans_get_span (spans, 1)->flags & GW_STAGE_SPAN_UNEXPECTED);
  for (guint i = 2; i < G_N_ELEMENTS (order); i++)
    g_assert_false (gw_stage_spans_get_span (spans, i)->flags & GW_STAGE_SPAN_UNEXPECTED);
  /* The zero-length spans in between exist but take no time. */
  g_assert_cmpint (gw_stage_spans_get_span (spans, 2)->dwell, ==, 0);
  g_assert_cmpint (stage_at (spans, AT (9, 30)), ==, GW_STAGE_ON_SITE);
}

static const Ev extension[] = {
  { "x0", GW_STAGE_RECEIVED,      AT (8, 0),   NULL, NULL, 0 },
  { "x1", GW_STAGE_REGISTERED,    AT (8, 5),   NULL, NULL, 0 },
  { "x2", GW_STAGE_DISPATCHED,    AT (8, 10),  "zhujian", NULL, 0 },
  { "x3", GW_STAGE_ON_SITE,       AT (8, 30),  NULL, NULL, 0 },
  { "x4", GW_STAGE_EXTENDED,      AT (10, 30), NULL, NULL, AT (14, 0) },
  { "x5", GW_STAGE_REPORTED_DONE, AT (15, 0),  NULL, NULL, 0 },
  { "x6", GW_STAGE_CLOSED,        AT (15, 30), NULL, NULL, 0 },
};

static void
test_extension (void)
{
  g_autoptr(GwStageSpans) spans = derive (extension, G_N_ELEMENTS (extension), AT (10, 0));

  /* The extension moves the deadline from its own time on, not before. */
  g_assert_cmpint (gw_stage_spans_deadline_at (spans, AT (9, 0)), ==, AT (10, 0));
  g_assert_cmpint (gw_stage_spans_deadline_at (spans, AT (10, 30) - 1), ==, AT (10, 0));
  g_assert_cmpint (gw_stage_spans_deadline_at (spans, AT (10, 30)), ==, AT (14, 0));
  /* Late before the extension, on time after it, late again past the new deadline. */
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (9, 59)));
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (10, 15)));
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (10, 30)));
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (13, 59)));
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (14, 30)));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 3)->late, ==, MIN_ (30));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 4)->deadline, ==, AT (14, 0));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 4)->late, ==, MIN_ (60));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 5)->late, ==, MIN_ (30));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 6)->late, ==, 0);
}

static void
test_base_deadline (void)
{
  g_autoptr(GwIncident) inc = gw_incident_new ();
  g_autoptr(GwIncidentClass) klass = gw_incident_class_new ();
  g_autoptr(GPtrArray) evs = make_events (extension, G_N_ELEMENTS (extension));
  g_autoptr(GwStageSpans) with_class = NULL;
  g_autoptr(GwStageSpans) without = NULL;
  g_autoptr(GwStageSpans) plain = NULL;

  inc->received_at = AT (8, 0);
  inc->deadline = AT (14, 0);  /* the incident keeps only the extended deadline */
  for (guint i = 0; i < evs->len; i++)
    g_ptr_array_add (inc->timeline, gw_stage_event_copy (g_ptr_array_index (evs, i)));
  klass->deadline_hours = 2;

  with_class = gw_stage_spans_new_for_incident (inc, klass);
  g_assert_cmpint (gw_stage_spans_deadline_at (with_class, AT (9, 0)), ==, AT (10, 0));
  g_assert_true (gw_stage_spans_is_late_at (with_class, AT (10, 15)));

  /* Without the class the original deadline is unknown until the extension. */
  without = gw_stage_spans_new_for_incident (inc, NULL);
  g_assert_cmpint (gw_stage_spans_deadline_at (without, AT (9, 0)), ==, GW_TIME_NONE);
  g_assert_false (gw_stage_spans_is_late_at (without, AT (10, 15)));
  g_assert_cmpint (gw_stage_spans_deadline_at (without, AT (11, 0)), ==, AT (14, 0));

  /* No event moved it: the incident's deadline is the one, class or not. */
  g_ptr_array_remove_index (inc->timeline, 4);
  inc->deadline = AT (11, 0);
  plain = gw_stage_spans_new_for_incident (inc, klass);
  g_assert_cmpint (gw_stage_spans_deadline_at (plain, AT (9, 0)), ==, AT (11, 0));
}

static void
test_parked_returned (void)
{
  static const Ev evs[] = {
    { "p0", GW_STAGE_RECEIVED,      AT (8, 0),       NULL,        NULL, 0 },
    { "p1", GW_STAGE_REGISTERED,    AT (8, 5),       NULL,        NULL, 0 },
    { "p2", GW_STAGE_DISPATCHED,    AT (8, 10),      "zhujian",   NULL, 0 },
    { "p3", GW_STAGE_RETURNED,      AT (9, 0),       NULL,        "住建科", 0 },
    { "p4", GW_STAGE_DISPATCHED,    AT (9, 30),      "chengguan", NULL, 0 },
    { "p5", GW_STAGE_PARKED,        AT (10, 0),      NULL,        NULL, 0 },
    { "p6", GW_STAGE_DISPATCHED,    AT (24 + 10, 0), NULL,        NULL, 0 },
    { "p7", GW_STAGE_ON_SITE,       AT (24 + 11, 0), NULL,        NULL, 0 },
    { "p8", GW_STAGE_REPORTED_DONE, AT (24 + 12, 0), NULL,        NULL, 0 },
    { "p9", GW_STAGE_CLOSED,        AT (24 + 13, 0), NULL,        NULL, 0 },
  };
  g_autoptr(GwStageSpans) spans = derive (evs, G_N_ELEMENTS (evs), AT (12, 0));

  g_assert_cmpuint (gw_stage_spans_get_flags (spans) & GW_STAGE_SPAN_UNEXPECTED, ==, 0);
  /* Returned by the department it was sent to; sent on to another one. */
  g_assert_cmpstr (gw_stage_spans_get_span (spans, 3)->department, ==, "zhujian");
  g_assert_cmpstr (gw_stage_spans_get_span (spans, 4)->department, ==, "chengguan");
  g_assert_cmpstr (gw_stage_spans_get_span (spans, 6)->department, ==, "chengguan");
  /* Parked is open: the clock runs (as for the store's late list). */
  assert_span (spans, 5, GW_STAGE_PARKED, AT (10, 0), AT (24 + 10, 0));
  g_assert_cmpint (stage_at (spans, AT (23, 0)), ==, GW_STAGE_PARKED);
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (23, 0)));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 5)->late, ==, AT (24 + 10, 0) - AT (12, 0));
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (24 + 14, 0)), ==, AT (24 + 13, 0));
}

static void
test_appeal_reopens (void)
{
  static const Ev evs[] = {
    { "a0", GW_STAGE_RECEIVED,      AT (8, 0),        NULL, NULL, 0 },
    { "a1", GW_STAGE_REGISTERED,    AT (8, 5),        NULL, NULL, 0 },
    { "a2", GW_STAGE_DISPATCHED,    AT (8, 10),       "shichang", NULL, 0 },
    { "a3", GW_STAGE_ON_SITE,       AT (8, 40),       NULL, NULL, 0 },
    { "a4", GW_STAGE_REPORTED_DONE, AT (9, 30),       NULL, NULL, 0 },
    { "a5", GW_STAGE_CLOSED,        AT (10, 0),       NULL, NULL, 0 },
    { "a6", GW_STAGE_EVALUATED,     AT (12, 0),       NULL, NULL, 0 },
    { "a7", GW_STAGE_APPEAL,        AT (24 + 9, 0),   NULL, "市民", 0 },
    { "a8", GW_STAGE_REWORK,        AT (24 + 9, 30),  NULL, NULL, 0 },
    { "a9", GW_STAGE_ON_SITE,       AT (24 + 10, 0),  NULL, NULL, 0 },
    { "aa", GW_STAGE_REPORTED_DONE, AT (24 + 11, 0),  NULL, NULL, 0 },
    { "ab", GW_STAGE_CLOSED,        AT (24 + 11, 30), NULL, NULL, 0 },
  };
  g_autoptr(GwStageSpans) spans = derive (evs, G_N_ELEMENTS (evs), AT (11, 0));

  g_assert_cmpuint (gw_stage_spans_get_flags (spans) & GW_STAGE_SPAN_UNEXPECTED, ==, 0);
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (13, 0)), ==, AT (10, 0));
  g_assert_false (gw_stage_spans_is_late_at (spans, AT (13, 0)));
  /* The appeal reopens it: open again, past its deadline, and not closed. */
  g_assert_cmpint (stage_at (spans, AT (24 + 9, 0)), ==, GW_STAGE_APPEAL);
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (24 + 9, 0)), ==, GW_TIME_NONE);
  g_assert_true (gw_stage_spans_is_late_at (spans, AT (24 + 9, 0)));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 6)->late, ==, 0);  /* evaluated: closed */
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (24 + 12, 0)), ==, AT (24 + 11, 30));
  g_assert_false (gw_stage_spans_is_open (spans));
}

static void
test_midnight (void)
{
  /* Received 23:50, closed 00:20 the next day. */
  static const Ev evs[] = {
    { "m0", GW_STAGE_RECEIVED,      AT (23, 50),     NULL, NULL, 0 },
    { "m1", GW_STAGE_REGISTERED,    AT (23, 55),     NULL, NULL, 0 },
    { "m2", GW_STAGE_DISPATCHED,    AT (24 + 0, 0),  "huanwei", NULL, 0 },
    { "m3", GW_STAGE_ON_SITE,       AT (24 + 0, 5),  NULL, NULL, 0 },
    { "m4", GW_STAGE_REPORTED_DONE, AT (24 + 0, 15), NULL, NULL, 0 },
    { "m5", GW_STAGE_CLOSED,        AT (24 + 0, 20), NULL, NULL, 0 },
  };
  g_autoptr(GwStageSpans) spans = derive (evs, G_N_ELEMENTS (evs), AT (24 + 0, 10));

  assert_span (spans, 1, GW_STAGE_REGISTERED, AT (23, 55), AT (24, 0));
  g_assert_cmpint (gw_stage_spans_get_span (spans, 3)->late, ==, MIN_ (5));
  g_assert_cmpint (stage_at (spans, AT (23, 59)), ==, GW_STAGE_REGISTERED);
  g_assert_cmpint (stage_at (spans, AT (24, 0)), ==, GW_STAGE_DISPATCHED);
  g_assert_cmpint (gw_stage_spans_closed_at (spans, AT (24 + 1, 0)), ==, AT (24 + 0, 20));
}

static void
test_duplicates (void)
{
  g_autoptr(GwStageSpans) clean = derive (rework, G_N_ELEMENTS (rework), AT (10, 30));
  g_autoptr(GPtrArray) evs = make_events (rework, G_N_ELEMENTS (rework));
  g_autoptr(GwStageSpans) spans = NULL;
  GwStageEvent *ev;

  /* Every event again (a re-delivered page), ... */
  for (guint i = 0; i < G_N_ELEMENTS (rework); i++)
    g_ptr_array_add (evs, gw_stage_event_copy (g_ptr_array_index (evs, i)));
  /* ... a re-post of one under a new id (same stage, same time), ... */
  ev = gw_stage_event_copy (g_ptr_array_index (evs, 5));
  g_free (ev->id);
  ev->id = g_strdup ("r5-again");
  g_ptr_array_add (evs, ev);
  /* ... an id reused with a later time (dropped: the id was seen), and a NULL. */
  ev = gw_stage_event_copy (g_ptr_array_index (evs, 8));
  ev->time += GW_USEC_PER_HOUR;
  g_ptr_array_add (evs, ev);
  g_ptr_array_add (evs, NULL);

  spans = gw_stage_spans_new ((GwStageEvent *const *) evs->pdata, evs->len, AT (10, 30));
  assert_same_spans (clean, spans);
  g_assert_cmpuint (gw_stage_spans_get_n_dropped (spans), ==, evs->len - G_N_ELEMENTS (rework));
}

static void
test_any_order (void)
{
  g_autoptr(GwStageSpans) clean = derive (extension, G_N_ELEMENTS (extension), AT (10, 0));
  g_autoptr(GPtrArray) evs = make_events (extension, G_N_ELEMENTS (extension));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  /* Delivered in reverse, ... */
  for (guint i = 0; i < evs->len / 2; i++)
    {
      gpointer tmp = evs->pdata[i];

      evs->pdata[i] = evs->pdata[evs->len - 1 - i];
      evs->pdata[evs->len - 1 - i] = tmp;
    }
  {
    g_autoptr(GwStageSpans) spans = gw_stage_spans_new ((GwStageEvent *const *) evs->pdata,
                                                        evs->len, AT (10, 0));
    assert_same_spans (clean, spans);
  }
  /* ... and in any shuffled order. */
  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(GwStageSpans) spans = NULL;

      for (guint i = evs->len - 1; i > 0; i--)
        {
          guint j = g_rand_int_range (rand, 0, i + 1);
          gpointer tmp = evs->pdata[i];

          evs->pdata[i] = evs->pdata[j];
          evs->pdata[j] = tmp;
        }
      spans = gw_stage_spans_new ((GwStageEvent *const *) evs->pdata, evs->len, AT (10, 0));
      assert_same_spans (clean, spans);
    }
}

static void
test_missing_stages (void)
{
  /* No "registered": received runs straight to dispatched, which is flagged. */
  static const Ev no_registered[] = {
    { "n0", GW_STAGE_RECEIVED,   AT (8, 0),  NULL, NULL, 0 },
    { "n2", GW_STAGE_DISPATCHED, AT (8, 10), "chengguan", NULL, 0 },
    { "n3", GW_STAGE_ON_SITE,    AT (8, 30), NULL, NULL, 0 },
  };
  /* No "received": the case starts at its first event, flagged. */
  static const Ev no_received[] = {
    { "q1", GW_STAGE_REGISTERED, AT (8, 5),  NULL, NULL, 0 },
    { "q2", GW_STAGE_DISPATCHED, AT (8, 10), "chengguan", NULL, 0 },
  };
  g_autoptr(GwStageSpans) a = derive (no_registered, G_N_ELEMENTS (no_registered), GW_TIME_NONE);
  g_autoptr(GwStageSpans) b = derive (no_received, G_N_ELEMENTS (no_received), GW_TIME_NONE);
  g_autoptr(GwStageSpans) none = gw_stage_spans_new (NULL, 0, GW_TIME_NONE);

  g_assert_cmpuint (gw_stage_spans_get_n_spans (a), ==, 3);
  assert_span (a, 0, GW_STAGE_RECEIVED, AT (8, 0), AT (8, 10));
  assert_span (a, 1, GW_STAGE_DISPATCHED, AT (8, 10), AT (8, 30));
  g_assert_false (gw_stage_spans_get_span (a, 0)->flags & GW_STAGE_SPAN_UNEXPECTED);
  g_assert_true (gw_stage_spans_get_span (a, 1)->flags & GW_STAGE_SPAN_UNEXPECTED);
  g_assert_false (gw_stage_spans_get_span (a, 2)->flags & GW_STAGE_SPAN_UNEXPECTED);
  g_assert_cmpint (stage_at (a, AT (8, 5)), ==, GW_STAGE_RECEIVED);
  /* No deadline known: never late. */
  g_assert_false (gw_stage_spans_is_late_at (a, AT (30, 0)));

  g_assert_true (gw_stage_spans_get_span (b, 0)->flags & GW_STAGE_SPAN_UNEXPECTED);
  g_assert_false (gw_stage_spans_stage_at (b, AT (8, 0), NULL));
  g_assert_cmpint (gw_stage_spans_get_start (b), ==, AT (8, 5));

  g_assert_cmpuint (gw_stage_spans_get_n_spans (none), ==, 0);
  g_assert_cmpint (gw_stage_spans_index_at (none, AT (9, 0)), ==, -1);
  g_assert_false (gw_stage_spans_is_open (none));
  g_assert_cmpint (gw_stage_spans_get_start (none), ==, GW_TIME_NONE);
}

static void
test_long_timeline (void)
{
  /* Past the stack buffers and the linear id check: 200 dispatch hand-overs, twice. */
  g_autoptr(GPtrArray) evs = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  g_autoptr(GwStageSpans) spans = NULL;

  for (guint copy = 0; copy < 2; copy++)
    for (guint i = 200; i-- > 0;)
      {
        GwStageEvent *ev = gw_stage_event_new ();

        ev->id = g_strdup_printf ("h%u", i);
        ev->stage = i == 0 ? GW_STAGE_RECEIVED : i == 1 ? GW_STAGE_REGISTERED : GW_STAGE_DISPATCHED;
        ev->time = AT (8, 0) + MIN_ (i);
        g_ptr_array_add (evs, ev);
      }
  spans = gw_stage_spans_new ((GwStageEvent *const *) evs->pdata, evs->len, GW_TIME_NONE);
  g_assert_cmpuint (gw_stage_spans_get_n_spans (spans), ==, 200);
  g_assert_cmpuint (gw_stage_spans_get_n_dropped (spans), ==, 200);
  g_assert_cmpint (gw_stage_spans_index_at (spans, AT (8, 0) + MIN_ (150)), ==, 150);
  g_assert_cmpint (stage_at (spans, AT (9, 0)), ==, GW_STAGE_DISPATCHED);
  g_assert_cmpuint (gw_stage_spans_get_flags (spans) & GW_STAGE_SPAN_UNEXPECTED, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stage-spans/straight", test_straight);
  g_test_add_func ("/stage-spans/late", test_late);
  g_test_add_func ("/stage-spans/open-grows", test_open_grows);
  g_test_add_func ("/stage-spans/rework-loop", test_rework_loop);
  g_test_add_func ("/stage-spans/rework-same-second", test_rework_same_second);
  g_test_add_func ("/stage-spans/extension", test_extension);
  g_test_add_func ("/stage-spans/base-deadline", test_base_deadline);
  g_test_add_func ("/stage-spans/parked-returned", test_parked_returned);
  g_test_add_func ("/stage-spans/appeal-reopens", test_appeal_reopens);
  g_test_add_func ("/stage-spans/midnight", test_midnight);
  g_test_add_func ("/stage-spans/duplicates", test_duplicates);
  g_test_add_func ("/stage-spans/any-order", test_any_order);
  g_test_add_func ("/stage-spans/missing-stages", test_missing_stages);
  g_test_add_func ("/stage-spans/long-timeline", test_long_timeline);

  return g_test_run ();
}
