/* gw-simulator.h — plays a realistic street into a GwDispatchDb
 *
 * Cases arrive at hourly rates; departments respond after their own delay
 * distributions; some cases turn late, are reworked, extended or parked. The
 * simulated clock starts at the real time and runs @speed times faster; the same
 * seed gives the same street, the same cases and the same timelines.
 */
#pragma once

#include <glib-object.h>

#include "gw-dispatch-db.h"

G_BEGIN_DECLS

#define GW_TYPE_SIMULATOR (gw_simulator_get_type ())
G_DECLARE_FINAL_TYPE (GwSimulator, gw_simulator, GW, SIMULATOR, GObject)

GwSimulator *gw_simulator_new       (GwDispatchDb *db,
                                     guint64       seed,
                                     double        speed);
/* Loads the street's reference data into the database if it has none. */
gboolean     gw_simulator_prepare   (GwSimulator  *self,
                                     GError      **error);
/* Writes @days of closed (and still-open) history ending at the simulated now, in
 * batched transactions. */
gboolean     gw_simulator_backfill  (GwSimulator  *self,
                                     guint         days,
                                     GError      **error);
/* Advances the simulation from a main-loop timer until stopped. */
void         gw_simulator_start     (GwSimulator  *self);
void         gw_simulator_stop      (GwSimulator  *self);
/* The simulated clock: what the database stamps writes with while running. */
GwTime       gw_simulator_now       (GwSimulator  *self);
/* Runs the simulation up to simulated time @until at once (tests, benchmarks). */
gboolean     gw_simulator_advance   (GwSimulator  *self,
                                     GwTime        until,
                                     GError      **error);

/* Sets the simulated now while stopped, e.g. to make a run reproducible; the arrival
 * stream restarts from there. Call it before back-filling or advancing. */
void         gw_simulator_set_time      (GwSimulator  *self,
                                         GwTime        now);
/* 1 to 3600 times real time; changing it while running keeps the clock continuous. */
double       gw_simulator_get_speed     (GwSimulator  *self);
void         gw_simulator_set_speed     (GwSimulator  *self,
                                         double        speed);
/* How many cases the simulator is still playing (open cases with planned events). */
guint        gw_simulator_get_n_pending (GwSimulator  *self);

G_END_DECLS
