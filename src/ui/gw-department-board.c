/* gw-department-board.c — the wall's compact department board, drawn in snapshot() */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gw-chart.h"
#include "gw-department-board.h"

/* A burst of changes waits this long before a computation; the minute timer does the rest. */
#define CHANGE_DELAY_MS  3000
#define MAX_ROWS         12

typedef struct {
  guint   rank;
  char   *key;
  char   *name;
  guint   open;
  guint   late;
  double  on_time;
} Row;

struct _GwDepartmentBoard {
  GtkWidget        parent_instance;

  GwStore         *store;
  GwTime           now;           /* GW_TIME_NONE: the clock */
  GCancellable    *cancellable;   /* the computation in flight */
  guint            pending;       /* results still to come for it */
  GwMetricsResult *next_all;
  GwMetricsResult *next_week;
  GwMetricsResult *result_all;
  GwMetricsResult *result_week;
  GArray          *rows;          /* Row, in display order */
  double           total_on_time;
  guint            n_computed;
  guint            minute_id;
  guint            change_id;
};

G_DEFINE_FINAL_TYPE (GwDepartmentBoard, gw_department_board, GTK_TYPE_WIDGET)

enum {
  COMPUTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->key);
  g_free (row->name);
}

/* Ranked first, best on-time first; then the unranked by most open. */
static int
row_order (gconstpointer a,
           gconstpointer b)
{
  const Row *x = a, *y = b;
  gboolean xr = !isnan (x->on_time), yr = !isnan (y->on_time);

  if (xr != yr)
    return xr ? -1 : 1;
  if (xr && x->on_time != y->on_time)
    return x->on_time > y->on_time ? -1 : 1;
  if (x->open != y->open)
    return x->open > y->open ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

static void
build_rows (GwDepartmentBoard *self)
{
  GwMetricsResult *all = self->result_all, *week = self->result_week;
  guint n = gw_metrics_result_get_n_rows (all);
  int total;

  g_array_set_size (self->rows, 0);
  for (guint i = 0; i < n; i++)
    {
      const char *key = gw_metrics_result_get_key (all, i);
      int w;
      Row row = { 0 };

      if (gw_metrics_result_is_total (all, i) || g_str_equal (key, GW_METRICS_UNASSIGNED))
        continue;
      w = gw_metrics_result_find_row (week, key);
      row.key = g_strdup (key);
      row.name = g_strdup (gw_metrics_result_get_label (all, i));
      row.open = (guint) gw_metrics_result_get (all, i, GW_METRICS_COL_OPEN_NOW);
      row.late = (guint) gw_metrics_result_get (all, i, GW_METRICS_COL_LATE_NOW);
      row.on_time = w >= 0 ? gw_metrics_result_get (week, w, GW_METRICS_COL_ON_TIME_CLOSURE_RATE) : NAN;
      g_array_append_val (self->rows, row);
    }
  g_array_sort (self->rows, row_order);

  /* Competition ranking: equal rates share a rank, the next rank skips (1, 1, 3). */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (isnan (row->on_time))
        row->rank = 0;
      else if (i > 0 && g_array_index (self->rows, Row, i - 1).on_time == row->on_time)
        row->rank = g_array_index (self->rows, Row, i - 1).rank;
      else
        row->rank = i + 1;
    }

  total = gw_metrics_result_find_row (week, GW_METRICS_TOTAL);
  self->total_on_time = total >= 0 ? gw_metrics_result_get (week, total, GW_METRICS_COL_ON_TIME_CLOSURE_RATE) : NAN;
}

typedef struct {
  GwDepartmentBoard *self;   /* a reference */
  gboolean           week;
} Job;

static void
computed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;
  GwDepartmentBoard *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwMetricsResult) res = gw_metrics_compute_finish (result, &error);
  gboolean week = job->week;

  g_free (job);
  if (res == NULL)
    {
      /* Cancelled by a newer request (or dispose): that one takes over. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Department board: %s", error->message);
      g_object_unref (self);
      return;
    }
  {
    GwMetricsResult **slot = week ? &self->next_week : &self->next_all;

    g_clear_pointer (slot, gw_metrics_result_unref);
    *slot = g_steal_pointer (&res);
  }
  if (--self->pending == 0)
    {
      g_clear_pointer (&self->result_all, gw_metrics_result_unref);
      g_clear_pointer (&self->result_week, gw_metrics_result_unref);
      self->result_all = g_steal_pointer (&self->next_all);
      self->result_week = g_steal_pointer (&self->next_week);
      g_clear_object (&self->cancellable);
      build_rows (self);
      self->n_computed++;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_signal_emit (self, signals[COMPUTED], 0);
    }
  g_object_unref (self);
}

static void
start (GwDepartmentBoard *self,
       GPtrArray         *incidents,
       const GwMetricsQuery *query,
       gboolean           week)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->week = week;
  gw_metrics_compute_async (incidents, query, self->cancellable, computed_cb, job);
}

void
gw_department_board_refresh (GwDepartmentBoard *self)
{
  g_autoptr(GPtrArray) incidents = NULL;
  GwMetricsQuery query;
  GwTime now;

  g_return_if_fail (GW_IS_DEPARTMENT_BOARD (self));

  g_clear_handle_id (&self->change_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_all, gw_metrics_result_unref);
  g_clear_pointer (&self->next_week, gw_metrics_result_unref);
  if (self->store == NULL)
    return;

  now = self->now != GW_TIME_NONE ? self->now : g_get_real_time ();
  self->cancellable = g_cancellable_new ();
  self->pending = 2;
  /* Incidents are immutable once shared: the workers read this snapshot of pointers. */
  incidents = gw_store_list (self->store);
  gw_metrics_query_init (&query);
  query.now = now;
  query.by = GW_METRICS_BY_DEPARTMENT;
  query.cells = gw_store_get_cells (self->store);
  query.departments = gw_store_get_departments (self->store);
  query.classes = gw_store_get_classes (self->store);
  /* A wall shares two cores with everything else: one worker per computation. */
  query.n_threads = 1;
  start (self, incidents, &query, FALSE);
  query.from = now - GW_DEPARTMENT_BOARD_DAYS * 24 * GW_USEC_PER_HOUR;
  start (self, incidents, &query, TRUE);
}

static gboolean
minute_cb (gpointer user_data)
{
  gw_department_board_refresh (GW_DEPARTMENT_BOARD (user_data));
  return G_SOURCE_CONTINUE;
}

static gboolean
change_cb (gpointer user_data)
{
  GwDepartmentBoard *self = user_data;

  self->change_id = 0;
  gw_department_board_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (GwStore           *store,
                  GwStoreChange     *change,
                  GwDepartmentBoard *self)
{
  /* The first data shows soon; later changes wait for the minute, except a new picture
   * (a snapshot in one batch, or the last page of one). */
  if (self->change_id == 0 && (self->result_all == NULL || change->reset || change->loaded))
    self->change_id = g_timeout_add (CHANGE_DELAY_MS, change_cb, self);
}

void
gw_department_board_set_store (GwDepartmentBoard *self,
                               GwStore           *store)
{
  g_return_if_fail (GW_IS_DEPARTMENT_BOARD (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      g_signal_connect_swapped (store, "reference-changed", G_CALLBACK (gw_department_board_refresh), self);
    }
  gw_department_board_refresh (self);
}

void
gw_department_board_set_now (GwDepartmentBoard *self,
                             GwTime             now)
{
  g_return_if_fail (GW_IS_DEPARTMENT_BOARD (self));

  self->now = now;
}

gboolean
gw_department_board_get_computing (GwDepartmentBoard *self)
{
  return self->cancellable != NULL;
}

guint
gw_department_board_get_n_computed (GwDepartmentBoard *self)
{
  return self->n_computed;
}

guint
gw_department_board_get_n_rows (GwDepartmentBoard *self)
{
  return self->rows->len;
}

const GwDepartmentBoardRow *
gw_department_board_get_row (GwDepartmentBoard *self,
                             guint              i)
{
  static GwDepartmentBoardRow out;  /* main thread only */
  const Row *row;

  g_return_val_if_fail (i < self->rows->len, NULL);
  row = &g_array_index (self->rows, Row, i);
  out = (GwDepartmentBoardRow) { row->rank, row->key, row->name, row->open, row->late, row->on_time };
  return &out;
}

double
gw_department_board_get_total_on_time (GwDepartmentBoard *self)
{
  return self->total_on_time;
}

GwMetricsResult *
gw_department_board_get_result_all (GwDepartmentBoard *self)
{
  return self->result_all;
}

GwMetricsResult *
gw_department_board_get_result_week (GwDepartmentBoard *self)
{
  return self->result_week;
}

/* Drawing: a header and one line per department, columns right-aligned but the name. */

static PangoLayout *
cell_layout (GtkWidget  *widget,
             const char *text,
             gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

/* Draws @text in the column [x, x + w): right-aligned unless @left. */
static void
draw_cell (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           double         x,
           double         w,
           double         y,
           double         row_h,
           gboolean       left,
           const GdkRGBA *color)
{
  int lw, lh;

  if (left)
    {
      pango_layout_set_width (layout, (int) (MAX (w, 0) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &lw, &lh);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (left ? x : x + w - lw, y + (row_h - lh) / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static double
line_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);

  return gw_chart_line_height (layout) * 1.45;
}

static void
gw_department_board_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  GwDepartmentBoard *self = GW_DEPARTMENT_BOARD (widget);
  double width = gtk_widget_get_width (widget), row_h = line_height (widget);
  double num_w = row_h * 2.6, rank_w = row_h * 1.3, name_w, y;
  const char *headers[] = { _("Open"), _("Late"), _("On time") };
  GdkRGBA fg, dim, error, stripe;
  guint n;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "error_color", &error))
    error = (GdkRGBA) { 0.88, 0.11, 0.14, 1 };
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.65;
  stripe = fg;
  stripe.alpha = 0.06;
  name_w = width - rank_w - 3 * num_w;

  /* Header */
  {
    g_autoptr(PangoLayout) h_rank = cell_layout (widget, "#", FALSE);
    g_autoptr(PangoLayout) h_name = cell_layout (widget, _("Department"), FALSE);

    draw_cell (snapshot, h_rank, 0, rank_w * 0.8, 0, row_h, FALSE, &dim);
    draw_cell (snapshot, h_name, rank_w, name_w, 0, row_h, TRUE, &dim);
    for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
      {
        g_autoptr(PangoLayout) h = cell_layout (widget, headers[c], FALSE);
        draw_cell (snapshot, h, rank_w + name_w + c * num_w, num_w, 0, row_h, FALSE, &dim);
      }
  }

  y = row_h;
  n = MIN (self->rows->len, MAX_ROWS);
  if (self->rows->len == 0)
    {
      g_autoptr(PangoLayout) empty = cell_layout (widget, self->result_all ? _("No departments yet")
                                                                          : _("Computing…"), FALSE);
      draw_cell (snapshot, empty, 0, width, y, row_h, TRUE, &dim);
      return;
    }
  for (guint i = 0; i < n && y + row_h <= gtk_widget_get_height (widget) + 1; i++, y += row_h)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      g_autofree char *rank = row->rank ? g_strdup_printf ("%u", row->rank) : g_strdup ("—");
      g_autofree char *open = g_strdup_printf ("%u", row->open);
      g_autofree char *late = g_strdup_printf ("%u", row->late);
      g_autofree char *on_time = isnan (row->on_time) ? g_strdup ("—")
                                 : g_strdup_printf ("%.0f%%", 100 * row->on_time);
      g_autoptr(PangoLayout) l_rank = cell_layout (widget, rank, TRUE);
      g_autoptr(PangoLayout) l_name = cell_layout (widget, row->name, FALSE);
      g_autoptr(PangoLayout) l_open = cell_layout (widget, open, FALSE);
      g_autoptr(PangoLayout) l_late = cell_layout (widget, late, row->late > 0);
      g_autoptr(PangoLayout) l_on_time = cell_layout (widget, on_time, TRUE);
      double x = rank_w + name_w;

      if (i % 2 == 0)
        gtk_snapshot_append_color (snapshot, &stripe, &GRAPHENE_RECT_INIT (0, y, width, row_h));
      draw_cell (snapshot, l_rank, 0, rank_w * 0.8, y, row_h, FALSE, &fg);
      draw_cell (snapshot, l_name, rank_w, name_w - row_h * 0.3, y, row_h, TRUE, &fg);
      draw_cell (snapshot, l_open, x, num_w, y, row_h, FALSE, &fg);
      draw_cell (snapshot, l_late, x + num_w, num_w, y, row_h, FALSE, row->late > 0 ? &error : &fg);
      draw_cell (snapshot, l_on_time, x + 2 * num_w, num_w, y, row_h, FALSE, &fg);
    }
}

static void
gw_department_board_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  GwDepartmentBoard *self = GW_DEPARTMENT_BOARD (widget);
  double row_h = line_height (widget);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = (int) (row_h * 4);
      *natural = (int) ceil (row_h * (1 + MAX (MIN (self->rows->len, MAX_ROWS), 3)));
    }
  else
    {
      *minimum = (int) (row_h * 12);
      *natural = (int) (row_h * 16);
    }
}

static void
gw_department_board_dispose (GObject *object)
{
  GwDepartmentBoard *self = GW_DEPARTMENT_BOARD (object);

  g_clear_handle_id (&self->minute_id, g_source_remove);
  g_clear_handle_id (&self->change_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->next_all, gw_metrics_result_unref);
  g_clear_pointer (&self->next_week, gw_metrics_result_unref);
  g_clear_pointer (&self->result_all, gw_metrics_result_unref);
  g_clear_pointer (&self->result_week, gw_metrics_result_unref);

  G_OBJECT_CLASS (gw_department_board_parent_class)->dispose (object);
}

static void
gw_department_board_finalize (GObject *object)
{
  GwDepartmentBoard *self = GW_DEPARTMENT_BOARD (object);

  g_array_unref (self->rows);

  G_OBJECT_CLASS (gw_department_board_parent_class)->finalize (object);
}

static void
gw_department_board_class_init (GwDepartmentBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_department_board_dispose;
  object_class->finalize = gw_department_board_finalize;
  widget_class->snapshot = gw_department_board_snapshot;
  widget_class->measure = gw_department_board_measure;

  /* Emitted when new figures have swapped in. */
  signals[COMPUTED] = g_signal_new ("computed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "department-board");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TABLE);
}

static void
gw_department_board_init (GwDepartmentBoard *self)
{
  self->now = GW_TIME_NONE;
  self->total_on_time = NAN;
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
  self->minute_id = g_timeout_add_seconds (GW_DEPARTMENT_BOARD_REFRESH_SECONDS, minute_cb, self);
}

GtkWidget *
gw_department_board_new (void)
{
  return g_object_new (GW_TYPE_DEPARTMENT_BOARD, NULL);
}
