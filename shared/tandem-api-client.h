/* tandem-api-client.h — the client side of signald's REST API, shared by the
 * terminal client and the desktop app.
 *
 * One TandemApiClient talks to one server (its base URL) on behalf of at most
 * one caller (its bearer token).  A call sends a method, a path and an
 * optional JSON object, and gives back the JSON reply or a GError:
 *
 *  - the server said no ({"error":{"code","message"}} with a 4xx/5xx status):
 *    TANDEM_ERROR with the code that the API string names
 *    (tandem_error_code_from_name()) and the server's message;
 *  - the server could not be reached (refused, DNS, TLS, timeout):
 *    TANDEM_ERROR_NETWORK, "cannot reach the server at URL: …";
 *  - the reply made no sense (not JSON, a redirect): TANDEM_ERROR_PROTOCOL;
 *  - the call was cancelled: G_IO_ERROR_CANCELLED.
 *
 * Redirects are not followed, so a token is never sent to another address.
 * A client is used from the thread (and thread-default main context) that
 * created it; the token never appears in a message or a log.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TANDEM_TYPE_API_CLIENT (tandem_api_client_get_type ())

G_DECLARE_FINAL_TYPE (TandemApiClient, tandem_api_client, TANDEM, API_CLIENT, GObject)

/* Checks that @url is an absolute http:// or https:// URL with a host and
 * without query, fragment or user information, and returns its canonical
 * form: lowercase scheme and host, no default port, no trailing slash
 * ("https://tandem.example.org", "http://127.0.0.1:8080/prefix").  Fails
 * with TANDEM_ERROR_INVALID_REQUEST and a sentence naming @url otherwise. */
char            *tandem_api_client_normalize_url (const char  *url,
                                                  GError     **error);

/* A client for the server at @base_url, which must be canonical (see
 * tandem_api_client_normalize_url()); no token.  Never fails. */
TandemApiClient *tandem_api_client_new           (const char  *base_url);

const char      *tandem_api_client_get_base_url  (TandemApiClient *self);

/* The bearer token sent with each call, or NULL to call anonymously.  The
 * client keeps its own copy.  Calls already sent are not affected. */
const char      *tandem_api_client_get_token     (TandemApiClient *self);
void             tandem_api_client_set_token     (TandemApiClient *self,
                                                  const char      *token);

/* Seconds of silence after which a call fails with TANDEM_ERROR_NETWORK
 * (0 = never); 30 by default. */
void             tandem_api_client_set_timeout   (TandemApiClient *self,
                                                  guint            seconds);

/* Starts a call: @method ("GET", "POST", …) on @path, which starts with '/'
 * and is already escaped (g_uri_escape_string() for values put into it); it
 * may carry a query string.  @body, when not NULL, is sent as JSON (the
 * client copies what it needs; the serialized text is wiped from memory
 * after the call).  @callback runs in the thread-default main context of
 * the caller. */
void             tandem_api_client_call_async    (TandemApiClient     *self,
                                                  const char          *method,
                                                  const char          *path,
                                                  JsonObject          *body,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);

/* The reply of a successful call (2xx), owned by the caller: the parsed JSON
 * document, or a JSON null node when the reply had no body (204).  NULL with
 * @error set otherwise (see the top of this file). */
JsonNode        *tandem_api_client_call_finish   (TandemApiClient  *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);

/* The blocking form of tandem_api_client_call_async() + _finish(), for
 * command-line programs; the same results and errors.  Do not use it on a
 * thread that must stay responsive (a GUI main thread). */
JsonNode        *tandem_api_client_call_sync     (TandemApiClient  *self,
                                                  const char       *method,
                                                  const char       *path,
                                                  JsonObject       *body,
                                                  GCancellable     *cancellable,
                                                  GError          **error);

/* GET @path and give back the body as it came (pictures: avatars, QR codes,
 * thumbnails), with the client's token.  A reply that is not 2xx fails
 * with the same errors as a JSON call (see the top of this file). */
void             tandem_api_client_fetch_async   (TandemApiClient     *self,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* The body (possibly empty), owned by the caller; NULL with @error set. */
GBytes          *tandem_api_client_fetch_finish  (TandemApiClient  *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);

/* Sends @body as it is, with @content_type ("image/png"), for routes that
 * take bytes (PUT /groups/{id}/avatar); the reply is read as for
 * tandem_api_client_call_async(): finish with tandem_api_client_call_finish(). */
void             tandem_api_client_send_bytes_async (TandemApiClient     *self,
                                                     const char          *method,
                                                     const char          *path,
                                                     const char          *content_type,
                                                     GBytes              *body,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);

G_END_DECLS
