/* sd-ws.c — the /ws signaling WebSocket on one worker: token check before
 * the handshake, then the socket's messages to and from its call room. */
#define G_LOG_DOMAIN "sd-ws"

#include "rtc/sd-ws.h"

#include "auth/sd-token.h"
#include "rtc/sd-call-hub.h"
#include "sd-server-private.h"
#include "tandem-signal.h"

#include <string.h>

struct _SdWs {
  SdWorker *worker;
  SdCallHub *hub;
  GHashTable *conns;            /* WsConn set: the sockets of this worker */
};

/* What the token check found, handed from the HTTP handler to the
 * WebSocket callback on the message. */
typedef struct {
  char *call_id;
  char *user_id;
  char *user_name;
  char *peer_id;
  char *peer_name;
} WsAuth;

/* For the request log line of the upgrade. */
typedef struct {
  gint64 started_us;
  char *user_id;
  char *ip;
} WsLog;

typedef struct {
  SdWs *ws;
  SoupWebsocketConnection *conn;
  SdCallPeer *peer;
  char *user_id;
  GSource *idle_check;
  gint64 last_seen_us;
  double tokens;                /* rate limit bucket */
  gint64 refilled_us;
  gboolean closing;             /* a close is queued: ignore what follows */
} WsConn;

/* libsoup's own limit: it cuts the TCP connection (no close frame) for a
 * frame this large or larger. */
#define MAX_FRAME_BYTES (2 * TANDEM_SIGNAL_MAX_BYTES + 1)

#define AUTH_KEY "sd-ws-auth"
#define LOG_KEY "sd-ws-log"

static void
ws_auth_free (gpointer data)
{
  WsAuth *a = data;
  g_free (a->call_id);
  g_free (a->user_id);
  g_free (a->user_name);
  g_free (a->peer_id);
  g_free (a->peer_name);
  g_free (a);
}

static void
ws_log_free (gpointer data)
{
  WsLog *l = data;
  g_free (l->user_id);
  g_free (l->ip);
  g_free (l);
}

/* @worker, not the SdWs: a refused upgrade finishes after the worker's
 * SdWs is gone when the worker stops mid-request. */
static void
log_upgrade (SdWorker          *worker,
             SoupServerMessage *msg,
             guint              status)
{
  WsLog *l = g_object_get_data (G_OBJECT (msg), LOG_KEY);
  if (worker->log == NULL || l == NULL)
    return;
  SdLogRequest entry = {
    .method = soup_server_message_get_method (msg),
    /* The path only: the query holds the call token. */
    .path = g_uri_get_path (soup_server_message_get_uri (msg)),
    .status = status,
    .duration_us = g_get_monotonic_time () - l->started_us,
    .user_id = l->user_id,
    .ip = l->ip,
    .worker = worker->index,
  };
  sd_log_request (worker->log, &entry);
}

/* ---- one socket ---- */

static void
conn_send (gpointer    owner,
           const char *text)
{
  WsConn *c = owner;
  if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (c->conn, text);
}

static void
conn_close (gpointer    owner,
            gushort     code,
            const char *reason)
{
  WsConn *c = owner;
  if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (c->conn, code, reason);
}

static const SdCallPeerClass conn_class = { conn_send, conn_close };

static void
conn_error (WsConn     *c,
            const char *code,
            const char *message)
{
  g_autoptr(TandemSignal) err = tandem_signal_new (TANDEM_SIGNAL_ERROR_MSG);
  err->code = g_strdup (code);
  err->message = g_strdup (message);
  g_autofree char *text = tandem_signal_to_json (err);
  sd_call_peer_send (c->peer, text);
}

/* Ends the socket after what is queued for it. */
static void
conn_end (WsConn     *c,
          gushort     code,
          const char *reason)
{
  c->closing = TRUE;
  sd_call_peer_close (c->peer, code, reason);
}

/* Token bucket: SD_WS_RATE_BURST at once, SD_WS_RATE_PER_S sustained. */
static gboolean
conn_take_token (WsConn *c,
                 gint64  now_us)
{
  c->tokens = MIN ((double) SD_WS_RATE_BURST,
                   c->tokens + (double) (now_us - c->refilled_us) * SD_WS_RATE_PER_S / G_USEC_PER_SEC);
  c->refilled_us = now_us;
  if (c->tokens < 1.0)
    return FALSE;
  c->tokens -= 1.0;
  return TRUE;
}

static void
conn_free (WsConn *c)
{
  g_hash_table_remove (c->ws->conns, c);
  sd_call_hub_leave (c->ws->hub, c->peer, TANDEM_SIGNAL_REASON_DROPPED);
  sd_call_peer_detach (c->peer);
  g_clear_pointer (&c->peer, sd_call_peer_unref);
  if (c->idle_check != NULL)
    {
      g_source_destroy (c->idle_check);
      g_clear_pointer (&c->idle_check, g_source_unref);
    }
  g_signal_handlers_disconnect_by_data (c->conn, c);
  g_clear_object (&c->conn);
  g_free (c->user_id);
  g_free (c);
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  WsConn *c = user_data;
  gint64 now = g_get_monotonic_time ();

  c->last_seen_us = now;
  if (c->closing)
    return;
  if (!conn_take_token (c, now))
    {
      conn_error (c, "rate_limited", "too many messages; the connection is closed");
      conn_end (c, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "rate limited");
      return;
    }
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      conn_end (c, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA, "messages are JSON text");
      return;
    }

  gsize size = 0;
  const char *text = g_bytes_get_data (message, &size);
  if (size > TANDEM_SIGNAL_MAX_BYTES)
    {
      conn_error (c, "message_too_large", "a message may be at most 64 KiB");
      conn_end (c, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "message too large");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemSignal) msg = tandem_signal_parse (text, size, TANDEM_SIGNAL_FROM_CLIENT, &error);
  if (msg == NULL)
    {
      conn_error (c, tandem_signal_error_code (error), error->message);
      return;
    }

  SdCallHub *hub = c->ws->hub;
  switch (msg->type)
    {
    case TANDEM_SIGNAL_PING:
      {
        g_autoptr(TandemSignal) pong = tandem_signal_new (TANDEM_SIGNAL_PONG);
        g_autofree char *out = tandem_signal_to_json (pong);
        sd_call_peer_send (c->peer, out);
      }
      break;
    case TANDEM_SIGNAL_LEAVE:
      sd_call_hub_leave (hub, c->peer, TANDEM_SIGNAL_REASON_LEFT);
      conn_end (c, SOUP_WEBSOCKET_CLOSE_NORMAL, "left");
      break;
    case TANDEM_SIGNAL_HANGUP:
      sd_call_hub_relay (hub, c->peer, msg);
      sd_call_hub_leave (hub, c->peer, TANDEM_SIGNAL_REASON_HANGUP);
      conn_end (c, SOUP_WEBSOCKET_CLOSE_NORMAL, "hung up");
      break;
    case TANDEM_SIGNAL_OFFER:
    case TANDEM_SIGNAL_ANSWER:
    case TANDEM_SIGNAL_CANDIDATE:
    case TANDEM_SIGNAL_MEDIA:
      sd_call_hub_relay (hub, c->peer, msg);
      break;
    case TANDEM_SIGNAL_INVALID:
    case TANDEM_SIGNAL_WELCOME:
    case TANDEM_SIGNAL_PEER_JOINED:
    case TANDEM_SIGNAL_PEER_LEFT:
    case TANDEM_SIGNAL_ERROR_MSG:
    case TANDEM_SIGNAL_PONG:
    default:
      g_assert_not_reached ();   /* tandem_signal_parse refuses them from a client */
    }
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  WsConn *c = user_data;
  g_debug ("call socket of %s closed (%u)", c->user_id,
           soup_websocket_connection_get_close_code (conn));
  conn_free (c);
}

static gboolean
idle_check (gpointer user_data)
{
  WsConn *c = user_data;
  gint64 limit = (gint64) sd_server_get_config (c->ws->worker->server)->call_idle_timeout_s * G_USEC_PER_SEC;
  if (!c->closing && g_get_monotonic_time () - c->last_seen_us > limit)
    {
      conn_error (c, "timeout", "nothing received for too long; send ping every 20 seconds");
      conn_end (c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "idle");
    }
  return G_SOURCE_CONTINUE;
}

static void
websocket_callback (SoupServer              *server,
                    SoupServerMessage       *msg,
                    const char              *path,
                    SoupWebsocketConnection *conn,
                    gpointer                 user_data)
{
  SdWs *ws = user_data;
  WsAuth *auth = g_object_get_data (G_OBJECT (msg), AUTH_KEY);
  const SdConfig *config = sd_server_get_config (ws->worker->server);

  log_upgrade (ws->worker, msg, SOUP_STATUS_SWITCHING_PROTOCOLS);
  g_return_if_fail (auth != NULL);

  WsConn *c = g_new0 (WsConn, 1);
  c->ws = ws;
  c->conn = g_object_ref (conn);
  c->user_id = g_strdup (auth->user_id);
  c->last_seen_us = c->refilled_us = g_get_monotonic_time ();
  c->tokens = SD_WS_RATE_BURST;
  c->peer = sd_call_peer_new (ws->worker->context, &conn_class, c);
  g_hash_table_add (ws->conns, c);

  /* Frames up to twice the limit reach on_message, which closes with 1009;
   * libsoup drops the connection at once for larger ones. */
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_FRAME_BYTES);
  soup_websocket_connection_set_keepalive_interval (conn, 20);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), c);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), c);

  guint interval_ms = (guint) MAX (250, config->call_idle_timeout_s * 1000 / 4);
  c->idle_check = g_timeout_source_new (interval_ms);
  g_source_set_callback (c->idle_check, idle_check, c, NULL);
  g_source_attach (c->idle_check, ws->worker->context);

  if (!sd_call_hub_join (ws->hub, c->peer, auth->call_id, auth->user_id, auth->user_name,
                         auth->peer_id, auth->peer_name))
    {
      conn_error (c, "forbidden", "this call is not yours");
      conn_end (c, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "not a participant");
    }
}

/* ---- the handshake ---- */

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  gsize len = 0;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  char *text = json_generator_to_data (gen, &len);

  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"tandem\"");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
on_http_finished (SoupServerMessage *msg,
                  gpointer           user_data)
{
  log_upgrade (user_data, msg, soup_server_message_get_status (msg));
}

/* Finds the call of the token; FALSE with the reply set otherwise. */
static gboolean
check_token (SdWs              *ws,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;
  if (token == NULL || *token == '\0' || strlen (token) > 256)
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "open /ws?token=CALL_TOKEN with a token from …/connect");
      return FALSE;
    }

  g_autofree char *hash = sd_token_hash (token);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(SdDbRows) rows = sd_db_sys (ws->worker->db, &error, SD_DB_SYS_CALL_TOKEN_LOOKUP, "si", hash, now);
  if (rows == NULL)
    {
      g_warning ("call token lookup failed: %s", error->message);
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", "the database is busy; try again");
      return FALSE;
    }
  if (sd_db_rows_n (rows) != 1)
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "the call token is invalid or expired, or the session was cancelled; "
                   "call …/connect again");
      return FALSE;
    }

  WsAuth *auth = g_new0 (WsAuth, 1);
  auth->call_id = g_strdup (sd_db_rows_text (rows, 0, "call_id"));
  auth->user_id = g_strdup (sd_db_rows_text (rows, 0, "user_id"));
  auth->user_name = g_strdup (sd_db_rows_text (rows, 0, "user_name"));
  auth->peer_id = g_strdup (sd_db_rows_text (rows, 0, "peer_id"));
  auth->peer_name = g_strdup (sd_db_rows_text (rows, 0, "peer_name"));
  WsLog *l = g_object_get_data (G_OBJECT (msg), LOG_KEY);
  l->user_id = g_strdup (auth->user_id);
  g_object_set_data_full (G_OBJECT (msg), AUTH_KEY, auth, ws_auth_free);
  return TRUE;
}

/* Runs before libsoup checks the handshake: what it leaves without a
 * status becomes a WebSocket (or libsoup's 400 when it is no handshake). */
static void
http_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SdWs *ws = user_data;
  WsLog *l = g_new0 (WsLog, 1);
  l->started_us = g_get_monotonic_time ();
  l->ip = g_strdup (soup_server_message_get_remote_host (msg));
  g_object_set_data_full (G_OBJECT (msg), LOG_KEY, l, ws_log_free);
  /* Not emitted for a socket that upgraded: that one is logged there. */
  g_signal_connect (msg, "finished", G_CALLBACK (on_http_finished), ws->worker);

  if (!g_str_equal (path, "/ws"))
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such resource");
  else if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", "/ws takes GET with an Upgrade");
    }
  else
    check_token (ws, msg, query);
}

/* No request body is ever read for /ws. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  if (encoding == SOUP_ENCODING_CHUNKED ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (headers) > 0))
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", "/ws takes no body");
    }
}

SdWs *
sd_ws_new (SdWorker *worker)
{
  SdWs *ws = g_new0 (SdWs, 1);
  ws->worker = worker;
  ws->hub = sd_server_get_call_hub (worker->server);
  ws->conns = g_hash_table_new (NULL, NULL);

  soup_server_add_early_handler (worker->soup, "/ws", early_handler, ws, NULL);
  soup_server_add_handler (worker->soup, "/ws", http_handler, ws, NULL);
  soup_server_add_websocket_handler (worker->soup, "/ws", NULL, NULL, websocket_callback, ws, NULL);
  return ws;
}

void
sd_ws_free (SdWs *ws)
{
  if (ws == NULL)
    return;
  soup_server_remove_handler (ws->worker->soup, "/ws");
  GList *conns = g_hash_table_get_keys (ws->conns);
  for (GList *l = conns; l != NULL; l = l->next)
    {
      WsConn *c = l->data;
      if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server stopping");
      conn_free (c);
    }
  g_list_free (conns);
  g_hash_table_destroy (ws->conns);
  g_free (ws);
}
