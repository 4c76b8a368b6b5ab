/* test-replay-ui.c — replaying a past day on the wall
 *
 * Runs the real application (registered and activated, not g_application_run) against
 * the real gridwatch-dispatchd simulating the demo street with two days of history, under
 * Xvfb with GTK_A11Y=test and GSETTINGS_BACKEND=memory. Fetches yesterday through
 * gw-history-fetch and counts it against the server's own pages; scrubs the window's
 * replay to a time and checks the map's pins and the counters against a computation
 * straight from the incidents' timelines; plays at 3600×, steps to the next event, goes
 * back to live; renders the bar as replay-bar.png with pixel checks; and checks the
 * clear errors: an unreachable server, a malformed page, an Open311 source.
 */
#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "gw-application.h"
#include "gw-dispatch-feed.h"
#include "gw-hall-timeline.h"
#include "gw-history-fetch.h"
#include "gw-open311-feed.h"
#include "gw-replay-bar.h"
#include "gw-replay-track.h"
#include "gw-settings.h"
#include "gw-test-dispatchd.h"
#include "gw-test-ui.h"
#include "gw-window.h"

static GwTestDispatchd *server;
static GwApplication *app;
static GwWindow *window;

static GwStore *
store (void)
{
  return gw_application_get_store (app);
}

/* Yesterday in local time: its date and its midnight. */
static void
yesterday (int *y, int *m, int *d, GwTime *midnight)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (today, -1);

  *y = g_date_time_get_year (day);
  *m = g_date_time_get_month (day);
  *d = g_date_time_get_day_of_month (day);
  *midnight = g_date_time_to_unix (day) * G_USEC_PER_SEC;
}

/* ---- fetching ---- */

typedef struct {
  gboolean   done;
  GPtrArray *incidents;
  GError    *error;
} FetchResult;

static void
fetched_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FetchResult *r = user_data;

  r->incidents = gw_history_fetch_finish (GW_FEED (object), result, &r->error);
  r->done = TRUE;
}

static GPtrArray *
fetch (GwFeed *feed, GwTime from, GwTime to, GError **error)
{
  FetchResult r = { 0 };

  gw_history_fetch_async (feed, from, to, NULL, fetched_cb, &r);
  gw_test_wait_until (r.done, 60);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.incidents;
}

/* What the server itself counts in [from, to), page by page. */
static guint
server_count (GwTime from, GwTime to)
{
  g_autofree char *f = gw_time_format (from), *t = gw_time_format (to);
  g_autofree char *fe = g_uri_escape_string (f, NULL, FALSE), *te = g_uri_escape_string (t, NULL, FALSE);
  g_autofree char *cursor = NULL;
  guint n = 0;

  do
    {
      g_autofree char *ce = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/incidents?limit=250&from=%s&to=%s%s%s",
                                               fe, te, ce ? "&cursor=" : "", ce ? ce : "");
      g_autoptr(JsonNode) page = gw_test_get_json (server, path);
      JsonObject *obj = json_node_get_object (page);

      n += json_array_get_length (json_object_get_array_member (obj, "items"));
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member_with_default (obj, "next_cursor", NULL));
    }
  while (cursor != NULL);
  return n;
}

static void
test_fetch (void)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  int y, m, d;
  GwTime midnight, end;

  yesterday (&y, &m, &d, &midnight);
  end = midnight + 24 * GW_USEC_PER_HOUR;
  history = fetch (gw_application_get_feed (app), midnight, end, &error);
  g_assert_no_error (error);
  g_assert_nonnull (history);
  g_assert_cmpuint (history->len, >, 50);
  /* More than one page of 1000 would be better still, but a day of the demo is less. */
  g_assert_cmpuint (history->len, ==, server_count (midnight, end));
  for (guint i = 0; i < history->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (history, i);

      g_assert_cmpint (incident->received_at, >=, midnight);
      g_assert_cmpint (incident->received_at, <, end);
      g_assert_cmpuint (incident->timeline->len, >, 0);
    }
}

/* ---- clear errors ---- */

static void
test_fetch_errors (void)
{
  g_autoptr(GwStore) s = gw_store_new ();
  g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", gw_test_free_port ());
  g_autoptr(GwDispatchFeed) unreachable = gw_dispatch_feed_new (s, closed, NULL);
  g_autoptr(GwOpen311Feed) open311 = gw_open311_feed_new (s, "http://127.0.0.1:9/open311/v2");
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  GwTime now = gw_time_now ();

  none = fetch (GW_FEED (unreachable), now - GW_USEC_PER_HOUR, now, &error);
  g_assert_null (none);
  g_assert_error (error, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_SERVER);
  g_assert_true (g_str_has_prefix (error->message, "Cannot reach the server"));
  g_clear_error (&error);

  none = fetch (GW_FEED (open311), now - GW_USEC_PER_HOUR, now, &error);
  g_assert_null (none);
  g_assert_error (error, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Open311"));
}

static void
junk_page_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer user_data)
{
  static const char body[] = "{\"items\": [{\"id\": 5}], \"next_cursor\": null, \"seq\": 1}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
test_fetch_malformed (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr(GwStore) s = gw_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GwDispatchFeed) feed = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  GwTime now = gw_time_now ();

  soup_server_add_handler (soup, "/api/v1/incidents", junk_page_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (soup);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  feed = gw_dispatch_feed_new (s, url, NULL);

  none = fetch (GW_FEED (feed), now - GW_USEC_PER_HOUR, now, &error);
  g_assert_null (none);
  g_assert_error (error, GW_HISTORY_FETCH_ERROR, GW_HISTORY_FETCH_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "items[0]"));
}

static void
test_open311_bar (void)
{
  g_autoptr(GwStore) s = gw_store_new ();
  g_autoptr(GwOpen311Feed) open311 = gw_open311_feed_new (s, "http://127.0.0.1:9/open311/v2");
  g_autoptr(GwReplay) replay = gw_replay_new (s);
  GtkWidget *bar = g_object_ref_sink (gw_replay_bar_new ());
  int y, m, d;
  GwTime midnight;

  yesterday (&y, &m, &d, &midnight);
  gw_replay_bar_set_replay (GW_REPLAY_BAR (bar), replay);
  gw_replay_bar_set_feed (GW_REPLAY_BAR (bar), GW_FEED (open311));
  gw_replay_bar_select_day (GW_REPLAY_BAR (bar), y, m, d, GW_REPLAY_SHIFT_WHOLE_DAY);
  gw_test_wait_until (!gw_replay_bar_get_loading (GW_REPLAY_BAR (bar)), 10);
  g_assert_nonnull (gw_replay_bar_get_message (GW_REPLAY_BAR (bar)));
  g_assert_nonnull (strstr (gw_replay_bar_get_message (GW_REPLAY_BAR (bar)), "Open311"));
  /* Nothing changed: the replay was not moved to a day it cannot show. */
  g_assert_cmpint (gw_replay_get_start (replay), !=, midnight);
  g_object_unref (bar);
}

/* ---- the window replaying yesterday ---- */

typedef struct {
  guint pins, received, open, late, closed;
  GHashTable *cell_open;  /* cell code → open cases, as GUINT_TO_POINTER */
} Expect;

/* The hall at @t straight from each incident's timeline: the stage of the last event by
 * @t, the deadline in force (the base one, moved by events that carry one), and when the
 * case last became closed. */
static void
expect_at (GPtrArray *incidents, GwTime t, GwTime day_start, Expect *e)
{
  g_clear_pointer (&e->cell_open, g_hash_table_unref);
  memset (e, 0, sizeof *e);
  e->cell_open = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);
      GwIncidentClass *klass = gw_store_lookup_class (store (), incident->class_code);
      GwTime deadline = gw_stage_spans_base_deadline (incident, klass);
      GwTime closed_since = GW_TIME_NONE;
      gboolean present = FALSE, open;
      GwStage stage = GW_STAGE_RECEIVED;

      for (guint k = 0; k < incident->timeline->len; k++)
        {
          GwStageEvent *ev = g_ptr_array_index (incident->timeline, k);

          if (ev->time > t)
            break;
          present = TRUE;
          if (ev->deadline != GW_TIME_NONE)
            deadline = ev->deadline;
          if (!gw_stage_is_closed (ev->stage))
            closed_since = GW_TIME_NONE;
          else if (closed_since == GW_TIME_NONE)
            closed_since = ev->time;
          stage = ev->stage;
        }
      if (!present)
        continue;
      open = !gw_stage_is_closed (stage);
      e->pins += open;   /* the map's default window: open cases */
      e->open += open;
      e->late += open && deadline != GW_TIME_NONE && t > deadline;
      e->received += incident->received_at >= day_start;
      e->closed += !open && closed_since >= day_start;
      if (open && incident->cell_code != NULL)
        g_hash_table_insert (e->cell_open, incident->cell_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (e->cell_open, incident->cell_code)) + 1));
    }
}

/* Whether every cell's fill count equals the open cases expected in it. */
static gboolean
cells_match (GwCellLayer *cells,
             GPtrArray   *cell_list,
             GHashTable  *cell_open)
{
  for (guint i = 0; i < cell_list->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cell_list, i);
      const GwCellStats *stats = gw_cell_layer_get_stats (cells, cell->code);
      guint want = GPOINTER_TO_UINT (g_hash_table_lookup (cell_open, cell->code));

      if ((stats ? stats->open : 0) != want)
        return FALSE;
    }
  return TRUE;
}

static GwReplayBar *
bar (void)
{
  return gw_window_get_replay_bar (window);
}

static GwReplay *
replay (void)
{
  return gw_replay_bar_get_replay (bar ());
}

static guint
kpi (guint which)
{
  const char *text = gtk_label_get_text (GTK_LABEL (gw_window_get_kpi_value (window, which)));

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

static guint
n_pins (void)
{
  return gw_incident_layer_get_n_pins (
    gw_map_view_get_incident_layer (gw_window_get_map_view (window)));
}

static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (css_class == NULL || gtk_widget_has_css_class (child, css_class)))
        return child;
      if ((found = find_widget (child, type, css_class)) != NULL)
        return found;
    }
  return NULL;
}

/* The history the bar replays: fetched again here, the same way. */
static GPtrArray *history;
static GwTime day_start;

static void
test_scrub (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = gw_settings_new ();
  int y, m, d;
  Expect e = { 0 };
  GwCellLayer *cells = gw_map_view_get_cell_layer (gw_window_get_map_view (window));

  GwHallTimeline *hall = GW_HALL_TIMELINE (find_widget (GTK_WIDGET (window),
                                                        GW_TYPE_HALL_TIMELINE, NULL));

  g_assert_nonnull (hall);
  g_assert_cmpint (g_settings_get_enum (settings, "map-time-window"), ==, 0);  /* open */
  yesterday (&y, &m, &d, &day_start);
  history = fetch (gw_application_get_feed (app), day_start - GW_REPLAY_BAR_LOOKBACK,
                   day_start + 24 * GW_USEC_PER_HOUR, &error);
  g_assert_no_error (error);

  g_action_group_activate_action (G_ACTION_GROUP (window), "replay", NULL);
  g_assert_nonnull (replay ());
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar ())));
  g_assert_false (gw_replay_get_live (replay ()));

  gw_replay_bar_select_day (bar (), y, m, d, GW_REPLAY_SHIFT_WHOLE_DAY);
  g_assert_true (gw_replay_bar_get_loading (bar ()));
  gw_test_wait_until (!gw_replay_bar_get_loading (bar ()) && !gw_replay_get_building (replay ()) &&
                      gw_replay_get_state (replay ()) != NULL, 60);
  g_assert_null (gw_replay_bar_get_message (bar ()));
  g_assert_cmpint (gw_replay_get_start (replay ()), ==, day_start);
  g_assert_cmpint (gw_replay_get_end (replay ()), ==, day_start + 24 * GW_USEC_PER_HOUR);

  /* Half a second past a whole minute: never on an event's own time. */
  for (guint hour = 3; hour <= 21; hour += 6)
    {
      GwTime t = day_start + hour * GW_USEC_PER_HOUR + 17 * GW_USEC_PER_MIN + G_USEC_PER_SEC / 2;
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
      g_autofree char *hm = g_date_time_format (local, "%H:%M");
      g_autofree char *badge = g_strdup_printf ("REPLAY %s", hm);

      gw_replay_set_time (replay (), t);
      expect_at (history, t, day_start, &e);
      g_test_message ("%s: %u pins, received %u, open %u, late %u, closed %u", hm, e.pins,
                      e.received, e.open, e.late, e.closed);
      g_assert_cmpuint (n_pins (), ==, e.pins);
      g_assert_cmpuint (kpi (0), ==, e.received);
      g_assert_cmpuint (kpi (1), ==, e.open);
      g_assert_cmpuint (kpi (2), ==, e.late);
      g_assert_cmpuint (kpi (3), ==, e.closed);
      g_assert_cmpstr (gw_replay_bar_get_badge (bar ()), ==, badge);
      g_assert_cmpint (gw_hall_timeline_get_time (hall), ==, t);
      /* The cell fill replays too (recounted in an idle). */
      gw_test_wait_until (cells_match (cells, gw_store_get_cells (store ()), e.cell_open), 10);
    }
  /* Not a quiet moment: there is something to check. */
  g_assert_cmpuint (e.open, >, 0);
  g_assert_cmpuint (e.received, >, 0);
  g_clear_pointer (&e.cell_open, g_hash_table_unref);
}

static void
test_play (void)
{
  GwTime t0 = day_start + 2 * GW_USEC_PER_HOUR;

  gw_replay_set_speed (replay (), 3600);
  gw_replay_set_time (replay (), t0);
  gw_replay_set_playing (replay (), TRUE);
  g_assert_true (gw_replay_get_playing (replay ()));
  /* At 3600× ten replayed minutes take a sixth of a second. */
  gw_test_wait_until (gw_replay_get_time (replay ()) >= t0 + 10 * GW_USEC_PER_MIN, 20);
  g_assert_true (gw_replay_get_playing (replay ()));
  g_assert_false (gw_replay_get_live (replay ()));
  gw_replay_set_playing (replay (), FALSE);
  g_assert_cmpint (gw_replay_get_time (replay ()), <, day_start + 24 * GW_USEC_PER_HOUR);
}

static void
test_step (void)
{
  GwTime t = day_start + 10 * GW_USEC_PER_HOUR + G_USEC_PER_SEC / 2, next = G_MAXINT64;
  GwTime prev = GW_TIME_NONE;

  for (guint i = 0; i < history->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (history, i);

      for (guint k = 0; k < incident->timeline->len; k++)
        {
          GwTime et = ((GwStageEvent *) g_ptr_array_index (incident->timeline, k))->time;

          if (et > t)
            next = MIN (next, et);
          else if (et < t)
            prev = MAX (prev, et);
        }
    }
  g_assert_cmpint (next, <, day_start + 24 * GW_USEC_PER_HOUR);

  gw_replay_set_time (replay (), t);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar ()), "replay.step-forward", NULL));
  g_assert_cmpint (gw_replay_get_time (replay ()), ==, next);
  g_assert_false (gw_replay_get_playing (replay ()));

  gw_replay_set_time (replay (), t);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar ()), "replay.step-backward", NULL));
  g_assert_cmpint (gw_replay_get_time (replay ()), ==, prev);
}

static void
after_paint_cb (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* One frame laid out and painted since now: allocations are current. */
static void
wait_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

  gtk_widget_queue_draw (widget);
  gw_test_wait_until (painted, 10);
  g_signal_handler_disconnect (clock, id);
}

static void
test_render (void)
{
  GtkWidget *widget = GTK_WIDGET (bar ());
  GwReplayTrack *track = GW_REPLAY_TRACK (find_widget (widget, GW_TYPE_REPLAY_TRACK, NULL));
  GtkWidget *badge = find_widget (widget, GTK_TYPE_LABEL, "replay-badge");
  GwTime t = day_start + 15 * GW_USEC_PER_HOUR + G_USEC_PER_SEC / 2;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GwTestImage) image = NULL;
  GtkSnapshot *snapshot;
  GdkRGBA bg = { 1, 1, 1, 1 }, red = { 0.878, 0.106, 0.141, 1 }, got;
  graphene_rect_t bounds;
  graphene_point_t at;
  guint busiest = 0;
  double ox, oy;
  int width, height;

  g_assert_nonnull (track);
  g_assert_nonnull (badge);
  gw_replay_set_time (replay (), t);
  gw_test_wait_until (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 600, 10);
  wait_frame (widget);

  /* The bar as its parent draws it, synchronously, on a light window background. Its
   * coordinates start at its content box: the image starts at its border box. */
  g_assert_true (gtk_widget_compute_bounds (widget, widget, &bounds));
  ox = -bounds.origin.x;
  oy = -bounds.origin.y;
  width = (int) bounds.size.width;
  height = (int) bounds.size.height;
  g_assert_true (gtk_widget_compute_point (widget, gtk_widget_get_parent (widget),
                                           &GRAPHENE_POINT_INIT (-ox, -oy), &at));
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-at.x, -at.y));
  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  image = gw_test_image_render (gtk_native_get_renderer (GTK_NATIVE (window)), node, width,
                                height, "replay-bar.png");

  /* A red rule along the top. */
  gw_test_image_assert_color (image, width / 2, 1, &red, 0.08);

  /* The badge is solid red (sampled in its left padding, clear of the text). */
  g_assert_true (gtk_widget_compute_bounds (badge, widget, &bounds));
  gw_test_image_assert_color (image, ox + bounds.origin.x + 3,
                              oy + bounds.origin.y + bounds.size.height / 2, &red, 0.08);

  /* The cursor is a red line at the replay's time, in the middle of the band. */
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (track), widget,
                                           &GRAPHENE_POINT_INIT (gw_replay_track_time_to_x (track, t),
                                                                 22), &at));
  gw_test_image_assert_color (image, ox + round (at.x), oy + at.y, &red, 0.08);

  /* The busiest bin has a blue density bar at its foot. */
  for (guint i = 0; i < GW_REPLAY_TRACK_N_BINS; i++)
    if (gw_replay_track_get_bin (track, i) > gw_replay_track_get_bin (track, busiest))
      busiest = i;
  g_assert_cmpuint (gw_replay_track_get_bin (track, busiest), >, 0);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (track), widget,
                                           &GRAPHENE_POINT_INIT (12 + (gtk_widget_get_width (GTK_WIDGET (track)) - 24)
                                                                 * (busiest + 0.4) / GW_REPLAY_TRACK_N_BINS,
                                                                 36 - 6), &at));
  gw_test_image_pixel (image, ox + at.x, oy + at.y, &got);
  g_test_message ("busiest bin %u at %.0f: %.2f %.2f %.2f", busiest, at.x, got.red, got.green,
                  got.blue);
  g_assert_cmpfloat (got.blue, >, got.red + 0.25);
}

static void
test_live (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "live", NULL);
  g_assert_null (replay ());
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar ())));
  /* The live pins and counters are back: every open case in the store. */
  g_assert_cmpuint (n_pins (), ==, gw_store_count_open (store ()));
  g_assert_cmpuint (kpi (1), ==, gw_store_count_open (store ()));
  /* …and they keep following the store. */
  for (int i = 0; i < 5; i++)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (n_pins (), ==, gw_store_count_open (store ()));
    }

  /* The bar's own "Back to Live" does the same. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "replay", NULL);
  g_assert_nonnull (replay ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar ()), "replay.live", NULL));
  g_assert_null (replay ());
  g_assert_cmpuint (n_pins (), ==, gw_store_count_open (store ()));
}

int
main (int argc, char *argv[])
{
  const char * const args[] = { "--simulate", "--speed", "60", "--history-days", "2",
                                "--seed", "7", NULL };
  int status;

  app = gw_test_ui_start_app (&argc, &argv, args, &server, &window);

  g_test_add_func ("/replay/fetch", test_fetch);
  g_test_add_func ("/replay/fetch-errors", test_fetch_errors);
  g_test_add_func ("/replay/fetch-malformed", test_fetch_malformed);
  g_test_add_func ("/replay/open311-bar", test_open311_bar);
  g_test_add_func ("/replay/scrub", test_scrub);
  g_test_add_func ("/replay/play", test_play);
  g_test_add_func ("/replay/step", test_step);
  g_test_add_func ("/replay/render", test_render);
  g_test_add_func ("/replay/live", test_live);
  status = g_test_run ();

  g_clear_pointer (&history, g_ptr_array_unref);
  gw_test_ui_stop_app (app, server, window);
  return status;
}
