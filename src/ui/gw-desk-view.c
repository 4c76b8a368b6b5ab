/* gw-desk-view.c — the desk's "Cases" page: search and filter every case, see one's details */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gw-case-timeline.h"
#include "gw-desk-view.h"
#include "gw-labels.h"
#include "gw-privacy.h"
#include "gw-settings.h"

/* Stage filter positions before the stages themselves. */
enum { STAGE_ANY, STAGE_OPEN, STAGE_CLOSED, STAGE_FIRST };

/* More changes than this at once are cheaper as one full refresh. */
#define PENDING_MAX    2000
#define FULL_INTERVAL  (60 * G_USEC_PER_SEC)

/* Time filter positions (the template's items). */
enum { TIME_ANY, TIME_HOUR, TIME_DAY, TIME_TODAY, TIME_WEEK, TIME_MONTH };

enum {
  FIELD_CASE, FIELD_CLASS, FIELD_ADDRESS, FIELD_CELL, FIELD_DEPARTMENT, FIELD_STAGE,
  FIELD_PRIORITY, FIELD_RECEIVED, FIELD_DEADLINE, FIELD_REPORTER, N_FIELDS
};

struct _GwDeskView {
  AdwBin           parent_instance;

  GwStore         *store;
  GSettings       *settings;
  gboolean         wall;
  gboolean         dirty;        /* the store changed since the last refresh */
  gboolean         full;         /* ... so that every row must be redone */
  GHashTable      *pending;      /* id → new GwIncident*, or NULL when removed */
  gint64           full_at;      /* monotonic time of the last full refresh */
  GwTime           late_checked; /* cases late by then have been redrawn as late */
  gboolean         refreshing;   /* selection changes are ours, not the user's */
  guint            tick_id;
  char            *selected_id;  /* survives list refreshes */

  /* Ids behind the class, department and cell filter items (index 0: any). */
  GPtrArray       *class_ids;
  GPtrArray       *department_ids;
  GPtrArray       *cell_ids;

  GwCaseList      *case_list;
  GwCaseTimeline  *timeline;
  GtkLabel        *values[N_FIELDS];

  GtkSearchEntry  *search_entry;
  GtkToggleButton *late_toggle;
  GtkDropDown     *stage_filter;
  GtkDropDown     *class_filter;
  GtkDropDown     *department_filter;
  GtkDropDown     *cell_filter;
  GtkDropDown     *time_filter;
  GtkBox          *list_slot;
  GtkLabel        *count_label;
  GtkStack        *detail_stack;
  GtkLabel        *title_label;
  GtkGrid         *detail_grid;
  GtkBox          *timeline_slot;
};

G_DEFINE_FINAL_TYPE (GwDeskView, gw_desk_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (GwDeskView *self);

/* ---- filtering ------------------------------------------------------------------- */

typedef enum {
  MATCH_FOLDED,   /* fold each text, then search */
  MATCH_ASCII,    /* an ASCII needle: compare bytes, ASCII case ignored */
  MATCH_EXACT,    /* a needle nothing folds to, as most Chinese is: search as it is */
} MatchMode;

typedef struct {
  char       *needle;      /* casefolded search text, or NULL */
  MatchMode   mode;
  int         stage;       /* STAGE_* or STAGE_FIRST + GwStage */
  const char *class_code;
  const char *department;
  const char *cell_code;
  gboolean    late_only;
  GwTime      since;       /* GW_TIME_NONE: any */
  GwTime      now;
  GPtrArray  *out;
} Filter;

static gboolean
ascii_case_contains (const char *text,
                     const char *needle)
{
  gsize n = strlen (needle);

  for (; *text != '\0'; text++)
    if (g_ascii_tolower (*text) == needle[0] && g_ascii_strncasecmp (text, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Folding every title on each keystroke was most of what a search cost (20 ms over
 * 20,000 cases): only a needle with letters that have case needs it. (The ASCII path
 * leaves out folds like the Kelvin sign's to k.) */
static MatchMode
match_mode (const char *needle)
{
  gboolean ascii = TRUE, cased = FALSE;

  for (const char *p = needle; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      ascii = ascii && c < 0x80;
      cased = cased || g_unichar_islower (c) || g_unichar_isupper (c) || g_unichar_istitle (c);
    }
  return ascii ? MATCH_ASCII : cased ? MATCH_FOLDED : MATCH_EXACT;
}

static gboolean
text_matches (const char *text,
              const char *needle,
              MatchMode   mode)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  switch (mode)
    {
    case MATCH_ASCII:
      return ascii_case_contains (text, needle);
    case MATCH_EXACT:
      return strstr (text, needle) != NULL;
    case MATCH_FOLDED:
    default:
      folded = g_utf8_casefold (text, -1);
      return strstr (folded, needle) != NULL;
    }
}

static gboolean
filter_passes (const Filter     *f,
               const GwIncident *incident)
{
  if (f->stage == STAGE_OPEN && !gw_incident_is_open (incident))
    return FALSE;
  if (f->stage == STAGE_CLOSED && gw_incident_is_open (incident))
    return FALSE;
  if (f->stage >= STAGE_FIRST && (int) incident->stage != f->stage - STAGE_FIRST)
    return FALSE;
  if (f->class_code != NULL && g_strcmp0 (incident->class_code, f->class_code) != 0)
    return FALSE;
  if (f->department != NULL && g_strcmp0 (incident->department, f->department) != 0)
    return FALSE;
  if (f->cell_code != NULL && g_strcmp0 (incident->cell_code, f->cell_code) != 0)
    return FALSE;
  if (f->late_only && !(gw_incident_is_open (incident) && gw_incident_is_late (incident, f->now)))
    return FALSE;
  if (f->since != GW_TIME_NONE && incident->received_at < f->since)
    return FALSE;
  if (f->needle != NULL &&
      !text_matches (incident->title, f->needle, f->mode) &&
      !text_matches (incident->address, f->needle, f->mode) &&
      !text_matches (incident->id, f->needle, f->mode))
    return FALSE;
  return TRUE;
}

static void
filter_cb (gpointer data,
           gpointer user_data)
{
  Filter *f = user_data;

  if (filter_passes (f, data))
    g_ptr_array_add (f->out, gw_incident_ref (data));
}

static const char *
selected_id (GtkDropDown *dropdown,
             GPtrArray   *ids)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  return i > 0 && i < ids->len ? g_ptr_array_index (ids, i) : NULL;
}

static GwTime
time_filter_since (GwDeskView *self,
                   GwTime      now)
{
  switch (gtk_drop_down_get_selected (self->time_filter))
    {
    case TIME_HOUR:
      return now - GW_USEC_PER_HOUR;
    case TIME_DAY:
      return now - 24 * GW_USEC_PER_HOUR;
    case TIME_TODAY:
      return gw_time_local_day_start (now);
    case TIME_WEEK:
      return now - 7 * 24 * GW_USEC_PER_HOUR;
    case TIME_MONTH:
      return now - 30 * 24 * GW_USEC_PER_HOUR;
    case TIME_ANY:
    default:
      return GW_TIME_NONE;
    }
}

/* The filters as they are set now; filter_clear() after. */
static void
filter_init (GwDeskView *self,
             Filter     *out)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (search));
  Filter f = { 0 };

  f.needle = stripped[0] != '\0' ? g_utf8_casefold (stripped, -1) : NULL;
  f.mode = f.needle != NULL ? match_mode (f.needle) : MATCH_FOLDED;
  f.stage = (int) gtk_drop_down_get_selected (self->stage_filter);
  f.class_code = selected_id (self->class_filter, self->class_ids);
  f.department = selected_id (self->department_filter, self->department_ids);
  f.cell_code = selected_id (self->cell_filter, self->cell_ids);
  f.late_only = gtk_toggle_button_get_active (self->late_toggle);
  f.now = gw_time_now ();
  f.since = time_filter_since (self, f.now);
  *out = f;
}

static void
filter_clear (Filter *f)
{
  g_clear_pointer (&f->needle, g_free);
}

static GPtrArray *
filtered_incidents (GwDeskView *self)
{
  Filter f;

  filter_init (self, &f);
  f.out = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  if (self->store != NULL)
    gw_store_foreach (self->store, filter_cb, &f);
  filter_clear (&f);
  return f.out;
}

/* ---- details --------------------------------------------------------------------- */

static char *
format_local (GwTime t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == GW_TIME_NONE)
    return NULL;
  dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : NULL;
}

static void
set_value (GwDeskView *self,
           guint       field,
           const char *text)
{
  gtk_label_set_text (self->values[field], text != NULL && text[0] != '\0' ? text : "—");
}

static void
show_details (GwDeskView *self,
              GwIncident *incident)
{
  GwTime now = gw_time_now ();
  GwDepartment *dept = NULL;
  GwCell *cell = NULL;
  GwIncidentClass *klass = NULL;
  g_autofree char *class_text = NULL, *cell_text = NULL, *received = NULL;
  g_autofree char *deadline = NULL, *deadline_text = NULL, *reporter = NULL;
  gboolean reveal;

  if (incident == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      gtk_label_set_text (self->values[FIELD_REPORTER], "");
      gw_case_timeline_set_incident (self->timeline, NULL, NULL);
      return;
    }

  if (self->store != NULL)
    {
      dept = incident->department ? gw_store_lookup_department (self->store, incident->department) : NULL;
      cell = incident->cell_code ? gw_store_lookup_cell (self->store, incident->cell_code) : NULL;
      klass = incident->class_code ? gw_store_lookup_class (self->store, incident->class_code) : NULL;
    }
  if (klass != NULL)
    class_text = g_strdup_printf ("%s · %s", klass->category ? klass->category : "", klass->name);
  if (cell != NULL)
    cell_text = g_strdup_printf ("%s (%s)", cell->name ? cell->name : "", cell->code);

  gtk_label_set_text (self->title_label, incident->title ? incident->title : incident->id);
  set_value (self, FIELD_CASE, incident->id);
  set_value (self, FIELD_CLASS, class_text ? class_text : incident->class_code);
  set_value (self, FIELD_ADDRESS, incident->address);
  set_value (self, FIELD_CELL, cell_text ? cell_text : incident->cell_code);
  set_value (self, FIELD_DEPARTMENT, dept ? dept->name
                                     : incident->department ? incident->department
                                     : _("Not dispatched"));
  set_value (self, FIELD_STAGE, gw_stage_get_label (incident->stage));
  set_value (self, FIELD_PRIORITY, gw_priority_get_label (incident->priority));
  received = format_local (incident->received_at);
  set_value (self, FIELD_RECEIVED, received);

  deadline = format_local (incident->deadline);
  gtk_widget_remove_css_class (GTK_WIDGET (self->values[FIELD_DEADLINE]), "error");
  if (deadline != NULL && gw_incident_is_open (incident))
    {
      g_autofree char *span = gw_format_duration (incident->deadline - now);

      deadline_text = incident->deadline < now
                      ? g_strdup_printf (_("%s — late by %s"), deadline, span)
                      : g_strdup_printf (_("%s — %s left"), deadline, span);
    }
  if (gw_incident_is_late (incident, now))
    gtk_widget_add_css_class (GTK_WIDGET (self->values[FIELD_DEADLINE]), "error");
  set_value (self, FIELD_DEADLINE, deadline_text ? deadline_text : deadline);

  reveal = gw_privacy_may_show (self->wall, self->settings);
  reporter = gw_privacy_format_reporter (incident, reveal);
  set_value (self, FIELD_REPORTER, reporter);

  if (self->store != NULL)
    gw_case_timeline_set_departments (self->timeline, gw_store_get_departments (self->store));
  gw_case_timeline_set_incident (self->timeline, incident,
                                 self->store ? gw_store_get_classes (self->store) : NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "case");
}

static void
show_selected (GwDeskView *self)
{
  GwIncident *incident = NULL;

  if (self->selected_id != NULL && self->store != NULL)
    incident = gw_store_lookup (self->store, self->selected_id);
  show_details (self, incident);
}

static void
selection_cb (GwCaseList *list,
              GParamSpec *pspec,
              GwDeskView *self)
{
  GwIncident *incident;

  if (self->refreshing)
    return;
  incident = gw_case_list_get_selected (list);
  g_free (self->selected_id);
  self->selected_id = incident ? g_strdup (incident->id) : NULL;
  show_selected (self);
}

/* ---- refreshing ------------------------------------------------------------------ */

static guint
find_position (GwCaseList *list,
               const char *id)
{
  guint n = gw_case_list_get_n_items (list);

  for (guint i = 0; id != NULL && i < n; i++)
    if (g_str_equal (gw_case_list_get_item (list, i)->id, id))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
refresh (GwDeskView *self)
{
  GtkScrollable *view = GTK_SCROLLABLE (gw_case_list_get_column_view (self->case_list));
  g_autoptr(GPtrArray) shown = filtered_incidents (self);
  g_autofree char *count = NULL;
  guint n_total = self->store ? gw_store_get_n_incidents (self->store) : 0;
  guint position;

  self->dirty = FALSE;
  self->full = FALSE;
  self->full_at = g_get_monotonic_time ();
  self->late_checked = gw_time_now ();
  g_hash_table_remove_all (self->pending);
  /* Replacing the rows resets the selection: put it back by id. (The list view keeps its
   * scroll offset by itself; test-desk checks.) */
  self->refreshing = TRUE;
  gw_case_list_set_incidents (self->case_list, shown);
  position = find_position (self->case_list, self->selected_id);
  gw_case_list_select (self->case_list, position);
  self->refreshing = FALSE;
  /* Only the visible rows have widgets: say how many there are in all. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_ROW_COUNT,
                                  (int) shown->len, -1);

  /* Translators: "12 of 3,456 cases" */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u case", "%u of %u cases",
                                        n_total), shown->len, n_total);
  gtk_label_set_text (self->count_label, count);
  show_selected (self);
}

/* Live changes: only the rows of the cases that changed, so that a big list costs little
 * per change (see gw-bench-desk). */
static void
update (GwDeskView *self)
{
  GtkAccessible *view = GTK_ACCESSIBLE (gw_case_list_get_column_view (self->case_list));
  g_autoptr(GPtrArray) upsert = g_ptr_array_new ();
  g_autoptr(GPtrArray) remove = g_ptr_array_new ();
  g_autofree char *count = NULL;
  gboolean selected_changed;
  GwIncident *selected;
  GHashTableIter iter;
  gpointer id, incident;
  guint n_shown, n_total = self->store ? gw_store_get_n_incidents (self->store) : 0;
  Filter f;

  filter_init (self, &f);
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &id, &incident))
    {
      if (incident != NULL && filter_passes (&f, incident))
        g_ptr_array_add (upsert, incident);
      else
        g_ptr_array_add (remove, id);
    }
  filter_clear (&f);

  self->dirty = FALSE;
  self->refreshing = TRUE;
  gw_case_list_update (self->case_list, upsert, remove);
  selected = gw_case_list_get_selected (self->case_list);
  if (self->selected_id != NULL && (selected == NULL || !g_str_equal (selected->id, self->selected_id)))
    gw_case_list_select (self->case_list, find_position (self->case_list, self->selected_id));
  self->refreshing = FALSE;
  selected_changed = self->selected_id != NULL &&
                     g_hash_table_contains (self->pending, self->selected_id);
  g_hash_table_remove_all (self->pending);

  n_shown = gw_case_list_get_n_items (self->case_list);
  gtk_accessible_update_relation (view, GTK_ACCESSIBLE_RELATION_ROW_COUNT, (int) n_shown, -1);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u case", "%u of %u cases",
                                        n_total), n_shown, n_total);
  gtk_label_set_text (self->count_label, count);
  if (selected_changed)
    show_selected (self);
}

/* "Late" moves with the clock, not the store: the cases whose deadline passed since the
 * last look are redone row by row, like a change. */
static void
pend_turned_late (GwDeskView *self)
{
  GwTime now = gw_time_now ();
  g_autoptr(GPtrArray) late = NULL;

  if (self->store == NULL)
    return;
  late = gw_store_list_late (self->store, now);
  for (guint i = 0; i < late->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (late, i);

      if (incident->deadline > self->late_checked)
        {
          g_hash_table_insert (self->pending, g_strdup (incident->id), gw_incident_ref (incident));
          self->dirty = TRUE;
        }
    }
  self->late_checked = now;
}

/* A received-since filter slides with the clock: then all rows, once a minute. */
static gboolean
window_slid (GwDeskView *self)
{
  return time_filter_since (self, gw_time_now ()) != GW_TIME_NONE &&
         g_get_monotonic_time () - self->full_at > FULL_INTERVAL;
}

/* Whatever changed since: row by row when that is less work, else all rows. */
static void
catch_up (GwDeskView *self)
{
  pend_turned_late (self);
  if (self->full || g_hash_table_size (self->pending) > PENDING_MAX || window_slid (self))
    refresh (self);
  else if (self->dirty)
    update (self);
}

void
gw_desk_view_refresh (GwDeskView *self)
{
  g_return_if_fail (GW_IS_DESK_VIEW (self));

  if (self->dirty)
    catch_up (self);
  else
    refresh (self);
}

/* At most once a second, however fast the feed; nothing while the page is hidden. */
static gboolean
tick_cb (gpointer user_data)
{
  GwDeskView *self = user_data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    catch_up (self);
  return G_SOURCE_CONTINUE;
}

static void
map_cb (GwDeskView *self)
{
  if (self->dirty)
    catch_up (self);
}

static void
unref_pending (gpointer incident)
{
  if (incident != NULL)
    gw_incident_unref (incident);
}

static void
pend (GwDeskView *self,
      GPtrArray  *incidents,
      gboolean    removed)
{
  for (guint i = 0; incidents != NULL && i < incidents->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (incidents, i);

      g_hash_table_insert (self->pending, g_strdup (incident->id),
                           removed ? NULL : gw_incident_ref (incident));
    }
}

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  GwDeskView    *self)
{
  self->dirty = TRUE;
  if (change->reset || self->full)
    {
      self->full = TRUE;
      g_hash_table_remove_all (self->pending);
      return;
    }
  pend (self, change->added, FALSE);
  pend (self, change->changed, FALSE);
  pend (self, change->removed, TRUE);
}

static void
filters_changed_cb (GwDeskView *self)
{
  if (!self->refreshing)
    refresh (self);
}

/* Rebuilds a filter's items, keeping its choice when the item is still there. */
static void
fill_filter (GtkDropDown *dropdown,
             GPtrArray   *ids,
             const char  *any,
             GPtrArray   *items,
             gsize        id_offset,
             gsize        name_offset)
{
  g_autofree char *keep = g_strdup (selected_id (dropdown, ids));
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_ptr_array_set_size (ids, 0);
  g_ptr_array_add (ids, g_strdup (""));
  gtk_string_list_append (labels, any);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *id = G_STRUCT_MEMBER (const char *, item, id_offset);
      const char *name = G_STRUCT_MEMBER (const char *, item, name_offset);

      if (id == NULL)
        continue;
      if (keep != NULL && g_str_equal (keep, id))
        selected = ids->len;
      g_ptr_array_add (ids, g_strdup (id));
      gtk_string_list_append (labels, name ? name : id);
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (dropdown, selected);
}

static void
reference_changed_cb (GwDeskView *self)
{
  GwStore *store = self->store;

  self->refreshing = TRUE;
  fill_filter (self->class_filter, self->class_ids, _("Any class"),
               store ? gw_store_get_classes (store) : NULL,
               G_STRUCT_OFFSET (GwIncidentClass, code), G_STRUCT_OFFSET (GwIncidentClass, name));
  fill_filter (self->department_filter, self->department_ids, _("Any department"),
               store ? gw_store_get_departments (store) : NULL,
               G_STRUCT_OFFSET (GwDepartment, id), G_STRUCT_OFFSET (GwDepartment, name));
  fill_filter (self->cell_filter, self->cell_ids, _("Any cell"),
               store ? gw_store_get_cells (store) : NULL,
               G_STRUCT_OFFSET (GwCell, code), G_STRUCT_OFFSET (GwCell, name));
  self->refreshing = FALSE;
  /* A hidden page catches up when it is shown (map_cb), not during the wall's start-up. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = self->full = TRUE;
      return;
    }
  refresh (self);
}

static void
privacy_changed_cb (GwDeskView *self)
{
  show_selected (self);
}

/* ---- API ------------------------------------------------------------------------- */

GtkWidget *
gw_desk_view_new (void)
{
  return g_object_new (GW_TYPE_DESK_VIEW, NULL);
}

void
gw_desk_view_set_store (GwDeskView *self,
                        GwStore    *store)
{
  g_return_if_fail (GW_IS_DESK_VIEW (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (!g_set_object (&self->store, store))
    return;
  gw_case_list_set_store (self->case_list, store);
  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      g_signal_connect_swapped (store, "reference-changed", G_CALLBACK (reference_changed_cb),
                                self);
    }
  reference_changed_cb (self);
}

void
gw_desk_view_set_wall (GwDeskView *self,
                       gboolean    wall)
{
  g_return_if_fail (GW_IS_DESK_VIEW (self));

  wall = !!wall;
  if (self->wall == wall)
    return;
  self->wall = wall;
  show_selected (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALL]);
}

gboolean
gw_desk_view_get_wall (GwDeskView *self)
{
  g_return_val_if_fail (GW_IS_DESK_VIEW (self), FALSE);

  return self->wall;
}

void
gw_desk_view_focus_search (GwDeskView *self)
{
  g_return_if_fail (GW_IS_DESK_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GwCaseList *
gw_desk_view_get_case_list (GwDeskView *self)
{
  g_return_val_if_fail (GW_IS_DESK_VIEW (self), NULL);

  return self->case_list;
}

GtkEditable *
gw_desk_view_get_search_entry (GwDeskView *self)
{
  g_return_val_if_fail (GW_IS_DESK_VIEW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

const char *
gw_desk_view_get_reporter_text (GwDeskView *self)
{
  g_return_val_if_fail (GW_IS_DESK_VIEW (self), NULL);

  return gtk_label_get_text (self->values[FIELD_REPORTER]);
}

gboolean
gw_desk_view_select_id (GwDeskView *self,
                        const char *id)
{
  guint position;

  g_return_val_if_fail (GW_IS_DESK_VIEW (self), FALSE);

  position = find_position (self->case_list, id);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gw_case_list_select (self->case_list, position);
  return TRUE;
}

/* ---- GObject --------------------------------------------------------------------- */

static void
add_field (GwDeskView *self,
           guint       field,
           const char *name)
{
  GtkWidget *key = gtk_label_new (name);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_label_set_yalign (GTK_LABEL (key), 0);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, key, NULL, -1);
  gtk_grid_attach (self->detail_grid, key, 0, field, 1, 1);
  gtk_grid_attach (self->detail_grid, value, 1, field, 1, 1);
  self->values[field] = GTK_LABEL (value);
}

static void
gw_desk_view_dispose (GObject *object)
{
  GwDeskView *self = (GwDeskView *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_DESK_VIEW);

  G_OBJECT_CLASS (gw_desk_view_parent_class)->dispose (object);
}

static void
gw_desk_view_finalize (GObject *object)
{
  GwDeskView *self = (GwDeskView *) object;

  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->class_ids, g_ptr_array_unref);
  g_clear_pointer (&self->department_ids, g_ptr_array_unref);
  g_clear_pointer (&self->cell_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (gw_desk_view_parent_class)->finalize (object);
}

static void
gw_desk_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GwDeskView *self = GW_DESK_VIEW (object);

  switch (prop_id)
    {
    case PROP_WALL:
      g_value_set_boolean (value, self->wall);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_desk_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GwDeskView *self = GW_DESK_VIEW (object);

  switch (prop_id)
    {
    case PROP_WALL:
      gw_desk_view_set_wall (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_desk_view_class_init (GwDeskViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_desk_view_dispose;
  object_class->finalize = gw_desk_view_finalize;
  object_class->get_property = gw_desk_view_get_property;
  object_class->set_property = gw_desk_view_set_property;

  properties[PROP_WALL] =
    g_param_spec_boolean ("wall", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-desk-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, late_toggle);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, stage_filter);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, class_filter);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, department_filter);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, cell_filter);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, time_filter);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, list_slot);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, count_label);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, title_label);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, detail_grid);
  gtk_widget_class_bind_template_child (widget_class, GwDeskView, timeline_slot);
}

static void
gw_desk_view_init (GwDeskView *self)
{
  g_autoptr(GtkStringList) stages = gtk_string_list_new (NULL);
  GtkWidget *list = gw_case_list_new ();
  GtkWidget *timeline = gw_case_timeline_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_pending);
  self->class_ids = g_ptr_array_new_with_free_func (g_free);
  self->department_ids = g_ptr_array_new_with_free_func (g_free);
  self->cell_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (stages, _("Any status"));
  gtk_string_list_append (stages, _("Open"));
  gtk_string_list_append (stages, _("Closed"));
  for (guint s = 0; s < GW_N_STAGES; s++)
    gtk_string_list_append (stages, gw_stage_get_label (s));
  gtk_drop_down_set_model (self->stage_filter, G_LIST_MODEL (stages));

  self->case_list = GW_CASE_LIST (list);
  gtk_widget_set_vexpand (list, TRUE);
  gtk_box_append (self->list_slot, list);
  g_signal_connect (list, "notify::selected", G_CALLBACK (selection_cb), self);

  self->timeline = GW_CASE_TIMELINE (timeline);
  gtk_widget_set_hexpand (timeline, TRUE);
  gtk_box_append (self->timeline_slot, timeline);

  add_field (self, FIELD_CASE, _("Case"));
  add_field (self, FIELD_CLASS, _("Class"));
  add_field (self, FIELD_ADDRESS, _("Address"));
  add_field (self, FIELD_CELL, _("Cell"));
  add_field (self, FIELD_DEPARTMENT, _("Department"));
  add_field (self, FIELD_STAGE, _("Stage"));
  add_field (self, FIELD_PRIORITY, _("Priority"));
  add_field (self, FIELD_RECEIVED, _("Received"));
  add_field (self, FIELD_DEADLINE, _("Deadline"));
  add_field (self, FIELD_REPORTER, _("Reporter"));

  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->late_toggle, "toggled", G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->stage_filter, "notify::selected",
                            G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->time_filter, "notify::selected",
                            G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->class_filter, "notify::selected",
                            G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->department_filter, "notify::selected",
                            G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->cell_filter, "notify::selected",
                            G_CALLBACK (filters_changed_cb), self);

  self->settings = gw_settings_new ();
  g_signal_connect_swapped (self->settings, "changed::show-personal-data",
                            G_CALLBACK (privacy_changed_cb), self);
  /* Read once so that backends that only watch read keys report its changes. */
  g_settings_get_boolean (self->settings, "show-personal-data");
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  refresh (self);
}
