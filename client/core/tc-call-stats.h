/* tc-call-stats.h — what a call reports about itself: counters kept by
 * the engine from the decoded media, and figures read from webrtcbin's
 * "get-stats" (round-trip time, bitrates, packet loss, the kinds of the
 * candidates the connection runs over). */
#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  /* counted by the engine */
  guint64 video_frames_received;   /* decoded remote video frames */
  guint64 audio_buffers_received;  /* decoded remote audio buffers */
  gint64 first_remote_frame_ms;    /* join → first decoded remote frame; -1 before */
  gint64 connected_ms;             /* join → peer connection connected; -1 before */
  guint peer_connections;          /* negotiated so far (1: the media was never rebuilt) */
  guint signaling_resumes;         /* breaks of the signaling alone the call went through */
  guint ice_restarts;              /* fresh connections (new ICE credentials) during
                                    * the call, made by us or by the peer */
  double audio_frequency_hz;       /* the received sound's main frequency, from its
                                    * zero crossings (a check of what arrives: a test
                                    * tone of 440 Hz reads ≈440); -1 before any sound */
  /* from webrtcbin's statistics; -1 while unknown */
  double rtt_ms;                   /* RTCP round-trip time */
  double bitrate_in_kbps;          /* RTP received, between the last two reads */
  double bitrate_out_kbps;         /* RTP sent, between the last two reads */
  gint64 packets_received;
  gint64 packets_lost;
  /* the selected candidate pair's local and remote candidate types
   * ("host", "srflx", "prflx", "relay"); "" while unknown */
  char local_candidate_type[16];
  char remote_candidate_type[16];
  /* totals behind the bitrates */
  guint64 bytes_received;
  guint64 bytes_sent;
  gint64 read_at_us;               /* monotonic time of the last read; 0 = never */
} TcCallStats;

/* Everything unknown (-1) or zero. */
void        tc_call_stats_init    (TcCallStats        *stats);

/* Reads a "get-stats" reply taken at @now_us (monotonic) into @stats:
 * sums over the inbound/outbound RTP streams, the largest round-trip time
 * of the remote-inbound ones, bitrates from the byte totals of the read
 * before, the candidate types of the selected pair (a "candidate-pair"
 * entry's local-candidate-id and remote-candidate-id → those entries'
 * candidate-type).  The counters are left alone.  Never fails: figures it cannot
 * find stay as they were. */
void        tc_call_stats_read    (TcCallStats        *stats,
                                   const GstStructure *reply,
                                   gint64              now_us);

/* {"video_frames_received", "audio_buffers_received",
 *  "first_remote_frame_ms", "connected_ms", "ice_restarts", "audio_frequency_hz", "rtt_ms",
 *  "bitrate_in_kbps", "bitrate_out_kbps", "packets_received", "packets_lost", "peer_connections",
 *  "signaling_resumes", "local_candidate_type", "remote_candidate_type"} —
 *  unknown figures as null. */
JsonObject *tc_call_stats_to_json (const TcCallStats  *stats);

G_END_DECLS
