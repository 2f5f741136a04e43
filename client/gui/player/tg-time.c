/* tg-time.c — position labels; see tg-time.h. */
#include "tg-time.h"

char *
tg_time_format (gint64 ms)
{
  ms = MAX (ms, 0);
  gint64 s = ms / 1000;
  int frac = (int) (ms % 1000);
  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d.%03d", s / 3600, (int) (s / 60 % 60),
                            (int) (s % 60), frac);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d.%03d", s / 60, (int) (s % 60), frac);
}
