/* tc-call-stats.c — webrtcbin's statistics structure into TcCallStats. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-stats.h"

#include <gst/webrtc/webrtc.h>
#include <math.h>
#include <string.h>

void
tc_call_stats_init (TcCallStats *stats)
{
  memset (stats, 0, sizeof *stats);
  stats->first_remote_frame_ms = -1;
  stats->connected_ms = -1;
  stats->audio_frequency_hz = -1;
  stats->rtt_ms = -1;
  stats->bitrate_in_kbps = -1;
  stats->bitrate_out_kbps = -1;
  stats->packets_received = -1;
  stats->packets_lost = -1;
}

/* A numeric field of any integer or floating type as a double. */
static gboolean
get_number (const GstStructure *s,
            const char         *field,
            double             *out)
{
  const GValue *v = gst_structure_get_value (s, field);
  GValue d = G_VALUE_INIT;

  if (v == NULL || !g_value_type_transformable (G_VALUE_TYPE (v), G_TYPE_DOUBLE))
    return FALSE;
  g_value_init (&d, G_TYPE_DOUBLE);
  g_value_transform (v, &d);
  *out = g_value_get_double (&d);
  return TRUE;
}

typedef struct {
  double rtt;
  double bytes_in, bytes_out;
  double packets_in, packets_lost;
  gboolean have_in, have_out, have_rtt;
} Sums;

static gboolean
add_stat (GQuark        field_id,
          const GValue *value,
          gpointer      user_data)
{
  Sums *sums = user_data;
  GstWebRTCStatsType type;
  double n;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  const GstStructure *s = gst_value_get_structure (value);
  if (!gst_structure_get_enum (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, (int *) &type))
    return TRUE;

  switch (type)
    {
    case GST_WEBRTC_STATS_INBOUND_RTP:
      sums->have_in = TRUE;
      if (get_number (s, "bytes-received", &n))
        sums->bytes_in += n;
      if (get_number (s, "packets-received", &n))
        sums->packets_in += n;
      if (get_number (s, "packets-lost", &n) && n > 0)
        sums->packets_lost += n;
      break;
    case GST_WEBRTC_STATS_OUTBOUND_RTP:
      sums->have_out = TRUE;
      if (get_number (s, "bytes-sent", &n))
        sums->bytes_out += n;
      break;
    case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
      if (get_number (s, "round-trip-time", &n) && n >= 0)
        {
          sums->rtt = MAX (sums->rtt, n);
          sums->have_rtt = TRUE;
        }
      break;
    default:
      break;
    }
  return TRUE;
}

/* The "candidate-type" of the entry named @id of @reply, or NULL. */
static const char *
candidate_type (const GstStructure *reply,
                const char         *id)
{
  const GValue *v = id != NULL ? gst_structure_get_value (reply, id) : NULL;
  if (v == NULL || !GST_VALUE_HOLDS_STRUCTURE (v))
    return NULL;
  return gst_structure_get_string (gst_value_get_structure (v), "candidate-type");
}

typedef struct {
  const GstStructure *reply;
  const char *local, *remote;
} Pair;

/* The first entry naming a local and a remote candidate that both exist:
 * webrtcbin reports the selected pair of each ICE transport (one, with
 * max-bundle). */
static gboolean
find_pair (GQuark        field_id,
           const GValue *value,
           gpointer      user_data)
{
  Pair *pair = user_data;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  const GstStructure *s = gst_value_get_structure (value);
  const char *local = candidate_type (pair->reply, gst_structure_get_string (s, "local-candidate-id"));
  const char *remote = candidate_type (pair->reply, gst_structure_get_string (s, "remote-candidate-id"));
  if (local == NULL || remote == NULL)
    return TRUE;
  pair->local = local;
  pair->remote = remote;
  return FALSE;
}

void
tc_call_stats_read (TcCallStats        *stats,
                    const GstStructure *reply,
                    gint64              now_us)
{
  Sums sums = { 0 };

  g_return_if_fail (stats != NULL && reply != NULL);
  gst_structure_foreach (reply, add_stat, &sums);

  double seconds = stats->read_at_us > 0 ? (now_us - stats->read_at_us) / 1e6 : 0;
  if (sums.have_in)
    {
      if (seconds > 0 && sums.bytes_in >= stats->bytes_received)
        stats->bitrate_in_kbps = (sums.bytes_in - stats->bytes_received) * 8 / 1000 / seconds;
      stats->bytes_received = (guint64) sums.bytes_in;
      stats->packets_received = (gint64) sums.packets_in;
      stats->packets_lost = (gint64) sums.packets_lost;
    }
  if (sums.have_out)
    {
      if (seconds > 0 && sums.bytes_out >= stats->bytes_sent)
        stats->bitrate_out_kbps = (sums.bytes_out - stats->bytes_sent) * 8 / 1000 / seconds;
      stats->bytes_sent = (guint64) sums.bytes_out;
    }
  if (sums.have_rtt)
    stats->rtt_ms = sums.rtt * 1000;
  Pair pair = { reply, NULL, NULL };
  gst_structure_foreach (reply, find_pair, &pair);
  if (pair.local != NULL)
    {
      g_strlcpy (stats->local_candidate_type, pair.local, sizeof stats->local_candidate_type);
      g_strlcpy (stats->remote_candidate_type, pair.remote, sizeof stats->remote_candidate_type);
    }
  stats->read_at_us = now_us;
}

static void
set_number (JsonObject *object,
            const char *name,
            double      value,
            gboolean    known)
{
  if (!known)
    json_object_set_null_member (object, name);
  else
    json_object_set_double_member (object, name, round (value * 10) / 10);
}

JsonObject *
tc_call_stats_to_json (const TcCallStats *stats)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "video_frames_received", (gint64) stats->video_frames_received);
  json_object_set_int_member (o, "audio_buffers_received", (gint64) stats->audio_buffers_received);
  if (stats->first_remote_frame_ms >= 0)
    json_object_set_int_member (o, "first_remote_frame_ms", stats->first_remote_frame_ms);
  else
    json_object_set_null_member (o, "first_remote_frame_ms");
  if (stats->connected_ms >= 0)
    json_object_set_int_member (o, "connected_ms", stats->connected_ms);
  else
    json_object_set_null_member (o, "connected_ms");
  json_object_set_int_member (o, "ice_restarts", stats->ice_restarts);
  set_number (o, "audio_frequency_hz", stats->audio_frequency_hz, stats->audio_frequency_hz >= 0);
  set_number (o, "rtt_ms", stats->rtt_ms, stats->rtt_ms >= 0);
  set_number (o, "bitrate_in_kbps", stats->bitrate_in_kbps, stats->bitrate_in_kbps >= 0);
  set_number (o, "bitrate_out_kbps", stats->bitrate_out_kbps, stats->bitrate_out_kbps >= 0);
  if (stats->packets_received >= 0)
    {
      json_object_set_int_member (o, "packets_received", stats->packets_received);
      json_object_set_int_member (o, "packets_lost", stats->packets_lost);
    }
  else
    {
      json_object_set_null_member (o, "packets_received");
      json_object_set_null_member (o, "packets_lost");
    }
  json_object_set_int_member (o, "peer_connections", stats->peer_connections);
  json_object_set_int_member (o, "signaling_resumes", stats->signaling_resumes);
  if (stats->local_candidate_type[0] != '\0')
    {
      json_object_set_string_member (o, "local_candidate_type", stats->local_candidate_type);
      json_object_set_string_member (o, "remote_candidate_type", stats->remote_candidate_type);
    }
  else
    {
      json_object_set_null_member (o, "local_candidate_type");
      json_object_set_null_member (o, "remote_candidate_type");
    }
  return o;
}
