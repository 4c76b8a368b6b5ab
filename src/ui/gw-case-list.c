/* gw-case-list.c — a sortable list of cases (see the header) */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gw-case-list.h"
#include "gw-chart.h"
#include "gw-labels.h"

/* ---- one row ---------------------------------------------------------------------- */

#define GW_TYPE_CASE_ROW (gw_case_row_get_type ())
G_DECLARE_FINAL_TYPE (GwCaseRow, gw_case_row, GW, CASE_ROW, GObject)

struct _GwCaseRow
{
  GObject     parent_instance;
  GwIncident *incident;
  gboolean    late;
};

G_DEFINE_FINAL_TYPE (GwCaseRow, gw_case_row, G_TYPE_OBJECT)

static void
gw_case_row_finalize (GObject *object)
{
  g_clear_pointer (&GW_CASE_ROW (object)->incident, gw_incident_unref);
  G_OBJECT_CLASS (gw_case_row_parent_class)->finalize (object);
}

static void
gw_case_row_class_init (GwCaseRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gw_case_row_finalize;
}

static void
gw_case_row_init (GwCaseRow *self)
{
}

/* ---- columns ---------------------------------------------------------------------- */

typedef enum {
  COL_ID,
  COL_TITLE,
  COL_DEPARTMENT,
  COL_CELL,
  COL_RECEIVED,
  COL_STAGE,
  COL_LATE,
  N_COLS
} Col;

static const char *col_ids[N_COLS] = {
  "id", "title", "department", "cell", "received", "stage", "late",
};

/* What a column's factory and sorter need: names come from the list's store. */
typedef struct {
  GwCaseList *self;
  Col         col;
} ColCtx;

struct _GwCaseList
{
  GtkWidget            parent_instance;

  GtkWidget           *scrolled;
  GtkColumnView       *view;
  GListStore          *rows;
  GtkSortListModel    *sorted;
  GtkSingleSelection  *selection;
  GtkColumnViewColumn *columns[N_COLS];
  ColCtx               ctx[N_COLS];

  GwStore             *store;
  GwTime               now;
};

G_DEFINE_FINAL_TYPE (GwCaseList, gw_case_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_INCIDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
find_col (const char *id)
{
  for (guint i = 0; i < N_COLS; i++)
    if (g_strcmp0 (col_ids[i], id) == 0)
      return (int) i;
  return -1;
}

static char *
row_text (GwCaseList *self, GwCaseRow *row, Col col)
{
  GwIncident *inc = row->incident;

  switch (col)
    {
    case COL_ID:
      return g_strdup (inc->id);
    case COL_TITLE:
      return g_strdup (inc->title != NULL ? inc->title : "");
    case COL_DEPARTMENT:
      {
        GwDepartment *dept = NULL;
        if (inc->department == NULL)
          return g_strdup ("—");
        if (self->store != NULL)
          dept = gw_store_lookup_department (self->store, inc->department);
        return g_strdup (dept != NULL && dept->name != NULL ? dept->name : inc->department);
      }
    case COL_CELL:
      {
        GwCell *cell = NULL;
        if (inc->cell_code == NULL)
          return g_strdup ("—");
        if (self->store != NULL)
          cell = gw_store_lookup_cell (self->store, inc->cell_code);
        return g_strdup (cell != NULL && cell->name != NULL ? cell->name : inc->cell_code);
      }
    case COL_RECEIVED:
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (inc->received_at / G_USEC_PER_SEC);
        return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("—");
      }
    case COL_STAGE:
      return g_strdup (gw_stage_get_label (inc->stage));
    case COL_LATE:
      return g_strdup (row->late ? _("Late") : "");
    case N_COLS:
    default:
      break;
    }
  return NULL;
}

static int
compare_rows_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GwCaseRow *x = (GwCaseRow *) a, *y = (GwCaseRow *) b;
  const ColCtx *ctx = user_data;
  Col col = ctx->col;
  int res = 0;

  switch (col)
    {
    case COL_RECEIVED:
      res = (x->incident->received_at > y->incident->received_at) -
            (x->incident->received_at < y->incident->received_at);
      break;
    case COL_STAGE:
      res = (int) x->incident->stage - (int) y->incident->stage;
      break;
    case COL_LATE:
      res = x->late - y->late;
      break;
    case COL_ID:
      break;
    case COL_TITLE:
    case COL_DEPARTMENT:
    case COL_CELL:
    case N_COLS:
    default:
      {
        g_autofree char *tx = row_text (ctx->self, x, col);
        g_autofree char *ty = row_text (ctx->self, y, col);
        res = g_utf8_collate (tx, ty);
      }
      break;
    }
  if (res == 0)
    res = strcmp (x->incident->id, y->incident->id);
  return res < 0 ? GTK_ORDERING_SMALLER : res > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GwCaseRow *
get_row (GwCaseList *self, guint position)
{
  g_autoptr(GwCaseRow) row = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  return row; /* the model keeps it alive */
}

/* The whole title when the column cuts it short; asked for on hover, so binding a row
 * costs nothing for it. */
static gboolean
title_query_tooltip_cb (GtkWidget  *label,
                        int         x,
                        int         y,
                        gboolean    keyboard,
                        GtkTooltip *tooltip,
                        gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (text == NULL || text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  const ColCtx *ctx = user_data;
  Col col = ctx->col;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (col == COL_RECEIVED || col == COL_ID)
    gtk_widget_add_css_class (label, "numeric");
  if (col == COL_LATE)
    gtk_widget_add_css_class (label, "error");
  if (col == COL_TITLE)
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (title_query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  const ColCtx *ctx = user_data;
  GtkWidget *label = gtk_list_item_get_child (item);
  GwCaseRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = row_text (ctx->self, row, ctx->col);

  gtk_label_set_text (GTK_LABEL (label), text);
}

static const char *
col_title (Col col)
{
  switch (col)
    {
    case COL_ID:         return _("Case");
    case COL_TITLE:      return _("Title");
    case COL_DEPARTMENT: return _("Department");
    case COL_CELL:       return _("Cell");
    case COL_RECEIVED:   return _("Received");
    case COL_STAGE:      return _("Stage");
    case COL_LATE:       return _("Late");
    case N_COLS:
    default:             return NULL;
    }
}

static void
view_activate_cb (GtkColumnView *view,
                  guint          position,
                  GwCaseList    *self)
{
  gw_case_list_activate (self, position);
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      GwCaseList         *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* ---- API -------------------------------------------------------------------------- */

void
gw_case_list_set_store (GwCaseList *self,
                        GwStore    *store)
{
  g_return_if_fail (GW_IS_CASE_LIST (self));
  g_return_if_fail (store == NULL || GW_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      /* Rebind so names follow the new reference data. */
      gtk_sorter_changed (gtk_column_view_get_sorter (self->view), GTK_SORTER_CHANGE_DIFFERENT);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

GwStore *
gw_case_list_get_store (GwCaseList *self)
{
  g_return_val_if_fail (GW_IS_CASE_LIST (self), NULL);
  return self->store;
}

void
gw_case_list_set_incidents (GwCaseList *self,
                            GPtrArray  *incidents)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) old_rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);
  GwTime now;
  guint n;

  g_return_if_fail (GW_IS_CASE_LIST (self));

  now = self->now != GW_TIME_NONE ? self->now : gw_time_now ();
  /* A case shown as it was keeps its row object: the view then keeps that row's widgets
   * instead of making them anew, which is most of what a refresh costs. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  for (guint i = 0; i < n; i++)
    {
      GwCaseRow *row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      g_ptr_array_add (old_rows, row);
      g_hash_table_insert (old, row->incident->id, row);
    }
  for (guint i = 0; incidents != NULL && i < incidents->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (incidents, i);
      gboolean late = gw_incident_is_open (inc) && gw_incident_is_late (inc, now);
      GwCaseRow *row = g_hash_table_lookup (old, inc->id);

      if (row != NULL && row->incident == inc && row->late == late)
        {
          g_ptr_array_add (rows, g_object_ref (row));
          continue;
        }
      row = g_object_new (GW_TYPE_CASE_ROW, NULL);
      row->incident = gw_incident_ref (inc);
      row->late = late;
      g_ptr_array_add (rows, row);
    }
  g_list_store_splice (self->rows, 0, n, rows->pdata, rows->len);
}

/* Added for the desk's live updates (gw-desk-view.c): changes only the rows concerned,
 * so 20,000 rows are not rebuilt for each change. A changed case keeps its row object,
 * so the selection follows it. */
void
gw_case_list_update (GwCaseList *self,
                     GPtrArray  *upsert,
                     GPtrArray  *remove)
{
  g_autoptr(GHashTable) put = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) drop = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  GwTime now;
  guint n;

  g_return_if_fail (GW_IS_CASE_LIST (self));

  now = self->now != GW_TIME_NONE ? self->now : gw_time_now ();
  for (guint i = 0; upsert != NULL && i < upsert->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (upsert, i);
      g_hash_table_insert (put, inc->id, inc);
    }
  for (guint i = 0; remove != NULL && i < remove->len; i++)
    g_hash_table_add (drop, g_ptr_array_index (remove, i));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  for (guint i = 0; i < n && (g_hash_table_size (put) > 0 || g_hash_table_size (drop) > 0); )
    {
      g_autoptr(GwCaseRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);
      GwIncident *inc = g_hash_table_lookup (put, row->incident->id);

      if (g_hash_table_remove (drop, row->incident->id))
        {
          g_list_store_remove (self->rows, i);
          n--;
          continue;
        }
      if (inc != NULL)
        {
          g_hash_table_remove (put, inc->id);
          gw_incident_ref (inc);
          g_clear_pointer (&row->incident, gw_incident_unref);
          row->incident = inc;
          row->late = gw_incident_is_open (inc) && gw_incident_is_late (inc, now);
          g_list_store_splice (self->rows, i, 1, (gpointer *) &row, 1);
        }
      i++;
    }

  /* What was not there yet is new. */
  for (guint i = 0; upsert != NULL && i < upsert->len; i++)
    {
      GwIncident *inc = g_ptr_array_index (upsert, i);
      GwCaseRow *row;

      if (g_hash_table_lookup (put, inc->id) != inc)
        continue;
      row = g_object_new (GW_TYPE_CASE_ROW, NULL);
      row->incident = gw_incident_ref (inc);
      row->late = gw_incident_is_open (inc) && gw_incident_is_late (inc, now);
      g_ptr_array_add (added, row);
    }
  if (added->len > 0)
    g_list_store_splice (self->rows, n, 0, added->pdata, added->len);
}

void
gw_case_list_set_now (GwCaseList *self,
                      GwTime      now)
{
  g_return_if_fail (GW_IS_CASE_LIST (self));
  self->now = now;
}

guint
gw_case_list_get_n_items (GwCaseList *self)
{
  g_return_val_if_fail (GW_IS_CASE_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

GwIncident *
gw_case_list_get_item (GwCaseList *self,
                       guint       position)
{
  GwCaseRow *row;

  g_return_val_if_fail (GW_IS_CASE_LIST (self), NULL);
  row = get_row (self, position);
  return row != NULL ? row->incident : NULL;
}

GwIncident *
gw_case_list_get_selected (GwCaseList *self)
{
  GwCaseRow *row;

  g_return_val_if_fail (GW_IS_CASE_LIST (self), NULL);
  row = gtk_single_selection_get_selected_item (self->selection);
  return row != NULL ? row->incident : NULL;
}

void
gw_case_list_select (GwCaseList *self,
                     guint       position)
{
  g_return_if_fail (GW_IS_CASE_LIST (self));
  gtk_single_selection_set_selected (self->selection, position);
}

gboolean
gw_case_list_sort_by (GwCaseList  *self,
                      const char  *column_id,
                      GtkSortType  order)
{
  int col;

  g_return_val_if_fail (GW_IS_CASE_LIST (self), FALSE);
  if ((col = find_col (column_id)) < 0)
    return FALSE;
  gtk_column_view_sort_by_column (self->view, self->columns[col], order);
  return TRUE;
}

char *
gw_case_list_get_text (GwCaseList *self,
                       guint       position,
                       const char *column_id)
{
  GwCaseRow *row;
  int col;

  g_return_val_if_fail (GW_IS_CASE_LIST (self), NULL);
  if ((col = find_col (column_id)) < 0 || (row = get_row (self, position)) == NULL)
    return NULL;
  return row_text (self, row, col);
}

void
gw_case_list_activate (GwCaseList *self,
                       guint       position)
{
  GwCaseRow *row;

  g_return_if_fail (GW_IS_CASE_LIST (self));
  if ((row = get_row (self, position)) != NULL)
    g_signal_emit (self, signals[SIGNAL_INCIDENT_ACTIVATED], 0, row->incident);
}

GtkColumnView *
gw_case_list_get_column_view (GwCaseList *self)
{
  g_return_val_if_fail (GW_IS_CASE_LIST (self), NULL);
  return self->view;
}

GtkWidget *
gw_case_list_new (void)
{
  return g_object_new (GW_TYPE_CASE_LIST, NULL);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
gw_case_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GwCaseList *self = GW_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SELECTED:
      g_value_set_boxed (value, gw_case_list_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_case_list_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GwCaseList *self = GW_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      gw_case_list_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_case_list_dispose (GObject *object)
{
  GwCaseList *self = GW_CASE_LIST (object);

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (gw_case_list_parent_class)->dispose (object);
}

static void
gw_case_list_class_init (GwCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gw_case_list_get_property;
  object_class->set_property = gw_case_list_set_property;
  object_class->dispose = gw_case_list_dispose;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The selected GwIncident, or NULL. */
  properties[PROP_SELECTED] =
    g_param_spec_boxed ("selected", NULL, NULL, GW_TYPE_INCIDENT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwCaseList::incident-activated:
   * @incident: (type GwIncident): the case of the row activated
   */
  signals[SIGNAL_INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  GW_TYPE_INCIDENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-case-list");
}

static void
gw_case_list_init (GwCaseList *self)
{
  GtkSorter *sorter;

  self->rows = g_list_store_new (GW_TYPE_CASE_ROW);
  self->view = gw_chart_table_new (GTK_WIDGET (self), &self->scrolled);

  for (guint i = 0; i < N_COLS; i++)
    {
      self->ctx[i] = (ColCtx) { self, i };
      self->columns[i] = gw_chart_table_append_column (self->view, col_title (i),
                                                       G_CALLBACK (setup_cell_cb), G_CALLBACK (bind_cell_cb),
                                                       compare_rows_cb, &self->ctx[i], i == COL_TITLE);
    }

  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                          g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (g_object_ref (self->selection)));
  gtk_column_view_sort_by_column (self->view, self->columns[COL_RECEIVED], GTK_SORT_DESCENDING);
  g_signal_connect (self->view, "activate", G_CALLBACK (view_activate_cb), self);
  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
}
