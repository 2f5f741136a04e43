/* tc-call-remote.c — what the peer sends: for each stream webrtcbin
 * exposes, a bin that decodes it into an appsink (video, BGRA) or an audio
 * sink, counting frames and buffers on the way; and the recorder that
 * muxes the received streams, as they came (no re-encoding), into one
 * Matroska/WebM file.
 *
 * tc_call_remote_pad_added() runs on a webrtcbin streaming thread; the
 * bins it makes are listed in the peer (under the call's lock) and removed
 * with it on the main context. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-private.h"

#include <gst/app/gstappsink.h>
#include <gst/sdp/sdp.h>
#include <glib/gi18n.h>

static void
first_frame_main (TcCall     *self,
                  TcCallPeer *peer,
                  gpointer    data)
{
  tc_call_first_frame (self);
}

static GstPadProbeReturn
count_video_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  TcCall *self = user_data;
  gboolean first = FALSE;

  g_mutex_lock (&self->lock);
  self->video_frames++;
  if (self->first_frame_us == 0)
    {
      self->first_frame_us = g_get_monotonic_time ();
      first = TRUE;
    }
  g_mutex_unlock (&self->lock);
  if (first)
    {
      GST_INFO ("first remote video frame decoded");
      tc_call_post (self->anchor, self->context, 0, first_frame_main, NULL, NULL);
    }
  return GST_PAD_PROBE_OK;
}

/* Counts the zero crossings of the first channel of decoded S16 sound,
 * skipping near-silence. */
static void
measure_audio (TcCall    *self,
               GstPad    *pad,
               GstBuffer *buffer)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstStructure *s = caps != NULL ? gst_caps_get_structure (caps, 0) : NULL;
  int rate = 0, channels = 0;
  GstMapInfo map;

  if (s == NULL || g_strcmp0 (gst_structure_get_string (s, "format"), "S16LE") != 0 ||
      !gst_structure_get_int (s, "rate", &rate) || !gst_structure_get_int (s, "channels", &channels) ||
      channels < 1 || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  const gint16 *samples = (const gint16 *) map.data;
  gsize n = map.size / sizeof (gint16) / (gsize) channels;
  guint64 energy = 0;
  for (gsize i = 0; i < n; i++)
    energy += (guint64) ABS ((int) samples[i * channels]);
  if (n > 0 && energy / n > 300)   /* louder than about -40 dBFS */
    {
      int sign = self->audio_last_sign;
      guint64 crossings = 0;
      for (gsize i = 0; i < n; i++)
        {
          int v = samples[i * channels];
          int now = v > 256 ? 1 : v < -256 ? -1 : sign;   /* with hysteresis against coding noise */
          if (sign != 0 && now != sign)
            crossings++;
          sign = now;
        }
      self->audio_last_sign = sign;
      self->audio_crossings += crossings;
      self->audio_samples += n;
      self->audio_rate = rate;
    }
  gst_buffer_unmap (buffer, &map);
}

static GstPadProbeReturn
count_audio_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  TcCall *self = user_data;
  g_mutex_lock (&self->lock);
  self->audio_buffers++;
  measure_audio (self, pad, GST_PAD_PROBE_INFO_BUFFER (info));
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

void
tc_call_remote_frame (TcCall      *self,
                      TcCallVideo  which,
                      GstSample   *sample)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->last_frame[which], gst_sample_unref);
  self->last_frame[which] = gst_sample_ref (sample);
  if (self->frame_func[which] != NULL)
    self->frame_func[which] (sample, self->frame_data[which]);
  g_mutex_unlock (&self->lock);
}

static GstFlowReturn
remote_sample_cb (GstAppSink *sink,
                  gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  if (sample != NULL)
    tc_call_remote_frame (user_data, TC_CALL_VIDEO_REMOTE, sample);
  return GST_FLOW_OK;
}

static GstFlowReturn
record_sample_cb (GstAppSink *sink,
                  gpointer    user_data)
{
  TcCall *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  TcCallMedia media = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sink), "tc-media"));
  if (sample != NULL && self->recorder != NULL)
    tc_call_recorder_push (self->recorder, media, sample);
  return GST_FLOW_OK;
}

/* The speakers if a sound device opens, else a sink that only counts.
 * Floating. */
static GstElement *
audio_sink (TcCall *self)
{
  if (self->play_audio)
    {
      GstElement *sink = gst_element_factory_make ("autoaudiosink", NULL);
      if (sink != NULL && gst_element_set_state (sink, GST_STATE_READY) != GST_STATE_CHANGE_FAILURE)
        return sink;
      if (sink != NULL)
        {
          gst_element_set_state (sink, GST_STATE_NULL);
          gst_object_unref (gst_object_ref_sink (sink));
        }
      GST_INFO ("no sound device: the peer's sound is counted, not played");
    }
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  return sink;
}

static GstElement *
receive_bin (TcCall       *self,
             TcCallMedia   media,
             TcCallCodec   codec,
             GError      **error)
{
  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new (NULL));
  GstElement *dec = tc_call_decoder_make (codec, self->recorder != NULL, error);
  if (dec == NULL)
    return NULL;
  gst_bin_add (GST_BIN (bin), dec);

  g_autoptr(GstPad) dec_src = gst_element_get_static_pad (dec, "src");
  if (media == TC_CALL_MEDIA_VIDEO)
    {
      GstElement *convert = gst_element_factory_make ("videoconvert", NULL);
      GstElement *sink = gst_element_factory_make ("appsink", NULL);
      g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGRA", NULL);
      g_object_set (sink, "caps", caps, "sync", FALSE, "async", FALSE, "max-buffers", 1, "drop", TRUE, "qos", FALSE, NULL);
      GstAppSinkCallbacks callbacks = { .new_sample = remote_sample_cb };
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
      gst_bin_add_many (GST_BIN (bin), convert, sink, NULL);
      gst_element_link_many (dec, convert, sink, NULL);
      gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER, count_video_cb, self, NULL);
    }
  else
    {
      GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
      GstElement *resample = gst_element_factory_make ("audioresample", NULL);
      GstElement *sink = audio_sink (self);
      gst_bin_add_many (GST_BIN (bin), convert, resample, sink, NULL);
      gst_element_link_many (dec, convert, resample, sink, NULL);
      gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER, count_audio_cb, self, NULL);
    }

  g_autoptr(GstPad) dec_sink = gst_element_get_static_pad (dec, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", dec_sink));
  g_autoptr(GstPad) record = gst_element_get_static_pad (dec, "record");
  if (record != NULL)
    {
      GstElement *rsink = gst_element_factory_make ("appsink", NULL);
      g_object_set (rsink, "sync", FALSE, "async", FALSE, "max-buffers", 64, "drop", TRUE, NULL);
      g_object_set_data (G_OBJECT (rsink), "tc-media", GINT_TO_POINTER (media));
      GstAppSinkCallbacks callbacks = { .new_sample = record_sample_cb };
      gst_app_sink_set_callbacks (GST_APP_SINK (rsink), &callbacks, self, NULL);
      gst_bin_add (GST_BIN (bin), rsink);
      g_autoptr(GstPad) rsink_pad = gst_element_get_static_pad (rsink, "sink");
      gst_pad_link (record, rsink_pad);
    }
  return g_steal_pointer (&bin);
}

void
tc_call_remote_pad_added (TcCall     *self,
                          TcCallPeer *peer,
                          GstPad     *pad)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  const GstStructure *s = caps != NULL && gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0) : NULL;
  const char *media_name = s != NULL ? gst_structure_get_string (s, "media") : NULL;
  TcCallCodec codec = tc_call_codec_from_name (s != NULL ? gst_structure_get_string (s, "encoding-name") : NULL);
  TcCallMedia media = g_strcmp0 (media_name, "video") == 0 ? TC_CALL_MEDIA_VIDEO : TC_CALL_MEDIA_AUDIO;
  g_autoptr(GError) error = NULL;
  GstElement *bin = NULL;

  GST_INFO ("peer %u: receiving %s %s", peer->generation, media_name, tc_call_codec_name (codec));
  if (codec == TC_CALL_CODEC_NONE ||
      (media == TC_CALL_MEDIA_AUDIO) != (codec == TC_CALL_CODEC_OPUS) ||
      (bin = receive_bin (self, media, codec, &error)) == NULL)
    {
      /* Something we cannot decode: swallow it rather than stall. */
      GST_WARNING ("cannot decode the peer's %s stream%s%s", media_name, error != NULL ? ": " : "",
                   error != NULL ? error->message : "");
      bin = gst_object_ref_sink (gst_element_factory_make ("fakesink", NULL));
      g_object_set (bin, "sync", FALSE, "async", FALSE, NULL);
    }

  gst_bin_add (GST_BIN (self->pipeline), bin);
  /* Running before webrtcbin pushes into it (a flushing pad would stop
   * its jitterbuffer's thread). */
  gst_element_sync_state_with_parent (bin);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    GST_WARNING ("could not link the peer's %s stream", media_name);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (peer->remote, bin);   /* the ref from ref_sink */
  g_mutex_unlock (&self->lock);
}

void
tc_call_remote_detach (TcCall     *self,
                       TcCallPeer *peer)
{
  g_mutex_lock (&self->lock);
  g_autoptr(GPtrArray) bins = g_ptr_array_copy (peer->remote, NULL, NULL);
  g_ptr_array_set_size (peer->remote, 0);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < bins->len; i++)
    {
      GstElement *bin = g_ptr_array_index (bins, i);
      tc_call_remove_element (self, bin);
      gst_object_unref (bin);
    }
}

/* ---- recording ---- */

/* Does the side that did not write @answer send us @media?  With @ours the
 * answer is ours: we receive what we accepted (sendrecv/recvonly). */
static gboolean
peer_sends (const GstSDPMessage *answer,
            const char          *media,
            gboolean             ours)
{
  for (guint i = 0; i < gst_sdp_message_medias_len (answer); i++)
    {
      const GstSDPMedia *m = gst_sdp_message_get_media (answer, i);
      if (g_strcmp0 (gst_sdp_media_get_media (m), media) != 0 || gst_sdp_media_get_port (m) == 0)
        continue;
      if (gst_sdp_media_get_attribute_val (m, "sendrecv") != NULL)
        return TRUE;
      if (gst_sdp_media_get_attribute_val (m, ours ? "recvonly" : "sendonly") != NULL)
        return TRUE;
    }
  return FALSE;
}

void
tc_call_remote_prepare_recording (TcCall              *self,
                                  const GstSDPMessage *answer,
                                  gboolean             ours)
{
  if (self->recorder == NULL)
    return;
  if (peer_sends (answer, "audio", ours))
    tc_call_recorder_want (self->recorder, TC_CALL_MEDIA_AUDIO);
  if (peer_sends (answer, "video", ours))
    tc_call_recorder_want (self->recorder, TC_CALL_MEDIA_VIDEO);
}

void
tc_call_remote_finish_recording (TcCall *self)
{
  if (self->recorder != NULL)
    tc_call_recorder_finish (self->recorder);
}
