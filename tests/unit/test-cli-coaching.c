/* test-cli-coaching.c — the pure helpers of the CLI's coaching commands:
 * reading times people type (in a zone, across DST, dates as whole days),
 * showing API times in a zone, and weekly windows on the command line. */
#include "tc-cli-coaching.h"

static gint64
parse_unix (const char *text, const char *zone_name, gboolean end_of_day)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) t = tc_cli_parse_when ("--x", text, zone, end_of_day, &error);
  g_assert_no_error (error);
  return g_date_time_to_unix (t);
}

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);
  return g_date_time_to_unix (dt);
}

static void
test_parse_when (void)
{
  g_assert_cmpint (parse_unix ("2025-03-10 09:00", "Europe/Berlin", FALSE), ==, utc (2025, 3, 10, 8, 0));
  g_assert_cmpint (parse_unix ("2025-03-10T09:00", "Europe/Berlin", FALSE), ==, utc (2025, 3, 10, 8, 0));
  g_assert_cmpint (parse_unix ("2025-07-10 09:00:30", "Europe/Berlin", FALSE), ==, utc (2025, 7, 10, 7, 0) + 30);
  g_assert_cmpint (parse_unix ("2025-03-10 09:00", "America/New_York", FALSE), ==, utc (2025, 3, 10, 13, 0));
  /* An offset in the text wins over the zone. */
  g_assert_cmpint (parse_unix ("2025-03-10T09:00:00Z", "Europe/Berlin", FALSE), ==, utc (2025, 3, 10, 9, 0));
  g_assert_cmpint (parse_unix ("2025-03-10T09:00:00+05:30", "Europe/Berlin", FALSE), ==, utc (2025, 3, 10, 3, 30));
  /* Dates: the start of the day, or as an end its whole day. */
  g_assert_cmpint (parse_unix ("2025-12-24", "Europe/Berlin", FALSE), ==, utc (2025, 12, 23, 23, 0));
  g_assert_cmpint (parse_unix ("2025-12-26", "Europe/Berlin", TRUE), ==, utc (2025, 12, 26, 23, 0));
  /* The spring-forward day has 23 hours. */
  g_assert_cmpint (parse_unix ("2025-03-30", "Europe/Berlin", TRUE) - parse_unix ("2025-03-30", "Europe/Berlin", FALSE),
                   ==, 23 * 3600);
  /* 02:30 does not exist that night: it moves forward. */
  gint64 gap = parse_unix ("2025-03-30 02:30", "Europe/Berlin", FALSE);
  g_assert_cmpint (gap, >=, utc (2025, 3, 30, 1, 0));
  g_assert_cmpint (gap, <=, utc (2025, 3, 30, 1, 30));

  const char *bad[] = { NULL, "", "tomorrow", "2025-13-01", "2025-02-30", "2025-03-10 25:00",
                        "2025-03-10 09", "2025-03-10 09:60", "10.03.2025 09:00", "2025-03-10 09:00 x",
                        "2025-3-10" };
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) t = tc_cli_parse_when ("--from", bad[i], zone, FALSE, &error);
      g_assert_null (t);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED);
      g_assert_true (g_str_has_prefix (error->message, "--from: "));
    }
}

static void
test_format (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *a = tc_cli_format_in_zone ("2025-03-10T08:00:00Z", berlin, TRUE);
  g_assert_cmpstr (a, ==, "Mon 2025-03-10 09:00");
  g_autofree char *b = tc_cli_format_in_zone ("2025-07-10T08:00:00Z", berlin, FALSE);
  g_assert_cmpstr (b, ==, "10:00");
  /* Sunday night crossing into Monday in the zone. */
  g_autofree char *c = tc_cli_format_in_zone ("2025-03-09T23:30:00Z", berlin, TRUE);
  g_assert_cmpstr (c, ==, "Mon 2025-03-10 00:30");
  g_autofree char *d = tc_cli_format_in_zone ("not a time", berlin, TRUE);
  g_assert_cmpstr (d, ==, "not a time");
  g_assert_null (tc_cli_format_in_zone (NULL, berlin, TRUE));

  g_autoptr(GDateTime) t = g_date_time_new (berlin, 2025, 3, 10, 9, 0, 0);
  g_autofree char *rfc = tc_cli_rfc3339_utc (t);
  g_assert_cmpstr (rfc, ==, "2025-03-10T08:00:00Z");

  g_autofree char *h0 = tc_cli_hhmm (0), *h1 = tc_cli_hhmm (570), *h2 = tc_cli_hhmm (1440);
  g_assert_cmpstr (h0, ==, "00:00");
  g_assert_cmpstr (h1, ==, "09:30");
  g_assert_cmpstr (h2, ==, "24:00");
  g_assert_cmpstr (tc_cli_weekday_name (0, FALSE), ==, "Sunday");
  g_assert_cmpstr (tc_cli_weekday_name (6, TRUE), ==, "Sat");
}

static GArray *
windows (const char *line, GError **error)
{
  g_auto(GStrv) words = g_strsplit (line, " ", -1);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (TandemWindow));
  if (!tc_cli_parse_windows ((int) g_strv_length (words), words, out, error))
    g_clear_pointer (&out, g_array_unref);
  return out;
}

static void
expect_window (GArray *w, guint i, int day, int start, int end)
{
  g_assert_cmpuint (i, <, w->len);
  TandemWindow *x = &g_array_index (w, TandemWindow, i);
  g_assert_cmpint (x->day_of_week, ==, day);
  g_assert_cmpint (x->start_minute, ==, start);
  g_assert_cmpint (x->end_minute, ==, end);
}

static void
test_windows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) a = windows ("mon-fri 09:00-12:00 13:00-17:00 sat 10:00-12:00", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 11);
  expect_window (a, 0, 1, 540, 720);
  expect_window (a, 4, 5, 540, 720);
  expect_window (a, 5, 1, 780, 1020);
  expect_window (a, 10, 6, 600, 720);

  /* Lists, full names, digits, any case, wrapping ranges, past midnight,
   * an en dash, 24:00. */
  g_autoptr(GArray) b = windows ("Monday,wed,5 22:00-02:00 FRI-sun 20:00–24:00", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, ==, 6);
  expect_window (b, 0, 1, 1320, 120);
  expect_window (b, 1, 3, 1320, 120);
  expect_window (b, 2, 5, 1320, 120);
  expect_window (b, 3, 0, 1200, 1440);   /* sun, sorted by day */
  expect_window (b, 4, 5, 1200, 1440);
  expect_window (b, 5, 6, 1200, 1440);

  const char *bad[] = {
    "09:00-12:00",            /* no day */
    "mon",                    /* no range */
    "mon tue 09:00-10:00",    /* mon without range */
    "mon 09:00",              /* not a range */
    "mon 9-12",
    "mon 24:00-01:00",        /* start 24:00 */
    "mon 09:00-25:00",
    "funday 09:00-10:00",
    "mon-xyz 09:00-10:00",
    "7 09:00-10:00",
    "mon,,tue 09:00-10:00",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(GArray) w = windows (bad[i], &e);
      if (w != NULL)
        g_error ("“%s” accepted", bad[i]);
      g_assert_error (e, G_OPTION_ERROR, G_OPTION_ERROR_FAILED);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-coaching/parse-when", test_parse_when);
  g_test_add_func ("/cli-coaching/format", test_format);
  g_test_add_func ("/cli-coaching/windows", test_windows);
  return g_test_run ();
}
