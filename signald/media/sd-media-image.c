/* sd-media-image.c — encoding frames as JPEG/PNG with the installed
 * GStreamer encoders (gst_video_convert_sample picks them by caps). */
#define G_LOG_DOMAIN "sd-media-image"

#include "media/sd-media-image.h"

#include <gst/video/video.h>

const char *
sd_media_image_type (void)
{
  return sd_media_have_element ("jpegenc") ? "image/jpeg" : "image/png";
}

const char *
sd_media_image_extension (void)
{
  return sd_media_have_element ("jpegenc") ? "jpg" : "png";
}

void
sd_media_image_fit (const SdMediaInfo *info,
                    int                max_width,
                    int               *width,
                    int               *height)
{
  int dw = 1, dh = 1;
  sd_media_info_display_size (info, &dw, &dh);
  int w = MIN (dw, MAX (1, max_width));
  *width = w;
  *height = (int) MAX (1, ((gint64) dh * w + dw / 2) / dw);
}

GBytes *
sd_media_image_encode (GstSample  *sample,
                       guint       timeout_ms,
                       GError    **error)
{
  g_return_val_if_fail (sample != NULL, NULL);
  g_autoptr(GstCaps) to = gst_caps_new_empty_simple (sd_media_image_type ());
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstSample) encoded = gst_video_convert_sample (sample, to,
                                                           (GstClockTime) timeout_ms * GST_MSECOND,
                                                           &local_error);
  if (encoded == NULL)
    {
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot encode the picture: %s",
                   local_error != NULL ? local_error->message : "no reason");
      return NULL;
    }
  GstBuffer *buffer = gst_sample_get_buffer (encoded);
  GstMapInfo map;
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "the encoder gave no picture");
      return NULL;
    }
  GBytes *bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return bytes;
}
