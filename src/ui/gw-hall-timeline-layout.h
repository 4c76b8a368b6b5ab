/* gw-hall-timeline-layout.h — the hall timeline's sizes and time axis, from its font
 *
 * Every size of GwHallTimeline (the lane-name column, the axis, the bars) follows the
 * widget's font, so the wall's CSS, which scales type with the output, scales the whole
 * chart: at 4K the names and times stay readable and nothing is cut off.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-hall-timeline.h"
#include "gw-store.h"
#include "gw-time.h"

G_BEGIN_DECLS

typedef struct {
  double em;          /* the font size, px */
  double text_h;      /* height of a line of axis text ("00:00"), px */
  double time_w;      /* width of "00:00", px */
  double label_pad;   /* either side of a lane name */
  double min_label_w; /* the lane-name column at least (the desk's 120 px at 11 pt) */
  double tick_h;
  double axis_h;      /* ticks and time labels under the plot */
  double pad_r;       /* right of the plot, for the last time label */
  double lane_pad;    /* above and below the rows of a lane */
  double max_row_h;   /* a bar at most this tall */
  double tick_gap;    /* at least this far between two time labels */
} GwHallMetrics;

/* The sizes for @widget's current font. */
void    gw_hall_metrics_update     (GwHallMetrics *metrics,
                                    GtkWidget     *widget);
/* The lane-name column for @layouts (PangoLayout, not ellipsized yet) in a widget
 * @width wide: the longest name fits, unless that would take over a third of the width. */
double  gw_hall_metrics_label_width (const GwHallMetrics *metrics,
                                     GPtrArray           *layouts,
                                     int                  width);

/* The time axis under @plot for the view [@view_end - @window, @view_end]: grid lines,
 * ticks on round local times and their labels, cached in @cache ("HH:MM" → layout). */
void    gw_hall_axis_snapshot      (GtkWidget             *widget,
                                    GtkSnapshot           *snapshot,
                                    GHashTable            *cache,
                                    const GwHallMetrics   *metrics,
                                    const graphene_rect_t *plot,
                                    double                 label_w,
                                    GwTime                 view_end,
                                    GwTime                 window,
                                    const GdkRGBA         *fg);

/* A lane's name for @key (a department id or cell code, "" for none): the reference
 * data's name, else the key. */
char   *gw_hall_lane_label         (GwStore      *store,
                                    GwHallLaneBy  lane_by,
                                    const char   *key);
/* Lane order: departments as the reference data lists them, the "none" lane last. */
guint   gw_hall_lane_rank          (GwStore      *store,
                                    GwHallLaneBy  lane_by,
                                    const char   *key);

G_END_DECLS
