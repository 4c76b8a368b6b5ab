/* test-replay.c — the hall's state at time t, stepping, and the GwReplay scrubber
 *
 * Eight hand-made cases around one day D (Beijing time), with the counts worked out
 * by hand at several times.
 */
#include "gw-replay.h"

/* 2025-11-25T00:00:00+08:00: midnight in Beijing, the start of day D. */
#define DAY0 ((GwTime) 1764000000 * G_USEC_PER_SEC)
#define AT(h, m) (DAY0 + (GwTime) ((h) * 60 + (m)) * GW_USEC_PER_MIN)
#define DAY1 AT (24, 0)

typedef struct {
  GwStage stage;
  GwTime  time;
  GwTime  deadline;
} Ev;

#define END { GW_N_STAGES, 0, 0 }

/* A: straight, closed 09:45 and evaluated, deadline 10:00. */
static const Ev case_a[] = {
  { GW_STAGE_RECEIVED, AT (8, 0), 0 }, { GW_STAGE_REGISTERED, AT (8, 5), 0 },
  { GW_STAGE_DISPATCHED, AT (8, 10), 0 }, { GW_STAGE_ON_SITE, AT (8, 40), 0 },
  { GW_STAGE_REPORTED_DONE, AT (9, 30), 0 }, { GW_STAGE_CLOSED, AT (9, 45), 0 },
  { GW_STAGE_EVALUATED, AT (10, 0), 0 }, END,
};
/* B: still on site, deadline 10:00. */
static const Ev case_b[] = {
  { GW_STAGE_RECEIVED, AT (9, 0), 0 }, { GW_STAGE_REGISTERED, AT (9, 2), 0 },
  { GW_STAGE_DISPATCHED, AT (9, 10), 0 }, { GW_STAGE_ON_SITE, AT (9, 30), 0 }, END,
};
/* C: received 23:50, closed 00:20 the next day; deadline 00:10. */
static const Ev case_c[] = {
  { GW_STAGE_RECEIVED, AT (23, 50), 0 }, { GW_STAGE_REGISTERED, AT (23, 55), 0 },
  { GW_STAGE_DISPATCHED, AT (24, 0), 0 }, { GW_STAGE_ON_SITE, AT (24, 5), 0 },
  { GW_STAGE_REPORTED_DONE, AT (24, 15), 0 }, { GW_STAGE_CLOSED, AT (24, 20), 0 }, END,
};
/* D: a rework loop, deadline 10:30, closed late at 11:10. */
static const Ev case_d[] = {
  { GW_STAGE_RECEIVED, AT (9, 0), 0 }, { GW_STAGE_REGISTERED, AT (9, 2), 0 },
  { GW_STAGE_DISPATCHED, AT (9, 5), 0 }, { GW_STAGE_ON_SITE, AT (9, 20), 0 },
  { GW_STAGE_REPORTED_DONE, AT (10, 0), 0 }, { GW_STAGE_REWORK, AT (10, 20), 0 },
  { GW_STAGE_ON_SITE, AT (10, 40), 0 }, { GW_STAGE_REPORTED_DONE, AT (11, 0), 0 },
  { GW_STAGE_CLOSED, AT (11, 10), 0 }, END,
};
/* E: received yesterday, parked, past its deadline (yesterday 23:00) all day. */
static const Ev case_e[] = {
  { GW_STAGE_RECEIVED, AT (-9, 0), 0 }, { GW_STAGE_REGISTERED, AT (-9, 10), 0 },
  { GW_STAGE_PARKED, AT (-8, 0), 0 }, END,
};
/* F: extended at 10:30 to 14:00 (class deadline 2 h → 10:00 before), closed 15:30.
 * Stored in reverse order with duplicates (see make_case). */
static const Ev case_f[] = {
  { GW_STAGE_RECEIVED, AT (8, 0), 0 }, { GW_STAGE_REGISTERED, AT (8, 5), 0 },
  { GW_STAGE_DISPATCHED, AT (8, 10), 0 }, { GW_STAGE_ON_SITE, AT (8, 30), 0 },
  { GW_STAGE_EXTENDED, AT (10, 30), AT (14, 0) }, { GW_STAGE_REPORTED_DONE, AT (15, 0), 0 },
  { GW_STAGE_CLOSED, AT (15, 30), 0 }, END,
};
/* G: no "registered"; on site from 12:30, deadline 20:00. */
static const Ev case_g[] = {
  { GW_STAGE_RECEIVED, AT (12, 0), 0 }, { GW_STAGE_DISPATCHED, AT (12, 10), 0 },
  { GW_STAGE_ON_SITE, AT (12, 30), 0 }, END,
};
/* H: received and closed the day before yesterday. */
static const Ev case_h[] = {
  { GW_STAGE_RECEIVED, AT (-40, 0), 0 }, { GW_STAGE_CLOSED, AT (-39, 0), 0 }, END,
};

static GwIncident *
make_case (const char *id,
           const Ev   *evs,
           GwTime      deadline,
           gboolean    scrambled)
{
  GwIncident *inc = gw_incident_new ();
  guint n = 0;

  inc->id = g_strdup (id);
  inc->title = g_strdup (id);
  inc->class_code = g_strdup (scrambled ? "0202" : "0101");
  inc->address = g_strdup ("");
  inc->received_at = evs[0].time;
  inc->deadline = deadline;
  inc->seq = 1;
  while (evs[n].stage != GW_N_STAGES)
    n++;
  for (guint k = 0; k < (scrambled ? 2u : 1u); k++)
    for (guint j = 0; j < n; j++)
      {
        /* Scrambled: newest first, and every event twice. */
        guint i = scrambled ? n - 1 - j : j;
        GwStageEvent *ev = gw_stage_event_new ();

        ev->id = g_strdup_printf ("%s-%u", id, i);
        ev->stage = evs[i].stage;
        ev->time = evs[i].time;
        ev->deadline = evs[i].deadline;
        ev->department = evs[i].stage == GW_STAGE_DISPATCHED ? g_strdup ("chengguan") : NULL;
        g_ptr_array_add (inc->timeline, ev);
        inc->stage = evs[i].stage;
        inc->updated_at = MAX (inc->updated_at, evs[i].time);
      }
  return inc;
}

static GPtrArray *
make_cases (void)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);

  /* Not in receipt order: the index sorts them. */
  g_ptr_array_add (cases, make_case ("G", case_g, AT (20, 0), FALSE));
  g_ptr_array_add (cases, make_case ("A", case_a, AT (10, 0), FALSE));
  g_ptr_array_add (cases, make_case ("C", case_c, AT (24, 10), FALSE));
  g_ptr_array_add (cases, make_case ("B", case_b, AT (10, 0), FALSE));
  g_ptr_array_add (cases, make_case ("D", case_d, AT (10, 30), FALSE));
  g_ptr_array_add (cases, make_case ("E", case_e, AT (-1, 0), FALSE));
  g_ptr_array_add (cases, make_case ("F", case_f, AT (14, 0), TRUE));
  g_ptr_array_add (cases, make_case ("H", case_h, AT (-38, 0), FALSE));
  return cases;
}

static GPtrArray *
make_classes (void)
{
  GPtrArray *classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  GwIncidentClass *klass = gw_incident_class_new ();

  klass->code = g_strdup ("0202");
  klass->name = g_strdup ("占道经营");
  klass->deadline_hours = 2;
  g_ptr_array_add (classes, klass);
  return classes;
}

static GwReplayIndex *
make_index (GwTime from,
            GwTime to)
{
  g_autoptr(GPtrArray) cases = make_cases ();
  g_autoptr(GPtrArray) classes = make_classes ();

  return gw_replay_index_new (cases, classes, from, to);
}

typedef struct {
  GwTime      t, day_start;
  guint       present, open, late, received_today, closed_today, closed_late_today;
  const char *stages;   /* "STAGE:count ..." */
  const char *late_ids; /* the late cases, in receipt order */
} Expect;

static void
check_state (const GwReplayIndex *index,
             const Expect        *e)
{
  g_autoptr(GwReplayState) state = gw_replay_state_new (index);
  g_auto(GStrv) words = g_strsplit (e->stages, " ", -1);
  g_autoptr(GString) late = g_string_new ("");
  guint sum = 0;

  gw_replay_index_state_at (index, e->t, e->day_start, state);
  g_assert_cmpint (state->t, ==, e->t);
  g_assert_cmpuint (state->n_present, ==, e->present);
  g_assert_cmpuint (state->n_open, ==, e->open);
  g_assert_cmpuint (state->n_late, ==, e->late);
  g_assert_cmpuint (state->n_received_today, ==, e->received_today);
  g_assert_cmpuint (state->n_closed_today, ==, e->closed_today);
  g_assert_cmpuint (state->n_closed_late_today, ==, e->closed_late_today);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (words[i], ":", 2);
      GwStage stage;

      g_assert_true (gw_stage_from_string (kv[0], &stage));
      g_assert_cmpuint (state->by_stage[stage], ==, atoi (kv[1]));
      sum += atoi (kv[1]);
    }
  /* No stage counted but those listed. */
  g_assert_cmpuint (sum, ==, e->present);

  for (guint i = 0; i < state->n_cases; i++)
    if (state->late[i])
      g_string_append (late, gw_replay_index_get_incident (index, i)->id);
  g_assert_cmpstr (late->str, ==, e->late_ids);
}

static void
test_state_at (void)
{
  g_autoptr(GwReplayIndex) index = make_index (GW_TIME_NONE, GW_TIME_NONE);
  static const Expect expect[] = {
    /* Before anything of day D: yesterday's parked case (late) and the old closed one. */
    { AT (7, 0), DAY0, 2, 1, 1, 0, 0, 0, "parked:1 closed:1", "E" },
    /* Exactly at 09:00 B and D exist, in "received". */
    { AT (9, 0), DAY0, 6, 5, 1, 4, 0, 0, "on_site:2 received:2 parked:1 closed:1", "E" },
    { AT (10, 15), DAY0, 6, 4, 3, 4, 1, 0,
      "evaluated:1 on_site:2 reported_done:1 parked:1 closed:1", "EFB" },
    /* The extension at 10:30 ends F's lateness; D's deadline is 10:30 itself. */
    { AT (10, 30), DAY0, 6, 4, 2, 4, 1, 0,
      "evaluated:1 on_site:1 rework:1 extended:1 parked:1 closed:1", "EB" },
    { AT (12, 0), DAY0, 7, 4, 2, 5, 2, 1,
      "evaluated:1 closed:2 on_site:1 extended:1 parked:1 received:1", "EB" },
    { AT (23, 55), DAY0, 8, 4, 3, 6, 3, 2,
      "evaluated:1 closed:3 on_site:2 parked:1 registered:1", "EBG" },
    /* Crossing midnight: C on site at 00:10 sharp is not late yet ... */
    { AT (24, 10), DAY1, 8, 4, 3, 0, 0, 0,
      "evaluated:1 closed:3 on_site:3 parked:1", "EBG" },
    /* ... and closed late at 00:20: counted on day D+1, not received on it. */
    { AT (24, 30), DAY1, 8, 3, 3, 0, 1, 1, "evaluated:1 closed:4 on_site:2 parked:1", "EBG" },
    /* The same moment counted from day D. */
    { AT (24, 30), DAY0, 8, 3, 3, 6, 4, 3, "evaluated:1 closed:4 on_site:2 parked:1", "EBG" },
  };

  g_assert_cmpuint (gw_replay_index_get_n_cases (index), ==, 8);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    check_state (index, &expect[i]);
}

static void
test_order_and_lookup (void)
{
  g_autoptr(GwReplayIndex) index = make_index (GW_TIME_NONE, GW_TIME_NONE);
  const char *order = "HEAFBDGC";  /* by receipt; ties (B, D at 09:00) by id */

  for (guint i = 0; i < 8; i++)
    {
      char id[2] = { order[i], 0 };

      g_assert_cmpstr (gw_replay_index_get_incident (index, i)->id, ==, id);
      g_assert_cmpint (gw_replay_index_lookup (index, id), ==, i);
    }
  g_assert_cmpint (gw_replay_index_lookup (index, "nope"), ==, -1);
  /* F's events came reversed and twice: its spans are clean. */
  g_assert_cmpuint (gw_stage_spans_get_n_spans (gw_replay_index_get_spans (index, 3)), ==, 7);
  g_assert_cmpuint (gw_stage_spans_get_n_dropped (gw_replay_index_get_spans (index, 3)), ==, 7);
}

/* Every case's stage and lateness in the state agree with its own spans, at every
 * event time and just before and after it. */
static void
test_agrees_with_spans (void)
{
  g_autoptr(GwReplayIndex) index = make_index (GW_TIME_NONE, GW_TIME_NONE);
  g_autoptr(GwReplayState) state = gw_replay_state_new (index);
  GwTime t = gw_replay_index_get_first_event (index) - 1;

  for (guint n = 0; t != GW_TIME_NONE; n++)
    {
      for (int d = -1; d <= 1; d++)
        {
          gw_replay_index_state_at (index, t + d, DAY0, state);
          for (guint i = 0; i < state->n_cases; i++)
            {
              GwStageSpans *spans = gw_replay_index_get_spans (index, i);
              GwStage stage;

              if (gw_stage_spans_stage_at (spans, t + d, &stage))
                g_assert_cmpint (state->stages[i], ==, stage);
              else
                g_assert_cmpint (state->stages[i], ==, GW_REPLAY_ABSENT);
              g_assert_cmpint (state->late[i], ==, gw_stage_spans_is_late_at (spans, t + d));
            }
        }
      t = gw_replay_index_next_event (index, t);
    }
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  GwTime x = *(const GwTime *) a, y = *(const GwTime *) b;

  return x < y ? -1 : x > y;
}

static void
test_stepping (void)
{
  g_autoptr(GwReplayIndex) index = make_index (GW_TIME_NONE, GW_TIME_NONE);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (GwTime));
  g_autoptr(GArray) forward = g_array_new (FALSE, FALSE, sizeof (GwTime));
  g_autoptr(GArray) backward = g_array_new (FALSE, FALSE, sizeof (GwTime));
  GwTime t;

  /* The distinct times of every case's raw events, worked out apart from the index. */
  {
    g_autoptr(GPtrArray) cases = make_cases ();

    for (guint i = 0; i < cases->len; i++)
      {
        GwIncident *inc = g_ptr_array_index (cases, i);

        for (guint k = 0; k < inc->timeline->len; k++)
          {
            GwTime et = ((GwStageEvent *) g_ptr_array_index (inc->timeline, k))->time;
            gboolean seen = FALSE;

            for (guint m = 0; m < expected->len; m++)
              seen |= g_array_index (expected, GwTime, m) == et;
            if (!seen)
              g_array_append_val (expected, et);
          }
      }
    g_array_sort (expected, compare_times);
  }
  g_assert_cmpuint (gw_replay_index_get_n_event_times (index), ==, expected->len);

  for (t = gw_replay_index_next_event (index, AT (-100, 0)); t != GW_TIME_NONE;
       t = gw_replay_index_next_event (index, t))
    g_array_append_val (forward, t);
  for (t = gw_replay_index_prev_event (index, AT (100, 0)); t != GW_TIME_NONE;
       t = gw_replay_index_prev_event (index, t))
    g_array_prepend_val (backward, t);

  g_assert_cmpuint (forward->len, ==, expected->len);
  g_assert_cmpuint (backward->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_assert_cmpint (g_array_index (forward, GwTime, i), ==, g_array_index (expected, GwTime, i));
      g_assert_cmpint (g_array_index (backward, GwTime, i), ==, g_array_index (expected, GwTime, i));
    }
  /* From an event time, the neighbours; from between two, the nearest on each side. */
  g_assert_cmpint (gw_replay_index_next_event (index, AT (9, 0)), ==, AT (9, 2));
  g_assert_cmpint (gw_replay_index_prev_event (index, AT (9, 0)), ==, AT (8, 40));
  g_assert_cmpint (gw_replay_index_next_event (index, AT (9, 1)), ==, AT (9, 2));
  g_assert_cmpint (gw_replay_index_prev_event (index, AT (9, 1)), ==, AT (9, 0));
  g_assert_cmpint (gw_replay_index_get_first_event (index), ==, AT (-40, 0));
  g_assert_cmpint (gw_replay_index_get_last_event (index), ==, AT (24, 20));
}

static void
test_window (void)
{
  /* Day D up to 23:00: H closed for good before it, C received after it. */
  g_autoptr(GwReplayIndex) index = make_index (DAY0, AT (23, 0));
  g_autoptr(GwReplayIndex) empty = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GwReplayState) state = NULL;

  g_assert_cmpuint (gw_replay_index_get_n_cases (index), ==, 6);
  g_assert_cmpint (gw_replay_index_lookup (index, "H"), ==, -1);
  g_assert_cmpint (gw_replay_index_lookup (index, "C"), ==, -1);
  g_assert_cmpint (gw_replay_index_lookup (index, "E"), >=, 0);

  empty = gw_replay_index_new (none, NULL, GW_TIME_NONE, GW_TIME_NONE);
  state = gw_replay_state_new (empty);
  gw_replay_index_state_at (empty, AT (9, 0), DAY0, state);
  g_assert_cmpuint (state->n_present, ==, 0);
  g_assert_cmpint (gw_replay_index_next_event (empty, AT (9, 0)), ==, GW_TIME_NONE);
  g_assert_cmpint (gw_replay_index_prev_event (empty, AT (9, 0)), ==, GW_TIME_NONE);
}

/* ---- the scrubber ---- */

static GwTime fake_now;

static GwTime
fake_clock (gpointer data)
{
  return fake_now;
}

static void
count_cb (GwReplay *replay,
          guint    *n)
{
  (*n)++;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@n changes (a tick or a build landed), at most 5 s. */
static void
wait_for_change (guint *n)
{
  guint before = *n;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &timed_out);

  while (*n == before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
test_scrubber (void)
{
  g_autoptr(GwReplayIndex) index = make_index (GW_TIME_NONE, GW_TIME_NONE);
  g_autoptr(GwReplay) replay = gw_replay_new (NULL);
  const GwReplayState *state;
  guint changes = 0;

  fake_now = AT (30, 0);
  gw_replay_set_clock (replay, fake_clock, NULL);
  g_signal_connect (replay, "state-changed", G_CALLBACK (count_cb), &changes);
  g_assert_null (gw_replay_get_state (replay));

  /* Live by default: the state is at the real now. */
  gw_replay_set_index (replay, index);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (gw_replay_get_live (replay));
  state = gw_replay_get_state (replay);
  g_assert_cmpint (state->t, ==, AT (30, 0));
  g_assert_cmpint (state->day_start, ==, DAY1);  /* automatic: midnight in Beijing */

  /* Scrubbing leaves live mode and recomputes. */
  gw_replay_set_time (replay, AT (10, 15));
  g_assert_false (gw_replay_get_live (replay));
  state = gw_replay_get_state (replay);
  g_assert_cmpint (state->t, ==, AT (10, 15));
  g_assert_cmpint (state->day_start, ==, DAY0);
  g_assert_cmpuint (state->n_late, ==, 3);
  gw_replay_set_day_start (replay, AT (8, 30));
  g_assert_cmpuint (gw_replay_get_state (replay)->n_received_today, ==, 2);
  gw_replay_set_day_start (replay, GW_TIME_NONE);

  /* The range clamps the time; stepping stays inside it. */
  gw_replay_set_range (replay, DAY0, DAY1);
  gw_replay_set_time (replay, AT (25, 0));
  g_assert_cmpint (gw_replay_get_time (replay), ==, DAY1);
  g_assert_false (gw_replay_step_forward (replay));  /* C's 00:05 is past the range */
  g_assert_cmpint (gw_replay_get_time (replay), ==, DAY1);
  g_assert_true (gw_replay_step_backward (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, AT (23, 55));
  gw_replay_set_time (replay, AT (9, 0));
  g_assert_true (gw_replay_step_forward (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, AT (9, 2));
  g_assert_true (gw_replay_step_backward (replay));
  g_assert_true (gw_replay_step_backward (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, AT (8, 40));
  gw_replay_set_time (replay, AT (0, 0));
  g_assert_false (gw_replay_step_backward (replay));  /* E's and H's are before the range */

  /* Play at 60×: ten real seconds replay ten minutes. */
  gw_replay_set_time (replay, AT (10, 0));
  gw_replay_set_speed (replay, 60);
  gw_replay_set_playing (replay, TRUE);
  g_assert_true (gw_replay_get_playing (replay));
  fake_now += 10 * G_USEC_PER_SEC;
  wait_for_change (&changes);
  g_assert_cmpint (gw_replay_get_time (replay), ==, AT (10, 10));
  g_assert_cmpint (gw_replay_get_state (replay)->t, ==, AT (10, 10));

  /* The speed is clamped to 1–3600; at 3600× the rest of the day takes 14 s. */
  gw_replay_set_speed (replay, 1e6);
  g_assert_cmpfloat (gw_replay_get_speed (replay), ==, 3600.0);
  fake_now += 20 * G_USEC_PER_SEC;
  wait_for_change (&changes);
  g_assert_false (gw_replay_get_playing (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, DAY1);

  /* Playing into the present goes live. */
  gw_replay_set_range (replay, GW_TIME_NONE, GW_TIME_NONE);
  gw_replay_set_time (replay, fake_now - 60 * G_USEC_PER_SEC);
  gw_replay_set_playing (replay, TRUE);
  fake_now += G_USEC_PER_SEC;
  wait_for_change (&changes);
  g_assert_true (gw_replay_get_live (replay));
  g_assert_false (gw_replay_get_playing (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, fake_now);

  /* Play from live replays the range from its start. */
  gw_replay_set_range (replay, DAY0, DAY1);
  gw_replay_set_playing (replay, TRUE);
  g_assert_false (gw_replay_get_live (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, DAY0);
  gw_replay_set_playing (replay, FALSE);
  gw_replay_set_range (replay, GW_TIME_NONE, GW_TIME_NONE);

  /* Return to live after a scrub. */
  gw_replay_set_time (replay, AT (12, 0));
  fake_now += GW_USEC_PER_HOUR;
  gw_replay_return_to_live (replay);
  g_assert_true (gw_replay_get_live (replay));
  g_assert_cmpint (gw_replay_get_time (replay), ==, fake_now);
}

static void
building_cb (GwReplay   *replay,
             GParamSpec *pspec,
             guint      *n)
{
  if (!gw_replay_get_building (replay))
    (*n)++;
}

static void
test_follows_store (void)
{
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GPtrArray) cases = make_cases ();
  g_autoptr(GPtrArray) classes = make_classes ();
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  g_autoptr(GPtrArray) departments = g_ptr_array_new ();
  g_autoptr(GwReplay) replay = NULL;
  GwStoreBatch *batch = gw_store_batch_new ();
  guint built = 0;

  gw_store_set_reference (store, cells, departments, classes);
  for (guint i = 0; i < cases->len - 1; i++)
    gw_store_batch_upsert (batch, g_ptr_array_index (cases, i));
  gw_store_apply (store, batch);

  /* The first build runs in a worker thread. */
  replay = gw_replay_new (store);
  g_signal_connect (replay, "notify::building", G_CALLBACK (building_cb), &built);
  g_assert_true (gw_replay_get_building (replay));
  wait_for_change (&built);
  g_assert_cmpuint (gw_replay_index_get_n_cases (gw_replay_get_index (replay)), ==, 7);
  /* F's extension is read with the store's class: late at 10:15. */
  g_assert_true (gw_stage_spans_is_late_at (
    gw_replay_index_get_spans (gw_replay_get_index (replay),
                               gw_replay_index_lookup (gw_replay_get_index (replay), "F")),
    AT (10, 15)));

  /* A change in the store rebuilds it, after a short delay. */
  batch = gw_store_batch_new ();
  gw_store_batch_upsert (batch, g_ptr_array_index (cases, cases->len - 1));
  gw_store_apply (store, batch);
  wait_for_change (&built);
  g_assert_cmpuint (gw_replay_index_get_n_cases (gw_replay_get_index (replay)), ==, 8);
  g_assert_nonnull (gw_replay_get_state (replay));

  /* A past day's history replaces the store's cases. */
  g_ptr_array_set_size (cases, 2);
  gw_replay_set_incidents (replay, cases, classes);
  wait_for_change (&built);
  g_assert_cmpuint (gw_replay_index_get_n_cases (gw_replay_get_index (replay)), ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/replay/state-at", test_state_at);
  g_test_add_func ("/replay/order-and-lookup", test_order_and_lookup);
  g_test_add_func ("/replay/agrees-with-spans", test_agrees_with_spans);
  g_test_add_func ("/replay/stepping", test_stepping);
  g_test_add_func ("/replay/window", test_window);
  g_test_add_func ("/replay/scrubber", test_scrubber);
  g_test_add_func ("/replay/follows-store", test_follows_store);

  return g_test_run ();
}
