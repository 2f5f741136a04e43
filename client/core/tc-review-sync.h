/* tc-review-sync.h — "review together": during a call both sides play
 * their own copy of one of the group's videos, and what one does with it
 * travels to the other over a reliable, ordered WebRTC data channel
 * labelled "review", so both see the same frame.
 *
 * Messages are JSON objects, one per data-channel string message, at most
 * TC_REVIEW_SYNC_MAX_MESSAGE bytes:
 *   {"type":"open-video","video_id":"…"}    open a video beside the call
 *   {"type":"close-video"}
 *   {"type":"play","position_ns":N}         play from N
 *   {"type":"pause","position_ns":N}        pause at N
 *   {"type":"seek","position_ns":N}
 *   {"type":"rate","rate":R}                0.0625 <= R <= 16
 *   {"type":"frame-step","frames":F}        -1000 <= F <= 1000, F != 0
 *   {"type":"stroke","drawing":{"shapes":[…]}}  a drawing as reviews store
 *                                           it (signald/api/sd-drawing.h)
 *   {"type":"clear-drawing"}
 * A message that breaks these rules is dropped (and logged).  Each
 * received message is emitted as the signal of the same name on the
 * thread-default main context of the creator.  Messages sent before the
 * channel opens wait (up to 256) and go out when it does.
 *
 * The GUI's player connects to the signals and calls the senders when the
 * user acts; the call engine owns the object and attaches each new peer
 * connection's channel. */
#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TC_REVIEW_SYNC_LABEL       "review"
#define TC_REVIEW_SYNC_MAX_MESSAGE (256 * 1024)
#define TC_REVIEW_SYNC_MAX_QUEUED  256

#define TC_TYPE_REVIEW_SYNC (tc_review_sync_get_type ())

G_DECLARE_FINAL_TYPE (TcReviewSync, tc_review_sync, TC, REVIEW_SYNC, GObject)

/* Signals (all run on the creator's main context):
 *   "open-video"   (const char *video_id)
 *   "close-video"  ()
 *   "play"         (gint64 position_ns)
 *   "pause"        (gint64 position_ns)
 *   "seek"         (gint64 position_ns)
 *   "rate"         (double rate)
 *   "frame-step"   (int frames)
 *   "stroke"       (JsonNode *drawing)
 *   "clear-drawing" ()
 * and notify::open when the channel opens or closes. */

TcReviewSync *tc_review_sync_new         (void);

/* Whether a channel is attached and open. */
gboolean      tc_review_sync_is_open     (TcReviewSync *self);

void          tc_review_sync_open_video  (TcReviewSync *self,
                                          const char   *video_id);
void          tc_review_sync_close_video (TcReviewSync *self);
void          tc_review_sync_play        (TcReviewSync *self,
                                          gint64        position_ns);
void          tc_review_sync_pause       (TcReviewSync *self,
                                          gint64        position_ns);
void          tc_review_sync_seek        (TcReviewSync *self,
                                          gint64        position_ns);
void          tc_review_sync_set_rate    (TcReviewSync *self,
                                          double        rate);
void          tc_review_sync_frame_step  (TcReviewSync *self,
                                          int           frames);
/* @drawing: {"shapes":[…]}.  Fails (G_IO_ERROR_INVALID_ARGUMENT) when it
 * is not an object with a "shapes" array, or too big to send. */
gboolean      tc_review_sync_stroke      (TcReviewSync *self,
                                          JsonNode     *drawing,
                                          GError      **error);
void          tc_review_sync_clear_drawing (TcReviewSync *self);

/* ---- for the call engine ---- */

/* Uses @channel (a GstWebRTCDataChannel) from now on; NULL detaches.
 * Messages of a previous channel still on their way are dropped. */
void          tc_review_sync_attach      (TcReviewSync *self,
                                          GObject      *channel);

/* Parses and checks one message; returns its type (a static string) and
 * sets *@object (a new ref), or NULL with @error.  Exposed for tests. */
const char   *tc_review_sync_parse       (const char   *text,
                                          JsonObject  **object,
                                          GError      **error);

G_END_DECLS
