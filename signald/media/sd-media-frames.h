/* sd-media-frames.h — single decoded frames of a video file, at chosen
 * positions, scaled to a chosen size (RGB, square pixels): the raw material
 * of thumbnails and timeline strips.
 *
 * One SdMediaFrames is one paused pipeline (filesrc ! decodebin !
 * videoconvert ! videoscale ! appsink); each grab is a flushing seek and a
 * wait for the new preroll frame.  Not thread-safe: use it from one thread. */
#pragma once

#include "media/sd-media.h"

G_BEGIN_DECLS

typedef struct _SdMediaFrames SdMediaFrames;

/* Opens @path and decodes its first frame within @timeout_ms.  @width and
 * @height give the output size; 0 for both keeps the coded size.  Fails
 * like sd_media_probe() (UNREADABLE when no frame decodes). */
SdMediaFrames *sd_media_frames_open (const char  *path,
                                     int          width,
                                     int          height,
                                     guint        timeout_ms,
                                     GError     **error);
void           sd_media_frames_free (SdMediaFrames *frames);

/* The frame at @position_ms as a GstSample of video/x-raw, format=RGB.
 * @accurate decodes up to the exact position; otherwise the nearest key
 * frame is taken (much cheaper on long videos).  The first call with
 * position 0 returns the frame decoded by open without seeking.  Fails with
 * UNREADABLE when no frame comes (past the end, broken data) and TIMEOUT
 * when the pipeline stalls. */
GstSample     *sd_media_frames_grab (SdMediaFrames *frames,
                                     gint64         position_ms,
                                     gboolean       accurate,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMediaFrames, sd_media_frames_free)

G_END_DECLS
