/* test-timecode.c — positions in a video typed as [h:]m:s[.fff] or seconds,
 * and shown back. */
#include "tc-timecode.h"
#include "tandem-error.h"

#include <string.h>

static void
test_parse_valid (void)
{
  static const struct {
    const char *text;
    gint64 ms;
  } cases[] = {
    { "0", 0 },
    { "62", 62000 },
    { "62.5", 62500 },
    { "0.001", 1 },
    { "1:02.5", 62500 },
    { "1:02", 62000 },
    { "01:02.250", 62250 },
    { "0:00", 0 },
    { "75:00", 4500000 },           /* minutes may pass 60 without hours */
    { "1:02:03", 3723000 },
    { "1:02:03.25", 3723250 },
    { "10:00:00.999", 36000999 },
    { " 1:05 ", 65000 },
    { "999:59:59.999", G_GINT64_CONSTANT (3599999999) },
    { "1000:00:00", TC_TIMECODE_MAX_MS },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = -1;
      g_assert_true (tc_timecode_parse (cases[i].text, &ms, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ms, ==, cases[i].ms);
    }
}

static void
test_parse_invalid (void)
{
  static const char *const cases[] = {
    "", " ", "-1", "+1", "1:", ":5", "1::2", "1:60", "1:2:60", "1:60:00", "1:2:3:4",
    "1.", ".5", "1.5.2", "1:02.5x", "a", "1 2", "0x10", "1,5", "1:02.1234",
    "1000:00:00.001", "99999999999999999999", "1e3", "١:٠٢",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = 42;
      g_test_message ("“%s”", cases[i]);
      g_assert_false (tc_timecode_parse (cases[i], &ms, &error));
      g_assert_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION);
      g_assert_cmpint (ms, ==, 42);   /* untouched on failure */
      g_assert_nonnull (strstr (error->message, cases[i]));
    }
}

static void
test_format (void)
{
  static const struct {
    gint64 ms;
    const char *text;
  } cases[] = {
    { 0, "0:00" },
    { 500, "0:00.5" },
    { 62500, "1:02.5" },
    { 62250, "1:02.25" },
    { 62001, "1:02.001" },
    { 599999, "9:59.999" },
    { 3600000, "1:00:00" },
    { 3723250, "1:02:03.25" },
    { 36000999, "10:00:00.999" },
    { -5, "0:00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tc_timecode_format (cases[i].ms);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* What is shown parses back to the same position. */
static void
test_round_trip (void)
{
  for (gint64 ms = 0; ms < 4 * 3600 * 1000; ms += 7919 * 13)
    {
      g_autofree char *text = tc_timecode_format (ms);
      gint64 back = -1;
      g_assert_true (tc_timecode_parse (text, &back, NULL));
      g_assert_cmpint (back, ==, ms);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Client/Timecode/parse-valid", test_parse_valid);
  g_test_add_func ("/Client/Timecode/parse-invalid", test_parse_invalid);
  g_test_add_func ("/Client/Timecode/format", test_format);
  g_test_add_func ("/Client/Timecode/round-trip", test_round_trip);
  return g_test_run ();
}
