/* gw-codec.c — strict JSON codecs for the Dispatch API (wire format v1)
 *
 * Decoders read through GwJsonReader, which refuses unknown members and names the
 * field path in every error; encoders always write every member (null when unset).
 */
#include "gw-codec.h"

#include <string.h>

#include "gw-json-reader.h"

G_DEFINE_QUARK (gw-codec-error-quark, gw_codec_error)

#define BAD GW_CODEC_ERROR_BAD_VALUE

/* ---- parsing and printing --------------------------------------------------- */

JsonNode *
gw_json_parse (const char *data, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;

  if (data == NULL)
    {
      gw_json_set_error (error, GW_CODEC_ERROR_MALFORMED, NULL, "no data");
      return NULL;
    }
  gsize len = length < 0 ? strlen (data) : (gsize) length;
  if (!gw_json_check_syntax (data, len, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      gw_json_set_error (error, GW_CODEC_ERROR_MALFORMED, NULL, "not valid JSON: %s",
                         local->message);
      return NULL;
    }
  JsonNode *root = json_parser_steal_root (parser);
  if (root == NULL)
    gw_json_set_error (error, GW_CODEC_ERROR_MALFORMED, NULL, "empty document");
  return root;
}

char *
gw_json_to_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* ---- encoding helpers ------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b, const char *name, GwTime t)
{
  g_autofree char *text = t != GW_TIME_NONE ? gw_time_format (t) : NULL;
  add_string (b, name, text);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* ---- decoding helpers ------------------------------------------------------- */

#define DEFINE_ENUM_READER(fn, Type, what, from_string)                              \
  static gboolean                                                                    \
  fn (GwJsonReader *r, const char *member, gboolean required, Type *out,             \
      GError **error)                                                                \
  {                                                                                  \
    g_autofree char *s = NULL;                                                       \
    if (!gw_json_reader_string (r, member, required, &s, error))                     \
      return FALSE;                                                                  \
    if (s == NULL || from_string (s, out))                                           \
      return TRUE;                                                                   \
    g_autofree char *q = gw_json_quote (s);                                          \
    gw_json_reader_error (r, member, BAD, error, "unknown " what " %s", q);          \
    return FALSE;                                                                    \
  }

DEFINE_ENUM_READER (read_stage, GwStage, "stage", gw_stage_from_string)
DEFINE_ENUM_READER (read_source, GwSource, "source", gw_source_from_string)
DEFINE_ENUM_READER (read_priority, GwPriority, "priority", gw_priority_from_string)
DEFINE_ENUM_READER (read_kind, GwClassKind, "kind", gw_class_kind_from_string)
DEFINE_ENUM_READER (read_satisfaction, GwSatisfaction, "satisfaction", gw_satisfaction_from_string)

/* A reference to another record (department id, class code): a non-empty string. */
static gboolean
read_ref (GwJsonReader *r, const char *member, gboolean required, char **out, GError **error)
{
  if (!gw_json_reader_string (r, member, required, out, error))
    return FALSE;
  if (*out != NULL && **out == '\0')
    {
      g_clear_pointer (out, g_free);
      gw_json_reader_error (r, member, BAD, error, "must not be empty");
      return FALSE;
    }
  return TRUE;
}

/* A string with a fixed literal value ("type": "Feature"). */
static gboolean
read_literal (GwJsonReader *r, const char *member, const char *expected, GError **error)
{
  g_autofree char *s = NULL;
  if (!gw_json_reader_string (r, member, TRUE, &s, error))
    return FALSE;
  if (strcmp (s, expected) == 0)
    return TRUE;
  gw_json_reader_error (r, member, BAD, error, "expected '%s'", expected);
  return FALSE;
}

/* An int field that must be 1..G_MAXINT (minutes, hours). */
static gboolean
read_positive (GwJsonReader *r, const char *member, int *out, GError **error)
{
  gint64 v = 0;
  if (!gw_json_reader_int (r, member, &v, error))
    return FALSE;
  if (v <= 0 || v > G_MAXINT)
    {
      gw_json_reader_error (r, member, BAD, error, "must be a positive integer");
      return FALSE;
    }
  *out = (int) v;
  return TRUE;
}

/* Ids and class codes: 1 to 64 of A-Z a-z 0-9 . _ - (safe in URLs and file names;
 * Open311 service codes are not always digits). */
static gboolean
read_token (GwJsonReader *r, const char *member, gboolean required, char **out, GError **error)
{
  if (!gw_json_reader_string (r, member, required, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  size_t n = strlen (*out);
  if (n >= 1 && n <= 64 &&
      (*out)[strspn (*out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")] == '\0')
    return TRUE;
  g_clear_pointer (out, g_free);
  gw_json_reader_error (r, member, BAD, error, "must be 1 to 64 of A-Z a-z 0-9 . _ -");
  return FALSE;
}

static gboolean
read_class_code (GwJsonReader *r, const char *member, char **out, GError **error)
{
  return read_token (r, member, TRUE, out, error);
}

static gboolean
read_coordinate (GwJsonReader *r, const char *member, double limit, double *out, GError **error)
{
  if (!gw_json_reader_double (r, member, out, error))
    return FALSE;
  if (*out >= -limit && *out <= limit)
    return TRUE;
  gw_json_reader_error (r, member, BAD, error, "out of range -%g..%g", limit, limit);
  return FALSE;
}

/* ---- stage events ----------------------------------------------------------- */

static const char *const event_fields[] = {
  "id", "stage", "time", "actor", "department", "note", "deadline", NULL
};

static void
build_event (JsonBuilder *b, const GwStageEvent *ev)
{
  json_builder_begin_object (b);
  add_string (b, "id", ev->id);
  add_string (b, "stage", gw_stage_to_string (ev->stage));
  add_time (b, "time", ev->time);
  add_string (b, "actor", ev->actor);
  add_string (b, "department", ev->department);
  add_string (b, "note", ev->note);
  add_time (b, "deadline", ev->deadline);
  json_builder_end_object (b);
}

JsonNode *
gw_stage_event_to_json (const GwStageEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  build_event (b, event);
  return json_builder_get_root (b);
}

static GwStageEvent *
event_from_node (JsonNode *node, const char *path, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  g_autoptr(GwStageEvent) ev = gw_stage_event_new ();

  if (!gw_json_reader_init (&r, node, path, event_fields, NULL, error) ||
      !gw_json_reader_string (&r, "id", TRUE, &ev->id, error))
    return NULL;
  glong n = g_utf8_strlen (ev->id, -1);
  if (n < 1 || n > 128)
    {
      gw_json_reader_error (&r, "id", BAD, error, "must be 1 to 128 characters");
      return NULL;
    }
  if (!read_stage (&r, "stage", TRUE, &ev->stage, error) ||
      !gw_json_reader_time (&r, "time", TRUE, &ev->time, error) ||
      !gw_json_reader_string (&r, "actor", FALSE, &ev->actor, error) ||
      !read_ref (&r, "department", FALSE, &ev->department, error) ||
      !gw_json_reader_string (&r, "note", FALSE, &ev->note, error) ||
      !gw_json_reader_time (&r, "deadline", FALSE, &ev->deadline, error))
    return NULL;
  return g_steal_pointer (&ev);
}

GwStageEvent *
gw_stage_event_from_json (JsonNode *node, GError **error)
{
  return event_from_node (node, "", error);
}

/* ---- incidents -------------------------------------------------------------- */

static const char *const incident_fields[] = {
  "id", "title", "description", "class", "source", "priority", "location", "address",
  "cell", "department", "stage", "status", "received_at", "deadline", "closed_at",
  "updated_at", "seq", "reporter", "visit", "timeline", NULL
};
static const char *const report_fields[] = {
  "id", "title", "description", "class", "source", "priority", "location", "address",
  "received_at", "reporter", NULL
};
static const char *const location_fields[] = { "lon", "lat", NULL };
static const char *const reporter_fields[] = { "name", "phone", NULL };
static const char *const visit_fields[] = { "contacted", "resolved", "satisfaction", NULL };

static void
build_incident (JsonBuilder *b, const GwIncident *inc, gboolean with_personal)
{
  json_builder_begin_object (b);
  add_string (b, "id", inc->id);
  add_string (b, "title", inc->title);
  add_string (b, "description", inc->description);
  add_string (b, "class", inc->class_code);
  add_string (b, "source", gw_source_to_string (inc->source));
  add_string (b, "priority", gw_priority_to_string (inc->priority));
  json_builder_set_member_name (b, "location");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lon");
  json_builder_add_double_value (b, inc->lon);
  json_builder_set_member_name (b, "lat");
  json_builder_add_double_value (b, inc->lat);
  json_builder_end_object (b);
  add_string (b, "address", inc->address);
  add_string (b, "cell", inc->cell_code);
  add_string (b, "department", inc->department);
  add_string (b, "stage", gw_stage_to_string (inc->stage));
  add_string (b, "status", gw_stage_is_closed (inc->stage) ? "closed" : "open");
  add_time (b, "received_at", inc->received_at);
  add_time (b, "deadline", inc->deadline);
  add_time (b, "closed_at", inc->closed_at);
  add_time (b, "updated_at", inc->updated_at);
  add_int (b, "seq", inc->seq);
  if (with_personal)
    {
      json_builder_set_member_name (b, "reporter");
      if (inc->reporter_name != NULL || inc->reporter_phone != NULL)
        {
          json_builder_begin_object (b);
          add_string (b, "name", inc->reporter_name);
          add_string (b, "phone", inc->reporter_phone);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "visit");
  if (inc->visited)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "contacted");
      json_builder_add_boolean_value (b, inc->visit_contacted);
      json_builder_set_member_name (b, "resolved");
      json_builder_add_boolean_value (b, inc->visit_resolved);
      add_string (b, "satisfaction", gw_satisfaction_to_string (inc->satisfaction));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "timeline");
  json_builder_begin_array (b);
  for (guint i = 0; i < inc->timeline->len; i++)
    build_event (b, g_ptr_array_index (inc->timeline, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
gw_incident_to_json (const GwIncident *incident, gboolean with_personal)
{
  g_return_val_if_fail (incident != NULL, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  build_incident (b, incident, with_personal);
  return json_builder_get_root (b);
}

static gboolean
read_incident_id (GwJsonReader *r, gboolean required, char **out, GError **error)
{
  return read_token (r, "id", required, out, error);
}

static gboolean
read_reporter (GwJsonReader *r, GwIncident *inc, GError **error)
{
  g_auto(GwJsonReader) rep = { 0 };
  return gw_json_reader_object (r, "reporter", FALSE, reporter_fields, &rep, error) &&
         gw_json_reader_string (&rep, "name", FALSE, &inc->reporter_name, error) &&
         gw_json_reader_string (&rep, "phone", FALSE, &inc->reporter_phone, error);
}

/* The members a report and a stored case share. */
static gboolean
read_common (GwJsonReader *r, GwIncident *inc, GError **error)
{
  g_auto(GwJsonReader) loc = { 0 };

  if (!gw_json_reader_string (r, "title", TRUE, &inc->title, error))
    return FALSE;
  if (*inc->title == '\0')
    {
      gw_json_reader_error (r, "title", BAD, error, "must not be empty");
      return FALSE;
    }
  return gw_json_reader_string (r, "description", FALSE, &inc->description, error) &&
         read_class_code (r, "class", &inc->class_code, error) &&
         read_source (r, "source", TRUE, &inc->source, error) &&
         gw_json_reader_object (r, "location", TRUE, location_fields, &loc, error) &&
         read_coordinate (&loc, "lon", 180, &inc->lon, error) &&
         read_coordinate (&loc, "lat", 90, &inc->lat, error) &&
         gw_json_reader_string (r, "address", TRUE, &inc->address, error);
}

static gboolean
read_status (GwJsonReader *r, GwStage stage, GError **error)
{
  g_autofree char *status = NULL;
  if (!gw_json_reader_string (r, "status", TRUE, &status, error))
    return FALSE;
  if (strcmp (status, "open") != 0 && strcmp (status, "closed") != 0)
    {
      g_autofree char *q = gw_json_quote (status);
      gw_json_reader_error (r, "status", BAD, error, "unknown status %s", q);
      return FALSE;
    }
  if ((strcmp (status, "closed") == 0) != gw_stage_is_closed (stage))
    {
      gw_json_reader_error (r, "status", BAD, error, "'%s' disagrees with stage '%s'",
                            status, gw_stage_to_string (stage));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_visit (GwJsonReader *r, GwIncident *inc, GError **error)
{
  g_auto(GwJsonReader) v = { 0 };
  if (!gw_json_reader_object (r, "visit", FALSE, visit_fields, &v, error))
    return FALSE;
  inc->visited = v.object != NULL;
  return !inc->visited ||
         (gw_json_reader_bool (&v, "contacted", &inc->visit_contacted, error) &&
          gw_json_reader_bool (&v, "resolved", &inc->visit_resolved, error) &&
          read_satisfaction (&v, "satisfaction", FALSE, &inc->satisfaction, error));
}

static gboolean
read_timeline (GwJsonReader *r, GwIncident *inc, GError **error)
{
  JsonArray *array;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = gw_json_path_member (r->path, "timeline");

  if (!gw_json_reader_array (r, "timeline", &array, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item = gw_json_path_index (path, i);
      GwStageEvent *ev = event_from_node (json_array_get_element (array, i), item, error);
      if (ev == NULL)
        return FALSE;
      g_ptr_array_add (inc->timeline, ev);
      if (i > 0 && ev->time < ((GwStageEvent *) g_ptr_array_index (inc->timeline, i - 1))->time)
        {
          g_autofree char *p = gw_json_path_member (item, "time");
          gw_json_set_error (error, BAD, p, "earlier than the entry before it");
          return FALSE;
        }
      if (!g_hash_table_add (ids, ev->id))
        {
          g_autofree char *p = gw_json_path_member (item, "id");
          g_autofree char *q = gw_json_quote (ev->id);
          gw_json_set_error (error, BAD, p, "duplicate event id %s", q);
          return FALSE;
        }
    }
  return TRUE;
}

static GwIncident *
incident_from_node (JsonNode *node, const char *path, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  g_autoptr(GwIncident) inc = gw_incident_new ();

  if (!gw_json_reader_init (&r, node, path, incident_fields, NULL, error) ||
      !read_incident_id (&r, TRUE, &inc->id, error) ||
      !read_common (&r, inc, error) ||
      !read_priority (&r, "priority", TRUE, &inc->priority, error))
    return NULL;

  g_autofree char *cell = NULL;
  if (!gw_json_reader_string (&r, "cell", FALSE, &cell, error))
    return NULL;
  if (cell != NULL && !gw_cell_code_is_valid (cell))
    {
      gw_json_reader_error (&r, "cell", BAD, error, "not a 14 or 15 digit cell code");
      return NULL;
    }
  inc->cell_code = g_steal_pointer (&cell);

  if (!read_ref (&r, "department", FALSE, &inc->department, error) ||
      !read_stage (&r, "stage", TRUE, &inc->stage, error) ||
      !read_status (&r, inc->stage, error) ||
      !gw_json_reader_time (&r, "received_at", TRUE, &inc->received_at, error) ||
      !gw_json_reader_time (&r, "deadline", FALSE, &inc->deadline, error) ||
      !gw_json_reader_time (&r, "closed_at", FALSE, &inc->closed_at, error) ||
      !gw_json_reader_time (&r, "updated_at", TRUE, &inc->updated_at, error) ||
      !gw_json_reader_int (&r, "seq", &inc->seq, error))
    return NULL;
  if (inc->seq < 0)
    {
      gw_json_reader_error (&r, "seq", BAD, error, "must not be negative");
      return NULL;
    }
  if (!read_reporter (&r, inc, error) ||
      !read_visit (&r, inc, error) ||
      !read_timeline (&r, inc, error))
    return NULL;
  return g_steal_pointer (&inc);
}

GwIncident *
gw_incident_from_json (JsonNode *node, GError **error)
{
  return incident_from_node (node, "", error);
}

GwIncident *
gw_incident_report_from_json (JsonNode *node, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  g_autoptr(GwIncident) inc = gw_incident_new ();
  /* The members of a stored case that only the server may set. */
  static const char *const server_set[] = {
    "cell", "department", "stage", "status", "deadline", "closed_at", "updated_at",
    "seq", "visit", "timeline", NULL
  };

  inc->priority = GW_PRIORITY_DEFAULT;
  if (!gw_json_reader_init (&r, node, "", report_fields, server_set, error) ||
      !read_incident_id (&r, FALSE, &inc->id, error) ||
      !read_common (&r, inc, error) ||
      !read_priority (&r, "priority", FALSE, &inc->priority, error) ||
      !gw_json_reader_time (&r, "received_at", FALSE, &inc->received_at, error) ||
      !read_reporter (&r, inc, error))
    return NULL;
  return g_steal_pointer (&inc);
}

/* ---- changes ---------------------------------------------------------------- */

static const char *const change_fields[] = { "seq", "kind", "incident", NULL };

JsonNode *
gw_change_to_json (gint64 seq, const GwIncident *incident)
{
  return gw_change_to_json_full (seq, incident, FALSE);
}

JsonNode *
gw_change_to_json_full (gint64 seq, const GwIncident *incident, gboolean with_personal)
{
  g_return_val_if_fail (incident != NULL, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_int (b, "seq", seq);
  add_string (b, "kind", "incident");
  json_builder_set_member_name (b, "incident");
  build_incident (b, incident, with_personal);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

GwIncident *
gw_change_from_json (JsonNode *node, gint64 *seq, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  gint64 s = 0;

  if (!gw_json_reader_init (&r, node, "", change_fields, NULL, error) ||
      !gw_json_reader_int (&r, "seq", &s, error))
    return NULL;
  if (s <= 0)
    {
      gw_json_reader_error (&r, "seq", BAD, error, "must be positive");
      return NULL;
    }
  if (!read_literal (&r, "kind", "incident", error))
    return NULL;
  JsonNode *inode = json_object_get_member (r.object, "incident");
  if (inode == NULL || JSON_NODE_HOLDS_NULL (inode))
    {
      gw_json_reader_error (&r, "incident", GW_CODEC_ERROR_MISSING, error,
                            inode == NULL ? "required field missing" : "must not be null");
      return NULL;
    }
  GwIncident *inc = incident_from_node (inode, "incident", error);
  if (inc != NULL && seq != NULL)
    *seq = s;
  return inc;
}

/* ---- cells ------------------------------------------------------------------ */

static const char *const cell_fields[] = { "type", "id", "geometry", "properties", NULL };
static const char *const geometry_fields[] = { "type", "coordinates", NULL };
static const char *const cell_property_fields[] = {
  "code", "name", "community", "community_code", "street_code", "worker", "party_branch", NULL
};
static const char *const worker_fields[] = { "name", "phone", NULL };

JsonNode *
gw_cell_to_json (const GwCell *cell)
{
  g_return_val_if_fail (cell != NULL, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *community_code = gw_cell_code_community (cell->code);
  g_autofree char *street_code = gw_cell_code_street (cell->code);

  json_builder_begin_object (b);
  add_string (b, "type", "Feature");
  add_string (b, "id", cell->code);
  json_builder_set_member_name (b, "geometry");
  json_builder_begin_object (b);
  add_string (b, "type", "Polygon");
  json_builder_set_member_name (b, "coordinates");
  json_builder_begin_array (b);
  json_builder_begin_array (b);
  for (guint i = 0; i < cell->n_points; i++)
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, cell->ring[2 * i]);
      json_builder_add_double_value (b, cell->ring[2 * i + 1]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  add_string (b, "code", cell->code);
  add_string (b, "name", cell->name);
  add_string (b, "community", cell->community);
  add_string (b, "community_code", community_code);
  add_string (b, "street_code", street_code);
  json_builder_set_member_name (b, "worker");
  if (cell->worker_name != NULL)
    {
      json_builder_begin_object (b);
      add_string (b, "name", cell->worker_name);
      add_string (b, "phone", cell->worker_phone);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_string (b, "party_branch", cell->party_branch);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A GeoJSON position [lon, lat]; altitude is not part of the wire format. */
static gboolean
read_position (JsonNode *node, const char *path, double *lon, double *lat, GError **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      gw_json_set_error (error, GW_CODEC_ERROR_WRONG_TYPE, path, "expected an array");
      return FALSE;
    }
  JsonArray *pos = json_node_get_array (node);
  if (json_array_get_length (pos) != 2)
    {
      gw_json_set_error (error, BAD, path, "expected [lon, lat]");
      return FALSE;
    }
  for (guint k = 0; k < 2; k++)
    {
      JsonNode *v = json_array_get_element (pos, k);
      double limit = k == 0 ? 180 : 90;
      g_autofree char *p = gw_json_path_index (path, k);
      GType t = JSON_NODE_HOLDS_VALUE (v) ? json_node_get_value_type (v) : G_TYPE_INVALID;
      if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
        {
          gw_json_set_error (error, GW_CODEC_ERROR_WRONG_TYPE, p, "expected a number");
          return FALSE;
        }
      double d = json_node_get_double (v);
      if (!(d >= -limit && d <= limit))
        {
          gw_json_set_error (error, BAD, p, "out of range -%g..%g", limit, limit);
          return FALSE;
        }
      *(k == 0 ? lon : lat) = d;
    }
  return TRUE;
}

static gboolean
read_ring (GwJsonReader *geometry, GwCell *cell, GError **error)
{
  JsonArray *rings;
  g_autofree char *path = gw_json_path_member (geometry->path, "coordinates");

  if (!gw_json_reader_array (geometry, "coordinates", &rings, error))
    return FALSE;
  if (json_array_get_length (rings) != 1)
    {
      gw_json_set_error (error, BAD, path, json_array_get_length (rings) == 0
                         ? "needs an outer ring" : "holes are not supported");
      return FALSE;
    }
  g_autofree char *ring_path = gw_json_path_index (path, 0);
  JsonNode *ring_node = json_array_get_element (rings, 0);
  if (!JSON_NODE_HOLDS_ARRAY (ring_node))
    {
      gw_json_set_error (error, GW_CODEC_ERROR_WRONG_TYPE, ring_path, "expected an array");
      return FALSE;
    }
  JsonArray *ring = json_node_get_array (ring_node);
  guint n = json_array_get_length (ring);
  g_autofree double *lonlat = g_new (double, 2 * MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *p = gw_json_path_index (ring_path, i);
      if (!read_position (json_array_get_element (ring, i), p, &lonlat[2 * i], &lonlat[2 * i + 1], error))
        return FALSE;
    }
  if (n < 4)
    {
      gw_json_set_error (error, BAD, ring_path, "a ring needs at least 4 positions");
      return FALSE;
    }
  if (lonlat[0] != lonlat[2 * n - 2] || lonlat[1] != lonlat[2 * n - 1])
    {
      gw_json_set_error (error, BAD, ring_path, "the ring is not closed");
      return FALSE;
    }
  gw_cell_set_ring (cell, lonlat, n);
  return TRUE;
}

/* Optional derived codes: when given they must match the cell code. */
static gboolean
read_derived_code (GwJsonReader *r, const char *member, const char *expected, GError **error)
{
  g_autofree char *s = NULL;
  if (!gw_json_reader_string (r, member, FALSE, &s, error))
    return FALSE;
  if (s == NULL || strcmp (s, expected) == 0)
    return TRUE;
  gw_json_reader_error (r, member, BAD, error, "does not match the code (expected '%s')", expected);
  return FALSE;
}

GwCell *
gw_cell_from_json (JsonNode *node, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  g_auto(GwJsonReader) geometry = { 0 };
  g_auto(GwJsonReader) props = { 0 };
  g_auto(GwJsonReader) worker = { 0 };
  g_autoptr(GwCell) cell = gw_cell_new ();
  g_autofree char *code = NULL;

  if (!gw_json_reader_init (&r, node, "", cell_fields, NULL, error) ||
      !read_literal (&r, "type", "Feature", error) ||
      !gw_json_reader_string (&r, "id", TRUE, &cell->code, error))
    return NULL;
  if (!gw_cell_code_is_valid (cell->code))
    {
      gw_json_reader_error (&r, "id", BAD, error, "not a 14 or 15 digit cell code");
      return NULL;
    }
  if (!gw_json_reader_object (&r, "geometry", TRUE, geometry_fields, &geometry, error) ||
      !read_literal (&geometry, "type", "Polygon", error) ||
      !read_ring (&geometry, cell, error) ||
      !gw_json_reader_object (&r, "properties", TRUE, cell_property_fields, &props, error) ||
      !gw_json_reader_string (&props, "code", TRUE, &code, error))
    return NULL;
  if (strcmp (code, cell->code) != 0)
    {
      gw_json_reader_error (&props, "code", BAD, error, "differs from id");
      return NULL;
    }
  g_autofree char *community_code = gw_cell_code_community (code);
  g_autofree char *street_code = gw_cell_code_street (code);
  if (!gw_json_reader_string (&props, "name", TRUE, &cell->name, error) ||
      !gw_json_reader_string (&props, "community", TRUE, &cell->community, error) ||
      !read_derived_code (&props, "community_code", community_code, error) ||
      !read_derived_code (&props, "street_code", street_code, error) ||
      !gw_json_reader_object (&props, "worker", FALSE, worker_fields, &worker, error) ||
      (worker.object != NULL &&
       (!gw_json_reader_string (&worker, "name", TRUE, &cell->worker_name, error) ||
        !gw_json_reader_string (&worker, "phone", FALSE, &cell->worker_phone, error))) ||
      !gw_json_reader_string (&props, "party_branch", FALSE, &cell->party_branch, error))
    return NULL;
  return g_steal_pointer (&cell);
}

/* ---- departments and classes ------------------------------------------------ */

static const char *const department_fields[] = {
  "id", "name", "phone", "dispatch_minutes", "handle_hours", NULL
};
static const char *const class_fields[] = {
  "code", "name", "category", "kind", "department", "deadline_hours", "priority", NULL
};

JsonNode *
gw_department_to_json (const GwDepartment *department)
{
  g_return_val_if_fail (department != NULL, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "id", department->id);
  add_string (b, "name", department->name);
  add_string (b, "phone", department->phone);
  add_int (b, "dispatch_minutes", department->dispatch_minutes);
  add_int (b, "handle_hours", department->handle_hours);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

GwDepartment *
gw_department_from_json (JsonNode *node, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  g_autoptr(GwDepartment) dep = gw_department_new ();

  if (!gw_json_reader_init (&r, node, "", department_fields, NULL, error) ||
      !read_ref (&r, "id", TRUE, &dep->id, error) ||
      !gw_json_reader_string (&r, "name", TRUE, &dep->name, error) ||
      !gw_json_reader_string (&r, "phone", FALSE, &dep->phone, error) ||
      !read_positive (&r, "dispatch_minutes", &dep->dispatch_minutes, error) ||
      !read_positive (&r, "handle_hours", &dep->handle_hours, error))
    return NULL;
  return g_steal_pointer (&dep);
}

JsonNode *
gw_incident_class_to_json (const GwIncidentClass *klass)
{
  g_return_val_if_fail (klass != NULL, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "code", klass->code);
  add_string (b, "name", klass->name);
  add_string (b, "category", klass->category);
  add_string (b, "kind", gw_class_kind_to_string (klass->kind));
  add_string (b, "department", klass->department);
  add_int (b, "deadline_hours", klass->deadline_hours);
  add_string (b, "priority", gw_priority_to_string (klass->priority));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

GwIncidentClass *
gw_incident_class_from_json (JsonNode *node, GError **error)
{
  g_auto(GwJsonReader) r = { 0 };
  g_autoptr(GwIncidentClass) klass = gw_incident_class_new ();

  if (!gw_json_reader_init (&r, node, "", class_fields, NULL, error) ||
      !read_class_code (&r, "code", &klass->code, error) ||
      !gw_json_reader_string (&r, "name", TRUE, &klass->name, error) ||
      !gw_json_reader_string (&r, "category", TRUE, &klass->category, error) ||
      !read_kind (&r, "kind", TRUE, &klass->kind, error) ||
      !read_ref (&r, "department", FALSE, &klass->department, error) ||
      !read_positive (&r, "deadline_hours", &klass->deadline_hours, error) ||
      !read_priority (&r, "priority", TRUE, &klass->priority, error))
    return NULL;
  return g_steal_pointer (&klass);
}
