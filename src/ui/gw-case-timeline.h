/* gw-case-timeline.h — one case's stages as rows with dwell-time bars
 *
 * GwCaseTimeline draws a case's stage spans (gw-stage-spans.h) in snapshot(), one row
 * per span, with no widget per row: the stage name, when it started (local time, with
 * the date when it differs from the row above), the department and actor, and a bar as
 * long as the stage's dwell on a scale common to every row. The deadline in force is a
 * marker line in each row and whatever part of a dwell is late is red. While the case
 * is open and the widget mapped, the current stage's bar grows once a second.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-incident.h"
#include "gw-stage-spans.h"

G_BEGIN_DECLS

#define GW_CASE_TIMELINE_ROW_HEIGHT 48

#define GW_TYPE_CASE_TIMELINE (gw_case_timeline_get_type ())
G_DECLARE_FINAL_TYPE (GwCaseTimeline, gw_case_timeline, GW, CASE_TIMELINE, GtkWidget)

GtkWidget    *gw_case_timeline_new            (void);
/* Shows @incident (may be NULL); @classes (GwIncidentClass*, may be NULL) give the base
 * deadline when an extension moved the incident's. */
void          gw_case_timeline_set_incident   (GwCaseTimeline *self,
                                               GwIncident     *incident,
                                               GPtrArray      *classes);
GwIncident   *gw_case_timeline_get_incident   (GwCaseTimeline *self);
GwStageSpans *gw_case_timeline_get_spans      (GwCaseTimeline *self);
/* Department names for the rows (GwDepartment*, may be NULL: ids are shown). */
void          gw_case_timeline_set_departments (GwCaseTimeline *self,
                                                GPtrArray      *departments);
/* A fixed "now" (tests); GW_TIME_NONE follows the real clock. */
void          gw_case_timeline_set_now        (GwCaseTimeline *self,
                                               GwTime          now);
/* Where row @i's dwell bar is drawn (full length, at the current width and now);
 * FALSE when there is no such row. @deadline_x is the marker's x or -1. */
gboolean      gw_case_timeline_get_bar        (GwCaseTimeline  *self,
                                               guint            i,
                                               graphene_rect_t *bar,
                                               double          *late_x,
                                               double          *deadline_x);

/* The colour both timelines give a stage (never red: red means late). */
void          gw_timeline_stage_color         (GwStage  stage,
                                               GdkRGBA *color);
void          gw_timeline_late_color          (GdkRGBA *color);

G_END_DECLS
