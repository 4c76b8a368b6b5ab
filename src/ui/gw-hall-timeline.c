/* gw-hall-timeline.c — the hall's cases as bars in swimlanes over the last hours
 *
 * Geometry: each bar's segments are laid out once per data change into a render node
 * whose x unit is the second since @t_ref and whose y is in pixels; a frame translates
 * and scales it into place and clips it at the time shown, so bars of open cases (built
 * to run far into the future) end at the now-line. Per frame the cost is constant in
 * the number of bars.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "gw-case-timeline.h"
#include "gw-hall-timeline.h"
#include "gw-hall-timeline-layout.h"

#define NOW_FRACTION 0.97     /* live: the now-line this far across the plot */
#define FAR_FUTURE   (10 * 24 * GW_USEC_PER_HOUR)

typedef struct {
  GwIncident   *incident;
  GwStageSpans *spans;
} Case;

typedef struct {
  Case   *c;         /* borrowed from cases / cases_by_id */
  GwTime  t0, t1;    /* t1: G_MAXINT64 while open */
  guint   lane;
  guint   row;       /* slot within the lane */
} Bar;

typedef struct {
  char        *key;
  char        *label;
  PangoLayout *layout;
  double       y, h, row_h;
  double       top;           /* of the first row: the rows are centred in the lane */
  guint        n_slots;
  guint        first_bar, n_bars;
} Lane;

struct _GwHallTimeline
{
  GtkWidget      parent_instance;

  GwStore       *store;
  GwReplay      *replay;
  GHashTable    *cases_by_id;     /* id → Case, the store's */
  GPtrArray     *replay_cases;    /* Case, the replay index's */
  GwReplayIndex *replay_index;

  guint          hours;
  GwHallLaneBy   lane_by;
  GwTime         fixed_now;
  guint          tick_id;

  /* The view: [view_end - window, view_end]. */
  GwTime         view_end;

  /* Geometry, valid while !dirty. */
  gboolean       dirty;
  GArray        *bars;            /* Bar, grouped by lane */
  GPtrArray     *lanes;           /* Lane */
  GskRenderNode *node;
  GwTime         t_ref;
  GwTime         built_from, built_to;
  int            built_height;
  int            built_width;
  GwHallMetrics  metrics;         /* from the font, see gw-hall-timeline-layout.c */
  double         label_w;         /* the lane-name column, fitted to the names */

  GHashTable    *axis_layouts;    /* "HH:MM" → PangoLayout */
};

G_DEFINE_FINAL_TYPE (GwHallTimeline, gw_hall_timeline, GTK_TYPE_WIDGET)
G_DEFINE_ENUM_TYPE (GwHallLaneBy, gw_hall_lane_by,
                    G_DEFINE_ENUM_VALUE (GW_HALL_LANE_BY_DEPARTMENT, "department"),
                    G_DEFINE_ENUM_VALUE (GW_HALL_LANE_BY_CELL, "cell"))

enum {
  PROP_0,
  PROP_STORE,
  PROP_REPLAY,
  PROP_HOURS,
  PROP_LANE_BY,
  N_PROPS
};

enum {
  INCIDENT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void ensure_geometry (GwHallTimeline *self);

static Case *
case_new (GwIncident *incident, GwStageSpans *spans)
{
  Case *c = g_new0 (Case, 1);

  c->incident = gw_incident_ref (incident);
  c->spans = gw_stage_spans_ref (spans);
  return c;
}

static void
case_free (Case *c)
{
  g_clear_pointer (&c->incident, gw_incident_unref);
  g_clear_pointer (&c->spans, gw_stage_spans_unref);
  g_free (c);
}

static void
lane_free (Lane *lane)
{
  g_free (lane->key);
  g_free (lane->label);
  g_clear_object (&lane->layout);
  g_free (lane);
}

/* ------------------------------------------------------------------------------------
 * Time and view
 */

static GwTime
window_us (GwHallTimeline *self)
{
  return (GwTime) self->hours * GW_USEC_PER_HOUR;
}

static gboolean
replaying (GwHallTimeline *self)
{
  return self->replay != NULL && !gw_replay_get_live (self->replay);
}

GwTime
gw_hall_timeline_get_time (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), GW_TIME_NONE);

  if (self->replay != NULL && (replaying (self) || self->fixed_now == GW_TIME_NONE))
    return gw_replay_get_time (self->replay);
  return self->fixed_now != GW_TIME_NONE ? self->fixed_now : gw_time_now ();
}

/* Live, the view follows the time; replaying, it stays put while the time is within it
 * and pages when the time leaves it. */
static void
sync_view (GwHallTimeline *self)
{
  GwTime t = gw_hall_timeline_get_time (self);
  GwTime w = window_us (self);

  if (!replaying (self))
    self->view_end = t + (GwTime) (w * (1.0 - NOW_FRACTION) / NOW_FRACTION);
  else if (self->view_end == GW_TIME_NONE || t > self->view_end - w / 50 || t < self->view_end - w)
    self->view_end = t + w / 4;
}

static void
plot_rect (GwHallTimeline *self, graphene_rect_t *rect)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  *rect = GRAPHENE_RECT_INIT (self->label_w, 0, MAX (width - self->label_w - self->metrics.pad_r, 1),
                              MAX (height - self->metrics.axis_h, 1));
}

static double
time_to_x (GwHallTimeline *self, const graphene_rect_t *plot, GwTime t)
{
  GwTime w = window_us (self);
  GwTime start = self->view_end - w;

  return plot->origin.x + (double) (t - start) * plot->size.width / (double) w;
}

static GwTime
x_to_time (GwHallTimeline *self, const graphene_rect_t *plot, double x)
{
  GwTime w = window_us (self);

  return self->view_end - w + (GwTime) ((x - plot->origin.x) * (double) w / plot->size.width);
}

double
gw_hall_timeline_time_to_x (GwHallTimeline *self, GwTime t)
{
  graphene_rect_t plot;

  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), 0);
  ensure_geometry (self);   /* the name column's width */
  plot_rect (self, &plot);
  return time_to_x (self, &plot, t);
}

/* ------------------------------------------------------------------------------------
 * Geometry
 */

static void
invalidate (GwHallTimeline *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static GwTime
case_end (const Case *c)
{
  guint n = gw_stage_spans_get_n_spans (c->spans);

  if (n == 0 || gw_stage_spans_is_open (c->spans))
    return G_MAXINT64;
  return gw_stage_spans_get_span (c->spans, n - 1)->start;
}

static const char *
case_lane_key (GwHallTimeline *self, const Case *c)
{
  const char *key = self->lane_by == GW_HALL_LANE_BY_CELL ? c->incident->cell_code
                                                           : c->incident->department;
  return key ? key : "";
}

typedef struct {
  Bar         bar;
  const char *key;
  guint       rank;
} Pending;

static int
pending_cmp (gconstpointer a, gconstpointer b)
{
  const Pending *pa = a, *pb = b;
  int r;

  if (pa->rank != pb->rank)
    return pa->rank < pb->rank ? -1 : 1;
  if ((r = strcmp (pa->key, pb->key)) != 0)
    return r;
  if (pa->bar.t0 != pb->bar.t0)
    return pa->bar.t0 < pb->bar.t0 ? -1 : 1;
  return strcmp (pa->bar.c->incident->id, pb->bar.c->incident->id);
}

static void
collect_case (GwHallTimeline *self, Case *c, GArray *pending)
{
  Pending p = { { 0, }, NULL, 0 };

  if (gw_stage_spans_get_n_spans (c->spans) == 0)
    return;
  p.bar.c = c;
  p.bar.t0 = gw_stage_spans_get_start (c->spans);
  p.bar.t1 = case_end (c);
  if (p.bar.t0 > self->built_to || p.bar.t1 < self->built_from)
    return;
  p.key = case_lane_key (self, c);
  g_array_append_val (pending, p);
}

static void
append_segments (GwHallTimeline *self, GtkSnapshot *snapshot, const Bar *bar, double y, double h)
{
  guint n = gw_stage_spans_get_n_spans (bar->c->spans);
  GdkRGBA color, red;

  gw_timeline_late_color (&red);
  for (guint i = 0; i < n; i++)
    {
      const GwStageSpan *span = gw_stage_spans_get_span (bar->c->spans, i);
      GwTime s0 = span->start;
      GwTime s1 = span->end != GW_TIME_NONE ? span->end : self->t_ref + FAR_FUTURE;
      GwTime late_from = s1;
      double x0, xl, x1;

      if (gw_stage_is_closed (span->stage) || s1 <= s0)
        continue;
      if (span->deadline != GW_TIME_NONE && span->deadline < s1)
        late_from = MAX (span->deadline, s0);

      x0 = (double) (s0 - self->t_ref) / G_USEC_PER_SEC;
      xl = (double) (late_from - self->t_ref) / G_USEC_PER_SEC;
      x1 = (double) (s1 - self->t_ref) / G_USEC_PER_SEC;
      gw_timeline_stage_color (span->stage, &color);
      if (xl > x0)
        gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x0, y, xl - x0, h));
      if (x1 > xl)
        gtk_snapshot_append_color (snapshot, &red, &GRAPHENE_RECT_INIT (xl, y, x1 - xl, h));
    }
}

static void
build_geometry (GwHallTimeline *self)
{
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autoptr(GArray) row_ends = g_array_new (FALSE, FALSE, sizeof (GwTime));
  GtkSnapshot *snapshot;
  graphene_rect_t plot;
  GwTime w = window_us (self);
  Lane *lane = NULL;
  double lane_h;

  g_array_set_size (self->bars, 0);
  g_ptr_array_set_size (self->lanes, 0);
  g_clear_pointer (&self->node, gsk_render_node_unref);

  /* Cases that can show while the view stays within a quarter window of where it is. */
  sync_view (self);
  self->built_from = self->view_end - w - w / 4;
  self->built_to = self->view_end + w / 4;
  self->t_ref = self->view_end - w;
  self->built_height = gtk_widget_get_height (GTK_WIDGET (self));
  self->built_width = gtk_widget_get_width (GTK_WIDGET (self));
  gw_hall_metrics_update (&self->metrics, GTK_WIDGET (self));
  plot_rect (self, &plot);

  if (self->replay_cases != NULL)
    for (guint i = 0; i < self->replay_cases->len; i++)
      collect_case (self, g_ptr_array_index (self->replay_cases, i), pending);
  else if (self->cases_by_id != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->cases_by_id);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        collect_case (self, value, pending);
    }

  /* Ranks once per distinct key (the department list is short). */
  {
    g_autoptr(GHashTable) ranks = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < pending->len; i++)
      {
        Pending *p = &g_array_index (pending, Pending, i);
        gpointer rank;
        if (!g_hash_table_lookup_extended (ranks, p->key, NULL, &rank))
          {
            rank = GUINT_TO_POINTER (gw_hall_lane_rank (self->store, self->lane_by, p->key));
            g_hash_table_insert (ranks, (gpointer) p->key, rank);
          }
        p->rank = GPOINTER_TO_UINT (rank);
      }
  }
  g_array_sort (pending, pending_cmp);

  /* Lanes, and rows within each lane by first fit. */
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      guint row;

      if (lane == NULL || strcmp (lane->key, p->key) != 0)
        {
          lane = g_new0 (Lane, 1);
          lane->key = g_strdup (p->key);
          lane->label = gw_hall_lane_label (self->store, self->lane_by, p->key);
          lane->first_bar = i;
          g_ptr_array_add (self->lanes, lane);
          g_array_set_size (row_ends, 0);
        }
      for (row = 0; row < row_ends->len; row++)
        if (g_array_index (row_ends, GwTime, row) < p->bar.t0)
          break;
      if (row == row_ends->len)
        g_array_append_val (row_ends, p->bar.t1);
      else
        g_array_index (row_ends, GwTime, row) = p->bar.t1;
      p->bar.lane = self->lanes->len - 1;
      p->bar.row = row;
      lane->n_bars++;
      lane->n_slots = MAX (lane->n_slots, row + 1);
      g_array_append_val (self->bars, p->bar);
    }

  /* The name column as wide as the longest name (within limits): the plot starts there. */
  {
    g_autoptr(GPtrArray) layouts = g_ptr_array_new ();

    for (guint l = 0; l < self->lanes->len; l++)
      {
        lane = g_ptr_array_index (self->lanes, l);
        lane->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), lane->label);
        g_ptr_array_add (layouts, lane->layout);
      }
    self->label_w = gw_hall_metrics_label_width (&self->metrics, layouts, self->built_width);
    plot_rect (self, &plot);
  }

  /* Equal lanes; rows as tall as fit (at most max_row_h), wrapping below a pixel. */
  lane_h = self->lanes->len > 0 ? plot.size.height / self->lanes->len : 0;
  for (guint l = 0; l < self->lanes->len; l++)
    {
      double pad = self->metrics.lane_pad;
      guint fit = MAX ((guint) floor (lane_h - 2 * pad), 1);

      lane = g_ptr_array_index (self->lanes, l);
      lane->y = plot.origin.y + l * lane_h;
      lane->h = lane_h;
      lane->n_slots = MIN (lane->n_slots, fit);
      lane->row_h = MIN (self->metrics.max_row_h, (lane_h - 2 * pad) / MAX (lane->n_slots, 1));
      lane->top = lane->y + pad + MAX (0, (lane_h - 2 * pad - lane->n_slots * lane->row_h) / 2);
      pango_layout_set_width (lane->layout,
                              (int) ((self->label_w - 2 * self->metrics.label_pad) * PANGO_SCALE));
      pango_layout_set_ellipsize (lane->layout, PANGO_ELLIPSIZE_END);
    }

  snapshot = gtk_snapshot_new ();
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      const Lane *bl = g_ptr_array_index (self->lanes, bar->lane);
      guint slot = bar->row % bl->n_slots;
      double h = bl->row_h >= 3 ? bl->row_h - 1 : bl->row_h;

      bar->row = slot;
      append_segments (self, snapshot, bar, bl->top + slot * bl->row_h, h);
    }
  self->node = gtk_snapshot_free_to_node (snapshot);
  self->dirty = FALSE;
}

static void
ensure_geometry (GwHallTimeline *self)
{
  GwTime w = window_us (self);

  sync_view (self);
  if (self->dirty || self->built_height != gtk_widget_get_height (GTK_WIDGET (self)) ||
      self->built_width != gtk_widget_get_width (GTK_WIDGET (self)) ||
      self->view_end - w < self->built_from || self->view_end > self->built_to)
    build_geometry (self);
}

/* ------------------------------------------------------------------------------------
 * Drawing
 */

static void
get_fg (GtkWidget *widget, GdkRGBA *color)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
gw_hall_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwHallTimeline *self = GW_HALL_TIMELINE (widget);
  graphene_rect_t plot;
  GdkRGBA fg, band, line;
  GwTime now;
  double x_now, pps;

  ensure_geometry (self);
  plot_rect (self, &plot);
  get_fg (widget, &fg);
  band = fg;
  band.alpha *= 0.04;
  now = gw_hall_timeline_get_time (self);
  x_now = time_to_x (self, &plot, now);

  /* Lanes: alternate bands and labels. */
  for (guint l = 0; l < self->lanes->len; l++)
    {
      const Lane *lane = g_ptr_array_index (self->lanes, l);
      int lw, lh;

      if (l % 2 == 0)
        gtk_snapshot_append_color (snapshot, &band,
                                   &GRAPHENE_RECT_INIT (0, lane->y, plot.origin.x + plot.size.width, lane->h));
      pango_layout_get_pixel_size (lane->layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->metrics.label_pad,
                                                              round (lane->y + (lane->h - lh) / 2)));
      gtk_snapshot_append_layout (snapshot, lane->layout, &fg);
      gtk_snapshot_restore (snapshot);
    }

  gw_hall_axis_snapshot (widget, snapshot, self->axis_layouts, &self->metrics, &plot,
                         self->label_w, self->view_end, window_us (self), &fg);

  /* The bars: the prebuilt node, placed and clipped at the time shown. */
  if (self->node != NULL && x_now > plot.origin.x)
    {
      double right = MIN (x_now, plot.origin.x + plot.size.width);

      pps = plot.size.width / (double) (window_us (self) / G_USEC_PER_SEC);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (plot.origin.x, plot.origin.y,
                                                              right - plot.origin.x, plot.size.height));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (time_to_x (self, &plot, self->t_ref), 0));
      gtk_snapshot_scale (snapshot, pps, 1);
      gtk_snapshot_append_node (snapshot, self->node);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
    }

  /* The now-line. */
  if (x_now >= plot.origin.x && x_now <= plot.origin.x + plot.size.width)
    {
      line = fg;
      line.alpha = 0.95;
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (round (x_now) - 1, plot.origin.y, 2, plot.size.height));
    }
}

static void
gw_hall_timeline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GwHallMetrics metrics;

  gw_hall_metrics_update (&metrics, widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (metrics.min_label_w) + 200;
      *natural = MAX (1200, *minimum);
    }
  else
    {
      *minimum = (int) ceil (metrics.axis_h) + 60;
      *natural = MAX (260, *minimum);
    }
}

/* ------------------------------------------------------------------------------------
 * Hit testing
 */

GwIncident *
gw_hall_timeline_pick (GwHallTimeline *self, double x, double y)
{
  graphene_rect_t plot;
  GwTime t, now, tolerance, best_gap = G_MAXINT64;
  GwIncident *best = NULL;
  const Lane *lane = NULL;
  guint slot;

  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), NULL);

  ensure_geometry (self);
  plot_rect (self, &plot);
  now = gw_hall_timeline_get_time (self);
  if (!graphene_rect_contains_point (&plot, &GRAPHENE_POINT_INIT (x, y)) ||
      x > time_to_x (self, &plot, now) + 1)
    return NULL;

  for (guint l = 0; l < self->lanes->len && lane == NULL; l++)
    {
      const Lane *candidate = g_ptr_array_index (self->lanes, l);
      if (y >= candidate->y && y < candidate->y + candidate->h)
        lane = candidate;
    }
  if (lane == NULL || y < lane->top)
    return NULL;
  slot = (guint) ((y - lane->top) / lane->row_h);
  if (slot >= lane->n_slots)
    return NULL;

  /* The bar under x, or within 2 px of it (short bars). */
  t = x_to_time (self, &plot, x);
  tolerance = x_to_time (self, &plot, x + 2) - t;
  for (guint i = lane->first_bar; i < lane->first_bar + lane->n_bars; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      GwTime t1 = MIN (bar->t1, now), gap;

      if (bar->row != slot || bar->t0 > now)
        continue;
      gap = t < bar->t0 ? bar->t0 - t : t > t1 ? t - t1 : 0;
      if (gap <= tolerance && gap < best_gap)
        {
          best_gap = gap;
          best = bar->c->incident;
        }
    }
  return best;
}

gboolean
gw_hall_timeline_activate_at (GwHallTimeline *self, double x, double y)
{
  GwIncident *incident = gw_hall_timeline_pick (self, x, y);

  if (incident == NULL)
    return FALSE;
  g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, incident);
  return TRUE;
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GwHallTimeline  *self)
{
  if (gw_hall_timeline_activate_at (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

guint
gw_hall_timeline_get_n_lanes (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), 0);
  ensure_geometry (self);
  return self->lanes->len;
}

gboolean
gw_hall_timeline_get_lane (GwHallTimeline *self,
                           guint           i,
                           const char    **key,
                           const char    **label,
                           double         *y,
                           double         *height)
{
  const Lane *lane;

  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), FALSE);
  ensure_geometry (self);
  if (i >= self->lanes->len)
    return FALSE;
  lane = g_ptr_array_index (self->lanes, i);
  if (key)
    *key = lane->key;
  if (label)
    *label = lane->label;
  if (y)
    *y = lane->y;
  if (height)
    *height = lane->h;
  return TRUE;
}

gboolean
gw_hall_timeline_get_bar (GwHallTimeline  *self,
                          const char      *id,
                          graphene_rect_t *rect)
{
  graphene_rect_t plot;

  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), FALSE);
  ensure_geometry (self);
  plot_rect (self, &plot);
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      const Lane *lane = g_ptr_array_index (self->lanes, bar->lane);
      GwTime t1 = MIN (bar->t1, gw_hall_timeline_get_time (self));
      double x0, x1;

      if (strcmp (bar->c->incident->id, id) != 0)
        continue;
      x0 = time_to_x (self, &plot, bar->t0);
      x1 = time_to_x (self, &plot, t1);
      *rect = GRAPHENE_RECT_INIT (x0, lane->top + bar->row * lane->row_h,
                                  x1 - x0, lane->row_h >= 3 ? lane->row_h - 1 : lane->row_h);
      return TRUE;
    }
  return FALSE;
}

double
gw_hall_timeline_get_label_width (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), 0);
  ensure_geometry (self);
  return self->label_w;
}

gboolean
gw_hall_timeline_get_lane_label (GwHallTimeline *self,
                                 guint           i,
                                 int            *natural_width,
                                 int            *height,
                                 gboolean       *ellipsized)
{
  const Lane *lane;
  g_autoptr(PangoLayout) whole = NULL;

  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), FALSE);
  ensure_geometry (self);
  if (i >= self->lanes->len)
    return FALSE;
  lane = g_ptr_array_index (self->lanes, i);
  whole = pango_layout_copy (lane->layout);
  pango_layout_set_width (whole, -1);
  pango_layout_get_pixel_size (whole, natural_width, height);
  if (ellipsized)
    *ellipsized = pango_layout_is_ellipsized (lane->layout);
  return TRUE;
}

guint
gw_hall_timeline_get_n_bars (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), 0);
  ensure_geometry (self);
  return self->bars->len;
}

/* ------------------------------------------------------------------------------------
 * Sources
 */

static GwIncidentClass *
lookup_class (GwHallTimeline *self, const GwIncident *incident)
{
  if (self->store == NULL || incident->class_code == NULL)
    return NULL;
  return gw_store_lookup_class (self->store, incident->class_code);
}

static void
store_put (GwHallTimeline *self, GwIncident *incident)
{
  g_autoptr(GwStageSpans) spans = NULL;

  /* History closed before the longest window can never show: skip its spans. */
  if (!gw_incident_is_open (incident) &&
      incident->closed_at < g_get_real_time () - 72 * GW_USEC_PER_HOUR)
    {
      g_hash_table_remove (self->cases_by_id, incident->id);
      return;
    }
  spans = gw_stage_spans_new_for_incident (incident, lookup_class (self, incident));
  g_hash_table_replace (self->cases_by_id, incident->id, case_new (incident, spans));
}

static void
store_reload (GwHallTimeline *self)
{
  g_autoptr(GPtrArray) all = NULL;

  g_hash_table_remove_all (self->cases_by_id);
  if (self->store == NULL)
    return;
  all = gw_store_list (self->store);
  for (guint i = 0; i < all->len; i++)
    store_put (self, g_ptr_array_index (all, i));
}

/* Spans are derived here, for the incidents that changed; the geometry waits for the
 * next frame, so a burst of batches costs one rebuild. */
static void
store_changed_cb (GwStore             *store,
                  const GwStoreChange *change,
                  GwHallTimeline      *self)
{
  if (change->reset)
    store_reload (self);
  else
    {
      for (guint i = 0; change->removed && i < change->removed->len; i++)
        g_hash_table_remove (self->cases_by_id,
                             ((GwIncident *) g_ptr_array_index (change->removed, i))->id);
      for (guint i = 0; change->added && i < change->added->len; i++)
        store_put (self, g_ptr_array_index (change->added, i));
      for (guint i = 0; change->changed && i < change->changed->len; i++)
        store_put (self, g_ptr_array_index (change->changed, i));
    }
  invalidate (self);
}

static void
store_reference_changed_cb (GwStore        *store,
                            GwHallTimeline *self)
{
  store_reload (self);
  invalidate (self);
}

static void
replay_state_changed_cb (GwReplay       *replay,
                         GwHallTimeline *self)
{
  GwReplayIndex *index = gw_replay_get_index (replay);

  if (index != self->replay_index)
    {
      g_clear_pointer (&self->replay_index, gw_replay_index_unref);
      g_clear_pointer (&self->replay_cases, g_ptr_array_unref);
      if (index != NULL)
        {
          guint n = gw_replay_index_get_n_cases (index);

          self->replay_index = gw_replay_index_ref (index);
          self->replay_cases = g_ptr_array_new_full (n, (GDestroyNotify) case_free);
          for (guint i = 0; i < n; i++)
            g_ptr_array_add (self->replay_cases,
                             case_new (gw_replay_index_get_incident (index, i),
                                       gw_replay_index_get_spans (index, i)));
        }
      invalidate (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------------------
 * The clock
 */

static gboolean
tick_cb (gpointer data)
{
  gtk_widget_queue_draw (GTK_WIDGET (data));
  return G_SOURCE_CONTINUE;
}

/* A redraw a second while following the real clock and mapped. */
static void
update_tick (GwHallTimeline *self)
{
  gboolean want = gtk_widget_get_mapped (GTK_WIDGET (self)) && !replaying (self) &&
                  self->fixed_now == GW_TIME_NONE;

  if (want && self->tick_id == 0)
    {
      self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "[gridwatch] hall timeline tick");
    }
  else if (!want)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
replay_live_cb (GObject *object, GParamSpec *pspec, GwHallTimeline *self)
{
  self->view_end = GW_TIME_NONE;
  update_tick (self);
  invalidate (self);
}

/* ------------------------------------------------------------------------------------
 * GObject
 */

static void
gw_hall_timeline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gw_hall_timeline_parent_class)->map (widget);
  update_tick (GW_HALL_TIMELINE (widget));
}

static void
gw_hall_timeline_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gw_hall_timeline_parent_class)->unmap (widget);
  update_tick (GW_HALL_TIMELINE (widget));
}

static void
gw_hall_timeline_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GwHallTimeline *self = GW_HALL_TIMELINE (widget);

  GTK_WIDGET_CLASS (gw_hall_timeline_parent_class)->css_changed (widget, change);
  /* Fonts may have changed: layouts are rebuilt. */
  g_hash_table_remove_all (self->axis_layouts);
  invalidate (self);
}

static void
gw_hall_timeline_dispose (GObject *object)
{
  GwHallTimeline *self = GW_HALL_TIMELINE (object);

  gw_hall_timeline_set_replay (self, NULL);
  gw_hall_timeline_set_store (self, NULL);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  if (self->bars != NULL)
    g_array_set_size (self->bars, 0);
  if (self->lanes != NULL)
    g_ptr_array_set_size (self->lanes, 0);

  G_OBJECT_CLASS (gw_hall_timeline_parent_class)->dispose (object);
}

static void
gw_hall_timeline_finalize (GObject *object)
{
  GwHallTimeline *self = GW_HALL_TIMELINE (object);

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->cases_by_id, g_hash_table_unref);
  g_clear_pointer (&self->axis_layouts, g_hash_table_unref);

  G_OBJECT_CLASS (gw_hall_timeline_parent_class)->finalize (object);
}

static void
gw_hall_timeline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GwHallTimeline *self = GW_HALL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_REPLAY:
      g_value_set_object (value, self->replay);
      break;
    case PROP_HOURS:
      g_value_set_uint (value, self->hours);
      break;
    case PROP_LANE_BY:
      g_value_set_enum (value, self->lane_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_hall_timeline_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GwHallTimeline *self = GW_HALL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      gw_hall_timeline_set_store (self, g_value_get_object (value));
      break;
    case PROP_REPLAY:
      gw_hall_timeline_set_replay (self, g_value_get_object (value));
      break;
    case PROP_HOURS:
      gw_hall_timeline_set_hours (self, g_value_get_uint (value));
      break;
    case PROP_LANE_BY:
      gw_hall_timeline_set_lane_by (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_hall_timeline_class_init (GwHallTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_hall_timeline_dispose;
  object_class->finalize = gw_hall_timeline_finalize;
  object_class->get_property = gw_hall_timeline_get_property;
  object_class->set_property = gw_hall_timeline_set_property;
  widget_class->snapshot = gw_hall_timeline_snapshot;
  widget_class->measure = gw_hall_timeline_measure;
  widget_class->map = gw_hall_timeline_map;
  widget_class->unmap = gw_hall_timeline_unmap;
  widget_class->css_changed = gw_hall_timeline_css_changed;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REPLAY] =
    g_param_spec_object ("replay", NULL, NULL, GW_TYPE_REPLAY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOURS] =
    g_param_spec_uint ("hours", NULL, NULL, 1, 72, 8,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LANE_BY] =
    g_param_spec_enum ("lane-by", NULL, NULL, GW_TYPE_HALL_LANE_BY, GW_HALL_LANE_BY_DEPARTMENT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GwHallTimeline::incident-activated:
   * @incident: the GwIncident whose bar was clicked
   */
  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GW_TYPE_INCIDENT);

  gtk_widget_class_set_css_name (widget_class, "gw-hall-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gw_hall_timeline_init (GwHallTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->hours = 8;
  self->lane_by = GW_HALL_LANE_BY_DEPARTMENT;
  self->dirty = TRUE;
  self->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  self->lanes = g_ptr_array_new_with_free_func ((GDestroyNotify) lane_free);
  self->cases_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) case_free);
  self->axis_layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gw_hall_metrics_update (&self->metrics, GTK_WIDGET (self));
  self->label_w = self->metrics.min_label_w;

  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cases over time by department"),
                                  -1);
}

GtkWidget *
gw_hall_timeline_new (void)
{
  return g_object_new (GW_TYPE_HALL_TIMELINE, NULL);
}

void
gw_hall_timeline_set_store (GwHallTimeline *self, GwStore *store)
{
  g_return_if_fail (GW_IS_HALL_TIMELINE (self));
  g_return_if_fail (store == NULL || GW_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      g_signal_connect (store, "reference-changed", G_CALLBACK (store_reference_changed_cb), self);
    }
  if (self->cases_by_id != NULL)
    store_reload (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

GwStore *
gw_hall_timeline_get_store (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), NULL);
  return self->store;
}

void
gw_hall_timeline_set_replay (GwHallTimeline *self, GwReplay *replay)
{
  g_return_if_fail (GW_IS_HALL_TIMELINE (self));
  g_return_if_fail (replay == NULL || GW_IS_REPLAY (replay));

  if (self->replay == replay)
    return;
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, replay);
  g_clear_pointer (&self->replay_index, gw_replay_index_unref);
  g_clear_pointer (&self->replay_cases, g_ptr_array_unref);
  self->view_end = GW_TIME_NONE;
  if (replay != NULL)
    {
      g_signal_connect (replay, "state-changed", G_CALLBACK (replay_state_changed_cb), self);
      g_signal_connect (replay, "notify::live", G_CALLBACK (replay_live_cb), self);
      replay_state_changed_cb (replay, self);
    }
  update_tick (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLAY]);
}

GwReplay *
gw_hall_timeline_get_replay (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), NULL);
  return self->replay;
}

void
gw_hall_timeline_set_now (GwHallTimeline *self, GwTime now)
{
  g_return_if_fail (GW_IS_HALL_TIMELINE (self));

  self->fixed_now = now;
  update_tick (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_hall_timeline_set_hours (GwHallTimeline *self, guint hours)
{
  g_return_if_fail (GW_IS_HALL_TIMELINE (self));

  hours = CLAMP (hours, 1, 72);
  if (self->hours == hours)
    return;
  self->hours = hours;
  self->view_end = GW_TIME_NONE;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOURS]);
}

guint
gw_hall_timeline_get_hours (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), 0);
  return self->hours;
}

void
gw_hall_timeline_set_lane_by (GwHallTimeline *self, GwHallLaneBy lane_by)
{
  g_return_if_fail (GW_IS_HALL_TIMELINE (self));

  if (self->lane_by == lane_by)
    return;
  self->lane_by = lane_by;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  lane_by == GW_HALL_LANE_BY_CELL ? _("Cases over time by cell")
                                                                  : _("Cases over time by department"),
                                  -1);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANE_BY]);
}

GwHallLaneBy
gw_hall_timeline_get_lane_by (GwHallTimeline *self)
{
  g_return_val_if_fail (GW_IS_HALL_TIMELINE (self), GW_HALL_LANE_BY_DEPARTMENT);
  return self->lane_by;
}
