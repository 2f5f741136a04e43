/* tc-call-local.c — what this side sends: the sources (each into a tee),
 * the self view, and the encoder branches from the tees into a peer
 * connection's webrtcbin.  Main context only. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-private.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <glib/gi18n.h>

/* ---- bus ---- */

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  TcCall *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        gst_message_parse_error (message, &error, &debug);
        GST_WARNING ("error from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message,
                     debug != NULL ? debug : "");
        tc_call_emit_error (self, error);
      }
      break;
    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) error = NULL;
        gst_message_parse_warning (message, &error, NULL);
        GST_WARNING ("warning from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message);
      }
      break;
    case GST_MESSAGE_LATENCY:
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* ---- sources ---- */

static GstFlowReturn
selfview_sample_cb (GstAppSink *sink,
                    gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  if (sample != NULL)
    tc_call_remote_frame (user_data, TC_CALL_VIDEO_LOCAL, sample);
  return GST_FLOW_OK;
}

/* Adds @element to the pipeline and brings it to the pipeline's state. */
static void
add_running (TcCall     *self,
             GstElement *element)
{
  gst_bin_add (GST_BIN (self->pipeline), element);
}

static gboolean
add_source (TcCall       *self,
            TcCallMedia   media,
            const char   *spec,
            GError      **error)
{
  GstElement *source = tc_call_source_make (media, spec, &self->format, error);
  if (source == NULL)
    return FALSE;
  GstElement *tee = gst_element_factory_make ("tee", media == TC_CALL_MEDIA_VIDEO ? "video-tee" : "audio-tee");
  g_object_set (tee, "allow-not-linked", TRUE, NULL);
  add_running (self, source);
  add_running (self, tee);

  if (media == TC_CALL_MEDIA_VIDEO)
    {
      GstElement *valve = gst_element_factory_make ("valve", "video-valve");
      g_object_set (valve, "drop", self->video_muted, NULL);
      add_running (self, valve);
      gst_element_link_many (source, valve, tee, NULL);
      self->video_source = source;
      self->video_tee = tee;
    }
  else
    {
      gst_element_link (source, tee);
      g_object_set (tc_call_source_volume (source), "mute", self->audio_muted, NULL);
      self->audio_source = source;
      self->audio_tee = tee;
    }
  return TRUE;
}

/* The self view: a branch of the video tee into an appsink, made when
 * someone wants local frames.  The appsink is not async: added to a
 * playing pipeline, an async sink would make the pipeline lose its state
 * until it prerolls, and a live source added meanwhile (a camera turned
 * on, a screen share) would then stay paused and never feed it. */
static void
ensure_selfview (TcCall *self)
{
  if (self->selfview != NULL || self->video_tee == NULL)
    return;
  g_autoptr(GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (
    "queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 leaky=downstream ! videoconvert ! "
    "appsink name=sink sync=false async=false max-buffers=1 drop=true emit-signals=false caps=video/x-raw,format=BGRA",
    TRUE, &error);
  if (bin == NULL)
    {
      tc_call_emit_error (self, error);
      return;
    }
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  GstAppSinkCallbacks callbacks = { .new_sample = selfview_sample_cb };
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  add_running (self, bin);
  self->selfview = bin;
  gst_element_sync_state_with_parent (bin);
  self->selfview_tee_pad = gst_element_request_pad_simple (self->video_tee, "src_%u");
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (bin, "sink");
  gst_pad_link (self->selfview_tee_pad, sinkpad);
}

/* Called when a frame function for the self view is set. */
void
tc_call_local_want_selfview (TcCall *self)
{
  ensure_selfview (self);
}

static void
remove_selfview (TcCall *self)
{
  if (self->selfview == NULL)
    return;
  if (self->selfview_tee_pad != NULL)
    {
      g_autoptr(GstPad) peer = gst_pad_get_peer (self->selfview_tee_pad);
      if (peer != NULL)
        gst_pad_unlink (self->selfview_tee_pad, peer);
      gst_element_release_request_pad (self->video_tee, self->selfview_tee_pad);
      g_clear_object (&self->selfview_tee_pad);
    }
  tc_call_remove_element (self, self->selfview);
  self->selfview = NULL;
}

static void
remove_video_source (TcCall *self)
{
  remove_selfview (self);
  g_autoptr(GstElement) valve = gst_bin_get_by_name (GST_BIN (self->pipeline), "video-valve");
  if (self->video_source != NULL)
    tc_call_remove_element (self, self->video_source);
  if (valve != NULL)
    tc_call_remove_element (self, valve);
  if (self->video_tee != NULL)
    tc_call_remove_element (self, self->video_tee);
  self->video_source = NULL;
  self->video_tee = NULL;
}

gboolean
tc_call_local_build (TcCall  *self,
                     GError **error)
{
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("call"));
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
  GSource *source = gst_bus_create_watch (bus);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) bus_cb, self, NULL);
  self->bus_watch = g_source_attach (source, self->context);
  g_source_unref (source);

  if (self->video_spec != NULL && !add_source (self, TC_CALL_MEDIA_VIDEO, self->video_spec, error))
    return FALSE;
  if (self->audio_spec != NULL && !add_source (self, TC_CALL_MEDIA_AUDIO, self->audio_spec, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  gboolean want = self->frame_func[TC_CALL_VIDEO_LOCAL] != NULL;
  g_mutex_unlock (&self->lock);
  if (want)
    ensure_selfview (self);
  return TRUE;
}

gboolean
tc_call_local_set_video (TcCall      *self,
                         const char  *spec,
                         gboolean    *added,
                         GError     **error)
{
  *added = FALSE;
  if (tc_call_spec_is_none (spec))
    {
      if (self->video_source == NULL)
        return TRUE;
      if (self->peer != NULL)
        {
          /* the stream stays negotiated; it just stops */
          if (self->peer->video_tee_pad != NULL)
            {
              g_autoptr(GstPad) peer_pad = gst_pad_get_peer (self->peer->video_tee_pad);
              if (peer_pad != NULL)
                gst_pad_unlink (self->peer->video_tee_pad, peer_pad);
              gst_element_release_request_pad (self->video_tee, self->peer->video_tee_pad);
              g_clear_object (&self->peer->video_tee_pad);
            }
        }
      remove_video_source (self);
      g_clear_pointer (&self->video_spec, g_free);
      return TRUE;
    }

  /* Check the new source before dropping the old one. */
  GstElement *probe = tc_call_source_make (TC_CALL_MEDIA_VIDEO, spec, &self->format, error);
  if (probe == NULL)
    return FALSE;
  gst_object_unref (gst_object_ref_sink (probe));

  gboolean had_video = self->video_source != NULL;
  gboolean had_encoder = self->peer != NULL && self->peer->video_enc != NULL;
  if (had_video)
    {
      if (self->peer != NULL && self->peer->video_tee_pad != NULL)
        {
          g_autoptr(GstPad) peer_pad = gst_pad_get_peer (self->peer->video_tee_pad);
          if (peer_pad != NULL)
            gst_pad_unlink (self->peer->video_tee_pad, peer_pad);
          gst_element_release_request_pad (self->video_tee, self->peer->video_tee_pad);
          g_clear_object (&self->peer->video_tee_pad);
        }
      remove_video_source (self);
    }
  g_free (self->video_spec);
  self->video_spec = g_strdup (spec);
  if (!add_source (self, TC_CALL_MEDIA_VIDEO, spec, error))
    {
      g_clear_pointer (&self->video_spec, g_free);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  gboolean want = self->frame_func[TC_CALL_VIDEO_LOCAL] != NULL;
  g_mutex_unlock (&self->lock);
  if (want)
    ensure_selfview (self);

  if (had_encoder)
    {
      /* The encoder is still linked to webrtcbin: feed it from the new tee. */
      self->peer->video_tee_pad = gst_element_request_pad_simple (self->video_tee, "src_%u");
      g_autoptr(GstPad) enc_sink = gst_element_get_static_pad (self->peer->video_enc, "sink");
      gst_pad_link (self->peer->video_tee_pad, enc_sink);
    }
  else
    *added = TRUE;

  if (self->started)
    {
      /* downstream first, so that nothing pushes into a flushing pad */
      g_autoptr(GstElement) valve = gst_bin_get_by_name (GST_BIN (self->pipeline), "video-valve");
      gst_element_sync_state_with_parent (self->video_tee);
      gst_element_sync_state_with_parent (valve);
      gst_element_sync_state_with_parent (self->video_source);
    }
  if (had_encoder)
    tc_call_local_force_key_frame (self, self->peer);
  return TRUE;
}

/* ---- encoders into a peer connection ---- */

/* An encoder branch from @media's tee into a new webrtcbin sink pad;
 * @pad_name NULL lets webrtcbin make a new transceiver, "sink_N" puts it
 * on the transceiver of m-line N. */
static gboolean
attach_one (TcCall      *self,
            TcCallPeer  *peer,
            TcCallMedia  media,
            const char  *pad_name,
            GError     **error)
{
  GstElement *tee = media == TC_CALL_MEDIA_VIDEO ? self->video_tee : self->audio_tee;
  TcCallCodec codec = media == TC_CALL_MEDIA_VIDEO ? g_array_index (self->video_codecs, TcCallCodec, 0)
                                                   : TC_CALL_CODEC_OPUS;
  if (tee == NULL)
    return TRUE;

  GstElement *enc = tc_call_encoder_make (codec, &self->format, error);
  if (enc == NULL)
    return FALSE;
  g_autoptr(GstCaps) caps = tc_call_codec_caps (&codec, 1);
  GstPadTemplate *templ = gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (peer->webrtc), "sink_%u");
  GstPad *webrtc_pad = gst_element_request_pad (peer->webrtc, templ, pad_name, caps);
  if (webrtc_pad == NULL)
    {
      gst_object_unref (gst_object_ref_sink (enc));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "webrtcbin refused a %s stream", tc_call_codec_name (codec));
      return FALSE;
    }
  gst_bin_add (GST_BIN (self->pipeline), enc);
  g_autoptr(GstPad) enc_src = gst_element_get_static_pad (enc, "src");
  g_autoptr(GstPad) enc_sink = gst_element_get_static_pad (enc, "sink");
  if (gst_pad_link (enc_src, webrtc_pad) != GST_PAD_LINK_OK)
    {
      gst_element_release_request_pad (peer->webrtc, webrtc_pad);
      gst_object_unref (webrtc_pad);
      tc_call_remove_element (self, enc);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not link the %s encoder to webrtcbin",
                   tc_call_codec_name (codec));
      return FALSE;
    }
  /* Running before the tee feeds it: a flushing pad would stop the
   * source's streaming thread. */
  gst_element_sync_state_with_parent (enc);
  GstPad *tee_pad = gst_element_request_pad_simple (tee, "src_%u");
  gst_pad_link (tee_pad, enc_sink);

  tc_call_peer_watch_pad (peer, webrtc_pad, FALSE);
  if (media == TC_CALL_MEDIA_VIDEO)
    {
      peer->video_enc = enc;
      peer->video_pad = webrtc_pad;
      peer->video_tee_pad = tee_pad;
      peer->video_codec = codec;
    }
  else
    {
      peer->audio_enc = enc;
      peer->audio_pad = webrtc_pad;
      peer->audio_tee_pad = tee_pad;
    }
  return TRUE;
}

gboolean
tc_call_local_attach (TcCall      *self,
                      TcCallPeer  *peer,
                      GError     **error)
{
  return attach_one (self, peer, TC_CALL_MEDIA_AUDIO, NULL, error) &&
         attach_one (self, peer, TC_CALL_MEDIA_VIDEO, NULL, error);
}

gboolean
tc_call_local_attach_video (TcCall      *self,
                            TcCallPeer  *peer,
                            GError     **error)
{
  if (peer->video_enc != NULL)
    return TRUE;
  /* A new pad: webrtcbin 1.22 gives it a new transceiver, so the offer
   * gains a sending video m-line beside the receive-only one (1.22 cannot
   * change the direction of a negotiated m-line). */
  if (!attach_one (self, peer, TC_CALL_MEDIA_VIDEO, NULL, error))
    return FALSE;
  g_autoptr(GstWebRTCRTPTransceiver) trans = NULL;
  g_object_get (peer->video_pad, "transceiver", &trans, NULL);
  g_autoptr(GstCaps) caps = tc_call_codec_caps ((TcCallCodec *) self->video_codecs->data, self->video_codecs->len);
  if (trans != NULL)
    g_object_set (trans, "codec-preferences", caps, NULL);
  return TRUE;
}

static void
detach_one (TcCall      *self,
            TcCallPeer  *peer,
            GstElement **enc,
            GstPad     **webrtc_pad,
            GstPad     **tee_pad,
            GstElement  *tee)
{
  if (*tee_pad != NULL)
    {
      g_autoptr(GstPad) peer_pad = gst_pad_get_peer (*tee_pad);
      if (peer_pad != NULL)
        gst_pad_unlink (*tee_pad, peer_pad);
      if (tee != NULL)
        gst_element_release_request_pad (tee, *tee_pad);
      g_clear_object (tee_pad);
    }
  if (*enc != NULL)
    {
      tc_call_remove_element (self, *enc);
      *enc = NULL;
    }
  if (*webrtc_pad != NULL)
    {
      if (peer->webrtc != NULL && GST_OBJECT_PARENT (*webrtc_pad) == GST_OBJECT (peer->webrtc))
        gst_element_release_request_pad (peer->webrtc, *webrtc_pad);
      g_clear_object (webrtc_pad);
    }
}

/* Unlinks the tees from @peer's encoders.  First thing at teardown: an
 * encoder that sees a flushing webrtcbin returns FLUSHING upstream, and a
 * tee passing that on stops the source for good. */
void
tc_call_local_unlink (TcCall     *self,
                      TcCallPeer *peer)
{
  GstPad *pads[2] = { peer->audio_tee_pad, peer->video_tee_pad };
  GstElement *tees[2] = { self->audio_tee, self->video_tee };
  for (guint i = 0; i < 2; i++)
    {
      if (pads[i] == NULL)
        continue;
      g_autoptr(GstPad) peer_pad = gst_pad_get_peer (pads[i]);
      if (peer_pad != NULL)
        gst_pad_unlink (pads[i], peer_pad);
      if (tees[i] != NULL)
        gst_element_release_request_pad (tees[i], pads[i]);
    }
  g_clear_object (&peer->audio_tee_pad);
  g_clear_object (&peer->video_tee_pad);
}

void
tc_call_local_detach (TcCall     *self,
                      TcCallPeer *peer)
{
  tc_call_local_unlink (self, peer);
  detach_one (self, peer, &peer->audio_enc, &peer->audio_pad, &peer->audio_tee_pad, self->audio_tee);
  detach_one (self, peer, &peer->video_enc, &peer->video_pad, &peer->video_tee_pad, self->video_tee);
}

void
tc_call_local_force_key_frame (TcCall     *self,
                               TcCallPeer *peer)
{
  if (peer->video_enc == NULL)
    return;
  g_autoptr(GstElement) encoder = gst_bin_get_by_name (GST_BIN (peer->video_enc), "encoder");
  g_autoptr(GstPad) src = encoder != NULL ? gst_element_get_static_pad (encoder, "src") : NULL;
  if (src != NULL)
    gst_pad_send_event (src, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0));
}

/* The first payload type of the answer's m-line of @media, and its
 * codec. */
static gboolean
answer_codec (const GstSDPMessage *answer,
              const char          *media,
              TcCallCodec         *codec,
              int                 *pt)
{
  for (guint i = 0; i < gst_sdp_message_medias_len (answer); i++)
    {
      const GstSDPMedia *m = gst_sdp_message_get_media (answer, i);
      if (g_strcmp0 (gst_sdp_media_get_media (m), media) != 0 || gst_sdp_media_get_port (m) == 0 ||
          gst_sdp_media_formats_len (m) == 0)
        continue;
      *pt = atoi (gst_sdp_media_get_format (m, 0));
      g_autoptr(GstCaps) caps = gst_sdp_media_get_caps_from_media (m, *pt);
      if (caps == NULL || gst_caps_get_size (caps) == 0)
        return FALSE;
      *codec = tc_call_codec_from_name (gst_structure_get_string (gst_caps_get_structure (caps, 0), "encoding-name"));
      return *codec != TC_CALL_CODEC_NONE;
    }
  return FALSE;
}

static void
set_payload_type (GstElement *enc,
                  int         pt)
{
  g_autoptr(GstPad) src = gst_element_get_static_pad (enc, "src");
  g_autoptr(GstPad) target = gst_ghost_pad_get_target (GST_GHOST_PAD (src));
  g_autoptr(GstElement) pay = target != NULL ? gst_pad_get_parent_element (target) : NULL;
  int current = -1;
  if (pay == NULL)
    return;
  g_object_get (pay, "pt", &current, NULL);
  if (current != pt)
    g_object_set (pay, "pt", (guint) pt, NULL);
}

/* Replaces @peer's video encoder by one for @codec, between the tee and
 * the same webrtcbin pad. */
static gboolean
swap_video_encoder (TcCall      *self,
                    TcCallPeer  *peer,
                    TcCallCodec  codec)
{
  g_autoptr(GError) error = NULL;
  GstElement *enc = tc_call_encoder_make (codec, &self->format, &error);
  if (enc == NULL)
    {
      tc_call_emit_error (self, error);
      return FALSE;
    }
  if (peer->video_tee_pad != NULL)
    {
      g_autoptr(GstPad) old_sink = gst_pad_get_peer (peer->video_tee_pad);
      if (old_sink != NULL)
        gst_pad_unlink (peer->video_tee_pad, old_sink);
    }
  /* Before negotiation webrtcbin blocks its pad, and the old encoder's
   * thread waits there: flushing the pad releases it, so that the encoder
   * can stop. */
  gboolean blocked = gst_pad_is_blocked (peer->video_pad);
  if (blocked)
    gst_pad_send_event (peer->video_pad, gst_event_new_flush_start ());
  g_autoptr(GstPad) old_src = gst_element_get_static_pad (peer->video_enc, "src");
  gst_pad_unlink (old_src, peer->video_pad);
  tc_call_remove_element (self, peer->video_enc);
  if (blocked)
    gst_pad_send_event (peer->video_pad, gst_event_new_flush_stop (FALSE));
  gst_bin_add (GST_BIN (self->pipeline), enc);
  g_autoptr(GstPad) enc_src = gst_element_get_static_pad (enc, "src");
  g_autoptr(GstPad) enc_sink = gst_element_get_static_pad (enc, "sink");
  gst_pad_link (enc_src, peer->video_pad);
  gst_element_sync_state_with_parent (enc);
  if (peer->video_tee_pad != NULL)
    gst_pad_link (peer->video_tee_pad, enc_sink);
  peer->video_enc = enc;
  peer->video_codec = codec;
  return TRUE;
}

gboolean
tc_call_local_follow_offer (TcCall              *self,
                            TcCallPeer          *peer,
                            const GstSDPMessage *offer)
{
  if (peer->video_enc == NULL)
    return FALSE;
  for (guint i = 0; i < gst_sdp_message_medias_len (offer); i++)
    {
      const GstSDPMedia *m = gst_sdp_message_get_media (offer, i);
      if (g_strcmp0 (gst_sdp_media_get_media (m), "video") != 0)
        continue;
      for (guint f = 0; f < gst_sdp_media_formats_len (m); f++)
        {
          int pt = atoi (gst_sdp_media_get_format (m, f));
          g_autoptr(GstCaps) caps = gst_sdp_media_get_caps_from_media (m, pt);
          if (caps == NULL || gst_caps_get_size (caps) == 0)
            continue;
          TcCallCodec codec = tc_call_codec_from_name (gst_structure_get_string (gst_caps_get_structure (caps, 0),
                                                                                 "encoding-name"));
          gboolean ours = FALSE;
          for (guint k = 0; k < self->video_codecs->len; k++)
            ours |= g_array_index (self->video_codecs, TcCallCodec, k) == codec;
          if (!ours)
            continue;
          if (codec == peer->video_codec)
            return FALSE;
          GST_INFO ("the offer prefers %s: switching the video encoder", tc_call_codec_name (codec));
          if (!swap_video_encoder (self, peer, codec))
            return FALSE;
          tc_call_peer_watch_pad (peer, peer->video_pad, TRUE);
          return TRUE;
        }
      return FALSE;
    }
  return FALSE;
}

void
tc_call_local_follow_answer (TcCall              *self,
                             TcCallPeer          *peer,
                             const GstSDPMessage *answer)
{
  TcCallCodec codec;
  int pt;

  if (peer->audio_enc != NULL && answer_codec (answer, "audio", &codec, &pt))
    set_payload_type (peer->audio_enc, pt);
  if (peer->video_enc == NULL || !answer_codec (answer, "video", &codec, &pt))
    return;
  if (codec != peer->video_codec && tc_call_codec_available (codec))
    {
      GST_INFO ("the answer chose %s: switching the video encoder", tc_call_codec_name (codec));
      if (!swap_video_encoder (self, peer, codec))
        return;
    }
  set_payload_type (peer->video_enc, pt);
}

void
tc_call_local_teardown (TcCall *self)
{
  remove_selfview (self);
  /* the rest goes with the pipeline */
  self->video_source = self->video_tee = NULL;
  self->audio_source = self->audio_tee = NULL;
}
