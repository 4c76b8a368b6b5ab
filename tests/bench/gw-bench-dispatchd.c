/* gw-bench-dispatchd.c — measures gridwatch-dispatchd on loopback
 *
 * 1. snapshot paging of >= 100,000 incidents (limit=1000 vs limit=100),
 * 2. commit-to-delivery latency of the event stream (200 SSE clients vs 1),
 * 3. conditional GETs of /cells (304 vs full 200),
 * 4. the server's RSS after each phase.
 * Every loop is bounded in count and time; everything runs on 127.0.0.1.
 */

#define _GNU_SOURCE   /* memmem */
#include <json-glib/json-glib.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw-test-dispatchd.h"

#define PAGING_MIN_INCIDENTS 100000
#define PAGING_FIRST_DAYS    500
#define SSE_CLIENTS          200
#define SSE_RATE             50     /* events per second */
#define SSE_SECONDS          20
#define SSE_CONNECT_SECONDS  30
#define SSE_DRAIN_SECONDS    5
#define ETAG_CONNS           8
#define ETAG_SECONDS         5

static GwTestDispatchd *server;   /* the running server, freed by die () */
static GPtrArray       *pool;     /* strings made by s () */
static GString         *report;   /* the table */

G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) static void
die (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "gw-bench-dispatchd: FAILED: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  g_clear_pointer (&server, gw_test_dispatchd_free);
  exit (1);
}

/* A formatted string that lives until the end of the run. */
G_GNUC_PRINTF (1, 2) static const char *
s (const char *format, ...)
{
  va_list args;
  char *str;

  va_start (args, format);
  str = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (pool, str);
  return str;
}

static void
section (const char *title)
{
  g_string_append_printf (report, "\n%s\n", title);
}

static void
row (const char *label,
     const char *measured,
     const char *baseline)
{
  g_string_append_printf (report, "  %-44s %24s %24s\n", label, measured, baseline ? baseline : "");
}

static void
note (const char *text)
{
  g_string_append_printf (report, "  note: %s\n", text);
}

static double
mib (guint64 bytes)
{
  return bytes / (1024.0 * 1024.0);
}

/* ---- server ---- */

static guint16
server_port (void)
{
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_port (uri) <= 0)
    die ("cannot parse the server's URL '%s'", server->url);
  return (guint16) g_uri_get_port (uri);
}

/* Adds VmRSS / VmHWM of the server to the table. */
static void
rss_row (const char *when)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (server->proc));
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 rss = 0, hwm = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    die ("cannot read %s (did the server exit?)", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        rss = g_ascii_strtoull (lines[i] + 6, NULL, 10);
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        hwm = g_ascii_strtoull (lines[i] + 6, NULL, 10);
    }
  row (s ("server RSS / peak (MiB), %s", when), s ("%.1f / %.1f", rss / 1024.0, hwm / 1024.0),
       NULL);
}

static gint64
health_incidents (void)
{
  g_autoptr(JsonNode) health = gw_test_get_json (server, "/api/v1/health");

  return json_object_get_int_member (json_node_get_object (health), "incidents");
}

/* ---- a minimal blocking HTTP/1.1 keep-alive client (Content-Length bodies only) ---- */

typedef struct {
  GSocketConnection *conn;
  GInputStream      *in;
  GOutputStream     *out;
  GByteArray        *buf;   /* received, not yet consumed */
} Http;

static Http *
http_connect (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Http *h = g_new0 (Http, 1);
  GSocket *socket;

  h->conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  if (h->conn == NULL)
    die ("connect to 127.0.0.1:%u: %s", port, error->message);
  socket = g_socket_connection_get_socket (h->conn);
  g_socket_set_timeout (socket, 60);   /* a stalled server fails the run, not hangs it */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  h->in = g_io_stream_get_input_stream (G_IO_STREAM (h->conn));
  h->out = g_io_stream_get_output_stream (G_IO_STREAM (h->conn));
  h->buf = g_byte_array_new ();
  return h;
}

static void
http_free (Http *h)
{
  g_io_stream_close (G_IO_STREAM (h->conn), NULL, NULL);
  g_object_unref (h->conn);
  g_byte_array_unref (h->buf);
  g_free (h);
}

/* Reads more bytes into h->buf. */
static void
http_fill (Http *h)
{
  g_autoptr(GError) error = NULL;
  guint old = h->buf->len;
  gssize n;

  g_byte_array_set_size (h->buf, old + 65536);
  n = g_input_stream_read (h->in, h->buf->data + old, 65536, NULL, &error);
  g_byte_array_set_size (h->buf, old + MAX (n, 0));
  if (n <= 0)
    die ("reading a response: %s", error ? error->message : "server closed the connection");
}

/* Sends one request and reads its response. @headers: extra header lines, each ending
 * in CRLF. Returns the status; the body (NUL-terminated) goes to @body_out, the ETag
 * to @etag_out. */
static guint
http_request (Http        *h,
              const char  *method,
              const char  *path,
              const char  *headers,
              const char  *body,
              GBytes     **body_out,
              char       **etag_out)
{
  g_autoptr(GString) req = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  guint8 *end, *data;
  gsize head_len, length = 0, have;
  guint status = 0;

  g_string_printf (req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s", method, path,
                   headers ? headers : "");
  if (body != NULL)
    g_string_append_printf (req, "Content-Type: application/json\r\nContent-Length: %zu\r\n",
                            strlen (body));
  g_string_append (req, "\r\n");
  if (body != NULL)
    g_string_append (req, body);
  if (!g_output_stream_write_all (h->out, req->str, req->len, NULL, NULL, &error))
    die ("%s %s: %s", method, path, error->message);

  while ((end = memmem (h->buf->data, h->buf->len, "\r\n\r\n", 4)) == NULL)
    http_fill (h);
  head_len = end + 4 - h->buf->data;
  head = g_strndup ((char *) h->buf->data, head_len - 4);
  lines = g_strsplit (head, "\r\n", -1);
  if (sscanf (lines[0], "HTTP/1.%*d %u", &status) != 1)
    die ("%s %s: bad status line '%s'", method, path, lines[0]);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (lines[i] + 15, NULL, 10);
      else if (g_ascii_strncasecmp (lines[i], "Transfer-Encoding:", 18) == 0)
        die ("%s %s: unexpected %s", method, path, lines[i]);
      else if (etag_out != NULL && g_ascii_strncasecmp (lines[i], "ETag:", 5) == 0)
        *etag_out = g_strstrip (g_strdup (lines[i] + 5));
    }
  if (status == 304 || status == 204 || strcmp (method, "HEAD") == 0)
    length = 0;
  g_byte_array_remove_range (h->buf, 0, head_len);

  /* The body: what is buffered, then straight into its own allocation. */
  data = g_malloc (length + 1);
  have = MIN (length, h->buf->len);
  memcpy (data, h->buf->data, have);
  g_byte_array_remove_range (h->buf, 0, have);
  if (have < length &&
      !g_input_stream_read_all (h->in, data + have, length - have, NULL, NULL, &error))
    die ("%s %s: reading the body: %s", method, path, error->message);
  data[length] = '\0';
  if (body_out != NULL)
    *body_out = g_bytes_new_take (data, length);
  else
    g_free (data);
  return status;
}

/* ---- 1. snapshot paging ---- */

typedef struct {
  guint   pages;
  guint64 items;
  guint64 bytes;
  gint64  usec;
} PageRun;

/* Without parsing: next_cursor is the last-but-one member of the page. */
static char *
tail_cursor (const char *json,
             gsize       len)
{
  const char *p = g_strrstr_len (json, len, "\"next_cursor\":");

  if (p == NULL)
    die ("page without next_cursor");
  p += strlen ("\"next_cursor\":");
  if (*p != '"')
    return NULL;
  return g_strndup (p + 1, strcspn (p + 1, "\""));
}

static guint
count_items (const char *json,
             gsize       len)
{
  const char *needle = "\"timeline\":[";   /* once per incident, never inside a string */
  guint n = 0;

  for (const char *p = json; (p = memmem (p, json + len - p, needle, 12)) != NULL; p += 12)
    n++;
  return n;
}

static PageRun
page_through (Http    *h,
              guint    limit,
              gboolean parse)
{
  PageRun run = { 0 };
  g_autofree char *cursor = NULL;
  gint64 start = g_get_monotonic_time ();

  do
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/api/v1/incidents?limit=%u&cursor=%s",
                                                        limit, cursor)
                                     : g_strdup_printf ("/api/v1/incidents?limit=%u", limit);
      g_autoptr(GBytes) body = NULL;
      gsize len;
      const char *json;
      guint status = http_request (h, "GET", path, NULL, NULL, &body, NULL);

      json = g_bytes_get_data (body, &len);
      if (status != 200)
        die ("GET %s: HTTP %u %.200s", path, status, json);
      if (run.pages++ > 10 * PAGING_MIN_INCIDENTS)
        die ("paging does not end");
      run.bytes += len;
      g_clear_pointer (&cursor, g_free);

      if (parse)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;
          JsonObject *page;
          JsonNode *next;

          if (!json_parser_load_from_data (parser, json, len, &error))
            die ("page %u: %s", run.pages, error->message);
          page = json_node_get_object (json_parser_get_root (parser));
          run.items += json_array_get_length (json_object_get_array_member (page, "items"));
          next = json_object_get_member (page, "next_cursor");
          if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
            cursor = g_strdup (json_node_get_string (next));
        }   /* the parser, and with it the page's tree, is freed here */
      else
        {
          cursor = tail_cursor (json, len);
          /* Full pages have @limit items (the parsed passes count them all). */
          run.items += cursor ? limit : count_items (json, len);
        }
    }
  while (cursor != NULL);

  run.usec = g_get_monotonic_time () - start;
  return run;
}

static int
compare_run_time (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = ((const PageRun *) a)->usec, y = ((const PageRun *) b)->usec;

  return (x > y) - (x < y);
}

/* Transfer-only passes last well under a second, so take the median of three. */
static PageRun
page_through_median (Http  *h,
                     guint  limit)
{
  PageRun runs[3];

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    runs[i] = page_through (h, limit, FALSE);
  qsort (runs, G_N_ELEMENTS (runs), sizeof runs[0], compare_run_time);
  return runs[1];
}

static double
per_second (double n,
            gint64 usec)
{
  return usec > 0 ? n * G_USEC_PER_SEC / usec : 0;
}

static void
bench_paging (void)
{
  const int max_tries = 3;
  int days = PAGING_FIRST_DAYS;
  gint64 n = 0, backfill_usec = 0;
  PageRun big[2], small[2];
  Http *h;

  for (int attempt = 1; attempt <= max_tries; attempt++)
    {
      g_autofree char *days_arg = g_strdup_printf ("%d", days);
      const char *args[] = { "--simulate", "--speed", "1", "--seed", "1", "--history-days",
                             days_arg, NULL };
      gint64 start = g_get_monotonic_time ();

      fprintf (stderr, "# paging: starting the server with --history-days %d\n", days);
      server = gw_test_dispatchd_start (args);
      backfill_usec = g_get_monotonic_time () - start;
      n = health_incidents ();
      if (n >= PAGING_MIN_INCIDENTS)
        break;
      fprintf (stderr, "# paging: only %" G_GINT64_FORMAT " incidents\n", n);
      g_clear_pointer (&server, gw_test_dispatchd_free);
      if (attempt == max_tries || n == 0)
        die ("the simulator back-filled %" G_GINT64_FORMAT " incidents over %d days", n, days);
      days = (int) (days * 1.1 * PAGING_MIN_INCIDENTS / n) + 1;
    }

  section (s ("1. Snapshot paging of GET /api/v1/incidents: %" G_GINT64_FORMAT
              " incidents (--simulate --seed 1 --history-days %d)", n, days));
  row ("", "measured: limit=1000", "baseline: limit=100");
  row ("server start incl. back-fill (s)", s ("%.1f", backfill_usec / 1e6), NULL);
  rss_row ("after back-fill");

  h = http_connect (server_port ());
  fprintf (stderr, "# paging: warm-up pass\n");
  page_through (h, 1000, FALSE);
  fprintf (stderr, "# paging: measuring\n");
  big[1] = page_through (h, 1000, TRUE);
  big[0] = page_through_median (h, 1000);
  small[1] = page_through (h, 100, TRUE);
  small[0] = page_through_median (h, 100);
  http_free (h);

  row ("transfer only, incidents/s (median of 3)", s ("%.0f", per_second (big[0].items, big[0].usec)),
       s ("%.0f", per_second (small[0].items, small[0].usec)));
  row ("transfer + json-glib parse, incidents/s", s ("%.0f", per_second (big[1].items, big[1].usec)),
       s ("%.0f", per_second (small[1].items, small[1].usec)));
  row ("transfer only, wall time (s)", s ("%.2f", big[0].usec / 1e6), s ("%.2f", small[0].usec / 1e6));
  row ("transfer + parse, wall time (s)", s ("%.2f", big[1].usec / 1e6), s ("%.2f", small[1].usec / 1e6));
  row ("transfer only, MiB/s", s ("%.1f", mib (big[0].bytes) * 1e6 / big[0].usec),
       s ("%.1f", mib (small[0].bytes) * 1e6 / small[0].usec));
  row ("pages", s ("%u", big[1].pages), s ("%u", small[1].pages));
  row ("incidents seen (parse pass / transfer pass)",
       s ("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, big[1].items, big[0].items),
       s ("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, small[1].items, small[0].items));
  row ("bytes (parsed pass)", s ("%" G_GUINT64_FORMAT " (%.1f MiB)", big[1].bytes, mib (big[1].bytes)),
       s ("%" G_GUINT64_FORMAT " (%.1f MiB)", small[1].bytes, mib (small[1].bytes)));
  note ("one keep-alive connection, one request at a time, after an untimed warm-up pass;");
  note ("the simulator keeps running at speed 1, so a case may arrive between passes.");
  rss_row ("after paging");

  gw_test_dispatchd_stop (server);   /* asserts a clean exit */
  g_clear_pointer (&server, gw_test_dispatchd_free);
}

/* ---- 2. event-stream latency ---- */

typedef struct _Sse Sse;

typedef struct {
  Sse          *sse;
  guint         index;
  SoupMessage  *msg;
  GInputStream *stream;
  GString      *pending;   /* bytes of an incomplete frame */
  gboolean      live;      /* got the server's opening comment */
  char          buf[16384];
} SseClient;

struct _Sse {
  guint16       port;
  const char   *tag;       /* prefix of this run's incident ids */
  const char   *class_code;
  double        lon, lat;
  guint         n_clients;
  guint         n_events;
  SseClient    *clients;
  GCancellable *cancel;
  guint         n_live, n_ended;
  guint64       n_received;
  gint64       *sent;      /* [event]: real time just before the POST, µs */
  gint64       *post_usec; /* [event]: POST round trip */
  gint64       *recv;      /* [client * n_events + event]: real time of arrival, 0 = none */
  gint64        send_usec;
  int           sender_done;
  GString      *errors;
};

static void
sse_frame (SseClient  *c,
           const char *frame,
           gint64      now)
{
  Sse *sse = c->sse;
  g_autofree char *needle = g_strdup_printf ("\"id\":\"%s", sse->tag);
  const char *p;
  guint64 event;

  if (!c->live)
    {
      c->live = TRUE;
      sse->n_live++;
    }
  if (!g_str_has_prefix (frame, "data:") && strstr (frame, "\ndata:") == NULL)
    return;   /* comments: connected, heartbeat */
  if ((p = strstr (frame, needle)) == NULL)
    return;
  event = g_ascii_strtoull (p + strlen (needle), NULL, 10);
  if (event < sse->n_events && sse->recv[c->index * sse->n_events + event] == 0)
    {
      sse->recv[c->index * sse->n_events + event] = now;
      sse->n_received++;
    }
}

static void sse_read (SseClient *c);

static void
sse_end (SseClient  *c,
         const char *why)
{
  if (why != NULL && c->sse->errors->len < 2000)
    g_string_append_printf (c->sse->errors, "stream %u: %s\n", c->index, why);
  c->sse->n_ended++;
}

static void
sse_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SseClient *c = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  gint64 now = g_get_real_time ();
  char *end;

  if (n <= 0)
    {
      sse_end (c, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL
                  : error ? error->message : "the server ended the stream");
      return;
    }
  g_string_append_len (c->pending, c->buf, n);
  while ((end = strstr (c->pending->str, "\n\n")) != NULL)
    {
      *end = '\0';
      sse_frame (c, c->pending->str, now);
      g_string_erase (c->pending, 0, end + 2 - c->pending->str);
    }
  sse_read (c);
}

static void
sse_read (SseClient *c)
{
  g_input_stream_read_async (c->stream, c->buf, sizeof c->buf, G_PRIORITY_DEFAULT,
                             c->sse->cancel, sse_read_cb, c);
}

static void
sse_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SseClient *c = user_data;
  g_autoptr(GError) error = NULL;

  c->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (c->stream == NULL)
    sse_end (c, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL
                : error->message);
  else if (soup_message_get_status (c->msg) != SOUP_STATUS_OK)
    sse_end (c, s ("HTTP %u", soup_message_get_status (c->msg)));
  else
    sse_read (c);
}

static char *
rfc3339_usec (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
  g_autofree char *whole = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%06dZ", whole, (int) (t % G_USEC_PER_SEC));
}

/* POSTs one report every 1/SSE_RATE s on its own connection. */
static gpointer
sse_sender (gpointer data)
{
  Sse *sse = data;
  Http *h = http_connect (sse->port);
  char lon[G_ASCII_DTOSTR_BUF_SIZE], lat[G_ASCII_DTOSTR_BUF_SIZE];
  gint64 start = g_get_monotonic_time ();

  g_ascii_formatd (lon, sizeof lon, "%.6f", sse->lon);
  g_ascii_formatd (lat, sizeof lat, "%.6f", sse->lat);
  for (guint i = 0; i < sse->n_events; i++)
    {
      gint64 wait = start + (gint64) i * G_USEC_PER_SEC / SSE_RATE - g_get_monotonic_time ();
      g_autoptr(GBytes) resp = NULL;
      g_autofree char *when = NULL, *body = NULL;
      gint64 t0;
      guint status;

      if (wait > 0)
        g_usleep (wait);
      sse->sent[i] = g_get_real_time ();
      t0 = g_get_monotonic_time ();
      when = rfc3339_usec (sse->sent[i]);
      body = g_strdup_printf ("{\"id\":\"%s%06u\",\"title\":\"bench %u\",\"class\":\"%s\","
                              "\"source\":\"app\",\"location\":{\"lon\":%s,\"lat\":%s},"
                              "\"address\":\"\",\"received_at\":\"%s\"}",
                              sse->tag, i, i, sse->class_code, lon, lat, when);
      status = http_request (h, "POST", "/api/v1/incidents", NULL, body, &resp, NULL);
      sse->post_usec[i] = g_get_monotonic_time () - t0;
      if (status != 201)
        die ("POST /api/v1/incidents: HTTP %u %.300s", status,
             (const char *) g_bytes_get_data (resp, NULL));
    }
  sse->send_usec = g_get_monotonic_time () - start;
  http_free (h);
  g_atomic_int_set (&sse->sender_done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
tick_cb (G_GNUC_UNUSED gpointer user_data)
{
  return G_SOURCE_CONTINUE;   /* wakes the loops below to check their clocks */
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array, in ms. */
static double
percentile_ms (GArray *sorted,
               double  p)
{
  guint rank = (guint) MAX (1.0, (p / 100.0 * sorted->len) + 0.999999);

  if (sorted->len == 0)
    return NAN;
  return g_array_index (sorted, gint64, MIN (rank, sorted->len) - 1) / 1000.0;
}

typedef struct {
  guint   n_live;
  guint64 received, expected;
  double  p50, p95, p99, max;
  double  post_p50, post_p95;
  double  rate;
} SseResult;

static SseResult
run_sse (guint       n_clients,
         const char *tag,
         const char *class_code,
         double      lon,
         double      lat)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options (
    "max-conns", n_clients + 16, "max-conns-per-host", n_clients + 16, "timeout", 0, NULL);
  g_autofree char *uri = g_strconcat (server->url, "/api/v1/events", NULL);
  g_autoptr(GArray) lat_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) post_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  Sse sse = { .port = server_port (), .tag = tag, .class_code = class_code, .lon = lon,
              .lat = lat, .n_clients = n_clients, .n_events = SSE_RATE * SSE_SECONDS };
  SseResult r = { 0 };
  GThread *sender;
  gint64 deadline;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  sse.clients = g_new0 (SseClient, n_clients);
  sse.cancel = g_cancellable_new ();
  sse.sent = g_new0 (gint64, sse.n_events);
  sse.post_usec = g_new0 (gint64, sse.n_events);
  sse.recv = g_new0 (gint64, (gsize) n_clients * sse.n_events);
  sse.errors = g_string_new (NULL);

  fprintf (stderr, "# sse: opening %u streams\n", n_clients);
  for (guint i = 0; i < n_clients; i++)
    {
      SseClient *c = &sse.clients[i];

      c->sse = &sse;
      c->index = i;
      c->pending = g_string_new (NULL);
      c->msg = soup_message_new ("GET", uri);
      soup_message_headers_replace (soup_message_get_request_headers (c->msg), "Accept",
                                    "text/event-stream");
      soup_session_send_async (session, c->msg, G_PRIORITY_DEFAULT, sse.cancel, sse_sent_cb, c);
    }
  deadline = g_get_monotonic_time () + SSE_CONNECT_SECONDS * G_USEC_PER_SEC;
  while (sse.n_live + sse.n_ended < n_clients && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (sse.n_live == 0)
    die ("no event stream opened within %d s:\n%s", SSE_CONNECT_SECONDS, sse.errors->str);

  fprintf (stderr, "# sse: %u streams live; posting %u reports at %d/s\n", sse.n_live,
           sse.n_events, SSE_RATE);
  sender = g_thread_new ("sender", sse_sender, &sse);
  while (!g_atomic_int_get (&sse.sender_done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (sender);   /* sent[] is complete and visible from here on */

  deadline = g_get_monotonic_time () + SSE_DRAIN_SECONDS * G_USEC_PER_SEC;
  while (sse.n_received < (guint64) sse.n_live * sse.n_events &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_cancellable_cancel (sse.cancel);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (sse.n_ended < n_clients && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (sse.n_ended < n_clients)
    die ("%u event streams did not end after cancelling", n_clients - sse.n_ended);
  soup_session_abort (session);
  g_source_remove (tick);

  for (guint c = 0; c < n_clients; c++)
    for (guint e = 0; e < sse.n_events; e++)
      if (sse.recv[c * sse.n_events + e] != 0)
        {
          gint64 l = sse.recv[c * sse.n_events + e] - sse.sent[e];
          g_array_append_val (lat_us, l);
        }
  g_array_append_vals (post_us, sse.post_usec, sse.n_events);
  g_array_sort (lat_us, compare_gint64);
  g_array_sort (post_us, compare_gint64);

  r.n_live = sse.n_live;
  r.received = sse.n_received;
  r.expected = (guint64) sse.n_live * sse.n_events;
  r.p50 = percentile_ms (lat_us, 50);
  r.p95 = percentile_ms (lat_us, 95);
  r.p99 = percentile_ms (lat_us, 99);
  r.max = percentile_ms (lat_us, 100);
  r.post_p50 = percentile_ms (post_us, 50);
  r.post_p95 = percentile_ms (post_us, 95);
  r.rate = per_second (sse.n_events, sse.send_usec);
  if (sse.errors->len > 0)
    fprintf (stderr, "# sse (%u clients) stream errors:\n%s", n_clients, sse.errors->str);

  for (guint i = 0; i < n_clients; i++)
    {
      g_clear_object (&sse.clients[i].stream);
      g_object_unref (sse.clients[i].msg);
      g_string_free (sse.clients[i].pending, TRUE);
    }
  g_free (sse.clients);
  g_free (sse.sent);
  g_free (sse.post_usec);
  g_free (sse.recv);
  g_string_free (sse.errors, TRUE);
  g_object_unref (sse.cancel);
  return r;
}

/* A report's class and a location inside the first cell, from the reference data. */
static void
pick_report_target (char  **class_code,
                    double *lon,
                    double *lat)
{
  g_autoptr(JsonNode) classes = gw_test_get_json (server, "/api/v1/classes");
  g_autoptr(JsonNode) cells = gw_test_get_json (server, "/api/v1/cells");
  JsonArray *items = json_object_get_array_member (json_node_get_object (classes), "items");
  JsonArray *features = json_object_get_array_member (json_node_get_object (cells), "features");
  JsonObject *geometry;
  JsonArray *ring;
  guint n;

  if (json_array_get_length (items) == 0 || json_array_get_length (features) == 0)
    die ("--demo-street has no classes or no cells");
  *class_code = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                         "code"));
  geometry = json_object_get_object_member (json_array_get_object_element (features, 0),
                                            "geometry");
  ring = json_array_get_array_element (json_object_get_array_member (geometry, "coordinates"), 0);
  n = json_array_get_length (ring) - 1;   /* the ring is closed */
  *lon = *lat = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonArray *pos = json_array_get_array_element (ring, i);
      *lon += json_array_get_double_element (pos, 0) / n;
      *lat += json_array_get_double_element (pos, 1) / n;
    }
}

static void
bench_sse (void)
{
  g_autofree char *class_code = NULL;
  double lon, lat;
  SseResult one, many;

  row ("", s ("measured: %d clients", SSE_CLIENTS), "baseline: 1 client");
  pick_report_target (&class_code, &lon, &lat);
  one = run_sse (1, "sse1-", class_code, lon, lat);
  rss_row ("after 1 stream");
  many = run_sse (SSE_CLIENTS, "sse200-", class_code, lon, lat);

  row ("streams open", s ("%u", many.n_live), s ("%u", one.n_live));
  row ("latency p50 (ms)", s ("%.2f", many.p50), s ("%.2f", one.p50));
  row ("latency p95 (ms)", s ("%.2f", many.p95), s ("%.2f", one.p95));
  row ("latency p99 (ms)", s ("%.2f", many.p99), s ("%.2f", one.p99));
  row ("latency max (ms)", s ("%.2f", many.max), s ("%.2f", one.max));
  row ("events delivered / expected", s ("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                                         many.received, many.expected),
       s ("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, one.received, one.expected));
  row ("reports posted per second (target 50)", s ("%.1f", many.rate), s ("%.1f", one.rate));
  row ("POST round trip p50 / p95 (ms)", s ("%.2f / %.2f", many.post_p50, many.post_p95),
       s ("%.2f / %.2f", one.post_p50, one.post_p95));
  note ("latency = client's arrival time - bench's clock just before writing the POST, so it");
  note ("includes the POST's parsing, the SQLite commit and the fan-out; one bench thread reads");
  note ("all streams (libsoup async), another posts; loopback, server and bench share the CPUs.");
  rss_row (s ("after %d streams", SSE_CLIENTS));
}

/* ---- 3. conditional GETs ---- */

typedef struct {
  guint16     port;
  const char *headers;
  guint       expect;
  gint64      deadline;
  guint64     count;
  guint64     bytes;
} Hammer;

static gpointer
hammer_thread (gpointer data)
{
  Hammer *hm = data;
  Http *h = http_connect (hm->port);

  while (g_get_monotonic_time () < hm->deadline)
    {
      g_autoptr(GBytes) body = NULL;
      guint status = http_request (h, "GET", "/api/v1/cells", hm->headers, NULL, &body, NULL);

      if (status != hm->expect)
        die ("GET /api/v1/cells: HTTP %u, expected %u", status, hm->expect);
      hm->count++;
      hm->bytes += g_bytes_get_size (body);
    }
  http_free (h);
  return NULL;
}

static double
hammer (const char *headers,
        guint       expect,
        guint64    *bytes)
{
  Hammer hm[ETAG_CONNS];
  GThread *threads[ETAG_CONNS];
  gint64 start = g_get_monotonic_time ();
  guint64 count = 0;

  *bytes = 0;
  for (guint i = 0; i < ETAG_CONNS; i++)
    {
      hm[i] = (Hammer) { .port = server_port (), .headers = headers, .expect = expect,
                         .deadline = start + ETAG_SECONDS * G_USEC_PER_SEC };
      threads[i] = g_thread_new ("hammer", hammer_thread, &hm[i]);
    }
  for (guint i = 0; i < ETAG_CONNS; i++)
    {
      g_thread_join (threads[i]);
      count += hm[i].count;
      *bytes += hm[i].bytes;
    }
  return per_second (count, g_get_monotonic_time () - start);
}

static void
bench_etag (void)
{
  g_autofree char *etag = NULL;
  g_autofree char *inm = NULL;
  guint64 bytes_304, bytes_200;
  double rate_304, rate_200;
  Http *h = http_connect (server_port ());
  g_autoptr(GBytes) body = NULL;
  guint status = http_request (h, "GET", "/api/v1/cells", NULL, NULL, &body, &etag);

  http_free (h);
  if (status != 200 || etag == NULL)
    die ("GET /api/v1/cells: HTTP %u, ETag %s", status, etag ? etag : "missing");
  inm = g_strdup_printf ("If-None-Match: %s\r\n", etag);

  fprintf (stderr, "# etag: %d connections, %d s each way\n", ETAG_CONNS, ETAG_SECONDS);
  rate_200 = hammer (NULL, 200, &bytes_200);
  rate_304 = hammer (inm, 304, &bytes_304);

  row ("", "measured: 304", "baseline: full 200");
  row ("responses/s", s ("%.0f", rate_304), s ("%.0f", rate_200));
  row ("body bytes per response", "0", s ("%zu", g_bytes_get_size (body)));
  row ("body MiB/s", s ("%.1f", mib (bytes_304) / ETAG_SECONDS), s ("%.1f", mib (bytes_200) / ETAG_SECONDS));
  note (s ("ETag %s; each connection sends its next request when the last is answered.", etag));
  rss_row ("after the GETs");
}

int
main (void)
{
  const char *demo_args[] = { "--demo-street", "--max-streams", "1000", NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%F %T %z");
  gint64 start = g_get_monotonic_time ();

  if (g_getenv ("GW_DISPATCHD") == NULL)
    die ("set GW_DISPATCHD to the gridwatch-dispatchd binary");
  pool = g_ptr_array_new_with_free_func (g_free);
  report = g_string_new (NULL);

  bench_paging ();

  fprintf (stderr, "# starting the server with --demo-street\n");
  server = gw_test_dispatchd_start (demo_args);
  section (s ("2. Event stream latency, commit to delivery: %d reports at %d/s, GET /api/v1/events"
              " (--demo-street --max-streams 1000)", SSE_RATE * SSE_SECONDS, SSE_RATE));
  rss_row ("idle, before any stream");
  bench_sse ();
  section (s ("3. GET /api/v1/cells, %d keep-alive connections for %d s (same server)", ETAG_CONNS,
              ETAG_SECONDS));
  bench_etag ();
  gw_test_dispatchd_stop (server);
  g_clear_pointer (&server, gw_test_dispatchd_free);

  printf ("\ngridwatch-dispatchd benchmark, %s\nserver: %s\n(4. server RSS is given per phase)\n%s"
          "\ntotal run time: %.0f s\n", date, g_getenv ("GW_DISPATCHD"), report->str,
          (g_get_monotonic_time () - start) / 1e6);
  g_string_free (report, TRUE);
  g_ptr_array_unref (pool);
  return 0;
}
