/* gw-bench-live.c — the live feed next to a naive polling client, by the numbers
 *
 * 1. Initial load of >= 100,000 cases by the real app (launch to live: wall time, longest
 *    main-loop stall with and without frame drawing, peak RSS) and by the feed and store
 *    alone, next to a naive client that pages /api/v1/incidents and parses and keeps every
 *    page with json-glib on its main thread.
 * 2. Commit-to-store latency at 50 new cases/s through GwDispatchFeed, next to a 10 s poller.
 * 3. Steady-state wire bytes per hour per client through a counting TCP proxy, ours next to
 *    the 10 s poller, at 60× the demo street's pace; GW_BENCH_LIVE_SECONDS sets the window
 *    (default 180).
 * Prints figures and asserts nothing about them. Needs a display (part 1):
 *   cd _build && dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" env
 *     GW_GRIDWATCH=$PWD/src/gridwatch GW_DISPATCHD=$PWD/src/gridwatch-dispatchd
 *     GSETTINGS_SCHEMA_DIR=$PWD/data tests/bench/gw-bench-live
 * or under the same wrapper: meson test -C _build --benchmark --suite bench live -v
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>

#include "gw-dispatch-feed.h"
#include "gw-stall-watch.h"
#include "gw-store.h"
#include "gw-test-dispatchd.h"

#define APP_RUNS          3
#define MIN_INCIDENTS     100000
#define FIRST_DAYS        500
#define RATE_PER_S        50
#define POST_SECONDS      20
#define POLL_SECONDS      10
#define DEFAULT_WINDOW_S  180
/* The steady state at 60× the demo street's own pace (some 12,000 cases a day, a busy
 * district): at 1× a few minutes hold hardly a change, only heartbeats. */
#define STEADY_SPEED      "60"

/* ---- small helpers ----------------------------------------------------- */

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of @n sorted values. */
static double
percentile (const double *sorted,
            guint         n,
            double        p)
{
  guint rank;

  if (n == 0)
    return NAN;
  rank = (guint) ceil (p / 100.0 * n);
  return sorted[CLAMP (rank, 1, n) - 1];
}

typedef gboolean (*Predicate) (gpointer data);

/* Iterates the main context until @done or @seconds pass; returns whether @done. */
static gboolean
iterate_until (Predicate done,
               gpointer  data,
               double    seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint tick = g_timeout_add (50, gw_test_tick_cb, NULL);
  gboolean ok;

  while (!(ok = done (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for @seconds: a timeout source ends the wait. */
static void
run_for (double seconds)
{
  gboolean over = FALSE;

  g_timeout_add ((guint) (seconds * 1000), set_flag_cb, &over);
  iterate_until (flag_is_set, &over, seconds + 5);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint16
url_port (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint16) g_uri_get_port (uri);
}

static double
window_seconds (void)
{
  const char *env = g_getenv ("GW_BENCH_LIVE_SECONDS");
  double s = env ? g_ascii_strtod (env, NULL) : 0;

  return s > 0 ? s : DEFAULT_WINDOW_S;
}

static double
kib (double bytes)
{
  return bytes / 1024.0;
}

static double
mib (double bytes)
{
  return bytes / (1024.0 * 1024.0);
}

/* ---- the naive client: pages of /api/v1/incidents -------------------------- */

typedef void (*PageFunc) (JsonArray *items,
                          gpointer   data);

typedef struct {
  SoupSession *session;
  char        *url;       /* the server's base */
  char        *query;     /* e.g. "limit=1000" */
  gboolean     keep;      /* keeps every page's tree, as a simple dashboard would */
  PageFunc     page_func;
  gpointer     page_data;

  GPtrArray   *kept;      /* JsonNode* */
  gboolean     busy;
  gboolean     done;      /* the last page is in */
  guint        pages;
  guint64      items;
  guint64      bytes;     /* bodies only */
  gint64       start, end;
} Pager;

static void pager_get (Pager *pager, const char *cursor);

static Pager *
pager_new (SoupSession *session,
           const char  *url,
           const char  *query,
           gboolean     keep)
{
  Pager *pager = g_new0 (Pager, 1);

  pager->session = g_object_ref (session);
  pager->url = g_strdup (url);
  pager->query = g_strdup (query);
  pager->keep = keep;
  pager->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  return pager;
}

static void
pager_free (Pager *pager)
{
  g_object_unref (pager->session);
  g_ptr_array_unref (pager->kept);
  g_free (pager->url);
  g_free (pager->query);
  g_free (pager);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pager, pager_free)

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pager *pager = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *page;
  JsonNode *next;
  const char *data;
  gsize len;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    g_error ("naive client: %s", error->message);
  data = g_bytes_get_data (body, &len);
  if (soup_message_get_status (msg) != 200)
    g_error ("naive client: HTTP %u %.200s", soup_message_get_status (msg), data);
  pager->pages++;
  pager->bytes += len;

  /* On the main thread, as a simple client does. */
  if (!json_parser_load_from_data (parser, data, len, &error))
    g_error ("naive client: page %u: %s", pager->pages, error->message);
  root = json_parser_steal_root (parser);
  page = json_node_get_object (root);
  pager->items += json_array_get_length (json_object_get_array_member (page, "items"));
  if (pager->page_func != NULL)
    pager->page_func (json_object_get_array_member (page, "items"), pager->page_data);
  next = json_object_get_member (page, "next_cursor");
  if (next != NULL && !JSON_NODE_HOLDS_NULL (next) && pager->pages < 10 * MIN_INCIDENTS)
    pager_get (pager, json_node_get_string (next));
  else
    {
      pager->end = g_get_monotonic_time ();
      pager->busy = FALSE;
      pager->done = TRUE;
    }
  if (pager->keep)
    g_ptr_array_add (pager->kept, g_steal_pointer (&root));
}

static void
pager_get (Pager      *pager,
           const char *cursor)
{
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *uri = escaped ? g_strdup_printf ("%s/api/v1/incidents?%s&cursor=%s",
                                                    pager->url, pager->query, escaped)
                                 : g_strdup_printf ("%s/api/v1/incidents?%s",
                                                    pager->url, pager->query);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  soup_session_send_and_read_async (pager->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    page_cb, pager);
}

/* Starts one pass over all pages; FALSE while the previous one is still running. */
static gboolean
pager_start (Pager *pager)
{
  if (pager->busy)
    return FALSE;
  pager->busy = TRUE;
  pager->done = FALSE;
  pager->pages = 0;
  pager->items = 0;
  pager->bytes = 0;
  pager->start = g_get_monotonic_time ();
  pager_get (pager, NULL);
  return TRUE;
}

static gboolean
pager_is_done (gpointer data)
{
  return ((Pager *) data)->done;
}

/* The naive poller: one full pass every POLL_SECONDS, from now on. */
typedef struct {
  Pager *pager;
  guint  source;
  guint  polls;
  guint  skipped;  /* the previous pass had not finished */
} Poller;

static gboolean
poll_cb (gpointer data)
{
  Poller *poller = data;

  if (pager_start (poller->pager))
    poller->polls++;
  else
    poller->skipped++;
  return G_SOURCE_CONTINUE;
}

static void
poller_start (Poller *poller,
              Pager  *pager)
{
  poller->pager = pager;
  poll_cb (poller);
  /* Not g_timeout_add_seconds: its rounding to whole seconds can fire the first poll
   * early and count one too many in a window. */
  poller->source = g_timeout_add (POLL_SECONDS * 1000, poll_cb, poller);
}

static void
poller_stop (Poller *poller)
{
  g_clear_handle_id (&poller->source, g_source_remove);
}

/* ---- 1. initial load ----------------------------------------------------- */

typedef struct {
  double  wall_s[APP_RUNS];
  double  stall_ms[APP_RUNS];
  double  data_stall_ms[APP_RUNS];  /* outside frame drawing */
  guint   over[APP_RUNS];
  double  rss_mib[APP_RUNS];
  guint   incidents;
} AppLoad;

typedef struct {
  double  wall_s[APP_RUNS];
  double  stall_ms[APP_RUNS];
  double  data_stall_ms[APP_RUNS];  /* outside frame drawing */
  guint   over[APP_RUNS];
  double  rss_delta_mib;   /* first run only: VmHWM is a high-water mark */
  double  hwm_mib;
  guint64 items;
  guint64 bytes;
  guint   pages;
} NaiveLoad;

typedef struct {
  gboolean done;
  char    *out;
  char    *err;
} Communicated;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicated *c = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &c->out, &c->err, &error);
  g_assert_no_error (error);
  c->done = TRUE;
}

static gboolean
communicated (gpointer data)
{
  return ((Communicated *) data)->done;
}

/* The value on the line "@key <value>" of @out, or NULL. */
static const char *
report_value (const char *out,
              const char *key)
{
  gsize n = strlen (key);

  for (const char *line = out; line != NULL && *line != '\0'; )
    {
      const char *eol = strchr (line, '\n');

      if (strncmp (line, key, n) == 0 && line[n] == ' ')
        return line + n + 1;
      line = eol ? eol + 1 : NULL;
    }
  return NULL;
}

static void
launch_app (const char *url,
            AppLoad    *load,
            guint       r)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_home = g_dir_make_tmp ("gw-bench-live-XXXXXX", &error);
  const char *program = g_getenv ("GW_GRIDWATCH");
  const char *live, *stall, *data_stall, *over, *incidents, *rss;
  Communicated c = { 0 };
  gint64 t0;

  g_assert_no_error (error);
  if (program == NULL)
    g_error ("set GW_GRIDWATCH to the built gridwatch");
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GW_EXIT_WHEN_LIVE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GW_REPORT_STALLS", "1", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  t0 = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawn (launcher, &error, program, "--server", url, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicate_cb, &c);
  if (!iterate_until (communicated, &c, 300))
    {
      g_subprocess_force_exit (proc);
      g_error ("gridwatch did not go live within 300 s");
    }

  live = report_value (c.out, "live");
  stall = report_value (c.out, "stall-max-ms");
  data_stall = report_value (c.out, "stall-max-outside-frames-ms");
  over = report_value (c.out, "stalls-over-frame");
  incidents = report_value (c.out, "incidents");
  rss = report_value (c.out, "peak-rss-kib");
  if (live == NULL || stall == NULL || data_stall == NULL || over == NULL || incidents == NULL ||
      rss == NULL)
    g_error ("gridwatch did not report going live (exit %d)\nstdout: %s\nstderr: %s",
             g_subprocess_get_exit_status (proc), c.out, c.err);
  load->wall_s[r] = (g_ascii_strtoll (live, NULL, 10) - t0) / 1e6;
  load->stall_ms[r] = g_ascii_strtod (stall, NULL);
  load->data_stall_ms[r] = g_ascii_strtod (data_stall, NULL);
  load->over[r] = (guint) g_ascii_strtoull (over, NULL, 10);
  load->incidents = (guint) g_ascii_strtoull (incidents, NULL, 10);
  load->rss_mib[r] = g_ascii_strtoll (rss, NULL, 10) / 1024.0;
  fprintf (stderr, "# app run %u: live after %.2f s, stall max %.1f ms (%u over 16 ms), "
           "%.1f ms outside frames, %u incidents, peak RSS %.0f MiB\n", r + 1, load->wall_s[r],
           load->stall_ms[r], load->over[r], load->data_stall_ms[r], load->incidents,
           load->rss_mib[r]);
  g_free (c.out);
  g_free (c.err);
  gw_test_remove_tree (cache_home);
}

static void
naive_load (const char *url,
            NaiveLoad  *load,
            guint       r)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(Pager) pager = pager_new (session, url, "limit=1000", TRUE);
  g_autoptr(GwStallWatch) watch = gw_stall_watch_new ();
  gint64 rss_before = gw_process_memory_kib ("VmRSS");

  gw_stall_watch_reset (watch);
  pager_start (pager);
  if (!iterate_until (pager_is_done, pager, 300))
    g_error ("the naive client did not finish within 300 s");
  load->wall_s[r] = (pager->end - pager->start) / 1e6;
  load->stall_ms[r] = gw_stall_watch_get_max_ms (watch);
  load->over[r] = gw_stall_watch_get_over_frame (watch);
  if (r == 0)
    {
      /* The pager still holds every page's tree. */
      load->hwm_mib = gw_process_memory_kib ("VmHWM") / 1024.0;
      load->rss_delta_mib = (gw_process_memory_kib ("VmRSS") - rss_before) / 1024.0;
    }
  load->items = pager->items;
  load->bytes = pager->bytes;
  load->pages = pager->pages;
  fprintf (stderr, "# naive run %u: %" G_GUINT64_FORMAT " incidents in %u pages (%.1f MiB) "
           "in %.2f s, stall max %.1f ms (%u over 16 ms)\n", r + 1, pager->items, pager->pages,
           mib (pager->bytes), load->wall_s[r], load->stall_ms[r], load->over[r]);
}

static GwTestDispatchd *
start_big_server (gint64 *n_out,
                  int    *days_out)
{
  int days = FIRST_DAYS;

  for (int attempt = 1; attempt <= 3; attempt++)
    {
      g_autofree char *days_arg = g_strdup_printf ("%d", days);
      const char * const args[] = { "--simulate", "--speed", "1", "--seed", "1",
                                    "--history-days", days_arg, NULL };
      g_autoptr(GwTestDispatchd) server = NULL;
      g_autoptr(JsonNode) health = NULL;
      gint64 n;

      fprintf (stderr, "# starting the server with --history-days %d\n", days);
      server = gw_test_dispatchd_start (args);
      health = gw_test_get_json (server, "/api/v1/health");
      n = json_object_get_int_member (json_node_get_object (health), "incidents");
      if (n >= MIN_INCIDENTS)
        {
          *n_out = n;
          *days_out = days;
          return g_steal_pointer (&server);
        }
      fprintf (stderr, "# only %" G_GINT64_FORMAT " incidents\n", n);
      if (n == 0)
        break;
      days = (int) (days * 1.1 * MIN_INCIDENTS / n) + 1;
    }
  g_error ("the simulator back-filled fewer than %d incidents", MIN_INCIDENTS);
}

/* ---- 2. commit-to-store latency ------------------------------------------ */

typedef struct {
  char  *id;
  gint64 sent;
  gint64 at_store;  /* 0 until seen */
  gint64 at_poll;
} Posted;

typedef struct {
  SoupSession *session;
  char        *url;
  GHashTable  *by_id;    /* id → Posted*, borrowed from @posted */
  GPtrArray   *posted;   /* Posted*, in sending order */
  gint64       start;
  guint        total;
  guint        replies;
  guint        failures;
  guint        at_store;
  guint        at_poll;
  guint        source;
  char        *first_failure;
} Latency;

static void
posted_free (Posted *p)
{
  g_free (p->id);
  g_free (p);
}

static void
post_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Latency *lat = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  lat->replies++;
  if (body == NULL || soup_message_get_status (msg) != 201)
    {
      lat->failures++;
      if (lat->first_failure == NULL)
        lat->first_failure = body ? g_strdup_printf ("HTTP %u %.200s", soup_message_get_status (msg),
                                                     (const char *) g_bytes_get_data (body, NULL))
                                  : g_strdup (error->message);
    }
}

static void
post_one (Latency *lat)
{
  g_autofree char *uri = g_strconcat (lat->url, "/api/v1/incidents", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *received = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  Posted *p = g_new0 (Posted, 1);
  g_autofree char *json = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize len;

  p->id = g_strdup_printf ("live-%05u", lat->posted->len);
  json = g_strdup_printf ("{\"id\":\"%s\",\"title\":\"垃圾满溢\",\"class\":\"0101\","
                          "\"source\":\"hotline\",\"location\":{\"lon\":113.615,\"lat\":34.75},"
                          "\"address\":\"桐柏路\",\"received_at\":\"%s\"}", p->id, received);
  len = strlen (json);
  body = g_bytes_new_take (g_steal_pointer (&json), len);
  g_ptr_array_add (lat->posted, p);
  g_hash_table_insert (lat->by_id, p->id, p);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  p->sent = g_get_monotonic_time ();
  soup_session_send_and_read_async (lat->session, msg, G_PRIORITY_DEFAULT, NULL, post_cb, lat);
}

/* Keeps the rate at RATE_PER_S however the timer drifts: sends what is due by now. */
static gboolean
post_tick_cb (gpointer data)
{
  Latency *lat = data;
  gint64 due = (g_get_monotonic_time () - lat->start) * RATE_PER_S / G_USEC_PER_SEC + 1;

  while (lat->posted->len < MIN (due, (gint64) lat->total))
    post_one (lat);
  if (lat->posted->len < lat->total)
    return G_SOURCE_CONTINUE;
  lat->source = 0;
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  Latency       *lat)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; change->added != NULL && i < change->added->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (change->added, i);
      Posted *p = g_hash_table_lookup (lat->by_id, incident->id);

      if (p != NULL && p->at_store == 0)
        {
          p->at_store = now;
          lat->at_store++;
        }
    }
}

static void
poll_page_cb (JsonArray *items,
              gpointer   data)
{
  Latency *lat = data;
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (items, i), "id");
      Posted *p = g_hash_table_lookup (lat->by_id, id);

      if (p != NULL && p->at_poll == 0)
        {
          p->at_poll = now;
          lat->at_poll++;
        }
    }
}

static gboolean
all_replied (gpointer data)
{
  Latency *lat = data;

  return lat->replies == lat->posted->len;
}

static gboolean
latency_settled (gpointer data)
{
  Latency *lat = data;

  return lat->source == 0 && lat->replies == lat->total &&
         lat->at_store == lat->total - lat->failures && lat->at_poll == lat->total - lat->failures;
}

typedef struct {
  double p50, p95, p99, max;
  guint  n;
} Spread;

static Spread
spread (GPtrArray *posted,
        gboolean   poll)
{
  g_autofree double *ms = g_new (double, posted->len + 1);
  Spread s = { NAN, NAN, NAN, NAN, 0 };

  for (guint i = 0; i < posted->len; i++)
    {
      Posted *p = g_ptr_array_index (posted, i);
      gint64 at = poll ? p->at_poll : p->at_store;

      if (at != 0)
        ms[s.n++] = (at - p->sent) / 1000.0;
    }
  qsort (ms, s.n, sizeof (double), compare_double);
  if (s.n > 0)
    {
      s.p50 = percentile (ms, s.n, 50);
      s.p95 = percentile (ms, s.n, 95);
      s.p99 = percentile (ms, s.n, 99);
      s.max = ms[s.n - 1];
    }
  return s;
}

/* ---- 3. a counting TCP proxy ---------------------------------------------- */

typedef struct {
  GSocketService *service;
  GSocketClient  *client;
  GSocketAddress *upstream;
  GPtrArray      *pipes;
  guint16         port;
  guint64         bytes;    /* both directions, since the last reset */
  guint           connections;
} Proxy;

typedef struct {
  Proxy        *proxy;
  GIOStream    *down;       /* the client's connection to us */
  GIOStream    *up;         /* ours to the server */
  GCancellable *cancellable;
  guint         refs;
} Pipe;

typedef struct {
  Pipe          *pipe;
  GInputStream  *in;
  GOutputStream *out;
  guint8         buf[64 * 1024];
} Pump;

static void
pipe_unref (Pipe *pipe)
{
  if (--pipe->refs > 0)
    return;
  if (pipe->down != NULL)
    g_io_stream_close (pipe->down, NULL, NULL);
  if (pipe->up != NULL)
    g_io_stream_close (pipe->up, NULL, NULL);
  g_clear_object (&pipe->down);
  g_clear_object (&pipe->up);
  g_clear_object (&pipe->cancellable);
  g_ptr_array_remove_fast (pipe->proxy->pipes, pipe);
  g_free (pipe);
}

static void pump_read (Pump *pump);

/* Either direction ending ends the pair: HTTP clients do not half-close. */
static void
pump_end (Pump *pump)
{
  g_cancellable_cancel (pump->pipe->cancellable);
  pipe_unref (pump->pipe);
  g_free (pump);
}

static void
pump_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pump *pump = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    pump_end (pump);
  else
    pump_read (pump);
}

static void
pump_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pump *pump = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      pump_end (pump);
      return;
    }
  pump->pipe->proxy->bytes += n;
  g_output_stream_write_all_async (pump->out, pump->buf, n, G_PRIORITY_DEFAULT,
                                   pump->pipe->cancellable, pump_written_cb, pump);
}

static void
pump_read (Pump *pump)
{
  g_input_stream_read_async (pump->in, pump->buf, sizeof pump->buf, G_PRIORITY_DEFAULT,
                             pump->pipe->cancellable, pump_read_cb, pump);
}

static void
pump_start (Pipe      *pipe,
            GIOStream *from,
            GIOStream *to)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->pipe = pipe;
  pipe->refs++;
  pump->in = g_io_stream_get_input_stream (from);
  pump->out = g_io_stream_get_output_stream (to);
  pump_read (pump);
}

static void
upstream_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pipe *pipe = user_data;
  g_autoptr(GError) error = NULL;

  pipe->up = G_IO_STREAM (g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error));
  if (pipe->up != NULL)
    {
      pump_start (pipe, pipe->down, pipe->up);
      pump_start (pipe, pipe->up, pipe->down);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fprintf (stderr, "# proxy: %s\n", error->message);
  pipe_unref (pipe);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             Proxy             *proxy)
{
  Pipe *pipe = g_new0 (Pipe, 1);

  pipe->proxy = proxy;
  pipe->down = G_IO_STREAM (g_object_ref (connection));
  pipe->cancellable = g_cancellable_new ();
  pipe->refs = 1;
  proxy->connections++;
  g_ptr_array_add (proxy->pipes, pipe);
  g_socket_client_connect_async (proxy->client, G_SOCKET_CONNECTABLE (proxy->upstream),
                                 pipe->cancellable, upstream_cb, pipe);
  return TRUE;
}

static Proxy *
proxy_new (const char *server_url)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  proxy->pipes = g_ptr_array_new ();
  proxy->upstream = g_inet_socket_address_new (loopback, url_port (server_url));
  proxy->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (proxy->client, FALSE);
  proxy->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (incoming_cb), proxy);
  g_socket_service_start (proxy->service);
  return proxy;
}

static gboolean
proxy_idle (gpointer data)
{
  return ((Proxy *) data)->pipes->len == 0;
}

static void
proxy_free (Proxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  for (guint i = 0; i < proxy->pipes->len; i++)
    g_cancellable_cancel (((Pipe *) g_ptr_array_index (proxy->pipes, i))->cancellable);
  if (!iterate_until (proxy_idle, proxy, 10))
    g_error ("the proxy's connections did not close");
  g_ptr_array_unref (proxy->pipes);
  g_object_unref (proxy->service);
  g_object_unref (proxy->client);
  g_object_unref (proxy->upstream);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

static char *
proxy_url (Proxy *proxy)
{
  return g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
}

/* ---- the phases ----------------------------------------------------------- */

static gboolean
feed_is_live (gpointer data)
{
  return gw_feed_get_state (GW_FEED (data)) == GW_FEED_STATE_LIVE;
}

/* The feed and the store alone, as the app runs them but with no window: what the
 * live-data layer itself costs the main loop while it loads the snapshot. */
static void
layer_load (const char *url,
            double     *wall_s,
            double     *stall_ms,
            guint      *over)
{
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwDispatchFeed) feed = gw_dispatch_feed_new (store, url, NULL);
  g_autoptr(GwStallWatch) watch = gw_stall_watch_new ();
  gint64 t0 = g_get_monotonic_time ();

  gw_feed_start (GW_FEED (feed));
  if (!iterate_until (feed_is_live, feed, 300))
    g_error ("the feed did not go live within 300 s");
  *wall_s = (g_get_monotonic_time () - t0) / 1e6;
  *stall_ms = gw_stall_watch_get_max_ms (watch);
  *over = gw_stall_watch_get_over_frame (watch);
  gw_feed_stop (GW_FEED (feed));
  fprintf (stderr, "# layer alone: live after %.2f s, %u incidents, stall max %.1f ms\n",
           *wall_s, gw_store_get_n_incidents (store), *stall_ms);
}

typedef struct {
  guint changes;   /* incidents added, changed or removed */
} Counted;

static void
count_changes_cb (GwStore       *store,
                  GwStoreChange *change,
                  Counted       *counted)
{
  counted->changes += (change->added ? change->added->len : 0) +
                      (change->changed ? change->changed->len : 0) +
                      (change->removed ? change->removed->len : 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) report = g_string_new (NULL);
  double window = window_seconds ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("SKIP: needs a display; run under xvfb-run\n");
      return 77;
    }

  /* 1. Initial load. The naive client runs first: VmHWM only ever grows. */
  {
    g_autoptr(GwTestDispatchd) server = NULL;
    AppLoad app = { 0 };
    NaiveLoad naive = { 0 };
    gint64 n = 0;
    int days = 0;
    double app_wall[APP_RUNS], app_rss[APP_RUNS], naive_wall[APP_RUNS];
    double app_stall = 0, app_data_stall = 0, naive_stall = 0, layer_wall, layer_stall;
    guint layer_over;
    guint app_over = 0, naive_over = 0;

    server = start_big_server (&n, &days);
    fprintf (stderr, "# 1. initial load of %" G_GINT64_FORMAT " incidents\n", n);
    /* The layer first: after the naive client this process's heap holds 1.6 GiB of freed
     * trees, and handing it back shows up as a stall of its own. */
    layer_load (server->url, &layer_wall, &layer_stall, &layer_over);
    for (guint r = 0; r < APP_RUNS; r++)
      naive_load (server->url, &naive, r);
    for (guint r = 0; r < APP_RUNS; r++)
      launch_app (server->url, &app, r);

    for (guint r = 0; r < APP_RUNS; r++)
      {
        app_wall[r] = app.wall_s[r];
        app_rss[r] = app.rss_mib[r];
        naive_wall[r] = naive.wall_s[r];
        app_data_stall = MAX (app_data_stall, app.data_stall_ms[r]);
        if (app.stall_ms[r] > app_stall)
          {
            app_stall = app.stall_ms[r];
            app_over = app.over[r];
          }
        if (naive.stall_ms[r] > naive_stall)
          {
            naive_stall = naive.stall_ms[r];
            naive_over = naive.over[r];
          }
      }
    qsort (app_wall, APP_RUNS, sizeof (double), compare_double);
    qsort (app_rss, APP_RUNS, sizeof (double), compare_double);
    qsort (naive_wall, APP_RUNS, sizeof (double), compare_double);
    g_string_append_printf (report,
      "1. initial load of %" G_GINT64_FORMAT " incidents (--simulate --seed 1 --history-days %d), "
      "%d runs each\n"
      "   ours (gridwatch, launch to live, %u incidents in its store):\n"
      "     wall %.2f s median (%.2f min), peak RSS %.0f MiB median (whole process),\n"
      "     longest main-loop stall %.1f ms (worst run; %u stalls over 16 ms in that run),\n"
      "     %.1f ms outside drawing frames (worst run)\n"
      "   the live-data layer alone (GwDispatchFeed + GwStore in this process, no window):\n"
      "     wall %.2f s, longest main-loop stall %.1f ms (%u over 16 ms)\n"
      "   baseline naive client (GET limit=1000 pages, json-glib on the main thread, keeps the trees):\n"
      "     wall %.2f s median (%.2f min), %u pages, %.1f MiB of JSON, %" G_GUINT64_FORMAT " incidents,\n"
      "     RSS +%.0f MiB while it holds the pages (VmHWM %.0f MiB after, no GTK),\n"
      "     longest main-loop stall %.1f ms (worst run; %u stalls over 16 ms in that run)\n",
      n, days, APP_RUNS, app.incidents,
      app_wall[APP_RUNS / 2], app_wall[0], app_rss[APP_RUNS / 2], app_stall, app_over,
      app_data_stall, layer_wall, layer_stall, layer_over,
      naive_wall[APP_RUNS / 2], naive_wall[0], naive.pages, mib (naive.bytes), naive.items,
      naive.rss_delta_mib, naive.hwm_mib, naive_stall, naive_over);
  }

  /* 2. Latency: a quiet server, so the only events are ours. */
  {
    const char * const args[] = { "--demo-street", NULL };
    g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
    g_autoptr(GwStore) store = gw_store_new ();
    g_autoptr(GwDispatchFeed) feed = gw_dispatch_feed_new (store, server->url, NULL);
    g_autoptr(SoupSession) poll_session = soup_session_new_with_options ("timeout", 60, NULL);
    g_autoptr(Pager) pager = pager_new (poll_session, server->url, "status=open&limit=1000", FALSE);
    g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) posted = g_ptr_array_new_with_free_func ((GDestroyNotify) posted_free);
    Latency lat = { 0 };
    Poller poller = { 0 };
    Spread ours, theirs;
    gboolean settled;

    fprintf (stderr, "# 2. commit-to-store latency at %d cases/s for %d s\n", RATE_PER_S,
             POST_SECONDS);
    gw_feed_start (GW_FEED (feed));
    gw_test_wait_until (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE, 60);

    /* POSTs are asynchronous: a blocking client would stall the loop the store runs on. */
    lat.session = soup_session_new_with_options ("timeout", 60, "max-conns-per-host", 16, NULL);
    lat.url = server->url;
    lat.by_id = by_id;
    lat.posted = posted;
    lat.total = RATE_PER_S * POST_SECONDS;
    g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), &lat);
    pager->page_func = poll_page_cb;
    pager->page_data = &lat;

    lat.start = g_get_monotonic_time ();
    lat.source = g_timeout_add (1000 / RATE_PER_S, post_tick_cb, &lat);
    post_tick_cb (&lat);
    poller_start (&poller, pager);
    /* Posting, then one poll period and a margin for the poller to see the last ones. */
    settled = iterate_until (latency_settled, &lat, POST_SECONDS + POLL_SECONDS + 15);
    poller_stop (&poller);
    g_clear_handle_id (&lat.source, g_source_remove);
    /* Replies and a pass still in flight must not land on freed state. */
    if (!iterate_until (pager_is_done, pager, 30) || !iterate_until (all_replied, &lat, 30))
      g_error ("requests still in flight after 30 s");
    g_signal_handlers_disconnect_by_func (store, store_changed_cb, &lat);
    gw_feed_stop (GW_FEED (feed));
    if (!settled)
      fprintf (stderr, "# not everything arrived: %u replies, %u in the store, %u seen by polls\n",
               lat.replies, lat.at_store, lat.at_poll);
    if (lat.failures > 0)
      fprintf (stderr, "# %u POSTs failed, the first: %s\n", lat.failures, lat.first_failure);

    ours = spread (posted, FALSE);
    theirs = spread (posted, TRUE);
    g_string_append_printf (report,
      "2. commit→store latency at %d ev/s for %d s (POST sent → in the store; an upper bound):\n"
      "   ours (GwDispatchFeed, SSE): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms "
      "(%u/%u delivered; %u POSTs failed)\n"
      "   baseline 10 s poller (status=open, all pages): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, "
      "max %.0f ms (%u/%u seen; %u polls, %u skipped while busy)\n",
      RATE_PER_S, POST_SECONDS, ours.p50, ours.p95, ours.p99, ours.max, ours.n,
      posted->len, lat.failures, theirs.p50, theirs.p95, theirs.p99, theirs.max, theirs.n,
      posted->len, poller.polls, poller.skipped);
    g_object_unref (lat.session);
    g_free (lat.first_failure);
  }

  /* 3. Steady-state bytes, each client through its own counting proxy. */
  {
    const char * const args[] = { "--simulate", "--speed", STEADY_SPEED, "--seed", "2",
                                  "--history-days", "30", NULL };
    g_autoptr(GwTestDispatchd) server = gw_test_dispatchd_start (args);
    g_autoptr(Proxy) ours_proxy = proxy_new (server->url);
    g_autoptr(Proxy) naive_proxy = proxy_new (server->url);
    g_autofree char *ours_url = proxy_url (ours_proxy);
    g_autofree char *naive_url = proxy_url (naive_proxy);
    g_autoptr(GwStore) store = gw_store_new ();
    g_autoptr(GwDispatchFeed) feed = gw_dispatch_feed_new (store, ours_url, NULL);
    g_autoptr(SoupSession) poll_session = soup_session_new_with_options ("timeout", 60, NULL);
    g_autoptr(Pager) pager = pager_new (poll_session, naive_url, "status=open&limit=1000", FALSE);
    g_autoptr(JsonNode) health = NULL;
    Poller poller = { 0 };
    Counted counted = { 0 };
    guint64 ours_bytes, naive_bytes;
    guint ours_connections;
    double per_hour = 3600.0 / window;
    const char *state;
    gboolean polling;

    fprintf (stderr, "# 3. steady-state bytes over %.0f s\n", window);
    gw_feed_start (GW_FEED (feed));
    if (!iterate_until (feed_is_live, feed, 120))
      g_error ("the feed did not go live through the proxy: %s",
               gw_feed_get_last_error (GW_FEED (feed)));
    g_signal_connect (store, "changed", G_CALLBACK (count_changes_cb), &counted);

    ours_proxy->bytes = 0;
    ours_connections = ours_proxy->connections;
    naive_proxy->bytes = 0;
    poller_start (&poller, pager);
    run_for (window);
    ours_bytes = ours_proxy->bytes;
    naive_bytes = naive_proxy->bytes;
    poller_stop (&poller);
    state = gw_feed_state_to_string (gw_feed_get_state (GW_FEED (feed)));
    polling = gw_dispatch_feed_is_polling (feed);
    g_signal_handlers_disconnect_by_func (store, count_changes_cb, &counted);
    if (!iterate_until (pager_is_done, pager, 30))
      g_error ("a poll still in flight after 30 s");
    gw_feed_stop (GW_FEED (feed));
    health = gw_test_get_json (server, "/api/v1/health");

    g_string_append_printf (report,
      "3. steady state (--simulate --speed " STEADY_SPEED " --seed 2 --history-days 30, %" G_GINT64_FORMAT
      " incidents), wire bytes incl. HTTP headers over %.0f s:\n"
      "   ours (GwDispatchFeed through a proxy): %" G_GUINT64_FORMAT " B → %.1f KiB/h "
      "(%u changes applied, %u new connections in the window; feed %s%s)\n"
      "   baseline 10 s poller (status=open, all pages): %" G_GUINT64_FORMAT " B → %.1f MiB/h "
      "(%u polls, %.0f KiB each; %" G_GUINT64_FORMAT " open incidents in the last)\n"
      "   ratio baseline/ours: %.0f×\n",
      json_object_get_int_member (json_node_get_object (health), "incidents"), window,
      ours_bytes, kib (ours_bytes * per_hour), counted.changes,
      ours_proxy->connections - ours_connections, state, polling ? ", polling /changes" : "",
      naive_bytes, mib (naive_bytes * per_hour), poller.polls,
      poller.polls ? kib ((double) naive_bytes / poller.polls) : NAN, pager->items,
      ours_bytes > 0 ? (double) naive_bytes / ours_bytes : NAN);
  }

  printf ("\ngw-bench-live: the live feed next to a naive client\n%s", report->str);
  return 0;
}
