/* gw-dispatch-server.c — the Dispatch API over HTTP (SoupServer) */

#include "config.h"

#include "gw-dispatch-server.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gw-codec.h"
#include "gw-event-stream.h"
#include "gw-problem.h"
#include "gw-workflow.h"

#define API_PREFIX        "/api/v1"
#define DEFAULT_PAGE      200
#define MAX_PAGE          1000

struct _GwDispatchServer {
  GObject       parent_instance;

  GwDispatchDb *db;
  SoupServer   *soup;
  char         *token;
  guint         max_streams;
  guint         heartbeat_seconds;
  double        speed;

  GPtrArray    *streams;        /* GwEventStream*, owned */
  guint         heartbeat_id;
  gulong        changed_id;
};

G_DEFINE_FINAL_TYPE (GwDispatchServer, gw_dispatch_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_TOKEN,
  PROP_MAX_STREAMS,
  PROP_HEARTBEAT_SECONDS,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Takes @text. */
static void
set_json_text (SoupServerMessage *msg,
               guint              status,
               char              *text,
               gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          GString           *body)
{
  gsize len = body->len;

  set_json_text (msg, status, g_string_free (body, FALSE), len);
}

static void
set_json_node (SoupServerMessage *msg,
               guint              status,
               JsonNode          *node)
{
  char *text = gw_json_to_string (node);

  set_json_text (msg, status, text, strlen (text));
}

/* Answers 304 when the client already has @etag; otherwise sets the header. */
static gboolean
not_modified (SoupServerMessage *msg,
              const char        *etag)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *inm = soup_message_headers_get_one (req, "If-None-Match");

  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Cache-Control", "no-cache");
  if (inm != NULL && (strcmp (inm, "*") == 0 || strstr (inm, etag) != NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return TRUE;
    }
  return FALSE;
}

static gboolean
authorized (GwDispatchServer  *self,
            SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  const char *auth;
  gsize want, got;
  guint diff = 0;

  if (self->token == NULL || self->token[0] == '\0')
    return TRUE;
  auth = soup_message_headers_get_one (req, "Authorization");
  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return FALSE;
  auth += 7;
  /* Constant time in the token's length, so timing tells nothing about the prefix. */
  want = strlen (self->token);
  got = strlen (auth);
  for (gsize i = 0; i < want; i++)
    diff |= (guchar) self->token[i] ^ (guchar) (i < got ? auth[i] : 0);
  return diff == 0 && got == want;
}

static void
reject_unauthorized (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"gridwatch\"");
  gw_problem_respond (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                      "a valid bearer token is required", NULL);
}

/* Runs before the body is read, so oversized or unauthorised uploads cost nothing. */
static void
early_cb (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  GwDispatchServer *self = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  if (g_str_has_prefix (path, API_PREFIX "/health"))
    return;
  if (!authorized (self, msg))
    reject_unauthorized (msg);
  else if (soup_message_headers_get_encoding (req) == SOUP_ENCODING_CONTENT_LENGTH &&
           soup_message_headers_get_content_length (req) > GW_DISPATCH_MAX_BODY)
    gw_problem_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                        "request bodies are limited to 64 KiB", NULL);
}

/* Query helpers: each returns FALSE after answering 400 naming the parameter. */
static gboolean
query_int (SoupServerMessage *msg,
           GHashTable        *query,
           const char        *name,
           gint64             min,
           gint64             max,
           gint64            *out)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  g_autofree char *detail = NULL;
  gint64 value;

  if (text == NULL)
    return TRUE;
  if (g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      *out = value;
      return TRUE;
    }
  detail = g_strdup_printf ("%s: expected an integer from %" G_GINT64_FORMAT " to %"
                            G_GINT64_FORMAT, name, min, max);
  gw_problem_respond (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", detail, name);
  return FALSE;
}

static gboolean
query_time (SoupServerMessage *msg,
            GHashTable        *query,
            const char        *name,
            GwTime            *out)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  g_autofree char *detail = NULL;

  if (text == NULL || gw_time_parse_rfc3339 (text, out))
    return TRUE;
  detail = g_strdup_printf ("%s: not an RFC 3339 time with a zone", name);
  gw_problem_respond (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", detail, name);
  return FALSE;
}

static gboolean
parse_filter (SoupServerMessage *msg,
              GHashTable        *query,
              GwIncidentFilter  *filter)
{
  const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
  const char *bbox = query ? g_hash_table_lookup (query, "bbox") : NULL;

  if (status != NULL)
    {
      g_auto(GStrv) names = g_strsplit (status, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          GwStage stage;

          if (strcmp (names[i], "open") == 0 || strcmp (names[i], "closed") == 0)
            {
              gboolean want_closed = names[i][0] == 'c';
              for (stage = 0; stage < GW_N_STAGES; stage++)
                if (gw_stage_is_closed (stage) == want_closed)
                  filter->statuses |= 1u << stage;
            }
          else if (gw_stage_from_string (names[i], &stage))
            filter->statuses |= 1u << stage;
          else
            {
              g_autofree char *detail =
                g_strdup_printf ("status: unknown status '%s'", names[i]);
              gw_problem_respond (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", detail, "status");
              return FALSE;
            }
        }
    }

  if (bbox != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (bbox, ",", -1);
      double v[4];
      guint n = g_strv_length (parts);

      for (guint i = 0; i < n && i < 4; i++)
        {
          char *end = NULL;
          v[i] = g_ascii_strtod (parts[i], &end);
          if (end == parts[i] || *end != '\0')
            n = 0;
        }
      if (n != 4 || v[0] > v[2] || v[1] > v[3] ||
          v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90)
        {
          gw_problem_respond (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                              "bbox: expected min_lon,min_lat,max_lon,max_lat", "bbox");
          return FALSE;
        }
      filter->has_bbox = TRUE;
      filter->min_lon = v[0];
      filter->min_lat = v[1];
      filter->max_lon = v[2];
      filter->max_lat = v[3];
    }

  filter->cell = g_strdup (query ? g_hash_table_lookup (query, "cell") : NULL);
  filter->department = g_strdup (query ? g_hash_table_lookup (query, "department") : NULL);
  return query_time (msg, query, "from", &filter->from) &&
         query_time (msg, query, "to", &filter->to);
}

/* Cursors are opaque to clients: base64url of "v1:<rowid>:<snapshot seq>". */
static char *
cursor_encode (gint64 rowid,
               gint64 seq)
{
  g_autofree char *plain = g_strdup_printf ("v1:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                            rowid, seq);
  char *b64 = g_base64_encode ((const guchar *) plain, strlen (plain));

  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return b64;
}

static gboolean
cursor_decode (const char *cursor,
               gint64     *rowid,
               gint64     *seq)
{
  g_autoptr(GString) b64 = g_string_new (cursor);
  g_autofree guchar *plain = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len;

  if (b64->len == 0 || b64->len > 64 || strspn (cursor,
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != b64->len)
    return FALSE;
  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  plain = g_base64_decode (b64->str, &len);
  if (len == 0 || memchr (plain, '\0', len) != NULL)
    return FALSE;
  plain = g_realloc (plain, len + 1);
  plain[len] = '\0';
  parts = g_strsplit ((char *) plain, ":", -1);
  return g_strv_length (parts) == 3 && strcmp (parts[0], "v1") == 0 &&
         g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, (guint64 *) rowid, NULL) &&
         g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXINT64, (guint64 *) seq, NULL);
}

static void
handle_health (GwDispatchServer  *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *now = gw_time_format (gw_dispatch_db_now (self->db));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, gw_dispatch_db_get_seq (self->db));
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, now);
  json_builder_set_member_name (b, "speed");
  json_builder_add_double_value (b, self->speed);
  json_builder_set_member_name (b, "incidents");
  json_builder_add_int_value (b, gw_dispatch_db_count_incidents (self->db));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  set_json_node (msg, SOUP_STATUS_OK, node);
}

/* Cells, departments and classes: serialised from the db's reference arrays. */
static void
handle_reference (GwDispatchServer  *self,
                  SoupServerMessage *msg,
                  const char        *which)
{
  g_autofree char *etag = g_strdup_printf ("\"%s-%s\"", which,
                                           gw_dispatch_db_get_reference_tag (self->db));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonNode *(*encode) (gconstpointer);
  gboolean cells = strcmp (which, "cells") == 0;

  if (not_modified (msg, etag))
    return;

  if (cells)
    {
      items = gw_dispatch_db_get_cells (self->db);
      encode = (gpointer) gw_cell_to_json;
    }
  else if (strcmp (which, "departments") == 0)
    {
      items = gw_dispatch_db_get_departments (self->db);
      encode = (gpointer) gw_department_to_json;
    }
  else
    {
      items = gw_dispatch_db_get_classes (self->db);
      encode = (gpointer) gw_incident_class_to_json;
    }

  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, encode (g_ptr_array_index (items, i)));
  if (cells)
    json_object_set_string_member (root, "type", "FeatureCollection");
  json_object_set_array_member (root, cells ? "features" : "items", g_steal_pointer (&array));
  node = json_node_init_object (json_node_alloc (), root);
  set_json_node (msg, SOUP_STATUS_OK, node);
}

static void
handle_incident_list (GwDispatchServer  *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  g_auto(GwIncidentFilter) filter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  gint64 limit = DEFAULT_PAGE, after = 0, seq = gw_dispatch_db_get_seq (self->db), last;
  gboolean more;
  GString *body;

  if (!query_int (msg, query, "limit", 1, MAX_PAGE, &limit) ||
      !parse_filter (msg, query, &filter))
    return;
  if (cursor != NULL && !cursor_decode (cursor, &after, &seq))
    {
      gw_problem_respond (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                          "cursor: not a cursor this server issued", "cursor");
      return;
    }

  /* A page is unchanged while nothing at all has changed. */
  etag = g_strdup_printf ("\"p%" G_GINT64_FORMAT "-%u\"", gw_dispatch_db_get_seq (self->db),
                          g_str_hash (g_uri_get_query (soup_server_message_get_uri (msg)) ?: ""));
  if (not_modified (msg, etag))
    return;

  body = g_string_sized_new (limit * 1500);
  g_string_append (body, "{\"items\":[");
  last = gw_dispatch_db_list_incidents (self->db, &filter, after, limit, body, &more, &error);
  if (error != NULL)
    {
      g_string_free (body, TRUE);
      gw_problem_respond_error (msg, error);
      return;
    }
  g_string_append (body, "],\"next_cursor\":");
  if (more)
    {
      g_autofree char *next = cursor_encode (last, seq);
      g_string_append_printf (body, "\"%s\"", next);
    }
  else
    g_string_append (body, "null");
  g_string_append_printf (body, ",\"seq\":%" G_GINT64_FORMAT "}", seq);
  set_json (msg, SOUP_STATUS_OK, body);
}

static void
handle_incident_get (GwDispatchServer  *self,
                     SoupServerMessage *msg,
                     const char        *id)
{
  g_autofree char *json = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *detail = NULL;
  gint64 seq = 0;

  if (!(json = gw_dispatch_db_get_incident_json (self->db, id, &seq)))
    {
      detail = g_strdup_printf ("no incident '%s'", id);
      gw_problem_respond (msg, SOUP_STATUS_NOT_FOUND, "not-found", detail, NULL);
      return;
    }
  etag = g_strdup_printf ("\"i%" G_GINT64_FORMAT "\"", seq);
  if (!not_modified (msg, etag))
    {
      gsize len = strlen (json);
      set_json_text (msg, SOUP_STATUS_OK, g_steal_pointer (&json), len);
    }
}

/* The parsed JSON body of a POST, or NULL after answering 4xx. */
static JsonNode *
read_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (req, NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (body->length > GW_DISPATCH_MAX_BODY)
    {
      gw_problem_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                          "request bodies are limited to 64 KiB", NULL);
      return NULL;
    }
  if (g_strcmp0 (type, "application/json") != 0)
    {
      gw_problem_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                          "send application/json", NULL);
      return NULL;
    }
  if (!(node = gw_json_parse (body->data, body->length, &error)))
    gw_problem_respond_error (msg, error);
  return node;
}

static void
respond_incident (SoupServerMessage *msg,
                  GwIncident        *incident,
                  gboolean           duplicate)
{
  g_autoptr(JsonNode) node = gw_incident_to_json (incident, TRUE);

  if (!duplicate)
    {
      g_autofree char *location = g_strdup_printf (API_PREFIX "/incidents/%s", incident->id);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", location);
    }
  set_json_node (msg, duplicate ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, node);
}

static void
handle_report (GwDispatchServer  *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonNode) node = read_body (msg);
  g_autoptr(GwIncident) report = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean duplicate;

  if (node == NULL)
    return;
  if (!(report = gw_incident_report_from_json (node, &error)) ||
      !(stored = gw_dispatch_db_report (self->db, report, &duplicate, &error)))
    gw_problem_respond_error (msg, error);
  else
    respond_incident (msg, stored, duplicate);
}

static void
handle_add_event (GwDispatchServer  *self,
                  SoupServerMessage *msg,
                  const char        *id)
{
  g_autoptr(JsonNode) node = read_body (msg);
  g_autoptr(GwStageEvent) event = NULL;
  g_autoptr(GwIncident) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean duplicate;

  if (node == NULL)
    return;
  if (!(event = gw_stage_event_from_json (node, &error)) ||
      !(stored = gw_dispatch_db_add_event (self->db, id, event, &duplicate, &error)))
    gw_problem_respond_error (msg, error);
  else
    respond_incident (msg, stored, duplicate);
}

static void
handle_changes (GwDispatchServer  *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  gint64 since = 0, limit = DEFAULT_PAGE, next;
  guint n;
  GString *body;

  if (!query_int (msg, query, "since", 0, G_MAXINT64, &since) ||
      !query_int (msg, query, "limit", 1, MAX_PAGE, &limit))
    return;

  body = g_string_new ("{\"items\":[");
  next = gw_dispatch_db_list_changes (self->db, since, limit, body, &n, &error);
  if (error != NULL)
    {
      g_string_free (body, TRUE);
      gw_problem_respond_error (msg, error);
      return;
    }
  g_string_append_printf (body, "],\"next_since\":%" G_GINT64_FORMAT
                          ",\"latest\":%" G_GINT64_FORMAT "}",
                          next, gw_dispatch_db_get_seq (self->db));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  set_json (msg, SOUP_STATUS_OK, body);
}

static void
stream_closed_cb (GwEventStream    *stream,
                  GwDispatchServer *self)
{
  g_ptr_array_remove_fast (self->streams, stream);
}

static void
handle_events (GwDispatchServer  *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  const char *last_id = soup_message_headers_get_one (req, "Last-Event-ID");
  gint64 since = gw_dispatch_db_get_seq (self->db);
  GwEventStream *stream;

  if (last_id != NULL)
    {
      if (!g_ascii_string_to_signed (last_id, 10, 0, G_MAXINT64, &since, NULL))
        {
          gw_problem_respond (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                              "Last-Event-ID: expected a change sequence number",
                              "Last-Event-ID");
          return;
        }
    }
  else if (!query_int (msg, query, "since", 0, G_MAXINT64, &since))
    return;

  if (self->streams->len >= self->max_streams)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "10");
      gw_problem_respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "too-many-streams",
                          "the server has reached its limit of event streams", NULL);
      return;
    }
  if (since < gw_dispatch_db_get_min_seq (self->db))
    {
      g_autofree char *detail =
        g_strdup_printf ("since: changes up to %" G_GINT64_FORMAT " are no longer kept;"
                         " take a new snapshot", gw_dispatch_db_get_min_seq (self->db));
      gw_problem_respond (msg, SOUP_STATUS_GONE, "gone", detail, "since");
      return;
    }

  stream = gw_event_stream_new (self->db, msg, since);
  g_signal_connect (stream, "closed", G_CALLBACK (stream_closed_cb), self);
  g_ptr_array_add (self->streams, stream);
}

static void
api_cb (SoupServer        *soup,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  GwDispatchServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  gboolean post = strcmp (method, "POST") == 0;
  const char *rest;
  g_auto(GStrv) parts = NULL;
  guint n;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    goto not_found;
  rest = path + strlen (API_PREFIX "/");
  parts = g_strsplit (rest, "/", 4);
  n = g_strv_length (parts);

  if (n == 1 && strcmp (parts[0], "health") == 0 && get)
    return handle_health (self, msg);
  if (!authorized (self, msg))
    return reject_unauthorized (msg);

  if (n == 1 && (strcmp (parts[0], "cells") == 0 || strcmp (parts[0], "departments") == 0 ||
                 strcmp (parts[0], "classes") == 0))
    {
      if (get)
        return handle_reference (self, msg, parts[0]);
      goto not_allowed;
    }
  if (n == 1 && strcmp (parts[0], "incidents") == 0)
    {
      if (get)
        return handle_incident_list (self, msg, query);
      if (post)
        return handle_report (self, msg);
      goto not_allowed;
    }
  if (n == 2 && strcmp (parts[0], "incidents") == 0 && parts[1][0] != '\0')
    {
      if (get)
        return handle_incident_get (self, msg, parts[1]);
      goto not_allowed;
    }
  if (n == 3 && strcmp (parts[0], "incidents") == 0 && strcmp (parts[2], "events") == 0)
    {
      if (post)
        return handle_add_event (self, msg, parts[1]);
      goto not_allowed;
    }
  if (n == 1 && strcmp (parts[0], "events") == 0)
    {
      if (get)
        return handle_events (self, msg, query);
      goto not_allowed;
    }
  if (n == 1 && strcmp (parts[0], "changes") == 0)
    {
      if (get)
        return handle_changes (self, msg, query);
      goto not_allowed;
    }

not_found:
  gw_problem_respond (msg, SOUP_STATUS_NOT_FOUND, "not-found", "no such resource", NULL);
  return;

not_allowed:
  gw_problem_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                      "method not allowed on this resource", NULL);
}

static void
changed_cb (GwDispatchDb     *db,
            gint64            seq,
            const char       *json,
            GwDispatchServer *self)
{
  for (guint i = 0; i < self->streams->len; i++)
    gw_event_stream_publish (g_ptr_array_index (self->streams, i), seq, json);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  GwDispatchServer *self = user_data;

  for (guint i = 0; i < self->streams->len; i++)
    gw_event_stream_heartbeat (g_ptr_array_index (self->streams, i));
  return G_SOURCE_CONTINUE;
}

GwDispatchServer *
gw_dispatch_server_new (GwDispatchDb *db)
{
  return g_object_new (GW_TYPE_DISPATCH_SERVER, "db", db, NULL);
}

char *
gw_dispatch_server_listen (GwDispatchServer  *self,
                           const char        *address,
                           GError           **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (GW_IS_DISPATCH_SERVER (self), NULL);

  if (!(connectable = g_network_address_parse (address, 8411, error)))
    return NULL;
  enumerator = g_socket_connectable_enumerate (connectable);
  if (!(sockaddr = g_socket_address_enumerator_next (enumerator, NULL, error)))
    return NULL;
  if (!soup_server_listen (self->soup, sockaddr, 0, error))
    return NULL;

  if (self->heartbeat_id == 0)
    self->heartbeat_id = g_timeout_add_seconds (self->heartbeat_seconds, heartbeat_cb, self);

  uris = soup_server_get_uris (self->soup);
  return g_strdup_printf ("http://%s:%d", g_uri_get_host (uris->data),
                          g_uri_get_port (uris->data));
}

void
gw_dispatch_server_shutdown (GwDispatchServer *self)
{
  g_return_if_fail (GW_IS_DISPATCH_SERVER (self));

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  while (self->streams->len > 0)
    gw_event_stream_close (g_ptr_array_index (self->streams, self->streams->len - 1));
  soup_server_disconnect (self->soup);
}

guint
gw_dispatch_server_get_n_streams (GwDispatchServer *self)
{
  return self->streams->len;
}

static void
gw_dispatch_server_constructed (GObject *object)
{
  GwDispatchServer *self = (GwDispatchServer *) object;

  G_OBJECT_CLASS (gw_dispatch_server_parent_class)->constructed (object);

  self->changed_id = g_signal_connect (self->db, "changed", G_CALLBACK (changed_cb), self);
  soup_server_add_early_handler (self->soup, API_PREFIX, early_cb, self, NULL);
  /* Same path as the early handler: libsoup keeps both in one entry. */
  soup_server_add_handler (self->soup, API_PREFIX, api_cb, self, NULL);
}

static void
gw_dispatch_server_dispose (GObject *object)
{
  GwDispatchServer *self = (GwDispatchServer *) object;

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  if (self->db != NULL)
    g_clear_signal_handler (&self->changed_id, self->db);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_object (&self->soup);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (gw_dispatch_server_parent_class)->dispose (object);
}

static void
gw_dispatch_server_finalize (GObject *object)
{
  GwDispatchServer *self = (GwDispatchServer *) object;

  g_free (self->token);

  G_OBJECT_CLASS (gw_dispatch_server_parent_class)->finalize (object);
}

static void
gw_dispatch_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GwDispatchServer *self = GW_DISPATCH_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_MAX_STREAMS:
      g_value_set_uint (value, self->max_streams);
      break;
    case PROP_HEARTBEAT_SECONDS:
      g_value_set_uint (value, self->heartbeat_seconds);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_dispatch_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GwDispatchServer *self = GW_DISPATCH_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_TOKEN:
      g_free (self->token);
      self->token = g_value_dup_string (value);
      break;
    case PROP_MAX_STREAMS:
      self->max_streams = g_value_get_uint (value);
      break;
    case PROP_HEARTBEAT_SECONDS:
      self->heartbeat_seconds = g_value_get_uint (value);
      break;
    case PROP_SPEED:
      self->speed = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_dispatch_server_class_init (GwDispatchServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gw_dispatch_server_constructed;
  object_class->dispose = gw_dispatch_server_dispose;
  object_class->finalize = gw_dispatch_server_finalize;
  object_class->get_property = gw_dispatch_server_get_property;
  object_class->set_property = gw_dispatch_server_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, GW_TYPE_DISPATCH_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_STREAMS] =
    g_param_spec_uint ("max-streams", NULL, NULL, 0, G_MAXUINT, 256,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEARTBEAT_SECONDS] =
    g_param_spec_uint ("heartbeat-seconds", NULL, NULL, 1, 3600, 15,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, 1e6, 1,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_dispatch_server_init (GwDispatchServer *self)
{
  self->soup = soup_server_new ("server-header", "gridwatch-dispatchd/" PACKAGE_VERSION " ", NULL);
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
}
