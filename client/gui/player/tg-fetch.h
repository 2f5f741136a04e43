/* tg-fetch.h — GET a picture (the timeline strip) from signald with the
 * API client's server and token.  TandemApiClient speaks JSON only; when
 * the shared client gains a bytes call (the desktop app branch adds
 * tandem_api_client_fetch_async), this file can go. */
#pragma once

#include <gio/gio.h>

#include "tandem-api-client.h"

G_BEGIN_DECLS

/* GET @path (escaped, starting with '/') on @client's server with its
 * bearer token; no redirects.  @callback runs in the caller's
 * thread-default main context. */
void    tg_fetch_bytes_async  (TandemApiClient     *client,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
/* The body of a 2xx reply.  Otherwise NULL and TANDEM_ERROR: the code the
 * server's {"error":{"code"}} names (or the one for the HTTP status),
 * TANDEM_ERROR_NETWORK when the server cannot be reached, or
 * G_IO_ERROR_CANCELLED. */
GBytes *tg_fetch_bytes_finish (TandemApiClient  *client,
                               GAsyncResult     *result,
                               GError          **error);

G_END_DECLS
