/* tc-call-peer.c — one peer connection: a webrtcbin with an audio and a
 * video transceiver (send-receive when we have the source, receive-only
 * otherwise) and the pre-negotiated "review" data channel; offers,
 * answers and candidates with perfect negotiation; connection state.
 *
 * webrtcbin answers on its own threads: every reply is posted to the
 * call's main context tagged with the peer's generation, so a reply for a
 * peer connection that was replaced meanwhile is dropped. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-private.h"

#include <gst/sdp/sdp.h>
#include <glib/gi18n.h>
#ifdef TC_HAVE_NICE
#include <nice/agent.h>
#endif

/* What a promise callback needs, without touching the peer. */
typedef struct {
  TcCallAnchor *anchor;
  GMainContext *context;
  guint generation;
  guint serial;
} Op;

static Op *
op_new (TcCallPeer *peer)
{
  Op *op = g_new0 (Op, 1);
  op->anchor = tc_call_anchor_ref (peer->call->anchor);
  op->context = g_main_context_ref (peer->call->context);
  op->generation = peer->generation;
  op->serial = peer->offer_serial;
  return op;
}

static void
op_free (gpointer data)
{
  Op *op = data;
  tc_call_anchor_unref (op->anchor);
  g_main_context_unref (op->context);
  g_free (op);
}

/* A description made by webrtcbin, on its way to the main context. */
typedef struct {
  GstWebRTCSessionDescription *desc;
  guint serial;
  char *error;
} Reply;

static void
reply_free (gpointer data)
{
  Reply *reply = data;
  if (reply->desc != NULL)
    gst_webrtc_session_description_free (reply->desc);
  g_free (reply->error);
  g_free (reply);
}

/* The description (or the error) in a create-offer/answer reply. */
static Reply *
reply_from_promise (GstPromise *promise,
                    const char *field,
                    guint       serial)
{
  Reply *reply = g_new0 (Reply, 1);
  reply->serial = serial;
  const GstStructure *s = gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED ? gst_promise_get_reply (promise) : NULL;
  if (s == NULL)
    reply->error = g_strdup ("webrtcbin gave no reply");
  else if (gst_structure_has_field (s, "error"))
    {
      GError *error = NULL;
      gst_structure_get (s, "error", G_TYPE_ERROR, &error, NULL);
      reply->error = g_strdup (error != NULL ? error->message : "webrtcbin failed");
      g_clear_error (&error);
    }
  else if (!gst_structure_get (s, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &reply->desc, NULL) ||
           reply->desc == NULL)
    reply->error = g_strdup_printf ("webrtcbin's reply has no %s", field);
  return reply;
}

static void
peer_error (TcCall     *self,
            const char *what,
            const char *message)
{
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, message);
  tc_call_emit_error (self, error);
}

/* Sends @msg (consumed), or keeps it while the offer is held. */
static void
peer_send (TcCall       *self,
           TcCallPeer   *peer,
           TandemSignal *msg)
{
  if (peer->holding)
    g_ptr_array_add (peer->held, msg);
  else
    tc_call_send_signal (self, msg);
}

static void
send_description (TcCall                      *self,
                  TcCallPeer                  *peer,
                  GstWebRTCSessionDescription *desc)
{
  g_autofree char *text = gst_sdp_message_as_text (desc->sdp);
  peer_send (self, peer, tandem_signal_new_sdp (desc->type == GST_WEBRTC_SDP_TYPE_OFFER ? TANDEM_SIGNAL_OFFER
                                                                                       : TANDEM_SIGNAL_ANSWER, text));
}

/* ---- offers ---- */

static void
offer_ready (TcCall     *self,
             TcCallPeer *peer,
             gpointer    data)
{
  Reply *reply = data;

  if (reply->serial != peer->offer_serial || !peer->making_offer)
    return;   /* rolled back meanwhile */
  peer->making_offer = FALSE;
  if (reply->error != NULL)
    {
      peer_error (self, "could not make an offer", reply->error);
      return;
    }
  g_signal_emit_by_name (peer->webrtc, "set-local-description", reply->desc, NULL);
  g_free (peer->local_ufrag);
  peer->local_ufrag = tc_call_sdp_ufrag (reply->desc->sdp);
  peer->have_local_offer = TRUE;
  send_description (self, peer, reply->desc);
}

static void
offer_created_cb (GstPromise *promise,
                  gpointer    user_data)
{
  Op *op = user_data;
  Reply *reply = reply_from_promise (promise, "offer", op->serial);
  gst_promise_unref (promise);
  tc_call_post (op->anchor, op->context, op->generation, offer_ready, reply, reply_free);
}

static void defer (TcCallPeer *peer);

void
tc_call_peer_negotiate (TcCallPeer *peer)
{
  if (peer->making_offer || peer->have_local_offer)
    {
      peer->negotiate_again = TRUE;
      return;
    }
  if (peer->pads_without_caps > 0)
    {
      peer->offer_deferred = TRUE;
      defer (peer);
      return;
    }
  peer->offer_deferred = FALSE;
  peer->negotiate_again = FALSE;
  peer->making_offer = TRUE;
  peer->offer_serial++;
  GST_DEBUG ("peer %u: making an offer", peer->generation);
  GstPromise *promise = gst_promise_new_with_change_func (offer_created_cb, op_new (peer), op_free);
  g_signal_emit_by_name (peer->webrtc, "create-offer", NULL, promise);
}

void
tc_call_peer_prepare_offer (TcCallPeer *peer)
{
  if (peer->negotiated || peer->making_offer || peer->have_local_offer)
    return;
  GST_DEBUG ("peer %u: preparing an offer for whoever joins", peer->generation);
  peer->holding = TRUE;
  tc_call_peer_negotiate (peer);
}

gboolean
tc_call_peer_release_offer (TcCallPeer *peer)
{
  if (!peer->holding)
    return FALSE;
  peer->holding = FALSE;
  GST_DEBUG ("peer %u: sending the prepared offer", peer->generation);
  gsize n = 0;
  g_autofree gpointer *held = g_ptr_array_steal (peer->held, &n);
  for (gsize i = 0; i < n; i++)
    tc_call_send_signal (peer->call, held[i]);   /* consumes */
  return TRUE;
}

/* After an answer was applied (ours or theirs): follow its codec choice and
 * make the offer that waited, if any. */
static void
negotiation_done (TcCall              *self,
                  TcCallPeer          *peer,
                  const GstSDPMessage *answer,
                  gboolean             ours)
{
  peer->negotiated = TRUE;
  tc_call_local_follow_answer (self, peer, answer);
  tc_call_remote_prepare_recording (self, answer, ours);
  if (peer->negotiate_again)
    tc_call_peer_negotiate (peer);
  tc_call_negotiated (self);
}

static GstWebRTCSessionDescription *
parse_description (GstWebRTCSDPType  type,
                   const char       *text)
{
  GstSDPMessage *sdp = NULL;
  if (gst_sdp_message_new_from_text (text, &sdp) != GST_SDP_OK)
    return NULL;
  if (gst_sdp_message_medias_len (sdp) == 0 || gst_sdp_message_medias_len (sdp) > 16)
    {
      gst_sdp_message_free (sdp);
      return NULL;
    }
  return gst_webrtc_session_description_new (type, sdp);
}

void
tc_call_peer_receive_answer (TcCallPeer *peer,
                             const char *sdp)
{
  TcCall *self = peer->call;

  if (!peer->have_local_offer)
    {
      GST_INFO ("peer %u: an answer to no offer, ignored", peer->generation);
      return;
    }
  GstWebRTCSessionDescription *desc = parse_description (GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
  if (desc == NULL)
    {
      peer_error (self, "the answer", "not a valid SDP");
      return;
    }
  g_signal_emit_by_name (peer->webrtc, "set-remote-description", desc, NULL);
  peer->have_local_offer = FALSE;
  negotiation_done (self, peer, desc->sdp, FALSE);
  gst_webrtc_session_description_free (desc);
}

/* ---- answers ---- */

static void
remote_failed (TcCall     *self,
               TcCallPeer *peer,
               gpointer    data)
{
  peer_error (self, "the peer's offer", data);
}

static void
remote_applied_cb (GstPromise *promise,
                   gpointer    user_data)
{
  Op *op = user_data;
  const GstStructure *s = gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED ? gst_promise_get_reply (promise) : NULL;
  if (s != NULL && gst_structure_has_field (s, "error"))
    {
      GError *error = NULL;
      gst_structure_get (s, "error", G_TYPE_ERROR, &error, NULL);
      GST_WARNING ("peer %u: the peer's offer was refused: %s", op->generation, error != NULL ? error->message : "?");
      tc_call_post (op->anchor, op->context, op->generation, remote_failed,
                    g_strdup (error != NULL ? error->message : "refused"), g_free);
      g_clear_error (&error);
    }
}

static void
answer_ready (TcCall     *self,
              TcCallPeer *peer,
              gpointer    data)
{
  Reply *reply = data;

  if (reply->error != NULL)
    {
      peer_error (self, "could not answer", reply->error);
      return;
    }
  g_signal_emit_by_name (peer->webrtc, "set-local-description", reply->desc, NULL);
  g_free (peer->local_ufrag);
  peer->local_ufrag = tc_call_sdp_ufrag (reply->desc->sdp);
  send_description (self, peer, reply->desc);
  negotiation_done (self, peer, reply->desc->sdp, TRUE);
}

static void
answer_created_cb (GstPromise *promise,
                   gpointer    user_data)
{
  Op *op = user_data;
  Reply *reply = reply_from_promise (promise, "answer", op->serial);
  gst_promise_unref (promise);
  tc_call_post (op->anchor, op->context, op->generation, answer_ready, reply, reply_free);
}

void
tc_call_peer_receive_offer (TcCallPeer *peer,
                            const char *sdp)
{
  TcCall *self = peer->call;
  gboolean collision = peer->making_offer || peer->have_local_offer;

  if (collision && !self->polite)
    {
      GST_INFO ("peer %u: offers crossed; ours wins", peer->generation);
      return;
    }
  GstWebRTCSessionDescription *desc = parse_description (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  if (desc == NULL)
    {
      peer_error (self, "the offer", "not a valid SDP");
      return;
    }
  if (tc_call_local_follow_offer (self, peer, desc->sdp) || peer->pads_without_caps > 0)
    {
      /* answered once our encoders gave their caps */
      gst_webrtc_session_description_free (desc);
      g_free (peer->deferred_offer);
      peer->deferred_offer = g_strdup (sdp);
      defer (peer);
      return;
    }
  /* (a polite side whose offer is already set does not get here: the call
   * starts afresh instead, see tc_call_receive()) */
  if (collision)
    {
      /* Ours is still being made: drop it and answer theirs. */
      GST_INFO ("peer %u: offers crossed; ours is dropped", peer->generation);
      peer->making_offer = FALSE;
      peer->offer_serial++;          /* its late reply is dropped */
      peer->negotiate_again = TRUE;  /* our change still needs an offer */
    }
  /* webrtcbin runs these in order on its own thread. */
  GstPromise *applied = gst_promise_new_with_change_func (remote_applied_cb, op_new (peer), op_free);
  g_signal_emit_by_name (peer->webrtc, "set-remote-description", desc, applied);
  gst_promise_unref (applied);
  gst_webrtc_session_description_free (desc);
  GstPromise *promise = gst_promise_new_with_change_func (answer_created_cb, op_new (peer), op_free);
  g_signal_emit_by_name (peer->webrtc, "create-answer", NULL, promise);
}

/* ---- waiting for our encoders' caps ---- */

static void
resume (TcCallPeer *peer)
{
  g_clear_handle_id (&peer->defer_source, g_source_remove);
  if (peer->deferred_offer != NULL)
    {
      g_autofree char *sdp = g_steal_pointer (&peer->deferred_offer);
      /* Both offered while our encoders started (both restarted at
       * once): we answer theirs.  Offering now, with their offer applied,
       * trips an assertion in webrtcbin 1.22.  On a fresh connection the
       * answer does what our offer would; otherwise ours follows it. */
      if (peer->offer_deferred)
        {
          peer->offer_deferred = FALSE;
          peer->negotiate_again = peer->negotiated;
        }
      tc_call_peer_receive_offer (peer, sdp);
    }
  if (peer->offer_deferred)
    tc_call_peer_negotiate (peer);
}

static gboolean
defer_timeout_cb (gpointer user_data)
{
  TcCallPeer *peer = user_data;
  peer->defer_source = 0;
  GST_WARNING ("peer %u: %u encoder(s) gave no caps in time; negotiating anyway", peer->generation,
               peer->pads_without_caps);
  peer->pads_without_caps = 0;
  resume (peer);
  return G_SOURCE_REMOVE;
}

static void
defer (TcCallPeer *peer)
{
  if (peer->defer_source == 0)
    peer->defer_source = g_timeout_add_full (G_PRIORITY_DEFAULT, 2000, defer_timeout_cb, peer, NULL);
}

static void
pad_ready (TcCall     *self,
           TcCallPeer *peer,
           gpointer    data)
{
  if (peer->pads_without_caps == 0)
    return;
  if (--peer->pads_without_caps == 0)
    resume (peer);
}

static GstPadProbeReturn
caps_probe_cb (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  Op *op = user_data;
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  tc_call_post (op->anchor, op->context, op->generation, pad_ready, NULL, NULL);
  return GST_PAD_PROBE_REMOVE;
}

void
tc_call_peer_watch_pad (TcCallPeer *peer,
                        GstPad     *pad,
                        gboolean    new_caps)
{
  if (!new_caps && gst_pad_has_current_caps (pad))
    return;
  peer->pads_without_caps++;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, caps_probe_cb, op_new (peer), op_free);
}

/* ---- ICE ---- */

typedef struct {
  guint mline;
  char *candidate;   /* "" = end of candidates */
} Candidate;

static void
candidate_free (gpointer data)
{
  Candidate *c = data;
  g_free (c->candidate);
  g_free (c);
}

static void
send_candidate (TcCall     *self,
                TcCallPeer *peer,
                gpointer    data)
{
  Candidate *c = data;
  if (c->candidate[0] != '\0')
    peer->local_candidates++;
  peer_send (self, peer, tandem_signal_new_candidate (c->mline, c->candidate));
}

static void
on_ice_candidate_cb (GstElement *webrtc,
                     guint       mline,
                     const char *candidate,
                     gpointer    user_data)
{
  TcCallPeer *peer = user_data;
  Candidate *c = g_new0 (Candidate, 1);
  c->mline = mline;
  c->candidate = g_strdup (candidate != NULL ? candidate : "");
  tc_call_post (peer->call->anchor, peer->call->context, peer->generation, send_candidate, c, candidate_free);
}

static void
gathering_done (TcCall     *self,
                TcCallPeer *peer,
                gpointer    data)
{
  Candidate c = { 0, (char *) "" };
  send_candidate (self, peer, &c);
  /* Forced through a relay, libnice offers relay candidates only: none at
   * all means the TURN server refused us or never answered, and no check
   * can ever succeed.  Say so rather than wait. */
  if (self->relay_only && peer->local_candidates == 0)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                     _("the relay (TURN) server gave no relay address: "
                                                       "its credentials were refused or it cannot be reached"));
      tc_call_emit_error (self, error);
    }
}

static void
ice_gathering_state_cb (GstElement *webrtc,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  TcCallPeer *peer = user_data;
  GstWebRTCICEGatheringState state;
  g_object_get (webrtc, "ice-gathering-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
    tc_call_post (peer->call->anchor, peer->call->context, peer->generation, gathering_done, NULL, NULL);
}

void
tc_call_peer_receive_candidate (TcCallPeer *peer,
                                guint       mline,
                                const char *candidate)
{
  /* An empty candidate is the end of the peer's candidates: webrtcbin
   * tells libnice, which then concludes its checks without waiting. */
  if (strlen (candidate) > 1024)
    return;
  g_signal_emit_by_name (peer->webrtc, "add-ice-candidate", mline, candidate);
}

/* ---- connection state ---- */

static gboolean
restart_timeout_cb (gpointer user_data)
{
  TcCall *self = user_data;
  self->restart_source = 0;
  if (self->peer == NULL || self->peer->connected)
    return G_SOURCE_REMOVE;
  g_autofree char *addresses = tc_call_net_addresses (self->loopback_only);
  if (*addresses == '\0')
    {
      /* A connection gathered now would have no candidate: the network
       * watch (tc-call-net.c) restarts once an address comes. */
      GST_INFO ("connection lost and no address: waiting for the network");
      return G_SOURCE_REMOVE;
    }
  tc_call_restart_ice (self);
  return G_SOURCE_REMOVE;
}

static void
connection_changed (TcCall     *self,
                    TcCallPeer *peer,
                    gpointer    data)
{
  GstWebRTCPeerConnectionState state = GPOINTER_TO_INT (data);

  GST_INFO ("peer %u: connection %d", peer->generation, state);
  switch (state)
    {
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED:
      peer->connected = TRUE;
      g_clear_handle_id (&self->restart_source, g_source_remove);
      g_mutex_lock (&self->lock);
      if (self->connected_us == 0)
        self->connected_us = g_get_monotonic_time ();
      g_mutex_unlock (&self->lock);
      /* Frames sent before the keys were there are lost: start the
       * picture afresh. */
      tc_call_local_force_key_frame (self, peer);
      tc_call_set_state (self, TC_CALL_STATE_CONNECTED);
      break;
    case GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED:
    case GST_WEBRTC_PEER_CONNECTION_STATE_FAILED:
      peer->connected = FALSE;
      if (self->peer_id == NULL)
        break;
      tc_call_set_state (self, TC_CALL_STATE_RECONNECTING);
      /* The offering side restarts: at once on failure, after a grace
       * period when merely disconnected (ICE may recover). */
      if (!self->polite && self->restart_source == 0)
        self->restart_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
                                                           state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED ? 0 : 3,
                                                           restart_timeout_cb, self, NULL);
      break;
    default:
      break;
    }
}

static void
connection_state_cb (GstElement *webrtc,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  TcCallPeer *peer = user_data;
  GstWebRTCPeerConnectionState state;
  g_object_get (webrtc, "connection-state", &state, NULL);
  tc_call_post (peer->call->anchor, peer->call->context, peer->generation, connection_changed,
                GINT_TO_POINTER (state), NULL);
}

static void
ice_connection_state_cb (GstElement *webrtc,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  TcCallPeer *peer = user_data;
  GstWebRTCICEConnectionState state;
  g_object_get (webrtc, "ice-connection-state", &state, NULL);
  GST_INFO ("peer %u: ICE connection %d", peer->generation, state);
}

static void
pad_added_cb (GstElement *webrtc,
              GstPad     *pad,
              gpointer    user_data)
{
  TcCallPeer *peer = user_data;
  if (GST_PAD_DIRECTION (pad) == GST_PAD_SRC)
    tc_call_remote_pad_added (peer->call, peer, pad);
}

/* The jitterbuffer starts when two packets in a row are there instead of
 * after its whole latency: the first frame is not held back, and the
 * latency still absorbs jitter later. */
static void
new_jitterbuffer_cb (GstElement *rtpbin,
                     GstElement *jitterbuffer,
                     guint       session,
                     guint       ssrc,
                     gpointer    user_data)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (jitterbuffer), "faststart-min-packets") != NULL)
    g_object_set (jitterbuffer, "faststart-min-packets", 2, NULL);
}

/* ---- stats ---- */

static void
stats_ready (TcCall     *self,
             TcCallPeer *peer,
             gpointer    data)
{
  tc_call_take_stats (self, data);
}

static void
stats_cb (GstPromise *promise,
          gpointer    user_data)
{
  Op *op = user_data;
  const GstStructure *s = gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED ? gst_promise_get_reply (promise) : NULL;
  GstStructure *copy = s != NULL ? gst_structure_copy (s) : NULL;
  gst_promise_unref (promise);
  tc_call_post (op->anchor, op->context, op->generation, stats_ready, copy,
                (GDestroyNotify) gst_structure_free);
}

void
tc_call_peer_request_stats (TcCallPeer *peer)
{
  GstPromise *promise = gst_promise_new_with_change_func (stats_cb, op_new (peer), op_free);
  g_signal_emit_by_name (peer->webrtc, "get-stats", NULL, promise);
}

/* ---- setup and teardown ---- */

/* "stun:host:port" → "stun://host:port"; "turn:host:port?transport=udp"
 * with credentials → "turn://user:pass@host:port?transport=udp". */
static char *
ice_url (const char *url,
         const char *username,
         const char *credential)
{
  const char *colon = strchr (url, ':');
  if (colon == NULL || g_str_has_prefix (colon, "://"))
    return NULL;
  g_autofree char *scheme = g_ascii_strdown (url, colon - url);
  const char *rest = colon + 1;
  if (g_str_equal (scheme, "stun") || g_str_equal (scheme, "stuns"))
    return g_strdup_printf ("stun://%s", rest);
  if (!g_str_equal (scheme, "turn") && !g_str_equal (scheme, "turns"))
    return NULL;
  if (username == NULL || credential == NULL)
    return NULL;
  g_autofree char *user = g_uri_escape_string (username, NULL, FALSE);
  g_autofree char *pass = g_uri_escape_string (credential, NULL, FALSE);
  return g_strdup_printf ("%s://%s:%s@%s", scheme, user, pass, rest);
}

/* The STUN and TURN servers of the connect reply as webrtcbin's URLs
 * (newly allocated strings). */
static GPtrArray *
ice_urls (TcCall *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; self->ice_servers != NULL && i < json_array_get_length (self->ice_servers); i++)
    {
      JsonObject *server = json_array_get_object_element (self->ice_servers, i);
      if (server == NULL)
        continue;
      const char *username = json_object_get_string_member_with_default (server, "username", NULL);
      const char *credential = json_object_get_string_member_with_default (server, "credential", NULL);
      JsonNode *urls = json_object_get_member (server, "urls");
      g_autoptr(GPtrArray) list = g_ptr_array_new ();
      if (urls != NULL && JSON_NODE_HOLDS_ARRAY (urls))
        for (guint j = 0; j < json_array_get_length (json_node_get_array (urls)); j++)
          {
            const char *u = json_array_get_string_element (json_node_get_array (urls), j);
            if (u != NULL)
              g_ptr_array_add (list, (gpointer) u);
          }
      else if (urls != NULL && JSON_NODE_HOLDS_VALUE (urls) && json_node_get_value_type (urls) == G_TYPE_STRING)
        g_ptr_array_add (list, (gpointer) json_node_get_string (urls));

      for (guint j = 0; j < list->len; j++)
        {
          char *url = ice_url (g_ptr_array_index (list, j), username, credential);
          if (url != NULL)
            g_ptr_array_add (out, url);
        }
    }
  return out;
}

static gboolean
have_turn (GPtrArray *urls)
{
  for (guint i = 0; i < urls->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (urls, i), "turn"))
      return TRUE;
  return FALSE;
}

/* Gives @webrtc the first STUN server and every TURN server of @urls. */
static void
set_ice_servers (GstElement *webrtc,
                 GPtrArray  *urls)
{
  gboolean have_stun = FALSE;

  for (guint i = 0; i < urls->len; i++)
    {
      const char *url = g_ptr_array_index (urls, i);
      if (g_str_has_prefix (url, "stun://"))
        {
          if (!have_stun)
            g_object_set (webrtc, "stun-server", url, NULL);
          have_stun = TRUE;
        }
      else
        {
          gboolean ok = FALSE;
          g_signal_emit_by_name (webrtc, "add-turn-server", url, &ok);
          if (!ok)
            GST_WARNING ("webrtcbin refused a TURN server");
        }
    }
}

TcCallPeer *
tc_call_peer_new (TcCall  *self,
                  GError **error)
{
  g_autoptr(GPtrArray) urls = ice_urls (self);
  if (self->relay_only && !have_turn (urls))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("the call is to go through a relay, but the server offers no relay (TURN) server"));
      return NULL;
    }

  TcCallPeer *peer = g_new0 (TcCallPeer, 1);
  peer->call = self;
  peer->generation = self->next_generation++;
  tc_call_net_snapshot (self);
  peer->remote = g_ptr_array_new ();
  peer->held = g_ptr_array_new_with_free_func ((GDestroyNotify) tandem_signal_free);

  g_autofree char *name = g_strdup_printf ("webrtc-%u", peer->generation);
  peer->webrtc = gst_element_factory_make ("webrtcbin", name);
  if (peer->webrtc == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("GStreamer's webrtcbin is missing"));
      tc_call_peer_free (peer);
      return NULL;
    }
  gst_object_ref (peer->webrtc);
  gst_util_set_object_arg (G_OBJECT (peer->webrtc), "bundle-policy", "max-bundle");
  g_object_set (peer->webrtc, "latency", self->latency_ms, NULL);
  set_ice_servers (peer->webrtc, urls);
  peer->has_turn = have_turn (urls);
  /* Relay only: libnice gathers and checks relay candidates alone, so the
   * peer sees only the TURN server's address.  With loopback_only the
   * host candidate libnice allocates from is 127.0.0.1, which reaches a
   * TURN server on this host as well. */
  if (self->relay_only)
    gst_util_set_object_arg (G_OBJECT (peer->webrtc), "ice-transport-policy", "relay");
  g_autoptr(GObject) ice = NULL;
  g_object_get (peer->webrtc, "ice-agent", &ice, NULL);
  if (ice != NULL)
    {
      g_autoptr(GObject) agent = NULL;
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") != NULL)
        g_object_get (ice, "agent", &agent, NULL);
      /* No UPnP port mapping: it searches the LAN for a router at every
       * call and TURN covers what it would. */
      if (agent != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "upnp") != NULL)
        g_object_set (agent, "upnp", FALSE, NULL);
      /* Connectivity checks every 5 ms instead of 20: a call has few
       * candidate pairs, and each tick is on the way to the first frame. */
      if (agent != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "stun-pacing-timer") != NULL)
        g_object_set (agent, "stun-pacing-timer", 5, NULL);
      if (self->loopback_only)
        {
          gboolean ok = FALSE;
          g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
          g_object_set (ice, "ice-tcp", FALSE, NULL);
        }
    }
  g_signal_connect (peer->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate_cb), peer);
  g_signal_connect (peer->webrtc, "notify::ice-gathering-state", G_CALLBACK (ice_gathering_state_cb), peer);
  g_signal_connect (peer->webrtc, "notify::connection-state", G_CALLBACK (connection_state_cb), peer);
  g_signal_connect (peer->webrtc, "notify::ice-connection-state", G_CALLBACK (ice_connection_state_cb), peer);
  g_signal_connect (peer->webrtc, "pad-added", G_CALLBACK (pad_added_cb), peer);
  g_autoptr(GstElement) rtpbin = gst_bin_get_by_name (GST_BIN (peer->webrtc), "rtpbin");
  if (rtpbin != NULL)
    g_signal_connect (rtpbin, "new-jitterbuffer", G_CALLBACK (new_jitterbuffer_cb), NULL);
  gst_bin_add (GST_BIN (self->pipeline), peer->webrtc);
  /* webrtcbin is "closed" (refuses data channels) until it is READY */
  gst_element_sync_state_with_parent (peer->webrtc);

  /* Audio first, then video, then the data channel: the m-lines of every
   * offer and answer, on both sides.  A medium we send gets its
   * transceiver from the pad we request (webrtcbin 1.22 makes a new one
   * per pad); one we only receive gets a receive-only transceiver. */
  if (!tc_call_local_attach (self, peer, error))
    {
      tc_call_peer_free (peer);
      return NULL;
    }
  TcCallCodec opus = TC_CALL_CODEC_OPUS;
  g_autoptr(GstCaps) audio_caps = tc_call_codec_caps (&opus, 1);
  g_autoptr(GstCaps) video_caps = tc_call_codec_caps ((TcCallCodec *) self->video_codecs->data, self->video_codecs->len);
  if (peer->audio_pad != NULL)
    g_object_get (peer->audio_pad, "transceiver", &peer->audio_trans, NULL);
  else
    g_signal_emit_by_name (peer->webrtc, "add-transceiver", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
                           audio_caps, &peer->audio_trans);
  if (peer->video_pad != NULL)
    {
      g_object_get (peer->video_pad, "transceiver", &peer->video_trans, NULL);
      /* offer every video codec we have, not just the encoder's */
      g_object_set (peer->video_trans, "codec-preferences", video_caps, NULL);
    }
  else
    g_signal_emit_by_name (peer->webrtc, "add-transceiver", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
                           video_caps, &peer->video_trans);

  GstStructure *options = gst_structure_new ("options",
                                             "ordered", G_TYPE_BOOLEAN, TRUE,
                                             "negotiated", G_TYPE_BOOLEAN, TRUE,
                                             "id", G_TYPE_INT, 0,
                                             NULL);
  g_signal_emit_by_name (peer->webrtc, "create-data-channel", TC_REVIEW_SYNC_LABEL, options, &peer->channel);
  gst_structure_free (options);
  if (peer->channel == NULL)
    GST_WARNING ("webrtcbin made no data channel: no review together in this call");
  tc_review_sync_attach (self->review, peer->channel);
  GST_DEBUG ("peer %u ready", peer->generation);
  return peer;
}

#ifdef TC_HAVE_NICE
#define AGENT_CLOSE_WAIT_MS 500

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean done;
} AgentClosing;

static void
agent_closing_clear (gpointer data)
{
  AgentClosing *closing = data;
  g_mutex_clear (&closing->lock);
  g_cond_clear (&closing->cond);
}

/* On the agent's own thread (webrtcbin's ICE thread). */
static void
agent_closed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AgentClosing *closing = user_data;
  g_mutex_lock (&closing->lock);
  closing->done = TRUE;
  g_cond_signal (&closing->cond);
  g_mutex_unlock (&closing->lock);
  g_atomic_rc_box_release_full (closing, agent_closing_clear);
}
#endif

/* libnice keeps each TURN allocation alive with refreshes, and webrtcbin
 * 1.22 drops its agent without ending them: libnice then warns, and the
 * relay holds the allocation until it times out.  Ending them here (a
 * refresh of lifetime 0 each, answered within a round trip) frees the
 * relay at once; waits at most AGENT_CLOSE_WAIT_MS.  Call while webrtcbin
 * still runs: its nicesrc reads the relay's answers. */
static void
close_ice_agent (TcCallPeer *peer)
{
#ifdef TC_HAVE_NICE
  g_autoptr(GObject) ice = NULL;
  g_autoptr(GObject) agent = NULL;

  g_object_get (peer->webrtc, "ice-agent", &ice, NULL);
  if (ice != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") != NULL)
    g_object_get (ice, "agent", &agent, NULL);
  if (agent == NULL || !NICE_IS_AGENT (agent))
    return;

  AgentClosing *closing = g_atomic_rc_box_new0 (AgentClosing);
  g_mutex_init (&closing->lock);
  g_cond_init (&closing->cond);
  nice_agent_close_async (NICE_AGENT (agent), agent_closed_cb, g_atomic_rc_box_acquire (closing));
  gint64 until = g_get_monotonic_time () + AGENT_CLOSE_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&closing->lock);
  while (!closing->done)
    if (!g_cond_wait_until (&closing->cond, &closing->lock, until))
      break;
  if (!closing->done)
    GST_WARNING ("the ICE agent did not close its TURN allocations in time");
  g_mutex_unlock (&closing->lock);
  g_atomic_rc_box_release_full (closing, agent_closing_clear);
#else
  (void) peer;
#endif
}

void
tc_call_peer_free (TcCallPeer *peer)
{
  TcCall *self = peer->call;

  /* Take the encoders off the tees, then stop webrtcbin: nothing then
   * flows into the receive bins we remove, and the encoders' pushes end
   * as flushing, which reaches no source. */
  tc_call_local_unlink (self, peer);
  if (peer->webrtc != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
      if (peer->has_turn)
        close_ice_agent (peer);
      gst_element_set_locked_state (peer->webrtc, TRUE);
      gst_element_set_state (peer->webrtc, GST_STATE_NULL);
    }
  if (peer->channel != NULL)
    {
      tc_review_sync_attach (self->review, NULL);
      g_clear_object (&peer->channel);
    }
  tc_call_local_detach (self, peer);
  tc_call_remote_detach (self, peer);
  if (peer->webrtc != NULL)
    {
      tc_call_remove_element (self, peer->webrtc);
      gst_clear_object (&peer->webrtc);
    }
  gst_clear_object (&peer->audio_trans);
  gst_clear_object (&peer->video_trans);
  g_clear_handle_id (&peer->defer_source, g_source_remove);
  g_free (peer->deferred_offer);
  g_free (peer->remote_ufrag);
  g_free (peer->local_ufrag);
  g_ptr_array_unref (peer->remote);
  g_ptr_array_unref (peer->held);
  g_free (peer);
}
