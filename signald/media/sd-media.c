/* sd-media.c — GStreamer start-up and the media error domain. */
#define G_LOG_DOMAIN "sd-media"

#include "media/sd-media.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (sd-media-error-quark, sd_media_error)

const char *
sd_media_error_code_name (SdMediaError code)
{
  switch (code)
    {
    case SD_MEDIA_ERROR_NOT_A_VIDEO: return "not_a_video";
    case SD_MEDIA_ERROR_UNREADABLE: return "unreadable";
    case SD_MEDIA_ERROR_UNSUPPORTED: return "unsupported_format";
    case SD_MEDIA_ERROR_TOO_LARGE: return "video_too_large";
    case SD_MEDIA_ERROR_TIMEOUT: return "media_timeout";
    case SD_MEDIA_ERROR_FAILED:
    default: return "media_failed";
    }
}

gboolean
sd_media_error_is_permanent (const GError *error)
{
  if (error == NULL || error->domain != SD_MEDIA_ERROR)
    return FALSE;
  switch ((SdMediaError) error->code)
    {
    case SD_MEDIA_ERROR_NOT_A_VIDEO:
    case SD_MEDIA_ERROR_UNREADABLE:
    case SD_MEDIA_ERROR_UNSUPPORTED:
    case SD_MEDIA_ERROR_TOO_LARGE:
      return TRUE;
    case SD_MEDIA_ERROR_TIMEOUT:
    case SD_MEDIA_ERROR_FAILED:
    default:
      return FALSE;
    }
}

void
sd_media_init (void)
{
  static gsize done = 0;
  if (g_once_init_enter (&done))
    {
      gst_init (NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

gboolean
sd_media_have_element (const char *name)
{
  sd_media_init ();
  g_autoptr(GstElementFactory) f = gst_element_factory_find (name);
  return f != NULL;
}

GstElement *
sd_media_bin_add (GstBin      *bin,
                  const char  *factory,
                  GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);
  if (element == NULL)
    {
      g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED,
                   "the GStreamer element “%s” is not installed", factory);
      return NULL;
    }
  gst_bin_add (bin, element);
  return element;
}

void
sd_media_error_from_message (GstMessage *message,
                             GError    **error)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  g_return_if_fail (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("pipeline error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (message),
           gst_error->message, debug != NULL ? debug : "");

  if (gst_error->domain == GST_STREAM_ERROR)
    switch (gst_error->code)
      {
      case GST_STREAM_ERROR_TYPE_NOT_FOUND:
      case GST_STREAM_ERROR_WRONG_TYPE:
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_NOT_A_VIDEO,
                             _("This file is not a video."));
        return;
      case GST_STREAM_ERROR_CODEC_NOT_FOUND:
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNSUPPORTED,
                             _("This video uses a format the server cannot decode."));
        return;
      case GST_STREAM_ERROR_DECODE:
      case GST_STREAM_ERROR_DEMUX:
      case GST_STREAM_ERROR_FORMAT:
      case GST_STREAM_ERROR_FAILED:
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                             _("This video is damaged or incomplete and cannot be decoded."));
        return;
      default:
        break;
      }
  if (gst_error->domain == GST_CORE_ERROR && gst_error->code == GST_CORE_ERROR_MISSING_PLUGIN)
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNSUPPORTED,
                           _("This video uses a format the server cannot decode."));
      return;
    }
  g_set_error (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED,
               "media pipeline failed: %s", gst_error->message);
}
