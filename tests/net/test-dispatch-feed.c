/* test-dispatch-feed.c — GwDispatchFeed against the real gridwatch-dispatchd on loopback */

#include <string.h>

#include "gw-dispatch-feed.h"
#include "gw-test-dispatchd.h"

static guint report_counter;

/* Reports a case and moves it a few stages on, over HTTP as a hotline system would. */
static void
post_case (GwTestDispatchd *server,
           guint            stages)
{
  static const char *events[] = {
    "{\"id\":\"r\",\"stage\":\"registered\",\"time\":\"2026-11-25T08:01:00Z\"}",
    "{\"id\":\"d\",\"stage\":\"dispatched\",\"time\":\"2026-11-25T08:02:00Z\",\"department\":\"chengguan\"}",
    "{\"id\":\"o\",\"stage\":\"on_site\",\"time\":\"2026-11-25T08:20:00Z\"}",
  };
  g_autofree char *id = g_strdup_printf ("feed-%04u", report_counter++);
  g_autofree char *body = g_strdup_printf (
    "{\"id\":\"%s\",\"title\":\"垃圾满溢\",\"class\":\"0101\",\"source\":\"hotline\","
    "\"location\":{\"lon\":113.615,\"lat\":34.75},\"address\":\"桐柏路\","
    "\"received_at\":\"2026-11-25T08:00:00Z\"}", id);
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = gw_test_http (server, "POST", "/api/v1/incidents", body, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  for (guint i = 0; i < stages && i < G_N_ELEMENTS (events); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%s/events", id);
      g_autoptr(GBytes) reply = gw_test_http (server, "POST", path, events[i], &status, NULL);
      g_assert_cmpuint (status, ==, 201);
    }
}

static gint64
server_seq (GwTestDispatchd *server)
{
  g_autoptr(JsonNode) health = gw_test_get_json (server, "/api/v1/health");
  return json_object_get_int_member (json_node_get_object (health), "seq");
}

static GwDispatchFeed *
new_feed (GwStore         *store,
          GwTestDispatchd *server,
          const char      *token)
{
  return gw_dispatch_feed_new (store, server->url, token);
}

/* The digest of a fresh snapshot of the server, through a second feed. */
static char *
server_digest (GwTestDispatchd *server)
{
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = new_feed (store, server, "s3cret");

  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_synced (GW_FEED (feed)), 30);
  gw_feed_stop (GW_FEED (feed));
  return gw_store_digest (store);
}

static const char * const quiet_args[] = { "--demo-street", "--token", "s3cret", NULL };

static void
test_snapshot_then_live (void)
{
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (quiet_args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;

  server->token = g_strdup ("s3cret");
  for (guint i = 0; i < 30; i++)
    post_case (server, i % 4);

  feed = new_feed (store, server, "s3cret");
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE, 30);
  g_assert_true (gw_feed_get_synced (GW_FEED (feed)));
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 30);
  g_assert_cmpuint (gw_store_get_cells (store)->len, >=, 30);
  g_assert_cmpint (gw_feed_get_data_time (GW_FEED (feed)), >, 0);
  g_assert_null (gw_feed_get_last_error (GW_FEED (feed)));

  /* Live changes arrive through the stream. */
  for (guint i = 0; i < 20; i++)
    post_case (server, 3);
  gw_test_wait_until (gw_store_get_seq (store) == server_seq (server), 30);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 50);

  mine = gw_store_digest (store);
  theirs = server_digest (server);
  g_assert_cmpstr (mine, ==, theirs);
}

typedef struct {
  guint min_seen;
  guint loaded;   /* snapshots completed */
} Watch;

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  Watch         *watch)
{
  watch->min_seen = MIN (watch->min_seen, gw_store_get_n_incidents (store));
  watch->loaded += change->loaded;
}

static void
test_gone_resnapshots_keeping_picture (void)
{
  const char * const args[] = { "--demo-street", "--token", "s3cret", "--retain-changes", "5", NULL };
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  Watch watch = { G_MAXUINT, 0 };

  server->token = g_strdup ("s3cret");
  for (guint i = 0; i < 10; i++)
    post_case (server, 1);

  feed = new_feed (store, server, "s3cret");
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE, 30);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 10);

  /* Offline while the server moves further on than it keeps. */
  gw_feed_stop (GW_FEED (feed));
  for (guint i = 0; i < 10; i++)
    post_case (server, 2);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), &watch);
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (watch.loaded == 1 && gw_store_get_seq (store) == server_seq (server), 30);

  /* The old picture stayed while the new one loaded page by page. */
  g_assert_cmpuint (watch.min_seen, >=, 10);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 20);
  mine = gw_store_digest (store);
  theirs = server_digest (server);
  g_assert_cmpstr (mine, ==, theirs);
}

static void
test_wrong_token (void)
{
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (quiet_args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = new_feed (store, server, "wrong");

  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_last_error (GW_FEED (feed)) != NULL, 30);
  g_assert_nonnull (strstr (gw_feed_get_last_error (GW_FEED (feed)), "401"));
  g_assert_cmpint (gw_feed_get_state (GW_FEED (feed)), ==, GW_FEED_STATE_RECONNECTING);
  g_assert_cmpint (gw_feed_get_retry_at (GW_FEED (feed)), >, g_get_real_time ());
  g_assert_false (gw_feed_get_synced (GW_FEED (feed)));
  gw_feed_stop (GW_FEED (feed));
}

/* The server dies and comes back on the same address: the feed recovers by itself. */
static void
test_server_restart_recovers (void)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", gw_test_free_port ());
  const char * const args[] = { "--demo-street", "--token", "s3cret", "--listen", listen, NULL };
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;

  server->token = g_strdup ("s3cret");
  post_case (server, 2);
  feed = new_feed (store, server, "s3cret");
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE, 30);

  gw_test_dispatchd_stop (server);
  gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_RECONNECTING, 30);
  g_assert_nonnull (gw_feed_get_last_error (GW_FEED (feed)));
  /* The wall keeps its last good data meanwhile. */
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 1);

  gw_test_dispatchd_restart (server, args);
  post_case (server, 3);
  gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE &&
                      gw_store_get_seq (store) == server_seq (server), 60);
  mine = gw_store_digest (store);
  theirs = server_digest (server);
  g_assert_cmpstr (mine, ==, theirs);
}

/* A stream that never gets through makes the feed poll /changes instead. */
static void
test_polling_fallback (void)
{
  const char * const args[] = { "--demo-street", "--token", "s3cret", "--max-streams", "0", NULL };
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;

  server->token = g_strdup ("s3cret");
  post_case (server, 1);
  feed = g_object_new (GW_TYPE_DISPATCH_FEED, "store", store, "url", server->url,
                       "token", "s3cret", "poll-seconds", 1, NULL);
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_dispatch_feed_is_polling (feed), 60);
  post_case (server, 3);
  gw_test_wait_until (gw_store_get_seq (store) == server_seq (server), 30);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 2);
  g_assert_cmpint (gw_feed_get_state (GW_FEED (feed)), ==, GW_FEED_STATE_LIVE);
}

/* A stream that goes silent past its heartbeat is taken for dead. */
static void
test_silent_stream_detected (void)
{
  const char * const args[] = { "--demo-street", "--token", "s3cret", "--heartbeat", "3600", NULL };
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;

  feed = g_object_new (GW_TYPE_DISPATCH_FEED, "store", store, "url", server->url,
                       "token", "s3cret", "stall-seconds", 1, NULL);
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_last_error (GW_FEED (feed)) != NULL &&
                      strstr (gw_feed_get_last_error (GW_FEED (feed)), "silent") != NULL, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dispatch-feed/snapshot-then-live", test_snapshot_then_live);
  g_test_add_func ("/dispatch-feed/gone-resnapshots", test_gone_resnapshots_keeping_picture);
  g_test_add_func ("/dispatch-feed/wrong-token", test_wrong_token);
  g_test_add_func ("/dispatch-feed/server-restart", test_server_restart_recovers);
  g_test_add_func ("/dispatch-feed/polling-fallback", test_polling_fallback);
  g_test_add_func ("/dispatch-feed/silent-stream", test_silent_stream_detected);

  return g_test_run ();
}
