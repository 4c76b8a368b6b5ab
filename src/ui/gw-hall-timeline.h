/* gw-hall-timeline.h — the hall's cases as bars in swimlanes over the last hours
 *
 * GwHallTimeline shows the open and recently closed cases of the last N hours, one lane
 * per department (or per cell). Each case is a bar from receipt to now or to its
 * closing, coloured by the stage in force along it, with its late parts red; a now-line
 * marks the present and a time axis runs along the bottom. The view follows the clock
 * unless a GwReplay is replaying, when it shows the hall at the replay's time.
 *
 * Everything is drawn in snapshot(), with no widget per bar: the bars' geometry is
 * built once per data change (coalesced to at most once a frame) as a render node in
 * time units, and each frame only places that node.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-replay.h"
#include "gw-store.h"

G_BEGIN_DECLS

typedef enum {
  GW_HALL_LANE_BY_DEPARTMENT,
  GW_HALL_LANE_BY_CELL,
} GwHallLaneBy;

#define GW_TYPE_HALL_LANE_BY (gw_hall_lane_by_get_type ())
GType gw_hall_lane_by_get_type (void) G_GNUC_CONST;

#define GW_TYPE_HALL_TIMELINE (gw_hall_timeline_get_type ())
G_DECLARE_FINAL_TYPE (GwHallTimeline, gw_hall_timeline, GW, HALL_TIMELINE, GtkWidget)

GtkWidget    *gw_hall_timeline_new          (void);
void          gw_hall_timeline_set_store    (GwHallTimeline *self,
                                             GwStore        *store);
GwStore      *gw_hall_timeline_get_store    (GwHallTimeline *self);
/* While @replay (may be NULL) is set, the hall is drawn at its time from its index. */
void          gw_hall_timeline_set_replay   (GwHallTimeline *self,
                                             GwReplay       *replay);
GwReplay     *gw_hall_timeline_get_replay   (GwHallTimeline *self);
/* A fixed "now" for live mode (tests, benchmarks); GW_TIME_NONE follows the clock. */
void          gw_hall_timeline_set_now      (GwHallTimeline *self,
                                             GwTime          now);
void          gw_hall_timeline_set_hours    (GwHallTimeline *self,
                                             guint           hours);
guint         gw_hall_timeline_get_hours    (GwHallTimeline *self);
void          gw_hall_timeline_set_lane_by  (GwHallTimeline *self,
                                             GwHallLaneBy    lane_by);
GwHallLaneBy  gw_hall_timeline_get_lane_by  (GwHallTimeline *self);

/* Hit test, in widget coordinates: the case whose bar is under (@x, @y), or NULL. */
GwIncident   *gw_hall_timeline_pick         (GwHallTimeline *self,
                                             double          x,
                                             double          y);
/* Emits ::incident-activated for the bar under (@x, @y); FALSE when there is none. */
gboolean      gw_hall_timeline_activate_at  (GwHallTimeline *self,
                                             double          x,
                                             double          y);
/* Where the time being shown (now, or the replay's time) and @t are drawn. */
GwTime        gw_hall_timeline_get_time     (GwHallTimeline *self);
double        gw_hall_timeline_time_to_x    (GwHallTimeline *self,
                                             GwTime          t);
/* The lanes as laid out at the current size: count, and lane @i's key (department id
 * or cell code, "" for none), label and vertical extent. */
guint         gw_hall_timeline_get_n_lanes  (GwHallTimeline *self);
gboolean      gw_hall_timeline_get_lane     (GwHallTimeline *self,
                                             guint           i,
                                             const char    **key,
                                             const char    **label,
                                             double         *y,
                                             double         *height);
/* The full bar of case @id (receipt to its end, unclipped), or FALSE if not shown. */
gboolean      gw_hall_timeline_get_bar      (GwHallTimeline  *self,
                                             const char      *id,
                                             graphene_rect_t *rect);
guint         gw_hall_timeline_get_n_bars   (GwHallTimeline *self);
/* The lane-name column's width, and lane @i's name: its width and height unclipped, and
 * whether it is drawn ellipsized. All follow the widget's font. */
double        gw_hall_timeline_get_label_width (GwHallTimeline *self);
gboolean      gw_hall_timeline_get_lane_label  (GwHallTimeline *self,
                                                guint           i,
                                                int            *natural_width,
                                                int            *height,
                                                gboolean       *ellipsized);

G_END_DECLS
