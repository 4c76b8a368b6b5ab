/* test-api.c — every Dispatch API endpoint over loopback against the real server */

#include <string.h>

#include "gw-codec.h"
#include "gw-test-dispatchd.h"

static const char * const demo_args[] = { "--demo-street", "--token", "s3cret", NULL };

typedef struct {
  GwTestDispatchd *server;
  char            *class_code;
  char            *cell_code;
  double           lon, lat;    /* a point inside @cell_code */
} Fixture;

static void
fixture_set_up_with (Fixture            *f,
                     const char * const *args)
{
  g_autoptr(JsonNode) cells = NULL;
  g_autoptr(JsonNode) classes = NULL;
  g_autoptr(GwCell) cell = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *features;

  f->server = gw_test_dispatchd_start (args);
  f->server->token = g_strdup ("s3cret");

  cells = gw_test_get_json (f->server, "/api/v1/cells");
  features = json_object_get_array_member (json_node_get_object (cells), "features");
  cell = gw_cell_from_json (json_array_get_element (features, 0), &error);
  g_assert_no_error (error);
  f->cell_code = g_strdup (cell->code);
  gw_cell_get_centroid (cell, &f->lon, &f->lat);
  g_assert_true (gw_cell_contains (cell, f->lon, f->lat));

  classes = gw_test_get_json (f->server, "/api/v1/classes");
  f->class_code = g_strdup (json_object_get_string_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (classes), "items"), 0), "code"));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with (f, data ? data : demo_args);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, gw_test_dispatchd_free);
  g_free (f->class_code);
  g_free (f->cell_code);
}

static char *
report_json (Fixture    *f,
             const char *id,
             const char *title)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"title\":\"%s\",\"class\":\"%s\",\"source\":\"hotline\","
                          "\"location\":{\"lon\":%.7f,\"lat\":%.7f},\"address\":\"桐柏路 12 号\","
                          "\"received_at\":\"2026-11-25T08:00:00Z\"}",
                          id, title, f->class_code, f->lon, f->lat);
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Asserts a problem+json answer with @status and @slug; returns its detail. */
static char *
assert_problem (GBytes             *bytes,
                guint               status,
                guint               want_status,
                const char         *slug,
                SoupMessageHeaders *headers)
{
  g_autoptr(JsonObject) obj = parse_object (bytes);
  g_autofree char *type = g_strconcat ("https://gridwatch.org/problems/", slug, NULL);

  g_assert_cmpuint (status, ==, want_status);
  if (headers != NULL)
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==,
                     "application/problem+json");
  g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, type);
  g_assert_cmpint (json_object_get_int_member (obj, "status"), ==, want_status);
  return g_strdup (json_object_get_string_member (obj, "detail"));
}

static GwIncident *
post_report (Fixture    *f,
             const char *id,
             guint       want_status)
{
  g_autofree char *body = report_json (f, id, "垃圾满溢");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GwIncident *incident;
  guint status;

  bytes = gw_test_http (f->server, "POST", "/api/v1/incidents", body, &status, NULL);
  g_assert_cmpuint (status, ==, want_status);
  obj = parse_object (bytes);
  node = json_node_init_object (json_node_alloc (), obj);
  incident = gw_incident_from_json (node, &error);
  g_assert_no_error (error);
  return incident;
}

static guint
post_event (Fixture    *f,
            const char *incident_id,
            const char *event_json,
            char      **detail_out,
            const char *want_slug)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%s/events", incident_id);
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = gw_test_http (f->server, "POST", path, event_json, &status, NULL);
  if (want_slug != NULL)
    {
      g_autofree char *detail = NULL;
      detail = assert_problem (bytes, status, status, want_slug, NULL);
      if (detail_out)
        *detail_out = g_steal_pointer (&detail);
    }
  return status;
}

static void
test_health_and_auth (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) health = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *detail = NULL;
  guint status;

  g_clear_pointer (&f->server->token, g_free);
  bytes = gw_test_http (f->server, "GET", "/api/v1/health", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  health = parse_object (bytes);
  g_assert_cmpstr (json_object_get_string_member (health, "status"), ==, "ok");
  g_assert_true (json_object_has_member (health, "seq"));
  g_clear_pointer (&bytes, g_bytes_unref);

  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents", NULL, &status, &headers);
  detail = assert_problem (bytes, status, 401, "unauthorized", headers);
  g_assert_nonnull (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);

  f->server->token = g_strdup ("s3cre");
  bytes = gw_test_http (f->server, "GET", "/api/v1/cells", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 401, "unauthorized", NULL);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);

  /* A wrong token is refused before any body is read. */
  bytes = gw_test_http (f->server, "POST", "/api/v1/incidents", "{}", &status, NULL);
  detail = assert_problem (bytes, status, 401, "unauthorized", NULL);
}

static void
test_reference_etag (Fixture       *f,
                     gconstpointer  data)
{
  const char *paths[] = { "/api/v1/cells", "/api/v1/departments", "/api/v1/classes" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(JsonObject) obj = NULL;
      const char *etag;
      const char *inm[3] = { "If-None-Match", NULL, NULL };
      guint status;

      bytes = gw_test_http (f->server, "GET", paths[i], NULL, &status, &headers);
      g_assert_cmpuint (status, ==, 200);
      obj = parse_object (bytes);
      if (i == 0)
        {
          JsonArray *features = json_object_get_array_member (obj, "features");
          g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "FeatureCollection");
          g_assert_cmpuint (json_array_get_length (features), >=, 30);
          g_assert_cmpuint (json_array_get_length (features), <=, 60);
        }
      else
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "items")), >, 5);

      etag = soup_message_headers_get_one (headers, "ETag");
      g_assert_nonnull (etag);
      inm[1] = etag;
      again = gw_test_http_full (f->server, "GET", paths[i], NULL, NULL, 0, inm, &status, NULL);
      g_assert_cmpuint (status, ==, 304);
      g_assert_cmpuint (g_bytes_get_size (again), ==, 0);
    }
}

static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GwIncident) created = post_report (f, "case-1", 201);
  g_autoptr(GwIncident) again = post_report (f, "case-1", 200);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *body = NULL;
  g_autofree char *detail = NULL;
  guint status;

  g_assert_cmpstr (created->id, ==, "case-1");
  g_assert_cmpint (created->stage, ==, GW_STAGE_RECEIVED);
  g_assert_cmpstr (created->cell_code, ==, f->cell_code);
  g_assert_nonnull (created->department);
  g_assert_cmpint (created->deadline, >, created->received_at);
  g_assert_cmpuint (created->timeline->len, ==, 1);
  g_assert_true (gw_incident_equal (created, again));

  /* Same id, other content. */
  body = report_json (f, "case-1", "占道经营");
  bytes = gw_test_http (f->server, "POST", "/api/v1/incidents", body, &status, NULL);
  detail = assert_problem (bytes, status, 409, "conflict", NULL);
  g_assert_nonnull (strstr (detail, "case-1"));
}

typedef struct {
  const char *body;
  const char *content_type;
  guint       status;
  const char *slug;
  const char *field;     /* expected "field" member, or NULL */
} BadReport;

static void
test_report_rejects (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *unknown_class = g_strdup_printf (
    "{\"title\":\"x\",\"class\":\"9999\",\"source\":\"patrol\","
    "\"location\":{\"lon\":%f,\"lat\":%f},\"address\":\"\"}", f->lon, f->lat);
  const BadReport cases[] = {
    { "{\"title\": ", NULL, 400, "bad-request", NULL },
    { "[1,2]", NULL, 400, "bad-request", NULL },
    { "{\"title\":5,\"class\":\"0101\",\"source\":\"patrol\",\"location\":{\"lon\":113.6,\"lat\":34.7},\"address\":\"\"}",
      NULL, 400, "bad-request", "title" },
    { "{\"class\":\"0101\",\"source\":\"patrol\",\"location\":{\"lon\":113.6,\"lat\":34.7},\"address\":\"\"}",
      NULL, 400, "bad-request", "title" },
    { "{\"title\":\"x\",\"class\":\"0101\",\"source\":\"telepathy\",\"location\":{\"lon\":113.6,\"lat\":34.7},\"address\":\"\"}",
      NULL, 400, "bad-request", "source" },
    { "{\"title\":\"x\",\"class\":\"0101\",\"source\":\"patrol\",\"location\":{\"lon\":113.6,\"lat\":94.7},\"address\":\"\"}",
      NULL, 400, "bad-request", "location.lat" },
    { "{\"title\":\"x\",\"class\":\"0101\",\"source\":\"patrol\",\"location\":{\"lon\":113.6,\"lat\":34.7},\"address\":\"\",\"colour\":\"red\"}",
      NULL, 400, "bad-request", "colour" },
    { "{\"title\":\"x\",\"class\":\"0101\",\"source\":\"patrol\",\"location\":{\"lon\":113.6,\"lat\":34.7},\"address\":\"\",\"stage\":\"closed\"}",
      NULL, 400, "bad-request", "stage" },
    { "{\"title\":\"x\",\"class\":\"0101\",\"source\":\"patrol\",\"location\":{\"lon\":113.6,\"lat\":34.7},\"address\":\"\",\"received_at\":\"yesterday\"}",
      NULL, 400, "bad-request", "received_at" },
    { unknown_class, NULL, 400, "bad-request", "class" },
    { "{}", "text/plain", 415, "unsupported-media-type", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(JsonObject) obj = NULL;
      g_autofree char *detail = NULL;
      guint status;

      bytes = gw_test_http_full (f->server, "POST", "/api/v1/incidents", cases[i].content_type,
                                 cases[i].body, strlen (cases[i].body), NULL, &status, NULL);
      detail = assert_problem (bytes, status, cases[i].status, cases[i].slug, NULL);
      obj = parse_object (bytes);
      if (cases[i].field != NULL)
        {
          g_assert_cmpstr (json_object_get_string_member_with_default (obj, "field", ""), ==,
                           cases[i].field);
          g_assert_true (g_str_has_prefix (detail, cases[i].field));
        }
    }

  /* Nothing of the above was stored. */
  {
    g_autoptr(JsonNode) page = gw_test_get_json (f->server, "/api/v1/incidents");
    JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 0);
  }
}

static void
test_oversized (Fixture       *f,
                gconstpointer  data)
{
  gsize len = 70 * 1024;
  g_autofree char *big = g_malloc (len);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *detail = NULL;
  guint status;

  memset (big, ' ', len);
  big[0] = '{';
  big[len - 1] = '}';
  bytes = gw_test_http_full (f->server, "POST", "/api/v1/incidents", NULL, big, len, NULL,
                             &status, NULL);
  detail = assert_problem (bytes, status, 413, "payload-too-large", NULL);
}

static void
test_stage_events (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GwIncident) created = post_report (f, "case-2", 201);
  g_autofree char *detail = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *registered =
    "{\"id\":\"e1\",\"stage\":\"registered\",\"time\":\"2026-11-25T08:05:00Z\",\"actor\":\"值班员\"}";

  g_assert_cmpuint (post_event (f, "case-2", registered, NULL, NULL), ==, 201);
  /* Re-posting the same event is harmless. */
  g_assert_cmpuint (post_event (f, "case-2", registered, NULL, NULL), ==, 200);
  /* Same id, other content. */
  g_assert_cmpuint (post_event (f, "case-2",
    "{\"id\":\"e1\",\"stage\":\"registered\",\"time\":\"2026-11-25T08:06:00Z\"}",
    NULL, "conflict"), ==, 409);
  /* Earlier than the last event. */
  g_assert_cmpuint (post_event (f, "case-2",
    "{\"id\":\"e2\",\"stage\":\"dispatched\",\"time\":\"2026-11-25T07:00:00Z\",\"department\":\"chengguan\"}",
    NULL, "out-of-order"), ==, 409);
  /* Closing a registered case straight away is allowed; verifying before dispatch is not. */
  g_assert_cmpuint (post_event (f, "case-2",
    "{\"id\":\"e3\",\"stage\":\"reported_done\",\"time\":\"2026-11-25T08:10:00Z\"}",
    &detail, "invalid-transition"), ==, 409);
  g_assert_cmpuint (post_event (f, "case-2",
    "{\"id\":\"e4\",\"stage\":\"dispatched\",\"time\":\"2026-11-25T08:10:00Z\",\"department\":\"no-such\"}",
    NULL, "bad-request"), ==, 400);
  g_assert_cmpuint (post_event (f, "case-2",
    "{\"id\":\"e5\",\"stage\":\"warp\",\"time\":\"2026-11-25T08:10:00Z\"}",
    NULL, "bad-request"), ==, 400);
  g_assert_cmpuint (post_event (f, "no-such-case", registered, NULL, "not-found"), ==, 404);

  node = gw_test_get_json (f->server, "/api/v1/incidents/case-2");
  stored = gw_incident_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->stage, ==, GW_STAGE_REGISTERED);
  g_assert_cmpuint (stored->timeline->len, ==, 2);
  g_assert_cmpint (stored->seq, >, created->seq);
}

static GPtrArray *
collect_ids (Fixture    *f,
             const char *query,
             guint       limit,
             guint      *n_pages)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  gint64 seq = -1;

  *n_pages = 0;
  do
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/incidents?limit=%u%s%s%s%s", limit,
                                               query ? "&" : "", query ? query : "",
                                               cursor ? "&cursor=" : "", cursor ? cursor : "");
      g_autoptr(JsonNode) page = gw_test_get_json (f->server, path);
      JsonObject *obj = json_node_get_object (page);
      JsonArray *items = json_object_get_array_member (obj, "items");

      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
          json_array_get_object_element (items, i), "id")));
      /* Every page of one snapshot names the same resume point. */
      if (seq >= 0)
        g_assert_cmpint (json_object_get_int_member (obj, "seq"), ==, seq);
      seq = json_object_get_int_member (obj, "seq");
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member_with_default (obj, "next_cursor", NULL));
      (*n_pages)++;
    }
  while (cursor != NULL);
  return ids;
}

static void
test_paging_and_filters (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) dispatched = NULL;
  g_autoptr(GPtrArray) in_cell = NULL;
  g_autoptr(GPtrArray) far_box = NULL;
  g_autoptr(GPtrArray) early = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *cell_query = NULL;
  guint pages, status;

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *id = g_strdup_printf ("page-%02u", i);
      g_autoptr(GwIncident) incident = post_report (f, id, 201);
      if (i % 5 == 0)
        {
          g_autofree char *ev = g_strdup_printf ("{\"id\":\"r\",\"stage\":\"registered\",\"time\":\"2026-11-25T08:01:00Z\"}");
          g_autofree char *dv = g_strdup_printf ("{\"id\":\"d\",\"stage\":\"dispatched\",\"time\":\"2026-11-25T08:02:00Z\",\"department\":\"chengguan\"}");
          g_assert_cmpuint (post_event (f, id, ev, NULL, NULL), ==, 201);
          g_assert_cmpuint (post_event (f, id, dv, NULL, NULL), ==, 201);
        }
    }

  all = collect_ids (f, NULL, 10, &pages);
  g_assert_cmpuint (all->len, ==, 25);
  g_assert_cmpuint (pages, ==, 3);
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *want = g_strdup_printf ("page-%02u", i);
      g_assert_cmpstr (g_ptr_array_index (all, i), ==, want);
    }

  dispatched = collect_ids (f, "status=dispatched&department=chengguan", 100, &pages);
  g_assert_cmpuint (dispatched->len, ==, 5);
  g_clear_pointer (&dispatched, g_ptr_array_unref);
  dispatched = collect_ids (f, "status=received", 100, &pages);
  g_assert_cmpuint (dispatched->len, ==, 20);

  cell_query = g_strdup_printf ("cell=%s&status=open", f->cell_code);
  in_cell = collect_ids (f, cell_query, 7, &pages);
  g_assert_cmpuint (in_cell->len, ==, 25);
  far_box = collect_ids (f, "bbox=0,0,1,1", 100, &pages);
  g_assert_cmpuint (far_box->len, ==, 0);
  early = collect_ids (f, "to=2026-11-25T07:00:00Z", 100, &pages);
  g_assert_cmpuint (early->len, ==, 0);

  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents?cursor=bm9wZQ", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 400, "bad-request", NULL);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);
  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents?limit=0", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 400, "bad-request", NULL);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);
  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents?status=lost", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 400, "bad-request", NULL);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);
  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents?from=noon", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 400, "bad-request", NULL);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);
  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents/nope", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 404, "not-found", NULL);
}

static void
test_incident_etag (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GwIncident) created = post_report (f, "case-e", 201);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *etag = NULL;
  const char *inm[3] = { "If-None-Match", NULL, NULL };
  guint status;

  bytes = gw_test_http (f->server, "GET", "/api/v1/incidents/case-e", NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  inm[1] = etag;
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = gw_test_http_full (f->server, "GET", "/api/v1/incidents/case-e", NULL, NULL, 0, inm,
                             &status, NULL);
  g_assert_cmpuint (status, ==, 304);

  /* A change makes the old tag stale. */
  g_assert_cmpuint (post_event (f, "case-e",
    "{\"id\":\"r\",\"stage\":\"registered\",\"time\":\"2026-11-25T08:01:00Z\"}", NULL, NULL), ==, 201);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = gw_test_http_full (f->server, "GET", "/api/v1/incidents/case-e", NULL, NULL, 0, inm,
                             &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* Reads SSE frames from a live stream: returns the seqs of the next @n incident events. */
typedef struct {
  GInputStream     *body;
  GDataInputStream *lines;
  SoupMessage      *msg;
} Sse;

static Sse *
sse_open (Fixture    *f,
          const char *query,
          const char *last_event_id,
          guint      *status)
{
  g_autofree char *uri = g_strconcat (f->server->url, "/api/v1/events", query ? query : "", NULL);
  g_autoptr(GError) error = NULL;
  Sse *sse = g_new0 (Sse, 1);
  SoupMessageHeaders *req;

  sse->msg = soup_message_new ("GET", uri);
  req = soup_message_get_request_headers (sse->msg);
  soup_message_headers_replace (req, "Authorization", "Bearer s3cret");
  if (last_event_id != NULL)
    soup_message_headers_replace (req, "Last-Event-ID", last_event_id);
  sse->body = soup_session_send (f->server->session, sse->msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (sse->msg);
  sse->lines = g_data_input_stream_new (sse->body);
  return sse;
}

static void
sse_close (Sse *sse)
{
  g_input_stream_close (sse->body, NULL, NULL);
  g_clear_object (&sse->lines);
  g_clear_object (&sse->body);
  g_clear_object (&sse->msg);
  g_free (sse);
}

/* Next frame: returns its id (0 for a comment-only frame); sets *heartbeat for one. */
static gint64
sse_next (Sse      *sse,
          gboolean *heartbeat,
          char    **data)
{
  gint64 id = 0;

  *heartbeat = FALSE;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (sse->lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (line[0] == '\0')
        return id;
      if (g_str_has_prefix (line, "id: "))
        id = g_ascii_strtoll (line + 4, NULL, 10);
      else if (g_str_has_prefix (line, ": heartbeat"))
        *heartbeat = TRUE;
      else if (g_str_has_prefix (line, "data: ") && data != NULL)
        *data = g_strdup (line + 6);
    }
}

static gint64
sse_next_event (Sse   *sse,
                char **data)
{
  gboolean heartbeat;
  gint64 id;

  while ((id = sse_next (sse, &heartbeat, data)) == 0)
    ;
  return id;
}

static void
test_events_resume (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GwIncident) first = post_report (f, "sse-0", 201);
  g_autofree char *since = g_strdup_printf ("?since=%" G_GINT64_FORMAT, first->seq);
  g_autofree char *last_id = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  Sse *sse;
  guint status;
  gint64 last;

  sse = sse_open (f, since, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (
    soup_message_get_response_headers (sse->msg), NULL), ==, "text/event-stream");

  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *id = g_strdup_printf ("sse-%u", i);
      g_autoptr(GwIncident) incident = post_report (f, id, 201);
    }

  /* Take three, then cut the stream mid-feed. */
  last = first->seq;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GwIncident) incident = NULL;
      g_autoptr(GError) error = NULL;
      gint64 seq = sse_next_event (sse, &json);

      g_assert_cmpint (seq, ==, last + 1);
      node = gw_json_parse (json, -1, &error);
      g_assert_no_error (error);
      incident = gw_change_from_json (node, &seq, &error);
      g_assert_no_error (error);
      g_assert_cmpint (seq, ==, last + 1);
      last = seq;
    }
  sse_close (sse);

  /* Resume with Last-Event-ID: the rest, in order, none twice. */
  for (guint i = 7; i <= 8; i++)
    {
      g_autofree char *id = g_strdup_printf ("sse-%u", i);
      g_autoptr(GwIncident) incident = post_report (f, id, 201);
    }
  last_id = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  sse = sse_open (f, NULL, last_id, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < 5; i++)
    {
      gint64 seq = sse_next_event (sse, NULL);
      g_assert_cmpint (seq, ==, last + 1);
      last = seq;
    }
  sse_close (sse);
  g_assert_cmpint (last, ==, first->seq + 8);
}

static const char * const small_args[] = {
  "--demo-street", "--token", "s3cret", "--retain-changes", "4", "--heartbeat", "1",
  "--max-streams", "1", NULL
};

static void
test_gone_heartbeat_limit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autofree char *detail = NULL;
  gboolean heartbeat = FALSE;
  Sse *sse, *second;
  guint status;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("gone-%u", i);
      g_autoptr(GwIncident) incident = post_report (f, id, 201);
    }

  bytes = gw_test_http (f->server, "GET", "/api/v1/changes?since=0", NULL, &status, NULL);
  detail = assert_problem (bytes, status, 410, "gone", NULL);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&detail, g_free);
  sse = sse_open (f, "?since=0", NULL, &status);
  g_assert_cmpuint (status, ==, 410);
  sse_close (sse);

  /* Recent changes stay available. */
  changes = gw_test_get_json (f->server, "/api/v1/changes?since=19&limit=10");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (changes), "items")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (changes), "latest"), ==, 20);

  /* Live-only stream: the next frame is a heartbeat, within about a second. */
  sse = sse_open (f, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  while (!heartbeat)
    sse_next (sse, &heartbeat, NULL);

  second = sse_open (f, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 503);
  sse_close (second);
  sse_close (sse);
}

static void
test_restart_persists (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GwIncident) created = post_report (f, "keep-1", 201);
  g_autoptr(GwIncident) restored = NULL;
  g_autoptr(GwIncident) next = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (post_event (f, "keep-1",
    "{\"id\":\"r\",\"stage\":\"registered\",\"time\":\"2026-11-25T08:01:00Z\"}", NULL, NULL), ==, 201);

  gw_test_dispatchd_stop (f->server);
  gw_test_dispatchd_restart (f->server, demo_args);

  node = gw_test_get_json (f->server, "/api/v1/incidents/keep-1");
  restored = gw_incident_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (restored->stage, ==, GW_STAGE_REGISTERED);
  g_assert_cmpint (restored->seq, ==, created->seq + 1);

  /* The sequence goes on where it stopped. */
  next = post_report (f, "keep-2", 201);
  g_assert_cmpint (next->seq, ==, restored->seq + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, args) \
  g_test_add ("/api/" path, Fixture, args, fixture_set_up, func, fixture_tear_down)
  ADD ("health-auth", test_health_and_auth, NULL);
  ADD ("reference-etag", test_reference_etag, NULL);
  ADD ("report", test_report, NULL);
  ADD ("report-rejects", test_report_rejects, NULL);
  ADD ("oversized", test_oversized, NULL);
  ADD ("stage-events", test_stage_events, NULL);
  ADD ("paging-filters", test_paging_and_filters, NULL);
  ADD ("incident-etag", test_incident_etag, NULL);
  ADD ("events-resume", test_events_resume, NULL);
  ADD ("gone-heartbeat-limit", test_gone_heartbeat_limit, small_args);
  ADD ("restart-persists", test_restart_persists, NULL);
#undef ADD

  return g_test_run ();
}
