/* gw-time.h — RFC 3339 times as microseconds since the Unix epoch (UTC)
 *
 * 0 means "no time"; every real event is later than 1970.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 GwTime;

#define GW_TIME_NONE ((GwTime) 0)
#define GW_USEC_PER_SEC  G_USEC_PER_SEC
#define GW_USEC_PER_MIN  (G_USEC_PER_SEC * G_GINT64_CONSTANT (60))
#define GW_USEC_PER_HOUR (G_USEC_PER_SEC * G_GINT64_CONSTANT (3600))

/* Strict RFC 3339: a date, 'T', a time, optional fraction and a zone (Z or ±hh:mm).
 * Returns FALSE for anything else. */
gboolean gw_time_parse_rfc3339 (const char *str,
                                GwTime     *out);

/* Lenient parse for outside sources: also accepts a space for 'T' and a missing zone,
 * which is then taken to be @default_offset_sec east of UTC. */
gboolean gw_time_parse_lenient (const char *str,
                                int         default_offset_sec,
                                GwTime     *out);

/* Formats in UTC with 'Z', whole seconds unless there is a fraction (then microseconds). */
char    *gw_time_format        (GwTime      t);

GwTime   gw_time_now           (void);
/* The local midnight that starts the day @t falls in ("today" for counters and filters). */
GwTime   gw_time_local_day_start (GwTime    t);

/* The proleptic Gregorian date of @days since 1970-01-01 (Howard Hinnant's algorithm):
 * far cheaper than a GDateTime when a million dates are written. */
void     gw_time_civil_from_days (gint64  days,
                                  gint64 *year,
                                  int    *month,
                                  int    *day);

G_END_DECLS
