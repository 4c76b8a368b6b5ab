/* gw-bench-timeline.c — GwHallTimeline against one widget per bar, side by side
 *
 *   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" ./gw-bench-timeline
 *
 * A 1920×400 window shows 2,000 cases of the last 8 hours in 10 department lanes. Each
 * of 200 frames advances now by 30 s (the view scrolls, open bars grow) and costs
 * measure + allocate + snapshot of the widget; GPU rendering is not counted.
 *   ours      GwHallTimeline fed by a GwStore (bars prebuilt as one node, placed per frame)
 *   baseline  one GtkFrame per bar in a GtkFixed per lane (a vertical GtkBox of lanes),
 *             sized by width-request and moved with gtk_fixed_move every frame; plain
 *             frames, one per case (no stage segments or late parts: cheaper than ours)
 * plus the cost of a store change (50 cases changed) up to the next frame.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <adwaita.h>

#include "gw-hall-timeline.h"

#define WIDTH     1920
#define HEIGHT    400
#define N_CASES   2000
#define N_LANES   10
#define N_FRAMES  200
#define STEP      ((GwTime) 30 * G_USEC_PER_SEC)
#define HOUR      GW_USEC_PER_HOUR
#define MIN_      GW_USEC_PER_MIN
#define LABEL_W   120

typedef struct {
  const char *name;
  double      mean_ms, p95_ms, max_ms;
  double      layout_ms, snapshot_ms;
} Result;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}

static void
add_event (GwIncident *incident, GwStage stage, GwTime t, const char *dept)
{
  GwStageEvent *event = gw_stage_event_new ();

  event->id = g_strdup_printf ("%s-%u", incident->id, incident->timeline->len);
  event->stage = stage;
  event->time = t;
  event->department = g_strdup (dept);
  g_ptr_array_add (incident->timeline, event);
  incident->stage = stage;
  incident->updated_at = t;
  if (dept != NULL)
    {
      char *copy = g_strdup (dept);  /* @dept may be incident->department */
      g_free (incident->department);
      incident->department = copy;
    }
  if (gw_stage_is_closed (stage))
    incident->closed_at = t;
}

/* A day's worth of cases: received over the last 9 h, most dispatched within 30 min,
 * on site within 90, 60 % closed 1–4 h after receipt; deadlines at 3 h. */
static GwIncident *
make_case (GRand *rand, guint i, GwTime now, guint seq)
{
  GwIncident *incident = gw_incident_new ();
  g_autofree char *dept = g_strdup_printf ("dept%02u", g_rand_int_range (rand, 0, N_LANES));
  GwTime t = now - (GwTime) (g_rand_double (rand) * 9 * HOUR);
  GwTime close_at = t + HOUR + (GwTime) (g_rand_double (rand) * 3 * HOUR);
  gboolean closes = g_rand_double (rand) < 0.6;

  incident->id = g_strdup_printf ("C%05u", i);
  incident->title = g_strdup ("垃圾满溢");
  incident->class_code = g_strdup ("0101");
  incident->cell_code = g_strdup ("41010200100101");
  incident->received_at = t;
  incident->deadline = t + 3 * HOUR;
  incident->closed_at = GW_TIME_NONE;
  incident->seq = seq;
  incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  add_event (incident, GW_STAGE_RECEIVED, t, NULL);
  t += 5 * MIN_ + (GwTime) (g_rand_double (rand) * 25 * MIN_);
  if (t < now)
    add_event (incident, GW_STAGE_DISPATCHED, t, dept);
  t += 30 * MIN_ + (GwTime) (g_rand_double (rand) * 60 * MIN_);
  if (t < now)
    add_event (incident, GW_STAGE_ON_SITE, t, dept);
  if (closes && close_at < now && close_at > t)
    {
      add_event (incident, GW_STAGE_REPORTED_DONE, close_at - 10 * MIN_, dept);
      add_event (incident, GW_STAGE_CLOSED, close_at, dept);
    }
  return incident;
}

static GtkWidget *
make_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  while ((!gtk_widget_get_mapped (child) || gtk_widget_get_width (child) != WIDTH) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  pump (200);
  return window;
}

static GskRenderNode *
snapshot_widget (GtkWidget *widget)
{
  GtkSnapshot *s = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, s);
  return gtk_snapshot_free_to_node (s);
}

typedef void (*StepFunc) (gpointer data, guint frame);

static void
run_frames (GtkWidget *widget, StepFunc step, gpointer data, Result *r)
{
  double times[N_FRAMES], layout_sum = 0, snapshot_sum = 0, sum = 0;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      step (data, 0);
      gtk_widget_allocate (widget, w, h, -1, NULL);
      node = snapshot_widget (widget);
      pump (50);
    }

  for (guint f = 0; f < N_FRAMES; f++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      int min, nat;
      double t0, t1, t2;

      step (data, f + 1);
      t0 = now_ms ();
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, w, &min, &nat, NULL, NULL);
      gtk_widget_allocate (widget, w, h, -1, NULL);
      t1 = now_ms ();
      node = snapshot_widget (widget);
      t2 = now_ms ();
      times[f] = t2 - t0;
      layout_sum += t1 - t0;
      snapshot_sum += t2 - t1;
      sum += t2 - t0;
    }

  r->mean_ms = sum / N_FRAMES;
  r->layout_ms = layout_sum / N_FRAMES;
  r->snapshot_ms = snapshot_sum / N_FRAMES;
  qsort (times, N_FRAMES, sizeof (double), cmp_double);
  r->p95_ms = times[(int) (N_FRAMES * 0.95)];
  r->max_ms = times[N_FRAMES - 1];
}

static void
print_result (const Result *r)
{
  fprintf (stderr, "  %-40s %8.3f %8.3f %8.3f   (layout %.3f, snapshot %.3f)\n",
           r->name, r->mean_ms, r->p95_ms, r->max_ms, r->layout_ms, r->snapshot_ms);
}

/* ------------------------------------------------------------------------------------
 * Ours
 */

typedef struct {
  GwHallTimeline *hall;
  GwTime          now0;
} Ours;

static void
ours_step (gpointer data, guint frame)
{
  Ours *o = data;

  gw_hall_timeline_set_now (o->hall, o->now0 + (GwTime) frame * STEP);
}

/* ------------------------------------------------------------------------------------
 * Baseline: a widget per bar
 */

typedef struct {
  GtkWidget *frame;
  GtkFixed  *lane;
  GwTime     t0, t1;   /* t1: G_MAXINT64 while open */
  double     y;
} WidgetBar;

typedef struct {
  GArray *bars;        /* WidgetBar */
  GwTime  now0;
} Baseline;

static void
baseline_step (gpointer data, guint frame)
{
  Baseline *b = data;
  GwTime now = b->now0 + (GwTime) frame * STEP;
  GwTime start = now - 8 * HOUR;
  double pxu = (double) (WIDTH - LABEL_W) / (8 * HOUR);

  for (guint i = 0; i < b->bars->len; i++)
    {
      WidgetBar *bar = &g_array_index (b->bars, WidgetBar, i);
      GwTime t1 = MIN (bar->t1, now);
      double x0 = (bar->t0 - start) * pxu, x1 = (t1 - start) * pxu;
      gboolean visible = x1 > 0;

      gtk_widget_set_visible (bar->frame, visible);
      if (!visible)
        continue;
      x0 = MAX (x0, 0);
      gtk_widget_set_size_request (bar->frame, MAX ((int) (x1 - x0), 1), 3);
      gtk_fixed_move (bar->lane, bar->frame, LABEL_W + x0, bar->y);
    }
}

static GtkWidget *
make_baseline (Baseline *b, GPtrArray *incidents)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *lanes[N_LANES];
  g_autofree guint *counts = g_new0 (guint, N_LANES);

  b->bars = g_array_new (FALSE, FALSE, sizeof (WidgetBar));
  for (guint l = 0; l < N_LANES; l++)
    {
      lanes[l] = gtk_fixed_new ();
      gtk_widget_set_size_request (lanes[l], -1, HEIGHT / N_LANES);
      gtk_widget_set_overflow (lanes[l], GTK_OVERFLOW_HIDDEN);
      gtk_box_append (GTK_BOX (box), lanes[l]);
    }
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      guint l = incident->department ? (guint) atoi (incident->department + 4) : 0;
      WidgetBar bar = { 0, };

      bar.frame = gtk_frame_new (NULL);
      bar.lane = GTK_FIXED (lanes[l % N_LANES]);
      bar.t0 = incident->received_at;
      bar.t1 = incident->closed_at != GW_TIME_NONE ? incident->closed_at : G_MAXINT64;
      bar.y = (counts[l % N_LANES]++ % 9) * 4;
      gtk_fixed_put (bar.lane, bar.frame, 0, bar.y);
      g_array_append_val (b->bars, bar);
    }
  return box;
}

int
main (int argc, char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  g_autoptr(GPtrArray) depts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  g_autoptr(GwStore) store = NULL;
  GwStoreBatch *batch;
  GwTime now0 = gw_time_now () / MIN_ * MIN_;
  Result ours_r = { .name = "ours: GwHallTimeline, 2,000 bars" };
  Result base_r = { .name = "baseline: GtkFrame per bar, 2,000" };
  GtkWidget *window, *box;
  Ours ours;
  Baseline base;
  double t0, build_ms, change_ms, setup_ms;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  for (guint l = 0; l < N_LANES; l++)
    {
      GwDepartment *dept = gw_department_new ();
      dept->id = g_strdup_printf ("dept%02u", l);
      dept->name = g_strdup_printf ("部门 %u", l);
      g_ptr_array_add (depts, dept);
    }
  store = gw_store_new ();
  gw_store_set_reference (store, cells, depts, classes);
  batch = gw_store_batch_new ();
  for (guint i = 0; i < N_CASES; i++)
    {
      GwIncident *incident = make_case (rand, i, now0, 1);
      g_ptr_array_add (incidents, incident);
      gw_store_batch_upsert (batch, incident);
    }
  gw_store_apply (store, batch);

  fprintf (stderr, "GwHallTimeline: %u cases, %u lanes, %d×%d, %u frames, now +30 s a frame\n",
           N_CASES, N_LANES, WIDTH, HEIGHT, N_FRAMES);
  fprintf (stderr, "  %-40s %8s %8s %8s   (ms per frame: measure + allocate + snapshot)\n",
           "scenario", "mean", "p95", "max");

  /* Ours. */
  ours.hall = GW_HALL_TIMELINE (gw_hall_timeline_new ());
  ours.now0 = now0;
  gw_hall_timeline_set_now (ours.hall, now0);
  t0 = now_ms ();
  gw_hall_timeline_set_store (ours.hall, store);
  window = make_window (GTK_WIDGET (ours.hall));
  t0 = now_ms ();
  g_assert_cmpuint (gw_hall_timeline_get_n_bars (ours.hall), >, 1000);
  {
    /* The geometry build alone: a lane-by flip back and forth forces two. */
    t0 = now_ms ();
    gw_hall_timeline_set_lane_by (ours.hall, GW_HALL_LANE_BY_CELL);
    gw_hall_timeline_get_n_bars (ours.hall);
    gw_hall_timeline_set_lane_by (ours.hall, GW_HALL_LANE_BY_DEPARTMENT);
    gw_hall_timeline_get_n_bars (ours.hall);
    build_ms = (now_ms () - t0) / 2;
  }
  run_frames (GTK_WIDGET (ours.hall), ours_step, &ours, &ours_r);
  print_result (&ours_r);
  fprintf (stderr, "    bars shown: %u; geometry build: %.3f ms\n",
           gw_hall_timeline_get_n_bars (ours.hall), build_ms);

  /* GW_TEST_OUTDIR set: what was measured, as a PNG to look at. */
  if (g_getenv ("GW_TEST_OUTDIR") != NULL)
    {
      g_autoptr(GskRenderNode) node = snapshot_widget (GTK_WIDGET (ours.hall));
      g_autoptr(GdkTexture) texture =
        gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                     &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
      g_autofree char *path = g_build_filename (g_getenv ("GW_TEST_OUTDIR"), "bench-timeline.png", NULL);
      gdk_texture_save_to_png (texture, path);
    }

  /* A store change of 50 cases, then the next frame (spans + rebuild + snapshot). */
  {
    g_autoptr(GskRenderNode) node = NULL;
    batch = gw_store_batch_new ();
    for (guint i = 0; i < 50; i++)
      {
        g_autoptr(GwIncident) copy = gw_incident_copy (g_ptr_array_index (incidents, i * 37));
        copy->seq = 2;
        add_event (copy, GW_STAGE_REWORK, now0 + N_FRAMES * STEP - MIN_, copy->department);
        gw_store_batch_upsert (batch, copy);
      }
    t0 = now_ms ();
    gw_store_apply (store, batch);
    gtk_widget_allocate (GTK_WIDGET (ours.hall), WIDTH, HEIGHT, -1, NULL);
    node = snapshot_widget (GTK_WIDGET (ours.hall));
    change_ms = now_ms () - t0;
    fprintf (stderr, "    store change (50 cases) to the next frame: %.3f ms\n", change_ms);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  pump (100);

  /* Baseline. */
  base.now0 = now0;
  t0 = now_ms ();
  box = make_baseline (&base, incidents);
  window = make_window (box);
  setup_ms = now_ms () - t0;
  run_frames (box, baseline_step, &base, &base_r);
  print_result (&base_r);
  fprintf (stderr, "    setup (2,000 GtkFrames, first frame): %.1f ms\n", setup_ms);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (base.bars);
  pump (100);

  fprintf (stderr, "\n  mean %.3f vs %.3f ms (%.0f× less), p95 %.3f vs %.3f ms\n",
           ours_r.mean_ms, base_r.mean_ms, base_r.mean_ms / MAX (ours_r.mean_ms, 1e-6),
           ours_r.p95_ms, base_r.p95_ms);
  return 0;
}
