/* tc-call.h — the call engine: a one-to-one call with GStreamer's
 * webrtcbin, without GTK, for the terminal client and the desktop app.
 *
 * A TcCall owns one pipeline: the local sources (tc-call-media.h specs,
 * each into a tee that also feeds the self view), and the current peer
 * connection — a webrtcbin (max-bundle, DTLS-SRTP, trickle ICE) with its
 * encoders, the decoders of what the peer sends and the "review" data
 * channel (tc-review-sync.h).  When the peer leaves and someone joins, the
 * peer connection is replaced; the sources keep running.
 *
 * Signaling is not done here.  The engine emits the messages to send as
 * JSON text ("send") and takes what the server sends and relays with
 * tc_call_receive(); the messages are those of the call signaling
 * protocol (welcome, peer-joined, peer-left, offer, answer, candidate,
 * media, hangup, error, pong).  Who offers: the participant who was there
 * first, when the other joins; the newcomer answers.  Either side offers
 * again when its media change (camera turned on later: a new m-line),
 * with perfect negotiation on glare: the polite side gives way (it drops
 * an offer still being made; one already set, which webrtcbin 1.22 cannot
 * roll back, it replaces by a fresh connection).  An ICE restart is a
 * fresh peer connection on both sides (webrtcbin 1.22 cannot restart ICE
 * in place): the side that restarts offers from a new connection, and an
 * offer with new ICE credentials makes the other side start afresh too.
 * Messages are read and written with shared/tandem-signal.h.
 *
 * Threads: create, call and unref a TcCall on one thread, whose
 * thread-default main context must run; every signal is emitted there.
 * The frame callbacks (tc_call_set_frame_func()) are the exception: they
 * run on GStreamer's streaming threads.
 *
 * Latency: the DTLS certificate is made before the call
 * (tc-call-cert.h), the jitterbuffer holds options.latency_ms, candidates
 * trickle, the receiving side's encoders run before the offer comes, and
 * a key frame is forced when the connection comes up. */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "tc-call-stats.h"
#include "tc-review-sync.h"

G_BEGIN_DECLS

#define TC_CALL_DEFAULT_LATENCY_MS 30

typedef enum {
  TC_CALL_STATE_IDLE,          /* not started */
  TC_CALL_STATE_WAITING,       /* in the call; the peer is not */
  TC_CALL_STATE_CONNECTING,    /* the peer is there; negotiating, ICE, DTLS */
  TC_CALL_STATE_CONNECTED,     /* media can flow */
  TC_CALL_STATE_RECONNECTING,  /* the connection failed; restarting it */
  TC_CALL_STATE_ENDED,         /* hung up, or stopped */
} TcCallState;

/* Which picture a frame function gets. */
typedef enum {
  TC_CALL_VIDEO_REMOTE,
  TC_CALL_VIDEO_LOCAL,
} TcCallVideo;

typedef struct {
  const char *video;            /* source spec (tc-call-media.h); NULL = none */
  const char *audio;            /* source spec; NULL = none */
  gboolean play_audio;          /* remote sound to the speakers, else counted only */
  gboolean polite;              /* gives way on offer glare (not the expert) */
  guint latency_ms;             /* jitterbuffer; 0 = TC_CALL_DEFAULT_LATENCY_MS */
  guint width, height;          /* of the sent video; 0 = 640×360 */
  guint framerate;              /* 0 = 30 */
  guint video_bitrate_kbps;     /* 0 = 800 */
  const char *video_codecs;     /* "vp8,h264" order of preference; NULL = VP8, then H.264 when present */
  const char *record_path;      /* write what is received to this Matroska/WebM file */
  gboolean loopback_only;       /* ICE on 127.0.0.1 only (both peers on this host) */
  gboolean relay_only;          /* media only through a TURN relay (webrtcbin's
                                 * ice-transport-policy "relay"): the peer never
                                 * learns one's own addresses.  Needs a TURN server
                                 * among the ICE servers: tc_call_start() fails
                                 * without one (G_IO_ERROR_NOT_FOUND), and when the
                                 * relay gives no address (wrong credentials, not
                                 * reachable) "error" reports
                                 * G_IO_ERROR_CONNECTION_REFUSED: the call cannot
                                 * connect. */
} TcCallOptions;

/* Called on a streaming thread with each decoded frame (BGRA, in a
 * GstSample the function may ref). */
typedef void (*TcCallFrameFunc) (GstSample *sample,
                                 gpointer   user_data);

#define TC_TYPE_CALL (tc_call_get_type ())

G_DECLARE_FINAL_TYPE (TcCall, tc_call, TC, CALL, GObject)

/* Also starts making the DTLS certificate.  Fails when GStreamer lacks
 * webrtcbin, libnice, Opus or VP8, or a source spec is wrong
 * (G_IO_ERROR_NOT_SUPPORTED, G_IO_ERROR_INVALID_ARGUMENT). */
TcCall       *tc_call_new              (const TcCallOptions *options,
                                        GError             **error);

/* The STUN and TURN servers from the connect reply, as its "ice_servers"
 * array ([{"urls":[…],"username"?,"credential"?}]).  Takes effect for
 * the next peer connection; call before tc_call_start(). */
void          tc_call_set_ice_servers  (TcCall              *self,
                                        JsonArray           *ice_servers);

/* Starts the sources and prepares a peer connection; the moment of
 * "join" for first_remote_frame_ms.  Then feed tc_call_receive() with what
 * the server sends: its welcome moves the state to WAITING or
 * CONNECTING.  Fails when the pipeline cannot start (a device that cannot
 * open). */
gboolean      tc_call_start            (TcCall              *self,
                                        GError             **error);

/* One message from the server (@text: a JSON object).  Fails with
 * G_IO_ERROR_INVALID_DATA for text that is not such a message; a message
 * of an unknown type is ignored. */
gboolean      tc_call_receive          (TcCall              *self,
                                        const char          *text,
                                        GError             **error);

/* Sends "hangup", closes the peer connection and ends the call (state
 * ENDED).  The recording, if any, is finished. */
void          tc_call_hangup           (TcCall              *self);

/* Stops without telling the peer (the signaling link is gone): state
 * ENDED, recording finished. */
void          tc_call_stop             (TcCall              *self);

/* Turns the camera (or another video source) on, swaps it, or off with
 * NULL/"none"; tells the peer ("media") and renegotiates when a video
 * stream is added. */
gboolean      tc_call_set_video_source (TcCall              *self,
                                        const char          *spec,
                                        GError             **error);

/* Mute the microphone / hide the camera without renegotiating (the peer
 * is told with a "media" message). */
void          tc_call_set_audio_muted  (TcCall              *self,
                                        gboolean             muted);
void          tc_call_set_video_muted  (TcCall              *self,
                                        gboolean             muted);

/* A fresh peer connection with the same peer (new ICE and DTLS): used when
 * the network changed or the connection failed; done by itself on
 * "failed" and on network changes. */
void          tc_call_restart_ice      (TcCall              *self);

TcCallState   tc_call_get_state        (TcCall              *self);
const char   *tc_call_state_to_string  (TcCallState          state);

/* The peer's user id and name, NULL when no one is there. */
const char   *tc_call_get_peer_id      (TcCall              *self);
const char   *tc_call_get_peer_name    (TcCall              *self);
/* What the peer last said it sends ("media" message). */
void          tc_call_get_peer_media   (TcCall              *self,
                                        gboolean            *audio,
                                        gboolean            *video,
                                        gboolean            *screen);

/* The latest statistics: the counters are current, the webrtcbin figures
 * are those of the last tc_call_update_stats() reply. */
void          tc_call_get_stats        (TcCall              *self,
                                        TcCallStats         *stats);
/* Asks webrtcbin for its statistics; "stats-updated" follows. */
void          tc_call_update_stats     (TcCall              *self);

/* The review-together channel; owned by @self, the same object for the
 * whole call (it moves to each new peer connection). */
TcReviewSync *tc_call_get_review       (TcCall              *self);

/* Decoded frames (remote or self view) to @func, on a streaming thread;
 * NULL removes it.  @destroy runs on @user_data when replaced. */
void          tc_call_set_frame_func   (TcCall              *self,
                                        TcCallVideo          which,
                                        TcCallFrameFunc      func,
                                        gpointer             user_data,
                                        GDestroyNotify       destroy);

/* The last frame shown (BGRA), or NULL before the first. */
GstSample    *tc_call_dup_last_frame   (TcCall              *self,
                                        TcCallVideo          which);

/* The pipeline (for tests and debugging: dot files, leak checks). */
GstElement   *tc_call_get_pipeline     (TcCall              *self);

G_END_DECLS
