/* gw-case-planner.h — how the simulated street behaves, one case at a time
 *
 * When cases arrive (hourly rates, quieter weekends), what they are (source, class,
 * cell, reporter, by time of day) and the whole life each one will have: the
 * department's response, rework, extensions, parking, closing, evaluation and appeals,
 * drawn from per-department distributions. The live simulation and the history
 * back-fill both plan through it, so live and historical cases look alike.
 *
 * Every draw comes from the caller's GwRng, in a fixed order, so the same stream gives
 * the same cases.
 */
#pragma once

#include <glib.h>

#include "gw-dispatch-db.h"
#include "gw-rng.h"

G_BEGIN_DECLS

/* The street keeps Beijing time: rates, watches and case ids follow its clock. */
#define GW_BEIJING_OFFSET_SEC (8 * 3600)

/* Simulated times are whole seconds, like every time the database stores. */
static inline GwTime
gw_case_whole_seconds (GwTime t)
{
  return t - t % GW_USEC_PER_SEC;
}

/* The next arrival after @t: a Poisson process following the street's hourly rates. */
GwTime         gw_case_next_arrival      (GwRng                  *rng,
                                          GwTime                  t);

typedef struct _GwCasePlanner GwCasePlanner;

/* Takes the database's cells, classes and departments as they are now: a deployment
 * may have its own, and those are then played with default behaviour. Fails when one
 * of them is empty. */
GwCasePlanner *gw_case_planner_new       (GwDispatchDb           *db,
                                          GError                **error);
void           gw_case_planner_free      (GwCasePlanner          *self);

/* A case arriving at @t as a reporter would file it under @id (taken), plus what the
 * planner needs: its cell, department and deadline. */
GwIncident    *gw_case_planner_draft     (GwCasePlanner          *self,
                                          GwRng                  *rng,
                                          GwTime                  t,
                                          char                   *id,
                                          const GwIncidentClass **klass_out);
/* The whole life of a drafted case, received event first (GwStageEvent*).
 * *@reworked tells whether it was ever sent back for rework. */
GPtrArray     *gw_case_planner_plan      (GwCasePlanner          *self,
                                          GwRng                  *rng,
                                          GwIncident             *incident,
                                          const GwIncidentClass  *klass,
                                          gboolean               *reworked);
/* The 12345 return visit of a closed hotline case. */
void           gw_case_planner_visit     (GwRng                  *rng,
                                          GwIncident             *incident,
                                          gboolean                reworked);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwCasePlanner, gw_case_planner_free)

G_END_DECLS
