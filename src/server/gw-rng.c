/* gw-rng.c — the simulator's own random numbers */

#include "gw-rng.h"

#include <math.h>

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
gw_rng_seed (GwRng   *rng,
             guint64  seed,
             guint64  stream)
{
  guint64 state = seed ^ (stream * G_GUINT64_CONSTANT (0xd1342543de82ef95));

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
gw_rng_next (GwRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
gw_rng_uniform (GwRng *rng)
{
  /* The top 53 bits: every double in [0, 1) on a 2^-53 grid, equally likely. */
  return (double) (gw_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

gboolean
gw_rng_chance (GwRng  *rng,
               double  p)
{
  return gw_rng_uniform (rng) < p;
}

guint
gw_rng_below (GwRng *rng,
              guint  n)
{
  return (guint) (gw_rng_uniform (rng) * n);
}

double
gw_rng_normal (GwRng *rng)
{
  double u1 = 1.0 - gw_rng_uniform (rng);  /* (0, 1], so the log is finite */
  double u2 = gw_rng_uniform (rng);

  /* Box–Muller, one value per pair: simpler than caching the second, and the stream
   * stays a plain function of the draws. */
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

double
gw_rng_lognormal (GwRng  *rng,
                  double  median,
                  double  sigma)
{
  return median * exp (sigma * gw_rng_normal (rng));
}

double
gw_rng_exponential (GwRng  *rng,
                    double  rate)
{
  return -log (1.0 - gw_rng_uniform (rng)) / rate;
}

guint
gw_rng_weighted (GwRng        *rng,
                 const double *cumulative,
                 guint         n)
{
  double x = gw_rng_uniform (rng) * cumulative[n - 1];
  guint lo = 0, hi = n - 1;

  /* The first entry above x: binary search, tables can be a few hundred cells long. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}
