/* test-cli-progress.c — the upload progress line: sizes, times, and a bar
 * that fits the terminal whatever the name. */
#include "tc-cli.h"

#include <string.h>

static void
test_format (void)
{
  g_autofree char *zero = tc_cli_format_duration (0);
  g_autofree char *minute = tc_cli_format_duration (65);
  g_autofree char *hours = tc_cli_format_duration (3723);
  g_autofree char *unknown = tc_cli_format_duration (-1);
  g_autofree char *mib = tc_cli_format_size (12 * 1024 * 1024 + 300 * 1024);

  g_assert_cmpstr (zero, ==, "0:00");
  g_assert_cmpstr (minute, ==, "1:05");
  g_assert_cmpstr (hours, ==, "1:02:03");
  g_assert_cmpstr (unknown, ==, "--:--");
  g_assert_cmpstr (mib, ==, "12.3 MiB");
}

/* Terminal columns: CJK characters take two. */
static guint
columns (const char *text)
{
  guint n = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    n += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return n;
}

static void
test_line_fits (void)
{
  const char *names[] = { "a.webm", "a rather long name of a training video, first half.mp4", "日本語の動画.webm" };

  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    for (guint width = 60; width <= 200; width += 7)
      {
        g_autofree char *line = tc_cli_progress_line (names[n], 4 * 1024 * 1024, 10 * 1024 * 1024,
                                                      1.5 * 1024 * 1024, 4, width);
        g_assert_cmpuint (columns (line), <=, width);
        g_assert_nonnull (strstr (line, " 40%"));
        g_assert_nonnull (strstr (line, "4.0 MiB / 10.0 MiB"));
        g_assert_nonnull (strstr (line, "1.5 MiB/s"));
        g_assert_nonnull (strstr (line, "ETA 0:04"));
      }
}

static void
test_line_bar (void)
{
  g_autofree char *half = tc_cli_progress_line ("x.webm", 50, 100, 0, -1, 80);
  const char *open = strchr (half, '[');
  const char *close = strchr (half, ']');
  g_assert_nonnull (open);
  g_assert_nonnull (close);
  gsize filled = 0, empty = 0;
  for (const char *p = open + 1; p < close; p++)
    *p == '#' ? filled++ : empty++;
  g_assert_cmpuint (filled, ==, (filled + empty) / 2);
  /* Unknown rate and time. */
  g_assert_nonnull (strstr (half, "--/s"));
  g_assert_nonnull (strstr (half, "ETA --:--"));

  /* Plain lines: the whole name, no bar. */
  g_autofree char *plain = tc_cli_progress_line ("a rather long name of a training video.mp4", 100, 100, 10, 0, 0);
  g_assert_true (g_str_has_prefix (plain, "a rather long name of a training video.mp4  100%"));
  g_assert_null (strchr (plain, '['));

  /* An empty file is done. */
  g_autofree char *empty_file = tc_cli_progress_line ("e", 0, 0, 0, 0, 60);
  g_assert_nonnull (strstr (empty_file, "100%"));
}

/* Too narrow for everything: still never wider than the terminal. */
static void
test_line_narrow (void)
{
  for (guint width = 1; width < 60; width++)
    {
      g_autofree char *line = tc_cli_progress_line ("日本語の動画.webm", 1, 2, 1, 1, width);
      g_assert_cmpuint (columns (line), <=, width);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Client/Progress/format", test_format);
  g_test_add_func ("/Client/Progress/line-fits", test_line_fits);
  g_test_add_func ("/Client/Progress/line-bar", test_line_bar);
  g_test_add_func ("/Client/Progress/line-narrow", test_line_narrow);
  return g_test_run ();
}
