/* gw-drill-down.h — the cases behind a figure, in a window beside the statistics
 *
 * A GwCaseList of the cases with, under it, the selected case's GwCaseTimeline and a
 * "Show on map" button. Activating a row or the button emits ::incident-activated and
 * closes the window (the main window then shows the case on the wall's map).
 */
#pragma once

#include <adwaita.h>

#include "gw-case-list.h"
#include "gw-case-timeline.h"
#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_DRILL_DOWN (gw_drill_down_get_type ())
G_DECLARE_FINAL_TYPE (GwDrillDown, gw_drill_down, GW, DRILL_DOWN, AdwWindow)

/* @title: what the cases are ("环卫 · 按期结案率"); @incidents: GwIncident*, copied. */
GwDrillDown    *gw_drill_down_new          (GtkWindow   *parent,
                                            GwStore     *store,
                                            const char  *title,
                                            GPtrArray   *incidents,
                                            GwTime       now);
GwCaseList     *gw_drill_down_get_case_list (GwDrillDown *self);
GwCaseTimeline *gw_drill_down_get_timeline (GwDrillDown *self);
/* As the "Show on map" button: emits ::incident-activated for the selected case. */
void            gw_drill_down_show_on_map  (GwDrillDown *self);

G_END_DECLS
