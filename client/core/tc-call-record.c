/* tc-call-record.c — see tc-call-record.h.  The recorder's pipeline:
 *   appsrc (audio) ───────────────────────┐
 *   appsrc (video) [! h264parse] ──────── matroskamux ! filesink */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-record.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gst/app/gstappsrc.h>

struct _TcCallRecorder {
  GMutex lock;
  GstElement *pipeline;
  GstElement *mux;
  GstElement *src[2];          /* by TcCallMedia; NULL = no track */
  gboolean caps_set[2];
  gboolean started;
  gboolean finished;
  GstClockTime base;           /* running time of the first buffer */
};

TcCallRecorder *
tc_call_recorder_new (const char  *path,
                      GError     **error)
{
  g_autoptr(GstElement) mux = gst_element_factory_make ("matroskamux", NULL);
  g_autoptr(GstElement) sink = gst_element_factory_make ("filesink", NULL);
  if (mux != NULL)
    gst_object_ref_sink (mux);
  if (sink != NULL)
    gst_object_ref_sink (sink);
  if (mux == NULL || sink == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("recording needs GStreamer's matroskamux and filesink (gstreamer1.0-plugins-good)"));
      return NULL;
    }
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return NULL;
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);

  TcCallRecorder *recorder = g_new0 (TcCallRecorder, 1);
  g_mutex_init (&recorder->lock);
  recorder->base = GST_CLOCK_TIME_NONE;
  recorder->pipeline = gst_object_ref_sink (gst_pipeline_new ("call-record"));
  g_object_set (mux, "writing-app", "Tandem", NULL);
  g_object_set (sink, "location", path, NULL);
  gst_bin_add_many (GST_BIN (recorder->pipeline), mux, sink, NULL);
  gst_element_link (mux, sink);
  recorder->mux = mux;   /* the pipeline holds it */
  return recorder;
}

void
tc_call_recorder_want (TcCallRecorder *recorder,
                       TcCallMedia     media)
{
  g_mutex_lock (&recorder->lock);
  if (recorder->started || recorder->src[media] != NULL)
    {
      g_mutex_unlock (&recorder->lock);
      return;
    }
  GstElement *src = gst_element_factory_make ("appsrc", NULL);
  g_object_set (src, "format", GST_FORMAT_TIME, "is-live", TRUE, "block", FALSE,
                "max-bytes", (guint64) 8 * 1024 * 1024, NULL);
  gst_bin_add (GST_BIN (recorder->pipeline), src);
  recorder->src[media] = src;
  g_mutex_unlock (&recorder->lock);
}

/* Links the tracks and starts the muxer, with the caps of the first
 * buffers.  Under the lock. */
static void
start_locked (TcCallRecorder *recorder)
{
  for (guint media = 0; media < 2; media++)
    {
      GstElement *src = recorder->src[media];
      if (src == NULL)
        continue;
      GstPad *mux_pad = gst_element_request_pad_simple (recorder->mux, media == TC_CALL_MEDIA_VIDEO ? "video_%u" : "audio_%u");
      g_autoptr(GstPad) src_pad = gst_element_get_static_pad (src, "src");
      g_autoptr(GstCaps) caps = gst_app_src_get_caps (GST_APP_SRC (src));
      const char *name = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";
      if (g_str_equal (name, "video/x-h264"))
        {
          /* Matroska wants AVC with its headers in the codec data */
          GstElement *parse = gst_element_factory_make ("h264parse", NULL);
          GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
          g_autoptr(GstCaps) avc = gst_caps_from_string ("video/x-h264,stream-format=avc,alignment=au");
          g_object_set (filter, "caps", avc, NULL);
          gst_bin_add_many (GST_BIN (recorder->pipeline), parse, filter, NULL);
          gst_element_link_many (src, parse, filter, NULL);
          g_autoptr(GstPad) out = gst_element_get_static_pad (filter, "src");
          gst_pad_link (out, mux_pad);
        }
      else
        gst_pad_link (src_pad, mux_pad);
      gst_object_unref (mux_pad);
    }
  recorder->started = TRUE;
  gst_element_set_state (recorder->pipeline, GST_STATE_PLAYING);
}

void
tc_call_recorder_push (TcCallRecorder *recorder,
                       TcCallMedia     media,
                       GstSample      *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  GstCaps *caps = gst_sample_get_caps (sample);

  if (buffer == NULL || caps == NULL)
    return;
  g_mutex_lock (&recorder->lock);
  GstElement *src = recorder->src[media];
  if (src == NULL || recorder->finished)
    {
      g_mutex_unlock (&recorder->lock);
      return;
    }
  if (!recorder->caps_set[media])
    {
      gst_app_src_set_caps (GST_APP_SRC (src), caps);
      recorder->caps_set[media] = TRUE;
    }
  /* Start once every track knows its caps. */
  if (!recorder->started)
    {
      gboolean all = TRUE;
      for (guint m = 0; m < 2; m++)
        all &= recorder->src[m] == NULL || recorder->caps_set[m];
      if (!all)
        {
          g_mutex_unlock (&recorder->lock);
          return;
        }
      start_locked (recorder);
    }

  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime running = segment != NULL && GST_CLOCK_TIME_IS_VALID (pts)
                         ? gst_segment_to_running_time (segment, GST_FORMAT_TIME, pts) : GST_CLOCK_TIME_NONE;
  if (!GST_CLOCK_TIME_IS_VALID (running))
    {
      g_mutex_unlock (&recorder->lock);
      return;
    }
  if (!GST_CLOCK_TIME_IS_VALID (recorder->base))
    recorder->base = running;
  if (running < recorder->base)
    {
      g_mutex_unlock (&recorder->lock);
      return;
    }
  GstBuffer *copy = gst_buffer_copy (buffer);
  GST_BUFFER_PTS (copy) = running - recorder->base;
  GST_BUFFER_DTS (copy) = GST_CLOCK_TIME_NONE;
  gst_app_src_push_buffer (GST_APP_SRC (src), copy);
  g_mutex_unlock (&recorder->lock);
}

void
tc_call_recorder_finish (TcCallRecorder *recorder)
{
  g_mutex_lock (&recorder->lock);
  gboolean started = recorder->started && !recorder->finished;
  recorder->finished = TRUE;
  if (started)
    for (guint media = 0; media < 2; media++)
      if (recorder->src[media] != NULL)
        gst_app_src_end_of_stream (GST_APP_SRC (recorder->src[media]));
  g_mutex_unlock (&recorder->lock);

  if (started)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (recorder->pipeline);
      g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered (bus, 3 * GST_SECOND,
                                                                  GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      if (message == NULL || GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
        g_debug ("the muxer did not finish in time: the recording may lack its index");
    }
  gst_element_set_state (recorder->pipeline, GST_STATE_NULL);
}

void
tc_call_recorder_free (TcCallRecorder *recorder)
{
  tc_call_recorder_finish (recorder);
  gst_object_unref (recorder->pipeline);
  g_mutex_clear (&recorder->lock);
  g_free (recorder);
}
