/* tg-time.h — positions in a video as the player shows them: "m:ss.fff"
 * (and "h:mm:ss.fff" from one hour on), always with milliseconds so that
 * consecutive frames read differently.  Pure code. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @ms as "m:ss.fff"; negative values read as 0.  Free with g_free(). */
char *tg_time_format (gint64 ms);

G_END_DECLS
