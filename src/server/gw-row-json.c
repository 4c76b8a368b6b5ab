/* gw-row-json.c — an incident's JSON written straight into a buffer
 *
 * Mirrors build_incident() in gw-codec.c member for member and JsonGenerator's
 * compact output byte for byte; a change to either must be made here too. The
 * database cross-checks a sample of rows against the codec, so a divergence shows up
 * as a critical warning rather than as different stored JSON.
 */
#include "gw-row-json.h"

#include <math.h>
#include <string.h>

#include "gw-enums.h"

/* A string as JsonGenerator writes it: only quote and backslash need escaping once
 * control characters are ruled out (JSON-GLib versions disagree on how to write
 * those, so they are the codec's business). */
static gboolean
put_string (GString *out, const char *s)
{
  const char *run;

  if (s == NULL)
    {
      g_string_append_len (out, "null", 4);
      return TRUE;
    }
  g_string_append_c (out, '"');
  for (run = s; *s != '\0'; s++)
    {
      if ((guchar) *s < 0x20 || *s == 0x7f)
        return FALSE;
      if (*s == '"' || *s == '\\')
        {
          g_string_append_len (out, run, s - run);
          g_string_append_c (out, '\\');
          run = s;
        }
    }
  g_string_append_len (out, run, s - run);
  g_string_append_c (out, '"');
  return TRUE;
}

/* "name":"value" after @prefix, the punctuation that goes before the name. */
static gboolean
put_member (GString *out, const char *prefix_and_name, const char *value)
{
  g_string_append (out, prefix_and_name);
  return put_string (out, value);
}

/* The date part of the last day formatted: an incident's times mostly fall on a day
 * or two, so the calendar arithmetic is left to gw_time_format() once a day and only
 * the time of day is written here. */
typedef struct {
  gint64 day;
  char   date[10];   /* "YYYY-MM-DD" */
} DayCache;

static char *
put_digits (char *p, int value, int n)
{
  for (int i = n - 1; i >= 0; i--, value /= 10)
    p[i] = (char) ('0' + value % 10);
  return p + n;
}

static gboolean
put_time (GString *out, const char *prefix_and_name, GwTime t, DayCache *cache)
{
  gint64 day = t / GW_USEC_PER_SEC / 86400;
  int sod = (int) (t / GW_USEC_PER_SEC % 86400);
  int usec = (int) (t % GW_USEC_PER_SEC);
  char text[32], *p = text;

  g_string_append (out, prefix_and_name);
  if (t == GW_TIME_NONE)
    {
      g_string_append_len (out, "null", 4);
      return TRUE;
    }
  if (t < 0 || day != cache->day)
    {
      g_autofree char *full = gw_time_format (t);

      /* Before 1970 or after 9999 the general case is all there is. */
      if (t < 0 || strlen (full) < 20 || full[10] != 'T')
        return put_string (out, full);
      memcpy (cache->date, full, sizeof cache->date);
      cache->day = day;
    }

  /* "YYYY-MM-DDThh:mm:ss[.ffffff]Z", as gw_time_format() writes it. */
  *p++ = '"';
  memcpy (p, cache->date, sizeof cache->date);
  p += sizeof cache->date;
  *p++ = 'T';
  p = put_digits (p, sod / 3600, 2);
  *p++ = ':';
  p = put_digits (p, sod / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, sod % 60, 2);
  if (usec != 0)
    {
      *p++ = '.';
      p = put_digits (p, usec, 6);
    }
  *p++ = 'Z';
  *p++ = '"';
  g_string_append_len (out, text, p - text);
  return TRUE;
}

/* %.17g like JsonGenerator. Numbers without a decimal point ("1", "1e+21") get ".0"
 * appended by some JSON-GLib versions, even after an exponent, so they are refused. */
static gboolean
put_double (GString *out, const char *prefix_and_name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (buf, sizeof buf, value);
  g_string_append (out, prefix_and_name);
  g_string_append (out, buf);
  return isfinite (value) && strchr (buf, '.') != NULL;
}

static gboolean
put_event (GString *out, const GwStageEvent *ev, DayCache *cache)
{
  if (!(put_member (out, "{\"id\":", ev->id) &&
        put_member (out, ",\"stage\":", gw_stage_to_string (ev->stage)) &&
        put_time (out, ",\"time\":", ev->time, cache) &&
        put_member (out, ",\"actor\":", ev->actor) &&
        put_member (out, ",\"department\":", ev->department) &&
        put_member (out, ",\"note\":", ev->note) &&
        put_time (out, ",\"deadline\":", ev->deadline, cache)))
    return FALSE;
  g_string_append_c (out, '}');
  return TRUE;
}

gboolean
gw_row_json_incident (GString          *out,
                      const GwIncident *inc,
                      gboolean          with_personal)
{
  DayCache cache = { G_MININT64, "" };

  g_return_val_if_fail (out != NULL && inc != NULL, FALSE);

  if (!(put_member (out, "{\"id\":", inc->id) &&
        put_member (out, ",\"title\":", inc->title) &&
        put_member (out, ",\"description\":", inc->description) &&
        put_member (out, ",\"class\":", inc->class_code) &&
        put_member (out, ",\"source\":", gw_source_to_string (inc->source)) &&
        put_member (out, ",\"priority\":", gw_priority_to_string (inc->priority)) &&
        put_double (out, ",\"location\":{\"lon\":", inc->lon) &&
        put_double (out, ",\"lat\":", inc->lat) &&
        put_member (out, "},\"address\":", inc->address) &&
        put_member (out, ",\"cell\":", inc->cell_code) &&
        put_member (out, ",\"department\":", inc->department) &&
        put_member (out, ",\"stage\":", gw_stage_to_string (inc->stage)) &&
        put_member (out, ",\"status\":", gw_stage_is_closed (inc->stage) ? "closed" : "open") &&
        put_time (out, ",\"received_at\":", inc->received_at, &cache) &&
        put_time (out, ",\"deadline\":", inc->deadline, &cache) &&
        put_time (out, ",\"closed_at\":", inc->closed_at, &cache) &&
        put_time (out, ",\"updated_at\":", inc->updated_at, &cache)))
    return FALSE;
  g_string_append_printf (out, ",\"seq\":%" G_GINT64_FORMAT, inc->seq);

  if (with_personal)
    {
      if (inc->reporter_name == NULL && inc->reporter_phone == NULL)
        g_string_append (out, ",\"reporter\":null");
      else if (!put_member (out, ",\"reporter\":{\"name\":", inc->reporter_name) ||
               !put_member (out, ",\"phone\":", inc->reporter_phone))
        return FALSE;
      else
        g_string_append_c (out, '}');
    }

  if (!inc->visited)
    g_string_append (out, ",\"visit\":null");
  else
    {
      g_string_append (out, inc->visit_contacted ? ",\"visit\":{\"contacted\":true"
                                                 : ",\"visit\":{\"contacted\":false");
      g_string_append (out, inc->visit_resolved ? ",\"resolved\":true" : ",\"resolved\":false");
      if (!put_member (out, ",\"satisfaction\":", gw_satisfaction_to_string (inc->satisfaction)))
        return FALSE;
      g_string_append_c (out, '}');
    }

  g_string_append (out, ",\"timeline\":[");
  for (guint i = 0; i < inc->timeline->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (!put_event (out, g_ptr_array_index (inc->timeline, i), &cache))
        return FALSE;
    }
  g_string_append (out, "]}");
  return TRUE;
}
