/* sd-media-transcode.h — re-encoding a video, once, to a format the
 * desktop plays directly (sd-media-playback.h), with the encoders this
 * GStreamer has.  The picture is scaled down to fit a bounding box (1080p
 * by default) so that the work stays bounded. */
#pragma once

#include "media/sd-media-probe.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;           /* "mp4-h264-aac", "webm-vp8-opus", "webm-vp9-opus", "ogg-theora-vorbis" */
  const char *mime_type;      /* "video/mp4", … */
  const char *extension;      /* "mp4", "webm", "ogv" */
  const char *muxer;
  const char *video_encoder;
  const char *audio_encoder;
} SdMediaTarget;

#define SD_MEDIA_TRANSCODE_MAX_WIDTH  1920
#define SD_MEDIA_TRANSCODE_MAX_HEIGHT 1080

/* The target called @name when all its elements are installed, or with
 * @name NULL the first installed one in the order above (H.264/AAC MP4
 * first: the fastest encoder here and the most widely playable).  NULL
 * when none is installed. */
const SdMediaTarget *sd_media_transcode_target (const char *name);

/* Called about once a second with the fraction done (0..1); returning
 * FALSE cancels the transcode. */
typedef gboolean (*SdMediaProgressFunc) (double fraction, gpointer data);

/* The output size for a picture of @info fitted into @max_width ×
 * @max_height (the box turns with portrait videos), even numbers, never
 * enlarged. */
void     sd_media_transcode_size (const SdMediaInfo *info,
                                  int                max_width,
                                  int                max_height,
                                  int               *width,
                                  int               *height);

/* Transcodes @input (probed as @info) to @output with @target.  The first
 * video stream and the first audio stream are kept.  Fails with TIMEOUT
 * after @timeout_ms, G_IO_ERROR_CANCELLED when @cancellable or @progress
 * says so, or like the other media functions; a partial @output is
 * removed. */
gboolean sd_media_transcode      (const char           *input,
                                  const char           *output,
                                  const SdMediaInfo    *info,
                                  const SdMediaTarget  *target,
                                  int                   max_width,
                                  int                   max_height,
                                  guint                 timeout_ms,
                                  GCancellable         *cancellable,
                                  SdMediaProgressFunc   progress,
                                  gpointer              progress_data,
                                  GError              **error);

G_END_DECLS
