/* gw-hall-timeline-layout.c — the hall timeline's sizes and time axis, from its font */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "gw-hall-timeline-layout.h"

/* The desk's sizes at its 11 pt (14.67 px) font, which the rest are proportional to:
 * 120 px of names, 14 px bars, labels at least 80 px apart. */
#define DESK_EM 14.667

void
gw_hall_metrics_update (GwHallMetrics *m,
                        GtkWidget     *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  g_autoptr(PangoLayout) sample = gtk_widget_create_pango_layout (widget, "00:00");
  double em = DESK_EM, k;
  int tw, th;

  if (font != NULL && pango_font_description_get_size (font) > 0)
    {
      em = (double) pango_font_description_get_size (font) / PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (font))
        {
          double dpi = pango_cairo_context_get_resolution (context);
          em *= (dpi > 0 ? dpi : 96.0) / 72.0;
        }
    }
  pango_layout_get_pixel_size (sample, &tw, &th);
  k = em / DESK_EM;

  m->em = em;
  m->text_h = th;
  m->time_w = tw;
  m->label_pad = MAX (6.0, round (6 * k));
  m->min_label_w = round (120 * k);
  m->tick_h = MAX (4.0, round (4 * k));
  m->axis_h = m->tick_h + th + MAX (2.0, round (2 * k));
  m->pad_r = MAX (8.0, round (8 * k));
  m->lane_pad = MAX (2.0, round (2 * k));
  m->max_row_h = MAX (14.0, round (14 * k));
  m->tick_gap = MAX (80 * k, 1.6 * tw);
}

double
gw_hall_metrics_label_width (const GwHallMetrics *m,
                             GPtrArray           *layouts,
                             int                  width)
{
  double widest = 0, want;

  for (guint i = 0; layouts != NULL && i < layouts->len; i++)
    {
      int lw;

      pango_layout_get_pixel_size (g_ptr_array_index (layouts, i), &lw, NULL);
      widest = MAX (widest, lw);
    }
  want = MAX (m->min_label_w, ceil (widest + 2 * m->label_pad));
  /* Past a third of the width the names would crowd out the bars: ellipsize them then. */
  return MAX (MIN (want, floor (width / 3.0)), MIN (m->min_label_w, width / 3.0));
}

static PangoLayout *
axis_layout (GtkWidget  *widget,
             GHashTable *cache,
             const char *text)
{
  PangoLayout *layout = g_hash_table_lookup (cache, text);

  if (layout == NULL)
    {
      layout = gtk_widget_create_pango_layout (widget, text);
      g_hash_table_insert (cache, g_strdup (text), layout);
    }
  return layout;
}

void
gw_hall_axis_snapshot (GtkWidget             *widget,
                       GtkSnapshot           *snapshot,
                       GHashTable            *cache,
                       const GwHallMetrics   *m,
                       const graphene_rect_t *plot,
                       double                 label_w,
                       GwTime                 view_end,
                       GwTime                 w,
                       const GdkRGBA         *fg)
{
  static const int steps_min[] = { 15, 30, 60, 120, 180, 360, 720 };
  GwTime start = view_end - w, step = 0, t;
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (view_end / G_USEC_PER_SEC);
  GwTime offset = g_date_time_get_utc_offset (local);  /* µs */
  GdkRGBA tick = *fg, grid = *fg;
  double line = MAX (1.0, round (m->em / 14.0));

  tick.alpha *= 0.6;
  grid.alpha *= 0.07;
  for (guint i = 0; i < G_N_ELEMENTS (steps_min); i++)
    {
      step = steps_min[i] * GW_USEC_PER_MIN;
      if (step * plot->size.width / w >= m->tick_gap)
        break;
    }

  /* Ticks on round local times. */
  t = (start + offset) / step * step - offset;
  for (; t <= view_end; t += step)
    {
      double x = plot->origin.x + (double) (t - start) * plot->size.width / (double) w;
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *text = NULL;
      PangoLayout *layout;
      int lw, lh;

      if (x < plot->origin.x)
        continue;
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (floor (x), plot->origin.y, line, plot->size.height));
      gtk_snapshot_append_color (snapshot, &tick,
                                 &GRAPHENE_RECT_INIT (floor (x), plot->origin.y + plot->size.height,
                                                      line, m->tick_h));
      dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
      text = g_date_time_format (dt, "%H:%M");
      layout = axis_layout (widget, cache, text);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      /* Within the widget: a label may reach into the name column's right half. */
      if (x - lw / 2.0 < plot->origin.x - label_w / 2 ||
          x + lw / 2.0 > plot->origin.x + plot->size.width + m->pad_r)
        continue;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x - lw / 2.0),
                                                              plot->origin.y + plot->size.height + m->tick_h));
      gtk_snapshot_append_layout (snapshot, layout, &tick);
      gtk_snapshot_restore (snapshot);
    }
}

/* Lanes: their names and order. */

char *
gw_hall_lane_label (GwStore      *store,
                    GwHallLaneBy  lane_by,
                    const char   *key)
{
  if (*key == '\0')
    return g_strdup (lane_by == GW_HALL_LANE_BY_CELL ? _("No cell") : _("Not dispatched"));
  if (store != NULL && lane_by == GW_HALL_LANE_BY_CELL)
    {
      GwCell *cell = gw_store_lookup_cell (store, key);
      if (cell != NULL && cell->name != NULL)
        return g_strdup (cell->name);
    }
  if (store != NULL && lane_by == GW_HALL_LANE_BY_DEPARTMENT)
    {
      GwDepartment *dept = gw_store_lookup_department (store, key);
      if (dept != NULL && dept->name != NULL)
        return g_strdup (dept->name);
    }
  return g_strdup (key);
}

/* Lane order: departments as the reference data lists them, cells by code, then the
 * rest by key; the "none" lane last. */
guint
gw_hall_lane_rank (GwStore      *store,
                   GwHallLaneBy  lane_by,
                   const char   *key)
{
  GPtrArray *depts;

  if (*key == '\0')
    return G_MAXUINT;
  if (lane_by != GW_HALL_LANE_BY_DEPARTMENT || store == NULL)
    return 0;
  depts = gw_store_get_departments (store);
  for (guint i = 0; depts != NULL && i < depts->len; i++)
    if (g_strcmp0 (((GwDepartment *) g_ptr_array_index (depts, i))->id, key) == 0)
      return i;
  return depts != NULL ? depts->len : 0;
}
