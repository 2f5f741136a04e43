/* sd-media-thumbnail.c — a frame near the start (10 % in: past fades from
 * black, before anything much happens), scaled and encoded. */
#define G_LOG_DOMAIN "sd-media-thumbnail"

#include "media/sd-media-thumbnail.h"
#include "media/sd-media-frames.h"
#include "media/sd-media-image.h"

GBytes *
sd_media_thumbnail (const char         *path,
                    const SdMediaInfo  *info,
                    int                 max_width,
                    guint               timeout_ms,
                    int                *width,
                    int                *height,
                    GError            **error)
{
  int w = 0, h = 0;
  sd_media_image_fit (info, max_width, &w, &h);

  g_autoptr(SdMediaFrames) frames = sd_media_frames_open (path, w, h, timeout_ms, error);
  if (frames == NULL)
    return NULL;

  gint64 at = CLAMP (info->duration_ms / 10, 0, 10000);
  g_autoptr(GError) seek_error = NULL;
  g_autoptr(GstSample) sample = sd_media_frames_grab (frames, at, TRUE, &seek_error);
  if (sample == NULL && at > 0)
    {
      /* Some files cannot seek; their first frame will do. */
      g_debug ("no frame at %" G_GINT64_FORMAT " ms (%s); taking the first", at, seek_error->message);
      sd_media_frames_free (g_steal_pointer (&frames));
      frames = sd_media_frames_open (path, w, h, timeout_ms, error);
      if (frames == NULL)
        return NULL;
      sample = sd_media_frames_grab (frames, 0, FALSE, error);
    }
  else if (sample == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&seek_error));
      return NULL;
    }
  if (sample == NULL)
    return NULL;

  GBytes *bytes = sd_media_image_encode (sample, timeout_ms, error);
  if (bytes != NULL)
    {
      *width = w;
      *height = h;
    }
  return bytes;
}
