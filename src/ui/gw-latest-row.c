/* gw-latest-row.c — one line of the latest-cases list, drawn in snapshot() (see the header) */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-chart.h"
#include "gw-latest-row.h"

/* What AdwActionRow's subtitle looks like: smaller and dimmer than the title. */
#define SUBTITLE_SCALE  PANGO_SCALE_SMALL
#define SUBTITLE_ALPHA  0.55

struct _GwLatestRow {
  GtkWidget    parent_instance;

  char        *incident_id;
  char        *title;
  char        *subtitle;
  gboolean     late;

  /* Made on first use and kept: a new text reshapes only that text. */
  PangoLayout *title_layout;
  PangoLayout *subtitle_layout;
  PangoLayout *late_layout;
  int          title_h;      /* line heights from the font, 0: to measure */
  int          subtitle_h;
};

G_DEFINE_FINAL_TYPE (GwLatestRow, gw_latest_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_INCIDENT_ID,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_LATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PangoLayout *
new_layout (GtkWidget *widget,
            double     scale,
            gboolean   bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

static void
ensure_layouts (GwLatestRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (self->title_layout != NULL)
    return;
  self->title_layout = new_layout (widget, 1.0, FALSE);
  self->subtitle_layout = new_layout (widget, SUBTITLE_SCALE, FALSE);
  self->late_layout = new_layout (widget, SUBTITLE_SCALE, TRUE);
  pango_layout_set_text (self->title_layout, self->title ? self->title : "", -1);
  pango_layout_set_text (self->subtitle_layout, self->subtitle ? self->subtitle : "", -1);
  pango_layout_set_text (self->late_layout, _("Late"), -1);
}

/* All rows in one font share its line heights: the probe shapes CJK and is not cheap. */
static void
ensure_heights (GwLatestRow *self)
{
  static GHashTable *by_font;  /* font description → title_h << 16 | subtitle_h */
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autofree char *font = NULL;
  guint packed;

  ensure_layouts (self);
  if (self->title_h != 0)
    return;
  if (by_font == NULL)
    by_font = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  font = pango_font_description_to_string (pango_context_get_font_description (context));
  packed = GPOINTER_TO_UINT (g_hash_table_lookup (by_font, font));
  if (packed == 0)
    {
      packed = (guint) gw_chart_line_height (self->title_layout) << 16 |
               (guint) gw_chart_line_height (self->subtitle_layout);
      g_hash_table_insert (by_font, g_steal_pointer (&font), GUINT_TO_POINTER (packed));
    }
  self->title_h = packed >> 16;
  self->subtitle_h = packed & 0xffff;
}

/* Around the text, in proportion to the font as AdwActionRow's 12 px are to 11 pt. */
static int
padding (GwLatestRow *self)
{
  return (self->title_h * 3 + 2) / 5;
}

static void
update_accessible (GwLatestRow *self)
{
  g_autofree char *label = g_strdup_printf ("%s, %s%s%s", self->title ? self->title : "",
                                            self->subtitle ? self->subtitle : "",
                                            self->late ? ", " : "", self->late ? _("Late") : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static gboolean
set_text (char        **slot,
          PangoLayout  *layout,
          const char   *text)
{
  if (g_strcmp0 (*slot, text) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (text);
  if (layout != NULL)
    pango_layout_set_text (layout, text ? text : "", -1);
  return TRUE;
}

void
gw_latest_row_set (GwLatestRow *self,
                   const char  *incident_id,
                   const char  *title,
                   const char  *subtitle,
                   gboolean     late)
{
  gboolean changed = FALSE;

  g_return_if_fail (GW_IS_LATEST_ROW (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (set_text (&self->incident_id, NULL, incident_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT_ID]);
  if (set_text (&self->title, self->title_layout, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      changed = TRUE;
    }
  if (set_text (&self->subtitle, self->subtitle_layout, subtitle))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
      changed = TRUE;
    }
  if (self->late != !!late)
    {
      self->late = !!late;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATE]);
      changed = TRUE;
    }
  if (changed)
    {
      update_accessible (self);
      /* The height comes from the font, not the text: a redraw is enough. */
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
gw_latest_row_get_incident_id (GwLatestRow *self)
{
  g_return_val_if_fail (GW_IS_LATEST_ROW (self), NULL);
  return self->incident_id;
}

const char *
gw_latest_row_get_title (GwLatestRow *self)
{
  g_return_val_if_fail (GW_IS_LATEST_ROW (self), NULL);
  return self->title;
}

const char *
gw_latest_row_get_subtitle (GwLatestRow *self)
{
  g_return_val_if_fail (GW_IS_LATEST_ROW (self), NULL);
  return self->subtitle;
}

gboolean
gw_latest_row_get_late (GwLatestRow *self)
{
  g_return_val_if_fail (GW_IS_LATEST_ROW (self), FALSE);
  return self->late;
}

/* Sets the layouts' widths for the current allocation (a no-op when unchanged). */
static void
fit_layouts (GwLatestRow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), pad, text_w, late_w = 0;

  ensure_heights (self);
  pad = padding (self);
  if (self->late)
    {
      pango_layout_get_pixel_size (self->late_layout, &late_w, NULL);
      late_w += pad;
    }
  text_w = MAX (width - 2 * pad - late_w, 1);
  pango_layout_set_width (self->title_layout, text_w * PANGO_SCALE);
  pango_layout_set_width (self->subtitle_layout, text_w * PANGO_SCALE);
}

gboolean
gw_latest_row_is_ellipsized (GwLatestRow *self)
{
  g_return_val_if_fail (GW_IS_LATEST_ROW (self), FALSE);

  fit_layouts (self);
  return pango_layout_is_ellipsized (self->title_layout) ||
         pango_layout_is_ellipsized (self->subtitle_layout);
}

static void
gw_latest_row_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  GwLatestRow *self = GW_LATEST_ROW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int pad, y, w;
  GdkRGBA fg, dim, late;

  fit_layouts (self);
  pad = padding (self);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "error_color", &late))
    late = (GdkRGBA) { 0.88, 0.11, 0.14, 1 };
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= SUBTITLE_ALPHA;

  /* The two lines as a block, centred in whatever height the list gives. */
  y = (height - self->title_h - self->subtitle_h) / 2;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (pad, y));
  gtk_snapshot_append_layout (snapshot, self->title_layout, &fg);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, self->title_h));
  gtk_snapshot_append_layout (snapshot, self->subtitle_layout, &dim);
  gtk_snapshot_restore (snapshot);

  if (self->late)
    {
      int h;

      pango_layout_get_pixel_size (self->late_layout, &w, &h);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width - pad - w, (height - h) / 2));
      gtk_snapshot_append_layout (snapshot, self->late_layout, &late);
      gtk_snapshot_restore (snapshot);
    }
}

static void
gw_latest_row_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  GwLatestRow *self = GW_LATEST_ROW (widget);

  ensure_heights (self);
  /* Any width will do (the text is ellipsized), so the row never widens the panel. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 2 * padding (self);
  else
    *minimum = *natural = self->title_h + self->subtitle_h + 2 * (self->title_h / 3);
}

static void
gw_latest_row_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GwLatestRow *self = GW_LATEST_ROW (widget);

  GTK_WIDGET_CLASS (gw_latest_row_parent_class)->css_changed (widget, change);
  /* The font may have changed (the wall scales it): measure the lines again. */
  self->title_h = self->subtitle_h = 0;
  gtk_widget_queue_resize (widget);
}

/* The full text when the row cuts it short. */
static gboolean
gw_latest_row_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip)
{
  GwLatestRow *self = GW_LATEST_ROW (widget);
  g_autofree char *text = NULL;

  if (!gw_latest_row_is_ellipsized (self))
    return FALSE;
  text = g_strdup_printf ("%s\n%s", self->title ? self->title : "", self->subtitle ? self->subtitle : "");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
gw_latest_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GwLatestRow *self = GW_LATEST_ROW (object);

  switch (prop_id)
    {
    case PROP_INCIDENT_ID:
      g_value_set_string (value, self->incident_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_LATE:
      g_value_set_boolean (value, self->late);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_latest_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GwLatestRow *self = GW_LATEST_ROW (object);

  switch (prop_id)
    {
    case PROP_INCIDENT_ID:
      gw_latest_row_set (self, g_value_get_string (value), self->title, self->subtitle, self->late);
      break;
    case PROP_TITLE:
      gw_latest_row_set (self, self->incident_id, g_value_get_string (value), self->subtitle, self->late);
      break;
    case PROP_SUBTITLE:
      gw_latest_row_set (self, self->incident_id, self->title, g_value_get_string (value), self->late);
      break;
    case PROP_LATE:
      gw_latest_row_set (self, self->incident_id, self->title, self->subtitle, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_latest_row_dispose (GObject *object)
{
  GwLatestRow *self = GW_LATEST_ROW (object);

  g_clear_object (&self->title_layout);
  g_clear_object (&self->subtitle_layout);
  g_clear_object (&self->late_layout);

  G_OBJECT_CLASS (gw_latest_row_parent_class)->dispose (object);
}

static void
gw_latest_row_finalize (GObject *object)
{
  GwLatestRow *self = GW_LATEST_ROW (object);

  g_free (self->incident_id);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (gw_latest_row_parent_class)->finalize (object);
}

static void
gw_latest_row_class_init (GwLatestRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gw_latest_row_get_property;
  object_class->set_property = gw_latest_row_set_property;
  object_class->dispose = gw_latest_row_dispose;
  object_class->finalize = gw_latest_row_finalize;
  widget_class->snapshot = gw_latest_row_snapshot;
  widget_class->measure = gw_latest_row_measure;
  widget_class->css_changed = gw_latest_row_css_changed;
  widget_class->query_tooltip = gw_latest_row_query_tooltip;

  properties[PROP_INCIDENT_ID] =
    g_param_spec_string ("incident-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATE] =
    g_param_spec_boolean ("late", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "latestrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
gw_latest_row_init (GwLatestRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
gw_latest_row_new (void)
{
  return g_object_new (GW_TYPE_LATEST_ROW, NULL);
}
