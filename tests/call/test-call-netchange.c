/* test-call-netchange.c — ICE restart on a real change of addresses.
 *
 * The test enters a network namespace of its own (unshare(CLONE_NEWNET),
 * before any thread exists), where only loopback exists, and makes a
 * network there with ip(8): a veth pair with 10.77.0.1/24 and a default
 * route.  Two call engines joined by the in-memory relay connect over
 * 10.77.0.1 (not loopback: the selected ICE pair is checked).  Then the
 * address moves to 10.77.0.2, as when a laptop changes networks: the
 * engines must notice (GNetworkMonitor, netlink), restart ICE once, and
 * the video must go on over the new address.  Nothing here touches the
 * host's network.
 *
 * Without the right to make a namespace (EPERM, e.g. an unprivileged
 * container) the test is skipped, unless TANDEM_TEST_REQUIRE_PG=1 (CI:
 * everything must run), where it fails. */
#include "th-call-relay.h"
#include "th-call-test.h"

#include <gst/webrtc/webrtc.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TIMEOUT_S 15
/* after the move: the restart and ≥ AFTER_FRAMES new frames within this */
#define MOVE_TIMEOUT_S 10
#define AFTER_FRAMES 30
/* how long the link has no address */
#define DOWN_MS 3000

#define OLD_ADDRESS "10.77.0.1"
#define NEW_ADDRESS "10.77.0.2"

/* ---- the private network ---- */

static const char *
ip_program (void)
{
  static char *path;
  static const char *const fallbacks[] = { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" };

  if (path == NULL)
    path = g_find_program_in_path ("ip");
  for (guint i = 0; path == NULL && i < G_N_ELEMENTS (fallbacks); i++)
    if (g_file_test (fallbacks[i], G_FILE_TEST_IS_EXECUTABLE))
      path = g_strdup (fallbacks[i]);
  return path;
}

/* Runs "ip ARGS…" (split at spaces) in our namespace. */
static gboolean
ip (const char  *args,
    GError     **error)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) words = g_strsplit (args, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = 0;

  if (ip_program () == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "ip(8) is not installed (Debian: iproute2)");
      return FALSE;
    }
  g_ptr_array_add (argv, (gpointer) ip_program ());
  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add (argv, words[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "ip %s: %s", args, g_strstrip (err));
      return FALSE;
    }
  return TRUE;
}

static void
ip_or_die (const char *args)
{
  g_autoptr(GError) error = NULL;
  if (!ip (args, &error))
    g_error ("%s", error->message);
}

/* IPv4 only: no IPv6 link-local addresses and routes come and go in the
 * namespace while the test runs (sysctls under /proc/sys/net are the
 * namespace's own). */
static void
disable_ipv6 (void)
{
  static const char *const files[] = { "/proc/sys/net/ipv6/conf/all/disable_ipv6",
                                       "/proc/sys/net/ipv6/conf/default/disable_ipv6" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      int fd = open (files[i], O_WRONLY | O_CLOEXEC);
      if (fd < 0)
        continue;   /* no IPv6 in this kernel: fine */
      if (write (fd, "1\n", 2) != 2)
        g_printerr ("# could not write %s: %s\n", files[i], g_strerror (errno));
      close (fd);
    }
}

/* Only loopback here: bring it up, and make a network with one address
 * and a default route (GNetworkMonitor calls the network "available" only
 * with a default route, as on any real network). */
static void
make_network (void)
{
  disable_ipv6 ();
  ip_or_die ("link set lo up");
  ip_or_die ("link add ta type veth peer name tb");
  ip_or_die ("addr add " OLD_ADDRESS "/24 dev ta");
  ip_or_die ("link set ta up");
  ip_or_die ("link set tb up");
  ip_or_die ("route add default via 10.77.0.254 dev ta");
}

/* ---- the calls ---- */

static TcCall *
make_call (const char *video,
           const char *audio,
           gboolean    polite)
{
  /* not loopback only: the 10.77 address, like a real network */
  return th_call_test_make (video, audio, polite, NULL, FALSE);
}

static guint
restarts (TcCall *call)
{
  TcCallStats stats;
  tc_call_get_stats (call, &stats);
  return stats.ice_restarts;
}

static GstElement *
find_webrtcbin (TcCall *call)
{
  GstElement *found = NULL;
  g_autoptr(GstIterator) it = gst_bin_iterate_elements (GST_BIN (tc_call_get_pipeline (call)));
  GValue v = G_VALUE_INIT;
  while (found == NULL && gst_iterator_next (it, &v) == GST_ITERATOR_OK)
    {
      GstElement *e = g_value_get_object (&v);
      GstElementFactory *f = gst_element_get_factory (e);
      if (f != NULL && g_str_equal (GST_OBJECT_NAME (f), "webrtcbin"))
        found = gst_object_ref (e);
      g_value_reset (&v);
    }
  g_value_unset (&v);
  return found;
}

/* The structure whose "id" is @id in a get-stats reply, or NULL. */
static const GstStructure *
stat_by_id (const GstStructure *reply,
            const char         *id)
{
  for (int i = 0; id != NULL && i < gst_structure_n_fields (reply); i++)
    {
      const GValue *v = gst_structure_get_value (reply, gst_structure_nth_field_name (reply, i));
      if (!GST_VALUE_HOLDS_STRUCTURE (v))
        continue;
      const GstStructure *s = gst_value_get_structure (v);
      if (g_strcmp0 (gst_structure_get_string (s, "id"), id) == 0)
        return s;
    }
  return NULL;
}

/* The local address of the selected ICE pair of @call's connection, from
 * webrtcbin's statistics (transport → selected candidate pair → its local
 * candidate), or NULL when there is none yet.  Followed by id: webrtcbin
 * 1.22 swaps the local-candidate and remote-candidate type names. */
static char *
selected_local_address (TcCall *call)
{
  g_autoptr(GstElement) webrtc = find_webrtcbin (call);
  char *address = NULL;

  if (webrtc == NULL)
    return NULL;
  GstPromise *promise = gst_promise_new ();
  g_signal_emit_by_name (webrtc, "get-stats", NULL, promise);
  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED)
    {
      const GstStructure *reply = gst_promise_get_reply (promise);
      for (int i = 0; address == NULL && i < gst_structure_n_fields (reply); i++)
        {
          const GValue *v = gst_structure_get_value (reply, gst_structure_nth_field_name (reply, i));
          GstWebRTCStatsType type;
          if (!GST_VALUE_HOLDS_STRUCTURE (v) ||
              !gst_structure_get_enum (gst_value_get_structure (v), "type", GST_TYPE_WEBRTC_STATS_TYPE, (int *) &type) ||
              type != GST_WEBRTC_STATS_TRANSPORT)
            continue;
          const char *pair_id = gst_structure_get_string (gst_value_get_structure (v), "selected-candidate-pair-id");
          const GstStructure *pair = stat_by_id (reply, pair_id);
          const GstStructure *local = pair != NULL ? stat_by_id (reply, gst_structure_get_string (pair, "local-candidate-id"))
                                                   : NULL;
          if (local != NULL)
            address = g_strdup (gst_structure_get_string (local, "address"));
        }
    }
  gst_promise_unref (promise);
  return address;
}

/* ---- the test ---- */

/* Both sides' selected pairs use @address (waits a little: the pair is
 * known to the statistics a moment after "connected"). */
static void
assert_selected (TcCall     *a,
                 TcCall     *b,
                 const char *address)
{
  g_autofree char *la = NULL, *lb = NULL;
  gint64 end = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;
  do
    {
      g_free (la);
      g_free (lb);
      la = selected_local_address (a);
      lb = selected_local_address (b);
      if (g_strcmp0 (la, address) == 0 && g_strcmp0 (lb, address) == 0)
        break;
      th_call_test_spin (50);
    }
  while (g_get_monotonic_time () < end);
  g_assert_cmpstr (la, ==, address);
  g_assert_cmpstr (lb, ==, address);
}

/* A call over 10.77.0.1 moves to 10.77.0.2 the way a laptop changes
 * networks: the address goes (and the default route with it), the link is
 * down for a while, then the new address comes, then its default route —
 * each a separate burst of netlink events. */
static void
test_move (void)
{
  ThCallRelay *relay = th_call_relay_new ();
  TcCall *a = make_call ("test:red", "test", FALSE);
  TcCall *b = make_call ("test:blue", "test:880", TRUE);

  th_call_relay_join (relay, a, "user-a", "Alice");
  TH_WAIT_FOR (tc_call_get_state (a) == TC_CALL_STATE_WAITING, TIMEOUT_S);
  th_call_relay_join (relay, b, "user-b", "Bob");
  TH_WAIT_FOR (tc_call_get_state (a) == TC_CALL_STATE_CONNECTED && tc_call_get_state (b) == TC_CALL_STATE_CONNECTED &&
            th_call_test_frames (a) >= 10 && th_call_test_frames (b) >= 10, TIMEOUT_S);
  assert_selected (a, b, OLD_ADDRESS);

  /* a quiet network, and a change that moves no address (a route of a
   * VPN, say): no restart */
  th_call_test_spin (1000);
  ip_or_die ("route add 10.99.0.0/16 via 10.77.0.254 dev ta");
  th_call_test_spin (2000);
  g_assert_cmpuint (restarts (a), ==, 0);
  g_assert_cmpuint (restarts (b), ==, 0);
  g_assert_cmpint (tc_call_get_state (a), ==, TC_CALL_STATE_CONNECTED);

  /* the move */
  guint64 fa = th_call_test_frames (a), fb = th_call_test_frames (b);
  gint64 moved = g_get_monotonic_time ();
  ip_or_die ("addr del " OLD_ADDRESS "/24 dev ta");
  th_call_test_spin (DOWN_MS);
  ip_or_die ("addr add " NEW_ADDRESS "/24 dev ta");
  th_call_test_spin (300);
  ip_or_die ("route add default via 10.77.0.254 dev ta");
  TH_WAIT_FOR (restarts (a) >= 1 && restarts (b) >= 1 && tc_call_get_state (a) == TC_CALL_STATE_CONNECTED &&
            tc_call_get_state (b) == TC_CALL_STATE_CONNECTED, MOVE_TIMEOUT_S);
  g_test_message ("connected again %" G_GINT64_FORMAT " ms after the address went",
                  (g_get_monotonic_time () - moved) / 1000);
  guint64 ra = th_call_test_frames (a), rb = th_call_test_frames (b);
  TH_WAIT_FOR (th_call_test_frames (a) >= ra + AFTER_FRAMES && th_call_test_frames (b) >= rb + AFTER_FRAMES,
            MOVE_TIMEOUT_S - (g_get_monotonic_time () - moved) / G_TIME_SPAN_SECOND);
  g_test_message ("frames %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
                  " %" G_GINT64_FORMAT " ms after the address went; restarts %u and %u", fa, th_call_test_frames (a), fb, th_call_test_frames (b),
                  (g_get_monotonic_time () - moved) / 1000, restarts (a), restarts (b));
  assert_selected (a, b, NEW_ADDRESS);
  /* one restart for one move, not a storm */
  th_call_test_spin (2000);
  g_assert_cmpuint (restarts (a), ==, 1);
  g_assert_cmpuint (restarts (b), ==, 1);
  g_assert_cmpint (tc_call_get_state (a), ==, TC_CALL_STATE_CONNECTED);
  g_assert_cmpint (tc_call_get_state (b), ==, TC_CALL_STATE_CONNECTED);
  /* what tandem-cli call --json reports */
  TcCallStats stats;
  tc_call_get_stats (a, &stats);
  g_autoptr(JsonObject) json = tc_call_stats_to_json (&stats);
  g_assert_cmpint (json_object_get_int_member_with_default (json, "ice_restarts", -1), ==, 1);

  tc_call_hangup (a);
  th_call_relay_leave (relay, a, "hangup");
  tc_call_hangup (b);
  th_call_relay_leave (relay, b, "hangup");
  g_object_unref (a);
  g_object_unref (b);
  th_call_relay_free (relay);
}

int
main (int argc, char **argv)
{
  /* Before anything makes a thread: a namespace applies to the thread
   * that makes it, and GLib's and GStreamer's threads must share it. */
  if (unshare (CLONE_NEWNET) != 0)
    {
      int e = errno;
      if (e != EPERM)
        {
          printf ("Bail out! unshare(CLONE_NEWNET): %s\n", g_strerror (e));
          return 1;
        }
      if (g_strcmp0 (g_getenv ("TANDEM_TEST_REQUIRE_PG"), "1") == 0)
        {
          printf ("Bail out! cannot make a network namespace: %s (TANDEM_TEST_REQUIRE_PG=1)\n", g_strerror (e));
          return 1;
        }
      printf ("1..0 # SKIP cannot make a network namespace: %s\n", g_strerror (e));
      return 0;
    }
  /* the kernel's routes, not NetworkManager's view from outside */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "netlink", TRUE);
  make_network ();

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call/netchange", test_move);
  return g_test_run ();
}
