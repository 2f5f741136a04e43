/* test-cli-call-turn.c — `tandem-cli call --relay` through a real TURN
 * server: the test runs coturn's `turnserver` on a free loopback port in
 * the REST-API shared-secret mode (use-auth-secret), and an in-process
 * signald that hands out time-limited credentials for it (turn_urls,
 * turn_secret).
 *
 *   relay       the expert calls with --relay, the student without: both
 *               connect and receive each other's picture and sound; the
 *               expert's selected local candidate is a relay one, and
 *               coturn's log shows the allocation under the expert's
 *               EXPIRY:USER_ID name, ended with the call, with the bytes
 *               it relayed.
 *   wrong-secret  a signald whose secret is not coturn's: the --relay
 *               call ends at once (long before --duration) with exit
 *               status 1 and an error that names the relay.
 *   no-turn     a signald without TURN: --relay fails before anything
 *               starts, saying that there is no relay server.
 *
 * Without `turnserver` (package coturn) the test skips, unless
 * TANDEM_TEST_REQUIRE_PG=1 ("everything must run"), where that fails. */
#include "th-call-check.h"
#include "th-cli.h"
#include "th-booking.h"
#include "th-server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

typedef struct {
  char *binary;       /* turnserver */
  char *dir;          /* its temporary directory */
  char *log;          /* its log file */
  char *secret;       /* static-auth-secret */
  char *url;          /* turn:127.0.0.1:PORT?transport=udp */
  guint16 port;
  GSubprocess *proc;
} Turn;

typedef struct {
  const char *url;    /* NULL: no TURN */
  const char *secret;
} TurnConfig;

static ThServer *ts;
static Turn turn;

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
tweak (SdConfig *config,
       gpointer  data)
{
  const TurnConfig *tc = data;
  if (tc->url == NULL)
    return;
  g_strfreev (config->turn_urls);
  config->turn_urls = g_new0 (char *, 2);
  config->turn_urls[0] = g_strdup (tc->url);
  g_free (config->turn_secret);
  config->turn_secret = g_strdup (tc->secret);
}

/* A UDP port on 127.0.0.1 that was free a moment ago. */
static guint16
free_udp_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
read_log (void)
{
  char *text = NULL;
  if (!g_file_get_contents (turn.log, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* In the child: turnserver ends with the test, even when an assertion
 * aborts it before turn_stop(). */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts turnserver and waits until it listens; FALSE when it does not. */
static gboolean
turn_start (void)
{
  g_autoptr(GError) error = NULL;

  turn.dir = g_dir_make_tmp ("tandem-turn-XXXXXX", &error);
  g_assert_no_error (error);
  turn.log = g_build_filename (turn.dir, "turn.log", NULL);
  g_autofree char *pidfile = g_build_filename (turn.dir, "turn.pid", NULL);
  g_autofree char *userdb = g_build_filename (turn.dir, "turndb", NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  turn.secret = g_compute_checksum_for_string (G_CHECKSUM_SHA256, uuid, -1);
  turn.port = free_udp_port ();
  turn.url = g_strdup_printf ("turn:127.0.0.1:%u?transport=udp", turn.port);

  g_autofree char *port = g_strdup_printf ("--listening-port=%u", turn.port);
  g_autofree char *secret = g_strdup_printf ("--static-auth-secret=%s", turn.secret);
  g_autofree char *log = g_strdup_printf ("--log-file=%s", turn.log);
  g_autofree char *pid = g_strdup_printf ("--pidfile=%s", pidfile);
  g_autofree char *db = g_strdup_printf ("--userdb=%s", userdb);
  const char *argv[] = {
    turn.binary, "-n",                 /* no configuration file */
    "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", port,
    "--use-auth-secret", secret, "--realm=tandem.test",
    "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-tcp", "--no-cli",
    "--no-software-attribute", "--verbose", log, "--simple-log", "--no-stdout-log", pid, db,
    NULL
  };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, turn.dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  turn.proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  g_autofree char *ready = g_strdup_printf ("UDP listener opened on: 127.0.0.1:%u", turn.port);
  for (int i = 0; i < 100; i++)
    {
      g_autofree char *text = read_log ();
      if (strstr (text, ready) != NULL)
        return TRUE;
      if (g_subprocess_get_identifier (turn.proc) == NULL)   /* it exited */
        break;
      g_usleep (50 * 1000);
    }
  g_autofree char *text = read_log ();
  g_printerr ("turnserver did not start:\n%s\n", text);
  return FALSE;
}

static void
turn_stop (void)
{
  if (turn.proc != NULL)
    {
      g_subprocess_send_signal (turn.proc, SIGTERM);
      g_subprocess_wait (turn.proc, NULL, NULL);
      g_clear_object (&turn.proc);
    }
  if (turn.dir != NULL && g_getenv ("TANDEM_TEST_KEEP") == NULL)
    th_cli_rm_rf (turn.dir);
  g_free (turn.dir);
  g_free (turn.log);
  g_free (turn.secret);
  g_free (turn.url);
  g_free (turn.binary);
}

/* Waits up to @timeout_us for coturn's log to show an allocation for
 * the name ending in @user_suffix and the "peer usage" line of its end;
 * returns the most bytes one of its allocations received from the peer,
 * or fails the test. */
static gint64
find_relayed (const char *user_suffix,
              gint64      timeout_us)
{
  gint64 until = g_get_monotonic_time () + timeout_us;
  gboolean allocated = FALSE;
  gint64 relayed = -1;

  for (;;)
    {
      g_autofree char *log = read_log ();
      g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (strstr (lines[i], user_suffix) == NULL)
            continue;
          if (strstr (lines[i], "ALLOCATE processed, success") != NULL)
            allocated = TRUE;
          const char *rb = strstr (lines[i], "peer usage:");
          if (rb != NULL && (rb = strstr (rb, ", rb=")) != NULL)
            relayed = MAX (relayed, g_ascii_strtoll (rb + 5, NULL, 10));
        }
      if (allocated && relayed >= 0)
        return relayed;
      if (g_get_monotonic_time () > until)
        g_error ("coturn's log shows %s for %s:\n%s",
                 allocated ? "no usage" : "no allocation", user_suffix, log);
      g_usleep (100 * 1000);
    }
}

static void
test_relay (void)
{
  g_autoptr(ThClub) c = th_club_new (ts, "turn");
  gint64 now = now_s ();
  g_autofree char *booking = th_club_book (c, now - 60, now + 1800);
  g_autoptr(ThCliUser) expert = th_call_user (ts->url, c->expert);
  g_autoptr(ThCliUser) student = th_call_user (ts->url, c->student);

  /* The expert hides behind the relay; the student calls as usual and
   * hangs up after a few seconds. */
  g_autoptr(GSubprocess) expert_run = th_call_start (expert, booking, "test:red", "test", "30", TRUE);
  g_usleep (500 * 1000);
  g_autoptr(GSubprocess) student_run = th_call_start (student, booking, "test:blue", "test:880", "5", FALSE);
  g_autoptr(ThCliResult) s = th_cli_finish (student_run);
  th_cli_assert_status (s, 0);
  g_autoptr(ThCliResult) e = th_cli_finish (expert_run);
  th_cli_assert_status (e, 0);

  g_test_message ("expert: first remote frame after %.0f ms, path %s <-> %s; student: %.0f ms, path %s <-> %s",
                  th_call_json_double (e, "first_remote_frame_ms"),
                  th_cli_json_str (e, "local_candidate_type"), th_cli_json_str (e, "remote_candidate_type"),
                  th_call_json_double (s, "first_remote_frame_ms"),
                  th_cli_json_str (s, "local_candidate_type"), th_cli_json_str (s, "remote_candidate_type"));
  th_call_assert_received (s, 'r', 440);
  th_call_assert_received (e, 'b', 880);
  g_assert_cmpstr (th_cli_json_str (e, "ended_by"), ==, "peer-hangup");

  /* The expert's media went through the relay; the student's side is
   * its own host address, talking to the relay's. */
  g_assert_cmpstr (th_cli_json_str (e, "local_candidate_type"), ==, "relay");
  g_assert_cmpstr (th_cli_json_str (s, "local_candidate_type"), ==, "host");
  g_assert_nonnull (th_cli_json_str (s, "remote_candidate_type"));

  /* coturn allocated a relay for the expert's time-limited name, and
   * when the call ended (the engine ends its allocations then, rather
   * than leaving them to time out) it counted what it relayed. */
  g_autofree char *user = g_strdup_printf (":%s>", c->expert_id);
  gint64 relayed = find_relayed (user, 3 * G_USEC_PER_SEC);
  g_test_message ("coturn relayed %" G_GINT64_FORMAT " bytes from the student to the expert", relayed);
  g_assert_cmpint (relayed, >, 10000);
}

/* A signald that signs with another secret than coturn's. */
static void
test_wrong_secret (void)
{
  TurnConfig wrong = { turn.url, "not-the-secret" };
  ThServer *twin = th_server_start_twin (ts, tweak, &wrong);
  g_autoptr(ThClub) c = th_club_new (ts, "turn-wrong");
  gint64 now = now_s ();
  g_autofree char *booking = th_club_book (c, now - 60, now + 1800);
  g_autoptr(ThCliUser) expert = th_call_user (twin->url, c->expert);
  g_autoptr(ThCliUser) student = th_call_user (twin->url, c->student);

  gint64 start = g_get_monotonic_time ();
  g_autoptr(GSubprocess) expert_run = th_call_start (expert, booking, "test:red", "test", "20", TRUE);
  g_autoptr(GSubprocess) student_run = th_call_start (student, booking, "test:blue", "test", "20", FALSE);
  g_autoptr(ThCliResult) e = th_cli_finish (expert_run);
  double seconds = (g_get_monotonic_time () - start) / 1e6;
  g_subprocess_send_signal (student_run, SIGTERM);
  g_autoptr(ThCliResult) s = th_cli_finish (student_run);

  g_test_message ("the refused relay call ended after %.1f s: %s", seconds, e->err);
  th_cli_assert_status (e, 1);
  g_assert_cmpfloat (seconds, <, 15);
  const char *message = th_cli_json_str (e, "error.message");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "TURN"));
  g_assert_nonnull (strstr (e->err, "TURN"));
  /* the student never connected either */
  g_assert_cmpint (s->status, !=, 0);
  th_server_stop (twin);
}

/* A signald without TURN: --relay cannot work and says so at once. */
static void
test_no_turn (void)
{
  TurnConfig none = { NULL, NULL };
  ThServer *twin = th_server_start_twin (ts, tweak, &none);
  g_autoptr(ThClub) c = th_club_new (ts, "turn-none");
  gint64 now = now_s ();
  g_autofree char *booking = th_club_book (c, now - 60, now + 1800);
  g_autoptr(ThCliUser) expert = th_call_user (twin->url, c->expert);

  const char *args[] = { "--json", "call", booking, "--video", "test", "--audio", "test", "--no-sound",
                         "--duration", "20", "--relay", NULL };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(ThCliResult) e = th_cli_runv (expert, NULL, args);
  double seconds = (g_get_monotonic_time () - start) / 1e6;
  th_cli_assert_status (e, 1);
  g_assert_cmpfloat (seconds, <, 10);
  const char *message = th_cli_json_str (e, "error.message");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "relay (TURN) server"));
  th_server_stop (twin);
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  turn.binary = g_find_program_in_path ("turnserver");
  if (turn.binary == NULL)
    {
      if (g_strcmp0 (g_getenv ("TANDEM_TEST_REQUIRE_PG"), "1") == 0)
        {
          g_printerr ("TANDEM_TEST_REQUIRE_PG=1 but turnserver (package coturn) is not installed\n");
          return 1;
        }
      g_print ("1..0 # SKIP turnserver (package coturn) is not installed\n");
      return 0;
    }
  if (!turn_start ())
    {
      turn_stop ();
      return 1;
    }
  TurnConfig config = { turn.url, turn.secret };
  ts = th_server_start_full (tweak, &config);
  g_test_add_func ("/CLI/Call/TURN/relay", test_relay);
  g_test_add_func ("/CLI/Call/TURN/wrong-secret", test_wrong_secret);
  g_test_add_func ("/CLI/Call/TURN/no-turn", test_no_turn);
  int status = g_test_run ();
  th_server_stop (ts);
  turn_stop ();
  return status;
}
