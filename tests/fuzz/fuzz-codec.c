/* fuzz-codec.c — libFuzzer target for the strict JSON codecs
 *
 * Feeds the input to gw_json_parse() and every decoder; whatever decodes is encoded,
 * printed, parsed and decoded again, which must succeed and give the same value.
 * Also exercises the RFC 3339 parser on the raw bytes.
 */
#include <stdint.h>
#include <string.h>

#include "gw-codec.h"
#include "gw-workflow.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static JsonNode *
reparse (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gw_json_to_string (node);
  JsonNode *again = gw_json_parse (text, -1, &error);
  if (again == NULL)
    g_error ("encoder output does not parse: %s\n%s", error->message, text);
  return again;
}

/* Encode → text → parse → decode → encode must be a fixed point. */
#define CHECK_FIXED_POINT(value, to_json, from_json, unref)                        \
  G_STMT_START {                                                                   \
    g_autoptr(GError) err_ = NULL;                                                 \
    g_autoptr(JsonNode) out1_ = to_json (value);                                   \
    g_autoptr(JsonNode) in_ = reparse (out1_);                                     \
    __typeof__ (value) back_ = from_json (in_, &err_);                             \
    if (back_ == NULL)                                                             \
      g_error ("re-decode failed: %s", err_->message);                             \
    g_autoptr(JsonNode) out2_ = to_json (back_);                                   \
    g_autofree char *s1_ = gw_json_to_string (out1_);                              \
    g_autofree char *s2_ = gw_json_to_string (out2_);                              \
    if (strcmp (s1_, s2_) != 0)                                                    \
      g_error ("not a fixed point:\n%s\n%s", s1_, s2_);                            \
    unref (back_);                                                                 \
  } G_STMT_END

static JsonNode *incident_to_json_personal (const GwIncident *i) { return gw_incident_to_json (i, TRUE); }

static void
check_error (GError *error)
{
  /* Every rejection is a codec error naming a path: "<path>: <what>". */
  if (error == NULL || error->domain != GW_CODEC_ERROR || strstr (error->message, ": ") == NULL)
    g_error ("bad rejection: %s", error != NULL ? error->message : "(no error)");
}

static void
check_incident (GwIncident *inc)
{
  g_autoptr(GError) error = NULL;
  for (int personal = 0; personal < 2; personal++)
    {
      g_autoptr(JsonNode) out = gw_incident_to_json (inc, personal);
      g_autoptr(JsonNode) in = reparse (out);
      g_autoptr(GwIncident) back = gw_incident_from_json (in, &error);
      if (back == NULL)
        g_error ("incident re-decode failed: %s", error->message);
      if (personal)
        g_assert_true (gw_incident_equal (inc, back));
      else
        g_assert_null (back->reporter_name);
    }
  g_autoptr(GwIncident) copy = gw_incident_copy (inc);
  g_assert_true (gw_incident_equal (inc, copy));

  /* Replaying the timeline through the workflow must never crash; when it is
   * accepted, the stage matches the last entry. */
  g_autoptr(GwIncident) replay = gw_incident_copy (inc);
  g_ptr_array_set_size (replay->timeline, 0);
  replay->stage = GW_STAGE_RECEIVED;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < inc->timeline->len; i++)
    {
      g_autoptr(GError) werr = NULL;
      ok = gw_incident_apply_event (replay, g_ptr_array_index (inc->timeline, i), &werr);
      g_assert_true (ok == (werr == NULL));
      if (werr != NULL)
        g_assert_true (werr->domain == GW_WORKFLOW_ERROR);
    }
  if (ok && inc->timeline->len > 0)
    g_assert_cmpint (replay->stage, ==,
                     ((GwStageEvent *) g_ptr_array_index (inc->timeline, inc->timeline->len - 1))->stage);
}

static void
decode_all (JsonNode *node)
{
  GError *error = NULL;
  gint64 seq = 0;

  GwIncident *inc = gw_incident_from_json (node, &error);
  if (inc != NULL)
    {
      check_incident (inc);
      CHECK_FIXED_POINT (inc, incident_to_json_personal, gw_incident_from_json, gw_incident_unref);
      gw_incident_unref (inc);
    }
  else
    check_error (error);
  g_clear_error (&error);

  inc = gw_incident_report_from_json (node, &error);
  if (inc != NULL)
    {
      g_assert_null (inc->cell_code);
      g_assert_cmpuint (inc->timeline->len, ==, 0);
      gw_incident_unref (inc);
    }
  else
    check_error (error);
  g_clear_error (&error);

  inc = gw_change_from_json (node, &seq, &error);
  if (inc != NULL)
    {
      g_autoptr(GError) err2 = NULL;
      gint64 seq2 = 0;
      g_autoptr(JsonNode) out = gw_change_to_json_full (seq, inc, TRUE);
      g_autoptr(JsonNode) in = reparse (out);
      g_autoptr(GwIncident) back = gw_change_from_json (in, &seq2, &err2);
      if (back == NULL)
        g_error ("change re-decode failed: %s", err2->message);
      g_assert_cmpint (seq, ==, seq2);
      g_assert_true (gw_incident_equal (inc, back));
      gw_incident_unref (inc);
    }
  else
    check_error (error);
  g_clear_error (&error);

  GwStageEvent *ev = gw_stage_event_from_json (node, &error);
  if (ev != NULL)
    {
      g_autoptr(GError) err2 = NULL;
      g_autoptr(JsonNode) out = gw_stage_event_to_json (ev);
      g_autoptr(JsonNode) in = reparse (out);
      g_autoptr(GwStageEvent) back = gw_stage_event_from_json (in, &err2);
      if (back == NULL)
        g_error ("event re-decode failed: %s", err2->message);
      g_assert_true (gw_stage_event_equal (ev, back));
      gw_stage_event_free (ev);
    }
  else
    check_error (error);
  g_clear_error (&error);

  GwCell *cell = gw_cell_from_json (node, &error);
  if (cell != NULL)
    {
      double x0, y0, x1, y1, cx, cy;
      gw_cell_get_bounds (cell, &x0, &y0, &x1, &y1);
      gw_cell_get_centroid (cell, &cx, &cy);
      (void) gw_cell_contains (cell, cx, cy);
      g_assert_true (x0 <= x1 && y0 <= y1);
      CHECK_FIXED_POINT (cell, gw_cell_to_json, gw_cell_from_json, gw_cell_unref);
      gw_cell_unref (cell);
    }
  else
    check_error (error);
  g_clear_error (&error);

  GwDepartment *dep = gw_department_from_json (node, &error);
  if (dep != NULL)
    {
      CHECK_FIXED_POINT (dep, gw_department_to_json, gw_department_from_json, gw_department_unref);
      gw_department_unref (dep);
    }
  else
    check_error (error);
  g_clear_error (&error);

  GwIncidentClass *klass = gw_incident_class_from_json (node, &error);
  if (klass != NULL)
    {
      CHECK_FIXED_POINT (klass, gw_incident_class_to_json, gw_incident_class_from_json,
                         gw_incident_class_unref);
      gw_incident_class_unref (klass);
    }
  else
    check_error (error);
  g_clear_error (&error);
}

static void
check_time (const char *text)
{
  GwTime t;
  if (gw_time_parse_rfc3339 (text, &t))
    {
      g_autofree char *formatted = gw_time_format (t);
      GwTime back;
      g_assert_true (gw_time_parse_rfc3339 (formatted, &back));
      g_assert_cmpint (t, ==, back);
      g_assert_true (gw_time_parse_lenient (text, 3600, &back));
      g_assert_cmpint (t, ==, back);
    }
  else
    (void) gw_time_parse_lenient (text, -3600, &t);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);

  check_time (text);

  g_autoptr(JsonNode) root = gw_json_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      g_assert_true (g_error_matches (error, GW_CODEC_ERROR, GW_CODEC_ERROR_MALFORMED));
      return 0;
    }
  g_autofree char *printed = gw_json_to_string (root);
  g_assert_nonnull (printed);

  decode_all (root);
  /* Lists ({"items": [...]}, FeatureCollections, bare arrays): every element too. */
  JsonArray *list = NULL;
  if (JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      const char *names[] = { "items", "features" };
      for (guint i = 0; list == NULL && i < G_N_ELEMENTS (names); i++)
        {
          JsonNode *m = json_object_get_member (obj, names[i]);
          if (m != NULL && JSON_NODE_HOLDS_ARRAY (m))
            list = json_node_get_array (m);
        }
    }
  for (guint i = 0; list != NULL && i < json_array_get_length (list) && i < 64; i++)
    decode_all (json_array_get_element (list, i));
  return 0;
}
