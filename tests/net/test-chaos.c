/* test-chaos.c — GwDispatchFeed against a misbehaving world, on loopback
 *
 * /chaos/restarts: the real gridwatch-dispatchd, simulating a busy street, is killed
 * (SIGKILL and SIGTERM) and restarted on the same database and address many times while
 * a feed follows it.
 * /chaos/gateway: the feed talks to the real server through a fault-injecting HTTP
 * gateway that cuts the event stream mid-frame, holds frames back, and injects
 * malformed and oversized frames, while changes are posted at a steady pace.
 *
 * Either way, after recovery the store must hold exactly the server's state (the digest
 * of every incident equals that of a fresh snapshot) and no version of an incident may
 * have been applied twice or after a newer one. Timing is varied with a seeded PRNG
 * (GW_CHAOS_SEED overrides the seed); every wait is on an observable condition.
 */
#include <signal.h>
#include <string.h>

#include "gw-dispatch-feed.h"
#include "gw-test-dispatchd.h"

#define TOKEN "s3cret"

/* GW_CHAOS_DEBUG=1 narrates the gateway's traffic. */
#define chaos_debug(...) G_STMT_START {                                          \
    if (g_getenv ("GW_CHAOS_DEBUG") != NULL)                                  \
      g_test_message (__VA_ARGS__);                                            \
  } G_STMT_END

static guint32
chaos_seed (void)
{
  const char *env = g_getenv ("GW_CHAOS_SEED");
  guint32 seed = env ? (guint32) g_ascii_strtoull (env, NULL, 10) : 20261125;

  g_test_message ("chaos seed %u (set GW_CHAOS_SEED to replay another)", seed);
  return seed;
}

static gint64
server_seq (GwTestDispatchd *server)
{
  g_autoptr(JsonNode) health = gw_test_get_json (server, "/api/v1/health");
  return json_object_get_int_member (json_node_get_object (health), "seq");
}

static gint64
server_incidents (GwTestDispatchd *server)
{
  g_autoptr(JsonNode) health = gw_test_get_json (server, "/api/v1/health");
  return json_object_get_int_member (json_node_get_object (health), "incidents");
}

/* The digest of a fresh snapshot of the server, through a second feed. */
static char *
server_digest (GwTestDispatchd *server)
{
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = gw_dispatch_feed_new (store, server->url, server->token);

  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_synced (GW_FEED (feed)), 30);
  gw_feed_stop (GW_FEED (feed));
  return gw_store_digest (store);
}

/* Fails, naming what the feed was doing, when the store has applied nothing for
 * @stall_s seconds while the server has moved on. */
static void
assert_progress (GwFeed          *feed,
                 GwTestDispatchd *server,
                 gint64          *last_seq,
                 gint64          *last_time,
                 guint            stall_s)
{
  gint64 now = g_get_monotonic_time ();
  gint64 seq = gw_store_get_seq (gw_feed_get_store (feed));

  if (seq != *last_seq || *last_time == 0)
    {
      *last_seq = seq;
      *last_time = now;
      return;
    }
  if (now - *last_time > stall_s * G_USEC_PER_SEC && server_seq (server) > seq)
    g_error ("the feed applied nothing for %u s: store at %" G_GINT64_FORMAT ", server at %"
             G_GINT64_FORMAT ", feed %s%s, last error: %s", stall_s, seq, server_seq (server),
             gw_feed_state_to_string (gw_feed_get_state (feed)),
             gw_dispatch_feed_is_polling (GW_DISPATCH_FEED (feed)) ? " (polling)" : "",
             gw_feed_get_last_error (feed) ?: "none");
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for @ms: load shaping (to vary when a fault hits), never a
 * substitute for waiting on a condition. */
static void
run_for_ms (guint ms)
{
  gboolean done = FALSE;

  if (ms == 0)
    return;
  g_timeout_add (ms, flag_cb, &done);
  gw_test_wait_until (done, ms / 1000 + 5);
}

/* ---- no version applied twice ------------------------------------------------------ */

typedef struct {
  GHashTable *last;      /* incident id → gint64* the seq of the version last applied */
  guint       applied;   /* versions applied */
  guint       resets;    /* snapshots applied, whole or to their last page */
} Tracker;

static void
tracker_check (Tracker    *tracker,
               GwIncident *incident)
{
  gint64 *last = g_hash_table_lookup (tracker->last, incident->id);

  if (last != NULL && incident->seq <= *last)
    g_error ("incident %s: version %" G_GINT64_FORMAT " applied after version %" G_GINT64_FORMAT,
             incident->id, incident->seq, *last);
  if (last == NULL)
    {
      last = g_new (gint64, 1);
      g_hash_table_insert (tracker->last, g_strdup (incident->id), last);
    }
  *last = incident->seq;
  tracker->applied++;
}

static void
tracker_changed_cb (GwStore       *store G_GNUC_UNUSED,
                    GwStoreChange *change,
                    Tracker       *tracker)
{
  for (guint i = 0; i < change->added->len; i++)
    tracker_check (tracker, g_ptr_array_index (change->added, i));
  for (guint i = 0; i < change->changed->len; i++)
    tracker_check (tracker, g_ptr_array_index (change->changed, i));
  /* The server never deletes a case: nothing may vanish from the wall. */
  g_assert_cmpuint (change->removed->len, ==, 0);
  tracker->resets += change->reset || change->loaded;
}

static void
tracker_init (Tracker *tracker,
              GwStore *store)
{
  tracker->last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tracker->applied = 0;
  tracker->resets = 0;
  g_signal_connect (store, "changed", G_CALLBACK (tracker_changed_cb), tracker);
}

static void
tracker_clear (Tracker *tracker,
               GwStore *store)
{
  g_signal_handlers_disconnect_by_data (store, tracker);
  g_hash_table_unref (tracker->last);
}

/* Every incident in the store is the last version the tracker saw applied. */
static void
tracker_assert_matches (Tracker *tracker,
                        GwStore *store)
{
  g_autoptr(GPtrArray) all = gw_store_list (store);

  g_assert_cmpuint (all->len, ==, g_hash_table_size (tracker->last));
  for (guint i = 0; i < all->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (all, i);
      gint64 *last = g_hash_table_lookup (tracker->last, incident->id);
      g_assert_nonnull (last);
      g_assert_cmpint (*last, ==, incident->seq);
    }
}

/* ---- errors in plain words --------------------------------------------------------- */

typedef struct {
  GPtrArray *seen;
} Errors;

static void
last_error_cb (GObject    *object,
               GParamSpec *pspec G_GNUC_UNUSED,
               Errors     *errors)
{
  const char *message = gw_feed_get_last_error (GW_FEED (object));

  if (message == NULL)
    return;
  /* Plain words for the wall's status line: a sentence, no C leftovers. */
  g_assert_cmpuint (strlen (message), >, 10);
  g_assert_true (g_ascii_isupper (message[0]));
  g_assert_null (strstr (message, "(null)"));
  g_ptr_array_add (errors->seen, g_strdup (message));
}

static gboolean
errors_contain (Errors     *errors,
                const char *needle)
{
  for (guint i = 0; i < errors->seen->len; i++)
    if (strstr (g_ptr_array_index (errors->seen, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- steady changes ------------------------------------------------------------- */

typedef struct {
  GwTestDispatchd *server;
  GRand           *rand;
  gboolean         paused;    /* the server is down */
  gboolean         tolerant;  /* others move cases too: a refused step drops the case */
  GPtrArray       *cases;   /* char* ids of cases still moving */
  GArray          *steps;   /* guint: the next step of each case */
  guint            reports;
  guint            events;
} Poster;

static const struct {
  const char *stage;
  const char *time;
  const char *extra;
} steps[] = {
  { "registered",    "2026-11-25T08:01:00Z", "" },
  { "dispatched",    "2026-11-25T08:02:00Z", ",\"department\":\"chengguan\"" },
  { "on_site",       "2026-11-25T08:20:00Z", "" },
  { "reported_done", "2026-11-25T09:00:00Z", "" },
  { "closed",        "2026-11-25T09:30:00Z", "" },
};

static void
post_report (Poster *poster)
{
  g_autofree char *id = g_strdup_printf ("chaos-%05u", poster->reports++);
  g_autofree char *body = g_strdup_printf (
    "{\"id\":\"%s\",\"title\":\"垃圾满溢\",\"class\":\"0101\",\"source\":\"hotline\","
    "\"location\":{\"lon\":%.6f,\"lat\":%.6f},\"address\":\"桐柏路\","
    "\"received_at\":\"2026-11-25T08:00:00Z\",\"reporter\":{\"name\":\"王先生\",\"phone\":null}}",
    id, 113.610 + g_rand_double_range (poster->rand, 0, 0.02),
    34.745 + g_rand_double_range (poster->rand, 0, 0.01));
  g_autoptr(GBytes) reply = NULL;
  guint status;
  guint zero = 0;

  reply = gw_test_http (poster->server, "POST", "/api/v1/incidents", body, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  g_ptr_array_add (poster->cases, g_steal_pointer (&id));
  g_array_append_val (poster->steps, zero);
}

static void
post_step (Poster *poster)
{
  guint i = g_rand_int_range (poster->rand, 0, poster->cases->len);
  const char *id = g_ptr_array_index (poster->cases, i);
  guint *step = &g_array_index (poster->steps, guint, i);
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%s/events", id);
  g_autofree char *body = g_strdup_printf ("{\"id\":\"%s-%u\",\"stage\":\"%s\",\"time\":\"%s\"%s}",
                                           id, *step, steps[*step].stage, steps[*step].time,
                                           steps[*step].extra);
  g_autoptr(GBytes) reply = NULL;
  guint status;

  reply = gw_test_http (poster->server, "POST", path, body, &status, NULL);
  if (status == 409 && poster->tolerant)
    {
      g_ptr_array_remove_index_fast (poster->cases, i);
      g_array_remove_index_fast (poster->steps, i);
      return;
    }
  if (status != 201)
    g_error ("POST %s %s: %u %.*s", path, body, status, (int) g_bytes_get_size (reply),
             (const char *) g_bytes_get_data (reply, NULL));
  poster->events++;
  if (++*step == G_N_ELEMENTS (steps))
    {
      g_ptr_array_remove_index_fast (poster->cases, i);
      g_array_remove_index_fast (poster->steps, i);
    }
}

static gboolean
post_cb (gpointer user_data)
{
  Poster *poster = user_data;

  if (poster->paused)
    return G_SOURCE_CONTINUE;
  if (poster->cases->len < 5 || g_rand_int_range (poster->rand, 0, 100) < 30)
    post_report (poster);
  else
    post_step (poster);
  return G_SOURCE_CONTINUE;
}

/* ---- /chaos/restarts --------------------------------------------------------------- */

/* SIGKILL: no chance to finish anything. */
static void
kill_server (GwTestDispatchd *server)
{
  soup_session_abort (server->session);
  g_subprocess_force_exit (server->proc);
  g_assert_true (g_subprocess_wait (server->proc, NULL, NULL));
  g_assert_true (g_subprocess_get_if_signaled (server->proc));
  g_assert_cmpint (g_subprocess_get_term_sig (server->proc), ==, SIGKILL);
  g_clear_object (&server->proc);
}

static void
test_restarts (void)
{
  guint32 seed = chaos_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", gw_test_free_port ());
  g_autofree char *sim_seed = g_strdup_printf ("%u", seed % 100000);
  /* Busy: a simulated hour a second. Few retained changes, so a feed that falls behind
   * while the server is down or while it backs off gets 410 and takes a new snapshot. */
  const char * const sim_args[] = { "--simulate", "--speed", "3600", "--seed", sim_seed,
                                    "--history-days", "1", "--retain-changes", "60",
                                    "--heartbeat", "1", "--token", TOKEN,
                                    "--listen", listen, NULL };
  const char * const quiet_args[] = { "--demo-street", "--heartbeat", "1", "--token", TOKEN,
                                      "--listen", listen, NULL };
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (sim_args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  Tracker tracker;
  Errors errors = { g_ptr_array_new_with_free_func (g_free) };
  /* The simulator is quiet in the evening: reports over HTTP keep the feed busy. */
  Poster poster = { .server = server, .rand = g_rand_new_with_seed (seed ^ 0x5eed),
                    .tolerant = TRUE, .cases = g_ptr_array_new_with_free_func (g_free),
                    .steps = g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint post_id;
  const guint rounds = 10;
  gint64 start_seq, final_seq;
  gint64 t0 = g_get_monotonic_time ();

  server->token = g_strdup (TOKEN);
  tracker_init (&tracker, store);
  feed = g_object_new (GW_TYPE_DISPATCH_FEED, "store", store, "url", server->url,
                       "token", TOKEN, "stall-seconds", 5, "poll-seconds", 1, NULL);
  g_signal_connect (feed, "notify::last-error", G_CALLBACK (last_error_cb), &errors);
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_synced (GW_FEED (feed)), 30);
  start_seq = gw_store_get_seq (store);
  g_assert_cmpint (start_seq, >, 0);
  post_id = g_timeout_add (40, post_cb, &poster);

  for (guint round = 0; round < rounds; round++)
    {
      /* Let the feed apply some more changes first: sometimes a few, sometimes many. */
      gint64 target = gw_store_get_seq (store) + g_rand_int_range (rand, 1, 40);
      gint64 last_seq = 0, last_time = 0;
      gboolean hard = round % 2 == 0;

      gw_test_wait_until ((assert_progress (GW_FEED (feed), server, &last_seq, &last_time, 12),
                           gw_store_get_seq (store) >= target), 30);
      if (round == rounds / 2)
        {
          /* Once, the feed is away while the server moves further on than it keeps:
           * it comes back to 410 and a new snapshot, and the server dies soon after. */
          gint64 away_from = gw_store_get_seq (store);
          gw_feed_stop (GW_FEED (feed));
          gw_test_wait_until (server_seq (server) > away_from + 80, 30);
          gw_feed_start (GW_FEED (feed));
          gw_test_wait_until (tracker.resets >= 2, 30);
        }
      run_for_ms (g_rand_int_range (rand, 0, 300));

      g_test_message ("%.1f s: round %u: %s the server at store seq %" G_GINT64_FORMAT " (%s)",
                      (g_get_monotonic_time () - t0) / 1e6, round, hard ? "SIGKILL" : "SIGTERM",
                      gw_store_get_seq (store),
                      gw_feed_state_to_string (gw_feed_get_state (GW_FEED (feed))));
      if (hard)
        kill_server (server);
      else
        gw_test_dispatchd_stop (server);

      /* Down for a while, sometimes long enough for the feed to notice and back off. */
      poster.paused = TRUE;
      if (g_rand_boolean (rand))
        run_for_ms (g_rand_int_range (rand, 50, 1500));
      gw_test_dispatchd_restart (server, sim_args);
      poster.paused = FALSE;
    }
  g_source_remove (post_id);

  /* The last restart stops the simulation, so the server holds still to be compared.
   * (Once the new process serves the feed: a SIGTERM the moment it has announced itself
   * could find its handler not yet installed.) */
  {
    gint64 target = gw_store_get_seq (store) + 1;
    gw_test_wait_until (gw_store_get_seq (store) >= target, 30);
  }
  gw_test_dispatchd_stop (server);
  gw_test_dispatchd_restart (server, quiet_args);
  final_seq = server_seq (server);
  g_test_message ("%.1f s: converging to seq %" G_GINT64_FORMAT " from %" G_GINT64_FORMAT,
                  (g_get_monotonic_time () - t0) / 1e6, final_seq, gw_store_get_seq (store));
  {
    gint64 last_seq = 0, last_time = 0;
    gw_test_wait_until ((assert_progress (GW_FEED (feed), server, &last_seq, &last_time, 12),
                         gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE &&
                         gw_store_get_seq (store) == final_seq), 45);
  }
  g_test_message ("%u versions applied, %u snapshots, %u errors; %u reports, %u stage events",
                  tracker.applied, tracker.resets, errors.seen->len, poster.reports, poster.events);

  /* The feed lived through every restart and followed the server all along. */
  g_assert_cmpint (final_seq, >=, start_seq + rounds);
  g_assert_cmpuint (tracker.resets, >=, 2);
  g_assert_cmpuint (errors.seen->len, >=, 1);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, server_incidents (server));
  tracker_assert_matches (&tracker, store);
  mine = gw_store_digest (store);
  theirs = server_digest (server);
  g_assert_cmpstr (mine, ==, theirs);

  gw_feed_stop (GW_FEED (feed));
  tracker_clear (&tracker, store);
  g_ptr_array_unref (errors.seen);
  g_ptr_array_unref (poster.cases);
  g_array_unref (poster.steps);
  g_rand_free (poster.rand);
}

/* ---- the fault-injecting gateway --------------------------------------------------- */

typedef enum {
  FAULT_CUT,        /* part of a frame, then the end of the response */
  FAULT_DELAY,      /* a frame held back 100–800 ms */
  FAULT_MALFORMED,  /* a frame whose data is not JSON, before the real one */
  FAULT_OVERSIZED,  /* a 2 MiB frame, before the real one */
  N_FAULTS
} Fault;

static const char *fault_names[N_FAULTS] = { "cut", "delay", "malformed", "oversized" };

#define FAULT_PERCENT   8               /* chance per change frame */
#define FAULTS_EACH     5               /* of every kind before the weather clears */
#define OVERSIZED_BYTES (2 * 1024 * 1024)

typedef struct _Gateway Gateway;

/* One request relayed to the real server. */
typedef struct {
  gint               refs;
  guint              index;
  Gateway           *gw;
  SoupServerMessage *msg;          /* NULL once finished */
  SoupMessage       *upstream_msg;
  GInputStream      *upstream;
  GCancellable      *cancellable;
  GByteArray        *body;         /* a non-stream answer being read */
  /* the event stream */
  gboolean           streaming;
  GRand             *rand;
  GString           *pending;      /* upstream bytes not yet split into frames */
  GQueue             frames;       /* GString* complete frames not yet relayed */
  GString           *held;         /* a delayed frame */
  guint              hold_id;
  gboolean           doomed;       /* a fault broke it: relay only comments */
  gboolean           ended;        /* the response body is complete */
  gboolean           upstream_eof;
} Relay;

struct _Gateway {
  SoupServer  *server;
  SoupSession *session;
  char        *upstream;         /* the real server's base URL */
  char        *url;              /* the gateway's */
  GwStore     *store;            /* the store of the feed behind the gateway */
  GRand       *rand;
  gboolean     faults_on;
  guint        faults[N_FAULTS];
  guint        streams;
  GPtrArray   *relays;           /* Relay*, one reference each */
  /* What the next stream or poll request must resume from, after a fault at seq N. */
  Fault        expect_fault;
  gint64       expect_before;    /* N, or 0 for none */
  guint        resumes_checked;
};

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static Relay *
relay_ref (Relay *relay)
{
  relay->refs++;
  return relay;
}

static void
relay_unref (Relay *relay)
{
  if (--relay->refs > 0)
    return;
  g_assert_null (relay->msg);
  g_assert_cmpuint (relay->hold_id, ==, 0);
  g_clear_object (&relay->upstream_msg);
  g_clear_object (&relay->upstream);
  g_clear_object (&relay->cancellable);
  g_clear_pointer (&relay->body, g_byte_array_unref);
  g_clear_pointer (&relay->rand, g_rand_free);
  if (relay->pending != NULL)
    g_string_free (relay->pending, TRUE);
  if (relay->held != NULL)
    g_string_free (relay->held, TRUE);
  g_queue_clear_full (&relay->frames, string_free);
  g_free (relay);
}

/* Gives the upstream connection back, once no read is pending on it. */
static void
relay_close_upstream (Relay *relay)
{
  if (relay->upstream != NULL)
    {
      g_input_stream_close (relay->upstream, NULL, NULL);
      g_clear_object (&relay->upstream);
    }
}

static void
relay_finished_cb (SoupServerMessage *msg,
                   Relay             *relay)
{
  /* The client is gone or the answer is complete: stop everything for it. */
  chaos_debug ("gateway #%u: finished", relay->index);
  g_signal_handlers_disconnect_by_data (msg, relay);
  g_clear_object (&relay->msg);
  g_clear_handle_id (&relay->hold_id, g_source_remove);
  g_cancellable_cancel (relay->cancellable);
}

static gboolean
skip_header (const char *name)
{
  static const char *hop[] = { "Host", "Connection", "Keep-Alive", "Transfer-Encoding",
                               "Content-Length", "Content-Type", "Content-Encoding",
                               "Accept-Encoding", "TE", "Upgrade", "Date", "Server" };
  for (guint i = 0; i < G_N_ELEMENTS (hop); i++)
    if (g_ascii_strcasecmp (name, hop[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  if (!skip_header (name))
    soup_message_headers_append (user_data, name, value);
}

/* Answers the client with the upstream status, headers and @body, once. */
static void
relay_answer (Relay  *relay,
              GBytes *body)
{
  SoupServerMessage *msg = relay->msg;
  SoupMessageHeaders *up = soup_message_get_response_headers (relay->upstream_msg);
  gsize len = body ? g_bytes_get_size (body) : 0;

  if (msg == NULL)
    return;
  soup_server_message_set_status (msg, soup_message_get_status (relay->upstream_msg), NULL);
  soup_message_headers_foreach (up, copy_header_cb,
                                soup_server_message_get_response_headers (msg));
  /* A 304 has neither type nor body. */
  if (len > 0)
    soup_server_message_set_response (msg, soup_message_headers_get_content_type (up, NULL),
                                      SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL), len);
  else
    soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  soup_server_message_unpause (msg);
}

static void
relay_fail (Relay      *relay,
            const char *why)
{
  static const char problem[] =
    "{\"type\":\"https://gridwatch.org/problems/internal\",\"title\":\"Bad gateway\","
    "\"status\":502,\"detail\":\"upstream unreachable\"}";

  if (relay->msg == NULL)
    return;
  g_test_message ("gateway: %s", why);
  soup_server_message_set_status (relay->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  soup_server_message_set_response (relay->msg, "application/problem+json", SOUP_MEMORY_STATIC,
                                    problem, sizeof problem - 1);
  soup_server_message_unpause (relay->msg);
}

/* Reads a whole upstream answer (a page, reference data, a problem) and relays it. */
static void
body_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Relay *relay = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);

  if (bytes == NULL)
    {
      relay_fail (relay, error->message);
      relay_close_upstream (relay);
    }
  else if (g_bytes_get_size (bytes) > 0)
    {
      g_byte_array_append (relay->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_input_stream_read_bytes_async (relay->upstream, 64 * 1024, G_PRIORITY_DEFAULT,
                                       relay->cancellable, body_read_cb, relay_ref (relay));
    }
  else
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&relay->body));
      relay_answer (relay, body);
      relay_close_upstream (relay);
    }
  relay_unref (relay);
}

/* ---- the event stream, frame by frame ---- */

static gint64
frame_id (const GString *frame)
{
  if (!g_str_has_prefix (frame->str, "id: "))
    return -1;
  return g_ascii_strtoll (frame->str + 4, NULL, 10);
}

static void
relay_write (Relay      *relay,
             const char *data,
             gsize       len)
{
  soup_message_body_append (soup_server_message_get_response_body (relay->msg), SOUP_MEMORY_COPY,
                            data, len);
  soup_server_message_unpause (relay->msg);
}

static void
relay_end (Relay *relay)
{
  chaos_debug ("gateway #%u: end", relay->index);
  relay->ended = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (relay->msg));
  soup_server_message_unpause (relay->msg);
}

static void relay_pump (Relay *relay);

static gboolean
hold_done_cb (gpointer user_data)
{
  Relay *relay = user_data;
  GString *frame = g_steal_pointer (&relay->held);

  relay->hold_id = 0;
  relay_write (relay, frame->str, frame->len);
  g_string_free (frame, TRUE);
  relay_pump (relay);
  return G_SOURCE_REMOVE;
}

/* Which fault, if any, hits the next change frame (-1: none). */
static int
choose_fault (Relay *relay)
{
  Gateway *gw = relay->gw;
  guint open[N_FAULTS], n_open = 0;

  if (!gw->faults_on || g_rand_int_range (relay->rand, 0, 100) >= FAULT_PERCENT)
    return -1;
  /* Favour the kinds that have not had their share yet. */
  for (guint k = 0; k < N_FAULTS; k++)
    if (gw->faults[k] < FAULTS_EACH)
      open[n_open++] = k;
  if (n_open == 0)
    return g_rand_int_range (relay->rand, 0, N_FAULTS);
  return open[g_rand_int_range (relay->rand, 0, n_open)];
}

static void
expect_resume (Gateway *gw,
               Fault    fault,
               gint64   id)
{
  gw->expect_fault = fault;
  gw->expect_before = id;
}

static void
relay_pump (Relay *relay)
{
  Gateway *gw = relay->gw;

  while (relay->msg != NULL && !relay->ended && relay->hold_id == 0 &&
         !g_queue_is_empty (&relay->frames))
    {
      g_autoptr(GString) frame = g_queue_pop_head (&relay->frames);
      gint64 id = frame_id (frame);
      int fault = id > 0 && !relay->doomed ? choose_fault (relay) : -1;

      if (relay->doomed)
        {
          /* Only comments: they let the server notice when the client has gone. */
          if (id < 0)
            relay_write (relay, frame->str, frame->len);
          continue;
        }
      if (fault >= 0)
        {
          gw->faults[fault]++;
          g_test_message ("gateway: %s at frame %" G_GINT64_FORMAT, fault_names[fault], id);
        }

      switch (fault)
        {
        case FAULT_CUT:
          {
            /* Anywhere inside the frame, up to just before its blank line. */
            gsize cut = g_rand_int_range (relay->rand, 1, frame->len);
            relay_write (relay, frame->str, cut);
            relay_end (relay);
            expect_resume (gw, FAULT_CUT, id);
          }
          break;

        case FAULT_DELAY:
          relay->held = g_steal_pointer (&frame);
          relay->hold_id = g_timeout_add (g_rand_int_range (relay->rand, 100, 801), hold_done_cb,
                                          relay);
          break;

        case FAULT_MALFORMED:
          {
            g_autofree char *bad = g_strdup_printf (
              "id: %" G_GINT64_FORMAT "\nevent: incident\ndata: {not json\n\n", id);
            relay_write (relay, bad, strlen (bad));
            relay_write (relay, frame->str, frame->len);
            relay->doomed = TRUE;
            expect_resume (gw, FAULT_MALFORMED, id);
          }
          break;

        case FAULT_OVERSIZED:
          {
            g_autoptr(GString) big = g_string_sized_new (OVERSIZED_BYTES + 64);
            g_string_append_printf (big, "id: %" G_GINT64_FORMAT "\nevent: incident\ndata: ", id);
            for (gsize i = 0; i < OVERSIZED_BYTES; i++)
              g_string_append_c (big, 'x');
            g_string_append (big, "\n\n");
            relay_write (relay, big->str, big->len);
            relay_write (relay, frame->str, frame->len);
            relay->doomed = TRUE;
            expect_resume (gw, FAULT_OVERSIZED, id);
          }
          break;

        default:
          if (id > 0)
            chaos_debug ("gateway #%u: frame %" G_GINT64_FORMAT, relay->index, id);
          relay_write (relay, frame->str, frame->len);
          break;
        }
    }
  if (relay->msg != NULL && !relay->ended && relay->hold_id == 0 && relay->upstream_eof &&
      g_queue_is_empty (&relay->frames))
    relay_end (relay);
}

static void
stream_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Relay *relay = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);
  char *end;

  if (relay->msg == NULL || relay->ended)
    {
      relay_close_upstream (relay);
      relay_unref (relay);
      return;
    }
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      /* The real server ended the stream (or died): end ours when the queue is out. */
      relay->upstream_eof = TRUE;
      relay_close_upstream (relay);
      relay_pump (relay);
      relay_unref (relay);
      return;
    }

  g_string_append_len (relay->pending, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  while ((end = strstr (relay->pending->str, "\n\n")) != NULL)
    {
      gsize len = end + 2 - relay->pending->str;
      g_queue_push_tail (&relay->frames, g_string_new_len (relay->pending->str, len));
      g_string_erase (relay->pending, 0, len);
    }
  relay_pump (relay);
  g_input_stream_read_bytes_async (relay->upstream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   relay->cancellable, stream_read_cb, relay);
}

static void
upstream_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Relay *relay = user_data;
  g_autoptr(GError) error = NULL;

  relay->upstream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (relay->upstream == NULL)
    {
      relay_fail (relay, error->message);
      relay_unref (relay);
      return;
    }
  if (relay->msg == NULL)
    {
      relay_close_upstream (relay);
      relay_unref (relay);
      return;
    }

  if (relay->streaming && soup_message_get_status (relay->upstream_msg) == SOUP_STATUS_OK)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (relay->msg);

      soup_server_message_set_status (relay->msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (relay->msg), FALSE);
      relay->rand = g_rand_new_with_seed (g_rand_int (relay->gw->rand));
      relay->pending = g_string_new (NULL);
      soup_server_message_unpause (relay->msg);
      g_input_stream_read_bytes_async (relay->upstream, 64 * 1024, G_PRIORITY_DEFAULT,
                                       relay->cancellable, stream_read_cb, relay);
      return;  /* the read holds the reference */
    }

  relay->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (relay->upstream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   relay->cancellable, body_read_cb, relay);
}

/* The feed must always resume from what its store holds, and never past a frame it did
 * not apply. */
static void
check_resume (Gateway    *gw,
              const char *what,
              GHashTable *query)
{
  const char *since_text = query ? g_hash_table_lookup (query, "since") : NULL;
  gint64 since;

  if (since_text == NULL)
    return;
  since = g_ascii_strtoll (since_text, NULL, 10);
  if (since != gw_store_get_seq (gw->store))
    g_error ("%s resumes from %" G_GINT64_FORMAT " but the store is at %" G_GINT64_FORMAT,
             what, since, gw_store_get_seq (gw->store));
  if (gw->expect_before > 0)
    {
      if (gw->expect_fault == FAULT_MALFORMED && since != gw->expect_before - 1)
        g_error ("after a malformed frame %" G_GINT64_FORMAT " the feed resumes from %"
                 G_GINT64_FORMAT ", not from just before it", gw->expect_before, since);
      if (since >= gw->expect_before)
        g_error ("after a %s frame %" G_GINT64_FORMAT " the feed resumes from %" G_GINT64_FORMAT
                 ": it went past a change it never got whole",
                 fault_names[gw->expect_fault], gw->expect_before, since);
      gw->expect_before = 0;
      gw->resumes_checked++;
    }
}

static void
gateway_handler (SoupServer        *server G_GNUC_UNUSED,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Gateway *gw = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *q = g_uri_get_query (uri);
  g_autofree char *target = g_strconcat (gw->upstream, path, q ? "?" : "", q ? q : "", NULL);
  Relay *relay = g_new0 (Relay, 1);

  /* The feed only reads. */
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, SOUP_METHOD_GET);

  relay->refs = 1;  /* held by gw->relays */
  relay->gw = gw;
  relay->msg = g_object_ref (msg);
  relay->cancellable = g_cancellable_new ();
  relay->streaming = strcmp (path, "/api/v1/events") == 0;
  relay->upstream_msg = soup_message_new (SOUP_METHOD_GET, target);
  g_assert_nonnull (relay->upstream_msg);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header_cb,
                                soup_message_get_request_headers (relay->upstream_msg));
  g_ptr_array_add (gw->relays, relay);
  relay->index = gw->relays->len;
  g_signal_connect (msg, "finished", G_CALLBACK (relay_finished_cb), relay);
  chaos_debug ("gateway #%u: GET %s%s%s (store at %" G_GINT64_FORMAT ")", relay->index, path,
               q ? "?" : "", q ? q : "", gw_store_get_seq (gw->store));

  if (relay->streaming)
    {
      gw->streams++;
      check_resume (gw, "the event stream", query);
    }
  else if (strcmp (path, "/api/v1/changes") == 0)
    check_resume (gw, "polling", query);

  soup_server_message_pause (msg);
  soup_session_send_async (gw->session, relay->upstream_msg, G_PRIORITY_DEFAULT,
                           relay->cancellable, upstream_sent_cb, relay_ref (relay));
}

static Gateway *
gateway_new (const char *upstream,
             GwStore    *store,
             guint32     seed)
{
  Gateway *gw = g_new0 (Gateway, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *base = NULL;

  gw->upstream = g_strdup (upstream);
  gw->store = g_object_ref (store);
  gw->rand = g_rand_new_with_seed (seed);
  gw->relays = g_ptr_array_new ();
  gw->session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 256,
                                               "timeout", 0, NULL);
  gw->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (gw->server, NULL, gateway_handler, gw, NULL);
  soup_server_listen_local (gw->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (gw->server);
  g_assert_nonnull (uris);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:PORT/" without the slash. */
  gw->url = g_strndup (base, strlen (base) - (g_str_has_suffix (base, "/") ? 1 : 0));
  return gw;
}

static void
gateway_free (Gateway *gw)
{
  /* End whatever is still open, then let the callbacks in flight run out. */
  for (guint i = 0; i < gw->relays->len; i++)
    {
      Relay *relay = g_ptr_array_index (gw->relays, i);
      g_cancellable_cancel (relay->cancellable);
      g_clear_handle_id (&relay->hold_id, g_source_remove);
      if (relay->msg != NULL)
        {
          SoupServerMessage *msg = relay->msg;
          g_signal_handlers_disconnect_by_data (msg, relay);
          relay->msg = NULL;
          g_object_unref (msg);
        }
    }
  soup_server_disconnect (gw->server);
  for (guint i = 0; i < gw->relays->len; i++)
    {
      Relay *relay = g_ptr_array_index (gw->relays, i);
      gw_test_wait_until (relay->refs == 1, 10);
      relay_unref (relay);
    }
  g_ptr_array_unref (gw->relays);
  g_object_unref (gw->server);
  g_object_unref (gw->session);
  g_object_unref (gw->store);
  g_rand_free (gw->rand);
  g_free (gw->upstream);
  g_free (gw->url);
  g_free (gw);
}

static gboolean
gateway_faults_done (Gateway *gw)
{
  for (guint k = 0; k < N_FAULTS; k++)
    if (gw->faults[k] < FAULTS_EACH)
      return FALSE;
  return TRUE;
}

static void
test_gateway (void)
{
  guint32 seed = chaos_seed ();
  const char * const args[] = { "--demo-street", "--heartbeat", "1", "--token", TOKEN, NULL };
  g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  Gateway *gw;
  Poster poster = { .server = server, .rand = g_rand_new_with_seed (seed ^ 0x5eed),
                    .cases = g_ptr_array_new_with_free_func (g_free),
                    .steps = g_array_new (FALSE, FALSE, sizeof (guint)) };
  Tracker tracker;
  Errors errors = { g_ptr_array_new_with_free_func (g_free) };
  guint post_id;
  gint64 final_seq;

  server->token = g_strdup (TOKEN);
  for (guint i = 0; i < 20; i++)
    post_cb (&poster);

  gw = gateway_new (server->url, store, seed);
  tracker_init (&tracker, store);
  feed = g_object_new (GW_TYPE_DISPATCH_FEED, "store", store, "url", gw->url,
                       "token", TOKEN, "stall-seconds", 4, "poll-seconds", 1, NULL);
  g_signal_connect (feed, "notify::last-error", G_CALLBACK (last_error_cb), &errors);
  gw_feed_start (GW_FEED (feed));
  gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE, 30);
  g_assert_cmpint (gw_store_get_seq (store), >=, 20);

  /* Bad weather: changes keep coming while the gateway mangles the stream. */
  gw->faults_on = TRUE;
  post_id = g_timeout_add (40, post_cb, &poster);
  {
    gint64 last_seq = 0, last_time = 0;
    gw_test_wait_until ((assert_progress (GW_FEED (feed), server, &last_seq, &last_time, 10),
                         gateway_faults_done (gw)), 50);
  }
  gw->faults_on = FALSE;
  g_source_remove (post_id);
  g_test_message ("faults: %u cut, %u delay, %u malformed, %u oversized over %u streams, "
                  "%u resumes checked; %u reports, %u stage events",
                  gw->faults[FAULT_CUT], gw->faults[FAULT_DELAY], gw->faults[FAULT_MALFORMED],
                  gw->faults[FAULT_OVERSIZED], gw->streams, gw->resumes_checked,
                  poster.reports, poster.events);

  /* Clear skies: the feed catches up and holds exactly what the server holds. */
  final_seq = server_seq (server);
  {
    gint64 last_seq = 0, last_time = 0;
    gw_test_wait_until ((assert_progress (GW_FEED (feed), server, &last_seq, &last_time, 10),
                         gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE &&
                         gw_store_get_seq (store) == final_seq), 30);
  }
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, poster.reports);
  tracker_assert_matches (&tracker, store);
  mine = gw_store_digest (store);
  theirs = server_digest (server);
  g_assert_cmpstr (mine, ==, theirs);

  /* Each stream-breaking fault was followed by a resume that did not skip anything, and
   * the wall told the user what went wrong, in words. */
  g_assert_cmpuint (gw->resumes_checked, ==, gw->faults[FAULT_CUT] + gw->faults[FAULT_MALFORMED] +
                                             gw->faults[FAULT_OVERSIZED]);
  if (!errors_contain (&errors, "malformed"))
    g_error ("no malformed-change error was reported");
  if (!errors_contain (&errors, "larger than"))
    g_error ("no oversized-event error was reported");
  /* The stream never gave way to polling for good: it kept coming back. */
  g_assert_cmpuint (gw->streams, >, gw->faults[FAULT_CUT] + gw->faults[FAULT_MALFORMED] +
                                    gw->faults[FAULT_OVERSIZED]);

  gw_feed_stop (GW_FEED (feed));
  tracker_clear (&tracker, store);
  g_clear_object (&feed);
  gateway_free (gw);
  g_ptr_array_unref (errors.seen);
  g_ptr_array_unref (poster.cases);
  g_array_unref (poster.steps);
  g_rand_free (poster.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chaos/restarts", test_restarts);
  g_test_add_func ("/chaos/gateway", test_gateway);

  return g_test_run ();
}
