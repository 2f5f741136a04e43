/* test-cli-call.c — `tandem-cli call` end to end: an in-process signald
 * and two CLI processes on loopback.  The booking's expert and student
 * connect; each receives the other's video and sound (frames and buffers
 * counted, content checked: the test pattern's colour and the test
 * tone's pitch); the student drops (killed) and joins again with a new
 * process; the student hangs up and the expert's call ends with it.  A
 * member who is not in the booking and a caller outside the connect
 * window are refused. */
#include "th-cli.h"
#include "th-server.h"

#include <signal.h>
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

static void
db_exec (const char *org_id,
         const char *sql,
         const char *fmt,
         ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (ts->server), &error);
  g_assert_no_error (error);
  g_assert_true (sd_db_begin (conn, SD_DB_TX_WRITE, org_id, &error));
  va_list args;
  va_start (args, fmt);
  g_autoptr(SdDbRows) rows = sd_db_query_va (conn, &error, sql, fmt, args);
  va_end (args);
  g_assert_no_error (error);
  g_assert_true (sd_db_commit (conn, &error));
  g_assert_no_error (error);
}

typedef struct {
  char *org_id, *group_id, *type_id;
  char *admin, *expert, *expert_id, *student, *student_id, *other;
} Club;

static void
club_free (Club *c)
{
  g_free (c->org_id); g_free (c->group_id); g_free (c->type_id);
  g_free (c->admin); g_free (c->expert); g_free (c->expert_id);
  g_free (c->student); g_free (c->student_id); g_free (c->other);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Club, club_free)

static Club *
club_new (const char *tag)
{
  Club *c = g_new0 (Club, 1);
  g_autofree char *e_admin = g_strdup_printf ("%s-admin@example.org", tag);
  g_autofree char *e_expert = g_strdup_printf ("%s-coach@example.org", tag);
  g_autofree char *e_student = g_strdup_printf ("%s-student@example.org", tag);
  g_autofree char *e_other = g_strdup_printf ("%s-other@example.org", tag);
  c->admin = th_register_admin (ts, e_admin, tag, NULL);
  c->expert = th_add_user (ts, c->admin, e_expert, "expert", &c->expert_id);
  c->student = th_add_user (ts, c->admin, e_student, "student", &c->student_id);
  c->other = th_add_user (ts, c->admin, e_other, "student", NULL);
  g_autoptr(ThResponse) me = th_request (ts, "GET", "/auth/me", c->admin, NULL);
  c->org_id = g_strdup (th_json_str (me, "organization_id"));
  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", c->expert, "{\"name\":\"Rowing\"}");
  g_assert_cmpuint (g->status, ==, 201);
  c->group_id = g_strdup (th_json_str (g, "id"));
  th_join_group (ts, c->expert, c->group_id, e_student, c->student);
  th_join_group (ts, c->expert, c->group_id, e_other, c->other);

  c->type_id = g_uuid_string_random ();
  gint64 now = now_s ();
  db_exec (c->org_id,
           "INSERT INTO coaching_session_types (id, org_id, group_id, expert_id, name, duration_minutes,"
           " created_at, updated_at) VALUES ($1, $2, $3, $4, 'Session', 30, $5, $5)",
           "ssssi", c->type_id, c->org_id, c->group_id, c->expert_id, now);
  return c;
}

/* A booking of the club's expert with its student over [start, end). */
static char *
book (Club   *c,
      gint64  start,
      gint64  end)
{
  char *id = g_uuid_string_random ();
  gint64 now = now_s ();
  db_exec (c->org_id,
           "INSERT INTO coaching_bookings (id, org_id, group_id, session_type_id, expert_id, student_id,"
           " start_at, end_at, block_start, block_end, status, created_at, updated_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, 'booked', $9, $9)",
           "ssssssiii", id, c->org_id, c->group_id, c->type_id, c->expert_id, c->student_id,
           start, end, now);
  return id;
}

static ThCliUser *
cli_user (const char *token)
{
  ThCliUser *user = th_cli_user_new (ts->url);
  user->token = g_strdup (token);
  return user;
}

static GSubprocess *
start_call (ThCliUser  *user,
            const char *booking,
            const char *video,
            const char *audio,
            const char *duration)
{
  const char *args[] = { "--json", "call", booking, "--video", video, "--audio", audio, "--no-sound",
                         "--duration", duration, NULL };
  return th_cli_spawnv (user, args);
}

static double
json_double (ThCliResult *r,
             const char  *path)
{
  JsonNode *n = th_cli_json_at (r, path);
  g_assert_nonnull (n);
  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  return json_node_get_double (n);
}

/* The colour at the centre of the last picture the run received. */
static char
received_colour (ThCliResult *r)
{
  int rgb[3];
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("remote_video.center_rgb.%d", i);
      rgb[i] = (int) json_double (r, path);
    }
  if (rgb[0] > 180 && rgb[1] < 80 && rgb[2] < 80)
    return 'r';
  if (rgb[2] > 180 && rgb[0] < 80 && rgb[1] < 80)
    return 'b';
  return '?';
}

static void
assert_received (ThCliResult *r,
                 char         colour,
                 double       hz)
{
  JsonNode *connected = th_cli_json_at (r, "connected");
  g_assert_nonnull (connected);
  g_assert_true (json_node_get_boolean (connected));
  g_assert_cmpfloat (json_double (r, "video_frames_received"), >=, 10);
  g_assert_cmpfloat (json_double (r, "audio_buffers_received"), >=, 10);
  g_assert_cmpfloat (json_double (r, "first_remote_frame_ms"), >=, 0);
  g_assert_cmpint (received_colour (r), ==, colour);
  g_assert_cmpfloat_with_epsilon (json_double (r, "audio_frequency_hz"), hz, hz / 10);
  g_assert_nonnull (th_cli_json_at (r, "rtt_ms"));
}

static void
test_call (void)
{
  g_autoptr(Club) c = club_new ("call");
  gint64 now = now_s ();
  g_autofree char *booking = book (c, now - 60, now + 1800);
  g_autoptr(ThCliUser) expert = cli_user (c->expert);
  g_autoptr(ThCliUser) student = cli_user (c->student);

  /* The expert waits in the call; the student comes, then drops out. */
  g_autoptr(GSubprocess) expert_run = start_call (expert, booking, "test:red", "test", "60");
  g_usleep (500 * 1000);
  g_autoptr(GSubprocess) dropped = start_call (student, booking, "test:blue", "test:880", "60");
  g_usleep (4 * G_USEC_PER_SEC);
  g_subprocess_send_signal (dropped, SIGKILL);
  g_autoptr(ThCliResult) dropped_result = th_cli_finish (dropped);
  g_assert_cmpint (dropped_result->status, ==, -1);

  /* It joins again (a new process) and hangs up after a few seconds; the
   * expert's call ends with that hangup. */
  g_autoptr(GSubprocess) again = start_call (student, booking, "test:blue", "test:880", "5");
  g_autoptr(ThCliResult) student_result = th_cli_finish (again);
  th_cli_assert_status (student_result, 0);
  g_autoptr(ThCliResult) expert_result = th_cli_finish (expert_run);
  th_cli_assert_status (expert_result, 0);

  g_test_message ("student: first remote frame after %.0f ms, expert: %.0f ms",
                  json_double (student_result, "first_remote_frame_ms"),
                  json_double (expert_result, "first_remote_frame_ms"));
  assert_received (student_result, 'r', 440);
  assert_received (expert_result, 'b', 880);
  g_assert_cmpstr (th_cli_json_str (student_result, "ended_by"), ==, "duration");
  g_assert_cmpstr (th_cli_json_str (expert_result, "ended_by"), ==, "peer-hangup");
  g_assert_cmpstr (th_cli_json_str (expert_result, "peer.user_id"), ==, c->student_id);
}

static void
test_refused (void)
{
  g_autoptr(Club) c = club_new ("refused");
  gint64 now = now_s ();
  g_autofree char *booking = book (c, now - 60, now + 1800);
  g_autofree char *later = book (c, now + 2 * 86400, now + 2 * 86400 + 1800);

  /* a member of the group who is not in the booking */
  g_autoptr(ThCliUser) other = cli_user (c->other);
  g_autoptr(ThCliResult) outsider = th_cli_run (other, NULL, "--json", "call", booking, "--video", "test",
                                                "--audio", "test", "--duration", "2", NULL);
  th_cli_assert_status (outsider, 1);
  g_assert_cmpstr (th_cli_json_str (outsider, "error.code"), ==, "not_found");

  /* the expert, two days early */
  g_autoptr(ThCliUser) expert = cli_user (c->expert);
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
  g_test_add_func ("/CLI/Call/refused", test_refused);
  int status = g_test_run ();
  th_server_stop (ts);
  return status;
}
