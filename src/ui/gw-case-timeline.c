/* gw-case-timeline.c — one case's stages as rows with dwell-time bars */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-case-timeline.h"
#include "gw-department.h"
#include "gw-labels.h"
#include "gw-pin-atlas.h"

#define PAD        12.0
#define BAR_Y      14.0
#define BAR_H      20.0
#define DUR_W      96.0
#define MIN_WIDTH  360

struct _GwCaseTimeline
{
  GtkWidget     parent_instance;

  GwIncident   *incident;
  GwStageSpans *spans;
  GHashTable   *dept_names;   /* id → name */
  GwTime        fixed_now;
  guint         tick_id;
};

G_DEFINE_FINAL_TYPE (GwCaseTimeline, gw_case_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_INCIDENT,
  N_PROPS
};


/* The received stage's actor is the channel's API name ("hotline"): show its label. */
static const char *
actor_label (const char *actor)
{
  GwSource source;

  if (actor != NULL && gw_source_from_string (actor, &source))
    return gw_source_get_label (source);
  return actor;
}

static GParamSpec *properties[N_PROPS];

void
gw_timeline_stage_color (GwStage stage, GdkRGBA *color)
{
  static const GdkRGBA colors[GW_N_STAGES] = {
    [GW_STAGE_RECEIVED]      = { 0.208, 0.518, 0.894, 1.0 },  /* #3584e4 */
    [GW_STAGE_REGISTERED]    = { 0.384, 0.627, 0.918, 1.0 },  /* #62a0ea */
    [GW_STAGE_DISPATCHED]    = { 0.898, 0.647, 0.039, 1.0 },  /* #e5a50a */
    [GW_STAGE_ON_SITE]       = { 0.180, 0.761, 0.494, 1.0 },  /* #2ec27e */
    [GW_STAGE_REPORTED_DONE] = { 0.129, 0.565, 0.643, 1.0 },  /* #2190a4 */
    [GW_STAGE_CLOSED]        = { 0.467, 0.463, 0.482, 1.0 },  /* #77767b */
    [GW_STAGE_EVALUATED]     = { 0.369, 0.361, 0.392, 1.0 },  /* #5e5c64 */
    [GW_STAGE_REWORK]        = { 0.569, 0.255, 0.675, 1.0 },  /* #9141ac */
    [GW_STAGE_EXTENDED]      = { 0.753, 0.380, 0.796, 1.0 },  /* #c061cb */
    [GW_STAGE_PARKED]        = { 0.596, 0.416, 0.267, 1.0 },  /* #986a44 */
    [GW_STAGE_RETURNED]      = { 0.863, 0.541, 0.867, 1.0 },  /* #dc8add */
    [GW_STAGE_APPEAL]        = { 0.965, 0.827, 0.176, 1.0 },  /* #f6d32d */
  };

  *color = colors[MIN ((guint) stage, GW_N_STAGES - 1)];
}

void
gw_timeline_late_color (GdkRGBA *color)
{
  /* The map's late pins: one red for "late" everywhere. */
  gw_pin_status_get_color (GW_PIN_STATUS_LATE, color);
}

static GwTime
get_now (GwCaseTimeline *self)
{
  return self->fixed_now != GW_TIME_NONE ? self->fixed_now : gw_time_now ();
}

static void
get_fg (GtkWidget *widget, GdkRGBA *color)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static GDateTime *
local_time (GwTime t)
{
  return g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
}

/* Row @i's start: HH:MM, with the date when it differs from the row above. */
static char *
format_start (GwStageSpans *spans, guint i)
{
  const GwStageSpan *span = gw_stage_spans_get_span (spans, i);
  g_autoptr(GDateTime) dt = local_time (span->start);
  gboolean with_date = TRUE;

  if (i > 0)
    {
      g_autoptr(GDateTime) prev = local_time (gw_stage_spans_get_span (spans, i - 1)->start);
      with_date = g_date_time_get_year (prev) != g_date_time_get_year (dt) ||
                  g_date_time_get_day_of_year (prev) != g_date_time_get_day_of_year (dt);
    }
  /* Translators: a stage's start time with its date, see g_date_time_format() */
  return g_date_time_format (dt, with_date ? _("%m-%d %H:%M") : "%H:%M");
}

static const char *
department_name (GwCaseTimeline *self, const char *id)
{
  const char *name;

  if (id == NULL)
    return NULL;
  name = self->dept_names ? g_hash_table_lookup (self->dept_names, id) : NULL;
  return name ? name : id;
}

/* The common scale: the longest dwell, or a deadline offset a little past it. */
static GwTime
scale_span (GwCaseTimeline *self, GwTime now)
{
  guint n = gw_stage_spans_get_n_spans (self->spans);
  GwTime max = 0;

  for (guint i = 0; i < n; i++)
    max = MAX (max, gw_stage_spans_dwell_at (self->spans, i, now));
  for (guint i = 0; i < n; i++)
    {
      const GwStageSpan *span = gw_stage_spans_get_span (self->spans, i);
      GwTime offset;

      if (span->deadline == GW_TIME_NONE || span->deadline <= span->start ||
          gw_stage_is_closed (span->stage))
        continue;
      offset = span->deadline - span->start;
      if (offset <= 2 * max)
        max = MAX (max, offset);
    }
  return MAX (max, GW_USEC_PER_MIN);
}

static gboolean
compute_bar (GwCaseTimeline  *self,
             guint            i,
             GwTime           now,
             GwTime           scale,
             graphene_rect_t *bar,
             double          *late_x,
             double          *deadline_x)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  const GwStageSpan *span;
  double label_w, x0, avail, px;
  GwTime dwell, late;

  if (self->spans == NULL || i >= gw_stage_spans_get_n_spans (self->spans))
    return FALSE;
  span = gw_stage_spans_get_span (self->spans, i);
  width = MAX (width, MIN_WIDTH);
  label_w = CLAMP (width * 0.42, 180.0, 380.0);
  x0 = label_w + PAD;
  avail = MAX (width - x0 - PAD - DUR_W, 20.0);
  px = avail / (double) scale;

  dwell = gw_stage_spans_dwell_at (self->spans, i, now);
  late = gw_stage_spans_late_at (self->spans, i, now);
  late = CLAMP (late, 0, dwell);
  dwell = MIN (dwell, scale);
  late = MIN (late, dwell);

  *bar = GRAPHENE_RECT_INIT (x0, i * GW_CASE_TIMELINE_ROW_HEIGHT + BAR_Y, dwell * px, BAR_H);
  *late_x = late > 0 ? x0 + (dwell - late) * px : -1;
  *deadline_x = -1;
  if (span->deadline != GW_TIME_NONE && !gw_stage_is_closed (span->stage))
    {
      GwTime offset = MAX (span->deadline - span->start, 0);
      if (offset <= scale)
        *deadline_x = x0 + offset * px;
    }
  return TRUE;
}

gboolean
gw_case_timeline_get_bar (GwCaseTimeline  *self,
                          guint            i,
                          graphene_rect_t *bar,
                          double          *late_x,
                          double          *deadline_x)
{
  GwTime now;

  g_return_val_if_fail (GW_IS_CASE_TIMELINE (self), FALSE);
  if (self->spans == NULL)
    return FALSE;
  now = get_now (self);
  return compute_bar (self, i, now, scale_span (self, now), bar, late_x, deadline_x);
}

static void
gw_case_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GwCaseTimeline *self = GW_CASE_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA fg, dim, track, marker, red;
  GwTime now, scale;
  guint n;

  if (self->spans == NULL)
    return;

  get_fg (widget, &fg);
  dim = fg;
  dim.alpha *= 0.65;
  track = fg;
  track.alpha *= 0.08;
  marker = fg;
  marker.alpha *= 0.9;
  gw_timeline_late_color (&red);

  now = get_now (self);
  scale = scale_span (self, now);
  n = gw_stage_spans_get_n_spans (self->spans);

  for (guint i = 0; i < n; i++)
    {
      const GwStageSpan *span = gw_stage_spans_get_span (self->spans, i);
      double y = i * GW_CASE_TIMELINE_ROW_HEIGHT;
      g_autoptr(PangoLayout) title = NULL;
      g_autoptr(PangoLayout) who = NULL;
      g_autoptr(PangoLayout) dur = NULL;
      g_autofree char *start = format_start (self->spans, i);
      g_autofree char *markup = NULL;
      g_autofree char *who_text = NULL;
      g_autofree char *dur_text = NULL;
      const char *dept = department_name (self, span->department);
      graphene_rect_t bar;
      double late_x, deadline_x, text_w;
      GwTime dwell;
      GdkRGBA color;
      int lw, lh;

      compute_bar (self, i, now, scale, &bar, &late_x, &deadline_x);
      text_w = bar.origin.x - 2 * PAD;

      /* Stage and start time. */
      markup = g_markup_printf_escaped ("<b>%s</b>  %s", gw_stage_get_label (span->stage), start);
      title = gtk_widget_create_pango_layout (widget, NULL);
      pango_layout_set_markup (title, markup, -1);
      pango_layout_set_width (title, (int) (text_w * PANGO_SCALE));
      pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD, y + 4));
      gtk_snapshot_append_layout (snapshot, title, &fg);
      gtk_snapshot_restore (snapshot);

      /* Department and actor. */
      if (dept != NULL && span->actor != NULL)
        who_text = g_strdup_printf ("%s · %s", dept, actor_label (span->actor));
      else if (dept != NULL || span->actor != NULL)
        who_text = g_strdup (dept != NULL ? dept : actor_label (span->actor));
      if (who_text != NULL)
        {
          who = gtk_widget_create_pango_layout (widget, who_text);
          pango_layout_set_width (who, (int) (text_w * PANGO_SCALE));
          pango_layout_set_ellipsize (who, PANGO_ELLIPSIZE_END);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD, y + 25));
          gtk_snapshot_append_layout (snapshot, who, &dim);
          gtk_snapshot_restore (snapshot);
        }

      /* The track, the dwell (its late part red) and the deadline marker; a case's
       * closing stage has no dwell and no track. */
      if (!(i + 1 == n && gw_stage_is_closed (span->stage)))
        gtk_snapshot_append_color (snapshot, &track,
                                 &GRAPHENE_RECT_INIT (bar.origin.x, bar.origin.y,
                                                      MAX (width - bar.origin.x - PAD - DUR_W, 0),
                                                      bar.size.height));
      gw_timeline_stage_color (span->stage, &color);
      if (late_x >= 0)
        {
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (bar.origin.x, bar.origin.y,
                                                          late_x - bar.origin.x, bar.size.height));
          gtk_snapshot_append_color (snapshot, &red,
                                     &GRAPHENE_RECT_INIT (late_x, bar.origin.y,
                                                          bar.origin.x + bar.size.width - late_x,
                                                          bar.size.height));
        }
      else
        gtk_snapshot_append_color (snapshot, &color, &bar);
      if (deadline_x >= 0)
        gtk_snapshot_append_color (snapshot, &marker,
                                   &GRAPHENE_RECT_INIT (deadline_x - 1, bar.origin.y - 5,
                                                        2, bar.size.height + 10));

      /* The dwell as text, right-aligned. */
      dwell = gw_stage_spans_dwell_at (self->spans, i, now);
      if (dwell > 0 || (i + 1 == n && gw_stage_spans_is_open (self->spans)))
        {
          dur_text = gw_format_duration (dwell);
          dur = gtk_widget_create_pango_layout (widget, dur_text);
          pango_layout_get_pixel_size (dur, &lw, &lh);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (width - PAD - lw,
                                                        bar.origin.y + (BAR_H - lh) / 2));
          gtk_snapshot_append_layout (snapshot, dur, late_x >= 0 ? &red : &dim);
          gtk_snapshot_restore (snapshot);
        }
    }
}

static void
gw_case_timeline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GwCaseTimeline *self = GW_CASE_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = 640;
    }
  else
    {
      guint n = self->spans ? gw_stage_spans_get_n_spans (self->spans) : 0;
      *minimum = *natural = n * GW_CASE_TIMELINE_ROW_HEIGHT;
    }
}

/* The accessible description: every stage in one sentence each. */
static void
update_accessible (GwCaseTimeline *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GwTime now = get_now (self);
  guint n = self->spans ? gw_stage_spans_get_n_spans (self->spans) : 0;

  for (guint i = 0; i < n; i++)
    {
      const GwStageSpan *span = gw_stage_spans_get_span (self->spans, i);
      g_autofree char *start = format_start (self->spans, i);
      g_autofree char *dwell = gw_format_duration (gw_stage_spans_dwell_at (self->spans, i, now));
      GwTime late = gw_stage_spans_late_at (self->spans, i, now);
      const char *dept = department_name (self, span->department);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: stage name, start time, dwell */
      g_string_append_printf (text, _("%s at %s for %s"), gw_stage_get_label (span->stage), start, dwell);
      if (dept != NULL)
        g_string_append_printf (text, ", %s", dept);
      if (span->actor != NULL)
        g_string_append_printf (text, ", %s", actor_label (span->actor));
      if (late > 0)
        {
          g_autofree char *l = gw_format_duration (late);
          g_string_append_printf (text, _(", %s late"), l);
        }
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Case timeline"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static gboolean
tick_cb (gpointer data)
{
  GwCaseTimeline *self = data;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_CONTINUE;
}

/* A timer only while the case is open, the clock real and the widget mapped. */
static void
update_tick (GwCaseTimeline *self)
{
  gboolean want = self->spans != NULL && gw_stage_spans_is_open (self->spans) &&
                  self->fixed_now == GW_TIME_NONE && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    {
      self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "[gridwatch] case timeline tick");
    }
  else if (!want)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
gw_case_timeline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gw_case_timeline_parent_class)->map (widget);
  update_tick (GW_CASE_TIMELINE (widget));
  update_accessible (GW_CASE_TIMELINE (widget));
}

static void
gw_case_timeline_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gw_case_timeline_parent_class)->unmap (widget);
  update_tick (GW_CASE_TIMELINE (widget));
}

static void
gw_case_timeline_dispose (GObject *object)
{
  GwCaseTimeline *self = GW_CASE_TIMELINE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->incident, gw_incident_unref);
  g_clear_pointer (&self->spans, gw_stage_spans_unref);
  g_clear_pointer (&self->dept_names, g_hash_table_unref);

  G_OBJECT_CLASS (gw_case_timeline_parent_class)->dispose (object);
}

static void
gw_case_timeline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GwCaseTimeline *self = GW_CASE_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_INCIDENT:
      g_value_set_boxed (value, self->incident);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_case_timeline_class_init (GwCaseTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_case_timeline_dispose;
  object_class->get_property = gw_case_timeline_get_property;
  widget_class->snapshot = gw_case_timeline_snapshot;
  widget_class->measure = gw_case_timeline_measure;
  widget_class->map = gw_case_timeline_map;
  widget_class->unmap = gw_case_timeline_unmap;

  properties[PROP_INCIDENT] =
    g_param_spec_boxed ("incident", NULL, NULL, GW_TYPE_INCIDENT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "gw-case-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gw_case_timeline_init (GwCaseTimeline *self)
{
}

GtkWidget *
gw_case_timeline_new (void)
{
  return g_object_new (GW_TYPE_CASE_TIMELINE, NULL);
}

void
gw_case_timeline_set_incident (GwCaseTimeline *self,
                               GwIncident     *incident,
                               GPtrArray      *classes)
{
  const GwIncidentClass *klass = NULL;

  g_return_if_fail (GW_IS_CASE_TIMELINE (self));

  if (incident != NULL)
    gw_incident_ref (incident);
  g_clear_pointer (&self->incident, gw_incident_unref);
  g_clear_pointer (&self->spans, gw_stage_spans_unref);
  self->incident = incident;

  if (incident != NULL)
    {
      for (guint i = 0; classes != NULL && i < classes->len; i++)
        {
          const GwIncidentClass *c = g_ptr_array_index (classes, i);
          if (g_strcmp0 (c->code, incident->class_code) == 0)
            {
              klass = c;
              break;
            }
        }
      self->spans = gw_stage_spans_new_for_incident (incident, klass);
    }

  update_tick (self);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT]);
}

GwIncident *
gw_case_timeline_get_incident (GwCaseTimeline *self)
{
  g_return_val_if_fail (GW_IS_CASE_TIMELINE (self), NULL);
  return self->incident;
}

GwStageSpans *
gw_case_timeline_get_spans (GwCaseTimeline *self)
{
  g_return_val_if_fail (GW_IS_CASE_TIMELINE (self), NULL);
  return self->spans;
}

void
gw_case_timeline_set_departments (GwCaseTimeline *self,
                                  GPtrArray      *departments)
{
  g_return_if_fail (GW_IS_CASE_TIMELINE (self));

  g_clear_pointer (&self->dept_names, g_hash_table_unref);
  if (departments != NULL)
    {
      self->dept_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < departments->len; i++)
        {
          const GwDepartment *dept = g_ptr_array_index (departments, i);
          if (dept->id != NULL && dept->name != NULL)
            g_hash_table_insert (self->dept_names, g_strdup (dept->id), g_strdup (dept->name));
        }
    }
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gw_case_timeline_set_now (GwCaseTimeline *self,
                          GwTime          now)
{
  g_return_if_fail (GW_IS_CASE_TIMELINE (self));

  self->fixed_now = now;
  update_tick (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
