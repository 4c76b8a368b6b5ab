/* gw-labels.h — the words users read for the domain's enumerations */
#pragma once

#include "gw-enums.h"
#include "gw-time.h"

G_BEGIN_DECLS

const char *gw_stage_get_label    (GwStage    stage);
const char *gw_source_get_label   (GwSource   source);
const char *gw_priority_get_label (GwPriority priority);
/* A duration as people read it on the wall: "< 1 min", "25 min", "3 h 05 min", "2 d 4 h".
 * Negative durations are shown by their size. */
char       *gw_format_duration    (GwTime     usec);

G_END_DECLS
