/* sd-media-thumbnail.h — one picture that stands for a video. */
#pragma once

#include "media/sd-media-probe.h"

G_BEGIN_DECLS

#define SD_MEDIA_THUMBNAIL_WIDTH 640

/* The frame at 10 % of the video (at most 10 s in), at most @max_width
 * pixels wide, encoded as sd_media_image_type().  Sets @width/@height to
 * the picture's size.  Fails like sd_media_frames_grab(). */
GBytes *sd_media_thumbnail (const char         *path,
                            const SdMediaInfo  *info,
                            int                 max_width,
                            guint               timeout_ms,
                            int                *width,
                            int                *height,
                            GError            **error);

G_END_DECLS
