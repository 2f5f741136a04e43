/* tc-call.c — the call engine's object: options, public API, the
 * signaling messages in and out, and the call's state.  The pipeline
 * pieces live in tc-call-local.c, tc-call-peer.c and tc-call-remote.c. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-private.h"

#include "tc-call-cert.h"
#include "tandem-error.h"
#include "tandem-signal.h"

#include <gst/sdp/sdp.h>
#include <string.h>

#include <glib/gi18n.h>

GST_DEBUG_CATEGORY (tc_call_debug);

G_DEFINE_FINAL_TYPE (TcCall, tc_call, G_TYPE_OBJECT)

enum {
  SIG_SEND,
  SIG_STATE_CHANGED,
  SIG_PEER_CHANGED,
  SIG_PEER_MEDIA_CHANGED,
  SIG_PEER_LEFT,
  SIG_FIRST_REMOTE_FRAME,
  SIG_STATS_UPDATED,
  SIG_ERROR,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- anchors and posting ---- */

TcCallAnchor *
tc_call_anchor_ref (TcCallAnchor *anchor)
{
  g_atomic_ref_count_inc (&anchor->ref);
  return anchor;
}

void
tc_call_anchor_unref (TcCallAnchor *anchor)
{
  if (g_atomic_ref_count_dec (&anchor->ref))
    g_free (anchor);
}

typedef struct {
  TcCallAnchor *anchor;
  guint generation;
  TcCallMainFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Posted;

static void
posted_free (gpointer p)
{
  Posted *posted = p;
  if (posted->destroy != NULL && posted->data != NULL)
    posted->destroy (posted->data);
  tc_call_anchor_unref (posted->anchor);
  g_free (posted);
}

static gboolean
posted_cb (gpointer p)
{
  Posted *posted = p;
  TcCall *self = posted->anchor->call;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  if (posted->generation != 0 && (self->peer == NULL || self->peer->generation != posted->generation))
    return G_SOURCE_REMOVE;
  g_autoptr(TcCall) keep = g_object_ref (self);
  posted->func (self, posted->generation != 0 ? self->peer : NULL, posted->data);
  return G_SOURCE_REMOVE;
}

void
tc_call_post (TcCallAnchor   *anchor,
              GMainContext   *context,
              guint           generation,
              TcCallMainFunc  func,
              gpointer        data,
              GDestroyNotify  destroy)
{
  Posted *posted = g_new0 (Posted, 1);
  posted->anchor = tc_call_anchor_ref (anchor);
  posted->generation = generation;
  posted->func = func;
  posted->data = data;
  posted->destroy = destroy;

  GSource *source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, posted_cb, posted, posted_free);
  g_source_attach (source, context);
  g_source_unref (source);
}

/* ---- state ---- */

const char *
tc_call_state_to_string (TcCallState state)
{
  switch (state)
    {
    case TC_CALL_STATE_IDLE: return "idle";
    case TC_CALL_STATE_WAITING: return "waiting";
    case TC_CALL_STATE_CONNECTING: return "connecting";
    case TC_CALL_STATE_CONNECTED: return "connected";
    case TC_CALL_STATE_RECONNECTING: return "reconnecting";
    case TC_CALL_STATE_ENDED: return "ended";
    default: return "unknown";
    }
}

void
tc_call_set_state (TcCall      *self,
                   TcCallState  state)
{
  if (self->state == state || self->state == TC_CALL_STATE_ENDED)
    return;
  GST_INFO ("call state %s → %s", tc_call_state_to_string (self->state), tc_call_state_to_string (state));
  self->state = state;
  if (state == TC_CALL_STATE_CONNECTED && self->stats.connected_ms < 0)
    self->stats.connected_ms = (g_get_monotonic_time () - self->join_us) / 1000;
  g_signal_emit (self, signals[SIG_STATE_CHANGED], 0, (guint) state);
}

void
tc_call_emit_error (TcCall       *self,
                    const GError *error)
{
  GST_WARNING ("call error: %s", error->message);
  g_signal_emit (self, signals[SIG_ERROR], 0, error);
}

void
tc_call_send_signal (TcCall       *self,
                     TandemSignal *msg)
{
  g_autofree char *text = tandem_signal_to_json (msg);
  tandem_signal_free (msg);
  GST_LOG ("send %s", text);
  g_signal_emit (self, signals[SIG_SEND], 0, text);
}

void
tc_call_send_media_state (TcCall *self)
{
  if (self->state == TC_CALL_STATE_IDLE || self->state == TC_CALL_STATE_ENDED)
    return;
  gboolean screen = self->video_spec != NULL && g_str_has_prefix (self->video_spec, "screen");
  gboolean video = self->video_source != NULL && !self->video_muted;
  TandemSignal *msg = tandem_signal_new_media (self->audio_source != NULL && !self->audio_muted,
                                               video && !screen, video && screen);
  /* which connection we have, for a peer that lost only its signaling */
  if (self->peer != NULL && self->peer->negotiated)
    msg->session = g_strdup (self->peer->local_ufrag);
  tc_call_send_signal (self, msg);
}

/* ---- peer connections ---- */

/* Drops the current peer connection (if any) and makes a fresh one. */
static gboolean
replace_peer (TcCall   *self,
              GError  **error)
{
  g_clear_pointer (&self->peer, tc_call_peer_free);
  self->peer = tc_call_peer_new (self, error);
  return self->peer != NULL;
}

/* A fresh peer connection unless the current one was never used. */
static gboolean
fresh_peer (TcCall   *self,
            GError  **error)
{
  if (self->peer != NULL && !self->peer->negotiated && !self->peer->making_offer &&
      !self->peer->have_local_offer)
    return TRUE;
  return replace_peer (self, error);
}

static void
set_peer (TcCall     *self,
          const char *user_id,
          const char *name)
{
  if (g_strcmp0 (self->peer_id, user_id) == 0 && g_strcmp0 (self->peer_name, name) == 0)
    return;
  g_free (self->peer_id);
  g_free (self->peer_name);
  self->peer_id = g_strdup (user_id);
  self->peer_name = g_strdup (name);
  self->peer_audio = self->peer_video = self->peer_screen = FALSE;
  g_signal_emit (self, signals[SIG_PEER_CHANGED], 0);
}

void
tc_call_peer_gone (TcCall     *self,
                   const char *reason)
{
  g_autoptr(GError) error = NULL;

  tc_call_resume_clear (self);
  if (self->peer_id == NULL)
    return;
  set_peer (self, NULL, NULL);
  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (!replace_peer (self, &error))
    tc_call_emit_error (self, error);
  /* told first: after a hangup the caller may end the call here */
  g_signal_emit (self, signals[SIG_PEER_LEFT], 0, reason);
  if (self->state == TC_CALL_STATE_ENDED)
    return;
  tc_call_set_state (self, TC_CALL_STATE_WAITING);
  if (self->peer != NULL)
    tc_call_peer_prepare_offer (self->peer);
}

void
tc_call_offer_to_joined (TcCall *self)
{
  g_autoptr(GError) error = NULL;

  /* We were here first: offer, on a connection of our own (the one with
   * the offer prepared while we waited, if any). */
  tc_call_resume_clear (self);
  g_clear_handle_id (&self->restart_source, g_source_remove);
  tc_call_set_state (self, TC_CALL_STATE_CONNECTING);
  if (self->peer == NULL || !tc_call_peer_release_offer (self->peer))
    {
      if (!fresh_peer (self, &error))
        {
          tc_call_emit_error (self, error);
          return;
        }
      tc_call_peer_negotiate (self->peer);
    }
  tc_call_send_media_state (self);
}

/* The ICE user fragment of an SDP's text, or NULL.  A new one in an offer
 * means the peer restarted its connection. */
static char *
sdp_ice_ufrag (const char *text)
{
  g_autoptr(GstSDPMessage) sdp = NULL;

  if (gst_sdp_message_new_from_text (text, &sdp) != GST_SDP_OK)
    return NULL;
  return tc_call_sdp_ufrag (sdp);
}

gboolean
tc_call_receive (TcCall      *self,
                 const char  *text,
                 GError     **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TC_IS_CALL (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (self->state == TC_CALL_STATE_ENDED)
    return TRUE;
  g_autoptr(TandemSignal) msg = tandem_signal_parse (text, strlen (text), TANDEM_SIGNAL_FROM_SERVER, &local);
  if (msg == NULL)
    {
      /* a newer server may send types we do not know: not an error */
      if (g_error_matches (local, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad signaling message: %s", local->message);
      return FALSE;
    }
  GST_LOG ("received %s", tandem_signal_type_to_string (msg->type));

  switch (msg->type)
    {
    case TANDEM_SIGNAL_WELCOME:
      g_free (self->self_id);
      self->self_id = g_strdup (msg->user_id);
      if (self->state == TC_CALL_STATE_CONNECTED && self->peer_id != NULL)
        {
          /* Back after our own link broke, while the media went on. */
          if (msg->peer_present && g_strcmp0 (msg->peer_user_id, self->peer_id) == 0)
            {
              GST_INFO ("signaling back; the peer is there: naming our connection");
              tc_call_resume_clear (self);
              tc_call_send_media_state (self);
              break;
            }
          if (!msg->peer_present && tc_call_away_begin (self))
            break;
          if (!msg->peer_present)
            {
              tc_call_peer_gone (self, "dropped");
              break;
            }
        }
      if (msg->peer_present)
        {
          /* The peer offers; our connection and encoders are ready. */
          set_peer (self, msg->peer_user_id, msg->peer_name);
          tc_call_set_state (self, TC_CALL_STATE_CONNECTING);
          tc_call_send_media_state (self);
        }
      else
        {
          tc_call_set_state (self, TC_CALL_STATE_WAITING);
          /* Whoever joins gets our offer at once. */
          if (self->peer != NULL)
            tc_call_peer_prepare_offer (self->peer);
        }
      break;

    case TANDEM_SIGNAL_PEER_JOINED:
      /* the away peer, back: its media message tells the rest */
      if (tc_call_resume_expect (self, msg->user_id))
        break;
      set_peer (self, msg->user_id, msg->name);
      tc_call_offer_to_joined (self);
      break;

    case TANDEM_SIGNAL_PEER_LEFT:
      if (msg->reason == TANDEM_SIGNAL_REASON_DROPPED && g_strcmp0 (msg->user_id, self->peer_id) == 0 &&
          tc_call_away_begin (self))
        break;
      tc_call_peer_gone (self, tandem_signal_reason_to_string (msg->reason));
      break;

    case TANDEM_SIGNAL_HANGUP:
      tc_call_peer_gone (self, "hangup");
      break;

    case TANDEM_SIGNAL_OFFER:
      {
        if (self->peer_id == NULL)
          set_peer (self, msg->from, NULL);
        g_autofree char *ufrag = sdp_ice_ufrag (msg->sdp);
        if (self->peer != NULL && self->peer->remote_ufrag == NULL && !self->peer->negotiated &&
            self->peer->have_local_offer && !self->polite && self->peer_id != NULL)
          {
            /* Both sides restarted at once: our fresh offer wins, the
             * polite side answers it. */
            GST_INFO ("restart offers crossed; ours wins");
            break;
          }
        if (self->peer != NULL && self->peer->remote_ufrag != NULL && g_strcmp0 (ufrag, self->peer->remote_ufrag) != 0)
          {
            /* New ICE credentials: the peer made a new connection (a
             * restart, or it came back): so do we. */
            GST_INFO ("the peer restarts the connection");
            g_clear_handle_id (&self->restart_source, g_source_remove);
            if (!replace_peer (self, &local))
              {
                tc_call_emit_error (self, local);
                return TRUE;
              }
            self->stats.ice_restarts++;
            tc_call_set_state (self, self->state == TC_CALL_STATE_CONNECTED ? TC_CALL_STATE_RECONNECTING
                                                                             : TC_CALL_STATE_CONNECTING);
          }
        else if (self->peer == NULL && !replace_peer (self, &local))
          {
            tc_call_emit_error (self, local);
            return TRUE;
          }
        else if (self->polite && (self->peer->have_local_offer ||
                                  (self->peer->making_offer && !self->peer->negotiated)))
          {
            /* Offers crossed and ours is set: webrtcbin 1.22 cannot roll
             * it back.  Not negotiated yet: answer theirs on a fresh
             * connection — also when ours is still being made (both
             * restarted at once): answering on this one and offering again
             * after trips an assertion in webrtcbin 1.22.  Negotiated (both
             * renegotiated at once): start afresh with a restart offer,
             * which the other side answers. */
            GST_INFO ("offers crossed; ours is set: %s", self->peer->negotiated ? "restarting" : "answering on a fresh connection");
            if (self->peer->negotiated)
              {
                tc_call_restart_ice (self);
                break;
              }
            if (!replace_peer (self, &local))
              {
                tc_call_emit_error (self, local);
                return TRUE;
              }
          }
        if (self->state == TC_CALL_STATE_WAITING)
          tc_call_set_state (self, TC_CALL_STATE_CONNECTING);
        g_free (self->peer->remote_ufrag);
        self->peer->remote_ufrag = g_steal_pointer (&ufrag);
        tc_call_peer_receive_offer (self->peer, msg->sdp);
      }
      break;

    case TANDEM_SIGNAL_ANSWER:
      if (self->peer != NULL && self->peer->have_local_offer)
        {
          g_free (self->peer->remote_ufrag);
          self->peer->remote_ufrag = sdp_ice_ufrag (msg->sdp);
          tc_call_peer_receive_answer (self->peer, msg->sdp);
        }
      break;

    case TANDEM_SIGNAL_CANDIDATE:
      if (self->peer != NULL)
        tc_call_peer_receive_candidate (self->peer, msg->sdp_mline_index, msg->candidate);
      break;

    case TANDEM_SIGNAL_MEDIA:
      self->peer_audio = msg->audio;
      self->peer_video = msg->video;
      self->peer_screen = msg->screen;
      g_signal_emit (self, signals[SIG_PEER_MEDIA_CHANGED], 0);
      tc_call_resume_take (self, msg->session);
      break;

    case TANDEM_SIGNAL_ERROR_MSG:
      g_set_error_literal (&local, TANDEM_ERROR, tandem_error_code_from_name (msg->code, TANDEM_ERROR_INTERNAL),
                           msg->message != NULL ? msg->message : msg->code);
      tc_call_emit_error (self, local);
      break;

    case TANDEM_SIGNAL_PONG:
    default:
      break;
    }
  return TRUE;
}

/* ---- public API ---- */

TcCall *
tc_call_new (const TcCallOptions *options,
             GError             **error)
{
  static const char *const required[] = { "webrtcbin", "nicesrc", "dtlsdec", "rtpbin", "sctpenc", NULL };
  g_return_val_if_fail (options != NULL, NULL);

  if (!gst_init_check (NULL, NULL, error))
    return NULL;
  if (tc_call_debug == NULL)
    GST_DEBUG_CATEGORY_INIT (tc_call_debug, "tc-call", 0, "Tandem call engine");
  for (guint i = 0; required[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) f = gst_element_factory_find (required[i]);
      if (f == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("calls need the GStreamer element “%s” (install gstreamer1.0-plugins-bad and gstreamer1.0-nice)"),
                       required[i]);
          return NULL;
        }
    }
  if (!tc_call_codec_available (TC_CALL_CODEC_OPUS) || !tc_call_codec_available (TC_CALL_CODEC_VP8))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("calls need Opus and VP8 in GStreamer (install gstreamer1.0-plugins-base and -good)"));
      return NULL;
    }
  tc_call_cert_warm_up ();

  g_autoptr(TcCall) self = g_object_new (TC_TYPE_CALL, NULL);
  self->video_spec = tc_call_spec_is_none (options->video) ? NULL : g_strdup (options->video);
  self->audio_spec = tc_call_spec_is_none (options->audio) ? NULL : g_strdup (options->audio);
  self->play_audio = options->play_audio;
  self->polite = options->polite;
  self->latency_ms = options->latency_ms > 0 ? options->latency_ms : TC_CALL_DEFAULT_LATENCY_MS;
  self->format.width = options->width > 0 ? options->width : 640;
  self->format.height = options->height > 0 ? options->height : 360;
  self->format.framerate = options->framerate > 0 ? options->framerate : 30;
  self->format.video_bitrate_kbps = options->video_bitrate_kbps > 0 ? options->video_bitrate_kbps : 800;
  self->video_codecs = tc_call_codec_list (options->video_codecs);
  self->record_path = g_strdup (options->record_path);
  self->loopback_only = options->loopback_only;
  self->relay_only = options->relay_only;

  if (!tc_call_local_build (self, error))
    return NULL;
  if (self->record_path != NULL && (self->recorder = tc_call_recorder_new (self->record_path, error)) == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
tc_call_set_ice_servers (TcCall    *self,
                         JsonArray *ice_servers)
{
  g_return_if_fail (TC_IS_CALL (self));
  g_clear_pointer (&self->ice_servers, json_array_unref);
  if (ice_servers != NULL)
    self->ice_servers = json_array_ref (ice_servers);
}

gboolean
tc_call_start (TcCall  *self,
               GError **error)
{
  g_return_val_if_fail (TC_IS_CALL (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);

  self->started = TRUE;
  self->join_us = g_get_monotonic_time ();
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("the call's media could not start (a camera or microphone that cannot open?)"));
      return FALSE;
    }
  self->peer = tc_call_peer_new (self, error);
  if (self->peer == NULL)
    return FALSE;
  tc_call_net_watch (self);
  /* the state changes with the server's welcome */
  return TRUE;
}

static void
end_call (TcCall *self)
{
  if (self->state == TC_CALL_STATE_ENDED)
    return;
  g_clear_handle_id (&self->restart_source, g_source_remove);
  tc_call_resume_clear (self);
  tc_call_net_unwatch (self);
  g_clear_pointer (&self->peer, tc_call_peer_free);
  tc_call_remote_finish_recording (self);
  tc_call_set_state (self, TC_CALL_STATE_ENDED);
}

void
tc_call_hangup (TcCall *self)
{
  g_return_if_fail (TC_IS_CALL (self));
  if (self->state == TC_CALL_STATE_ENDED)
    return;
  if (self->started)
    tc_call_send_signal (self, tandem_signal_new (TANDEM_SIGNAL_HANGUP));
  end_call (self);
}

void
tc_call_stop (TcCall *self)
{
  g_return_if_fail (TC_IS_CALL (self));
  end_call (self);
}

/* The camera came on during the call: a new video m-line, offered by
 * whichever side turned it on (crossed offers: the polite side gives
 * way). */
static gboolean
add_video (TcCall  *self,
           GError **error)
{
  self->peer->video_wanted = FALSE;
  if (!tc_call_local_attach_video (self, self->peer, error))
    return FALSE;
  tc_call_peer_negotiate (self->peer);
  return TRUE;
}

void
tc_call_negotiated (TcCall *self)
{
  g_autoptr(GError) error = NULL;
  if (self->peer != NULL && self->peer->generation != self->counted_generation)
    {
      self->counted_generation = self->peer->generation;
      self->peer_connections++;
    }
  if (self->peer != NULL && self->peer->video_wanted && self->video_tee != NULL)
    {
      if (!add_video (self, &error))
        tc_call_emit_error (self, error);
      else
        tc_call_send_media_state (self);
    }
}

gboolean
tc_call_set_video_source (TcCall      *self,
                          const char  *spec,
                          GError     **error)
{
  gboolean added = FALSE;

  g_return_val_if_fail (TC_IS_CALL (self), FALSE);
  if (!tc_call_local_set_video (self, spec, &added, error))
    return FALSE;
  if (added && self->peer != NULL)
    {
      TcCallPeer *peer = self->peer;
      if (peer->negotiated)
        {
          if (!add_video (self, error))
            return FALSE;
        }
      else if (peer->have_local_offer && !peer->holding)
        peer->video_wanted = TRUE;   /* once the answer is in */
      else
        {
          /* Nothing negotiated yet: a fresh connection has the camera
           * from the start (and makes the waiting offer again). */
          gboolean prepared = peer->holding;
          if (!replace_peer (self, error))
            return FALSE;
          if (prepared)
            tc_call_peer_prepare_offer (self->peer);
        }
    }
  tc_call_send_media_state (self);
  return TRUE;
}

void
tc_call_set_audio_muted (TcCall   *self,
                         gboolean  muted)
{
  g_return_if_fail (TC_IS_CALL (self));
  self->audio_muted = muted;
  if (self->audio_source != NULL)
    g_object_set (tc_call_source_volume (self->audio_source), "mute", muted, NULL);
  tc_call_send_media_state (self);
}

void
tc_call_set_video_muted (TcCall   *self,
                         gboolean  muted)
{
  g_return_if_fail (TC_IS_CALL (self));
  if (self->video_muted == muted)
    return;
  self->video_muted = muted;
  if (self->video_source != NULL)
    {
      g_autoptr(GstElement) valve = gst_bin_get_by_name (GST_BIN (self->pipeline), "video-valve");
      if (valve != NULL)
        g_object_set (valve, "drop", muted, NULL);
      if (!muted && self->peer != NULL)
        tc_call_local_force_key_frame (self, self->peer);
    }
  tc_call_send_media_state (self);
}

void
tc_call_restart_ice (TcCall *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TC_IS_CALL (self));
  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (self->peer_id == NULL || self->state == TC_CALL_STATE_ENDED)
    return;
  if (!replace_peer (self, &error))
    {
      tc_call_emit_error (self, error);
      return;
    }
  self->stats.ice_restarts++;
  tc_call_set_state (self, TC_CALL_STATE_RECONNECTING);
  tc_call_peer_negotiate (self->peer);
}

/* Called by tc-call-net.c when the machine's addresses are no longer
 * those the current connection was made with. */
void
tc_call_addresses_changed (TcCall *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->started || self->state == TC_CALL_STATE_ENDED || self->peer == NULL)
    return;
  if (self->peer_id != NULL)
    {
      /* In a call, either side restarts: the other one sees new ICE
       * credentials and follows (the peer may not notice anything: its
       * network did not change).  When both restart at once, the offers
       * cross and the impolite side's wins. */
      GST_INFO ("restarting the connection on the new addresses");
      tc_call_restart_ice (self);
      return;
    }
  if (self->peer->holding)
    {
      /* Alone: the prepared offer carries the old candidates. */
      GST_INFO ("preparing the offer again on the new addresses");
      if (!replace_peer (self, &error))
        tc_call_emit_error (self, error);
      else
        tc_call_peer_prepare_offer (self->peer);
      return;
    }
  /* not negotiating: the connection gathers when it is used */
  tc_call_net_snapshot (self);
}

TcCallState
tc_call_get_state (TcCall *self)
{
  g_return_val_if_fail (TC_IS_CALL (self), TC_CALL_STATE_IDLE);
  return self->state;
}

const char *
tc_call_get_peer_id (TcCall *self)
{
  g_return_val_if_fail (TC_IS_CALL (self), NULL);
  return self->peer_id;
}

const char *
tc_call_get_peer_name (TcCall *self)
{
  g_return_val_if_fail (TC_IS_CALL (self), NULL);
  return self->peer_name;
}

void
tc_call_get_peer_media (TcCall   *self,
                        gboolean *audio,
                        gboolean *video,
                        gboolean *screen)
{
  g_return_if_fail (TC_IS_CALL (self));
  if (audio != NULL)
    *audio = self->peer_audio;
  if (video != NULL)
    *video = self->peer_video;
  if (screen != NULL)
    *screen = self->peer_screen;
}

void
tc_call_get_stats (TcCall      *self,
                   TcCallStats *stats)
{
  g_return_if_fail (TC_IS_CALL (self));
  g_return_if_fail (stats != NULL);
  *stats = self->stats;
  stats->peer_connections = self->peer_connections;
  stats->signaling_resumes = self->signaling_resumes;
  g_mutex_lock (&self->lock);
  stats->video_frames_received = self->video_frames;
  stats->audio_buffers_received = self->audio_buffers;
  if (self->first_frame_us > 0)
    stats->first_remote_frame_ms = (self->first_frame_us - self->join_us) / 1000;
  if (self->audio_samples > 0 && self->audio_rate > 0)
    stats->audio_frequency_hz = self->audio_crossings / 2.0 / ((double) self->audio_samples / self->audio_rate);
  g_mutex_unlock (&self->lock);
}

void
tc_call_update_stats (TcCall *self)
{
  g_return_if_fail (TC_IS_CALL (self));
  if (self->peer != NULL)
    tc_call_peer_request_stats (self->peer);
}

/* Called by tc-call-peer.c with a get-stats reply. */
void
tc_call_take_stats (TcCall             *self,
                    const GstStructure *reply)
{
  if (reply != NULL)
    tc_call_stats_read (&self->stats, reply, g_get_monotonic_time ());
  g_signal_emit (self, signals[SIG_STATS_UPDATED], 0);
}

/* Called by tc-call-remote.c (on the main context) after the first frame. */
void
tc_call_first_frame (TcCall *self)
{
  TcCallStats stats;
  tc_call_get_stats (self, &stats);
  self->stats.first_remote_frame_ms = stats.first_remote_frame_ms;
  g_signal_emit (self, signals[SIG_FIRST_REMOTE_FRAME], 0, stats.first_remote_frame_ms);
}

TcReviewSync *
tc_call_get_review (TcCall *self)
{
  g_return_val_if_fail (TC_IS_CALL (self), NULL);
  return self->review;
}

void
tc_call_set_frame_func (TcCall          *self,
                        TcCallVideo      which,
                        TcCallFrameFunc  func,
                        gpointer         user_data,
                        GDestroyNotify   destroy)
{
  g_return_if_fail (TC_IS_CALL (self));
  g_return_if_fail (which == TC_CALL_VIDEO_REMOTE || which == TC_CALL_VIDEO_LOCAL);

  g_mutex_lock (&self->lock);
  GDestroyNotify old_destroy = self->frame_destroy[which];
  gpointer old_data = self->frame_data[which];
  self->frame_func[which] = func;
  self->frame_data[which] = user_data;
  self->frame_destroy[which] = destroy;
  g_mutex_unlock (&self->lock);
  if (old_destroy != NULL)
    old_destroy (old_data);
  if (which == TC_CALL_VIDEO_LOCAL && func != NULL && self->pipeline != NULL)
    tc_call_local_want_selfview (self);
}

GstSample *
tc_call_dup_last_frame (TcCall      *self,
                        TcCallVideo  which)
{
  g_return_val_if_fail (TC_IS_CALL (self), NULL);
  g_mutex_lock (&self->lock);
  GstSample *sample = self->last_frame[which] != NULL ? gst_sample_ref (self->last_frame[which]) : NULL;
  g_mutex_unlock (&self->lock);
  return sample;
}

GstElement *
tc_call_get_pipeline (TcCall *self)
{
  g_return_val_if_fail (TC_IS_CALL (self), NULL);
  return self->pipeline;
}

void
tc_call_remove_element (TcCall     *self,
                        GstElement *element)
{
  gst_element_set_locked_state (element, TRUE);
  gst_element_set_state (element, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (element) != NULL)
    gst_bin_remove (GST_BIN (GST_OBJECT_PARENT (element)), element);
}

/* ---- GObject ---- */

static void
tc_call_dispose (GObject *object)
{
  TcCall *self = TC_CALL (object);

  if (self->anchor != NULL)
    {
      self->anchor->call = NULL;
      g_clear_pointer (&self->anchor, tc_call_anchor_unref);
    }
  g_clear_handle_id (&self->restart_source, g_source_remove);
  tc_call_resume_clear (self);
  tc_call_net_unwatch (self);
  g_clear_pointer (&self->peer, tc_call_peer_free);
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      tc_call_local_teardown (self);
      g_clear_handle_id (&self->bus_watch, g_source_remove);
      g_clear_object (&self->pipeline);
    }
  for (guint i = 0; i < 2; i++)
    {
      if (self->frame_destroy[i] != NULL)
        self->frame_destroy[i] (self->frame_data[i]);
      self->frame_destroy[i] = NULL;
      self->frame_func[i] = NULL;
      g_clear_pointer (&self->last_frame[i], gst_sample_unref);
    }
  g_clear_pointer (&self->recorder, tc_call_recorder_free);
  g_clear_object (&self->review);
  G_OBJECT_CLASS (tc_call_parent_class)->dispose (object);
}

static void
tc_call_finalize (GObject *object)
{
  TcCall *self = TC_CALL (object);

  g_free (self->video_spec);
  g_free (self->audio_spec);
  g_free (self->record_path);
  g_clear_pointer (&self->video_codecs, g_array_unref);
  g_clear_pointer (&self->ice_servers, json_array_unref);
  g_free (self->self_id);
  g_free (self->peer_id);
  g_free (self->peer_name);
  g_free (self->net_addresses);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (tc_call_parent_class)->finalize (object);
}

static void
tc_call_class_init (TcCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = tc_call_dispose;
  object_class->finalize = tc_call_finalize;

  /* A signaling message to send: (const char *json). */
  signals[SIG_SEND] = g_signal_new ("send", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (guint state): a TcCallState. */
  signals[SIG_STATE_CHANGED] = g_signal_new ("state-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_UINT);
  /* The peer came or went: see tc_call_get_peer_id(). */
  signals[SIG_PEER_CHANGED] = g_signal_new ("peer-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
  /* The peer's "media" message: see tc_call_get_peer_media(). */
  signals[SIG_PEER_MEDIA_CHANGED] = g_signal_new ("peer-media-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                                  NULL, G_TYPE_NONE, 0);
  /* (const char *reason): "left", "dropped" or "hangup". */
  signals[SIG_PEER_LEFT] = g_signal_new ("peer-left", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (gint64 ms from join). */
  signals[SIG_FIRST_REMOTE_FRAME] = g_signal_new ("first-remote-frame", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIG_STATS_UPDATED] = g_signal_new ("stats-updated", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  /* (GError *): a media or server error; the call goes on if it can. */
  signals[SIG_ERROR] = g_signal_new ("error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tc_call_init (TcCall *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->anchor = g_new0 (TcCallAnchor, 1);
  g_atomic_ref_count_init (&self->anchor->ref);
  self->anchor->call = self;
  g_mutex_init (&self->lock);
  tc_call_stats_init (&self->stats);
  self->review = tc_review_sync_new ();
  self->next_generation = 1;
}
