/* sd-call-window.h — when a booking's call may be joined.
 *
 * The connect window of a booking [start, end) with window W is
 * [start - W, end): it opens W before the session starts and closes when
 * the session ends.  Pure arithmetic, so the unit test pins the edges. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SD_CALL_WINDOW_OPEN,
  SD_CALL_WINDOW_TOO_EARLY,   /* now < start - window */
  SD_CALL_WINDOW_ENDED,       /* now >= end */
} SdCallWindow;

static inline SdCallWindow
sd_call_window_check (gint64 start,
                      gint64 end,
                      gint64 window,
                      gint64 now)
{
  if (now < start - window)
    return SD_CALL_WINDOW_TOO_EARLY;
  if (now >= end)
    return SD_CALL_WINDOW_ENDED;
  return SD_CALL_WINDOW_OPEN;
}

G_END_DECLS
