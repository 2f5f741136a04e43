/* sd-media-image.h — still pictures out of raw frames: the scaled size of
 * a video's picture and encoding an RGB frame as JPEG (jpegenc) or, where
 * that is missing, PNG (pngenc). */
#pragma once

#include "media/sd-media.h"
#include "media/sd-media-probe.h"

G_BEGIN_DECLS

/* "image/jpeg" when jpegenc is installed, else "image/png". */
const char *sd_media_image_type      (void);
/* "jpg" or "png", matching sd_media_image_type(). */
const char *sd_media_image_extension (void);

/* The picture size of @info at most @max_width wide (never enlarged),
 * with the pixel aspect ratio applied: square pixels out. */
void        sd_media_image_fit       (const SdMediaInfo *info,
                                      int                max_width,
                                      int               *width,
                                      int               *height);

/* Encodes @sample (video/x-raw) as sd_media_image_type() within
 * @timeout_ms.  Returns the bytes or NULL with FAILED/TIMEOUT. */
GBytes     *sd_media_image_encode    (GstSample  *sample,
                                      guint       timeout_ms,
                                      GError    **error);

G_END_DECLS
