/* sd-media-transcode.c — filesrc ! decodebin, then per stream
 *   video: queue ! videoconvert ! videoscale ! I420 at the bounded size ! encoder ! queue ! muxer
 *   audio: queue ! audioconvert ! audioresample ! encoder ! queue ! muxer
 * built when decodebin exposes the decoded pads (all before data flows, so
 * the muxer knows its inputs), muxer ! filesink.  Other streams go to
 * fakesinks. */
#define G_LOG_DOMAIN "sd-media-transcode"

#include "media/sd-media-transcode.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

static const SdMediaTarget targets[] = {
  { "mp4-h264-aac", "video/mp4", "mp4", "mp4mux", "x264enc", "avenc_aac" },
  { "webm-vp8-opus", "video/webm", "webm", "webmmux", "vp8enc", "opusenc" },
  { "webm-vp9-opus", "video/webm", "webm", "webmmux", "vp9enc", "opusenc" },
  { "ogg-theora-vorbis", "video/ogg", "ogv", "oggmux", "theoraenc", "vorbisenc" },
};

const SdMediaTarget *
sd_media_transcode_target (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      const SdMediaTarget *t = &targets[i];
      if (name != NULL && !g_str_equal (name, t->name))
        continue;
      if (sd_media_have_element (t->muxer) && sd_media_have_element (t->video_encoder) &&
          sd_media_have_element (t->audio_encoder))
        return t;
    }
  return NULL;
}

void
sd_media_transcode_size (const SdMediaInfo *info,
                         int                max_width,
                         int                max_height,
                         int               *width,
                         int               *height)
{
  int dw = 1, dh = 1;
  sd_media_info_display_size (info, &dw, &dh);
  if (dh > dw)
    {
      int t = max_width;
      max_width = max_height;
      max_height = t;
    }
  double scale = MIN (1.0, MIN ((double) max_width / dw, (double) max_height / dh));
  *width = MAX (2, ((int) (dw * scale)) & ~1);
  *height = MAX (2, ((int) (dh * scale)) & ~1);
}

typedef struct {
  GstElement *pipeline;
  GstElement *muxer;
  const SdMediaTarget *target;
  const SdMediaInfo *info;
  int width;
  int height;
  GMutex lock;
  gboolean have_video;
  gboolean have_audio;
} Transcode;

static void
configure_encoder (GstElement        *enc,
                   const char        *factory,
                   const Transcode   *tc)
{
  int fps = tc->info->fps_den > 0 && tc->info->fps_num > 0
            ? MAX (1, tc->info->fps_num / tc->info->fps_den) : 30;
  /* About 0.1 bit per pixel and frame: plenty for review, small enough to stream. */
  gint64 bps = CLAMP ((gint64) tc->width * tc->height * fps / 10, 300000, 8000000);

  if (g_str_equal (factory, "x264enc"))
    {
      gst_util_set_object_arg (G_OBJECT (enc), "speed-preset", "veryfast");
      g_object_set (enc, "bitrate", (guint) (bps / 1000), "key-int-max", (guint) (2 * fps), NULL);
    }
  else if (g_str_equal (factory, "vp8enc") || g_str_equal (factory, "vp9enc"))
    {
      g_object_set (enc, "deadline", (gint64) 1, "cpu-used", 8, "target-bitrate", (int) bps,
                    "keyframe-max-dist", 2 * fps, "threads", (int) MIN (g_get_num_processors (), 8), NULL);
    }
  else if (g_str_equal (factory, "theoraenc"))
    g_object_set (enc, "bitrate", (int) (bps / 1000), "keyframe-freq", 2 * fps, NULL);
  else if (g_str_equal (factory, "avenc_aac") || g_str_equal (factory, "opusenc"))
    g_object_set (enc, "bitrate", 128000, NULL);
}

/* Adds @factories as a chain to the pipeline, links it to the muxer and
 * then @pad to its head.  Runs on a streaming thread. */
static gboolean
add_branch (Transcode          *tc,
            GstPad             *pad,
            const char * const *factories,
            GstCaps            *filter_caps)
{
  GstBin *bin = GST_BIN (tc->pipeline);
  GPtrArray *chain = g_ptr_array_new ();
  gboolean ok = TRUE;

  for (guint i = 0; factories[i] != NULL && ok; i++)
    {
      GstElement *e = sd_media_bin_add (bin, factories[i], NULL);
      if (e == NULL)
        {
          ok = FALSE;
          break;
        }
      if (g_str_equal (factories[i], "capsfilter"))
        g_object_set (e, "caps", filter_caps, NULL);
      if (g_str_equal (factories[i], tc->target->video_encoder) ||
          g_str_equal (factories[i], tc->target->audio_encoder))
        configure_encoder (e, factories[i], tc);
      if (chain->len > 0 && !gst_element_link (g_ptr_array_index (chain, chain->len - 1), e))
        ok = FALSE;
      g_ptr_array_add (chain, e);
    }
  if (ok && chain->len > 0)
    ok = gst_element_link (g_ptr_array_index (chain, chain->len - 1), tc->muxer);
  for (guint i = chain->len; ok && i > 0; i--)
    gst_element_sync_state_with_parent (g_ptr_array_index (chain, i - 1));
  if (ok)
    {
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (g_ptr_array_index (chain, 0), "sink");
      ok = gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK;
    }
  g_ptr_array_unref (chain);
  return ok;
}

static void
add_fakesink (Transcode *tc,
              GstPad    *pad)
{
  GstElement *sink = sd_media_bin_add (GST_BIN (tc->pipeline), "fakesink", NULL);
  if (sink == NULL)
    return;
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_element_sync_state_with_parent (sink);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
}

static void
on_pad_added (GstElement *decodebin,
              GstPad     *pad,
              gpointer    data)
{
  Transcode *tc = data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  const GstStructure *s = gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0) : NULL;
  gboolean video = s != NULL && gst_structure_has_name (s, "video/x-raw");
  gboolean audio = s != NULL && gst_structure_has_name (s, "audio/x-raw");

  g_mutex_lock (&tc->lock);
  gboolean take_video = video && !tc->have_video;
  gboolean take_audio = audio && !tc->have_audio;
  tc->have_video |= take_video;
  tc->have_audio |= take_audio;
  g_mutex_unlock (&tc->lock);

  gboolean linked = FALSE;
  if (take_video)
    {
      const char *const chain[] = { "queue", "videoconvert", "videoscale", "capsfilter",
                                    tc->target->video_encoder, "queue", NULL };
      g_autoptr(GstCaps) size = gst_caps_new_simple ("video/x-raw",
                                                     "format", G_TYPE_STRING, "I420",
                                                     "width", G_TYPE_INT, tc->width,
                                                     "height", G_TYPE_INT, tc->height,
                                                     "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                                     NULL);
      linked = add_branch (tc, pad, chain, size);
    }
  else if (take_audio)
    {
      const char *const chain[] = { "queue", "audioconvert", "audioresample",
                                    tc->target->audio_encoder, "queue", NULL };
      linked = add_branch (tc, pad, chain, NULL);
    }
  else
    {
      add_fakesink (tc, pad);
      return;
    }
  if (!linked)
    GST_ELEMENT_ERROR (decodebin, CORE, NEGOTIATION, ("cannot build the %s branch", video ? "video" : "audio"),
                       (NULL));
}

static void
on_no_more_pads (GstElement *decodebin,
                 gpointer    data)
{
  Transcode *tc = data;
  g_mutex_lock (&tc->lock);
  gboolean ok = tc->have_video;
  g_mutex_unlock (&tc->lock);
  if (!ok)
    GST_ELEMENT_ERROR (decodebin, STREAM, CODEC_NOT_FOUND, ("no decodable video stream"), (NULL));
}

/* Runs the pipeline to EOS.  FALSE with @error on failure. */
static gboolean
run (Transcode           *tc,
     guint                timeout_ms,
     GCancellable        *cancellable,
     SdMediaProgressFunc  progress,
     gpointer             progress_data,
     GError             **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (tc->pipeline);
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) timeout_ms * 1000;
  gint64 next_progress = start + G_USEC_PER_SEC;

  if (gst_element_set_state (tc->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        sd_media_error_from_message (msg, error);
      else
        g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot start transcoding");
      return FALSE;
    }
  for (;;)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered (bus, 200 * GST_MSECOND,
                                                              GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      if (msg != NULL)
        {
          sd_media_error_from_message (msg, error);
          return FALSE;
        }
      gint64 now = g_get_monotonic_time ();
      if (now > deadline)
        {
          g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_TIMEOUT,
                               _("Converting the video took too long."));
          return FALSE;
        }
      if (progress != NULL && now >= next_progress)
        {
          gint64 pos = 0;
          double fraction = 0;
          if (gst_element_query_position (tc->pipeline, GST_FORMAT_TIME, &pos) && tc->info->duration_ms > 0)
            fraction = CLAMP ((double) (pos / GST_MSECOND) / (double) tc->info->duration_ms, 0.0, 1.0);
          next_progress = now + G_USEC_PER_SEC;
          if (!progress (fraction, progress_data))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "transcoding cancelled");
              return FALSE;
            }
        }
    }
}

gboolean
sd_media_transcode (const char           *input,
                    const char           *output,
                    const SdMediaInfo    *info,
                    const SdMediaTarget  *target,
                    int                   max_width,
                    int                   max_height,
                    guint                 timeout_ms,
                    GCancellable         *cancellable,
                    SdMediaProgressFunc   progress,
                    gpointer              progress_data,
                    GError              **error)
{
  g_return_val_if_fail (input != NULL && output != NULL && info != NULL && target != NULL, FALSE);
  sd_media_init ();

  Transcode tc = { 0 };
  tc.target = target;
  tc.info = info;
  g_mutex_init (&tc.lock);
  sd_media_transcode_size (info, max_width, max_height, &tc.width, &tc.height);
  tc.pipeline = gst_pipeline_new ("sd-transcode");
  GstBin *bin = GST_BIN (tc.pipeline);
  GstElement *src, *decode, *sink;
  gboolean ok = FALSE;

  if ((src = sd_media_bin_add (bin, "filesrc", error)) == NULL ||
      (decode = sd_media_bin_add (bin, "decodebin", error)) == NULL ||
      (tc.muxer = sd_media_bin_add (bin, target->muxer, error)) == NULL ||
      (sink = sd_media_bin_add (bin, "filesink", error)) == NULL)
    goto out;
  g_object_set (src, "location", input, NULL);
  g_object_set (sink, "location", output, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (tc.muxer), "faststart") != NULL)
    g_object_set (tc.muxer, "faststart", TRUE, NULL);   /* index first: plays while downloading */
  if (!gst_element_link (src, decode) || !gst_element_link (tc.muxer, sink))
    {
      g_set_error_literal (error, SD_MEDIA_ERROR, SD_MEDIA_ERROR_FAILED, "cannot link the transcoder");
      goto out;
    }
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), &tc);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), &tc);

  ok = run (&tc, timeout_ms, cancellable, progress, progress_data, error);

out:
  gst_element_set_state (tc.pipeline, GST_STATE_NULL);
  gst_object_unref (tc.pipeline);
  g_mutex_clear (&tc.lock);
  if (!ok)
    g_unlink (output);
  return ok;
}
