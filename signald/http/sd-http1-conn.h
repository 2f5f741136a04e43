/* sd-http1-conn.h — signald's fast HTTP/1.1 front end, one per worker.
 *
 * Each worker accepts on its own SO_REUSEPORT socket and serves its
 * connections on its own GMainContext, with one GSource for all of them:
 * the sockets sit in an epoll set, and the source watches the epoll fd, so
 * that starting, serving and ending requests never changes GLib's poll set
 * (which costs a wake-up write each time).  A request is read into the
 * connection's buffer, parsed (sd-http1-parse.h), routed and dispatched
 * to the same SdRequest handlers as with libsoup; the reply is built into
 * the connection's output buffer (sd-http1-reply.h) and sent with one
 * send(2).  Keep-alive and pipelining (in order) are supported; a deferred
 * request (sd_request_defer) stops reading its connection until it replied.
 *
 * What the front end does not serve, it hands to the worker's SoupServer
 * with the bytes it already read (sd-http1-handoff.h): streamed request
 * bodies and streamed replies (routes flagged SD_ROUTE_STREAM_BODY or
 * SD_ROUTE_STREAM_REPLY), WebSocket upgrades, chunked bodies, Expect,
 * Range, and the unusual shapes listed in sd-http1-parse.h.  After a
 * hand-off the connection belongs to libsoup for good.
 *
 * Limits: a head of more than SD_HTTP1_MAX_HEAD bytes → 431; a body over
 * the route's limit → 413 before it is read; a malformed head → 400; each
 * of these closes the connection after the reply, first reading and
 * dropping what the client still sends (until it stops for 2 s, at most
 * 30 s) so that a client busy sending a refused body still reads the reply
 * instead of a reset.  A request whose head is not complete within the head timeout,
 * a body that stalls that long, and a keep-alive connection idle for the
 * idle timeout are closed.
 */
#pragma once

#include <gio/gio.h>

#include "sd-types.h"
#include "http/sd-http1-parse.h"
#include "http/sd-http1-reply.h"

G_BEGIN_DECLS

typedef struct _SdHttp1Server SdHttp1Server;

/* On the worker's thread, with its context the thread default: serves
 * @listener (a listening, non-blocking socket).  Hand-offs go to the
 * worker's SoupServer. */
SdHttp1Server *sd_http1_server_new      (SdWorker  *worker,
                                         GSocket   *listener,
                                         GError   **error);
/* Stops accepting and closes every connection; a connection whose request
 * is still deferred is freed when that request finishes (or with the
 * server).  On the worker's thread. */
void           sd_http1_server_stop     (SdHttp1Server *server);
void           sd_http1_server_free     (SdHttp1Server *server);

/* ---- for sd-request.c: the request being served on @conn ---- */
SdHttp1Reply  *sd_http1_conn_reply      (SdHttp1Conn *conn);
/* A request header (first of that name, ASCII case-insensitive), or NULL. */
const char    *sd_http1_conn_header     (SdHttp1Conn *conn,
                                         const char  *name);
/* The request body, in the connection's buffer until the request ends. */
const char    *sd_http1_conn_body       (SdHttp1Conn *conn,
                                         gsize       *len);
/* Called by sd_request_finish() once the request is freed: writes the
 * reply and goes on with the connection. */
void           sd_http1_conn_request_done (SdHttp1Conn *conn);

G_END_DECLS
