/* sd-http1-handoff.h — a connection handed from the fast front end to
 * libsoup, with the bytes the front end already read put back in front.
 *
 * The front end reads requests into its own buffer before it knows whether
 * it serves them.  When it does not (a WebSocket upgrade, a streamed body,
 * anything unusual), the unserved bytes must reach libsoup first, then the
 * socket's.  SdHandoffStream is a GIOStream over the GSocketConnection
 * whose input stream yields @prefix before reading the socket; it is
 * pollable (libsoup needs that), and closing it closes the connection.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_TYPE_HANDOFF_STREAM (sd_handoff_stream_get_type ())
G_DECLARE_FINAL_TYPE (SdHandoffStream, sd_handoff_stream, SD, HANDOFF_STREAM, GIOStream)

/* @prefix may be NULL or empty. */
GIOStream *sd_handoff_stream_new (GSocketConnection *connection,
                                  GBytes            *prefix);

G_END_DECLS
