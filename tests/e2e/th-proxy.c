/* th-proxy.c — the breakable TCP relay of th-proxy.h: an accepting thread,
 * and one thread per direction of each connection, blocking reads and
 * writes (so it works while the test's own thread blocks in a call). */
#include "th-proxy.h"

#include <string.h>

typedef struct {
  GSocketConnection *client;
  GSocketConnection *upstream;
} Link;

struct _ThProxy
{
  GSocketListener *listener;
  GCancellable *stop;
  GThread *acceptor;
  char *url;
  GMutex lock;
  GCond idle;
  guint16 upstream_port;
  gboolean refusing;
  guint64 sent;        /* bytes towards the server since the cut was armed */
  guint64 cut_at;      /* 0: no cut armed */
  guint cuts;
  guint active;        /* connections being relayed */
  GPtrArray *links;    /* of Link*, the active ones */
};

static void
shut (GSocketConnection *connection)
{
  g_socket_shutdown (g_socket_connection_get_socket (connection), TRUE, TRUE, NULL);
}

/* Copies @from to @to until either end closes; counts and may cut when
 * @towards_server. */
static void
pump (ThProxy           *proxy,
      Link              *link,
      GSocketConnection *from,
      GSocketConnection *to,
      gboolean           towards_server)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (from));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (to));
  guint8 buffer[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        break;
      gsize pass = (gsize) n;
      gboolean cut = FALSE;
      if (towards_server)
        {
          g_mutex_lock (&proxy->lock);
          if (proxy->cut_at > 0 && proxy->sent + pass >= proxy->cut_at)
            {
              pass = (gsize) (proxy->cut_at - proxy->sent);
              proxy->cut_at = 0;
              proxy->cuts++;
              cut = TRUE;
            }
          proxy->sent += pass;
          g_mutex_unlock (&proxy->lock);
        }
      if (pass > 0 && !g_output_stream_write_all (out, buffer, pass, NULL, NULL, NULL))
        break;
      if (cut)
        break;
    }
  /* Either way, the link is over: wake the other direction. */
  shut (link->client);
  shut (link->upstream);
}

static gpointer
downstream_thread (gpointer data)
{
  gpointer *args = data;
  pump (args[0], args[1], ((Link *) args[1])->upstream, ((Link *) args[1])->client, FALSE);
  return NULL;
}

typedef struct {
  ThProxy *proxy;
  GSocketConnection *connection;
} Incoming;

/* Relays one accepted connection until either side closes or it is cut. */
static gpointer
connection_thread (gpointer data)
{
  Incoming *incoming = data;
  ThProxy *proxy = incoming->proxy;
  g_autoptr(GSocketConnection) connection = incoming->connection;
  g_free (incoming);

  g_mutex_lock (&proxy->lock);
  gboolean refusing = proxy->refusing;
  guint16 port = proxy->upstream_port;
  g_mutex_unlock (&proxy->lock);

  g_autoptr(GSocketConnection) upstream = NULL;
  if (!refusing && port != 0)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      upstream = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
    }
  if (upstream == NULL)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  else
    {
      Link link = { connection, upstream };
      g_mutex_lock (&proxy->lock);
      g_ptr_array_add (proxy->links, &link);
      g_mutex_unlock (&proxy->lock);

      gpointer args[2] = { proxy, &link };
      GThread *down = g_thread_new ("th-proxy-down", downstream_thread, args);
      pump (proxy, &link, connection, upstream, TRUE);
      g_thread_join (down);

      g_mutex_lock (&proxy->lock);
      g_ptr_array_remove_fast (proxy->links, &link);
      g_mutex_unlock (&proxy->lock);
      g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }

  g_mutex_lock (&proxy->lock);
  proxy->active--;
  g_cond_broadcast (&proxy->idle);
  g_mutex_unlock (&proxy->lock);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  ThProxy *proxy = data;

  for (;;)
    {
      GSocketConnection *connection = g_socket_listener_accept (proxy->listener, NULL, proxy->stop, NULL);
      if (connection == NULL)
        break;
      Incoming *incoming = g_new0 (Incoming, 1);
      incoming->proxy = proxy;
      incoming->connection = connection;
      g_mutex_lock (&proxy->lock);
      proxy->active++;
      g_mutex_unlock (&proxy->lock);
      g_thread_unref (g_thread_new ("th-proxy-up", connection_thread, incoming));
    }
  return NULL;
}

ThProxy *
th_proxy_new (void)
{
  g_autoptr(GError) error = NULL;
  ThProxy *proxy = g_new0 (ThProxy, 1);

  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->idle);
  proxy->links = g_ptr_array_new ();
  proxy->stop = g_cancellable_new ();
  proxy->listener = g_socket_listener_new ();

  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_socket_listener_add_address (proxy->listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  proxy->acceptor = g_thread_new ("th-proxy-accept", accept_thread, proxy);
  return proxy;
}

void
th_proxy_free (ThProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_cancellable_cancel (proxy->stop);
  g_thread_join (proxy->acceptor);
  g_socket_listener_close (proxy->listener);

  g_mutex_lock (&proxy->lock);
  proxy->refusing = TRUE;
  for (guint i = 0; i < proxy->links->len; i++)
    {
      Link *link = g_ptr_array_index (proxy->links, i);
      shut (link->client);
      shut (link->upstream);
    }
  while (proxy->active > 0)
    g_cond_wait (&proxy->idle, &proxy->lock);
  g_mutex_unlock (&proxy->lock);

  g_object_unref (proxy->listener);
  g_object_unref (proxy->stop);
  g_ptr_array_unref (proxy->links);
  g_mutex_clear (&proxy->lock);
  g_cond_clear (&proxy->idle);
  g_free (proxy->url);
  g_free (proxy);
}

const char *
th_proxy_get_url (ThProxy *proxy)
{
  return proxy->url;
}

void
th_proxy_set_upstream (ThProxy *proxy,
                       guint16  port)
{
  g_mutex_lock (&proxy->lock);
  proxy->upstream_port = port;
  g_mutex_unlock (&proxy->lock);
}

void
th_proxy_cut_after (ThProxy *proxy,
                    guint64  bytes)
{
  g_mutex_lock (&proxy->lock);
  proxy->sent = 0;
  proxy->cut_at = bytes;
  g_mutex_unlock (&proxy->lock);
}

guint
th_proxy_cut_all (ThProxy *proxy)
{
  g_mutex_lock (&proxy->lock);
  guint n = proxy->links->len;
  for (guint i = 0; i < n; i++)
    {
      Link *link = g_ptr_array_index (proxy->links, i);
      shut (link->client);
      shut (link->upstream);
    }
  proxy->cuts += n;
  g_mutex_unlock (&proxy->lock);
  return n;
}

void
th_proxy_set_refusing (ThProxy  *proxy,
                       gboolean  refusing)
{
  g_mutex_lock (&proxy->lock);
  proxy->refusing = refusing;
  g_mutex_unlock (&proxy->lock);
}

guint
th_proxy_get_cuts (ThProxy *proxy)
{
  g_mutex_lock (&proxy->lock);
  guint cuts = proxy->cuts;
  g_mutex_unlock (&proxy->lock);
  return cuts;
}
