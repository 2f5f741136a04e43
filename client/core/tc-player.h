/* tc-player.h — plays a video URL with GStreamer's playbin: in a window of
 * its own (autovideosink) where there is a display, or decoding every
 * frame as fast as it can without showing anything, to check that a
 * stream plays (the terminal client's `play --no-window`, and tests).
 *
 * Blocking: tc_player_run() returns at the end of the stream, when the
 * window is closed, on an error or when its cancellable fires.  No GTK. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a run saw. */
typedef struct {
  guint64 video_frames;  /* video frames that reached the sink */
  gint64 duration_ms;    /* the stream's duration, -1 when unknown */
  int width;             /* of the decoded video, 0 when none */
  int height;
  gboolean has_audio;    /* an audio stream was decoded */
} TcPlayerReport;

#define TC_TYPE_PLAYER (tc_player_get_type ())

G_DECLARE_FINAL_TYPE (TcPlayer, tc_player, TC, PLAYER, GObject)

/* A player for @uri (http, https or file).  With @window FALSE nothing is
 * shown or heard: frames are decoded and counted.  Fails (G_IO_ERROR) when
 * GStreamer or playbin is missing. */
TcPlayer   *tc_player_new (const char      *uri,
                           gboolean         window,
                           GError         **error);

/* Plays to the end.  Fills @report (may be NULL) also on failure.  Fails
 * with GStreamer's error (prefixed with what failed) or
 * G_IO_ERROR_CANCELLED. */
gboolean    tc_player_run (TcPlayer        *self,
                           GCancellable    *cancellable,
                           TcPlayerReport  *report,
                           GError         **error);

G_END_DECLS
