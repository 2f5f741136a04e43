/* sd-media-frames.c — a paused decoding pipeline that hands out frames at
 * chosen positions.  Streams other than the first video stream go to
 * fakesinks, so files with audio (or several videos) preroll too. */
#define G_LOG_DOMAIN "sd-media-frames"

#include "media/sd-media-frames.h"

#include <gst/app/gstappsink.h>
#include <glib/gi18n-lib.h>

struct _SdMediaFrames {
  GstElement *pipeline;
  GstElement *convert;      /* head of the video branch (owned by the pipeline) */
  GstElement *appsink;      /* owned by the pipeline */
  GstBus *bus;
  guint timeout_ms;
  gboolean fresh;           /* the open preroll frame is still unread */
  GMutex lock;              /* video_linked, from the streaming threads */
  gboolean video_linked;
};

static void
link_to_fakesink (GstElement *bin,
                  GstPad     *pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  if (sink == NULL)
    return;
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (bin), sink);
  gst_element_sync_state_with_parent (sink);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
}

static void
on_pad_added (GstElement *decodebin,
              GstPad     *pad,
              gpointer    data)
{
  SdMediaFrames *frames = data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  const GstStructure *s = gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0) : NULL;
  gboolean is_video = s != NULL && gst_structure_has_name (s, "video/x-raw");

  g_mutex_lock (&frames->lock);
  gboolean take = is_video && !frames->video_linked;
  if (take)
    frames->video_linked = TRUE;
  g_mutex_unlock (&frames->lock);

  if (take)
    {
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (frames->convert, "sink");
      if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
        return;
      g_warning ("cannot link the decoded video");
    }
  link_to_fakesink (frames->pipeline, pad);
}

static void
on_no_more_pads (GstElement *decodebin,
                 gpointer    data)
{
  SdMediaFrames *frames = data;
  g_mutex_lock (&frames->lock);
  gboolean linked = frames->video_linked;
  g_mutex_unlock (&frames->lock);
  if (!linked)
    gst_element_post_message (decodebin,
                              gst_message_new_application (GST_OBJECT (decodebin),
                                                           gst_structure_new_empty ("sd-no-video")));
}

/* Waits for the (re)preroll after a state change or a flushing seek. */
static gboolean
wait_preroll (SdMediaFrames  *frames,
              GError        **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) frames->timeout_ms * 1000;
  for (;;)
    {
      gint64 left_us = deadline - g_get_monotonic_time ();
      if (left_us <= 0)
        {
          g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_TIMEOUT,
                               _("Decoding the video took too long."));
          return FALSE;
        }
      g_autoptr(GstMessage) msg =
        gst_bus_timed_pop_filtered (frames->bus, (GstClockTime) left_us * GST_USECOND,
                                    GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR |
                                    GST_MESSAGE_APPLICATION);
      if (msg == NULL)
        continue;
      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ASYNC_DONE:
          return TRUE;
        case GST_MESSAGE_ERROR:
          sd_media_error_from_message (msg, error);
          return FALSE;
        case GST_MESSAGE_APPLICATION:
          if (gst_message_has_name (msg, "sd-no-video"))
            {
              g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_NOT_A_VIDEO,
                                   _("This file has no video that the server can decode."));
              return FALSE;
            }
          break;
        default:
          break;
        }
    }
}

SdMediaFrames *
sd_media_frames_open (const char  *path,
                      int          width,
                      int          height,
                      guint        timeout_ms,
                      GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  sd_media_init ();

  g_autoptr(SdMediaFrames) frames = g_new0 (SdMediaFrames, 1);
  g_mutex_init (&frames->lock);
  frames->timeout_ms = timeout_ms;
  frames->pipeline = gst_pipeline_new ("sd-frames");
  frames->bus = gst_element_get_bus (frames->pipeline);

  GstBin *bin = GST_BIN (frames->pipeline);
  GstElement *src, *decode, *scale, *filter;
  if ((src = sd_media_bin_add (bin, "filesrc", error)) == NULL ||
      (decode = sd_media_bin_add (bin, "decodebin", error)) == NULL ||
      (frames->convert = sd_media_bin_add (bin, "videoconvert", error)) == NULL ||
      (scale = sd_media_bin_add (bin, "videoscale", error)) == NULL ||
      (filter = sd_media_bin_add (bin, "capsfilter", error)) == NULL ||
      (frames->appsink = sd_media_bin_add (bin, "appsink", error)) == NULL)
    return NULL;

  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw",
                                                 "format", G_TYPE_STRING, "RGB",
                                                 "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                                 NULL);
  if (width > 0 && height > 0)
    gst_caps_set_simple (caps, "width", G_TYPE_INT, width, "height", G_TYPE_INT, height, NULL);
  g_object_set (src, "location", path, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (frames->appsink, "sync", FALSE, "max-buffers", 1, "enable-last-sample", FALSE, NULL);
  if (!gst_element_link (src, decode) ||
      !gst_element_link_many (frames->convert, scale, filter, frames->appsink, NULL))
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED,
                           "cannot link the frame pipeline");
      return NULL;
    }
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), frames);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), frames);

  if (gst_element_set_state (frames->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      /* The reason is on the bus (a missing file, for one). */
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (frames->bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        sd_media_error_from_message (msg, error);
      else
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED,
                             "cannot start the frame pipeline");
      return NULL;
    }
  if (!wait_preroll (frames, error))
    return NULL;
  frames->fresh = TRUE;
  return g_steal_pointer (&frames);
}

GstSample *
sd_media_frames_grab (SdMediaFrames *frames,
                      gint64         position_ms,
                      gboolean       accurate,
                      GError       **error)
{
  g_return_val_if_fail (frames != NULL && position_ms >= 0, NULL);

  if (!(frames->fresh && position_ms == 0))
    {
      GstSeekFlags flags = GST_SEEK_FLAG_FLUSH |
                           (accurate ? GST_SEEK_FLAG_ACCURATE
                                     : GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_NEAREST);
      if (!gst_element_seek_simple (frames->pipeline, GST_FORMAT_TIME, flags,
                                    position_ms * GST_MSECOND))
        {
          g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                               _("This video cannot be searched: it may be damaged or incomplete."));
          return NULL;
        }
      if (!wait_preroll (frames, error))
        return NULL;
    }
  frames->fresh = FALSE;

  GstSample *sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (frames->appsink),
                                                     (GstClockTime) frames->timeout_ms * GST_MSECOND);
  if (sample == NULL)
    {
      /* A preroll without a frame: the stream ended first. */
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (frames->bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        sd_media_error_from_message (msg, error);
      else
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_UNREADABLE,
                             _("No picture could be decoded from this video."));
    }
  return sample;
}

void
sd_media_frames_free (SdMediaFrames *frames)
{
  if (frames == NULL)
    return;
  /* The elements belong to the pipeline. */
  gst_element_set_state (frames->pipeline, GST_STATE_NULL);
  gst_object_unref (frames->pipeline);
  g_clear_pointer (&frames->bus, gst_object_unref);
  g_mutex_clear (&frames->lock);
  g_free (frames);
}
