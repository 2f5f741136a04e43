/* sd-ws.h — GET /ws, the call signaling WebSocket, on one worker.
 *
 * The upgrade is authenticated by ?token=CALL_TOKEN (from …/connect):
 * before libsoup answers the handshake, the token's SHA-256 is looked up
 * (SD_DB_SYS_CALL_TOKEN_LOOKUP) on the worker's database connection; an
 * unknown or expired token, or one whose booking was cancelled, gets 401
 * and no WebSocket.  An accepted socket is seated in its call's room
 * (rtc/sd-call-hub.h) and speaks the messages of shared/tandem-signal.h:
 *
 *   - every text frame is parsed as a client message; a bad one gets an
 *     "error" message (invalid_message, unknown_type, not_allowed) and the
 *     socket stays open;
 *   - offer, answer, candidate, media and hangup go to the other
 *     participant with "from"; hangup and leave then end the socket (1000)
 *     and the other side hears peer-left (hangup / left);
 *   - ping gets pong; a socket that sends nothing for call_idle_timeout_s
 *     (60 s; clients ping every 20 s) is closed (1001) as dropped;
 *   - a message over TANDEM_SIGNAL_MAX_BYTES (64 KiB) gets an error
 *     (message_too_large) and a close with 1009; a frame over twice that
 *     makes libsoup cut the connection without a close frame (its
 *     limit is per frame: a message fragmented into many smaller frames is
 *     collected whole before the 64 KiB check); binary frames close with
 *     1003;
 *   - more than SD_WS_RATE_BURST messages at once, or a sustained rate
 *     over SD_WS_RATE_PER_S per second, gets an error (rate_limited) and a
 *     close with 1008;
 *   - a second socket of the same user replaces the first (closed with
 *     4001): the other participant hears peer-left (dropped), then
 *     peer-joined.
 *
 * Each upgrade writes one request log line (status 101, or the refusal's
 * status), without the query string.
 *
 * Thread model: each worker serves the sockets it accepted on its own
 * context; the hub carries messages between workers.
 */
#pragma once

#include "sd-types.h"

G_BEGIN_DECLS

#define SD_WS_RATE_BURST 50
#define SD_WS_RATE_PER_S 50

typedef struct _SdWs SdWs;

/* On the worker's thread, once its SoupServer exists: serves /ws there. */
SdWs *sd_ws_new  (SdWorker *worker);
/* On the worker's thread, before its SoupServer goes: closes the sockets
 * of this worker (their peers hear peer-left, dropped) and frees @ws. */
void  sd_ws_free (SdWs *ws);

G_END_DECLS
