/* sd-http1-conn.c — the fast HTTP/1.1 front end: accepting, the connection
 * state machine, timeouts and hand-off to libsoup; see sd-http1-conn.h. */
#define G_LOG_DOMAIN "sd-http"

#include "http/sd-http1-conn.h"

#include "http/sd-http1-handoff.h"
#include "http/sd-http1-parse.h"
#include "sd-server-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define IN_INITIAL   4096
#define OUT_HIGH     (256 * 1024)   /* stop taking requests while this much output waits */
#define MAX_EVENTS   64
#define MAX_ACCEPT   64
#define LINGER_US     (2 * G_USEC_PER_SEC)    /* lingering: no byte for this long ends it */
#define LINGER_MAX_US (30 * G_USEC_PER_SEC)   /* … and this long in all */
#define SHRINK_ABOVE (64 * 1024)    /* buffers larger than this shrink when empty */

struct _SdHttp1Conn {
  SdHttp1Server *server;
  GList link;                  /* in server->conns */
  int fd;                      /* -1 once closed */
  guint32 events;              /* registered epoll events */
  struct sockaddr_storage peer;
  socklen_t peer_len;
  char ip[INET6_ADDRSTRLEN];

  /* input: the current request starts at in[0] */
  char *in;
  gsize in_len, in_cap;
  gsize scan;                  /* where the search for the head's end resumes */
  gboolean head_parsed;
  SdHttp1Head head;
  gsize need;                  /* head + body bytes, once the head is parsed */
  const SdRoute *route;

  /* output */
  GString *out;
  gsize out_pos;

  SdRequest *req;              /* dispatched, not finished yet (= &request) */
  SdRequest request;
  SdHttp1Reply reply;
  gboolean in_process;         /* inside conn_process(): a finishing request does not recurse */

  gboolean eof;                /* the client sent everything it will */
  gboolean close_after;        /* close once the output is out */
  gboolean handoff;            /* hand to libsoup once the output is out */
  gboolean lingering;          /* write side shut, dropping input until EOF */
  gboolean dead;               /* closed; freed when its request finishes */
  gint64 request_start;        /* first byte of the current request, 0 for none */
  gint64 linger_start;
  gint64 last_active;
};

struct _SdHttp1Server {
  SdWorker *worker;
  int epfd;
  int listen_fd;
  gboolean listen_paused;
  GSource *source;
  GSource *timer;
  GQueue conns;
  SdHttp1Date date;
  gint64 head_timeout_us;
  gint64 idle_timeout_us;
  gboolean stopped;
  gboolean dispatching;        /* inside server_dispatch() */
};

static void conn_run   (SdHttp1Conn *c);
static void conn_close (SdHttp1Conn *c);

/* ---- buffers ---- */

/* Room for at least @want bytes of input. */
static void
in_reserve (SdHttp1Conn *c,
            gsize        want)
{
  if (want <= c->in_cap)
    return;
  gsize cap = MAX (c->in_cap, (gsize) IN_INITIAL);
  while (cap < want)
    cap *= 2;
  char *old = c->in;
  c->in = g_realloc (c->in, cap);
  c->in_cap = cap;
  /* The parsed head points into the buffer: parse it again where it is
   * now (same bytes, same result). */
  if (c->head_parsed && c->in != old)
    {
      if (sd_http1_parse_head (c->in, c->in_len, SD_HTTP1_MAX_HEAD, &c->head) != SD_HTTP1_PARSE_OK)
        g_critical ("a parsed head no longer parses");
    }
}

/* Drops the first @n bytes of input (the request just served). */
static void
in_consume (SdHttp1Conn *c,
            gsize        n)
{
  g_assert (n <= c->in_len);
  c->in_len -= n;
  if (c->in_len > 0)
    memmove (c->in, c->in + n, c->in_len);
  else if (c->in_cap > SHRINK_ABOVE)
    {
      g_free (c->in);
      c->in = g_malloc (IN_INITIAL);
      c->in_cap = IN_INITIAL;
    }
  c->scan = 0;
  c->head_parsed = FALSE;
  c->need = 0;
  c->route = NULL;
  c->request_start = c->in_len > 0 ? g_get_monotonic_time () : 0;
}

static gsize
out_pending (SdHttp1Conn *c)
{
  return c->out->len - c->out_pos;
}

/* ---- epoll ---- */

/* Returns FALSE when @c is gone. */
static gboolean
conn_update_events (SdHttp1Conn *c)
{
  guint32 want = 0;
  if (c->fd < 0)
    return TRUE;
  if (out_pending (c) > 0)
    want |= EPOLLOUT;
  if (c->lingering)
    want |= EPOLLIN;
  else if (!c->eof && c->req == NULL && !c->close_after && !c->handoff &&
           out_pending (c) <= OUT_HIGH)
    {
      /* Room to read into: up to the head limit, or for the whole body. */
      gsize target = c->head_parsed ? c->need : MIN ((gsize) SD_HTTP1_MAX_HEAD, c->in_len + IN_INITIAL);
      in_reserve (c, MAX (target, c->in_len + 1));
      want |= EPOLLIN;
    }
  if (want == c->events)
    return TRUE;
  struct epoll_event ev = { .events = want, .data.ptr = c };
  if (epoll_ctl (c->server->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
    {
      c->events = want;
      return TRUE;
    }
  gboolean kept = c->req != NULL;
  conn_close (c);
  return kept;
}

/* ---- connection life ---- */

static SdHttp1Conn *
conn_new (SdHttp1Server                *server,
          int                           fd,
          const struct sockaddr_storage *peer,
          socklen_t                     peer_len)
{
  SdHttp1Conn *c = g_new0 (SdHttp1Conn, 1);
  c->server = server;
  c->fd = fd;
  c->peer = *peer;
  c->peer_len = peer_len;
  if (peer->ss_family == AF_INET)
    inet_ntop (AF_INET, &((const struct sockaddr_in *) peer)->sin_addr, c->ip, sizeof c->ip);
  else if (peer->ss_family == AF_INET6)
    inet_ntop (AF_INET6, &((const struct sockaddr_in6 *) peer)->sin6_addr, c->ip, sizeof c->ip);
  c->in = g_malloc (IN_INITIAL);
  c->in_cap = IN_INITIAL;
  c->out = g_string_sized_new (IN_INITIAL);
  sd_http1_reply_init (&c->reply);
  c->last_active = g_get_monotonic_time ();
  c->link.data = c;
  g_queue_push_tail_link (&server->conns, &c->link);

  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
  if (epoll_ctl (server->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
    {
      conn_close (c);
      return NULL;
    }
  c->events = EPOLLIN;
  return c;
}

/* Takes the socket out of the epoll set, then closes it.  (Closing alone
 * is not enough: the epoll entry belongs to the open file, which a child
 * process forked at that moment may still share until it execs, and an
 * event for a freed connection would follow.) */
static void
conn_close_fd (SdHttp1Conn *c)
{
  if (c->fd < 0)
    return;
  epoll_ctl (c->server->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close (c->fd);
  c->fd = -1;
}

static void
conn_free (SdHttp1Conn *c)
{
  g_assert (c->req == NULL);
  conn_close_fd (c);
  g_queue_unlink (&c->server->conns, &c->link);
  g_free (c->in);
  g_string_free (c->out, TRUE);
  sd_http1_reply_clear (&c->reply);
  g_free (c);
}

/* Closes the socket; the connection is freed now, or once its deferred
 * request has finished. */
static void
conn_close (SdHttp1Conn *c)
{
  conn_close_fd (c);
  c->dead = TRUE;
  if (c->req == NULL)
    conn_free (c);
}

/* The connection goes to libsoup with every byte not served yet. */
static void
conn_handoff (SdHttp1Conn *c)
{
  SdWorker *worker = c->server->worker;
  g_autoptr(GError) error = NULL;

  epoll_ctl (c->server->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  g_autoptr(GSocket) socket = g_socket_new_from_fd (c->fd, &error);
  if (socket == NULL)
    {
      g_message ("cannot hand a connection to libsoup: %s", error->message);
      conn_close (c);
      return;
    }
  c->fd = -1;   /* the GSocket owns it now */
  g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (socket);
  g_autoptr(GBytes) prefix = g_bytes_new (c->in, c->in_len);
  g_autoptr(GIOStream) stream = sd_handoff_stream_new (connection, prefix);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_address_new_from_native (&c->peer, c->peer_len);
  if (!soup_server_accept_iostream (worker->soup, stream, local, remote, &error))
    {
      g_message ("libsoup refused a connection: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
    }
  conn_free (c);
}

/* Writes what is waiting; then closes, lingers or hands off when that was
 * the plan.  Returns FALSE when @c is gone. */
static gboolean
conn_flush (SdHttp1Conn *c)
{
  while (out_pending (c) > 0)
    {
      ssize_t n = send (c->fd, c->out->str + c->out_pos, out_pending (c), MSG_NOSIGNAL);
      if (n > 0)
        {
          c->out_pos += (gsize) n;
          c->last_active = g_get_monotonic_time ();
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      conn_close (c);
      return c->req != NULL;   /* kept for its request, but closed */
    }
  if (out_pending (c) == 0)
    {
      if (c->out->allocated_len > SHRINK_ABOVE)
        {
          g_string_free (c->out, TRUE);
          c->out = g_string_sized_new (IN_INITIAL);
        }
      else
        g_string_truncate (c->out, 0);
      c->out_pos = 0;
      if (c->req == NULL && c->handoff)
        {
          conn_handoff (c);
          return FALSE;
        }
      if (c->req == NULL && c->close_after && !c->lingering)
        {
          if (c->eof)
            {
              conn_close (c);
              return FALSE;
            }
          /* Closing with unread input would reset the connection and could
           * destroy the reply before the client reads it: shut the write
           * side and drop what still comes, for a while. */
          shutdown (c->fd, SHUT_WR);
          c->lingering = TRUE;
          c->linger_start = c->last_active = g_get_monotonic_time ();
        }
    }
  return conn_update_events (c);
}

/* An error reply from the front end itself; the connection closes after. */
static void
conn_fail (SdHttp1Conn *c,
           guint        status,
           const char  *code,
           const char  *message)
{
  SdHttp1WriteFlags flags = SD_HTTP1_WRITE_CLOSE;
  if (c->head_parsed && c->head.version == 0)
    flags |= SD_HTTP1_WRITE_HTTP10;
  sd_http1_write_error (c->out, status, code, message, flags, &c->server->date);
  c->close_after = TRUE;
}

/* ---- requests ---- */

/* NUL-terminates the method, path, query and header names and values in
 * place: from now on the bytes are this request's, never libsoup's. */
static void
terminate_strings (SdHttp1Conn *c)
{
  SdHttp1Head *h = &c->head;
  ((char *) h->method)[h->method_len] = '\0';
  ((char *) h->path)[h->path_len] = '\0';
  if (h->query != NULL)
    ((char *) h->query)[h->query_len] = '\0';
  for (guint i = 0; i < h->n_headers; i++)
    {
      ((char *) h->headers[i].name)[h->headers[i].name_len] = '\0';
      ((char *) h->headers[i].value)[h->headers[i].value_len] = '\0';
    }
}

/* A complete head at in[0]: decide who serves it.  Returns FALSE when the
 * connection stops taking requests (error or hand-off). */
static gboolean
conn_take_head (SdHttp1Conn *c)
{
  SdHttp1Head *h = &c->head;
  const SdConfig *config = c->server->worker->server->config;

  switch (sd_http1_parse_head (c->in, c->in_len, SD_HTTP1_MAX_HEAD, h))
    {
    case SD_HTTP1_PARSE_INCOMPLETE:
      g_assert_not_reached ();
    case SD_HTTP1_PARSE_ERROR:
      conn_fail (c, h->error_status, "invalid_request", h->error_message);
      return FALSE;
    case SD_HTTP1_PARSE_OK:
    default:
      break;
    }
  if (h->handoff != 0)
    {
      c->handoff = TRUE;
      return FALSE;
    }

  /* Route now (on terminated copies of method and path) for the body limit
   * and to know whether libsoup must serve it. */
  char method_end = h->method[h->method_len], path_end = h->path[h->path_len];
  ((char *) h->method)[h->method_len] = '\0';
  ((char *) h->path)[h->path_len] = '\0';
  const SdRoute *route = sd_route_match (h->method, h->path, NULL, NULL);
  ((char *) h->method)[h->method_len] = method_end;
  ((char *) h->path)[h->path_len] = path_end;
  if (route != NULL && (route->flags & (SD_ROUTE_STREAM_BODY | SD_ROUTE_STREAM_REPLY)))
    {
      c->handoff = TRUE;
      return FALSE;
    }

  gsize max = route != NULL && route->max_body > 0 ? route->max_body : config->max_body_bytes;
  if (h->content_length > (gint64) max)
    {
      c->head_parsed = TRUE;   /* for the reply's HTTP version */
      g_autofree char *message = g_strdup_printf ("the body may be at most %" G_GSIZE_FORMAT " bytes", max);
      conn_fail (c, 413, "payload_too_large", message);
      return FALSE;
    }
  c->route = route;
  c->need = h->head_len + (gsize) MAX (h->content_length, 0);
  c->head_parsed = TRUE;
  return TRUE;
}

/* The head and body are in: hand the request to its handler. */
static void
conn_serve (SdHttp1Conn *c)
{
  SdWorker *worker = c->server->worker;
  terminate_strings (c);
  SdRequest *req = sd_request_new_http1 (&c->request, worker, c, c->head.method, c->head.path, c->ip);
  req->route = c->route;
  if (c->head.query != NULL)
    req->query = soup_form_decode (c->head.query);
  c->req = req;
  sd_request_dispatch (req);
}

void
sd_http1_conn_request_done (SdHttp1Conn *c)
{
  const SdHttp1Head *h = &c->head;
  SdHttp1WriteFlags flags = 0;

  c->req = NULL;
  if (c->dead)
    {
      conn_free (c);
      return;
    }
  if (h->method_len == 4 && memcmp (h->method, "HEAD", 4) == 0)
    flags |= SD_HTTP1_WRITE_HEAD;
  if (h->version == 0)
    flags |= SD_HTTP1_WRITE_HTTP10;
  if (h->close)
    flags |= SD_HTTP1_WRITE_CLOSE;
  else if (h->version == 0)
    flags |= SD_HTTP1_WRITE_KEEP_ALIVE;
  sd_http1_reply_write (&c->reply, flags, &c->server->date, c->out);
  sd_http1_reply_reset (&c->reply);
  if (h->close)
    c->close_after = TRUE;
  in_consume (c, c->need);
  if (!c->in_process)
    conn_run (c);
}

/* Serves every complete request in the buffer, in order, until one is
 * deferred, the output backs up or the connection stops taking requests. */
static void
conn_process (SdHttp1Conn *c)
{
  c->in_process = TRUE;
  while (!c->dead && c->req == NULL && !c->close_after && !c->handoff &&
         out_pending (c) <= OUT_HIGH)
    {
      if (!c->head_parsed)
        {
          gsize end = sd_http1_find_head_end (c->in, MIN (c->in_len, (gsize) SD_HTTP1_MAX_HEAD), &c->scan);
          if (end == 0 && c->in_len < SD_HTTP1_MAX_HEAD)
            {
              if (c->eof)
                c->close_after = TRUE;
              break;
            }
          if (!conn_take_head (c))
            break;
        }
      if (c->in_len < c->need)
        {
          if (c->eof)
            c->close_after = TRUE;
          break;
        }
      conn_serve (c);
    }
  c->in_process = FALSE;
}

/* Process what arrived, then write; again while writing made room for
 * requests that wait in the buffer.  May free @c. */
static void
conn_run (SdHttp1Conn *c)
{
  for (;;)
    {
      conn_process (c);
      if (c->dead)
        {
          if (c->req == NULL)
            conn_free (c);
          return;
        }
      gboolean held_back = out_pending (c) > OUT_HIGH;
      if (!conn_flush (c) || c->dead)
        return;
      /* Output held requests back and has drained since: serve them now,
       * for no read event will come for bytes already read. */
      if (!held_back || out_pending (c) > OUT_HIGH || c->in_len == 0 || c->req != NULL)
        return;
    }
}

/* Reads what the socket holds. */
static void
conn_read (SdHttp1Conn *c)
{
  if (c->in_len == c->in_cap)
    return;
  ssize_t n = recv (c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
  if (n > 0)
    {
      if (c->in_len == 0)
        c->request_start = g_get_monotonic_time ();
      c->in_len += (gsize) n;
      c->last_active = g_get_monotonic_time ();
    }
  else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
    c->eof = TRUE;
}

/* Drops input after the reply of a closing connection; closes on EOF.
 * While the client keeps sending (a refused body), the connection stays:
 * closing with unread input would reset it before the client has read the
 * reply. */
static void
conn_linger (SdHttp1Conn *c)
{
  char scratch[16384];
  for (guint i = 0; i < 16; i++)
    {
      ssize_t n = recv (c->fd, scratch, sizeof scratch, 0);
      if (n > 0)
        {
          c->last_active = g_get_monotonic_time ();
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      conn_close (c);   /* EOF or error */
      return;
    }
  /* More is coming: the next event reads on. */
}

static void
conn_event (SdHttp1Conn *c,
            guint32      events)
{
  if (c->lingering)
    {
      conn_linger (c);
      return;
    }
  /* Reset, or shut in both directions: no reply can reach the client.
   * (epoll reports these even while reading is paused, and keeps
   * reporting them: close now.) */
  if (events & (EPOLLERR | EPOLLHUP))
    {
      conn_close (c);
      return;
    }
  if (events & EPOLLIN)
    {
      conn_read (c);
      if (c->eof && c->in_len == 0 && c->req == NULL && out_pending (c) == 0)
        {
          conn_close (c);
          return;
        }
    }
  conn_run (c);
}

/* ---- the server ---- */

static void
server_accept (SdHttp1Server *server)
{
  for (guint i = 0; i < MAX_ACCEPT; i++)
    {
      struct sockaddr_storage peer;
      socklen_t len = sizeof peer;
      int fd = accept4 (server->listen_fd, (struct sockaddr *) &peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            {
              /* Out of descriptors: stop accepting until the next tick
               * rather than spin on a listener that stays readable. */
              g_message ("cannot accept a connection: %s", g_strerror (errno));
              struct epoll_event ev = { .events = 0, .data.ptr = server };
              epoll_ctl (server->epfd, EPOLL_CTL_MOD, server->listen_fd, &ev);
              server->listen_paused = TRUE;
            }
          return;
        }
      if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6)
        {
          int one = 1;
          setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
      conn_new (server, fd, &peer, len);
    }
}

static gboolean
server_dispatch (gint         fd,
                 GIOCondition condition,
                 gpointer     data)
{
  SdHttp1Server *server = data;
  struct epoll_event events[MAX_EVENTS];
  if (server->dispatching)
    return G_SOURCE_CONTINUE;
  server->dispatching = TRUE;
  int n = epoll_wait (server->epfd, events, MAX_EVENTS, 0);
  for (int i = 0; i < n; i++)
    {
      if (events[i].data.ptr == server)
        server_accept (server);
      else
        conn_event (events[i].data.ptr, events[i].events);
    }
  server->dispatching = FALSE;
  return G_SOURCE_CONTINUE;
}

/* Timeouts, and the listener back after running out of descriptors. */
static gboolean
server_tick (gpointer data)
{
  SdHttp1Server *server = data;
  gint64 now = g_get_monotonic_time ();

  if (server->listen_paused)
    {
      struct epoll_event ev = { .events = EPOLLIN, .data.ptr = server };
      if (epoll_ctl (server->epfd, EPOLL_CTL_MOD, server->listen_fd, &ev) == 0)
        server->listen_paused = FALSE;
    }
  for (GList *l = server->conns.head; l != NULL;)
    {
      SdHttp1Conn *c = l->data;
      l = l->next;
      if (c->dead || c->req != NULL)
        continue;
      gboolean expired;
      if (c->lingering)
        expired = now - c->last_active > LINGER_US || now - c->linger_start > LINGER_MAX_US;
      else if (out_pending (c) > 0)
        expired = now - c->last_active > server->idle_timeout_us;   /* not reading its replies */
      else if (c->head_parsed)
        expired = now - c->last_active > server->head_timeout_us;   /* the body stalls */
      else if (c->in_len > 0)
        expired = now - c->request_start > server->head_timeout_us; /* the head is late */
      else
        expired = now - c->last_active > server->idle_timeout_us;
      if (expired)
        conn_close (c);
    }
  return G_SOURCE_CONTINUE;
}

SdHttp1Server *
sd_http1_server_new (SdWorker  *worker,
                     GSocket   *listener,
                     GError   **error)
{
  const SdConfig *config = worker->server->config;
  SdHttp1Server *server = g_new0 (SdHttp1Server, 1);
  server->worker = worker;
  server->listen_fd = g_socket_get_fd (listener);
  server->head_timeout_us = (gint64) config->http_head_timeout_ms * 1000;
  server->idle_timeout_us = (gint64) config->http_idle_timeout_ms * 1000;
  g_queue_init (&server->conns);

  server->epfd = epoll_create1 (EPOLL_CLOEXEC);
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = server };
  if (server->epfd < 0 || epoll_ctl (server->epfd, EPOLL_CTL_ADD, server->listen_fd, &ev) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot watch the listening socket: %s", g_strerror (saved));
      if (server->epfd >= 0)
        close (server->epfd);
      g_free (server);
      return NULL;
    }

  GMainContext *context = g_main_context_get_thread_default ();
  server->source = g_unix_fd_source_new (server->epfd, G_IO_IN);
  /* GLib takes the fds of a source that cannot recurse out of its poll
   * set while dispatching it and puts them back after, each time waking
   * the loop up through its eventfd: two writes per dispatch for nothing.
   * Nothing here iterates the context from inside (server_dispatch()
   * refuses to run nested all the same). */
  g_source_set_can_recurse (server->source, TRUE);
  g_source_set_callback (server->source, (GSourceFunc) (void (*) (void)) server_dispatch, server, NULL);
  g_source_attach (server->source, context);

  guint tick_ms = (guint) CLAMP (MIN (config->http_head_timeout_ms, config->http_idle_timeout_ms) / 4, 50, 1000);
  server->timer = g_timeout_source_new (tick_ms);
  g_source_set_callback (server->timer, server_tick, server, NULL);
  g_source_attach (server->timer, context);
  return server;
}

void
sd_http1_server_stop (SdHttp1Server *server)
{
  if (server == NULL || server->stopped)
    return;
  server->stopped = TRUE;
  epoll_ctl (server->epfd, EPOLL_CTL_DEL, server->listen_fd, NULL);
  for (GList *l = server->conns.head; l != NULL;)
    {
      SdHttp1Conn *c = l->data;
      l = l->next;
      if (!c->dead)
        conn_close (c);
    }
}

void
sd_http1_server_free (SdHttp1Server *server)
{
  if (server == NULL)
    return;
  sd_http1_server_stop (server);
  /* Connections whose requests never came back (the loop has stopped). */
  while (server->conns.head != NULL)
    {
      SdHttp1Conn *c = server->conns.head->data;
      if (c->req != NULL)
        c->req->http1 = NULL;   /* the request is gone with the worker */
      c->req = NULL;
      conn_free (c);
    }
  g_source_destroy (server->source);
  g_source_unref (server->source);
  g_source_destroy (server->timer);
  g_source_unref (server->timer);
  close (server->epfd);
  g_free (server);
}

/* ---- for sd-request.c ---- */

SdHttp1Reply *
sd_http1_conn_reply (SdHttp1Conn *c)
{
  return &c->reply;
}

const char *
sd_http1_conn_header (SdHttp1Conn *c,
                      const char  *name)
{
  for (guint i = 0; i < c->head.n_headers; i++)
    if (g_ascii_strcasecmp (c->head.headers[i].name, name) == 0)
      return c->head.headers[i].value;
  return NULL;
}

const char *
sd_http1_conn_body (SdHttp1Conn *c,
                    gsize       *len)
{
  *len = c->need - c->head.head_len;
  return c->in + c->head.head_len;
}
