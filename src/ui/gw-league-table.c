/* gw-league-table.c — the supervisor's league table (see the header) */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gw-chart.h"
#include "gw-league-table.h"
#include "gw-labels.h"

/* ---- one row of the table -------------------------------------------------------- */

#define GW_TYPE_LEAGUE_ROW (gw_league_row_get_type ())
G_DECLARE_FINAL_TYPE (GwLeagueRow, gw_league_row, GW, LEAGUE_ROW, GObject)

struct _GwLeagueRow
{
  GObject          parent_instance;
  GwMetricsResult *result;
  guint            row;
  int              rank;       /* 0: unranked */
  int              prev_rank;  /* 0: unknown (no previous result, unranked there) */
};

G_DEFINE_FINAL_TYPE (GwLeagueRow, gw_league_row, G_TYPE_OBJECT)

static void
gw_league_row_finalize (GObject *object)
{
  GwLeagueRow *self = GW_LEAGUE_ROW (object);

  g_clear_pointer (&self->result, gw_metrics_result_unref);
  G_OBJECT_CLASS (gw_league_row_parent_class)->finalize (object);
}

static void
gw_league_row_class_init (GwLeagueRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gw_league_row_finalize;
}

static void
gw_league_row_init (GwLeagueRow *self)
{
}

static double
row_value (GwLeagueRow *row, GwMetricsColumn column)
{
  return gw_metrics_result_get (row->result, row->row, column);
}

static const char *
row_key (GwLeagueRow *row)
{
  return gw_metrics_result_get_key (row->result, row->row);
}

/* ---- columns ---------------------------------------------------------------------- */

typedef enum {
  SPEC_RANK,
  SPEC_CHANGE,
  SPEC_NAME,
  SPEC_METRIC,
} SpecKind;

typedef struct {
  SpecKind        kind;
  GwMetricsColumn column;  /* SPEC_METRIC; the drill-down column for the others */
} ColumnSpec;

#define MEDIAN_CLOSED \
  (GW_METRICS_COL_DUR_FIRST + 4 * GW_METRICS_DUR_RECEIVED_CLOSED + GW_METRICS_DUR_MEDIAN)

static const ColumnSpec column_specs[] = {
  { SPEC_RANK,   GW_METRICS_COL_CASES },
  { SPEC_CHANGE, GW_METRICS_COL_CASES },
  { SPEC_NAME,   GW_METRICS_COL_CASES },
  { SPEC_METRIC, GW_METRICS_COL_CASES },
  { SPEC_METRIC, GW_METRICS_COL_CLOSURE_RATE },
  { SPEC_METRIC, GW_METRICS_COL_ON_TIME_CLOSURE_RATE },
  { SPEC_METRIC, GW_METRICS_COL_ON_TIME_HANDLING_RATE },
  { SPEC_METRIC, GW_METRICS_COL_REWORK_RATE },
  { SPEC_METRIC, MEDIAN_CLOSED },
  { SPEC_METRIC, GW_METRICS_COL_SCORE },
};

#define N_SPECS G_N_ELEMENTS (column_specs)

static const char *
spec_id (const ColumnSpec *spec)
{
  switch (spec->kind)
    {
    case SPEC_RANK:   return "rank";
    case SPEC_CHANGE: return "change";
    case SPEC_NAME:   return "name";
    case SPEC_METRIC: default: break;
    }
  return gw_metrics_column_info (spec->column)->id;
}

static const ColumnSpec *
find_spec (const char *id)
{
  for (guint i = 0; i < N_SPECS; i++)
    if (g_strcmp0 (spec_id (&column_specs[i]), id) == 0)
      return &column_specs[i];
  return NULL;
}

/* ---- the widget ------------------------------------------------------------------- */

struct _GwLeagueTable
{
  GtkWidget          parent_instance;

  GtkWidget         *scrolled;
  GtkColumnView     *view;
  GListStore        *rows;
  GtkSortListModel  *sorted;
  GtkColumnViewColumn *columns[N_SPECS];

  GwMetricsResult   *result;
  GwMetricsResult   *previous;
};

G_DEFINE_FINAL_TYPE (GwLeagueTable, gw_league_table, GTK_TYPE_WIDGET)

enum {
  SIGNAL_DRILL_DOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
gw_metrics_format_value (GwMetricsColumn column,
                         double          value)
{
  if (isnan (value))
    return g_strdup ("—");

  switch (gw_metrics_column_info (column)->kind)
    {
    case GW_METRICS_KIND_RATE:
      return g_strdup_printf ("%.1f %%", 100.0 * value);
    case GW_METRICS_KIND_SCORE:
      return g_strdup_printf ("%.1f", value);
    case GW_METRICS_KIND_DURATION:
      return gw_format_duration ((GwTime) llround (value) * G_USEC_PER_SEC);
    case GW_METRICS_KIND_COUNT:
    default:
      return g_strdup_printf ("%.0f", value);
    }
}

static char *
row_text (GwLeagueRow *row, const ColumnSpec *spec)
{
  switch (spec->kind)
    {
    case SPEC_RANK:
      return row->rank > 0 ? g_strdup_printf ("%d", row->rank) : g_strdup ("");
    case SPEC_CHANGE:
      if (row->rank > 0 && row->prev_rank > 0 && row->prev_rank > row->rank)
        return g_strdup_printf ("▲%d", row->prev_rank - row->rank);
      if (row->rank > 0 && row->prev_rank > 0 && row->prev_rank < row->rank)
        return g_strdup_printf ("▼%d", row->rank - row->prev_rank);
      return g_strdup ("–");
    case SPEC_NAME:
      {
        const char *key = row_key (row);
        if (g_strcmp0 (key, GW_METRICS_UNASSIGNED) == 0)
          return g_strdup (_("(unassigned)"));
        return g_strdup (gw_metrics_result_get_label (row->result, row->row));
      }
    case SPEC_METRIC:
    default:
      return gw_metrics_format_value (spec->column, row_value (row, spec->column));
    }
}

static char *
row_tooltip (GwLeagueRow *row, const ColumnSpec *spec)
{
  if (spec->kind == SPEC_CHANGE)
    {
      if (row->rank == 0)
        return g_strdup (_("Not ranked in this period"));
      if (row->prev_rank == 0)
        return g_strdup (_("Not ranked in the previous period"));
      return g_strdup_printf (_("Rank %d in the previous period"), row->prev_rank);
    }
  if (spec->kind == SPEC_NAME)
    return g_strdup (row_key (row));
  return NULL;
}

/* NaN sorts below every number. */
static int
compare_double (double a, double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) - isnan (b) == 0 ? 0 : (isnan (a) ? -1 : 1);
  return (a > b) - (a < b);
}

static int
compare_rows_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GwLeagueRow *x = (GwLeagueRow *) a, *y = (GwLeagueRow *) b;
  const ColumnSpec *spec = user_data;
  int res = 0;

  switch (spec->kind)
    {
    case SPEC_RANK:
      /* Unranked rows after the ranked ones. */
      res = compare_double (x->rank > 0 ? x->rank : G_MAXINT, y->rank > 0 ? y->rank : G_MAXINT);
      break;
    case SPEC_CHANGE:
      res = compare_double (x->rank > 0 && x->prev_rank > 0 ? x->prev_rank - x->rank : NAN,
                            y->rank > 0 && y->prev_rank > 0 ? y->prev_rank - y->rank : NAN);
      break;
    case SPEC_NAME:
      res = g_utf8_collate (gw_metrics_result_get_label (x->result, x->row),
                            gw_metrics_result_get_label (y->result, y->row));
      break;
    case SPEC_METRIC:
    default:
      res = compare_double (row_value (x, spec->column), row_value (y, spec->column));
      break;
    }
  if (res == 0)
    res = strcmp (row_key (x), row_key (y));
  return res < 0 ? GTK_ORDERING_SMALLER : res > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GwLeagueRow *
get_row (GwLeagueTable *self, guint position)
{
  g_autoptr(GwLeagueRow) row = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  return row; /* the model keeps it alive */
}

static void
emit_drill_down (GwLeagueTable *self, GwLeagueRow *row, const ColumnSpec *spec)
{
  if (row == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_DRILL_DOWN], 0, row_key (row), (int) spec->column);
}

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GwLeagueTable *self = GW_LEAGUE_TABLE (gtk_widget_get_ancestor (label, GW_TYPE_LEAGUE_TABLE));
  const ColumnSpec *spec = g_object_get_data (G_OBJECT (label), "gw-column-spec");

  if (n_press != 2 || self == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  emit_drill_down (self, gtk_list_item_get_item (item), spec);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  const ColumnSpec *spec = user_data;
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), spec->kind == SPEC_NAME ? 0.0 : 1.0);
  gtk_widget_set_hexpand (label, TRUE);
  if (spec->kind == SPEC_NAME)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "gw-column-spec", (gpointer) spec);
  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  const ColumnSpec *spec = user_data;
  GwLeagueRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = row_text (row, spec);
  g_autofree char *tooltip = row_tooltip (row, spec);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, tooltip);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  if (spec->kind == SPEC_CHANGE && g_str_has_prefix (text, "▲"))
    gtk_widget_add_css_class (label, "success");
  else if (spec->kind == SPEC_CHANGE && g_str_has_prefix (text, "▼"))
    gtk_widget_add_css_class (label, "error");
}

static const char *
spec_title (const ColumnSpec *spec)
{
  switch (spec->kind)
    {
    case SPEC_RANK:   return _("Rank");
    case SPEC_CHANGE: return _("Change");
    case SPEC_NAME:   return _("Name");
    case SPEC_METRIC:
    default:
      if (spec->column == MEDIAN_CLOSED)
        return _("Median to close");
      if (spec->column == GW_METRICS_COL_CASES)
        return _("Cases");
      if (spec->column == GW_METRICS_COL_SCORE)
        return _("Score");
      return gw_metrics_column_info (spec->column)->name_zh;
    }
}

static char *
spec_tooltip (const ColumnSpec *spec)
{
  const GwMetricsColumnInfo *info;

  switch (spec->kind)
    {
    case SPEC_RANK:
      return g_strdup (_("Rank by composite score (综合评分), best first; equal scores share a rank"));
    case SPEC_CHANGE:
      return g_strdup (_("Change of rank against the previous period of the same length"));
    case SPEC_NAME:
      return g_strdup (_("Group"));
    case SPEC_METRIC:
    default:
      info = gw_metrics_column_info (spec->column);
      return g_strdup_printf ("%s (%s)\n%s", info->name_en, info->name_zh, info->description);
    }
}

/* GTK 4.8 has no tooltip on a GtkColumnViewColumn: set it on the header titles, which
 * the column view keeps in column order inside its header row. */
static void
apply_header_tooltips (GwLeagueTable *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      guint i = 0;

      if (g_strcmp0 (gtk_widget_get_css_name (child), "header") != 0)
        continue;
      for (GtkWidget *title = gtk_widget_get_first_child (child); title != NULL && i < N_SPECS;
           title = gtk_widget_get_next_sibling (title), i++)
        {
          g_autofree char *tooltip = spec_tooltip (&column_specs[i]);
          gtk_widget_set_tooltip_text (title, tooltip);
        }
    }
}

static void
view_activate_cb (GtkColumnView *view,
                  guint          position,
                  GwLeagueTable *self)
{
  emit_drill_down (self, get_row (self, position), &column_specs[0]);
}

static int
compare_score_desc (gconstpointer a, gconstpointer b)
{
  GwLeagueRow *x = *(GwLeagueRow **) a, *y = *(GwLeagueRow **) b;

  return -compare_double (row_value (x, GW_METRICS_COL_SCORE), row_value (y, GW_METRICS_COL_SCORE));
}

/* Competition ranking by score of the groups that can be ranked; returns key → rank. */
static GHashTable *
rank_result (GwMetricsResult *result, GPtrArray *rows_out)
{
  GHashTable *ranks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ranked = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < gw_metrics_result_get_n_rows (result); i++)
    {
      GwLeagueRow *row;

      if (gw_metrics_result_is_total (result, i))
        continue;
      row = g_object_new (GW_TYPE_LEAGUE_ROW, NULL);
      row->result = gw_metrics_result_ref (result);
      row->row = i;
      if (rows_out != NULL)
        g_ptr_array_add (rows_out, g_object_ref (row));
      if (g_strcmp0 (row_key (row), GW_METRICS_UNASSIGNED) != 0 &&
          !isnan (row_value (row, GW_METRICS_COL_SCORE)))
        g_ptr_array_add (ranked, g_object_ref (row));
      g_object_unref (row);
    }

  g_ptr_array_sort (ranked, compare_score_desc);
  for (guint i = 0; i < ranked->len; i++)
    {
      GwLeagueRow *row = g_ptr_array_index (ranked, i);
      GwLeagueRow *before = i > 0 ? g_ptr_array_index (ranked, i - 1) : NULL;

      if (before != NULL && row_value (before, GW_METRICS_COL_SCORE) == row_value (row, GW_METRICS_COL_SCORE))
        row->rank = before->rank;
      else
        row->rank = (int) i + 1;
      g_hash_table_insert (ranks, (gpointer) row_key (row), GINT_TO_POINTER (row->rank));
    }
  /* The keys are the result's strings, alive as long as it is (the caller holds it). */
  return ranks;
}

void
gw_league_table_set_results (GwLeagueTable   *self,
                             GwMetricsResult *current,
                             GwMetricsResult *previous)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ranks = NULL, prev_ranks = NULL;

  g_return_if_fail (GW_IS_LEAGUE_TABLE (self));

  if (current != NULL)
    gw_metrics_result_ref (current);
  if (previous != NULL)
    gw_metrics_result_ref (previous);
  g_clear_pointer (&self->result, gw_metrics_result_unref);
  g_clear_pointer (&self->previous, gw_metrics_result_unref);
  self->result = current;
  self->previous = previous;

  if (current != NULL)
    {
      ranks = rank_result (current, rows);
      if (previous != NULL)
        prev_ranks = rank_result (previous, NULL);
      for (guint i = 0; i < rows->len; i++)
        {
          GwLeagueRow *row = g_ptr_array_index (rows, i);
          if (prev_ranks != NULL)
            row->prev_rank = GPOINTER_TO_INT (g_hash_table_lookup (prev_ranks, row_key (row)));
        }
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
}

GwMetricsResult *
gw_league_table_get_result (GwLeagueTable *self)
{
  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), NULL);
  return self->result;
}

GwMetricsResult *
gw_league_table_get_previous (GwLeagueTable *self)
{
  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), NULL);
  return self->previous;
}

gboolean
gw_league_table_sort_by (GwLeagueTable *self,
                         const char    *column_id,
                         GtkSortType    order)
{
  const ColumnSpec *spec;

  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), FALSE);

  if ((spec = find_spec (column_id)) == NULL)
    return FALSE;
  gtk_column_view_sort_by_column (self->view, self->columns[spec - column_specs], order);
  return TRUE;
}

guint
gw_league_table_get_n_rows (GwLeagueTable *self)
{
  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

const char *
gw_league_table_get_key (GwLeagueTable *self,
                         guint          position)
{
  GwLeagueRow *row;

  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), NULL);
  row = get_row (self, position);
  return row != NULL ? row_key (row) : NULL;
}

guint
gw_league_table_get_result_row (GwLeagueTable *self,
                                guint          position)
{
  GwLeagueRow *row;

  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), 0);
  row = get_row (self, position);
  g_return_val_if_fail (row != NULL, 0);
  return row->row;
}

char *
gw_league_table_get_text (GwLeagueTable *self,
                          guint          position,
                          const char    *column_id)
{
  const ColumnSpec *spec;
  GwLeagueRow *row;

  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), NULL);
  if ((spec = find_spec (column_id)) == NULL || (row = get_row (self, position)) == NULL)
    return NULL;
  return row_text (row, spec);
}

void
gw_league_table_activate_cell (GwLeagueTable *self,
                               guint          position,
                               const char    *column_id)
{
  const ColumnSpec *spec;

  g_return_if_fail (GW_IS_LEAGUE_TABLE (self));
  if ((spec = find_spec (column_id)) != NULL)
    emit_drill_down (self, get_row (self, position), spec);
}

GtkColumnView *
gw_league_table_get_column_view (GwLeagueTable *self)
{
  g_return_val_if_fail (GW_IS_LEAGUE_TABLE (self), NULL);
  return self->view;
}

GtkWidget *
gw_league_table_new (void)
{
  return g_object_new (GW_TYPE_LEAGUE_TABLE, NULL);
}

static void
gw_league_table_dispose (GObject *object)
{
  GwLeagueTable *self = GW_LEAGUE_TABLE (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->result, gw_metrics_result_unref);
  g_clear_pointer (&self->previous, gw_metrics_result_unref);
  G_OBJECT_CLASS (gw_league_table_parent_class)->dispose (object);
}

static void
gw_league_table_class_init (GwLeagueTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_league_table_dispose;

  /**
   * GwLeagueTable::drill-down:
   * @key: the row's group key (gw_metrics_result_find_row)
   * @column: the GwMetricsColumn behind the cell
   */
  signals[SIGNAL_DRILL_DOWN] =
    g_signal_new ("drill-down", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-league-table");
}

static void
gw_league_table_init (GwLeagueTable *self)
{
  GtkSorter *sorter;

  self->rows = g_list_store_new (GW_TYPE_LEAGUE_ROW);
  self->view = gw_chart_table_new (GTK_WIDGET (self), &self->scrolled);

  for (guint i = 0; i < N_SPECS; i++)
    {
      const ColumnSpec *spec = &column_specs[i];

      self->columns[i] = gw_chart_table_append_column (self->view, spec_title (spec),
                                                       G_CALLBACK (setup_cell_cb), G_CALLBACK (bind_cell_cb),
                                                       compare_rows_cb, (gpointer) spec, spec->kind == SPEC_NAME);
    }

  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                          g_object_ref (sorter));
  gtk_column_view_set_model (self->view,
                             GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)))));
  gtk_column_view_sort_by_column (self->view, self->columns[0], GTK_SORT_ASCENDING);
  g_signal_connect (self->view, "activate", G_CALLBACK (view_activate_cb), self);
  apply_header_tooltips (self);
}
