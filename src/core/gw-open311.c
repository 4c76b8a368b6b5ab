/* gw-open311.c — Open311 GeoReport v2 documents mapped to the Gridwatch model
 *
 * Both formats go through one mapping: XML is first turned into the same JsonNode shape
 * a JSON server sends (leaf elements → strings, list containers → arrays; see
 * gw-open311-xml.c), and every field reader accepts a number or a string, which is what
 * real servers mix anyway. A request's timeline is built in gw-open311-timeline.c.
 */
#include "gw-open311.h"

#include <math.h>
#include <string.h>

#include "gw-codec.h"
#include "gw-open311-private.h"

G_DEFINE_QUARK (gw-open311-error-quark, gw_open311_error)

#define MAX_WARNINGS      16
#define ID_MAX            64
#define DEPT_DISPATCH_MIN 60   /* no Open311 server says; an hour to get there */

/* ---- result ---------------------------------------------------------------- */

static GwOpen311Result *
result_new (void)
{
  GwOpen311Result *r = g_new0 (GwOpen311Result, 1);
  r->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  r->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  r->departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  return r;
}

void
gw_open311_result_free (GwOpen311Result *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->incidents);
  g_ptr_array_unref (result->classes);
  g_ptr_array_unref (result->departments);
  g_ptr_array_unref (result->warnings);
  g_free (result);
}

static void
parse_init (GwOpen311Parse *p, const GwOpen311Options *options)
{
  p->result = result_new ();
  if (options != NULL)
    p->options = *options;
  if (p->options.deadline_hours <= 0)
    p->options.deadline_hours = GW_OPEN311_DEFAULT_DEADLINE_HOURS;
  p->departments = g_hash_table_new (g_str_hash, g_str_equal);
  p->classes = g_hash_table_new (g_str_hash, g_str_equal);
}

static GwOpen311Result *
parse_finish (GwOpen311Parse *p)
{
  g_hash_table_unref (p->departments);
  g_hash_table_unref (p->classes);
  return p->result;
}

static void skip_record (GwOpen311Parse *p, guint index, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
skip_record (GwOpen311Parse *p, guint index, const char *format, ...)
{
  p->result->n_skipped++;
  if (p->result->warnings->len >= MAX_WARNINGS)
    return;
  va_list args;
  va_start (args, format);
  g_autofree char *why = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (p->result->warnings, g_strdup_printf ("record %u skipped: %s", index, why));
}

/* ---- text ------------------------------------------------------------------ */

/* Line breaks as "\n", surrounding white space gone; NULL when nothing is left. */
static char *
clean_text (const char *text)
{
  if (text == NULL)
    return NULL;
  GString *s = g_string_sized_new (strlen (text));
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '\r')
        {
          g_string_append_c (s, '\n');
          if (c[1] == '\n')
            c++;
        }
      else
        g_string_append_c (s, *c);
    }
  g_strstrip (s->str);
  s->len = strlen (s->str);
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* For titles, names and addresses: every run of white space becomes one space. */
static char *
one_line (const char *text)
{
  g_autofree char *clean = clean_text (text);
  if (clean == NULL)
    return NULL;
  GString *s = g_string_sized_new (strlen (clean));
  gboolean space = FALSE;
  for (const char *c = clean; *c != '\0'; c++)
    {
      if (g_ascii_isspace (*c))
        space = TRUE;
      else
        {
          if (space)
            g_string_append_c (s, ' ');
          space = FALSE;
          g_string_append_c (s, *c);
        }
    }
  return g_string_free (s, FALSE);
}

char *
gw_open311_sanitize_code (const char *text, gboolean hash_suffix)
{
  if (text == NULL || *text == '\0')
    return g_strdup ("unknown");

  gsize len = strlen (text);
  gboolean utf8 = g_utf8_validate (text, (gssize) len, NULL);
  gboolean changed = FALSE;
  GString *s = g_string_sized_new (MIN (len, ID_MAX));

  for (const char *c = text; *c != '\0';)
    {
      if (s->len == ID_MAX)
        {
          changed = TRUE;
          break;
        }
      if (g_ascii_isalnum (*c) || *c == '.' || *c == '_' || *c == '-')
        {
          g_string_append_c (s, *c);
          c++;
          continue;
        }
      /* One '_' per character, not per byte, so "Töölö" stays readable. */
      g_string_append_c (s, '_');
      changed = TRUE;
      c = utf8 ? g_utf8_next_char (c) : c + 1;
    }
  if (changed && hash_suffix)
    {
      g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, (gssize) len);
      g_string_truncate (s, MIN (s->len, ID_MAX - 17));
      g_string_append_c (s, '-');
      g_string_append_len (s, sum, 16);
    }
  return g_string_free (s, FALSE);
}

/* ---- times ----------------------------------------------------------------- */

static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

gboolean
gw_open311_parse_time (const char *text, int offset_sec, GwTime *out)
{
  GwTime t;

  if (text == NULL)
    return FALSE;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(GString) s = g_string_new (trimmed);

  if (s->len == 10)
    g_string_append (s, "T00:00:00");
  /* Zones the RFC does not allow but servers send: +hhmm, +hh, " UTC". */
  if (s->len > 19)
    {
      gsize p = 19;
      if (s->str[p] == '.')
        for (p++; p < s->len && g_ascii_isdigit (s->str[p]); p++)
          ;
      const char *zone = s->str + p;
      gsize zone_len = s->len - p;
      if ((zone[0] == '+' || zone[0] == '-') && zone_len == 5 && all_digits (zone + 1, 4))
        g_string_insert_c (s, (gssize) p + 3, ':');
      else if ((zone[0] == '+' || zone[0] == '-') && zone_len == 3 && all_digits (zone + 1, 2))
        g_string_append (s, ":00");
      else if (g_strcmp0 (zone, " UTC") == 0 || g_strcmp0 (zone, " GMT") == 0 ||
               g_strcmp0 (zone, "UTC") == 0)
        {
          g_string_truncate (s, p);
          g_string_append_c (s, 'Z');
        }
    }
  if (!gw_time_parse_lenient (s->str, offset_sec, &t) || t <= 0)
    return FALSE;
  if (out != NULL)
    *out = t;
  return TRUE;
}

/* ---- reading fields (JSON values or XML strings) ---------------------------- */

/* The member, or NULL when absent or null. */
JsonNode *
gw_open311_member (JsonObject *o, const char *name)
{
  if (o == NULL)
    return NULL;
  JsonNode *n = json_object_get_member (o, name);
  return n != NULL && !JSON_NODE_HOLDS_NULL (n) ? n : NULL;
}

/* A scalar as text: service_code is a number on some servers and a string on others. */
static char *
node_text (JsonNode *n)
{
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NULL;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (n));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (n);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        if (d == floor (d) && fabs (d) < 1e15)
          return g_strdup_printf ("%.0f", d);
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, d));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (n) ? "true" : "false");
    default:
      return NULL;
    }
}

static char *
get_raw (JsonObject *o, const char *name)
{
  return node_text (gw_open311_member (o, name));
}

char *
gw_open311_get_text (JsonObject *o, const char *name)
{
  g_autofree char *raw = get_raw (o, name);
  return clean_text (raw);
}

char *
gw_open311_get_line (JsonObject *o, const char *name)
{
  g_autofree char *raw = get_raw (o, name);
  return one_line (raw);
}

static gboolean
get_double (JsonObject *o, const char *name, double *out)
{
  JsonNode *n = gw_open311_member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType type = json_node_get_value_type (n);
  if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
    {
      *out = json_node_get_double (n);
      return isfinite (*out);
    }
  if (type != G_TYPE_STRING)
    return FALSE;
  g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (n)));
  char *end = NULL;
  if (*s == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

GwOpen311TimeRead
gw_open311_get_time (GwOpen311Parse *p, JsonObject *o, const char *name, GwTime *out)
{
  g_autofree char *s = gw_open311_get_text (o, name);
  *out = GW_TIME_NONE;
  if (s == NULL)
    return GW_OPEN311_TIME_ABSENT;
  return gw_open311_parse_time (s, p->options.offset_sec, out) ? GW_OPEN311_TIME_OK
                                                                : GW_OPEN311_TIME_BAD;
}

/* The first of @names that is present, as text. */
char *
gw_open311_get_text_any (JsonObject *o, const char *const *names)
{
  for (; *names != NULL; names++)
    {
      char *s = gw_open311_get_text (o, *names);
      if (s != NULL)
        return s;
    }
  return NULL;
}

/* ---- reference data -------------------------------------------------------- */

GwDepartment *
gw_open311_ensure_department (GwOpen311Parse *p, const char *name)
{
  GwDepartment *dep = g_hash_table_lookup (p->departments, name);
  if (dep != NULL)
    return dep;
  dep = gw_department_new ();
  dep->id = g_strdup (name);
  dep->name = g_strdup (name);
  dep->dispatch_minutes = DEPT_DISPATCH_MIN;
  dep->handle_hours = p->options.deadline_hours;
  g_ptr_array_add (p->result->departments, dep);
  g_hash_table_insert (p->departments, dep->id, dep);
  return dep;
}

static GwIncidentClass *
ensure_class (GwOpen311Parse *p, const char *code, const char *name, const char *group)
{
  GwIncidentClass *klass = g_hash_table_lookup (p->classes, code);
  if (klass != NULL)
    return klass;
  klass = gw_incident_class_new ();
  klass->code = g_strdup (code);
  klass->name = g_strdup (name != NULL ? name : code);
  klass->category = g_strdup (group != NULL ? group : "");
  klass->kind = GW_CLASS_KIND_EVENT;
  klass->department = NULL;
  klass->deadline_hours = p->options.deadline_hours;
  klass->priority = GW_PRIORITY_NORMAL;
  g_ptr_array_add (p->result->classes, klass);
  g_hash_table_insert (p->classes, klass->code, klass);
  return klass;
}

/* ---- documents ------------------------------------------------------------- */
static JsonNode *
parse_document (const char *data, gsize length, GwOpen311Format format, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (data == NULL)
    {
      data = "";
      length = 0;
    }
  /* Some servers start with a byte order mark. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (format == GW_OPEN311_FORMAT_XML)
    return gw_open311_xml_parse (data, length, error);

  /* The strict reader bounds nesting and checks UTF-8 before json-glib sees the data. */
  JsonNode *root = gw_json_parse (data, (gssize) length, &local);
  if (root == NULL)
    {
      /* The codec names a field path; for a whole document that is noise. */
      const char *why = local->message;
      if (g_str_has_prefix (why, "(root): "))
        why += strlen ("(root): ");
      g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_MALFORMED,
                   "not Open311 JSON: %s", why);
    }
  return root;
}

/* An Open311 error answer: [{"code": 403, "description": "..."}]. */
static gboolean
check_error_list (JsonArray *list, const char *key_field, GError **error)
{
  if (json_array_get_length (list) == 0)
    return TRUE;
  JsonNode *first = json_array_get_element (list, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return TRUE;
  JsonObject *o = json_node_get_object (first);
  if (gw_open311_member (o, key_field) != NULL ||
      gw_open311_member (o, "description") == NULL ||
      gw_open311_member (o, "code") == NULL)
    return TRUE;
  g_autofree char *code = gw_open311_get_line (o, "code");
  g_autofree char *description = gw_open311_get_line (o, "description");
  g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_SERVER,
               "the server reported an error: %s (code %s)",
               description ? description : "no description", code ? code : "none");
  return FALSE;
}

/* The list of records in @root: a bare list, or one wrapped under a known name. */
static JsonArray *
get_list (JsonNode *root, GwOpen311Format format, const char *what,
          const char *const *wrappers, const char *key_field, GError **error)
{
  const char *fmt = format == GW_OPEN311_FORMAT_XML ? "XML" : "JSON";
  JsonArray *list = NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      for (; list == NULL && *wrappers != NULL; wrappers++)
        {
          JsonNode *m = gw_open311_member (o, *wrappers);
          if (m != NULL && JSON_NODE_HOLDS_ARRAY (m))
            list = json_node_get_array (m);
        }
      /* An XML error document is a single <error> in some servers. */
      if (list == NULL && gw_open311_member (o, "code") != NULL &&
          gw_open311_member (o, "description") != NULL &&
          gw_open311_member (o, key_field) == NULL)
        {
          g_autoptr(JsonArray) one = json_array_new ();
          json_array_add_element (one, json_node_copy (root));
          check_error_list (one, key_field, error);
          return NULL;
        }
    }

  if (list == NULL)
    {
      const char *got = JSON_NODE_HOLDS_OBJECT (root) ? (format == GW_OPEN311_FORMAT_XML
                                                         ? "a single element"
                                                         : "an object")
                        : "a single value";
      g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_NOT_A_LIST,
                   "not Open311 %s: expected a list of %s, got %s", fmt, what, got);
      return NULL;
    }
  if (!check_error_list (list, key_field, error))
    return NULL;
  return list;
}

/* ---- requests -------------------------------------------------------------- */

static gboolean
is_closed_status (const char *status)
{
  static const char *const closed[] = { "closed", "resolved", "completed", "done", "archived", NULL };
  g_autofree char *lower = status ? g_ascii_strdown (status, -1) : NULL;
  return lower != NULL && g_strv_contains (closed, lower);
}

static GwIncident *
map_request (GwOpen311Parse *p, JsonNode *node, guint index)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      skip_record (p, index, "not an object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (node);

  g_autofree char *raw_id = gw_open311_get_line (o, "service_request_id");
  if (raw_id == NULL)
    {
      skip_record (p, index, "no service_request_id");
      return NULL;
    }

  GwTime requested, updated, expected;
  GwOpen311TimeRead rq = gw_open311_get_time (p, o, "requested_datetime", &requested);
  GwOpen311TimeRead up = gw_open311_get_time (p, o, "updated_datetime", &updated);
  if (rq != GW_OPEN311_TIME_OK)
    {
      if (up != GW_OPEN311_TIME_OK)
        {
          g_autofree char *raw = gw_open311_get_line (o, "requested_datetime");
          skip_record (p, index, "request %s: requested_datetime %s", raw_id,
                       raw == NULL ? "is missing" : "is not a time");
          return NULL;
        }
      requested = updated;
    }
  if (up != GW_OPEN311_TIME_OK || updated < requested)
    updated = requested;
  if (gw_open311_get_time (p, o, "expected_datetime", &expected) != GW_OPEN311_TIME_OK)
    expected = GW_TIME_NONE;

  g_autofree char *status = gw_open311_get_line (o, "status");
  gboolean closed = is_closed_status (status);
  g_autofree char *raw_code = gw_open311_get_line (o, "service_code");
  g_autofree char *code = raw_code ? gw_open311_sanitize_code (raw_code, TRUE) : g_strdup ("unknown");
  g_autofree char *service_name = gw_open311_get_line (o, "service_name");
  g_autofree char *agency = gw_open311_get_line (o, "agency_responsible");
  g_autofree char *title = gw_open311_get_line (o, "title");

  ensure_class (p, code, service_name ? service_name : raw_code, NULL);
  if (agency != NULL)
    gw_open311_ensure_department (p, agency);

  g_autoptr(GwIncident) inc = gw_incident_new ();
  inc->id = gw_open311_sanitize_code (raw_id, TRUE);
  if (title != NULL)
    inc->title = g_steal_pointer (&title);
  else if (service_name != NULL)
    inc->title = g_strdup (service_name);
  else if (raw_code != NULL)
    inc->title = g_strdup_printf ("Service request (%s)", raw_code);
  else
    inc->title = g_strdup ("Service request");
  inc->description = gw_open311_get_text (o, "description");
  inc->class_code = g_strdup (code);
  inc->source = GW_SOURCE_APP;
  inc->priority = GW_PRIORITY_NORMAL;
  inc->address = gw_open311_get_line (o, "address");
  if (inc->address == NULL)
    inc->address = g_strdup ("");
  inc->received_at = requested;
  inc->updated_at = updated;
  /* Like a class's default department: known before any dispatch. */
  inc->department = g_strdup (agency);

  double lat, lon;
  if ((get_double (o, "lat", &lat) || get_double (o, "latitude", &lat)) &&
      (get_double (o, "long", &lon) || get_double (o, "lon", &lon) ||
       get_double (o, "longitude", &lon)) &&
      lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && lat != 0 && lon != 0)
    {
      inc->lat = lat;
      inc->lon = lon;
    }
  /* else lon = lat = 0: location unknown. An exact 0 in either coordinate is a
   * placeholder in real data (Helsinki has "lat": 0.0, "long": 0.034451), not a place. */

  gw_open311_build_timeline (p, inc, o, requested, updated, agency, closed);

  if (agency != NULL)
    {
      g_free (inc->department);
      inc->department = g_strdup (agency);
    }
  if (expected != GW_TIME_NONE)
    inc->deadline = expected;
  inc->updated_at = MAX (inc->updated_at, updated);
  /* The store keeps the higher seq: the later update wins. */
  inc->seq = inc->updated_at;
  p->result->max_updated = MAX (p->result->max_updated, inc->updated_at);
  return g_steal_pointer (&inc);
}

GwOpen311Result *
gw_open311_parse_requests (const char             *data,
                           gsize                   length,
                           GwOpen311Format         format,
                           const GwOpen311Options *options,
                           GError                **error)
{
  static const char *const wrappers[] = { "service_requests", "requests", "request", NULL };
  GwOpen311Parse p = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(JsonNode) root = parse_document (data, length, format, error);
  if (root == NULL)
    return NULL;
  g_autoptr(GError) local = NULL;
  JsonArray *list = get_list (root, format, "requests", wrappers, "service_request_id", &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  parse_init (&p, options);
  guint n = json_array_get_length (list);
  p.result->n_records = n;
  for (guint i = 0; i < n; i++)
    {
      GwIncident *inc = map_request (&p, json_array_get_element (list, i), i);
      if (inc != NULL)
        g_ptr_array_add (p.result->incidents, inc);
    }
  return parse_finish (&p);
}

/* ---- services -------------------------------------------------------------- */

GwOpen311Result *
gw_open311_parse_services (const char             *data,
                           gsize                   length,
                           GwOpen311Format         format,
                           const GwOpen311Options *options,
                           GError                **error)
{
  static const char *const wrappers[] = { "services", "service", NULL };
  GwOpen311Parse p = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(JsonNode) root = parse_document (data, length, format, error);
  if (root == NULL)
    return NULL;
  g_autoptr(GError) local = NULL;
  JsonArray *list = get_list (root, format, "services", wrappers, "service_code", &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  parse_init (&p, options);
  guint n = json_array_get_length (list);
  p.result->n_records = n;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          skip_record (&p, i, "not an object");
          continue;
        }
      JsonObject *o = json_node_get_object (node);
      g_autofree char *raw_code = gw_open311_get_line (o, "service_code");
      if (raw_code == NULL)
        {
          skip_record (&p, i, "no service_code");
          continue;
        }
      g_autofree char *code = gw_open311_sanitize_code (raw_code, TRUE);
      g_autofree char *name = gw_open311_get_line (o, "service_name");
      g_autofree char *group = gw_open311_get_line (o, "group");
      ensure_class (&p, code, name ? name : raw_code, group);
    }
  return parse_finish (&p);
}
