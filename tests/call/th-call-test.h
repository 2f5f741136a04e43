/* th-call-test.h — what the call engine tests share: waiting on the main
 * context with a bound, engines made and started with test sources, and
 * reading their counters and the picture that arrived. */
#pragma once

#include "tc-call.h"

G_BEGIN_DECLS

/* Iterates the default main context until @cond holds; after @seconds
 * prints every call made by th_call_test_make() and fails the test. */
#define TH_WAIT_FOR(cond, seconds)                                                \
  G_STMT_START {                                                                  \
    gint64 end_ = g_get_monotonic_time () + (seconds) * G_TIME_SPAN_SECOND;       \
    while (!(cond))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > end_)                                       \
          {                                                                       \
            th_call_test_dump ();                                                 \
            g_error ("timed out waiting for %s", #cond);                          \
          }                                                                       \
        g_main_context_iteration (NULL, FALSE);                                   \
        g_usleep (1000);                                                          \
      }                                                                           \
  } G_STMT_END

/* Iterates the default main context for @ms. */
void        th_call_test_spin   (guint        ms);

/* A started engine sending @video and @audio (specs as in TcCallOptions)
 * at 320×240, 30 fps; @codecs NULL for the default list. */
TcCall     *th_call_test_make   (const char  *video,
                                 const char  *audio,
                                 gboolean     polite,
                                 const char  *codecs,
                                 gboolean     loopback_only);

/* State and counters of every live call made here, on stderr. */
void        th_call_test_dump   (void);

TcCallStats th_call_test_stats  (TcCall      *call);
guint64     th_call_test_frames (TcCall      *call);   /* remote video frames decoded */

/* The colour at the centre of the last remote frame: 'r', 'g', 'b' or '?'. */
char        th_call_test_colour (TcCall      *call);

G_END_DECLS
