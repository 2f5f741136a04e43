/* sd-server.c — workers (one SoupServer + GMainContext + database connection
 * per thread) listening together on SO_REUSEPORT sockets. */
#define G_LOG_DOMAIN "sd-server"

#include "sd-server-private.h"

#include "auth/sd-password.h"
#include "auth/sd-token.h"
#include "auth/sd-url-sign.h"
#include "jobs/sd-outbox.h"
#include "sd-resources.h"
#include "storage/sd-storage.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void
register_resources_once (void)
{
  static gsize done = 0;
  if (g_once_init_enter (&done))
    {
      sd_register_resource ();
      g_once_init_leave (&done, 1);
    }
}

SdServer *
sd_server_new (SdConfig  *config,
               GError   **error)
{
  g_autoptr(SdServer) server = g_new0 (SdServer, 1);
  server->config = config;
  server->workers = g_ptr_array_new ();

  register_resources_once ();
  if (!sd_crypto_init (error))
    return NULL;

  if (g_mkdir_with_parents (config->data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "cannot create data directory %s: %s", config->data_dir, g_strerror (errno));
      return NULL;
    }

  server->db = sd_db_open (config->database_url, config->database_owner_url, error);
  if (server->db == NULL)
    return NULL;
  server->limiter = sd_rate_limiter_new ();
  server->calls = sd_call_hub_new ();

  g_autofree char *media = g_build_filename (config->data_dir, "media", NULL);
  server->storage = sd_storage_new_disk (media, error);
  if (server->storage == NULL)
    return NULL;
  server->sweeper = sd_sweeper_new (server);

  server->outbox = sd_outbox_new (server, error);
  if (server->outbox == NULL)
    return NULL;

  server->url_secret = sd_url_sign_load_secret (config->data_dir, error);
  if (server->url_secret == NULL)
    return NULL;
  if (config->media_jobs && (server->media_jobs = sd_media_jobs_new (server, error)) == NULL)
    return NULL;
  if (config->reminders)
    server->reminders = sd_reminders_new (server);

  /* Made now so the first login does not pay for it. */
  (void) sd_password_dummy_hash ();
  return g_steal_pointer (&server);
}

/* Refuses a body over the route's limit or without a length.  *@stream is
 * set to the route when it streams its body. */
static gboolean
early_handler_check (SoupServerMessage  *msg,
                     SdServer           *server,
                     const SdRoute     **stream)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  goffset length = encoding == SOUP_ENCODING_CONTENT_LENGTH
                   ? soup_message_headers_get_content_length (headers) : 0;
  gsize max = server->config->max_body_bytes;

  /* Most requests carry no body: no limit to look up, no second route match. */
  if (encoding != SOUP_ENCODING_CHUNKED && length == 0)
    return TRUE;
  if (encoding != SOUP_ENCODING_CHUNKED)
    {
      const SdRoute *route = sd_route_match (soup_server_message_get_method (msg),
                                             g_uri_get_path (soup_server_message_get_uri (msg)),
                                             NULL, NULL);
      if (route != NULL && route->max_body > 0)
        max = route->max_body;
      else if (route != NULL && (route->flags & SD_ROUTE_STREAM_BODY))
        max = (gsize) server->config->max_upload_bytes;
      if (route != NULL && (route->flags & SD_ROUTE_STREAM_BODY))
        *stream = route;
    }

  if (encoding == SOUP_ENCODING_CHUNKED || length > (goffset) max)
    {
      /* The refused body is still read (unless the client waits for
       * 100-continue), but not kept. */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      *stream = NULL;
    }
  if (encoding == SOUP_ENCODING_CHUNKED)
    {
      /* Bodies must announce their size, so limits hold before reading. */
      soup_server_message_set_status (msg, SOUP_STATUS_LENGTH_REQUIRED, NULL);
      static const char body[] =
        "{\"error\":{\"code\":\"invalid_request\",\"message\":\"send a Content-Length\"}}";
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        body, sizeof body - 1);
      return FALSE;
    }
  if (length > (goffset) max)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      g_autofree char *body = g_strdup_printf (
        "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"the body may be at most %"
        G_GSIZE_FORMAT " bytes\"}}", max);
      gsize len = strlen (body);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&body), len);
      return FALSE;
    }
  return TRUE;
}

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SdWorker *worker = user_data;
  const SdRoute *stream = NULL;
  if (early_handler_check (msg, worker->server, &stream) && stream != NULL)
    sd_request_stream_begin (worker, msg);
}

static void
request_handler (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SdWorker *worker = user_data;
  SdRequest *req = sd_request_stream_take (msg);
  if (req == NULL)
    req = sd_request_new (worker, msg);
  if (query != NULL && req->query == NULL)
    req->query = g_hash_table_ref (query);
  sd_request_dispatch (req);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
worker_report (SdWorker *worker,
               GError   *error)
{
  g_mutex_lock (&worker->lock);
  worker->started = TRUE;
  worker->start_error = error;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
}

/* libsoup keeps a connection alive after a request only while the server
 * has a listener.  With the fast front end, libsoup serves only the
 * connections handed to it, so it listens on a socket of its own that no
 * one connects to: a Unix socket with a random abstract name (Linux
 * "autobind").  A local process that finds it anyway is served by libsoup
 * like any client, with an empty client address. */
static GSocket *
make_private_listener (GError **error)
{
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  /* An address of just the family asks for an automatic abstract name. */
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof (sa_family_t)) != 0 || listen (fd, 1) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot make libsoup's private socket: %s", g_strerror (saved));
      return NULL;
    }
  GSocket *socket = g_socket_new_from_fd (fd, error);
  if (socket == NULL)
    close (fd);
  return socket;
}

static gpointer
worker_main (gpointer data)
{
  SdWorker *worker = data;
  GError *error = NULL;

  g_main_context_push_thread_default (worker->context);

  worker->db = sd_db_connect (worker->server->db, &error);
  if (worker->db == NULL)
    goto out;

  if (worker->server->config->log_requests)
    worker->log = sd_log_new (STDOUT_FILENO, worker->context);
  worker->sessions = sd_session_cache_new (worker->server->config->session_cache_ttl_ms);

  worker->soup = soup_server_new ("server-header", "signald ", NULL);
  soup_server_add_early_handler (worker->soup, NULL, early_handler, worker, NULL);
  soup_server_add_handler (worker->soup, NULL, request_handler, worker, NULL);
  worker->ws = sd_ws_new (worker);
  if (worker->server->config->http_frontend == SD_HTTP_FRONTEND_FAST)
    {
      worker->soup_listener = make_private_listener (&error);
      if (worker->soup_listener == NULL ||
          !soup_server_listen_socket (worker->soup, worker->soup_listener, 0, &error) ||
          (worker->http1 = sd_http1_server_new (worker, worker->socket, &error)) == NULL)
        goto out;
    }
  else if (!soup_server_listen_socket (worker->soup, worker->socket, 0, &error))
    goto out;

  worker_report (worker, NULL);
  g_main_loop_run (worker->loop);

out:
  if (error != NULL)
    worker_report (worker, error);
  g_clear_pointer (&worker->ws, sd_ws_free);
  sd_http1_server_stop (worker->http1);
  if (worker->soup != NULL)
    {
      soup_server_disconnect (worker->soup);
      /* Let closing connections finish their callbacks on this context. */
      while (g_main_context_iteration (worker->context, FALSE))
        ;
      g_clear_object (&worker->soup);
    }
  g_clear_pointer (&worker->http1, sd_http1_server_free);
  g_clear_object (&worker->soup_listener);
  g_clear_pointer (&worker->db, sd_db_conn_free);
  g_clear_pointer (&worker->log, sd_log_free);
  g_clear_pointer (&worker->sessions, sd_session_cache_free);
  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

/* GLib's g_socket_bind() resets SO_REUSEPORT on stream sockets, so the
 * socket is bound by hand and then wrapped. */
static GSocket *
make_listen_socket (const char  *host,
                    guint16      port,
                    GError     **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "listen host “%s” is not an IP address", host);
      return NULL;
    }
  g_autoptr(GSocketAddress) saddr = g_inet_socket_address_new (addr, port);
  struct sockaddr_storage native;
  gssize native_len = g_socket_address_get_native_size (saddr);
  if (!g_socket_address_to_native (saddr, &native, sizeof native, error))
    return NULL;

  int fd = socket (native.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 ||
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
      bind (fd, (struct sockaddr *) &native, (socklen_t) native_len) != 0 ||
      listen (fd, 1024) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot listen on %s:%u: %s", host, port, g_strerror (saved));
      return NULL;
    }
  GSocket *socket = g_socket_new_from_fd (fd, error);
  if (socket == NULL)
    close (fd);
  return socket;
}

gboolean
sd_server_start (SdServer  *server,
                 GError   **error)
{
  const SdConfig *config = server->config;
  guint n_workers = config->workers > 0 ? config->workers : g_get_num_processors ();
  guint16 port = config->listen_port;

  g_return_val_if_fail (!server->running, FALSE);
  n_workers = CLAMP (n_workers, 1, 64);

  for (guint i = 0; i < n_workers; i++)
    {
      g_autoptr(GSocket) socket = make_listen_socket (config->listen_host, port, error);
      if (socket == NULL)
        {
          sd_server_stop (server);
          return FALSE;
        }
      if (port == 0)
        {
          g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, error);
          if (local == NULL)
            return FALSE;
          port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
        }

      SdWorker *worker = g_new0 (SdWorker, 1);
      worker->server = server;
      worker->index = i;
      worker->socket = g_steal_pointer (&socket);
      worker->context = g_main_context_new ();
      worker->loop = g_main_loop_new (worker->context, FALSE);
      g_mutex_init (&worker->lock);
      g_cond_init (&worker->cond);
      g_ptr_array_add (server->workers, worker);

      g_autofree char *name = g_strdup_printf ("sd-worker-%u", i);
      worker->thread = g_thread_new (name, worker_main, worker);

      g_mutex_lock (&worker->lock);
      while (!worker->started)
        g_cond_wait (&worker->cond, &worker->lock);
      g_mutex_unlock (&worker->lock);
      if (worker->start_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&worker->start_error));
          sd_server_stop (server);
          return FALSE;
        }
    }

  server->port = port;
  gboolean v6 = strchr (config->listen_host, ':') != NULL;
  const char *host = config->listen_host;
  if (g_str_equal (host, "0.0.0.0"))
    host = "127.0.0.1";
  else if (g_str_equal (host, "::"))
    host = "::1";
  g_free (server->url);
  server->url = g_strdup_printf ("http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
  server->running = TRUE;

  if (!sd_outbox_start (server->outbox, error) ||
      (server->media_jobs != NULL && !sd_media_jobs_start (server->media_jobs, error)) ||
      !sd_sweeper_start (server->sweeper, error) ||
      (server->reminders != NULL && !sd_reminders_start (server->reminders, error)))
    {
      sd_server_stop (server);
      return FALSE;
    }
  return TRUE;
}

guint16
sd_server_get_port (SdServer *server)
{
  return server->port;
}

const char *
sd_server_get_url (SdServer *server)
{
  return server->url;
}

void
sd_server_stop (SdServer *server)
{
  sd_reminders_stop (server->reminders);
  if (server->outbox != NULL)
    sd_outbox_stop (server->outbox);
  if (server->media_jobs != NULL)
    sd_media_jobs_stop (server->media_jobs);
  sd_sweeper_stop (server->sweeper);

  for (guint i = 0; i < server->workers->len; i++)
    {
      SdWorker *worker = g_ptr_array_index (server->workers, i);
      if (worker->thread != NULL)
        {
          g_main_context_invoke (worker->context, quit_loop, worker->loop);
          g_thread_join (worker->thread);
        }
      g_clear_error (&worker->start_error);
      g_clear_object (&worker->socket);
      g_main_loop_unref (worker->loop);
      g_main_context_unref (worker->context);
      g_mutex_clear (&worker->lock);
      g_cond_clear (&worker->cond);
      g_free (worker);
    }
  g_ptr_array_set_size (server->workers, 0);
  server->running = FALSE;
}

void
sd_server_free (SdServer *server)
{
  if (server == NULL)
    return;
  sd_server_stop (server);
  g_clear_pointer (&server->outbox, sd_outbox_free);
  g_clear_pointer (&server->media_jobs, sd_media_jobs_free);
  g_clear_pointer (&server->url_secret, g_bytes_unref);
  g_clear_pointer (&server->sweeper, sd_sweeper_free);
  g_clear_pointer (&server->reminders, sd_reminders_free);
  g_ptr_array_unref (server->workers);
  g_clear_pointer (&server->limiter, sd_rate_limiter_free);
  g_clear_pointer (&server->calls, sd_call_hub_free);
  g_clear_pointer (&server->storage, sd_storage_free);
  g_clear_pointer (&server->db, sd_db_free);
  g_clear_pointer (&server->config, sd_config_free);
  g_free (server->url);
  g_free (server);
}

const SdConfig *
sd_server_get_config (SdServer *server)
{
  return server->config;
}

SdDb *
sd_server_get_db (SdServer *server)
{
  return server->db;
}

SdRateLimiter *
sd_server_get_limiter (SdServer *server)
{
  return server->limiter;
}

SdStorage *
sd_server_get_storage (SdServer *server)
{
  return server->storage;
}

void
sd_server_kick_outbox (SdServer *server)
{
  if (server->outbox != NULL)
    sd_outbox_kick (server->outbox);
}

GBytes *
sd_server_get_url_secret (SdServer *server)
{
  return server->url_secret;
}

SdCallHub *
sd_server_get_call_hub (SdServer *server)
{
  return server->calls;
}

void
sd_server_kick_media_jobs (SdServer *server)
{
  if (server->media_jobs != NULL)
    sd_media_jobs_kick (server->media_jobs);
}
