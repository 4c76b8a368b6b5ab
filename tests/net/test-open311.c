/* test-open311.c — the Open311 GeoReport v2 readers and GwOpen311Feed
 *
 * Parser tests run on real responses ($GW_FIXTURES/open311/) and on small documents
 * written here. Feed tests talk real HTTP over loopback to a SoupServer that serves the
 * Helsinki fixture with real paging (page/page_size slice the list), start_date/end_date
 * and updated_after filters, and switches for the misbehaviour real servers show.
 * Nothing sleeps: the main context is iterated until a condition holds, under a timeout.
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gw-open311.h"
#include "gw-open311-feed.h"
#include "gw-workflow.h"

#define HELSINKI_REQUESTS "helsinki_requests_georeport_v2.json"
#define HELSINKI_SERVICES "helsinki_services.json"
#define BLOOMINGTON       "open311status_bloomington_requests.json"
#define DC_SERVICES_XML   "node-open311_dc-services.xml"
#define N_HELSINKI        1378
#define WAIT_SECONDS      30

/* ---- helpers ------------------------------------------------------------------- */

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until @cond holds; fails the test after WAIT_SECONDS.
 * The 50 ms wake-up only guarantees the deadline is checked; it is not a sleep. */
#define WAIT_FOR(cond)                                                                  \
  G_STMT_START {                                                                        \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;         \
    guint wake_ = g_timeout_add (50, wake_cb, NULL);                                    \
    while (!(cond))                                                                     \
      {                                                                                 \
        if (g_get_monotonic_time () > deadline_)                                        \
          g_error ("timed out waiting for: %s", #cond);                                 \
        g_main_context_iteration (NULL, TRUE);                                          \
      }                                                                                 \
    g_source_remove (wake_);                                                            \
  } G_STMT_END

/* The fixture's path, or NULL after g_test_skip() when the folder is absent. */
static char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("GW_FIXTURES");
  if (dir == NULL)
    {
      g_test_skip ("GW_FIXTURES is not set: the Open311 fixtures (shared/fixtures) are needed");
      return NULL;
    }
  char *path = g_build_filename (dir, "open311", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *msg = g_strdup_printf ("fixture %s is absent; test skipped", path);
      g_test_skip (msg);
      g_free (path);
      return NULL;
    }
  return path;
}

static char *
load_fixture (const char *name, gsize *length)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  if (path == NULL)
    return NULL;
  g_assert_true (g_file_get_contents (path, &data, length, &error));
  g_assert_no_error (error);
  return data;
}

static GwTime
T (const char *text)
{
  GwTime t = 0;
  g_assert_true (gw_time_parse_rfc3339 (text, &t));
  return t;
}

static GwIncident *
find_incident (GPtrArray *incidents, const char *id)
{
  for (guint i = 0; i < incidents->len; i++)
    if (g_strcmp0 (((GwIncident *) incidents->pdata[i])->id, id) == 0)
      return incidents->pdata[i];
  return NULL;
}

/* The stages of @inc's timeline as one string: "received registered ...". */
static char *
stages_of (const GwIncident *inc)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < inc->timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (inc->timeline, i);
      g_string_append_printf (s, "%s%s", i > 0 ? " " : "", gw_stage_to_string (ev->stage));
    }
  return g_string_free (s, FALSE);
}

/* Replays @inc's timeline from nothing: every entry must be accepted. */
static void
assert_timeline_valid (const GwIncident *inc)
{
  g_autoptr(GwIncident) replay = gw_incident_copy (inc);
  g_ptr_array_set_size (replay->timeline, 0);
  replay->stage = GW_STAGE_RECEIVED;
  g_assert_cmpuint (inc->timeline->len, >, 0);
  g_assert_cmpint (((GwStageEvent *) inc->timeline->pdata[0])->stage, ==, GW_STAGE_RECEIVED);
  g_assert_cmpint (((GwStageEvent *) inc->timeline->pdata[0])->time, ==, inc->received_at);
  for (guint i = 0; i < inc->timeline->len; i++)
    {
      g_autoptr(GError) error = NULL;
      if (!gw_incident_apply_event (replay, inc->timeline->pdata[i], &error))
        g_error ("%s: timeline entry %u rejected: %s", inc->id, i, error->message);
    }
  g_assert_cmpint (replay->stage, ==, inc->stage);
}

/* ---- what the Helsinki fixture should give, counted independently ---------------- */

typedef struct {
  guint       n_requests;
  guint       n_closed;
  guint       n_tasks;
  guint       n_events;     /* stage events the mapping rules derive from the tasks */
  GHashTable *departments;  /* agencies and task owners */
  GHashTable *agency;       /* request id → agency_responsible */
} Expected;

static void
expected_clear (Expected *e)
{
  g_clear_pointer (&e->departments, g_hash_table_unref);
  g_clear_pointer (&e->agency, g_hash_table_unref);
}

static gboolean
task_starts (const char *type)
{
  /* assigned → dispatched, wait_for_answer / moved_to_other_system → on_site,
   * wait_for_comment → parked, transferred_out → returned; informed is no stage. */
  static const char *const starting[] = {
    "assigned", "wait_for_answer", "moved_to_other_system", "wait_for_comment",
    "transferred_out", NULL
  };
  if (g_strcmp0 (type, "informed") == 0)
    return FALSE;
  g_assert_true (g_strv_contains (starting, type));
  return TRUE;
}

static gboolean
expected_load (Expected *e)
{
  gsize length;
  g_autofree char *data = load_fixture (HELSINKI_REQUESTS, &length);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  memset (e, 0, sizeof *e);
  if (data == NULL)
    return FALSE;
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) length, &error));
  e->departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  e->agency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  JsonArray *list = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *r = json_array_get_object_element (list, i);
      const char *agency = json_object_get_string_member (r, "agency_responsible");
      e->n_requests++;
      e->n_events++;  /* received */
      if (g_strcmp0 (json_object_get_string_member (r, "status"), "closed") == 0)
        {
          e->n_closed++;
          e->n_events++;  /* closed */
        }
      g_hash_table_add (e->departments, g_strdup (agency));
      g_hash_table_insert (e->agency,
                           g_strdup (json_object_get_string_member (r, "service_request_id")),
                           g_strdup (agency));

      JsonArray *tasks = json_object_get_array_member (
        json_object_get_object_member (r, "extended_attributes"), "tasks");
      guint n = json_array_get_length (tasks);
      e->n_tasks += n;
      for (guint k = 0; k < n; k++)
        {
          JsonObject *t = json_array_get_object_element (tasks, k);
          const char *type = json_object_get_string_member (t, "task_type");
          const char *state = json_object_get_string_member (t, "task_state");
          const char *modified = json_object_get_string_member (t, "task_modified");
          g_hash_table_add (e->departments,
                            g_strdup (json_object_get_string_member (t, "owner_name")));
          if (task_starts (type))
            e->n_events++;
          /* A handling task's completion counts unless a later task starts after it
           * (all fixture times are "…Z" of one width, so text order is time order). */
          if ((g_strcmp0 (type, "wait_for_answer") == 0 ||
               g_strcmp0 (type, "moved_to_other_system") == 0) &&
              (g_strcmp0 (state, "completed") == 0 || g_strcmp0 (state, "closed") == 0))
            {
              gboolean superseded = FALSE;
              for (guint j = 0; j < n && !superseded; j++)
                {
                  JsonObject *u = json_array_get_object_element (tasks, j);
                  const char *created = json_object_get_string_member (u, "task_created");
                  superseded = j != k && task_starts (json_object_get_string_member (u, "task_type")) &&
                               strcmp (created, modified) >= 0;
                }
              if (!superseded)
                e->n_events++;
            }
        }
    }
  return TRUE;
}

/* Spot checks of three requests whose tasks were read by hand. */
static void
check_helsinki_spots (GPtrArray *incidents)
{
  GwIncident *a = find_incident (incidents, "1ar09ts10t4qdko74nmj");
  g_assert_nonnull (a);
  g_assert_cmpstr (a->department, ==, "Rakennusvirasto");
  g_assert_cmpstr (a->class_code, ==, "178");
  g_assert_cmpstr (a->title, ==, "Liikennejärjestelyt puuttuvat");
  g_assert_cmpstr (a->address, ==, "Sturenkatu 33, 00550 Helsinki, Suomi");
  g_assert_cmpfloat_with_epsilon (a->lat, 60.1952311, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->lon, 24.9588253, 1e-9);
  g_assert_cmpint (a->deadline, ==, GW_TIME_NONE);  /* expected_datetime is null */
  g_assert_cmpint (a->received_at, ==, T ("2015-03-04T14:40:04Z"));
  g_assert_cmpint (a->closed_at, ==, T ("2015-03-05T10:03:12Z"));
  g_assert_cmpint (a->updated_at, ==, T ("2015-03-05T10:03:12Z"));
  g_assert_cmpint (a->seq, ==, a->updated_at);
  g_assert_cmpint (a->stage, ==, GW_STAGE_CLOSED);
  g_autofree char *sa = stages_of (a);
  g_assert_cmpstr (sa, ==, "received registered dispatched on_site reported_done closed");
  GwStageEvent *dispatched = a->timeline->pdata[2];
  g_assert_cmpstr (dispatched->department, ==, "Rakennusvirasto");
  g_assert_cmpint (dispatched->time, ==, T ("2015-03-04T14:40:06Z"));
  GwStageEvent *done = a->timeline->pdata[4];
  g_assert_cmpint (done->time, ==, T ("2015-03-05T10:02:57Z"));
  GwStageEvent *closed = a->timeline->pdata[5];
  g_assert_true (g_str_has_prefix (closed->note, "Hei!\n\nKiitos palautteestanne."));

  /* Answered, re-assigned, then transferred out of the city and closed. */
  GwIncident *b = find_incident (incidents, "qsm1hq0evcg9pfcnmedn");
  g_assert_nonnull (b);
  g_autofree char *sb = stages_of (b);
  g_assert_cmpstr (sb, ==, "received registered dispatched on_site returned dispatched returned closed");
  g_assert_cmpint (b->closed_at, ==, T ("2015-04-02T12:32:54Z"));
  g_assert_true (g_str_has_prefix (((GwStageEvent *) b->timeline->pdata[4])->note, "inferred"));

  /* Still open, handled by another department than the one responsible. */
  GwIncident *c = find_incident (incidents, "dl0n1e7afp1md2jnfe7q");
  g_assert_nonnull (c);
  g_assert_true (gw_incident_is_open (c));
  g_assert_cmpint (c->closed_at, ==, GW_TIME_NONE);
  g_assert_cmpstr (c->department, ==, "Kaupunkisuunnitteluvirasto");
  g_assert_cmpint (c->stage, ==, GW_STAGE_ON_SITE);
  g_autofree char *sc = stages_of (c);
  g_assert_cmpstr (sc, ==, "received registered dispatched on_site returned dispatched on_site "
                           "returned dispatched dispatched on_site");
  GwStageEvent *last_dispatch = c->timeline->pdata[9];
  g_assert_cmpstr (last_dispatch->department, ==, "Kaupunkisuunnitteluvirasto");
  GwStageEvent *first_dispatch = c->timeline->pdata[2];
  g_assert_cmpstr (first_dispatch->department, ==, "Rakennusvirasto");
}

/* ---- parser tests -------------------------------------------------------------- */

static void
test_parse_helsinki (void)
{
  Expected e;
  gsize length;
  g_autoptr(GError) error = NULL;

  if (!expected_load (&e))
    return;
  g_autofree char *data = load_fixture (HELSINKI_REQUESTS, &length);
  g_autoptr(GwOpen311Result) r = gw_open311_parse_requests (data, length, GW_OPEN311_FORMAT_JSON,
                                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (e.n_requests, ==, N_HELSINKI);
  g_assert_cmpuint (e.n_tasks, ==, 5533);
  g_assert_cmpuint (r->n_records, ==, N_HELSINKI);
  g_assert_cmpuint (r->incidents->len, ==, N_HELSINKI);
  g_assert_cmpuint (r->n_skipped, ==, 0);
  g_assert_cmpuint (r->warnings->len, ==, 0);

  /* Every mapped task became an event; nothing had to be dropped. */
  g_assert_cmpuint (r->n_events, ==, e.n_events);
  g_assert_cmpuint (r->n_dropped, ==, 0);
  guint timeline = 0, closed = 0, unknown_location = 0;
  for (guint i = 0; i < r->incidents->len; i++)
    {
      GwIncident *inc = r->incidents->pdata[i];
      assert_timeline_valid (inc);
      timeline += inc->timeline->len;
      closed += !gw_incident_is_open (inc);
      g_assert_cmpstr (inc->department, ==, g_hash_table_lookup (e.agency, inc->id));
      g_assert_cmpint (inc->seq, ==, inc->updated_at);
      if (inc->lat == 0 && inc->lon == 0)
        unknown_location++;
      else
        g_assert_true (inc->lat > 59 && inc->lat < 61 && inc->lon > 24 && inc->lon < 26);
    }
  /* 20 requests at 0,0 and 6 at 0,0.034451 in the data: location unknown. */
  g_assert_cmpuint (unknown_location, ==, 26);
  g_assert_cmpuint (timeline, ==, r->n_events - r->n_merged - r->n_dropped + r->n_inferred);
  g_assert_cmpuint (closed, ==, e.n_closed);
  g_assert_cmpint (r->max_updated, ==, T ("2016-02-20T22:31:05Z"));

  /* Departments: exactly the agencies and task owners. */
  g_assert_cmpuint (r->departments->len, ==, g_hash_table_size (e.departments));
  for (guint i = 0; i < r->departments->len; i++)
    {
      GwDepartment *dep = r->departments->pdata[i];
      g_assert_true (g_hash_table_contains (e.departments, dep->id));
      g_assert_cmpstr (dep->id, ==, dep->name);
    }
  check_helsinki_spots (r->incidents);
  expected_clear (&e);
}

static void
test_parse_bloomington (void)
{
  gsize length;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = load_fixture (BLOOMINGTON, &length);
  if (data == NULL)
    return;

  g_autoptr(GwOpen311Result) r = gw_open311_parse_requests (data, length, GW_OPEN311_FORMAT_JSON,
                                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->incidents->len, ==, 21);
  g_assert_cmpuint (r->n_skipped, ==, 0);

  GwIncident *first = find_incident (r->incidents, "4fbd40b2b1fe2c4b02000001");
  g_assert_nonnull (first);
  /* "2012-05-23T15:55:28-04:00": the offset is honoured. */
  g_assert_cmpint (first->received_at, ==, T ("2012-05-23T19:55:28Z"));
  g_assert_cmpstr (first->class_code, ==, "4e7b3e4c992b945109000000");
  g_assert_cmpstr (first->title, ==, "Traffic Suggestions");
  g_assert_cmpstr (first->department, ==, "Street Department");
  /* lat/long null: kept, location unknown. */
  g_assert_cmpfloat (first->lat, ==, 0);
  g_assert_cmpfloat (first->lon, ==, 0);
  g_assert_cmpstr (first->address, ==, "");
  g_assert_nonnull (strstr (first->description, "\n\nThanks."));
  g_assert_null (strchr (first->description, '\r'));
  for (guint i = 0; i < r->incidents->len; i++)
    assert_timeline_valid (r->incidents->pdata[i]);
}

static void
test_parse_services (void)
{
  gsize length;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = load_fixture (HELSINKI_SERVICES, &length);
  if (json == NULL)
    return;

  g_autoptr(GwOpen311Result) h = gw_open311_parse_services (json, length, GW_OPEN311_FORMAT_JSON,
                                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (h->classes->len, ==, 100);
  GwIncidentClass *k = h->classes->pdata[0];
  g_assert_cmpstr (k->code, ==, "1038");
  g_assert_cmpstr (k->name, ==, "Service 1038");
  g_assert_cmpstr (k->category, ==, "");
  g_assert_cmpint (k->kind, ==, GW_CLASS_KIND_EVENT);
  g_assert_cmpint (k->deadline_hours, ==, GW_OPEN311_DEFAULT_DEADLINE_HOURS);

  g_autofree char *xml = load_fixture (DC_SERVICES_XML, &length);
  g_autoptr(GwOpen311Result) dc = gw_open311_parse_services (xml, length, GW_OPEN311_FORMAT_XML,
                                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dc->n_records, ==, 86);
  g_assert_cmpuint (dc->classes->len, ==, 86);
  g_assert_cmpuint (dc->n_skipped, ==, 0);
  k = dc->classes->pdata[0];
  g_assert_cmpstr (k->code, ==, "CSRREPIS");
  g_assert_cmpstr (k->name, ==, "311 Online Reported Issues");
  g_assert_cmpstr (k->category, ==, "311 - Call Center");
  k = dc->classes->pdata[1];
  g_assert_cmpstr (k->code, ==, "S0003");
  g_assert_cmpstr (k->name, ==, "Abandoned Vehicle - On Private Property");
}

static const char requests_xml[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<service_requests>\n"
  "  <request>\n"
  "    <service_request_id>638344</service_request_id>\n"
  "    <status>closed</status>\n"
  "    <status_notes>Duplicate request.</status_notes>\n"
  "    <service_name>Sidewalk and Curb Issues</service_name>\n"
  "    <service_code>006</service_code>\n"
  "    <description><![CDATA[Curb <broken> & loose]]></description>\n"
  "    <agency_responsible>Public Works</agency_responsible>\n"
  "    <service_notice></service_notice>\n"
  "    <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>\n"
  "    <updated_datetime>2010-04-14T09:10:00-08:00</updated_datetime>\n"
  "    <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>\n"
  "    <address>8TH AVE and JUDAH ST</address>\n"
  "    <lat>37.762221815</lat>\n"
  "    <long>-122.4651145</long>\n"
  "    <media_url></media_url>\n"
  "  </request>\n"
  "  <request>\n"
  "    <service_request_id>638349</service_request_id>\n"
  "    <status>open</status>\n"
  "    <service_name>Trees &amp; Parks</service_name>\n"
  "    <service_code>T 1</service_code>\n"
  "    <agency_responsible>Parks</agency_responsible>\n"
  "    <requested_datetime>2010-04-19 06:37:38</requested_datetime>\n"
  "    <notes>\n"
  "      <note><datetime>2010-04-19T20:00:00Z</datetime><type>assigned</type>"
  "<description>to the tree crew</description></note>\n"
  "      <note><datetime>2010-04-20T08:00:00Z</datetime><type>in_progress</type></note>\n"
  "    </notes>\n"
  "  </request>\n"
  "  <request><status>open</status><requested_datetime>2010-04-19T06:37:38Z</requested_datetime></request>\n"
  "</service_requests>\n";

static void
test_parse_requests_xml (void)
{
  GwOpen311Options options = { 2 * 3600, 0 };  /* the jurisdiction is at +02:00 */
  g_autoptr(GError) error = NULL;
  g_autoptr(GwOpen311Result) r = gw_open311_parse_requests (requests_xml, strlen (requests_xml),
                                                            GW_OPEN311_FORMAT_XML, &options,
                                                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_records, ==, 3);
  g_assert_cmpuint (r->incidents->len, ==, 2);
  g_assert_cmpuint (r->n_skipped, ==, 1);
  g_assert_cmpuint (r->warnings->len, ==, 1);
  g_assert_nonnull (strstr (r->warnings->pdata[0], "no service_request_id"));

  GwIncident *a = r->incidents->pdata[0];
  g_assert_cmpstr (a->id, ==, "638344");
  g_assert_cmpstr (a->class_code, ==, "006");
  g_assert_cmpstr (a->description, ==, "Curb <broken> & loose");
  g_assert_cmpint (a->received_at, ==, T ("2010-04-14T14:37:38Z"));
  g_assert_cmpint (a->deadline, ==, T ("2010-04-15T14:37:38Z"));
  g_assert_cmpint (a->closed_at, ==, T ("2010-04-14T17:10:00Z"));
  g_assert_cmpfloat_with_epsilon (a->lat, 37.762221815, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->lon, -122.4651145, 1e-9);
  g_assert_cmpstr (a->department, ==, "Public Works");
  g_autofree char *sa = stages_of (a);
  g_assert_cmpstr (sa, ==, "received closed");
  g_assert_cmpstr (((GwStageEvent *) a->timeline->pdata[1])->note, ==, "Duplicate request.");

  GwIncident *b = r->incidents->pdata[1];
  g_assert_true (g_str_has_prefix (b->class_code, "T_1-") && strlen (b->class_code) == 4 + 16);
  g_assert_cmpstr (b->title, ==, "Trees & Parks");
  /* No zone: read at +02:00. */
  g_assert_cmpint (b->received_at, ==, T ("2010-04-19T04:37:38Z"));
  g_assert_cmpint (b->stage, ==, GW_STAGE_ON_SITE);
  g_autofree char *sb = stages_of (b);
  g_assert_cmpstr (sb, ==, "received registered dispatched on_site");
  g_assert_cmpstr (((GwStageEvent *) b->timeline->pdata[2])->department, ==, "Parks");
  g_assert_cmpstr (((GwStageEvent *) b->timeline->pdata[2])->note, ==, "to the tree crew");
  g_assert_cmpfloat (b->lat, ==, 0);
  assert_timeline_valid (a);
  assert_timeline_valid (b);

  /* The class of a code the services list lacks is made up from the request. */
  g_assert_cmpuint (r->classes->len, ==, 2);
  g_assert_cmpstr (((GwIncidentClass *) r->classes->pdata[1])->name, ==, "Trees & Parks");
}

static void
assert_error (const char *doc, GwOpen311Format format, gboolean services, int code,
              const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GwOpen311Result) r = services
    ? gw_open311_parse_services (doc, strlen (doc), format, NULL, &error)
    : gw_open311_parse_requests (doc, strlen (doc), format, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, GW_OPEN311_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("expected \"%s\" in \"%s\"", message_part, error->message);
}

static void
test_parse_malformed (void)
{
  const GwOpen311Format J = GW_OPEN311_FORMAT_JSON, X = GW_OPEN311_FORMAT_XML;

  assert_error ("<html><body>Bad gateway</body></html>", J, FALSE, GW_OPEN311_ERROR_MALFORMED,
                "not Open311 JSON: ");
  assert_error ("", J, FALSE, GW_OPEN311_ERROR_MALFORMED, "not Open311 JSON: ");
  assert_error ("[{\"service_request_id\": 1,", J, FALSE, GW_OPEN311_ERROR_MALFORMED,
                "not Open311 JSON: ");
  assert_error ("{\"service_request_id\": \"1\", \"status\": \"open\"}", J, FALSE,
                GW_OPEN311_ERROR_NOT_A_LIST,
                "not Open311 JSON: expected a list of requests, got an object");
  assert_error ("42", J, TRUE, GW_OPEN311_ERROR_NOT_A_LIST,
                "expected a list of services, got a single value");
  assert_error ("[{\"code\": 403, \"description\": \"Invalid api_key\"}]", J, FALSE,
                GW_OPEN311_ERROR_SERVER, "Invalid api_key (code 403)");
  assert_error ("[{\"service_request_id\": \"1\"}]", X, FALSE, GW_OPEN311_ERROR_MALFORMED,
                "not Open311 XML: ");
  assert_error ("<service_requests><request></service_requests>", X, FALSE,
                GW_OPEN311_ERROR_MALFORMED, "not Open311 XML: ");
  assert_error ("<html><body>oops</body></html>", X, FALSE, GW_OPEN311_ERROR_NOT_A_LIST,
                "not Open311 XML: expected a list of requests");
  assert_error ("<errors><error><code>404</code><description>jurisdiction unknown</description>"
                "</error></errors>", X, TRUE, GW_OPEN311_ERROR_SERVER, "jurisdiction unknown");

  /* Bad records are skipped and counted; good ones around them survive. */
  static const char messy[] =
    "[{\"service_request_id\": \"ok-1\", \"requested_datetime\": \"2015-03-04T14:40:04+0200\","
    "  \"updated_datetime\": \"2015-03-04T16:40:04+02\", \"status\": \"closed\","
    "  \"service_code\": 180, \"title\": \"two\\r\\nlines\", \"lat\": \"60.1\", \"long\": 24.9},"
    " {\"requested_datetime\": \"2015-03-04T14:40:04Z\"},"
    " {\"service_request_id\": \"\", \"requested_datetime\": \"2015-03-04T14:40:04Z\"},"
    " {\"service_request_id\": \"bad-time\", \"requested_datetime\": \"yesterday\"},"
    " {\"service_request_id\": \"no-time\", \"status\": \"open\"},"
    " {\"service_request_id\": \"only-updated\", \"updated_datetime\": \"2015-03-04T14:40:04Z\","
    "  \"lat\": 95, \"long\": 200, \"expected_datetime\": \"soon\"},"
    " {\"service_request_id\": 77, \"requested_datetime\": \"2015-03-04\", \"lat\": null},"
    " null, [1], \"text\"]";
  g_autoptr(GError) error = NULL;
  g_autoptr(GwOpen311Result) r = gw_open311_parse_requests (messy, strlen (messy),
                                                            GW_OPEN311_FORMAT_JSON, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_records, ==, 10);
  g_assert_cmpuint (r->incidents->len, ==, 3);
  g_assert_cmpuint (r->n_skipped, ==, 7);
  g_assert_cmpuint (r->warnings->len, ==, 7);
  g_assert_nonnull (strstr (r->warnings->pdata[2], "requested_datetime is not a time"));
  g_assert_nonnull (strstr (r->warnings->pdata[3], "requested_datetime is missing"));

  GwIncident *ok = r->incidents->pdata[0];
  g_assert_cmpstr (ok->class_code, ==, "180");
  g_assert_cmpstr (ok->title, ==, "two lines");
  g_assert_cmpint (ok->received_at, ==, T ("2015-03-04T12:40:04Z"));
  g_assert_cmpint (ok->closed_at, ==, T ("2015-03-04T14:40:04Z"));
  g_assert_cmpfloat_with_epsilon (ok->lat, 60.1, 1e-12);
  GwIncident *upd = r->incidents->pdata[1];
  g_assert_cmpint (upd->received_at, ==, T ("2015-03-04T14:40:04Z"));
  g_assert_cmpfloat (upd->lat, ==, 0);  /* out of range: location unknown */
  g_assert_cmpfloat (upd->lon, ==, 0);
  g_assert_cmpint (upd->deadline, ==, GW_TIME_NONE);
  g_assert_cmpstr (upd->class_code, ==, "unknown");
  GwIncident *num = r->incidents->pdata[2];
  g_assert_cmpstr (num->id, ==, "77");
  g_assert_cmpint (num->received_at, ==, T ("2015-03-04T00:00:00Z"));

  /* Timelines that do not fit the workflow are repaired, never the reason to drop. */
  static const char notes[] =
    "[{\"service_request_id\": \"n1\", \"status\": \"open\", \"agency_responsible\": \"DPW\","
    "  \"requested_datetime\": \"2015-01-01T00:00:00Z\","
    "  \"notes\": [{\"datetime\": \"2015-01-03T00:00:00Z\", \"type\": \"completed\"},"
    "             {\"datetime\": \"2014-12-01T00:00:00Z\", \"type\": \"assigned\"},"
    "             {\"datetime\": \"2015-01-02T00:00:00Z\", \"type\": \"closed\"},"
    "             {\"datetime\": \"never\", \"type\": \"in_progress\"},"
    "             {\"datetime\": \"2015-01-04T00:00:00Z\", \"type\": \"comment\"}]}]";
  g_clear_pointer (&r, gw_open311_result_free);
  r = gw_open311_parse_requests (notes, strlen (notes), GW_OPEN311_FORMAT_JSON, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->incidents->len, ==, 1);
  GwIncident *n1 = r->incidents->pdata[0];
  assert_timeline_valid (n1);
  g_autofree char *s = stages_of (n1);
  /* assigned before receipt is moved up to it; the closure an open status denies and the
   * note without a time are dropped; "completed" needs "on_site" first. */
  g_assert_cmpstr (s, ==, "received registered dispatched on_site reported_done");
  g_assert_cmpuint (r->n_events, ==, 5);
  g_assert_cmpuint (r->n_dropped, ==, 2);
  g_assert_cmpuint (r->n_inferred, ==, 2);
  g_assert_true (gw_incident_is_open (n1));
}

static void
test_parse_fields (void)
{
  GwTime t;

  g_assert_true (gw_open311_parse_time ("2015-03-04T14:40:04Z", 3600, &t));
  g_assert_cmpint (t, ==, T ("2015-03-04T14:40:04Z"));
  g_assert_true (gw_open311_parse_time ("2015-03-04 14:40:04", 3600, &t));
  g_assert_cmpint (t, ==, T ("2015-03-04T13:40:04Z"));
  g_assert_true (gw_open311_parse_time (" 2015-03-04T14:40:04.250-0500 ", 0, &t));
  g_assert_cmpint (t, ==, T ("2015-03-04T19:40:04.25Z"));
  g_assert_true (gw_open311_parse_time ("2015-03-04T14:40:04+05", 0, &t));
  g_assert_cmpint (t, ==, T ("2015-03-04T09:40:04Z"));
  g_assert_true (gw_open311_parse_time ("2015-03-04 14:40:04 UTC", 3600, &t));
  g_assert_cmpint (t, ==, T ("2015-03-04T14:40:04Z"));
  g_assert_true (gw_open311_parse_time ("2015-03-04", -3600, &t));
  g_assert_cmpint (t, ==, T ("2015-03-04T01:00:00Z"));
  g_assert_false (gw_open311_parse_time ("04/03/2015", 0, &t));
  g_assert_false (gw_open311_parse_time ("1970-01-01T00:00:00Z", 0, &t));
  g_assert_false (gw_open311_parse_time ("", 0, &t));
  g_assert_false (gw_open311_parse_time (NULL, 0, &t));

  g_autofree char *a = gw_open311_sanitize_code ("S0003", TRUE);
  g_assert_cmpstr (a, ==, "S0003");
  g_autofree char *b = gw_open311_sanitize_code ("Töölö 1", FALSE);
  g_assert_cmpstr (b, ==, "T__l__1");
  g_autofree char *c = gw_open311_sanitize_code ("a/b", TRUE);
  g_autofree char *d = gw_open311_sanitize_code ("a b", TRUE);
  g_assert_true (g_str_has_prefix (c, "a_b-") && g_str_has_prefix (d, "a_b-"));
  g_assert_cmpstr (c, !=, d);
  g_autofree char *longer = g_strnfill (100, 'x');
  g_autofree char *e = gw_open311_sanitize_code (longer, TRUE);
  g_assert_cmpuint (strlen (e), ==, 64);
  g_autofree char *f = gw_open311_sanitize_code (NULL, TRUE);
  g_assert_cmpstr (f, ==, "unknown");
}

/* ---- the fixture server ---------------------------------------------------------- */

typedef struct {
  SoupServer  *server;
  char        *base;          /* http://127.0.0.1:PORT/open311/v2 */
  JsonParser  *parser;        /* holds the requests list, edited by tests */
  JsonArray   *requests;
  char        *services_json;
  char        *services_xml;
  const char  *requests_xml;  /* served as is (no paging) */
  GPtrArray   *log;           /* "path?query" of every request */
  char        *last_updated_after;
  guint        n_fail;        /* answer 503 to the next n requests */
  guint        n_garbage;     /* answer an HTML page to the next n requests */
  guint        n_forbidden;   /* answer 403 with an Open311 error list */
  gboolean     ignore_page;
  gboolean     ignore_page_size;
  gboolean     honour_dates;
} Fixture;

static guint
query_uint (GHashTable *query, const char *name, guint fallback)
{
  const char *v = query ? g_hash_table_lookup (query, name) : NULL;
  return v != NULL ? (guint) g_ascii_strtoull (v, NULL, 10) : fallback;
}

static gboolean
query_time (GHashTable *query, const char *name, GwTime *out)
{
  const char *v = query ? g_hash_table_lookup (query, name) : NULL;
  return v != NULL && gw_time_parse_lenient (v, 0, out);
}

static void
serve_requests (Fixture *fx, SoupServerMessage *msg, GHashTable *query)
{
  GwTime updated_after = 0, start = 0, end = G_MAXINT64, t;
  gboolean by_update = query_time (query, "updated_after", &updated_after);
  guint page = fx->ignore_page ? 1 : MAX (query_uint (query, "page", 1), 1);
  guint page_size = query_uint (query, "page_size", 1000);
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();

  g_clear_pointer (&fx->last_updated_after, g_free);
  if (query != NULL)
    fx->last_updated_after = g_strdup (g_hash_table_lookup (query, "updated_after"));
  if (fx->honour_dates)
    {
      query_time (query, "start_date", &start);
      query_time (query, "end_date", &end);
    }
  for (guint i = 0; i < json_array_get_length (fx->requests); i++)
    {
      JsonObject *r = json_array_get_object_element (fx->requests, i);
      if (by_update &&
          (!gw_time_parse_lenient (json_object_get_string_member (r, "updated_datetime"), 0, &t) ||
           t <= updated_after))
        continue;
      g_assert_true (gw_time_parse_lenient (json_object_get_string_member (r, "requested_datetime"),
                                            0, &t));
      if (t < start || t >= end)
        continue;
      g_ptr_array_add (matching, json_array_get_element (fx->requests, i));
    }

  g_autoptr(JsonArray) slice = json_array_new ();
  guint first = fx->ignore_page_size ? 0 : (page - 1) * page_size;
  guint count = fx->ignore_page_size ? matching->len : page_size;
  for (guint i = first; i < matching->len && i < first + count; i++)
    json_array_add_element (slice, json_node_copy (matching->pdata[i]));

  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, slice);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  gsize length;
  char *body = json_generator_to_data (gen, &length);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, length);
}

static void
server_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  Fixture *fx = user_data;
  const char *q = g_uri_get_query (soup_server_message_get_uri (msg));

  g_ptr_array_add (fx->log, g_strdup_printf ("%s?%s", path, q ? q : ""));
  if (fx->n_fail > 0)
    {
      fx->n_fail--;
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }
  if (fx->n_garbage > 0)
    {
      static const char page[] = "<html><body>Maintenance</body></html>";
      fx->n_garbage--;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }
  if (fx->n_forbidden > 0)
    {
      static const char errors[] = "[{\"code\": 403, \"description\": \"Invalid api_key\"}]";
      fx->n_forbidden--;
      soup_server_message_set_status (msg, 403, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, errors,
                                        strlen (errors));
      return;
    }

  const char *body = NULL, *type = "application/json";
  if (g_str_has_suffix (path, "/services.json"))
    body = fx->services_json;
  else if (g_str_has_suffix (path, "/services.xml"))
    body = fx->services_xml, type = "text/xml";
  else if (g_str_has_suffix (path, "/requests.xml"))
    body = fx->requests_xml, type = "text/xml";
  else if (g_str_has_suffix (path, "/requests.json"))
    {
      serve_requests (fx, msg, query);
      return;
    }
  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* FALSE (test skipped) without the fixtures. */
static gboolean
fixture_setup (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  gsize length;

  memset (fx, 0, sizeof *fx);
  g_autofree char *requests = load_fixture (HELSINKI_REQUESTS, &length);
  if (requests == NULL)
    return FALSE;
  fx->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (fx->parser, requests, (gssize) length, &error));
  fx->requests = json_node_get_array (json_parser_get_root (fx->parser));
  fx->services_json = load_fixture (HELSINKI_SERVICES, &length);
  fx->services_xml = load_fixture (DC_SERVICES_XML, &length);
  g_assert_nonnull (fx->services_json);
  g_assert_nonnull (fx->services_xml);
  fx->log = g_ptr_array_new_with_free_func (g_free);

  fx->server = soup_server_new ("server-header", "open311-fixture", NULL);
  soup_server_add_handler (fx->server, "/open311/v2", server_cb, fx, NULL);
  g_assert_true (soup_server_listen_local (fx->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  GSList *uris = soup_server_get_uris (fx->server);
  fx->base = g_strdup_printf ("http://127.0.0.1:%d/open311/v2/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

static void
fixture_teardown (Fixture *fx)
{
  g_clear_object (&fx->server);
  g_clear_object (&fx->parser);
  g_clear_pointer (&fx->base, g_free);
  g_clear_pointer (&fx->services_json, g_free);
  g_clear_pointer (&fx->services_xml, g_free);
  g_clear_pointer (&fx->log, g_ptr_array_unref);
  g_clear_pointer (&fx->last_updated_after, g_free);
}

static guint
count_log (Fixture *fx, const char *part)
{
  guint n = 0;
  for (guint i = 0; i < fx->log->len; i++)
    n += strstr (fx->log->pdata[i], part) != NULL;
  return n;
}

static gboolean
feed_is_live (GwOpen311Feed *feed)
{
  return gw_feed_get_synced (GW_FEED (feed)) &&
         gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_LIVE;
}

/* Stops @feed and waits until its last callback let go of it. */
static void
feed_dispose (GwOpen311Feed *feed)
{
  gpointer weak = feed;
  gw_feed_stop (GW_FEED (feed));
  g_object_add_weak_pointer (G_OBJECT (feed), &weak);
  g_object_unref (feed);
  WAIT_FOR (weak == NULL);
}

static void
count_changes_cb (GwStore *store, GwStoreChange *change, gpointer user_data)
{
  GwStoreChange *sum = user_data;
  for (guint i = 0; i < change->added->len; i++)
    g_ptr_array_add (sum->added, gw_incident_ref (change->added->pdata[i]));
  for (guint i = 0; i < change->changed->len; i++)
    g_ptr_array_add (sum->changed, gw_incident_ref (change->changed->pdata[i]));
  sum->reset |= change->reset;
}

/* ---- feed tests ------------------------------------------------------------------ */

static void
test_feed_helsinki (void)
{
  Fixture fx;
  Expected e;
  GwStoreChange changes = { 0 };

  if (!fixture_setup (&fx) || !expected_load (&e))
    return;
  g_autoptr(GwStore) store = gw_store_new ();
  changes.added = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  changes.changed = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  g_signal_connect (store, "changed", G_CALLBACK (count_changes_cb), &changes);

  GwOpen311Feed *feed = g_object_new (GW_TYPE_OPEN311_FEED, "store", store, "url", fx.base,
                                      "api-key", "k e y", "jurisdiction-id", "hel.fi",
                                      "page-size", 100, "poll-seconds", 1, NULL);
  g_assert_cmpint (gw_feed_get_state (GW_FEED (feed)), ==, GW_FEED_STATE_OFFLINE);
  gw_feed_start (GW_FEED (feed));
  g_assert_cmpint (gw_feed_get_state (GW_FEED (feed)), ==, GW_FEED_STATE_CONNECTING);
  WAIT_FOR (feed_is_live (feed));

  /* Services once, then 14 pages of 100 (the last short), one snapshot. */
  g_assert_cmpuint (count_log (&fx, "/services.json?jurisdiction_id=hel.fi&api_key=k%20e%20y"), ==, 1);
  g_assert_cmpuint (count_log (&fx, "/requests.json?"), ==, 14);
  g_assert_cmpuint (count_log (&fx, "extensions=true&page=14&page_size=100"), ==, 1);
  g_assert_true (changes.reset);
  g_assert_cmpuint (changes.added->len, ==, N_HELSINKI);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, N_HELSINKI);
  g_assert_null (gw_feed_get_last_error (GW_FEED (feed)));
  g_assert_cmpint (gw_feed_get_data_time (GW_FEED (feed)), >, 0);
  g_assert_cmpint (gw_open311_feed_get_watermark (feed), ==, T ("2016-02-20T22:31:05Z"));

  /* The same timelines as the one-piece parse: paging loses and adds nothing. */
  g_autoptr(GPtrArray) all = gw_store_list (store);
  guint events = 0, closed = 0;
  for (guint i = 0; i < all->len; i++)
    {
      GwIncident *inc = all->pdata[i];
      assert_timeline_valid (inc);
      events += inc->timeline->len;
      closed += !gw_incident_is_open (inc);
      g_assert_cmpstr (inc->department, ==, g_hash_table_lookup (e.agency, inc->id));
      g_assert_nonnull (gw_store_lookup_class (store, inc->class_code));
      for (guint k = 0; k < inc->timeline->len; k++)
        {
          GwStageEvent *ev = inc->timeline->pdata[k];
          g_assert_true (ev->department == NULL ||
                         gw_store_lookup_department (store, ev->department) != NULL);
        }
    }
  gsize length;
  g_autofree char *data = load_fixture (HELSINKI_REQUESTS, &length);
  g_autoptr(GwOpen311Result) whole = gw_open311_parse_requests (data, length,
                                                                GW_OPEN311_FORMAT_JSON, NULL, NULL);
  guint expected_events = 0;
  for (guint i = 0; i < whole->incidents->len; i++)
    expected_events += ((GwIncident *) whole->incidents->pdata[i])->timeline->len;
  g_assert_cmpuint (events, ==, expected_events);
  g_assert_cmpuint (closed, ==, e.n_closed);
  check_helsinki_spots (all);

  /* Reference data: departments are exactly the agencies and owners seen; the classes
   * are the 100 services plus the codes only requests named. */
  GPtrArray *departments = gw_store_get_departments (store);
  g_assert_cmpuint (departments->len, ==, g_hash_table_size (e.departments));
  for (guint i = 0; i < departments->len; i++)
    g_assert_true (g_hash_table_contains (e.departments,
                                          ((GwDepartment *) departments->pdata[i])->id));
  GPtrArray *classes = gw_store_get_classes (store);
  g_assert_cmpuint (classes->len, >=, 100);
  g_assert_cmpstr (((GwIncidentClass *) classes->pdata[0])->code, ==, "1038");
  g_assert_cmpuint (gw_store_get_cells (store)->len, ==, 0);

  /* The server closes an open request; the next poll (1 s) applies just that one. */
  for (guint i = 0; i < json_array_get_length (fx.requests); i++)
    {
      JsonObject *r = json_array_get_object_element (fx.requests, i);
      if (g_strcmp0 (json_object_get_string_member (r, "service_request_id"),
                     "dl0n1e7afp1md2jnfe7q") != 0)
        continue;
      json_object_set_string_member (r, "status", "closed");
      json_object_set_string_member (r, "updated_datetime", "2016-03-01T12:00:00Z");
    }
  g_ptr_array_set_size (changes.added, 0);
  WAIT_FOR (changes.changed->len > 0);
  g_assert_cmpstr (fx.last_updated_after, ==, "2016-02-20T22:31:05Z");
  g_assert_cmpuint (changes.changed->len, ==, 1);
  g_assert_cmpuint (changes.added->len, ==, 0);
  GwIncident *changed = gw_store_lookup (store, "dl0n1e7afp1md2jnfe7q");
  g_assert_true (changed == changes.changed->pdata[0]);
  g_assert_cmpint (changed->stage, ==, GW_STAGE_CLOSED);
  g_assert_cmpint (changed->closed_at, ==, T ("2016-03-01T12:00:00Z"));
  g_assert_cmpint (changed->seq, ==, T ("2016-03-01T12:00:00Z"));
  assert_timeline_valid (changed);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, N_HELSINKI);
  WAIT_FOR (gw_open311_feed_get_watermark (feed) == T ("2016-03-01T12:00:00Z"));
  g_assert_true (feed_is_live (feed));

  /* A poll with nothing new changes nothing. */
  guint polls = count_log (&fx, "updated_after=");
  gw_open311_feed_poll_now (feed);
  WAIT_FOR (count_log (&fx, "updated_after=") > polls && feed_is_live (feed));
  g_assert_cmpuint (changes.changed->len, ==, 1);

  feed_dispose (feed);
  g_ptr_array_unref (changes.added);
  g_ptr_array_unref (changes.changed);
  expected_clear (&e);
  fixture_teardown (&fx);
}

static void
test_feed_paging_ignored (void)
{
  Fixture fx;

  if (!fixture_setup (&fx))
    return;
  g_autoptr(GwStore) store = gw_store_new ();

  /* A server that ignores page answers page 1 again: stop at the repeat. */
  fx.ignore_page = TRUE;
  GwOpen311Feed *feed = g_object_new (GW_TYPE_OPEN311_FEED, "store", store, "url", fx.base,
                                      "page-size", 500, NULL);
  gw_feed_start (GW_FEED (feed));
  WAIT_FOR (feed_is_live (feed));
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 500);
  g_assert_cmpuint (count_log (&fx, "/requests.json?"), ==, 2);
  feed_dispose (feed);

  /* One that ignores page_size answers everything on every page. */
  fx.ignore_page = FALSE;
  fx.ignore_page_size = TRUE;
  g_ptr_array_set_size (fx.log, 0);
  g_autoptr(GwStore) store2 = gw_store_new ();
  feed = g_object_new (GW_TYPE_OPEN311_FEED, "store", store2, "url", fx.base, "page-size", 500,
                       NULL);
  gw_feed_start (GW_FEED (feed));
  WAIT_FOR (feed_is_live (feed));
  g_assert_cmpuint (gw_store_get_n_incidents (store2), ==, N_HELSINKI);
  g_assert_cmpuint (count_log (&fx, "/requests.json?"), ==, 2);
  feed_dispose (feed);
  fixture_teardown (&fx);
}

static void
test_feed_windows (void)
{
  Fixture fx;

  if (!fixture_setup (&fx))
    return;
  g_autoptr(GwStore) store = gw_store_new ();
  fx.honour_dates = TRUE;
  GwOpen311Feed *feed = g_object_new (GW_TYPE_OPEN311_FEED, "store", store, "url", fx.base,
                                      "page-size", 200, "window-days", 90,
                                      "start-date", T ("2014-12-01T00:00:00Z"), NULL);
  gw_feed_start (GW_FEED (feed));
  WAIT_FOR (feed_is_live (feed));
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, N_HELSINKI);
  g_assert_cmpuint (count_log (&fx, "start_date=2014-12-01T00%3A00%3A00Z&end_date=2015-03-01T00%3A00%3A00Z&page=1&"), ==, 1);
  g_assert_cmpuint (count_log (&fx, "start_date=2015-03-01T00%3A00%3A00Z&end_date=2015-05-30T00%3A00%3A00Z&page=2&"), ==, 1);
  feed_dispose (feed);
  fixture_teardown (&fx);
}

static void
test_feed_errors (void)
{
  Fixture fx;

  if (!fixture_setup (&fx))
    return;
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwStore) empty = gw_store_new ();

  /* 503, then an HTML page, then an Open311 error list: each said in plain words, each
   * retried after the back-off, and the store untouched until a complete snapshot. */
  fx.n_fail = 1;
  fx.n_garbage = 1;
  fx.n_forbidden = 1;
  GwOpen311Feed *feed = g_object_new (GW_TYPE_OPEN311_FEED, "store", store, "url", fx.base,
                                      "page-size", 1000, NULL);
  gw_feed_start (GW_FEED (feed));
  WAIT_FOR (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_RECONNECTING);
  g_assert_cmpstr (gw_feed_get_last_error (GW_FEED (feed)), ==, "the server answered 503");
  g_assert_cmpint (gw_feed_get_retry_at (GW_FEED (feed)), >, 0);
  WAIT_FOR (g_str_has_prefix (gw_feed_get_last_error (GW_FEED (feed)), "not Open311 JSON: "));
  WAIT_FOR (g_strcmp0 (gw_feed_get_last_error (GW_FEED (feed)),
                       "the server answered 403: Invalid api_key (code 403)") == 0);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 0);
  g_assert_false (gw_feed_get_synced (GW_FEED (feed)));
  WAIT_FOR (feed_is_live (feed));
  g_assert_null (gw_feed_get_last_error (GW_FEED (feed)));
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, N_HELSINKI);

  /* A failing poll keeps the picture and reconnects. */
  fx.n_fail = 1;
  gw_open311_feed_poll_now (feed);
  WAIT_FOR (gw_feed_get_state (GW_FEED (feed)) == GW_FEED_STATE_RECONNECTING);
  g_assert_cmpstr (gw_feed_get_last_error (GW_FEED (feed)), ==, "the server answered 503");
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, N_HELSINKI);
  WAIT_FOR (feed_is_live (feed));
  feed_dispose (feed);

  /* Nobody listening. */
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u/open311/v2", port);
  feed = gw_open311_feed_new (empty, dead);
  gw_feed_start (GW_FEED (feed));
  WAIT_FOR (gw_feed_get_last_error (GW_FEED (feed)) != NULL);
  g_autofree char *prefix = g_strdup_printf ("cannot reach host 127.0.0.1:%u: ", port);
  g_assert_true (g_str_has_prefix (gw_feed_get_last_error (GW_FEED (feed)), prefix));
  g_assert_cmpint (gw_feed_get_state (GW_FEED (feed)), ==, GW_FEED_STATE_RECONNECTING);
  feed_dispose (feed);
  fixture_teardown (&fx);
}

static void
test_feed_xml (void)
{
  Fixture fx;

  if (!fixture_setup (&fx))
    return;
  g_autoptr(GwStore) store = gw_store_new ();
  fx.requests_xml = requests_xml;
  GwOpen311Feed *feed = g_object_new (GW_TYPE_OPEN311_FEED, "store", store, "url", fx.base,
                                      "format", "xml", "time-offset", 2 * 3600, NULL);
  gw_feed_start (GW_FEED (feed));
  WAIT_FOR (feed_is_live (feed));
  g_assert_cmpuint (count_log (&fx, "/services.xml"), ==, 1);
  g_assert_cmpuint (count_log (&fx, "/requests.xml?extensions=true&page=1&page_size=100"), ==, 1);
  g_assert_cmpuint (gw_store_get_n_incidents (store), ==, 2);
  g_assert_cmpuint (gw_open311_feed_get_skipped (feed), ==, 1);
  /* 86 DC services and the two codes only the requests named. */
  g_assert_cmpuint (gw_store_get_classes (store)->len, ==, 88);
  g_assert_nonnull (gw_store_lookup_class (store, "S0003"));
  GwIncident *b = gw_store_lookup (store, "638349");
  g_assert_nonnull (b);
  g_assert_cmpint (b->received_at, ==, T ("2010-04-19T04:37:38Z"));
  g_assert_nonnull (gw_store_lookup_department (store, "Parks"));
  g_assert_nonnull (gw_store_lookup_department (store, "Public Works"));
  feed_dispose (feed);
  fixture_teardown (&fx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/open311/parse/helsinki", test_parse_helsinki);
  g_test_add_func ("/open311/parse/bloomington", test_parse_bloomington);
  g_test_add_func ("/open311/parse/services", test_parse_services);
  g_test_add_func ("/open311/parse/requests-xml", test_parse_requests_xml);
  g_test_add_func ("/open311/parse/malformed", test_parse_malformed);
  g_test_add_func ("/open311/parse/fields", test_parse_fields);
  g_test_add_func ("/open311/feed/helsinki", test_feed_helsinki);
  g_test_add_func ("/open311/feed/paging-ignored", test_feed_paging_ignored);
  g_test_add_func ("/open311/feed/windows", test_feed_windows);
  g_test_add_func ("/open311/feed/errors", test_feed_errors);
  g_test_add_func ("/open311/feed/xml", test_feed_xml);
  return g_test_run ();
}
