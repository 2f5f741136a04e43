/* tc-call-net.c — network changes during a call.
 *
 * GNetworkMonitor's "network-changed" is only a hint: it fires for any
 * route (a VPN's, a default route coming back), several times for one
 * change, and sometimes for nothing we can see.  Restarting ICE on each
 * one would break a good call over and over.  So the engine waits until
 * the changes settle (SETTLE_MS after the last one, at most MAX_WAIT_MS
 * after the first), then compares the machine's addresses with those of
 * the moment the current peer connection was made (the ones libnice
 * gathered from), and only when they differ does it start afresh
 * (tc_call_addresses_changed).  Without any address it waits for the
 * next change.
 *
 * The polite side waits POLITE_EXTRA_MS longer: when both see the change
 * (one machine, or both moved), the impolite side's restart offer comes
 * first, the polite side follows it on a fresh connection, and then finds
 * its addresses are those of that connection — one restart, no crossed
 * offers.  When only the polite side moved, it restarts by itself. */
#define G_LOG_DOMAIN "tc-call"

#include "tc-call-private.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define SETTLE_MS 1000
#define MAX_WAIT_MS 3000
#define POLITE_EXTRA_MS 1500

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

char *
tc_call_net_addresses (gboolean with_loopback)
{
  struct ifaddrs *list = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);

  if (getifaddrs (&list) != 0)
    return g_strdup ("?");   /* unknown: never equal to a real list */
  for (struct ifaddrs *i = list; i != NULL; i = i->ifa_next)
    {
      g_autoptr(GInetAddress) address = NULL;

      if (i->ifa_addr == NULL || (i->ifa_flags & IFF_UP) == 0)
        continue;
      if ((i->ifa_flags & IFF_LOOPBACK) != 0 && !with_loopback)
        continue;
      if (i->ifa_addr->sa_family == AF_INET)
        address = g_inet_address_new_from_bytes ((const guint8 *) &((struct sockaddr_in *) (void *) i->ifa_addr)->sin_addr,
                                                 G_SOCKET_FAMILY_IPV4);
      else if (i->ifa_addr->sa_family == AF_INET6)
        address = g_inet_address_new_from_bytes ((const guint8 *) &((struct sockaddr_in6 *) (void *) i->ifa_addr)->sin6_addr,
                                                 G_SOCKET_FAMILY_IPV6);
      /* link-local IPv6 addresses are not used for calls */
      if (address == NULL || g_inet_address_get_is_link_local (address))
        continue;
      g_ptr_array_add (addresses, g_inet_address_to_string (address));
    }
  freeifaddrs (list);
  g_ptr_array_sort (addresses, compare_strings);
  g_ptr_array_add (addresses, NULL);
  return g_strjoinv (",", (char **) addresses->pdata);
}

void
tc_call_net_snapshot (TcCall *self)
{
  g_free (self->net_addresses);
  self->net_addresses = tc_call_net_addresses (self->loopback_only);
}

static gboolean
settled_cb (gpointer user_data)
{
  TcCall *self = user_data;

  self->net_source = 0;
  self->net_first_us = 0;
  g_autofree char *now = tc_call_net_addresses (self->loopback_only);
  if (g_strcmp0 (now, self->net_addresses) == 0)
    {
      GST_DEBUG ("the network changed, our addresses did not (%s)", now);
      return G_SOURCE_REMOVE;
    }
  if (*now == '\0')
    {
      GST_INFO ("the network changed: no address now (was %s); waiting for one", self->net_addresses);
      return G_SOURCE_REMOVE;
    }
  GST_INFO ("our addresses changed: %s → %s", self->net_addresses, now);
  tc_call_addresses_changed (self);
  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  TcCall *self = user_data;
  gint64 now = g_get_monotonic_time ();

  GST_DEBUG ("network changed (%s)", available ? "available" : "unavailable");
  if (self->net_first_us == 0)
    self->net_first_us = now;
  gint64 due = MIN (now + SETTLE_MS * G_TIME_SPAN_MILLISECOND, self->net_first_us + MAX_WAIT_MS * G_TIME_SPAN_MILLISECOND);
  if (self->polite)
    due += POLITE_EXTRA_MS * G_TIME_SPAN_MILLISECOND;
  g_clear_handle_id (&self->net_source, g_source_remove);
  self->net_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MAX (0, (due - now) / 1000), settled_cb, self, NULL);
}

void
tc_call_net_watch (TcCall *self)
{
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
}

void
tc_call_net_unwatch (TcCall *self)
{
  g_clear_handle_id (&self->net_source, g_source_remove);
  self->net_first_us = 0;
  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->monitor_handler, self->monitor);
      g_clear_object (&self->monitor);
    }
}
