/* gw-labels.h — the words users read for the domain's enumerations */
#pragma once

#include "gw-enums.h"

G_BEGIN_DECLS

const char *gw_stage_get_label    (GwStage    stage);
const char *gw_source_get_label   (GwSource   source);
const char *gw_priority_get_label (GwPriority priority);

G_END_DECLS
