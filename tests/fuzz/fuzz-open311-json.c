/* fuzz-open311-json.c — libFuzzer target for the Open311 JSON readers
 *
 * Feeds the input to gw_open311_parse_requests() and gw_open311_parse_services(); a
 * rejection must be a GW_OPEN311_ERROR, and whatever is accepted must hold the model's
 * rules: valid ids and codes, every reference resolvable, a timeline that starts with
 * "received", is in time order and replays through the workflow to the same stage.
 * fuzz-open311-xml.c includes this file with FUZZ_OPEN311_FORMAT set to XML.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gw-open311.h"
#include "gw-workflow.h"

#ifndef FUZZ_OPEN311_FORMAT
#define FUZZ_OPEN311_FORMAT GW_OPEN311_FORMAT_JSON
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_code (const char *code)
{
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), >=, 1);
  g_assert_cmpuint (strlen (code), <=, 64);
  g_assert_cmpuint (strspn (code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789._-"), ==, strlen (code));
}

static void
check_error (GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == GW_OPEN311_ERROR);
  g_assert_true (error->code == GW_OPEN311_ERROR_MALFORMED ||
                 error->code == GW_OPEN311_ERROR_NOT_A_LIST ||
                 error->code == GW_OPEN311_ERROR_SERVER);
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static void
check_incident (GwIncident *inc, GHashTable *classes, GHashTable *departments)
{
  check_code (inc->id);
  check_code (inc->class_code);
  g_assert_true (g_hash_table_contains (classes, inc->class_code));
  g_assert_true (inc->title != NULL && *inc->title != '\0');
  g_assert_nonnull (inc->address);
  g_assert_true (inc->lat >= -90 && inc->lat <= 90 && inc->lon >= -180 && inc->lon <= 180);
  g_assert_cmpint (inc->received_at, >, 0);
  g_assert_cmpint (inc->updated_at, >=, inc->received_at);
  g_assert_cmpint (inc->seq, ==, inc->updated_at);
  g_assert_true (inc->department == NULL || g_hash_table_contains (departments, inc->department));
  g_assert_cmpuint (inc->timeline->len, >, 0);

  /* Rebuilt from nothing, the timeline must be accepted entry by entry. */
  g_autoptr(GwIncident) replay = gw_incident_copy (inc);
  g_ptr_array_set_size (replay->timeline, 0);
  replay->stage = GW_STAGE_RECEIVED;
  for (guint i = 0; i < inc->timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (inc->timeline, i);
      g_autoptr(GError) error = NULL;
      if (i == 0)
        {
          g_assert_cmpint (ev->stage, ==, GW_STAGE_RECEIVED);
          g_assert_cmpint (ev->time, ==, inc->received_at);
        }
      g_assert_true (ev->department == NULL || g_hash_table_contains (departments, ev->department));
      if (!gw_incident_apply_event (replay, ev, &error))
        g_error ("timeline of %s does not replay at %u: %s", inc->id, i, error->message);
    }
  g_assert_cmpint (replay->stage, ==, inc->stage);
  g_assert_true ((inc->closed_at != GW_TIME_NONE) == gw_stage_is_closed (inc->stage));
}

static GHashTable *
index_codes (GPtrArray *items, gsize offset)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++)
    {
      const char *key = G_STRUCT_MEMBER (char *, items->pdata[i], offset);
      /* Unique, as the store's reference tables expect. */
      g_assert_false (g_hash_table_contains (table, key));
      g_hash_table_add (table, (gpointer) key);
    }
  return table;
}

static void
check_requests (const char *data, size_t size, int offset)
{
  GwOpen311Options options = { offset, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GwOpen311Result) r = gw_open311_parse_requests (data, size, FUZZ_OPEN311_FORMAT,
                                                            &options, &error);
  if (r == NULL)
    {
      check_error (error);
      return;
    }
  g_assert_cmpuint (r->incidents->len + r->n_skipped, ==, r->n_records);
  g_assert_cmpuint (r->warnings->len, <=, r->n_skipped);

  g_autoptr(GHashTable) classes = index_codes (r->classes, G_STRUCT_OFFSET (GwIncidentClass, code));
  g_autoptr(GHashTable) departments = index_codes (r->departments,
                                                   G_STRUCT_OFFSET (GwDepartment, id));
  guint events = 0;
  GwTime max_updated = GW_TIME_NONE;
  for (guint i = 0; i < r->incidents->len; i++)
    {
      GwIncident *inc = r->incidents->pdata[i];
      check_incident (inc, classes, departments);
      events += inc->timeline->len;
      max_updated = MAX (max_updated, inc->updated_at);
    }
  g_assert_cmpint (max_updated, ==, r->max_updated);
  g_assert_cmpuint (events, ==, r->n_events - r->n_merged - r->n_dropped + r->n_inferred);
  for (guint i = 0; i < r->classes->len; i++)
    check_code (((GwIncidentClass *) r->classes->pdata[i])->code);
}

static void
check_services (const char *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GwOpen311Result) r = gw_open311_parse_services (data, size, FUZZ_OPEN311_FORMAT,
                                                            NULL, &error);
  if (r == NULL)
    {
      check_error (error);
      return;
    }
  g_assert_cmpuint (r->incidents->len, ==, 0);
  g_assert_cmpuint (r->classes->len + r->n_skipped, <=, r->n_records);
  g_autoptr(GHashTable) codes = index_codes (r->classes, G_STRUCT_OFFSET (GwIncidentClass, code));
  g_assert_cmpuint (g_hash_table_size (codes), ==, r->classes->len);
  for (guint i = 0; i < r->classes->len; i++)
    {
      GwIncidentClass *klass = r->classes->pdata[i];
      check_code (klass->code);
      g_assert_true (klass->name != NULL && klass->category != NULL);
      g_assert_cmpint (klass->deadline_hours, >, 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  GwTime t;

  check_requests ((const char *) data, size, 0);
  check_requests ((const char *) data, size, -5 * 3600);
  check_services ((const char *) data, size);

  /* The field-level helpers on the raw bytes too. */
  if (gw_open311_parse_time (text, 7200, &t))
    g_assert_cmpint (t, >, 0);
  g_autofree char *code = gw_open311_sanitize_code (text, TRUE);
  check_code (code);
  g_autofree char *plain = gw_open311_sanitize_code (text, FALSE);
  check_code (plain);
  return 0;
}
