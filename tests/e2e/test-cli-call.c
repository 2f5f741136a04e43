/* test-cli-call.c — `tandem-cli call` end to end: an in-process signald
 * and two CLI processes on loopback.  The booking's expert and student
 * connect; each receives the other's video and sound (frames and buffers
 * counted, content checked: the test pattern's colour and the test
 * tone's pitch); the student drops (killed) and joins again with a new
 * process; the student hangs up and the expert's call ends with it.  A
 * member who is not in the booking and a caller outside the connect
 * window are refused.  When only the student's link to signald breaks
 * (a relay in between closes it), the call goes on without a pause and
 * without renegotiating, and the hangup still travels afterwards. */
#include "th-call-check.h"
#include "th-cli.h"
#include "th-booking.h"
#include "th-proxy.h"
#include "th-server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ThServer *ts;

#define WINDOW_S 600

static void
tweak (SdConfig *config,
       gpointer  data)
{
  config->connect_window_s = WINDOW_S;
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* A club with a session going on now. */
static ThClub *
club_booked_now (const char  *name,
                 char       **booking)
{
  ThClub *c = th_club_new (ts, name);
  gint64 now = now_s ();
  *booking = th_club_book (c, now - 60, now + 1800);
  return c;
}

static void
test_call (void)
{
  g_autofree char *booking = NULL;
  g_autoptr(ThClub) c = club_booked_now ("call", &booking);
  g_autoptr(ThCliUser) expert = th_call_user (ts->url, c->expert);
  g_autoptr(ThCliUser) student = th_call_user (ts->url, c->student);

  /* The expert waits in the call; the student comes, then drops out. */
  g_autoptr(GSubprocess) expert_run = th_call_start (expert, booking, "test:red", "test", "60", FALSE);
  g_usleep (500 * 1000);
  g_autoptr(GSubprocess) dropped = th_call_start (student, booking, "test:blue", "test:880", "60", FALSE);
  g_usleep (4 * G_USEC_PER_SEC);
  g_subprocess_send_signal (dropped, SIGKILL);
  g_autoptr(ThCliResult) dropped_result = th_cli_finish (dropped);
  g_assert_cmpint (dropped_result->status, ==, -1);

  /* It joins again (a new process, recording what it receives) and hangs
   * up after a few seconds; the expert's call ends with that hangup. */
  g_autofree char *record = g_build_filename (student->home, "received.webm", NULL);
  const char *args[] = { "--json", "call", booking, "--video", "test:blue", "--audio", "test:880", "--no-sound",
                         "--duration", "5", "--record", record, NULL };
  g_autoptr(GSubprocess) again = th_cli_spawnv (student, args);
  g_autoptr(ThCliResult) student_result = th_cli_finish (again);
  th_cli_assert_status (student_result, 0);
  g_autoptr(ThCliResult) expert_result = th_cli_finish (expert_run);
  th_cli_assert_status (expert_result, 0);

  g_test_message ("student: first remote frame after %.0f ms, expert: %.0f ms",
                  th_call_json_double (student_result, "first_remote_frame_ms"),
                  th_call_json_double (expert_result, "first_remote_frame_ms"));
  th_call_assert_received (student_result, 'r', 440);
  th_call_assert_received (expert_result, 'b', 880);
  g_assert_cmpstr (th_cli_json_str (student_result, "ended_by"), ==, "duration");
  g_assert_cmpstr (th_cli_json_str (expert_result, "ended_by"), ==, "peer-hangup");
  g_assert_cmpstr (th_cli_json_str (expert_result, "peer.user_id"), ==, c->student_id);

  /* the recording holds what arrived (a WebM file of some size) */
  g_assert_cmpstr (th_cli_json_str (student_result, "recording"), ==, record);
  g_autofree char *contents = NULL;
  gsize size = 0;
  g_assert_true (g_file_get_contents (record, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 10000);
  g_assert_cmpint (memcmp (contents, "\x1a\x45\xdf\xa3", 4), ==, 0);   /* EBML */
}


/* The student reaches signald through a relay that breaks every link at
 * once in the middle of the call. */
static void
test_signaling_break (void)
{
  g_autofree char *booking = NULL;
  g_autoptr(ThClub) c = club_booked_now ("break", &booking);
  g_autoptr(ThCliUser) expert = th_call_user (ts->url, c->expert);
  g_autoptr(ThProxy) proxy = th_proxy_new ();
  th_proxy_set_upstream (proxy, (guint16) atoi (strrchr (ts->url, ':') + 1));
  g_autoptr(ThCliUser) student = th_call_user (th_proxy_get_url (proxy), c->student);

  g_autoptr(GSubprocess) expert_run = th_call_start (expert, booking, "test:red", "test", "60", FALSE);
  g_usleep (500 * 1000);
  g_autoptr(GSubprocess) student_run = th_call_start (student, booking, "test:blue", "test:880", "12", FALSE);
  g_usleep (5 * G_USEC_PER_SEC);
  g_assert_cmpuint (th_proxy_cut_all (proxy), >=, 1);

  g_autoptr(ThCliResult) s = th_cli_finish (student_run);
  th_cli_assert_status (s, 0);
  g_autoptr(ThCliResult) e = th_cli_finish (expert_run);
  th_cli_assert_status (e, 0);
  g_test_message ("student: %s\nexpert: %s", s->out, e->out);
  th_call_assert_received (s, 'r', 440);
  th_call_assert_received (e, 'b', 880);
  /* the student came back to signald; the media was never rebuilt */
  g_assert_cmpfloat (th_call_json_double (s, "signaling_reconnects"), >=, 1);
  g_assert_cmpfloat (th_call_json_double (s, "peer_connections"), ==, 1);
  g_assert_cmpfloat (th_call_json_double (e, "peer_connections"), ==, 1);
  g_assert_cmpfloat (th_call_json_double (e, "signaling_resumes"), ==, 1);
  /* frames kept coming: ~30 a second over the student's 12 s, minus setup */
  g_assert_cmpfloat (th_call_json_double (e, "video_frames_received"), >, 200);
  /* and the hangup went over the new link */
  g_assert_cmpstr (th_cli_json_str (s, "ended_by"), ==, "duration");
  g_assert_cmpstr (th_cli_json_str (e, "ended_by"), ==, "peer-hangup");
}

/* For people: states and statistics as lines of text. */
static void
test_human (void)
{
  g_autofree char *booking = NULL;
  g_autoptr(ThClub) c = club_booked_now ("human", &booking);
  g_autoptr(ThCliUser) expert = th_call_user (ts->url, c->expert);
  g_autoptr(ThCliUser) student = th_call_user (ts->url, c->student);

  const char *expert_args[] = { "call", booking, "--video", "test", "--audio", "test", "--no-sound",
                                "--duration", "30", NULL };
  const char *student_args[] = { "call", booking, "--group", "Rowing", "--video", "test", "--audio", "none",
                                 "--no-sound", "--duration", "6", NULL };
  g_autoptr(GSubprocess) expert_run = th_cli_spawnv (expert, expert_args);
  g_usleep (500 * 1000);
  g_autoptr(ThCliResult) s = th_cli_runv (student, NULL, student_args);
  th_cli_assert_status (s, 0);
  g_autoptr(ThCliResult) e = th_cli_finish (expert_run);
  th_cli_assert_status (e, 0);

  g_test_message ("expert:\n%s\nstudent:\n%s", e->out, s->out);
  g_assert_nonnull (strstr (e->out, "Waiting for"));
  g_assert_nonnull (strstr (e->out, "Connected with"));
  g_assert_nonnull (strstr (e->out, "First picture from"));
  g_assert_nonnull (strstr (e->out, "round trip"));
  g_assert_nonnull (strstr (e->out, "hung up"));
  g_assert_nonnull (strstr (s->out, "Joining the call with"));
  g_assert_nonnull (strstr (s->out, "Connected with"));
  g_assert_nonnull (strstr (s->out, "ended:"));
}

static void
test_refused (void)
{
  g_autofree char *booking = NULL;
  g_autoptr(ThClub) c = club_booked_now ("refused", &booking);
  gint64 now = now_s ();
  g_autofree char *later = th_club_book (c, now + 2 * 86400, now + 2 * 86400 + 1800);

  /* a member of the group who is not in the booking */
  g_autoptr(ThCliUser) other = th_call_user (ts->url, c->other);
  g_autoptr(ThCliResult) outsider = th_cli_run (other, NULL, "--json", "call", booking, "--video", "test",
                                                "--audio", "test", "--duration", "2", NULL);
  th_cli_assert_status (outsider, 1);
  g_assert_cmpstr (th_cli_json_str (outsider, "error.code"), ==, "not_found");

  /* the expert, two days early */
  g_autoptr(ThCliUser) expert = th_call_user (ts->url, c->expert);
  g_autoptr(ThCliResult) early = th_cli_run (expert, NULL, "--json", "call", later, "--group",
                                             c->group_id, "--video", "test", "--audio", "test", "--duration", "2",
                                             NULL);
  th_cli_assert_status (early, 1);
  g_assert_cmpstr (th_cli_json_str (early, "error.code"), ==, "outside_connect_window");

  /* not a booking id */
  g_autoptr(ThCliResult) bad = th_cli_run (expert, NULL, "call", "tomorrow", NULL);
  th_cli_assert_status (bad, 2);
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  ts = th_server_start_full (tweak, NULL);
  g_test_add_func ("/CLI/Call/call", test_call);
  g_test_add_func ("/CLI/Call/signaling-break", test_signaling_break);
  g_test_add_func ("/CLI/Call/human", test_human);
  g_test_add_func ("/CLI/Call/refused", test_refused);
  int status = g_test_run ();
  th_server_stop (ts);
  return status;
}
