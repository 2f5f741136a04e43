/* sd-media-strip.c — grabs frames at the middle of each interval (exact
 * positions for short videos, nearest key frames for long ones, where an
 * exact seek would decode whole groups of pictures), copies them into one
 * RGB canvas and encodes it once. */
#define G_LOG_DOMAIN "sd-media-strip"

#include "media/sd-media-strip.h"
#include "media/sd-media-frames.h"
#include "media/sd-media-image.h"

#include <gst/video/video.h>
#include <string.h>

/* Up to this length every frame is decoded at its exact position. */
#define ACCURATE_UP_TO_MS (2 * 60 * 1000)

void
sd_media_strip_plan (gint64   duration_ms,
                     int      max_frames,
                     gint64   min_interval_ms,
                     int     *frames,
                     gint64  *interval_ms)
{
  max_frames = CLAMP (max_frames, 1, SD_MEDIA_STRIP_MAX_FRAMES);
  min_interval_ms = MAX (min_interval_ms, 1);
  duration_ms = MAX (duration_ms, 1);
  gint64 interval = MAX (min_interval_ms, (duration_ms + max_frames - 1) / max_frames);
  gint64 n = (duration_ms + interval - 1) / interval;
  *frames = (int) CLAMP (n, 1, max_frames);
  *interval_ms = interval;
}

void
sd_media_strip_free (SdMediaStrip *strip)
{
  if (strip == NULL)
    return;
  g_clear_pointer (&strip->image, g_bytes_unref);
  g_free (strip);
}

/* Copies the RGB frame in @sample to tile @index of @canvas. */
static gboolean
copy_tile (GstVideoFrame *canvas,
           GstSample     *sample,
           int            x,
           int            y,
           int            tile_width,
           int            tile_height)
{
  GstVideoInfo vinfo;
  GstVideoFrame tile;
  if (!gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&tile, &vinfo, gst_sample_get_buffer (sample), GST_MAP_READ))
    return FALSE;

  int rows = MIN (tile_height, GST_VIDEO_FRAME_HEIGHT (&tile));
  int bytes = 3 * MIN (tile_width, GST_VIDEO_FRAME_WIDTH (&tile));
  guint8 *dst = GST_VIDEO_FRAME_PLANE_DATA (canvas, 0);
  int dst_stride = GST_VIDEO_FRAME_PLANE_STRIDE (canvas, 0);
  const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (&tile, 0);
  int src_stride = GST_VIDEO_FRAME_PLANE_STRIDE (&tile, 0);
  for (int r = 0; r < rows; r++)
    memcpy (dst + (gsize) (y + r) * dst_stride + (gsize) x * 3, src + (gsize) r * src_stride, (gsize) bytes);
  gst_video_frame_unmap (&tile);
  return TRUE;
}

SdMediaStrip *
sd_media_strip (const char         *path,
                const SdMediaInfo  *info,
                int                 tile_width,
                int                 max_frames,
                gint64              min_interval_ms,
                guint               timeout_ms,
                GError            **error)
{
  g_autoptr(SdMediaStrip) strip = g_new0 (SdMediaStrip, 1);
  sd_media_strip_plan (info->duration_ms, max_frames, min_interval_ms, &strip->frames,
                       &strip->interval_ms);
  sd_media_image_fit (info, tile_width, &strip->tile_width, &strip->tile_height);
  strip->columns = MIN (strip->frames, SD_MEDIA_STRIP_COLUMNS);
  int rows = (strip->frames + strip->columns - 1) / strip->columns;
  strip->width = strip->columns * strip->tile_width;
  strip->height = rows * strip->tile_height;

  g_autoptr(SdMediaFrames) frames = sd_media_frames_open (path, strip->tile_width, strip->tile_height,
                                                          timeout_ms, error);
  if (frames == NULL)
    return NULL;

  GstVideoInfo cinfo;
  gst_video_info_set_format (&cinfo, GST_VIDEO_FORMAT_RGB, (guint) strip->width, (guint) strip->height);
  g_autoptr(GstBuffer) buffer = gst_buffer_new_allocate (NULL, cinfo.size, NULL);
  GstVideoFrame canvas;
  if (buffer == NULL || !gst_video_frame_map (&canvas, &cinfo, buffer, GST_MAP_WRITE))
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot make the strip's canvas");
      return NULL;
    }
  memset (GST_VIDEO_FRAME_PLANE_DATA (&canvas, 0), 0, cinfo.size);

  gboolean accurate = info->duration_ms <= ACCURATE_UP_TO_MS;
  g_autoptr(GstSample) last = NULL;
  gboolean ok = TRUE;
  gboolean exhausted = FALSE;   /* after a failed grab, the last frame fills the rest */
  for (int i = 0; i < strip->frames && ok; i++)
    {
      gint64 at = MIN (i * strip->interval_ms + strip->interval_ms / 2, MAX (0, info->duration_ms - 1));
      g_autoptr(GError) grab_error = NULL;
      g_autoptr(GstSample) sample = exhausted ? gst_sample_ref (last)
                                              : sd_media_frames_grab (frames, at, accurate, &grab_error);
      if (sample == NULL)
        {
          if (last == NULL || g_error_matches (grab_error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_TIMEOUT))
            {
              g_propagate_error (error, g_steal_pointer (&grab_error));
              ok = FALSE;
              break;
            }
          g_debug ("strip frame %d at %" G_GINT64_FORMAT " ms: %s; repeating the one before",
                   i, at, grab_error->message);
          sample = gst_sample_ref (last);
          exhausted = TRUE;
        }
      ok = copy_tile (&canvas, sample, (i % strip->columns) * strip->tile_width,
                      (i / strip->columns) * strip->tile_height, strip->tile_width, strip->tile_height);
      if (!ok)
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot read a strip frame");
      g_clear_pointer (&last, gst_sample_unref);
      last = g_steal_pointer (&sample);
    }
  gst_video_frame_unmap (&canvas);
  if (!ok)
    return NULL;

  g_autoptr(GstCaps) caps = gst_video_info_to_caps (&cinfo);
  g_autoptr(GstSample) whole = gst_sample_new (buffer, caps, NULL, NULL);
  strip->image = sd_media_image_encode (whole, timeout_ms, error);
  if (strip->image == NULL)
    return NULL;
  return g_steal_pointer (&strip);
}
