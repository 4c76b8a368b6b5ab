/* test-timeline-render.c — headless renders of the case and hall timelines
 *
 * Runs under Xvfb (dbus-run-session -- xvfb-run -a). Renders each widget through its
 * window's GskRenderer to a texture, saves it as PNG (into $GW_TEST_OUTDIR, or the
 * current directory) and checks pixels at known times: late parts are red at their x,
 * a known case's bar is in its department's lane at its times, the now-line is at now;
 * and that a click on a bar's centre activates that case.
 */
#include "gw-test-image.h"
#include <math.h>
#include <adwaita.h>

#include "gw-case-timeline.h"
#include "gw-hall-timeline.h"

#define WIDTH  1200
#define HEIGHT 360
#define MIN_   GW_USEC_PER_MIN
#define HOUR   GW_USEC_PER_HOUR

typedef struct {
  GtkWidget *window;
  GtkWidget *widget;
  GwStore   *store;
  GwTime     now;
} Fixture;



static void
add_event (GwIncident *incident, GwStage stage, GwTime t, const char *dept, const char *actor)
{
  GwStageEvent *event = gw_stage_event_new ();

  event->id = g_strdup_printf ("%s-%u", incident->id, incident->timeline->len);
  event->stage = stage;
  event->time = t;
  event->department = g_strdup (dept);
  event->actor = g_strdup (actor);
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

static GwIncident *
make_incident (const char *id, GwTime received, GwTime deadline)
{
  GwIncident *incident = gw_incident_new ();

  incident->id = g_strdup (id);
  incident->title = g_strdup_printf ("垃圾满溢 %s", id);
  incident->class_code = g_strdup ("0101");
  incident->cell_code = g_strdup ("41010200100101");
  incident->address = g_strdup ("绿东村小区 3 号楼");
  incident->lon = 113.61;
  incident->lat = 34.75;
  incident->priority = GW_PRIORITY_NORMAL;
  incident->received_at = received;
  incident->deadline = deadline;
  incident->closed_at = GW_TIME_NONE;
  incident->seq = 1;
  incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  add_event (incident, GW_STAGE_RECEIVED, received, NULL, "12345");
  return incident;
}

static void
drain (void)
{
  gint64 end = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
show (Fixture *f, GtkWidget *widget, int width, int height)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  f->widget = widget;
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_set_child (GTK_WINDOW (f->window), widget);
  gtk_window_present (GTK_WINDOW (f->window));
  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) != width) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpint (gtk_widget_get_width (widget), ==, width);
  drain ();
}

static GwTestImage *
render (Fixture *f, const char *name)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (f->widget);
  int width = gtk_widget_get_width (f->widget), height = gtk_widget_get_height (f->widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GdkRGBA bg = { 0.141, 0.141, 0.141, 1 };  /* the dark window background */
  /* Let a frame draw what changed since the last one. */
  drain ();
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gw_test_image_render (renderer, node, width, height, name);
}

static double
luminance_at (const GwTestImage *image, double x, double y)
{
  GdkRGBA got;

  gw_test_image_pixel (image, x, y, &got);
  return 0.2126 * got.red + 0.7152 * got.green + 0.0722 * got.blue;
}

/* ------------------------------------------------------------------------------------
 * The hall
 */

static void
hall_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_cell_unref);
  g_autoptr(GPtrArray) depts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  const char *ids[] = { "huanwei", "chengguan" }, *names[] = { "环卫", "城管" };
  GwIncidentClass *klass = gw_incident_class_new ();
  GwStoreBatch *batch;
  GwHallTimeline *hall;

  /* A whole minute, so times land on whole seconds. */
  f->now = gw_time_now () / MIN_ * MIN_;
  f->store = gw_store_new ();
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      GwDepartment *dept = gw_department_new ();
      dept->id = g_strdup (ids[i]);
      dept->name = g_strdup (names[i]);
      g_ptr_array_add (depts, dept);
    }
  klass->code = g_strdup ("0101");
  klass->name = g_strdup ("垃圾满溢");
  klass->category = g_strdup ("市容环境");
  klass->deadline_hours = 24;
  g_ptr_array_add (classes, klass);
  gw_store_set_reference (f->store, cells, depts, classes);

  batch = gw_store_batch_new ();
  {
    /* 环卫: dispatched 4 h ago, late for the last 2 h. */
    g_autoptr(GwIncident) late = make_incident ("LATE", f->now - 5 * HOUR, f->now - 2 * HOUR);
    add_event (late, GW_STAGE_DISPATCHED, f->now - 4 * HOUR, "huanwei", "李强");
    gw_store_batch_upsert (batch, late);
  }
  {
    /* 城管: on site for the last hour, on time. */
    g_autoptr(GwIncident) ok = make_incident ("OK", f->now - 3 * HOUR, f->now + 5 * HOUR);
    add_event (ok, GW_STAGE_DISPATCHED, f->now - 2 * HOUR, "chengguan", "张伟");
    add_event (ok, GW_STAGE_ON_SITE, f->now - 1 * HOUR, "chengguan", "张伟");
    gw_store_batch_upsert (batch, ok);
  }
  {
    /* 城管: closed 5 h 30 min ago. */
    g_autoptr(GwIncident) closed = make_incident ("CLOSED", f->now - 7 * HOUR, f->now + 5 * HOUR);
    add_event (closed, GW_STAGE_DISPATCHED, f->now - 6 * HOUR, "chengguan", "张伟");
    add_event (closed, GW_STAGE_CLOSED, f->now - 5 * HOUR - 30 * MIN_, "chengguan", "张伟");
    gw_store_batch_upsert (batch, closed);
  }
  {
    /* Not dispatched yet; and one closed long before the window. */
    g_autoptr(GwIncident) fresh = make_incident ("FRESH", f->now - 90 * MIN_, f->now + 20 * HOUR);
    g_autoptr(GwIncident) old = make_incident ("OLD", f->now - 30 * HOUR, f->now);
    add_event (old, GW_STAGE_DISPATCHED, f->now - 29 * HOUR, "huanwei", NULL);
    add_event (old, GW_STAGE_CLOSED, f->now - 20 * HOUR, "huanwei", NULL);
    gw_store_batch_upsert (batch, fresh);
    gw_store_batch_upsert (batch, old);
  }
  gw_store_apply (f->store, batch);

  hall = GW_HALL_TIMELINE (gw_hall_timeline_new ());
  gw_hall_timeline_set_now (hall, f->now);
  gw_hall_timeline_set_store (hall, f->store);
  show (f, GTK_WIDGET (hall), WIDTH, HEIGHT);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  drain ();
}

static int
find_lane (GwHallTimeline *hall, const char *key, double *y, double *h)
{
  for (guint i = 0; i < gw_hall_timeline_get_n_lanes (hall); i++)
    {
      const char *k;
      g_assert_true (gw_hall_timeline_get_lane (hall, i, &k, NULL, y, h));
      if (g_strcmp0 (k, key) == 0)
        return i;
    }
  return -1;
}

static void
test_hall_pixels (Fixture *f, gconstpointer data)
{
  GwHallTimeline *hall = GW_HALL_TIMELINE (f->widget);
  GdkRGBA red, amber, blue, green;
  graphene_rect_t bar;
  double lane_y, lane_h, x_now, y;
  const char *label;
  int lane;

  gw_timeline_late_color (&red);
  gw_timeline_stage_color (GW_STAGE_DISPATCHED, &amber);
  gw_timeline_stage_color (GW_STAGE_RECEIVED, &blue);
  gw_timeline_stage_color (GW_STAGE_ON_SITE, &green);

  /* OLD closed 20 h ago: not in an 8 h view. Lanes: 环卫, 城管, then not dispatched. */
  g_assert_cmpuint (gw_hall_timeline_get_hours (hall), ==, 8);
  g_assert_cmpuint (gw_hall_timeline_get_n_bars (hall), ==, 4);
  g_assert_cmpuint (gw_hall_timeline_get_n_lanes (hall), ==, 3);
  g_assert_true (gw_hall_timeline_get_lane (hall, 0, NULL, &label, NULL, NULL));
  g_assert_cmpstr (label, ==, "环卫");
  g_assert_true (gw_hall_timeline_get_lane (hall, 2, NULL, &label, NULL, NULL));
  g_assert_cmpstr (label, ==, "Not dispatched");
  g_assert_false (gw_hall_timeline_get_bar (hall, "OLD", &bar));

  g_autoptr(GwTestImage) image = render (f, "hall-timeline.png");

  /* The late case: in the 环卫 lane, blue while received, amber once dispatched, red
   * from its deadline on, up to now. */
  lane = find_lane (hall, "huanwei", &lane_y, &lane_h);
  g_assert_cmpint (lane, ==, 0);
  g_assert_true (gw_hall_timeline_get_bar (hall, "LATE", &bar));
  y = bar.origin.y + bar.size.height / 2;
  g_assert_cmpfloat (y, >, lane_y);
  g_assert_cmpfloat (y, <, lane_y + lane_h);
  g_assert_cmpfloat_with_epsilon (bar.origin.x, gw_hall_timeline_time_to_x (hall, f->now - 5 * HOUR), 0.01);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 4 * HOUR - 30 * MIN_), y, &blue, 0.03);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 3 * HOUR), y, &amber, 0.03);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 2 * HOUR) + 3, y, &red, 0.03);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 1 * HOUR), y, &red, 0.03);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 2 * HOUR) - 3, y, &amber, 0.03);

  /* The on-time case: in the 城管 lane, green on site for the last hour, never red. */
  lane = find_lane (hall, "chengguan", &lane_y, &lane_h);
  g_assert_cmpint (lane, ==, 1);
  g_assert_true (gw_hall_timeline_get_bar (hall, "OK", &bar));
  y = bar.origin.y + bar.size.height / 2;
  g_assert_cmpfloat (y, >, lane_y);
  g_assert_cmpfloat (y, <, lane_y + lane_h);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 2 * HOUR - 30 * MIN_), y, &blue, 0.03);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 90 * MIN_), y, &amber, 0.03);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 30 * MIN_), y, &green, 0.03);

  /* The closed case ends where it closed: dispatched before, nothing after. */
  g_assert_true (gw_hall_timeline_get_bar (hall, "CLOSED", &bar));
  y = bar.origin.y + bar.size.height / 2;
  g_assert_cmpfloat (y, >, lane_y);
  g_assert_cmpfloat (y, <, lane_y + lane_h);
  g_assert_cmpfloat_with_epsilon (bar.origin.x + bar.size.width,
                                  gw_hall_timeline_time_to_x (hall, f->now - 5 * HOUR - 30 * MIN_), 0.01);
  gw_test_image_assert_color (image, gw_hall_timeline_time_to_x (hall, f->now - 5 * HOUR - 45 * MIN_), y, &amber, 0.03);
  {
    GdkRGBA after;
    gw_test_image_pixel (image, gw_hall_timeline_time_to_x (hall, f->now - 5 * HOUR), y, &after);
    g_assert_cmpfloat (after.red + after.green + after.blue, <, 0.7);
  }

  /* The now-line: at now's x (97 % across the plot), bright on the dark ground; past
   * it, no bar (FRESH's and LATE's run to now, not beyond). */
  x_now = gw_hall_timeline_time_to_x (hall, f->now);
  g_assert_cmpfloat (x_now, >, WIDTH * 0.9);
  g_assert_cmpfloat (x_now, <, WIDTH - 8);
  g_assert_cmpfloat (luminance_at (image, x_now, 10), >, 0.8);
  g_assert_cmpfloat (luminance_at (image, x_now - 0.5, HEIGHT / 2.0), >, 0.8);
  g_assert_true (gw_hall_timeline_get_bar (hall, "LATE", &bar));
  g_assert_cmpfloat (luminance_at (image, x_now + 5, bar.origin.y + bar.size.height / 2), <, 0.3);
  gw_test_image_assert_color (image, x_now - 5, bar.origin.y + bar.size.height / 2, &red, 0.03);
}

static void
count_activation_cb (GwHallTimeline *hall, GwIncident *incident, GPtrArray *seen)
{
  g_ptr_array_add (seen, g_strdup (incident->id));
}

static void
test_hall_pick (Fixture *f, gconstpointer data)
{
  GwHallTimeline *hall = GW_HALL_TIMELINE (f->widget);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  const char *ids[] = { "LATE", "OK", "CLOSED", "FRESH" };
  graphene_rect_t bar;
  GwIncident *picked;

  g_signal_connect (hall, "incident-activated", G_CALLBACK (count_activation_cb), seen);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      double cx, cy;

      g_assert_true (gw_hall_timeline_get_bar (hall, ids[i], &bar));
      cx = bar.origin.x + bar.size.width / 2;
      cy = bar.origin.y + bar.size.height / 2;
      picked = gw_hall_timeline_pick (hall, cx, cy);
      g_assert_nonnull (picked);
      g_assert_cmpstr (picked->id, ==, ids[i]);
      g_assert_true (gw_hall_timeline_activate_at (hall, cx, cy));
      g_assert_cmpuint (seen->len, ==, i + 1);
      g_assert_cmpstr (g_ptr_array_index (seen, i), ==, ids[i]);
    }

  /* Nothing past now, nothing after a closed bar's end, nothing on the labels. */
  g_assert_true (gw_hall_timeline_get_bar (hall, "LATE", &bar));
  g_assert_null (gw_hall_timeline_pick (hall, gw_hall_timeline_time_to_x (hall, f->now) + 10,
                                        bar.origin.y + 2));
  g_assert_null (gw_hall_timeline_pick (hall, 20, bar.origin.y + 2));
  g_assert_true (gw_hall_timeline_get_bar (hall, "CLOSED", &bar));
  g_assert_null (gw_hall_timeline_pick (hall, gw_hall_timeline_time_to_x (hall, f->now - 4 * HOUR),
                                        bar.origin.y + 2));
  g_assert_false (gw_hall_timeline_activate_at (hall, 20, bar.origin.y + 2));
  g_assert_cmpuint (seen->len, ==, G_N_ELEMENTS (ids));
}

/* The view follows now; store changes show up; lanes by cell. */
static void
test_hall_follow_and_change (Fixture *f, gconstpointer data)
{
  GwHallTimeline *hall = GW_HALL_TIMELINE (f->widget);
  double x_now = gw_hall_timeline_time_to_x (hall, f->now);
  double x_late = gw_hall_timeline_time_to_x (hall, f->now - 2 * HOUR);
  GwStoreBatch *batch;

  gw_hall_timeline_set_now (hall, f->now + 10 * MIN_);
  g_assert_cmpfloat_with_epsilon (gw_hall_timeline_time_to_x (hall, f->now + 10 * MIN_), x_now, 0.01);
  g_assert_cmpfloat (gw_hall_timeline_time_to_x (hall, f->now - 2 * HOUR), <, x_late - 10);

  batch = gw_store_batch_new ();
  {
    g_autoptr(GwIncident) more = make_incident ("MORE", f->now - 1 * HOUR, f->now + 5 * HOUR);
    add_event (more, GW_STAGE_DISPATCHED, f->now - 50 * MIN_, "huanwei", NULL);
    gw_store_batch_upsert (batch, more);
    gw_store_batch_remove (batch, "FRESH");
  }
  gw_store_apply (f->store, batch);
  g_assert_cmpuint (gw_hall_timeline_get_n_bars (hall), ==, 4);
  g_assert_cmpuint (gw_hall_timeline_get_n_lanes (hall), ==, 2);
  g_assert_nonnull (gw_hall_timeline_get_bar (hall, "MORE", &(graphene_rect_t) { 0 }) ? hall : NULL);

  g_object_set (hall, "lane-by", GW_HALL_LANE_BY_CELL, "hours", 4, NULL);
  g_assert_cmpuint (gw_hall_timeline_get_n_lanes (hall), ==, 1);
  /* In 4 h (plus the quarter margin) LATE and MORE and OK still show; CLOSED left. */
  g_autoptr(GwTestImage) image = render (f, "hall-timeline-cells.png");
  g_assert_false (gw_hall_timeline_get_bar (hall, "CLOSED", &(graphene_rect_t) { 0 }));
}

/* Replaying: the hall at the replay's time, from the replay's index. */
static void
test_hall_replay (Fixture *f, gconstpointer data)
{
  GwHallTimeline *hall = GW_HALL_TIMELINE (f->widget);
  g_autoptr(GPtrArray) all = gw_store_list (f->store);
  g_autoptr(GwReplayIndex) index = gw_replay_index_new (all, gw_store_get_classes (f->store),
                                                        GW_TIME_NONE, GW_TIME_NONE);
  g_autoptr(GwReplay) replay = gw_replay_new (NULL);
  GwTime t = f->now - 3 * HOUR;
  graphene_rect_t bar;
  GdkRGBA amber;
  double x_t;

  gw_replay_set_index (replay, index);
  gw_replay_set_time (replay, t);
  gw_hall_timeline_set_replay (hall, replay);
  g_assert_false (gw_replay_get_live (replay));
  g_assert_cmpint (gw_hall_timeline_get_time (hall), ==, t);

  g_autoptr(GwTestImage) image = render (f, "hall-timeline-replay.png");
  x_t = gw_hall_timeline_time_to_x (hall, t);
  g_assert_cmpfloat (luminance_at (image, x_t, 10), >, 0.8);

  /* At t, LATE was dispatched and on time: amber just before t, nothing after t. */
  gw_timeline_stage_color (GW_STAGE_DISPATCHED, &amber);
  g_assert_true (gw_hall_timeline_get_bar (hall, "LATE", &bar));
  g_assert_cmpfloat_with_epsilon (bar.origin.x + bar.size.width, x_t, 0.01);
  gw_test_image_assert_color (image, x_t - 5, bar.origin.y + bar.size.height / 2, &amber, 0.03);
  g_assert_cmpfloat (luminance_at (image, x_t + 20, bar.origin.y + bar.size.height / 2), <, 0.3);
  /* FRESH was not received yet: no bar to pick at t. */
  g_assert_true (gw_hall_timeline_get_bar (hall, "OK", &bar));
  g_assert_null (gw_hall_timeline_pick (hall, x_t + 20, bar.origin.y + 2));

  /* Scrubbing within the view moves the line, not the view. */
  gw_replay_set_time (replay, t + 30 * MIN_);
  g_assert_cmpfloat_with_epsilon (gw_hall_timeline_time_to_x (hall, t), x_t, 0.01);
  gw_hall_timeline_set_replay (hall, NULL);
}

/* ------------------------------------------------------------------------------------
 * One case
 */

static GwIncident *
make_case (GwTime now, gboolean closed)
{
  GwIncident *incident = make_incident ("C1", now - 5 * HOUR, now - 2 * HOUR);

  add_event (incident, GW_STAGE_REGISTERED, now - 4 * HOUR - 30 * MIN_, NULL, "赵敏");
  add_event (incident, GW_STAGE_DISPATCHED, now - 4 * HOUR, "huanwei", "李强");
  if (closed)
    {
      add_event (incident, GW_STAGE_REPORTED_DONE, now - 1 * HOUR, "huanwei", "李强");
      add_event (incident, GW_STAGE_CLOSED, now - 30 * MIN_, NULL, "赵敏");
    }
  return incident;
}

static void
case_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) depts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  g_autoptr(GwIncident) incident = NULL;
  GwDepartment *dept = gw_department_new ();
  GwCaseTimeline *timeline;

  f->now = gw_time_now () / MIN_ * MIN_;
  dept->id = g_strdup ("huanwei");
  dept->name = g_strdup ("环卫");
  g_ptr_array_add (depts, dept);
  incident = make_case (f->now, GPOINTER_TO_INT (data));

  timeline = GW_CASE_TIMELINE (gw_case_timeline_new ());
  gw_case_timeline_set_now (timeline, f->now);
  gw_case_timeline_set_departments (timeline, depts);
  gw_case_timeline_set_incident (timeline, incident, NULL);
  show (f, GTK_WIDGET (timeline), 800, 400);
}

static void
test_case_open (Fixture *f, gconstpointer data)
{
  GwCaseTimeline *timeline = GW_CASE_TIMELINE (f->widget);
  graphene_rect_t bar, bar0, grown;
  double late_x, deadline_x;
  GdkRGBA red, amber, blue, got;

  gw_timeline_late_color (&red);
  gw_timeline_stage_color (GW_STAGE_DISPATCHED, &amber);
  gw_timeline_stage_color (GW_STAGE_RECEIVED, &blue);

  /* N spans, N rows. */
  g_assert_cmpuint (gw_stage_spans_get_n_spans (gw_case_timeline_get_spans (timeline)), ==, 3);
  g_assert_true (gw_case_timeline_get_bar (timeline, 2, &bar, &late_x, &deadline_x));
  g_assert_false (gw_case_timeline_get_bar (timeline, 3, &bar, &late_x, &deadline_x));
  {
    int min, nat;
    gtk_widget_measure (f->widget, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
    g_assert_cmpint (nat, ==, 3 * GW_CASE_TIMELINE_ROW_HEIGHT);
  }

  g_autoptr(GwTestImage) image = render (f, "case-timeline-open.png");

  /* Received: 30 min, an eighth of the 4 h dispatched bar, on the same scale. */
  g_assert_true (gw_case_timeline_get_bar (timeline, 0, &bar0, &late_x, &deadline_x));
  g_assert_cmpfloat (late_x, <, 0);
  g_assert_true (gw_case_timeline_get_bar (timeline, 2, &bar, &late_x, &deadline_x));
  g_assert_cmpfloat_with_epsilon (bar0.size.width * 8, bar.size.width, 0.5);
  gw_test_image_assert_color (image, bar0.origin.x + bar0.size.width / 2, bar0.origin.y + bar0.size.height / 2, &blue, 0.03);

  /* Dispatched 4 h ago with a deadline 2 h ago: half amber, half red, the deadline
   * marker between them. */
  g_assert_cmpfloat_with_epsilon (late_x, bar.origin.x + bar.size.width / 2, 0.5);
  g_assert_cmpfloat_with_epsilon (deadline_x, late_x, 0.5);
  gw_test_image_assert_color (image, bar.origin.x + bar.size.width * 0.25, bar.origin.y + bar.size.height / 2, &amber, 0.03);
  gw_test_image_assert_color (image, bar.origin.x + bar.size.width * 0.75, bar.origin.y + bar.size.height / 2, &red, 0.03);
  gw_test_image_assert_color (image, bar.origin.x + bar.size.width - 2, bar.origin.y + bar.size.height / 2, &red, 0.03);
  gw_test_image_pixel (image, deadline_x, bar.origin.y - 3, &got);
  g_assert_cmpfloat (got.red + got.green + got.blue, >, 2.0);

  /* The open stage grows with now; the scale follows it. */
  gw_case_timeline_set_now (timeline, f->now + 4 * HOUR);
  g_assert_true (gw_case_timeline_get_bar (timeline, 0, &grown, &late_x, &deadline_x));
  g_assert_cmpfloat (grown.size.width, <, bar0.size.width);
  g_assert_true (gw_case_timeline_get_bar (timeline, 2, &grown, &late_x, &deadline_x));
  g_assert_cmpfloat_with_epsilon (late_x, grown.origin.x + grown.size.width / 4, 0.5);
}

static void
test_case_closed (Fixture *f, gconstpointer data)
{
  GwCaseTimeline *timeline = GW_CASE_TIMELINE (f->widget);
  graphene_rect_t bar;
  double late_x, deadline_x;
  GdkRGBA red, teal;

  gw_timeline_late_color (&red);
  gw_timeline_stage_color (GW_STAGE_REPORTED_DONE, &teal);
  g_assert_cmpuint (gw_stage_spans_get_n_spans (gw_case_timeline_get_spans (timeline)), ==, 5);
  g_assert_false (gw_stage_spans_is_open (gw_case_timeline_get_spans (timeline)));

  g_autoptr(GwTestImage) image = render (f, "case-timeline-closed.png");

  /* Dispatched 3 h, late for its last hour; reported done 30 min, all late. */
  g_assert_true (gw_case_timeline_get_bar (timeline, 2, &bar, &late_x, &deadline_x));
  g_assert_cmpfloat_with_epsilon (late_x, bar.origin.x + bar.size.width * 2 / 3, 0.5);
  gw_test_image_assert_color (image, bar.origin.x + bar.size.width * 0.9, bar.origin.y + bar.size.height / 2, &red, 0.03);
  g_assert_true (gw_case_timeline_get_bar (timeline, 3, &bar, &late_x, &deadline_x));
  g_assert_cmpfloat_with_epsilon (late_x, bar.origin.x, 0.5);
  gw_test_image_assert_color (image, bar.origin.x + bar.size.width / 2, bar.origin.y + bar.size.height / 2, &red, 0.03);
  /* The closed stage has no dwell. */
  g_assert_true (gw_case_timeline_get_bar (timeline, 4, &bar, &late_x, &deadline_x));
  g_assert_cmpfloat (bar.size.width, ==, 0);
  (void) teal;
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("TZ", "Asia/Shanghai", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The wall runs dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  g_test_add ("/timeline/hall/pixels", Fixture, NULL, hall_setup, test_hall_pixels, fixture_teardown);
  g_test_add ("/timeline/hall/pick", Fixture, NULL, hall_setup, test_hall_pick, fixture_teardown);
  g_test_add ("/timeline/hall/follow-and-change", Fixture, NULL, hall_setup, test_hall_follow_and_change,
              fixture_teardown);
  g_test_add ("/timeline/hall/replay", Fixture, NULL, hall_setup, test_hall_replay, fixture_teardown);
  g_test_add ("/timeline/case/open", Fixture, GINT_TO_POINTER (FALSE), case_setup, test_case_open,
              fixture_teardown);
  g_test_add ("/timeline/case/closed", Fixture, GINT_TO_POINTER (TRUE), case_setup, test_case_closed,
              fixture_teardown);

  return g_test_run ();
}
