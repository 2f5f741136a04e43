/* sd-image.h — the images signald makes and accepts: group avatars and the
 * QR codes of invitations.
 *
 * Avatars.  sd_image_avatar_from_upload() accepts a PNG or a JPEG (by its
 * declared Content-Type and by the signature of its bytes), decodes it
 * completely with only the loader of that format (never by gdk-pixbuf's
 * guess, so no other loader ever sees uploaded bytes), refuses images larger
 * than SD_IMAGE_MAX_SIDE on either side before their pixels are allocated,
 * turns JPEGs upright by their EXIF orientation and returns a new PNG at most
 * SD_IMAGE_AVATAR_SIDE pixels on its long side.  Re-encoding drops every
 * piece of metadata (EXIF, text chunks, ICC profiles, comments).  It is
 * CPU-bound: call it from the work function of sd_request_defer().
 *
 * Errors (TANDEM_ERROR): UNSUPPORTED_MEDIA (415) when the type or the data is
 * not PNG or JPEG, VALIDATION (422) when the data cannot be decoded or the
 * image is too large.
 *
 * QR codes.  sd_image_qr_png() renders text as a black-on-white, 1-bit
 * grayscale PNG with square modules of @module_px pixels and a quiet zone of
 * @quiet_modules modules on each side.  Thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_IMAGE_MAX_UPLOAD_BYTES (2 * 1024 * 1024)
#define SD_IMAGE_MAX_SIDE 4096
#define SD_IMAGE_AVATAR_SIDE 512

/* "png" or "jpeg" when @content_type (parameters allowed, any case) names
 * one of the formats accepted for uploads; NULL otherwise. */
const char *sd_image_upload_format      (const char  *content_type);

GBytes     *sd_image_avatar_from_upload (const char  *content_type,
                                         GBytes      *data,
                                         GError     **error);

GBytes     *sd_image_qr_png             (const char  *text,
                                         guint        module_px,
                                         guint        quiet_modules,
                                         GError     **error);

G_END_DECLS
