/* tg-call-link.c — see tg-call-link.h. */
#define G_LOG_DOMAIN "tg-call-link"

#include "tg-call-link.h"

#include "tandem-error.h"
#include "tandem-signal.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#define RETRY_MAX_DELAY_S 10

struct _TgCallLink
{
  GObject parent_instance;

  TandemApiClient *client;
  char *group_id;
  char *booking_id;
  TcCall *call;
  gulong send_handler;
  gulong call_state_handler;

  SoupSession *soup;
  SoupWebsocketConnection *conn;
  GCancellable *cancellable;   /* the connect attempt under way */
  TgCallLinkState state;
  char *peer_name;
  char *peer_id;
  char *call_id;

  guint ping_source;
  guint retry_source;
  guint retry_delay_s;
  gint64 outage_since_us;      /* monotonic start of the current outage; 0 = none */
  guint n_sent;
  guint n_received;
};

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TgCallLink, tg_call_link, G_TYPE_OBJECT)

static void request_connect (TgCallLink *self);

/* ---- state ---- */

static void
set_state (TgCallLink      *self,
           TgCallLinkState  state)
{
  if (self->state == state || self->state == TG_CALL_LINK_CLOSED)
    return;
  g_debug ("link state %d → %d", self->state, state);
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

static void
release_conn_cb (SoupWebsocketConnection *conn,
                 gpointer                 user_data)
{
  g_object_unref (conn);
}

/* Forgets the socket; with @polite, closes it with a close frame first
 * (the reference is dropped once the server answered). */
static void
drop_conn (TgCallLink *self,
           gboolean    polite)
{
  g_clear_handle_id (&self->ping_source, g_source_remove);
  if (self->conn == NULL)
    return;
  SoupWebsocketConnection *conn = g_steal_pointer (&self->conn);
  g_signal_handlers_disconnect_by_data (conn, self);
  if (polite && soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_signal_connect (conn, "closed", G_CALLBACK (release_conn_cb), NULL);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }
  g_object_unref (conn);
}

static void
stop_everything (TgCallLink *self,
                 gboolean    polite)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  drop_conn (self, polite);
}

static void
fail (TgCallLink   *self,
      const GError *error)
{
  g_debug ("link failed: %s", error->message);
  stop_everything (self, TRUE);
  if (self->call != NULL)
    tc_call_stop (self->call);
  set_state (self, TG_CALL_LINK_CLOSED);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* ---- sending ---- */

static void
send_text (TgCallLink *self,
           const char *text)
{
  if (self->conn == NULL || soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;   /* the engine starts over after a reconnection anyway */
  soup_websocket_connection_send_text (self->conn, text);
  self->n_sent++;
}

static void
engine_send_cb (TcCall     *call,
                const char *text,
                TgCallLink *self)
{
  send_text (self, text);
}

static void
engine_state_cb (TcCall     *call,
                 guint       state,
                 TgCallLink *self)
{
  /* Someone ended the call on the engine itself: the socket goes too. */
  if (state == TC_CALL_STATE_ENDED && self->state != TG_CALL_LINK_CLOSED)
    {
      stop_everything (self, TRUE);
      set_state (self, TG_CALL_LINK_CLOSED);
    }
}

static gboolean
ping_cb (gpointer user_data)
{
  TgCallLink *self = user_data;
  send_text (self, "{\"type\":\"ping\"}");
  return G_SOURCE_CONTINUE;
}

/* ---- reconnecting ---- */

static gboolean
retry_cb (gpointer user_data)
{
  TgCallLink *self = user_data;
  self->retry_source = 0;
  request_connect (self);
  return G_SOURCE_REMOVE;
}

/* After a drop or a failed attempt during an outage: tries again later,
 * or fails once the outage is too long. */
static void
retry_later (TgCallLink   *self,
             const GError *error)
{
  gint64 now = g_get_monotonic_time ();
  if (self->outage_since_us == 0)
    self->outage_since_us = now;
  if (now - self->outage_since_us > TG_CALL_LINK_RETRY_FOR_S * G_USEC_PER_SEC)
    {
      g_autoptr(GError) lost = error == NULL
        ? g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_NETWORK, _("The link to the server is lost."))
        : NULL;
      fail (self, error != NULL ? error : lost);
      return;
    }
  set_state (self, TG_CALL_LINK_RETRYING);
  self->retry_delay_s = self->retry_delay_s == 0 ? 1 : MIN (self->retry_delay_s * 2, RETRY_MAX_DELAY_S);
  g_debug ("joining again in %u s (%s)", self->retry_delay_s, error != NULL ? error->message : "dropped");
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add_seconds (self->retry_delay_s, retry_cb, self);
}

/* Whether a failed connect is worth trying again: the network, the
 * server, or a token refused at the socket; not the route's refusals. */
static gboolean
is_passing (const GError *error)
{
  if (error->domain != TANDEM_ERROR)
    return TRUE;
  switch (error->code)
    {
    case TANDEM_ERROR_NETWORK:
    case TANDEM_ERROR_INTERNAL:
    case TANDEM_ERROR_PROTOCOL:
    case TANDEM_ERROR_RATE_LIMITED:
    case TANDEM_ERROR_UNAVAILABLE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- the socket ---- */

static void
ws_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               TgCallLink              *self)
{
  g_autoptr(GError) error = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  self->n_received++;
  gsize size = 0;
  const char *data = g_bytes_get_data (message, &size);
  g_autofree char *text = g_strndup (data, size);
  /* The welcome means we are in: the outage, if any, is over. */
  g_autoptr(TandemSignal) msg = tandem_signal_parse (data, size, TANDEM_SIGNAL_FROM_SERVER, NULL);
  if (msg != NULL && msg->type == TANDEM_SIGNAL_WELCOME)
    {
      self->outage_since_us = 0;
      self->retry_delay_s = 0;
      set_state (self, TG_CALL_LINK_OPEN);
    }
  g_autoptr(TcCall) call = g_object_ref (self->call);
  if (!tc_call_receive (call, text, &error))
    g_debug ("ignored a message: %s", error->message);
}

static void
ws_closed_cb (SoupWebsocketConnection *conn,
              TgCallLink              *self)
{
  gushort code = soup_websocket_connection_get_close_code (conn);
  g_debug ("socket closed (%u)", code);
  drop_conn (self, FALSE);
  if (self->state == TG_CALL_LINK_CLOSED || tc_call_get_state (self->call) == TC_CALL_STATE_ENDED)
    return;
  if (code == TG_CALL_LINK_CLOSE_REPLACED)
    {
      /* The same account joined from somewhere else: that one stays. */
      g_autoptr(GError) error = g_error_new_literal (TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                                                     _("You joined this call from another place."));
      fail (self, error);
      return;
    }
  /* The engine keeps its peer connection (media may still flow); once
   * back, the other side's offer carries new ICE credentials and the
   * engine starts a fresh connection for it. */
  retry_later (self, NULL);
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TgCallLink) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                                                   &error);
  if (conn == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->state == TG_CALL_LINK_CLOSED)
        return;
      /* A refused handshake (an expired token) or no server: try again
       * with a fresh token. */
      retry_later (self, error);
      return;
    }
  if (self->state == TG_CALL_LINK_CLOSED)
    return;
  self->conn = g_steal_pointer (&conn);
  g_signal_connect (self->conn, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (ws_closed_cb), self);
  g_clear_handle_id (&self->ping_source, g_source_remove);
  self->ping_source = g_timeout_add_seconds (TG_CALL_LINK_PING_S, ping_cb, self);
}

/* ws(s)://HOST[:PORT][/prefix]/ws?token=… from the API's base URL. */
static char *
socket_uri (TgCallLink *self,
            const char *token)
{
  const char *base = tandem_api_client_get_base_url (self->client);
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  if (g_str_has_prefix (base, "https://"))
    return g_strdup_printf ("wss://%s/ws?token=%s", base + strlen ("https://"), escaped);
  return g_strdup_printf ("ws://%s/ws?token=%s", base + strlen ("http://"), escaped);
}

static void
open_socket (TgCallLink *self,
             const char *token)
{
  g_autofree char *uri = socket_uri (self, token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, "bad server address");
      fail (self, error);
      return;
    }
  soup_session_websocket_connect_async (self->soup, msg, NULL, NULL, G_PRIORITY_DEFAULT, self->cancellable,
                                        ws_connected_cb, g_object_ref (self));
}

/* ---- the connect route ---- */

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgCallLink) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tandem_api_client_call_finish (TANDEM_API_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->state == TG_CALL_LINK_CLOSED)
    return;
  JsonObject *o = reply != NULL && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  const char *token = o != NULL ? json_object_get_string_member_with_default (o, "call_token", NULL) : NULL;
  if (error == NULL && token == NULL)
    error = g_error_new (TANDEM_ERROR, TANDEM_ERROR_PROTOCOL, "the server sent no call token");
  if (error != NULL)
    {
      if (self->outage_since_us != 0 && is_passing (error))
        retry_later (self, error);
      else
        fail (self, error);
      return;
    }

  g_free (self->call_id);
  self->call_id = g_strdup (json_object_get_string_member_with_default (o, "call_id", NULL));
  JsonNode *peer_node = json_object_get_member (o, "peer");
  if (peer_node != NULL && JSON_NODE_HOLDS_OBJECT (peer_node))
    {
      JsonObject *peer = json_node_get_object (peer_node);
      g_free (self->peer_name);
      g_free (self->peer_id);
      self->peer_name = g_strdup (json_object_get_string_member_with_default (peer, "name", NULL));
      self->peer_id = g_strdup (json_object_get_string_member_with_default (peer, "user_id", NULL));
    }
  JsonNode *ice = json_object_get_member (o, "ice_servers");
  tc_call_set_ice_servers (self->call, ice != NULL && JSON_NODE_HOLDS_ARRAY (ice) ? json_node_get_array (ice)
                                                                                  : NULL);
  if (tc_call_get_state (self->call) == TC_CALL_STATE_IDLE && !tc_call_start (self->call, &error))
    {
      fail (self, error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);   /* the peer's name is known */
  open_socket (self, token);
}

static void
request_connect (TgCallLink *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_autofree char *gid = g_uri_escape_string (self->group_id, NULL, FALSE);
  g_autofree char *bid = g_uri_escape_string (self->booking_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s/connect", gid, bid);
  tandem_api_client_call_async (self->client, "GET", path, NULL, self->cancellable, connect_cb,
                                g_object_ref (self));
}

/* ---- API ---- */

TgCallLink *
tg_call_link_new (TandemApiClient *client,
                  const char      *group_id,
                  const char      *booking_id)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (group_id != NULL && booking_id != NULL, NULL);

  TgCallLink *self = g_object_new (TG_TYPE_CALL_LINK, NULL);
  self->client = g_object_ref (client);
  self->group_id = g_strdup (group_id);
  self->booking_id = g_strdup (booking_id);
  return self;
}

void
tg_call_link_start (TgCallLink *self,
                    TcCall     *call)
{
  g_return_if_fail (TG_IS_CALL_LINK (self));
  g_return_if_fail (TC_IS_CALL (call));
  g_return_if_fail (self->state == TG_CALL_LINK_IDLE);

  self->call = g_object_ref (call);
  self->send_handler = g_signal_connect (call, "send", G_CALLBACK (engine_send_cb), self);
  self->call_state_handler = g_signal_connect (call, "state-changed", G_CALLBACK (engine_state_cb), self);
  set_state (self, TG_CALL_LINK_CONNECTING);
  request_connect (self);
}

TgCallLinkState
tg_call_link_get_state (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), TG_CALL_LINK_CLOSED);
  return self->state;
}

TcCall *
tg_call_link_get_call (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), NULL);
  return self->call;
}

const char *
tg_call_link_get_peer_name (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), NULL);
  return self->peer_name;
}

const char *
tg_call_link_get_peer_id (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), NULL);
  return self->peer_id;
}

const char *
tg_call_link_get_call_id (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), NULL);
  return self->call_id;
}

void
tg_call_link_hangup (TgCallLink *self)
{
  g_return_if_fail (TG_IS_CALL_LINK (self));
  if (self->state == TG_CALL_LINK_CLOSED)
    return;
  set_state (self, TG_CALL_LINK_CLOSED);
  if (self->call != NULL)
    tc_call_hangup (self->call);   /* sends "hangup" while the socket is open */
  stop_everything (self, TRUE);
}

void
tg_call_link_leave (TgCallLink *self)
{
  g_return_if_fail (TG_IS_CALL_LINK (self));
  if (self->state == TG_CALL_LINK_CLOSED)
    return;
  send_text (self, "{\"type\":\"leave\"}");
  set_state (self, TG_CALL_LINK_CLOSED);
  stop_everything (self, TRUE);
  if (self->call != NULL)
    tc_call_stop (self->call);
}

void
tg_call_link_drop (TgCallLink *self)
{
  g_return_if_fail (TG_IS_CALL_LINK (self));
  if (self->conn == NULL)
    return;
  /* As a dead network: the stream goes without a close frame, and the
   * closed handler finds the link still wanting to be in the call. */
  g_io_stream_close (soup_websocket_connection_get_io_stream (self->conn), NULL, NULL);
}

guint
tg_call_link_get_n_sent (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), 0);
  return self->n_sent;
}

guint
tg_call_link_get_n_received (TgCallLink *self)
{
  g_return_val_if_fail (TG_IS_CALL_LINK (self), 0);
  return self->n_received;
}

/* ---- GObject ---- */

static void
tg_call_link_dispose (GObject *object)
{
  TgCallLink *self = TG_CALL_LINK (object);

  if (self->state != TG_CALL_LINK_IDLE)
    tg_call_link_leave (self);
  stop_everything (self, TRUE);
  if (self->call != NULL)
    {
      g_clear_signal_handler (&self->send_handler, self->call);
      g_clear_signal_handler (&self->call_state_handler, self->call);
      g_clear_object (&self->call);
    }
  g_clear_object (&self->soup);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (tg_call_link_parent_class)->dispose (object);
}

static void
tg_call_link_finalize (GObject *object)
{
  TgCallLink *self = TG_CALL_LINK (object);

  g_free (self->group_id);
  g_free (self->booking_id);
  g_free (self->peer_name);
  g_free (self->peer_id);
  g_free (self->call_id);
  G_OBJECT_CLASS (tg_call_link_parent_class)->finalize (object);
}

static void
tg_call_link_class_init (TgCallLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tg_call_link_dispose;
  object_class->finalize = tg_call_link_finalize;

  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tg_call_link_init (TgCallLink *self)
{
  /* The socket may stay quiet between pings: no I/O timeout (the server
   * drops a silent socket; the closed handler joins again). */
  self->soup = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0, NULL);
}
