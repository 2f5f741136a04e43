/* tc-call-private.h — what the tc-call-*.c files share: the TcCall
 * structure, the peer connection, and the hand-over of GStreamer events to
 * the call's main context.
 *
 *   tc-call.c         the object, signaling messages, state, public API
 *   tc-call-local.c   local sources, tees, self view, encoders to the peer
 *   tc-call-peer.c    webrtcbin: transceivers, negotiation, ICE, teardown
 *   tc-call-remote.c  what the peer sends: decoders, sinks, counters
 *   tc-call-record.c  the recording of it
 *   tc-call-resume.c  the media kept through a break of the signaling
 *   tc-call-net.c     network changes: addresses moved → ICE restart
 */
#pragma once

#include "tc-call.h"
#include "tc-call-media.h"
#include "tc-call-record.h"
#include "tandem-signal.h"

#include <gst/webrtc/webrtc.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (tc_call_debug);
#define GST_CAT_DEFAULT tc_call_debug

/* Outlives the TcCall: events from GStreamer threads hold a reference and
 * find call == NULL once it is gone.  @call is read and written on the
 * call's main context only. */
typedef struct {
  gatomicrefcount ref;
  TcCall *call;
} TcCallAnchor;

TcCallAnchor *tc_call_anchor_ref   (TcCallAnchor *anchor);
void          tc_call_anchor_unref (TcCallAnchor *anchor);

typedef struct _TcCallPeer TcCallPeer;

/* Runs on the main context for the peer connection that posted it, when
 * the call and that peer connection still exist. */
typedef void (*TcCallMainFunc) (TcCall     *self,
                                TcCallPeer *peer,
                                gpointer    data);

/* From any thread: run @func on the call's main context.  @generation 0
 * means "whatever the peer": then @peer may be NULL.  @destroy frees @data
 * in every case. */
void tc_call_post (TcCallAnchor   *anchor,
                   GMainContext   *context,
                   guint           generation,
                   TcCallMainFunc  func,
                   gpointer        data,
                   GDestroyNotify  destroy);

struct _TcCallPeer {
  TcCall *call;                /* not a ref: the call owns the peer */
  guint generation;            /* unique per call, never 0 */
  GstElement *webrtc;
  GObject *channel;            /* the "review" data channel */
  GstWebRTCRTPTransceiver *audio_trans;
  GstWebRTCRTPTransceiver *video_trans;
  GstPad *audio_pad;           /* webrtcbin sink pads we requested */
  GstPad *video_pad;
  GstElement *audio_enc;       /* encoder bins feeding them */
  GstElement *video_enc;
  GstPad *audio_tee_pad;       /* tee pads feeding the encoders */
  GstPad *video_tee_pad;
  TcCallCodec video_codec;     /* of video_enc */
  GPtrArray *remote;           /* receive bins and sinks (under call->lock) */
  /* negotiation (perfect negotiation, main context) */
  gboolean making_offer;       /* create-offer running */
  gboolean have_local_offer;   /* offer set, answer awaited */
  gboolean negotiate_again;    /* media changed meanwhile */
  gboolean negotiated;         /* an answer was applied once */
  guint offer_serial;          /* a rolled-back offer's late reply is dropped */
  gboolean connected;
  gboolean video_wanted;       /* camera turned on before the first answer */
  char *remote_ufrag;          /* ICE ufrag of the peer's last description */
  char *local_ufrag;           /* ICE ufrag of our last description */
  guint local_candidates;      /* gathered (and sent or held) so far */
  gboolean has_turn;           /* given a TURN server: close its allocations at the end */
  guint pads_without_caps;     /* our sink pads whose encoders gave no caps yet */
  gboolean offer_deferred;     /* negotiate once they did */
  char *deferred_offer;        /* the peer's offer, answered once they did */
  guint defer_source;          /* stop waiting after a while */
  gboolean holding;            /* offer made before anyone joined: keep it */
  GPtrArray *held;             /* TandemSignal *: the held offer and candidates */
};

struct _TcCall {
  GObject parent_instance;

  GMainContext *context;
  TcCallAnchor *anchor;
  GMutex lock;

  /* options, copied */
  char *video_spec;
  char *audio_spec;
  gboolean play_audio;
  gboolean polite;
  guint latency_ms;
  TcCallFormat format;
  GArray *video_codecs;        /* TcCallCodec, preference order */
  char *record_path;
  gboolean loopback_only;
  gboolean relay_only;
  JsonArray *ice_servers;

  /* pipeline and local media (tc-call-local.c) */
  GstElement *pipeline;
  guint bus_watch;
  GstElement *video_source;
  GstElement *video_tee;
  GstElement *audio_source;
  GstElement *audio_tee;
  GstElement *selfview;        /* queue ! videoconvert ! appsink */
  GstPad *selfview_tee_pad;
  gboolean audio_muted;
  gboolean video_muted;

  /* the peer connection (tc-call-peer.c) */
  TcCallPeer *peer;
  guint next_generation;
  guint peer_connections;      /* negotiated ones, so far */
  guint counted_generation;
  guint restart_source;        /* a pending automatic restart */
  GNetworkMonitor *monitor;    /* network changes (tc-call-net.c) */
  gulong monitor_handler;
  guint net_source;            /* runs once the changes settle */
  gint64 net_first_us;         /* first change of the burst; 0 = none */
  char *net_addresses;         /* our addresses when the peer connection was made */

  /* what the peer sends (tc-call-remote.c) */
  TcCallRecorder *recorder;    /* with --record */
  TcCallFrameFunc frame_func[2];
  gpointer frame_data[2];
  GDestroyNotify frame_destroy[2];
  GstSample *last_frame[2];    /* under lock */
  guint64 video_frames;        /* atomic-ish: under lock */
  guint64 audio_buffers;
  gint64 first_frame_us;       /* monotonic; 0 before */
  guint64 audio_crossings;     /* zero crossings of the received sound (channel 1) */
  guint64 audio_samples;       /* ... over this many samples (sound, not silence) */
  int audio_rate;
  int audio_last_sign;
  gint64 connected_us;

  /* call state (tc-call.c) */
  TcCallState state;
  gboolean started;
  gint64 join_us;
  char *self_id;
  char *peer_id;
  char *peer_name;
  gboolean peer_audio;
  gboolean peer_video;
  gboolean peer_screen;
  TcCallStats stats;
  TcReviewSync *review;

  /* the peer's signaling broke but the media flows (tc-call-resume.c) */
  gboolean peer_away;
  guint away_source;
  gint64 away_since_us;
  gint64 away_heard_us;        /* media last seen to arrive */
  guint64 away_received;
  gboolean resume_pending;     /* back: waiting for it to name its connection */
  guint resume_source;
  guint signaling_resumes;
};

/* tc-call.c */
void      tc_call_send_signal      (TcCall      *self,
                                    TandemSignal *msg);       /* consumes */
void      tc_call_set_state        (TcCall      *self,
                                    TcCallState  state);
void      tc_call_emit_error       (TcCall      *self,
                                    const GError *error);
void      tc_call_send_media_state (TcCall      *self);
void      tc_call_take_stats       (TcCall      *self,
                                    const GstStructure *reply);
void      tc_call_first_frame      (TcCall      *self);
/* After each answer applied: what waited for it. */
void      tc_call_negotiated       (TcCall      *self);
/* The peer is gone (@reason "left", "dropped", "hangup"): a fresh
 * connection waits for whoever comes next. */
void      tc_call_peer_gone        (TcCall      *self,
                                    const char  *reason);
/* The peer joined: offer on a fresh connection (or the one prepared). */
void      tc_call_offer_to_joined  (TcCall      *self);

/* tc-call-resume.c */
char     *tc_call_sdp_ufrag        (const GstSDPMessage *sdp);
/* The peer's signaling dropped: TRUE when the call goes on as it is
 * (the connection stands) until the peer is back or its media stops. */
gboolean  tc_call_away_begin       (TcCall      *self);
/* peer-joined from @user_id: TRUE when it is the away peer, whose media
 * message will tell whether its connection is still ours. */
gboolean  tc_call_resume_expect    (TcCall      *self,
                                    const char  *user_id);
/* A media message's @session (NULL when none) while a resume waits. */
void      tc_call_resume_take      (TcCall      *self,
                                    const char  *session);
void      tc_call_resume_clear     (TcCall      *self);

/* The machine's addresses changed (tc-call-net.c): restart ICE, or make
 * the prepared offer again. */
void      tc_call_addresses_changed (TcCall     *self);

/* tc-call-net.c */
/* The usable local addresses, sorted, comma-separated ("" for none):
 * interfaces that are up, not loopback (unless @with_loopback), no IPv6
 * link-local ones. */
char     *tc_call_net_addresses    (gboolean     with_loopback);
/* Remembers the addresses a new peer connection gathers from. */
void      tc_call_net_snapshot     (TcCall      *self);
void      tc_call_net_watch        (TcCall      *self);
void      tc_call_net_unwatch      (TcCall      *self);

/* tc-call-local.c */
gboolean  tc_call_local_build      (TcCall      *self,
                                    GError     **error);
gboolean  tc_call_local_set_video  (TcCall      *self,
                                    const char  *spec,
                                    gboolean    *added,
                                    GError     **error);
/* Links the local sources to @peer's webrtcbin through new encoders. */
gboolean  tc_call_local_attach     (TcCall      *self,
                                    TcCallPeer  *peer,
                                    GError     **error);
/* Adds the video branch to an existing peer (camera turned on later). */
gboolean  tc_call_local_attach_video (TcCall    *self,
                                      TcCallPeer *peer,
                                      GError   **error);
void      tc_call_local_want_selfview (TcCall *self);
/* Before answering: when the offer's first video codec we have is not
 * our encoder's, switches the encoder (webrtcbin answers with the codec
 * its pad carries) and returns TRUE; the answer then waits for the new
 * encoder's caps. */
gboolean  tc_call_local_follow_offer (TcCall  *self,
                                      TcCallPeer *peer,
                                      const GstSDPMessage *offer);
/* Replaces the video encoder when the answer chose another codec, and
 * makes the payloaders use the negotiated payload types. */
void      tc_call_local_follow_answer (TcCall   *self,
                                       TcCallPeer *peer,
                                       const GstSDPMessage *answer);
void      tc_call_local_unlink     (TcCall      *self,
                                    TcCallPeer  *peer);
void      tc_call_local_detach     (TcCall      *self,
                                    TcCallPeer  *peer);
void      tc_call_local_force_key_frame (TcCall *self,
                                         TcCallPeer *peer);
void      tc_call_local_teardown   (TcCall      *self);

/* tc-call-peer.c */
TcCallPeer *tc_call_peer_new       (TcCall      *self,
                                    GError     **error);
void      tc_call_peer_free        (TcCallPeer  *peer);
void      tc_call_peer_negotiate   (TcCallPeer  *peer);
/* While alone in the call: make the offer now and keep it (and the
 * candidates) until someone joins. */
void      tc_call_peer_prepare_offer (TcCallPeer *peer);
/* @pad (a webrtcbin sink pad we requested) counts as not ready until its
 * caps arrive: offers and answers wait for it (webrtcbin 1.22 may never
 * send on a pad whose caps came while the description was applied). */
void      tc_call_peer_watch_pad   (TcCallPeer  *peer,
                                    GstPad      *pad,
                                    gboolean     new_caps);
/* Someone joined: sends what was held.  FALSE when nothing was prepared. */
gboolean  tc_call_peer_release_offer (TcCallPeer *peer);
void      tc_call_peer_receive_offer (TcCallPeer *peer,
                                      const char *sdp);
void      tc_call_peer_receive_answer (TcCallPeer *peer,
                                       const char *sdp);
void      tc_call_peer_receive_candidate (TcCallPeer *peer,
                                          guint       mline,
                                          const char *candidate);
void      tc_call_peer_request_stats (TcCallPeer *peer);

/* tc-call-remote.c */
void      tc_call_remote_pad_added (TcCall      *self,
                                    TcCallPeer  *peer,
                                    GstPad      *pad);
void      tc_call_remote_detach    (TcCall      *self,
                                    TcCallPeer  *peer);
void      tc_call_remote_finish_recording (TcCall *self);
/* Asks the muxer for a track per medium the peer sends, as @answer (made
 * by us when @ours) says. */
void      tc_call_remote_prepare_recording (TcCall *self,
                                            const GstSDPMessage *answer,
                                            gboolean ours);
/* The self view's appsink hands frames here too. */
void      tc_call_remote_frame     (TcCall      *self,
                                    TcCallVideo  which,
                                    GstSample   *sample);

/* Sets @element to NULL and removes it from the pipeline (any thread but
 * its own streaming threads). */
void      tc_call_remove_element   (TcCall      *self,
                                    GstElement  *element);

G_END_DECLS
