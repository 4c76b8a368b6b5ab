/* gw-rng.h — the simulator's own random numbers
 *
 * xoshiro256** seeded through splitmix64, plus the few distributions the street needs.
 * Never g_random: the same seed and stream must give the same numbers on every
 * platform and GLib version, so one seed always plays the same street.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
} GwRng;

/* Independent streams of one seed: the live simulation and the history each draw from
 * their own, so one does not shift the other. */
void     gw_rng_seed        (GwRng        *rng,
                             guint64       seed,
                             guint64       stream);
guint64  gw_rng_next        (GwRng        *rng);
/* Uniform in [0, 1). */
double   gw_rng_uniform     (GwRng        *rng);
gboolean gw_rng_chance      (GwRng        *rng,
                             double        p);
/* Uniform in [0, @n). */
guint    gw_rng_below       (GwRng        *rng,
                             guint         n);
double   gw_rng_normal      (GwRng        *rng);
double   gw_rng_lognormal   (GwRng        *rng,
                             double        median,
                             double        sigma);
double   gw_rng_exponential (GwRng        *rng,
                             double        rate);
/* Index into a cumulative weight table of @n entries. */
guint    gw_rng_weighted    (GwRng        *rng,
                             const double *cumulative,
                             guint         n);

G_END_DECLS
