/* tc-call-resume.c — keeping the media when only the signaling broke.
 *
 * The media of a call goes peer to peer; the link to signald carries only
 * the signaling.  When that link breaks for one side (signald says
 * "peer-left dropped", or our own welcome after a reconnect finds the peer
 * gone too, as after a restart of signald), the peer connection may well
 * still carry everything.  Then the call stays as it is — "away" — while
 * the peer's frames keep coming, for at most AWAY_MAX_S.  When the peer is
 * back (peer-joined), it names the connection it still has: its media
 * message carries the ICE user fragment of that connection.  If it is the
 * one we have, nothing is renegotiated; if not, or if no word comes within
 * RESUME_WAIT_MS, the usual fresh offer follows.  When the frames stop
 * while away, the peer is gone for good: the usual "dropped". */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-private.h"

#include <string.h>

#define AWAY_CHECK_MS  250
#define AWAY_SILENT_MS 1500
#define AWAY_MAX_S     60
#define RESUME_WAIT_MS 2000

char *
tc_call_sdp_ufrag (const GstSDPMessage *sdp)
{
  const char *ufrag = NULL;

  if (sdp == NULL)
    return NULL;
  if (gst_sdp_message_medias_len (sdp) > 0)
    ufrag = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (sdp, 0), "ice-ufrag");
  if (ufrag == NULL)
    ufrag = gst_sdp_message_get_attribute_val (sdp, "ice-ufrag");
  return g_strdup (ufrag);
}

static guint64
received_so_far (TcCall *self)
{
  g_mutex_lock (&self->lock);
  guint64 n = self->video_frames + self->audio_buffers;
  g_mutex_unlock (&self->lock);
  return n;
}

/* Does the current peer connection carry media from the peer? */
static gboolean
connection_stands (TcCall *self)
{
  return self->peer_id != NULL && self->peer != NULL && self->peer->negotiated && self->peer->connected &&
         self->state == TC_CALL_STATE_CONNECTED;
}

static gboolean
away_check_cb (gpointer user_data)
{
  TcCall *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 received = received_so_far (self);

  if (received != self->away_received)
    {
      self->away_received = received;
      self->away_heard_us = now;
    }
  gboolean silent = now - self->away_heard_us > AWAY_SILENT_MS * 1000;
  gboolean too_long = now - self->away_since_us > (gint64) AWAY_MAX_S * G_USEC_PER_SEC;
  if (!silent && !too_long && self->peer != NULL && self->peer->connected)
    return G_SOURCE_CONTINUE;

  GST_INFO ("the peer stays away (%s)", silent ? "no more media" : "too long");
  self->away_source = 0;
  tc_call_resume_clear (self);
  tc_call_peer_gone (self, "dropped");
  return G_SOURCE_REMOVE;
}

gboolean
tc_call_away_begin (TcCall *self)
{
  if (self->peer_away)
    return TRUE;
  if (!connection_stands (self))
    return FALSE;
  GST_INFO ("the peer's signaling dropped; the media goes on meanwhile");
  self->peer_away = TRUE;
  self->away_since_us = self->away_heard_us = g_get_monotonic_time ();
  self->away_received = received_so_far (self);
  self->away_source = g_timeout_add (AWAY_CHECK_MS, away_check_cb, self);
  return TRUE;
}

static gboolean
resume_timeout_cb (gpointer user_data)
{
  TcCall *self = user_data;
  self->resume_source = 0;
  GST_INFO ("the peer came back without naming its connection: a fresh one");
  tc_call_resume_clear (self);
  tc_call_offer_to_joined (self);
  return G_SOURCE_REMOVE;
}

gboolean
tc_call_resume_expect (TcCall     *self,
                       const char *user_id)
{
  if (!self->peer_away || g_strcmp0 (user_id, self->peer_id) != 0 || !connection_stands (self))
    {
      tc_call_resume_clear (self);
      return FALSE;
    }
  g_clear_handle_id (&self->away_source, g_source_remove);
  self->peer_away = FALSE;
  self->resume_pending = TRUE;
  self->resume_source = g_timeout_add (RESUME_WAIT_MS, resume_timeout_cb, self);
  return TRUE;
}

void
tc_call_resume_take (TcCall     *self,
                     const char *session)
{
  if (!self->resume_pending)
    return;
  gboolean same = session != NULL && self->peer != NULL && self->peer->remote_ufrag != NULL &&
                  strcmp (session, self->peer->remote_ufrag) == 0 && connection_stands (self);
  tc_call_resume_clear (self);
  if (same)
    {
      GST_INFO ("the peer is back on the connection that stands: nothing to renegotiate");
      self->signaling_resumes++;
      tc_call_send_media_state (self);
      return;
    }
  GST_INFO ("the peer is back with another connection: a fresh one");
  tc_call_offer_to_joined (self);
}

void
tc_call_resume_clear (TcCall *self)
{
  g_clear_handle_id (&self->away_source, g_source_remove);
  g_clear_handle_id (&self->resume_source, g_source_remove);
  self->peer_away = FALSE;
  self->resume_pending = FALSE;
}
