/* test-time.c — RFC 3339 parsing and formatting */
#include <time.h>

#include "gw-time.h"

/* 2026-11-25T08:00:00Z, computed independently: 20782 days after 1970-01-01. */
#define T_2026_11_25_08 ((GwTime) (20782 * G_GINT64_CONSTANT (86400) + 8 * 3600) * G_USEC_PER_SEC)

static GwTime
parse_ok (const char *s)
{
  GwTime t = -1;
  g_assert_true (gw_time_parse_rfc3339 (s, &t));
  return t;
}

static void
test_parse_valid (void)
{
  g_assert_cmpint (parse_ok ("2026-11-25T08:00:00Z"), ==, T_2026_11_25_08);
  g_assert_cmpint (parse_ok ("2026-11-25t08:00:00z"), ==, T_2026_11_25_08);
  g_assert_cmpint (parse_ok ("2026-11-25T16:00:00+08:00"), ==, T_2026_11_25_08);
  g_assert_cmpint (parse_ok ("2026-11-25T03:30:00-04:30"), ==, T_2026_11_25_08);
  g_assert_cmpint (parse_ok ("2026-11-25T08:00:00+00:00"), ==, T_2026_11_25_08);
  g_assert_cmpint (parse_ok ("2026-11-25T08:00:00-00:00"), ==, T_2026_11_25_08);
  g_assert_cmpint (parse_ok ("1970-01-01T00:00:00Z"), ==, 0);
  g_assert_cmpint (parse_ok ("1970-01-01T00:00:01Z"), ==, G_USEC_PER_SEC);
  g_assert_cmpint (parse_ok ("1969-12-31T23:59:59Z"), ==, -G_USEC_PER_SEC);
  /* Fractions: padded to microseconds, extra digits truncated. */
  g_assert_cmpint (parse_ok ("2026-11-25T08:00:00.5Z"), ==, T_2026_11_25_08 + 500000);
  g_assert_cmpint (parse_ok ("2026-11-25T08:00:00.000001Z"), ==, T_2026_11_25_08 + 1);
  g_assert_cmpint (parse_ok ("2026-11-25T08:00:00.1234569Z"), ==, T_2026_11_25_08 + 123456);
  /* Leap days. */
  g_assert_cmpint (parse_ok ("2024-02-29T00:00:00Z") + G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC, ==,
                   parse_ok ("2024-03-01T00:00:00Z"));
  g_assert_cmpint (parse_ok ("2000-02-29T00:00:00Z") + G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC, ==,
                   parse_ok ("2000-03-01T00:00:00Z"));
  g_assert_cmpint (parse_ok ("2025-12-31T23:59:59Z") + G_USEC_PER_SEC, ==,
                   parse_ok ("2026-01-01T00:00:00Z"));
}

static void
test_parse_invalid (void)
{
  const char *bad[] = {
    "", "2026", "2026-11-25", "2026-11-25T08:00:00", "2026-11-25 08:00:00Z",
    "2026-11-25T08:00Z", "2026-11-25T8:00:00Z", "26-11-25T08:00:00Z", "2026-1-25T08:00:00Z",
    "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
    "2026-11-31T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
    "2026-11-25T24:00:00Z", "2026-11-25T08:60:00Z", "2026-11-25T08:00:60Z",
    "2026-11-25T08:00:00.Z", "2026-11-25T08:00:00+0800", "2026-11-25T08:00:00+08",
    "2026-11-25T08:00:00+24:00", "2026-11-25T08:00:00+08:60", "2026-11-25T08:00:00ZZ",
    "2026-11-25T08:00:00Z ", " 2026-11-25T08:00:00Z", "2026-11-25T08:00:00UTC",
    "2026/11/25T08:00:00Z", "+2026-11-25T08:00:00Z", "2026-W48-3T08:00:00Z",
    "2026-11-25T08:00:00,5Z", "2026-11-25T08:00:-1Z",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GwTime t = 42;
      if (gw_time_parse_rfc3339 (bad[i], &t))
        g_error ("accepted '%s'", bad[i]);
      g_assert_cmpint (t, ==, 42);
    }
  g_assert_false (gw_time_parse_rfc3339 (NULL, NULL));
}

static void
test_parse_lenient (void)
{
  GwTime t;
  g_assert_true (gw_time_parse_lenient ("2026-11-25 16:00:00", 8 * 3600, &t));
  g_assert_cmpint (t, ==, T_2026_11_25_08);
  g_assert_true (gw_time_parse_lenient ("2026-11-25T08:00:00", 0, &t));
  g_assert_cmpint (t, ==, T_2026_11_25_08);
  /* An explicit zone wins over the default. */
  g_assert_true (gw_time_parse_lenient ("2026-11-25 08:00:00Z", 8 * 3600, &t));
  g_assert_cmpint (t, ==, T_2026_11_25_08);
  g_assert_true (gw_time_parse_lenient ("2026-11-25 08:00:00.25", 0, &t));
  g_assert_cmpint (t, ==, T_2026_11_25_08 + 250000);
  /* Still a real date. */
  g_assert_false (gw_time_parse_lenient ("2026-02-30 08:00:00", 0, &t));
  g_assert_false (gw_time_parse_lenient ("2026-11-25", 0, &t));
  g_assert_false (gw_time_parse_lenient ("2026-11-25  08:00:00", 0, &t));
  g_assert_false (gw_time_parse_lenient ("2026-11-25 08:00", 0, &t));
}

static void
check_format (GwTime t, const char *expected)
{
  g_autofree char *s = gw_time_format (t);
  g_assert_cmpstr (s, ==, expected);
}

static void
test_format (void)
{
  check_format (T_2026_11_25_08, "2026-11-25T08:00:00Z");
  check_format (T_2026_11_25_08 + 1, "2026-11-25T08:00:00.000001Z");
  check_format (T_2026_11_25_08 + 500000, "2026-11-25T08:00:00.500000Z");
  check_format (0, "1970-01-01T00:00:00Z");
  check_format (-1, "1969-12-31T23:59:59.999999Z");
  check_format (parse_ok ("2024-02-29T23:59:59+08:00"), "2024-02-29T15:59:59Z");
  check_format (parse_ok ("2000-01-01T00:00:00+01:00"), "1999-12-31T23:00:00Z");
}

/* Formatting then parsing gives the same time, across eras and odd offsets. */
static void
test_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  for (int i = 0; i < 20000; i++)
    {
      /* Years 0001..9999. */
      GwTime t = (GwTime) (g_rand_double (rand) * 315537897599.0 - 62135596800.0) * G_USEC_PER_SEC;
      if (i % 2)
        t += g_rand_int_range (rand, 0, G_USEC_PER_SEC);
      g_autofree char *s = gw_time_format (t);
      GwTime back = 0;
      if (!gw_time_parse_rfc3339 (s, &back) || back != t)
        g_error ("%" G_GINT64_FORMAT " -> %s -> %" G_GINT64_FORMAT, t, s, back);
    }
  g_rand_free (rand);
}

/* Cross-check against GDateTime for dates GLib also handles. */
static void
test_against_gdatetime (void)
{
  GRand *rand = g_rand_new_with_seed (11);
  for (int i = 0; i < 2000; i++)
    {
      gint64 secs = g_rand_int_range (rand, 0, G_MAXINT32) * (gint64) 2;
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (secs);
      g_autofree char *s = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+05:30");
      GwTime t;
      g_assert_true (gw_time_parse_rfc3339 (s, &t));
      g_assert_cmpint (t, ==, (secs - 5 * 3600 - 30 * 60) * G_USEC_PER_SEC);
    }
  g_rand_free (rand);
}

static void
test_now (void)
{
  GwTime before = g_get_real_time ();
  GwTime now = gw_time_now ();
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now - before, <, 60 * G_USEC_PER_SEC);
}

/* Local midnight, in a fixed zone and across a daylight-saving change. */
static void
test_local_day_start (void)
{
  GwTime t, start;

  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  tzset ();
  t = parse_ok ("2026-12-03T01:30:00+08:00");
  start = parse_ok ("2026-12-03T00:00:00+08:00");
  g_assert_cmpint (gw_time_local_day_start (t), ==, start);
  g_assert_cmpint (gw_time_local_day_start (start), ==, start);
  /* 23:59 UTC on the 2nd is the 3rd in Beijing. */
  t = parse_ok ("2026-12-02T23:59:00Z");
  g_assert_cmpint (gw_time_local_day_start (t), ==, start);

  g_setenv ("TZ", "Europe/Helsinki", TRUE);
  tzset ();
  /* The clocks went forward at 03:00 that night: the day still starts at 00:00 +02:00. */
  t = parse_ok ("2026-03-29T12:00:00+03:00");
  start = parse_ok ("2026-03-29T00:00:00+02:00");
  g_assert_cmpint (gw_time_local_day_start (t), ==, start);
  g_unsetenv ("TZ");
  tzset ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time/parse/valid", test_parse_valid);
  g_test_add_func ("/time/parse/invalid", test_parse_invalid);
  g_test_add_func ("/time/parse/lenient", test_parse_lenient);
  g_test_add_func ("/time/local-day-start", test_local_day_start);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/round-trip", test_round_trip);
  g_test_add_func ("/time/gdatetime", test_against_gdatetime);
  g_test_add_func ("/time/now", test_now);
  return g_test_run ();
}
