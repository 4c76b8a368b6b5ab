/* test-codec.c — strict JSON codecs: round trips and every class of bad input */
#include <stdlib.h>
#include <string.h>

#include "gw-codec.h"
#include "gw-json-reader.h"

#define T(s) parse_time (s)

static GwTime
parse_time (const char *s)
{
  GwTime t;
  g_assert_true (gw_time_parse_rfc3339 (s, &t));
  return t;
}

static const char incident_json[] =
  "{\"id\": \"c-20261125-0001\", \"title\": \"垃圾满溢\", \"description\": \"bins full\","
  " \"class\": \"0101\", \"source\": \"hotline\", \"priority\": \"urgent\","
  " \"location\": {\"lon\": 116.3975, \"lat\": 39.9087}, \"address\": \"东华门大街 1 号\","
  " \"cell\": \"110101001001001\", \"department\": \"chengguan\", \"stage\": \"on_site\","
  " \"status\": \"open\", \"received_at\": \"2026-11-25T08:00:00Z\","
  " \"deadline\": \"2026-11-25T20:00:00+08:00\", \"closed_at\": null,"
  " \"updated_at\": \"2026-11-25T09:30:00.25Z\", \"seq\": 42,"
  " \"reporter\": {\"name\": \"王\", \"phone\": \"13800000000\"},"
  " \"visit\": {\"contacted\": true, \"resolved\": false, \"satisfaction\": \"basic\"},"
  " \"timeline\": ["
  "  {\"id\": \"e-1\", \"stage\": \"received\", \"time\": \"2026-11-25T08:00:00Z\"},"
  "  {\"id\": \"e-2\", \"stage\": \"registered\", \"time\": \"2026-11-25T08:10:00Z\","
  "   \"actor\": \"operator 7\", \"department\": null, \"note\": null, \"deadline\": null},"
  "  {\"id\": \"e-3\", \"stage\": \"dispatched\", \"time\": \"2026-11-25T08:10:00Z\","
  "   \"department\": \"chengguan\", \"deadline\": \"2026-11-25T12:00:00Z\"},"
  "  {\"id\": \"e-4\", \"stage\": \"on_site\", \"time\": \"2026-11-25T09:30:00.25Z\","
  "   \"note\": \"arrived\"}]}";

static const char report_json[] =
  "{\"title\": \"Pothole\", \"class\": \"0302\", \"source\": \"app\","
  " \"location\": {\"lon\": 116, \"lat\": 40}, \"address\": \"\"}";

static const char event_json[] =
  "{\"id\": \"ev-9\", \"stage\": \"extended\", \"time\": \"2026-11-26T01:02:03Z\","
  " \"actor\": \"li\", \"note\": \"rain\", \"deadline\": \"2026-11-28T00:00:00Z\"}";

static const char cell_json[] =
  "{\"type\": \"Feature\", \"id\": \"110101001001001\","
  " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[116.39, 39.90], [116.40, 39.90],"
  "   [116.40, 39.91], [116.39, 39.91], [116.39, 39.90]]]},"
  " \"properties\": {\"code\": \"110101001001001\", \"name\": \"东华门 1\", \"community\": \"东华门社区\","
  "   \"community_code\": \"110101001001\", \"street_code\": \"110101001\","
  "   \"worker\": {\"name\": \"张\", \"phone\": null}, \"party_branch\": \"第一支部\"}}";

static const char department_json[] =
  "{\"id\": \"chengguan\", \"name\": \"城管\", \"phone\": \"12319\","
  " \"dispatch_minutes\": 30, \"handle_hours\": 24}";

static const char class_json[] =
  "{\"code\": \"0101\", \"name\": \"垃圾满溢\", \"category\": \"市容环境\", \"kind\": \"component\","
  " \"department\": \"huanwei\", \"deadline_hours\": 12, \"priority\": \"normal\"}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = gw_json_parse (json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Encodes, prints, parses: what a peer on the other side of the wire would get. */
static JsonNode *
through_wire (JsonNode *node)
{
  g_autofree char *text = gw_json_to_string (node);
  json_node_unref (node);
  return parse (text);
}

/* ---- round trips ---------------------------------------------------------------- */

static void
test_incident_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (incident_json);
  g_autoptr(GwIncident) inc = gw_incident_from_json (node, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (inc->id, ==, "c-20261125-0001");
  g_assert_cmpstr (inc->title, ==, "垃圾满溢");
  g_assert_cmpstr (inc->class_code, ==, "0101");
  g_assert_cmpint (inc->source, ==, GW_SOURCE_HOTLINE);
  g_assert_cmpint (inc->priority, ==, GW_PRIORITY_URGENT);
  g_assert_cmpfloat (inc->lon, ==, 116.3975);
  g_assert_cmpfloat (inc->lat, ==, 39.9087);
  g_assert_cmpint (inc->stage, ==, GW_STAGE_ON_SITE);
  g_assert_cmpint (inc->received_at, ==, T ("2026-11-25T08:00:00Z"));
  g_assert_cmpint (inc->deadline, ==, T ("2026-11-25T12:00:00Z"));
  g_assert_cmpint (inc->closed_at, ==, GW_TIME_NONE);
  g_assert_cmpint (inc->updated_at, ==, T ("2026-11-25T09:30:00Z") + 250000);
  g_assert_cmpint (inc->seq, ==, 42);
  g_assert_cmpstr (inc->reporter_phone, ==, "13800000000");
  g_assert_true (inc->visited && inc->visit_contacted && !inc->visit_resolved);
  g_assert_cmpint (inc->satisfaction, ==, GW_SATISFACTION_BASIC);
  g_assert_cmpuint (inc->timeline->len, ==, 4);
  const GwStageEvent *e3 = gw_incident_find_event (inc, "e-3");
  g_assert_nonnull (e3);
  g_assert_cmpint (e3->stage, ==, GW_STAGE_DISPATCHED);
  g_assert_cmpstr (e3->department, ==, "chengguan");
  g_assert_null (gw_incident_find_event (inc, "e-2")->note);
  g_assert_cmpstr (gw_incident_find_event (inc, "e-2")->actor, ==, "operator 7");
}

static void
test_incident_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (incident_json);
  g_autoptr(GwIncident) a = gw_incident_from_json (node, &error);
  g_assert_no_error (error);

  g_autoptr(JsonNode) again = through_wire (gw_incident_to_json (a, TRUE));
  g_autoptr(GwIncident) b = gw_incident_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_true (gw_incident_equal (a, b));
  /* The server writes UTC. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "deadline"),
                   ==, "2026-11-25T12:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "updated_at"),
                   ==, "2026-11-25T09:30:00.250000Z");

  /* Without personal data: no reporter member at all, the rest intact. */
  g_autoptr(JsonNode) anon = through_wire (gw_incident_to_json (a, FALSE));
  g_assert_false (json_object_has_member (json_node_get_object (anon), "reporter"));
  g_autoptr(GwIncident) c = gw_incident_from_json (anon, &error);
  g_assert_no_error (error);
  g_assert_null (c->reporter_name);
  g_assert_null (c->reporter_phone);
  g_assert_false (gw_incident_equal (a, c));
  c->reporter_name = g_strdup (a->reporter_name);
  c->reporter_phone = g_strdup (a->reporter_phone);
  g_assert_true (gw_incident_equal (a, c));
}

/* Built by hand with the awkward values: NULLs, microseconds, a closed case. */
static void
test_incident_built_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GwIncident) a = gw_incident_new ();
  a->id = g_strdup ("A.b_c-9");
  a->title = g_strdup ("t \"quoted\" \\ \n newline");
  a->class_code = g_strdup ("9");
  a->source = GW_SOURCE_OTHER;
  a->priority = GW_PRIORITY_CRITICAL;
  a->lon = -179.999999999;
  a->lat = 0.1 + 0.2;
  a->address = g_strdup ("");
  a->stage = GW_STAGE_EVALUATED;
  a->received_at = 1;
  a->closed_at = T ("2030-01-01T00:00:00Z") + 999999;
  a->updated_at = a->closed_at;
  a->reporter_name = g_strdup ("only a name");
  a->visited = TRUE;
  a->satisfaction = GW_SATISFACTION_NONE;
  GwStageEvent *ev = gw_stage_event_new ();
  ev->id = g_strdup ("事件-1");
  ev->stage = GW_STAGE_RECEIVED;
  ev->time = 1;
  g_ptr_array_add (a->timeline, ev);

  g_autoptr(JsonNode) node = through_wire (gw_incident_to_json (a, TRUE));
  JsonObject *obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "closed");
  g_assert_true (json_object_get_null_member (obj, "cell"));
  g_assert_true (json_object_get_null_member (obj, "deadline"));
  g_assert_cmpstr (json_object_get_string_member (obj, "received_at"), ==,
                   "1970-01-01T00:00:00.000001Z");
  g_assert_true (json_object_get_null_member (json_object_get_object_member (obj, "visit"),
                                              "satisfaction"));
  g_autoptr(GwIncident) b = gw_incident_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (gw_incident_equal (a, b));
  g_assert_cmpfloat (b->lat, ==, 0.1 + 0.2);

  /* No visit: "visit": null, and not visited after decoding. */
  a->visited = FALSE;
  g_autoptr(JsonNode) node2 = through_wire (gw_incident_to_json (a, TRUE));
  g_assert_true (json_object_get_null_member (json_node_get_object (node2), "visit"));
  g_autoptr(GwIncident) c = gw_incident_from_json (node2, &error);
  g_assert_no_error (error);
  g_assert_false (c->visited);
  g_assert_true (gw_incident_equal (a, c));
}

static void
test_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (report_json);
  g_autoptr(GwIncident) r = gw_incident_report_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_null (r->id);
  g_assert_cmpstr (r->title, ==, "Pothole");
  g_assert_cmpint (r->source, ==, GW_SOURCE_APP);
  g_assert_cmpint (r->priority, ==, GW_PRIORITY_DEFAULT);
  g_assert_cmpint (r->received_at, ==, GW_TIME_NONE);
  g_assert_cmpfloat (r->lon, ==, 116);
  g_assert_cmpstr (r->address, ==, "");
  g_assert_cmpuint (r->timeline->len, ==, 0);

  g_autoptr(JsonNode) full = parse (
    "{\"id\": \"key-1\", \"title\": \"x\", \"description\": null, \"class\": \"01\","
    " \"source\": \"patrol\", \"priority\": \"critical\", \"location\": {\"lon\": 1, \"lat\": 2},"
    " \"address\": \"a\", \"received_at\": \"2026-11-25T08:00:00+08:00\","
    " \"reporter\": {\"name\": null, \"phone\": \"110\"}}");
  g_autoptr(GwIncident) f = gw_incident_report_from_json (full, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->id, ==, "key-1");
  g_assert_cmpint (f->priority, ==, GW_PRIORITY_CRITICAL);
  g_assert_cmpint (f->received_at, ==, T ("2026-11-25T00:00:00Z"));
  g_assert_cmpstr (f->reporter_phone, ==, "110");
  g_assert_null (f->reporter_name);
}

static void
test_event_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (event_json);
  g_autoptr(GwStageEvent) a = gw_stage_event_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->stage, ==, GW_STAGE_EXTENDED);
  g_assert_cmpint (a->deadline, ==, T ("2026-11-28T00:00:00Z"));
  g_assert_null (a->department);

  g_autoptr(JsonNode) out = gw_stage_event_to_json (a);
  g_autofree char *text = gw_json_to_string (out);
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"ev-9\",\"stage\":\"extended\",\"time\":\"2026-11-26T01:02:03Z\","
                   "\"actor\":\"li\",\"department\":null,\"note\":\"rain\","
                   "\"deadline\":\"2026-11-28T00:00:00Z\"}");
  g_autoptr(JsonNode) again = parse (text);
  g_autoptr(GwStageEvent) b = gw_stage_event_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_true (gw_stage_event_equal (a, b));
}

static void
test_cell_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (cell_json);
  g_autoptr(GwCell) a = gw_cell_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->code, ==, "110101001001001");
  g_assert_cmpstr (a->community, ==, "东华门社区");
  g_assert_cmpstr (a->worker_name, ==, "张");
  g_assert_null (a->worker_phone);
  g_assert_cmpuint (a->n_points, ==, 5);
  g_assert_true (gw_cell_contains (a, 116.395, 39.905));

  g_autoptr(JsonNode) again = through_wire (gw_cell_to_json (a));
  g_autoptr(GwCell) b = gw_cell_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->code, ==, a->code);
  g_assert_cmpstr (b->name, ==, a->name);
  g_assert_cmpstr (b->community, ==, a->community);
  g_assert_cmpstr (b->worker_name, ==, a->worker_name);
  g_assert_cmpstr (b->worker_phone, ==, a->worker_phone);
  g_assert_cmpstr (b->party_branch, ==, a->party_branch);
  g_assert_cmpuint (b->n_points, ==, a->n_points);
  g_assert_cmpmem (b->ring, b->n_points * 2 * sizeof (double),
                   a->ring, a->n_points * 2 * sizeof (double));
  JsonObject *props = json_object_get_object_member (json_node_get_object (again), "properties");
  g_assert_cmpstr (json_object_get_string_member (props, "street_code"), ==, "110101001");
  g_assert_cmpstr (json_object_get_string_member (props, "community_code"), ==, "110101001001");

  /* The derived codes are optional on input; no worker is null. */
  g_autoptr(JsonNode) lean = parse (
    "{\"type\": \"Feature\", \"id\": \"11010100100100\", \"geometry\": {\"type\": \"Polygon\","
    " \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, \"properties\": {\"code\":"
    " \"11010100100100\", \"name\": \"n\", \"community\": \"c\", \"worker\": null}}");
  g_autoptr(GwCell) c = gw_cell_from_json (lean, &error);
  g_assert_no_error (error);
  g_assert_null (c->worker_name);
  g_assert_null (c->party_branch);
}

static void
test_department_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (department_json);
  g_autoptr(GwDepartment) a = gw_department_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->dispatch_minutes, ==, 30);
  g_assert_cmpint (a->handle_hours, ==, 24);
  a->phone = (g_free (a->phone), NULL);
  g_autoptr(JsonNode) out = gw_department_to_json (a);
  g_autofree char *text = gw_json_to_string (out);
  g_assert_cmpstr (text, ==, "{\"id\":\"chengguan\",\"name\":\"城管\",\"phone\":null,"
                             "\"dispatch_minutes\":30,\"handle_hours\":24}");
  g_autoptr(JsonNode) again = parse (text);
  g_autoptr(GwDepartment) b = gw_department_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->id, ==, a->id);
  g_assert_cmpstr (b->name, ==, a->name);
  g_assert_null (b->phone);
  g_assert_cmpint (b->dispatch_minutes, ==, a->dispatch_minutes);
  g_assert_cmpint (b->handle_hours, ==, a->handle_hours);
}

static void
test_class_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (class_json);
  g_autoptr(GwIncidentClass) a = gw_incident_class_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->kind, ==, GW_CLASS_KIND_COMPONENT);
  g_assert_cmpint (a->deadline_hours, ==, 12);
  g_autoptr(JsonNode) again = through_wire (gw_incident_class_to_json (a));
  g_autoptr(GwIncidentClass) b = gw_incident_class_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->code, ==, a->code);
  g_assert_cmpstr (b->name, ==, a->name);
  g_assert_cmpstr (b->category, ==, a->category);
  g_assert_cmpint (b->kind, ==, a->kind);
  g_assert_cmpstr (b->department, ==, a->department);
  g_assert_cmpint (b->deadline_hours, ==, a->deadline_hours);
  g_assert_cmpint (b->priority, ==, a->priority);
}

static void
test_change_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inode = parse (incident_json);
  g_autoptr(GwIncident) a = gw_incident_from_json (inode, &error);
  g_assert_no_error (error);

  g_autoptr(JsonNode) node = through_wire (gw_change_to_json (43, a));
  JsonObject *obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "kind"), ==, "incident");
  g_assert_false (json_object_has_member (json_object_get_object_member (obj, "incident"),
                                          "reporter"));
  gint64 seq = 0;
  g_autoptr(GwIncident) b = gw_change_from_json (node, &seq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 43);
  g_assert_null (b->reporter_name);

  g_autoptr(JsonNode) full = through_wire (gw_change_to_json_full (44, a, TRUE));
  g_autoptr(GwIncident) c = gw_change_from_json (full, &seq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 44);
  g_assert_true (gw_incident_equal (a, c));
}

/* ---- rejections ----------------------------------------------------------------- */

static void
test_malformed (void)
{
  g_autofree char *deep = g_strnfill (200, '[');
  const char *bad[] = {
    "", "   ", "{", "{\"id\":}", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "/* c */ {}",
    "{\"a\":1,\"a\":2}", "{\"a\":1} x", "{} {}", "\xff", "{\"a\":\"\xc3\x28\"}",
    "{\"a\":99999999999999999999}", "{\"a\":-99999999999999999999}", "{\"a\":1e400}",
    "{\"a\":\"x\\u0000y\"}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":-}",
    "{\"a\":\"tab\there\"}", "\xef\xbb\xbf{}", "{\"a\":NaN}", "{\"a\":tru}",
    "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\ud800\"}", "\"unterminated",
    "[\"\\udc00\"]", "[\"\\ud800x\"]", "[\"\\ud800\\u0041\"]", "[\"\\ud800\\\"]",
    deep,
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = gw_json_parse (bad[i], -1, &error);
      if (node != NULL)
        g_error ("accepted %s", bad[i]);
      g_assert_error (error, GW_CODEC_ERROR, GW_CODEC_ERROR_MALFORMED);
      g_assert_true (g_str_has_prefix (error->message, "(root): "));
    }

  /* Length is honoured: the same bytes with and without a NUL in range. */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ok = gw_json_parse ("{}garbage", 2, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (ok));
  g_autoptr(JsonNode) nul = gw_json_parse ("{}\0", 3, &error);
  g_assert_error (error, GW_CODEC_ERROR, GW_CODEC_ERROR_MALFORMED);
  g_assert_null (nul);
  g_clear_error (&error);
  /* Surrogate pairs, escapes and tiny numbers are fine. */
  g_autoptr(JsonNode) fine = gw_json_parse ("[\"\\ud83d\\ude00\\u00e9\\/\", 5e-324, -0, 1E+2]", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (fine), 0), ==, "\xf0\x9f\x98\x80\xc3\xa9/");
  g_assert_cmpfloat (json_array_get_double_element (json_node_get_array (fine), 1), >, 0);
  /* Nesting up to the limit parses; one more level does not. */
  g_autofree char *open = g_strnfill (GW_JSON_MAX_DEPTH + 1, '[');
  g_autofree char *close = g_strnfill (GW_JSON_MAX_DEPTH + 1, ']');
  g_autofree char *nested = g_strconcat (open + 1, close + 1, NULL);
  g_autoptr(JsonNode) deep_ok = gw_json_parse (nested, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (deep_ok));
  g_autofree char *too_deep = g_strconcat (open, close, NULL);
  g_autoptr(JsonNode) deep_bad = gw_json_parse (too_deep, -1, &error);
  g_assert_error (error, GW_CODEC_ERROR, GW_CODEC_ERROR_MALFORMED);
  g_assert_null (deep_bad);
}

typedef enum { INCIDENT, REPORT, EVENT, CELL, DEPARTMENT, CLASS, CHANGE } Kind;

typedef struct {
  Kind        kind;
  const char *member;   /* dot path of the member to change; a[1] steps into arrays */
  const char *value;    /* JSON to put there, or NULL to remove the member */
  int         code;
  const char *message;  /* the start of the expected message */
} Case;

static const Case cases[] = {
  /* root */
  { INCIDENT, NULL, "[]", GW_CODEC_ERROR_WRONG_TYPE, "(root): expected an object" },
  { CELL, NULL, "\"Feature\"", GW_CODEC_ERROR_WRONG_TYPE, "(root): expected an object" },
  /* wrong types */
  { INCIDENT, "title", "5", GW_CODEC_ERROR_WRONG_TYPE, "title: expected a string" },
  { INCIDENT, "location.lat", "\"39.9\"", GW_CODEC_ERROR_WRONG_TYPE, "location.lat: expected a number" },
  { INCIDENT, "location", "[116, 39]", GW_CODEC_ERROR_WRONG_TYPE, "location: expected an object" },
  { INCIDENT, "seq", "1.5", GW_CODEC_ERROR_WRONG_TYPE, "seq: expected an integer" },
  { INCIDENT, "seq", "\"42\"", GW_CODEC_ERROR_WRONG_TYPE, "seq: expected an integer" },
  { INCIDENT, "timeline", "{}", GW_CODEC_ERROR_WRONG_TYPE, "timeline: expected an array" },
  { INCIDENT, "timeline", "[{\"id\": \"e-1\", \"stage\": \"received\", \"time\": \"2026-11-25T08:00:00Z\"}, 3]",
    GW_CODEC_ERROR_WRONG_TYPE, "timeline[1]: expected an object" },
  { INCIDENT, "timeline[0].time", "1764057600", GW_CODEC_ERROR_WRONG_TYPE, "timeline[0].time: expected a string" },
  { INCIDENT, "visit.contacted", "\"yes\"", GW_CODEC_ERROR_WRONG_TYPE, "visit.contacted: expected a boolean" },
  { INCIDENT, "reporter.name", "1", GW_CODEC_ERROR_WRONG_TYPE, "reporter.name: expected a string" },
  { INCIDENT, "reporter", "\"王\"", GW_CODEC_ERROR_WRONG_TYPE, "reporter: expected an object" },
  { INCIDENT, "description", "false", GW_CODEC_ERROR_WRONG_TYPE, "description: expected a string" },
  /* missing */
  { INCIDENT, "title", NULL, GW_CODEC_ERROR_MISSING, "title: " },
  { INCIDENT, "title", "null", GW_CODEC_ERROR_MISSING, "title: " },
  { INCIDENT, "location.lat", NULL, GW_CODEC_ERROR_MISSING, "location.lat: " },
  { INCIDENT, "location", "null", GW_CODEC_ERROR_MISSING, "location: " },
  { INCIDENT, "timeline[2].stage", NULL, GW_CODEC_ERROR_MISSING, "timeline[2].stage: " },
  { INCIDENT, "timeline", NULL, GW_CODEC_ERROR_MISSING, "timeline: " },
  { INCIDENT, "updated_at", NULL, GW_CODEC_ERROR_MISSING, "updated_at: " },
  { INCIDENT, "seq", "null", GW_CODEC_ERROR_MISSING, "seq: " },
  { INCIDENT, "status", NULL, GW_CODEC_ERROR_MISSING, "status: " },
  { INCIDENT, "visit.resolved", NULL, GW_CODEC_ERROR_MISSING, "visit.resolved: " },
  { INCIDENT, "address", NULL, GW_CODEC_ERROR_MISSING, "address: " },
  /* unknown fields */
  { INCIDENT, "colour", "\"red\"", GW_CODEC_ERROR_UNKNOWN_FIELD, "colour: unknown field" },
  { INCIDENT, "location.alt", "12", GW_CODEC_ERROR_UNKNOWN_FIELD, "location.alt: unknown field" },
  { INCIDENT, "timeline[3].extra", "null", GW_CODEC_ERROR_UNKNOWN_FIELD, "timeline[3].extra: unknown field" },
  { INCIDENT, "visit.when", "null", GW_CODEC_ERROR_UNKNOWN_FIELD, "visit.when: unknown field" },
  { INCIDENT, "Title", "\"x\"", GW_CODEC_ERROR_UNKNOWN_FIELD, "Title: unknown field" },
  /* unknown enum values */
  { INCIDENT, "stage", "\"foo\"", GW_CODEC_ERROR_BAD_VALUE, "stage: unknown stage 'foo'" },
  { INCIDENT, "timeline[2].stage", "\"foo\"", GW_CODEC_ERROR_BAD_VALUE, "timeline[2].stage: unknown stage 'foo'" },
  { INCIDENT, "source", "\"fax\"", GW_CODEC_ERROR_BAD_VALUE, "source: unknown source 'fax'" },
  { INCIDENT, "priority", "\"Urgent\"", GW_CODEC_ERROR_BAD_VALUE, "priority: unknown priority 'Urgent'" },
  { INCIDENT, "visit.satisfaction", "\"meh\"", GW_CODEC_ERROR_BAD_VALUE, "visit.satisfaction: unknown satisfaction" },
  { INCIDENT, "status", "\"pending\"", GW_CODEC_ERROR_BAD_VALUE, "status: unknown status" },
  /* bad times */
  { INCIDENT, "received_at", "\"2026-11-25 08:00:00\"", GW_CODEC_ERROR_BAD_VALUE,
    "received_at: not an RFC 3339 time with a zone" },
  { INCIDENT, "received_at", "\"2026-11-25T08:00:00\"", GW_CODEC_ERROR_BAD_VALUE, "received_at: not an RFC 3339" },
  { INCIDENT, "deadline", "\"2026-02-29T00:00:00Z\"", GW_CODEC_ERROR_BAD_VALUE, "deadline: not an RFC 3339" },
  { INCIDENT, "timeline[1].time", "\"yesterday\"", GW_CODEC_ERROR_BAD_VALUE, "timeline[1].time: not an RFC 3339" },
  { INCIDENT, "closed_at", "\"1970-01-01T00:00:00Z\"", GW_CODEC_ERROR_BAD_VALUE, "closed_at: not later than 1970" },
  /* bad ids and codes */
  { INCIDENT, "id", "\"has space\"", GW_CODEC_ERROR_BAD_VALUE, "id: " },
  { INCIDENT, "id", "\"\"", GW_CODEC_ERROR_BAD_VALUE, "id: " },
  { INCIDENT, "id", "\"a123456789a123456789a123456789a123456789a123456789a123456789abcde\"",
    GW_CODEC_ERROR_BAD_VALUE, "id: " },
  { INCIDENT, "cell", "\"1101010010010\"", GW_CODEC_ERROR_BAD_VALUE, "cell: " },
  { INCIDENT, "cell", "\"11010100100100x\"", GW_CODEC_ERROR_BAD_VALUE, "cell: " },
  { INCIDENT, "class", "\"01 a\"", GW_CODEC_ERROR_BAD_VALUE, "class: " },
  { INCIDENT, "class", "\"\"", GW_CODEC_ERROR_BAD_VALUE, "class: " },
  { INCIDENT, "department", "\"\"", GW_CODEC_ERROR_BAD_VALUE, "department: " },
  { INCIDENT, "timeline[0].id", "\"\"", GW_CODEC_ERROR_BAD_VALUE, "timeline[0].id: " },
  { INCIDENT, "title", "\"\"", GW_CODEC_ERROR_BAD_VALUE, "title: must not be empty" },
  /* bad coordinates */
  { INCIDENT, "location.lat", "90.000001", GW_CODEC_ERROR_BAD_VALUE, "location.lat: out of range" },
  { INCIDENT, "location.lat", "-91", GW_CODEC_ERROR_BAD_VALUE, "location.lat: out of range" },
  { INCIDENT, "location.lon", "180.5", GW_CODEC_ERROR_BAD_VALUE, "location.lon: out of range" },
  /* status and stage must agree */
  { INCIDENT, "status", "\"closed\"", GW_CODEC_ERROR_BAD_VALUE, "status: 'closed' disagrees with stage 'on_site'" },
  { INCIDENT, "stage", "\"evaluated\"", GW_CODEC_ERROR_BAD_VALUE, "status: 'open' disagrees with stage 'evaluated'" },
  /* numbers and the timeline */
  { INCIDENT, "seq", "-1", GW_CODEC_ERROR_BAD_VALUE, "seq: " },
  { INCIDENT, "timeline[3].time", "\"2026-11-25T08:09:59Z\"", GW_CODEC_ERROR_BAD_VALUE, "timeline[3].time: earlier" },
  { INCIDENT, "timeline[2].id", "\"e-1\"", GW_CODEC_ERROR_BAD_VALUE, "timeline[2].id: duplicate event id 'e-1'" },
  /* reports: server-set and unknown fields */
  { REPORT, "cell", "\"110101001001001\"", GW_CODEC_ERROR_UNKNOWN_FIELD, "cell: set by the server" },
  { REPORT, "seq", "1", GW_CODEC_ERROR_UNKNOWN_FIELD, "seq: set by the server" },
  { REPORT, "stage", "\"received\"", GW_CODEC_ERROR_UNKNOWN_FIELD, "stage: set by the server" },
  { REPORT, "status", "\"open\"", GW_CODEC_ERROR_UNKNOWN_FIELD, "status: set by the server" },
  { REPORT, "timeline", "[]", GW_CODEC_ERROR_UNKNOWN_FIELD, "timeline: set by the server" },
  { REPORT, "department", "null", GW_CODEC_ERROR_UNKNOWN_FIELD, "department: set by the server" },
  { REPORT, "updated_at", "\"2026-11-25T08:00:00Z\"", GW_CODEC_ERROR_UNKNOWN_FIELD, "updated_at: set by the server" },
  { REPORT, "colour", "1", GW_CODEC_ERROR_UNKNOWN_FIELD, "colour: unknown field" },
  { REPORT, "title", NULL, GW_CODEC_ERROR_MISSING, "title: " },
  { REPORT, "source", "\"fax\"", GW_CODEC_ERROR_BAD_VALUE, "source: unknown source" },
  { REPORT, "priority", "\"low\"", GW_CODEC_ERROR_BAD_VALUE, "priority: unknown priority" },
  { REPORT, "received_at", "\"now\"", GW_CODEC_ERROR_BAD_VALUE, "received_at: not an RFC 3339" },
  { REPORT, "id", "\"a/b\"", GW_CODEC_ERROR_BAD_VALUE, "id: " },
  { REPORT, "location.lon", "-200", GW_CODEC_ERROR_BAD_VALUE, "location.lon: out of range" },
  { REPORT, "reporter", "{\"name\": \"x\", \"email\": \"x@y\"}", GW_CODEC_ERROR_UNKNOWN_FIELD, "reporter.email: unknown field" },
  /* stage events */
  { EVENT, "id", "\"a123456789a123456789a123456789a123456789a123456789a123456789a123456789"
                 "a123456789a123456789a123456789a123456789a123456789abcdefghi\"",
    GW_CODEC_ERROR_BAD_VALUE, "id: must be 1 to 128" },
  { EVENT, "id", "7", GW_CODEC_ERROR_WRONG_TYPE, "id: expected a string" },
  { EVENT, "stage", "\"Closed\"", GW_CODEC_ERROR_BAD_VALUE, "stage: unknown stage 'Closed'" },
  { EVENT, "time", NULL, GW_CODEC_ERROR_MISSING, "time: " },
  { EVENT, "deadline", "\"tomorrow\"", GW_CODEC_ERROR_BAD_VALUE, "deadline: not an RFC 3339" },
  { EVENT, "seq", "1", GW_CODEC_ERROR_UNKNOWN_FIELD, "seq: unknown field" },
  /* cells */
  { CELL, "type", "\"Polygon\"", GW_CODEC_ERROR_BAD_VALUE, "type: expected 'Feature'" },
  { CELL, "id", "\"abc\"", GW_CODEC_ERROR_BAD_VALUE, "id: not a 14 or 15 digit cell code" },
  { CELL, "bbox", "[0, 0, 1, 1]", GW_CODEC_ERROR_UNKNOWN_FIELD, "bbox: unknown field" },
  { CELL, "geometry.type", "\"MultiPolygon\"", GW_CODEC_ERROR_BAD_VALUE, "geometry.type: expected 'Polygon'" },
  { CELL, "geometry.coordinates", "[]", GW_CODEC_ERROR_BAD_VALUE, "geometry.coordinates: needs an outer ring" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0],[1,1],[0,0]], [[0,0],[1,0],[1,1],[0,0]]]",
    GW_CODEC_ERROR_BAD_VALUE, "geometry.coordinates: holes are not supported" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0],[0,0]]]", GW_CODEC_ERROR_BAD_VALUE,
    "geometry.coordinates[0]: a ring needs at least 4" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0],[1,1],[0,1]]]", GW_CODEC_ERROR_BAD_VALUE,
    "geometry.coordinates[0]: the ring is not closed" },
  { CELL, "geometry.coordinates", "[[[0,0],[1],[1,1],[0,0]]]", GW_CODEC_ERROR_BAD_VALUE,
    "geometry.coordinates[0][1]: expected [lon, lat]" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0,5],[1,1],[0,0]]]", GW_CODEC_ERROR_BAD_VALUE,
    "geometry.coordinates[0][1]: expected [lon, lat]" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0],[1,\"1\"],[0,0]]]", GW_CODEC_ERROR_WRONG_TYPE,
    "geometry.coordinates[0][2][1]: expected a number" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0],[1,95],[0,0]]]", GW_CODEC_ERROR_BAD_VALUE,
    "geometry.coordinates[0][2][1]: out of range" },
  { CELL, "geometry.coordinates", "[[[0,0],[1,0],{},[0,0]]]", GW_CODEC_ERROR_WRONG_TYPE,
    "geometry.coordinates[0][2]: expected an array" },
  { CELL, "geometry.coordinates", "[{}]", GW_CODEC_ERROR_WRONG_TYPE, "geometry.coordinates[0]: expected an array" },
  { CELL, "properties.code", "\"110101001001002\"", GW_CODEC_ERROR_BAD_VALUE, "properties.code: differs from id" },
  { CELL, "properties.community_code", "\"110101001002\"", GW_CODEC_ERROR_BAD_VALUE, "properties.community_code: " },
  { CELL, "properties.street_code", "\"11010100\"", GW_CODEC_ERROR_BAD_VALUE, "properties.street_code: " },
  { CELL, "properties.worker.name", NULL, GW_CODEC_ERROR_MISSING, "properties.worker.name: " },
  { CELL, "properties.worker.phone", "12", GW_CODEC_ERROR_WRONG_TYPE, "properties.worker.phone: " },
  { CELL, "properties.name", NULL, GW_CODEC_ERROR_MISSING, "properties.name: " },
  { CELL, "properties.area", "3", GW_CODEC_ERROR_UNKNOWN_FIELD, "properties.area: unknown field" },
  { CELL, "properties", NULL, GW_CODEC_ERROR_MISSING, "properties: " },
  /* departments and classes */
  { DEPARTMENT, "dispatch_minutes", "0", GW_CODEC_ERROR_BAD_VALUE, "dispatch_minutes: must be a positive" },
  { DEPARTMENT, "handle_hours", "4294967296", GW_CODEC_ERROR_BAD_VALUE, "handle_hours: must be a positive" },
  { DEPARTMENT, "dispatch_minutes", "\"30\"", GW_CODEC_ERROR_WRONG_TYPE, "dispatch_minutes: expected an integer" },
  { DEPARTMENT, "id", "\"\"", GW_CODEC_ERROR_BAD_VALUE, "id: must not be empty" },
  { DEPARTMENT, "name", NULL, GW_CODEC_ERROR_MISSING, "name: " },
  { DEPARTMENT, "email", "null", GW_CODEC_ERROR_UNKNOWN_FIELD, "email: unknown field" },
  { CLASS, "code", "\"A/01\"", GW_CODEC_ERROR_BAD_VALUE, "code: " },
  { CLASS, "kind", "\"thing\"", GW_CODEC_ERROR_BAD_VALUE, "kind: unknown kind 'thing'" },
  { CLASS, "deadline_hours", "1.5", GW_CODEC_ERROR_WRONG_TYPE, "deadline_hours: expected an integer" },
  { CLASS, "deadline_hours", "-3", GW_CODEC_ERROR_BAD_VALUE, "deadline_hours: " },
  { CLASS, "priority", NULL, GW_CODEC_ERROR_MISSING, "priority: " },
  /* changes */
  { CHANGE, "seq", "0", GW_CODEC_ERROR_BAD_VALUE, "seq: must be positive" },
  { CHANGE, "kind", "\"cell\"", GW_CODEC_ERROR_BAD_VALUE, "kind: expected 'incident'" },
  { CHANGE, "incident", NULL, GW_CODEC_ERROR_MISSING, "incident: " },
  { CHANGE, "incident", "[]", GW_CODEC_ERROR_WRONG_TYPE, "incident: expected an object" },
  { CHANGE, "incident.stage", "\"foo\"", GW_CODEC_ERROR_BAD_VALUE, "incident.stage: unknown stage 'foo'" },
  { CHANGE, "incident.timeline[0].id", "1", GW_CODEC_ERROR_WRONG_TYPE, "incident.timeline[0].id: " },
  { CHANGE, "incident.colour", "null", GW_CODEC_ERROR_UNKNOWN_FIELD, "incident.colour: unknown field" },
  { CHANGE, "extra", "1", GW_CODEC_ERROR_UNKNOWN_FIELD, "extra: unknown field" },
};

static const char *
base_for (Kind kind)
{
  switch (kind)
    {
    case INCIDENT: return incident_json;
    case REPORT: return report_json;
    case EVENT: return event_json;
    case CELL: return cell_json;
    case DEPARTMENT: return department_json;
    case CLASS: return class_json;
    case CHANGE: return NULL;
    }
  g_assert_not_reached ();
}

static JsonNode *
base_node (Kind kind)
{
  if (kind != CHANGE)
    return parse (base_for (kind));
  /* The change of the sample incident, without personal data. */
  g_autoptr(JsonNode) inode = parse (incident_json);
  g_autoptr(GwIncident) inc = gw_incident_from_json (inode, NULL);
  g_assert_nonnull (inc);
  return gw_change_to_json (7, inc);
}

/* The base document with @member changed, printed back to text. */
static char *
mutate (Kind kind, const char *member, const char *value)
{
  JsonNode *root = base_node (kind);

  if (member == NULL)
    {
      json_node_unref (root);
      return g_strdup (value);
    }

  g_auto(GStrv) parts = g_strsplit (member, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (parts);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_auto(GStrv) idx = g_strsplit (parts[i], "[", -1);
      node = json_object_get_member (json_node_get_object (node), idx[0]);
      for (guint k = 1; idx[k] != NULL; k++)
        node = json_array_get_element (json_node_get_array (node), atoi (idx[k]));
      g_assert_nonnull (node);
    }
  JsonObject *obj = json_node_get_object (node);
  if (value == NULL)
    {
      g_assert_true (json_object_has_member (obj, parts[n - 1]));
      json_object_remove_member (obj, parts[n - 1]);
    }
  else
    json_object_set_member (obj, parts[n - 1], json_from_string (value, NULL));
  char *text = json_to_string (root, FALSE);
  json_node_unref (root);
  return text;
}

static void
test_rejections (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *text = mutate (c->kind, c->member, c->value);
      g_autoptr(JsonNode) node = parse (text);
      gpointer result = NULL;
      gint64 seq = -5;

      switch (c->kind)
        {
        case INCIDENT: result = gw_incident_from_json (node, &error); break;
        case REPORT: result = gw_incident_report_from_json (node, &error); break;
        case EVENT: result = gw_stage_event_from_json (node, &error); break;
        case CELL: result = gw_cell_from_json (node, &error); break;
        case DEPARTMENT: result = gw_department_from_json (node, &error); break;
        case CLASS: result = gw_incident_class_from_json (node, &error); break;
        case CHANGE: result = gw_change_from_json (node, &seq, &error); break;
        }
      if (result != NULL || error == NULL)
        g_error ("case %u (%s = %s): accepted %s", i, c->member, c->value, text);
      if (error->domain != GW_CODEC_ERROR || error->code != c->code ||
          !g_str_has_prefix (error->message, c->message))
        g_error ("case %u (%s = %s): got code %d '%s', want code %d '%s...'", i, c->member,
                 c->value, error->code, error->message, c->code, c->message);
      g_assert_cmpint (seq, ==, -5);
    }
}

/* Each sample is valid as it stands, so the rejections above are down to the change. */
static void
test_bases_valid (void)
{
  for (Kind k = INCIDENT; k <= CHANGE; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = base_node (k);
      gpointer r = NULL;
      GDestroyNotify free_func = NULL;
      switch (k)
        {
        case INCIDENT: r = gw_incident_from_json (node, &error); free_func = (GDestroyNotify) gw_incident_unref; break;
        case REPORT: r = gw_incident_report_from_json (node, &error); free_func = (GDestroyNotify) gw_incident_unref; break;
        case EVENT: r = gw_stage_event_from_json (node, &error); free_func = (GDestroyNotify) gw_stage_event_free; break;
        case CELL: r = gw_cell_from_json (node, &error); free_func = (GDestroyNotify) gw_cell_unref; break;
        case DEPARTMENT: r = gw_department_from_json (node, &error); free_func = (GDestroyNotify) gw_department_unref; break;
        case CLASS: r = gw_incident_class_from_json (node, &error); free_func = (GDestroyNotify) gw_incident_class_unref; break;
        case CHANGE: r = gw_change_from_json (node, NULL, &error); free_func = (GDestroyNotify) gw_incident_unref; break;
        }
      g_assert_no_error (error);
      g_assert_nonnull (r);
      free_func (r);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/codec/incident/decode", test_incident_decode);
  g_test_add_func ("/codec/incident/round-trip", test_incident_round_trip);
  g_test_add_func ("/codec/incident/built-round-trip", test_incident_built_round_trip);
  g_test_add_func ("/codec/report", test_report);
  g_test_add_func ("/codec/event/round-trip", test_event_round_trip);
  g_test_add_func ("/codec/cell/round-trip", test_cell_round_trip);
  g_test_add_func ("/codec/department/round-trip", test_department_round_trip);
  g_test_add_func ("/codec/class/round-trip", test_class_round_trip);
  g_test_add_func ("/codec/change/round-trip", test_change_round_trip);
  g_test_add_func ("/codec/reject/malformed", test_malformed);
  g_test_add_func ("/codec/reject/bases-valid", test_bases_valid);
  g_test_add_func ("/codec/reject/fields", test_rejections);
  return g_test_run ();
}
