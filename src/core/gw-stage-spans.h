/* gw-stage-spans.h — a case's stages as spans of time, derived from its raw events
 *
 * A span is the time a case spent in one stage: from the event that entered it to the
 * next one. Derivation takes events as they come from a feed or a history fetch — in any
 * order, duplicated, with stages missing — and always gives the same spans for the same
 * set of events:
 *
 *  - events are sorted by time; events at the same time are put in the order the
 *    workflow allows (then by the canonical stage order, which is GwStage's order);
 *  - an event whose id was already seen, or with the stage and time of one already
 *    seen, is a duplicate and dropped (the one sorting first is kept);
 *  - a missing stage is not invented: the span before it just runs to the next event,
 *    and the span after the gap is flagged GW_STAGE_SPAN_UNEXPECTED.
 *
 * Deadlines: a base deadline applies from receipt; an event carrying a deadline (an
 * extension, a dispatch with a time limit) moves it from that event's time on. A case
 * is late at t when it is open at t and t is past the deadline in force at t. The clock
 * stops while a case is closed (closed or evaluated), and only then.
 *
 * The spans are immutable and own their strings; share them by reference.
 */
#pragma once

#include <glib-object.h>

#include "gw-incident.h"
#include "gw-incident-class.h"

G_BEGIN_DECLS

#define GW_TYPE_STAGE_SPANS (gw_stage_spans_get_type ())

typedef enum {
  /* The workflow does not allow this stage after the previous one (or the case does
   * not start with "received"): a stage is probably missing before it. */
  GW_STAGE_SPAN_UNEXPECTED = 1 << 0,
  /* The department was not on this event; it is the one in force since an earlier one. */
  GW_STAGE_SPAN_INHERITED_DEPARTMENT = 1 << 1,
} GwStageSpanFlags;

typedef struct {
  GwStage     stage;
  guint       flags;       /* GwStageSpanFlags */
  GwTime      start;       /* time of the event that entered the stage */
  GwTime      end;         /* start of the next span; GW_TIME_NONE for the last one */
  GwTime      deadline;    /* deadline in force during the span, GW_TIME_NONE if unknown */
  GwTime      closed_at;   /* closed stages: when the case last became closed; else NONE */
  GwTime      dwell;       /* end - start; 0 for the last span (see _dwell_at) */
  GwTime      late;        /* the part of the dwell past the deadline (see _late_at) */
  const char *department;  /* may be NULL */
  const char *actor;       /* may be NULL */
  const char *note;        /* may be NULL */
  const char *event_id;    /* may be NULL */
} GwStageSpan;

typedef struct _GwStageSpans GwStageSpans;

GType          gw_stage_spans_get_type   (void) G_GNUC_CONST;

/* Derives the spans of @n_events events (GwStageEvent*, any order; NULL entries and
 * events without a time or with an unknown stage are dropped). @base_deadline applies
 * from receipt until an event carries a deadline; GW_TIME_NONE when unknown. */
GwStageSpans  *gw_stage_spans_new        (GwStageEvent *const *events,
                                          guint                n_events,
                                          GwTime               base_deadline);
/* The spans of @incident's timeline. The base deadline is the incident's deadline when
 * no event carries one (it was never moved); otherwise received_at plus @klass's
 * deadline_hours when @klass is given (may be NULL), else unknown until the first
 * event that carries one: the incident only keeps the latest, extended deadline. */
GwStageSpans  *gw_stage_spans_new_for_incident (const GwIncident      *incident,
                                                const GwIncidentClass *klass);
/* The base deadline gw_stage_spans_new_for_incident() uses. */
GwTime         gw_stage_spans_base_deadline (const GwIncident      *incident,
                                             const GwIncidentClass *klass);

GwStageSpans  *gw_stage_spans_ref        (GwStageSpans *self);
void           gw_stage_spans_unref      (GwStageSpans *self);

guint          gw_stage_spans_get_n_spans (const GwStageSpans *self);
const GwStageSpan *gw_stage_spans_get_span (const GwStageSpans *self,
                                            guint               i);
/* How many input events were dropped as duplicates or invalid. */
guint          gw_stage_spans_get_n_dropped (const GwStageSpans *self);
/* The union of every span's flags. */
guint          gw_stage_spans_get_flags  (const GwStageSpans *self);
/* Start of the first span (receipt), or GW_TIME_NONE when there are no spans. */
GwTime         gw_stage_spans_get_start  (const GwStageSpans *self);
/* Whether the last stage is open (not closed or evaluated). */
gboolean       gw_stage_spans_is_open    (const GwStageSpans *self);

/* The span in force at @t, or -1 before the first event. Exactly at an event's time
 * its span is in force. */
int            gw_stage_spans_index_at   (const GwStageSpans *self,
                                          GwTime              t);
/* The stage in force at @t; FALSE before receipt (the case does not exist yet). */
gboolean       gw_stage_spans_stage_at   (const GwStageSpans *self,
                                          GwTime              t,
                                          GwStage            *stage);
/* The deadline in force at @t; GW_TIME_NONE before receipt or when unknown. */
GwTime         gw_stage_spans_deadline_at (const GwStageSpans *self,
                                           GwTime              t);
/* Open at @t and past the deadline in force at @t. */
gboolean       gw_stage_spans_is_late_at (const GwStageSpans *self,
                                          GwTime              t);
/* When the case last became closed, if it is closed at @t; else GW_TIME_NONE. */
GwTime         gw_stage_spans_closed_at  (const GwStageSpans *self,
                                          GwTime              t);
/* Span @i's dwell and late part as seen at @now: a finished span gives its fixed
 * values; the open last span of an open case grows until @now; the last span of a
 * closed case has none. */
GwTime         gw_stage_spans_dwell_at   (const GwStageSpans *self,
                                          guint               i,
                                          GwTime              now);
GwTime         gw_stage_spans_late_at    (const GwStageSpans *self,
                                          guint               i,
                                          GwTime              now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwStageSpans, gw_stage_spans_unref)

G_END_DECLS
