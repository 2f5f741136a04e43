/* test-ordered-id.c — sd_api_ordered_id(): valid version-7 UUIDs that sort
 * as text in the order they were made, even many in one millisecond. */
#include "api/sd-api.h"

#include <string.h>

static void
test_ordered (void)
{
  g_autofree char *previous = NULL;
  gint64 before_ms = g_get_real_time () / 1000;
  for (guint i = 0; i < 20000; i++)
    {
      char *id = sd_api_ordered_id ();
      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpint (id[14], ==, '7');                      /* version */
      g_assert_nonnull (strchr ("89ab", id[19]));             /* variant */
      for (const char *p = id; *p != '\0'; p++)
        g_assert_false (g_ascii_isupper (*p));
      if (previous != NULL && strcmp (previous, id) >= 0)
        g_error ("%s made after %s sorts before it", id, previous);
      g_free (previous);
      previous = id;
    }
  /* The first 48 bits are the time in milliseconds. */
  g_autofree char *hex = g_strndup (previous, 8);
  g_autofree char *hex2 = g_strndup (previous + 9, 4);
  g_autofree char *all = g_strconcat (hex, hex2, NULL);
  gint64 ms = (gint64) g_ascii_strtoull (all, NULL, 16);
  g_assert_cmpint (ms, >=, before_ms);
  g_assert_cmpint (ms, <=, g_get_real_time () / 1000 + 10);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/OrderedId/ordered", test_ordered);
  return g_test_run ();
}
