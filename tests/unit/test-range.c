/* test-range.c — reading HTTP Range headers for the playback route: the
 * three single-range forms, clamping, what is ignored (several ranges,
 * other units, garbage) and what is unsatisfiable (416). */
#include "api/sd-api-stream.h"

static void
check (const char *header,
       goffset     total,
       SdApiRange  expect,
       goffset     start,
       goffset     end)
{
  goffset s = -1, e = -1;
  SdApiRange got = sd_api_parse_range (header, total, &s, &e);
  if (got != expect)
    g_error ("“%s” of %" G_GOFFSET_FORMAT ": got %d, expected %d", header, total, got, expect);
  if (expect == SD_API_RANGE_OK)
    {
      g_assert_cmpint (s, ==, start);
      g_assert_cmpint (e, ==, end);
    }
}

static void
test_ranges (void)
{
  check ("bytes=0-99", 1000, SD_API_RANGE_OK, 0, 99);
  check ("bytes=500-", 1000, SD_API_RANGE_OK, 500, 999);
  check ("bytes=-100", 1000, SD_API_RANGE_OK, 900, 999);
  check ("bytes=-5000", 1000, SD_API_RANGE_OK, 0, 999);
  check ("bytes=900-5000", 1000, SD_API_RANGE_OK, 900, 999);    /* clamped */
  check ("bytes=999-999", 1000, SD_API_RANGE_OK, 999, 999);
  check (" bytes = 10 - 20", 1000, SD_API_RANGE_NONE, 0, 0);     /* "bytes =" is not "bytes=" */
  check ("bytes= 10 - 20 ", 1000, SD_API_RANGE_OK, 10, 20);
  check ("bytes=1000-", 1000, SD_API_RANGE_UNSATISFIABLE, 0, 0);
  check ("bytes=5000-6000", 1000, SD_API_RANGE_UNSATISFIABLE, 0, 0);
  check ("bytes=-0", 1000, SD_API_RANGE_UNSATISFIABLE, 0, 0);
  check (NULL, 1000, SD_API_RANGE_NONE, 0, 0);
  check ("bytes=0-1,5-6", 1000, SD_API_RANGE_NONE, 0, 0);
  check ("items=0-1", 1000, SD_API_RANGE_NONE, 0, 0);
  check ("bytes=20-10", 1000, SD_API_RANGE_NONE, 0, 0);
  check ("bytes=a-b", 1000, SD_API_RANGE_NONE, 0, 0);
  check ("bytes=-", 1000, SD_API_RANGE_NONE, 0, 0);
  check ("bytes=0-99999999999999999999999", 1000, SD_API_RANGE_NONE, 0, 0);
  check ("bytes=0-1", 0, SD_API_RANGE_NONE, 0, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/range/parse", test_ranges);
  return g_test_run ();
}
