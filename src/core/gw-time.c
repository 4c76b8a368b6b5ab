/* gw-time.c — RFC 3339 parsing and formatting, by hand
 *
 * GDateTime accepts more than RFC 3339 (ISO 8601 week dates, missing zones, ...);
 * the wire format wants exactly one shape, so the parser is written out.
 */
#include "gw-time.h"

#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static gint64
days_from_civil (gint64 y, int m, int d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void
gw_time_civil_from_days (gint64 z, gint64 *y, int *m, int *d)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month (gint64 y, int m)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly @n digits; no sign, no spaces. */
static gboolean
read_digits (const char **p, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      char c = (*p)[i];
      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (c - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

static gboolean
expect (const char **p, char c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
parse (const char *str, gboolean lenient, int default_offset_sec, GwTime *out)
{
  const char *p = str;
  int year, mon, day, hour, min, sec, usec = 0, offset;

  if (str == NULL)
    return FALSE;
  if (!read_digits (&p, 4, &year) || !expect (&p, '-') ||
      !read_digits (&p, 2, &mon) || !expect (&p, '-') ||
      !read_digits (&p, 2, &day))
    return FALSE;
  /* RFC 3339 §5.6 allows a lower-case 't' and 'z'. */
  if (*p == 'T' || *p == 't' || (lenient && *p == ' '))
    p++;
  else
    return FALSE;
  if (!read_digits (&p, 2, &hour) || !expect (&p, ':') ||
      !read_digits (&p, 2, &min) || !expect (&p, ':') ||
      !read_digits (&p, 2, &sec))
    return FALSE;

  if (*p == '.')
    {
      int n = 0;
      p++;
      if (*p < '0' || *p > '9')
        return FALSE;
      /* Digits past microseconds are dropped (truncation, not rounding). */
      for (; *p >= '0' && *p <= '9'; p++, n++)
        if (n < 6)
          usec = usec * 10 + (*p - '0');
      for (; n < 6; n++)
        usec *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    {
      offset = 0;
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1, oh, om;
      p++;
      if (!read_digits (&p, 2, &oh) || !expect (&p, ':') || !read_digits (&p, 2, &om) ||
          oh > 23 || om > 59)
        return FALSE;
      offset = sign * (oh * 3600 + om * 60);
    }
  else if (lenient && *p == '\0')
    offset = default_offset_sec;
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;
  /* Leap seconds (:60) are refused: a microsecond count cannot represent them. */
  if (mon < 1 || mon > 12 || day < 1 || day > days_in_month (year, mon) ||
      hour > 23 || min > 59 || sec > 59)
    return FALSE;

  gint64 secs = days_from_civil (year, mon, day) * 86400 + hour * 3600 + min * 60 + sec
                - offset;
  if (out != NULL)
    *out = secs * G_USEC_PER_SEC + usec;
  return TRUE;
}

gboolean
gw_time_parse_rfc3339 (const char *str, GwTime *out)
{
  return parse (str, FALSE, 0, out);
}

gboolean
gw_time_parse_lenient (const char *str, int default_offset_sec, GwTime *out)
{
  return parse (str, TRUE, default_offset_sec, out);
}

char *
gw_time_format (GwTime t)
{
  /* Floor division, so times before 1970 still format correctly. */
  gint64 secs = t / G_USEC_PER_SEC, usec = t % G_USEC_PER_SEC;
  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      secs--;
    }
  gint64 days = secs / 86400, sod = secs % 86400;
  if (sod < 0)
    {
      sod += 86400;
      days--;
    }
  gint64 y;
  int m, d;
  gw_time_civil_from_days (days, &y, &m, &d);

  int hh = (int) (sod / 3600), mm = (int) (sod / 60 % 60), ss = (int) (sod % 60);
  if (usec != 0)
    return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d.%06dZ",
                            y, m, d, hh, mm, ss, (int) usec);
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02dZ",
                          y, m, d, hh, mm, ss);
}

GwTime
gw_time_now (void)
{
  return g_get_real_time ();
}

GwTime
gw_time_local_day_start (GwTime t)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local),
                                                         0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}
