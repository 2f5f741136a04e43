/* test-cli-coaching.c — the real `tandem-cli` against a real signald for
 * live coaching: an expert offers a session type, sets weekly availability
 * in Europe/Berlin and blocks a day; a student lists the free times (in
 * their own zone and with --tz), books one, sees it in `bookings`, moves
 * and cancels it; a second student racing for the same time gets
 * slot_unavailable; usage errors exit 2.
 *
 * The users sign in through TANDEM_TOKEN (no stored session). */
#include "th-cli.h"
#include "th-server.h"

#include <stdio.h>
#include <string.h>

static ThServer *ts;

typedef struct {
  char *admin;
  char *group_id;
  char *expert_id;
  ThCliUser *expert;
  ThCliUser *student;
  ThCliUser *student2;
} Fixture;

/* A user of the admin's organization with @role and @name, signed in. */
static char *
add_user (const char *admin, const char *email, const char *name, const char *role, char **id)
{
  g_autoptr(ThResponse) r = th_requestf (ts, "POST", "/users", admin,
    "{\"email\":\"%s\",\"password\":\"" TH_PASSWORD "\",\"name\":\"%s\",\"role\":\"%s\"}",
    email, name, role);
  g_assert_cmpuint (r->status, ==, 201);
  if (id != NULL)
    *id = g_strdup (th_json_str (r, "id"));
  g_autoptr(ThResponse) l = th_requestf (ts, "POST", "/auth/login", NULL,
    "{\"email\":\"%s\",\"password\":\"" TH_PASSWORD "\"}", email);
  g_assert_cmpuint (l->status, ==, 200);
  return g_strdup (th_json_str (l, "token"));
}

static ThCliUser *
cli_user (const char *token)
{
  ThCliUser *u = th_cli_user_new (ts->url);
  u->token = g_strdup (token);
  return u;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static int n;
  n++;
  g_autofree char *admin_mail = g_strdup_printf ("admin%d@coach.example", n);
  g_autofree char *org = g_strdup_printf ("Coaching Club %d", n);
  f->admin = th_register_admin (ts, admin_mail, org, NULL);

  g_autofree char *expert_mail = g_strdup_printf ("eva%d@coach.example", n);
  g_autofree char *student_mail = g_strdup_printf ("sam%d@coach.example", n);
  g_autofree char *student2_mail = g_strdup_printf ("tom%d@coach.example", n);
  g_autofree char *expert = add_user (f->admin, expert_mail, "Eva Expert", "expert", &f->expert_id);
  g_autofree char *student = add_user (f->admin, student_mail, "Sam Student", "student", NULL);
  g_autofree char *student2 = add_user (f->admin, student2_mail, "Tom Student", "student", NULL);

  g_autoptr(ThResponse) g = th_request (ts, "POST", "/groups", f->admin, "{\"name\":\"Tennis\"}");
  g_assert_cmpuint (g->status, ==, 201);
  f->group_id = g_strdup (th_json_str (g, "id"));
  th_join_group (ts, f->admin, f->group_id, expert_mail, expert);
  th_join_group (ts, f->admin, f->group_id, student_mail, student);
  th_join_group (ts, f->admin, f->group_id, student2_mail, student2);

  f->expert = cli_user (expert);
  f->student = cli_user (student);
  f->student2 = cli_user (student2);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  th_cli_user_free (f->expert);
  th_cli_user_free (f->student);
  th_cli_user_free (f->student2);
  g_free (f->admin);
  g_free (f->group_id);
  g_free (f->expert_id);
}

/* The Monday at least three days ahead, as a date in Europe/Berlin. */
static char *
next_monday (int weeks_later)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (berlin);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 3);
  while (g_date_time_get_day_of_week (day) != 1)
    {
      GDateTime *next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }
  g_autoptr(GDateTime) later = g_date_time_add_weeks (day, weeks_later);
  return g_date_time_format (later, "%Y-%m-%d");
}

/* "2025-03-10 09:00" Berlin as the API's UTC text. */
static char *
berlin_utc (const char *date, int hour, int minute)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  int y, m, d;
  g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
  g_autoptr(GDateTime) local = g_date_time_new (berlin, y, m, d, hour, minute, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
offer_and_open (Fixture *f)
{
  g_autoptr(ThCliResult) type = th_cli_run (f->expert, NULL, "session-types", "create", "Technique",
                                            "--duration", "60", "--description", "Forehand, backhand; serve", NULL);
  th_cli_assert_status (type, 0);
  g_assert_nonnull (strstr (type->out, "Technique"));
  g_assert_nonnull (strstr (type->out, "60 min"));

  g_autoptr(ThCliResult) avail = th_cli_run (f->expert, NULL, "availability", "set", "--tz", "Europe/Berlin",
                                             "--buffer-after", "15", "mon-fri", "09:00-12:00", "sat", "10:00-12:00",
                                             NULL);
  th_cli_assert_status (avail, 0);
  g_assert_nonnull (strstr (avail->out, "Europe/Berlin"));
  g_assert_nonnull (strstr (avail->out, "09:00–12:00"));
}

static void
test_expert_setup (Fixture *f, gconstpointer data)
{
  offer_and_open (f);

  /* session-types list, for the expert and the student; --json. */
  g_autoptr(ThCliResult) list = th_cli_run (f->student, NULL, "session-types", "list", NULL);
  th_cli_assert_status (list, 0);
  g_assert_nonnull (strstr (list->out, "Technique"));
  g_assert_nonnull (strstr (list->out, "Eva Expert"));
  g_autoptr(ThCliResult) listj = th_cli_run (f->expert, NULL, "--json", "session-types", "list", NULL);
  th_cli_assert_status (listj, 0);
  g_assert_cmpstr (th_cli_json_str (listj, "items.0.name"), ==, "Technique");
  g_assert_cmpstr (th_cli_json_str (listj, "items.0.expert_id"), ==, f->expert_id);

  /* update by name; a student may not. */
  g_autoptr(ThCliResult) upd = th_cli_run (f->expert, NULL, "--json", "session-types", "update", "Technique",
                                           "--name", "Technique 1", "--duration", "45", NULL);
  th_cli_assert_status (upd, 0);
  g_assert_cmpstr (th_cli_json_str (upd, "name"), ==, "Technique 1");
  g_assert_cmpint (json_node_get_int (th_cli_json_at (upd, "duration_minutes")), ==, 45);
  g_autoptr(ThCliResult) refused = th_cli_run (f->student, NULL, "--json", "session-types", "update", "Technique 1",
                                               "--inactive", NULL);
  th_cli_assert_status (refused, 1);
  g_assert_cmpstr (th_cli_json_str (refused, "error.code"), ==, "forbidden");
  g_autoptr(ThCliResult) create_refused = th_cli_run (f->student, NULL, "session-types", "create", "Mine",
                                                      "--duration", "30", NULL);
  th_cli_assert_status (create_refused, 1);

  /* delete by name: --json names what went; words otherwise. */
  g_autoptr(ThCliResult) spare = th_cli_run (f->expert, NULL, "--json", "session-types", "create", "Spare",
                                             "--duration", "30", NULL);
  th_cli_assert_status (spare, 0);
  g_autoptr(ThCliResult) gone = th_cli_run (f->expert, NULL, "--json", "session-types", "delete", "Spare", NULL);
  th_cli_assert_status (gone, 0);
  g_assert_cmpstr (th_cli_json_str (gone, "id"), ==, th_cli_json_str (spare, "id"));
  g_assert_true (json_node_get_boolean (th_cli_json_at (gone, "deleted")));
  g_autoptr(ThCliResult) spare2 = th_cli_run (f->expert, NULL, "session-types", "create", "Spare 2",
                                              "--duration", "30", NULL);
  th_cli_assert_status (spare2, 0);
  g_autoptr(ThCliResult) gone2 = th_cli_run (f->expert, NULL, "session-types", "delete", "Spare 2", NULL);
  th_cli_assert_status (gone2, 0);
  g_assert_nonnull (strstr (gone2->out, "Deleted the session type “Spare 2”"));

  /* availability show: own, and the expert's as seen by the student. */
  g_autoptr(ThCliResult) show = th_cli_run (f->expert, NULL, "availability", "show", NULL);
  th_cli_assert_status (show, 0);
  g_assert_nonnull (strstr (show->out, "Monday"));
  g_assert_nonnull (strstr (show->out, "Saturday:"));
  g_assert_nonnull (strstr (show->out, "10:00–12:00"));
  g_assert_nonnull (strstr (show->out, "15 min"));
  g_autoptr(ThCliResult) seen = th_cli_run (f->student, NULL, "--json", "availability", "show", "Eva Expert", NULL);
  th_cli_assert_status (seen, 0);
  g_assert_cmpstr (th_cli_json_str (seen, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (seen, "windows"))), ==, 6);
  g_assert_cmpint (json_node_get_int (th_cli_json_at (seen, "buffer_after_minutes")), ==, 15);

  /* block add/list/remove: a whole day is gone from the free times. */
  g_autofree char *monday = next_monday (0);
  g_autoptr(ThCliResult) block = th_cli_run (f->expert, NULL, "--json", "block", "add", monday, monday,
                                             "--reason", "Tournament", "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (block, 0);
  g_autofree char *day_start = berlin_utc (monday, 0, 0);
  g_assert_cmpstr (th_cli_json_str (block, "start"), ==, day_start);
  const char *block_id = th_cli_json_str (block, "id");
  g_autoptr(ThCliResult) blocks = th_cli_run (f->expert, NULL, "block", "list", "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (blocks, 0);
  g_assert_nonnull (strstr (blocks->out, "Tournament"));
  g_assert_nonnull (strstr (blocks->out, monday));

  g_autoptr(ThCliResult) slots = th_cli_run (f->student, NULL, "--json", "slots", "Eva Expert", "--from", monday,
                                             "--to", monday, "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (slots, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (slots, "items"))), ==, 0);

  g_autoptr(ThCliResult) rm = th_cli_run (f->expert, NULL, "--json", "block", "remove", block_id, NULL);
  th_cli_assert_status (rm, 0);
  g_assert_cmpstr (th_cli_json_str (rm, "id"), ==, block_id);
  g_assert_true (json_node_get_boolean (th_cli_json_at (rm, "deleted")));
  g_autoptr(ThCliResult) after = th_cli_run (f->student, NULL, "--json", "slots", "Eva Expert", "--from", monday,
                                             "--to", monday, "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (after, 0);
  /* 09:00–12:00 with 45-minute sessions on the 15-minute grid. */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (th_cli_json_at (after, "items"))), ==, 10);
  g_assert_cmpstr (th_cli_json_str (after, "time_zone"), ==, "Europe/Berlin");
}

static void
test_book_list_move_cancel (Fixture *f, gconstpointer data)
{
  offer_and_open (f);
  g_autofree char *monday = next_monday (1);

  /* The student's own zone (New York) is the default; --tz overrides. */
  g_autoptr(ThResponse) tz = th_request (ts, "PATCH", "/auth/me", f->student->token,
                                         "{\"time_zone\":\"America/New_York\"}");
  g_assert_cmpuint (tz->status, ==, 200);
  g_autoptr(ThCliResult) ny = th_cli_run (f->student, NULL, "slots", "Eva Expert", "--from", monday, "--days", "1", NULL);
  th_cli_assert_status (ny, 0);
  g_assert_nonnull (strstr (ny->out, "in America/New_York"));
  g_autoptr(ThCliResult) slots = th_cli_run (f->student, NULL, "slots", "Eva Expert", "--from", monday, "--days", "1",
                                             "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (slots, 0);
  g_assert_nonnull (strstr (slots->out, "Free times of Eva Expert for “Technique” (60 min), in Europe/Berlin:"));
  g_assert_nonnull (strstr (slots->out, "Mon "));
  g_assert_nonnull (strstr (slots->out, " 09:00 09:15"));
  g_assert_nonnull (strstr (slots->out, " 11:00"));
  g_assert_null (strstr (slots->out, "11:15"));

  /* book 10:00 Berlin. */
  g_autofree char *when = g_strdup_printf ("%s 10:00", monday);
  g_autoptr(ThCliResult) book = th_cli_run (f->student, NULL, "book", "Eva Expert", when, "--tz", "Europe/Berlin",
                                            "--notes", "First lesson", NULL);
  th_cli_assert_status (book, 0);
  g_assert_nonnull (strstr (book->out, "Booked: Technique with Eva Expert, Mon "));
  g_assert_nonnull (strstr (book->out, " 10:00–11:00 (Europe/Berlin)."));
  const char *id_line = strstr (book->out, "Booking id: ");
  g_assert_nonnull (id_line);
  g_autofree char *booking_id = g_strndup (id_line + strlen ("Booking id: "), 36);
  g_assert_true (g_uuid_string_is_valid (booking_id));

  /* The other student: the same time is gone (and a time overlapping it
   * or its buffer), readable and with the code in --json. */
  g_autoptr(ThCliResult) taken = th_cli_run (f->student2, NULL, "--json", "book", "Eva Expert", when,
                                             "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (taken, 1);
  g_assert_cmpstr (th_cli_json_str (taken, "error.code"), ==, "slot_unavailable");
  g_assert_nonnull (strstr (taken->err, "not free"));
  g_autofree char *overlap = g_strdup_printf ("%s 11:00", monday);
  g_autoptr(ThCliResult) buffer = th_cli_run (f->student2, NULL, "book", "Eva Expert", overlap,
                                              "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (buffer, 1);

  /* bookings: the student's and the expert's view. */
  g_autoptr(ThCliResult) mine = th_cli_run (f->student, NULL, "bookings", "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (mine, 0);
  g_assert_nonnull (strstr (mine->out, "Times in Europe/Berlin:"));
  g_assert_nonnull (strstr (mine->out, "10:00–11:00"));
  g_assert_nonnull (strstr (mine->out, "Eva Expert"));
  g_assert_nonnull (strstr (mine->out, booking_id));
  g_autoptr(ThCliResult) theirs = th_cli_run (f->expert, NULL, "--json", "bookings", NULL);
  th_cli_assert_status (theirs, 0);
  g_assert_cmpstr (th_cli_json_str (theirs, "items.0.id"), ==, booking_id);
  g_autofree char *start10 = berlin_utc (monday, 10, 0);
  g_assert_cmpstr (th_cli_json_str (theirs, "items.0.start"), ==, start10);
  g_assert_cmpstr (th_cli_json_str (theirs, "items.0.notes"), ==, "First lesson");
  g_autoptr(ThCliResult) theirs_text = th_cli_run (f->expert, NULL, "bookings", "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (theirs_text, 0);
  g_assert_nonnull (strstr (theirs_text->out, "Sam Student"));
  g_assert_nonnull (strstr (theirs_text->out, "expert"));
  g_autoptr(ThCliResult) other = th_cli_run (f->student2, NULL, "bookings", NULL);
  th_cli_assert_status (other, 0);
  g_assert_cmpstr (other->out, ==, "No sessions booked.\n");

  /* 10:00 is no longer a free time. */
  g_autoptr(ThCliResult) slots2 = th_cli_run (f->student2, NULL, "--json", "slots", "Eva Expert", "--from", monday,
                                              "--to", monday, "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (slots2, 0);
  JsonArray *items = json_node_get_array (th_cli_json_at (slots2, "items"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "start"), !=, start10);

  /* ... but for moving the booking, its own time (and those overlapping
   * it) are offered to the student who has it. */
  g_autoptr(ThCliResult) movable = th_cli_run (f->student, NULL, "--json", "slots", "Eva Expert", "--from", monday,
                                               "--to", monday, "--tz", "Europe/Berlin", "--moving", booking_id, NULL);
  th_cli_assert_status (movable, 0);
  gboolean own = FALSE;
  JsonArray *movable_items = json_node_get_array (th_cli_json_at (movable, "items"));
  for (guint i = 0; i < json_array_get_length (movable_items); i++)
    own = own || g_strcmp0 (json_object_get_string_member (json_array_get_object_element (movable_items, i), "start"),
                            start10) == 0;
  g_assert_true (own);
  g_autoptr(ThCliResult) not_theirs = th_cli_run (f->student2, NULL, "slots", "Eva Expert", "--moving", booking_id,
                                                  NULL);
  th_cli_assert_status (not_theirs, 1);
  g_autoptr(ThCliResult) not_an_id = th_cli_run (f->student, NULL, "slots", "Eva Expert", "--moving", "monday", NULL);
  th_cli_assert_status (not_an_id, 2);

  /* reschedule to 09:00 (the booking itself does not stand in the way). */
  g_autofree char *earlier = g_strdup_printf ("%s 09:00", monday);
  g_autoptr(ThCliResult) moved = th_cli_run (f->student, NULL, "reschedule", booking_id, earlier,
                                             "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (moved, 0);
  g_assert_nonnull (strstr (moved->out, "Moved: Technique with Eva Expert, Mon "));
  g_assert_nonnull (strstr (moved->out, " 09:00–10:00"));

  /* cancel with a reason; then it is gone from the default list. */
  g_autoptr(ThCliResult) cancel = th_cli_run (f->student, NULL, "--json", "cancel", booking_id,
                                              "--reason", "Ill", NULL);
  th_cli_assert_status (cancel, 0);
  g_assert_cmpstr (th_cli_json_str (cancel, "status"), ==, "cancelled");
  g_assert_cmpstr (th_cli_json_str (cancel, "cancel_reason"), ==, "Ill");
  g_autoptr(ThCliResult) empty = th_cli_run (f->student, NULL, "bookings", NULL);
  th_cli_assert_status (empty, 0);
  g_assert_cmpstr (empty->out, ==, "No sessions booked.\n");
  g_autoptr(ThCliResult) with_cancelled = th_cli_run (f->student, NULL, "bookings", "--cancelled", NULL);
  th_cli_assert_status (with_cancelled, 0);
  g_assert_nonnull (strstr (with_cancelled->out, "cancelled"));
  g_autoptr(ThCliResult) twice = th_cli_run (f->student, NULL, "--json", "cancel", booking_id, NULL);
  th_cli_assert_status (twice, 1);

  /* Now the other student gets the time. */
  g_autoptr(ThCliResult) second = th_cli_run (f->student2, NULL, "--json", "book", "Eva Expert", when,
                                              "--tz", "Europe/Berlin", NULL);
  th_cli_assert_status (second, 0);
  g_assert_cmpstr (th_cli_json_str (second, "start"), ==, start10);
}

static void
test_usage_errors (Fixture *f, gconstpointer data)
{
  offer_and_open (f);
  struct {
    ThCliUser *user;
    const char *args[10];
    int status;
    const char *err;
  } cases[] = {
    { f->student, { "slots", "Eva Expert", "--tz", "Mars/Olympus", NULL }, 2, "unknown time zone" },
    { f->student, { "book", "Eva Expert", "next monday", NULL }, 2, "is no date and time" },
    { f->student, { "book", "Eva Expert", "2030-02-30 10:00", NULL }, 2, "is no date and time" },
    { f->student, { "slots", "Nobody", NULL }, 1, "no expert “Nobody”" },
    { f->student, { "slots", "Eva Expert", "--type", "Yoga", NULL }, 1, "no session type “Yoga”" },
    { f->student, { "cancel", "not-a-booking", NULL }, 2, "is no booking id" },
    { f->student, { "cancel", "0b7f8f3e-5b1a-4c1e-9d7a-3b1f2a4c5d6e", NULL }, 1, "no booking" },
    { f->expert, { "availability", "set", NULL }, 2, "--none" },
    { f->expert, { "availability", "set", "mon", NULL }, 2, "needs a time range" },
    { f->expert, { "availability", "set", "funday", "09:00-10:00", NULL }, 2, "is no day" },
    { f->expert, { "session-types", "create", "X", NULL }, 2, "--duration" },
    { f->expert, { "session-types", "create", "X", "--duration", "5", NULL }, 2, "15 to 120" },
    { f->expert, { "block", "add", "2030-01-02", "2030-01-01", NULL }, 2, "END must lie after START" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ThCliResult) r = th_cli_runv (cases[i].user, NULL, cases[i].args);
      th_cli_assert_status (r, cases[i].status);
      if (strstr (r->err, cases[i].err) == NULL)
        g_error ("case %u: “%s” not in stderr: %s", i, cases[i].err, r->err);
    }
}

int
main (int    argc,
      char **argv)
{
  th_init (&argc, &argv);
  ts = th_server_start ();

  g_test_add ("/cli-coaching/expert-setup", Fixture, NULL, fixture_setup, test_expert_setup, fixture_teardown);
  g_test_add ("/cli-coaching/book-list-move-cancel", Fixture, NULL, fixture_setup, test_book_list_move_cancel,
              fixture_teardown);
  g_test_add ("/cli-coaching/usage-errors", Fixture, NULL, fixture_setup, test_usage_errors, fixture_teardown);

  int status = g_test_run ();
  th_server_stop (ts);
  return status;
}
