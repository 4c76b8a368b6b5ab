/* gw-stage-event.h — one entry of a case's timeline */
#pragma once

#include <glib-object.h>

#include "gw-enums.h"
#include "gw-time.h"

G_BEGIN_DECLS

#define GW_TYPE_STAGE_EVENT (gw_stage_event_get_type ())

typedef struct {
  char    *id;          /* client-supplied, unique per case; makes re-posting idempotent */
  GwStage  stage;
  GwTime   time;
  char    *actor;       /* person or system, may be NULL */
  char    *department;  /* department id, may be NULL */
  char    *note;        /* may be NULL */
  GwTime   deadline;    /* new deadline (extended, dispatched), or GW_TIME_NONE */
} GwStageEvent;

GType         gw_stage_event_get_type (void) G_GNUC_CONST;
GwStageEvent *gw_stage_event_new      (void);
GwStageEvent *gw_stage_event_copy     (const GwStageEvent *self);
void          gw_stage_event_free     (GwStageEvent       *self);
gboolean      gw_stage_event_equal    (const GwStageEvent *a,
                                       const GwStageEvent *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwStageEvent, gw_stage_event_free)

G_END_DECLS
