/* sd-media-probe.h — what a video file is: duration, frame size and rate,
 * container and codecs, read with GStreamer's discoverer; and whether its
 * first frame decodes. */
#pragma once

#include "media/sd-media.h"

G_BEGIN_DECLS

typedef struct {
  gint64 duration_ms;
  int width;                 /* coded frame size of the first video stream */
  int height;
  int par_num;               /* pixel aspect ratio; 1/1 for square pixels */
  int par_den;
  int fps_num;               /* 0/1 when the rate is variable or unknown */
  int fps_den;
  char *container;           /* short name: "webm", "matroska", "mp4", "mov", "ogg", "avi", … */
  char *mime_type;           /* of the whole file: "video/webm", "video/mp4", … */
  char *video_codec;         /* "vp8", "vp9", "h264", "theora", "av1", "mpeg4", … */
  char *audio_codec;         /* "opus", "vorbis", "aac", "mp3", … or NULL without audio */
  char *video_caps;          /* the streams' caps as strings, for decoder look-ups */
  char *audio_caps;          /* NULL without audio */
} SdMediaInfo;

/* Probes the file at @path within @timeout_ms (the discoverer, then one
 * decoded frame).  Returns NULL with SD_MEDIA_ERROR set:
 *   NOT_A_VIDEO   not a media file, audio only, a still image
 *   UNREADABLE    damaged or truncated so that no frame decodes, no duration
 *   UNSUPPORTED   no decoder here for its video
 *   TOO_LARGE     a side beyond SD_MEDIA_MAX_SIDE
 *   TIMEOUT       the discoverer or the decoder took too long
 *   FAILED        the file cannot be opened, GStreamer is missing pieces
 * Never aborts on bad input. */
SdMediaInfo *sd_media_probe          (const char  *path,
                                      guint        timeout_ms,
                                      GError     **error);
SdMediaInfo *sd_media_info_copy      (const SdMediaInfo *info);
void         sd_media_info_free      (SdMediaInfo *info);

/* The size a player shows: the width corrected by the pixel aspect ratio. */
void         sd_media_info_display_size (const SdMediaInfo *info,
                                         int               *width,
                                         int               *height);

/* Short names for caps: "vp8", "aac", "webm", … (newly allocated). */
char        *sd_media_codec_name     (const GstCaps *caps);
char        *sd_media_container_name (const GstCaps *caps);
/* "video/webm" for "webm" etc.; "application/octet-stream" when unknown. */
const char  *sd_media_container_mime (const char *container);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMediaInfo, sd_media_info_free)

G_END_DECLS
