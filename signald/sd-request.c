/* sd-request.c — one HTTP request on a worker: routing, authentication,
 * body validation, replies, deferred work, pagination and logging. */
#define G_LOG_DOMAIN "sd-request"

#include "sd-server-private.h"

#include "auth/sd-session-cache.h"
#include "auth/sd-token.h"
#include "http/sd-http1-conn.h"
#include "jobs/sd-outbox.h"
#include "storage/sd-storage.h"
#include "tandem-error.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  SdRequest *req;
  SdWorkFunc work;
  SdHandlerFunc done;
  gpointer data;
  GDestroyNotify free_data;
} Deferred;


SdRole
sd_role_from_string (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return SD_ROLE_ADMIN;
  if (g_strcmp0 (role, "expert") == 0)
    return SD_ROLE_EXPERT;
  if (g_strcmp0 (role, "student") == 0)
    return SD_ROLE_STUDENT;
  return SD_ROLE_NONE;
}

const char *
sd_role_to_string (SdRole role)
{
  switch (role)
    {
    case SD_ROLE_ADMIN: return "admin";
    case SD_ROLE_EXPERT: return "expert";
    case SD_ROLE_STUDENT: return "student";
    case SD_ROLE_NONE:
    default: return NULL;
    }
}

SdRequest *
sd_request_new (SdWorker          *worker,
                SoupServerMessage *msg)
{
  SdRequest *req = g_new0 (SdRequest, 1);
  /* Only TCP has a host: libsoup's private Unix socket (sd-server.c) has
   * none, and asking for it would be a critical warning. */
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  const char *ip = remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote)
                   ? soup_server_message_get_remote_host (msg) : NULL;
  req->worker = worker;
  req->server = worker->server;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->path = g_uri_get_path (soup_server_message_get_uri (msg));
  req->started_us = g_get_monotonic_time ();
  req->client_ip = ip != NULL ? ip : "";
  return req;
}

SdRequest *
sd_request_new_http1 (SdRequest   *storage,
                      SdWorker    *worker,
                      SdHttp1Conn *conn,
                      const char  *method,
                      const char  *path,
                      const char  *client_ip)
{
  SdRequest *req = storage;
  memset (req, 0, sizeof *req);
  req->embedded = TRUE;
  req->worker = worker;
  req->server = worker->server;
  req->http1 = conn;
  req->method = method;
  req->path = path;
  req->started_us = g_get_monotonic_time ();
  req->client_ip = client_ip;
  return req;
}

static guint
reply_status (SdRequest *req)
{
  if (req->msg != NULL)
    return soup_server_message_get_status (req->msg);
  guint status = sd_http1_conn_reply (req->http1)->status;
  return status != 0 ? status : 500;
}

static void
log_request (SdRequest *req)
{
  if (req->worker->log == NULL)
    return;
  SdLogRequest entry = {
    .method = req->method,
    /* The path only: query strings may carry signatures; and only the
     * route's pattern when the path itself holds a secret. */
    .path = req->route != NULL && (req->route->flags & SD_ROUTE_SECRET_PATH)
            ? req->route->pattern : req->path,
    .status = reply_status (req),
    .duration_us = g_get_monotonic_time () - req->started_us,
    .user_id = req->auth.user_id,
    .ip = req->client_ip,
    .worker = req->worker->index,
  };
  sd_log_request (req->worker->log, &entry);
}

void
sd_request_finish (SdRequest *req)
{
  if (req->worker->db != NULL && sd_db_in_transaction (req->worker->db))
    sd_db_rollback (req->worker->db);
  log_request (req);
  sd_auth_clear (&req->auth);
  g_clear_pointer (&req->params, g_hash_table_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, json_object_unref);
  if (req->stream_data_free != NULL && req->stream_data != NULL)
    req->stream_data_free (req->stream_data);
  g_clear_error (&req->stream_error);
  g_clear_object (&req->msg);
  g_free (req->tx_org_id);
  SdHttp1Conn *conn = req->http1;
  if (!req->embedded)
    g_free (req);
  /* The connection writes the reply and may serve its next request now. */
  if (conn != NULL)
    sd_http1_conn_request_done (conn);
}

/* ---- input ---- */

const char *
sd_request_method (SdRequest *req)
{
  return req->method;
}

const char *
sd_request_path (SdRequest *req)
{
  return req->path;
}

const char *
sd_request_param (SdRequest  *req,
                  const char *name)
{
  return req->params != NULL ? g_hash_table_lookup (req->params, name) : NULL;
}

const char *
sd_request_query (SdRequest  *req,
                  const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

const char *
sd_request_header (SdRequest  *req,
                   const char *name)
{
  if (req->msg == NULL)
    return sd_http1_conn_header (req->http1, name);
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

GBytes *
sd_request_body_bytes (SdRequest *req)
{
  if (req->msg == NULL)
    {
      gsize len = 0;
      const char *data = sd_http1_conn_body (req->http1, &len);
      return g_bytes_new (data, len);
    }
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  return soup_message_body_flatten (body);
}

gsize
sd_request_body_size (SdRequest *req)
{
  if (req->msg == NULL)
    {
      gsize len = 0;
      sd_http1_conn_body (req->http1, &len);
      return len;
    }
  goffset len = soup_server_message_get_request_body (req->msg)->length;
  return len > 0 ? (gsize) len : 0;
}

void
sd_request_set_stream_data (SdRequest      *req,
                            gpointer        data,
                            GDestroyNotify  free_func)
{
  if (req->stream_data_free != NULL && req->stream_data != NULL)
    req->stream_data_free (req->stream_data);
  req->stream_data = data;
  req->stream_data_free = free_func;
}

gpointer
sd_request_stream_data (SdRequest *req)
{
  return req->stream_data;
}

const SdConfig *
sd_request_config (SdRequest *req)
{
  return req->server->config;
}

SdStorage *
sd_request_storage (SdRequest *req)
{
  return req->server->storage;
}

SdDbConn *
sd_request_db (SdRequest *req)
{
  return req->worker->db;
}

SdRateLimiter *
sd_request_rate_limiter (SdRequest *req)
{
  return req->server->limiter;
}

gint64
sd_request_now (SdRequest *req)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
sd_request_begin_as (SdRequest   *req,
                     SdDbTxKind   kind,
                     const char  *org_id,
                     GError     **error)
{
  if (!sd_db_begin (req->worker->db, kind, org_id, error))
    return FALSE;
  g_free (req->tx_org_id);
  req->tx_org_id = g_strdup (org_id);
  req->tx_kind = kind;
  req->outbox_written = FALSE;
  return TRUE;
}

gboolean
sd_request_begin (SdRequest   *req,
                  SdDbTxKind   kind,
                  GError     **error)
{
  return sd_request_begin_as (req, kind, req->auth.org_id, error);
}

gboolean
sd_request_commit (SdRequest  *req,
                   GError    **error)
{
  if (!sd_db_commit (req->worker->db, error))
    return FALSE;
  /* Sessions, users and roles may have changed: no worker may answer from
   * what it remembered (auth/sd-session-cache.h). */
  if (req->tx_kind != SD_DB_TX_READ)
    sd_session_cache_invalidate_all ();
  if (req->outbox_written)
    sd_server_kick_outbox (req->server);
  req->outbox_written = FALSE;
  return TRUE;
}

gboolean
sd_request_require_role (SdRequest  *req,
                         GError    **error,
                         ...)
{
  va_list args;
  gboolean ok = FALSE;
  va_start (args, error);
  for (SdRole r = va_arg (args, SdRole); r != SD_ROLE_NONE; r = va_arg (args, SdRole))
    if (r == req->auth.role)
      ok = TRUE;
  va_end (args);
  if (!ok)
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_FORBIDDEN,
                 "your role in this organization may not do that");
  return ok;
}

/* ---- replies ---- */

void
sd_request_set_header (SdRequest  *req,
                       const char *name,
                       const char *value)
{
  if (req->msg == NULL)
    sd_http1_reply_set_header (sd_http1_conn_reply (req->http1), name, value);
  else
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), name, value);
}

static void
set_status (SdRequest *req,
            guint      status)
{
  if (req->msg == NULL)
    sd_http1_conn_reply (req->http1)->status = status;
  else
    soup_server_message_set_status (req->msg, status, NULL);
}

void
sd_request_reply_bytes (SdRequest  *req,
                        guint       status,
                        const char *content_type,
                        GBytes     *bytes)
{
  gsize size = 0;
  gconstpointer data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  set_status (req, status);
  sd_request_set_header (req, "Cache-Control", "no-store");
  sd_request_set_header (req, "X-Content-Type-Options", "nosniff");
  if (data != NULL && req->msg == NULL)
    {
      SdHttp1Reply *reply = sd_http1_conn_reply (req->http1);
      sd_http1_reply_set_content_type (reply, content_type);
      sd_http1_reply_set_body (reply, data, size, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
    }
  else if (data != NULL)
    soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_COPY, data, size);
  req->replied = TRUE;
}

void
sd_request_reply_json (SdRequest  *req,
                       guint       status,
                       JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  gsize len = 0;
  g_autofree char *text = json_to_string (node, FALSE);
  len = strlen (text);
  set_status (req, status);
  sd_request_set_header (req, "Cache-Control", "no-store");
  sd_request_set_header (req, "X-Content-Type-Options", "nosniff");
  if (req->msg == NULL)
    {
      SdHttp1Reply *reply = sd_http1_conn_reply (req->http1);
      sd_http1_reply_set_content_type (reply, "application/json");
      sd_http1_reply_set_body (reply, text, len, text, g_free);
      text = NULL;
    }
  else
    soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                      g_steal_pointer (&text), len);
  req->replied = TRUE;
}

void
sd_request_reply_empty (SdRequest *req,
                        guint      status)
{
  set_status (req, status);
  sd_request_set_header (req, "Cache-Control", "no-store");
  req->replied = TRUE;
}

void
sd_request_reply_static (SdRequest  *req,
                         guint       status,
                         const char *content_type,
                         const char *data,
                         gsize       len)
{
  set_status (req, status);
  if (req->msg == NULL)
    {
      SdHttp1Reply *reply = sd_http1_conn_reply (req->http1);
      sd_http1_reply_set_content_type (reply, content_type);
      sd_http1_reply_set_body (reply, data, len, NULL, NULL);
    }
  else
    soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_STATIC, data, len);
  req->replied = TRUE;
}

void
sd_request_reply_error (SdRequest    *req,
                        const GError *error)
{
  sd_request_reply_error_details (req, error, NULL);
}

void
sd_request_reply_error_details (SdRequest    *req,
                                const GError *error,
                                JsonObject   *details)
{
  guint status = 500;
  const char *code = "internal";
  const char *message = "an internal error occurred";

  if (error->domain == TANDEM_ERROR)
    {
      status = tandem_error_http_status (error->code);
      code = tandem_error_code_name (error->code);
      message = error->message;
    }
  else if (g_error_matches (error, SD_DB_ERROR, SD_DB_ERROR_BUSY))
    {
      status = 503;
      code = "unavailable";
      message = "the database is busy; try again";
      sd_request_set_header (req, "Retry-After", "1");
    }
  /* 507 (a full storage quota) is the caller's situation, not a fault. */
  if (status >= 500 && status != 507)
    g_warning ("%s %s failed: %s", req->method, req->path, error->message);
  if (status == 401)
    sd_request_set_header (req, "WWW-Authenticate", "Bearer realm=\"tandem\"");

  JsonObject *inner = json_object_new ();
  json_object_set_string_member (inner, "code", code);
  json_object_set_string_member (inner, "message", message);
  if (details != NULL)
    json_object_set_object_member (inner, "details", details);
  JsonObject *outer = json_object_new ();
  json_object_set_object_member (outer, "error", inner);
  sd_request_reply_json (req, status, outer);
}

/* ---- authentication ---- */

static char *
bearer_token (SdRequest *req)
{
  const char *header = sd_request_header (req, "Authorization");
  if (header != NULL)
    {
      if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
        return NULL;
      return g_strstrip (g_strdup (header + 7));
    }
  const char *cookies = sd_request_header (req, "Cookie");
  if (cookies != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (cookies, ";", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          const char *p = parts[i];
          while (*p == ' ')
            p++;
          if (g_str_has_prefix (p, "tandem_session="))
            return g_strdup (p + strlen ("tandem_session="));
        }
    }
  return NULL;
}

/* Fills req->auth from the token, if any.  Returns FALSE on database
 * failure; an unknown token simply leaves the request unauthenticated. */
static gboolean
authenticate (SdRequest  *req,
              gboolean   *had_token,
              GError    **error)
{
  g_autofree char *token = bearer_token (req);
  *had_token = token != NULL;
  if (token == NULL || strlen (token) > 256)
    return TRUE;

  g_autofree char *hash = sd_token_hash (token);
  gint64 now = sd_request_now (req);
  if (req->worker->sessions != NULL &&
      sd_session_cache_lookup (req->worker->sessions, hash, now, &req->auth))
    return TRUE;
  g_autoptr(SdDbRows) rows = sd_db_sys (req->worker->db, error, SD_DB_SYS_SESSION_LOOKUP, "si",
                                        hash, now);
  if (rows == NULL)
    return FALSE;
  if (sd_db_rows_n (rows) != 1)
    return TRUE;

  SdAuth *a = &req->auth;
  a->authenticated = TRUE;
  a->session_id = g_strdup (sd_db_rows_text (rows, 0, "session_id"));
  a->org_id = g_strdup (sd_db_rows_text (rows, 0, "org_id"));
  a->user_id = g_strdup (sd_db_rows_text (rows, 0, "user_id"));
  a->email = g_strdup (sd_db_rows_text (rows, 0, "email"));
  a->name = g_strdup (sd_db_rows_text (rows, 0, "name"));
  a->language = g_strdup (sd_db_rows_text (rows, 0, "language"));
  a->time_zone = g_strdup (sd_db_rows_text (rows, 0, "time_zone"));
  a->role = sd_role_from_string (sd_db_rows_text (rows, 0, "role"));
  a->is_api_token = g_strcmp0 (sd_db_rows_text (rows, 0, "kind"), "api") == 0;
  if (a->is_api_token)
    a->scopes = g_strsplit (sd_db_rows_text (rows, 0, "scopes"), " ", -1);
  if (req->worker->sessions != NULL)
    sd_session_cache_store (req->worker->sessions, hash, a,
                            sd_db_rows_is_null (rows, 0, "expires_at") ? 0
                              : sd_db_rows_int (rows, 0, "expires_at"));
  return TRUE;
}

/* Does the caller's token allow this route? */
static gboolean
check_scope (SdRequest  *req,
             GError    **error)
{
  const SdRoute *route = req->route;
  if (!req->auth.is_api_token)
    return TRUE;
  if (route->flags & SD_ROUTE_SESSION_ONLY)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INSUFFICIENT_SCOPE,
                   "API tokens cannot do this; sign in with a password");
      return FALSE;
    }
  const char *need = route->scope;
  if (need == NULL)
    need = g_str_equal (route->method, "GET") ? "read" : "write";
  gboolean ok = g_strv_contains ((const char * const *) req->auth.scopes, need) ||
                (g_str_equal (need, "read") &&
                 g_strv_contains ((const char * const *) req->auth.scopes, "write"));
  if (!ok)
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INSUFFICIENT_SCOPE,
                 "this API token lacks the “%s” scope", need);
  return ok;
}

static gboolean
parse_body (SdRequest  *req,
            GError    **error)
{
  const SdRoute *route = req->route;
  if (route->body == NULL || (route->flags & SD_ROUTE_NO_BODY_CHECK))
    return TRUE;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  const char *data;
  if (req->msg == NULL)
    data = sd_http1_conn_body (req->http1, &size);   /* no copy */
  else
    {
      bytes = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
      data = g_bytes_get_data (bytes, &size);
    }
  req->body = sd_json_parse_object (data, size, error);
  if (req->body == NULL)
    return FALSE;
  return sd_json_validate (req->body, route->body, error);
}

gboolean
sd_request_route (SdRequest  *req,
                  GError    **error)
{
  gboolean path_matched = FALSE;

  req->routed = TRUE;
  /* The fast front end matched the route already, to know its body limit. */
  if (req->route == NULL)
    req->route = sd_route_match (req->method, req->path, NULL, &path_matched);
  if (req->route == NULL)
    {
      if (path_matched)
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_METHOD_NOT_ALLOWED,
                     "%s is not allowed here", req->method);
      else
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "no such resource");
      return FALSE;
    }
  if (strchr (req->route->pattern, '{') != NULL)
    {
      req->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      sd_route_params (req->route, req->path, req->params);
    }
  if (req->route->hooks != NULL && req->route->hooks->before != NULL &&
      !req->route->hooks->before (req, error))
    return FALSE;

  gboolean wants_auth = (req->route->flags & (SD_ROUTE_AUTH | SD_ROUTE_OPTIONAL_AUTH)) != 0;
  if (wants_auth)
    {
      gboolean had_token = FALSE;
      if (!authenticate (req, &had_token, error))
        return FALSE;
      if ((req->route->flags & SD_ROUTE_AUTH) && !req->auth.authenticated)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAUTHORIZED,
                       had_token ? "the token is invalid or expired; sign in again"
                                 : "sign in first (Authorization: Bearer TOKEN)");
          return FALSE;
        }
      if (req->auth.authenticated && !check_scope (req, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run (SdRequest  *req,
     GError    **error)
{
  /* A streamed body was routed before it was read. */
  if (!req->routed && !sd_request_route (req, error))
    return FALSE;
  if (req->stream_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&req->stream_error));
      return FALSE;
    }
  if (!parse_body (req, error))
    return FALSE;
  return req->route->handler (req, error);
}

void
sd_request_dispatch (SdRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!run (req, &error))
    {
      if (error == NULL)
        g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "the handler failed without a reason");
      sd_request_reply_error (req, error);
    }
  else if (!req->replied && !req->paused)
    {
      g_warning ("handler for %s %s replied nothing", req->route->method, req->route->pattern);
      sd_request_reply_empty (req, 500);
    }
  if (!req->paused)
    sd_request_finish (req);
}

/* ---- deferred work ---- */

static void
deferred_free (gpointer data)
{
  Deferred *d = data;
  if (d->free_data != NULL && d->data != NULL)
    d->free_data (d->data);
  g_free (d);
}

static void
deferred_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Deferred *d = task_data;
  d->work (d->data);
  g_task_return_boolean (task, TRUE);
}

static void
deferred_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Deferred *d = g_task_get_task_data (G_TASK (result));
  SdRequest *req = d->req;
  g_autoptr(GError) error = NULL;

  req->paused = FALSE;
  req->deferred = d;
  if (!d->done (req, &error))
    {
      if (error == NULL)
        g_set_error (&error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "the handler failed without a reason");
      sd_request_reply_error (req, error);
    }
  else if (!req->replied && !req->paused)
    sd_request_reply_empty (req, 500);
  req->deferred = NULL;
  /* The fast front end waits for sd_request_finish(); it reads nothing
   * more from the connection meanwhile. */
  if (req->msg != NULL)
    soup_server_message_unpause (req->msg);
  if (!req->paused)
    sd_request_finish (req);
}

void
sd_request_defer (SdRequest     *req,
                  SdWorkFunc     work,
                  SdHandlerFunc  done,
                  gpointer       data,
                  GDestroyNotify free_data)
{
  Deferred *d = g_new0 (Deferred, 1);
  d->req = req;
  d->work = work;
  d->done = done;
  d->data = data;
  d->free_data = free_data;

  /* The worker's context is thread-default here, so the callback returns to it. */
  g_autoptr(GTask) task = g_task_new (NULL, NULL, deferred_done, NULL);
  g_task_set_task_data (task, d, deferred_free);
  if (req->msg != NULL)
    soup_server_message_pause (req->msg);
  req->paused = TRUE;
  g_task_run_in_thread (task, deferred_thread);
}

gpointer
sd_request_defer_data (SdRequest *req)
{
  Deferred *d = req->deferred;
  return d != NULL ? d->data : NULL;
}

/* ---- pagination ---- */

gboolean
sd_page_parse (SdRequest  *req,
               SdPage     *page,
               GError    **error)
{
  const char *limit = sd_request_query (req, "limit");
  const char *cursor = sd_request_query (req, "cursor");
  guint64 n = 50;

  page->limit = 50;
  page->after_time = -1;
  page->after_id = g_strdup ("00000000-0000-0000-0000-000000000000");

  if (limit != NULL && !g_ascii_string_to_unsigned (limit, 10, 1, 100, &n, NULL))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "limit must be 1 to 100");
      return FALSE;
    }
  page->limit = (gint64) n;

  if (cursor != NULL && *cursor != '\0')
    {
      gsize len = 0;
      g_autofree char *padded = g_strdup (cursor);
      g_strdelimit (padded, "-", '+');
      g_strdelimit (padded, "_", '/');
      g_autofree guchar *raw = g_base64_decode (padded, &len);
      g_autofree char *text = raw != NULL ? g_strndup ((char *) raw, len) : NULL;
      char *sep = text != NULL ? strchr (text, ':') : NULL;
      gint64 t = 0;
      if (sep != NULL)
        *sep = '\0';
      if (sep == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &t, NULL) ||
          !sd_json_is_uuid (sep + 1))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST, "the cursor is not valid");
          return FALSE;
        }
      page->after_time = t;
      g_free (page->after_id);
      page->after_id = g_strdup (sep + 1);
    }
  return TRUE;
}

void
sd_page_clear (SdPage *page)
{
  g_clear_pointer (&page->after_id, g_free);
}

JsonObject *
sd_page_result (JsonArray  *items,
                gboolean    more,
                gint64      last_time,
                const char *last_id)
{
  JsonObject *result = json_object_new ();
  json_object_set_array_member (result, "items", items);
  if (more && last_id != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", last_time, last_id);
      g_autofree char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
      g_strdelimit (b64, "+", '-');
      g_strdelimit (b64, "/", '_');
      json_object_set_string_member (result, "next_cursor", b64);
    }
  else
    json_object_set_null_member (result, "next_cursor");
  return result;
}

void
sd_page_reply (SdRequest      *req,
               const SdPage   *page,
               SdDbRows       *rows,
               const char     *time_column,
               SdPageItemFunc  item,
               gpointer        data)
{
  JsonArray *items = json_array_new ();
  guint n = MIN (sd_db_rows_n (rows), (guint) page->limit);
  for (guint i = 0; i < n; i++)
    json_array_add_object_element (items, item (req, rows, i, data));
  sd_request_reply_json (req, 200,
                         sd_page_result (items, sd_db_rows_n (rows) > n,
                                         n > 0 ? sd_db_rows_int (rows, n - 1, time_column) : 0,
                                         n > 0 ? sd_db_rows_text (rows, n - 1, "id") : NULL));
}

/* ---- outbox ---- */

gboolean
sd_request_outbox (SdRequest   *req,
                   const char  *kind,
                   JsonObject  *payload,
                   GError     **error)
{
  if (!sd_outbox_insert (req->worker->db, req->tx_org_id, kind, payload, sd_request_now (req), error))
    return FALSE;
  req->outbox_written = TRUE;
  return TRUE;
}
