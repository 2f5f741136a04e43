/* th-proxy.h — a TCP relay between a client under test and a real server,
 * able to break the link on purpose: it drops the connection that carries
 * the Nth byte towards the server, or refuses new connections for a while.
 * Nothing is answered in the server's place: every byte that passes comes
 * from the real server. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ThProxy ThProxy;

/* A relay listening on 127.0.0.1 (a free port), forwarding nowhere yet. */
ThProxy    *th_proxy_new            (void);
void        th_proxy_free           (ThProxy    *proxy);

/* "http://127.0.0.1:PORT" of the relay. */
const char *th_proxy_get_url        (ThProxy    *proxy);

/* Where connections go: 127.0.0.1:@port. */
void        th_proxy_set_upstream   (ThProxy    *proxy,
                                     guint16     port);

/* Closes the connection (both ways) that is carrying byte number @bytes
 * counted towards the server from now on; once.  0 disables. */
void        th_proxy_cut_after      (ThProxy    *proxy,
                                     guint64     bytes);

/* Closes every connection being relayed now (both ways), as a broken
 * network would; new ones pass as before.  Returns how many it closed. */
guint       th_proxy_cut_all        (ThProxy    *proxy);

/* While TRUE, new connections are closed at once without reaching the
 * server. */
void        th_proxy_set_refusing   (ThProxy    *proxy,
                                     gboolean    refusing);

/* Connections cut by th_proxy_cut_after() so far. */
guint       th_proxy_get_cuts       (ThProxy    *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThProxy, th_proxy_free)

G_END_DECLS
