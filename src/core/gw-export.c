/* gw-export.c — every case with its names and timeline, as CSV or JSON */

#include "gw-export.h"

#include <string.h>

#include "gw-codec.h"
#include "gw-metrics-csv.h"

gboolean
gw_export_format_for_path (const char     *path,
                           GwExportFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".csv"))
    *format = GW_EXPORT_CSV;
  else if (g_str_has_suffix (lower, ".json"))
    *format = GW_EXPORT_JSON;
  else
    return FALSE;
  return TRUE;
}

static int
compare_received (gconstpointer a,
                  gconstpointer b)
{
  const GwIncident *x = *(GwIncident **) a, *y = *(GwIncident **) b;

  if (x->received_at != y->received_at)
    return x->received_at < y->received_at ? -1 : 1;
  return strcmp (x->id, y->id);
}

static char *
format_time_or_empty (GwTime t)
{
  return t != GW_TIME_NONE ? gw_time_format (t) : g_strdup ("");
}

static char *
timeline_text (const GwIncident *incident)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < incident->timeline->len; i++)
    {
      const GwStageEvent *ev = g_ptr_array_index (incident->timeline, i);
      g_autofree char *when = gw_time_format (ev->time);

      if (i > 0)
        g_string_append (out, "; ");
      g_string_append_printf (out, "%s %s", when, gw_stage_to_string (ev->stage));
      if (ev->department != NULL)
        g_string_append_printf (out, " [%s]", ev->department);
      if (ev->actor != NULL)
        g_string_append_printf (out, " (%s)", ev->actor);
    }
  return g_string_free (out, FALSE);
}

static const char *
department_name (GwStore    *store,
                 const char *id)
{
  GwDepartment *dept = id ? gw_store_lookup_department (store, id) : NULL;
  return dept ? dept->name : NULL;
}

static const char *
class_name (GwStore    *store,
            const char *code)
{
  GwIncidentClass *klass = code ? gw_store_lookup_class (store, code) : NULL;
  return klass ? klass->name : NULL;
}

static const char *
cell_name (GwStore    *store,
           const char *code)
{
  GwCell *cell = code ? gw_store_lookup_cell (store, code) : NULL;
  return cell ? cell->name : NULL;
}

static void
write_csv (GString   *out,
           GwStore   *store,
           GPtrArray *incidents,
           GwTime     now)
{
  g_string_append (out, "\xEF\xBB\xBF");
  g_string_append (out, "id,title,class,class_name,department,department_name,cell,cell_name,"
                        "status,stage,late,received_at,deadline,closed_at,address,lon,lat,"
                        "timeline\r\n");
  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (incidents, i);
      g_autofree char *received = format_time_or_empty (inc->received_at);
      g_autofree char *deadline = format_time_or_empty (inc->deadline);
      g_autofree char *closed = format_time_or_empty (inc->closed_at);
      g_autofree char *timeline = timeline_text (inc);
      char lon[G_ASCII_DTOSTR_BUF_SIZE], lat[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (lon, sizeof lon, "%.6f", inc->lon);
      g_ascii_formatd (lat, sizeof lat, "%.6f", inc->lat);
      gw_metrics_csv_append_field (out, inc->id, FALSE);
      gw_metrics_csv_append_field (out, inc->title, FALSE);
      gw_metrics_csv_append_field (out, inc->class_code, FALSE);
      gw_metrics_csv_append_field (out, class_name (store, inc->class_code), FALSE);
      gw_metrics_csv_append_field (out, inc->department, FALSE);
      gw_metrics_csv_append_field (out, department_name (store, inc->department), FALSE);
      gw_metrics_csv_append_field (out, inc->cell_code, FALSE);
      gw_metrics_csv_append_field (out, cell_name (store, inc->cell_code), FALSE);
      gw_metrics_csv_append_field (out, gw_incident_is_open (inc) ? "open" : "closed", FALSE);
      gw_metrics_csv_append_field (out, gw_stage_to_string (inc->stage), FALSE);
      gw_metrics_csv_append_field (out, gw_incident_is_late (inc, now) ? "yes" : "no", FALSE);
      gw_metrics_csv_append_field (out, received, FALSE);
      gw_metrics_csv_append_field (out, deadline, FALSE);
      gw_metrics_csv_append_field (out, closed, FALSE);
      gw_metrics_csv_append_field (out, inc->address, FALSE);
      gw_metrics_csv_append_field (out, lon, FALSE);
      gw_metrics_csv_append_field (out, lat, FALSE);
      gw_metrics_csv_append_field (out, timeline, TRUE);
    }
}

static void
set_name (JsonObject *obj,
          const char *member,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, member, value);
  else
    json_object_set_null_member (obj, member);
}

static void
write_json (GString   *out,
            GwStore   *store,
            GPtrArray *incidents,
            GwTime     now)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < incidents->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (incidents, i);
      JsonNode *node = gw_incident_to_json (inc, FALSE);
      JsonObject *obj = json_node_get_object (node);

      /* Names beside the codes, so the file reads on its own. */
      set_name (obj, "class_name", class_name (store, inc->class_code));
      set_name (obj, "department_name", department_name (store, inc->department));
      set_name (obj, "cell_name", cell_name (store, inc->cell_code));
      json_object_set_boolean_member (obj, "late", gw_incident_is_late (inc, now));
      json_array_add_element (array, node);
    }
  root = json_node_init_array (json_node_alloc (), array);
  text = json_to_string (root, TRUE);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

GBytes *
gw_export_cases (GwStore        *store,
                 GwExportFormat  format,
                 GwTime          now)
{
  g_autoptr(GPtrArray) incidents = gw_store_list (store);
  GString *out = g_string_new (NULL);

  g_ptr_array_sort (incidents, compare_received);
  if (format == GW_EXPORT_CSV)
    write_csv (out, store, incidents, now);
  else
    write_json (out, store, incidents, now);
  return g_string_free_to_bytes (out);
}
