/* tg-call-link.h — one booking's call as the desktop app joins it, without
 * GTK: it asks signald for the call (GET …/bookings/{id}/connect: the call
 * token, the ICE servers, who the other participant is), starts the call
 * engine (tc-call.h) with those ICE servers, opens the signaling WebSocket
 * (/ws?token=…, on a SoupSession of its own, ws:// or wss:// after the
 * server's scheme) and carries the engine's messages both ways; it pings
 * every 20 s so the server keeps the socket.
 *
 * When the socket drops without a hang-up, the link joins again with a
 * fresh token after 1, 2, 4 … 10 s; the one who stayed then offers anew,
 * with new ICE credentials, and the engine takes that as a fresh peer
 * connection (docs: "How a call is signaled").  Refusals of the connect route (outside the connect window,
 * a cancelled booking, not a participant), a socket replaced by the same
 * user joining from elsewhere (close code 4001), and retries that fail
 * for a minute end the link with "failed".
 *
 * A TgCallLink lives on the thread that made it; its signals come in that
 * thread's main context. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tandem-api-client.h"
#include "tc-call.h"

G_BEGIN_DECLS

typedef enum {
  TG_CALL_LINK_IDLE,        /* not started */
  TG_CALL_LINK_CONNECTING,  /* asking signald, opening the socket */
  TG_CALL_LINK_OPEN,        /* the socket is open (welcome received) */
  TG_CALL_LINK_RETRYING,    /* the socket dropped; joining again */
  TG_CALL_LINK_CLOSED,      /* hung up, left, or failed */
} TgCallLinkState;

/* How long a dropped link keeps trying before it fails. */
#define TG_CALL_LINK_RETRY_FOR_S 60
#define TG_CALL_LINK_PING_S      20
/* The close code of a socket replaced by a newer one of the same user
 * (tandem-signal.h): the link then fails instead of joining again. */
#define TG_CALL_LINK_CLOSE_REPLACED 4001

#define TG_TYPE_CALL_LINK (tg_call_link_get_type ())

G_DECLARE_FINAL_TYPE (TgCallLink, tg_call_link, TG, CALL_LINK, GObject)

/* Signals:
 *   "state-changed" ()         see tg_call_link_get_state()
 *   "failed"        (GError *) the link ended without a hang-up: a refusal
 *                              of the connect route (TANDEM_ERROR codes such
 *                              as outside_connect_window, booking_cancelled,
 *                              not_found) or no server for
 *                              TG_CALL_LINK_RETRY_FOR_S. */

/* A link for booking @booking_id of group @group_id, talking to the server
 * of @client with its token.  Never fails. */
TgCallLink      *tg_call_link_new          (TandemApiClient *client,
                                            const char      *group_id,
                                            const char      *booking_id);

/* Joins with @call (not started: the link starts it once the ICE servers
 * are known).  The link keeps a reference on @call. */
void             tg_call_link_start        (TgCallLink      *self,
                                            TcCall          *call);

TgCallLinkState  tg_call_link_get_state    (TgCallLink      *self);
TcCall          *tg_call_link_get_call     (TgCallLink      *self);

/* From the connect reply: the other participant's name and user id, and
 * the call id; NULL before it came. */
const char      *tg_call_link_get_peer_name (TgCallLink     *self);
const char      *tg_call_link_get_peer_id   (TgCallLink     *self);
const char      *tg_call_link_get_call_id   (TgCallLink     *self);

/* Hangs up (the engine sends "hangup"), closes the socket: CLOSED. */
void             tg_call_link_hangup       (TgCallLink      *self);

/* Leaves without hanging up ("leave"; the peer sees "left"): CLOSED.
 * Disposing a link that is still open does this. */
void             tg_call_link_leave        (TgCallLink      *self);

/* Closes the socket as a broken network would (no "leave", no close
 * frame), so that the reconnection can be tested. */
void             tg_call_link_drop         (TgCallLink      *self);

/* Messages sent and received on the socket so far (for tests). */
guint            tg_call_link_get_n_sent     (TgCallLink    *self);
guint            tg_call_link_get_n_received (TgCallLink    *self);

G_END_DECLS
