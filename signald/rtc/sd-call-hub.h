/* sd-call-hub.h — the call rooms of one signald process, shared by all its
 * worker threads.
 *
 * A room is one call (call_id) with two seats, one per participant of the
 * booking; a seat holds at most one connection (SdCallPeer).  The hub
 * decides who hears what — welcome, peer-joined, peer-left, relayed
 * messages — and hands each message to the receiving peer's queue.  It never
 * touches a socket: every peer belongs to one worker thread (its
 * GMainContext), and what is queued for it is delivered there, in queue
 * order, through the peer's SdCallPeerClass.  Because the hub queues under
 * one lock, both participants see the room's events in the order they
 * happened, whichever threads their sockets live on.
 *
 * Rooms live in memory: the two participants of a call must reach the same
 * process (any of its workers).
 *
 * Locking: one mutex for the rooms; each peer has its own for its queue,
 * taken inside the hub's (never the other way round).
 */
#pragma once

#include <glib.h>

#include "tandem-signal.h"

G_BEGIN_DECLS

typedef struct _SdCallHub  SdCallHub;
typedef struct _SdCallPeer SdCallPeer;

/* How a peer's owner (the WebSocket code) delivers, on the peer's context. */
typedef struct {
  /* Send one text frame. */
  void (*send)  (gpointer owner, const char *text);
  /* Close the connection with @code (a WebSocket close code) and @reason. */
  void (*close) (gpointer owner, gushort code, const char *reason);
} SdCallPeerClass;

SdCallHub  *sd_call_hub_new       (void);
/* All peers must have left. */
void        sd_call_hub_free      (SdCallHub *hub);
/* Number of rooms with anybody in them (tests). */
guint       sd_call_hub_n_rooms   (SdCallHub *hub);
/* How many different worker contexts the connections seated in call
 * @call_id are on: 0, 1 or 2 (tests). */
guint       sd_call_hub_n_contexts (SdCallHub  *hub,
                                    const char *call_id);

/* A connection that will be delivered to on @context (the caller's
 * worker context; not referenced: sd_call_peer_detach() must run before it
 * goes away).  @klass and @owner are used only there. */
SdCallPeer *sd_call_peer_new      (GMainContext          *context,
                                   const SdCallPeerClass *klass,
                                   gpointer               owner);
SdCallPeer *sd_call_peer_ref      (SdCallPeer *peer);
void        sd_call_peer_unref    (SdCallPeer *peer);
/* On the peer's context: drops what is queued and delivers nothing more
 * (the owner is going away).  The peer must have left its room. */
void        sd_call_peer_detach   (SdCallPeer *peer);
/* Queues @text (copied) for the peer itself (pong, error). */
void        sd_call_peer_send     (SdCallPeer *peer, const char *text);
/* Queues a close of the peer's connection after what is queued. */
void        sd_call_peer_close    (SdCallPeer *peer, gushort code, const char *reason);

/* Seats @peer as @user_id in call @call_id, whose other participant is
 * @other_id.  A connection that held the seat is closed (4001, "replaced")
 * and the other participant, when present, hears peer-left (dropped) for
 * it; then @peer gets welcome and the other participant peer-joined.
 * Returns FALSE (and seats nothing) when @user_id is not one of the room's
 * two participants or @peer is seated already. */
gboolean    sd_call_hub_join      (SdCallHub  *hub,
                                   SdCallPeer *peer,
                                   const char *call_id,
                                   const char *user_id,
                                   const char *user_name,
                                   const char *other_id,
                                   const char *other_name);
/* Queues @msg, with "from" set to @peer's user, for the other participant
 * when @peer holds its seat and the other one is present; otherwise drops
 * it.  @msg must be a relayed type. */
void        sd_call_hub_relay     (SdCallHub          *hub,
                                   SdCallPeer         *peer,
                                   const TandemSignal *msg);
/* Unseats @peer, telling the other participant peer-left with @reason.
 * Does nothing when @peer holds no seat (it left or was replaced). */
void        sd_call_hub_leave     (SdCallHub          *hub,
                                   SdCallPeer         *peer,
                                   TandemSignalReason  reason);

/* The close code of a connection replaced by a newer one of the same user. */
#define SD_CALL_CLOSE_REPLACED 4001

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCallPeer, sd_call_peer_unref)

G_END_DECLS
