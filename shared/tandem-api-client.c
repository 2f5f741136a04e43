/* tandem-api-client.c — REST calls to signald over one SoupSession: request
 * building (URL, bearer token, JSON body), and turning replies into JSON or
 * a TANDEM_ERROR (see the header for the rules). */
#define G_LOG_DOMAIN "tandem-api-client"

#include "tandem-api-client.h"

#include "tandem-error.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#define DEFAULT_TIMEOUT_S 30

struct _TandemApiClient
{
  GObject parent_instance;

  char *base_url;
  char *token;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (TandemApiClient, tandem_api_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- secrets in memory ---- */

static void
wipe_string (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

/* ---- URLs ---- */

char *
tandem_api_client_normalize_url (const char  *url,
                                 GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  if (url != NULL && *url != '\0')
    uri = g_uri_parse (url,
                       G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_SCHEME_NORMALIZE,
                       NULL);
  if (uri == NULL ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   _("“%s” is not a server address; give one like https://tandem.example.org or http://127.0.0.1:8080"),
                   url != NULL ? url : "");
      return NULL;
    }

  g_autofree char *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  gsize len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  /* Drop a default port, so one server has one spelling. */
  int port = g_uri_get_port (uri);
  if ((g_str_equal (scheme, "http") && port == 80) || (g_str_equal (scheme, "https") && port == 443))
    port = -1;

  return g_uri_join (G_URI_FLAGS_ENCODED_PATH, scheme, NULL, host, port, path, NULL, NULL);
}

/* ---- requests ---- */

/* A new message for @method @path with the client's headers and @body;
 * NULL with TANDEM_ERROR_INVALID_REQUEST when @path makes no valid URL. */
static SoupMessage *
build_message (TandemApiClient  *self,
               const char       *method,
               const char       *path,
               JsonObject       *body,
               const char       *accept,
               GError          **error)
{
  g_autofree char *text_uri = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (text_uri, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   _("“%s” is not a valid request path"), path);
      return NULL;
    }

  SoupMessage *msg = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  /* Never follow a redirect: it would carry the token to another address. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept", accept != NULL ? accept : "application/json");
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
      explicit_bzero (auth, strlen (auth));
    }

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, body);
      char *text = json_to_string (node, FALSE);
      gsize len = strlen (text);
      /* Bodies may hold a password: wipe the text once libsoup is done. */
      g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (text, len,
                                                            (GDestroyNotify) wipe_string, text);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

/* ---- replies ---- */

/* The error for a send that failed before any reply arrived. */
static GError *
network_error (TandemApiClient *self,
               GError          *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  return g_error_new (TANDEM_ERROR, TANDEM_ERROR_NETWORK,
                      _("cannot reach the server at %s: %s"), self->base_url, error->message);
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type == NULL ||
         g_ascii_strcasecmp (content_type, "application/json") == 0 ||
         g_str_has_suffix (content_type, "+json");
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The reply for a message that got an answer with @body: the JSON on 2xx,
 * NULL with @error otherwise.  Never returns NULL without an error. */
static JsonNode *
parse_reply (TandemApiClient  *self,
             SoupMessage      *msg,
             GBytes           *body,
             GError          **error)
{
  guint status = soup_message_get_status (msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autoptr(JsonNode) node = NULL;

  if (len > 0 && is_json_type (type))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, data, (gssize) len, NULL) &&
          json_parser_get_root (parser) != NULL)
        node = json_node_ref (json_parser_get_root (parser));
    }

  if (status >= 200 && status < 300)
    {
      if (len == 0)
        return json_node_new (JSON_NODE_NULL);
      if (node != NULL)
        return g_steal_pointer (&node);
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the server at %s sent a reply that is not JSON; is it a Tandem server?"),
                   self->base_url);
      return NULL;
    }

  if (status >= 300 && status < 400)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PROTOCOL,
                   _("the server at %s redirects to %s; use that address instead"),
                   self->base_url, location != NULL ? location : "?");
      return NULL;
    }

  JsonObject *envelope = NULL;
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *err = json_object_get_member (json_node_get_object (node), "error");
      if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
        envelope = json_node_get_object (err);
    }
  const char *code = object_string (envelope, "code");
  const char *message = object_string (envelope, "message");

  if (code != NULL && message != NULL)
    g_set_error_literal (error, TANDEM_ERROR, tandem_error_code_from_name (code, status), message);
  else
    g_set_error (error, TANDEM_ERROR, tandem_error_code_from_name (code, status),
                 _("the server at %s answered “%u %s”"), self->base_url, status,
                 soup_message_get_reason_phrase (msg) != NULL ? soup_message_get_reason_phrase (msg) : "");
  return NULL;
}

/* ---- calls ---- */

/* Sends @msg (NULL: building it failed with @error) for @task, whose
 * result @callback makes from the reply. */
static void
send_for_task (TandemApiClient     *self,
               GTask               *task,
               SoupMessage         *msg,
               GError              *error,
               GAsyncReadyCallback  callback)
{
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), callback, task);
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemApiClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    {
      g_task_return_error (task, network_error (self, error));
      return;
    }

  JsonNode *node = parse_reply (self, msg, body, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

void
tandem_api_client_call_async (TandemApiClient     *self,
                              const char          *method,
                              const char          *path,
                              JsonObject          *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  g_task_set_source_tag (task, tandem_api_client_call_async);
  SoupMessage *msg = build_message (self, method, path, body, NULL, &error);
  send_for_task (self, task, msg, error, call_sent_cb);
}

JsonNode *
tandem_api_client_call_finish (TandemApiClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_api_client_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
tandem_api_client_call_sync (TandemApiClient  *self,
                             const char       *method,
                             const char       *path,
                             JsonObject       *body,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  g_autoptr(SoupMessage) msg = build_message (self, method, path, body, NULL, error);
  if (msg == NULL)
    return NULL;

  g_autoptr(GError) send_error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (self->session, msg, cancellable, &send_error);
  if (reply == NULL)
    {
      g_propagate_error (error, network_error (self, send_error));
      return NULL;
    }
  return parse_reply (self, msg, reply, error);
}

/* ---- bytes in and out ---- */

static void
fetch_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TandemApiClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    {
      g_task_return_error (task, network_error (self, error));
      return;
    }

  guint status = soup_message_get_status (msg);
  if (status >= 200 && status < 300)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  /* Not a success: the same errors as a JSON call. */
  g_autoptr(JsonNode) node = parse_reply (self, msg, body, &error);
  g_assert (node == NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
tandem_api_client_fetch_async (TandemApiClient     *self,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  g_task_set_source_tag (task, tandem_api_client_fetch_async);
  SoupMessage *msg = build_message (self, "GET", path, NULL, "*/*", &error);
  send_for_task (self, task, msg, error, fetch_sent_cb);
}

GBytes *
tandem_api_client_fetch_finish (TandemApiClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tandem_api_client_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tandem_api_client_send_bytes_async (TandemApiClient     *self,
                                    const char          *method,
                                    const char          *path,
                                    const char          *content_type,
                                    GBytes              *body,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (TANDEM_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (body != NULL);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  /* Finished with tandem_api_client_call_finish(). */
  g_task_set_source_tag (task, tandem_api_client_call_async);
  SoupMessage *msg = build_message (self, method, path, NULL, NULL, &error);
  if (msg != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  send_for_task (self, task, msg, error, call_sent_cb);
}

/* ---- object ---- */

TandemApiClient *
tandem_api_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (TANDEM_TYPE_API_CLIENT, "base-url", base_url, NULL);
}

const char *
tandem_api_client_get_base_url (TandemApiClient *self)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (self), NULL);
  return self->base_url;
}

const char *
tandem_api_client_get_token (TandemApiClient *self)
{
  g_return_val_if_fail (TANDEM_IS_API_CLIENT (self), NULL);
  return self->token;
}

void
tandem_api_client_set_token (TandemApiClient *self,
                             const char      *token)
{
  g_return_if_fail (TANDEM_IS_API_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  wipe_string (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
tandem_api_client_set_timeout (TandemApiClient *self,
                               guint            seconds)
{
  g_return_if_fail (TANDEM_IS_API_CLIENT (self));
  g_object_set (self->session, "timeout", seconds, NULL);
}

static void
tandem_api_client_finalize (GObject *object)
{
  TandemApiClient *self = TANDEM_API_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->token, wipe_string);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (tandem_api_client_parent_class)->finalize (object);
}

static void
tandem_api_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TandemApiClient *self = TANDEM_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_api_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TandemApiClient *self = TANDEM_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      tandem_api_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tandem_api_client_class_init (TandemApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tandem_api_client_finalize;
  object_class->get_property = tandem_api_client_get_property;
  object_class->set_property = tandem_api_client_set_property;

  /* The canonical server URL (see tandem_api_client_normalize_url()). */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The bearer token, or NULL. */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tandem_api_client_init (TandemApiClient *self)
{
  self->session = soup_session_new_with_options ("timeout", DEFAULT_TIMEOUT_S,
                                                 "user-agent", "tandem/" PACKAGE_VERSION " ",
                                                 NULL);
}
