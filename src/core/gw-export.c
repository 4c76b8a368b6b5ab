/* gw-export.c — every case with its names and timeline, as CSV or JSON */

#include "gw-export.h"

#include <string.h>

#include "gw-cell.h"
#include "gw-codec.h"
#include "gw-department.h"
#include "gw-incident-class.h"
#include "gw-metrics-csv.h"

/* Names by code, from reference arrays rather than the store, so a worker thread can
 * export a snapshot while the main thread keeps updating the store. */
typedef struct {
  GHashTable *departments;  /* id → name, borrowed */
  GHashTable *classes;
  GHashTable *cells;
} Names;

static void
names_init (Names     *names,
            GPtrArray *cells,
            GPtrArray *departments,
            GPtrArray *classes)
{
  names->departments = g_hash_table_new (g_str_hash, g_str_equal);
  names->classes = g_hash_table_new (g_str_hash, g_str_equal);
  names->cells = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      GwDepartment *dept = g_ptr_array_index (departments, i);
      g_hash_table_insert (names->departments, dept->id, dept->name);
    }
  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      GwIncidentClass *klass = g_ptr_array_index (classes, i);
      g_hash_table_insert (names->classes, klass->code, klass->name);
    }
  for (guint i = 0; cells != NULL && i < cells->len; i++)
    {
      GwCell *cell = g_ptr_array_index (cells, i);
      g_hash_table_insert (names->cells, cell->code, cell->name);
    }
}

static void
names_clear (Names *names)
{
  g_clear_pointer (&names->departments, g_hash_table_unref);
  g_clear_pointer (&names->classes, g_hash_table_unref);
  g_clear_pointer (&names->cells, g_hash_table_unref);
}

static const char *
lookup_name (GHashTable *table,
             const char *code)
{
  return code != NULL ? g_hash_table_lookup (table, code) : NULL;
}

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

#define department_name(names, id) lookup_name ((names)->departments, (id))
#define class_name(names, code)    lookup_name ((names)->classes, (code))
#define cell_name(names, code)     lookup_name ((names)->cells, (code))

static void
write_csv (GString   *out,
           Names     *names,
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
      gw_metrics_csv_append_field (out, class_name (names, inc->class_code), FALSE);
      gw_metrics_csv_append_field (out, inc->department, FALSE);
      gw_metrics_csv_append_field (out, department_name (names, inc->department), FALSE);
      gw_metrics_csv_append_field (out, inc->cell_code, FALSE);
      gw_metrics_csv_append_field (out, cell_name (names, inc->cell_code), FALSE);
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
            Names     *names,
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
      set_name (obj, "class_name", class_name (names, inc->class_code));
      set_name (obj, "department_name", department_name (names, inc->department));
      set_name (obj, "cell_name", cell_name (names, inc->cell_code));
      json_object_set_boolean_member (obj, "late", gw_incident_is_late (inc, now));
      json_array_add_element (array, node);
    }
  root = json_node_init_array (json_node_alloc (), array);
  text = json_to_string (root, TRUE);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

GBytes *
gw_export_incidents (GPtrArray      *incidents,
                     GPtrArray      *cells,
                     GPtrArray      *departments,
                     GPtrArray      *classes,
                     GwExportFormat  format,
                     GwTime          now)
{
  GString *out = g_string_new (NULL);
  Names names;

  names_init (&names, cells, departments, classes);
  g_ptr_array_sort (incidents, compare_received);
  if (format == GW_EXPORT_CSV)
    write_csv (out, &names, incidents, now);
  else
    write_json (out, &names, incidents, now);
  names_clear (&names);
  return g_string_free_to_bytes (out);
}

GBytes *
gw_export_cases (GwStore        *store,
                 GwExportFormat  format,
                 GwTime          now)
{
  g_autoptr(GPtrArray) incidents = gw_store_list (store);

  return gw_export_incidents (incidents, gw_store_get_cells (store),
                              gw_store_get_departments (store), gw_store_get_classes (store),
                              format, now);
}
