/* gw-stats-view.c — the supervisor's statistics view (see the header) */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-labels.h"
#include "gw-stats-export.h"  /* the export menu (gw-stats-export.c) */
#include "gw-stats-view.h"

#define STORE_CHANGE_DELAY_MS 1000

static const GwMetricsGroupBy group_bys[] = {
  GW_METRICS_BY_DEPARTMENT, GW_METRICS_BY_CELL, GW_METRICS_BY_COMMUNITY, GW_METRICS_BY_CLASS,
};

static const GwMetricsColumn chart_columns[] = {
  GW_METRICS_COL_ON_TIME_CLOSURE_RATE,
  GW_METRICS_COL_CLOSURE_RATE,
  GW_METRICS_COL_ON_TIME_HANDLING_RATE,
  GW_METRICS_COL_REWORK_RATE,
  GW_METRICS_COL_SCORE,
  GW_METRICS_COL_CASES,
};

typedef struct _Job Job;

struct _GwStatsView
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkBox          *toolbar;
  GwRangePicker   *range_picker;
  GtkDropDown     *group_picker;
  GtkDropDown     *chart_picker;
  GtkWidget       *spinner;
  GwLeagueTable   *table;
  GwBarChart      *chart;
  GwStatsCharts   *charts;
  GwDrillDown     *drill_down;  /* weak */

  GwMetricsBreakdown *breakdown;
  guint            focus_row;  /* the charts' row; G_MAXUINT: the total */
  char            *focus_key;  /* its group, kept across recomputations */
  gboolean         swapping;   /* new results going in: selection changes are ours */

  GwStore         *store;
  gulong           store_changed_id;
  gulong           reference_changed_id;
  guint            recompute_source;

  GwStatsRange     range;
  GwMetricsGroupBy by;
  GwMetricsColumn  chart_column;
  GwTime           now;

  Job             *job;  /* the computation in flight, or NULL */
  guint            n_computed;
};

G_DEFINE_FINAL_TYPE (GwStatsView, gw_stats_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RANGE,
  PROP_GROUP_BY,
  PROP_COMPUTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_COMPUTED,
  SIGNAL_INCIDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- computing -------------------------------------------------------------------- */

struct _Job
{
  GwStatsView     *self;  /* strong: the view outlives its job (dispose cancels it) */
  GCancellable    *cancellable;
  GwMetricsResult *current;
  GwMetricsResult *previous;
  GwMetricsBreakdown *breakdown;
  guint            pending;
};

static void
job_unref (Job *job)
{
  if (--job->pending > 0)
    return;
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->current, gw_metrics_result_unref);
  g_clear_pointer (&job->previous, gw_metrics_result_unref);
  g_clear_pointer (&job->breakdown, gw_metrics_breakdown_unref);
  g_clear_object (&job->self);
  g_free (job);
}

static void
set_computing (GwStatsView *self, gboolean computing)
{
  if (computing)
    gtk_spinner_start (GTK_SPINNER (self->spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, computing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
}

static void
update_chart (GwStatsView *self)
{
  gw_bar_chart_set_result (self->chart, gw_league_table_get_result (self->table), self->chart_column);
}

/* The trend, heat grid and distribution of the focused row. */
static void
update_breakdown_charts (GwStatsView *self)
{
  gw_stats_charts_set_breakdown (self->charts, self->breakdown, self->focus_row);
}

/* Called at the end of each of the job's callbacks: swaps everything in at once. */
static void
job_step_done (Job *job)
{
  GwStatsView *self = job->self;

  if (self->job == job && job->current != NULL && job->previous != NULL && job->breakdown != NULL &&
      !g_cancellable_is_cancelled (job->cancellable))
    {
      self->job = NULL;
      self->swapping = TRUE;
      gw_league_table_set_results (self->table, job->current, job->previous);
      self->swapping = FALSE;
      update_chart (self);
      g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
      self->breakdown = gw_metrics_breakdown_ref (job->breakdown);
      /* The selection went with the rows, and a live feed recomputes every few seconds:
       * select the same group again (table_selection_cb sets focus_row). */
      self->focus_row = G_MAXUINT;
      for (guint i = 0; self->focus_key != NULL && i < gw_league_table_get_n_rows (self->table); i++)
        if (g_strcmp0 (gw_league_table_get_key (self->table, i), self->focus_key) == 0)
          gtk_selection_model_select_item (gtk_column_view_get_model (gw_league_table_get_column_view (self->table)), i, TRUE);
      update_breakdown_charts (self);
      self->n_computed++;
      set_computing (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_COMPUTED], 0);
    }
  else if (job->pending == 1 && self->job == job)
    {
      /* Failed without being replaced: stop the spinner. */
      self->job = NULL;
      set_computing (self, FALSE);
    }
  job_unref (job);
}

static void
breakdown_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  g_task_return_pointer (task, gw_metrics_breakdown_new (task_data, tz),
                         (GDestroyNotify) gw_metrics_breakdown_unref);
}

static void
breakdown_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Job *job = user_data;

  job->breakdown = g_task_propagate_pointer (G_TASK (res), NULL);
  job_step_done (job);
}

static void
job_part_done (Job *job, GAsyncResult *res, gboolean previous)
{
  g_autoptr(GError) error = NULL;
  GwMetricsResult *result = gw_metrics_compute_finish (res, &error);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Statistics failed: %s", error->message);
    }
  else if (previous)
    job->previous = result;
  else
    {
      g_autoptr(GTask) task = g_task_new (NULL, job->cancellable, breakdown_done_cb, job);

      job->current = result;
      job->pending++;
      g_task_set_task_data (task, gw_metrics_result_ref (result), (GDestroyNotify) gw_metrics_result_unref);
      g_task_run_in_thread (task, breakdown_thread);
    }
  job_step_done (job);
}

static void
current_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  job_part_done (user_data, res, FALSE);
}

static void
previous_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  job_part_done (user_data, res, TRUE);
}

static void
cancel_job (GwStatsView *self)
{
  if (self->job == NULL)
    return;
  g_cancellable_cancel (self->job->cancellable);
  self->job = NULL;  /* its callbacks free it */
}

void
gw_stats_view_recompute (GwStatsView *self)
{
  g_autoptr(GPtrArray) incidents = NULL;
  GwMetricsQuery query, prev_query;
  GwTime prev_from, prev_to;
  gboolean was_computing;
  Job *job;

  g_return_if_fail (GW_IS_STATS_VIEW (self));

  g_clear_handle_id (&self->recompute_source, g_source_remove);
  was_computing = self->job != NULL;
  cancel_job (self);
  if (self->store == NULL)
    {
      gw_league_table_set_results (self->table, NULL, NULL);
      update_chart (self);
      g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
      update_breakdown_charts (self);
      if (was_computing)
        set_computing (self, FALSE);
      return;
    }

  gw_metrics_query_init (&query);
  query.now = self->now != GW_TIME_NONE ? self->now : gw_time_now ();
  query.by = self->by;
  query.cells = gw_store_get_cells (self->store);
  query.departments = gw_store_get_departments (self->store);
  query.classes = gw_store_get_classes (self->store);
  if (self->range == GW_STATS_RANGE_CUSTOM)
    {
      gw_range_picker_get_custom (self->range_picker, &query.from, &query.to);
      prev_to = query.from;
      prev_from = query.from - (query.to - query.from);
    }
  else
    gw_stats_range_get_bounds (self->range, query.now, &query.from, &query.to, &prev_from, &prev_to);
  /* The previous range as it stood at its end, so later events do not change it. */
  prev_query = query;
  prev_query.from = prev_from;
  prev_query.to = prev_to;
  prev_query.now = prev_to;

  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->cancellable = g_cancellable_new ();
  job->pending = 2;
  self->job = job;

  incidents = gw_store_list (self->store);
  gw_metrics_compute_async (incidents, &query, job->cancellable, current_done_cb, job);
  gw_metrics_compute_async (incidents, &prev_query, job->cancellable, previous_done_cb, job);
  if (!was_computing)
    set_computing (self, TRUE);
}

static gboolean
recompute_cb (gpointer user_data)
{
  GwStatsView *self = user_data;

  self->recompute_source = 0;
  gw_stats_view_recompute (self);
  return G_SOURCE_REMOVE;
}

/* Coalesces requests: soon for a setting, after a delay for a busy feed. */
static void
queue_recompute (GwStatsView *self, guint delay_ms)
{
  if (self->recompute_source != 0)
    return;
  if (delay_ms == 0)
    self->recompute_source = g_idle_add (recompute_cb, self);
  else
    self->recompute_source = g_timeout_add (delay_ms, recompute_cb, self);
}

static void
store_changed_cb (GwStore     *store,
                  gpointer     change,
                  GwStatsView *self)
{
  queue_recompute (self, STORE_CHANGE_DELAY_MS);
}

static void
reference_changed_cb (GwStore     *store,
                      GwStatsView *self)
{
  queue_recompute (self, 0);
}

/* ---- API -------------------------------------------------------------------------- */

void
gw_stats_view_set_store (GwStatsView *self,
                         GwStore     *store)
{
  g_return_if_fail (GW_IS_STATS_VIEW (self));
  g_return_if_fail (store == NULL || GW_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->store_changed_id, self->store);
      g_clear_signal_handler (&self->reference_changed_id, self->store);
    }
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->store_changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      self->reference_changed_id = g_signal_connect (store, "reference-changed",
                                                     G_CALLBACK (reference_changed_cb), self);
    }
  g_clear_handle_id (&self->recompute_source, g_source_remove);
  queue_recompute (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

GwStore *
gw_stats_view_get_store (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);
  return self->store;
}

void
gw_stats_view_set_range (GwStatsView  *self,
                         GwStatsRange  range)
{
  g_return_if_fail (GW_IS_STATS_VIEW (self));
  g_return_if_fail (range < GW_N_STATS_RANGES);

  /* The picker's notifications (range_changed_cb) recompute. */
  gw_range_picker_set_range (self->range_picker, range);
}

gboolean
gw_stats_view_set_custom_range (GwStatsView  *self,
                                GDateTime    *from_day,
                                GDateTime    *to_day,
                                GError      **error)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), FALSE);
  return gw_range_picker_set_custom (self->range_picker, from_day, to_day, error);
}

GwStatsRange
gw_stats_view_get_range (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), GW_STATS_RANGE_TODAY);
  return self->range;
}

void
gw_stats_view_set_group_by (GwStatsView      *self,
                            GwMetricsGroupBy  by)
{
  g_return_if_fail (GW_IS_STATS_VIEW (self));
  g_return_if_fail (by > GW_METRICS_BY_NONE && by < GW_N_METRICS_BY);

  if (self->by == by)
    return;
  self->by = by;
  for (guint i = 0; i < G_N_ELEMENTS (group_bys); i++)
    if (group_bys[i] == by)
      gtk_drop_down_set_selected (self->group_picker, i);
  g_clear_handle_id (&self->recompute_source, g_source_remove);
  queue_recompute (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_BY]);
}

GwMetricsGroupBy
gw_stats_view_get_group_by (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), GW_METRICS_BY_DEPARTMENT);
  return self->by;
}

void
gw_stats_view_set_chart_column (GwStatsView     *self,
                                GwMetricsColumn  column)
{
  g_return_if_fail (GW_IS_STATS_VIEW (self));
  g_return_if_fail (column < GW_METRICS_N_COLUMNS);

  self->chart_column = column;
  for (guint i = 0; i < G_N_ELEMENTS (chart_columns); i++)
    if (chart_columns[i] == column)
      gtk_drop_down_set_selected (self->chart_picker, i);
  update_chart (self);
}

void
gw_stats_view_set_now (GwStatsView *self,
                       GwTime       now)
{
  g_return_if_fail (GW_IS_STATS_VIEW (self));

  if (self->now == now)
    return;
  self->now = now;
  g_clear_handle_id (&self->recompute_source, g_source_remove);
  queue_recompute (self, 0);
}

gboolean
gw_stats_view_get_computing (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), FALSE);
  return self->job != NULL;
}

guint
gw_stats_view_get_n_computed (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), 0);
  return self->n_computed;
}

GwLeagueTable *
gw_stats_view_get_league_table (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);
  return self->table;
}

GwBarChart *
gw_stats_view_get_bar_chart (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);
  return self->chart;
}

GwStatsCharts *
gw_stats_view_get_charts (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);
  return self->charts;
}

GwRangePicker *
gw_stats_view_get_range_picker (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);
  return self->range_picker;
}

GtkWidget *
gw_stats_view_new (void)
{
  return g_object_new (GW_TYPE_STATS_VIEW, NULL);
}

/* ---- pickers ---------------------------------------------------------------------- */

static void
range_changed_cb (GwRangePicker *picker, GParamSpec *pspec, GwStatsView *self)
{
  GwStatsRange range = gw_range_picker_get_range (picker);
  gboolean changed = range != self->range;

  /* New custom dates while custom is shown recompute too. */
  if (!changed && range != GW_STATS_RANGE_CUSTOM)
    return;
  self->range = range;
  g_clear_handle_id (&self->recompute_source, g_source_remove);
  queue_recompute (self, 0);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

/* ---- focus and drill-down --------------------------------------------------------- */

static void
table_selection_cb (GtkSingleSelection *selection, GParamSpec *pspec, GwStatsView *self)
{
  guint position = gtk_single_selection_get_selected (selection);

  if (self->table == NULL || self->swapping)
    return;  /* disposing, or the rows are being replaced */
  g_clear_pointer (&self->focus_key, g_free);
  self->focus_row = G_MAXUINT;
  if (position != GTK_INVALID_LIST_POSITION)
    {
      self->focus_row = gw_league_table_get_result_row (self->table, position);
      self->focus_key = g_strdup (gw_league_table_get_key (self->table, position));
    }
  update_breakdown_charts (self);
}

static void
show_all_cb (GwStatsCharts *charts, GwStatsView *self)
{
  GtkSelectionModel *model = gtk_column_view_get_model (gw_league_table_get_column_view (self->table));

  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), GTK_INVALID_LIST_POSITION);
}

static void
drill_incident_cb (GwDrillDown *drill, GwIncident *incident, GwStatsView *self)
{
  g_signal_emit (self, signals[SIGNAL_INCIDENT_ACTIVATED], 0, incident);
}

GwDrillDown *
gw_stats_view_drill_down (GwStatsView *self,
                          const char  *title,
                          GPtrArray   *incidents)
{
  GtkRoot *root;

  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);

  /* One at a time: a new figure replaces the list shown. */
  if (self->drill_down != NULL)
    gtk_window_destroy (GTK_WINDOW (self->drill_down));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->drill_down = gw_drill_down_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                                        title, incidents, self->now);
  g_object_add_weak_pointer (G_OBJECT (self->drill_down), (gpointer *) &self->drill_down);
  g_signal_connect_object (self->drill_down, "incident-activated", G_CALLBACK (drill_incident_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->drill_down));
  return self->drill_down;
}

GwDrillDown *
gw_stats_view_get_drill_down (GwStatsView *self)
{
  g_return_val_if_fail (GW_IS_STATS_VIEW (self), NULL);
  return self->drill_down;
}

static void
drill_column (GwStatsView *self, guint row, GwMetricsColumn column)
{
  GwMetricsResult *result = gw_league_table_get_result (self->table);
  const GwMetricsColumnInfo *info = gw_metrics_column_info (column);
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *name = NULL, *title = NULL;

  if (result == NULL || row >= gw_metrics_result_get_n_rows (result))
    return;
  cases = gw_metrics_cases_for (result, row, column);
  name = gw_stats_row_name (result, row);
  title = g_strdup_printf ("%s · %s %s", name, info->name_zh, info->name_en);
  gw_stats_view_drill_down (self, title, cases);
}

static void
table_drill_down_cb (GwLeagueTable *table, const char *key, int column, GwStatsView *self)
{
  GwMetricsResult *result = gw_league_table_get_result (table);
  int row = result != NULL ? gw_metrics_result_find_row (result, key) : -1;

  if (row >= 0 && column >= 0 && column < GW_METRICS_N_COLUMNS)
    drill_column (self, row, column);
}

static void
bar_activated_cb (GwBarChart *chart, guint row, GwStatsView *self)
{
  drill_column (self, row, gw_bar_chart_get_column (chart));
}

static void
charts_drill_down_cb (GwStatsCharts *charts, const char *title, GPtrArray *cases, GwStatsView *self)
{
  gw_stats_view_drill_down (self, title, cases);
}

static void
group_selected_cb (GtkDropDown *picker, GParamSpec *pspec, GwStatsView *self)
{
  guint selected = gtk_drop_down_get_selected (picker);

  if (selected < G_N_ELEMENTS (group_bys))
    gw_stats_view_set_group_by (self, group_bys[selected]);
}

static void
chart_selected_cb (GtkDropDown *picker, GParamSpec *pspec, GwStatsView *self)
{
  guint selected = gtk_drop_down_get_selected (picker);

  if (selected < G_N_ELEMENTS (chart_columns) && chart_columns[selected] != self->chart_column)
    gw_stats_view_set_chart_column (self, chart_columns[selected]);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
gw_stats_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GwStatsView *self = GW_STATS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RANGE:
      g_value_set_int (value, self->range);
      break;
    case PROP_GROUP_BY:
      g_value_set_int (value, self->by);
      break;
    case PROP_COMPUTING:
      g_value_set_boolean (value, self->job != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_stats_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GwStatsView *self = GW_STATS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      gw_stats_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_RANGE:
      gw_stats_view_set_range (self, g_value_get_int (value));
      break;
    case PROP_GROUP_BY:
      gw_stats_view_set_group_by (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_stats_view_dispose (GObject *object)
{
  GwStatsView *self = GW_STATS_VIEW (object);

  cancel_job (self);
  g_clear_handle_id (&self->recompute_source, g_source_remove);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->store_changed_id, self->store);
      g_clear_signal_handler (&self->reference_changed_id, self->store);
    }
  g_clear_object (&self->store);
  if (self->drill_down != NULL)
    gtk_window_destroy (GTK_WINDOW (self->drill_down));
  g_clear_pointer (&self->breakdown, gw_metrics_breakdown_unref);
  g_clear_pointer (&self->focus_key, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_STATS_VIEW);
  G_OBJECT_CLASS (gw_stats_view_parent_class)->dispose (object);
}

static void
gw_stats_view_class_init (GwStatsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gw_stats_view_get_property;
  object_class->set_property = gw_stats_view_set_property;
  object_class->dispose = gw_stats_view_dispose;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* GwStatsRange */
  properties[PROP_RANGE] =
    g_param_spec_int ("range", NULL, NULL, 0, GW_N_STATS_RANGES - 1, GW_STATS_RANGE_TODAY,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* GwMetricsGroupBy */
  properties[PROP_GROUP_BY] =
    g_param_spec_int ("group-by", NULL, NULL, GW_METRICS_BY_DEPARTMENT, GW_N_METRICS_BY - 1,
                      GW_METRICS_BY_DEPARTMENT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while a computation runs in the worker thread. */
  properties[PROP_COMPUTING] =
    g_param_spec_boolean ("computing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwStatsView::computed:
   *
   * New results are in the table and the chart.
   */
  signals[SIGNAL_COMPUTED] =
    g_signal_new ("computed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * GwStatsView::incident-activated:
   * @incident: the case to show on the wall's map (from a drill-down list)
   */
  signals[SIGNAL_INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, GW_TYPE_INCIDENT);

  g_type_ensure (GW_TYPE_RANGE_PICKER);
  g_type_ensure (GW_TYPE_LEAGUE_TABLE);
  g_type_ensure (GW_TYPE_BAR_CHART);
  g_type_ensure (GW_TYPE_STATS_CHARTS);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/gridwatch/Gridwatch/ui/gw-stats-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, box);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, range_picker);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, group_picker);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, chart_picker);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, table);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, chart);
  gtk_widget_class_bind_template_child (widget_class, GwStatsView, charts);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, table_drill_down_cb);
  gtk_widget_class_bind_template_callback (widget_class, bar_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_all_cb);
  gtk_widget_class_bind_template_callback (widget_class, charts_drill_down_cb);
  gtk_widget_class_set_css_name (widget_class, "gw-stats-view");
}

static void
gw_stats_view_init (GwStatsView *self)
{
  g_autoptr(GtkStringList) chart_names = gtk_string_list_new (NULL);
  GtkSingleSelection *selection;
  gboolean chinese;

  self->range = GW_STATS_RANGE_TODAY;
  self->by = GW_METRICS_BY_DEPARTMENT;
  self->chart_column = GW_METRICS_COL_ON_TIME_CLOSURE_RATE;
  self->focus_row = G_MAXUINT;
  gtk_widget_init_template (GTK_WIDGET (self));

  chinese = g_str_has_prefix (g_get_language_names ()[0], "zh");
  for (guint i = 0; i < G_N_ELEMENTS (chart_columns); i++)
    {
      const GwMetricsColumnInfo *info = gw_metrics_column_info (chart_columns[i]);
      /* The engine names each figure in both languages (the CSV headers carry both). */
      gtk_string_list_append (chart_names, chinese ? info->name_zh : info->name_en);
    }
  gtk_drop_down_set_model (self->chart_picker, G_LIST_MODEL (chart_names));
  g_signal_connect (self->chart_picker, "notify::selected", G_CALLBACK (chart_selected_cb), self);

  /* Exports (CSV, PDF report): actions and menu button live in gw-stats-export.c. */
  gw_stats_export_attach (self, self->toolbar);

  /* The table's selection picks the charts' group; nothing selected: every case. */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (gw_league_table_get_column_view (self->table)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (selection, "notify::selected", G_CALLBACK (table_selection_cb), self);
  update_breakdown_charts (self);
}
