/* gw-stats-view.c — the supervisor's statistics view (see the header) */

#include "config.h"

#include <glib/gi18n.h>

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
  GtkDropDown     *range_picker;
  GtkDropDown     *group_picker;
  GtkDropDown     *chart_picker;
  GtkWidget       *spinner;
  GwLeagueTable   *table;
  GwBarChart      *chart;

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
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- ranges ----------------------------------------------------------------------- */

static GwTime
to_gw_time (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

void
gw_stats_range_get_bounds (GwStatsRange range,
                           GwTime       now,
                           GwTime      *from,
                           GwTime      *to,
                           GwTime      *prev_from,
                           GwTime      *prev_to)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) here = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) start = NULL, end = NULL, before = NULL;
  GwTime length;

  switch (range)
    {
    case GW_STATS_RANGE_TODAY:
      start = g_date_time_new (tz, g_date_time_get_year (here), g_date_time_get_month (here),
                               g_date_time_get_day_of_month (here), 0, 0, 0);
      end = g_date_time_add_days (start, 1);
      before = g_date_time_add_days (start, -1);
      *from = to_gw_time (start);
      *to = to_gw_time (end);
      *prev_from = to_gw_time (before);
      *prev_to = *from;
      return;
    case GW_STATS_RANGE_SHIFT:
      start = g_date_time_new (tz, g_date_time_get_year (here), g_date_time_get_month (here),
                               g_date_time_get_day_of_month (here),
                               g_date_time_get_hour (here) / 8 * 8, 0, 0);
      *from = to_gw_time (start);
      *to = *from + 8 * GW_USEC_PER_HOUR;
      *prev_from = *from - 8 * GW_USEC_PER_HOUR;
      *prev_to = *from;
      return;
    case GW_STATS_RANGE_30_DAYS:
      length = 30 * 24 * GW_USEC_PER_HOUR;
      break;
    case GW_STATS_RANGE_7_DAYS:
    default:
      length = 7 * 24 * GW_USEC_PER_HOUR;
      break;
    }
  /* Up to now, now included. */
  *to = now + 1;
  *from = *to - length;
  *prev_to = *from;
  *prev_from = *from - length;
}

/* ---- computing -------------------------------------------------------------------- */

struct _Job
{
  GwStatsView     *self;  /* strong: the view outlives its job (dispose cancels it) */
  GCancellable    *cancellable;
  GwMetricsResult *current;
  GwMetricsResult *previous;
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

static void
job_part_done (Job *job, GAsyncResult *res, gboolean previous)
{
  g_autoptr(GError) error = NULL;
  GwMetricsResult *result = gw_metrics_compute_finish (res, &error);
  GwStatsView *self = job->self;

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Statistics failed: %s", error->message);
    }
  else if (previous)
    job->previous = result;
  else
    job->current = result;

  if (job->pending == 1 && self->job == job && job->current != NULL && job->previous != NULL &&
      !g_cancellable_is_cancelled (job->cancellable))
    {
      self->job = NULL;
      gw_league_table_set_results (self->table, job->current, job->previous);
      update_chart (self);
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

  if (self->range == range)
    return;
  self->range = range;
  gtk_drop_down_set_selected (self->range_picker, range);
  g_clear_handle_id (&self->recompute_source, g_source_remove);
  queue_recompute (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
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

GtkWidget *
gw_stats_view_new (void)
{
  return g_object_new (GW_TYPE_STATS_VIEW, NULL);
}

/* ---- pickers ---------------------------------------------------------------------- */

static void
range_selected_cb (GtkDropDown *picker, GParamSpec *pspec, GwStatsView *self)
{
  guint selected = gtk_drop_down_get_selected (picker);

  if (selected < GW_N_STATS_RANGES)
    gw_stats_view_set_range (self, selected);
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

static GtkDropDown *
make_picker (const char * const *strings, const char *tooltip)
{
  GtkWidget *picker = gtk_drop_down_new_from_strings (strings);

  gtk_widget_set_tooltip_text (picker, tooltip);
  return GTK_DROP_DOWN (picker);
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
  g_clear_pointer (&self->box, gtk_widget_unparent);
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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gw-stats-view");
}

static void
gw_stats_view_init (GwStatsView *self)
{
  const char *ranges[] = { _("Today"), _("This shift (8 h)"), _("Last 7 days"), _("Last 30 days"), NULL };
  const char *groups[] = { _("By department"), _("By cell"), _("By community"), _("By class"), NULL };
  char *chart_names[G_N_ELEMENTS (chart_columns) + 1] = { NULL };
  GtkWidget *bar, *paned, *scrolled, *label;

  self->range = GW_STATS_RANGE_TODAY;
  self->by = GW_METRICS_BY_DEPARTMENT;
  self->chart_column = GW_METRICS_COL_ON_TIME_CLOSURE_RATE;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (bar, "toolbar");
  self->range_picker = make_picker (ranges, _("Cases received in this range"));
  self->group_picker = make_picker (groups, _("One row per group"));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->range_picker));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->group_picker));

  label = gtk_label_new (_("Chart:"));
  gtk_widget_set_margin_start (label, 12);
  gtk_box_append (GTK_BOX (bar), label);
  for (guint i = 0; i < G_N_ELEMENTS (chart_columns); i++)
    {
      const GwMetricsColumnInfo *info = gw_metrics_column_info (chart_columns[i]);
      chart_names[i] = g_strdup_printf ("%s %s", info->name_zh, info->name_en);
    }
  self->chart_picker = make_picker ((const char * const *) chart_names, _("The metric the bars show"));
  for (guint i = 0; i < G_N_ELEMENTS (chart_columns); i++)
    g_free (chart_names[i]);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->chart_picker));

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_hexpand (self->spinner, TRUE);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_END);
  gtk_widget_set_tooltip_text (self->spinner, _("Computing…"));
  gtk_box_append (GTK_BOX (bar), self->spinner);
  gtk_box_append (GTK_BOX (self->box), bar);

  paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (paned, TRUE);
  self->table = GW_LEAGUE_TABLE (gw_league_table_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->table), -1, 160);
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (self->table));
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);

  self->chart = GW_BAR_CHART (gw_bar_chart_new ());
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->chart));
  gtk_widget_set_size_request (scrolled, -1, 120);
  gtk_paned_set_end_child (GTK_PANED (paned), scrolled);
  gtk_paned_set_resize_end_child (GTK_PANED (paned), TRUE);
  gtk_box_append (GTK_BOX (self->box), paned);

  g_signal_connect (self->range_picker, "notify::selected", G_CALLBACK (range_selected_cb), self);
  g_signal_connect (self->group_picker, "notify::selected", G_CALLBACK (group_selected_cb), self);
  g_signal_connect (self->chart_picker, "notify::selected", G_CALLBACK (chart_selected_cb), self);
}
